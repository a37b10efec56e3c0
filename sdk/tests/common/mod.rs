//! What the runtime tests share: a service error type for `ServiceClient::call` that keeps
//! the error's metadata and nothing else, standing in for a generated per-action enum.

use tencent_cloud::{ErrorMeta, ServiceError};

#[derive(Debug)]
pub struct TestError(pub ErrorMeta);

impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TestError {}

impl ServiceError for TestError {
    fn from_meta(meta: ErrorMeta) -> Self {
        Self(meta)
    }

    fn meta(&self) -> &ErrorMeta {
        &self.0
    }
}
