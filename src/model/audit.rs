//! The audit log: an append-only record of every change to a document's annotations, saved in
//! the native file as `history`. Each entry says who did what to which span, when, and the value
//! before and after. Undoing an edit appends the change that undid it; nothing is rewritten.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::edit::Edit;
use crate::model::span::{Relation, Span, SpanId, Timestamp};
use crate::model::text::Text;
use std::sync::Arc;

pub use super::audit_log::{AuditLog, EntryRef, ValueRef};

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Add,
    Remove,
    Relabel,
    Resize,
    SetNote,
    SetStatus,
    SetAttr,
    AddRelation,
    RemoveRelation,
    /// A relation's ends changed (reversed): before → after the relation as it stood.
    Relink,
    /// A document-level event: imported, schema changed, adjudicated, … (`detail` says which).
    Document,
    /// The article changed and the span was re-anchored onto the new text: `detail` is the
    /// outcome (`moved`, `fuzzy`, `orphaned`, `restored …`), before → after the span as it stood.
    Reanchor,
    /// Two versions of the file were merged (`spanmark merge`): `detail` says what came from
    /// theirs, what was renumbered and which conflicts were recorded.
    Merge,
}

impl AuditAction {
    /// Every action, in the order declared.
    pub const ALL: [AuditAction; 13] = [
        AuditAction::Add,
        AuditAction::Remove,
        AuditAction::Relabel,
        AuditAction::Resize,
        AuditAction::SetNote,
        AuditAction::SetStatus,
        AuditAction::SetAttr,
        AuditAction::AddRelation,
        AuditAction::RemoveRelation,
        AuditAction::Relink,
        AuditAction::Document,
        AuditAction::Reanchor,
        AuditAction::Merge,
    ];

    /// The action's name in the file (serde's).
    pub fn as_str(&self) -> &'static str {
        match self {
            AuditAction::Add => "add",
            AuditAction::Remove => "remove",
            AuditAction::Relabel => "relabel",
            AuditAction::Resize => "resize",
            AuditAction::SetNote => "set_note",
            AuditAction::SetStatus => "set_status",
            AuditAction::SetAttr => "set_attr",
            AuditAction::AddRelation => "add_relation",
            AuditAction::RemoveRelation => "remove_relation",
            AuditAction::Relink => "relink",
            AuditAction::Document => "document",
            AuditAction::Reanchor => "reanchor",
            AuditAction::Merge => "merge",
        }
    }
}

// Read as the untagged enum is, in one pass: `audit_value.rs` (this doc comment is the
// schema's description, so the note is here).
// Snapshots are boxed: an entry holds two values, most of them absent or a short text, and the
// whole parse holds a file's entries (one for each span) before the log packs them
// (`audit_log.rs`). (Doc comments here are the schema's.)
/// A value before or after a change: a span as it stood, or a single field's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum AuditValue {
    Span(Box<SpanSnapshot>),
    Relation(Box<RelationSnapshot>),
    Text(Box<str>),
}

/// The essentials of a span for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpanSnapshot {
    pub label: Box<str>,
    pub start: usize,
    pub end: usize,
    pub text: Box<str>,
}

/// The essentials of a relation for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelationSnapshot {
    pub kind: Box<str>,
    pub from: Box<str>,
    pub to: Box<str>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// Shared by the entries of one author when read from a file.
    pub who: Arc<str>,
    pub action: AuditAction,
    /// The span or relation changed; `None` for document-level events.
    pub target: Option<SpanId>,
    /// For `set_attr`, the attribute's key; for `document`, what happened.
    pub detail: Option<String>,
    pub before: Option<AuditValue>,
    pub after: Option<AuditValue>,
}

impl AuditEntry {
    /// A document-level event (`imported from doccano`, `schema: added label place`).
    pub fn document(at: Timestamp, who: &str, detail: impl Into<String>) -> Self {
        Self {
            at,
            who: who.into(),
            action: AuditAction::Document,
            target: None,
            detail: Some(detail.into()),
            before: None,
            after: None,
        }
    }
}

fn snapshot(text: &Text, span: &Span) -> AuditValue {
    AuditValue::Span(Box::new(SpanSnapshot {
        label: span.label.as_str().into(),
        start: span.range.start().0,
        end: span.range.end().0,
        text: text.slice(span.range).unwrap_or("").into(),
    }))
}

fn text_value(value: &Option<String>) -> Option<AuditValue> {
    value.as_deref().map(AuditValue::text)
}

impl AuditValue {
    /// A single field's value.
    pub fn text(value: &str) -> Self {
        Self::Text(value.into())
    }

    /// A relation as it stands.
    pub fn relation(r: &Relation) -> Self {
        Self::Relation(Box::new(RelationSnapshot {
            kind: r.kind.as_str().into(),
            from: r.from.as_str().into(),
            to: r.to.as_str().into(),
        }))
    }
}

/// The audit entries that record `edit`, done by `who` at `at` (a group gives one per part).
pub fn entries_for(edit: &Edit, text: &Text, who: &str, at: Timestamp) -> Vec<AuditEntry> {
    let entry = |action, target: &SpanId, before, after| AuditEntry {
        at,
        who: who.into(),
        action,
        target: Some(target.clone()),
        detail: None,
        before,
        after,
    };
    match edit {
        Edit::Add(span) => vec![entry(
            AuditAction::Add,
            &span.id,
            None,
            Some(snapshot(text, span)),
        )],
        Edit::Remove { span, relations } => relations
            .iter()
            .map(|r| {
                entry(
                    AuditAction::RemoveRelation,
                    &r.id,
                    Some(AuditValue::relation(r)),
                    None,
                )
            })
            .chain(std::iter::once(entry(
                AuditAction::Remove,
                &span.id,
                Some(snapshot(text, span)),
                None,
            )))
            .collect(),
        Edit::Relabel { id, from, to, .. } => vec![entry(
            AuditAction::Relabel,
            id,
            Some(AuditValue::text(&from.to_string())),
            Some(AuditValue::text(&to.to_string())),
        )],
        Edit::Resize { id, from, to, .. } => vec![entry(
            AuditAction::Resize,
            id,
            Some(AuditValue::text(&from.to_string())),
            Some(AuditValue::text(&to.to_string())),
        )],
        Edit::SetNote { id, from, to, .. } => vec![entry(
            AuditAction::SetNote,
            id,
            text_value(from),
            text_value(to),
        )],
        Edit::SetStatus { id, from, to, .. } => vec![entry(
            AuditAction::SetStatus,
            id,
            Some(AuditValue::text(&from.to_string())),
            Some(AuditValue::text(&to.to_string())),
        )],
        Edit::SetAttr {
            id, key, from, to, ..
        } => {
            let mut e = entry(AuditAction::SetAttr, id, text_value(from), text_value(to));
            e.detail = Some(key.clone());
            vec![e]
        }
        Edit::AddRelation(r) => vec![entry(
            AuditAction::AddRelation,
            &r.id,
            None,
            Some(AuditValue::relation(r)),
        )],
        Edit::RemoveRelation(r) => vec![entry(
            AuditAction::RemoveRelation,
            &r.id,
            Some(AuditValue::relation(r)),
            None,
        )],
        Edit::ChangeRelation { before, after } => {
            // One entry per field changed, in the words a span's change uses.
            let id = &after.id;
            let mut entries = Vec::new();
            if before.kind != after.kind {
                entries.push(entry(
                    AuditAction::Relabel,
                    id,
                    Some(AuditValue::text(&before.kind.to_string())),
                    Some(AuditValue::text(&after.kind.to_string())),
                ));
            }
            if before.from != after.from || before.to != after.to {
                entries.push(entry(
                    AuditAction::Relink,
                    id,
                    Some(AuditValue::relation(before)),
                    Some(AuditValue::relation(after)),
                ));
            }
            if before.status != after.status {
                entries.push(entry(
                    AuditAction::SetStatus,
                    id,
                    Some(AuditValue::text(&before.status.to_string())),
                    Some(AuditValue::text(&after.status.to_string())),
                ));
            }
            if before.note != after.note {
                entries.push(entry(
                    AuditAction::SetNote,
                    id,
                    text_value(&before.note),
                    text_value(&after.note),
                ));
            }
            let keys: std::collections::BTreeSet<&String> =
                before.attrs.keys().chain(after.attrs.keys()).collect();
            for key in keys {
                let (from, to) = (before.attrs.get(key), after.attrs.get(key));
                if from != to {
                    let mut e = entry(
                        AuditAction::SetAttr,
                        id,
                        text_value(&from.cloned()),
                        text_value(&to.cloned()),
                    );
                    e.detail = Some(key.clone());
                    entries.push(e);
                }
            }
            entries
        }
        Edit::Group { edits, .. } => edits
            .iter()
            .flat_map(|e| entries_for(e, text, who, at))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_small() {
        // Values are boxed: most are absent or a short text.
        assert_eq!(std::mem::size_of::<AuditValue>(), 24);
    }
}
