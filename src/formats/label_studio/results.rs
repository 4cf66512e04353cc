//! Reading the results of one annotation (or of a task's predictions) into a document: text
//! regions into spans, relations between them, and what is left kept for export.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::{DIRECTION, LABELS, META, PREDICTION, QUOTED, TaskText, id_string};
use crate::formats::build::{self, RangeError};
use crate::formats::offsets::{OffsetConverter, OffsetUnit, utf16_would_match};
use crate::formats::problem::At;
use crate::formats::{ImportOptions, ImportedDocument, Problem, ProblemKind};
use crate::model::{
    CharRange, Document, Edit, Label, Origin, Relation, SchemaError, Span, SpanId, Timestamp,
    suggestion,
};

/// Builds one document from result lists.
pub(super) struct Builder<'a> {
    doc: Document,
    problems: Vec<Problem>,
    text: &'a TaskText,
    options: &'a ImportOptions,
    at: At,
    author: String,
    /// When the spans were created and modified.
    pub(super) stamp: (Timestamp, Timestamp),
    /// Region id → the spans made from it (one per label).
    regions: HashMap<String, Vec<SpanId>>,
    /// Span id → the rest of its result (from_name, to_name, origin, score, …).
    extras: Map<String, Value>,
    /// The first from_name/to_name seen, for spans made later in Spanmark.
    names: (Option<Value>, Option<Value>),
    /// Region id → the per-region choices of the results being read (`<Choices
    /// perRegion="true">`): (its `from_name`, the choices joined by `,`), attributes of the
    /// region's spans.
    region_choices: HashMap<String, Vec<(String, String)>>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
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
            region_choices: HashMap::new(),
        }
    }

    /// Takes the text regions and relations of `results` (a prediction's when `version` is
    /// given) and returns the results it does not hold as spans.
    pub(super) fn results(&mut self, results: Vec<Value>, version: Option<&str>) -> Vec<Value> {
        let mut rest = Vec::new();
        let mut relations = Vec::new();
        // Per-region choices first: the spans of their region take them as attributes.
        let (choices, results): (Vec<_>, Vec<_>) = results
            .into_iter()
            .enumerate()
            .partition(|(_, r)| per_region_choice(r).is_some());
        self.region_choices.clear();
        for (_, r) in &choices {
            if let Some((region, name, value)) = per_region_choice(r) {
                self.region_choices
                    .entry(region)
                    .or_default()
                    .push((name, value));
            }
        }
        for (i, result) in results {
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
        // A choice whose region made no span is kept as it came.
        for (_, r) in choices {
            let taken = per_region_choice(&r)
                .is_some_and(|(region, ..)| self.regions.contains_key(&region));
            if !taken {
                rest.push(r);
            }
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
        let region_score = result.get("score").and_then(Value::as_f64);
        let (note, attrs) = note_and_attrs(&result);
        self.keep_rest(&mut result, value);
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
                // A model's prediction is a suggestion until a person accepts it.
                span.origin = Origin::Suggested;
                span.attrs
                    .insert(suggestion::AGENT.to_string(), format!("ls:{v}"));
                if let Some(score) = region_score {
                    span.attrs.insert(
                        suggestion::SCORE.to_string(),
                        suggestion::score_text(score as f32),
                    );
                }
            }
            if let Some(q) = contradiction {
                span.attrs.insert(QUOTED.to_string(), q.clone());
            }
            if let Some(choices) = region_id.as_ref().and_then(|r| self.region_choices.get(r)) {
                for (name, value) in choices {
                    span.attrs.insert(name.clone(), value.clone());
                }
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

    /// Keeps what is left of a region's `result` for export (`value` what is left of its
    /// value), without what the spans hold, and remembers the first `from_name`/`to_name`.
    fn keep_rest(&mut self, result: &mut Value, value: Map<String, Value>) {
        let Some(obj) = result.as_object_mut() else {
            return;
        };
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
            status: crate::model::Status::Pending,
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

    /// Whether any span was taken.
    pub(super) fn has_spans(&self) -> bool {
        self.doc.set().spans().next().is_some()
    }

    pub(super) fn finish(mut self, mut meta: Map<String, Value>) -> ImportedDocument {
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

/// A per-region `choices` result's region id, `from_name` and choices (joined by `,`): one
/// with an `id`, a `from_name` and a `value` holding a position and a list of strings.
fn per_region_choice(result: &Value) -> Option<(String, String, String)> {
    let region = result.get("id").map(id_string)?;
    let name = result.get("from_name")?.as_str()?.to_string();
    let value = result.get("value")?;
    value.get("start")?;
    let choices: Vec<&str> = value
        .get("choices")?
        .as_array()?
        .iter()
        .map(Value::as_str)
        .collect::<Option<_>>()?;
    (!choices.is_empty() && !name.is_empty()).then(|| (region, name, choices.join(",")))
}

/// The note and attributes a region's `meta` holds for its spans (`text`, `spanmark_attrs`).
fn note_and_attrs(result: &Value) -> (Option<String>, BTreeMap<String, String>) {
    let meta = result.get("meta");
    let note = meta
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
    let attrs = meta
        .and_then(|m| m.get("spanmark_attrs"))
        .and_then(Value::as_object)
        .map(|a| {
            a.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default();
    (note, attrs)
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
