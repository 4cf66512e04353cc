//! Reading Label Studio tasks: each annotation a document, the predictions one more.

use std::path::Path;

use serde_json::{Map, Value};

use super::results::Builder;
use super::{ANNOTATORS, META, TextError, id_string, task_text, user_id};
use crate::formats::build::{self, Record};
use crate::formats::problem::At;
use crate::formats::registry;
use crate::formats::{ImportOptions, ImportReport, ImportedDocument, Place, Problem, ProblemKind};
use crate::model::Timestamp;

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
        let place = Place::line(origin, line).with_record(i + 1);
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
    let names = take_annotators(&mut task);
    integer_id(&mut task);
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
        let who = match named_user(&annotation, &names) {
            Some(name) => {
                // The export gives this id again from the name: nothing to keep.
                if let Some(obj) = annotation.as_object_mut() {
                    obj.remove("completed_by");
                }
                name
            }
            None => completed_by(&annotation).unwrap_or_else(|| options.annotator.clone()),
        };
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
        let mut reader = Builder::new(doc_name, &task_text, &who, options, at, k);
        reader.stamp = (created, modified);
        let rest = reader.results(results, None);
        if let Some(obj) = annotation.as_object_mut() {
            obj.insert("result".into(), Value::Array(rest));
        }
        let has_spans = reader.has_spans();
        if let Some(obj) = annotation.as_object_mut() {
            forget_derived(obj, has_spans);
            integer_id(obj);
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
        Builder::new(doc_name, &task_text, &options.annotator, options, at, 0)
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

/// Keeps an id written as a string of digits (`"1001"`, as some examples have it) as the
/// integer Label Studio's exports write, which is how the export writes it back.
fn integer_id(record: &mut Map<String, Value>) {
    let number = match record.get("id") {
        Some(Value::String(s)) => s.parse::<u64>().ok(),
        _ => None,
    };
    if let Some(n) = number {
        record.insert("id".into(), Value::from(n));
    }
}

/// Drops from an annotation kept for export what the export writes anew from the document:
/// the `task` it belongs to, `was_cancelled` and `ground_truth` when false, and its times when
/// its spans hold them (`has_spans`).
fn forget_derived(annotation: &mut Map<String, Value>, has_spans: bool) {
    annotation.remove("task");
    for flag in ["was_cancelled", "ground_truth"] {
        if annotation.get(flag) == Some(&Value::Bool(false)) {
            annotation.remove(flag);
        }
    }
    if has_spans {
        annotation.remove("created_at");
        annotation.remove("updated_at");
    }
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

/// Takes out of the task's `meta` the annotators' names a Spanmark export put there (by user
/// id), dropping a `meta` that held nothing else.
fn take_annotators(task: &mut Map<String, Value>) -> Map<String, Value> {
    let Some(Value::Object(meta)) = task.get_mut("meta") else {
        return Map::new();
    };
    let names = match meta.remove(ANNOTATORS) {
        Some(Value::Object(names)) => names,
        _ => return Map::new(),
    };
    if meta.is_empty() {
        task.remove("meta");
    }
    names
}

/// The annotator whose name a Spanmark export wrote beside the integer `completed_by` it gave
/// them ([`user_id`] of that name).
fn named_user(annotation: &Value, names: &Map<String, Value>) -> Option<String> {
    let id = annotation.get("completed_by")?.as_u64()?;
    let name = names.get(&id.to_string())?.as_str()?;
    (!name.trim().is_empty() && user_id(name) == id).then(|| name.to_string())
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

impl registry::Reader for super::LabelStudio {
    fn read(&self, path: &Path, _article: Option<&str>, options: &ImportOptions) -> ImportReport {
        import(path, options)
    }
}
