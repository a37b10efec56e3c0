//! What the emulator answered, request by request, for tests to assert on (retries,
//! backoff timing, which code a client saw).
//!
//! Bounded twice, so that a long-running binary stays small whatever clients send: at most
//! [`MAX_ENTRIES`] records and at most a byte budget (default [`DEFAULT_MAX_BYTES`]), the
//! oldest records going first. The fields a client chooses (action, version, SecretId) are
//! cut to [`MAX_FIELD_BYTES`] with a marker: 350 KB `X-TC-Action` headers once took the
//! binary from 104 MiB to 1.1 GB and `GET /_emulator/requests` to 1 GB.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};

/// Oldest records are dropped beyond this many.
pub const MAX_ENTRIES: usize = 10_000;
/// Default byte budget of the whole log (8 MiB): 10,000 ordinary records take about 3 MB.
pub const DEFAULT_MAX_BYTES: usize = 8 * 1024 * 1024;
/// A longer client-chosen field is cut to this many bytes, plus a marker.
pub const MAX_FIELD_BYTES: usize = 256;
/// At most this many member headers of a raw-body request are kept (cls UploadLog, the
/// one raw-body action of the catalog, has three members).
pub const MAX_MEMBER_HEADERS: usize = 16;
/// What a record costs besides its strings: the struct, the timestamp, JSON punctuation
/// and member names (`"body_length":null,"member_headers":[]` alone is 38, `"stream":null`
/// 13). An estimate, so that the budget tracks the JSON size of the log.
const RECORD_OVERHEAD: usize = 216;
/// What a streamed answer's progress adds to its record, as JSON.
const STREAM_RECORD_COST: usize = 48;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    /// `X-TC-Action` as sent (empty when absent).
    pub action: String,
    /// `X-TC-Version` as sent (empty when absent).
    pub version: String,
    /// On the emulator's clock (including any offset); JSON: Unix milliseconds.
    #[serde(serialize_with = "unix_millis")]
    pub received_at: SystemTime,
    /// The SecretId of the Authorization header, when it could be read.
    pub secret_id: Option<String>,
    /// `None` for a success, else the error code of the envelope.
    pub code: Option<String>,
    /// `None` when the connection was dropped without an answer.
    pub http_status: Option<u16>,
    /// `None` when no envelope was sent (injected 5xx, dropped connection).
    pub request_id: Option<String>,
    /// The injected fault that shaped this answer, e.g. `server_error`.
    pub fault: Option<String>,
    /// A write repeated with the `ClientToken` of one already applied: answered as the
    /// first was, and not applied again.
    pub replayed: bool,
    /// The length of the request body, once read (`None` when it was not: a fault or a
    /// refusal came first).
    pub body_length: Option<usize>,
    /// A raw-body (`application/octet-stream`) request's `X-<SERVICE>-` headers, names
    /// lower-cased as HTTP delivers them; empty for any other request.
    pub member_headers: Vec<(String, String)>,
    /// For an answer streamed as server-sent events: how far it got. `None` for a JSON
    /// answer.
    pub stream: Option<StreamRecord>,
}

/// How far a streamed answer got; updated as it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StreamRecord {
    /// Events handed to the connection so far, injected ones (an error event, a long
    /// line) included.
    pub events: u64,
    pub state: StreamState,
}

/// Where a streamed answer stands. JSON: `"open"`, `"finished"`, `"cut"`, `"client_gone"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamState {
    /// Still being written.
    Open,
    /// Every event was handed to the connection and the body ended cleanly.
    Finished,
    /// Cut short by an injected fault (`stream_drop`, or `truncated_body`).
    Cut,
    /// The connection closed before the end: the client went away (or the emulator
    /// stopped while the stream was open).
    ClientGone,
}

fn unix_millis<S: Serializer>(time: &SystemTime, serializer: S) -> Result<S::Ok, S::Error> {
    let millis = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    serializer.serialize_u128(millis)
}

impl RequestRecord {
    /// Cuts every string field to `MAX_FIELD_BYTES`.
    fn truncate_fields(&mut self) {
        truncate(&mut self.action);
        truncate(&mut self.version);
        [
            &mut self.secret_id,
            &mut self.code,
            &mut self.request_id,
            &mut self.fault,
        ]
        .into_iter()
        .flatten()
        .for_each(truncate);
        self.member_headers.truncate(MAX_MEMBER_HEADERS);
        for (name, value) in &mut self.member_headers {
            truncate(name);
            truncate(value);
        }
    }

    /// Approximate bytes held (and serialised) for this record.
    fn cost(&self) -> usize {
        let optional = [&self.secret_id, &self.code, &self.request_id, &self.fault];
        let stream = self.stream.map_or(0, |_| STREAM_RECORD_COST);
        RECORD_OVERHEAD
            + stream
            + self.action.len()
            + self.version.len()
            + optional
                .iter()
                .map(|field| field.as_ref().map_or(0, String::len))
                .sum::<usize>()
            + (self.member_headers.iter())
                .map(|(name, value)| name.len() + value.len() + 8)
                .sum::<usize>()
    }
}

/// Cuts `text` to at most `MAX_FIELD_BYTES` (on a character boundary) and says how long it
/// was, e.g. `AAAA…[truncated, 358400 bytes]`.
fn truncate(text: &mut String) {
    if text.len() <= MAX_FIELD_BYTES {
        return;
    }
    let original = text.len();
    let mut end = MAX_FIELD_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(&format!("…[truncated, {original} bytes]"));
    text.shrink_to_fit();
}

#[derive(Debug)]
pub struct RequestLog {
    max_bytes: usize,
    inner: Mutex<Records>,
}

#[derive(Debug, Default)]
struct Records {
    records: VecDeque<RequestRecord>,
    /// Sum of the records' `cost()`.
    bytes: usize,
}

impl Default for RequestLog {
    fn default() -> Self {
        RequestLog::new(DEFAULT_MAX_BYTES)
    }
}

impl RequestLog {
    /// A log that keeps at most `max_bytes` (approximately, as JSON) and `MAX_ENTRIES`.
    pub fn new(max_bytes: usize) -> Self {
        RequestLog {
            max_bytes,
            inner: Mutex::default(),
        }
    }

    pub fn push(&self, mut record: RequestRecord) {
        record.truncate_fields();
        let cost = record.cost();
        let mut inner = self.lock();
        inner.records.push_back(record);
        inner.bytes += cost;
        // The newest record stays even if it alone exceeds a tiny budget: a test asking
        // "what did the last request get" should always find it.
        while inner.records.len() > 1
            && (inner.records.len() > MAX_ENTRIES || inner.bytes > self.max_bytes)
        {
            if let Some(oldest) = inner.records.pop_front() {
                inner.bytes -= oldest.cost();
            }
        }
    }

    /// Changes the record of the answer with this RequestId, if the log still holds it
    /// (newest first: the record being changed is almost always among the last).
    pub fn update(&self, request_id: &str, change: impl FnOnce(&mut RequestRecord)) {
        let mut inner = self.lock();
        let Some(record) = inner
            .records
            .iter_mut()
            .rev()
            .find(|record| record.request_id.as_deref() == Some(request_id))
        else {
            return;
        };
        let before = record.cost();
        change(record);
        record.truncate_fields();
        let after = record.cost();
        inner.bytes = inner.bytes - before + after;
    }

    pub fn snapshot(&self) -> Vec<RequestRecord> {
        self.lock().records.iter().cloned().collect()
    }

    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.records.clear();
        inner.bytes = 0;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Records> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(action: &str) -> RequestRecord {
        RequestRecord {
            action: action.to_owned(),
            version: "2026-04-01".to_owned(),
            received_at: UNIX_EPOCH,
            secret_id: None,
            code: Some("InvalidAction".to_owned()),
            http_status: Some(200),
            request_id: Some("0".repeat(36)),
            fault: None,
            replayed: false,
            stream: None,
            body_length: None,
            member_headers: Vec::new(),
        }
    }

    #[test]
    fn a_record_is_updated_by_its_request_id() {
        let log = RequestLog::default();
        let mut streamed = record("ChatCompletions");
        streamed.request_id = Some("r-1".to_owned());
        log.push(streamed);
        log.push(record("Other"));
        let bytes = log.lock().bytes;
        let progress = StreamRecord {
            events: 3,
            state: StreamState::ClientGone,
        };
        log.update("r-1", |record| record.stream = Some(progress));
        log.update("r-unknown", |record| record.replayed = true);
        let records = log.snapshot();
        assert_eq!(records[0].stream, Some(progress));
        assert!(!records[1].replayed && records[1].stream.is_none());
        assert_eq!(log.lock().bytes, bytes + STREAM_RECORD_COST);
        let json = serde_json::to_value(&records[0]).unwrap();
        assert_eq!(
            json["stream"],
            serde_json::json!({"events": 3, "state": "client_gone"})
        );
    }

    #[test]
    fn long_fields_are_cut_with_a_marker() {
        let log = RequestLog::default();
        log.push(record(&"é".repeat(200_000)));
        let kept = &log.snapshot()[0].action;
        assert!(kept.len() < MAX_FIELD_BYTES + 40, "{}", kept.len());
        assert!(kept.ends_with("…[truncated, 400000 bytes]"), "{kept}");
        log.push(record("DescribePublicIps"));
        assert_eq!(log.snapshot()[1].action, "DescribePublicIps");
    }

    #[test]
    fn the_byte_budget_drops_the_oldest() {
        let log = RequestLog::new(10_000);
        for n in 0..1_000 {
            log.push(record(&format!("{n:0>200}")));
        }
        let kept = log.snapshot();
        let json = serde_json::to_vec(&kept).unwrap();
        assert!(json.len() <= 10_000, "{} bytes of JSON", json.len());
        assert!(kept.len() >= 10, "{} records", kept.len());
        assert!(
            kept.last().unwrap().action.ends_with("999"),
            "the newest stays"
        );
        assert!(log.lock().bytes <= 10_000);
        log.clear();
        assert_eq!(log.lock().bytes, 0);
    }

    #[test]
    fn entries_are_capped_too() {
        let log = RequestLog::new(usize::MAX);
        for _ in 0..MAX_ENTRIES + 5 {
            log.push(record("A"));
        }
        assert_eq!(log.snapshot().len(), MAX_ENTRIES);
    }
}
