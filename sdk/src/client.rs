//! The one call path every generated action goes through.
//!
//! Generated clients hold a [`ServiceClient`] and call [`ServiceClient::call`]. Only
//! serialising the input and deserialising the output are generic; signing, headers and
//! sending live in the non-generic `send_raw`, and envelope checks in the non-generic
//! `response::parse`, each compiled once for all actions.

use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::Config;
use crate::credentials::CredentialsError;
use crate::error::{InvalidRequest, SdkError, ServiceError, TransportError};
use crate::response::{self, RawResponse};
use crate::signing::{self, Payload, SignableRequest};

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
    /// Documented requests per second (not enforced yet).
    pub rate_limit: Option<u32>,
    /// Sent with `Authorization: SKIP` and without credentials (sts
    /// AssumeRoleWithWebIdentity, AssumeRoleWithSAML).
    pub skip_sign: bool,
    /// Safe to retry (not used yet).
    pub idempotent: bool,
}

/// The body is always JSON, and this exact value is what gets signed.
const JSON: &str = "application/json";
const REQUEST_CLIENT: &str = concat!("tencent-cloud-rust/", env!("CARGO_PKG_VERSION"));

/// Sends actions of one service version with the settings of a [`Config`].
#[derive(Clone, Debug)]
pub struct ServiceClient {
    config: Config,
    service: &'static ServiceInfo,
}

/// Why `send_raw` failed; non-generic so the core is compiled once.
enum SendError {
    InvalidRequest(InvalidRequest),
    Credentials(CredentialsError),
    Transport(TransportError),
}

impl<E> From<SendError> for SdkError<E> {
    fn from(error: SendError) -> Self {
        match error {
            SendError::InvalidRequest(error) => SdkError::InvalidRequest(error),
            SendError::Credentials(error) => SdkError::Credentials(error),
            SendError::Transport(error) => SdkError::Transport(error),
        }
    }
}

impl ServiceClient {
    pub fn new(config: &Config, service: &'static ServiceInfo) -> Self {
        Self {
            config: config.clone(),
            service,
        }
    }

    /// Serialise once, sign, send, decode the envelope.
    pub async fn call<I: Serialize, O: DeserializeOwned, E: ServiceError>(
        &self,
        action: &'static ActionInfo,
        input: &I,
    ) -> Result<O, SdkError<E>> {
        let body = serde_json::to_vec(input).map_err(|error| {
            SdkError::InvalidRequest(InvalidRequest::new(
                action.name,
                None,
                format!("cannot serialise the input: {error}"),
            ))
        })?;
        let span = self.span(action);
        let raw = self.send_raw(action, body).instrument(span.clone()).await?;
        // Decoding records the RequestId on the span and logs any DeprecatedWarning in it.
        span.in_scope(|| response::decode(&raw))
    }

    /// One debug span per call. It never carries the Authorization header, the secret
    /// key, the token or the body.
    fn span(&self, action: &'static ActionInfo) -> tracing::Span {
        tracing::debug_span!(
            "tencent_cloud.call",
            service = self.service.name,
            action = action.name,
            region = self.config.region().unwrap_or(""),
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        )
    }

    async fn send_raw(
        &self,
        action: &'static ActionInfo,
        body: Vec<u8>,
    ) -> Result<RawResponse, SendError> {
        let (url, host) = match self.config.endpoint() {
            Some(endpoint) => (endpoint.url.as_str().to_owned(), endpoint.host.clone()),
            None => (
                format!("https://{}/", self.service.default_host),
                self.service.default_host.to_owned(),
            ),
        };
        let timestamp = unix_time().map_err(|reason| {
            SendError::InvalidRequest(InvalidRequest::new(
                action.name,
                Some("X-TC-Timestamp"),
                reason,
            ))
        })?;

        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        headers.insert(HOST, header_value(&host, action, "Host")?);
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
            HeaderValue::from_static(REQUEST_CLIENT),
        );

        let authorization = if action.skip_sign {
            HeaderValue::from_static("SKIP")
        } else {
            self.authorize(&mut headers, &host, &body, timestamp, action)
                .await?
        };
        headers.insert(AUTHORIZATION, authorization);

        let response = self
            .config
            .http()
            .post(url)
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(|error| SendError::Transport(TransportError::new(error)))?;
        let status = response.status().as_u16();
        tracing::Span::current().record("status", status);
        let body = response
            .bytes()
            .await
            .map_err(|error| SendError::Transport(TransportError::new(error)))?;
        Ok(RawResponse {
            status,
            body: Vec::from(body),
        })
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
        let signed = signing::sign(&request, &credentials, timestamp, self.service.name).map_err(
            |error| {
                SendError::InvalidRequest(InvalidRequest::new(
                    action.name,
                    Some("X-TC-Timestamp"),
                    error.to_string(),
                ))
            },
        )?;
        let mut authorization = HeaderValue::from_str(signed.authorization())
            .map_err(|_| invalid_credentials("secret id"))?;
        authorization.set_sensitive(true);
        Ok(authorization)
    }
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

fn unix_time() -> Result<i64, &'static str> {
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970")?;
    i64::try_from(elapsed.as_secs()).map_err(|_| "the system clock is out of range")
}
