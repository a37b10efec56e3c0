//! `cargo xtask test`: the README's test command.
//!
//! Several tests compare our behaviour with the official Python SDK, so they need a venv
//! holding the pinned packages of `tests/oracles/requirements.txt`. This command makes (or
//! refreshes) that venv in `.venv`, then runs the tests of the workspace's default
//! members (all but the service crates) and the doc examples of edgezone and sts, with
//! `TENCENT_CLOUD_PYTHON` pointing into it. Extra arguments go to each `cargo test`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::run_step;

/// Service crates whose doc examples the tests compile.
const DOCTESTED_SERVICES: [&str; 2] = ["tencent-cloud-edgezone", "tencent-cloud-sts"];
const REQUIREMENTS: &str = "tests/oracles/requirements.txt";
/// Copy of the requirements the venv was last built from; a mismatch rebuilds it.
const STAMP: &str = "installed-requirements.txt";

pub fn run(root: &Path, cargo_args: &[String]) -> Result<(), String> {
    let python = ensure_venv(root)?;
    // The workspace's default members (every crate but the services), then the doc
    // examples of the services the tests use: compiling every service's examples is a
    // build of the whole catalog (README, "Checks").
    let doctests = DOCTESTED_SERVICES
        .iter()
        .flat_map(|package| ["-p", package]);
    let runs: [Vec<&str>; 2] = [vec![], ["--doc"].into_iter().chain(doctests).collect()];
    let mut failed = Vec::new();
    for extra in runs {
        let status = Command::new(env_or("CARGO", "cargo"))
            .current_dir(root)
            // One failing binary should not hide the state of the others in a CI log.
            .args(["test", "--no-fail-fast"])
            .args(&extra)
            .args(cargo_args)
            .env("TENCENT_CLOUD_PYTHON", &python)
            .status()
            .map_err(|e| format!("cannot run cargo test: {e}"))?;
        if !status.success() {
            failed.push(format!("cargo test {} ({status})", extra.join(" ")));
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failed.join("; ")))
    }
}

/// Returns the venv's interpreter, creating the venv or reinstalling its packages when
/// `tests/oracles/requirements.txt` changed since the last install.
fn ensure_venv(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(".venv");
    let python = venv.join("bin").join("python");
    let requirements_path = root.join(REQUIREMENTS);
    let requirements = fs::read_to_string(&requirements_path)
        .map_err(|e| format!("cannot read {}: {e}", requirements_path.display()))?;
    let stamp = venv.join(STAMP);
    if python.exists() && fs::read_to_string(&stamp).ok().as_deref() == Some(&requirements) {
        return Ok(python);
    }
    eprintln!("setting up the Python oracle venv in {}", venv.display());
    if !python.exists() {
        let base = env_or("PYTHON", "python3");
        run_step(
            Command::new(&base).args(["-m", "venv"]).arg(&venv),
            "create the venv",
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
                "-r",
            ])
            .arg(&requirements_path),
        "install the oracle packages",
    )?;
    fs::write(&stamp, requirements)
        .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(python)
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}
