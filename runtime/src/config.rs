//! Client configuration shared by every service client.
//!
//! A [`Config`] is cheap to clone (one `Arc`) and owns what every service client made
//! from it shares: the HTTP client (reqwest with rustls, so connections are pooled across
//! services), the retry budget, the learned clock offset and the rate-limit buckets.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::Url;

use crate::clock::ClockSkew;
pub use crate::clock::MAX_CLOCK_CORRECTION;
use crate::credentials::{ProvideCredentials, Redacted};
use crate::failover::Failover;
use crate::http::HttpClient;
use crate::rate_limit::RateLimiter;
use crate::retry::{RetryBudget, RetryConfig};

/// Default time allowed to establish a TCP + TLS connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, from sending to the last body byte (the
/// official Python SDK also allows 60 s).
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default largest response body a call reads. API answers are JSON and usually a few KiB;
/// the largest legitimate ones (images returned as base64) stay well under this, while a
/// misbehaving endpoint or proxy cannot make a call hold unbounded memory.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 * 1024 * 1024;
/// Sent as `X-TC-RequestClient`, followed by the user-agent suffix if one is set.
pub const REQUEST_CLIENT: &str = concat!("tencent-cloud-rust/", env!("CARGO_PKG_VERSION"));

pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
pub const ENV_ENDPOINT_URL: &str = "TENCENTCLOUD_ENDPOINT_URL";

/// Language of error messages, sent as `X-TC-Language`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    #[default]
    EnUs,
    ZhCn,
}

impl Language {
    /// The header value: `en-US` or `zh-CN`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EnUs => "en-US",
            Self::ZhCn => "zh-CN",
        }
    }
}

/// Why a [`Config`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("invalid endpoint URL {url:?}: {reason}")]
    InvalidEndpointUrl { url: String, reason: &'static str },
    #[error("invalid region {region:?}: {reason}")]
    InvalidRegion {
        region: String,
        reason: &'static str,
    },
    #[error("environment variable {name} is invalid: {reason}")]
    InvalidEnvVar {
        name: &'static str,
        reason: &'static str,
    },
    #[error("could not create the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
    /// The proxy URL is not usable; the URL itself is not repeated (it may hold a password).
    #[error("invalid proxy URL")]
    InvalidProxy(#[source] reqwest::Error),
    #[error("invalid user-agent suffix {suffix:?}: {reason}")]
    InvalidUserAgentSuffix {
        suffix: String,
        reason: &'static str,
    },
    /// A PEM given to `add_root_certificate` (counted from 0) holds no certificate.
    #[error("root certificate {index} is not a PEM certificate")]
    InvalidCertificate { index: usize },
    /// Two settings contradict each other, e.g. a proxy for the SDK's HTTP client beside
    /// an HTTP client of the application's own, which the proxy would not reach.
    #[error("`{setting}` cannot be combined with `{with}`: {reason}")]
    Conflict {
        setting: &'static str,
        with: &'static str,
        reason: &'static str,
    },
    #[error("invalid failover: {reason}")]
    InvalidFailover { reason: String },
    #[error("invalid rate limit for {service} {action}: {reason}")]
    InvalidRateLimit {
        service: String,
        action: String,
        reason: &'static str,
    },
}

/// Where requests go when an endpoint URL overrides the default host.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    /// Scheme and authority only; requests are always `POST /`.
    pub url: Url,
    /// `host[:port]` of `url`: the `Host` header and the signed host.
    pub host: String,
}

/// Shared settings and the HTTP client. Build one with [`Config::builder`] or
/// [`Config::from_env`].
#[derive(Clone, Debug)]
pub struct Config {
    inner: Arc<Inner>,
}

struct Inner {
    region: Option<String>,
    language: Language,
    endpoint: Option<Endpoint>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    http: Arc<dyn HttpClient>,
    request_client: HeaderValue,
    attempt_timeout: Duration,
    operation_timeout: Option<Duration>,
    max_response_size: usize,
    unsigned_payload: bool,
    retry: RetryConfig,
    retry_budget: RetryBudget,
    clock: ClockSkew,
    // None when client-side rate limiting is off.
    rate_limiter: Option<RateLimiter>,
    failover: Option<Failover>,
}

// Written out to leave the HTTP client (and any proxy password in it) out.
impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("language", &self.language)
            .field("endpoint", &self.endpoint.as_ref().map(|e| e.url.as_str()))
            .field("credentials", &self.credentials)
            .field("request_client", &self.request_client)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("unsigned_payload", &self.unsigned_payload)
            .field("retry", &self.retry)
            .field("rate_limiting", &self.rate_limiter.is_some())
            .field("failover", &self.failover)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder with no region, no endpoint override and no credentials provider.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    pub fn language(&self) -> Language {
        self.inner.language
    }

    pub(crate) fn endpoint(&self) -> Option<&Endpoint> {
        self.inner.endpoint.as_ref()
    }

    pub(crate) fn credentials_provider(&self) -> Option<&Arc<dyn ProvideCredentials>> {
        self.inner.credentials.as_ref()
    }

    pub(crate) fn http(&self) -> &dyn HttpClient {
        &*self.inner.http
    }

    pub(crate) fn request_client(&self) -> &HeaderValue {
        &self.inner.request_client
    }

    pub fn attempt_timeout(&self) -> Duration {
        self.inner.attempt_timeout
    }

    pub fn operation_timeout(&self) -> Option<Duration> {
        self.inner.operation_timeout
    }

    pub fn max_response_size(&self) -> usize {
        self.inner.max_response_size
    }

    pub fn unsigned_payload(&self) -> bool {
        self.inner.unsigned_payload
    }

    pub fn retry(&self) -> &RetryConfig {
        &self.inner.retry
    }

    pub(crate) fn retry_budget(&self) -> &RetryBudget {
        &self.inner.retry_budget
    }

    pub(crate) fn clock(&self) -> &ClockSkew {
        &self.inner.clock
    }

    pub(crate) fn rate_limiter(&self) -> Option<&RateLimiter> {
        self.inner.rate_limiter.as_ref()
    }

    pub(crate) fn failover(&self) -> Option<&Failover> {
        self.inner.failover.as_ref()
    }
}

/// Builds a [`Config`]; everything is checked in [`build`](Self::build).
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    language: Language,
    endpoint_url: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    /// How to build the SDK's own HTTP client...
    http_settings: HttpSettings,
    /// ...unless the application brings its own.
    http_client: Option<Arc<dyn HttpClient>>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_response_size: Option<usize>,
    unsigned_payload: bool,
    retry: RetryConfig,
    // Option so that `Default` can leave it on.
    rate_limiting: Option<bool>,
    rate_limits: HashMap<(String, String), u32>,
    user_agent_suffix: Option<String>,
    failover: Option<Failover>,
    // A bad environment variable seen by `Config::from_env`, reported by `build`.
    env_error: Option<ConfigError>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .field("language", &self.language)
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.http_settings.connect_timeout)
            .field("http_client", &self.http_client)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("unsigned_payload", &self.unsigned_payload)
            .field("retry", &self.retry)
            .field("rate_limiting", &self.rate_limiting)
            .field("rate_limits", &self.rate_limits)
            .field(
                "proxy",
                &self.http_settings.proxy.as_ref().map(|_| Redacted),
            )
            .field(
                "root_certificates",
                &self.http_settings.root_certificates.len(),
            )
            .field("pool_idle_timeout", &self.http_settings.pool_idle_timeout)
            .field(
                "pool_max_idle_per_host",
                &self.http_settings.pool_max_idle_per_host,
            )
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("failover", &self.failover)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// `Config::from_env` with `credentials`: region and endpoint from the environment.
    pub(crate) fn from_env_with(credentials: impl ProvideCredentials + 'static) -> Self {
        let mut builder = Self::default().credentials(credentials);
        match env_var(ENV_REGION) {
            Ok(region) => builder.region = region,
            Err(error) => builder.env_error = Some(error),
        }
        match env_var(ENV_ENDPOINT_URL) {
            Ok(url) => builder.endpoint_url = url,
            Err(error) => builder.env_error = builder.env_error.or(Some(error)),
        }
        builder
    }

    /// The region sent as `X-TC-Region`, e.g. `ap-singapore`. Without one the header is
    /// omitted (only region-less actions accept that).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    /// Sends every request to this URL instead of `https://<service default host>`, e.g.
    /// `http://127.0.0.1:9000`. Scheme http or https, no path, query or credentials.
    ///
    /// The `Host` header and the signature then use the URL's `host[:port]` (the port only
    /// when it is not the scheme's default), because that is the host the receiving server
    /// sees and verifies against.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    pub fn credentials(self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials_provider(Arc::new(provider))
    }

    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// Time allowed to connect (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.http_settings.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for each attempt, from sending to the last body byte (default
    /// [`DEFAULT_ATTEMPT_TIMEOUT`]). A timed-out attempt of an action that is safe to
    /// repeat is retried.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole call: rate-limit waits, every attempt and the backoff
    /// between them (default: none; each attempt still has its own timeout).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The largest response body a call reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`]). A larger one ends the call with
    /// [`SdkError::InvalidResponse`](crate::SdkError::InvalidResponse) as soon as it is
    /// known to be larger, without reading the rest; it is not retried.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// Signs requests without hashing their bodies (default off): the signature then
    /// covers the literal `UNSIGNED-PAYLOAD`, and requests carry
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`, as the official SDKs' `unsignedPayload`
    /// profile option does. It saves a SHA-256 of each body, at the price of a body that
    /// is no longer protected by the signature: anyone who can alter the request in transit
    /// can change its parameters. Worth it only for large bodies over TLS.
    pub fn unsigned_payload(mut self, enabled: bool) -> Self {
        self.unsigned_payload = enabled;
        self
    }

    /// How failed attempts are retried (default [`RetryConfig::standard`]; turn retries
    /// off with [`RetryConfig::disabled`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Paces actions with a documented rate limit so they stay under it (default on).
    /// Off, no action is paced, including those given a limit by [`rate_limit`](Self::rate_limit).
    pub fn rate_limiting(mut self, enabled: bool) -> Self {
        self.rate_limiting = Some(enabled);
        self
    }

    /// Paces `service`'s `action` (e.g. `"edgezone"`, `"ReleasePublicIp"`) at
    /// `per_second` requests instead of its documented limit, or gives a limit to an
    /// action the schema has none for. Lower it when several processes share one
    /// account's quota, since each paces only its own calls. 0 is refused by `build`.
    pub fn rate_limit(
        mut self,
        service: impl Into<String>,
        action: impl Into<String>,
        per_second: u32,
    ) -> Self {
        self.rate_limits
            .insert((service.into(), action.into()), per_second);
        self
    }

    /// Sends every request through this HTTP(S) proxy, e.g. `http://proxy:3128`
    /// (`http://user:password@proxy:3128` for basic authentication). Hosts listed in
    /// `NO_PROXY` still bypass it.
    ///
    /// Without this, the proxy comes from the environment: `HTTPS_PROXY` for https
    /// endpoints, `HTTP_PROXY` for http ones, `ALL_PROXY` for both, except `NO_PROXY` hosts.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.http_settings.proxy = Some(url.into());
        self
    }

    /// Trusts the certificates of `pem` (one or more PEM certificates), besides the
    /// built-in roots: for a TLS-intercepting corporate proxy, or a private endpoint.
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.http_settings.root_certificates.push(pem.into());
        self
    }

    /// How long an idle pooled connection is kept (reqwest's default: 90 s).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.http_settings.pool_idle_timeout = Some(timeout);
        self
    }

    /// At most this many idle connections kept per host (reqwest's default: no limit).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.http_settings.pool_max_idle_per_host = Some(max);
        self
    }

    /// Sends every request through the application's own HTTP client: a
    /// `reqwest::Client` built as it likes (HTTP/2, pool, local address, TLS), or any
    /// [`HttpClient`], e.g. a middleware stack. It must not follow redirects (see
    /// [`HttpClient`]). The SDK's own client settings (`connect_timeout`, `proxy`,
    /// `add_root_certificate`, `pool_*`) cannot be combined with it: `build` refuses
    /// them with [`ConfigError::Conflict`]. Attempt and operation timeouts still apply.
    pub fn http_client(mut self, client: impl HttpClient) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// Opt-in regional failover: reads move to another endpoint while this one keeps
    /// failing (see [`Failover`]); writes stay.
    pub fn failover(mut self, failover: Failover) -> Self {
        self.failover = Some(failover);
        self
    }

    /// Appended to `X-TC-RequestClient` after a space, e.g. `my-app/1.2`, so the requests
    /// of an application can be told apart in Tencent Cloud's logs.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    pub fn build(self) -> Result<Config, ConfigError> {
        if let Some(error) = self.env_error {
            return Err(error);
        }
        let region = self.region.map(check_region).transpose()?;
        let endpoint = self
            .endpoint_url
            .as_deref()
            .map(parse_endpoint)
            .transpose()?;
        let request_client = request_client(self.user_agent_suffix)?;
        if let Some(failover) = &self.failover {
            check_failover(failover)?;
        }
        let rate_limits = check_rate_limits(self.rate_limits)?;
        let http: Arc<dyn HttpClient> = match (self.http_client, self.http_settings.first_set()) {
            (Some(_), Some(setting)) => {
                return Err(ConfigError::Conflict {
                    setting,
                    with: "http_client",
                    reason: "it configures the SDK's own HTTP client, which an application's \
                             client replaces: set it on that client instead",
                });
            }
            (Some(client), None) => client,
            (None, _) => Arc::new(self.http_settings.build()?),
        };
        Ok(Config {
            inner: Arc::new(Inner {
                region,
                language: self.language,
                endpoint,
                credentials: self.credentials,
                http,
                request_client,
                attempt_timeout: self.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT),
                operation_timeout: self.operation_timeout,
                max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
                unsigned_payload: self.unsigned_payload,
                retry: self.retry,
                retry_budget: RetryBudget::default(),
                clock: ClockSkew::default(),
                rate_limiter: self
                    .rate_limiting
                    .unwrap_or(true)
                    .then(|| RateLimiter::with_overrides(rate_limits)),
                failover: self.failover,
            }),
        })
    }
}

/// The template must form an endpoint URL for any service name.
fn check_failover(failover: &Failover) -> Result<(), ConfigError> {
    if failover.failures() == 0 {
        return Err(ConfigError::InvalidFailover {
            reason: "0 failures would fail over before any failure; use at least 1".into(),
        });
    }
    parse_endpoint(&failover.endpoint_for("service"))
        .map(drop)
        .map_err(|error| ConfigError::InvalidFailover {
            reason: error.to_string(),
        })
}

fn check_rate_limits(
    limits: HashMap<(String, String), u32>,
) -> Result<HashMap<(String, String), u32>, ConfigError> {
    match limits.iter().find(|(_, per_second)| **per_second == 0) {
        Some(((service, action), _)) => Err(ConfigError::InvalidRateLimit {
            service: service.clone(),
            action: action.clone(),
            reason: "0 requests per second would never send; turn pacing off with \
                     `rate_limiting(false)` instead",
        }),
        None => Ok(limits),
    }
}

fn request_client(suffix: Option<String>) -> Result<HeaderValue, ConfigError> {
    let Some(suffix) = suffix else {
        return Ok(HeaderValue::from_static(REQUEST_CLIENT));
    };
    let reason = if suffix.trim().is_empty() {
        "is empty"
    } else if !suffix.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        "must be printable ASCII"
    } else {
        return HeaderValue::from_str(&format!("{REQUEST_CLIENT} {}", suffix.trim())).map_err(
            |_| ConfigError::InvalidUserAgentSuffix {
                suffix,
                reason: "is not a valid header value",
            },
        );
    };
    Err(ConfigError::InvalidUserAgentSuffix { suffix, reason })
}

fn env_var(name: &'static str) -> Result<Option<String>, ConfigError> {
    match std::env::var_os(name) {
        None => Ok(None),
        Some(value) if value.is_empty() => Ok(None),
        Some(value) => value
            .into_string()
            .map(Some)
            .map_err(|_| ConfigError::InvalidEnvVar {
                name,
                reason: "is not valid UTF-8",
            }),
    }
}

fn check_region(region: String) -> Result<String, ConfigError> {
    let reason = if region.is_empty() {
        "is empty"
    } else if !region.bytes().all(|b| b.is_ascii_graphic()) {
        "must be printable ASCII without spaces"
    } else {
        return Ok(region);
    };
    Err(ConfigError::InvalidRegion { region, reason })
}

pub(crate) fn parse_endpoint(text: &str) -> Result<Endpoint, ConfigError> {
    let invalid = |reason| ConfigError::InvalidEndpointUrl {
        url: text.to_owned(),
        reason,
    };
    let url =
        Url::parse(text).map_err(|_| invalid("not an absolute URL (e.g. https://host:port)"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("scheme must be http or https"));
    }
    let Some(host) = url.host_str() else {
        return Err(invalid("no host"));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not contain credentials"));
    }
    // Requests are signed as `POST /`; a path prefix would need a different canonical URI.
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a path, query or fragment"));
    }
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    Ok(Endpoint { url, host })
}

/// How the SDK builds its own reqwest client; all unset when the application brings its
/// own.
#[derive(Default)]
pub(crate) struct HttpSettings {
    connect_timeout: Option<Duration>,
    proxy: Option<String>,
    root_certificates: Vec<Vec<u8>>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: Option<usize>,
}

impl HttpSettings {
    /// The first setting that is made, by its builder method's name: what an
    /// application's own client would silently ignore.
    pub(crate) fn first_set(&self) -> Option<&'static str> {
        [
            ("connect_timeout", self.connect_timeout.is_some()),
            ("proxy", self.proxy.is_some()),
            ("add_root_certificate", !self.root_certificates.is_empty()),
            ("pool_idle_timeout", self.pool_idle_timeout.is_some()),
            (
                "pool_max_idle_per_host",
                self.pool_max_idle_per_host.is_some(),
            ),
        ]
        .into_iter()
        .find_map(|(name, set)| set.then_some(name))
    }

    pub(crate) fn build(self) -> Result<reqwest::Client, ConfigError> {
        // Timeouts per attempt and per operation are the call path's (tokio timers), so
        // they can differ per call; the client only bounds connecting.
        // API 3.0 never redirects. Following one would send the signed request and the
        // session token (`X-TC-Token`) to wherever `Location` points, replay the body on
        // 307/308, and turn the POST into a GET on 301/302, whose answer could pass for
        // a success; a 3xx is returned as `SdkError::Redirect` instead (client.rs).
        let mut http = reqwest::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT));
        if let Some(url) = self.proxy {
            // A configured proxy replaces the environment's, but NO_PROXY still applies.
            let proxy = reqwest::Proxy::all(url)
                .map_err(ConfigError::InvalidProxy)?
                .no_proxy(reqwest::NoProxy::from_env());
            http = http.proxy(proxy);
        }
        for (index, pem) in self.root_certificates.iter().enumerate() {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .ok()
                .filter(|certificates| !certificates.is_empty())
                .ok_or(ConfigError::InvalidCertificate { index })?;
            for certificate in certificates {
                http = http.add_root_certificate(certificate);
            }
        }
        if let Some(timeout) = self.pool_idle_timeout {
            http = http.pool_idle_timeout(timeout);
        }
        if let Some(max) = self.pool_max_idle_per_host {
            http = http.pool_max_idle_per_host(max);
        }
        http.build().map_err(ConfigError::HttpClient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;

    #[test]
    fn endpoint_host_keeps_non_default_ports_only() {
        let cases = [
            ("http://127.0.0.1:9000", "127.0.0.1:9000"),
            ("https://Example.COM", "example.com"),
            ("https://example.com:443/", "example.com"),
            ("http://example.com:443", "example.com:443"),
            ("http://[::1]:8080", "[::1]:8080"),
        ];
        for (url, host) in cases {
            assert_eq!(parse_endpoint(url).expect(url).host, host, "{url}");
        }
    }

    #[test]
    fn endpoint_must_be_a_plain_http_url() {
        for url in [
            "127.0.0.1:9000",
            "ftp://example.com",
            "example.com",
            "http://user:pw@example.com",
            "http://example.com/prefix",
            "http://example.com/?a=b",
            "",
        ] {
            let error = Config::builder().endpoint_url(url).build().expect_err(url);
            assert!(
                matches!(error, ConfigError::InvalidEndpointUrl { .. }),
                "{url}: {error}"
            );
        }
    }

    #[test]
    fn builder_settings_are_kept() {
        let config = Config::builder()
            .region("ap-singapore")
            .language(Language::ZhCn)
            .credentials(Credentials::new("id", "key"))
            .attempt_timeout(Duration::from_secs(5))
            .operation_timeout(Duration::from_secs(12))
            .connect_timeout(Duration::from_secs(1))
            .retry(RetryConfig::disabled())
            .rate_limiting(false)
            .user_agent_suffix("my-app/1.2")
            .build()
            .expect("valid config");
        assert_eq!(config.attempt_timeout(), Duration::from_secs(5));
        assert_eq!(config.operation_timeout(), Some(Duration::from_secs(12)));
        assert_eq!(config.retry(), &RetryConfig::disabled());
        assert!(config.rate_limiter().is_none());
        assert_eq!(
            config.request_client().to_str().expect("ASCII"),
            format!("{REQUEST_CLIENT} my-app/1.2")
        );
        assert_eq!(config.region(), Some("ap-singapore"));
        assert_eq!(config.language().as_str(), "zh-CN");
        assert!(config.endpoint().is_none());
        assert!(config.credentials_provider().is_some());
        assert_eq!(Language::default().as_str(), "en-US");
        assert!(!format!("{config:?}").contains("\"key\""));
    }

    #[test]
    fn rate_limits_are_checked_and_kept() {
        let error = Config::builder()
            .rate_limit("edgezone", "ReleasePublicIp", 0)
            .build()
            .expect_err("zero is refused");
        assert!(
            error.to_string().contains("edgezone ReleasePublicIp"),
            "{error}"
        );
        let config = Config::builder()
            .rate_limit("edgezone", "DescribePublicIps", 7)
            .build()
            .expect("valid config");
        let limiter = config.rate_limiter().expect("pacing on");
        assert_eq!(
            limiter.limit_for("edgezone", "DescribePublicIps", None),
            Some(7)
        );
    }

    #[test]
    fn defaults_are_safe() {
        let config = Config::builder().build().expect("valid config");
        assert_eq!(config.retry(), &RetryConfig::standard());
        assert!(config.rate_limiter().is_some());
        assert_eq!(config.attempt_timeout(), DEFAULT_ATTEMPT_TIMEOUT);
        assert_eq!(config.operation_timeout(), None);
        assert_eq!(
            config.request_client().to_str().expect("ASCII"),
            REQUEST_CLIENT
        );
    }

    #[test]
    fn bad_suffix_and_proxy_are_refused_without_echoing_the_proxy() {
        for suffix in ["", "app\n", "app/é"] {
            assert!(matches!(
                Config::builder().user_agent_suffix(suffix).build(),
                Err(ConfigError::InvalidUserAgentSuffix { .. })
            ));
        }
        let error = Config::builder()
            .proxy("http://user:hunter2@[::1")
            .build()
            .expect_err("bad proxy");
        assert!(
            !format!("{error} {error:?}").contains("hunter2"),
            "{error:?}"
        );
        let builder = Config::builder().proxy("http://user:hunter2@proxy:3128");
        assert!(!format!("{builder:?}").contains("hunter2"));
        let config = builder.build().expect("valid proxy");
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[test]
    fn bad_region_is_refused() {
        for region in ["", "ap singapore", "ap-\nx"] {
            assert!(matches!(
                Config::builder().region(region).build(),
                Err(ConfigError::InvalidRegion { .. })
            ));
        }
    }
}
