//! The comparison on screen: the window that picks the files, the toolbar (colour key, the
//! difference shown, agreement and adjudication), the list of differences in the left panel,
//! and the window that writes the gold file. Entering a comparison puts the user's own document
//! aside (it must have no unsaved changes) and shows the merged one; closing it brings the
//! document back as it was.

use std::path::{Path, PathBuf};

use egui::{Context, Key, RichText, Ui};

use super::Mode;
use super::compare::{Comparison, annotator_colour, describe};
use super::keys::ReviewCommand;
use super::picker::{FilesDialog, PickedFiles};
use crate::app::commands::Command;
use crate::app::jobs::{Job, JobError, progress_ui, work};
use crate::app::session::{Notice, Session};
use crate::app::view::ArticleView;
use crate::app::view::paint::colour;
use crate::app::{Action, SpanmarkApp};
use crate::model::Document;
use crate::review::adjudicate::{
    Adjudication, adjudicate_documents, adjudicate_documents_with_progress,
};
use crate::store::open::Opened;

/// The window that gathers the files to compare.
#[derive(Default)]
pub struct Picker {
    /// One path per line: annotation files, or folders of them.
    pub text: String,
    pub dialog: Option<FilesDialog>,
    /// The native dialog could not be shown.
    pub unavailable: bool,
    pub error: Option<String>,
    focus: bool,
}

/// The window that writes the gold file of the compared article.
pub struct GoldDraft {
    pub path: String,
    /// Take keyboard focus on the next frame (Enter then writes the file).
    pub focus: bool,
}

/// The gold file of a large article being adjudicated on a worker thread.
pub struct GoldJob {
    /// Where the gold file goes when the work is done.
    pub path: PathBuf,
    pub job: Job<Adjudication>,
}

/// The user's document, put aside while the comparison is shown.
pub struct Stash {
    pub session: Option<Session>,
    pub view: Option<ArticleView>,
    /// The mode to go back to.
    pub mode: Mode,
}

impl SpanmarkApp {
    /// Opens the window that gathers the files to compare.
    pub(super) fn open_compare_window(&mut self) {
        let picker = self.review.picker.get_or_insert_with(Picker::default);
        picker.focus = true;
    }

    /// Compares the annotation files (or folders of them) at `paths`.
    pub fn start_comparison(&mut self, paths: &[PathBuf]) {
        if let Some(s) = &self.session
            && s.is_dirty()
            && self.review.comparison.is_none()
        {
            let message = format!(
                "Save or undo your changes to {} before comparing annotators (Ctrl+S saves).",
                s.doc.source.name
            );
            self.say_in_picker(message);
            return;
        }
        let at = self.now();
        match Comparison::load(paths, &self.annotator(), at) {
            Ok(comparison) => {
                self.review.picker = None;
                if self.review.comparison.is_none() {
                    self.review.stash = Some(Stash {
                        session: self.session.take(),
                        view: self.view.take(),
                        mode: self.review.mode,
                    });
                }
                self.review.mode = Mode::Compare;
                self.review.comparison = Some(comparison);
                self.show_merged();
            }
            Err(e) => self.say_in_picker(e),
        }
    }

    fn say_in_picker(&mut self, message: String) {
        match &mut self.review.picker {
            Some(p) => p.error = Some(message),
            None => self.dialogs.error = Some(message),
        }
    }

    /// Shows the merged document of the comparison's current article.
    fn show_merged(&mut self) {
        let Some(c) = &self.review.comparison else {
            return;
        };
        let doc = c.merged.doc.clone();
        let name = doc.source.name.clone();
        let opened = Opened {
            native_path: PathBuf::from(format!("{name}.comparison")),
            doc,
            article_path: None,
            had_native: false,
            warnings: Vec::new(),
            stamp: None,
        };
        let mut session = Session::new(opened, self.clock.clone());
        session.snap_words = self.prefs.snap_words;
        let n = c.merged.spans_of.len();
        let alone = c.alone.clone();
        let not_shown = c.merged.not_shown;
        self.view = Some(ArticleView::new(session.doc.text()));
        self.session = Some(session);
        self.review.swapped();
        self.find.reset();
        self.dialogs.span_rows = Default::default();
        self.dialogs.details = Default::default();
        let mut text = match n {
            0 => "The annotators agree on every span of this article".to_string(),
            1 => "1 difference: n or Tab goes to it".to_string(),
            n => format!("{n} differences: n / p (or Tab / Shift+Tab) step through them"),
        };
        if !alone.is_empty() {
            text.push_str(&format!(
                "; no other file shares these articles: {}",
                alone.join(", ")
            ));
        }
        if not_shown > 0 {
            text.push_str(&format!(
                "; {not_shown} discontinuous readings overlap another exactly and are listed only"
            ));
        }
        if n > 0 {
            self.go_to_difference(0);
        }
        if let Some(s) = &mut self.session {
            s.notice = Some(Notice {
                text,
                is_error: false,
            });
        }
    }

    /// Leaves the comparison: the user's document comes back as it was, in the mode it was in.
    pub fn close_comparison(&mut self) {
        if self.review.comparison.take().is_none() {
            return;
        }
        self.review.mode = Mode::Annotate;
        self.review.gold = None;
        self.review.gold_job = None;
        self.review.agreement_open = false;
        if let Some(stash) = self.review.stash.take() {
            self.session = stash.session;
            self.view = stash.view;
            self.review.mode = stash.mode;
        }
        self.review.swapped();
        self.find.reset();
        self.dialogs.span_rows = Default::default();
        self.dialogs.details = Default::default();
        self.focus_article();
    }

    /// The comparison ends because another document was opened over it.
    pub(super) fn drop_comparison(&mut self) {
        self.review.comparison = None;
        self.review.stash = None;
        self.review.gold = None;
        self.review.gold_job = None;
        self.review.agreement_open = false;
        if self.review.mode == Mode::Compare {
            self.review.mode = Mode::Annotate;
        }
    }

    /// Selects difference `i` and brings it into view.
    pub(super) fn go_to_difference(&mut self, i: usize) {
        let Some(c) = &mut self.review.comparison else {
            return;
        };
        let Some(first) = c.merged.spans_of.get(i).and_then(|s| s.first()).cloned() else {
            return;
        };
        c.current = Some(i);
        if let Some(s) = &mut self.session {
            s.select_span(&first);
        }
        self.focus_article();
    }

    /// The difference being looked at: the one of the selected span, else the last gone to.
    pub fn current_difference(&self) -> Option<usize> {
        let c = self.review.comparison.as_ref()?;
        self.session
            .as_ref()
            .and_then(|s| s.selected_span.as_ref())
            .and_then(|id| c.merged.difference_of.get(id).copied())
            .or(c.current)
    }

    /// n / p (and Tab / Shift+Tab) in a comparison.
    pub(super) fn step_difference(&mut self, forward: bool) {
        let Some(c) = &self.review.comparison else {
            return;
        };
        let n = c.merged.spans_of.len();
        if n == 0 {
            self.say_notice("The annotators agree on every span: there is no difference");
            return;
        }
        let next = match (self.current_difference(), forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            (None, true) => 0,
            (None, false) => n - 1,
        };
        self.go_to_difference(next);
    }

    pub(super) fn say_notice(&mut self, text: &str) {
        if let Some(s) = &mut self.session {
            s.notice = Some(Notice {
                text: text.to_string(),
                is_error: false,
            });
        }
    }

    /// Shows article `i` of the comparison.
    fn compare_article(&mut self, i: usize) {
        let at = self.now();
        let Some(c) = &mut self.review.comparison else {
            return;
        };
        match c.show_article(i, at) {
            Ok(()) => self.show_merged(),
            Err(e) => self.dialogs.error = Some(e),
        }
    }

    /// Writes the gold file of the compared article at `path` (or opens the one already there)
    /// and opens it in adjudication mode, with the user as adjudicator. A large article is
    /// adjudicated on a worker thread ([`GoldJob`]); the file is written only when that is
    /// done, so cancelling writes nothing.
    pub fn write_gold(&mut self, path: PathBuf) {
        let Some(c) = &self.review.comparison else {
            return;
        };
        let inputs: Vec<PathBuf> = c
            .article_paths()
            .iter()
            .filter_map(|p| p.canonicalize().ok())
            .collect();
        if path.canonicalize().is_ok_and(|p| inputs.contains(&p)) {
            self.dialogs.error = Some(format!(
                "that is one of the compared files; choose another path for the gold file: {}",
                path.display()
            ));
            return;
        }
        if path.exists() {
            self.open_gold(&path);
            return;
        }
        let members = c
            .articles
            .get(c.article)
            .map(|a| a.docs.clone())
            .unwrap_or_default();
        let docs = c.article_docs();
        let size = work(
            docs.iter().map(|d| d.text().len_chars()).sum(),
            docs.iter().map(|d| d.set().len()).sum(),
        );
        let (adjudicator, at) = (self.annotator(), self.now());
        if self.jobs.in_background(size) {
            let shared = std::sync::Arc::clone(&c.docs);
            let job = self.jobs.spawn(&self.ctx, "Adjudicating", move |progress| {
                let docs: Vec<&Document> = members.iter().filter_map(|&i| shared.get(i)).collect();
                adjudicate_documents_with_progress(&docs, &adjudicator, at, progress)?
                    .map_err(|e| JobError::Failed(e.to_string()))
            });
            self.review.gold_job = Some(GoldJob { path, job });
            return;
        }
        let adjudicated = adjudicate_documents(&docs, &adjudicator, at).map_err(|e| e.to_string());
        match adjudicated.and_then(|a| save_gold(&a, &path)) {
            Ok(()) => self.open_gold(&path),
            Err(e) => self.dialogs.error = Some(e),
        }
    }

    /// Takes the adjudication when the worker is done: writes the gold file and opens it.
    fn poll_gold_job(&mut self) {
        let Some(result) = self.review.gold_job.as_ref().and_then(|g| g.job.poll()) else {
            return;
        };
        let Some(GoldJob { path, .. }) = self.review.gold_job.take() else {
            return;
        };
        match result.and_then(|a| save_gold(&a, &path).map_err(JobError::Failed)) {
            Ok(()) => self.open_gold(&path),
            // Back to the window as it was, nothing written.
            Err(JobError::Cancelled) => {
                self.review.gold = Some(GoldDraft {
                    path: path.display().to_string(),
                    focus: false,
                });
            }
            Err(JobError::Failed(e)) => self.dialogs.error = Some(e),
        }
    }

    /// Leaves the comparison and opens the gold file at `path` in adjudication mode.
    fn open_gold(&mut self, path: &Path) {
        self.close_comparison();
        self.open_now(path);
        if self.session.as_ref().is_some_and(|s| s.native_path == path) {
            self.set_mode(Mode::Adjudicate);
        }
    }
}

/// Writes `a`'s gold document at `path`, making its folder.
fn save_gold(a: &Adjudication, path: &Path) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the folder: {e}: {}", dir.display()))?;
    }
    crate::store::native::save(&a.gold, path).map_err(|e| e.to_string())
}

/// The comparison toolbar: articles, colour key, the difference shown, and the way out.
pub fn toolbar_ui(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    let current = app.current_difference();
    let Some(c) = &app.review.comparison else {
        return actions;
    };
    let mut article = c.article;
    ui.horizontal_wrapped(|ui| {
        ui.strong("Comparison");
        if c.articles.len() > 1 {
            egui::ComboBox::from_id_salt("compare_article")
                .selected_text(c.articles[c.article].name.clone())
                .show_ui(ui, |ui| {
                    for (i, a) in c.articles.iter().enumerate() {
                        ui.selectable_value(&mut article, i, a.name.as_str());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Article to compare")
                });
        } else {
            ui.label(&c.articles[c.article].name);
        }
        ui.separator();
        for (i, name) in c.merged.annotators.iter().enumerate() {
            ui.label(RichText::new(format!("■ {name} only")).color(annotator_colour(i)));
        }
        ui.label(RichText::new("■ everyone").color(colour(super::compare::AGREED_COLOUR)));
        ui.separator();
        let n = c.merged.spans_of.len();
        ui.label(match current {
            Some(i) => format!(
                "Difference {} of {n}: {}",
                i + 1,
                c.merged.alignment.differences[i].kind.as_str()
            ),
            None if n == 0 => "No differences".to_string(),
            None => format!("{n} differences"),
        });
        super::mode::button(
            ui,
            ReviewCommand::PrevDifference,
            "◀ Previous",
            &mut actions,
        );
        super::mode::button(ui, ReviewCommand::NextDifference, "Next ▶", &mut actions);
        ui.separator();
        super::mode::button(ui, ReviewCommand::ShowAgreement, "Agreement…", &mut actions);
        super::mode::button(ui, ReviewCommand::Adjudicate, "Adjudicate…", &mut actions);
        super::mode::button(ui, ReviewCommand::CloseComparison, "Close", &mut actions);
    });
    if article != c.article {
        app.compare_article(article);
    }
    actions
}

/// The list of differences, in the left panel while comparing.
pub fn list_ui(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    let current = app.current_difference();
    let Some(c) = &app.review.comparison else {
        return actions;
    };
    let diffs = &c.merged.alignment.differences;
    ui.horizontal(|ui| {
        ui.heading("Differences");
        ui.weak(format!("{}", diffs.len()));
    });
    let agreed = c.merged.alignment.agreed.len();
    ui.weak(format!(
        "{agreed} span{} agreed by all of {}",
        if agreed == 1 { "" } else { "s" },
        c.merged.annotators.join(", ")
    ));
    if diffs.is_empty() {
        ui.label("The annotators agree on every span.");
        return actions;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::both()
        .id_salt("differences")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, diffs.len(), |ui, range| {
            for i in range {
                let text = format!("{}. {}", i + 1, describe(&diffs[i], &c.merged.doc));
                let r = ui
                    .add(egui::Button::selectable(current == Some(i), text).truncate())
                    .on_hover_text(describe(&diffs[i], &c.merged.doc));
                if r.clicked() {
                    actions.push(Action::Command(Command::Review(
                        ReviewCommand::SelectDifference(i),
                    )));
                }
            }
        });
    actions
}

/// The window that gathers the files to compare.
pub fn picker_ui(ctx: &Context, app: &mut SpanmarkApp) {
    let start_dir = app
        .session
        .as_ref()
        .and_then(|s| s.native_path.parent().map(|p| p.to_path_buf()));
    let Some(picker) = &mut app.review.picker else {
        return;
    };
    if let Some(answer) = picker.dialog.as_ref().and_then(FilesDialog::poll) {
        picker.dialog = None;
        match answer {
            PickedFiles::Paths(paths) => {
                for p in paths {
                    if !picker.text.is_empty() && !picker.text.ends_with('\n') {
                        picker.text.push('\n');
                    }
                    picker.text.push_str(&p.display().to_string());
                }
            }
            PickedFiles::Cancelled => {}
            PickedFiles::Unavailable => picker.unavailable = true,
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
                    egui::TextEdit::multiline(&mut picker.text)
                        .desired_rows(4)
                        .desired_width(f32::INFINITY)
                        .hint_text("rita/news.txt.spanmark.json\nomar/news.txt.spanmark.json"),
                )
                .labelled_by(caption.id);
            if picker.focus {
                r.request_focus();
                picker.focus = false;
            }
            if r.has_focus() && ui.input(|i| i.modifiers.command && i.key_pressed(Key::Enter)) {
                compare = true;
            }
            ui.horizontal(|ui| {
                let browsing = picker.dialog.is_some();
                if ui
                    .add_enabled(!browsing, egui::Button::new("Browse…"))
                    .on_hover_text("Choose the files in a file dialog")
                    .clicked()
                {
                    picker.dialog = Some(FilesDialog::open(start_dir.clone(), ui.ctx()));
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
        app.review.picker = None;
        return;
    }
    if compare {
        let paths: Vec<PathBuf> = picker
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect();
        app.start_comparison(&paths);
    }
}

/// The window that writes the gold file, or shows the progress of adjudicating a large
/// article with a Cancel button.
pub fn gold_ui(ctx: &Context, app: &mut SpanmarkApp) {
    app.poll_gold_job();
    if let Some(g) = &app.review.gold_job {
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
            g.job.cancel();
        }
        return;
    }
    let Some(draft) = &mut app.review.gold else {
        return;
    };
    let mut open = true;
    let mut write = false;
    let exists = PathBuf::from(draft.path.trim()).exists();
    egui::Window::new("Adjudicate")
        .open(&mut open)
        .default_pos([320.0, 110.0])
        .collapsible(false)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label("The gold file: spans every annotator agrees on are accepted, every other span is pending and marked as a conflict. You are the adjudicator.");
            let caption = ui.label("Gold file");
            let r = ui
                .add(egui::TextEdit::singleline(&mut draft.path).desired_width(f32::INFINITY))
                .labelled_by(caption.id);
            if draft.focus {
                r.request_focus();
                draft.focus = false;
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
    if write && !draft.path.trim().is_empty() {
        let path = PathBuf::from(draft.path.trim());
        app.review.gold = None;
        app.write_gold(path);
    } else if !open {
        app.review.gold = None;
    }
}

/// The agreement window: the agreement, or the progress of measuring it with a Cancel button.
/// Cancelling (or closing the window) while it is measured stops the work and leaves the
/// comparison as it was.
pub fn agreement_window_ui(ctx: &Context, app: &mut SpanmarkApp) {
    let Some(c) = &mut app.review.comparison else {
        app.review.agreement_open = false;
        return;
    };
    match c.poll_measuring() {
        Some(Err(JobError::Failed(e))) => {
            app.review.agreement_open = false;
            app.dialogs.error = Some(e);
        }
        Some(Err(JobError::Cancelled)) => app.review.agreement_open = false,
        Some(Ok(())) | None => {}
    }
    if !app.review.agreement_open {
        c.measuring = None;
        return;
    }
    let mut open = true;
    let mut cancel = false;
    let pair = &mut app.review.agreement_pair;
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
        .show(ctx, |ui| match (&c.agreement, &c.measuring) {
            (Some(agreement), _) => super::agreement::agreement_ui(ui, agreement, pair),
            (None, Some(job)) => {
                ui.heading(format!("{}…", job.what));
                ui.label(format!(
                    "Over every article of the {} compared files.",
                    c.docs.len()
                ));
                ui.add_space(4.0);
                cancel = progress_ui(ui, &job.progress, job.started);
            }
            (None, None) => {
                ui.label("The agreement is not measured.");
            }
        });
    if !open || cancel {
        // Dropping the job cancels it; the agreement stays unmeasured.
        c.measuring = None;
        app.review.agreement_open = false;
    }
}
