//! The screening date: what "today" is for the checks that depend on it
//! (a birth date in an ID number cannot be in the future). An explicit
//! input, recorded in every report, so that a report is a function of its
//! inputs alone.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar date (proleptic Gregorian), written `YYYY-MM-DD`.
///
/// # Examples
///
/// ```
/// use xianshen::Date;
/// let d: Date = "2026-12-07".parse().unwrap();
/// assert_eq!((d.year(), d.month(), d.day()), (2026, 12, 7));
/// assert_eq!(d.to_string(), "2026-12-07");
/// assert!("2026-02-30".parse::<Date>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Day numbers (from 1970-01-01) of the first and last day a [`Date`]
/// holds: 1900-01-01 and 9999-12-31.
const FIRST_UNIX_DAY: i64 = -25_567;
const LAST_UNIX_DAY: i64 = 2_932_896;

/// Why a date was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not `YYYY-MM-DD`.
    #[error("date {0:?} is not written YYYY-MM-DD")]
    Format(String),
    /// A month or day that does not exist, or a year outside 1900..=9999.
    #[error("date {0:?} does not exist (year 1900-9999, month 1-12, a day of that month)")]
    NoSuchDay(String),
}

impl Date {
    /// The date `year-month-day`, if it exists and the year is 1900–9999.
    ///
    /// # Errors
    ///
    /// [`DateError::NoSuchDay`] for 2026-02-30, month 13 and the like.
    pub fn new(year: u32, month: u32, day: u32) -> Result<Date, DateError> {
        let valid = (1900..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        if !valid {
            return Err(DateError::NoSuchDay(format!(
                "{year:04}-{month:02}-{day:02}"
            )));
        }
        Ok(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Today in UTC, from the system clock: what a surface passes when its
    /// caller gives no date.
    pub fn today_utc() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_unix_days((secs / 86_400) as i64)
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`), clamped to the days a `Date` holds (1900-01-01
    /// to 9999-12-31).
    ///
    /// ```
    /// use xianshen::Date;
    /// assert_eq!(Date::from_unix_days(20_429).to_string(), "2025-12-07");
    /// assert_eq!(Date::from_unix_days(-1_000_000).to_string(), "1900-01-01");
    /// let d: Date = "2024-02-29".parse().unwrap();
    /// assert_eq!(Date::from_unix_days(d.unix_days()), d);
    /// ```
    pub fn from_unix_days(days: i64) -> Date {
        let days = days.clamp(FIRST_UNIX_DAY, LAST_UNIX_DAY) + 719_468;
        let era = days.div_euclid(146_097);
        let doe = days - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Days from 1970-01-01 to this date (Howard Hinnant's
    /// `days_from_civil`; negative before 1970).
    ///
    /// ```
    /// let d: xianshen::Date = "1970-01-02".parse().unwrap();
    /// assert_eq!(d.unix_days(), 1);
    /// ```
    pub fn unix_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The year.
    pub fn year(self) -> u32 {
        u32::from(self.year)
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }
}

/// Whether `year` is a leap year.
pub(crate) fn is_leap(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The days of `month` (1–12) in `year`.
pub(crate) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let format = || DateError::Format(s.to_string());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(format());
        }
        let num = |r: std::ops::Range<usize>| {
            s[r].bytes()
                .try_fold(0u32, |n, d| {
                    d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
                })
                .ok_or_else(format)
        };
        Date::new(num(0..4)?, num(5..7)?, num(8..10)?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_days_to_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_429).to_string(), "2025-12-07");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
        assert!(Date::today_utc().year() >= 2026);
    }

    #[test]
    fn parsing_refuses_what_is_not_a_day() {
        assert_eq!("2024-02-29".parse::<Date>().unwrap().day(), 29);
        for bad in ["2023-02-29", "2026-13-01", "2026-00-10", "1899-12-31"] {
            assert!(
                matches!(bad.parse::<Date>(), Err(DateError::NoSuchDay(_))),
                "{bad}"
            );
        }
        for bad in ["2026-1-01", "20261201", "2026-01-0a", "", "２０２６-01-01"] {
            assert!(
                matches!(bad.parse::<Date>(), Err(DateError::Format(_))),
                "{bad}"
            );
        }
        let d: Date = serde_json::from_str("\"2026-12-07\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-12-07\"");
    }
}
