//! The one call path every generated action goes through.
//!
//! Generated clients hold a [`ServiceClient`] and call [`ServiceClient::call`] (or
//! [`ServiceClient::call_with`] for per-call [`CallOptions`]). Only serialising the input
//! and deserialising the output are generic; everything between (rate limiting, signing,
//! sending, retrying, clock-skew correction, timeouts) lives in non-generic functions
//! compiled once for all actions.
//!
//! One call:
//!
//! 1. the input is serialised once; every attempt sends the same bytes;
//! 2. per attempt: wait for the action's rate limit (`rate_limit.rs`), sign with a
//!    fresh timestamp corrected by the learned clock offset (`clock.rs`), send, read
//!    the answer, all within the attempt timeout;
//! 3. `AuthFailure.SignatureExpire` with a `Date` header: learn the offset and try once
//!    more (not counted as a retry: the request was refused unread);
//! 4. other failures are retried as [`crate::retry`] decides;
//! 5. the whole of it is bounded by the operation timeout, if any.
//!
//! Dropping the returned future at any point cancels the call: the in-flight HTTP request
//! is dropped with it (its connection closed), and no background task is left behind.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, DATE, HOST, HeaderMap, HeaderName, HeaderValue,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::config::Config;
use crate::credentials::CredentialsError;
use crate::error::{InvalidRequest, InvalidResponse, SdkError, ServiceError, TransportError};
use crate::response::{self, Peek, RawResponse};
use crate::retry::{self, Failure, RetryConfig};
use crate::signing::{Payload, SignableRequest, SigningKeyCache};

/// A service version, as declared by generated code.
#[derive(Debug)]
pub struct ServiceInfo {
    /// Service name used in the credential scope, e.g. `edgezone`.
    pub name: &'static str,
    /// API version sent as `X-TC-Version`, e.g. `2026-04-01`.
    pub version: &'static str,
    /// Host used unless the config has an endpoint URL, e.g.
    /// `edgezone.intl.tencentcloudapi.com`.
    pub default_host: &'static str,
}

/// An action, as declared by generated code.
#[derive(Debug)]
pub struct ActionInfo {
    /// Sent as `X-TC-Action`, e.g. `ReleasePublicIp`.
    pub name: &'static str,
    /// Documented requests per second; calls are paced to stay under it unless the config
    /// turns rate limiting off.
    pub rate_limit: Option<u32>,
    /// Sent with `Authorization: SKIP` and without credentials (sts
    /// AssumeRoleWithWebIdentity, AssumeRoleWithSAML).
    pub skip_sign: bool,
    /// A read action (`Describe*`, `Get*`, `List*`, `Query*`) or one with a `ClientToken`
    /// member: timeouts and `InternalError` may then be retried (for the latter, only when
    /// the request actually carries a token).
    pub idempotent: bool,
}

const SIGNATURE_EXPIRE: &str = "AuthFailure.SignatureExpire";

/// The body is always JSON, and this exact value is what gets signed.
const JSON: &str = "application/json";

/// Settings for one call that override the [`Config`]'s. Generated builders hold one and
/// pass it to [`ServiceClient::call_with`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    retry: Option<RetryConfig>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
}

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
}

/// Sends actions of one service version with the settings of a [`Config`].
#[derive(Clone, Debug)]
pub struct ServiceClient {
    config: Config,
    service: &'static ServiceInfo,
    /// Where requests go; `None` if the service's default host does not form a URL.
    target: Option<Target>,
    /// Shared by clones; holds the derived key for `service`, never the secret.
    signing_keys: Arc<SigningKeyCache>,
}

/// The URL requests are posted to and the host they are signed for, worked out once per
/// client: handed a string, reqwest would parse it, host through IDNA, on every attempt.
#[derive(Clone, Debug)]
struct Target {
    url: Url,
    host: String,
}

impl Target {
    fn new(config: &Config, service: &ServiceInfo) -> Option<Self> {
        match config.endpoint() {
            Some(endpoint) => Some(Self {
                url: endpoint.url.clone(),
                host: endpoint.host.clone(),
            }),
            None => Some(Self {
                url: Url::parse(&format!("https://{}/", service.default_host)).ok()?,
                host: service.default_host.to_owned(),
            }),
        }
    }
}

/// Why the non-generic core failed; non-generic so the core is compiled once.
enum SendError {
    InvalidRequest(InvalidRequest),
    Credentials(CredentialsError),
    Transport(TransportError),
    /// Only a body over the size limit: other problems are found when decoding.
    InvalidResponse(InvalidResponse),
}

impl<E> From<SendError> for SdkError<E> {
    fn from(error: SendError) -> Self {
        match error {
            SendError::InvalidRequest(error) => SdkError::InvalidRequest(error),
            SendError::Credentials(error) => SdkError::Credentials(error),
            SendError::Transport(error) => SdkError::Transport(error),
            SendError::InvalidResponse(error) => SdkError::InvalidResponse(error),
        }
    }
}

/// What one attempt brought back.
struct Answer {
    raw: RawResponse,
    /// The `Date` header, for clock-skew correction.
    date: Option<String>,
}

impl ServiceClient {
    pub fn new(config: &Config, service: &'static ServiceInfo) -> Self {
        Self {
            config: config.clone(),
            service,
            target: Target::new(config, service),
            signing_keys: Arc::default(),
        }
    }

    /// Serialise once, then rate-limit, sign, send, retry as needed, and decode the
    /// envelope, with the config's settings.
    pub async fn call<I: Serialize, O: DeserializeOwned, E: ServiceError>(
        &self,
        action: &'static ActionInfo,
        input: &I,
    ) -> Result<O, SdkError<E>> {
        self.call_with(action, input, &CallOptions::default()).await
    }

    /// [`call`](Self::call) with `options` overriding the config for this call.
    pub async fn call_with<I: Serialize, O: DeserializeOwned, E: ServiceError>(
        &self,
        action: &'static ActionInfo,
        input: &I,
        options: &CallOptions,
    ) -> Result<O, SdkError<E>> {
        let body = serde_json::to_vec(input).map_err(|error| {
            SdkError::InvalidRequest(InvalidRequest::new(
                action.name,
                None,
                format!("cannot serialise the input: {error}"),
            ))
        })?;
        let span = self.span(action);
        let raw = self
            .execute(action, Bytes::from(body), options)
            .instrument(span.clone())
            .await?;
        // Decoding records the RequestId on the span and logs any DeprecatedWarning in it.
        span.in_scope(|| response::decode(&raw))
    }

    /// One debug span per call, with one child span per attempt. Neither ever carries the
    /// Authorization header, the secret key, the token or a body.
    fn span(&self, action: &'static ActionInfo) -> tracing::Span {
        tracing::debug_span!(
            "tencent_cloud.call",
            service = self.service.name,
            action = action.name,
            region = self.config.region().unwrap_or(""),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        )
    }

    /// The attempts, bounded by the operation timeout.
    async fn execute(
        &self,
        action: &'static ActionInfo,
        body: Bytes,
        options: &CallOptions,
    ) -> Result<RawResponse, SendError> {
        let attempts = self.attempts(action, &body, options);
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
        body: &Bytes,
        options: &CallOptions,
    ) -> Result<RawResponse, SendError> {
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
            let result = self
                .attempt(action, body, attempt_timeout)
                .instrument(span.clone())
                .await;
            let failure = match &result {
                Err(SendError::Transport(error)) => Failure::Transport(error.kind()),
                Err(_) => break result.map(|answer| answer.raw),
                Ok(answer) => match response::peek(&answer.raw) {
                    Peek::Success { request_id } => {
                        span.record("request_id", request_id.as_str());
                        budget.deposit(withdrawn);
                        break result.map(|answer| answer.raw);
                    }
                    Peek::Error { code, request_id } => {
                        span.record("request_id", request_id.as_str());
                        if code == SIGNATURE_EXPIRE && !skew_corrected {
                            if let Some(offset) = self.config.clock().learn(answer.date.as_deref())
                            {
                                tracing::info!(
                                    offset_secs = offset,
                                    "the server's clock differs from ours: signing with its time from now on"
                                );
                                skew_corrected = true;
                                continue;
                            }
                        }
                        Failure::Code(code)
                    }
                    Peek::NotApi if answer.raw.status >= 500 => Failure::ServerError,
                    Peek::NotApi => break result.map(|answer| answer.raw),
                },
            };
            // The clock-skew retry is a correction, not one of the strategy's attempts.
            let counted = sent - u32::from(skew_corrected);
            let retry_kind = (counted < retry.attempts())
                .then(|| retry::classify(&failure, || retry::safe_to_repeat(action, body)))
                .flatten();
            let Some(kind) = retry_kind else {
                break result.map(|answer| answer.raw);
            };
            let Some(cost) = budget.withdraw(kind) else {
                tracing::debug!(?failure, "not retrying: the retry budget is exhausted");
                break result.map(|answer| answer.raw);
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
        body: &Bytes,
        timeout: Duration,
    ) -> Result<Answer, SendError> {
        let Some(Target { url, host }) = &self.target else {
            return Err(SendError::InvalidRequest(InvalidRequest::new(
                action.name,
                Some("Host"),
                format!(
                    "the service's default host {:?} does not form a URL",
                    self.service.default_host
                ),
            )));
        };
        let timestamp = self.config.clock().timestamp().map_err(|reason| {
            SendError::InvalidRequest(InvalidRequest::new(
                action.name,
                Some("X-TC-Timestamp"),
                reason,
            ))
        })?;
        let mut headers = self.headers(action, host, timestamp)?;
        let authorization = if action.skip_sign {
            HeaderValue::from_static("SKIP")
        } else {
            self.authorize(&mut headers, host, body, timestamp, action)
                .await?
        };
        headers.insert(AUTHORIZATION, authorization);

        let request = self
            .config
            .http()
            .post(url.clone())
            .headers(headers)
            .body(body.clone());
        let exchange = async {
            let response = request.send().await.map_err(transport)?;
            let status = response.status().as_u16();
            tracing::Span::current().record("status", status);
            let date = response
                .headers()
                .get(DATE)
                .and_then(|date| date.to_str().ok())
                .map(str::to_owned);
            let body = read_body(response, self.config.max_response_size()).await?;
            tracing::debug!(status, "answer received");
            Ok(Answer {
                raw: RawResponse { status, body },
                date,
            })
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

    /// Every header but `Authorization` and `X-TC-Token`.
    fn headers(
        &self,
        action: &'static ActionInfo,
        host: &str,
        timestamp: i64,
    ) -> Result<HeaderMap, SendError> {
        // Sized for every header of a request, so that building it never regrows the map.
        let mut headers = HeaderMap::with_capacity(12);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        headers.insert(HOST, header_value(host, action, "Host")?);
        // Generated names are checked by codegen, but `from_static` would panic on a bad one.
        headers.insert(
            HeaderName::from_static("x-tc-action"),
            header_value(action.name, action, "X-TC-Action")?,
        );
        headers.insert(
            HeaderName::from_static("x-tc-version"),
            header_value(self.service.version, action, "X-TC-Version")?,
        );
        headers.insert(
            HeaderName::from_static("x-tc-timestamp"),
            HeaderValue::from(timestamp),
        );
        if let Some(region) = self.config.region() {
            headers.insert(
                HeaderName::from_static("x-tc-region"),
                header_value(region, action, "X-TC-Region")?,
            );
        }
        headers.insert(
            HeaderName::from_static("x-tc-language"),
            HeaderValue::from_static(self.config.language().as_str()),
        );
        headers.insert(
            HeaderName::from_static("x-tc-requestclient"),
            self.config.request_client().clone(),
        );
        Ok(headers)
    }

    /// Gets credentials, adds `X-TC-Token` if they carry one, and returns the
    /// `Authorization` value (marked sensitive so HTTP-level logging leaves it out).
    async fn authorize(
        &self,
        headers: &mut HeaderMap,
        host: &str,
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
            headers.insert(HeaderName::from_static("x-tc-token"), token);
        }
        let request = SignableRequest {
            host,
            content_type: JSON,
            payload: Payload::Bytes(body),
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

fn transport(error: reqwest::Error) -> SendError {
    SendError::Transport(TransportError::new(error))
}

fn invalid_credentials(part: &'static str) -> SendError {
    SendError::Credentials(CredentialsError::InvalidValue {
        part,
        reason: "contains characters not allowed in an HTTP header",
    })
}

fn header_value(
    value: &str,
    action: &'static ActionInfo,
    header: &'static str,
) -> Result<HeaderValue, SendError> {
    HeaderValue::from_str(value).map_err(|_| {
        SendError::InvalidRequest(InvalidRequest::new(
            action.name,
            Some(header),
            "contains characters not allowed in an HTTP header",
        ))
    })
}
