//! Review mode and adjudication mode: what they remember between key presses, and what their
//! commands do to the session.
//!
//! Review mode (`a`, `r`, `e`, `c`, Tab): a reviewer walks the spans and decides each one.
//! `a` / `r` decide the selected span and go to the next **pending** span (after the current
//! one in text order, wrapping) that the label and author filters keep; `e` accepts it and
//! keeps it selected to edit (the label keys relabel it, Alt+Shift+arrows resize it); `c`
//! opens the comment field; Tab / Shift+Tab step through the spans the filters keep, deciding
//! nothing. Every decision goes through [`Session`] edits, so it is undoable and lands in the
//! history with the reviewer's name.
//!
//! Adjudication mode walks the conflicts of a gold file ([`Conflicts`]) and resolves each with
//! one key (take annotator A's, B's, …, all, neither, or the selected reading to edit it).

use crate::app::commands::{Command, TAKE};
use crate::app::session::{Focus, Session};
use crate::model::{DocumentStatus, Span, SpanId, Status};
use crate::review::conflicts::{Choice, Conflicts, resolution};

/// What the reviewer wants to see: pending spans only, one label, one author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    pub pending_only: bool,
    pub label: Option<String>,
    pub author: Option<String>,
}

impl Default for Filters {
    fn default() -> Self {
        Self {
            pending_only: true,
            label: None,
            author: None,
        }
    }
}

impl Filters {
    /// Whether the label and author filters keep `span` (whatever its status).
    pub fn keeps_kind(&self, span: &Span) -> bool {
        self.label
            .as_deref()
            .is_none_or(|l| span.label.as_str() == l)
            && self.author.as_deref().is_none_or(|a| &*span.author == a)
    }

    /// Whether every filter keeps `span`.
    pub fn keeps(&self, span: &Span) -> bool {
        self.keeps_kind(span) && (!self.pending_only || span.status == Status::Pending)
    }

    /// Whether `span` is one `a` and `r` go on to: pending and of the kind the filters keep.
    fn next_to_decide(&self, span: &Span) -> bool {
        self.keeps_kind(span) && span.status == Status::Pending
    }
}

/// The counts the review toolbar shows, and the choices of its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Labels of the schema, then labels only spans use.
    pub labels: Vec<String>,
    pub authors: Vec<String>,
}

impl Tally {
    pub fn of(session: &Session) -> Self {
        let doc = session.doc();
        let mut t = Tally::default();
        let mut authors = std::collections::BTreeSet::new();
        let mut labels: Vec<String> = doc
            .schema
            .labels()
            .iter()
            .map(|d| d.name.to_string())
            .collect();
        let mut extra = std::collections::BTreeSet::new();
        for span in doc.set().spans() {
            t.total += 1;
            match span.status {
                Status::Accepted => t.accepted += 1,
                Status::Rejected => t.rejected += 1,
                Status::Pending => {}
            }
            if !authors.contains(&*span.author) {
                authors.insert(span.author.to_string());
            }
            if !labels.iter().any(|l| l == span.label.as_str()) {
                extra.insert(span.label.to_string());
            }
        }
        labels.extend(extra);
        t.labels = labels;
        t.authors = authors.into_iter().collect();
        t
    }

    pub fn decided(&self) -> usize {
        self.accepted + self.rejected
    }

    pub fn pending(&self) -> usize {
        self.total - self.decided()
    }
}

/// The next (or previous) span after the selected one in text order that `keep` accepts,
/// wrapping around; with nothing selected, the first (or last) one.
pub fn step(session: &Session, forward: bool, keep: &dyn Fn(&Span) -> bool) -> Option<SpanId> {
    let set = session.doc().set();
    let key_of = |s: &Span| {
        let (a, b, c, d) = s.sort_key();
        (a, b, c.to_string(), d.to_string())
    };
    let current = session.selected().map(key_of);
    let found = if forward {
        set.spans()
            .filter(|s| keep(s))
            .find(|s| current.as_ref().is_none_or(|c| key_of(s) > *c))
            .or_else(|| set.spans().find(|s| keep(s)))
    } else {
        set.spans()
            .rev()
            .filter(|s| keep(s))
            .find(|s| current.as_ref().is_none_or(|c| key_of(s) < *c))
            .or_else(|| set.spans().rev().find(|s| keep(s)))
    };
    found.map(|s| s.id.clone())
}

/// The first span in text order that `keep` accepts.
pub fn first(session: &Session, keep: &dyn Fn(&Span) -> bool) -> Option<SpanId> {
    session
        .doc()
        .set()
        .spans()
        .find(|s| keep(s))
        .map(|s| s.id.clone())
}

/// `in progress`, `annotated`, `reviewed`.
pub fn status_text(status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::InProgress => "in progress",
        DocumentStatus::Annotated => "annotated",
        DocumentStatus::Reviewed => "reviewed",
    }
}

/// `A`, `B`, … for the annotators of an adjudication, in name order.
pub fn annotator_letter(i: usize) -> char {
    u8::try_from(i)
        .ok()
        .filter(|i| *i < 26)
        .map_or('?', |i| char::from(b'A' + i))
}

/// Cache key: which session is shown, and its generation.
type Key = (u64, u64);

/// The state of review and adjudication.
#[derive(Debug, Default)]
pub struct ReviewState {
    pub filters: Filters,
    /// The span whose comment is being written (review mode).
    pub commenting: Option<SpanId>,
    /// The span accepted with `e` and being edited.
    pub editing: Option<SpanId>,
    /// The conflict last gone to (adjudication).
    pub conflict: Option<usize>,
    tally: Option<(Key, Tally)>,
    conflicts: Option<(Key, Conflicts)>,
}

impl ReviewState {
    /// Another session is shown: forget what belonged to the last one.
    pub fn swapped(&mut self) {
        self.commenting = None;
        self.editing = None;
        self.conflict = None;
    }

    /// The counts of the session shown, as of the last [`Self::refresh_tally`].
    pub fn tally(&self) -> Option<&Tally> {
        self.tally.as_ref().map(|(_, t)| t)
    }

    /// Counts again when the session changed.
    pub fn refresh_tally(&mut self, s: &Session, shown: u64) {
        let key = (shown, s.generation());
        if self.tally.as_ref().is_none_or(|(k, _)| *k != key) {
            self.tally = Some((key, Tally::of(s)));
        }
    }

    /// The conflicts of `s`, found again when it changed.
    pub fn conflicts(&mut self, s: &Session, shown: u64) -> &Conflicts {
        let key = (shown, s.generation());
        if self.conflicts.as_ref().is_none_or(|(k, _)| *k != key) {
            self.conflicts = Some((key, Conflicts::of(s.doc())));
        }
        &self
            .conflicts
            .get_or_insert_with(|| (key, Conflicts::default()))
            .1
    }

    /// The conflicts as of the last change (what the toolbar shows).
    pub fn known_conflicts(&self) -> Option<&Conflicts> {
        self.conflicts.as_ref().map(|(_, c)| c)
    }

    /// Review mode starts (or a document opens in it): the first pending span the filters keep.
    pub fn start_review(&mut self, s: &mut Session) {
        let filters = self.filters.clone();
        match first(s, &|span| filters.next_to_decide(span)) {
            Some(id) => s.select_span(&id),
            None => {
                s.set_focus(Focus::Nothing);
                s.say(format!(
                    "Review mode: no pending span is left; {} steps through the decided ones",
                    Command::NextReviewSpan.key_text()
                ));
            }
        }
    }

    /// `a` and `r`: decides the selected span, then goes to the next pending one.
    pub fn decide(&mut self, s: &mut Session, status: Status, who: &str) {
        let filters = self.filters.clone();
        self.editing = None;
        let pending = |span: &Span| filters.next_to_decide(span);
        let Some(span) = s.selected().cloned() else {
            if let Some(id) = step(s, true, &pending) {
                s.select_span(&id);
            }
            s.complain("Select a span first: this is the next pending one");
            return;
        };
        if span.status != status {
            s.set_status(&span.id, status, who);
        }
        match step(s, true, &pending) {
            Some(id) => s.select_span(&id),
            None => {
                let t = Tally::of(s);
                s.say(format!(
                    "Every span is decided ({} accepted, {} rejected): {} saves; mark the document reviewed above",
                    t.accepted,
                    t.rejected,
                    Command::Save.key_text()
                ));
            }
        }
    }

    /// `e`: accepts the selected span and keeps it selected for editing.
    pub fn accept_and_edit(&mut self, s: &mut Session, who: &str) {
        let Some(span) = s.selected().cloned() else {
            s.complain(format!(
                "Select a span to edit first ({} goes to the next one)",
                Command::NextReviewSpan.key_text()
            ));
            return;
        };
        if span.status != Status::Accepted {
            s.set_status(&span.id, Status::Accepted, who);
        }
        let keys: Vec<String> = s
            .doc()
            .schema
            .labels()
            .iter()
            .filter_map(|d| d.hotkey.map(String::from))
            .collect();
        s.say(format!(
            "Editing {} (accepted): relabel with {}, resize with Alt+Shift+arrows; {} moves on",
            s.quote(span.range),
            if keys.is_empty() {
                "the Labels panel".to_string()
            } else {
                keys.join("/")
            },
            Command::NextReviewSpan.key_text()
        ));
        self.editing = Some(span.id);
    }

    /// `c`: opens the comment field on the selected span.
    pub fn comment(&mut self, s: &mut Session) {
        match s.selected_id() {
            Some(id) => self.commenting = Some(id.clone()),
            None => s.complain("Select a span to comment on first"),
        }
    }

    /// The comment field closes (kept or cancelled): the span stays selected.
    pub fn end_comment(&mut self, s: &mut Session) {
        if let Some(id) = self.commenting.take() {
            s.select_span(&id);
        }
    }

    /// Tab / Shift+Tab in review mode: the next span the filters keep, deciding nothing.
    pub fn step_review(&mut self, s: &mut Session, forward: bool) {
        let filters = self.filters.clone();
        self.editing = None;
        match step(s, forward, &|span| filters.keeps(span)) {
            Some(id) => s.select_span(&id),
            None => s.say(if filters.pending_only {
                "No pending span matches the filters"
            } else {
                "No span matches the filters"
            }),
        }
    }

    /// Sets the document's status (saved with Ctrl+S).
    pub fn set_document_status(s: &mut Session, status: DocumentStatus, who: &str) {
        if s.set_document_status(status, who) {
            s.say(format!(
                "Document marked {}; {} saves it",
                status_text(status),
                Command::Save.key_text()
            ));
        }
    }

    /// The conflict being looked at: the one of the selected span, else the last one visited.
    pub fn current_conflict(&self, s: &Session, conflicts: &Conflicts) -> Option<usize> {
        s.selected_id()
            .and_then(|id| conflicts.group_of(id))
            .or(self.conflict)
            .filter(|&i| i < conflicts.groups.len())
    }

    /// Goes to conflict `i`: selects its first span and brings it into view.
    fn go_to_conflict(&mut self, s: &mut Session, conflicts: &Conflicts, i: usize) {
        if let Some(first) = conflicts.groups.get(i).and_then(|g| g.spans.first()) {
            s.select_span(first);
            self.conflict = Some(i);
        }
    }

    /// Adjudication mode starts (or a document opens in it): the first unresolved conflict.
    pub fn start_adjudication(&mut self, s: &mut Session, shown: u64) {
        let conflicts = self.conflicts(s, shown).clone();
        self.conflict = None;
        match conflicts.next_unresolved(s.doc(), None, true) {
            Some(i) => self.go_to_conflict(s, &conflicts, i),
            None if conflicts.groups.is_empty() => s.say(
                "This document has no conflicts: open a gold file (spanmark adjudicate, or Compare > Adjudicate)",
            ),
            None => s.say("Every conflict is resolved"),
        }
    }

    /// Tab / Shift+Tab in adjudication mode.
    pub fn step_conflict(&mut self, s: &mut Session, shown: u64, forward: bool) {
        let conflicts = self.conflicts(s, shown).clone();
        let from = self.current_conflict(s, &conflicts);
        match conflicts.next_unresolved(s.doc(), from, forward) {
            Some(i) => self.go_to_conflict(s, &conflicts, i),
            None => s.say(format!(
                "Every conflict is resolved: {} saves the gold file",
                Command::Save.key_text()
            )),
        }
    }

    /// Resolves the current conflict as `command` chooses (a take command).
    pub fn take(&mut self, s: &mut Session, shown: u64, command: Command, who: &str) {
        let conflicts = self.conflicts(s, shown).clone();
        let Some(i) = self.current_conflict(s, &conflicts) else {
            s.complain(format!(
                "No conflict selected: {} goes to the next one",
                Command::NextConflict.key_text()
            ));
            return;
        };
        let conflict = &conflicts.groups[i];
        let choice = match command {
            Command::TakeAll => Choice::All,
            Command::TakeNone => Choice::Neither,
            Command::TakeAndEdit => {
                let selected = s
                    .selected_id()
                    .filter(|id| conflict.spans.contains(id))
                    .cloned();
                match selected.or_else(|| conflict.spans.first().cloned()) {
                    Some(id) => Choice::Only(id),
                    None => return,
                }
            }
            take => {
                let k = take.take_index().unwrap_or(TAKE.len());
                match conflicts.annotators.get(k) {
                    Some(name) => Choice::Annotator(name.clone()),
                    None => {
                        s.complain(format!(
                            "There is no annotator {} in this file",
                            annotator_letter(k)
                        ));
                        return;
                    }
                }
            }
        };
        match resolution(s.doc(), conflict, &choice, s.now()) {
            Ok(r) => {
                s.apply_recorded(r.edit, &r.description, r.history, who);
            }
            Err(place) => s.say(format!(
                "The conflict at {place} is already resolved that way"
            )),
        }
        self.conflict = Some(i);
        let note = s.notice().map(|n| n.text.clone()).unwrap_or_default();
        if let Choice::Only(id) = choice {
            s.select_span(&id);
            s.say(format!(
                "{note}; relabel it with a label key, resize with Alt+Shift+arrows; {} moves on",
                Command::NextConflict.key_text()
            ));
            return;
        }
        match conflicts.next_unresolved(s.doc(), Some(i), true) {
            Some(next) => self.go_to_conflict(s, &conflicts, next),
            None => s.say(format!(
                "{note}. Every conflict is resolved: {} saves",
                Command::Save.key_text()
            )),
        }
    }
}

#[cfg(test)]
mod tests;
