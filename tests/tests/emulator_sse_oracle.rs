//! The official Python SDK reading the emulator's streamed answers (issue 12, item 1): its
//! `CommonClient.call_sse` must yield, for the emulator's `text/event-stream` answers, the
//! events the schema's examples define, as it would for the real API's; `call_json` must
//! read the JSON answer of the same action with Stream false; and a stream cut by the
//! `stream_drop` fault must fail in the SDK after the events sent, not end quietly. The
//! scenario is `tests/oracles/sse_streams.py`.
//!
//! The expected events are parsed from `schema/lkeap/2024-05-22.json` here, following the
//! SSE format (fields `data`, `id`, `event`, `retry`; several data lines joined with
//! newlines; comments dropped; a blank line ends an event), independently of the emulator.

mod support;

use serde_json::{Map, Value, json};
use tencent_cloud_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_python_sdk_reads_the_emulators_streams() {
    let emulator = Emulator::start().await.expect("emulator starts");
    let stdout = support::python::run_scenario("sse_streams.py", emulator.endpoint_host()).await;
    let read: Value = serde_json::from_str(&stdout).expect("the script prints JSON");
    let lkeap = lkeap_actions();

    // A transcript example: every field as written.
    let chat = transcript_events(&lkeap["ChatCompletions"]);
    assert!(chat.len() > 1, "{chat:?}");
    assert_eq!(read["chat"], Value::Array(chat.clone()));

    // JSON examples: one event each, its data the example's object.
    let reconstruct = json_example_objects(&lkeap["ReconstructDocumentSSE"]);
    assert!(!reconstruct.is_empty());
    let yielded: Vec<Value> = read["reconstruct"]
        .as_array()
        .expect("a list of events")
        .iter()
        .map(|event| {
            let fields = event.as_object().expect("an event is a dict");
            assert_eq!(fields.len(), 1, "data only: {event}");
            serde_json::from_str(fields["data"].as_str().expect("data")).expect("JSON data")
        })
        .collect();
    assert_eq!(yielded, reconstruct);

    // Stream false: the JSON envelope, which call_json reads.
    let envelope = &read["json"]["Response"];
    assert!(envelope["RequestId"].is_string(), "{}", read["json"]);
    assert!(envelope.get("Error").is_none(), "{}", read["json"]);

    // A cut stream: the events before the cut, then an error in the SDK.
    let cut = &read["cut"];
    let after = cut["after"].as_u64().expect("after") as usize;
    assert_eq!(cut["events"], Value::Array(chat[..after].to_vec()));
    assert!(cut["error"].is_string(), "the SDK saw no error: {cut}");

    let streams: Vec<_> = emulator
        .requests()
        .into_iter()
        .filter_map(|record| record.stream)
        .collect();
    assert_eq!(streams.len(), 3, "{streams:?}");
    emulator.shutdown().await;
}

/// lkeap 2024-05-22's actions by name.
fn lkeap_actions() -> Map<String, Value> {
    let path = support::python::workspace_root().join("schema/lkeap/2024-05-22.json");
    let text = std::fs::read_to_string(&path).expect("the lkeap schema");
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    schema["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|action| {
            (
                action["name"].as_str().unwrap_or_default().to_owned(),
                action.clone(),
            )
        })
        .collect()
}

fn example_responses(action: &Value) -> Vec<&str> {
    action["examples"]
        .as_array()
        .map(|examples| {
            examples
                .iter()
                .filter_map(|e| e["response"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// The events of the first example that is an SSE transcript, as the Python SDK's dicts:
/// one per block of lines ended by a blank line. A block with no known field is an empty
/// event: the lkeap transcript has two lines `{data: …}` (a documentation slip), which
/// the emulator replays as written and the SDK reads as events without fields.
fn transcript_events(action: &Value) -> Vec<Value> {
    let transcript = example_responses(action)
        .into_iter()
        .find(|text| {
            text.lines()
                .find(|line| !line.trim().is_empty())
                .is_some_and(|line| {
                    ["data:", "id:", "event:", ":"]
                        .iter()
                        .any(|start| line.starts_with(start))
                })
        })
        .expect("a transcript example");
    let mut events = Vec::new();
    let mut event = Map::new();
    let mut in_event = false;
    for line in transcript
        .split('\n')
        .map(|line| line.trim_end_matches('\r'))
    {
        if line.trim().is_empty() {
            if std::mem::take(&mut in_event) {
                events.push(Value::Object(std::mem::take(&mut event)));
            }
            continue;
        }
        in_event = true;
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "data" => {
                let data = match event.get("data").and_then(Value::as_str) {
                    Some(earlier) => format!("{earlier}\n{value}"),
                    None => value.to_owned(),
                };
                event.insert("data".into(), json!(data));
            }
            "id" | "event" => {
                event.insert(field.into(), json!(value));
            }
            "retry" => {
                event.insert(field.into(), json!(value.parse::<u64>().expect("a number")));
            }
            _ => {}
        }
    }
    if in_event {
        events.push(Value::Object(event));
    }
    events
}

/// The examples that are JSON objects, a `Response` envelope unwrapped.
fn json_example_objects(action: &Value) -> Vec<Value> {
    example_responses(action)
        .into_iter()
        .filter_map(|text| match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(mut object)) => {
                Some(object.remove("Response").unwrap_or(Value::Object(object)))
            }
            _ => None,
        })
        .collect()
}
