//! Three-way merge of one annotation file: the common ancestor (`base`) and two versions made
//! from it (`ours`, `theirs`), as git hands them to a merge driver. Spans and relations are
//! matched by id, never by position in the file.
//!
//! The rules, per span and per relation, field by field (label, range with its fragments,
//! status, note, each attribute; for a relation its kind, ends, status, note, attributes):
//! - added on either side: kept. Added on both sides with the same id and different content
//!   (each side numbers new spans `max + 1`, so two branches can each add an `s12`): theirs is
//!   **renumbered** after every id any version has used, with its relations and its history
//!   entries. Added on both with the same content: one is kept.
//! - deleted on one side and unchanged on the other: deleted.
//! - changed on one side only (a field differs from base on one side): that side's value.
//! - changed differently on both sides: a **conflict**, marked as adjudication marks one
//!   ([`CONFLICT`](super::CONFLICT), [`PROPOSED_BY`](super::PROPOSED_BY),
//!   [`CONFLICT_WITH`](super::CONFLICT_WITH); the span pending) so the adjudication view
//!   settles it:
//!   - the readings differ in label or range (a relation: in kind or ends): both are kept as
//!     each side left them, pending, ours with its id and theirs renumbered, each naming the
//!     other in `conflict_with`;
//!     `conflict` is `label`, `boundary` or `label+boundary` (`kind`, `direction`, `ends`);
//!   - they differ only in note, status or attributes: one span, with our values and theirs
//!     recorded beside them ([`THEIR_NOTE`], [`THEIR_STATUS`], `their_attr.KEY`, and our
//!     status in [`OUR_STATUS`]); `conflict` names the fields (`note+status`), `proposed_by`
//!     both sides (either choice keeps the span; the adjudicator edits the values);
//!   - deleted on one side and changed on the other: the changed one is kept, `conflict` =
//!     `deleted`, [`DELETED_BY`] = who deleted it. A span deleted on one side but linked by a
//!     relation the merge keeps is kept the same way.
//! - Who proposed a reading is the last person the side's history shows changing it, else
//!   the file's annotator; when both sides give the same name, ` (ours)` / ` (theirs)` tell
//!   them apart.
//!
//! The article text must be the same in all three versions. The merged history is ours, then
//! the entries of theirs that ours lacks, then one [`AuditAction::Merge`] entry saying what
//! the merge did. The schema is ours with the labels and relation kinds only theirs defines
//! added (nothing theirs uses is left undefined); orphans and document metadata are ours with
//! whatever only theirs has.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

mod fields;
mod merging;

use fields::{Pick, pick, same_relation, same_span};
use merging::Merging;

use super::adjudicate::extended_schema;
use crate::model::audit::{AuditValue, RelationSnapshot};
use crate::model::{
    AnnotationSet, AuditAction, AuditEntry, Document, Relation, Schema, SetError, Span, SpanId,
    Timestamp,
};

/// Attribute of a conflicting span kept once: theirs' note (empty when they have none).
pub const THEIR_NOTE: &str = "their_note";
/// Attribute of a conflicting span kept once: theirs' status.
pub const THEIR_STATUS: &str = "their_status";
/// Attribute of a conflicting span kept once: our status (the span itself is set pending).
pub const OUR_STATUS: &str = "our_status";
/// Prefix of the attributes holding theirs' value of an attribute both sides changed.
pub const THEIR_ATTR: &str = "their_attr.";
/// Attribute of a span or relation deleted on one side and changed on the other.
pub const DELETED_BY: &str = "deleted_by";

/// Why three versions cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error(
        "the article text of {side} differs from the common ancestor's: these are not versions of one annotation file"
    )]
    DifferentText { side: &'static str },
    #[error("the merged spans do not fit together: {0}")]
    Invalid(#[from] SetError),
}

/// One conflict the merge recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeConflict {
    /// Our reading (or the one reading kept).
    pub id: SpanId,
    /// Theirs, when both readings are kept.
    pub rival: Option<SpanId>,
    /// The value of the `conflict` attribute.
    pub kind: String,
    pub relation: bool,
}

/// The merged document and what the merge did.
#[derive(Debug, Clone)]
pub struct Merged {
    pub doc: Document,
    pub conflicts: Vec<MergeConflict>,
    /// Ids theirs added that ours also added with other content: (theirs' id, its new id).
    pub renumbered: Vec<(SpanId, SpanId)>,
    /// How many spans and relations were taken from theirs: added, changed, deleted.
    pub from_theirs: Taken,
    /// Label and relation kind definitions both sides changed differently (ours kept).
    pub schema_notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Taken {
    pub added: usize,
    pub changed: usize,
    pub deleted: usize,
}

impl Merged {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// One side of the merge: its spans and relations by id, its new history, whose side it is.
struct Side {
    spans: BTreeMap<SpanId, Span>,
    relations: BTreeMap<SpanId, Relation>,
    /// The entries after the common prefix with base's history.
    new_entries: Vec<AuditEntry>,
    annotator: String,
}

impl Side {
    fn of(doc: &Document, base: &Document) -> Self {
        let common = doc
            .audit()
            .refs()
            .zip(base.audit().refs())
            .take_while(|(a, b)| a == b)
            .count();
        Self {
            spans: doc
                .set()
                .spans()
                .map(|s| (s.id.clone(), s.clone()))
                .collect(),
            relations: doc
                .set()
                .relations()
                .map(|r| (r.id.clone(), r.clone()))
                .collect(),
            new_entries: doc
                .audit()
                .refs()
                .skip(common)
                .map(|e| e.to_owned_entry())
                .collect(),
            annotator: doc.annotator.clone(),
        }
    }

    /// Who last changed `id` on this side, else the file's annotator.
    fn who_changed(&self, id: &SpanId) -> String {
        self.new_entries
            .iter()
            .rev()
            .find(|e| e.target.as_ref() == Some(id))
            .map_or_else(|| self.annotator.clone(), |e| e.who.to_string())
    }

    /// Gives the ids in `map` their new values, in spans, relations and history.
    fn renumber(&mut self, map: &BTreeMap<SpanId, SpanId>) {
        if map.is_empty() {
            return;
        }
        let new = |id: &SpanId| map.get(id).cloned().unwrap_or_else(|| id.clone());
        self.spans = std::mem::take(&mut self.spans)
            .into_values()
            .map(|mut s| {
                s.id = new(&s.id);
                (s.id.clone(), s)
            })
            .collect();
        self.relations = std::mem::take(&mut self.relations)
            .into_values()
            .map(|mut r| {
                r.id = new(&r.id);
                r.from = new(&r.from);
                r.to = new(&r.to);
                (r.id.clone(), r)
            })
            .collect();
        let renamed = |s: &str| {
            SpanId::new(s)
                .ok()
                .and_then(|id| map.get(&id))
                .map_or_else(|| s.to_string(), ToString::to_string)
        };
        for e in &mut self.new_entries {
            if let Some(t) = &e.target {
                e.target = Some(new(t));
            }
            for value in [&mut e.before, &mut e.after].into_iter().flatten() {
                if let AuditValue::Relation(relation) = value {
                    let RelationSnapshot { from, to, .. } = &mut **relation;
                    *from = renamed(from).into();
                    *to = renamed(to).into();
                }
            }
        }
    }
}

/// Hands out fresh ids above every id any version has used.
struct Ids {
    span: u64,
    relation: u64,
}

impl Ids {
    fn new(docs: [&Document; 3]) -> Self {
        let span = docs
            .iter()
            .filter_map(|d| d.set().next_id().number())
            .max()
            .unwrap_or(1);
        let relation = docs
            .iter()
            .filter_map(|d| d.set().next_relation_id().relation_number())
            .max()
            .unwrap_or(1);
        Self { span, relation }
    }

    fn span(&mut self) -> SpanId {
        self.span += 1;
        SpanId::numbered(self.span - 1)
    }

    fn relation(&mut self) -> SpanId {
        self.relation += 1;
        SpanId::relation_numbered(self.relation - 1)
    }
}

/// Merges `ours` and `theirs`, both made from `base`, as `who` at `at` (see the module docs).
pub fn merge(
    base: &Document,
    ours: &Document,
    theirs: &Document,
    who: &str,
    at: Timestamp,
) -> Result<Merged, MergeError> {
    let text = base.text().sha256_hex();
    if ours.text().sha256_hex() != text {
        return Err(MergeError::DifferentText { side: "ours" });
    }
    if theirs.text().sha256_hex() != text {
        return Err(MergeError::DifferentText { side: "theirs" });
    }
    let old = Side::of(base, base);
    let mine = Side::of(ours, base);
    let mut other = Side::of(theirs, base);
    let mut ids = Ids::new([base, ours, theirs]);

    // Ids both sides added, with different content: theirs is renumbered.
    let mut renumber = BTreeMap::new();
    for (id, t) in &other.spans {
        if let Some(o) = mine.spans.get(id)
            && !old.spans.contains_key(id)
            && !same_span(o, t)
        {
            renumber.insert(id.clone(), ids.span());
        }
    }
    for (id, t) in &other.relations {
        if let Some(o) = mine.relations.get(id)
            && !old.relations.contains_key(id)
            && !same_relation(o, t)
        {
            renumber.insert(id.clone(), ids.relation());
        }
    }
    other.renumber(&renumber);

    let mut merge = Merging {
        set: AnnotationSet::new(Arc::clone(ours.text())),
        conflicts: Vec::new(),
        taken: Taken::default(),
        aliases: BTreeMap::new(),
        ids,
    };
    for doc in [base, ours, theirs] {
        for id in doc.set().spans().map(|s| &s.id) {
            merge.set.reserve_id(id);
        }
        for id in doc
            .set()
            .relations()
            .map(|r| &r.id)
            .chain(doc.orphans.ids())
        {
            merge.set.reserve_id(id);
        }
    }
    merge.spans(&old, &mine, &other)?;
    merge.relations(&old, &mine, &other)?;

    let (schema, schema_notes) = merged_schema(base, ours, theirs);
    let status = match pick(Some(&base.status), &ours.status, &theirs.status) {
        Pick::Agreed(s) => s,
        Pick::Conflict { ours, theirs } => ours.min(theirs),
    };

    let mut audit = ours.audit().to_vec();
    let known: HashSet<String> = mine.new_entries.iter().map(|e| format!("{e:?}")).collect();
    let theirs_only: Vec<AuditEntry> = other
        .new_entries
        .iter()
        .filter(|e| !known.contains(&format!("{e:?}")))
        .cloned()
        .collect();
    audit.extend(theirs_only);
    let renumbered: Vec<(SpanId, SpanId)> = renumber.into_iter().collect();
    audit.push(AuditEntry {
        at,
        who: who.into(),
        action: AuditAction::Merge,
        target: None,
        detail: Some(describe(
            &merge.taken,
            &merge.conflicts,
            &renumbered,
            &schema_notes,
        )),
        before: None,
        after: None,
    });

    let Merging {
        set,
        conflicts,
        taken,
        ..
    } = merge;
    let mut doc = Document::from_parts(
        ours.source.clone(),
        ours.annotator.clone(),
        status,
        schema,
        set,
        audit,
    );
    doc.meta = ours.meta.clone();
    for (key, value) in &theirs.meta {
        doc.meta.entry(key.clone()).or_insert_with(|| value.clone());
    }
    doc.orphans = ours.orphans.clone();
    for orphan in &theirs.orphans.spans {
        if !doc.orphans.has_span(&orphan.span.id) && doc.set().get(&orphan.span.id).is_none() {
            doc.orphans.spans.push(orphan.clone());
        }
    }
    for r in &theirs.orphans.relations {
        let known = doc.orphans.relations.iter().any(|o| o.id == r.id);
        if !known && doc.set().relation(&r.id).is_none() {
            doc.orphans.relations.push(r.clone());
        }
    }
    doc.orphans.sort();
    doc.file_version = ours.file_version;
    Ok(Merged {
        doc,
        conflicts,
        renumbered,
        from_theirs: taken,
        schema_notes,
    })
}

/// The merged schema: ours, with what only theirs defines added (see
/// [`extended_schema`]); a label or relation kind only theirs changed takes their definition,
/// one both changed differently keeps ours and is named in the returned notes.
fn merged_schema(base: &Document, ours: &Document, theirs: &Document) -> (Schema, Vec<String>) {
    let mut schema = extended_schema(ours.schema.clone(), &theirs.schema);
    if schema.labels().is_empty() {
        schema = base.schema.clone();
    }
    let mut notes = Vec::new();
    for def in ours.schema.labels() {
        let name = def.name.as_str();
        let (b, t) = (base.schema.get(name), theirs.schema.get(name));
        match (b, t) {
            (_, Some(t)) if t == def => {}
            (Some(b), Some(t)) if b == def => {
                // Only theirs changed it.
                let taken = schema.with_replaced(name, t.clone()).or_else(|_| {
                    let mut quiet = t.clone();
                    quiet.hotkey = def.hotkey;
                    schema.with_replaced(name, quiet)
                });
                if let Ok(s) = taken {
                    schema = s;
                }
            }
            (Some(b), Some(_)) if b != def => {
                notes.push(format!("label {name} was changed on both sides; ours kept"))
            }
            (None, Some(_)) => notes.push(format!(
                "label {name} was added on both sides differently; ours kept"
            )),
            _ => {}
        }
    }
    let mut kinds = schema.relations().to_vec();
    for kind in &mut kinds {
        let name = kind.name.as_str().to_string();
        let o = ours.schema.relation_kind(&name);
        let (b, t) = (
            base.schema.relation_kind(&name),
            theirs.schema.relation_kind(&name),
        );
        match (o, b, t) {
            (Some(o), Some(b), Some(t)) if o == b && t != o => *kind = t.clone(),
            (Some(o), Some(b), Some(t)) if o != b && t != b && t != o => notes.push(format!(
                "relation kind {name} was changed on both sides; ours kept"
            )),
            _ => {}
        }
    }
    if let Ok(s) = schema.with_relations(kinds) {
        schema = s;
    }
    (schema, notes)
}

/// The `detail` of the merge entry in the history.
fn describe(
    taken: &Taken,
    conflicts: &[MergeConflict],
    renumbered: &[(SpanId, SpanId)],
    schema_notes: &[String],
) -> String {
    let mut out = format!(
        "merged: from theirs {} added, {} changed, {} deleted",
        taken.added, taken.changed, taken.deleted
    );
    if !renumbered.is_empty() {
        let list: Vec<String> = renumbered
            .iter()
            .map(|(a, b)| format!("{a} → {b}"))
            .collect();
        out.push_str(&format!("; theirs renumbered {}", list.join(", ")));
    }
    for note in schema_notes {
        out.push_str("; ");
        out.push_str(note);
    }
    if conflicts.is_empty() {
        out.push_str("; no conflicts");
    } else {
        let list: Vec<String> = conflicts
            .iter()
            .map(|c| match &c.rival {
                Some(r) => format!("{} / {} ({})", c.id, r, c.kind),
                None => format!("{} ({})", c.id, c.kind),
            })
            .collect();
        out.push_str(&format!(
            "; {} conflict{}: {}",
            conflicts.len(),
            if conflicts.len() == 1 { "" } else { "s" },
            list.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests;
