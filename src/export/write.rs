//! The second pass: each part written document by document into the [`Stage`], then the loss
//! checked, the manifest staged, and everything renamed into place.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::ahead::{self, live::Live};
use super::plan::{self, Inputs, Loaded, Plan, Read};
use super::soon;
use super::stage::Stage;
use super::{ExportErrorKind, ExportReport, ExportRequest, Kept, PartReport, Problem, Severity};
use crate::export::dataset::{self, Entry, Manifest, Part};
use crate::formats::names::{safe_file_name, unique_path};
use crate::formats::registry::{
    DatasetWriter, DocumentWriter, GroupedWriter, Numbering, Part as Facts,
};
use crate::formats::{ExportedFile, Loss, Writing, Written};
use crate::model::Document;
use crate::progress::Progress;
use crate::store::native;

/// Where the documents of a part come from.
enum Source<'a> {
    /// Read again: the documents the first pass kept. Each must be the one that pass read.
    Again(Vec<&'a Kept>),
    /// Read once, here: every annotation file found (a one-pass export has one part).
    Once(&'a [PathBuf]),
}

/// What reading the inputs once found, besides the documents kept.
#[derive(Default)]
struct Once {
    any_loaded: bool,
    filtered_out: (usize, usize, usize),
}

/// Reads a kept document again, checks it is the one the first pass read, and filters it.
fn reread(req: &ExportRequest, kept: &Kept) -> Result<(Document, Live), ExportErrorKind> {
    let changed = || ExportErrorKind::InputChanged {
        path: kept.input.clone(),
    };
    let Loaded {
        doc,
        input_sha256,
        alive,
    } = plan::load(&kept.input, req.format).map_err(|_| changed())?;
    if input_sha256 != kept.input_sha256 {
        return Err(changed());
    }
    let filtered = dataset::filter(doc, &req.filters).ok_or_else(changed)?;
    Ok((filtered.doc, alive))
}

/// Where a part goes: `out` itself, or `out/train` (per-document formats), `out/train.jsonl`.
fn target(req: &ExportRequest, name: Option<&str>) -> PathBuf {
    match name {
        None => req.out.clone(),
        Some(n) if req.format.per_document() => req.out.join(n),
        Some(n) => req.out.join(format!("{n}.{}", req.format.extension())),
    }
}

/// Writes the export: the parts of `plan` (two passes), or, without a plan, every input read
/// once and written as it is read (one part).
pub(super) fn write(
    req: &ExportRequest,
    inputs: &Inputs,
    plan: Option<&Plan>,
    progress: &Progress,
    problems: &mut Vec<Problem>,
) -> Result<ExportReport, ExportErrorKind> {
    let format = req.format;
    let folder_out = format.per_document() || req.split.is_some();
    let mut stage = Stage::default();
    let mut loss = Loss::default();
    let mut report = ExportReport::default();
    let mut manifest_parts = Vec::new();
    let parts: Vec<(Option<&'static str>, Source)> = match plan {
        Some(plan) => plan
            .parts
            .iter()
            .map(|(name, docs)| {
                let kept = docs.iter().map(|&i| &plan.kept[i]).collect();
                (*name, Source::Again(kept))
            })
            .collect(),
        None => vec![(None, Source::Once(&inputs.natives))],
    };
    let total = plan.map_or(inputs.natives.len(), |p| p.kept.len());
    progress.start("writing", total as u64);
    let mut once = Once::default();
    // Record ids (Label Studio's task and annotation ids) run on across the parts of a split.
    let mut numbering = Numbering::new(plan.iter().flat_map(|p| p.kept.iter().map(|k| k.carried)));
    for (name, source) in parts {
        let target = target(req, name);
        let mut part = WritingPart {
            req,
            progress,
            stage: &mut stage,
            loss: &mut loss,
            problems: &mut *problems,
            once: &mut once,
        };
        let (kept, sha256) = match format.writing() {
            Writing::Nothing => return Err(ExportErrorKind::NotWritten { format }),
            Writing::Native => (part.per_document(source, &target, &NativeFiles)?, None),
            Writing::PerDocument(writer) => (part.per_document(source, &target, writer)?, None),
            Writing::Grouped { writer, .. } => {
                let (kept, sha256) =
                    part.grouped(source, target.clone(), writer, &mut numbering)?;
                (kept, Some(sha256))
            }
            Writing::Dataset { writer, .. } => {
                let (kept, sha256) = part.dataset(source, target.clone(), writer)?;
                (kept, Some(sha256))
            }
        };
        if plan.is_none() {
            plan::nothing_to_export(req, once.any_loaded, kept.is_empty())?;
        }
        if !format.is_native() {
            // Orphaned spans (re-anchoring could not place them) have no offsets in the text.
            loss.add("orphaned spans", kept.iter().map(|k| k.orphans).sum());
        }
        let spans: usize = kept.iter().map(|k| k.summary.spans).sum();
        report.suggestions_out += kept
            .iter()
            .map(|k| k.summary.suggestions_out)
            .sum::<usize>();
        report.documents += kept.len();
        report.spans += spans;
        report.parts.push(PartReport {
            name,
            path: target.clone(),
            documents: kept.len(),
            spans,
        });
        let path = match name {
            None if folder_out => ".".to_string(),
            None => file_name(&req.out),
            Some(_) => file_name(&target),
        };
        manifest_parts.push((name, path, sha256, kept));
    }
    report.filtered_out = plan.map_or(once.filtered_out, |p| p.filtered_out);
    if !loss.is_empty() && !req.allow_loss {
        return Err(ExportErrorKind::Loss { format, loss });
    }
    report.manifest = if format.is_native() && req.split.is_none() {
        None
    } else if folder_out {
        Some(req.out.join("manifest.json"))
    } else {
        Some(beside(&req.out, ".manifest.json"))
    };
    if let Some(path) = &report.manifest {
        let manifest = Manifest {
            format: format.name(),
            offsets: req.options.offsets.as_str(),
            filters: &req.filters,
            split: req.split.as_ref(),
            parts: manifest_parts
                .iter()
                .map(|(name, path, sha256, kept)| Part {
                    name: *name,
                    path: path.clone(),
                    sha256: sha256.clone(),
                    entries: kept
                        .iter()
                        .map(|k| Entry {
                            doc: &k.summary,
                            input: k.input.display().to_string(),
                            input_sha256: k.input_sha256.clone(),
                        })
                        .collect(),
                })
                .collect(),
            filtered_out: report.filtered_out,
            loss: &loss,
        };
        stage.file(path.clone(), &manifest.to_bytes())?;
    }
    progress.check().map_err(|_| ExportErrorKind::Cancelled)?;
    report.files = stage.commit(&inputs.read)?;
    report.loss = loss;
    Ok(report)
}

/// Writing one part.
struct WritingPart<'a> {
    req: &'a ExportRequest,
    progress: &'a Progress,
    stage: &'a mut Stage,
    loss: &'a mut Loss,
    problems: &'a mut Vec<Problem>,
    once: &'a mut Once,
}

impl WritingPart<'_> {
    /// Calls `write` with what `render` made of each document of `source`, in order. Documents
    /// are read, checked and rendered on reader threads, ahead of the one being written (and
    /// dropped there, with their [`Live`], unless `render` keeps them). Between documents,
    /// stops when cancelled. Returns the documents written.
    fn each<R: Send>(
        &mut self,
        source: Source,
        render: impl Fn(Document, Live) -> R + Sync,
        mut write: impl FnMut(&mut Self, R) -> Result<(), ExportErrorKind> + Send,
    ) -> Result<Vec<Kept>, ExportErrorKind> {
        let req = self.req;
        let mut written = Vec::new();
        match source {
            Source::Again(kept) => {
                ahead::in_order(
                    kept.len(),
                    |i| {
                        soon::before_reading(i, |j| kept.get(j).map(|k| k.input.as_path()));
                        reread(req, kept[i]).map(|(doc, alive)| render(doc, alive))
                    },
                    |i, r| {
                        self.next()?;
                        write(self, r?)?;
                        written.push(kept[i].clone());
                        self.progress.advance(1);
                        Ok(())
                    },
                )?;
            }
            Source::Once(natives) => {
                ahead::in_order(
                    natives.len(),
                    |i| {
                        soon::before_reading(i, |j| natives.get(j).map(PathBuf::as_path));
                        plan::read(req, &natives[i]).map(|(doc, alive)| render(doc, alive))
                    },
                    |_, r| {
                        self.next()?;
                        match r {
                            Read::Failed(problem) => self.problems.push(problem),
                            Read::FilteredOut => {
                                self.once.any_loaded = true;
                                self.once.filtered_out.0 += 1;
                            }
                            Read::Kept {
                                kept,
                                doc,
                                spans_out,
                                relations_out,
                            } => {
                                self.once.any_loaded = true;
                                self.once.filtered_out.1 += spans_out;
                                self.once.filtered_out.2 += relations_out;
                                write(self, doc)?;
                                written.push(*kept);
                            }
                        }
                        self.progress.advance(1);
                        Ok(())
                    },
                )?;
            }
        }
        Ok(written)
    }

    /// Between documents: stop when cancelled.
    fn next(&self) -> Result<(), ExportErrorKind> {
        self.progress
            .check()
            .map_err(|_| ExportErrorKind::Cancelled)
    }

    /// Native, brat, w3c: the files `writer` makes of each document, in folder `dir`, under
    /// its base name (native: the article's; the others: without the extension), made unique.
    fn per_document(
        &mut self,
        source: Source,
        dir: &Path,
        writer: &dyn DocumentWriter,
    ) -> Result<Vec<Kept>, ExportErrorKind> {
        let mut taken = HashSet::new();
        self.each(
            source,
            |doc, _alive| render_files(writer, &doc),
            |this, (base, files, lost)| {
                this.loss.merge(&lost);
                let base = unique_path(dir, &base, &mut taken);
                for file in files {
                    this.stage.file(beside(&base, &file.suffix), &file.bytes)?;
                }
                Ok(())
            },
        )
    }

    /// JSONL, doccano, CoNLL, CSV: one file, written document by document. Returns the
    /// documents written and the file's SHA-256.
    fn dataset(
        &mut self,
        source: Source,
        target: PathBuf,
        writer: &dyn DatasetWriter,
    ) -> Result<(Vec<Kept>, String), ExportErrorKind> {
        let facts = Facts {
            options: &self.req.options,
            // A one-pass export does not know (and its writer does not need to).
            has_relations: match &source {
                Source::Again(kept) => kept.iter().any(|k| k.summary.relations > 0),
                Source::Once(_) => false,
            },
        };
        let mut out = self.stage.writer(target)?;
        writer.begin(&mut out).map_err(|e| out.error(e))?;
        let kept = self.each(
            source,
            |doc, _alive| render_lines(writer, &facts, &doc),
            |this, rendered| {
                let (bytes, loss, notes) = rendered.map_err(|e| out.error(e))?;
                out.write_all(&bytes).map_err(|e| out.error(e))?;
                this.loss.merge(&loss);
                this.problems.extend(notes);
                Ok(())
            },
        )?;
        let sha256 = out.finish(self.stage)?;
        Ok((kept, sha256))
    }

    /// Label Studio: one file of records that each hold a group of documents (a task), written
    /// group by group, each when its last document is read, with the bytes the format gives
    /// for the whole list. Returns the documents written and the file's SHA-256.
    fn grouped(
        &mut self,
        source: Source,
        target: PathBuf,
        writer: &dyn GroupedWriter,
        numbering: &mut Numbering,
    ) -> Result<(Vec<Kept>, String), ExportErrorKind> {
        let kept = match source {
            Source::Again(kept) => kept,
            // A grouped format reads every document first (`Format::needs_every_document`).
            Source::Once(_) => {
                return Err(ExportErrorKind::NotWritten {
                    format: self.req.format,
                });
            }
        };
        let mut groups: Vec<Vec<&Kept>> = Vec::new();
        let mut index: HashMap<&(String, String), usize> = HashMap::new();
        for k in &kept {
            match index.get(&k.group) {
                Some(&i) => groups[i].push(k),
                None => {
                    index.insert(&k.group, groups.len());
                    groups.push(vec![k]);
                }
            }
        }
        let options = &self.req.options;
        let mut out = self.stage.writer(target)?;
        writer.begin(&mut out).map_err(|e| out.error(e))?;
        // The documents in group order; a group is written when its last document is read.
        let ordered: Vec<&Kept> = groups.iter().flatten().copied().collect();
        let mut group = 0;
        let mut docs: Vec<(Document, Live)> = Vec::new();
        let keep = |doc, alive| (doc, alive);
        self.each(Source::Again(ordered), keep, |this, (doc, alive)| {
            docs.push((doc, alive));
            if docs.len() < groups[group].len() {
                return Ok(());
            }
            let refs: Vec<&Document> = docs.iter().map(|(d, _)| d).collect();
            let mut bytes = Vec::new();
            let lost = writer
                .group(&refs, group == 0, numbering, options, &mut bytes)
                .map_err(|e| out.error(e))?;
            this.loss.merge(&lost);
            out.write_all(&bytes).map_err(|e| out.error(e))?;
            docs.clear();
            group += 1;
            Ok(())
        })?;
        writer
            .end(groups.is_empty(), &mut out)
            .map_err(|e| out.error(e))?;
        let sha256 = out.finish(self.stage)?;
        Ok((kept.into_iter().cloned().collect(), sha256))
    }
}

/// A document of a dataset format as the lines (rows, sentences) the format writes for it,
/// what the format could not hold, and its notes as the report's problems; made on a reader
/// thread. The notes are made problems here, not where they are handed over: each note's place
/// shares the document's names (its file, its span's id), which are best let go on the thread
/// that read the document, while they are in its cache. Let go where the documents are handed
/// over, one at a time, the 93,000 notes of a CoNLL export took 2.9% of its time.
fn render_lines(
    writer: &dyn DatasetWriter,
    facts: &Facts<'_>,
    doc: &Document,
) -> std::io::Result<(Vec<u8>, Loss, Vec<Problem>)> {
    let mut out = Vec::new();
    let Written { loss, notes } = writer.document(doc, facts, &mut out)?;
    let notes = notes
        .into_iter()
        .map(|note| Problem {
            severity: Severity::Note,
            message: note.into_message(),
        })
        .collect();
    Ok((out, loss, notes))
}

/// A document of a per-document format: the name its files are named after, its files, and
/// what the format could not hold; made on a reader thread.
fn render_files(writer: &dyn DocumentWriter, doc: &Document) -> (String, Vec<ExportedFile>, Loss) {
    let (files, lost) = writer.files(doc);
    (writer.base_name(doc), files, lost)
}

/// Spanmark's own files, written by `store::native`: one per document, named after the
/// article (`news.txt.spanmark.json`); they hold everything.
struct NativeFiles;

impl DocumentWriter for NativeFiles {
    fn files(&self, doc: &Document) -> (Vec<ExportedFile>, Loss) {
        let file = ExportedFile {
            suffix: native::SUFFIX.to_string(),
            bytes: native::to_bytes(doc),
        };
        (vec![file], Loss::default())
    }

    fn base_name(&self, doc: &Document) -> String {
        safe_file_name(&doc.source.name, "document.txt")
    }
}

/// `path` with `suffix` appended to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
