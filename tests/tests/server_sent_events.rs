//! The generated `send_stream()` of a streaming action (lkeap ChatCompletions and
//! ReconstructDocumentSSE) against the emulator's `text/event-stream` answers (issue 12,
//! item 1): the documented events arrive typed, a JSON answer is one event, and each
//! stream fault ends the stream the way the runtime promises (`runtime/src/event_stream.rs`).
//!
//! The expected events are read from `schema/lkeap/2024-05-22.json` by this file, with a
//! split on blank lines: neither the emulator's replay nor the SDK's parser.

mod support;

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::Value;
use tencent_cloud::error::{CommonError, TransportErrorKind};
use tencent_cloud::lkeap::v20240522::{
    self as lkeap, ChatCompletionsError, ChatCompletionsResponse, Message,
};
use tencent_cloud::{EventData, EventStream, RetryConfig, SdkError};
use tencent_cloud_emulator::{Emulator, Fault, StreamState};

const CHAT: &str = "ChatCompletions";
/// Ends a hang; nothing here should come near it.
const GUARD: Duration = Duration::from_secs(60);

type Chat = EventStream<ChatCompletionsResponse, ChatCompletionsError>;
type Item = Result<EventData<ChatCompletionsResponse>, SdkError<ChatCompletionsError>>;

fn client(emulator: &Emulator) -> lkeap::Client {
    lkeap::Client::new(&support::without_retries(emulator).build().expect("config"))
}

fn chat(client: &lkeap::Client) -> lkeap::ChatCompletionsBuilder {
    client
        .chat_completions()
        .model("deepseek-r1")
        .messages([Message::default().role("user").content("Hello")])
}

async fn open(
    builder: lkeap::ChatCompletionsBuilder,
) -> Result<Chat, SdkError<ChatCompletionsError>> {
    tokio::time::timeout(GUARD, builder.stream(true).send_stream())
        .await
        .expect("send_stream hung")
}

async fn drain(stream: &mut Chat) -> Vec<Item> {
    let mut items = Vec::new();
    loop {
        match tokio::time::timeout(GUARD, stream.recv())
            .await
            .expect("recv hung")
        {
            Ok(Some(event)) => items.push(Ok(event.data)),
            Ok(None) => return items,
            Err(error) => items.push(Err(error)),
        }
    }
}

/// The text the deltas of `items` add up to.
fn text(items: &[Item]) -> String {
    items
        .iter()
        .filter_map(|item| match item {
            Ok(EventData::Response(chunk)) => Some(chunk),
            _ => None,
        })
        .flat_map(|chunk| chunk.choices.iter().flatten())
        .filter_map(|choice| choice.delta.as_ref()?.content.clone())
        .collect()
}

/// The `data` of each event of the documented transcript, by a blank-line split.
fn documented_data() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/lkeap/2024-05-22.json"
    );
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema JSON");
    let action = schema["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|action| action["name"] == CHAT)
        .expect("ChatCompletions");
    let transcript = action["examples"][0]["response"].as_str().expect("text");
    transcript
        .split("\n\n")
        .filter_map(|block| {
            let data: Vec<&str> = block
                .lines()
                .filter_map(|line| line.strip_prefix("data:"))
                .map(|value| value.strip_prefix(' ').unwrap_or(value))
                .collect();
            (!data.is_empty()).then(|| data.join("\n"))
        })
        .collect()
}

/// What the documented deltas add up to.
fn documented_text(data: &[String]) -> String {
    data.iter()
        .filter_map(|data| serde_json::from_str::<Value>(data).ok())
        .flat_map(|chunk| chunk["Choices"].as_array().cloned().unwrap_or_default())
        .filter_map(|choice| choice["Delta"]["Content"].as_str().map(str::to_owned))
        .collect()
}

/// The emulator's record of the last ChatCompletions, once `done` holds for it.
async fn wait_for_record(
    emulator: &Emulator,
    done: impl Fn(StreamState) -> bool,
) -> tencent_cloud_emulator::StreamRecord {
    let deadline = Instant::now() + GUARD;
    loop {
        let record = support::sent(emulator, CHAT)
            .pop()
            .and_then(|record| record.stream);
        match record {
            Some(stream) if done(stream.state) => return stream,
            _ if Instant::now() > deadline => panic!("no such stream record: {record:?}"),
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

#[tokio::test]
async fn the_documented_transcript_arrives_as_typed_events() {
    let emulator = support::start().await;
    let mut stream = open(chat(&client(&emulator))).await.expect("stream");
    let items = drain(&mut stream).await;

    let data = documented_data();
    let expected = documented_text(&data);
    assert!(!expected.is_empty());
    assert_eq!(text(&items), expected);
    assert!(items.iter().all(Result::is_ok), "{items:?}");
    // Every JSON event decoded; the closing `[DONE]` is kept as text.
    let json_events = data
        .iter()
        .filter(|data| serde_json::from_str::<Value>(data).is_ok_and(|v| v.is_object()))
        .count();
    let responses = items
        .iter()
        .filter(|item| matches!(item, Ok(EventData::Response(_))))
        .count();
    assert_eq!(responses, json_events);
    assert!(matches!(items.last(), Some(Ok(EventData::Text(done))) if done == "[DONE]"));

    let record = support::sent(&emulator, CHAT).pop().expect("recorded");
    assert_eq!(Some(stream.request_id()), record.request_id.as_deref());
    assert_eq!(
        record.stream.expect("streamed").state,
        StreamState::Finished
    );
    // Each event's RequestId is the header's: the events carry none of their own.
    let Some(Ok(EventData::Response(first))) = items.first() else {
        panic!("{items:?}")
    };
    assert_eq!(first.request_id, stream.request_id());
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_action_without_a_stream_member_streams_its_json_examples() {
    let emulator = support::start().await;
    let mut stream = client(&emulator)
        .reconstruct_document_sse()
        .file_type("PDF")
        .send_stream()
        .await
        .expect("stream");
    let mut kinds = Vec::new();
    while let Some(event) = stream.recv().await.expect("no error") {
        kinds.push(event.response().and_then(|r| r.response_type.clone()));
    }
    assert_eq!(kinds, [Some("PROGRESS".to_owned())]);
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_json_answer_is_one_event_and_send_refuses_a_stream() {
    let emulator = support::start().await;
    let client = client(&emulator);
    let mut stream = tokio::time::timeout(GUARD, chat(&client).stream(false).send_stream())
        .await
        .expect("hung")
        .expect("stream");
    let items = drain(&mut stream).await;
    assert!(
        matches!(&items[..], [Ok(EventData::Response(_))]),
        "{items:?}"
    );

    let error = chat(&client).stream(true).send().await.unwrap_err();
    let SdkError::InvalidResponse(error) = error else {
        panic!("expected an invalid response, got {error:?}")
    };
    assert!(error.problem().contains("send_stream()"), "{error}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_stream_cut_mid_way_ends_with_a_transport_error() {
    let emulator = support::start().await;
    emulator
        .inject_fault(Fault::stream_drop(2).for_action(CHAT))
        .expect("fault");
    let mut stream = open(chat(&client(&emulator))).await.expect("stream");
    let items = drain(&mut stream).await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[..2].iter().all(Result::is_ok));
    assert!(
        matches!(&items[2], Err(SdkError::Transport(error)) if error.kind() == TransportErrorKind::Other),
        "{:?}",
        items[2]
    );
    assert_eq!(
        wait_for_record(&emulator, |_| true).await.state,
        StreamState::Cut
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_error_event_is_the_actions_typed_error() {
    let emulator = support::start().await;
    emulator
        .inject_fault(Fault::stream_error(1, "InternalError").for_action(CHAT))
        .expect("fault");
    let mut stream = open(chat(&client(&emulator))).await.expect("stream");
    let items = drain(&mut stream).await;
    assert_eq!(items.len(), 2, "{items:?}");
    let Err(error) = &items[1] else {
        panic!("{items:?}")
    };
    assert!(
        matches!(
            error.kind(),
            Some(ChatCompletionsError::Common(CommonError::InternalError))
        ),
        "{error:?}"
    );
    assert!(error.trace_id().is_some());
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_line_over_the_limit_is_refused() {
    let emulator = support::start().await;
    emulator
        .inject_fault(Fault::stream_long_line(1, 256 * 1024).for_action(CHAT))
        .expect("fault");
    let config = support::without_retries(&emulator)
        .max_response_size(64 * 1024)
        .build()
        .expect("config");
    let mut stream = open(chat(&lkeap::Client::new(&config)))
        .await
        .expect("stream");
    let items = drain(&mut stream).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        matches!(&items[1], Err(SdkError::InvalidResponse(error)) if error.problem().contains("65536")),
        "{:?}",
        items[1]
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let emulator = support::start().await;
    for fault in [
        Fault::stream_repeat(10_000),
        Fault::stream_delay(Duration::from_millis(50)),
    ] {
        emulator
            .inject_fault(fault.for_action(CHAT))
            .expect("fault");
    }
    let mut stream = open(chat(&client(&emulator))).await.expect("stream");
    assert!(stream.next().await.is_some());
    assert!(stream.next().await.is_some());
    drop(stream);
    let record = wait_for_record(&emulator, |state| state != StreamState::Open).await;
    assert_eq!(record.state, StreamState::ClientGone);
    assert!(record.events < 10_000, "{record:?}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_throttled_first_attempt_is_retried_before_the_stream_opens() {
    let emulator = support::start().await;
    emulator
        .inject_fault(Fault::error("RequestLimitExceeded").for_action(CHAT))
        .expect("fault");
    let config = support::without_retries(&emulator)
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(5)))
        .build()
        .expect("config");
    let mut stream = open(chat(&lkeap::Client::new(&config)))
        .await
        .expect("stream");
    let items = drain(&mut stream).await;
    assert!(items.iter().all(Result::is_ok), "{items:?}");
    let sent = support::sent(&emulator, CHAT);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].code.as_deref(), Some("RequestLimitExceeded"));
    assert!(sent[1].stream.is_some());
    emulator.shutdown().await;
}
