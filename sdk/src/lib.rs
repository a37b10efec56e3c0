//! Rust SDK for Tencent Cloud API 3.0.
//!
//! Typed clients are generated from `schema/` into `tencent_cloud::<service>::<version>`,
//! one Cargo feature per service; they all go through the hand-written runtime here:
//!
//! - [`config`]: region, language, endpoint override, timeouts, and the one HTTP client
//!   shared by every service client;
//! - [`credentials`]: [`Credentials`] and the [`ProvideCredentials`] trait (static and
//!   environment providers);
//! - [`signing`]: TC3-HMAC-SHA256 as a pure function;
//! - [`client`]: the non-generic call path generated clients use;
//! - [`error`]: [`SdkError`], the per-action [`ServiceError`] contract and [`CommonError`].
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
pub mod config;
pub mod credentials;
pub mod error;
mod response;
pub mod signing;

// Generated code is formatted by the generator (prettyplease) and checked byte for byte by
// `cargo xtask codegen --check`; rustfmt must not rewrite it.
#[rustfmt::skip]
mod services;
// Empty when no service feature is enabled.
#[allow(unused_imports)]
pub use services::*;

pub use config::{Config, ConfigBuilder, ConfigError, Language};
pub use credentials::{
    Credentials, CredentialsError, EnvironmentProvider, ProvideCredentials, StaticProvider,
};
pub use error::{CommonError, ErrorMeta, SdkError, ServiceError};
