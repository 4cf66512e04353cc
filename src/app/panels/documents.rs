//! The documents of an open folder, with each one's span count and status; click to switch
//! (Ctrl+PageDown / Ctrl+PageUp step through them).

use egui::{RichText, Ui};

use crate::app::action::Action;
use crate::app::commands::Command;
use crate::app::state::Folder;

pub fn ui(ui: &mut Ui, folder: &Folder) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        ui.heading("Documents");
        ui.weak(format!("{}", folder.docs.len()));
    });
    ui.horizontal(|ui| {
        if ui
            .small_button("◀")
            .on_hover_text(Command::PrevDocument.description())
            .clicked()
        {
            actions.push(Action::Command(Command::PrevDocument));
        }
        if ui
            .small_button("▶")
            .on_hover_text(Command::NextDocument.description())
            .clicked()
        {
            actions.push(Action::Command(Command::NextDocument));
        }
        ui.weak(folder.root.display().to_string());
    });
    if folder.reader.is_some() {
        let read = folder.read_count();
        let total = folder.docs.len().max(1);
        ui.horizontal(|ui| {
            ui.add(
                egui::ProgressBar::new(read as f32 / total as f32)
                    .desired_width(120.0)
                    .text(format!("{read} of {total}")),
            )
            .on_hover_text("Reading span counts and statuses");
            if ui
                .small_button("Stop")
                .on_hover_text("Stop reading the counts (the documents can still be opened)")
                .clicked()
            {
                actions.push(Action::StopReadingFolder);
            }
        });
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("documents")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, folder.docs.len(), |ui, range| {
            for i in range {
                let doc = &folder.docs[i];
                let name = doc
                    .article
                    .strip_prefix(&folder.root)
                    .unwrap_or(&doc.article)
                    .display()
                    .to_string();
                let info = match (&doc.summary, &doc.problem) {
                    _ if !doc.read => "…".to_string(),
                    (_, Some(_)) => "⚠ unreadable annotations".to_string(),
                    (Some(s), None) => format!(
                        "{} span{} · {}",
                        s.spans,
                        if s.spans == 1 { "" } else { "s" },
                        s.status.as_str().replace('_', " ")
                    ),
                    (None, None) => "not started".to_string(),
                };
                let current = folder.current == Some(i);
                let response = ui
                    .selectable_label(current, RichText::new(format!("{name}   {info}")))
                    .on_hover_text(
                        doc.problem
                            .clone()
                            .unwrap_or_else(|| doc.article.display().to_string()),
                    );
                if response.clicked() && !current {
                    actions.push(Action::OpenDocument(i));
                }
            }
        });
    actions
}
