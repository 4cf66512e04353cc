//! Reading Label Studio tasks: each annotation a document, the predictions one more.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{Map, Value};

use super::{
    DIRECTION, LABELS, META, PREDICTION, QUOTED, TaskText, TextError, id_string, task_text,
};
use crate::formats::build::RangeError;
use crate::formats::build::{self, Record};
use crate::formats::offsets::{OffsetConverter, OffsetUnit, utf16_would_match};
use crate::formats::problem::At;
use crate::formats::registry;
use crate::formats::{ImportOptions, ImportReport, ImportedDocument, Place, Problem, ProblemKind};
use crate::model::{
    CharRange, Document, Edit, Label, Origin, Relation, SchemaError, Span, SpanId, Timestamp,
};

/// Reads a Label Studio JSON export: a list of tasks, one task, or tasks one per line.
pub fn import(path: &Path, options: &ImportOptions) -> ImportReport {
    build::import_file(path, options, import_str)
}

/// Reads tasks from `content`; `origin` names the file in messages, `stem` the documents.
pub fn import_str(
    content: &str,
    origin: &str,
    stem: &str,
    options: &ImportOptions,
) -> ImportReport {
    let mut report = ImportReport::default();
    let mut tasks = Vec::new();
    for Record { line, value } in build::json_records(content) {
        match value {
            Err(e) => report.problems.push(Problem::new(
                ProblemKind::Syntax,
                Place::line(origin, line),
                format!("{origin}:{line}: {e}"),
            )),
            Ok(Value::Array(items)) => tasks.extend(items.into_iter().map(|t| (line, t))),
            Ok(task) => tasks.push((line, task)),
        }
    }
    if tasks.is_empty() && report.problems.is_empty() {
        report.problems.push(Problem::new(
            ProblemKind::Empty,
            Place::file(origin),
            format!("no tasks in the file: {origin}"),
        ));
    }
    for (i, (line, task)) in tasks.into_iter().enumerate() {
        let id = task.get("id").map(id_string);
        let place = Place::line(origin, line).record(i + 1);
        let at = match &id {
            Some(id) => At::new(place, format!("{origin}:{line}: task {} (id {id})", i + 1)),
            None => At::new(place, format!("{origin}:{line}: task {}", i + 1)),
        };
        let name = format!("{stem}-{}", id.unwrap_or_else(|| (i + 1).to_string()));
        match read_task(task, &at, &name, options) {
            Ok(docs) => report.documents.extend(docs),
            Err(e) => report.problems.push(at.problem(e.kind(), e)),
        }
    }
    report
}
/// Why a task as a whole cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    #[error("expected a JSON object (a Label Studio task)")]
    NotAnObject,
    #[error("no \"data\" object")]
    NoData,
    /// A field that must be a list (`annotations`, `completions`, `predictions`).
    #[error("\"{0}\" is not a list")]
    NotAList(&'static str),
    /// The field `--text-key` names is not in `data`.
    #[error("no data.{0} (--text-key)")]
    NoNamedText(String),
    #[error("no text in \"data\" (name its field with --text-key)")]
    NoText,
    /// These fields of `data` could each be the text.
    #[error(
        "cannot tell which field of \"data\" is the text ({}); name it with --text-key",
        .0.join(", ")
    )]
    SeveralTexts(Vec<String>),
    /// `data.KEY` is not a text Spanmark reads.
    #[error("data.{key}: {source}")]
    Text { key: String, source: TextError },
}

impl TaskError {
    pub fn kind(&self) -> ProblemKind {
        ProblemKind::Structure
    }
}

fn read_task(
    task: Value,
    at: &At,
    name: &str,
    options: &ImportOptions,
) -> Result<Vec<ImportedDocument>, TaskError> {
    let Value::Object(mut task) = task else {
        return Err(TaskError::NotAnObject);
    };
    let Some(Value::Object(mut data)) = task.remove("data") else {
        return Err(TaskError::NoData);
    };
    let annotations = take_list(&mut task, "annotations")?
        .into_iter()
        .chain(take_list(&mut task, "completions")?)
        .collect::<Vec<_>>();
    let predictions = take_list(&mut task, "predictions")?;
    let key = text_key(&data, &annotations, &predictions, options)?;
    let content = data.remove(&key).unwrap_or(Value::Null);
    let task_text = task_text(&content).map_err(|source| TaskError::Text {
        key: key.clone(),
        source,
    })?;
    let mut kept = Map::new();
    kept.insert("task".into(), Value::Object(task));
    kept.insert("data".into(), Value::Object(data));
    kept.insert("text_key".into(), Value::from(key));
    if task_text.paragraph_starts.is_some() {
        kept.insert("paragraphs".into(), content);
    }
    let prediction_spans = predictions
        .iter()
        .any(|p| results_of(p).iter().any(is_text_region));
    let several = annotations.len() + usize::from(prediction_spans) > 1;
    let mut docs = Vec::new();
    let mut kept_predictions = Vec::new();
    for (k, mut annotation) in annotations.into_iter().enumerate() {
        let ann_id = annotation.get("id").map(id_string);
        let doc_name = if several {
            format!(
                "{name}-ann{}",
                ann_id.unwrap_or_else(|| (k + 1).to_string())
            )
        } else {
            name.to_string()
        };
        let who = completed_by(&annotation).unwrap_or_else(|| options.annotator.clone());
        let when = |field: &str| {
            annotation
                .get(field)
                .and_then(Value::as_str)
                .and_then(|t| Timestamp::parse(t).ok())
        };
        let created = when("created_at").unwrap_or(options.at);
        let modified = when("updated_at").unwrap_or(created);
        let results = match annotation.get_mut("result").map(Value::take) {
            Some(Value::Array(r)) => r,
            _ => Vec::new(),
        };
        let mut reader = Reader::new(doc_name, &task_text, &who, options, at, k);
        reader.stamp = (created, modified);
        let rest = reader.results(results, None);
        if let Some(obj) = annotation.as_object_mut() {
            obj.insert("result".into(), Value::Array(rest));
        }
        let mut meta = kept.clone();
        meta.insert("annotation".into(), annotation);
        docs.push(reader.finish(meta));
    }
    // The predictions: spans of a document of their own; what is not a text region is kept.
    let mut reader = (prediction_spans || docs.is_empty()).then(|| {
        let doc_name = if several {
            format!("{name}-predictions")
        } else {
            name.to_string()
        };
        Reader::new(doc_name, &task_text, &options.annotator, options, at, 0)
    });
    for mut prediction in predictions {
        let version = prediction
            .get("model_version")
            .map(id_string)
            .unwrap_or_default();
        let results = match prediction.get_mut("result").map(Value::take) {
            Some(Value::Array(r)) => r,
            _ => Vec::new(),
        };
        let rest = match reader.as_mut() {
            Some(reader) => reader.results(results, Some(&version)),
            None => results,
        };
        if let Some(obj) = prediction.as_object_mut() {
            obj.insert("result".into(), Value::Array(rest));
        }
        kept_predictions.push(prediction);
    }
    let mut meta_all = kept;
    meta_all.insert("predictions".into(), Value::Array(kept_predictions));
    for doc in &mut docs {
        if let Some(Value::Object(meta)) = doc.doc.meta.get_mut(META) {
            meta.insert("predictions".into(), meta_all["predictions"].clone());
        }
    }
    if let Some(reader) = reader {
        docs.push(reader.finish(meta_all));
    }
    Ok(docs)
}

fn take_list(task: &mut Map<String, Value>, key: &'static str) -> Result<Vec<Value>, TaskError> {
    match task.remove(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(TaskError::NotAList(key)),
    }
}

fn results_of(holder: &Value) -> &[Value] {
    holder
        .get("result")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Whether a result is a region of text that Spanmark holds as spans.
fn is_text_region(result: &Value) -> bool {
    matches!(
        result.get("type").and_then(Value::as_str),
        Some("labels" | "paragraphlabels")
    )
}

/// Which `data` field holds the text (see the module documentation).
fn text_key(
    data: &Map<String, Value>,
    annotations: &[Value],
    predictions: &[Value],
    options: &ImportOptions,
) -> Result<String, TaskError> {
    if let Some(key) = &options.text_key {
        return if data.contains_key(key) {
            Ok(key.clone())
        } else {
            Err(TaskError::NoNamedText(key.clone()))
        };
    }
    let holds_text = |v: &Value| v.is_string() || task_text(v).is_ok();
    let named = annotations
        .iter()
        .chain(predictions)
        .flat_map(|h| results_of(h).iter())
        .filter(|r| is_text_region(r))
        .flat_map(|r| {
            let source = r
                .get("source")
                .and_then(Value::as_str)
                .and_then(|s| s.strip_prefix('$'));
            let to_name = r.get("to_name").and_then(Value::as_str);
            [source, to_name]
        })
        .flatten();
    for key in named.chain(["text"]) {
        if data.get(key).is_some_and(holds_text) {
            return Ok(key.to_string());
        }
    }
    // A value that is one URL is a link to media (`$image`, `$audio`), not a text.
    let is_link = |v: &Value| {
        v.as_str().is_some_and(|s| {
            (s.starts_with("http://") || s.starts_with("https://") || s.starts_with("s3://"))
                && !s.contains(char::is_whitespace)
        })
    };
    let candidates: Vec<&String> = data
        .iter()
        .filter(|(_, v)| holds_text(v) && !is_link(v))
        .map(|(k, _)| k)
        .collect();
    match candidates.as_slice() {
        [only] => Ok((*only).clone()),
        [] => Err(TaskError::NoText),
        _ => Err(TaskError::SeveralTexts(
            candidates.into_iter().cloned().collect(),
        )),
    }
}
/// Who completed an annotation: an e-mail, a name, or a user id.
fn completed_by(annotation: &Value) -> Option<String> {
    let by = annotation.get("completed_by")?;
    match by {
        Value::Object(user) => {
            let field = |k: &str| {
                user.get(k)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            };
            if let Some(email) = field("email") {
                return Some(email.to_string());
            }
            let name = [field("first_name"), field("last_name")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if !name.is_empty() {
                return Some(name);
            }
            user.get("id")
                .map(|id| format!("label-studio user {}", id_string(id)))
        }
        Value::Number(n) => Some(format!("label-studio user {n}")),
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// Builds one document from result lists.
struct Reader<'a> {
    doc: Document,
    problems: Vec<Problem>,
    text: &'a TaskText,
    options: &'a ImportOptions,
    at: At,
    author: String,
    stamp: (Timestamp, Timestamp),
    /// Region id → the spans made from it (one per label).
    regions: HashMap<String, Vec<SpanId>>,
    /// Span id → the rest of its result (from_name, to_name, origin, score, …).
    extras: Map<String, Value>,
    /// The first from_name/to_name seen, for spans made later in Spanmark.
    names: (Option<Value>, Option<Value>),
}

impl<'a> Reader<'a> {
    fn new(
        name: String,
        text: &'a TaskText,
        who: &str,
        options: &'a ImportOptions,
        at: &At,
        annotation: usize,
    ) -> Self {
        let mut doc = build::new_document(
            name,
            text.text.clone(),
            options,
            &format!("imported from {at} (label-studio)"),
        );
        doc.annotator = who.to_string();
        let at = if annotation > 0 {
            At::new(
                at.place.clone(),
                format!("{at} annotation {}", annotation + 1),
            )
        } else {
            at.clone()
        };
        Self {
            doc,
            problems: Vec::new(),
            text,
            options,
            at,
            author: who.to_string(),
            stamp: (options.at, options.at),
            regions: HashMap::new(),
            extras: Map::new(),
            names: (None, None),
        }
    }

    /// Takes the text regions and relations of `results` (a prediction's when `version` is
    /// given) and returns the results it does not hold as spans.
    fn results(&mut self, results: Vec<Value>, version: Option<&str>) -> Vec<Value> {
        let mut rest = Vec::new();
        let mut relations = Vec::new();
        for (i, result) in results.into_iter().enumerate() {
            match result.get("type").and_then(Value::as_str) {
                Some("labels" | "paragraphlabels") => self.region(i, result, version),
                Some("relation") => relations.push((i, result)),
                Some("hypertextlabels") => {
                    self.problems.push(self.at.span_problem(
                        format!("result {i}"),
                        ProblemKind::Remark,
                        format!("result {i}: an HTML (hypertextlabels) region, placed by XPath: kept in the document's meta, not as a span"),
                    ));
                    rest.push(result);
                }
                _ => rest.push(result),
            }
        }
        for (i, result) in relations {
            self.relation(i, &result, version);
        }
        rest
    }

    fn region(&mut self, i: usize, mut result: Value, version: Option<&str>) {
        let kind = result
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("labels")
            .to_string();
        let Some(Value::Object(mut value)) = result.get_mut("value").map(Value::take) else {
            self.problems.push(self.at.span_problem(
                format!("result {i}"),
                ProblemKind::Structure,
                format!("result {i}: no \"value\" object"),
            ));
            return;
        };
        let labels: Vec<String> = match value.remove(&kind) {
            Some(Value::Array(l)) => l
                .iter()
                .filter_map(|v| build::label_name(Some(v)))
                .collect(),
            _ => Vec::new(),
        };
        let quote = match value.remove("text") {
            Some(Value::String(q)) => Some(q),
            _ => None,
        };
        let raw = self.raw_range(&kind, &mut value);
        let shown = labels.join(",");
        let describe = match &raw {
            Ok((s, e)) => format!("result {i} ({shown} {s}..{e})"),
            Err(_) => format!("result {i} ({shown})"),
        };
        // The span in problems: its region id, or the result.
        let region = match result.get("id") {
            Some(id) => id_string(id),
            None => format!("result {i}"),
        };
        if labels.is_empty() {
            let problem = format!("{describe}: no labels");
            self.problems.push(
                self.at
                    .span_problem(&region, ProblemKind::Structure, problem),
            );
            return;
        }
        let range = match raw.and_then(|(s, e)| self.range(&kind, s, e)) {
            Ok(r) => r,
            Err(e) => {
                let problem = format!("{describe}: {e}");
                self.problems
                    .push(self.at.span_problem(&region, e.kind(), problem));
                return;
            }
        };
        let text = self.doc.text().clone();
        let actual = text.slice(range).unwrap_or("");
        let contradiction = quote.as_ref().filter(|q| !quote_matches(actual, q));
        if let Some(q) = contradiction {
            let hint = match (&kind[..], self.raw_foreign(&kind, range)) {
                ("labels", Some((s, e)))
                    if self.options.offsets != OffsetUnit::Utf16
                        && utf16_would_match(&text, s, e, q) =>
                {
                    "; the offsets look like UTF-16 code units (Label Studio before 2022): import with --offsets utf16"
                }
                _ => "",
            };
            self.problems.push(self.at.span_problem(
                &region,
                ProblemKind::TextMismatch,
                format!("{describe}: value.text is {q:?} but the offsets give {actual:?}; kept at the offsets, with the quoted text in attribute {QUOTED}{hint}"),
            ));
        }
        let region_id = result.get("id").map(id_string);
        let note = result
            .get("meta")
            .and_then(|m| m.get("text"))
            .and_then(|t| match t {
                Value::String(s) => Some(s.clone()),
                Value::Array(items) => Some(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                _ => None,
            })
            .filter(|n| !n.is_empty());
        let attrs: BTreeMap<String, String> = result
            .get("meta")
            .and_then(|m| m.get("spanmark_attrs"))
            .and_then(Value::as_object)
            .map(|a| {
                a.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        // What is left of the result is kept for export.
        if let Some(obj) = result.as_object_mut() {
            obj.remove("id");
            obj.remove("type");
            if let Some(Value::Object(m)) = obj.get_mut("meta") {
                m.remove("text");
                m.remove("spanmark_attrs");
                if m.is_empty() {
                    obj.remove("meta");
                }
            }
            if !value.is_empty() {
                obj.insert("value".into(), Value::Object(value));
            }
            for (slot, key) in [
                (&mut self.names.0, "from_name"),
                (&mut self.names.1, "to_name"),
            ] {
                if slot.is_none() {
                    *slot = obj.get(key).cloned();
                }
            }
        }
        for (k, label_name) in labels.iter().enumerate() {
            let label = match Label::new(label_name.as_str()) {
                Ok(l) => l,
                Err(e) => {
                    let problem = format!("{describe}: {e}");
                    self.problems
                        .push(self.at.span_problem(&region, ProblemKind::Name, problem));
                    continue;
                }
            };
            let id = self.span_id(region_id.as_deref(), k);
            let mut span = Span::new(id.clone(), label, range, &self.author, self.stamp.0);
            span.modified = self.stamp.1;
            span.origin = Origin::Imported;
            span.note = note.clone();
            span.attrs = attrs.clone();
            if let Some(v) = version {
                span.attrs.insert(PREDICTION.to_string(), v.to_string());
                if !v.is_empty() {
                    span.author = v.to_string().into();
                }
            }
            if let Some(q) = contradiction {
                span.attrs.insert(QUOTED.to_string(), q.clone());
            }
            match build::add_span(&mut self.doc, span, self.options) {
                Ok(()) => {
                    if let Some(r) = &region_id {
                        self.regions.entry(r.clone()).or_default().push(id.clone());
                    }
                    if result.as_object().is_some_and(|o| !o.is_empty()) {
                        self.extras.insert(id.to_string(), result.clone());
                    }
                }
                Err(e) => self.problems.push(self.at.span_problem(
                    &id,
                    ProblemKind::NotTaken,
                    format!("{describe}: not taken: {e}"),
                )),
            }
        }
    }

    /// A span id from the region id (`id`, then `id_2`, … for more labels), or a fresh one.
    fn span_id(&self, region: Option<&str>, k: usize) -> SpanId {
        let wanted = region.map(|r| {
            if k == 0 {
                r.to_string()
            } else {
                format!("{r}_{}", k + 1)
            }
        });
        wanted
            .and_then(|w| SpanId::new(w).ok())
            .filter(|id| self.doc.set().get(id).is_none() && self.doc.set().relation(id).is_none())
            .unwrap_or_else(|| self.doc.set().next_id())
    }

    /// The foreign start and end of a region: offsets for `labels`, paragraph + offset for
    /// `paragraphlabels` (then as foreign offsets into the joined text).
    fn raw_range(
        &self,
        kind: &str,
        value: &mut Map<String, Value>,
    ) -> Result<(usize, usize), RegionError> {
        let mut take = |k: &'static str| -> Result<usize, RegionError> {
            build::number(value.remove(k).as_ref()).ok_or(RegionError::NotANumber(k))
        };
        if kind != "paragraphlabels" {
            return Ok((take("start")?, take("end")?));
        }
        let (p_start, p_end) = (take("start")?, take("end")?);
        let (o_start, o_end) = (take("startOffset")?, take("endOffset")?);
        let starts = self
            .text
            .paragraph_starts
            .as_ref()
            .ok_or(RegionError::NotParagraphs)?;
        let converter = OffsetConverter::new(self.doc.text(), self.options.offsets);
        let at = |p: usize, o: usize| -> Result<usize, RegionError> {
            let start = starts.get(p).ok_or(RegionError::NoParagraph(p))?;
            Ok(converter.from_char(crate::model::CharOffset(*start)) + o)
        };
        Ok((at(p_start, o_start)?, at(p_end, o_end)?))
    }

    fn range(&self, _kind: &str, start: usize, end: usize) -> Result<CharRange, RegionError> {
        let text = self.doc.text();
        let converter = OffsetConverter::new(text, self.options.offsets);
        Ok(build::foreign_range(
            start,
            end,
            &converter,
            text,
            self.options.offsets,
        )?)
    }

    /// The offsets as written in the file, for the UTF-16 hint.
    fn raw_foreign(&self, kind: &str, range: CharRange) -> Option<(usize, usize)> {
        (kind == "labels").then(|| {
            let converter = OffsetConverter::new(self.doc.text(), self.options.offsets);
            (
                converter.from_char(range.start()),
                converter.from_char(range.end()),
            )
        })
    }

    fn relation(&mut self, i: usize, result: &Value, version: Option<&str>) {
        let end = |key: &'static str| -> Result<SpanId, RelationError> {
            let id = result
                .get(key)
                .map(id_string)
                .ok_or(RelationError::NoEnd(key))?;
            self.regions
                .get(&id)
                .and_then(|spans| spans.first().cloned())
                .ok_or(RelationError::NoRegion { key, id })
        };
        let (from, to) = match (end("from_id"), end("to_id")) {
            (Ok(f), Ok(t)) => (f, t),
            (Err(e), _) | (_, Err(e)) => {
                let problem = format!("result {i} (relation): {e}");
                self.problems.push(self.at.problem(e.kind(), problem));
                return;
            }
        };
        let labels: Vec<String> = match result.get("labels") {
            Some(Value::Array(l)) => l
                .iter()
                .filter_map(|v| build::label_name(Some(v)))
                .collect(),
            _ => Vec::new(),
        };
        let kind = labels.first().map_or("relation", String::as_str);
        let kind = match Label::new(kind) {
            Ok(k) => k,
            Err(e) => {
                let e = RelationError::Label(e);
                let problem = format!("result {i} (relation): {e}");
                self.problems.push(self.at.problem(e.kind(), problem));
                return;
            }
        };
        let mut attrs = BTreeMap::new();
        match result.get("direction").and_then(Value::as_str) {
            None | Some("right") => {}
            Some(d) => {
                attrs.insert(DIRECTION.to_string(), d.to_string());
            }
        }
        if labels.len() != 1 {
            attrs.insert(LABELS.to_string(), Value::from(labels.clone()).to_string());
        }
        if let Some(v) = version {
            attrs.insert(PREDICTION.to_string(), v.to_string());
        }
        let relation = Relation {
            id: self.doc.set().next_id(),
            kind,
            from,
            to,
            author: self.author.clone(),
            created: self.stamp.0,
            note: None,
            attrs,
        };
        if let Err(e) = self.doc.apply(
            &Edit::AddRelation(relation),
            &self.options.annotator,
            self.options.at,
        ) {
            self.problems.push(self.at.problem(
                ProblemKind::NotTaken,
                format!("result {i} (relation): not taken: {e}"),
            ));
        }
    }

    fn finish(mut self, mut meta: Map<String, Value>) -> ImportedDocument {
        if !self.extras.is_empty() {
            meta.insert("regions".into(), Value::Object(self.extras));
        }
        if let Some(f) = self.names.0 {
            meta.insert("from_name".into(), f);
        }
        if let Some(t) = self.names.1 {
            meta.insert("to_name".into(), t);
        }
        self.doc.meta.insert(META.to_string(), Value::Object(meta));
        ImportedDocument {
            doc: self.doc,
            problems: self.problems,
        }
    }
}

/// Why a text region (`labels`, `paragraphlabels`) gives no range of the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionError {
    /// `start`, `end`, `startOffset` or `endOffset`.
    #[error("value.{0} is missing or not a whole number")]
    NotANumber(&'static str),
    #[error("a paragraphlabels region on a text that is not a list of paragraphs")]
    NotParagraphs,
    #[error("there is no paragraph {0}")]
    NoParagraph(usize),
    #[error(transparent)]
    Range(#[from] RangeError),
}

impl RegionError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            RegionError::NotANumber(_) | RegionError::NotParagraphs => ProblemKind::Structure,
            RegionError::NoParagraph(_) | RegionError::Range(_) => ProblemKind::Offsets,
        }
    }
}

/// Why a relation result cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelationError {
    /// `from_id` or `to_id`.
    #[error("\"{0}\" is missing")]
    NoEnd(&'static str),
    #[error("\"{key}\" {id} names no region that was taken")]
    NoRegion { key: &'static str, id: String },
    #[error(transparent)]
    Label(SchemaError),
}

impl RelationError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            RelationError::NoEnd(_) | RelationError::NoRegion { .. } => ProblemKind::Structure,
            RelationError::Label(_) => ProblemKind::Name,
        }
    }
}

/// Whether `value.text` says what the offsets give: exactly, or with line breaks written as
/// literal backslash-n / backslash-r (as Label Studio does for a region across lines).
fn quote_matches(actual: &str, quote: &str) -> bool {
    if actual == quote {
        return true;
    }
    let escaped = actual.replace('\r', "\\r").replace('\n', "\\n");
    escaped == quote || actual.replace("\r\n", "\\n").replace('\n', "\\n") == quote
}

impl registry::Reader for super::LabelStudio {
    fn read(&self, path: &Path, _article: Option<&str>, options: &ImportOptions) -> ImportReport {
        import(path, options)
    }
}
