//! Client configuration shared by every service client.
//!
//! A [`Config`] is cheap to clone (one `Arc`) and owns the single HTTP client (reqwest with
//! rustls) that every service client made from it uses, so connections are pooled across
//! services.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::credentials::{EnvironmentProvider, ProvideCredentials};

/// Default time allowed to establish a TCP + TLS connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole request, from sending to the last body byte (the
/// official Python SDK also allows 60 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

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

#[derive(Debug)]
struct Inner {
    region: Option<String>,
    language: Language,
    endpoint: Option<Endpoint>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    http: reqwest::Client,
}

impl Config {
    /// A builder with no region, no endpoint override and no credentials provider.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder preset from the environment: region from `TENCENTCLOUD_REGION`, endpoint
    /// from `TENCENTCLOUD_ENDPOINT_URL` (both optional; empty counts as unset) and the
    /// [`EnvironmentProvider`] for credentials.
    ///
    /// Credentials are read when a call is signed, not here, so `from_env().build()`
    /// succeeds without them and a missing variable surfaces as
    /// [`SdkError::Credentials`](crate::SdkError::Credentials) naming it. Builder methods
    /// called afterwards override what the environment said.
    pub fn from_env() -> ConfigBuilder {
        let mut builder = ConfigBuilder::default().credentials(EnvironmentProvider::new());
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

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }
}

/// Builds a [`Config`]; everything is checked in [`build`](Self::build).
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    language: Language,
    endpoint_url: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
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
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
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
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for each request as a whole (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
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
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .build()
            .map_err(ConfigError::HttpClient)?;
        Ok(Config {
            inner: Arc::new(Inner {
                region,
                language: self.language,
                endpoint,
                credentials: self.credentials,
                http,
            }),
        })
    }
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

fn parse_endpoint(text: &str) -> Result<Endpoint, ConfigError> {
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
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(1))
            .build()
            .expect("valid config");
        assert_eq!(config.region(), Some("ap-singapore"));
        assert_eq!(config.language().as_str(), "zh-CN");
        assert!(config.endpoint().is_none());
        assert!(config.credentials_provider().is_some());
        assert_eq!(Language::default().as_str(), "en-US");
        assert!(!format!("{config:?}").contains("\"key\""));
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
