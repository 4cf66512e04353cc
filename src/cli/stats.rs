//! `spanmark stats IN... [--json]`: what a set of annotation files holds.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::{Context, Exit, bar, inputs};
use crate::model::suggestion;
use crate::progress::Progress;
use crate::store::native;

#[derive(Debug, Default, Serialize)]
struct Stats {
    documents: usize,
    characters: usize,
    spans: usize,
    relations: usize,
    by_label: BTreeMap<String, usize>,
    by_status: BTreeMap<String, usize>,
    by_origin: BTreeMap<String, usize>,
    by_author: BTreeMap<String, usize>,
    /// Documents per annotator (the file's owner).
    annotators: BTreeMap<String, usize>,
    /// Documents per document status.
    document_status: BTreeMap<String, usize>,
    /// Suggestions no one accepted yet, per agent and label (`dates date`): apart from the
    /// spans above, which are people's work (made by hand, imported or accepted).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pending_suggestions: BTreeMap<String, usize>,
}

pub fn run(paths: &[PathBuf], json: bool, ctx: &mut Context<'_>) -> Exit {
    bar::run(ctx, |progress, ctx| stats(paths, json, progress, ctx))
}

fn stats(paths: &[PathBuf], json: bool, progress: &Progress, ctx: &mut Context<'_>) -> Exit {
    let (natives, mut exit) = inputs::native_files(paths, ctx);
    let mut stats = Stats::default();
    progress.start("counting", natives.len() as u64);
    for (i, path) in natives.iter().enumerate() {
        progress.set_done(i as u64);
        let doc = match native::load(path) {
            Ok(loaded) => loaded.doc,
            Err(e) => {
                ctx.problem(&e);
                exit = exit.max(Exit::DataProblems);
                continue;
            }
        };
        stats.documents += 1;
        stats.characters += doc.text().len_chars();
        stats.relations += doc.set().relations().count();
        *stats.annotators.entry(doc.annotator.clone()).or_default() += 1;
        *stats
            .document_status
            .entry(doc.status.as_str().to_string())
            .or_default() += 1;
        for span in doc.set().spans() {
            if suggestion::is_pending(span) {
                let agent = suggestion::agent(span).unwrap_or("unknown");
                *stats
                    .pending_suggestions
                    .entry(format!("{agent} {}", span.label))
                    .or_default() += 1;
                continue;
            }
            stats.spans += 1;
            *stats.by_label.entry(span.label.to_string()).or_default() += 1;
            *stats.by_status.entry(span.status.to_string()).or_default() += 1;
            *stats.by_origin.entry(span.origin.to_string()).or_default() += 1;
            *stats.by_author.entry(span.author.to_string()).or_default() += 1;
        }
    }
    let written = if json {
        serde_json::to_string_pretty(&stats)
            .map_err(std::io::Error::other)
            .and_then(|s| writeln!(ctx.out, "{s}"))
    } else {
        write_table(&stats, ctx.out)
    };
    if let Err(e) = written {
        ctx.problem(format!("cannot write the statistics: {e}"));
        return Exit::Failure;
    }
    exit
}

fn write_table(stats: &Stats, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "documents   {:>8}", stats.documents)?;
    writeln!(out, "characters  {:>8}", stats.characters)?;
    writeln!(out, "spans       {:>8}", stats.spans)?;
    writeln!(out, "relations   {:>8}", stats.relations)?;
    for (title, map) in [
        ("by label", &stats.by_label),
        ("by status", &stats.by_status),
        ("by origin", &stats.by_origin),
        ("by author", &stats.by_author),
        ("documents by annotator", &stats.annotators),
        ("documents by status", &stats.document_status),
        (
            "pending suggestions by agent and label (not counted above)",
            &stats.pending_suggestions,
        ),
    ] {
        if map.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}")?;
        let width = map.keys().map(|k| k.chars().count()).max().unwrap_or(0);
        for (key, n) in map {
            writeln!(out, "  {key:<width$}  {n:>8}")?;
        }
    }
    Ok(())
}
