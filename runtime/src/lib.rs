//! The runtime of the `tencent-cloud` SDK for Tencent Cloud API 3.0: the part every
//! generated service crate (`tencent-cloud-<service>`) shares. Applications depend on
//! `tencent-cloud`, which re-exports all of this at its root beside the services it is
//! built with; the runtime is a crate of its own so that a service crate depends on it
//! alone, not on the facade that depends on the services.
//!
//! - [`config`]: region, language, endpoint override, timeouts, retries, rate limiting,
//!   proxy, and what every service client of a config shares (HTTP client, retry budget,
//!   learned clock offset, rate-limit buckets);
//! - [`credentials`]: [`Credentials`], the [`ProvideCredentials`] trait and the providers
//!   (static, environment, profile file, CVM role, caching), with [`sts_credentials`]
//!   and [`DefaultChain`] above them;
//! - [`signing`]: TC3-HMAC-SHA256 as a pure function;
//! - [`CallOptions`]: per-call overrides of retries and timeouts, the call's trace ID
//!   and headers of the caller's own (`.customize(...)` on every builder);
//! - [`CommonClient`]: any action of any service by name, with a JSON body;
//! - [`HttpClient`]: what sends requests, for an application's own client or middleware;
//! - [`Failover`]: opt-in regional failover of reads to another endpoint;
//! - [`retry`]: what is retried, backoff, the retry budget;
//! - [`Paginator`]: paging through list actions (`into_paginator()` on their builders);
//! - [`error`]: [`SdkError`], [`ServiceError`] with the action's error kind, and
//!   [`CommonError`], the codes every action can return.
//!
//! What generated code needs from the runtime (the call path, the declarations of
//! services and actions, lenient decoding, the paging contract) is in a hidden module
//! that is not part of the API.

mod client;
mod clock;
mod common_client;
pub mod config;
pub mod credentials;
mod de;
mod decode;
mod default_chain;
mod enum_value;
pub mod error;
mod event_stream;
mod failover;
mod http;
mod operation;
mod paginator;
mod rate_limit;
mod response;
pub mod retry;
pub mod signing;
mod splice;
mod sse;
pub mod sts_credentials;

/// Not public API: what generated code names from the runtime (ARCHITECTURE.md, "The
/// contract between generated code and the runtime"). It may change in any release.
#[doc(hidden)]
pub mod __rt {
    pub use crate::client::{RawBody, ServiceClient};
    pub use crate::decode::{Decode, Fields, Stop, Value, deserialize, field, object, required};
    pub use crate::enum_value::UnknownValue;
    // Public at the root too; named here so that service crates need no import of
    // their own for it (only a few have streaming actions).
    pub use crate::error::{ErrorKind, Unhandled};
    pub use crate::event_stream::EventStream;
    pub use crate::operation::{ActionInfo, Request, ServiceInfo};
    pub use crate::paginator::{Paginate, Position};
    pub use bytes::Bytes;
}

/// Not public API: the response decode path, for `benches/` to time without a server.
#[doc(hidden)]
pub mod __bench {
    pub use crate::response::{RawResponse, decode};
}

/// Not public API: the event stream parser, for the fuzz targets (`fuzz-targets/`) and
/// the oracle test (`tests/tests/sse_oracle.rs`) to drive without a server.
#[doc(hidden)]
pub mod __fuzz {
    pub use crate::sse::{EventParser, RawEvent, SseError};
}

pub use client::CallOptions;
pub use common_client::{ByNameError, CommonClient, CommonRequest};
pub use config::{Config, ConfigBuilder, ConfigError, Language};
pub use credentials::{
    CachedProvider, Credentials, CredentialsError, CvmRoleProvider, EnvironmentProvider,
    ProfileProvider, ProvideCredentials, StaticProvider,
};
pub use default_chain::DefaultChain;
pub use enum_value::UnknownValue;
pub use error::{CommonError, ErrorMeta, SdkError, ServiceError};
pub use event_stream::{Event, EventData, EventStream};
pub use failover::Failover;
pub use http::{HttpClient, HttpError};
pub use paginator::Paginator;
pub use retry::RetryConfig;
pub use sts_credentials::{AssumeRoleProvider, WebIdentityProvider};
