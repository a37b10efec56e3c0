//! Running the official Python SDK's scripts in `tests/oracles/`, the oracles the tests
//! compare against: batch oracles that read one case a line on stdin, and scenarios run
//! against an emulator.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tencent_cloud_emulator::credentials;

/// Generous: a scenario makes at most a few dozen requests to a local server.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(120);

/// `TENCENT_CLOUD_PYTHON`, else the workspace venv that `cargo xtask test` creates.
pub fn interpreter() -> PathBuf {
    if let Some(python) = std::env::var_os("TENCENT_CLOUD_PYTHON") {
        return PathBuf::from(python);
    }
    let venv = workspace_root().join(".venv/bin/python");
    assert!(
        venv.exists(),
        "no Python with the official SDK: set TENCENT_CLOUD_PYTHON or run `cargo xtask test`, \
         which creates {}",
        venv.display()
    );
    venv
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

fn script(name: &str) -> PathBuf {
    workspace_root().join("tests/oracles").join(name)
}

/// Runs `tests/oracles/<name>` once over every case, one line each on stdin; returns
/// what it printed, one line per case.
pub fn oracle_lines(name: &str, cases: impl IntoIterator<Item = String>) -> Vec<String> {
    let python = interpreter();
    let mut child = Command::new(&python)
        .arg(script(name))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let input: Vec<String> = cases.into_iter().collect();
    let count = input.len();
    let input: String = input.into_iter().map(|line| line + "\n").collect();
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // A writer thread, so a chatty oracle cannot deadlock us on a full pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("oracle runs to completion");
    writer
        .join()
        .expect("writer thread")
        .expect("oracle reads its input");
    assert!(
        output.status.success(),
        "{name} failed ({}); is tencentcloud-sdk-python-common installed? \
         `cargo xtask test` installs it.\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<String> = String::from_utf8(output.stdout)
        .expect("oracle prints UTF-8")
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), count, "{name}: one line per case");
    lines
}

/// Runs `tests/oracles/<name> <endpoint>` against an emulator, with its accounts in the
/// environment, killed if it outlives the scenario timeout; asserts it succeeded and
/// returns what it printed.
pub async fn run_scenario(name: &'static str, endpoint: String) -> String {
    let python = interpreter();
    let output =
        tokio::task::spawn_blocking(move || run_bounded(&python, &script(name), &endpoint))
            .await
            .expect("the script runner does not panic");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{name} failed ({})\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn run_bounded(python: &Path, script: &Path, endpoint: &str) -> Output {
    let temporary_token = credentials::TEMPORARY.token.unwrap_or_default();
    let mut child = Command::new(python)
        .arg(script)
        .arg(endpoint)
        // The emulator is on loopback; a proxy from the environment must not intercept it.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .envs([
            ("EMULATOR_PRIMARY_SECRET_ID", credentials::PRIMARY.secret_id),
            (
                "EMULATOR_PRIMARY_SECRET_KEY",
                credentials::PRIMARY.secret_key,
            ),
            (
                "EMULATOR_SECONDARY_SECRET_ID",
                credentials::SECONDARY.secret_id,
            ),
            (
                "EMULATOR_SECONDARY_SECRET_KEY",
                credentials::SECONDARY.secret_key,
            ),
            (
                "EMULATOR_TEMPORARY_SECRET_ID",
                credentials::TEMPORARY.secret_id,
            ),
            (
                "EMULATOR_TEMPORARY_SECRET_KEY",
                credentials::TEMPORARY.secret_key,
            ),
            ("EMULATOR_TEMPORARY_TOKEN", temporary_token),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let deadline = Instant::now() + SCENARIO_TIMEOUT;
    while child.try_wait().expect("can poll the child").is_none() {
        if Instant::now() > deadline {
            child.kill().expect("can kill the child");
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("the script's output")
}
