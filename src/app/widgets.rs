//! The window's layout and the widgets' own state. [`Widgets::ui`] draws a frame from the
//! state, each part in its place (menu, status bar, find bar, the mode's toolbar, the side
//! panels, the article, the windows), and collects the actions they return, in that order.

use egui::{Rect, Ui};

use crate::app::action::Action;
use crate::app::commands::{Command, Mode};
use crate::app::dialogs::{self, Dialogs};
use crate::app::export::{self, ExportForm};
use crate::app::panels::details::Buffers;
use crate::app::panels::find::FindBar;
use crate::app::panels::frames::FramesPanel;
use crate::app::panels::span_list::SpanList;
use crate::app::panels::{self, details, documents, find, menu, palette, span_list, status};
use crate::app::review::toolbar::CommentField;
use crate::app::review::windows::{GoldWindow, PickerWindow};
use crate::app::review::{self, compare as compare_ui, windows};
use crate::app::session::Session;
use crate::app::state::AppState;
use crate::app::view::ArticleView;
use crate::model::{CharOffset, SpanId};

/// What the widgets keep between frames.
#[derive(Default)]
pub struct Widgets {
    /// The article view, for the session shown (`AppState::shown`).
    view: Option<(u64, ArticleView)>,
    find: FindBar,
    span_list: SpanList,
    details: Buffers,
    comment: CommentField,
    dialogs: Dialogs,
    export: Option<ExportForm>,
    picker: PickerWindow,
    gold: GoldWindow,
    agreement_pair: usize,
    frames: FramesPanel,
}

impl Widgets {
    /// The article view of the session shown.
    pub fn view(&self) -> Option<&ArticleView> {
        self.view.as_ref().map(|(_, v)| v)
    }

    /// The ids the span list shows, in text order.
    pub fn span_list_rows(&self) -> &[SpanId] {
        self.span_list.rows()
    }

    /// The export window's form, while it is open.
    pub fn export_form(&self) -> Option<&ExportForm> {
        self.export.as_ref()
    }

    /// Where char `offset` was drawn in the last frame (see [`ArticleView::char_rect`]).
    pub fn char_rect(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        offset: CharOffset,
    ) -> Option<Rect> {
        let (_, view) = self.view.as_mut()?;
        view.char_rect(ctx, session, offset)
    }

    /// Draws the window from `state`; returns what the user asked for.
    pub fn ui(&mut self, ui: &mut Ui, state: &AppState) -> Vec<Action> {
        let mut actions = menu::ui(ui, state);
        let word_level = self.view().is_some_and(|v| v.fallback_visible);
        actions.extend(status::ui(ui, state, word_level));
        if let Some(session) = state.session.as_ref().filter(|_| state.find.open) {
            actions.extend(find::ui(
                ui,
                session,
                &state.find,
                state.requests.find_focus,
                &mut self.find,
            ));
        }
        let ctx = ui.ctx().clone();
        actions.extend(windows::picker_ui(&ctx, state, &mut self.picker));
        actions.extend(windows::gold_ui(&ctx, state, &mut self.gold));
        actions.extend(windows::agreement_ui(&ctx, state, &mut self.agreement_pair));
        actions.extend(self.frames_window(&ctx, state));
        actions.extend(guidelines_window(&ctx, state));
        actions.extend(review::toolbar_ui(ui, state, &mut self.comment));
        actions.extend(left_panel(ui, state));
        actions.extend(self.right_panel(ui, state));
        actions.extend(self.article(ui, state));
        actions.extend(export::ui(&ctx, state, &mut self.export));
        actions.extend(dialogs::ui(&ctx, state, &mut self.dialogs));
        actions
    }

    /// The Frames window, while it is open.
    fn frames_window(&mut self, ctx: &egui::Context, state: &AppState) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(session) = state.session.as_ref().filter(|_| state.windows.frames) else {
            return actions;
        };
        let mut open = true;
        egui::Window::new("Frames")
            .open(&mut open)
            .default_pos([260.0, 90.0])
            .default_size([560.0, 420.0])
            .show(ctx, |ui| {
                actions.extend(panels::frames::ui(
                    ui,
                    session,
                    state.shown,
                    &mut self.frames,
                ));
            });
        if !open {
            actions.push(Action::Close(crate::app::state::Window::Frames));
        }
        actions
    }

    /// The span list and the selected span's details, as the preferences ask.
    fn right_panel(&mut self, ui: &mut Ui, state: &AppState) -> Vec<Action> {
        let mut actions = Vec::new();
        let prefs = &state.prefs;
        let Some(session) = &state.session else {
            return actions;
        };
        if !(prefs.show_span_list || prefs.show_details) {
            return actions;
        }
        egui::Panel::right("spans_panel")
            .resizable(true)
            .default_size(330.0)
            .min_size(240.0)
            .show(ui, |ui| {
                if prefs.show_details {
                    egui::Panel::bottom("details_panel")
                        .resizable(true)
                        .min_size(ui.available_height() * 0.45)
                        .show(ui, |ui| {
                            actions.extend(details::ui(ui, session, state.shown, &mut self.details))
                        });
                }
                if prefs.show_span_list {
                    actions.extend(span_list::ui(
                        ui,
                        session,
                        state.shown,
                        &state.span_filters,
                        &mut self.span_list,
                    ));
                }
            });
        actions
    }

    /// The article (or the progress of opening one, or an invitation to open one).
    fn article(&mut self, ui: &mut Ui, state: &AppState) -> Vec<Action> {
        let mut actions = Vec::new();
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(loading) = &state.jobs.loading {
                actions.extend(crate::app::loading::ui(ui, loading));
                return;
            }
            let Some(session) = &state.session else {
                self.view = None;
                ui.centered_and_justified(|ui| {
                    ui.label(format!(
                        "Open an article with File > Open ({}), or drop one here.",
                        Command::Open.key_text()
                    ));
                });
                return;
            };
            if self
                .view
                .as_ref()
                .is_none_or(|(shown, _)| *shown != state.shown)
            {
                self.view = Some((state.shown, ArticleView::new(session.doc().text())));
            }
            panels::banner(ui, session);
            if let Some((_, view)) = &mut self.view {
                actions.extend(view.ui(
                    ui,
                    session,
                    state.prefs.font_size(),
                    state.requests.article_focus,
                ));
            }
        });
        actions
    }
}

/// The labels palette (or, in a comparison, the differences) and the folder's documents.
fn left_panel(ui: &mut Ui, state: &AppState) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::left("labels_panel")
        .resizable(true)
        .default_size(230.0)
        .min_size(170.0)
        .show(ui, |ui| {
            actions.extend(if state.mode == Mode::Compare {
                compare_ui::list_ui(ui, state)
            } else {
                palette::ui(ui, state)
            });
            if let Some(folder) = &state.folder {
                ui.separator();
                actions.extend(documents::ui(ui, folder));
            }
        });
    actions
}

/// The Guidelines window (F2), while it is open.
fn guidelines_window(ctx: &egui::Context, state: &AppState) -> Vec<Action> {
    let mut actions = Vec::new();
    if !state.windows.guidelines {
        return actions;
    }
    let title = match &state.project {
        Some(p) => format!("Guidelines — {}", p.name),
        None => "Guidelines".to_string(),
    };
    let mut open = true;
    egui::Window::new(title)
        .open(&mut open)
        .default_pos([300.0, 60.0])
        .default_size([620.0, 720.0])
        .show(ctx, |ui| panels::guidelines::ui(ui, state.project.as_ref()));
    if !open {
        actions.push(Action::Close(crate::app::state::Window::Guidelines));
    }
    actions
}
