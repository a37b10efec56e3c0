//! What generated code declares about a service, an action and its request: the data the
//! call path in [`crate::client`] works from.
//!
//! Not part of the user's API: generated code reaches these through `crate::__rt`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ErrorKind;

/// A service version, as declared by generated code.
#[derive(Debug)]
pub struct ServiceInfo {
    /// Service name used in the credential scope, e.g. `edgezone`.
    pub name: &'static str,
    /// API version sent as `X-TC-Version`, e.g. `2026-04-01`.
    pub version: &'static str,
    /// Host used unless the config has an endpoint URL, e.g.
    /// `edgezone.intl.tencentcloudapi.com`.
    pub default_host: &'static str,
}

/// An action, as declared by generated code.
#[derive(Debug)]
pub struct ActionInfo {
    /// Sent as `X-TC-Action`, e.g. `ReleasePublicIp`.
    pub name: &'static str,
    /// Documented requests per second; calls are paced to stay under it unless the config
    /// turns rate limiting off.
    pub rate_limit: Option<u32>,
    /// Sent with `Authorization: SKIP` and without credentials (sts
    /// AssumeRoleWithWebIdentity, AssumeRoleWithSAML).
    pub skip_sign: bool,
    /// A read action (`Describe*`, `Get*`, `List*`, `Query*`): any attempt may be
    /// repeated, so timeouts, `InternalError` and gateway errors (5xx pages) are retried.
    pub read: bool,
}

/// A generated `<Action>Request`: what it answers with, how it fails, and what the runtime
/// must know before sending it.
///
/// Every member of a request is an `Option`, so that a request can be built anywhere
/// (`Default`, setters, deserialised from a file) and sent as it is; whether the required
/// ones are set is checked here, before anything is signed.
pub trait Request: Serialize + Send + Sync + 'static {
    /// The action's `<Action>Response`.
    type Response: DeserializeOwned;
    /// The action's `<Action>Error`: the kinds its error codes map to.
    type Error: ErrorKind;
    /// The action this request is for.
    const ACTION: &'static ActionInfo;

    /// The wire name of the first required member that is not set, if any.
    fn required_unset(&self) -> Option<&'static str>;

    /// Whether the action has a string `ClientToken` member, with which the API
    /// deduplicates: left unset, the SDK sends a fresh UUID in it, the same on every
    /// attempt of the call, so that the write may be repeated after a timeout or a
    /// gateway error and still be applied once (as the official Go SDK does).
    const CLIENT_TOKEN: bool = false;

    /// The `ClientToken` as set, for actions with one (see [`Request::CLIENT_TOKEN`]).
    fn client_token(&self) -> Option<&str> {
        None
    }
}
