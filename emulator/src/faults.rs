//! Injected failures for testing clients: "the next N requests (optionally only those of
//! one action) fail this way". Faults are consumed in the order they were added; the first
//! one that matches a request takes it.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a faulted request fails. JSON form (admin route): `{"kind": "server_error",
/// "status": 503}`, `{"kind": "delay", "delay_ms": 1500}`, `{"kind": "delay_before",
/// "delay_ms": 1500}`, `{"kind": "drop_connection"}`, `{"kind": "error", "code":
/// "InternalError"}`, ...
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

    /// Refuses faults that cannot be honoured as described.
    pub fn check(&self) -> Result<(), String> {
        match self.kind {
            FaultKind::ServerError { status } if !(500..=599).contains(&status) => {
                Err(format!("server_error status must be 5xx, got {status}"))
            }
            FaultKind::Error { ref code, .. } if code.is_empty() => {
                Err("error fault needs a code".to_owned())
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

    /// Consumes one use of the first fault matching `action`.
    pub fn take(&self, action: &str) -> Option<FaultKind> {
        let mut pending = self.lock();
        let index = pending
            .iter()
            .position(|f| f.action.as_deref().is_none_or(|a| a == action))?;
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
