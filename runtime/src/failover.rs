//! Regional failover, opt-in: after repeated failures of the primary endpoint, a service
//! client sends its reads to a fallback endpoint, and tries the primary again after a
//! cool-down.
//!
//! The official SDKs' region breakers count successes as failures, swallow errors and
//! fail over to a mainland host. Here:
//!
//! - only failures count: a connection that could not be made or broke mid-request, and
//!   a 5xx answer without an API envelope (a gateway's page). Any API answer, success or
//!   error envelope, shows the endpoint is up and resets the count;
//! - only reads move: a write always goes to the primary, where the caller sent it;
//! - the fallback is the caller's choice of URL (no default host, mainland or other);
//! - after the cool-down the next read probes the primary: an API answer closes the
//!   breaker, a failure opens it for another cool-down.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Where reads go when the primary endpoint keeps failing, and when that is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failover {
    endpoint_template: String,
    failures: u32,
    cool_down: Duration,
}

impl Failover {
    /// Fails over to `endpoint_url`, in which `{service}` stands for the service's name
    /// (e.g. `https://{service}.ap-hongkong.tencentcloudapi.com`), after 5 consecutive
    /// failures, for 30 s at a time.
    pub fn to(endpoint_url: impl Into<String>) -> Self {
        Self {
            endpoint_template: endpoint_url.into(),
            failures: 5,
            cool_down: Duration::from_secs(30),
        }
    }

    /// Consecutive failures of the primary that open the breaker (at least 1).
    pub fn after_failures(mut self, failures: u32) -> Self {
        self.failures = failures;
        self
    }

    /// How long reads stay on the fallback before the primary is tried again.
    pub fn cool_down(mut self, cool_down: Duration) -> Self {
        self.cool_down = cool_down;
        self
    }

    pub(crate) fn failures(&self) -> u32 {
        self.failures
    }

    /// The fallback endpoint URL for `service`.
    pub(crate) fn endpoint_for(&self, service: &str) -> String {
        self.endpoint_template.replace("{service}", service)
    }
}

/// Which endpoint an attempt goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    Primary,
    Fallback,
}

/// What an attempt on the primary showed about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Health {
    /// An API answer: the endpoint is up.
    Up,
    /// No connection, a broken one, or a gateway's 5xx page.
    Failing,
    /// Nothing either way (a timeout: slow is not down; a refused request).
    Unknown,
}

/// The primary endpoint's breaker, shared by the clones of one service client.
#[derive(Debug)]
pub(crate) struct Breaker {
    policy: Failover,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    consecutive_failures: u32,
    /// When the breaker last opened; reads go to the fallback until the cool-down ends.
    opened_at: Option<Instant>,
}

impl Breaker {
    pub(crate) fn new(policy: Failover) -> Self {
        Self {
            policy,
            state: Mutex::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Where an attempt of a read (`read`) or a write goes now.
    pub(crate) fn route(&self, read: bool, now: Instant) -> Route {
        let state = self.state();
        match state.opened_at {
            Some(opened_at) if read && now.duration_since(opened_at) < self.policy.cool_down => {
                Route::Fallback
            }
            _ => Route::Primary,
        }
    }

    /// Records what an attempt on the primary showed.
    pub(crate) fn record(&self, health: Health, now: Instant) {
        let mut state = self.state();
        match health {
            Health::Up => {
                if state.opened_at.take().is_some() {
                    tracing::info!("the primary endpoint answers again: reads go back to it");
                }
                state.consecutive_failures = 0;
            }
            Health::Failing => {
                state.consecutive_failures = state.consecutive_failures.saturating_add(1);
                let probing = state.opened_at.is_some();
                if probing || state.consecutive_failures >= self.policy.failures {
                    tracing::warn!(
                        failures = state.consecutive_failures,
                        "the primary endpoint keeps failing: reads go to the fallback endpoint"
                    );
                    state.opened_at = Some(now);
                }
            }
            Health::Unknown => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> Breaker {
        Breaker::new(
            Failover::to("http://fallback")
                .after_failures(2)
                .cool_down(Duration::from_secs(10)),
        )
    }

    #[test]
    fn opens_after_consecutive_failures_for_reads_only() {
        let breaker = breaker();
        let now = Instant::now();
        breaker.record(Health::Failing, now);
        assert_eq!(breaker.route(true, now), Route::Primary);
        breaker.record(Health::Failing, now);
        assert_eq!(breaker.route(true, now), Route::Fallback);
        assert_eq!(breaker.route(false, now), Route::Primary, "writes stay");
    }

    #[test]
    fn successes_never_count_and_reset_the_count() {
        let breaker = breaker();
        let now = Instant::now();
        for _ in 0..100 {
            breaker.record(Health::Up, now);
            breaker.record(Health::Unknown, now);
        }
        breaker.record(Health::Failing, now);
        breaker.record(Health::Up, now);
        breaker.record(Health::Failing, now);
        assert_eq!(breaker.route(true, now), Route::Primary);
    }

    #[test]
    fn after_the_cool_down_a_read_probes_the_primary() {
        let breaker = breaker();
        let start = Instant::now();
        breaker.record(Health::Failing, start);
        breaker.record(Health::Failing, start);
        let later = start + Duration::from_secs(11);
        assert_eq!(breaker.route(true, later), Route::Primary, "probe");
        // A failed probe opens it again at once, for a whole cool-down.
        breaker.record(Health::Failing, later);
        assert_eq!(breaker.route(true, later), Route::Fallback);
        let much_later = later + Duration::from_secs(11);
        assert_eq!(breaker.route(true, much_later), Route::Primary);
        breaker.record(Health::Up, much_later);
        assert_eq!(breaker.route(true, much_later), Route::Primary);
        breaker.record(Health::Failing, much_later);
        assert_eq!(
            breaker.route(true, much_later),
            Route::Primary,
            "closed: count anew"
        );
    }
}
