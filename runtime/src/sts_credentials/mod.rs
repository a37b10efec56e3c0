//! Credentials from STS:
//!
//! - [`AssumeRoleProvider`]: STS AssumeRole, signed with another config's credentials;
//! - [`WebIdentityProvider`]: TKE OIDC, STS AssumeRoleWithWebIdentity.
//!
//! Apart from `credentials`, because these providers are clients of a service: they
//! build on `config` and the call path, which themselves build on `credentials`. They
//! declare the two actions they send in `wire`, since the runtime cannot depend on the
//! generated sts crate (which depends on the runtime).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::credentials::{Credentials, CredentialsError};
use crate::error::SdkError;

mod assume_role;
mod web_identity;
mod wire;

pub use assume_role::{AssumeRoleProvider, AssumeRoleProviderBuilder, DEFAULT_SESSION_NAME};
pub use web_identity::WebIdentityProvider;

/// An STS failure, described without any part of the response body (which, for these
/// actions, may hold the issued secrets).
fn failed<K: std::fmt::Debug>(provider: &'static str, error: SdkError<K>) -> CredentialsError {
    let reason = match &error {
        SdkError::InvalidResponse(invalid) => format!(
            "invalid response (HTTP {}): {}",
            invalid.status(),
            invalid.problem()
        ),
        other => other.to_string(),
    };
    CredentialsError::ProviderFailed { provider, reason }
}

/// Checks and assembles what STS returned. `expired_time` is Unix seconds, signed in
/// some actions' schemas and unsigned in others.
fn temporary(
    provider: &'static str,
    issued: wire::IssuedCredentials,
    expired_time: impl TryInto<u64>,
) -> Result<Credentials, CredentialsError> {
    let failed = |reason: &str| CredentialsError::ProviderFailed {
        provider,
        reason: reason.to_owned(),
    };
    // Members of object types are all optional in the generated code; STS sends them.
    let missing = |member: &str| failed(&format!("the answer has no `Credentials.{member}`"));
    let secret_id = issued.tmp_secret_id.ok_or_else(|| missing("TmpSecretId"))?;
    let secret_key = issued
        .tmp_secret_key
        .ok_or_else(|| missing("TmpSecretKey"))?;
    let token = issued.token.ok_or_else(|| missing("Token"))?;
    let expiry = expired_time
        .try_into()
        .ok()
        .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
        .ok_or_else(|| failed("ExpiredTime is out of range"))?;
    if expiry <= SystemTime::now() {
        return Err(failed("STS returned credentials that have already expired"));
    }
    Ok(Credentials::new(secret_id, secret_key)
        .with_token(token)
        .with_expiry(expiry))
}
