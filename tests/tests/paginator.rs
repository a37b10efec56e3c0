//! `into_paginator()` on list actions, against the emulator's DescribePublicIps: pages of
//! the caller's `Limit` from the caller's `Offset` up to `TotalCount`, items across
//! pages, and an error from a later page ending the stream. The stop rules against a
//! drifting server are unit-tested in `runtime/src/paginator.rs`.

use std::collections::BTreeSet;

use futures::{StreamExt, TryStreamExt};

use tencent_cloud::edgezone::v20260401::{Client, IpType};
use tencent_cloud::{Config, Credentials};
use tencent_cloud_emulator::{Emulator, Fault, FaultKind, credentials};

const DESCRIBE: &str = "DescribePublicIps";

fn config(emulator: &Emulator) -> Config {
    let credential = credentials::PRIMARY;
    Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("ap-singapore")
        .credentials(Credentials::new(
            credential.secret_id,
            credential.secret_key,
        ))
        .build()
        .expect("valid config")
}

/// A STATIC public network instance with `count` IPv4 addresses; returns its ID and them.
async fn instance_with_addresses(client: &Client, count: i64) -> (String, BTreeSet<String>) {
    let instance = client
        .create_public_network_instance()
        .zone_id("ap-singapore-1")
        .network_instance_name("paginator")
        .line("BGP")
        .route_mode("static")
        .send()
        .await
        .expect("instance created")
        .network_instance_id;
    let applied = client
        .apply_public_ips()
        .network_instance_id(instance.clone())
        .r#type(IpType::Ipv4)
        .count(count)
        .send()
        .await
        .expect("addresses applied")
        .ip_list
        .expect("addresses");
    assert_eq!(applied.len(), usize::try_from(count).unwrap());
    (instance, applied.into_iter().collect())
}

fn describe_offsets(emulator: &Emulator) -> usize {
    emulator
        .requests()
        .iter()
        .filter(|r| r.action == DESCRIBE)
        .count()
}

#[tokio::test]
async fn pages_of_the_callers_limit_until_total_count() {
    let emulator = Emulator::start().await.expect("emulator starts");
    let client = Client::new(&config(&emulator));
    let (instance, applied) = instance_with_addresses(&client, 7).await;

    let mut paginator = client
        .describe_public_ips()
        .network_instance_id([instance.clone()])
        .limit(3)
        .into_paginator();
    let mut sizes = Vec::new();
    let mut seen = BTreeSet::new();
    while let Some(page) = paginator.next_page().await {
        let page = page.expect("page");
        assert_eq!(page.total_count, Some(7));
        let items = page.ip_info_set.unwrap_or_default();
        sizes.push(items.len());
        seen.extend(items.into_iter().filter_map(|info| info.ip));
    }
    assert_eq!(sizes, [3, 3, 1], "stops at TotalCount, no extra request");
    assert_eq!(seen, applied);
    assert_eq!(describe_offsets(&emulator), 3);

    // The same through `.items()`, starting at the caller's Offset.
    let items: Vec<_> = client
        .describe_public_ips()
        .network_instance_id([instance])
        .limit(3)
        .offset(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(items.len(), 5, "items 2..7");
}

#[tokio::test]
async fn an_error_on_a_later_page_is_yielded_and_ends_the_stream() {
    let emulator = Emulator::start().await.expect("emulator starts");
    let client = Client::new(&config(&emulator));
    let (instance, _) = instance_with_addresses(&client, 7).await;

    let mut pages = client
        .describe_public_ips()
        .network_instance_id([instance])
        .limit(3)
        .retry(false)
        .into_paginator();
    let first = pages.next().await.expect("a first page").expect("page");
    assert_eq!(first.ip_info_set.map(|s| s.len()), Some(3));

    emulator
        .inject_fault(
            Fault::new(FaultKind::RequestLimitExceeded)
                .times(1)
                .for_action(DESCRIBE),
        )
        .expect("valid fault");
    let err = pages
        .next()
        .await
        .expect("the failed page is yielded")
        .expect_err("throttled, not retried");
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert!(pages.next().await.is_none(), "nothing after an error");
    assert_eq!(describe_offsets(&emulator), 2);
}
