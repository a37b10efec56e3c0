//! Schema text → rustdoc attributes that can neither break the build nor the docs.
//!
//! About a fifth of the catalog's docs are HTML: those are converted to Markdown by
//! `html`, which upholds the same guarantees. The rest is plain text, not Rust-flavoured
//! markdown. Left as is, an indented line or a ``` fence would become a doctest (and
//! fail), `[x]` a broken intra-doc link, `<a>` an HTML tag, a bidi control character a
//! hard error. So: every source line becomes its own paragraph (keeping the catalog's
//! line breaks and avoiding markdown list-continuation lints), leading whitespace is
//! dropped (no indented code blocks), fences are escaped (no code blocks at all),
//! `[ ] < >` are escaped outside inline code and `[text](https://...)` links, bare URLs
//! become `<https://...>`, and control and bidi characters become spaces.

use proc_macro2::TokenStream;
use quote::quote;

use super::html;
use super::text::{bare_url, is_unsafe_char, markdown_link};

/// `#[doc = ...]` attributes for `text` (nothing for empty text).
pub fn doc(text: &str) -> TokenStream {
    attrs(&markdown(&[text]))
}

/// `#![doc = ...]` attributes: the module's own documentation.
pub fn inner_doc(text: &str) -> TokenStream {
    let mut tokens = TokenStream::new();
    for line in markdown(&[text]) {
        let line = doc_line(&line);
        tokens.extend(quote!(#![doc = #line]));
    }
    tokens
}

/// `doc` of several parts, each separated by an empty line; empty parts are skipped.
pub fn doc_parts(parts: &[&str]) -> TokenStream {
    attrs(&markdown(parts))
}

/// `#[doc = ...]` attributes for Markdown lines taken as they are: the output of
/// `markdown`, and sections the generator writes itself (`example`).
pub fn attrs(lines: &[String]) -> TokenStream {
    let mut tokens = TokenStream::new();
    for line in lines {
        let line = doc_line(line);
        tokens.extend(quote!(#[doc = #line]));
    }
    tokens
}

/// The safe Markdown of schema texts, one line per element, each text its own
/// paragraphs: HTML converted by `html`, plain text one paragraph per source line.
pub fn markdown(texts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        let lines = match html::to_markdown(text) {
            Some(lines) => lines,
            None => paragraphs(text),
        };
        if lines.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(lines);
    }
    out
}

/// A doc attribute's text: rustdoc strips the one space every line starts with.
fn doc_line(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// Plain text: its non-empty lines made safe, separated by empty lines.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines(text) {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(line);
    }
    out
}

/// The non-empty lines of `text`, made safe.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(clean_line)
        .filter(|line| !line.is_empty())
        .collect()
}

fn clean_line(line: &str) -> String {
    let line: String = line
        .chars()
        .map(|c| if is_unsafe_char(c) { ' ' } else { c })
        .collect();
    let line = line.trim();
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    // A fence would open a code block: escape its first character.
    if line.starts_with("```") || line.starts_with("~~~") {
        out.push('\\');
        out.push_str(&line[..1]);
        rest = &line[1..];
    }
    let mut in_code = false;
    while let Some(c) = rest.chars().next() {
        if !in_code {
            if let Some(link) = markdown_link(rest) {
                out.push_str(link);
                rest = &rest[link.len()..];
                continue;
            }
            // An autolink the text already wrote (`<https://...>`) stays one.
            if let Some(url) = rest.strip_prefix('<').and_then(bare_url)
                && rest[1 + url.len()..].starts_with('>')
            {
                out.push_str(&format!("<{url}>"));
                rest = &rest[url.len() + 2..];
                continue;
            }
            if let Some(url) = bare_url(rest) {
                out.push_str(&format!("<{url}>"));
                rest = &rest[url.len()..];
                continue;
            }
        }
        let after = &rest[c.len_utf8()..];
        match c {
            // An escape sequence stays as it is (and `\`` opens no code span).
            '\\' if !in_code => {
                if let Some(escaped) = after.chars().next() {
                    out.push(c);
                    out.push(escaped);
                    rest = &after[escaped.len_utf8()..];
                    continue;
                }
            }
            // A backtick with no partner is literal text, not the start of code.
            '`' if !in_code && !after.contains('`') => out.push('\\'),
            '`' => in_code = !in_code,
            '[' | ']' | '<' | '>' if !in_code => out.push('\\'),
            _ => {}
        }
        out.push(c);
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_made_safe_for_rustdoc() {
        assert_eq!(
            lines(concat!(
                "    let x = 1;\n\n```\ncode\n```\n",
                "See [docs](x) <a>`Vec<T>`</a>\tend\u{202E}!\n",
                "[the console](https://example.com/a?b=1) or https://example.com/c. [x]\n",
                "odd \\` and ` then <li>",
            )),
            [
                "let x = 1;",
                "\\```",
                "code",
                "\\```",
                "See \\[docs\\](x) \\<a\\>`Vec<T>`\\</a\\> end !",
                "[the console](https://example.com/a?b=1) or <https://example.com/c>. \\[x\\]",
                "odd \\` and \\` then \\<li\\>",
            ]
        );
        assert_eq!(lines("边缘可用区"), ["边缘可用区"]);
        assert_eq!(
            lines("see <https://example.com/a> or <b>"),
            ["see <https://example.com/a> or \\<b\\>"]
        );
        assert!(doc("").is_empty());
    }

    #[test]
    fn each_part_is_its_own_paragraphs_html_converted() {
        assert_eq!(
            markdown(&[
                "<p>Valid [values]:</p><ul><li>`a`</li></ul>",
                "",
                "Line 1\n[x]"
            ]),
            [
                "Valid \\[values\\]:",
                "",
                "- `a`",
                "",
                "Line 1",
                "",
                "\\[x\\]"
            ]
        );
    }
}
