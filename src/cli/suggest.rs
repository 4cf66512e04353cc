//! `spanmark suggest IN... [--dates] [--propagate [--across]] [--gazetteer F]... [--patterns F]...
//! [--command CMD [--timeout SECS]] [--doc-date YYYY-MM-DD] [--labels L,...] [--evaluate]`:
//! run suggestion sources over documents and add what they propose as pending suggestions, in
//! place (atomically), or with `--evaluate` score them against the spans people made or
//! accepted ([`super::suggest_eval`]).
//!
//! IN are articles (their annotation file beside them is used, or made), annotation files, or
//! folders. A suggestion already there (a span of that range and label, any origin) or one a
//! person rejected before is not added again. Prints the suggestions added per agent and label.
//!
//! Exit status: 0 when every document was done; 1 when a document could not be read or a
//! source failed on a document (the command crashed, timed out or answered badly; its other
//! documents and the other sources still count); 2 when the command cannot run (no source, a
//! gazetteer or pattern file that cannot be read or has bad lines, a file cannot be written).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{Context, Exit, SuggestArgs, bar, inputs};
use crate::assist::command::ModelCommand;
use crate::assist::dates;
use crate::assist::gazetteer::Gazetteer;
use crate::assist::patterns::Patterns;
use crate::assist::propagate::{self, Flagged};
use crate::assist::suggest::{self, Proposal};
use crate::model::{Document, Label, Timestamp};
use crate::progress::Progress;
use crate::store::folder::is_article;
use crate::store::native;
use crate::store::open::{Opened, open};

/// The sources named on the command line, ready to run.
pub(super) struct Sources {
    pub dates: bool,
    pub doc_date: Option<time::Date>,
    pub propagate: bool,
    pub gazetteers: Vec<Gazetteer>,
    pub patterns: Vec<Patterns>,
    pub command: Option<ModelCommand>,
    pub labels: Option<BTreeSet<String>>,
    /// With `--across`: the strings labelled in all inputs.
    pub across: Option<BTreeMap<String, BTreeSet<Label>>>,
}

/// What the sources propose for one document, and what went wrong on the way.
pub(super) struct Proposed {
    pub proposals: Vec<Proposal>,
    pub flagged: Vec<Flagged>,
    /// Messages about this document (a source that failed on it).
    pub problems: Vec<String>,
}

impl Sources {
    /// The sources of `args`, reading the gazetteer and pattern files; `None` (after reporting)
    /// when the command cannot run.
    pub(super) fn of(args: &SuggestArgs, ctx: &mut Context<'_>) -> Option<Self> {
        let none = !args.dates
            && !args.propagate
            && args.gazetteer.is_empty()
            && args.patterns.is_empty()
            && args.command.is_none();
        if none {
            ctx.problem(
                "name at least one source: --dates, --propagate, --gazetteer FILE, --patterns FILE or --command CMD",
            );
            return None;
        }
        let mut ok = true;
        let mut gazetteers = Vec::new();
        for path in &args.gazetteer {
            match read_source(path, ctx).map(|(text, name)| Gazetteer::parse(&text, &name)) {
                Some(Ok(g)) => gazetteers.push(g),
                Some(Err(errors)) => {
                    for e in errors {
                        ctx.problem(format!("gazetteer {e}: {}", path.display()));
                    }
                    ok = false;
                }
                None => ok = false,
            }
        }
        let mut patterns = Vec::new();
        for path in &args.patterns {
            match read_source(path, ctx).map(|(text, name)| Patterns::parse(&text, &name)) {
                Some(Ok(p)) => patterns.push(p),
                Some(Err(errors)) => {
                    for e in errors {
                        ctx.problem(format!("patterns {e}: {}", path.display()));
                    }
                    ok = false;
                }
                None => ok = false,
            }
        }
        let labels = args.labels.as_ref().map(|l| {
            l.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        });
        ok.then(|| Self {
            dates: args.dates,
            doc_date: args.doc_date,
            propagate: args.propagate,
            gazetteers,
            patterns,
            command: args
                .command
                .as_deref()
                .map(|c| ModelCommand::new(c, Duration::from_secs(args.timeout))),
            labels,
            across: None,
        })
    }

    /// Everything the sources propose for `doc` (its article or file last changed at
    /// `file_time`), before anything already in the document is taken out.
    pub(super) fn propose(&mut self, doc: &Document, file_time: Option<SystemTime>) -> Proposed {
        let mut out = Proposed {
            proposals: Vec::new(),
            flagged: Vec::new(),
            problems: Vec::new(),
        };
        let text = doc.text();
        if self.dates {
            match dates::proposals_for(doc, self.doc_date, file_time) {
                Some((found, _)) => out.proposals.extend(found),
                None => out
                    .problems
                    .push("dates: no document date (give --doc-date)".to_string()),
            }
        }
        if self.propagate {
            let p = match &self.across {
                Some(strings) => propagate::from_strings(doc, strings),
                None => propagate::in_document(doc),
            };
            out.proposals.extend(p.proposals);
            out.flagged.extend(p.flagged);
        }
        for g in &self.gazetteers {
            out.proposals.extend(g.propose(text));
        }
        for p in &self.patterns {
            out.proposals.extend(p.propose(text));
        }
        if let Some(command) = &mut self.command {
            match command.ask(&doc.source.name, text.as_str(), text.len_chars()) {
                Ok(answer) => {
                    out.proposals.extend(answer.proposals);
                    out.problems
                        .extend(answer.problems.into_iter().map(|p| format!("command: {p}")));
                }
                Err(e) => out.problems.push(format!("command: {e}")),
            }
        }
        if let Some(keep) = &self.labels {
            out.proposals.retain(|p| keep.contains(p.label.as_str()));
        }
        out
    }
}

/// The text of a source file and its file name; `None` after reporting when it cannot be read.
fn read_source(path: &Path, ctx: &mut Context<'_>) -> Option<(String, String)> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            Some((text, name))
        }
        Err(e) => {
            ctx.problem(format!("cannot read {e}: {}", path.display()));
            None
        }
    }
}

/// The documents named by `paths`: annotation files, and articles (by the annotation file
/// beside them when there is one), each once.
pub(super) fn documents(paths: &[PathBuf], ctx: &mut Context<'_>) -> (Vec<PathBuf>, Exit) {
    let keep = |p: &Path| native::is_native_path(p) || is_article(p);
    let (found, exit) = inputs::files(paths, &keep, ctx);
    let mut out: Vec<PathBuf> = found
        .into_iter()
        .map(|p| {
            let beside = native::path_beside(&p);
            if !native::is_native_path(&p) && beside.is_file() {
                beside
            } else {
                p
            }
        })
        .collect();
    out.sort();
    out.dedup();
    (out, exit)
}

/// When the document's article (else its annotation file) last changed.
pub(super) fn file_time(opened: &Opened) -> Option<SystemTime> {
    let path = opened.article_path.as_ref().unwrap_or(&opened.native_path);
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

pub fn run(args: &SuggestArgs, ctx: &mut Context<'_>) -> Exit {
    let Some(mut sources) = Sources::of(args, ctx) else {
        return Exit::Failure;
    };
    bar::run(ctx, |progress, ctx| {
        suggest(&args.inputs, args.across, &mut sources, progress, ctx)
    })
}

fn suggest(
    paths: &[PathBuf],
    across: bool,
    sources: &mut Sources,
    progress: &Progress,
    ctx: &mut Context<'_>,
) -> Exit {
    let (docs, mut exit) = documents(paths, ctx);
    let who = ctx.annotator.clone();
    if across {
        let mut strings: BTreeMap<String, BTreeSet<Label>> = BTreeMap::new();
        progress.start("reading labels", docs.len() as u64);
        for (i, path) in docs.iter().enumerate() {
            progress.set_done(i as u64);
            if let Ok(opened) = open(path, &who) {
                for (text, labels) in propagate::labelled(&opened.doc) {
                    strings.entry(text).or_default().extend(labels);
                }
            }
        }
        sources.across = Some(strings);
    }
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    let (mut duplicates, mut rejected, mut changed) = (0, 0, 0);
    let mut flagged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    progress.start("suggesting", docs.len() as u64);
    for (i, path) in docs.iter().enumerate() {
        progress.set_done(i as u64);
        let mut opened = match open(path, &who) {
            Ok(o) => o,
            Err(e) => {
                ctx.problem(&e);
                exit = exit.max(Exit::DataProblems);
                continue;
            }
        };
        let proposed = sources.propose(&opened.doc, file_time(&opened));
        for p in &proposed.problems {
            ctx.problem(format!("{p}: {}", path.display()));
            exit = exit.max(Exit::DataProblems);
        }
        for f in proposed.flagged {
            let labels = f.labels.iter().map(ToString::to_string).collect();
            flagged.insert(f.text, labels);
        }
        let added = suggest::add(&mut opened.doc, proposed.proposals, &who, Timestamp::now());
        for r in &added.refused {
            ctx.problem(format!(
                "suggestion {r} does not fit the text: {}",
                path.display()
            ));
            exit = exit.max(Exit::DataProblems);
        }
        duplicates += added.duplicates;
        rejected += added.rejected;
        for (key, n) in added.counts {
            *counts.entry(key).or_default() += n;
        }
        if added.edits.is_empty() {
            continue;
        }
        if let Err(e) = native::save(&opened.doc, &opened.native_path) {
            ctx.problem(&e);
            exit = Exit::Failure;
            continue;
        }
        changed += 1;
    }
    for (text, labels) in &flagged {
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        ctx.problem(format!(
            "note: {text:?} is labelled {} (not propagated: a person decides)",
            labels.join(" and ")
        ));
    }
    print_counts(&counts, ctx);
    let total: usize = counts.values().sum();
    let _ = writeln!(
        ctx.out,
        "{total} suggestion{} added to {changed} of {} document{}; {duplicates} already there, {rejected} rejected before",
        if total == 1 { "" } else { "s" },
        docs.len(),
        if docs.len() == 1 { "" } else { "s" },
    );
    exit
}

fn print_counts(counts: &BTreeMap<(String, String), usize>, ctx: &mut Context<'_>) {
    if counts.is_empty() {
        return;
    }
    let agent_w = counts
        .keys()
        .map(|(a, _)| a.len())
        .max()
        .unwrap_or(0)
        .max(5);
    let label_w = counts
        .keys()
        .map(|(_, l)| l.len())
        .max()
        .unwrap_or(0)
        .max(5);
    let _ = writeln!(ctx.out, "{:agent_w$}  {:label_w$}  added", "agent", "label");
    for ((agent, label), n) in counts {
        let _ = writeln!(ctx.out, "{agent:agent_w$}  {label:label_w$}  {n:>5}");
    }
}
