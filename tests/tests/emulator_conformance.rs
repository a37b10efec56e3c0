//! The official Python SDK against the in-process emulator (issue 3, item 7): proves that
//! the emulator's TC3 verifier agrees with the official signer and its envelopes with the
//! official parser, and that all 19 edgezone actions answer from one state. The scenario
//! itself is `tests/oracles/edgezone_conformance.py`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tencent_cloud_emulator::{Emulator, credentials};

/// Generous: the script makes about 40 requests to a local server.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_python_sdk_conforms() {
    let python = python();
    // The script sends a burst of ReleasePublicIp (20/s documented); throttling is not
    // what this test is about.
    let emulator = Emulator::builder()
        .rate_limits(false)
        .start()
        .await
        .expect("emulator starts");
    let script = workspace_root().join("tests/oracles/edgezone_conformance.py");
    let endpoint = emulator.endpoint_host();

    let output = tokio::task::spawn_blocking(move || run_bounded(python, script, endpoint))
        .await
        .expect("the script runner does not panic");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "conformance script failed ({})\n{stdout}\n{stderr}",
        output.status
    );

    // The same story from the emulator's side: each error was really answered.
    let codes: BTreeSet<String> = emulator
        .requests()
        .into_iter()
        .filter_map(|r| r.code)
        .collect();
    for expected in [
        "FailedOperation.IpStillBoundToServer",
        "FailedOperation.NotSupportedForDynamicInstance",
        "InvalidParameterValue.PublicIpNotAvailable",
        "InvalidParameterValue.PublicIpv6NotAvailable",
        "ResourceNotFound.PublicInstanceNotFound",
        "UnauthorizedOperation.PermissionDenied",
        "AuthFailure.SignatureFailure",
        "AuthFailure.SignatureExpire",
        "AuthFailure.TokenFailure",
        "MissingParameter",
        "InvalidParameter",
        "InternalError",
        "ResourceNotFound.Instance",
        "ResourceNotFound.PrivateInstanceNotFound",
        "InvalidParameter.ParamError",
    ] {
        assert!(
            codes.contains(expected),
            "the emulator never answered {expected}; it answered {codes:?}"
        );
    }
    // Every action of the schema succeeded at least once, through the official client.
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../schema/edgezone/2026-04-01.json"))
            .expect("the schema is JSON");
    let actions: BTreeSet<String> = schema["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(|a| a["name"].as_str().map(str::to_owned))
        .collect();
    let succeeded: BTreeSet<String> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.code.is_none())
        .map(|r| r.action)
        .collect();
    assert_eq!(succeeded, actions, "actions answered with success");
    emulator.shutdown().await;
}

/// `TENCENT_CLOUD_PYTHON`, else the workspace venv that `cargo xtask test` creates.
fn python() -> PathBuf {
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

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// Runs the script, killing it if it outlives `SCRIPT_TIMEOUT`.
fn run_bounded(python: PathBuf, script: PathBuf, endpoint: String) -> Output {
    let mut child = Command::new(&python)
        .arg(&script)
        .arg(&endpoint)
        // The emulator is on loopback; a proxy from the environment must not intercept it.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .env("EMULATOR_PRIMARY_SECRET_ID", credentials::PRIMARY.secret_id)
        .env(
            "EMULATOR_PRIMARY_SECRET_KEY",
            credentials::PRIMARY.secret_key,
        )
        .env(
            "EMULATOR_SECONDARY_SECRET_ID",
            credentials::SECONDARY.secret_id,
        )
        .env(
            "EMULATOR_SECONDARY_SECRET_KEY",
            credentials::SECONDARY.secret_key,
        )
        .env(
            "EMULATOR_TEMPORARY_SECRET_ID",
            credentials::TEMPORARY.secret_id,
        )
        .env(
            "EMULATOR_TEMPORARY_SECRET_KEY",
            credentials::TEMPORARY.secret_key,
        )
        .env(
            "EMULATOR_TEMPORARY_TOKEN",
            credentials::TEMPORARY.token.unwrap_or_default(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let deadline = Instant::now() + SCRIPT_TIMEOUT;
    while child.try_wait().expect("can poll the child").is_none() {
        if Instant::now() > deadline {
            child.kill().expect("can kill the child");
            let output = child
                .wait_with_output()
                .expect("can collect the child's output");
            panic!(
                "conformance script timed out after {SCRIPT_TIMEOUT:?}\n{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child
        .wait_with_output()
        .expect("can collect the child's output")
}
