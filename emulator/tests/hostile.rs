//! What a hostile or careless client must not be able to do to the emulator (issue 13):
//! crash it through the clock route, grow its request log without bound, hold the state
//! lock with a huge filter, or stall small requests with big bodies; and the codes the
//! real API answers for oversized bodies and unsupported methods.

mod common;

use common::{Call, admin, emulator};
use serde_json::json;
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
