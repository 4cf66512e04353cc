//! The conflicts of a gold file, and what resolving one changes.
//!
//! A **conflict** is a group of gold spans marked with the [`CONFLICT`] attribute and linked by
//! [`CONFLICT_WITH`] (rival readings of the same words); each span names who proposed it in
//! [`PROPOSED_BY`]. Relations are marked the same way, and their conflicts (another kind, the
//! other direction, one annotator's alone) are conflicts too, after the spans they link. The annotators A, B, C, D are the names found in `proposed_by` and
//! `agreed_by`, in name order (as [`super::adjudicate()`] orders them). A conflict is resolved
//! when none of its spans is pending; a resolution sets the status of each of its spans (one
//! [`Edit::Group`]), and the attributes stay, so the file keeps saying where each span came from.
//!
//! A relation goes with its spans: a resolution that rejects a span rejects the pending
//! relations that link it, and one that accepts the last pending end of a relation every
//! annotator made (marked `end`: it waited only for its spans) accepts it, in the same edit.
//! Other relation conflicts (a different kind, direction, or one annotator's alone) stay
//! pending for the adjudicator to decide, like a reviewer, with a and r.

use std::collections::{BTreeMap, BTreeSet};

use super::groups::Groups;
use super::{AGREED_BY, CONFLICT, CONFLICT_WITH, PROPOSED_BY};
use crate::model::edit::quote;
use crate::model::{CharRange, Document, Edit, Span, SpanId, Status, Timestamp};

/// One conflict: rival gold spans, or rival gold relations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The readings: spans in text order, or relations (see `relations`).
    pub spans: Vec<SpanId>,
    /// The kind of difference (`label`, `boundary`, `missing`; for relations `kind`,
    /// `direction`, `missing`, `unconfirmed`).
    pub kind: String,
    /// From the first start to the last end (of a relation: of the spans it links).
    pub range: CharRange,
    /// Whether the readings are relations.
    pub relations: bool,
}

/// What adjudication reads of a reading, span or relation: its attributes and its status.
pub fn reading<'a>(
    doc: &'a Document,
    id: &SpanId,
) -> Option<(&'a BTreeMap<String, String>, Status)> {
    let set = doc.set();
    set.get(id)
        .map(|s| (&s.attrs, s.status))
        .or_else(|| set.relation(id).map(|r| (&r.attrs, r.status)))
}

/// The conflicts of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conflicts {
    /// Who proposed or agreed on spans, in name order: annotator A, B, …
    pub annotators: Vec<String>,
    /// In text order.
    pub groups: Vec<Conflict>,
}

/// The names in a `proposed_by` / `agreed_by` attribute of a span.
pub fn names(span: &Span, key: &str) -> Vec<String> {
    names_in(&span.attrs, key)
}

/// The names in a `proposed_by` / `agreed_by` attribute.
pub fn names_in(attrs: &BTreeMap<String, String>, key: &str) -> Vec<String> {
    attrs
        .get(key)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl Conflicts {
    pub fn of(doc: &Document) -> Self {
        let set = doc.set();
        let mut annotators = BTreeSet::new();
        let mut spans: Vec<Member<'_>> = Vec::new();
        for span in set.spans() {
            annotators.extend(names(span, PROPOSED_BY));
            annotators.extend(names(span, AGREED_BY));
            if span.attrs.contains_key(CONFLICT) {
                spans.push((&span.id, &span.attrs, span.range));
            }
        }
        // Relations wait on their spans when marked `end` (resolving the span settles them);
        // the others are conflicts of their own.
        let mut relations: Vec<Member<'_>> = Vec::new();
        for r in set.relations() {
            let (Some(a), Some(b)) = (set.get(&r.from), set.get(&r.to)) else {
                continue;
            };
            if r.attrs.get(CONFLICT).is_some_and(|c| c != "end") {
                let start = a.range.start().min(b.range.start());
                let end = a.range.end().max(b.range.end());
                relations.push((&r.id, &r.attrs, CharRange::between(start, end)));
            }
        }
        relations.sort_by_key(|(id, _, range)| (range.start(), range.end(), *id));
        let mut groups = grouped(&spans, false);
        groups.extend(grouped(&relations, true));
        groups.sort_by_key(|g| (g.range.start(), g.relations));
        Self {
            annotators: annotators.into_iter().collect(),
            groups,
        }
    }

    /// Whether none of conflict `i`'s spans is pending.
    pub fn is_resolved(&self, i: usize, doc: &Document) -> bool {
        self.groups.get(i).is_some_and(|g| {
            g.spans
                .iter()
                .filter_map(|id| reading(doc, id))
                .all(|(_, status)| status != Status::Pending)
        })
    }

    pub fn resolved(&self, doc: &Document) -> usize {
        (0..self.groups.len())
            .filter(|&i| self.is_resolved(i, doc))
            .count()
    }

    /// Whether some conflict is unresolved.
    pub fn any_unresolved(&self, doc: &Document) -> bool {
        self.next_unresolved(doc, None, true).is_some()
    }

    /// The conflict span `id` belongs to.
    pub fn group_of(&self, id: &SpanId) -> Option<usize> {
        self.groups.iter().position(|g| g.spans.contains(id))
    }

    /// The next (or previous) unresolved conflict after `from`, wrapping; with `from` `None`,
    /// the first (or last) one.
    pub fn next_unresolved(
        &self,
        doc: &Document,
        from: Option<usize>,
        forward: bool,
    ) -> Option<usize> {
        let n = self.groups.len();
        if n == 0 {
            return None;
        }
        (1..=n)
            .map(|k| match (from, forward) {
                (Some(f), true) => (f + k) % n,
                (Some(f), false) => (f + n * k - k) % n,
                (None, true) => k - 1,
                (None, false) => n - k,
            })
            .find(|&i| !self.is_resolved(i, doc))
    }
}

/// A reading that is in a conflict: its id, attributes and range.
type Member<'a> = (&'a SpanId, &'a BTreeMap<String, String>, CharRange);

/// The conflicts of `members` (in text order): readings linked by [`CONFLICT_WITH`].
fn grouped(members: &[Member<'_>], relations: bool) -> Vec<Conflict> {
    let index: BTreeMap<&SpanId, usize> = members
        .iter()
        .enumerate()
        .map(|(i, (id, _, _))| (*id, i))
        .collect();
    let mut linked = Groups::new(members.len());
    for (i, (_, attrs, _)) in members.iter().enumerate() {
        for rival in names_in(attrs, CONFLICT_WITH) {
            let Ok(rival) = SpanId::new(rival) else {
                continue;
            };
            if let Some(&j) = index.get(&rival) {
                linked.join(i, j);
            }
        }
    }
    // Members are in text order, so each group starts with its first reading.
    linked
        .into_groups()
        .into_iter()
        .map(|idx| {
            let group: Vec<&Member<'_>> = idx.iter().map(|&i| &members[i]).collect();
            let start = group.iter().map(|m| m.2.start().0).min().unwrap_or(0);
            let end = group.iter().map(|m| m.2.end().0).max().unwrap_or(start);
            Conflict {
                kind: group
                    .first()
                    .and_then(|m| m.1.get(CONFLICT))
                    .cloned()
                    .unwrap_or_default(),
                range: CharRange::new(start, end)
                    .unwrap_or_else(|| CharRange::between(Default::default(), Default::default())),
                spans: group.iter().map(|m| m.0.clone()).collect(),
                relations,
            }
        })
        .collect()
}

/// What a resolution keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// What this annotator proposed.
    Annotator(String),
    All,
    Neither,
    /// This span only.
    Only(SpanId),
}

impl Choice {
    /// Whether the resolution keeps reading `id` (a span or a relation) with `attrs`.
    pub fn keeps(&self, id: &SpanId, attrs: &BTreeMap<String, String>) -> bool {
        match self {
            Choice::Annotator(name) => names_in(attrs, PROPOSED_BY).contains(name),
            Choice::All => true,
            Choice::Neither => false,
            Choice::Only(only) => id == only,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Choice::Annotator(name) => format!("took {name}'s reading"),
            Choice::All => "kept every reading".into(),
            Choice::Neither => "kept neither reading".into(),
            Choice::Only(id) => format!("kept {id} to edit it"),
        }
    }
}

/// What resolving a conflict changes: one edit setting each span's status, what it is called
/// on the undo list, and the line the file's history gets.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub edit: Edit,
    /// `resolve the conflict at 'Monday': took rita's reading`.
    pub description: String,
    /// `conflict s2,s3 (boundary) resolved: took rita's reading`.
    pub history: String,
}

/// The resolution of `conflict` in `doc` as `choice`, or the place quoted (`'Monday'`) when
/// it is already resolved that way.
pub fn resolution(
    doc: &Document,
    conflict: &Conflict,
    choice: &Choice,
    at: Timestamp,
) -> Result<Resolution, String> {
    let mut edits = Vec::new();
    for id in &conflict.spans {
        let Some((attrs, status)) = reading(doc, id) else {
            continue;
        };
        let want = if choice.keeps(id, attrs) {
            Status::Accepted
        } else {
            Status::Rejected
        };
        if status == want {
            continue;
        }
        let edit = if conflict.relations {
            Edit::set_relation_status(doc.set(), id, want)
        } else {
            Edit::set_status(doc.set(), id, want, at)
        };
        if let Ok(edit) = edit {
            edits.push(edit);
        }
    }
    edits.extend(relations_following(doc, &edits));
    let place = quote(doc.text(), conflict.range);
    if edits.is_empty() {
        return Err(place);
    }
    let ids: Vec<&str> = conflict.spans.iter().map(SpanId::as_str).collect();
    let description = format!("resolve the conflict at {place}: {}", choice.describe());
    Ok(Resolution {
        edit: Edit::Group {
            description: description.clone(),
            edits,
        },
        description,
        history: format!(
            "conflict {} ({}) resolved: {}",
            ids.join(","),
            conflict.kind,
            choice.describe()
        ),
    })
}

/// The changes to relations that follow the span status changes `edits` make (see the module
/// docs): rejected with a rejected end; accepted, when marked `end`, once both ends are.
fn relations_following(doc: &Document, edits: &[Edit]) -> Vec<Edit> {
    let set = doc.set();
    let mut after: BTreeMap<&SpanId, Status> = BTreeMap::new();
    for e in edits {
        if let Edit::SetStatus { id, to, .. } = e {
            after.insert(id, *to);
        }
    }
    let status_of = |id: &SpanId| {
        after
            .get(id)
            .copied()
            .or_else(|| set.get(id).map(|s| s.status))
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for id in after.keys() {
        for r in set.relations_of(id) {
            if r.status != Status::Pending || !seen.insert(&r.id) {
                continue;
            }
            let ends = [status_of(&r.from), status_of(&r.to)];
            let want = if ends.contains(&Some(Status::Rejected)) {
                Status::Rejected
            } else if r.attrs.get(CONFLICT).is_some_and(|c| c == "end")
                && ends.iter().all(|s| *s == Some(Status::Accepted))
            {
                Status::Accepted
            } else {
                continue;
            };
            if let Ok(edit) = Edit::set_relation_status(set, &r.id, want) {
                out.push(edit);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::test_docs::gold;

    fn statuses(d: &Document, c: &Conflict) -> Vec<String> {
        let mut out: Vec<String> = c
            .spans
            .iter()
            .map(|id| {
                let span = d.set().get(id).unwrap();
                format!("{} {}", span.label, span.status)
            })
            .collect();
        out.sort();
        out
    }

    /// The gold span whose text is `text`.
    fn span_with(d: &Document, text: &str) -> SpanId {
        d.set()
            .spans()
            .find(|s| d.set().span_text(s) == text)
            .map(|s| s.id.clone())
            .unwrap()
    }

    #[test]
    fn a_relation_goes_with_its_spans_when_a_conflict_is_resolved() {
        let mut d = gold();
        let (said, lavrov) = (span_with(&d, "said"), span_with(&d, "Lavrov"));
        let (said_on, lied) = (span_with(&d, "said on"), span_with(&d, "lied"));
        let t = Timestamp::from_unix(1);
        // An agreed relation that waited for its end "said", and one rita alone made.
        let mut waiting = crate::model::Relation::new(
            SpanId::new("r8").unwrap(),
            crate::model::Label::new("agent").unwrap(),
            said.clone(),
            lavrov.clone(),
            "omar",
            t,
        );
        waiting.attrs.insert(CONFLICT.into(), "end".into());
        let mut alone = waiting.clone();
        alone.id = SpanId::new("r9").unwrap();
        alone.from = said_on.clone();
        alone.attrs.insert(CONFLICT.into(), "missing".into());
        let mut lied_rel = alone.clone();
        lied_rel.id = SpanId::new("r10").unwrap();
        lied_rel.from = lied.clone();
        for r in [waiting, alone, lied_rel] {
            d.apply(&Edit::AddRelation(r), "judge", t).unwrap();
        }
        let c = Conflicts::of(&d);
        let boundary = c.group_of(&said).unwrap();
        let status =
            |d: &Document, id: &str| d.set().relation(&SpanId::new(id).unwrap()).unwrap().status;
        // Omar's reading: "said" accepted, so r8 (waiting only for it) is accepted; "said on"
        // rejected takes r9 with it.
        let r = resolution(
            &d,
            &c.groups[boundary],
            &Choice::Annotator("omar".into()),
            t,
        )
        .unwrap();
        d.apply(&r.edit, "judge", t).unwrap();
        assert_eq!(status(&d, "r8"), Status::Accepted);
        assert_eq!(status(&d, "r9"), Status::Rejected);
        // Keeping "lied" leaves rita's lone relation from it pending for the adjudicator.
        let lone = c.group_of(&lied).unwrap();
        let r = resolution(&d, &c.groups[lone], &Choice::All, t).unwrap();
        d.apply(&r.edit, "judge", t).unwrap();
        assert_eq!(status(&d, "r10"), Status::Pending);
    }

    #[test]
    fn rival_relations_are_a_conflict_resolved_by_taking_an_annotators_reading() {
        use crate::review::test_docs::doc;
        let text = "[Lavrov]{actor} [said]{action} on [Monday]{date}";
        let t = Timestamp::from_unix(0);
        let mut docs = Vec::new();
        for (who, kind) in [("omar", "agent"), ("rita", "target")] {
            let mut d = doc(who, text);
            let r = crate::model::Relation::new(
                SpanId::new("r1").unwrap(),
                crate::model::Label::new(kind).unwrap(),
                SpanId::numbered(2),
                SpanId::numbered(1),
                who,
                t,
            );
            d.apply(&Edit::AddRelation(r), who, t).unwrap();
            docs.push(d);
        }
        let refs: Vec<&Document> = docs.iter().collect();
        let mut gold = crate::review::adjudicate::adjudicate_documents(&refs, "judge", t)
            .unwrap()
            .gold;
        let c = Conflicts::of(&gold);
        // The spans agree; the two relations are one conflict, of kind.
        assert_eq!(c.groups.len(), 1, "{c:?}");
        let g = &c.groups[0];
        assert!(g.relations);
        assert_eq!((g.kind.as_str(), g.spans.len()), ("kind", 2));
        assert_eq!(gold.set().text().slice(g.range), Some("Lavrov said"));
        let r = resolution(&gold, g, &Choice::Annotator("rita".into()), t).unwrap();
        gold.apply(&r.edit, "judge", t).unwrap();
        let kinds: Vec<(String, Status)> = gold
            .set()
            .relations()
            .map(|r| (r.kind.to_string(), r.status))
            .collect();
        assert_eq!(
            kinds,
            [
                ("agent".to_string(), Status::Rejected),
                ("target".to_string(), Status::Accepted)
            ]
        );
        assert!(c.is_resolved(0, &gold));
    }

    #[test]
    fn conflicts_are_grouped_by_their_rivals() {
        let d = gold();
        let c = Conflicts::of(&d);
        assert_eq!(c.annotators, ["omar", "rita"]);
        let kinds: Vec<(&str, usize)> = c
            .groups
            .iter()
            .map(|g| (g.kind.as_str(), g.spans.len()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("boundary", 2),
                ("label", 2),
                ("missing", 1),
                ("missing", 1)
            ]
        );
        assert_eq!(c.resolved(&d), 0);
        assert!(c.any_unresolved(&d));
        assert_eq!(c.next_unresolved(&d, None, true), Some(0));
        assert_eq!(c.next_unresolved(&d, Some(3), true), Some(0));
        assert_eq!(c.next_unresolved(&d, Some(0), false), Some(3));
    }

    #[test]
    fn a_resolution_sets_every_status_in_one_edit_and_names_the_choice() {
        let mut d = gold();
        let c = Conflicts::of(&d);
        let r = resolution(
            &d,
            &c.groups[1],
            &Choice::Annotator("rita".into()),
            Timestamp::from_unix(1),
        )
        .unwrap();
        assert_eq!(
            r.description,
            "resolve the conflict at 'Monday': took rita's reading"
        );
        assert!(r.history.ends_with("(label) resolved: took rita's reading"));
        d.apply(&r.edit, "judge", Timestamp::from_unix(1)).unwrap();
        assert_eq!(
            statuses(&d, &c.groups[1]),
            ["claim accepted", "date rejected"]
        );
        assert!(c.is_resolved(1, &d));
        // The same choice again changes nothing and says where.
        let again = resolution(
            &d,
            &c.groups[1],
            &Choice::Annotator("rita".into()),
            Timestamp::from_unix(2),
        );
        assert_eq!(again, Err("'Monday'".to_string()));
        // Taking the annotator who did not mark a missing span rejects it; neither rejects all.
        let r = resolution(
            &d,
            &c.groups[3],
            &Choice::Annotator("omar".into()),
            Timestamp::from_unix(3),
        )
        .unwrap();
        d.apply(&r.edit, "judge", Timestamp::from_unix(3)).unwrap();
        assert_eq!(statuses(&d, &c.groups[3]), ["action rejected"]);
        let r = resolution(&d, &c.groups[0], &Choice::All, Timestamp::from_unix(4)).unwrap();
        d.apply(&r.edit, "judge", Timestamp::from_unix(4)).unwrap();
        assert_eq!(
            statuses(&d, &c.groups[0]),
            ["action accepted", "action accepted"]
        );
    }
}
