//! Raw-body requests (`application/octet-stream`, cls `UploadLog`): the body is bytes the
//! caller gives, signed as they are, and the request's members travel as headers named
//! `X-<SERVICE>-<Member>` (`X-CLS-TopicId`), as the official Go SDK sends them (its
//! `sendWithSignatureV3`: the request marshalled to a string map, each entry a header
//! `"X-" + upper(service) + "-" + name`). Everything else (credentials, rate limiting,
//! retries, timeouts, tracing, the JSON envelope of the answer) is the JSON path's.
//!
//! The members are read through the request's own `Serialize`, whose struct fields carry
//! their wire names as `&'static str`: a member that cannot be a header is named in the
//! error without copying names around. A string is sent as its text, a number or bool as
//! its JSON text; a list or object has no header form and is refused, as is a value with
//! characters HTTP does not allow in a header, before anything is signed.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde::ser::{self, Impossible};
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
            SdkError::InvalidRequest(InvalidRequest::new(
                action.name,
                refused.member,
                refused.reason,
            ))
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

/// Why a member cannot travel as a header.
#[derive(Debug)]
struct Refused {
    /// `None` when the request is not a struct at all.
    member: Option<&'static str>,
    reason: String,
}

/// The headers of `request`'s members that are set, in the order of its fields.
fn member_headers<R: Serialize>(
    request: &R,
    service: &str,
) -> Result<Vec<(HeaderName, HeaderValue)>, Refused> {
    let mut collector = Headers {
        prefix: format!("x-{}-", service.to_ascii_lowercase()),
        headers: Vec::new(),
    };
    request
        .serialize(&mut collector)
        .map_err(|error| match error {
            Error::Member(refused) => refused,
            Error::NotAStruct(reason) => Refused {
                member: None,
                reason,
            },
        })?;
    Ok(collector.headers)
}

/// A serializer that accepts one struct (a generated request) and turns each field into
/// a header.
struct Headers {
    /// `x-<service>-`, lower-cased as `HeaderName` keeps names.
    prefix: String,
    headers: Vec<(HeaderName, HeaderValue)>,
}

#[derive(Debug)]
enum Error {
    Member(Refused),
    /// The request did not serialise as a struct (never for a generated one).
    NotAStruct(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Member(refused) => f.write_str(&refused.reason),
            Error::NotAStruct(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::NotAStruct(message.to_string())
    }
}

impl Headers {
    fn member(&mut self, member: &'static str, value: Value) -> Result<(), Error> {
        let refuse = |reason: &str| {
            Error::Member(Refused {
                member: Some(member),
                reason: reason.to_owned(),
            })
        };
        let text = match value {
            // Not sent, as in a JSON body.
            Value::Null => return Ok(()),
            Value::String(text) => text,
            Value::Bool(flag) => flag.to_string(),
            Value::Number(number) => number.to_string(),
            Value::Array(_) | Value::Object(_) => {
                return Err(refuse(
                    "a list or object cannot travel as a header of a raw-body request",
                ));
            }
        };
        let name = HeaderName::from_bytes(format!("{}{member}", self.prefix).as_bytes())
            .map_err(|_| refuse("its name cannot form an HTTP header name"))?;
        // HTTP would let UTF-8 through as opaque bytes, but how the server reads them is
        // unknown (the Python SDK cannot send them at all): ASCII only.
        let value = HeaderValue::from_str(&text)
            .ok()
            .filter(|_| text.is_ascii())
            .ok_or_else(|| {
                refuse("its value has characters not allowed in a header (visible ASCII, space and tab only)")
            })?;
        self.headers.push((name, value));
        Ok(())
    }
}

/// What the serializer refuses: anything but a struct at the top.
fn not_a_struct<T>() -> Result<T, Error> {
    Err(Error::NotAStruct(
        "the request is not a struct of members".to_owned(),
    ))
}

impl ser::SerializeStruct for &mut Headers {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value).map_err(|error| {
            Error::Member(Refused {
                member: Some(key),
                reason: format!("cannot serialise it: {error}"),
            })
        })?;
        self.member(key, value)
    }

    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

macro_rules! refuse_all {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<(), Error> { not_a_struct() })*
    };
}

impl ser::Serializer for &mut Headers {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }

    refuse_all!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Error> {
        not_a_struct()
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        not_a_struct()
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        not_a_struct()
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        not_a_struct()
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        not_a_struct()
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        not_a_struct()
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        not_a_struct()
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        not_a_struct()
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        not_a_struct()
    }
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
        assert_eq!(
            headers(&request).unwrap(),
            [
                ("x-cls-topicid".to_owned(), "f6c4fa6f-1".to_owned()),
                ("x-cls-count".to_owned(), "-3".to_owned()),
                ("x-cls-fast".to_owned(), "true".to_owned()),
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
        assert_eq!(refused.member, Some("Tags"));
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
            assert_eq!(refused.member, Some("TopicId"), "{bad:?}");
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
