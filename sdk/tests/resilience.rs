//! Retries, clock-skew correction and cancellation, seen from a loopback server that
//! records every request: what each attempt carried, and how many there were.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use tencent_cloud::__rt::{ActionInfo, Request, ServiceClient, ServiceInfo};
use tencent_cloud::signing::{Payload, SignableRequest, sign};
use tencent_cloud::{CallOptions, SdkError};
use tencent_cloud::{Config, Credentials, RetryConfig};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

mod common;
use common::TestError;

static SERVICE: ServiceInfo = ServiceInfo {
    name: "cvm",
    version: "2017-03-12",
    default_host: "cvm.intl.tencentcloudapi.com",
};

static DESCRIBE: ActionInfo = ActionInfo {
    name: "DescribeInstances",
    rate_limit: None,
    skip_sign: false,
    read: true,
};

/// A write: only requests that carry a ClientToken may be repeated after an
/// InternalError.
static RUN: ActionInfo = ActionInfo {
    name: "RunInstances",
    rate_limit: None,
    skip_sign: false,
    read: false,
};

/// What generated code declares for a request with a `ClientToken` member.
#[derive(serde::Serialize)]
struct RunInstances {
    #[serde(rename = "Zone")]
    zone: Option<String>,
    #[serde(rename = "ClientToken", skip_serializing_if = "Option::is_none")]
    client_token: Option<String>,
}

impl Request for RunInstances {
    type Response = Output;
    type Error = TestError;
    const ACTION: &'static ActionInfo = &RUN;

    fn required_unset(&self) -> Option<&'static str> {
        self.zone.is_none().then_some("Zone")
    }

    const CLIENT_TOKEN: bool = true;

    fn client_token(&self) -> Option<&str> {
        self.client_token.as_deref()
    }
}

#[derive(Debug, Deserialize)]
struct Output {}

struct Recorded {
    headers: HeaderMap,
    body: Vec<u8>,
}

type Log = Arc<Mutex<Vec<Recorded>>>;

/// Serves `answer(n)` to the n-th request (0-based) and records each request.
async fn server(answer: fn(usize) -> Response) -> (String, Log) {
    let log: Log = Arc::default();
    let recorder = Arc::clone(&log);
    let app = axum::Router::new().fallback(move |headers: HeaderMap, body: axum::body::Bytes| {
        let recorder = Arc::clone(&recorder);
        async move {
            let mut log = recorder.lock().unwrap();
            log.push(Recorded {
                headers,
                body: body.to_vec(),
            });
            answer(log.len() - 1)
        }
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, log)
}

fn envelope(response: serde_json::Value) -> Response {
    axum::Json(json!({ "Response": response })).into_response()
}

fn error(code: &str) -> Response {
    envelope(json!({"Error": {"Code": code, "Message": "m"}, "RequestId": "r-err"}))
}

fn success() -> Response {
    envelope(json!({"RequestId": "r-ok"}))
}

/// SignatureExpire from a server whose clock is 10 minutes ahead.
fn expired() -> Response {
    let mut response = error("AuthFailure.SignatureExpire");
    let ahead = SystemTime::now() + Duration::from_secs(600);
    response.headers_mut().insert(
        axum::http::header::DATE,
        httpdate::fmt_http_date(ahead)
            .parse()
            .expect("header value"),
    );
    response
}

fn config(url: &str) -> Config {
    Config::builder()
        .endpoint_url(url)
        .region("ap-singapore")
        .credentials(Credentials::new("AKIDtest", "secret-key").with_token("tok"))
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(10)))
        .user_agent_suffix("my-app/1.2")
        .build()
        .expect("valid config")
}

fn header<'a>(recorded: &'a Recorded, name: &str) -> &'a str {
    recorded
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_attempt_is_re_signed_over_the_same_bytes() {
    let (url, log) = server(|n| match n {
        0 => error("RequestLimitExceeded"),
        1 => expired(),
        _ => success(),
    })
    .await;
    let client = ServiceClient::new(&config(&url), &SERVICE);
    client
        .call::<_, Output, TestError>(&DESCRIBE, &json!({"Limit": 1, "Name": "未命名"}))
        .await
        .expect("third attempt succeeds");

    let log = log.lock().unwrap();
    assert_eq!(log.len(), 3);
    let host = url.trim_start_matches("http://");
    let credentials = Credentials::new("AKIDtest", "secret-key");
    let mut timestamps = Vec::new();
    for recorded in log.iter() {
        assert_eq!(recorded.body, log[0].body, "the body is encoded once");
        let timestamp: i64 = header(recorded, "x-tc-timestamp")
            .parse()
            .expect("timestamp");
        let request = SignableRequest {
            host,
            content_type: "application/json",
            payload: Payload::Bytes(&recorded.body),
        };
        let expected = sign(&request, &credentials, timestamp, "cvm").expect("in range");
        assert_eq!(header(recorded, "authorization"), expected.authorization());
        assert_eq!(header(recorded, "x-tc-token"), "tok");
        timestamps.push(timestamp);
    }
    // After SignatureExpire the request was signed anew, on the server's clock.
    let shift = timestamps[2] - timestamps[1];
    assert!((595..=605).contains(&shift), "{timestamps:?}");
    assert_eq!(
        header(&log[0], "x-tc-requestclient"),
        concat!(
            "tencent-cloud-rust/",
            env!("CARGO_PKG_VERSION"),
            " my-app/1.2"
        )
    );
}

#[tokio::test]
async fn signature_expire_is_corrected_once_per_call() {
    let (url, log) = server(|_| expired()).await;
    let client = ServiceClient::new(&config(&url), &SERVICE);
    let error = client
        .call::<_, Output, TestError>(&DESCRIBE, &json!({}))
        .await
        .expect_err("still expired");
    assert_eq!(error.code(), Some("AuthFailure.SignatureExpire"));
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn internal_error_is_repeated_only_with_a_client_token() {
    let (url, log) = server(|_| error("InternalError")).await;
    let client = ServiceClient::new(&config(&url), &SERVICE);
    let run = |client_token: Option<&str>| RunInstances {
        zone: Some("z".into()),
        client_token: client_token.map(Into::into),
    };
    let send = |request: RunInstances| {
        let client = client.clone();
        async move {
            client
                .send(&request, &CallOptions::new())
                .await
                .expect_err("always failing")
        }
    };
    send(run(Some(""))).await;
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "empty token: sent as set, not repeated"
    );
    send(run(Some("abc"))).await;
    assert_eq!(log.lock().unwrap().len(), 1 + 3, "token: repeated");
    // The same write as an untyped body: the runtime does not read the body to find a
    // token, so it is not repeated.
    client
        .call::<_, Output, TestError>(&RUN, &json!({"Zone": "z", "ClientToken": "abc"}))
        .await
        .expect_err("always failing");
    assert_eq!(log.lock().unwrap().len(), 4 + 1, "untyped: not repeated");
    let bodies: Vec<serde_json::Value> = log
        .lock()
        .unwrap()
        .iter()
        .map(|recorded| serde_json::from_slice(&recorded.body).expect("JSON"))
        .collect();
    assert_eq!(
        bodies[0]["ClientToken"], "",
        "the caller's empty token is kept"
    );
    assert!(bodies[1..].iter().all(|body| body["ClientToken"] == "abc"));
}

#[tokio::test]
async fn an_unset_client_token_is_filled_once_per_call_and_the_write_repeated() {
    let (url, log) = server(|_| error("InternalError")).await;
    let client = ServiceClient::new(&config(&url), &SERVICE);
    let write = RunInstances {
        zone: Some("z".into()),
        client_token: None,
    };
    for _ in 0..2 {
        client
            .send(&write, &CallOptions::new())
            .await
            .expect_err("always failing");
    }
    let tokens: Vec<String> = log
        .lock()
        .unwrap()
        .iter()
        .map(|recorded| {
            let body: serde_json::Value = serde_json::from_slice(&recorded.body).expect("JSON");
            assert_eq!(body["Zone"], "z", "the caller's members are kept: {body}");
            body["ClientToken"].as_str().expect("a token").to_owned()
        })
        .collect();
    assert_eq!(
        tokens.len(),
        2 * 3,
        "each call repeated, as a write with a token is"
    );
    let first = uuid::Uuid::parse_str(&tokens[0]).expect("a UUID");
    assert_eq!(first.get_version_num(), 4);
    assert!(
        tokens[..3].iter().all(|token| *token == tokens[0]),
        "one per call: {tokens:?}"
    );
    assert!(
        tokens[3..].iter().all(|token| *token == tokens[3]),
        "one per call: {tokens:?}"
    );
    assert_ne!(tokens[0], tokens[3], "a fresh one for each call");
}

#[tokio::test]
async fn a_request_missing_a_required_member_is_refused_unsent() {
    let (url, log) = server(|_| error("InternalError")).await;
    let client = ServiceClient::new(&config(&url), &SERVICE);
    let request = RunInstances {
        zone: None,
        client_token: Some("abc".into()),
    };
    match client.send(&request, &CallOptions::new()).await {
        Err(SdkError::InvalidRequest(invalid)) => {
            assert_eq!(
                (invalid.action(), invalid.field()),
                ("RunInstances", Some("Zone"))
            )
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(log.lock().unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn dropping_the_future_cancels_the_request() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let client = ServiceClient::new(&config(&url), &SERVICE);
    let input = json!({});
    let call = client.call::<_, Output, TestError>(&DESCRIBE, &input);
    let (mut stream, _) = tokio::select! {
        _ = call => panic!("nothing answers, so the call cannot finish"),
        accepted = listener.accept() => accepted.expect("accept"),
    };
    // `select!` has dropped the call's future: its connection must close, with no retry
    // left running in the background.
    let mut buffer = [0u8; 4096];
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the connection stayed open");
    let another = tokio::time::timeout(Duration::from_millis(500), listener.accept()).await;
    assert!(
        another.is_err(),
        "a request was sent after the call was dropped"
    );
}

#[tokio::test]
async fn connect_timeout_bounds_connecting_and_counts_as_not_sent() {
    // A listener that never accepts, with its accept queue filled: further SYNs are
    // dropped, so connecting hangs, all on 127.0.0.1.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let address = socket.local_addr().expect("addr");
    let _listener = socket.listen(1).expect("listen");
    let mut held = Vec::new();
    loop {
        match tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(address),
        )
        .await
        {
            Ok(Ok(stream)) if held.len() < 16 => held.push(stream),
            Ok(_) => panic!("the accept queue never filled"),
            Err(_) => break,
        }
    }
    let config = Config::builder()
        .endpoint_url(format!("http://{address}"))
        .credentials(Credentials::new("id", "key"))
        .connect_timeout(Duration::from_millis(200))
        .retry(RetryConfig::disabled())
        .build()
        .expect("valid config");
    let error = ServiceClient::new(&config, &SERVICE)
        .call::<_, Output, TestError>(&RUN, &json!({}))
        .await
        .expect_err("cannot connect");
    match &error {
        tencent_cloud::SdkError::Transport(transport) => assert_eq!(
            transport.kind(),
            tencent_cloud::error::TransportErrorKind::Connect,
            "{transport}"
        ),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// A gateway's HTML error page: no envelope, so nothing says whether the backend acted.
fn gateway_timeout() -> Response {
    (
        axum::http::StatusCode::GATEWAY_TIMEOUT,
        [(axum::http::header::CONTENT_TYPE, "text/html")],
        "<html><body>504 Gateway Time-out</body></html>",
    )
        .into_response()
}

/// After a 502/503/504 page the backend may have applied a write: without a ClientToken
/// it is sent once, while a read and a write with a token are still retried.
#[tokio::test]
async fn a_write_is_not_repeated_after_a_gateway_error_page() {
    let (url, log) = server(|_| gateway_timeout()).await;
    let client = ServiceClient::new(&config(&url), &SERVICE);
    // A write without a ClientToken member.
    let error = client
        .call::<_, Output, TestError>(&RUN, &json!({"Zone": "z"}))
        .await
        .expect_err("a gateway error");
    assert!(
        matches!(&error, SdkError::InvalidResponse(invalid) if invalid.status() == 504),
        "{error:?}"
    );
    // The backend may have applied it before the gateway gave up: sending it again could
    // apply it twice.
    assert_eq!(log.lock().unwrap().len(), 1, "the write was sent again");

    // With a ClientToken (here the one the SDK fills in) the API deduplicates, and a
    // read changes nothing: both repeat.
    let tokened = RunInstances {
        zone: Some("z".into()),
        client_token: None,
    };
    client
        .send(&tokened, &CallOptions::new())
        .await
        .expect_err("a gateway error");
    assert_eq!(log.lock().unwrap().len(), 1 + 3, "a token: repeated");
    client
        .call::<_, Output, TestError>(&DESCRIBE, &json!({}))
        .await
        .expect_err("a gateway error");
    assert_eq!(log.lock().unwrap().len(), 4 + 3, "a read: repeated");
}

/// SignatureExpire whose `Date` is the last second HTTP dates can express.
fn expired_in_9999() -> Response {
    let mut response = error("AuthFailure.SignatureExpire");
    response.headers_mut().insert(
        axum::http::header::DATE,
        axum::http::HeaderValue::from_static("Fri, 31 Dec 9999 23:59:59 GMT"),
    );
    response
}

/// A `Date` beyond `MAX_CLOCK_CORRECTION` is a typed error, the request is not re-sent
/// with it, and later requests keep the local clock.
#[tokio::test]
async fn a_server_date_beyond_the_correction_bound_is_refused_not_adopted() {
    let (url, log) = server(|n| match n {
        0 => expired_in_9999(),
        _ => success(),
    })
    .await;
    let client = ServiceClient::new(&config(&url), &SERVICE);
    let error = client
        .call::<_, Output, TestError>(&DESCRIBE, &json!({}))
        .await
        .expect_err("the offset is refused");
    match &error {
        SdkError::ClockSkew(skew) => {
            assert!(
                skew.offset_secs() > tencent_cloud::config::MAX_CLOCK_CORRECTION.as_secs() as i64
            );
            assert_eq!(skew.server_date(), "Fri, 31 Dec 9999 23:59:59 GMT");
            assert_eq!(skew.request_id(), "r-err");
        }
        other => panic!("expected a clock-skew error, got {other:?}"),
    }
    assert_eq!(error.request_id(), Some("r-err"));
    let text = error.to_string();
    assert!(
        text.contains("9999") && text.contains("ahead of the local clock"),
        "{text}"
    );
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "re-sent with the server's time"
    );

    // The next call is signed on the local clock, not for the year 9999.
    client
        .call::<_, Output, TestError>(&DESCRIBE, &json!({}))
        .await
        .expect("the local clock is right");
    let log = log.lock().unwrap();
    let timestamp: i64 = header(&log[1], "x-tc-timestamp")
        .parse()
        .expect("timestamp");
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    assert!((timestamp - now).abs() < 60, "signed for {timestamp}");
}
