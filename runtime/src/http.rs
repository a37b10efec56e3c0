//! What sends the SDK's HTTP requests: the [`HttpClient`] trait, implemented for the
//! reqwest client the SDK builds by default (config.rs) and for any an application brings.
//!
//! An application that needs its own HTTP stack (pool sizes, HTTP/2 settings, a local
//! address, interceptors through a middleware crate such as reqwest-middleware) passes a
//! `reqwest::Client` or its own [`HttpClient`] to
//! [`ConfigBuilder::http_client`](crate::ConfigBuilder::http_client). The SDK's settings
//! for building the client (proxy, connect timeout, root certificates, pool) then have
//! nothing to apply to, so setting both is refused with
//! [`ConfigError::Conflict`](crate::ConfigError::Conflict) rather than ignored.

use std::error::Error;
use std::fmt;

use futures_util::future::BoxFuture;

use crate::error::TransportErrorKind;

/// Sends one HTTP request. Implemented for `reqwest::Client`; implement it to put
/// middleware between the SDK and the network.
///
/// Whatever implements it must not follow redirects (reqwest:
/// `redirect(reqwest::redirect::Policy::none())`): API 3.0 never redirects, and following
/// one would carry the signed request and the session token to another host. The SDK
/// turns a 3xx it sees into [`SdkError::Redirect`](crate::SdkError::Redirect), but it
/// cannot see one the client already followed.
pub trait HttpClient: fmt::Debug + Send + Sync + 'static {
    fn execute(
        &self,
        request: reqwest::Request,
    ) -> BoxFuture<'_, Result<reqwest::Response, HttpError>>;
}

impl HttpClient for reqwest::Client {
    fn execute(
        &self,
        request: reqwest::Request,
    ) -> BoxFuture<'_, Result<reqwest::Response, HttpError>> {
        let response = reqwest::Client::execute(self, request);
        Box::pin(async move { response.await.map_err(HttpError::from) })
    }
}

/// Why an [`HttpClient`] could not deliver a request or read its answer; its kind decides
/// whether the SDK may send the request again.
#[derive(Debug)]
pub struct HttpError {
    kind: TransportErrorKind,
    source: Box<dyn Error + Send + Sync>,
}

impl HttpError {
    /// No connection was made, so nothing was sent: always safe to retry.
    pub fn connect(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Connect, source)
    }

    /// The request or its answer ran out of time: the server may have acted on it.
    pub fn timeout(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Timeout, source)
    }

    /// Anything else (I/O mid-request, a protocol error): the server may have acted.
    pub fn other(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Other, source)
    }

    fn new(kind: TransportErrorKind, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    pub(crate) fn into_source(self) -> Box<dyn Error + Send + Sync> {
        self.source
    }
}

impl From<reqwest::Error> for HttpError {
    fn from(error: reqwest::Error) -> Self {
        // Connect first: a connect timeout is both, and what matters to the caller (and
        // to retrying) is that nothing was sent.
        if error.is_connect() {
            Self::connect(error)
        } else if error.is_timeout() {
            Self::timeout(error)
        } else {
            Self::other(error)
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl Error for HttpError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}
