//! The default chain: environment, profile file, CVM instance role, TKE OIDC, in that
//! order (the Python SDK's order), and [`Config::from_env`], which installs it.
//!
//! Above `config`, `credentials` and `sts_credentials`, which it composes; `from_env` is
//! here rather than in `config` so that `config` does not depend on the providers that
//! are themselves clients of a service.

use std::sync::{Arc, OnceLock};

use crate::config::{Config, ConfigBuilder};
use crate::credentials::{
    Credentials, CredentialsError, CvmRoleProvider, ENV_SECRET_ID, ENV_SECRET_KEY,
    EnvironmentProvider, ProfileProvider, ProvideCredentials, ProvideCredentialsFuture,
};

impl Config {
    /// A builder preset from the environment: region from `TENCENTCLOUD_REGION`, endpoint
    /// from `TENCENTCLOUD_ENDPOINT_URL` (both optional; empty counts as unset) and the
    /// [`DefaultChain`] for credentials (environment, profile file, CVM instance role,
    /// TKE OIDC).
    ///
    /// Credentials are looked for when a call is signed, not here, so `from_env().build()`
    /// succeeds without them and their absence surfaces as
    /// [`SdkError::Credentials`](crate::SdkError::Credentials) listing what was tried.
    /// Builder methods called afterwards override what the environment said.
    pub fn from_env() -> ConfigBuilder {
        ConfigBuilder::from_env_with(DefaultChain::new())
    }
}

/// Uses the first source that is set up, found on the first call and kept from then on.
///
/// A source that is set up but broken (a malformed credentials file, a metadata service
/// answering garbage, an unreadable token file) stops the search with its error rather
/// than being skipped, so a typo is not silently replaced by other credentials. When no
/// source is set up, the error lists each one and why it was passed over, and the next
/// call searches again (so credentials set up later are found; off CVM the metadata probe
/// costs at most its 1 s connect timeout).
#[derive(Debug)]
pub struct DefaultChain {
    profile: ProfileProvider,
    cvm_role: CvmRoleProvider,
    oidc_endpoint: Option<String>,
    chosen: OnceLock<Arc<dyn ProvideCredentials>>,
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultChain {
    pub fn new() -> Self {
        Self {
            profile: ProfileProvider::new(),
            cvm_role: CvmRoleProvider::new(),
            oidc_endpoint: None,
            chosen: OnceLock::new(),
        }
    }

    /// Replaces the profile source (e.g. a fixed file or profile).
    pub fn profile(mut self, provider: ProfileProvider) -> Self {
        self.profile = provider;
        self
    }

    /// Replaces the CVM role source (e.g. another metadata URL or timeouts).
    pub fn cvm_role(mut self, provider: CvmRoleProvider) -> Self {
        self.cvm_role = provider;
        self
    }

    /// Sends TKE OIDC's AssumeRoleWithWebIdentity to this endpoint instead of the
    /// schema's sts host.
    pub fn oidc_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.oidc_endpoint = Some(url.into());
        self
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        if let Some(provider) = self.chosen.get() {
            return provider.provide_credentials().await;
        }
        let mut tried = Vec::new();
        for candidate in self.candidates() {
            let provider = match candidate {
                Ok(provider) => provider,
                Err(error) if error.is_not_found() => {
                    tried.push(error.to_string());
                    continue;
                }
                Err(error) => return Err(error),
            };
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(source = ?provider, "credentials source chosen");
                    // Concurrent first calls may both search; they find the same source.
                    let _ = self.chosen.set(provider);
                    return Ok(credentials);
                }
                Err(error) if error.is_not_found() => tried.push(error.to_string()),
                Err(error) => return Err(error),
            }
        }
        Err(CredentialsError::NoneFound { tried })
    }

    /// The sources in order; those whose setup can be judged without a request say here
    /// whether they are set up.
    fn candidates(&self) -> Vec<Result<Arc<dyn ProvideCredentials>, CredentialsError>> {
        let environment = if std::env::var_os(ENV_SECRET_ID).is_none()
            && std::env::var_os(ENV_SECRET_KEY).is_none()
        {
            Err(CredentialsError::NotFound {
                provider: "environment",
                reason: format!("{ENV_SECRET_ID} and {ENV_SECRET_KEY} are not set"),
            })
        } else {
            Ok(Arc::new(EnvironmentProvider::new()) as Arc<dyn ProvideCredentials>)
        };
        vec![
            environment,
            Ok(Arc::new(self.profile.clone()) as Arc<dyn ProvideCredentials>),
            Ok(Arc::new(self.cvm_role.clone()) as Arc<dyn ProvideCredentials>),
            self.tke_oidc(),
        ]
    }

    fn tke_oidc(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        crate::sts_credentials::WebIdentityProvider::from_env_with_endpoint(
            self.oidc_endpoint.as_deref(),
        )
        .map(|provider| Arc::new(provider) as Arc<dyn ProvideCredentials>)
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.resolve())
    }
}
