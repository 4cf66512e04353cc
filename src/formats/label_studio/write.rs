//! Writing Label Studio tasks: documents of the same task become one task with one annotation
//! each; pending spans with [`PREDICTION`] go back into the predictions. See the parent module.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::{ANNOTATORS, DIRECTION, LABELS, META, PREDICTION, id_string, task_text, user_id};
use crate::formats::offsets::{OffsetConverter, OffsetUnit};
use crate::formats::registry::{Carried, GroupedWriter, Numbering, Written};
use crate::formats::{ExportOptions, Loss};
use crate::model::suggestion::{ACCEPTED_BY, AGENT, SCORE};
use crate::model::{
    AnnotationSet, AttrType, CharOffset, Document, Relation, Span, SpanId, Status, Timestamp,
};

/// What the export writes the spans as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WriteAs {
    /// Each document an annotation (Label Studio's JSON export); pending spans with a
    /// [`PREDICTION`] go back into the predictions they came from.
    #[default]
    Annotations,
    /// Every span a prediction, for pre-annotating tasks imported into Label Studio.
    Predictions,
}

/// Label Studio's export settings: its names, each overriding what the documents recorded on
/// import, and what the spans are written as.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportNames {
    /// The `<Labels name=…>` control (default: as imported, else `label`).
    pub from_name: Option<String>,
    /// The `<Text name=…>` object (default: as imported, else `text`).
    pub to_name: Option<String>,
    /// The `data` field of the text (`<Text value="$…">`; default: as imported, else `text`).
    pub text_key: Option<String>,
    /// Annotations (the default) or predictions.
    pub write_as: WriteAs,
    /// The predictions' `model_version` (default: the span's own, else the annotator's name,
    /// else `spanmark`).
    pub model_version: Option<String>,
}

/// Writes `docs` as a Label Studio JSON export (a list of tasks) in `offsets` units. Returns
/// what the file could not hold.
pub fn export(
    docs: &[&Document],
    names: &ExportNames,
    offsets: OffsetUnit,
    out: &mut dyn Write,
) -> io::Result<Loss> {
    let (tasks, loss) = tasks(docs, names, offsets);
    serde_json::to_writer_pretty(&mut *out, &Value::Array(tasks))?;
    out.write_all(b"\n")?;
    Ok(loss)
}

/// The tasks for `docs`, in the order their first document comes, numbered from 1 (see
/// [`Numbering`]).
pub fn tasks(docs: &[&Document], names: &ExportNames, offsets: OffsetUnit) -> (Vec<Value>, Loss) {
    let mut numbering = Numbering::new(docs.iter().map(|d| carried(d)));
    let mut groups: Vec<Vec<&Document>> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for doc in docs {
        let key = task_key(doc);
        match index.get(&key) {
            Some(&i) => groups[i].push(doc),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![doc]);
            }
        }
    }
    let mut loss = Loss::default();
    let tasks = groups
        .iter()
        .map(|group| task(group, &mut numbering, names, offsets, &mut loss))
        .collect();
    (tasks, loss)
}

/// The task a document belongs to: documents with the same text and the same imported task id
/// (none for documents made in Spanmark) become one task, with one annotation each.
pub fn task_key(doc: &Document) -> (String, String) {
    (
        doc.text().sha256_hex().to_string(),
        kept(doc)
            .get("task")
            .and_then(|t| t.get("id"))
            .map(id_string)
            .unwrap_or_default(),
    )
}

/// The task and annotation ids `doc` carries from an import (integers, or strings of one).
pub fn carried(doc: &Document) -> Carried {
    let meta = kept(doc);
    let id = |holder: &str| {
        meta.get(holder)
            .and_then(|h| h.get("id"))
            .and_then(|id| match id {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            })
    };
    Carried {
        group: id("task"),
        member: id("annotation"),
    }
}

/// What the import kept of the task, or nothing for a document made in Spanmark.
fn kept(doc: &Document) -> Map<String, Value> {
    match doc.meta.get(META) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    }
}

fn object(v: Option<&Value>) -> Map<String, Value> {
    match v {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    }
}

fn task(
    group: &[&Document],
    numbering: &mut Numbering,
    names: &ExportNames,
    offsets: OffsetUnit,
    loss: &mut Loss,
) -> Value {
    let first = group[0];
    let meta = kept(first);
    let mut task = object(meta.get("task"));
    let task_id = numbering.group(carried(first).group);
    keep_id(&mut task, task_id);
    let predicting = names.write_as == WriteAs::Predictions;
    let mut data = object(meta.get("data"));
    let key = names
        .text_key
        .clone()
        .or_else(|| {
            meta.get("text_key")
                .and_then(Value::as_str)
                .map(String::from)
        })
        .unwrap_or_else(|| "text".to_string());
    // Paragraphs go back as they came, when they still make up the text.
    let text = first.text().as_str();
    let paragraphs = meta
        .get("paragraphs")
        .filter(|p| task_text(p).is_ok_and(|t| t.text == text));
    let starts = paragraphs.and_then(|p| task_text(p).ok()?.paragraph_starts);
    data.insert(
        key,
        paragraphs.cloned().unwrap_or_else(|| Value::from(text)),
    );
    let mut predictions: Vec<Value> = group
        .iter()
        .find_map(|d| match kept(d).get("predictions") {
            Some(Value::Array(p)) => Some(p.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let mut annotations = Vec::new();
    let mut annotators = object(
        task.get("meta")
            .and_then(|m| m.get(ANNOTATORS))
            .filter(|_| !predicting),
    );
    for doc in group {
        let meta = kept(doc);
        let (mut mine, mut predicted) =
            results(doc, &meta, names, offsets, starts.as_deref(), loss);
        let mut annotation = match meta.get("annotation") {
            Some(Value::Object(a)) => a.clone(),
            _ => Map::new(),
        };
        // What the import kept of the annotation's results (choices, rectangles, …) comes first.
        let mut result = match annotation.remove("result") {
            Some(Value::Array(r)) => r,
            _ => Vec::new(),
        };
        result.append(&mut mine);
        if predicting {
            if let Some(version) = &names.model_version {
                // One model version for every span, their own too.
                result.extend(std::mem::take(&mut predicted).into_values().flatten());
                if !result.is_empty() {
                    predicted.insert(version.clone(), result);
                }
            } else if !result.is_empty() {
                let version = model_version(doc);
                let mut same = predicted.remove(&version).unwrap_or_default();
                result.append(&mut same);
                predicted.insert(version, result);
            }
        } else if !annotation.is_empty() || !result.is_empty() {
            let times = span_times(doc);
            annotations.push(Value::Object(annotation_record(
                annotation,
                result,
                doc,
                times,
                carried(doc).member,
                numbering,
                task_id,
                &mut annotators,
            )));
        }
        for (version, results) in predicted {
            let same = predictions
                .iter_mut()
                .find(|p| p.get("model_version").map(id_string).unwrap_or_default() == version);
            match same
                .and_then(|p| p.get_mut("result"))
                .and_then(Value::as_array_mut)
            {
                Some(result) => result.extend(results),
                None if version.is_empty() => predictions.push(json!({ "result": results })),
                None => predictions.push(json!({ "model_version": version, "result": results })),
            }
        }
    }
    task.insert("data".into(), Value::Object(data));
    if !annotators.is_empty() {
        let mut task_meta = object(task.get("meta"));
        task_meta.insert(ANNOTATORS.into(), Value::Object(annotators));
        task.insert("meta".into(), Value::Object(task_meta));
    }
    if !annotations.is_empty() {
        task.insert("annotations".into(), Value::Array(annotations));
    }
    if !predictions.is_empty() {
        task.insert("predictions".into(), Value::Array(predictions));
    }
    Value::Object(task)
}

/// One annotation as Label Studio's JSON export writes it: what the import kept of it, with
/// its `id` (carried, else numbered), `completed_by` (carried, else the annotator's
/// [`user_id`], whose name goes into the task's `meta`), `created_at` / `updated_at` from the
/// spans' times, the `task` it belongs to and its `result`. `lead_time` only when imported.
#[allow(clippy::too_many_arguments)]
fn annotation_record(
    kept: Map<String, Value>,
    result: Vec<Value>,
    doc: &Document,
    times: Option<(Timestamp, Timestamp)>,
    carried: Option<u64>,
    numbering: &mut Numbering,
    task_id: u64,
    annotators: &mut Map<String, Value>,
) -> Map<String, Value> {
    let mut a = Map::new();
    keep_id(&mut a, numbering.member(carried));
    let by = match kept.get("completed_by") {
        Some(by) => by.clone(),
        None => {
            let name = if doc.annotator.trim().is_empty() {
                "spanmark"
            } else {
                doc.annotator.as_str()
            };
            let id = user_id(name);
            annotators.insert(id.to_string(), Value::from(name));
            Value::from(id)
        }
    };
    a.insert("completed_by".into(), by);
    a.insert("result".into(), Value::Array(result));
    a.insert("was_cancelled".into(), Value::from(false));
    a.insert("ground_truth".into(), Value::from(false));
    // The spans' times, else (no span) the imported ones.
    if let Some((created, updated)) = times {
        a.insert("created_at".into(), Value::from(created.to_string()));
        a.insert("updated_at".into(), Value::from(updated.to_string()));
    }
    for (k, v) in kept {
        if k != "id" && k != "completed_by" && k != "result" {
            // Times of the spans win over the imported ones (they were made from them).
            a.entry(k).or_insert(v);
        }
    }
    a.insert("task".into(), Value::from(task_id));
    a
}

/// Sets the `id` of a task or annotation to `id`, an integer as Label Studio writes it.
fn keep_id(record: &mut Map<String, Value>, id: u64) {
    record.insert("id".into(), Value::from(id));
}

/// When the first span of `doc` was created and the last modified (relations too).
fn span_times(doc: &Document) -> Option<(Timestamp, Timestamp)> {
    let set = doc.set();
    let spans = set.spans().map(|s| (s.created, s.modified));
    let relations = set.relations().map(|r| (r.created, r.created));
    spans
        .chain(relations)
        .reduce(|(c, m), (c2, m2)| (c.min(c2), m.max(m2)))
}

/// The `model_version` of `doc`'s spans that name none when every span is written as a
/// prediction and no `--model-version` is given: the annotator's name, else `spanmark`.
fn model_version(doc: &Document) -> String {
    let name = doc.annotator.trim();
    if name.is_empty() {
        "spanmark".to_string()
    } else {
        name.to_string()
    }
}

/// The results of one document: the annotation's, and the predictions' by model version.
fn results(
    doc: &Document,
    meta: &Map<String, Value>,
    names: &ExportNames,
    offsets: OffsetUnit,
    paragraph_starts: Option<&[usize]>,
    loss: &mut Loss,
) -> (Vec<Value>, BTreeMap<String, Vec<Value>>) {
    let text = doc.text();
    let set = doc.set();
    let converter = OffsetConverter::new(text, offsets);
    let regions = object(meta.get("regions"));
    let name = |option: &Option<String>, key: &str, default: &str| -> Value {
        match option {
            Some(n) => Value::from(n.as_str()),
            None => meta
                .get(key)
                .cloned()
                .unwrap_or_else(|| Value::from(default)),
        }
    };
    let from_name = name(&names.from_name, "from_name", "label");
    let to_name = name(&names.to_name, "to_name", "text");
    let mut mine = Vec::new();
    let mut predicted: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    // Where each span went: None = the annotation, Some(version) = that prediction.
    let mut placed: HashMap<&SpanId, Option<String>> = HashMap::new();
    for span in set.spans() {
        if !span.fragments.is_empty() {
            loss.add("discontinuous spans", 1);
            continue;
        }
        let mut result = object(regions.get(span.id.as_str()));
        let mut value = object(result.get("value"));
        let kind = place(&mut value, span, set, &converter, paragraph_starts);
        value.insert(kind.into(), json!([span.label.as_str()]));
        result.insert("id".into(), Value::from(span.id.as_str()));
        result.insert("type".into(), Value::from(kind));
        result.insert("value".into(), Value::Object(value));
        for (key, default) in [("from_name", &from_name), ("to_name", &to_name)] {
            let option = if key == "from_name" {
                &names.from_name
            } else {
                &names.to_name
            };
            if option.is_some() || !result.contains_key(key) {
                result.insert(key.into(), default.clone());
            }
        }
        let choices = region_choices(doc, span, &result, &to_name);
        put_note_and_attrs(&mut result, span, &choices);
        let version = span
            .attrs
            .get(PREDICTION)
            .filter(|_| span.status == Status::Pending && !span.attrs.contains_key(ACCEPTED_BY))
            .cloned();
        let out = match &version {
            Some(v) => predicted.entry(v.clone()).or_default(),
            None => &mut mine,
        };
        out.push(Value::Object(result));
        out.extend(choices.into_iter().map(|(_, r)| r));
        placed.insert(&span.id, version);
    }
    for r in set.relations() {
        let (Some(from), Some(to)) = (placed.get(&r.from), placed.get(&r.to)) else {
            loss.add("relations", 1);
            continue;
        };
        if from != to {
            loss.add("relations between a prediction and an annotation", 1);
            continue;
        }
        if r.note.is_some() || r.attrs.keys().any(|k| !k.starts_with("ls.")) {
            loss.add("relation notes and attributes", 1);
        }
        let result = relation_result(r);
        match from {
            Some(v) => predicted.entry(v.clone()).or_default().push(result),
            None => mine.push(result),
        }
    }
    (mine, predicted)
}

/// Puts where `span` is into a region's `value`, in foreign offsets: `start`/`end` (and
/// `text`) in the text, or paragraph and `startOffset`/`endOffset` in `<Paragraphs>`. Returns
/// the region's type.
fn place(
    value: &mut Map<String, Value>,
    span: &Span,
    set: &AnnotationSet,
    converter: &OffsetConverter<'_>,
    paragraph_starts: Option<&[usize]>,
) -> &'static str {
    let foreign = |o: CharOffset| converter.from_char(o);
    match paragraph_starts {
        Some(starts) => {
            let (p_start, o_start) = paragraph_at(starts, span.range.start().0, false);
            let (p_end, o_end) = paragraph_at(starts, span.range.end().0, true);
            let base = |p: usize| foreign(CharOffset(starts[p]));
            value.insert("start".into(), Value::from(p_start.to_string()));
            value.insert("end".into(), Value::from(p_end.to_string()));
            value.insert(
                "startOffset".into(),
                Value::from(foreign(CharOffset(o_start)) - base(p_start)),
            );
            value.insert(
                "endOffset".into(),
                Value::from(foreign(CharOffset(o_end)) - base(p_end)),
            );
            "paragraphlabels"
        }
        None => {
            value.insert("start".into(), Value::from(foreign(span.range.start())));
            value.insert("end".into(), Value::from(foreign(span.range.end())));
            // Paragraph regions carry no text unless the config asks for it; Label
            // Studio works it out.
            value.insert("text".into(), Value::from(set.span_text(span)));
            "labels"
        }
    }
}

/// The per-region `choices` results of `span` (`<Choices perRegion="true">`, one per closed
/// set or flag its label defines and it has a value for): the region's `id` and position,
/// `from_name` the attribute's name, `choices` its value. With the attribute names.
fn region_choices(
    doc: &Document,
    span: &Span,
    region: &Map<String, Value>,
    to_name: &Value,
) -> Vec<(String, Value)> {
    let Some(def) = doc.schema.get(span.label.as_str()) else {
        return Vec::new();
    };
    let mut position = object(region.get("value"));
    position
        .retain(|k, _| ["start", "end", "startOffset", "endOffset", "text"].contains(&k.as_str()));
    def.attributes
        .iter()
        .filter(|a| matches!(a.kind, AttrType::Choice | AttrType::Flag))
        .filter_map(|a| {
            let v = span.attrs.get(&a.name)?;
            let mut value = position.clone();
            value.insert("choices".into(), json!(v.split(',').collect::<Vec<_>>()));
            let result = json!({
                "id": span.id.as_str(),
                "from_name": a.name,
                "to_name": to_name,
                "type": "choices",
                "value": value,
            });
            Some((a.name.clone(), result))
        })
        .collect()
}

/// Puts `span`'s note and attributes (but the prediction's model version, the agent and score
/// made from a prediction on import, and those written as `choices`) into the region's `meta`
/// (`text`, `spanmark_attrs`), when it has any.
fn put_note_and_attrs(result: &mut Map<String, Value>, span: &Span, choices: &[(String, Value)]) {
    let predicted = span.attrs.get(PREDICTION);
    let from_prediction = |k: &str, v: &str| match predicted {
        Some(p) => (k == AGENT && v == format!("ls:{p}")) || k == SCORE,
        None => false,
    };
    let attrs: Map<String, Value> = span
        .attrs
        .iter()
        .filter(|(k, v)| {
            k.as_str() != PREDICTION
                && !from_prediction(k, v)
                && !choices.iter().any(|(n, _)| n == *k)
        })
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    if span.note.is_some() || !attrs.is_empty() {
        let mut region_meta = object(result.get("meta"));
        if let Some(note) = &span.note {
            region_meta.insert("text".into(), json!([note]));
        }
        if !attrs.is_empty() {
            region_meta.insert("spanmark_attrs".into(), Value::Object(attrs));
        }
        result.insert("meta".into(), Value::Object(region_meta));
    }
}

/// The `relation` result of `r`, with its direction and labels as imported.
fn relation_result(r: &Relation) -> Value {
    let labels = r
        .attrs
        .get(LABELS)
        .and_then(|l| serde_json::from_str::<Value>(l).ok())
        .filter(Value::is_array)
        .unwrap_or_else(|| json!([r.kind.as_str()]));
    let direction = r.attrs.get(DIRECTION).map_or("right", String::as_str);
    json!({
        "from_id": r.from.as_str(),
        "to_id": r.to.as_str(),
        "type": "relation",
        "direction": direction,
        "labels": labels,
    })
}

/// The paragraph an offset falls in and the offset itself: the last paragraph starting at or
/// before it, or, for an `end`, strictly before it (an end never opens the next paragraph).
fn paragraph_at(starts: &[usize], offset: usize, end: bool) -> (usize, usize) {
    let after = if end {
        starts.partition_point(|&s| s < offset)
    } else {
        starts.partition_point(|&s| s <= offset)
    };
    (after.saturating_sub(1), offset)
}

/// A JSON list of tasks, written task by task with the bytes `serde_json::to_writer_pretty`
/// gives for the whole list.
impl GroupedWriter for super::LabelStudio {
    fn group_of(&self, doc: &Document) -> (String, String) {
        task_key(doc)
    }

    fn carried(&self, doc: &Document) -> Carried {
        carried(doc)
    }

    fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"[")
    }

    fn group(
        &self,
        docs: &[&Document],
        first: bool,
        numbering: &mut Numbering,
        options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Loss> {
        let mut loss = Loss::default();
        let task = task(
            docs,
            numbering,
            &options.label_studio,
            options.offsets,
            &mut loss,
        );
        let bytes = serde_json::to_vec_pretty(&task)?;
        write_indented(out, first, &bytes)?;
        Ok(loss)
    }

    fn end(&self, empty: bool, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if empty { b"]\n" } else { b"\n]\n" })
    }

    fn all(
        &self,
        docs: &[&Document],
        options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Written> {
        export(docs, &options.label_studio, options.offsets, out).map(Written::from)
    }
}

/// One element of a pretty JSON list: `\n` (after `[`) or `,\n`, then the element's pretty
/// lines indented two spaces. (JSON strings hold no raw line breaks, so every `\n` in `pretty`
/// is between lines of the layout.)
fn write_indented(out: &mut dyn Write, first: bool, pretty: &[u8]) -> io::Result<()> {
    out.write_all(if first { b"\n" } else { b",\n" })?;
    for (i, line) in pretty.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(b"  ")?;
        out.write_all(line)?;
    }
    Ok(())
}
