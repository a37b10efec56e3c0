//! Raw-body requests end to end: cls `UploadLog` through the generated client to the
//! emulator, which verifies the signature over the raw body and the octet-stream
//! Content-Type and reads the members from the `X-CLS-` headers. The emulator's own
//! refusals (a missing or unknown member header, the wrong encoding for an action) are
//! reached through the runtime's `send_octet_stream` with requests declared here, which
//! skip the generated request's own checks.

use std::time::Duration;

use serde::Serialize;
use tencent_cloud::__rt::{ActionInfo, Bytes, Request, ServiceClient, ServiceInfo};
use tencent_cloud::cls::v20201016 as cls;
use tencent_cloud::error::TransportErrorKind;
use tencent_cloud::{ByNameError, CallOptions, RetryConfig, SdkError};
use tencent_cloud_emulator::{Emulator, Fault, FaultKind};

mod support;

const UPLOAD_LOG: &str = "UploadLog";
const TOPIC: &str = "f6c4fa6f-0000-4000-8289-1ff6f77ed975";

/// Bytes that are no text: every byte value, over and over.
fn log_group_list(length: usize) -> Vec<u8> {
    (0..=255u8).cycle().take(length).collect()
}

fn client(emulator: &Emulator) -> cls::Client {
    cls::Client::new(&support::without_retries(emulator).build().expect("config"))
}

fn sorted(mut headers: Vec<(String, String)>) -> Vec<(String, String)> {
    headers.sort();
    headers
}

fn header(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

#[tokio::test]
async fn upload_log_round_trips_through_the_generated_client() {
    let emulator = support::start().await;
    let response = client(&emulator)
        .upload_log()
        .topic_id(TOPIC)
        .compress_type("lz4")
        .body(log_group_list(3000))
        .send()
        .await
        .expect("the emulator accepts the upload");

    let sent = support::sent(&emulator, UPLOAD_LOG);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].code, None, "{sent:?}");
    assert_eq!(sent[0].request_id.as_deref(), Some(&*response.request_id));
    assert_eq!(sent[0].body_length, Some(3000));
    assert_eq!(
        sorted(sent[0].member_headers.clone()),
        [
            header("x-cls-compresstype", "lz4"),
            header("x-cls-topicid", TOPIC)
        ]
    );
}

#[tokio::test]
async fn an_unsigned_payload_and_an_empty_body_are_accepted_too() {
    let emulator = support::start().await;
    let config = support::without_retries(&emulator)
        .unsigned_payload(true)
        .build()
        .expect("config");
    cls::Client::new(&config)
        .upload_log()
        .topic_id(TOPIC)
        .body(log_group_list(10))
        .send()
        .await
        .expect("signed as UNSIGNED-PAYLOAD");
    client(&emulator)
        .upload_log()
        .topic_id(TOPIC)
        .send()
        .await
        .expect("an empty body is signed and sent as such");

    let sent = support::sent(&emulator, UPLOAD_LOG);
    let lengths: Vec<_> = sent.iter().map(|record| record.body_length).collect();
    assert_eq!(lengths, [Some(10), Some(0)]);
    assert_eq!(
        sent[1].member_headers,
        [header("x-cls-topicid", TOPIC)],
        "an unset member is not sent"
    );
}

#[tokio::test]
async fn what_cannot_be_sent_is_refused_before_signing() {
    let emulator = support::start().await;
    let refused = [
        client(&emulator).upload_log().body(log_group_list(8)),
        client(&emulator).upload_log().topic_id("line\nbreak"),
        client(&emulator).upload_log().topic_id("日志"),
        client(&emulator)
            .upload_log()
            .topic_id(TOPIC)
            .customize(|options| options.header("X-CLS-TopicId", "another")),
    ];
    let mut fields = Vec::new();
    for builder in refused {
        match builder.send().await {
            Err(SdkError::InvalidRequest(error)) => {
                assert_eq!(error.action(), UPLOAD_LOG);
                fields.push(error.field().map(str::to_owned));
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    let topic = Some("TopicId".to_owned());
    assert_eq!(fields, [topic.clone(), topic.clone(), topic, None]);
    assert!(emulator.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_timed_out_upload_is_not_repeated() {
    let emulator = support::start().await;
    let config = support::without_retries(&emulator)
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(1)))
        .attempt_timeout(Duration::from_millis(500))
        .build()
        .expect("config");
    emulator
        .inject_fault(
            Fault::delay(Duration::from_secs(2))
                .for_action(UPLOAD_LOG)
                .times(1),
        )
        .expect("fault");
    let error = cls::Client::new(&config)
        .upload_log()
        .topic_id(TOPIC)
        .body(log_group_list(100))
        .send()
        .await
        .expect_err("the only attempt times out");
    assert!(
        matches!(&error, SdkError::Transport(transport) if transport.kind() == TransportErrorKind::Timeout),
        "{error:?}"
    );
    let sent = support::sent(&emulator, UPLOAD_LOG);
    assert_eq!(
        sent.len(),
        1,
        "a write without ClientToken is not repeated: {sent:?}"
    );
}

#[tokio::test]
async fn a_throttled_upload_is_retried_with_the_same_body() {
    let emulator = support::start().await;
    let config = support::without_retries(&emulator)
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(1)))
        .build()
        .expect("config");
    emulator
        .inject_fault(Fault::new(FaultKind::RequestLimitExceeded).for_action(UPLOAD_LOG))
        .expect("fault");
    cls::Client::new(&config)
        .upload_log()
        .topic_id(TOPIC)
        .body(log_group_list(700))
        .send()
        .await
        .expect("the retry succeeds");
    let sent = support::sent(&emulator, UPLOAD_LOG);
    let outcomes: Vec<_> = (sent.iter())
        .map(|record| (record.code.as_deref(), record.body_length))
        .collect();
    assert_eq!(
        outcomes,
        [(Some("RequestLimitExceeded"), None), (None, Some(700))],
        "throttling is retried for any action; the body goes again whole"
    );
}

static CLS: ServiceInfo = ServiceInfo {
    name: "cls",
    version: "2020-10-16",
    default_host: "cls.intl.tencentcloudapi.com",
};

static UPLOAD_LOG_INFO: ActionInfo = ActionInfo {
    name: UPLOAD_LOG,
    rate_limit: None,
    skip_sign: false,
    read: false,
};

/// A JSON action of cls.
static DESCRIBE_TOPICS: ActionInfo = ActionInfo {
    name: "DescribeTopics",
    rate_limit: None,
    skip_sign: false,
    read: true,
};

/// UploadLog's members, none required here, and one it does not have.
#[derive(Serialize, Default)]
struct Unchecked {
    #[serde(rename = "TopicId", skip_serializing_if = "Option::is_none")]
    topic_id: Option<String>,
    #[serde(rename = "Shard", skip_serializing_if = "Option::is_none")]
    shard: Option<String>,
}

impl Request for Unchecked {
    type Response = serde_json::Value;
    type Error = ByNameError;
    const ACTION: &'static ActionInfo = &UPLOAD_LOG_INFO;

    fn required_unset(&self) -> Option<&'static str> {
        None
    }
}

/// An empty request of DescribeTopics.
#[derive(Serialize)]
struct DescribeTopics {}

impl Request for DescribeTopics {
    type Response = serde_json::Value;
    type Error = ByNameError;
    const ACTION: &'static ActionInfo = &DESCRIBE_TOPICS;

    fn required_unset(&self) -> Option<&'static str> {
        None
    }
}

fn code<T: std::fmt::Debug>(result: Result<T, SdkError<ByNameError>>) -> (String, String) {
    match result {
        Err(SdkError::Service(error)) => (error.code().to_owned(), error.message().to_owned()),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_emulator_refuses_what_the_api_would() {
    let emulator = support::start().await;
    let config = support::without_retries(&emulator).build().expect("config");
    let client = ServiceClient::new(&config, &CLS);
    let options = CallOptions::new();
    let body = || Bytes::from(log_group_list(16));

    let (missing, message) = code(
        client
            .send_octet_stream(&Unchecked::default(), body(), &options)
            .await,
    );
    assert_eq!(missing, "MissingParameter", "{message}");
    assert!(message.contains("TopicId"), "{message}");

    let unknown = Unchecked {
        topic_id: Some(TOPIC.to_owned()),
        shard: Some("1".to_owned()),
    };
    let (code_, message) = code(client.send_octet_stream(&unknown, body(), &options).await);
    assert_eq!(code_, "UnknownParameter", "{message}");
    assert!(message.contains("X-CLS-shard"), "{message}");

    let json_upload = Unchecked {
        topic_id: Some(TOPIC.to_owned()),
        shard: None,
    };
    let (code_, message) = code(client.send(&json_upload, &options).await);
    assert_eq!(code_, "InvalidParameter", "{message}");
    assert!(message.contains("application/octet-stream"), "{message}");

    let (code_, message) = code(
        client
            .send_octet_stream(&DescribeTopics {}, body(), &options)
            .await,
    );
    assert_eq!(code_, "InvalidParameter", "{message}");
    assert!(
        message.contains("DescribeTopics takes its parameters as JSON"),
        "{message}"
    );

    // Each was signed over its raw body and accepted as far as its parameters.
    let codes: Vec<_> = (emulator.requests().into_iter())
        .map(|record| record.code.unwrap_or_default())
        .collect();
    assert_eq!(
        codes,
        [
            "MissingParameter",
            "UnknownParameter",
            "InvalidParameter",
            "InvalidParameter"
        ]
    );
}
