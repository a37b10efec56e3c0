//! Fault injection (Rust API and admin route), the request log, and rate limits.

mod common;

use std::time::{Duration, Instant};

use common::{Call, emulator, send_raw};
use serde_json::{Value, json};
use tencent_cloud_emulator::{Emulator, Fault, FaultKind};

fn describe(emulator: &Emulator) -> Call {
    Call::new(emulator, "DescribePublicNetworkInstances", json!({}))
}

async fn admin(emulator: &Emulator, method: &str, route: &str, body: Value) -> (u16, Value) {
    let body = body.to_string();
    let request = format!(
        "{method} /_emulator/{route} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let response = send_raw(emulator.local_addr(), request.as_bytes())
        .await
        .unwrap();
    (response.status, response.json())
}

#[tokio::test]
async fn each_fault_kind() {
    let emulator = emulator().await;
    emulator
        .inject_fault(Fault::new(FaultKind::RequestLimitExceeded))
        .unwrap();
    emulator
        .inject_fault(Fault::error("InternalError"))
        .unwrap();
    emulator
        .inject_fault(Fault::new(FaultKind::ServerError { status: 502 }))
        .unwrap();
    emulator
        .inject_fault(Fault::new(FaultKind::DropConnection))
        .unwrap();
    emulator
        .inject_fault(Fault::new(FaultKind::TruncatedBody))
        .unwrap();
    emulator
        .inject_fault(Fault::delay(Duration::from_millis(300)))
        .unwrap();

    assert_eq!(
        describe(&emulator).send().await.code().as_deref(),
        Some("RequestLimitExceeded")
    );
    let internal = describe(&emulator).send().await;
    assert_eq!(
        (internal.status, internal.code().as_deref()),
        (200, Some("InternalError"))
    );
    let server_error = describe(&emulator).send().await;
    assert_eq!(server_error.status, 502);
    assert!(
        serde_json::from_slice::<Value>(&server_error.body).is_err(),
        "not JSON"
    );
    let dropped = send_raw(emulator.local_addr(), &describe(&emulator).to_bytes()).await;
    assert!(dropped.is_err(), "no answer at all: {dropped:?}");
    let truncated = describe(&emulator).send().await;
    assert_eq!(truncated.status, 200);
    assert!(!truncated.complete, "the body is cut short");
    let started = Instant::now();
    describe(&emulator).send().await.ok();
    assert!(started.elapsed() >= Duration::from_millis(300));
    describe(&emulator).send().await.ok();

    let faults: Vec<Option<String>> = emulator.requests().into_iter().map(|r| r.fault).collect();
    let names = [
        "request_limit_exceeded",
        "error",
        "server_error",
        "drop_connection",
        "truncated_body",
        "delay",
    ];
    let expected: Vec<Option<String>> = names
        .into_iter()
        .map(|n| Some(n.to_owned()))
        .chain([None])
        .collect();
    assert_eq!(faults, expected);
    assert!(emulator.pending_faults().is_empty());
}

#[tokio::test]
async fn faults_count_down_and_target_one_action() {
    let emulator = emulator().await;
    let fault = Fault::new(FaultKind::RequestLimitExceeded)
        .times(2)
        .for_action("DescribePublicIps");
    emulator.inject_fault(fault).unwrap();
    describe(&emulator).send().await.ok();
    let targeted = Call::new(&emulator, "DescribePublicIps", json!({}));
    assert_eq!(
        targeted.send().await.code().as_deref(),
        Some("RequestLimitExceeded")
    );
    assert_eq!(
        targeted.send().await.code().as_deref(),
        Some("RequestLimitExceeded")
    );
    targeted.send().await.ok();
    assert!(
        emulator
            .inject_fault(Fault::new(FaultKind::ServerError { status: 404 }))
            .is_err()
    );
}

#[tokio::test]
async fn admin_routes() {
    let emulator = emulator().await;
    let (status, pending) = admin(
        &emulator,
        "POST",
        "faults",
        json!([{"kind": "server_error", "count": 2}, {"kind": "delay", "delay_ms": 1}]),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(pending.as_array().unwrap().len(), 2);
    for refused in [
        json!({"kind": "teleport"}),
        json!({"kind": "error", "code": ""}),
    ] {
        assert_eq!(
            admin(&emulator, "POST", "faults", refused.clone()).await.0,
            400,
            "{refused}"
        );
    }
    assert_eq!(describe(&emulator).send().await.status, 503);
    assert_eq!(
        admin(&emulator, "DELETE", "faults", json!(null)).await.0,
        200
    );
    describe(&emulator).send().await.ok();

    let (_, log) = admin(&emulator, "GET", "requests", json!(null)).await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2, "admin requests are not logged");
    assert_eq!(log[0]["http_status"], 503);
    assert_eq!(log[1]["action"], "DescribePublicNetworkInstances");
    assert_eq!(log[1]["code"], Value::Null);
    assert!(log[1]["received_at"].as_u64().unwrap() > 0);

    let instance = common::static_instance(&emulator, "z").await;
    let (status, _) = admin(
        &emulator,
        "POST",
        "addresses",
        json!({"network_instance_id": instance, "ip": "226.10.12.5"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = admin(
        &emulator,
        "POST",
        "bindings",
        json!({"ip": "226.10.12.5", "server_id": "epm-1"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, error) = admin(
        &emulator,
        "POST",
        "bindings",
        json!({"ip": "1.1.1.1", "server_id": "epm-1"}),
    )
    .await;
    assert_eq!(status, 400, "{error}");
    let release = json!({"NetworkInstanceId": instance, "Type": "ipv4", "IpList": ["226.10.12.5"]});
    let response = Call::new(&emulator, "ReleasePublicIp", release.clone())
        .send()
        .await;
    assert_eq!(
        response.code().as_deref(),
        Some("FailedOperation.IpStillBoundToServer")
    );
    assert_eq!(
        admin(
            &emulator,
            "DELETE",
            "bindings",
            json!({"ip": "226.10.12.5"})
        )
        .await
        .0,
        200
    );
    Call::new(&emulator, "ReleasePublicIp", release)
        .send()
        .await
        .ok();

    assert_eq!(
        admin(&emulator, "PUT", "clock", json!({"offset_secs": -900}))
            .await
            .0,
        200
    );
    assert_eq!(emulator.clock_offset_secs(), -900);
    assert_eq!(
        describe(&emulator).send().await.code().as_deref(),
        Some("AuthFailure.SignatureExpire")
    );
    assert_eq!(admin(&emulator, "GET", "nowhere", json!(null)).await.0, 404);
}

#[tokio::test]
async fn rate_limits_follow_the_schema() {
    // ReleasePublicIp allows 20 per second per SecretId; a burst of 25 meets the limit.
    let emulator = Emulator::start().await.unwrap();
    let body = json!({"NetworkInstanceId": "epn-x", "Type": "ipv4", "IpList": ["1.1.1.1"]});
    let call = Call::new(&emulator, "ReleasePublicIp", body);
    let started = Instant::now();
    let mut codes = Vec::new();
    for _ in 0..25 {
        codes.push(call.send().await.code());
    }
    let limited = codes
        .iter()
        .filter(|c| c.as_deref() == Some("RequestLimitExceeded"))
        .count();
    if started.elapsed() < Duration::from_secs(1) {
        assert_eq!(limited, 5, "{codes:?}");
    }
    // Another SecretId has its own budget; actions without a limit have none.
    let other = call
        .clone()
        .as_(tencent_cloud_emulator::credentials::SECONDARY);
    assert_ne!(
        other.send().await.code().as_deref(),
        Some("RequestLimitExceeded")
    );
    emulator.set_rate_limits(false);
    assert_ne!(
        call.send().await.code().as_deref(),
        Some("RequestLimitExceeded")
    );
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let emulator = emulator().await;
    let addr = emulator.local_addr();
    describe(&emulator).send().await.ok();
    emulator.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
