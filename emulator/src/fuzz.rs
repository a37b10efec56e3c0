//! The fuzzing entry to the request path (hidden; used by `fuzz/` and the stable smoke in
//! `fuzz-targets`): the bytes a client sends on one HTTP/1.1 connection go through hyper's
//! parser, `handler` and `pipeline` exactly as on a socket, over an in-memory duplex pipe.
//!
//! A fuzzer cannot forge an HMAC, so an input may ask to be signed: then the harness
//! rewrites its head with a fresh `X-TC-Timestamp`, a matching `Content-Length` and a valid
//! `Authorization` for the primary test credential, which lets the input reach schema
//! validation and the behaviour models.

use std::sync::Arc;

use http::{HeaderMap, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::accounts::credentials;
use crate::auth::{self, Received};
use crate::clock::utc_date;
use crate::emulator::EmulatorBuilder;
use crate::handler::handle;
use crate::state::Shared;

/// Flag in an input's first byte: sign the request that follows.
pub const SIGN: u8 = 1;

/// One emulator state and runtime, reused across inputs (building the catalog takes far
/// longer than one request).
pub struct Harness {
    shared: Arc<Shared>,
    runtime: tokio::runtime::Runtime,
}

impl Harness {
    /// Defaults as `Emulator::start`, but rate limits off: a fuzzer repeats inputs at a
    /// rate no client could, and a throttled answer would hide what an input reaches.
    pub fn new() -> Harness {
        let shared = EmulatorBuilder::default()
            .rate_limits(false)
            .shared()
            .expect("the embedded schema loads");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime builds");
        Harness {
            shared: Arc::new(shared),
            runtime,
        }
    }

    /// Serves `input` (a flags byte, then what the client sends) on one connection and
    /// returns what the server sent back. Panics if a request handler panicked, which the
    /// server would otherwise turn into an InternalError answer.
    pub fn request(&self, input: &[u8]) -> Vec<u8> {
        let Some((&flags, raw)) = input.split_first() else {
            return Vec::new();
        };
        let sent = if flags & SIGN != 0 {
            sign(raw, self.shared.clock.unix_secs()).unwrap_or_else(|| raw.to_vec())
        } else {
            raw.to_vec()
        };
        let answer = self
            .runtime
            .block_on(exchange(Arc::clone(&self.shared), sent));
        // What one input configured through the admin routes must not leak into the next:
        // a delay fault would stall every later input.
        self.shared.faults.clear();
        let _ = self.shared.clock.set_offset_secs(0);
        let text = String::from_utf8_lossy(&answer);
        assert!(
            !text.contains("The emulator failed while handling this request."),
            "a request handler panicked"
        );
        answer
    }
}

impl Default for Harness {
    fn default() -> Self {
        Harness::new()
    }
}

/// One connection: the client writes `sent` and closes its side while it reads the answer
/// (concurrently, so that neither side waits on a full pipe).
async fn exchange(shared: Arc<Shared>, sent: Vec<u8>) -> Vec<u8> {
    let (client, server) = tokio::io::duplex(64 * 1024);
    let service = service_fn(move |request| handle(Arc::clone(&shared), request));
    // One request per connection: an admin route's fault cannot reach a later request.
    // The client closes its side once it has sent everything: still answer (half close).
    let connection = http1::Builder::new()
        .keep_alive(false)
        .half_close(true)
        .serve_connection(TokioIo::new(server), service);
    let (mut reader, mut writer) = tokio::io::split(client);
    let write = async move {
        let _ = writer.write_all(&sent).await;
        let _ = writer.shutdown().await;
    };
    let read = async move {
        let mut answer = Vec::new();
        let _ = reader.read_to_end(&mut answer).await;
        answer
    };
    let (_, _, answer) = tokio::join!(connection, write, read);
    answer
}

/// `raw` with its head rewritten to carry a valid signature, or `None` when it has no
/// head this can sign (no blank line, or a header hyper would refuse anyway).
fn sign(raw: &[u8], now: i64) -> Option<Vec<u8>> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?;
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));

    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let name = HeaderName::from_bytes(name.trim().as_bytes()).ok()?;
        if matches!(
            name.as_str(),
            "authorization" | "x-tc-timestamp" | "content-length" | "transfer-encoding"
        ) {
            continue;
        }
        headers.append(name, HeaderValue::from_str(value.trim()).ok()?);
    }
    let host = auth::header_str(&headers, "host")?;
    let service = host.split('.').next().filter(|s| !s.is_empty())?.to_owned();
    let date = utc_date(now)?;
    headers.insert("x-tc-timestamp", HeaderValue::from(now));
    headers.insert("content-length", HeaderValue::from(body.len()));
    auth::header_str(&headers, "content-type")?;

    let signed = ["content-type", "host"];
    let received = Received {
        method,
        path,
        query,
        headers: &headers,
        body,
    };
    let canonical = auth::canonical_request(&received, &signed).ok()?;
    let scope = format!("{date}/{service}/tc3_request");
    let to_sign = auth::string_to_sign(&now.to_string(), &scope, &canonical);
    let signature = auth::sign_hex(
        &auth::signing_key(credentials::PRIMARY.secret_key, &date, &service),
        &to_sign,
    );
    let authorization = format!(
        "TC3-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        credentials::PRIMARY.secret_id,
        signed.join(";")
    );
    headers.insert("authorization", HeaderValue::from_str(&authorization).ok()?);

    let mut out = format!("{request_line}\r\n").into_bytes();
    for (name, value) in &headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented ReleasePublicIp, signed by the harness, passes authentication and
    /// validation and is applied by the edgezone model: signing reaches the deep path.
    #[test]
    fn a_signed_example_reaches_the_behaviour_model() {
        let harness = Harness::new();
        let body = r#"{"NetworkInstanceId":"epn-dfghjkl","Type":"ipv4","IpList":["226.10.12.3"]}"#;
        let head = "POST / HTTP/1.1\r\nHost: edgezone.tencentcloudapi.com\r\n\
                    Content-Type: application/json\r\nX-TC-Action: ReleasePublicIp\r\n\
                    X-TC-Version: 2026-04-01\r\nX-TC-Region: ap-singapore\r\n\r\n";
        let mut input = vec![SIGN];
        input.extend_from_slice(head.as_bytes());
        input.extend_from_slice(body.as_bytes());
        let answer = String::from_utf8(harness.request(&input)).expect("UTF-8 answer");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.contains("\"RequestId\""), "{answer}");
        assert!(!answer.contains("\"Error\""), "{answer}");

        // Unsigned, the same bytes are refused at authentication.
        input[0] = 0;
        let answer = String::from_utf8(harness.request(&input)).expect("UTF-8 answer");
        assert!(answer.contains("AuthFailure"), "unsigned: {answer:?}");
    }
}
