//! The conflicts of a gold file, and what resolving one changes.
//!
//! A **conflict** is a group of gold spans marked with the [`CONFLICT`] attribute and linked by
//! [`CONFLICT_WITH`] (rival readings of the same words); each span names who proposed it in
//! [`PROPOSED_BY`]. The annotators A, B, C, D are the names found in `proposed_by` and
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

/// One conflict: rival gold spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The spans, in text order.
    pub spans: Vec<SpanId>,
    /// The kind of difference (`label`, `boundary`, `missing`, …).
    pub kind: String,
    /// From the first start to the last end.
    pub range: CharRange,
}

/// The conflicts of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conflicts {
    /// Who proposed or agreed on spans, in name order: annotator A, B, …
    pub annotators: Vec<String>,
    /// In text order.
    pub groups: Vec<Conflict>,
}

/// The names in a `proposed_by` / `agreed_by` attribute.
pub fn names(span: &Span, key: &str) -> Vec<String> {
    span.attrs
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
        let mut annotators = BTreeSet::new();
        let mut members: Vec<&Span> = Vec::new();
        for span in doc.set().spans() {
            annotators.extend(names(span, PROPOSED_BY));
            annotators.extend(names(span, AGREED_BY));
            if span.attrs.contains_key(CONFLICT) {
                members.push(span);
            }
        }
        let index: BTreeMap<&SpanId, usize> = members
            .iter()
            .enumerate()
            .map(|(i, s)| (&s.id, i))
            .collect();
        let mut linked = Groups::new(members.len());
        for (i, span) in members.iter().enumerate() {
            for rival in names(span, CONFLICT_WITH) {
                let Ok(rival) = SpanId::new(rival) else {
                    continue;
                };
                if let Some(&j) = index.get(&rival) {
                    linked.join(i, j);
                }
            }
        }
        // Members are in text order, so each group starts with its first span.
        let groups = linked
            .into_groups()
            .into_iter()
            .map(|idx| {
                let spans: Vec<&Span> = idx.iter().map(|&i| members[i]).collect();
                let start = spans.iter().map(|s| s.range.start().0).min().unwrap_or(0);
                let end = spans.iter().map(|s| s.range.end().0).max().unwrap_or(start);
                Conflict {
                    kind: spans
                        .first()
                        .and_then(|s| s.attrs.get(CONFLICT))
                        .cloned()
                        .unwrap_or_default(),
                    range: CharRange::new(start, end).unwrap_or_else(|| {
                        CharRange::between(Default::default(), Default::default())
                    }),
                    spans: spans.iter().map(|s| s.id.clone()).collect(),
                }
            })
            .collect();
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
                .filter_map(|id| doc.set().get(id))
                .all(|s| s.status != Status::Pending)
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
    pub fn keeps(&self, span: &Span) -> bool {
        match self {
            Choice::Annotator(name) => names(span, PROPOSED_BY).contains(name),
            Choice::All => true,
            Choice::Neither => false,
            Choice::Only(id) => &span.id == id,
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
        let Some(span) = doc.set().get(id) else {
            continue;
        };
        let want = if choice.keeps(span) {
            Status::Accepted
        } else {
            Status::Rejected
        };
        if span.status != want
            && let Ok(edit) = Edit::set_status(doc.set(), id, want, at)
        {
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
