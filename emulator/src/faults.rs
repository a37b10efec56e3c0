//! Injected failures for testing clients: "the next N requests (optionally only those of
//! one action) fail this way". Faults are consumed in the order they were added; the first
//! one that matches a request takes it.
//!
//! The `stream_*` faults shape streamed answers (`text/event-stream`) only, and wait for
//! one: other requests pass them by. A streamed answer takes one use of the first matching
//! stream fault of each class (the end of the stream: `stream_drop` or `stream_error`; a
//! long line; a delay; repetition), so that, say, a delay and a drop set together shape the
//! same stream.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::sse::MIN_LONG_LINE_BYTES;

/// How a faulted request fails. JSON form (admin route): `{"kind": "server_error",
/// "status": 503}`, `{"kind": "delay", "delay_ms": 1500}`, `{"kind": "delay_before",
/// "delay_ms": 1500}`, `{"kind": "drop_connection"}`, `{"kind": "error", "code":
/// "InternalError"}`, `{"kind": "stream_drop", "after_events": 2}`, ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// A `RequestLimitExceeded` error envelope, as when throttled.
    RequestLimitExceeded,
    /// An error envelope (HTTP 200) with this code, for failures no request can cause
    /// on purpose, such as `InternalError`. The request is not processed.
    Error {
        code: String,
        #[serde(default = "injected_message")]
        message: String,
    },
    /// HTTP `status` (5xx) with a plain-text body, as from a failing gateway.
    ServerError {
        #[serde(default = "default_status")]
        status: u16,
    },
    /// Handles the request (its effects are applied and logged), then waits before
    /// answering: a client that times out meanwhile sees no answer, though the server
    /// acted, which is what makes a retried write dangerous.
    Delay { delay_ms: u64 },
    /// Waits before handling the request, as a slow network would: a client that gives
    /// up meanwhile closes the connection, and the request is never applied.
    DelayBefore { delay_ms: u64 },
    /// Closes the connection without answering; the request is not processed.
    DropConnection,
    /// Processes the request, then sends only half of the response body while
    /// announcing its full length, and closes the connection.
    TruncatedBody,
    /// Streamed answers: after `after_events` events (or all, if fewer), closes the
    /// connection without ending the chunked body, so the client sees an incomplete
    /// message rather than the end of the stream.
    StreamDrop {
        #[serde(default)]
        after_events: u64,
    },
    /// Streamed answers: after `after_events` events (or all, if fewer), sends the event
    /// `data: {"RequestId":…,"Error":{"Code":code,"Message":message}}` and ends the stream
    /// cleanly, as trtc documents an error in the middle of a stream.
    StreamError {
        #[serde(default)]
        after_events: u64,
        code: String,
        #[serde(default = "injected_message")]
        message: String,
    },
    /// Streamed answers: after `after_events` events (or all, if fewer), sends one event
    /// whose single line (`data: xxx…`, without its line break) is `line_bytes` long, then
    /// the rest of the stream; for clients' line-length limits.
    StreamLongLine {
        #[serde(default)]
        after_events: u64,
        line_bytes: usize,
    },
    /// Streamed answers: waits `delay_ms` before each event after the first, so that a
    /// client can give up on a stream while it is open.
    StreamDelay { delay_ms: u64 },
    /// Streamed answers: repeats the documented events (whole runs of them) until the
    /// stream has at least `min_events`.
    StreamRepeat { min_events: u64 },
}

/// The longest line `stream_long_line` sends (64 MiB): the line is held in memory.
pub const MAX_LONG_LINE_BYTES: usize = 64 * 1024 * 1024;

/// What part of a stream a stream fault shapes; a stream takes at most one of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StreamClass {
    Ending,
    LongLine,
    Delay,
    Repeat,
}

fn injected_message() -> String {
    "Injected by the emulator.".to_owned()
}

fn default_status() -> u16 {
    503
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many matching requests it affects.
    #[serde(default = "one")]
    pub count: u32,
    /// Only requests whose `X-TC-Action` is this; all requests when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

impl Fault {
    /// Affects the next request.
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            count: 1,
            action: None,
        }
    }

    pub fn times(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    pub fn for_action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }

    /// Answers with an error envelope carrying `code`.
    pub fn error(code: impl Into<String>) -> Self {
        Fault::new(FaultKind::Error {
            code: code.into(),
            message: injected_message(),
        })
    }

    /// Applies the request, then holds its answer back for `duration`.
    pub fn delay(duration: Duration) -> Self {
        Fault::new(FaultKind::Delay {
            delay_ms: millis(duration),
        })
    }

    /// Holds the request back for `duration` before handling it.
    pub fn delay_before(duration: Duration) -> Self {
        Fault::new(FaultKind::DelayBefore {
            delay_ms: millis(duration),
        })
    }

    /// After `after_events` events of a streamed answer, closes the connection mid-message.
    pub fn stream_drop(after_events: u64) -> Self {
        Fault::new(FaultKind::StreamDrop { after_events })
    }

    /// After `after_events` events of a streamed answer, an error event with `code`, then
    /// the end of the stream.
    pub fn stream_error(after_events: u64, code: impl Into<String>) -> Self {
        Fault::new(FaultKind::StreamError {
            after_events,
            code: code.into(),
            message: injected_message(),
        })
    }

    /// After `after_events` events of a streamed answer, one line of `line_bytes` bytes.
    pub fn stream_long_line(after_events: u64, line_bytes: usize) -> Self {
        Fault::new(FaultKind::StreamLongLine {
            after_events,
            line_bytes,
        })
    }

    /// Waits `delay` between the events of a streamed answer.
    pub fn stream_delay(delay: Duration) -> Self {
        Fault::new(FaultKind::StreamDelay {
            delay_ms: millis(delay),
        })
    }

    /// Repeats a streamed answer's events until it has at least `min_events`.
    pub fn stream_repeat(min_events: u64) -> Self {
        Fault::new(FaultKind::StreamRepeat { min_events })
    }

    /// Refuses faults that cannot be honoured as described.
    pub fn check(&self) -> Result<(), String> {
        match self.kind {
            FaultKind::ServerError { status } if !(500..=599).contains(&status) => {
                Err(format!("server_error status must be 5xx, got {status}"))
            }
            FaultKind::Error { ref code, .. } | FaultKind::StreamError { ref code, .. }
                if code.is_empty() =>
            {
                Err(format!("{} fault needs a code", self.name()))
            }
            FaultKind::StreamLongLine { line_bytes, .. }
                if !(MIN_LONG_LINE_BYTES..=MAX_LONG_LINE_BYTES).contains(&line_bytes) =>
            {
                Err(format!(
                    "stream_long_line line_bytes must be {MIN_LONG_LINE_BYTES} to {MAX_LONG_LINE_BYTES}, got {line_bytes}"
                ))
            }
            _ if self.count == 0 => Err("count must be at least 1".to_owned()),
            _ => Ok(()),
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind.name()
    }
}

impl FaultKind {
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::RequestLimitExceeded => "request_limit_exceeded",
            FaultKind::Error { .. } => "error",
            FaultKind::ServerError { .. } => "server_error",
            FaultKind::Delay { .. } => "delay",
            FaultKind::DelayBefore { .. } => "delay_before",
            FaultKind::DropConnection => "drop_connection",
            FaultKind::TruncatedBody => "truncated_body",
            FaultKind::StreamDrop { .. } => "stream_drop",
            FaultKind::StreamError { .. } => "stream_error",
            FaultKind::StreamLongLine { .. } => "stream_long_line",
            FaultKind::StreamDelay { .. } => "stream_delay",
            FaultKind::StreamRepeat { .. } => "stream_repeat",
        }
    }

    /// `None` for the faults of every answer; the class of a stream fault.
    fn stream_class(&self) -> Option<StreamClass> {
        match self {
            FaultKind::StreamDrop { .. } | FaultKind::StreamError { .. } => {
                Some(StreamClass::Ending)
            }
            FaultKind::StreamLongLine { .. } => Some(StreamClass::LongLine),
            FaultKind::StreamDelay { .. } => Some(StreamClass::Delay),
            FaultKind::StreamRepeat { .. } => Some(StreamClass::Repeat),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct Faults {
    pending: Mutex<Vec<Fault>>,
}

impl Faults {
    pub fn add(&self, fault: Fault) -> Result<(), String> {
        fault.check()?;
        self.lock().push(fault);
        Ok(())
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn pending(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    /// Consumes one use of the first fault matching `action`, stream faults aside.
    pub fn take(&self, action: &str) -> Option<FaultKind> {
        self.take_where(action, |kind| kind.stream_class().is_none())
    }

    /// For a streamed answer of `action`: consumes one use of the first matching stream
    /// fault of each class, in the order they were added.
    pub fn take_stream(&self, action: &str) -> Vec<FaultKind> {
        [
            StreamClass::Ending,
            StreamClass::LongLine,
            StreamClass::Delay,
            StreamClass::Repeat,
        ]
        .into_iter()
        .filter_map(|class| self.take_where(action, |kind| kind.stream_class() == Some(class)))
        .collect()
    }

    fn take_where(&self, action: &str, wanted: impl Fn(&FaultKind) -> bool) -> Option<FaultKind> {
        let mut pending = self.lock();
        let index = pending
            .iter()
            .position(|f| f.action.as_deref().is_none_or(|a| a == action) && wanted(&f.kind))?;
        let fault = &mut pending[index];
        let kind = fault.kind.clone();
        fault.count -= 1;
        if fault.count == 0 {
            pending.remove(index);
        }
        Some(kind)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        // A panic elsewhere cannot leave a Vec<Fault> inconsistent; keep serving.
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_per_action() {
        let faults = Faults::default();
        faults
            .add(
                Fault::new(FaultKind::DropConnection)
                    .times(2)
                    .for_action("A"),
            )
            .unwrap();
        faults
            .add(Fault::new(FaultKind::RequestLimitExceeded))
            .unwrap();
        assert_eq!(faults.take("B"), Some(FaultKind::RequestLimitExceeded));
        assert_eq!(faults.take("B"), None);
        assert_eq!(faults.take("A"), Some(FaultKind::DropConnection));
        assert_eq!(faults.take("A"), Some(FaultKind::DropConnection));
        assert_eq!(faults.take("A"), None);
    }

    #[test]
    fn stream_faults_wait_for_a_stream_and_combine_one_per_class() {
        let faults = Faults::default();
        let delay = Fault::stream_delay(Duration::from_millis(20));
        for fault in [
            Fault::stream_drop(1),
            Fault::stream_error(2, "InternalError"),
            delay.clone().times(2),
            Fault::new(FaultKind::DropConnection),
            Fault::stream_repeat(50).for_action("Other"),
        ] {
            faults.add(fault).unwrap();
        }
        assert_eq!(faults.take("Chat"), Some(FaultKind::DropConnection));
        assert_eq!(faults.take("Chat"), None, "stream faults wait for a stream");
        assert_eq!(
            faults.take_stream("Chat"),
            [
                FaultKind::StreamDrop { after_events: 1 },
                delay.kind.clone()
            ]
        );
        assert_eq!(
            faults.take_stream("Chat"),
            [Fault::stream_error(2, "InternalError").kind, delay.kind]
        );
        assert_eq!(faults.take_stream("Chat"), []);
        assert_eq!(
            faults.take_stream("Other"),
            [FaultKind::StreamRepeat { min_events: 50 }]
        );
    }

    #[test]
    fn stream_faults_are_checked() {
        assert!(Fault::stream_error(0, "").check().is_err());
        assert!(Fault::stream_long_line(0, 5).check().is_err());
        assert!(
            Fault::stream_long_line(0, MAX_LONG_LINE_BYTES + 1)
                .check()
                .is_err()
        );
        assert!(Fault::stream_long_line(3, 70_000).check().is_ok());
        let parsed: Fault = serde_json::from_str(
            r#"{"kind": "stream_error", "code": "InternalError", "action": "ChatCompletions"}"#,
        )
        .unwrap();
        assert_eq!(
            parsed,
            Fault::stream_error(0, "InternalError").for_action("ChatCompletions")
        );
        assert_eq!(parsed.name(), "stream_error");
    }

    #[test]
    fn parses_the_admin_json() {
        let fault: Fault = serde_json::from_str(r#"{"kind": "server_error", "count": 3}"#).unwrap();
        assert_eq!(
            fault,
            Fault::new(FaultKind::ServerError { status: 503 }).times(3)
        );
        let bad: Fault =
            serde_json::from_str(r#"{"kind": "server_error", "status": 404}"#).unwrap();
        assert!(bad.check().is_err());
        let before: Fault =
            serde_json::from_str(r#"{"kind": "delay_before", "delay_ms": 5}"#).unwrap();
        assert_eq!(before, Fault::delay_before(Duration::from_millis(5)));
        assert_eq!(before.name(), "delay_before");
    }
}
