//! The load side of `cargo xtask soak` (see `xtask/src/soak.rs`, which builds this in release
//! mode, starts the emulator binary and hands over its endpoint and process id):
//!
//! ```text
//! soak-driver --endpoint URL --emulator-pid PID --minutes N [--sample-secs S] [--workers W]
//! soak-driver --endpoint URL --emulator-pid PID --calls N [--concurrency C]
//! ```
//!
//! `--minutes`: the mixed load of [`load`] for N minutes, sampling both processes every S
//! seconds ([`sample`]); prints the table, the calls per second, the outcomes by kind and
//! the flatness verdict, and exits 1 if anything unexpected happened or a series grew.
//! `--calls`: N DescribeZones calls from one reused client, sampling this process's RSS
//! every N/20 calls ([`million`]).

mod admin;
mod load;
mod million;
mod sample;
mod tally;

use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: soak-driver --endpoint URL --emulator-pid PID \
(--minutes N [--sample-secs S] [--workers W] | --calls N [--concurrency C])";

/// What to run, from the command line.
pub struct Options {
    pub endpoint: String,
    pub emulator_pid: u32,
    pub mode: Mode,
}

pub enum Mode {
    Mixed {
        duration: Duration,
        sample_every: Duration,
        lifecycle_workers: usize,
    },
    Calls {
        calls: u64,
        concurrency: usize,
    },
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut endpoint = None;
    let mut emulator_pid = None;
    let mut minutes: Option<u64> = None;
    let mut sample_secs: Option<u64> = None;
    let mut workers: usize = 4;
    let mut calls: Option<u64> = None;
    let mut concurrency: usize = 16;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--endpoint" => endpoint = Some(value),
            "--emulator-pid" => emulator_pid = Some(number(&flag, &value)?),
            "--minutes" => minutes = Some(number(&flag, &value)?),
            "--sample-secs" => sample_secs = Some(number(&flag, &value)?),
            "--workers" => workers = number(&flag, &value)?,
            "--calls" => calls = Some(number(&flag, &value)?),
            "--concurrency" => concurrency = number(&flag, &value)?,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let mode = match (minutes, calls) {
        (Some(minutes), None) if minutes > 0 && workers > 0 => {
            let duration = Duration::from_secs(minutes * 60);
            // About 30 samples whatever the length, unless told otherwise.
            let every = sample_secs.unwrap_or((minutes * 60 / 30).max(2));
            Mode::Mixed {
                duration,
                sample_every: Duration::from_secs(every.max(1)),
                lifecycle_workers: workers,
            }
        }
        (None, Some(calls)) if calls > 0 && concurrency > 0 => Mode::Calls { calls, concurrency },
        _ => return Err(format!("give --minutes or --calls, at least 1\n{USAGE}")),
    };
    Ok(Options {
        endpoint: endpoint.ok_or_else(|| format!("--endpoint is required\n{USAGE}"))?,
        emulator_pid: emulator_pid.ok_or_else(|| format!("--emulator-pid is required\n{USAGE}"))?,
        mode,
    })
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("invalid value `{value}` for {flag}"))
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let passed = runtime.block_on(async {
        match options.mode {
            Mode::Mixed {
                duration,
                sample_every,
                lifecycle_workers,
            } => {
                load::run(
                    &options.endpoint,
                    options.emulator_pid,
                    duration,
                    sample_every,
                    lifecycle_workers,
                )
                .await
            }
            Mode::Calls { calls, concurrency } => {
                million::run(&options.endpoint, options.emulator_pid, calls, concurrency).await
            }
        }
    });
    match passed {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
