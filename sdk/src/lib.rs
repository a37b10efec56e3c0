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
//! - [`client`]: the non-generic call path generated clients use, and [`CallOptions`];
//! - [`retry`]: what is retried, backoff, the retry budget;
//! - [`paginator`]: paging through list actions (`into_paginator()` on their builders);
//! - [`de`]: lenient decoding of response fields where the servers drift;
//! - [`error`]: [`SdkError`], the per-action [`ServiceError`] contract and [`CommonError`].
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

pub mod client;
mod clock;
pub mod config;
pub mod credentials;
pub mod de;
pub mod error;
pub mod paginator;
mod rate_limit;
mod response;
pub mod retry;
pub mod signing;

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
    CachedProvider, Credentials, CredentialsError, CvmRoleProvider, DefaultChain,
    EnvironmentProvider, ProfileProvider, ProvideCredentials, StaticProvider,
};
pub use error::{CommonError, ErrorMeta, SdkError, ServiceError};
pub use paginator::Paginator;
pub use retry::RetryConfig;
