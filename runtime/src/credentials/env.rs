//! Credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and
//! `TENCENTCLOUD_TOKEN`.

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};

pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
pub const ENV_TOKEN: &str = "TENCENTCLOUD_TOKEN";

/// What TKE sets in a pod with workload identity (OIDC); read by
/// `WebIdentityProvider` and checked by the default chain.
pub const ENV_TKE_REGION: &str = "TKE_REGION";
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
pub const ENV_TKE_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";
/// The TKE OIDC source's name in errors.
pub(crate) const TKE_OIDC: &str = "TKE OIDC";

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
