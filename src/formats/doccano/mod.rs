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
//! form: those are counted in the [`Loss`](super::Loss).

mod read;
mod write;

pub use read::{RecordError, RelationError, import, import_str};
pub use write::{export, export_record};

/// doccano's JSONL in the registry: its [`Reader`](super::registry::Reader) and
/// [`DatasetWriter`](super::registry::DatasetWriter).
pub struct Doccano;

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

#[cfg(test)]
mod tests;
