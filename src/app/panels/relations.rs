//! Relations in the details panel: the selected span's relations (kind, direction, the other
//! end's text; a click on the kind selects the relation, on the text jumps to the other end),
//! and a selected relation in full (its kind to choose, its ends, status, author; reverse and
//! delete; its note is the details panel's note field). Every change is an action the app applies, one undoable step each.

use egui::{RichText, Ui};

use crate::app::action::Action;
use crate::app::commands::Command;
use crate::app::session::Session;
use crate::app::view::paint::colour;
use crate::model::edit::quote;
use crate::model::{Relation, Span, SpanId, Status};

/// The list of `span`'s relations, with a hint on how to make one.
pub fn of_span(ui: &mut Ui, session: &Session, span: &Span, actions: &mut Vec<Action>) {
    let set = session.doc().set();
    let relations: Vec<&Relation> = set.relations_of(&span.id).collect();
    ui.label(format!("Relations ({})", relations.len()));
    for r in relations {
        let outgoing = r.from == span.id;
        let other = r.other_end(&span.id);
        ui.horizontal(|ui| {
            // Words, not arrows: the bundled fonts have no arrow glyphs.
            let kind = RichText::new(format!(
                "{} {}",
                r.kind,
                if outgoing { "to" } else { "from" }
            ))
            .color(kind_colour(session, r));
            if ui
                .selectable_label(false, kind)
                .on_hover_text("Select this relation")
                .clicked()
            {
                actions.push(Action::SelectRelation(r.id.clone()));
            }
            let text = other_text(session, other);
            if ui.link(text).on_hover_text("Go to the other end").clicked() {
                actions.push(Action::SelectSpan(other.clone()));
            }
            if r.status != Status::Pending {
                ui.weak(r.status.as_str());
            }
        });
    }
    if session.doc().schema.has_outgoing(&span.label) {
        ui.weak("R starts a relation from this span (Alt+click a span links it too).");
    }
}

/// The selected relation in full.
pub fn selected(ui: &mut Ui, session: &Session, r: &Relation, actions: &mut Vec<Action>) {
    ui.heading("Relation");
    let schema = &session.doc().schema;
    let set = session.doc().set();
    egui::Grid::new("relation_grid")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("Kind");
            let mut kind = r.kind.clone();
            let (from, to) = (set.get(&r.from), set.get(&r.to));
            egui::ComboBox::from_id_salt("relation_kind")
                .selected_text(kind.as_str())
                .show_ui(ui, |ui| {
                    for k in schema.relations() {
                        let fits = match (from, to) {
                            (Some(a), Some(b)) => k.allows(&a.label, &b.label),
                            _ => true,
                        };
                        ui.add_enabled_ui(fits, |ui| {
                            ui.selectable_value(&mut kind, k.name.clone(), k.name.as_str());
                        });
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::ComboBox,
                        true,
                        "Kind of the selected relation",
                    )
                });
            if kind != r.kind {
                actions.push(Action::RetypeRelation(r.id.clone(), kind));
            }
            ui.end_row();
            for (name, end) in [("From", &r.from), ("To", &r.to)] {
                ui.label(name);
                if ui.link(other_text(session, end)).clicked() {
                    actions.push(Action::SelectSpan(end.clone()));
                }
                ui.end_row();
            }
            for (name, value) in [
                ("Id", r.id.to_string()),
                ("Author", r.author.clone()),
                ("Created", r.created.to_string()),
            ] {
                ui.label(name);
                ui.label(value);
                ui.end_row();
            }
            ui.label("Status");
            if let Some(status) = super::choices::status_ui(ui, r.status) {
                actions.push(Action::SetRelationStatus(r.id.clone(), status));
            }
            ui.end_row();
        });
    if let Some(k) = schema.relation_kind(r.kind.as_str())
        && !k.description.is_empty()
    {
        ui.weak(&k.description);
    }
    ui.horizontal(|ui| {
        for (command, text) in [
            (Command::ReverseRelation, "Reverse"),
            (Command::DeleteRelation, "Delete"),
        ] {
            if ui
                .button(text)
                .on_hover_text(format!(
                    "{} ({})",
                    command.description(),
                    command.key_text()
                ))
                .clicked()
            {
                actions.push(Action::SelectRelation(r.id.clone()));
                actions.push(Action::Command(command));
            }
        }
    });
}

fn other_text(session: &Session, id: &SpanId) -> String {
    match session.doc().set().get(id) {
        Some(s) => format!("{} {}", s.label, quote(session.doc().text(), s.range)),
        None => id.to_string(),
    }
}

fn kind_colour(session: &Session, r: &Relation) -> egui::Color32 {
    session
        .doc()
        .schema
        .relation_kind(r.kind.as_str())
        .map_or(egui::Color32::GRAY, |k| colour(k.colour))
}
