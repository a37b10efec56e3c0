//! The CVM instance role: temporary credentials from the instance metadata service.
//!
//! `GET <base>cam/security-credentials/` lists the role attached to the instance;
//! `GET <base>cam/security-credentials/<role>` returns `TmpSecretId`, `TmpSecretKey`,
//! `Token` and `ExpiredTime` (Unix seconds). The official SDKs make these calls without a
//! timeout, so a process off CVM hangs on them; here both calls have connect and read
//! timeouts, bypass any proxy, and the result is cached until shortly before it expires.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use url::Url;

use super::cache::{CredentialsCache, DEFAULT_REFRESH_MARGIN};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};

/// The metadata service as seen from a CVM instance.
const DEFAULT_METADATA_URL: &str = "http://metadata.tencentyun.com/latest/meta-data/";
/// The metadata service is link-local: if it does not answer within this, it is not there.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(5);
const PROVIDER: &str = "CVM instance role";
const ROLES_PATH: &str = "cam/security-credentials/";

/// Credentials of the role attached to this CVM instance, cached and refreshed before
/// they expire.
#[derive(Clone, Debug)]
pub struct CvmRoleProvider {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    // The base URL and the HTTP client, or why they could not be made.
    setup: Result<(Url, reqwest::Client), String>,
    role: Option<String>,
    cache: CredentialsCache,
}

/// Options for [`CvmRoleProvider`].
#[derive(Clone, Debug)]
pub struct CvmRoleProviderBuilder {
    base: String,
    role: Option<String>,
    connect_timeout: Duration,
    read_timeout: Duration,
    refresh_margin: Duration,
}

impl Default for CvmRoleProviderBuilder {
    fn default() -> Self {
        Self {
            base: DEFAULT_METADATA_URL.to_owned(),
            role: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
        }
    }
}

impl CvmRoleProviderBuilder {
    /// The metadata base URL, ending in `meta-data/` (default
    /// `http://metadata.tencentyun.com/latest/meta-data/`);
    /// tests point it at a local server.
    pub fn metadata_url(mut self, url: impl Into<String>) -> Self {
        self.base = url.into();
        self
    }

    /// Uses this role instead of asking the metadata service which one is attached.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Time allowed to connect to the metadata service (default 1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed between reads of an answer (default 5 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// How long before expiry to refresh (default 5 minutes, at most half the lifetime).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Never fails: a bad URL or HTTP client is reported by the first
    /// `provide_credentials`, which is where a chain can report it too.
    pub fn build(self) -> CvmRoleProvider {
        let base = Url::parse(&self.base)
            .map_err(|error| format!("invalid metadata URL: {error}"))
            .map(|mut url| {
                // `join` would drop the last segment of a base without a trailing slash.
                if !url.path().ends_with('/') {
                    let path = format!("{}/", url.path());
                    url.set_path(&path);
                }
                url
            });
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            // The service is only reachable directly; a proxy would leak the request.
            .no_proxy()
            .build()
            .map_err(|error| format!("cannot create the HTTP client: {error}"));
        CvmRoleProvider {
            inner: Arc::new(Inner {
                setup: base.and_then(|base| http.map(|http| (base, http))),
                role: self.role,
                cache: CredentialsCache::new(self.refresh_margin),
            }),
        }
    }
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl CvmRoleProvider {
    /// The default metadata URL and timeouts.
    pub fn new() -> Self {
        Self::builder().build()
    }

    pub fn builder() -> CvmRoleProviderBuilder {
        CvmRoleProviderBuilder::default()
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let inner = &self.inner;
        let (base, http) = inner
            .setup
            .as_ref()
            .map_err(|reason| failed(reason.clone()))?;
        let role = match &inner.role {
            Some(role) => role.clone(),
            None => {
                let roles = get(http, base, ROLES_PATH).await?;
                roles
                    .lines()
                    .map(str::trim)
                    .find(|line| !line.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| CredentialsError::NotFound {
                        provider: PROVIDER,
                        reason: "no role is attached to this instance".into(),
                    })?
            }
        };
        // The role name goes into the path; refuse anything that would change the path.
        if role.contains(['/', '?', '#']) || role == "." || role == ".." {
            return Err(failed(
                "the metadata service returned an invalid role name".into(),
            ));
        }
        let body = get(http, base, &format!("{ROLES_PATH}{role}")).await?;
        parse_credentials(&body)
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.inner.cache.get(|| self.fetch()))
    }
}

fn failed(reason: String) -> CredentialsError {
    CredentialsError::ProviderFailed {
        provider: PROVIDER,
        reason,
    }
}

async fn get(http: &reqwest::Client, base: &Url, path: &str) -> Result<String, CredentialsError> {
    let url = base
        .join(path)
        .map_err(|error| failed(format!("invalid metadata path: {error}")))?;
    let response = http.get(url.clone()).send().await.map_err(|error| {
        if error.is_connect() || error.is_timeout() {
            // Off CVM, nothing answers: the chain should move on.
            CredentialsError::NotFound {
                provider: PROVIDER,
                reason: format!(
                    "metadata service at {base} did not answer ({})",
                    kind(&error)
                ),
            }
        } else {
            failed(format!("request to {url} failed: {}", kind(&error)))
        }
    })?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_FOUND {
        return Err(CredentialsError::NotFound {
            provider: PROVIDER,
            reason: format!("no role is attached to this instance ({url} answered 404)"),
        });
    }
    if !status.is_success() {
        return Err(failed(format!("{url} answered HTTP {}", status.as_u16())));
    }
    response
        .text()
        .await
        .map_err(|error| failed(format!("reading {url} failed: {}", kind(&error))))
}

fn kind(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection failed"
    } else {
        "I/O error"
    }
}

#[derive(Deserialize)]
struct RoleCredentials {
    #[serde(rename = "TmpSecretId")]
    secret_id: String,
    #[serde(rename = "TmpSecretKey")]
    secret_key: String,
    #[serde(rename = "Token")]
    token: String,
    #[serde(rename = "ExpiredTime")]
    expired_time: u64,
    #[serde(rename = "Code")]
    code: Option<String>,
}

fn parse_credentials(body: &str) -> Result<Credentials, CredentialsError> {
    // serde's message could quote the body, which holds the secrets: say only what failed.
    let parsed: RoleCredentials = serde_json::from_str(body).map_err(|_| {
        failed(
            "the credentials answer is not JSON with TmpSecretId, TmpSecretKey, Token and \
             ExpiredTime"
                .into(),
        )
    })?;
    if let Some(code) = parsed.code.as_deref().filter(|code| *code != "Success") {
        return Err(failed(format!(
            "the metadata service answered Code {code:?}"
        )));
    }
    let expiry = UNIX_EPOCH
        .checked_add(Duration::from_secs(parsed.expired_time))
        .ok_or_else(|| failed("ExpiredTime is out of range".into()))?;
    if expiry <= SystemTime::now() {
        return Err(failed(
            "the metadata service returned expired credentials".into(),
        ));
    }
    Ok(Credentials::new(parsed.secret_id, parsed.secret_key)
        .with_token(parsed.token)
        .with_expiry(expiry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_do_not_quote_the_body() {
        let error = parse_credentials(r#"{"TmpSecretId":"AKID","TmpSecretKey":"very-secret"}"#)
            .expect_err("no token");
        assert!(!error.to_string().contains("very-secret"), "{error}");
        let error = parse_credentials(
            r#"{"TmpSecretId":"a","TmpSecretKey":"b","Token":"c","ExpiredTime":1,"Code":"Success"}"#,
        )
        .expect_err("expired");
        assert!(error.to_string().contains("expired"), "{error}");
    }
}
