//! The Rust clients of `cargo xtask bench e2e`:
//!
//! ```text
//! bench-client <sdk|minimal|wire> <port> <warm-up calls> <calls> <concurrency>
//! ```
//!
//! `sdk` calls ReleasePublicIp through this SDK's generated client, as a user would.
//! `minimal` is the floor for any Rust SDK: the same request signed by hand (TC3 with the key
//! derived once), sent with the same reqwest client settings, its envelope read by one
//! serde_json pass.
//! `wire` is the floor of the harness itself, not a client: the minimal client's request,
//! signed once, written as fixed bytes on one TCP connection per task, and its answer read
//! up to its Content-Length. No HTTP library and no per-call work are left, only the
//! kernel's loopback path and the server.
//!
//! Both make the warm-up calls, then `calls` calls from `concurrency` tokio tasks, and print
//! the one JSON line every bench client prints (see `xtask/src/bench.rs`): wall time,
//! latency percentiles, and the CPU time and peak RSS of this process from getrusage.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tencent_cloud::edgezone::v20260401::{self as edgezone, IpType};
use tencent_cloud::{Config, Credentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SECRET_ID: &str = "AKIDbenchbenchbenchbenchbenchbench";
const SECRET_KEY: &str = "benchbenchbenchbenchbenchbench00";
const REGION: &str = "ap-singapore";
const INSTANCE: &str = "epn-dfghjkl";
const IPS: [&str; 2] = ["226.10.12.3", "226.10.12.4"];

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, port, warm_up, calls, concurrency] = args.as_slice() else {
        return Err(
            "usage: bench-client <sdk|minimal|wire> <port> <warm-up calls> <calls> <concurrency>"
                .to_owned(),
        );
    };
    let number = |text: &str| {
        text.parse::<usize>()
            .map_err(|_| format!("not a count: {text}"))
    };
    let (warm_up, calls, concurrency) = (number(warm_up)?, number(calls)?, number(concurrency)?);
    if calls == 0 || concurrency == 0 {
        return Err("calls and concurrency must be at least 1".to_owned());
    }
    let endpoint = format!("http://127.0.0.1:{port}");
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let client = Arc::new(match kind.as_str() {
            "sdk" => Client::sdk(&endpoint)?,
            "minimal" => Client::minimal(&endpoint)?,
            "wire" => Client::wire(&endpoint)?,
            _ => return Err(format!("unknown client {kind}: sdk, minimal or wire")),
        });
        drive(&client, warm_up, concurrency).await?;
        let (cpu_before, start) = (cpu_seconds(), Instant::now());
        let mut latencies = drive(&client, calls, concurrency).await?;
        let (seconds, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu_before);
        latencies.sort_unstable();
        let report = serde_json::json!({
            "calls": latencies.len(),
            "seconds": seconds,
            "p50_ms": percentile_ms(&latencies, 0.50),
            "p99_ms": percentile_ms(&latencies, 0.99),
            "cpu_seconds": cpu,
            "max_rss_kib": rusage().ru_maxrss,
        });
        println!("{report}");
        Ok(())
    })
}

/// Makes `calls` calls from `concurrency` tasks; returns each call's latency.
async fn drive(
    client: &Arc<Client>,
    calls: usize,
    concurrency: usize,
) -> Result<Vec<Duration>, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, next) = (Arc::clone(client), Arc::clone(&next));
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    let start = Instant::now();
                    client.call().await?;
                    latencies.push(start.elapsed());
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(calls);
    for task in tasks {
        latencies.extend(task.await.map_err(|e| e.to_string())??);
    }
    Ok(latencies)
}

/// Nearest-rank percentile of sorted latencies, in milliseconds.
fn percentile_ms(sorted: &[Duration], quantile: f64) -> f64 {
    let rank = (quantile * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e3
}

fn rusage() -> libc::rusage {
    // SAFETY: `rusage` is plain integers, for which all-zero is valid, and getrusage only
    // writes into the struct it is given.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    }
}

/// User plus system CPU time of this process so far.
fn cpu_seconds() -> f64 {
    let usage = rusage();
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

enum Client {
    Sdk(edgezone::Client),
    Minimal(Minimal),
    Wire(Wire),
}

impl Client {
    fn sdk(endpoint: &str) -> Result<Self, String> {
        let config = Config::builder()
            .endpoint_url(endpoint)
            .region(REGION)
            .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
            // Pacing to ReleasePublicIp's documented 20 requests/s would measure the pacing.
            .rate_limiting(false)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self::Sdk(edgezone::Client::new(&config)))
    }

    fn minimal(endpoint: &str) -> Result<Self, String> {
        Minimal::new(endpoint).map(Self::Minimal)
    }

    async fn call(&self) -> Result<(), String> {
        match self {
            Self::Sdk(client) => client
                .release_public_ip()
                .network_instance_id(INSTANCE)
                .r#type(IpType::Ipv4)
                .ip_list(IPS)
                .send()
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Self::Minimal(minimal) => minimal.call().await,
            Self::Wire(wire) => wire.call().await,
        }
    }

    fn wire(endpoint: &str) -> Result<Self, String> {
        let minimal = Minimal::new(endpoint)?;
        let (body, timestamp, authorization) = minimal.sign()?;
        let mut request = format!(
            "POST / HTTP/1.1\r\nhost: {}\r\nauthorization: {authorization}\r\n\
             content-type: application/json\r\nx-tc-action: ReleasePublicIp\r\n\
             x-tc-version: 2026-04-01\r\nx-tc-timestamp: {timestamp}\r\n\
             x-tc-region: {REGION}\r\ncontent-length: {}\r\n\r\n",
            minimal.host,
            body.len(),
        )
        .into_bytes();
        request.extend_from_slice(&body);
        Ok(Self::Wire(Wire {
            address: minimal.host,
            request,
            idle: Mutex::default(),
        }))
    }
}

struct Wire {
    address: String,
    /// One request, signed once, sent as is on every call.
    request: Vec<u8>,
    /// Connections between calls; each task takes one, so there are `concurrency` of them.
    idle: Mutex<Vec<TcpStream>>,
}

impl Wire {
    async fn call(&self) -> Result<(), String> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut stream = match idle {
            Some(stream) => stream,
            None => {
                let stream = TcpStream::connect(&self.address)
                    .await
                    .map_err(|e| e.to_string())?;
                stream.set_nodelay(true).map_err(|e| e.to_string())?;
                stream
            }
        };
        stream
            .write_all(&self.request)
            .await
            .map_err(|e| e.to_string())?;
        let mut answer = Vec::with_capacity(512);
        while !complete(&answer)? {
            if stream
                .read_buf(&mut answer)
                .await
                .map_err(|e| e.to_string())?
                == 0
            {
                return Err("the server closed the connection mid-answer".to_owned());
            }
        }
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(stream);
        Ok(())
    }
}

/// Whether `answer` holds a whole `200` response: its head and Content-Length bytes of body.
fn complete(answer: &[u8]) -> Result<bool, String> {
    let Some(head_end) = answer.windows(4).position(|window| window == b"\r\n\r\n") else {
        return Ok(false);
    };
    let head = std::str::from_utf8(&answer[..head_end]).map_err(|e| e.to_string())?;
    if !head.starts_with("HTTP/1.1 200 ") {
        return Err(format!("not a 200 answer: {head}"));
    }
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>())
        })
        .ok_or("the answer has no Content-Length")?
        .map_err(|e| e.to_string())?;
    Ok(answer.len() >= head_end + 4 + length)
}

struct Minimal {
    http: reqwest::Client,
    /// Parsed once; reqwest would parse a string on every call.
    url: reqwest::Url,
    host: String,
    scope: String,
    key: [u8; 32],
}

#[derive(Serialize)]
struct ReleasePublicIp<'a> {
    #[serde(rename = "NetworkInstanceId")]
    network_instance_id: &'a str,
    #[serde(rename = "Type")]
    r#type: &'a str,
    #[serde(rename = "IpList")]
    ip_list: &'a [&'a str],
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Response", borrow)]
    response: Response<'a>,
}

#[derive(Deserialize)]
struct Response<'a> {
    #[serde(rename = "Error", borrow)]
    error: Option<Error<'a>>,
}

#[derive(Deserialize)]
struct Error<'a> {
    #[serde(rename = "Code")]
    code: &'a str,
}

impl Minimal {
    fn new(endpoint: &str) -> Result<Self, String> {
        // The SDK's reqwest settings (rustls, a connect timeout; it times attempts itself),
        // so only the code around reqwest differs.
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        let date = time::OffsetDateTime::now_utc().date();
        Ok(Self {
            http,
            url: reqwest::Url::parse(endpoint).map_err(|e| e.to_string())?,
            host: endpoint.trim_start_matches("http://").to_owned(),
            // Derived once: a run lasts seconds, and the server checks no signature.
            scope: format!("{date}/edgezone/tc3_request"),
            key: key_chain(&date.to_string()),
        })
    }

    /// The body, the timestamp and the `Authorization` value of a request made now.
    fn sign(&self) -> Result<(Vec<u8>, u64, String), String> {
        let body = serde_json::to_vec(&ReleasePublicIp {
            network_instance_id: INSTANCE,
            r#type: "ipv4",
            ip_list: &IPS,
        })
        .map_err(|e| e.to_string())?;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        let canonical_request = format!(
            "POST\n/\n\ncontent-type:application/json\nhost:{}\n\ncontent-type;host\n{}",
            self.host,
            hex::encode(Sha256::digest(&body)),
        );
        let string_to_sign = format!(
            "TC3-HMAC-SHA256\n{timestamp}\n{}\n{}",
            self.scope,
            hex::encode(Sha256::digest(canonical_request.as_bytes())),
        );
        let signature = hex::encode(hmac_sha256(&self.key, string_to_sign.as_bytes()));
        let authorization = format!(
            "TC3-HMAC-SHA256 Credential={SECRET_ID}/{}, SignedHeaders=content-type;host, \
             Signature={signature}",
            self.scope,
        );
        Ok((body, timestamp, authorization))
    }

    async fn call(&self) -> Result<(), String> {
        let (body, timestamp, authorization) = self.sign()?;
        let response = self
            .http
            .post(self.url.clone())
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .header("X-TC-Action", "ReleasePublicIp")
            .header("X-TC-Version", "2026-04-01")
            .header("X-TC-Timestamp", timestamp)
            .header("X-TC-Region", REGION)
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        let envelope: Envelope<'_> = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        match envelope.response.error {
            Some(error) => Err(error.code.to_owned()),
            None => Ok(()),
        }
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn key_chain(date: &str) -> [u8; 32] {
    let secret_date = hmac_sha256(format!("TC3{SECRET_KEY}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, b"edgezone");
    hmac_sha256(&secret_service, b"tc3_request")
}
