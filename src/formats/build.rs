//! What the importers share: reading a foreign file as UTF-8 text, splitting it into JSON
//! records with their line numbers, and turning foreign offsets into spans of a new document.
//!
//! Messages name the file (and line) first, as `in.jsonl:3: span 2 (ORG 0..4): …`, so a batch
//! report can be grepped by file and line.

use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::offsets::{OffsetConverter, OffsetUnit};
use super::{ImportOptions, ImportReport, Place, Problem, ProblemKind};
use crate::model::{AuditEntry, CharRange, Document, Edit, Schema, SetError, Source, Span, Text};
use crate::store::hash::sha256_hex;

/// Imports the text file at `path` with `import_str(content, origin, stem, options)`: the
/// origin in messages is the path, documents are named after the file's stem. A file that
/// cannot be read is the report's one problem.
pub fn import_file(
    path: &Path,
    options: &ImportOptions,
    import_str: fn(&str, &str, &str, &ImportOptions) -> ImportReport,
) -> ImportReport {
    match read_text_file(path) {
        Ok(content) => import_str(
            &content,
            &path.display().to_string(),
            &file_stem(path),
            options,
        ),
        Err(e) => ImportReport {
            documents: Vec::new(),
            problems: vec![e.problem()],
        },
    }
}

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read: {source}: {}", path.display())]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("binary file (a NUL byte), not UTF-8 text: {}", path.display())]
    Binary { path: PathBuf },
    /// `at`: the byte offset of the first byte that is not UTF-8.
    #[error("not UTF-8 text (invalid byte at {at}): {}", path.display())]
    NotUtf8 { path: PathBuf, at: usize },
}

impl FileError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            FileError::Unreadable { .. } => ProblemKind::Unreadable,
            FileError::Binary { .. } | FileError::NotUtf8 { .. } => ProblemKind::NotText,
        }
    }

    /// The problem of an import that could not read the file.
    pub fn problem(&self) -> Problem {
        let path = match self {
            FileError::Unreadable { path, .. }
            | FileError::Binary { path }
            | FileError::NotUtf8 { path, .. } => path,
        };
        Problem::new(
            self.kind(),
            Place::file(path.display().to_string()),
            self.to_string(),
        )
    }
}

/// The file's text: UTF-8 with a leading byte-order mark removed. Binary files (a NUL byte) and
/// other encodings are refused with an error naming the file.
pub fn read_text_file(path: &Path) -> Result<String, FileError> {
    let bytes = std::fs::read(path).map_err(|source| FileError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    if bytes.contains(&0) {
        return Err(FileError::Binary {
            path: path.to_path_buf(),
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| FileError::NotUtf8 {
        path: path.to_path_buf(),
        at: e.utf8_error().valid_up_to(),
    })
}

/// Text quoted in a message: at most 120 characters, escaped (a garbage file can be one 20 MB
/// line, and a message quotes, it does not dump).
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 120;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}… ({} more bytes)", &text[..cut], text.len() - cut),
        None => format!("{text:?}"),
    }
}

/// The file name without its last extension, for naming documents that have no name.
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "document".to_string())
}

/// One JSON value of a file, with the line it starts on (from 1).
#[derive(Debug)]
pub struct Record {
    pub line: usize,
    pub value: Result<Value, JsonError>,
}

/// JSON that does not parse: serde_json's message without its position (the record's line
/// is reported with it).
#[derive(Debug, thiserror::Error)]
#[error("not valid JSON: {}", strip_position(&.0.to_string()))]
pub struct JsonError(#[from] pub serde_json::Error);

/// The JSON values of `content` one after another: JSON Lines, pretty-printed objects one after
/// another, or a single value. After a syntax error reading resumes at the next line, so one bad
/// line costs one message.
pub fn json_records(content: &str) -> Vec<Record> {
    let mut records = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    let mut counted_to = 0;
    loop {
        let rest = &content[pos..];
        let start = pos + (rest.len() - rest.trim_start().len());
        if start >= content.len() {
            break;
        }
        line += content[counted_to..start].matches('\n').count();
        counted_to = start;
        pos = start;
        let mut stream = serde_json::Deserializer::from_str(&content[pos..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                records.push(Record {
                    line,
                    value: Ok(value),
                });
                pos += stream.byte_offset();
            }
            Some(Err(e)) => {
                let error_line = line + e.line().saturating_sub(1);
                // Skip to the end of the line the error is on.
                let skip_lines = e.line().max(1);
                records.push(Record {
                    line: error_line,
                    value: Err(JsonError(e)),
                });
                let mut next = pos;
                for _ in 0..skip_lines {
                    match content[next..].find('\n') {
                        Some(i) => next += i + 1,
                        None => {
                            next = content.len();
                            break;
                        }
                    }
                }
                pos = next;
            }
            None => break,
        }
    }
    records
}

/// serde_json appends " at line L column C"; the caller reports the position itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A new document for text read from a foreign file, its import recorded in the audit log.
pub fn new_document(name: String, text: String, options: &ImportOptions, how: &str) -> Document {
    let source = Source {
        name,
        path: None,
        sha256: Some(sha256_hex(text.as_bytes())),
        encoding: "UTF-8".to_string(),
        bom: false,
    };
    let mut doc = Document::new(
        source,
        Text::new(text),
        &options.annotator,
        Schema::default(),
    );
    doc.log(AuditEntry::document(options.at, &options.annotator, how));
    doc
}

/// Why foreign offsets give no range of the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("start must be before end (empty or reversed)")]
    EmptyOrReversed,
    /// `length`: the text's length in the offsets' `unit`.
    #[error("runs past the end of the text ({length} {} long) or splits a character", unit_name(*.unit))]
    PastTheEnd { length: usize, unit: OffsetUnit },
    #[error("reversed")]
    Reversed,
}

impl RangeError {
    pub fn kind(&self) -> ProblemKind {
        ProblemKind::Offsets
    }
}

/// What `unit` counts, in a message.
fn unit_name(unit: OffsetUnit) -> &'static str {
    match unit {
        OffsetUnit::UnicodeScalar => "characters",
        OffsetUnit::Utf16 => "UTF-16 code units",
        OffsetUnit::Bytes => "bytes",
    }
}

/// The char range of foreign offsets `start..end`, or why there is none.
pub fn foreign_range(
    start: usize,
    end: usize,
    converter: &OffsetConverter<'_>,
    text: &Text,
    unit: OffsetUnit,
) -> Result<CharRange, RangeError> {
    if start >= end {
        return Err(RangeError::EmptyOrReversed);
    }
    let (Some(s), Some(e)) = (converter.to_char(start), converter.to_char(end)) else {
        let length = match unit {
            OffsetUnit::UnicodeScalar => text.len_chars(),
            OffsetUnit::Utf16 => text.as_str().encode_utf16().count(),
            OffsetUnit::Bytes => text.as_str().len(),
        };
        return Err(RangeError::PastTheEnd { length, unit });
    };
    CharRange::new(s.0, e.0).ok_or(RangeError::Reversed)
}

/// Adds `span` to `doc` as the importer, or says why it cannot be held.
pub fn add_span(doc: &mut Document, span: Span, options: &ImportOptions) -> Result<(), SetError> {
    doc.apply(&Edit::add(span), &options.annotator, options.at)
}

/// A whole number field of a JSON object (`12` or `"12"`, as some tools write).
pub fn number(value: Option<&Value>) -> Option<usize> {
    match value? {
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A label name from a JSON value: a string, or a number (doccano 1.x wrote label ids).
pub fn label_name(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The char offset of the first character outside the Basic Multilingual Plane (an emoji,
/// most often): where UTF-16 and Unicode scalar offsets start to differ.
pub fn first_astral(text: &Text) -> Option<usize> {
    text.as_str().chars().position(|c| c.len_utf16() == 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_of_jsonl_and_of_pretty_json_with_lines() {
        let content = "{\"a\": 1}\n\n{\"b\":\n  2}\n{oops\n{\"c\": 3} [4]\n";
        let got: Vec<(usize, bool)> = json_records(content)
            .iter()
            .map(|r| (r.line, r.value.is_ok()))
            .collect();
        assert_eq!(
            got,
            [(1, true), (3, true), (5, false), (6, true), (6, true)]
        );
        let records = json_records("  [1, 2]  ");
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].value.as_ref().unwrap()[1], 2);
        assert!(json_records(" \n ").is_empty());
        let bad = json_records("{\"a\": tru}\n{\"b\": 1}");
        assert!(
            bad[0]
                .value
                .as_ref()
                .unwrap_err()
                .to_string()
                .starts_with("not valid JSON")
        );
        assert!(
            !bad[0]
                .value
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains(" at line ")
        );
        assert_eq!(bad[1].line, 2);
    }

    #[test]
    fn ranges_from_foreign_offsets() {
        let text = Text::new("👍 ab".to_string());
        let conv = OffsetConverter::new(&text, OffsetUnit::Utf16);
        assert_eq!(
            foreign_range(3, 5, &conv, &text, OffsetUnit::Utf16).unwrap(),
            CharRange::new(2, 4).unwrap()
        );
        assert!(
            foreign_range(1, 3, &conv, &text, OffsetUnit::Utf16)
                .unwrap_err()
                .to_string()
                .contains("(5 UTF-16 code units long)")
        );
        assert!(foreign_range(3, 3, &conv, &text, OffsetUnit::Utf16).is_err());
        assert_eq!(first_astral(&text), Some(0));
        assert_eq!(first_astral(&Text::new("abc".into())), None);
        assert_eq!(number(Some(&Value::from("12"))), Some(12));
        assert_eq!(number(Some(&Value::from(-1))), None);
        assert_eq!(label_name(Some(&Value::from(12))).as_deref(), Some("12"));
    }
}
