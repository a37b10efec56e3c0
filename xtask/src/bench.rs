//! `cargo xtask bench <micro|e2e|build>`: measures, then rewrites the matching section of
//! BENCHMARKS.md (between `<!-- BEGIN <section> -->` and `<!-- END <section> -->`) and the
//! machine description. Numbers are only ever written by these commands. None of them runs
//! in `cargo xtask test` or CI.
//!
//! - `micro [criterion args]`: the criterion benches of `sdk/benches/micro.rs`, as ratios to
//!   their floors.
//! - `e2e [--calls N] [--runs R]`: ReleasePublicIp calls at concurrency 1 and 64 against a
//!   fixed-response loopback server, from four clients, each its own process: this SDK, a
//!   minimal hand-signed reqwest client (both `bench/`, release builds), the official Python
//!   SDK (venv in `target/bench-venv`) and the official Node.js SDK (`target/bench-node`),
//!   plus the harness's floor, a fixed request written on a bare TCP connection. At
//!   concurrency 1 the server and the client share one core (see [`measure_all`]).
//!   Every client prints one JSON line: `calls`, `seconds`, `p50_ms`, `p99_ms`,
//!   `cpu_seconds` (user + system over the measured calls, from getrusage) and
//!   `max_rss_kib` (getrusage).
//! - `build`: clean build time and binary size of the quick start, debug and release.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use crate::process::run_step;

use serde_json::Value;

const USAGE: &str =
    "usage: cargo xtask bench <micro [criterion args] | e2e [--calls N] [--runs R] | build>";
const BENCHMARKS: &str = "BENCHMARKS.md";

/// The official SDKs compared with, pinned so reruns compare the same code.
const PYTHON_PACKAGES: [&str; 2] = [
    "tencentcloud-sdk-python-common==3.1.195",
    "tencentcloud-sdk-python-edgezone==3.1.177",
];
const NODE_PACKAGE: &str = "tencentcloud-sdk-nodejs@4.1.313";

const DEFAULT_CALLS: usize = 20_000;
/// Runs per client and concurrency, interleaved; each row is the median run.
const DEFAULT_RUNS: usize = 5;
/// Calls made before measuring, so connections, pools and JITs are warm.
const WARM_UP_CALLS: usize = 200;
const CONCURRENCIES: [usize; 2] = [1, 64];
/// The harness's own floor (`bench-client wire`): a fixed request on a bare TCP connection.
const WIRE: &str = "wire floor: fixed bytes on TCP";

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let (command, rest) = args.split_first().ok_or(USAGE)?;
    // Other work on the machine slows every number down; the section says how busy it was.
    let load_before = load_average();
    let mut section = match command.as_str() {
        "micro" => micro(root, rest)?,
        "e2e" => e2e(root, rest)?,
        "build" if rest.is_empty() => build(root)?,
        _ => return Err(USAGE.to_owned()),
    };
    section += &format!(
        "\nLoad average (1 minute) before the run: {load_before}; after it: {}.\n",
        load_average()
    );
    print!("{section}");
    write_section(root, command, &section)?;
    write_section(root, "machine", &machine()?)?;
    println!("updated {BENCHMARKS} (sections `{command}` and `machine`)");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// micro

/// (row label, criterion group, SDK bench, floor bench).
const MICRO_ROWS: [(&str, &str, &str, &str); 6] = [
    (
        "sign, key derived every call",
        "sign",
        "sdk_uncached",
        "floor_uncached",
    ),
    ("sign, key cached", "sign", "sdk_cached", "floor_cached"),
    ("serialise the request", "serialize", "sdk", "floor"),
    ("parse a success response", "parse_success", "sdk", "floor"),
    ("parse an error response", "parse_error", "sdk", "floor"),
    (
        "parse a list response (100 instances)",
        "parse_list",
        "sdk",
        "floor",
    ),
];

fn micro(root: &Path, criterion_args: &[String]) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run_step(
        Command::new(cargo)
            .current_dir(root)
            .args([
                "bench",
                "-p",
                "tencent-cloud",
                "--features",
                "edgezone",
                "--bench",
                "micro",
                "--",
            ])
            .args(criterion_args),
        "run the criterion benches",
    )?;
    let criterion = target_dir(root).join("criterion");
    let median_ns = |group: &str, bench: &str| -> Result<f64, String> {
        let path = criterion.join(group).join(bench).join("new/estimates.json");
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let estimates: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        estimates["median"]["point_estimate"]
            .as_f64()
            .ok_or_else(|| format!("{}: no median.point_estimate", path.display()))
    };
    let mut out = String::from(
        "| per call | SDK (median) | floor (median) | SDK ÷ floor |\n|---|---:|---:|---:|\n",
    );
    let mut signing_ratio = 0.0;
    for (label, group, sdk_bench, floor_bench) in MICRO_ROWS {
        let (sdk, floor) = (median_ns(group, sdk_bench)?, median_ns(group, floor_bench)?);
        let ratio = sdk / floor;
        if sdk_bench == "sdk_cached" {
            signing_ratio = ratio;
        }
        out += &format!("| {label} | {sdk:.0} ns | {floor:.0} ns | {ratio:.2}x |\n");
    }
    out += &format!(
        "\nTarget, signing within 1.5x of the cached-key floor: {} ({signing_ratio:.2}x).\n",
        verdict(signing_ratio <= 1.5),
    );
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// e2e

struct Client {
    name: &'static str,
    program: PathBuf,
    /// Arguments before `<port> <warm-up> <calls> <concurrency>`.
    args: Vec<String>,
    env: Vec<(&'static str, PathBuf)>,
}

struct Row {
    client: &'static str,
    concurrency: usize,
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    cpu_per_thousand: f64,
    rss_mib: f64,
}

fn e2e(root: &Path, args: &[String]) -> Result<String, String> {
    let (mut calls, mut runs) = (DEFAULT_CALLS, DEFAULT_RUNS);
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let count = args
            .next()
            .and_then(|count| count.parse().ok())
            .filter(|&count| count > 0)
            .ok_or_else(|| format!("{flag} takes a positive count"))?;
        match flag.as_str() {
            "--calls" => calls = count,
            "--runs" => runs = count,
            _ => return Err(USAGE.to_owned()),
        }
    }
    let clients = prepare_clients(root)?;
    let server = target_dir(root).join("release/bench-server");
    let rows = measure_all(&server, &clients, calls, runs)?;
    Ok(e2e_table(&rows, calls, runs, &versions()?))
}

/// Runs every client `runs` times at each concurrency, interleaved so that a busy moment of
/// the machine does not fall on one client only; keeps each client's median run by
/// requests/s.
///
/// At concurrency 1, the server and the client share one core. Across cores, every call
/// waits for the server to be woken on the other core and then for the client to be woken
/// back, which on this kind of virtual machine costs more than a Rust client's own work for
/// the call, and the same for every client; on one core, a call costs the client's work, the
/// server's and two context switches. At concurrency 64 every process may use every core.
fn measure_all(
    server: &Path,
    clients: &[Client],
    calls: usize,
    runs: usize,
) -> Result<Vec<Row>, String> {
    let shared_core = first_allowed_cpu()?;
    let mut rows = Vec::new();
    for concurrency in CONCURRENCIES {
        let core = (concurrency == 1).then_some(shared_core.as_str());
        let server = Server::start(server, core)?;
        let mut measured: Vec<Vec<Row>> = clients.iter().map(|_| Vec::new()).collect();
        for run in 1..=runs {
            for (client, client_runs) in clients.iter().zip(&mut measured) {
                eprintln!(
                    "e2e: {} at concurrency {concurrency}, {calls} calls, run {run} of {runs}",
                    client.name
                );
                client_runs.push(measure(client, &server.port, calls, concurrency, core)?);
            }
        }
        for mut client_runs in measured {
            client_runs.sort_by(|a, b| a.requests_per_second.total_cmp(&b.requests_per_second));
            rows.push(client_runs.swap_remove(client_runs.len() / 2));
        }
    }
    Ok(rows)
}

/// A running `bench-server`; dropping it stops the server.
struct Server {
    process: Child,
    port: String,
}

impl Server {
    /// Starts the server, on `core` only if one is given.
    fn start(program: &Path, core: Option<&str>) -> Result<Self, String> {
        let mut process = on_core(program, core)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let mut first_line = String::new();
        if let Some(stdout) = process.stdout.take() {
            BufReader::new(stdout)
                .read_line(&mut first_line)
                .map_err(|e| format!("cannot read the server's address: {e}"))?;
        }
        let port = first_line
            .trim()
            .rsplit(':')
            .next()
            .filter(|port| port.parse::<u16>().is_ok())
            .map(str::to_owned);
        let server = Self {
            process,
            port: port.unwrap_or_default(),
        };
        if server.port.is_empty() {
            return Err(format!(
                "the server printed {first_line:?}, not its address"
            ));
        }
        Ok(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing its stdin stops the server.
        drop(self.process.stdin.take());
        let _ = self.process.wait();
    }
}

/// A command running `program`, through `taskset` on `core` if one is given.
fn on_core(program: &Path, core: Option<&str>) -> Command {
    match core {
        Some(core) => {
            let mut command = Command::new("taskset");
            command.args(["--cpu-list", core]).arg(program);
            command
        }
        None => Command::new(program),
    }
}

/// The first CPU this process may run on (Linux's `Cpus_allowed_list`, e.g. `0-1` or
/// `2,5-7`), where the concurrency-1 runs share a core.
fn first_allowed_cpu() -> Result<String, String> {
    let status = fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("e2e runs on Linux only: cannot read /proc/self/status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Cpus_allowed_list:"))
        .and_then(|list| {
            let first = list.trim().split([',', '-']).next()?;
            first.parse::<u32>().ok().map(|cpu| cpu.to_string())
        })
        .ok_or_else(|| "/proc/self/status has no readable Cpus_allowed_list".to_owned())
}

/// Builds the Rust clients and installs the official SDKs (both no-ops when up to date).
fn prepare_clients(root: &Path) -> Result<Vec<Client>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run_step(
        Command::new(cargo).current_dir(root).args([
            "build",
            "--release",
            "-p",
            "tencent-cloud-bench",
        ]),
        "build the Rust bench clients",
    )?;
    let venv = root.join("target/bench-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run_step(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "create the Python venv",
        )?;
    }
    run_step(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(PYTHON_PACKAGES),
        "install the official Python SDK",
    )?;
    let node_dir = root.join("target/bench-node");
    fs::create_dir_all(&node_dir)
        .map_err(|e| format!("cannot create {}: {e}", node_dir.display()))?;
    run_step(
        Command::new("npm").current_dir(&node_dir).args([
            "install",
            "--no-audit",
            "--no-fund",
            "--silent",
            NODE_PACKAGE,
        ]),
        "install the official Node.js SDK",
    )?;

    let bench_client = target_dir(root).join("release/bench-client");
    let script = |name: &str| root.join("bench/clients").join(name);
    Ok(vec![
        Client {
            name: "this SDK",
            program: bench_client.clone(),
            args: vec!["sdk".to_owned()],
            env: vec![],
        },
        Client {
            name: "minimal reqwest",
            program: bench_client.clone(),
            args: vec!["minimal".to_owned()],
            env: vec![],
        },
        Client {
            name: WIRE,
            program: bench_client,
            args: vec!["wire".to_owned()],
            env: vec![],
        },
        Client {
            name: "official Python SDK",
            program: python,
            args: vec![script("python_client.py").display().to_string()],
            env: vec![],
        },
        Client {
            name: "official Node.js SDK",
            program: PathBuf::from("node"),
            args: vec![script("node_client.js").display().to_string()],
            env: vec![("NODE_PATH", node_dir.join("node_modules"))],
        },
    ])
}

fn measure(
    client: &Client,
    port: &str,
    calls: usize,
    concurrency: usize,
    core: Option<&str>,
) -> Result<Row, String> {
    let output = on_core(&client.program, core)
        .args(&client.args)
        .args([
            port.to_owned(),
            WARM_UP_CALLS.to_string(),
            calls.to_string(),
            concurrency.to_string(),
        ])
        .envs(client.env.iter().map(|(name, value)| (name, value)))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| {
            let through = if core.is_some() {
                " through taskset (util-linux)"
            } else {
                ""
            };
            format!("cannot run {}{through}: {e}", client.program.display())
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{} failed ({}): {stdout}",
            client.name, output.status
        ));
    }
    let report: Value = stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str(line).ok())
        .ok_or_else(|| format!("{} printed no JSON report: {stdout}", client.name))?;
    let number = |key: &str| {
        report[key]
            .as_f64()
            .ok_or_else(|| format!("{}: report has no number `{key}`", client.name))
    };
    let done = number("calls")?;
    Ok(Row {
        client: client.name,
        concurrency,
        requests_per_second: done / number("seconds")?,
        p50_ms: number("p50_ms")?,
        p99_ms: number("p99_ms")?,
        cpu_per_thousand: number("cpu_seconds")? / done * 1000.0,
        rss_mib: number("max_rss_kib")? / 1024.0,
    })
}

fn e2e_table(rows: &[Row], calls: usize, runs: usize, versions: &str) -> String {
    let mut out = format!(
        "Each row: the median by requests/s of {runs} interleaved runs of {calls} \
         ReleasePublicIp calls, each after {WARM_UP_CALLS} warm-up calls; {versions}.\n\
         Ratios are this SDK's value divided by the row's, at the same concurrency: above 1 \
         means more requests/s, or more CPU per call, than that client.\n\n\
         | client | concurrency | requests/s | p50 ms | p99 ms | CPU s / 1,000 calls | \
         peak RSS MiB | SDK ÷ row: requests/s | SDK ÷ row: CPU per call |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    let ours = |concurrency: usize| {
        rows.iter()
            .find(|row| row.client == "this SDK" && row.concurrency == concurrency)
    };
    let ratio_to = |client: &str, concurrency: usize| -> Option<f64> {
        let row = rows
            .iter()
            .find(|row| row.client == client && row.concurrency == concurrency)?;
        Some(ours(concurrency)?.requests_per_second / row.requests_per_second)
    };
    for row in rows {
        let (throughput, cpu) = match ours(row.concurrency) {
            Some(ours) => (
                format!("{:.2}x", ours.requests_per_second / row.requests_per_second),
                format!("{:.2}x", ours.cpu_per_thousand / row.cpu_per_thousand),
            ),
            None => ("-".to_owned(), "-".to_owned()),
        };
        out += &format!(
            "| {} | {} | {:.0} | {:.3} | {:.3} | {:.3} | {:.1} | {throughput} | {cpu} |\n",
            row.client,
            row.concurrency,
            row.requests_per_second,
            row.p50_ms,
            row.p99_ms,
            row.cpu_per_thousand,
            row.rss_mib,
        );
    }
    out += "\nTargets (requests/s):\n\n";
    for concurrency in CONCURRENCIES {
        for (peer, target) in [("minimal reqwest", 0.9), ("official Python SDK", 10.0)] {
            if let Some(ratio) = ratio_to(peer, concurrency) {
                out += &format!(
                    "- at concurrency {concurrency}, at least {target}x the {peer}: {} \
                     ({ratio:.2}x)\n",
                    verdict(ratio >= target),
                );
            }
        }
    }
    out
}

fn versions() -> Result<String, String> {
    let node = command_output("node", &["--version"])?;
    let python = command_output("python3", &["--version"])?;
    Ok(format!(
        "peers: {} ({python}), {NODE_PACKAGE} (node {node})",
        PYTHON_PACKAGES.join(" + ")
    ))
}

// ---------------------------------------------------------------------------------------
// build

/// (profile label, extra cargo arguments, directory of the binary in the target dir).
const BUILD_PROFILES: [(&str, &[&str], &str); 2] = [
    ("dev (`cargo run --example quickstart`)", &[], "debug"),
    ("release", &["--release"], "release"),
];

fn build(root: &Path) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut out = String::from(
        "The quick start (`emulator/examples/quickstart.rs`: the SDK with only the `edgezone` \
         feature, plus the emulator it runs against), built from nothing but the registry \
         cache: a fresh target directory, dependencies included.\n\n\
         | profile | clean build, wall time | binary size |\n|---|---:|---:|\n",
    );
    for (label, args, dir) in BUILD_PROFILES {
        let target = target_dir(root).join("bench-build");
        if target.exists() {
            fs::remove_dir_all(&target)
                .map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
        }
        let start = Instant::now();
        run_step(
            Command::new(&cargo)
                .current_dir(root)
                .env("CARGO_TARGET_DIR", &target)
                .args([
                    "build",
                    "-p",
                    "tencent-cloud-emulator",
                    "--example",
                    "quickstart",
                ])
                .args(args),
            "build the quick start",
        )?;
        let seconds = start.elapsed().as_secs_f64();
        let binary = target.join(dir).join("examples/quickstart");
        let size = fs::metadata(&binary)
            .map_err(|e| format!("cannot stat {}: {e}", binary.display()))?
            .len();
        out += &format!(
            "| {label} | {seconds:.0} s | {:.1} MiB |\n",
            size as f64 / (1024.0 * 1024.0)
        );
        fs::remove_dir_all(&target)
            .map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// shared

/// Where cargo puts build output: `CARGO_TARGET_DIR` if set, else `<root>/target`.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

fn machine() -> Result<String, String> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_gib = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.trim().trim_end_matches(" kB").parse::<f64>().ok())
        .map_or_else(
            || "unknown".to_owned(),
            |kib| format!("{:.1}", kib / (1024.0 * 1024.0)),
        );
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    Ok(format!(
        "- CPU: {cpu}, {cores} cores available\n- memory: {memory_gib} GiB\n- Linux {}\n- {}\n\
         - last measured: {}\n",
        kernel.trim(),
        command_output("rustc", &["--version"])?,
        command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"])?,
    ))
}

/// Replaces what lies between the section's markers in BENCHMARKS.md.
fn write_section(root: &Path, section: &str, content: &str) -> Result<(), String> {
    let path = root.join(BENCHMARKS);
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let begin = format!("<!-- BEGIN {section} -->\n");
    let end = format!("<!-- END {section} -->");
    let (Some(start), Some(stop)) = (text.find(&begin), text.find(&end)) else {
        return Err(format!(
            "{} has no `{begin}` … `{end}` markers",
            path.display()
        ));
    };
    let start = start + begin.len();
    if stop < start {
        return Err(format!(
            "{}: `{end}` comes before `{begin}`",
            path.display()
        ));
    }
    let updated = format!("{}{content}{}", &text[..start], &text[stop..]);
    fs::write(&path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The 1-minute load average, from /proc/loadavg.
pub(crate) fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

fn command_output(program: &str, args: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
