//! The windows of a comparison: the one that gathers the files to compare, the one that writes
//! the gold file (or shows the progress of adjudicating a large article), and the agreement.

use std::path::PathBuf;

use egui::{Context, Key, RichText};

use crate::app::action::Action;
use crate::app::jobs::progress_ui;
use crate::app::state::{AppState, Window};

/// What the compare window keeps: the paths typed (one per line) and what it has acted on.
#[derive(Debug, Default)]
pub struct PickerWindow {
    text: String,
    focus_seen: u64,
    picked_seen: u64,
}

/// The window that gathers the files to compare.
pub fn picker_ui(ctx: &Context, state: &AppState, w: &mut PickerWindow) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(picker) = &state.windows.picker else {
        w.text.clear();
        return actions;
    };
    if let Some((n, paths)) = &picker.picked
        && *n != w.picked_seen
    {
        w.picked_seen = *n;
        for p in paths {
            if !w.text.is_empty() && !w.text.ends_with('\n') {
                w.text.push('\n');
            }
            w.text.push_str(&p.display().to_string());
        }
    }
    let mut open = true;
    let mut compare = false;
    egui::Window::new("Compare annotators")
        .open(&mut open)
        .default_pos([320.0, 110.0])
        .collapsible(false)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label("Two or more annotators' annotation files of the same article (.spanmark.json), or folders of them, one per line:");
            if picker.unavailable {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "No file dialog is available on this system; type the paths instead.",
                );
            }
            let caption = ui.label("Files to compare");
            let r = ui
                .add(
                    egui::TextEdit::multiline(&mut w.text)
                        .desired_rows(4)
                        .desired_width(f32::INFINITY)
                        .hint_text("rita/news.txt.spanmark.json\nomar/news.txt.spanmark.json"),
                )
                .labelled_by(caption.id);
            if w.focus_seen != state.requests.picker_focus {
                w.focus_seen = state.requests.picker_focus;
                r.request_focus();
            }
            if r.has_focus() && ui.input(|i| i.modifiers.command && i.key_pressed(Key::Enter)) {
                compare = true;
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        state.jobs.compare_files.is_none(),
                        egui::Button::new("Browse…"),
                    )
                    .on_hover_text("Choose the files in a file dialog")
                    .clicked()
                {
                    actions.push(Action::BrowseCompareFiles);
                }
                if ui
                    .button(RichText::new("Compare").strong())
                    .on_hover_text("Compare the files (Ctrl+Enter)")
                    .clicked()
                {
                    compare = true;
                }
            });
            if let Some(e) = &picker.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        });
    if !open {
        actions.push(Action::Close(Window::ComparePicker));
    } else if compare {
        let paths: Vec<PathBuf> = w
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect();
        actions.push(Action::Compare(paths));
    }
    actions
}

/// What the gold window keeps: the path as typed, for the path the app proposed.
#[derive(Debug, Default)]
pub struct GoldWindow {
    path: String,
    proposed: Option<PathBuf>,
    focus_seen: u64,
}

/// The window that writes the gold file, or shows the progress of adjudicating a large
/// article with a Cancel button.
pub fn gold_ui(ctx: &Context, state: &AppState, w: &mut GoldWindow) -> Vec<Action> {
    let mut actions = Vec::new();
    if let Some(g) = &state.jobs.gold {
        let mut open = true;
        let mut cancel = false;
        egui::Window::new("Adjudicate")
            .open(&mut open)
            .default_pos([320.0, 110.0])
            .collapsible(false)
            .default_width(560.0)
            .show(ctx, |ui| {
                ui.heading(format!("{}…", g.job.what));
                ui.label(format!(
                    "The gold file is written when this is done: {}",
                    g.path.display()
                ));
                ui.add_space(4.0);
                cancel = progress_ui(ui, &g.job.progress, g.job.started);
            });
        if cancel || !open {
            actions.push(Action::CancelGold);
        }
        return actions;
    }
    let Some(proposed) = &state.windows.gold else {
        w.proposed = None;
        return actions;
    };
    if w.proposed.as_ref() != Some(proposed) {
        w.proposed = Some(proposed.clone());
        w.path = proposed.display().to_string();
    }
    let mut open = true;
    let mut write = false;
    let exists = PathBuf::from(w.path.trim()).exists();
    egui::Window::new("Adjudicate")
        .open(&mut open)
        .default_pos([320.0, 110.0])
        .collapsible(false)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label("The gold file: spans every annotator agrees on are accepted, every other span is pending and marked as a conflict. You are the adjudicator.");
            let caption = ui.label("Gold file");
            let r = ui
                .add(egui::TextEdit::singleline(&mut w.path).desired_width(f32::INFINITY))
                .labelled_by(caption.id);
            if w.focus_seen != state.requests.gold_focus {
                w.focus_seen = state.requests.gold_focus;
                r.request_focus();
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                write = true;
            }
            if exists {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "A gold file is already there: it is opened as it is (nothing is overwritten).",
                );
            }
            let text = if exists {
                "Open it and adjudicate"
            } else {
                "Write it and adjudicate"
            };
            if ui.button(RichText::new(text).strong()).clicked() {
                write = true;
            }
        });
    if write && !w.path.trim().is_empty() {
        actions.push(Action::WriteGold(PathBuf::from(w.path.trim())));
    } else if !open {
        actions.push(Action::Close(Window::Gold));
    }
    actions
}

/// The agreement window: the agreement, or the progress of measuring it with a Cancel button.
/// Cancelling (or closing the window) while it is measured stops the work and leaves the
/// comparison as it was. `pair` is the pair of annotators shown (the window's own choice).
pub fn agreement_ui(ctx: &Context, state: &AppState, pair: &mut usize) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(c) = state.compare.as_ref().filter(|_| state.windows.agreement) else {
        return actions;
    };
    let mut open = true;
    let mut cancel = false;
    // While it is measured, a small window of its own (the results' window is tall).
    let measuring = c.agreement.is_none();
    egui::Window::new("Agreement")
        .id(egui::Id::unique(if measuring {
            "agreement_measuring"
        } else {
            "agreement"
        }))
        .open(&mut open)
        .default_pos([250.0, 70.0])
        .default_width(560.0)
        .default_height(if measuring { 120.0 } else { 660.0 })
        .vscroll(!measuring)
        .show(ctx, |ui| match (&c.agreement, &state.jobs.agreement) {
            (Some(agreement), _) => super::agreement::agreement_ui(ui, agreement, pair),
            (None, Some(job)) => {
                ui.heading(format!("{}…", job.what));
                ui.label(format!(
                    "Over every article of the {} compared files.",
                    c.comparison.docs.len()
                ));
                ui.add_space(4.0);
                cancel = progress_ui(ui, &job.progress, job.started);
            }
            (None, None) => {
                ui.label("The agreement is not measured.");
            }
        });
    if !open || cancel {
        actions.push(Action::Close(Window::Agreement));
    }
    actions
}
