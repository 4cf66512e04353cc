//! doccano's JSONL, both shapes it reads and writes:
//!
//! ```json
//! {"text": "EU rejects German call", "label": [[0, 2, "ORG"], [11, 17, "MISC"]]}
//! {"text": "Google was founded …", "entities": [{"id": 0, "start_offset": 0, "end_offset": 6, "label": "ORG"}],
//!  "relations": [{"id": 0, "from_id": 0, "to_id": 1, "type": "foundedAt"}]}
//! ```
//!
//! Import also reads doccano 1.x exports (`annotations: [{label, start_offset, end_offset,
//! user}]`, one document per user, annotator `doccano user N`), the `labels` key, import files
//! whose columns were renamed (`column_data`/`column_label`: the only string field is the text,
//! the only list of `[start, end, label]` triples the spans), JSON arrays of records and
//! pretty-printed records. Every other field (`id`, `meta`, `annotation_approver`, categories
//! such as `label: ["positive"]`, …) is kept in the document's `meta.doccano` and written back.
//!
//! Offsets: doccano's UI counts UTF-16 code units (doccano #2290); Python scripts count
//! characters. The file carries no span text, so the unit cannot be checked: the two only differ
//! after a character outside the Basic Multilingual Plane (an emoji), and when the user did not
//! name the unit, every record with spans past such a character is questioned.
//!
//! doccano allows the same span twice (`example_overlapping.jsonl`); Spanmark holds one span per
//! range and label, so a repeat is kept once with `doccano.copies` = how many, reported, and
//! written back that many times.
//!
//! Export writes the `label` form, or the `entities`/`relations` form when asked to or when any
//! exported document has relations (decided once per file: a doccano project reads one form).
//! It cannot hold discontinuous spans, span notes or attributes, nor relations in the `label`
//! form: those are counted in the [`Loss`].

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::Path;

use serde_json::{Map, Value, json};

use super::build::{self, Record};
use super::offsets::{OffsetConverter, OffsetUnit};
use super::{ImportOptions, ImportReport, ImportedDocument, Loss};
use crate::model::{Document, Edit, Label, Origin, Relation, Span, SpanId};

/// The attribute that counts how often doccano had the same span.
pub const COPIES: &str = "doccano.copies";

/// Which of doccano's two shapes to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `label: [[start, end, "LABEL"]]` (sequence labelling projects).
    Label,
    /// `entities` + `relations` (relation extraction projects).
    Entities,
}

/// Reads a doccano file (JSONL, pretty-printed records, or a JSON array of records).
pub fn import(path: &Path, options: &ImportOptions) -> ImportReport {
    build::import_file(path, options, import_str)
}

/// Reads doccano records from `content`; `origin` names the file in messages and `stem` names
/// documents (`stem-LINE`).
pub fn import_str(
    content: &str,
    origin: &str,
    stem: &str,
    options: &ImportOptions,
) -> ImportReport {
    let mut report = ImportReport::default();
    let mut records = 0;
    for Record { line, value } in build::json_records(content) {
        match value {
            Err(e) => report.problems.push(format!("{origin}:{line}: {e}")),
            Ok(Value::Array(items)) => {
                for (i, item) in items.into_iter().enumerate() {
                    records += 1;
                    let at = format!("{origin}:{line}: record {}", i + 1);
                    read_record(item, &at, format!("{stem}-{}", i + 1), options, &mut report);
                }
            }
            Ok(value) => {
                records += 1;
                let at = format!("{origin}:{line}");
                read_record(value, &at, format!("{stem}-{line}"), options, &mut report);
            }
        }
    }
    if records == 0 && report.problems.is_empty() {
        report
            .problems
            .push(format!("no records in the file: {origin}"));
    }
    report
}

/// A span as the file gives it, before it is checked.
struct RawSpan {
    /// Where it was: `span 3` or `entity 3`.
    what: String,
    start: Option<usize>,
    end: Option<usize>,
    label: Option<String>,
    /// The entity id relations refer to.
    id: Option<String>,
    /// doccano 1.x: whose annotation it is.
    user: Option<String>,
}

fn read_record(
    value: Value,
    at: &str,
    name: String,
    options: &ImportOptions,
    report: &mut ImportReport,
) {
    match record(value, at, name, options) {
        Ok(docs) => report.documents.extend(docs),
        Err(message) => report.problems.push(format!("{at}: {message}")),
    }
}

fn record(
    value: Value,
    at: &str,
    name: String,
    options: &ImportOptions,
) -> Result<Vec<ImportedDocument>, String> {
    let Value::Object(mut rec) = value else {
        return Err("expected a JSON object (a doccano record)".to_string());
    };
    let text_key = match &options.text_key {
        Some(key) if rec.contains_key(key) => key.clone(),
        Some(key) => return Err(format!("no {key:?} field (--text-key)")),
        None => text_key(&rec)?,
    };
    let text = match rec.remove(&text_key) {
        Some(Value::String(t)) if !t.is_empty() => t,
        Some(Value::String(_)) => return Err(format!("{text_key:?} is empty")),
        _ => return Err(format!("{text_key:?} is not a string")),
    };
    let mut spans = Vec::new();
    let mut relations = Vec::new();
    if let Some(entities) = rec.remove("entities") {
        let Value::Array(entities) = entities else {
            return Err("\"entities\" is not a list".to_string());
        };
        for (i, e) in entities.iter().enumerate() {
            spans.push(RawSpan {
                what: format!("entity {i}"),
                start: build::number(e.get("start_offset")),
                end: build::number(e.get("end_offset")),
                label: build::label_name(e.get("label")),
                id: e.get("id").map(id_string),
                user: None,
            });
        }
        match rec.remove("relations") {
            None | Some(Value::Null) => {}
            Some(Value::Array(r)) => relations = r,
            Some(_) => return Err("\"relations\" is not a list".to_string()),
        }
    }
    if let Some(key) = triples_key(&rec)
        && let Some(Value::Array(items)) = rec.remove(&key)
    {
        for (i, item) in items.iter().enumerate() {
            let triple = item.as_array();
            let part = |k: usize| triple.and_then(|t| t.get(k));
            spans.push(RawSpan {
                what: format!("span {i}"),
                start: build::number(part(0)),
                end: build::number(part(1)),
                label: build::label_name(part(2)),
                id: None,
                user: None,
            });
        }
    }
    let positioned = |v: &Value| v.get("start_offset").is_some();
    let positioned_list =
        matches!(rec.get("annotations"), Some(Value::Array(items)) if items.iter().any(positioned));
    if positioned_list && let Some(Value::Array(items)) = rec.remove("annotations") {
        for (i, a) in items.iter().enumerate() {
            spans.push(RawSpan {
                what: format!("annotation {i}"),
                start: build::number(a.get("start_offset")),
                end: build::number(a.get("end_offset")),
                label: build::label_name(a.get("label")),
                id: a.get("id").map(id_string),
                user: a.get("user").map(id_string),
            });
        }
    }
    // One document per user (doccano 1.x kept every annotator's spans in one record).
    let mut users: Vec<Option<String>> = Vec::new();
    for s in &spans {
        if !users.contains(&s.user) {
            users.push(s.user.clone());
        }
    }
    if users.is_empty() {
        users.push(None);
    }
    let leftovers = rec;
    let mut docs = Vec::with_capacity(users.len());
    for user in users {
        let (name, annotator) = match &user {
            Some(u) => (format!("{name}-user{u}"), format!("doccano user {u}")),
            None => (name.clone(), options.annotator.clone()),
        };
        let group: Vec<&RawSpan> = spans.iter().filter(|s| s.user == user).collect();
        let rels = if user.is_none() { &relations[..] } else { &[] };
        let mut imported = document(name, &text, &group, rels, at, options);
        imported.doc.annotator = annotator;
        if !leftovers.is_empty() {
            imported
                .doc
                .meta
                .insert("doccano".to_string(), Value::Object(leftovers.clone()));
        }
        docs.push(imported);
    }
    Ok(docs)
}

/// The key of the text: `text`, `data`, or the only field holding a string.
fn text_key(rec: &Map<String, Value>) -> Result<String, String> {
    for key in ["text", "data"] {
        if rec.contains_key(key) {
            return Ok(key.to_string());
        }
    }
    let strings: Vec<&String> = rec
        .iter()
        .filter(|(_, v)| v.is_string())
        .map(|(k, _)| k)
        .collect();
    match strings.as_slice() {
        [only] => Ok((*only).clone()),
        [] => Err("no \"text\" field".to_string()),
        _ => Err(format!(
            "no \"text\" field, and several fields could be the text ({})",
            strings
                .iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The key of a `[[start, end, "LABEL"], …]` list: `label`, `labels`, or the only field that
/// holds one. A list of plain strings (`label: ["positive"]`) is a category, not spans.
fn triples_key(rec: &Map<String, Value>) -> Option<String> {
    let is_triples = |v: &Value| {
        v.as_array()
            .is_some_and(|items| !items.is_empty() && items.iter().all(Value::is_array))
    };
    for key in ["label", "labels"] {
        if let Some(v) = rec.get(key) {
            if is_triples(v) || v.as_array().is_some_and(Vec::is_empty) {
                return Some(key.to_string());
            }
            return None;
        }
    }
    let candidates: Vec<&String> = rec
        .iter()
        .filter(|(_, v)| is_triples(v))
        .map(|(k, _)| k)
        .collect();
    match candidates.as_slice() {
        [only] => Some((*only).clone()),
        _ => None,
    }
}

fn id_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Builds one document from its spans and relations; problems name `at` and the span.
fn document(
    name: String,
    text: &str,
    spans: &[&RawSpan],
    relations: &[Value],
    at: &str,
    options: &ImportOptions,
) -> ImportedDocument {
    let mut doc = build::new_document(
        name,
        text.to_string(),
        options,
        &format!("imported from {at} (doccano)"),
    );
    let text = doc.text().clone();
    let converter = OffsetConverter::new(&text, options.offsets);
    let mut problems = Vec::new();
    // (range, label) → index in `kept`, so repeats are counted instead of refused.
    let mut kept: Vec<(Span, usize, String)> = Vec::new();
    let mut by_key: HashMap<(usize, usize, Label), usize> = HashMap::new();
    let mut entity_ids: HashMap<String, usize> = HashMap::new();
    let mut after_astral = 0;
    let astral = build::first_astral(&text);
    for raw in spans {
        let label_text = raw.label.as_deref().unwrap_or("?");
        let describe = match (raw.start, raw.end) {
            (Some(s), Some(e)) => format!("{} ({label_text} {s}..{e})", raw.what),
            _ => raw.what.clone(),
        };
        let (Some(start), Some(end)) = (raw.start, raw.end) else {
            problems.push(format!(
                "{at}: {describe}: start or end is missing or not a whole number"
            ));
            continue;
        };
        let Some(label_name) = &raw.label else {
            problems.push(format!(
                "{at}: {describe}: the label is missing or not a string"
            ));
            continue;
        };
        let label = match Label::new(label_name.as_str()) {
            Ok(l) => l,
            Err(e) => {
                problems.push(format!("{at}: {describe}: {e}"));
                continue;
            }
        };
        let range = match build::foreign_range(start, end, &converter, &text, options.offsets) {
            Ok(r) => r,
            Err(e) => {
                let hint = if options.offsets != OffsetUnit::Utf16 && astral.is_some() {
                    "; doccano's UI counts UTF-16 code units: try --offsets utf16"
                } else {
                    ""
                };
                problems.push(format!("{at}: {describe}: {e}{hint}"));
                continue;
            }
        };
        if astral.is_some_and(|a| range.end().0 > a) {
            after_astral += 1;
        }
        let key = (range.start().0, range.end().0, label.clone());
        if let Some(&i) = by_key.get(&key) {
            kept[i].1 += 1;
            problems.push(format!(
                "{at}: {describe}: the same span as {} (same range and label); kept once, with {COPIES} = {}",
                kept[i].2, kept[i].1
            ));
            if let Some(id) = &raw.id {
                entity_ids.insert(id.clone(), i);
            }
            continue;
        }
        let mut span = Span::new(
            SpanId::numbered(kept.len() as u64 + 1),
            label,
            range,
            &doc.annotator,
            options.at,
        );
        span.origin = Origin::Imported;
        if let Some(id) = &raw.id {
            if entity_ids.contains_key(id) {
                // Relations could not tell the two apart: they keep naming the first.
                problems.push(format!(
                    "{at}: {describe}: entity id {id} is used twice; relations to it link the first"
                ));
            } else {
                entity_ids.insert(id.clone(), kept.len());
            }
        }
        by_key.insert(key, kept.len());
        kept.push((span, 1, raw.what.clone()));
    }
    // Spans are checked as a whole set before any goes in, so ids stay s1, s2, … in file order.
    let mut taken: Vec<Option<SpanId>> = Vec::with_capacity(kept.len());
    for (mut span, copies, _) in kept {
        if copies > 1 {
            span.attrs.insert(COPIES.to_string(), copies.to_string());
        }
        let id = span.id.clone();
        let describe = format!("span {} ({} {})", id, span.label, span.range);
        match build::add_span(&mut doc, span, options) {
            Ok(()) => taken.push(Some(id)),
            Err(e) => {
                problems.push(format!("{at}: {describe}: not taken: {e}"));
                taken.push(None);
            }
        }
    }
    for (i, raw) in relations.iter().enumerate() {
        let end = |key: &str| -> Result<SpanId, String> {
            let id = raw
                .get(key)
                .map(id_string)
                .ok_or_else(|| format!("\"{key}\" is missing"))?;
            entity_ids
                .get(&id)
                .and_then(|&k| taken.get(k).cloned().flatten())
                .ok_or_else(|| format!("\"{key}\" {id} names no entity that was taken"))
        };
        let kind = build::label_name(raw.get("type"))
            .ok_or_else(|| "\"type\" is missing or not a string".to_string())
            .and_then(|k| Label::new(k).map_err(|e| e.to_string()));
        let relation = match (end("from_id"), end("to_id"), kind) {
            (Ok(from), Ok(to), Ok(kind)) => Relation {
                id: doc.set().next_id(),
                kind,
                from,
                to,
                author: doc.annotator.clone(),
                created: options.at,
                note: None,
                attrs: BTreeMap::new(),
            },
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                problems.push(format!("{at}: relation {i}: {e}"));
                continue;
            }
        };
        if let Err(e) = doc.apply(&Edit::AddRelation(relation), &options.annotator, options.at) {
            problems.push(format!("{at}: relation {i}: not taken: {e}"));
        }
    }
    if after_astral > 0
        && options.offsets == OffsetUnit::UnicodeScalar
        && !options.offsets_named
        && let Some(a) = astral
    {
        problems.push(format!(
            "{at}: {after_astral} span(s) end after character {a}, an emoji or another character outside the Basic Multilingual Plane, where doccano's UI (UTF-16 code units) and Python (characters) count differently; doccano files carry no span text, so a UTF-16 shift can only show after such characters and cannot be checked: they were read as characters; if the file came from doccano's UI, import it again with --offsets utf16 (or confirm with --offsets unicode-scalar)"
        ));
    }
    ImportedDocument { doc, problems }
}

/// Writes `docs` as doccano JSONL, one record per line, in `offsets` units. `form`: the shape to
/// write, or `None` for the `entities` form when any document has relations, else `label`.
/// Returns what the file could not hold.
pub fn export(
    docs: &[&Document],
    form: Option<Form>,
    offsets: OffsetUnit,
    out: &mut dyn Write,
) -> io::Result<Loss> {
    let form = form.unwrap_or_else(|| {
        if docs.iter().any(|d| d.set().relations().next().is_some()) {
            Form::Entities
        } else {
            Form::Label
        }
    });
    let mut loss = Loss::default();
    for doc in docs {
        let (record, lost) = export_record(doc, form, offsets);
        loss.merge(&lost);
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(loss)
}

/// One doccano record for `doc`, and what it could not hold.
pub fn export_record(doc: &Document, form: Form, offsets: OffsetUnit) -> (Value, Loss) {
    let mut loss = Loss::default();
    let text = doc.text();
    let set = doc.set();
    let converter = OffsetConverter::new(text, offsets);
    let mut record = match doc.meta.get("doccano") {
        Some(Value::Object(kept)) => kept.clone(),
        _ => Map::new(),
    };
    record.insert("text".to_string(), Value::from(text.as_str()));
    // (span id → first entity id) for relations.
    let mut entity_of: HashMap<&SpanId, usize> = HashMap::new();
    let mut items = Vec::new();
    for span in set.spans() {
        if !span.fragments.is_empty() {
            loss.add("discontinuous spans", 1);
            continue;
        }
        if span.note.is_some() {
            loss.add("span notes", 1);
        }
        if span.attrs.keys().any(|k| k != COPIES) {
            loss.add("span attributes", 1);
        }
        let copies = span
            .attrs
            .get(COPIES)
            .and_then(|c| c.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 1000);
        let start = converter.from_char(span.range.start());
        let end = converter.from_char(span.range.end());
        for _ in 0..copies {
            match form {
                Form::Label => items.push(json!([start, end, span.label.as_str()])),
                Form::Entities => {
                    entity_of.entry(&span.id).or_insert(items.len());
                    items.push(json!({
                        "id": items.len(),
                        "start_offset": start,
                        "end_offset": end,
                        "label": span.label.as_str(),
                    }));
                }
            }
        }
    }
    match form {
        Form::Label => {
            // Categories read from the same key (`label: ["positive"]`) stay in front.
            let mut label = match record.remove("label") {
                Some(Value::Array(categories)) => categories,
                _ => Vec::new(),
            };
            label.extend(items);
            record.insert("label".to_string(), Value::Array(label));
            loss.add("relations", set.relations().count());
        }
        Form::Entities => {
            let mut relations = Vec::new();
            for r in set.relations() {
                let (Some(from), Some(to)) = (entity_of.get(&r.from), entity_of.get(&r.to)) else {
                    loss.add("relations", 1);
                    continue;
                };
                if r.note.is_some() || !r.attrs.is_empty() {
                    loss.add("relation notes and attributes", 1);
                }
                relations.push(json!({
                    "id": relations.len(),
                    "from_id": from,
                    "to_id": to,
                    "type": r.kind.as_str(),
                }));
            }
            record.insert("entities".to_string(), Value::Array(items));
            record.insert("relations".to_string(), Value::Array(relations));
        }
    }
    (Value::Object(record), loss)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::*;
    use crate::model::{CharRange, Text, Timestamp};

    fn options(offsets: OffsetUnit) -> ImportOptions {
        ImportOptions {
            annotator: "imp".into(),
            offsets,
            offsets_named: true,
            at: Timestamp::from_unix(7),
            ..ImportOptions::default()
        }
    }

    fn fixture(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/doccano")
            .join(rel)
    }

    /// `(start, end, label)` of every span, in order.
    fn spans(doc: &Document) -> Vec<(usize, usize, String)> {
        doc.set()
            .spans()
            .map(|s| (s.range.start().0, s.range.end().0, s.label.to_string()))
            .collect()
    }

    fn export_str(docs: &[&Document], form: Option<Form>, unit: OffsetUnit) -> (String, Loss) {
        let mut out = Vec::new();
        let loss = export(docs, form, unit, &mut out).unwrap();
        (String::from_utf8(out).unwrap(), loss)
    }

    /// Import → export → import gives the same spans, relations and kept fields.
    fn round_trip(report: &ImportReport) {
        let docs: Vec<&Document> = report.documents.iter().map(|d| &d.doc).collect();
        let (out, loss) = export_str(&docs, None, OffsetUnit::UnicodeScalar);
        assert!(loss.is_empty(), "{loss:?}");
        let again = import_str(
            &out,
            "again.jsonl",
            "again",
            &options(OffsetUnit::UnicodeScalar),
        );
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        assert_eq!(again.documents.len(), report.documents.len());
        for (a, b) in again.documents.iter().zip(&report.documents) {
            assert_eq!(spans(&a.doc), spans(&b.doc));
            let rel = |d: &Document| -> Vec<(String, String, String)> {
                d.set()
                    .relations()
                    .map(|r| {
                        let label = |id: &SpanId| d.set().get(id).unwrap().range.to_string();
                        (label(&r.from), label(&r.to), r.kind.to_string())
                    })
                    .collect()
            };
            assert_eq!(rel(&a.doc), rel(&b.doc));
            assert_eq!(a.doc.meta, b.doc.meta);
            let copies = |d: &Document| -> Vec<Option<String>> {
                d.set()
                    .spans()
                    .map(|s| s.attrs.get(COPIES).cloned())
                    .collect()
            };
            assert_eq!(copies(&a.doc), copies(&b.doc));
        }
    }

    #[test]
    fn every_fixture_imports_without_losing_a_span_and_round_trips() {
        // (file, documents, spans, relations, problems)
        let cases = [
            (
                "doccano__doccano/backend/data_export/pipeline/examples/sequence_labeling/example.jsonl",
                3,
                4,
                0,
                0,
            ),
            (
                "doccano__doccano/backend/data_export/pipeline/examples/relation_extraction/example.jsonl",
                1,
                4,
                3,
                0,
            ),
            (
                "doccano__doccano/backend/data_import/pipeline/examples/sequence_labeling/example.jsonl",
                3,
                3,
                0,
                0,
            ),
            (
                "doccano__doccano/backend/data_import/pipeline/examples/relation_extraction/example.jsonl",
                1,
                4,
                3,
                0,
            ),
            (
                "doccano__doccano/backend/data_import/tests/data/relation_extraction/example.jsonl",
                1,
                4,
                3,
                0,
            ),
            // The third record has no text: reported, the file's other records kept.
            (
                "doccano__doccano/backend/data_import/tests/data/sequence_labeling/example.jsonl",
                2,
                1,
                0,
                1,
            ),
            // The same span twice: kept once, counted, reported.
            (
                "doccano__doccano/backend/data_import/tests/data/sequence_labeling/example_overlapping.jsonl",
                1,
                1,
                0,
                1,
            ),
            // doccano 1.x: two users on the first record, one on the second.
            (
                "doccano__doccano-transformer/tests/data/labeling/labeling.jsonl",
                3,
                16,
                0,
                0,
            ),
            (
                "doccano__doccano-transformer/tests/data/labeling/labeling_text_label.jsonl",
                2,
                11,
                0,
                0,
            ),
        ];
        for (file, n_docs, n_spans, n_relations, n_problems) in cases {
            let report = import(&fixture(file), &options(OffsetUnit::UnicodeScalar));
            let problems: Vec<&String> = report
                .problems
                .iter()
                .chain(report.documents.iter().flat_map(|d| &d.problems))
                .collect();
            assert_eq!(problems.len(), n_problems, "{file}: {problems:#?}");
            assert_eq!(report.documents.len(), n_docs, "{file}");
            let total: usize = report.documents.iter().map(|d| d.doc.set().len()).sum();
            assert_eq!(total, n_spans, "{file}");
            let rels: usize = report
                .documents
                .iter()
                .map(|d| d.doc.set().relations().count())
                .sum();
            assert_eq!(rels, n_relations, "{file}");
            round_trip(&report);
        }
    }

    #[test]
    fn the_overlapping_fixture_keeps_its_repeat_as_a_count_and_writes_it_back() {
        let file = "doccano__doccano/backend/data_import/tests/data/sequence_labeling/example_overlapping.jsonl";
        let report = import(&fixture(file), &options(OffsetUnit::UnicodeScalar));
        let doc = &report.documents[0].doc;
        let span = doc.set().spans().next().unwrap();
        assert_eq!(span.attrs.get(COPIES).map(String::as_str), Some("2"));
        assert!(report.documents[0].problems[0].contains("kept once"));
        let (out, _) = export_str(&[doc], None, OffsetUnit::UnicodeScalar);
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["label"], json!([[0, 1, "LOC"], [0, 1, "LOC"]]));
        assert_eq!(v["meta"], json!({"wikiPageID": 1}));
    }

    #[test]
    fn old_exports_split_by_user_and_keep_their_fields() {
        let report = import(
            &fixture("doccano__doccano-transformer/tests/data/labeling/labeling.jsonl"),
            &options(OffsetUnit::UnicodeScalar),
        );
        let who: Vec<(&str, &str, usize)> = report
            .documents
            .iter()
            .map(|d| {
                (
                    d.doc.source.name.as_str(),
                    d.doc.annotator.as_str(),
                    d.doc.set().len(),
                )
            })
            .collect();
        assert_eq!(
            who,
            [
                ("labeling-1-user1", "doccano user 1", 5),
                ("labeling-1-user2", "doccano user 2", 5),
                ("labeling-2-user2", "doccano user 2", 6),
            ]
        );
        let doc = &report.documents[0].doc;
        assert_eq!(doc.meta["doccano"]["id"], 2578);
        assert_eq!(doc.meta["doccano"]["annotation_approver"], Value::Null);
        // Label ids become label names, which --map can rename.
        let first = doc.set().spans().next().unwrap();
        assert_eq!(
            (first.label.as_str(), doc.set().span_text(first)),
            ("12", "JAPAN")
        );
    }

    #[test]
    fn renamed_columns_are_found() {
        let report = import(
            &fixture(
                "doccano__doccano/backend/data_import/pipeline/examples/sequence_labeling/example.jsonl",
            ),
            &options(OffsetUnit::UnicodeScalar),
        );
        let doc = &report.documents[2].doc;
        assert_eq!(doc.text().as_str(), "President Obama");
        let span = doc.set().spans().next().unwrap();
        assert_eq!(doc.set().span_text(span), "Obama");
        assert!(doc.meta.is_empty(), "{:?}", doc.meta);
    }

    #[test]
    fn utf16_offsets_and_the_question_when_the_unit_is_not_named() {
        // doccano #2290: "firetrucks" is 22..32 in UTF-16, 19..29 in characters.
        let line = r#"{"text": "👨🏻‍🚒 firemen drive firetrucks", "label": [[22, 32, "VEHICLE"], [16, 21, "X"]]}"#;
        let read = import_str(line, "d.jsonl", "d", &options(OffsetUnit::Utf16));
        assert!(
            read.documents[0].problems.is_empty(),
            "{:?}",
            read.documents[0].problems
        );
        let doc = &read.documents[0].doc;
        let texts: Vec<&str> = doc.set().spans().map(|s| doc.set().span_text(s)).collect();
        assert_eq!(texts, ["drive", "firetrucks"]);
        // And written back in UTF-16 as it came.
        let (out, _) = export_str(&[doc], None, OffsetUnit::Utf16);
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["label"], json!([[16, 21, "X"], [22, 32, "VEHICLE"]]));

        // Read as characters without saying so: the spans after the emoji are questioned.
        let unnamed = ImportOptions {
            offsets_named: false,
            ..options(OffsetUnit::UnicodeScalar)
        };
        let line = r#"{"text": "👍 Lavrov said", "label": [[2, 8, "PER"]]}"#;
        let read = import_str(line, "d.jsonl", "d", &unnamed);
        let p = &read.documents[0].problems;
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("d.jsonl:1: 1 span(s) end after character 0"),
            "{p:?}"
        );
        assert!(p[0].contains("--offsets utf16") && p[0].contains("only show after"));
        assert_eq!(read.documents[0].doc.set().len(), 1);
        // Named: no question. No emoji: no question.
        let read = import_str(line, "d.jsonl", "d", &options(OffsetUnit::UnicodeScalar));
        assert!(read.documents[0].problems.is_empty());
        let plain = r#"{"text": "Lavrov said", "label": [[0, 6, "PER"]]}"#;
        assert!(
            import_str(plain, "d.jsonl", "d", &unnamed).documents[0]
                .problems
                .is_empty()
        );
    }

    #[test]
    fn bad_records_and_spans_are_reported_by_line() {
        let content = [
            r#"{"text": "abc def", "label": [[0, 3, "A"], [5, 99, "B"], [4, 4, "C"], ["x"], [0, 1]]}"#,
            r#"{"text": "", "label": []}"#,
            r#""not a record""#,
            r#"{"text": "x", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "A"}], "relations": [{"from_id": 1, "to_id": 9, "type": "r"}]}"#,
            r#"{oops"#,
        ]
        .join("\n");
        let report = import_str(
            &content,
            "in.jsonl",
            "in",
            &options(OffsetUnit::UnicodeScalar),
        );
        let all: Vec<&String> = report
            .problems
            .iter()
            .chain(report.documents.iter().flat_map(|d| &d.problems))
            .collect();
        let has = |prefix: &str, what: &str| {
            all.iter()
                .any(|p| p.starts_with(prefix) && p.contains(what))
        };
        assert!(
            has("in.jsonl:1: span 1 (B 5..99)", "past the end"),
            "{all:#?}"
        );
        assert!(has(
            "in.jsonl:1: span 2 (C 4..4)",
            "start must be before end"
        ));
        assert!(has("in.jsonl:1: span 3", "missing"));
        assert!(has("in.jsonl:1: span 4", "missing"));
        assert!(has("in.jsonl:2:", "empty"));
        assert!(has("in.jsonl:3:", "expected a JSON object"));
        assert!(has("in.jsonl:4: relation 0", "\"to_id\" 9 names no entity"));
        assert!(has("in.jsonl:5:", "not valid JSON"));
        assert_eq!(all.len(), 8, "{all:#?}");
        assert_eq!(report.documents.len(), 2);
        assert!(
            import_str(" \n", "e.jsonl", "e", &options(OffsetUnit::UnicodeScalar)).problems[0]
                .contains("no records")
        );
    }

    #[test]
    fn export_forms_and_what_they_cannot_hold() {
        let file = "doccano__doccano/backend/data_export/pipeline/examples/relation_extraction/example.jsonl";
        let report = import(&fixture(file), &options(OffsetUnit::UnicodeScalar));
        let doc = &report.documents[0].doc;
        // Relations present: the entities form by default.
        let (out, loss) = export_str(&[doc], None, OffsetUnit::UnicodeScalar);
        assert!(loss.is_empty());
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(
            v["entities"][1],
            json!({"id": 1, "start_offset": 22, "end_offset": 39, "label": "DATE"})
        );
        assert_eq!(
            v["relations"][0],
            json!({"id": 0, "from_id": 0, "to_id": 1, "type": "foundedAt"})
        );
        // The label form cannot hold them.
        let (out, loss) = export_str(&[doc], Some(Form::Label), OffsetUnit::UnicodeScalar);
        assert_eq!(loss.counts.get("relations"), Some(&3));
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["label"][0], json!([0, 6, "ORG"]));
        assert!(v.get("relations").is_none());

        // Discontinuous spans, notes and attributes.
        let mut doc = build::new_document(
            "d".into(),
            "North and South America".into(),
            &options(OffsetUnit::UnicodeScalar),
            "test",
        );
        let mut s = Span::new(
            SpanId::numbered(1),
            Label::new("LOC").unwrap(),
            CharRange::new(0, 23).unwrap(),
            "t",
            Timestamp::from_unix(0),
        );
        s.fragments = vec![
            CharRange::new(0, 5).unwrap(),
            CharRange::new(16, 23).unwrap(),
        ];
        doc.apply(&Edit::add(s), "t", Timestamp::from_unix(0))
            .unwrap();
        let mut s = Span::new(
            SpanId::numbered(2),
            Label::new("LOC").unwrap(),
            CharRange::new(10, 15).unwrap(),
            "t",
            Timestamp::from_unix(0),
        );
        s.note = Some("check".into());
        s.attrs.insert("iso".into(), "x".into());
        doc.apply(&Edit::add(s), "t", Timestamp::from_unix(0))
            .unwrap();
        let (out, loss) = export_str(&[&doc], None, OffsetUnit::UnicodeScalar);
        assert_eq!(loss.counts.get("discontinuous spans"), Some(&1));
        assert_eq!(loss.counts.get("span notes"), Some(&1));
        assert_eq!(loss.counts.get("span attributes"), Some(&1));
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["label"], json!([[10, 15, "LOC"]]));
    }

    fn arb_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Lavrov ",
            "東京",
            "👍",
            "👨🏻‍🚒",
            "\r\n",
            "\t",
            "\u{a0}",
            "é",
            "e\u{301}",
            "שלום",
            "🇺🇦",
        ]);
        prop::collection::vec(pieces, 1..25).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Random texts with astral characters and CRLF, random overlapping spans: export then
        /// import gives the same spans, in characters and in UTF-16.
        #[test]
        fn round_trips_random_overlapping_spans(
            text in arb_text(),
            raw in prop::collection::vec((0usize..200, 1usize..40, 0usize..3), 0..12),
            utf16 in any::<bool>(),
        ) {
            let unit = if utf16 { OffsetUnit::Utf16 } else { OffsetUnit::UnicodeScalar };
            let t = Text::new(text.clone());
            let mut doc = build::new_document("p".into(), text, &options(unit), "test");
            for (start, len, label) in raw {
                let s = t.grapheme_floor(crate::model::CharOffset(start % (t.len_chars() + 1)));
                let e = t.grapheme_ceil(crate::model::CharOffset(s.0 + len));
                let Some(range) = CharRange::new(s.0, e.0) else { continue };
                let span = Span::new(
                    doc.set().next_id(),
                    Label::new(["A", "B", "C"][label]).unwrap(),
                    range,
                    "t",
                    Timestamp::from_unix(0),
                );
                let _ = doc.apply(&Edit::add(span), "t", Timestamp::from_unix(0));
            }
            let (out, loss) = export_str(&[&doc], None, unit);
            prop_assert!(loss.is_empty());
            let again = import_str(&out, "p.jsonl", "p", &options(unit));
            prop_assert!(again.problems.is_empty());
            prop_assert!(again.documents[0].problems.is_empty(), "{:?}", again.documents[0].problems);
            prop_assert_eq!(spans(&again.documents[0].doc), spans(&doc));
        }
    }
}
