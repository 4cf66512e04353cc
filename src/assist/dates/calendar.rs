//! Calendar arithmetic for the date finder: what a found expression means, at its own
//! granularity, and how a partial date (no year, a weekday) is placed near the document date.

use time::{Date, Duration, Month, Weekday};

/// What a date expression denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Year(i32),
    Month(i32, Month),
    /// An ISO week: its ISO year and number.
    Week(i32, u8),
    Day(Date),
    /// A day and a time of day (hours, minutes).
    Time(Date, u8, u8),
}

impl When {
    /// The ISO 8601 value (`2021`, `2021-09`, `2021-W41`, `2021-10-18`, `2020-11-03T20:00`).
    pub fn iso(&self) -> String {
        match *self {
            When::Year(y) => format!("{y:04}"),
            When::Month(y, m) => format!("{y:04}-{:02}", u8::from(m)),
            When::Week(y, w) => format!("{y:04}-W{w:02}"),
            When::Day(d) => day_iso(d),
            When::Time(d, h, m) => format!("{}T{h:02}:{m:02}", day_iso(d)),
        }
    }

    /// The ISO week holding `day`.
    pub fn week_of(day: Date) -> Self {
        let (year, week, _) = day.to_iso_week_date();
        When::Week(year, week)
    }
}

fn day_iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `day` moved by `days` (saturating at the ends of the calendar the crate knows).
pub fn add_days(day: Date, days: i64) -> Date {
    day.checked_add(Duration::days(days)).unwrap_or(day)
}

/// The month `months` after (or before, when negative) the month of `day`.
pub fn add_months(day: Date, months: i32) -> (i32, Month) {
    let index = day.year() * 12 + i32::from(u8::from(day.month())) - 1 + months;
    let year = index.div_euclid(12);
    let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
    (year, Month::try_from(month).unwrap_or(Month::January))
}

/// The day `month`/`day` in the year that puts it nearest `doc` (news speaks of dates within
/// months of its own); `None` when no such day exists (February 30).
pub fn nearest_day(doc: Date, month: Month, day: u8) -> Option<Date> {
    (doc.year() - 1..=doc.year() + 1)
        .filter_map(|y| Date::from_calendar_date(y, month, day).ok())
        .min_by_key(|d| (*d - doc).whole_days().abs())
}

/// The day `month`/`day` that falls on `weekday` nearest `doc` (within a dozen years), or
/// [`nearest_day`] when none does (a wrong weekday in the text).
pub fn with_weekday(doc: Date, month: Month, day: u8, weekday: Weekday) -> Option<Date> {
    with_weekday_toward(doc, month, day, weekday, None)
}

/// [`with_weekday`], but the last such day not after `doc` when `past` is `Some(true)` (the
/// sentence speaks of the past: `said on Monday (Oct. 18)`), the first not before it when
/// `Some(false)`; the nearest when there is none that side, or when `past` is `None`.
pub fn with_weekday_toward(
    doc: Date,
    month: Month,
    day: u8,
    weekday: Weekday,
    past: Option<bool>,
) -> Option<Date> {
    let years = || {
        (doc.year() - 12..=doc.year() + 12)
            .filter_map(|y| Date::from_calendar_date(y, month, day).ok())
            .filter(|d| d.weekday() == weekday)
    };
    let toward = match past {
        Some(true) => years().filter(|d| *d <= doc).max(),
        Some(false) => years().filter(|d| *d >= doc).min(),
        None => None,
    };
    if toward.is_some() {
        return toward;
    }
    years()
        .min_by_key(|d| (*d - doc).whole_days().abs())
        .or_else(|| nearest_day(doc, month, day))
}

/// The month `month` in the year that puts it nearest the month of `doc` (a tie goes to the
/// past).
pub fn nearest_month(doc: Date, month: Month) -> (i32, Month) {
    let here = doc.year() * 12 + i32::from(u8::from(doc.month()));
    let best = (doc.year() - 1..=doc.year() + 1)
        .min_by_key(|y| {
            let there = y * 12 + i32::from(u8::from(month));
            ((there - here).abs(), there > here)
        })
        .unwrap_or(doc.year());
    (best, month)
}

/// Which occurrence of a weekday a bare name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The last one up to and including the document date (`said on Monday`).
    PastOrToday,
    /// Strictly before (`last Monday`).
    Past,
    /// Strictly after (`will meet on Friday`, `next Friday`).
    Future,
    /// In the document date's ISO week (`this Friday`).
    ThisWeek,
}

/// The `weekday` meant from `doc` in `direction`.
pub fn weekday_near(doc: Date, weekday: Weekday, direction: Direction) -> Date {
    let back = i64::from(doc.weekday().number_days_from_monday())
        - i64::from(weekday.number_days_from_monday());
    let back = back.rem_euclid(7);
    match direction {
        Direction::PastOrToday => add_days(doc, -back),
        Direction::Past => add_days(doc, -(if back == 0 { 7 } else { back })),
        Direction::Future => add_days(doc, 7 - back),
        Direction::ThisWeek => add_days(
            doc,
            i64::from(weekday.number_days_from_monday())
                - i64::from(doc.weekday().number_days_from_monday()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn partial_dates_land_near_the_document() {
        let doc = date!(2021 - 10 - 19);
        assert_eq!(
            nearest_day(doc, Month::October, 18),
            Some(date!(2021 - 10 - 18))
        );
        assert_eq!(
            nearest_day(date!(2021 - 01 - 04), Month::December, 28),
            Some(date!(2020 - 12 - 28))
        );
        assert_eq!(nearest_day(doc, Month::February, 30), None);
        // 3 November was a Tuesday in 2020, not in 2021.
        assert_eq!(
            with_weekday(doc, Month::November, 3, Weekday::Tuesday),
            Some(date!(2020 - 11 - 03))
        );
        assert_eq!(
            nearest_month(doc, Month::September),
            (2021, Month::September)
        );
        assert_eq!(
            nearest_month(date!(2021 - 02 - 01), Month::November),
            (2020, Month::November)
        );
        assert_eq!(
            add_months(date!(2021 - 01 - 15), -1),
            (2020, Month::December)
        );
        assert_eq!(When::week_of(date!(2021 - 10 - 18)).iso(), "2021-W42");
        assert_eq!(When::week_of(date!(2021 - 01 - 01)).iso(), "2020-W53");
    }

    #[test]
    fn weekdays_by_direction() {
        let tuesday = date!(2021 - 10 - 19);
        let near = |w, d| weekday_near(tuesday, w, d);
        assert_eq!(
            near(Weekday::Monday, Direction::PastOrToday),
            date!(2021 - 10 - 18)
        );
        assert_eq!(near(Weekday::Tuesday, Direction::PastOrToday), tuesday);
        assert_eq!(
            near(Weekday::Tuesday, Direction::Past),
            date!(2021 - 10 - 12)
        );
        assert_eq!(
            near(Weekday::Monday, Direction::Future),
            date!(2021 - 10 - 25)
        );
        assert_eq!(
            near(Weekday::Friday, Direction::Future),
            date!(2021 - 10 - 22)
        );
        assert_eq!(
            near(Weekday::Sunday, Direction::ThisWeek),
            date!(2021 - 10 - 24)
        );
    }
}
