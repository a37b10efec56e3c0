//! Rust SDK for Tencent Cloud API 3.0.
//!
//! Typed clients are generated from `schema/` into `tencent_cloud::<service>::<version>`,
//! one Cargo feature per service; they all go through the hand-written runtime here:
//!
//! - [`config`]: region, language, endpoint override, timeouts, retries, rate limiting,
//!   proxy, and what every service client of a config shares (HTTP client, retry budget,
//!   learned clock offset, rate-limit buckets);
//! - [`credentials`]: [`Credentials`], the [`ProvideCredentials`] trait and the providers
//!   (static, environment, profile file, CVM role, the default chain, caching);
//! - [`signing`]: TC3-HMAC-SHA256 as a pure function;
//! - [`CallOptions`]: per-call overrides of retries and timeouts (`.customize(...)` on
//!   every builder);
//! - [`retry`]: what is retried, backoff, the retry budget;
//! - [`Paginator`]: paging through list actions (`into_paginator()` on their builders);
//! - [`error`]: [`SdkError`], [`ServiceError`] with the action's error kind, and
//!   [`CommonError`], the codes every action can return.
//!
//! What generated code needs from the runtime (the call path, the declarations of
//! services and actions, lenient decoding, the paging contract) is in a hidden module
//! that is not part of the API.
//!
//! Safe by default: retries (3 attempts, jittered backoff, a retry budget), clock-skew
//! correction, client-side pacing of rate-limited actions, connect and per-attempt
//! timeouts. Every call is a `tracing` span (`tencent_cloud.call`) that never records
//! secrets or bodies.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // Region, endpoint and credentials from TENCENTCLOUD_* environment variables.
//! let config = tencent_cloud::Config::from_env().region("ap-singapore").build()?;
//! # let _ = config;
//! # Ok(())
//! # }
//! ```

mod client;
mod clock;
pub mod config;
pub mod credentials;
mod de;
mod default_chain;
mod enum_value;
pub mod error;
mod operation;
mod paginator;
mod rate_limit;
mod response;
pub mod retry;
pub mod signing;
#[cfg(feature = "sts")]
pub mod sts_credentials;

/// Not public API: what generated code names from the runtime (ARCHITECTURE.md, "The
/// contract between generated code and the runtime"). It may change in any release.
#[doc(hidden)]
pub mod __rt {
    pub use crate::client::ServiceClient;
    pub use crate::de::lenient;
    pub use crate::enum_value::UnknownValue;
    pub use crate::error::{ErrorKind, Unhandled};
    pub use crate::operation::{ActionInfo, Request, ServiceInfo};
    pub use crate::paginator::{Paginate, Position};
}

/// Not public API: the response decode path, for `benches/` to time without a server.
#[doc(hidden)]
pub mod __bench {
    pub use crate::response::{RawResponse, decode};
}

// Generated code is formatted by the generator (prettyplease) and checked byte for byte by
// `cargo xtask codegen --check`; rustfmt must not rewrite it.
#[rustfmt::skip]
mod services;
// Empty when no service feature is enabled.
#[allow(unused_imports)]
pub use services::*;

pub use client::CallOptions;
pub use config::{Config, ConfigBuilder, ConfigError, Language};
pub use credentials::{
    CachedProvider, Credentials, CredentialsError, CvmRoleProvider, EnvironmentProvider,
    ProfileProvider, ProvideCredentials, StaticProvider,
};
pub use default_chain::DefaultChain;
pub use enum_value::UnknownValue;
pub use error::{CommonError, ErrorMeta, SdkError, ServiceError};
pub use paginator::Paginator;
pub use retry::RetryConfig;
#[cfg(feature = "sts")]
pub use sts_credentials::{AssumeRoleProvider, WebIdentityProvider};
