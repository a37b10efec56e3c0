//! What a hostile or careless client must not be able to do to the emulator (issue 13):
//! crash it through the clock route, grow its request log without bound, hold the state
//! lock with a huge filter, or stall small requests with big bodies; and the codes the
//! real API answers for oversized bodies and unsupported methods.

mod common;

use common::{Call, admin, emulator, send_raw};
use serde_json::{Value, json};
use tencent_cloud_emulator::{Emulator, StartError};

fn describe(emulator: &Emulator) -> Call {
    Call::new(emulator, "DescribePublicNetworkInstances", json!({}))
}

/// ±10 years, the documented range of the clock offset.
const MAX_OFFSET: i64 = 315_360_000;

#[tokio::test]
async fn clock_offsets_out_of_range_are_refused_and_nothing_panics() {
    let emulator = emulator().await;
    for offset in [-2_000_000_000, 300_000_000_000, MAX_OFFSET + 1, i64::MIN] {
        let (status, body) =
            admin(&emulator, "PUT", "clock", &json!({"offset_secs": offset})).await;
        assert_eq!(status, 400, "offset {offset}: {body}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(
            error.contains(&MAX_OFFSET.to_string()),
            "names the range: {body}"
        );
        assert_eq!(body["min_offset_secs"], -MAX_OFFSET, "{body}");
        assert_eq!(body["max_offset_secs"], MAX_OFFSET, "{body}");
        assert_eq!(emulator.clock_offset_secs(), 0, "unchanged");
        // Every later request is still answered, with a Date header.
        let response = describe(&emulator).send().await;
        response.ok();
        assert!(response.header("date").is_some());
    }
    // The edges of the range are accepted, and requests are answered there too.
    for offset in [MAX_OFFSET, -MAX_OFFSET] {
        let (status, body) =
            admin(&emulator, "PUT", "clock", &json!({"offset_secs": offset})).await;
        assert_eq!(status, 200, "{body}");
        let response = describe(&emulator).send().await;
        assert_eq!(
            response.code().as_deref(),
            Some("AuthFailure.SignatureExpire")
        );
        assert!(response.header("date").is_some());
    }
}

#[tokio::test]
async fn the_builder_refuses_the_same_offsets() {
    for offset in [-2_000_000_000, 300_000_000_000, MAX_OFFSET + 1] {
        let started = Emulator::builder().clock_offset_secs(offset).start().await;
        let error = started
            .err()
            .unwrap_or_else(|| panic!("offset {offset} accepted"));
        assert!(
            error.to_string().contains(&MAX_OFFSET.to_string()),
            "{error}"
        );
        match error {
            StartError::ClockOffset(e) => assert_eq!(e.offset_secs, offset),
            other => panic!("{other:?}"),
        }
    }
    Emulator::builder()
        .clock_offset_secs(-MAX_OFFSET)
        .start()
        .await
        .expect("the edge of the range is accepted");
}

#[tokio::test]
async fn huge_headers_do_not_grow_the_request_log() {
    let emulator = emulator().await;
    // Unauthenticated requests with a 350 KB X-TC-Action, as in the report (hyper accepts
    // heads up to about 400 KB).
    let action = "A".repeat(350 * 1024);
    let request = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-TC-Action: {action}\r\nContent-Length: 2\r\n\r\n{{}}"
    );
    for _ in 0..64 {
        let response = send_raw(emulator.local_addr(), request.as_bytes())
            .await
            .expect("answered");
        assert_eq!(
            response.code().as_deref(),
            Some("AuthFailure.InvalidAuthorization")
        );
    }
    let log = send_raw(
        emulator.local_addr(),
        b"GET /_emulator/requests HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await
    .expect("answered");
    // 64 x 350 KB were sent; what is kept is a few hundred bytes per request.
    assert!(log.body.len() < 256 * 1024, "{} bytes", log.body.len());
    let records: Vec<Value> = serde_json::from_slice(&log.body).expect("JSON");
    assert_eq!(records.len(), 64);
    let kept = records[0]["action"].as_str().expect("a string");
    assert!(
        kept.starts_with("AAAA") && kept.contains("truncated"),
        "{kept:.80}…"
    );
    assert!(kept.len() < 1024, "{}", kept.len());
}

#[tokio::test]
async fn the_request_log_keeps_to_its_byte_budget() {
    let emulator = Emulator::builder()
        .request_log_max_bytes(64 * 1024)
        .start()
        .await
        .unwrap();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-TC-Action: {}\r\nContent-Length: 2\r\n\r\n{{}}",
        "B".repeat(100 * 1024)
    );
    for _ in 0..400 {
        send_raw(emulator.local_addr(), request.as_bytes())
            .await
            .expect("answered");
    }
    let kept = emulator.requests();
    let json = serde_json::to_vec(&kept).unwrap();
    assert!(json.len() <= 64 * 1024, "{} bytes", json.len());
    assert!(
        kept.len() > 50 && kept.len() < 400,
        "{} records",
        kept.len()
    );
}
