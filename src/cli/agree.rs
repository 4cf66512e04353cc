//! `spanmark agree IN... [--json]`: agreement between the annotators of a set of annotation
//! files, for each pair and over all of them (definitions in [`crate::review::metrics`]).
//!
//! Annotators are the files' `annotator` fields; articles are matched by their text. Also home
//! of the loading that `adjudicate` shares: every file loaded, each annotator's file of an
//! article taken once.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use super::{Context, Exit, bar, inputs};
use crate::model::Document;
use crate::progress::Progress;
use crate::review::metrics::{Agreement, PairAgreement, RelationAgreement, SpanAgreement};
use crate::review::{Corpus, agreement, text_sha256};
use crate::store::native;

pub fn run(paths: &[PathBuf], json: bool, ctx: &mut Context<'_>) -> Exit {
    bar::run(ctx, |progress, ctx| agree(paths, json, progress, ctx))
}

fn agree(paths: &[PathBuf], json: bool, progress: &Progress, ctx: &mut Context<'_>) -> Exit {
    let (docs, mut exit) = load_work(paths, progress, ctx);
    let corpus = corpus_of(&docs, ctx, &mut exit);
    progress.start("measuring", 0);
    let result = agreement(&corpus);
    if result.annotators.len() < 2 {
        ctx.problem(format!(
            "agreement needs the files of at least two annotators; found {}",
            if result.annotators.is_empty() {
                "none".to_string()
            } else {
                result.annotators.join(", ")
            }
        ));
        exit = exit.max(Exit::DataProblems);
    }
    for (a, b) in &result.unpaired {
        ctx.problem(format!(
            "{a} and {b} annotated no article in common: no agreement for that pair"
        ));
    }
    let written = if json {
        serde_json::to_string_pretty(&result)
            .map_err(std::io::Error::other)
            .and_then(|s| writeln!(ctx.out, "{s}"))
    } else {
        write_table(&result, ctx.out)
    };
    if let Err(e) = written {
        ctx.problem(format!("cannot write the agreement: {e}"));
        return Exit::Failure;
    }
    exit
}

/// [`load_documents`] with only people's work in each: agreement and adjudication measure
/// what people made or accepted, so suggestions no one accepted are taken out.
pub(super) fn load_work(
    paths: &[PathBuf],
    progress: &Progress,
    ctx: &mut Context<'_>,
) -> (Vec<(PathBuf, Document)>, Exit) {
    let (docs, exit) = load_documents(paths, progress, ctx);
    let work = docs
        .into_iter()
        .map(|(path, doc)| (path, doc.people_only().0))
        .collect();
    (work, exit)
}

/// Every annotation file named by `paths`, loaded; problems reported on `ctx`.
pub(super) fn load_documents(
    paths: &[PathBuf],
    progress: &Progress,
    ctx: &mut Context<'_>,
) -> (Vec<(PathBuf, Document)>, Exit) {
    let (natives, mut exit) = inputs::native_files(paths, ctx);
    let mut docs = Vec::with_capacity(natives.len());
    progress.start("reading", natives.len() as u64);
    for (i, path) in natives.into_iter().enumerate() {
        progress.set_done(i as u64);
        match native::load(&path) {
            Ok(loaded) => docs.push((path, loaded.doc)),
            Err(e) => {
                ctx.problem(&e);
                exit = exit.max(match e {
                    native::NativeError::Io { .. } => Exit::Failure,
                    _ => Exit::DataProblems,
                });
            }
        }
    }
    (docs, exit)
}

/// The documents grouped by article. When an annotator has two files of one article, the first
/// (by path) is used and the other reported.
pub(super) fn corpus_of<'a>(
    docs: &'a [(PathBuf, Document)],
    ctx: &mut Context<'_>,
    exit: &mut Exit,
) -> Corpus<'a> {
    let mut corpus = Corpus::new();
    let mut first: BTreeMap<(String, String), &PathBuf> = BTreeMap::new();
    for (path, doc) in docs {
        let key = (doc.annotator.clone(), text_sha256(doc));
        if let Some(earlier) = first.get(&key) {
            ctx.problem(format!(
                "annotator {:?} has two files of the same article ({}); using the first, skipping: {}",
                doc.annotator,
                earlier.display(),
                path.display()
            ));
            *exit = (*exit).max(Exit::DataProblems);
            continue;
        }
        first.insert(key, path);
        // Cannot fail: the duplicate case was caught above.
        let _ = corpus.add(doc);
    }
    corpus
}

fn write_table(result: &Agreement, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{} document{}, {} annotator{}: {}",
        result.documents,
        if result.documents == 1 { "" } else { "s" },
        result.annotators.len(),
        if result.annotators.len() == 1 {
            ""
        } else {
            "s"
        },
        result.annotators.join(", ")
    )?;
    match result.krippendorff_alpha {
        Some(alpha) => writeln!(
            out,
            "Krippendorff's alpha (token labels, all annotators): {alpha:.3}"
        )?,
        None => writeln!(
            out,
            "Krippendorff's alpha: undefined (no token was annotated by two annotators)"
        )?,
    }
    for pair in &result.pairs {
        write_pair(pair, out)?;
    }
    Ok(())
}

fn write_pair(pair: &PairAgreement, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "\n{} vs {} (reference: {}), {} shared document{}, {} tokens",
        pair.a,
        pair.b,
        pair.a,
        pair.documents,
        if pair.documents == 1 { "" } else { "s" },
        pair.tokens
    )?;
    writeln!(out, "  token kappa  {:.3}", pair.token_kappa)?;
    let labels: Vec<&String> = pair.exact.by_label.keys().collect();
    let width = labels
        .iter()
        .map(|l| l.chars().count() + 2)
        .chain([9])
        .max()
        .unwrap_or(9);
    writeln!(
        out,
        "  {:<width$}  {:>9}  {:>9}  {:>9}   {:>9}  {:>9}  {:>9}",
        "", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1"
    )?;
    let row = |out: &mut dyn Write,
               name: &str,
               exact: &SpanAgreement,
               overlap: &SpanAgreement,
               label: Option<&str>| {
        let (e, o) = match label {
            None => (&exact.overall, &overlap.overall),
            Some(l) => match (exact.by_label.get(l), overlap.by_label.get(l)) {
                (Some(e), Some(o)) => (e, o),
                _ => return Ok(()),
            },
        };
        writeln!(
            out,
            "  {name:<width$}  {:>9.3}  {:>9.3}  {:>9.3}   {:>9.3}  {:>9.3}  {:>9.3}",
            e.precision, e.recall, e.f1, o.precision, o.recall, o.f1
        )
    };
    row(out, "all spans", &pair.exact, &pair.overlap, None)?;
    for label in &labels {
        row(
            out,
            &format!("  {label}"),
            &pair.exact,
            &pair.overlap,
            Some(label.as_str()),
        )?;
    }
    write_relations(&pair.relations, out)?;
    if !pair.attributes.is_empty() {
        writeln!(
            out,
            "  attributes (spans matched exactly)  {:>6}  {:>9}  {:>9}",
            "spans", "observed", "kappa"
        )?;
        for (name, a) in &pair.attributes {
            writeln!(
                out,
                "    {name:<32}  {:>6}  {:>9.3}  {:>9.3}",
                a.spans, a.observed, a.kappa
            )?;
        }
    }
    if pair.confusion.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "  confusion (rows: {}, columns: {}; spans matched by overlap)",
        pair.a, pair.b
    )?;
    let cols: Vec<&String> = pair.confusion.keys().collect();
    let cell = cols
        .iter()
        .map(|c| c.chars().count())
        .chain([5])
        .max()
        .unwrap_or(5);
    write!(out, "  {:<width$}", "")?;
    for c in &cols {
        write!(out, "  {c:>cell$}")?;
    }
    writeln!(out)?;
    for (row_label, counts) in &pair.confusion {
        write!(out, "  {:<width$}", format!("  {row_label}"))?;
        for c in &cols {
            write!(out, "  {:>cell$}", counts.get(*c).copied().unwrap_or(0))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The relation figures of a pair: overall and per kind, or a line saying there were none.
fn write_relations(relations: &RelationAgreement, out: &mut dyn Write) -> std::io::Result<()> {
    let overall = &relations.overall;
    if overall.reference + overall.other == 0 {
        return writeln!(
            out,
            "  relations: neither annotator made one (precision, recall and F1 are 1 by definition)"
        );
    }
    let width = relations
        .by_kind
        .keys()
        .map(|k| k.chars().count() + 2)
        .chain([13])
        .max()
        .unwrap_or(13);
    writeln!(
        out,
        "  {:<width$}  {:>10}  {:>10}  {:>11}   (both ends an exact match, same kind)",
        "", "relation P", "relation R", "relation F1"
    )?;
    let row = |out: &mut dyn Write, name: &str, p: &crate::review::Prf| {
        writeln!(
            out,
            "  {name:<width$}  {:>10.3}  {:>10.3}  {:>11.3}",
            p.precision, p.recall, p.f1
        )
    };
    row(out, "all relations", overall)?;
    for (kind, p) in &relations.by_kind {
        row(out, &format!("  {kind}"), p)?;
    }
    Ok(())
}
