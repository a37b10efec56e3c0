//! The catalog files of one service version, read and parsed.

use std::path::PathBuf;

use crate::schema::model::ErrorCode;

use super::ImportError;
use super::action_errors::{ActionErrors, VersionActionErrors};
use super::errorcodes;
use super::tccli::{self, ApiJson, ExamplesJson};

/// Where to read a service version's catalog from. Only `api` is required.
#[derive(Debug, Clone, Default)]
pub struct CatalogFiles {
    /// tccli `api.json`.
    pub api: PathBuf,
    /// tccli `examples.json`.
    pub examples: Option<PathBuf>,
    /// The Python SDK's `errorcodes.py`.
    pub errorcodes: Option<PathBuf>,
    /// `action-error-codes.json`, covering every service.
    pub action_errors: Option<PathBuf>,
}

/// Everything the importer reads for one service version.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Where `api` was read from; named in conversion errors.
    pub api_path: PathBuf,
    pub api: ApiJson,
    pub examples: Option<ExamplesJson>,
    /// The service's codes from `errorcodes.py`, in file order; empty when not given.
    pub service_errors: Vec<ErrorCode>,
    /// This service version's per-action lists; `None` when not given or not listed.
    pub action_errors: Option<VersionActionErrors>,
}

impl Catalog {
    pub fn load(files: &CatalogFiles) -> Result<Self, ImportError> {
        let api = tccli::load_api(&files.api)?;
        let examples = files
            .examples
            .as_deref()
            .map(tccli::load_examples)
            .transpose()?;
        let service_errors = match &files.errorcodes {
            Some(path) => errorcodes::load(path)?,
            None => Vec::new(),
        };
        let action_errors = match &files.action_errors {
            Some(path) => {
                let metadata = &api.metadata;
                ActionErrors::load(path)?
                    .for_version(&metadata.service_short_name, &metadata.api_version)
                    .cloned()
            }
            None => None,
        };
        Ok(Catalog {
            api_path: files.api.clone(),
            api,
            examples,
            service_errors,
            action_errors,
        })
    }

    pub(super) fn error(&self, json_path: String, message: String) -> ImportError {
        ImportError::Catalog {
            path: self.api_path.clone(),
            json_path,
            message,
        }
    }
}
