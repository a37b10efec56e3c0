//! What the runtime tests share: an error kind for `ServiceClient::call_with` that knows
//! no code, standing in for a generated per-action enum (code, message and RequestId are
//! the runtime's `ServiceError`'s).

use tencent_cloud::__rt::ErrorKind;

#[derive(Debug)]
pub struct TestError;

impl ErrorKind for TestError {
    fn from_code(_: &str) -> Self {
        Self
    }
}
