//! Replaying a file's history from an empty document: every `add`, `remove`, `relabel`,
//! `resize`, relation change and re-anchoring applied in order, each checked against the state
//! it says it changed (the `before` it records). The result must be the file's spans and
//! relations: their ids, labels, ranges and ends, which is what the history's snapshots hold
//! (status, notes and attributes are not in them, so they are not checked).

use std::collections::BTreeMap;

use super::finding::{Entry, Finding};
use crate::model::{AuditAction, ValueRef};

/// A span as the history knows it: label, start, end (borrowed from the entries, so replaying
/// 100,000 entries copies no strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SpanState<'a> {
    label: &'a str,
    start: usize,
    end: usize,
}

/// A relation as the history knows it: kind, from, to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RelationState<'a> {
    kind: &'a str,
    from: &'a str,
    to: &'a str,
}

/// What replaying a history gave.
pub(super) struct Replayed {
    pub spans: usize,
    pub relations: usize,
    pub findings: Vec<Finding>,
}

#[derive(Default)]
struct State<'a> {
    spans: BTreeMap<&'a str, SpanState<'a>>,
    relations: BTreeMap<&'a str, RelationState<'a>>,
}

/// Replays `history` and compares the result with the `spans` (id, label, start, end) and
/// `relations` (id, kind, from, to) there are. Reports the first entry that does not apply (the
/// replay stops there), or every span and relation that differs.
pub(super) fn replay<'h, 'x, E: Entry<'h>>(
    history: impl IntoIterator<Item = E, IntoIter: Clone>,
    spans: impl Iterator<Item = (&'x str, &'x str, usize, usize)>,
    relations: impl Iterator<Item = (&'x str, &'x str, &'x str, &'x str)>,
) -> Replayed {
    let history = history.into_iter();
    let mut state = State::default();
    for (i, entry) in history.clone().enumerate() {
        // A three-way merge's history holds both sides' entries, which do not replay one
        // after the other, and the merge entry does not record the merged state: the replay
        // cannot go past it (the chain still covers every entry).
        if entry.action() == AuditAction::Merge {
            return Replayed {
                spans: spans.count(),
                relations: relations.count(),
                findings: Vec::new(),
            };
        }
        if let Err(message) = state.apply(entry) {
            return Replayed {
                spans: state.spans.len(),
                relations: state.relations.len(),
                findings: vec![Finding::at_entry(
                    i,
                    &entry,
                    format!("the history does not replay: {message}"),
                )],
            };
        }
    }
    let mut findings = Vec::new();
    let in_file: BTreeMap<&str, SpanState> = spans
        .map(|(id, label, start, end)| (id, SpanState { label, start, end }))
        .collect();
    // The last entry for each id, found in one pass over the history the first time a span
    // or relation differs (not a pass for each of them: a file whose 100,000 spans all changed
    // by hand would take hours).
    let last_entries = std::cell::OnceCell::new();
    let differs = |what: String, id: &str| {
        let message = format!("{what} without a history entry");
        let last = last_entries.get_or_init(|| {
            let mut last = BTreeMap::new();
            for (i, entry) in history.clone().enumerate() {
                if let Some(target) = entry.target() {
                    last.insert(target, (i, entry));
                }
            }
            last
        });
        match last.get(id) {
            Some(&(i, entry)) => Finding::at_entry(
                i,
                &entry,
                format!("the last entry for {id}; since then {message}"),
            ),
            None => Finding::whole(message),
        }
    };
    for (id, span) in &in_file {
        match state.spans.get(*id) {
            None => findings.push(differs(
                format!(
                    "span {id} ({} {}..{}) was added",
                    span.label, span.start, span.end
                ),
                id,
            )),
            Some(replayed) if replayed != span => findings.push(differs(
                format!(
                    "span {id} changed from {} {}..{} to {} {}..{}",
                    replayed.label, replayed.start, replayed.end, span.label, span.start, span.end
                ),
                id,
            )),
            Some(_) => {}
        }
    }
    for (id, span) in &state.spans {
        if !in_file.contains_key(id) {
            findings.push(differs(
                format!(
                    "span {id} ({} {}..{}) was removed",
                    span.label, span.start, span.end
                ),
                id,
            ));
        }
    }
    let file_relations: BTreeMap<&str, RelationState> = relations
        .map(|(id, kind, from, to)| (id, RelationState { kind, from, to }))
        .collect();
    for (id, r) in &file_relations {
        match state.relations.get(*id) {
            None => findings.push(differs(
                format!("relation {id} ({} {} → {}) was added", r.kind, r.from, r.to),
                id,
            )),
            Some(replayed) if replayed != r => findings.push(differs(
                format!(
                    "relation {id} changed from {} {} → {} to {} {} → {}",
                    replayed.kind, replayed.from, replayed.to, r.kind, r.from, r.to
                ),
                id,
            )),
            Some(_) => {}
        }
    }
    for (id, r) in &state.relations {
        if !file_relations.contains_key(id) {
            findings.push(differs(
                format!(
                    "relation {id} ({} {} → {}) was removed",
                    r.kind, r.from, r.to
                ),
                id,
            ));
        }
    }
    Replayed {
        spans: state.spans.len(),
        relations: state.relations.len(),
        findings,
    }
}

fn span_of(value: Option<ValueRef<'_>>) -> Option<SpanState<'_>> {
    match value {
        Some(ValueRef::Span {
            label, start, end, ..
        }) => Some(SpanState { label, start, end }),
        _ => None,
    }
}

fn relation_of(value: Option<ValueRef<'_>>) -> Option<RelationState<'_>> {
    match value {
        Some(ValueRef::Relation { kind, from, to }) => Some(RelationState { kind, from, to }),
        _ => None,
    }
}

fn text_of(value: Option<ValueRef<'_>>) -> Option<&str> {
    match value {
        Some(ValueRef::Text(t)) => Some(t),
        _ => None,
    }
}

/// `"10..16"` as (10, 16).
fn range_of(value: Option<ValueRef<'_>>) -> Option<(usize, usize)> {
    let (start, end) = text_of(value)?.split_once("..")?;
    Some((start.parse().ok()?, end.parse().ok()?))
}

impl<'a> State<'a> {
    fn apply(&mut self, entry: impl Entry<'a>) -> Result<(), String> {
        let target = entry.target();
        let (before, after) = (entry.before(), entry.after());
        let need = |what: &str| format!("{} needs {what}", entry.action().as_str());
        match entry.action() {
            AuditAction::Document | AuditAction::SetNote | AuditAction::SetStatus => Ok(()),
            AuditAction::SetAttr => Ok(()),
            // Never reached: the replay stops at a merge (see `replay`).
            AuditAction::Merge => Ok(()),
            AuditAction::Add => {
                let id = target.ok_or_else(|| need("a target"))?;
                let span = span_of(after).ok_or_else(|| need("the span added"))?;
                if self.spans.contains_key(id) {
                    return Err(format!("it adds span {id}, which exists already"));
                }
                self.spans.insert(id, span);
                Ok(())
            }
            AuditAction::Remove => {
                let id = target.ok_or_else(|| need("a target"))?;
                let span = span_of(before).ok_or_else(|| need("the span removed"))?;
                match self.spans.get(id) {
                    None => Err(format!("it removes span {id}, which does not exist")),
                    Some(s) if *s != span => Err(format!(
                        "it removes span {id} as {} {}..{}, but it was {} {}..{}",
                        span.label, span.start, span.end, s.label, s.start, s.end
                    )),
                    Some(_) => {
                        self.spans.remove(id);
                        Ok(())
                    }
                }
            }
            AuditAction::Relabel => {
                let id = target.ok_or_else(|| need("a target"))?;
                let (from, to) = text_of(before)
                    .zip(text_of(after))
                    .ok_or_else(|| need("the label before and after"))?;
                let current = if let Some(s) = self.spans.get_mut(id) {
                    &mut s.label
                } else if let Some(r) = self.relations.get_mut(id) {
                    &mut r.kind
                } else {
                    return Err(format!("it relabels {id}, which does not exist"));
                };
                if *current != from {
                    return Err(format!(
                        "it relabels {id} from {from}, but it was {current}"
                    ));
                }
                *current = to;
                Ok(())
            }
            AuditAction::Resize => {
                let id = target.ok_or_else(|| need("a target"))?;
                let (from, to) = range_of(before)
                    .zip(range_of(after))
                    .ok_or_else(|| need("the range before and after (start..end)"))?;
                let span = self
                    .spans
                    .get_mut(id)
                    .ok_or_else(|| format!("it resizes span {id}, which does not exist"))?;
                if (span.start, span.end) != from {
                    return Err(format!(
                        "it resizes span {id} from {}..{}, but it was {}..{}",
                        from.0, from.1, span.start, span.end
                    ));
                }
                (span.start, span.end) = to;
                Ok(())
            }
            AuditAction::AddRelation => {
                let id = target.ok_or_else(|| need("a target"))?;
                let r = relation_of(after).ok_or_else(|| need("the relation added"))?;
                if self.relations.contains_key(id) {
                    return Err(format!("it adds relation {id}, which exists already"));
                }
                self.relations.insert(id, r);
                Ok(())
            }
            AuditAction::RemoveRelation => {
                let id = target.ok_or_else(|| need("a target"))?;
                let r = relation_of(before).ok_or_else(|| need("the relation removed"))?;
                match self.relations.get(id) {
                    None => Err(format!("it removes relation {id}, which does not exist")),
                    Some(current) if *current != r => Err(format!(
                        "it removes relation {id} as {} {} → {}, but it was {} {} → {}",
                        r.kind, r.from, r.to, current.kind, current.from, current.to
                    )),
                    Some(_) => {
                        self.relations.remove(id);
                        Ok(())
                    }
                }
            }
            AuditAction::Relink => {
                let id = target.ok_or_else(|| need("a target"))?;
                let (from, to) = relation_of(before)
                    .zip(relation_of(after))
                    .ok_or_else(|| need("the relation before and after"))?;
                let current = self
                    .relations
                    .get_mut(id)
                    .ok_or_else(|| format!("it relinks relation {id}, which does not exist"))?;
                if (current.from, current.to) != (from.from, from.to) {
                    return Err(format!(
                        "it relinks relation {id} from {} → {}, but it was {} → {}",
                        from.from, from.to, current.from, current.to
                    ));
                }
                current.from = to.from;
                current.to = to.to;
                Ok(())
            }
            AuditAction::Reanchor => {
                let id = target.ok_or_else(|| need("a target"))?;
                // Onto the new text (moved, fuzzy, restored), or off it (orphaned).
                match span_of(after) {
                    Some(span) => {
                        self.spans.insert(id, span);
                    }
                    None => {
                        self.spans.remove(id);
                    }
                }
                Ok(())
            }
        }
    }
}
