//! Review mode and adjudication mode: what they remember between key presses, and what their
//! commands do to the session.
//!
//! Review mode (`a`, `r`, `e`, `c`, Tab): a reviewer walks the spans and relations and decides
//! each one. The walk is text order, each span followed by the relations that start at it
//! ([`Item`]). `a` / `r` decide the selected span or relation and go to the next **pending**
//! one (wrapping) that the label and author filters keep (a relation by its source's label and
//! its own author); `e` accepts it and keeps it selected to edit (the label keys relabel a span,
//! Alt+Shift+arrows resize it); `c` opens the comment field; Tab / Shift+Tab step through what
//! the filters keep, deciding nothing. Every decision goes through [`Session`] edits, so it is
//! undoable and lands in the history with the reviewer's name.
//!
//! Adjudication mode walks the conflicts of a gold file ([`Conflicts`]) and resolves each with
//! one key (take annotator A's, B's, …, all, neither, or the selected reading to edit it).

use crate::app::commands::{Command, TAKE};
use crate::app::session::{Focus, Session};
use crate::model::{DocumentStatus, Relation, Span, SpanId, Status};
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

    /// Whether the label and author filters keep relation `r` (from a span labelled `from`).
    fn keeps_relation_kind(&self, r: &Relation, from: &Span) -> bool {
        self.label
            .as_deref()
            .is_none_or(|l| from.label.as_str() == l)
            && self.author.as_deref().is_none_or(|a| r.author == a)
    }

    /// Whether every filter keeps `item`.
    fn keeps_item(&self, item: Item<'_>) -> bool {
        match item {
            Item::Span(s) => self.keeps(s),
            Item::Relation(r, from) => {
                self.keeps_relation_kind(r, from)
                    && (!self.pending_only || r.status == Status::Pending)
            }
        }
    }

    /// Whether `item` is one `a` and `r` go on to.
    fn next_item_to_decide(&self, item: Item<'_>) -> bool {
        match item {
            Item::Span(s) => self.next_to_decide(s),
            Item::Relation(r, from) => {
                self.keeps_relation_kind(r, from) && r.status == Status::Pending
            }
        }
    }
}

/// What review mode walks: a span, or a relation (with the span it starts at).
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    Span(&'a Span),
    Relation(&'a Relation, &'a Span),
}

impl Item<'_> {
    fn id(&self) -> &SpanId {
        match self {
            Item::Span(s) => &s.id,
            Item::Relation(r, _) => &r.id,
        }
    }
}

/// The review walk of `session`'s document: spans in text order, each followed by the
/// relations that start at it, by id.
fn walk(session: &Session) -> impl DoubleEndedIterator<Item = Item<'_>> {
    let set = session.doc().set();
    set.spans().flat_map(move |s| {
        let mut items = vec![Item::Span(s)];
        items.extend(
            set.relations_of(&s.id)
                .filter(|r| r.from == s.id)
                .map(|r| Item::Relation(r, s)),
        );
        items
    })
}

/// The item after (or before) the selected span or relation in the walk that `keep` accepts,
/// wrapping around; with nothing selected, the first (or last) one.
fn step_item(
    session: &Session,
    forward: bool,
    keep: &dyn Fn(Item<'_>) -> bool,
) -> Option<(SpanId, bool)> {
    let current = session
        .focus()
        .relation()
        .or_else(|| session.selected_id())
        .cloned();
    let items: Vec<Item<'_>> = if forward {
        walk(session).collect()
    } else {
        walk(session).rev().collect()
    };
    let at = current.and_then(|c| items.iter().position(|i| *i.id() == c));
    let after = at.map_or(0, |i| i + 1);
    items[after..]
        .iter()
        .chain(&items[..after])
        .find(|i| keep(**i))
        .map(|i| (i.id().clone(), matches!(i, Item::Relation(..))))
}

/// Selects the item `step_item` found.
fn select_item(s: &mut Session, (id, is_relation): (SpanId, bool)) {
    if is_relation {
        s.select_relation(&id);
    } else {
        s.select_span(&id);
    }
}

/// The counts the review toolbar shows, and the choices of its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Spans and relations, each decided or pending.
    pub total: usize,
    /// Of which relations.
    pub relations: usize,
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
        for r in doc.set().relations() {
            t.total += 1;
            t.relations += 1;
            match r.status {
                Status::Accepted => t.accepted += 1,
                Status::Rejected => t.rejected += 1,
                Status::Pending => {}
            }
        }
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

    /// `a` and `r`: decides the selected span or relation, then goes to the next pending one.
    pub fn decide(&mut self, s: &mut Session, status: Status, who: &str) {
        let filters = self.filters.clone();
        self.editing = None;
        let pending = |item: Item<'_>| filters.next_item_to_decide(item);
        if let Some(r) = s.selected_relation().cloned() {
            if r.status != status {
                s.set_relation_status(&r.id, status, who);
            }
        } else if let Some(span) = s.selected().cloned() {
            if span.status != status {
                s.set_status(&span.id, status, who);
            }
        } else {
            if let Some(item) = step_item(s, true, &pending) {
                select_item(s, item);
            }
            s.complain("Select a span first: this is the next pending one");
            return;
        }
        match step_item(s, true, &pending) {
            Some(item) => select_item(s, item),
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
        if let Some(r) = s.selected_relation().cloned() {
            if r.status != Status::Accepted {
                s.set_relation_status(&r.id, Status::Accepted, who);
            }
            s.select_relation(&r.id);
            s.say(format!(
                "Accepted the relation; its kind is changed in the details panel (or with its key in annotation mode); {} moves on",
                Command::NextReviewSpan.key_text()
            ));
            return;
        }
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
            "Editing {} (accepted): relabel with {}, resize with Alt+Shift+arrows; {} moves on; {} goes back to annotation mode, where R makes relations",
            s.quote(span.range),
            if keys.is_empty() {
                "the Labels panel".to_string()
            } else {
                keys.join("/")
            },
            Command::NextReviewSpan.key_text(),
            Command::ToggleReview.key_text()
        ));
        self.editing = Some(span.id);
    }

    /// `c`: opens the comment field on the selected span or relation.
    pub fn comment(&mut self, s: &mut Session) {
        match s.focus().relation().or_else(|| s.selected_id()) {
            Some(id) => self.commenting = Some(id.clone()),
            None => s.complain("Select a span to comment on first"),
        }
    }

    /// The comment field closes (kept or cancelled): the span or relation stays selected.
    pub fn end_comment(&mut self, s: &mut Session) {
        if let Some(id) = self.commenting.take() {
            if s.doc().set().relation(&id).is_some() {
                s.select_relation(&id);
            } else {
                s.select_span(&id);
            }
        }
    }

    /// Tab / Shift+Tab in review mode: the next span or relation the filters keep, deciding
    /// nothing.
    pub fn step_review(&mut self, s: &mut Session, forward: bool) {
        let filters = self.filters.clone();
        self.editing = None;
        match step_item(s, forward, &|item| filters.keeps_item(item)) {
            Some(item) => select_item(s, item),
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

    /// The conflict being looked at: the one of the selected span or relation, else the last
    /// one visited.
    pub fn current_conflict(&self, s: &Session, conflicts: &Conflicts) -> Option<usize> {
        s.focus()
            .relation()
            .or_else(|| s.selected_id())
            .and_then(|id| conflicts.group_of(id))
            .or(self.conflict)
            .filter(|&i| i < conflicts.groups.len())
    }

    /// Goes to conflict `i`: selects its first reading and brings it into view.
    fn go_to_conflict(&mut self, s: &mut Session, conflicts: &Conflicts, i: usize) {
        if let Some(first) = conflicts.groups.get(i).and_then(|g| g.spans.first()) {
            select_item(s, (first.clone(), conflicts.groups[i].relations));
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
                    .focus()
                    .relation()
                    .or_else(|| s.selected_id())
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
            select_item(s, (id, conflict.relations));
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
