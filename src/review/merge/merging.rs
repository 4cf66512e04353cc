//! Building the merged set: every span id, then every relation id, through the field-by-field
//! rules of [`super::fields`]; theirs' additions that turn out to be ours' are aliased, and a
//! span one side deleted but a kept relation needs is put back, marked.

use std::collections::{BTreeMap, BTreeSet};

use super::fields::{
    Outcome, link_conflict, mark_deleted, mark_rival, merge_relation, merge_span, names,
    same_relation, same_span, shape_conflict,
};
use super::{Ids, MergeConflict, MergeError, Side, Taken};
use crate::model::{AnnotationSet, Relation, SetError, SpanId};
use crate::review::CONFLICT;

/// The merged set as it is built, with what the merge did.
pub(super) struct Merging {
    pub(super) set: AnnotationSet,
    pub(super) conflicts: Vec<MergeConflict>,
    pub(super) taken: Taken,
    /// Theirs' spans that turned out to be ours' (added on both with the same range and label).
    pub(super) aliases: BTreeMap<SpanId, SpanId>,
    pub(super) ids: Ids,
}

impl Merging {
    pub(super) fn spans(
        &mut self,
        old: &Side,
        mine: &Side,
        other: &Side,
    ) -> Result<(), MergeError> {
        let all: BTreeSet<&SpanId> = old
            .spans
            .keys()
            .chain(mine.spans.keys())
            .chain(other.spans.keys())
            .collect();
        let mut theirs_added = Vec::new();
        for id in all {
            let (b, o, t) = (old.spans.get(id), mine.spans.get(id), other.spans.get(id));
            let (our_name, their_name) = names(mine.who_changed(id), other.who_changed(id));
            let outcome = merge_span(b, o, t, &our_name, &their_name);
            self.count(b, o, t, same_span);
            match outcome {
                Outcome::Drop => {}
                Outcome::Keep(span) => {
                    if let Some(kind) = span.attrs.get(CONFLICT) {
                        self.conflicts.push(MergeConflict {
                            id: span.id.clone(),
                            rival: None,
                            kind: kind.clone(),
                            relation: false,
                        });
                    }
                    if o.is_none() && b.is_none() {
                        // Theirs alone added it: it may be a span ours added under another id.
                        theirs_added.push(span);
                    } else {
                        self.set.insert(span)?;
                    }
                }
                Outcome::Both(mut ours, mut theirs) => {
                    theirs.id = self.ids.span();
                    let kind = shape_conflict(&ours, &theirs);
                    mark_rival(
                        &mut ours.status,
                        &mut ours.attrs,
                        &kind,
                        &our_name,
                        &theirs.id,
                    );
                    mark_rival(
                        &mut theirs.status,
                        &mut theirs.attrs,
                        &kind,
                        &their_name,
                        &ours.id,
                    );
                    self.conflicts.push(MergeConflict {
                        id: ours.id.clone(),
                        rival: Some(theirs.id.clone()),
                        kind,
                        relation: false,
                    });
                    self.set.insert(ours)?;
                    theirs_added.push(theirs);
                }
            }
        }
        for span in theirs_added {
            match self.set.insert(span) {
                Ok(()) => {}
                Err(SetError::DuplicateSpan { id, other, .. }) => {
                    self.aliases.insert(id, other);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Counts what theirs did: added, changed (differs from base and from ours), deleted.
    fn count<T>(&mut self, b: Option<&T>, o: Option<&T>, t: Option<&T>, same: fn(&T, &T) -> bool) {
        match (b, o, t) {
            (None, None, Some(_)) => self.taken.added += 1,
            (Some(_), Some(_), None) => self.taken.deleted += 1,
            (Some(b), Some(o), Some(t)) if !same(b, t) && !same(o, t) => self.taken.changed += 1,
            _ => {}
        }
    }

    pub(super) fn relations(
        &mut self,
        old: &Side,
        mine: &Side,
        other: &Side,
    ) -> Result<(), MergeError> {
        let alias = |r: &Relation| {
            let mut r = r.clone();
            for end in [&mut r.from, &mut r.to] {
                if let Some(to) = self.aliases.get(end) {
                    *end = to.clone();
                }
            }
            r
        };
        let theirs: BTreeMap<SpanId, Relation> = other
            .relations
            .iter()
            .map(|(id, r)| (id.clone(), alias(r)))
            .collect();
        let all: BTreeSet<&SpanId> = old
            .relations
            .keys()
            .chain(mine.relations.keys())
            .chain(theirs.keys())
            .collect();
        let mut kept = Vec::new();
        for id in all {
            let (b, o, t) = (
                old.relations.get(id),
                mine.relations.get(id),
                theirs.get(id),
            );
            let (our_name, their_name) = names(mine.who_changed(id), other.who_changed(id));
            self.count(b, o, t, same_relation);
            match merge_relation(b, o, t, &our_name, &their_name) {
                Outcome::Drop => {}
                Outcome::Keep(r) => {
                    if let Some(kind) = r.attrs.get(CONFLICT) {
                        self.conflicts.push(MergeConflict {
                            id: r.id.clone(),
                            rival: None,
                            kind: kind.clone(),
                            relation: true,
                        });
                    }
                    let keeper = if o.is_some() { mine } else { other };
                    kept.push((r, keeper, o.is_some()));
                }
                Outcome::Both(mut ours, mut theirs_r) => {
                    theirs_r.id = self.ids.relation();
                    let kind = link_conflict(&ours, &theirs_r);
                    mark_rival(
                        &mut ours.status,
                        &mut ours.attrs,
                        &kind,
                        &our_name,
                        &theirs_r.id,
                    );
                    mark_rival(
                        &mut theirs_r.status,
                        &mut theirs_r.attrs,
                        &kind,
                        &their_name,
                        &ours.id,
                    );
                    self.conflicts.push(MergeConflict {
                        id: ours.id.clone(),
                        rival: Some(theirs_r.id.clone()),
                        kind,
                        relation: true,
                    });
                    kept.push((ours, mine, true));
                    kept.push((theirs_r, other, false));
                }
            }
        }
        for (r, keeper, ours_kept) in kept {
            for end in [&r.from, &r.to] {
                self.restore(end, &r.id, keeper, if ours_kept { other } else { mine })?;
            }
            self.set.insert_relation(r)?;
        }
        Ok(())
    }

    /// Puts back span `id`, deleted by `deleter` but linked by `relation`, which `keeper` keeps.
    fn restore(
        &mut self,
        id: &SpanId,
        relation: &SpanId,
        keeper: &Side,
        deleter: &Side,
    ) -> Result<(), MergeError> {
        if self.set.get(id).is_some() {
            return Ok(());
        }
        let Some(span) = keeper.spans.get(id) else {
            return Ok(());
        };
        let mut span = span.clone();
        let (kept_by, deleted_by) = names(keeper.who_changed(relation), deleter.who_changed(id));
        mark_deleted(&mut span.status, &mut span.attrs, &kept_by, &deleted_by);
        self.conflicts.push(MergeConflict {
            id: id.clone(),
            rival: None,
            kind: "deleted".into(),
            relation: false,
        });
        self.set.insert(span)?;
        Ok(())
    }
}
