//! spaCy/Prodigy-style JSONL: one document per line.
//!
//! ```json
//! {"text": "Lavrov said", "spans": [{"start": 0, "end": 6, "label": "actor", "text": "Lavrov"}], "meta": {"name": "a.txt"}}
//! ```
//!
//! Offsets count Unicode scalar values (Python `str` indices), end-exclusive. On import the
//! document's name comes from `meta.name` when present; a span's `text`, when given, must match
//! its offsets (a mismatch is reported, with a hint when UTF-16 offsets would explain it).
//! Spans may carry `note` and `attrs`, which Spanmark writes back.
//!
//! Prodigy records are read with everything they carry:
//! - `tokens` (`[{"text", "start", "end", "id"}]`) and each span's `token_start`/`token_end`
//!   (**inclusive**: a one-token span has `token_start == token_end`); a span given by tokens
//!   alone takes its offsets from them, and tokens that disagree with the offsets are reported;
//! - `answer`: `accept` makes the spans accepted, `reject` rejected, `ignore` leaves them
//!   pending; the answer itself is kept;
//! - `relations` (`rel.manual`: `head_span`/`child_span`, `label`) become relations between the
//!   spans (a span named only by a relation is added);
//! - `meta`, `_input_hash`, `_task_hash`, `_view_id`, `_session_id`, … and any other field, and
//!   the fields of spans and relations Spanmark has no place for (`source`, `input_hash`,
//!   `color`, …), are kept in the document's `meta.prodigy` and written back on export, where
//!   `token_start`/`token_end` and the relations' `head`/`child` token indices are computed
//!   again from the tokens.
//!
//! Export cannot hold discontinuous spans, nor relations of a document without Prodigy tokens
//! (Prodigy's relations point at tokens): those are counted in the [`Loss`].

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::build::{self, foreign_range};
use super::offsets::{OffsetConverter, OffsetUnit, utf16_would_match};
use super::{ImportOptions, ImportReport, ImportedDocument, Loss};
use crate::model::{Document, Edit, Label, Origin, Relation, Span, SpanId, Status, Text};

/// The key of the document meta this format keeps.
const META: &str = "prodigy";
/// Span fields Spanmark holds itself.
const SPAN_FIELDS: [&str; 8] = [
    "start",
    "end",
    "label",
    "text",
    "note",
    "attrs",
    "token_start",
    "token_end",
];
/// Relation fields Spanmark holds itself (or computes again).
const RELATION_FIELDS: [&str; 5] = ["head", "child", "head_span", "child_span", "label"];
/// `meta` fields Spanmark writes itself.
const OWN_META: [&str; 3] = ["name", "annotator", "text_sha256"];

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
            report.problems.push(format!("cannot read: {e}: {origin}"));
            return report;
        }
    };
    let mut reader = BufReader::new(file);
    // JSON text never holds a NUL byte: this is a binary file (or UTF-16), and each of its
    // "lines" would only add another error.
    if reader.fill_buf().is_ok_and(|head| head.contains(&0)) {
        report.problems.push(format!(
            "binary file (a NUL byte), not UTF-8 JSONL: {origin}"
        ));
        return report;
    }
    let mut lines_read = 0;
    for (i, line) in reader.split(b'\n').enumerate() {
        let line_no = i + 1;
        let bytes = match line {
            Ok(b) => b,
            Err(e) => {
                report
                    .problems
                    .push(format!("{origin}:{line_no}: cannot read: {e}"));
                return report;
            }
        };
        // Binary data further in.
        if bytes.contains(&0) {
            report.problems.push(format!(
                "{origin}:{line_no}: binary data (a NUL byte), not UTF-8 JSONL; the rest of the file is skipped"
            ));
            return report;
        }
        let Ok(line) = std::str::from_utf8(&bytes) else {
            report
                .problems
                .push(format!("{origin}:{line_no}: not UTF-8 text"));
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
            Err(message) => report.problems.push(message),
        }
    }
    if lines_read == 0 {
        report
            .problems
            .push(format!("no records in the file: {origin}"));
    }
    report
}

/// Reads one JSONL line (`line_no` counts from 1, for messages) into a document, or says why
/// the line as a whole cannot be read. `origin` names the file in messages.
pub fn import_line(
    line: &str,
    origin: &str,
    line_no: usize,
    options: &ImportOptions,
) -> Result<JsonlDocument, String> {
    let at = |msg: String| format!("{origin}:{line_no}: {msg}");
    let value: Value =
        serde_json::from_str(line).map_err(|e| at(format!("not valid JSON: {e}")))?;
    let Value::Object(mut record) = value else {
        return Err(at("expected a JSON object".to_string()));
    };
    let text = match record.remove("text") {
        Some(Value::String(t)) if !t.is_empty() => t,
        Some(Value::String(_)) => return Err(at("\"text\" is empty".to_string())),
        Some(_) => return Err(at("\"text\" is not a string".to_string())),
        None => return Err(at("no \"text\" field".to_string())),
    };
    let spans = match record.remove("spans") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(spans)) => spans,
        Some(_) => return Err(at("\"spans\" is not a list".to_string())),
    };
    let had_relations = matches!(record.get("relations"), Some(Value::Array(_)));
    let relations = match record.remove("relations") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(r)) => r,
        Some(_) => return Err(at("\"relations\" is not a list".to_string())),
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
                    problems.push(at(format!("span {i}: {w}")));
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
                    Err(e) => problems.push(at(format!("span {i}: not taken: {e}"))),
                }
            }
            Err(msg) => problems.push(at(format!("span {i}: {msg}"))),
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
            Err(msg) => problems.push(at(format!("relation {i}: {msg}"))),
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

/// Prodigy's tokens: character offsets by token index, and the index of each start and end.
#[derive(Default)]
struct Tokens {
    offsets: Vec<(usize, usize)>,
    by_start: HashMap<usize, usize>,
    by_end: HashMap<usize, usize>,
}

impl Tokens {
    fn read(tokens: Option<&Value>) -> Self {
        let mut out = Tokens::default();
        let Some(Value::Array(tokens)) = tokens else {
            return out;
        };
        for (i, t) in tokens.iter().enumerate() {
            let (Some(s), Some(e)) = (build::number(t.get("start")), build::number(t.get("end")))
            else {
                // Tokens that cannot be read are not used at all (they are still kept).
                return Tokens::default();
            };
            out.offsets.push((s, e));
            out.by_start.entry(s).or_insert(i);
            out.by_end.insert(e, i);
        }
        out
    }

    fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// `(token_start, token_end)`, inclusive, of a character range on token boundaries.
    fn span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let first = *self.by_start.get(&start)?;
        let last = *self.by_end.get(&end)?;
        (first <= last).then_some((first, last))
    }
}

/// A span from a JSON span object, and a warning about it that does not stop it.
fn span_from(
    raw: &Value,
    converter: &OffsetConverter<'_>,
    text: &Text,
    tokens: &Tokens,
    options: &ImportOptions,
) -> Result<(Span, Option<String>), String> {
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
        (None, _, _) => return Err("\"start\" is missing or not a whole number".to_string()),
        (_, None, _) => return Err("\"end\" is missing or not a whole number".to_string()),
    };
    let label_name = field("label")
        .and_then(Value::as_str)
        .ok_or("\"label\" is missing or not a string")?;
    let label = Label::new(label_name).map_err(|e| e.to_string())?;
    let describe = format!("({label_name} {start}..{end})");
    let range = foreign_range(start, end, converter, text, options.offsets)
        .map_err(|e| format!("{describe} {e}"))?;
    if let Some(quote) = field("text").and_then(Value::as_str) {
        let actual = text.slice(range).unwrap_or("");
        if actual != quote {
            let hint = if options.offsets != OffsetUnit::Utf16
                && utf16_would_match(text, start, end, quote)
            {
                "; the offsets look like UTF-16 code units: import with --offsets utf16"
            } else {
                ""
            };
            return Err(format!(
                "{describe} \"text\" is {quote:?} but the offsets give {actual:?}{hint}"
            ));
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

/// A Prodigy relation between the spans at `head_span` and `child_span` (added when missing).
fn relation_from(
    raw: &Value,
    doc: &mut Document,
    converter: &OffsetConverter<'_>,
    tokens: &Tokens,
    status: Status,
    options: &ImportOptions,
) -> Result<SpanId, String> {
    let kind = raw
        .get("label")
        .and_then(Value::as_str)
        .ok_or("\"label\" is missing or not a string")
        .and_then(|l| Label::new(l).map_err(|_| "\"label\" is not a usable name"))?;
    let mut end = |key: &str| -> Result<SpanId, String> {
        let held = raw
            .get(key)
            .ok_or_else(|| format!("\"{key}\" is missing"))?;
        let text = doc.text().clone();
        let (span, _) = span_from(held, converter, &text, tokens, options)
            .map_err(|e| format!("{key}: {e}"))?;
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
            .map_err(|e| format!("{key}: not taken: {e}"))?;
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
        note: None,
        attrs: BTreeMap::new(),
    };
    let id = relation.id.clone();
    doc.apply(&Edit::AddRelation(relation), &options.annotator, options.at)
        .map_err(|e| format!("not taken: {e}"))?;
    Ok(id)
}

/// One JSONL line (without the newline) for `doc`, and what it could not hold: the bytes of
/// [`export_record`] serialised. A document that keeps nothing from an earlier JSONL import (no
/// extra fields, no tokens, so no relation can be placed) is written without building the
/// record's JSON tree first, which costs a dozen allocations a span.
pub fn export_line(doc: &Document) -> (String, Loss) {
    if doc.meta.contains_key(META) {
        let (record, loss) = export_record(doc);
        return (serde_json::to_string(&record).unwrap_or_default(), loss);
    }
    let set = doc.set();
    let text = doc.text();
    let mut loss = Loss::default();
    let no_tokens = Tokens::read(None);
    let spans = set
        .spans()
        .filter_map(|s| SpanOut::of(doc, s, &no_tokens, &mut loss))
        .collect();
    // Without tokens, a relation has no token indices to point at.
    loss.add("relations", set.relations().count());
    let line = Line {
        meta: LineMeta {
            annotator: &doc.annotator,
            name: &doc.source.name,
            text_sha256: text.sha256_hex(),
        },
        spans,
        text: text.as_str(),
    };
    (serde_json::to_string(&line).unwrap_or_default(), loss)
}

/// A record with nothing kept from an import; its fields in the order of [`export_record`]'s
/// (sorted) keys.
#[derive(Serialize)]
struct Line<'a> {
    meta: LineMeta<'a>,
    spans: Vec<SpanOut<'a>>,
    text: &'a str,
}

#[derive(Serialize)]
struct LineMeta<'a> {
    annotator: &'a str,
    name: &'a str,
    text_sha256: &'a str,
}

/// A span of a record, its fields in sorted order (as a JSON object of them is written).
#[derive(Serialize)]
struct SpanOut<'a> {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attrs: &'a BTreeMap<String, String>,
    end: usize,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    start: usize,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_start: Option<usize>,
}

impl<'a> SpanOut<'a> {
    /// `s` as written, or `None` (counted in `loss`) when the format cannot hold it.
    fn of(doc: &'a Document, s: &'a Span, tokens: &Tokens, loss: &mut Loss) -> Option<Self> {
        if !s.fragments.is_empty() {
            loss.add("discontinuous spans", 1);
            return None;
        }
        let (start, end) = (s.range.start().0, s.range.end().0);
        let token_span = tokens.span(start, end);
        Some(Self {
            attrs: &s.attrs,
            end,
            label: s.label.as_str(),
            note: s.note.as_deref(),
            start,
            text: doc.set().span_text(s),
            token_end: token_span.map(|t| t.1),
            token_start: token_span.map(|t| t.0),
        })
    }
}

/// The JSONL record for `doc` as a JSON object, and what it could not hold.
pub fn export_record(doc: &Document) -> (Value, Loss) {
    let set = doc.set();
    let text = doc.text();
    let mut loss = Loss::default();
    let kept = match doc.meta.get(META) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let object = |key: &str| match kept.get(key) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let span_extras = object("spans");
    let relation_extras = object("relations");
    let mut meta = object("meta");
    let tokens = Tokens::read(kept.get("tokens"));
    let mut record: Map<String, Value> = kept
        .iter()
        .filter(|(k, _)| !["meta", "spans", "relations"].contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    record.insert("text".into(), Value::from(text.as_str()));
    let mut spans = Vec::new();
    for s in set.spans() {
        let Some(fields) = SpanOut::of(doc, s, &tokens, &mut loss) else {
            continue;
        };
        let mut out = match span_extras.get(s.id.as_str()) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        if let Ok(Value::Object(fields)) = serde_json::to_value(&fields) {
            out.extend(fields);
        }
        spans.push(Value::Object(out));
    }
    record.insert("spans".into(), Value::Array(spans));
    let mut relations = Vec::new();
    // In the order they were made (s9 before s10), so a file read back keeps its ids.
    let mut in_order: Vec<&Relation> = set.relations().collect();
    in_order.sort_by_key(|r| (r.id.number().unwrap_or(u64::MAX), r.id.as_str()));
    for r in in_order {
        let ends = [&r.from, &r.to].map(|id| {
            let s = set.get(id).filter(|s| s.fragments.is_empty())?;
            let (start, end) = (s.range.start().0, s.range.end().0);
            let (ts, te) = tokens.span(start, end)?;
            Some((
                te,
                json!({"start": start, "end": end, "token_start": ts, "token_end": te, "label": s.label.as_str()}),
            ))
        });
        let [Some((head, head_span)), Some((child, child_span))] = ends else {
            loss.add("relations", 1);
            continue;
        };
        if r.note.is_some() || !r.attrs.is_empty() {
            loss.add("relation notes and attributes", 1);
        }
        let mut out = match relation_extras.get(r.id.as_str()) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        out.insert("head".into(), Value::from(head));
        out.insert("child".into(), Value::from(child));
        out.insert("head_span".into(), head_span);
        out.insert("child_span".into(), child_span);
        out.insert("label".into(), Value::from(r.kind.as_str()));
        relations.push(Value::Object(out));
    }
    if !relations.is_empty() || kept.contains_key("relations") {
        record.insert("relations".into(), Value::Array(relations));
    }
    meta.insert("name".into(), Value::from(doc.source.name.as_str()));
    meta.insert("annotator".into(), Value::from(doc.annotator.as_str()));
    meta.insert("text_sha256".into(), Value::from(text.sha256_hex()));
    record.insert("meta".into(), Value::Object(meta));
    (Value::Object(record), loss)
}

#[cfg(test)]
mod tests;
