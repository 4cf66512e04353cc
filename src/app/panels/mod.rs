//! The panels around the article: menus, the labels palette and documents (left), the span
//! list and details (right), the find bar, the status bar and the banner. Each draws from the
//! app's state and returns [`Action`]s; nothing here changes the document directly.

pub mod details;
pub mod documents;
pub mod find;
pub mod palette;
pub mod span_list;
pub mod status;

use egui::Ui;

use super::commands::{Command, ReviewCommand, shortcut_text};
use super::review::Mode;
use super::session::Session;
use super::{Action, SpanmarkApp};

/// A menu entry for a command, with its shortcut and tooltip.
fn item(ui: &mut Ui, command: Command, text: Option<String>, enabled: bool) -> Option<Action> {
    let shortcut = command
        .shortcuts()
        .first()
        .map(shortcut_text)
        .unwrap_or_default();
    let button = egui::Button::new(text.unwrap_or_else(|| command.text())).shortcut_text(shortcut);
    let clicked = ui
        .add_enabled(enabled, button)
        .on_hover_text(command.tooltip())
        .clicked();
    clicked.then_some(Action::Command(command))
}

pub fn menu_bar(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    let has_doc = app.session.is_some();
    let in_folder = app.folder.is_some();
    let undo_text = app.session.as_ref().and_then(Session::undo_text);
    let redo_text = app.session.as_ref().and_then(Session::redo_text);
    let has_span = app
        .session
        .as_ref()
        .is_some_and(|s| s.selected_span.is_some());
    let recent = app.prefs.recent.clone();
    let snap = app.prefs.snap_words;
    egui::Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                actions.extend(item(ui, Command::Open, None, true));
                actions.extend(item(ui, Command::OpenFolder, None, true));
                actions.extend(item(ui, Command::OpenPath, None, true));
                ui.menu_button("Open Recent", |ui| {
                    if recent.is_empty() {
                        ui.weak("No recent files");
                    }
                    for path in &recent {
                        if ui.button(path.display().to_string()).clicked() {
                            actions.push(Action::Open(path.clone()));
                        }
                    }
                });
                ui.separator();
                actions.extend(item(
                    ui,
                    Command::Review(ReviewCommand::Compare),
                    None,
                    true,
                ));
                ui.separator();
                actions.extend(item(ui, Command::Save, None, has_doc));
                actions.extend(item(ui, Command::Export, None, has_doc || in_folder));
                ui.separator();
                actions.extend(item(ui, Command::NextDocument, None, in_folder));
                actions.extend(item(ui, Command::PrevDocument, None, in_folder));
                ui.separator();
                actions.extend(item(ui, Command::Quit, None, true));
            });
            ui.menu_button("Edit", |ui| {
                actions.extend(item(
                    ui,
                    Command::Undo,
                    undo_text.clone(),
                    undo_text.is_some(),
                ));
                actions.extend(item(
                    ui,
                    Command::Redo,
                    redo_text.clone(),
                    redo_text.is_some(),
                ));
                ui.separator();
                actions.extend(item(ui, Command::DeleteSpan, None, has_span));
                actions.extend(item(ui, Command::NextSpan, None, has_doc));
                actions.extend(item(ui, Command::PrevSpan, None, has_doc));
                ui.menu_button("Resize Span", |ui| {
                    for c in [
                        Command::GrowEnd,
                        Command::ShrinkEnd,
                        Command::GrowStart,
                        Command::ShrinkStart,
                    ] {
                        actions.extend(item(ui, c, None, has_span));
                    }
                });
                ui.separator();
                actions.extend(item(ui, Command::Find, None, has_doc));
                actions.extend(item(ui, Command::FindNext, None, has_doc));
                actions.extend(item(ui, Command::LabelAllMatches, None, has_doc));
                ui.separator();
                actions.extend(item(ui, Command::EditLabels, None, has_doc));
                actions.extend(item(ui, Command::Preferences, None, true));
            });
            ui.menu_button("View", |ui| {
                let mut snap_on = snap;
                if ui
                    .checkbox(&mut snap_on, Command::ToggleSnap.text())
                    .on_hover_text(Command::ToggleSnap.tooltip())
                    .changed()
                {
                    actions.push(Action::Command(Command::ToggleSnap));
                }
                ui.checkbox(&mut app.prefs.show_span_list, "Span List");
                ui.checkbox(&mut app.prefs.show_details, "Span Details");
                ui.separator();
                actions.extend(item(ui, Command::ZoomIn, None, true));
                actions.extend(item(ui, Command::ZoomOut, None, true));
                actions.extend(item(ui, Command::ZoomReset, None, true));
                actions.extend(item(ui, Command::ToggleTheme, None, true));
                ui.separator();
                let mode = app.review.mode();
                for (c, on) in [
                    (ReviewCommand::ToggleReview, mode == Mode::Review),
                    (ReviewCommand::Adjudicate, mode == Mode::Adjudicate),
                ] {
                    let text = format!("{}{}", if on { "✔ " } else { "" }, c.text());
                    actions.extend(item(ui, Command::Review(c), Some(text), has_doc));
                }
                let comparing = mode == Mode::Compare;
                actions.extend(item(
                    ui,
                    Command::Review(ReviewCommand::ShowAgreement),
                    None,
                    comparing,
                ));
                actions.extend(item(
                    ui,
                    Command::Review(ReviewCommand::CloseComparison),
                    None,
                    comparing,
                ));
            });
            ui.menu_button("Help", |ui| {
                actions.extend(item(ui, Command::ShowHelp, None, true));
            });
        });
    });
    actions
}

pub fn left_panel(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::left("labels_panel")
        .resizable(true)
        .default_size(230.0)
        .min_size(170.0)
        .show(ui, |ui| {
            actions.extend(if app.review.mode() == super::review::Mode::Compare {
                super::review::compare_ui::list_ui(ui, app)
            } else {
                palette::ui(ui, app)
            });
            if app.folder.is_some() {
                ui.separator();
                actions.extend(documents::ui(ui, app));
            }
        });
    actions
}

pub fn right_panel(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    if !(app.prefs.show_span_list || app.prefs.show_details) || app.session.is_none() {
        return actions;
    }
    egui::Panel::right("spans_panel")
        .resizable(true)
        .default_size(330.0)
        .min_size(240.0)
        .show(ui, |ui| {
            if app.prefs.show_details {
                egui::Panel::bottom("details_panel")
                    .resizable(true)
                    .min_size(ui.available_height() * 0.45)
                    .show(ui, |ui| actions.extend(details::ui(ui, app)));
            }
            if app.prefs.show_span_list {
                actions.extend(span_list::ui(ui, app));
            }
        });
    actions
}

/// The banner above the article for what the user must know (a changed article, unknown labels).
pub fn banner(ui: &mut Ui, session: &Session) {
    for warning in &session.warnings {
        egui::Frame::new()
            .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {warning}"));
            });
    }
}
