//! Start-up cost of the emulator binary (BENCHMARKS.md, "The committed catalog"). For each
//! binary given, `--runs` times (default 5, alternating between the binaries; medians): the
//! time from spawning it to its banner and to its answer to a first request (edgezone
//! DescribeZones), its resident memory then, and after one action of each of 10 more
//! service versions (the largest schemas among them), with the peak. Linux only (reads
//! `/proc/<pid>/status`).
//!
//! ```sh
//! cargo build --release -p tencent-cloud-emulator --bin tencent-cloud-emulator
//! cargo run --release -p tencent-cloud-emulator --example startup_cost -- \
//!     --runs 5 target/release/tencent-cloud-emulator OTHER_BUILD...
//! ```

// The tests' raw client and TC3 signer, so that the figures come from the same requests.
#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Call;
use serde_json::json;
use tencent_cloud_emulator::credentials;
use tokio::runtime::Runtime;

/// `(service, version, action)` with no required parameters, so `{}` is a valid request.
const TEN_SERVICES: [(&str, &str, &str); 10] = [
    ("cvm", "2017-03-12", "DescribeInstances"),
    ("vpc", "2017-03-12", "DescribeVpcs"),
    ("cbs", "2017-03-12", "DescribeDisks"),
    ("clb", "2018-03-17", "DescribeLoadBalancers"),
    ("cdb", "2017-03-20", "DescribeDBInstances"),
    ("tke", "2018-05-25", "DescribeClusters"),
    ("csip", "2022-11-21", "DescribeAIAgentAssetList"),
    ("iss", "2023-05-17", "DescribeDomain"),
    ("teo", "2022-09-01", "DescribeApplicationProxies"),
    ("cwp", "2018-02-28", "DescribeABTestConfig"),
];

struct Run {
    to_banner: Duration,
    to_first_answer: Duration,
    rss_after_start: u64,
    ten_services: Duration,
    rss_after_ten: u64,
    peak_rss: u64,
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 5;
    if let Some(at) = args.iter().position(|a| a == "--runs") {
        runs = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .expect("--runs N");
        args.drain(at..=at + 1);
    }
    assert!(!args.is_empty(), "usage: startup_cost [--runs N] BINARY...");
    println!(
        "binary | runs | to banner | to first answer | RSS after start | 10 services | RSS after 10 | peak RSS"
    );
    // Runs alternate between the binaries, so that other load on the machine falls on all.
    let mut measured: Vec<Vec<Run>> = args.iter().map(|_| Vec::new()).collect();
    for _ in 0..runs {
        for (binary, runs_of_binary) in args.iter().zip(&mut measured) {
            runs_of_binary.push(measure(&runtime, binary));
        }
    }
    for (binary, measured) in args.iter().zip(&measured) {
        let median = |key: &dyn Fn(&Run) -> u128| median(measured.iter().map(key).collect());
        let ms = |d: &Duration| d.as_millis();
        let mib = |kib: u64| u128::from(kib / 1024);
        println!(
            "{binary} | {runs} | {} ms | {} ms | {} MiB | {} ms | {} MiB | {} MiB",
            median(&|r| ms(&r.to_banner)),
            median(&|r| ms(&r.to_first_answer)),
            median(&|r| mib(r.rss_after_start)),
            median(&|r| ms(&r.ten_services)),
            median(&|r| mib(r.rss_after_ten)),
            median(&|r| mib(r.peak_rss)),
        );
    }
}

fn median(mut values: Vec<u128>) -> u128 {
    values.sort_unstable();
    values[values.len() / 2]
}

fn measure(runtime: &Runtime, binary: &str) -> Run {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .args(["--no-rate-limits"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {binary}: {e}"));
    let addr = read_address(&mut child);
    let to_banner = started.elapsed();
    call(runtime, addr, "edgezone", "2026-04-01", "DescribeZones");
    let to_first_answer = started.elapsed();
    let rss_after_start = status_kib(&child, "VmRSS:");

    let before_ten = Instant::now();
    for (service, version, action) in TEN_SERVICES {
        call(runtime, addr, service, version, action);
    }
    let ten_services = before_ten.elapsed();
    let run = Run {
        to_banner,
        to_first_answer,
        rss_after_start,
        ten_services,
        rss_after_ten: status_kib(&child, "VmRSS:"),
        peak_rss: status_kib(&child, "VmHWM:"),
    };
    child.kill().expect("the emulator is still running");
    child.wait().expect("the emulator stops");
    run
}

/// The address in the banner's first line, `... listening on http://127.0.0.1:PORT`.
fn read_address(child: &mut Child) -> SocketAddr {
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut first_line = String::new();
    BufReader::new(stdout)
        .read_line(&mut first_line)
        .expect("the banner is readable");
    let (_, url) = first_line
        .trim()
        .split_once("http://")
        .unwrap_or_else(|| panic!("no endpoint in the banner: {first_line:?}"));
    url.parse().expect("the banner's endpoint is an address")
}

/// Sends one signed request with an empty body and insists on a success.
fn call(runtime: &Runtime, addr: SocketAddr, service: &str, version: &str, action: &str) {
    let call = Call {
        addr,
        action: action.to_owned(),
        version: version.to_owned(),
        body: json!({}).to_string(),
        credential: credentials::PRIMARY,
        secret_key: credentials::PRIMARY.secret_key.to_owned(),
        service: service.to_owned(),
        region: Some("ap-guangzhou".to_owned()),
        timestamp: common::now(),
        host: addr.to_string(),
        unsigned_payload: false,
        authorization: None,
        token: None,
        method: "POST".to_owned(),
        query: String::new(),
        content_type: "application/json".to_owned(),
    };
    let response = runtime.block_on(call.send());
    assert_eq!(
        response.code(),
        None,
        "{service} {action}: {}",
        response.message()
    );
}

/// A `/proc/<pid>/status` field in KiB, e.g. `VmRSS:` (resident now) or `VmHWM:` (peak).
fn status_kib(child: &Child, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .expect("Linux /proc/<pid>/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc status"))
}
