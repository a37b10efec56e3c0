//! Running the external programs the commands drive (pip, python, cargo builds).

use std::process::Command;

/// Runs `command` to completion; `what` says, as a verb phrase, what it was for
/// ("create the venv"), so that a failure reads "could not create the venv (exit status: 1)".
pub fn run_step(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("could not {what} ({status})"))
    }
}
