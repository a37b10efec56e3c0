//! The emulator's `delay` fault applies the request and then holds the answer back, so
//! that "the client timed out, but the server acted" can be tested (issue 13, defect 8);
//! `delay_before` holds the request back instead, and a client that gives up meanwhile
//! leaves the state untouched.

use std::time::Duration;

use tencent_cloud::edgezone::v20260401 as edgezone;
use tencent_cloud::error::TransportErrorKind;
use tencent_cloud::{CallOptions, Config, Credentials, RetryConfig, SdkError};
use tencent_cloud_emulator::{Emulator, Fault, credentials};

const CREATE: &str = "CreatePublicNetworkInstance";

/// An emulator and a client of it without retries: each call is one request.
async fn start() -> (Emulator, edgezone::Client) {
    let emulator = Emulator::start().await.expect("emulator starts");
    let config = Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(Credentials::new(
            credentials::PRIMARY.secret_id,
            credentials::PRIMARY.secret_key,
        ))
        .retry(RetryConfig::disabled())
        .build()
        .expect("config");
    let client = edgezone::Client::new(&config);
    (emulator, client)
}

async fn create(
    client: &edgezone::Client,
    zone: &str,
) -> Result<(), SdkError<edgezone::CreatePublicNetworkInstanceError>> {
    client
        .create_public_network_instance()
        .zone_id(zone)
        .network_instance_name("late")
        .line("BGP")
        .route_mode("static")
        .customize(|_| CallOptions::new().attempt_timeout(Duration::from_millis(500)))
        .send()
        .await
        .map(|_| ())
}

async fn instances_in(client: &edgezone::Client, zone: &str) -> i64 {
    let listed = client
        .describe_public_network_instances()
        .zone_id(zone)
        .send()
        .await
        .expect("listed");
    listed.total_count.expect("a count")
}

fn assert_timed_out<E: std::fmt::Debug>(result: Result<(), SdkError<E>>) {
    match result {
        Err(SdkError::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::Timeout, "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_delayed_write_is_applied_though_the_client_timed_out() {
    let (emulator, client) = start().await;
    emulator
        .inject_fault(Fault::delay(Duration::from_secs(30)).for_action(CREATE))
        .expect("fault");
    assert_timed_out(create(&client, "ap-singapore-1").await);
    // The server acted: the instance exists, and the log has the answer it could not send.
    assert_eq!(instances_in(&client, "ap-singapore-1").await, 1);
    let logged: Vec<_> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.action == CREATE)
        .collect();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].fault.as_deref(), Some("delay"));
    assert_eq!(logged[0].code, None, "applied successfully");
    assert!(logged[0].request_id.is_some());
}

#[tokio::test]
async fn a_request_delayed_before_processing_is_not_applied_when_the_client_gives_up() {
    let (emulator, client) = start().await;
    emulator
        .inject_fault(Fault::delay_before(Duration::from_millis(1500)).for_action(CREATE))
        .expect("fault");
    assert_timed_out(create(&client, "ap-singapore-2").await);
    // Well after the delay would have ended, nothing was applied or answered: the client's
    // closed connection cancelled the request while it waited.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(instances_in(&client, "ap-singapore-2").await, 0);
    assert!(emulator.requests().iter().all(|r| r.action != CREATE));
}
