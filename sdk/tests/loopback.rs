//! `ServiceClient::call` against a minimal HTTP/1.1 server on 127.0.0.1: the headers on the
//! wire, the signature over exactly the bytes sent, and how answers map to results.

use std::collections::HashMap;
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use tencent_cloud::__rt::{ActionInfo, ServiceClient, ServiceInfo};
use tencent_cloud::error::TransportErrorKind;
use tencent_cloud::signing::{Payload, SignableRequest, sign};
use tencent_cloud::{CallOptions, Config, Credentials, CredentialsError, RetryConfig, SdkError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod common;
use common::TestError;

static SERVICE: ServiceInfo = ServiceInfo {
    name: "edgezone",
    version: "2026-04-01",
    default_host: "edgezone.intl.tencentcloudapi.com",
};

static ACTION: ActionInfo = ActionInfo {
    name: "ReleasePublicIp",
    rate_limit: Some(20),
    skip_sign: false,
    read: false,
};

static UNSIGNED: ActionInfo = ActionInfo {
    name: "AssumeRoleWithWebIdentity",
    rate_limit: None,
    skip_sign: true,
    read: false,
};

#[derive(Debug, Deserialize)]
struct Output {
    #[serde(rename = "RequestId")]
    request_id: String,
}

struct Received {
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Received {
    fn json_body(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }

    fn timestamp(&self) -> i64 {
        self.headers["x-tc-timestamp"].parse().expect("integer")
    }
}

/// Serves one request with `status` and `body`, and hands back what it received.
async fn serve_once(
    status: u16,
    body: &'static str,
) -> (String, tokio::task::JoinHandle<Received>) {
    serve_raw(http_answer(status, "application/json", body)).await
}

/// Serves one request with `response`, status line and headers included.
async fn serve_raw(response: Vec<u8>) -> (String, tokio::task::JoinHandle<Received>) {
    let (url, handle) = serve_each(vec![response]).await;
    let handle = tokio::spawn(async move {
        let mut received = handle.await.expect("server");
        received.pop().expect("one request")
    });
    (url, handle)
}

/// Serves one request per response, one connection each, in order, and hands back what
/// it received.
async fn serve_each(responses: Vec<Vec<u8>>) -> (String, tokio::task::JoinHandle<Vec<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = tokio::spawn(async move {
        let mut received = Vec::new();
        for response in responses {
            let (mut stream, _) = listener.accept().await.expect("accept");
            received.push(read_request(&mut stream).await);
            // The client may hang up once it has seen enough.
            let _ = stream.write_all(&response).await;
        }
        received
    });
    (url, handle)
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Received {
    let mut buffer = Vec::new();
    let header_end = loop {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "client closed early");
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
    };
    let head = String::from_utf8(buffer[..header_end].to_vec()).expect("ASCII head");
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers["content-length"].parse().expect("length");
    let mut request_body = buffer[header_end + 4..].to_vec();
    while request_body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.expect("read");
        request_body.extend_from_slice(&chunk[..n]);
    }
    Received {
        headers,
        body: request_body,
    }
}

/// A complete HTTP/1.1 answer that closes the connection.
fn http_answer(status: u16, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn config(url: &str, credentials: Credentials) -> Config {
    Config::builder()
        .endpoint_url(url)
        .region("ap-singapore")
        .credentials(credentials)
        .build()
        .expect("valid config")
}

#[tokio::test]
async fn sends_signed_headers_and_decodes_success() {
    let (url, server) = serve_once(200, r#"{"Response":{"RequestId":"req-ok"}}"#).await;
    let credentials = Credentials::new("AKIDtest", "secret").with_token("session-token");
    let client = ServiceClient::new(&config(&url, credentials.clone()), &SERVICE);
    let input = json!({"NetworkInstanceId": "epn-1", "IpList": ["226.10.12.3"], "Name": "未命名"});

    let out: Output = client
        .call::<_, _, TestError>(&ACTION, &input)
        .await
        .expect("success");
    assert_eq!(out.request_id, "req-ok");

    let received = server.await.expect("server");
    let header = |name: &str| received.headers.get(name).map(String::as_str);
    let host = url.trim_start_matches("http://");
    assert_eq!(header("host"), Some(host));
    assert_eq!(header("content-type"), Some("application/json"));
    assert_eq!(header("x-tc-action"), Some("ReleasePublicIp"));
    assert_eq!(header("x-tc-version"), Some("2026-04-01"));
    assert_eq!(header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(header("x-tc-language"), Some("en-US"));
    assert_eq!(header("x-tc-token"), Some("session-token"));
    assert!(header("x-tc-requestclient").is_some_and(|v| v.starts_with("tencent-cloud-rust/")));
    assert_eq!(received.json_body(), input);

    let timestamp = received.timestamp();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    assert!((now - timestamp).abs() < 60, "{timestamp} vs {now}");
    let request = SignableRequest {
        host,
        content_type: "application/json",
        payload: Payload::Bytes(&received.body),
    };
    let expected = sign(&request, &credentials, timestamp, "edgezone").expect("in range");
    assert_eq!(header("authorization"), Some(expected.authorization()));
}

#[tokio::test]
async fn unsigned_payload_signs_the_literal_and_says_so() {
    let (url, server) = serve_once(200, r#"{"Response":{"RequestId":"req-ok"}}"#).await;
    let credentials = Credentials::new("AKIDtest", "secret");
    let config = Config::builder()
        .endpoint_url(&url)
        .region("ap-singapore")
        .credentials(credentials.clone())
        .unsigned_payload(true)
        .build()
        .expect("valid config");
    let input = json!({"NetworkInstanceId": "epn-1"});
    ServiceClient::new(&config, &SERVICE)
        .call::<_, Output, TestError>(&ACTION, &input)
        .await
        .expect("success");

    let received = server.await.expect("server");
    let header = |name: &str| received.headers.get(name).map(String::as_str);
    assert_eq!(header("x-tc-content-sha256"), Some("UNSIGNED-PAYLOAD"));
    assert_eq!(received.json_body(), input);
    let timestamp = received.timestamp();
    let request = |payload| SignableRequest {
        host: url.trim_start_matches("http://"),
        content_type: "application/json",
        payload,
    };
    let unsigned = sign(
        &request(Payload::Unsigned),
        &credentials,
        timestamp,
        "edgezone",
    );
    let hashed = sign(
        &request(Payload::Bytes(&received.body)),
        &credentials,
        timestamp,
        "edgezone",
    );
    assert_eq!(
        header("authorization"),
        Some(unsigned.expect("in range").authorization())
    );
    assert_ne!(
        header("authorization"),
        Some(hashed.expect("in range").authorization())
    );
}

#[tokio::test]
async fn error_envelope_with_400_is_a_service_error() {
    let (url, server) = serve_once(
        400,
        r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"RequestId":"req-err"}}"#,
    )
    .await;
    let client = ServiceClient::new(&config(&url, Credentials::new("id", "key")), &SERVICE);
    let error = client
        .call::<_, Output, TestError>(&ACTION, &json!({}))
        .await
        .expect_err("service error");
    assert_eq!(error.code(), Some("AuthFailure.SignatureExpire"));
    assert_eq!(error.request_id(), Some("req-err"));
    assert_eq!(
        error.to_string(),
        "AuthFailure.SignatureExpire: expired (RequestId: req-err)"
    );
    let received = server.await.expect("server");
    assert!(!received.headers.contains_key("x-tc-token"));
}

#[tokio::test]
async fn skip_sign_sends_skip_without_credentials() {
    let (url, server) = serve_once(200, r#"{"Response":{"RequestId":"req-skip"}}"#).await;
    let config = Config::builder()
        .endpoint_url(&url)
        .build()
        .expect("valid config");
    let client = ServiceClient::new(&config, &SERVICE);
    let out: Output = client
        .call::<_, _, TestError>(&UNSIGNED, &json!({}))
        .await
        .expect("success");
    assert_eq!(out.request_id, "req-skip");
    let received = server.await.expect("server");
    assert_eq!(
        received.headers.get("authorization").map(String::as_str),
        Some("SKIP")
    );
    assert!(!received.headers.contains_key("x-tc-region"));
}

#[tokio::test]
async fn signed_call_without_provider_is_a_credentials_error() {
    let config = Config::builder()
        .endpoint_url("http://127.0.0.1:9")
        .build()
        .expect("valid config");
    let error = ServiceClient::new(&config, &SERVICE)
        .call::<_, Output, TestError>(&ACTION, &json!({}))
        .await
        .expect_err("no credentials");
    assert!(
        matches!(
            error,
            SdkError::Credentials(CredentialsError::NotConfigured)
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn unreachable_endpoint_is_a_transport_error() {
    // Bind then drop, so the port is (almost certainly) closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let config = Config::builder()
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials(Credentials::new("id", "key"))
        .connect_timeout(Duration::from_secs(2))
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("valid config");
    let error = ServiceClient::new(&config, &SERVICE)
        .call::<_, Output, TestError>(&ACTION, &json!({}))
        .await
        .expect_err("nothing listens");
    match &error {
        SdkError::Transport(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::Connect, "{error}")
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn request_timeout_is_reported_as_such() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    // Accept and never answer.
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("accept");
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    });
    let config = Config::builder()
        .endpoint_url(url)
        .credentials(Credentials::new("id", "key"))
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .expect("valid config");
    let error = ServiceClient::new(&config, &SERVICE)
        .call::<_, Output, TestError>(&ACTION, &json!({}))
        .await
        .expect_err("timeout");
    assert!(
        matches!(&error, SdkError::Transport(t) if t.kind() == TransportErrorKind::Timeout),
        "{error:?}"
    );
    server.abort();
}

#[tokio::test]
async fn html_error_page_is_an_invalid_response() {
    let (url, _server) = serve_once(502, "<html>Bad Gateway</html>").await;
    let client = ServiceClient::new(&config(&url, Credentials::new("id", "key")), &SERVICE);
    // A gateway error is retried; with retries off, the caller sees what it said.
    let error = client
        .call_with::<_, Output, TestError>(&ACTION, &json!({}), &CallOptions::new().retry(false))
        .await
        .expect_err("invalid response");
    let text = error.to_string();
    assert!(
        text.contains("HTTP 502") && text.contains("not JSON") && text.contains("Bad Gateway"),
        "{text}"
    );
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_refused_unread() {
    let padding = "x".repeat(5000);
    let body = format!(r#"{{"Response":{{"RequestId":"r-1","Padding":"{padding}"}}}}"#);
    let declared = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    // Without a length, in chunks: the limit is found while reading.
    let chunked = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x}\r\n{body}\r\n0\r\n\r\n",
        body.len()
    );
    for (framing, response) in [("declared", declared), ("chunked", chunked)] {
        for (limit, fits) in [(body.len(), true), (4096, false)] {
            let (url, _server) = serve_raw(response.clone().into_bytes()).await;
            let config = Config::builder()
                .endpoint_url(&url)
                .region("ap-singapore")
                .credentials(Credentials::new("id", "key"))
                .max_response_size(limit)
                .build()
                .expect("valid config");
            let client = ServiceClient::new(&config, &SERVICE);
            let result = client
                .call::<_, Output, TestError>(&ACTION, &json!({}))
                .await;
            match result {
                Ok(output) => {
                    assert!(fits, "{framing}: over the limit but accepted");
                    assert_eq!(output.request_id, "r-1");
                }
                Err(SdkError::InvalidResponse(invalid)) => {
                    assert!(!fits, "{framing}: within the limit but refused: {invalid}");
                    assert!(
                        invalid.problem().contains("limit of 4096 bytes"),
                        "{invalid}"
                    );
                    assert_eq!(invalid.body_excerpt(), None);
                }
                Err(other) => panic!("{framing}, limit {limit}: {other:?}"),
            }
        }
    }
}

/// Calls ReleasePublicIp of `service` (no endpoint, so its default host) and returns the
/// InvalidRequest it must be refused with before anything is sent.
async fn refused_for(service: &'static ServiceInfo) -> tencent_cloud::error::InvalidRequest {
    let config = Config::builder()
        .region("ap-singapore")
        .credentials(Credentials::new("id", "key"))
        .build()
        .expect("valid config");
    match ServiceClient::new(&config, service)
        .call::<_, Output, TestError>(&ACTION, &json!({}))
        .await
    {
        Err(SdkError::InvalidRequest(invalid)) => invalid,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn a_service_whose_host_or_version_cannot_be_sent_is_refused_before_sending() {
    static BAD_HOST: ServiceInfo = ServiceInfo {
        name: "edgezone",
        version: "2026-04-01",
        default_host: "not a host",
    };
    let invalid = refused_for(&BAD_HOST).await;
    assert_eq!(invalid.field(), Some("Host"));
    assert!(invalid.to_string().contains("not a host"), "{invalid}");

    static BAD_VERSION: ServiceInfo = ServiceInfo {
        name: "edgezone",
        version: "2026-04-01\n",
        default_host: "edgezone.intl.tencentcloudapi.com",
    };
    let invalid = refused_for(&BAD_VERSION).await;
    assert_eq!(invalid.action(), "ReleasePublicIp");
    assert_eq!(invalid.field(), Some("X-TC-Version"));
}

/// A server that answers every request with a success envelope and counts the
/// connections it accepts: where a followed redirect would land.
async fn elsewhere() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = [0u8; 65536];
                let _ = stream.read(&mut buffer).await;
                let body = r#"{"Response":{"RequestId":"req-elsewhere"}}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    (url, accepted)
}

/// API 3.0 never redirects. A followed redirect would carry the token (and on 307/308 the
/// signed body) to another host, and on 301/302 come back as a GET's false success; the
/// SDK must return the 3xx as a typed error, at once, and ask nothing of its target.
#[tokio::test]
async fn a_redirect_is_refused_not_followed() {
    let (target, accepted) = elsewhere().await;
    for status in [301, 302, 303, 307, 308] {
        let location = format!("{target}/moved");
        let (url, server) = serve_raw(
            format!(
                "HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n\
                 Connection: close\r\n\r\n"
            )
            .into_bytes(),
        )
        .await;
        let credentials = Credentials::new("AKIDtest", "secret").with_token("session-token");
        let config = Config::builder()
            .endpoint_url(&url)
            .region("ap-singapore")
            .credentials(credentials)
            .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(10)))
            .build()
            .expect("valid config");
        let error = ServiceClient::new(&config, &SERVICE)
            .call::<_, Output, TestError>(&ACTION, &json!({"NetworkInstanceId": "epn-1"}))
            .await
            .expect_err("a redirect is no answer");
        match &error {
            SdkError::Redirect(redirect) => {
                assert_eq!(redirect.status(), status);
                assert_eq!(redirect.location(), Some(location.as_str()));
            }
            other => panic!("{status}: expected a redirect error, got {other:?}"),
        }
        let text = error.to_string();
        assert!(
            text.contains(&status.to_string()) && text.contains(&location),
            "{status}: {text}"
        );
        let debug = format!("{error:?}");
        for secret in ["session-token", "secret"] {
            assert!(!text.contains(secret) && !debug.contains(secret), "{debug}");
        }
        // It served one connection: a retry would have found the port closed and ended
        // in a connect error instead.
        server.await.expect("the first server was asked once");
    }
    assert_eq!(
        accepted.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "a redirect was followed"
    );
}

static DESCRIBE: ActionInfo = ActionInfo {
    name: "DescribePublicIps",
    rate_limit: None,
    skip_sign: false,
    read: true,
};

#[tokio::test]
async fn each_call_sends_a_fresh_uuid_trace_id_and_its_error_names_it() {
    let error_body =
        r#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r"}}"#;
    let (url, server) = serve_each(vec![
        http_answer(200, "application/json", error_body),
        http_answer(200, "application/json", error_body),
    ])
    .await;
    let config = Config::builder()
        .endpoint_url(&url)
        .credentials(Credentials::new("id", "key"))
        .retry(RetryConfig::disabled())
        .build()
        .expect("valid config");
    let client = ServiceClient::new(&config, &SERVICE);
    let mut trace_ids = Vec::new();
    for _ in 0..2 {
        let error = client
            .call::<_, Output, TestError>(&DESCRIBE, &json!({}))
            .await
            .expect_err("service error");
        trace_ids.push(error.trace_id().expect("a sent call has one").to_owned());
    }
    let received = server.await.expect("server");
    for (sent, reported) in received.iter().zip(&trace_ids) {
        assert_eq!(&sent.headers["x-tc-traceid"], reported);
        let uuid = uuid::Uuid::parse_str(reported).expect("a UUID");
        assert_eq!(uuid.get_version_num(), 4, "random: {reported}");
    }
    assert_ne!(trace_ids[0], trace_ids[1], "one per call");
}

#[tokio::test]
async fn every_attempt_of_a_call_sends_its_trace_id_and_headers() {
    let gateway_page = http_answer(503, "text/html", "<html>busy</html>");
    let (url, server) = serve_each(vec![
        gateway_page,
        http_answer(
            200,
            "application/json",
            r#"{"Response":{"RequestId":"req-ok"}}"#,
        ),
    ])
    .await;
    let credentials = Credentials::new("AKIDtest", "secret");
    let config = Config::builder()
        .endpoint_url(&url)
        .credentials(credentials.clone())
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(1)))
        .build()
        .expect("valid config");
    let options = CallOptions::new()
        .trace_id("app-trace-7")
        .header("X-App-Tenant", "blue")
        .header("X-App-Tenant", "green");
    let output = ServiceClient::new(&config, &SERVICE)
        .call_with::<_, Output, TestError>(&DESCRIBE, &json!({"Limit": 1}), &options)
        .await
        .expect("retried after the gateway page");
    assert_eq!(output.request_id, "req-ok");
    let received = server.await.expect("server");
    assert_eq!(received.len(), 2);
    for attempt in &received {
        assert_eq!(attempt.headers["x-tc-traceid"], "app-trace-7");
        // The map keeps the last of a repeated header; both values are sent.
        assert_eq!(attempt.headers["x-app-tenant"], "green");
        // The caller's headers are not signed: the signature is the one over
        // Content-Type and Host alone.
        let host = url.trim_start_matches("http://");
        let request = SignableRequest {
            host,
            content_type: "application/json",
            payload: Payload::Bytes(&attempt.body),
        };
        let timestamp = attempt.timestamp();
        let expected = sign(&request, &credentials, timestamp, "edgezone").expect("in range");
        assert_eq!(attempt.headers["authorization"], expected.authorization());
    }
}

#[tokio::test]
async fn a_header_the_sdk_sets_or_http_forbids_is_refused_before_sending() {
    // Nothing listens: a refused call must not even try to connect.
    let config = config("http://127.0.0.1:9", Credentials::new("id", "key"));
    let client = ServiceClient::new(&config, &SERVICE);
    for (options, names) in [
        (
            CallOptions::new().header("Host", "elsewhere.example"),
            "\"Host\"",
        ),
        (
            CallOptions::new().header("authorization", "x"),
            "\"authorization\"",
        ),
        (
            CallOptions::new().header("X-TC-Action", "Other"),
            "\"X-TC-Action\"",
        ),
        (
            CallOptions::new().header("X-TC-TraceId", "t"),
            "\"X-TC-TraceId\"",
        ),
        (CallOptions::new().header("bad name", "x"), "\"bad name\""),
        (CallOptions::new().header("X-Ok", "line\nbreak"), "\"X-Ok\""),
        (CallOptions::new().trace_id("two\nlines"), "X-TC-TraceId"),
    ] {
        let error = client
            .call_with::<_, Output, TestError>(&DESCRIBE, &json!({}), &options)
            .await
            .expect_err("refused");
        let SdkError::InvalidRequest(refused) = &error else {
            panic!("not refused before sending: {error:?}");
        };
        assert!(
            error.to_string().contains(names),
            "{names} not named in: {error}"
        );
        assert_eq!(refused.action(), "DescribePublicIps");
        assert_eq!(error.trace_id(), None, "nothing was sent");
    }
}

#[test]
fn call_options_debug_shows_header_names_not_values() {
    let options = CallOptions::new().header("X-Proxy-Authorization", "proxy-secret");
    let debug = format!("{options:?}");
    assert!(debug.contains("X-Proxy-Authorization"), "{debug}");
    assert!(!debug.contains("proxy-secret"), "{debug}");
}
