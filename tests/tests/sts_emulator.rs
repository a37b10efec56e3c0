//! STS against the emulator: the AssumeRole provider fetches a role's temporary credentials
//! through the generated sts client, and hundreds of concurrent calls signed with them cause
//! exactly one AssumeRole request.

use std::time::{Duration, SystemTime};

use tencent_cloud::credentials::AssumeRoleProvider;
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
    assert_eq!(issued.tmp_secret_id, credentials::TEMPORARY.secret_id);
    assert_eq!(Some(issued.token.as_str()), credentials::TEMPORARY.token);
}

#[tokio::test]
async fn concurrent_calls_share_one_assume_role() {
    let emulator = Emulator::builder()
        .rate_limits(false)
        .start()
        .await
        .unwrap();
    let role = AssumeRoleProvider::builder("qcs::cam::uin/1250000001:roleName/ops")
        .duration(Duration::from_secs(3600))
        .build(&source_config(&emulator));
    let config = Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(role)
        .build()
        .unwrap();
    let edgezone = Edgezone::new(&config);
    let calls = (0..300).map(|_| {
        let edgezone = edgezone.clone();
        tokio::spawn(async move { edgezone.describe_public_ips().send().await })
    });
    for call in calls {
        call.await
            .unwrap()
            .expect("signed with the role's temporary credentials");
    }
    let log = emulator.requests();
    let assume_role = log.iter().filter(|r| r.action == "AssumeRole").count();
    let describe = log
        .iter()
        .filter(|r| r.action == "DescribePublicIps" && r.code.is_none())
        .count();
    assert_eq!(
        (assume_role, describe),
        (1, 300),
        "one refresh serves every call"
    );
    let signed_with_role = log
        .iter()
        .filter(|r| r.secret_id.as_deref() == Some(credentials::TEMPORARY.secret_id))
        .count();
    assert_eq!(signed_with_role, 300);
}
