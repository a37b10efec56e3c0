//! Zones. There is no fixed list: a zone exists once anything is created in it, and an
//! account's zones are those where it has a network, a server or the edge node service
//! (CreateEdgeNodeService). DescribeZones lists them; DescribeZoneData answers only for
//! them.

use serde_json::{Map, Value, json};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::actions::{Call, Output, object};
use crate::envelope::ApiError;

/// DescribeZones' numeric ZoneId of the first zone, as in its documented example.
const FIRST_ZONE_ID: usize = 100_001;
/// DescribeZoneData's documented longest range.
const MAX_RANGE_SECS: i64 = 2 * 24 * 3600;
const METRICS: [&str; 2] = ["inbw", "outbw"];
const PARAM_ERROR: &str = "InvalidParameter.ParamError";

impl Call<'_> {
    /// Enables the edge node service of a zone for the caller; enabling it again changes
    /// nothing. The zone is the account's from then on.
    pub fn enable_edge_service(self) -> Output {
        let zone = self.non_empty("Zone")?;
        let app_id = self.caller.app_id;
        self.state.register_zone(zone);
        let services = &mut self.state.edge_services;
        if !services
            .iter()
            .any(|(owner, z)| *owner == app_id && z == zone)
        {
            services.push((app_id, zone.to_owned()));
        }
        Ok(Map::new())
    }

    pub fn describe_zones(self) -> Output {
        let zones: Vec<Value> = self
            .state
            .account_zones(self.caller.app_id)
            .into_iter()
            .map(|index| zone_json(index, &self.state.zones[index]))
            .collect();
        Ok(object(
            json!({ "ZoneSet": zones, "TotalCount": zones.len() }),
        ))
    }

    /// One point a minute, on each whole minute from StartTime to EndTime inclusive. No
    /// traffic flows through the emulator, so every value is 0.
    pub fn describe_zone_data(self) -> Output {
        let zone = self.str("Zone")?;
        let metric = self.str("MetricName")?;
        if !METRICS.contains(&metric) {
            return Err(param_error(format!(
                "MetricName must be one of {}, got `{metric}`.",
                METRICS.join(", ")
            )));
        }
        let start = parse_utc(self.str("StartTime")?, "StartTime")?;
        let end = parse_utc(self.str("EndTime")?, "EndTime")?;
        if end < start || end - start > MAX_RANGE_SECS {
            return Err(param_error(
                "EndTime must be after StartTime, and at most 2 days after it.",
            ));
        }
        let known = self
            .state
            .account_zones(self.caller.app_id)
            .into_iter()
            .any(|index| self.state.zones[index] == zone);
        if !known {
            return Err(param_error(format!(
                "Zone {zone} is not a zone of this account."
            )));
        }
        let first = start + (60 - start.rem_euclid(60)) % 60;
        let data: Vec<Value> = (first..=end)
            .step_by(60)
            .filter_map(format_utc)
            .map(|time| json!({ "Time": time, "Value": 0.0 }))
            .collect();
        Ok(object(json!({ "Data": data })))
    }
}

fn zone_json(index: usize, zone: &str) -> Value {
    json!({
        "ZoneId": FIRST_ZONE_ID + index,
        "Zone": zone,
        "ZoneName": zone,
        "ZoneNameEn": zone,
        "Region": region_of(zone),
    })
}

/// `ap-singapore` of `ap-singapore-1` or `ap-guangzhou-tez-gz-1`: Tencent's zone codes
/// start with their region's two parts. A code of two parts or fewer is its own region.
fn region_of(zone: &str) -> &str {
    match zone.match_indices('-').nth(1) {
        Some((at, _)) => &zone[..at],
        None => zone,
    }
}

/// Unix seconds of `YYYY-MM-DDThh:mm:ssZ`, the documented format (UTC).
fn parse_utc(text: &str, name: &str) -> Result<i64, ApiError> {
    let invalid = || {
        param_error(format!(
            "{name} `{text}` is not YYYY-MM-DDThh:mm:ssZ (UTC)."
        ))
    };
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            19 => *b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(invalid());
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u16>().map_err(|_| invalid());
    let month = Month::try_from(u8::try_from(number(5..7)?).map_err(|_| invalid())?)
        .map_err(|_| invalid())?;
    let byte = |range| number(range).and_then(|n| u8::try_from(n).map_err(|_| invalid()));
    let date = Date::from_calendar_date(i32::from(number(0..4)?), month, byte(8..10)?)
        .map_err(|_| invalid())?;
    let time =
        Time::from_hms(byte(11..13)?, byte(14..16)?, byte(17..19)?).map_err(|_| invalid())?;
    Ok(PrimitiveDateTime::new(date, time)
        .assume_utc()
        .unix_timestamp())
}

fn format_utc(unix: i64) -> Option<String> {
    let t = OffsetDateTime::from_unix_timestamp(unix).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

fn param_error(message: impl Into<String>) -> ApiError {
    ApiError::new(PARAM_ERROR, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_round_trip() {
        let unix = parse_utc("2026-04-13T07:01:02Z", "T").unwrap();
        assert_eq!(format_utc(unix).as_deref(), Some("2026-04-13T07:01:02Z"));
        for bad in [
            "2026-04-13 07:01:02Z",
            "2026-02-30T00:00:00Z",
            "2026-04-13T24:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-04-13T07:01:02",
            "２026-04-13T07:01:02Z",
        ] {
            assert!(parse_utc(bad, "T").is_err(), "{bad}");
        }
    }

    #[test]
    fn regions_of_zone_codes() {
        assert_eq!(region_of("ap-singapore-1"), "ap-singapore");
        assert_eq!(region_of("ap-guangzhou-tez-gz-1"), "ap-guangzhou");
        assert_eq!(region_of("zone-a"), "zone-a");
    }
}
