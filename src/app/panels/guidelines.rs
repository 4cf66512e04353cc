//! The Guidelines window (F2): the project's guidelines, Markdown laid out with egui (parsed by
//! [`crate::model::markdown`]). Links are shown with their address and never opened or fetched;
//! the address is on hover too.

use egui::text::LayoutJob;
use egui::{Color32, FontId, Stroke, TextFormat, Ui};

use crate::model::markdown::{Block, Run, parse};
use crate::store::project::{FILE_NAME, Project};

/// The window's contents.
pub fn ui(ui: &mut Ui, project: Option<&Project>) {
    let Some(project) = project else {
        ui.label(format!(
            "This document is not in a project: there is no {FILE_NAME} in its folder or a folder above."
        ));
        ui.weak("spanmark project init DIR writes one; its \"guidelines\" or \"guidelines_file\" are shown here.");
        return;
    };
    let Some(text) = project
        .guidelines
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    else {
        ui.label(format!("The project {:?} has no guidelines.", project.name));
        ui.weak(format!(
            "Add \"guidelines\" (Markdown) or \"guidelines_file\" to {}.",
            project.path.display()
        ));
        return;
    };
    if let Some(file) = &project.guidelines_file {
        ui.weak(format!("From {file}"));
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for block in parse(text) {
                block_ui(ui, &block);
            }
        });
}

fn block_ui(ui: &mut Ui, block: &Block) {
    let body = egui::TextStyle::Body.resolve(ui.style()).size;
    match block {
        Block::Heading(level, runs) => {
            ui.add_space(if *level <= 2 { 10.0 } else { 6.0 });
            let size = body
                * match level {
                    1 => 1.6,
                    2 => 1.35,
                    3 => 1.15,
                    _ => 1.0,
                };
            runs_ui(ui, runs, size, true);
            if *level <= 2 {
                ui.separator();
            }
        }
        Block::Paragraph(runs) => {
            runs_ui(ui, runs, body, false);
            ui.add_space(4.0);
        }
        Block::Item {
            marker,
            depth,
            runs,
        } => {
            ui.horizontal_wrapped(|ui| {
                ui.add_space(12.0 + 18.0 * *depth as f32);
                ui.label(marker.as_str());
                runs_ui(ui, runs, body, false);
            });
        }
        Block::Quote(runs) => {
            ui.horizontal_wrapped(|ui| {
                let (rect, _) = ui.allocate_exact_size(
                    egui::vec2(3.0, ui.text_style_height(&egui::TextStyle::Body)),
                    egui::Sense::hover(),
                );
                ui.painter()
                    .rect_filled(rect, 0.0, ui.visuals().weak_text_color());
                runs_ui(ui, runs, body, false);
            });
        }
        Block::Code(code) => {
            egui::Frame::group(ui.style())
                .fill(ui.visuals().extreme_bg_color)
                .show(ui, |ui| {
                    ui.add(egui::Label::new(egui::RichText::new(code).monospace()).wrap());
                });
            ui.add_space(4.0);
        }
        Block::Rule => {
            ui.separator();
        }
    }
}

/// One block's runs as one wrapped label; the addresses of its links on hover.
fn runs_ui(ui: &mut Ui, runs: &[Run], size: f32, heading: bool) {
    let visuals = ui.visuals();
    let (text_colour, strong_colour, link_colour, code_bg) = (
        visuals.text_color(),
        visuals.strong_text_color(),
        visuals.hyperlink_color,
        visuals.code_bg_color,
    );
    let mut job = LayoutJob::default();
    let mut links = Vec::new();
    for run in runs {
        let mut format = TextFormat {
            font_id: if run.code {
                FontId::monospace(size * 0.95)
            } else {
                FontId::proportional(size)
            },
            color: if run.strong || heading {
                strong_colour
            } else {
                text_colour
            },
            italics: run.emphasis,
            ..TextFormat::default()
        };
        if run.code {
            format.background = code_bg;
        }
        if let Some(url) = &run.link {
            format.color = link_colour;
            format.underline = Stroke::new(1.0, link_colour);
            job.append(&run.text, 0.0, format.clone());
            // The address is shown, never followed.
            if url != &run.text {
                let mut address = format;
                address.underline = Stroke::NONE;
                address.color = Color32::GRAY;
                address.font_id = FontId::proportional(size * 0.85);
                job.append(&format!(" ⟨{url}⟩"), 0.0, address);
            }
            links.push(url.clone());
            continue;
        }
        job.append(&run.text, 0.0, format);
    }
    job.wrap.max_width = ui.available_width();
    let response = ui.label(job);
    if !links.is_empty() {
        response.on_hover_text(format!("Links are shown, not opened: {}", links.join(", ")));
    }
}
