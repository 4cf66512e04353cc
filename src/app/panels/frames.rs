//! The Frames window: the document's claims and events, one row each, with the spans that fill
//! each role and the roles nobody fills marked; clicking a row selects its span. The frames are
//! computed once, then frame by frame as edits touch them (at 100,000 spans all of them take
//! tens of milliseconds, too long for an edit), and only the rows in view are drawn.

use egui::{Color32, RichText, Ui};

use crate::app::action::Action;
use crate::app::session::Session;
use crate::model::SpanId;
use crate::model::edit::quote;
use crate::model::frames::{Frame, FrameType, affected, all_frames, frame_of};

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
    /// The frames of the session shown, brought up to date: only the frames of the spans an
    /// edit touched (and the other ends of their relations) are computed again, so an edit
    /// with the window open costs what it touches, not the document's size.
    pub fn frames(&mut self, session: &Session, shown: u64) -> &[Frame] {
        let set = session.doc().set();
        let changed = match self.built_for {
            Some((s, g)) if s == shown => session.changed_since(g),
            _ => None,
        };
        match changed {
            Some(ids) => {
                for id in affected(set, &ids) {
                    self.frames.retain(|f| f.head != id);
                    if let (Some(frame), Some(span)) = (frame_of(set, &id), set.get(&id)) {
                        let key = span.sort_key();
                        let at = self.frames.partition_point(|f| {
                            set.get(&f.head).is_some_and(|h| h.sort_key() < key)
                        });
                        self.frames.insert(at, frame);
                    }
                }
            }
            None => self.frames = all_frames(set),
        }
        self.built_for = Some((shown, session.generation()));
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::app::session::{Focus, Selection};
    use crate::model::marked::label;
    use crate::model::{CharOffset, Document, Schema, Source, Text, Timestamp};
    use crate::store::open::Opened;

    #[test]
    fn frames_kept_up_edit_by_edit_are_the_frames_computed_afresh() {
        let text = "Lavrov said on Monday that NATO lied, and Lungescu replied.";
        let doc = Document::new(
            Source::default(),
            Text::new(text.to_string()),
            "rita",
            Schema::default(),
        );
        let opened = Opened::unsaved(doc, PathBuf::from("x.spanmark.json"));
        let mut s = Session::new(opened, Arc::new(|| Timestamp::from_unix(5)));
        let mut panel = FramesPanel::default();
        let mut check = |s: &Session| {
            let kept = panel.frames(s, 1).to_vec();
            assert_eq!(kept, all_frames(s.doc().set()));
        };
        let mut ids = Vec::new();
        for (phrase, l) in [
            ("Lavrov", "actor"),
            ("said", "action"),
            ("Monday", "date"),
            ("that NATO lied", "claim"),
            ("replied", "action"),
        ] {
            let a = text[..text.find(phrase).unwrap()].chars().count();
            let range = Selection::new(CharOffset(a), CharOffset(a + phrase.chars().count()));
            s.set_focus(Focus::Text(range));
            s.apply_label(&label(l), "rita", false);
            ids.push(s.selected_id().unwrap().clone());
            check(&s);
        }
        let [lavrov, said, monday, claim, replied] = ids.try_into().unwrap();
        // said becomes the claim's cue: no longer an event.
        assert!(s.link(&claim, &said, None, "rita"));
        check(&s);
        assert!(s.link(&claim, &lavrov, None, "rita"));
        assert!(s.link(&replied, &lavrov, None, "rita"));
        assert!(s.link(&said, &monday, None, "rita"));
        check(&s);
        // Relabelling the claim frees its cue (an edit that touches only the claim).
        s.label_span(&claim, &label("actor"), "rita", false);
        check(&s);
        s.undo("rita");
        check(&s);
        // Deleting Lavrov takes two relations along: the claim and replied lose a role.
        s.select_span(&lavrov);
        s.delete_selected("rita");
        check(&s);
        s.undo("rita");
        check(&s);
        assert_eq!(panel.frames(&s, 1).len(), 2);
    }
}
