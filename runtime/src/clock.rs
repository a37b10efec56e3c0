//! The timestamp requests are signed with: the local clock plus an offset learned from
//! the server.
//!
//! The API refuses signatures more than 5 minutes away from its clock
//! (`AuthFailure.SignatureExpire`). A machine whose clock is off would otherwise fail
//! every call; instead the client reads the server's `Date` header from that answer,
//! keeps the difference, and signs every later request of the same [`Config`] with it.
//!
//! [`Config`]: crate::Config

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

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

    /// Learns the offset from a `Date` header; returns it, or `None` if the header is
    /// absent or unreadable (then there is nothing to correct with).
    pub(crate) fn learn(&self, date: Option<&str>) -> Option<i64> {
        let server = httpdate::parse_http_date(date?).ok()?;
        let server = i64::try_from(server.duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()?;
        let offset = server - local_unix_time().ok()?;
        self.offset_secs.store(offset, Ordering::Relaxed);
        Some(offset)
    }
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

    #[test]
    fn learns_offset_from_date_header() {
        let skew = ClockSkew::default();
        let ahead = SystemTime::now() + Duration::from_secs(600);
        let offset = skew
            .learn(Some(&httpdate::fmt_http_date(ahead)))
            .expect("valid date");
        assert!((599..=601).contains(&offset), "{offset}");
        let signed = skew.timestamp().expect("clock") - local_unix_time().expect("clock");
        assert!((599..=601).contains(&signed), "{signed}");
    }

    #[test]
    fn unusable_date_learns_nothing() {
        let skew = ClockSkew::default();
        assert_eq!(skew.learn(None), None);
        assert_eq!(skew.learn(Some("yesterday")), None);
        let signed = skew.timestamp().expect("clock") - local_unix_time().expect("clock");
        assert!(signed.abs() <= 1, "{signed}");
    }
}
