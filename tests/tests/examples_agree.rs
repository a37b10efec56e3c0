//! The examples checker (`tencent_cloud_schema::examples`, run over the whole catalog by
//! `cargo xtask examples`) decides from the schema alone whether a documented response
//! decodes; this proves its verdict is the generated code's. For every action of the
//! services this crate builds (edgezone, sts), every documented response and thousands
//! of mutations of it (each member and list item removed, set to `null`, or replaced by
//! values of every other JSON type, numeric strings included, and each member given
//! twice) are decoded by the real `<Action>Response` through the runtime's envelope
//! decoding, and the outcome (output, service error, or refused) must be the checker's.

use std::path::Path;

use serde_json::json;
use tencent_cloud::__bench::{RawResponse, decode};
use tencent_cloud::__rt::Request;
use tencent_cloud::SdkError;
use tencent_cloud::edgezone::v20260401 as edgezone;
use tencent_cloud::sts::v20180813 as sts;
use tencent_cloud_codegen::schema::examples::{Json, Kind, Verdict, check_response, parse_json};
use tencent_cloud_codegen::schema::{ServiceSchema, parse};

/// How the real generated code decodes a response body of one action.
type RealDecoder = fn(&str) -> Verdict;

fn real<R: Request>(text: &str) -> Verdict {
    let raw = RawResponse {
        status: 200,
        body: text.as_bytes().to_vec(),
    };
    match decode::<R::Response, R::Error>(&raw) {
        Ok(_) => Verdict::Decoded,
        Err(SdkError::Service(_)) => Verdict::ServiceError,
        Err(SdkError::InvalidResponse(_)) => Verdict::Refused,
        Err(other) => panic!("decoding a body cannot fail as {other:?}"),
    }
}

/// Every action of the two services, by wire name.
fn decoders() -> Vec<(&'static str, RealDecoder)> {
    macro_rules! of {
        ($($module:ident :: $request:ident),* $(,)?) => {
            vec![$((<$module::$request as Request>::ACTION.name, real::<$module::$request> as RealDecoder)),*]
        };
    }
    of![
        edgezone::ApplyPublicIpsRequest,
        edgezone::CreateEdgeNodeServiceRequest,
        edgezone::CreateInstancesRequest,
        edgezone::CreatePrivateNetworkInstanceRequest,
        edgezone::CreatePublicNetworkInstanceRequest,
        edgezone::DeletePrivateNetworkInstanceRequest,
        edgezone::DeletePublicNetworkInstanceRequest,
        edgezone::DescribeInstanceTypesRequest,
        edgezone::DescribeInstancesRequest,
        edgezone::DescribePrivateNetworkInstancesRequest,
        edgezone::DescribePublicIpsRequest,
        edgezone::DescribePublicNetworkInstancesRequest,
        edgezone::DescribeZoneDataRequest,
        edgezone::DescribeZonesRequest,
        edgezone::ModifyInstanceAttributeRequest,
        edgezone::ModifyPrivateNetworkInstanceRequest,
        edgezone::ModifyPublicNetworkInstanceRequest,
        edgezone::ReleasePublicIpRequest,
        edgezone::TerminateInstancesRequest,
        sts::AssumeRoleRequest,
        sts::AssumeRoleWithSamlRequest,
        sts::AssumeRoleWithWebIdentityRequest,
        sts::GetCallerIdentityRequest,
        sts::GetFederationTokenRequest,
    ]
}

fn schema(file: &str) -> ServiceSchema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schema")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    parse(file, &text).unwrap()
}

fn schemas() -> Vec<ServiceSchema> {
    vec![
        schema("edgezone/2026-04-01.json"),
        schema("sts/2018-08-13.json"),
    ]
}

fn decoder(name: &str) -> RealDecoder {
    let decoders = decoders();
    let found = decoders.iter().find(|(action, _)| *action == name);
    found
        .unwrap_or_else(|| panic!("no generated decoder listed for {name}"))
        .1
}

/// JSON text of a tree, for mutated documents.
fn text(json: &Json) -> String {
    match json {
        Json::Null => "null".to_owned(),
        Json::Bool(value) => value.to_string(),
        Json::Signed(n) => n.to_string(),
        Json::Unsigned(n) => n.to_string(),
        Json::Float(n) => format!("{n:?}"),
        Json::Str(s) => json!(s).to_string(),
        Json::Array(items) => format!("[{}]", items.iter().map(text).collect::<Vec<_>>().join(",")),
        Json::Object(entries) => {
            let entries: Vec<String> = (entries.iter())
                .map(|(key, value)| format!("{}:{}", json!(key), text(value)))
                .collect();
            format!("{{{}}}", entries.join(","))
        }
    }
}

/// Values of every JSON type, numeric strings and out-of-range numbers included.
fn replacements() -> Vec<Json> {
    vec![
        Json::Null,
        Json::Bool(true),
        Json::Str("12a".into()),
        Json::Str("7".into()),
        Json::Str("-7".into()),
        Json::Str("1.5".into()),
        Json::Str("true".into()),
        Json::Unsigned(7),
        Json::Unsigned(u64::MAX),
        Json::Signed(-7),
        Json::Float(1.5),
        Json::Array(vec![]),
        Json::Array(vec![Json::Str("x".into())]),
        Json::Object(vec![]),
    ]
}

/// Every mutation of `document`: at each member and list item, removed (members only),
/// replaced by each of `replacements()`, and (members only) given twice.
fn mutations(document: &Json) -> Vec<Json> {
    let mut out = Vec::new();
    match document {
        Json::Object(entries) => {
            for index in 0..entries.len() {
                let mut removed = entries.clone();
                removed.remove(index);
                out.push(Json::Object(removed));
                let mut twice = entries.clone();
                twice.push(entries[index].clone());
                out.push(Json::Object(twice));
                for replacement in replacements() {
                    let mut replaced = entries.clone();
                    replaced[index].1 = replacement;
                    out.push(Json::Object(replaced));
                }
                for inner in mutations(&entries[index].1) {
                    let mut replaced = entries.clone();
                    replaced[index].1 = inner;
                    out.push(Json::Object(replaced));
                }
            }
        }
        Json::Array(items) => {
            for index in 0..items.len() {
                for replacement in replacements() {
                    let mut replaced = items.clone();
                    replaced[index] = replacement;
                    out.push(Json::Array(replaced));
                }
                for inner in mutations(&items[index]) {
                    let mut replaced = items.clone();
                    replaced[index] = inner;
                    out.push(Json::Array(replaced));
                }
            }
        }
        _ => {}
    }
    out
}

#[test]
fn every_action_of_the_tested_services_has_its_generated_decoder() {
    let listed: Vec<&str> = decoders().iter().map(|(name, _)| *name).collect();
    let mut actions: Vec<String> = (schemas().iter())
        .flat_map(|schema| schema.actions.iter().map(|a| a.name.clone()))
        .collect();
    actions.sort();
    let mut listed: Vec<String> = listed.into_iter().map(str::to_owned).collect();
    listed.sort();
    assert_eq!(actions, listed);
}

#[test]
fn the_checker_agrees_with_the_generated_decoders_on_every_example_and_its_mutations() {
    let (mut compared, mut decoded, mut refused) = (0, 0, 0);
    let mut disagreements = Vec::new();
    for schema in schemas() {
        for action in &schema.actions {
            let real = decoder(&action.name);
            for example in &action.examples {
                let mut bodies = vec![example.response.clone()];
                if let Ok(document) = parse_json(&example.response) {
                    bodies.extend(mutations(&document).iter().map(text));
                }
                for body in bodies {
                    let expected = real(&body);
                    let checked = check_response(&schema, action, &body);
                    compared += 1;
                    decoded += usize::from(expected == Verdict::Decoded);
                    refused += usize::from(expected == Verdict::Refused);
                    if checked.verdict != expected {
                        disagreements.push(format!(
                            "{} {}: generated {expected:?}, checker {:?} ({:?}) for {body}",
                            schema.service, action.name, checked.verdict, checked.issues
                        ));
                    }
                }
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {compared} disagree:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(20)].join("\n")
    );
    // Not vacuous: both outcomes are covered many times.
    assert!(
        compared > 4_000 && decoded > 1_500 && refused > 2_000,
        "{compared} {decoded} {refused}"
    );
}

/// Hand-made cases with the kind and path the checker names, each also decoded for real.
/// In edgezone, DescribePublicIps' members are optional; CreatePublicNetworkInstance's
/// `NetworkInstanceId` is `output_required`.
#[test]
fn hand_made_mismatches_are_named_by_kind_and_path() {
    let schemas = schemas();
    let edgezone = &schemas[0];
    let list = "DescribePublicIps";
    let create = "CreatePublicNetworkInstance";
    let cases = [
        (
            list,
            r#"{"Response":{"RequestId":"r","TotalCount":1,"IpInfoSet":[]}}"#,
            Verdict::Decoded,
            None,
        ),
        (
            list,
            r#"{"Response":{"RequestId":"r","TotalCount":null}}"#,
            Verdict::Decoded,
            None,
        ),
        (
            list,
            r#"{"Response":{"RequestId":"r","TotalCount":"1"}}"#,
            Verdict::Decoded,
            Some((Kind::ResponseNumberAsString, "Response.TotalCount")),
        ),
        (
            list,
            r#"{"Response":{"RequestId":"r","TotalCount":"1x"}}"#,
            Verdict::Refused,
            Some((Kind::ResponseWrongType, "Response.TotalCount")),
        ),
        (
            list,
            r#"{"Response":{"RequestId":"r","IpInfoSet":[null]}}"#,
            Verdict::Refused,
            Some((Kind::ResponseNullNotAllowed, "Response.IpInfoSet[0]")),
        ),
        (
            list,
            r#"{"Response":{"RequestId":"r","New":1}}"#,
            Verdict::Decoded,
            Some((Kind::ResponseUndocumentedMember, "Response.New")),
        ),
        (
            list,
            r#"{"Response":{"TotalCount":1}}"#,
            Verdict::Refused,
            Some((Kind::ResponseEnvelope, "Response.RequestId")),
        ),
        (
            list,
            r#"{"Response":{"RequestId":"r","Error":{"Code":"InternalError"}}}"#,
            Verdict::ServiceError,
            Some((Kind::ResponseError, "Response.Error.Code")),
        ),
        (
            list,
            r#"{"Response":{"RequestId":"r","TotalCount":1,"TotalCount":1}}"#,
            Verdict::Refused,
            Some((Kind::ResponseDuplicateMember, "Response.TotalCount")),
        ),
        (
            list,
            r#"{"Response":{"RequestId":"r" "TotalCount":1}}"#,
            Verdict::Refused,
            Some((Kind::ResponseNotJson, "")),
        ),
        (
            create,
            r#"{"Response":{"RequestId":"r","NetworkInstanceId":"epn-1"}}"#,
            Verdict::Decoded,
            None,
        ),
        (
            create,
            r#"{"Response":{"RequestId":"r"}}"#,
            Verdict::Refused,
            Some((Kind::ResponseMissingMember, "Response.NetworkInstanceId")),
        ),
        (
            create,
            r#"{"Response":{"RequestId":"r","NetworkInstanceId":null}}"#,
            Verdict::Refused,
            Some((Kind::ResponseNullNotAllowed, "Response.NetworkInstanceId")),
        ),
        (
            create,
            r#"{"Response":{"RequestId":"r","NetworkInstanceId":7}}"#,
            Verdict::Decoded,
            Some((Kind::ResponseNumberForString, "Response.NetworkInstanceId")),
        ),
    ];
    for (name, body, verdict, issue) in cases {
        let action = edgezone.actions.iter().find(|a| a.name == name).unwrap();
        assert_eq!(decoder(name)(body), verdict, "generated: {body}");
        let checked = check_response(edgezone, action, body);
        assert_eq!(checked.verdict, verdict, "checker: {body}");
        let found: Vec<(Kind, &str)> = (checked.issues.iter())
            .map(|issue| (issue.kind, issue.path.as_str()))
            .collect();
        assert_eq!(found, issue.into_iter().collect::<Vec<_>>(), "{body}");
    }
}
