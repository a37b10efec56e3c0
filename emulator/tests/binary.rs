//! The binary: prints its endpoint and credentials, serves, and stops cleanly on Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tencent_cloud_emulator::credentials;

#[test]
fn prints_endpoint_and_credentials_then_stops_on_ctrl_c() {
    // Ctrl-C is SIGINT.
    serve_then_stop_with("-INT");
}

#[test]
fn stops_on_sigterm_from_a_supervisor() {
    serve_then_stop_with("-TERM");
}

/// Starts the binary, checks its banner and listener, then sends `signal` as soon as the
/// banner has been read (the moment a user could press Ctrl-C) and expects a clean exit.
fn serve_then_stop_with(signal: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tencent-cloud-emulator"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .take_while(|line| !line.starts_with("Press Ctrl-C"))
        .collect();
    let printed = lines.join("\n");
    let url = printed
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no endpoint URL in:\n{printed}"));
    for credential in credentials::ALL {
        assert!(printed.contains(credential.secret_id), "{printed}");
        assert!(printed.contains(credential.secret_key), "{printed}");
    }

    let addr = url.trim_start_matches("http://");
    assert!(
        std::net::TcpStream::connect(addr).is_ok(),
        "it listens on {addr}"
    );

    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the emulator did not stop within 10 s of {signal}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "after {signal}: {exit}");
}
