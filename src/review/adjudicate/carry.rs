//! Carrying over what is not a span of the set: relations (onto the gold spans they link, agreed
//! or marked as conflicts like the spans), the annotators' orphans (spans re-anchoring could not
//! place), and the schemas (labels and relation kinds).

use std::collections::{BTreeMap, BTreeSet};

use super::{AGREED_BY, CONFLICT, CONFLICT_WITH, OURS, PROPOSED_BY};
use crate::model::audit::entries_for;
use crate::model::{
    AnnotationSet, AuditEntry, Edit, Label, Orphan, Orphans, Relation, RelationKind, Schema,
    SpanId, Status, Timestamp,
};
use crate::review::Article;

/// What a gold span or orphan was in an annotator's file: (annotator, their id) → gold id.
pub(super) type GoldIds<'a> = BTreeMap<(&'a str, &'a SpanId), SpanId>;

/// What became of the annotators' relations.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct RelationTally {
    /// Gold relations every annotator made between agreed spans: accepted.
    pub agreed: usize,
    /// Gold relations left pending, marked as conflicts.
    pub pending: usize,
    /// Relations an annotator (or a reviewer) rejected: left out, like rejected spans.
    pub rejected: usize,
    /// Relations that link a rejected span, so have no gold span to link: left out.
    pub dangling: usize,
}

/// One gold relation in the making: the annotators' relations it merges, in name order.
struct Merged<'r> {
    id: SpanId,
    kind: Label,
    from: SpanId,
    to: SpanId,
    proposals: Vec<(&'r str, &'r Relation)>,
}

impl Merged<'_> {
    /// Who made it, each name once (`omar,rita`).
    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.proposals.iter().map(|(name, _)| *name).collect();
        names.dedup();
        names
    }

    /// The two gold spans it links, in id order (direction aside).
    fn ends(&self) -> (&SpanId, &SpanId) {
        ordered(&self.from, &self.to)
    }
}

/// Carries the annotators' relations onto the gold spans, following the spans' rules: a
/// relation every annotator made (two or more) between two accepted gold spans is accepted,
/// with [`AGREED_BY`]; every other is pending, with [`PROPOSED_BY`], [`CONFLICT`] and, when it
/// has rivals, [`CONFLICT_WITH`] (see [`conflict_of`]). Rejected relations, and relations that
/// link a rejected span, are left out and counted. The same relation from several annotators
/// becomes one; for a kind any annotator's schema defines as undirected, either way round.
pub(super) fn carry_relations(
    article: &Article<'_>,
    gold_of: &GoldIds<'_>,
    set: &mut AnnotationSet,
    audit: &mut Vec<AuditEntry>,
    adjudicator: &str,
    at: Timestamp,
) -> RelationTally {
    let mut tally = RelationTally::default();
    let merged = merge_relations(article, gold_of, &mut tally);
    let rivals = rivals(&merged);
    let everyone = article.by_annotator.len();
    for (m, rivals) in merged.iter().zip(&rivals) {
        let conflict = conflict_of(m, rivals, &merged, everyone, set);
        let rival_ids: Vec<&str> = rivals.iter().map(|&i| merged[i].id.as_str()).collect();
        let Some((relation, detail)) = gold_relation(m, conflict, &rival_ids, at) else {
            continue;
        };
        let accepted = relation.status == Status::Accepted;
        let mut entries = entries_for(
            &Edit::AddRelation(relation.clone()),
            set.text(),
            adjudicator,
            at,
        );
        // Ids are fresh and both ends are gold spans: the insert cannot fail.
        if set.insert_relation(relation).is_ok() {
            for entry in &mut entries {
                entry.detail = Some(detail.clone());
            }
            audit.extend(entries);
            if accepted {
                tally.agreed += 1;
            } else {
                tally.pending += 1;
            }
        }
    }
    tally
}

/// The gold relation of `m` and the history's detail for it (`agreed by omar (r1), rita (r3)`,
/// or `proposed by omar (r2); conflict: kind, with r5`): the first proposer's relation with the
/// merged provenance, accepted when there is no `conflict`.
fn gold_relation(
    m: &Merged<'_>,
    conflict: Option<&str>,
    rival_ids: &[&str],
    at: Timestamp,
) -> Option<(Relation, String)> {
    let (_, first) = m.proposals.first()?;
    let mut attrs = BTreeMap::new();
    for (_, r) in m.proposals.iter().rev() {
        attrs.extend(r.attrs.clone());
    }
    for key in OURS {
        attrs.remove(key);
    }
    let names = m.names().join(",");
    let sources: Vec<String> = m
        .proposals
        .iter()
        .map(|(name, r)| format!("{name} ({})", r.id))
        .collect();
    let sources = sources.join(", ");
    let (status, detail) = match conflict {
        None => {
            attrs.insert(AGREED_BY.into(), names);
            (Status::Accepted, format!("agreed by {sources}"))
        }
        Some(kind) => {
            attrs.insert(PROPOSED_BY.into(), names);
            attrs.insert(CONFLICT.into(), kind.into());
            let mut detail = format!("proposed by {sources}; conflict: {kind}");
            if !rival_ids.is_empty() {
                attrs.insert(CONFLICT_WITH.into(), rival_ids.join(","));
                detail.push_str(&format!(", with {}", rival_ids.join(", ")));
            }
            (Status::Pending, detail)
        }
    };
    let relation = Relation {
        id: m.id.clone(),
        kind: m.kind.clone(),
        from: m.from.clone(),
        to: m.to.clone(),
        author: first.author.clone(),
        created: m
            .proposals
            .iter()
            .map(|(_, r)| r.created)
            .min()
            .unwrap_or(at),
        status,
        note: first.note.clone(),
        attrs,
    };
    Some((relation, detail))
}

/// The annotators' counted relations on the gold ids, the same relation from several merged,
/// numbered `r1`, `r2`, … in (kind, from, to) order. Counts what is left out in `tally`.
fn merge_relations<'r>(
    article: &'r Article<'_>,
    gold_of: &GoldIds<'_>,
    tally: &mut RelationTally,
) -> Vec<Merged<'r>> {
    let undirected: BTreeSet<&str> = article
        .by_annotator
        .values()
        .flat_map(|d| d.schema.relations())
        .filter(|k| !k.directed)
        .map(|k| k.name.as_str())
        .collect();
    type Proposals<'r> = Vec<(&'r str, &'r Relation)>;
    // (kind, gold from, gold to), the ends in id order for an undirected kind.
    let mut merged: BTreeMap<(Label, SpanId, SpanId), Proposals<'r>> = BTreeMap::new();
    for (name, doc) in &article.by_annotator {
        for r in doc.set().relations() {
            if r.status == Status::Rejected {
                tally.rejected += 1;
                continue;
            }
            let from = gold_of.get(&(name.as_str(), &r.from));
            let to = gold_of.get(&(name.as_str(), &r.to));
            let Some((from, to)) = from.zip(to) else {
                tally.dangling += 1;
                continue;
            };
            let (from, to) = if undirected.contains(r.kind.as_str()) {
                ordered(from, to)
            } else {
                (from, to)
            };
            merged
                .entry((r.kind.clone(), from.clone(), to.clone()))
                .or_default()
                .push((name.as_str(), r));
        }
    }
    merged
        .into_iter()
        .enumerate()
        .filter_map(|(n, ((kind, from, to), proposals))| {
            // The first proposal's direction (the key's order is only for undirected matching).
            let (from, to) = match proposals.first() {
                Some((name, r)) => (
                    gold_of.get(&(*name, &r.from)).cloned().unwrap_or(from),
                    gold_of.get(&(*name, &r.to)).cloned().unwrap_or(to),
                ),
                None => (from, to),
            };
            Some(Merged {
                id: SpanId::new(format!("r{}", n + 1)).ok()?,
                kind,
                from,
                to,
                proposals,
            })
        })
        .collect()
}

/// For each gold relation, its rivals (indices into `merged`): the relations between the same
/// two gold spans (either way round) that differ from it — another kind, or the same directed
/// kind the other way round — where each was made by someone who did not make the other.
fn rivals(merged: &[Merged<'_>]) -> Vec<Vec<usize>> {
    let mut by_ends: BTreeMap<(&SpanId, &SpanId), Vec<usize>> = BTreeMap::new();
    for (i, m) in merged.iter().enumerate() {
        by_ends.entry(m.ends()).or_default().push(i);
    }
    merged
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mine: BTreeSet<&str> = m.names().into_iter().collect();
            by_ends[&m.ends()]
                .iter()
                .copied()
                .filter(|&j| j != i)
                .filter(|&j| {
                    let theirs: BTreeSet<&str> = merged[j].names().into_iter().collect();
                    !mine.is_subset(&theirs) && !theirs.is_subset(&mine)
                })
                .collect()
        })
        .collect()
}

/// Why a gold relation stays pending, or `None` when it is agreed:
/// - `unconfirmed`: the article has a single annotator;
/// - `kind`: a rival links the same two spans with another kind;
/// - `direction`: a rival links them with the same kind, the other way round;
/// - `missing`: not every annotator made it;
/// - `end`: every annotator made it, but a span it links is pending (a conflict itself): the
///   relation is settled with its spans.
fn conflict_of(
    m: &Merged<'_>,
    rivals: &[usize],
    merged: &[Merged<'_>],
    everyone: usize,
    set: &AnnotationSet,
) -> Option<&'static str> {
    if everyone < 2 {
        return Some("unconfirmed");
    }
    if rivals.iter().any(|&j| merged[j].kind != m.kind) {
        return Some("kind");
    }
    if !rivals.is_empty() {
        return Some("direction");
    }
    if m.names().len() < everyone {
        return Some("missing");
    }
    let accepted = |id: &SpanId| set.get(id).is_some_and(|s| s.status == Status::Accepted);
    if !(accepted(&m.from) && accepted(&m.to)) {
        return Some("end");
    }
    None
}

/// Two span ids in id order (`s2` before `s10`: gold ids are numbered in text order).
fn ordered<'i>(a: &'i SpanId, b: &'i SpanId) -> (&'i SpanId, &'i SpanId) {
    if (a.number(), a.as_str()) <= (b.number(), b.as_str()) {
        (a, b)
    } else {
        (b, a)
    }
}

/// The first annotator's schema, with the labels and relation kinds only other annotators'
/// schemas define added after them (without a hotkey when theirs is taken): what any annotator
/// defined stays defined in the gold file.
pub(super) fn merged_schema(article: &Article<'_>) -> Schema {
    let mut docs = article.by_annotator.values();
    let mut schema = docs
        .next()
        .map(|d| d.schema.clone())
        .unwrap_or_else(Schema::empty);
    for doc in docs {
        schema = extended_schema(schema, &doc.schema);
    }
    schema
}

/// `schema` with the labels and relation kinds only `other` defines added after its own
/// (without a hotkey when theirs is taken).
pub(crate) fn extended_schema(mut schema: Schema, other: &Schema) -> Schema {
    for def in other.labels() {
        if schema.contains(&def.name) {
            continue;
        }
        let added = schema.with_label(def.clone()).or_else(|_| {
            let mut quiet = def.clone();
            quiet.hotkey = None;
            schema.with_label(quiet)
        });
        if let Ok(s) = added {
            schema = s;
        }
    }
    for kind in other.relations() {
        if schema.relation_kind(kind.name.as_str()).is_none() {
            schema = with_kind(&schema, kind);
        }
    }
    schema
}

/// `schema` with relation kind `kind` added at the end, without its hotkey when that is taken.
fn with_kind(schema: &Schema, kind: &RelationKind) -> Schema {
    let mut kinds = schema.relations().to_vec();
    kinds.push(kind.clone());
    schema
        .with_relations(kinds.clone())
        .or_else(|_| {
            if let Some(last) = kinds.last_mut() {
                last.hotkey = None;
            }
            schema.with_relations(kinds)
        })
        .unwrap_or_else(|_| schema.clone())
}

/// Carries every annotator's orphans into the gold document, renumbered after the gold spans
/// (`s{next}`, …; the ids reserved in `set`), pending, with [`PROPOSED_BY`] and
/// [`CONFLICT`] = `orphaned`; then the orphans' relations whose ends all have a gold id.
/// Adds the orphans to `gold_of`. Returns the orphans and how many relations were left out.
pub(super) fn carry_orphans<'a>(
    article: &'a Article<'a>,
    gold_of: &mut GoldIds<'a>,
    set: &mut AnnotationSet,
    audit: &mut Vec<AuditEntry>,
    adjudicator: &str,
    at: Timestamp,
) -> (Orphans, usize) {
    let mut out = Orphans::default();
    let mut next = set.next_id().number().unwrap_or(1);
    for (name, doc) in &article.by_annotator {
        for orphan in &doc.orphans.spans {
            let id = SpanId::numbered(next);
            next += 1;
            set.reserve_id(&id);
            let mut kept: Orphan = orphan.clone();
            kept.span.id = id.clone();
            kept.span.status = Status::Pending;
            kept.span.modified = at;
            for key in OURS {
                kept.span.attrs.remove(key);
            }
            kept.span.attrs.insert(PROPOSED_BY.into(), name.clone());
            kept.span.attrs.insert(CONFLICT.into(), "orphaned".into());
            audit.push(AuditEntry::document(
                at,
                adjudicator,
                format!(
                    "orphaned span {} {:?} of {name} ({}) kept as orphan {id}: it could not be placed on the text",
                    orphan.span.label, orphan.quote, orphan.span.id
                ),
            ));
            gold_of.insert((name.as_str(), &orphan.span.id), id);
            out.spans.push(kept);
        }
    }
    let mut left_out = 0;
    let mut n = 1 + set
        .relations()
        .filter_map(|r| r.id.as_str().strip_prefix('r')?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    for (name, doc) in &article.by_annotator {
        for r in &doc.orphans.relations {
            let ends = gold_of
                .get(&(name.as_str(), &r.from))
                .zip(gold_of.get(&(name.as_str(), &r.to)));
            let (Some((from, to)), Ok(id)) = (ends, SpanId::new(format!("r{n}"))) else {
                left_out += 1;
                continue;
            };
            n += 1;
            let mut kept = r.clone();
            kept.id = id;
            kept.from = from.clone();
            kept.to = to.clone();
            // Marked like the orphaned spans it links: pending, to be placed or deleted.
            kept.status = Status::Pending;
            for key in OURS {
                kept.attrs.remove(key);
            }
            kept.attrs.insert(PROPOSED_BY.into(), name.clone());
            kept.attrs.insert(CONFLICT.into(), "orphaned".into());
            audit.push(AuditEntry::document(
                at,
                adjudicator,
                format!(
                    "relation {} of {name} ({}) kept as {} between orphans",
                    r.kind, r.id, kept.id
                ),
            ));
            out.relations.push(kept);
        }
    }
    out.sort();
    (out, left_out)
}
