//! The per-action error lists of `action-error-codes.json`
//! (`{ "<service>": { "<YYYY-MM-DD>": { "<Action>": ["Code", ...] } } }`).

use std::collections::BTreeMap;
use std::path::Path;

use super::{ImportError, read_json};

/// Every service version's per-action error codes, as in the file.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(transparent)]
pub struct ActionErrors(BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<String>>>>);

/// The per-action error codes of one service version, by action name.
pub type VersionActionErrors = BTreeMap<String, Vec<String>>;

impl ActionErrors {
    pub fn load(path: &Path) -> Result<Self, ImportError> {
        read_json(path)
    }

    /// The lists of one service version; `None` when the file has none for it
    /// (then every action falls back to the service's whole list).
    pub fn for_version(&self, service: &str, version: &str) -> Option<&VersionActionErrors> {
        self.0.get(service)?.get(version)
    }
}
