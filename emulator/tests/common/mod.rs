//! A raw HTTP/1.1 client and a small TC3 signer for the emulator's tests. Raw so that tests
//! can send malformed requests and observe dropped connections and truncated bodies.

#![allow(dead_code)] // each test file uses a different part

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tencent_cloud_emulator::{Emulator, TestCredential, credentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const SERVICE: &str = "edgezone";
pub const VERSION: &str = "2026-04-01";

/// What came back; `complete` is false when the body is shorter than its Content-Length.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub complete: bool,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The error code, or `None` for a success envelope.
    pub fn code(&self) -> Option<String> {
        self.json()["Response"]["Error"]["Code"]
            .as_str()
            .map(str::to_owned)
    }

    pub fn message(&self) -> String {
        self.json()["Response"]["Error"]["Message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn request_id(&self) -> String {
        self.json()["Response"]["RequestId"]
            .as_str()
            .expect("every envelope has a RequestId")
            .to_owned()
    }

    /// The success members; panics with the error if it is one.
    pub fn ok(&self) -> Value {
        assert_eq!(self.code(), None, "unexpected error: {}", self.message());
        self.json()["Response"].clone()
    }
}

/// One API request, signed with TC3 unless told otherwise.
#[derive(Clone)]
pub struct Call {
    pub addr: SocketAddr,
    pub action: String,
    pub version: String,
    pub body: String,
    pub credential: TestCredential,
    /// Signing key, normally the credential's.
    pub secret_key: String,
    pub service: String,
    pub region: Option<String>,
    pub timestamp: i64,
    pub host: String,
    pub unsigned_payload: bool,
    /// Replaces the computed Authorization header (`Some("")` omits it).
    pub authorization: Option<String>,
    pub token: Option<String>,
    /// `POST` unless a test sends `GET` (parameters in `query`) or something else.
    pub method: String,
    /// The query string, signed as sent (without the `?`).
    pub query: String,
    pub content_type: String,
}

impl Call {
    pub fn new(emulator: &Emulator, action: &str, body: Value) -> Call {
        Call {
            addr: emulator.local_addr(),
            action: action.to_owned(),
            version: VERSION.to_owned(),
            body: body.to_string(),
            credential: credentials::PRIMARY,
            secret_key: credentials::PRIMARY.secret_key.to_owned(),
            service: SERVICE.to_owned(),
            region: Some("ap-singapore".to_owned()),
            timestamp: now(),
            host: emulator.endpoint_host(),
            unsigned_payload: false,
            authorization: None,
            token: None,
            method: "POST".to_owned(),
            query: String::new(),
            content_type: "application/json".to_owned(),
        }
    }

    /// The same call as a GET with `query` as its parameters and no body, signed as the
    /// official Python SDK signs it (content type form-urlencoded, the query string as the
    /// canonical query, the hash of an empty payload).
    pub fn get(mut self, query: &str) -> Call {
        self.method = "GET".to_owned();
        self.query = query.to_owned();
        self.body = String::new();
        self.content_type = "application/x-www-form-urlencoded".to_owned();
        self
    }

    /// The same call as a form-urlencoded POST with `form` as its body.
    pub fn form(mut self, form: &str) -> Call {
        self.body = form.to_owned();
        self.content_type = "application/x-www-form-urlencoded".to_owned();
        self
    }

    pub fn as_(mut self, credential: TestCredential) -> Call {
        self.credential = credential;
        self.secret_key = credential.secret_key.to_owned();
        self.token = credential.token.map(str::to_owned);
        self
    }

    pub fn with(mut self, change: impl FnOnce(&mut Call)) -> Call {
        change(&mut self);
        self
    }

    pub fn authorization_header(&self) -> String {
        let content_type = self.content_type.as_str();
        let payload = if self.unsigned_payload {
            "UNSIGNED-PAYLOAD"
        } else {
            self.body.as_str()
        };
        let canonical = format!(
            "{}\n/\n{}\ncontent-type:{content_type}\nhost:{}\n\ncontent-type;host\n{}",
            self.method,
            self.query,
            self.host.to_ascii_lowercase(),
            hex::encode(Sha256::digest(payload.as_bytes()))
        );
        let date = date_of(self.timestamp);
        let scope = format!("{date}/{}/tc3_request", self.service);
        let to_sign = format!(
            "TC3-HMAC-SHA256\n{}\n{scope}\n{}",
            self.timestamp,
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let mut key = format!("TC3{}", self.secret_key).into_bytes();
        for part in [date.as_str(), self.service.as_str(), "tc3_request"] {
            key = hmac(&key, part.as_bytes());
        }
        format!(
            "TC3-HMAC-SHA256 Credential={}/{scope}, SignedHeaders=content-type;host, Signature={}",
            self.credential.secret_id,
            hex::encode(hmac(&key, to_sign.as_bytes()))
        )
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let target = if self.query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", self.query)
        };
        let mut head = format!(
            "{} {target} HTTP/1.1\r\nHost: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Connection: close\r\nX-TC-Action: {}\r\nX-TC-Version: {}\r\nX-TC-Timestamp: {}\r\n",
            self.method,
            self.host,
            self.content_type,
            self.body.len(),
            self.action,
            self.version,
            self.timestamp
        );
        let authorization = self
            .authorization
            .clone()
            .unwrap_or_else(|| self.authorization_header());
        if !authorization.is_empty() {
            head.push_str(&format!("Authorization: {authorization}\r\n"));
        }
        if let Some(region) = &self.region {
            head.push_str(&format!("X-TC-Region: {region}\r\n"));
        }
        if let Some(token) = &self.token {
            head.push_str(&format!("X-TC-Token: {token}\r\n"));
        }
        if self.unsigned_payload {
            head.push_str("X-TC-Content-SHA256: UNSIGNED-PAYLOAD\r\n");
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(self.body.as_bytes());
        bytes
    }

    pub async fn send(&self) -> RawResponse {
        send_raw(self.addr, &self.to_bytes())
            .await
            .expect("the emulator answers")
    }
}

/// Sends bytes and reads the answer until the server closes (requests say `Connection:
/// close`). Errors when the connection closes without a status line.
pub async fn send_raw(addr: SocketAddr, request: &[u8]) -> std::io::Result<RawResponse> {
    tokio::time::timeout(Duration::from_secs(10), async {
        let mut stream = TcpStream::connect(addr).await?;
        stream.write_all(request).await?;
        let mut received = Vec::new();
        // A reset after a partial answer still leaves what was read.
        let _ = stream.read_to_end(&mut received).await;
        parse_response(&received)
    })
    .await
    .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer within 10 s"))?
}

pub fn parse_response(received: &[u8]) -> std::io::Result<RawResponse> {
    let invalid =
        |what: &str| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, what.to_owned());
    let split = received
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| invalid("no response head"))?;
    let head = String::from_utf8_lossy(&received[..split]).into_owned();
    let body = received[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("bad status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let (body, complete) = if chunked {
        dechunk(&body)
    } else {
        let complete = length.is_none_or(|length| length == body.len());
        (body, complete)
    };
    Ok(RawResponse {
        status,
        headers,
        body,
        complete,
    })
}

/// A chunked body's content, and whether its last (empty) chunk arrived: a body cut short
/// keeps the chunks that arrived whole.
pub fn dechunk(mut raw: &[u8]) -> (Vec<u8>, bool) {
    let mut content = Vec::new();
    loop {
        let Some(line_end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return (content, false);
        };
        let size = std::str::from_utf8(&raw[..line_end])
            .ok()
            .and_then(|size| usize::from_str_radix(size.trim(), 16).ok());
        let Some(size) = size else {
            return (content, false);
        };
        let data = &raw[line_end + 2..];
        if size == 0 {
            return (content, data.starts_with(b"\r\n"));
        }
        if data.len() < size + 2 {
            return (content, false);
        }
        content.extend_from_slice(&data[..size]);
        raw = &data[size + 2..];
    }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

fn date_of(timestamp: i64) -> String {
    // Days since the epoch to a civil date (Howard Hinnant's algorithm), to stay independent
    // of the emulator's own date code.
    let days = timestamp.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// An emulator without rate limits (tests send bursts).
pub async fn emulator() -> Emulator {
    Emulator::builder()
        .rate_limits(false)
        .start()
        .await
        .expect("emulator starts")
}

/// The same without the documentation's example instance, for tests that count everything
/// the primary account has.
pub async fn empty_emulator() -> Emulator {
    Emulator::builder()
        .rate_limits(false)
        .seed_documentation_example(false)
        .start()
        .await
        .expect("emulator starts")
}

/// Creates a STATIC instance for the primary account and returns its id.
pub async fn static_instance(emulator: &Emulator, zone: &str) -> String {
    let body = serde_json::json!({"ZoneId": zone, "NetworkInstanceName": "t", "Line": "BGP", "RouteMode": "static"});
    let response = Call::new(emulator, "CreatePublicNetworkInstance", body)
        .send()
        .await;
    response.ok()["NetworkInstanceId"]
        .as_str()
        .expect("an id")
        .to_owned()
}

/// Applies `count` addresses of `type_` ("ipv4"/"ipv6") to an instance.
pub async fn apply(emulator: &Emulator, instance: &str, type_: &str, count: i64) -> Vec<String> {
    let body = serde_json::json!({"NetworkInstanceId": instance, "Type": type_, "Count": count});
    let response = Call::new(emulator, "ApplyPublicIps", body).send().await;
    serde_json::from_value(response.ok()["IpList"].clone()).expect("a list of strings")
}

#[test]
fn civil_dates() {
    assert_eq!(date_of(1_551_113_065), "2019-02-25");
    assert_eq!(date_of(951_782_400), "2000-02-29");
}

/// An admin route: `(HTTP status, JSON answer)`.
pub async fn admin(emulator: &Emulator, method: &str, route: &str, body: &Value) -> (u16, Value) {
    let body = body.to_string();
    let request = format!(
        "{method} /_emulator/{route} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let response = send_raw(emulator.local_addr(), request.as_bytes())
        .await
        .expect("the admin route answers");
    (response.status, response.json())
}
