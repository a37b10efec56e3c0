//! `EnvironmentProvider` and `Config::from_env`. One test in its own binary, because it
//! changes the process environment.

use tencent_cloud::{
    Config, ConfigError, CredentialsError, EnvironmentProvider, ProvideCredentials,
};

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this binary runs a single test on a single thread, and no other thread
    // reads the environment while it runs.
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn environment_is_read_when_credentials_are_needed() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let provide = || runtime.block_on(EnvironmentProvider::new().provide_credentials());
    for name in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_TOKEN",
        "TENCENTCLOUD_REGION",
        "TENCENTCLOUD_ENDPOINT_URL",
    ] {
        set(name, None);
    }

    // Building needs no credentials; they are read at call time.
    let config = Config::from_env()
        .build()
        .expect("no credentials needed to build");
    assert_eq!(config.region(), None);
    match provide() {
        Err(CredentialsError::MissingEnvVar { name }) => assert_eq!(name, "TENCENTCLOUD_SECRET_ID"),
        other => panic!("expected a missing variable, got {other:?}"),
    }

    set("TENCENTCLOUD_SECRET_ID", Some("AKIDenv"));
    let error = provide().expect_err("no key");
    assert_eq!(
        error.to_string(),
        "environment variable TENCENTCLOUD_SECRET_KEY is not set"
    );

    set("TENCENTCLOUD_SECRET_KEY", Some("key-from-env\n"));
    let error = provide().expect_err("padded key");
    assert!(!error.to_string().contains("key-from-env"), "{error}");

    set("TENCENTCLOUD_SECRET_KEY", Some("key-from-env"));
    set("TENCENTCLOUD_TOKEN", Some(""));
    let credentials = provide().expect("id and key");
    assert_eq!(credentials.secret_id(), "AKIDenv");
    assert_eq!(credentials.secret_key(), "key-from-env");
    assert_eq!(credentials.token(), None, "an empty token counts as unset");

    set("TENCENTCLOUD_TOKEN", Some("tok"));
    assert_eq!(provide().expect("all three").token(), Some("tok"));

    set("TENCENTCLOUD_REGION", Some("ap-singapore"));
    set("TENCENTCLOUD_ENDPOINT_URL", Some("http://127.0.0.1:9000"));
    let config = Config::from_env().build().expect("valid environment");
    assert_eq!(config.region(), Some("ap-singapore"));
    let config = Config::from_env()
        .region("ap-tokyo")
        .build()
        .expect("override");
    assert_eq!(config.region(), Some("ap-tokyo"));

    set("TENCENTCLOUD_ENDPOINT_URL", Some("127.0.0.1:9000"));
    assert!(matches!(
        Config::from_env().build(),
        Err(ConfigError::InvalidEndpointUrl { .. })
    ));
}
