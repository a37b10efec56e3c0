//! The on-disk schema: its serde model and the loader that reports errors with the file
//! and the JSON path.

mod error;
mod load;
pub mod model;

pub use error::SchemaError;
pub use load::{LoadedSchema, load_dir, parse};
pub use model::ServiceSchema;
