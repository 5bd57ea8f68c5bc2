//! Instants and days of an archive: RFC 3339 times with their offset, or
//! naive local times taken as Beijing time (UTC+8, no daylight saving since
//! 1991, so a fixed offset is exact for every date an archive holds).

use serde::{Serialize, Serializer};
use std::fmt;
use xianshen::Date;

/// Beijing time's offset from UTC, in seconds.
const BEIJING: i64 = 8 * 3600;

/// An instant, to the second, as read from an archive.
///
/// # Examples
///
/// ```
/// use xianshen_audit::Timestamp;
/// let a = Timestamp::parse("2026-01-01T00:30:00+08:00").unwrap();
/// let b = Timestamp::parse("2025-12-31T16:30:00Z").unwrap();
/// let c = Timestamp::parse("2026-01-01 00:30").unwrap(); // naive: Beijing time
/// assert!(a == b && b == c);
/// assert_eq!(a.beijing_date().to_string(), "2026-01-01");
/// assert_eq!(b.to_string(), "2026-01-01T00:30:00+08:00");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    unix: i64,
}

/// The offset from UTC, in seconds, of the zone after a time of day:
/// none (Beijing time), `Z`, `±HH:MM` or `±HHMM`; `Err` is the reason it
/// is refused.
fn utc_offset(zone: &[u8]) -> Result<i64, &'static str> {
    match zone {
        [] => Ok(BEIJING),
        [b'Z' | b'z'] => Ok(0),
        [sign @ (b'+' | b'-'), ..] => {
            let z = &zone[1..];
            let digits = |d: &[u8]| {
                (d.len() == 2 && d.iter().all(u8::is_ascii_digit))
                    .then(|| i64::from(d[0] - b'0') * 10 + i64::from(d[1] - b'0'))
            };
            let (zh, zm) = match z.len() {
                5 if z[2] == b':' => (digits(&z[..2]), digits(&z[3..])),
                4 => (digits(&z[..2]), digits(&z[2..])),
                _ => (None, None),
            };
            match (zh, zm) {
                (Some(zh), Some(zm)) if zh <= 23 && zm <= 59 => {
                    let o = zh * 3600 + zm * 60;
                    Ok(if *sign == b'-' { -o } else { o })
                }
                _ => Err("bad UTC offset (expected Z, +HH:MM or -HH:MM)"),
            }
        }
        _ => Err("unexpected text after the time"),
    }
}

/// Why a time was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("time {text:?} is not RFC 3339 (2026-12-07T09:30:00+08:00) nor YYYY-MM-DD[ HH:MM[:SS]]: {reason}")]
pub struct TimeError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM[:SS[.frac]](Z|±HH:MM|±HHMM)`, the same with a
    /// space for `T`, and without an offset (Beijing time), or a bare
    /// `YYYY-MM-DD` (its midnight, Beijing time). Fractions of a second are
    /// dropped.
    ///
    /// # Errors
    ///
    /// [`TimeError`] for any other form, or a day or time that does not
    /// exist.
    pub fn parse(text: &str) -> Result<Timestamp, TimeError> {
        let err = |reason| TimeError {
            text: text.to_string(),
            reason,
        };
        let s = text.trim();
        let b = s.as_bytes();
        if b.len() < 10 || !s.is_char_boundary(10) {
            return Err(err("too short"));
        }
        let date: Date = s[..10].parse().map_err(|_| err("no such date"))?;
        let mut secs = 0i64;
        let mut offset = BEIJING;
        let rest = &b[10..];
        if !rest.is_empty() {
            if rest[0] != b'T' && rest[0] != b't' && rest[0] != b' ' {
                return Err(err("expected T or a space after the date"));
            }
            let rest = &rest[1..];
            let two = |at: usize| -> Option<i64> {
                let d = rest.get(at..at + 2)?;
                (d[0].is_ascii_digit() && d[1].is_ascii_digit())
                    .then(|| i64::from(d[0] - b'0') * 10 + i64::from(d[1] - b'0'))
            };
            let (h, m) = match (two(0), rest.get(2), two(3)) {
                (Some(h), Some(b':'), Some(m)) => (h, m),
                _ => return Err(err("expected HH:MM")),
            };
            let mut at = 5;
            let mut sec = 0;
            if rest.get(at) == Some(&b':') {
                sec = two(at + 1).ok_or_else(|| err("expected seconds after HH:MM:"))?;
                at += 3;
                if rest.get(at) == Some(&b'.') {
                    at += 1;
                    let digits = rest[at..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if digits == 0 {
                        return Err(err("expected digits after the decimal point"));
                    }
                    at += digits;
                }
            }
            if h > 23 || m > 59 || sec > 60 {
                return Err(err("no such time of day"));
            }
            secs = h * 3600 + m * 60 + sec.min(59);
            offset = utc_offset(&rest[at..]).map_err(err)?;
        }
        let unix = i64::from(day_number(date)) * 86_400 + secs - offset;
        Ok(Timestamp { unix })
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(self) -> i64 {
        self.unix
    }

    /// The calendar day in Beijing time: the day the deadlines and the
    /// cadence count in.
    pub fn beijing_date(self) -> Date {
        date_of_day(self.beijing_day())
    }

    /// The Beijing day as a day number (days since 1970-01-01).
    pub(crate) fn beijing_day(self) -> i32 {
        (self.unix + BEIJING).div_euclid(86_400) as i32
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in Beijing time, `2026-12-07T09:30:00+08:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.unix + BEIJING;
        let s = local.rem_euclid(86_400);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}+08:00",
            self.beijing_date(),
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Days from 1970-01-01 to `date` (the core's [`Date::unix_days`]; every
/// day a `Date` holds fits an `i32`).
pub(crate) fn day_number(date: Date) -> i32 {
    date.unix_days() as i32
}

/// The date of day number `n`, clamped to the days a [`Date`] holds.
pub(crate) fn date_of_day(n: i32) -> Date {
    Date::from_unix_days(i64::from(n))
}

/// Monday = 0 … Sunday = 6 of day number `n` (1970-01-01 was a Thursday).
pub(crate) fn weekday(n: i32) -> i32 {
    (n + 3).rem_euclid(7)
}

/// The ISO week of day `n`: its ISO year, week number and Monday.
pub(crate) fn iso_week(n: i32) -> (u32, u32, i32) {
    let monday = n - weekday(n);
    let thursday = monday + 3;
    let t = date_of_day(thursday);
    let jan1 = day_number(Date::new(t.year(), 1, 1).expect("1 January exists"));
    (t.year(), ((thursday - jan1) / 7 + 1) as u32, monday)
}

/// `2026-W49`.
pub(crate) fn week_label(year: u32, week: u32) -> String {
    format!("{year}-W{week:02}")
}

/// `2026-12`.
pub(crate) fn month_label(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// Today in Beijing, from the system clock.
pub(crate) fn today_beijing() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    date_of_day((secs + BEIJING).div_euclid(86_400) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_number(d("1970-01-01")), 0);
        assert_eq!(day_number(d("2025-12-07")), 20_429);
        for n in [-25_000, -1, 0, 59, 11_016, 20_429, 30_000] {
            assert_eq!(day_number(date_of_day(n)), n);
        }
        assert_eq!(weekday(day_number(d("2026-12-07"))), 0); // a Monday
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        let w = |s: &str| {
            let (y, n, _) = iso_week(day_number(d(s)));
            week_label(y, n)
        };
        assert_eq!(w("2020-12-31"), "2020-W53");
        assert_eq!(w("2021-01-03"), "2020-W53");
        assert_eq!(w("2021-01-04"), "2021-W01");
        assert_eq!(w("2024-12-30"), "2025-W01");
        assert_eq!(w("2026-01-01"), "2026-W01");
        assert_eq!(w("2026-12-07"), "2026-W50");
    }

    #[test]
    fn times_with_and_without_offsets() {
        let t = |s: &str| Timestamp::parse(s).map(|t| t.to_string());
        assert_eq!(t("2026-03-01").unwrap(), "2026-03-01T00:00:00+08:00");
        assert!(t("2026-03-01 9:30").is_err());
        assert_eq!(t("2026-03-01 09:30").unwrap(), "2026-03-01T09:30:00+08:00");
        assert_eq!(
            t("2026-03-01T01:02:03.250Z").unwrap(),
            "2026-03-01T09:02:03+08:00"
        );
        assert_eq!(
            t("2026-02-28T20:00:00-05:00").unwrap(),
            "2026-03-01T09:00:00+08:00"
        );
        assert_eq!(
            t("2026-03-01T09:00+0800").unwrap(),
            "2026-03-01T09:00:00+08:00"
        );
        for bad in [
            "",
            "2026-02-30",
            "2026-03-01T25:00",
            "2026-03-01T09:00+8",
            "2026/03/01",
        ] {
            assert!(t(bad).is_err(), "{bad}");
        }
        // The ends of the range do not panic.
        for edge in ["1900-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"] {
            let _ = Timestamp::parse(edge).unwrap().beijing_date();
        }
        // Late evening UTC is the next day in Beijing.
        let late = Timestamp::parse("2026-09-30T17:00:00Z").unwrap();
        assert_eq!(late.beijing_date(), d("2026-10-01"));
    }
}
