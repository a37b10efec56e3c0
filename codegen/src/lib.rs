//! Schema model, validation, IR and Rust emitter for the Tencent Cloud SDK.

pub mod schema {
    pub mod model;
}
