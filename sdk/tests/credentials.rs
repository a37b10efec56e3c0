//! Credential providers against loopback servers: the CVM metadata service, STS
//! AssumeRole and AssumeRoleWithWebIdentity. Each server counts its requests, so the
//! tests can tell how many refreshes hundreds of concurrent callers caused.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use axum::routing::get;
use tencent_cloud::credentials::ProfileError;
use tencent_cloud::{CredentialsError, CvmRoleProvider, ProfileProvider, ProvideCredentials};
use tokio::net::TcpListener;

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

async fn serve(app: axum::Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// Calls `provider` from `n` tasks at once; returns the SecretIds they got.
async fn burst(provider: Arc<dyn ProvideCredentials>, n: usize) -> Vec<String> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let provider = Arc::clone(&provider);
        tasks.spawn(async move { provider.provide_credentials().await });
    }
    let mut ids = Vec::new();
    while let Some(result) = tasks.join_next().await {
        ids.push(
            result
                .expect("task")
                .expect("credentials")
                .secret_id()
                .to_owned(),
        );
    }
    ids
}

#[derive(Default)]
struct Hits {
    roles: AtomicUsize,
    credentials: AtomicUsize,
}

async fn metadata_server(hits: Arc<Hits>) -> String {
    let roles = Arc::clone(&hits);
    let app = axum::Router::new()
        .route(
            "/latest/meta-data/cam/security-credentials/",
            get(move || async move {
                roles.roles.fetch_add(1, Ordering::SeqCst);
                "ops-role\n"
            }),
        )
        .route(
            "/latest/meta-data/cam/security-credentials/ops-role",
            get(move || async move {
                hits.credentials.fetch_add(1, Ordering::SeqCst);
                // Slow enough for every other caller to arrive during the refresh.
                tokio::time::sleep(Duration::from_millis(100)).await;
                axum::Json(serde_json::json!({
                    "TmpSecretId": "AKIDcvm",
                    "TmpSecretKey": "cvm-secret-key",
                    "Token": "cvm-token",
                    "ExpiredTime": unix_now() + 3600,
                    "Expiration": "ignored",
                    "Code": "Success",
                }))
            }),
        );
    format!("{}/latest/meta-data/", serve(app).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cvm_role_is_fetched_once_for_hundreds_of_callers() {
    let hits = Arc::new(Hits::default());
    let url = metadata_server(Arc::clone(&hits)).await;
    let provider = CvmRoleProvider::builder().metadata_url(url).build();
    let ids = burst(Arc::new(provider.clone()), 500).await;
    assert!(ids.iter().all(|id| id == "AKIDcvm"));
    assert_eq!(hits.roles.load(Ordering::SeqCst), 1);
    assert_eq!(hits.credentials.load(Ordering::SeqCst), 1);

    let credentials = provider.provide_credentials().await.expect("cached");
    assert_eq!(credentials.token(), Some("cvm-token"));
    assert!(credentials.expiry().expect("expiry") > SystemTime::now() + Duration::from_secs(3000));
    assert_eq!(hits.credentials.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn cvm_role_off_cvm_or_without_role_is_not_found() {
    // Accepts and never answers: the read timeout ends the wait.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let silent = format!("http://{}/", listener.local_addr().expect("addr"));
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let error = CvmRoleProvider::builder()
        .metadata_url(silent)
        .read_timeout(Duration::from_millis(200))
        .build()
        .provide_credentials()
        .await
        .expect_err("no answer");
    assert!(error.is_not_found(), "{error}");
    held.abort();

    let app = axum::Router::new().fallback(|| async { StatusCode::NOT_FOUND });
    let error = CvmRoleProvider::builder()
        .metadata_url(serve(app).await)
        .build()
        .provide_credentials()
        .await
        .expect_err("no role");
    assert!(
        error.is_not_found() && error.to_string().contains("no role"),
        "{error}"
    );

    let app = axum::Router::new().fallback(|| async { "{\"TmpSecretKey\": \"leaked?\"}" });
    let error = CvmRoleProvider::builder()
        .metadata_url(serve(app).await)
        .role("ops-role")
        .build()
        .provide_credentials()
        .await
        .expect_err("garbage");
    assert!(!error.is_not_found(), "{error}");
    assert!(!error.to_string().contains("leaked?"), "{error}");
}

#[tokio::test]
async fn profile_file_errors_name_the_file_and_line() {
    let dir = std::env::temp_dir().join(format!("tc-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("credentials");
    std::fs::write(
        &path,
        "[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n\n[broken]\nsecret_id: nope\n",
    )
    .expect("write");

    let error = ProfileProvider::new()
        .path(&path)
        .profile("default")
        .provide_credentials()
        .await
        .expect_err("line 6 is malformed");
    let CredentialsError::Profile(profile) = &error else {
        panic!("expected a profile error, got {error:?}");
    };
    assert_eq!(profile.path(), path.as_path());
    assert_eq!(profile.line(), Some(6));
    assert!(
        error
            .to_string()
            .contains(&format!("{}, line 6", path.display())),
        "{error}"
    );

    std::fs::write(
        &path,
        "[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n",
    )
    .expect("write");
    let credentials = ProfileProvider::new()
        .path(&path)
        .profile("default")
        .provide_credentials()
        .await
        .expect("valid file");
    assert_eq!(credentials.secret_id(), "AKIDfile");
    let error: ProfileError = match ProfileProvider::new()
        .path(&path)
        .profile("ci")
        .provide_credentials()
        .await
    {
        Err(CredentialsError::Profile(error)) => error,
        other => panic!("expected a profile error, got {other:?}"),
    };
    assert!(error.problem().contains("[ci]"), "{error}");
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[cfg(feature = "sts")]
mod sts {
    use super::*;
    use axum::http::HeaderMap;
    use serde_json::{Value, json};
    use std::sync::Mutex;
    use tencent_cloud::{AssumeRoleProvider, WebIdentityProvider};
    use tencent_cloud::{Config, Credentials};

    #[derive(Default)]
    struct Seen {
        assume_role: AtomicUsize,
        // (Authorization, X-TC-Token, body) of every request.
        requests: Mutex<Vec<(String, Option<String>, Value)>>,
    }

    fn text(headers: &HeaderMap, name: &str) -> Option<String> {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Answers AssumeRole and AssumeRoleWithWebIdentity with credentials valid for
    /// `lifetime` seconds, and anything else with an empty success.
    async fn sts_server(seen: Arc<Seen>, lifetime: u64) -> String {
        let app =
            axum::Router::new().fallback(move |headers: HeaderMap, body: axum::body::Bytes| {
                let seen = Arc::clone(&seen);
                async move {
                    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
                    let action = text(&headers, "x-tc-action").unwrap_or_default();
                    seen.requests.lock().unwrap().push((
                        text(&headers, "authorization").unwrap_or_default(),
                        text(&headers, "x-tc-token"),
                        body.clone(),
                    ));
                    let response = if action.starts_with("AssumeRole") {
                        let n = seen.assume_role.fetch_add(1, Ordering::SeqCst) + 1;
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        json!({
                            "Credentials": {
                                "TmpSecretId": format!("AKIDsts{n}"),
                                "TmpSecretKey": "sts-secret-key",
                                "Token": format!("sts-token-{n}"),
                            },
                            "ExpiredTime": unix_now() + lifetime,
                            "Expiration": "ignored",
                            "RequestId": "r-sts",
                        })
                    } else {
                        json!({"RequestId": "r-other"})
                    };
                    axum::Json(json!({ "Response": response }))
                }
            });
        serve(app).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn assume_role_once_for_hundreds_of_callers_signed_by_the_source() {
        let seen = Arc::new(Seen::default());
        let url = sts_server(Arc::clone(&seen), 3600).await;
        let source = Config::builder()
            .endpoint_url(&url)
            .region("ap-guangzhou")
            .credentials(Credentials::new("AKIDsource", "source-key"))
            .build()
            .expect("valid config");
        let provider = AssumeRoleProvider::builder("qcs::cam::uin/1:roleName/ops")
            .session_name("deploy")
            .duration(Duration::from_secs(3600))
            .build(&source);
        let ids = burst(Arc::new(provider.clone()), 500).await;
        assert!(ids.iter().all(|id| id == "AKIDsts1"));
        assert_eq!(seen.assume_role.load(Ordering::SeqCst), 1);

        {
            let requests = seen.requests.lock().unwrap();
            let (authorization, token, body) = &requests[0];
            assert!(
                authorization.contains("Credential=AKIDsource/"),
                "{authorization}"
            );
            assert_eq!(token, &None);
            assert_eq!(body["RoleArn"], "qcs::cam::uin/1:roleName/ops");
            assert_eq!(body["RoleSessionName"], "deploy");
            assert_eq!(body["DurationSeconds"], 3600);
        }

        // The role's credentials sign later calls, with the issued token.
        let config = Config::builder()
            .endpoint_url(&url)
            .region("ap-guangzhou")
            .credentials(provider)
            .build()
            .expect("valid config");
        tencent_cloud::sts::v20180813::Client::new(&config)
            .get_caller_identity()
            .send()
            .await
            .expect("answered");
        let requests = seen.requests.lock().unwrap();
        let (authorization, token, _) = requests.last().expect("a request");
        assert!(
            authorization.contains("Credential=AKIDsts1/"),
            "{authorization}"
        );
        assert_eq!(token.as_deref(), Some("sts-token-1"));
    }

    #[tokio::test]
    async fn oidc_rereads_the_token_file_and_sends_unsigned() {
        let seen = Arc::new(Seen::default());
        // Two-second credentials: refreshed after about one second (half their life).
        let url = sts_server(Arc::clone(&seen), 2).await;
        let dir = std::env::temp_dir().join(format!("tc-oidc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let token_file = dir.join("token");
        std::fs::write(&token_file, "jwt-1\n").expect("write");
        let config = Config::builder()
            .endpoint_url(&url)
            .region("ap-guangzhou")
            .build()
            .expect("valid config");
        let provider =
            WebIdentityProvider::new(&config, "OIDC", &token_file, "qcs::cam::uin/1:roleName/pod");

        let first = provider.provide_credentials().await.expect("first");
        assert_eq!(first.secret_id(), "AKIDsts1");
        std::fs::write(&token_file, "jwt-2\n").expect("rotate");
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let second = provider.provide_credentials().await.expect("refreshed");
        assert_eq!(second.secret_id(), "AKIDsts2");

        let requests = seen.requests.lock().unwrap();
        let tokens: Vec<&Value> = requests
            .iter()
            .map(|(_, _, body)| &body["WebIdentityToken"])
            .collect();
        assert_eq!(tokens, [&json!("jwt-1"), &json!("jwt-2")]);
        for (authorization, token, body) in requests.iter() {
            assert_eq!(authorization, "SKIP");
            assert_eq!(token, &None);
            assert_eq!(body["ProviderId"], "OIDC");
            assert_eq!(body["RoleArn"], "qcs::cam::uin/1:roleName/pod");
        }
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
