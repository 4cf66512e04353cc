//! One open document and what the annotator is doing with it: the undo history, the
//! [`Focus`] (a text selection or a span), the status-bar notice. Every annotation command of
//! the workbench is a method here, with no egui in sight, so the logic is tested without a
//! window.
//!
//! The fields are private: the panels read what they need through methods (they get a
//! `&Session`), and only the app's `apply` holds a `&mut Session`. A session may be read-only
//! (the merged document of a comparison): every edit then refuses with the reason it was given.

mod focus;
mod project;
mod relations;
mod suggestions;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use focus::{Focus, Linking, Selection};
pub use suggestions::Scope;

use crate::model::edit::quote;
use crate::model::words::{next_word_end, prev_word_start, snap_to_words};
use crate::model::{
    AuditAction, AuditEntry, AuditValue, CharOffset, CharRange, Document, DocumentStatus, Edit,
    History, Label, SavePoint, Schema, Span, SpanId, Status, Timestamp,
};
use crate::store::guard::{FileStamp, changed_on_disk};
use crate::store::native;
use crate::store::open::Opened;

/// What the labels editor renamed: labels and relation kinds, each (old name, new name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    pub labels: Vec<(Label, Label)>,
    pub kinds: Vec<(Label, Label)>,
}

impl Renames {
    /// Labels renamed, no kind.
    pub fn labels(labels: Vec<(Label, Label)>) -> Self {
        Self {
            labels,
            kinds: Vec::new(),
        }
    }
}

/// A clock, so tests can fix the time.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Which end of a span to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    Start,
    End,
}

/// Which way to move it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
}

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveProblem {
    /// The annotation file on disk is not what was loaded or last saved.
    ChangedOnDisk,
    /// Writing failed; the message names the file.
    Failed(String),
    /// The document is read-only (the notice says why).
    ReadOnly,
}

/// A save to be written: a snapshot of the document and where it goes (see
/// [`Session::save_order`]).
pub struct SaveOrder {
    doc: Document,
    path: PathBuf,
    point: SavePoint,
}

/// A save on disk: where, the state it was taken from, and the written file's stamp.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    point: SavePoint,
    stamp: FileStamp,
}

/// Why a save did not land; the message names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveFailure(pub String);

impl SaveOrder {
    /// Writes the file (atomically: a temporary file, fsync, rename). Runs on any thread,
    /// leaving a core to the window.
    pub fn write(self) -> Result<Written, SaveFailure> {
        let Self { doc, path, point } = self;
        let file = native::Serialised::leaving_a_core(&doc);
        // The snapshot goes before the disk work: an edit made meanwhile then no longer has to
        // copy what the snapshot shares.
        drop(doc);
        // The stamp of what is written, without reading 40 MB back, hashed while the bytes go
        // to disk (most of that wait is the flush, which needs no core).
        let parts = file.parts();
        let (written, stamp) = std::thread::scope(|scope| {
            let hashing = scope.spawn(|| FileStamp::of_parts(&parts));
            let written = file.write(&path);
            let stamp = hashing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (written, stamp)
        });
        written.map_err(|e| SaveFailure(e.to_string()))?;
        // Its time lets the next save's check skip reading the file.
        let modified = crate::store::guard::modified(&path);
        Ok(Written {
            stamp: stamp.timed(modified),
            path,
            point,
        })
    }
}

/// What the last command did, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// A request to bring a char into view: numbered, so a view handles each one once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScrollRequest {
    pub number: u64,
    pub to: CharOffset,
}

pub struct Session {
    doc: Document,
    history: History,
    /// Where Ctrl+S writes.
    native_path: PathBuf,
    article_path: Option<PathBuf>,
    /// Said when the document was opened (unknown labels, a changed article, …).
    warnings: Vec<String>,
    focus: Focus,
    /// Grow selections to whole words.
    snap_words: bool,
    notice: Option<Notice>,
    /// Bumped by every change to spans or schema, so views know when to rebuild.
    generation: u64,
    /// The span ids each recent generation touched (`None`: anything may have changed).
    changes: VecDeque<(u64, Option<Vec<SpanId>>)>,
    /// The last request to bring something into view.
    scroll: Option<ScrollRequest>,
    /// The annotation file as loaded or last saved, to notice changes by someone else.
    disk: Option<FileStamp>,
    /// Why edits are refused, for a read-only document.
    read_only: Option<String>,
    clock: Clock,
    /// How many suggestions are pending, and the generation it was counted at.
    pending_count: std::cell::Cell<Option<(u64, usize)>>,
}

impl Session {
    pub fn new(opened: Opened, clock: Clock) -> Self {
        // The stamp of the file as it was read; documents made another way look at the disk.
        let disk = match &opened.stamp {
            Some(stamp) => Some(stamp.clone()),
            None => FileStamp::of(&opened.native_path),
        };
        Self {
            doc: opened.doc,
            history: History::new(),
            native_path: opened.native_path,
            article_path: opened.article_path,
            warnings: opened.warnings,
            focus: Focus::Nothing,
            snap_words: true,
            notice: None,
            generation: 0,
            changes: VecDeque::new(),
            scroll: None,
            disk,
            read_only: None,
            clock,
            pending_count: std::cell::Cell::new(None),
        }
    }

    /// A document that is shown, never edited or saved: every edit says `reason`.
    pub fn read_only(doc: Document, name: &str, reason: String, clock: Clock) -> Self {
        let mut s = Self::new(Opened::unsaved(doc, PathBuf::from(name)), clock);
        s.read_only = Some(reason);
        s
    }

    pub fn doc(&self) -> &Document {
        &self.doc
    }

    pub fn native_path(&self) -> &Path {
        &self.native_path
    }

    pub fn article_path(&self) -> Option<&Path> {
        self.article_path.as_deref()
    }

    /// What the user must know about the document (shown above the article).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Takes in what verifying the document's file found (on a worker thread, after it was
    /// shown): a history that does not verify is said in the status bar and above the article,
    /// and the next change records the break first (nothing is repaired silently).
    pub fn verified(&mut self, v: &crate::store::native::chain::Verification, who: &str) {
        if v.is_ok() {
            return;
        }
        native::chain::note_break(&mut self.doc, v);
        // Changes made before the verdict came: the break is recorded after them, now.
        if self.doc.audit().len() > self.doc.chain.stored.len() && self.doc.chain.pending.is_some()
        {
            let at = self.now();
            self.doc.note_chain(who, at);
            self.history.mark_unsaved();
        }
        let text = format!(
            "The history of {} {}",
            self.native_path.display(),
            v.summary()
        );
        self.complain(text.clone());
        self.warn(format!(
            "{text}. Your next change is recorded after an entry that notes the break."
        ));
    }

    pub fn warn(&mut self, warning: String) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    pub fn focus(&self) -> &Focus {
        &self.focus
    }

    /// The text selection, if text (or a caret) is selected.
    pub fn selection(&self) -> Option<Selection> {
        self.focus.selection()
    }

    /// The selected span's id, if a span is selected.
    pub fn selected_id(&self) -> Option<&SpanId> {
        self.focus.span()
    }

    pub fn selected(&self) -> Option<&Span> {
        self.focus.span().and_then(|id| self.doc.set().get(id))
    }

    /// Selects what `focus` names (a span that does not exist selects nothing).
    pub fn set_focus(&mut self, focus: Focus) {
        self.focus = match focus {
            Focus::Span(id) if self.doc.set().get(&id).is_none() => Focus::Nothing,
            Focus::Relation(id) if self.doc.set().relation(&id).is_none() => Focus::Nothing,
            f => f,
        };
    }

    /// Selects a span and brings it into view.
    pub fn select_span(&mut self, id: &SpanId) {
        if let Some(span) = self.doc.set().get(id) {
            let start = span.range.start();
            self.focus = Focus::Span(id.clone());
            self.scroll_to(start);
        }
    }

    /// Asks the view to bring char `offset` into view.
    pub fn scroll_to(&mut self, offset: CharOffset) {
        let number = self.scroll.map_or(1, |r| r.number + 1);
        self.scroll = Some(ScrollRequest { number, to: offset });
    }

    /// The last request to bring something into view.
    pub fn scroll_request(&self) -> Option<ScrollRequest> {
        self.scroll
    }

    pub fn snap_words(&self) -> bool {
        self.snap_words
    }

    pub fn set_snap_words(&mut self, on: bool) {
        self.snap_words = on;
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Says what happened, in the status bar.
    pub fn say(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: false,
        });
    }

    /// Says what went wrong, in the status bar.
    pub fn complain(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: true,
        });
    }

    /// Bumped by every change to spans or schema.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Records a change: a new generation, touching `ids` (`None`: anything).
    fn bump(&mut self, ids: Option<Vec<SpanId>>) {
        self.generation += 1;
        self.changes.push_back((self.generation, ids));
        while self.changes.len() > 64 {
            self.changes.pop_front();
        }
    }

    /// The spans changed since `generation`, or `None` when that is not known (too long ago,
    /// or a change that may touch anything, such as a new schema).
    pub fn changed_since(&self, generation: u64) -> Option<Vec<SpanId>> {
        let mut ids = Vec::new();
        if generation == self.generation {
            return Some(ids);
        }
        if self
            .changes
            .front()
            .is_none_or(|(g, _)| *g > generation + 1)
        {
            return None;
        }
        for (g, touched) in &self.changes {
            if *g > generation {
                ids.extend(touched.clone()?);
            }
        }
        ids.sort();
        ids.dedup();
        Some(ids)
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// Whether edits may go ahead; says why not when they may not.
    pub fn editable(&mut self) -> bool {
        match self.read_only.clone() {
            Some(reason) => {
                self.complain(reason);
                false
            }
            None => true,
        }
    }

    /// Applies an edit as `who`, records it for undo, and says what happened.
    fn apply(&mut self, edit: Edit, who: &str) -> bool {
        if !self.editable() {
            return false;
        }
        let touched = edit.span_ids();
        let at = self.now();
        let description = edit.describe(self.doc.set());
        match self.history.apply(&mut self.doc, edit, who, at) {
            Ok(()) => {
                self.bump(Some(touched));
                self.say(capitalise(&description));
                true
            }
            Err(e) => {
                self.complain(format!("Not done: {e}"));
                false
            }
        }
    }

    /// The range a label would get from the current selection: snapped to words when snapping
    /// is on (unless the selection is an exact one, a find match), else widened to whole
    /// characters. `None` when nothing (or only space) is selected.
    pub fn label_range(&self) -> Option<CharRange> {
        let selection = self.selection()?;
        let range = selection.range();
        if range.is_empty() {
            return None;
        }
        let text = self.doc.text();
        // A find match is labelled as found: snapping would grow `NATO` in `NATO’s`.
        if self.snap_words && !selection.exact {
            snap_to_words(text, range)
        } else {
            let start = text.grapheme_floor(range.start());
            let end = text.grapheme_ceil(range.end());
            CharRange::new(start.0, end.0).filter(|r| !r.is_empty())
        }
    }

    /// What a label key (or a click on a label) does: labels the selected text, or (with no
    /// text selected) gives the selected span the label ([`Session::label_span`]). Labelling
    /// the text of a pending suggestion with its own label accepts it. With `propagate`, a new
    /// label is proposed at the other occurrences of its words, in the same undo step.
    pub fn apply_label(&mut self, label: &Label, who: &str, propagate: bool) {
        if let Some(range) = self.label_range() {
            self.label_range_as(range, label, who, propagate);
        } else if let Some(id) = self.selected_id().cloned() {
            self.label_span(&id, label, who, propagate);
        } else {
            self.complain("Select some text first (drag, double-click, or Shift+arrows), or click a span to relabel it");
        }
    }

    fn label_range_as(&mut self, range: CharRange, label: &Label, who: &str, propagate: bool) {
        let existing = self
            .doc
            .set()
            .at_range(range)
            .find(|s| &s.label == label)
            .map(|s| (s.id.clone(), crate::model::suggestion::is_pending(s)));
        if let Some((existing, pending)) = existing {
            self.focus = Focus::Span(existing);
            if pending {
                // The suggestion was right: labelling its text accepts it, never doubles it.
                self.accept_selected(who);
            } else {
                self.say(format!("Already labelled {label}"));
            }
            return;
        }
        let at = self.now();
        let id = self.doc.set().next_id();
        let span = Span::new(id.clone(), label.clone(), range, who, at);
        if self.apply_and_propagate(Edit::add(span), &id, who, propagate) {
            self.focus = Focus::Span(id);
        }
    }

    /// Gives span `id` the label `label`, as a person decides it: a pending suggestion is
    /// relabelled and accepted ([`Session::relabel_and_accept`], then the next one is selected);
    /// a span a person made is relabelled and, with `propagate`, its words are proposed at
    /// their other occurrences in the same undo step. The label keys and the details panel's
    /// label box both come here.
    pub fn label_span(&mut self, id: &SpanId, label: &Label, who: &str, propagate: bool) {
        let Some(span) = self.doc.set().get(id) else {
            self.complain(format!("There is no span {id}"));
            return;
        };
        if crate::model::suggestion::is_pending(span) {
            self.focus = Focus::Span(id.clone());
            self.relabel_and_accept(label, who);
            return;
        }
        let at = self.now();
        match Edit::relabel(self.doc.set(), id, label.clone(), at) {
            Ok(Edit::Relabel { from, .. }) if &from == label => {
                self.say(format!("Already {label}"))
            }
            Ok(edit) => {
                self.apply_and_propagate(edit, id, who, propagate);
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    pub fn delete_selected(&mut self, who: &str) {
        let Some(id) = self.selected_id().cloned() else {
            self.complain("Click a span to select it first");
            return;
        };
        match Edit::remove(self.doc.set(), &id) {
            Ok(edit) => {
                let linked = match &edit {
                    Edit::Remove { relations, .. } => relations.len(),
                    _ => 0,
                };
                let description = edit.describe(self.doc.set());
                if self.apply(edit, who) {
                    self.focus = Focus::Nothing;
                    if linked > 0 {
                        // Never silently: the relations go with the span, and come back with
                        // it on undo.
                        self.say(format!(
                            "{} and its {linked} relation{} (Ctrl+Z brings {} back)",
                            capitalise(&description),
                            if linked == 1 { "" } else { "s" },
                            if linked == 1 { "it" } else { "them all" },
                        ));
                    }
                }
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// Moves one boundary of the selected span by a word (snapping on) or a character.
    pub fn move_boundary(&mut self, boundary: Boundary, direction: Direction, who: &str) {
        let Some(span) = self.selected().cloned() else {
            self.complain("Click a span to select it first");
            return;
        };
        let text = self.doc.text().clone();
        let step = |at: CharOffset| -> CharOffset {
            match (direction, self.snap_words) {
                (Direction::Right, true) => next_word_end(&text, at),
                (Direction::Left, true) => prev_word_start(&text, at),
                (Direction::Right, false) => {
                    text.grapheme_ceil(CharOffset((at.0 + 1).min(text.len_chars())))
                }
                (Direction::Left, false) => text.grapheme_floor(CharOffset(at.0.saturating_sub(1))),
            }
        };
        let (start, end) = (span.range.start(), span.range.end());
        let moved = match boundary {
            Boundary::End => {
                let mut new_end = step(end);
                // Snapping left from a word end lands on that word's start: go to the previous
                // word's end instead, so the span loses one word.
                if self.snap_words && direction == Direction::Left {
                    new_end = prev_word_end(&text, end);
                }
                CharRange::new(start.0, new_end.0)
            }
            Boundary::Start => {
                let mut new_start = step(start);
                if self.snap_words && direction == Direction::Right {
                    new_start = next_word_start(&text, start);
                }
                CharRange::new(new_start.0, end.0)
            }
        };
        let Some(range) = moved.filter(|r| !r.is_empty() && *r != span.range) else {
            self.complain("The span cannot get any smaller or larger that way");
            return;
        };
        let at = self.now();
        match Edit::resize(self.doc.set(), &span.id, range, at) {
            Ok(edit) => {
                self.apply(edit, who);
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    pub fn set_status(&mut self, id: &SpanId, status: Status, who: &str) {
        let at = self.now();
        match Edit::set_status(self.doc.set(), id, status, at) {
            Ok(edit) => {
                self.apply(edit, who);
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// Sets the note of span `id`, or of relation `id` (a reviewer's comment on either).
    pub fn set_note(&mut self, id: &SpanId, note: Option<String>, who: &str) {
        if self.doc.set().relation(id).is_some() {
            self.set_relation_note(id, note, who);
            return;
        }
        let at = self.now();
        match Edit::set_note(self.doc.set(), id, note, at) {
            Ok(edit) => {
                self.apply(edit, who);
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    pub fn set_attr(&mut self, id: &SpanId, key: &str, value: Option<String>, who: &str) {
        let at = self.now();
        match Edit::set_attr(self.doc.set(), id, key, value, at) {
            Ok(edit) => {
                self.apply(edit, who);
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// Applies `edit` as one undoable step called `description`, and adds `history` as a
    /// `document` line to the file's history (a conflict resolved and what was chosen).
    pub fn apply_recorded(
        &mut self,
        edit: Edit,
        description: &str,
        history: String,
        who: &str,
    ) -> bool {
        if !self.apply(edit, who) {
            return false;
        }
        let at = self.now();
        self.doc.log(AuditEntry::document(at, who, history));
        self.say(capitalise(description));
        true
    }

    /// Sets the document's status, with an entry in the audit history (saved with Ctrl+S, not
    /// on the undo list). Returns whether it changed.
    pub fn set_document_status(&mut self, status: DocumentStatus, who: &str) -> bool {
        let before = self.doc.status;
        if before == status || !self.editable() {
            return false;
        }
        let at = self.now();
        self.doc.status = status;
        self.doc.log(AuditEntry {
            at,
            who: who.into(),
            action: AuditAction::Document,
            target: None,
            detail: Some("document status".into()),
            before: Some(AuditValue::Text(before.as_str().into())),
            after: Some(AuditValue::Text(status.as_str().into())),
        });
        self.history.mark_unsaved();
        true
    }

    /// Takes `doc` (recovered unsaved work) as the current, unsaved state. Returns whether its
    /// text differs from the one shown.
    pub fn take_recovered(&mut self, doc: Document) -> bool {
        let text_changed = doc.text().as_str() != self.doc.text().as_str();
        self.doc = doc;
        self.history = History::new();
        self.history.mark_unsaved();
        self.focus = Focus::Nothing;
        self.bump(None);
        text_changed
    }

    /// Labels every range (find matches) as `label` in one undoable step; ranges that already
    /// carry the label are left alone. Returns how many were labelled.
    pub fn label_all(
        &mut self,
        ranges: &[CharRange],
        label: &Label,
        query: &str,
        who: &str,
    ) -> usize {
        let at = self.now();
        let mut probe = self.doc.set().clone();
        let mut edits = Vec::new();
        for &range in ranges {
            if probe.at_range(range).any(|s| &s.label == label) {
                continue;
            }
            let span = Span::new(probe.next_id(), label.clone(), range, who, at);
            let edit = Edit::add(span);
            if edit.apply(&mut probe).is_ok() {
                edits.push(edit);
            }
        }
        // Pending suggestions of the label among the matches are accepted in the same step.
        let pending: Vec<SpanId> = ranges
            .iter()
            .filter_map(|r| {
                self.doc
                    .set()
                    .at_range(*r)
                    .find(|s| &s.label == label && crate::model::suggestion::is_pending(s))
                    .map(|s| s.id.clone())
            })
            .collect();
        if !pending.is_empty() {
            return self.label_and_accept_all(edits, &pending, label, query, who);
        }
        let n = edits.len();
        let already = ranges.len() - n;
        if n == 0 {
            self.say(format!(
                "All {} matches are already labelled {label}",
                ranges.len()
            ));
            return 0;
        }
        let description = format!(
            "label {n} match{} of '{query}' as {label}",
            if n == 1 { "" } else { "es" }
        );
        if self.apply(Edit::Group { description, edits }, who) && already > 0 {
            self.say(format!(
                "Labelled {n} matches as {label}; {already} already had it"
            ));
        }
        n
    }

    pub fn undo(&mut self, who: &str) {
        if !self.editable() {
            return;
        }
        let at = self.now();
        match self.history.undo(&mut self.doc, who, at) {
            Ok(Some(edit)) => {
                self.bump(Some(edit.span_ids()));
                self.after_history_step(&edit, true);
            }
            Ok(None) => self.say("Nothing to undo"),
            Err(e) => self.complain(format!("Cannot undo: {e}")),
        }
    }

    pub fn redo(&mut self, who: &str) {
        if !self.editable() {
            return;
        }
        let at = self.now();
        match self.history.redo(&mut self.doc, who, at) {
            Ok(Some(edit)) => {
                self.bump(Some(edit.span_ids()));
                self.after_history_step(&edit, false);
            }
            Ok(None) => self.say("Nothing to redo"),
            Err(e) => self.complain(format!("Cannot redo: {e}")),
        }
    }

    fn after_history_step(&mut self, edit: &Edit, undone: bool) {
        // Every edit carries what its description quotes, so the current state serves.
        let description = edit.describe(self.doc.set());
        let touched = edit
            .span_ids()
            .into_iter()
            .find(|id| self.doc.set().get(id).is_some());
        self.focus = Focus::Nothing;
        if let Some(id) = touched {
            self.select_span(&id);
        }
        self.say(format!(
            "{}: {description}",
            if undone { "Undid" } else { "Redid" }
        ));
    }

    /// "Undo: label 'Lavrov' as actor", for the Edit menu.
    pub fn undo_text(&self) -> Option<String> {
        self.history
            .next_undo()
            .map(|e| format!("Undo: {}", e.describe(self.doc.set())))
    }

    pub fn redo_text(&self) -> Option<String> {
        self.history
            .next_redo()
            .map(|e| format!("Redo: {}", e.describe(self.doc.set())))
    }

    /// Selects the next (or previous) span after the selected span, or after the caret.
    pub fn step_span(&mut self, forward: bool) {
        let set = self.doc.set();
        let current = self.selected().cloned();
        let caret = self.selection().map(|s| s.focus.0).unwrap_or(0);
        let next = if forward {
            set.spans()
                .find(|s| match &current {
                    Some(c) => s.sort_key() > c.sort_key(),
                    None => s.range.start().0 >= caret,
                })
                .or_else(|| set.spans().next())
        } else {
            set.spans()
                .rev()
                .find(|s| match &current {
                    Some(c) => s.sort_key() < c.sort_key(),
                    None => s.range.start().0 < caret,
                })
                .or_else(|| set.spans().next_back())
        };
        match next.map(|s| s.id.clone()) {
            Some(id) => self.select_span(&id),
            None => self.say("There are no spans yet"),
        }
    }

    /// Replaces the schema (label editor), relabelling the spans of a renamed label and
    /// retyping the relations of a renamed kind in one undoable step.
    pub fn set_schema(&mut self, schema: Schema, renamed: &Renames, who: &str) {
        if !self.editable() {
            return;
        }
        let at = self.now();
        let mut edits = Vec::new();
        let set = self.doc.set();
        for (from, to) in &renamed.labels {
            for span in set.spans().filter(|s| &s.label == from) {
                if let Ok(edit) = Edit::relabel(set, &span.id, to.clone(), at) {
                    edits.push(edit);
                }
            }
        }
        for (from, to) in &renamed.kinds {
            for r in set.relations().filter(|r| &r.kind == from) {
                if let Ok(edit) = Edit::retype_relation(set, &r.id, to.clone()) {
                    edits.push(edit);
                }
            }
        }
        self.doc.schema = schema;
        self.doc
            .log(AuditEntry::document(at, who, "schema changed"));
        self.history.mark_unsaved();
        self.bump(None);
        if !edits.is_empty() {
            let description = format!("rename ({} spans and relations)", edits.len());
            self.apply(Edit::Group { description, edits }, who);
        } else {
            self.say("Labels updated");
        }
    }

    /// Saves the annotation file beside the article, unless someone changed it on disk since
    /// it was loaded or last saved (then the user chooses: overwrite, keep both, cancel).
    pub fn save(&mut self) -> Result<(), SaveProblem> {
        let order = self.save_order(true)?;
        let written = order.write();
        self.saved(written)
    }

    /// Saves over whatever is on disk.
    pub fn save_anyway(&mut self) -> Result<(), SaveProblem> {
        let order = self.save_order(false)?;
        let written = order.write();
        self.saved(written)
    }

    /// What a save writes: a snapshot of the document (cheap: the text is shared), to be written
    /// here or on a worker thread while editing goes on. With `check`, refuses when the file
    /// changed on disk since it was loaded or last saved (a size and time check; the file is
    /// read only when its time moved and its size did not).
    pub fn save_order(&mut self, check: bool) -> Result<SaveOrder, SaveProblem> {
        if !self.editable() {
            return Err(SaveProblem::ReadOnly);
        }
        if check && changed_on_disk(&self.native_path, self.disk.as_ref()) {
            return Err(SaveProblem::ChangedOnDisk);
        }
        Ok(SaveOrder {
            doc: self.doc.clone(),
            path: self.native_path.clone(),
            point: self.history.save_point(),
        })
    }

    /// Takes in the outcome of a [`SaveOrder`]: marks what was written as saved (edits made
    /// meanwhile stay unsaved), keeps the new file's stamp for the next change check, and says
    /// so in the status bar. A save of another file (a document since closed) changes nothing.
    pub fn saved(&mut self, written: Result<Written, SaveFailure>) -> Result<(), SaveProblem> {
        match written {
            Ok(w) if w.path == self.native_path => {
                self.history.mark_saved_at(w.point);
                self.disk = Some(w.stamp);
                self.say(format!("Saved {}", self.native_path.display()));
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(SaveFailure(message)) => {
                self.complain(message.clone());
                Err(SaveProblem::Failed(message))
            }
        }
    }

    /// Saves this version beside the other one (`….mine-20261129T101500.spanmark.json`),
    /// leaving the file on disk as it is. Returns the new file's path.
    pub fn save_copy(&mut self) -> Result<PathBuf, SaveProblem> {
        let stamp: String = self
            .now()
            .to_string()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let name = self
            .native_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = name
            .strip_suffix(native::SUFFIX)
            .unwrap_or(&name)
            .to_string();
        let copy = self
            .native_path
            .with_file_name(format!("{stem}.mine-{stamp}{}", native::SUFFIX));
        match native::save(&self.doc, &copy) {
            Ok(()) => {
                self.say(format!("Saved your version as {}", copy.display()));
                Ok(copy)
            }
            Err(e) => {
                let message = e.to_string();
                self.complain(message.clone());
                Err(SaveProblem::Failed(message))
            }
        }
    }

    /// The text of a span, quoted for messages.
    pub fn quote(&self, range: CharRange) -> String {
        quote(self.doc.text(), range)
    }
}

/// The end of the word before the one that ends at `offset`.
fn prev_word_end(text: &crate::model::Text, offset: CharOffset) -> CharOffset {
    let start_of_last = prev_word_start(text, offset);
    let before = prev_word_start(text, start_of_last);
    if before == start_of_last {
        return start_of_last;
    }
    let end = next_word_end(text, before);
    if end >= offset { start_of_last } else { end }
}

/// The start of the word after the one that starts at `offset`.
fn next_word_start(text: &crate::model::Text, offset: CharOffset) -> CharOffset {
    let end_of_first = next_word_end(text, offset);
    let after = next_word_end(text, end_of_first);
    if after == end_of_first {
        return end_of_first;
    }
    let start = prev_word_start(text, after);
    if start <= offset { end_of_first } else { start }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
