//! Days that share a month: `on 15 and 16 November`, `November 15 and 16`, `15-16 November`,
//! `between 3 and 5 March`, `May 1, 2 and 3, 2022`. Each day is a date of its own, in the month
//! and year of the day that carries them. A bare number is a day only in such a coordination:
//! joined by `and`, `or`, `to`, `through`, `-`, `–`, `&` or commas to the day that carries the
//! month, the days rising (`the 15 and 16 year olds`, `3 and 4 players` carry no month). A
//! list joined by commas closes with `and` or `or` (`November 15, 16 people` is no list).
//!
//! A range written with a dash after the month and its first day (`March 21-22`) stays one
//! date, its first day, as the development set marks it (`tests/fixtures/dates/news.txt`):
//! the bare `22` after the dash is not marked. Before the month (`15-16 November`) the first day
//! has no month of its own and is a coordinated day like `15 and 16 November`.

use time::{Date, Month};

use super::super::calendar::nearest_day;
use super::{Grammar, Match};

/// The most days one coordination holds.
const MAX_DAYS: usize = 8;

/// The words and marks that join days.
const JOINS: [&str; 8] = ["and", "or", "to", "through", "-", "\u{2013}", "&", ","];

impl Grammar<'_, '_> {
    /// A bare day joined to the day that carries its month, before or after it.
    pub(super) fn coordinated_day(&self, i: usize) -> Option<Match> {
        self.day_before_carrier(i)
            .or_else(|| self.day_after_carrier(i))
    }

    /// `[15] and 16 November`, `between [3] and 5 March`, `[15]-16 November`.
    fn day_before_carrier(&self, i: usize) -> Option<Match> {
        if self.inside_a_number(i) {
            return None;
        }
        let (end, first) = self.bare_day(i)?;
        let (mut k, mut last) = (end, first);
        for _ in 0..MAX_DAYS {
            let (after, comma) = self.join_after(k)?;
            if self.month(after).is_none()
                && let Some((_, month, day, year)) = self.month_day(after)
            {
                if day <= last || comma {
                    return None;
                }
                let carrier = carrier_day(self.doc, month, day, year)?;
                let d = Date::from_calendar_date(carrier.year(), month, first).ok()?;
                return Some(self.day_match(end, d, "coordinated-day", 0.85, year.is_some()));
            }
            let (e, day) = self.bare_day(after)?;
            if day <= last {
                return None;
            }
            (k, last) = (e, day);
        }
        None
    }

    /// `November 15 and [16]`, `May 1, [2] and [3, 2022]`; not the `22` of `March 21-22`.
    fn day_after_carrier(&self, i: usize) -> Option<Match> {
        let (end, day) = self.bare_day(i)?;
        if !self.list_closes(i, end) {
            return None;
        }
        let dashed = i
            .checked_sub(1)
            .is_some_and(|b| self.is(b, "-") || self.is(b, "\u{2013}"));
        if dashed {
            return None;
        }
        let (mut k, mut next) = (i, day);
        for _ in 0..MAX_DAYS {
            let join = self.join_before(k)?;
            let (num, d) = self.day_ending_at(join)?;
            if d >= next {
                return None;
            }
            if let Some(month) = self.month_ending_at(num) {
                let year = self.chain_year(end);
                let carrier = carrier_day(self.doc, month, d, year)?;
                let date = Date::from_calendar_date(carrier.year(), month, day).ok()?;
                let span_end = self.trailing_year(end).map_or(end, |(n, _)| n);
                return Some(self.day_match(
                    span_end,
                    date,
                    "coordinated-day",
                    0.85,
                    year.is_some(),
                ));
            }
            (k, next) = (num, d);
        }
        None
    }

    /// A day of the month that is no count of something (`16-year-olds`, `16 years`).
    fn bare_day(&self, i: usize) -> Option<(usize, u8)> {
        let (end, day) = self.day(i)?;
        let hyphen_word = self.tight(end, "-")
            && self
                .tok(end + 1)
                .is_some_and(|t| !t.gap && t.kind == super::Kind::Word);
        let counted = ["year", "years", "per", "percent"]
            .iter()
            .any(|w| self.is(end, w));
        (!hyphen_word && !counted && self.month(end).is_none() && !self.is(end, "of"))
            .then_some((end, day))
    }

    /// Whether the number at `i` goes on one before it (`2.15`, `$15`, `No. 15`).
    fn inside_a_number(&self, i: usize) -> bool {
        let Some(before) = i.checked_sub(1).and_then(|b| self.tok(b)) else {
            return false;
        };
        let tight = self.tok(i).is_some_and(|t| !t.gap);
        ["$", "£", "€", "#", "No", "no", "number"].contains(&before.text)
            || (tight
                && (before.kind == super::Kind::Number
                    || [".", ",", ":", "/", "-", "\u{2013}"].contains(&before.text)))
    }

    /// The token after a join starting at `k` (`, and` is one join), and whether the join is
    /// a bare comma.
    fn join_after(&self, k: usize) -> Option<(usize, bool)> {
        let t = self.tok(k)?;
        if t.text == "," && (self.is(k + 1, "and") || self.is(k + 1, "or")) {
            return Some((k + 2, false));
        }
        JOINS
            .iter()
            .any(|j| t.is(j))
            .then_some((k + 1, t.text == ","))
    }

    /// Whether the list that the day from `start` to `end` is in closes with another join
    /// than a bare comma: the last join, the one before the day or one after it, is a word or
    /// a dash.
    fn list_closes(&self, start: usize, end: usize) -> bool {
        let mut comma = self
            .join_before(start)
            .is_some_and(|j| self.is(j, ",") && !self.is(j + 1, "and") && !self.is(j + 1, "or"));
        let mut k = end;
        for _ in 0..MAX_DAYS {
            let Some((after, bare)) = self.join_after(k) else {
                break;
            };
            let Some((e, _)) = self.bare_day(after) else {
                break;
            };
            (k, comma) = (e, bare);
        }
        !comma
    }

    /// The first token of a join ending just before `k`.
    fn join_before(&self, k: usize) -> Option<usize> {
        let last = k.checked_sub(1)?;
        let t = self.tok(last)?;
        if (t.is("and") || t.is("or")) && last >= 1 && self.tight(last - 1, ",") {
            return Some(last - 1);
        }
        JOINS.iter().any(|j| t.is(j)).then_some(last)
    }

    /// The day whose tokens end just before `k` (`16`, `16th`), and where it starts.
    fn day_ending_at(&self, k: usize) -> Option<(usize, u8)> {
        [1, 2].into_iter().find_map(|back| {
            let start = k.checked_sub(back)?;
            self.day(start)
                .filter(|(end, _)| *end == k)
                .map(|(_, d)| (start, d))
        })
    }

    /// The month name whose tokens end just before `k` (`November`, `Nov.`).
    fn month_ending_at(&self, k: usize) -> Option<Month> {
        [1, 2].into_iter().find_map(|back| {
            let start = k.checked_sub(back)?;
            self.month(start)
                .filter(|(end, _)| *end == k)
                .map(|(_, m)| m)
        })
    }

    /// The year written after the last day of a coordination going on from `k`
    /// (`November 15 and 16, 2022`).
    pub(super) fn chain_year(&self, k: usize) -> Option<i32> {
        let mut k = k;
        for _ in 0..MAX_DAYS {
            if let Some((_, y)) = self.trailing_year(k) {
                return Some(y);
            }
            let (after, _) = self.join_after(k)?;
            let (e, _) = self.bare_day(after)?;
            k = e;
        }
        None
    }
}

/// The day that carries the month: in its year when written, else nearest `doc`.
fn carrier_day(doc: Date, month: Month, day: u8, year: Option<i32>) -> Option<Date> {
    match year {
        Some(y) => Date::from_calendar_date(y, month, day).ok(),
        None => nearest_day(doc, month, day),
    }
}
