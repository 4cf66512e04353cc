//! The second pass: each part written document by document into the [`Stage`], then the loss
//! checked, the manifest staged, and everything renamed into place.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::ahead::{self, live::Live};
use super::plan::{self, Inputs, Loaded, Plan, Read};
use super::stage::{Stage, StagedWriter};
use super::{ExportErrorKind, ExportReport, ExportRequest, Kept, PartReport, Problem, Severity};
use crate::export::dataset::{self, Entry, Manifest, Part};
use crate::formats::names::{safe_file_name, unique_path};
use crate::formats::{
    ExportedFile, Format, Loss, brat, conll, csv, doccano, jsonl, label_studio, w3c,
};
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
    } = plan::load(&kept.input).map_err(|_| changed())?;
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
    for (name, source) in parts {
        let target = target(req, name);
        let mut part = Writing {
            req,
            progress,
            stage: &mut stage,
            loss: &mut loss,
            problems: &mut *problems,
            once: &mut once,
        };
        let (kept, sha256) = match format {
            Format::Native | Format::Brat | Format::W3c => {
                (part.per_document(source, &target)?, None)
            }
            Format::LabelStudio => {
                let Source::Again(kept) = source else {
                    unreachable!("Label Studio is exported in two passes")
                };
                let sha256 = part.label_studio(&kept, target.clone())?;
                (kept.into_iter().cloned().collect(), Some(sha256))
            }
            _ => {
                let (kept, sha256) = part.dataset(source, target.clone())?;
                (kept, Some(sha256))
            }
        };
        if plan.is_none() {
            plan::nothing_to_export(req, once.any_loaded, kept.is_empty())?;
        }
        if format != Format::Native {
            // Orphaned spans (re-anchoring could not place them) have no offsets in the text.
            loss.add("orphaned spans", kept.iter().map(|k| k.orphans).sum());
        }
        let spans: usize = kept.iter().map(|k| k.summary.spans).sum();
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
    report.manifest = match (format, &req.split) {
        (Format::Native, None) => None,
        _ if folder_out => Some(req.out.join("manifest.json")),
        _ => Some(beside(&req.out, ".manifest.json")),
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
struct Writing<'a> {
    req: &'a ExportRequest,
    progress: &'a Progress,
    stage: &'a mut Stage,
    loss: &'a mut Loss,
    problems: &'a mut Vec<Problem>,
    once: &'a mut Once,
}

impl Writing<'_> {
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
                    |i| reread(req, kept[i]).map(|(doc, alive)| render(doc, alive)),
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
                    |i| plan::read(req, &natives[i]).map(|(doc, alive)| render(doc, alive)),
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

    /// Native, brat, w3c: the files of each document in folder `dir`, under its safe name
    /// (native: the article's name; the others: without the extension), made unique.
    fn per_document(&mut self, source: Source, dir: &Path) -> Result<Vec<Kept>, ExportErrorKind> {
        let format = self.req.format;
        let mut taken = HashSet::new();
        self.each(
            source,
            |doc, _alive| render_files(format, &doc),
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
    ) -> Result<(Vec<Kept>, String), ExportErrorKind> {
        let req = self.req;
        // doccano's entities form when any document of the part has relations (a one-pass
        // export has its form given).
        let form = req.options.doccano_form.unwrap_or_else(|| match &source {
            Source::Again(kept) if kept.iter().any(|k| k.summary.relations > 0) => {
                doccano::Form::Entities
            }
            _ => doccano::Form::Label,
        });
        let mut out = self.stage.writer(target)?;
        if req.format == Format::Csv {
            csv::write_header(&mut out).map_err(|e| out.error(e))?;
        }
        let kept = self.each(
            source,
            |doc, _alive| render_lines(req, form, &doc),
            |this, rendered| {
                let (bytes, lost, notes) = rendered.map_err(|e| out.error(e))?;
                out.write_all(&bytes).map_err(|e| out.error(e))?;
                this.loss.merge(&lost);
                this.problems
                    .extend(notes.into_iter().map(|message| Problem {
                        severity: Severity::Note,
                        message,
                    }));
                Ok(())
            },
        )?;
        let sha256 = out.finish(self.stage)?;
        Ok((kept, sha256))
    }

    /// Label Studio: a JSON list of tasks, written task by task (the documents of one task
    /// together), with the bytes `serde_json::to_writer_pretty` gives for the whole list.
    fn label_studio(&mut self, kept: &[&Kept], target: PathBuf) -> Result<String, ExportErrorKind> {
        let mut groups: Vec<Vec<&Kept>> = Vec::new();
        let mut index: HashMap<&(String, String), usize> = HashMap::new();
        for k in kept {
            match index.get(&k.task) {
                Some(&i) => groups[i].push(k),
                None => {
                    index.insert(&k.task, groups.len());
                    groups.push(vec![k]);
                }
            }
        }
        let options = &self.req.options;
        let mut out = self.stage.writer(target)?;
        out.write_all(b"[").map_err(|e| out.error(e))?;
        // The documents in task order; a task is written when its last document is read.
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
            let (tasks, lost) = label_studio::tasks(&refs, &options.label_studio, options.offsets);
            this.loss.merge(&lost);
            for task in tasks {
                let bytes = serde_json::to_vec_pretty(&task).map_err(|e| out.error(e.into()))?;
                write_indented(&mut out, group == 0, &bytes).map_err(|e| out.error(e))?;
            }
            docs.clear();
            group += 1;
            Ok(())
        })?;
        let end: &[u8] = if groups.is_empty() { b"]\n" } else { b"\n]\n" };
        out.write_all(end).map_err(|e| out.error(e))?;
        out.finish(self.stage)
    }
}

/// A document of a dataset format as the lines (rows, sentences) the format writes for it,
/// what the format could not hold, and notes for the report; made on a reader thread.
fn render_lines(
    req: &ExportRequest,
    form: doccano::Form,
    doc: &Document,
) -> std::io::Result<(Vec<u8>, Loss, Vec<String>)> {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let lost = match req.format {
        Format::Jsonl => {
            let (line, lost) = jsonl::export_line(doc);
            out = line.into_bytes();
            out.push(b'\n');
            lost
        }
        Format::Doccano => doccano::export(&[doc], Some(form), req.options.offsets, &mut out)?,
        Format::Conll => {
            let (lost, messages) = conll::export(&[doc], &mut out)?;
            notes = messages;
            lost
        }
        _ => csv::write_rows(doc, &mut out)?,
    };
    Ok((out, lost, notes))
}

/// A document of a per-document format: the name its files are named after (native: the
/// article's; the others: without the extension), its files, and what the format could not
/// hold; made on a reader thread.
fn render_files(format: Format, doc: &Document) -> (String, Vec<ExportedFile>, Loss) {
    if format == Format::Native {
        let name = safe_file_name(&doc.source.name, "document.txt");
        let file = ExportedFile {
            suffix: native::SUFFIX.to_string(),
            bytes: native::to_bytes(doc),
        };
        return (name, vec![file], Loss::default());
    }
    let (files, lost) = match format {
        Format::Brat => brat::export(doc),
        _ => w3c::export(doc),
    };
    let name = safe_file_name(&doc.source.name, "document");
    let base = match name.rfind('.') {
        Some(i) if i > 0 => name[..i].to_string(),
        _ => name,
    };
    (base, files, lost)
}

/// One element of a pretty JSON list: `\n` (after `[`) or `,\n`, then the element's pretty
/// lines indented two spaces. (JSON strings hold no raw line breaks, so every `\n` in `pretty`
/// is between lines of the layout.)
fn write_indented(out: &mut StagedWriter, first: bool, pretty: &[u8]) -> std::io::Result<()> {
    out.write_all(if first { b"\n" } else { b",\n" })?;
    for (i, line) in pretty.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(b"  ")?;
        out.write_all(line)?;
    }
    Ok(())
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
