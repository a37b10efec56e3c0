//! The application's own HTTP stack: its client or middleware (`HttpClient`), the root
//! certificates of a private CA, the pool's idle timeout, and the settings that
//! contradict one another.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use futures_util::future::BoxFuture;
use serde::Deserialize;
use serde_json::json;
use tencent_cloud::__rt::{ActionInfo, ServiceClient, ServiceInfo};
use tencent_cloud::{Config, ConfigError, Credentials, HttpClient, HttpError, SdkError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod common;
use common::TestError;

static SERVICE: ServiceInfo = ServiceInfo {
    name: "edgezone",
    version: "2026-04-01",
    default_host: "edgezone.intl.tencentcloudapi.com",
};

static DESCRIBE: ActionInfo = ActionInfo {
    name: "DescribeZones",
    rate_limit: None,
    skip_sign: false,
    read: true,
};

#[derive(Debug, Deserialize)]
struct Output {}

/// What a server saw: each request's headers, and the client address of its connection.
#[derive(Clone, Default)]
struct Seen {
    headers: Arc<Mutex<Vec<HeaderMap>>>,
    peers: Arc<Mutex<HashSet<SocketAddr>>>,
}

async fn server() -> (String, Seen) {
    let seen = Seen::default();
    let recorder = seen.clone();
    let app = axum::Router::new().fallback(
        move |ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap| {
            let recorder = recorder.clone();
            async move {
                recorder.headers.lock().unwrap().push(headers);
                recorder.peers.lock().unwrap().insert(peer);
                axum::Json(json!({"Response": {"RequestId": "req"}}))
            }
        },
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    (url, seen)
}

fn builder(url: &str) -> tencent_cloud::ConfigBuilder {
    Config::builder()
        .endpoint_url(url)
        .credentials(Credentials::new("id", "key"))
}

async fn describe(config: &Config) -> Result<Output, SdkError<TestError>> {
    ServiceClient::new(config, &SERVICE)
        .call(&DESCRIBE, &json!({}))
        .await
}

/// Middleware of the application's own: counts requests and tags them.
#[derive(Debug)]
struct Tagging {
    inner: reqwest::Client,
    sent: Arc<AtomicUsize>,
}

impl HttpClient for Tagging {
    fn execute(
        &self,
        mut request: reqwest::Request,
    ) -> BoxFuture<'_, Result<reqwest::Response, HttpError>> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        request
            .headers_mut()
            .insert("x-tenant", "blue".parse().expect("valid"));
        Box::pin(async move { self.inner.execute(request).await.map_err(HttpError::from) })
    }
}

#[tokio::test]
async fn requests_go_through_the_applications_own_client() {
    let (url, seen) = server().await;
    let sent = Arc::new(AtomicUsize::new(0));
    let own = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let config = builder(&url)
        .http_client(Tagging {
            inner: own,
            sent: Arc::clone(&sent),
        })
        .build()
        .expect("valid config");
    describe(&config).await.expect("success");
    assert_eq!(sent.load(Ordering::SeqCst), 1);
    let headers = seen.headers.lock().unwrap();
    assert_eq!(headers[0]["x-tenant"], "blue");
    // Signed all the same.
    assert!(
        headers[0]["authorization"]
            .to_str()
            .unwrap()
            .starts_with("TC3-HMAC-SHA256")
    );
}

#[tokio::test]
async fn a_plain_reqwest_client_can_be_passed_as_it_is() {
    let (url, seen) = server().await;
    let config = builder(&url)
        .http_client(reqwest::Client::new())
        .build()
        .expect("valid config");
    describe(&config).await.expect("success");
    assert_eq!(seen.headers.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_error_of_the_applications_client_keeps_its_kind() {
    #[derive(Debug)]
    struct Offline;
    impl HttpClient for Offline {
        fn execute(
            &self,
            _: reqwest::Request,
        ) -> BoxFuture<'_, Result<reqwest::Response, HttpError>> {
            Box::pin(async { Err(HttpError::connect("the VPN is down")) })
        }
    }
    let config = builder("http://127.0.0.1:9")
        .http_client(Offline)
        .retry(tencent_cloud::RetryConfig::disabled())
        .build()
        .expect("valid config");
    let error = describe(&config).await.expect_err("offline");
    let SdkError::Transport(transport) = &error else {
        panic!("not a transport error: {error:?}");
    };
    assert_eq!(
        transport.kind(),
        tencent_cloud::error::TransportErrorKind::Connect
    );
    assert!(error.to_string().contains("the VPN is down"), "{error}");
}

/// Sets one setting on a builder.
type SetOne = fn(tencent_cloud::ConfigBuilder) -> tencent_cloud::ConfigBuilder;

#[test]
fn the_sdks_client_settings_beside_an_own_client_are_refused() {
    let settings: [(&str, SetOne); 5] = [
        ("proxy", |b| b.proxy("http://proxy:3128")),
        ("connect_timeout", |b| {
            b.connect_timeout(Duration::from_secs(1))
        }),
        ("add_root_certificate", |b| {
            b.add_root_certificate(b"pem".to_vec())
        }),
        ("pool_idle_timeout", |b| {
            b.pool_idle_timeout(Duration::from_secs(1))
        }),
        ("pool_max_idle_per_host", |b| b.pool_max_idle_per_host(1)),
    ];
    for (name, set) in settings {
        let error = set(Config::builder().http_client(reqwest::Client::new()))
            .build()
            .expect_err(name);
        match error {
            ConfigError::Conflict { setting, with, .. } => {
                assert_eq!((setting, with), (name, "http_client"))
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn a_root_certificate_that_is_not_pem_is_refused_by_position() {
    let ca = certificate_authority();
    let error = Config::builder()
        .add_root_certificate(ca.pem.clone())
        .add_root_certificate(b"-----BEGIN CERTIFICATE-----\nnope\n".to_vec())
        .build()
        .expect_err("not PEM");
    assert!(
        matches!(error, ConfigError::InvalidCertificate { index: 1 }),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_pool_idle_timeout() {
    let (url, seen) = server().await;
    let pooled = builder(&url).build().expect("valid config");
    let short = builder(&url)
        .pool_idle_timeout(Duration::from_millis(50))
        .build()
        .expect("valid config");
    for (config, connections) in [(&pooled, 1), (&short, 2)] {
        seen.peers.lock().unwrap().clear();
        describe(config).await.expect("success");
        tokio::time::sleep(Duration::from_millis(300)).await;
        describe(config).await.expect("success");
        assert_eq!(seen.peers.lock().unwrap().len(), connections);
    }
}

struct Authority {
    pem: Vec<u8>,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
}

fn certificate_authority() -> Authority {
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params = rcgen::CertificateParams::new(Vec::new()).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let certificate = params.self_signed(&key).expect("CA");
    Authority {
        pem: certificate.pem().into_bytes(),
        issuer: rcgen::Issuer::new(params, key),
    }
}

/// An HTTPS server for `localhost` whose certificate the private CA `authority` issued;
/// answers every request with a success envelope.
async fn tls_server(authority: &Authority) -> String {
    let key = rcgen::KeyPair::generate().expect("key");
    let leaf = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
        .expect("params")
        .signed_by(&key, &authority.issuer)
        .expect("leaf");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut chunk = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&chunk[..n]),
                    }
                }
                let body = r#"{"Response":{"RequestId":"req-tls"}}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}")
}

#[tokio::test]
async fn a_private_ca_is_trusted_once_added() {
    let authority = certificate_authority();
    let url = tls_server(&authority).await;
    let untrusting = builder(&url)
        .retry(tencent_cloud::RetryConfig::disabled())
        .build()
        .expect("valid config");
    let error = describe(&untrusting).await.expect_err("unknown issuer");
    assert!(matches!(error, SdkError::Transport(_)), "{error:?}");
    assert!(
        error.to_string().to_lowercase().contains("certificate"),
        "{error}"
    );

    let trusting = builder(&url)
        .add_root_certificate(authority.pem.clone())
        .build()
        .expect("valid config");
    describe(&trusting)
        .await
        .expect("the private CA is trusted");
}
