//! The app: [`SpanmarkApp`] owns the [`AppState`] and the widgets, and runs a frame in a fixed
//! order: take what finished in the background, read the keys, draw (each widget gets the
//! state by shared reference and returns actions), then [`apply`](SpanmarkApp::apply) the
//! actions in one place, in the order they came. Nothing but this module and its `apply`
//! file can reach the state mutably.

mod apply;
pub mod frame_log;

use std::path::PathBuf;
use std::sync::Arc;

use egui::ViewportCommand;

use crate::app::action::Action;
use crate::app::commands::{KeyContext, kind_keys, label_keys, resolve};
use crate::app::fonts;
use crate::app::jobs::Jobs;
use crate::app::prefs::{self, Prefs};
use crate::app::session::Clock;
use crate::app::state::document::{Safety, sample};
use crate::app::state::{AppState, jobs};
use crate::app::widgets::Widgets;
use crate::model::Timestamp;

/// The window title's application name and eframe's storage key.
pub const APP_NAME: &str = "Spanmark";

/// How the app starts besides opening a file (the CLI's `review` and `compare`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// Review the file given at start-up (adjudication when it has unresolved conflicts).
    Review,
    /// Compare these annotation files.
    Compare(Vec<PathBuf>),
}

/// What the app starts with.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    pub file: Option<PathBuf>,
    /// `--annotator NAME`: for this run only.
    pub annotator: Option<String>,
    /// `--autosave-secs N`: seconds between autosaves of unsaved work (default 30).
    pub autosave_secs: Option<u64>,
    /// Where recovery files and edit locks go; `None` for none (the real app passes the user's
    /// data folder, tests a temporary one).
    pub data_dir: Option<PathBuf>,
    /// Where to append a line per frame ([`frame_log`]; the real app takes it from
    /// `SPANMARK_FRAME_LOG`).
    pub frame_log: Option<PathBuf>,
}

/// Starts the GUI on `file` (an article or a native file), or on the bundled sample.
pub fn run(
    file: Option<PathBuf>,
    annotator: Option<String>,
    autosave_secs: Option<u64>,
    launch: Option<Launch>,
) -> eframe::Result {
    super::memory::return_large_blocks();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(APP_NAME)
            .with_app_id("spanmark")
            .with_inner_size([1280.0, 840.0])
            .with_min_inner_size([560.0, 360.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        APP_NAME,
        options,
        Box::new(move |cc| {
            let prefs: Prefs = cc
                .storage
                .and_then(|s| eframe::get_value(s, prefs::KEY))
                .unwrap_or_default();
            let mut app = SpanmarkApp::new(
                &cc.egui_ctx,
                prefs,
                Startup {
                    file,
                    annotator,
                    autosave_secs,
                    data_dir: crate::store::recovery::data_dir(),
                    frame_log: std::env::var_os(frame_log::ENV).map(PathBuf::from),
                },
                Arc::new(Timestamp::now),
            );
            if let Some(launch) = launch {
                app.launch(launch);
            }
            Ok(Box::new(app))
        }),
    )
}

pub struct SpanmarkApp {
    state: AppState,
    safety: Safety,
    widgets: Widgets,
    clock: Clock,
    ctx: egui::Context,
    /// The quit was confirmed: let the window close.
    allow_close: bool,
    title: String,
    frame_log: Option<frame_log::FrameLog>,
}

impl SpanmarkApp {
    pub fn new(ctx: &egui::Context, prefs: Prefs, startup: Startup, clock: Clock) -> Self {
        fonts::install(ctx);
        let annotator = startup.annotator.filter(|a| !a.trim().is_empty());
        let mut state = AppState::new(prefs, annotator);
        state.jobs = jobs::Running::with_context(ctx);
        let mut app = Self {
            state,
            safety: Safety::new(startup.data_dir, startup.autosave_secs),
            widgets: Widgets::default(),
            clock,
            ctx: ctx.clone(),
            allow_close: false,
            title: String::new(),
            frame_log: startup
                .frame_log
                .as_deref()
                .and_then(frame_log::FrameLog::open),
        };
        match startup.file {
            Some(path) if path.is_dir() => app.apply(Action::OpenFolder(path)),
            Some(path) => app.apply(Action::Open(path)),
            None => {
                let opened = sample(&app.state.annotator());
                app.state
                    .install(opened, app.clock.clone(), &mut app.safety);
            }
        }
        app.state.refresh();
        app
    }

    /// What the app knows (tests and benchmarks read it; only `apply` changes it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The widgets' own state (tests read the article view's layout figures).
    pub fn widgets(&self) -> &Widgets {
        &self.widgets
    }

    /// How long work runs: at once, or on a worker thread (tests hold workers at a gate).
    pub fn set_jobs(&mut self, jobs: Jobs) {
        self.state.jobs.config = jobs;
    }

    /// Whether the window may close now (tests read it: a close asked for during a save
    /// waits for the save).
    pub fn closing(&self) -> bool {
        self.allow_close
    }

    /// The window's title (tests read it).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The char rectangle of `offset` in the last frame, if its block was in view (tests
    /// point and drag at text with it).
    pub fn char_rect(&mut self, offset: crate::model::CharOffset) -> Option<egui::Rect> {
        let session = self.state.session.as_ref()?;
        self.widgets.char_rect(&self.ctx, session, offset)
    }

    /// The commands the keys of this frame ask for. Bare keys (digits, Delete, Tab, …) do not
    /// fire while the user types in a text field; nothing fires while a modal question is
    /// asked, and Escape is left to the help window while it is open (it closes it).
    fn keyboard(&self, ctx: &egui::Context) -> Vec<Action> {
        let pressed = ctx.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Key { pressed: true, .. }))
        });
        if !pressed || self.state.modal_open() {
            return Vec::new();
        }
        if self.state.attr_prefix.is_some() {
            // A text field took the keyboard since the prefix key: its keys are its own.
            if ctx.text_edit_focused() {
                return vec![Action::AttributeKey(None)];
            }
            return Self::attribute_key(ctx);
        }
        let escape_closes_window = self.state.windows.help;
        let schema = self.state.session.as_ref().map(|s| &s.doc().schema);
        let labels = schema.map(label_keys).unwrap_or_default();
        let kinds = schema.map(kind_keys).unwrap_or_default();
        let cx = KeyContext {
            mode: self.state.mode,
            focus: self.state.focus_kind(),
            typing: ctx.text_edit_focused(),
            labels: &labels,
            kinds: &kinds,
        };
        let mut out = Vec::new();
        ctx.input_mut(|input| {
            input.events.retain(|event| {
                let egui::Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } = event
                else {
                    return true;
                };
                if escape_closes_window && *key == egui::Key::Escape {
                    return true;
                }
                match resolve(*key, *modifiers, &cx) {
                    Some(c) => {
                        out.push(Action::Command(c));
                        false
                    }
                    None => true,
                }
            });
        });
        out
    }

    /// The first key pressed after the attribute prefix key, taken from egui: a bare letter or
    /// digit is a value's key, any other key cancels.
    fn attribute_key(ctx: &egui::Context) -> Vec<Action> {
        let mut out = Vec::new();
        ctx.input_mut(|input| {
            input.events.retain(|event| match event {
                egui::Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } if out.is_empty() => {
                    let mut name = key.name().chars();
                    let c = match (name.next(), name.next()) {
                        (Some(c), None) if c.is_ascii_alphanumeric() && modifiers.is_none() => {
                            Some(c.to_ascii_lowercase())
                        }
                        _ => None,
                    };
                    out.push(Action::AttributeKey(c));
                    false
                }
                // The letter typed with the key is not text for anyone.
                egui::Event::Text(_) => false,
                _ => true,
            });
        });
        out
    }

    fn dropped_files(ctx: &egui::Context) -> Vec<Action> {
        ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .map(Action::Open)
                .collect()
        })
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.state.session {
            Some(s) => format!(
                "{}{} — {APP_NAME}",
                if s.is_dirty() { "● " } else { "" },
                s.doc().source.name
            ),
            None => APP_NAME.to_string(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn handle_close(&mut self, ctx: &egui::Context) {
        let asked = ctx.input(|i| i.viewport().close_requested()) && !self.allow_close;
        if asked && self.state.jobs.writing.is_some() {
            // A file is being written: the window closes when it is on disk (or asks first
            // if there are changes it did not hold).
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.state.jobs.after_writes = Some(crate::app::state::Pending::Quit);
        } else if asked && self.state.session.as_ref().is_some_and(|s| s.is_dirty()) {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.state.pending = Some(crate::app::state::Pending::Quit);
        }
        if self.allow_close {
            ctx.send_viewport_cmd(ViewportCommand::Close);
        }
    }

    /// Writes the recovery file when due; wakes up for the next one while there is unsaved work.
    fn autosave(&mut self, ctx: &egui::Context) {
        let (now, focused) = ctx.input(|i| (i.time, i.viewport().focused));
        if self.state.session.as_ref().is_some_and(|s| s.is_dirty()) {
            ctx.request_repaint_after(self.safety.autosave_every);
        }
        self.state.autosave(&mut self.safety, now, focused);
    }

    /// Draws one frame and applies what it asked for.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ctx.set_visuals(if self.state.prefs.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        let finished = jobs::poll(&mut self.state);
        let had_results = !finished.is_empty();
        for f in finished {
            self.apply(Action::Finished(Box::new(f)));
        }
        if had_results {
            self.state.refresh();
        }
        let mut actions = self.keyboard(&ctx);
        actions.extend(Self::dropped_files(&ctx));
        actions.extend(self.widgets.ui(ui, &self.state));
        if !actions.is_empty() {
            // What the actions change shows in the next frame.
            ctx.request_repaint();
        }
        for action in actions {
            self.apply(action);
        }
        self.state.refresh();
        self.autosave(&ctx);
        self.handle_close(&ctx);
        self.update_title(&ctx);
    }
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let start = std::time::Instant::now();
        self.frame(ui);
        if let Some(log) = &mut self.frame_log {
            let blocks = self.widgets.view().map_or(0, |v| v.laid_out_last_frame);
            if !log.frame(start.elapsed(), blocks) {
                self.frame_log = None;
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, prefs::KEY, &self.state.prefs);
    }
}
