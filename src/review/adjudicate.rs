//! Adjudication: the gold document of one article, made from its annotators' documents.
//!
//! Every counted span (not rejected) of every annotator ends up in the gold document; nothing is
//! dropped. Spans of different annotators with the same shape become one gold span.
//!
//! - A span **every annotator marked** (two or more annotators) is `accepted`, with
//!   attribute [`AGREED_BY`] = the annotators, comma-separated by name (`omar,rita`).
//! - **Every other span** is `pending`, with [`PROPOSED_BY`] = who marked it, [`CONFLICT`] = the
//!   kind of difference it belongs to (`missing`, `label`, `boundary`, `label+boundary`, or
//!   `unconfirmed` when the article has a single annotator; see [`mod@super::align`]), and
//!   [`CONFLICT_WITH`] = the gold ids of its rival spans (absent when it has none).
//!   Rival spans are kept separately even when they overlap.
//! - Two discontinuous spans with the same range and label but different pieces cannot both be
//!   in one file: they become one pending span with the first annotator's pieces, and
//!   [`FRAGMENTS_PROPOSED`] lists every annotator's pieces (`omar: 0..6;11..16 | rita: 0..16`).
//!
//! Gold ids are `s1`, `s2`, … in text order. Other attributes and notes are carried over (on a
//! clash of attribute values the first annotator's wins; differing notes are joined, each with
//! its author). A gold span keeps the first annotator's author and origin, the earliest
//! `created`, and `modified` = the time of adjudication.
//!
//! Relations are carried over onto the gold spans they link and follow the spans' rules, with
//! the same attribute keys: the same relation from several annotators becomes one (for an
//! undirected kind, either way round); one **every annotator made** (two or more) between two
//! accepted gold spans is `accepted`, with [`AGREED_BY`]; every other is `pending`, with
//! [`PROPOSED_BY`], [`CONFLICT`] (`missing`, `kind`, `direction`, `end` when a span it links is
//! itself pending, or `unconfirmed`) and [`CONFLICT_WITH`] = the gold ids of its rival relations
//! (the same two spans, another kind or direction). A rejected relation, and one that links a
//! rejected span (it has no gold span to link), is left out; the history says how many.
//! Orphaned relations are kept as orphans, pending, [`CONFLICT`] = `orphaned`, like the spans.
//! The gold schema has every annotator's labels and relation kinds ([`carry::merged_schema`]).
//!
//! The gold document's `annotator` is the adjudicator. Its history starts with a `document`
//! entry saying who adjudicated what, then one `add` entry per gold span whose `detail` says
//! where it came from (`agreed by omar (s1), rita (s3)`, or
//! `proposed by omar (s2); conflict: label, with s4`), then one per relation.

mod carry;

use std::collections::{BTreeMap, BTreeSet};

pub(crate) use carry::extended_schema;
use carry::{GoldIds, RelationTally, carry_orphans, carry_relations, merged_schema};

use super::align::{DifferenceKind, Variant, align_article};
use super::{Article, Corpus, ReviewError, Shape};
use crate::model::audit::entries_for;
use crate::model::{
    AnnotationSet, AuditEntry, CharRange, Document, DocumentStatus, Edit, Label, Span, SpanId,
    Status, Timestamp,
};
use crate::progress::{Cancelled, Progress};

/// Attribute of an accepted gold span or relation: the annotators who all marked it.
pub const AGREED_BY: &str = "agreed_by";
/// Attribute of a pending gold span or relation: the annotators who marked it.
pub const PROPOSED_BY: &str = "proposed_by";
/// Attribute of a pending gold span or relation: the kind of difference.
pub const CONFLICT: &str = "conflict";
/// Attribute of a pending gold span or relation: the gold ids of its rivals.
pub const CONFLICT_WITH: &str = "conflict_with";
/// Attribute of a merged discontinuous span: each annotator's pieces.
pub const FRAGMENTS_PROPOSED: &str = "fragments_proposed";

const OURS: [&str; 5] = [
    AGREED_BY,
    PROPOSED_BY,
    CONFLICT,
    CONFLICT_WITH,
    FRAGMENTS_PROPOSED,
];

/// The gold document of one article and what went into it.
#[derive(Debug, Clone)]
pub struct Adjudication {
    pub gold: Document,
    /// Spans every annotator agreed on (accepted).
    pub agreed: usize,
    /// Spans left pending.
    pub pending: usize,
    /// Groups of rival pending spans: the conflicts an adjudicator resolves one by one.
    pub conflicts: usize,
    /// Relations carried over (agreed and pending).
    pub relations: usize,
    /// Relations every annotator made between agreed spans (accepted).
    pub relations_agreed: usize,
    /// Relations left pending, marked as conflicts.
    pub relations_pending: usize,
    /// Rejected spans of the annotators, not carried over.
    pub rejected_spans: usize,
    /// Rejected relations of the annotators, not carried over.
    pub rejected_relations: usize,
    /// Relations left out because they link a rejected span.
    pub relations_left_out: usize,
    /// The annotators' orphans (spans re-anchoring could not place), kept as the gold
    /// document's orphans.
    pub orphans: usize,
}

/// The gold document of `docs`, the files of one article by different annotators.
pub fn adjudicate_documents(
    docs: &[&Document],
    adjudicator: &str,
    at: Timestamp,
) -> Result<Adjudication, ReviewError> {
    super::align::align(docs)?;
    let corpus = Corpus::from_documents(docs)?;
    let article = corpus
        .articles()
        .into_iter()
        .next()
        .ok_or(ReviewError::NoDocuments)?;
    adjudicate(article, adjudicator, at).ok_or(ReviewError::NoDocuments)
}

/// [`adjudicate_documents`] reporting on `progress` (the GUI adjudicates on a worker thread):
/// `Err(Cancelled)` as soon as it is cancelled, else what `adjudicate_documents` returns.
pub fn adjudicate_documents_with_progress(
    docs: &[&Document],
    adjudicator: &str,
    at: Timestamp,
    progress: &Progress,
) -> Result<Result<Adjudication, ReviewError>, Cancelled> {
    progress.start("lining up the annotators", 0);
    if let Err(e) = super::align::align(docs) {
        return Ok(Err(e));
    }
    progress.check()?;
    let corpus = match Corpus::from_documents(docs) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let Some(article) = corpus.articles().into_iter().next() else {
        return Ok(Err(ReviewError::NoDocuments));
    };
    Ok(
        adjudicate_with_progress(article, adjudicator, at, progress)?
            .ok_or(ReviewError::NoDocuments),
    )
}

/// Why a gold file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    #[error("cannot create the folder: {source}: {}", path.display())]
    Folder {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Save(#[from] crate::store::native::NativeError),
}

/// Writes `a`'s gold document at `path` (atomically), making its folder first.
pub fn save_gold(a: &Adjudication, path: &std::path::Path) -> Result<(), GoldError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| GoldError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    crate::store::native::save(&a.gold, path)?;
    Ok(())
}

/// One gold span in the making.
struct Entry {
    shape: Shape,
    /// Who marked it and their span id (several shapes when fragments differ).
    proposers: BTreeMap<String, SpanId>,
    fragment_variants: Vec<(Shape, Vec<String>)>,
    /// `None`: agreed.
    conflict: Option<(DifferenceKind, usize)>,
}

/// The gold document of `article`, adjudicated by `adjudicator` at `at`. `None` when the
/// article has no documents.
pub fn adjudicate(article: &Article<'_>, adjudicator: &str, at: Timestamp) -> Option<Adjudication> {
    // Nobody else holds this progress, so it is never cancelled: `ok()` loses nothing.
    adjudicate_with_progress(article, adjudicator, at, &Progress::new())
        .ok()
        .flatten()
}

/// How many gold spans are made between two progress reports.
const SPANS_PER_REPORT: usize = 256;

/// [`adjudicate`], gold span by gold span on `progress`.
pub fn adjudicate_with_progress(
    article: &Article<'_>,
    adjudicator: &str,
    at: Timestamp,
    progress: &Progress,
) -> Result<Option<Adjudication>, Cancelled> {
    let Some(base) = article.first() else {
        return Ok(None);
    };
    progress.start("lining up the annotators", 0);
    let alignment = align_article(article);
    progress.check()?;
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_place: BTreeMap<(CharRange, Label), usize> = BTreeMap::new();
    let mut add = |variant: Variant, conflict: Option<(DifferenceKind, usize)>| {
        let key = (variant.shape.range, variant.shape.label.clone());
        let who: Vec<String> = variant.marked_by.keys().cloned().collect();
        if let Some(&i) = by_place.get(&key) {
            let e: &mut Entry = &mut entries[i];
            e.proposers.extend(variant.marked_by);
            e.fragment_variants.push((variant.shape, who));
            return;
        }
        by_place.insert(key, entries.len());
        entries.push(Entry {
            fragment_variants: vec![(variant.shape.clone(), who)],
            shape: variant.shape,
            proposers: variant.marked_by,
            conflict,
        });
    };
    for v in alignment.agreed {
        add(v, None);
    }
    let conflicts = alignment.differences.len();
    for (group, d) in alignment.differences.into_iter().enumerate() {
        for v in d.variants {
            add(v, Some((d.kind, group)));
        }
    }
    entries.sort_by(|a, b| a.shape.cmp(&b.shape));
    let ids: Vec<SpanId> = (1..=entries.len() as u64).map(SpanId::numbered).collect();
    let mut members: BTreeMap<usize, Vec<&SpanId>> = BTreeMap::new();
    for (e, id) in entries.iter().zip(&ids) {
        if let Some((_, group)) = e.conflict {
            members.entry(group).or_default().push(id);
        }
    }

    let text = base.text().clone();
    let mut set = AnnotationSet::new(text.clone());
    let mut audit = vec![AuditEntry::document(at, adjudicator, String::new())];
    let mut gold_of: GoldIds<'_> = BTreeMap::new();
    let (mut agreed, mut pending) = (0, 0);
    progress.start("making the gold spans", entries.len() as u64);
    for (n, (e, id)) in entries.iter().zip(&ids).enumerate() {
        if n % SPANS_PER_REPORT == 0 {
            progress.check()?;
            progress.set_done(n as u64);
        }
        let mut span = gold_span(article, e, id, at);
        let who = proposers_text(&e.proposers);
        let detail = match e.conflict {
            None => {
                agreed += 1;
                span.status = Status::Accepted;
                span.attrs.insert(AGREED_BY.into(), names(&e.proposers));
                format!("agreed by {who}")
            }
            Some((kind, group)) => {
                pending += 1;
                span.status = Status::Pending;
                span.attrs.insert(PROPOSED_BY.into(), names(&e.proposers));
                span.attrs.insert(CONFLICT.into(), kind.as_str().into());
                let rivals: Vec<&str> = members
                    .get(&group)
                    .into_iter()
                    .flatten()
                    .filter(|r| **r != id)
                    .map(|r| r.as_str())
                    .collect();
                let mut detail = format!("proposed by {who}; conflict: {}", kind.as_str());
                if !rivals.is_empty() {
                    span.attrs.insert(CONFLICT_WITH.into(), rivals.join(","));
                    detail.push_str(&format!(", with {}", rivals.join(", ")));
                }
                if e.fragment_variants.len() > 1 {
                    let each: Vec<String> = e
                        .fragment_variants
                        .iter()
                        .map(|(shape, who)| format!("{}: {}", who.join(","), pieces_text(shape)))
                        .collect();
                    span.attrs
                        .insert(FRAGMENTS_PROPOSED.into(), each.join(" | "));
                    detail.push_str("; pieces differ");
                }
                detail
            }
        };
        for (name, original) in &e.proposers {
            gold_of.insert((name.as_str(), original), id.clone());
        }
        let mut entries = entries_for(&Edit::add(span.clone()), &text, adjudicator, at);
        for entry in &mut entries {
            entry.detail = Some(detail.clone());
        }
        audit.extend(entries);
        // Gold ids are fresh and shapes unique per place: the insert cannot fail.
        let _ = set.insert(span);
    }
    progress.set_done(entries.len() as u64);
    progress.check()?;
    progress.start("carrying over relations and orphans", 0);
    let relations = carry_relations(article, &gold_of, &mut set, &mut audit, adjudicator, at);
    let (orphans, orphan_relations_left_out) =
        carry_orphans(article, &mut gold_of, &mut set, &mut audit, adjudicator, at);
    let left_out = relations.dangling + orphan_relations_left_out;

    let rejected_spans: usize = article
        .by_annotator
        .values()
        .map(|d| {
            d.set()
                .spans()
                .filter(|s| s.status == Status::Rejected)
                .count()
        })
        .sum();
    let tally = Tally {
        agreed,
        pending,
        conflicts,
        rejected: rejected_spans,
        relations,
        relations_left_out: left_out,
        orphans: orphans.spans.len(),
    };
    audit[0].detail = Some(summary(article, adjudicator, &tally));
    let mut gold = Document::from_parts(
        base.source.clone(),
        adjudicator.to_string(),
        if pending == 0 && relations.pending == 0 {
            DocumentStatus::Annotated
        } else {
            DocumentStatus::InProgress
        },
        merged_schema(article),
        set,
        audit,
    );
    gold.meta = base.meta.clone();
    let orphan_count = orphans.spans.len();
    gold.orphans = orphans;
    progress.check()?;
    Ok(Some(Adjudication {
        gold,
        agreed,
        pending,
        conflicts,
        relations: relations.agreed + relations.pending,
        relations_agreed: relations.agreed,
        relations_pending: relations.pending,
        rejected_spans,
        rejected_relations: relations.rejected,
        relations_left_out: left_out,
        orphans: orphan_count,
    }))
}

/// The gold span of `e`: the first proposer's span, with the merged provenance.
fn gold_span(article: &Article<'_>, e: &Entry, id: &SpanId, at: Timestamp) -> Span {
    let originals: Vec<(&String, &Span)> = e
        .proposers
        .iter()
        .filter_map(|(name, sid)| Some((name, article.by_annotator.get(name)?.set().get(sid)?)))
        .collect();
    let mut span = originals
        .first()
        .map(|(_, s)| (*s).clone())
        .unwrap_or_else(|| Span::new(id.clone(), e.shape.label.clone(), e.shape.range, "", at));
    span.id = id.clone();
    span.label = e.shape.label.clone();
    span.range = e.shape.range;
    span.fragments = e.shape.fragments.clone();
    span.modified = at;
    if let Some(earliest) = originals.iter().map(|(_, s)| s.created).min() {
        span.created = earliest;
    }
    let mut attrs = BTreeMap::new();
    for (_, s) in originals.iter().rev() {
        attrs.extend(s.attrs.clone());
    }
    for key in OURS {
        attrs.remove(key);
    }
    span.attrs = attrs;
    let notes: BTreeSet<&str> = originals
        .iter()
        .filter_map(|(_, s)| s.note.as_deref())
        .collect();
    span.note = if notes.len() > 1 {
        let each: Vec<String> = originals
            .iter()
            .filter_map(|(name, s)| s.note.as_ref().map(|n| format!("{name}: {n}")))
            .collect();
        Some(each.join("\n"))
    } else {
        notes.into_iter().next().map(str::to_string)
    };
    span
}

fn names(proposers: &BTreeMap<String, SpanId>) -> String {
    proposers.keys().cloned().collect::<Vec<_>>().join(",")
}

/// `omar (s1), rita (s3)`.
fn proposers_text(proposers: &BTreeMap<String, SpanId>) -> String {
    proposers
        .iter()
        .map(|(name, id)| format!("{name} ({id})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `0..6;11..16`.
fn pieces_text(shape: &Shape) -> String {
    shape
        .pieces()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// The counts the first history entry states.
struct Tally {
    agreed: usize,
    pending: usize,
    conflicts: usize,
    rejected: usize,
    relations: RelationTally,
    relations_left_out: usize,
    orphans: usize,
}

fn summary(article: &Article<'_>, adjudicator: &str, tally: &Tally) -> String {
    let Tally {
        agreed,
        pending,
        conflicts,
        rejected,
        relations,
        relations_left_out,
        orphans,
    } = *tally;
    let who: Vec<String> = article
        .by_annotator
        .iter()
        .map(|(name, d)| format!("{name} ({} spans)", d.set().len()))
        .collect();
    let mut out = format!(
        "adjudicated by {adjudicator} from {}: {agreed} spans agreed (accepted), {pending} pending in {conflicts} conflicts",
        who.join(", ")
    );
    if relations.agreed + relations.pending > 0 {
        out.push_str(&format!(
            "; {} relations agreed (accepted), {} pending",
            relations.agreed, relations.pending
        ));
    }
    if rejected > 0 {
        out.push_str(&format!("; {rejected} rejected spans left out"));
    }
    if relations.rejected > 0 {
        out.push_str(&format!(
            "; {} rejected relations left out",
            relations.rejected
        ));
    }
    if orphans > 0 {
        out.push_str(&format!(
            "; {orphans} orphaned spans kept as orphans (they could not be placed on the text)"
        ));
    }
    if relations_left_out > 0 {
        out.push_str(&format!(
            "; {relations_left_out} relations left out (they link rejected spans)"
        ));
    }
    out
}

#[cfg(test)]
mod tests;
