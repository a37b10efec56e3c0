//! Response bodies: whole ones, and the cut-short one of the `truncated_body` fault
//! (streamed answers are `event_stream`'s).

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body as HttpBody, Frame, SizeHint};

pub type Body = BoxBody<Bytes, Box<dyn Error + Send + Sync>>;

/// How long a body that is about to fail waits first, so that hyper flushes what it was
/// given: it closes the connection at the error and drops what it still buffers.
pub const FLUSH_BEFORE_CUT: Duration = Duration::from_millis(50);

pub fn full(bytes: Bytes) -> Body {
    Full::new(bytes).map_err(|never| match never {}).boxed()
}

/// Announces `bytes.len()` as Content-Length, sends the first half, then fails, which makes
/// hyper close the connection: the client sees a body that ends early.
pub fn truncated(bytes: Bytes) -> Body {
    let length = bytes.len() as u64;
    Truncated {
        half: Some(bytes.slice(..bytes.len() / 2)),
        length,
        pause: None,
    }
    .boxed()
}

struct Truncated {
    half: Option<Bytes>,
    length: u64,
    /// Before failing, give hyper a moment to flush the half it has, or it may drop it.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

/// The error a body returns to make hyper close the connection mid-message.
#[derive(Debug)]
pub struct Cut;

impl fmt::Display for Cut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("response body truncated by an injected fault")
    }
}

impl Error for Cut {}

impl HttpBody for Truncated {
    type Data = Bytes;
    type Error = Box<dyn Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Some(half) = this.half.take() {
            return Poll::Ready(Some(Ok(Frame::data(half))));
        }
        let pause = this
            .pause
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(FLUSH_BEFORE_CUT)));
        ready!(pause.as_mut().poll(cx));
        Poll::Ready(Some(Err(Box::new(Cut))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.length)
    }
}
