//! Foreign formats, one folder each, converted to and from the model at the border, and the
//! registry that lists them ([`registry`]): every format's name, how it is read and written,
//! and what it can hold.
//!
//! Offsets in other units are converted here ([`offsets`]) and nowhere else. Importers never
//! drop anything silently: every span they could not take is reported with where it was.
//! Exporters say what the target format cannot hold ([`Loss`]).

pub mod brat;
mod build;
pub mod conll;
pub mod csv;
pub mod doccano;
pub mod frames;
pub mod jsonl;
pub mod label_studio;
pub mod map;
pub mod names;
pub mod offsets;
pub mod problem;
pub mod registry;
pub mod schemas;
pub mod tokens;
pub mod w3c;

use std::collections::BTreeMap;

use crate::model::{Document, Timestamp};

pub use build::{FileError, JsonError, RangeError};
pub use map::LabelMap;
pub use offsets::{OffsetConverter, OffsetUnit};
pub use problem::{Place, Problem, ProblemKind};
pub use registry::{Format, Reading, Writing, Written};

/// How imported data becomes documents.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Whose file the imported document becomes, and the author of imported spans.
    pub annotator: String,
    /// The unit the file's offsets count.
    pub offsets: OffsetUnit,
    /// The field that holds the text, when the importer cannot tell (a Label Studio `data`
    /// key such as `ner` for `<Text value="$ner"/>`); `None`: found from the file.
    pub text_key: Option<String>,
    /// Whether the user named the unit. When not, a file whose unit cannot be checked (doccano
    /// carries no span text) is questioned wherever the units would differ (after an emoji).
    pub offsets_named: bool,
    /// The time recorded for imported spans.
    pub at: Timestamp,
    /// Foreign labels renamed onto the schema (`--map ORG=actor`); applied once, to every
    /// importer's output, by [`map::apply`].
    pub map: LabelMap,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            annotator: String::new(),
            offsets: OffsetUnit::default(),
            text_key: None,
            offsets_named: false,
            at: Timestamp::from_unix(0),
            map: LabelMap::default(),
        }
    }
}

/// One document read from a foreign file, with the spans that could not be taken.
#[derive(Debug, Clone)]
pub struct ImportedDocument {
    pub doc: Document,
    /// Spans (or other items) not taken, each naming where it was.
    pub problems: Vec<Problem>,
}

/// What an importer read from one input file: its documents (each with the spans it could not
/// take) and the problems of the file itself (a line that is not JSON, a missing `.txt`, …).
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub documents: Vec<ImportedDocument>,
    /// Problems that concern the file rather than one document; each names the file (and
    /// line where it helps).
    pub problems: Vec<Problem>,
}

/// A file an exporter writes for one document (per-document formats: native, brat, w3c):
/// `suffix` is appended to the document's safe base name (`.ann`, `.txt`, `.jsonld`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    pub suffix: String,
    pub bytes: Vec<u8>,
}

/// What an export could not carry over, by kind (`relations` → 3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loss {
    pub counts: BTreeMap<&'static str, usize>,
}

impl Loss {
    pub fn add(&mut self, what: &'static str, n: usize) {
        if n > 0 {
            *self.counts.entry(what).or_default() += n;
        }
    }

    pub fn merge(&mut self, other: &Loss) {
        for (what, n) in &other.counts {
            self.add(what, *n);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// How exporters write (each format uses what concerns it).
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// The unit to write offsets in (doccano's UI and 2021-era Label Studio count UTF-16).
    pub offsets: OffsetUnit,
    /// doccano's shape; `None`: the entities form when there are relations.
    pub doccano_form: Option<doccano::Form>,
    /// Label Studio's `from_name`, `to_name` and `data` key.
    pub label_studio: label_studio::ExportNames,
}

/// Reads one input file of a format read by its own [`Reader`](registry::Reader), then completes each document's
/// schema with the labels its spans and the relation kinds its relations use
/// ([`complete_schema`]). `article` is the text the file annotates, for a format whose files do
/// not hold it (W3C). `None` for the formats `store/` reads (native, text) and those only
/// written (CSV, frames).
pub fn import(
    format: Format,
    path: &std::path::Path,
    article: Option<&str>,
    options: &ImportOptions,
) -> Option<ImportReport> {
    let reader = match format.reading() {
        Reading::Files { reader, .. } => reader,
        Reading::Nothing | Reading::Native | Reading::Articles => return None,
    };
    let mut report = reader.read(path, article, options);
    for imported in &mut report.documents {
        complete_schema(&mut imported.doc);
    }
    Some(report)
}

/// Adds to `doc`'s schema every label its spans use that it lacks (palette colours, no hotkey),
/// and every relation kind its relations use that it lacks: the default kind of that name
/// (`source`, `cue`, `agent`, `target`, `time`) when there is one, else a kind from any label to
/// any label (empty `from` and `to`). So an imported file opens, and validates, without
/// unknown labels or kinds.
pub fn complete_schema(doc: &mut Document) {
    use crate::model::label::{default_relation_kinds, palette};
    let mut missing: Vec<crate::model::Label> = Vec::new();
    for span in doc.set().spans() {
        if !doc.schema.contains(&span.label) && !missing.contains(&span.label) {
            missing.push(span.label.clone());
        }
    }
    for label in missing {
        let def = crate::model::LabelDef {
            name: label,
            colour: palette::ALL[doc.schema.labels().len() % palette::ALL.len()],
            hotkey: None,
            description: "from the imported file".to_string(),
            attributes: Vec::new(),
        };
        if let Ok(extended) = doc.schema.with_label(def) {
            doc.schema = extended;
        }
    }
    let mut kinds = doc.schema.relations().to_vec();
    let before = kinds.len();
    for relation in doc.set().relations() {
        if kinds.iter().any(|k| k.name == relation.kind) {
            continue;
        }
        let kind = default_relation_kinds()
            .into_iter()
            .find(|k| k.name == relation.kind)
            .unwrap_or_else(|| crate::model::RelationKind {
                name: relation.kind.clone(),
                colour: palette::ALL[kinds.len() % palette::ALL.len()],
                hotkey: None,
                description: "from the imported file".to_string(),
                from: Vec::new(),
                to: Vec::new(),
                directed: true,
            });
        // A default kind's key may be taken by a kind of the file's schema: it goes without.
        let hotkey = kind.hotkey.filter(|key| {
            kinds.iter().all(|k| {
                k.hotkey
                    .is_none_or(|other| !other.eq_ignore_ascii_case(key))
            })
        });
        kinds.push(crate::model::RelationKind { hotkey, ..kind });
    }
    if kinds.len() > before
        && let Ok(extended) = doc.schema.with_relations(kinds)
    {
        doc.schema = extended;
    }
}

/// What an export made, before anything is written.
#[derive(Debug, Clone)]
pub enum Output {
    /// Per-document formats: the files of each document, in the order given.
    PerDocument(Vec<Vec<ExportedFile>>),
    /// Dataset formats: the bytes of the one file.
    Dataset(Vec<u8>),
}

/// An export: its output, what the format could not hold, and messages about single spans
/// (a span off the token boundaries in CoNLL, …).
#[derive(Debug, Clone)]
pub struct Exported {
    pub output: Output,
    pub loss: Loss,
    pub messages: Vec<Problem>,
}

/// Exports `docs` in `format`, in memory. `None` for native and text.
pub fn export(
    format: Format,
    docs: &[&Document],
    options: &ExportOptions,
) -> Option<std::io::Result<Exported>> {
    let dataset = |written: std::io::Result<Written>, bytes: Vec<u8>| {
        written.map(|w| Exported {
            output: Output::Dataset(bytes),
            loss: w.loss,
            messages: w.notes,
        })
    };
    Some(match format.writing() {
        Writing::Nothing | Writing::Native => return None,
        Writing::Dataset { writer, .. } => {
            let mut bytes = Vec::new();
            dataset(writer.all(docs, options, &mut bytes), bytes)
        }
        Writing::Grouped { writer, .. } => {
            let mut bytes = Vec::new();
            dataset(writer.all(docs, options, &mut bytes), bytes)
        }
        Writing::PerDocument(writer) => {
            let mut loss = Loss::default();
            let files = docs
                .iter()
                .map(|doc| {
                    let (files, lost) = writer.files(doc);
                    loss.merge(&lost);
                    files
                })
                .collect();
            Ok(Exported {
                output: Output::PerDocument(files),
                loss,
                messages: Vec::new(),
            })
        }
    })
}
