//! Reading the API 3.0 envelope: `{"Response": {..., "RequestId": "..."}}`, with
//! `Response.Error` for errors (which may come with any HTTP status).
//!
//! Two passes over the body, each one serde_json scan with no intermediate tree: [`check`]
//! reads only the members every envelope shares, once per answer (it is not generic; the
//! retry loop decides with it), then, for a final success, [`finish`] reads `Response`
//! into the action's output.

use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::error::{ErrorKind, ErrorMeta, InvalidResponse, SdkError, ServiceError};

/// Status and body of an HTTP response, as received.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// A checked envelope.
#[derive(Debug)]
pub(crate) enum Envelope {
    /// `Response` is an object with a RequestId and no `Error`.
    Success {
        request_id: String,
    },
    Error(ErrorMeta),
}

#[derive(Deserialize)]
struct Outer<R> {
    #[serde(rename = "Response")]
    response: Option<R>,
}

// Only the members every response shares; serde skips the rest.
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
    #[serde(rename = "Error")]
    error: Option<ErrorBody>,
    #[serde(rename = "DeprecatedWarning")]
    deprecated_warning: Option<Warning>,
}

/// `Response.DeprecatedWarning`, whatever its shape: it is only logged.
type Warning = serde_json::Value;

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
}

/// Checks the envelope of `raw`. An `Error` object wins over the HTTP status; a non-2xx
/// status without one is an [`InvalidResponse`].
/// `text` is the body, already checked to be UTF-8.
fn parse(raw: &RawResponse, text: &str) -> Result<(Envelope, Option<Warning>), InvalidResponse> {
    let invalid = |problem: &'static str, request_id: Option<String>| {
        InvalidResponse::new(raw.status, problem, request_id, &raw.body)
    };
    let head = match serde_json::from_str::<Outer<Head>>(text) {
        Ok(Outer {
            response: Some(head),
        }) => head,
        Ok(Outer { response: None }) => return Err(invalid("no `Response` object", None)),
        // serde_json's syntax errors give a position, never the text around it.
        Err(error) if error.is_syntax() || error.is_eof() => {
            return Err(InvalidResponse::new(
                raw.status,
                format!("body is not JSON ({error})"),
                None,
                &raw.body,
            ));
        }
        // Valid JSON of the wrong shape: say which level is wrong. Only failures pay for
        // this second look.
        Err(_) => {
            let problem = match serde_json::from_str::<Outer<IgnoredAny>>(text) {
                Ok(Outer { response: Some(_) }) => {
                    "`Response` is not an object with string `RequestId` and object `Error`"
                }
                _ => "no `Response` object",
            };
            return Err(invalid(problem, None));
        }
    };
    let warning = head.deprecated_warning;
    if let Some(error) = head.error {
        let Some(code) = error.code else {
            return Err(invalid("`Response.Error.Code` missing", head.request_id));
        };
        // A missing message or RequestId should not hide the code, which is what callers
        // match on; ErrorMeta documents the empty values.
        let meta = ErrorMeta::new(
            code,
            error.message.unwrap_or_default(),
            head.request_id.unwrap_or_default(),
        );
        return Ok((Envelope::Error(meta), warning));
    }
    let Some(request_id) = head.request_id else {
        return Err(invalid("`Response.RequestId` missing", None));
    };
    if !(200..300).contains(&raw.status) {
        return Err(invalid(
            "error status without `Response.Error`",
            Some(request_id),
        ));
    }
    Ok((Envelope::Success { request_id }, warning))
}

/// The body as text, validated as UTF-8 once, in bulk: serde_json reads `&str` faster than
/// bytes, whose strings it must validate one by one. JSON is UTF-8 (RFC 8259).
fn text(raw: &RawResponse) -> Result<&str, InvalidResponse> {
    std::str::from_utf8(&raw.body).map_err(|error| {
        InvalidResponse::new(
            raw.status,
            format!(
                "body is not UTF-8 text (invalid byte at offset {})",
                error.valid_up_to()
            ),
            None,
            &raw.body,
        )
    })
}

/// An answer's envelope, read once: the retry loop decides with it, and [`finish`] turns
/// the final one into the output or error.
#[derive(Debug)]
pub(crate) struct Checked {
    envelope: Result<(Envelope, Option<Warning>), InvalidResponse>,
}

/// What an attempt's answer means for retrying.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Peek<'a> {
    Success {
        request_id: &'a str,
    },
    Error {
        code: &'a str,
        request_id: &'a str,
    },
    /// Not an API 3.0 envelope (e.g. a gateway's HTML error page).
    NotApi,
}

/// Reads the envelope of `raw`, without logging: only the final answer is logged, by
/// [`finish`].
pub(crate) fn check(raw: &RawResponse) -> Checked {
    Checked {
        envelope: text(raw).and_then(|text| parse(raw, text)),
    }
}

impl Checked {
    pub(crate) fn peek(&self) -> Peek<'_> {
        match &self.envelope {
            Ok((Envelope::Success { request_id }, _)) => Peek::Success { request_id },
            Ok((Envelope::Error(meta), _)) => Peek::Error {
                code: meta.code(),
                request_id: meta.request_id(),
            },
            Err(_) => Peek::NotApi,
        }
    }
}

/// Turns a response into the action's output or error.
pub fn decode<O: DeserializeOwned, K: ErrorKind>(raw: &RawResponse) -> Result<O, SdkError<K>> {
    finish(raw, check(raw))
}

/// Turns a response whose envelope `checked` holds into the action's output or error;
/// records its RequestId on the current span and logs its DeprecatedWarning.
pub(crate) fn finish<O: DeserializeOwned, K: ErrorKind>(
    raw: &RawResponse,
    checked: Checked,
) -> Result<O, SdkError<K>> {
    let (envelope, warning) = checked.envelope.map_err(SdkError::InvalidResponse)?;
    let request_id = match &envelope {
        Envelope::Success { request_id } => request_id.as_str(),
        Envelope::Error(meta) => meta.request_id(),
    };
    // Fills the field declared by the call's span, if there is one.
    tracing::Span::current().record("request_id", request_id);
    if let Some(warning) = &warning {
        tracing::warn!(
            request_id,
            deprecated_warning = %warning,
            "the API reports that this action or a parameter is deprecated"
        );
    }
    match envelope {
        Envelope::Error(meta) => Err(SdkError::Service(ServiceError::new(meta))),
        Envelope::Success { request_id } => {
            // `check` validated the body as UTF-8 before it could find a success.
            let text = text(raw).map_err(SdkError::InvalidResponse)?;
            match serde_json::from_str::<Outer<O>>(text) {
                Ok(Outer {
                    response: Some(output),
                }) => Ok(output),
                // `parse` saw a `Response` object, so only a mismatch can end here.
                _ => Err(SdkError::InvalidResponse(InvalidResponse::new(
                    raw.status,
                    mismatch::<O>(text),
                    Some(request_id),
                    &raw.body,
                ))),
            }
        }
    }
}

/// `text`, what a `Response` object holds (an event's data), decoded as `O`; the error
/// names the offending field's path, as [`finish`]'s does.
pub(crate) fn decode_member<O: DeserializeOwned>(text: &str) -> Result<O, String> {
    serde_json::from_str(text).map_err(|_| {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, O>(&mut deserializer) {
            Ok(_) => format!("does not match {}", std::any::type_name::<O>()),
            Err(error) => format!(
                "`{}` does not match {}: {}",
                error.path(),
                std::any::type_name::<O>(),
                error.inner()
            ),
        }
    })
}

/// Why `Response` in `body` does not decode as `O`, naming the offending field's path
/// (`Response.IpInfoSet[1].Count`). The path is tracked only here, on the failure path,
/// by decoding a second time: successful decodes pay nothing for it.
fn mismatch<O: DeserializeOwned>(body: &str) -> String {
    let mut deserializer = serde_json::Deserializer::from_str(body);
    match serde_path_to_error::deserialize::<_, Outer<O>>(&mut deserializer) {
        Ok(_) => format!("`Response` does not match {}", std::any::type_name::<O>()),
        Err(error) => format!(
            "`{}` does not match {}: {}",
            error.path(),
            std::any::type_name::<O>(),
            error.inner()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for a generated `<Action>Error`.
    #[derive(Debug)]
    enum TestError {
        NotFound,
        Unhandled,
    }

    impl ErrorKind for TestError {
        fn from_code(code: &str) -> Self {
            match code {
                "ResourceNotFound.Thing" => Self::NotFound,
                _ => Self::Unhandled,
            }
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Output {
        #[serde(rename = "RequestId")]
        request_id: String,
        #[serde(rename = "TotalCount")]
        total_count: u64,
        #[serde(rename = "DeprecatedWarning")]
        deprecated_warning: Option<serde_json::Value>,
    }

    fn decode_body(status: u16, body: &str) -> Result<Output, SdkError<TestError>> {
        decode(&RawResponse {
            status,
            body: body.as_bytes().to_vec(),
        })
    }

    fn invalid(result: Result<Output, SdkError<TestError>>) -> InvalidResponse {
        match result {
            Err(SdkError::InvalidResponse(invalid)) => invalid,
            other => panic!("expected InvalidResponse, got {other:?}"),
        }
    }

    #[test]
    fn success() {
        let out = decode_body(
            200,
            r#"{"Response":{"TotalCount":18446744073709551615,"RequestId":"r-1"}}"#,
        )
        .expect("success");
        assert_eq!(
            out,
            Output {
                request_id: "r-1".into(),
                total_count: u64::MAX,
                deprecated_warning: None
            }
        );
    }

    #[test]
    fn error_with_200_is_a_service_error() {
        let err = decode_body(
            200,
            r#"{"Response":{"Error":{"Code":"ResourceNotFound.Thing","Message":"gone"},"RequestId":"r-2"}}"#,
        )
        .expect_err("error envelope");
        assert_eq!(err.code(), Some("ResourceNotFound.Thing"));
        assert_eq!(err.message(), Some("gone"));
        assert_eq!(err.request_id(), Some("r-2"));
        assert_eq!(
            err.to_string(),
            "ResourceNotFound.Thing: gone (RequestId: r-2)"
        );
        let service = err.into_service_error().expect("a service error");
        assert!(matches!(service.kind(), TestError::NotFound));
    }

    #[test]
    fn error_with_400_is_still_a_service_error() {
        let err = decode_body(
            400,
            r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad"},"RequestId":"r-3"}}"#,
        )
        .expect_err("error envelope");
        let service = err.service_error().expect("service error");
        assert!(matches!(service.kind(), TestError::Unhandled));
        assert_eq!(service.meta().request_id(), "r-3");
    }

    #[test]
    fn non_json_names_status_and_excerpt() {
        let invalid = invalid(decode_body(502, "<html>Bad Gateway</html>"));
        assert_eq!(invalid.status(), 502);
        assert!(invalid.problem().starts_with("body is not JSON"));
        assert_eq!(invalid.body_excerpt(), Some("<html>Bad Gateway</html>"));
        let text = invalid.to_string();
        assert!(
            text.contains("502") && text.contains("Bad Gateway"),
            "{text}"
        );
    }

    #[test]
    fn missing_response_object() {
        for body in [r#"{"response":{}}"#, "[]", "null", "42"] {
            assert_eq!(
                invalid(decode_body(200, body)).problem(),
                "no `Response` object",
                "{body}"
            );
        }
        let wrong_shape = invalid(decode_body(200, r#"{"Response":"x"}"#));
        assert!(wrong_shape.problem().contains("not an object"));
    }

    #[test]
    fn missing_request_id() {
        let invalid = invalid(decode_body(200, r#"{"Response":{"TotalCount":1}}"#));
        assert_eq!(invalid.problem(), "`Response.RequestId` missing");
        assert_eq!(invalid.request_id(), None);
    }

    #[test]
    fn error_status_without_envelope() {
        let invalid = invalid(decode_body(503, r#"{"Response":{"RequestId":"r-4"}}"#));
        assert_eq!(invalid.status(), 503);
        assert_eq!(invalid.request_id(), Some("r-4"));
        let empty = self::invalid(decode_body(500, ""));
        assert_eq!(empty.status(), 500);
        assert!(empty.problem().starts_with("body is not JSON"), "{empty}");
    }

    #[test]
    fn a_body_that_is_not_utf8_says_so() {
        let raw = RawResponse {
            status: 200,
            body: b"{\"Response\":{\"RequestId\":\"r-\xff\"}}".to_vec(),
        };
        let invalid = invalid(decode::<Output, TestError>(&raw));
        assert_eq!(
            invalid.problem(),
            "body is not UTF-8 text (invalid byte at offset 28)"
        );
        assert_eq!(check(&raw).peek(), Peek::NotApi);
    }

    #[test]
    fn broken_json_is_located_not_quoted() {
        // An sts answer cut short: the problem gives the position, the secret stays out.
        let body = r#"{"Response":{"Credentials":{"TmpSecretKey":"hunter2","Tok"#;
        let invalid = invalid(decode_body(200, body));
        assert_eq!(invalid.body_excerpt(), None);
        assert!(invalid.problem().contains("column"), "{invalid}");
        assert!(!invalid.to_string().contains("hunter2"), "{invalid}");
    }

    #[test]
    fn output_mismatch_names_the_type_and_keeps_the_request_id() {
        let invalid = invalid(decode_body(
            200,
            r#"{"Response":{"TotalCount":"many","RequestId":"r-5"}}"#,
        ));
        assert!(
            invalid
                .problem()
                .starts_with("`Response.TotalCount` does not match ")
                && invalid
                    .problem()
                    .contains("Output: invalid type: string \"many\""),
            "{}",
            invalid.problem()
        );
        assert_eq!(invalid.request_id(), Some("r-5"));
        let missing = self::invalid(decode_body(200, r#"{"Response":{"RequestId":"r-6"}}"#));
        assert!(
            missing.problem().starts_with("`Response` does not match ")
                && missing.problem().contains("missing field `TotalCount`"),
            "{}",
            missing.problem()
        );
    }

    #[test]
    fn peek_tells_success_error_and_foreign_bodies_apart() {
        let check_body = |status, body: &str| {
            check(&RawResponse {
                status,
                body: body.as_bytes().to_vec(),
            })
        };
        assert_eq!(
            check_body(200, r#"{"Response":{"RequestId":"r"}}"#).peek(),
            Peek::Success { request_id: "r" }
        );
        assert_eq!(
            check_body(
                400,
                r#"{"Response":{"Error":{"Code":"RequestLimitExceeded"},"RequestId":"r"}}"#
            )
            .peek(),
            Peek::Error {
                code: "RequestLimitExceeded",
                request_id: "r"
            }
        );
        assert_eq!(check_body(503, "<html>busy</html>").peek(), Peek::NotApi);
        assert_eq!(
            check_body(500, r#"{"Response":{"RequestId":"r"}}"#).peek(),
            Peek::NotApi
        );
        assert_eq!(check_body(200, "[1]").peek(), Peek::NotApi);
    }

    #[test]
    fn deprecated_warning_is_left_for_the_output() {
        let out = decode_body(
            200,
            r#"{"Response":{"TotalCount":1,"DeprecatedWarning":["Limit"],"RequestId":"r-6"}}"#,
        )
        .expect("success");
        assert_eq!(out.deprecated_warning, Some(serde_json::json!(["Limit"])));
    }

    #[test]
    fn error_without_code_or_with_odd_members() {
        let invalid = invalid(decode_body(
            400,
            r#"{"Response":{"Error":{"Message":"?"},"RequestId":"r-7"}}"#,
        ));
        assert_eq!(invalid.problem(), "`Response.Error.Code` missing");
        assert_eq!(invalid.request_id(), Some("r-7"));

        let err = decode_body(500, r#"{"Response":{"Error":{"Code":"InternalError"}}}"#)
            .expect_err("error envelope");
        assert_eq!(err.code(), Some("InternalError"));
        assert_eq!(err.request_id(), Some(""));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_body(status in 0u16..1000, body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = decode::<Output, TestError>(&RawResponse { status, body });
        }
    }
}
