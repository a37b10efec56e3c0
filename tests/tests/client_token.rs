//! The automatic ClientToken end to end: a write that timed out after the emulator
//! applied it is retried with the same token, and the emulator, as the real API does,
//! applies it once and answers the repeat with the first answer.
//!
//! vpc `AllocateAddresses` is declared here by hand, as its generated crate declares it
//! (a `ClientToken` member, `Request::CLIENT_TOKEN`), so that the tests need not compile
//! the whole vpc crate.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tencent_cloud::__rt::{ActionInfo, Request, ServiceClient, ServiceInfo};
use tencent_cloud::{ByNameError, CallOptions, RetryConfig};
use tencent_cloud_emulator::Fault;

mod support;

static VPC: ServiceInfo = ServiceInfo {
    name: "vpc",
    version: "2017-03-12",
    default_host: "vpc.intl.tencentcloudapi.com",
};

static ALLOCATE: ActionInfo = ActionInfo {
    name: "AllocateAddresses",
    rate_limit: None,
    skip_sign: false,
    read: false,
};

#[derive(Serialize)]
struct AllocateAddresses {
    #[serde(rename = "AddressCount", skip_serializing_if = "Option::is_none")]
    address_count: Option<i64>,
    #[serde(rename = "ClientToken", skip_serializing_if = "Option::is_none")]
    client_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Allocated {
    #[serde(rename = "AddressSet")]
    address_set: Vec<String>,
}

impl Request for AllocateAddresses {
    type Response = Allocated;
    type Error = ByNameError;
    const ACTION: &'static ActionInfo = &ALLOCATE;
    const CLIENT_TOKEN: bool = true;

    fn required_unset(&self) -> Option<&'static str> {
        None
    }

    fn client_token(&self) -> Option<&str> {
        self.client_token.as_deref()
    }
}

#[tokio::test]
async fn a_write_that_timed_out_is_retried_and_applied_once() {
    let emulator = support::start().await;
    let config = support::without_retries(&emulator)
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(1)))
        .attempt_timeout(Duration::from_millis(500))
        .build()
        .expect("valid config");
    // Applied, then answered too late for the first attempt.
    emulator
        .inject_fault(
            Fault::delay(Duration::from_secs(2))
                .for_action(ALLOCATE.name)
                .times(1),
        )
        .expect("fault");
    let request = AllocateAddresses {
        address_count: Some(1),
        client_token: None,
    };
    let allocated = ServiceClient::new(&config, &VPC)
        .send(&request, &CallOptions::new())
        .await
        .expect("the retry gets the first answer");
    assert!(!allocated.address_set.is_empty());

    let sent = support::sent(&emulator, ALLOCATE.name);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0].fault.as_deref(), Some("delay"));
    let applied = sent.iter().filter(|record| !record.replayed).count();
    assert_eq!(applied, 1, "applied once: {sent:?}");
    assert!(sent[1].replayed, "the retry is the first write's replay");
}

#[tokio::test]
async fn distinct_calls_get_distinct_tokens_and_are_both_applied() {
    let emulator = support::start().await;
    let config = support::without_retries(&emulator)
        .build()
        .expect("valid config");
    let client = ServiceClient::new(&config, &VPC);
    let request = AllocateAddresses {
        address_count: Some(1),
        client_token: None,
    };
    for _ in 0..2 {
        client
            .send(&request, &CallOptions::new())
            .await
            .expect("allocated");
    }
    // The caller's own token, twice: the API deduplicates the second.
    let tokened = AllocateAddresses {
        address_count: Some(1),
        client_token: Some("mine-1".to_owned()),
    };
    for _ in 0..2 {
        client
            .send(&tokened, &CallOptions::new())
            .await
            .expect("allocated");
    }
    let replayed: Vec<bool> = support::sent(&emulator, ALLOCATE.name)
        .iter()
        .map(|record| record.replayed)
        .collect();
    assert_eq!(replayed, [false, false, false, true]);
}
