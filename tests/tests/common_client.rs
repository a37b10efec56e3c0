//! Any action by name (`CommonClient`) against the emulator: the answer is the `Response`
//! object, errors carry code, message, RequestId and trace ID, and only reads or calls
//! marked safe to repeat are repeated after a gateway's 5xx page.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use tencent_cloud::error::CommonError;
use tencent_cloud::{ByNameError, CommonClient, RetryConfig, SdkError};
use tencent_cloud_emulator::{Emulator, Fault, FaultKind};

mod support;

fn client(emulator: &Emulator) -> CommonClient {
    let config = support::without_retries(emulator)
        .retry(RetryConfig::standard().initial_backoff(Duration::from_millis(1)))
        .build()
        .expect("valid config");
    CommonClient::new(&config)
}

#[tokio::test]
async fn an_action_without_a_generated_client_answers_its_response_object() {
    let emulator = support::start().await;
    // cvm is not a feature these tests enable: no generated client is compiled for it.
    let answer: Value = client(&emulator)
        .action("cvm", "2017-03-12", "DescribeInstances")
        .send(&json!({ "Limit": 1 }))
        .await
        .expect("the documented example");
    assert!(answer["TotalCount"].is_u64(), "{answer}");
    assert!(answer["InstanceSet"].is_array(), "{answer}");
    assert!(answer["RequestId"].is_string(), "{answer}");
    let sent = support::sent(&emulator, "DescribeInstances");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].version, "2017-03-12");
}

#[tokio::test]
async fn a_serde_type_is_a_body_and_an_output() {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Release<'a> {
        network_instance_id: &'a str,
        r#type: &'a str,
        ip_list: [&'a str; 1],
    }
    #[derive(Deserialize)]
    struct Released {
        #[serde(rename = "RequestId")]
        request_id: String,
    }
    let emulator = support::start().await;
    // The documentation's example instance, seeded in every fresh emulator.
    let released: Released = client(&emulator)
        .action("edgezone", "2026-04-01", support::RELEASE)
        .send(&Release {
            network_instance_id: "epn-dfghjkl",
            r#type: "ipv4",
            ip_list: ["226.10.12.3"],
        })
        .await
        .expect("released");
    let sent = support::sent(&emulator, support::RELEASE);
    assert_eq!(
        sent[0].request_id.as_deref(),
        Some(released.request_id.as_str())
    );
}

#[tokio::test]
async fn an_error_carries_code_message_request_id_and_trace_id() {
    let emulator = support::start().await;
    let error = client(&emulator)
        .action("edgezone", "2026-04-01", "NoSuchAction")
        .customize(|options| options.trace_id("trace-by-name"))
        .send::<_, Value>(&json!({}))
        .await
        .expect_err("unknown action");
    assert_eq!(
        error.kind(),
        Some(&ByNameError::Common(CommonError::InvalidAction))
    );
    assert_eq!(error.code(), Some("InvalidAction"));
    assert!(error.message().is_some_and(|m| m.contains("NoSuchAction")));
    let sent = support::sent(&emulator, "NoSuchAction");
    assert_eq!(error.request_id(), sent[0].request_id.as_deref());
    assert_eq!(error.trace_id(), Some("trace-by-name"));

    // The same request as `support::release` makes with the generated client: the same
    // code, as an action code rather than a variant of its own.
    let by_name = client(&emulator)
        .action("edgezone", "2026-04-01", support::RELEASE)
        .send::<_, Value>(&json!({
            "NetworkInstanceId": "epn-doesnotexist",
            "Type": "ipv4",
            "IpList": ["203.0.113.7"],
        }))
        .await
        .expect_err("no such instance");
    let config = support::without_retries(&emulator)
        .build()
        .expect("valid config");
    let typed = support::release(&tencent_cloud::edgezone::v20260401::Client::new(&config))
        .await
        .expect_err("no such instance");
    assert_eq!(by_name.kind(), Some(&ByNameError::Action), "{by_name}");
    assert_eq!(by_name.code(), typed.code());
    assert!(
        typed
            .code()
            .is_some_and(|code| code.starts_with("ResourceNotFound"))
    );
}

#[tokio::test]
async fn a_write_is_repeated_after_a_gateway_page_only_when_marked_safe() {
    let emulator = support::start().await;
    let client = client(&emulator);
    let release = json!({"NetworkInstanceId": "epn-x", "Type": "ipv4", "IpList": ["203.0.113.1"]});
    for (safe, attempts) in [(false, 1), (true, 2)] {
        emulator.clear_requests();
        emulator
            .inject_fault(
                Fault::new(FaultKind::ServerError { status: 503 })
                    .for_action(support::RELEASE)
                    .times(1),
            )
            .expect("fault");
        let result = client
            .action("edgezone", "2026-04-01", support::RELEASE)
            .safe_to_repeat(safe)
            .send::<_, Value>(&release)
            .await;
        assert!(result.is_err());
        assert_eq!(
            support::sent(&emulator, support::RELEASE).len(),
            attempts,
            "safe_to_repeat({safe})"
        );
    }
    // A read is repeated without asking.
    emulator.clear_requests();
    emulator
        .inject_fault(
            Fault::new(FaultKind::ServerError { status: 503 })
                .for_action("DescribeZones")
                .times(1),
        )
        .expect("fault");
    client
        .action("edgezone", "2026-04-01", "DescribeZones")
        .send::<_, Value>(&json!({}))
        .await
        .expect("retried");
    assert_eq!(support::sent(&emulator, "DescribeZones").len(), 2);
}

#[tokio::test]
async fn names_that_cannot_be_sent_are_refused_before_anything_is_sent() {
    let emulator = support::start().await;
    let error = client(&emulator)
        .action("cvm", "2017-03-12", "Describe\r\nInstances")
        .send::<_, Value>(&json!({}))
        .await
        .expect_err("refused");
    let SdkError::InvalidRequest(refused) = &error else {
        panic!("not refused before sending: {error:?}");
    };
    assert_eq!(refused.field(), Some("X-TC-Action"));
    assert!(emulator.requests().is_empty());
}
