//! Every format Spanmark reads or writes, in one list: [`FORMATS`]. Each entry says what the
//! format is called, how the export dialog titles it, how it is read and written, and what it
//! can hold. The CLI's `--from`/`--to` values and their help, the GUI's export dialog and the
//! README's format table all come from this list, and [`crate::formats::import`],
//! [`crate::formats::export`] and the corpus export ([`crate::export`]) reach a format's code
//! only through the traits its entry names ([`Reader`], [`DatasetWriter`], [`GroupedWriter`],
//! [`DocumentWriter`]).
//!
//! **Adding a format** is a folder `formats/NAME/` (`mod.rs`, `read.rs` and/or `write.rs`,
//! `tests.rs`) whose reader and writer implement those traits, and one entry in [`FORMATS`].
//! Nothing else in the crate matches on a format's name; every `match` on how a format is read
//! ([`Reading`]) or written ([`Writing`]) lists each way, so a new way is an error everywhere it
//! must be answered.
//!
//! What a given document loses on export is counted by each writer (it depends on the data);
//! [`Holds`] says what the format can hold at all, and a test checks the two agree.
//!
//! Native annotation files and plain articles are read (and native files written) by `store/`,
//! not by a format module: their entries say so ([`Reading::Native`], [`Reading::Articles`],
//! [`Writing::Native`]), and the code that reads them answers those variants by name.

mod list;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;
use std::io::{self, Write};
use std::path::Path;

pub use list::FORMATS;
pub use table::readme_table;

use super::{ExportOptions, ExportedFile, ImportOptions, ImportReport, Loss, Problem};
use crate::model::Document;

/// One format: what it is called, how it is read and written, what it can hold.
pub struct Entry {
    /// The CLI's name for it (`--from NAME`, `--to NAME`), also written in manifests.
    pub name: &'static str,
    /// How the export dialog names it.
    pub title: &'static str,
    /// What `--from NAME` reads, for the CLI's help (empty when it is not read).
    pub reading_help: &'static str,
    /// What `--to NAME` writes, for the CLI's help (empty when it is not written); the help
    /// adds whether `--out` is a file or a folder.
    pub writing_help: &'static str,
    pub reading: Reading,
    pub writing: Writing,
    /// What it can hold.
    pub holds: Holds,
    /// The export settings it takes besides the filters and the split.
    pub settings: &'static [Setting],
    /// What else it keeps, and how, beyond [`Entry::holds`] (the README's table).
    pub keeps: &'static str,
}

/// How a format is read.
#[derive(Clone, Copy)]
pub enum Reading {
    /// It is not read (export only).
    Nothing,
    /// Files of the format, read by its [`Reader`]: in a folder, the files with one of
    /// `extensions` (lower case). `needs_article`: the files do not hold the text they
    /// annotate, so the article is named too (`--source`).
    Files {
        reader: &'static dyn Reader,
        extensions: &'static [&'static str],
        needs_article: bool,
    },
    /// Spanmark annotation files, read by `store::native` (with the articles beside them).
    Native,
    /// Articles with no annotations yet, read by `store::article` (`.txt`, `.md`, `.html`).
    Articles,
}

/// How a format is written.
#[derive(Clone, Copy)]
pub enum Writing {
    /// It is not written (import only).
    Nothing,
    /// One dataset file (`train.EXTENSION` in a split), written document by document.
    Dataset {
        writer: &'static dyn DatasetWriter,
        extension: &'static str,
    },
    /// One dataset file whose records each hold a group of documents (Label Studio: a task
    /// holds every annotator's work on one text).
    Grouped {
        writer: &'static dyn GroupedWriter,
        extension: &'static str,
    },
    /// Files per document, in a folder.
    PerDocument(&'static dyn DocumentWriter),
    /// Spanmark annotation files, one per document in a folder, written by `store::native`.
    Native,
}

/// Whether a format can hold one kind of thing a document has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Can {
    /// It holds it.
    Hold,
    /// It holds some of it (which, in a few words); an export counts the rest.
    Partly(&'static str),
    /// It cannot hold it: an export leaves it out and counts it ([`Loss`]).
    Lose,
    /// It has no place for it: it is neither written nor counted (as review status in brat).
    Omit,
}

/// What a format can hold, by kind ([`Kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holds {
    pub nested: Can,
    pub discontinuous: Can,
    pub relations: Can,
    pub notes: Can,
    pub attributes: Can,
    pub status: Can,
}

impl Holds {
    /// Whether it can hold `kind`.
    pub fn can(&self, kind: Kind) -> Can {
        match kind {
            Kind::Nested => self.nested,
            Kind::Discontinuous => self.discontinuous,
            Kind::Relations => self.relations,
            Kind::Notes => self.notes,
            Kind::Attributes => self.attributes,
            Kind::Status => self.status,
        }
    }
}

/// The kinds of thing a document holds that some formats cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Nested,
    Discontinuous,
    Relations,
    Notes,
    Attributes,
    Status,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Nested,
        Kind::Discontinuous,
        Kind::Relations,
        Kind::Notes,
        Kind::Attributes,
        Kind::Status,
    ];

    /// A word for it (the README's column).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Nested => "nested",
            Kind::Discontinuous => "discontinuous",
            Kind::Relations => "relations",
            Kind::Notes => "notes",
            Kind::Attributes => "attributes",
            Kind::Status => "status",
        }
    }

    /// What it is, in a few words.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Nested => "overlapping or nested spans",
            Kind::Discontinuous => "discontinuous spans (several pieces)",
            Kind::Relations => "relations between spans",
            Kind::Notes => "span notes",
            Kind::Attributes => "span attributes",
            Kind::Status => "review status (pending, accepted, rejected)",
        }
    }
}

/// An export setting some formats take (the CLI refuses it for the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// `--offsets`: the unit offsets are written in.
    Offsets,
    /// `--doccano-form`: doccano's shape.
    DoccanoForm,
    /// `--from-name`, `--to-name`, `--text-key`: Label Studio's names.
    LabelStudioNames,
    /// `--ls-as annotations|predictions`, `--model-version`: what Label Studio's tasks hold.
    LabelStudioAs,
}

/// Reading one file of a format into documents.
pub trait Reader: Sync {
    /// The documents in the file at `path` (with the spans each could not take) and the
    /// problems of the file itself. `article`: the text the file annotates, for a format whose
    /// files do not hold it (`needs_article` in [`Reading::Files`]); `None` for the others.
    fn read(&self, path: &Path, article: Option<&str>, options: &ImportOptions) -> ImportReport;
}

/// What writing one or more documents gave besides the bytes.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// What the format could not hold.
    pub loss: Loss,
    /// Notes on single spans (a span off the token boundaries in CoNLL, …), each naming the
    /// document and span.
    pub notes: Vec<Problem>,
}

impl From<Loss> for Written {
    fn from(loss: Loss) -> Self {
        Written {
            loss,
            notes: Vec::new(),
        }
    }
}

/// What a part of an export (the whole export, or train, dev or test) holds, for writers whose
/// output depends on it.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    pub options: &'a ExportOptions,
    /// Whether any document of the part has relations (doccano then writes its `entities`
    /// form unless a form is given).
    pub has_relations: bool,
}

/// Writing a dataset file document by document: [`DatasetWriter::begin`], then what
/// [`DatasetWriter::document`] gives for each, in order.
pub trait DatasetWriter: Sync {
    /// What comes before the first document (CSV's header row).
    fn begin(&self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// Whether the export must read every document before writing the first, because what it
    /// writes depends on all of them (doccano's form, when not given).
    fn needs_every_document(&self, _options: &ExportOptions) -> bool {
        false
    }

    /// Appends the lines (rows, sentences) of `doc` to `out`.
    fn document(&self, doc: &Document, part: &Part<'_>, out: &mut Vec<u8>) -> io::Result<Written>;

    /// The whole file for `docs` at once, in memory: the bytes the export streams.
    fn all(
        &self,
        docs: &[&Document],
        options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Written>;
}

/// The ids a document carries from an import into a grouped format's records: its group's
/// (a Label Studio task id) and its own (an annotation id).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Carried {
    pub group: Option<u64>,
    pub member: Option<u64>,
}

/// The integer ids of a grouped format's records (groups) and of the documents in them
/// (members), unique across the whole export, every part of a split included: an id carried
/// from an import is kept, unless an earlier record already took it; the others are numbered
/// 1, 2, … in the order written, skipping every id some document carries. So the same corpus
/// gives the same ids.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    /// Ids some document carries: never given to another.
    carried: [std::collections::HashSet<u64>; 2],
    /// Ids given so far.
    given: [std::collections::HashSet<u64>; 2],
    /// The last number counted, per kind.
    last: [u64; 2],
}

impl Numbering {
    /// A numbering that keeps clear of every id in `carried` (all of the export's documents).
    pub fn new(carried: impl IntoIterator<Item = Carried>) -> Self {
        let mut n = Numbering::default();
        for c in carried {
            n.carried[0].extend(c.group);
            n.carried[1].extend(c.member);
        }
        n
    }

    /// The id of the next group written, which carries `carried`.
    pub fn group(&mut self, carried: Option<u64>) -> u64 {
        self.next(0, carried)
    }

    /// The id of the next member written, which carries `carried`.
    pub fn member(&mut self, carried: Option<u64>) -> u64 {
        self.next(1, carried)
    }

    fn next(&mut self, kind: usize, carried: Option<u64>) -> u64 {
        if let Some(id) = carried
            && self.given[kind].insert(id)
        {
            return id;
        }
        loop {
            self.last[kind] += 1;
            let id = self.last[kind];
            if !self.carried[kind].contains(&id) && self.given[kind].insert(id) {
                return id;
            }
        }
    }
}

/// Writing a dataset file whose records each hold a group of documents. The export reads every
/// document first, to know the groups, then writes each group when its last document is read.
pub trait GroupedWriter: Sync {
    /// The group `doc` belongs to: documents with the same key are written together.
    fn group_of(&self, doc: &Document) -> (String, String);

    /// The ids `doc` carries from an import (see [`Numbering`]).
    fn carried(&self, doc: &Document) -> Carried;

    /// What comes before the first group.
    fn begin(&self, out: &mut dyn Write) -> io::Result<()>;

    /// Appends the record(s) of one group to `out`; `first`: nothing was written before it.
    /// `numbering` gives the ids, shared by every part of the export.
    fn group(
        &self,
        docs: &[&Document],
        first: bool,
        numbering: &mut Numbering,
        options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Loss>;

    /// What comes after the last group; `empty`: there was none.
    fn end(&self, empty: bool, out: &mut dyn Write) -> io::Result<()>;

    /// The whole file for `docs` at once, in memory: the bytes the export streams.
    fn all(
        &self,
        docs: &[&Document],
        options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Written>;
}

/// Writing the files of one document.
pub trait DocumentWriter: Sync {
    /// The document's files (each named by a suffix to its base name: `.ann`, `.jsonld`) and
    /// what they could not hold.
    fn files(&self, doc: &Document) -> (Vec<ExportedFile>, Loss);

    /// The base name of the document's files: its article's name without the extension.
    fn base_name(&self, doc: &Document) -> String {
        let name = super::names::safe_file_name(&doc.source.name, "document");
        match name.rfind('.') {
            Some(i) if i > 0 => name[..i].to_string(),
            _ => name,
        }
    }
}

/// A format of the registry: a handle on its [`Entry`] in [`FORMATS`]. Two handles are equal
/// when they name the same format.
#[derive(Clone, Copy)]
pub struct Format(&'static Entry);

impl Format {
    /// Every format, in the order of [`FORMATS`].
    pub fn all() -> impl Iterator<Item = Format> {
        FORMATS.iter().map(Format)
    }

    /// The format called `name` (`jsonl`, `label-studio`, …).
    pub fn named(name: &str) -> Option<Format> {
        Format::all().find(|f| f.name() == name)
    }

    pub fn entry(self) -> &'static Entry {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// How the export dialog names it.
    pub fn title(self) -> &'static str {
        self.0.title
    }

    pub fn reading(self) -> Reading {
        self.0.reading
    }

    pub fn writing(self) -> Writing {
        self.0.writing
    }

    /// Whether Spanmark reads it.
    pub fn is_read(self) -> bool {
        match self.0.reading {
            Reading::Nothing => false,
            Reading::Files { .. } | Reading::Native | Reading::Articles => true,
        }
    }

    /// Whether Spanmark writes it.
    pub fn is_written(self) -> bool {
        match self.0.writing {
            Writing::Nothing => false,
            Writing::Dataset { .. }
            | Writing::Grouped { .. }
            | Writing::PerDocument(_)
            | Writing::Native => true,
        }
    }

    /// Whether it is Spanmark's own annotation file.
    pub fn is_native(self) -> bool {
        matches!(self.0.writing, Writing::Native)
    }

    /// Whether the file the reader reads does not hold its text, so that the article is named
    /// too (`--source`).
    pub fn needs_article(self) -> bool {
        match self.0.reading {
            Reading::Files { needs_article, .. } => needs_article,
            Reading::Nothing | Reading::Native | Reading::Articles => false,
        }
    }

    /// Whether an export writes files per document into a folder (native, brat, w3c) rather
    /// than one dataset file.
    pub fn per_document(self) -> bool {
        match self.0.writing {
            Writing::PerDocument(_) | Writing::Native => true,
            Writing::Nothing | Writing::Dataset { .. } | Writing::Grouped { .. } => false,
        }
    }

    /// The extension of a dataset file of this format (`train.jsonl`, …); empty for the
    /// others.
    pub fn extension(self) -> &'static str {
        match self.0.writing {
            Writing::Dataset { extension, .. } | Writing::Grouped { extension, .. } => extension,
            Writing::Nothing | Writing::PerDocument(_) | Writing::Native => "",
        }
    }

    /// Whether an export to it takes `setting`.
    pub fn takes(self, setting: Setting) -> bool {
        self.0.settings.contains(&setting)
    }

    /// Whether an export to it must read every input before writing the first: when what it
    /// writes depends on all the documents.
    pub fn needs_every_document(self, options: &ExportOptions) -> bool {
        match self.0.writing {
            Writing::Dataset { writer, .. } => writer.needs_every_document(options),
            Writing::Grouped { .. } => true,
            Writing::Nothing | Writing::PerDocument(_) | Writing::Native => false,
        }
    }

    /// Whether a file met while searching a folder is an input of this format (files named
    /// on the command line are always read).
    pub fn reads(self, path: &Path) -> bool {
        match self.0.reading {
            Reading::Nothing => false,
            Reading::Native => crate::store::native::is_native_path(path),
            Reading::Articles => crate::store::folder::is_article(path),
            Reading::Files { extensions, .. } => {
                // Manifests of earlier exports are not data.
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.ends_with("manifest.json") {
                    return false;
                }
                let ext = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase)
                    .unwrap_or_default();
                extensions.contains(&ext.as_str())
            }
        }
    }
}

/// The first format of the list (JSONL): what the export dialog offers first.
impl Default for Format {
    fn default() -> Self {
        Format(&FORMATS[0])
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Format {}

impl std::hash::Hash for Format {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name().hash(state);
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Format({})", self.name())
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
