//! The codegen golden files (`codegen/tests/golden/<fixture>/`) compile against the real
//! runtime under `#![deny(warnings)]`, and behave: wire names, keyword members, boxed
//! recursion, enum fallbacks, error mapping, builder-reserved names, redacted secrets
//! and lenient decoding.
#![deny(warnings)]

// Generated code names the runtime as `crate::__rt`, `crate::error`, `crate::Config`,
// `crate::CallOptions`, `crate::SdkError` and `crate::Paginator` (inside the SDK `crate`
// is `tencent_cloud`); these imports make the same paths resolve in this crate.
use tencent_cloud::{__rt, CallOptions, Config, Paginator, SdkError, error};

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

use error::{CommonError, ErrorMeta, ServiceError};
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

/// Only the required member set: everything else is `None`, and not sent.
fn minimal_request() -> DescribeThingsRequest {
    DescribeThingsRequest::default().r#type(ThingKind::Ipv4)
}

#[test]
fn keyword_and_colliding_members_keep_their_wire_names() {
    let request = minimal_request()
        .r#match("m")
        .super_("s")
        .instance_id("canonical")
        .instance_id_2("upper")
        .had_auto_fix_vul(true)
        .send_("x")
        .limit(u64::MAX)
        .filters([Filter::default().name("zone").values(Vec::<String>::new())]);
    assert_eq!(request.new_, None);
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
    // Kept as sent, and sent back as it came.
    let kind = thing.kind.as_ref().unwrap();
    assert_eq!(kind.as_str(), "a-new-kind");
    assert_eq!(kind, &ThingKind::from("a-new-kind"));
    assert_ne!(kind, &ThingKind::Ipv4);
    assert_eq!(thing.size, None);
    let root = response.root.unwrap();
    assert_eq!(root.parent.unwrap().name.as_deref(), Some("b"));
    assert_eq!(root.children.unwrap()[0].name.as_deref(), Some("c"));
    assert_eq!(response.forest.unwrap().trunk.unwrap().leaves, Some(3));
    assert_eq!(response.outcome.unwrap().ok, Some(true));
    assert_eq!(ThingKind::from("unknown"), ThingKind::UnknownValue);
    assert_eq!(ThingKind::UnknownValue.as_str(), "unknown");
    assert_eq!(ThingKind::U662f.as_str(), "是");
}

#[test]
fn error_codes_map_to_variants_common_codes_and_unhandled() {
    let error = |code: &str| {
        ServiceError::<DescribeThingsError>::new(ErrorMeta::new(code, "message", "req-9"))
    };
    let documented = error("InvalidParameter.Bad-Value");
    assert_eq!(
        documented.kind(),
        &DescribeThingsError::InvalidParameterBadValue
    );
    assert_eq!(documented.code(), "InvalidParameter.Bad-Value");
    assert_eq!(documented.request_id(), "req-9");
    assert!(documented.to_string().contains("req-9"));
    assert_eq!(error("Common").kind(), &DescribeThingsError::CommonError);
    // Documented for the action and common: `Common`, as on every other action.
    assert_eq!(
        error("InternalError").kind(),
        &DescribeThingsError::Common(CommonError::InternalError)
    );
    assert_eq!(
        error("AuthFailure.SignatureExpire").kind(),
        &DescribeThingsError::Common(CommonError::AuthFailureSignatureExpire)
    );
    #[allow(deprecated)]
    let unhandled = matches!(error("Brand.New").kind(), DescribeThingsError::Unhandled(_));
    assert!(unhandled);
    // No documented codes at all: only the common and unhandled cases.
    #[allow(deprecated)]
    let unhandled = matches!(
        ServiceError::<minimal::PingError>::new(ErrorMeta::new("Brand.New", "m", "r")).kind(),
        minimal::PingError::Unhandled(_)
    );
    assert!(unhandled);
}

#[tokio::test]
async fn a_missing_required_member_is_refused_before_sending() {
    let client = kitchen::Client::new(&offline_config());
    let err = client
        .describe_things()
        .filters([Filter::default().name("n").values(["v"])])
        .send()
        .await
        .unwrap_err();
    match err {
        SdkError::InvalidRequest(invalid) => assert_eq!(invalid.field(), Some("Type")),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    let _ = kitchen::SERVICE.name;
    let _: &__rt::ServiceInfo = &minimal::SERVICE;
}

#[tokio::test]
async fn a_raw_body_builder_holds_the_body_apart_from_the_members() {
    let client = minimal::Client::new(&offline_config());
    let builder = client
        .upload_blob()
        .body(vec![0u8; 300])
        .body_("a member named Body")
        .compress_type("lz4");
    // The body is not a member: the request serialises the members only, and Debug
    // shows the body's length, not its bytes.
    assert_eq!(
        serde_json::to_value(builder.as_request()).unwrap(),
        json!({"Body": "a member named Body", "CompressType": "lz4"})
    );
    let printed = format!("{builder:?}");
    assert!(printed.contains("RawBody(300 bytes)"), "{printed}");
    match builder.send().await.unwrap_err() {
        SdkError::InvalidRequest(invalid) => assert_eq!(invalid.field(), Some("TopicId")),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[test]
fn members_named_like_builder_methods_get_a_suffix_and_keep_their_wire_names() {
    let client = kitchen::Client::new(&offline_config());
    // `retry`, `customize` are the builder's per-call options; the members are `retry_`...
    let builder = client
        .describe_things()
        .retry(false)
        .customize(|options| options.attempt_timeout(std::time::Duration::from_secs(1)))
        .retry_(true)
        .customize_("c")
        .options_("o");
    let printed = format!("{builder:?}");
    assert!(printed.contains("retry_: Some(true)"), "{printed}");
    assert!(printed.contains("options_: Some(\"o\")"), "{printed}");
    let request = minimal_request().retry_(true).customize_("c").options_("o");
    assert_eq!(builder.as_request().retry_, Some(true));
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["Retry"], json!(true));
    assert_eq!(json["Customize"], json!("c"));
    assert_eq!(json["Options"], json!("o"));
}

#[test]
fn sensitive_members_are_redacted_by_debug() {
    // Flagged in the schema (`ApiKey`) and by wire name (`Password`, `Token`).
    let request = minimal_request()
        .api_key("flagged-secret")
        .filters([Filter::default().name("n").password("hunter2")]);
    let builder = kitchen::Client::new(&offline_config())
        .describe_things()
        .api_key("flagged-secret");
    let thing: kitchen::Thing = serde_json::from_value(json!({
        "ThingId": "t-1", "Kind": "big", "Size": null, "Token": "session-token"
    }))
    .unwrap();
    for printed in [
        format!("{request:?}"),
        format!("{builder:?}"),
        format!("{thing:?}"),
    ] {
        for secret in ["flagged-secret", "hunter2", "session-token"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(printed.contains("** redacted **"), "{printed}");
    }
    // Other fields still print.
    assert!(format!("{thing:?}").contains("t-1"));
}

#[test]
fn response_numbers_and_strings_decode_leniently_element_by_element() {
    let thing: kitchen::Thing = serde_json::from_value(json!({
        "ThingId": 42, "Kind": "big", "Size": "-7", "Counts": ["18446744073709551615", 3]
    }))
    .unwrap();
    assert_eq!(thing.thing_id.as_deref(), Some("42"));
    assert_eq!(thing.size, Some(-7));
    assert_eq!(thing.counts, Some(vec![u64::MAX, 3]));
    assert_eq!(thing.token, None, "a missing optional member is None");
    let bad = serde_json::from_value::<kitchen::Thing>(json!({
        "ThingId": "t", "Kind": "big", "Size": 1, "Counts": ["3", "x"]
    }));
    assert!(bad.is_err());
}

#[test]
fn list_actions_are_paginated() {
    use __rt::Paginate;
    let builder = kitchen::Client::new(&offline_config())
        .describe_things()
        .offset(5);
    assert_eq!(builder.start_offset(), 5);
    let moved = format!("{:?}", builder.at_offset(12));
    assert!(moved.contains("offset: Some(12)"), "{moved}");
    let page: DescribeThingsResponse = serde_json::from_value(json!({
        "TotalCount": "9", "Things": [{"ThingId": "a", "Kind": "big", "Size": 1}],
        "RequestId": "r"
    }))
    .unwrap();
    assert_eq!(kitchen::DescribeThingsBuilder::total_count(&page), Some(9));
    assert_eq!(kitchen::DescribeThingsBuilder::item_count(&page), 1);
    assert_eq!(
        kitchen::DescribeThingsBuilder::into_items(page)[0]
            .thing_id
            .as_deref(),
        Some("a")
    );
    // The paginator itself is tested against the emulator (tests/tests/paginator.rs).
    let _: Paginator<_> = kitchen::Client::new(&offline_config())
        .describe_things()
        .into_paginator();
    let _ = CallOptions::new();
}
