//! The selected span in full: label, exact text, offsets, author, times, status, note and
//! attributes. The attributes its label defines are edited by type (a value list, a checkbox,
//! a text field, an ISO 8601 date field); the others are shown as they are, removable. Edits go
//! through the session, so each is undoable and lands in the audit log.

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use crate::app::action::Action;
use crate::app::session::Session;
use crate::model::attribute::{FLAG_NO, FLAG_YES};
use crate::model::{AttrDef, AttrType, LabelDef, Span, SpanId};

/// Text being typed into the details panel, for the span it belongs to.
#[derive(Debug, Clone, Default)]
pub struct Buffers {
    span: Option<(u64, SpanId)>,
    note: String,
    /// The text and date attributes being typed, by name.
    texts: BTreeMap<String, String>,
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
            texts: span.attrs.clone(),
            ..Default::default()
        };
    }
    egui::ScrollArea::vertical()
        .id_salt("details_scroll")
        .show(ui, |ui| {
            fields_ui(ui, session, span, &mut actions);
            ui.add_space(6.0);
            if let Some(line) = crate::app::view::suggestion_line(span) {
                suggestion_ui(ui, span, line, &mut actions);
                ui.add_space(6.0);
            }
            // The label's attributes right under the label: they are edited as often.
            let def = session.doc().schema.get(span.label.as_str());
            if let Some(def) = def.filter(|d| !d.attributes.is_empty()) {
                defined_ui(ui, span, def, &mut buffers.texts, &mut actions);
                ui.add_space(6.0);
            }
            super::relations::of_span(ui, session, span, &mut actions);
            ui.add_space(6.0);
            note_ui(
                ui,
                &span.id,
                span.note.as_ref(),
                &mut buffers.note,
                &mut actions,
            );
            ui.add_space(6.0);
            attributes_ui(ui, span, def, buffers, &mut actions);
        });
    actions
}

/// What a suggestion is (agent, score, why, a date's ISO value) and, while it is pending,
/// buttons to accept or reject it.
fn suggestion_ui(ui: &mut Ui, span: &Span, line: String, actions: &mut Vec<Action>) {
    use crate::app::commands::Command;
    ui.group(|ui| {
        ui.label(RichText::new(line).italics());
        if crate::model::suggestion::is_pending(span) {
            // Short names, so both fit side by side at the panel's default width; the hover
            // gives the whole command.
            ui.horizontal_wrapped(|ui| {
                for (c, name) in [
                    (Command::AcceptSuggestion, "Accept"),
                    (Command::RejectSuggestion, "Reject"),
                ] {
                    if ui
                        .button(format!("{name} ({})", c.key_text()))
                        .on_hover_text(c.description())
                        .clicked()
                    {
                        actions.push(Action::Command(c));
                    }
                }
            });
        }
    });
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

/// The attributes the span's label defines, each edited by its type. A value list and a
/// checkbox change the span on click; a text or date field when it loses the keyboard.
fn defined_ui(
    ui: &mut Ui,
    span: &Span,
    def: &LabelDef,
    texts: &mut BTreeMap<String, String>,
    actions: &mut Vec<Action>,
) {
    egui::Grid::new("details_attributes")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            for a in &def.attributes {
                let caption = ui.label(&a.name);
                if !a.description.is_empty() {
                    caption.clone().on_hover_text(&a.description);
                }
                let current = span.attrs.get(&a.name);
                let mut set = |value: Option<String>| {
                    if value.as_ref() != current {
                        actions.push(Action::SetAttr(span.id.clone(), a.name.clone(), value));
                    }
                };
                match a.kind {
                    AttrType::Choice => {
                        if let Some(v) = choice_ui(ui, a, current) {
                            set(v);
                        }
                    }
                    AttrType::Flag => {
                        let shown = current.or(a.default.as_ref()).map(String::as_str);
                        let mut on = shown == Some(FLAG_YES);
                        let text = if current.is_none() && a.default.is_some() {
                            "(default)"
                        } else {
                            ""
                        };
                        let r = ui.checkbox(&mut on, text).labelled_by(caption.id);
                        if r.changed() {
                            set(Some(if on { FLAG_YES } else { FLAG_NO }.to_string()));
                        }
                    }
                    AttrType::Text | AttrType::Date => {
                        let buffer = texts.entry(a.name.clone()).or_default();
                        let hint = match (a.kind, &a.default) {
                            (_, Some(d)) => d.clone(),
                            (AttrType::Date, None) => "2021-10-18".to_string(),
                            _ => String::new(),
                        };
                        ui.horizontal(|ui| {
                            let r = ui
                                .add(
                                    egui::TextEdit::singleline(buffer)
                                        .hint_text(hint)
                                        .desired_width(140.0),
                                )
                                .labelled_by(caption.id);
                            let checked = (a.kind == AttrType::Date && !buffer.is_empty())
                                .then(|| crate::model::iso::check(buffer));
                            let valid = !matches!(checked, Some(Err(_)));
                            if let Some(Err(e)) = &checked {
                                ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                            }
                            if r.lost_focus() && valid {
                                set((!buffer.is_empty()).then(|| buffer.clone()));
                            }
                        });
                    }
                }
                ui.end_row();
            }
        });
}

/// A closed set as a row of values (the current one marked, the default named, each value's
/// key in its tooltip) and a button that clears it: the value chosen, `Some(None)` to clear.
fn choice_ui(ui: &mut Ui, a: &AttrDef, current: Option<&String>) -> Option<Option<String>> {
    let mut chosen = None;
    ui.horizontal_wrapped(|ui| {
        for v in a.choices() {
            let is_current = current == Some(&v.value);
            let is_default = current.is_none() && a.default.as_ref() == Some(&v.value);
            let text = if is_default {
                RichText::new(format!("{} (default)", v.value)).italics()
            } else {
                RichText::new(&v.value)
            };
            let mut r = ui.selectable_label(is_current, text);
            if let Some(k) = v.key {
                let prefix = crate::app::commands::Command::SetAttribute.key_text();
                r = r.on_hover_text(format!("{prefix} then {k}"));
            }
            if r.clicked() && !is_current {
                chosen = Some(Some(v.value.clone()));
            }
        }
        if let Some(value) = current
            && !a.allows(value)
        {
            ui.colored_label(ui.visuals().warn_fg_color, format!("{value} (not allowed)"));
        }
        if current.is_some()
            && ui
                .small_button("×")
                .on_hover_text(format!("Clear {}", a.name))
                .clicked()
        {
            chosen = Some(None);
        }
    });
    chosen
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

/// The attributes the label does not define (imported ones, `agreed_by`, a suggestion's
/// `agent`…), each removable, and a row to add one.
fn attributes_ui(
    ui: &mut Ui,
    span: &Span,
    def: Option<&LabelDef>,
    buffers: &mut Buffers,
    actions: &mut Vec<Action>,
) {
    let defined = |k: &str| def.is_some_and(|d| d.attribute(k).is_some());
    ui.label(if def.is_some_and(|d| !d.attributes.is_empty()) {
        "Other attributes"
    } else {
        "Attributes"
    });
    for (key, value) in span.attrs.iter().filter(|(k, _)| !defined(k)) {
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
