//! Tencent's response envelopes and error codes.
//!
//! Success: `{"Response": {...members, "RequestId": id}}`; failure:
//! `{"Response": {"Error": {"Code", "Message"}, "RequestId": id}}`. Both are sent with HTTP
//! 200, as the real API does for errors it understands.

use serde_json::{Map, Value, json};

/// An error answered in the envelope: a documented code and a human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Common error codes, spelled once.
pub mod code {
    pub const INVALID_AUTHORIZATION: &str = "AuthFailure.InvalidAuthorization";
    pub const SECRET_ID_NOT_FOUND: &str = "AuthFailure.SecretIdNotFound";
    pub const SIGNATURE_EXPIRE: &str = "AuthFailure.SignatureExpire";
    pub const SIGNATURE_FAILURE: &str = "AuthFailure.SignatureFailure";
    pub const TOKEN_FAILURE: &str = "AuthFailure.TokenFailure";
    pub const INVALID_ACTION: &str = "InvalidAction";
    pub const NO_SUCH_VERSION: &str = "NoSuchVersion";
    pub const MISSING_PARAMETER: &str = "MissingParameter";
    pub const INVALID_PARAMETER: &str = "InvalidParameter";
    pub const INVALID_PARAMETER_VALUE: &str = "InvalidParameterValue";
    pub const UNKNOWN_PARAMETER: &str = "UnknownParameter";
    pub const REQUEST_LIMIT_EXCEEDED: &str = "RequestLimitExceeded";
    pub const REQUEST_SIZE_LIMIT_EXCEEDED: &str = "RequestSizeLimitExceeded";
    pub const UNSUPPORTED_PROTOCOL: &str = "UnsupportedProtocol";
    pub const INTERNAL_ERROR: &str = "InternalError";
}

/// A fresh RequestId in the UUID v4 shape the real API uses.
pub fn new_request_id() -> String {
    let bytes: [u8; 16] = rand::random();
    let hex = hex::encode(bytes);
    // Version 4, RFC 4122 variant, so that clients parsing it as a UUID accept it.
    format!(
        "{}-{}-4{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        ["8", "9", "a", "b"][usize::from(bytes[8] & 3)],
        &hex[17..20],
        &hex[20..32]
    )
}

pub fn error_body(error: &ApiError, request_id: &str) -> Value {
    json!({
        "Response": {
            "Error": { "Code": error.code, "Message": error.message },
            "RequestId": request_id,
        }
    })
}

/// Wraps an action's output members; `RequestId` replaces any the members carried.
pub fn success_body(mut members: Map<String, Value>, request_id: &str) -> Value {
    members.insert("RequestId".to_owned(), Value::String(request_id.to_owned()));
    json!({ "Response": members })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_unique_uuids() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
    }
}
