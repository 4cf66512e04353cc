//! The desktop workbench (egui/eframe). The only module that knows about egui.
//!
//! Each frame the panels draw and return [`Action`]s (a [`Command`] or an operation with its
//! arguments); keys are turned into commands in [`SpanmarkApp::keyboard`]; all of them are
//! applied in one place, [`SpanmarkApp::act`], after drawing.
//!
//! - [`session`]: the open document, selection and undo (no egui).
//! - [`view`]: the virtualized article view.
//! - [`commands`]: every command with its text, tooltip and shortcuts.
//! - [`panels`]: labels palette, span list, details, find bar, documents, status bar.
//! - [`dialogs`]: unsaved changes, open by path, help, labels editor, preferences.
//! - [`export`]: File > Export…; [`jobs`]: long work on a worker thread with a progress bar.
//! - [`review`]: review mode, comparing annotators, agreement, adjudication.

pub mod commands;
pub mod dialogs;
pub mod export;
pub mod files;
pub mod fonts;
pub mod jobs;
pub mod loading;
pub mod panels;
pub mod prefs;
pub mod review;
pub mod safety;
pub mod session;
pub mod view;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::ViewportCommand;

use self::commands::{Command, hotkey_shortcut, matches_exactly};
use self::dialogs::Dialogs;
use self::files::{PendingDialog, PickKind, Picked};
use self::panels::find::FindBar;
use self::prefs::Prefs;
use self::session::{Boundary, Clock, Direction, Session};
use self::view::ArticleView;
use crate::model::{Document, Label, Schema, Source, SpanId, Status, Text, Timestamp};
use crate::store::folder::DocEntry;
use crate::store::open::{Opened, open};

/// The window title's application name and eframe's storage key.
pub const APP_NAME: &str = "Spanmark";

/// Starts the GUI on `file` (an article or a native file), or on the bundled sample.
pub fn run(
    file: Option<PathBuf>,
    annotator: Option<String>,
    autosave_secs: Option<u64>,
    launch: Option<review::Launch>,
) -> eframe::Result {
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
}

/// Something the user asked for, from a panel, a menu or a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Command(Command),
    SelectSpan(SpanId),
    Relabel(SpanId, Label),
    SetStatus(SpanId, Status),
    SetNote(SpanId, Option<String>),
    SetAttr(SpanId, String, Option<String>),
    Open(PathBuf),
    OpenFolder(PathBuf),
    OpenDocument(usize),
    SetSchema(Schema, Vec<(Label, Label)>),
    SetAnnotator(String),
    /// The unsaved-changes prompt's answers.
    SaveThenContinue,
    DiscardThenContinue,
    CancelPending,
    /// The recovery offer's answers.
    RecoverWork,
    DiscardRecovery,
    /// The answer to "the annotation file changed on disk".
    ResolveConflict(safety::ConflictChoice),
}

/// What waits for the unsaved-changes prompt.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    Open(PathBuf),
    OpenDocument(usize),
    OpenFolder(PathBuf),
    Quit,
}

/// A folder being worked through.
pub struct Folder {
    pub root: PathBuf,
    pub docs: Vec<DocEntry>,
    pub current: Option<usize>,
    /// Reads span counts and statuses in the background; `None` when done or cancelled.
    pub reader: Option<crate::store::folder::SummaryReader>,
}

impl Folder {
    /// Takes in the summaries read since the last frame.
    pub fn poll(&mut self) {
        let Some(reader) = &self.reader else {
            return;
        };
        for (i, entry) in reader.take() {
            if let Some(slot) = self.docs.get_mut(i)
                && slot.article == entry.article
                && !slot.read
            {
                *slot = entry;
            }
        }
        if self.docs.iter().all(|d| d.read) {
            self.reader = None;
        }
    }

    /// How many documents have their summary read.
    pub fn read_count(&self) -> usize {
        self.docs.iter().filter(|d| d.read).count()
    }
}

pub struct SpanmarkApp {
    pub session: Option<Session>,
    pub view: Option<ArticleView>,
    pub prefs: Prefs,
    /// `--annotator` for this run; wins over the preference.
    annotator_override: Option<String>,
    pub find: FindBar,
    pub folder: Option<Folder>,
    pub dialogs: Dialogs,
    pending: Option<Pending>,
    dialog: Option<PendingDialog>,
    clock: Clock,
    /// The quit was confirmed: let the window close.
    allow_close: bool,
    title: String,
    data_dir: Option<PathBuf>,
    autosave_every: std::time::Duration,
    last_autosave: f64,
    was_focused: Option<bool>,
    lock: Option<crate::store::guard::EditLock>,
    /// For background work to wake the window up.
    ctx: egui::Context,
    /// Review, comparison and adjudication.
    pub review: review::Review,
    /// A long document being opened in the background.
    pub loading: Option<loading::Loading>,
    /// How long work runs: at once, or on a worker thread with a progress bar.
    pub jobs: jobs::Jobs,
    /// The export window, when open.
    pub export: Option<export::ExportDialog>,
}

impl SpanmarkApp {
    pub fn new(ctx: &egui::Context, prefs: Prefs, startup: Startup, clock: Clock) -> Self {
        fonts::install(ctx);
        let mut app = Self {
            session: None,
            view: None,
            prefs,
            annotator_override: startup.annotator.filter(|a| !a.trim().is_empty()),
            find: FindBar::default(),
            folder: None,
            dialogs: Dialogs::default(),
            pending: None,
            dialog: None,
            clock,
            allow_close: false,
            title: String::new(),
            data_dir: startup.data_dir,
            autosave_every: std::time::Duration::from_secs(
                startup
                    .autosave_secs
                    .unwrap_or(safety::DEFAULT_AUTOSAVE_SECS)
                    .max(1),
            ),
            last_autosave: 0.0,
            was_focused: None,
            lock: None,
            ctx: ctx.clone(),
            review: review::Review::default(),
            loading: None,
            jobs: jobs::Jobs::default(),
            export: None,
        };
        match startup.file {
            Some(path) if path.is_dir() => app.open_folder(&path),
            Some(path) => app.open_document(&path),
            None => app.install(sample(&app.annotator(), app.clock.clone())),
        }
        app
    }

    /// Whose work this is: `--annotator`, else the preference, else the login name.
    pub fn annotator(&self) -> String {
        if let Some(name) = &self.annotator_override {
            return name.clone();
        }
        if !self.prefs.annotator.trim().is_empty() {
            return self.prefs.annotator.trim().to_string();
        }
        crate::store::user::login_name()
    }

    fn install(&mut self, mut session: Session) {
        session.snap_words = self.prefs.snap_words;
        self.view = Some(ArticleView::new(session.doc.text()));
        self.find.reset();
        self.dialogs.span_rows = Default::default();
        self.session = Some(session);
        self.after_install();
        self.review_installed();
    }

    /// Opens `path` now (unsaved changes were dealt with).
    pub fn open_now(&mut self, path: &Path) {
        match open(path, &self.annotator()) {
            Ok(opened) => {
                let remembered = opened
                    .article_path
                    .clone()
                    .unwrap_or_else(|| path.to_path_buf());
                self.prefs.remember(remembered);
                self.install(Session::new(opened, self.clock.clone()));
            }
            Err(e) => self.dialogs.error = Some(e.to_string()),
        }
    }

    /// Opens a folder: its documents are listed at once, their span counts and statuses are
    /// read in the background, and the first document opens.
    pub fn open_folder(&mut self, root: &Path) {
        match crate::store::folder::list_articles(root) {
            Ok(docs) if docs.is_empty() => {
                self.dialogs.error = Some(format!(
                    "no articles (.txt, .md, .html) in the folder: {}",
                    root.display()
                ));
            }
            Ok(docs) => {
                self.prefs.remember_folder(root.to_path_buf());
                let first = docs.first().map(|d| d.article.clone());
                let articles = docs.iter().map(|d| d.article.clone()).collect();
                let wake = self.ctx.clone();
                let reader = crate::store::folder::SummaryReader::start(articles, move || {
                    wake.request_repaint();
                });
                self.folder = Some(Folder {
                    root: root.to_path_buf(),
                    docs,
                    current: None,
                    reader: Some(reader),
                });
                if let Some(first) = first {
                    self.open_document(&first);
                    self.sync_folder_current();
                }
            }
            Err(e) => {
                self.dialogs.error =
                    Some(format!("cannot read the folder: {e}: {}", root.display()));
            }
        }
    }

    fn sync_folder_current(&mut self) {
        let article = self.session.as_ref().and_then(|s| s.article_path.clone());
        if let (Some(folder), Some(article)) = (&mut self.folder, article) {
            folder.current = folder.docs.iter().position(|d| d.article == article);
        }
    }

    /// Runs `pending` now, or asks first when there are unsaved changes.
    fn when_saved(&mut self, pending: Pending) {
        if self.session.as_ref().is_some_and(Session::is_dirty) {
            self.pending = Some(pending);
        } else {
            self.run_pending(pending);
        }
    }

    fn run_pending(&mut self, pending: Pending) {
        match pending {
            Pending::Open(path) => self.open_document(&path),
            Pending::OpenFolder(path) => self.open_folder(&path),
            Pending::OpenDocument(i) => {
                let path = self
                    .folder
                    .as_ref()
                    .and_then(|f| f.docs.get(i))
                    .map(|d| d.article.clone());
                if let Some(path) = path {
                    self.open_document(&path);
                    self.sync_folder_current();
                }
            }
            Pending::Quit => self.allow_close = true,
        }
    }

    /// The question the unsaved-changes prompt is asking, if any.
    pub fn pending(&self) -> Option<&Pending> {
        self.pending.as_ref()
    }

    /// Applies one action.
    pub fn act(&mut self, ctx: &egui::Context, action: Action) {
        let Some(action) = self.review_filter(action) else {
            return;
        };
        let who = self.annotator();
        match action {
            Action::Command(c) => self.command(ctx, c),
            Action::SelectSpan(id) => {
                if let Some(s) = &mut self.session {
                    s.select_span(&id);
                }
                self.focus_article();
            }
            Action::Relabel(id, label) => {
                if let Some(s) = &mut self.session {
                    s.relabel(&id, &label, &who);
                }
            }
            Action::SetStatus(id, status) => {
                if let Some(s) = &mut self.session {
                    s.set_status(&id, status, &who);
                }
            }
            Action::SetNote(id, note) => {
                if let Some(s) = &mut self.session {
                    s.set_note(&id, note, &who);
                }
            }
            Action::SetAttr(id, key, value) => {
                if let Some(s) = &mut self.session {
                    s.set_attr(&id, &key, value, &who);
                }
            }
            Action::Open(path) => {
                if path.is_dir() {
                    self.when_saved(Pending::OpenFolder(path));
                } else {
                    self.when_saved(Pending::Open(path));
                }
            }
            Action::OpenFolder(path) => self.when_saved(Pending::OpenFolder(path)),
            Action::OpenDocument(i) => self.when_saved(Pending::OpenDocument(i)),
            Action::SetSchema(schema, renames) => {
                if let Some(s) = &mut self.session {
                    s.set_schema(schema, &renames, &who);
                }
            }
            Action::SetAnnotator(name) => {
                self.prefs.annotator = name.trim().to_string();
                self.annotator_override = None;
            }
            Action::SaveThenContinue => {
                if let Some(pending) = self.pending.take() {
                    if self.save() {
                        self.run_pending(pending);
                    } else {
                        self.pending = Some(pending);
                    }
                }
            }
            Action::DiscardThenContinue => {
                if let Some(pending) = self.pending.take() {
                    // The changes are given up: so is their recovery file.
                    if let (Some(dir), Some(s)) = (self.recovery_dir(), &self.session) {
                        crate::store::recovery::discard(&dir, &s.native_path);
                    }
                    self.run_pending(pending);
                }
            }
            Action::RecoverWork => self.recover(),
            Action::DiscardRecovery => self.discard_recovery(),
            Action::ResolveConflict(choice) => self.resolve_conflict(choice),
            Action::CancelPending => self.pending = None,
        }
    }

    fn focus_article(&mut self) {
        if let Some(v) = &mut self.view {
            v.wants_focus = true;
        }
    }

    /// Applies one command.
    pub fn command(&mut self, ctx: &egui::Context, command: Command) {
        let who = self.annotator();
        match command {
            Command::Open => self.start_dialog(ctx, PickKind::File),
            Command::OpenFolder => self.start_dialog(ctx, PickKind::Folder),
            Command::OpenPath => self.dialogs.open_path = Some(String::new()),
            Command::Save => {
                self.save();
            }
            Command::Export => self.open_export(),
            Command::Quit => ctx.send_viewport_cmd(ViewportCommand::Close),
            Command::NextDocument | Command::PrevDocument => {
                let forward = command == Command::NextDocument;
                let target = self.folder.as_ref().and_then(|f| {
                    let n = f.docs.len();
                    let current = f.current?;
                    let next = if forward {
                        current + 1
                    } else {
                        current.checked_sub(1)?
                    };
                    (next < n).then_some(next)
                });
                match target {
                    Some(i) => self.when_saved(Pending::OpenDocument(i)),
                    None => self.say(if self.folder.is_some() {
                        "No more documents that way"
                    } else {
                        "Open a folder to step through its documents"
                    }),
                }
            }
            Command::Undo => self.with_session(|s| s.undo(&who)),
            Command::Redo => self.with_session(|s| s.redo(&who)),
            Command::Label(i) => {
                let label = self
                    .session
                    .as_ref()
                    .and_then(|s| s.doc.schema.labels().get(i))
                    .map(|d| d.name.clone());
                if let Some(label) = label {
                    self.with_session(|s| s.apply_label(&label, &who));
                }
                self.focus_article();
            }
            Command::DeleteSpan => self.with_session(|s| s.delete_selected(&who)),
            Command::NextSpan => self.with_session(|s| s.step_span(true)),
            Command::PrevSpan => self.with_session(|s| s.step_span(false)),
            Command::GrowEnd => {
                self.with_session(|s| s.move_boundary(Boundary::End, Direction::Right, &who))
            }
            Command::ShrinkEnd => {
                self.with_session(|s| s.move_boundary(Boundary::End, Direction::Left, &who))
            }
            Command::GrowStart => {
                self.with_session(|s| s.move_boundary(Boundary::Start, Direction::Left, &who))
            }
            Command::ShrinkStart => {
                self.with_session(|s| s.move_boundary(Boundary::Start, Direction::Right, &who))
            }
            Command::ClearSelection => self.with_session(|s| {
                s.selection = None;
                s.selected_span = None;
            }),
            Command::Find => {
                self.find.open = true;
                self.find.focus_query = true;
            }
            Command::FindNext | Command::FindPrev => {
                if let Some(s) = &mut self.session {
                    self.find.step(s, command == Command::FindNext);
                }
                self.focus_article();
            }
            Command::LabelAllMatches => {
                if let Some(s) = &mut self.session {
                    self.find.label_all(s, &who);
                }
                self.focus_article();
            }
            Command::ToggleSnap => {
                self.prefs.snap_words = !self.prefs.snap_words;
                let on = self.prefs.snap_words;
                self.with_session(|s| s.snap_words = on);
                self.say(if on {
                    "Selections snap to whole words"
                } else {
                    "Selections keep character precision"
                });
            }
            Command::ZoomIn => self.prefs.zoom_by(1),
            Command::ZoomOut => self.prefs.zoom_by(-1),
            Command::ZoomReset => self.prefs.zoom = 1.0,
            Command::ToggleTheme => self.prefs.dark = !self.prefs.dark,
            Command::EditLabels => {
                if let Some(s) = &self.session {
                    self.dialogs.labels = Some(dialogs::LabelEditor::new(&s.doc.schema));
                }
            }
            Command::Preferences => self.dialogs.preferences = Some(self.prefs.annotator.clone()),
            Command::ShowHelp => self.dialogs.help = true,
            Command::ExtendLeft
            | Command::ExtendRight
            | Command::ExtendWordLeft
            | Command::ExtendWordRight
            | Command::ExtendUp
            | Command::ExtendDown => {}
            Command::Review(c) => self.review_command(c),
        }
    }

    fn with_session(&mut self, f: impl FnOnce(&mut Session)) {
        if let Some(s) = &mut self.session {
            f(s);
        }
    }

    fn say(&mut self, text: &str) {
        if let Some(s) = &mut self.session {
            s.notice = Some(session::Notice {
                text: text.to_string(),
                is_error: false,
            });
        }
    }

    fn start_dialog(&mut self, ctx: &egui::Context, kind: PickKind) {
        if self.dialog.is_some() {
            return;
        }
        let start_dir = self
            .session
            .as_ref()
            .and_then(|s| s.article_path.as_ref())
            .and_then(|p| p.parent().map(Path::to_path_buf));
        self.dialog = Some(PendingDialog::open(kind, start_dir, ctx));
    }

    fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some(picked) = self.dialog.as_ref().and_then(PendingDialog::poll) else {
            return;
        };
        self.dialog = None;
        match picked {
            Picked::Path(PickKind::File, path) => self.act(ctx, Action::Open(path)),
            Picked::Path(PickKind::Folder, path) => self.act(ctx, Action::OpenFolder(path)),
            Picked::Cancelled => {}
            Picked::Unavailable(_) => {
                self.dialogs.open_path = Some(String::new());
                self.dialogs.dialog_unavailable = true;
            }
        }
    }

    /// The commands the keys of this frame ask for. Bare keys (digits, Delete, Tab, …) do not
    /// fire while the user types in a text field.
    fn keyboard(&self, ctx: &egui::Context) -> Vec<Command> {
        let typing = ctx.text_edit_focused();
        let schema_keys: Vec<(usize, egui::KeyboardShortcut)> = self
            .session
            .as_ref()
            .map(|s| {
                s.doc
                    .schema
                    .labels()
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| d.hotkey.and_then(hotkey_shortcut).map(|k| (i, k)))
                    .collect()
            })
            .unwrap_or_default();
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
                let found = Command::FIXED
                    .iter()
                    .filter(|c| !(c.is_view_key() || (typing && c.is_bare_key())))
                    .filter(|c| c.active_in(self.review.mode()))
                    .find(|c| {
                        c.shortcuts()
                            .iter()
                            .any(|s| matches_exactly(s, *key, *modifiers))
                    })
                    .cloned()
                    .or_else(|| {
                        if typing {
                            return None;
                        }
                        schema_keys
                            .iter()
                            .find(|(_, s)| matches_exactly(s, *key, *modifiers))
                            .map(|(i, _)| Command::Label(*i))
                    });
                match found {
                    Some(c) => {
                        out.push(c);
                        false
                    }
                    None => true,
                }
            });
        });
        // Escape with a find bar open closes it instead.
        if self.find.open && out.contains(&Command::ClearSelection) && typing {
            out.retain(|c| c != &Command::ClearSelection);
        }
        out
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.session {
            Some(s) => format!(
                "{}{} — {APP_NAME}",
                if s.is_dirty() { "● " } else { "" },
                s.doc.source.name
            ),
            None => APP_NAME.to_string(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// The window's title (tests read it).
    pub fn title(&self) -> &str {
        &self.title
    }

    fn handle_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.session.as_ref().is_some_and(Session::is_dirty)
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.pending = Some(Pending::Quit);
        }
        if self.allow_close {
            ctx.send_viewport_cmd(ViewportCommand::Close);
        }
    }

    fn dropped_files(&mut self, ctx: &egui::Context) -> Vec<Action> {
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

    /// Draws one frame and applies what it asked for.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ctx.set_visuals(if self.prefs.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        self.poll_dialog(&ctx);
        self.poll_loading();
        if let Some(folder) = &mut self.folder {
            folder.poll();
        }
        let mut actions: Vec<Action> = self
            .keyboard(&ctx)
            .into_iter()
            .map(Action::Command)
            .collect();
        actions.extend(self.dropped_files(&ctx));

        actions.extend(panels::menu_bar(ui, self));
        actions.extend(panels::status::ui(ui, self));
        if self.find.open {
            actions.extend(panels::find::ui(ui, self));
        }
        actions.extend(review::ui(ui, self));
        actions.extend(panels::left_panel(ui, self));
        actions.extend(panels::right_panel(ui, self));
        let mut cancel_loading = false;
        egui::CentralPanel::default().show(ui, |ui| {
            let font_size = self.prefs.font_size();
            if let Some(loading) = &self.loading {
                cancel_loading = loading::ui(ui, loading);
                return;
            }
            match (&mut self.session, &mut self.view) {
                (Some(session), Some(view)) => {
                    panels::banner(ui, session);
                    view.ui(ui, session, font_size);
                }
                _ => {
                    ui.centered_and_justified(|ui| {
                        ui.label("Open an article with File > Open (Ctrl+O), or drop one here.");
                    });
                }
            }
        });
        if cancel_loading {
            self.cancel_loading();
        }
        actions.extend(export::ui(&ctx, self));
        actions.extend(dialogs::ui(&ctx, self));
        for action in actions {
            self.act(&ctx, action);
        }
        self.autosave(&ctx);
        self.handle_close(&ctx);
        self.update_title(&ctx);
    }
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, prefs::KEY, &self.prefs);
    }
}

/// The bundled sample article, as a new document saved into the current folder.
fn sample(annotator: &str, clock: Clock) -> Session {
    let source = Source {
        name: crate::SAMPLE_NAME.to_string(),
        path: Some(crate::SAMPLE_NAME.to_string()),
        sha256: Some(crate::store::hash::sha256_hex(
            crate::SAMPLE_ARTICLE.as_bytes(),
        )),
        encoding: "UTF-8".to_string(),
        bom: false,
    };
    let doc = Document::new(
        source,
        Text::new(crate::SAMPLE_ARTICLE.to_string()),
        annotator,
        Schema::default(),
    );
    let opened = Opened {
        doc,
        native_path: crate::store::native::path_beside(Path::new(crate::SAMPLE_NAME)),
        article_path: None,
        had_native: false,
        warnings: Vec::new(),
        stamp: None,
    };
    Session::new(opened, clock)
}
