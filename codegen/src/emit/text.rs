//! What both doc paths (`docs` for plain text, `html` for HTML) recognise in schema
//! text: links and URLs to keep, characters rustc refuses in a comment.

/// `[text](url)` at the start of `text`, kept as a link (catalog docs use them).
pub fn markdown_link(text: &str) -> Option<&str> {
    let label_end = text.strip_prefix('[')?.find(']')? + 1;
    let label = &text[1..label_end];
    if label.contains(['[', '`']) {
        return None;
    }
    let target = text[label_end + 1..].strip_prefix('(')?;
    let target_end = target.find(')')?;
    let url = &target[..target_end];
    let is_url = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace);
    is_url.then(|| &text[..label_end + 2 + target_end + 1])
}

/// A URL at the start of `text`, which rustdoc wants as `<url>`; trailing punctuation
/// is left out.
pub fn bare_url(text: &str) -> Option<&str> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let end = text
        .find(|c: char| !c.is_ascii_graphic() || matches!(c, '<' | '>' | '`' | '"' | '(' | ')'))
        .unwrap_or(text.len());
    Some(text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', ']']))
}

/// Characters that rustc rejects or lints in comments, or that would end one.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}')
}
