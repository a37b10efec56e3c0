//! The bodies of the fuzz targets: each is a function of arbitrary bytes that must neither
//! panic nor hang, whatever the bytes. `fuzz/` (cargo-fuzz, nightly) calls them under
//! coverage guidance; `tests/smoke.rs` (stable, in `cargo xtask test`) calls them on
//! mutations of real inputs. [`seeds`] builds both starting corpora from `schema/`.
//!
//! | target | reads | code under test |
//! | --- | --- | --- |
//! | `envelope` | a status selector byte, then a response body | the runtime's envelope check and decode |
//! | `edgezone_responses`, `sts_responses` | a type selector byte, then a body | decoding into each generated response type |
//! | `emulator_request` | a flags byte, then the bytes of one HTTP/1.1 connection | hyper's parser, the emulator's handler and pipeline: signature check, action lookup, parameter decoding and validation, behaviour models |
//! | `schema` | a schema file | the loader (`tencent_cloud_schema::parse`) and codegen's checks (`ir::build`) |
//! | `tccli_import` | a tccli `api.json` | the importer's reader and its conversion to our schema |
//! | `sse` | a byte that picks where to split, then an event stream | the runtime's SSE parser: fed whole and in two chunks, it must read the same |

pub mod seeds;

mod responses;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::OnceLock;

use tencent_cloud::__bench::{RawResponse, decode};
use tencent_cloud::__fuzz::{EventParser, RawEvent, SseError};
use tencent_cloud::__rt::ErrorKind;
use tencent_cloud_codegen::import::{Catalog, Selection, VersionProtocols, convert, tccli};
use tencent_cloud_codegen::ir;
use tencent_cloud_emulator::fuzz::Harness;
use tencent_cloud_schema::LoadedSchema;

pub use responses::{EDGEZONE_ACTIONS, STS_ACTIONS, edgezone_responses, sts_responses};

/// The targets by name, as `cargo xtask fuzz` and the smoke know them.
pub const TARGETS: [&str; 7] = [
    "envelope",
    "edgezone_responses",
    "sts_responses",
    "emulator_request",
    "schema",
    "tccli_import",
    "sse",
];

/// Runs the target `name` on `data`; `false` if there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "envelope" => envelope(data),
        "edgezone_responses" => edgezone_responses(data),
        "sts_responses" => sts_responses(data),
        "emulator_request" => emulator_request(data),
        "schema" => schema(data),
        "tccli_import" => tccli_import(data),
        "sse" => sse(data),
        _ => return false,
    }
    true
}

/// Statuses an answer may come with: success, the API's error statuses, a gateway's
/// pages, a redirect.
const STATUSES: [u16; 8] = [200, 400, 401, 404, 500, 502, 504, 301];

/// A response as the transport hands it over: `data[0]` picks the status.
pub(crate) fn raw_response(data: &[u8]) -> Option<RawResponse> {
    let (&selector, body) = data.split_first()?;
    Some(RawResponse {
        status: STATUSES[usize::from(selector) % STATUSES.len()],
        body: body.to_vec(),
    })
}

/// An error kind that keeps whatever code came.
#[derive(Debug)]
struct AnyCode(#[allow(dead_code, reason = "read through Debug")] String);

impl ErrorKind for AnyCode {
    fn from_code(code: &str) -> Self {
        AnyCode(code.to_owned())
    }
}

/// The envelope alone (the output read as untyped JSON): any answer is an output, a
/// service error or an `InvalidResponse`, and a success always had a `Response` object.
pub fn envelope(data: &[u8]) {
    let Some(raw) = raw_response(data) else {
        return;
    };
    match decode::<serde_json::Value, AnyCode>(&raw) {
        Ok(output) => {
            assert!(output.is_object(), "a decoded `Response` is an object");
            assert!(
                (200..300).contains(&raw.status),
                "success on {}",
                raw.status
            );
        }
        // Display and Debug of every error must hold too.
        Err(error) => drop(format!("{error} {error:?}")),
    }
}

/// One emulator for the whole process: building its catalog takes seconds.
fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(Harness::new)
}

/// One connection's bytes through the emulator (see `tencent_cloud_emulator::fuzz`).
pub fn emulator_request(data: &[u8]) {
    harness().request(data);
}

/// A schema file through the loader and, when it loads, codegen's checks, under the file
/// name its own service and version call for (so that the checks go past the name).
pub fn schema(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(schema) = tencent_cloud_schema::parse("fuzz.json", text) else {
        return;
    };
    let loaded = LoadedSchema {
        file: format!("schema/{}/{}.json", schema.service, schema.version),
        schema,
    };
    if let Err(error) = ir::build(&loaded) {
        drop(error.to_string());
    }
}

/// A tccli `api.json` through the importer's reader and its conversion of every action.
pub fn tccli_import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("api.json");
    let Ok(api) = tccli::parse_api(path, text) else {
        return;
    };
    let catalog = Catalog {
        api_path: path.to_owned(),
        api,
        examples: None,
        service_errors: Vec::new(),
        action_errors: None,
        protocols: VersionProtocols::default(),
    };
    if let Err(error) = convert(&catalog, &Selection::All) {
        drop(error.to_string());
    }
}

/// The line limit of the `sse` target: above the documented examples' longest line (about
/// 400 bytes), low enough for the fuzzer to pass it.
pub const SSE_MAX_LINE: usize = 1024;

/// An event stream, whole and cut in two where `data[0]` says (0: before the first byte,
/// 255: after the last): both readings must give the same events and the same end.
pub fn sse(data: &[u8]) {
    let Some((&selector, stream)) = data.split_first() else {
        return;
    };
    let cut = stream.len() * usize::from(selector) / usize::from(u8::MAX);
    let (head, tail) = stream.split_at(cut);
    let whole = read_events(&[stream]);
    let split = read_events(&[head, tail]);
    assert_eq!(whole, split, "cut at byte {cut}");
    if let Err(error) = &whole.1 {
        drop(error.to_string());
    }
}

/// Feeds `chunks` until an error, then finishes: the events, and how the stream ended.
fn read_events(chunks: &[&[u8]]) -> (Vec<RawEvent>, Result<(), SseError>) {
    let mut parser = EventParser::new(SSE_MAX_LINE);
    let mut events = VecDeque::new();
    for chunk in chunks {
        if let Err(error) = parser.feed(chunk, &mut events) {
            return (events.into(), Err(error));
        }
    }
    (events.into(), parser.finish())
}
