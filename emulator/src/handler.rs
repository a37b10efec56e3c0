//! One HTTP request: per-request fault injection and logging, reading the body within its
//! limit, and routing between the API (`pipeline`) and the admin routes (`admin`); a
//! streamed answer's body is `event_stream`'s.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{CONTENT_TYPE, DATE, HeaderValue};
use http::request::Parts;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::{Body as _, Incoming};

use crate::admin;
use crate::auth::{Received, header_str, parse_authorization};
use crate::body::{self, Body};
use crate::clock::http_date;
use crate::envelope::{ApiError, code};
use crate::event_stream::{EventStream, Plan};
use crate::faults::FaultKind;
use crate::octet_stream;
use crate::pipeline::{self, Answer, Reply};
use crate::request_log::{RequestRecord, StreamRecord, StreamState};
use crate::state::Shared;

/// Larger request bodies are refused with RequestSizeLimitExceeded (the real API's limit
/// is 10 MB).
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
/// Bodies up to this size are checked on the connection's own task. Larger ones (hashing,
/// JSON parsing and validating 8 MB takes a debug build most of a second) go to tokio's
/// blocking pool, so that a few big requests cannot stall the async workers and with them
/// every small request; so do requests that may first parse their service version's
/// schema (`Catalog::may_parse`).
const INLINE_BODY_BYTES: usize = 64 * 1024;

/// Returned to hyper to close the connection without an answer (an injected fault, or a
/// body that stopped arriving).
#[derive(Debug)]
pub struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection closed without an answer")
    }
}

impl std::error::Error for DropConnection {}

pub type HttpResponse = Response<Body>;

pub async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<HttpResponse, DropConnection> {
    if request.uri().path().starts_with(admin::PREFIX) {
        let (parts, body) = request.into_parts();
        let body = read_body(body, shared.limits.idle_timeout)
            .await
            .unwrap_or_default();
        let (status, json) = admin::handle(&shared, &parts.method, parts.uri.path(), &body);
        return Ok(json_response(&shared, status, &json));
    }
    handle_api(shared, request).await
}

async fn handle_api(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<HttpResponse, DropConnection> {
    let shared = &shared;
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
        replayed: false,
        stream: None,
        body_length: None,
        member_headers: octet_stream::member_headers(&parts.headers),
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
        // Applied later; the stream faults are taken only when a stream starts.
        Some(
            FaultKind::Delay { .. }
            | FaultKind::TruncatedBody
            | FaultKind::StreamDrop { .. }
            | FaultKind::StreamError { .. }
            | FaultKind::StreamLongLine { .. }
            | FaultKind::StreamDelay { .. }
            | FaultKind::StreamRepeat { .. },
        )
        | None => {}
    }

    // Before reading a body that would be of no use.
    if !pipeline::is_supported_method(parts.method.as_str()) {
        let error = pipeline::unsupported_protocol(parts.method.as_str());
        return Ok(send(shared, record, Answer::error(&error), false));
    }
    let body = match read_body(body, shared.limits.idle_timeout).await {
        Ok(body) => body,
        Err(BodyError::Refused(error)) => {
            return Ok(send(shared, record, Answer::error(&error), false));
        }
        Err(BodyError::Stalled) => {
            shared.log.push(record);
            return Err(DropConnection);
        }
    };
    record.body_length = Some(body.len());
    let version = header_str(&parts.headers, "x-tc-version").unwrap_or_default();
    let answer = if body.len() <= INLINE_BODY_BYTES && !shared.catalog.may_parse(version) {
        answer(shared, &parts, &body)
    } else {
        let owned = Arc::clone(shared);
        tokio::task::spawn_blocking(move || answer(&owned, &parts, &body))
            .await
            .unwrap_or_else(|panicked| {
                tracing::error!(error = %panicked, "request handler panicked");
                Answer::error(&ApiError::new(
                    code::INTERNAL_ERROR,
                    "The emulator failed while handling this request.",
                ))
            })
    };
    let truncate = fault == Some(FaultKind::TruncatedBody);
    // Applied and logged first, then held back: a client that times out meanwhile leaves
    // a request that the server did act on.
    let response = send(shared, record, answer, truncate);
    if let Some(FaultKind::Delay { delay_ms }) = fault {
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
    }
    Ok(response)
}

/// The pipeline's answer to a request whose body has been read.
fn answer(shared: &Shared, parts: &Parts, body: &[u8]) -> Answer {
    let received = Received {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or_default(),
        headers: &parts.headers,
        body,
    };
    pipeline::answer(shared, &received)
}

/// Logs and serialises an envelope (HTTP 200, as the real API sends errors too), or starts
/// a stream.
fn send(
    shared: &Arc<Shared>,
    mut record: RequestRecord,
    answer: Answer,
    truncate: bool,
) -> HttpResponse {
    record.code = answer.code;
    record.request_id = Some(answer.request_id.clone());
    record.replayed = answer.replayed;
    record.http_status = Some(200);
    let envelope = match answer.reply {
        Reply::Envelope(envelope) => envelope,
        Reply::Events(events) => {
            return stream(shared, record, events, answer.request_id, truncate);
        }
    };
    shared.log.push(record);
    let bytes = Bytes::from(serde_json::to_vec(&envelope).unwrap_or_default());
    let body = if truncate {
        body::truncated(bytes)
    } else {
        body::full(bytes)
    };
    response(shared, StatusCode::OK, "application/json", body)
}

/// Logs a streamed answer (with the stream faults it takes) and starts its body: HTTP
/// 200, `text/event-stream`, the RequestId in `X-TC-RequestId` (the events carry the
/// documented ones), chunked.
fn stream(
    shared: &Arc<Shared>,
    mut record: RequestRecord,
    events: Vec<Bytes>,
    request_id: String,
    truncate: bool,
) -> HttpResponse {
    let faults = shared.faults.take_stream(&record.action);
    // Every fault that shaped the answer, e.g. `delay+stream_drop`.
    let names: Vec<String> = record
        .fault
        .take()
        .into_iter()
        .chain(faults.iter().map(|fault| fault.name().to_owned()))
        .collect();
    record.fault = (!names.is_empty()).then(|| names.join("+"));
    record.stream = Some(StreamRecord {
        events: 0,
        state: StreamState::Open,
    });
    shared.log.push(record);
    let plan = Plan::new(events, &faults, &request_id, truncate);
    let header = HeaderValue::from_str(&request_id);
    let body = EventStream::body(plan, Arc::clone(shared), request_id);
    let mut response = response(shared, StatusCode::OK, "text/event-stream", body);
    if let Ok(request_id) = header {
        response.headers_mut().insert("x-tc-requestid", request_id);
    }
    response
}

/// Why a body was not read whole.
enum BodyError {
    /// Answered with this error (too large, or unreadable).
    Refused(ApiError),
    /// No bytes for the idle timeout: the connection is closed without an answer, as
    /// nobody is sending.
    Stalled,
}

/// The whole body, read as it arrives (no worker waits on it), refused with
/// RequestSizeLimitExceeded beyond `MAX_BODY_BYTES`: at once when its Content-Length says
/// so, else as soon as that much has arrived. Between two pieces at most `stall` may pass,
/// so that a client trickling a body cannot hold its connection slot for good.
async fn read_body(mut body: Incoming, stall: Duration) -> Result<Bytes, BodyError> {
    let announced = body.size_hint().lower();
    if announced > MAX_BODY_BYTES as u64 {
        return Err(BodyError::Refused(too_large(announced)));
    }
    // Memory follows what arrives, not what a header promises.
    let mut collected =
        BytesMut::with_capacity(usize::try_from(announced.min(64 * 1024)).unwrap_or(0));
    loop {
        let frame = match tokio::time::timeout(stall, body.frame()).await {
            Err(_) => return Err(BodyError::Stalled),
            Ok(None) => return Ok(collected.freeze()),
            Ok(Some(Err(e))) => {
                return Err(BodyError::Refused(ApiError::new(
                    code::INVALID_PARAMETER,
                    format!("Cannot read the request body: {e}."),
                )));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            let total = collected.len() + data.len();
            if total > MAX_BODY_BYTES {
                return Err(BodyError::Refused(too_large(total as u64)));
            }
            collected.extend_from_slice(&data);
        }
    }
}

fn too_large(at_least: u64) -> ApiError {
    ApiError::new(
        code::REQUEST_SIZE_LIMIT_EXCEEDED,
        format!(
            "The request body ({at_least} bytes or more) exceeds the limit of {MAX_BODY_BYTES} bytes."
        ),
    )
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
