//! Carrying over what is not a span of the set: relations (onto the gold spans they link), the
//! annotators' orphans (spans re-anchoring could not place), and the label schemas.

use std::collections::BTreeMap;

use super::{AGREED_BY, CONFLICT, OURS, PROPOSED_BY};
use crate::model::audit::entries_for;
use crate::model::{
    AnnotationSet, AuditEntry, Edit, Label, Orphan, Orphans, Relation, Schema, SpanId, Status,
    Timestamp,
};
use crate::review::Article;

/// What a gold span or orphan was in an annotator's file: (annotator, their id) → gold id.
pub(super) type GoldIds<'a> = BTreeMap<(&'a str, &'a SpanId), SpanId>;

/// Carries the annotators' relations onto the gold spans. Returns (carried, left out).
pub(super) fn carry_relations(
    article: &Article<'_>,
    gold_of: &GoldIds<'_>,
    set: &mut AnnotationSet,
    audit: &mut Vec<AuditEntry>,
    adjudicator: &str,
    at: Timestamp,
) -> (usize, usize) {
    // (kind, gold from, gold to) → each annotator's relation.
    type Proposals<'r> = Vec<(&'r str, &'r Relation)>;
    let mut merged: BTreeMap<(Label, SpanId, SpanId), Proposals<'_>> = BTreeMap::new();
    let mut left_out = 0;
    for (name, doc) in &article.by_annotator {
        for r in doc.set().relations() {
            let from = gold_of.get(&(name.as_str(), &r.from));
            let to = gold_of.get(&(name.as_str(), &r.to));
            match from.zip(to) {
                Some((f, t)) => merged
                    .entry((r.kind.clone(), f.clone(), t.clone()))
                    .or_default()
                    .push((name.as_str(), r)),
                None => left_out += 1,
            }
        }
    }
    let everyone = article.by_annotator.len();
    let mut carried = 0;
    for (n, ((kind, from, to), proposals)) in merged.into_iter().enumerate() {
        let Ok(id) = SpanId::new(format!("r{}", n + 1)) else {
            continue;
        };
        let who: Vec<&str> = proposals.iter().map(|(name, _)| *name).collect();
        let mut attrs = BTreeMap::new();
        for (_, r) in proposals.iter().rev() {
            attrs.extend(r.attrs.clone());
        }
        for key in OURS {
            attrs.remove(key);
        }
        let agreed = everyone >= 2 && proposals.len() == everyone;
        attrs.insert(
            if agreed { AGREED_BY } else { PROPOSED_BY }.to_string(),
            who.join(","),
        );
        let first = proposals[0].1;
        let relation = Relation {
            id,
            kind,
            from,
            to,
            author: first.author.clone(),
            created: proposals.iter().map(|(_, r)| r.created).min().unwrap_or(at),
            status: crate::model::Status::Pending,
            note: first.note.clone(),
            attrs,
        };
        let sources: Vec<String> = proposals
            .iter()
            .map(|(name, r)| format!("{name} ({})", r.id))
            .collect();
        let detail = format!(
            "{} {}",
            if agreed { "agreed by" } else { "proposed by" },
            sources.join(", ")
        );
        let mut entries = entries_for(
            &Edit::AddRelation(relation.clone()),
            set.text(),
            adjudicator,
            at,
        );
        if set.insert_relation(relation).is_ok() {
            for entry in &mut entries {
                entry.detail = Some(detail.clone());
            }
            audit.extend(entries);
            carried += 1;
        }
    }
    (carried, left_out)
}

/// The first annotator's schema, with the labels only other annotators' schemas define added
/// (without a hotkey when theirs is taken).
pub(super) fn merged_schema(article: &Article<'_>) -> Schema {
    let mut docs = article.by_annotator.values();
    let mut schema = docs
        .next()
        .map(|d| d.schema.clone())
        .unwrap_or_else(Schema::empty);
    for doc in docs {
        for def in doc.schema.labels() {
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
    }
    schema
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
            kept.attrs.insert(PROPOSED_BY.into(), name.clone());
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
