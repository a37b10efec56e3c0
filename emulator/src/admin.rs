//! Admin routes under `/_emulator/`, for tests and tools in other languages. JSON in and
//! out, snake_case, no authentication (the emulator listens on loopback only):
//!
//! | route                          | body / answer                                          |
//! |--------------------------------|--------------------------------------------------------|
//! | `GET /_emulator/requests`      | the request log, oldest first                          |
//! | `DELETE /_emulator/requests`   | clears it                                              |
//! | `GET /_emulator/faults`        | faults still pending                                   |
//! | `POST /_emulator/faults`       | a fault or a list: `{"kind": "server_error", "status": 503, "count": 2, "action": "ReleasePublicIp"}` |
//! | `DELETE /_emulator/faults`     | clears them                                            |
//! | `POST /_emulator/bindings`     | `{"ip": "198.51.100.2", "server_id": "epm-1"}`          |
//! | `DELETE /_emulator/bindings`   | `{"ip": "198.51.100.2"}`                               |
//! | `POST /_emulator/addresses`    | `{"network_instance_id": "epn-…", "ip": "226.10.12.5"}` |
//! | `GET`/`PUT /_emulator/clock`   | `{"offset_secs": -600}`                                |
//!
//! The `stream_*` faults (`stream_drop`, `stream_error`, `stream_long_line`, `stream_delay`,
//! `stream_repeat`; see `faults`) wait for the next streamed answer; a request record's
//! `stream` says how far a streamed answer got.
//!
//! Errors answer 400 `{"error": "..."}`; unknown routes 404. A clock offset beyond ±10 years
//! answers 400 with the range as well: `{"error", "min_offset_secs", "max_offset_secs"}`.

use http::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::clock::ClockOffsetError;
use crate::faults::Fault;
use crate::state::Shared;

pub const PREFIX: &str = "/_emulator/";

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(Fault),
    Many(Vec<Fault>),
}

#[derive(Deserialize)]
struct Binding {
    ip: String,
    #[serde(default)]
    server_id: Option<String>,
}

#[derive(Deserialize)]
struct SeededAddress {
    network_instance_id: String,
    ip: String,
}

#[derive(Deserialize)]
struct ClockOffset {
    offset_secs: i64,
}

pub fn handle(shared: &Shared, method: &Method, path: &str, body: &[u8]) -> (StatusCode, Value) {
    let route = path
        .strip_prefix(PREFIX)
        .unwrap_or_default()
        .trim_end_matches('/');
    let result = match (method, route) {
        (&Method::GET, "requests") => Ok(json!(shared.log.snapshot())),
        (&Method::DELETE, "requests") => {
            shared.log.clear();
            Ok(ok())
        }
        (&Method::GET, "faults") => Ok(json!(shared.faults.pending())),
        (&Method::POST, "faults") => add_faults(shared, body),
        (&Method::DELETE, "faults") => {
            shared.faults.clear();
            Ok(ok())
        }
        (&Method::POST, "bindings") => parse::<Binding>(body).and_then(|binding| {
            let server = binding.server_id.ok_or("server_id is required")?;
            shared
                .edgezone
                .bind(&binding.ip, &server, shared.clock.now())
                .map_err(|e| e.to_string())?;
            Ok(ok())
        }),
        (&Method::DELETE, "bindings") => parse::<Binding>(body).and_then(|binding| {
            shared
                .edgezone
                .unbind(&binding.ip, shared.clock.now())
                .map_err(|e| e.to_string())?;
            Ok(ok())
        }),
        (&Method::POST, "addresses") => parse::<SeededAddress>(body).and_then(|seed| {
            let now = shared.clock.now();
            shared
                .edgezone
                .add_address(&seed.network_instance_id, &seed.ip, now)
                .map_err(|e| e.to_string())?;
            Ok(ok())
        }),
        (&Method::GET, "clock") => Ok(json!({ "offset_secs": shared.clock.offset_secs() })),
        (&Method::PUT, "clock") => return set_clock(shared, body),
        _ => {
            return (
                StatusCode::NOT_FOUND,
                json!({ "error": format!("no admin route {method} {path}") }),
            );
        }
    };
    match result {
        Ok(value) => (StatusCode::OK, value),
        Err(error) => (StatusCode::BAD_REQUEST, json!({ "error": error })),
    }
}

fn set_clock(shared: &Shared, body: &[u8]) -> (StatusCode, Value) {
    let offset = match parse::<ClockOffset>(body) {
        Ok(clock) => clock.offset_secs,
        Err(error) => return (StatusCode::BAD_REQUEST, json!({ "error": error })),
    };
    match shared.clock.set_offset_secs(offset) {
        Ok(()) => (StatusCode::OK, json!({ "offset_secs": offset })),
        Err(error) => (
            StatusCode::BAD_REQUEST,
            json!({
                "error": error.to_string(),
                "min_offset_secs": ClockOffsetError::MIN_OFFSET_SECS,
                "max_offset_secs": ClockOffsetError::MAX_OFFSET_SECS,
            }),
        ),
    }
}

fn add_faults(shared: &Shared, body: &[u8]) -> Result<Value, String> {
    let faults = match parse::<OneOrMany>(body)? {
        OneOrMany::One(fault) => vec![fault],
        OneOrMany::Many(faults) => faults,
    };
    // Check all before adding any, so a bad list changes nothing.
    faults.iter().try_for_each(Fault::check)?;
    for fault in faults {
        shared.faults.add(fault)?;
    }
    Ok(json!(shared.faults.pending()))
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid JSON body: {e}"))
}

fn ok() -> Value {
    json!({ "ok": true })
}
