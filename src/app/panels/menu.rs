//! The menu bar. Each entry is a command of the command table: its name, first shortcut and
//! description come from there, and it is greyed out where the table says the command is not
//! active (the mode, the focus).

use egui::Ui;

use crate::app::action::Action;
use crate::app::commands::{Command, Mode};
use crate::app::state::AppState;

/// What the menus need to know to grey entries out.
struct Menus<'a> {
    state: &'a AppState,
    has_doc: bool,
    actions: Vec<Action>,
}

impl Menus<'_> {
    /// An entry for `command`, enabled when it is active and `enabled` holds.
    fn item(&mut self, ui: &mut Ui, command: Command, enabled: bool) {
        self.item_named(ui, command, command.name(), enabled);
    }

    fn item_named(&mut self, ui: &mut Ui, command: Command, text: String, enabled: bool) {
        let active = command.active(self.state.mode, self.state.focus_kind());
        let button = egui::Button::new(text).shortcut_text(command.key_text());
        if ui
            .add_enabled(enabled && active, button)
            .on_hover_text(command.description())
            .clicked()
        {
            self.actions.push(Action::Command(command));
        }
    }

    fn file(&mut self, ui: &mut Ui) {
        self.item(ui, Command::Open, true);
        self.item(ui, Command::OpenFolder, true);
        self.item(ui, Command::OpenPath, true);
        ui.menu_button("Open Recent", |ui| {
            if self.state.prefs.recent.is_empty() {
                ui.weak("No recent files");
            }
            for path in &self.state.prefs.recent {
                if ui.button(path.display().to_string()).clicked() {
                    self.actions.push(Action::Open(path.clone()));
                }
            }
        });
        ui.separator();
        self.item(ui, Command::Compare, true);
        ui.separator();
        let in_folder = self.state.folder.is_some();
        self.item(ui, Command::Save, self.has_doc);
        self.item(ui, Command::Export, self.has_doc || in_folder);
        ui.separator();
        self.item(ui, Command::NextDocument, in_folder);
        self.item(ui, Command::PrevDocument, in_folder);
        ui.separator();
        self.item(ui, Command::Quit, true);
    }

    fn edit(&mut self, ui: &mut Ui) {
        let session = self.state.session.as_ref();
        let undo = session.and_then(|s| s.undo_text());
        let redo = session.and_then(|s| s.redo_text());
        let (undo_on, redo_on) = (undo.is_some(), redo.is_some());
        self.item_named(
            ui,
            Command::Undo,
            undo.unwrap_or_else(|| Command::Undo.name()),
            undo_on,
        );
        self.item_named(
            ui,
            Command::Redo,
            redo.unwrap_or_else(|| Command::Redo.name()),
            redo_on,
        );
        ui.separator();
        self.item(ui, Command::DeleteSpan, self.has_doc);
        self.item(ui, Command::NextSpan, self.has_doc);
        self.item(ui, Command::PrevSpan, self.has_doc);
        ui.menu_button("Relations", |ui| {
            for c in [
                Command::StartRelation,
                Command::ReverseRelation,
                Command::DeleteRelation,
            ] {
                self.item(ui, c, self.has_doc);
            }
        });
        ui.menu_button("Resize Span", |ui| {
            for c in [
                Command::GrowEnd,
                Command::ShrinkEnd,
                Command::GrowStart,
                Command::ShrinkStart,
            ] {
                self.item(ui, c, self.has_doc);
            }
        });
        ui.separator();
        self.item(ui, Command::Find, self.has_doc);
        self.item(ui, Command::FindNext, self.has_doc);
        self.item(ui, Command::LabelAllMatches, self.has_doc);
        ui.separator();
        self.item(ui, Command::EditLabels, self.has_doc);
        self.item(ui, Command::Preferences, true);
    }

    fn view(&mut self, ui: &mut Ui) {
        let prefs = &self.state.prefs;
        let mut snap = prefs.snap_words;
        if ui
            .checkbox(&mut snap, Command::ToggleSnap.name())
            .on_hover_text(Command::ToggleSnap.description())
            .changed()
        {
            self.actions.push(Action::Command(Command::ToggleSnap));
        }
        let mut list = prefs.show_span_list;
        if ui.checkbox(&mut list, "Span List").changed() {
            self.actions.push(Action::ShowSpanList(list));
        }
        let mut details = prefs.show_details;
        if ui.checkbox(&mut details, "Span Details").changed() {
            self.actions.push(Action::ShowDetails(details));
        }
        self.item(ui, Command::ShowGuidelines, true);
        self.item(ui, Command::ShowFrames, self.has_doc);
        ui.separator();
        for c in [
            Command::ZoomIn,
            Command::ZoomOut,
            Command::ZoomReset,
            Command::ToggleTheme,
        ] {
            self.item(ui, c, true);
        }
        ui.separator();
        let mode = self.state.mode;
        for (c, on) in [
            (Command::ToggleReview, mode == Mode::Review),
            (Command::ToggleAdjudication, mode == Mode::Adjudicate),
        ] {
            let text = format!("{}{}", if on { "✔ " } else { "" }, c.name());
            self.item_named(ui, c, text, self.has_doc);
        }
        self.item(ui, Command::ShowAgreement, true);
        self.item(ui, Command::CloseComparison, true);
    }

    fn suggestions(&mut self, ui: &mut Ui) {
        let session = self.state.session.as_ref();
        let pending = session.map_or(0, |s| s.pending_count());
        for c in [Command::NextSuggestion, Command::PrevSuggestion] {
            self.item(ui, c, pending > 0);
        }
        for c in [Command::AcceptSuggestion, Command::RejectSuggestion] {
            self.item(ui, c, self.has_doc);
        }
        ui.separator();
        for c in [
            Command::AcceptAllOnScreen,
            Command::RejectAllOnScreen,
            Command::AcceptAllInDocument,
            Command::RejectAllInDocument,
        ] {
            self.item(ui, c, pending > 0);
        }
        let agents = session.map(|s| s.suggestion_agents()).unwrap_or_default();
        for (accept, title) in [
            (true, "Accept All of Agent"),
            (false, "Reject All of Agent"),
        ] {
            ui.add_enabled_ui(!agents.is_empty(), |ui| {
                ui.menu_button(title, |ui| {
                    for agent in &agents {
                        if ui.button(agent).clicked() {
                            self.actions
                                .push(Action::AnswerAgent(agent.clone(), accept));
                        }
                    }
                });
            });
        }
        ui.separator();
        let prefs = &self.state.prefs;
        for (c, on) in [
            (Command::TogglePropagation, prefs.propagate),
            (Command::ToggleDateFinder, prefs.find_dates),
        ] {
            let mut checked = on;
            if ui
                .checkbox(&mut checked, c.name())
                .on_hover_text(c.description())
                .changed()
            {
                self.actions.push(Action::Command(c));
            }
        }
    }
}

pub fn ui(ui: &mut Ui, state: &AppState) -> Vec<Action> {
    let mut menus = Menus {
        state,
        has_doc: state.session.is_some(),
        actions: Vec::new(),
    };
    egui::Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| menus.file(ui));
            ui.menu_button("Edit", |ui| menus.edit(ui));
            ui.menu_button("View", |ui| menus.view(ui));
            ui.menu_button("Suggestions", |ui| menus.suggestions(ui));
            ui.menu_button("Help", |ui| menus.item(ui, Command::ShowHelp, true));
        });
    });
    menus.actions
}
