//! Typed model of the tccli catalog files `api.json` and `examples.json`
//! (`tccli/services/<service>/v<YYYYMMDD>/` in the `tccli-intl-en` wheel).
//!
//! Unknown keys are rejected rather than ignored: the importer promises to be
//! lossless, so a key the catalog starts to carry must fail loudly until someone
//! decides where it belongs in our format. Every key below was seen in the 160
//! service versions of tccli-intl-en 3.1.193.1.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Deserializer};

use super::{ImportError, parse_json, read_json};

/// One `api.json`: the actions of a service version and every object they use.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiJson {
    pub actions: BTreeMap<String, ApiAction>,
    pub objects: BTreeMap<String, ApiObject>,
    pub metadata: ApiMetadata,
    /// Format version of the file (`"1.0"`); absent in 10 of the 160 files.
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiMetadata {
    /// `YYYY-MM-DD`.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// Despite the name, a display name (Chinese in the international catalog too).
    #[serde(rename = "serviceNameCN")]
    pub service_name_cn: String,
    #[serde(rename = "serviceShortName")]
    pub service_short_name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiAction {
    pub document: String,
    /// Name of the request object in `objects`.
    pub input: String,
    /// Short human title.
    pub name: String,
    /// Name of the response object in `objects`.
    pub output: String,
    /// `online` or `deprecated`; absent means online.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub skip_sign: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiObject {
    pub document: String,
    pub members: Vec<ApiMember>,
    /// Always `object` when present (request/response objects carry it).
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    /// `in`, `out` or `both`; only on shared object types.
    #[serde(default)]
    pub usage: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiMember {
    pub name: String,
    /// Kind: `string`, `int`, `float`, `bool`, `list` or `object`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Detail type: `string`, `int64`, `uint64`, `float`, `bool`, `datetime`,
    /// `datetime_iso`, `date`, or an object name; for a list, its element type.
    pub member: String,
    pub document: String,
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub required: bool,
    #[serde(default, deserialize_with = "flag")]
    pub disabled: bool,
    #[serde(default, deserialize_with = "flag")]
    pub value_allowed_null: bool,
    #[serde(default, deserialize_with = "flag")]
    pub output_required: bool,
}

/// One `examples.json`: documented request/response pairs per action.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplesJson {
    pub actions: BTreeMap<String, Vec<ApiExample>>,
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiExample {
    pub title: String,
    pub document: String,
    /// Raw HTTP request text.
    pub input: String,
    /// Raw JSON response text.
    pub output: String,
}

pub fn load_api(path: &Path) -> Result<ApiJson, ImportError> {
    read_json(path)
}

/// Parses the text of an `api.json`; `path` only names it in errors.
pub fn parse_api(path: &Path, text: &str) -> Result<ApiJson, ImportError> {
    parse_json(path, text)
}

pub fn load_examples(path: &Path) -> Result<ExamplesJson, ImportError> {
    read_json(path)
}

/// A boolean flag; four `required` flags in databuddy 2026-07-15 are written `1`.
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Int(i64),
    }
    match Flag::deserialize(deserializer)? {
        Flag::Bool(value) => Ok(value),
        Flag::Int(0) => Ok(false),
        Flag::Int(1) => Ok(true),
        Flag::Int(other) => Err(serde::de::Error::custom(format!(
            "expected a boolean or 0/1, found {other}"
        ))),
    }
}
