//! Doc HTML → Markdown for rustdoc.
//!
//! About a fifth of the catalog's docs are HTML (`<p>`, `<ul><li>`, `<br>`, `<a href>`,
//! `<b>`, `<code>`, `<font>`, `<pre>`, tables). They are converted here, when code is
//! generated, not when the catalog is imported: `schema/` keeps the catalog's text
//! verbatim, so a re-import diffs only what Tencent Cloud changed, every other reader of
//! the schema (the emulator, tests) gets the original, and a better conversion needs a
//! regeneration, not a re-import of every service.
//!
//! The converter is `htmd`: an HTML → Markdown converter (turndown.js's rules, and its
//! test cases) over html5ever, the browser-grade parser, so that the catalog's broken HTML
//! (`<ur>` for `<ul>`, `<li>` without a list, `<pre>` inside `<p>`, unclosed tags) is
//! repaired as a browser would repair it. It is maintained, Apache-2.0 like this project,
//! and takes a handler per element, which is how the rules below are kept. (`html2md` is
//! GPL; `scraper` and `tl` parse but do not convert.)
//!
//! Before parsing, `prepare` turns the catalog's mix of HTML, Markdown and placeholders
//! into HTML. Then, so that `RUSTDOCFLAGS="-D warnings" cargo doc` passes and nothing
//! becomes a doctest:
//!
//! - paragraphs, lists, emphasis, inline code, block quotes and tables with a header
//!   become Markdown; other elements (`<font>`, `<span>`, `<dx-alert>`) keep their text;
//! - text is escaped by htmd (`\[`, `\<`, `\*`, ...), so it is never markup;
//! - a link is kept only to an `http(s)` URL, as `[text](url)` or `<url>`; any other
//!   keeps its text, so that rustdoc never takes one for an intra-doc link;
//! - `<pre>` and `<code>` over several lines become ```` ```text ```` fences;
//! - `<br>` starts a new paragraph, as a line break of a plain doc does;
//! - an image becomes a link to it, and the documentation site's `<dx-alert>` a
//!   paragraph led by its title;
//! - control and bidi characters become spaces, as in plain docs.

mod prepare;

use std::sync::LazyLock;

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::{Node, NodeData};

use super::text::is_unsafe_char;

/// The Markdown lines of `text` (empty lines between blocks), or `None` when `text` has
/// no HTML markup: plain text is made safe by `docs`.
pub fn to_markdown(text: &str) -> Option<Vec<String>> {
    let html = prepare::prepare(text)?;
    // Reading from a string cannot fail; were it to, the text is still made safe as plain.
    let markdown = CONVERTER.convert(&html).ok()?;
    let mut lines: Vec<String> = Vec::new();
    for line in markdown.lines() {
        // Also those that came from character references (`&#x202E;`) or attributes.
        let line: String = line
            .chars()
            .map(|c| if is_unsafe_char(c) { ' ' } else { c })
            .collect();
        let line = line.trim_end();
        if line.is_empty() && lines.last().is_none_or(String::is_empty) {
            continue;
        }
        lines.push(line.to_owned());
    }
    if lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    Some(lines)
}

static CONVERTER: LazyLock<HtmlToMarkdown> = LazyLock::new(|| {
    HtmlToMarkdown::builder()
        .options(Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        })
        .add_handler(vec!["a"], link)
        .add_handler(vec!["br"], line_break)
        .add_handler(vec!["pre"], preformatted)
        .add_handler(vec!["code"], code)
        .add_handler(vec!["img"], image)
        .add_handler(vec!["dx-alert"], alert)
        .build()
});

/// `[text](url)`, `<url>` when the text is the URL, or the text alone when the target is
/// not an `http(s)` URL (`/document/...`, `#anchor`).
fn link(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let content = handlers.walk_children(element.node).content;
    let Some(url) = attribute(&element, "href").filter(|url| is_web_url(url)) else {
        return Some(content.into());
    };
    let label = content.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() || text(element.node).trim() == url {
        return Some(format!("<{url}>").into());
    }
    let url = url.replace('(', "%28").replace(')', "%29");
    Some(format!("[{label}]({url})").into())
}

fn line_break(_: &dyn Handlers, _: Element) -> Option<HandlerResult> {
    Some("\n\n".into())
}

fn preformatted(_: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    fence(&text(element.node))
}

/// Inline code, with as many backticks as it needs; a fence when it spans lines.
fn code(_: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let code = text(element.node);
    let code = code.trim();
    if code.contains('\n') {
        return fence(code);
    }
    if code.is_empty() {
        return None;
    }
    let ticks = "`".repeat(longest_backtick_run(code) + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    Some(format!("{ticks}{pad}{code}{pad}{ticks}").into())
}

fn image(_: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let url = attribute(&element, "src").filter(|url| is_web_url(url))?;
    let url = url.replace('(', "%28").replace(')', "%29");
    Some(format!("[image]({url})").into())
}

/// The documentation site's call-out box, `<dx-alert infotype="notice" title="Note">`:
/// a paragraph led by its title.
fn alert(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let content = handlers.walk_children(element.node).content;
    let title = attribute(&element, "title").filter(|title| {
        !title.is_empty() && title.chars().all(|c| c.is_alphanumeric() || c == ' ')
    });
    Some(match title {
        Some(title) => format!("\n\n**{title}:** {}\n\n", content.trim()).into(),
        None => format!("\n\n{}\n\n", content.trim()).into(),
    })
}

/// A ```` ```text ```` block (never a doctest), its fence longer than any backtick run
/// inside.
fn fence(code: &str) -> Option<HandlerResult> {
    let lines: Vec<&str> = code.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|line| !line.is_empty())?;
    let last = lines.iter().rposition(|line| !line.is_empty())?;
    let ticks = "`".repeat((longest_backtick_run(code) + 1).max(3));
    let body = lines[first..=last].join("\n");
    Some(format!("\n\n{ticks}text\n{body}\n{ticks}\n\n").into())
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// An absolute `http(s)` URL that Markdown can hold as a link target or autolink.
fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !url.contains(|c: char| {
                c.is_whitespace() || is_unsafe_char(c) || matches!(c, '<' | '>' | '`' | '"')
            })
    })
}

fn attribute<'a>(element: &'a Element, name: &str) -> Option<&'a str> {
    element
        .attrs
        .iter()
        .find(|attribute| &*attribute.name.local == name)
        .map(|attribute| attribute.value.trim())
}

/// The text of `node` and its descendants, `<br>` as a line break.
fn text(node: &Node) -> String {
    fn collect(node: &Node, out: &mut String) {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } if &*name.local == "br" => out.push('\n'),
            _ => {}
        }
        for child in node.children.borrow().iter() {
            collect(child, out);
        }
    }
    let mut out = String::new();
    collect(node, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown(html: &str) -> String {
        to_markdown(html).expect("is HTML").join("\n")
    }

    #[test]
    fn plain_text_is_left_to_docs() {
        assert_eq!(to_markdown("Instance name.\nNote: may be null."), None);
        assert_eq!(
            to_markdown("`http(s)://<origin domain>/<file name>.ts`"),
            None
        );
    }

    #[test]
    fn paragraphs_and_lists() {
        // cvm ResizeInstanceDisksRequest.ForceStop: <li> without a list, <br> as paragraphs.
        assert_eq!(
            markdown(
                "Specifies whether to forcibly shut down a running instance. valid values:<br><li>true: forcibly shut down an instance after a normal shutdown fails.</li><br><li>false: do not forcibly shut down an instance after a normal shutdown fails.</li><br><br>default value: false."
            ),
            "Specifies whether to forcibly shut down a running instance. valid values:\n\n- true: forcibly shut down an instance after a normal shutdown fails.\n\n- false: do not forcibly shut down an instance after a normal shutdown fails.\n\ndefault value: false."
        );
        // clb TargetGroupHealthCheck.HttpVersion: `<ur>` for `<ul>`, then a line of text.
        assert_eq!(
            markdown(
                "HTTP version, where: <ur><li>this field is required if the value of CheckType is HTTP.</li><li>supports configuration options: HTTP/1.0, HTTP/1.1.</li></ur>.\nNote: This field may return null, indicating that no valid values can be obtained."
            ),
            "HTTP version, where:\n- this field is required if the value of CheckType is HTTP.\n- supports configuration options: HTTP/1.0, HTTP/1.1..\n\nNote: This field may return null, indicating that no valid values can be obtained."
        );
        // ecm CreateSecurityGroupPolicies (shortened): nested lists; Markdown code spans
        // beside <code>.
        assert_eq!(
            markdown(
                "<p>This API is used to create a security group policy.</p>\n<p>In the `SecurityGroupPolicySet` parameter:</p>\n<ul>\n<li>`Version`: the version number of a security group policy.</li>\n<li>When creating the `Egress` and `Ingress` polices,<ul>\n<li><code>Protocol</code>: <code>TCP</code>, <code>UDP</code>, or <code>ALL</code>.</li>\n<li>`Action`: only allows `ACCEPT` or `DROP`.</li>\n</ul></li></ul>\n<p>Default API request rate limit: 20 requests/sec.</p>"
            ),
            "This API is used to create a security group policy.\n\nIn the `SecurityGroupPolicySet` parameter:\n\n- `Version`: the version number of a security group policy.\n- When creating the `Egress` and `Ingress` polices,\n  - `Protocol`: `TCP`, `UDP`, or `ALL`.\n  - `Action`: only allows `ACCEPT` or `DROP`.\n\nDefault API request rate limit: 20 requests/sec."
        );
    }

    #[test]
    fn emphasis_fonts_and_call_outs_keep_their_text() {
        // vod EnhanceMediaByTemplate: <font> beside a Markdown link.
        assert_eq!(
            markdown(
                "This API is <font color=red>no longer maintained</font>. Please use the new version of APIs [audio and video quality revival](https://www.tencentcloud.com/document/api/266/102571?from_cn_redirect=1).\nUse a template to initiate audio and video quality revival."
            ),
            "This API is no longer maintained. Please use the new version of APIs [audio and video quality revival](https://www.tencentcloud.com/document/api/266/102571?from_cn_redirect=1).\n\nUse a template to initiate audio and video quality revival."
        );
        // alb ModifyHealthCheckTemplateRequest.HealthCheckMethod: <strong>, <blockquote>.
        assert_eq!(
            markdown(
                "<p>Health check method. Value: - <strong>GET</strong> - <strong>HEAD</strong> (default value) </p><blockquote><p>This parameter takes effect only when <strong>HealthCheckProtocol</strong> is set to <strong>HTTP</strong> or <strong>HTTPS</strong>.</p></blockquote>"
            ),
            "Health check method. Value: - **GET** - **HEAD** (default value)\n\n> This parameter takes effect only when **HealthCheckProtocol** is set to **HTTP** or **HTTPS**."
        );
        // sms DescribeSmsTemplateListRequest.TemplateIdSet: the site's call-out box.
        assert_eq!(
            markdown(
                "Array of template IDs. You need to use the `Limit` and `Offset` fields to set the query range.\n<dx-alert infotype=\"notice\" title=\"Note\">The max array length is 100 by default.</dx-alert>"
            ),
            "Array of template IDs. You need to use the `Limit` and `Offset` fields to set the query range.\n\n**Note:** The max array length is 100 by default."
        );
    }

    #[test]
    fn links_only_to_web_urls() {
        // teo ConfigGroupVersionInfo.VersionNumber; a relative link and an anchor keep
        // their text; a link whose text is its URL is an autolink; so is a bare URL.
        assert_eq!(
            markdown(
                "<p>For reference: <a href=\"https://www.tencentcloud.com/document/api/1552/101864?from_cn_redirect=1\">DescribeConfigGroupVersions</a> return value <code>ConfigGroupVersionInfos</code></p><p>See <a href=\"/document/product/576/18527\">the guide</a>, <a href=\"#p_offset\">Offset</a>, <a href=\"https://example.com/a_(b)\">https://example.com/a_(b)</a> and https://example.com/x_y.</p>"
            ),
            "For reference: [DescribeConfigGroupVersions](https://www.tencentcloud.com/document/api/1552/101864?from_cn_redirect=1) return value `ConfigGroupVersionInfos`\n\nSee the guide, Offset, <https://example.com/a_(b)> and <https://example.com/x_y>."
        );
        // vod MPSSubtitleBoardConfig.BoardX (shortened): an image; text that looks like
        // Markdown stays text.
        assert_eq!(
            markdown(
                "<p>N ranges from [-4096, 4096]. - Percentage: N% * 2 <= 100, __TAG__. Refer to the figure below: <img src=\"https://ie-mps-1258344699.cos.ap-nanjing.tencentcos.cn/common/cloud/mps-demo/102_ai_subtitle/subtitle_style.png\" alt=\"image\"></p>"
            ),
            "N ranges from \\[-4096, 4096\\]. - Percentage: N% \\* 2 <= 100, \\_\\_TAG\\_\\_. Refer to the figure below: [image](https://ie-mps-1258344699.cos.ap-nanjing.tencentcos.cn/common/cloud/mps-demo/102_ai_subtitle/subtitle_style.png)"
        );
    }

    #[test]
    fn preformatted_text_is_a_text_fence() {
        // trtc StartAIConversationRequest.TTSConfig (shortened): <pre> with <br> and &emsp;.
        assert_eq!(
            markdown(
                "Required parameter, TTS configuration. it is a JSON string: TRTC TTS configuration as follows:.  \n<pre> { <br> &emsp;  \"TTSType\": \"flow\",  // [required] fixed to this value.  <br> &emsp;  \"Speed\": 1.0,    // [option] adjust the speaking rate. <br> &emsp;} </pre>"
            ),
            "Required parameter, TTS configuration. it is a JSON string: TRTC TTS configuration as follows:.\n\n```text\n {\n \u{2003}  \"TTSType\": \"flow\",  // [required] fixed to this value.\n \u{2003}  \"Speed\": 1.0,    // [option] adjust the speaking rate.\n \u{2003}}\n```"
        );
        // vod CreateAigcAdvancedCustomElementRequest.ElementVideoList (shortened): a code
        // block inside a list item.
        assert_eq!(
            markdown(
                "<ul><li>Carried in key:value format, as follows:<br><pre><code>{  \"refer_videos\":[    {      \"video_url\":\"video_url_1\"    }  ]}</code></pre>● video format supports only MP4/MOV<br>● The video_url parameter value cannot be empty</li></ul>"
            ),
            "- Carried in key:value format, as follows:\n\n  ```text\n  {  \"refer_videos\":[    {      \"video_url\":\"video_url_1\"    }  ]}\n  ```\n\n  ● video format supports only MP4/MOV\n\n  ● The video\\_url parameter value cannot be empty"
        );
        // Code with backticks, and code over several lines.
        assert_eq!(
            markdown(
                "<p>Quote with <code>`</code> or <code>a ``b`` c</code>:</p><code>line 1\n```\nline 2</code>"
            ),
            "Quote with `` ` `` or ```a ``b`` c```:\n\n````text\nline 1\n```\nline 2\n````"
        );
    }

    #[test]
    fn control_and_bidi_characters_become_spaces() {
        assert_eq!(
            markdown("<p>a\u{202E}b&#x202E;c\td</p><pre>e\tf\r</pre>"),
            "a b c d\n\n```text\ne f\n```"
        );
    }

    #[test]
    fn tables_with_a_header_are_tables() {
        // cls CreateCloudProductLogCollectionRequest.LogType (shortened).
        assert_eq!(
            markdown(
                "<p>Log types supported by each cloud product are as follows:</p><table><thead><tr><th>assumer_name</th><th>Supported log_type</th></tr></thead><tbody><tr><td>APIS</td><td>APIS-ACCESS</td></tr><tr><td>BH</td><td>BH-COMMANDLOG, BH-FILELOG</td></tr></tbody></table>"
            ),
            "Log types supported by each cloud product are as follows:\n\n| assumer\\_name | Supported log\\_type       |\n| ------------- | ------------------------- |\n| APIS          | APIS-ACCESS               |\n| BH            | BH-COMMANDLOG, BH-FILELOG |"
        );
    }
}
