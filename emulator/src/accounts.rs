//! The accounts the emulator accepts: who a SecretId belongs to (its AppId), its key, and
//! for temporary credentials the session token that must accompany it.

use serde::Serialize;

/// Public test credentials, safe to print and commit: they only open the emulator.
pub mod credentials {
    use super::TestCredential;

    /// A permanent key of the first test account (AppId 1250000001).
    pub const PRIMARY: TestCredential = TestCredential {
        secret_id: "AKIDemulatorPrimary00000000000000001",
        secret_key: "emulator-primary-secret-key-000001",
        token: None,
        app_id: 1_250_000_001,
    };

    /// A permanent key of a second, unrelated account (AppId 1250000002): the primary
    /// account's resources do not exist for it (ReleasePublicIp, which documents it,
    /// answers UnauthorizedOperation.PermissionDenied).
    pub const SECONDARY: TestCredential = TestCredential {
        secret_id: "AKIDemulatorSecondary000000000000002",
        secret_key: "emulator-secondary-secret-key-00002",
        token: None,
        app_id: 1_250_000_002,
    };

    /// A temporary credential of the primary account (as STS would issue): requests must
    /// carry `X-TC-Token` equal to `token`.
    pub const TEMPORARY: TestCredential = TestCredential {
        secret_id: "AKIDemulatorTemporary000000000000003",
        secret_key: "emulator-temporary-secret-key-00003",
        token: Some("emulator-session-token-000000000003"),
        app_id: 1_250_000_001,
    };

    /// Every credential a default emulator accepts.
    pub const ALL: [TestCredential; 3] = [PRIMARY, SECONDARY, TEMPORARY];
}

/// A credential known at compile time; see [`credentials`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TestCredential {
    pub secret_id: &'static str,
    pub secret_key: &'static str,
    pub token: Option<&'static str>,
    pub app_id: u64,
}

/// An account the emulator accepts, with the per-instance address quotas of the edgezone
/// model (0 means "not configured": the matching LimitExceeded.*NotConfigured error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub secret_id: String,
    pub secret_key: String,
    /// Set for temporary credentials: `X-TC-Token` must equal it.
    pub token: Option<String>,
    pub app_id: u64,
    pub ipv4_quota: u32,
    pub ipv6_quota: u32,
}

/// Default quota: addresses of one family that one public network instance may hold.
pub const DEFAULT_QUOTA: u32 = 64;

impl Account {
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>, app_id: u64) -> Self {
        Account {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
            app_id,
            ipv4_quota: DEFAULT_QUOTA,
            ipv6_quota: DEFAULT_QUOTA,
        }
    }

    /// Makes this a temporary credential that requires `token`.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    pub fn with_quotas(mut self, ipv4: u32, ipv6: u32) -> Self {
        self.ipv4_quota = ipv4;
        self.ipv6_quota = ipv6;
        self
    }
}

impl From<TestCredential> for Account {
    fn from(credential: TestCredential) -> Self {
        let account = Account::new(
            credential.secret_id,
            credential.secret_key,
            credential.app_id,
        );
        match credential.token {
            Some(token) => account.with_token(token),
            None => account,
        }
    }
}
