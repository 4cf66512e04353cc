//! ISO 8601 values of dates (the `iso` attribute of a date span), checked against the real
//! calendar. A value has its own granularity: a year `2021`, a month `2021-09`, an ISO week
//! `2021-W41`, a day `2021-10-18`, or a time of day `2020-11-03T20:00` (seconds and a zone
//! `Z` / `±hh:mm` optional).
//!
//! Used by the details panel (what may be typed), `spanmark validate` (what a file may hold)
//! and the date finder (what it writes). [`check`] is a plain function so per-label attribute
//! types can call it too.

use std::fmt;

/// How fine an ISO value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Granularity {
    Year,
    Month,
    Week,
    Day,
    /// A day with a time of day (`T20:00`, `T20:00:30Z`, `T20:00+02:00`).
    Time,
}

impl Granularity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Granularity::Year => "year",
            Granularity::Month => "month",
            Granularity::Week => "week",
            Granularity::Day => "day",
            Granularity::Time => "time",
        }
    }
}

impl fmt::Display for Granularity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a value is not an ISO date we accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IsoError {
    #[error(
        "{0:?} is not an ISO 8601 date: write YYYY, YYYY-MM, YYYY-Www, YYYY-MM-DD or YYYY-MM-DDThh:mm"
    )]
    Form(String),
    #[error("{0:?} is not a day of the calendar")]
    NoSuchDay(String),
    #[error("{0:?} has no such month")]
    NoSuchMonth(String),
    #[error("{0:?}: that year has no such ISO week")]
    NoSuchWeek(String),
    #[error("{0:?} is not a time of day")]
    NoSuchTime(String),
}

/// The granularity of `value` when it is an ISO 8601 date we accept, else why not.
///
/// ```
/// use spanmark::model::iso::{check, Granularity};
/// assert_eq!(check("2021-W41"), Ok(Granularity::Week));
/// assert!(check("2021-02-31").is_err());
/// ```
pub fn check(value: &str) -> Result<Granularity, IsoError> {
    let form = || IsoError::Form(value.to_string());
    let (date, clock) = match value.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let year = parts
        .first()
        .and_then(|y| number(y, 4))
        .and_then(|y| i32::try_from(y).ok())
        .ok_or_else(form)?;
    let granularity = match parts.as_slice() {
        [_] => Granularity::Year,
        [_, w] if w.starts_with('W') => {
            let week = number(&w[1..], 2).ok_or_else(form)?;
            let weeks = time::util::weeks_in_year(year);
            if week == 0 || week > u32::from(weeks) {
                return Err(IsoError::NoSuchWeek(value.to_string()));
            }
            Granularity::Week
        }
        [_, m] => {
            month(m, value)?;
            Granularity::Month
        }
        [_, m, d] => {
            let month = month(m, value)?;
            let day = number(d, 2).ok_or_else(form)?;
            let day = u8::try_from(day).map_err(|_| form())?;
            time::Date::from_calendar_date(year, month, day)
                .map_err(|_| IsoError::NoSuchDay(value.to_string()))?;
            Granularity::Day
        }
        _ => return Err(form()),
    };
    match clock {
        None => Ok(granularity),
        Some(_) if granularity != Granularity::Day => Err(form()),
        Some(t) => {
            time_of_day(t).ok_or_else(|| IsoError::NoSuchTime(value.to_string()))?;
            Ok(Granularity::Time)
        }
    }
}

/// Whether `value` is accepted by [`check`].
pub fn is_valid(value: &str) -> bool {
    check(value).is_ok()
}

/// `s` as a number when it is exactly `width` ASCII digits.
fn number(s: &str, width: usize) -> Option<u32> {
    (s.len() == width && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn month(m: &str, value: &str) -> Result<time::Month, IsoError> {
    let n = number(m, 2).ok_or_else(|| IsoError::Form(value.to_string()))?;
    u8::try_from(n)
        .ok()
        .and_then(|n| time::Month::try_from(n).ok())
        .ok_or_else(|| IsoError::NoSuchMonth(value.to_string()))
}

/// `hh:mm[:ss][Z|±hh:mm]`, in range.
fn time_of_day(t: &str) -> Option<()> {
    let (clock, zone) = if let Some(c) = t.strip_suffix('Z') {
        (c, None)
    } else if let Some(at) = t.find(['+', '-']) {
        (&t[..at], Some(&t[at + 1..]))
    } else {
        (t, None)
    };
    let p: Vec<&str> = clock.split(':').collect();
    let (h, m, s) = match p.as_slice() {
        [h, m] => (number(h, 2)?, number(m, 2)?, 0),
        [h, m, s] => (number(h, 2)?, number(m, 2)?, number(s, 2)?),
        _ => return None,
    };
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    if let Some(zone) = zone {
        let (zh, zm) = zone.split_once(':')?;
        if number(zh, 2)? > 23 || number(zm, 2)? > 59 {
            return None;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granularities() {
        for (value, g) in [
            ("2021", Granularity::Year),
            ("2021-09", Granularity::Month),
            ("2021-W41", Granularity::Week),
            ("2020-W53", Granularity::Week),
            ("2021-10-18", Granularity::Day),
            ("2024-02-29", Granularity::Day),
            ("2020-11-03T20:00", Granularity::Time),
            ("2021-10-18T10:30:00Z", Granularity::Time),
            ("2021-10-18T10:30+02:00", Granularity::Time),
            ("2021-10-18T10:30-05:00", Granularity::Time),
        ] {
            assert_eq!(check(value), Ok(g), "{value}");
        }
    }

    #[test]
    fn refusals_say_why() {
        assert!(matches!(check("2021-02-31"), Err(IsoError::NoSuchDay(_))));
        assert!(matches!(check("2023-02-29"), Err(IsoError::NoSuchDay(_))));
        assert!(matches!(check("2021-13"), Err(IsoError::NoSuchMonth(_))));
        assert!(matches!(check("2021-W53"), Err(IsoError::NoSuchWeek(_))));
        assert!(matches!(check("2021-W00"), Err(IsoError::NoSuchWeek(_))));
        assert!(matches!(
            check("2021-10-18T25:00"),
            Err(IsoError::NoSuchTime(_))
        ));
        for bad in [
            "",
            "Monday",
            "21-10-18",
            "2021/10/18",
            "2021-10-18T25",
            "2021-10T10:00",
            "2021-W4",
            "2021-10-18-01",
            "2021-10-18T10:61",
            "२०२१",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
        let message = check("2021-02-31").unwrap_err().to_string();
        assert!(message.contains("2021-02-31"), "{message}");
    }
}
