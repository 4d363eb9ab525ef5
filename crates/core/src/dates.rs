//! Calendar arithmetic on Unix times (UTC): a date to show, an ISO week to
//! tick. Pure functions; the caller reads the clock.

/// The civil date of a Unix time, as `YYYY-MM-DD` (Howard Hinnant's
/// days-from-civil algorithm, inverted).
pub fn civil_date(unix: i64) -> String {
    let (y, m, d) = ymd(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The Unix time (seconds) of an RFC 3339 instant such as
/// `2026-01-31T12:00:05.123Z`.
pub fn unix_of(rfc3339: &str) -> Option<i64> {
    rfc3339
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_second())
}

/// A Unix time (seconds) as RFC 3339 in UTC, such as `2026-01-31T12:00:05Z`.
pub fn rfc3339_of(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn ymd(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days from 1970-01-01 to January 1st of `year`.
fn days_to_year(year: i64) -> i64 {
    let y = year - 1;
    let leap_days = |y: i64| y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400);
    365 * (year - 1970) + leap_days(y) - leap_days(1969)
}

/// The ISO 8601 week of a Unix time, such as `2026-W48`: weeks start on
/// Monday and belong to the year of their Thursday.
pub fn iso_week(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let weekday = (days + 3).rem_euclid(7); // 1970-01-01 was a Thursday; Monday = 0.
    let thursday = days - weekday + 3;
    let (year, _, _) = ymd(thursday);
    let ordinal = thursday - days_to_year(year);
    format!("{year}-W{:02}", ordinal / 7 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_weeks_match_the_calendar() {
        // (unix, date, ISO week), checked against Python's datetime.
        let cases = [
            (0, "1970-01-01", "1970-W01"),
            (1_795_564_800, "2026-11-25", "2026-W48"),
            (1_609_459_200, "2021-01-01", "2020-W53"),
            (1_735_516_800, "2024-12-30", "2025-W01"),
            (951_782_400, "2000-02-29", "2000-W09"),
        ];
        for (unix, date, week) in cases {
            assert_eq!(civil_date(unix), date);
            assert_eq!(iso_week(unix), week, "{date}");
        }
    }
}
