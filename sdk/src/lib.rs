//! Rust SDK for Tencent Cloud API 3.0.
//!
//! Typed clients are generated from `schema/` into one crate per service
//! (`tencent-cloud-<service>`), re-exported here as `tencent_cloud::<service>::<version>`
//! behind the Cargo feature of the same name. They all go through one hand-written
//! runtime (the `tencent-cloud-runtime` crate), re-exported at this crate's root:
//!
//! - [`config`]: region, language, endpoint override, timeouts, retries, rate limiting,
//!   proxy, and what every service client of a config shares (HTTP client, retry budget,
//!   learned clock offset, rate-limit buckets);
//! - [`credentials`]: [`Credentials`], the [`ProvideCredentials`] trait and the providers
//!   (static, environment, profile file, CVM role, caching), with [`sts_credentials`]
//!   and [`DefaultChain`] above them;
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

//!
//! ```toml
//! [dependencies]
//! tencent-cloud = { version = "0.1", features = ["cvm", "vpc"] }
//! ```

pub use tencent_cloud_runtime::*;

// Written by `cargo xtask codegen`: one `pub use tencent_cloud_<service> as <service>`
// per service, each behind its feature.
#[rustfmt::skip]
mod services;
// Empty when no service feature is enabled.
#[allow(unused_imports)]
pub use services::*;
