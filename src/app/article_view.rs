//! The article, read-only: paragraph by paragraph inside a scroll area, at a readable width.

use crate::model::Text;

/// Readable line length for body text, in points.
const MAX_LINE_WIDTH: f32 = 720.0;

pub fn ui(ui: &mut egui::Ui, text: &Text) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(MAX_LINE_WIDTH.min(ui.available_width()));
            for paragraph in text.as_str().split('\n') {
                let paragraph = paragraph.strip_suffix('\r').unwrap_or(paragraph);
                if paragraph.is_empty() {
                    ui.add_space(6.0);
                } else {
                    ui.label(egui::RichText::new(paragraph).size(16.0));
                }
            }
        });
}
