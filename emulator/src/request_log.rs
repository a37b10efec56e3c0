//! What the emulator answered, request by request, for tests to assert on (retries,
//! backoff timing, which code a client saw).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};

/// Oldest records are dropped beyond this, so a long-running binary stays small.
const CAPACITY: usize = 10_000;

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
}

fn unix_millis<S: Serializer>(time: &SystemTime, serializer: S) -> Result<S::Ok, S::Error> {
    let millis = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    serializer.serialize_u128(millis)
}

#[derive(Debug, Default)]
pub struct RequestLog {
    records: Mutex<VecDeque<RequestRecord>>,
}

impl RequestLog {
    pub fn push(&self, record: RequestRecord) {
        let mut records = self.lock();
        if records.len() == CAPACITY {
            records.pop_front();
        }
        records.push_back(record);
    }

    pub fn snapshot(&self) -> Vec<RequestRecord> {
        self.lock().iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<RequestRecord>> {
        self.records
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
