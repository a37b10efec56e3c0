//! Per-call options on generated builders: `.retry(false)` and `.customize(..)` reach the
//! runtime's `call_with`, against the emulator with a throttling fault injected.

use std::time::Duration;

use tencent_cloud::edgezone::v20260401::Client;
use tencent_cloud::{Config, Credentials, RetryConfig};
use tencent_cloud_emulator::{Emulator, Fault, FaultKind, credentials};

fn config(emulator: &Emulator) -> Config {
    let credential = credentials::PRIMARY;
    Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(Credentials::new(
            credential.secret_id,
            credential.secret_key,
        ))
        // Short backoff so the retry does not slow the suite; the policy is unchanged.
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("valid config")
}

fn throttle_once(emulator: &Emulator) {
    emulator
        .inject_fault(Fault::new(FaultKind::RequestLimitExceeded).times(1))
        .expect("valid fault");
}

#[tokio::test]
async fn retry_false_surfaces_throttling_that_the_default_retries_away() {
    let emulator = Emulator::start().await.expect("emulator starts");
    let client = Client::new(&config(&emulator));

    throttle_once(&emulator);
    let err = client
        .describe_public_network_instances()
        .retry(false)
        .send()
        .await
        .expect_err("one attempt, throttled");
    assert_eq!(err.code(), Some("RequestLimitExceeded"), "{err:?}");
    assert_eq!(emulator.requests().len(), 1, "retry(false) sends once");

    emulator.clear_requests();
    throttle_once(&emulator);
    let out = client
        .describe_public_network_instances()
        .send()
        .await
        .expect("the default retries the throttled attempt");
    assert!(!out.request_id.is_empty());
    let codes: Vec<_> = emulator.requests().into_iter().map(|r| r.code).collect();
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert_eq!(codes[0].as_deref(), Some("RequestLimitExceeded"));
    assert_eq!(codes[1], None);
}

#[tokio::test]
async fn customize_starts_from_the_options_set_so_far() {
    let emulator = Emulator::start().await.expect("emulator starts");
    let client = Client::new(&config(&emulator));

    throttle_once(&emulator);
    // `retry(false)` then a customisation that leaves retries alone: still one attempt.
    let err = client
        .describe_public_network_instances()
        .retry(false)
        .customize(|options| options.attempt_timeout(Duration::from_secs(5)))
        .send()
        .await
        .expect_err("one attempt, throttled");
    assert_eq!(err.code(), Some("RequestLimitExceeded"), "{err:?}");
    assert_eq!(emulator.requests().len(), 1);

    // A customisation that turns retries back on.
    throttle_once(&emulator);
    client
        .describe_public_network_instances()
        .retry(false)
        .customize(|options| {
            options.retry_config(RetryConfig::standard().initial_backoff(Duration::from_millis(10)))
        })
        .send()
        .await
        .expect("retried through the customised options");
}
