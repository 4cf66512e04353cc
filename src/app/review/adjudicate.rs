//! Adjudication mode's toolbar: progress over the conflicts, the annotators A, B, … in their
//! colours, the current conflict's readings with who proposed each, and a button per choice.

use egui::{RichText, Ui};

use super::compare::annotator_colour;
use super::toolbar::document_status_ui;
use super::{button, progress_ui};
use crate::app::action::Action;
use crate::app::commands::{Command, TAKE};
use crate::app::state::AppState;
use crate::app::state::review::annotator_letter;
use crate::model::Status;
use crate::model::edit::quote;
use crate::review::PROPOSED_BY;
use crate::review::conflicts::{Conflicts, names_in, reading};

pub fn ui(ui: &mut Ui, state: &AppState) -> Vec<Action> {
    let mut actions = Vec::new();
    let (Some(session), Some(conflicts)) = (&state.session, state.review.known_conflicts()) else {
        return actions;
    };
    let doc = session.doc();
    let current = state.review.current_conflict(session, conflicts);
    let resolved = conflicts.resolved(doc);
    let pending = doc
        .set()
        .spans()
        .filter(|s| s.status == Status::Pending)
        .count();
    ui.horizontal_wrapped(|ui| {
        ui.strong("Adjudication");
        progress_ui(ui, resolved, conflicts.groups.len(), "conflicts resolved");
        ui.weak(format!("adjudicator: {}", state.annotator()));
        ui.separator();
        for (i, name) in conflicts.annotators.iter().enumerate() {
            ui.label(
                RichText::new(format!("{} = {name}", annotator_letter(i)))
                    .monospace()
                    .color(annotator_colour(i)),
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
            "No conflicts in this document. A gold file from `spanmark adjudicate` (or Compare > Adjudicate) has them.".to_string()
        } else if resolved == conflicts.groups.len() {
            format!(
                "Every conflict is resolved. {} steps through them again.",
                Command::NextConflict.key_text()
            )
        } else {
            format!(
                "{} goes to the next unresolved conflict.",
                Command::NextConflict.key_text()
            )
        });
        return actions;
    };
    readings_ui(ui, state, conflicts, i, &mut actions);
    ui.horizontal_wrapped(|ui| {
        for (k, name) in conflicts.annotators.iter().enumerate() {
            if let Some(take) = TAKE.get(k) {
                button(ui, *take, &format!("Take {name}'s"), &mut actions);
            }
        }
        button(ui, Command::TakeAll, "Keep all", &mut actions);
        button(ui, Command::TakeNone, "Neither", &mut actions);
        button(
            ui,
            Command::TakeAndEdit,
            "Keep selected and edit",
            &mut actions,
        );
        button(ui, Command::PrevConflict, "◀ Previous", &mut actions);
        button(ui, Command::NextConflict, "Next ▶", &mut actions);
    });
    actions
}

/// Conflict `i`: its kind and state, and each reading with who proposed it (click to select).
fn readings_ui(
    ui: &mut Ui,
    state: &AppState,
    conflicts: &Conflicts,
    i: usize,
    actions: &mut Vec<Action>,
) {
    let Some(session) = &state.session else {
        return;
    };
    let doc = session.doc();
    let conflict = &conflicts.groups[i];
    let resolved = if conflicts.is_resolved(i, doc) {
        "resolved"
    } else {
        "unresolved"
    };
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!(
            "Conflict {} of {} ({}, {resolved}):",
            i + 1,
            conflicts.groups.len(),
            conflict.kind
        ));
        for id in &conflict.spans {
            let Some((attrs, status)) = reading(doc, id) else {
                continue;
            };
            let who: Vec<String> = names_in(attrs, PROPOSED_BY)
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
            let mark = match status {
                Status::Pending => "",
                Status::Accepted => "✔ ",
                Status::Rejected => "× ",
            };
            let (selected, what) = match (doc.set().get(id), doc.set().relation(id)) {
                (Some(span), _) => (
                    session.selected_id() == Some(id),
                    format!("{} {}", span.label, quote(doc.text(), span.range)),
                ),
                (None, Some(r)) => (
                    session.focus().relation() == Some(id),
                    session.describe_relation(r),
                ),
                (None, None) => continue,
            };
            let r = ui
                .selectable_label(selected, format!("{mark}{id} {what} by {}", who.join(", ")))
                .on_hover_text(format!(
                    "Select this reading (then {} keeps it and lets you edit it)",
                    Command::TakeAndEdit.key_text()
                ));
            if r.clicked() {
                actions.push(if conflict.relations {
                    Action::SelectRelation(id.clone())
                } else {
                    Action::SelectSpan(id.clone())
                });
            }
        }
    });
}
