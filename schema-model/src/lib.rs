//! The on-disk schema (`schema/<service>/<version>.json`): its serde model and the loader
//! that reports errors with the file and the JSON path.
//!
//! A crate of its own, without the generator's `syn`/`quote`/`prettyplease`, because two
//! readers need it: `tencent-cloud-codegen` (re-exported there as `schema`), which checks
//! the rules of the format and emits the SDK, and `tencent-cloud-emulator`, which serves the
//! schema at run time and must not build the generator to do so.

mod error;
pub mod examples;
mod load;
pub mod model;

pub use error::SchemaError;
pub use load::{LoadedSchema, load_dir, parse};
pub use model::ServiceSchema;
