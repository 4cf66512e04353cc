//! Label Studio's JSON export: a list of tasks, each with its `data`, the annotators'
//! `annotations[].result` and the models' `predictions[].result`.
//!
//! ```json
//! [{"id": 1, "data": {"text": "Lavrov said"},
//!   "annotations": [{"completed_by": {"email": "rita@example.org"}, "result": [
//!     {"id": "a1", "from_name": "label", "to_name": "text", "type": "labels",
//!      "value": {"start": 0, "end": 6, "text": "Lavrov", "labels": ["actor"]}},
//!     {"type": "relation", "from_id": "a1", "to_id": "a2", "direction": "right", "labels": ["said"]}]}],
//!   "predictions": [{"model_version": "v1", "result": [ … ]}]}]
//! ```
//!
//! Import, per task: the text is `data[KEY]`, KEY being `--text-key`, else the `$key` a text
//! result names as its `source`, else its `to_name`, else `text`, else the only text in `data`.
//! A `<Paragraphs>` list (`[{"author", "text"}, …]`) becomes its texts joined by `\n`, and
//! `paragraphlabels` regions are placed in it. Each annotation becomes one document, whose
//! annotator is its `completed_by` (e-mail, name, or `label-studio user N`); the task's
//! predictions become suggestions (status pending, origin suggested, attributes `agent` =
//! `ls:` + the model version, `score` from the region's, and [`PREDICTION`] = the model
//! version) in a document of their own, which is the task's only
//! document when nobody annotated it. A multi-label region becomes one span per label; region
//! ids become span ids, so relations (`from_id`/`to_id`, `direction`, `labels`) link them.
//!
//! `value.text`, when present, is checked against the offsets. For a region across a line
//! break Label Studio may write the break as a literal backslash-n; that is accepted. Any other
//! difference is reported and the span is kept where its offsets put it (Label Studio's offsets
//! are authoritative, its `value.text` has been wrong while they were right: label-studio
//! #1931), with the contradicting text in attribute [`QUOTED`]. When UTF-16 offsets (exports of
//! 2021 and before, label-studio #1347) would explain the difference, the message says so.
//!
//! Everything else a task carries (its id, other data fields, non-text results such as
//! `choices` or rectangles, each region's `from_name`, `to_name`, `origin`, `score`, …) is kept
//! in the document's `meta.label_studio` and written back on export.
//!
//! Export groups documents of the same task (same text and task id) into one task: one
//! annotation per document, pending spans with [`PREDICTION`] that no one accepted into the
//! predictions (an export leaves out suggestions no one accepted, so those are spans of files
//! imported before predictions became suggestions). It cannot
//! hold discontinuous spans, nor relation notes and attributes: those are counted in the
//! [`Loss`](super::Loss). Span notes and attributes travel in each region's `meta` (`text`, `spanmark_attrs`),
//! except the closed sets and flags the span's label defines: those are written as per-region
//! `choices` results (`<Choices perRegion="true">`: the region's `id` and position, `from_name`
//! the attribute), and such results are read back into the attribute named by their `from_name`.
mod read;
mod results;
mod write;

use serde_json::Value;

pub use read::{TaskError, import, import_str};
pub use results::{RegionError, RelationError};
pub use write::{ExportNames, WriteAs, carried, export, task_key, tasks};

/// Label Studio's JSON in the registry: its [`Reader`](super::registry::Reader) and
/// [`GroupedWriter`](super::registry::GroupedWriter) (a task holds every annotator's work on
/// one text).
pub struct LabelStudio;

/// Span (and relation) attribute: the model version of a prediction.
pub const PREDICTION: &str = "ls.prediction";
/// Span attribute: a `value.text` that contradicted the offsets.
pub const QUOTED: &str = "ls.text";
/// Relation attribute: `left` or `bi` (`right`, the default, is not recorded).
pub const DIRECTION: &str = "ls.direction";
/// Relation attribute: the labels as a JSON list, when there is not exactly one.
pub const LABELS: &str = "ls.labels";

/// The key of the document meta this format keeps.
const META: &str = "label_studio";

/// The key, in a task's `meta`, of the annotators' names by the integer `completed_by` ids the
/// export gives them ([`user_id`]): Label Studio writes a user id there, and a round trip reads
/// the name back.
const ANNOTATORS: &str = "spanmark_annotators";

/// The integer user id an exported annotation's `completed_by` gives `annotator`: the same for
/// the same name in every export (the first 31 bits of its SHA-256, never 0), so Label Studio's
/// tools, which group work by that id, see one user per annotator.
fn user_id(annotator: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(annotator.as_bytes());
    let id = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) >> 1;
    u64::from(id.max(1))
}

/// An id as Label Studio writes it (a string or a number), as text.
fn id_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The text of a task, and where each paragraph starts when it came from `<Paragraphs>`.
struct TaskText {
    text: String,
    paragraph_starts: Option<Vec<usize>>,
}

/// Why a `data` field is not a text Spanmark reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("the text is empty")]
    Empty,
    #[error("paragraph {0} has no \"text\"")]
    NoParagraphText(usize),
    #[error("not a text or a list of paragraphs")]
    NotAText,
}

/// The text a `data` field holds: a string, or `<Paragraphs>` joined by line breaks.
fn task_text(content: &Value) -> Result<TaskText, TextError> {
    match content {
        Value::String(s) if !s.is_empty() => Ok(TaskText {
            text: s.clone(),
            paragraph_starts: None,
        }),
        Value::String(_) => Err(TextError::Empty),
        Value::Array(items) if !items.is_empty() => {
            let mut text = String::new();
            let mut starts = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let Some(t) = item.get("text").and_then(Value::as_str) else {
                    return Err(TextError::NoParagraphText(i));
                };
                if i > 0 {
                    text.push('\n');
                }
                starts.push(text.chars().count());
                text.push_str(t);
            }
            Ok(TaskText {
                text,
                paragraph_starts: Some(starts),
            })
        }
        _ => Err(TextError::NotAText),
    }
}

#[cfg(test)]
mod tests;
