//! The grammar of English dates in news text, over [`tokens`](super::tokens). Each rule looks
//! at the tokens from an index and says how far it reaches and what it means; the finder keeps
//! the longest match at each place. Spans hold the date itself, not the preposition before it
//! (`on [Sunday]`, `in [September]`); `last`, `next` and `this` are part of it (`[last week]`).

use time::{Date, Month, Weekday};

use super::calendar::{
    Direction, When, add_days, add_months, nearest_day, weekday_near, with_weekday_toward,
};
mod coordinated;

use super::tense::{Tense, tense_before};
use super::tokens::{Kind, Token};

/// A match: the token index after it, its meaning, the rule's name and how sure it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub next: usize,
    pub when: When,
    pub rule: &'static str,
    pub score: f32,
    /// Whether the text gives the year itself (no document date was needed).
    pub anchored: bool,
}

/// The tokens and the document date the relative expressions count from.
pub struct Grammar<'t, 'a> {
    pub toks: &'t [Token<'a>],
    pub doc: Date,
}

const MONTHS: [(&str, &str, Month); 12] = [
    ("january", "jan", Month::January),
    ("february", "feb", Month::February),
    ("march", "mar", Month::March),
    ("april", "apr", Month::April),
    ("may", "may", Month::May),
    ("june", "jun", Month::June),
    ("july", "jul", Month::July),
    ("august", "aug", Month::August),
    ("september", "sep", Month::September),
    ("october", "oct", Month::October),
    ("november", "nov", Month::November),
    ("december", "dec", Month::December),
];

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

/// Words before a bare month or year that make it a date (`in September`, `since 2014`).
const TRIGGERS: [&str; 20] = [
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "during",
    "through",
    "throughout",
    "of",
    "early",
    "late",
    "before",
    "after",
    "between",
    "and",
    "to",
    "mid",
    "around",
    "for",
];

/// The month `month` meant from `doc`: the coming one (or this one) when the clause speaks of
/// the future, else the last one (or this one) unless it is the very next month. A past verb
/// does not rule the next month out: the month may be that of a planned thing the verb names
/// (`called for hearings in April`).
fn month_meant(doc: Date, month: Month, tense: Tense) -> (i32, Month) {
    let ahead = (i32::from(u8::from(month)) - i32::from(u8::from(doc.month()))).rem_euclid(12);
    if tense == Tense::Ahead || ahead == 1 {
        add_months(doc, ahead)
    } else {
        add_months(doc, if ahead == 0 { 0 } else { ahead - 12 })
    }
}

fn number_word(t: &Token<'_>) -> Option<i64> {
    if let Some(n) = t.number() {
        return Some(i64::from(n));
    }
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    if t.is("a") || t.is("an") {
        return Some(1);
    }
    words
        .iter()
        .position(|w| t.is(w))
        .and_then(|p| i64::try_from(p + 1).ok())
}

impl<'t, 'a> Grammar<'t, 'a> {
    fn tok(&self, i: usize) -> Option<&'t Token<'a>> {
        self.toks.get(i)
    }

    /// The token at `i` is `s` (any case).
    fn is(&self, i: usize, s: &str) -> bool {
        self.tok(i).is_some_and(|t| t.is(s))
    }

    /// The token at `i` is the punctuation `s` with no space before it.
    fn tight(&self, i: usize, s: &str) -> bool {
        self.tok(i).is_some_and(|t| !t.gap && t.text == s)
    }

    /// The token at `i` is a number of exactly `digits` digits, written tight to the one before
    /// when `tight`.
    fn digits(&self, i: usize, digits: &[usize], tight: bool) -> Option<u32> {
        let t = self.tok(i)?;
        (t.kind == Kind::Number && digits.contains(&t.text.len()) && (!tight || !t.gap))
            .then(|| t.number())
            .flatten()
    }

    /// Whether the number ending before `i` goes on (`2,000`, `3.5`, `12:30`, `18km`, `20%`).
    fn number_goes_on(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else { return false };
        if t.gap {
            return false;
        }
        match t.kind {
            Kind::Word | Kind::Number => true,
            Kind::Punct => {
                t.text == "%"
                    || ([",", ".", ":", "/", "-"].contains(&t.text)
                        && self
                            .tok(i + 1)
                            .is_some_and(|n| !n.gap && n.kind == Kind::Number))
            }
        }
    }

    /// A month name (capitalised), with the full stop of an abbreviation.
    fn month(&self, i: usize) -> Option<(usize, Month)> {
        let t = self.tok(i)?;
        if t.kind != Kind::Word || !t.capitalised() {
            return None;
        }
        let lower = t.text.to_lowercase();
        let (full, _, month) = MONTHS.iter().find(|(full, short, _)| {
            lower == *full || lower == *short || (*short == "sep" && lower == "sept")
        })?;
        let dot = self.tight(i + 1, ".");
        if lower != *full && !dot && lower.len() < 3 {
            return None;
        }
        Some((if dot && lower != *full { i + 2 } else { i + 1 }, *month))
    }

    fn weekday(&self, i: usize) -> Option<(usize, Weekday)> {
        let t = self.tok(i)?;
        if t.kind != Kind::Word || !t.capitalised() {
            return None;
        }
        let lower = t.text.to_lowercase();
        let (_, w) = WEEKDAYS.iter().find(|(name, _)| lower == *name)?;
        Some((i + 1, *w))
    }

    /// A day of the month: `18`, `18th`, `1st`.
    fn day(&self, i: usize) -> Option<(usize, u8)> {
        let n = self.digits(i, &[1, 2], false)?;
        let day = u8::try_from(n).ok().filter(|d| (1..=31).contains(d))?;
        let mut next = i + 1;
        if self
            .tok(next)
            .is_some_and(|t| !t.gap && ["st", "nd", "rd", "th"].iter().any(|s| t.is(s)))
        {
            next += 1;
        }
        // A range of days (`March 21-22`) gives its first day.
        let range = self.tight(next, "-") && self.digits(next + 1, &[1, 2], true).is_some();
        (range || !self.number_goes_on(next)).then_some((next, day))
    }

    /// A year of four digits, not part of a longer number or a range (`2021-22`).
    fn year(&self, i: usize) -> Option<(usize, i32)> {
        let n = self.digits(i, &[4], false)?;
        let y = i32::try_from(n)
            .ok()
            .filter(|y| (1800..=2199).contains(y))?;
        (!self.number_goes_on(i + 1)).then_some((i + 1, y))
    }

    /// `, 2021` or ` 2021` after a month and day.
    fn trailing_year(&self, i: usize) -> Option<(usize, i32)> {
        let at = if self.tight(i, ",") { i + 1 } else { i };
        self.year(at)
    }

    /// A month and day with perhaps a year: `Oct. 18`, `18 October 2021`, `October 18, 2021`,
    /// `18th of October`.
    fn month_day(&self, i: usize) -> Option<(usize, Month, u8, Option<i32>)> {
        let (next, month, day) = if let Some((n, m)) = self.month(i) {
            let (n, d) = self.day(n)?;
            (n, m, d)
        } else {
            let (n, d) = self.day(i)?;
            let n = if self.is(n, "of") { n + 1 } else { n };
            let (n, m) = self.month(n)?;
            (n, m, d)
        };
        match self.trailing_year(next) {
            Some((n, y)) => Some((n, month, day, Some(y))),
            None => Some((next, month, day, None)),
        }
    }

    /// `2021-10-18`.
    fn iso_day(&self, i: usize) -> Option<(usize, Date)> {
        let y = self.digits(i, &[4], false)?;
        if !self.tight(i + 1, "-") || !self.tight(i + 3, "-") {
            return None;
        }
        let m = self.digits(i + 2, &[2], true)?;
        let d = self.digits(i + 4, &[2], true)?;
        if self.number_goes_on(i + 5) {
            return None;
        }
        let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
        let date = Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?);
        Some((i + 5, date.ok()?))
    }

    /// `12/02/2017`: day and month in either order, the reading nearest the document date
    /// when both are possible.
    fn slash_day(&self, i: usize) -> Option<(usize, Date)> {
        let a = self.digits(i, &[1, 2], false)?;
        if !self.tight(i + 1, "/") || !self.tight(i + 3, "/") {
            return None;
        }
        let b = self.digits(i + 2, &[1, 2], true)?;
        let y = self.digits(i + 4, &[2, 4], true)?;
        if self.number_goes_on(i + 5) {
            return None;
        }
        let y = i32::try_from(if y < 100 { 2000 + y } else { y }).ok()?;
        let reading = |m: u32, d: u32| {
            let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
            Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
        };
        let best = [reading(a, b), reading(b, a)]
            .into_iter()
            .flatten()
            .min_by_key(|d| (*d - self.doc).whole_days().abs())?;
        Some((i + 5, best))
    }

    /// A calendar day written out, placed near the document date when it has no year.
    fn calendar_day(&self, i: usize) -> Option<Match> {
        if let Some((next, d)) = self.iso_day(i) {
            return Some(self.day_match(next, d, "iso-date", 0.98, true));
        }
        if let Some((next, d)) = self.slash_day(i) {
            return Some(self.day_match(next, d, "numeric-date", 0.85, true));
        }
        let (next, month, day, year) = self.month_day(i)?;
        match year {
            Some(y) => {
                let d = Date::from_calendar_date(y, month, day).ok()?;
                Some(self.day_match(next, d, "month-day-year", 0.97, true))
            }
            None => match self.chain_year(next) {
                // `November 15 and 16, 2022`: the year after the last day is the first's too.
                Some(y) => {
                    let d = Date::from_calendar_date(y, month, day).ok()?;
                    Some(self.day_match(next, d, "month-day", 0.92, true))
                }
                None => {
                    let d = nearest_day(self.doc, month, day)?;
                    Some(self.day_match(next, d, "month-day", 0.92, false))
                }
            },
        }
    }

    fn day_match(
        &self,
        next: usize,
        d: Date,
        rule: &'static str,
        score: f32,
        anchored: bool,
    ) -> Match {
        Match {
            next,
            when: When::Day(d),
            rule,
            score,
            anchored,
        }
    }

    /// `Monday (Oct. 18)`, `Tuesday, Nov. 3`, `Monday, October 18, 2021`: the weekday fixes
    /// the year when none is written.
    fn weekday_date(&self, i: usize) -> Option<Match> {
        let (mut n, weekday) = self.weekday(i)?;
        if self.tight(n, ",") {
            n += 1;
        }
        let paren = self.is(n, "(");
        if paren {
            n += 1;
        }
        let (mut next, month, day, year) = self.month_day(n)?;
        if paren {
            if !self.is(next, ")") {
                return None;
            }
            next += 1;
        }
        let (d, anchored) = match year {
            Some(y) => (Date::from_calendar_date(y, month, day).ok()?, true),
            // The year in which the day has that weekday, on the side of the document date
            // the sentence speaks of (`said on Monday (Oct. 18)`: the last such Monday).
            None => {
                let past = match self.tense_before(i) {
                    Tense::Behind => Some(true),
                    Tense::Ahead => Some(false),
                    Tense::Unmarked => None,
                };
                (
                    with_weekday_toward(self.doc, month, day, weekday, past)?,
                    true,
                )
            }
        };
        Some(self.day_match(next, d, "weekday-date", 0.97, anchored))
    }

    /// What the clause before token `i` says of its time (`will meet on`, `met on`).
    fn tense_before(&self, i: usize) -> Tense {
        tense_before(self.toks, i)
    }

    /// `today`, `yesterday`, `last night`, `Sunday`, `last Friday`, `three days ago`.
    fn relative_day(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let found = |next, d, rule, score| Some(self.day_match(next, d, rule, score, false));
        let doc = self.doc;
        for (word, days) in [
            ("today", 0),
            ("tonight", 0),
            ("yesterday", -1),
            ("tomorrow", 1),
        ] {
            if t.is(word) {
                return found(i + 1, add_days(doc, days), "relative-day", 0.95);
            }
        }
        if t.is("last") && self.is(i + 1, "night") {
            return found(i + 2, add_days(doc, -1), "relative-day", 0.9);
        }
        if t.is("this")
            && ["morning", "afternoon", "evening"]
                .iter()
                .any(|w| self.is(i + 1, w))
        {
            return found(i + 2, doc, "relative-day", 0.9);
        }
        if let Some(n) = number_word(t).filter(|_| self.is(i + 2, "ago"))
            && (self.is(i + 1, "days") || self.is(i + 1, "day"))
        {
            return found(i + 3, add_days(doc, -n), "days-ago", 0.9);
        }
        let direction = [
            ("last", Direction::Past),
            ("next", Direction::Future),
            ("this", Direction::ThisWeek),
        ]
        .into_iter()
        .find(|(w, _)| t.is(w));
        if let Some((_, direction)) = direction {
            let (next, w) = self.weekday(i + 1)?;
            return found(
                next,
                weekday_near(doc, w, direction),
                "relative-weekday",
                0.9,
            );
        }
        let (next, w) = self.weekday(i)?;
        let direction = if self.tense_before(i) == Tense::Ahead {
            Direction::Future
        } else {
            Direction::PastOrToday
        };
        found(next, weekday_near(doc, w, direction), "weekday", 0.8)
    }

    /// Any expression of a single day.
    fn any_day(&self, i: usize) -> Option<Match> {
        [
            self.weekday_date(i),
            self.calendar_day(i),
            self.relative_day(i),
            self.coordinated_day(i),
        ]
        .into_iter()
        .flatten()
        .max_by_key(|m| m.next)
    }

    /// `8 p.m.`, `10:30 a.m.`, `noon`, `20:00`.
    fn clock(&self, i: usize) -> Option<(usize, u8, u8)> {
        let t = self.tok(i)?;
        if t.is("noon") || t.is("midday") {
            return Some((i + 1, 12, 0));
        }
        if t.is("midnight") {
            return Some((i + 1, 0, 0));
        }
        let h = u8::try_from(self.digits(i, &[1, 2], false)?).ok()?;
        let (mut n, m) = if self.tight(i + 1, ":") {
            (i + 3, u8::try_from(self.digits(i + 2, &[2], true)?).ok()?)
        } else {
            (i + 1, 0)
        };
        if m > 59 {
            return None;
        }
        let meridiem = if self.is(n, "am") || self.is(n, "pm") {
            let pm = self.is(n, "pm");
            n += 1;
            Some(pm)
        } else if (self.is(n, "a") || self.is(n, "p"))
            && self.tight(n + 1, ".")
            && self.tok(n + 2).is_some_and(|t| !t.gap && t.is("m"))
        {
            let pm = self.is(n, "p");
            n += 3;
            if self.tight(n, ".") {
                n += 1;
            }
            Some(pm)
        } else {
            None
        };
        let hour = match meridiem {
            Some(pm) if (1..=12).contains(&h) => (h % 12) + if pm { 12 } else { 0 },
            Some(_) => return None,
            None if m > 0 || self.tight(i + 1, ":") => h,
            None => return None,
        };
        (hour < 24).then_some((n, hour, m))
    }

    /// `8 p.m. on Tuesday, Nov. 3`, `Tuesday at 3 p.m.`, `yesterday at noon`.
    fn day_and_time(&self, i: usize) -> Option<Match> {
        if let Some((n, h, m)) = self.clock(i) {
            let n = if self.is(n, "on") { n + 1 } else { n };
            let day = self.any_day(n)?;
            let Match {
                when: When::Day(d), ..
            } = day
            else {
                return None;
            };
            return Some(Match {
                when: When::Time(d, h, m),
                rule: "time-day",
                ..day
            });
        }
        let day = self.any_day(i)?;
        let When::Day(d) = day.when else { return None };
        let mut n = day.next;
        if self.tight(n, ",") {
            n += 1;
        }
        if !self.is(n, "at") {
            return None;
        }
        let (next, h, m) = self.clock(n + 1)?;
        Some(Match {
            next,
            when: When::Time(d, h, m),
            rule: "day-time",
            ..day
        })
    }

    /// Whether a bare month or year at `i` follows a word that makes it a date.
    fn triggered(&self, i: usize) -> bool {
        let Some(before) = i.checked_sub(1).and_then(|b| self.tok(b)) else {
            return false;
        };
        if TRIGGERS.iter().any(|w| before.is(w)) {
            return true;
        }
        before.text == "-" && !before.gap && i >= 2 && self.is(i - 2, "mid")
    }

    /// `September 2021`, `in September`, `last September`, `this month`, `two months ago`.
    fn month_level(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let doc = self.doc;
        let found = |next, (y, m), rule, score, anchored| {
            Some(Match {
                next,
                when: When::Month(y, m),
                rule,
                score,
                anchored,
            })
        };
        if let Some((next, month)) = self.month(i) {
            if let Some((n, y)) = self.trailing_year(next) {
                return found(n, (y, month), "month-year", 0.95, true);
            }
            if self.triggered(i) && self.day(next).is_none() {
                let meant = month_meant(doc, month, self.tense_before(i));
                return found(next, meant, "month", 0.85, false);
            }
            return None;
        }
        for (word, months) in [("last", -1), ("next", 1), ("this", 0)] {
            if !t.is(word) {
                continue;
            }
            if self.is(i + 1, "month") {
                return found(i + 2, add_months(doc, months), "relative-month", 0.9, false);
            }
            let (next, month) = self.month(i + 1)?;
            let here = u8::from(doc.month());
            let there = u8::from(month);
            let year = match months {
                -1 if there >= here => doc.year() - 1,
                1 if there <= here => doc.year() + 1,
                _ => doc.year(),
            };
            return found(next, (year, month), "relative-month", 0.9, false);
        }
        let n = number_word(t)?;
        if (self.is(i + 1, "months") || self.is(i + 1, "month")) && self.is(i + 2, "ago") {
            let n = i32::try_from(n).ok()?;
            return found(i + 3, add_months(doc, -n), "months-ago", 0.85, false);
        }
        None
    }

    /// `in 2019`, `last year`, `two years ago`.
    fn year_level(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let found = |next, y, rule, score, anchored| {
            Some(Match {
                next,
                when: When::Year(y),
                rule,
                score,
                anchored,
            })
        };
        if let Some((next, y)) = self.year(i) {
            let money = i
                .checked_sub(1)
                .and_then(|b| self.tok(b))
                .is_some_and(|b| !t.gap && (b.text == "$" || b.text == "€" || b.text == "£"));
            return (self.triggered(i) && !money)
                .then_some(())
                .and(found(next, y, "year", 0.85, true));
        }
        for (word, years) in [("last", -1), ("next", 1), ("this", 0)] {
            if t.is(word) && self.is(i + 1, "year") {
                return found(i + 2, self.doc.year() + years, "relative-year", 0.9, false);
            }
        }
        let n = number_word(t)?;
        if (self.is(i + 1, "years") || self.is(i + 1, "year")) && self.is(i + 2, "ago") {
            // A year the calendar writes with four digits (`2023 years ago` is no date).
            let y = self.doc.year().checked_sub(i32::try_from(n).ok()?)?;
            return (1..=9999).contains(&y).then_some(()).and(found(
                i + 3,
                y,
                "years-ago",
                0.85,
                false,
            ));
        }
        None
    }

    /// `last week`, `next week`, `this week`, `two weeks ago`, and the weekends: `last
    /// weekend`, `this weekend`, `next weekend` are the ISO week whose Saturday and Sunday they
    /// are (ISO 8601 has no weekend; it closes its week).
    fn week_level(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let week = |next, days, rule| {
            Some(Match {
                next,
                when: When::week_of(add_days(self.doc, days)),
                rule,
                score: 0.9,
                anchored: false,
            })
        };
        for (word, days) in [("last", -7), ("next", 7), ("this", 0)] {
            if t.is(word) && self.is(i + 1, "week") {
                return week(i + 2, days, "relative-week");
            }
            if t.is(word) && self.is(i + 1, "weekend") {
                return week(i + 2, days, "relative-weekend");
            }
        }
        let n = number_word(t)?;
        if (self.is(i + 1, "weeks") || self.is(i + 1, "week")) && self.is(i + 2, "ago") {
            return week(i + 3, -7 * n, "weeks-ago");
        }
        None
    }

    /// The longest date expression starting at token `i`.
    pub fn at(&self, i: usize) -> Option<Match> {
        [
            self.day_and_time(i),
            self.any_day(i),
            self.week_level(i),
            self.month_level(i),
            self.year_level(i),
        ]
        .into_iter()
        .flatten()
        .fold(None, |best: Option<Match>, m| match best {
            Some(b) if b.next >= m.next => Some(b),
            _ => Some(m),
        })
    }
}
