//! The one call path every generated action goes through.
//!
//! Generated clients hold a [`ServiceClient`]; a generated builder's `send` hands its
//! request (a [`Request`]) and [`CallOptions`] to [`ServiceClient::send`].
//! [`ServiceClient::call_with`] sends any serialisable body for an [`ActionInfo`], and
//! `send_octet_stream` (module `octet_stream`) a raw-body action's bytes. Only
//! serialising the input and deserialising the output are generic; everything between
//! (rate limiting, signing, sending, retrying, clock-skew correction, timeouts) lives in
//! non-generic functions compiled once for all actions.
//!
//! One call:
//!
//! 1. a request whose required member is unset is refused, naming the member, before
//!    anything is signed; whether its attempts may be repeated after a timeout (a read,
//!    or a write carrying a `ClientToken`) is decided from the request, once;
//! 2. the input is serialised once; every attempt sends the same bytes;
//! 3. per attempt: wait for the action's rate limit (`rate_limit.rs`), sign with a
//!    fresh timestamp corrected by the learned clock offset (`clock.rs`), send, read
//!    the answer, all within the attempt timeout;
//! 4. `AuthFailure.SignatureExpire` with a `Date` header: learn the offset and try once
//!    more (not counted as a retry: the request was refused unread);
//! 5. other failures are retried as [`crate::retry`] decides;
//! 6. the whole of it is bounded by the operation timeout, if any;
//! 7. an answer of server-sent events (`text/event-stream`, [`send_stream`]) counts as
//!    received once its first event is in: the attempts end there, and the rest is read
//!    by the caller through the [`EventStream`] (`event_stream.rs`).
//!
//! [`send_stream`]: ServiceClient::send_stream
//!
//! Dropping the returned future at any point cancels the call: the in-flight HTTP request
//! is dropped with it (its connection closed), and no background task is left behind.

mod octet_stream;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, DATE, HOST, HeaderMap, HeaderName, HeaderValue, LOCATION,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::config::Config;
use crate::config::parse_endpoint;
use crate::credentials::CredentialsError;
use crate::error::TransportErrorKind;
use crate::error::{
    ClockSkewError, ErrorKind, InvalidRequest, InvalidResponse, RedirectError, SdkError,
    TransportError,
};
use crate::event_stream::{EventStream, OpenEvents, StreamError};
use crate::failover::{Breaker, Failover, Health, Route};
use crate::http::HttpError;
use crate::operation::{ActionInfo, Request, ServiceInfo};
use crate::response::{self, Checked, Peek, RawResponse};
use crate::retry::{self, Failure, RetryConfig};
use crate::signing::{Payload, SignableRequest, SigningKeyCache, UNSIGNED_PAYLOAD};
use crate::splice::with_string_member;

pub use octet_stream::RawBody;

const SIGNATURE_EXPIRE: &str = "AuthFailure.SignatureExpire";

/// The body of every call but a raw-body one (`octet_stream`), and this exact value is
/// what gets signed.
const JSON: &str = "application/json";

const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-tc-content-sha256");
const X_TC_TRACEID: HeaderName = HeaderName::from_static("x-tc-traceid");
/// Where an event stream's RequestId is: its events need not carry one.
const X_TC_REQUESTID: HeaderName = HeaderName::from_static("x-tc-requestid");

/// Settings for one call that override the [`Config`]'s. Generated builders hold one and
/// pass it to [`ServiceClient::send`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    retry: Option<RetryConfig>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    trace_id: Option<String>,
    headers: ExtraHeaders,
}

/// Headers a caller adds to one call, checked when the call is made. Their values may be
/// credentials of the caller's own (a proxy's, say), so Debug shows the names only.
#[derive(Clone, Default, PartialEq, Eq)]
struct ExtraHeaders(Vec<(String, String)>);

impl fmt::Debug for ExtraHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

/// Headers only the SDK sets: what is signed (`Content-Type`, `Host`), the signature, and
/// the protocol's own. A caller's value for one of them is refused, not merged.
const RESERVED_HEADERS: [&str; 12] = [
    "authorization",
    "content-type",
    "host",
    "x-tc-action",
    "x-tc-version",
    "x-tc-timestamp",
    "x-tc-region",
    "x-tc-language",
    "x-tc-requestclient",
    "x-tc-token",
    "x-tc-content-sha256",
    "x-tc-traceid",
];

impl CallOptions {
    pub fn new() -> Self {
        Self::default()
    }

    /// `false`: a single attempt, whatever the config says; `true`: the config's retry
    /// settings, or the standard ones if the config turned retries off.
    pub fn retry(self, enabled: bool) -> Self {
        self.retry_config(if enabled {
            RetryConfig::standard()
        } else {
            RetryConfig::disabled()
        })
    }

    /// Retry settings for this call only.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Time allowed for each attempt of this call.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Time allowed for the whole call, across retries.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The `X-TC-TraceId` of this call, e.g. one an application already carries through
    /// its own tracing; unset, each call gets a fresh UUID. Every attempt sends the same
    /// one, and it is in the call's tracing span and in its error.
    pub fn trace_id(mut self, trace_id: impl Into<String>) -> Self {
        self.trace_id = Some(trace_id.into());
        self
    }

    /// Adds a header to every attempt of this call. It is not signed (API 3.0 signs only
    /// `Content-Type` and `Host`); a header the SDK sets itself (`Authorization`, `Host`,
    /// `Content-Type`, the `X-TC-` headers it sends) is refused when the call is made,
    /// as is a name or value HTTP does not allow, with an
    /// [`InvalidRequest`](crate::error::InvalidRequest) naming it.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.0.push((name.into(), value.into()));
        self
    }
}

/// Whether every attempt of a call may be repeated, that is sent again after a failure
/// that leaves unknown whether the API applied it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Repeat {
    No,
    /// A read, or a write carrying the caller's `ClientToken`.
    Yes,
    /// A write whose `ClientToken` the SDK fills with a fresh UUID.
    WithFreshClientToken,
}

impl Repeat {
    pub(crate) fn when(safe: bool) -> Self {
        if safe { Self::Yes } else { Self::No }
    }
}

/// What one call sends on every attempt besides the body, checked once before signing.
struct PerCall {
    trace_id: HeaderValue,
    /// The caller's headers, and a raw-body request's member headers.
    headers: HeaderMap,
    /// Sent and signed: JSON, or a raw body's octet-stream.
    content_type: &'static str,
}

impl PerCall {
    fn new(action: &'static ActionInfo, options: &CallOptions) -> Result<Self, InvalidRequest> {
        let trace_id = match &options.trace_id {
            Some(trace_id) => HeaderValue::from_str(trace_id).map_err(|_| {
                InvalidRequest::new(
                    action.name,
                    Some("X-TC-TraceId"),
                    "contains characters not allowed in an HTTP header",
                )
            })?,
            None => HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
                .expect("a UUID is a valid header value"),
        };
        let mut headers = HeaderMap::with_capacity(options.headers.0.len());
        for (name, value) in &options.headers.0 {
            let refuse = |reason: &str| {
                InvalidRequest::new(action.name, None, format!("header {name:?}: {reason}"))
            };
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| refuse("not a valid HTTP header name"))?;
            if RESERVED_HEADERS.contains(&name.as_str()) {
                return Err(refuse("set by the SDK, so it cannot be set per call"));
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                refuse("its value contains characters not allowed in an HTTP header")
            })?;
            headers.append(name, value);
        }
        Ok(Self {
            trace_id,
            headers,
            content_type: JSON,
        })
    }

    /// The trace ID as the caller gave it or as generated: always visible ASCII.
    fn trace_id(&self) -> &str {
        self.trace_id.to_str().unwrap_or_default()
    }
}

/// Sends actions of one service version with the settings of a [`Config`].
///
/// Cloning is one reference count: generated builders take a clone for every call.
#[derive(Clone, Debug)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    service: &'static ServiceInfo,
    /// Where requests go, or why they cannot be sent (reported by every call).
    target: Result<Target, Unsendable>,
    /// Where reads go while the primary target keeps failing, if the config says.
    fallback: Option<Fallback>,
    /// Holds the derived key for `service`, never the secret.
    signing_keys: SigningKeyCache,
}

#[derive(Debug)]
struct Fallback {
    target: Result<Target, Unsendable>,
    breaker: Breaker,
}

/// What every request of a client shares, worked out once: handed a string, reqwest would
/// parse the URL, host through IDNA, on every attempt, and each header value built from a
/// string is a copy.
#[derive(Debug)]
struct Target {
    url: Url,
    /// The host requests are signed for.
    host: String,
    host_header: HeaderValue,
    version_header: HeaderValue,
    region_header: Option<HeaderValue>,
}

/// Why a client's requests cannot be sent: a header its service or config would need
/// cannot be formed.
#[derive(Debug)]
struct Unsendable {
    header: &'static str,
    reason: String,
}

impl Target {
    fn new(config: &Config, service: &ServiceInfo) -> Result<Self, Unsendable> {
        match config.endpoint() {
            Some(endpoint) => {
                Self::at(endpoint.url.clone(), endpoint.host.clone(), config, service)
            }
            None => {
                let url =
                    Url::parse(&format!("https://{}/", service.default_host)).map_err(|_| {
                        Unsendable {
                            header: "Host",
                            reason: format!(
                                "the service's default host {:?} does not form a URL",
                                service.default_host
                            ),
                        }
                    })?;
                Self::at(url, service.default_host.to_owned(), config, service)
            }
        }
    }

    /// The fallback endpoint of `failover` for `service`.
    fn fallback(
        config: &Config,
        service: &ServiceInfo,
        failover: &Failover,
    ) -> Result<Self, Unsendable> {
        let url = failover.endpoint_for(service.name);
        let endpoint = parse_endpoint(&url).map_err(|error| Unsendable {
            header: "Host",
            reason: format!("the failover endpoint: {error}"),
        })?;
        Self::at(endpoint.url, endpoint.host, config, service)
    }

    fn at(
        url: Url,
        host: String,
        config: &Config,
        service: &ServiceInfo,
    ) -> Result<Self, Unsendable> {
        let header = |header: &'static str, value: &str| {
            HeaderValue::from_str(value).map_err(|_| Unsendable {
                header,
                reason: format!("{value:?} contains characters not allowed in an HTTP header"),
            })
        };
        Ok(Self {
            host_header: header("Host", &host)?,
            version_header: header("X-TC-Version", service.version)?,
            region_header: config
                .region()
                .map(|region| header("X-TC-Region", region))
                .transpose()?,
            url,
            host,
        })
    }
}

/// Why the non-generic core failed; non-generic so the core is compiled once.
enum SendError {
    InvalidRequest(InvalidRequest),
    Credentials(CredentialsError),
    Transport(TransportError),
    /// Only a body over the size limit: other problems are found when decoding.
    InvalidResponse(InvalidResponse),
    Redirect(RedirectError),
    ClockSkew(ClockSkewError),
}

impl<E> From<SendError> for SdkError<E> {
    fn from(error: SendError) -> Self {
        match error {
            SendError::InvalidRequest(error) => SdkError::InvalidRequest(error),
            SendError::Credentials(error) => SdkError::Credentials(error),
            SendError::Transport(error) => SdkError::Transport(error),
            SendError::InvalidResponse(error) => SdkError::InvalidResponse(error),
            SendError::Redirect(error) => SdkError::Redirect(error),
            SendError::ClockSkew(error) => SdkError::ClockSkew(error),
        }
    }
}

/// What one attempt brought back.
enum Answer {
    Envelope(Enveloped),
    /// A stream of server-sent events, its first event read.
    Events(OpenEvents),
}

/// An answer read whole: an API 3.0 envelope, or what should have been one.
struct Enveloped {
    raw: RawResponse,
    /// Its envelope, read once for the retry loop and the decoding of the final answer.
    checked: Checked,
    /// The `Date` header, for clock-skew correction.
    date: Option<HeaderValue>,
}

/// A call ready to be sent: its body, serialised once, and what every attempt shares.
struct Prepared {
    body: Bytes,
    per_call: PerCall,
    span: tracing::Span,
    repeatable: bool,
}

impl ServiceClient {
    pub fn new(config: &Config, service: &'static ServiceInfo) -> Self {
        Self {
            inner: Arc::new(Inner {
                config: config.clone(),
                service,
                target: Target::new(config, service),
                fallback: config.failover().map(|failover| Fallback {
                    target: Target::fallback(config, service, failover),
                    breaker: Breaker::new(failover.clone()),
                }),
                signing_keys: SigningKeyCache::default(),
            }),
        }
    }

    /// Sends a generated request: refuses it before anything is signed if a required
    /// member is unset, then [`call_with`](Self::call_with). A write is repeated after a
    /// timeout, `InternalError` or a gateway's 5xx page only if it carries a `ClientToken`:
    /// one the caller set, or, when the action has the member and the caller left it
    /// unset, a fresh UUID the SDK adds, the same on every attempt.
    pub async fn send<R: Request>(
        &self,
        request: &R,
        options: &CallOptions,
    ) -> Result<R::Response, SdkError<R::Error>> {
        let repeat = checked_repeat(request)?;
        self.call_inner(R::ACTION, request, options, repeat).await
    }

    /// [`send`](Self::send) for an action that may answer with server-sent events: the
    /// answer as an [`EventStream`], returned once its first event has arrived (failures
    /// before that are retried as for `send`; nothing is repeated after it). A JSON
    /// answer becomes a stream of that one response; an error envelope is the error.
    pub async fn send_stream<R: Request>(
        &self,
        request: &R,
        options: &CallOptions,
    ) -> Result<EventStream<R::Response, R::Error>, SdkError<R::Error>> {
        let repeat = checked_repeat(request)?;
        let prepared = self.prepare(R::ACTION, request, options, repeat)?;
        let trace_id = prepared.per_call.trace_id().to_owned();
        let idle_timeout = options
            .attempt_timeout
            .unwrap_or(self.inner.config.attempt_timeout());
        let span = prepared.span.clone();
        let result = self
            .inner
            .execute(R::ACTION, &prepared, options)
            .instrument(span.clone())
            .await
            .map_err(SdkError::from)
            .and_then(|answer| match answer {
                Answer::Envelope(answer) => span.in_scope(|| {
                    let request_id = match answer.checked.peek() {
                        Peek::Success { request_id } => request_id.to_owned(),
                        _ => String::new(),
                    };
                    response::finish(&answer.raw, answer.checked)
                        .map(|output| EventStream::single(output, request_id, &trace_id))
                }),
                Answer::Events(open) => {
                    span.record("request_id", open.request_id());
                    Ok(EventStream::events(open, idle_timeout, &trace_id))
                }
            });
        result.map_err(|error| error.with_trace_id(&trace_id))
    }

    /// [`call_with`](Self::call_with) with the config's settings.
    pub async fn call<I: Serialize, O: DeserializeOwned, K: ErrorKind>(
        &self,
        action: &'static ActionInfo,
        input: &I,
    ) -> Result<O, SdkError<K>> {
        self.call_with(action, input, &CallOptions::default()).await
    }

    /// Serialise once, then rate-limit, sign, send, retry as needed, and decode the
    /// envelope, with `options` overriding the config for this call. `input` is any
    /// serialisable body; only a read action's attempts are repeated after a timeout.
    pub async fn call_with<I: Serialize, O: DeserializeOwned, K: ErrorKind>(
        &self,
        action: &'static ActionInfo,
        input: &I,
        options: &CallOptions,
    ) -> Result<O, SdkError<K>> {
        self.call_inner(action, input, options, Repeat::when(action.read))
            .await
    }

    /// The call path itself.
    pub(crate) async fn call_inner<I: Serialize, O: DeserializeOwned, K: ErrorKind>(
        &self,
        action: &'static ActionInfo,
        input: &I,
        options: &CallOptions,
        repeat: Repeat,
    ) -> Result<O, SdkError<K>> {
        let prepared = self.prepare(action, input, options, repeat)?;
        self.dispatch(action, prepared, options).await
    }

    /// Sends a prepared call and decodes its answer: the part of a call after its body
    /// and headers are settled.
    async fn dispatch<O: DeserializeOwned, K: ErrorKind>(
        &self,
        action: &'static ActionInfo,
        prepared: Prepared,
        options: &CallOptions,
    ) -> Result<O, SdkError<K>> {
        let span = &prepared.span;
        let result = self
            .inner
            .execute(action, &prepared, options)
            .instrument(span.clone())
            .await
            .map_err(SdkError::from)
            .and_then(|answer| match answer {
                // Decoding records the RequestId on the span and logs any
                // DeprecatedWarning in it.
                Answer::Envelope(answer) => {
                    span.in_scope(|| response::finish(&answer.raw, answer.checked))
                }
                Answer::Events(open) => Err(SdkError::InvalidResponse(InvalidResponse::unread(
                    open.status(),
                    format!(
                        "{} answered with a stream of server-sent events (RequestId: {}): \
                         read it with `send_stream()`",
                        action.name,
                        open.request_id()
                    ),
                ))),
            });
        result.map_err(|error| error.with_trace_id(prepared.per_call.trace_id()))
    }

    /// Serialises the input once (adding a fresh `ClientToken` if `repeat` says) and
    /// checks what every attempt will send besides it.
    fn prepare<I: Serialize, K>(
        &self,
        action: &'static ActionInfo,
        input: &I,
        options: &CallOptions,
        repeat: Repeat,
    ) -> Result<Prepared, SdkError<K>> {
        let refuse = |reason: String| {
            SdkError::InvalidRequest(InvalidRequest::new(action.name, None, reason))
        };
        let mut body = serde_json::to_string(input)
            .map_err(|error| refuse(format!("cannot serialise the input: {error}")))?;
        if repeat == Repeat::WithFreshClientToken {
            let token = uuid::Uuid::new_v4().to_string();
            body = with_string_member(&body, "ClientToken", &token).ok_or_else(|| {
                refuse("cannot add a ClientToken: the input is not a JSON object".to_owned())
            })?;
            tracing::debug!(client_token = %token, "ClientToken added");
        }
        let per_call = PerCall::new(action, options).map_err(SdkError::InvalidRequest)?;
        Ok(Prepared {
            body: Bytes::from(body),
            span: self.inner.span(action, &per_call),
            per_call,
            repeatable: repeat != Repeat::No,
        })
    }
}

/// Refuses `request` if a required member is unset; otherwise says whether its attempts
/// may be repeated.
fn checked_repeat<R: Request, K>(request: &R) -> Result<Repeat, SdkError<K>> {
    if let Some(member) = request.required_unset() {
        return Err(SdkError::InvalidRequest(InvalidRequest::missing_field(
            R::ACTION.name,
            member,
        )));
    }
    // An empty token the caller set is sent as set: it deduplicates nothing.
    Ok(match request.client_token() {
        None if R::CLIENT_TOKEN => Repeat::WithFreshClientToken,
        Some(token) if !token.is_empty() => Repeat::Yes,
        _ if R::ACTION.read => Repeat::Yes,
        _ => Repeat::No,
    })
}

impl Inner {
    /// One debug span per call, with one child span per attempt. Neither ever carries the
    /// Authorization header, the secret key, the token, a caller's header or a body.
    fn span(&self, action: &'static ActionInfo, per_call: &PerCall) -> tracing::Span {
        tracing::debug_span!(
            "tencent_cloud.call",
            service = self.service.name,
            action = action.name,
            region = self.config.region().unwrap_or(""),
            trace_id = per_call.trace_id(),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        )
    }

    /// The attempts, bounded by the operation timeout.
    async fn execute(
        &self,
        action: &'static ActionInfo,
        prepared: &Prepared,
        options: &CallOptions,
    ) -> Result<Answer, SendError> {
        let attempts = self.attempts(action, prepared, options);
        match options
            .operation_timeout
            .or(self.config.operation_timeout())
        {
            None => attempts.await,
            Some(limit) => tokio::time::timeout(limit, attempts)
                .await
                .unwrap_or_else(|_| {
                    Err(SendError::Transport(TransportError::timeout(format!(
                        "{} did not complete within the operation timeout of {limit:?}",
                        action.name
                    ))))
                }),
        }
    }

    async fn attempts(
        &self,
        action: &'static ActionInfo,
        prepared: &Prepared,
        options: &CallOptions,
    ) -> Result<Answer, SendError> {
        let retry = options.retry.as_ref().unwrap_or(self.config.retry());
        let attempt_timeout = options
            .attempt_timeout
            .unwrap_or(self.config.attempt_timeout());
        let budget = self.config.retry_budget();
        let mut withdrawn = 0;
        let mut sent = 0;
        let mut skew_corrected = false;
        let outcome = loop {
            sent += 1;
            if let Some(limiter) = self.config.rate_limiter()
                && let Some(limit) =
                    limiter.limit_for(self.service.name, action.name, action.rate_limit)
            {
                limiter.acquire(self.service.name, action.name, limit).await;
            }
            let span = tracing::debug_span!(
                "tencent_cloud.attempt",
                attempt = sent,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let route = self.fallback.as_ref().map_or(Route::Primary, |fallback| {
                fallback.breaker.route(action.read, Instant::now())
            });
            let target = match route {
                Route::Primary => &self.target,
                Route::Fallback => self.fallback.as_ref().map_or(&self.target, |f| &f.target),
            };
            let result = self
                .attempt(action, target, prepared, attempt_timeout)
                .instrument(span.clone())
                .await;
            if let (Route::Primary, Some(fallback)) = (route, &self.fallback) {
                fallback.breaker.record(health(&result), Instant::now());
            }
            let failure = match &result {
                Err(SendError::Transport(error)) => Failure::Transport(error.kind()),
                Err(_) => break result,
                Ok(Answer::Events(_)) => {
                    budget.deposit(withdrawn);
                    break result;
                }
                Ok(Answer::Envelope(answer)) => match answer.checked.peek() {
                    Peek::Success { request_id } => {
                        span.record("request_id", request_id);
                        budget.deposit(withdrawn);
                        break result;
                    }
                    Peek::Error { code, request_id } => {
                        span.record("request_id", request_id);
                        if code == SIGNATURE_EXPIRE && !skew_corrected {
                            let date = answer.date.as_ref().and_then(|date| date.to_str().ok());
                            let learned = self.config.clock().learn(date, request_id);
                            // An offset too large to adopt ends the call with the offset
                            // named: a bare SignatureExpire would not say how far off, or
                            // that the server's clock may be the one at fault.
                            let learned = match learned {
                                Ok(learned) => learned,
                                Err(error) => break Err(SendError::ClockSkew(error)),
                            };
                            if let Some(offset) = learned {
                                tracing::info!(
                                    offset_secs = offset,
                                    "the server's clock differs from ours: signing with its time from now on"
                                );
                                skew_corrected = true;
                                continue;
                            }
                        }
                        Failure::Code(code.to_owned())
                    }
                    Peek::NotApi if answer.raw.status >= 500 => Failure::ServerError,
                    Peek::NotApi => break result,
                },
            };
            // The clock-skew retry is a correction, not one of the strategy's attempts.
            let counted = sent - u32::from(skew_corrected);
            let retry_kind = (counted < retry.attempts())
                .then(|| retry::classify(&failure, prepared.repeatable))
                .flatten();
            let Some(kind) = retry_kind else {
                break result;
            };
            let Some(cost) = budget.withdraw(kind) else {
                tracing::debug!(?failure, "not retrying: the retry budget is exhausted");
                break result;
            };
            withdrawn += cost;
            let delay = retry.backoff(counted);
            tracing::debug!(
                ?failure,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
            tokio::time::sleep(delay).await;
        };
        // Recorded once, at the end: a field recorded twice shows up twice in some
        // subscribers' output.
        tracing::Span::current().record("attempts", sent);
        outcome
    }

    /// Signs with a fresh timestamp and sends once; the HTTP exchange (not the credentials
    /// lookup, which has its own timeouts) is bounded by `timeout`.
    async fn attempt(
        &self,
        action: &'static ActionInfo,
        target: &Result<Target, Unsendable>,
        prepared: &Prepared,
        timeout: Duration,
    ) -> Result<Answer, SendError> {
        let (body, per_call) = (&prepared.body, &prepared.per_call);
        let target = target.as_ref().map_err(|unsendable| {
            SendError::InvalidRequest(InvalidRequest::new(
                action.name,
                Some(unsendable.header),
                unsendable.reason.clone(),
            ))
        })?;
        let timestamp = self.config.clock().timestamp().map_err(|reason| {
            SendError::InvalidRequest(InvalidRequest::new(
                action.name,
                Some("X-TC-Timestamp"),
                reason,
            ))
        })?;
        let mut headers = self.headers(action, target, per_call, timestamp)?;
        let authorization = if action.skip_sign {
            HeaderValue::from_static("SKIP")
        } else {
            self.authorize(
                &mut headers,
                &target.host,
                per_call.content_type,
                body,
                timestamp,
                action,
            )
            .await?
        };
        headers.insert(AUTHORIZATION, authorization);

        // Built directly: `RequestBuilder::headers` would re-insert every header.
        let mut request = reqwest::Request::new(Method::POST, target.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = Some(body.clone().into());
        let exchange = async {
            let response = self
                .config
                .http()
                .execute(request)
                .await
                .map_err(transport)?;
            let status = response.status().as_u16();
            tracing::Span::current().record("status", status);
            // The HTTP client follows no redirect (config.rs says why); its body is left
            // unread, since no API answer is in it.
            if response.status().is_redirection() {
                let location = response.headers().get(LOCATION).map(HeaderValue::as_bytes);
                return Err(SendError::Redirect(RedirectError::new(status, location)));
            }
            if is_event_stream(response.headers()) {
                let request_id = (response.headers().get(X_TC_REQUESTID))
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                tracing::debug!(status, "event stream opened");
                let open = OpenEvents::open(response, request_id, self.config.max_response_size())
                    .await
                    .map_err(|error| match error {
                        StreamError::Transport(error) => SendError::Transport(error),
                        StreamError::Invalid(problem) => {
                            SendError::InvalidResponse(InvalidResponse::unread(status, problem))
                        }
                    })?;
                return Ok(Answer::Events(open));
            }
            let date = response.headers().get(DATE).cloned();
            let body = read_body(response, self.config.max_response_size()).await?;
            tracing::debug!(status, "answer received");
            let raw = RawResponse { status, body };
            Ok(Answer::Envelope(Enveloped {
                checked: response::check(&raw),
                raw,
                date,
            }))
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .unwrap_or_else(|_| {
                Err(SendError::Transport(TransportError::timeout(format!(
                    "no complete answer to {} within the attempt timeout of {timeout:?}",
                    action.name
                ))))
            })
    }

    /// Every header but `Authorization`, `X-TC-Token` and `X-TC-Content-SHA256`.
    fn headers(
        &self,
        action: &'static ActionInfo,
        target: &Target,
        per_call: &PerCall,
        timestamp: i64,
    ) -> Result<HeaderMap, SendError> {
        // Generated names are checked by codegen, but `from_static` panics on a bad one.
        if !action.name.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(SendError::InvalidRequest(InvalidRequest::new(
                action.name,
                Some("X-TC-Action"),
                "contains characters not allowed in an HTTP header",
            )));
        }
        // Sized for every header of a request, so that building it never regrows the map.
        let mut headers = HeaderMap::with_capacity(13 + per_call.headers.len());
        headers.extend(per_call.headers.clone());
        headers.insert(X_TC_TRACEID, per_call.trace_id.clone());
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(per_call.content_type),
        );
        headers.insert(HOST, target.host_header.clone());
        headers.insert(X_TC_ACTION, HeaderValue::from_static(action.name));
        headers.insert(X_TC_VERSION, target.version_header.clone());
        headers.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        if let Some(region) = &target.region_header {
            headers.insert(X_TC_REGION, region.clone());
        }
        headers.insert(
            X_TC_LANGUAGE,
            HeaderValue::from_static(self.config.language().as_str()),
        );
        headers.insert(X_TC_REQUESTCLIENT, self.config.request_client().clone());
        Ok(headers)
    }

    /// Gets credentials, adds `X-TC-Token` if they carry one (and `X-TC-Content-SHA256` for
    /// an unsigned payload), and returns the `Authorization` value (marked sensitive so
    /// HTTP-level logging leaves it out).
    async fn authorize(
        &self,
        headers: &mut HeaderMap,
        host: &str,
        content_type: &str,
        body: &[u8],
        timestamp: i64,
        action: &'static ActionInfo,
    ) -> Result<HeaderValue, SendError> {
        let provider = self
            .config
            .credentials_provider()
            .ok_or(SendError::Credentials(CredentialsError::NotConfigured))?;
        let credentials = provider
            .provide_credentials()
            .await
            .map_err(SendError::Credentials)?;
        if let Some(token) = credentials.token() {
            let mut token =
                HeaderValue::from_str(token).map_err(|_| invalid_credentials("token"))?;
            token.set_sensitive(true);
            headers.insert(X_TC_TOKEN, token);
        }
        let payload = if self.config.unsigned_payload() {
            headers.insert(
                X_TC_CONTENT_SHA256,
                HeaderValue::from_static(UNSIGNED_PAYLOAD),
            );
            Payload::Unsigned
        } else {
            Payload::Bytes(body)
        };
        let request = SignableRequest {
            host,
            content_type,
            payload,
        };
        let signed = self
            .signing_keys
            .sign(&request, &credentials, timestamp, self.service.name)
            .map_err(|error| {
                SendError::InvalidRequest(InvalidRequest::new(
                    action.name,
                    Some("X-TC-Timestamp"),
                    error.to_string(),
                ))
            })?;
        let mut authorization = HeaderValue::from_str(signed.authorization())
            .map_err(|_| invalid_credentials("secret id"))?;
        authorization.set_sensitive(true);
        Ok(authorization)
    }
}

/// What an attempt showed about the endpoint it went to, for the failover breaker.
fn health(result: &Result<Answer, SendError>) -> Health {
    match result {
        Ok(Answer::Events(_)) => Health::Up,
        Ok(Answer::Envelope(answer)) => match answer.checked.peek() {
            Peek::Success { .. } | Peek::Error { .. } => Health::Up,
            Peek::NotApi if answer.raw.status >= 500 => Health::Failing,
            Peek::NotApi => Health::Unknown,
        },
        Err(SendError::Transport(error)) => match error.kind() {
            TransportErrorKind::Timeout => Health::Unknown,
            _ => Health::Failing,
        },
        Err(_) => Health::Unknown,
    }
}

/// Whether the answer is `text/event-stream` (parameters such as `charset` aside).
fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("text/event-stream"))
}

/// Reads the body without ever holding more than `limit` bytes of it.
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, SendError> {
    let status = response.status().as_u16();
    let too_large = || {
        InvalidResponse::unread(
            status,
            format!("the body is larger than the limit of {limit} bytes (max_response_size)"),
        )
    };
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(SendError::InvalidResponse(too_large()));
    }
    if declared.is_some() {
        // hyper stops at the declared length, so the limit holds; one buffer, no copies.
        return Ok(Vec::from(response.bytes().await.map_err(transport)?));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if body.len() + chunk.len() > limit {
            return Err(SendError::InvalidResponse(too_large()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn transport(error: impl Into<HttpError>) -> SendError {
    let error = error.into();
    SendError::Transport(TransportError::new(error.kind(), error.into_source()))
}

fn invalid_credentials(part: &'static str) -> SendError {
    SendError::Credentials(CredentialsError::InvalidValue {
        part,
        reason: "contains characters not allowed in an HTTP header",
    })
}
