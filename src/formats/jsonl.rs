//! spaCy/Prodigy-style JSONL: one document per line.
//!
//! ```json
//! {"text": "Lavrov said", "spans": [{"start": 0, "end": 6, "label": "actor", "text": "Lavrov"}], "meta": {"name": "a.txt"}}
//! ```
//!
//! Offsets count Unicode scalar values (Python `str` indices), end-exclusive. On import the
//! document's name comes from `meta.name` when present; a span's `text`, when given, must match
//! its offsets (a mismatch is reported, with a hint when UTF-16 offsets would explain it).
//! Spans may carry `note` and `attrs`, which Spanmark writes back; relations cannot be held.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::offsets::{OffsetConverter, OffsetUnit, utf16_would_match};
use super::{ImportOptions, ImportedDocument, Loss};
use crate::model::{
    AuditEntry, CharRange, Document, Edit, Label, Origin, Schema, Source, Span, Text,
};
use crate::store::hash::sha256_hex;

/// One line that was read into a document. `name` is from `meta.name`, when present.
#[derive(Debug, Clone)]
pub struct JsonlDocument {
    pub name: Option<String>,
    pub imported: ImportedDocument,
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
    let Value::Object(record) = value else {
        return Err(at("expected a JSON object".to_string()));
    };
    let text = match record.get("text") {
        Some(Value::String(t)) if !t.is_empty() => t.clone(),
        Some(Value::String(_)) => return Err(at("\"text\" is empty".to_string())),
        Some(_) => return Err(at("\"text\" is not a string".to_string())),
        None => return Err(at("no \"text\" field".to_string())),
    };
    let name = record
        .get("meta")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let source = Source {
        name: name.clone().unwrap_or_default(),
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
    doc.log(AuditEntry::document(
        options.at,
        &options.annotator,
        format!("imported from {origin} line {line_no} (jsonl)"),
    ));
    let mut problems = Vec::new();
    let spans = match record.get("spans") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(spans)) => spans.clone(),
        Some(_) => return Err(at("\"spans\" is not a list".to_string())),
    };
    let text = doc.text().clone();
    let converter = OffsetConverter::new(&text, options.offsets);
    for (i, raw) in spans.iter().enumerate() {
        match span_from(raw, &converter, &text, options) {
            Ok(mut span) => {
                span.id = doc.set().next_id();
                if let Err(e) = doc.apply(&Edit::add(span), &options.annotator, options.at) {
                    problems.push(at(format!("span {i}: not taken: {e}")));
                }
            }
            Err(msg) => problems.push(at(format!("span {i}: {msg}"))),
        }
    }
    Ok(JsonlDocument {
        name,
        imported: ImportedDocument { doc, problems },
    })
}

fn span_from(
    raw: &Value,
    converter: &OffsetConverter<'_>,
    text: &Text,
    options: &ImportOptions,
) -> Result<Span, String> {
    let field = |key: &str| raw.get(key);
    let number = |key: &str| -> Result<usize, String> {
        field(key)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| format!("\"{key}\" is missing or not a whole number"))
    };
    let start = number("start")?;
    let end = number("end")?;
    let label_name = field("label")
        .and_then(Value::as_str)
        .ok_or("\"label\" is missing or not a string")?;
    let label = Label::new(label_name).map_err(|e| e.to_string())?;
    let describe = format!("({label_name} {start}..{end})");
    if start >= end {
        return Err(format!(
            "{describe} start must be before end (empty or reversed)"
        ));
    }
    let (Some(s), Some(e)) = (converter.to_char(start), converter.to_char(end)) else {
        let (length, unit) = match options.offsets {
            OffsetUnit::UnicodeScalar => (text.len_chars(), "characters"),
            OffsetUnit::Utf16 => (text.as_str().encode_utf16().count(), "UTF-16 code units"),
            OffsetUnit::Bytes => (text.as_str().len(), "bytes"),
        };
        return Err(format!(
            "{describe} runs past the end of the text ({length} {unit} long) or splits a character"
        ));
    };
    let range = CharRange::new(s.0, e.0).ok_or_else(|| format!("{describe} reversed"))?;
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
    let mut span = Span::new(
        crate::model::SpanId::numbered(0),
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
    Ok(span)
}

#[derive(Serialize)]
struct LineOut<'a> {
    text: &'a str,
    spans: Vec<SpanOut<'a>>,
    meta: MetaOut<'a>,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attrs: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct MetaOut<'a> {
    name: &'a str,
    annotator: &'a str,
    text_sha256: String,
}

/// One JSONL line (without the newline) for `doc`, and what it could not hold.
pub fn export_line(doc: &Document) -> (String, Loss) {
    let set = doc.set();
    let text = doc.text();
    let line = LineOut {
        text: text.as_str(),
        spans: set
            .spans()
            .map(|s| SpanOut {
                start: s.range.start().0,
                end: s.range.end().0,
                label: s.label.as_str(),
                text: set.span_text(s),
                note: s.note.as_deref(),
                attrs: &s.attrs,
            })
            .collect(),
        meta: MetaOut {
            name: &doc.source.name,
            annotator: &doc.annotator,
            text_sha256: sha256_hex(text.as_str().as_bytes()),
        },
    };
    let mut loss = Loss::default();
    loss.add("relations", set.relations().count());
    (serde_json::to_string(&line).unwrap_or_default(), loss)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    fn options(offsets: OffsetUnit) -> ImportOptions {
        ImportOptions {
            annotator: "imp".into(),
            offsets,
            at: Timestamp::from_unix(7),
        }
    }

    #[test]
    fn reads_a_line_with_meta_name_and_writes_it_back() {
        let line = r#"{"text": "👍 Lavrov said on Monday", "spans": [{"start": 2, "end": 8, "label": "actor", "text": "Lavrov"}, {"start": 2, "end": 23, "label": "claim"}, {"start": 17, "end": 23, "label": "date", "attrs": {"iso": "2021-10-18"}}], "meta": {"name": "a.txt"}}"#;
        let read = import_line(line, "in.jsonl", 1, &options(OffsetUnit::UnicodeScalar)).unwrap();
        assert_eq!(read.name.as_deref(), Some("a.txt"));
        let doc = &read.imported.doc;
        assert!(
            read.imported.problems.is_empty(),
            "{:?}",
            read.imported.problems
        );
        assert_eq!(doc.set().len(), 3);
        let span = doc.set().spans().next().unwrap();
        assert_eq!(span.origin, Origin::Imported);
        assert_eq!(span.author, "imp");
        let (out, loss) = export_line(doc);
        assert!(loss.is_empty());
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["spans"][0]["text"], "Lavrov");
        assert_eq!(v["spans"][2]["attrs"]["iso"], "2021-10-18");
        assert_eq!(v["meta"]["name"], "a.txt");
        // And back again: the same spans.
        let again = import_line(&out, "out.jsonl", 1, &options(OffsetUnit::UnicodeScalar)).unwrap();
        let ranges = |d: &Document| -> Vec<_> {
            d.set()
                .spans()
                .map(|s| (s.range, s.label.clone(), s.attrs.clone()))
                .collect()
        };
        assert_eq!(ranges(&again.imported.doc), ranges(doc));
    }

    #[test]
    fn bad_spans_are_reported_and_the_rest_kept() {
        let line = r#"{"text": "abc def", "spans": [{"start": 0, "end": 3, "label": "actor"}, {"start": 5, "end": 99, "label": "actor"}, {"start": 4, "end": 4, "label": "x"}, {"start": 0, "end": 3, "label": "actor"}, {"start": "a"}, {"start": 4, "end": 7, "label": "date", "text": "dex"}]}"#;
        let read = import_line(line, "in.jsonl", 3, &options(OffsetUnit::UnicodeScalar)).unwrap();
        assert_eq!(read.imported.doc.set().len(), 1);
        let p = &read.imported.problems;
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(p.iter().all(|m| m.starts_with("in.jsonl:3: span ")));
        assert!(p[0].contains("span 1") && p[0].contains("past the end"));
        assert!(p[2].contains("already has range"));
        assert!(p[4].contains("\"dex\""));
    }

    #[test]
    fn utf16_offsets_are_detected_and_converted() {
        let line = r#"{"text": "💩This is an annotation.", "spans": [{"start": 13, "end": 23, "label": "claim", "text": "annotation"}]}"#;
        let read = import_line(line, "ls.jsonl", 1, &options(OffsetUnit::UnicodeScalar)).unwrap();
        assert!(
            read.imported.problems[0].contains("--offsets utf16"),
            "{:?}",
            read.imported.problems
        );
        let read = import_line(line, "ls.jsonl", 1, &options(OffsetUnit::Utf16)).unwrap();
        let span = read.imported.doc.set().spans().next().unwrap();
        assert_eq!(span.range, CharRange::new(12, 22).unwrap());
    }

    #[test]
    fn bad_lines() {
        let o = options(OffsetUnit::UnicodeScalar);
        for (line, expected) in [
            ("{", "not valid JSON"),
            ("[1]", "expected a JSON object"),
            (r#"{"spans": []}"#, "no \"text\""),
            (r#"{"text": ""}"#, "empty"),
            (r#"{"text": 5}"#, "not a string"),
            (r#"{"text": "a", "spans": 3}"#, "not a list"),
        ] {
            let err = import_line(line, "f.jsonl", 9, &o).unwrap_err();
            assert!(
                err.starts_with("f.jsonl:9: ") && err.contains(expected),
                "{err}"
            );
        }
    }
}
