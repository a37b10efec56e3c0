//! `--calls N`: N DescribeZones calls against the emulator from one reused client and
//! `concurrency` tasks, with this process's RSS (and the emulator's) read every N/20 calls.
//! The SDK's memory must not grow with the number of calls made.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use tencent_cloud::Config;
use tencent_cloud::edgezone::v20260401::Client as Edgezone;

use crate::sample::{self, Reading, Unit};
use crate::tally::Tally;

const ROWS: u64 = 20;

struct Point {
    calls: u64,
    seconds: f64,
    driver: Reading,
    emulator: Reading,
}

pub async fn run(
    endpoint: &str,
    emulator_pid: u32,
    calls: u64,
    concurrency: usize,
) -> Result<bool, String> {
    let credential = tencent_cloud_emulator::credentials::PRIMARY;
    let config = Config::builder()
        .endpoint_url(endpoint)
        .region("ap-singapore")
        .credentials(tencent_cloud::Credentials::new(
            credential.secret_id,
            credential.secret_key,
        ))
        .rate_limiting(false)
        .build()
        .map_err(|e| format!("invalid config: {e}"))?;
    let client = Edgezone::new(&config);
    let every = (calls / ROWS).max(1);
    let next = Arc::new(AtomicU64::new(0));
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let points = Arc::new(Mutex::new(vec![point_now(0, started, emulator_pid)?]));

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (client, next, tally, points) =
            (client.clone(), next.clone(), tally.clone(), points.clone());
        tasks.spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < calls {
                match client.describe_zones().send().await {
                    Ok(_) => tally.ok("DescribeZones"),
                    Err(error) => tally.unexpected("DescribeZones", &error),
                }
                let done = tally.calls();
                if done % every == 0 {
                    // Reading /proc takes microseconds; a failure to read ends the row only.
                    if let Ok(reading) = point_now(done, started, emulator_pid) {
                        points
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push(reading);
                    }
                }
            }
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.map_err(|e| format!("a call task failed: {e}"))?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut points = std::mem::take(&mut *points.lock().unwrap_or_else(PoisonError::into_inner));
    points.sort_by_key(|p| p.calls);

    println!(
        "| calls | t (s) | driver RSS (MiB) | driver fds | emulator RSS (MiB) |\n|---:|---:|---:|---:|---:|"
    );
    for p in &points {
        println!(
            "| {} | {:.0} | {:.1} | {} | {:.1} |",
            p.calls,
            p.seconds,
            p.driver.rss_kib as f64 / 1024.0,
            p.driver.open_fds,
            p.emulator.rss_kib as f64 / 1024.0,
        );
    }
    let total = tally.calls();
    println!(
        "\n{total} calls from {concurrency} tasks in {elapsed:.0} s ({:.0} calls/s); {} unexpected outcomes",
        total as f64 / elapsed,
        tally.unexpected_count()
    );
    print!("{}", tally.report());
    // The first point is before any call: it is the warm-up the rule drops.
    let rss: Vec<u64> = points.iter().map(|p| p.driver.rss_kib).collect();
    println!("\nFlatness rule: {}.", sample::RULE);
    let flat = sample::judge("driver RSS", &rss, Unit::Kib);
    Ok(flat && tally.unexpected_count() == 0)
}

fn point_now(calls: u64, started: Instant, emulator_pid: u32) -> Result<Point, String> {
    Ok(Point {
        calls,
        seconds: started.elapsed().as_secs_f64(),
        driver: sample::read(None)?,
        emulator: sample::read(Some(emulator_pid))?,
    })
}
