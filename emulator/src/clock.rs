//! The emulator's clock: the host clock plus a settable offset, so tests can make the
//! server disagree with the client (AuthFailure.SignatureExpire, clock-skew correction).

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
}

impl Clock {
    pub fn new(offset_secs: i64) -> Self {
        Clock {
            offset_secs: AtomicI64::new(offset_secs),
        }
    }

    pub fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }

    pub fn set_offset_secs(&self, offset: i64) {
        self.offset_secs.store(offset, Ordering::Relaxed);
    }

    /// The emulator's "now".
    pub fn now(&self) -> SystemTime {
        let offset = self.offset_secs();
        let magnitude = Duration::from_secs(offset.unsigned_abs());
        let host = SystemTime::now();
        let shifted = if offset >= 0 {
            host.checked_add(magnitude)
        } else {
            host.checked_sub(magnitude)
        };
        shifted.unwrap_or(host)
    }

    pub fn unix_secs(&self) -> i64 {
        unix_secs(self.now())
    }
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

/// `YYYY-MM-DDTHH:MM:SS` (UTC), the format edgezone uses for CreatedAt/UpdatedAt.
pub fn iso_datetime(time: SystemTime) -> String {
    let datetime = time::OffsetDateTime::from(time);
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
        let clock = Clock::new(-3600);
        let drift = unix_secs(SystemTime::now()) - clock.unix_secs();
        assert!((3599..=3601).contains(&drift), "{drift}");
    }
}
