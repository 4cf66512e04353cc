//! Foreign formats, one file each, converted to and from the model at the border.
//!
//! Offsets in other units are converted here ([`offsets`]) and nowhere else. Importers never
//! drop anything silently: every span they could not take is reported with where it was.
//! Exporters say what the target format cannot hold ([`Loss`]).

pub mod jsonl;
pub mod offsets;

use std::collections::BTreeMap;

use crate::model::{Document, Timestamp};

pub use offsets::{OffsetConverter, OffsetUnit};

/// How imported data becomes documents.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Whose file the imported document becomes, and the author of imported spans.
    pub annotator: String,
    /// The unit the file's offsets count.
    pub offsets: OffsetUnit,
    /// The time recorded for imported spans.
    pub at: Timestamp,
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
