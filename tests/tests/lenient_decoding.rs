//! Lenient decoding through generated types (issue 4, item 6), against a loopback server
//! that answers what each test tells it to and records the request body: numbers as
//! strings and strings as numbers decode; 64-bit values keep full precision; unknown
//! fields are ignored; refused values name the field's path; an optional request member
//! that was not set is not sent, one set to an empty value is.
//! The case-by-case rules are unit-tested in `runtime/src/de.rs`.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use serde_json::{Value, json};
use tencent_cloud::edgezone::v20260401::{Client, DescribeInstancesResponse};
use tencent_cloud::{Config, Credentials, SdkError};

#[derive(Default)]
struct Server {
    /// The `Response` object to answer with.
    answer: Mutex<Value>,
    /// The body of the last request.
    received: Mutex<Option<Value>>,
}

async fn handle(State(server): State<Arc<Server>>, body: Bytes) -> String {
    *server.received.lock().unwrap() = serde_json::from_slice(&body).ok();
    json!({ "Response": *server.answer.lock().unwrap() }).to_string()
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
        .credentials(Credentials::new("AKIDloopback", "loopback-key"))
        .build()
        .unwrap();
    (server, Client::new(&config))
}

async fn describe_instances(
    server: &Server,
    client: &Client,
    response: Value,
) -> Result<
    DescribeInstancesResponse,
    SdkError<tencent_cloud::edgezone::v20260401::DescribeInstancesError>,
> {
    *server.answer.lock().unwrap() = response;
    client.describe_instances().send().await
}

#[tokio::test]
async fn drifted_numbers_and_strings_decode_and_unknown_fields_are_ignored() {
    let (server, client) = start().await;
    let out = describe_instances(
        &server,
        &client,
        json!({
            // int64 as a string, at the edge of its range.
            "TotalCount": "-9223372036854775808",
            "InstanceSet": [{
                // A string member sent as a number; 64-bit integers as strings and as
                // numbers, at the edges of their ranges.
                "InstanceId": 1234567890123456789u64,
                "InstanceName": "web",
                "Cpu": "9223372036854775807",
                "Memory": -9223372036854775807i64,
                "SomethingNew": {"added": "after this SDK was generated"},
            }],
            "AlsoNew": [1, 2, 3],
            "RequestId": "r-1",
        }),
    )
    .await
    .expect("decodes");
    assert_eq!(out.total_count, Some(i64::MIN));
    let instance = &out.instance_set.as_ref().unwrap()[0];
    assert_eq!(instance.instance_id.as_deref(), Some("1234567890123456789"));
    assert_eq!(instance.cpu, Some(i64::MAX));
    assert_eq!(instance.memory, Some(-i64::MAX));

    // A uint64 at the top of its range, as a string and as a number.
    for total in [json!("18446744073709551615"), json!(u64::MAX)] {
        *server.answer.lock().unwrap() = json!({"TotalCount": total, "RequestId": "r-1"});
        let out = client
            .describe_instance_types()
            .send()
            .await
            .expect("decodes");
        assert_eq!(out.total_count, Some(u64::MAX));
    }
}

#[tokio::test]
async fn a_refused_value_is_an_invalid_response_naming_the_field_path() {
    let (server, client) = start().await;
    for (response, path) in [
        (
            json!({"TotalCount": "12a", "RequestId": "r-2"}),
            "`Response.TotalCount`",
        ),
        (
            json!({"InstanceSet": [{}, {"Cpu": "4 cores"}], "RequestId": "r-2"}),
            "`Response.InstanceSet[1].Cpu`",
        ),
        (
            json!({"InstanceSet": [{"Cpu": 1.5}], "RequestId": "r-2"}),
            "`Response.InstanceSet[0].Cpu`",
        ),
    ] {
        match describe_instances(&server, &client, response.clone()).await {
            Err(SdkError::InvalidResponse(invalid)) => {
                assert!(invalid.problem().contains(path), "{response}: {invalid}");
                assert_eq!(invalid.request_id(), Some("r-2"));
            }
            other => panic!("{response}: expected InvalidResponse, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn unset_optional_members_are_not_sent_and_empty_ones_are() {
    let (server, client) = start().await;
    *server.answer.lock().unwrap() = json!({"TotalCount": 0, "RequestId": "r-3"});
    client
        .describe_instances()
        .instance_ids(Vec::<String>::new())
        .instance_name("")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        server.received.lock().unwrap().clone(),
        Some(json!({"InstanceIds": [], "InstanceName": ""}))
    );
}
