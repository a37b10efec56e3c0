use std::path::PathBuf;

/// Why a schema file was refused. Every variant names the file; parse and validation
/// errors also name the JSON path inside it (`actions[3].request.members[1].type`).
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not JSON, or JSON that does not fit the model (missing field, wrong type,
    /// unknown field).
    #[error("{file}: {path}: {message}")]
    Parse {
        file: String,
        path: String,
        message: String,
    },
    /// Well-formed JSON that breaks a rule of the format (unknown type, duplicate
    /// name, ...).
    #[error("{file}: {path}: {message}")]
    Invalid {
        file: String,
        path: String,
        message: String,
    },
    /// The generator produced code that does not parse: a bug in the generator, reported
    /// with the schema file it was generating from.
    #[error("{file}: internal error: {message}")]
    Emit { file: String, message: String },
    /// A file under `schema/` that is not `<service>/<version>.json`.
    #[error("{}: {message}", path.display())]
    Layout { path: PathBuf, message: String },
}

impl SchemaError {
    /// A rule of the format is broken; raised by the checks in `tencent-cloud-codegen`.
    pub fn invalid(file: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        SchemaError::Invalid {
            file: file.to_owned(),
            path: path.into(),
            message: message.into(),
        }
    }
}
