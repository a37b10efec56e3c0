//! Answers that arrive as server-sent events (`text/event-stream`): what the generated
//! `send_stream()` of a streaming action returns.
//!
//! The call path ([`crate::client`]) signs, sends and retries as for any call, and hands
//! over the answer once its first event has arrived: a failure before that (a connection
//! dropped, an attempt timeout) is retried as the retry policy says; after it, nothing is
//! repeated, since the caller has seen part of the answer. From then on each event is
//! read as the caller asks for it:
//!
//! | the stream carries                                  | [`EventStream`] yields |
//! |-----------------------------------------------------|------------------------|
//! | an event whose data is a JSON object                | [`EventData::Response`]: the data decoded as the action's response, its RequestId the header's unless the data has one |
//! | an event whose data is `{"Error": {"Code", ...}}` or an enveloped `{"Response": {"Error": ...}}` | the action's typed error ([`SdkError::Service`]), then the end |
//! | an event whose data is not a JSON object (`[DONE]`) | [`EventData::Text`], the data as sent |
//! | a JSON object that does not match the response type | [`SdkError::InvalidResponse`] naming the field, then the end |
//! | a line longer than the limit (`max_response_size`)  | [`SdkError::InvalidResponse`], then the end |
//! | a connection dropped, or a clean end inside an event | [`SdkError::Transport`], then the end: never a silent end |
//! | no bytes for the attempt timeout                     | [`SdkError::Transport`] of kind `Timeout`, then the end |
//!
//! When the server answers with the ordinary JSON envelope instead (a chat action asked
//! without `Stream`, say), the stream yields that one response and ends; an error
//! envelope is the call's error, as for `send()`.
//!
//! Dropping the stream drops the HTTP response, which closes its connection: the server
//! sees the client go away, and no half-read connection returns to the pool.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future as _;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{
    ErrorKind, ErrorMeta, InvalidResponse, SdkError, ServiceError, TransportError,
    TransportErrorKind,
};
use crate::response::{self, RawResponse};
use crate::splice::with_string_member;
use crate::sse::{EventParser, RawEvent};

/// One event of a stream.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<O> {
    /// The `event:` field, if the event had one.
    pub event: Option<String>,
    /// The `id:` field, if the event had one.
    pub id: Option<String>,
    /// The `retry:` field, if the event had one.
    pub retry: Option<Duration>,
    pub data: EventData<O>,
}

/// What an event carried.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum EventData<O> {
    /// A JSON object, decoded as the action's response.
    Response(O),
    /// Anything else, as sent.
    Text(String),
}

impl<O> Event<O> {
    /// The decoded response, if the event carried one.
    pub fn response(&self) -> Option<&O> {
        match &self.data {
            EventData::Response(response) => Some(response),
            EventData::Text(_) => None,
        }
    }
}

type Body = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// An answer of server-sent events, open, with its first event (if any) already read.
pub(crate) struct OpenEvents {
    body: Option<Body>,
    parser: EventParser,
    pending: VecDeque<RawEvent>,
    request_id: String,
    status: u16,
}

impl OpenEvents {
    /// Reads `response` until its first event is complete or it ends. Errors here are
    /// the attempt's, so the retry loop may repeat it.
    pub(crate) async fn open(
        response: reqwest::Response,
        request_id: String,
        max_line: usize,
    ) -> Result<Self, StreamError> {
        let mut open = Self {
            status: response.status().as_u16(),
            body: Some(Box::pin(response.bytes_stream())),
            parser: EventParser::new(max_line),
            pending: VecDeque::new(),
            request_id,
        };
        while open.pending.is_empty() && open.body.is_some() {
            std::future::poll_fn(|cx| open.poll_read(cx)).await?;
        }
        Ok(open)
    }

    /// Reads the next chunk into the parser: `Ready(Ok(()))` once one was read or the
    /// body ended cleanly (then `body` is `None`).
    fn poll_read(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
        let Some(body) = self.body.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let result = match body.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => self
                .parser
                .feed(&chunk, &mut self.pending)
                .map_err(|error| StreamError::Invalid(error.to_string())),
            Poll::Ready(Some(Err(error))) => Err(StreamError::Transport(TransportError::new(
                TransportErrorKind::Other,
                Box::new(error),
            ))),
            Poll::Ready(None) => {
                self.body = None;
                self.parser.finish().map_err(|error| {
                    StreamError::Transport(TransportError::stopped_short(format!(
                        "the event stream ended early: {error}"
                    )))
                })
            }
        };
        if result.is_err() {
            // Closes the connection: nothing more will be read from it.
            self.body = None;
        }
        Poll::Ready(result)
    }

    pub(crate) fn request_id(&self) -> &str {
        &self.request_id
    }

    pub(crate) fn status(&self) -> u16 {
        self.status
    }
}

/// Why reading a stream failed, before the action's error type is known.
pub(crate) enum StreamError {
    Transport(TransportError),
    /// The stream broke the event-stream format (e.g. a line over the limit).
    Invalid(String),
}

impl StreamError {
    fn into_sdk<K>(self, status: u16, request_id: &str) -> SdkError<K> {
        match self {
            Self::Transport(error) => SdkError::Transport(error),
            Self::Invalid(problem) => SdkError::InvalidResponse(InvalidResponse::unread(
                status,
                format!("{problem} (RequestId: {request_id})"),
            )),
        }
    }
}

/// The events of one call's answer, read as they arrive; see the module documentation
/// for what each kind of event becomes. Read it with [`EventStream::recv`], or as a
/// [`Stream`](futures_util::Stream).
pub struct EventStream<O, K> {
    source: Source<O>,
    /// The longest wait for the next bytes of the stream.
    idle_timeout: Duration,
    idle: Option<Pin<Box<tokio::time::Sleep>>>,
    trace_id: String,
    ended: bool,
    _error: PhantomData<fn() -> K>,
}

enum Source<O> {
    /// An answer of events (boxed: the parser's buffers are large beside a decoded
    /// response).
    Events(Box<OpenEvents>),
    /// A JSON envelope, already decoded: yielded once.
    Single {
        response: Option<O>,
        request_id: String,
    },
}

// Nothing in the stream is pinned structurally: the body and the timer are boxed, and a
// held response is only ever moved out.
impl<O, K> Unpin for EventStream<O, K> {}

impl<O, K> fmt::Debug for EventStream<O, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("request_id", &self.request_id())
            .field("trace_id", &self.trace_id)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<O: DeserializeOwned, K: ErrorKind> EventStream<O, K> {
    pub(crate) fn events(open: OpenEvents, idle_timeout: Duration, trace_id: &str) -> Self {
        Self::with_source(Source::Events(Box::new(open)), idle_timeout, trace_id)
    }

    pub(crate) fn single(response: O, request_id: String, trace_id: &str) -> Self {
        let source = Source::Single {
            response: Some(response),
            request_id,
        };
        Self::with_source(source, Duration::MAX, trace_id)
    }

    fn with_source(source: Source<O>, idle_timeout: Duration, trace_id: &str) -> Self {
        Self {
            source,
            idle_timeout,
            idle: None,
            trace_id: trace_id.to_owned(),
            ended: false,
            _error: PhantomData,
        }
    }

    /// The next event; `Ok(None)` once the stream has ended cleanly. After an error the
    /// stream is over: the next call returns `Ok(None)`.
    pub async fn recv(&mut self) -> Result<Option<Event<O>>, SdkError<K>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }
}

impl<O, K> EventStream<O, K> {
    /// The RequestId of the answer (the `X-TC-RequestId` header of a stream).
    pub fn request_id(&self) -> &str {
        match &self.source {
            Source::Events(open) => open.request_id(),
            Source::Single { request_id, .. } => request_id,
        }
    }

    /// The `X-TC-TraceId` the call was sent with.
    pub fn trace_id(&self) -> &str {
        &self.trace_id
    }
}

impl<O: DeserializeOwned, K: ErrorKind> Stream for EventStream<O, K> {
    type Item = Result<Event<O>, SdkError<K>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        let item = match &mut this.source {
            Source::Single { response, .. } => response.take().map(|response| {
                Ok(Event {
                    event: None,
                    id: None,
                    retry: None,
                    data: EventData::Response(response),
                })
            }),
            Source::Events(open) => loop {
                if let Some(raw) = open.pending.pop_front() {
                    this.idle = None;
                    break Some(decode(raw, open.status, &open.request_id));
                }
                if open.body.is_none() {
                    break None;
                }
                match open.poll_read(cx) {
                    Poll::Ready(Ok(())) => this.idle = None,
                    Poll::Ready(Err(error)) => {
                        break Some(Err(error.into_sdk(open.status, &open.request_id)));
                    }
                    Poll::Pending => {
                        let limit = this.idle_timeout;
                        let idle = this
                            .idle
                            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                        if idle.as_mut().poll(cx).is_pending() {
                            return Poll::Pending;
                        }
                        open.body = None;
                        break Some(Err(SdkError::Transport(TransportError::timeout(format!(
                            "no data on the event stream for the attempt timeout of {limit:?}"
                        )))));
                    }
                }
            },
        };
        match item {
            Some(Ok(event)) => Poll::Ready(Some(Ok(event))),
            Some(Err(error)) => {
                this.end();
                Poll::Ready(Some(Err(error.with_trace_id(&this.trace_id))))
            }
            None => {
                this.end();
                Poll::Ready(None)
            }
        }
    }
}

impl<O, K> EventStream<O, K> {
    /// Drops the connection, if still open: nothing more is read.
    fn end(&mut self) {
        self.ended = true;
        if let Source::Events(open) = &mut self.source {
            open.body = None;
        }
    }
}

/// The members of an event's JSON data that decide what it is; serde skips the rest.
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "Response")]
    response: Option<serde::de::IgnoredAny>,
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
    #[serde(rename = "Error")]
    error: Option<ErrorBody>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

/// One event, as the module documentation's table says.
fn decode<O: DeserializeOwned, K: ErrorKind>(
    raw: RawEvent,
    status: u16,
    header_request_id: &str,
) -> Result<Event<O>, SdkError<K>> {
    let is_object = raw.data.trim_start().starts_with('{');
    let head = is_object.then(|| serde_json::from_str::<Head>(&raw.data));
    let data = match head {
        // Not JSON, or JSON but not an object of this shape: kept as sent.
        None | Some(Err(_)) => EventData::Text(raw.data),
        Some(Ok(head)) if head.response.is_some() => {
            // A whole envelope in one event: read it as a JSON answer.
            let raw_response = RawResponse {
                status,
                body: raw.data.into_bytes(),
            };
            EventData::Response(response::decode(&raw_response)?)
        }
        Some(Ok(Head {
            error: Some(error),
            request_id,
            ..
        })) => {
            let request_id = request_id.unwrap_or_else(|| header_request_id.to_owned());
            let meta = ErrorMeta::new(error.code, error.message, request_id);
            return Err(SdkError::Service(ServiceError::new(meta)));
        }
        Some(Ok(head)) => {
            let spliced;
            let text = match head.request_id {
                Some(_) => raw.data.as_str(),
                // The response type holds the RequestId; stream events leave it to the
                // header.
                None => {
                    spliced = with_string_member(&raw.data, "RequestId", header_request_id)
                        .unwrap_or_else(|| raw.data.clone());
                    spliced.as_str()
                }
            };
            let output = response::decode_member::<O>(text).map_err(|problem| {
                SdkError::InvalidResponse(InvalidResponse::new(
                    status,
                    format!("an event's data: {problem}"),
                    Some(header_request_id.to_owned()),
                    text.as_bytes(),
                ))
            })?;
            EventData::Response(output)
        }
    };
    Ok(Event {
        event: raw.event,
        id: raw.id,
        retry: raw.retry.map(Duration::from_millis),
        data,
    })
}
