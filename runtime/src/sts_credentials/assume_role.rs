//! STS AssumeRole: temporary credentials of a role, requested with other credentials.
//!
//! The request goes through the runtime's call path, so it gets the retries,
//! timeouts and clock-skew correction; the [`Config`] it is built from supplies the
//! credentials that sign it (the "source" credentials) and the region.

use std::sync::Arc;
use std::time::Duration;

use super::wire::{self, STS};
use super::{failed, temporary};
use crate::client::{CallOptions, ServiceClient};
use crate::config::Config;
use crate::credentials::cache::{CredentialsCache, DEFAULT_REFRESH_MARGIN};
use crate::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture,
};

const PROVIDER: &str = "STS AssumeRole";
/// Used when no session name is given.
pub const DEFAULT_SESSION_NAME: &str = "tencent-cloud-rust";

/// Credentials of a role, from STS AssumeRole signed with the credentials of another
/// config; cached and refreshed before they expire.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use tencent_cloud::{AssumeRoleProvider, Config};
/// let source = Config::from_env().region("ap-guangzhou").build()?;
/// let role = AssumeRoleProvider::builder("qcs::cam::uin/100000000001:roleName/ops")
///     .session_name("deploy")
///     .build(&source);
/// let config = Config::from_env().credentials(role).build()?;
/// # let _ = config; Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct AssumeRoleProvider {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: ServiceClient,
    role_arn: String,
    session_name: String,
    duration: Option<Duration>,
    external_id: Option<String>,
    policy: Option<String>,
    cache: CredentialsCache,
}

/// Options for [`AssumeRoleProvider`].
#[derive(Clone, Debug)]
pub struct AssumeRoleProviderBuilder {
    role_arn: String,
    session_name: String,
    duration: Option<Duration>,
    external_id: Option<String>,
    policy: Option<String>,
    refresh_margin: Duration,
}

impl AssumeRoleProvider {
    pub fn builder(role_arn: impl Into<String>) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            role_arn: role_arn.into(),
            session_name: DEFAULT_SESSION_NAME.to_owned(),
            duration: None,
            external_id: None,
            policy: None,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let inner = &self.inner;
        let request = wire::AssumeRole {
            role_arn: inner.role_arn.clone(),
            role_session_name: inner.session_name.clone(),
            duration_seconds: inner.duration.map(|duration| duration.as_secs()),
            external_id: inner.external_id.clone(),
            policy: inner.policy.clone(),
        };
        let response = inner
            .client
            .send(&request, &CallOptions::default())
            .await
            .map_err(|error| failed(PROVIDER, error))?;
        temporary(PROVIDER, response.credentials, response.expired_time)
    }
}

impl AssumeRoleProviderBuilder {
    /// `RoleSessionName` (default [`DEFAULT_SESSION_NAME`]).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// `DurationSeconds` (STS's default is 2 hours, its maximum 12).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// A URL-encoded policy narrowing the role's permissions.
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// AssumeRole is sent with `source`'s region, endpoint, settings and credentials.
    pub fn build(self, source: &Config) -> AssumeRoleProvider {
        AssumeRoleProvider {
            inner: Arc::new(Inner {
                client: ServiceClient::new(source, &STS),
                role_arn: self.role_arn,
                session_name: self.session_name,
                duration: self.duration,
                external_id: self.external_id,
                policy: self.policy,
                cache: CredentialsCache::new(self.refresh_margin),
            }),
        }
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.inner.cache.get(|| self.fetch()))
    }
}
