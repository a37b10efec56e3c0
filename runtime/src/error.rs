//! Errors of a call: what the service answered ([`ServiceError`], whose kind is the
//! action's generated error enum or a [`CommonError`]) and everything that can go wrong
//! around it ([`SdkError`]).

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

/// What an action's error codes map to: implemented by each generated `<Action>Error`,
/// a `#[non_exhaustive]` enum with one variant per documented code of the action,
/// `Common(CommonError)` for the codes every action can return, and a deprecated
/// `Unhandled` for any other code.
pub trait ErrorKind: fmt::Debug + Send + Sync + 'static {
    /// The kind for `code`; each code maps to exactly one variant.
    fn from_code(code: &str) -> Self;
}

/// The error envelope an action answered with: its kind, and the code, message and
/// RequestId the server sent.
///
/// Display is `"<code>: <message> (RequestId: <id>)"`, whatever the kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError<K> {
    kind: K,
    meta: ErrorMeta,
    trace_id: Option<String>,
}

impl<K: ErrorKind> ServiceError<K> {
    /// Maps the envelope's code to its kind.
    pub fn new(meta: ErrorMeta) -> Self {
        Self {
            kind: K::from_code(meta.code()),
            meta,
            trace_id: None,
        }
    }
}

impl<K> ServiceError<K> {
    /// What the code means for this action: match on it, with a `_` arm for codes this
    /// SDK does not know yet.
    pub fn kind(&self) -> &K {
        &self.kind
    }

    /// The dotted error code, e.g. `FailedOperation.IpStillBoundToServer`.
    pub fn code(&self) -> &str {
        self.meta.code()
    }

    /// The server's message.
    pub fn message(&self) -> &str {
        self.meta.message()
    }

    /// The RequestId, to quote when asking for support.
    pub fn request_id(&self) -> &str {
        self.meta.request_id()
    }

    /// Code, message and RequestId together.
    pub fn meta(&self) -> &ErrorMeta {
        &self.meta
    }

    /// The `X-TC-TraceId` the call was sent with.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }
}

impl<K> fmt::Display for ServiceError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.meta, f)
    }
}

impl<K: fmt::Debug> std::error::Error for ServiceError<K> {}

/// The kind of a code this SDK does not know for the action. Deliberately opaque: when a
/// later schema documents the code, it moves to a variant of its own, so code that
/// matched `Unhandled` would silently change meaning. Match with `_` and read
/// [`ServiceError::code`] instead.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unhandled {}

impl Unhandled {
    #[doc(hidden)]
    pub fn new() -> Self {
        Self {}
    }
}

impl Default for Unhandled {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! common_errors {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)+) => {
        /// Codes any action can return (Tencent Cloud's "common error codes"): every
        /// action's error has them as `Common(CommonError::...)`, and never as a variant
        /// of its own, even where the action's documentation lists them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CommonError {
            $($(#[$doc])* #[doc = concat!("`", $code, "`")] $variant,)+
        }

        impl CommonError {
            /// Every common code, in the order of the enum.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The common error for `code`, if it is one.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// The code on the wire.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
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

/// The request was refused before anything was signed or sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidRequest {
    action: &'static str,
    field: Option<Cow<'static, str>>,
    reason: Cow<'static, str>,
}

impl InvalidRequest {
    /// A required member was not set on the builder.
    pub fn missing_field(action: &'static str, field: &'static str) -> Self {
        Self {
            action,
            field: Some(Cow::Borrowed(field)),
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
            field: field.map(Cow::Borrowed),
            reason: reason.into(),
        }
    }

    /// For a member known only by a name read at run time (a raw-body request's member
    /// headers come from the request's serialised form).
    pub(crate) fn for_member(
        action: &'static str,
        member: String,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            action,
            field: Some(Cow::Owned(member)),
            reason: reason.into(),
        }
    }

    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The wire name of the offending member or header, when one is to blame.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
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
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    trace_id: Option<String>,
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
    pub(crate) fn new(
        kind: TransportErrorKind,
        source: Box<dyn std::error::Error + Send + Sync>,
    ) -> Self {
        let mut detail = source.to_string();
        let mut cause = source.source();
        while let Some(error) = cause {
            detail.push_str(": ");
            detail.push_str(&error.to_string());
            cause = error.source();
        }
        Self {
            kind,
            detail,
            source: Some(source),
            trace_id: None,
        }
    }

    /// A timeout enforced by the SDK itself (per attempt or per operation).
    pub(crate) fn timeout(detail: String) -> Self {
        Self {
            kind: TransportErrorKind::Timeout,
            detail,
            source: None,
            trace_id: None,
        }
    }

    /// A body that stopped short of its end without an underlying I/O error (an event
    /// stream that ended inside an event).
    pub(crate) fn stopped_short(detail: String) -> Self {
        Self {
            kind: TransportErrorKind::Other,
            detail,
            source: None,
            trace_id: None,
        }
    }

    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The `X-TC-TraceId` the call was sent with.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
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
            .as_deref()
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
    trace_id: Option<String>,
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
            trace_id: None,
        }
    }

    /// For a problem found before the body was read, so there is nothing to quote.
    pub(crate) fn unread(status: u16, problem: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            problem: problem.into(),
            request_id: None,
            excerpt: None,
            trace_id: None,
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

    /// The `X-TC-TraceId` the call was sent with.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
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
    truncated(body, BODY_EXCERPT_LIMIT)
}

/// At most `limit` bytes of `bytes`, lossily decoded, with `…` when cut.
fn truncated(bytes: &[u8], limit: usize) -> String {
    if bytes.len() <= limit {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    // Cutting mid-character only costs a replacement character at the end.
    let mut text = String::from_utf8_lossy(&bytes[..limit]).into_owned();
    text.push('…');
    text
}

/// The longest `Location` a [`RedirectError`] keeps, in bytes.
pub const LOCATION_LIMIT: usize = 2048;

/// The server answered with a redirect (HTTP 3xx), which API 3.0 never sends; it was not
/// followed.
///
/// Following it would send the signed request and the session token (`X-TC-Token`) to
/// wherever `Location` points, replay the signed body there on 307 and 308, and on 301 and
/// 302 turn the POST into a GET whose answer could pass for a success. It is not retried
/// either: the same request would be redirected again. If the endpoint URL has moved (or
/// redirects `http://` to `https://`), configure the URL it points to, once it is trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectError {
    status: u16,
    location: Option<String>,
    trace_id: Option<String>,
}

impl RedirectError {
    /// `location` is the raw header value: kept lossily decoded, at most
    /// [`LOCATION_LIMIT`] bytes, so a hostile server cannot make the error large.
    pub(crate) fn new(status: u16, location: Option<&[u8]>) -> Self {
        Self {
            status,
            location: location.map(|location| truncated(location, LOCATION_LIMIT)),
            trace_id: None,
        }
    }

    /// The HTTP status code, 300 to 399.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Where the server pointed (the `Location` header), if it said.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The `X-TC-TraceId` the call was sent with.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "redirected (HTTP {})", self.status)?;
        match &self.location {
            // Escaped so a hostile header cannot break a log line.
            Some(location) => write!(f, " to \"{}\"", location.escape_debug())?,
            None => f.write_str(" without a Location")?,
        }
        f.write_str("; not followed: API 3.0 never redirects")
    }
}

impl std::error::Error for RedirectError {}

/// The server answered `AuthFailure.SignatureExpire` with a `Date` further from the local
/// clock than the SDK corrects by
/// ([`MAX_CLOCK_CORRECTION`](crate::config::MAX_CLOCK_CORRECTION)); the offset was not
/// adopted, and later requests are still signed with the local clock.
///
/// A clock that far off is a broken clock (or a broken or hostile endpoint), not drift:
/// signing with it would date every later request of the config by whatever the server
/// said, the year 9999 included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockSkewError {
    offset_secs: i64,
    limit_secs: u64,
    server_date: String,
    request_id: String,
    trace_id: Option<String>,
}

impl ClockSkewError {
    pub(crate) fn new(
        offset_secs: i64,
        limit_secs: u64,
        server_date: &str,
        request_id: &str,
    ) -> Self {
        Self {
            offset_secs,
            limit_secs,
            // A parsed HTTP date is 29 bytes; the bound is only for a future caller.
            server_date: truncated(server_date.as_bytes(), 64),
            request_id: request_id.to_owned(),
            trace_id: None,
        }
    }

    /// The server's time minus the local time, in seconds: positive when the server is
    /// ahead.
    pub fn offset_secs(&self) -> i64 {
        self.offset_secs
    }

    /// The server's `Date` header.
    pub fn server_date(&self) -> &str {
        &self.server_date
    }

    /// The RequestId of the `AuthFailure.SignatureExpire` answer.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The `X-TC-TraceId` the call was sent with.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }
}

impl fmt::Display for ClockSkewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let direction = if self.offset_secs >= 0 {
            "ahead of"
        } else {
            "behind"
        };
        write!(
            f,
            "AuthFailure.SignatureExpire, and the server's clock (Date: \"{}\") is {} s {direction} \
             the local clock, more than the {} s the SDK corrects by: not adopted; check the \
             local clock and the endpoint (RequestId: {})",
            self.server_date.escape_debug(),
            self.offset_secs.unsigned_abs(),
            self.limit_secs,
            self.request_id
        )
    }
}

impl std::error::Error for ClockSkewError {}

/// Everything a call can fail with. `K` is the action's generated error kind
/// (`<Action>Error`).
///
/// Display is that of the inner error, so a service error always shows its code, message
/// and RequestId.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SdkError<K> {
    /// The API answered with an error envelope.
    #[error(transparent)]
    Service(ServiceError<K>),
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
    /// An HTTP redirect, which API 3.0 never sends: not followed, not retried.
    #[error(transparent)]
    Redirect(RedirectError),
    /// The server's `Date` is too far from the local clock to sign with.
    #[error(transparent)]
    ClockSkew(ClockSkewError),
}

impl<K> SdkError<K> {
    /// What the service's error code means for this action, for [`SdkError::Service`].
    pub fn kind(&self) -> Option<&K> {
        self.service_error().map(ServiceError::kind)
    }

    /// The service error code, for [`SdkError::Service`].
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(ServiceError::code)
    }

    /// The service error message, for [`SdkError::Service`].
    pub fn message(&self) -> Option<&str> {
        self.service_error().map(ServiceError::message)
    }

    /// The RequestId, whenever the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service(error) => Some(error.request_id()),
            Self::InvalidResponse(error) => error.request_id(),
            Self::ClockSkew(error) => Some(error.request_id()),
            _ => None,
        }
    }

    /// The `X-TC-TraceId` the call was sent with, for every failure after the request
    /// was formed (`None` for [`SdkError::InvalidRequest`] and [`SdkError::Credentials`]:
    /// nothing reached a server to trace). The call's tracing span carries it too.
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            Self::Service(error) => error.trace_id(),
            Self::Transport(error) => error.trace_id(),
            Self::InvalidResponse(error) => error.trace_id(),
            Self::Redirect(error) => error.trace_id(),
            Self::ClockSkew(error) => error.trace_id(),
            Self::InvalidRequest(_) | Self::Credentials(_) => None,
        }
    }

    /// Tags the error with the call's trace ID (see [`SdkError::trace_id`]).
    pub(crate) fn with_trace_id(mut self, trace_id: &str) -> Self {
        let slot = match &mut self {
            Self::Service(error) => &mut error.trace_id,
            Self::Transport(error) => &mut error.trace_id,
            Self::InvalidResponse(error) => &mut error.trace_id,
            Self::Redirect(error) => &mut error.trace_id,
            Self::ClockSkew(error) => &mut error.trace_id,
            Self::InvalidRequest(_) | Self::Credentials(_) => return self,
        };
        *slot = Some(trace_id.to_owned());
        self
    }

    pub fn service_error(&self) -> Option<&ServiceError<K>> {
        match self {
            Self::Service(error) => Some(error),
            _ => None,
        }
    }

    /// The service error, or `self` back for every other kind of failure.
    pub fn into_service_error(self) -> Result<ServiceError<K>, Self> {
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
            let common = CommonError::from_code(code).expect("a common code");
            assert_eq!(common.code(), *code);
            // Variant name = code without dots, in UpperCamel.
            let expected: String = code.split('.').collect();
            assert!(
                format!("{common:?}").eq_ignore_ascii_case(&expected),
                "{common:?} for {code}"
            );
        }
        assert_eq!(CommonError::from_code("FailedOperation.Other"), None);
        assert_eq!(
            CommonError::from_code("AuthFailure.SignatureExpire"),
            Some(CommonError::AuthFailureSignatureExpire)
        );
    }

    /// A stand-in for a generated `<Action>Error`.
    #[derive(Debug, PartialEq)]
    enum Kind {
        Documented,
        Common(CommonError),
        Unhandled(Unhandled),
    }

    impl ErrorKind for Kind {
        fn from_code(code: &str) -> Self {
            match code {
                "FailedOperation.Documented" => Self::Documented,
                _ => CommonError::from_code(code)
                    .map_or_else(|| Self::Unhandled(Unhandled::new()), Self::Common),
            }
        }
    }

    #[test]
    fn a_service_error_has_its_kind_and_the_servers_words() {
        let error = ServiceError::<Kind>::new(ErrorMeta::new(
            "FailedOperation.Documented",
            "still bound",
            "req-9",
        ));
        assert_eq!(error.kind(), &Kind::Documented);
        assert_eq!(
            (error.code(), error.message(), error.request_id()),
            ("FailedOperation.Documented", "still bound", "req-9")
        );
        assert_eq!(
            error.to_string(),
            "FailedOperation.Documented: still bound (RequestId: req-9)"
        );
        let common = ServiceError::<Kind>::new(ErrorMeta::new("InternalError", "m", "r"));
        assert_eq!(common.kind(), &Kind::Common(CommonError::InternalError));
        let other = ServiceError::<Kind>::new(ErrorMeta::new("Brand.New", "m", "r"));
        assert_eq!(other.kind(), &Kind::Unhandled(Unhandled::new()));
        assert_eq!(other.code(), "Brand.New");
        let sdk = SdkError::Service(other);
        assert_eq!(sdk.code(), Some("Brand.New"));
        assert_eq!(sdk.request_id(), Some("r"));
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
    fn a_redirect_names_status_and_a_bounded_escaped_location() {
        let redirect = RedirectError::new(302, Some(b"https://elsewhere.example/x"));
        assert_eq!(
            redirect.to_string(),
            "redirected (HTTP 302) to \"https://elsewhere.example/x\"; not followed: API 3.0 never redirects"
        );
        let bare = RedirectError::new(301, None);
        assert_eq!(bare.location(), None);
        assert!(bare.to_string().contains("HTTP 301) without a Location"));
        let hostile = format!("http://x/\n\u{1b}[2J{}", "a".repeat(10 * LOCATION_LIMIT));
        let redirect = RedirectError::new(307, Some(hostile.as_bytes()));
        let kept = redirect.location().expect("a location");
        assert!(kept.len() <= LOCATION_LIMIT + 3 && kept.ends_with('…'));
        let text = redirect.to_string();
        assert!(!text.contains('\n') && !text.contains('\u{1b}'), "{text}");
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
