//! The timestamp requests are signed with: the local clock plus an offset learned from
//! the server.
//!
//! The API refuses signatures more than 5 minutes away from its clock
//! (`AuthFailure.SignatureExpire`). A machine whose clock is off would otherwise fail
//! every call; instead the client reads the server's `Date` header from that answer,
//! keeps the difference, and signs every later request of the same [`Config`] with it.
//!
//! The correction is bounded by [`MAX_CLOCK_CORRECTION`] (24 hours) either way. That
//! covers the offsets clocks really have: drift without NTP (seconds to minutes a week), a
//! VM resumed after a suspension of up to a day, and a clock set to local time instead of
//! UTC (time zones span UTC-12 to UTC+14). A larger offset is a clock that was never set
//! (or reset to 1970) or a broken or hostile server (one answering with the year 9999
//! would otherwise get every later request of the config signed for it): guessing which
//! is not the SDK's to do. It is reported as [`ClockSkewError`] and not adopted, so the
//! call fails, naming the offset, and later requests keep the local clock.
//!
//! [`Config`]: crate::Config
//! [`ClockSkewError`]: crate::error::ClockSkewError

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::ClockSkewError;

/// The largest offset between the server's clock and the local one that the SDK corrects
/// by; a larger one is refused with [`ClockSkewError`](crate::error::ClockSkewError).
pub const MAX_CLOCK_CORRECTION: Duration = Duration::from_secs(24 * 60 * 60);

/// The learned offset, shared by every client made from one config.
#[derive(Debug, Default)]
pub(crate) struct ClockSkew {
    offset_secs: AtomicI64,
}

impl ClockSkew {
    /// Unix seconds to put in `X-TC-Timestamp`.
    pub(crate) fn timestamp(&self) -> Result<i64, &'static str> {
        Ok(local_unix_time()? + self.offset_secs.load(Ordering::Relaxed))
    }

    /// Learns the offset from the `Date` header of an answer whose RequestId is
    /// `request_id`, and returns it (the server's time minus ours, in seconds); `None` if
    /// the header is absent or unreadable (then there is nothing to correct with). An
    /// offset beyond [`MAX_CLOCK_CORRECTION`] is an error and leaves the offset as it was.
    pub(crate) fn learn(
        &self,
        date: Option<&str>,
        request_id: &str,
    ) -> Result<Option<i64>, ClockSkewError> {
        let Some((date, offset)) = date.and_then(|date| Some((date, offset_of(date)?))) else {
            return Ok(None);
        };
        let limit = MAX_CLOCK_CORRECTION.as_secs();
        if offset.unsigned_abs() > limit {
            return Err(ClockSkewError::new(offset, limit, date, request_id));
        }
        self.offset_secs.store(offset, Ordering::Relaxed);
        Ok(Some(offset))
    }
}

/// The server's time in `date` minus the local time, in seconds.
fn offset_of(date: &str) -> Option<i64> {
    let server = httpdate::parse_http_date(date).ok()?;
    let server = i64::try_from(server.duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()?;
    server.checked_sub(local_unix_time().ok()?)
}

fn local_unix_time() -> Result<i64, &'static str> {
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970")?;
    i64::try_from(elapsed.as_secs()).map_err(|_| "the system clock is out of range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn signed_offset(skew: &ClockSkew) -> i64 {
        skew.timestamp().expect("clock") - local_unix_time().expect("clock")
    }

    #[test]
    fn learns_offset_from_date_header() {
        let skew = ClockSkew::default();
        let ahead = SystemTime::now() + Duration::from_secs(600);
        let Ok(Some(offset)) = skew.learn(Some(&httpdate::fmt_http_date(ahead)), "r") else {
            panic!("a valid date within the bound");
        };
        assert!((599..=601).contains(&offset), "{offset}");
        let signed = signed_offset(&skew);
        assert!((599..=601).contains(&signed), "{signed}");
    }

    #[test]
    fn unusable_date_learns_nothing() {
        let skew = ClockSkew::default();
        assert_eq!(skew.learn(None, "r"), Ok(None));
        assert_eq!(skew.learn(Some("yesterday"), "r"), Ok(None));
        let signed = signed_offset(&skew);
        assert!(signed.abs() <= 1, "{signed}");
    }

    #[test]
    fn the_correction_is_bounded_both_ways() {
        let skew = ClockSkew::default();
        let limit = MAX_CLOCK_CORRECTION;
        // Just inside the bound (a minute of margin for the test's own run time): adopted.
        for inside in [
            SystemTime::now() + limit - Duration::from_secs(60),
            SystemTime::now() - limit + Duration::from_secs(60),
        ] {
            let date = httpdate::fmt_http_date(inside);
            assert!(
                matches!(skew.learn(Some(&date), "r"), Ok(Some(_))),
                "{date}"
            );
        }
        let before = signed_offset(&skew);
        for outside in [
            SystemTime::now() + limit + Duration::from_secs(60),
            SystemTime::now() - limit - Duration::from_secs(60),
            UNIX_EPOCH,
        ] {
            let date = httpdate::fmt_http_date(outside);
            let error = skew.learn(Some(&date), "req-9").expect_err(&date);
            assert_eq!(error.server_date(), date);
            assert_eq!(error.request_id(), "req-9");
            assert!(
                error.offset_secs().unsigned_abs() > limit.as_secs(),
                "{error}"
            );
        }
        let year_9999 = "Fri, 31 Dec 9999 23:59:59 GMT";
        let error = skew.learn(Some(year_9999), "req-9").expect_err("9999");
        assert!(error.offset_secs() > 0);
        assert!(
            error.to_string().contains("ahead of the local clock"),
            "{error}"
        );
        // Refusals leave the offset that was learned before.
        assert!((signed_offset(&skew) - before).abs() <= 1);
    }
}
