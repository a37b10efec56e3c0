//! Catalog doc text → the HTML document the parser reads.
//!
//! The catalog's HTML docs are not clean HTML. They use `<` for placeholders
//! (`http(s)://<origin domain>/`, `<TaskId>`), mix in the Markdown of the plain docs
//! (`` `Limit` ``, `[DescribeDisks](https://...)`, `<https://...>`), leave URLs bare and
//! break lines with `\n` where a browser would show a space. An HTML parser would take the
//! placeholders for elements (and drop them) and a Markdown converter would escape the
//! Markdown, so before parsing:
//!
//! - `<` starts markup only with the name of an HTML element (`ELEMENTS`) or a name the
//!   doc both opens and closes (`<dx-alert ...>...</dx-alert>`); any other `<` is text;
//! - code spans, Markdown links, autolinks and bare URLs become `<code>` and `<a>`;
//! - a line break between two runs of text becomes `<br>` (a paragraph, as in plain
//!   docs); one next to a block element is the space HTML makes of it.
//!
//! Inside `<pre>` and `<code>` the text is left as it is, but for the first rule.

use std::collections::BTreeSet;

use crate::emit::text::{bare_url, markdown_link};

/// HTML elements the catalog uses, and the others of their kinds.
const ELEMENTS: &[&str] = &[
    "a",
    "b",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Elements that stand on lines of their own: a line break next to one is no new paragraph.
const BLOCKS: &[&str] = &[
    "blockquote",
    "br",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The HTML of `text`, or `None` when it holds no markup (then it is plain text).
pub fn prepare(text: &str) -> Option<String> {
    let markup = markup_names(text);
    let mut out = String::with_capacity(text.len() + 64);
    let mut state = State {
        pre: 0,
        code: 0,
        link: 0,
        after_block: true,
        has_markup: false,
    };
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let taken = if c == '<' {
            match tag(rest).filter(|tag| markup.contains(&tag.name)) {
                Some(tag) => {
                    state.enter(&tag);
                    out.push_str(&rest[..tag.len]);
                    tag.len
                }
                None => state.text_lt(rest, &mut out),
            }
        } else if state.pre > 0 || state.code > 0 {
            out.push(c);
            c.len_utf8()
        } else {
            state.text(rest, &markup, &mut out)
        };
        rest = &rest[taken..];
    }
    state.has_markup.then_some(out)
}

/// Where the scan is: inside how many `<pre>`, `<code>` and `<a>` elements, and whether
/// the last thing written was a block element's tag.
struct State {
    pre: usize,
    code: usize,
    link: usize,
    after_block: bool,
    has_markup: bool,
}

impl State {
    fn enter(&mut self, tag: &Tag) {
        self.has_markup = true;
        self.after_block = BLOCKS.contains(&tag.name.as_str());
        let depth = match tag.name.as_str() {
            "pre" => &mut self.pre,
            "code" => &mut self.code,
            "a" => &mut self.link,
            _ => return,
        };
        if tag.closing {
            *depth = depth.saturating_sub(1);
        } else if !tag.self_closing {
            *depth += 1;
        }
    }

    /// A `<` that is no markup: an autolink, or the text `<`. Returns the bytes taken.
    fn text_lt(&mut self, rest: &str, out: &mut String) -> usize {
        let plain = self.pre == 0 && self.code == 0;
        if plain
            && self.link == 0
            && let Some(url) =
                bare_url(&rest[1..]).filter(|url| rest[1 + url.len()..].starts_with('>'))
        {
            push_link(out, url, url);
            self.after_block = false;
            return url.len() + 2;
        }
        if plain {
            self.after_block = false;
        }
        out.push_str("&lt;");
        1
    }

    /// Text outside `<pre>` and `<code>`, from its first character. Returns the bytes taken.
    fn text(&mut self, rest: &str, markup: &BTreeSet<String>, out: &mut String) -> usize {
        let c = rest.chars().next().unwrap_or(' ');
        if c == '\n' {
            let end = rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len());
            let next_is_block = tag(&rest[end..]).is_some_and(|tag| {
                markup.contains(&tag.name) && BLOCKS.contains(&tag.name.as_str())
            });
            if self.after_block || end == rest.len() || next_is_block {
                out.push(' ');
            } else {
                out.push_str("<br>");
            }
            return end;
        }
        if c.is_whitespace() {
            out.push(c);
            return c.len_utf8();
        }
        self.after_block = false;
        if c == '`' {
            return code_span(rest, out);
        }
        if self.link == 0 {
            if let Some(link) = markdown_link(rest) {
                let (label, url) = link[1..link.len() - 1].split_once("](").unwrap_or_default();
                push_link(out, url, label);
                return link.len();
            }
            if let Some(url) = bare_url(rest).filter(|url| url.len() > "https://".len()) {
                push_link(out, url, url);
                return url.len();
            }
        }
        out.push(c);
        c.len_utf8()
    }
}

/// `<a href="url">label</a>`: `url` is text, `label` HTML.
fn push_link(out: &mut String, url: &str, label: &str) {
    out.push_str("<a href=\"");
    out.push_str(&url.replace('&', "&amp;").replace('"', "&quot;"));
    out.push_str("\">");
    out.push_str(label);
    out.push_str("</a>");
}

/// A run of backticks: `<code>` up to the next run as long on the same line, else text.
fn code_span(rest: &str, out: &mut String) -> usize {
    let ticks = rest.len() - rest.trim_start_matches('`').len();
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let mut at = ticks;
    while let Some(start) = line[at..].find('`').map(|i| at + i) {
        let run = line[start..].len() - line[start..].trim_start_matches('`').len();
        if run == ticks {
            out.push_str("<code>");
            out.push_str(&line[ticks..start].replace('<', "&lt;"));
            out.push_str("</code>");
            return start + run;
        }
        at = start + run;
    }
    out.push_str(&rest[..ticks]);
    ticks
}

/// The names that are markup in `text`: HTML elements, and the names it both opens and
/// closes.
fn markup_names(text: &str) -> BTreeSet<String> {
    let mut opened = BTreeSet::new();
    let mut closed = BTreeSet::new();
    for (at, _) in text.match_indices('<') {
        if let Some(tag) = tag(&text[at..]) {
            if tag.closing {
                closed.insert(tag.name);
            } else {
                opened.insert(tag.name);
            }
        }
    }
    let mut names: BTreeSet<String> = opened.intersection(&closed).cloned().collect();
    names.extend(ELEMENTS.iter().map(|name| (*name).to_owned()));
    names
}

/// A tag at the start of `text`: `<name ...>`, `<name/>` or `</name>`.
#[derive(Debug, PartialEq)]
struct Tag {
    /// Bytes, `<` to `>`.
    len: usize,
    /// Lower case.
    name: String,
    closing: bool,
    self_closing: bool,
}

fn tag(text: &str) -> Option<Tag> {
    let rest = text.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let attributes = &rest[name_len..];
    if !attributes.starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace()) {
        return None;
    }
    // The end is the first `>` outside a quoted attribute value; a `<` before it means
    // this was text (`<a <b>`).
    let mut quote = None;
    let mut previous = ' ';
    for (at, c) in attributes.char_indices() {
        match quote {
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'') && previous == '=' => quote = Some(c),
            None if c == '<' => return None,
            None if c == '>' => {
                return Some(Tag {
                    len: text.len() - attributes.len() + at + 1,
                    name: name.to_ascii_lowercase(),
                    closing,
                    self_closing: attributes[..at].ends_with('/'),
                });
            }
            None => {}
        }
        if !c.is_whitespace() {
            previous = c;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_with_their_attributes() {
        assert_eq!(
            tag("<a href=\"x>y\" target='_blank'>link</a>"),
            Some(Tag {
                len: 30,
                name: "a".to_owned(),
                closing: false,
                self_closing: false
            })
        );
        assert_eq!(
            tag("</LI>").map(|t| (t.name, t.closing)),
            Some(("li".to_owned(), true))
        );
        assert_eq!(tag("<br/>").map(|t| t.self_closing), Some(true));
        for text in [
            "<1>",
            "< p>",
            "<a <b>",
            "<p",
            "<https://example.com>",
            "<TaskId's",
        ] {
            assert_eq!(tag(text), None, "{text}");
        }
    }

    #[test]
    fn placeholders_and_markdown_become_html() {
        // vod IncrementalMigrationOriginPrefixConfig.Prefix, with a <p> added.
        assert_eq!(
            prepare("<p>If you fill in `test/`, the address is `http(s)://<origin domain>/test/<file name>`.</p>").as_deref(),
            Some("<p>If you fill in <code>test/</code>, the address is <code>http(s)://&lt;origin domain>/test/&lt;file name></code>.</p>")
        );
        // sms SendSmsRequest.TemplateParamSet: an element the doc opens and closes.
        assert_eq!(
            prepare("Leave it empty.\n<dx-alert infotype=\"notice\" title=\"Note\">Match `TemplateId`.</dx-alert>").as_deref(),
            Some("Leave it empty.<br><dx-alert infotype=\"notice\" title=\"Note\">Match <code>TemplateId</code>.</dx-alert>")
        );
        // vod EnhanceMediaByTemplate: a Markdown link beside <font>.
        assert_eq!(
            prepare("This API is <font color=red>no longer maintained</font>. Use [revival](https://www.tencentcloud.com/document/api/266/102571?a=1&b=2).\nUse a template.").as_deref(),
            Some("This API is <font color=red>no longer maintained</font>. Use <a href=\"https://www.tencentcloud.com/document/api/266/102571?a=1&amp;b=2\">revival</a>.<br>Use a template.")
        );
        // apm DescribeGeneralMetricDataRequest.GroupBy: an autolink; a bare URL.
        assert_eq!(
            prepare("<p>see <https://intl.cloud.tencent.com/document/product/248/101681>.</p>see https://example.com/a_b.").as_deref(),
            Some("<p>see <a href=\"https://intl.cloud.tencent.com/document/product/248/101681\">https://intl.cloud.tencent.com/document/product/248/101681</a>.</p>see <a href=\"https://example.com/a_b\">https://example.com/a_b</a>.")
        );
    }

    #[test]
    fn line_breaks_between_text_are_paragraphs() {
        assert_eq!(
            prepare("Value range:\n<li>add;</li>\n<li>reset.</li>\nNote: may be null.\n")
                .as_deref(),
            Some("Value range: <li>add;</li> <li>reset.</li> Note: may be null. ")
        );
        assert_eq!(
            prepare("<b>a</b>\n\nb\tc").as_deref(),
            Some("<b>a</b><br>b\tc")
        );
    }

    #[test]
    fn pre_and_code_are_left_alone() {
        assert_eq!(
            prepare("<pre>{\n  \"a\": `x` https://e.com [b](https://e.com) <x>\n}</pre>")
                .as_deref(),
            Some("<pre>{\n  \"a\": `x` https://e.com [b](https://e.com) &lt;x>\n}</pre>")
        );
        assert_eq!(
            prepare("<a href=\"https://e.com\">https://e.com</a>").as_deref(),
            Some("<a href=\"https://e.com\">https://e.com</a>")
        );
    }

    #[test]
    fn text_without_markup_is_plain() {
        for text in [
            "Tencent Cloud <email address>",
            "`http(s)://<origin domain>/<file name>.ts`",
            "a < b > c",
            "See <https://example.com>.",
        ] {
            assert_eq!(prepare(text), None, "{text}");
        }
    }
}
