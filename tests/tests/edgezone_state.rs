//! The emulator's edgezone model through the generated client (issue 13, defect 10): all 19
//! actions read and write one state, list filters are honoured, and an action naming a
//! resource that does not exist answers the not-found code its documentation lists, as
//! a typed error.

use std::collections::BTreeSet;

use serde_json::Value;
use tencent_cloud::edgezone::v20260401::{
    ApplyPublicIpsError, Client, CreateInstancesError, DeletePrivateNetworkInstanceError,
    DeletePublicNetworkInstanceError, DescribeInstancesError, DescribePublicNetworkInstancesError,
    DescribeZoneDataError, IpType, ModifyInstanceAttributeError, ModifyPrivateNetworkInstanceError,
    ModifyPublicNetworkInstanceError, ReleasePublicIpError, TerminateInstancesError,
};
use tencent_cloud::{CommonError, Config, Credentials};
use tencent_cloud_emulator::{Emulator, TestCredential, credentials};

const SCHEMA: &str = include_str!("../../schema/edgezone/2026-04-01.json");
const ZONE: &str = "ap-singapore-state-1";
const OTHER_ZONE: &str = "ap-singapore-state-2";
const INSTANCE_TYPE: &str = "BMS5.MEDIUM8";

fn client_for(emulator: &Emulator, account: TestCredential) -> Client {
    let config = Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(Credentials::new(account.secret_id, account.secret_key))
        .build()
        .expect("valid config");
    Client::new(&config)
}

async fn start() -> (Emulator, Client) {
    let emulator = Emulator::start().await.expect("emulator starts");
    let client = client_for(&emulator, credentials::PRIMARY);
    (emulator, client)
}

async fn public_network(client: &Client, zone: &str) -> String {
    client
        .create_public_network_instance()
        .zone_id(zone)
        .network_instance_name("state")
        .line("BGP")
        .route_mode("static")
        .send()
        .await
        .expect("public network created")
        .network_instance_id
}

async fn private_network(client: &Client, zone: &str, network: &str, mask: i64) -> String {
    client
        .create_private_network_instance()
        .network_instance_name(format!("private {zone}"))
        .zone_id(zone)
        .network(network)
        .mask(mask)
        .send()
        .await
        .expect("private network created")
        .network_instance_id
        .expect("an id")
}

async fn apply_ipv4(client: &Client, public: &str, count: i64) -> Vec<String> {
    client
        .apply_public_ips()
        .network_instance_id(public)
        .r#type(IpType::Ipv4)
        .count(count)
        .send()
        .await
        .expect("addresses applied")
        .ip_list
        .expect("a list")
}

/// One server on the two networks; returns its id.
async fn server(client: &Client, private: &str, public: &str, name: &str) -> String {
    let created = client
        .create_instances()
        .zone(ZONE)
        .instance_type(INSTANCE_TYPE)
        .private_network_id(private)
        .public_network_id(public)
        .instance_name(name)
        .password("State-test-1")
        .send()
        .await
        .expect("server created");
    let ids = created.instance_id_set.expect("ids");
    assert_eq!(ids.len(), 1);
    ids[0].clone()
}

/// The codes an action may answer: its own documented list and the common ones.
fn documented_codes(action: &str) -> BTreeSet<String> {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    let actions = schema["actions"].as_array().expect("actions");
    let action = actions
        .iter()
        .find(|a| a["name"] == action)
        .unwrap_or_else(|| panic!("{action} is in the schema"));
    let own = action["errors"].as_array().expect("errors");
    own.iter()
        .filter_map(|e| e["code"].as_str().map(str::to_owned))
        .chain(CommonError::CODES.iter().map(|c| (*c).to_owned()))
        .collect()
}

fn schema_actions() -> BTreeSet<String> {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    schema["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(|a| a["name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn describe_instances_lists_a_server_just_created() {
    let (emulator, client) = start().await;
    let public = public_network(&client, ZONE).await;
    let address = apply_ipv4(&client, &public, 1).await.remove(0);
    let private = private_network(&client, ZONE, "10.1.0.0", 24).await;
    let id = server(&client, &private, &public, "web-1").await;

    let listed = client
        .describe_instances()
        .instance_ids([id.clone()])
        .send()
        .await
        .expect("described");
    assert_eq!(listed.total_count, Some(1));
    let set = listed.instance_set.expect("a set");
    let instance = &set[0];
    assert_eq!(instance.instance_id.as_deref(), Some(id.as_str()));
    assert_eq!(instance.instance_name.as_deref(), Some("web-1"));
    assert_eq!(instance.zone.as_deref(), Some(ZONE));
    assert_eq!(instance.instance_type.as_deref(), Some(INSTANCE_TYPE));
    assert_eq!(instance.instance_status.as_deref(), Some("running"));
    assert_eq!(instance.public_network_id.as_deref(), Some(public.as_str()));
    assert_eq!(
        instance.private_network_id.as_deref(),
        Some(private.as_str())
    );
    assert_eq!(instance.public_ip.as_deref(), Some(address.as_str()));
    assert_eq!(instance.private_ip.as_deref(), Some("10.1.0.1"));

    // Unfiltered, the account's one server; filtered by its public address too.
    let all = client.describe_instances().send().await.expect("described");
    assert_eq!(all.total_count, Some(1));
    let by_ip = client
        .describe_instances()
        .public_ips([address])
        .send()
        .await
        .expect("described");
    assert_eq!(by_ip.total_count, Some(1));
    // Another account sees none of it.
    let other = client_for(&emulator, credentials::SECONDARY);
    let theirs = other.describe_instances().send().await.expect("described");
    assert_eq!(theirs.total_count, Some(0));
}

#[tokio::test]
async fn describe_private_network_instances_honours_its_filters() {
    let (_emulator, client) = start().await;
    let here = private_network(&client, ZONE, "10.2.0.0", 24).await;
    let there = private_network(&client, OTHER_ZONE, "192.168.0.0", 16).await;

    let in_zone = client
        .describe_private_network_instances()
        .zone_id(ZONE)
        .send()
        .await
        .expect("described");
    assert_eq!(in_zone.total_count, Some(1));
    let set = in_zone.private_network_instance_set.expect("a set");
    assert_eq!(set.len(), 1);
    assert_eq!(set[0].network_instance_id.as_deref(), Some(here.as_str()));
    assert_eq!(set[0].zone_id.as_deref(), Some(ZONE));
    assert_eq!(set[0].network.as_deref(), Some("10.2.0.0"));
    assert_eq!(set[0].mask, Some(24));
    assert_eq!(set[0].available_ip_count, Some(254));

    let by_id = client
        .describe_private_network_instances()
        .network_instance_id(there.clone())
        .send()
        .await
        .expect("described");
    let ids: Vec<_> = by_id
        .private_network_instance_set
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.network_instance_id)
        .collect();
    assert_eq!(ids, std::slice::from_ref(&there));
    let by_name = client
        .describe_private_network_instances()
        .network_instance_name(OTHER_ZONE)
        .send()
        .await
        .expect("described");
    assert_eq!(by_name.total_count, Some(1));

    // Offset and Limit page through both, in creation order.
    let second = client
        .describe_private_network_instances()
        .offset(1)
        .limit(1)
        .send()
        .await
        .expect("described");
    assert_eq!(second.total_count, Some(2));
    let set = second.private_network_instance_set.expect("a set");
    assert_eq!(set.len(), 1);
    assert_eq!(set[0].network_instance_id.as_deref(), Some(there.as_str()));
    let nowhere = client
        .describe_private_network_instances()
        .zone_id("ap-singapore-none")
        .send()
        .await
        .expect("described");
    assert_eq!(nowhere.total_count, Some(0));
}

#[tokio::test]
async fn modify_instance_attribute_renames_or_answers_resource_not_found() {
    let (emulator, client) = start().await;
    let missing = client
        .modify_instance_attribute()
        .instance_id("epm-doesnotexist")
        .instance_name("renamed")
        .send()
        .await
        .expect_err("no such server");
    assert_eq!(
        missing.kind(),
        Some(&ModifyInstanceAttributeError::ResourceNotFoundInstance),
        "{missing}"
    );

    let public = public_network(&client, ZONE).await;
    apply_ipv4(&client, &public, 1).await;
    let private = private_network(&client, ZONE, "10.3.0.0", 24).await;
    let id = server(&client, &private, &public, "before").await;
    client
        .modify_instance_attribute()
        .instance_id(id.clone())
        .instance_name("after")
        .send()
        .await
        .expect("renamed");
    let found = client
        .describe_instances()
        .instance_name("aft")
        .send()
        .await
        .expect("described");
    let names: Vec<_> = found
        .instance_set
        .unwrap_or_default()
        .into_iter()
        .map(|i| (i.instance_id, i.instance_name))
        .collect();
    assert_eq!(names, [(Some(id.clone()), Some("after".to_owned()))]);

    // Another account's server does not exist for the caller.
    let other = client_for(&emulator, credentials::SECONDARY);
    let foreign = other
        .modify_instance_attribute()
        .instance_id(id)
        .instance_name("theirs")
        .send()
        .await
        .expect_err("not theirs");
    assert_eq!(
        foreign.kind(),
        Some(&ModifyInstanceAttributeError::ResourceNotFoundInstance)
    );
}

/// What one not-found row answered: the code, and whether it decoded to the expected variant.
type Answer = (String, bool);

fn answer<K: std::fmt::Debug + PartialEq>(
    result: Result<impl std::fmt::Debug, tencent_cloud::SdkError<K>>,
    expected: K,
) -> Answer {
    match result {
        Ok(out) => (format!("success: {out:?}"), false),
        Err(err) => {
            let typed = err.kind() == Some(&expected);
            (err.code().unwrap_or("<no code>").to_owned(), typed)
        }
    }
}

#[tokio::test]
async fn every_action_naming_a_missing_resource_answers_its_documented_code() {
    let (_emulator, client) = start().await;
    // A real private network in the zone, so that CreateInstances misses only the public one.
    let private = private_network(&client, ZONE, "10.4.0.0", 24).await;
    let gone_public = "epn-missing00";
    let gone_private = "ein-missing00";
    let gone_server = "epm-missing00";
    let common = |c| CommonError::from_code(c).expect("a common code");

    let rows: Vec<(&str, &str, Answer)> = vec![
        (
            "ReleasePublicIp",
            "ResourceNotFound.PublicInstanceNotFound",
            answer(
                client
                    .release_public_ip()
                    .network_instance_id(gone_public)
                    .r#type(IpType::Ipv4)
                    .ip_list(["198.51.100.2"])
                    .send()
                    .await,
                ReleasePublicIpError::ResourceNotFoundPublicInstanceNotFound,
            ),
        ),
        (
            // ApplyPublicIps documents no not-found code: its InvalidParameter it is.
            "ApplyPublicIps",
            "InvalidParameter",
            answer(
                client
                    .apply_public_ips()
                    .network_instance_id(gone_public)
                    .r#type(IpType::Ipv4)
                    .count(1)
                    .send()
                    .await,
                ApplyPublicIpsError::Common(common("InvalidParameter")),
            ),
        ),
        (
            "DescribePublicNetworkInstances",
            "ResourceNotFound.PublicInstanceNotFound",
            answer(
                client
                    .describe_public_network_instances()
                    .network_instance_id(gone_public)
                    .send()
                    .await,
                DescribePublicNetworkInstancesError::ResourceNotFoundPublicInstanceNotFound,
            ),
        ),
        (
            "ModifyPublicNetworkInstance",
            "ResourceNotFound.PublicInstanceNotFound",
            answer(
                client
                    .modify_public_network_instance()
                    .network_instance_id(gone_public)
                    .network_instance_name("x")
                    .send()
                    .await,
                ModifyPublicNetworkInstanceError::ResourceNotFoundPublicInstanceNotFound,
            ),
        ),
        (
            "DeletePublicNetworkInstance",
            "ResourceNotFound.PublicInstanceNotFound",
            answer(
                client
                    .delete_public_network_instance()
                    .network_instance_id(gone_public)
                    .send()
                    .await,
                DeletePublicNetworkInstanceError::ResourceNotFoundPublicInstanceNotFound,
            ),
        ),
        (
            "ModifyPrivateNetworkInstance",
            "ResourceNotFound.PrivateInstanceNotFound",
            answer(
                client
                    .modify_private_network_instance()
                    .network_instance_id(gone_private)
                    .network_instance_name("x")
                    .send()
                    .await,
                ModifyPrivateNetworkInstanceError::ResourceNotFoundPrivateInstanceNotFound,
            ),
        ),
        (
            "DeletePrivateNetworkInstance",
            "ResourceNotFound.PrivateInstanceNotFound",
            answer(
                client
                    .delete_private_network_instance()
                    .network_instance_id(gone_private)
                    .send()
                    .await,
                DeletePrivateNetworkInstanceError::ResourceNotFoundPrivateInstanceNotFound,
            ),
        ),
        (
            "CreateInstances",
            "InvalidParameterValue",
            answer(
                client
                    .create_instances()
                    .zone(ZONE)
                    .instance_type(INSTANCE_TYPE)
                    .private_network_id(private.clone())
                    .public_network_id(gone_public)
                    .password("State-test-1")
                    .send()
                    .await,
                CreateInstancesError::Common(common("InvalidParameterValue")),
            ),
        ),
        (
            "DescribeInstances",
            "ResourceNotFound.PublicInstanceNotFound",
            answer(
                client
                    .describe_instances()
                    .public_network_id(gone_public)
                    .send()
                    .await,
                DescribeInstancesError::ResourceNotFoundPublicInstanceNotFound,
            ),
        ),
        (
            "ModifyInstanceAttribute",
            "ResourceNotFound.Instance",
            answer(
                client
                    .modify_instance_attribute()
                    .instance_id(gone_server)
                    .instance_name("x")
                    .send()
                    .await,
                ModifyInstanceAttributeError::ResourceNotFoundInstance,
            ),
        ),
        (
            "TerminateInstances",
            "ResourceNotFound.Instance",
            answer(
                client
                    .terminate_instances()
                    .instance_ids([gone_server])
                    .send()
                    .await,
                TerminateInstancesError::ResourceNotFoundInstance,
            ),
        ),
        (
            // A zone the account has nothing in is not one it can read data of.
            "DescribeZoneData",
            "InvalidParameter.ParamError",
            answer(
                client
                    .describe_zone_data()
                    .zone("ap-singapore-none")
                    .metric_name("inbw")
                    .start_time("2026-04-13T00:00:00Z")
                    .end_time("2026-04-13T00:05:00Z")
                    .send()
                    .await,
                DescribeZoneDataError::InvalidParameterParamError,
            ),
        ),
    ];
    let mut failures = Vec::new();
    for (action, expected, (code, typed)) in &rows {
        assert!(
            documented_codes(action).contains(*expected),
            "{action}: {expected} is not documented for it"
        );
        if code != expected || !typed {
            failures.push(format!(
                "{action}: got {code} (typed: {typed}), want {expected}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Each step names the action it makes and what its answer proves about the shared state;
/// the story as a whole must make every action of the schema.
#[tokio::test]
async fn all_nineteen_actions_read_and_write_one_state() {
    let (emulator, client) = start().await;
    let other = client_for(&emulator, credentials::SECONDARY);
    let mut made: BTreeSet<&str> = BTreeSet::new();
    let mut step = |action: &'static str| {
        made.insert(action);
    };

    // CreateEdgeNodeService: the zone becomes the account's, DescribeZones lists it.
    step("CreateEdgeNodeService");
    client
        .create_edge_node_service()
        .zone(ZONE)
        .send()
        .await
        .expect("enabled");
    step("DescribeZones");
    let zones = zone_codes(&client).await;
    assert!(zones.contains(ZONE), "{zones:?}");
    assert!(
        !zone_codes(&other).await.contains(ZONE),
        "another account's zones are its own"
    );

    // CreatePublicNetworkInstance → DescribePublicNetworkInstances by zone.
    step("CreatePublicNetworkInstance");
    let public = public_network(&client, ZONE).await;
    step("DescribePublicNetworkInstances");
    let listed = client
        .describe_public_network_instances()
        .zone_id(ZONE)
        .send()
        .await
        .expect("described");
    let set = listed.public_network_instance_set.expect("a set");
    assert_eq!(set.len(), 1);
    assert_eq!(set[0].network_instance_id.as_deref(), Some(public.as_str()));

    // ApplyPublicIps → DescribePublicIps of that instance.
    step("ApplyPublicIps");
    let addresses = apply_ipv4(&client, &public, 2).await;
    step("DescribePublicIps");
    assert_eq!(public_ips(&client, &public, None).await, 2);

    // CreatePrivateNetworkInstance → DescribePrivateNetworkInstances by zone.
    step("CreatePrivateNetworkInstance");
    let private = private_network(&client, ZONE, "10.5.0.0", 28).await;
    step("DescribePrivateNetworkInstances");
    let (servers, available) = private_counts(&client, &private).await;
    assert_eq!((servers, available), (0, 14));

    // DescribeInstanceTypes: the zone's quota, which CreateInstances then uses.
    step("DescribeInstanceTypes");
    let quota = type_quota(&client).await;
    assert!(quota > 0, "a quota to create with");

    step("CreateInstances");
    let id = server(&client, &private, &public, "story").await;
    step("DescribeInstances");
    let found = client
        .describe_instances()
        .zone(ZONE)
        .send()
        .await
        .expect("described");
    let instances = found.instance_set.expect("a set");
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].instance_id.as_deref(), Some(id.as_str()));
    let bound = instances[0].public_ip.clone().expect("a public address");
    assert!(addresses.contains(&bound));
    // The server shows in every other view of the state.
    assert_eq!(type_quota(&client).await, quota - 1);
    assert_eq!(private_counts(&client, &private).await, (1, 13));
    assert_eq!(public_ips(&client, &public, Some("InUse")).await, 1);

    step("ModifyInstanceAttribute");
    client
        .modify_instance_attribute()
        .instance_id(id.clone())
        .instance_name("renamed-story")
        .send()
        .await
        .expect("renamed");
    let renamed = client
        .describe_instances()
        .instance_name("renamed")
        .send()
        .await
        .expect("described");
    assert_eq!(renamed.total_count, Some(1));

    step("ModifyPrivateNetworkInstance");
    client
        .modify_private_network_instance()
        .network_instance_id(private.clone())
        .network_instance_name("renamed-private")
        .send()
        .await
        .expect("renamed");
    let by_name = client
        .describe_private_network_instances()
        .network_instance_name("renamed-private")
        .send()
        .await
        .expect("described");
    assert_eq!(by_name.total_count, Some(1));

    step("ModifyPublicNetworkInstance");
    client
        .modify_public_network_instance()
        .network_instance_id(public.clone())
        .network_instance_name("renamed-public")
        .send()
        .await
        .expect("renamed");
    let by_name = client
        .describe_public_network_instances()
        .network_instance_name("renamed-public")
        .send()
        .await
        .expect("described");
    assert_eq!(by_name.total_count, Some(1));

    // DescribeZoneData reads the account's zones: one point a minute, both ends included.
    step("DescribeZoneData");
    let data = client
        .describe_zone_data()
        .zone(ZONE)
        .metric_name("outbw")
        .start_time("2026-04-13T00:00:00Z")
        .end_time("2026-04-13T00:02:00Z")
        .send()
        .await
        .expect("zone data")
        .data
        .expect("points");
    let times: Vec<_> = data.iter().filter_map(|p| p.time.as_deref()).collect();
    assert_eq!(
        times,
        [
            "2026-04-13T00:00:00Z",
            "2026-04-13T00:01:00Z",
            "2026-04-13T00:02:00Z"
        ]
    );

    // ReleasePublicIp: the server's address is refused, the other goes.
    step("ReleasePublicIp");
    let free: Vec<_> = addresses.iter().filter(|a| **a != bound).collect();
    let refused = client
        .release_public_ip()
        .network_instance_id(public.clone())
        .r#type(IpType::Ipv4)
        .ip_list([bound.clone()])
        .send()
        .await
        .expect_err("still bound");
    assert_eq!(
        refused.kind(),
        Some(&ReleasePublicIpError::FailedOperationIpStillBoundToServer)
    );
    client
        .release_public_ip()
        .network_instance_id(public.clone())
        .r#type(IpType::Ipv4)
        .ip_list(free.iter().map(|a| a.as_str()))
        .send()
        .await
        .expect("released");
    assert_eq!(public_ips(&client, &public, None).await, 1);

    // The networks are in use by the server until TerminateInstances.
    step("DeletePublicNetworkInstance");
    let in_use = client
        .delete_public_network_instance()
        .network_instance_id(public.clone())
        .send()
        .await
        .expect_err("in use");
    assert_eq!(
        in_use.kind(),
        Some(&DeletePublicNetworkInstanceError::ResourceInUsePublicInstanceInUse)
    );
    step("DeletePrivateNetworkInstance");
    let in_use = client
        .delete_private_network_instance()
        .network_instance_id(private.clone())
        .send()
        .await
        .expect_err("in use");
    assert_eq!(
        in_use.kind(),
        Some(&DeletePrivateNetworkInstanceError::ResourceInUsePrivateInstanceInUse)
    );

    step("TerminateInstances");
    let terminated = client
        .terminate_instances()
        .instance_ids([id.clone()])
        .send()
        .await
        .expect("terminated");
    assert_eq!(terminated.instance_id_set, Some(vec![id.clone()]));
    let gone = client
        .describe_instances()
        .instance_ids([id])
        .send()
        .await
        .expect("described");
    assert_eq!(gone.total_count, Some(0));
    assert_eq!(type_quota(&client).await, quota);
    assert_eq!(private_counts(&client, &private).await, (0, 14));
    assert_eq!(public_ips(&client, &public, Some("InUse")).await, 0);

    client
        .release_public_ip()
        .network_instance_id(public.clone())
        .r#type(IpType::Ipv4)
        .ip_list([bound])
        .send()
        .await
        .expect("released once unbound");
    client
        .delete_public_network_instance()
        .network_instance_id(public)
        .send()
        .await
        .expect("deleted");
    client
        .delete_private_network_instance()
        .network_instance_id(private)
        .send()
        .await
        .expect("deleted");
    let left = client
        .describe_public_network_instances()
        .zone_id(ZONE)
        .send()
        .await
        .expect("described");
    assert_eq!(left.total_count, Some(0));
    // The edge node service keeps the zone the account's.
    assert!(zone_codes(&client).await.contains(ZONE));

    let made: BTreeSet<String> = made.into_iter().map(str::to_owned).collect();
    assert_eq!(made, schema_actions(), "the story makes every action");
    // And the emulator answered each of them with a model's success at least once.
    let succeeded: BTreeSet<String> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.code.is_none())
        .map(|r| r.action)
        .collect();
    assert_eq!(succeeded, schema_actions());
}

async fn zone_codes(client: &Client) -> BTreeSet<String> {
    let zones = client.describe_zones().send().await.expect("zones");
    let set = zones.zone_set.unwrap_or_default();
    assert_eq!(zones.total_count, Some(set.len() as u64));
    set.into_iter().filter_map(|z| z.zone).collect()
}

async fn public_ips(client: &Client, public: &str, state: Option<&str>) -> i64 {
    let mut request = client.describe_public_ips().network_instance_id([public]);
    if let Some(state) = state {
        request = request.state([state]);
    }
    request
        .send()
        .await
        .expect("described")
        .total_count
        .expect("a count")
}

/// (ServerCount, AvailableIpCount) of a private network.
async fn private_counts(client: &Client, private: &str) -> (i64, i64) {
    let listed = client
        .describe_private_network_instances()
        .network_instance_id(private)
        .send()
        .await
        .expect("described");
    let set = listed.private_network_instance_set.expect("a set");
    assert_eq!(set.len(), 1);
    (
        set[0].server_count.expect("ServerCount"),
        set[0].available_ip_count.expect("AvailableIpCount"),
    )
}

/// The remaining quota of `INSTANCE_TYPE` in `ZONE`.
async fn type_quota(client: &Client) -> u64 {
    let types = client
        .describe_instance_types()
        .zone(ZONE)
        .send()
        .await
        .expect("types");
    types
        .instance_type_quota_set
        .unwrap_or_default()
        .into_iter()
        .find(|t| {
            t.instance_type.as_deref() == Some(INSTANCE_TYPE) && t.zone.as_deref() == Some(ZONE)
        })
        .and_then(|t| t.quota)
        .expect("the type is offered in the zone")
}
