//! `spanmark export --to native|jsonl IN... --out PATH`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::names::{safe_file_name, unique_path};
use super::{Context, Exit, ExportArgs, ExportFormat, inputs};
use crate::formats::{Loss, jsonl};
use crate::model::Document;
use crate::store::atomic::write_atomic;
use crate::store::native;

pub fn run(args: &ExportArgs, ctx: &mut Context<'_>) -> Exit {
    let (natives, mut exit) = inputs::native_files(&args.inputs, ctx);
    // Never write over anything this command reads: the files given, the annotation files, and
    // the articles beside them (folders are --out for native, which writes only annotation files).
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
    let mut docs = Vec::with_capacity(natives.len());
    for path in &natives {
        match native::load(path) {
            Ok(loaded) => docs.push((path.clone(), loaded.doc)),
            Err(e) => {
                ctx.problem(&e);
                exit = exit.max(Exit::DataProblems);
            }
        }
    }
    if docs.is_empty() {
        ctx.problem(format!(
            "nothing to export; not written: {}",
            args.out.display()
        ));
        return exit.max(Exit::DataProblems);
    }
    let result = match args.to {
        ExportFormat::Native => export_native(&docs, &read, &args.out, ctx),
        ExportFormat::Jsonl => export_jsonl(&docs, args, ctx),
    };
    exit.max(result)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn export_native(
    docs: &[(PathBuf, Document)],
    read: &[PathBuf],
    out: &Path,
    ctx: &mut Context<'_>,
) -> Exit {
    if let Err(e) = std::fs::create_dir_all(out) {
        ctx.problem(format!(
            "cannot create the output folder: {e}: {}",
            out.display()
        ));
        return Exit::Failure;
    }
    let mut taken = HashSet::new();
    let mut exit = Exit::Success;
    let mut written = 0;
    for (input, doc) in docs {
        let name = safe_file_name(&doc.source.name, "document.txt");
        let article = unique_path(out, &name, &mut taken);
        let target = native::path_beside(&article);
        if read.iter().any(|p| same_file(p, &target)) {
            ctx.problem(format!(
                "would overwrite an input ({}); choose another --out: {}",
                target.display(),
                input.display()
            ));
            exit = exit.max(Exit::Failure);
            continue;
        }
        if let Err(e) = native::save(doc, &target) {
            ctx.problem(&e);
            exit = exit.max(Exit::Failure);
            continue;
        }
        written += 1;
    }
    let _ = writeln!(
        ctx.out,
        "exported {written} annotation files to {}",
        out.display()
    );
    exit
}

fn export_jsonl(docs: &[(PathBuf, Document)], args: &ExportArgs, ctx: &mut Context<'_>) -> Exit {
    let mut bytes = Vec::new();
    let mut loss = Loss::default();
    let mut spans = 0;
    for (_, doc) in docs {
        let (line, lost) = jsonl::export_line(doc);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        loss.merge(&lost);
        spans += doc.set().len();
    }
    if !loss.is_empty() && report_loss("jsonl", &loss, args.allow_loss, ctx) {
        return Exit::DataProblems;
    }
    if let Err(e) = write_atomic(&args.out, &bytes) {
        ctx.problem(format!("cannot write: {e}: {}", args.out.display()));
        return Exit::Failure;
    }
    let _ = writeln!(
        ctx.out,
        "exported {} documents with {spans} spans to {}",
        docs.len(),
        args.out.display()
    );
    Exit::Success
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
