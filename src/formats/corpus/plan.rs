//! The first pass: find the inputs, read each once (keeping only its [`Kept`] summary), and
//! decide the parts. Also the one way a document is read, in both passes ([`load`]).

use std::path::{Path, PathBuf};

use super::{ExportErrorKind, ExportRequest, Kept, Problem, Severity, inputs};
use crate::formats::Format;
use crate::formats::dataset::{self, DocumentSummary};
use crate::model::Document;
use crate::progress::Progress;
use crate::store::hash::sha256_hex;
use crate::store::native;

/// What the first pass decided.
#[derive(Debug)]
pub(super) struct Plan {
    /// The documents to export, in the order the inputs were found.
    pub kept: Vec<Kept>,
    /// Each part's name and its documents (indices into `kept`), in the order they are written.
    pub parts: Vec<(Option<&'static str>, Vec<usize>)>,
    /// Every file the export reads: it never writes over one.
    pub read: Vec<PathBuf>,
    /// Documents, spans and relations the filters left out.
    pub filtered_out: (usize, usize, usize),
}

/// A document read from its annotation file, and the SHA-256 of the file's bytes.
pub(super) struct Loaded {
    pub doc: Document,
    pub input_sha256: String,
    /// Counts the document as alive (in tests).
    pub alive: live::Live,
}

/// Reads the annotation file at `path`. The error is a problem naming the file.
pub(super) fn load(path: &Path) -> Result<Loaded, Problem> {
    let bytes = std::fs::read(path).map_err(|e| Problem {
        severity: Severity::Io,
        message: format!("cannot read annotation file: {e}: {}", path.display()),
    })?;
    let loaded = native::from_bytes(path, &bytes).map_err(|e| Problem {
        severity: Severity::Data,
        message: e.to_string(),
    })?;
    Ok(Loaded {
        doc: loaded.doc,
        input_sha256: sha256_hex(&bytes),
        alive: live::Live::new(),
    })
}

pub(super) fn plan(
    req: &ExportRequest,
    progress: &Progress,
    problems: &mut Vec<Problem>,
) -> Result<Plan, ExportErrorKind> {
    let (natives, found) = inputs::find_native_files(&req.inputs);
    problems.extend(found);
    // Never write over anything this export reads: the files given, the annotation files, and
    // the articles beside them.
    let read: Vec<PathBuf> = req
        .inputs
        .iter()
        .filter(|p| p.is_file())
        .cloned()
        .chain(natives.iter().cloned())
        .chain(natives.iter().filter_map(|p| native::article_beside(p)))
        .collect();
    if read.iter().any(|p| same_file(p, &req.out)) {
        return Err(ExportErrorKind::OutIsAnInput {
            out: req.out.clone(),
        });
    }
    progress.start("reading", natives.len() as u64);
    let mut kept = Vec::with_capacity(natives.len());
    let mut any_loaded = false;
    let mut filtered_out = (0, 0, 0);
    for path in &natives {
        progress.check().map_err(|_| ExportErrorKind::Cancelled)?;
        let loaded = match load(path) {
            Ok(l) => l,
            Err(problem) => {
                problems.push(problem);
                progress.advance(1);
                continue;
            }
        };
        any_loaded = true;
        let Loaded {
            doc, input_sha256, ..
        } = loaded;
        let task = match req.format {
            Format::LabelStudio => crate::formats::label_studio::task_key(&doc),
            _ => Default::default(),
        };
        match dataset::filter(doc, &req.filters) {
            Some(f) => {
                filtered_out.1 += f.spans_out;
                filtered_out.2 += f.relations_out;
                kept.push(Kept {
                    input: path.clone(),
                    input_sha256,
                    summary: DocumentSummary::of(&f.doc),
                    orphans: f.doc.orphans.spans.len(),
                    task,
                });
            }
            None => filtered_out.0 += 1,
        }
        progress.advance(1);
    }
    if !any_loaded {
        return Err(ExportErrorKind::NothingToExport {
            out: req.out.clone(),
        });
    }
    if kept.is_empty() {
        return Err(ExportErrorKind::NothingLeft {
            out: req.out.clone(),
        });
    }
    let parts = parts(req, &kept);
    Ok(Plan {
        kept,
        parts,
        read,
        filtered_out,
    })
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

pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Counts the documents alive at once on this thread, in tests, to show that the export
/// streams; nothing in other builds.
pub(super) mod live {
    /// What [`on_load`] calls.
    #[cfg(test)]
    type Hook = Box<dyn FnMut(usize)>;

    #[cfg(test)]
    thread_local! {
        /// (alive now, most alive at once).
        static ALIVE: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
        /// Called with the number of each document read (1, 2, …), to act mid-export.
        static ON_LOAD: std::cell::RefCell<Option<(usize, Hook)>> =
            const { std::cell::RefCell::new(None) };
    }

    pub struct Live;

    impl Live {
        pub fn new() -> Self {
            #[cfg(test)]
            {
                ALIVE.with(|a| {
                    let (now, peak) = a.get();
                    a.set((now + 1, peak.max(now + 1)));
                });
                ON_LOAD.with(|hook| {
                    if let Some((count, f)) = hook.borrow_mut().as_mut() {
                        *count += 1;
                        f(*count);
                    }
                });
            }
            Live
        }
    }

    /// Calls `f` with the number of each document read from now on (on this thread).
    #[cfg(test)]
    pub fn on_load(f: impl FnMut(usize) + 'static) {
        ON_LOAD.with(|hook| *hook.borrow_mut() = Some((0, Box::new(f))));
    }

    /// No more calls.
    #[cfg(test)]
    pub fn no_hook() {
        ON_LOAD.with(|hook| *hook.borrow_mut() = None);
    }

    impl Drop for Live {
        fn drop(&mut self) {
            #[cfg(test)]
            ALIVE.with(|a| {
                let (now, peak) = a.get();
                a.set((now.saturating_sub(1), peak));
            });
        }
    }

    /// Forgets the peak; returns the documents alive now.
    #[cfg(test)]
    pub fn reset() -> usize {
        ALIVE.with(|a| {
            let (now, _) = a.get();
            a.set((now, now));
            now
        })
    }

    /// The most documents alive at once since [`reset`].
    #[cfg(test)]
    pub fn peak() -> usize {
        ALIVE.with(|a| a.get().1)
    }
}
