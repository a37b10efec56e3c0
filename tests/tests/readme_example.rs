//! The example at the top of README.md, word for word, against a freshly started emulator
//! (issue 13, defect 10): ReleasePublicIp on the documentation's instance epn-dfghjkl and
//! its addresses 226.10.12.3 and 226.10.12.4, which the emulator seeds, succeeds.
//!
//! The README builds its `Config` from the environment, so the example runs in a child
//! process (this test binary again, the ignored test below) whose environment points at
//! the emulator; the parent checks that the README still says exactly what the child runs.

use std::error::Error;
use std::process::Command;

use tencent_cloud_emulator::{Emulator, credentials};

const README: &str = include_str!("../../README.md");
const THIS_FILE: &str = include_str!("readme_example.rs");
const CHILD: &str = "readme_example_in_the_child";
/// Printed by the README's success arm.
const RELEASED: &str = "released, RequestId ";

#[test]
fn readme_example_succeeds_against_a_fresh_emulator() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let emulator = runtime
        .block_on(Emulator::start())
        .expect("emulator starts");

    let output = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            CHILD,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TENCENTCLOUD_ENDPOINT_URL", emulator.endpoint_url())
        .env("TENCENTCLOUD_SECRET_ID", credentials::PRIMARY.secret_id)
        .env("TENCENTCLOUD_SECRET_KEY", credentials::PRIMARY.secret_key)
        .env_remove("TENCENTCLOUD_TOKEN")
        // Nothing else of the default chain may answer first.
        .env("TENCENTCLOUD_CREDENTIALS_FILE", "/nonexistent")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .output()
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains(RELEASED),
        "the README example did not succeed ({})\n{stdout}\n{stderr}",
        output.status
    );

    // The emulator's side: one ReleasePublicIp, answered with success.
    let releases: Vec<_> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.action == "ReleasePublicIp")
        .collect();
    assert_eq!(releases.len(), 1, "{releases:?}");
    assert_eq!(releases[0].code, None, "{releases:?}");
    runtime.block_on(emulator.shutdown());
}

/// Every line of the README's first Rust block appears, in order, in the child below.
#[test]
fn the_child_runs_the_readme_block_word_for_word() {
    let start = README
        .find("```rust\n")
        .expect("a Rust block in the README")
        + 8;
    let block = &README[start..];
    let block = &block[..block.find("```").expect("the block ends")];
    let child = &THIS_FILE[THIS_FILE
        .find(&format!("async fn {CHILD}"))
        .expect("the child test")..];
    let mut rest = child;
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let at = rest.find(line).unwrap_or_else(|| {
            panic!("the README line `{line}` is not (in order) in the child test")
        });
        rest = &rest[at + line.len()..];
    }
}

// Formatted as the README writes it, so that the two can be compared line by line.
#[rustfmt::skip]
#[tokio::test]
#[ignore = "run by readme_example_succeeds_against_a_fresh_emulator with the emulator's environment"]
async fn readme_example_in_the_child() -> Result<(), Box<dyn Error>> {
    use tencent_cloud::edgezone::v20260401::{Client, IpType, ReleasePublicIpError};

    let config = tencent_cloud::Config::from_env().region("ap-singapore").build()?;
    let client = Client::new(&config);
    match client
        .release_public_ip()
        .network_instance_id("epn-dfghjkl")
        .r#type(IpType::Ipv4)
        .ip_list(["226.10.12.3", "226.10.12.4"])
        .send()
        .await
    {
        Ok(out) => println!("released, RequestId {}", out.request_id),
        Err(err) => match err.kind() {
            Some(ReleasePublicIpError::FailedOperationIpStillBoundToServer) => {
                println!("still bound: {}", err.message().unwrap_or_default())
            }
            _ => return Err(err.into()),
        },
    }
    Ok(())
}
