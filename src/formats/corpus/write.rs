//! The second pass: each part written document by document into the [`Stage`], then the loss
//! checked, the manifest staged, and everything renamed into place.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::plan::{self, Loaded, Plan, live::Live};
use super::stage::{Stage, StagedWriter};
use super::{ExportErrorKind, ExportReport, ExportRequest, Kept, PartReport, Problem, Severity};
use crate::formats::dataset::{self, Entry, Manifest, Part};
use crate::formats::names::{safe_file_name, unique_path};
use crate::formats::{Format, Loss, brat, conll, csv, doccano, jsonl, label_studio, w3c};
use crate::model::Document;
use crate::progress::Progress;
use crate::store::native;

/// Reads a kept document again, checks it is the one the first pass read, and filters it. The
/// [`Live`] goes with the document (it counts documents alive at once, in tests).
fn reload(req: &ExportRequest, kept: &Kept) -> Result<(Document, Live), ExportErrorKind> {
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

pub(super) fn write(
    req: &ExportRequest,
    plan: &Plan,
    progress: &Progress,
    problems: &mut Vec<Problem>,
) -> Result<ExportReport, ExportErrorKind> {
    let format = req.format;
    let folder_out = format.per_document() || req.split.is_some();
    let mut stage = Stage::default();
    let mut loss = Loss::default();
    let mut report = ExportReport {
        filtered_out: plan.filtered_out,
        ..ExportReport::default()
    };
    let mut manifest_parts = Vec::new();
    progress.start("writing", plan.kept.len() as u64);
    for (name, docs) in &plan.parts {
        let target = target(req, *name);
        let kept: Vec<&Kept> = docs.iter().map(|&i| &plan.kept[i]).collect();
        let mut part = Writing {
            req,
            progress,
            stage: &mut stage,
            loss: &mut loss,
            problems: &mut *problems,
        };
        let sha256 = match format {
            Format::Native | Format::Brat | Format::W3c => {
                part.per_document(&kept, &target)?;
                None
            }
            Format::LabelStudio => Some(part.label_studio(&kept, target.clone())?),
            _ => Some(part.dataset(&kept, target.clone())?),
        };
        if format != Format::Native {
            // Orphaned spans (re-anchoring could not place them) have no offsets in the text.
            loss.add("orphaned spans", kept.iter().map(|k| k.orphans).sum());
        }
        let spans: usize = kept.iter().map(|k| k.summary.spans).sum();
        report.documents += kept.len();
        report.spans += spans;
        report.parts.push(PartReport {
            name: *name,
            path: target.clone(),
            documents: kept.len(),
            spans,
        });
        let path = match name {
            None if folder_out => ".".to_string(),
            None => file_name(&req.out),
            Some(_) => file_name(&target),
        };
        manifest_parts.push(Part {
            name: *name,
            path,
            sha256,
            entries: kept
                .iter()
                .map(|k| Entry {
                    doc: &k.summary,
                    input: k.input.display().to_string(),
                    input_sha256: k.input_sha256.clone(),
                })
                .collect(),
        });
    }
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
            parts: manifest_parts,
            filtered_out: plan.filtered_out,
            loss: &loss,
        };
        stage.file(path.clone(), &manifest.to_bytes())?;
    }
    progress.check().map_err(|_| ExportErrorKind::Cancelled)?;
    report.files = stage.commit(&plan.read)?;
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
}

impl Writing<'_> {
    /// Between documents: stop when cancelled.
    fn next(&self) -> Result<(), ExportErrorKind> {
        self.progress
            .check()
            .map_err(|_| ExportErrorKind::Cancelled)
    }

    /// Native, brat, w3c: the files of each document in folder `dir`, under its safe name
    /// (native: the article's name; the others: without the extension), made unique.
    fn per_document(&mut self, kept: &[&Kept], dir: &Path) -> Result<(), ExportErrorKind> {
        let mut taken = HashSet::new();
        for k in kept {
            self.next()?;
            let (doc, _alive) = reload(self.req, k)?;
            if self.req.format == Format::Native {
                let name = safe_file_name(&doc.source.name, "document.txt");
                let article = unique_path(dir, &name, &mut taken);
                self.stage
                    .file(native::path_beside(&article), &native::to_bytes(&doc))?;
            } else {
                let (files, lost) = match self.req.format {
                    Format::Brat => brat::export(&doc),
                    _ => w3c::export(&doc),
                };
                self.loss.merge(&lost);
                let name = safe_file_name(&doc.source.name, "document");
                let base = match name.rfind('.') {
                    Some(i) if i > 0 => &name[..i],
                    _ => name.as_str(),
                };
                let base = unique_path(dir, base, &mut taken);
                for file in files {
                    self.stage.file(beside(&base, &file.suffix), &file.bytes)?;
                }
            }
            self.progress.advance(1);
        }
        Ok(())
    }

    /// JSONL, doccano, CoNLL, CSV: one file, written document by document. Returns its SHA-256.
    fn dataset(&mut self, kept: &[&Kept], target: PathBuf) -> Result<String, ExportErrorKind> {
        let options = &self.req.options;
        // doccano's entities form when any document of the part has relations.
        let form = options.doccano_form.unwrap_or_else(|| {
            if kept.iter().any(|k| k.summary.relations > 0) {
                doccano::Form::Entities
            } else {
                doccano::Form::Label
            }
        });
        let mut out = self.stage.writer(target)?;
        if self.req.format == Format::Csv {
            csv::write_header(&mut out).map_err(|e| out.error(e))?;
        }
        for k in kept {
            self.next()?;
            let (doc, _alive) = reload(self.req, k)?;
            let written = match self.req.format {
                Format::Jsonl => {
                    let (line, lost) = jsonl::export_line(&doc);
                    self.loss.merge(&lost);
                    out.write_all(line.as_bytes())
                        .and_then(|()| out.write_all(b"\n"))
                }
                Format::Doccano => doccano::export(&[&doc], Some(form), options.offsets, &mut out)
                    .map(|lost| self.loss.merge(&lost)),
                Format::Conll => conll::export(&[&doc], &mut out).map(|(lost, messages)| {
                    self.loss.merge(&lost);
                    self.problems
                        .extend(messages.into_iter().map(|message| Problem {
                            severity: Severity::Note,
                            message,
                        }));
                }),
                _ => csv::write_rows(&doc, &mut out).map(|lost| self.loss.merge(&lost)),
            };
            written.map_err(|e| out.error(e))?;
            self.progress.advance(1);
        }
        out.finish(self.stage)
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
        for (i, group) in groups.iter().enumerate() {
            let mut docs = Vec::with_capacity(group.len());
            for k in group {
                self.next()?;
                docs.push(reload(self.req, k)?);
            }
            let refs: Vec<&Document> = docs.iter().map(|(d, _)| d).collect();
            let (tasks, lost) = label_studio::tasks(&refs, &options.label_studio, options.offsets);
            self.loss.merge(&lost);
            for task in tasks {
                let bytes = serde_json::to_vec_pretty(&task).map_err(|e| out.error(e.into()))?;
                write_indented(&mut out, i == 0, &bytes).map_err(|e| out.error(e))?;
            }
            self.progress.advance(group.len() as u64);
        }
        let end: &[u8] = if groups.is_empty() { b"]\n" } else { b"\n]\n" };
        out.write_all(end).map_err(|e| out.error(e))?;
        out.finish(self.stage)
    }
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
