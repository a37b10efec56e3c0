//! TKE OIDC (workload identity): a pod's service-account token exchanged for role
//! credentials with STS AssumeRoleWithWebIdentity.
//!
//! TKE sets `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and
//! `TKE_ROLE_ARN`. The token file is rotated by the kubelet, so it is read again on every
//! refresh. The action is sent unsigned (`Authorization: SKIP`, as the sts schema marks
//! it): the token is the proof of identity, no other credentials are needed.

use std::path::PathBuf;
use std::sync::Arc;

use super::wire::{self, STS};
use super::{failed, temporary};
use crate::client::{CallOptions, ServiceClient};
use crate::config::Config;
use crate::credentials::cache::{CredentialsCache, DEFAULT_REFRESH_MARGIN};
use crate::credentials::{
    Credentials, CredentialsError, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN,
    ENV_TKE_TOKEN_FILE, ProvideCredentials, ProvideCredentialsFuture, TKE_OIDC,
};

const PROVIDER: &str = TKE_OIDC;
const SESSION_NAME: &str = "tencent-cloud-rust-tke";

/// Role credentials for a TKE pod, cached and refreshed before they expire.
#[derive(Clone, Debug)]
pub struct WebIdentityProvider {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: ServiceClient,
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
    session_name: String,
    cache: CredentialsCache,
}

impl WebIdentityProvider {
    /// From the `TKE_*` variables; [`CredentialsError::NotFound`] naming the missing ones
    /// if any is unset. AssumeRoleWithWebIdentity goes to the sts host of the schema.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_env_with_endpoint(None)
    }

    /// [`from_env`](Self::from_env), sending to `endpoint` (e.g. a VPC-internal sts
    /// endpoint, or a local server in tests) when given.
    pub fn from_env_with_endpoint(endpoint: Option<&str>) -> Result<Self, CredentialsError> {
        let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let names = [
            ENV_TKE_REGION,
            ENV_TKE_PROVIDER_ID,
            ENV_TKE_TOKEN_FILE,
            ENV_TKE_ROLE_ARN,
        ];
        let (Some(region), Some(provider_id), Some(token_file), Some(role_arn)) =
            (var(names[0]), var(names[1]), var(names[2]), var(names[3]))
        else {
            let missing: Vec<&str> = names
                .into_iter()
                .filter(|name| var(name).is_none())
                .collect();
            return Err(CredentialsError::NotFound {
                provider: PROVIDER,
                reason: format!("{} not set", missing.join(", ")),
            });
        };
        let mut config = Config::builder().region(region);
        if let Some(endpoint) = endpoint {
            config = config.endpoint_url(endpoint);
        }
        let config = config
            .build()
            .map_err(|error| CredentialsError::ProviderFailed {
                provider: PROVIDER,
                reason: error.to_string(),
            })?;
        Ok(Self::new(&config, provider_id, token_file, role_arn))
    }

    /// AssumeRoleWithWebIdentity sent with `config`'s region, endpoint and settings (its
    /// credentials, if any, are not used: the action is unsigned).
    pub fn new(
        config: &Config,
        provider_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                client: ServiceClient::new(config, &STS),
                provider_id: provider_id.into(),
                token_file: token_file.into(),
                role_arn: role_arn.into(),
                session_name: SESSION_NAME.to_owned(),
                cache: CredentialsCache::new(DEFAULT_REFRESH_MARGIN),
            }),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let inner = &self.inner;
        // Read on every refresh: the kubelet rotates the token.
        let token = std::fs::read_to_string(&inner.token_file).map_err(|error| {
            CredentialsError::ProviderFailed {
                provider: PROVIDER,
                reason: format!(
                    "cannot read the token file {} ({ENV_TKE_TOKEN_FILE}): {error}",
                    inner.token_file.display()
                ),
            }
        })?;
        let request = wire::AssumeRoleWithWebIdentity {
            provider_id: inner.provider_id.clone(),
            web_identity_token: token.trim().to_owned(),
            role_arn: inner.role_arn.clone(),
            role_session_name: inner.session_name.clone(),
        };
        let response = inner
            .client
            .send(&request, &CallOptions::default())
            .await
            .map_err(|error| failed(PROVIDER, error))?;
        temporary(PROVIDER, response.credentials, response.expired_time)
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.inner.cache.get(|| self.fetch()))
    }
}
