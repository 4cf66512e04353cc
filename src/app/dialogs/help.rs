//! The keyboard help (F1): every command of the command table by section, with its keys and
//! what it does, and the label keys of the schema in force. The same rows make the README's
//! shortcut tables.

use egui::{Context, Key};

use crate::app::action::Action;
use crate::app::commands::{Section, rows};
use crate::app::state::{AppState, Window};

pub fn ui(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    if !state.windows.help {
        return;
    }
    let schema = state.session.as_ref().map(|s| &s.doc().schema);
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .default_width(640.0)
        .vscroll(true)
        .show(ctx, |ui| {
            // One grid, so the columns line up across the sections.
            egui::Grid::new("shortcuts")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for section in Section::ALL {
                        ui.strong(section.title());
                        ui.end_row();
                        for row in rows(&[section], schema) {
                            ui.monospace(&row.keys);
                            ui.label(&row.name);
                            ui.weak(row.description);
                            ui.end_row();
                        }
                    }
                });
        });
    if !open || ctx.input(|i| i.key_pressed(Key::Escape)) {
        actions.push(Action::Close(Window::Help));
    }
}
