//! Finding the inputs and the one way a document is read ([`load`], [`read`]); for an export
//! in two passes, the first: read each input once (keeping only its [`Kept`] summary) and
//! decide the parts.

use std::cell::RefCell;
use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::ahead::{self, live::Live};
use super::soon;
use super::stage::ReadFiles;
use super::{ExportErrorKind, ExportRequest, Kept, Problem, Severity, inputs, stage};
use crate::export::dataset::{self, DocumentSummary};
use crate::formats::{Format, Writing};
use crate::model::Document;
use crate::progress::Progress;
use crate::store::hash::sha256_hex;
use crate::store::native::{self, HistoryUse};

/// The files an export reads.
#[derive(Debug)]
pub(super) struct Inputs {
    /// The annotation files, in the order found.
    pub natives: Vec<PathBuf>,
    /// Every file the export reads: it never writes over one.
    pub read: ReadFiles,
}

/// What the first pass decided.
#[derive(Debug)]
pub(super) struct Plan {
    /// The documents to export, in the order the inputs were found.
    pub kept: Vec<Kept>,
    /// Each part's name and its documents (indices into `kept`), in the order they are written.
    pub parts: Vec<(Option<&'static str>, Vec<usize>)>,
    /// Documents, spans and relations the filters left out.
    pub filtered_out: (usize, usize, usize),
}

/// A document read from its annotation file, and the SHA-256 of the file's bytes.
pub(super) struct Loaded {
    pub doc: Document,
    pub input_sha256: String,
    /// Counts the document as alive (in tests).
    pub alive: Live,
}

/// What an export to `format` does with a file's history: a native export writes it, every
/// other format has no place for it. Either way each entry is checked as a load checks it, so
/// an export refuses every file `spanmark validate` refuses. The hash chain is not checked:
/// neither refuses a file for it, and a native export writes each entry with the hash it was
/// read with.
pub(super) fn history_use(format: Format) -> HistoryUse {
    if format.is_native() {
        HistoryUse::Keep
    } else {
        HistoryUse::Check
    }
}

/// Files up to this size are read into the buffer a thread keeps ([`FILE_BYTES`]); a larger
/// one gets its own, freed after it.
const KEPT_FILE_BYTES: usize = 1 << 20;

thread_local! {
    /// The bytes of the last annotation file this thread read, kept for the next. Freeing
    /// ~100 KB after each document made the allocator hand the memory back to the system and
    /// take it again for the next (`madvise`, a TLB flush on both cores, page faults): 6% of a
    /// 1,000-document export's time.
    static FILE_BYTES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reads the annotation file at `path` for an export to `format`. The error is a problem
/// naming the file.
pub(super) fn load(path: &Path, format: Format) -> Result<Loaded, Problem> {
    FILE_BYTES.with_borrow_mut(|bytes| {
        bytes.clear();
        let loaded = File::open(path)
            .and_then(|mut file| file.read_to_end(bytes))
            .map_err(|e| Problem {
                severity: Severity::Io,
                message: format!("cannot read annotation file: {e}: {}", path.display()),
            })
            .and_then(|_| parse(path, bytes, format));
        if bytes.capacity() > KEPT_FILE_BYTES {
            *bytes = Vec::new();
        }
        loaded
    })
}

/// The document in `bytes`, the annotation file at `path`.
fn parse(path: &Path, bytes: &[u8], format: Format) -> Result<Loaded, Problem> {
    let alive = Live::new();
    let loaded =
        native::from_bytes_in_lines(path, bytes, history_use(format)).map_err(|e| Problem {
            severity: Severity::Data,
            message: e.to_string(),
        })?;
    Ok(Loaded {
        doc: loaded.doc,
        input_sha256: sha256_hex(bytes),
        alive,
    })
}

/// What reading one input for the first time gave: `D` is what the reader made of the
/// document (the document itself, what the format writes for it, or nothing).
pub(super) enum Read<D> {
    /// It could not be read: the problem names the file.
    Failed(Problem),
    /// The filters leave out its annotator.
    FilteredOut,
    /// The document to export, filtered, and what the report and the manifest keep of it.
    Kept {
        kept: Box<Kept>,
        doc: D,
        spans_out: usize,
        relations_out: usize,
    },
}

impl<D> Read<D> {
    /// What `f` makes of the document, on the reader thread.
    pub fn map<E>(self, f: impl FnOnce(D) -> E) -> Read<E> {
        match self {
            Read::Failed(p) => Read::Failed(p),
            Read::FilteredOut => Read::FilteredOut,
            Read::Kept {
                kept,
                doc,
                spans_out,
                relations_out,
            } => Read::Kept {
                kept,
                doc: f(doc),
                spans_out,
                relations_out,
            },
        }
    }
}

/// Reads, checks and filters the input at `path` (on a reader thread). The document comes with
/// its [`Live`].
pub(super) fn read(req: &ExportRequest, path: &Path) -> Read<(Document, Live)> {
    let Loaded {
        doc,
        input_sha256,
        alive,
    } = match load(path, req.format) {
        Ok(l) => l,
        Err(problem) => return Read::Failed(problem),
    };
    let (group, carried) = match req.format.writing() {
        Writing::Grouped { writer, .. } => (writer.group_of(&doc), writer.carried(&doc)),
        Writing::Nothing | Writing::Dataset { .. } | Writing::PerDocument(_) | Writing::Native => {
            Default::default()
        }
    };
    match dataset::filter(doc, &req.filters) {
        Some(f) => Read::Kept {
            kept: Box::new(Kept {
                input: path.to_path_buf(),
                input_sha256,
                summary: DocumentSummary {
                    suggestions_out: f.suggestions_out,
                    ..DocumentSummary::of(&f.doc)
                },
                orphans: f.doc.orphans.spans.len(),
                group,
                carried,
            }),
            doc: (f.doc, alive),
            spans_out: f.spans_out,
            relations_out: f.relations_out,
        },
        None => Read::FilteredOut,
    }
}

/// Whether the export reads each input once, writing as it reads. It must read every input
/// before writing when a split assigns documents to parts, and when the format's output
/// depends on every document ([`Format::needs_every_document`]: Label Studio groups the
/// annotators of one article into a task; doccano's form depends on whether any document has
/// relations).
///
/// [`Format::needs_every_document`]: crate::formats::Format::needs_every_document
pub(super) fn one_pass(req: &ExportRequest) -> bool {
    req.split.is_none() && !req.format.needs_every_document(&req.options)
}

/// Finds the annotation files `req` names; refuses an output that is one of the inputs.
pub(super) fn inputs(
    req: &ExportRequest,
    problems: &mut Vec<Problem>,
) -> Result<Inputs, ExportErrorKind> {
    let (natives, found) = inputs::find_native_files(&req.inputs);
    problems.extend(found);
    // Never write over anything this export reads: the files given, the annotation files, and
    // the articles beside them.
    let read = ReadFiles::new(
        req.inputs
            .iter()
            .filter(|p| p.is_file())
            .cloned()
            .chain(natives.iter().cloned())
            .chain(natives.iter().filter_map(|p| native::article_beside(p)))
            .collect(),
    );
    if let Some(out) = stage::identity(&req.out)
        && read.named(&out).is_some()
    {
        return Err(ExportErrorKind::OutIsAnInput {
            out: req.out.clone(),
        });
    }
    Ok(Inputs { natives, read })
}

/// The first pass of a two-pass export: reads every input, keeping its [`Kept`] summary, and
/// decides the parts.
pub(super) fn plan(
    req: &ExportRequest,
    inputs: &Inputs,
    progress: &Progress,
    problems: &mut Vec<Problem>,
) -> Result<Plan, ExportErrorKind> {
    let natives = &inputs.natives;
    progress.start("reading", natives.len() as u64);
    let mut kept = Vec::with_capacity(natives.len());
    let mut any_loaded = false;
    let mut filtered_out = (0, 0, 0);
    ahead::in_order(
        natives.len(),
        // The first pass keeps only the summary: the document is dropped where it was read.
        |i| {
            soon::before_reading(i, |j| natives.get(j).map(PathBuf::as_path));
            read(req, &natives[i]).map(drop)
        },
        |_, r| {
            progress.check().map_err(|_| ExportErrorKind::Cancelled)?;
            match r {
                Read::Failed(problem) => problems.push(problem),
                Read::FilteredOut => {
                    any_loaded = true;
                    filtered_out.0 += 1;
                }
                Read::Kept {
                    kept: k,
                    spans_out,
                    relations_out,
                    ..
                } => {
                    any_loaded = true;
                    filtered_out.1 += spans_out;
                    filtered_out.2 += relations_out;
                    kept.push(*k);
                }
            }
            progress.advance(1);
            Ok(())
        },
    )?;
    nothing_to_export(req, any_loaded, kept.is_empty())?;
    let parts = parts(req, &kept);
    Ok(Plan {
        kept,
        parts,
        filtered_out,
    })
}

/// Refuses an export where no input could be read, or the filters left no document.
pub(super) fn nothing_to_export(
    req: &ExportRequest,
    any_loaded: bool,
    none_kept: bool,
) -> Result<(), ExportErrorKind> {
    if !any_loaded {
        return Err(ExportErrorKind::NothingToExport {
            out: req.out.clone(),
        });
    }
    if none_kept {
        return Err(ExportErrorKind::NothingLeft {
            out: req.out.clone(),
        });
    }
    Ok(())
}

/// One part of every document, or train/dev/test; within a part of a split, an order that
/// does not depend on the order of the inputs either.
fn parts(req: &ExportRequest, kept: &[Kept]) -> Vec<(Option<&'static str>, Vec<usize>)> {
    let Some(split) = &req.split else {
        return vec![(None, (0..kept.len()).collect())];
    };
    let shas: Vec<String> = kept.iter().map(|k| k.summary.text_sha256.clone()).collect();
    let assigned = split.assign(&shas);
    let mut parts: Vec<(Option<&'static str>, Vec<usize>)> = split
        .part_names()
        .iter()
        .map(|n| (Some(*n), Vec::new()))
        .collect();
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| (&shas[i], &kept[i].summary.annotator, &kept[i].input);
        key(a).cmp(&key(b))
    });
    for i in order {
        parts[assigned[i]].1.push(i);
    }
    parts
}
