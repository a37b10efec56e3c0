//! Micro-benchmarks of the per-call work the SDK does besides HTTP, each next to its floor:
//! the least computation that produces the same bytes. `cargo xtask bench micro` runs them
//! and writes the ratios into BENCHMARKS.md.
//!
//! - `sign`: TC3 for a ReleasePublicIp request. Floors: the two SHA-256 (body, canonical
//!   request) and the HMACs over the very bytes our signer produces, with the 4-step key
//!   chain (`floor_uncached`) and with the key already derived (`floor_cached`). The SDK's
//!   cached path keeps the HMAC already keyed (two blocks fewer than `floor_cached`) but
//!   fingerprints the secret key (SipHash) to check that it has not changed.
//! - `serialize`: the generated request type through serde_json. Floor: serde_json writing
//!   the same JSON from a struct of borrowed strings (no enum, no owned data).
//! - `parse_success` / `parse_error`: the runtime's decode path (envelope checks, then the
//!   output type or the error enum). Floor: one serde_json pass into a borrowed struct that
//!   reads just the members the SDK reports.
//! - `parse_list`: the same path for a DescribeInstances answer of 100 instances (16
//!   members each, the documented example's), where decoding the response type is most
//!   of the work. Floor: one serde_json pass over the body that keeps nothing.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tencent_cloud::__bench::{RawResponse, decode};
use tencent_cloud::Credentials;
use tencent_cloud::edgezone::v20260401::{
    DescribeInstancesError, DescribeInstancesResponse, IpType, ReleasePublicIpError,
    ReleasePublicIpRequest, ReleasePublicIpResponse,
};
use tencent_cloud::signing::{self, Payload, SignableRequest, SigningKeyCache};

const HOST: &str = "edgezone.intl.tencentcloudapi.com";
const SERVICE: &str = "edgezone";
const TIMESTAMP: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const SUCCESS: &str = r#"{"Response":{"RequestId":"6f1e3a2c-0d3b-4a8e-9a51-3c2d1b0a9f87"}}"#;
const ERROR: &str = r#"{"Response":{"Error":{"Code":"FailedOperation.IpStillBoundToServer","Message":"IP is still bound to the physical server."},"RequestId":"6f1e3a2c-0d3b-4a8e-9a51-3c2d1b0a9f87"}}"#;

/// The ReleasePublicIp example of the API documentation.
fn request() -> ReleasePublicIpRequest {
    ReleasePublicIpRequest::default()
        .network_instance_id("epn-dfghjkl")
        .r#type(IpType::Ipv4)
        .ip_list(["226.10.12.3", "226.10.12.4"])
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn key_chain(secret_key: &str, date: &str) -> [u8; 32] {
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, SERVICE.as_bytes());
    hmac_sha256(&secret_service, b"tc3_request")
}

fn sign(c: &mut Criterion) {
    let body = serde_json::to_vec(&request()).expect("serialisable");
    let signable = SignableRequest {
        host: HOST,
        content_type: "application/json",
        payload: Payload::Bytes(&body),
    };
    let credentials = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", SECRET_KEY);
    // The exact bytes the floor hashes: those our signer builds.
    let reference = signing::sign(&signable, &credentials, TIMESTAMP, SERVICE).expect("in range");
    let canonical_request = reference.canonical_request().as_bytes();
    let string_to_sign = reference.string_to_sign().as_bytes();
    let date = reference.date();
    let cached_key = key_chain(SECRET_KEY, date);
    let cache = SigningKeyCache::new();

    let mut group = c.benchmark_group("sign");
    group.bench_function("sdk_uncached", |b| {
        b.iter(|| signing::sign(black_box(&signable), &credentials, TIMESTAMP, SERVICE))
    });
    group.bench_function("sdk_cached", |b| {
        b.iter(|| cache.sign(black_box(&signable), &credentials, TIMESTAMP, SERVICE))
    });
    group.bench_function("floor_uncached", |b| {
        b.iter(|| {
            let body_hash = Sha256::digest(black_box(&body));
            let canonical_hash = Sha256::digest(black_box(canonical_request));
            let key = key_chain(black_box(SECRET_KEY), black_box(date));
            (body_hash, canonical_hash, hmac_sha256(&key, string_to_sign))
        })
    });
    group.bench_function("floor_cached", |b| {
        b.iter(|| {
            let body_hash = Sha256::digest(black_box(&body));
            let canonical_hash = Sha256::digest(black_box(canonical_request));
            let signature = hmac_sha256(black_box(&cached_key), string_to_sign);
            (body_hash, canonical_hash, signature)
        })
    });
    group.finish();
}

/// The same JSON as the generated request, from borrowed data.
#[derive(Serialize)]
struct BorrowedRequest<'a> {
    #[serde(rename = "NetworkInstanceId")]
    network_instance_id: &'a str,
    #[serde(rename = "Type")]
    r#type: &'a str,
    #[serde(rename = "IpList")]
    ip_list: &'a [&'a str],
}

fn serialize(c: &mut Criterion) {
    let generated = request();
    let borrowed = BorrowedRequest {
        network_instance_id: "epn-dfghjkl",
        r#type: "ipv4",
        ip_list: &["226.10.12.3", "226.10.12.4"],
    };
    assert_eq!(
        serde_json::to_vec(&generated).expect("serialisable"),
        serde_json::to_vec(&borrowed).expect("serialisable"),
        "the floor must produce the same bytes"
    );
    let mut group = c.benchmark_group("serialize");
    group.bench_function("sdk", |b| {
        b.iter(|| serde_json::to_vec(black_box(&generated)))
    });
    group.bench_function("floor", |b| {
        b.iter(|| serde_json::to_vec(black_box(&borrowed)))
    });
    group.finish();
}

#[derive(Deserialize)]
struct FloorEnvelope<'a> {
    #[serde(rename = "Response", borrow)]
    response: FloorResponse<'a>,
}

#[derive(Deserialize)]
struct FloorResponse<'a> {
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "Error", borrow)]
    error: Option<FloorError<'a>>,
}

#[derive(Deserialize)]
struct FloorError<'a> {
    #[serde(rename = "Code")]
    code: &'a str,
    #[serde(rename = "Message")]
    message: &'a str,
}

fn parse(c: &mut Criterion) {
    // The API usually sends errors with status 200 too.
    for (name, body) in [("parse_success", SUCCESS), ("parse_error", ERROR)] {
        let raw = RawResponse {
            status: 200,
            body: body.as_bytes().to_vec(),
        };
        let mut group = c.benchmark_group(name);
        group.bench_function("sdk", |b| {
            b.iter(|| decode::<ReleasePublicIpResponse, ReleasePublicIpError>(black_box(&raw)))
        });
        group.bench_function("floor", |b| {
            b.iter(|| {
                let envelope: FloorEnvelope<'_> =
                    serde_json::from_slice(black_box(&raw.body)).expect("valid envelope");
                let response = envelope.response;
                let error = response.error.map(|error| (error.code, error.message));
                (response.request_id, error)
            })
        });
        group.finish();
    }
}

/// The documented DescribeInstances example's instance, 100 times.
fn instances_body() -> Vec<u8> {
    let instance = serde_json::json!({
        "InstanceId": "epm-efgh5678", "InstanceName": "web-server-01",
        "MachineId": "srv-efgh5678", "InstanceType": "BM.S5.LARGE8",
        "Zone": "ap-guangzhou-1", "ImageId": "img-ubuntu-20.04", "VersionNumber": "20.04",
        "InstanceStatus": "running", "OperateStatus": "normal",
        "PrivateNetworkId": "net-private-002", "PrivateIp": "10.0.0.2", "PrivateIpV6": "",
        "PublicNetworkId": "net-public-002", "PublicIp": "203.0.113.20", "PublicIpV6": "",
        "CreatedTime": "2026-02-15T14:30:00Z"
    });
    let body = serde_json::json!({"Response": {
        "InstanceSet": vec![instance; 100],
        "TotalCount": 100,
        "RequestId": "b5d7f3a2-c418-4b9e-9c72-4a1e6d3f8b90"
    }});
    serde_json::to_vec(&body).expect("serialisable")
}

fn parse_list(c: &mut Criterion) {
    let raw = RawResponse {
        status: 200,
        body: instances_body(),
    };
    let mut group = c.benchmark_group("parse_list");
    group.bench_function("sdk", |b| {
        b.iter(|| decode::<DescribeInstancesResponse, DescribeInstancesError>(black_box(&raw)))
    });
    group.bench_function("floor", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&raw.body)))
    });
    group.finish();
}

criterion_group!(benches, sign, serialize, parse, parse_list);
criterion_main!(benches);
