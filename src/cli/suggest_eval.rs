//! `spanmark suggest --evaluate GOLD... [sources]`: how good each source is. The sources run
//! on the gold files' texts (nothing is written), and each agent's proposals are scored
//! against the spans people made or accepted there, exactly (same range and label):
//! precision, recall and F1 per agent and label, and per agent over the labels it proposed.
//!
//! Propagation is scored the way it is used: from each gold string's first labelled
//! occurrence, what does it propose at the others?

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::suggest::Sources;
use super::{Context, Exit, inputs};
use crate::assist::propagate;
use crate::model::suggestion::is_work;
use crate::model::{CharRange, Document, Edit, Timestamp};
use crate::progress::Progress;
use crate::store::native;

/// Counts of one agent and label.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tally {
    pub proposed: usize,
    pub correct: usize,
    pub gold: usize,
}

impl Tally {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.proposed)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// `spanmark suggest --evaluate`: the sources run on the gold files' texts, each agent scored.
pub fn run(args: &super::SuggestArgs, ctx: &mut Context<'_>) -> Exit {
    let Some(mut sources) = Sources::of(args, ctx) else {
        return Exit::Failure;
    };
    super::bar::run(ctx, |progress, ctx| {
        evaluate(&args.inputs, &mut sources, progress, ctx)
    })
}

/// `doc` with, of its people's spans, only the first occurrence of each string: what
/// propagation starts from when someone labels a string once.
fn seeded(doc: &Document) -> Document {
    let mut seed = Document::new(
        doc.source.clone(),
        crate::model::Text::new(doc.text().as_str().to_string()),
        &doc.annotator,
        doc.schema.clone(),
    );
    let mut seen = BTreeSet::new();
    for span in doc
        .set()
        .spans()
        .filter(|s| is_work(s) && s.fragments.is_empty())
    {
        let text = doc.set().span_text(span).to_string();
        if seen.insert((text, span.label.clone())) {
            let _ = seed.apply(&Edit::add(span.clone()), "seed", Timestamp::from_unix(0));
        }
    }
    seed
}

pub(super) fn evaluate(
    paths: &[PathBuf],
    sources: &mut Sources,
    progress: &Progress,
    ctx: &mut Context<'_>,
) -> Exit {
    let (files, mut exit) = inputs::native_files(paths, ctx);
    let propagate = std::mem::replace(&mut sources.propagate, false);
    // (agent, label) → tally; the gold count is filled in at the end from `gold_per_label`.
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut gold_per_label: BTreeMap<String, usize> = BTreeMap::new();
    progress.start("evaluating", files.len() as u64);
    for (i, path) in files.iter().enumerate() {
        progress.set_done(i as u64);
        let doc = match native::load(path) {
            Ok(l) => l.doc,
            Err(e) => {
                ctx.problem(&e);
                exit = exit.max(Exit::DataProblems);
                continue;
            }
        };
        let gold: BTreeSet<(CharRange, String)> = doc
            .set()
            .spans()
            .filter(|s| is_work(s) && s.fragments.is_empty())
            .map(|s| (s.range, s.label.to_string()))
            .collect();
        for (_, label) in &gold {
            *gold_per_label.entry(label.clone()).or_default() += 1;
        }
        let file_time = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let mut proposed = sources.propose(&doc, file_time);
        for p in &proposed.problems {
            ctx.problem(format!("{p}: {}", path.display()));
            exit = exit.max(Exit::DataProblems);
        }
        if propagate {
            let seed = seeded(&doc);
            let from_seed = propagate::in_document(&seed);
            let mut p = from_seed.proposals;
            if let Some(keep) = &sources.labels {
                p.retain(|x| keep.contains(x.label.as_str()));
            }
            proposed.proposals.extend(p);
        }
        let mut seen = BTreeSet::new();
        for p in proposed.proposals {
            let key = (p.agent.clone(), p.range, p.label.to_string());
            if !seen.insert(key) {
                continue;
            }
            let t = tallies.entry((p.agent, p.label.to_string())).or_default();
            t.proposed += 1;
            if gold.contains(&(p.range, p.label.to_string())) {
                t.correct += 1;
            }
        }
    }
    for ((_, label), t) in tallies.iter_mut() {
        t.gold = gold_per_label.get(label).copied().unwrap_or(0);
    }
    print(&tallies, files.len(), ctx);
    exit
}

fn print(tallies: &BTreeMap<(String, String), Tally>, files: usize, ctx: &mut Context<'_>) {
    let _ = writeln!(
        ctx.out,
        "{files} gold file{}; spans people made or accepted, matched exactly",
        if files == 1 { "" } else { "s" }
    );
    let mut rows: Vec<(String, String, Tally)> = Vec::new();
    let mut agent_total: BTreeMap<&str, Tally> = BTreeMap::new();
    for ((agent, label), t) in tallies {
        rows.push((agent.clone(), label.clone(), *t));
        let a = agent_total.entry(agent).or_default();
        a.proposed += t.proposed;
        a.correct += t.correct;
        a.gold += t.gold;
    }
    for (agent, t) in agent_total {
        rows.push((agent.to_string(), "(all)".to_string(), t));
    }
    rows.sort_by(|a, b| (&a.0, a.1 == "(all)", &a.1).cmp(&(&b.0, b.1 == "(all)", &b.1)));
    let aw = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(5);
    let lw = rows.iter().map(|r| r.1.len()).max().unwrap_or(0).max(5);
    let _ = writeln!(
        ctx.out,
        "{:aw$}  {:lw$}  {:>8}  {:>7}  {:>5}  {:>9}  {:>6}  {:>5}",
        "agent", "label", "proposed", "correct", "gold", "precision", "recall", "F1"
    );
    for (agent, label, t) in rows {
        let _ = writeln!(
            ctx.out,
            "{agent:aw$}  {label:lw$}  {:>8}  {:>7}  {:>5}  {:>9.3}  {:>6.3}  {:>5.3}",
            t.proposed,
            t.correct,
            t.gold,
            t.precision(),
            t.recall(),
            t.f1()
        );
    }
}
