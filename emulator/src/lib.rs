//! A local emulator of the Tencent Cloud API 3.0 protocol, driven by the workspace's
//! `schema/` (embedded at build time, each service version parsed on its first request),
//! for tests, examples and trying the SDK without an account.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use tencent_cloud_emulator::{Emulator, credentials};
//! let emulator = Emulator::start().await?;
//! println!("{} accepts {}", emulator.endpoint_url(), credentials::PRIMARY.secret_id);
//! # Ok(()) }
//! ```
//!
//! `emulator` holds the public handle, which starts `server`; `state` holds what every
//! request handler shares. A request goes through `server` (connections) → `handler`
//! (faults, logging, the body) → `pipeline` (the protocol checks in Tencent's order:
//! `auth`, action lookup in `catalog`, rate limit, `form` decoding, `validate`) → a
//! behaviour model (`edgezone`) or the schema's example response. `admin` serves
//! `/_emulator/` routes. Imports run one way only (checked by
//! `tests/tests/module_graph.rs`): `emulator` → `server` → `handler` → `admin`,
//! `pipeline` → `state` → the rest. An action marked `server_sent_events` answers with the
//! events its examples document (`sse`), streamed by `event_stream` with the stream faults.

mod accounts;
mod admin;
mod auth;
mod body;
mod catalog;
mod client_tokens;
mod clock;
mod connection;
mod edgezone;
mod emulator;
mod envelope;
mod event_stream;
mod faults;
mod form;
/// The request path without a socket, for fuzzing (`fuzz/`, `fuzz-targets`); not an API.
#[doc(hidden)]
pub mod fuzz;
mod handler;
mod octet_stream;
mod pipeline;
mod rate_limit;
mod request_log;
mod server;
mod sse;
mod state;
mod sts;
mod validate;

pub use accounts::{Account, TestCredential, credentials};
pub use clock::ClockOffsetError;
pub use edgezone::SeedError;
pub use emulator::{Emulator, EmulatorBuilder, StartError};
pub use faults::{Fault, FaultKind};
pub use request_log::{RequestRecord, StreamRecord, StreamState};
