//! The body of a streamed answer: its events, one chunk each, shaped by the stream faults,
//! with its progress kept in the request log.
//!
//! Each event is flushed before the next is produced (the body answers "not yet" once in
//! between, or waits out a `stream_delay`), so that a client sees events as they come rather
//! than in hyper's buffer. The record of the answer counts the events handed to the
//! connection and ends `finished`, `cut` (a `stream_drop`) or `client_gone`. The last is
//! seen when hyper drops the body before its end: it does so as soon as it finds the
//! connection closed, which it watches for while it writes (a server hyper does not allow
//! half-closed connections), so a client that drops a stream shows in the log promptly,
//! even in the middle of a delay.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body as HttpBody, Frame};
use tokio::time::Sleep;

use crate::body::{Body, Cut, FLUSH_BEFORE_CUT};
use crate::faults::FaultKind;
use crate::request_log::{StreamRecord, StreamState};
use crate::sse::{error_event, long_line_event};
use crate::state::Shared;

/// What one streamed answer sends: its documented events and the faults that shape it.
#[derive(Debug)]
pub struct Plan {
    /// At least one event.
    events: Vec<Bytes>,
    /// How many of `events` to send, cycling through them (more than their number when
    /// `stream_repeat` asks).
    total: u64,
    /// A long line (`line_bytes`) after this many events.
    long_line: Option<(u64, usize)>,
    /// How the stream ends, after this many events; a clean end when absent.
    ending: Option<(u64, Ending)>,
    /// Between two events.
    gap: Option<Duration>,
}

#[derive(Debug)]
enum Ending {
    /// The connection closes mid-message.
    Cut,
    /// This error event, then a clean end.
    Error(Bytes),
}

impl Plan {
    /// `events` are the documented ones (at least one); `faults` the stream faults taken
    /// for this answer; `truncated` whether a `truncated_body` fault took it, which cuts it
    /// after half its events unless a stream fault says how it ends.
    pub fn new(
        events: Vec<Bytes>,
        faults: &[FaultKind],
        request_id: &str,
        truncated: bool,
    ) -> Plan {
        let count = events.len() as u64;
        let mut plan = Plan {
            events,
            total: count,
            long_line: None,
            ending: truncated.then_some((count / 2, Ending::Cut)),
            gap: None,
        };
        for fault in faults {
            match fault {
                FaultKind::StreamDrop { after_events } => {
                    plan.ending = Some((*after_events, Ending::Cut));
                }
                FaultKind::StreamError {
                    after_events,
                    code,
                    message,
                } => {
                    let event = error_event(request_id, code, message);
                    plan.ending = Some((*after_events, Ending::Error(event)));
                }
                FaultKind::StreamLongLine {
                    after_events,
                    line_bytes,
                } => plan.long_line = Some((*after_events, *line_bytes)),
                FaultKind::StreamDelay { delay_ms } => {
                    plan.gap = Some(Duration::from_millis(*delay_ms));
                }
                // Whole runs of the documented events.
                FaultKind::StreamRepeat { min_events } if count > 0 => {
                    plan.total = min_events.div_ceil(count).max(1).saturating_mul(count);
                }
                _ => {}
            }
        }
        plan
    }
}

/// What the body does next.
enum Step {
    Event(Bytes),
    Cut,
    End,
}

/// What the body waits for before its next step.
enum Pause {
    None,
    /// Answer "not yet" once, so that hyper flushes the event it was just given.
    Flush,
    Sleep(Pin<Box<Sleep>>),
}

/// Where a stream is in its plan.
struct Steps {
    plan: Plan,
    /// Documented events sent (counting repeats).
    sent: u64,
    long_line_sent: bool,
    error_sent: bool,
}

pub struct EventStream {
    steps: Steps,
    /// Every event handed to the connection, injected ones included.
    written: u64,
    /// Whether the cut's flush pause has been waited out.
    ready_to_cut: bool,
    pause: Pause,
    state: StreamState,
    shared: Arc<Shared>,
    request_id: String,
}

impl Steps {
    fn new(plan: Plan) -> Steps {
        Steps {
            plan,
            sent: 0,
            long_line_sent: false,
            error_sent: false,
        }
    }

    fn next_step(&mut self) -> Step {
        let plan = &self.plan;
        // A fault due after more events than the stream has applies after the last.
        let due = |after: u64| self.sent >= after.min(plan.total);
        if let Some((after, line_bytes)) = plan.long_line
            && !self.long_line_sent
            && due(after)
        {
            self.long_line_sent = true;
            return Step::Event(long_line_event(line_bytes));
        }
        if let Some((after, ending)) = &plan.ending
            && due(*after)
        {
            return match ending {
                Ending::Cut => Step::Cut,
                Ending::Error(_) if self.error_sent => Step::End,
                Ending::Error(event) => {
                    self.error_sent = true;
                    Step::Event(event.clone())
                }
            };
        }
        if self.sent < plan.total {
            // `total` is a whole number of runs of the events, so this cycles through them.
            let index = usize::try_from(self.sent % plan.events.len() as u64).unwrap_or(0);
            self.sent += 1;
            return plan
                .events
                .get(index)
                .cloned()
                .map_or(Step::End, Step::Event);
        }
        Step::End
    }
}

impl EventStream {
    /// The body of the answer whose record carries `request_id` (already in the log).
    pub fn body(plan: Plan, shared: Arc<Shared>, request_id: String) -> Body {
        EventStream {
            steps: Steps::new(plan),
            written: 0,
            ready_to_cut: false,
            pause: Pause::None,
            state: StreamState::Open,
            shared,
            request_id,
        }
        .boxed()
    }

    /// Writes the progress into the answer's record.
    fn record(&self) {
        let progress = StreamRecord {
            events: self.written,
            state: self.state,
        };
        self.shared
            .log
            .update(&self.request_id, |record| record.stream = Some(progress));
    }

    fn finish(&mut self, state: StreamState) {
        self.state = state;
        self.record();
    }
}

impl HttpBody for EventStream {
    type Data = Bytes;
    type Error = Box<dyn Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        loop {
            match &mut this.pause {
                Pause::None => {}
                Pause::Flush => {
                    this.pause = Pause::None;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                Pause::Sleep(sleep) => {
                    ready!(sleep.as_mut().poll(cx));
                    this.pause = Pause::None;
                }
            }
            if this.state != StreamState::Open {
                return Poll::Ready(None);
            }
            match this.steps.next_step() {
                Step::Event(event) => {
                    this.written += 1;
                    this.record();
                    this.pause = match this.steps.plan.gap {
                        Some(gap) => Pause::Sleep(Box::pin(tokio::time::sleep(gap))),
                        None => Pause::Flush,
                    };
                    return Poll::Ready(Some(Ok(Frame::data(event))));
                }
                Step::End => {
                    this.finish(StreamState::Finished);
                    return Poll::Ready(None);
                }
                Step::Cut if this.ready_to_cut => {
                    this.finish(StreamState::Cut);
                    return Poll::Ready(Some(Err(Box::new(Cut))));
                }
                Step::Cut => {
                    this.ready_to_cut = true;
                    this.pause = Pause::Sleep(Box::pin(tokio::time::sleep(FLUSH_BEFORE_CUT)));
                }
            }
        }
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        // Dropped before its end: the connection closed under it.
        if self.state == StreamState::Open {
            self.finish(StreamState::ClientGone);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(steps: &mut Steps) -> Vec<String> {
        let mut taken = Vec::new();
        loop {
            match steps.next_step() {
                Step::Event(event) => taken.push(String::from_utf8_lossy(&event).into_owned()),
                Step::Cut => {
                    taken.push("<cut>".to_owned());
                    return taken;
                }
                Step::End => return taken,
            }
        }
    }

    fn stream(faults: &[FaultKind], truncated: bool) -> Steps {
        let events = ["a", "b", "c"]
            .map(|data| Bytes::from(format!("data: {data}\n\n")))
            .to_vec();
        Steps::new(Plan::new(events, faults, "r-1", truncated))
    }

    fn short(steps: &[String]) -> Vec<&str> {
        steps
            .iter()
            .map(|step| {
                step.strip_prefix("data: ")
                    .map_or(step.as_str(), |data| &data[..data.len().min(8)])
                    .trim_end()
            })
            .collect()
    }

    #[test]
    fn faults_shape_the_steps() {
        assert_eq!(short(&events(&mut stream(&[], false))), ["a", "b", "c"]);
        assert_eq!(short(&events(&mut stream(&[], true))), ["a", "<cut>"]);
        let drop = FaultKind::StreamDrop { after_events: 2 };
        assert_eq!(
            short(&events(&mut stream(&[drop], false))),
            ["a", "b", "<cut>"]
        );
        let error = FaultKind::StreamError {
            after_events: 9,
            code: "InternalError".to_owned(),
            message: "m".to_owned(),
        };
        let long = FaultKind::StreamLongLine {
            after_events: 1,
            line_bytes: 10,
        };
        let repeat = FaultKind::StreamRepeat { min_events: 4 };
        assert_eq!(
            short(&events(&mut stream(&[error, long, repeat], false))),
            ["a", "xxxx", "b", "c", "a", "b", "c", "{\"Reques"]
        );
        let at_once = FaultKind::StreamDrop { after_events: 0 };
        assert_eq!(short(&events(&mut stream(&[at_once], false))), ["<cut>"]);
    }
}
