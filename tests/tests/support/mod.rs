//! What the emulator-backed test binaries share: the account they sign with, the call whose
//! outcome is known in advance, and the emulator's record of what arrived.
// Each test binary uses a part of this module.
#![allow(dead_code)]

pub mod python;

use tencent_cloud::edgezone::v20260401::{self as edgezone, IpType};
use tencent_cloud::{Config, ConfigBuilder, Credentials, RetryConfig, SdkError};
use tencent_cloud_emulator::{Emulator, RequestRecord, credentials};

pub const RELEASE: &str = "ReleasePublicIp";

pub async fn start() -> Emulator {
    Emulator::start().await.expect("emulator starts")
}

/// The primary account with retries off, for tests that count every request sent.
pub fn without_retries(emulator: &Emulator) -> ConfigBuilder {
    Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(Credentials::new(
            credentials::PRIMARY.secret_id,
            credentials::PRIMARY.secret_key,
        ))
        .retry(RetryConfig::disabled())
}

/// Releases an address of an instance that does not exist: always a business error
/// (ResourceNotFound.PublicInstanceNotFound) unless the call is refused earlier.
pub async fn release(
    client: &edgezone::Client,
) -> Result<(), SdkError<edgezone::ReleasePublicIpError>> {
    client
        .release_public_ip()
        .network_instance_id("epn-doesnotexist")
        .r#type(IpType::Ipv4)
        .ip_list(["203.0.113.7"])
        .send()
        .await
        .map(|_| ())
}

/// The requests of `action` the emulator received, in arrival order.
pub fn sent(emulator: &Emulator, action: &str) -> Vec<RequestRecord> {
    emulator
        .requests()
        .into_iter()
        .filter(|r| r.action == action)
        .collect()
}
