//! The adjudication view: walks the conflicts of a gold file (made by `spanmark adjudicate` or
//! by Compare > Adjudicate) and resolves each one with one key.
//!
//! A **conflict** is a group of gold spans marked with the [`CONFLICT`] attribute and linked by
//! [`CONFLICT_WITH`] (rival readings of the same words); each span names who proposed it in
//! [`PROPOSED_BY`]. The annotators A, B, C, D are the names found in `proposed_by` and
//! `agreed_by`, in name order (as `adjudicate` orders them). Keys:
//!
//! - `a` / `b` / `c` / `d`: keep what annotator A (B, …) marked in the conflict, reject the rest;
//! - `k`: keep every reading; `n`: reject every reading (neither);
//! - `e`: keep the selected reading (or the first), reject its rivals, and leave it selected so
//!   the label keys and Alt+Shift+arrows edit it;
//! - Tab / Shift+Tab: the next / previous unresolved conflict.
//!
//! A resolution is one undoable edit (the status of every span of the conflict) by the
//! adjudicator, the gold file's annotator; the history also gets a line saying what was chosen.
//! A conflict is resolved when none of its spans is pending. The attributes stay, so the file
//! keeps saying where each span came from.

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use super::keys::{ReviewCommand, annotator_letter};
use super::mode::{document_status_ui, progress_ui};
use crate::app::commands::Command;
use crate::app::session::{Notice, Session};
use crate::app::{Action, SpanmarkApp};
use crate::model::edit::quote;
use crate::model::{AuditEntry, CharRange, Document, Edit, Span, SpanId, Status};
use crate::review::{AGREED_BY, CONFLICT, CONFLICT_WITH, PROPOSED_BY};

/// One conflict: rival gold spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The spans, in text order.
    pub spans: Vec<SpanId>,
    /// The kind of difference (`label`, `boundary`, `missing`, …).
    pub kind: String,
    /// From the first start to the last end.
    pub range: CharRange,
}

/// The conflicts of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conflicts {
    /// Who proposed or agreed on spans, in name order: annotator A, B, …
    pub annotators: Vec<String>,
    /// In text order.
    pub groups: Vec<Conflict>,
}

/// The names in a `proposed_by` / `agreed_by` attribute.
pub fn names(span: &Span, key: &str) -> Vec<String> {
    span.attrs
        .get(key)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl Conflicts {
    pub fn of(doc: &Document) -> Self {
        let set = doc.set();
        let mut annotators = std::collections::BTreeSet::new();
        let mut members: Vec<&Span> = Vec::new();
        for span in set.spans() {
            annotators.extend(names(span, PROPOSED_BY));
            annotators.extend(names(span, AGREED_BY));
            if span.attrs.contains_key(CONFLICT) {
                members.push(span);
            }
        }
        // Union-find over the members, linked by conflict_with.
        let index: BTreeMap<&SpanId, usize> = members
            .iter()
            .enumerate()
            .map(|(i, s)| (&s.id, i))
            .collect();
        let mut parent: Vec<usize> = (0..members.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for (i, span) in members.iter().enumerate() {
            for rival in names(span, CONFLICT_WITH) {
                let Ok(rival) = SpanId::new(rival) else {
                    continue;
                };
                if let Some(&j) = index.get(&rival) {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        // Members are in text order, so each group's root is its first span.
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..members.len() {
            let r = root(&mut parent, i);
            by_root.entry(r).or_default().push(i);
        }
        let groups = by_root
            .into_values()
            .map(|idx| {
                let spans: Vec<&Span> = idx.iter().map(|&i| members[i]).collect();
                let start = spans.iter().map(|s| s.range.start().0).min().unwrap_or(0);
                let end = spans.iter().map(|s| s.range.end().0).max().unwrap_or(start);
                Conflict {
                    kind: spans
                        .first()
                        .and_then(|s| s.attrs.get(CONFLICT))
                        .cloned()
                        .unwrap_or_default(),
                    range: CharRange::new(start, end).unwrap_or_else(|| {
                        CharRange::between(Default::default(), Default::default())
                    }),
                    spans: spans.iter().map(|s| s.id.clone()).collect(),
                }
            })
            .collect();
        Self {
            annotators: annotators.into_iter().collect(),
            groups,
        }
    }

    /// Whether none of conflict `i`'s spans is pending.
    pub fn is_resolved(&self, i: usize, doc: &Document) -> bool {
        self.groups.get(i).is_some_and(|g| {
            g.spans
                .iter()
                .filter_map(|id| doc.set().get(id))
                .all(|s| s.status != Status::Pending)
        })
    }

    pub fn resolved(&self, doc: &Document) -> usize {
        (0..self.groups.len())
            .filter(|&i| self.is_resolved(i, doc))
            .count()
    }

    /// The conflict span `id` belongs to.
    pub fn group_of(&self, id: &SpanId) -> Option<usize> {
        self.groups.iter().position(|g| g.spans.contains(id))
    }

    /// The next (or previous) unresolved conflict after `from`, wrapping; with `from` `None`,
    /// the first (or last) one.
    pub fn next_unresolved(
        &self,
        doc: &Document,
        from: Option<usize>,
        forward: bool,
    ) -> Option<usize> {
        let n = self.groups.len();
        if n == 0 {
            return None;
        }
        (1..=n)
            .map(|k| match (from, forward) {
                (Some(f), true) => (f + k) % n,
                (Some(f), false) => (f + n * k - k) % n,
                (None, true) => k - 1,
                (None, false) => n - k,
            })
            .find(|&i| !self.is_resolved(i, doc))
    }
}

/// What a resolution keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// What this annotator proposed.
    Annotator(String),
    All,
    Neither,
    /// This span only.
    Only(SpanId),
}

impl Choice {
    fn keeps(&self, span: &Span) -> bool {
        match self {
            Choice::Annotator(name) => names(span, PROPOSED_BY).contains(name),
            Choice::All => true,
            Choice::Neither => false,
            Choice::Only(id) => &span.id == id,
        }
    }

    fn describe(&self) -> String {
        match self {
            Choice::Annotator(name) => format!("took {name}'s reading"),
            Choice::All => "kept every reading".into(),
            Choice::Neither => "kept neither reading".into(),
            Choice::Only(id) => format!("kept {id} to edit it"),
        }
    }
}

/// Resolves `conflict` of `s` as `choice`, as `who`: one undoable edit setting every span's
/// status, and a line in the history saying what was chosen. Returns whether anything changed.
pub fn resolve(s: &mut Session, conflict: &Conflict, choice: &Choice, who: &str) -> bool {
    let at = s.now();
    let mut edits = Vec::new();
    for id in &conflict.spans {
        let Some(span) = s.doc.set().get(id) else {
            continue;
        };
        let want = if choice.keeps(span) {
            Status::Accepted
        } else {
            Status::Rejected
        };
        if span.status != want
            && let Ok(edit) = Edit::set_status(s.doc.set(), id, want, at)
        {
            edits.push(edit);
        }
    }
    let place = quote(s.doc.text(), conflict.range);
    let ids: Vec<&str> = conflict.spans.iter().map(SpanId::as_str).collect();
    if edits.is_empty() {
        s.notice = Some(Notice {
            text: format!("The conflict at {place} is already resolved that way"),
            is_error: false,
        });
        return false;
    }
    let description = format!("resolve the conflict at {place}: {}", choice.describe());
    let edit = Edit::Group {
        description: description.clone(),
        edits,
    };
    let touched = edit.span_ids();
    match s.history.apply(&mut s.doc, edit, who, at) {
        Ok(()) => {
            s.doc.log(AuditEntry::document(
                at,
                who,
                format!(
                    "conflict {} ({}) resolved: {}",
                    ids.join(","),
                    conflict.kind,
                    choice.describe()
                ),
            ));
            s.bump(Some(touched));
            s.notice = Some(Notice {
                text: capitalise(&description),
                is_error: false,
            });
            true
        }
        Err(e) => {
            s.notice = Some(Notice {
                text: format!("Not done: {e}"),
                is_error: true,
            });
            false
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl SpanmarkApp {
    /// Goes to conflict `i`: selects its first span and brings it into view.
    pub(super) fn go_to_conflict(&mut self, i: usize) {
        let Some(s) = &mut self.session else {
            return;
        };
        let conflicts = self.review.conflicts(s).clone();
        if let Some(first) = conflicts.groups.get(i).and_then(|g| g.spans.first()) {
            s.select_span(first);
            self.review.conflict = Some(i);
        }
        self.focus_article();
    }

    /// Adjudication mode starts (or a document opens in it): the first unresolved conflict.
    pub(super) fn adjudicate_start(&mut self) {
        let Some(s) = &mut self.session else {
            return;
        };
        let conflicts = self.review.conflicts(s).clone();
        self.review.conflict = None;
        match conflicts.next_unresolved(&s.doc, None, true) {
            Some(i) => self.go_to_conflict(i),
            None => {
                s.notice = Some(Notice {
                    text: if conflicts.groups.is_empty() {
                        "This document has no conflicts: open a gold file (spanmark adjudicate, or Compare > Adjudicate)".into()
                    } else {
                        "Every conflict is resolved".into()
                    },
                    is_error: false,
                });
            }
        }
    }

    /// Tab / Shift+Tab in adjudication mode.
    pub(super) fn adjudicate_step(&mut self, forward: bool) {
        let Some(s) = &self.session else {
            return;
        };
        let conflicts = self.review.conflicts(s).clone();
        let from = self.current_conflict(&conflicts);
        let next = self
            .session
            .as_ref()
            .and_then(|s| conflicts.next_unresolved(&s.doc, from, forward));
        match next {
            Some(i) => self.go_to_conflict(i),
            None => {
                self.say_notice("Every conflict is resolved: Ctrl+S saves the gold file");
            }
        }
    }

    /// The conflict being looked at: the one of the selected span, else the last one visited.
    fn current_conflict(&self, conflicts: &Conflicts) -> Option<usize> {
        self.session
            .as_ref()
            .and_then(|s| s.selected_span.as_ref())
            .and_then(|id| conflicts.group_of(id))
            .or(self.review.conflict)
            .filter(|&i| i < conflicts.groups.len())
    }

    /// Resolves the current conflict with the command's choice.
    pub(super) fn adjudicate_take(&mut self, command: &ReviewCommand) {
        let who = self.annotator();
        let Some(s) = &mut self.session else {
            return;
        };
        let conflicts = self.review.conflicts(s).clone();
        let Some(i) = self.current_conflict(&conflicts) else {
            if let Some(s) = &mut self.session {
                s.notice = Some(Notice {
                    text: "No conflict selected: Tab goes to the next one".into(),
                    is_error: true,
                });
            }
            return;
        };
        let Some(s) = &mut self.session else {
            return;
        };
        let conflict = &conflicts.groups[i];
        let choice = match command {
            ReviewCommand::Take(k) => match conflicts.annotators.get(*k) {
                Some(name) => Choice::Annotator(name.clone()),
                None => {
                    s.notice = Some(Notice {
                        text: format!(
                            "There is no annotator {} in this file",
                            annotator_letter(*k)
                        ),
                        is_error: true,
                    });
                    return;
                }
            },
            ReviewCommand::TakeAll => Choice::All,
            ReviewCommand::TakeNone => Choice::Neither,
            _ => {
                let selected = s
                    .selected_span
                    .clone()
                    .filter(|id| conflict.spans.contains(id));
                match selected.or_else(|| conflict.spans.first().cloned()) {
                    Some(id) => Choice::Only(id),
                    None => return,
                }
            }
        };
        resolve(s, conflict, &choice, &who);
        self.review.conflict = Some(i);
        match choice {
            Choice::Only(id) => {
                s.select_span(&id);
                let note = s.notice.take().map(|n| n.text).unwrap_or_default();
                s.notice = Some(Notice {
                    text: format!(
                        "{note}; relabel it with a label key, resize with Alt+Shift+arrows; Tab moves on"
                    ),
                    is_error: false,
                });
                self.focus_article();
            }
            _ => {
                let conflicts = self.review.conflicts(s).clone();
                match conflicts.next_unresolved(&s.doc, Some(i), true) {
                    Some(next) => self.go_to_conflict(next),
                    None => {
                        if let Some(s) = &mut self.session {
                            let note = s.notice.take().map(|n| n.text).unwrap_or_default();
                            s.notice = Some(Notice {
                                text: format!("{note}. Every conflict is resolved: Ctrl+S saves"),
                                is_error: false,
                            });
                        }
                    }
                }
            }
        }
    }
}

/// The adjudication toolbar: progress over the conflicts, the current conflict's readings with
/// who proposed each, and a button per choice.
pub fn toolbar_ui(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(session) = &app.session else {
        return actions;
    };
    let conflicts = app.review.conflicts(session).clone();
    let current = app.current_conflict(&conflicts);
    let doc = &session.doc;
    let resolved = conflicts.resolved(doc);
    let pending = doc
        .set()
        .spans()
        .filter(|s| s.status == Status::Pending)
        .count();
    ui.horizontal_wrapped(|ui| {
        ui.strong("Adjudication");
        progress_ui(ui, resolved, conflicts.groups.len(), "conflicts resolved");
        ui.weak(format!("adjudicator: {}", app.annotator()));
        ui.separator();
        for (i, name) in conflicts.annotators.iter().enumerate() {
            ui.label(
                RichText::new(format!("{} = {name}", annotator_letter(i)))
                    .monospace()
                    .color(super::compare::annotator_colour(i)),
            );
        }
        ui.separator();
        ui.label("Document");
        document_status_ui(
            ui,
            doc.status,
            !doc.set().is_empty() && pending == 0,
            &mut actions,
        );
    });
    let Some(i) = current else {
        ui.weak(if conflicts.groups.is_empty() {
            "No conflicts in this document. A gold file from `spanmark adjudicate` (or Compare > Adjudicate) has them."
        } else if resolved == conflicts.groups.len() {
            "Every conflict is resolved. Tab steps through them again."
        } else {
            "Tab goes to the next unresolved conflict."
        });
        return actions;
    };
    let conflict = &conflicts.groups[i];
    let state = if conflicts.is_resolved(i, doc) {
        "resolved"
    } else {
        "unresolved"
    };
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!(
            "Conflict {} of {} ({}, {state}):",
            i + 1,
            conflicts.groups.len(),
            conflict.kind
        ));
        for id in &conflict.spans {
            let Some(span) = doc.set().get(id) else {
                continue;
            };
            let who: Vec<String> = names(span, PROPOSED_BY)
                .iter()
                .map(|n| {
                    let letter = conflicts
                        .annotators
                        .iter()
                        .position(|a| a == n)
                        .map_or('?', annotator_letter);
                    format!("{n} ({letter})")
                })
                .collect();
            let mark = match span.status {
                Status::Pending => "",
                Status::Accepted => "✔ ",
                Status::Rejected => "× ",
            };
            let selected = session.selected_span.as_ref() == Some(id);
            let r = ui
                .selectable_label(
                    selected,
                    format!(
                        "{mark}{id} {} {} by {}",
                        span.label,
                        quote(doc.text(), span.range),
                        who.join(", ")
                    ),
                )
                .on_hover_text("Select this reading (then e keeps it and lets you edit it)");
            if r.clicked() {
                actions.push(Action::SelectSpan(id.clone()));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        for (k, name) in conflicts.annotators.iter().enumerate() {
            super::mode::button(
                ui,
                ReviewCommand::Take(k),
                &format!("Take {name}'s"),
                &mut actions,
            );
        }
        super::mode::button(ui, ReviewCommand::TakeAll, "Keep all", &mut actions);
        super::mode::button(ui, ReviewCommand::TakeNone, "Neither", &mut actions);
        super::mode::button(
            ui,
            ReviewCommand::TakeEdit,
            "Keep selected and edit",
            &mut actions,
        );
        if ui
            .button("◀ Previous (Shift+Tab)")
            .on_hover_text("The previous unresolved conflict")
            .clicked()
        {
            actions.push(Action::Command(Command::PrevSpan));
        }
        if ui
            .button("Next (Tab) ▶")
            .on_hover_text("The next unresolved conflict")
            .clicked()
        {
            actions.push(Action::Command(Command::NextSpan));
        }
    });
    actions
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::model::Timestamp;
    use crate::review::adjudicate::adjudicate_documents;
    use crate::review::test_docs::doc;
    use crate::store::open::Opened;

    fn gold() -> Session {
        let omar = doc(
            "omar",
            "[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied",
        );
        let rita = doc(
            "rita",
            "[Lavrov]{actor} [said on]{action} [Monday]{claim} that NATO [lied]{action}",
        );
        let gold = adjudicate_documents(&[&omar, &rita], "judge", Timestamp::from_unix(0))
            .unwrap()
            .gold;
        Session::new(
            Opened {
                doc: gold,
                native_path: PathBuf::from("gold.spanmark.json"),
                article_path: None,
                had_native: true,
                warnings: Vec::new(),
                stamp: None,
            },
            Arc::new(|| Timestamp::from_unix(7)),
        )
    }

    fn statuses(s: &Session, c: &Conflict) -> Vec<String> {
        c.spans
            .iter()
            .map(|id| {
                let span = s.doc.set().get(id).unwrap();
                format!("{} {}", span.label, span.status)
            })
            .collect()
    }

    #[test]
    fn conflicts_are_grouped_by_their_rivals() {
        let s = gold();
        let c = Conflicts::of(&s.doc);
        assert_eq!(c.annotators, ["omar", "rita"]);
        let kinds: Vec<(&str, usize)> = c
            .groups
            .iter()
            .map(|g| (g.kind.as_str(), g.spans.len()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("boundary", 2),
                ("label", 2),
                ("missing", 1),
                ("missing", 1)
            ]
        );
        assert_eq!(c.resolved(&s.doc), 0);
        assert_eq!(c.next_unresolved(&s.doc, None, true), Some(0));
        assert_eq!(c.next_unresolved(&s.doc, Some(3), true), Some(0));
        assert_eq!(c.next_unresolved(&s.doc, Some(0), false), Some(3));
    }

    #[test]
    fn each_choice_sets_the_statuses_in_one_undoable_step() {
        let mut s = gold();
        let c = Conflicts::of(&s.doc);
        // Label conflict: omar said date, rita said claim.
        assert!(resolve(
            &mut s,
            &c.groups[1],
            &Choice::Annotator("rita".into()),
            "judge"
        ));
        let mut got = statuses(&s, &c.groups[1]);
        got.sort();
        assert_eq!(got, ["claim accepted", "date rejected"]);
        assert!(c.is_resolved(1, &s.doc));
        s.undo("judge");
        assert!(!c.is_resolved(1, &s.doc));
        assert!(resolve(&mut s, &c.groups[0], &Choice::All, "judge"));
        assert_eq!(
            statuses(&s, &c.groups[0]),
            ["action accepted", "action accepted"]
        );
        assert!(resolve(&mut s, &c.groups[2], &Choice::Neither, "judge"));
        assert_eq!(statuses(&s, &c.groups[2]), ["actor rejected"]);
        // Taking the annotator who did not mark a missing span rejects it.
        assert!(resolve(
            &mut s,
            &c.groups[3],
            &Choice::Annotator("omar".into()),
            "judge"
        ));
        assert_eq!(statuses(&s, &c.groups[3]), ["action rejected"]);
        assert!(!resolve(
            &mut s,
            &c.groups[3],
            &Choice::Annotator("omar".into()),
            "judge"
        ));
        let last = s.doc.audit().last().unwrap();
        assert_eq!(last.who, "judge");
        assert!(
            last.detail
                .as_deref()
                .unwrap()
                .contains("took omar's reading")
        );
    }
}
