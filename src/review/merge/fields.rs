//! The three-way merge of one span or relation, field by field (see [`super`] for the rules):
//! each field agreed or in conflict, the outcome (kept, dropped, two rival readings), and the
//! markers a conflict is written with.

use std::collections::{BTreeMap, BTreeSet};

use super::{DELETED_BY, OUR_STATUS, THEIR_ATTR, THEIR_NOTE, THEIR_STATUS};
use crate::model::{CharRange, Label, Relation, Span, SpanId, Status};
use crate::review::{CONFLICT, CONFLICT_WITH, PROPOSED_BY};

/// The three-way outcome of one field.
pub(super) enum Pick<T> {
    Agreed(T),
    Conflict { ours: T, theirs: T },
}

pub(super) fn pick<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Pick<T> {
    if ours == theirs || base == Some(theirs) {
        Pick::Agreed(ours.clone())
    } else if base == Some(ours) {
        Pick::Agreed(theirs.clone())
    } else {
        Pick::Conflict {
            ours: ours.clone(),
            theirs: theirs.clone(),
        }
    }
}

/// Attributes merged key by key: the merged map and theirs' value of each key in conflict.
pub(super) fn pick_attrs(
    base: Option<&BTreeMap<String, String>>,
    ours: &BTreeMap<String, String>,
    theirs: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, BTreeMap<String, Option<String>>) {
    let keys: BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
    let mut merged = BTreeMap::new();
    let mut conflicts = BTreeMap::new();
    for key in keys {
        let b = base.map(|b| b.get(key).cloned());
        let (o, t) = (ours.get(key).cloned(), theirs.get(key).cloned());
        let value = match pick(b.as_ref(), &o, &t) {
            Pick::Agreed(v) => v,
            Pick::Conflict { ours, theirs } => {
                conflicts.insert(key.clone(), theirs);
                ours
            }
        };
        if let Some(v) = value {
            merged.insert(key.clone(), v);
        }
    }
    (merged, conflicts)
}

/// A span's content: what the merge compares (not when it was modified).
pub(super) fn same_span(a: &Span, b: &Span) -> bool {
    a.label == b.label
        && a.range == b.range
        && a.fragments == b.fragments
        && a.status == b.status
        && a.note == b.note
        && a.attrs == b.attrs
}

pub(super) fn same_relation(a: &Relation, b: &Relation) -> bool {
    a.kind == b.kind
        && a.from == b.from
        && a.to == b.to
        && a.status == b.status
        && a.note == b.note
        && a.attrs == b.attrs
}

/// The names the two sides' readings are proposed by.
pub(super) fn names(ours: String, theirs: String) -> (String, String) {
    if ours == theirs {
        (format!("{ours} (ours)"), format!("{theirs} (theirs)"))
    } else {
        (ours, theirs)
    }
}

/// What the merge of one span or relation gives.
pub(super) enum Outcome<T> {
    Keep(T),
    Drop,
    /// Both readings kept: ours (keeping its id) and theirs (given a new id).
    Both(T, T),
}

/// The fields of a span or relation besides its shape, merged three ways.
pub(super) struct Extras {
    status: Status,
    note: Option<String>,
    attrs: BTreeMap<String, String>,
    /// What conflicted: `status`, `note`, `attrs`.
    conflicts: Vec<&'static str>,
    their_status: Status,
    our_status: Status,
    their_note: Option<String>,
    their_attrs: BTreeMap<String, Option<String>>,
}

pub(super) type Fields<'a> = (Status, &'a Option<String>, &'a BTreeMap<String, String>);

pub(super) fn extras(base: Option<Fields<'_>>, ours: Fields<'_>, theirs: Fields<'_>) -> Extras {
    let mut conflicts = Vec::new();
    let status = match pick(base.map(|b| b.0).as_ref(), &ours.0, &theirs.0) {
        Pick::Agreed(s) => s,
        Pick::Conflict { ours, .. } => {
            conflicts.push("status");
            ours
        }
    };
    let note = match pick(base.map(|b| b.1), ours.1, theirs.1) {
        Pick::Agreed(n) => n,
        Pick::Conflict { ours, .. } => {
            conflicts.push("note");
            ours
        }
    };
    let (attrs, their_attrs) = pick_attrs(base.map(|b| b.2), ours.2, theirs.2);
    if !their_attrs.is_empty() {
        conflicts.push("attrs");
    }
    Extras {
        status,
        note,
        attrs,
        conflicts,
        their_status: theirs.0,
        our_status: ours.0,
        their_note: theirs.1.clone(),
        their_attrs,
    }
}

impl Extras {
    /// Marks a reading kept once for the conflicts in its extra fields (when there are any).
    pub(super) fn mark(
        &self,
        status: &mut Status,
        attrs: &mut BTreeMap<String, String>,
        proposed_by: &str,
    ) -> Option<String> {
        if self.conflicts.is_empty() {
            return None;
        }
        if self.conflicts.contains(&"status") {
            attrs.insert(OUR_STATUS.into(), self.our_status.as_str().into());
            attrs.insert(THEIR_STATUS.into(), self.their_status.as_str().into());
        }
        if self.conflicts.contains(&"note") {
            attrs.insert(
                THEIR_NOTE.into(),
                self.their_note.clone().unwrap_or_default(),
            );
        }
        for (key, value) in &self.their_attrs {
            attrs.insert(
                format!("{THEIR_ATTR}{key}"),
                value.clone().unwrap_or_default(),
            );
        }
        let kind = self.conflicts.join("+");
        attrs.insert(CONFLICT.into(), kind.clone());
        attrs.insert(PROPOSED_BY.into(), proposed_by.into());
        *status = Status::Pending;
        Some(kind)
    }
}

/// Marks a reading kept with a rival.
pub(super) fn mark_rival(
    status: &mut Status,
    attrs: &mut BTreeMap<String, String>,
    kind: &str,
    by: &str,
    rival: &SpanId,
) {
    *status = Status::Pending;
    attrs.insert(CONFLICT.into(), kind.into());
    attrs.insert(PROPOSED_BY.into(), by.into());
    attrs.insert(CONFLICT_WITH.into(), rival.to_string());
}

/// Marks the reading one side changed and the other deleted.
pub(super) fn mark_deleted(
    status: &mut Status,
    attrs: &mut BTreeMap<String, String>,
    kept_by: &str,
    deleted_by: &str,
) {
    *status = Status::Pending;
    attrs.insert(CONFLICT.into(), "deleted".into());
    attrs.insert(PROPOSED_BY.into(), kept_by.into());
    attrs.insert(DELETED_BY.into(), deleted_by.into());
}

/// `label`, `boundary` or `label+boundary`: how two readings of a span differ.
pub(super) fn shape_conflict(a: &Span, b: &Span) -> String {
    let label = a.label != b.label;
    let boundary = a.range != b.range || a.fragments != b.fragments;
    match (label, boundary) {
        (true, true) => "label+boundary",
        (true, false) => "label",
        _ => "boundary",
    }
    .to_string()
}

/// `kind`, `direction`, `ends` (and `kind+…`): how two readings of a relation differ.
pub(super) fn link_conflict(a: &Relation, b: &Relation) -> String {
    let kind = a.kind != b.kind;
    let ends = if (a.from.clone(), a.to.clone()) == (b.from.clone(), b.to.clone()) {
        None
    } else if a.from == b.to && a.to == b.from {
        Some("direction")
    } else {
        Some("ends")
    };
    match (kind, ends) {
        (true, Some(e)) => format!("kind+{e}"),
        (true, None) => "kind".into(),
        (false, Some(e)) => e.into(),
        (false, None) => "kind".into(),
    }
}

pub(super) fn merge_span(
    b: Option<&Span>,
    o: Option<&Span>,
    t: Option<&Span>,
    our_name: &str,
    their_name: &str,
) -> Outcome<Span> {
    match (b, o, t) {
        (_, None, None) => Outcome::Drop,
        (None, Some(s), None) | (None, None, Some(s)) => Outcome::Keep(s.clone()),
        (Some(b), Some(s), None) | (Some(b), None, Some(s)) => {
            if same_span(b, s) {
                Outcome::Drop
            } else {
                let mut s = s.clone();
                let (kept_by, deleted_by) = if o.is_some() {
                    (our_name, their_name)
                } else {
                    (their_name, our_name)
                };
                mark_deleted(&mut s.status, &mut s.attrs, kept_by, deleted_by);
                Outcome::Keep(s)
            }
        }
        (b, Some(o), Some(t)) => {
            if same_span(o, t) {
                return Outcome::Keep(o.clone());
            }
            let label = pick(b.map(|b| &b.label), &o.label, &t.label);
            let shape = pick(
                b.map(|b| (b.range, b.fragments.clone())).as_ref(),
                &(o.range, o.fragments.clone()),
                &(t.range, t.fragments.clone()),
            );
            let extra = extras(
                b.map(|b| (b.status, &b.note, &b.attrs)),
                (o.status, &o.note, &o.attrs),
                (t.status, &t.note, &t.attrs),
            );
            let modified = o.modified.max(t.modified);
            let reading = |from: &Span, label: Label, shape: (CharRange, Vec<CharRange>)| Span {
                label,
                range: shape.0,
                fragments: shape.1,
                status: extra.status,
                note: extra.note.clone(),
                attrs: extra.attrs.clone(),
                modified,
                ..from.clone()
            };
            match (label, shape) {
                (Pick::Agreed(label), Pick::Agreed(shape)) => {
                    let mut span = reading(o, label, shape);
                    // Both sides keep the span: taking either side's reading keeps it.
                    let both = format!("{our_name},{their_name}");
                    extra.mark(&mut span.status, &mut span.attrs, &both);
                    Outcome::Keep(span)
                }
                // Two readings of the words: each as its side left it.
                _ => Outcome::Both(o.clone(), t.clone()),
            }
        }
    }
}

pub(super) fn merge_relation(
    b: Option<&Relation>,
    o: Option<&Relation>,
    t: Option<&Relation>,
    our_name: &str,
    their_name: &str,
) -> Outcome<Relation> {
    match (b, o, t) {
        (_, None, None) => Outcome::Drop,
        (None, Some(r), None) | (None, None, Some(r)) => Outcome::Keep(r.clone()),
        (Some(b), Some(r), None) | (Some(b), None, Some(r)) => {
            if same_relation(b, r) {
                Outcome::Drop
            } else {
                let mut r = r.clone();
                let (kept_by, deleted_by) = if o.is_some() {
                    (our_name, their_name)
                } else {
                    (their_name, our_name)
                };
                mark_deleted(&mut r.status, &mut r.attrs, kept_by, deleted_by);
                Outcome::Keep(r)
            }
        }
        (b, Some(o), Some(t)) => {
            if same_relation(o, t) {
                return Outcome::Keep(o.clone());
            }
            let kind = pick(b.map(|b| &b.kind), &o.kind, &t.kind);
            let ends = pick(
                b.map(|b| (b.from.clone(), b.to.clone())).as_ref(),
                &(o.from.clone(), o.to.clone()),
                &(t.from.clone(), t.to.clone()),
            );
            let extra = extras(
                b.map(|b| (b.status, &b.note, &b.attrs)),
                (o.status, &o.note, &o.attrs),
                (t.status, &t.note, &t.attrs),
            );
            let reading = |from: &Relation, kind: Label, ends: (SpanId, SpanId)| Relation {
                kind,
                from: ends.0,
                to: ends.1,
                status: extra.status,
                note: extra.note.clone(),
                attrs: extra.attrs.clone(),
                ..from.clone()
            };
            match (kind, ends) {
                (Pick::Agreed(kind), Pick::Agreed(ends)) => {
                    let mut r = reading(o, kind, ends);
                    let both = format!("{our_name},{their_name}");
                    extra.mark(&mut r.status, &mut r.attrs, &both);
                    Outcome::Keep(r)
                }
                _ => Outcome::Both(o.clone(), t.clone()),
            }
        }
    }
}
