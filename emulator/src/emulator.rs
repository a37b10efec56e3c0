//! The public handle: [`EmulatorBuilder`] (options) and [`Emulator`] (a running server and
//! the Rust API over its state, the `Shared` of `state`).

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::accounts::{Account, credentials};
use crate::catalog::Catalog;
use crate::client_tokens::ClientTokens;
use crate::clock::{Clock, ClockOffsetError};
use crate::connection::ConnectionLimits;
use crate::edgezone::{Edgezone, SeedError};
use crate::faults::{Fault, Faults};
use crate::rate_limit::RateLimiter;
use crate::request_log::{self, RequestLog, RequestRecord};
use crate::server::accept_loop;
use crate::state::Shared;

/// Options for [`Emulator`]; `Emulator::builder()`.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    port: u16,
    seed_documentation_example: bool,
    clock_offset_secs: i64,
    accounts: Vec<Account>,
    rate_limits: bool,
    extra_schemas: Vec<String>,
    issued_credential_lifetime: Option<Duration>,
    ipv6_pool: Option<u16>,
    request_log_max_bytes: usize,
    limits: ConnectionLimits,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            port: 0,
            seed_documentation_example: true,
            clock_offset_secs: 0,
            accounts: credentials::ALL.into_iter().map(Account::from).collect(),
            rate_limits: true,
            extra_schemas: Vec::new(),
            issued_credential_lifetime: None,
            ipv6_pool: None,
            request_log_max_bytes: request_log::DEFAULT_MAX_BYTES,
            limits: ConnectionLimits::default(),
        }
    }
}

impl EmulatorBuilder {
    /// Port on 127.0.0.1; 0 (the default) picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Whether edgezone starts with the documentation's example instance, epn-dfghjkl of
    /// the primary account holding 226.10.12.3 and 226.10.12.4, so that the documented
    /// ReleasePublicIp request succeeds as written (on by default; off: an empty model).
    pub fn seed_documentation_example(mut self, enabled: bool) -> Self {
        self.seed_documentation_example = enabled;
        self
    }

    /// Shifts the emulator's clock from the host's (negative: behind), by at most ±10 years
    /// ([`ClockOffsetError::MAX_OFFSET_SECS`]); [`start`](Self::start) refuses more with
    /// [`StartError::ClockOffset`].
    pub fn clock_offset_secs(mut self, offset: i64) -> Self {
        self.clock_offset_secs = offset;
        self
    }

    /// Accepts one more account (the [`credentials`] ones are always accepted; an account
    /// with the same SecretId replaces one of them).
    pub fn account(mut self, account: Account) -> Self {
        self.accounts.retain(|a| a.secret_id != account.secret_id);
        self.accounts.push(account);
        self
    }

    /// Enforces each action's documented `rate_limit` (on by default).
    pub fn rate_limits(mut self, enabled: bool) -> Self {
        self.rate_limits = enabled;
        self
    }

    /// Serves one more service version, given as schema JSON (the `schema/` format), in
    /// addition to the embedded ones; the same service and version replaces them.
    pub fn schema_json(mut self, json: impl Into<String>) -> Self {
        self.extra_schemas.push(json.into());
        self
    }

    /// Makes the temporary credentials that sts issues (AssumeRole and the others) expire
    /// this long after issue, whatever `DurationSeconds` asked for. STS refuses less than
    /// 900 s, so this is how a test sees credentials expire and get refreshed in seconds.
    pub fn issued_credential_lifetime(mut self, lifetime: Duration) -> Self {
        self.issued_credential_lifetime = Some(lifetime);
        self
    }

    /// Shrinks edgezone's pool of STATIC IPv6 addresses to 2001:db8::1 up to ::`size`
    /// (default: all 65,535), so that ResourceInsufficient.PublicIpv6Insufficient can be
    /// reached with a few ApplyPublicIps calls.
    pub fn ipv6_pool_size(mut self, size: u16) -> Self {
        self.ipv6_pool = Some(size);
        self
    }

    /// Caps the request log's size (approximately its JSON size; default 8 MiB), besides
    /// its 10,000 entries: the oldest records are dropped first. Fields a client chooses
    /// (action, version, SecretId) are cut to 256 bytes with a `…[truncated, N bytes]`
    /// marker whatever the budget.
    pub fn request_log_max_bytes(mut self, bytes: usize) -> Self {
        self.request_log_max_bytes = bytes;
        self
    }

    /// How long a client has to send a whole request head, from its connection or from
    /// the first byte after an idle spell (default 30 s). A connection that has not done so
    /// in time is closed, so that slowloris clients cannot hold connections open.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// How long a keep-alive connection may wait for its next request before it is closed,
    /// and a request body for its next bytes (default 120 s: longer than the 90 s after
    /// which the SDK's transport drops idle connections, so that clients close first).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// How many connections may be open at once (default 512, at least 1). Beyond that,
    /// new connections wait in the listen backlog until a slot frees, and idle keep-alive
    /// connections are closed to make room; keep it below the process's file-descriptor
    /// limit.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max.max(1);
        self
    }

    /// The state every request handler shares, as configured: what `start` serves, and
    /// what the fuzzing harness (`fuzz`) drives without a socket.
    pub(crate) fn shared(self) -> Result<Shared, StartError> {
        let mut catalog = Catalog::embedded();
        for (index, json) in self.extra_schemas.iter().enumerate() {
            catalog
                .add_json(&format!("<builder schema {index}>"), json)
                .map_err(StartError::Schema)?;
        }
        let accounts = self
            .accounts
            .into_iter()
            .map(|a| (a.secret_id.clone(), a))
            .collect();
        let clock = Clock::new(self.clock_offset_secs).map_err(StartError::ClockOffset)?;
        let edgezone = self
            .ipv6_pool
            .map_or_else(Edgezone::default, Edgezone::with_ipv6_pool);
        if self.seed_documentation_example {
            edgezone.seed_documentation_example(clock.now());
        }
        Ok(Shared {
            catalog,
            accounts,
            clock,
            rate_limiter: RateLimiter::new(self.rate_limits),
            faults: Faults::default(),
            log: RequestLog::new(self.request_log_max_bytes),
            client_tokens: ClientTokens::default(),
            edgezone,
            issued_credential_lifetime: self.issued_credential_lifetime,
            limits: self.limits,
        })
    }

    pub async fn start(self) -> Result<Emulator, StartError> {
        let port = self.port;
        let shared = Arc::new(self.shared()?);
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(StartError::Bind)?;
        let addr = listener.local_addr().map_err(StartError::Bind)?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
        tracing::info!(%addr, "emulator listening");
        Ok(Emulator {
            shared,
            addr,
            stop,
            task: Some(task),
        })
    }
}

/// Why the emulator could not start.
#[derive(Debug)]
pub enum StartError {
    /// A schema added with [`EmulatorBuilder::schema_json`] does not parse (embedded ones
    /// are parsed on first use, and answer InternalError if they do not).
    Schema(String),
    /// The port could not be bound.
    Bind(std::io::Error),
    /// `clock_offset_secs` is beyond ±10 years.
    ClockOffset(ClockOffsetError),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Schema(e) => write!(f, "invalid schema: {e}"),
            StartError::Bind(e) => write!(f, "cannot listen on 127.0.0.1: {e}"),
            StartError::ClockOffset(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Bind(e) => Some(e),
            StartError::ClockOffset(e) => Some(e),
            StartError::Schema(_) => None,
        }
    }
}

/// A running emulator. Stops when dropped or on [`Emulator::shutdown`].
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Starts with the defaults: any free port, the [`credentials`] accounts, host clock,
    /// rate limits on.
    pub async fn start() -> Result<Emulator, StartError> {
        EmulatorBuilder::default().start().await
    }

    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:PORT`, the form the official SDKs take as their endpoint (with scheme http).
    pub fn endpoint_host(&self) -> String {
        self.addr.to_string()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every API request answered so far, oldest first (admin requests are not logged).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.log.snapshot()
    }

    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// Queues a fault; refused if it cannot be honoured (e.g. a non-5xx status).
    pub fn inject_fault(&self, fault: Fault) -> Result<(), String> {
        self.shared.faults.add(fault)
    }

    pub fn pending_faults(&self) -> Vec<Fault> {
        self.shared.faults.pending()
    }

    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    pub fn clock_offset_secs(&self) -> i64 {
        self.shared.clock.offset_secs()
    }

    /// Moves the emulator's clock relative to the host's, e.g. to provoke
    /// AuthFailure.SignatureExpire or to test clock-skew correction via the `Date` header.
    /// Offsets beyond ±10 years are refused and leave the clock as it was.
    pub fn set_clock_offset_secs(&self, offset: i64) -> Result<(), ClockOffsetError> {
        self.shared.clock.set_offset_secs(offset)
    }

    pub fn set_rate_limits(&self, enabled: bool) {
        self.shared.rate_limiter.set_enabled(enabled);
    }

    /// Binds an applied edgezone address to a physical server, so that releasing it fails
    /// with FailedOperation.IpStillBoundToServer and deleting its instance with
    /// ResourceInUse.PublicInstanceInUse.
    pub fn bind_address(&self, ip: &str, server_id: &str) -> Result<(), SeedError> {
        self.shared
            .edgezone
            .bind(ip, server_id, self.shared.clock.now())
    }

    /// Unbinds an address, as when its server is terminated.
    pub fn unbind_address(&self, ip: &str) -> Result<(), SeedError> {
        self.shared.edgezone.unbind(ip, self.shared.clock.now())
    }

    /// Gives a STATIC instance a chosen address (e.g. one from the documentation) as if
    /// ApplyPublicIps had allocated it.
    pub fn add_address(&self, instance_id: &str, ip: &str) -> Result<(), SeedError> {
        self.shared
            .edgezone
            .add_address(instance_id, ip, self.shared.clock.now())
    }

    /// Stops accepting, lets open connections finish (up to 5 s), and waits.
    pub async fn shutdown(mut self) {
        self.stop.send_replace(true);
        if let Some(task) = self.task.take() {
            // The loop only ends on the signal; a join error would mean it panicked, and
            // there is nothing left to stop then.
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // The accept loop and every connection watch this; they wind down on their own.
        self.stop.send_replace(true);
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}
