//! The codegen golden files (`codegen/tests/golden/<fixture>/`) compile against the real
//! runtime under `#![deny(warnings)]`, and behave: wire names, keyword members, boxed
//! recursion, enum fallbacks and error mapping.
#![deny(warnings)]

// Generated code names the runtime as `crate::client`, `crate::error` and `crate::Config`
// (inside the SDK `crate` is `tencent_cloud`); these imports make the same paths resolve
// in this crate.
use tencent_cloud::{Config, client, error};

// `pub` so that re-exports this test does not use are not "unused imports"; not every
// generated item is used here, so dead code is allowed. Everything else stays denied.
#[allow(dead_code)]
#[rustfmt::skip] // formatted by the generator, compared byte for byte
#[path = "../../codegen/tests/golden/kitchen/mod.rs"]
pub mod kitchen;
#[allow(dead_code)]
#[rustfmt::skip] // formatted by the generator, compared byte for byte
#[path = "../../codegen/tests/golden/minimal/mod.rs"]
pub mod minimal;

use error::{ErrorMeta, SdkError, ServiceError};
use kitchen::{
    DescribeThingsError, DescribeThingsRequest, DescribeThingsResponse, Filter, ThingKind,
};
use serde_json::json;

fn offline_config() -> Config {
    Config::builder()
        .region("ap-singapore")
        .endpoint_url("http://127.0.0.1:9")
        .credentials(tencent_cloud::StaticProvider::new(
            tencent_cloud::Credentials::new("id", "key"),
        ))
        .build()
        .expect("config")
}

#[test]
fn keyword_and_colliding_members_keep_their_wire_names() {
    let request = DescribeThingsRequest {
        r#type: ThingKind::Ipv4,
        r#match: Some("m".into()),
        super_: Some("s".into()),
        instance_id: Some("canonical".into()),
        instance_id_2: Some("upper".into()),
        had_auto_fix_vul: Some(true),
        send_: Some("x".into()),
        new_: None,
        limit: Some(u64::MAX),
        filters: Some(vec![Filter {
            name: "zone".into(),
            values: vec![],
        }]),
        r#where: None,
        r#enum: None,
        r#mod: None,
        r#abstract: None,
        r#for: None,
        r#override: None,
        r#ref: None,
        r#break: None,
        r#async: None,
        tags: None,
        client_token: None,
    };
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({
            "Type": "ipv4", "Match": "m", "Super": "s", "InstanceId": "canonical",
            "InstanceID": "upper", "hadAutoFixVul": true, "Send": "x",
            "Limit": 18446744073709551615u64,
            // Set but empty: still sent.
            "Filters": [{"Name": "zone", "Values": []}],
        })
    );
}

#[test]
fn responses_decode_recursion_nulls_and_unknown_enum_values() {
    let response: DescribeThingsResponse = serde_json::from_value(json!({
        "RequestId": "req-1",
        "RequestID": "other",
        "TotalCount": 18446744073709551615u64,
        "Things": [{"ThingId": "t", "Kind": "a-new-kind", "Size": null}],
        "Root": {"Name": "a", "Parent": {"Name": "b", "Parent": null}, "Children": [{"Name": "c"}]},
        "Forest": {"Trunk": {"Tree": {}, "Leaves": 3}},
        "Outcome": {"Ok": true},
    }))
    .unwrap();
    assert_eq!(response.request_id, "req-1");
    assert_eq!(response.request_id_.as_deref(), Some("other"));
    assert_eq!(response.total_count, u64::MAX);
    let thing = &response.things.as_ref().unwrap()[0];
    assert_eq!(thing.kind, ThingKind::Unknown("a-new-kind".into()));
    assert_eq!(thing.size, None);
    let root = response.root.unwrap();
    assert_eq!(root.parent.unwrap().name, "b");
    assert_eq!(root.children.unwrap()[0].name, "c");
    assert_eq!(response.forest.unwrap().trunk.unwrap().leaves, Some(3));
    assert_eq!(response.outcome.unwrap().ok, Some(true));
    assert_eq!(ThingKind::from("unknown"), ThingKind::UnknownValue);
    assert_eq!(ThingKind::U662f.as_str(), "是");
}

#[test]
fn error_codes_map_to_variants_common_codes_and_unhandled() {
    let meta = |code: &str| ErrorMeta::new(code, "message", "req-9");
    let documented = DescribeThingsError::from_meta(meta("InvalidParameter.Bad-Value"));
    assert!(matches!(
        documented,
        DescribeThingsError::InvalidParameterBadValue(_)
    ));
    assert_eq!(documented.code(), "InvalidParameter.Bad-Value");
    assert_eq!(documented.request_id(), "req-9");
    assert!(documented.to_string().contains("req-9"));
    assert!(matches!(
        DescribeThingsError::from_meta(meta("Common")),
        DescribeThingsError::CommonError(_)
    ));
    assert!(matches!(
        DescribeThingsError::from_meta(meta("AuthFailure.SignatureExpire")),
        DescribeThingsError::Common(_)
    ));
    assert!(matches!(
        DescribeThingsError::from_meta(meta("Brand.New")),
        DescribeThingsError::Unhandled(_)
    ));
    // No documented codes at all: only the common and unhandled cases.
    assert!(matches!(
        minimal::PingError::from_meta(meta("Brand.New")),
        minimal::PingError::Unhandled(_)
    ));
}

#[tokio::test]
async fn a_missing_required_member_is_refused_before_sending() {
    let client = kitchen::Client::new(&offline_config());
    let err = client
        .describe_things()
        .filters([Filter {
            name: "n".into(),
            values: vec!["v".into()],
        }])
        .send()
        .await
        .unwrap_err();
    match err {
        SdkError::InvalidRequest(invalid) => assert_eq!(invalid.field(), Some("Type")),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    let _ = kitchen::SERVICE.name;
    let _: &client::ServiceInfo = &minimal::SERVICE;
}
