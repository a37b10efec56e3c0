//! The two STS actions the providers send, declared by hand rather than taken from the
//! generated sts client: the runtime sits below every generated crate (the sts crate
//! included), so it cannot name one. Only the members the providers set and read are
//! here; the wire shapes are those of `schema/sts/2018-08-13.json`, and the sts crate's
//! own types stay the full, public API of the service.

use serde::{Deserialize, Serialize};

use crate::de::lenient;
use crate::error::ErrorKind;
use crate::operation::{ActionInfo, Request, ServiceInfo};

pub(super) static STS: ServiceInfo = ServiceInfo {
    name: "sts",
    version: "2018-08-13",
    default_host: "sts.intl.tencentcloudapi.com",
};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AssumeRole {
    pub role_arn: String,
    pub role_session_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

impl Request for AssumeRole {
    type Response = Issued;
    type Error = StsError;
    const ACTION: &'static ActionInfo = &ActionInfo {
        name: "AssumeRole",
        rate_limit: None,
        skip_sign: false,
        read: false,
    };

    fn required_unset(&self) -> Option<&'static str> {
        None
    }
}

/// Sent unsigned (`Authorization: SKIP`, as the schema marks it): the token is the proof.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AssumeRoleWithWebIdentity {
    pub provider_id: String,
    pub web_identity_token: String,
    pub role_arn: String,
    pub role_session_name: String,
}

impl Request for AssumeRoleWithWebIdentity {
    type Response = Issued;
    type Error = StsError;
    const ACTION: &'static ActionInfo = &ActionInfo {
        name: "AssumeRoleWithWebIdentity",
        rate_limit: None,
        skip_sign: true,
        read: false,
    };

    fn required_unset(&self) -> Option<&'static str> {
        None
    }
}

/// What both actions answer (their other members are not needed here).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Issued {
    /// Unix seconds.
    #[serde(deserialize_with = "lenient")]
    pub expired_time: i64,
    #[serde(default)]
    pub credentials: IssuedCredentials,
}

/// Every member optional, as in the generated type, so a missing one is reported by
/// name rather than as an undecodable answer.
#[derive(Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct IssuedCredentials {
    #[serde(default, deserialize_with = "lenient")]
    pub token: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub tmp_secret_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub tmp_secret_key: Option<String>,
}

/// The providers report an STS error by its code and message (which the runtime's
/// `ServiceError` keeps); they never match on a kind.
#[derive(Debug)]
pub(super) struct StsError;

impl ErrorKind for StsError {
    fn from_code(_code: &str) -> Self {
        Self
    }
}
