//! Keeps temporary credentials until shortly before they expire, with one refresh at a
//! time.
//!
//! The official SDKs refresh under a plain lock or none at all, so a burst of calls near
//! expiry sends a burst of metadata or AssumeRole requests, and some of those callers get
//! credentials that expire mid-request. Here:
//!
//! - credentials are refreshed once they are within the refresh margin of their expiry
//!   (5 minutes, or half their lifetime if that is shorter), not when they have expired;
//! - callers that find the credentials stale queue on one async lock; the first one
//!   fetches, and those that waited take its result instead of fetching again;
//! - a failed refresh keeps serving the old credentials while they are still valid;
//! - dropping a caller's future mid-fetch releases the lock, and the next caller fetches
//!   (nothing is left half-done).

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};

/// How long before expiry credentials are refreshed, at most.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

type Now = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// The cache every temporary-credentials provider embeds.
pub(crate) struct CredentialsCache {
    margin: Duration,
    cached: RwLock<Option<Cached>>,
    // Held while fetching: the single flight.
    refresh: tokio::sync::Mutex<()>,
    // Counts finished fetches, so a caller that waited on `refresh` can tell that a fetch
    // happened meanwhile and reuse its outcome.
    generation: AtomicU64,
    last_error: RwLock<Option<CredentialsError>>,
    now: Now,
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    // None: no expiry, never refreshed.
    refresh_at: Option<SystemTime>,
}

impl fmt::Debug for CredentialsCache {
    // Only the schedule: the credentials have their own redacting Debug, but there is no
    // reason to print them at all.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.read_cached();
        f.debug_struct("CredentialsCache")
            .field("margin", &self.margin)
            .field("cached", &cached.is_some())
            .field("refresh_at", &cached.and_then(|c| c.refresh_at))
            .finish()
    }
}

impl CredentialsCache {
    pub(crate) fn new(margin: Duration) -> Self {
        Self::with_clock(margin, Arc::new(SystemTime::now))
    }

    fn with_clock(margin: Duration, now: Now) -> Self {
        Self {
            margin,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(0),
            last_error: RwLock::new(None),
            now,
        }
    }

    /// The cached credentials if they are not due for refresh, else the result of one
    /// `fetch` shared with every caller that arrives while it runs.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        let seen = self.generation.load(Ordering::Acquire);
        let _flight = self.refresh.lock().await;
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        if self.generation.load(Ordering::Acquire) != seen {
            // A fetch finished while we waited and did not leave fresh credentials: it
            // failed. Share its outcome rather than sending one more request per waiter.
            if let Some(credentials) = self.unexpired() {
                return Ok(credentials);
            }
            if let Some(error) = self.read_last_error() {
                return Err(error);
            }
        }
        let result = fetch().await;
        self.generation.fetch_add(1, Ordering::AcqRel);
        match result {
            Ok(credentials) => {
                let refresh_at = self.refresh_time(&credentials);
                *self.cached.write().unwrap_or_else(|e| e.into_inner()) = Some(Cached {
                    credentials: credentials.clone(),
                    refresh_at,
                });
                *self.last_error.write().unwrap_or_else(|e| e.into_inner()) = None;
                tracing::debug!(expiry = ?credentials.expiry(), "credentials refreshed");
                Ok(credentials)
            }
            Err(error) => {
                *self.last_error.write().unwrap_or_else(|e| e.into_inner()) = Some(error.clone());
                match self.unexpired() {
                    Some(credentials) => {
                        tracing::warn!(%error, "credentials refresh failed; using the current ones until they expire");
                        Ok(credentials)
                    }
                    None => Err(error),
                }
            }
        }
    }

    /// `expiry - min(margin, lifetime / 2)`: short-lived credentials are still used for
    /// half their life instead of being refetched on every call.
    fn refresh_time(&self, credentials: &Credentials) -> Option<SystemTime> {
        let expiry = credentials.expiry()?;
        let lifetime = expiry
            .duration_since((self.now)())
            .unwrap_or(Duration::ZERO);
        Some(expiry - self.margin.min(lifetime / 2))
    }

    fn fresh(&self) -> Option<Credentials> {
        let cached = self.read_cached()?;
        match cached.refresh_at {
            Some(at) if (self.now)() >= at => None,
            _ => Some(cached.credentials),
        }
    }

    fn unexpired(&self) -> Option<Credentials> {
        let cached = self.read_cached()?;
        match cached.credentials.expiry() {
            Some(expiry) if (self.now)() >= expiry => None,
            _ => Some(cached.credentials),
        }
    }

    fn read_cached(&self) -> Option<Cached> {
        self.cached
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn read_last_error(&self) -> Option<CredentialsError> {
        self.last_error
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Caches any provider's credentials that carry an expiry, refreshing them
/// [`DEFAULT_REFRESH_MARGIN`] (or half their lifetime) before it, one refresh at a time.
///
/// The providers of this crate that return temporary credentials already cache; this is
/// for your own. Credentials without an expiry are kept forever.
#[derive(Debug)]
pub struct CachedProvider<P> {
    inner: P,
    cache: CredentialsCache,
}

impl<P: ProvideCredentials> CachedProvider<P> {
    pub fn new(inner: P) -> Self {
        Self::with_margin(inner, DEFAULT_REFRESH_MARGIN)
    }

    pub fn with_margin(inner: P, margin: Duration) -> Self {
        Self {
            inner,
            cache: CredentialsCache::new(margin),
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachedProvider<P> {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.cache.get(|| self.inner.provide_credentials()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::AtomicUsize;

    /// A clock the test moves by hand.
    #[derive(Clone, Default)]
    struct TestClock(Arc<Mutex<Duration>>);

    impl TestClock {
        fn now(&self) -> SystemTime {
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000) + *self.0.lock().unwrap()
        }

        fn advance(&self, by: Duration) {
            *self.0.lock().unwrap() += by;
        }
    }

    struct Source {
        clock: TestClock,
        fetches: AtomicUsize,
        fail: std::sync::atomic::AtomicBool,
    }

    impl Source {
        async fn fetch(&self) -> Result<Credentials, CredentialsError> {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
            // Let every other caller pile up behind the lock while this one "fetches".
            tokio::time::sleep(Duration::from_millis(20)).await;
            if self.fail.load(Ordering::SeqCst) {
                return Err(CredentialsError::ProviderFailed {
                    provider: "test",
                    reason: "down".into(),
                });
            }
            Ok(Credentials::new(format!("id-{n}"), "key")
                .with_token("token")
                .with_expiry(self.clock.now() + Duration::from_secs(3600)))
        }
    }

    fn setup() -> (Arc<CredentialsCache>, Arc<Source>, TestClock) {
        let clock = TestClock::default();
        let now = clock.clone();
        let cache = Arc::new(CredentialsCache::with_clock(
            DEFAULT_REFRESH_MARGIN,
            Arc::new(move || now.now()),
        ));
        let source = Arc::new(Source {
            clock: clock.clone(),
            fetches: AtomicUsize::new(0),
            fail: Default::default(),
        });
        (cache, source, clock)
    }

    async fn burst(cache: &Arc<CredentialsCache>, source: &Arc<Source>, n: usize) -> Vec<String> {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..n {
            let (cache, source) = (Arc::clone(cache), Arc::clone(source));
            tasks.spawn(async move {
                cache
                    .get(|| source.fetch())
                    .await
                    .map(|c| c.secret_id().to_owned())
            });
        }
        let mut ids = Vec::new();
        while let Some(result) = tasks.join_next().await {
            ids.push(result.expect("task").expect("credentials"));
        }
        ids
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_refresh_per_expiry_under_concurrency() {
        let (cache, source, clock) = setup();
        let ids = burst(&cache, &source, 500).await;
        assert_eq!(source.fetches.load(Ordering::SeqCst), 1);
        assert!(ids.iter().all(|id| id == "id-1"));

        // Still outside the 5-minute margin: no refresh.
        clock.advance(Duration::from_secs(3600 - 301));
        burst(&cache, &source, 500).await;
        assert_eq!(source.fetches.load(Ordering::SeqCst), 1);

        // Inside the margin (but not expired): exactly one refresh for 500 callers.
        clock.advance(Duration::from_secs(2));
        let ids = burst(&cache, &source, 500).await;
        assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
        assert!(ids.iter().all(|id| id == "id-2"), "{ids:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn failed_refresh_keeps_valid_credentials_and_is_shared() {
        let (cache, source, clock) = setup();
        burst(&cache, &source, 1).await;
        source.fail.store(true, Ordering::SeqCst);
        clock.advance(Duration::from_secs(3600 - 60));
        let ids = burst(&cache, &source, 200).await;
        assert!(ids.iter().all(|id| id == "id-1"));
        // Waiters reuse a failed fetch's outcome; only callers arriving after it fetch again.
        assert!(source.fetches.load(Ordering::SeqCst) < 20);

        clock.advance(Duration::from_secs(120));
        let error = cache.get(|| source.fetch()).await.expect_err("expired");
        assert!(error.to_string().contains("down"), "{error}");
    }

    #[tokio::test]
    async fn short_lived_credentials_are_used_for_half_their_life() {
        let (cache, _, clock) = setup();
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            fetches.fetch_add(1, Ordering::SeqCst);
            Ok(Credentials::new("id", "key").with_expiry(clock.now() + Duration::from_secs(60)))
        };
        cache.get(fetch).await.expect("first");
        clock.advance(Duration::from_secs(29));
        cache.get(fetch).await.expect("cached");
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        clock.advance(Duration::from_secs(2));
        cache.get(fetch).await.expect("refreshed");
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn cancelled_fetch_leaves_the_next_caller_to_fetch() {
        let (cache, source, _) = setup();
        let pending = cache.get(|| source.fetch());
        // Dropped mid-fetch.
        assert!(
            tokio::time::timeout(Duration::from_millis(1), pending)
                .await
                .is_err()
        );
        let credentials = cache.get(|| source.fetch()).await.expect("fetched");
        assert_eq!(credentials.secret_id(), "id-2");
    }
}
