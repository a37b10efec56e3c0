//! The default credentials chain and `Config::from_env`. One test in its own binary,
//! because it changes the process environment.

use std::path::Path;

use tencent_cloud::{Config, CredentialsError, CvmRoleProvider, DefaultChain, ProvideCredentials};

const VARS: [&str; 11] = [
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_TOKEN",
    "TENCENTCLOUD_CREDENTIALS_FILE",
    "TENCENTCLOUD_PROFILE",
    "TENCENTCLOUD_REGION",
    "TENCENTCLOUD_ENDPOINT_URL",
    "TKE_REGION",
    "TKE_PROVIDER_ID",
    "TKE_WEB_IDENTITY_TOKEN_FILE",
    "TKE_ROLE_ARN",
];

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this binary runs a single test, and its runtime's worker threads do not
    // read the environment while it is changed (changes happen between awaits of
    // requests that are complete).
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
    std::fs::write(path, text).expect("write");
}

/// A port nothing listens on, so the CVM role source is "not on CVM" without any
/// request leaving the machine.
fn closed_metadata_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/latest/meta-data/")
}

#[tokio::test]
async fn chain_finds_the_first_configured_source_and_explains_when_none_is() {
    for name in VARS {
        set(name, None);
    }
    let home = std::env::temp_dir().join(format!("tc-chain-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("home");
    set("HOME", home.to_str());
    let metadata = closed_metadata_url();
    let chain =
        || DefaultChain::new().cvm_role(CvmRoleProvider::builder().metadata_url(&metadata).build());

    // Nothing configured: the error says what was tried, in order.
    let error = chain()
        .provide_credentials()
        .await
        .expect_err("nothing configured");
    let CredentialsError::NoneFound { tried } = &error else {
        panic!("expected NoneFound, got {error:?}");
    };
    let sources: Vec<&str> = tried
        .iter()
        .map(|t| t.split(':').next().unwrap_or(""))
        .collect();
    // The same four sources with or without the `sts` feature.
    let expected = [
        "environment",
        "profile file",
        "CVM instance role",
        "TKE OIDC",
    ];
    assert_eq!(sources, expected, "{error}");
    assert!(
        error.to_string().contains(".tencentcloud/credentials"),
        "{error}"
    );

    // ~/.tencentcloud/credentials, [default].
    write(
        &home.join(".tencentcloud/credentials"),
        "[default]\nsecret_id = AKIDhome\nsecret_key = home-key\n",
    );
    let found = chain().provide_credentials().await.expect("home file");
    assert_eq!(found.secret_id(), "AKIDhome");

    // TENCENTCLOUD_CREDENTIALS_FILE comes first; TENCENTCLOUD_PROFILE picks the profile.
    let file = home.join("elsewhere/credentials");
    write(
        &file,
        "[default]\nsecret_id = AKIDdefault\nsecret_key = k\n[ci]\nsecret_id = AKIDci\nsecret_key = k\n",
    );
    set("TENCENTCLOUD_CREDENTIALS_FILE", file.to_str());
    set("TENCENTCLOUD_PROFILE", Some("ci"));
    assert_eq!(
        chain().provide_credentials().await.expect("ci").secret_id(),
        "AKIDci"
    );

    // A broken file stops the chain with its error instead of falling through.
    write(&file, "[ci]\nsecret_id AKIDci\n");
    match chain().provide_credentials().await {
        Err(CredentialsError::Profile(error)) => assert_eq!(error.line(), Some(2)),
        other => panic!("expected the profile error, got {other:?}"),
    }
    set(
        "TENCENTCLOUD_CREDENTIALS_FILE",
        home.join("missing").to_str(),
    );
    assert!(matches!(
        chain().provide_credentials().await,
        Err(CredentialsError::Profile(_))
    ));

    // The environment wins over the file, and a chain keeps the source it found.
    set("TENCENTCLOUD_SECRET_ID", Some("AKIDenv"));
    set("TENCENTCLOUD_SECRET_KEY", Some("env-key"));
    let kept = chain();
    assert_eq!(
        kept.provide_credentials().await.expect("env").secret_id(),
        "AKIDenv"
    );
    set("TENCENTCLOUD_SECRET_ID", Some("AKIDrotated"));
    assert_eq!(
        kept.provide_credentials().await.expect("env").secret_id(),
        "AKIDrotated",
        "the environment is re-read on each call"
    );

    // Config::from_env signs with the chain.
    let config = Config::from_env().build().expect("config");
    let credentials = format!("{config:?}");
    assert!(credentials.contains("DefaultChain"), "{credentials}");
    assert!(!credentials.contains("env-key"), "{credentials}");

    #[cfg(feature = "sts")]
    oidc_is_the_last_source(&home, &metadata).await;
    #[cfg(not(feature = "sts"))]
    oidc_without_sts_is_an_error(&metadata).await;

    std::fs::remove_dir_all(&home).expect("cleanup");
}

/// Built without `sts` (`.ci/run` runs this test so), a pod set up for OIDC is told why
/// its identity cannot be used, instead of the chain finding nothing or other credentials.
#[cfg(not(feature = "sts"))]
async fn oidc_without_sts_is_an_error(metadata: &str) {
    for name in VARS {
        set(name, None);
    }
    set("HOME", Some("/nonexistent"));
    set("TKE_ROLE_ARN", Some("qcs::cam::uin/1:roleName/pod"));
    let chain =
        DefaultChain::new().cvm_role(CvmRoleProvider::builder().metadata_url(metadata).build());
    let error = chain
        .provide_credentials()
        .await
        .expect_err("no sts client");
    match &error {
        CredentialsError::ProviderFailed { provider, reason } => {
            assert_eq!(*provider, "TKE OIDC");
            assert!(
                reason.contains("TKE_ROLE_ARN") && reason.contains("`sts` feature"),
                "{reason}"
            );
        }
        other => panic!("expected ProviderFailed, got {other:?}"),
    }
    set("TKE_ROLE_ARN", None);
}

#[cfg(feature = "sts")]
async fn oidc_is_the_last_source(home: &Path, metadata: &str) {
    use axum::http::HeaderMap;
    use serde_json::json;

    for name in VARS {
        set(name, None);
    }
    std::fs::remove_dir_all(home.join(".tencentcloud")).expect("no home file");
    let app = axum::Router::new().fallback(|headers: HeaderMap| async move {
        assert_eq!(headers.get("authorization").expect("header"), "SKIP");
        let expires = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs()
            + 3600;
        axum::Json(json!({"Response": {
            "Credentials": {"TmpSecretId": "AKIDoidc", "TmpSecretKey": "k", "Token": "t"},
            "ExpiredTime": expires,
            "Expiration": "ignored",
            "RequestId": "r",
        }}))
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let token = home.join("token");
    write(&token, "jwt");
    set("TKE_REGION", Some("ap-guangzhou"));
    set("TKE_PROVIDER_ID", Some("OIDC"));
    set("TKE_WEB_IDENTITY_TOKEN_FILE", token.to_str());
    set("TKE_ROLE_ARN", Some("qcs::cam::uin/1:roleName/pod"));
    let chain = DefaultChain::new()
        .cvm_role(CvmRoleProvider::builder().metadata_url(metadata).build())
        .oidc_endpoint_url(url);
    let credentials = chain.provide_credentials().await.expect("OIDC");
    assert_eq!(credentials.secret_id(), "AKIDoidc");
}
