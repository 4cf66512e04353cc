//! Spans and relations: what an annotator marks in the text.
//!
//! A [`Span`] is a labelled [`CharRange`] of the text with its provenance (who, when, how) and
//! its review status. Spans on their own know nothing of the text: whether a range is inside the
//! text and on grapheme boundaries is checked by the
//! [`AnnotationSet`](crate::model::AnnotationSet) that holds them.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::model::label::Label;
use crate::model::text::CharRange;

/// A span's or relation's id: stable for the life of the annotation and unique in its file.
/// Non-empty, printable ASCII without spaces (ids from other tools such as brat `T12` or Label
/// Studio `BtfOIVC3G2` are kept as they are).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SpanId(Arc<str>);

/// Maps and sets of ids can be asked with the text of an id (`Hash`, `Eq` and `Ord` are the
/// text's, as derived through `Arc<str>`).
impl std::borrow::Borrow<str> for SpanId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl SpanId {
    /// The hash of an id's text for tables that hold only slots and find the id through
    /// them (the set's ids, the view's marks): the same on every run and in every copy.
    pub fn table_hash(id: &str) -> u64 {
        use std::hash::BuildHasher;
        foldhash::fast::FixedState::with_seed(0x5350_414e_4d41_524b).hash_one(id)
    }

    pub fn new(id: impl AsRef<str>) -> Result<Self, IdError> {
        let id = id.as_ref();
        Self::check(id)?;
        Ok(Self(Arc::from(id)))
    }

    /// The id's text, shared with it (no copy).
    pub fn shared(&self) -> Arc<str> {
        self.0.clone()
    }

    /// Whether `id` is a valid id, with the error [`Self::new`] gives, without making one: a
    /// reader that checks an id and drops it allocates nothing.
    pub fn check(id: &str) -> Result<(), IdError> {
        if id.is_empty() || id.len() > 128 || !id.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(IdError(id.to_string()));
        }
        Ok(())
    }

    /// Whether `other` is this very id, not a copy of its text.
    #[cfg(test)]
    pub(crate) fn is_shared_with(&self, other: &SpanId) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The id `s{n}`, the form Spanmark gives new spans.
    pub fn numbered(n: u64) -> Self {
        Self(Arc::from(format!("s{n}")))
    }

    /// `n` when the id is `s{n}`.
    pub fn number(&self) -> Option<u64> {
        self.0.strip_prefix('s')?.parse().ok()
    }

    /// An id that sorts before every other: a bound for range queries (`(span, floor)..` finds
    /// the relations at a span). Never stored; not a valid id.
    /// Made once: the view asks for the relations at every span on screen, every frame.
    pub(crate) fn floor() -> &'static Self {
        static FLOOR: std::sync::OnceLock<SpanId> = std::sync::OnceLock::new();
        FLOOR.get_or_init(|| Self(Arc::from("")))
    }

    /// The id `r{n}`, the form Spanmark gives new relations.
    pub fn relation_numbered(n: u64) -> Self {
        Self(Arc::from(format!("r{n}")))
    }

    /// `n` when the id is `r{n}`.
    pub fn relation_number(&self) -> Option<u64> {
        self.0.strip_prefix('r')?.parse().ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for SpanId {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<SpanId> for String {
    fn from(id: SpanId) -> Self {
        id.0.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("id {0:?} is not allowed: ids are 1–128 printable ASCII characters without spaces")]
pub struct IdError(pub String);

/// A moment, in UTC, written as RFC 3339 (`2026-11-29T10:15:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Now, to the second (files diff better without nanoseconds).
    pub fn now() -> Self {
        let now = OffsetDateTime::now_utc();
        Self(now.replace_nanosecond(0).unwrap_or(now))
    }

    /// From seconds since the Unix epoch (tests and fixed clocks).
    pub fn from_unix(seconds: i64) -> Self {
        Self(OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH))
    }

    pub fn parse(s: &str) -> Result<Self, TimestampError> {
        // The form Spanmark writes, `2026-11-29T10:15:00Z`, read without the general parser
        // (a file with 100,000 spans holds 200,000 of them).
        if let Some(t) = parse_plain_utc(s) {
            return Ok(t);
        }
        OffsetDateTime::parse(s, &Rfc3339)
            .map(|t| Self(t.to_offset(time::UtcOffset::UTC)))
            .map_err(|_| TimestampError(s.to_string()))
    }

    pub fn unix_seconds(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The nanoseconds past [`Self::unix_seconds`] (0 for the times Spanmark writes).
    pub fn nanosecond(&self) -> u32 {
        self.0.nanosecond()
    }

    /// The moment `seconds` and `nanosecond` after the Unix epoch: the inverse of
    /// [`Self::unix_seconds`] and [`Self::nanosecond`] (the audit log keeps times so).
    pub fn from_unix_parts(seconds: i64, nanosecond: u32) -> Self {
        let t = Self::from_unix(seconds);
        Self(t.0.replace_nanosecond(nanosecond).unwrap_or(t.0))
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` exactly, else `None` (then the RFC 3339 parser decides).
fn parse_plain_utc(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0, 4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(num(5, 7)?).ok()?).ok()?;
    let day = u8::try_from(num(8, 10)?).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(num(11, 13)?).ok()?,
        u8::try_from(num(14, 16)?).ok()?,
        u8::try_from(num(17, 19)?).ok()?,
    )
    .ok()?;
    Some(Timestamp(date.with_time(clock).assume_utc()))
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Whole seconds in UTC, the usual case, without the general formatter.
        let t = self.0;
        if t.nanosecond() == 0 && t.offset().is_utc() && (0..=9999).contains(&t.year()) {
            // Digits put in place: the general formatter costs a fifth of a 100,000-span save.
            let mut out = *b"0000-00-00T00:00:00Z";
            let fields = [
                (0, 4, t.year().unsigned_abs()),
                (5, 2, u32::from(u8::from(t.month()))),
                (8, 2, u32::from(t.day())),
                (11, 2, u32::from(t.hour())),
                (14, 2, u32::from(t.minute())),
                (17, 2, u32::from(t.second())),
            ];
            for (at, width, mut n) in fields {
                for digit in out[at..at + width].iter_mut().rev() {
                    *digit = b'0' + (n % 10) as u8;
                    n /= 10;
                }
            }
            return f.write_str(std::str::from_utf8(&out).unwrap_or_default());
        }
        match self.0.format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}", self.0.unix_timestamp()),
        }
    }
}

impl TryFrom<String> for Timestamp {
    type Error = TimestampError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> Self {
        t.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an RFC 3339 timestamp such as 2026-11-29T10:15:00Z")]
pub struct TimestampError(pub String);

/// Where a span stands in review.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Pending,
    Accepted,
    Rejected,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Pending, Status::Accepted, Status::Rejected];

    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a span came to be.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Marked by a person in Spanmark.
    #[default]
    Manual,
    /// Proposed by an assistant (date finder, label propagation) and not yet confirmed.
    Suggested,
    /// Read from another tool's file.
    Imported,
}

impl Origin {
    pub const ALL: [Origin; 3] = [Origin::Manual, Origin::Suggested, Origin::Imported];

    pub fn as_str(&self) -> &'static str {
        match self {
            Origin::Manual => "manual",
            Origin::Suggested => "suggested",
            Origin::Imported => "imported",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A labelled range of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub id: SpanId,
    pub label: Label,
    pub range: CharRange,
    /// Who marked it (shared: a file's spans share one copy of each name).
    pub author: Arc<str>,
    pub created: Timestamp,
    pub modified: Timestamp,
    pub status: Status,
    pub origin: Origin,
    pub note: Option<String>,
    /// Free key–value attributes, e.g. `iso` = `2021-10-18` on a date.
    pub attrs: BTreeMap<String, String>,
    /// For a discontinuous span (brat `T1 Location 0 5;16 23`), its pieces: two or more,
    /// ordered, not touching, the first starting at `range.start` and the last ending at
    /// `range.end`. Empty for an ordinary, contiguous span.
    pub fragments: Vec<CharRange>,
}

impl Span {
    /// A new pending manual span created now by `author`.
    pub fn new(id: SpanId, label: Label, range: CharRange, author: &str, at: Timestamp) -> Self {
        Self {
            id,
            label,
            range,
            author: Arc::from(author),
            created: at,
            modified: at,
            status: Status::Pending,
            origin: Origin::Manual,
            note: None,
            attrs: BTreeMap::new(),
            fragments: Vec::new(),
        }
    }

    /// The stretches of text the span covers: its fragments, or its whole range.
    pub fn pieces(&self) -> Vec<CharRange> {
        if self.fragments.is_empty() {
            vec![self.range]
        } else {
            self.fragments.clone()
        }
    }

    /// Whether the fragments are well formed for the range (see [`Span::fragments`]).
    pub fn fragments_fit(&self) -> bool {
        let f = &self.fragments;
        if f.is_empty() {
            return true;
        }
        f.len() >= 2
            && f.iter().all(|r| !r.is_empty())
            && f.windows(2).all(|w| w[0].end() < w[1].start())
            && f.first().map(CharRange::start) == Some(self.range.start())
            && f.last().map(CharRange::end) == Some(self.range.end())
    }

    /// The order spans are listed and saved in: by start, then end, label, id.
    pub fn sort_key(&self) -> (usize, usize, &str, &str) {
        (
            self.range.start().0,
            self.range.end().0,
            self.label.as_str(),
            self.id.as_str(),
        )
    }
}

/// A typed, directed link between two spans (`claim` —source→ `actor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub id: SpanId,
    pub kind: Label,
    pub from: SpanId,
    pub to: SpanId,
    pub author: String,
    pub created: Timestamp,
    /// Where review stands on the relation, as for a span.
    pub status: Status,
    pub note: Option<String>,
    pub attrs: BTreeMap<String, String>,
}

impl Relation {
    /// A pending relation made by `author` at `at`, with no note or attributes.
    pub fn new(
        id: SpanId,
        kind: Label,
        from: SpanId,
        to: SpanId,
        author: &str,
        at: Timestamp,
    ) -> Self {
        Self {
            id,
            kind,
            from,
            to,
            author: author.to_string(),
            created: at,
            status: Status::Pending,
            note: None,
            attrs: BTreeMap::new(),
        }
    }

    /// The span at the other end from `id`.
    pub fn other_end(&self, id: &SpanId) -> &SpanId {
        if &self.from == id {
            &self.to
        } else {
            &self.from
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(SpanId::numbered(7).as_str(), "s7");
        assert_eq!(SpanId::numbered(7).number(), Some(7));
        assert_eq!(SpanId::new("T12").unwrap().number(), None);
        assert!(SpanId::new("").is_err());
        assert!(SpanId::new("a b").is_err());
        assert!(SpanId::new("é").is_err());
    }

    #[test]
    fn timestamps_round_trip_in_utc() {
        let t = Timestamp::parse("2021-10-18T12:30:00+02:00").unwrap();
        assert_eq!(t.to_string(), "2021-10-18T10:30:00Z");
        assert_eq!(Timestamp::from_unix(0).to_string(), "1970-01-01T00:00:00Z");
        let fine = Timestamp::parse("2021-10-18T10:30:00.25Z").unwrap();
        assert_eq!(Timestamp::parse(&fine.to_string()).unwrap(), fine);
        assert!(Timestamp::parse("Monday").is_err());
        // The fast paths agree with the general ones.
        for s in [
            "2026-11-29T10:15:00Z",
            "1999-12-31T23:59:59Z",
            "2024-02-29T00:00:00Z",
            "0042-01-02T03:04:05Z",
        ] {
            let fast = Timestamp::parse(s).unwrap();
            assert_eq!(fast.to_string(), s);
            let general = OffsetDateTime::parse(s, &Rfc3339).unwrap();
            assert_eq!(fast.0, general);
            assert_eq!(general.format(&Rfc3339).unwrap(), s);
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-29T24:00:00Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }
}
