//! Reading doccano records (both shapes, doccano 1.x exports, renamed columns) into documents.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{Map, Value};

use super::COPIES;
use crate::formats::build::{self, Record};
use crate::formats::offsets::{OffsetConverter, OffsetUnit};
use crate::formats::problem::At;
use crate::formats::registry::Reader;
use crate::formats::{ImportOptions, ImportReport, ImportedDocument, Place, Problem, ProblemKind};
use crate::model::{Document, Edit, Label, Origin, Relation, SchemaError, Span, SpanId};

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
            Err(e) => report.problems.push(Problem::new(
                ProblemKind::Syntax,
                Place::line(origin, line),
                format!("{origin}:{line}: {e}"),
            )),
            Ok(Value::Array(items)) => {
                for (i, item) in items.into_iter().enumerate() {
                    records += 1;
                    let at = At::new(
                        Place::line(origin, line).with_record(i + 1),
                        format!("{origin}:{line}: record {}", i + 1),
                    );
                    read_record(item, &at, format!("{stem}-{}", i + 1), options, &mut report);
                }
            }
            Ok(value) => {
                records += 1;
                let at = At::new(Place::line(origin, line), format!("{origin}:{line}"));
                read_record(value, &at, format!("{stem}-{line}"), options, &mut report);
            }
        }
    }
    if records == 0 && report.problems.is_empty() {
        report.problems.push(Problem::new(
            ProblemKind::Empty,
            Place::file(origin),
            format!("no records in the file: {origin}"),
        ));
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
    /// The entity's `attrs` (Spanmark writes them in the `entities` form): string values.
    attrs: BTreeMap<String, String>,
}

/// An entity's `attrs` object, its string values (others are not attributes).
fn raw_attrs(item: &Value) -> BTreeMap<String, String> {
    match item.get("attrs") {
        Some(Value::Object(m)) => m
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn read_record(
    value: Value,
    at: &At,
    name: String,
    options: &ImportOptions,
    report: &mut ImportReport,
) {
    match record(value, at, name, options) {
        Ok(docs) => report.documents.extend(docs),
        Err(e) => report.problems.push(at.problem(e.kind(), e)),
    }
}

/// Why a doccano record as a whole cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("expected a JSON object (a doccano record)")]
    NotAnObject,
    /// The field `--text-key` names is not there.
    #[error("no {0:?} field (--text-key)")]
    NoNamedText(String),
    #[error("no \"text\" field")]
    NoText,
    /// No `text` field, and these fields could each be the text.
    #[error(
        "no \"text\" field, and several fields could be the text ({})",
        .0.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
    )]
    SeveralTexts(Vec<String>),
    #[error("{0:?} is empty")]
    EmptyText(String),
    #[error("{0:?} is not a string")]
    TextNotAString(String),
    /// A field that must be a list (`entities`, `relations`).
    #[error("\"{0}\" is not a list")]
    NotAList(&'static str),
}

impl RecordError {
    pub fn kind(&self) -> ProblemKind {
        ProblemKind::Structure
    }
}

fn record(
    value: Value,
    at: &At,
    name: String,
    options: &ImportOptions,
) -> Result<Vec<ImportedDocument>, RecordError> {
    let Value::Object(mut rec) = value else {
        return Err(RecordError::NotAnObject);
    };
    let text_key = match &options.text_key {
        Some(key) if rec.contains_key(key) => key.clone(),
        Some(key) => return Err(RecordError::NoNamedText(key.clone())),
        None => text_key(&rec)?,
    };
    let text = match rec.remove(&text_key) {
        Some(Value::String(t)) if !t.is_empty() => t,
        Some(Value::String(_)) => return Err(RecordError::EmptyText(text_key)),
        _ => return Err(RecordError::TextNotAString(text_key)),
    };
    let mut spans = Vec::new();
    let mut relations = Vec::new();
    if let Some(entities) = rec.remove("entities") {
        let Value::Array(entities) = entities else {
            return Err(RecordError::NotAList("entities"));
        };
        for (i, e) in entities.iter().enumerate() {
            spans.push(RawSpan {
                what: format!("entity {i}"),
                start: build::number(e.get("start_offset")),
                end: build::number(e.get("end_offset")),
                label: build::label_name(e.get("label")),
                id: e.get("id").map(id_string),
                user: None,
                attrs: raw_attrs(e),
            });
        }
        match rec.remove("relations") {
            None | Some(Value::Null) => {}
            Some(Value::Array(r)) => relations = r,
            Some(_) => return Err(RecordError::NotAList("relations")),
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
                attrs: BTreeMap::new(),
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
                attrs: raw_attrs(a),
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
fn text_key(rec: &Map<String, Value>) -> Result<String, RecordError> {
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
        [] => Err(RecordError::NoText),
        _ => Err(RecordError::SeveralTexts(
            strings.into_iter().cloned().collect(),
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
    at: &At,
    options: &ImportOptions,
) -> ImportedDocument {
    let mut doc = build::new_document(
        name,
        text.to_string(),
        options,
        &format!("imported from {at} (doccano)"),
    );
    let mut problems = Vec::new();
    let astral = build::first_astral(doc.text());
    let checked = check_spans(&doc, spans, astral, at, options, &mut problems);
    let taken = add_spans(&mut doc, checked.kept, at, options, &mut problems);
    add_relations(
        &mut doc,
        relations,
        &checked.entity_ids,
        &taken,
        at,
        options,
        &mut problems,
    );
    if checked.after_astral > 0
        && options.offsets == OffsetUnit::UnicodeScalar
        && !options.offsets_named
        && let Some(a) = astral
    {
        problems.push(at.problem(ProblemKind::UnitInQuestion, format!(
            "{} span(s) end after character {a}, an emoji or another character outside the Basic Multilingual Plane, where doccano's UI (UTF-16 code units) and Python (characters) count differently; doccano files carry no span text, so a UTF-16 shift can only show after such characters and cannot be checked: they were read as characters; if the file came from doccano's UI, import it again with --offsets utf16 (or confirm with --offsets unicode-scalar)",
            checked.after_astral
        )));
    }
    ImportedDocument { doc, problems }
}

/// The spans of a record, checked as a whole set before any goes in.
struct Checked {
    /// Each span, how often the record has it, and where it was (`span 3`).
    kept: Vec<(Span, usize, String)>,
    /// Entity id → index in `kept`, for the relations.
    entity_ids: HashMap<String, usize>,
    /// Spans that end after `astral`, where UTF-16 and character offsets differ.
    after_astral: usize,
}

/// Checks the spans of a record against `doc`'s text: a repeat (same range and label) is
/// counted on the first instead of refused; every span that cannot be read is a problem.
/// `astral`: the first character outside the Basic Multilingual Plane.
fn check_spans(
    doc: &Document,
    spans: &[&RawSpan],
    astral: Option<usize>,
    at: &At,
    options: &ImportOptions,
    problems: &mut Vec<Problem>,
) -> Checked {
    let text = doc.text();
    let converter = OffsetConverter::new(text, options.offsets);
    // (range, label) → index in `kept`, so repeats are counted instead of refused.
    let mut kept: Vec<(Span, usize, String)> = Vec::new();
    let mut by_key: HashMap<(usize, usize, Label), usize> = HashMap::new();
    let mut entity_ids: HashMap<String, usize> = HashMap::new();
    let mut after_astral = 0;
    for raw in spans {
        let label_text = raw.label.as_deref().unwrap_or("?");
        let describe = match (raw.start, raw.end) {
            (Some(s), Some(e)) => format!("{} ({label_text} {s}..{e})", raw.what),
            _ => raw.what.clone(),
        };
        let problem =
            |kind, detail: &dyn std::fmt::Display| at.span_problem(&raw.what, kind, detail);
        let (Some(start), Some(end)) = (raw.start, raw.end) else {
            problems.push(problem(
                ProblemKind::Structure,
                &format!("{describe}: start or end is missing or not a whole number"),
            ));
            continue;
        };
        let Some(label_name) = &raw.label else {
            problems.push(problem(
                ProblemKind::Structure,
                &format!("{describe}: the label is missing or not a string"),
            ));
            continue;
        };
        let label = match Label::new(label_name.as_str()) {
            Ok(l) => l,
            Err(e) => {
                problems.push(problem(ProblemKind::Name, &format!("{describe}: {e}")));
                continue;
            }
        };
        let range = match build::foreign_range(start, end, &converter, text, options.offsets) {
            Ok(r) => r,
            Err(e) => {
                let hint = if options.offsets != OffsetUnit::Utf16 && astral.is_some() {
                    "; doccano's UI counts UTF-16 code units: try --offsets utf16"
                } else {
                    ""
                };
                problems.push(problem(e.kind(), &format!("{describe}: {e}{hint}")));
                continue;
            }
        };
        if astral.is_some_and(|a| range.end().0 > a) {
            after_astral += 1;
        }
        let key = (range.start().0, range.end().0, label.clone());
        if let Some(&i) = by_key.get(&key) {
            kept[i].1 += 1;
            problems.push(problem(
                ProblemKind::Remark,
                &format!(
                    "{describe}: the same span as {} (same range and label); kept once, with {COPIES} = {}",
                    kept[i].2, kept[i].1
                ),
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
        span.attrs = raw.attrs.clone();
        if let Some(id) = &raw.id {
            if entity_ids.contains_key(id) {
                // Relations could not tell the two apart: they keep naming the first.
                problems.push(problem(
                    ProblemKind::Remark,
                    &format!(
                        "{describe}: entity id {id} is used twice; relations to it link the first"
                    ),
                ));
            } else {
                entity_ids.insert(id.clone(), kept.len());
            }
        }
        by_key.insert(key, kept.len());
        kept.push((span, 1, raw.what.clone()));
    }
    Checked {
        kept,
        entity_ids,
        after_astral,
    }
}

/// Adds the checked spans to `doc` (so ids stay s1, s2, … in file order), a repeat with
/// [`COPIES`]. Returns the id each got, or `None` where `doc` refused it.
fn add_spans(
    doc: &mut Document,
    kept: Vec<(Span, usize, String)>,
    at: &At,
    options: &ImportOptions,
    problems: &mut Vec<Problem>,
) -> Vec<Option<SpanId>> {
    let mut taken: Vec<Option<SpanId>> = Vec::with_capacity(kept.len());
    for (mut span, copies, _) in kept {
        if copies > 1 {
            span.attrs.insert(COPIES.to_string(), copies.to_string());
        }
        let id = span.id.clone();
        let describe = format!("span {} ({} {})", id, span.label, span.range);
        match build::add_span(doc, span, options) {
            Ok(()) => taken.push(Some(id)),
            Err(e) => {
                problems.push(at.span_problem(
                    &id,
                    ProblemKind::NotTaken,
                    format!("{describe}: not taken: {e}"),
                ));
                taken.push(None);
            }
        }
    }
    taken
}

/// Adds the record's relations between the entities taken (`entity_ids` into `taken`).
fn add_relations(
    doc: &mut Document,
    relations: &[Value],
    entity_ids: &HashMap<String, usize>,
    taken: &[Option<SpanId>],
    at: &At,
    options: &ImportOptions,
    problems: &mut Vec<Problem>,
) {
    for (i, raw) in relations.iter().enumerate() {
        let end = |key: &'static str| -> Result<SpanId, RelationError> {
            let id = raw
                .get(key)
                .map(id_string)
                .ok_or(RelationError::NoEnd(key))?;
            entity_ids
                .get(&id)
                .and_then(|&k| taken.get(k).cloned().flatten())
                .ok_or(RelationError::NoEntity { key, id })
        };
        let kind = build::label_name(raw.get("type"))
            .ok_or(RelationError::NoType)
            .and_then(|k| Label::new(k).map_err(RelationError::BadType));
        let relation = match (end("from_id"), end("to_id"), kind) {
            (Ok(from), Ok(to), Ok(kind)) => Relation {
                id: doc.set().next_id(),
                kind,
                from,
                to,
                author: doc.annotator.clone(),
                created: options.at,
                status: crate::model::Status::Pending,
                note: None,
                attrs: BTreeMap::new(),
            },
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                problems.push(at.problem(e.kind(), format!("relation {i}: {e}")));
                continue;
            }
        };
        if let Err(e) = doc.apply(&Edit::AddRelation(relation), &options.annotator, options.at) {
            problems.push(at.problem(
                ProblemKind::NotTaken,
                format!("relation {i}: not taken: {e}"),
            ));
        }
    }
}

/// Why a doccano relation cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelationError {
    /// `from_id` or `to_id`.
    #[error("\"{0}\" is missing")]
    NoEnd(&'static str),
    #[error("\"{key}\" {id} names no entity that was taken")]
    NoEntity { key: &'static str, id: String },
    #[error("\"type\" is missing or not a string")]
    NoType,
    #[error(transparent)]
    BadType(SchemaError),
}

impl RelationError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            RelationError::NoEnd(_) | RelationError::NoEntity { .. } | RelationError::NoType => {
                ProblemKind::Structure
            }
            RelationError::BadType(_) => ProblemKind::Name,
        }
    }
}

impl Reader for super::Doccano {
    fn read(&self, path: &Path, _article: Option<&str>, options: &ImportOptions) -> ImportReport {
        import(path, options)
    }
}
