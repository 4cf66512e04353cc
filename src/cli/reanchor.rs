//! `spanmark reanchor FILE [--source ARTICLE] [--dry-run]`: move the spans of an annotation
//! file onto the article as it is now ([`crate::store::reanchor`] has the rules).
//!
//! Prints one line per span (`s1 actor: moved 104..110 → 130..136 "Lavrov"`) and a summary,
//! then writes the file atomically with the new text, the new offsets, the orphans and the
//! audit entries. The article is only read.
//!
//! Exit status: 0 when every span is unchanged or moved (or the article still gives the stored
//! text: nothing to do, nothing written); 1 when any span is fuzzy (back to pending) or orphaned
//! (earlier orphans included),
//! or the annotation file or the article cannot be used as data (invalid, binary, empty); the
//! file is written all the same, since it then holds everything that was found and everything
//! that was not. 2 when the command cannot run (a file cannot be read or written, no article).

use std::path::{Path, PathBuf};

use super::{Context, Exit, ReanchorArgs, bar};
use crate::model::Timestamp;
use crate::store::article::{ArticleError, read_article};
use crate::store::native;
use crate::store::reanchor::{Outcome, Report, SpanReport, reanchor};

pub fn run(args: &ReanchorArgs, ctx: &mut Context<'_>) -> Exit {
    let native_path = if native::is_native_path(&args.file) {
        args.file.clone()
    } else {
        native::path_beside(&args.file)
    };
    if !native_path.is_file() {
        ctx.problem(format!(
            "no such annotation file: {}",
            native_path.display()
        ));
        return Exit::Failure;
    }
    let Some(source) = article_path(args, &native_path, ctx) else {
        return Exit::Failure;
    };
    let loaded = match native::load(&native_path) {
        Ok(l) => l,
        Err(e) => {
            ctx.problem(&e);
            return match e {
                native::NativeError::Io { .. } => Exit::Failure,
                _ => Exit::DataProblems,
            };
        }
    };
    let article = match read_article(&source) {
        Ok(a) => a,
        Err(e) => {
            ctx.problem(&e);
            return match e {
                ArticleError::Read { .. } => Exit::Failure,
                _ => Exit::DataProblems,
            };
        }
    };
    let mut doc = loaded.doc;
    // A broken history chain is never repaired silently: the re-anchoring records it first.
    if let Ok(v) = native::chain::check_before_editing(&mut doc, &native_path)
        && !v.is_ok()
    {
        ctx.problem(format!(
            "warning: the history {}; the re-anchoring records the break: {}",
            v.summary(),
            native_path.display()
        ));
    }
    if article.text == doc.text().as_str() {
        let _ = writeln!(
            ctx.out,
            "nothing to do: {} still gives the text in {}",
            source.display(),
            native_path.display()
        );
        let orphans = doc.orphans.spans.len();
        if orphans > 0 {
            ctx.problem(format!(
                "{orphans} orphaned span{} from an earlier re-anchoring still need{} review: {}",
                if orphans == 1 { "" } else { "s" },
                if orphans == 1 { "s" } else { "" },
                native_path.display()
            ));
            return Exit::DataProblems;
        }
        return Exit::Success;
    }
    // One article: a spinner while its spans are placed (a long article takes a while).
    let mut result = bar::run(ctx, |progress, ctx| {
        progress.start("re-anchoring", 0);
        reanchor(&doc, &article, &ctx.annotator, Timestamp::now())
    });
    if let Some(relative) = relative_to_folder(&source, &native_path) {
        result.doc.source.path = Some(relative);
    }
    for line in &result.report.spans {
        let _ = writeln!(ctx.out, "{}", describe(line));
    }
    let report = &result.report;
    let _ = writeln!(
        ctx.out,
        "{} {} span{} onto {}: {}{}: {}",
        if args.dry_run {
            "would re-anchor"
        } else {
            "re-anchored"
        },
        report.spans.len(),
        if report.spans.len() == 1 { "" } else { "s" },
        source.display(),
        report.summary(),
        relations_summary(report),
        native_path.display()
    );
    if !args.dry_run
        && let Err(e) = native::save(&result.doc, &native_path)
    {
        ctx.problem(&e);
        return Exit::Failure;
    }
    if report.needs_review() {
        let fuzzy = report.count(Outcome::Fuzzy);
        let orphaned = report.count(Outcome::Orphaned);
        ctx.problem(format!(
            "{} span{} need{} review: {fuzzy} fuzzy (set back to pending), {orphaned} orphaned (kept under \"orphans\"): {}",
            fuzzy + orphaned,
            if fuzzy + orphaned == 1 { "" } else { "s" },
            if fuzzy + orphaned == 1 { "s" } else { "" },
            native_path.display()
        ));
        return Exit::DataProblems;
    }
    Exit::Success
}

/// `--source`, or the article beside the annotation file.
fn article_path(args: &ReanchorArgs, native_path: &Path, ctx: &mut Context<'_>) -> Option<PathBuf> {
    let source = match &args.source {
        Some(s) => s.clone(),
        None => match native::article_beside(native_path).filter(|p| p.is_file()) {
            Some(p) => p,
            None => {
                ctx.problem(format!(
                    "no article beside the annotation file; name it with --source ARTICLE: {}",
                    native_path.display()
                ));
                return None;
            }
        },
    };
    if native::is_native_path(&source) || same_file(&source, native_path) {
        ctx.problem(format!(
            "--source must be the article, not an annotation file: {}",
            source.display()
        ));
        return None;
    }
    Some(source)
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// The article's path relative to the annotation file's folder, when it is inside it.
fn relative_to_folder(article: &Path, native_path: &Path) -> Option<String> {
    let article = article.canonicalize().ok()?;
    let folder = native_path.canonicalize().ok()?.parent()?.to_path_buf();
    let relative = article.strip_prefix(&folder).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_str().map(str::to_string))
        .collect::<Option<_>>()?;
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn relations_summary(report: &Report) -> String {
    let mut out = String::new();
    let orphaned = report.relations_orphaned.len();
    if orphaned > 0 {
        out.push_str(&format!(
            "; {orphaned} relation{} orphaned",
            if orphaned == 1 { "" } else { "s" }
        ));
    }
    let restored = report.relations_restored.len();
    if restored > 0 {
        out.push_str(&format!(
            "; {restored} relation{} restored",
            if restored == 1 { "" } else { "s" }
        ));
    }
    out
}

/// A quote for one line of output: escaped, at most 60 characters.
fn shown(text: &str) -> String {
    const MAX: usize = 60;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX).collect();
    if chars.next().is_some() {
        format!("{:?}…", head)
    } else {
        format!("{head:?}")
    }
}

/// One line of the report.
fn describe(s: &SpanReport) -> String {
    let was = if s.was_orphan { " (was orphaned)" } else { "" };
    let head = format!("{} {}: {}{was}", s.id, s.label, s.outcome);
    match (s.outcome, s.after) {
        (Outcome::Unchanged, Some(after)) => format!("{head} {after} {}", shown(&s.quote)),
        (Outcome::Moved, Some(after)) => {
            format!("{head} {} → {after} {}", s.before, shown(&s.quote))
        }
        (Outcome::Fuzzy, Some(after)) => {
            let status = s
                .status_reset
                .map(|old| format!("; status {old} → pending"))
                .unwrap_or_default();
            format!(
                "{head} {} → {after} ({} edit{}) {} → {}{status}",
                s.before,
                s.edits,
                if s.edits == 1 { "" } else { "s" },
                shown(&s.quote),
                shown(s.text.as_deref().unwrap_or("")),
            )
        }
        _ => format!(
            "{head} {} {}: {}",
            s.before,
            shown(&s.quote),
            s.reason.as_deref().unwrap_or("not found")
        ),
    }
}
