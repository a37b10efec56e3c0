//! `cargo xtask soak [--minutes N] [--sample-secs S] [--workers W]` and
//! `cargo xtask soak --calls N [--concurrency C]`: builds the emulator binary and the soak
//! driver (`bench/src/bin/soak-driver/`) in release mode, starts the emulator as a process
//! of its own (`--no-rate-limits`, every other limit at its default), and runs the driver
//! against it, handing over its endpoint and process id. The driver prints the figures
//! (RELIABILITY.md, "Soak", says what they mean); this command adds the machine's load
//! before and after. Never run by `cargo xtask test` or CI: the default run takes 30
//! minutes.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::bench::{load_average, target_dir};
use crate::process::run_step;

const USAGE: &str = "usage: cargo xtask soak [--minutes N] [--sample-secs S] [--workers W]
       cargo xtask soak --calls N [--concurrency C]

  --minutes N      mixed load for N minutes (default 30), sampled about 30 times
  --calls N        N DescribeZones calls from one client (the SDK's RSS over N calls)";

const DEFAULT_MINUTES: &str = "30";

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let driver_args = driver_args(args)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run_step(
        Command::new(cargo).current_dir(root).args([
            "build",
            "--release",
            "-p",
            "tencent-cloud-emulator",
            "--bin",
            "tencent-cloud-emulator",
            "-p",
            "tencent-cloud-bench",
            "--bin",
            "soak-driver",
        ]),
        "build the emulator and the soak driver",
    )?;
    let release = target_dir(root).join("release");
    let emulator = Emulator::start(&release.join("tencent-cloud-emulator"))?;
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "emulator pid {} at {}; {cores} cores; load average (1 minute) before: {}",
        emulator.process.id(),
        emulator.endpoint,
        load_average()
    );
    let status = Command::new(release.join("soak-driver"))
        .args(["--endpoint", &emulator.endpoint])
        .args(["--emulator-pid", &emulator.process.id().to_string()])
        .args(&driver_args)
        .status()
        .map_err(|e| format!("cannot start the soak driver: {e}"))?;
    println!("load average (1 minute) after: {}", load_average());
    drop(emulator);
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the soak found unexpected outcomes or growth ({status}); see above"
        ))
    }
}

/// The driver's arguments: `args` checked, with the default duration when no mode is given.
fn driver_args(args: &[String]) -> Result<Vec<String>, String> {
    const FLAGS: [&str; 5] = [
        "--minutes",
        "--sample-secs",
        "--workers",
        "--calls",
        "--concurrency",
    ];
    let mut out = Vec::new();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .filter(|value| value.parse::<u64>().is_ok_and(|n| n > 0))
            .ok_or_else(|| format!("{flag} takes a positive number\n{USAGE}"))?;
        if !FLAGS.contains(&flag.as_str()) {
            return Err(USAGE.to_owned());
        }
        out.extend([flag.clone(), value.clone()]);
    }
    if !out.iter().any(|a| a == "--minutes" || a == "--calls") {
        out.extend(["--minutes".to_owned(), DEFAULT_MINUTES.to_owned()]);
    }
    Ok(out)
}

/// The emulator process, stopped when dropped.
struct Emulator {
    process: Child,
    endpoint: String,
}

impl Emulator {
    fn start(program: &Path) -> Result<Self, String> {
        let mut process = Command::new(program)
            .arg("--no-rate-limits")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        // The banner's first line: "... listening on http://127.0.0.1:<port>". The rest of
        // it goes to a closed pipe, which the emulator ignores.
        let mut first_line = String::new();
        if let Some(stdout) = process.stdout.take() {
            BufReader::new(stdout)
                .read_line(&mut first_line)
                .map_err(|e| format!("cannot read the emulator's banner: {e}"))?;
        }
        let endpoint = first_line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .map(str::to_owned);
        let emulator = Self {
            process,
            endpoint: endpoint.unwrap_or_default(),
        };
        if emulator.endpoint.is_empty() {
            return Err(format!(
                "the emulator printed {first_line:?}, not its endpoint"
            ));
        }
        Ok(emulator)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn thirty_minutes_unless_told_otherwise() {
        assert_eq!(driver_args(&[]).unwrap(), strings(&["--minutes", "30"]));
        assert_eq!(
            driver_args(&strings(&["--calls", "1000000"])).unwrap(),
            strings(&["--calls", "1000000"])
        );
        for bad in [&["--minutes"][..], &["--minutes", "0"], &["--hours", "1"]] {
            assert!(driver_args(&strings(bad)).is_err(), "{bad:?}");
        }
    }
}
