//! Exporting a corpus: the annotation files named by the user, filtered, split and written in
//! one format with a manifest. Used by `spanmark export` and by the GUI's File > Export.
//!
//! This is orchestration, not a format: it finds the inputs, reads them on every core, applies
//! the filters and the split ([`dataset`], which also writes the manifest), and hands each
//! document to the format's writer ([`crate::formats`]), staging every output until the whole
//! export has succeeded. It lives beside `formats/` rather than in it because it knows about
//! files, folders, threads and the native store, which no format needs to.
//!
//! The export **streams**: it holds a few documents at a time, so a corpus larger than memory
//! can be exported. Documents are read and checked on every core, a few ahead of the one being
//! written, and handed over in order ([`ahead`]).
//!
//! Most exports read each input once and write it as they go: a line of JSONL, doccano, CSV,
//! CoNLL or frames, or the files of a per-document format. Three need to see every document before
//! writing the first ([`plan::one_pass`]), and go over the inputs twice:
//!
//! 1. *Reading* ([`plan`]): each file is read, checked, filtered and dropped, keeping only what
//!    the split and the manifest need ([`DocumentSummary`], the input's SHA-256, the Label
//!    Studio task it belongs to): a split, Label Studio (the documents of one task, several
//!    annotators of one article, go together), doccano without a given form (it depends on
//!    whether any document has relations).
//! 2. *Writing* ([`write`]): part by part, each document is read again (its bytes must not have
//!    changed since the first pass), filtered and written straight to the output.
//!
//! Each part's SHA-256 is computed as it is written.
//!
//! Invariants: nothing is written where a reader could see it before the end. Every output goes
//! to a temporary file beside its target and is renamed over it only when the whole export has
//! succeeded ([`stage`]); cancelled ([`Progress::cancel`]), refused for loss, or failed, the
//! export removes its temporary files and the folders it created. An input is never written
//! over. The bytes depend on the inputs and the request only (no clock, no map order).

mod ahead;
pub mod dataset;
mod inputs;
mod plan;
mod soon;
mod stage;
#[cfg(test)]
mod tests;
mod write;

use std::fmt;
use std::path::PathBuf;

pub use inputs::{find_files, find_native_files};

use crate::formats::{ExportOptions, Format, Loss};
use crate::progress::Progress;
use dataset::{DocumentSummary, Filters, Split};

/// What to export, and how. Build it with [`ExportRequest::new`] and set the public fields.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub format: Format,
    /// Annotation files, articles with one beside them, or folders (searched recursively).
    pub inputs: Vec<PathBuf>,
    /// A folder for the per-document formats (native, brat, w3c) and for a split; a file for
    /// the dataset formats.
    pub out: PathBuf,
    /// Which documents and spans go out.
    pub filters: Filters,
    /// Train/dev/test by document, with its seed; `None`: one part.
    pub split: Option<Split>,
    /// Offsets unit, doccano's form, Label Studio's names (each format uses what concerns it).
    pub options: ExportOptions,
    /// Export even when the format cannot hold everything (what is lost is still reported).
    pub allow_loss: bool,
}

impl ExportRequest {
    /// A request with no filters, no split, the default options, and no loss allowed.
    pub fn new(format: Format, inputs: Vec<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Self {
            format,
            inputs,
            out: out.into(),
            filters: Filters::default(),
            split: None,
            options: ExportOptions::default(),
            allow_loss: false,
        }
    }
}

/// How much a problem weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Said for the record (a span CoNLL could not place, also counted in the loss).
    Note,
    /// The data has a problem: a file is not a valid annotation file, a folder has none.
    Data,
    /// A file or folder could not be read.
    Io,
}

/// A problem with one input (or one span of it), the export going on past it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// Names the file (at the end), and the line or span where it helps.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One output of the export: a dataset file, or a folder of per-document files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartReport {
    /// `train`, `dev`, `test`; `None` without a split.
    pub name: Option<&'static str>,
    /// The file or folder written.
    pub path: PathBuf,
    pub documents: usize,
    pub spans: usize,
}

/// What an export did.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    /// Documents written (after the filters), over all parts.
    pub documents: usize,
    /// Spans written (after the filters), over all parts.
    pub spans: usize,
    pub parts: Vec<PartReport>,
    /// The manifest written (every export but a plain native one has one).
    pub manifest: Option<PathBuf>,
    /// Every file written, in the order written (the manifest last).
    pub files: Vec<PathBuf>,
    /// What the format could not hold (exported without it: [`ExportRequest::allow_loss`]).
    pub loss: Loss,
    /// Documents, spans and relations the filters left out.
    pub filtered_out: (usize, usize, usize),
    /// Suggestions no one accepted, left out whatever the filters.
    pub suggestions_out: usize,
    /// Problems with single inputs or spans, in the order met.
    pub problems: Vec<Problem>,
}

impl ExportReport {
    /// The worst problem met, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.problems.iter().map(|p| p.severity).max()
    }
}

/// Why an export wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ExportErrorKind {
    #[error("nothing to export; not written: {}", out.display())]
    NothingToExport { out: PathBuf },
    #[error("no document is left after the filters; not written: {}", out.display())]
    NothingLeft { out: PathBuf },
    #[error("the output is one of the inputs; refusing to overwrite it: {}", out.display())]
    OutIsAnInput { out: PathBuf },
    #[error("would overwrite an input ({}); choose another output: {}", target.display(), input.display())]
    WouldOverwriteInput { target: PathBuf, input: PathBuf },
    #[error("{} cannot hold {}; nothing written", format.name(), describe(loss))]
    Loss { format: Format, loss: Loss },
    #[error("the file changed while it was exported; nothing written: {}", path.display())]
    InputChanged { path: PathBuf },
    #[error("{what}: {source}: {}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cancelled; nothing written")]
    Cancelled,
    #[error("{format} is read, not written; nothing written")]
    NotWritten { format: Format },
}

/// An export that wrote nothing: why, and the problems met before it stopped.
#[derive(Debug, thiserror::Error)]
#[error("{kind}")]
pub struct ExportError {
    pub kind: ExportErrorKind,
    /// Problems with single inputs met before the export stopped.
    pub problems: Vec<Problem>,
}

impl ExportError {
    pub fn is_cancelled(&self) -> bool {
        matches!(self.kind, ExportErrorKind::Cancelled)
    }
}

/// `3 relations, 1 notes`: what a [`Loss`] counts.
pub fn describe(loss: &Loss) -> String {
    loss.counts
        .iter()
        .map(|(what, n)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Exports the corpus `req` names (see the module docs). `progress` shows the phase
/// (`writing`, after `reading` in a two-pass export) and the documents done; cancelling it stops the export between
/// documents with [`ExportErrorKind::Cancelled`], leaving no file behind.
pub fn export_corpus(
    req: &ExportRequest,
    progress: &Progress,
) -> Result<ExportReport, ExportError> {
    let mut problems = Vec::new();
    let fail = |kind, problems| Err(ExportError { kind, problems });
    let inputs = match plan::inputs(req, &mut problems) {
        Ok(inputs) => inputs,
        Err(kind) => return fail(kind, problems),
    };
    let plan = if plan::one_pass(req) {
        None
    } else {
        match plan::plan(req, &inputs, progress, &mut problems) {
            Ok(plan) => Some(plan),
            Err(kind) => return fail(kind, problems),
        }
    };
    match write::write(req, &inputs, plan.as_ref(), progress, &mut problems) {
        Ok(mut report) => {
            report.problems = problems;
            Ok(report)
        }
        Err(kind) => fail(kind, problems),
    }
}

/// A document kept for export, as the first pass saw it.
#[derive(Debug, Clone)]
struct Kept {
    input: PathBuf,
    input_sha256: String,
    summary: DocumentSummary,
    /// Spans re-anchoring could not place (they have no offsets in the text).
    orphans: usize,
    /// The group it is written with, for a format whose records hold several documents (a
    /// Label Studio task: [`crate::formats::registry::GroupedWriter::group_of`]).
    group: (String, String),
    /// The record ids it carries from an import, for that format
    /// ([`crate::formats::registry::GroupedWriter::carried`]).
    carried: crate::formats::registry::Carried,
}
