//! One span as its line in the native file: the codec of a span, the one place that knows how a
//! span is written in the file and read back, with the checks and the messages of reading.
//!
//! The spans are one array, one span a line (see [`super::layout`] for the rest of the file):
//!
//! ```text
//!   "schema": {...},
//!   "spans": [
//!     {"id": "s1", "label": "actor", "start": 104, "end": 110, "text": "Lavrov", ...},
//!     {"id": "s2", ...}
//!   ],
//!   "relations": [...],
//! ```
//!
//! Saving writes each span with [`write_line`]. Loading reads each span as a [`NativeSpan`],
//! from its line when the file streams in ([`read_line`], in [`super::stream`]: a line exactly
//! as [`write_line`] writes it straight through, with [`super::quick`]; any other by serde) or
//! as part of the whole file in another layout ([`super::load`]), and turns it into a model span with
//! [`NativeSpan::checked`], which reports every problem by span id. Orphaned spans are written
//! and read the same way.
//!
//! Adding a field to a span touches this file only (besides the model's `Span` and the JSON
//! Schema, regenerated with `spanmark schema`): the field in [`NativeSpan`], where its place is
//! the key order written; its value from the model in [`NativeSpan::of`]; its check in
//! [`NativeSpan::checked`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::CONTEXT_CHARS;
use super::layout::SpanPerLine;
use super::quick::Cursor;
use crate::model::{
    AnnotationSet, CharRange, Label, Origin, Span, SpanId, Status, Text, Timestamp,
};

/// One labelled span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeSpan<'a> {
    /// Stable and unique in the file: 1–128 printable ASCII characters, no spaces.
    #[schemars(regex(pattern = r"^[!-~]{1,128}$"))]
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub label: Cow<'a, str>,
    /// Offset of the first character (Unicode scalar values).
    pub start: usize,
    /// Offset just past the last character.
    pub end: usize,
    /// `document.text[start..end]`.
    #[serde(borrow)]
    pub text: Cow<'a, str>,
    /// Up to 32 characters before the span (W3C TextQuoteSelector prefix), for re-anchoring.
    #[serde(borrow)]
    pub prefix: Cow<'a, str>,
    /// Up to 32 characters after the span (W3C TextQuoteSelector suffix).
    #[serde(borrow)]
    pub suffix: Cow<'a, str>,
    /// Who marked it.
    #[serde(borrow)]
    pub author: Cow<'a, str>,
    /// RFC 3339.
    #[schemars(extend("format" = "date-time"))]
    #[serde(borrow)]
    pub created: Cow<'a, str>,
    /// RFC 3339.
    #[schemars(extend("format" = "date-time"))]
    #[serde(borrow)]
    pub modified: Cow<'a, str>,
    pub status: Status,
    pub origin: Origin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Free attributes, e.g. {"iso": "2021-10-18"} on a date.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attrs: BTreeMap<String, String>,
    /// For a discontinuous span only: its pieces as [start, end] pairs, in order, the first
    /// starting at `start` and the last ending at `end` (brat's `0 5;16 23`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<[usize; 2]>,
}

impl<'a> NativeSpan<'a> {
    /// A span of `set` as the file holds it, with its quote and context.
    pub(super) fn in_set(set: &'a AnnotationSet, s: &'a Span) -> Self {
        let (quote, prefix, suffix) = set
            .text()
            .quote_in_context(s.range, CONTEXT_CHARS)
            .unwrap_or_default();
        Self::of(s, quote, prefix, suffix)
    }

    /// `s` with the quote and context it is written with.
    pub(super) fn of(s: &'a Span, quote: &'a str, prefix: &'a str, suffix: &'a str) -> Self {
        Self {
            id: Cow::Borrowed(s.id.as_str()),
            label: Cow::Borrowed(s.label.as_str()),
            start: s.range.start().0,
            end: s.range.end().0,
            text: Cow::Borrowed(quote),
            prefix: Cow::Borrowed(prefix),
            suffix: Cow::Borrowed(suffix),
            author: Cow::Borrowed(&s.author),
            created: Cow::Owned(s.created.to_string()),
            modified: Cow::Owned(s.modified.to_string()),
            status: s.status,
            origin: s.origin,
            note: s.note.clone(),
            attrs: s.attrs.clone(),
            fragments: s
                .fragments
                .iter()
                .map(|r| [r.start().0, r.end().0])
                .collect(),
        }
    }

    /// The model's span for this one, every problem reported by its id. `anchored_on` is the
    /// document's text, which the span's offsets, quote and context must agree with; `None` for
    /// an orphan, whose offsets count an older text.
    pub(super) fn checked(&self, c: &mut impl Checks, anchored_on: Option<&Text>) -> Option<Span> {
        let id_str = &*self.id;
        let who = SpanName {
            orphaned: anchored_on.is_none(),
            id: id_str,
        };
        let id = c.id(&who, "id", id_str)?;
        let label = c.label(&who, &self.label)?;
        let Some(range) = CharRange::new(self.start, self.end) else {
            c.fail(
                Some(id_str),
                format!(
                    "{who}: start {} is after end {} (reversed offsets)",
                    self.start, self.end
                ),
            );
            return None;
        };
        let created = c.timestamp(&who, "created", &self.created);
        // Most spans were never changed: the same text need not be parsed twice.
        let modified = if created.is_some() && self.modified == self.created {
            created
        } else {
            c.timestamp(&who, "modified", &self.modified)
        };
        if anchored_on.is_none() {
            let quote_chars = self.text.chars().count();
            if quote_chars != range.len() {
                c.fail(
                    Some(id_str),
                    format!(
                        "{who}: \"text\" has {quote_chars} characters but {range} spans {}",
                        range.len()
                    ),
                );
            }
            if range.is_empty() {
                c.fail(Some(id_str), format!("{who}: empty range {range}"));
            }
        }
        // The quoted text and its context must agree with the offsets.
        if let Some(text) = anchored_on
            && !text.has_quote_in_context(
                range,
                CONTEXT_CHARS,
                [&self.text, &self.prefix, &self.suffix],
            )
            && let Some((actual, prefix, suffix)) = text.quote_in_context(range, CONTEXT_CHARS)
        {
            if actual != self.text {
                c.fail(
                    Some(id_str),
                    format!(
                        "{who}: \"text\" is {:?} but the document has {:?} at {range}",
                        self.text, actual
                    ),
                );
            }
            if prefix != self.prefix || suffix != self.suffix {
                c.fail(
                    Some(id_str),
                    format!("{who}: \"prefix\"/\"suffix\" do not match the text around {range}"),
                );
            }
        }
        let mut fragments = Vec::with_capacity(self.fragments.len());
        for [a, b] in &self.fragments {
            match CharRange::new(*a, *b) {
                Some(r) => fragments.push(r),
                None => {
                    c.fail(
                        Some(id_str),
                        format!("{who}: fragment [{a}, {b}] is reversed"),
                    );
                    return None;
                }
            }
        }
        Some(Span {
            fragments,
            id,
            label,
            range,
            author: c.author(&self.author),
            created: created?,
            modified: modified?,
            status: self.status,
            origin: self.origin,
            note: self.note.clone(),
            attrs: self.attrs.clone(),
        })
    }
}

/// What checking a span needs from the checker of its document: ids, labels and times parsed
/// with their problems reported, authors shared, and a place to report a problem. The
/// document's checker (`check.rs`) provides it; the span's own checks stay here, with its line.
pub(super) trait Checks {
    /// Reports a problem of the span (or item) `id`.
    fn fail(&mut self, id: Option<&str>, message: String);
    /// `owner`'s `field` as a span id.
    fn id(
        &mut self,
        owner: &(impl fmt::Display + ?Sized),
        field: &str,
        value: &str,
    ) -> Option<SpanId>;
    /// `value` as a label (one copy per name).
    fn label(&mut self, owner: &(impl fmt::Display + ?Sized), value: &str) -> Option<Label>;
    /// `owner`'s `field` as a time.
    fn timestamp(
        &mut self,
        owner: &(impl fmt::Display + ?Sized),
        field: &str,
        value: &str,
    ) -> Option<Timestamp>;
    /// `name`, shared with every span by the same author.
    fn author(&mut self, name: &str) -> Arc<str>;
}

/// Names a span in a problem's message (`span s7`, `orphaned span s7`), formatted only when
/// there is a problem, not for each of 100,000 spans that have none.
struct SpanName<'a> {
    orphaned: bool,
    id: &'a str,
}

impl fmt::Display for SpanName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.orphaned {
            "orphaned span"
        } else {
            "span"
        };
        write!(f, "{kind} {}", self.id)
    }
}

/// The line that opens the span array, without its indentation.
const OPEN_LINE: &[u8] = b"\"spans\": [";

/// Writes the key and the opening bracket of the span array, after the field before it.
pub(super) fn write_open(out: &mut Vec<u8>) {
    out.extend_from_slice(b",\n  ");
    out.extend_from_slice(OPEN_LINE);
}

/// Writes `span`'s line: `\n    {...}`, after a comma unless it is the array's first.
pub(super) fn write_line(out: &mut Vec<u8>, first: bool, span: &NativeSpan) {
    out.extend_from_slice(if first { b"\n    " } else { b",\n    " });
    let mut ser = serde_json::Serializer::with_formatter(out, SpanPerLine::span_line());
    // Serialising to memory cannot fail: a span holds no map with keys that are not strings.
    let _ = span.serialize(&mut ser);
}

/// Writes the end of the span array: on a line of its own after spans, right after the `[`
/// when there are none.
pub(super) fn write_close(out: &mut Vec<u8>, any_spans: bool) {
    out.extend_from_slice(if any_spans { b"\n  ]" } else { b"]" });
}

/// Whether `line` opens the span array.
pub(super) fn is_open(line: &[u8]) -> bool {
    trim(line) == OPEN_LINE
}

/// What a line inside the span array holds.
#[expect(
    clippy::large_enum_variant,
    reason = "returned for one line and matched at once, never stored"
)]
pub(super) enum Line<'a> {
    /// A span, and whether a comma follows it.
    Span(NativeSpan<'a>, bool),
    /// The end of the array, and whether the object's fields go on after it (`],`).
    Close { more_fields: bool },
    /// Nothing but whitespace.
    Blank,
    /// Anything else: not the layout Spanmark writes.
    Other,
}

/// Reads a line inside the span array.
pub(super) fn read_line(line: &[u8]) -> Line<'_> {
    let t = trim(line);
    if t.is_empty() {
        return Line::Blank;
    }
    if t == b"]" || t == b"]," {
        return Line::Close {
            more_fields: t == b"],",
        };
    }
    let (object, comma) = match t.strip_suffix(b",") {
        Some(o) => (o, true),
        None => (t, false),
    };
    // UTF-8 checked once for the line, faster than serde_json checking each string.
    // The line as Spanmark writes it is read the quick way; any other, by serde.
    match simdutf8::basic::from_utf8(object).ok().and_then(|text| {
        read_as_written(text).or_else(|| serde_json::from_str::<NativeSpan>(text).ok())
    }) {
        Some(span) => Line::Span(span, comma),
        None => Line::Other,
    }
}

/// The span on `line` (without its indentation and trailing comma) read straight through
/// ([`super::quick`]), or `None` when the line is not exactly as Spanmark writes a span.
pub(super) fn read_as_written(line: &str) -> Option<NativeSpan<'_>> {
    let mut c = Cursor { rest: line };
    let id = c.string_at("{\"id\": ")?;
    let label = c.string_at(", \"label\": ")?;
    let start = c.number_at(", \"start\": ")?;
    let end = c.number_at(", \"end\": ")?;
    let text = c.string_at(", \"text\": ")?;
    let prefix = c.string_at(", \"prefix\": ")?;
    let suffix = c.string_at(", \"suffix\": ")?;
    let author = c.string_at(", \"author\": ")?;
    let created = c.string_at(", \"created\": ")?;
    let modified = c.string_at(", \"modified\": ")?;
    c.key(", \"status\": ")?;
    let status = c.name(&Status::ALL, Status::as_str)?;
    c.key(", \"origin\": ")?;
    let origin = c.name(&Origin::ALL, Origin::as_str)?;
    let note = c.optional(", \"note\": ", |c| c.string().map(Cow::into_owned))?;
    let attrs = c.optional(", \"attrs\": ", Cursor::attrs)?;
    // Fragments, or anything after the object: serde's.
    c.close()?;
    Some(NativeSpan {
        id,
        label,
        start,
        end,
        text,
        prefix,
        suffix,
        author,
        created,
        modified,
        status,
        origin,
        note,
        attrs: attrs.unwrap_or_default(),
        fragments: Vec::new(),
    })
}

/// `bytes` without JSON whitespace at either end.
pub(super) fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !is_space(*b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(*b))
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Whether `b` is JSON whitespace.
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}
