//! When a failed attempt is tried again, after how long, and how much retrying a client
//! may do overall.
//!
//! The official SDKs retry only when asked, with fixed 1-2-4 s delays and no jitter, so
//! clients that failed together retry together. Here retries are on by default and follow
//! the "standard" strategy of aws-sdk: at most 3 attempts, exponential backoff with full
//! jitter under a cap, and a retry budget shared by every client of a [`Config`] so that
//! during an outage retries stop instead of multiplying the load.
//!
//! The rule: a write is never sent twice unless the first attempt is known not to have
//! been processed. Any failure may be retried for a request that is safe to repeat; for
//! any other, only a failure that shows the request was not acted on is. What is retried
//! (everything else, notably business errors, is returned at once):
//!
//! | failure | retried |
//! | --- | --- |
//! | `RequestLimitExceeded` and `RequestLimitExceeded.*` | always (the API refused the request unprocessed) |
//! | connection not established | always (nothing was sent) |
//! | HTTP 5xx without an API envelope (a gateway's error page: 502, 503, 504) | only if safe to repeat |
//! | timeout, connection lost mid-request, `InternalError*`, `ServiceUnavailable` | only if safe to repeat |
//!
//! "Safe to repeat" means a read action (`Describe*`, `Get*`, `List*`, `Query*`) or a
//! request that carries a `ClientToken`, with which the API deduplicates: one the caller
//! set, or the fresh UUID the SDK puts in an action's `ClientToken` member that the
//! caller left unset (the same on every attempt). The call path decides it from the
//! generated request (`Request::CLIENT_TOKEN`, `Request::client_token`), never by
//! reading the body again.
//!
//! A gateway's 5xx page says nothing about the backend behind it: after a 504 (the gateway
//! stopped waiting) or a 502 (the backend's answer was lost) the write may well have been
//! applied, and a 503 may come from the backend as easily as from a gateway in front of
//! it. So such a write is returned to the caller, who can check its effect, rather than
//! sent again.
//!
//! An HTTP redirect (3xx) is not retried (nor followed): the same request would be
//! redirected again. Neither is a response over `max_response_size`.
//!
//! [`Config`]: crate::Config

use std::sync::Mutex;
use std::time::Duration;

use rand::Rng;

use crate::error::TransportErrorKind;

pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_secs(1);
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);

/// How many attempts a call gets and how long to wait between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// 3 attempts; before retry `n` (1-based) a random wait in
    /// `[0, min(20 s, 1 s × 2^(n-1))]`.
    pub fn standard() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
        }
    }

    /// One attempt only.
    pub fn disabled() -> Self {
        Self::standard().max_attempts(1)
    }

    /// Attempts in all, including the first; 0 counts as 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The ceiling of the first wait; it doubles per retry up to
    /// [`max_backoff`](Self::max_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Full jitter: uniformly random in `[0, min(max, initial × 2^(retry-1))]`, so that
    /// clients throttled together do not come back together.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let doubling = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff);
        ceiling.mul_f64(rand::rng().random_range(0.0..=1.0))
    }
}

/// Why a failed attempt may be retried; decides what the retry costs from the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryKind {
    Throttled,
    Transient,
    Timeout,
}

/// How an attempt failed, as far as retrying is concerned.
#[derive(Clone, Debug)]
pub(crate) enum Failure {
    /// An API error envelope with this code.
    Code(String),
    /// HTTP 5xx whose body is not an API envelope.
    ServerError,
    Transport(TransportErrorKind),
}

/// The table in the module docs.
pub(crate) fn classify(failure: &Failure, safe_to_repeat: bool) -> Option<RetryKind> {
    let (kind, always) = match failure {
        Failure::Code(code) if is_throttling(code) => (RetryKind::Throttled, true),
        Failure::Code(code)
            if code == "InternalError"
                || code.starts_with("InternalError.")
                || code == "ServiceUnavailable" =>
        {
            (RetryKind::Transient, false)
        }
        Failure::Code(_) => return None,
        // A gateway's page, not the API's answer: the backend may have acted.
        Failure::ServerError => (RetryKind::Transient, false),
        Failure::Transport(TransportErrorKind::Connect) => (RetryKind::Transient, true),
        Failure::Transport(TransportErrorKind::Timeout) => (RetryKind::Timeout, false),
        Failure::Transport(_) => (RetryKind::Transient, false),
    };
    (always || safe_to_repeat).then_some(kind)
}

fn is_throttling(code: &str) -> bool {
    code == "RequestLimitExceeded" || code.starts_with("RequestLimitExceeded.")
}

/// aws-sdk's retry quota: each retry takes tokens, a success gives some back, and when
/// the bucket is empty failures are returned without retrying. With 500 tokens and 5 per
/// retry, an outage costs at most 100 extra requests (50 after timeouts) before clients
/// of the config fall back to single attempts, until successes refill it.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    tokens: Mutex<u32>,
}

const BUDGET_CAPACITY: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const SUCCESS_REWARD: u32 = 1;

impl Default for RetryBudget {
    fn default() -> Self {
        Self {
            tokens: Mutex::new(BUDGET_CAPACITY),
        }
    }
}

impl RetryBudget {
    /// Takes the cost of one retry; `None` when the budget cannot pay it.
    pub(crate) fn withdraw(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
            RetryKind::Throttled | RetryKind::Transient => RETRY_COST,
        };
        let mut tokens = self.lock();
        *tokens = tokens.checked_sub(cost)?;
        Some(cost)
    }

    /// After a success: returns what its retries took, or a small reward if it needed none.
    pub(crate) fn deposit(&self, withdrawn: u32) {
        let refund = if withdrawn == 0 {
            SUCCESS_REWARD
        } else {
            withdrawn
        };
        let mut tokens = self.lock();
        *tokens = tokens.saturating_add(refund).min(BUDGET_CAPACITY);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        // A u32 cannot be left inconsistent by a panic elsewhere.
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_follows_the_table() {
        use Failure::*;
        use RetryKind::*;
        let (yes, no) = (true, false);
        assert_eq!(
            classify(&Code("RequestLimitExceeded".into()), no),
            Some(Throttled)
        );
        assert_eq!(
            classify(&Code("RequestLimitExceeded.UinLimitExceeded".into()), no),
            Some(Throttled)
        );
        assert_eq!(classify(&Code("RequestLimitExceededX".into()), yes), None);
        assert_eq!(classify(&Code("InternalError".into()), no), None);
        assert_eq!(
            classify(&Code("InternalError".into()), yes),
            Some(Transient)
        );
        assert_eq!(
            classify(&Code("InternalError.DbError".into()), yes),
            Some(Transient)
        );
        assert_eq!(
            classify(&Code("ServiceUnavailable".into()), yes),
            Some(Transient)
        );
        assert_eq!(
            classify(&Code("FailedOperation.IpStillBoundToServer".into()), yes),
            None
        );
        assert_eq!(
            classify(&Code("AuthFailure.SignatureFailure".into()), yes),
            None
        );
        assert_eq!(classify(&ServerError, no), None);
        assert_eq!(classify(&ServerError, yes), Some(Transient));
        assert_eq!(
            classify(&Transport(TransportErrorKind::Connect), no),
            Some(Transient)
        );
        assert_eq!(classify(&Transport(TransportErrorKind::Timeout), no), None);
        assert_eq!(
            classify(&Transport(TransportErrorKind::Timeout), yes),
            Some(Timeout)
        );
        assert_eq!(classify(&Transport(TransportErrorKind::Other), no), None);
        assert_eq!(
            classify(&Transport(TransportErrorKind::Other), yes),
            Some(Transient)
        );
    }

    #[test]
    fn backoff_is_jittered_under_an_exponential_cap() {
        let config = RetryConfig::standard()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(config.backoff(1) <= Duration::from_millis(100));
            assert!(config.backoff(2) <= Duration::from_millis(200));
            assert!(config.backoff(3) <= Duration::from_millis(350));
            assert!(config.backoff(40) <= Duration::from_millis(350));
        }
        let distinct: std::collections::HashSet<_> = (0..50).map(|_| config.backoff(3)).collect();
        assert!(distinct.len() > 1, "jitter");
    }

    #[test]
    fn budget_runs_dry_and_refills_on_success() {
        let budget = RetryBudget::default();
        let retries = std::iter::from_fn(|| budget.withdraw(RetryKind::Throttled)).count();
        assert_eq!(retries, 100);
        assert_eq!(budget.withdraw(RetryKind::Transient), None);
        budget.deposit(RETRY_COST);
        assert_eq!(budget.withdraw(RetryKind::Timeout), None);
        assert_eq!(budget.withdraw(RetryKind::Transient), Some(RETRY_COST));
        for _ in 0..10 {
            budget.deposit(0);
        }
        assert_eq!(
            budget.withdraw(RetryKind::Timeout),
            Some(TIMEOUT_RETRY_COST)
        );
    }
}
