//! GET requests (parameters in the query string) and form-urlencoded POSTs, which the real
//! API accepts and the official SDKs send with `reqMethod = "GET"`: signed over the query
//! string and an empty payload (GET) or the form body (POST), and decoded into the same
//! parameters as a JSON body, typed by the action's schema.

mod common;

use common::{Call, apply, emulator, static_instance};
use serde_json::json;

#[tokio::test]
async fn get_with_query_parameters_is_accepted() {
    let emulator = emulator().await;
    let instance = static_instance(&emulator, "ap-singapore-1").await;
    let applied = apply(&emulator, &instance, "ipv4", 3).await;

    // Lists are flattened as Name.N, integers sent as text, as the official SDKs do.
    let query = format!(
        "NetworkInstanceId.0={instance}&Ip.0={}&Ip.1={}&Limit=1&OrderByCreateTime=asc",
        applied[0], applied[2]
    );
    let call = Call::new(&emulator, "DescribePublicIps", json!({})).get(&query);
    let found = call.send().await.ok();
    assert_eq!(found["TotalCount"], 2);
    assert_eq!(found["IpInfoSet"][0]["Ip"], applied[0].as_str());

    // The query is signed: changing it breaks the signature.
    let tampered = call
        .clone()
        .with(|c| c.query = c.query.replace("Limit=1", "Limit=2"));
    let signed_over = tampered.authorization_header();
    let tampered = tampered.with(|c| {
        c.authorization = Some(signed_over);
        c.query = c.query.replace("Limit=2", "Limit=3");
    });
    assert_eq!(
        tampered.send().await.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
}

#[tokio::test]
async fn query_values_are_checked_against_the_schema() {
    let emulator = emulator().await;
    let get = |query: &str| Call::new(&emulator, "DescribePublicIps", json!({})).get(query);
    for (query, code) in [
        ("Limit=ten", "InvalidParameter"),
        ("Bogus=1", "UnknownParameter"),
        ("Ip.x=1.2.3.4", "InvalidParameter"),
        ("Ip=1.2.3.4", "InvalidParameter"),
        ("Limit.0=1", "InvalidParameter"),
        ("Limit=500", "InvalidParameterValue"),
    ] {
        assert_eq!(
            get(query).send().await.code().as_deref(),
            Some(code),
            "{query}"
        );
    }
    // Percent-encoding and `+` for spaces are decoded; an empty query is no parameters.
    let response = get("ZoneId=ap%2Dsingapore+1").send().await;
    assert_eq!(response.ok()["TotalCount"], 0);
    get("").send().await.ok();
}

#[tokio::test]
async fn nested_objects_and_booleans_decode_by_schema() {
    let schema = json!({
        "service": "demo", "version": "2020-01-01", "host": "demo.tencentcloudapi.com",
        "actions": [{
            "name": "Find",
            "request": {"members": [
                {"name": "Filters", "type": "list<Filter>"},
                {"name": "Deep", "type": "bool", "required": true},
                {"name": "Ratio", "type": "float"},
                {"name": "Size", "type": "uint64"}
            ]},
            "response": {"members": [{"name": "Found", "type": "int64"}]},
            "examples": [{"request": "", "response": "{\"Response\": {\"Found\": 1, \"RequestId\": \"x\"}}"}]
        }],
        "types": [{"name": "Filter", "members": [
            {"name": "Name", "type": "string", "required": true},
            {"name": "Values", "type": "list<string>"}
        ]}]
    });
    let emulator = tencent_cloud_emulator::Emulator::builder()
        .schema_json(schema.to_string())
        .start()
        .await
        .unwrap();
    let find = |query: &str| {
        Call::new(&emulator, "Find", json!({}))
            .with(|c| {
                c.service = "demo".into();
                c.version = "2020-01-01".into();
            })
            .get(query)
    };
    let query = "Filters.0.Name=zone&Filters.0.Values.0=a&Filters.0.Values.1=b\
                 &Filters.1.Name=state&Deep=True&Ratio=0.5&Size=18446744073709551615";
    assert_eq!(find(query).send().await.ok()["Found"], 1);
    for (query, code) in [
        ("Deep=maybe", "InvalidParameter"),
        ("Deep=true&Filters.0.Values.0=a", "MissingParameter"),
        (
            "Deep=true&Filters.0.Name=n&Filters.0.Bogus=1",
            "UnknownParameter",
        ),
        ("Deep=true&Size=-1", "InvalidParameter"),
        ("Deep=true&Ratio=x", "InvalidParameter"),
    ] {
        assert_eq!(
            find(query).send().await.code().as_deref(),
            Some(code),
            "{query}"
        );
    }
}

#[tokio::test]
async fn form_urlencoded_post_is_accepted() {
    let emulator = emulator().await;
    let call = Call::new(&emulator, "CreatePublicNetworkInstance", json!({})).form(
        "ZoneId=ap-singapore-1&NetworkInstanceName=form+made&Line=BGP&RouteMode=static&Bandwidth=100",
    );
    let created = call.send().await.ok();
    let id = created["NetworkInstanceId"].as_str().unwrap().to_owned();
    let listed = Call::new(
        &emulator,
        "DescribePublicNetworkInstances",
        json!({"NetworkInstanceId": id}),
    )
    .send()
    .await
    .ok();
    assert_eq!(
        listed["PublicNetworkInstanceSet"][0]["NetworkInstanceName"],
        "form made"
    );
}
