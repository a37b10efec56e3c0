//! Streamed answers (issue 12, item 1): the actions the schema marks `server_sent_events`
//! answer `text/event-stream` with the events their examples document, unless a `Stream`
//! member says otherwise; errors found first stay JSON envelopes; the `stream_*` faults
//! shape the stream; the request log says how far a stream got and whether its client
//! went away.
//!
//! The expected events are read from `schema/` by this file's own small parser, not by the
//! emulator's.

mod common;

use std::time::{Duration, Instant};

use common::{Call, RawResponse, emulator, send_raw};
use serde_json::{Value, json};
use tencent_cloud_emulator::{Emulator, Fault, RequestRecord, StreamRecord, StreamState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Every action the schema marks, with parameters its request shape accepts.
fn marked_actions() -> Vec<Sse> {
    let chat = json!([{"Role": "user", "Content": "Hello"}]);
    vec![
        Sse::new("cls", "2020-10-16", "ChatCompletions")
            .params(json!({"Model": "text2sql", "Messages": chat, "Stream": true})),
        Sse::new("es", "2025-01-01", "ParseDocument")
            .params(json!({"Document": {"FileType": "PDF"}, "ModelName": "doc-llm"})),
        Sse::new("hunyuan", "2023-09-01", "ChatTranslations")
            .params(json!({"Model": "hunyuan-translation", "Stream": true, "Text": "Hi"})),
        lkeap_chat(),
        reconstruct(),
        Sse::new("trtc", "2019-07-22", "TextToSpeechSSE").params(
            json!({"Text": "Hi", "Voice": {"VoiceId": "v-1"}, "SdkAppId": 1_400_000_000u64}),
        ),
    ]
}

/// A transcript example: events replayed field by field.
fn lkeap_chat() -> Sse {
    Sse::new("lkeap", "2024-05-22", "ChatCompletions").params(json!({
        "Model": "deepseek-r1",
        "Messages": [{"Role": "user", "Content": "Hello"}],
        "Stream": true,
    }))
}

/// JSON-object examples: one event each.
fn reconstruct() -> Sse {
    Sse::new("lkeap", "2024-05-22", "ReconstructDocumentSSE").params(json!({"FileType": "PDF"}))
}

#[derive(Clone)]
struct Sse {
    service: &'static str,
    version: &'static str,
    action: &'static str,
    params: Value,
}

impl Sse {
    fn new(service: &'static str, version: &'static str, action: &'static str) -> Sse {
        Sse {
            service,
            version,
            action,
            params: json!({}),
        }
    }

    fn params(mut self, params: Value) -> Sse {
        self.params = params;
        self
    }

    fn call(&self, emulator: &Emulator) -> Call {
        Call::new(emulator, self.action, self.params.clone()).with(|call| {
            call.service = self.service.to_owned();
            call.version = self.version.to_owned();
        })
    }

    async fn send(&self, emulator: &Emulator) -> RawResponse {
        self.call(emulator).send().await
    }

    fn schema_action(&self) -> Value {
        let path = format!(
            "{}/../schema/{}/{}.json",
            env!("CARGO_MANIFEST_DIR"),
            self.service,
            self.version
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let schema: Value = serde_json::from_str(&text).expect("schema JSON");
        schema["actions"]
            .as_array()
            .expect("actions")
            .iter()
            .find(|action| action["name"] == self.action)
            .cloned()
            .unwrap_or_else(|| panic!("{} is in {path}", self.action))
    }

    /// The events the examples define: the first transcript's blocks of lines, else one
    /// `data: <JSON>` per JSON-object example (a `Response` envelope unwrapped).
    fn expected(&self) -> Expected {
        let action = self.schema_action();
        let responses: Vec<String> = action["examples"]
            .as_array()
            .map(|examples| {
                examples
                    .iter()
                    .filter_map(|e| e["response"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let transcript = responses.iter().find(|text| {
            text.lines()
                .find(|line| !line.trim().is_empty())
                .is_some_and(|line| {
                    ["data:", "id:", "event:", ":"]
                        .iter()
                        .any(|start| line.starts_with(start))
                })
        });
        if let Some(transcript) = transcript {
            return Expected::Lines(blocks(transcript));
        }
        let objects = responses
            .iter()
            .filter_map(|text| match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(mut object)) => Some(match object.remove("Response") {
                    Some(response) => response,
                    None => Value::Object(object),
                }),
                _ => None,
            })
            .collect();
        Expected::Json(objects)
    }
}

#[derive(Debug, PartialEq)]
enum Expected {
    Lines(Vec<Vec<String>>),
    Json(Vec<Value>),
}

impl Expected {
    fn len(&self) -> usize {
        match self {
            Expected::Lines(events) => events.len(),
            Expected::Json(events) => events.len(),
        }
    }

    /// What `events` (as received) hold, in the same form.
    fn same_form(&self, events: &[Vec<String>]) -> Expected {
        match self {
            Expected::Lines(_) => Expected::Lines(events.to_vec()),
            Expected::Json(_) => {
                Expected::Json(events.iter().map(|event| data_json(event)).collect())
            }
        }
    }

    fn first(&self, n: usize) -> Expected {
        match self {
            Expected::Lines(events) => Expected::Lines(events[..n].to_vec()),
            Expected::Json(events) => Expected::Json(events[..n].to_vec()),
        }
    }
}

/// Lines grouped into events at blank lines.
fn blocks(text: &str) -> Vec<Vec<String>> {
    let mut events = vec![Vec::new()];
    for line in text.split('\n').map(|line| line.trim_end_matches('\r')) {
        if line.trim().is_empty() {
            events.push(Vec::new());
        } else if let Some(event) = events.last_mut() {
            event.push(line.to_owned());
        }
    }
    events.retain(|event| !event.is_empty());
    events
}

/// The JSON of an event that is one `data:` line.
fn data_json(event: &[String]) -> Value {
    assert_eq!(event.len(), 1, "one line: {event:?}");
    let data = event[0].strip_prefix("data:").expect("a data line");
    serde_json::from_str(data.strip_prefix(' ').unwrap_or(data)).expect("JSON data")
}

/// The events of a streamed response: the body must end each with a blank line.
fn received(response: &RawResponse) -> Vec<Vec<String>> {
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    let text = std::str::from_utf8(&response.body).expect("UTF-8 events");
    assert!(
        text.is_empty() || text.ends_with("\n\n"),
        "every event ends with a blank line: {text:?}"
    );
    blocks(text)
}

fn request_id(response: &RawResponse) -> String {
    let id = response.header("x-tc-requestid").expect("X-TC-RequestId");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    id.to_owned()
}

fn record_of(emulator: &Emulator, request_id: &str) -> RequestRecord {
    emulator
        .requests()
        .into_iter()
        .find(|record| record.request_id.as_deref() == Some(request_id))
        .expect("the stream is in the request log")
}

fn progress(events: usize, state: StreamState) -> Option<StreamRecord> {
    Some(StreamRecord {
        events: events as u64,
        state,
    })
}

#[tokio::test]
async fn the_marked_actions_are_the_ones_tested_here() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
    let mut marked = Vec::new();
    for service in std::fs::read_dir(root).unwrap() {
        let service = service.unwrap().path();
        if !service.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(service).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|extension| extension != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Only files that mention the mark are parsed (the catalog is 80 MB).
            if !text.contains("server_sent_events") {
                continue;
            }
            let schema: Value = serde_json::from_str(&text).unwrap();
            for action in schema["actions"].as_array().unwrap() {
                if action["server_sent_events"] == true {
                    marked.push(format!(
                        "{} {} {}",
                        schema["service"].as_str().unwrap(),
                        schema["version"].as_str().unwrap(),
                        action["name"].as_str().unwrap()
                    ));
                }
            }
        }
    }
    marked.sort();
    let mut tested: Vec<String> = marked_actions()
        .iter()
        .map(|sse| format!("{} {} {}", sse.service, sse.version, sse.action))
        .collect();
    tested.sort();
    assert_eq!(marked, tested);
}

#[tokio::test]
async fn every_marked_action_streams_its_documented_events() {
    let emulator = emulator().await;
    let mut forms = Vec::new();
    for sse in marked_actions() {
        let response = sse.send(&emulator).await;
        assert!(response.complete, "{}: a clean end", sse.action);
        assert_eq!(
            response.header("transfer-encoding"),
            Some("chunked"),
            "{}",
            sse.action
        );
        let events = received(&response);
        let expected = sse.expected();
        assert!(expected.len() > 0, "{} documents events", sse.action);
        assert_eq!(expected.same_form(&events), expected, "{}", sse.action);
        let record = record_of(&emulator, &request_id(&response));
        assert_eq!(record.action, sse.action);
        assert_eq!(record.code, None);
        assert_eq!(record.stream, progress(events.len(), StreamState::Finished));
        forms.push(matches!(expected, Expected::Lines(_)));
    }
    assert!(
        forms.contains(&true) && forms.contains(&false),
        "both transcripts and JSON examples are covered"
    );
}

#[tokio::test]
async fn without_stream_true_the_answer_is_the_json_envelope() {
    let emulator = emulator().await;
    for stream in [json!(false), Value::Null] {
        let mut sse = lkeap_chat();
        match stream {
            Value::Null => sse.params.as_object_mut().unwrap().remove("Stream"),
            value => sse
                .params
                .as_object_mut()
                .unwrap()
                .insert("Stream".into(), value),
        };
        let response = sse.send(&emulator).await;
        assert_eq!(response.header("content-type"), Some("application/json"));
        // Every lkeap ChatCompletions example is a transcript: no members to answer.
        let members = response.ok();
        assert_eq!(members.as_object().unwrap().len(), 1, "{members}");
        assert!(
            emulator.requests().last().unwrap().stream.is_none(),
            "not a stream"
        );
    }
    // hunyuan documents the non-streaming answer.
    let mut translations = marked_actions().remove(2);
    translations.params["Stream"] = json!(false);
    let members = translations.send(&emulator).await.ok();
    let Expected::Json(documented) = translations.expected() else {
        panic!("hunyuan documents JSON");
    };
    assert_eq!(members["Choices"], documented[0]["Choices"]);
}

#[tokio::test]
async fn errors_found_before_the_stream_are_json_envelopes() {
    let emulator = emulator().await;
    let chat = lkeap_chat();
    let unsigned = chat
        .call(&emulator)
        .with(|call| call.secret_key = "wrong".into());
    let missing = lkeap_chat()
        .params(json!({"Model": "deepseek-r1", "Stream": true}))
        .call(&emulator);
    emulator
        .inject_fault(Fault::error("InternalError").for_action("ChatCompletions"))
        .unwrap();
    for (call, code) in [
        (chat.call(&emulator), "InternalError"),
        (unsigned, "AuthFailure.SignatureFailure"),
        (missing, "MissingParameter"),
    ] {
        let response = call.send().await;
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.code().as_deref(), Some(code));
    }
    assert!(emulator.requests().iter().all(|r| r.stream.is_none()));
}

#[tokio::test]
async fn stream_drop_closes_the_connection_mid_message() {
    let emulator = emulator().await;
    let chat = lkeap_chat();
    let expected = chat.expected();
    for after in [2usize, 0] {
        emulator
            .inject_fault(Fault::stream_drop(after as u64))
            .unwrap();
        let response = chat.send(&emulator).await;
        assert!(!response.complete, "no end of the chunked body");
        let events = received(&response);
        assert_eq!(chat.expected().same_form(&events), expected.first(after));
        let record = record_of(&emulator, &request_id(&response));
        assert_eq!(record.stream, progress(after, StreamState::Cut));
        assert_eq!(record.fault.as_deref(), Some("stream_drop"));
    }
}

#[tokio::test]
async fn stream_error_sends_an_error_event_then_ends_cleanly() {
    let emulator = emulator().await;
    let chat = lkeap_chat();
    emulator
        .inject_fault(Fault::stream_error(1, "InternalError"))
        .unwrap();
    let response = chat.send(&emulator).await;
    assert!(response.complete, "a clean end after the error event");
    let events = received(&response);
    assert_eq!(events.len(), 2);
    assert_eq!(
        chat.expected().same_form(&events[..1]),
        chat.expected().first(1)
    );
    let error = data_json(&events[1]);
    let id = request_id(&response);
    assert_eq!(error["RequestId"], id.as_str());
    assert_eq!(error["Error"]["Code"], "InternalError");
    assert!(error["Error"]["Message"].is_string());
    let record = record_of(&emulator, &id);
    assert_eq!(record.stream, progress(2, StreamState::Finished));
}

#[tokio::test]
async fn stream_long_line_sends_one_line_of_the_given_length() {
    let emulator = emulator().await;
    let chat = lkeap_chat();
    let expected = chat.expected();
    emulator
        .inject_fault(Fault::stream_long_line(1, 100_000))
        .unwrap();
    let response = chat.send(&emulator).await;
    assert!(response.complete);
    let mut events = received(&response);
    assert_eq!(events.len(), expected.len() + 1);
    let long = events.remove(1);
    assert_eq!(long.len(), 1, "one line");
    assert_eq!(long[0].len(), 100_000);
    assert!(long[0].starts_with("data: "));
    assert_eq!(
        chat.expected().same_form(&events),
        expected,
        "the rest follows"
    );
}

#[tokio::test]
async fn stream_repeat_makes_a_long_stream() {
    let emulator = emulator().await;
    for sse in [lkeap_chat(), reconstruct()] {
        let documented = sse.expected().len();
        emulator.inject_fault(Fault::stream_repeat(100)).unwrap();
        let response = sse.send(&emulator).await;
        assert!(response.complete);
        let events = received(&response);
        assert!(events.len() >= 100, "{}", events.len());
        assert_eq!(events.len() % documented, 0, "whole runs of the events");
        for (index, event) in events.iter().enumerate() {
            assert_eq!(event, &events[index % documented]);
        }
        assert_eq!(
            sse.expected().same_form(&events[..documented]),
            sse.expected()
        );
    }
}

#[tokio::test]
async fn a_client_that_drops_an_open_stream_is_recorded() {
    let emulator = emulator().await;
    let chat = lkeap_chat();
    emulator
        .inject_fault(Fault::stream_delay(Duration::from_millis(300)))
        .unwrap();
    let mut stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    stream
        .write_all(&chat.call(&emulator).to_bytes())
        .await
        .unwrap();
    // Read until the first event has arrived (after the head, a blank line ends it).
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&received)
        .split_once("\r\n\r\n")
        .is_some_and(|(_, body)| body.contains("\n\n"))
    {
        let n = stream.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the stream stays open");
        received.extend_from_slice(&buffer[..n]);
    }
    let head = String::from_utf8_lossy(&received).into_owned();
    let id = head
        .lines()
        .find_map(|line| {
            line.to_ascii_lowercase()
                .strip_prefix("x-tc-requestid:")
                .map(|v| v.trim().to_owned())
        })
        .expect("X-TC-RequestId");
    assert_eq!(
        record_of(&emulator, &id).stream.map(|s| s.state),
        Some(StreamState::Open)
    );
    drop(stream);

    let deadline = Instant::now() + Duration::from_secs(10);
    let gone = loop {
        let record = record_of(&emulator, &id);
        if record.stream.is_some_and(|s| s.state != StreamState::Open) || Instant::now() > deadline
        {
            break record;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let progress = gone.stream.expect("a stream record");
    assert_eq!(progress.state, StreamState::ClientGone);
    assert!(
        progress.events >= 1 && (progress.events as usize) < chat.expected().len(),
        "{progress:?}"
    );
    assert_eq!(gone.fault.as_deref(), Some("stream_delay"));
}

#[tokio::test]
async fn stream_faults_wait_for_a_stream_and_combine() {
    let emulator = emulator().await;
    let chat = lkeap_chat();
    let (status, _) = admin(
        &emulator,
        json!([
            {"kind": "stream_drop", "after_events": 1, "action": "ChatCompletions"},
            {"kind": "stream_delay", "delay_ms": 10, "action": "ChatCompletions"},
        ]),
    )
    .await;
    assert_eq!(status, 200);
    // Neither another action nor a JSON answer of this one takes them.
    Call::new(&emulator, "DescribeZones", json!({}))
        .send()
        .await
        .ok();
    let mut json_chat = lkeap_chat();
    json_chat.params["Stream"] = json!(false);
    json_chat.send(&emulator).await.ok();
    assert_eq!(emulator.pending_faults().len(), 2);
    let response = chat.send(&emulator).await;
    assert!(!response.complete);
    let record = record_of(&emulator, &request_id(&response));
    assert_eq!(record.fault.as_deref(), Some("stream_drop+stream_delay"));
    assert_eq!(record.stream, progress(1, StreamState::Cut));
    assert!(emulator.pending_faults().is_empty());

    let (status, body) = admin(
        &emulator,
        json!({"kind": "stream_long_line", "line_bytes": 2}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn a_truncated_body_fault_cuts_a_stream_after_half_its_events() {
    let emulator = emulator().await;
    let chat = lkeap_chat();
    let expected = chat.expected();
    emulator
        .inject_fault(Fault::new(tencent_cloud_emulator::FaultKind::TruncatedBody))
        .unwrap();
    let response = chat.send(&emulator).await;
    assert!(!response.complete);
    let events = received(&response);
    assert_eq!(
        chat.expected().same_form(&events),
        expected.first(expected.len() / 2)
    );
}

async fn admin(emulator: &Emulator, faults: Value) -> (u16, Value) {
    let body = faults.to_string();
    let request = format!(
        "POST /_emulator/faults HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let response = send_raw(emulator.local_addr(), request.as_bytes())
        .await
        .unwrap();
    (response.status, response.json())
}
