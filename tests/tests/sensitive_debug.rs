//! Secrets in generated types never reach `Debug` (see `codegen/src/ir/sensitive.rs`):
//! the sts `Credentials` an AssumeRole answers with, decoded from a real-shaped response,
//! and the edgezone `CreateInstances` request and builder carrying a `Password`.

use tencent_cloud::edgezone::v20260401::{self as edgezone, CreateInstancesRequest};
use tencent_cloud::sts::v20180813::{AssumeRoleResponse, Credentials};
use tencent_cloud::{Config, StaticProvider};

const TMP_SECRET_KEY: &str = "tmp-secret-key-must-not-leak";
const TOKEN: &str = "session-token-must-not-leak";

#[test]
fn sts_credentials_debug_redacts_the_key_and_token() {
    let response: AssumeRoleResponse = serde_json::from_value(serde_json::json!({
        "Credentials": {
            "Token": TOKEN,
            "TmpSecretId": "AKIDtemporary",
            "TmpSecretKey": TMP_SECRET_KEY,
        },
        "ExpiredTime": 1_700_000_000,
        "Expiration": "2023-11-14T22:13:20Z",
        "RequestId": "r-1",
    }))
    .expect("decodes");
    let credentials: &Credentials = &response.credentials;
    for printed in [
        format!("{credentials:?}"),
        format!("{credentials:#?}"),
        format!("{response:?}"),
    ] {
        assert!(!printed.contains(TMP_SECRET_KEY), "{printed}");
        assert!(!printed.contains(TOKEN), "{printed}");
        assert!(printed.contains("** redacted **"), "{printed}");
        // What is not secret still helps debugging.
        assert!(printed.contains("AKIDtemporary"), "{printed}");
    }
}

#[test]
fn a_password_is_redacted_in_the_request_and_the_builder() {
    let password = "hunter2-must-not-leak";
    let config = Config::builder()
        .region("ap-singapore")
        .credentials(StaticProvider::new(tencent_cloud::Credentials::new(
            "id", "key",
        )))
        .build()
        .expect("config");
    let builder = edgezone::Client::new(&config)
        .create_instances()
        .zone("ap-singapore-1")
        .password(password);
    let request = CreateInstancesRequest::default()
        .zone("ap-singapore-1")
        .instance_type("t")
        .private_network_id("p")
        .public_network_id("q")
        .password(password);
    for printed in [format!("{builder:?}"), format!("{request:?}")] {
        assert!(!printed.contains(password), "{printed}");
        assert!(printed.contains("ap-singapore-1"), "{printed}");
    }
    // Redaction is for Debug only: the password is still sent.
    assert_eq!(
        serde_json::to_value(&request).unwrap()["Password"],
        serde_json::json!(password)
    );
}
