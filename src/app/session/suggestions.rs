//! Suggestions in the session: stepping through the pending ones, accepting and rejecting them
//! (one at a time or all in a scope), and adding what a source proposes. The engine
//! ([`crate::assist::suggest`]) applies the edits and writes the history entries; the session
//! records the edits it returns as one undoable step.

use super::{Focus, Session};
use crate::assist::propagate;
use crate::assist::suggest::{self, Proposal};
use crate::model::edit::quote;
use crate::model::suggestion::{agent, is_pending};
use crate::model::{CharRange, Edit, Label, Span, SpanId, Timestamp};

/// Which pending suggestions an "all" command answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every one in the document.
    Document,
    /// Those that overlap this range (the paragraphs on screen).
    Range(CharRange),
    /// Those made by this agent.
    Agent(String),
}

impl Scope {
    fn holds(&self, span: &Span) -> bool {
        match self {
            Scope::Document => true,
            Scope::Range(r) => span.range.overlaps(r),
            Scope::Agent(a) => agent(span) == Some(a.as_str()),
        }
    }

    fn name(&self) -> String {
        match self {
            Scope::Document => "in the document".to_string(),
            Scope::Range(_) => "on screen".to_string(),
            Scope::Agent(a) => format!("of agent {a}"),
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Session {
    /// The pending suggestions, in text order.
    pub fn pending_suggestions(&self) -> Vec<&Span> {
        self.doc.set().spans().filter(|s| is_pending(s)).collect()
    }

    /// How many suggestions are pending (counted once per change, for the status bar).
    pub fn pending_count(&self) -> usize {
        match self.pending_count.get() {
            Some((g, n)) if g == self.generation => n,
            _ => {
                let n = self.doc.set().spans().filter(|s| is_pending(s)).count();
                self.pending_count.set(Some((self.generation, n)));
                n
            }
        }
    }

    /// The agents of the pending suggestions, each once, sorted.
    pub fn suggestion_agents(&self) -> Vec<String> {
        let mut agents: Vec<String> = self
            .pending_suggestions()
            .iter()
            .map(|s| agent(s).unwrap_or("unknown").to_string())
            .collect();
        agents.sort();
        agents.dedup();
        agents
    }

    /// Records edits the engine already applied, as one undoable step named `description`.
    fn record_applied(&mut self, edits: Vec<Edit>, description: String) {
        if edits.is_empty() {
            return;
        }
        let touched: Vec<SpanId> = edits.iter().flat_map(Edit::span_ids).collect();
        self.history.record(Edit::Group { description, edits });
        self.bump(Some(touched));
    }

    /// Selects the next (or previous) pending suggestion after the selected span or the caret,
    /// wrapping around.
    pub fn step_suggestion(&mut self, forward: bool) {
        let current = self
            .selected()
            .map(|s| (s.range.start().0, s.range.end().0, s.id.clone()));
        let caret = self.selection().map_or(0, |s| s.focus.0);
        let pending = self.pending_suggestions();
        let after = |s: &&Span| match &current {
            Some((start, end, id)) => {
                (s.range.start().0, s.range.end().0, &s.id) > (*start, *end, id)
            }
            None => s.range.start().0 >= caret,
        };
        let before = |s: &&Span| match &current {
            Some((start, end, id)) => {
                (s.range.start().0, s.range.end().0, &s.id) < (*start, *end, id)
            }
            None => s.range.start().0 < caret,
        };
        let next = if forward {
            pending
                .iter()
                .find(|s| after(s))
                .or_else(|| pending.first())
                .map(|s| s.id.clone())
        } else {
            pending
                .iter()
                .rev()
                .find(|s| before(s))
                .or_else(|| pending.last())
                .map(|s| s.id.clone())
        };
        let left = pending.len();
        match next {
            Some(id) => {
                self.select_span(&id);
                self.say(format!(
                    "{} pending: Enter accepts, Delete rejects",
                    plural(left, "suggestion", "suggestions")
                ));
            }
            None => self.say("No suggestions pending"),
        }
    }

    /// After answering the suggestion that was at `was`: selects the next pending one (wrapping)
    /// and says what was done and how many are left.
    fn after_answer(&mut self, was: (usize, usize), done: String) {
        let pending = self.pending_suggestions();
        let next = pending
            .iter()
            .find(|s| (s.range.start().0, s.range.end().0) > was)
            .or_else(|| pending.first())
            .map(|s| s.id.clone());
        let left = pending.len();
        match next {
            Some(id) => {
                self.select_span(&id);
                self.say(format!(
                    "{done}; {} left",
                    plural(left, "suggestion", "suggestions")
                ));
            }
            None => {
                self.focus = Focus::Nothing;
                self.say(format!("{done}; no suggestions left"));
            }
        }
    }

    /// The selected span if it is a pending suggestion (else says how to select one).
    fn selected_suggestion(&mut self) -> Option<Span> {
        match self.selected().filter(|s| is_pending(s)).cloned() {
            Some(s) => Some(s),
            None => {
                self.complain("Select a suggestion first (Alt+N selects the next one)");
                None
            }
        }
    }

    /// Accepts the selected suggestion as `who` and selects the next one.
    pub fn accept_selected(&mut self, who: &str) {
        self.answer_selected(true, who);
    }

    /// Rejects the selected suggestion as `who` (removed, remembered so it is not proposed
    /// again) and selects the next one.
    pub fn reject_selected(&mut self, who: &str) {
        self.answer_selected(false, who);
    }

    /// Accepts or rejects the selected suggestion through the engine, as one undoable step,
    /// and selects the next one.
    fn answer_selected(&mut self, accept: bool, who: &str) {
        let Some(span) = self.selected_suggestion() else {
            return;
        };
        if !self.editable() {
            return;
        }
        let at = self.now();
        let quoted = quote(self.doc.text(), span.range);
        let answered = if accept {
            suggest::accept(&mut self.doc, &span.id, who, at)
        } else {
            suggest::reject(&mut self.doc, &span.id, who, at)
        };
        match answered {
            Ok(edit) => {
                let (verb, said) = if accept {
                    ("accept", format!("Accepted {} {quoted}", span.label))
                } else {
                    (
                        "reject",
                        format!("Rejected {} {quoted} (not proposed again)", span.label),
                    )
                };
                let description = format!("{verb} suggestion {} {quoted}", span.label);
                self.record_applied(vec![edit], description);
                self.after_answer((span.range.start().0, span.range.end().0), said);
            }
            Err(e) => self.complain(format!("Not done: {e}")),
        }
    }

    /// Relabels the selected suggestion as `label` and accepts it, as one undoable step; then
    /// selects the next one.
    pub fn relabel_and_accept(&mut self, label: &Label, who: &str) {
        let Some(span) = self.selected_suggestion() else {
            return;
        };
        if &span.label == label {
            self.accept_selected(who);
            return;
        }
        if !self.editable() {
            return;
        }
        let at = self.now();
        let relabel = match Edit::relabel(self.doc.set(), &span.id, label.clone(), at) {
            Ok(e) => e,
            Err(e) => {
                self.complain(e.to_string());
                return;
            }
        };
        if let Err(e) = self.doc.apply(&relabel, who, at) {
            self.complain(format!("Not done: {e}"));
            return;
        }
        match suggest::accept(&mut self.doc, &span.id, who, at) {
            Ok(accepted) => {
                let quoted = quote(self.doc.text(), span.range);
                let description =
                    format!("accept suggestion {quoted} as {label} (was {})", span.label);
                self.record_applied(vec![relabel, accepted], description);
                self.after_answer(
                    (span.range.start().0, span.range.end().0),
                    format!("Accepted {quoted} as {label} (was {})", span.label),
                );
            }
            Err(e) => {
                // Leave the document as it was: the relabelling goes back.
                let _ = self.doc.apply(&relabel.inverse(), who, at);
                self.complain(format!("Not done: {e}"));
            }
        }
    }

    /// Accepts (or rejects) every pending suggestion in `scope`, as one undoable step. Returns
    /// how many.
    pub fn answer_all(&mut self, scope: &Scope, accept: bool, who: &str) -> usize {
        let ids: Vec<SpanId> = self
            .pending_suggestions()
            .into_iter()
            .filter(|s| scope.holds(s))
            .map(|s| s.id.clone())
            .collect();
        if ids.is_empty() {
            self.say(format!("No suggestions pending {}", scope.name()));
            return 0;
        }
        if !self.editable() {
            return 0;
        }
        let at = self.now();
        let mut edits = Vec::new();
        let mut problems = Vec::new();
        for id in &ids {
            let done = if accept {
                suggest::accept(&mut self.doc, id, who, at)
            } else {
                suggest::reject(&mut self.doc, id, who, at)
            };
            match done {
                Ok(edit) => edits.push(edit),
                Err(e) => problems.push(format!("{id}: {e}")),
            }
        }
        let n = edits.len();
        let verb = if accept { "accept" } else { "reject" };
        let description = format!(
            "{verb} {} {}",
            plural(n, "suggestion", "suggestions"),
            scope.name()
        );
        self.record_applied(edits, description);
        let done = format!(
            "{} {} {}",
            if accept { "Accepted" } else { "Rejected" },
            plural(n, "suggestion", "suggestions"),
            scope.name()
        );
        if self.selected().is_none() {
            self.focus = Focus::Nothing;
        }
        if problems.is_empty() {
            self.say(format!("{done} (Ctrl+Z undoes it)"));
        } else {
            self.complain(format!("{done}; not done: {}", problems.join("; ")));
        }
        n
    }

    /// Adds `proposals` (of a source) as pending suggestions made by `who`, as one undoable
    /// step named `description`. Returns what the engine did.
    pub fn add_suggestions(
        &mut self,
        proposals: Vec<Proposal>,
        description: &str,
        who: &str,
    ) -> suggest::Added {
        if proposals.is_empty() || self.is_read_only() {
            return suggest::Added::default();
        }
        let at = self.now();
        let mut added = suggest::add(&mut self.doc, proposals, who, at);
        let edits = std::mem::take(&mut added.edits);
        let n = edits.len();
        self.record_applied(edits.clone(), description.replace("{n}", &n.to_string()));
        added.edits = edits;
        added
    }

    /// Label All Matches where some matches are pending suggestions of the label: adds the
    /// new spans (`adds`, made against the current set) and accepts the suggestions, as one
    /// undoable step. Returns how many spans were added.
    pub(super) fn label_and_accept_all(
        &mut self,
        adds: Vec<Edit>,
        pending: &[SpanId],
        label: &Label,
        query: &str,
        who: &str,
    ) -> usize {
        if !self.editable() {
            return 0;
        }
        let at = self.now();
        let n = adds.len();
        let mut done = Vec::new();
        if n > 0 {
            let group = Edit::Group {
                description: String::new(),
                edits: adds,
            };
            if let Err(e) = self.doc.apply(&group, who, at) {
                self.complain(format!("Not done: {e}"));
                return 0;
            }
            done.push(group);
        }
        let mut accepted = 0;
        for id in pending {
            if let Ok(edit) = suggest::accept(&mut self.doc, id, who, at) {
                done.push(edit);
                accepted += 1;
            }
        }
        self.record_applied(
            done,
            format!(
                "label {} and accept {} of '{query}' as {label}",
                plural(n, "match", "matches"),
                plural(accepted, "suggestion", "suggestions")
            ),
        );
        self.say(format!(
            "Labelled {} as {label} and accepted {} (one undo step)",
            plural(n, "match", "matches"),
            plural(accepted, "suggestion", "suggestions")
        ));
        n
    }

    /// Applies a person's `edit`, which labels or relabels span `id`, and with `propagate`
    /// proposes the other occurrences of its words: together one undo step (one
    /// [`Edit::Group`]), so one Ctrl+Z takes back what one key press did and redo brings both
    /// back. Says what was done; returns whether the edit was applied.
    pub(super) fn apply_and_propagate(
        &mut self,
        edit: Edit,
        id: &SpanId,
        who: &str,
        propagate: bool,
    ) -> bool {
        if !propagate {
            return self.apply(edit, who);
        }
        if !self.editable() {
            return false;
        }
        let at = self.now();
        let description = edit.describe(self.doc.set());
        if let Err(e) = self.doc.apply(&edit, who, at) {
            self.complain(format!("Not done: {e}"));
            return false;
        }
        let (proposed, said) = self.propose_occurrences(id, who, at);
        // Suggestions withdrawn (removals) go with them, but are not counted as proposed.
        let n = proposed
            .iter()
            .filter(|e| matches!(e, Edit::Add(_)))
            .count();
        if proposed.is_empty() {
            let touched = edit.span_ids();
            self.history.record(edit);
            self.bump(Some(touched));
        } else {
            let mut edits = vec![edit];
            edits.extend(proposed);
            self.record_applied(
                edits,
                format!(
                    "{description} and suggest {}",
                    plural(n, "other occurrence", "other occurrences")
                ),
            );
        }
        self.say(said.unwrap_or_else(|| super::capitalise(&description)));
        true
    }

    /// Adds the other occurrences of span `id`'s words as pending suggestions (propagation),
    /// without recording them for undo: the caller records them with the edit that made the
    /// span. Suggestions propagation made of the same words with another label are withdrawn
    /// first (the span was relabelled, and nothing labels those words so any more). Returns the
    /// edits applied and, when propagation has something to say, what.
    fn propose_occurrences(
        &mut self,
        id: &SpanId,
        who: &str,
        at: Timestamp,
    ) -> (Vec<Edit>, Option<String>) {
        let Some(span) = self.doc.set().get(id) else {
            return (Vec::new(), None);
        };
        let quoted = quote(self.doc.text(), span.range);
        let label = span.label.clone();
        let found = propagate::from_span(&self.doc, id);
        if let Some(flagged) = found.flagged.first() {
            let labels: Vec<&str> = flagged.labels.iter().map(Label::as_str).collect();
            let said = format!(
                "Labelled {label} {quoted}; not proposed elsewhere: it carries {}",
                labels.join(" and ")
            );
            return (Vec::new(), Some(said));
        }
        let mut edits = self.withdraw_propagated(id, who, at);
        let withdrawn = edits.len();
        let added = suggest::add(&mut self.doc, found.proposals, who, at);
        let n = added.edits.len();
        edits.extend(added.edits);
        let said = (n > 0).then(|| {
            let instead = match withdrawn {
                0 => String::new(),
                w => format!(" instead of {}", plural(w, "suggestion", "suggestions")),
            };
            format!(
                "Labelled {label} {quoted}; proposed {}{instead} (Alt+N goes through them)",
                plural(n, "other occurrence", "other occurrences")
            )
        });
        (edits, said)
    }

    /// Removes the pending suggestions propagation made of span `id`'s words with a label
    /// other than its own, and returns the removals.
    fn withdraw_propagated(&mut self, id: &SpanId, who: &str, at: Timestamp) -> Vec<Edit> {
        let set = self.doc.set();
        let Some(span) = set.get(id) else {
            return Vec::new();
        };
        let text = set.span_text(span);
        let stale: Vec<SpanId> = set
            .spans()
            .filter(|s| {
                is_pending(s)
                    && agent(s) == Some(propagate::AGENT)
                    && s.label != span.label
                    && s.fragments.is_empty()
                    && set.span_text(s) == text
            })
            .map(|s| s.id.clone())
            .collect();
        let mut done = Vec::new();
        for stale in stale {
            if let Ok(edit) = Edit::remove(self.doc.set(), &stale)
                && self.doc.apply(&edit, who, at).is_ok()
            {
                done.push(edit);
            }
        }
        done
    }
}
