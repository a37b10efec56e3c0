//! The mixed load of `--minutes` and its report.
//!
//! Tasks, all running at once until the time is up:
//! - `lifecycle` (one per `--workers`, each in a zone of its own, since an account may hold
//!   one private network per zone): creates a public network, applies an address, creates
//!   a private network and a server, describes, renames and lists, then terminates,
//!   releases and deletes all of it, so that the emulator's state ends where it began;
//! - `fresh_clients`: reads through a client built for that one call (a new connection
//!   pool every time): DescribeZones, DescribePublicNetworkInstances, sts GetCallerIdentity;
//! - `sts_and_unmodelled`: sts GetCallerIdentity and AssumeRole, and cvm DescribeRegions,
//!   which the emulator answers from the schema's example (no behaviour model);
//! - `provoked`: failures on purpose, each counted as expected only if it fails the way
//!   it should: unknown credentials (AuthFailure), an injected InternalError, an injected
//!   dropped connection, an injected delay past the attempt timeout (Timeout), and one past
//!   a deadline the caller puts on the future (cancelled: the future is dropped).
//!
//! A sampler reads both processes every `sample_every`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tencent_cloud::edgezone::v20260401::{Client as Edgezone, IpType};
use tencent_cloud::error::TransportErrorKind;
use tencent_cloud::sts::v20180813::Client as Sts;
use tencent_cloud::{CommonClient, Config, Credentials, SdkError};
use tencent_cloud_emulator::{TestCredential, credentials};

use crate::admin::Admin;
use crate::sample::{self, Reading, Unit};
use crate::tally::Tally;

const REGION: &str = "ap-singapore";
const INSTANCE_TYPE: &str = "BMS5.MEDIUM8";
/// The only action `provoked` injects faults into, and that nothing else calls.
const FAULTED_ACTION: &str = "DescribeInstanceTypes";
/// Injected delays, and the timeouts shorter than them.
const DELAY_MS: u64 = 300;
const SHORT_TIMEOUT: Duration = Duration::from_millis(100);

fn config(endpoint: &str, secret_id: &str, secret_key: &str) -> Result<Config, String> {
    Config::builder()
        .endpoint_url(endpoint)
        .region(REGION)
        .credentials(Credentials::new(secret_id, secret_key))
        // The emulator runs with --no-rate-limits; pacing would only hide its limits.
        .rate_limiting(false)
        .build()
        .map_err(|e| format!("invalid config: {e}"))
}

fn primary(endpoint: &str) -> Result<Config, String> {
    let TestCredential {
        secret_id,
        secret_key,
        ..
    } = credentials::PRIMARY;
    config(endpoint, secret_id, secret_key)
}

/// Counts `result` as ok or unexpected; the value, if ok.
fn step<T, E: std::fmt::Debug>(tally: &Tally, what: &str, result: Result<T, E>) -> Option<T> {
    match result {
        Ok(value) => {
            tally.ok(what);
            Some(value)
        }
        Err(error) => {
            tally.unexpected(what, &error);
            None
        }
    }
}

/// Counts a provoked failure: expected as `kind` if `matches`, else unexpected.
fn provoked_outcome<T: std::fmt::Debug, E: std::fmt::Debug>(
    tally: &Tally,
    kind: &'static str,
    result: Result<T, E>,
    matches: impl FnOnce(&E) -> bool,
) {
    match result {
        Err(error) if matches(&error) => tally.expected(kind),
        other => tally.unexpected(kind, &other),
    }
}

pub async fn run(
    endpoint: &str,
    emulator_pid: u32,
    duration: Duration,
    sample_every: Duration,
    lifecycle_workers: usize,
) -> Result<bool, String> {
    let tally = Arc::new(Tally::default());
    let stop = Arc::new(AtomicBool::new(false));
    let edgezone = Edgezone::new(&primary(endpoint)?);
    let state_before = state_size(&edgezone).await?;

    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..lifecycle_workers {
        let (client, tally, stop) = (edgezone.clone(), tally.clone(), stop.clone());
        tasks.spawn(async move {
            let zone = format!("ap-singapore-soak-{worker}");
            while !stop.load(Ordering::Relaxed) {
                lifecycle(&client, &tally, &zone).await;
            }
        });
    }
    {
        let (endpoint, tally, stop) = (endpoint.to_owned(), tally.clone(), stop.clone());
        tasks.spawn(async move { fresh_clients(&endpoint, &tally, &stop).await });
    }
    {
        let config = primary(endpoint)?;
        let (tally, stop) = (tally.clone(), stop.clone());
        tasks.spawn(async move { sts_and_unmodelled(&config, &tally, &stop).await });
    }
    {
        let (endpoint, tally, stop) = (endpoint.to_owned(), tally.clone(), stop.clone());
        tasks.spawn(async move { provoked(&endpoint, &tally, &stop).await });
    }

    let started = Instant::now();
    let mut rows = Vec::new();
    let mut last_calls = 0;
    let mut ticker = tokio::time::interval(sample_every);
    ticker.tick().await;
    println!("{}", Row::HEADER);
    while started.elapsed() < duration {
        ticker.tick().await;
        let calls = tally.calls();
        let row = Row {
            seconds: started.elapsed().as_secs(),
            calls,
            rate: (calls - last_calls) as f64 / sample_every.as_secs_f64(),
            emulator: sample::read(Some(emulator_pid))?,
            driver: sample::read(None)?,
        };
        last_calls = calls;
        println!("{}", row.line());
        rows.push(row);
    }
    stop.store(true, Ordering::Relaxed);
    while let Some(joined) = tasks.join_next().await {
        joined.map_err(|e| format!("a load task failed: {e}"))?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let state_after = state_size(&edgezone).await?;

    let total = tally.calls();
    println!(
        "\n{total} SDK calls in {elapsed:.0} s: {:.0} calls/s; {} unexpected outcomes\n",
        total as f64 / elapsed,
        tally.unexpected_count()
    );
    print!("{}", tally.report());
    println!(
        "\nedgezone state of the account (servers, public networks, private networks): \
         {state_before:?} before, {state_after:?} after"
    );
    let flat = verdicts(&rows);
    Ok(flat && tally.unexpected_count() == 0 && state_before == state_after)
}

/// One line of the table.
struct Row {
    seconds: u64,
    calls: u64,
    rate: f64,
    emulator: Reading,
    driver: Reading,
}

impl Row {
    const HEADER: &str = "| t (s) | SDK calls | calls/s | emulator RSS (MiB) | emulator fds | driver RSS (MiB) | driver fds |\n|---:|---:|---:|---:|---:|---:|---:|";

    fn line(&self) -> String {
        format!(
            "| {} | {} | {:.0} | {:.1} | {} | {:.1} | {} |",
            self.seconds,
            self.calls,
            self.rate,
            self.emulator.rss_kib as f64 / 1024.0,
            self.emulator.open_fds,
            self.driver.rss_kib as f64 / 1024.0,
            self.driver.open_fds,
        )
    }
}

/// Prints the flatness verdict of each series; true if all are flat.
fn verdicts(rows: &[Row]) -> bool {
    println!("\nFlatness rule: {}.", sample::RULE);
    let series = |value: fn(&Row) -> u64| rows.iter().map(value).collect::<Vec<u64>>();
    let mut all_flat = true;
    all_flat &= sample::judge("emulator RSS", &series(|r| r.emulator.rss_kib), Unit::Kib);
    all_flat &= sample::judge("emulator fds", &series(|r| r.emulator.open_fds), Unit::Fds);
    all_flat &= sample::judge("driver RSS", &series(|r| r.driver.rss_kib), Unit::Kib);
    all_flat &= sample::judge("driver fds", &series(|r| r.driver.open_fds), Unit::Fds);
    all_flat
}

/// (servers, public networks, private networks) of the primary account.
async fn state_size(client: &Edgezone) -> Result<(i64, i64, i64), String> {
    let servers = client.describe_instances().send().await;
    let public = client.describe_public_network_instances().send().await;
    let private = client.describe_private_network_instances().send().await;
    let count = |what: &str, total: Option<i64>| total.ok_or(format!("{what}: no TotalCount"));
    Ok((
        count("servers", servers.map_err(|e| e.to_string())?.total_count)?,
        count(
            "public networks",
            public.map_err(|e| e.to_string())?.total_count,
        )?,
        count(
            "private networks",
            private.map_err(|e| e.to_string())?.total_count,
        )?,
    ))
}

/// One create-describe-modify-release round in `zone`; releases whatever it created even
/// when a step fails.
async fn lifecycle(client: &Edgezone, tally: &Tally, zone: &str) {
    let created = client
        .create_public_network_instance()
        .zone_id(zone)
        .network_instance_name("soak")
        .line("BGP")
        .route_mode("static")
        .send()
        .await;
    let Some(public) = step(tally, "CreatePublicNetworkInstance", created)
        .map(|created| created.network_instance_id)
    else {
        return;
    };
    let applied = client
        .apply_public_ips()
        .network_instance_id(&public)
        .r#type(IpType::Ipv4)
        .count(1)
        .send()
        .await;
    let ips = step(tally, "ApplyPublicIps", applied)
        .and_then(|applied| applied.ip_list)
        .unwrap_or_default();
    let created = client
        .create_private_network_instance()
        .network_instance_name("soak")
        .zone_id(zone)
        .network("10.8.0.0")
        .mask(24)
        .send()
        .await;
    let private =
        step(tally, "CreatePrivateNetworkInstance", created).and_then(|c| c.network_instance_id);

    if let Some(private) = &private {
        let created = client
            .create_instances()
            .zone(zone)
            .instance_type(INSTANCE_TYPE)
            .private_network_id(private)
            .public_network_id(&public)
            .instance_name("soak")
            .password("Soak-test-1")
            .send()
            .await;
        let server = step(tally, "CreateInstances", created)
            .and_then(|c| c.instance_id_set)
            .and_then(|ids| ids.into_iter().next());
        if let Some(server) = server {
            server_round(client, tally, &public, &server).await;
        }
    }
    if !ips.is_empty() {
        let released = client
            .release_public_ip()
            .network_instance_id(&public)
            .r#type(IpType::Ipv4)
            .ip_list(ips)
            .send()
            .await;
        step(tally, "ReleasePublicIp", released);
    }
    if let Some(private) = private {
        let deleted = client
            .delete_private_network_instance()
            .network_instance_id(private)
            .send()
            .await;
        step(tally, "DeletePrivateNetworkInstance", deleted);
    }
    let deleted = client
        .delete_public_network_instance()
        .network_instance_id(public)
        .send()
        .await;
    step(tally, "DeletePublicNetworkInstance", deleted);
}

/// Reads and renames a server just created, then terminates it.
async fn server_round(client: &Edgezone, tally: &Tally, public: &str, server: &str) {
    let listed = client
        .describe_instances()
        .instance_ids([server.to_owned()])
        .send()
        .await;
    match listed {
        Ok(listed) if listed.total_count == Some(1) => tally.ok("DescribeInstances"),
        other => tally.unexpected("DescribeInstances of a new server", &other),
    }
    let renamed = client
        .modify_instance_attribute()
        .instance_id(server)
        .instance_name("soak-renamed")
        .send()
        .await;
    step(tally, "ModifyInstanceAttribute", renamed);
    let ips = client
        .describe_public_ips()
        .network_instance_id([public.to_owned()])
        .send()
        .await;
    step(tally, "DescribePublicIps", ips);
    let terminated = client
        .terminate_instances()
        .instance_ids([server.to_owned()])
        .send()
        .await;
    step(tally, "TerminateInstances", terminated);
}

/// Reads, each through a client made for it and dropped after it.
async fn fresh_clients(endpoint: &str, tally: &Tally, stop: &AtomicBool) {
    let mut round: u64 = 0;
    while !stop.load(Ordering::Relaxed) {
        let config = match primary(endpoint) {
            Ok(config) => config,
            Err(error) => return tally.unexpected("config", &error),
        };
        match round % 3 {
            0 => {
                let zones = Edgezone::new(&config).describe_zones().send().await;
                step(tally, "DescribeZones (fresh client)", zones);
            }
            1 => {
                let listed = Edgezone::new(&config)
                    .describe_public_network_instances()
                    .send()
                    .await;
                step(
                    tally,
                    "DescribePublicNetworkInstances (fresh client)",
                    listed,
                );
            }
            _ => {
                let me = Sts::new(&config).get_caller_identity().send().await;
                step(tally, "GetCallerIdentity (fresh client)", me);
            }
        }
        round += 1;
    }
}

/// sts reads and writes, and an action the emulator does not model, on reused clients.
async fn sts_and_unmodelled(config: &Config, tally: &Tally, stop: &AtomicBool) {
    let sts = Sts::new(config);
    // A service this load has no generated client for, called by name; the emulator has
    // no model of it either and answers with the schema's example.
    let by_name = CommonClient::new(config);
    while !stop.load(Ordering::Relaxed) {
        let me = sts.get_caller_identity().send().await;
        step(tally, "GetCallerIdentity", me);
        let role = sts
            .assume_role()
            .role_arn("qcs::cam::uin/1250000001:roleName/soak")
            .role_session_name("soak")
            .duration_seconds(900u64)
            .send()
            .await;
        step(tally, "AssumeRole", role);
        let regions: Result<Value, _> = by_name
            .action("cvm", "2017-03-12", "DescribeRegions")
            .send(&json!({}))
            .await;
        step(tally, "cvm DescribeRegions (unmodelled)", regions);
    }
}

/// Failures provoked on purpose, one at a time (the faults are shared by the whole
/// emulator, and only this task calls [`FAULTED_ACTION`]).
async fn provoked(endpoint: &str, tally: &Tally, stop: &AtomicBool) {
    let admin = Admin::new(endpoint);
    let (good, wrong) = match (
        primary(endpoint),
        config(
            endpoint,
            "AKIDsoakUnknownUnknownUnknownUnknown0",
            "soakUnknownUnknownUnknownUnknown",
        ),
    ) {
        (Ok(good), Ok(wrong)) => (Edgezone::new(&good), Edgezone::new(&wrong)),
        (Err(error), _) | (_, Err(error)) => return tally.unexpected("config", &error),
    };
    let call = |client: &Edgezone| client.describe_instance_types().retry(false);
    while !stop.load(Ordering::Relaxed) {
        // A delayed call given up before it reached the emulator leaves its fault pending.
        if let Err(error) = admin.clear_faults().await {
            tally.unexpected("admin", &error);
        }

        let refused = call(&wrong).send().await;
        provoked_outcome(
            tally,
            "expected: AuthFailure (unknown SecretId)",
            refused,
            |e| e.code().is_some_and(|code| code.starts_with("AuthFailure")),
        );

        if inject(
            &admin,
            tally,
            json!({"kind": "error", "code": "InternalError"}),
        )
        .await
        {
            let failed = call(&good).send().await;
            provoked_outcome(tally, "expected: injected InternalError", failed, |e| {
                e.code() == Some("InternalError")
            });
        }

        if inject(&admin, tally, json!({"kind": "drop_connection"})).await {
            let dropped = call(&good).send().await;
            provoked_outcome(
                tally,
                "expected: injected dropped connection",
                dropped,
                |e| matches!(e, SdkError::Transport(_)),
            );
        }

        let delay = json!({"kind": "delay", "delay_ms": DELAY_MS});
        if inject(&admin, tally, delay.clone()).await {
            let late = call(&good)
                .customize(|o| o.attempt_timeout(SHORT_TIMEOUT))
                .send()
                .await;
            provoked_outcome(
                tally,
                "expected: attempt timeout",
                late,
                |e| matches!(e, SdkError::Transport(t) if t.kind() == TransportErrorKind::Timeout),
            );
        }

        if inject(&admin, tally, delay).await {
            let cancelled = tokio::time::timeout(SHORT_TIMEOUT, call(&good).send()).await;
            provoked_outcome(
                tally,
                "expected: cancelled (future dropped)",
                cancelled,
                |_| true,
            );
        }
    }
}

/// Injects one fault into [`FAULTED_ACTION`]; false (and counted) if the emulator refused.
async fn inject(admin: &Admin, tally: &Tally, mut fault: Value) -> bool {
    fault["action"] = json!(FAULTED_ACTION);
    match admin.add_fault(&fault).await {
        Ok(()) => true,
        Err(error) => {
            tally.unexpected("admin", &error);
            false
        }
    }
}
