//! Client-side rate limiting (issue 5) against the emulator, which enforces the schema's
//! per-action limits. This binary holds nothing else: the pacing leaves about 55 ms for
//! the server to fall behind its clients, and tests running beside it in the same process
//! could take that from it on a loaded machine.

mod support;

use support::{RELEASE, release, sent, start, without_retries};
use tencent_cloud::edgezone::v20260401 as edgezone;
use tencent_cloud_emulator::Emulator;

/// ReleasePublicIp is documented at 20 requests per second, and the emulator enforces it
/// per SecretId over a sliding second. Retries are off so that a refusal could not be
/// hidden. One test, so that the control and the paced burst never overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_keeps_a_burst_under_the_enforced_limit() {
    // The control: without pacing, the emulator does refuse a burst of 40.
    let emulator = start().await;
    let unpaced = without_retries(&emulator)
        .rate_limiting(false)
        .build()
        .expect("valid config");
    let codes = burst(&edgezone::Client::new(&unpaced), &emulator, 40).await;
    let throttled = codes
        .iter()
        .filter(|code| code.as_deref() == Some("RequestLimitExceeded"))
        .count();
    assert!(throttled > 0, "{codes:?}");

    // An application's own limit replaces the documented one in the call path: set far
    // above what the emulator enforces, the same burst is throttled again.
    let emulator = start().await;
    let raised = without_retries(&emulator)
        .rate_limit("edgezone", RELEASE, 1000)
        .build()
        .expect("valid config");
    let codes = burst(&edgezone::Client::new(&raised), &emulator, 40).await;
    assert!(
        codes
            .iter()
            .any(|code| code.as_deref() == Some("RequestLimitExceeded")),
        "{codes:?}"
    );

    // With pacing (on by default), 200 calls at once go out at 18/s, about 11 s, and every
    // one reaches the service: each gets the business error, none RequestLimitExceeded.
    let emulator = start().await;
    let paced = without_retries(&emulator).build().expect("valid config");
    let codes = burst(&edgezone::Client::new(&paced), &emulator, 200).await;
    assert_eq!(codes.len(), 200);
    assert!(
        codes
            .iter()
            .all(|code| code.as_deref() == Some("ResourceNotFound.PublicInstanceNotFound")),
        "{codes:?}"
    );
}

/// Sends `calls` ReleasePublicIp calls at once and returns the error code of each request
/// as the emulator recorded it.
async fn burst(
    client: &edgezone::Client,
    emulator: &Emulator,
    calls: usize,
) -> Vec<Option<String>> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..calls {
        let client = client.clone();
        tasks.spawn(async move { release(&client).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task").expect_err("every call fails");
    }
    sent(emulator, RELEASE)
        .into_iter()
        .map(|r| r.code)
        .collect()
}
