//! The Frames window: the document's claims and events, one row each, with the spans that fill
//! each role and the roles nobody fills marked; clicking a row selects its span. The frames are
//! computed again only when the document changes (at 100,000 spans that takes milliseconds,
//! too long for every frame), and only the rows in view are drawn.

use egui::{Color32, RichText, Ui};

use crate::app::action::Action;
use crate::app::session::Session;
use crate::model::SpanId;
use crate::model::edit::quote;
use crate::model::frames::{Frame, FrameType, all_frames};

/// The frames, kept for the document they were computed for.
#[derive(Debug, Default)]
pub struct FramesPanel {
    /// (the session shown, its generation) the frames are for.
    built_for: Option<(u64, u64)>,
    frames: Vec<Frame>,
    /// Show only frames with a missing role.
    pub incomplete_only: bool,
}

impl FramesPanel {
    /// The frames of the session shown, computed again when it changed.
    pub fn frames(&mut self, session: &Session, shown: u64) -> &[Frame] {
        let key = (shown, session.generation());
        if self.built_for != Some(key) {
            self.frames = all_frames(session.doc().set());
            self.built_for = Some(key);
        }
        &self.frames
    }
}

/// The window's contents.
pub fn ui(ui: &mut Ui, session: &Session, shown: u64, panel: &mut FramesPanel) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut incomplete_only = panel.incomplete_only;
    let frames = panel.frames(session, shown);
    let (claims, events) = (
        frames.iter().filter(|f| f.kind == FrameType::Claim).count(),
        frames.iter().filter(|f| f.kind == FrameType::Event).count(),
    );
    let incomplete = frames
        .iter()
        .filter(|f| f.missing().next().is_some())
        .count();
    ui.horizontal(|ui| {
        ui.label(format!(
            "{}, {}; {incomplete} with a role missing",
            count(claims, "claim"),
            count(events, "event")
        ));
        ui.checkbox(&mut incomplete_only, "Only those");
    });
    ui.weak("A claim: its source, cue and time. An event (an action that is not a claim's cue): its agent, target and time. Click a row to select its span.");
    ui.separator();
    let rows: Vec<&Frame> = frames
        .iter()
        .filter(|f| !incomplete_only || f.missing().next().is_some())
        .collect();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 10.0;
    let selected = session.selected_id();
    egui::ScrollArea::vertical()
        .id_salt("frames_list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for frame in &rows[range] {
                if row_ui(
                    ui,
                    session,
                    frame,
                    selected == Some(&frame.head),
                    row_height,
                ) {
                    actions.push(Action::SelectSpan(frame.head.clone()));
                }
            }
        });
    panel.incomplete_only = incomplete_only;
    actions
}

/// One frame: its span on the first line, its roles on the second. Returns whether clicked.
fn row_ui(ui: &mut Ui, session: &Session, frame: &Frame, selected: bool, height: f32) -> bool {
    let response = ui
        .scope(|ui| {
            ui.set_min_height(height);
            let fill = if selected {
                ui.visuals().selection.bg_fill
            } else {
                Color32::TRANSPARENT
            };
            egui::Frame::new()
                .fill(fill)
                .inner_margin(2.0)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        ui.strong(frame.kind.as_str());
                        ui.label(span_text(session, &frame.head));
                    });
                    ui.horizontal_wrapped(|ui| {
                        for (role, spans) in &frame.roles {
                            if spans.is_empty() {
                                ui.label(
                                    RichText::new(format!("{role}: missing"))
                                        .color(ui.visuals().warn_fg_color),
                                );
                            } else {
                                let texts: Vec<String> =
                                    spans.iter().map(|id| span_text(session, id)).collect();
                                ui.label(format!("{role}: {}", texts.join(", ")));
                            }
                            ui.add_space(8.0);
                        }
                    });
                });
        })
        .response
        .interact(egui::Sense::click());
    let text = format!(
        "{} {}",
        frame.kind.as_str(),
        span_text(session, &frame.head)
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ListItem, true, &text));
    response.clicked()
}

/// `1 claim`, `2 claims`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn span_text(session: &Session, id: &SpanId) -> String {
    session
        .doc()
        .set()
        .get(id)
        .map(|s| quote(session.doc().text(), s.range))
        .unwrap_or_else(|| id.to_string())
}
