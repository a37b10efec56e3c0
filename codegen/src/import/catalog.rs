//! The catalog files of one service version, read and parsed, and where to find them
//! in the published packages (`discover`).

use std::path::{Path, PathBuf};

use crate::schema::model::ErrorCode;

use super::ImportError;
use super::action_errors::{ActionErrors, VersionActionErrors};
use super::errorcodes;
use super::protocol_actions::{ProtocolActions, VersionProtocols};
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
    /// `protocol-actions.json`, covering every service.
    pub protocol_actions: Option<PathBuf>,
}

/// The catalog files that cover every service, parsed once for any number of versions.
#[derive(Debug, Clone, Default)]
pub struct CatalogWide {
    pub action_errors: Option<ActionErrors>,
    pub protocol_actions: Option<ProtocolActions>,
}

impl CatalogWide {
    /// Reads the files `files` names; those it does not name stay `None`.
    pub fn load(files: &CatalogFiles) -> Result<Self, ImportError> {
        Ok(Self {
            action_errors: files
                .action_errors
                .as_deref()
                .map(ActionErrors::load)
                .transpose()?,
            protocol_actions: files
                .protocol_actions
                .as_deref()
                .map(ProtocolActions::load)
                .transpose()?,
        })
    }
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
    /// This service version's streaming and raw-body actions; empty when not given.
    pub protocols: VersionProtocols,
}

impl Catalog {
    pub fn load(files: &CatalogFiles) -> Result<Self, ImportError> {
        Self::load_with(files, &CatalogWide::load(files)?)
    }

    /// `load`, with the files covering every service already parsed (a tool importing
    /// many versions reads them once); `files.action_errors` and
    /// `files.protocol_actions` are ignored.
    pub fn load_with(files: &CatalogFiles, wide: &CatalogWide) -> Result<Self, ImportError> {
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
        let metadata = &api.metadata;
        let (service, version) = (&metadata.service_short_name, &metadata.api_version);
        let action_errors = (wide.action_errors.as_ref())
            .and_then(|all| all.for_version(service, version))
            .cloned();
        let protocols = (wide.protocol_actions.as_ref())
            .map(|all| all.for_version(service, version))
            .unwrap_or_default();
        Ok(Catalog {
            api_path: files.api.clone(),
            api,
            examples,
            service_errors,
            action_errors,
            protocols,
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

/// Every service version of a tccli `services/` directory (`<service>/v<YYYYMMDD>/api.json`,
/// with `examples.json` beside it when present), sorted by service then version. With
/// `errorcodes_dir` (the Python SDK's `tencentcloud/` package), each version gets its
/// `<service>/v<YYYYMMDD>/errorcodes.py` when that exists: some services publish none.
/// `action_errors` and `protocol_actions` are left unset: they cover every service (see
/// `Catalog::load_with`).
/// Directories without an `api.json` (`__pycache__`, the service's own Python modules)
/// are not service versions.
pub fn discover(
    services_dir: &Path,
    errorcodes_dir: Option<&Path>,
) -> Result<Vec<CatalogFiles>, ImportError> {
    let mut found = Vec::new();
    for service in sorted_dirs(services_dir)? {
        for version in sorted_dirs(&service)? {
            let api = version.join("api.json");
            if !api.is_file() {
                continue;
            }
            let examples = Some(version.join("examples.json")).filter(|path| path.is_file());
            let errorcodes = errorcodes_dir.and_then(|dir| {
                // Both trees name directories `<service>/v<YYYYMMDD>`.
                let relative = version.strip_prefix(services_dir).ok()?;
                Some(dir.join(relative).join("errorcodes.py")).filter(|path| path.is_file())
            });
            found.push(CatalogFiles {
                api,
                examples,
                errorcodes,
                action_errors: None,
                protocol_actions: None,
            });
        }
    }
    Ok(found)
}

fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let io = |source| ImportError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}
