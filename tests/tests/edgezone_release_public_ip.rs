//! The generated edgezone client end to end over loopback: the documentation's two requests
//! serialise to its JSON, reach a server that checks every protocol header and recomputes the
//! signature, and each documented error code comes back as its own typed variant.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use tencent_cloud::edgezone::v20260401::{
    Client, IpType, ReleasePublicIpError, ReleasePublicIpRequest,
};
use tencent_cloud::signing::{Payload, SignableRequest, sign};
use tencent_cloud::{CommonError, Config, Credentials, SdkError};

const SECRET_ID: &str = "AKIDloopbackTest0000000000000000001";
const SECRET_KEY: &str = "loopback-secret-key-0000000000001";
const SCHEMA: &str = include_str!("../../schema/edgezone/2026-04-01.json");

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    action: String,
    body: Value,
}

/// The answer the server gives to every request, and what it saw.
#[derive(Default)]
struct Server {
    answer: Mutex<(u16, String)>,
    seen: Mutex<Vec<Seen>>,
    rejected: Mutex<Vec<String>>,
}

async fn handle(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    match check_request(&headers, &body) {
        Ok(seen) => server.seen.lock().unwrap().push(seen),
        Err(problem) => {
            server.rejected.lock().unwrap().push(problem.clone());
            return (StatusCode::BAD_REQUEST, problem);
        }
    }
    let (status, body) = server.answer.lock().unwrap().clone();
    (StatusCode::from_u16(status).unwrap(), body)
}

/// Checks the API 3.0 headers and recomputes the signature over the bytes received.
fn check_request(headers: &HeaderMap, body: &[u8]) -> Result<Seen, String> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| format!("missing header {name}"))
    };
    let action = header("x-tc-action")?;
    expect(header("x-tc-version")?, "2026-04-01", "X-TC-Version")?;
    expect(header("x-tc-region")?, "ap-singapore", "X-TC-Region")?;
    let timestamp: i64 = header("x-tc-timestamp")?
        .parse()
        .map_err(|_| "X-TC-Timestamp is not an integer".to_owned())?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    if (now - timestamp).abs() > 300 {
        return Err(format!("X-TC-Timestamp {timestamp} is not current"));
    }
    let request = SignableRequest {
        host: header("host")?,
        content_type: header("content-type")?,
        payload: Payload::Bytes(body),
    };
    let expected = sign(
        &request,
        &Credentials::new(SECRET_ID, SECRET_KEY),
        timestamp,
        "edgezone",
    )
    .map_err(|e| e.to_string())?;
    expect(
        header("authorization")?,
        expected.authorization(),
        "Authorization",
    )?;
    let body = serde_json::from_slice(body).map_err(|e| format!("body is not JSON: {e}"))?;
    Ok(Seen {
        action: action.to_owned(),
        body,
    })
}

fn expect(got: &str, want: &str, what: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what} is {got:?}, expected {want:?}"))
    }
}

async fn start() -> (Arc<Server>, Client) {
    let server = Arc::new(Server::default());
    let app = Router::new()
        .route("/", post(handle))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let config = Config::builder()
        .endpoint_url(url)
        .region("ap-singapore")
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .build()
        .unwrap();
    (server, Client::new(&config))
}

fn answer(server: &Server, status: u16, response: Value) {
    *server.answer.lock().unwrap() = (status, json!({ "Response": response }).to_string());
}

/// The request bodies of the schema's examples for ReleasePublicIp (the documentation's).
fn documented_request_bodies() -> Vec<Value> {
    let schema = tencent_cloud_codegen::schema::parse("edgezone/2026-04-01.json", SCHEMA).unwrap();
    let action = schema
        .actions
        .iter()
        .find(|a| a.name == "ReleasePublicIp")
        .unwrap();
    action
        .examples
        .iter()
        .map(|example| {
            let (_, body) = example
                .request
                .split_once("\n\n")
                .expect("HTTP text has a body");
            serde_json::from_str(body).unwrap()
        })
        .collect()
}

fn seed_requests() -> [ReleasePublicIpRequest; 2] {
    [
        ReleasePublicIpRequest::default()
            .network_instance_id("epn-dfghjkl")
            .r#type(IpType::Ipv4)
            .ip_list(["226.10.12.3", "226.10.12.4"]),
        ReleasePublicIpRequest::default()
            .network_instance_id("epn-xxxxxxxx")
            .r#type(IpType::Ipv6)
            .ip_list(["2001:db8::1a2b", "2001:db8::3c4d"]),
    ]
}

#[test]
fn documented_requests_serialise_to_the_documented_json() {
    let documented = documented_request_bodies();
    assert_eq!(documented.len(), 2);
    for (request, expected) in seed_requests().iter().zip(&documented) {
        assert_eq!(&serde_json::to_value(request).unwrap(), expected);
    }
}

#[tokio::test]
async fn documented_requests_are_sent_signed_and_succeed() {
    let (server, client) = start().await;
    answer(&server, 200, json!({ "RequestId": "test-req-026" }));
    // One sent as built elsewhere, one set member by member on the builder.
    let [first, second] = seed_requests();
    let out = client
        .release_public_ip()
        .with_request(first)
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "test-req-026");
    let out = client
        .release_public_ip()
        .network_instance_id("epn-xxxxxxxx")
        .r#type(IpType::Ipv6)
        .ip_list(second.ip_list.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "test-req-026");
    assert_eq!(*server.rejected.lock().unwrap(), Vec::<String>::new());
    let seen = server.seen.lock().unwrap().clone();
    let bodies: Vec<Value> = seen.iter().map(|s| s.body.clone()).collect();
    assert_eq!(bodies, documented_request_bodies());
    assert!(seen.iter().all(|s| s.action == "ReleasePublicIp"));
}

/// Whether an error is the variant one code must become.
type IsVariant = fn(&ReleasePublicIpError) -> bool;

/// Each row of the documentation's error table (plus a common and an unknown code), and the
/// variant it must become.
fn documented_errors() -> Vec<(&'static str, IsVariant)> {
    use ReleasePublicIpError as E;
    vec![
        ("FailedOperation.IpStillBoundToServer", |e| {
            matches!(e, E::FailedOperationIpStillBoundToServer)
        }),
        ("FailedOperation.NotSupportedForDynamicInstance", |e| {
            matches!(e, E::FailedOperationNotSupportedForDynamicInstance)
        }),
        // Documented for the action, but common: the same variant on every action.
        ("InternalError", |e| {
            matches!(e, E::Common(CommonError::InternalError))
        }),
        ("InvalidParameter", |e| {
            matches!(e, E::Common(CommonError::InvalidParameter))
        }),
        ("InvalidParameterValue.PublicIpNotAvailable", |e| {
            matches!(e, E::InvalidParameterValuePublicIpNotAvailable)
        }),
        ("InvalidParameterValue.PublicIpv6NotAvailable", |e| {
            matches!(e, E::InvalidParameterValuePublicIpv6NotAvailable)
        }),
        ("ResourceNotFound.PublicInstanceNotFound", |e| {
            matches!(e, E::ResourceNotFoundPublicInstanceNotFound)
        }),
        ("UnauthorizedOperation.PermissionDenied", |e| {
            matches!(e, E::UnauthorizedOperationPermissionDenied)
        }),
        ("RequestLimitExceeded", |e| {
            matches!(e, E::Common(CommonError::RequestLimitExceeded))
        }),
        ("AuthFailure.SignatureExpire", |e| {
            matches!(e, E::Common(CommonError::AuthFailureSignatureExpire))
        }),
        ("FailedOperation.SomethingNew", |e| {
            #[allow(deprecated)]
            let unhandled = matches!(e, E::Unhandled(_));
            unhandled
        }),
    ]
}

#[tokio::test]
async fn each_error_code_maps_to_its_typed_variant() {
    let (server, client) = start().await;
    for (status, (code, is_variant)) in [200, 400].into_iter().cycle().zip(documented_errors()) {
        let request_id = format!("req-{code}");
        answer(
            &server,
            status,
            json!({
                "Error": { "Code": code, "Message": format!("message for {code}") },
                "RequestId": request_id,
            }),
        );
        let err = client
            .release_public_ip()
            .network_instance_id("epn-dfghjkl")
            .r#type(IpType::Ipv4)
            .ip_list(["226.10.12.3"])
            .send()
            .await
            .expect_err(code);
        let service = err
            .service_error()
            .unwrap_or_else(|| panic!("{code}: {err:?}"));
        assert!(is_variant(service.kind()), "{code} became {service:?}");
        assert_eq!(service.code(), code);
        assert_eq!(service.message(), format!("message for {code}"));
        assert_eq!(service.request_id(), request_id);
        let shown = err.to_string();
        for part in [code, &format!("message for {code}"), &request_id] {
            assert!(shown.contains(part), "{shown:?} lacks {part:?}");
        }
    }
    assert_eq!(*server.rejected.lock().unwrap(), Vec::<String>::new());
}

#[tokio::test]
async fn a_missing_required_member_is_refused_before_sending() {
    let (server, client) = start().await;
    answer(&server, 200, json!({ "RequestId": "never" }));
    let err = client
        .release_public_ip()
        .network_instance_id("epn-dfghjkl")
        .ip_list(["226.10.12.3"])
        .send()
        .await
        .expect_err("Type is required");
    match &err {
        SdkError::InvalidRequest(invalid) => assert_eq!(invalid.field(), Some("Type")),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(err.to_string().contains("Type"), "{err}");
    assert!(server.seen.lock().unwrap().is_empty());
}
