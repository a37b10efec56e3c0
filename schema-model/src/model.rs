//! The on-disk schema format: one JSON file per service version under `schema/`.
//!
//! These types mirror the JSON one to one (see `schema/README.md`); they carry no
//! checked invariants. `crate::parse` reads them and `ir` in `tencent-cloud-codegen`
//! checks them.
//! Every field the tccli `api.json` catalog carries has a home here so that an
//! importer can be lossless; optional fields are skipped when empty so that files
//! written by tools stay small and diff well.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// One service at one API version, e.g. `schema/edgezone/2026-04-01.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSchema {
    /// Short service name used in the host and the signature scope, e.g. `edgezone`.
    pub service: String,
    /// API version, `YYYY-MM-DD`.
    pub version: String,
    /// Human-readable service name (tccli `serviceNameCN`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Default endpoint host, e.g. `edgezone.intl.tencentcloudapi.com`.
    pub host: String,
    /// Every error code the service documents, with its description.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
    pub actions: Vec<Action>,
    /// Object types shared by requests and responses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<ObjectType>,
    /// Closed sets of string values, referenced from members by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumType>,
    /// What the catalog said at the last `cargo xtask import`; last in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_base: Option<CatalogBase>,
}

/// The names the catalog listed at the last import: the base of the importer's
/// three-way merge. Without it, a code or member a maintainer removed cannot be told
/// apart from one the catalog just added, nor one added by hand from one the catalog
/// dropped. Only names are kept, because only presence is ever compared. Written and
/// read by the importer (`import` in `tencent-cloud-codegen`) alone: codegen, its checks
/// and the emulator ignore it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogBase {
    /// The service-wide error codes.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub errors: BTreeSet<String>,
    /// By action name; only actions imported at least once since bases were recorded.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub actions: BTreeMap<String, ActionBase>,
    /// Member names by object type name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, BTreeSet<String>>,
}

/// One action in a `CatalogBase`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionBase {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub errors: BTreeSet<String>,
    /// Request member names.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub request: BTreeSet<String>,
    /// Response member names (never `RequestId`, as in `Action::response`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub response: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Wire name, `UpperCamelCase`, e.g. `ReleasePublicIp`.
    pub name: String,
    /// Short human title (tccli action `name`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    #[serde(default)]
    pub status: ActionStatus,
    /// Sent with `Authorization: SKIP` instead of a signature (tccli `skip_sign`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub skip_sign: bool,
    /// May answer with a stream of server-sent events (`text/event-stream`) instead of
    /// the JSON envelope; the Content-Type of each answer decides which it is.
    #[serde(default, skip_serializing_if = "is_false")]
    pub server_sent_events: bool,
    /// The request body is raw bytes sent as `application/octet-stream`, and the
    /// request members travel as `X-<SERVICE>-<Member>` headers.
    #[serde(default, skip_serializing_if = "is_false")]
    pub octet_stream: bool,
    /// Documented server-side limit, in requests per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<u32>,
    pub request: Shape,
    /// Response members, without the `RequestId` every response carries.
    pub response: Shape,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// Error codes this action is documented to return.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    #[default]
    Online,
    Deprecated,
}

/// The members of a request or response, with the doc of the structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectType {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// Where the catalog says the type is used (`in`, `out`, `both`); informative only,
    /// the generator derives usage from reachability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Wire name, exactly as sent and received.
    pub name: String,
    /// `string`, `int64`, `uint64`, `float`, `bool`, `datetime`, `datetime_iso`, `date`,
    /// `list<T>`, or the name of an object type or enum in this file.
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// Request members: the caller must set it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The server may send `null` (tccli `value_allowed_null`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// Response members: always present in a successful response.
    #[serde(default, skip_serializing_if = "is_false")]
    pub output_required: bool,
    /// Hidden parameter (tccli `disabled`): kept for fidelity, not generated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Carries a secret (a password, a key, a token): the generated `Debug` prints
    /// `** redacted **` instead of the value. Well-known wire names (see `ir::sensitive`
    /// in `tencent-cloud-codegen`) are sensitive without the flag; this is for the others.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumType {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The string on the wire.
    pub value: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// e.g. `FailedOperation.IpStillBoundToServer`.
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A documented request/response pair, kept as the catalog's raw text: the request is
/// an HTTP message whose body follows the first blank line, the response a JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    pub request: String,
    pub response: String,
}

impl Example {
    /// The JSON body of `request` when it is an object; old examples are a GET URL with
    /// a query string instead, and some bodies are not valid JSON.
    pub fn request_body(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        let (_, body) = self.request.split_once("\n\n")?;
        match serde_json::from_str(body) {
            Ok(serde_json::Value::Object(body)) => Some(body),
            _ => None,
        }
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}
