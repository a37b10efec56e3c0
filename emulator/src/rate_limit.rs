//! Per-action request rate limits from the schema (`rate_limit`, requests per second),
//! counted per SecretId over a sliding one-second window, as the real API documents.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct RateLimiter {
    enabled: AtomicBool,
    /// (SecretId, service/action) → arrival times within the last window.
    recent: Mutex<HashMap<(String, String), VecDeque<Instant>>>,
}

impl RateLimiter {
    pub fn new(enabled: bool) -> Self {
        RateLimiter {
            enabled: AtomicBool::new(enabled),
            recent: Mutex::default(),
        }
    }

    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    /// Records an arrival; false when it is over `limit` per second.
    pub fn admit(&self, secret_id: &str, action_key: &str, limit: u32) -> bool {
        if !self.enabled.load(Ordering::Relaxed) {
            return true;
        }
        let now = Instant::now();
        let mut recent = self
            .recent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let arrivals = recent
            .entry((secret_id.to_owned(), action_key.to_owned()))
            .or_default();
        while arrivals
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            arrivals.pop_front();
        }
        if arrivals.len() >= usize::try_from(limit).unwrap_or(usize::MAX) {
            return false;
        }
        arrivals.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_secret_id() {
        let limiter = RateLimiter::new(true);
        assert!((0..3).all(|_| limiter.admit("a", "x", 3)));
        assert!(!limiter.admit("a", "x", 3));
        assert!(limiter.admit("b", "x", 3));
        assert!(limiter.admit("a", "y", 3));
        limiter.set_enabled(false);
        assert!(limiter.admit("a", "x", 3));
    }
}
