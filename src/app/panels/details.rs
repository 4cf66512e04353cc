//! The selected span in full: label, exact text, offsets, author, times, status, note and
//! attributes (a date's ISO 8601 value among them). Edits go through the session, so each is
//! undoable and lands in the audit log.

use egui::{RichText, Ui};

use crate::app::action::Action;
use crate::app::session::Session;
use crate::model::{Span, SpanId};

/// Text being typed into the details panel, for the span it belongs to.
#[derive(Debug, Clone, Default)]
pub struct Buffers {
    span: Option<(u64, SpanId)>,
    note: String,
    iso: String,
    new_key: String,
    new_value: String,
}

/// The text with line breaks and tabs made visible.
pub fn visible(text: &str) -> String {
    text.replace("\r\n", "\\r\\n\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

/// The selected span in full, or what a label would take from the text selection.
pub fn ui(ui: &mut Ui, session: &Session, shown: u64, buffers: &mut Buffers) -> Vec<Action> {
    let mut actions = Vec::new();
    if let Some(r) = session.selected_relation() {
        let key = (shown, r.id.clone());
        if buffers.span.as_ref() != Some(&key) {
            *buffers = Buffers {
                span: Some(key),
                note: r.note.clone().unwrap_or_default(),
                ..Default::default()
            };
        }
        super::relations::selected(ui, session, r, &mut actions);
        note_ui(ui, &r.id, r.note.as_ref(), &mut buffers.note, &mut actions);
        return actions;
    }
    ui.heading("Details");
    let Some(span) = session.selected() else {
        match session.label_range() {
            Some(r) => {
                ui.label(format!("Selected {} ({} characters)", r, r.len()));
                ui.label(
                    RichText::new(visible(session.doc().text().slice(r).unwrap_or(""))).monospace(),
                );
                let keys: Vec<String> = crate::app::commands::label_keys(&session.doc().schema)
                    .iter()
                    .map(|(_, k)| crate::app::commands::shortcut_text(k))
                    .collect();
                ui.weak(format!(
                    "Press {} or click a label to label it.",
                    keys.join(", ")
                ));
            }
            None => {
                ui.weak("Click a span to see it here, or select text to label it.");
            }
        }
        return actions;
    };
    let key = (shown, span.id.clone());
    if buffers.span.as_ref() != Some(&key) {
        *buffers = Buffers {
            span: Some(key),
            note: span.note.clone().unwrap_or_default(),
            iso: span.attrs.get("iso").cloned().unwrap_or_default(),
            ..Default::default()
        };
    }
    egui::ScrollArea::vertical()
        .id_salt("details_scroll")
        .show(ui, |ui| {
            fields_ui(ui, session, span, &mut actions);
            ui.add_space(6.0);
            super::relations::of_span(ui, session, span, &mut actions);
            ui.add_space(6.0);
            let is_date = span.label.as_str() == "date";
            if is_date {
                iso_ui(ui, span, &mut buffers.iso, &mut actions);
            }
            note_ui(
                ui,
                &span.id,
                span.note.as_ref(),
                &mut buffers.note,
                &mut actions,
            );
            ui.add_space(6.0);
            attributes_ui(ui, span, is_date, buffers, &mut actions);
        });
    actions
}

/// The span's fields: label (a choice), text, offsets, id, author, times, origin, status.
fn fields_ui(ui: &mut Ui, session: &Session, span: &Span, actions: &mut Vec<Action>) {
    let text = session.doc().set().span_text(span).to_string();
    egui::Grid::new("details_grid")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("Label");
            let mut label = span.label.clone();
            egui::ComboBox::from_id_salt("details_label")
                .selected_text(label.as_str())
                .show_ui(ui, |ui| {
                    for def in session.doc().schema.labels() {
                        ui.selectable_value(&mut label, def.name.clone(), def.name.as_str());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::ComboBox,
                        true,
                        "Label of the selected span",
                    )
                });
            if label != span.label {
                actions.push(Action::Relabel(span.id.clone(), label));
            }
            ui.end_row();
            ui.label("Text");
            ui.add(egui::Label::new(RichText::new(visible(&text)).monospace()).wrap());
            ui.end_row();
            for (name, value) in [
                (
                    "Offsets",
                    format!("{} ({} characters)", span.range, span.range.len()),
                ),
                ("Id", span.id.to_string()),
                ("Author", span.author.to_string()),
                ("Created", span.created.to_string()),
                ("Modified", span.modified.to_string()),
                ("Origin", span.origin.as_str().to_string()),
            ] {
                ui.label(name);
                ui.label(value);
                ui.end_row();
            }
            ui.label("Status");
            if let Some(status) = super::choices::status_ui(ui, span.status) {
                actions.push(Action::SetStatus(span.id.clone(), status));
            }
            ui.end_row();
        });
}

/// A date's ISO 8601 value, kept when the field loses the keyboard and the value is valid.
fn iso_ui(ui: &mut Ui, span: &Span, iso: &mut String, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let caption = ui.label("ISO 8601");
        let r = ui
            .add(
                egui::TextEdit::singleline(iso)
                    .hint_text("2021-10-18")
                    .desired_width(140.0),
            )
            .labelled_by(caption.id);
        let current = span.attrs.get("iso").cloned().unwrap_or_default();
        let checked = (!iso.is_empty()).then(|| crate::model::iso::check(iso));
        let valid = !matches!(checked, Some(Err(_)));
        if let Some(Err(e)) = &checked {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
        }
        if r.lost_focus() && valid && *iso != current {
            let value = (!iso.is_empty()).then(|| iso.clone());
            actions.push(Action::SetAttr(span.id.clone(), "iso".to_string(), value));
        }
    });
}

/// The note for reviewers on span or relation `id`, kept when the field loses the keyboard.
fn note_ui(
    ui: &mut Ui,
    id: &SpanId,
    current: Option<&String>,
    note: &mut String,
    actions: &mut Vec<Action>,
) {
    let caption = ui.label("Note");
    let r = ui
        .add(
            egui::TextEdit::multiline(note)
                .desired_rows(3)
                .hint_text("a comment for reviewers"),
        )
        .labelled_by(caption.id);
    let current = current.cloned().unwrap_or_default();
    if r.lost_focus() && *note != current {
        let kept = (!note.trim().is_empty()).then(|| note.clone());
        actions.push(Action::SetNote(id.clone(), kept));
    }
}

/// The attributes, each removable, and a row to add one.
fn attributes_ui(
    ui: &mut Ui,
    span: &Span,
    is_date: bool,
    buffers: &mut Buffers,
    actions: &mut Vec<Action>,
) {
    ui.label("Attributes");
    for (key, value) in span
        .attrs
        .iter()
        .filter(|(k, _)| !(is_date && k.as_str() == "iso"))
    {
        ui.horizontal(|ui| {
            ui.monospace(format!("{key} = {value}"));
            if ui
                .small_button("×")
                .on_hover_text("Remove this attribute")
                .clicked()
            {
                actions.push(Action::SetAttr(span.id.clone(), key.clone(), None));
            }
        });
    }
    ui.horizontal(|ui| {
        let k = ui.add(
            egui::TextEdit::singleline(&mut buffers.new_key)
                .hint_text("key")
                .desired_width(80.0),
        );
        k.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Attribute key"));
        let v = ui.add(
            egui::TextEdit::singleline(&mut buffers.new_value)
                .hint_text("value")
                .desired_width(110.0),
        );
        v.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Attribute value"));
        let key = buffers.new_key.trim().to_string();
        if ui
            .add_enabled(!key.is_empty(), egui::Button::new("Add"))
            .clicked()
        {
            actions.push(Action::SetAttr(
                span.id.clone(),
                key,
                Some(buffers.new_value.clone()),
            ));
            buffers.new_key.clear();
            buffers.new_value.clear();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_are_visible() {
        assert_eq!(visible("a\r\nb\tc"), "a\\r\\n\nb\\tc");
    }
}
