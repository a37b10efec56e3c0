//! Reading schema files. Only syntax and shape are checked here; the rules of the
//! format are checked by `ir::build` in `tencent-cloud-codegen`.

use std::path::{Path, PathBuf};

use crate::SchemaError;
use crate::model::ServiceSchema;

/// One parsed schema file together with the name it is reported under.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedSchema {
    /// How errors and generated headers name the file, e.g. `schema/edgezone/2026-04-01.json`:
    /// the last directory of the loaded tree, the service directory and the file name.
    pub file: String,
    pub schema: ServiceSchema,
}

/// Parses one schema file. `file` is only used in error messages (and later checked
/// against the service and version by `ir::build`).
pub fn parse(file: &str, json: &str) -> Result<ServiceSchema, SchemaError> {
    let deserializer = &mut serde_json::Deserializer::from_str(json);
    let schema: ServiceSchema =
        serde_path_to_error::deserialize(deserializer).map_err(|err| SchemaError::Parse {
            file: file.to_owned(),
            path: err.path().to_string(),
            message: err.into_inner().to_string(),
        })?;
    Ok(schema)
}

/// Loads `dir/<service>/<version>.json` for every service and version, sorted by
/// service then version. Any other file or directory in the tree is an error rather
/// than silently ignored, so that a misplaced schema is noticed.
pub fn load_dir(dir: &Path) -> Result<Vec<LoadedSchema>, SchemaError> {
    let root_name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "schema".to_owned());
    let mut loaded = Vec::new();
    for service_dir in sorted_entries(dir)? {
        if !service_dir.is_dir() {
            if is_ignored(&service_dir) {
                continue;
            }
            return Err(layout(&service_dir, "expected a service directory"));
        }
        let service = file_name(&service_dir);
        for file in sorted_entries(&service_dir)? {
            if file.extension().is_none_or(|ext| ext != "json") || !file.is_file() {
                return Err(layout(&file, "expected <service>/<version>.json"));
            }
            let display = format!("{root_name}/{service}/{}", file_name(&file));
            let json = std::fs::read_to_string(&file).map_err(|source| SchemaError::Io {
                path: file.clone(),
                source,
            })?;
            let schema = parse(&display, &json)?;
            loaded.push(LoadedSchema {
                file: display,
                schema,
            });
        }
    }
    Ok(loaded)
}

/// Documentation files (the format's README) may sit next to the service directories.
fn is_ignored(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "md")
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, SchemaError> {
    let io = |source| SchemaError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut paths = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    paths.sort();
    Ok(paths)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn layout(path: &Path, message: &str) -> SchemaError {
    SchemaError::Layout {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}
