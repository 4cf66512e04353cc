//! The document's life in the workbench: opening (at once, or in the background when it is
//! long), a folder of documents, saving (and the question when the file changed on disk), and
//! not losing work: the edit lock, autosave to a recovery file, the recovery offer.

use std::path::{Path, PathBuf};

use super::jobs::{Loading, Writing};
use super::{AppState, Failure, Folder, Pending, file_name};
use crate::app::commands::{Command, Mode};
use crate::app::jobs::{JobError, work};
use crate::app::session::{Clock, SaveFailure, SaveProblem, Session, Written};
use crate::model::{Document, Schema, Source, Text};
use crate::store::guard::EditLock;
use crate::store::native;
use crate::store::open::{OpenError, Opened, open, open_with_progress};
use crate::store::recovery;

/// Files larger than this (the article or its annotation file) open in the background.
pub const BACKGROUND_BYTES: u64 = 1_000_000;

/// Seconds between autosaves unless set otherwise.
pub const DEFAULT_AUTOSAVE_SECS: u64 = 30;

/// What the user chose when the annotation file changed on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictChoice {
    /// Write this version over the one on disk.
    Overwrite,
    /// Keep the one on disk and save this version beside it.
    KeepBoth,
    Cancel,
}

/// Where recovery files and locks live, the lock held, and when the next autosave is due.
pub struct Safety {
    /// `None` for none (the real app passes the user's data folder, tests a temporary one).
    pub data_dir: Option<PathBuf>,
    pub lock: Option<EditLock>,
    pub autosave_every: std::time::Duration,
    pub last_autosave: f64,
    pub was_focused: Option<bool>,
    /// The window lost focus (or an autosave fell due) while another write ran: the recovery
    /// file is written as soon as it can be.
    pub recovery_owed: bool,
}

impl Safety {
    pub fn new(data_dir: Option<PathBuf>, autosave_secs: Option<u64>) -> Self {
        Self {
            data_dir,
            lock: None,
            autosave_every: std::time::Duration::from_secs(
                autosave_secs.unwrap_or(DEFAULT_AUTOSAVE_SECS).max(1),
            ),
            last_autosave: 0.0,
            was_focused: None,
            recovery_owed: false,
        }
    }

    /// Where recovery files live.
    pub fn recovery_dir(&self) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|d| d.join("recovery"))
    }
}

/// The files behind `path` (the file itself and, for an article, its annotation file when
/// there is one) with their sizes.
pub fn files_on_disk(path: &Path) -> Vec<(PathBuf, u64)> {
    let len = |p: &Path| std::fs::metadata(p).ok().map(|m| m.len());
    let mut files: Vec<(PathBuf, u64)> = len(path)
        .map(|n| (path.to_path_buf(), n))
        .into_iter()
        .collect();
    if !native::is_native_path(path) {
        let beside = native::path_beside(path);
        if let Some(n) = len(&beside) {
            files.push((beside, n));
        }
    }
    files
}

/// The bundled sample article, as a new document saved into the current folder.
pub fn sample(annotator: &str) -> Opened {
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
    Opened::unsaved(doc, native::path_beside(Path::new(crate::SAMPLE_NAME)))
}

impl AppState {
    /// Shows `session` (an opened document, or the merged document of a comparison).
    pub fn show(&mut self, session: Session) {
        self.session = Some(session);
        self.shown += 1;
        self.find.reset();
        self.review.swapped();
        self.focus_article();
    }

    /// Shows an opened document as the user's work: the edit lock, the recovery offer, the
    /// folder's current entry, and the mode's start (a comparison shown over it ends).
    pub fn install(&mut self, mut opened: Opened, clock: Clock, safety: &mut Safety) {
        let project = crate::store::project::for_path(&opened.native_path);
        let had_native = opened.had_native;
        let links = opened.chain.take();
        let mut session = Session::new(opened, clock);
        session.set_snap_words(self.prefs.snap_words);
        self.project = match project {
            Ok(project) => project,
            Err(e) => {
                session.warn(e.to_string());
                None
            }
        };
        if let Some(project) = &self.project {
            if let Some(snap) = project.defaults.snap_words {
                session.set_snap_words(snap);
            }
            session.adopt_project(project, had_native, &self.annotator());
        }
        for clash in crate::app::commands::label_key_clashes(&session.doc().schema) {
            session.warn(format!(
                "{clash}, where the command wins: change the label's key with {} ({})",
                Command::EditLabels.name(),
                Command::EditLabels.key_text()
            ));
        }
        if self.compare.is_some() {
            super::compare::drop_comparison(self);
        }
        self.windows.recovery = None;
        self.show(session);
        // An annotation file that was read had its chain checked as it was read.
        if let Some(links) = links {
            self.verify_shown(links);
        }
        self.after_install(safety);
        // A project's default decides for its documents; the preference elsewhere.
        let project_dates = self.project.as_ref().and_then(|p| p.defaults.date_finder);
        if project_dates.unwrap_or(self.prefs.find_dates) {
            self.find_dates();
        }
        let article = self
            .session
            .as_ref()
            .and_then(|s| s.article_path().map(Path::to_path_buf));
        if let (Some(folder), Some(article)) = (&mut self.folder, article) {
            folder.current = folder.docs.iter().position(|d| d.article == article);
        }
        let shown = self.shown;
        if let Some(s) = &mut self.session {
            match self.mode {
                Mode::Review => self.review.start_review(s),
                Mode::Adjudicate => self.review.start_adjudication(s, shown),
                Mode::Annotate | Mode::Compare => {}
            }
        }
    }

    /// Verifies the file of the document shown on a worker thread: the chain was checked while
    /// the file was read (`links`), and the worker replays the history of a snapshot of the
    /// document, which opening must not wait for. The result comes back as
    /// [`super::jobs::Finished::Verified`].
    fn verify_shown(&mut self, links: native::chain::Verification) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let doc = session.doc().clone();
        let job = self.jobs.spawn("Verifying the history", move |_| {
            let verification = native::chain::verify_loaded(links, &doc);
            drop(doc);
            // The last of opening's work: what reading and checking freed goes back to the
            // system, here rather than on the window's thread (it walks the allocator's heaps).
            crate::app::memory::return_freed_memory();
            Ok(verification)
        });
        self.jobs.verifying = Some(super::jobs::Verifying {
            path: session.native_path().to_path_buf(),
            shown: self.shown,
            job,
        });
    }

    /// Takes in what verifying a shown document's file found, if it is still shown.
    pub fn verified(
        &mut self,
        path: &Path,
        shown: u64,
        result: Result<native::chain::Verification, JobError>,
    ) {
        let who = self.annotator();
        let Some(session) = &mut self.session else {
            return;
        };
        if self.shown != shown || session.native_path() != path {
            return;
        }
        match result {
            Ok(v) => session.verified(&v, &who),
            Err(JobError::Failed(message)) => {
                session.complain(format!("Could not verify the history: {message}"));
            }
            Err(JobError::Cancelled) => {}
        }
    }

    /// After a document is installed: take its edit lock and look for unsaved work.
    fn after_install(&mut self, safety: &mut Safety) {
        let Some(session) = &mut self.session else {
            return;
        };
        safety.lock = None;
        if let Some(locks) = safety.data_dir.as_ref().map(|d| d.join("locks")) {
            let (lock, other) = EditLock::acquire_in(&locks, session.native_path());
            safety.lock = lock;
            if let Some(other) = other {
                session.warn(format!(
                    "this file is also open in another Spanmark window (process {}); before each save Spanmark checks whether it changed on disk: {}",
                    other.pid,
                    session.native_path().display()
                ));
            }
        }
        let Some(dir) = safety.recovery_dir() else {
            return;
        };
        match recovery::find(&dir, session.native_path()) {
            Ok(found) => self.windows.recovery = found,
            Err(e) => {
                self.windows.error = Some(Failure::new(
                    "read the unsaved work found from an earlier run",
                    e.to_string(),
                ));
            }
        }
    }

    /// Opens `path` now (unsaved changes were dealt with).
    pub fn open_now(&mut self, path: &Path, clock: Clock, safety: &mut Safety) {
        match open(path, &self.annotator()) {
            Ok(opened) => self.opened(path, opened, clock, safety),
            Err(e) => {
                let what = format!("open {}", file_name(path));
                self.windows.error = Some(Failure::new(what, e.to_string()));
            }
        }
    }

    /// Takes a document opened (now or in the background) from `path`.
    pub fn opened(&mut self, path: &Path, opened: Opened, clock: Clock, safety: &mut Safety) {
        let remembered = opened
            .article_path
            .clone()
            .unwrap_or_else(|| path.to_path_buf());
        self.prefs.remember(remembered);
        self.install(opened, clock, safety);
    }

    /// Opens `path`: at once when it is small, else in the background.
    pub fn open_document(&mut self, path: &Path, clock: Clock, safety: &mut Safety) {
        let bytes: u64 = files_on_disk(path).iter().map(|(_, n)| n).sum();
        if bytes <= BACKGROUND_BYTES {
            self.open_now(path, clock, safety);
            return;
        }
        let annotator = self.annotator();
        let owned = path.to_path_buf();
        let job = self.jobs.spawn("Opening", move |progress| {
            open_with_progress(&owned, &annotator, progress).map_err(|e| match e {
                OpenError::Cancelled => JobError::Cancelled,
                e => JobError::Failed(e.to_string()),
            })
        });
        self.jobs.loading = Some(Loading {
            path: path.to_path_buf(),
            bytes,
            job,
        });
    }

    /// Opens a folder: its documents are listed at once, their span counts and statuses are
    /// read in the background, and the first document opens.
    pub fn open_folder(&mut self, root: &Path, clock: Clock, safety: &mut Safety) {
        match crate::store::folder::list_articles(root) {
            Ok(docs) if docs.is_empty() => {
                self.windows.error = Some(Failure::new(
                    format!("open the folder {}", file_name(root)),
                    format!(
                        "it holds no articles (.txt, .md, .html): {}",
                        root.display()
                    ),
                ));
            }
            Ok(docs) => {
                self.prefs.remember_folder(root.to_path_buf());
                let first = docs.first().map(|d| d.article.clone());
                let articles = docs.iter().map(|d| d.article.clone()).collect();
                let wake = self.jobs.context();
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
                    self.open_document(&first, clock, safety);
                }
            }
            Err(e) => {
                self.windows.error = Some(Failure::new(
                    format!("open the folder {}", file_name(root)),
                    format!("{e}: {}", root.display()),
                ));
            }
        }
    }

    /// Runs `pending` now, or asks first when there are unsaved changes.
    /// While a file is being written, it waits for that first.
    pub fn when_saved(&mut self, pending: Pending, clock: Clock, safety: &mut Safety) -> bool {
        if self.jobs.writing.is_some() {
            self.jobs.after_writes = Some(pending);
            false
        } else if self.session.as_ref().is_some_and(Session::is_dirty) {
            self.pending = Some(pending);
            false
        } else {
            self.run_pending(pending, clock, safety)
        }
    }

    /// Does what waited for the prompt; `true` when it is quitting.
    pub fn run_pending(&mut self, pending: Pending, clock: Clock, safety: &mut Safety) -> bool {
        match pending {
            Pending::Open(path) => self.open_document(&path, clock, safety),
            Pending::OpenFolder(path) => self.open_folder(&path, clock, safety),
            Pending::OpenDocument(i) => {
                let path = self
                    .folder
                    .as_ref()
                    .and_then(|f| f.docs.get(i))
                    .map(|d| d.article.clone());
                if let Some(path) = path {
                    self.open_document(&path, clock, safety);
                }
            }
            Pending::Quit => return true,
        }
        false
    }

    /// The folder document `forward` (or back) from the current one.
    pub fn neighbour_document(&self, forward: bool) -> Option<usize> {
        let f = self.folder.as_ref()?;
        let current = f.current?;
        let next = if forward {
            current + 1
        } else {
            current.checked_sub(1)?
        };
        (next < f.docs.len()).then_some(next)
    }

    /// Saves (see [`Self::write`]), unless the file changed on disk since it was loaded or last
    /// saved: then the question opens instead.
    pub fn save(&mut self, safety: &Safety) -> SaveStart {
        self.write(safety, true)
    }

    /// Writes the annotation file from a snapshot of the document: at once when it is small,
    /// on a worker thread when it is big, so the window keeps answering (the outcome arrives as
    /// [`Finished::Saved`](super::jobs::Finished) and goes to [`Self::landed`]). A save asked
    /// for while another write runs (or while the file's history is being verified) is queued
    /// behind it. With `check`, a file changed on disk opens the question instead.
    fn write(&mut self, safety: &Safety, check: bool) -> SaveStart {
        let Some(size) = self.session.as_ref().map(|s| {
            let doc = s.doc();
            work(doc.text().len_chars(), doc.set().len())
        }) else {
            return SaveStart::NotSaved;
        };
        let in_background = self.jobs.in_background(size);
        // A save must record a chain break the verifier is about to find: a small file's
        // verdict is a moment away and is waited for; a big one's save waits its turn.
        if !in_background && let Some(v) = self.jobs.verifying.take() {
            let result = v.job.wait(std::time::Duration::from_secs(30));
            self.verified(&v.path, v.shown, result);
        }
        if self.jobs.writing.is_some() || self.jobs.verifying.is_some() {
            self.jobs.save_queued = true;
            return SaveStart::Queued;
        }
        let Some(session) = &mut self.session else {
            return SaveStart::NotSaved;
        };
        let order = match session.save_order(check) {
            Ok(order) => order,
            Err(SaveProblem::ChangedOnDisk) => {
                self.windows.conflict = true;
                return SaveStart::NotSaved;
            }
            Err(_) => return SaveStart::NotSaved,
        };
        if !in_background {
            let written = order.write();
            return if self.landed(Ok(written), safety) {
                SaveStart::Saved
            } else {
                SaveStart::NotSaved
            };
        }
        session.say(format!("Saving {}…", session.native_path().display()));
        let job = self.jobs.spawn("Saving", move |_| {
            order.write().map_err(|SaveFailure(m)| JobError::Failed(m))
        });
        self.jobs.writing = Some(Writing::Save(job));
        SaveStart::Started
    }

    /// Takes in a save's outcome: on success forgets the recovery file and refreshes the
    /// folder's entry; on failure the error dialog names the file. Returns whether it saved.
    pub fn landed(
        &mut self,
        written: Result<Result<Written, SaveFailure>, JobError>,
        safety: &Safety,
    ) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        let written = match written {
            Ok(w) => w,
            Err(JobError::Failed(m)) => Err(SaveFailure(m)),
            Err(JobError::Cancelled) => Err(SaveFailure("the save was stopped".to_string())),
        };
        match session.saved(written) {
            Ok(()) => {
                self.after_save(safety);
                true
            }
            Err(SaveProblem::Failed(message)) => {
                let what = format!("save {}", file_name(session.native_path()));
                self.windows.error = Some(Failure::new(what, message));
                // What waited for the save waits for the user again.
                self.jobs.save_queued = false;
                if let Some(pending) = self.jobs.after_writes.take() {
                    self.pending = Some(pending);
                }
                false
            }
            Err(_) => false,
        }
    }

    fn after_save(&mut self, safety: &Safety) {
        let Some(session) = &self.session else {
            return;
        };
        if let Some(dir) = safety.recovery_dir() {
            recovery::discard(&dir, session.native_path());
        }
        let article = session.article_path().map(Path::to_path_buf);
        if let (Some(folder), Some(article)) = (&mut self.folder, article)
            && let Some(entry) = folder.docs.iter_mut().find(|d| d.article == article)
        {
            *entry = crate::store::folder::entry(article);
        }
    }

    /// Answers the "changed on disk" question.
    pub fn resolve_conflict(&mut self, choice: ConflictChoice, safety: &Safety) {
        self.windows.conflict = false;
        let Some(session) = &mut self.session else {
            return;
        };
        match choice {
            ConflictChoice::Overwrite => {
                self.write(safety, false);
            }
            ConflictChoice::KeepBoth => {
                if let Err(SaveProblem::Failed(m)) = session.save_copy() {
                    let what = format!("save a copy of {}", file_name(session.native_path()));
                    self.windows.error = Some(Failure::new(what, m));
                }
            }
            ConflictChoice::Cancel => {}
        }
    }

    /// The unsaved changes are given up: so is their recovery file.
    pub fn discard_changes(&mut self, safety: &Safety) {
        if let (Some(dir), Some(s)) = (safety.recovery_dir(), &self.session) {
            recovery::discard(&dir, s.native_path());
        }
    }

    /// Takes the recovered work as the current, unsaved state.
    pub fn recover(&mut self) {
        let Some(found) = self.windows.recovery.take() else {
            return;
        };
        let Some(session) = &mut self.session else {
            return;
        };
        let written = found.written;
        if session.take_recovered(found.doc) {
            // Another text: the views start again.
            self.shown += 1;
        }
        if let Some(s) = &mut self.session {
            s.say(format!(
                "Recovered the unsaved work of {written}; save it with {}",
                Command::Save.key_text()
            ));
        }
    }

    /// Drops the recovery file (the user chose Discard).
    pub fn discard_recovery(&mut self, safety: &Safety) {
        self.windows.recovery = None;
        self.discard_changes(safety);
    }

    /// Writes the recovery file when it is due: every `autosave_every` while there are unsaved
    /// changes, and as soon as the window loses focus. `now` is egui's time in seconds. A big
    /// document's is written from a snapshot on a worker thread; while another write runs, the
    /// autosave waits for it.
    pub fn autosave(&mut self, safety: &mut Safety, now: f64, focused: Option<bool>) {
        if safety.was_focused == Some(true) && focused == Some(false) {
            safety.recovery_owed = true;
        }
        safety.was_focused = focused;
        let due = now - safety.last_autosave >= safety.autosave_every.as_secs_f64();
        let Some(session) = &self.session else {
            return;
        };
        if !session.is_dirty() || !(due || safety.recovery_owed) || self.windows.recovery.is_some()
        {
            if due {
                safety.last_autosave = now;
            }
            return;
        }
        if self.jobs.writing.is_some() {
            // Its outcome wakes the window, and the autosave comes then.
            safety.recovery_owed = true;
            return;
        }
        safety.last_autosave = now;
        safety.recovery_owed = false;
        let Some(dir) = safety.recovery_dir() else {
            return;
        };
        let doc = session.doc();
        let at = session.now();
        let native_path = session.native_path().to_path_buf();
        if !self
            .jobs
            .in_background(work(doc.text().len_chars(), doc.set().len()))
        {
            if let Err(e) = recovery::write(&dir, &native_path, doc, at) {
                self.complain(format!("Autosave failed: {e}: {}", dir.display()));
            }
            return;
        }
        let doc = doc.clone();
        let job = self.jobs.spawn("Autosaving", move |_| {
            recovery::write(&dir, &native_path, &doc, at)
                .map_err(|e| JobError::Failed(format!("{e}: {}", dir.display())))
        });
        self.jobs.writing = Some(Writing::Recovery(job));
    }
}

/// What a save did when it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStart {
    /// On disk already (a small document).
    Saved,
    /// Being written on a worker thread.
    Started,
    /// Waiting behind another write.
    Queued,
    /// Not saved: read-only, the file changed on disk (the question is open), or it failed
    /// (the error dialog is open).
    NotSaved,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_behind_an_article_are_it_and_its_annotation_file() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("big.txt");
        std::fs::write(&article, vec![b'a'; 3_000_005]).unwrap();
        assert_eq!(files_on_disk(&article).len(), 1);
        std::fs::write(native::path_beside(&article), b"{}").unwrap();
        let files = files_on_disk(&article);
        assert_eq!(
            files.iter().map(|(_, n)| n).sum::<u64>(),
            3_000_005 + 2,
            "{files:?}"
        );
    }
}
