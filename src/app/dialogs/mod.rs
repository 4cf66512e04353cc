//! Windows over the workbench: the recovery offer, "changed on disk", the unsaved-changes
//! prompt, errors, open by path, keyboard help ([`help`]), the labels editor ([`labels`]) and
//! preferences. None of them opens at start-up unless asked for; each draws from the state and
//! returns actions (its answers, and `Close` when it closes).

pub mod help;
pub mod labels;

use egui::{Context, Key, RichText};

use crate::app::action::Action;
use crate::app::commands::Command;
use crate::app::state::document::ConflictChoice;
use crate::app::state::{AppState, Pending, Window};

/// What the windows keep for themselves: text being typed, the labels editor's rows.
#[derive(Debug, Default)]
pub struct Dialogs {
    pub labels: Option<labels::LabelEditor>,
    /// The annotator's name being edited in preferences.
    preferences: Option<String>,
    open_path: String,
}

pub fn ui(ctx: &Context, state: &AppState, d: &mut Dialogs) -> Vec<Action> {
    let mut actions = Vec::new();
    recovery_offer(ctx, state, &mut actions);
    changed_on_disk(ctx, state, &mut actions);
    unsaved_prompt(ctx, state, &mut actions);
    error(ctx, state, &mut actions);
    open_path(ctx, state, &mut d.open_path, &mut actions);
    help::ui(ctx, state, &mut actions);
    actions.extend(labels::ui(ctx, state, &mut d.labels));
    preferences(ctx, state, &mut d.preferences, &mut actions);
    actions
}

fn document_name(state: &AppState) -> String {
    state
        .session
        .as_ref()
        .map(|s| s.doc().source.name.clone())
        .unwrap_or_default()
}

/// The one dialog that may stand in front of the article at start-up: unsaved work from a run
/// that ended without saving. Enter recovers.
fn recovery_offer(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    let Some(found) = &state.windows.recovery else {
        return;
    };
    let name = document_name(state);
    egui::Modal::new(egui::Id::unique("recovery_offer")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading("Recover unsaved work?");
        ui.label(format!(
            "Spanmark kept unsaved work on {name} from {} ({} span{}). Recover it? It stays unsaved until you save.",
            found.written,
            found.doc.set().len(),
            if found.doc.set().len() == 1 { "" } else { "s" }
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let recover = ui.button(RichText::new("Recover").strong());
            if recover.clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                actions.push(Action::RecoverWork);
            }
            if ui
                .button("Discard")
                .on_hover_text("Delete the unsaved work and keep the saved file")
                .clicked()
            {
                actions.push(Action::DiscardRecovery);
            }
        });
    });
}

fn changed_on_disk(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    if !state.windows.conflict {
        return;
    }
    let path = state
        .session
        .as_ref()
        .map(|s| s.native_path().display().to_string())
        .unwrap_or_default();
    egui::Modal::new(egui::Id::unique("save_conflict")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading("Changed on disk");
        ui.label(format!(
            "The annotation file changed on disk since you opened it (another window, a sync or a git pull?): {path}"
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui
                .button("Keep both")
                .on_hover_text("Leave the file on disk as it is and save your version beside it")
                .clicked()
            {
                actions.push(Action::ResolveConflict(ConflictChoice::KeepBoth));
            }
            if ui
                .button("Overwrite")
                .on_hover_text("Replace the file on disk with your version")
                .clicked()
            {
                actions.push(Action::ResolveConflict(ConflictChoice::Overwrite));
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                actions.push(Action::ResolveConflict(ConflictChoice::Cancel));
            }
        });
    });
}

fn unsaved_prompt(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    let Some(pending) = &state.pending else {
        return;
    };
    let name = document_name(state);
    let then = match pending {
        Pending::Quit => "closing",
        Pending::Open(_) | Pending::OpenFolder(_) => "opening another file",
        Pending::OpenDocument(_) => "switching documents",
    };
    egui::Modal::new(egui::Id::unique("unsaved_prompt")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading("Unsaved changes");
        ui.label(format!("Save your changes to {name} before {then}?"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                actions.push(Action::SaveThenContinue);
            }
            if ui
                .button("Discard")
                .on_hover_text("Lose the changes since the last save")
                .clicked()
            {
                actions.push(Action::DiscardThenContinue);
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                actions.push(Action::CancelPending);
            }
        });
    });
}

fn error(ctx: &Context, state: &AppState, actions: &mut Vec<Action>) {
    let Some(failure) = &state.windows.error else {
        return;
    };
    egui::Modal::new(egui::Id::unique("error_dialog")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(format!("Could not {}", failure.what));
        ui.label(RichText::new(&failure.reason).color(ui.visuals().error_fg_color));
        ui.add_space(8.0);
        if ui.button("OK").clicked()
            || ui.input(|i| i.key_pressed(Key::Enter) || i.key_pressed(Key::Escape))
        {
            actions.push(Action::Close(Window::Error));
        }
    });
}

fn open_path(ctx: &Context, state: &AppState, path: &mut String, actions: &mut Vec<Action>) {
    if !state.windows.open_path {
        path.clear();
        return;
    }
    let mut open = true;
    let mut submit = false;
    egui::Window::new("Open by path")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            if state.windows.dialog_unavailable {
                ui.label("No file dialog is available on this system; type the path instead.");
            }
            ui.label("An article (.txt, .md, .html), an annotation file or a folder:");
            let r = ui.add(
                egui::TextEdit::singleline(path)
                    .desired_width(420.0)
                    .hint_text("/path/to/article.txt"),
            );
            // Focus the empty field once; re-taking it every frame would swallow Enter.
            if path.is_empty() && !r.has_focus() {
                r.request_focus();
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                submit = true;
            }
            if ui.button("Open").clicked() {
                submit = true;
            }
        });
    if submit && !path.trim().is_empty() {
        actions.push(Action::Open(std::path::PathBuf::from(path.trim())));
        open = false;
    }
    if !open {
        actions.push(Action::Close(Window::OpenPath));
    }
}

fn preferences(
    ctx: &Context,
    state: &AppState,
    name: &mut Option<String>,
    actions: &mut Vec<Action>,
) {
    if !state.windows.preferences {
        *name = None;
        return;
    }
    let name = name.get_or_insert_with(|| state.prefs.annotator.clone());
    let mut open = true;
    egui::Window::new("Preferences")
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let caption = ui.label("Your name");
                ui.add(
                    egui::TextEdit::singleline(name).hint_text(crate::store::user::login_name()),
                )
                .labelled_by(caption.id);
            });
            ui.weak("Recorded on every span and change you make. Empty: your login name.");
            if ui.button("Save").clicked() {
                actions.push(Action::SetAnnotator(name.clone()));
            }
            ui.separator();
            // Saved at once, like the same toggles in the Suggestions menu.
            for (command, on) in [
                (Command::TogglePropagation, state.prefs.propagate),
                (Command::ToggleDateFinder, state.prefs.find_dates),
            ] {
                let mut checked = on;
                if ui
                    .checkbox(&mut checked, command.name())
                    .on_hover_text(command.description())
                    .changed()
                {
                    actions.push(Action::Command(command));
                }
            }
        });
    if !open {
        actions.push(Action::Close(Window::Preferences));
    }
}
