//! Everything the SDK and its HTTP stack log at TRACE level, during a whole run with
//! temporary credentials (fetched from a metadata server, used against the emulator with
//! retries, clock-skew correction and errors), contains none of the secrets. One test in
//! its own binary, because it installs the global subscriber.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::json;
use tencent_cloud::__rt::{ActionInfo, ServiceClient, ServiceInfo};
use tencent_cloud::{CallOptions, Config, CvmRoleProvider, RetryConfig};
use tencent_cloud_emulator::{Emulator, Fault, FaultKind, credentials};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

mod common;
use common::TestError;

static SERVICE: ServiceInfo = ServiceInfo {
    name: "edgezone",
    version: "2026-04-01",
    default_host: "edgezone.intl.tencentcloudapi.com",
};

static DESCRIBE: ActionInfo = ActionInfo {
    name: "DescribePublicNetworkInstances",
    rate_limit: None,
    skip_sign: false,
    read: true,
};

static RELEASE: ActionInfo = ActionInfo {
    name: "ReleasePublicIp",
    rate_limit: Some(20),
    skip_sign: false,
    read: false,
};

#[derive(Debug, Deserialize)]
struct Output {}

/// Collects every formatted line.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

async fn metadata_server() -> String {
    let credential = credentials::TEMPORARY;
    let app = axum::Router::new().fallback(move || async move {
        let expires = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_secs()
            + 3600;
        axum::Json(json!({
            "TmpSecretId": credential.secret_id,
            "TmpSecretKey": credential.secret_key,
            "Token": credential.token,
            "ExpiredTime": expires,
            "Code": "Success",
        }))
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_output_of_a_whole_run_contains_no_secret() {
    let buffer = Buffer::default();
    // Everything at TRACE, including reqwest's `log` records through the log bridge that
    // `try_init` installs; only the emulator's own server-side logs are left out.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "trace,tencent_cloud_emulator=off",
        ))
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .try_init()
        .expect("the only subscriber of this binary");

    let emulator = Emulator::start().await.expect("emulator starts");
    let config = Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(
            CvmRoleProvider::builder()
                .metadata_url(metadata_server().await)
                .role("emulator-role")
                .build(),
        )
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("valid config");
    let client = ServiceClient::new(&config, &SERVICE);
    let describe_input = json!({"Limit": 10});
    let release_input =
        json!({"NetworkInstanceId": "epn-x", "Type": "ipv4", "IpList": ["203.0.113.9"]});
    let describe = || client.call::<_, Output, TestError>(&DESCRIBE, &describe_input);
    let release = || client.call::<_, Output, TestError>(&RELEASE, &release_input);

    describe().await.expect("success");
    for kind in [
        FaultKind::RequestLimitExceeded,
        FaultKind::ServerError { status: 503 },
        FaultKind::DropConnection,
        FaultKind::TruncatedBody,
    ] {
        emulator
            .inject_fault(Fault::new(kind).for_action(DESCRIBE.name))
            .expect("fault");
        describe().await.expect("retried");
    }
    emulator.set_clock_offset_secs(600).expect("in range");
    describe().await.expect("clock skew corrected");
    release().await.expect_err("business error");
    emulator
        .inject_fault(Fault::new(FaultKind::DropConnection).for_action(RELEASE.name))
        .expect("fault");
    release().await.expect_err("lost connection, not retried");
    // A trace ID and a header of the caller's own, whose value is a secret of theirs.
    let options = CallOptions::new()
        .trace_id("trace-in-the-log")
        .header("X-Proxy-Authorization", "proxy-secret-value");
    let error = client
        .call_with::<_, Output, TestError>(&RELEASE, &release_input, &options)
        .await
        .expect_err("business error");
    assert_eq!(error.trace_id(), Some("trace-in-the-log"));

    let output = String::from_utf8(buffer.0.lock().unwrap().clone()).expect("UTF-8");
    let secret = credentials::TEMPORARY;
    for (what, value) in [
        ("secret key", secret.secret_key),
        ("token", secret.token.expect("temporary")),
        ("authorization algorithm", "TC3-HMAC-SHA256"),
        ("authorization credential", "Credential="),
        ("authorization signature", "Signature="),
        ("request body member", "NetworkInstanceId"),
        ("request body value", "203.0.113.9"),
        ("caller's header value", "proxy-secret-value"),
    ] {
        assert!(!output.contains(value), "the {what} was logged:\n{output}");
    }

    // And the log is useful: spans with their fields, attempts, RequestIds, reqwest's own.
    for expected in [
        "tencent_cloud.call",
        "service=\"edgezone\"",
        "action=\"DescribePublicNetworkInstances\"",
        "region=\"ap-singapore\"",
        "trace_id=\"trace-in-the-log\"",
        "attempt=2",
        "request_id=",
        "retrying",
        "offset_secs=",
        "credentials refreshed",
        "reqwest",
    ] {
        assert!(output.contains(expected), "no {expected:?} in:\n{output}");
    }
}
