//! What an importer (or, for a span it leaves out, an exporter) reports: a [`Problem`] with a kind callers can match on ([`ProblemKind`]),
//! where it was ([`Place`]: the file, and where known the line, the record and the span), and
//! the message as it is shown, which names the file (and line, record, span) itself.
//!
//! The errors of the steps that read one field or one span are enums of their own
//! ([`crate::formats::FileError`], [`crate::formats::RangeError`], …); each
//! importer turns the one it meets into a problem once, at the place it knows.

use std::fmt;
use std::sync::Arc;

/// What went wrong, for a caller to act on (count, filter, stop).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The file could not be read (I/O), or the file it needs beside it is missing.
    Unreadable,
    /// The bytes are not text the format holds: binary data, not UTF-8.
    NotText,
    /// Not valid syntax: JSON that does not parse, a line of the wrong shape, an unknown tag.
    Syntax,
    /// A record or field is missing or of the wrong type, or names something that is not
    /// there (a relation to a span that was not read).
    Structure,
    /// The file holds no records, tasks, tokens or annotations.
    Empty,
    /// Offsets that are not in the text: reversed, empty, past the end, splitting a character.
    Offsets,
    /// Text the file quotes contradicts the offsets (or is not in the text at all).
    TextMismatch,
    /// The unit the offsets count cannot be checked and may not be the one assumed.
    UnitInQuestion,
    /// A label, type or id that is not a usable name.
    Name,
    /// The document refused it: a duplicate, a relation to a span it does not hold, …
    NotTaken,
    /// An export left it out: a span off CoNLL's token boundaries (also counted in the loss).
    NotWritten,
    /// Taken, with a remark: a repeat kept once, tokens that disagree with the offsets, a tag
    /// read as `O`, a label `--map` could not apply.
    Remark,
}

/// Where a problem is. `file` is the file as messages name it; the rest is filled in where the
/// importer knows it: `line` (the first line, for a range), `record` (the record, task or
/// annotation of the file, from 1), `span` (the span's id or its place in the record, as the
/// file gives it). The names are shared (`Arc`): a writer that reports thousands of spans of
/// one document names the file and each span without a copy of either.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub file: Arc<str>,
    pub line: Option<usize>,
    pub record: Option<usize>,
    pub span: Option<Arc<str>>,
}

impl Place {
    /// The file as a whole.
    pub fn file(file: impl AsRef<str>) -> Self {
        Place {
            file: Arc::from(file.as_ref()),
            ..Place::default()
        }
    }

    /// A line of the file.
    pub fn line(file: impl AsRef<str>, line: usize) -> Self {
        Place {
            line: Some(line),
            ..Place::file(file)
        }
    }

    /// This place, at record `record`.
    pub fn with_record(self, record: usize) -> Self {
        Place {
            record: Some(record),
            ..self
        }
    }

    /// This place, at span `span`.
    pub fn with_span(&self, span: impl fmt::Display) -> Self {
        Place {
            span: Some(Arc::from(span.to_string())),
            ..self.clone()
        }
    }
}

/// One problem an importer met: a span or item it could not take, or something wrong with
/// the file itself. Its message names the place (shown by `Display`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Problem {
    pub kind: ProblemKind,
    pub place: Place,
    message: String,
}

impl Problem {
    pub fn new(kind: ProblemKind, place: Place, message: impl Into<String>) -> Self {
        Problem {
            kind,
            place,
            message: message.into(),
        }
    }

    /// The message, which names the place.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message, taken out (not copied).
    pub fn into_message(self) -> String {
        self.message
    }
}

/// A problem reads as its message (the text it shows), so that it can be searched and
/// compared like one.
impl PartialEq<&str> for Problem {
    fn eq(&self, other: &&str) -> bool {
        self.message == *other
    }
}

impl std::ops::Deref for Problem {
    type Target = str;

    fn deref(&self) -> &str {
        &self.message
    }
}

/// A place and the words that name it at the start of a message (`in.jsonl:3: record 2`),
/// for an importer that reports several problems there.
#[derive(Debug, Clone)]
pub struct At {
    pub place: Place,
    /// How messages name the place.
    pub words: String,
}

impl At {
    pub fn new(place: Place, words: impl Into<String>) -> Self {
        At {
            place,
            words: words.into(),
        }
    }

    /// `WORDS: detail`.
    pub fn problem(&self, kind: ProblemKind, detail: impl fmt::Display) -> Problem {
        Problem::new(
            kind,
            self.place.clone(),
            format!("{}: {detail}", self.words),
        )
    }

    /// `WORDS: detail`, about span `span`.
    pub fn span_problem(
        &self,
        span: impl fmt::Display,
        kind: ProblemKind,
        detail: impl fmt::Display,
    ) -> Problem {
        Problem::new(
            kind,
            self.place.with_span(span),
            format!("{}: {detail}", self.words),
        )
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{ImportOptions, brat, conll, doccano, jsonl, w3c};

    #[test]
    fn problems_carry_their_kind_and_place() {
        let options = ImportOptions::default();
        let bad = jsonl::import_line("{oops", "in.jsonl", 3, &options).unwrap_err();
        assert_eq!(bad.kind, ProblemKind::Syntax);
        assert_eq!(bad.place, Place::line("in.jsonl", 3));
        assert!(bad.starts_with("in.jsonl:3: not valid JSON"), "{bad}");

        let line = r#"{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "a"}, {"start": 1, "end": 9, "label": "a"}]}"#;
        let read = jsonl::import_line(line, "in.jsonl", 4, &options).unwrap();
        let p = &read.imported.problems[0];
        assert_eq!(
            (p.kind, p.place.span.as_deref()),
            (ProblemKind::Offsets, Some("1"))
        );

        let report = doccano::import_str("[{\"text\": 3}]", "d.json", "d", &options);
        let p = &report.problems[0];
        assert_eq!(
            (p.kind, p.place.line, p.place.record),
            (ProblemKind::Structure, Some(1), Some(1))
        );

        let read = brat::import_text(
            "T1\tX 0 1\tL\nT1\tX 0 1\tL\n",
            "Lavrov",
            "a.ann",
            "a.txt",
            &options,
        );
        let p = &read.problems[0];
        assert_eq!(
            (p.kind, p.place.line, p.place.span.as_deref()),
            (ProblemKind::NotTaken, Some(2), Some("T1"))
        );

        let report = conll::import_str("EU B-ORG\nrejects foo\n", "c.conll", "c", &options);
        let p = &report.documents[0].problems[0];
        assert_eq!((p.kind, p.place.line), (ProblemKind::Syntax, Some(2)));

        let quote = serde_json::json!({"type": "Annotation", "motivation": "tagging",
            "body": {"type": "TextualBody", "purpose": "tagging", "value": "actor"},
            "target": {"selector": {"type": "TextQuoteSelector", "exact": "Blinken"}}});
        let report = w3c::import_value(&quote, "w.jsonld", "w", "Lavrov said", &options);
        let p = &report.documents[0].problems[0];
        assert_eq!(
            (p.kind, p.place.record),
            (ProblemKind::TextMismatch, Some(1))
        );
    }
}
