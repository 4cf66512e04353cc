//! Small choices the panels share.

use egui::Ui;

use crate::model::Status;

/// The three statuses to choose from, the current one marked: the one clicked, if another.
pub fn status_ui(ui: &mut Ui, current: Status) -> Option<Status> {
    let mut chosen = None;
    ui.horizontal(|ui| {
        for status in Status::ALL {
            if ui
                .selectable_label(current == status, status.as_str())
                .clicked()
                && current != status
            {
                chosen = Some(status);
            }
        }
    });
    chosen
}
