//! `Shared`, the state every connection and request handler sees.
//!
//! A module of its own, importing none of the modules that use it, so that imports run one
//! way: `emulator` (builds it, owns the public handle) → `server` (accept loop, routing) →
//! `admin`, `pipeline` → `state`. Were it in `emulator`, the server would import the module
//! that starts it.

use std::collections::HashMap;
use std::time::Duration;

use crate::accounts::Account;
use crate::catalog::Catalog;
use crate::client_tokens::ClientTokens;
use crate::clock::Clock;
use crate::connection::ConnectionLimits;
use crate::edgezone::Edgezone;
use crate::faults::Faults;
use crate::rate_limit::RateLimiter;
use crate::request_log::RequestLog;

/// Everything the request handlers share.
pub struct Shared {
    pub catalog: Catalog,
    /// Fixed at start, keyed by SecretId.
    pub accounts: HashMap<String, Account>,
    pub clock: Clock,
    pub rate_limiter: RateLimiter,
    pub faults: Faults,
    pub log: RequestLog,
    pub client_tokens: ClientTokens,
    pub edgezone: Edgezone,
    /// Overrides the lifetime of the temporary credentials sts issues.
    pub issued_credential_lifetime: Option<Duration>,
    /// Timeouts and the connection cap; the idle timeout also bounds a stalled body.
    pub limits: ConnectionLimits,
}
