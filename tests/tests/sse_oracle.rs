//! Differential event-stream parsing: our SSE parser against the official Python SDK's
//! (`AbstractClient._process_response_sse` over requests' `iter_lines`).
//!
//! A seeded RNG generates a few hundred streams restricted to what both are meant to read
//! the same way: LF line ends, UTF-8, every line with a colon, `retry` values that are
//! numbers, no NUL in an `id`, no BOM, and every event closed by a blank line. Lines and
//! events run past the 512-byte reads of `iter_lines`, values hold colons, spaces,
//! non-ASCII text and characters that `str.splitlines` (not `bytes.splitlines`) would
//! split on. `tests/oracles/sse.py` reads them all in one run, and every stream must give
//! the same events. A second test checks each difference that `runtime/src/sse.rs`
//! documents, on both sides.

mod support;

use std::collections::VecDeque;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tencent_cloud::__fuzz::{EventParser, RawEvent, SseError};

const CASES: usize = 400;
const SEED: u64 = 0x55e_0dd5;
/// Far above any generated line: the limits are not under test here.
const MAX_LINE: usize = 1 << 20;
/// What requests' `iter_lines` reads at a time (its default `chunk_size`).
const PYTHON_READ: usize = 512;

/// Text for field values: no CR or LF, NUL only where `allow_nul`.
fn value(rng: &mut StdRng, allow_nul: bool) -> String {
    const PIECES: &[&str] = &[
        "{\"Choices\":[{\"Delta\":{\"Content\":\"你好\"}}]}",
        "[DONE]",
        ":",
        ": ",
        " ",
        "  ",
        "data: not a field",
        "新加坡",
        "🚀",
        "e\u{301}",
        "\u{85}",
        "\u{2028}",
        "\u{b}",
        "\u{c}",
        "\u{1c}",
        "\t",
        "\u{feff}",
        "x",
    ];
    let mut out = String::new();
    for _ in 0..rng.random_range(0..6) {
        match rng.random_range(0..10) {
            0 => out.push_str(&"y".repeat(rng.random_range(100..700))),
            1 if allow_nul => out.push('\0'),
            _ => out.push_str(PIECES.choose(rng).expect("non-empty")),
        }
    }
    out
}

/// One line with its LF: a field of the four, an unknown one, or a comment.
fn line(rng: &mut StdRng) -> String {
    let separator = *[":", ": ", ":  "].choose(rng).expect("non-empty");
    match rng.random_range(0..12) {
        0..=4 => format!("data{separator}{}\n", value(rng, true)),
        5 => format!("event{separator}{}\n", value(rng, false)),
        6 => format!("id{separator}{}\n", value(rng, false)),
        // Python's int() also takes the spaces of `retry:  5`; we read only digits.
        7 => format!(
            "retry:{}{}\n",
            if rng.random_bool(0.5) { " " } else { "" },
            rng.random_range(0..=u64::from(u32::MAX))
        ),
        8 => {
            const UNKNOWN: &[&str] = &["foo", "Data", "data ", " data", "DATA", "ID", "retryx"];
            let name = UNKNOWN.choose(rng).expect("non-empty");
            format!("{name}{separator}{}\n", value(rng, true))
        }
        _ => format!(":{}\n", value(rng, true)),
    }
}

/// A stream whose every event is closed by a blank line; comments may trail.
fn stream(rng: &mut StdRng) -> String {
    let mut out = String::new();
    for _ in 0..rng.random_range(0..6) {
        for _ in 0..rng.random_range(0..6) {
            out.push_str(&line(rng));
        }
        out.push('\n');
        if rng.random_bool(0.2) {
            out.push('\n');
        }
    }
    if rng.random_bool(0.2) {
        out.push_str(": trailing comment\n");
    }
    out
}

/// The events a stream gave, and how it ended.
type Reading = (Vec<RawEvent>, Result<(), SseError>);

fn ours(stream: &[u8]) -> Reading {
    let mut parser = EventParser::new(MAX_LINE);
    let mut events = VecDeque::new();
    let outcome = parser
        .feed(stream, &mut events)
        .and_then(|()| parser.finish());
    (events.into(), outcome)
}

/// One of Python's event dicts as our event.
fn from_python(event: &Value) -> RawEvent {
    let text = |key: &str| event.get(key).and_then(Value::as_str).map(str::to_owned);
    RawEvent {
        event: text("event"),
        data: text("data").unwrap_or_default(),
        id: text("id"),
        retry: event.get("retry").map(|retry| {
            retry
                .as_u64()
                .unwrap_or_else(|| panic!("a retry of {retry}"))
        }),
    }
}

/// The events Python yielded, without the `{}` it yields for a blank line with nothing pending.
fn python_events(outcome: &Value) -> Vec<RawEvent> {
    outcome["events"]
        .as_array()
        .expect("the oracle prints the events")
        .iter()
        .filter(|event| event.as_object().is_some_and(|fields| !fields.is_empty()))
        .map(from_python)
        .collect()
}

/// Runs the oracle once over every stream; returns its outcome for each.
fn oracle(streams: &[Vec<u8>]) -> Vec<Value> {
    let cases = streams
        .iter()
        .map(|stream| json!({ "hex": hex::encode(stream) }).to_string());
    support::python::oracle_lines("sse.py", cases)
        .iter()
        .map(|line| serde_json::from_str(line).expect("oracle prints JSON"))
        .collect()
}

#[test]
fn events_match_the_official_python_sdk() {
    let mut rng = StdRng::seed_from_u64(SEED);
    let streams: Vec<Vec<u8>> = (0..CASES).map(|_| stream(&mut rng).into_bytes()).collect();
    // The generator reaches what the comparison is about.
    assert!(streams.iter().any(|s| s.len() > 4 * PYTHON_READ));
    assert!(
        streams
            .iter()
            .any(|s| s.split(|&b| b == b'\n').any(|l| l.len() > PYTHON_READ))
    );
    let total_events: usize = streams.iter().map(|s| ours(s).0.len()).sum();
    assert!(
        total_events > CASES,
        "{total_events} events in {CASES} streams"
    );

    let outcomes = oracle(&streams);
    let mismatches: Vec<String> = streams
        .iter()
        .zip(&outcomes)
        .enumerate()
        .filter_map(|(i, (stream, outcome))| {
            let mine = ours(stream);
            let agree = outcome.get("raised").is_none()
                && mine.1.is_ok()
                && mine.0 == python_events(outcome);
            (!agree).then(|| {
                format!(
                    "stream {i}: {:?}\n  ours:   {mine:?}\n  python: {outcome}",
                    String::from_utf8_lossy(stream)
                )
            })
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {CASES} streams read differently from the official SDK:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

fn data(text: &str) -> RawEvent {
    RawEvent {
        data: text.to_owned(),
        ..RawEvent::default()
    }
}

/// Each difference the module doc of `runtime/src/sse.rs` lists: the stream, what Python
/// yields (`{}` kept) or raises, and what we read.
#[test]
fn python_differs_where_the_parser_docs_say() {
    // A comment that puts the CR of `data: a` at the last byte of the first 512-byte read.
    let padding = format!(": {}\n", "p".repeat(PYTHON_READ - 11));
    let split_crlf = format!("{padding}data: a\r\ndata: b\n\n");
    assert_eq!(split_crlf.find('\r'), Some(PYTHON_READ - 1));
    let id = RawEvent {
        id: Some("1".to_owned()),
        ..data("x")
    };
    let cases: Vec<(&[u8], Value, Reading)> = vec![
        (
            split_crlf.as_bytes(),
            json!({"events": [{"data": "a"}, {"data": "b"}]}),
            (vec![data("a\nb")], Ok(())),
        ),
        (
            b"datax\n\ndata\n\n",
            json!({"events": [{"data": "datax"}, {}]}),
            (vec![data("")], Ok(())),
        ),
        (
            b"retry: soon\n\n",
            json!({"raised": "ValueError", "events": []}),
            (vec![], Ok(())),
        ),
        (
            b"retry: -5\n\n",
            json!({"events": [{"retry": -5}]}),
            (vec![], Ok(())),
        ),
        (
            b"\xEF\xBB\xBFdata: x\n\n",
            json!({"events": [{}]}),
            (vec![data("x")], Ok(())),
        ),
        (
            b"data: a\n\ndata: b\n",
            json!({"events": [{"data": "a"}]}),
            (vec![data("a")], Err(SseError::Unterminated)),
        ),
        (
            b"id: 1\nid: a\0b\ndata: x\n\n",
            json!({"events": [{"id": "a\u{0}b", "data": "x"}]}),
            (vec![id], Ok(())),
        ),
    ];
    let streams: Vec<Vec<u8>> = cases.iter().map(|(s, _, _)| s.to_vec()).collect();
    let outcomes = oracle(&streams);
    for ((stream, python, expected), outcome) in cases.iter().zip(&outcomes) {
        let shown = String::from_utf8_lossy(stream);
        assert_eq!(outcome, python, "python on {shown:?}");
        assert_eq!(&ours(stream), expected, "ours on {shown:?}");
    }
}
