//! The runtime's production behaviour (issue 5) through generated clients against the
//! emulator with faults injected: retries and what is never retried, the retry budget,
//! per-call options, timeouts, clock-skew correction and unsigned payloads. Client-side
//! rate limiting has a test binary of its own (`rate_limit_emulator.rs`).
//! Nothing here asserts on elapsed time: the emulator's request log says what was sent.

mod support;

use std::time::Duration;

use support::{RELEASE, release, sent, start, without_retries};

use tencent_cloud::edgezone::v20260401::{
    self as edgezone, DescribePublicNetworkInstancesError, DescribePublicNetworkInstancesResponse,
};
use tencent_cloud::error::TransportErrorKind;
use tencent_cloud::{CallOptions, Config, Credentials, RetryConfig, SdkError};
use tencent_cloud_emulator::{Emulator, Fault, FaultKind, RequestRecord, credentials};

const DESCRIBE: &str = "DescribePublicNetworkInstances";

/// Short backoff so that retries do not slow the suite; the policy is unchanged.
fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(50))
}

fn config(emulator: &Emulator) -> Config {
    let credential = credentials::TEMPORARY;
    Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(
            Credentials::new(credential.secret_id, credential.secret_key)
                .with_token(credential.token.expect("temporary credential")),
        )
        .retry(fast_retry())
        .build()
        .expect("valid config")
}

fn codes(records: &[RequestRecord]) -> Vec<Option<&str>> {
    records.iter().map(|r| r.code.as_deref()).collect()
}

async fn describe(
    client: &edgezone::Client,
) -> Result<DescribePublicNetworkInstancesResponse, SdkError<DescribePublicNetworkInstancesError>> {
    client.describe_public_network_instances().send().await
}

fn fault(kind: FaultKind, times: u32, action: &str) -> Fault {
    Fault::new(kind).times(times).for_action(action)
}

#[tokio::test]
async fn throttled_calls_succeed_after_retries() {
    let emulator = start().await;
    emulator
        .inject_fault(fault(FaultKind::RequestLimitExceeded, 2, DESCRIBE))
        .expect("fault");
    let client = edgezone::Client::new(&config(&emulator));
    describe(&client).await.expect("third attempt succeeds");
    let records = sent(&emulator, DESCRIBE);
    assert_eq!(
        codes(&records),
        [
            Some("RequestLimitExceeded"),
            Some("RequestLimitExceeded"),
            None
        ]
    );
    // Each attempt was received after the previous one was answered: sequential, backed off.
    assert!(
        records
            .windows(2)
            .all(|w| w[0].received_at <= w[1].received_at)
    );
}

#[tokio::test]
async fn gives_up_after_three_attempts() {
    let emulator = start().await;
    emulator
        .inject_fault(fault(FaultKind::RequestLimitExceeded, 5, DESCRIBE))
        .expect("fault");
    let client = edgezone::Client::new(&config(&emulator));
    let error = describe(&client).await.expect_err("still throttled");
    assert_eq!(error.code(), Some("RequestLimitExceeded"));
    assert_eq!(sent(&emulator, DESCRIBE).len(), 3);
}

#[tokio::test]
async fn business_error_is_sent_exactly_once() {
    let emulator = start().await;
    let client = edgezone::Client::new(&config(&emulator));
    let error = release(&client).await.expect_err("no such instance");
    assert_eq!(
        error.code(),
        Some("ResourceNotFound.PublicInstanceNotFound")
    );
    assert_eq!(
        codes(&sent(&emulator, RELEASE)),
        [Some("ResourceNotFound.PublicInstanceNotFound")]
    );
}

#[tokio::test]
async fn gateway_errors_are_retried_only_for_reads() {
    let emulator = start().await;
    let client = edgezone::Client::new(&config(&emulator));

    // A gateway's page says nothing of the backend, which may have applied the write:
    // not repeated.
    emulator
        .inject_fault(fault(FaultKind::ServerError { status: 503 }, 1, RELEASE))
        .expect("fault");
    let error = release(&client).await.expect_err("the gateway error");
    assert!(
        matches!(&error, SdkError::InvalidResponse(invalid) if invalid.status() == 503),
        "{error:?}"
    );
    let records = sent(&emulator, RELEASE);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].http_status, Some(503));

    emulator
        .inject_fault(fault(FaultKind::ServerError { status: 503 }, 1, DESCRIBE))
        .expect("fault");
    describe(&client).await.expect("the read is repeated");
    assert_eq!(sent(&emulator, DESCRIBE).len(), 2);
}

#[tokio::test]
async fn lost_connections_are_retried_only_for_reads() {
    let emulator = start().await;
    let client = edgezone::Client::new(&config(&emulator));

    // A write may have been applied before the connection dropped: not repeated.
    emulator
        .inject_fault(fault(FaultKind::DropConnection, 1, RELEASE))
        .expect("fault");
    let error = release(&client).await.expect_err("connection lost");
    assert!(
        matches!(&error, SdkError::Transport(e) if e.kind() == TransportErrorKind::Other),
        "{error:?}"
    );
    assert_eq!(sent(&emulator, RELEASE).len(), 1);

    // A read is repeated, and so is one whose answer was cut short.
    emulator
        .inject_fault(fault(FaultKind::DropConnection, 1, DESCRIBE))
        .expect("fault");
    emulator
        .inject_fault(fault(FaultKind::TruncatedBody, 1, DESCRIBE))
        .expect("fault");
    describe(&client).await.expect("third attempt succeeds");
    assert_eq!(sent(&emulator, DESCRIBE).len(), 3);
}

#[tokio::test]
async fn internal_errors_are_retried_only_for_reads() {
    let emulator = start().await;
    let client = edgezone::Client::new(&config(&emulator));

    // The write may have been applied before the server failed: not repeated.
    emulator
        .inject_fault(Fault::error("InternalError").for_action(RELEASE))
        .expect("fault");
    let error = release(&client).await.expect_err("internal error");
    assert_eq!(error.code(), Some("InternalError"));
    assert!(
        matches!(
            error.kind(),
            Some(edgezone::ReleasePublicIpError::Common(
                tencent_cloud::CommonError::InternalError
            ))
        ),
        "{error:?}"
    );
    assert_eq!(sent(&emulator, RELEASE).len(), 1);

    emulator
        .inject_fault(Fault::error("InternalError").for_action(DESCRIBE))
        .expect("fault");
    describe(&client).await.expect("the read is repeated");
    assert_eq!(
        codes(&sent(&emulator, DESCRIBE)),
        [Some("InternalError"), None]
    );
}

#[tokio::test]
async fn retries_can_be_turned_off_per_call_and_per_config() {
    let emulator = start().await;
    let config = config(&emulator);
    emulator
        .inject_fault(fault(FaultKind::RequestLimitExceeded, 1, DESCRIBE))
        .expect("fault");
    let error = edgezone::Client::new(&config)
        .describe_public_network_instances()
        .retry(false)
        .send()
        .await
        .expect_err("no retry");
    assert_eq!(error.code(), Some("RequestLimitExceeded"));
    assert_eq!(sent(&emulator, DESCRIBE).len(), 1);

    let no_retries = without_retries(&emulator).build().expect("valid config");
    emulator.clear_requests();
    emulator
        .inject_fault(fault(FaultKind::ServerError { status: 502 }, 1, DESCRIBE))
        .expect("fault");
    let client = edgezone::Client::new(&no_retries);
    let error = describe(&client).await.expect_err("no retry");
    assert!(matches!(error, SdkError::InvalidResponse(_)), "{error:?}");
    assert_eq!(sent(&emulator, DESCRIBE).len(), 1);
}

#[tokio::test]
async fn retry_budget_stops_an_outage_from_multiplying_load() {
    let emulator = start().await;
    emulator
        .inject_fault(fault(
            FaultKind::ServerError { status: 503 },
            10_000,
            DESCRIBE,
        ))
        .expect("fault");
    let client = edgezone::Client::new(&config(&emulator));
    let calls = 150;
    for _ in 0..calls {
        describe(&client).await.expect_err("the service is down");
    }
    // 500 tokens at 5 per retry: the first 50 calls get their 2 retries, the other 100
    // a single attempt each. Without the budget this would be 450 requests.
    assert_eq!(sent(&emulator, DESCRIBE).len(), 50 * 3 + 100);
}

#[tokio::test]
async fn attempt_and_operation_timeouts() {
    let emulator = start().await;
    let config = config(&emulator);
    let client = edgezone::Client::new(&config);
    let call = |options: CallOptions| {
        client
            .describe_public_network_instances()
            .customize(move |_| options)
            .send()
    };

    // One slow answer: the attempt times out, and the read is tried again. The timeout is
    // far above a normal answer's time so that a loaded machine cannot trip it twice.
    emulator
        .inject_fault(Fault::delay(Duration::from_secs(30)).for_action(DESCRIBE))
        .expect("fault");
    call(CallOptions::new().attempt_timeout(Duration::from_secs(2)))
        .await
        .expect("second attempt succeeds");
    assert!(emulator.pending_faults().is_empty());

    // Every answer slow: the operation timeout ends the call across its attempts.
    emulator
        .inject_fault(
            Fault::delay(Duration::from_secs(30))
                .times(3)
                .for_action(DESCRIBE),
        )
        .expect("fault");
    let error = call(
        CallOptions::new()
            .attempt_timeout(Duration::from_secs(20))
            .operation_timeout(Duration::from_millis(300)),
    )
    .await
    .expect_err("operation timeout");
    match &error {
        SdkError::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Timeout);
            assert!(e.to_string().contains("operation timeout"), "{e}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    // Only the first attempt started: the operation ended while it was waiting.
    assert_eq!(emulator.pending_faults()[0].count, 2);
}

#[tokio::test]
async fn clock_skew_is_learned_once_and_shared() {
    for offset in [600, -600] {
        let emulator = Emulator::builder()
            .clock_offset_secs(offset)
            .start()
            .await
            .expect("emulator starts");
        let config = config(&emulator);
        let first = edgezone::Client::new(&config);
        describe(&first).await.expect("corrected");
        assert_eq!(
            codes(&sent(&emulator, DESCRIBE)),
            [Some("AuthFailure.SignatureExpire"), None],
            "offset {offset}"
        );
        // Another client of the same config signs with the learned offset from the start.
        emulator.clear_requests();
        let second = edgezone::Client::new(&config);
        describe(&second).await.expect("already corrected");
        release(&second).await.expect_err("business error");
        assert_eq!(
            codes(&emulator.requests()),
            [None, Some("ResourceNotFound.PublicInstanceNotFound")]
        );
    }
}

#[tokio::test]
async fn clock_skew_follows_the_server_when_it_moves() {
    let emulator = start().await;
    let client = edgezone::Client::new(&config(&emulator));
    emulator.set_clock_offset_secs(900).expect("in range");
    describe(&client).await.expect("corrected");
    // The server's clock jumps back: the next call learns the new offset the same way.
    emulator.set_clock_offset_secs(-900).expect("in range");
    emulator.clear_requests();
    describe(&client).await.expect("corrected again");
    assert_eq!(
        codes(&emulator.requests()),
        [Some("AuthFailure.SignatureExpire"), None]
    );
}

#[tokio::test]
async fn unsigned_payload_is_accepted_by_a_verifying_server() {
    let emulator = start().await;
    let client = edgezone::Client::new(
        &without_retries(&emulator)
            .unsigned_payload(true)
            .build()
            .expect("valid config"),
    );
    // The emulator checks every signature: with the header it signs `UNSIGNED-PAYLOAD`,
    // without it the body's hash, so only a consistent request gets past authentication.
    let error = release(&client).await.expect_err("no such instance");
    assert_eq!(
        error.code(),
        Some("ResourceNotFound.PublicInstanceNotFound"),
        "{error}"
    );
    describe(&client).await.expect("a read succeeds");
}
