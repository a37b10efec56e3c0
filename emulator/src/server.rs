//! The HTTP server: the accept loop on 127.0.0.1 and its connections, within the limits of
//! `connection` (header-read and idle timeouts, a connection cap); each request goes to
//! `handler`.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

use crate::connection::{Activity, Closed, Guarded, Tracked, watchdog};
use crate::handler::{DropConnection, handle};
use crate::state::Shared;

/// How long open connections get to finish when the emulator stops.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves connections until `stopped` turns true (or its sender is dropped), then lets
/// open connections finish. At most `max_connections` are open at once: beyond that the
/// loop stops accepting, so new connections wait in the listen backlog, and idle
/// keep-alive connections are closed to make room.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let limits = shared.limits;
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (pressure, pressure_rx) = watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let slot = match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                pressure.send_replace(true);
                let slot = tokio::select! {
                    _ = stop_requested(&mut stopped) => break,
                    slot = Arc::clone(&slots).acquire_owned() => slot,
                };
                pressure.send_replace(false);
                match slot {
                    Ok(slot) => slot,
                    // The semaphore is never closed.
                    Err(_) => break,
                }
            }
        };
        let accepted = tokio::select! {
            _ = stop_requested(&mut stopped) => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // E.g. out of file descriptors: back off instead of spinning.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let connection = serve(
            stream,
            Arc::clone(&shared),
            stopped.clone(),
            pressure_rx.clone(),
        );
        connections.spawn(async move {
            connection.await;
            // The slot frees only once the socket is closed.
            drop(slot);
        });
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

/// One connection, until the client closes it, its watchdog does, or the emulator stops.
async fn serve(
    stream: TcpStream,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
    pressure: watch::Receiver<bool>,
) {
    let limits = shared.limits;
    let activity = Activity::new();
    let io = TokioIo::new(Tracked::new(stream, Arc::clone(&activity)));
    let requests = Arc::clone(&activity);
    let service = service_fn(move |request| {
        let guard = requests.request_started();
        let answer = handle(Arc::clone(&shared), request);
        async move {
            let response = answer.await?;
            Ok::<_, DropConnection>(response.map(|body| Guarded::new(body, guard).boxed()))
        }
    });
    let connection = http1::Builder::new().serve_connection(io, service);
    tokio::pin!(connection);
    let closed = tokio::select! {
        _ = connection.as_mut() => return,
        closed = watchdog(activity, limits, pressure) => Some(closed),
        _ = stop_requested(&mut stopped) => None,
    };
    tracing::debug!(?closed, "closing a connection");
    if closed != Some(Closed::HeaderTimeout) {
        // Between requests (or stopping): let an answer still being flushed, or a request
        // that just began, finish; then hyper closes the connection.
        connection.as_mut().graceful_shutdown();
        let _ = tokio::time::timeout(DRAIN_TIMEOUT, connection).await;
    }
    // A head not complete in time is cut off where it is: dropping closes the socket.
}

async fn stop_requested(stopped: &mut watch::Receiver<bool>) {
    // Err means the Emulator is gone, which is a stop as well.
    let _ = stopped.wait_for(|stop| *stop).await;
}
