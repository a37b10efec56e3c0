//! Decoding a documented response the way the SDK does, without the generated code:
//! first the runtime's envelope check (`runtime/src/response.rs`: `Response` must be an
//! object with a string `RequestId`, and a `Response.Error` with a string `Code` makes
//! the answer the action's error), then the action's `<Action>Response` as the emitter
//! derives it (`codegen/src/emit/action.rs` and `types.rs`):
//!
//! - a response member is a plain field when `output_required` and not `nullable`,
//!   otherwise an `Option` (absent or `null` is `None`); members of object types are
//!   all `Option`s; `disabled` members have no field;
//! - strings (the time kinds and enums too) and numbers, alone or in lists, decode
//!   leniently (`runtime/src/de.rs`); bools decode as declared; enums keep unknown
//!   values;
//! - members the type does not have are ignored; one it has, given twice, is refused;
//! - `[]` where an object type is expected is an object without members (what servers
//!   that encode an empty map as an empty list send); any other array is refused.
//!
//! Not modelled, because serde would take them and no example has them: an envelope
//! (`Response`, `Response.Error`) given as an array instead of an object; the checker
//! refuses it as `response-envelope`.

use std::collections::BTreeSet;

use super::json::{self, Json};
use super::types::{Scalar, Ty, generated};
use super::{Issue, Kind, Severity, describe};
use crate::model::{Action, Member, ServiceSchema};

/// What the SDK's decoding of a response makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The action's output.
    Decoded,
    /// The action's error (`SdkError::Service`): the example documents an error.
    ServiceError,
    /// `SdkError::InvalidResponse`.
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCheck {
    pub verdict: Verdict,
    pub issues: Vec<Issue>,
}

/// Decodes `text`, a response of `action`, as the SDK would, and says what it found.
pub fn check_response(schema: &ServiceSchema, action: &Action, text: &str) -> ResponseCheck {
    let mut decoder = Decoder {
        schema,
        issues: Vec::new(),
    };
    let verdict = match json::parse(text) {
        Err(error) => {
            decoder.push(Kind::ResponseNotJson, "", error.to_string());
            Verdict::Refused
        }
        Ok(document) => decoder.envelope(action, &document),
    };
    let refused = (decoder.issues.iter()).any(|issue| issue.kind.severity() == Severity::Refused);
    ResponseCheck {
        verdict: if refused { Verdict::Refused } else { verdict },
        issues: decoder.issues,
    }
}

/// A field of a generated struct, as serde sees it.
struct Field<'a> {
    wire: &'a str,
    slot: Slot<'a>,
    /// An `Option`: absent or `null` is `None`.
    optional: bool,
}

enum Slot<'a> {
    /// A member of the schema, with its type text.
    Member(&'a str),
    /// `request_id: String`: the envelope check has already refused one that is not a
    /// string (the generated decoder would take a number as its text).
    RequestId,
    /// `deprecated_warning: Option<serde_json::Value>`: anything.
    Any,
}

struct Decoder<'a> {
    schema: &'a ServiceSchema,
    issues: Vec<Issue>,
}

impl<'a> Decoder<'a> {
    fn push(&mut self, kind: Kind, path: &str, detail: impl Into<String>) {
        self.issues.push(Issue::new(kind, path, detail));
    }

    /// The runtime's `check` (the shared members), then `finish` (the output).
    fn envelope(&mut self, action: &'a Action, document: &Json) -> Verdict {
        let Json::Object(_) = document else {
            self.push(
                Kind::ResponseEnvelope,
                "",
                format!("{} instead of an object", document.kind()),
            );
            return Verdict::Refused;
        };
        let response = match single(document, "Response") {
            Ok(Some(response @ Json::Object(_))) => response,
            Ok(None | Some(Json::Null)) => {
                self.push(Kind::ResponseEnvelope, "Response", "no `Response` object");
                return Verdict::Refused;
            }
            Ok(Some(other)) => {
                self.push(
                    Kind::ResponseEnvelope,
                    "Response",
                    format!("{} instead of an object", other.kind()),
                );
                return Verdict::Refused;
            }
            Err(()) => {
                self.push(Kind::ResponseEnvelope, "Response", "given twice");
                return Verdict::Refused;
            }
        };
        let Some(request_id) = self.head(response) else {
            return Verdict::Refused;
        };
        if let Some(code) = request_id {
            // A documented error: the runtime returns the action's error kind.
            self.push(Kind::ResponseError, "Response.Error.Code", code);
            return Verdict::ServiceError;
        }
        let fields = response_fields(action);
        self.decode_struct(&fields, response, "Response", "the response");
        Verdict::Decoded
    }

    /// The members every response shares (the runtime's `Head`): `None` when they do
    /// not decode; otherwise the error code, if `Response.Error` holds one.
    fn head(&mut self, response: &Json) -> Option<Option<String>> {
        for name in ["RequestId", "Error", "DeprecatedWarning"] {
            if single(response, name).is_err() {
                self.push(
                    Kind::ResponseEnvelope,
                    &format!("Response.{name}"),
                    "given twice",
                );
                return None;
            }
        }
        let request_id = single(response, "RequestId").ok().flatten();
        let mut ok = self.optional_string(request_id, "Response.RequestId");
        let code = match single(response, "Error").ok().flatten() {
            None | Some(Json::Null) => None,
            Some(error @ Json::Object(_)) => {
                for member in ["Code", "Message"] {
                    let path = format!("Response.Error.{member}");
                    match single(error, member) {
                        Ok(value) => ok &= self.optional_string(value, &path),
                        Err(()) => {
                            self.push(Kind::ResponseEnvelope, &path, "given twice");
                            return None;
                        }
                    }
                }
                match single(error, "Code") {
                    Ok(Some(Json::Str(code))) => Some(code.clone()),
                    _ if !ok => return None,
                    _ => {
                        self.push(Kind::ResponseEnvelope, "Response.Error.Code", "missing");
                        return None;
                    }
                }
            }
            Some(other) => {
                let detail = format!("{} instead of an object", other.kind());
                self.push(Kind::ResponseEnvelope, "Response.Error", detail);
                return None;
            }
        };
        if !ok {
            return None;
        }
        if code.is_none() && !matches!(request_id, Some(Json::Str(_))) {
            self.push(Kind::ResponseEnvelope, "Response.RequestId", "missing");
            return None;
        }
        Some(code)
    }

    /// An `Option<String>` of the envelope: absent, `null` or a string.
    fn optional_string(&mut self, value: Option<&Json>, path: &str) -> bool {
        match value {
            None | Some(Json::Null | Json::Str(_)) => true,
            Some(other) => {
                let detail = format!("{} instead of a string", other.kind());
                self.push(Kind::ResponseEnvelope, path, detail);
                false
            }
        }
    }

    /// A generated `Decode` of a struct with `fields`, from an object (or `[]`).
    fn decode_struct(&mut self, fields: &[Field<'_>], value: &Json, path: &str, what: &str) {
        match value {
            Json::Object(entries) => {
                let mut seen = BTreeSet::new();
                for (name, value) in entries {
                    let member_path = format!("{path}.{name}");
                    match fields.iter().position(|field| field.wire == name) {
                        Some(index) if !seen.insert(index) => {
                            self.push(Kind::ResponseDuplicateMember, &member_path, "given twice");
                        }
                        Some(index) => self.decode_field(&fields[index], value, &member_path),
                        None => self.push(
                            Kind::ResponseUndocumentedMember,
                            &member_path,
                            format!("not a member of {what}"),
                        ),
                    }
                }
                for (index, field) in fields.iter().enumerate() {
                    if !field.optional && !seen.contains(&index) {
                        let member_path = format!("{path}.{}", field.wire);
                        self.push(
                            Kind::ResponseMissingMember,
                            &member_path,
                            format!("required by {what}"),
                        );
                    }
                }
            }
            Json::Array(items) if items.is_empty() => {
                self.push(Kind::ResponseArrayForObject, path, format!("[] for {what}"));
                self.decode_struct(fields, &Json::Object(Vec::new()), path, what);
            }
            Json::Null => self.push(
                Kind::ResponseNullNotAllowed,
                path,
                format!("null for {what}"),
            ),
            other => self.push(
                Kind::ResponseWrongType,
                path,
                format!("{} for {what}", other.kind()),
            ),
        }
    }

    fn decode_field(&mut self, field: &Field<'_>, value: &Json, path: &str) {
        if field.optional && *value == Json::Null {
            return;
        }
        match field.slot {
            Slot::Member(ty) => self.decode_value(ty, value, path),
            Slot::Any => {}
            Slot::RequestId => match value {
                Json::Str(_) => {}
                Json::Null => {
                    self.push(Kind::ResponseNullNotAllowed, path, "null for the RequestId")
                }
                other => self.push(
                    Kind::ResponseWrongType,
                    path,
                    format!("{} for the RequestId", other.kind()),
                ),
            },
        }
    }

    /// A value of type `ty` where `null` is not allowed (a plain field, a list item).
    fn decode_value(&mut self, ty: &str, value: &Json, path: &str) {
        if *value == Json::Null {
            self.push(Kind::ResponseNullNotAllowed, path, format!("null for {ty}"));
            return;
        }
        match Ty::resolve(self.schema, ty) {
            None => self.push(
                Kind::ResponseWrongType,
                path,
                format!("type {ty} is not defined"),
            ),
            Some(Ty::Scalar(scalar)) => self.decode_scalar(scalar, ty, value, path),
            Some(Ty::List(inner)) => match value {
                Json::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        self.decode_value(inner, item, &format!("{path}[{index}]"));
                    }
                }
                other => self.push(
                    Kind::ResponseWrongType,
                    path,
                    format!("{} for {ty}", other.kind()),
                ),
            },
            Some(Ty::Object(object)) => {
                let fields = object_fields(&object.members);
                self.decode_struct(
                    &fields,
                    value,
                    path,
                    &format!("object type {}", object.name),
                );
            }
            Some(Ty::Enum(enumeration)) => match value {
                Json::Str(text) if enumeration.values.iter().any(|v| v.value == *text) => {}
                Json::Str(text) => {
                    let detail = format!("{text:?} is not a value of enum {}", enumeration.name);
                    self.push(Kind::ResponseUnknownEnumValue, path, detail);
                }
                Json::Signed(_) | Json::Unsigned(_) | Json::Float(_) => {
                    let detail = format!("{} for enum {}", describe(value), enumeration.name);
                    self.push(Kind::ResponseNumberForString, path, detail);
                }
                other => self.push(
                    Kind::ResponseWrongType,
                    path,
                    format!("{} for enum {}", other.kind(), enumeration.name),
                ),
            },
        }
    }

    /// `runtime/src/de.rs`: strings (the time kinds too) and numbers leniently, `bool`
    /// strictly.
    fn decode_scalar(&mut self, scalar: Scalar, ty: &str, value: &Json, path: &str) {
        let verdict = match (scalar, value) {
            (Scalar::String, Json::Str(_)) => None,
            (Scalar::String, Json::Signed(_) | Json::Unsigned(_) | Json::Float(_)) => {
                Some(Kind::ResponseNumberForString)
            }
            (Scalar::Int64, Json::Signed(_)) => None,
            (Scalar::Int64, Json::Unsigned(n)) if i64::try_from(*n).is_ok() => None,
            (Scalar::Int64, Json::Str(text)) if text.parse::<i64>().is_ok() => {
                Some(Kind::ResponseNumberAsString)
            }
            (Scalar::Uint64, Json::Unsigned(_)) => None,
            (Scalar::Uint64, Json::Str(text)) if text.parse::<u64>().is_ok() => {
                Some(Kind::ResponseNumberAsString)
            }
            (Scalar::Float, Json::Signed(_) | Json::Unsigned(_) | Json::Float(_)) => None,
            (Scalar::Float, Json::Str(text)) if text.parse::<f64>().is_ok() => {
                Some(Kind::ResponseNumberAsString)
            }
            (Scalar::Time, Json::Str(_)) => None,
            (Scalar::Time, Json::Signed(_) | Json::Unsigned(_) | Json::Float(_)) => {
                Some(Kind::ResponseNumberForString)
            }
            (Scalar::Bool, Json::Bool(_)) => None,
            _ => Some(Kind::ResponseWrongType),
        };
        if let Some(kind) = verdict {
            self.push(kind, path, format!("{} for {ty}", describe(value)));
        }
    }
}

/// The fields of `<Action>Response`: the generated members, then `RequestId` and
/// `DeprecatedWarning`.
fn response_fields<'a>(action: &'a Action) -> Vec<Field<'a>> {
    let mut fields: Vec<Field<'a>> = generated(&action.response.members)
        .map(|member| {
            let optional = !member.output_required || member.nullable;
            member_field(member, optional)
        })
        .collect();
    fields.push(Field {
        wire: "RequestId",
        slot: Slot::RequestId,
        optional: false,
    });
    fields.push(Field {
        wire: "DeprecatedWarning",
        slot: Slot::Any,
        optional: true,
    });
    fields
}

/// The fields of an object type: every member an `Option`.
fn object_fields<'a>(members: &'a [Member]) -> Vec<Field<'a>> {
    generated(members)
        .map(|member| member_field(member, true))
        .collect()
}

fn member_field<'a>(member: &'a Member, optional: bool) -> Field<'a> {
    Field {
        wire: &member.name,
        slot: Slot::Member(&member.type_),
        optional,
    }
}

/// The one value of `key` in an object: `Err` when it is given twice.
fn single<'j>(object: &'j Json, key: &'j str) -> Result<Option<&'j Json>, ()> {
    let mut values = object.entries(key);
    let first = values.next();
    match values.next() {
        Some(_) => Err(()),
        None => Ok(first),
    }
}
