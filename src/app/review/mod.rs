//! Review, comparison, agreement and adjudication on screen: the toolbar of each mode, the
//! list of differences, and the windows that start a comparison, write a gold file and show
//! agreement. What the modes do lives in `state::review` and `state::compare`; here they are
//! drawn from the state and turned into actions.
//!
//! - [`toolbar`]: review mode's toolbar (progress, filters, decisions, the comment field).
//! - [`adjudicate`]: adjudication's toolbar (the conflict, who proposed each reading, a key each).
//! - [`compare`]: the comparison's toolbar and the differences in the left panel.
//! - [`windows`]: Compare annotators, Adjudicate (the gold file), Agreement.
//! - [`agreement`]: the agreement charts (egui_plot).

pub mod adjudicate;
pub mod agreement;
pub mod compare;
pub mod toolbar;
pub mod windows;

use egui::Ui;

use crate::app::action::Action;
use crate::app::commands::{Command, Mode};
use crate::app::state::AppState;

/// A toolbar button for a command: `label (key)`, with the command's description.
pub fn button(ui: &mut Ui, command: Command, label: &str, actions: &mut Vec<Action>) {
    let key = command.key_text();
    let text = if key.is_empty() {
        label.to_string()
    } else {
        format!("{label} ({key})")
    };
    if ui
        .button(text)
        .on_hover_text(command.description())
        .clicked()
    {
        actions.push(Action::Command(command));
    }
}

/// The toolbar of the mode, below the menu bar (none in annotation mode).
pub fn toolbar_ui(
    ui: &mut Ui,
    state: &AppState,
    comment: &mut toolbar::CommentField,
) -> Vec<Action> {
    let mut actions = Vec::new();
    if state.mode == Mode::Annotate || state.session.is_none() {
        return actions;
    }
    egui::Panel::top("review_toolbar").show(ui, |ui| {
        ui.add_space(2.0);
        actions.extend(match state.mode {
            Mode::Review => toolbar::ui(ui, state, comment),
            Mode::Adjudicate => adjudicate::ui(ui, state),
            Mode::Compare => compare::toolbar_ui(ui, state),
            Mode::Annotate => Vec::new(),
        });
        ui.add_space(2.0);
    });
    actions
}

/// The progress bar: `decided of total decided`.
pub fn progress_ui(ui: &mut Ui, done: usize, total: usize, what: &str) {
    let fraction = if total == 0 {
        1.0
    } else {
        done as f32 / total as f32
    };
    ui.add(
        egui::ProgressBar::new(fraction)
            .desired_width(180.0)
            .text(format!("{done} of {total} {what}")),
    );
}
