//! Answers of server-sent events, from a loopback server that streams scripted bytes:
//! what each kind of event becomes, what ends a stream and how, when a call is retried,
//! and that dropping the stream closes its connection. The emulator's streams are tested
//! through the generated clients in `tests/tests/server_sent_events.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use tencent_cloud::__rt::{ActionInfo, Request, ServiceClient, ServiceInfo};
use tencent_cloud::error::TransportErrorKind;
use tencent_cloud::{
    CallOptions, Config, Credentials, EventData, EventStream, RetryConfig, SdkError,
};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

mod common;
use common::TestError;

static SERVICE: ServiceInfo = ServiceInfo {
    name: "lkeap",
    version: "2024-05-22",
    default_host: "lkeap.intl.tencentcloudapi.com",
};

/// A write, as the chat actions are: never repeated once sent, unless nothing came back.
static CHAT: ActionInfo = ActionInfo {
    name: "ChatCompletions",
    rate_limit: None,
    skip_sign: false,
    read: false,
};

#[derive(serde::Serialize)]
struct Chat {
    #[serde(rename = "Stream")]
    stream: bool,
}

impl Request for Chat {
    type Response = Chunk;
    type Error = TestError;
    const ACTION: &'static ActionInfo = &CHAT;

    fn required_unset(&self) -> Option<&'static str> {
        None
    }
}

static WATCH: ActionInfo = ActionInfo {
    name: "DescribeProgress",
    rate_limit: None,
    skip_sign: false,
    read: true,
};

/// A read that streams: every attempt may be repeated.
#[derive(serde::Serialize)]
struct Watch {}

impl Request for Watch {
    type Response = Chunk;
    type Error = TestError;
    const ACTION: &'static ActionInfo = &WATCH;

    fn required_unset(&self) -> Option<&'static str> {
        None
    }
}

/// What a generated response holds: the RequestId, required, and the members.
#[derive(Debug, Deserialize, PartialEq)]
struct Chunk {
    #[serde(rename = "RequestId")]
    request_id: String,
    #[serde(rename = "Content")]
    content: Option<String>,
    #[serde(rename = "Seq")]
    seq: Option<u32>,
}

const GUARD: Duration = Duration::from_secs(60);

/// One piece of a scripted answer body.
enum Part {
    Bytes(&'static str),
    Owned(String),
    /// Waits before the next part.
    Pause(Duration),
    /// Aborts the body: the client sees a chunked message cut short.
    Abort,
}

/// How the server answers its n-th request.
#[derive(Clone, Copy)]
enum Answer {
    Events(fn() -> Vec<Part>),
    Json(fn() -> serde_json::Value),
}

struct Server {
    url: String,
    requests: Arc<AtomicUsize>,
    /// Signalled when the server's side of a streamed body sees the client go away.
    hung_up: mpsc::UnboundedReceiver<()>,
}

async fn server(answers: Vec<Answer>) -> Server {
    let requests = Arc::new(AtomicUsize::new(0));
    let (hung_up_tx, hung_up) = mpsc::unbounded_channel();
    let counter = Arc::clone(&requests);
    let app = axum::Router::new().fallback(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let answer = answers[n.min(answers.len() - 1)];
        let hung_up = hung_up_tx.clone();
        async move {
            match answer {
                Answer::Json(body) => axum::Json(body()).into_response(),
                Answer::Events(script) => events(script(), hung_up),
            }
        }
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server {
        url,
        requests,
        hung_up,
    }
}

/// A `text/event-stream` answer that sends `script` part by part, each part its own
/// chunk, then ends the body; reports when the client stops reading before the end.
fn events(script: Vec<Part>, hung_up: mpsc::UnboundedSender<()>) -> Response {
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    tokio::spawn(async move {
        for part in script {
            let chunk = match part {
                Part::Bytes(text) => Ok(Bytes::from_static(text.as_bytes())),
                Part::Owned(text) => Ok(Bytes::from(text)),
                Part::Pause(pause) => {
                    tokio::select! {
                        () = tokio::time::sleep(pause) => continue,
                        () = tx.closed() => {
                            let _ = hung_up.send(());
                            return;
                        }
                    }
                }
                Part::Abort => Err(std::io::Error::other("scripted abort")),
            };
            if tx.send(chunk).await.is_err() {
                let _ = hung_up.send(());
                return;
            }
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    Response::builder()
        .header(CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .header("X-TC-RequestId", "req-from-header")
        .body(Body::from_stream(body))
        .expect("response")
}

fn client(url: &str) -> ServiceClient {
    client_with(url, |builder| builder)
}

fn client_with(
    url: &str,
    configure: impl FnOnce(tencent_cloud::ConfigBuilder) -> tencent_cloud::ConfigBuilder,
) -> ServiceClient {
    let builder = Config::builder()
        .endpoint_url(url)
        .credentials(Credentials::new("AKIDtest", "secret-key"))
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(5)));
    ServiceClient::new(&configure(builder).build().expect("config"), &SERVICE)
}

async fn open(
    client: &ServiceClient,
    options: &CallOptions,
) -> Result<EventStream<Chunk, TestError>, SdkError<TestError>> {
    tokio::time::timeout(GUARD, client.send_stream(&Chat { stream: true }, options))
        .await
        .expect("send_stream hung")
}

/// Every item of the stream, the last one possibly an error.
async fn drain(
    stream: &mut EventStream<Chunk, TestError>,
) -> Vec<Result<EventData<Chunk>, SdkError<TestError>>> {
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

fn chunk(request_id: &str, content: &str, seq: u32) -> EventData<Chunk> {
    EventData::Response(Chunk {
        request_id: request_id.to_owned(),
        content: Some(content.to_owned()),
        seq: Some(seq),
    })
}

#[tokio::test]
async fn json_events_decode_as_the_response_and_other_data_is_kept_as_text() {
    let server = server(vec![Answer::Events(|| {
        vec![
            Part::Bytes(": a comment\n\nid: 1\nevent: delta\nretry: 1500\n"),
            // Split inside a line and inside the data: one event all the same.
            Part::Bytes("data: {\"Content\": \"Hel"),
            Part::Bytes("lo\", \"Seq\": 0}\n\n"),
            Part::Bytes(
                "data: {\"RequestId\": \"req-in-data\",\ndata: \"Content\": \"!\", \"Seq\": 1}\n\n",
            ),
            Part::Bytes("data: [DONE]\n\n"),
        ]
    })])
    .await;
    let mut stream = open(&client(&server.url), &CallOptions::new())
        .await
        .expect("stream");
    assert_eq!(stream.request_id(), "req-from-header");
    let first = stream.recv().await.expect("first").expect("an event");
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.event.as_deref(), Some("delta"));
    assert_eq!(first.retry, Some(Duration::from_millis(1500)));
    // The RequestId comes from the header unless the event's data has its own.
    assert_eq!(first.data, chunk("req-from-header", "Hello", 0));
    let rest = drain(&mut stream).await;
    assert!(matches!(&rest[0], Ok(data) if *data == chunk("req-in-data", "!", 1)));
    assert!(matches!(&rest[1], Ok(EventData::Text(text)) if text == "[DONE]"));
    assert_eq!(rest.len(), 2, "then the end");
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_error_event_is_the_actions_typed_error_and_ends_the_stream() {
    let server = server(vec![Answer::Events(|| {
        vec![
            Part::Bytes("data: {\"Content\": \"a\", \"Seq\": 0}\n\n"),
            Part::Bytes(
                "data: {\"RequestId\": \"req-err\", \"Error\": {\"Code\": \"InternalError\", \"Message\": \"mid-stream\"}}\n\n",
            ),
            Part::Bytes("data: {\"Content\": \"never read\", \"Seq\": 2}\n\n"),
        ]
    })])
    .await;
    let mut stream = open(
        &client(&server.url),
        &CallOptions::new().trace_id("trace-1"),
    )
    .await
    .expect("stream");
    let items = drain(&mut stream).await;
    assert_eq!(items.len(), 2, "one event, the error, then the end");
    let Err(SdkError::Service(error)) = &items[1] else {
        panic!("expected a service error, got {:?}", items[1]);
    };
    assert_eq!(error.code(), "InternalError");
    assert_eq!(error.message(), "mid-stream");
    assert_eq!(error.request_id(), "req-err");
    assert_eq!(items[1].as_ref().unwrap_err().trace_id(), Some("trace-1"));
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_is_a_transport_error_not_an_end() {
    let server = server(vec![Answer::Events(|| {
        vec![
            Part::Bytes("data: {\"Content\": \"a\", \"Seq\": 0}\n\n"),
            Part::Bytes("data: {\"Content\": \"cut"),
            Part::Abort,
        ]
    })])
    .await;
    let mut stream = open(&client(&server.url), &CallOptions::new())
        .await
        .expect("stream");
    let items = drain(&mut stream).await;
    assert_eq!(items.len(), 2);
    assert!(
        matches!(&items[1], Err(SdkError::Transport(error)) if error.kind() == TransportErrorKind::Other),
        "{:?}",
        items[1]
    );
    // Once after the first event: nothing is repeated.
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_clean_end_inside_an_event_is_a_transport_error() {
    let server = server(vec![Answer::Events(|| {
        vec![
            Part::Bytes("data: {\"Content\": \"a\", \"Seq\": 0}\n\n"),
            Part::Bytes("data: {\"Content\": \"no blank line after me\", \"Seq\": 1}\n"),
        ]
    })])
    .await;
    let mut stream = open(&client(&server.url), &CallOptions::new())
        .await
        .expect("stream");
    let items = drain(&mut stream).await;
    assert_eq!(items.len(), 2);
    let Err(SdkError::Transport(error)) = &items[1] else {
        panic!("expected a transport error, got {:?}", items[1]);
    };
    assert!(error.to_string().contains("ended early"), "{error}");
}

#[tokio::test]
async fn a_line_over_the_limit_is_refused() {
    let server = server(vec![Answer::Events(|| {
        vec![
            Part::Bytes("data: {\"Content\": \"a\", \"Seq\": 0}\n\n"),
            Part::Owned(format!("data: {}\n\n", "x".repeat(4096))),
        ]
    })])
    .await;
    let client = client_with(&server.url, |builder| builder.max_response_size(1024));
    let mut stream = open(&client, &CallOptions::new()).await.expect("stream");
    let items = drain(&mut stream).await;
    assert_eq!(items.len(), 2);
    let Err(SdkError::InvalidResponse(error)) = &items[1] else {
        panic!("expected an invalid response, got {:?}", items[1]);
    };
    assert!(error.problem().contains("1024"), "{error}");
}

#[tokio::test]
async fn data_that_does_not_match_the_response_type_names_the_field() {
    let server = server(vec![Answer::Events(|| {
        vec![Part::Bytes(
            "data: {\"Content\": \"a\", \"Seq\": \"not a number\"}\n\n",
        )]
    })])
    .await;
    let mut stream = open(&client(&server.url), &CallOptions::new())
        .await
        .expect("stream");
    let items = drain(&mut stream).await;
    let Err(SdkError::InvalidResponse(error)) = &items[0] else {
        panic!("expected an invalid response, got {:?}", items[0]);
    };
    assert!(error.problem().contains("Seq"), "{error}");
    assert_eq!(error.request_id(), Some("req-from-header"));
}

#[tokio::test]
async fn a_json_answer_is_a_stream_of_one_response_and_an_error_envelope_the_error() {
    let server = server(vec![
        Answer::Json(|| json!({"Response": {"RequestId": "r-json", "Content": "whole", "Seq": 7}})),
        Answer::Json(|| {
            json!({"Response": {"RequestId": "r-bad", "Error": {"Code": "InvalidParameter", "Message": "no"}}})
        }),
    ])
    .await;
    let client = client(&server.url);
    let mut stream = open(&client, &CallOptions::new()).await.expect("stream");
    assert_eq!(stream.request_id(), "r-json");
    let items = drain(&mut stream).await;
    assert!(matches!(&items[..], [Ok(data)] if *data == chunk("r-json", "whole", 7)));

    let error = open(&client, &CallOptions::new()).await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidParameter"));
    assert_eq!(error.request_id(), Some("r-bad"));
}

#[tokio::test]
async fn send_refuses_an_event_stream_and_names_send_stream() {
    let server = server(vec![Answer::Events(|| {
        vec![Part::Bytes("data: {\"Content\": \"a\", \"Seq\": 0}\n\n")]
    })])
    .await;
    let error = client(&server.url)
        .send(&Chat { stream: true }, &CallOptions::new())
        .await
        .unwrap_err();
    let SdkError::InvalidResponse(error) = error else {
        panic!("expected an invalid response, got {error:?}");
    };
    assert!(error.problem().contains("send_stream()"), "{error}");
    assert!(error.problem().contains("req-from-header"), "{error}");
}

#[tokio::test]
async fn retries_apply_before_the_first_event_as_for_any_call() {
    // Throttled (nothing applied): retried, write or not. Then the stream breaks after
    // its first event: not retried, the caller has seen part of the answer.
    let server = server(vec![
        Answer::Json(|| {
            json!({"Response": {"RequestId": "r-busy", "Error": {"Code": "RequestLimitExceeded", "Message": "slow down"}}})
        }),
        Answer::Events(|| {
            vec![
                Part::Bytes("data: {\"Content\": \"a\", \"Seq\": 0}\n\n"),
                Part::Abort,
            ]
        }),
    ])
    .await;
    let mut stream = open(&client(&server.url), &CallOptions::new())
        .await
        .expect("the second attempt opens");
    let items = drain(&mut stream).await;
    assert!(matches!(&items[0], Ok(data) if *data == chunk("req-from-header", "a", 0)));
    assert!(matches!(&items[1], Err(SdkError::Transport(_))));
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_stream_lost_before_its_first_event_is_retried_only_if_the_action_may_be_repeated() {
    let broken = || vec![Part::Bytes("data: {\"Content\": \"lo"), Part::Abort];
    let whole = || vec![Part::Bytes("data: {\"Content\": \"a\", \"Seq\": 0}\n\n")];

    // A write may have been applied: the error is the call's, from `send_stream`.
    let server = server(vec![Answer::Events(broken), Answer::Events(whole)]).await;
    let error = open(&client(&server.url), &CallOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Transport(_)), "{error:?}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);

    // A read is repeated, and the caller never sees the broken attempt.
    let server = self::server(vec![Answer::Events(broken), Answer::Events(whole)]).await;
    let watch = tokio::time::timeout(
        GUARD,
        client(&server.url).send_stream(&Watch {}, &CallOptions::new()),
    )
    .await
    .expect("hung");
    let items = drain(&mut watch.expect("the second attempt opens")).await;
    assert!(matches!(&items[..], [Ok(data)] if *data == chunk("req-from-header", "a", 0)));
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_stream_that_goes_quiet_times_out_after_the_attempt_timeout() {
    let server = server(vec![Answer::Events(|| {
        vec![
            Part::Bytes("data: {\"Content\": \"a\", \"Seq\": 0}\n\n"),
            Part::Pause(Duration::from_secs(600)),
        ]
    })])
    .await;
    let options = CallOptions::new().attempt_timeout(Duration::from_millis(300));
    let mut stream = open(&client(&server.url), &options).await.expect("stream");
    let items = drain(&mut stream).await;
    assert_eq!(items.len(), 2);
    assert!(
        matches!(&items[1], Err(SdkError::Transport(error)) if error.kind() == TransportErrorKind::Timeout),
        "{:?}",
        items[1]
    );
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let mut server = server(vec![Answer::Events(|| {
        vec![
            Part::Bytes("data: {\"Content\": \"a\", \"Seq\": 0}\n\n"),
            Part::Pause(Duration::from_secs(600)),
            Part::Bytes("data: {\"Content\": \"never sent\", \"Seq\": 1}\n\n"),
        ]
    })])
    .await;
    let mut stream = open(&client(&server.url), &CallOptions::new())
        .await
        .expect("stream");
    assert!(stream.recv().await.expect("first").is_some());
    drop(stream);
    // The server's body ends only when its connection goes; a pooled connection would
    // keep it open for the whole 600 s pause.
    tokio::time::timeout(GUARD, server.hung_up.recv())
        .await
        .expect("the server saw the client go away")
        .expect("signal");
}

#[tokio::test]
async fn the_stream_is_also_a_futures_stream() {
    let server = server(vec![Answer::Events(|| {
        vec![Part::Bytes(
            "data: {\"Content\": \"a\", \"Seq\": 0}\n\ndata: {\"Content\": \"b\", \"Seq\": 1}\n\n",
        )]
    })])
    .await;
    let stream = open(&client(&server.url), &CallOptions::new())
        .await
        .expect("stream");
    let contents: Vec<String> = stream
        .filter_map(|item| async move { item.ok()?.response()?.content.clone() })
        .collect()
        .await;
    assert_eq!(contents, ["a", "b"]);
}
