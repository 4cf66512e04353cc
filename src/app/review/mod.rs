//! Review, comparison, agreement and adjudication in the workbench.
//!
//! The app is always in one [`Mode`]:
//!
//! - **Annotate**: the workbench as it is.
//! - **Review** ([`mode`]): a reviewer decides the spans of a document one by one (`a`, `r`,
//!   `e`, `c`, Tab), with filters, a progress bar and the document's status.
//! - **Adjudicate** ([`adjudicate`]): the conflicts of a gold file, each resolved with one key.
//! - **Compare** ([`compare`], [`compare_ui`]): several annotators' files of one article as one
//!   merged, read-only document, the differences to step through, the agreement window
//!   ([`agreement`]), and the way to the gold file.
//!
//! The commands are [`ReviewCommand`]s ([`keys`]); their keys fire only in the modes they
//! belong to. Everything that changes a document goes through `Session` edits, so it is undoable
//! and recorded in the file's history under the reviewer's (or adjudicator's) name.
//!
//! The app calls in here at a few places: [`ui`] each frame (toolbar and windows),
//! `review_filter` before applying an action (Tab means "next pending span" in review mode,
//! "next conflict" in adjudication, "next difference" in a comparison, where edits are
//! refused), `review_command` for the commands, and `review_installed` when a document opens.

pub mod adjudicate;
pub mod agreement;
pub mod compare;
pub mod compare_ui;
pub mod keys;
pub mod mode;
pub mod picker;

use std::path::PathBuf;

use egui::Ui;

pub use keys::ReviewCommand;

use self::adjudicate::Conflicts;
use self::compare::Comparison;
use self::compare_ui::{GoldDraft, GoldJob, Picker, Stash};
use self::mode::{Filters, Tally};
use super::commands::Command;
use super::session::Session;
use super::{Action, SpanmarkApp};
use crate::model::{SpanId, Status, Timestamp};

/// What the app is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Annotate,
    Review,
    Adjudicate,
    Compare,
}

impl Mode {
    pub const ALL: [Mode; 4] = [
        Mode::Annotate,
        Mode::Review,
        Mode::Adjudicate,
        Mode::Compare,
    ];
}

/// How the app starts besides opening a file (the CLI's `review` and `compare`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// Review the file given at start-up (adjudication when it has unresolved conflicts).
    Review,
    /// Compare these annotation files.
    Compare(Vec<PathBuf>),
}

/// Cache key: which session is shown, and its generation.
type Key = (u64, u64);

/// The state of review, comparison and adjudication.
#[derive(Default)]
pub struct Review {
    pub mode: Mode,
    pub filters: Filters,
    /// The comment being written (review mode).
    pub comment: Option<mode::Draft>,
    /// The span accepted with `e` and being edited.
    pub editing: Option<SpanId>,
    /// The conflict last gone to (adjudication).
    pub conflict: Option<usize>,
    pub comparison: Option<Comparison>,
    /// The user's document while a comparison is shown.
    pub stash: Option<Stash>,
    pub picker: Option<Picker>,
    pub gold: Option<GoldDraft>,
    /// The gold file being made on a worker thread.
    pub gold_job: Option<GoldJob>,
    pub agreement_open: bool,
    pub agreement_pair: usize,
    /// Bumped whenever another session is shown (caches are keyed on it and the generation).
    shown: u64,
    tally: Option<(Key, Tally)>,
    conflicts: Option<(Key, Conflicts)>,
}

impl Review {
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Another session is shown: forget what belonged to the last one.
    fn swapped(&mut self) {
        self.shown += 1;
        self.comment = None;
        self.editing = None;
        self.conflict = None;
    }

    fn key(&self, s: &Session) -> Key {
        (self.shown, s.generation)
    }

    /// The counts of `s` (kept until it changes).
    pub fn tally(&mut self, s: &Session) -> &Tally {
        let key = self.key(s);
        if self.tally.as_ref().is_none_or(|(k, _)| *k != key) {
            self.tally = Some((key, Tally::of(s)));
        }
        &self.tally.get_or_insert_with(|| (key, Tally::default())).1
    }

    /// The conflicts of `s` (kept until it changes).
    pub fn conflicts(&mut self, s: &Session) -> &Conflicts {
        let key = self.key(s);
        if self.conflicts.as_ref().is_none_or(|(k, _)| *k != key) {
            self.conflicts = Some((key, Conflicts::of(&s.doc)));
        }
        &self
            .conflicts
            .get_or_insert_with(|| (key, Conflicts::default()))
            .1
    }
}

/// The toolbar of the mode (below the menu bar) and the review windows.
pub fn ui(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let ctx = ui.ctx().clone();
    compare_ui::picker_ui(&ctx, app);
    compare_ui::gold_ui(&ctx, app);
    compare_ui::agreement_window_ui(&ctx, app);
    let mut actions = Vec::new();
    if app.review.mode == Mode::Annotate || app.session.is_none() {
        return actions;
    }
    egui::Panel::top("review_toolbar").show(ui, |ui| {
        ui.add_space(2.0);
        actions.extend(match app.review.mode {
            Mode::Review => mode::toolbar_ui(ui, app),
            Mode::Adjudicate => adjudicate::toolbar_ui(ui, app),
            Mode::Compare => compare_ui::toolbar_ui(ui, app),
            Mode::Annotate => Vec::new(),
        });
        ui.add_space(2.0);
    });
    actions
}

/// Whether `action` would change the document (refused in a comparison).
fn edits(action: &Action) -> bool {
    match action {
        Action::Relabel(..)
        | Action::SetStatus(..)
        | Action::SetNote(..)
        | Action::SetAttr(..)
        | Action::SetSchema(..)
        | Action::RecoverWork => true,
        Action::Command(c) => matches!(
            c,
            Command::Label(_)
                | Command::DeleteSpan
                | Command::GrowEnd
                | Command::ShrinkEnd
                | Command::GrowStart
                | Command::ShrinkStart
                | Command::Undo
                | Command::Redo
                | Command::LabelAllMatches
                | Command::Save
                | Command::EditLabels
        ),
        _ => false,
    }
}

impl SpanmarkApp {
    pub(super) fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// Starts as the command line asked.
    pub fn launch(&mut self, launch: Launch) {
        match launch {
            Launch::Review => {
                let conflicts = self.session.as_ref().map(|s| {
                    let c = Conflicts::of(&s.doc);
                    c.next_unresolved(&s.doc, None, true).is_some()
                });
                self.set_mode(if conflicts == Some(true) {
                    Mode::Adjudicate
                } else {
                    Mode::Review
                });
            }
            Launch::Compare(paths) => self.start_comparison(&paths),
        }
    }

    /// Switches to `mode` (a comparison is entered with files, see `start_comparison`).
    pub fn set_mode(&mut self, mode: Mode) {
        if self.review.mode == Mode::Compare && mode != Mode::Compare {
            self.close_comparison();
        }
        if mode == Mode::Compare {
            if self.review.comparison.is_none() {
                self.open_compare_window();
            }
            return;
        }
        self.review.mode = mode;
        self.review.comment = None;
        self.review.editing = None;
        match mode {
            Mode::Review => self.review_start(),
            Mode::Adjudicate => self.adjudicate_start(),
            Mode::Annotate => self.say_notice("Annotation mode"),
            Mode::Compare => {}
        }
    }

    /// Applies a review command.
    pub(super) fn review_command(&mut self, command: ReviewCommand) {
        let mode = self.review.mode;
        let wrong_mode = |app: &mut SpanmarkApp, wanted: &str| {
            app.say_notice(&format!("That works in {wanted}"));
        };
        match command {
            ReviewCommand::ToggleReview => self.set_mode(if mode == Mode::Review {
                Mode::Annotate
            } else {
                Mode::Review
            }),
            ReviewCommand::Adjudicate => match (mode, &self.review.comparison) {
                (Mode::Compare, Some(c)) => {
                    self.review.gold = Some(GoldDraft {
                        path: c.default_gold_path().display().to_string(),
                        focus: true,
                    });
                }
                (Mode::Adjudicate, _) => self.set_mode(Mode::Annotate),
                _ => self.set_mode(Mode::Adjudicate),
            },
            ReviewCommand::Compare => self.open_compare_window(),
            ReviewCommand::CloseComparison => self.close_comparison(),
            ReviewCommand::ShowAgreement => {
                if let Some(c) = &mut self.review.comparison {
                    match c.measure_agreement(&self.jobs, &self.ctx) {
                        Ok(()) => self.review.agreement_open = true,
                        Err(e) => self.dialogs.error = Some(e),
                    }
                } else {
                    self.dialogs.error = Some(
                        "Agreement is measured between compared annotators: open File > Compare Annotators… first"
                            .into(),
                    );
                }
            }
            ReviewCommand::Accept
            | ReviewCommand::Reject
            | ReviewCommand::Edit
            | ReviewCommand::Comment
                if mode != Mode::Review =>
            {
                wrong_mode(self, "review mode (Ctrl+Shift+R)")
            }
            ReviewCommand::Accept => self.review_decide(Status::Accepted),
            ReviewCommand::Reject => self.review_decide(Status::Rejected),
            ReviewCommand::Edit => self.review_edit(),
            ReviewCommand::Comment => self.review_comment(),
            ReviewCommand::NextDifference => self.step_difference(true),
            ReviewCommand::PrevDifference => self.step_difference(false),
            ReviewCommand::SelectDifference(i) => self.go_to_difference(i),
            ReviewCommand::Take(_)
            | ReviewCommand::TakeAll
            | ReviewCommand::TakeNone
            | ReviewCommand::TakeEdit
                if mode != Mode::Adjudicate =>
            {
                wrong_mode(self, "adjudication mode (Ctrl+Shift+J)")
            }
            c @ (ReviewCommand::Take(_)
            | ReviewCommand::TakeAll
            | ReviewCommand::TakeNone
            | ReviewCommand::TakeEdit) => self.adjudicate_take(&c),
            ReviewCommand::SetDocumentStatus(s) => self.set_document_status(s),
        }
    }

    /// What an action means in the current mode: Tab steps through what the mode walks, and a
    /// comparison refuses edits. `None`: handled here.
    pub(super) fn review_filter(&mut self, action: Action) -> Option<Action> {
        // Escape while writing a comment cancels the comment (egui takes the focus from the
        // field before the keys are read, so it arrives as Clear Selection).
        if action == Action::Command(Command::ClearSelection)
            && let Some(draft) = self.review.comment.take()
        {
            if let Some(s) = &mut self.session {
                s.select_span(&draft.span);
            }
            self.focus_article();
            return None;
        }
        let step = match &action {
            Action::Command(Command::NextSpan) => Some(true),
            Action::Command(Command::PrevSpan) => Some(false),
            _ => None,
        };
        match (self.review.mode, step) {
            (Mode::Annotate, _) => Some(action),
            (Mode::Review, Some(forward)) => {
                self.review_step(forward);
                None
            }
            (Mode::Adjudicate, Some(forward)) => {
                self.adjudicate_step(forward);
                None
            }
            (Mode::Compare, Some(forward)) => {
                self.step_difference(forward);
                None
            }
            (Mode::Compare, None) if edits(&action) => {
                self.say_notice(
                    "The comparison is read-only: close it (Ctrl+W) to edit your document, or Adjudicate… (Ctrl+Shift+J) to make a gold file",
                );
                None
            }
            _ => Some(action),
        }
    }

    /// A document was opened: a comparison shown over it ends; review and adjudication go on
    /// with the new document.
    pub(super) fn review_installed(&mut self) {
        if self.review.comparison.is_some() {
            self.drop_comparison();
        }
        self.review.swapped();
        match self.review.mode {
            Mode::Review => self.review_start(),
            Mode::Adjudicate => self.adjudicate_start(),
            Mode::Annotate | Mode::Compare => {}
        }
    }
}
