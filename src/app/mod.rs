//! The desktop workbench (egui/eframe). The only module that knows about egui.
//!
//! **The road a key press takes**: at the start of a frame the app takes in what finished in
//! the background ([`state::jobs::poll`]) and reads the keys: [`commands::resolve`] turns each
//! press into a [`Command`](commands::Command) of the one command table, by the mode and the
//! focus. Then the widgets draw ([`widgets`]): each gets the [`AppState`](state::AppState) by
//! shared reference plus its own widget state, and returns [`Action`](action::Action)s (the
//! article view returns the selection the pointer made). Last, the app's `apply` carries out
//! the actions in order, the one place that changes state; an edit goes through the
//! [`session`], which records it for undo and in the file's history. Ctrl+S writes the session's
//! document through `store::native`.
//!
//! - [`commands`]: every command with its name, description, keys, modes and focus.
//! - [`action`]: what the widgets and the background work return.
//! - [`state`]: what the workbench knows; [`session`]: the open document, focus and undo.
//! - [`workbench`]: [`SpanmarkApp`] (the frame, and `apply`).
//! - [`widgets`]: the layout; [`view`] (the virtualized article), [`panels`], [`dialogs`],
//!   [`export`] (File > Export…), [`review`] (the modes' toolbars and windows), [`loading`].
//! - [`jobs`], [`files`]: work and native file dialogs on worker threads; [`prefs`], [`fonts`].

pub mod action;
pub mod commands;
pub mod dialogs;
pub mod export;
pub mod files;
pub mod fonts;
pub mod jobs;
pub mod loading;
pub mod memory;
pub mod panels;
pub mod prefs;
pub mod review;
pub mod session;
pub mod state;
pub mod view;
pub mod widgets;
pub mod workbench;

pub use action::Action;
pub use workbench::{APP_NAME, Launch, SpanmarkApp, Startup, run};
