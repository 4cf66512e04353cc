//! The screen shown while a long document opens in the background (files over
//! [`BACKGROUND_BYTES`](crate::app::state::document::BACKGROUND_BYTES)): its name, size,
//! progress and a Cancel button. The worker reads each file once in chunks, which the bar
//! counts in bytes (the slow part on a network drive or a cold disk, and it can be cancelled
//! between chunks); then it parses the file and checks every span, which reports no fraction:
//! for that phase the screen shows its name, a spinner and the time taken.

use crate::app::action::Action;
use crate::app::state::jobs::Loading;

/// The progress shown while a document opens.
pub fn ui(ui: &mut egui::Ui, loading: &Loading) -> Option<Action> {
    let mut cancel = false;
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.3);
        let name = loading
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        ui.heading(format!("Opening {name}"));
        ui.weak(format!("{:.1} MB", loading.bytes as f64 / 1e6));
        ui.add_space(6.0);
        cancel = super::jobs::progress_ui(ui, &loading.job.progress, loading.job.started);
    });
    cancel.then_some(Action::CancelLoading)
}
