//! Do the documented examples agree with the generated types? Decided from the schema
//! alone, by applying the rules the generated serde code applies (ARCHITECTURE.md,
//! "Lenient decoding" and "The contract between generated code and the runtime"):
//!
//! - a response example is decoded the way `tencent_cloud_runtime`'s envelope decoding
//!   and the action's generated `<Action>Response` would decode it (`response`);
//! - a request example's body is compared with what the generated `<Action>Request`
//!   can serialise (`request`).
//!
//! Every disagreement is a [`Finding`] of a [`Kind`], naming the example and the JSON
//! path; each kind is [`Severity::Refused`] (the generated code cannot take the example
//! as documented), [`Severity::Tolerated`] (it can, by a documented rule) or
//! [`Severity::Unchecked`] (the example cannot be compared). `tests/tests/examples_agree.rs`
//! proves the response verdicts equal the real generated decoders'.

mod json;
mod request;
mod response;
mod types;

use std::fmt;

pub use json::{Json, parse as parse_json};
pub use response::{Verdict, check_response};

use crate::model::{Action, ServiceSchema};

/// What a finding means for the generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The generated code cannot take the example as documented.
    Refused,
    /// It can, by a documented rule (lenient decoding, unknown members ignored, unknown
    /// enum values kept).
    Tolerated,
    /// The example cannot be compared with the types (not JSON, a GET-style URL, a
    /// documented error).
    Unchecked,
}

/// The kinds of disagreement, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The response example is not JSON.
    ResponseNotJson,
    /// No `Response` object with a string `RequestId` (or a malformed `Response.Error`).
    ResponseEnvelope,
    /// A member the generated type requires (`output_required`, not `nullable`) is absent.
    ResponseMissingMember,
    /// `null` where the generated field is not an `Option`.
    ResponseNullNotAllowed,
    /// A JSON type or value the field's decoding refuses.
    ResponseWrongType,
    /// A member the generated type has appears twice in one object.
    ResponseDuplicateMember,
    /// A number member sent as a string of one: decoded leniently.
    ResponseNumberAsString,
    /// A string member sent as a number: decoded leniently, as its text.
    ResponseNumberForString,
    /// An object type sent as a JSON array, which serde decodes member by member.
    ResponseArrayForObject,
    /// A member the schema does not declare (or declares disabled): ignored.
    ResponseUndocumentedMember,
    /// An enum value the schema does not list: kept as the enum's `Unknown`.
    ResponseUnknownEnumValue,
    /// A documented error (`Response.Error`): decodes as the action's error, not its output.
    ResponseError,
    /// A request member the generated request does not have.
    RequestUnknownMember,
    /// A JSON type or value the generated request cannot serialise there.
    RequestWrongType,
    /// A scalar in another JSON type than declared, holding a value of the declared
    /// one (`"10"` for `int64`, `10` for `string`, `"true"` for `bool`): the generated
    /// request sends that value, in the declared type.
    RequestRetypedScalar,
    /// A member twice in one object: the generated request has one field for it.
    RequestDuplicateMember,
    /// A required member the example leaves out: `send()` refuses it before signing.
    RequestMissingRequired,
    /// A member the schema declares `disabled`: not generated.
    RequestDisabledMember,
    /// `null`: the generated request leaves an unset member out instead.
    RequestNull,
    /// An enum value the schema does not list: sent as is through the enum's `Unknown`.
    RequestUnknownEnumValue,
    /// The request is a GET-style URL with a query string: only its member names are
    /// checked.
    RequestQueryString,
    /// The request has a body that is not a JSON object.
    RequestNotJson,
}

impl Kind {
    pub const ALL: [Kind; 22] = [
        Kind::ResponseNotJson,
        Kind::ResponseEnvelope,
        Kind::ResponseMissingMember,
        Kind::ResponseNullNotAllowed,
        Kind::ResponseWrongType,
        Kind::ResponseDuplicateMember,
        Kind::ResponseNumberAsString,
        Kind::ResponseNumberForString,
        Kind::ResponseArrayForObject,
        Kind::ResponseUndocumentedMember,
        Kind::ResponseUnknownEnumValue,
        Kind::ResponseError,
        Kind::RequestUnknownMember,
        Kind::RequestWrongType,
        Kind::RequestRetypedScalar,
        Kind::RequestDuplicateMember,
        Kind::RequestMissingRequired,
        Kind::RequestDisabledMember,
        Kind::RequestNull,
        Kind::RequestUnknownEnumValue,
        Kind::RequestQueryString,
        Kind::RequestNotJson,
    ];

    /// The kind's name in reports and in the list of known-bad examples.
    pub fn name(self) -> &'static str {
        match self {
            Kind::ResponseNotJson => "response-not-json",
            Kind::ResponseEnvelope => "response-envelope",
            Kind::ResponseMissingMember => "response-missing-member",
            Kind::ResponseNullNotAllowed => "response-null-not-allowed",
            Kind::ResponseWrongType => "response-wrong-type",
            Kind::ResponseDuplicateMember => "response-duplicate-member",
            Kind::ResponseNumberAsString => "response-number-as-string",
            Kind::ResponseNumberForString => "response-number-for-string",
            Kind::ResponseArrayForObject => "response-array-for-object",
            Kind::ResponseUndocumentedMember => "response-undocumented-member",
            Kind::ResponseUnknownEnumValue => "response-unknown-enum-value",
            Kind::ResponseError => "response-error",
            Kind::RequestUnknownMember => "request-unknown-member",
            Kind::RequestWrongType => "request-wrong-type",
            Kind::RequestRetypedScalar => "request-retyped-scalar",
            Kind::RequestDuplicateMember => "request-duplicate-member",
            Kind::RequestMissingRequired => "request-missing-required",
            Kind::RequestDisabledMember => "request-disabled-member",
            Kind::RequestNull => "request-null",
            Kind::RequestUnknownEnumValue => "request-unknown-enum-value",
            Kind::RequestQueryString => "request-query-string",
            Kind::RequestNotJson => "request-not-json",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Kind::ResponseNotJson
            | Kind::ResponseEnvelope
            | Kind::ResponseMissingMember
            | Kind::ResponseNullNotAllowed
            | Kind::ResponseWrongType
            | Kind::ResponseDuplicateMember
            | Kind::RequestUnknownMember
            | Kind::RequestWrongType
            | Kind::RequestDuplicateMember
            | Kind::RequestMissingRequired => Severity::Refused,
            Kind::ResponseNumberAsString
            | Kind::ResponseNumberForString
            | Kind::ResponseArrayForObject
            | Kind::ResponseUndocumentedMember
            | Kind::ResponseUnknownEnumValue
            | Kind::RequestRetypedScalar
            | Kind::RequestDisabledMember
            | Kind::RequestNull
            | Kind::RequestUnknownEnumValue => Severity::Tolerated,
            Kind::ResponseError | Kind::RequestQueryString | Kind::RequestNotJson => {
                Severity::Unchecked
            }
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One disagreement inside one example.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub service: String,
    pub version: String,
    pub action: String,
    /// 1-based, in the order of the action's `examples`.
    pub example: usize,
    pub kind: Kind,
    /// Where in the example: `Response.InstanceSet[1].Cpu`, `request.Filters[0].Name`.
    pub path: String,
    /// What was found there, e.g. `string "12a" for int64`.
    pub detail: String,
}

/// `cvm 2017-03-12 DescribeInstances #1 response-wrong-type Response.X: detail`: one line
/// that says where the example is and what is wrong with it.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} #{} {}",
            self.service, self.version, self.action, self.example, self.kind
        )?;
        if !self.path.is_empty() {
            write!(f, " {}", self.path)?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// A finding without the example's coordinates, as the checks produce it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub kind: Kind,
    pub path: String,
    pub detail: String,
}

impl Issue {
    fn new(kind: Kind, path: &str, detail: impl Into<String>) -> Self {
        Issue {
            kind,
            path: path.to_owned(),
            detail: detail.into(),
        }
    }
}

/// Every finding of every example of `action`, request first, in document order.
pub fn check_action(schema: &ServiceSchema, action: &Action) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, example) in action.examples.iter().enumerate() {
        let request = request::check_request(schema, action, &example.request);
        let response = check_response(schema, action, &example.response).issues;
        for issue in request.into_iter().chain(response) {
            findings.push(Finding {
                service: schema.service.clone(),
                version: schema.version.clone(),
                action: action.name.clone(),
                example: index + 1,
                kind: issue.kind,
                path: issue.path,
                detail: issue.detail,
            });
        }
    }
    findings
}

/// Every finding of every example of every action of `schema`.
pub fn check_schema(schema: &ServiceSchema) -> Vec<Finding> {
    (schema.actions.iter())
        .flat_map(|action| check_action(schema, action))
        .collect()
}

/// A short description of a scalar found where another was expected, for the finding.
pub(crate) fn describe(value: &Json) -> String {
    match value {
        Json::Str(text) if text.chars().count() <= 40 => format!("string {text:?}"),
        Json::Bool(value) => format!("bool {value}"),
        Json::Signed(n) => format!("integer {n}"),
        Json::Unsigned(n) => format!("integer {n}"),
        Json::Float(n) => format!("float {n}"),
        other => other.kind().to_owned(),
    }
}
