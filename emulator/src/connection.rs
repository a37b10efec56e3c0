//! Connection limits: a header-read timeout, an idle timeout and a cap on open connections,
//! so that slowloris clients, idle keep-alive connections and floods of sockets cannot
//! take the emulator's file descriptors (500 slowloris and 1,000 idle connections once
//! stayed open for good, and at the descriptor limit normal requests got no answer).
//!
//! Each connection's [`Activity`] says what it is doing, as Go's net/http sees it:
//! reading a request head (from the accept, or from the first byte after an idle spell),
//! busy with requests (from the complete head until the response body is sent), or idle
//! between requests. Its [`watchdog`] closes it when the head takes longer than the
//! header-read timeout, when it stays idle longer than the idle timeout, or at once when
//! it is idle while the accept loop waits for a free slot.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::watch;
use tokio::time::Instant;

/// Time to receive a whole request head (hyper's own default, and half nginx's).
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Time a keep-alive connection may wait for its next request, and a request body for its
/// next bytes. Longer than the 90 s after which reqwest (the SDK's transport) drops idle
/// pooled connections, so that the client, not the server, closes them: a server closing
/// first races the client's next request.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// Open connections at once; well under the common `ulimit -n` of 1,024.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// The three limits; `EmulatorBuilder` sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    /// At least 1.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    ReadingHead { since: Instant },
    Busy { requests: usize },
    Idle { since: Instant },
}

/// What one connection is doing; shared by its stream, its service and its watchdog.
#[derive(Debug)]
pub struct Activity(watch::Sender<Phase>);

impl Activity {
    /// A connection just accepted: its first head is due within the header-read timeout.
    pub fn new() -> Arc<Activity> {
        Arc::new(Activity(watch::Sender::new(Phase::ReadingHead {
            since: Instant::now(),
        })))
    }

    /// The head is complete and the request goes to the handler.
    pub fn request_started(self: &Arc<Self>) -> RequestGuard {
        self.0.send_modify(|phase| {
            *phase = match *phase {
                Phase::Busy { requests } => Phase::Busy {
                    requests: requests + 1,
                },
                _ => Phase::Busy { requests: 1 },
            }
        });
        RequestGuard(Arc::clone(self))
    }

    /// Bytes arrived: after an idle spell, they begin the next head.
    fn bytes_read(&self) {
        self.0.send_if_modified(|phase| match phase {
            Phase::Idle { .. } => {
                *phase = Phase::ReadingHead {
                    since: Instant::now(),
                };
                true
            }
            _ => false,
        });
    }
}

/// Held from the complete head until the response body has been sent (or dropped).
#[derive(Debug)]
pub struct RequestGuard(Arc<Activity>);

impl Drop for RequestGuard {
    fn drop(&mut self) {
        self.0.0.send_modify(|phase| {
            *phase = match *phase {
                Phase::Busy { requests } if requests > 1 => Phase::Busy {
                    requests: requests - 1,
                },
                _ => Phase::Idle {
                    since: Instant::now(),
                },
            }
        });
    }
}

/// Why a watchdog ended its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// The head was not complete in time: closed at once, mid-request.
    HeaderTimeout,
    /// Idle too long: closed between requests.
    IdleTimeout,
    /// Idle while the accept loop waits for a slot: closed to make room.
    MakingRoom,
}

/// Resolves when the connection must close; never while a request is being handled.
/// `pressure` is true while the accept loop waits for a free slot.
pub async fn watchdog(
    activity: Arc<Activity>,
    limits: ConnectionLimits,
    mut pressure: watch::Receiver<bool>,
) -> Closed {
    let mut phases = activity.0.subscribe();
    let mut pressure_open = true;
    loop {
        let phase = *phases.borrow_and_update();
        let under_pressure = *pressure.borrow_and_update();
        if under_pressure && matches!(phase, Phase::Idle { .. }) {
            return Closed::MakingRoom;
        }
        let deadline = match phase {
            Phase::ReadingHead { since } => since
                .checked_add(limits.header_read_timeout)
                .map(|at| (at, Closed::HeaderTimeout)),
            Phase::Idle { since } => since
                .checked_add(limits.idle_timeout)
                .map(|at| (at, Closed::IdleTimeout)),
            Phase::Busy { .. } => None,
        };
        let expired = async {
            match deadline {
                Some((at, reason)) => {
                    tokio::time::sleep_until(at).await;
                    reason
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            reason = expired => {
                // A change that raced the deadline wins: look again.
                if !phases.has_changed().unwrap_or(false) {
                    return reason;
                }
            }
            // `activity` is held here, so the sender outlives this receiver.
            _ = phases.changed() => {}
            changed = pressure.changed(), if pressure_open => {
                // The accept loop is gone (the emulator stops): no more pressure.
                pressure_open = changed.is_ok();
            }
        }
    }
}

/// A stream that tells its connection's [`Activity`] when bytes arrive.
#[derive(Debug)]
pub struct Tracked<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> Tracked<S> {
    pub fn new(inner: S, activity: Arc<Activity>) -> Self {
        Tracked { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.bytes_read();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// A response body that keeps its request's [`RequestGuard`] until hyper has sent it.
pub struct Guarded<B> {
    inner: B,
    _guard: RequestGuard,
}

impl<B> Guarded<B> {
    pub fn new(inner: B, guard: RequestGuard) -> Self {
        Guarded {
            inner,
            _guard: guard,
        }
    }
}

impl<B: Body + Unpin> Body for Guarded<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(120),
            max_connections: 1,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn each_phase_has_its_deadline() {
        let (_pressure, pressure_rx) = watch::channel(false);
        // A new connection that sends nothing: the header-read timeout.
        let activity = Activity::new();
        let started = Instant::now();
        let closed = watchdog(Arc::clone(&activity), limits(), pressure_rx.clone()).await;
        assert_eq!(closed, Closed::HeaderTimeout);
        assert_eq!(started.elapsed(), Duration::from_secs(30));

        // A request, then nothing: the idle timeout, counted from the end of the answer.
        let activity = Activity::new();
        let guard = activity.request_started();
        let watching = tokio::spawn(watchdog(
            Arc::clone(&activity),
            limits(),
            pressure_rx.clone(),
        ));
        tokio::time::sleep(Duration::from_secs(600)).await;
        assert!(!watching.is_finished(), "never while busy");
        let answered = Instant::now();
        drop(guard);
        assert_eq!(watching.await.unwrap(), Closed::IdleTimeout);
        assert_eq!(answered.elapsed(), Duration::from_secs(120));

        // Bytes after an idle spell start a head: the header-read timeout again.
        let activity = Activity::new();
        drop(activity.request_started());
        tokio::time::sleep(Duration::from_secs(100)).await;
        activity.bytes_read();
        let head = Instant::now();
        let closed = watchdog(Arc::clone(&activity), limits(), pressure_rx).await;
        assert_eq!(closed, Closed::HeaderTimeout);
        assert_eq!(head.elapsed(), Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn pressure_closes_idle_connections_only() {
        let (pressure, pressure_rx) = watch::channel(false);
        let busy = Activity::new();
        let guard = busy.request_started();
        let idle = Activity::new();
        drop(idle.request_started());
        let busy_watch = tokio::spawn(watchdog(busy, limits(), pressure_rx.clone()));
        let idle_watch = tokio::spawn(watchdog(idle, limits(), pressure_rx));
        tokio::time::sleep(Duration::from_secs(1)).await;
        pressure.send_replace(true);
        assert_eq!(idle_watch.await.unwrap(), Closed::MakingRoom);
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(!busy_watch.is_finished());
        // Once its answer is sent, the busy one makes room too.
        drop(guard);
        assert_eq!(busy_watch.await.unwrap(), Closed::MakingRoom);
    }
}
