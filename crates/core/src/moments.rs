//! Moments shown in a person's own time zone: the IANA name they chose,
//! checked against the time zone database bundled in the binary (so a
//! server without `/usr/share/zoneinfo` shows the same as one with it), and
//! the plain words a page shows, such as "3 December 2026, 14:05".
//! Pure: the caller gives the moment; nothing here reads the clock.

use std::fmt;

use jiff::Timestamp;
use jiff::tz::{self, TimeZone};
use serde::{Deserialize, Serialize};

/// The longest name taken; the longest in the database has 32 characters.
pub const MAX_ZONE_CHARS: usize = 64;

/// Why a time zone name was refused. Each message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    /// Nothing was given.
    #[error("`time_zone` is empty. Please choose a time zone, such as Europe/London.")]
    Empty,
    /// Longer than any real name.
    #[error("`time_zone` is too long. Please choose a time zone from the list.")]
    TooLong,
    /// Not a name the time zone database knows.
    #[error(
        "`time_zone` is not a time zone we know. Please choose one from the list, such as Europe/London."
    )]
    Unknown,
}

/// A time zone by its IANA name, known to the bundled database. Made only by
/// [`TimeZoneName::parse`] (serde goes through it too).
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZoneName {
    name: String,
    zone: TimeZone,
}

impl TimeZoneName {
    /// The field a refused name is reported under.
    pub const FIELD: &'static str = "time_zone";

    /// Checks a name such as `Europe/London` (case as the database spells
    /// it; a different case is taken and corrected). POSIX rules, file
    /// paths and offsets such as `+02:00` are refused: only names.
    pub fn parse(raw: &str) -> Result<Self, ZoneError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(ZoneError::Empty);
        }
        if text.chars().count() > MAX_ZONE_CHARS {
            return Err(ZoneError::TooLong);
        }
        if !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
        {
            return Err(ZoneError::Unknown);
        }
        let zone = tz::db().get(text).map_err(|_| ZoneError::Unknown)?;
        let name = zone.iana_name().unwrap_or(text).to_owned();
        Ok(Self { name, zone })
    }

    /// UTC, the zone of a person who has not chosen one.
    pub fn utc() -> Self {
        Self {
            name: "UTC".to_owned(),
            zone: TimeZone::UTC,
        }
    }

    /// The name, as the database spells it.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Every name the database knows, sorted, for a list to choose from.
    pub fn all() -> Vec<String> {
        let mut names: Vec<String> = tz::db().available().map(|n| n.to_string()).collect();
        names.sort();
        names
    }
}

impl Default for TimeZoneName {
    fn default() -> Self {
        Self::utc()
    }
}

impl PartialEq for TimeZoneName {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for TimeZoneName {}

impl fmt::Debug for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TimeZoneName").field(&self.name).finish()
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl TryFrom<String> for TimeZoneName {
    type Error = ZoneError;
    fn try_from(raw: String) -> Result<Self, ZoneError> {
        Self::parse(&raw)
    }
}

impl From<TimeZoneName> for String {
    fn from(zone: TimeZoneName) -> String {
        zone.name
    }
}

/// A Unix time in plain words in `zone`: "3 December 2026, 14:05" (day,
/// month name, year, 24-hour clock), which reads the same in every
/// English-speaking country; in UTC (also the default until a person
/// chooses their zone) it says so: "3 December 2026, 14:05 UTC". Out of
/// range (past the year 9999): the UTC date.
pub fn moment(unix: i64, zone: &TimeZoneName) -> String {
    match Timestamp::from_second(unix) {
        Ok(at) => {
            let shown = at
                .to_zoned(zone.zone.clone())
                .strftime("%-d %B %Y, %H:%M")
                .to_string();
            if zone.name == "UTC" {
                format!("{shown} UTC")
            } else {
                shown
            }
        }
        Err(_) => crate::dates::civil_date(unix),
    }
}

/// A Unix time moved by `zone`'s offset from UTC at that moment, so that
/// calendar arithmetic on it (an ISO week, a day number) follows the
/// person's own calendar: a week ticked late on Sunday evening in Auckland
/// belongs to that Sunday's week, not the next one.
pub fn local_unix(unix: i64, zone: &TimeZoneName) -> i64 {
    match Timestamp::from_second(unix) {
        Ok(at) => unix + i64::from(zone.zone.to_offset(at).seconds()),
        Err(_) => unix,
    }
}

/// Only the day of a Unix time in `zone`, as "3 December 2026".
pub fn day(unix: i64, zone: &TimeZoneName) -> String {
    match Timestamp::from_second(unix) {
        Ok(at) => at
            .to_zoned(zone.zone.clone())
            .strftime("%-d %B %Y")
            .to_string(),
        Err(_) => crate::dates::civil_date(unix),
    }
}

/// The month of a Unix time in `zone`, as "March 2026".
pub fn month(unix: i64, zone: &TimeZoneName) -> String {
    match Timestamp::from_second(unix) {
        Ok(at) => at.to_zoned(zone.zone.clone()).strftime("%B %Y").to_string(),
        Err(_) => crate::dates::civil_date(unix),
    }
}

/// The year of a Unix time in `zone`, as "2026".
pub fn year(unix: i64, zone: &TimeZoneName) -> String {
    match Timestamp::from_second(unix) {
        Ok(at) => at.to_zoned(zone.zone.clone()).strftime("%Y").to_string(),
        Err(_) => crate::dates::civil_date(unix),
    }
}

/// The Unix time of a stored RFC 3339 stamp such as
/// `2026-12-03T14:05:12.345Z`; `None` if it is not one.
pub fn unix_of(stamp: &str) -> Option<i64> {
    stamp.parse::<Timestamp>().ok().map(Timestamp::as_second)
}

/// A stored RFC 3339 stamp in plain words in `zone`, as [`moment`]; a stamp
/// that does not parse is shown by its first ten characters (its date), so
/// a page never fails over how a moment was written.
pub fn stamp_moment(stamp: &str, zone: &TimeZoneName) -> String {
    match unix_of(stamp) {
        Some(unix) => moment(unix, zone),
        None => stamp.get(..10).unwrap_or(stamp).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZoneName {
        TimeZoneName::parse(name).unwrap()
    }

    #[test]
    fn moments_read_in_the_persons_zone() {
        // 2026-12-03T14:05:00Z and 2026-07-01T09:30:00Z.
        let winter = 1_796_306_700;
        let summer = 1_782_898_200;
        let cases = [
            ("UTC", winter, "3 December 2026, 14:05 UTC"),
            ("UTC", summer, "1 July 2026, 09:30 UTC"),
            ("Europe/London", winter, "3 December 2026, 14:05"),
            ("Europe/London", summer, "1 July 2026, 10:30"),
            ("Asia/Kolkata", winter, "3 December 2026, 19:35"),
            ("Asia/Kolkata", summer, "1 July 2026, 15:00"),
            ("Asia/Tokyo", winter, "3 December 2026, 23:05"),
            ("America/New_York", winter, "3 December 2026, 09:05"),
            ("Pacific/Kiritimati", winter, "4 December 2026, 04:05"),
            ("UTC", 0, "1 January 1970, 00:00 UTC"),
        ];
        for (name, unix, shown) in cases {
            assert_eq!(moment(unix, &zone(name)), shown, "{name} {unix}");
        }
        assert_eq!(day(winter, &zone("Pacific/Kiritimati")), "4 December 2026");
        // Sunday 6 December 2026, 12:00 UTC: still week 49 in UTC and New
        // York, already Monday of week 50 on Kiritimati (UTC+14).
        let sunday_noon = 1_796_558_400;
        for (name, week) in [
            ("UTC", "2026-W49"),
            ("America/New_York", "2026-W49"),
            ("Pacific/Kiritimati", "2026-W50"),
        ] {
            let local = local_unix(sunday_noon, &zone(name));
            assert_eq!(crate::dates::iso_week(local), week, "{name}");
        }
        assert_eq!(
            moment(i64::MAX, &zone("UTC")),
            crate::dates::civil_date(i64::MAX)
        );
    }

    #[test]
    fn stored_stamps_read_as_moments() {
        let london = zone("Europe/London");
        assert_eq!(
            stamp_moment("2026-07-01T09:30:12.345Z", &london),
            "1 July 2026, 10:30"
        );
        assert_eq!(unix_of("2026-12-03T14:05:00Z"), Some(1_796_306_700));
        assert_eq!(stamp_moment("2026-07-01 junk", &london), "2026-07-01");
        assert_eq!(stamp_moment("", &london), "");
    }

    #[test]
    fn only_known_names_are_taken() {
        let cases: [(&str, Result<&str, ZoneError>); 14] = [
            ("Europe/London", Ok("Europe/London")),
            ("  Asia/Kolkata ", Ok("Asia/Kolkata")),
            ("europe/london", Ok("Europe/London")),
            ("UTC", Ok("UTC")),
            (
                "America/Argentina/ComodRivadavia",
                Ok("America/Argentina/ComodRivadavia"),
            ),
            ("", Err(ZoneError::Empty)),
            ("   ", Err(ZoneError::Empty)),
            ("Mars/Olympus_Mons", Err(ZoneError::Unknown)),
            ("EST5EDT,M3.2.0,M11.1.0", Err(ZoneError::Unknown)),
            ("+02:00", Err(ZoneError::Unknown)),
            ("../../etc/passwd", Err(ZoneError::Unknown)),
            ("/usr/share/zoneinfo/UTC", Err(ZoneError::Unknown)),
            ("Europe/London\n", Ok("Europe/London")),
            ("Europe/Lon\u{0}don", Err(ZoneError::Unknown)),
        ];
        for (raw, expected) in cases {
            let got = TimeZoneName::parse(raw).map(|z| z.as_str().to_owned());
            assert_eq!(got, expected.map(str::to_owned), "{raw:?}");
        }
        assert_eq!(
            TimeZoneName::parse(&"A".repeat(65)).unwrap_err(),
            ZoneError::TooLong
        );
        assert!(ZoneError::Unknown.to_string().contains("time_zone"));
    }

    #[test]
    fn the_list_holds_the_common_zones_and_serde_checks() {
        let all = TimeZoneName::all();
        assert!(all.len() > 300, "{}", all.len());
        for name in ["UTC", "Europe/London", "Asia/Tokyo", "America/Sao_Paulo"] {
            assert!(all.iter().any(|n| n == name), "{name}");
        }
        assert!(all.windows(2).all(|w| w[0] <= w[1]));
        let ok: TimeZoneName = serde_json::from_str("\"Asia/Tokyo\"").unwrap();
        assert_eq!(ok, zone("Asia/Tokyo"));
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"Asia/Tokyo\"");
        let err = serde_json::from_str::<TimeZoneName>("\"Nowhere/At_All\"").unwrap_err();
        assert!(err.to_string().contains("time_zone"), "{err}");
        assert_eq!(TimeZoneName::default().as_str(), "UTC");
    }
}
