//! The status bar: the date finder at work (how far it got, and Cancel), what the last command
//! did, the selection, the annotator, snapping, and
//! a note when a paragraph is shown with word-level selection (right-to-left text).

use egui::Ui;

use crate::app::action::Action;
use crate::app::state::AppState;

/// Draws the status bar; `word_level` says whether a right-to-left block is in view. Returns
/// what was clicked (the date finder's Cancel).
pub fn ui(ui: &mut Ui, state: &AppState, word_level: bool) -> Vec<Action> {
    let mut actions = Vec::new();
    let annotator = state.annotator();
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let Some(session) = &state.session else {
                ui.label(format!("annotator: {annotator}"));
                return;
            };
            if let Some(dates) = &state.jobs.dates {
                let progress = dates.job.progress.snapshot();
                ui.add(egui::Spinner::new());
                // Once cancelled, the notice says it is stopping until the worker has stopped.
                if !progress.cancelled {
                    let done = progress
                        .fraction()
                        .map(|f| format!(" {:.0} %", f * 100.0))
                        .unwrap_or_default();
                    ui.label(format!(
                        "Finding dates…{done} {:.1} s",
                        dates.job.started.elapsed().as_secs_f64()
                    ));
                    if ui
                        .small_button("Cancel")
                        .on_hover_text("Stop the date finder; it adds nothing")
                        .clicked()
                    {
                        actions.push(Action::CancelDates);
                    }
                }
                ui.separator();
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(250));
            }
            if let Some(notice) = session.notice() {
                if notice.is_error {
                    ui.colored_label(ui.visuals().error_fg_color, &notice.text);
                } else {
                    ui.label(&notice.text);
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(format!("annotator: {annotator}"));
                ui.separator();
                ui.label(if state.prefs.snap_words {
                    "snap: words"
                } else {
                    "snap: characters"
                });
                ui.separator();
                let n = session.doc().set().len();
                ui.label(format!("{n} span{}", if n == 1 { "" } else { "s" }));
                let pending = session.pending_count();
                if pending > 0 {
                    ui.separator();
                    ui.label(format!(
                        "{pending} suggestion{} pending",
                        if pending == 1 { "" } else { "s" }
                    ));
                }
                if session.is_dirty() {
                    ui.separator();
                    ui.label("unsaved");
                }
                if word_level {
                    ui.separator();
                    ui.colored_label(ui.visuals().warn_fg_color, "right-to-left text: whole-word selection")
                        .on_hover_text("egui cannot place the cursor exactly in right-to-left text yet, so selections there are made of whole words and never get a wrong offset.");
                }
            });
        });
    });
    actions
}
