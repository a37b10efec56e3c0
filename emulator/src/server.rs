//! The HTTP server: the accept loop on 127.0.0.1, per-request fault injection and logging,
//! and routing between the API (`pipeline`) and the admin routes (`admin`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, DATE};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::admin;
use crate::auth::{Received, header_str, parse_authorization};
use crate::body::{self, Body};
use crate::clock::http_date;
use crate::envelope::{ApiError, code};
use crate::faults::FaultKind;
use crate::pipeline::{self, Answer};
use crate::request_log::RequestRecord;
use crate::state::Shared;

/// Larger request bodies are refused (the real API's limit is 10 MB).
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
/// How long open connections get to finish when the emulator stops.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves connections until `stopped` turns true (or its sender is dropped), then lets
/// open connections finish.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
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
        let shared = Arc::clone(&shared);
        let mut stopped = stopped.clone();
        connections.spawn(async move {
            let service = service_fn(move |request| handle(Arc::clone(&shared), request));
            let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop_requested(&mut stopped) => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(DRAIN_TIMEOUT, connection).await;
                }
            }
        });
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

async fn stop_requested(stopped: &mut watch::Receiver<bool>) {
    // Err means the Emulator is gone, which is a stop as well.
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// Returned to hyper to close the connection without an answer (injected fault).
#[derive(Debug)]
struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

type HttpResponse = Response<Body>;

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<HttpResponse, DropConnection> {
    if request.uri().path().starts_with(admin::PREFIX) {
        let (parts, body) = request.into_parts();
        let body = read_body(body).await.unwrap_or_default();
        let (status, json) = admin::handle(&shared, &parts.method, parts.uri.path(), &body);
        return Ok(json_response(&shared, status, &json));
    }
    handle_api(&shared, request).await
}

async fn handle_api(
    shared: &Shared,
    request: Request<Incoming>,
) -> Result<HttpResponse, DropConnection> {
    let (parts, body) = request.into_parts();
    let mut record = RequestRecord {
        action: header_str(&parts.headers, "x-tc-action")
            .unwrap_or_default()
            .to_owned(),
        version: header_str(&parts.headers, "x-tc-version")
            .unwrap_or_default()
            .to_owned(),
        received_at: shared.clock.now(),
        secret_id: secret_id(&parts.headers),
        code: None,
        http_status: None,
        request_id: None,
        fault: None,
    };

    let fault = shared.faults.take(&record.action);
    record.fault = fault.as_ref().map(|kind| kind.name().to_owned());
    match fault {
        Some(FaultKind::DropConnection) => {
            shared.log.push(record);
            return Err(DropConnection);
        }
        Some(FaultKind::ServerError { status }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            record.http_status = Some(status.as_u16());
            shared.log.push(record);
            let text = format!("<html><body>{status} (injected by the emulator)</body></html>");
            return Ok(response(
                shared,
                status,
                "text/html",
                body::full(Bytes::from(text)),
            ));
        }
        Some(FaultKind::RequestLimitExceeded) => {
            let error = ApiError::new(
                code::REQUEST_LIMIT_EXCEEDED,
                "Your request is too frequent (injected fault).",
            );
            return Ok(send(shared, record, Answer::error(&error), false));
        }
        Some(FaultKind::Error { code, message }) => {
            let error = ApiError::new(code, message);
            return Ok(send(shared, record, Answer::error(&error), false));
        }
        Some(FaultKind::DelayBefore { delay_ms }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await
        }
        Some(FaultKind::Delay { .. } | FaultKind::TruncatedBody) | None => {}
    }

    let body = match read_body(body).await {
        Ok(body) => body,
        Err(error) => return Ok(send(shared, record, Answer::error(&error), false)),
    };
    let received = Received {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or_default(),
        headers: &parts.headers,
        body: &body,
    };
    let answer = pipeline::answer(shared, &received);
    let truncate = fault == Some(FaultKind::TruncatedBody);
    // Applied and logged first, then held back: a client that times out meanwhile leaves
    // a request that the server did act on.
    let response = send(shared, record, answer, truncate);
    if let Some(FaultKind::Delay { delay_ms }) = fault {
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
    }
    Ok(response)
}

/// Logs and serialises an envelope (HTTP 200, as the real API sends errors too).
fn send(
    shared: &Shared,
    mut record: RequestRecord,
    answer: Answer,
    truncate: bool,
) -> HttpResponse {
    record.code = answer.code;
    record.request_id = Some(answer.request_id);
    record.http_status = Some(200);
    shared.log.push(record);
    let bytes = Bytes::from(serde_json::to_vec(&answer.body).unwrap_or_default());
    let body = if truncate {
        body::truncated(bytes)
    } else {
        body::full(bytes)
    };
    response(shared, StatusCode::OK, "application/json", body)
}

async fn read_body(body: Incoming) -> Result<Bytes, ApiError> {
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) => Err(ApiError::new(
            code::INVALID_PARAMETER,
            format!("Cannot read the request body: {e}."),
        )),
    }
}

fn secret_id(headers: &HeaderMap) -> Option<String> {
    let authorization = header_str(headers, "authorization")?;
    parse_authorization(authorization)
        .ok()
        .map(|a| a.secret_id.to_owned())
}

fn json_response(shared: &Shared, status: StatusCode, json: &serde_json::Value) -> HttpResponse {
    let bytes = Bytes::from(serde_json::to_vec(json).unwrap_or_default());
    response(shared, status, "application/json", body::full(bytes))
}

/// Every response carries a `Date` from the emulator's clock, so clients can measure skew.
/// The content type is exactly `application/json`: the official Python SDK only reads
/// error envelopes with that value.
fn response(
    shared: &Shared,
    status: StatusCode,
    content_type: &'static str,
    body: Body,
) -> HttpResponse {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    if let Some(Ok(date)) = http_date(shared.clock.now()).map(|date| date.parse()) {
        headers.insert(DATE, date);
    }
    response
}
