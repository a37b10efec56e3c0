//! The edgezone model: every documented error for a real reason, and the Describe actions.

mod common;

use common::{Call, apply, empty_emulator, emulator, static_instance};
use serde_json::{Value, json};
use tencent_cloud_emulator::{Account, Emulator, SeedError, credentials};

async fn release(
    emulator: &Emulator,
    instance: &str,
    type_: &str,
    ips: &[&str],
) -> (Option<String>, String) {
    let body = json!({"NetworkInstanceId": instance, "Type": type_, "IpList": ips});
    let response = Call::new(emulator, "ReleasePublicIp", body).send().await;
    (response.code(), response.message())
}

async fn create(emulator: &Emulator, zone: &str, mode: &str) -> (Option<String>, Value) {
    let body = json!({"ZoneId": zone, "NetworkInstanceName": "n", "Line": "BGP", "RouteMode": mode, "Bandwidth": 100});
    let response = Call::new(emulator, "CreatePublicNetworkInstance", body)
        .send()
        .await;
    (response.code(), response.json()["Response"].clone())
}

#[tokio::test]
async fn release_error_table() {
    let emulator = emulator().await;
    let instance = static_instance(&emulator, "zone-a").await;
    let v4 = apply(&emulator, &instance, "ipv4", 2).await;
    let v6 = apply(&emulator, &instance, "ipv6", 1).await;
    assert_eq!(v4, ["198.51.100.2", "198.51.100.3"]);
    assert_eq!(v6, ["2001:db8::1"]);
    emulator.bind_address(&v4[0], "epm-1").unwrap();

    let (code, message) = release(&emulator, &instance, "ipv4", &[&v4[1], &v4[0]]).await;
    assert_eq!(
        code.as_deref(),
        Some("FailedOperation.IpStillBoundToServer")
    );
    assert!(
        message.contains(&v4[0]) && message.contains("epm-1"),
        "{message}"
    );
    let (code, message) = release(&emulator, &instance, "ipv4", &[&v4[1], "198.51.100.99"]).await;
    assert_eq!(
        code.as_deref(),
        Some("InvalidParameterValue.PublicIpNotAvailable")
    );
    assert!(message.contains("198.51.100.99"), "{message}");
    let (code, _) = release(&emulator, &instance, "ipv4", &[&v6[0]]).await;
    assert_eq!(
        code.as_deref(),
        Some("InvalidParameterValue.PublicIpNotAvailable"),
        "v6 address as ipv4"
    );
    let (code, _) = release(&emulator, &instance, "ipv6", &["2001:db8::99"]).await;
    assert_eq!(
        code.as_deref(),
        Some("InvalidParameterValue.PublicIpv6NotAvailable")
    );
    let (code, _) = release(&emulator, "epn-missing0", "ipv4", &[&v4[1]]).await;
    assert_eq!(
        code.as_deref(),
        Some("ResourceNotFound.PublicInstanceNotFound")
    );
    let other = Call::new(
        &emulator,
        "ReleasePublicIp",
        json!({"NetworkInstanceId": instance, "Type": "ipv4", "IpList": [v4[1]]}),
    )
    .as_(credentials::SECONDARY);
    assert_eq!(
        other.send().await.code().as_deref(),
        Some("UnauthorizedOperation.PermissionDenied")
    );
    let (_, bgp) = create(&emulator, "zone-b", "BGP").await;
    let bgp = bgp["NetworkInstanceId"].as_str().unwrap().to_owned();
    let (code, _) = release(&emulator, &bgp, "ipv4", &["203.0.113.5"]).await;
    assert_eq!(
        code.as_deref(),
        Some("FailedOperation.NotSupportedForDynamicInstance")
    );
    let (code, _) = release(&emulator, &instance, "ipv4", &[]).await;
    assert_eq!(code.as_deref(), Some("InvalidParameter"));

    // Nothing was released by the failures; now all of it goes, the IPv6 in another spelling.
    emulator.unbind_address(&v4[0]).unwrap();
    assert_eq!(
        release(&emulator, &instance, "ipv4", &[&v4[0], &v4[1]])
            .await
            .0,
        None
    );
    assert_eq!(
        release(&emulator, &instance, "ipv6", &["2001:DB8:0::1"])
            .await
            .0,
        None
    );
    let (code, _) = release(&emulator, &instance, "ipv4", &[&v4[0]]).await;
    assert_eq!(
        code.as_deref(),
        Some("InvalidParameterValue.PublicIpNotAvailable"),
        "released once"
    );
    // Released addresses go back to the pool.
    assert_eq!(
        apply(&emulator, &instance, "ipv4", 1).await,
        ["198.51.100.2"]
    );
}

#[tokio::test]
async fn seeding_api() {
    let emulator = emulator().await;
    let instance = static_instance(&emulator, "zone-a").await;
    // The documentation's example instance already holds its two addresses.
    assert_eq!(
        emulator.add_address(&instance, "226.10.12.3"),
        Err(SeedError::AddressAlreadyHeld("226.10.12.3".into()))
    );
    emulator.add_address(&instance, "226.10.12.9").unwrap();
    assert_eq!(
        emulator.add_address(&instance, "226.10.12.9"),
        Err(SeedError::AddressAlreadyHeld("226.10.12.9".into()))
    );
    assert!(matches!(
        emulator.add_address("epn-nope", "1.2.3.4"),
        Err(SeedError::InstanceNotFound(_))
    ));
    assert!(matches!(
        emulator.bind_address("9.9.9.9", "epm-1"),
        Err(SeedError::AddressNotApplied(_))
    ));
    assert!(matches!(
        emulator.bind_address("nonsense", "epm-1"),
        Err(SeedError::InvalidAddress(_))
    ));
    emulator.bind_address("226.10.12.9", "epm-1").unwrap();
    emulator.bind_address("226.10.12.9", "epm-1").unwrap();
    assert!(matches!(
        emulator.bind_address("226.10.12.9", "epm-2"),
        Err(SeedError::AddressBoundElsewhere { .. })
    ));
}

#[tokio::test]
async fn create_errors() {
    let quota_less = Account::new("AKIDnoquota", "k", 7).with_quotas(0, 0);
    let emulator = Emulator::builder()
        .rate_limits(false)
        .account(quota_less)
        .start()
        .await
        .unwrap();
    assert_eq!(create(&emulator, "z1", "static").await.0, None);
    assert_eq!(
        create(&emulator, "z1", "bgp").await.0.as_deref(),
        Some("FailedOperation.PublicInstanceDuplicate")
    );
    assert_eq!(
        create(&emulator, "z1", "rip").await.0.as_deref(),
        Some("InvalidParameterValue")
    );
    // Four BGP/OSPF blocks exist; the fifth dynamic instance finds none.
    for zone in ["z2", "z3", "z4", "z5"] {
        assert_eq!(create(&emulator, zone, "OSPF").await.0, None);
    }
    assert_eq!(
        create(&emulator, "z6", "bgp").await.0.as_deref(),
        Some("ResourceInsufficient.NoAvailableCidr")
    );
    let body =
        json!({"ZoneId": "z9", "NetworkInstanceName": "n", "Line": "BGP", "RouteMode": "bgp"});
    let mut call = Call::new(&emulator, "CreatePublicNetworkInstance", body);
    call.credential.secret_id = "AKIDnoquota";
    call.secret_key = "k".into();
    assert_eq!(
        call.send().await.code().as_deref(),
        Some("LimitExceeded.QuotaNotConfigured")
    );
}

#[tokio::test]
async fn apply_errors() {
    let small = Account::new("AKIDsmall", "k", 8).with_quotas(3, 0);
    let emulator = Emulator::builder()
        .rate_limits(false)
        .account(small)
        .start()
        .await
        .unwrap();
    let as_small = |call: Call| {
        call.with(|c| {
            c.credential.secret_id = "AKIDsmall";
            c.secret_key = "k".into();
        })
    };
    let body =
        json!({"ZoneId": "z", "NetworkInstanceName": "n", "Line": "BGP", "RouteMode": "static"});
    let created = as_small(Call::new(&emulator, "CreatePublicNetworkInstance", body))
        .send()
        .await
        .ok();
    let instance = created["NetworkInstanceId"].as_str().unwrap();
    let apply_as_small = |type_: &str, count: i64| {
        as_small(Call::new(
            &emulator,
            "ApplyPublicIps",
            json!({"NetworkInstanceId": instance, "Type": type_, "Count": count}),
        ))
    };
    assert_eq!(
        apply_as_small("ipv4", 0).send().await.code().as_deref(),
        Some("InvalidParameterValue")
    );
    apply_as_small("ipv4", 2).send().await.ok();
    assert_eq!(
        apply_as_small("ipv4", 2).send().await.code().as_deref(),
        Some("LimitExceeded.QuotaExceeded")
    );
    assert_eq!(
        apply_as_small("ipv6", 1).send().await.code().as_deref(),
        Some("LimitExceeded.Ipv6QuotaNotConfigured")
    );

    // The shared IPv4 pool has 253 addresses; quotas of 64 per instance exhaust it on the fourth.
    for zone in ["p1", "p2", "p3"] {
        let instance = static_instance(&emulator, zone).await;
        apply(&emulator, &instance, "ipv4", 64).await;
    }
    let last = static_instance(&emulator, "p4").await;
    let body = json!({"NetworkInstanceId": last, "Type": "ipv4", "Count": 64});
    let response = Call::new(&emulator, "ApplyPublicIps", body).send().await;
    assert_eq!(
        response.code().as_deref(),
        Some("ResourceInsufficient.PublicIpInsufficient")
    );
    let body = json!({"NetworkInstanceId": last, "Type": "ipv6", "Count": 65});
    let response = Call::new(&emulator, "ApplyPublicIps", body).send().await;
    assert_eq!(
        response.code().as_deref(),
        Some("LimitExceeded.Ipv6QuotaExceeded")
    );
    let (_, bgp) = create(&emulator, "p5", "bgp").await;
    let body = json!({"NetworkInstanceId": bgp["NetworkInstanceId"], "Type": "ipv4", "Count": 1});
    let response = Call::new(&emulator, "ApplyPublicIps", body).send().await;
    assert_eq!(
        response.code().as_deref(),
        Some("FailedOperation.NotSupportedForDynamicInstance")
    );
}

#[tokio::test]
async fn a_small_ipv6_pool_runs_out() {
    let emulator = Emulator::builder()
        .rate_limits(false)
        .ipv6_pool_size(3)
        .start()
        .await
        .unwrap();
    let first = static_instance(&emulator, "ap-singapore-1").await;
    assert_eq!(
        apply(&emulator, &first, "ipv6", 2).await,
        ["2001:db8::1", "2001:db8::2"]
    );
    let second = static_instance(&emulator, "ap-singapore-2").await;
    let body = json!({"NetworkInstanceId": second, "Type": "ipv6", "Count": 2});
    let response = Call::new(&emulator, "ApplyPublicIps", body).send().await;
    assert_eq!(
        response.code().as_deref(),
        Some("ResourceInsufficient.PublicIpv6Insufficient")
    );
    // What is left is still given out, and a released address returns to the pool.
    assert_eq!(apply(&emulator, &second, "ipv6", 1).await, ["2001:db8::3"]);
    let (code, _) = release(&emulator, &first, "ipv6", &["2001:db8::1"]).await;
    assert_eq!(code, None);
    assert_eq!(apply(&emulator, &second, "ipv6", 1).await, ["2001:db8::1"]);
}

#[tokio::test]
async fn describe_public_ips_filters_and_pages() {
    let emulator = empty_emulator().await;
    let instance = static_instance(&emulator, "zone-a").await;
    let v4 = apply(&emulator, &instance, "ipv4", 3).await;
    apply(&emulator, &instance, "ipv6", 2).await;
    emulator.bind_address(&v4[1], "epm-7").unwrap();
    let describe =
        |body: Value| async { Call::new(&emulator, "DescribePublicIps", body).send().await };

    let all = describe(json!({})).await.ok();
    assert_eq!(all["TotalCount"], 5);
    assert_eq!(
        all["IpInfoSet"][0]["Ip"], "2001:db8::2",
        "newest first by default"
    );
    let page = describe(json!({"Offset": 1, "Limit": 2, "OrderByCreateTime": "asc"}))
        .await
        .ok();
    assert_eq!(page["TotalCount"], 5);
    assert_eq!(page["IpInfoSet"].as_array().unwrap().len(), 2);
    assert_eq!(page["IpInfoSet"][0]["Ip"], v4[1]);
    let in_use = describe(json!({"State": ["InUse"]})).await.ok();
    assert_eq!(in_use["TotalCount"], 1);
    assert_eq!(in_use["IpInfoSet"][0]["InstanceId"], "epm-7");
    assert_eq!(
        describe(json!({"Type": ["ipv6"]})).await.ok()["TotalCount"],
        2
    );
    assert_eq!(
        describe(json!({"Ip": ["198.51.100"], "ZoneId": "zone-a"}))
            .await
            .ok()["TotalCount"],
        3
    );
    assert_eq!(
        describe(json!({"ZoneId": "elsewhere"})).await.ok()["TotalCount"],
        0
    );
    assert_eq!(
        describe(json!({"NetworkInstanceId": ["epn-"]})).await.ok()["TotalCount"],
        5
    );
    for bad in [
        json!({"Limit": 101}),
        json!({"Offset": -1}),
        json!({"State": ["Gone"]}),
        json!({"OrderByUpdateTime": "up"}),
    ] {
        assert_eq!(
            describe(bad.clone()).await.code().as_deref(),
            Some("InvalidParameterValue"),
            "{bad}"
        );
    }
    // Another account sees none of it.
    let other = Call::new(&emulator, "DescribePublicIps", json!({})).as_(credentials::SECONDARY);
    assert_eq!(other.send().await.ok()["TotalCount"], 0);
}

#[tokio::test]
async fn describe_and_delete_instances() {
    let emulator = emulator().await;
    let instance = static_instance(&emulator, "zone-a").await;
    let (_, bgp) = create(&emulator, "zone-b", "bgp").await;
    let ips = apply(&emulator, &instance, "ipv4", 1).await;
    emulator.bind_address(&ips[0], "epm-1").unwrap();

    let listed = Call::new(
        &emulator,
        "DescribePublicNetworkInstances",
        json!({"ZoneId": "zone-b"}),
    )
    .send()
    .await
    .ok();
    assert_eq!(listed["TotalCount"], 1);
    let info = &listed["PublicNetworkInstanceSet"][0];
    assert_eq!(info["RouteMode"], "BGP");
    assert_eq!(info["Bandwidth"], 100);
    assert_eq!(info["Ipv4CidrSet"][0]["Cidr"], "203.0.113.0/26");
    let one = Call::new(
        &emulator,
        "DescribePublicNetworkInstances",
        json!({"NetworkInstanceId": instance}),
    );
    let one = one.send().await.ok();
    assert_eq!(one["PublicNetworkInstanceSet"][0]["ServerCount"], 1);
    assert_eq!(one["PublicNetworkInstanceSet"][0]["Ipv4Count"], 1);
    let missing = Call::new(
        &emulator,
        "DescribePublicNetworkInstances",
        json!({"NetworkInstanceId": "epn-none0000"}),
    );
    assert_eq!(
        missing.send().await.code().as_deref(),
        Some("ResourceNotFound.PublicInstanceNotFound")
    );

    let rename = json!({"NetworkInstanceId": instance, "NetworkInstanceName": "renamed"});
    Call::new(&emulator, "ModifyPublicNetworkInstance", rename)
        .send()
        .await
        .ok();
    let by_name = json!({"NetworkInstanceName": "renamed"});
    let found = Call::new(&emulator, "DescribePublicNetworkInstances", by_name)
        .send()
        .await
        .ok();
    assert_eq!(
        found["PublicNetworkInstanceSet"][0]["NetworkInstanceId"],
        instance.as_str()
    );

    let delete = |id: &str| {
        Call::new(
            &emulator,
            "DeletePublicNetworkInstance",
            json!({"NetworkInstanceId": id}),
        )
    };
    assert_eq!(
        delete(&instance).send().await.code().as_deref(),
        Some("ResourceInUse.PublicInstanceInUse")
    );
    emulator.unbind_address(&ips[0]).unwrap();
    let response = delete(&instance).send().await;
    assert_eq!(
        response.code().as_deref(),
        Some("ResourceInUse.PublicInstanceInUse"),
        "still holds an address"
    );
    assert!(
        response.message().contains("release"),
        "{}",
        response.message()
    );
    let body = json!({"NetworkInstanceId": instance, "Type": "ipv4", "IpList": ips});
    Call::new(&emulator, "ReleasePublicIp", body)
        .send()
        .await
        .ok();
    delete(&instance).send().await.ok();
    let bgp = bgp["NetworkInstanceId"].as_str().unwrap();
    // DeletePublicNetworkInstance documents no PermissionDenied: another account's
    // instance does not exist for the caller.
    assert_eq!(
        delete(bgp)
            .as_(credentials::SECONDARY)
            .send()
            .await
            .code()
            .as_deref(),
        Some("ResourceNotFound.PublicInstanceNotFound")
    );
    delete(bgp).send().await.ok();
    assert_eq!(
        delete(bgp).send().await.code().as_deref(),
        Some("ResourceNotFound.PublicInstanceNotFound")
    );
}

#[tokio::test]
async fn servers_bind_addresses_through_the_api() {
    let emulator = empty_emulator().await;
    let call = |action: &str, body: Value| Call::new(&emulator, action, body);
    let private = call(
        "CreatePrivateNetworkInstance",
        json!({"NetworkInstanceName": "p", "ZoneId": "zone-a", "Network": "10.0.0.0", "Mask": 24}),
    )
    .send()
    .await
    .ok()["NetworkInstanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let public = static_instance(&emulator, "zone-a").await;
    let v4 = apply(&emulator, &public, "ipv4", 2).await;
    let v6 = apply(&emulator, &public, "ipv6", 1).await;
    let create = |extra: Value| {
        let mut body = json!({"Zone": "zone-a", "InstanceType": "BMS5.MEDIUM8",
            "PrivateNetworkId": private, "PublicNetworkId": public, "Password": "p@ss"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        call("CreateInstances", body)
    };

    let no_login = create(json!({"Password": null})).send().await;
    assert_eq!(no_login.code().as_deref(), Some("MissingParameter"));
    let too_many = create(json!({"InstanceCount": 3})).send().await;
    assert_eq!(too_many.code().as_deref(), Some("ResourceInsufficient"));
    let wrong_zone = create(json!({"Zone": "zone-b"})).send().await;
    assert_eq!(wrong_zone.code().as_deref(), Some("InvalidParameterValue"));
    let created = create(json!({"EnableIpv6": true})).send().await.ok();
    // Without EnableIpv6 a server needs only an IPv4 address: the second one.
    let ipv4_only = create(json!({})).send().await.ok();
    let second = ipv4_only["InstanceIdSet"][0].as_str().unwrap().to_owned();
    let (_, message) = release(&emulator, &public, "ipv4", &[&v4[1]]).await;
    assert!(message.contains(&second), "{message}");
    let server = created["InstanceIdSet"][0].as_str().unwrap().to_owned();

    for (type_, ip) in [("ipv4", &v4[0]), ("ipv6", &v6[0])] {
        let (code, message) = release(&emulator, &public, type_, &[ip]).await;
        assert_eq!(
            code.as_deref(),
            Some("FailedOperation.IpStillBoundToServer")
        );
        assert!(message.contains(&server), "{message}");
    }
    let in_use = call("DescribePublicIps", json!({"State": ["InUse"]}))
        .send()
        .await
        .ok();
    assert_eq!(in_use["TotalCount"], 3);
    let listed = call("DescribePublicNetworkInstances", json!({}))
        .send()
        .await
        .ok();
    assert_eq!(listed["PublicNetworkInstanceSet"][0]["ServerCount"], 2);
    let delete_public = call(
        "DeletePublicNetworkInstance",
        json!({"NetworkInstanceId": public}),
    );
    assert_eq!(
        delete_public.send().await.code().as_deref(),
        Some("ResourceInUse.PublicInstanceInUse")
    );
    let delete_private = call(
        "DeletePrivateNetworkInstance",
        json!({"NetworkInstanceId": private}),
    );
    assert_eq!(
        delete_private.send().await.code().as_deref(),
        Some("ResourceInUse.PrivateInstanceInUse")
    );

    let terminate = |ids: Value| call("TerminateInstances", json!({"InstanceIds": ids}));
    let missing = terminate(json!(["epm-nothere0"])).send().await;
    assert_eq!(missing.code().as_deref(), Some("ResourceNotFound.Instance"));
    let partial = terminate(json!([server, "epm-nothere0", second]))
        .send()
        .await
        .ok();
    assert_eq!(partial["InstanceIdSet"], json!([server, second]));
    assert_eq!(
        partial["FailedInstanceSet"][0]["ErrorCode"],
        "ResourceNotFound.Instance"
    );

    assert_eq!(
        release(&emulator, &public, "ipv4", &[&v4[0], &v4[1]])
            .await
            .0,
        None
    );
    assert_eq!(release(&emulator, &public, "ipv6", &[&v6[0]]).await.0, None);
    delete_private.send().await.ok();
    delete_public.send().await.ok();
}

#[tokio::test]
async fn private_network_rules() {
    let emulator = emulator().await;
    let create = |zone: &str, network: &str, mask: i64| {
        let body =
            json!({"NetworkInstanceName": "p", "ZoneId": zone, "Network": network, "Mask": mask});
        Call::new(&emulator, "CreatePrivateNetworkInstance", body)
    };
    for (network, mask) in [
        ("10.0.0.1", 24),
        ("8.8.8.0", 24),
        ("192.168.0.0", 8),
        ("10.0.0.0", 29),
        ("x", 8),
    ] {
        let code = create("z", network, mask).send().await.code();
        assert_eq!(
            code.as_deref(),
            Some("InvalidParameterValue.InvalidNetwork"),
            "{network}/{mask}"
        );
    }
    create("z", "172.16.0.0", 12).send().await.ok();
    let duplicate = create("z", "192.168.0.0", 16).send().await.code();
    assert_eq!(
        duplicate.as_deref(),
        Some("FailedOperation.PrivateInstanceDuplicate")
    );
    let body = json!({"NetworkInstanceId": "ein-nothere0"});
    let missing = Call::new(&emulator, "DeletePrivateNetworkInstance", body)
        .send()
        .await
        .code();
    assert_eq!(
        missing.as_deref(),
        Some("ResourceNotFound.PrivateInstanceNotFound")
    );
}
