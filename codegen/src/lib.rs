//! Schema validation, IR and Rust emitter for the Tencent Cloud SDK.
//!
//! The pipeline is `schema` (JSON files → serde model, with file/JSON-path errors; the
//! `tencent-cloud-schema` crate, which the emulator reads without this one) →
//! `ir` (checked: references resolved, Rust names decided, cycles boxed) → `emit`
//! (quote tokens → prettyplease → file contents). `xtask` is a thin front end that
//! writes the files; the generator itself only reads, in `schema::load_dir`.

pub mod emit;
pub mod import;
pub mod ir;

/// The schema model and loader live in their own crate (the emulator reads them too); the
/// re-export keeps `crate::schema::...` and `tencent_cloud_codegen::schema::...` paths.
pub use tencent_cloud_schema as schema;

pub use schema::SchemaError;

use std::path::Path;

/// Loads and checks every schema under `schema_dir` (`<service>/<version>.json`),
/// sorted by service and version; `emit::generate` turns the result into files.
pub fn build_dir(schema_dir: &Path) -> Result<Vec<ir::Service>, SchemaError> {
    schema::load_dir(schema_dir)?
        .iter()
        .map(ir::build)
        .collect()
}
