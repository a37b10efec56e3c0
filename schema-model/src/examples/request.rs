//! Comparing a documented request with what the generated `<Action>Request` can send
//! (`codegen/src/emit/action.rs`): every member an `Option`, serialised as declared and
//! left out when unset, so the request can carry only the members the schema generates,
//! each with its JSON type (strings and the time kinds as strings, `int64`/`uint64` as
//! integers in range, `float` as any number, enums as strings, object types as objects
//! with every member optional), never `null`; `send()` refuses a required top-level
//! member that is unset. Nothing is lenient on the request side.

use std::collections::BTreeSet;

use super::json::{self, Json};
use super::types::{Scalar, Ty};
use super::{Issue, Kind, describe};
use crate::model::{Action, Member, ServiceSchema};

/// Parameters of the GET-style (query string) examples that every request carries.
const COMMON_PARAMETERS: &[&str] = &[
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
];

/// The findings of one documented request (an HTTP message whose body follows the
/// first blank line, or a GET URL with a query string).
pub fn check_request(schema: &ServiceSchema, action: &Action, text: &str) -> Vec<Issue> {
    let mut checker = Checker {
        schema,
        issues: Vec::new(),
    };
    let members = &action.request.members;
    match text.split_once("\n\n") {
        None if text.contains('?') => checker.query_string(members, text),
        None => checker.push(Kind::RequestNotJson, "request", "no body"),
        Some((_, body)) => match json::parse(body) {
            Ok(body @ Json::Object(_)) => {
                let present = checker.members(members, &body, "request");
                for member in members.iter().filter(|m| m.required && !m.disabled) {
                    if !present.contains(member.name.as_str()) {
                        let path = format!("request.{}", member.name);
                        checker.push(Kind::RequestMissingRequired, &path, "required");
                    }
                }
            }
            Ok(other) => {
                let detail = format!("{} instead of an object", other.kind());
                checker.push(Kind::RequestNotJson, "request", detail);
            }
            Err(error) => checker.push(Kind::RequestNotJson, "request", error.to_string()),
        },
    }
    checker.issues
}

struct Checker<'a> {
    schema: &'a ServiceSchema,
    issues: Vec<Issue>,
}

impl Checker<'_> {
    fn push(&mut self, kind: Kind, path: &str, detail: impl Into<String>) {
        self.issues.push(Issue::new(kind, path, detail));
    }

    /// The members of an object against `members`; returns the names given a value
    /// other than `null`.
    fn members<'j>(
        &mut self,
        members: &[Member],
        object: &'j Json,
        path: &str,
    ) -> BTreeSet<&'j str> {
        let mut seen = BTreeSet::new();
        let mut present = BTreeSet::new();
        let Json::Object(entries) = object else {
            return present;
        };
        for (name, value) in entries {
            let member_path = format!("{path}.{name}");
            let Some(member) = members.iter().find(|m| m.name == *name) else {
                self.push(
                    Kind::RequestUnknownMember,
                    &member_path,
                    "not a member of the request type",
                );
                continue;
            };
            if member.disabled {
                self.push(
                    Kind::RequestDisabledMember,
                    &member_path,
                    "disabled: not generated",
                );
            } else if !seen.insert(name.as_str()) {
                self.push(Kind::RequestDuplicateMember, &member_path, "given twice");
            } else if *value == Json::Null {
                self.push(
                    Kind::RequestNull,
                    &member_path,
                    "null: an unset member is left out",
                );
            } else {
                present.insert(name.as_str());
                self.value(&member.type_, value, &member_path);
            }
        }
        present
    }

    fn value(&mut self, ty: &str, value: &Json, path: &str) {
        let matches = match Ty::resolve(self.schema, ty) {
            None => false,
            Some(Ty::Scalar(scalar)) => {
                matches!(
                    (scalar, value),
                    (Scalar::String | Scalar::Time, Json::Str(_))
                        | (Scalar::Int64, Json::Signed(_))
                        | (Scalar::Uint64, Json::Unsigned(_))
                        | (
                            Scalar::Float,
                            Json::Signed(_) | Json::Unsigned(_) | Json::Float(_)
                        )
                        | (Scalar::Bool, Json::Bool(_))
                ) || matches!((scalar, value), (Scalar::Int64, Json::Unsigned(n)) if i64::try_from(*n).is_ok())
            }
            Some(Ty::List(inner)) => match value {
                Json::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        self.value(inner, item, &format!("{path}[{index}]"));
                    }
                    true
                }
                _ => false,
            },
            Some(Ty::Object(object)) => {
                self.members(&object.members, value, path);
                matches!(value, Json::Object(_))
            }
            Some(Ty::Enum(enumeration)) => match value {
                Json::Str(text) => {
                    if !enumeration.values.iter().any(|v| v.value == *text) {
                        let detail =
                            format!("{text:?} is not a value of enum {}", enumeration.name);
                        self.push(Kind::RequestUnknownEnumValue, path, detail);
                    }
                    true
                }
                _ => false,
            },
        };
        if matches {
            return;
        }
        let detail = format!("{} for {ty}", describe(value));
        match Ty::resolve(self.schema, ty) {
            Some(Ty::Scalar(scalar)) if holds(scalar, value) => {
                self.push(Kind::RequestRetypedScalar, path, detail)
            }
            _ => self.push(Kind::RequestWrongType, path, detail),
        }
    }

    /// A GET-style example: `https://host/?Action=X\n&Name=value\n&Filters.0.Name=...`.
    /// Only the member names are checked (the first segment of each parameter); values
    /// in a query string have no JSON type.
    fn query_string(&mut self, members: &[Member], text: &str) {
        self.push(
            Kind::RequestQueryString,
            "request",
            "a GET-style URL: names checked, not values",
        );
        let query = text.split_once('?').map_or("", |(_, query)| query);
        let mut reported = BTreeSet::new();
        for parameter in query.split('&').map(str::trim) {
            let name = parameter.split('=').next().unwrap_or_default();
            let top = name.split('.').next().unwrap_or_default();
            if top.is_empty()
                || top.starts_with('<')
                || COMMON_PARAMETERS.contains(&top)
                || !reported.insert(top)
            {
                continue;
            }
            let path = format!("request.{top}");
            match members.iter().find(|m| m.name == top) {
                None => self.push(
                    Kind::RequestUnknownMember,
                    &path,
                    "not a member of the request type",
                ),
                Some(member) if member.disabled => self.push(
                    Kind::RequestDisabledMember,
                    &path,
                    "disabled: not generated",
                ),
                Some(_) => {}
            }
        }
    }
}

/// Whether a scalar given in another JSON type than declared holds a value of the
/// declared one, which the generated request then sends in the declared type: `"10"`
/// for `int64`, `10` for `string`, `"true"` for `bool`.
fn holds(scalar: Scalar, value: &Json) -> bool {
    match (scalar, value) {
        (Scalar::Int64, Json::Str(text)) => text.parse::<i64>().is_ok(),
        (Scalar::Uint64, Json::Str(text)) => text.parse::<u64>().is_ok(),
        (Scalar::Float, Json::Str(text)) => text.parse::<f64>().is_ok_and(f64::is_finite),
        (Scalar::Bool, Json::Str(text)) => text == "true" || text == "false",
        (Scalar::String, Json::Signed(_) | Json::Unsigned(_) | Json::Float(_) | Json::Bool(_)) => {
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One action whose request has every kind of member.
    fn schema() -> ServiceSchema {
        crate::parse(
            "schema/demo/2020-01-01.json",
            r#"{"service": "demo", "version": "2020-01-01", "host": "demo.example",
                "actions": [{"name": "Run",
                  "request": {"members": [
                    {"name": "Name", "type": "string", "required": true},
                    {"name": "Limit", "type": "uint64"},
                    {"name": "Ratio", "type": "float"},
                    {"name": "Kind", "type": "Color"},
                    {"name": "Tags", "type": "list<Tag>"},
                    {"name": "Hidden", "type": "bool", "disabled": true}]},
                  "response": {"members": []}}],
                "types": [{"name": "Tag", "members": [{"name": "Key", "type": "string"}]}],
                "enums": [{"name": "Color", "values": [{"value": "red"}]}]}"#,
        )
        .unwrap()
    }

    fn kinds(body: &str) -> Vec<(Kind, String)> {
        let schema = schema();
        let text = format!("POST / HTTP/1.1\nHost: demo.example\n\n{body}");
        (check_request(&schema, &schema.actions[0], &text).into_iter())
            .map(|issue| (issue.kind, issue.path))
            .collect()
    }

    #[test]
    fn a_request_the_generated_type_can_send_has_no_finding() {
        let body =
            r#"{"Name": "a", "Limit": 10, "Ratio": 1, "Kind": "red", "Tags": [{"Key": "k"}]}"#;
        assert_eq!(kinds(body), []);
    }

    #[test]
    fn each_disagreement_is_named_by_kind_and_path() {
        let at = |kind, path: &str| (kind, path.to_owned());
        assert_eq!(
            kinds(r#"{"Nme": "a", "Limit": -1, "Tags": [{"Key": "k", "Value": 1}, "x"]}"#),
            [
                at(Kind::RequestUnknownMember, "request.Nme"),
                at(Kind::RequestWrongType, "request.Limit"),
                at(Kind::RequestUnknownMember, "request.Tags[0].Value"),
                at(Kind::RequestWrongType, "request.Tags[1]"),
                at(Kind::RequestMissingRequired, "request.Name"),
            ]
        );
        assert_eq!(
            kinds(r#"{"Name": 7, "Limit": "10", "Kind": "blue", "Hidden": true, "Ratio": null}"#),
            [
                at(Kind::RequestRetypedScalar, "request.Name"),
                at(Kind::RequestRetypedScalar, "request.Limit"),
                at(Kind::RequestUnknownEnumValue, "request.Kind"),
                at(Kind::RequestDisabledMember, "request.Hidden"),
                at(Kind::RequestNull, "request.Ratio"),
            ]
        );
        assert_eq!(
            kinds(r#"{"Name": "a", "Name": "b", "Limit": "ten"}"#),
            [
                at(Kind::RequestDuplicateMember, "request.Name"),
                at(Kind::RequestWrongType, "request.Limit"),
            ]
        );
    }

    #[test]
    fn query_strings_are_checked_by_name_and_other_bodies_are_not_json() {
        let schema = schema();
        let action = &schema.actions[0];
        let url = "https://demo.example/?Action=Run\n&Name=a\n&Tags.0.Key=k\n&Colour=red\n&<Common request parameters>";
        let found: Vec<Kind> = (check_request(&schema, action, url).into_iter())
            .map(|issue| issue.kind)
            .collect();
        assert_eq!(
            found,
            [Kind::RequestQueryString, Kind::RequestUnknownMember]
        );
        for body in ["[1]", "{\"Name\": \"a\""] {
            let text = format!("POST / HTTP/1.1\n\n{body}");
            let found = check_request(&schema, action, &text);
            assert_eq!(found[0].kind, Kind::RequestNotJson, "{body}");
        }
    }
}
