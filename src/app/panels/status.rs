//! The status bar: what the last command did, the selection, the annotator, snapping, and a
//! note when a paragraph is shown with word-level selection (right-to-left text).

use egui::Ui;

use crate::app::{Action, SpanmarkApp};

pub fn ui(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let actions = Vec::new();
    let annotator = app.annotator();
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(session) = &app.session {
                if let Some(notice) = &session.notice {
                    if notice.is_error {
                        ui.colored_label(ui.visuals().error_fg_color, &notice.text);
                    } else {
                        ui.label(&notice.text);
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(format!("annotator: {annotator}"));
                    ui.separator();
                    ui.label(if app.prefs.snap_words { "snap: words" } else { "snap: characters" });
                    ui.separator();
                    let n = session.doc.set().len();
                    ui.label(format!("{n} span{}", if n == 1 { "" } else { "s" }));
                    if session.is_dirty() {
                        ui.separator();
                        ui.label("unsaved");
                    }
                    if app.view.as_ref().is_some_and(|v| v.fallback_visible) {
                        ui.separator();
                        ui.colored_label(ui.visuals().warn_fg_color, "right-to-left text: whole-word selection")
                            .on_hover_text("egui cannot place the cursor exactly in right-to-left text yet, so selections there are made of whole words and never get a wrong offset.");
                    }
                });
            } else {
                ui.label(format!("annotator: {annotator}"));
            }
        });
    });
    actions
}
