//! Raw-body requests on the wire against the official Python SDK's `call_octet_stream`.
//!
//! The generated cls client sends `UploadLog` to a loopback server that records the
//! request as it arrived: seeded random bodies (any bytes, empty too), with and without a
//! token, `CompressType` and an unsigned payload, secret keys with non-ASCII. For each,
//! `tests/oracles/octet_stream.py` makes `call_octet_stream` build the same request (same
//! credentials, host, region, member headers and body, and the timestamp our request
//! carried), and the Authorization, Content-Type, token, payload-hash and body on the wire
//! must be what it sends.
//!
//! The other way round, `tests/oracles/octet_stream_conformance.py` sends UploadLog to the
//! emulator through `call_octet_stream`, which must accept it as it accepts ours and refuse
//! a missing or unknown member header as the API does.

mod support;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tencent_cloud::cls::v20201016 as cls;
use tencent_cloud::{Config, Credentials};
use tencent_cloud_emulator::Emulator;

const CASES: usize = 40;
const SEED: u64 = 0x0c7e_7570;
const REGION: &str = "ap-singapore";

/// What the loopback server received.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

async fn record(
    State(seen): State<Arc<Mutex<Vec<Received>>>>,
    headers: HeaderMap,
    body: Bytes,
) -> &'static str {
    seen.lock().unwrap().push(Received { headers, body });
    r#"{"Response": {"RequestId": "loopback"}}"#
}

struct Case {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    topic_id: String,
    compress_type: Option<&'static str>,
    body: Vec<u8>,
    unsigned_payload: bool,
}

fn case(rng: &mut StdRng) -> Case {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let ascii = |rng: &mut StdRng, len: usize| -> String {
        (0..len)
            .map(|_| char::from(*ALNUM.choose(rng).expect("non-empty")))
            .collect()
    };
    let mut secret_key = ascii(rng, 32);
    if rng.random_bool(0.2) {
        secret_key.push_str("密钥");
    }
    let length = match rng.random_range(0..4) {
        0 => 0,
        1 => rng.random_range(1..16),
        _ => rng.random_range(16..4096),
    };
    Case {
        secret_id: format!("AKID{}", ascii(rng, 32)),
        secret_key,
        token: rng.random_bool(0.5).then(|| ascii(rng, 64)),
        topic_id: format!("{}-{}", ascii(rng, 8), ascii(rng, 4)),
        compress_type: [None, Some("lz4"), Some("zstd")]
            .choose(rng)
            .copied()
            .expect("non-empty"),
        body: (0..length).map(|_| rng.random()).collect(),
        unsigned_payload: rng.random_bool(0.25),
    }
}

/// Sends the case through the generated client to `url`; the call itself must succeed.
async fn send(case: &Case, url: &str) {
    let mut credentials = Credentials::new(&case.secret_id, &case.secret_key);
    if let Some(token) = &case.token {
        credentials = credentials.with_token(token);
    }
    let config = Config::builder()
        .endpoint_url(url)
        .region(REGION)
        .credentials(credentials)
        .unsigned_payload(case.unsigned_payload)
        .build()
        .expect("config");
    let mut builder = cls::Client::new(&config)
        .upload_log()
        .topic_id(&case.topic_id)
        .body(case.body.clone());
    if let Some(compress_type) = case.compress_type {
        builder = builder.compress_type(compress_type);
    }
    builder.send().await.expect("the loopback server answers");
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII"))
}

/// The input of the oracle for the request we sent: everything but what it computes.
fn oracle_line(case: &Case, received: &Received) -> String {
    let members: serde_json::Map<String, Value> = (received.headers.iter())
        .filter(|(name, _)| name.as_str().starts_with("x-cls-"))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                Value::from(value.to_str().expect("ASCII")),
            )
        })
        .collect();
    let timestamp: i64 = text(&received.headers, "x-tc-timestamp")
        .expect("X-TC-Timestamp")
        .parse()
        .expect("a number");
    json!({
        "secret_id": case.secret_id,
        "secret_key": case.secret_key,
        "token": case.token,
        "host": text(&received.headers, "host").expect("Host"),
        "service": "cls",
        "version": "2020-10-16",
        "action": "UploadLog",
        "region": REGION,
        "timestamp": timestamp,
        "headers": members,
        "body_hex": hex::encode(&received.body),
        "unsigned_payload": case.unsigned_payload,
    })
    .to_string()
}

#[tokio::test]
async fn upload_log_on_the_wire_is_what_call_octet_stream_sends() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = Router::new()
        .route("/", post(record))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let mut rng = StdRng::seed_from_u64(SEED);
    let cases: Vec<Case> = (0..CASES).map(|_| case(&mut rng)).collect();
    for case in &cases {
        send(case, &url).await;
    }
    let received = seen.lock().unwrap().clone();
    assert_eq!(received.len(), CASES, "one request per case");
    assert!(cases.iter().any(|c| c.body.is_empty()) && cases.iter().any(|c| c.body.len() > 1000));
    assert!(cases.iter().any(|c| c.unsigned_payload) && cases.iter().any(|c| c.token.is_some()));

    // The members travel as the Go SDK sends them: one X-CLS-<Member> header per set member.
    for (case, received) in cases.iter().zip(&received) {
        assert_eq!(
            text(&received.headers, "x-cls-topicid"),
            Some(&*case.topic_id)
        );
        assert_eq!(
            text(&received.headers, "x-cls-compresstype"),
            case.compress_type
        );
        assert_eq!(&received.body[..], &case.body[..]);
    }

    let lines: Vec<String> = (cases.iter().zip(&received))
        .map(|(case, received)| oracle_line(case, received))
        .collect();
    let expected = oracle(&lines);
    assert_eq!(expected.len(), CASES, "one line per case from the oracle");
    let mut mismatches = Vec::new();
    for (i, (received, expected)) in received.iter().zip(&expected).enumerate() {
        let theirs = &expected["headers"];
        for (ours, name) in [
            ("authorization", "Authorization"),
            ("content-type", "Content-Type"),
            ("x-tc-token", "X-TC-Token"),
            ("x-tc-content-sha256", "X-TC-Content-SHA256"),
            ("x-tc-action", "X-TC-Action"),
            ("x-tc-version", "X-TC-Version"),
            ("x-tc-region", "X-TC-Region"),
        ] {
            let ours = text(&received.headers, ours);
            if ours != theirs[name].as_str() {
                mismatches.push(format!(
                    "case {i}: {name}\n  ours:   {ours:?}\n  oracle: {}\n  input: {}",
                    theirs[name], lines[i]
                ));
            }
        }
        if expected["body_hex"] != hex::encode(&received.body) {
            mismatches.push(format!("case {i}: the body differs"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} differences from call_octet_stream:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_takes_call_octet_stream_as_the_api_does() {
    let emulator = Emulator::start().await.expect("emulator starts");
    support::python::run_scenario("octet_stream_conformance.py", emulator.endpoint_host()).await;

    let records = emulator.requests();
    let seen: Vec<_> = (records.iter())
        .map(|r| (r.action.as_str(), r.code.as_deref(), r.body_length))
        .collect();
    assert_eq!(
        seen,
        [
            ("UploadLog", None, Some(1024)),
            ("UploadLog", None, Some(0)),
            ("UploadLog", Some("MissingParameter"), Some(1024)),
            ("UploadLog", Some("UnknownParameter"), Some(1024)),
        ]
    );
    let mut first = records[0].member_headers.clone();
    first.sort();
    assert_eq!(
        first,
        [
            ("x-cls-compresstype".to_owned(), "lz4".to_owned()),
            (
                "x-cls-topicid".to_owned(),
                "f6c4fa6f-0000-4000-8289-1ff6f77ed975".to_owned()
            ),
        ]
    );
    emulator.shutdown().await;
}

/// Runs the oracle once over every line; returns the request it built for each.
fn oracle(lines: &[String]) -> Vec<Value> {
    support::python::oracle_lines("octet_stream.py", lines.iter().cloned())
        .iter()
        .map(|line| serde_json::from_str(line).expect("the oracle prints JSON"))
        .collect()
}
