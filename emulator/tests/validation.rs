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

/// The first documented example response of an embedded action, as the schema file has it.
fn documented_example(service: &str, version: &str, action: &str) -> String {
    let path = format!(
        "{}/../schema/{service}/{version}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let actions = schema["actions"].as_array().unwrap();
    let found = actions.iter().find(|a| a["name"] == action).unwrap();
    found["examples"][0]["response"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Actions of the embedded catalog that no behaviour model covers, each in its own service
/// version (parsed on that first request): a valid request gets the documented example
/// with a fresh RequestId, after the signature and the request are checked.
#[tokio::test]
async fn unmodelled_actions_of_other_services_answer_their_documented_example() {
    let emulator = emulator().await;
    for (service, version, action, body) in [
        (
            "cvm",
            "2017-03-12",
            "DescribeInstances",
            json!({"Limit": 1, "Filters": [{"Name": "zone", "Values": ["ap-guangzhou-1"]}]}),
        ),
        (
            "vpc",
            "2017-03-12",
            "DescribeVpcs",
            json!({"VpcIds": ["vpc-1"], "Limit": "20"}),
        ),
        (
            "vpc",
            "2017-03-12",
            "CreateVpc",
            json!({"VpcName": "v", "CidrBlock": "10.0.0.0/16"}),
        ),
    ] {
        let call = Call::new(&emulator, action, body).with(|c| {
            c.service = service.into();
            c.version = version.into();
        });
        let mut expected: Value =
            serde_json::from_str(&documented_example(service, version, action)).unwrap();
        let documented_id = expected["Response"]["RequestId"].take();
        let mut answered = call.send().await.ok();
        assert_ne!(answered["RequestId"].take(), documented_id, "{action}");
        assert_eq!(answered, expected["Response"], "{service} {action}");

        // The signature is checked before the example is answered.
        let forged = call.clone().with(|c| c.secret_key = "wrong".into());
        assert_eq!(
            forged.send().await.code().as_deref(),
            Some("AuthFailure.SignatureFailure"),
            "{action}"
        );
    }

    // A documented example that is not JSON (advisor's has a missing comma) leaves only
    // the RequestId to answer.
    assert!(
        serde_json::from_str::<Value>(&documented_example(
            "advisor",
            "2020-07-21",
            "DescribeStrategies"
        ))
        .is_err()
    );
    let call = Call::new(&emulator, "DescribeStrategies", json!({})).with(|c| {
        c.service = "advisor".into();
        c.version = "2020-07-21".into();
    });
    let answered = call.send().await.ok();
    assert_eq!(
        answered.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["RequestId"]
    );
}

/// Bad requests to unmodelled actions get the validation codes, not the example.
#[tokio::test]
async fn unmodelled_actions_validate_their_requests() {
    let emulator = emulator().await;
    let cases = [
        (
            "cvm",
            "DescribeInstances",
            json!({"Limit": "one"}),
            "InvalidParameter",
            "Limit",
        ),
        (
            "cvm",
            "DescribeInstances",
            json!({"InstanceIds": ["ins-1"], "Zone": "ap-guangzhou-1"}),
            "UnknownParameter",
            "Zone",
        ),
        (
            "cvm",
            "DescribeInstances",
            json!({"Filters": [{"Values": ["ap-guangzhou-1"]}]}),
            "MissingParameter",
            "Filters.0.Name",
        ),
        (
            "vpc",
            "CreateVpc",
            json!({"VpcName": "v"}),
            "MissingParameter",
            "CidrBlock",
        ),
        (
            "vpc",
            "DescribeVpcs",
            json!({"VpcIds": "vpc-1"}),
            "InvalidParameter",
            "VpcIds",
        ),
    ];
    for (service, action, body, expected, mentions) in cases {
        let response = Call::new(&emulator, action, body.clone())
            .with(|c| {
                c.service = service.into();
                c.version = "2017-03-12".into();
            })
            .send()
            .await;
        assert_eq!(
            response.code().as_deref(),
            Some(expected),
            "{action} {body}: {}",
            response.message()
        );
        assert!(
            response.message().contains(&format!("`{mentions}`")),
            "{action} {body}: {}",
            response.message()
        );
    }
}
