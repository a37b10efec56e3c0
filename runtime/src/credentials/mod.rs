//! Credentials and the providers that supply them.
//!
//! A [`Config`](crate::Config) holds one `Arc<dyn ProvideCredentials>` and asks it for
//! [`Credentials`] on every signed call. Providers, one module each:
//!
//! - [`StaticProvider`] (and [`Credentials`] itself);
//! - [`EnvironmentProvider`]: `TENCENTCLOUD_SECRET_ID` / `_SECRET_KEY` / `_TOKEN`;
//! - [`ProfileProvider`]: the INI credentials file;
//! - [`CvmRoleProvider`]: the CVM instance role from the metadata service;
//!
//! Providers that call a service live elsewhere, since they build on the config and the
//! call path, which build on this module: `AssumeRoleProvider` and
//! `WebIdentityProvider` in `sts_credentials`, and the default chain
//! ([`DefaultChain`](crate::DefaultChain)), which can hold the latter.
//!
//! Temporary credentials go through [`cache`]: they are kept until shortly before they
//! expire, and concurrent callers during a refresh wait for one refresh.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

pub mod cache;
mod cvm;
mod env;
mod profile;

pub use cache::CachedProvider;
pub use cvm::{CvmRoleProvider, CvmRoleProviderBuilder};
pub(crate) use env::TKE_OIDC;
pub use env::{
    ENV_SECRET_ID, ENV_SECRET_KEY, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN,
    ENV_TKE_TOKEN_FILE, ENV_TOKEN, EnvironmentProvider,
};
pub use profile::{ENV_CREDENTIALS_FILE, ENV_PROFILE, ProfileProvider};

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
///
/// Cloning copies no string: providers hand out a clone for every request.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: Arc<str>,
    secret_key: Arc<str>,
    token: Option<Arc<str>>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-term credentials: no token, no expiry.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: Arc::from(secret_id.into()),
            secret_key: Arc::from(secret_key.into()),
            token: None,
            expiry: None,
        }
    }

    /// Adds the session token of temporary credentials (sent as `X-TC-Token`).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Arc::from(token.into()));
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
///
/// `Clone` so that callers waiting on one shared refresh can each get its error.
#[derive(Clone, Debug, thiserror::Error)]
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
    /// The credentials file is unreadable, malformed or lacks the profile or a key.
    #[error(transparent)]
    Profile(ProfileError),
    /// This source is not set up here (no file, no instance role, no variables): the
    /// [`DefaultChain`](crate::DefaultChain) moves on to the next one.
    #[error("{provider}: {reason}")]
    NotFound {
        provider: &'static str,
        reason: String,
    },
    /// The source is set up but failed: unreachable after it answered before, an HTTP
    /// error, an unexpected answer, an error from STS.
    #[error("{provider}: {reason}")]
    ProviderFailed {
        provider: &'static str,
        reason: String,
    },
    /// The [`DefaultChain`](crate::DefaultChain) found no source; one entry per source tried, with why.
    #[error("no credentials found; tried: {}", tried.join("; "))]
    NoneFound { tried: Vec<String> },
}

impl CredentialsError {
    /// True when the source is simply not set up, so a chain may try the next one.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }
}

/// A problem with a credentials file, naming the file and, when it is about one line,
/// the line (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    path: PathBuf,
    line: Option<usize>,
    problem: String,
}

impl ProfileError {
    pub(crate) fn new(path: PathBuf, line: Option<usize>, problem: impl Into<String>) -> Self {
        Self {
            path,
            line,
            problem: problem.into(),
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    pub fn line(&self) -> Option<usize> {
        self.line
    }

    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "credentials file {}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for ProfileError {}

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
