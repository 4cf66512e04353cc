//! Linear undo/redo of edits, with a dirty flag.
//!
//! Every applied edit gets a new revision number; the document's revision is that of the last
//! edit not undone (0 for none). The file is dirty when the current revision differs from the one
//! saved, so undoing back to the saved state makes it clean again, and a new edit after an undo
//! (which drops the redo list) can never look saved. Undo history lives only in the session;
//! the file keeps the audit log instead.

use crate::model::document::Document;
use crate::model::edit::Edit;
use crate::model::set::SetError;
use crate::model::span::Timestamp;

#[derive(Debug, Clone, Default)]
pub struct History {
    done: Vec<(u64, Edit)>,
    undone: Vec<(u64, Edit)>,
    last_revision: u64,
    saved_revision: u64,
    /// How many times the document was marked changed without an edit: a save taken before
    /// such a change must not mark the document clean when it lands.
    unsaved_marks: u64,
}

/// The state a save was taken from (see [`History::save_point`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavePoint {
    revision: u64,
    unsaved_marks: u64,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies `edit` to `doc` and records it; drops whatever could be redone.
    pub fn apply(
        &mut self,
        doc: &mut Document,
        edit: Edit,
        who: &str,
        at: Timestamp,
    ) -> Result<(), SetError> {
        doc.apply(&edit, who, at)?;
        self.record(edit);
        Ok(())
    }

    /// Records `edit`, which the caller has already applied to the document (the suggestion
    /// engine applies its own edits and returns them); drops whatever could be redone.
    pub fn record(&mut self, edit: Edit) {
        self.last_revision += 1;
        self.done.push((self.last_revision, edit));
        self.undone.clear();
    }

    /// Undoes the last edit. Returns it (for "Undid: …" and to select what changed), or `None`
    /// when there is nothing to undo.
    pub fn undo(
        &mut self,
        doc: &mut Document,
        who: &str,
        at: Timestamp,
    ) -> Result<Option<Edit>, SetError> {
        let Some((revision, edit)) = self.done.pop() else {
            return Ok(None);
        };
        if let Err(e) = doc.apply(&edit.inverse(), who, at) {
            self.done.push((revision, edit));
            return Err(e);
        }
        self.undone.push((revision, edit.clone()));
        Ok(Some(edit))
    }

    /// Redoes the last undone edit.
    pub fn redo(
        &mut self,
        doc: &mut Document,
        who: &str,
        at: Timestamp,
    ) -> Result<Option<Edit>, SetError> {
        let Some((revision, edit)) = self.undone.pop() else {
            return Ok(None);
        };
        if let Err(e) = doc.apply(&edit, who, at) {
            self.undone.push((revision, edit));
            return Err(e);
        }
        self.done.push((revision, edit.clone()));
        Ok(Some(edit))
    }

    /// The edit `undo` would undo.
    pub fn next_undo(&self) -> Option<&Edit> {
        self.done.last().map(|(_, e)| e)
    }

    /// The edit `redo` would redo.
    pub fn next_redo(&self) -> Option<&Edit> {
        self.undone.last().map(|(_, e)| e)
    }

    pub fn revision(&self) -> u64 {
        self.done.last().map_or(0, |(r, _)| *r)
    }

    pub fn is_dirty(&self) -> bool {
        self.revision() != self.saved_revision
    }

    /// Call after the document was saved.
    pub fn mark_saved(&mut self) {
        self.saved_revision = self.revision();
    }

    /// Marks the document as changed although no edit was made (recovered work, a schema edit).
    pub fn mark_unsaved(&mut self) {
        self.saved_revision = u64::MAX;
        self.unsaved_marks += 1;
    }

    /// Where the document is now, for a save that writes a snapshot on another thread while
    /// editing goes on.
    pub fn save_point(&self) -> SavePoint {
        SavePoint {
            revision: self.revision(),
            unsaved_marks: self.unsaved_marks,
        }
    }

    /// Call when the save taken at `point` is on disk: the document is clean if nothing changed
    /// since, and dirty otherwise (undoing back to `point` makes it clean again). A change made
    /// without an edit after `point` keeps it dirty.
    pub fn mark_saved_at(&mut self, point: SavePoint) {
        if point.unsaved_marks == self.unsaved_marks {
            self.saved_revision = point.revision;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::label::Schema;
    use crate::model::marked::{label, marked};
    use crate::model::span::{Span, SpanId};
    use crate::model::text::{CharRange, Text};
    use crate::model::{Document, Source};
    use proptest::prelude::*;

    fn doc(text: &str) -> Document {
        Document::new(
            Source::default(),
            Text::new(text.to_string()),
            "ann",
            Schema::default(),
        )
    }

    fn add(d: &Document, start: usize, end: usize, l: &str) -> Edit {
        Edit::add(Span::new(
            d.set().next_id(),
            label(l),
            CharRange::new(start, end).unwrap(),
            "ann",
            Timestamp::from_unix(1),
        ))
    }

    #[test]
    fn a_save_that_lands_after_more_edits_leaves_them_unsaved() {
        let mut d = doc("Lavrov said on Monday");
        let mut h = History::new();
        let t = Timestamp::from_unix(2);
        let e = add(&d, 0, 6, "actor");
        h.apply(&mut d, e, "ann", t).unwrap();
        let point = h.save_point();
        // Editing goes on while the snapshot is written.
        let e = add(&d, 15, 21, "date");
        h.apply(&mut d, e, "ann", t).unwrap();
        h.mark_saved_at(point);
        assert!(h.is_dirty(), "the date was not in the snapshot");
        h.undo(&mut d, "ann", t).unwrap();
        assert!(!h.is_dirty(), "back at what was written");

        // Nothing changed meanwhile: clean.
        let point = h.save_point();
        h.mark_saved_at(point);
        assert!(!h.is_dirty());

        // A change without an edit (a schema edit) after the snapshot keeps it dirty.
        let point = h.save_point();
        h.mark_unsaved();
        h.mark_saved_at(point);
        assert!(h.is_dirty());
    }

    #[test]
    fn undo_redo_and_dirty() {
        let (text, _) = marked("Lavrov said on Monday");
        let mut d = doc(&text);
        let mut h = History::new();
        let t = Timestamp::from_unix(2);
        assert!(!h.is_dirty());
        let e = add(&d, 0, 6, "actor");
        h.apply(&mut d, e, "ann", t).unwrap();
        h.mark_saved();
        assert!(!h.is_dirty());
        let e = add(&d, 15, 21, "date");
        h.apply(&mut d, e, "ann", t).unwrap();
        assert!(h.is_dirty());
        assert_eq!(
            h.next_undo().unwrap().describe(d.set()),
            "label 'Monday' as date"
        );
        h.undo(&mut d, "ann", t).unwrap();
        assert!(!h.is_dirty(), "back at the saved revision");
        assert_eq!(d.set().len(), 1);
        h.redo(&mut d, "ann", t).unwrap();
        assert_eq!(d.set().len(), 2);
        h.undo(&mut d, "ann", t).unwrap();
        h.undo(&mut d, "ann", t).unwrap();
        assert!(h.is_dirty());
        assert_eq!(h.undo(&mut d, "ann", t).unwrap(), None);
        // A new edit drops the redo list and is never mistaken for the saved state.
        let e = add(&d, 7, 11, "action");
        h.apply(&mut d, e, "ann", t).unwrap();
        assert_eq!(h.next_redo(), None);
        assert!(h.is_dirty());
        // The audit log kept everything, undos included.
        let actions: Vec<_> = d.audit().iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["add", "add", "remove", "add", "remove", "remove", "add"]
        );
        assert_eq!(d.set().spans().next().unwrap().id, SpanId::numbered(3));
    }

    proptest! {
        /// Any sequence of applies, undos and redos leaves the document equal to replaying the
        /// edits that are "done" on a fresh document; undoing everything gives the start back.
        #[test]
        fn undo_redo_sequences_are_consistent(ops in prop::collection::vec((0u8..3, 0usize..20, 1usize..6, 0usize..4), 1..60)) {
            let text = "Sergey Lavrov said Monday that NATO expelled staff. 日本 👍🏽 done";
            let n = Text::new(text.to_string()).len_chars();
            let mut d = doc(text);
            let start = d.clone();
            let mut h = History::new();
            let t = Timestamp::from_unix(3);
            let labels = ["actor", "action", "date", "claim"];
            for (op, a, len, l) in ops {
                match op {
                    0 => {
                        let s = d.text().grapheme_floor(crate::model::CharOffset(a.min(n))).0;
                        let e = d.text().grapheme_ceil(crate::model::CharOffset((s + len).min(n))).0;
                        if s < e {
                            let edit = add(&d, s, e, labels[l]);
                            let mut probe = d.clone();
                            if probe.apply(&edit, "ann", t).is_ok() {
                                h.apply(&mut d, edit, "ann", t).unwrap();
                            }
                        }
                    }
                    1 => { h.undo(&mut d, "ann", t).unwrap(); }
                    _ => { h.redo(&mut d, "ann", t).unwrap(); }
                }
                let mut replay = start.clone();
                for (_, edit) in &h.done {
                    replay.apply(edit, "ann", t).unwrap();
                }
                prop_assert_eq!(replay.set(), d.set());
            }
            while h.undo(&mut d, "ann", t).unwrap().is_some() {}
            prop_assert_eq!(d.set(), start.set());
            prop_assert!(!h.is_dirty());
        }
    }
}
