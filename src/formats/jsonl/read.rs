//! Reading spaCy/Prodigy JSONL: each line a document, its spans, tokens and relations.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::{Map, Value};

use super::{META, OWN_META, RELATION_FIELDS, SPAN_FIELDS, Tokens};
use crate::formats::build::RangeError;
use crate::formats::build::{self, foreign_range};
use crate::formats::offsets::{OffsetConverter, OffsetUnit, utf16_would_match};
use crate::formats::problem::At;
use crate::formats::registry::Reader;
use crate::formats::{ImportOptions, ImportReport, ImportedDocument, Place, Problem, ProblemKind};
use crate::model::{
    Document, Edit, Label, Origin, Relation, SchemaError, SetError, Span, SpanId, Status, Text,
};

/// One line that was read into a document. `name` is from `meta.name`, when present.
#[derive(Debug, Clone)]
pub struct JsonlDocument {
    pub name: Option<String>,
    pub imported: ImportedDocument,
}

/// Reads a JSONL file: one document per line, named by `meta.name` or `STEM-LINE`. Bad lines
/// are reported by number and the others read; a binary file is reported once.
pub fn import(path: &Path, options: &ImportOptions) -> ImportReport {
    let mut report = ImportReport::default();
    let origin = path.display().to_string();
    let stem = build::file_stem(path);
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            report.problems.push(Problem::new(
                ProblemKind::Unreadable,
                Place::file(&origin),
                format!("cannot read: {e}: {origin}"),
            ));
            return report;
        }
    };
    let mut reader = BufReader::new(file);
    // JSON text never holds a NUL byte: this is a binary file (or UTF-16), and each of its
    // "lines" would only add another error.
    if reader.fill_buf().is_ok_and(|head| head.contains(&0)) {
        report.problems.push(Problem::new(
            ProblemKind::NotText,
            Place::file(&origin),
            format!("binary file (a NUL byte), not UTF-8 JSONL: {origin}"),
        ));
        return report;
    }
    let mut lines_read = 0;
    for (i, line) in reader.split(b'\n').enumerate() {
        let line_no = i + 1;
        let at = At::new(Place::line(&origin, line_no), format!("{origin}:{line_no}"));
        let bytes = match line {
            Ok(b) => b,
            Err(e) => {
                let cannot = format!("cannot read: {e}");
                report
                    .problems
                    .push(at.problem(ProblemKind::Unreadable, cannot));
                return report;
            }
        };
        // Binary data further in.
        if bytes.contains(&0) {
            report.problems.push(at.problem(
                ProblemKind::NotText,
                "binary data (a NUL byte), not UTF-8 JSONL; the rest of the file is skipped",
            ));
            return report;
        }
        let Ok(line) = std::str::from_utf8(&bytes) else {
            report
                .problems
                .push(at.problem(ProblemKind::NotText, "not UTF-8 text"));
            continue;
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = if line_no == 1 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        if line.trim().is_empty() {
            continue;
        }
        lines_read += 1;
        match import_line(line, &origin, line_no, options) {
            Ok(read) => {
                let mut imported = read.imported;
                if read.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    imported.doc.source.name = format!("{stem}-{line_no}");
                }
                report.documents.push(imported);
            }
            Err(problem) => report.problems.push(problem),
        }
    }
    if lines_read == 0 {
        report.problems.push(Problem::new(
            ProblemKind::Empty,
            Place::file(&origin),
            format!("no records in the file: {origin}"),
        ));
    }
    report
}

/// Why a JSONL line as a whole cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    #[error("not valid JSON: {0}")]
    NotJson(#[from] serde_json::Error),
    #[error("expected a JSON object")]
    NotAnObject,
    #[error("no \"text\" field")]
    NoText,
    #[error("\"text\" is empty")]
    EmptyText,
    #[error("\"text\" is not a string")]
    TextNotAString,
    /// A field that must be a list (`spans`, `relations`).
    #[error("\"{0}\" is not a list")]
    NotAList(&'static str),
}

impl LineError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            LineError::NotJson(_) => ProblemKind::Syntax,
            LineError::NotAnObject
            | LineError::NoText
            | LineError::EmptyText
            | LineError::TextNotAString
            | LineError::NotAList(_) => ProblemKind::Structure,
        }
    }
}

/// Reads one JSONL line (`line_no` counts from 1, for messages) into a document, or says why
/// the line as a whole cannot be read (a problem naming the file and line). `origin` names the
/// file in messages.
pub fn import_line(
    line: &str,
    origin: &str,
    line_no: usize,
    options: &ImportOptions,
) -> Result<JsonlDocument, Problem> {
    let at = At::new(Place::line(origin, line_no), format!("{origin}:{line_no}"));
    read_line(line, &at, options).map_err(|e| at.problem(e.kind(), e))
}

/// [`import_line`]: the document, or why the line as a whole cannot be read. Problems of its
/// spans and relations are reported `at` the line.
fn read_line(line: &str, at: &At, options: &ImportOptions) -> Result<JsonlDocument, LineError> {
    let (origin, line_no) = (&at.place.file, at.place.line.unwrap_or(0));
    let value: Value = serde_json::from_str(line)?;
    let Value::Object(mut record) = value else {
        return Err(LineError::NotAnObject);
    };
    let text = match record.remove("text") {
        Some(Value::String(t)) if !t.is_empty() => t,
        Some(Value::String(_)) => return Err(LineError::EmptyText),
        Some(_) => return Err(LineError::TextNotAString),
        None => return Err(LineError::NoText),
    };
    let spans = match record.remove("spans") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(spans)) => spans,
        Some(_) => return Err(LineError::NotAList("spans")),
    };
    let had_relations = matches!(record.get("relations"), Some(Value::Array(_)));
    let relations = match record.remove("relations") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(r)) => r,
        Some(_) => return Err(LineError::NotAList("relations")),
    };
    let name = record
        .get("meta")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut doc = build::new_document(
        name.clone().unwrap_or_default(),
        text,
        options,
        &format!("imported from {origin} line {line_no} (jsonl)"),
    );
    let status = match record.get("answer").and_then(Value::as_str) {
        Some("accept") => Status::Accepted,
        Some("reject") => Status::Rejected,
        _ => Status::Pending,
    };
    let tokens = Tokens::read(record.get("tokens"));
    let mut problems = Vec::new();
    let mut kept = Map::new();
    let mut span_extras = Map::new();
    let text = doc.text().clone();
    let converter = OffsetConverter::new(&text, options.offsets);
    for (i, raw) in spans.iter().enumerate() {
        match span_from(raw, &converter, &text, &tokens, options) {
            Ok((mut span, warning)) => {
                if let Some(w) = warning {
                    problems.push(at.span_problem(
                        i,
                        ProblemKind::Remark,
                        format!("span {i}: {w}"),
                    ));
                }
                span.id = doc.set().next_id();
                span.status = status;
                let id = span.id.clone();
                match doc.apply(&Edit::add(span), &options.annotator, options.at) {
                    Ok(()) => {
                        if let Some(extra) = extras(raw, &SPAN_FIELDS) {
                            span_extras.insert(id.to_string(), extra);
                        }
                    }
                    Err(e) => problems.push(at.span_problem(
                        i,
                        ProblemKind::NotTaken,
                        format!("span {i}: not taken: {e}"),
                    )),
                }
            }
            Err(e) => problems.push(at.span_problem(i, e.kind(), format!("span {i}: {e}"))),
        }
    }
    let mut relation_extras = Map::new();
    for (i, raw) in relations.iter().enumerate() {
        match relation_from(raw, &mut doc, &converter, &tokens, status, options) {
            Ok(id) => {
                if let Some(extra) = extras(raw, &RELATION_FIELDS) {
                    relation_extras.insert(id.to_string(), extra);
                }
            }
            Err(e) => problems.push(at.problem(e.kind(), format!("relation {i}: {e}"))),
        }
    }
    // What Spanmark has no place for is kept, to be written back.
    if let Some(Value::Object(mut meta)) = record.remove("meta") {
        for own in OWN_META {
            meta.remove(own);
        }
        if !meta.is_empty() {
            kept.insert("meta".into(), Value::Object(meta));
        }
    }
    kept.extend(record);
    if !span_extras.is_empty() {
        kept.insert("spans".into(), Value::Object(span_extras));
    }
    // A file that had relations gets them back, even an empty list.
    if had_relations {
        kept.insert("relations".into(), Value::Object(relation_extras));
    }
    if !kept.is_empty() {
        doc.meta.insert(META.to_string(), Value::Object(kept));
    }
    Ok(JsonlDocument {
        name,
        imported: ImportedDocument { doc, problems },
    })
}

/// The fields of `raw` other than `known`, if any.
fn extras(raw: &Value, known: &[&str]) -> Option<Value> {
    let rest: Map<String, Value> = raw
        .as_object()?
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (!rest.is_empty()).then_some(Value::Object(rest))
}

/// Why a span object of a line cannot be taken.
#[derive(Debug, thiserror::Error)]
pub enum SpanError {
    /// `start` or `end`.
    #[error("\"{0}\" is missing or not a whole number")]
    NotANumber(&'static str),
    #[error("\"label\" is missing or not a string")]
    NoLabel,
    #[error(transparent)]
    Label(#[from] SchemaError),
    /// `describe`: `(LABEL START..END)` as the file gives them.
    #[error("{describe} {source}")]
    Range {
        describe: String,
        source: RangeError,
    },
    /// `utf16`: UTF-16 offsets would give the quoted text.
    #[error(
        "{describe} \"text\" is {quote:?} but the offsets give {actual:?}{}",
        if *utf16 { "; the offsets look like UTF-16 code units: import with --offsets utf16" } else { "" }
    )]
    TextMismatch {
        describe: String,
        quote: String,
        actual: String,
        utf16: bool,
    },
}

impl SpanError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            SpanError::NotANumber(_) | SpanError::NoLabel => ProblemKind::Structure,
            SpanError::Label(_) => ProblemKind::Name,
            SpanError::Range { .. } => ProblemKind::Offsets,
            SpanError::TextMismatch { .. } => ProblemKind::TextMismatch,
        }
    }
}

/// A span from a JSON span object, and a warning about it that does not stop it.
fn span_from(
    raw: &Value,
    converter: &OffsetConverter<'_>,
    text: &Text,
    tokens: &Tokens,
    options: &ImportOptions,
) -> Result<(Span, Option<String>), SpanError> {
    let field = |key: &str| raw.get(key);
    let number = |key: &str| -> Option<usize> {
        field(key)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    let token_range = match (number("token_start"), number("token_end")) {
        (Some(ts), Some(te)) => Some((ts, te)),
        _ => None,
    };
    // Offsets from the tokens when the span has none (token_end is inclusive).
    let from_tokens = token_range.and_then(|(ts, te)| {
        let (s, _) = tokens.offsets.get(ts)?;
        let (_, e) = tokens.offsets.get(te)?;
        Some((*s, *e))
    });
    let (start, end) = match (number("start"), number("end"), from_tokens) {
        (Some(s), Some(e), _) => (s, e),
        (_, _, Some(se)) if options.offsets == OffsetUnit::UnicodeScalar => se,
        (None, _, _) => return Err(SpanError::NotANumber("start")),
        (_, None, _) => return Err(SpanError::NotANumber("end")),
    };
    let label_name = field("label")
        .and_then(Value::as_str)
        .ok_or(SpanError::NoLabel)?;
    let label = Label::new(label_name)?;
    let describe = format!("({label_name} {start}..{end})");
    let range = foreign_range(start, end, converter, text, options.offsets).map_err(|source| {
        SpanError::Range {
            describe: describe.clone(),
            source,
        }
    })?;
    if let Some(quote) = field("text").and_then(Value::as_str) {
        let actual = text.slice(range).unwrap_or("");
        if actual != quote {
            return Err(SpanError::TextMismatch {
                describe,
                quote: quote.to_string(),
                actual: actual.to_string(),
                utf16: options.offsets != OffsetUnit::Utf16
                    && utf16_would_match(text, start, end, quote),
            });
        }
    }
    let warning = match (token_range, tokens.is_empty()) {
        (Some((ts, te)), false) if options.offsets == OffsetUnit::UnicodeScalar => {
            match tokens.span(range.start().0, range.end().0) {
                Some(found) if found == (ts, te) => None,
                found => {
                    let exclusive = te > 0 && tokens.span(start, end) == Some((ts, te - 1));
                    Some(format!(
                        "{describe} token_start/token_end are {ts}..{te} but the offsets are on tokens {}{}; taken at the offsets (Prodigy's token_end is inclusive; the token indices are computed again on export)",
                        found.map_or("that are not there".to_string(), |(a, b)| format!(
                            "{a}..{b}"
                        )),
                        if exclusive {
                            ", so this token_end looks exclusive"
                        } else {
                            ""
                        }
                    ))
                }
            }
        }
        _ => None,
    };
    let mut span = Span::new(
        SpanId::numbered(0),
        label,
        range,
        &options.annotator,
        options.at,
    );
    span.origin = Origin::Imported;
    span.note = field("note").and_then(Value::as_str).map(str::to_string);
    if let Some(Value::Object(attrs)) = field("attrs") {
        for (k, v) in attrs {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            span.attrs.insert(k.clone(), v);
        }
    }
    Ok((span, warning))
}

/// Why a Prodigy relation cannot be taken.
#[derive(Debug, thiserror::Error)]
pub enum RelationError {
    #[error("\"label\" is missing or not a string")]
    NoLabel,
    #[error("\"label\" is not a usable name")]
    BadLabel,
    /// `head_span` or `child_span`.
    #[error("\"{0}\" is missing")]
    NoEnd(&'static str),
    #[error("{key}: {source}")]
    End {
        key: &'static str,
        source: SpanError,
    },
    #[error("{key}: not taken: {source}")]
    EndNotTaken { key: &'static str, source: SetError },
    #[error("not taken: {0}")]
    NotTaken(SetError),
}

impl RelationError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            RelationError::NoLabel | RelationError::NoEnd(_) => ProblemKind::Structure,
            RelationError::BadLabel => ProblemKind::Name,
            RelationError::End { source, .. } => source.kind(),
            RelationError::EndNotTaken { .. } | RelationError::NotTaken(_) => ProblemKind::NotTaken,
        }
    }
}

/// A Prodigy relation between the spans at `head_span` and `child_span` (added when missing).
fn relation_from(
    raw: &Value,
    doc: &mut Document,
    converter: &OffsetConverter<'_>,
    tokens: &Tokens,
    status: Status,
    options: &ImportOptions,
) -> Result<SpanId, RelationError> {
    let kind = raw
        .get("label")
        .and_then(Value::as_str)
        .ok_or(RelationError::NoLabel)
        .and_then(|l| Label::new(l).map_err(|_| RelationError::BadLabel))?;
    let mut end = |key: &'static str| -> Result<SpanId, RelationError> {
        let held = raw.get(key).ok_or(RelationError::NoEnd(key))?;
        let text = doc.text().clone();
        let (span, _) = span_from(held, converter, &text, tokens, options)
            .map_err(|source| RelationError::End { key, source })?;
        if let Some(found) = doc
            .set()
            .at_range(span.range)
            .find(|s| s.label == span.label)
        {
            return Ok(found.id.clone());
        }
        let mut span = span;
        span.id = doc.set().next_id();
        span.status = status;
        let id = span.id.clone();
        doc.apply(&Edit::add(span), &options.annotator, options.at)
            .map_err(|source| RelationError::EndNotTaken { key, source })?;
        Ok(id)
    };
    let from = end("head_span")?;
    let to = end("child_span")?;
    let relation = Relation {
        id: doc.set().next_id(),
        kind,
        from,
        to,
        author: options.annotator.clone(),
        created: options.at,
        status: crate::model::Status::Pending,
        note: None,
        attrs: BTreeMap::new(),
    };
    let id = relation.id.clone();
    doc.apply(&Edit::AddRelation(relation), &options.annotator, options.at)
        .map_err(RelationError::NotTaken)?;
    Ok(id)
}

impl Reader for super::Jsonl {
    fn read(&self, path: &Path, _article: Option<&str>, options: &ImportOptions) -> ImportReport {
        import(path, options)
    }
}
