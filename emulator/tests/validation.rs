//! Schema-driven validation of request bodies, and example responses for unmodelled actions.

mod common;

use common::{Call, emulator};
use serde_json::{Value, json};
use tencent_cloud_emulator::Emulator;

async fn code(emulator: &Emulator, action: &str, body: Value) -> (Option<String>, String) {
    let response = Call::new(emulator, action, body).send().await;
    (response.code(), response.message())
}

#[tokio::test]
async fn each_validation_code() {
    let emulator = emulator().await;
    let cases = [
        (
            json!({"Type": "ipv4", "IpList": ["1.1.1.1"]}),
            "MissingParameter",
            "NetworkInstanceId",
        ),
        (
            json!({"NetworkInstanceId": 5, "Type": "ipv4", "IpList": []}),
            "InvalidParameter",
            "NetworkInstanceId",
        ),
        (
            json!({"NetworkInstanceId": "epn-1", "Type": "ipv4", "IpList": "1.1.1.1"}),
            "InvalidParameter",
            "IpList",
        ),
        (
            json!({"NetworkInstanceId": "epn-1", "Type": "ipv4", "IpList": [1]}),
            "InvalidParameter",
            "IpList.0",
        ),
        (
            json!({"NetworkInstanceId": "epn-1", "Type": "IPV4", "IpList": []}),
            "InvalidParameterValue",
            "Type",
        ),
        (
            json!({"NetworkInstanceId": "epn-1", "Type": "ipv4", "IpList": [], "Ips": []}),
            "UnknownParameter",
            "Ips",
        ),
    ];
    for (body, expected, mentions) in cases {
        let (code, message) = code(&emulator, "ReleasePublicIp", body.clone()).await;
        assert_eq!(code.as_deref(), Some(expected), "{body}: {message}");
        assert!(
            message.contains(&format!("`{mentions}`")),
            "{body}: {message}"
        );
    }
}

#[tokio::test]
async fn int64_range_and_type() {
    let emulator = emulator().await;
    for count in [json!(9_223_372_036_854_775_808_u64), json!(1.5), json!("1")] {
        let body = json!({"NetworkInstanceId": "epn-1", "Type": "ipv4", "Count": count});
        let (code, message) = code(&emulator, "ApplyPublicIps", body).await;
        assert_eq!(
            code.as_deref(),
            Some("InvalidParameter"),
            "{count}: {message}"
        );
    }
}

#[tokio::test]
async fn validation_recurses_into_objects() {
    let schema = json!({
        "service": "demo", "version": "2020-01-01", "host": "demo.tencentcloudapi.com",
        "actions": [{
            "name": "DescribeThings",
            "request": {"members": [{"name": "Filters", "type": "list<Filter>"}]},
            "response": {"members": [{"name": "TotalCount", "type": "int64"}]},
            "examples": [{"request": "", "response": "{\"Response\": {\"TotalCount\": 3, \"RequestId\": \"r\"}}"}]
        }],
        "types": [{"name": "Filter", "members": [
            {"name": "Name", "type": "string", "required": true},
            {"name": "Values", "type": "list<string>"}
        ]}]
    });
    let emulator = Emulator::builder()
        .schema_json(schema.to_string())
        .start()
        .await
        .unwrap();
    let call = |body: Value| {
        Call::new(&emulator, "DescribeThings", body).with(|c| {
            c.service = "demo".into();
            c.version = "2020-01-01".into();
        })
    };
    let response = call(json!({"Filters": [{"Name": "n", "Values": ["v"]}]}))
        .send()
        .await;
    assert_eq!(response.ok()["TotalCount"], 3, "the example's response");
    let response = call(json!({"Filters": [{"Values": ["v"]}]})).send().await;
    assert_eq!(response.code().as_deref(), Some("MissingParameter"));
    assert!(
        response.message().contains("`Filters.0.Name`"),
        "{}",
        response.message()
    );
    let response = call(json!({"Filters": [{"Name": "n", "Values": [1]}]}))
        .send()
        .await;
    assert_eq!(response.code().as_deref(), Some("InvalidParameter"));
    let response = call(json!({"Filters": [{"Name": "n", "Extra": 1}]}))
        .send()
        .await;
    assert_eq!(response.code().as_deref(), Some("UnknownParameter"));
}

#[tokio::test]
async fn unmodelled_actions_answer_their_example() {
    let emulator = emulator().await;
    let response = Call::new(&emulator, "DescribeZones", json!({}))
        .send()
        .await;
    let members = response.ok();
    assert!(members["ZoneSet"].is_array(), "{members}");
    assert_ne!(members["RequestId"], "test-req-001");
}
