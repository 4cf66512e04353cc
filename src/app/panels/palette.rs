//! The labels palette: each label with its colour, key and description. Clicking one does what
//! its key does: label the selection, or relabel the selected span.

use egui::{CornerRadius, RichText, Sense, Ui, Vec2};

use crate::app::action::Action;
use crate::app::commands::Command;
use crate::app::state::AppState;
use crate::app::view::paint::colour;

pub fn ui(ui: &mut Ui, state: &AppState) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.heading("Labels");
    let Some(session) = &state.session else {
        ui.weak("No document open");
        return actions;
    };
    let hint = if session.selected_id().is_some() && session.label_range().is_none() {
        "Press a key or click a label to relabel the selected span"
    } else {
        "Select text, then press a key or click a label"
    };
    ui.weak(hint);
    ui.add_space(4.0);
    for (i, def) in session.doc().schema.labels().iter().enumerate() {
        let c = colour(def.colour);
        let key = def.hotkey.map(|k| k.to_string()).unwrap_or_default();
        let response = ui
            .scope(|ui| {
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(Vec2::new(14.0, 14.0), Sense::hover());
                    ui.painter().rect_filled(rect, CornerRadius::same(3), c);
                    ui.label(RichText::new(key.clone()).monospace().strong());
                    ui.label(RichText::new(def.name.as_str()).strong());
                });
                ui.label(RichText::new(&def.description).small().weak());
            })
            .response;
        let response = ui
            .interact(
                response.rect,
                ui.scope_id().with(("label", i)),
                Sense::click(),
            )
            .on_hover_text(if def.description.is_empty() {
                Command::Label(i).description().to_string()
            } else {
                format!("{}\n\n{}", def.description, Command::Label(i).description())
            });
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Label {}", def.name))
        });
        if response.hovered() {
            ui.painter().rect_stroke(
                response.rect.expand(2.0),
                CornerRadius::same(4),
                egui::Stroke::new(1.0, c),
                egui::StrokeKind::Outside,
            );
        }
        if response.clicked() {
            actions.push(Action::Command(Command::Label(i)));
        }
        ui.add_space(4.0);
    }
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        if ui
            .button("Edit labels…")
            .on_hover_text(Command::EditLabels.description())
            .clicked()
        {
            actions.push(Action::Command(Command::EditLabels));
        }
    });
    let mut snap = state.prefs.snap_words;
    if ui
        .checkbox(&mut snap, "Snap to words")
        .on_hover_text(Command::ToggleSnap.description())
        .changed()
    {
        actions.push(Action::Command(Command::ToggleSnap));
    }
    actions
}
