//! The find bar (Ctrl+F): Enter selects the next match, scrolls to it and gives the keyboard
//! back to the article, so the next key (say `1`) labels it. "Label all" labels every match in
//! one undoable step.

use egui::{Key, Ui};

use crate::app::commands::Command;
use crate::app::session::{Selection, Session};
use crate::app::{Action, SpanmarkApp};
use crate::model::CharRange;
use crate::model::search::{SearchOptions, find_all};

#[derive(Debug, Default)]
pub struct FindBar {
    pub open: bool,
    pub query: String,
    pub case_sensitive: bool,
    pub whole_word: bool,
    /// Give the query field the keyboard on the next frame.
    pub focus_query: bool,
    /// The label "Label all" uses (index into the schema).
    pub label_index: usize,
    matches: Vec<CharRange>,
    key: Option<(String, bool, bool)>,
    current: Option<usize>,
}

impl FindBar {
    pub fn reset(&mut self) {
        self.matches.clear();
        self.key = None;
        self.current = None;
    }

    fn refresh(&mut self, session: &Session) {
        let key = (self.query.clone(), self.case_sensitive, self.whole_word);
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let options = SearchOptions {
            case_sensitive: self.case_sensitive,
            whole_word: self.whole_word,
        };
        self.matches = find_all(session.doc.text(), &self.query, options);
        self.current = None;
        self.key = Some(key);
    }

    pub fn matches(&self) -> &[CharRange] {
        &self.matches
    }

    /// Selects the next (or previous) match after the caret, wrapping around.
    pub fn step(&mut self, session: &mut Session, forward: bool) {
        self.refresh(session);
        if self.matches.is_empty() {
            session.notice = Some(crate::app::session::Notice {
                text: if self.query.is_empty() {
                    "Type something to find (Ctrl+F)".to_string()
                } else {
                    format!("'{}' is not in the article", self.query)
                },
                is_error: true,
            });
            return;
        }
        let here = session
            .selection
            .map(|s| s.range())
            .or_else(|| session.selected().map(|s| s.range));
        let n = self.matches.len();
        let index = match (here, forward) {
            (Some(r), true) => self
                .matches
                .iter()
                .position(|m| {
                    m.start() > r.start()
                        || (m.start() == r.start() && *m != r && m.end() > r.end())
                })
                .unwrap_or(0),
            (Some(r), false) => self
                .matches
                .iter()
                .rposition(|m| m.start() < r.start())
                .unwrap_or(n - 1),
            (None, true) => 0,
            (None, false) => n - 1,
        };
        let m = self.matches[index];
        self.current = Some(index);
        session.selection = Some(Selection {
            anchor: m.start(),
            focus: m.end(),
        });
        session.selected_span = None;
        session.scroll_to = Some(m.start());
        session.notice = Some(crate::app::session::Notice {
            text: format!("Match {} of {n}", index + 1),
            is_error: false,
        });
    }

    pub fn label_all(&mut self, session: &mut Session, who: &str) {
        self.refresh(session);
        let Some(label) = session
            .doc
            .schema
            .labels()
            .get(self.label_index)
            .map(|d| d.name.clone())
        else {
            return;
        };
        if self.matches.is_empty() {
            self.step(session, true);
            return;
        }
        let matches = self.matches.clone();
        session.label_all(&matches, &label, &self.query.clone(), who);
    }
}

pub fn ui(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(session) = &app.session else {
        return actions;
    };
    let labels: Vec<String> = session
        .doc
        .schema
        .labels()
        .iter()
        .map(|d| d.name.to_string())
        .collect();
    let find = &mut app.find;
    find.refresh(session);
    egui::Panel::top("find_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let caption = ui.label("Find");
            let edit = egui::TextEdit::singleline(&mut find.query)
                .hint_text("text in the article")
                .desired_width(260.0);
            let response = ui.add(edit).labelled_by(caption.id);
            if find.focus_query {
                response.request_focus();
                find.focus_query = false;
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                let back = ui.input(|i| i.modifiers.shift);
                actions.push(Action::Command(if back {
                    Command::FindPrev
                } else {
                    Command::FindNext
                }));
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Escape)) {
                find.open = false;
                actions.push(Action::Command(Command::ClearSelection));
            }
            ui.toggle_value(&mut find.case_sensitive, "Aa")
                .on_hover_text("Match case");
            ui.toggle_value(&mut find.whole_word, "Word")
                .on_hover_text("Whole words only");
            let count = find.matches.len();
            ui.label(match (find.current, count) {
                (_, 0) if find.query.is_empty() => String::new(),
                (_, 0) => "no matches".to_string(),
                (Some(i), n) => format!("{} of {n}", i + 1),
                (None, n) => format!("{n} matches"),
            });
            if ui
                .button("⏶")
                .on_hover_text("Previous match (Shift+F3)")
                .clicked()
            {
                actions.push(Action::Command(Command::FindPrev));
            }
            if ui
                .button("⏷")
                .on_hover_text("Next match (F3 or Enter)")
                .clicked()
            {
                actions.push(Action::Command(Command::FindNext));
            }
            ui.separator();
            if find.label_index >= labels.len() {
                find.label_index = 0;
            }
            egui::ComboBox::from_id_salt("find_label")
                .selected_text(labels.get(find.label_index).cloned().unwrap_or_default())
                .show_ui(ui, |ui| {
                    for (i, name) in labels.iter().enumerate() {
                        ui.selectable_value(&mut find.label_index, i, name);
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Label for label-all")
                });
            if ui
                .add_enabled(count > 0, egui::Button::new(format!("Label all {count}")))
                .on_hover_text(Command::LabelAllMatches.tooltip())
                .clicked()
            {
                actions.push(Action::Command(Command::LabelAllMatches));
            }
            if ui.button("×").on_hover_text("Close the find bar").clicked() {
                find.open = false;
            }
        });
    });
    actions
}
