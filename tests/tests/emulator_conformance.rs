//! The official Python SDK against the in-process emulator (issue 3, item 7): proves that
//! the emulator's TC3 verifier agrees with the official signer and its envelopes with the
//! official parser, and that all 19 edgezone actions answer from one state. The scenario
//! itself is `tests/oracles/edgezone_conformance.py`.

mod support;

use std::collections::BTreeSet;

use tencent_cloud_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_python_sdk_conforms() {
    // The script sends a burst of ReleasePublicIp (20/s documented); throttling is not
    // what this test is about.
    let emulator = Emulator::builder()
        .rate_limits(false)
        .start()
        .await
        .expect("emulator starts");
    support::python::run_scenario("edgezone_conformance.py", emulator.endpoint_host()).await;

    // The same story from the emulator's side: each error was really answered.
    let codes: BTreeSet<String> = emulator
        .requests()
        .into_iter()
        .filter_map(|r| r.code)
        .collect();
    for expected in [
        "FailedOperation.IpStillBoundToServer",
        "FailedOperation.NotSupportedForDynamicInstance",
        "InvalidParameterValue.PublicIpNotAvailable",
        "InvalidParameterValue.PublicIpv6NotAvailable",
        "ResourceNotFound.PublicInstanceNotFound",
        "UnauthorizedOperation.PermissionDenied",
        "AuthFailure.SignatureFailure",
        "AuthFailure.SignatureExpire",
        "AuthFailure.TokenFailure",
        "MissingParameter",
        "InvalidParameter",
        "InternalError",
        "ResourceNotFound.Instance",
        "ResourceNotFound.PrivateInstanceNotFound",
        "InvalidParameter.ParamError",
    ] {
        assert!(
            codes.contains(expected),
            "the emulator never answered {expected}; it answered {codes:?}"
        );
    }
    // Every action of the schema succeeded at least once, through the official client.
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../schema/edgezone/2026-04-01.json"))
            .expect("the schema is JSON");
    let actions: BTreeSet<String> = schema["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(|a| a["name"].as_str().map(str::to_owned))
        .collect();
    let succeeded: BTreeSet<String> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.code.is_none())
        .map(|r| r.action)
        .collect();
    assert_eq!(succeeded, actions, "actions answered with success");
    emulator.shutdown().await;
}
