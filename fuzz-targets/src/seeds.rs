//! Starting inputs for every target, built from real ones: the schema's documented
//! examples (responses, and requests turned into signed HTTP/1.1), the schema files
//! themselves, and the importer's tccli fixture. The smoke draws from a few services;
//! `cargo xtask fuzz` writes the corpus of every service into `target/fuzz/corpus/`.

use std::path::{Path, PathBuf};

use tencent_cloud_emulator::fuzz::SIGN;
use tencent_cloud_schema::ServiceSchema;

use crate::responses::{EDGEZONE_ACTIONS, STS_ACTIONS};

/// The services the smoke seeds from: the two the SDK's tests exercise, and small ones.
const SMALL: [&str; 5] = [
    "edgezone/2026-04-01.json",
    "sts/2018-08-13.json",
    "dataintegration/2022-06-13.json",
    "message/2018-12-25.json",
    "tchd/2023-03-06.json",
];

/// Schema files larger than this are left out of the `schema` target's seeds: libFuzzer
/// mutates long inputs slowly, and the small files cover the same format.
const SCHEMA_SEED_MAX_BYTES: u64 = 128 * 1024;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fuzz-targets sits in the repository root")
        .to_owned()
}

/// `(file text, parsed schema)` of the seeding services: `SMALL`, or with `every_service`
/// each file of `schema/`.
fn schemas(every_service: bool) -> Vec<(String, ServiceSchema)> {
    let dir = repo_root().join("schema");
    let files: Vec<PathBuf> = if every_service {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("schema/ is readable")
            .flatten()
            .filter(|entry| entry.path().is_dir())
            .flat_map(|service| {
                std::fs::read_dir(service.path())
                    .expect("readable")
                    .flatten()
            })
            .map(|file| file.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        files
    } else {
        SMALL.iter().map(|file| dir.join(file)).collect()
    };
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("schema file is readable");
            let schema = tencent_cloud_schema::parse(&path.display().to_string(), &text)
                .expect("the committed schema parses");
            (text, schema)
        })
        .collect()
}

/// The seeds of `target`; empty for an unknown target.
pub fn for_target(target: &str, every_service: bool) -> Vec<Vec<u8>> {
    match target {
        "envelope" => envelope(&schemas(every_service)),
        "edgezone_responses" => typed_responses(&schemas(false), "edgezone", &EDGEZONE_ACTIONS),
        "sts_responses" => typed_responses(&schemas(false), "sts", &STS_ACTIONS),
        "emulator_request" => emulator_requests(&schemas(every_service)),
        "schema" => schema_files(&schemas(every_service)),
        "tccli_import" => vec![
            std::fs::read(repo_root().join("codegen/tests/fixtures/import/api.json"))
                .expect("the importer's fixture is readable"),
        ],
        "sse" => event_streams(),
        _ => Vec::new(),
    }
}

fn with_prefix(prefix: &[u8], body: &[u8]) -> Vec<u8> {
    [prefix, body].concat()
}

/// Documented responses (status 200), each service's documented error codes in an error
/// envelope (status 400), and a gateway's page (502).
fn envelope(schemas: &[(String, ServiceSchema)]) -> Vec<Vec<u8>> {
    let mut seeds = vec![with_prefix(
        &[5],
        b"<html><body>502 Bad Gateway</body></html>",
    )];
    for (_, schema) in schemas {
        for action in &schema.actions {
            for example in &action.examples {
                seeds.push(with_prefix(&[0], example.response.as_bytes()));
            }
        }
        for error in schema.errors.iter().take(3) {
            let body = serde_json::json!({"Response": {
                "Error": {"Code": error.code, "Message": error.description},
                "RequestId": "fuzz-seed"
            }});
            seeds.push(with_prefix(&[1], body.to_string().as_bytes()));
        }
    }
    seeds
}

/// Each documented response of `service`, behind the selector of its action.
fn typed_responses(
    schemas: &[(String, ServiceSchema)],
    service: &str,
    actions: &[&str],
) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for (_, schema) in schemas.iter().filter(|(_, s)| s.service == service) {
        for action in &schema.actions {
            let Some(index) = actions.iter().position(|name| *name == action.name) else {
                continue;
            };
            let selector = u8::try_from(index).expect("fewer than 256 actions");
            for example in &action.examples {
                seeds.push(with_prefix(&[selector, 0], example.response.as_bytes()));
            }
        }
    }
    seeds
}

/// Each documented request as the HTTP/1.1 a client sends: the example's head without
/// its `<Common request parameters>` placeholder, plus version and region, to be signed
/// by the harness; the first of each service also unsigned.
fn emulator_requests(schemas: &[(String, ServiceSchema)]) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for (_, schema) in schemas {
        for (index, action) in schema.actions.iter().enumerate() {
            for example in &action.examples {
                let Some(raw) = http_request(schema, &example.request) else {
                    continue;
                };
                if index == 0 {
                    seeds.push(with_prefix(&[0], &raw));
                }
                seeds.push(with_prefix(&[SIGN], &raw));
            }
        }
    }
    seeds
}

fn http_request(schema: &ServiceSchema, example: &str) -> Option<Vec<u8>> {
    let (head, body) = example.split_once("\n\n")?;
    let mut lines: Vec<String> = head
        .lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty() && !line.starts_with('<'))
        .map(str::to_owned)
        .collect();
    lines.push(format!("X-TC-Version: {}", schema.version));
    lines.push("X-TC-Region: ap-singapore".to_owned());
    let head = lines.join("\r\n");
    Some(format!("{head}\r\nContent-Length: {}\r\n\r\n{body}", body.len()).into_bytes())
}

fn schema_files(schemas: &[(String, ServiceSchema)]) -> Vec<Vec<u8>> {
    schemas
        .iter()
        .filter(|(text, _)| text.len() as u64 <= SCHEMA_SEED_MAX_BYTES)
        .map(|(text, _)| text.clone().into_bytes())
        .collect()
}

/// The documented answers of the streaming actions (the services `xtask/pinned/protocol-actions.json`
/// names; their JSON answers too, which a server may send instead), each cut in the middle;
/// then one of them with CRLF and with CR line ends, and a stream of every field and rule.
fn event_streams() -> Vec<Vec<u8>> {
    let marks = std::fs::read_to_string(repo_root().join("xtask/pinned/protocol-actions.json"))
        .expect("the pinned protocol marks are readable");
    let marks: serde_json::Value =
        serde_json::from_str(&marks).expect("the pinned protocol marks are JSON");
    let services = marks["server_sent_events"]["actions"]
        .as_object()
        .expect("a map of services");
    let mut streams = Vec::new();
    for (service, versions) in services {
        for version in versions.as_object().expect("a map of versions").keys() {
            let path = repo_root().join(format!("schema/{service}/{version}.json"));
            let text = std::fs::read_to_string(&path).expect("schema file is readable");
            let schema = tencent_cloud_schema::parse(&path.display().to_string(), &text)
                .expect("the committed schema parses");
            for action in schema.actions.iter().filter(|a| a.server_sent_events) {
                streams.extend(action.examples.iter().map(|e| e.response.clone()));
            }
        }
    }
    let documented = streams
        .iter()
        .find(|stream| stream.starts_with("data:"))
        .expect("a documented event stream")
        .clone();
    streams.push(documented.replace('\n', "\r\n"));
    streams.push(documented.replace('\n', "\r"));
    streams.push(
        "\u{feff}: comment\nretry: 3000\nid: 7\nevent: delta\ndata: {\"a\": 1}\ndata\n\n: keep-alive\r\n\r\n"
            .to_owned(),
    );
    streams
        .iter()
        .map(|stream| with_prefix(&[128], stream.as_bytes()))
        .collect()
}
