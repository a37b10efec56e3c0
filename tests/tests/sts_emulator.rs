//! STS against the emulator: the AssumeRole provider fetches a role's temporary credentials
//! through the generated sts client, and hundreds of concurrent calls signed with them cause
//! exactly one AssumeRole request per expiry.

use std::time::{Duration, SystemTime};

use tencent_cloud::AssumeRoleProvider;
use tencent_cloud::edgezone::v20260401::Client as Edgezone;
use tencent_cloud::sts::v20180813::Client as Sts;
use tencent_cloud::{Config, Credentials};
use tencent_cloud_emulator::{Emulator, credentials};

fn source_config(emulator: &Emulator) -> Config {
    let primary = credentials::PRIMARY;
    Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(Credentials::new(primary.secret_id, primary.secret_key))
        .build()
        .unwrap()
}

#[tokio::test]
async fn assume_role_issues_fresh_credentials_the_emulator_accepts() {
    let emulator = Emulator::start().await.unwrap();
    let out = Sts::new(&source_config(&emulator))
        .assume_role()
        .role_arn("qcs::cam::uin/1250000001:roleName/ops")
        .role_session_name("test")
        .duration_seconds(3600u64)
        .send()
        .await
        .unwrap();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let expires_in = out.expired_time - now;
    assert!(
        (3590..=3610).contains(&expires_in),
        "expires in {expires_in} s"
    );
    let issued = out.credentials;
    assert_eq!(
        issued.tmp_secret_id.as_deref(),
        Some(credentials::TEMPORARY.secret_id)
    );
    assert_eq!(issued.token.as_deref(), credentials::TEMPORARY.token);
}

/// The emulator issues credentials that live 20 s, so the provider refreshes them 10 s
/// after issue (half their lifetime, as that is shorter than the 5-minute margin). Two
/// waves of 500 concurrent calls, one before and one after that point, make exactly one
/// AssumeRole each: one refresh per expiry, however many callers are waiting on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_cause_one_assume_role_per_expiry() {
    const LIFETIME: Duration = Duration::from_secs(20);
    const WAVE: usize = 500;
    let emulator = Emulator::builder()
        .rate_limits(false)
        .issued_credential_lifetime(LIFETIME)
        .start()
        .await
        .unwrap();
    let role = AssumeRoleProvider::builder("qcs::cam::uin/1250000001:roleName/ops")
        .build(&source_config(&emulator));
    let config = Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(role)
        .build()
        .unwrap();
    let edgezone = Edgezone::new(&config);
    let assume_roles = || {
        let log = emulator.requests();
        log.iter().filter(|r| r.action == "AssumeRole").count()
    };

    let first_wave = tokio::time::Instant::now();
    wave(&edgezone, WAVE).await;
    assert_eq!(assume_roles(), 1, "one fetch serves the first wave");

    tokio::time::sleep_until(first_wave + LIFETIME / 2 + Duration::from_secs(1)).await;
    wave(&edgezone, WAVE).await;
    assert_eq!(assume_roles(), 2, "one refresh serves the second wave");

    let log = emulator.requests();
    let described: Vec<_> = log
        .iter()
        .filter(|r| r.action == "DescribePublicIps")
        .collect();
    assert_eq!(described.len(), 2 * WAVE);
    assert!(
        described.iter().all(|r| r.code.is_none()
            && r.secret_id.as_deref() == Some(credentials::TEMPORARY.secret_id))
    );
}

/// Sends `calls` DescribePublicIps calls at once; each must succeed.
async fn wave(edgezone: &Edgezone, calls: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..calls {
        let edgezone = edgezone.clone();
        tasks.spawn(async move { edgezone.describe_public_ips().send().await });
    }
    while let Some(result) = tasks.join_next().await {
        result
            .expect("task")
            .expect("signed with the role's temporary credentials");
    }
}
