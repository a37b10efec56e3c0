//! Errors of a call: what the service answered ([`ServiceError`], [`CommonError`]) and
//! everything that can go wrong around it ([`SdkError`]).

use std::borrow::Cow;
use std::fmt;

use crate::credentials::CredentialsError;

/// Code, message and RequestId of an error envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMeta {
    code: String,
    message: String,
    request_id: String,
}

impl ErrorMeta {
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        request_id: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            request_id: request_id.into(),
        }
    }

    /// The dotted error code, e.g. `AuthFailure.SignatureExpire`.
    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Empty only if the server left `Response.RequestId` out of an error envelope.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
}

impl fmt::Display for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (RequestId: {})",
            self.code, self.message, self.request_id
        )
    }
}

impl std::error::Error for ErrorMeta {}

/// The typed error of one action, generated per action (`<Action>Error`).
pub trait ServiceError: std::error::Error + Send + Sync + 'static {
    /// Picks the variant for `meta.code()`, falling back to `Unhandled`.
    fn from_meta(meta: ErrorMeta) -> Self;
    fn meta(&self) -> &ErrorMeta;
}

macro_rules! common_errors {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)+) => {
        /// Codes any action can return (Tencent Cloud's "common error codes").
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum CommonError {
            $($(#[$doc])* #[doc = concat!("`", $code, "`")] $variant(ErrorMeta),)+
        }

        impl CommonError {
            /// Every common code, in the order of the enum.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The common error for `meta.code()`, or `meta` back if the code is not common.
            pub fn from_meta(meta: ErrorMeta) -> Result<Self, ErrorMeta> {
                match meta.code() {
                    $($code => Ok(Self::$variant(meta)),)+
                    _ => Err(meta),
                }
            }

            pub fn meta(&self) -> &ErrorMeta {
                match self {
                    $(Self::$variant(meta))|+ => meta,
                }
            }
        }
    };
}

common_errors! {
    ActionOffline = "ActionOffline",
    AuthFailureInvalidAuthorization = "AuthFailure.InvalidAuthorization",
    AuthFailureInvalidSecretId = "AuthFailure.InvalidSecretId",
    AuthFailureMfaFailure = "AuthFailure.MFAFailure",
    AuthFailureSecretIdNotFound = "AuthFailure.SecretIdNotFound",
    /// The timestamp is more than 5 minutes away from the server's clock.
    AuthFailureSignatureExpire = "AuthFailure.SignatureExpire",
    AuthFailureSignatureFailure = "AuthFailure.SignatureFailure",
    AuthFailureTokenFailure = "AuthFailure.TokenFailure",
    AuthFailureUnauthorizedOperation = "AuthFailure.UnauthorizedOperation",
    DryRunOperation = "DryRunOperation",
    FailedOperation = "FailedOperation",
    InternalError = "InternalError",
    InvalidAction = "InvalidAction",
    InvalidParameter = "InvalidParameter",
    InvalidParameterValue = "InvalidParameterValue",
    InvalidRequest = "InvalidRequest",
    IpInBlacklist = "IpInBlacklist",
    IpNotInWhitelist = "IpNotInWhitelist",
    LimitExceeded = "LimitExceeded",
    MissingParameter = "MissingParameter",
    NoSuchProduct = "NoSuchProduct",
    NoSuchVersion = "NoSuchVersion",
    RequestLimitExceeded = "RequestLimitExceeded",
    RequestLimitExceededGlobalRegionUinLimitExceeded = "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
    RequestLimitExceededIpLimitExceeded = "RequestLimitExceeded.IPLimitExceeded",
    RequestLimitExceededUinLimitExceeded = "RequestLimitExceeded.UinLimitExceeded",
    RequestSizeLimitExceeded = "RequestSizeLimitExceeded",
    ResourceInUse = "ResourceInUse",
    ResourceInsufficient = "ResourceInsufficient",
    ResourceNotFound = "ResourceNotFound",
    ResourceUnavailable = "ResourceUnavailable",
    ResponseSizeLimitExceeded = "ResponseSizeLimitExceeded",
    ServiceUnavailable = "ServiceUnavailable",
    UnauthorizedOperation = "UnauthorizedOperation",
    UnknownParameter = "UnknownParameter",
    UnsupportedOperation = "UnsupportedOperation",
    UnsupportedProtocol = "UnsupportedProtocol",
    UnsupportedRegion = "UnsupportedRegion",
}

impl CommonError {
    pub fn code(&self) -> &str {
        self.meta().code()
    }

    pub fn message(&self) -> &str {
        self.meta().message()
    }

    pub fn request_id(&self) -> &str {
        self.meta().request_id()
    }
}

impl fmt::Display for CommonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.meta(), f)
    }
}

impl std::error::Error for CommonError {}

/// The request was refused before anything was signed or sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidRequest {
    action: &'static str,
    field: Option<&'static str>,
    reason: Cow<'static, str>,
}

impl InvalidRequest {
    /// A required member was not set on the builder.
    pub fn missing_field(action: &'static str, field: &'static str) -> Self {
        Self {
            action,
            field: Some(field),
            reason: Cow::Borrowed("required member is not set"),
        }
    }

    pub(crate) fn new(
        action: &'static str,
        field: Option<&'static str>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            action,
            field,
            reason: reason.into(),
        }
    }

    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The wire name of the offending member or header, when one is to blame.
    pub fn field(&self) -> Option<&'static str> {
        self.field
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(
                f,
                "invalid {} request: `{field}`: {}",
                self.action, self.reason
            ),
            None => write!(f, "invalid {} request: {}", self.action, self.reason),
        }
    }
}

impl std::error::Error for InvalidRequest {}

/// The request could not be delivered or its response not read: connect failure,
/// timeout, I/O. The server may or may not have acted on it, except for
/// [`TransportErrorKind::Connect`], where nothing was sent.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    // The whole source chain, flattened once: reqwest's own Display hides the cause
    // ("connection refused", "timed out") in `source()`.
    detail: String,
    // None for the SDK's own timeouts, which have no underlying error.
    source: Option<reqwest::Error>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, unreachable, or the connect timeout
    /// elapsed); the request was not sent.
    Connect,
    /// An attempt or the whole operation ran out of time.
    Timeout,
    /// Anything else: I/O errors mid-request, protocol errors, a body that stopped short.
    Other,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error) -> Self {
        // Connect first: a connect timeout is both, and what matters to the caller (and
        // to retrying) is that nothing was sent.
        let kind = if source.is_connect() {
            TransportErrorKind::Connect
        } else if source.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Other
        };
        let mut detail = source.to_string();
        let mut cause = std::error::Error::source(&source);
        while let Some(error) = cause {
            detail.push_str(": ");
            detail.push_str(&error.to_string());
            cause = error.source();
        }
        Self {
            kind,
            detail,
            source: Some(source),
        }
    }

    /// A timeout enforced by the SDK itself (per attempt or per operation).
    pub(crate) fn timeout(detail: String) -> Self {
        Self {
            kind: TransportErrorKind::Timeout,
            detail,
            source: None,
        }
    }

    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TransportErrorKind::Connect => "connect failed",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{kind}: {}", self.detail)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// The longest body excerpt an [`InvalidResponse`] keeps, in bytes.
pub const BODY_EXCERPT_LIMIT: usize = 256;

/// The server answered, but not with the expected API 3.0 JSON.
///
/// A body that is not JSON at all (a proxy's or gateway's HTML page, say) is quoted, up to
/// [`BODY_EXCERPT_LIMIT`] bytes, since it is the only clue to what answered. A JSON body,
/// even a broken one, is never quoted: it comes from the API and may carry secrets (the
/// temporary credentials of an sts answer), so the problem names the field path or the
/// position of the fault instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidResponse {
    status: u16,
    problem: Cow<'static, str>,
    request_id: Option<String>,
    excerpt: Option<String>,
}

impl InvalidResponse {
    pub(crate) fn new(
        status: u16,
        problem: impl Into<Cow<'static, str>>,
        request_id: Option<String>,
        body: &[u8],
    ) -> Self {
        Self {
            status,
            problem: problem.into(),
            request_id,
            excerpt: (!looks_like_json(body)).then(|| excerpt(body)),
        }
    }

    /// For a problem found before the body was read, so there is nothing to quote.
    pub(crate) fn unread(status: u16, problem: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            problem: problem.into(),
            request_id: None,
            excerpt: None,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// What was missing or wrong, e.g. "no `Response` object".
    pub fn problem(&self) -> &str {
        &self.problem
    }

    /// The RequestId, if the body got far enough to carry one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The start of the body, at most [`BODY_EXCERPT_LIMIT`] bytes, lossily decoded;
    /// `None` for a JSON body, which is never quoted (see the type's documentation).
    pub fn body_excerpt(&self) -> Option<&str> {
        self.excerpt.as_deref()
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid response (HTTP {}): {}",
            self.status, self.problem
        )?;
        if let Some(request_id) = &self.request_id {
            write!(f, " (RequestId: {request_id})")?;
        }
        match &self.excerpt {
            // Escaped so a hostile or binary body cannot break a log line.
            Some(excerpt) => write!(f, "; body: \"{}\"", excerpt.escape_debug()),
            None => Ok(()),
        }
    }
}

impl std::error::Error for InvalidResponse {}

/// Whether the body starts as JSON does, with an object or an array.
fn looks_like_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|byte| !byte.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

fn excerpt(body: &[u8]) -> String {
    if body.len() <= BODY_EXCERPT_LIMIT {
        return String::from_utf8_lossy(body).into_owned();
    }
    // Cutting mid-character only costs a replacement character at the end.
    let mut text = String::from_utf8_lossy(&body[..BODY_EXCERPT_LIMIT]).into_owned();
    text.push('…');
    text
}

/// Everything a call can fail with. `E` is the action's generated error type.
///
/// Display is that of the inner error, so a service error always shows its code, message
/// and RequestId.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The API answered with an error envelope.
    #[error(transparent)]
    Service(E),
    /// Refused before signing (e.g. a required member is missing).
    #[error(transparent)]
    InvalidRequest(InvalidRequest),
    #[error(transparent)]
    Credentials(CredentialsError),
    /// Connect failure, timeout, I/O.
    #[error(transparent)]
    Transport(TransportError),
    /// The body is not the expected JSON; says what was missing.
    #[error(transparent)]
    InvalidResponse(InvalidResponse),
}

impl<E: ServiceError> SdkError<E> {
    /// The service error code, for [`SdkError::Service`].
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(|error| error.meta().code())
    }

    /// The service error message, for [`SdkError::Service`].
    pub fn message(&self) -> Option<&str> {
        self.service_error().map(|error| error.meta().message())
    }

    /// The RequestId, whenever the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service(error) => Some(error.meta().request_id()),
            Self::InvalidResponse(error) => error.request_id(),
            _ => None,
        }
    }

    pub fn service_error(&self) -> Option<&E> {
        match self {
            Self::Service(error) => Some(error),
            _ => None,
        }
    }

    /// The service error, or `self` back for every other kind of failure.
    pub fn into_service_error(self) -> Result<E, Self> {
        match self {
            Self::Service(error) => Ok(error),
            other => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_codes_map_to_their_variants() {
        assert_eq!(CommonError::CODES.len(), 38);
        for code in CommonError::CODES {
            let common =
                CommonError::from_meta(ErrorMeta::new(*code, "m", "r")).expect("a common code");
            assert_eq!(common.code(), *code);
            // Variant name = code without dots, in UpperCamel.
            let variant = format!("{common:?}");
            let expected: String = code.split('.').collect();
            assert!(
                variant
                    .to_ascii_lowercase()
                    .starts_with(&format!("{}(", expected.to_ascii_lowercase())),
                "{variant} for {code}"
            );
        }
        let other = ErrorMeta::new("FailedOperation.Other", "m", "r");
        assert_eq!(CommonError::from_meta(other.clone()), Err(other));
        assert!(matches!(
            CommonError::from_meta(ErrorMeta::new("AuthFailure.SignatureExpire", "m", "r")),
            Ok(CommonError::AuthFailureSignatureExpire(_))
        ));
    }

    #[test]
    fn displays_name_everything_needed() {
        let meta = ErrorMeta::new("InvalidParameter", "bad Limit", "req-1");
        assert_eq!(
            meta.to_string(),
            "InvalidParameter: bad Limit (RequestId: req-1)"
        );
        let missing = InvalidRequest::missing_field("ReleasePublicIp", "NetworkInstanceId");
        assert_eq!(
            missing.to_string(),
            "invalid ReleasePublicIp request: `NetworkInstanceId`: required member is not set"
        );
        let invalid = InvalidResponse::new(502, "body is not JSON", None, b"<html>\n");
        assert_eq!(
            invalid.to_string(),
            "invalid response (HTTP 502): body is not JSON; body: \"<html>\\n\""
        );
    }

    #[test]
    fn excerpt_is_bounded() {
        let body = "界".repeat(1000);
        let invalid = InvalidResponse::new(200, "x", None, body.as_bytes());
        let excerpt = invalid.body_excerpt().expect("not JSON, so quoted");
        assert!(excerpt.len() <= BODY_EXCERPT_LIMIT + 8);
        assert!(excerpt.ends_with('…'));
    }

    #[test]
    fn json_bodies_are_never_quoted() {
        for body in [
            r#"{"Response":{"Credentials":{"TmpSecretKey":"hunter2"}}}"#,
            r#"  [{"TmpSecretKey":"hunter2""#,
            r#"{"Response":{"Credentials":{"TmpSecretKey":"hunter2"#,
        ] {
            let invalid =
                InvalidResponse::new(200, "`Response.ExpiredTime` missing", None, body.as_bytes());
            assert_eq!(invalid.body_excerpt(), None, "{body}");
            assert!(!invalid.to_string().contains("hunter2"), "{invalid}");
            assert!(!format!("{invalid:?}").contains("hunter2"), "{invalid:?}");
        }
    }
}
