//! Regional failover against two emulators, the primary failing through injected faults:
//! reads move to the fallback after repeated failures and come back after the cool-down,
//! writes never move, and successes never count as failures.

use std::time::Duration;

use tencent_cloud::edgezone::v20260401::Client;
use tencent_cloud::{Failover, RetryConfig};
use tencent_cloud_emulator::{Emulator, Fault, FaultKind};

mod support;

const READ: &str = "DescribeZones";

fn client(primary: &Emulator, fallback: &Emulator, cool_down: Duration) -> Client {
    let config = support::without_retries(primary)
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(1)))
        .failover(
            Failover::to(fallback.endpoint_url())
                .after_failures(2)
                .cool_down(cool_down),
        )
        .build()
        .expect("valid config");
    Client::new(&config)
}

fn fail(emulator: &Emulator, action: &str, times: u32) {
    emulator
        .inject_fault(
            Fault::new(FaultKind::ServerError { status: 502 })
                .for_action(action)
                .times(times),
        )
        .expect("fault");
}

#[tokio::test]
async fn reads_move_to_the_fallback_and_come_back_after_the_cool_down() {
    let (primary, fallback) = (support::start().await, support::start().await);
    let cool_down = Duration::from_millis(400);
    let client = client(&primary, &fallback, cool_down);
    fail(&primary, READ, 2);

    // Two failures on the primary open the breaker; the third attempt goes to the fallback.
    client
        .describe_zones()
        .send()
        .await
        .expect("answered by the fallback");
    assert_eq!(support::sent(&primary, READ).len(), 2);
    assert_eq!(support::sent(&fallback, READ).len(), 1);
    // Later reads go straight to the fallback while the cool-down lasts.
    client.describe_zones().send().await.expect("fallback");
    assert_eq!(support::sent(&primary, READ).len(), 2);
    assert_eq!(support::sent(&fallback, READ).len(), 2);

    // After it, a read probes the primary (healthy again) and stays there.
    tokio::time::sleep(cool_down + Duration::from_millis(100)).await;
    for _ in 0..2 {
        client.describe_zones().send().await.expect("primary");
    }
    assert_eq!(support::sent(&primary, READ).len(), 4);
    assert_eq!(support::sent(&fallback, READ).len(), 2);
}

#[tokio::test]
async fn writes_stay_on_the_primary() {
    let (primary, fallback) = (support::start().await, support::start().await);
    let client = client(&primary, &fallback, Duration::from_secs(60));
    fail(&primary, READ, 2);
    client.describe_zones().send().await.expect("fallback");
    assert_eq!(
        support::sent(&fallback, READ).len(),
        1,
        "the breaker is open"
    );

    support::release(&client)
        .await
        .expect_err("no such instance");
    assert_eq!(support::sent(&primary, support::RELEASE).len(), 1);
    assert!(support::sent(&fallback, support::RELEASE).is_empty());
}

#[tokio::test]
async fn successes_and_api_errors_never_count_as_failures() {
    let (primary, fallback) = (support::start().await, support::start().await);
    let client = client(&primary, &fallback, Duration::from_secs(60));
    for round in 0..5 {
        client.describe_zones().send().await.expect("primary");
        // A business error is an API answer: the endpoint is up.
        support::release(&client)
            .await
            .expect_err("no such instance");
        // One gateway page between successes: never two in a row.
        fail(&primary, READ, 1);
        client
            .describe_zones()
            .send()
            .await
            .expect("retried on the primary");
        assert!(support::sent(&fallback, READ).is_empty(), "round {round}");
    }
    assert_eq!(support::sent(&primary, READ).len(), 5 * 3);
}
