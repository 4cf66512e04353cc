//! Review mode's toolbar: progress (decided of all spans), the filters (pending only, a label,
//! an author), the document's status, the decision buttons, the span in hand, and the comment
//! field while `c` has opened it.

use egui::{Key, RichText, Ui};

use super::{button, progress_ui};
use crate::app::action::Action;
use crate::app::commands::Command;
use crate::app::state::AppState;
use crate::app::state::review::status_text;
use crate::model::{DocumentStatus, SpanId};

/// The comment being written: the text typed, for the span it belongs to.
#[derive(Debug, Default)]
pub struct CommentField {
    span: Option<SpanId>,
    text: String,
}

pub fn ui(ui: &mut Ui, state: &AppState, comment: &mut CommentField) -> Vec<Action> {
    let mut actions = Vec::new();
    let (Some(session), Some(tally)) = (&state.session, state.review.tally()) else {
        return actions;
    };
    ui.horizontal_wrapped(|ui| {
        ui.strong("Review");
        progress_ui(ui, tally.decided(), tally.total, "decided");
        ui.weak(format!(
            "{} accepted · {} rejected · {} pending",
            tally.accepted,
            tally.rejected,
            tally.pending()
        ));
        ui.separator();
        let mut filters = state.review.filters.clone();
        ui.checkbox(&mut filters.pending_only, "Pending only")
            .on_hover_text(format!(
                "{} and {} stop only at pending spans",
                Command::NextReviewSpan.key_text(),
                Command::PrevReviewSpan.key_text()
            ));
        choice_ui(
            ui,
            ("review_label", "Filter review by label", "Any label"),
            &tally.labels,
            &mut filters.label,
        );
        choice_ui(
            ui,
            ("review_author", "Filter review by author", "Any author"),
            &tally.authors,
            &mut filters.author,
        );
        if filters != state.review.filters {
            actions.push(Action::FilterReview(filters));
        }
        ui.separator();
        ui.label("Document");
        document_status_ui(
            ui,
            session.doc().status,
            tally.total > 0 && tally.pending() == 0,
            &mut actions,
        );
    });
    ui.horizontal_wrapped(|ui| {
        button(ui, Command::Accept, "✔ Accept", &mut actions);
        button(ui, Command::Reject, "× Reject", &mut actions);
        button(ui, Command::AcceptAndEdit, "Edit", &mut actions);
        button(ui, Command::Comment, "Comment", &mut actions);
        button(ui, Command::PrevReviewSpan, "◀ Previous", &mut actions);
        button(ui, Command::NextReviewSpan, "Next ▶", &mut actions);
        ui.separator();
        if let Some(r) = session.selected_relation() {
            ui.label(format!("{}: {}", r.id, session.describe_relation(r)));
        } else {
            match session.selected() {
                Some(span) => {
                    let editing = state.review.editing.as_ref() == Some(&span.id);
                    ui.label(format!(
                        "{}: {} {}{}",
                        span.id,
                        span.label,
                        session.quote(span.range),
                        if editing { " (editing)" } else { "" }
                    ));
                }
                None => {
                    ui.weak(format!(
                        "No span selected: {} goes to the next one",
                        Command::NextReviewSpan.key_text()
                    ));
                }
            }
        }
    });
    if let Some(id) = &state.review.commenting {
        let set = session.doc().set();
        let note = match set.relation(id) {
            Some(r) => r.note.clone(),
            None => set.get(id).and_then(|s| s.note.clone()),
        };
        comment_ui(ui, id, note, comment, &mut actions);
    } else {
        comment.span = None;
    }
    actions
}

/// A combo box choosing one of `values` or none: (id salt, accessible name, the "any" text).
pub fn choice_ui(
    ui: &mut Ui,
    (salt, name, any): (&str, &str, &str),
    values: &[String],
    chosen: &mut Option<String>,
) {
    egui::ComboBox::from_id_salt(salt)
        .selected_text(chosen.clone().unwrap_or_else(|| any.to_string()))
        .show_ui(ui, |ui| {
            ui.selectable_value(chosen, None, any);
            for v in values {
                ui.selectable_value(chosen, Some(v.clone()), v.as_str());
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name));
}

/// The document status chooser, and the offer to mark it reviewed when everything is decided.
pub fn document_status_ui(
    ui: &mut Ui,
    status: DocumentStatus,
    all_decided: bool,
    actions: &mut Vec<Action>,
) {
    let mut chosen = status;
    egui::ComboBox::from_id_salt("document_status")
        .selected_text(status_text(status))
        .show_ui(ui, |ui| {
            for s in [
                DocumentStatus::InProgress,
                DocumentStatus::Annotated,
                DocumentStatus::Reviewed,
            ] {
                ui.selectable_value(&mut chosen, s, status_text(s));
            }
        })
        .response
        .on_hover_text(
            "Where the document stands: in progress, annotated, reviewed (saved in the file)",
        )
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Document status"));
    if chosen != status {
        actions.push(Action::SetDocumentStatus(chosen));
    }
    if all_decided && status != DocumentStatus::Reviewed {
        let b = ui
            .button(RichText::new("✔ Mark document reviewed").strong())
            .on_hover_text("Every span is decided: set the document's status to reviewed");
        if b.clicked() {
            actions.push(Action::SetDocumentStatus(DocumentStatus::Reviewed));
        }
    }
}

/// The comment field: Enter (or Keep) keeps the note (an undoable edit), Escape (or Cancel)
/// does not; either way the keyboard goes back to the article.
fn comment_ui(
    ui: &mut Ui,
    span: &SpanId,
    note: Option<String>,
    field: &mut CommentField,
    actions: &mut Vec<Action>,
) {
    let opened = field.span.as_ref() != Some(span);
    if opened {
        field.span = Some(span.clone());
        field.text = note.unwrap_or_default();
    }
    ui.horizontal(|ui| {
        let caption = ui.label(format!("Comment on {span}"));
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut field.text)
                    .desired_width(ui.available_width().min(520.0) - 150.0)
                    .hint_text("a note for the annotator; Enter keeps it, Escape cancels"),
            )
            .labelled_by(caption.id);
        if opened {
            r.request_focus();
        }
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        let escape = ui.input(|i| i.key_pressed(Key::Escape)) && (r.has_focus() || r.lost_focus());
        let keep = ui.button("Keep").clicked();
        let cancel = ui.button("Cancel").clicked();
        if (enter || keep) && !escape {
            let text = field.text.trim();
            let note = (!text.is_empty()).then(|| text.to_string());
            actions.push(Action::SetNote(span.clone(), note));
            actions.push(Action::EndComment);
        } else if escape || cancel {
            actions.push(Action::EndComment);
        }
    });
}
