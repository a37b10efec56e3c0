//! The official Python SDK sending GET requests (`reqMethod = "GET"`) to the in-process
//! emulator (issue 13, defect 9): its signature over the query string verifies, its
//! flattened parameters decode by the schema, and a write sent as GET is applied. The
//! scenario is `tests/oracles/get_requests.py`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tencent_cloud_emulator::{Emulator, credentials};

/// Generous: the script makes about ten requests to a local server.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_python_sdk_get_requests_are_accepted() {
    let python = python();
    let emulator = Emulator::start().await.expect("emulator starts");
    let script = workspace_root().join("tests/oracles/get_requests.py");
    let endpoint = emulator.endpoint_host();
    let output = tokio::task::spawn_blocking(move || {
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
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
        let deadline = Instant::now() + SCRIPT_TIMEOUT;
        while child.try_wait().expect("can poll the child").is_none() {
            if Instant::now() > deadline {
                child.kill().expect("can kill the child");
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        child.wait_with_output().expect("the script's output")
    })
    .await
    .expect("the script runner does not panic");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "GET script failed ({})\n{stdout}\n{stderr}",
        output.status
    );
    // The emulator saw every request the script made (it prints what each proved).
    let answered = emulator.requests();
    assert!(answered.len() >= 7, "{answered:?}");
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
