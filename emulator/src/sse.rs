//! The events of a streamed answer (`text/event-stream`), taken from an action's documented
//! examples, and the events the stream faults inject.
//!
//! The documentation shows a streaming action's answer in one of two ways. Either an
//! example's response is an SSE transcript (its first non-blank line starts with `data:`,
//! `id:`, `event:` or `:`, as lkeap ChatCompletions and trtc TextToSpeechSSE have): the first
//! such transcript is replayed field by field. Or the examples are JSON objects, one per
//! stage of the answer (lkeap ReconstructDocumentSSE, es ParseDocument): each becomes one
//! event `data: <compact JSON>`, the `Response` object's content when the example is an
//! enveloped `{"Response": {...}}`. Every event ends with a blank line, whatever the
//! transcript did: a parser emits an event only at its blank line, so a transcript that
//! stops after its last field would lose that event.

use bytes::Bytes;
use serde_json::Value;
use tencent_cloud_schema::model::Action;

/// What a transcript's first field line may start with (`:` begins a comment).
const FIELD_STARTS: [&str; 4] = ["data:", "id:", "event:", ":"];

/// Whether an example's response text is an SSE transcript rather than a JSON document.
pub fn is_transcript(text: &str) -> bool {
    lines(text)
        .find(|line| !is_blank(line))
        .is_some_and(|first| FIELD_STARTS.iter().any(|start| first.starts_with(start)))
}

/// The events the action's examples document, each a whole event (its field lines, then a
/// blank line); empty when no example shows one.
pub fn documented_events(action: &Action) -> Vec<Bytes> {
    let responses = action
        .examples
        .iter()
        .map(|example| example.response.as_str());
    if let Some(transcript) = responses.clone().find(|text| is_transcript(text)) {
        return transcript_events(transcript);
    }
    responses.filter_map(json_event).collect()
}

/// The stream of an action whose examples document no event: one event carrying only the
/// RequestId, as the JSON answer of an undocumented action carries only that.
pub fn request_id_event(request_id: &str) -> Bytes {
    data_event(&serde_json::json!({ "RequestId": request_id }).to_string())
}

/// A mid-stream error as trtc documents it: a data event holding the RequestId and an
/// `Error` object, after which the server ends the stream.
pub fn error_event(request_id: &str, code: &str, message: &str) -> Bytes {
    let text = |value: &str| Value::String(value.to_owned()).to_string();
    data_event(&format!(
        r#"{{"RequestId":{},"Error":{{"Code":{},"Message":{}}}}}"#,
        text(request_id),
        text(code),
        text(message)
    ))
}

/// An event whose one line (`data: xxx…`, without its line break) is `line_bytes` long, for
/// clients' line-length limits. `line_bytes` is at least [`MIN_LONG_LINE_BYTES`].
pub fn long_line_event(line_bytes: usize) -> Bytes {
    let mut event = Vec::with_capacity(line_bytes + 2);
    event.extend_from_slice(b"data: ");
    event.resize(line_bytes.max(MIN_LONG_LINE_BYTES), b'x');
    event.extend_from_slice(b"\n\n");
    Bytes::from(event)
}

/// The shortest long line: `data: ` alone.
pub const MIN_LONG_LINE_BYTES: usize = 6;

/// A transcript cut into events at its blank lines (empty or whitespace only), each field
/// line kept as written and each event closed by one blank line; runs of blank lines
/// collapse, so that no empty event appears.
fn transcript_events(transcript: &str) -> Vec<Bytes> {
    let mut events = Vec::new();
    let mut event = String::new();
    for line in lines(transcript) {
        if is_blank(line) {
            if !event.is_empty() {
                event.push('\n');
                events.push(Bytes::from(std::mem::take(&mut event)));
            }
        } else {
            event.push_str(line);
            event.push('\n');
        }
    }
    if !event.is_empty() {
        event.push('\n');
        events.push(Bytes::from(event));
    }
    events
}

/// One event for a JSON-object example: the `Response` content of an envelope, or the
/// object as it is. Error envelopes are left out: they document a failure answered before
/// any stream (trtc's "Failed before TTS synthesis"), which the emulator answers as JSON.
fn json_event(text: &str) -> Option<Bytes> {
    let Ok(Value::Object(mut object)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    let content = match object.remove("Response") {
        Some(Value::Object(response)) if object.is_empty() => response,
        Some(other) => {
            object.insert("Response".to_owned(), other);
            object
        }
        None => object,
    };
    if content.contains_key("Error") {
        return None;
    }
    Some(data_event(&Value::Object(content).to_string()))
}

fn data_event(data: &str) -> Bytes {
    Bytes::from(format!("data: {data}\n\n"))
}

/// Lines as an SSE parser splits them: at CRLF, LF or a lone CR.
fn lines(text: &str) -> impl Iterator<Item = &str> + Clone {
    text.split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(responses: &[&str]) -> Action {
        let examples: Vec<Value> = responses
            .iter()
            .map(|response| serde_json::json!({ "request": "", "response": response }))
            .collect();
        serde_json::from_value(serde_json::json!({
            "name": "Chat",
            "request": { "members": [] },
            "response": { "members": [] },
            "examples": examples,
        }))
        .expect("a valid action")
    }

    fn texts(events: &[Bytes]) -> Vec<&str> {
        events
            .iter()
            .map(|event| std::str::from_utf8(event).unwrap())
            .collect()
    }

    #[test]
    fn recognises_transcripts_by_their_first_line() {
        for transcript in [
            "data:{}",
            "\n\n  \nid: 1\ndata: x",
            ": keep-alive",
            "event: done",
        ] {
            assert!(is_transcript(transcript), "{transcript:?}");
        }
        for other in ["{\"Response\": {}}", "", "  data: x", "retry: 5", "Data: x"] {
            assert!(!is_transcript(other), "{other:?}");
        }
    }

    #[test]
    fn the_first_transcript_is_replayed_with_a_blank_line_after_every_event() {
        let action = action(&[
            "{\"Response\": {\"A\": 1}}",
            "id: 1\r\ndata: a\r\n\r\n\r\n\nid: 2\rdata: b\ndata: c\n \nevent: end",
            "data: ignored\n\n",
        ]);
        assert_eq!(
            texts(&documented_events(&action)),
            [
                "id: 1\ndata: a\n\n",
                "id: 2\ndata: b\ndata: c\n\n",
                "event: end\n\n"
            ]
        );
    }

    #[test]
    fn without_a_transcript_each_json_object_is_one_event() {
        let stages = action(&[
            "{\"Response\": {\"RequestId\": \"r-1\", \"Progress\": \"0\"}}",
            "{\"TaskId\": \"t\", \"Progress\": \"100\"}",
            "{\"Progress\": \"100\" \"Broken\": 1}",
            "[1, 2]",
            "{\"Response\": {\"Error\": {\"Code\": \"InvalidParameter\"}, \"RequestId\": \"r\"}}",
        ]);
        let events = documented_events(&stages);
        let data: Vec<Value> = texts(&events)
            .iter()
            .map(|event| {
                let json = event.strip_prefix("data: ").unwrap();
                assert!(json.ends_with("}\n\n") && !json.trim_end().contains('\n'));
                serde_json::from_str(json).unwrap()
            })
            .collect();
        assert_eq!(
            data,
            [
                serde_json::json!({"RequestId": "r-1", "Progress": "0"}),
                serde_json::json!({"TaskId": "t", "Progress": "100"}),
            ]
        );
        assert!(documented_events(&action(&[])).is_empty());
    }

    #[test]
    fn injected_events() {
        let error = error_event("r-\"1", "InternalError", "line\nbreak");
        let text = std::str::from_utf8(&error).unwrap();
        assert_eq!(text.matches('\n').count(), 2, "one line, then a blank one");
        let json: Value = serde_json::from_str(text.strip_prefix("data: ").unwrap()).unwrap();
        assert_eq!(json["RequestId"], "r-\"1");
        assert_eq!(json["Error"]["Code"], "InternalError");
        assert_eq!(json["Error"]["Message"], "line\nbreak");

        let long = long_line_event(1000);
        assert_eq!(long.len(), 1002);
        assert!(long.starts_with(b"data: xx") && long.ends_with(b"x\n\n"));
        assert_eq!(&long_line_event(0)[..], b"data: \n\n");
    }
}
