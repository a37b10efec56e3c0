//! Server-sent events (`text/event-stream`), the answer of the streaming actions: a parser
//! without I/O that is fed the body's bytes as they arrive, in chunks split anywhere, and
//! hands back each event when the blank line that ends it arrives. It follows the WHATWG
//! HTML "event stream interpretation", except where the table says otherwise.
//!
//! | input | what the parser does |
//! | --- | --- |
//! | line ends | CRLF, LF or CR, mixed freely; a CR and its LF in different chunks are one line end |
//! | a UTF-8 BOM at the very start | skipped |
//! | `:` at the start of a line | a comment, ignored (it neither starts nor ends an event) |
//! | `name: value` | the field `name`; one space after the colon is dropped, further spaces kept |
//! | a line without a colon | a field of that name with an empty value |
//! | `data` | appended to the event's data, several lines joined with `\n` |
//! | `event`, `id` | the last one of the event wins; an `id` holding NUL is ignored |
//! | `retry` | kept only if it is all ASCII digits and fits in a `u64` (milliseconds) |
//! | any other field | ignored |
//! | a blank line | ends the event: it is dispatched if it had a `data`, `event`, `id` or `retry` field, otherwise nothing is |
//! | a line longer than the limit | refused ([`SseError::LineTooLong`]) as soon as the limit is passed, before its end arrives |
//! | an event whose data grows past the limit | refused ([`SseError::DataTooLong`]) |
//! | a line that is not UTF-8, comments included | refused ([`SseError::NotUtf8`]), never replaced (as the JSON body rule) |
//! | the end of the stream inside a line or an event | [`EventParser::finish`] says [`SseError::Unterminated`]: a dropped stream is not a normal end |
//!
//! Unlike the HTML rules, `id` and `retry` belong to the event they come in (the caller
//! keeps a last event ID if it wants one), an `event:` with an empty value is kept as
//! `Some("")`, and an event of fields other than `data` is dispatched with empty data.
//!
//! Where the official Python SDK (`AbstractClient._process_response_sse` over requests'
//! `iter_lines`, 3.1.195) reads a stream differently, checked by `tests/tests/sse_oracle.rs`:
//! - a CR at the end of one 512-byte read and its LF at the start of the next are two line
//!   ends there: the blank line between them dispatches the event early;
//! - a line without a colon loses its last character to the field name (`data` is the field
//!   `dat`, with the value `data`);
//! - a `retry` that is not a number raises `ValueError` and ends the stream; `int()` also
//!   takes signs, spaces and underscores (`retry: -5`);
//! - the BOM is not skipped: it becomes part of the first field's name, which is then ignored;
//! - an event without its closing blank line at the end of the stream is dropped silently;
//! - an `id` holding NUL is kept.

use std::collections::VecDeque;

/// The UTF-8 byte order mark, skipped at the start of a stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One event, as it came: its data is not decoded further.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawEvent {
    /// The last `event:` field.
    pub event: Option<String>,
    /// The `data:` lines joined with `\n` (no trailing newline).
    pub data: String,
    /// The last `id:` field (one holding NUL is ignored).
    pub id: Option<String>,
    /// The last valid `retry:` field, in milliseconds.
    pub retry: Option<u64>,
}

/// Why a stream was refused. Offsets count bytes from the start of the stream, BOM included.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SseError {
    #[error("event stream: the line starting at byte {offset} is longer than {limit} bytes")]
    LineTooLong { limit: usize, offset: u64 },
    #[error(
        "event stream: an event's data grows past {limit} bytes with the line starting at byte {offset}"
    )]
    DataTooLong { limit: usize, offset: u64 },
    #[error("event stream: invalid UTF-8 at byte {offset}")]
    NotUtf8 { offset: u64 },
    #[error("event stream: the stream ended inside a line or an event")]
    Unterminated,
}

/// Reads an event stream fed in chunks; see the module doc for the rules.
#[derive(Debug)]
pub struct EventParser {
    max_line: usize,
    /// The start of the line under way when it did not end in the chunk it began in
    /// (at most `max_line` bytes); reused from line to line.
    line: Vec<u8>,
    /// The offset of the next byte to read. `line` holds the bytes just before it.
    consumed: u64,
    /// How many bytes of a BOM the stream has begun with so far, held back until it is
    /// clear whether they are one; `None` once the start of the stream is behind.
    bom_matched: Option<usize>,
    /// The last line ended with a CR at the end of a chunk: an LF starting the next one
    /// belongs to that line end.
    after_cr: bool,
    event: EventUnderWay,
    /// Once set, every call returns it.
    error: Option<SseError>,
}

/// The event the lines since the last blank line describe.
#[derive(Debug, Default)]
struct EventUnderWay {
    event: RawEvent,
    /// A `data` line was seen (the first one may be empty).
    has_data: bool,
    /// A `data`, `event`, `id` or `retry` field was taken: a blank line dispatches.
    has_field: bool,
    /// A line other than a comment came since the last blank line: the stream must not end here.
    has_lines: bool,
}

impl EventParser {
    /// `max_line`: the longest line accepted, in bytes without its terminator; also the
    /// largest `data` one event may accumulate.
    pub fn new(max_line: usize) -> Self {
        Self {
            max_line,
            line: Vec::new(),
            consumed: 0,
            bom_matched: Some(0),
            after_cr: false,
            event: EventUnderWay::default(),
            error: None,
        }
    }

    /// Feeds the next bytes of the stream (any split, even inside a line or between CR and
    /// LF); each event completed by them is appended to `events` in order. After an error
    /// the parser is spent (further feeds return the same error).
    pub fn feed(&mut self, chunk: &[u8], events: &mut VecDeque<RawEvent>) -> Result<(), SseError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let result = self.read(chunk, events);
        if let Err(error) = &result {
            self.error = Some(error.clone());
        }
        result
    }

    /// At a clean end of the stream: `Err(Unterminated)` if a line or an event is incomplete
    /// (bytes after the last blank line other than comments), else Ok. A stream that simply
    /// ends in the middle of an event must not look like a normal end.
    pub fn finish(&self) -> Result<(), SseError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let partial_bom = self.bom_matched.is_some_and(|matched| matched > 0);
        if !self.line.is_empty() || partial_bom || self.event.has_lines {
            return Err(SseError::Unterminated);
        }
        Ok(())
    }

    fn read(&mut self, chunk: &[u8], events: &mut VecDeque<RawEvent>) -> Result<(), SseError> {
        let mut rest = self.skip_bom(chunk)?;
        if self.after_cr && !rest.is_empty() {
            self.after_cr = false;
            if rest[0] == b'\n' {
                rest = &rest[1..];
                self.consumed += 1;
            }
        }
        while !rest.is_empty() {
            let Some(end) = rest.iter().position(|&b| b == b'\r' || b == b'\n') else {
                self.extend_line(rest)?;
                return Ok(());
            };
            let start = self.consumed - self.line.len() as u64;
            let terminator_at = self.consumed + end as u64;
            if self.line.is_empty() {
                // The whole line is in this chunk: read it in place.
                self.check_line_len(end)?;
                self.event
                    .read_line(&rest[..end], start, self.max_line, events)?;
            } else {
                self.extend_line(&rest[..end])?;
                self.event
                    .read_line(&self.line, start, self.max_line, events)?;
                self.line.clear();
            }
            let terminator = rest[end];
            rest = &rest[end + 1..];
            self.consumed = terminator_at + 1;
            if terminator == b'\r' {
                match rest.first() {
                    Some(b'\n') => {
                        rest = &rest[1..];
                        self.consumed += 1;
                    }
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        Ok(())
    }

    /// Drops a BOM at the start of the stream, even split across chunks, and returns the
    /// rest of `chunk`. Bytes held back that turn out not to be one start the first line.
    fn skip_bom<'a>(&mut self, mut chunk: &'a [u8]) -> Result<&'a [u8], SseError> {
        while let Some(matched) = self.bom_matched {
            let Some((&byte, after)) = chunk.split_first() else {
                break;
            };
            if byte == BOM[matched] {
                chunk = after;
                if matched + 1 == BOM.len() {
                    self.bom_matched = None;
                    self.consumed += BOM.len() as u64;
                } else {
                    self.bom_matched = Some(matched + 1);
                }
            } else {
                self.bom_matched = None;
                self.extend_line(&BOM[..matched])?;
            }
        }
        Ok(chunk)
    }

    /// Appends `bytes`, the next part of the line under way, unless the line would pass the limit.
    fn extend_line(&mut self, bytes: &[u8]) -> Result<(), SseError> {
        self.check_line_len(self.line.len() + bytes.len())?;
        self.line.extend_from_slice(bytes);
        self.consumed += bytes.len() as u64;
        Ok(())
    }

    fn check_line_len(&self, len: usize) -> Result<(), SseError> {
        if len > self.max_line {
            return Err(SseError::LineTooLong {
                limit: self.max_line,
                offset: self.consumed - self.line.len() as u64,
            });
        }
        Ok(())
    }
}

impl EventUnderWay {
    /// Reads one complete line (without its terminator) that starts at byte `start`.
    fn read_line(
        &mut self,
        line: &[u8],
        start: u64,
        limit: usize,
        events: &mut VecDeque<RawEvent>,
    ) -> Result<(), SseError> {
        if line.is_empty() {
            self.dispatch(events);
            return Ok(());
        }
        let line = std::str::from_utf8(line).map_err(|error| SseError::NotUtf8 {
            offset: start + error.valid_up_to() as u64,
        })?;
        if line.starts_with(':') {
            return Ok(());
        }
        self.has_lines = true;
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match name {
            "data" => {
                let separator = usize::from(self.has_data);
                if self.event.data.len() + separator + value.len() > limit {
                    return Err(SseError::DataTooLong {
                        limit,
                        offset: start,
                    });
                }
                if self.has_data {
                    self.event.data.push('\n');
                }
                self.event.data.push_str(value);
                self.has_data = true;
                self.has_field = true;
            }
            "event" => {
                self.event.event = Some(value.to_owned());
                self.has_field = true;
            }
            "id" if !value.contains('\0') => {
                self.event.id = Some(value.to_owned());
                self.has_field = true;
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // All digits: only a value past u64::MAX fails, and is ignored like other bad values.
                if let Ok(milliseconds) = value.parse() {
                    self.event.retry = Some(milliseconds);
                    self.has_field = true;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A blank line: the event ends, and is handed over if it had a field.
    fn dispatch(&mut self, events: &mut VecDeque<RawEvent>) {
        if self.has_field {
            events.push_back(std::mem::take(&mut self.event));
        }
        self.has_data = false;
        self.has_field = false;
        self.has_lines = false;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const LIMIT: usize = 64;

    /// Feeds `chunks` in order until an error, then finishes: the events and the outcome.
    fn parse_chunks(max_line: usize, chunks: &[&[u8]]) -> (Vec<RawEvent>, Result<(), SseError>) {
        let mut parser = EventParser::new(max_line);
        let mut events = VecDeque::new();
        let mut outcome = Ok(());
        for chunk in chunks {
            outcome = parser.feed(chunk, &mut events);
            if outcome.is_err() {
                break;
            }
        }
        (events.into(), outcome.and_then(|()| parser.finish()))
    }

    fn parse(stream: &[u8]) -> (Vec<RawEvent>, Result<(), SseError>) {
        parse_chunks(LIMIT, &[stream])
    }

    /// Feeds one byte at a time.
    fn parse_bytewise(stream: &[u8]) -> (Vec<RawEvent>, Result<(), SseError>) {
        let chunks: Vec<&[u8]> = stream.chunks(1).collect();
        parse_chunks(LIMIT, &chunks)
    }

    fn data(text: &str) -> RawEvent {
        RawEvent {
            data: text.to_owned(),
            ..RawEvent::default()
        }
    }

    #[test]
    fn reads_every_field_of_an_event() {
        let stream = b"event: delta\ndata: {\"a\":1}\ndata: second\nid: 7\nretry: 1500\n\n";
        let expected = RawEvent {
            event: Some("delta".to_owned()),
            data: "{\"a\":1}\nsecond".to_owned(),
            id: Some("7".to_owned()),
            retry: Some(1500),
        };
        assert_eq!(parse(stream), (vec![expected.clone()], Ok(())));
        assert_eq!(parse_bytewise(stream), (vec![expected], Ok(())));
    }

    #[test]
    fn each_event_starts_empty_and_the_last_field_wins() {
        let stream =
            b"event: a\nevent: b\nid: 1\nid: 2\nretry: 5\nretry: 6\ndata: x\n\ndata: y\n\n";
        let first = RawEvent {
            event: Some("b".to_owned()),
            data: "x".to_owned(),
            id: Some("2".to_owned()),
            retry: Some(6),
        };
        assert_eq!(parse(stream), (vec![first, data("y")], Ok(())));
    }

    #[test]
    fn every_line_end_ends_a_line() {
        let expected = (vec![data("a\nb"), data("c")], Ok(()));
        for stream in [
            &b"data: a\ndata: b\n\ndata: c\n\n"[..],
            b"data: a\rdata: b\r\rdata: c\r\r",
            b"data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n",
            b"data: a\rdata: b\n\r\ndata: c\r\n\r",
        ] {
            assert_eq!(parse(stream), expected, "{stream:?}");
            assert_eq!(parse_bytewise(stream), expected, "{stream:?}");
        }
    }

    #[test]
    fn a_cr_and_its_lf_in_different_chunks_are_one_line_end() {
        // Were they two, the blank line between them would dispatch `a` alone.
        let (events, outcome) =
            parse_chunks(LIMIT, &[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]);
        assert_eq!((events, outcome), (vec![data("a\nb")], Ok(())));
        // An empty chunk between them changes nothing.
        let (events, outcome) = parse_chunks(LIMIT, &[b"data: a\r", b"", b"\n\r\n"]);
        assert_eq!((events, outcome), (vec![data("a")], Ok(())));
    }

    #[test]
    fn a_leading_bom_is_skipped_even_split_but_only_once() {
        let stream = b"\xEF\xBB\xBFdata: x\n\n";
        assert_eq!(parse(stream), (vec![data("x")], Ok(())));
        assert_eq!(parse_bytewise(stream), (vec![data("x")], Ok(())));
        // A second BOM is part of the field name, which is then unknown.
        let stream = b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\ndata: y\n\n";
        assert_eq!(parse(stream), (vec![data("y")], Ok(())));
        // The start of a BOM that is not one is kept, and counted from byte 0.
        let stream = b"\xEF\xBBdata: x\n\n";
        let refused = (vec![], Err(SseError::NotUtf8 { offset: 0 }));
        assert_eq!(parse(stream), refused);
        assert_eq!(parse_bytewise(stream), refused);
        // Offsets count the BOM.
        let stream = b"\xEF\xBB\xBFdata: \xFF\n";
        assert_eq!(
            parse_bytewise(stream),
            (vec![], Err(SseError::NotUtf8 { offset: 9 }))
        );
        // A stream that ends inside a BOM ends inside a line.
        assert_eq!(parse(b"\xEF\xBB"), (vec![], Err(SseError::Unterminated)));
    }

    #[test]
    fn comments_and_unknown_fields_are_ignored() {
        let stream = b": keep-alive\n\ndata: a\n: inside\nfoo: bar\n\nfoo: only\n\n";
        assert_eq!(parse(stream), (vec![data("a")], Ok(())));
    }

    #[test]
    fn a_blank_line_with_nothing_pending_dispatches_nothing() {
        assert_eq!(parse(b"\n\r\n\r\n\n"), (vec![], Ok(())));
        assert_eq!(parse(b""), (vec![], Ok(())));
    }

    #[test]
    fn one_space_after_the_colon_is_dropped() {
        let stream = b"data:x\n\ndata:  two\n\ndata:\n\ndata: a: b\n\n";
        let expected = vec![data("x"), data(" two"), data(""), data("a: b")];
        assert_eq!(parse(stream), (expected, Ok(())));
    }

    #[test]
    fn a_line_without_a_colon_is_a_field_with_an_empty_value() {
        let stream = b"data\ndata\n\nevent\n\n";
        let named = RawEvent {
            event: Some(String::new()),
            ..RawEvent::default()
        };
        assert_eq!(parse(stream), (vec![data("\n"), named], Ok(())));
    }

    #[test]
    fn retry_is_kept_only_when_it_is_all_digits_and_fits() {
        for bad in [
            "retry: 1a",
            "retry: -5",
            "retry: +5",
            "retry:  5",
            "retry:",
            "retry: 18446744073709551616",
        ] {
            let stream = format!("{bad}\n\n");
            assert_eq!(parse(stream.as_bytes()), (vec![], Ok(())), "{bad}");
        }
        let stream = b"retry: 0018446744073709551615\n\n";
        let expected = RawEvent {
            retry: Some(u64::MAX),
            ..RawEvent::default()
        };
        assert_eq!(parse(stream), (vec![expected], Ok(())));
    }

    #[test]
    fn an_id_holding_nul_is_ignored() {
        let stream = b"id: 1\nid: a\0b\ndata: x\n\nid: \0\n\n";
        let expected = RawEvent {
            id: Some("1".to_owned()),
            ..data("x")
        };
        assert_eq!(parse(stream), (vec![expected], Ok(())));
    }

    #[test]
    fn events_are_appended_after_those_already_queued() {
        let mut parser = EventParser::new(LIMIT);
        let mut events = VecDeque::from([data("earlier")]);
        parser
            .feed(b"data: 1\n\ndata: 2\n\ndata: 3", &mut events)
            .expect("valid");
        assert_eq!(
            Vec::from(events),
            vec![data("earlier"), data("1"), data("2")]
        );
    }

    #[test]
    fn a_line_at_the_limit_is_read_and_one_past_it_refused_before_it_ends() {
        assert_eq!(
            parse_chunks(8, &[b"data: 12\n\n"]),
            (vec![data("12")], Ok(()))
        );
        let mut parser = EventParser::new(8);
        let mut events = VecDeque::new();
        parser
            .feed(b"data: 1\n\ndata: 12", &mut events)
            .expect("at the limit");
        let refused = SseError::LineTooLong {
            limit: 8,
            offset: 9,
        };
        // No line end has come: the ninth byte alone is refused.
        assert_eq!(parser.feed(b"3", &mut events), Err(refused.clone()));
        assert_eq!(Vec::from(events), vec![data("1")]);
        assert_eq!(
            refused.to_string(),
            "event stream: the line starting at byte 9 is longer than 8 bytes"
        );
    }

    #[test]
    fn an_endless_line_is_refused_without_buffering_past_the_limit() {
        const MAX: usize = 4096;
        let mut parser = EventParser::new(MAX);
        let mut events = VecDeque::new();
        let chunk = [b'x'; 1000];
        let mut fed = 0;
        let error = loop {
            match parser.feed(&chunk, &mut events) {
                Ok(()) => fed += chunk.len(),
                Err(error) => break error,
            }
            assert!(fed <= MAX, "still reading after {fed} bytes");
        };
        assert_eq!(fed, 4000);
        assert_eq!(
            error,
            SseError::LineTooLong {
                limit: MAX,
                offset: 0
            }
        );
        assert!(
            parser.line.capacity() <= 2 * MAX,
            "{}",
            parser.line.capacity()
        );
    }

    #[test]
    fn data_past_the_limit_is_refused() {
        // 4 + 1 + 1 + 1 + 3 = 10 bytes is the limit; one more line passes it.
        let stream = b"data: 1234\ndata: 5\ndata: 678\ndata:\n\n";
        let refused = SseError::DataTooLong {
            limit: 10,
            offset: 29,
        };
        assert_eq!(parse_chunks(10, &[stream]), (vec![], Err(refused)));
        assert_eq!(
            parse_chunks(10, &[&stream[..29], b"\n"]),
            (vec![data("1234\n5\n678")], Ok(()))
        );
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_offset_comments_included() {
        let stream = b"data: ok\n\ndata: \xFF\n\n";
        assert_eq!(
            parse(stream),
            (vec![data("ok")], Err(SseError::NotUtf8 { offset: 16 }))
        );
        assert_eq!(
            parse_bytewise(stream),
            (vec![data("ok")], Err(SseError::NotUtf8 { offset: 16 }))
        );
        assert_eq!(
            parse(b": caf\xC3\n"),
            (vec![], Err(SseError::NotUtf8 { offset: 5 }))
        );
    }

    #[test]
    fn a_stream_that_stops_inside_a_line_or_an_event_is_unterminated() {
        for cut in [
            &b"data: x"[..],
            b"data: x\n",
            b"data: x\n\nfoo\n",
            b"data: x\n\n: no line end",
        ] {
            assert_eq!(parse(cut).1, Err(SseError::Unterminated), "{cut:?}");
        }
        for whole in [
            &b"data: x\n\n"[..],
            b"data: x\n\n: bye\n",
            b"data: x\r\n\r\n",
            b"data: x\r\r",
        ] {
            assert_eq!(parse(whole), (vec![data("x")], Ok(())), "{whole:?}");
        }
    }

    #[test]
    fn after_an_error_the_parser_is_spent() {
        let mut parser = EventParser::new(LIMIT);
        let mut events = VecDeque::new();
        let error = parser
            .feed(b"data: \xC0\n", &mut events)
            .expect_err("not UTF-8");
        assert_eq!(
            parser.feed(b"data: fine\n\n", &mut events),
            Err(error.clone())
        );
        assert_eq!(parser.finish(), Err(error));
        assert!(events.is_empty());
    }

    /// Streams mixing the lines that matter, valid or not, with stray bytes.
    fn stream() -> impl Strategy<Value = Vec<u8>> {
        let name = prop::sample::select(vec!["data", "event", "id", "retry", "foo", "", "dat"]);
        let value = prop::collection::vec(
            prop::sample::select(vec!["a", " ", ":", "7", "é", "\0", "x\u{FEFF}"]),
            0..6,
        )
        .prop_map(|parts| parts.concat());
        let line_end = prop::sample::select(vec!["\n", "\r", "\r\n"]);
        let piece = prop_oneof![
            4 => (name, prop::sample::select(vec!["", ":", ": "]), value, line_end.clone())
                .prop_map(|(name, colon, value, end)| format!("{name}{colon}{value}{end}").into_bytes()),
            2 => line_end.clone().prop_map(|end| end.as_bytes().to_vec()),
            1 => line_end.prop_map(|end| format!(": comment{end}").into_bytes()),
            1 => Just(BOM.to_vec()),
            1 => prop::collection::vec(any::<u8>(), 0..4),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn any_chunking_reads_like_the_whole_stream(
            stream in stream(),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
            max_line in 0usize..48,
        ) {
            let mut cuts: Vec<usize> = cuts.iter().map(|cut| cut.index(stream.len() + 1)).collect();
            cuts.sort_unstable();
            let mut chunks = Vec::new();
            let mut from = 0;
            for cut in cuts {
                chunks.push(&stream[from..cut]);
                from = cut;
            }
            chunks.push(&stream[from..]);
            prop_assert_eq!(parse_chunks(max_line, &chunks), parse_chunks(max_line, &[&stream]));
        }

        #[test]
        fn a_crlf_split_between_chunks_is_one_line_end(
            lines in prop::collection::vec(prop::sample::select(vec!["data: a", "data: b", "id: 1", "event: e", ""]), 0..12),
        ) {
            let crlf = lines.iter().map(|line| format!("{line}\r\n")).collect::<String>();
            let lf = lines.iter().map(|line| format!("{line}\n")).collect::<String>();
            // Every chunk but the last ends with a CR; its LF starts the next.
            let chunks: Vec<&[u8]> = crlf.as_bytes().split_inclusive(|&b| b == b'\r').collect();
            prop_assert_eq!(parse_chunks(LIMIT, &chunks), parse_chunks(LIMIT, &[lf.as_bytes()]));
        }
    }
}
