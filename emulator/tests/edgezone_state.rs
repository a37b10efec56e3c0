//! The rest of the edgezone model at the wire: the seeded documentation example, servers
//! (models, quotas, private addresses, NewPublicIp, which the Rust SDK does not generate),
//! zones and zone data, and the codes answered for another account's resources. The SDK's
//! view of the same state is `tests/tests/edgezone_state.rs`.

mod common;

use common::{Call, apply, empty_emulator, emulator, static_instance};
use serde_json::{Value, json};
use tencent_cloud_emulator::{Emulator, TestCredential, credentials};

fn call(emulator: &Emulator, action: &str, body: Value) -> Call {
    Call::new(emulator, action, body)
}

async fn private_instance(emulator: &Emulator, zone: &str, network: &str, mask: i64) -> String {
    let body =
        json!({"NetworkInstanceName": "p", "ZoneId": zone, "Network": network, "Mask": mask});
    let created = call(emulator, "CreatePrivateNetworkInstance", body)
        .send()
        .await
        .ok();
    created["NetworkInstanceId"].as_str().unwrap().to_owned()
}

fn create_servers(emulator: &Emulator, zone: &str, networks: (&str, &str), extra: Value) -> Call {
    let mut body = json!({"Zone": zone, "InstanceType": "BMS5.MEDIUM8",
        "PrivateNetworkId": networks.0, "PublicNetworkId": networks.1, "SSHKey": "ssh-ed25519 AAAA"});
    let fields = body.as_object_mut().unwrap();
    fields.extend(extra.as_object().unwrap().clone());
    call(emulator, "CreateInstances", body)
}

fn ids(response: &Value, set: &str, field: &str) -> Vec<String> {
    response[set]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_fresh_emulator_holds_the_documentation_example() {
    let emulator = emulator().await;
    let listed = call(
        &emulator,
        "DescribePublicIps",
        json!({"NetworkInstanceId": ["epn-dfghjkl"]}),
    )
    .send()
    .await
    .ok();
    let mut ips = ids(&listed, "IpInfoSet", "Ip");
    ips.sort();
    assert_eq!(ips, ["226.10.12.3", "226.10.12.4"]);
    assert_eq!(listed["IpInfoSet"][0]["State"], "Unbound");
    let instance = call(
        &emulator,
        "DescribePublicNetworkInstances",
        json!({"NetworkInstanceId": "epn-dfghjkl"}),
    )
    .send()
    .await
    .ok();
    assert_eq!(
        instance["PublicNetworkInstanceSet"][0]["RouteMode"],
        "STATIC"
    );
    let zone = instance["PublicNetworkInstanceSet"][0]["ZoneId"].clone();
    let zones = zone_list(&emulator, credentials::PRIMARY).await;
    assert_eq!(zones.len(), 1);
    assert_eq!(json!(zones[0].0), zone, "its zone is the account's");
    // The documented request, as the documentation writes it.
    let documented = json!({"NetworkInstanceId": "epn-dfghjkl", "Type": "ipv4",
        "IpList": ["226.10.12.3", "226.10.12.4"]});
    call(&emulator, "ReleasePublicIp", documented.clone())
        .send()
        .await
        .ok();
    let again = call(&emulator, "ReleasePublicIp", documented).send().await;
    assert_eq!(
        again.code().as_deref(),
        Some("InvalidParameterValue.PublicIpNotAvailable"),
        "released once"
    );
    // It belongs to the primary account only.
    let theirs = call(&emulator, "DescribePublicNetworkInstances", json!({}))
        .as_(credentials::SECONDARY)
        .send()
        .await
        .ok();
    assert_eq!(theirs["TotalCount"], 0);

    let empty = empty_emulator().await;
    let listed = call(&empty, "DescribePublicNetworkInstances", json!({}))
        .send()
        .await
        .ok();
    assert_eq!(listed["TotalCount"], 0, "seed_documentation_example(false)");
}

#[tokio::test]
async fn another_accounts_resources_answer_each_actions_documented_code() {
    let emulator = emulator().await;
    let public = static_instance(&emulator, "zone-a").await;
    let private = private_instance(&emulator, "zone-a", "10.0.0.0", 24).await;
    let theirs =
        |action: &str, body: Value| call(&emulator, action, body).as_(credentials::SECONDARY);
    for (action, body, code) in [
        // Only ReleasePublicIp documents PermissionDenied.
        (
            "ReleasePublicIp",
            json!({"NetworkInstanceId": public, "Type": "ipv4", "IpList": ["198.51.100.2"]}),
            "UnauthorizedOperation.PermissionDenied",
        ),
        (
            "ApplyPublicIps",
            json!({"NetworkInstanceId": public, "Type": "ipv4", "Count": 1}),
            "InvalidParameter",
        ),
        (
            "ModifyPublicNetworkInstance",
            json!({"NetworkInstanceId": public, "NetworkInstanceName": "x"}),
            "ResourceNotFound.PublicInstanceNotFound",
        ),
        (
            "DescribeInstances",
            json!({"PublicNetworkId": public}),
            "ResourceNotFound.PublicInstanceNotFound",
        ),
        (
            "ModifyPrivateNetworkInstance",
            json!({"NetworkInstanceId": private, "NetworkInstanceName": "x"}),
            "ResourceNotFound.PrivateInstanceNotFound",
        ),
        (
            "DeletePrivateNetworkInstance",
            json!({"NetworkInstanceId": private}),
            "ResourceNotFound.PrivateInstanceNotFound",
        ),
    ] {
        let response = theirs(action, body).send().await;
        assert_eq!(response.code().as_deref(), Some(code), "{action}");
    }
    // Nothing changed for the owner.
    let mine = call(
        &emulator,
        "DescribePrivateNetworkInstances",
        json!({"NetworkInstanceId": private}),
    )
    .send()
    .await
    .ok();
    assert_eq!(
        mine["PrivateNetworkInstanceSet"][0]["NetworkInstanceName"],
        "p"
    );
}

#[tokio::test]
async fn servers_take_models_quotas_and_private_addresses() {
    let emulator = emulator().await;
    let public = static_instance(&emulator, "zone-a").await;
    apply(&emulator, &public, "ipv4", 20).await;
    // A /28 has 14 host addresses.
    let private = private_instance(&emulator, "zone-a", "192.168.7.0", 28).await;
    let networks = (private.as_str(), public.as_str());

    let unknown = create_servers(
        &emulator,
        "zone-a",
        networks,
        json!({"InstanceType": "BMS9.HUGE"}),
    )
    .send()
    .await;
    assert_eq!(unknown.code().as_deref(), Some("InvalidParameterValue"));
    assert!(
        unknown.message().contains("BMS5.MEDIUM8"),
        "{}",
        unknown.message()
    );
    let long_name = create_servers(
        &emulator,
        "zone-a",
        networks,
        json!({"InstanceName": "n".repeat(61)}),
    )
    .send()
    .await;
    assert_eq!(long_name.code().as_deref(), Some("InvalidParameterValue"));

    // Ten of a model per zone: the eleventh is over the quota.
    let ten = create_servers(&emulator, "zone-a", networks, json!({"InstanceCount": 10}))
        .send()
        .await
        .ok();
    assert_eq!(ten["InstanceIdSet"].as_array().unwrap().len(), 10);
    let over = create_servers(&emulator, "zone-a", networks, json!({}))
        .send()
        .await;
    assert_eq!(over.code().as_deref(), Some("LimitExceeded.InstanceQuota"));
    let types = call(
        &emulator,
        "DescribeInstanceTypes",
        json!({"Zone": "zone-a"}),
    )
    .send()
    .await
    .ok();
    let quotas: Vec<(String, u64)> = types["InstanceTypeQuotaSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["InstanceType"].as_str().unwrap().to_owned(),
                t["Quota"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        quotas,
        [
            ("BMS5.MEDIUM8".to_owned(), 0),
            ("BMS5.LARGE16".to_owned(), 10)
        ]
    );
    // Another model still has quota, but the /28 has only 4 host addresses left.
    let large = json!({"InstanceType": "BMS5.LARGE16", "InstanceCount": 5});
    let full = create_servers(&emulator, "zone-a", networks, large)
        .send()
        .await;
    assert_eq!(full.code().as_deref(), Some("ResourceInsufficient"));
    assert!(full.message().contains(&private), "{}", full.message());

    let listed = call(
        &emulator,
        "DescribeInstances",
        json!({"PrivateNetworkId": private, "Limit": 100}),
    )
    .send()
    .await
    .ok();
    assert_eq!(listed["TotalCount"], 10);
    let private_ips = ids(&listed, "InstanceSet", "PrivateIp");
    assert_eq!(private_ips[0], "192.168.7.1");
    assert_eq!(private_ips[9], "192.168.7.10");
    let described = call(
        &emulator,
        "DescribePrivateNetworkInstances",
        json!({"NetworkInstanceId": private}),
    )
    .send()
    .await
    .ok();
    let info = &described["PrivateNetworkInstanceSet"][0];
    assert_eq!(
        (
            info["ServerCount"].clone(),
            info["AvailableIpCount"].clone()
        ),
        (json!(10), json!(4))
    );

    // A terminated server's private address is the first one given again.
    let first = ids(&listed, "InstanceSet", "InstanceId").remove(0);
    call(
        &emulator,
        "TerminateInstances",
        json!({"InstanceIds": [first]}),
    )
    .send()
    .await
    .ok();
    let again = create_servers(&emulator, "zone-a", networks, json!({}))
        .send()
        .await
        .ok();
    let id = again["InstanceIdSet"][0].as_str().unwrap();
    let one = call(&emulator, "DescribeInstances", json!({"InstanceIds": [id]}))
        .send()
        .await
        .ok();
    assert_eq!(one["InstanceSet"][0]["PrivateIp"], "192.168.7.1");
}

#[tokio::test]
async fn describe_instances_filters_and_pages() {
    let emulator = emulator().await;
    let public = static_instance(&emulator, "zone-a").await;
    let v4 = apply(&emulator, &public, "ipv4", 3).await;
    apply(&emulator, &public, "ipv6", 1).await;
    let private = private_instance(&emulator, "zone-a", "10.0.0.0", 24).await;
    let networks = (private.as_str(), public.as_str());
    let web = create_servers(
        &emulator,
        "zone-a",
        networks,
        json!({"InstanceName": "web-1", "EnableIpv6": true}),
    )
    .send()
    .await
    .ok();
    let web = web["InstanceIdSet"][0].as_str().unwrap().to_owned();
    let db = create_servers(
        &emulator,
        "zone-a",
        networks,
        json!({"InstanceName": "db-1", "ImageId": "img-centos-7.9"}),
    )
    .send()
    .await
    .ok();
    let db = db["InstanceIdSet"][0].as_str().unwrap().to_owned();
    let describe = |body: Value| call(&emulator, "DescribeInstances", body);
    let found = |body: Value| async {
        let response = describe(body).send().await.ok();
        ids(&response, "InstanceSet", "InstanceId")
    };

    assert_eq!(found(json!({})).await, [web.clone(), db.clone()]);
    assert_eq!(found(json!({"InstanceName": "web"})).await, [web.as_str()]);
    assert_eq!(
        found(json!({"InstanceIds": [db, "epm-none0000"]})).await,
        [db.as_str()]
    );
    assert_eq!(found(json!({"PublicIps": [v4[0]]})).await, [web.as_str()]);
    assert_eq!(
        found(json!({"PublicIps": ["198.51.100.99"]})).await,
        Vec::<String>::new()
    );
    assert_eq!(found(json!({"InstanceStatus": ["Running"]})).await.len(), 2);
    assert!(
        found(json!({"InstanceStatus": ["terminating"]}))
            .await
            .is_empty()
    );
    assert!(found(json!({"Zone": "zone-b"})).await.is_empty());
    assert!(
        found(json!({"PrivateNetworkId": "ein-none0000"}))
            .await
            .is_empty()
    );
    assert_eq!(found(json!({"Offset": 1, "Limit": 1})).await, [db.as_str()]);
    // uint64 members: an offset beyond i64 is past the end, not a wrap-around.
    let far = describe(json!({"Offset": u64::MAX})).send().await.ok();
    assert_eq!(
        (far["TotalCount"].clone(), far["InstanceSet"].clone()),
        (json!(2), json!([]))
    );
    for bad in [
        json!({"Limit": 0}),
        json!({"Limit": 101}),
        json!({"InstanceStatus": ["gone"]}),
    ] {
        let response = describe(bad.clone()).send().await;
        assert_eq!(
            response.code().as_deref(),
            Some("InvalidParameterValue"),
            "{bad}"
        );
    }

    let info = describe(json!({"InstanceIds": [web]})).send().await.ok();
    let info = &info["InstanceSet"][0];
    assert_eq!(info["PublicIp"], v4[0]);
    assert_eq!(info["PublicIpV6"], "2001:db8::1");
    assert_eq!(info["PrivateIp"], "10.0.0.1");
    assert_eq!(info["Cpu"], 8);
    assert!(info["CreatedTime"].as_str().unwrap().ends_with('Z'));
    let db_info = describe(json!({"InstanceIds": [db]})).send().await.ok();
    assert_eq!(db_info["InstanceSet"][0]["ImageId"], "img-centos-7.9");
    assert_eq!(db_info["InstanceSet"][0]["PublicIpV6"], "");
}

#[tokio::test]
async fn modify_instance_attribute_moves_between_addresses() {
    let emulator = emulator().await;
    let public = static_instance(&emulator, "zone-a").await;
    let v4 = apply(&emulator, &public, "ipv4", 3).await;
    let private = private_instance(&emulator, "zone-a", "10.0.0.0", 24).await;
    let networks = (private.as_str(), public.as_str());
    let servers = create_servers(&emulator, "zone-a", networks, json!({"InstanceCount": 2}))
        .send()
        .await
        .ok();
    let (first, second) = (
        servers["InstanceIdSet"][0].as_str().unwrap().to_owned(),
        servers["InstanceIdSet"][1].as_str().unwrap().to_owned(),
    );
    let modify = |body: Value| call(&emulator, "ModifyInstanceAttribute", body);

    for (body, code) in [
        (json!({"InstanceId": first}), "InvalidParameter"),
        (
            json!({"InstanceId": first, "InstanceName": ""}),
            "InvalidParameter",
        ),
        (
            json!({"InstanceId": first, "NewPublicIp": "nonsense"}),
            "InvalidParameter",
        ),
        (
            json!({"InstanceId": first, "NewPublicIp": v4[2], "IpType": "ipv6"}),
            "InvalidParameter",
        ),
        (
            json!({"InstanceId": first, "NewPublicIp": v4[2], "IpType": "ipv5"}),
            "InvalidParameter",
        ),
        // Not an address of its public network, and one bound to another server.
        (
            json!({"InstanceId": first, "NewPublicIp": "198.51.100.200"}),
            "FailedOperation",
        ),
        (
            json!({"InstanceId": first, "NewPublicIp": v4[1]}),
            "FailedOperation",
        ),
        (
            json!({"InstanceId": "epm-none0000", "NewPublicIp": v4[2]}),
            "ResourceNotFound.Instance",
        ),
    ] {
        let response = modify(body.clone()).send().await;
        assert_eq!(response.code().as_deref(), Some(code), "{body}");
    }

    modify(json!({"InstanceId": first, "NewPublicIp": v4[2], "InstanceName": "moved"}))
        .send()
        .await
        .ok();
    let states = call(
        &emulator,
        "DescribePublicIps",
        json!({"NetworkInstanceId": [public], "OrderByCreateTime": "asc"}),
    )
    .send()
    .await
    .ok();
    let holders: Vec<Value> = states["IpInfoSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["InstanceId"].clone())
        .collect();
    assert_eq!(holders, [json!(""), json!(second), json!(first)]);
    // The freed address can be released; the new one cannot.
    let release = |ip: &str| {
        call(
            &emulator,
            "ReleasePublicIp",
            json!({"NetworkInstanceId": public, "Type": "ipv4", "IpList": [ip]}),
        )
    };
    assert_eq!(
        release(&v4[2]).send().await.code().as_deref(),
        Some("FailedOperation.IpStillBoundToServer")
    );
    assert_eq!(release(&v4[0]).send().await.code(), None);
    // Its own address again changes nothing.
    modify(json!({"InstanceId": first, "NewPublicIp": v4[2]}))
        .send()
        .await
        .ok();
    let named = call(
        &emulator,
        "DescribeInstances",
        json!({"InstanceName": "moved"}),
    )
    .send()
    .await
    .ok();
    assert_eq!(named["InstanceSet"][0]["PublicIp"], v4[2]);
}

/// (Zone, ZoneId) of DescribeZones, as `credential` sees them.
async fn zone_list(emulator: &Emulator, credential: TestCredential) -> Vec<(String, i64)> {
    let response = call(emulator, "DescribeZones", json!({}))
        .as_(credential)
        .send()
        .await
        .ok();
    let set = response["ZoneSet"].as_array().unwrap();
    assert_eq!(response["TotalCount"], set.len());
    set.iter()
        .map(|z| {
            (
                z["Zone"].as_str().unwrap().to_owned(),
                z["ZoneId"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn zones_belong_to_accounts_and_keep_their_ids() {
    let emulator = emulator().await;
    let zones = |credential| zone_list(&emulator, credential);
    // Whatever zones the account has already, the new ones follow them.
    let before = zones(credentials::PRIMARY).await.len();
    assert_eq!(zones(credentials::SECONDARY).await, []);

    let public = static_instance(&emulator, "ap-guangzhou-tez-gz-1").await;
    for _ in 0..2 {
        call(
            &emulator,
            "CreateEdgeNodeService",
            json!({"Zone": "ap-chengdu-1"}),
        )
        .send()
        .await
        .ok();
    }
    let listed = zones(credentials::PRIMARY).await;
    assert_eq!(
        listed.len(),
        before + 2,
        "enabling twice is once: {listed:?}"
    );
    assert_eq!(listed[before].0, "ap-guangzhou-tez-gz-1");
    assert_eq!(
        listed[before + 1].1,
        listed[before].1 + 1,
        "numbered in order of use"
    );
    let whole = call(&emulator, "DescribeZones", json!({}))
        .send()
        .await
        .ok();
    assert_eq!(whole["ZoneSet"][before]["Region"], "ap-guangzhou");

    // A zone with nothing left in it is no longer the account's, and keeps its number.
    call(
        &emulator,
        "DeletePublicNetworkInstance",
        json!({"NetworkInstanceId": public}),
    )
    .send()
    .await
    .ok();
    assert_eq!(zones(credentials::PRIMARY).await.len(), before + 1);
    static_instance(&emulator, "ap-guangzhou-tez-gz-1").await;
    assert_eq!(zones(credentials::PRIMARY).await, listed);

    // DescribeInstanceTypes without a Zone: every model of every zone of the account.
    let types = call(
        &emulator,
        "DescribeInstanceTypes",
        json!({"Offset": 2 * before + 2, "Limit": 10}),
    )
    .send()
    .await
    .ok();
    assert_eq!(types["TotalCount"], 2 * before + 4);
    assert_eq!(types["InstanceTypeQuotaSet"].as_array().unwrap().len(), 2);
    assert_eq!(types["InstanceTypeQuotaSet"][0]["Zone"], "ap-chengdu-1");
}

#[tokio::test]
async fn zone_data_is_a_point_a_minute_of_the_accounts_zones() {
    let emulator = emulator().await;
    static_instance(&emulator, "zone-a").await;
    let data = |body: Value| call(&emulator, "DescribeZoneData", body);
    let range = |start: &str, end: &str| json!({"Zone": "zone-a", "MetricName": "inbw", "StartTime": start, "EndTime": end});
    let points = data(range("2026-04-13T00:00:30Z", "2026-04-13T00:03:00Z"))
        .send()
        .await
        .ok();
    let times = ids(&points, "Data", "Time");
    assert_eq!(
        times,
        [
            "2026-04-13T00:01:00Z",
            "2026-04-13T00:02:00Z",
            "2026-04-13T00:03:00Z"
        ]
    );
    assert_eq!(points["Data"][0]["Value"], 0.0);
    let two_days = data(range("2026-04-13T00:00:00Z", "2026-04-15T00:00:00Z"))
        .send()
        .await
        .ok();
    assert_eq!(two_days["Data"].as_array().unwrap().len(), 2 * 24 * 60 + 1);

    for bad in [
        range("2026-04-13T00:00:00Z", "2026-04-15T00:00:01Z"),
        range("2026-04-13T00:05:00Z", "2026-04-13T00:00:00Z"),
        range("2026-04-13 00:00:00", "2026-04-13T00:05:00Z"),
        range("2026-02-30T00:00:00Z", "2026-04-13T00:05:00Z"),
        json!({"Zone": "zone-a", "MetricName": "cpu", "StartTime": "2026-04-13T00:00:00Z",
            "EndTime": "2026-04-13T00:05:00Z"}),
        json!({"Zone": "zone-z", "MetricName": "outbw", "StartTime": "2026-04-13T00:00:00Z",
            "EndTime": "2026-04-13T00:05:00Z"}),
    ] {
        let response = data(bad.clone()).send().await;
        assert_eq!(
            response.code().as_deref(),
            Some("InvalidParameter.ParamError"),
            "{bad}"
        );
    }
}
