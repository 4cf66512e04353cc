//! The one place that changes the workbench's state: every [`Action`] of a frame (keys,
//! clicks, what the article view chose, work that finished in the background) is carried out
//! here, in order. Helpers in `state/` do the work; each takes the parts of state it needs.

use std::path::{Path, PathBuf};

use egui::ViewportCommand;

use super::SpanmarkApp;
use crate::app::action::Action;
use crate::app::commands::{Command, Mode, Modes};
use crate::app::files::{FilesDialog, PendingDialog, PickKind, Picked, PickedFiles};
use crate::app::jobs::JobError;
use crate::app::session::{Boundary, Direction, Focus, Scope, Session};
use crate::app::state::document::SaveStart;
use crate::app::state::jobs::Finished;
use crate::app::state::review::ReviewState;
use crate::app::state::{
    ExportState, Failure, Outcome, Pending, Picker, Window, compare, file_name,
};
use crate::export::{ExportErrorKind, export_corpus};
use crate::model::Status;
use crate::review::save_gold;

impl SpanmarkApp {
    /// Carries out one action.
    pub fn apply(&mut self, action: Action) {
        let who = self.state.annotator();
        let clock = self.clock.clone();
        let st = &mut self.state;
        match action {
            Action::Command(c) => self.command(c),
            Action::CancelDates => {
                // The finder stops at its next chunk; the job stays (the status bar says it is
                // stopping) until the worker has stopped, and whatever it found is dropped.
                if let Some(d) = &st.jobs.dates {
                    d.job.cancel();
                    st.say("Stopping the date finder…");
                }
            }
            Action::AnswerAgent(agent, accept) => {
                if let Some(s) = &mut st.session {
                    s.answer_all(&Scope::Agent(agent), accept, &who);
                }
            }
            Action::SelectSpan(id) => {
                if let Some(s) = &mut st.session {
                    s.select_span(&id);
                }
                st.focus_article();
            }
            Action::SelectRelation(id) => {
                if let Some(s) = &mut st.session {
                    s.select_relation(&id);
                }
                st.focus_article();
            }
            Action::Link(from, to) => {
                if let Some(s) = &mut st.session
                    && s.editable()
                {
                    s.link(&from, &to, None, &who);
                    s.set_focus(Focus::Span(from));
                }
            }
            Action::RetypeRelation(id, kind) => {
                if let Some(s) = &mut st.session {
                    s.select_relation(&id);
                    s.retype_relation(&kind, &who);
                }
            }
            Action::SetRelationStatus(id, status) => {
                if let Some(s) = &mut st.session {
                    s.set_relation_status(&id, status, &who);
                }
            }
            Action::Focus(focus) => {
                if let Some(s) = &mut st.session {
                    s.set_focus(focus);
                }
            }
            Action::ScrollTo(offset) => {
                if let Some(s) = &mut st.session {
                    s.scroll_to(offset);
                }
            }
            Action::Relabel(id, label) => {
                // As a label key on that span: a suggestion is accepted, a person's span proposes
                // its other occurrences.
                let propagate = st.propagates();
                if let Some(s) = &mut st.session {
                    s.label_span(&id, &label, &who, propagate);
                }
            }
            Action::SetStatus(id, status) => {
                if let Some(s) = &mut st.session {
                    s.set_status(&id, status, &who);
                }
            }
            Action::SetNote(id, note) => {
                if let Some(s) = &mut st.session {
                    s.set_note(&id, note, &who);
                }
            }
            Action::SetAttr(id, key, value) => {
                if let Some(s) = &mut st.session {
                    s.set_attr(&id, &key, value, &who);
                }
            }
            Action::AttributeKey(key) => st.attribute_key(key, &who),
            Action::SetProjectSchema(schema) => {
                if let Some(project) = &mut st.project {
                    let mut updated = project.clone();
                    updated.schema = schema;
                    match updated.save() {
                        Ok(()) => {
                            if let Some(s) = &mut st.session {
                                s.say(format!(
                                    "Saved the labels to the project file {}",
                                    updated.path.display()
                                ));
                            }
                            *project = updated;
                        }
                        Err(e) => {
                            st.windows.error =
                                Some(Failure::new("save the project's labels", e.to_string()));
                        }
                    }
                }
            }
            Action::SetSchema(schema, renames) => {
                if let Some(s) = &mut st.session {
                    s.set_schema(schema, &renames, &who);
                }
                st.windows.labels = false;
            }
            Action::Open(path) => {
                let pending = if path.is_dir() {
                    Pending::OpenFolder(path)
                } else {
                    Pending::Open(path)
                };
                self.when_saved(pending);
            }
            Action::OpenFolder(path) => self.when_saved(Pending::OpenFolder(path)),
            Action::OpenDocument(i) => self.when_saved(Pending::OpenDocument(i)),
            Action::StopReadingFolder => {
                if let Some(f) = &mut st.folder {
                    f.reader = None;
                }
            }
            Action::SetAnnotator(name) => {
                st.prefs.annotator = name.trim().to_string();
                st.annotator_override = None;
                st.windows.preferences = false;
            }
            Action::ShowSpanList(on) => st.prefs.show_span_list = on,
            Action::ShowDetails(on) => st.prefs.show_details = on,
            Action::Find(query) => st.find.query = query,
            Action::FindLabel(i) => st.find.label_index = i,
            Action::CloseFind => st.find.open = false,
            Action::FilterSpans(filters) => st.span_filters = filters,
            Action::SetMode(mode) => self.set_mode(mode),
            Action::FilterReview(filters) => st.review.filters = filters,
            Action::SetDocumentStatus(status) => {
                if let Some(s) = &mut st.session {
                    ReviewState::set_document_status(s, status, &who);
                }
            }
            Action::EndComment => {
                if let Some(s) = &mut st.session {
                    st.review.end_comment(s);
                }
                st.focus_article();
            }
            Action::GoToDifference(i) => compare::go_to_difference(st, i),
            Action::CompareArticle(i) => {
                let at = (clock)();
                compare::show_article(st, i, at, clock);
            }
            Action::Compare(paths) => {
                let at = (clock)();
                compare::start(st, &paths, at, clock);
            }
            Action::BrowseCompareFiles => {
                let start_dir = st
                    .session
                    .as_ref()
                    .and_then(|s| s.native_path().parent().map(Path::to_path_buf));
                st.jobs.compare_files = Some(FilesDialog::open(start_dir, &self.ctx));
            }
            Action::WriteGold(path) => self.write_gold(path),
            Action::Close(window) => self.close(window),
            Action::SaveThenContinue => {
                if let Some(pending) = st.pending.take() {
                    match st.save(&self.safety) {
                        SaveStart::Saved => self.run_pending(pending),
                        // It goes on when the file is on disk (or comes back if that fails).
                        SaveStart::Started | SaveStart::Queued => {
                            st.jobs.after_writes = Some(pending);
                        }
                        SaveStart::NotSaved => st.pending = Some(pending),
                    }
                }
            }
            Action::DiscardThenContinue => {
                if let Some(pending) = st.pending.take() {
                    st.discard_changes(&self.safety);
                    self.run_pending(pending);
                }
            }
            Action::CancelPending => st.pending = None,
            Action::RecoverWork => st.recover(),
            Action::DiscardRecovery => st.discard_recovery(&self.safety),
            Action::ResolveConflict(choice) => st.resolve_conflict(choice, &self.safety),
            Action::Export(request) => {
                st.export.outcome = None;
                st.jobs.export = Some(st.jobs.spawn("Exporting", move |progress| {
                    Ok(export_corpus(&request, progress))
                }));
            }
            Action::BrowseExport {
                per_document,
                current,
            } => {
                st.jobs.export_browse = Some(crate::app::files::destination_dialog(
                    per_document,
                    &current,
                    &self.ctx,
                ));
            }
            Action::CancelExport => {
                // The worker stops at its next document and removes what it staged.
                if let Some(job) = &st.jobs.export {
                    job.cancel();
                }
            }
            Action::CancelLoading => st.jobs.loading = None,
            Action::CancelGold => {
                if let Some(g) = &st.jobs.gold {
                    g.job.cancel();
                }
            }
            Action::Finished(finished) => self.finished(*finished),
        }
    }

    /// Carries out one command of the command table (or a label key).
    fn command(&mut self, command: Command) {
        let mode = self.state.mode;
        if !command.modes().contains(mode) {
            self.state.say(format!(
                "{} works in {}",
                command.name(),
                modes_text(command.modes())
            ));
            return;
        }
        let who = self.state.annotator();
        let shown = self.state.shown;
        let st = &mut self.state;
        match command {
            Command::Open => self.start_dialog(PickKind::File),
            Command::OpenFolder => self.start_dialog(PickKind::Folder),
            Command::OpenPath => st.windows.open_path = true,
            Command::Compare => {
                st.windows.picker.get_or_insert_with(Picker::default);
                st.requests.picker_focus += 1;
            }
            Command::Save => {
                st.save(&self.safety);
            }
            Command::Export => st.windows.export = true,
            Command::Quit => self.ctx.send_viewport_cmd(ViewportCommand::Close),
            Command::NextDocument | Command::PrevDocument => {
                match st.neighbour_document(command == Command::NextDocument) {
                    Some(i) => self.when_saved(Pending::OpenDocument(i)),
                    None => st.say(if st.folder.is_some() {
                        "No more documents that way"
                    } else {
                        "Open a folder to step through its documents"
                    }),
                }
            }
            Command::Undo => self.with_session(|s| s.undo(&who)),
            Command::Redo => self.with_session(|s| s.redo(&who)),
            Command::Label(i) => {
                let propagate = st.propagates();
                if let Some(s) = &mut st.session
                    && let Some(label) = s.doc().schema.labels().get(i).map(|d| d.name.clone())
                {
                    s.apply_label(&label, &who, propagate);
                }
                st.focus_article();
            }
            Command::NextSuggestion => self.with_session(|s| s.step_suggestion(true)),
            Command::PrevSuggestion => self.with_session(|s| s.step_suggestion(false)),
            Command::AcceptSuggestion => self.with_session(|s| s.accept_selected(&who)),
            Command::RejectSuggestion => self.with_session(|s| s.reject_selected(&who)),
            Command::AcceptAllInDocument | Command::RejectAllInDocument => {
                let accept = command == Command::AcceptAllInDocument;
                self.with_session(|s| {
                    s.answer_all(&Scope::Document, accept, &who);
                });
            }
            Command::AcceptAllOnScreen | Command::RejectAllOnScreen => {
                let accept = command == Command::AcceptAllOnScreen;
                match self.widgets.view().and_then(|v| v.shown_range) {
                    Some(range) => self.with_session(|s| {
                        s.answer_all(&Scope::Range(range), accept, &who);
                    }),
                    None => st.say("Nothing of the article is on screen"),
                }
            }
            Command::TogglePropagation => {
                st.prefs.propagate = !st.prefs.propagate;
                st.say(if st.prefs.propagate {
                    "Labelling a span now suggests its other occurrences"
                } else {
                    "Labelling a span no longer suggests its other occurrences"
                });
            }
            Command::ToggleDateFinder => {
                st.prefs.find_dates = !st.prefs.find_dates;
                if st.prefs.find_dates {
                    st.find_dates();
                } else {
                    st.say("The date finder is off (the dates it suggested stay until answered)");
                }
            }
            Command::DeleteSpan => self.with_session(|s| s.delete_selected(&who)),
            Command::StartRelation => self.with_session(Session::start_linking),
            Command::NextTarget => self.with_session(|s| s.step_target(true)),
            Command::PrevTarget => self.with_session(|s| s.step_target(false)),
            Command::MakeRelation => self.with_session(|s| s.make_relation(None, &who)),
            Command::CancelRelation => self.with_session(Session::cancel_linking),
            Command::DeleteRelation => self.with_session(|s| s.delete_relation(&who)),
            Command::ReverseRelation => self.with_session(|s| s.reverse_relation(&who)),
            Command::Kind(i) => self.with_session(|s| {
                let Some(kind) = s.doc().schema.relations().get(i).map(|k| k.name.clone()) else {
                    return;
                };
                if s.linking().is_some() {
                    s.make_relation(Some(&kind), &who);
                } else {
                    s.retype_relation(&kind, &who);
                }
            }),
            Command::NextSpan => self.with_session(|s| s.step_span(true)),
            Command::PrevSpan => self.with_session(|s| s.step_span(false)),
            Command::GrowEnd => self.resize(Boundary::End, Direction::Right),
            Command::ShrinkEnd => self.resize(Boundary::End, Direction::Left),
            Command::GrowStart => self.resize(Boundary::Start, Direction::Left),
            Command::ShrinkStart => self.resize(Boundary::Start, Direction::Right),
            Command::ClearSelection => self.with_session(|s| s.set_focus(Focus::Nothing)),
            Command::SetAttribute => st.arm_attribute_key(),
            Command::EditLabels => {
                if let Some(s) = &mut st.session
                    && s.editable()
                {
                    st.windows.labels = true;
                }
            }
            Command::Preferences => st.windows.preferences = true,
            Command::Find => {
                st.find.open = true;
                st.requests.find_focus += 1;
            }
            Command::FindNext | Command::FindPrev => {
                if let Some(s) = &mut st.session {
                    st.find.step(s, shown, command == Command::FindNext);
                }
                st.focus_article();
            }
            Command::LabelAllMatches => {
                if let Some(s) = &mut st.session {
                    st.find.label_all(s, shown, &who);
                }
                st.focus_article();
            }
            Command::ToggleSnap => {
                st.prefs.snap_words = !st.prefs.snap_words;
                let on = st.prefs.snap_words;
                if let Some(s) = &mut st.session {
                    s.set_snap_words(on);
                    s.say(if on {
                        "Selections snap to whole words"
                    } else {
                        "Selections keep character precision"
                    });
                }
            }
            Command::ZoomIn => st.prefs.zoom_by(1),
            Command::ZoomOut => st.prefs.zoom_by(-1),
            Command::ZoomReset => st.prefs.zoom = 1.0,
            Command::ToggleTheme => st.prefs.dark = !st.prefs.dark,
            Command::ShowHelp => st.windows.help = true,
            Command::ShowFrames => st.windows.frames = true,
            Command::ShowGuidelines => st.windows.guidelines = true,
            Command::ToggleReview => self.set_mode(if mode == Mode::Review {
                Mode::Annotate
            } else {
                Mode::Review
            }),
            Command::ToggleAdjudication => self.set_mode(if mode == Mode::Adjudicate {
                Mode::Annotate
            } else {
                Mode::Adjudicate
            }),
            Command::Accept
            | Command::Reject
            | Command::AcceptAndEdit
            | Command::Comment
            | Command::CancelComment
            | Command::NextReviewSpan
            | Command::PrevReviewSpan
            | Command::TakeA
            | Command::TakeB
            | Command::TakeC
            | Command::TakeD
            | Command::TakeAll
            | Command::TakeNone
            | Command::TakeAndEdit
            | Command::NextConflict
            | Command::PrevConflict
            | Command::NextDifference
            | Command::PrevDifference
            | Command::ShowAgreement
            | Command::WriteGold
            | Command::CloseComparison => self.mode_command(command),
            // The article view moves the caret and the selection itself.
            Command::CaretLeft
            | Command::CaretRight
            | Command::CaretWordLeft
            | Command::CaretWordRight
            | Command::CaretUp
            | Command::CaretDown
            | Command::ExtendLeft
            | Command::ExtendRight
            | Command::ExtendWordLeft
            | Command::ExtendWordRight
            | Command::ExtendUp
            | Command::ExtendDown => {}
        }
    }

    /// The commands of review mode, adjudication and a comparison.
    fn mode_command(&mut self, command: Command) {
        let who = self.state.annotator();
        let shown = self.state.shown;
        let st = &mut self.state;
        match command {
            Command::Accept | Command::Reject => {
                let status = if command == Command::Accept {
                    Status::Accepted
                } else {
                    Status::Rejected
                };
                if let Some(s) = &mut st.session {
                    st.review.decide(s, status, &who);
                }
                st.focus_article();
            }
            Command::AcceptAndEdit => {
                if let Some(s) = &mut st.session {
                    st.review.accept_and_edit(s, &who);
                }
                st.focus_article();
            }
            Command::Comment => {
                if let Some(s) = &mut st.session {
                    st.review.comment(s);
                }
            }
            Command::CancelComment => {
                if let Some(s) = &mut st.session {
                    st.review.end_comment(s);
                }
                st.focus_article();
            }
            Command::NextReviewSpan | Command::PrevReviewSpan => {
                if let Some(s) = &mut st.session {
                    st.review.step_review(s, command == Command::NextReviewSpan);
                }
                st.focus_article();
            }
            Command::TakeA
            | Command::TakeB
            | Command::TakeC
            | Command::TakeD
            | Command::TakeAll
            | Command::TakeNone
            | Command::TakeAndEdit => {
                if let Some(s) = &mut st.session {
                    st.review.take(s, shown, command, &who);
                }
                st.focus_article();
            }
            Command::NextConflict | Command::PrevConflict => {
                if let Some(s) = &mut st.session {
                    st.review
                        .step_conflict(s, shown, command == Command::NextConflict);
                }
                st.focus_article();
            }
            Command::NextDifference => compare::step_difference(st, true),
            Command::PrevDifference => compare::step_difference(st, false),
            Command::ShowAgreement => compare::show_agreement(st),
            Command::WriteGold => compare::ask_for_gold(st),
            Command::CloseComparison => compare::close(st),
            _ => {}
        }
    }

    fn with_session(&mut self, f: impl FnOnce(&mut crate::app::session::Session)) {
        if let Some(s) = &mut self.state.session {
            f(s);
        }
    }

    fn resize(&mut self, boundary: Boundary, direction: Direction) {
        let who = self.state.annotator();
        self.with_session(|s| s.move_boundary(boundary, direction, &who));
    }

    /// Switches to `mode` (a comparison is entered with files: File > Compare Annotators…).
    fn set_mode(&mut self, mode: Mode) {
        let st = &mut self.state;
        if st.mode == Mode::Compare && mode != Mode::Compare {
            compare::close(st);
        }
        if mode == Mode::Compare {
            if st.compare.is_none() {
                self.command(Command::Compare);
            }
            return;
        }
        st.mode = mode;
        st.review.commenting = None;
        st.review.editing = None;
        let shown = st.shown;
        if let Some(s) = &mut st.session {
            // Picking a relation's other end is annotation mode's: leaving it cancels.
            s.cancel_linking();
            match mode {
                Mode::Review => st.review.start_review(s),
                Mode::Adjudicate => st.review.start_adjudication(s, shown),
                Mode::Annotate => s.say("Annotation mode"),
                Mode::Compare => {}
            }
        }
        st.focus_article();
    }

    /// Starts as the command line asked.
    pub fn launch(&mut self, launch: super::Launch) {
        match launch {
            super::Launch::Review => {
                let conflicts =
                    self.state.session.as_ref().is_some_and(|s| {
                        crate::review::Conflicts::of(s.doc()).any_unresolved(s.doc())
                    });
                self.set_mode(if conflicts {
                    Mode::Adjudicate
                } else {
                    Mode::Review
                });
            }
            super::Launch::Compare(paths) => self.apply(Action::Compare(paths)),
        }
        self.state.refresh();
    }

    /// A write landed (or a verdict on the file's history came): the save asked for meanwhile
    /// starts, else what waited for the writes goes on (asking first if there are changes the
    /// writes did not hold).
    fn writes_landed(&mut self) {
        let st = &mut self.state;
        if st.jobs.writing.is_some() || st.jobs.verifying.is_some() {
            return;
        }
        if std::mem::take(&mut st.jobs.save_queued)
            && st.session.as_ref().is_some_and(|s| s.is_dirty())
        {
            match st.save(&self.safety) {
                SaveStart::Started | SaveStart::Queued => return,
                SaveStart::Saved => {}
                SaveStart::NotSaved => {
                    if let Some(pending) = st.jobs.after_writes.take() {
                        st.pending = Some(pending);
                    }
                    return;
                }
            }
        }
        if let Some(pending) = self.state.jobs.after_writes.take() {
            self.when_saved(pending);
        }
    }

    fn when_saved(&mut self, pending: Pending) {
        if self
            .state
            .when_saved(pending, self.clock.clone(), &mut self.safety)
        {
            self.allow_close = true;
        }
    }

    fn run_pending(&mut self, pending: Pending) {
        if self
            .state
            .run_pending(pending, self.clock.clone(), &mut self.safety)
        {
            self.allow_close = true;
        }
    }

    fn start_dialog(&mut self, kind: PickKind) {
        let jobs = &mut self.state.jobs;
        if jobs.open_dialog.is_some() {
            return;
        }
        let start_dir = self
            .state
            .session
            .as_ref()
            .and_then(|s| s.article_path())
            .and_then(|p| p.parent().map(Path::to_path_buf));
        jobs.open_dialog = Some(PendingDialog::open(kind, start_dir, &self.ctx));
    }

    fn close(&mut self, window: Window) {
        let w = &mut self.state.windows;
        match window {
            Window::Error => w.error = None,
            Window::OpenPath => {
                w.open_path = false;
                w.dialog_unavailable = false;
            }
            Window::Help => w.help = false,
            Window::Frames => w.frames = false,
            Window::Guidelines => w.guidelines = false,
            Window::Labels => w.labels = false,
            Window::Preferences => w.preferences = false,
            Window::Export => {
                // Closing the window while it runs cancels the export (dropping the job).
                w.export = false;
                self.state.jobs.export = None;
                self.state.jobs.export_browse = None;
                self.state.export = ExportState::default();
            }
            Window::ComparePicker | Window::Gold | Window::Agreement => {
                compare::close_window(&mut self.state, window)
            }
        }
    }

    /// Writes the gold file of the compared article at `path` (or takes the one there) and
    /// opens it in adjudication mode; a large article is adjudicated in the background first.
    fn write_gold(&mut self, path: PathBuf) {
        let at = (self.clock)();
        if let Some(ready) = compare::write_gold(&mut self.state, path, at) {
            self.open_gold(&ready);
        }
    }

    /// Leaves the comparison and opens the gold file at `path` in adjudication mode.
    fn open_gold(&mut self, path: &Path) {
        compare::close(&mut self.state);
        self.state
            .open_now(path, self.clock.clone(), &mut self.safety);
        if self
            .state
            .session
            .as_ref()
            .is_some_and(|s| s.native_path() == path)
        {
            self.set_mode(Mode::Adjudicate);
        }
    }

    /// Takes in what finished in the background.
    fn finished(&mut self, finished: Finished) {
        let st = &mut self.state;
        match finished {
            Finished::Dates { shown, result } => st.dates_found(shown, result),
            Finished::Saved(result) => {
                st.landed(result.map(Ok), &self.safety);
                self.writes_landed();
            }
            Finished::RecoveryWritten(result) => {
                if let Err(JobError::Failed(e)) = result {
                    st.complain(format!("Autosave failed: {e}"));
                }
                self.writes_landed();
            }
            Finished::Opened { path, result } => match result {
                Ok(opened) => st.opened(&path, opened, self.clock.clone(), &mut self.safety),
                Err(JobError::Failed(message)) => {
                    let what = format!("open {}", file_name(&path));
                    st.windows.error = Some(Failure::new(what, message));
                }
                Err(JobError::Cancelled) => {}
            },
            Finished::Exported(result) => st.export.outcome = Some(outcome(result)),
            Finished::Verified {
                path,
                shown,
                result,
            } => {
                st.verified(&path, shown, result);
                // A save that waited for the verdict goes now.
                self.writes_landed();
            }
            Finished::Agreement(result) => match result {
                Ok(a) => {
                    if let Some(c) = &mut st.compare {
                        c.agreement = Some(a);
                    }
                }
                Err(JobError::Failed(e)) => {
                    st.windows.agreement = false;
                    st.windows.error = Some(Failure::new("measure the agreement", e));
                }
                Err(JobError::Cancelled) => st.windows.agreement = false,
            },
            Finished::Gold { path, result } => {
                match result
                    .and_then(|a| save_gold(&a, &path).map_err(|e| JobError::Failed(e.to_string())))
                {
                    Ok(()) => self.open_gold(&path),
                    // Back to the window as it was, nothing written.
                    Err(JobError::Cancelled) => st.windows.gold = Some(path),
                    Err(JobError::Failed(e)) => {
                        let what = format!("write the gold file {}", file_name(&path));
                        st.windows.error = Some(Failure::new(what, e));
                    }
                }
            }
            Finished::Picked(picked) => match picked {
                Picked::Path(PickKind::File, path) => self.apply(Action::Open(path)),
                Picked::Path(PickKind::Folder, path) => self.apply(Action::OpenFolder(path)),
                Picked::Cancelled => {}
                Picked::Unavailable(_) => {
                    st.windows.open_path = true;
                    st.windows.dialog_unavailable = true;
                }
            },
            Finished::CompareFiles(picked) => {
                if let Some(p) = &mut st.windows.picker {
                    match picked {
                        PickedFiles::Paths(paths) => {
                            let n = p.picked.as_ref().map_or(1, |(n, _)| n + 1);
                            p.picked = Some((n, paths));
                        }
                        PickedFiles::Cancelled => {}
                        PickedFiles::Unavailable => p.unavailable = true,
                    }
                }
            }
            Finished::ExportDestination(answer) => match answer {
                crate::app::files::Answer::Picked(path) => {
                    let n = st.export.destination.as_ref().map_or(1, |(n, _)| n + 1);
                    st.export.destination = Some((n, path));
                }
                crate::app::files::Answer::Cancelled => {}
                crate::app::files::Answer::Unavailable => st.export.dialog_unavailable = true,
            },
            Finished::Summaries(read) => {
                if let Some(f) = &mut st.folder {
                    f.take_summaries(read);
                }
            }
        }
    }
}

/// `review mode`, `review mode or adjudication mode`.
fn modes_text(modes: Modes) -> String {
    modes
        .iter()
        .map(Mode::name)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// What the export job's result means for the window.
fn outcome(result: Result<crate::app::state::jobs::ExportResult, JobError>) -> Outcome {
    match result {
        Ok(Ok(report)) => Outcome::Written(report),
        Ok(Err(e)) if e.is_cancelled() => Outcome::Cancelled,
        Err(JobError::Cancelled) => Outcome::Cancelled,
        Ok(Err(e)) => {
            let loss = match &e.kind {
                ExportErrorKind::Loss { loss, .. } => loss
                    .counts
                    .iter()
                    .map(|(what, n)| (what.to_string(), *n))
                    .collect(),
                _ => Vec::new(),
            };
            Outcome::Refused {
                message: e.to_string(),
                loss,
                problems: e.problems.iter().map(ToString::to_string).collect(),
            }
        }
        Err(JobError::Failed(message)) => Outcome::Refused {
            message,
            loss: Vec::new(),
            problems: Vec::new(),
        },
    }
}
