//! Edits: every change to a document's annotations, as a value that can be inverted.
//!
//! An [`Edit`] carries what it needs to be undone: adding and removing carry the whole span
//! (and a removal the relations that went with it); a change carries the value before and
//! after, and the span's `modified` time before and after ([`Stamp`]). Applying checks that the
//! set still holds the "before" values, so a stale edit is refused instead of corrupting data.
//!
//! `apply(e); apply(e.inverse())` gives back the original set (property-tested below).

use crate::model::label::Label;
use crate::model::set::{AnnotationSet, SetError};
use crate::model::span::{Relation, Span, SpanId, Status, Timestamp};
use crate::model::text::{CharRange, Text};

/// The `modified` time of a span before and after a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub before: Timestamp,
    pub after: Timestamp,
}

impl Stamp {
    fn inverse(self) -> Self {
        Self {
            before: self.after,
            after: self.before,
        }
    }
}

/// One undoable change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Add(Span),
    Remove {
        span: Span,
        /// Relations that linked the span; removed with it and restored by the inverse.
        relations: Vec<Relation>,
    },
    Relabel {
        id: SpanId,
        from: Label,
        to: Label,
        stamp: Stamp,
    },
    Resize {
        id: SpanId,
        from: CharRange,
        to: CharRange,
        stamp: Stamp,
    },
    SetNote {
        id: SpanId,
        from: Option<String>,
        to: Option<String>,
        stamp: Stamp,
    },
    SetStatus {
        id: SpanId,
        from: Status,
        to: Status,
        stamp: Stamp,
    },
    SetAttr {
        id: SpanId,
        key: String,
        from: Option<String>,
        to: Option<String>,
        stamp: Stamp,
    },
    AddRelation(Relation),
    RemoveRelation(Relation),
    /// A relation's kind, ends, status or note changed: the relation before and after (same id).
    ChangeRelation {
        before: Relation,
        after: Relation,
    },
    /// Several edits as one undo step ("label all 7 matches of 'NATO' as actor").
    Group {
        description: String,
        edits: Vec<Edit>,
    },
}

impl Edit {
    /// Adding `span` (checked when applied).
    pub fn add(span: Span) -> Self {
        Edit::Add(span)
    }

    /// Removing span `id` and the relations that link it.
    pub fn remove(set: &AnnotationSet, id: &SpanId) -> Result<Self, SetError> {
        let span = set
            .get(id)
            .cloned()
            .ok_or_else(|| SetError::NoSuchSpan(id.clone()))?;
        let relations = set.relations_of(id).cloned().collect();
        Ok(Edit::Remove { span, relations })
    }

    pub fn relabel(
        set: &AnnotationSet,
        id: &SpanId,
        to: Label,
        at: Timestamp,
    ) -> Result<Self, SetError> {
        let span = existing(set, id)?;
        Ok(Edit::Relabel {
            id: id.clone(),
            from: span.label.clone(),
            to,
            stamp: stamp(span, at),
        })
    }

    pub fn resize(
        set: &AnnotationSet,
        id: &SpanId,
        to: CharRange,
        at: Timestamp,
    ) -> Result<Self, SetError> {
        let span = existing(set, id)?;
        Ok(Edit::Resize {
            id: id.clone(),
            from: span.range,
            to,
            stamp: stamp(span, at),
        })
    }

    pub fn set_note(
        set: &AnnotationSet,
        id: &SpanId,
        to: Option<String>,
        at: Timestamp,
    ) -> Result<Self, SetError> {
        let span = existing(set, id)?;
        Ok(Edit::SetNote {
            id: id.clone(),
            from: span.note.clone(),
            to,
            stamp: stamp(span, at),
        })
    }

    pub fn set_status(
        set: &AnnotationSet,
        id: &SpanId,
        to: Status,
        at: Timestamp,
    ) -> Result<Self, SetError> {
        let span = existing(set, id)?;
        Ok(Edit::SetStatus {
            id: id.clone(),
            from: span.status,
            to,
            stamp: stamp(span, at),
        })
    }

    pub fn set_attr(
        set: &AnnotationSet,
        id: &SpanId,
        key: &str,
        to: Option<String>,
        at: Timestamp,
    ) -> Result<Self, SetError> {
        let span = existing(set, id)?;
        Ok(Edit::SetAttr {
            id: id.clone(),
            key: key.to_string(),
            from: span.attrs.get(key).cloned(),
            to,
            stamp: stamp(span, at),
        })
    }

    /// Changing relation `id` through `f` (retype, reverse, review, note).
    pub fn change_relation(
        set: &AnnotationSet,
        id: &SpanId,
        f: impl FnOnce(&mut Relation),
    ) -> Result<Self, SetError> {
        let before = set
            .relation(id)
            .cloned()
            .ok_or_else(|| SetError::NoSuchRelation(id.clone()))?;
        let mut after = before.clone();
        f(&mut after);
        after.id = before.id.clone();
        Ok(Edit::ChangeRelation { before, after })
    }

    /// Giving relation `id` the kind `kind`.
    pub fn retype_relation(
        set: &AnnotationSet,
        id: &SpanId,
        kind: Label,
    ) -> Result<Self, SetError> {
        Self::change_relation(set, id, |r| r.kind = kind)
    }

    /// Swapping relation `id`'s ends.
    pub fn reverse_relation(set: &AnnotationSet, id: &SpanId) -> Result<Self, SetError> {
        Self::change_relation(set, id, |r| std::mem::swap(&mut r.from, &mut r.to))
    }

    /// Setting relation `id`'s review status.
    pub fn set_relation_status(
        set: &AnnotationSet,
        id: &SpanId,
        to: Status,
    ) -> Result<Self, SetError> {
        Self::change_relation(set, id, |r| r.status = to)
    }

    /// The edit that undoes this one.
    pub fn inverse(&self) -> Edit {
        match self {
            Edit::Add(span) => Edit::Remove {
                span: span.clone(),
                relations: Vec::new(),
            },
            Edit::Remove { span, relations } if relations.is_empty() => Edit::Add(span.clone()),
            Edit::Remove { span, relations } => Edit::Group {
                description: String::new(),
                edits: std::iter::once(Edit::Add(span.clone()))
                    .chain(relations.iter().cloned().map(Edit::AddRelation))
                    .collect(),
            },
            Edit::Relabel {
                id,
                from,
                to,
                stamp,
            } => Edit::Relabel {
                id: id.clone(),
                from: to.clone(),
                to: from.clone(),
                stamp: stamp.inverse(),
            },
            Edit::Resize {
                id,
                from,
                to,
                stamp,
            } => Edit::Resize {
                id: id.clone(),
                from: *to,
                to: *from,
                stamp: stamp.inverse(),
            },
            Edit::SetNote {
                id,
                from,
                to,
                stamp,
            } => Edit::SetNote {
                id: id.clone(),
                from: to.clone(),
                to: from.clone(),
                stamp: stamp.inverse(),
            },
            Edit::SetStatus {
                id,
                from,
                to,
                stamp,
            } => Edit::SetStatus {
                id: id.clone(),
                from: *to,
                to: *from,
                stamp: stamp.inverse(),
            },
            Edit::SetAttr {
                id,
                key,
                from,
                to,
                stamp,
            } => Edit::SetAttr {
                id: id.clone(),
                key: key.clone(),
                from: to.clone(),
                to: from.clone(),
                stamp: stamp.inverse(),
            },
            Edit::AddRelation(r) => Edit::RemoveRelation(r.clone()),
            Edit::RemoveRelation(r) => Edit::AddRelation(r.clone()),
            Edit::ChangeRelation { before, after } => Edit::ChangeRelation {
                before: after.clone(),
                after: before.clone(),
            },
            Edit::Group { description, edits } => Edit::Group {
                description: description.clone(),
                edits: edits.iter().rev().map(Edit::inverse).collect(),
            },
        }
    }

    /// Applies the edit to `set`: all of it, or (on error) none of it.
    pub fn apply(&self, set: &mut AnnotationSet) -> Result<(), SetError> {
        match self {
            Edit::Add(span) => set.insert(span.clone()),
            Edit::Remove { span, relations } => {
                let current = existing(set, &span.id)?;
                if current != span {
                    return Err(stale(&span.id, "the span as recorded", "a changed span"));
                }
                // Check everything first, so nothing is removed when something is missing.
                for r in relations {
                    if set.relation(&r.id) != Some(r) {
                        return Err(SetError::NoSuchRelation(r.id.clone()));
                    }
                }
                for r in relations {
                    set.remove_relation(&r.id)?;
                }
                match set.remove(&span.id) {
                    Ok(_) => Ok(()),
                    Err(e) => {
                        for r in relations {
                            set.insert_relation(r.clone())?;
                        }
                        Err(e)
                    }
                }
            }
            Edit::Relabel {
                id,
                from,
                to,
                stamp,
            } => change(set, id, *stamp, |span| {
                check_eq(id, &span.label, from)?;
                span.label = to.clone();
                Ok(())
            }),
            Edit::Resize {
                id,
                from,
                to,
                stamp,
            } => change(set, id, *stamp, |span| {
                check_eq(id, &span.range, from)?;
                span.range = *to;
                // A discontinuous span moves its outer edges: the first fragment's start and
                // the last fragment's end (the set refuses the result if a fragment empties).
                let n = span.fragments.len();
                if n > 0 {
                    let first = span.fragments[0];
                    span.fragments[0] = CharRange::between(to.start(), first.end());
                    let last = span.fragments[n - 1];
                    span.fragments[n - 1] = CharRange::between(last.start(), to.end());
                }
                Ok(())
            }),
            Edit::SetNote {
                id,
                from,
                to,
                stamp,
            } => change(set, id, *stamp, |span| {
                check_eq(id, &span.note, from)?;
                span.note = to.clone();
                Ok(())
            }),
            Edit::SetStatus {
                id,
                from,
                to,
                stamp,
            } => change(set, id, *stamp, |span| {
                check_eq(id, &span.status, from)?;
                span.status = *to;
                Ok(())
            }),
            Edit::SetAttr {
                id,
                key,
                from,
                to,
                stamp,
            } => change(set, id, *stamp, |span| {
                check_eq(id, &span.attrs.get(key), &from.as_ref())?;
                match to {
                    Some(value) => span.attrs.insert(key.clone(), value.clone()),
                    None => span.attrs.remove(key),
                };
                Ok(())
            }),
            Edit::AddRelation(r) => set.insert_relation(r.clone()),
            Edit::RemoveRelation(r) => {
                if set.relation(&r.id) != Some(r) {
                    return Err(SetError::NoSuchRelation(r.id.clone()));
                }
                set.remove_relation(&r.id).map(|_| ())
            }
            Edit::ChangeRelation { before, after } => {
                if set.relation(&before.id) != Some(before) {
                    return Err(stale(
                        &before.id,
                        "the relation as recorded",
                        "a changed one",
                    ));
                }
                set.replace_relation(after.clone()).map(|_| ())
            }
            Edit::Group { edits, .. } => {
                for (done, edit) in edits.iter().enumerate() {
                    if let Err(e) = edit.apply(set) {
                        // Roll back what was applied, newest first; each inverse is exact.
                        for applied in edits[..done].iter().rev() {
                            applied.inverse().apply(set)?;
                        }
                        return Err(e);
                    }
                }
                Ok(())
            }
        }
    }

    /// The span ids this edit touches (for scrolling to them and selecting them).
    pub fn span_ids(&self) -> Vec<SpanId> {
        match self {
            Edit::Add(span) => vec![span.id.clone()],
            // The span first (undo selects it), then the other ends of the relations that go
            // with it: their frames change too.
            Edit::Remove { span, relations } => {
                let mut ids = vec![span.id.clone()];
                for end in relations.iter().flat_map(|r| [&r.from, &r.to]) {
                    if !ids.contains(end) {
                        ids.push(end.clone());
                    }
                }
                ids
            }
            Edit::Relabel { id, .. }
            | Edit::Resize { id, .. }
            | Edit::SetNote { id, .. }
            | Edit::SetStatus { id, .. }
            | Edit::SetAttr { id, .. } => vec![id.clone()],
            Edit::AddRelation(r)
            | Edit::RemoveRelation(r)
            | Edit::ChangeRelation { after: r, .. } => vec![r.from.clone(), r.to.clone()],
            Edit::Group { edits, .. } => edits.iter().flat_map(Edit::span_ids).collect(),
        }
    }

    /// What the edit does, in an annotator's words: `label 'Lavrov' as actor`. `set` is the
    /// state the edit applies to (for the quoted text of a changed span).
    pub fn describe(&self, set: &AnnotationSet) -> String {
        let text = set.text();
        let quote_of = |id: &SpanId| {
            set.get(id)
                .map(|s| quote(text, s.range))
                .unwrap_or_else(|| id.to_string())
        };
        match self {
            Edit::Add(span) => format!("label {} as {}", quote(text, span.range), span.label),
            Edit::Remove { span, .. } => {
                format!("remove {} {}", span.label, quote(text, span.range))
            }
            Edit::Relabel { id, from, to, .. } => {
                format!("relabel {} from {from} to {to}", quote_of(id))
            }
            Edit::Resize { to, .. } => format!("resize to {}", quote(text, *to)),
            Edit::SetNote {
                id, to: Some(_), ..
            } => format!("note on {}", quote_of(id)),
            Edit::SetNote { id, to: None, .. } => format!("remove note on {}", quote_of(id)),
            Edit::SetStatus { id, to, .. } => {
                let verb = match to {
                    Status::Accepted => "accept",
                    Status::Rejected => "reject",
                    Status::Pending => "reset to pending",
                };
                format!("{verb} {}", quote_of(id))
            }
            Edit::SetAttr { id, key, to, .. } => match to {
                Some(value) => format!("set {key} = {value} on {}", quote_of(id)),
                None => format!("remove {key} from {}", quote_of(id)),
            },
            Edit::AddRelation(r) => {
                format!("link {} {} {}", quote_of(&r.from), r.kind, quote_of(&r.to))
            }
            Edit::RemoveRelation(r) => {
                format!("unlink {} from {}", quote_of(&r.from), quote_of(&r.to))
            }
            Edit::ChangeRelation { before, after } => {
                let link =
                    |r: &Relation| format!("{} {} {}", quote_of(&r.from), r.kind, quote_of(&r.to));
                if before.kind != after.kind {
                    format!("retype {} as {}", link(before), after.kind)
                } else if before.from != after.from || before.to != after.to {
                    format!("reverse {}", link(before))
                } else if before.status != after.status {
                    let verb = match after.status {
                        Status::Accepted => "accept",
                        Status::Rejected => "reject",
                        Status::Pending => "reset to pending",
                    };
                    format!("{verb} {}", link(after))
                } else {
                    format!("change {}", link(after))
                }
            }
            Edit::Group { description, edits } if description.is_empty() => match edits.first() {
                Some(first) if edits.len() == 1 => first.describe(set),
                _ => format!("{} changes", edits.len()),
            },
            Edit::Group { description, .. } => description.clone(),
        }
    }
}

/// `'Lavrov'`, shortened in the middle when long, on one line.
pub fn quote(text: &Text, range: CharRange) -> String {
    let s = text.slice(range).unwrap_or("");
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let n = one_line.chars().count();
    if n <= 40 {
        format!("'{one_line}'")
    } else {
        let head: String = one_line.chars().take(18).collect();
        let tail: String = one_line.chars().skip(n - 18).collect();
        format!("'{head}…{tail}'")
    }
}

fn existing<'a>(set: &'a AnnotationSet, id: &SpanId) -> Result<&'a Span, SetError> {
    set.get(id).ok_or_else(|| SetError::NoSuchSpan(id.clone()))
}

fn stamp(span: &Span, at: Timestamp) -> Stamp {
    Stamp {
        before: span.modified,
        after: at,
    }
}

fn stale(id: &SpanId, expected: &str, found: &str) -> SetError {
    SetError::Stale {
        id: id.clone(),
        expected: expected.to_string(),
        found: found.to_string(),
    }
}

fn check_eq<T: PartialEq + std::fmt::Debug>(
    id: &SpanId,
    found: &T,
    expected: &T,
) -> Result<(), SetError> {
    if found == expected {
        Ok(())
    } else {
        Err(stale(id, &format!("{expected:?}"), &format!("{found:?}")))
    }
}

/// Changes one span in place through `f`, checking `stamp.before` and setting `stamp.after`.
fn change(
    set: &mut AnnotationSet,
    id: &SpanId,
    stamp: Stamp,
    f: impl FnOnce(&mut Span) -> Result<(), SetError>,
) -> Result<(), SetError> {
    let mut span = existing(set, id)?.clone();
    check_eq(id, &span.modified, &stamp.before)?;
    f(&mut span)?;
    span.modified = stamp.after;
    set.replace(span).map(|_| ())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::marked::{label, marked};
    use proptest::prelude::*;

    fn set_of(markup: &str) -> AnnotationSet {
        let (text, spans) = marked(markup);
        let mut set = AnnotationSet::new(Arc::new(Text::new(text)));
        for s in spans {
            set.insert(s).unwrap();
        }
        set
    }

    fn t(n: i64) -> Timestamp {
        Timestamp::from_unix(n)
    }

    #[test]
    fn relabel_and_its_inverse() {
        let mut set = set_of("[Lavrov]{actor} said");
        let before = set.clone();
        let id = SpanId::numbered(1);
        let edit = Edit::relabel(&set, &id, label("claim"), t(5)).unwrap();
        assert_eq!(edit.describe(&set), "relabel 'Lavrov' from actor to claim");
        edit.apply(&mut set).unwrap();
        assert_eq!(set.get(&id).unwrap().label.as_str(), "claim");
        assert_eq!(set.get(&id).unwrap().modified, t(5));
        // Applying twice is stale, and changes nothing.
        assert!(matches!(edit.apply(&mut set), Err(SetError::Stale { .. })));
        edit.inverse().apply(&mut set).unwrap();
        assert_eq!(set, before);
    }

    #[test]
    fn remove_takes_relations_along_and_undo_restores_them() {
        let mut set = set_of("[Lavrov]{actor} [said]{action}");
        set.insert_relation(Relation {
            id: SpanId::new("r1").unwrap(),
            kind: label("agent"),
            from: SpanId::numbered(2),
            to: SpanId::numbered(1),
            author: "a".into(),
            created: t(0),
            status: crate::model::Status::Pending,
            note: None,
            attrs: Default::default(),
        })
        .unwrap();
        let before = set.clone();
        let edit = Edit::remove(&set, &SpanId::numbered(1)).unwrap();
        edit.apply(&mut set).unwrap();
        assert_eq!(set.len(), 1);
        assert_eq!(set.relations().count(), 0);
        edit.inverse().apply(&mut set).unwrap();
        assert_eq!(set, before);
    }

    #[test]
    fn a_failing_group_changes_nothing() {
        let mut set = set_of("[Lavrov]{actor} said");
        let before = set.clone();
        let (_, spans) = marked("Lavrov [said]{action}");
        let mut dup = set.get(&SpanId::numbered(1)).unwrap().clone();
        dup.id = SpanId::numbered(9);
        let group = Edit::Group {
            description: "two".into(),
            edits: vec![
                Edit::Add(Span {
                    id: SpanId::numbered(5),
                    ..spans[0].clone()
                }),
                Edit::Add(dup),
            ],
        };
        assert!(matches!(
            group.apply(&mut set),
            Err(SetError::DuplicateSpan { .. })
        ));
        assert_eq!(set, before);
    }

    #[test]
    fn resize_cannot_split_a_grapheme() {
        let mut set = set_of("[cafe\u{301}]{actor} ok");
        let edit = Edit::resize(
            &set,
            &SpanId::numbered(1),
            CharRange::new(0, 4).unwrap(),
            t(1),
        )
        .unwrap();
        assert!(matches!(
            edit.apply(&mut set),
            Err(SetError::SplitsGrapheme { .. })
        ));
    }

    /// A random edit that is valid for `set`, if one can be built from the choice.
    fn random_edit(set: &AnnotationSet, choice: (u8, usize, usize, usize)) -> Option<Edit> {
        let (kind, a, b, pick) = choice;
        let ids: Vec<SpanId> = set.spans().map(|s| s.id.clone()).collect();
        let id = (!ids.is_empty()).then(|| ids[pick % ids.len()].clone());
        let len = set.text().len_chars();
        let labels = ["actor", "action", "date", "claim"];
        let range = {
            let start = set
                .text()
                .grapheme_floor(crate::model::CharOffset(a % (len + 1)));
            let end = set
                .text()
                .grapheme_ceil(crate::model::CharOffset(b % (len + 1)));
            CharRange::new(start.0, end.0)?
        };
        let at = t(1000 + a as i64);
        let edit = match kind % 7 {
            0 => Edit::add(Span::new(
                set.next_id(),
                label(labels[pick % 4]),
                range,
                "p",
                at,
            )),
            1 => Edit::remove(set, &id?).ok()?,
            2 => Edit::relabel(set, &id?, label(labels[(pick / 3) % 4]), at).ok()?,
            3 => Edit::resize(set, &id?, range, at).ok()?,
            4 => Edit::set_note(set, &id?, (a % 2 == 0).then(|| format!("n{b}")), at).ok()?,
            5 => Edit::set_status(set, &id?, Status::ALL[b % 3], at).ok()?,
            _ => Edit::set_attr(set, &id?, "iso", (a % 2 == 0).then(|| b.to_string()), at).ok()?,
        };
        let mut probe = set.clone();
        edit.apply(&mut probe).ok().map(|_| edit)
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "Lavrov ",
            "said ",
            "\r\n",
            "日本 ",
            "👨🏻‍🚒",
            "e\u{301}",
            "NATO",
            "\n",
        ]);
        prop::collection::vec(pieces, 1..30).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn apply_then_inverse_gives_back_the_original(
            text in text_strategy(),
            choices in prop::collection::vec((0u8..7, 0usize..400, 0usize..400, 0usize..50), 1..40),
        ) {
            let mut set = AnnotationSet::new(Arc::new(Text::new(text)));
            for choice in choices {
                let Some(edit) = random_edit(&set, choice) else { continue };
                let before = set.clone();
                edit.apply(&mut set).unwrap();
                let mut undone = set.clone();
                edit.inverse().apply(&mut undone).unwrap();
                prop_assert_eq!(&undone, &before);
                prop_assert_eq!(edit.inverse().inverse(), edit);
            }
        }
    }
}
