//! Foreign formats, one file each, converted to and from the model at the border.
//!
//! Offsets in other units are converted here ([`offsets`]) and nowhere else. Importers never
//! drop anything silently: every span they could not take is reported with where it was.
//! Exporters say what the target format cannot hold ([`Loss`]).

pub mod brat;
mod build;
pub mod conll;
pub mod csv;
pub mod doccano;
pub mod jsonl;
pub mod label_studio;
pub mod map;
pub mod names;
pub mod offsets;
pub mod w3c;

use std::collections::BTreeMap;

use crate::model::{Document, Timestamp};

pub use map::LabelMap;
pub use offsets::{OffsetConverter, OffsetUnit};

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
    pub problems: Vec<String>,
}

/// What an importer read from one input file: its documents (each with the spans it could not
/// take) and the problems of the file itself (a line that is not JSON, a missing `.txt`, …).
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub documents: Vec<ImportedDocument>,
    /// Problems that concern the file rather than one document; each names the file (and
    /// line where it helps).
    pub problems: Vec<String>,
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

/// The formats the CLI reads and writes. Each foreign format's module owns its shape; this is
/// where the CLI picks one. Native files and plain articles are read by `store/` (the CLI does
/// that itself), so [`import`] and [`export`] answer `None` for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Native,
    Text,
    Jsonl,
    Doccano,
    Brat,
    Conll,
    LabelStudio,
    W3c,
    /// Export only: one row per span.
    Csv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "native",
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::LabelStudio => "label-studio",
            Format::W3c => "w3c",
            Format::Csv => "csv",
        }
    }

    /// Whether an export writes files per document into a folder (native, brat, w3c) rather
    /// than one dataset file.
    pub fn per_document(self) -> bool {
        matches!(self, Format::Native | Format::Brat | Format::W3c)
    }

    /// The extension of a dataset file of this format (`train.jsonl`, …).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl | Format::Doccano => "jsonl",
            Format::LabelStudio => "json",
            Format::Conll => "conll",
            Format::Csv => "csv",
            Format::Native | Format::Text | Format::Brat | Format::W3c => "",
        }
    }

    /// Whether a file met while searching a folder is an input of this format (files named
    /// on the command line are always read).
    pub fn reads(self, path: &std::path::Path) -> bool {
        // Manifests of earlier exports are not data.
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with("manifest.json") && self != Format::Native {
            return false;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match self {
            Format::Native => crate::store::native::is_native_path(path),
            Format::Text => crate::store::folder::is_article(path),
            Format::Jsonl => matches!(ext.as_str(), "jsonl" | "ndjson"),
            Format::Doccano => matches!(ext.as_str(), "jsonl" | "ndjson" | "json"),
            Format::LabelStudio => ext == "json",
            Format::Brat => ext == "ann",
            Format::Conll => matches!(ext.as_str(), "conll" | "iob" | "iob2" | "bio" | "tsv"),
            Format::W3c => matches!(ext.as_str(), "jsonld" | "json"),
            Format::Csv => false,
        }
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

/// Reads one input file of a foreign format, then completes each document's schema with the
/// labels its spans use. `source_text` is the article a W3C file annotates (W3C annotations do
/// not carry it). `None` for native and text, and for CSV (export only).
pub fn import(
    format: Format,
    path: &std::path::Path,
    source_text: Option<&str>,
    options: &ImportOptions,
) -> Option<ImportReport> {
    let mut report = match format {
        Format::Native | Format::Text | Format::Csv => return None,
        Format::Jsonl => jsonl::import(path, options),
        Format::Doccano => doccano::import(path, options),
        Format::LabelStudio => label_studio::import(path, options),
        Format::Brat => brat::import(path, options),
        Format::Conll => conll::import(path, options),
        Format::W3c => match source_text {
            Some(text) => w3c::import(path, text, options),
            None => ImportReport {
                documents: Vec::new(),
                problems: vec![format!(
                    "W3C annotations do not hold their text: name the article with --source: {}",
                    path.display()
                )],
            },
        },
    };
    for imported in &mut report.documents {
        complete_schema(&mut imported.doc);
    }
    Some(report)
}

/// Adds to `doc`'s schema every label its spans use that it lacks (palette colours, no hotkey),
/// so the file opens without unknown labels.
pub fn complete_schema(doc: &mut Document) {
    let mut missing: Vec<crate::model::Label> = Vec::new();
    for span in doc.set().spans() {
        if !doc.schema.contains(&span.label) && !missing.contains(&span.label) {
            missing.push(span.label.clone());
        }
    }
    for label in missing {
        let palette = crate::model::label::palette::ALL;
        let def = crate::model::LabelDef {
            name: label,
            colour: palette[doc.schema.labels().len() % palette.len()],
            hotkey: None,
            description: "from the imported file".to_string(),
        };
        if let Ok(extended) = doc.schema.with_label(def) {
            doc.schema = extended;
        }
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
    pub messages: Vec<String>,
}

/// Writes a whole dataset file into the buffer: what it could not hold, and messages.
type DatasetWriter<'a> = dyn Fn(&mut Vec<u8>) -> std::io::Result<(Loss, Vec<String>)> + 'a;

/// Exports `docs` in `format`. `None` for native and text.
pub fn export(
    format: Format,
    docs: &[&Document],
    options: &ExportOptions,
) -> Option<std::io::Result<Exported>> {
    let dataset = |write: &DatasetWriter<'_>| {
        let mut bytes = Vec::new();
        write(&mut bytes).map(|(loss, messages)| Exported {
            output: Output::Dataset(bytes),
            loss,
            messages,
        })
    };
    let per_document = |one: &dyn Fn(&Document) -> (Vec<ExportedFile>, Loss)| {
        let mut loss = Loss::default();
        let files = docs
            .iter()
            .map(|doc| {
                let (files, lost) = one(doc);
                loss.merge(&lost);
                files
            })
            .collect();
        Ok(Exported {
            output: Output::PerDocument(files),
            loss,
            messages: Vec::new(),
        })
    };
    Some(match format {
        Format::Native | Format::Text => return None,
        Format::Jsonl => dataset(&|out| {
            let mut loss = Loss::default();
            for doc in docs {
                let (line, lost) = jsonl::export_line(doc);
                loss.merge(&lost);
                out.extend_from_slice(line.as_bytes());
                out.push(b'\n');
            }
            Ok((loss, Vec::new()))
        }),
        Format::Doccano => dataset(&|out| {
            doccano::export(docs, options.doccano_form, options.offsets, out)
                .map(|l| (l, Vec::new()))
        }),
        Format::LabelStudio => dataset(&|out| {
            label_studio::export(docs, &options.label_studio, options.offsets, out)
                .map(|l| (l, Vec::new()))
        }),
        Format::Conll => dataset(&|out| conll::export(docs, out)),
        Format::Brat => per_document(&brat::export),
        Format::W3c => per_document(&w3c::export),
        Format::Csv => dataset(&|out| csv::export(docs, out).map(|l| (l, Vec::new()))),
    })
}
