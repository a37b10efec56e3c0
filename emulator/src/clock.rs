//! The emulator's clock: the host clock plus a settable offset, so tests can make the
//! server disagree with the client (AuthFailure.SignatureExpire, clock-skew correction).
//!
//! The offset is bounded ([`MAX_OFFSET_SECS`], ±10 years): HTTP dates exist only from 1970
//! to 9999, and an offset that pushed the clock outside them once made every later request
//! panic while formatting its `Date` header. Ten years covers any expiry or skew a test
//! needs. The formatting functions below never panic either, whatever time they get.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The largest clock offset, either way: ten years of 365 days.
pub const MAX_OFFSET_SECS: i64 = 10 * 365 * 86_400;

/// 9999-12-31T23:59:59Z, the last second an HTTP date can name.
const LAST_HTTP_DATE_SECS: u64 = 253_402_300_799;

/// A clock offset outside `-MAX_OFFSET_SECS..=MAX_OFFSET_SECS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockOffsetError {
    /// The refused offset, in seconds.
    pub offset_secs: i64,
}

impl ClockOffsetError {
    pub const MIN_OFFSET_SECS: i64 = -MAX_OFFSET_SECS;
    pub const MAX_OFFSET_SECS: i64 = MAX_OFFSET_SECS;
}

impl fmt::Display for ClockOffsetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "clock offset {} s is outside the allowed range -{MAX_OFFSET_SECS} to {MAX_OFFSET_SECS} s (±10 years)",
            self.offset_secs
        )
    }
}

impl std::error::Error for ClockOffsetError {}

fn check_offset(offset_secs: i64) -> Result<i64, ClockOffsetError> {
    if (-MAX_OFFSET_SECS..=MAX_OFFSET_SECS).contains(&offset_secs) {
        Ok(offset_secs)
    } else {
        Err(ClockOffsetError { offset_secs })
    }
}

#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
}

impl Clock {
    pub fn new(offset_secs: i64) -> Result<Self, ClockOffsetError> {
        Ok(Clock {
            offset_secs: AtomicI64::new(check_offset(offset_secs)?),
        })
    }

    pub fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }

    /// Refuses offsets beyond ±[`MAX_OFFSET_SECS`], leaving the clock as it was.
    pub fn set_offset_secs(&self, offset: i64) -> Result<(), ClockOffsetError> {
        self.offset_secs
            .store(check_offset(offset)?, Ordering::Relaxed);
        Ok(())
    }

    /// The emulator's "now", kept within the years an HTTP date can name even if the host
    /// clock itself is far off.
    pub fn now(&self) -> SystemTime {
        let offset = self.offset_secs();
        let magnitude = Duration::from_secs(offset.unsigned_abs());
        let host = SystemTime::now();
        let shifted = if offset >= 0 {
            host.checked_add(magnitude)
        } else {
            host.checked_sub(magnitude)
        };
        let last = UNIX_EPOCH + Duration::from_secs(LAST_HTTP_DATE_SECS);
        shifted.unwrap_or(host).clamp(UNIX_EPOCH, last)
    }

    pub fn unix_secs(&self) -> i64 {
        unix_secs(self.now())
    }
}

/// The `Date` header's form of `time`; `None` outside 1970-9999, where httpdate would panic.
pub fn http_date(time: SystemTime) -> Option<String> {
    let secs = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
    (secs <= LAST_HTTP_DATE_SECS).then(|| httpdate::fmt_http_date(time))
}

pub fn unix_secs(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// `YYYY-MM-DD` (UTC) of a Unix timestamp, as used in the TC3 credential scope.
pub fn utc_date(unix: i64) -> Option<String> {
    let datetime = time::OffsetDateTime::from_unix_timestamp(unix).ok()?;
    let date = datetime.date();
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// `YYYY-MM-DDTHH:MM:SS` (UTC), the format edgezone uses for CreatedAt/UpdatedAt. Times
/// beyond what `time` represents (±9999 years) are clamped rather than panicking.
pub fn iso_datetime(time: SystemTime) -> String {
    let datetime =
        time::OffsetDateTime::from_unix_timestamp(unix_secs(time)).unwrap_or_else(|_| {
            if time < UNIX_EPOCH {
                time::PrimitiveDateTime::MIN.assume_utc()
            } else {
                time::PrimitiveDateTime::MAX.assume_utc()
            }
        });
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        datetime.year(),
        u8::from(datetime.month()),
        datetime.day(),
        datetime.hour(),
        datetime.minute(),
        datetime.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_date_is_utc() {
        assert_eq!(utc_date(1_551_113_065).as_deref(), Some("2019-02-25"));
        assert_eq!(utc_date(0).as_deref(), Some("1970-01-01"));
    }

    #[test]
    fn offset_moves_now() {
        let clock = Clock::new(-3600).unwrap();
        let drift = unix_secs(SystemTime::now()) - clock.unix_secs();
        assert!((3599..=3601).contains(&drift), "{drift}");
    }

    #[test]
    fn offsets_are_bounded_to_ten_years() {
        let clock = Clock::default();
        for offset in [
            -2_000_000_000,
            300_000_000_000,
            MAX_OFFSET_SECS + 1,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(
                clock.set_offset_secs(offset),
                Err(ClockOffsetError {
                    offset_secs: offset
                })
            );
            assert!(Clock::new(offset).is_err());
        }
        assert_eq!(clock.offset_secs(), 0, "a refused offset changes nothing");
        for offset in [MAX_OFFSET_SECS, -MAX_OFFSET_SECS] {
            clock.set_offset_secs(offset).unwrap();
            assert!(http_date(clock.now()).is_some());
        }
        let message = ClockOffsetError {
            offset_secs: 1 << 40,
        }
        .to_string();
        assert!(message.contains("315360000"), "{message}");
    }

    #[test]
    fn formatting_never_panics() {
        let far = UNIX_EPOCH + Duration::from_secs(1 << 45);
        assert_eq!(http_date(far), None);
        assert_eq!(http_date(UNIX_EPOCH - Duration::from_secs(1)), None);
        assert_eq!(
            http_date(UNIX_EPOCH).as_deref(),
            Some("Thu, 01 Jan 1970 00:00:00 GMT")
        );
        assert!(iso_datetime(far).starts_with("9999-12-31"));
        assert!(iso_datetime(UNIX_EPOCH - Duration::from_secs(1 << 45)).starts_with("-9999"));
        assert_eq!(iso_datetime(UNIX_EPOCH), "1970-01-01T00:00:00");
    }
}
