//! `spanmark export --to FORMAT IN... --out PATH [--status S] [--labels L,..] [--annotator A]
//! [--split 80,10,10 --seed N] [--allow-loss]`.
//!
//! Everything is made in memory first: when the format cannot hold something and
//! `--allow-loss` is not given, nothing is written; nothing is ever written over a file the
//! command reads. Each export but a plain native one also writes a manifest
//! ([`dataset::Manifest`]): `OUT.manifest.json` beside a dataset file, `OUT/manifest.json` in a
//! folder.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::names::{safe_file_name, unique_path};
use super::{Context, DoccanoFormArg, Exit, ExportArgs, inputs};
use crate::formats::dataset::{self, Entry, Filters, Manifest, Part, Split};
use crate::formats::{self, ExportOptions, ExportedFile, Format, Loss, Output, doccano};
use crate::model::Document;
use crate::store::atomic::write_atomic;
use crate::store::hash::sha256_hex;
use crate::store::native;

/// A document to export, with the file it came from.
struct Loaded {
    input: PathBuf,
    input_sha256: String,
    doc: Document,
}

pub fn run(args: &ExportArgs, ctx: &mut Context<'_>) -> Exit {
    let format = Format::from(args.to);
    let (options, filters, split) = match settings(args, format) {
        Ok(s) => s,
        Err(message) => {
            ctx.problem(message);
            return Exit::Failure;
        }
    };
    let (natives, mut exit) = inputs::native_files(&args.inputs, ctx);
    // Never write over anything this command reads: the files given, the annotation files, and
    // the articles beside them.
    let read: Vec<PathBuf> = args
        .inputs
        .iter()
        .filter(|p| p.is_file())
        .cloned()
        .chain(natives.iter().cloned())
        .chain(natives.iter().filter_map(|p| native::article_beside(p)))
        .collect();
    if read.iter().any(|p| same_file(p, &args.out)) {
        ctx.problem(format!(
            "--out is one of the inputs; refusing to overwrite it: {}",
            args.out.display()
        ));
        return Exit::Failure;
    }
    let mut loaded = Vec::with_capacity(natives.len());
    for path in &natives {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                ctx.problem(format!(
                    "cannot read annotation file: {e}: {}",
                    path.display()
                ));
                exit = exit.max(Exit::Failure);
                continue;
            }
        };
        match native::from_bytes(path, &bytes) {
            Ok(l) => loaded.push(Loaded {
                input: path.clone(),
                input_sha256: sha256_hex(&bytes),
                doc: l.doc,
            }),
            Err(e) => {
                ctx.problem(&e);
                exit = exit.max(Exit::DataProblems);
            }
        }
    }
    if loaded.is_empty() {
        ctx.problem(format!(
            "nothing to export; not written: {}",
            args.out.display()
        ));
        return exit.max(Exit::DataProblems);
    }
    // Filters.
    let mut kept: Vec<Loaded> = Vec::with_capacity(loaded.len());
    let mut filtered_out = (0, 0, 0);
    for l in loaded {
        match dataset::filter(&l.doc, &filters) {
            Some(f) => {
                filtered_out.1 += f.spans_out;
                filtered_out.2 += f.relations_out;
                kept.push(Loaded { doc: f.doc, ..l });
            }
            None => filtered_out.0 += 1,
        }
    }
    if kept.is_empty() {
        ctx.problem(format!(
            "no document is left after the filters; not written: {}",
            args.out.display()
        ));
        return exit.max(Exit::DataProblems);
    }
    // Parts: one, or train/dev/test.
    let parts: Vec<(Option<&'static str>, Vec<&Loaded>)> = match &split {
        None => vec![(None, kept.iter().collect())],
        Some(split) => {
            let shas: Vec<String> = kept
                .iter()
                .map(|l| sha256_hex(l.doc.text().as_str().as_bytes()))
                .collect();
            let assigned = split.assign(&shas);
            let mut parts: Vec<(Option<&'static str>, Vec<&Loaded>)> = split
                .part_names()
                .iter()
                .map(|n| (Some(*n), Vec::new()))
                .collect();
            // Within a part, an order that does not depend on the input order either.
            let mut order: Vec<usize> = (0..kept.len()).collect();
            order.sort_by(|&a, &b| {
                (&shas[a], &kept[a].doc.annotator, &kept[a].input).cmp(&(
                    &shas[b],
                    &kept[b].doc.annotator,
                    &kept[b].input,
                ))
            });
            for i in order {
                parts[assigned[i]].1.push(&kept[i]);
            }
            parts
        }
    };
    // Everything in memory, then checked, then written.
    let folder_out = format.per_document() || split.is_some();
    let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut manifest_parts = Vec::new();
    let mut loss = Loss::default();
    let mut summary = Vec::new();
    for (name, docs) in &parts {
        let refs: Vec<&Document> = docs.iter().map(|l| &l.doc).collect();
        let target = match name {
            None => args.out.clone(),
            Some(n) if format.per_document() => args.out.join(n),
            Some(n) => args.out.join(format!("{n}.{}", format.extension())),
        };
        let (files, part_sha) = if format == Format::Native {
            (native_files(&refs, &target), None)
        } else {
            let Some(result) = formats::export(format, &refs, &options) else {
                continue;
            };
            let exported = match result {
                Ok(e) => e,
                Err(e) => {
                    ctx.problem(format!("cannot export: {e}: {}", target.display()));
                    return Exit::Failure;
                }
            };
            loss.merge(&exported.loss);
            // Orphaned spans (re-anchoring could not place them) have no offsets in the text.
            loss.add(
                "orphaned spans",
                refs.iter().map(|d| d.orphans.spans.len()).sum(),
            );
            for m in &exported.messages {
                ctx.problem(m);
            }
            match exported.output {
                Output::Dataset(bytes) => {
                    let sha = sha256_hex(&bytes);
                    (vec![(target.clone(), bytes)], Some(sha))
                }
                Output::PerDocument(files) => (document_files(&refs, files, &target), None),
            }
        };
        writes.extend(files);
        let spans: usize = refs.iter().map(|d| d.set().len()).sum();
        summary.push((refs.len(), spans, target.clone()));
        let path = match name {
            None if folder_out => ".".to_string(),
            None => file_name(&args.out),
            Some(_) => file_name(&target),
        };
        manifest_parts.push(Part {
            name: *name,
            path,
            sha256: part_sha,
            entries: docs
                .iter()
                .map(|l| Entry {
                    doc: &l.doc,
                    input: l.input.display().to_string(),
                    input_sha256: l.input_sha256.clone(),
                })
                .collect(),
        });
    }
    if !loss.is_empty() && report_loss(format.name(), &loss, args.allow_loss, ctx) {
        return Exit::DataProblems;
    }
    let manifest_path = match (format, &split) {
        (Format::Native, None) => None,
        _ if folder_out => Some(args.out.join("manifest.json")),
        _ => Some(beside(&args.out, ".manifest.json")),
    };
    if let Some(path) = &manifest_path {
        let manifest = Manifest {
            format: format.name(),
            offsets: options.offsets.as_str(),
            filters: &filters,
            split: split.as_ref(),
            parts: manifest_parts,
            filtered_out,
            loss: &loss,
        };
        writes.push((path.clone(), manifest.to_bytes()));
    }
    // Each input's real path once (a target that does not exist yet cannot be an input).
    let inputs: HashMap<PathBuf, &PathBuf> = read
        .iter()
        .filter_map(|p| p.canonicalize().ok().map(|c| (c, p)))
        .collect();
    for (target, _) in &writes {
        if let Some(input) = target.canonicalize().ok().and_then(|t| inputs.get(&t)) {
            ctx.problem(format!(
                "would overwrite an input ({}); choose another --out: {}",
                target.display(),
                input.display()
            ));
            return Exit::Failure;
        }
    }
    for (target, bytes) in &writes {
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty())
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            ctx.problem(format!(
                "cannot create the output folder: {e}: {}",
                parent.display()
            ));
            return Exit::Failure;
        }
        if let Err(e) = write_atomic(target, bytes) {
            ctx.problem(format!("cannot write: {e}: {}", target.display()));
            return Exit::Failure;
        }
    }
    for (documents, spans, target) in summary {
        if format == Format::Native {
            let _ = writeln!(
                ctx.out,
                "exported {documents} annotation files to {}",
                target.display()
            );
        } else {
            let _ = writeln!(
                ctx.out,
                "exported {documents} documents with {spans} spans to {}",
                target.display()
            );
        }
    }
    if let Some(path) = manifest_path {
        let _ = writeln!(ctx.out, "manifest: {}", path.display());
    }
    exit
}

/// The export options, filters and split the arguments ask for, or a usage error.
fn settings(
    args: &ExportArgs,
    format: Format,
) -> Result<(ExportOptions, Filters, Option<Split>), String> {
    let only = |given: bool, option: &str, formats: &[Format]| -> Result<(), String> {
        if given && !formats.contains(&format) {
            let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
            return Err(format!(
                "{option} is for --to {}, not {}",
                names.join(" or "),
                format.name()
            ));
        }
        Ok(())
    };
    only(
        args.offsets.is_some(),
        "--offsets",
        &[Format::Doccano, Format::LabelStudio],
    )?;
    only(
        args.doccano_form.is_some(),
        "--doccano-form",
        &[Format::Doccano],
    )?;
    for (given, option) in [
        (args.from_name.is_some(), "--from-name"),
        (args.to_name.is_some(), "--to-name"),
        (args.text_key.is_some(), "--text-key"),
    ] {
        only(given, option, &[Format::LabelStudio])?;
    }
    let options = ExportOptions {
        offsets: args.offsets.map(Into::into).unwrap_or_default(),
        doccano_form: args.doccano_form.map(|f| match f {
            DoccanoFormArg::Label => doccano::Form::Label,
            DoccanoFormArg::Entities => doccano::Form::Entities,
        }),
        label_studio: formats::label_studio::ExportNames {
            from_name: args.from_name.clone(),
            to_name: args.to_name.clone(),
            text_key: args.text_key.clone(),
        },
    };
    let filters = Filters {
        statuses: match &args.status {
            Some(s) => dataset::parse_statuses(s)?,
            None => Vec::new(),
        },
        labels: match &args.labels {
            Some(l) => dataset::parse_labels(l)?,
            None => Vec::new(),
        },
        annotators: args
            .annotators
            .iter()
            .flat_map(|a| a.split(','))
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect(),
    };
    let split = match &args.split {
        Some(spec) => Some(Split::parse(spec, args.seed.unwrap_or(0))?),
        None => None,
    };
    Ok((options, filters, split))
}

/// The native file of each document, in folder `dir`, under safe unique names.
fn native_files(docs: &[&Document], dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut taken = HashSet::new();
    docs.iter()
        .map(|doc| {
            let name = safe_file_name(&doc.source.name, "document.txt");
            let article = unique_path(dir, &name, &mut taken);
            (native::path_beside(&article), native::to_bytes(doc))
        })
        .collect()
}

/// The files of per-document formats in folder `dir`: each document's safe base name (its name
/// without the extension, made unique) with each file's suffix (`.ann`, `.txt`, `.jsonld`).
fn document_files(
    docs: &[&Document],
    files: Vec<Vec<ExportedFile>>,
    dir: &Path,
) -> Vec<(PathBuf, Vec<u8>)> {
    let mut taken = HashSet::new();
    let mut out = Vec::new();
    for (doc, files) in docs.iter().zip(files) {
        let name = safe_file_name(&doc.source.name, "document");
        let base = match name.rfind('.') {
            Some(i) if i > 0 => &name[..i],
            _ => name.as_str(),
        };
        let base = unique_path(dir, base, &mut taken);
        for file in files {
            out.push((beside(&base, &file.suffix), file.bytes));
        }
    }
    out
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

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Says what the format cannot hold. Returns true when the export must stop (no --allow-loss).
fn report_loss(format: &str, loss: &Loss, allow: bool, ctx: &mut Context<'_>) -> bool {
    let what: Vec<String> = loss
        .counts
        .iter()
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    if allow {
        ctx.problem(format!(
            "{format} cannot hold {}; exported without them (--allow-loss)",
            what.join(", ")
        ));
        false
    } else {
        ctx.problem(format!(
            "{format} cannot hold {}; nothing written (use --allow-loss to export without them)",
            what.join(", ")
        ));
        true
    }
}
