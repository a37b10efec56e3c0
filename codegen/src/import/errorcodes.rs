//! Parser for the Python SDK's `errorcodes.py`
//! (`tencentcloud/<service>/v<YYYYMMDD>/errorcodes.py` in `tencentcloud-sdk-python-intl-en`).
//!
//! The file is a list of constants, each preceded by a one-line comment that
//! describes it:
//!
//! ```text
//! # Operation failed.
//! FAILEDOPERATION = 'FailedOperation'
//! ```
//!
//! The comment block directly above an assignment (no blank line between) is its
//! description; other comments (the licence header) are skipped. Anything that is
//! neither a comment, a blank line nor such an assignment is an error, so a change
//! of layout upstream is noticed instead of silently losing codes.

use std::path::Path;

use crate::schema::model::ErrorCode;

use super::ImportError;

/// Reads and parses one `errorcodes.py`; codes come back in file order.
pub fn load(path: &Path) -> Result<Vec<ErrorCode>, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse(&text).map_err(|(line, message)| ImportError::ErrorCodes {
        path: path.to_owned(),
        line,
        message,
    })
}

/// Parses the text of an `errorcodes.py`. On failure returns the 1-based line
/// number and what was wrong with it.
pub fn parse(text: &str) -> Result<Vec<ErrorCode>, (usize, String)> {
    let mut codes = Vec::new();
    let mut comment: Vec<&str> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if let Some(rest) = line.strip_prefix('#') {
            comment.push(rest.strip_prefix(' ').unwrap_or(rest));
        } else if line.is_empty() {
            comment.clear();
        } else {
            let code = assigned_string(line).ok_or_else(|| {
                (
                    index + 1,
                    format!("expected `NAME = 'Code'`, a comment or a blank line, found `{line}`"),
                )
            })?;
            codes.push(ErrorCode {
                code: code.to_owned(),
                description: comment.join("\n"),
            });
            comment.clear();
        }
    }
    Ok(codes)
}

/// The string literal of `NAME = 'value'` (or `"value"`), if `line` is one.
fn assigned_string(line: &str) -> Option<&str> {
    let (name, value) = line.split_once('=')?;
    let name = name.trim();
    let is_identifier = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !is_identifier {
        return None;
    }
    let value = value.trim();
    ['\'', '"'].into_iter().find_map(|quote| {
        value
            .strip_prefix(quote)?
            .strip_suffix(quote)
            .filter(|inner| !inner.contains(quote) && !inner.contains('\\'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "# -*- coding: utf8 -*-\n\
# Copyright (c) 2017-2025 Tencent. All Rights Reserved.\n\
\n\
\n\
# Operation failed.\n\
FAILEDOPERATION = 'FailedOperation'\n\
\n\
# 参数错误 (non-ASCII is kept).\n\
INVALIDPARAMETER = \"InvalidParameter\"\n\
\n\
UNDESCRIBED = 'ResourceNotFound.Zone'\n\
\n\
# First line.\n\
# Second line.\n\
LIMITEXCEEDED_QUOTA = 'LimitExceeded.Quota'\n";

    fn code(code: &str, description: &str) -> ErrorCode {
        ErrorCode {
            code: code.to_owned(),
            description: description.to_owned(),
        }
    }

    #[test]
    fn parses_codes_with_their_comment_in_file_order() {
        assert_eq!(
            parse(FIXTURE),
            Ok(vec![
                code("FailedOperation", "Operation failed."),
                code("InvalidParameter", "参数错误 (non-ASCII is kept)."),
                code("ResourceNotFound.Zone", ""),
                code("LimitExceeded.Quota", "First line.\nSecond line."),
            ])
        );
    }

    #[test]
    fn rejects_an_unexpected_line_with_its_number() {
        let error = parse("# ok\nA = 'A'\nimport os\n").unwrap_err();
        assert_eq!(error.0, 3);
        assert!(error.1.contains("import os"), "{}", error.1);
    }

    #[test]
    fn rejects_a_value_that_is_not_a_plain_string() {
        assert!(parse("A = B\n").is_err());
        assert!(parse("A = 'x' + 'y'\n").is_err());
    }
}
