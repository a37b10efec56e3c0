//! Quick start: the SDK against the emulator, in one process, with no account and no network.
//!
//! It builds the situation the ReleasePublicIp documentation describes through the API
//! itself (a STATIC public network instance with IPv4 and IPv6 addresses), releases addresses
//! with the documentation's two requests, then shows how a program matches on a typed error.
//!
//! To run the same calls against the real cloud, build the `Config` with
//! `Config::from_env()` instead and export TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY.

use std::error::Error;

use tencent_cloud::edgezone::v20260401::{Client, IpType, ReleasePublicIpError};
use tencent_cloud::{Config, Credentials};
use tencent_cloud_emulator::{Emulator, credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::start().await?;
    println!(
        "Started a local Tencent Cloud emulator at {}.",
        emulator.endpoint_url()
    );

    let account = credentials::PRIMARY;
    let config = Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(Credentials::new(account.secret_id, account.secret_key))
        .build()?;
    let edgezone = Client::new(&config);

    let created = edgezone
        .create_public_network_instance()
        .zone_id("ap-singapore-1")
        .network_instance_name("quickstart")
        .line("BGP")
        .route_mode("static")
        .send()
        .await?;
    let instance = created.network_instance_id;
    println!("Created public network instance {instance} in STATIC route mode.");

    let ipv4 = apply(&edgezone, &instance, IpType::Ipv4, 3).await?;
    let ipv6 = apply(&edgezone, &instance, IpType::Ipv6, 2).await?;
    println!("Applied IPv4 addresses {ipv4:?} and IPv6 addresses {ipv6:?}.");

    // The documentation's first request: release two IPv4 addresses.
    let released = edgezone
        .release_public_ip()
        .network_instance_id(&instance)
        .r#type(IpType::Ipv4)
        .ip_list(ipv4[..2].iter().cloned())
        .send()
        .await?;
    println!(
        "Released IPv4 {:?} (RequestId {}).",
        &ipv4[..2],
        released.request_id
    );

    // The documentation's second request: release two IPv6 addresses.
    let released = edgezone
        .release_public_ip()
        .network_instance_id(&instance)
        .r#type(IpType::Ipv6)
        .ip_list(ipv6.iter().cloned())
        .send()
        .await?;
    println!(
        "Released IPv6 {ipv6:?} (RequestId {}).",
        released.request_id
    );

    // A server is installed on the last IPv4 address (the emulator's stand-in for a
    // physical machine), so the API refuses to release it.
    let bound = &ipv4[2];
    emulator.bind_address(bound, "server-quickstart")?;
    println!("Bound {bound} to a physical server; now trying to release it.");
    let attempt = edgezone
        .release_public_ip()
        .network_instance_id(&instance)
        .r#type(IpType::Ipv4)
        .ip_list([bound.as_str()])
        .send()
        .await;
    match attempt {
        Ok(_) => return Err("the emulator released an address still bound to a server".into()),
        Err(err) => match err.service_error() {
            Some(e) if e.kind() == &ReleasePublicIpError::FailedOperationIpStillBoundToServer => {
                println!(
                    "Refused as expected: {} says {:?} (RequestId {}). \
                     Terminate the server first, then release the address.",
                    e.code(),
                    e.message(),
                    e.request_id()
                )
            }
            _ => return Err(err.into()),
        },
    }

    emulator.shutdown().await;
    println!("Done.");
    Ok(())
}

/// Applies `count` addresses of one family to `instance` and returns them.
async fn apply(
    edgezone: &Client,
    instance: &str,
    family: IpType,
    count: i64,
) -> Result<Vec<String>, Box<dyn Error>> {
    let applied = edgezone
        .apply_public_ips()
        .network_instance_id(instance)
        .r#type(family)
        .count(count)
        .send()
        .await?;
    applied
        .ip_list
        .filter(|ips| ips.len() == count as usize)
        .ok_or_else(|| format!("ApplyPublicIps did not return {count} addresses").into())
}
