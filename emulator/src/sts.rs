//! A minimal sts 2018-08-13 model: the actions that issue temporary credentials hand out the
//! emulator's own temporary credential (`credentials::TEMPORARY`) with a fresh expiry, so a
//! credential provider can fetch, use and refresh credentials against the emulator. The
//! schema's examples cannot serve here: their expiry lies in 2018.

use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};

use crate::accounts::{Account, credentials};
use crate::clock::{iso_datetime, unix_secs};
use crate::envelope::{ApiError, code};

pub const SERVICE: &str = "sts";
pub const VERSION: &str = "2018-08-13";

/// STS's documented bounds for `DurationSeconds`, and its default.
const MIN_DURATION: u64 = 900;
const MAX_DURATION: u64 = 43_200;
const DEFAULT_DURATION: u64 = 1_800;

/// Runs a modelled action; `None` when `action` has no behaviour model. `caller` is `None`
/// for the actions sent with `Authorization: SKIP`. `lifetime`, when set, replaces the
/// requested `DurationSeconds` in the expiry of issued credentials (see
/// `EmulatorBuilder::issued_credential_lifetime`).
pub fn call(
    action: &str,
    caller: Option<&Account>,
    params: &Map<String, Value>,
    now: SystemTime,
    lifetime: Option<Duration>,
) -> Option<Result<Map<String, Value>, ApiError>> {
    match action {
        "AssumeRole"
        | "AssumeRoleWithWebIdentity"
        | "AssumeRoleWithSAML"
        | "GetFederationToken" => Some(issue(params, now, lifetime)),
        "GetCallerIdentity" => caller.map(|account| Ok(identity(account))),
        _ => None,
    }
}

fn issue(
    params: &Map<String, Value>,
    now: SystemTime,
    lifetime: Option<Duration>,
) -> Result<Map<String, Value>, ApiError> {
    let duration = match params.get("DurationSeconds") {
        None => DEFAULT_DURATION,
        Some(value) => value
            .as_u64()
            .filter(|d| (MIN_DURATION..=MAX_DURATION).contains(d))
            .ok_or_else(|| {
                ApiError::new(
                    code::INVALID_PARAMETER_VALUE,
                    format!(
                        "DurationSeconds must be between {MIN_DURATION} and {MAX_DURATION}, not {value}."
                    ),
                )
            })?,
    };
    let expiry = now + lifetime.unwrap_or(Duration::from_secs(duration));
    let issued = credentials::TEMPORARY;
    let members = json!({
        "Credentials": {
            "TmpSecretId": issued.secret_id,
            "TmpSecretKey": issued.secret_key,
            "Token": issued.token,
        },
        "ExpiredTime": unix_secs(expiry),
        "Expiration": iso_datetime(expiry),
    });
    Ok(into_map(members))
}

fn identity(account: &Account) -> Map<String, Value> {
    into_map(json!({
        "Arn": format!("qcs::cam::uin/{0}:uin/{0}", account.app_id),
        "AccountId": account.app_id.to_string(),
        "UserId": account.app_id.to_string(),
        "PrincipalId": account.app_id.to_string(),
        "Type": "RootAccount",
    }))
}

fn into_map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
