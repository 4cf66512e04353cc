//! The panels around the article: the menu bar, the labels palette and the documents of a
//! folder (left), the span list and the selected span's details (right), the find bar, the
//! status bar and the banner. Each draws from the state (`&AppState`, or the part it shows)
//! and its own widget state, and returns actions; none changes the document.

pub mod choices;
pub mod details;
pub mod documents;
pub mod find;
pub mod frames;
pub mod guidelines;
pub mod menu;
pub mod palette;
pub mod relations;
pub mod span_list;
pub mod status;

use egui::Ui;

use crate::app::session::Session;

/// The banner above the article for what the user must know (a changed article, unknown
/// labels, a label key a command takes).
pub fn banner(ui: &mut Ui, session: &Session) {
    for warning in session.warnings() {
        egui::Frame::new()
            .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {warning}"));
            });
    }
}
