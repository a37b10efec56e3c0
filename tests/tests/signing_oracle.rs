//! Differential signing: our TC3 signer against the official Python SDK.
//!
//! A seeded RNG generates a few hundred requests (JSON bodies with non-ASCII and escaped
//! text, raw bodies, timestamps at UTC midnight ±1 s, with and without tokens, custom and
//! IP hosts, some with an unsigned payload); `tests/oracles/sign.py` signs them all in one
//! run with `tencentcloud-sdk-python-common`, and every Authorization header must be
//! identical.

mod support;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tencent_cloud::Credentials;
use tencent_cloud::signing::{Payload, SignableRequest, sign};

const CASES: usize = 400;
const SEED: u64 = 0x7c3_5eed;
/// What the SDK sends and signs; the Python SDK uses the same value for JSON bodies.
const CONTENT_TYPE: &str = "application/json";
const SECONDS_PER_DAY: i64 = 86_400;
/// 2100-01-01T00:00:00Z: far enough for any realistic clock.
const LATEST: i64 = 4_102_444_800;

struct Case {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    host: String,
    service: String,
    action: String,
    version: String,
    region: String,
    timestamp: i64,
    body: String,
    /// Signed as `UNSIGNED-PAYLOAD` (the official SDKs' `unsignedPayload` option).
    unsigned_payload: bool,
}

impl Case {
    fn oracle_line(&self) -> String {
        json!({
            "secret_id": self.secret_id,
            "secret_key": self.secret_key,
            "token": self.token,
            "host": self.host,
            "service": self.service,
            "action": self.action,
            "version": self.version,
            "region": self.region,
            "timestamp": self.timestamp,
            "body": self.body,
            "unsigned_payload": self.unsigned_payload,
        })
        .to_string()
    }

    fn our_authorization(&self) -> String {
        let mut credentials = Credentials::new(&self.secret_id, &self.secret_key);
        if let Some(token) = &self.token {
            credentials = credentials.with_token(token);
        }
        let request = SignableRequest {
            host: &self.host,
            content_type: CONTENT_TYPE,
            payload: if self.unsigned_payload {
                Payload::Unsigned
            } else {
                Payload::Bytes(self.body.as_bytes())
            },
        };
        sign(&request, &credentials, self.timestamp, &self.service)
            .expect("generated timestamps are in range")
            .authorization()
            .to_owned()
    }
}

/// Text that stresses JSON escaping and UTF-8: CJK, emoji, combining marks, quotes,
/// backslashes, control characters and literal `\u` escape sequences.
fn text(rng: &mut StdRng) -> String {
    const PIECES: &[&str] = &[
        "instance-name",
        "未命名",
        "新加坡",
        "🚀",
        "é",
        "e\u{301}",
        "\"",
        "\\",
        "\\u672a\\u547d\\u540d",
        "\n",
        "\t",
        "\u{0}",
        "\u{7f}",
        "\u{2028}",
        " ",
        "226.10.12.3",
        "epn-dfghjkl",
        "ä½ å¥½",
    ];
    let mut out = String::new();
    for _ in 0..rng.random_range(0..8) {
        if rng.random_bool(0.7) {
            out.push_str(PIECES.choose(rng).expect("non-empty"));
        } else {
            out.push(rng.random::<char>());
        }
    }
    out
}

fn value(rng: &mut StdRng, depth: u32) -> Value {
    let kinds = if depth >= 3 { 4 } else { 6 };
    match rng.random_range(0..kinds) {
        0 => Value::String(text(rng)),
        1 => json!(rng.random::<i64>()),
        2 => json!(rng.random::<u64>()),
        3 => json!(rng.random_bool(0.5)),
        4 => Value::Array(
            (0..rng.random_range(0..4))
                .map(|_| value(rng, depth + 1))
                .collect(),
        ),
        _ => object(rng, depth + 1),
    }
}

fn object(rng: &mut StdRng, depth: u32) -> Value {
    let mut map = serde_json::Map::new();
    for _ in 0..rng.random_range(0..5) {
        map.insert(text(rng), value(rng, depth));
    }
    Value::Object(map)
}

fn body(rng: &mut StdRng) -> String {
    match rng.random_range(0..10) {
        // What the SDK sends: serde_json's compact output.
        0..=5 => object(rng, 0).to_string(),
        // The official doc's style: spaces and literal \u escapes.
        6 => format!(
            r#"{{"Limit": {}, "Filters": [{{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}}]}}"#,
            rng.random_range(0..100)
        ),
        7 => serde_json::to_string_pretty(&object(rng, 0)).expect("a Value serialises"),
        8 => "{}".to_owned(),
        _ => String::new(),
    }
}

fn timestamp(rng: &mut StdRng) -> i64 {
    if rng.random_bool(0.5) {
        // Each side of a UTC midnight, where the scope's date changes.
        let midnight = rng.random_range(1..LATEST / SECONDS_PER_DAY) * SECONDS_PER_DAY;
        midnight + rng.random_range(-1..=1)
    } else {
        rng.random_range(0..LATEST)
    }
}

fn ascii_token(rng: &mut StdRng, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| char::from(*alphabet.choose(rng).expect("non-empty")))
        .collect()
}

fn case(rng: &mut StdRng) -> Case {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const SERVICES: &[&str] = &["cvm", "edgezone", "sts", "cbs", "vpc", "tke"];
    let service = (*SERVICES.choose(rng).expect("non-empty")).to_owned();
    let host = match rng.random_range(0..5) {
        0 => format!("{service}.intl.tencentcloudapi.com"),
        1 => format!("{service}.tencentcloudapi.com"),
        2 => format!("127.0.0.1:{}", rng.random_range(1024..65535)),
        3 => "[::1]:9000".to_owned(),
        _ => "localhost".to_owned(),
    };
    let mut secret_key = ascii_token(rng, ALNUM, 32);
    if rng.random_bool(0.1) {
        // The key is hashed as UTF-8; make sure non-ASCII keys agree too.
        secret_key.push_str("密钥*");
    }
    let token_len = rng.random_range(1..200);
    Case {
        secret_id: format!("AKID{}", ascii_token(rng, ALNUM, 32)),
        secret_key,
        token: rng
            .random_bool(0.5)
            .then(|| ascii_token(rng, ALNUM, token_len)),
        host,
        service,
        action: "ReleasePublicIp".to_owned(),
        version: "2026-04-01".to_owned(),
        region: "ap-singapore".to_owned(),
        timestamp: timestamp(rng),
        body: body(rng),
        unsigned_payload: rng.random_bool(0.2),
    }
}

/// Runs the oracle once over every case; returns one Authorization value per case.
fn oracle(cases: &[Case]) -> Vec<String> {
    support::python::oracle_lines("sign.py", cases.iter().map(Case::oracle_line))
}

#[test]
fn authorization_matches_the_official_python_sdk() {
    let mut rng = StdRng::seed_from_u64(SEED);
    let cases: Vec<Case> = (0..CASES).map(|_| case(&mut rng)).collect();
    assert!(
        cases
            .iter()
            .any(|c| c.timestamp % SECONDS_PER_DAY == SECONDS_PER_DAY - 1)
    );
    assert!(cases.iter().any(|c| c.timestamp % SECONDS_PER_DAY == 0));
    assert!(cases.iter().any(|c| c.token.is_some()) && cases.iter().any(|c| c.token.is_none()));
    assert!(cases.iter().any(|c| !c.body.is_ascii()));

    let expected = oracle(&cases);
    assert_eq!(
        expected.len(),
        cases.len(),
        "one line per case from the oracle"
    );
    let mismatches: Vec<String> = cases
        .iter()
        .zip(&expected)
        .enumerate()
        .filter(|(_, (case, expected))| case.our_authorization() != **expected)
        .map(|(i, (case, expected))| {
            format!(
                "case {i}: {}\n  ours:   {}\n  oracle: {expected}",
                case.oracle_line(),
                case.our_authorization()
            )
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} Authorization headers differ from the official SDK:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}
