//! Importing Tencent Cloud's published API catalog into our schema format.
//!
//! Inputs, for one service version: tccli's `api.json` and `examples.json`, the
//! Python SDK's `errorcodes.py`, and two files covering every service, both read from
//! the Go SDK: `action-error-codes.json` (per-action error lists) and
//! `protocol-actions.json` (the streaming and raw-body actions). Pipeline:
//!
//! ```text
//! Catalog::load ─▶ convert (chosen actions) ─▶ merge into the existing file ─▶ to_json
//!                                                 └─▶ Report (changes + kept hand edits)
//! ```
//!
//! `import` runs the middle of it; `cargo xtask import` is the command-line front end.
//! The merge rule is documented in `merge`; its base, what the catalog said at the
//! last import, is recorded in the file (`ServiceSchema::catalog_base`).

// The three input formats, public so that other tools can read the catalog too.
pub mod action_errors;
pub mod errorcodes;
pub mod protocol_actions;
pub mod tccli;

mod catalog;
mod convert;
mod merge;
mod report;

use std::path::{Path, PathBuf};

use crate::schema::model::ServiceSchema;

pub use action_errors::{ActionErrors, VersionActionErrors};
pub use catalog::{Catalog, CatalogFiles, CatalogWide, discover};
pub use convert::{Selection, convert};
pub use merge::merge;
pub use protocol_actions::{ProtocolActions, VersionProtocols};
pub use report::{Change, Kept, Place, Report, Target, diff};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: at `{json_path}`: {source}", path.display())]
    Json {
        path: PathBuf,
        json_path: String,
        source: serde_json::Error,
    },
    #[error("{}:{line}: {message}", path.display())]
    ErrorCodes {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// The catalog parsed but does not hold together (a missing object, an unknown kind).
    #[error("{}: at `{json_path}`: {message}", path.display())]
    Catalog {
        path: PathBuf,
        json_path: String,
        message: String,
    },
    #[error("{}: no action `{action}` in the catalog", path.display())]
    UnknownAction { path: PathBuf, action: String },
}

/// Converts the selected actions and merges them into `existing` (the current
/// schema file, if any). Returns the schema to write and what changed.
pub fn import(
    catalog: &Catalog,
    selection: &Selection,
    existing: Option<&ServiceSchema>,
) -> Result<(ServiceSchema, Report), ImportError> {
    let mut imported = convert(catalog, selection)?;
    let removed_by_hand = removed_by_hand(selection, existing);
    imported
        .actions
        .retain(|action| !removed_by_hand.contains(&action.name));
    let file = format!("{} {}", imported.service, imported.version);
    // A new file is a merge into an empty one: every action and type is added, and
    // the file gets its first base.
    let empty = ServiceSchema {
        errors: Vec::new(),
        actions: Vec::new(),
        types: Vec::new(),
        ..imported.clone()
    };
    let existing = existing.unwrap_or(&empty);
    let (mut merged, mut kept) = merge(existing, imported);
    if let (Selection::All, Some(base)) = (selection, merged.catalog_base.as_mut()) {
        // A hand removal is remembered until the catalog drops the action too.
        let actions = &catalog.api.actions;
        base.actions.retain(|name, _| actions.contains_key(name));
    }
    kept.extend(
        removed_by_hand
            .into_iter()
            .filter(|name| catalog.api.actions.contains_key(name))
            .map(|action| Kept::ActionRemovedByHand { action }),
    );
    kept.extend(
        existing
            .actions
            .iter()
            .filter(|action| !catalog.api.actions.contains_key(&action.name))
            .map(|action| Kept::ActionNotInCatalog {
                action: action.name.clone(),
            }),
    );
    let changes = diff(existing, &merged);
    Ok((
        merged,
        Report {
            file,
            changes,
            kept,
        },
    ))
}

/// Actions a maintainer deleted from the file, which an import of every action must not
/// bring back: those the file's base lists (so an import brought them) but the file lacks.
/// Naming one in the selection is asking for it back, so it is not counted.
fn removed_by_hand(selection: &Selection, existing: Option<&ServiceSchema>) -> Vec<String> {
    let (Selection::All, Some(existing)) = (selection, existing) else {
        return Vec::new();
    };
    let Some(base) = &existing.catalog_base else {
        return Vec::new();
    };
    base.actions
        .keys()
        .filter(|name| !existing.actions.iter().any(|action| &action.name == *name))
        .cloned()
        .collect()
}

/// The on-disk text of a schema: 2-space pretty JSON, non-ASCII kept as UTF-8,
/// trailing newline. Serialising our own types cannot fail (no maps with
/// non-string keys, no custom serialisers), hence no `Result`.
pub fn to_json(schema: &ServiceSchema) -> String {
    let mut text = serde_json::to_string_pretty(schema)
        .unwrap_or_else(|error| unreachable!("schema serialisation failed: {error}"));
    text.push('\n');
    text
}

/// Reads a schema file written by `to_json` (or by hand).
pub fn read_schema(path: &Path) -> Result<ServiceSchema, ImportError> {
    read_json(path)
}

/// Reads and parses a JSON file; errors name the file and the JSON path.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_json(path, &text)
}

/// Parses the text of the JSON file `path`; errors name the file and the JSON path.
fn parse_json<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, ImportError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| ImportError::Json {
        path: path.to_owned(),
        json_path: error.path().to_string(),
        source: error.into_inner(),
    })
}
