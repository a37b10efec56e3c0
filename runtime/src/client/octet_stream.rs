//! Raw-body requests (`application/octet-stream`, cls `UploadLog`): the body is bytes the
//! caller gives, signed as they are, and the request's members travel as headers named
//! `X-<SERVICE>-<Member>` (`X-CLS-TopicId`), as the official Go SDK sends them (its
//! `sendWithSignatureV3`: the request marshalled to a string map, each entry a header
//! `"X-" + upper(service) + "-" + name`). Everything else (credentials, rate limiting,
//! retries, timeouts, tracing, the JSON envelope of the answer) is the JSON path's.
//!
//! The members are read from the request serialised as a JSON object: a string is sent as
//! its text, a number or bool as its JSON text; a list or object has no header form and is
//! refused, as is a value with characters HTTP does not allow in a header, before anything
//! is signed, naming the member.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use super::{CallOptions, PerCall, Prepared, Repeat, ServiceClient, checked_repeat};
use crate::error::{InvalidRequest, SdkError};
use crate::operation::Request;

/// The Content-Type of a raw body, exactly as signed.
pub(super) const OCTET_STREAM: &str = "application/octet-stream";

/// The body of a raw-body request as a generated builder holds it: cheap to clone, and
/// its `Debug` shows only its length (it may be megabytes of someone's logs).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RawBody(Bytes);

impl RawBody {
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self(bytes.into())
    }

    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawBody({} bytes)", self.0.len())
    }
}

impl ServiceClient {
    /// Sends a request of a raw-body action: `body` as it is, with Content-Type
    /// `application/octet-stream`, and each member set in `request` as a header
    /// `X-<SERVICE>-<Member>`. Refused before anything is signed: an unset required
    /// member, a member that cannot be a header, or a caller's header (`CallOptions`)
    /// with a member header's name. Attempts are repeated after a timeout only for a read
    /// or a request carrying a non-empty `ClientToken`: no token is added to a raw body.
    pub async fn send_octet_stream<R: Request>(
        &self,
        request: &R,
        body: Bytes,
        options: &CallOptions,
    ) -> Result<R::Response, SdkError<R::Error>> {
        let action = R::ACTION;
        // No ClientToken is added to a raw body: only the caller's makes it repeatable.
        let repeat = match checked_repeat(request)? {
            Repeat::WithFreshClientToken => Repeat::when(action.read),
            repeat => repeat,
        };
        let members = member_headers(request, self.inner.service.name).map_err(|refused| {
            SdkError::InvalidRequest(match refused.member {
                Some(member) => InvalidRequest::for_member(action.name, member, refused.reason),
                None => InvalidRequest::new(action.name, None, refused.reason),
            })
        })?;
        let mut per_call = PerCall::new(action, options).map_err(SdkError::InvalidRequest)?;
        for (name, value) in members {
            if per_call.headers.contains_key(&name) {
                return Err(SdkError::InvalidRequest(InvalidRequest::new(
                    action.name,
                    None,
                    format!(
                        "header {name:?}: carries a member of the request, so it cannot be set per call"
                    ),
                )));
            }
            per_call.headers.insert(name, value);
        }
        per_call.content_type = OCTET_STREAM;
        let prepared = Prepared {
            body,
            span: self.inner.span(action, &per_call),
            per_call,
            repeatable: repeat != Repeat::No,
        };
        self.dispatch(action, prepared, options).await
    }
}

/// Why the members cannot travel as headers: `member` names the one to blame, if one is.
#[derive(Debug)]
struct Refused {
    member: Option<String>,
    reason: String,
}

/// The headers of `request`'s members that are set, read from its serialised form (as the
/// Go SDK does): a string as its text, a number or bool as its JSON text.
fn member_headers<R: Serialize>(
    request: &R,
    service: &str,
) -> Result<Vec<(HeaderName, HeaderValue)>, Refused> {
    let refused = |reason: String| Refused {
        member: None,
        reason,
    };
    let members = match serde_json::to_value(request) {
        Ok(Value::Object(members)) => members,
        Ok(_) => return Err(refused("the request is not a struct of members".to_owned())),
        Err(error) => return Err(refused(format!("cannot serialise the request: {error}"))),
    };
    let prefix = format!("x-{}-", service.to_ascii_lowercase());
    let mut headers = Vec::with_capacity(members.len());
    for (member, value) in members {
        let refuse = |reason: &str| Refused {
            member: Some(member.clone()),
            reason: reason.to_owned(),
        };
        let text = match value {
            // Not sent, as in a JSON body.
            Value::Null => continue,
            Value::String(text) => text,
            Value::Bool(flag) => flag.to_string(),
            Value::Number(number) => number.to_string(),
            Value::Array(_) | Value::Object(_) => {
                return Err(refuse(
                    "a list or object cannot travel as a header of a raw-body request",
                ));
            }
        };
        let name = HeaderName::from_bytes(format!("{prefix}{member}").as_bytes())
            .map_err(|_| refuse("its name cannot form an HTTP header name"))?;
        // HTTP would let UTF-8 through as opaque bytes, but how the server reads them is
        // unknown (the Python SDK cannot send them at all): ASCII only.
        let value = HeaderValue::from_str(&text)
            .ok()
            .filter(|_| text.is_ascii())
            .ok_or_else(|| {
                refuse("its value has characters not allowed in a header (visible ASCII, space and tab only)")
            })?;
        headers.push((name, value));
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Default)]
    struct Upload {
        #[serde(rename = "TopicId", skip_serializing_if = "Option::is_none")]
        topic_id: Option<String>,
        #[serde(rename = "Count", skip_serializing_if = "Option::is_none")]
        count: Option<i64>,
        #[serde(rename = "Fast", skip_serializing_if = "Option::is_none")]
        fast: Option<bool>,
        #[serde(rename = "Tags", skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<String>>,
    }

    fn headers(request: &Upload) -> Result<Vec<(String, String)>, Refused> {
        member_headers(request, "cls").map(|headers| {
            headers
                .into_iter()
                .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
                .collect()
        })
    }

    #[test]
    fn set_scalars_become_headers_as_their_text() {
        let request = Upload {
            topic_id: Some("f6c4fa6f-1".to_owned()),
            count: Some(-3),
            fast: Some(true),
            tags: None,
        };
        let mut sent = headers(&request).unwrap();
        sent.sort();
        assert_eq!(
            sent,
            [
                ("x-cls-count".to_owned(), "-3".to_owned()),
                ("x-cls-fast".to_owned(), "true".to_owned()),
                ("x-cls-topicid".to_owned(), "f6c4fa6f-1".to_owned()),
            ]
        );
        assert!(headers(&Upload::default()).unwrap().is_empty());
    }

    #[test]
    fn a_list_is_refused_naming_the_member() {
        let request = Upload {
            tags: Some(vec!["a".to_owned()]),
            ..Upload::default()
        };
        let refused = headers(&request).unwrap_err();
        assert_eq!(refused.member.as_deref(), Some("Tags"));
        assert!(refused.reason.contains("list or object"), "{refused:?}");
    }

    #[test]
    fn a_value_that_cannot_be_a_header_is_refused_naming_the_member() {
        for bad in ["line\nbreak", "未命名", "nul\0"] {
            let request = Upload {
                topic_id: Some(bad.to_owned()),
                ..Upload::default()
            };
            let refused = headers(&request).unwrap_err();
            assert_eq!(refused.member.as_deref(), Some("TopicId"), "{bad:?}");
        }
    }

    #[test]
    fn a_request_that_is_not_a_struct_is_refused() {
        let refused = member_headers(&vec![1, 2], "cls").unwrap_err();
        assert!(refused.reason.contains("not a struct"), "{refused:?}");
    }

    #[test]
    fn raw_body_debug_shows_the_length_only() {
        let body = RawBody::new(b"secret log line".to_vec());
        assert_eq!(format!("{body:?}"), "RawBody(15 bytes)");
    }
}
