//! The protocol checks, in order, with the codes the real API answers.

mod common;

use common::{Call, emulator, now, send_raw};
use serde_json::json;
use tencent_cloud_emulator::{Account, Emulator, StartError, credentials};

fn describe(emulator: &Emulator) -> Call {
    Call::new(emulator, "DescribePublicNetworkInstances", json!({}))
}

#[tokio::test]
async fn a_signed_request_succeeds_with_a_unique_request_id() {
    let emulator = emulator().await;
    let first = describe(&emulator).send().await;
    let second = describe(&emulator).send().await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-type"), Some("application/json"));
    // The documentation's example instance, which a fresh emulator holds.
    assert_eq!(first.ok()["TotalCount"], 1);
    assert_ne!(first.request_id(), second.request_id());
}

#[tokio::test]
async fn authorization_must_be_present_and_well_formed() {
    let emulator = emulator().await;
    for authorization in [
        "",
        "Bearer abc",
        "TC3-HMAC-SHA256 Credential=x/2020-01-01/edgezone/tc3_request, Signature=00",
        "TC3-HMAC-SHA256 Credential=x/edgezone/tc3_request, SignedHeaders=content-type;host, Signature=00",
    ] {
        let call = describe(&emulator).with(|c| c.authorization = Some(authorization.to_owned()));
        let response = call.send().await;
        assert_eq!(
            response.code().as_deref(),
            Some("AuthFailure.InvalidAuthorization"),
            "{authorization:?}"
        );
    }
}

#[tokio::test]
async fn checks_come_in_the_documented_order() {
    let emulator = emulator().await;
    // Unknown SecretId beats a stale timestamp, which beats a bad signature.
    let unknown = describe(&emulator).with(|c| {
        c.credential.secret_id = "AKIDnobody";
        c.timestamp -= 3600;
        c.secret_key = "wrong".into();
    });
    assert_eq!(
        unknown.send().await.code().as_deref(),
        Some("AuthFailure.SecretIdNotFound")
    );
    let stale = describe(&emulator).with(|c| {
        c.timestamp -= 301;
        c.secret_key = "wrong".into();
    });
    let response = stale.send().await;
    assert_eq!(
        response.code().as_deref(),
        Some("AuthFailure.SignatureExpire")
    );
    assert!(
        response.message().contains("server time"),
        "{}",
        response.message()
    );
    // A bad signature beats an unknown action and a missing region.
    let bad = describe(&emulator).with(|c| {
        c.secret_key = "wrong".into();
        c.action = "Nope".into();
        c.region = None;
    });
    assert_eq!(
        bad.send().await.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    let no_region = describe(&emulator).with(|c| c.region = None);
    assert_eq!(
        no_region.send().await.code().as_deref(),
        Some("MissingParameter")
    );
}

#[tokio::test]
async fn timestamps_within_five_minutes_are_accepted() {
    let emulator = emulator().await;
    for skew in [-290, 290] {
        let call = describe(&emulator).with(|c| c.timestamp += skew);
        call.send().await.ok();
    }
}

#[tokio::test]
async fn the_signature_covers_body_and_host() {
    let emulator = emulator().await;
    let call = describe(&emulator);
    let signed = call.authorization_header();
    let tampered = call.clone().with(|c| {
        c.body = json!({"Limit": 1}).to_string();
        c.authorization = Some(signed.clone());
    });
    assert_eq!(
        tampered.send().await.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    let other_host = call.with(|c| {
        c.host = "edgezone.tencentcloudapi.com".into();
        c.authorization = Some(signed);
    });
    assert_eq!(
        other_host.send().await.code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
}

#[tokio::test]
async fn the_service_comes_from_the_credential_scope_not_the_host() {
    let emulator = emulator().await;
    // An IP endpoint says nothing about the service; the scope does.
    describe(&emulator).send().await.ok();
    // cvm is in the catalog, but not at edgezone's version: the answer is about cvm.
    let wrong_scope = describe(&emulator).with(|c| c.service = "cvm".into());
    assert_eq!(
        wrong_scope.send().await.code().as_deref(),
        Some("NoSuchVersion")
    );
    let unknown = describe(&emulator).with(|c| c.service = "nosuchservice".into());
    assert_eq!(
        unknown.send().await.code().as_deref(),
        Some("InvalidAction")
    );
}

#[tokio::test]
async fn unsigned_payload_is_supported() {
    let emulator = emulator().await;
    let call = describe(&emulator).with(|c| c.unsigned_payload = true);
    call.send().await.ok();
}

#[tokio::test]
async fn temporary_credentials_need_their_token() {
    let emulator = emulator().await;
    describe(&emulator)
        .as_(credentials::TEMPORARY)
        .send()
        .await
        .ok();
    let missing = describe(&emulator)
        .as_(credentials::TEMPORARY)
        .with(|c| c.token = None);
    assert_eq!(
        missing.send().await.code().as_deref(),
        Some("AuthFailure.TokenFailure")
    );
    let wrong = describe(&emulator)
        .as_(credentials::TEMPORARY)
        .with(|c| c.token = Some("x".into()));
    assert_eq!(
        wrong.send().await.code().as_deref(),
        Some("AuthFailure.TokenFailure")
    );
}

#[tokio::test]
async fn unknown_actions_and_versions() {
    let emulator = emulator().await;
    let action = describe(&emulator).with(|c| c.action = "DescribeNothing".into());
    assert_eq!(action.send().await.code().as_deref(), Some("InvalidAction"));
    let version = describe(&emulator).with(|c| c.version = "2017-03-12".into());
    assert_eq!(
        version.send().await.code().as_deref(),
        Some("NoSuchVersion")
    );
}

#[tokio::test]
async fn the_clock_offset_moves_expiry_and_the_date_header() {
    let emulator = Emulator::builder()
        .clock_offset_secs(-3600)
        .start()
        .await
        .unwrap();
    let response = describe(&emulator).send().await;
    assert_eq!(
        response.code().as_deref(),
        Some("AuthFailure.SignatureExpire")
    );
    let date = response.header("date").expect("a Date header");
    let server = httpdate::parse_http_date(date).expect("an HTTP date");
    let skew = now() - common_unix(server);
    assert!(
        (3590..=3610).contains(&skew),
        "Date {date} is {skew}s behind"
    );
    // A client that corrects by the Date header gets through.
    let corrected = describe(&emulator).with(|c| c.timestamp -= 3600);
    corrected.send().await.ok();
    emulator.set_clock_offset_secs(0).expect("in range");
    describe(&emulator).send().await.ok();
}

fn common_unix(time: std::time::SystemTime) -> i64 {
    time.duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn skip_sign_actions_accept_authorization_skip() {
    let schema = json!({
        "service": "skipdemo", "version": "2020-01-01", "host": "skipdemo.tencentcloudapi.com",
        "actions": [{
            "name": "ExchangeToken", "skip_sign": true,
            "request": {"members": [{"name": "RoleArn", "type": "string", "required": true}]},
            "response": {"members": [{"name": "ExpiredTime", "type": "int64"}]},
            "examples": [{"request": "", "response": "{\"Response\": {\"ExpiredTime\": 7200, \"RequestId\": \"x\"}}"}]
        }]
    });
    let emulator = Emulator::builder()
        .schema_json(schema.to_string())
        .start()
        .await
        .unwrap();
    let call = Call::new(
        &emulator,
        "ExchangeToken",
        json!({"RoleArn": "qcs::cam::uin/1:roleName/r"}),
    )
    .with(|c| {
        c.version = "2020-01-01".into();
        c.authorization = Some("SKIP".into());
    });
    let response = call.send().await;
    assert_eq!(
        response.ok()["ExpiredTime"],
        7200,
        "the example's response, with a fresh RequestId"
    );
    assert_ne!(response.request_id(), "x");
    // SKIP is refused for signed actions.
    let signed_action = describe(&emulator).with(|c| c.authorization = Some("SKIP".into()));
    assert_eq!(
        signed_action.send().await.code().as_deref(),
        Some("AuthFailure.InvalidAuthorization")
    );
}

#[tokio::test]
async fn extra_accounts_are_accepted() {
    let account = Account::new("AKIDextra", "extra-key", 42);
    let emulator = Emulator::builder().account(account).start().await.unwrap();
    let mut call = describe(&emulator);
    call.credential.secret_id = "AKIDextra";
    call.secret_key = "extra-key".into();
    call.send().await.ok();
}

#[tokio::test]
async fn garbage_requests_get_envelopes_not_panics() {
    let emulator = emulator().await;
    for request in [
        &b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"[..],
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: \xff\xfe\r\nContent-Length: 3\r\n\r\n{{{",
    ] {
        let response = send_raw(emulator.local_addr(), request).await.unwrap();
        assert_eq!(response.status, 200);
        assert!(response.code().is_some());
    }
    // Far-off timestamps are stale; those at the edges of i64 even make the scope date
    // malformed. Either way an envelope, not a crash.
    for timestamp in [0, 99_999_999_999] {
        let call = describe(&emulator).with(|c| c.timestamp = timestamp);
        assert_eq!(
            call.send().await.code().as_deref(),
            Some("AuthFailure.SignatureExpire")
        );
    }
    for timestamp in [i64::MIN, i64::MAX] {
        let call = describe(&emulator).with(|c| c.timestamp = timestamp);
        assert!(call.send().await.code().is_some());
    }
    // A signed request whose body is not JSON.
    let call = describe(&emulator).with(|c| c.body = "not json".into());
    assert_eq!(
        call.send().await.code().as_deref(),
        Some("InvalidParameter")
    );
}

/// Schemas a test adds are parsed at start (embedded ones on first use), so a bad one
/// stops `start` with the place of the fault.
#[tokio::test]
async fn a_builder_schema_that_does_not_parse_fails_start() {
    let schema = json!({
        "service": "demo", "version": "2020-01-01", "host": "demo.tencentcloudapi.com",
        "actions": [{"name": "Act", "request": {"members": []}}]
    });
    let error = Emulator::builder()
        .schema_json(schema.to_string())
        .start()
        .await
        .expect_err("the action has no response");
    assert!(matches!(error, StartError::Schema(_)), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("<builder schema 0>") && message.contains("actions[0]"),
        "{message}"
    );
}
