//! Proxies: from `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` (reqwest's system proxy, on by
//! default) and from `ConfigBuilder::proxy`. The proxy is a loopback server that answers
//! itself, as a forward proxy sees plain-HTTP requests (absolute-form request target, no
//! CONNECT). One test in its own binary, because it changes the process environment.

use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::json;
use tencent_cloud::__rt::{ActionInfo, ServiceClient, ServiceInfo};
use tencent_cloud::{CallOptions, Config, Credentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod common;
use common::TestError;

static SERVICE: ServiceInfo = ServiceInfo {
    name: "cvm",
    version: "2017-03-12",
    default_host: "cvm.intl.tencentcloudapi.com",
};

static ACTION: ActionInfo = ActionInfo {
    name: "DescribeInstances",
    rate_limit: None,
    skip_sign: false,
    read: true,
};

#[derive(Debug, Deserialize)]
struct Output {
    #[serde(rename = "RequestId")]
    request_id: String,
}

/// Answers every request with `{"RequestId": name}` and records each request line.
async fn server(name: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("addr").to_string();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&lines);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let recorded = Arc::clone(&recorded);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0);
                let mut body = vec![0u8; length];
                stream.read_exact(&mut body).await.expect("body");
                recorded
                    .lock()
                    .unwrap()
                    .push(head.lines().next().unwrap_or_default().to_owned());
                let reply = format!(r#"{{"Response":{{"RequestId":"{name}"}}}}"#);
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    (address, lines)
}

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this binary runs a single test; reqwest reads the proxy variables when a
    // client is built, which happens on this thread between the changes.
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

async fn call(config: &Config) -> String {
    ServiceClient::new(config, &SERVICE)
        .call_with::<_, Output, TestError>(&ACTION, &json!({}), &CallOptions::new().retry(false))
        .await
        .expect("answered")
        .request_id
}

fn config(endpoint: &str) -> tencent_cloud::ConfigBuilder {
    Config::builder()
        .endpoint_url(endpoint)
        .credentials(Credentials::new("id", "key"))
}

#[tokio::test]
async fn proxies_from_environment_and_config() {
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        set(name, None);
    }
    let (proxy, proxied) = server("via-env-proxy").await;
    let (other_proxy, other_proxied) = server("via-config-proxy").await;
    let (direct, _) = server("direct").await;
    // Never resolved or contacted: the proxy answers for it.
    let remote = "http://api.example.invalid:8080";

    set("HTTP_PROXY", Some(&format!("http://{proxy}")));
    assert_eq!(
        call(&config(remote).build().expect("config")).await,
        "via-env-proxy"
    );
    assert_eq!(
        proxied.lock().unwrap().as_slice(),
        ["POST http://api.example.invalid:8080/ HTTP/1.1"]
    );

    // https endpoints go through HTTPS_PROXY with CONNECT (this proxy cannot tunnel, so
    // the call fails after the proxy saw the CONNECT).
    set("HTTPS_PROXY", Some(&format!("http://{proxy}")));
    let error = ServiceClient::new(
        &config("https://api.example.invalid")
            .build()
            .expect("config"),
        &SERVICE,
    )
    .call_with::<_, Output, TestError>(&ACTION, &json!({}), &CallOptions::new().retry(false))
    .await
    .expect_err("no tunnel");
    assert!(
        matches!(error, tencent_cloud::SdkError::Transport(_)),
        "{error:?}"
    );
    assert_eq!(
        proxied.lock().unwrap().last().map(String::as_str),
        Some("CONNECT api.example.invalid:443 HTTP/1.1")
    );
    set("HTTPS_PROXY", None);
    proxied.lock().unwrap().clear();

    // NO_PROXY hosts go direct.
    set("NO_PROXY", Some("127.0.0.1,localhost"));
    let direct_url = format!("http://{direct}");
    assert_eq!(
        call(&config(&direct_url).build().expect("config")).await,
        "direct"
    );

    // A configured proxy replaces the environment's; NO_PROXY still applies to it.
    let configured = |endpoint: &str| {
        config(endpoint)
            .proxy(format!("http://user:pass@{other_proxy}"))
            .build()
            .expect("config")
    };
    assert_eq!(call(&configured(remote)).await, "via-config-proxy");
    assert_eq!(call(&configured(&direct_url)).await, "direct");
    assert_eq!(other_proxied.lock().unwrap().len(), 1);
    assert_eq!(
        proxied.lock().unwrap().len(),
        0,
        "the environment's proxy was not used again"
    );
}
