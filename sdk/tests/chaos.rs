//! Chaos at the TCP level (issue 13, item 12): a raw loopback server that misbehaves the
//! ways broken servers, proxies and networks do, after reading a whole request.
//!
//! For each way, with retries on: the call ends within its timeouts with a typed error; a
//! write without a ClientToken (ReleasePublicIp) reaches the server exactly once; and a
//! read reaches it as often as the retry rules say (three times for a lost or garbled
//! answer, once for an answer that is refused as it is), which shows the count would
//! have seen a repeated write.
//!
//! `tokio::time::timeout` around each call only turns a hang into a failure; it is far
//! above the configured timeouts and asserts no speed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use tencent_cloud::__rt::{ActionInfo, ServiceClient, ServiceInfo};
use tencent_cloud::error::TransportErrorKind;
use tencent_cloud::{CallOptions, Config, Credentials, RetryConfig, SdkError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod common;
use common::TestError;

static SERVICE: ServiceInfo = ServiceInfo {
    name: "edgezone",
    version: "2026-04-01",
    default_host: "edgezone.intl.tencentcloudapi.com",
};

/// Not idempotent, and no ClientToken: must never be sent twice.
static WRITE: ActionInfo = ActionInfo {
    name: "ReleasePublicIp",
    rate_limit: None,
    skip_sign: false,
    read: false,
};

static READ: ActionInfo = ActionInfo {
    name: "DescribePublicIps",
    rate_limit: None,
    skip_sign: false,
    read: true,
};

const TOKEN: &str = "chaos-session-token";
const ONE_GIB: u64 = 1 << 30;
/// Ends a hang; no call here should come near it.
const GUARD: Duration = Duration::from_secs(120);
/// How long a server task keeps a connection it has given up on, at most.
const SERVER_HOLD: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug)]
enum Chaos {
    /// Half of a declared body, then a TCP reset.
    ResetMidBody,
    /// A chunked body whose second chunk never comes.
    StallChunkedBody,
    /// The connection closed, with no answer at all.
    CloseAfterRequest,
    /// Bytes that are not HTTP.
    Garbage,
    /// A status line followed by 10,000 header lines.
    TenThousandHeaders,
    /// `Content-Length: 1 GiB`, then that many bytes for as long as the client reads.
    GigabyteDeclared,
    /// 1 GiB in 1 MiB chunks, with no declared length.
    GigabyteChunked,
    /// 307 to another server.
    Redirect,
}

impl Chaos {
    /// Time allowed per attempt: short where the attempt is meant to time out, and
    /// otherwise far above what any answer here takes, so that a loaded machine still
    /// sees the failure under test rather than a timeout.
    fn attempt_timeout(self) -> Duration {
        match self {
            Self::StallChunkedBody => Duration::from_secs(1),
            _ => Duration::from_secs(30),
        }
    }

    /// Whether the call ended with the typed error this misbehaviour must produce.
    fn expected(self, error: &SdkError<TestError>) -> bool {
        let transport = |kind| matches!(error, SdkError::Transport(t) if t.kind() == kind);
        match self {
            Self::StallChunkedBody => transport(TransportErrorKind::Timeout),
            Self::ResetMidBody
            | Self::CloseAfterRequest
            | Self::Garbage
            | Self::TenThousandHeaders => transport(TransportErrorKind::Other),
            Self::GigabyteDeclared | Self::GigabyteChunked => matches!(
                error,
                SdkError::InvalidResponse(invalid)
                    if invalid.problem().contains("max_response_size")
                        && invalid.body_excerpt().is_none()
            ),
            Self::Redirect => matches!(
                error,
                SdkError::Redirect(redirect)
                    if redirect.status() == 307
                        && redirect.location().is_some_and(|l| l.ends_with("/elsewhere"))
            ),
        }
    }

    /// How many times a read reaches the server: a lost, cut or garbled answer is retried
    /// (3 attempts); an oversized body or a redirect is refused as it is.
    fn read_attempts(self) -> usize {
        match self {
            Self::GigabyteDeclared | Self::GigabyteChunked | Self::Redirect => 1,
            _ => 3,
        }
    }
}

/// A loopback server misbehaving as `chaos` on every connection, after reading a whole
/// request; counts the requests it read.
struct Server {
    url: String,
    requests: Arc<AtomicUsize>,
    /// Where `Chaos::Redirect` points; counts the connections it accepted.
    elsewhere: Arc<AtomicUsize>,
}

impl Server {
    async fn start(chaos: Chaos) -> Self {
        let (elsewhere_url, elsewhere) = counting_listener().await;
        let location = format!("{elsewhere_url}/elsewhere");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let counter = Arc::clone(&counter);
                let location = location.clone();
                tokio::spawn(async move {
                    if read_request(&mut stream).await.is_some() {
                        counter.fetch_add(1, Ordering::SeqCst);
                        // The client hangs up when it has seen enough: write errors are
                        // expected and end the misbehaviour.
                        let _ =
                            tokio::time::timeout(SERVER_HOLD, misbehave(chaos, stream, &location))
                                .await;
                    }
                });
            }
        });
        Self {
            url,
            requests,
            elsewhere,
        }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// A listener that accepts and counts connections, and answers none.
async fn counting_listener() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, accepted)
}

/// Reads one request: head, then as many body bytes as `Content-Length` says. `None` if
/// the client went away first.
async fn read_request(stream: &mut TcpStream) -> Option<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buffer.len() - head_end;
    while body < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body += n;
    }
    Some(())
}

async fn misbehave(chaos: Chaos, mut stream: TcpStream, location: &str) -> std::io::Result<()> {
    const PARTIAL: &[u8] = br#"{"Response":{"RequestId":"#;
    match chaos {
        Chaos::ResetMidBody => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
                .await?;
            stream.write_all(PARTIAL).await?;
            stream.flush().await?;
            // Let the client read what was sent, so that the reset comes mid-body.
            tokio::time::sleep(Duration::from_millis(200)).await;
            // SO_LINGER 0: closing sends RST instead of FIN.
            stream.set_zero_linger()?;
            drop(stream);
        }
        Chaos::StallChunkedBody => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .await?;
            stream
                .write_all(format!("{:x}\r\n", PARTIAL.len()).as_bytes())
                .await?;
            stream.write_all(PARTIAL).await?;
            stream.write_all(b"\r\n").await?;
            // Then nothing, until the client gives up and closes.
            let mut sink = [0u8; 1024];
            while stream.read(&mut sink).await? > 0 {}
        }
        Chaos::CloseAfterRequest => drop(stream),
        Chaos::Garbage => {
            let mut garbage = b"\x00\xff\xfeSSH-2.0-not-http\r\n\x1b[2J".to_vec();
            // Deterministic noise: any byte values, no structure.
            let mut state: u32 = 0x9e37_79b9;
            garbage.extend((0..4096).map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state.to_le_bytes()[0]
            }));
            garbage.extend_from_slice(b"\r\n\r\n");
            stream.write_all(&garbage).await?;
        }
        Chaos::TenThousandHeaders => {
            let mut head = String::from("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
            for i in 0..10_000 {
                head.push_str(&format!("X-Chaos-{i}: {i}\r\n"));
            }
            let body = r#"{"Response":{"RequestId":"r-headers"}}"#;
            head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
            stream.write_all(head.as_bytes()).await?;
        }
        Chaos::GigabyteDeclared => {
            stream
                .write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {ONE_GIB}\r\n\r\n"
                    )
                    .as_bytes(),
                )
                .await?;
            let block = vec![b' '; 1 << 20];
            for _ in 0..ONE_GIB >> 20 {
                stream.write_all(&block).await?;
            }
        }
        Chaos::GigabyteChunked => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .await?;
            let mut chunk = format!("{:x}\r\n", 1 << 20).into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', 1 << 20));
            chunk.extend_from_slice(b"\r\n");
            for _ in 0..ONE_GIB >> 20 {
                stream.write_all(&chunk).await?;
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
        Chaos::Redirect => {
            stream
                .write_all(
                    format!(
                        "HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
                    )
                    .as_bytes(),
                )
                .await?;
            let mut sink = [0u8; 1024];
            while stream.read(&mut sink).await? > 0 {}
        }
    }
    Ok(())
}

/// The default `max_response_size` (64 MiB) is kept: it is what stops the gigabyte.
fn client(url: &str, chaos: Chaos) -> ServiceClient {
    let config = Config::builder()
        .endpoint_url(url)
        .region("ap-singapore")
        .credentials(Credentials::new("AKIDchaos", "chaos-secret-key").with_token(TOKEN))
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(10)))
        .attempt_timeout(chaos.attempt_timeout())
        .build()
        .expect("valid config");
    ServiceClient::new(&config, &SERVICE)
}

/// Calls `action` once against a fresh server misbehaving as `chaos`; checks the error
/// and that no secret is in it; returns how many requests the server read.
async fn call(chaos: Chaos, action: &'static ActionInfo) -> usize {
    let server = Server::start(chaos).await;
    let client = client(&server.url, chaos);
    let input = json!({"NetworkInstanceId": "epn-chaos", "IpList": ["226.10.12.3"]});
    let result = tokio::time::timeout(
        GUARD,
        client.call_with::<_, Output, TestError>(action, &input, &CallOptions::new()),
    )
    .await
    .unwrap_or_else(|_| panic!("{chaos:?}: {} hung", action.name));
    let error = match result {
        Ok(output) => panic!("{chaos:?}: {} succeeded: {output:?}", action.name),
        Err(error) => error,
    };
    assert!(
        chaos.expected(&error),
        "{chaos:?}: {}: unexpected error {error:?}",
        action.name
    );
    let shown = format!("{error} {error:?}");
    for secret in [TOKEN, "chaos-secret-key"] {
        assert!(!shown.contains(secret), "{chaos:?}: {shown}");
    }
    assert_eq!(
        server.elsewhere.load(Ordering::SeqCst),
        0,
        "{chaos:?}: a redirect was followed"
    );
    server.requests()
}

#[derive(Debug, Deserialize)]
struct Output {}

async fn check(chaos: Chaos) {
    assert_eq!(
        call(chaos, &WRITE).await,
        1,
        "{chaos:?}: the write did not reach the server exactly once"
    );
    assert_eq!(
        call(chaos, &READ).await,
        chaos.read_attempts(),
        "{chaos:?}: the read's attempts"
    );
}

#[tokio::test]
async fn reset_mid_body() {
    check(Chaos::ResetMidBody).await;
}

#[tokio::test]
async fn stalled_chunked_body() {
    check(Chaos::StallChunkedBody).await;
}

#[tokio::test]
async fn closed_after_reading_the_request() {
    check(Chaos::CloseAfterRequest).await;
}

#[tokio::test]
async fn garbage_instead_of_http() {
    check(Chaos::Garbage).await;
}

#[tokio::test]
async fn ten_thousand_headers() {
    check(Chaos::TenThousandHeaders).await;
}

#[tokio::test]
async fn a_gigabyte_declared() {
    check(Chaos::GigabyteDeclared).await;
}

#[tokio::test]
async fn a_gigabyte_in_chunks() {
    check(Chaos::GigabyteChunked).await;
}

#[tokio::test]
async fn a_redirect() {
    check(Chaos::Redirect).await;
}
