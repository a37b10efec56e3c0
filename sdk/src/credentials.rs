//! Credentials and the providers that supply them.
//!
//! A [`Config`](crate::Config) holds one `Arc<dyn ProvideCredentials>` and asks it for
//! [`Credentials`] on every signed call, so a provider that refreshes temporary credentials
//! (CVM role, STS, OIDC: later issues) only has to implement [`ProvideCredentials`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

/// Printed by every `Debug` impl in place of a secret.
pub(crate) const REDACTED: &str = "** redacted **";

/// Debug-formats as [`REDACTED`], without quotes.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// A SecretId / SecretKey pair, plus the token and expiry of temporary credentials.
///
/// `Debug` shows the SecretId (it identifies the key, it does not grant access) and
/// redacts the SecretKey and the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-term credentials: no token, no expiry.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
            expiry: None,
        }
    }

    /// Adds the session token of temporary credentials (sent as `X-TC-Token`).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Records when temporary credentials stop being valid.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &Redacted)
            .field("token", &self.token.as_ref().map(|_| Redacted))
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// Why credentials could not be obtained. Never contains a secret value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The config has no provider; only actions sent with `Authorization: SKIP` can be called.
    #[error(
        "no credentials provider is configured: use `Config::from_env()` or \
         `ConfigBuilder::credentials(..)`"
    )]
    NotConfigured,
    #[error("environment variable {name} is not set")]
    MissingEnvVar { name: &'static str },
    /// The variable is set but unusable; `reason` describes it without quoting it.
    #[error("environment variable {name} is invalid: {reason}")]
    InvalidEnvVar {
        name: &'static str,
        reason: &'static str,
    },
    /// A credential part cannot be put into an HTTP header (e.g. a newline in the token).
    #[error("credentials {part} is invalid: {reason}")]
    InvalidValue {
        part: &'static str,
        reason: &'static str,
    },
}

/// The future returned by [`ProvideCredentials::provide_credentials`]; boxed so the trait
/// stays object safe.
pub type ProvideCredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Supplies credentials for each signed call.
///
/// Implementations must not print secrets in their `Debug` output.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_>;
}

/// Always returns the same credentials.
#[derive(Clone, Debug)]
pub struct StaticProvider {
    credentials: Credentials,
}

impl StaticProvider {
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials }
    }
}

impl From<Credentials> for StaticProvider {
    fn from(credentials: Credentials) -> Self {
        Self::new(credentials)
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let credentials = self.credentials.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

// A static provider is also what a user means when they hand over plain credentials.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
pub const ENV_TOKEN: &str = "TENCENTCLOUD_TOKEN";

/// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the optional
/// `TENCENTCLOUD_TOKEN` each time credentials are requested, so a process that rotates
/// them in its environment is picked up without rebuilding the config.
///
/// An empty `TENCENTCLOUD_TOKEN` counts as unset (shells often export it empty).
#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    _private: (),
}

impl EnvironmentProvider {
    pub fn new() -> Self {
        Self::default()
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let secret_id = required_var(ENV_SECRET_ID)?;
        let secret_key = required_var(ENV_SECRET_KEY)?;
        let credentials = Credentials::new(secret_id, secret_key);
        Ok(match optional_var(ENV_TOKEN)? {
            Some(token) => credentials.with_token(token),
            None => credentials,
        })
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

fn optional_var(name: &'static str) -> Result<Option<String>, CredentialsError> {
    match std::env::var_os(name) {
        None => Ok(None),
        Some(value) if value.is_empty() => Ok(None),
        Some(value) => value
            .into_string()
            .map(Some)
            .map_err(|_| CredentialsError::InvalidEnvVar {
                name,
                reason: "is not valid UTF-8",
            }),
    }
}

fn required_var(name: &'static str) -> Result<String, CredentialsError> {
    let value = optional_var(name)?.ok_or(CredentialsError::MissingEnvVar { name })?;
    // The official SDKs refuse padded keys too; a stray newline from `$(cat file)` would
    // otherwise surface much later as an opaque signature failure.
    if value.trim() != value {
        return Err(CredentialsError::InvalidEnvVar {
            name,
            reason: "has leading or trailing whitespace",
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_key_and_token() {
        let credentials = Credentials::new("AKIDexample", "very-secret-key")
            .with_token("very-secret-token")
            .with_expiry(SystemTime::UNIX_EPOCH);
        let debug = format!("{credentials:?}");
        assert!(debug.contains("AKIDexample"), "{debug}");
        assert!(!debug.contains("very-secret"), "{debug}");
        assert_eq!(debug.matches(REDACTED).count(), 2, "{debug}");

        let pretty = format!("{:#?}", StaticProvider::new(credentials));
        assert!(!pretty.contains("very-secret"), "{pretty}");
    }

    #[test]
    fn debug_without_token_says_none() {
        let debug = format!("{:?}", Credentials::new("id", "key-value"));
        assert!(debug.contains("token: None"), "{debug}");
        assert!(!debug.contains("key-value"), "{debug}");
    }

    #[test]
    fn errors_name_the_variable_not_the_value() {
        let missing = CredentialsError::MissingEnvVar {
            name: ENV_SECRET_KEY,
        };
        assert_eq!(
            missing.to_string(),
            "environment variable TENCENTCLOUD_SECRET_KEY is not set"
        );
    }

    #[test]
    fn static_provider_returns_its_credentials() {
        let credentials = Credentials::new("id", "key").with_token("t");
        let provider: std::sync::Arc<dyn ProvideCredentials> =
            std::sync::Arc::new(StaticProvider::new(credentials.clone()));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let provided = runtime
            .block_on(provider.provide_credentials())
            .expect("static credentials");
        assert_eq!(provided, credentials);
    }
}
