//! The date finder: English dates in news text, each with its ISO 8601 value at its own
//! granularity, resolved against the document date.
//!
//! ```text
//! doc date 2021-10-19
//! "Lavrov spoke on [Monday (Oct. 18)] and will return [next week]; talks began in [2019]."
//!                   2021-10-18                          2021-W43                  2019
//! ```
//!
//! Absolute (`Oct. 18`, `18 October 2021`, `2021-10-18`, `12/02/2017`, `November 1`), with a
//! weekday (`Monday (Oct. 18)`: the weekday fixes the year), with a time (`8 p.m. on Tuesday,
//! Nov. 3` → `2020-11-03T20:00`), and relative (`yesterday`, `on Sunday`, `last week`, `this
//! month`, `in September`, `last weekend`). A date without a year is the one nearest the
//! document date; an ambiguous numeric date takes the reading nearest it. Not dates:
//! `Route 66`, `Theresa May`, `2,000 troops`, `Section 230`.
//!
//! A bare weekday or month (`on Monday`, `in October`) is the coming one when its clause speaks
//! of the future (`will`, `is due`, `starts`, `until`; see [`tense`]), else the last one (a
//! month: this one, or the next month at most). Days that share a month are each a date of
//! their own: `on [15] and [16 November]`, `[November 15] and [16]`, `[15]-[16 November]`.
//!
//! A weekend has no ISO 8601 value of its own: `last weekend`, `this weekend` and `next
//! weekend` are written as the ISO week they close (Saturday and Sunday end an ISO week), the
//! convention of the labelled sets (`tests/fixtures/dates/`).
//!
//! Pure: text in, [`Found`] out, no I/O (the document date is found by [`document_date`] from
//! what the caller read). A worker runs [`find_until`], which reports how far it got between
//! chunks and stops when told to.

pub mod calendar;
pub mod grammar;
pub mod tense;
pub mod tokens;

use std::collections::BTreeMap;
use std::time::SystemTime;

use time::{Date, OffsetDateTime};

pub use calendar::When;

use crate::model::CharRange;
use crate::progress::Cancelled;

/// The agent name of the date finder, written in the `agent` attribute of its suggestions.
pub const AGENT: &str = "dates";

/// A date found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Where it is, in chars.
    pub range: CharRange,
    pub when: When,
    /// The ISO 8601 value (`when` written out).
    pub iso: String,
    /// The rule that matched (`month-day`, `weekday`, `relative-week`, …).
    pub rule: &'static str,
    /// How sure the rule is, 0–1.
    pub score: f32,
    /// Whether the text gave the year, so the document date was not needed.
    pub anchored: bool,
}

/// The dates of `text`, in order, not overlapping, relative ones counted from `doc_date`.
pub fn find(text: &str, doc_date: Date) -> Vec<Found> {
    // Told always to go on, it never stops early.
    find_until(text, doc_date, &mut |_| true).unwrap_or_default()
}

/// How many tokens the finder reads between two calls of its `go_on` (see [`find_until`]):
/// a few milliseconds of work, so a cancel is felt at once and the calls cost nothing.
pub const CHUNK_TOKENS: usize = 4096;

/// [`find`] that can be stopped: after every [`CHUNK_TOKENS`] tokens it calls `go_on` with how
/// many chars of the text it has read, and stops with [`Cancelled`] when the answer is false
/// (a worker passes its progress and cancel flag through it).
pub fn find_until(
    text: &str,
    doc_date: Date,
    go_on: &mut dyn FnMut(usize) -> bool,
) -> Result<Vec<Found>, Cancelled> {
    let toks = tokens::tokens(text);
    let g = grammar::Grammar {
        toks: &toks,
        doc: doc_date,
    };
    let mut out = Vec::new();
    let mut i = 0;
    let mut next_check = 0;
    while i < toks.len() {
        if i >= next_check {
            let read = toks.get(i).map_or(0, |t| t.start);
            if !go_on(read) {
                return Err(Cancelled);
            }
            next_check = i + CHUNK_TOKENS;
        }
        let Some(m) = g.at(i) else {
            i += 1;
            continue;
        };
        let (Some(first), Some(last)) =
            (toks.get(i), m.next.checked_sub(1).and_then(|l| toks.get(l)))
        else {
            break;
        };
        if let Some(range) = CharRange::new(first.start, last.end) {
            out.push(Found {
                range,
                when: m.when,
                iso: m.when.iso(),
                rule: m.rule,
                score: m.score,
                anchored: m.anchored,
            });
        }
        i = m.next.max(i + 1);
    }
    Ok(out)
}

/// The dates found as suggestions of `label` (normally `date`) from agent [`AGENT`], each
/// with its `iso` value and the rule that found it.
pub fn proposals(found: Vec<Found>, label: &crate::model::Label) -> Vec<super::suggest::Proposal> {
    found
        .into_iter()
        .map(|f| super::suggest::Proposal {
            range: f.range,
            label: label.clone(),
            agent: AGENT.to_string(),
            score: f.score,
            why: Some(format!("date rule {}", f.rule)),
            attrs: BTreeMap::from([("iso".to_string(), f.iso)]),
        })
        .collect()
}

/// The date label's name: the finder proposes spans of this label.
pub const LABEL: &str = "date";

/// The date finder's proposals for `doc` (label [`LABEL`]), counted from its document date
/// ([`document_date`] with `given` and `file_time`); `None` when it has no date to count from.
/// What the GUI's date finder and `spanmark suggest --dates` both run.
pub fn proposals_for(
    doc: &crate::model::Document,
    given: Option<Date>,
    file_time: Option<SystemTime>,
) -> Option<(Vec<super::suggest::Proposal>, DateSource)> {
    // Told always to go on, it never stops early.
    proposals_for_until(doc, given, file_time, &mut |_| true).unwrap_or_default()
}

/// [`proposals_for`] that can be stopped between chunks of the text, as [`find_until`].
pub fn proposals_for_until(
    doc: &crate::model::Document,
    given: Option<Date>,
    file_time: Option<SystemTime>,
    go_on: &mut dyn FnMut(usize) -> bool,
) -> Result<Option<(Vec<super::suggest::Proposal>, DateSource)>, Cancelled> {
    let text = doc.text().as_str();
    let Some((day, source)) = document_date(given, &doc.meta, text, file_time) else {
        return Ok(None);
    };
    let Ok(label) = crate::model::Label::new(LABEL) else {
        return Ok(None);
    };
    let found = find_until(text, day, go_on)?;
    Ok(Some((proposals(found, &label), source)))
}

/// Where the document date came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateSource {
    /// Given by the user (`--doc-date`).
    Given,
    /// The document's `meta` field of this name.
    Meta(String),
    /// A dateline: the first full date near the top of the text.
    Dateline,
    /// The article file's modification time.
    FileTime,
}

/// The meta fields that may hold the publication date, in the order they are asked.
pub const META_FIELDS: [&str; 3] = ["date", "published", "datePublished"];

/// The document date: `given`, else a meta field ([`META_FIELDS`], also inside a tool's meta)
/// starting `YYYY-MM-DD`,
/// else a dateline (a date with its year in the first 300 chars), else `file_time`.
pub fn document_date(
    given: Option<Date>,
    meta: &BTreeMap<String, serde_json::Value>,
    text: &str,
    file_time: Option<SystemTime>,
) -> Option<(Date, DateSource)> {
    if let Some(d) = given {
        return Some((d, DateSource::Given));
    }
    if let Some((d, field)) = meta_date(meta, 0) {
        return Some((d, DateSource::Meta(field)));
    }
    let head: String = text.chars().take(300).collect();
    let reference = file_time
        .map(|t| OffsetDateTime::from(t).date())
        .unwrap_or_else(|| OffsetDateTime::now_utc().date());
    let dateline = find(&head, reference)
        .into_iter()
        .find_map(|f| match f.when {
            When::Day(d) | When::Time(d, _, _) if f.anchored => Some(d),
            _ => None,
        });
    if let Some(d) = dateline {
        return Some((d, DateSource::Dateline));
    }
    file_time.map(|t| (OffsetDateTime::from(t).date(), DateSource::FileTime))
}

/// The first of [`META_FIELDS`] that starts `YYYY-MM-DD`, in `meta` or in the objects it holds
/// (a document's meta is kept per tool: `{"label_studio": {"data": {"date": …}}}`), to a depth
/// of three; the shallower wins.
fn meta_date(meta: &BTreeMap<String, serde_json::Value>, depth: usize) -> Option<(Date, String)> {
    for field in META_FIELDS {
        if let Some(d) = meta.get(field).and_then(|v| v.as_str()).and_then(parse_day) {
            return Some((d, field.to_string()));
        }
    }
    if depth >= 2 {
        return None;
    }
    meta.iter().find_map(|(key, value)| {
        let inner: BTreeMap<String, serde_json::Value> = value
            .as_object()?
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        meta_date(&inner, depth + 1).map(|(d, field)| (d, format!("{key}.{field}")))
    })
}

/// `YYYY-MM-DD` at the start of `s` (`2021-10-18`, `2021-10-18T09:00:00Z`).
pub fn parse_day(s: &str) -> Option<Date> {
    let day = s.get(..10)?;
    if crate::model::iso::check(day).ok()? != crate::model::iso::Granularity::Day {
        return None;
    }
    let year = day.get(..4)?.parse().ok()?;
    let month = time::Month::try_from(day.get(5..7)?.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year, month, day.get(8..10)?.parse().ok()?).ok()
}

#[cfg(test)]
mod eval_tests;
#[cfg(test)]
mod tests;
