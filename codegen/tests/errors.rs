//! Bad schema input is refused with a message naming the file and the JSON path.

use serde_json::{Value, json};
use tencent_cloud_codegen::ir;
use tencent_cloud_codegen::schema::{self, LoadedSchema};

const FILE: &str = "schema/bad/2020-01-01.json";

fn valid() -> Value {
    json!({
        "service": "bad",
        "version": "2020-01-01",
        "host": "bad.intl.tencentcloudapi.com",
        "errors": [{"code": "FailedOperation"}],
        "actions": [{
            "name": "ReleasePublicIp",
            "request": {"members": [
                {"name": "NetworkInstanceId", "type": "string", "required": true},
                {"name": "Type", "type": "IpType"},
                {"name": "IpList", "type": "list<string>"}
            ]},
            "response": {"members": [{"name": "Ip", "type": "IpInfo"}]},
            "errors": [{"code": "InternalError"}]
        }],
        "types": [{"name": "IpInfo", "members": [{"name": "Ip", "type": "string"}]}],
        "enums": [{"name": "IpType", "values": [{"value": "ipv4"}, {"value": "ipv6"}]}]
    })
}

/// Loads and checks `json` as `file`; the error message, or "ok".
fn outcome(file: &str, json: &str) -> String {
    let result = schema::parse(file, json).and_then(|schema| {
        ir::build(&LoadedSchema {
            file: file.to_owned(),
            schema,
        })
    });
    match result {
        Ok(_) => "ok".to_owned(),
        Err(err) => err.to_string(),
    }
}

/// Applies `edit` to the valid schema and checks the message starts with `expected`.
fn refused(edit: impl FnOnce(&mut Value), expected: &str) {
    let mut value = valid();
    edit(&mut value);
    let message = outcome(FILE, &value.to_string());
    assert!(
        message.starts_with(&format!("{FILE}: {expected}")),
        "expected {expected:?}, got {message:?}"
    );
}

#[test]
fn the_valid_base_is_accepted() {
    assert_eq!(outcome(FILE, &valid().to_string()), "ok");
}

#[test]
fn shape_errors_name_the_json_path() {
    refused(
        |v| {
            v["actions"][0]["request"]["members"][2]
                .as_object_mut()
                .unwrap()
                .remove("type");
        },
        "actions[0].request.members[2]: missing field `type`",
    );
    refused(
        |v| v["actions"][0]["rate_limit"] = json!("fast"),
        "actions[0].rate_limit: invalid type: string \"fast\"",
    );
    refused(
        |v| v["actions"][0]["request"]["members"][0]["Required"] = json!(true),
        "actions[0].request.members[0].Required: unknown field `Required`",
    );
    let not_json = outcome(FILE, "{");
    assert!(
        not_json.starts_with(&format!("{FILE}: ?: EOF while parsing")),
        "{not_json}"
    );
}

#[test]
fn unknown_and_malformed_types_are_refused() {
    refused(
        |v| v["actions"][0]["request"]["members"][1]["type"] = json!("list<IpKind>"),
        "actions[0].request.members[1].type: unknown type \"IpKind\"",
    );
    refused(
        |v| v["actions"][0]["request"]["members"][2]["type"] = json!("list<string"),
        "actions[0].request.members[2].type: invalid type \"list<string\"",
    );
    refused(
        |v| v["types"][0]["members"][0]["type"] = json!("int"),
        "types[0].members[0].type: unknown type \"int\"",
    );
}

#[test]
fn duplicates_are_refused() {
    refused(
        |v| {
            let action = v["actions"][0].clone();
            v["actions"].as_array_mut().unwrap().push(action);
        },
        "actions[1].name: duplicate action \"ReleasePublicIp\"",
    );
    refused(
        |v| v["actions"][0]["request"]["members"][2]["name"] = json!("Type"),
        "actions[0].request.members[2].name: duplicate member \"Type\"",
    );
    refused(
        |v| v["enums"][0]["name"] = json!("IpInfo"),
        "enums[0].name: duplicate type name \"IpInfo\"",
    );
    refused(
        |v| v["enums"][0]["values"][1]["value"] = json!("ipv4"),
        "enums[0].values[1].value: duplicate enum value \"ipv4\"",
    );
    refused(
        |v| {
            let errors = v["actions"][0]["errors"].as_array_mut().unwrap();
            errors.push(json!({"code": "InternalError"}));
        },
        "actions[0].errors[1].code: duplicate error code \"InternalError\"",
    );
}

#[test]
fn invalid_names_are_refused() {
    refused(
        |v| v["actions"][0]["request"]["members"][2]["name"] = json!("Ip-List"),
        "actions[0].request.members[2].name: invalid member name \"Ip-List\"",
    );
    refused(
        |v| v["actions"][0]["name"] = json!("releasePublicIp"),
        "actions[0].name: invalid action name \"releasePublicIp\"",
    );
    refused(
        |v| v["types"][0]["name"] = json!("list"),
        "types[0].name: invalid type name \"list\"",
    );
    refused(
        |v| v["version"] = json!("2020-1-1"),
        "version: invalid version \"2020-1-1\"",
    );
    refused(
        |v| v["actions"][0]["response"]["members"][0]["name"] = json!("RequestId"),
        "actions[0].response.members[0].name: \"RequestId\" is part of every response",
    );
}

#[test]
fn service_and_version_must_match_the_path() {
    let json = valid().to_string();
    assert!(
        outcome("schema/other/2020-01-01.json", &json).starts_with(
            "schema/other/2020-01-01.json: service: service \"bad\" does not match its directory \"other\""
        )
    );
    assert!(outcome("schema/bad/2021-01-01.json", &json).starts_with(
        "schema/bad/2021-01-01.json: version: version \"2020-01-01\" does not match the file name"
    ));
}
