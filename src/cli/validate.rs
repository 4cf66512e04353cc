//! `spanmark validate FILE... [--source ARTICLE]`: load every annotation file through the full
//! checks; with `--source`, also check that the article still gives each file's text (drift is
//! a data problem: exit 1, with the `spanmark reanchor` command that fixes it).

use std::path::{Path, PathBuf};

use super::{Context, Exit, bar, inputs};
use crate::model::Document;
use crate::progress::Progress;
use crate::store::article::{Article, ArticleError, read_article};
use crate::store::hash::sha256_hex;
use crate::store::native;

pub fn run(files: &[PathBuf], source: Option<&Path>, ctx: &mut Context<'_>) -> Exit {
    bar::run(ctx, |progress, ctx| validate(files, source, progress, ctx))
}

fn validate(
    files: &[PathBuf],
    source: Option<&Path>,
    progress: &Progress,
    ctx: &mut Context<'_>,
) -> Exit {
    let (natives, mut exit) = inputs::native_files(files, ctx);
    let article = match source.map(read_article) {
        None => None,
        Some(Ok(article)) => Some(article),
        Some(Err(e)) => {
            ctx.problem(&e);
            return exit.max(match e {
                ArticleError::Read { .. } => Exit::Failure,
                _ => Exit::DataProblems,
            });
        }
    };
    let mut bad = 0;
    progress.start("validating", natives.len() as u64);
    for (i, path) in natives.iter().enumerate() {
        progress.set_done(i as u64);
        match native::load(path) {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    ctx.problem(format!("warning: {warning}: {}", path.display()));
                }
                warn_orphans(&loaded.doc, path, ctx);
                if let (Some(article), Some(source)) = (&article, source)
                    && let Some(drift) = drift(&loaded.doc, article, path, source)
                {
                    bad += 1;
                    ctx.problem(drift);
                    exit = exit.max(Exit::DataProblems);
                    continue;
                }
                let _ = writeln!(
                    ctx.out,
                    "ok: {} spans, {} relations: {}",
                    loaded.doc.set().len(),
                    loaded.doc.set().relations().count(),
                    path.display()
                );
            }
            Err(e) => {
                bad += 1;
                ctx.problem(&e);
                exit = exit.max(match e {
                    native::NativeError::Io { .. } => Exit::Failure,
                    _ => Exit::DataProblems,
                });
            }
        }
    }
    if natives.len() > 1 || bad > 0 {
        let _ = writeln!(
            ctx.out,
            "{} of {} files valid",
            natives.len() - bad,
            natives.len()
        );
    }
    exit
}

/// Orphaned spans are valid, but a person should place or delete them.
fn warn_orphans(doc: &Document, path: &Path, ctx: &mut Context<'_>) {
    let orphans = &doc.orphans.spans;
    if orphans.is_empty() {
        return;
    }
    let ids: Vec<&str> = orphans.iter().map(|o| o.span.id.as_str()).collect();
    ctx.problem(format!(
        "warning: {} orphaned span{} ({}) not found in the text when it was re-anchored; kept under \"orphans\" to be placed or deleted: {}",
        ids.len(),
        if ids.len() == 1 { "" } else { "s" },
        ids.join(", "),
        path.display()
    ));
}

/// The message when the article no longer gives the text stored in the file.
fn drift(doc: &Document, article: &Article, path: &Path, source: &Path) -> Option<String> {
    if article.text == doc.text().as_str() {
        return None;
    }
    let stored = doc.text().sha256_hex();
    let now = sha256_hex(article.text.as_bytes());
    Some(format!(
        "the article has changed since these annotations were made (text_sha256 {} in the file, {} now in {}); run `spanmark reanchor {} --source {}` to move the spans onto the new text: {}",
        &stored[..12],
        &now[..12],
        source.display(),
        path.display(),
        source.display(),
        path.display()
    ))
}
