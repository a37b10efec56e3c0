//! `cargo xtask fuzz [--seconds N] [--runs N] [target ...]`: runs each cargo-fuzz target of
//! `fuzz/` (nightly) for a time or a number of inputs, one after the other, and prints what
//! each did: inputs run, inputs per second, coverage, and the outcome.
//!
//! Each target starts from seeds built from the real inputs (`fuzz-seeds`, from
//! `fuzz-targets`) in `target/fuzz/seeds/<target>`, and keeps what it learns in
//! `target/fuzz/corpus/<target>`, so later runs resume from there. A crash or hang is
//! written to `target/fuzz/artifacts/<target>/`; the full libFuzzer log of each run is
//! `target/fuzz/logs/<target>.log`.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::process::run_step;

const USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [--runs N] [target ...]
  --seconds N   run each target for N seconds (default 60)
  --runs N      stop each target after N inputs instead (with --seconds: whichever first)
  target        one of the files of fuzz/fuzz_targets/ (default: all of them)";

/// An input that takes longer than this is reported as a hang.
const HANG_SECONDS: u32 = 10;
/// An input that makes the process grow beyond this is reported as out of memory.
const RSS_LIMIT_MB: u32 = 2048;

struct Budget {
    seconds: Option<u64>,
    runs: Option<u64>,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let (budget, mut targets) = parse_args(args)?;
    let known = known_targets(root)?;
    if targets.is_empty() {
        targets.clone_from(&known);
    }
    if let Some(unknown) = targets.iter().find(|t| !known.contains(t)) {
        return Err(format!(
            "no fuzz target `{unknown}` (targets: {})",
            known.join(", ")
        ));
    }
    check_tools()?;

    let work = root.join("target/fuzz");
    let seeds = work.join("seeds");
    run_step(
        Command::new(cargo())
            .current_dir(root)
            .args([
                "run",
                "--quiet",
                "-p",
                "tencent-cloud-fuzz-targets",
                "--bin",
            ])
            .args(["fuzz-seeds", "--"])
            .arg(&seeds)
            .args(&targets),
        "write the seed corpora",
    )?;

    let mut failed = Vec::new();
    let mut rows = Vec::new();
    for target in &targets {
        let outcome = fuzz_one(root, &work, target, &budget)?;
        if outcome.result != "ok" {
            failed.push(target.clone());
        }
        rows.push((target.clone(), outcome));
    }
    println!("\n| target | inputs | inputs/s | coverage (cov / ft) | corpus | outcome |");
    println!("| --- | ---: | ---: | --- | ---: | --- |");
    for (target, o) in &rows {
        println!(
            "| {target} | {} | {} | {} / {} | {} | {} |",
            o.runs, o.per_second, o.cov, o.features, o.corpus, o.result
        );
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fuzzing found a problem in: {} (inputs in target/fuzz/artifacts/, logs in target/fuzz/logs/)",
            failed.join(", ")
        ))
    }
}

fn parse_args(args: &[String]) -> Result<(Budget, Vec<String>), String> {
    let mut budget = Budget {
        seconds: None,
        runs: None,
    };
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut number = |flag: &str| -> Result<u64, String> {
            args.next()
                .and_then(|value| value.parse().ok())
                .filter(|value| *value > 0)
                .ok_or_else(|| format!("{flag} needs a positive whole number\n{USAGE}"))
        };
        match arg.as_str() {
            "--seconds" => budget.seconds = Some(number("--seconds")?),
            "--runs" => budget.runs = Some(number("--runs")?),
            flag if flag.starts_with('-') => return Err(USAGE.to_owned()),
            target => targets.push(target.to_owned()),
        }
    }
    if budget.seconds.is_none() && budget.runs.is_none() {
        budget.seconds = Some(60);
    }
    Ok((budget, targets))
}

/// The targets are the files of `fuzz/fuzz_targets/`, sorted.
fn known_targets(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join("fuzz/fuzz_targets");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut targets: Vec<String> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect();
    targets.sort();
    Ok(targets)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// cargo-fuzz needs a nightly toolchain (for `-Zsanitizer` and coverage instrumentation)
/// and the `cargo fuzz` subcommand; say how to get whichever is missing.
fn check_tools() -> Result<(), String> {
    let works = |args: &[&str]| {
        // rustup's `cargo` proxy, not the stable cargo running xtask, understands `+nightly`.
        Command::new("cargo")
            .args(args)
            .env_remove("RUSTUP_TOOLCHAIN")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    if !works(&["+nightly", "--version"]) {
        return Err("fuzzing needs a nightly toolchain: install it with \
                    `rustup toolchain install nightly` (the SDK itself builds on stable)"
            .to_owned());
    }
    if !works(&["+nightly", "fuzz", "--version"]) {
        return Err(
            "fuzzing needs cargo-fuzz: install it with `cargo install cargo-fuzz`".to_owned(),
        );
    }
    Ok(())
}

/// What one target's run did, as libFuzzer reported it.
#[derive(Default)]
struct Outcome {
    runs: String,
    per_second: String,
    cov: String,
    features: String,
    corpus: String,
    result: String,
}

fn fuzz_one(root: &Path, work: &Path, target: &str, budget: &Budget) -> Result<Outcome, String> {
    let corpus = work.join("corpus").join(target);
    let artifacts = work.join("artifacts").join(target);
    let logs = work.join("logs");
    for dir in [&corpus, &artifacts, &logs] {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let log_path = logs.join(format!("{target}.log"));
    let mut log = fs::File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;

    let mut command = Command::new("cargo");
    command
        .current_dir(root.join("fuzz"))
        // Under `cargo xtask`, these name the stable toolchain, and cargo-fuzz would build
        // with it (and rebuild everything) instead of nightly.
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .env_remove("RUSTC")
        // Safe Rust needs no AddressSanitizer to find a panic, and runs several times
        // faster without it; debug assertions (overflow checks) stay on.
        .args([
            "+nightly",
            "fuzz",
            "run",
            "--sanitizer",
            "none",
            "--target-dir",
        ])
        .arg(work.join("build"))
        .arg(target)
        .arg(&corpus)
        .arg(work.join("seeds").join(target))
        .arg("--")
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg(format!("-timeout={HANG_SECONDS}"))
        .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
        .arg("-print_final_stats=1");
    if let Some(seconds) = budget.seconds {
        command.arg(format!("-max_total_time={seconds}"));
    }
    if let Some(runs) = budget.runs {
        command.arg(format!("-runs={runs}"));
    }
    println!("fuzzing {target} (log: {})", log_path.display());
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;

    let mut outcome = Outcome::default();
    let mut problem = None;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = writeln!(log, "{line}");
            read_line(&line, &mut outcome, &mut problem);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo fuzz did not finish: {e}"))?;
    outcome.result = match (status.success(), problem) {
        (true, _) => "ok".to_owned(),
        (false, Some(problem)) => problem,
        (false, None) => format!("failed ({status}; see the log)"),
    };
    println!(
        "  {target}: {} inputs, {} inputs/s, cov {} ft {}, {}",
        outcome.runs, outcome.per_second, outcome.cov, outcome.features, outcome.result
    );
    Ok(outcome)
}

/// Picks libFuzzer's figures and verdicts out of one line of its output.
fn read_line(line: &str, outcome: &mut Outcome, problem: &mut Option<String>) {
    let field = |name: &str| {
        line.split_whitespace()
            .skip_while(|word| *word != name)
            .nth(1)
            .map(str::to_owned)
    };
    if line.starts_with('#') {
        if let Some(cov) = field("cov:") {
            outcome.cov = cov;
        }
        if let Some(ft) = field("ft:") {
            outcome.features = ft;
        }
        if let Some(corpus) = field("corp:") {
            outcome.corpus = corpus;
        }
    }
    if let Some(value) = line.strip_prefix("stat::number_of_executed_units:") {
        outcome.runs = value.trim().to_owned();
    }
    if let Some(value) = line.strip_prefix("stat::average_exec_per_sec:") {
        outcome.per_second = value.trim().to_owned();
    }
    let verdict = if line.contains("ERROR: libFuzzer: timeout") {
        Some("hang")
    } else if line.contains("ERROR: libFuzzer: out-of-memory") {
        Some("out of memory")
    } else if line.contains("ERROR: libFuzzer: deadly signal") || line.contains("panicked at") {
        Some("panic")
    } else {
        None
    };
    if let Some(verdict) = verdict {
        problem.get_or_insert_with(|| verdict.to_owned());
    }
    if let Some(path) = line.split("Test unit written to ").nth(1) {
        *problem = Some(format!(
            "{} (input: {})",
            problem.as_deref().unwrap_or("crash"),
            path.trim()
        ));
    }
}
