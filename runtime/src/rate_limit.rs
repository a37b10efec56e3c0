//! Client-side pacing of actions that have a documented rate limit (`rate_limit` in the
//! schema, requests per second, e.g. 20 for edgezone ReleasePublicIp).
//!
//! The API counts each action's requests over a sliding one-second window and answers
//! `RequestLimitExceeded` beyond the limit. Retrying those works but wastes requests and
//! time; pacing the calls so the limit is never hit is better. Calls of a rate-limited
//! action queue on a token bucket per (service, action), shared by every client of a
//! [`Config`](crate::Config), and go out no faster than it allows.
//!
//! A token bucket of rate `r` and burst `b` lets through at most `b + r·T` requests in any
//! window of length `T`. For the server's window `T = 1 s` plus network jitter `j`, staying
//! under a limit `L` needs `b + r·(1 + j) ≤ L`. We take `r = 0.9·L` and `b = max(1, L/20)`,
//! which tolerates `j` up to about 55 ms, at the cost of 10% of the documented throughput.
//!
//! An application can set its own limit for an action (`ConfigBuilder::rate_limit`): lower,
//! when several processes share one account's quota, or for an action the schema gives no
//! limit. It replaces the documented one and is paced the same way.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const RATE_SHARE: f64 = 0.9;
const BURST_SHARE: u32 = 20;

/// The pacing state of every rate-limited action of one config.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    /// service → action → requests per second set by the application; fixed at build.
    /// Nested so that every call looks its action up by borrowed names, allocating nothing.
    overrides: HashMap<String, HashMap<String, u32>>,
    // (service, action) → the bucket, created on first use.
    buckets: Mutex<HashMap<(&'static str, &'static str), Bucket>>,
}

/// A token bucket kept as a "theoretical arrival time" (GCRA): `next` is when the bucket
/// would be full again, each request pushes it `interval` later, and a request may go
/// once `next - tolerance` has passed. Each caller reserves its slot under the lock and
/// then sleeps outside it, so waiters are served in arrival order without polling.
#[derive(Debug)]
struct Bucket {
    interval: Duration,
    tolerance: Duration,
    next: Instant,
}

impl RateLimiter {
    pub(crate) fn with_overrides(overrides: HashMap<(String, String), u32>) -> Self {
        let mut nested: HashMap<String, HashMap<String, u32>> = HashMap::new();
        for ((service, action), limit) in overrides {
            nested.entry(service).or_default().insert(action, limit);
        }
        Self {
            overrides: nested,
            buckets: Mutex::default(),
        }
    }

    /// The limit an action is paced at: the application's, else the documented one.
    pub(crate) fn limit_for(
        &self,
        service: &str,
        action: &str,
        documented: Option<u32>,
    ) -> Option<u32> {
        self.overrides
            .get(service)
            .and_then(|actions| actions.get(action))
            .copied()
            .or(documented)
    }

    /// Waits until a request of `service`/`action` with `limit` per second may be sent.
    /// The slot is taken when this is called; a caller that gives up while waiting (its
    /// future dropped) leaves it unused, which only makes pacing more conservative.
    pub(crate) async fn acquire(&self, service: &'static str, action: &'static str, limit: u32) {
        let Some(wait) = self.reserve(service, action, limit, Instant::now()) else {
            return;
        };
        tracing::trace!(
            wait_ms = wait.as_millis() as u64,
            limit,
            "rate limit: waiting"
        );
        tokio::time::sleep(wait).await;
    }

    /// The wait before the reserved slot, if any.
    fn reserve(
        &self,
        service: &'static str,
        action: &'static str,
        limit: u32,
        now: Instant,
    ) -> Option<Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets
            .entry((service, action))
            .or_insert_with(|| Bucket::new(limit, now));
        let start = bucket.next.max(now);
        let allowed_at = start.checked_sub(bucket.tolerance).unwrap_or(start);
        bucket.next = start + bucket.interval;
        allowed_at
            .checked_duration_since(now)
            .filter(|wait| !wait.is_zero())
    }
}

impl Bucket {
    fn new(limit: u32, now: Instant) -> Self {
        // A limit of 0 would mean "never": treat it as 1 per second rather than hang.
        let limit = limit.max(1);
        let interval = Duration::from_secs_f64(1.0 / (f64::from(limit) * RATE_SHARE));
        let burst = (limit / BURST_SHARE).max(1);
        Self {
            interval,
            tolerance: interval * (burst - 1),
            next: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `n` requests as fast as the limiter allows, on a simulated clock; returns
    /// their send times.
    fn schedule(limit: u32, n: usize) -> Vec<Instant> {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        (0..n)
            .map(|_| start + limiter.reserve("s", "a", limit, start).unwrap_or_default())
            .collect()
    }

    /// The most requests in any window of `window`.
    fn peak(times: &[Instant], window: Duration) -> usize {
        (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|t| **t < times[i] + window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn never_exceeds_the_limit_in_a_jittered_second() {
        for limit in [1, 5, 20, 100, 1000] {
            let times = schedule(limit, 3 * limit as usize);
            let window = Duration::from_millis(1050);
            assert!(peak(&times, window) <= limit as usize, "limit {limit}");
        }
    }

    #[test]
    fn uses_most_of_the_limit() {
        let times = schedule(20, 200);
        let span = times[199] - times[0];
        // 199 intervals of 1/18 s.
        assert!(
            span > Duration::from_secs(10) && span < Duration::from_secs(12),
            "{span:?}"
        );
    }

    #[test]
    fn an_override_replaces_or_adds_a_limit() {
        let limiter = RateLimiter::with_overrides(HashMap::from([
            (("edgezone".into(), "ReleasePublicIp".into()), 5),
            (("edgezone".into(), "DescribePublicIps".into()), 50),
        ]));
        assert_eq!(
            limiter.limit_for("edgezone", "ReleasePublicIp", Some(20)),
            Some(5)
        );
        assert_eq!(
            limiter.limit_for("edgezone", "DescribePublicIps", None),
            Some(50)
        );
        assert_eq!(
            limiter.limit_for("edgezone", "ApplyPublicIps", Some(20)),
            Some(20)
        );
        assert_eq!(limiter.limit_for("edgezone", "ApplyPublicIps", None), None);
        assert_eq!(limiter.limit_for("sts", "ReleasePublicIp", None), None);
    }

    #[test]
    fn actions_are_paced_separately() {
        let limiter = RateLimiter::default();
        let now = Instant::now();
        assert_eq!(limiter.reserve("s", "a", 1, now), None);
        assert!(limiter.reserve("s", "a", 1, now).is_some());
        assert_eq!(limiter.reserve("s", "b", 1, now), None);
        assert_eq!(limiter.reserve("t", "a", 1, now), None);
    }
}
