//! The work running in the background: a document opening, a save or an autosave being
//! written, an export, agreement being measured, a gold file being made, native file dialogs,
//! a folder's counts being read.
//!
//! Only the app's `apply` starts work (with [`Running::spawn`] and the dialog helpers); the
//! app polls all of it in one place at the start of each frame ([`poll`]), and each result
//! comes back as a [`Finished`] that `apply` takes in. So a result changes the state exactly
//! as an action from a key or a click does, and work whose result nobody takes (a closed
//! window) changes nothing: dropping a [`Job`] cancels it.

use std::path::PathBuf;

use super::AppState;
use crate::app::files::{Answer, Pending, PendingDialog, Picked};
use crate::app::files::{FilesDialog, PickedFiles};
use crate::app::jobs::{Job, JobError, Jobs};
use crate::app::session::Written;
use crate::export::{ExportError, ExportReport};
use crate::progress::Progress;
use crate::review::{Adjudication, Agreement};
use crate::store::folder::DocEntry;
use crate::store::native::chain::Verification;
use crate::store::open::Opened;

/// A document being opened on a worker thread.
pub struct Loading {
    pub path: PathBuf,
    pub bytes: u64,
    pub job: Job<Opened>,
}

/// A file being written from a snapshot of the document on a worker thread. One at a time, so
/// an older version can never land over a newer one, and a recovery file never outlives the
/// save that made it stale.
pub enum Writing {
    /// The annotation file (Ctrl+S, Save before opening another document or quitting).
    Save(Job<Written>),
    /// The recovery file (autosave).
    Recovery(Job<()>),
}

/// The file of the document shown being verified (its history chain, text digest, replay).
pub struct Verifying {
    pub path: PathBuf,
    /// Which showing of a document it is for ([`AppState::shown`]).
    pub shown: u64,
    pub job: Job<Verification>,
}

/// What the date finder proposes for a document, and where its document date came from;
/// `None` when it found no date to count from.
pub type DatesFound = Option<(
    Vec<crate::assist::suggest::Proposal>,
    crate::assist::dates::DateSource,
)>;

/// The date finder running on a worker thread for the document shown as `shown`.
pub struct DatesJob {
    pub shown: u64,
    pub job: Job<DatesFound>,
}

/// The gold file of a large article being adjudicated on a worker thread.
pub struct GoldJob {
    /// Where the gold file goes when the work is done.
    pub path: PathBuf,
    pub job: Job<Adjudication>,
}

/// What an export job gives: the report, or why nothing was written.
pub type ExportResult = Result<ExportReport, ExportError>;

/// Work in progress.
#[derive(Default)]
pub struct Running {
    /// How work runs: at once, or on a worker thread.
    pub config: Jobs,
    /// For workers to wake the window up.
    wake: Option<egui::Context>,
    pub loading: Option<Loading>,
    /// The file being written, if any.
    pub writing: Option<Writing>,
    /// A save asked for while another write was running: it starts when that one lands.
    pub save_queued: bool,
    /// What waits for the writes to land (opening another document, quitting).
    pub after_writes: Option<super::Pending>,
    pub verifying: Option<Verifying>,
    pub export: Option<Job<ExportResult>>,
    pub agreement: Option<Job<Agreement>>,
    pub gold: Option<GoldJob>,
    /// The date finder, on a big document.
    pub dates: Option<DatesJob>,
    /// File > Open / Open Folder.
    pub open_dialog: Option<PendingDialog>,
    /// The compare window's Browse….
    pub compare_files: Option<FilesDialog>,
    /// The export window's Browse….
    pub export_browse: Option<Pending<PathBuf>>,
}

impl Running {
    /// Workers wake the window through `ctx`.
    pub fn with_context(ctx: &egui::Context) -> Self {
        Self {
            wake: Some(ctx.clone()),
            ..Self::default()
        }
    }

    /// The context workers wake the window through.
    pub fn context(&self) -> egui::Context {
        self.wake.clone().unwrap_or_default()
    }

    /// Starts `work` on a worker thread (see [`Jobs::spawn`]).
    pub fn spawn<T: Send + 'static>(
        &self,
        what: impl Into<String>,
        work: impl FnOnce(&Progress) -> Result<T, JobError> + Send + 'static,
    ) -> Job<T> {
        self.config.spawn(&self.context(), what, work)
    }

    /// Whether work of this estimate goes to a worker thread.
    pub fn in_background(&self, work: u64) -> bool {
        self.config.in_background(work)
    }
}

/// What finished in the background since the last frame.
pub enum Finished {
    Opened {
        path: PathBuf,
        result: Result<Opened, JobError>,
    },
    /// The annotation file was written (or not).
    Saved(Result<Written, JobError>),
    /// The recovery file was written (or not).
    RecoveryWritten(Result<(), JobError>),
    Exported(Result<ExportResult, JobError>),
    /// The file of a document shown was verified.
    Verified {
        path: PathBuf,
        shown: u64,
        result: Result<Verification, JobError>,
    },
    Agreement(Result<Agreement, JobError>),
    Gold {
        path: PathBuf,
        result: Result<Adjudication, JobError>,
    },
    /// The date finder's proposals for the document shown as `shown`.
    Dates {
        shown: u64,
        result: Result<DatesFound, JobError>,
    },
    /// File > Open / Open Folder answered.
    Picked(Picked),
    /// The compare window's file dialog answered.
    CompareFiles(PickedFiles),
    /// The export window's destination dialog answered.
    ExportDestination(Answer<PathBuf>),
    /// Summaries of a folder's documents were read.
    Summaries(Vec<(usize, DocEntry)>),
}

impl std::fmt::Debug for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self {
            Finished::Opened { .. } => "Opened",
            Finished::Saved(_) => "Saved",
            Finished::RecoveryWritten(_) => "RecoveryWritten",
            Finished::Exported(_) => "Exported",
            Finished::Verified { .. } => "Verified",
            Finished::Agreement(_) => "Agreement",
            Finished::Gold { .. } => "Gold",
            Finished::Dates { .. } => "Dates",
            Finished::Picked(_) => "Picked",
            Finished::CompareFiles(_) => "CompareFiles",
            Finished::ExportDestination(_) => "ExportDestination",
            Finished::Summaries(_) => "Summaries",
        };
        f.write_str(what)
    }
}

/// Takes what finished: each job that has a result leaves the state, its result comes back.
pub fn poll(state: &mut AppState) -> Vec<Finished> {
    let mut out = Vec::new();
    let jobs = &mut state.jobs;
    if let Some(result) = jobs.loading.as_ref().and_then(|l| l.job.poll())
        && let Some(loading) = jobs.loading.take()
    {
        out.push(Finished::Opened {
            path: loading.path,
            result,
        });
    }
    let written = match &jobs.writing {
        Some(Writing::Save(job)) => job.poll().map(Finished::Saved),
        Some(Writing::Recovery(job)) => job.poll().map(Finished::RecoveryWritten),
        None => None,
    };
    if let Some(written) = written {
        jobs.writing = None;
        out.push(written);
    }
    if let Some(result) = jobs.verifying.as_ref().and_then(|v| v.job.poll())
        && let Some(v) = jobs.verifying.take()
    {
        out.push(Finished::Verified {
            path: v.path,
            shown: v.shown,
            result,
        });
    }
    if let Some(result) = jobs.export.as_ref().and_then(Job::poll) {
        jobs.export = None;
        out.push(Finished::Exported(result));
    }
    if let Some(result) = jobs.agreement.as_ref().and_then(Job::poll) {
        jobs.agreement = None;
        out.push(Finished::Agreement(result));
    }
    if let Some(result) = jobs.gold.as_ref().and_then(|g| g.job.poll())
        && let Some(gold) = jobs.gold.take()
    {
        out.push(Finished::Gold {
            path: gold.path,
            result,
        });
    }
    if let Some(result) = jobs.dates.as_ref().and_then(|d| d.job.poll())
        && let Some(d) = jobs.dates.take()
    {
        // Cancelled after its last check: what it found is not taken either.
        let result = if d.job.progress.is_cancelled() {
            Err(JobError::Cancelled)
        } else {
            result
        };
        out.push(Finished::Dates {
            shown: d.shown,
            result,
        });
    }
    if let Some(picked) = jobs.open_dialog.as_ref().and_then(PendingDialog::poll) {
        jobs.open_dialog = None;
        out.push(Finished::Picked(picked));
    }
    if let Some(picked) = jobs.compare_files.as_ref().and_then(FilesDialog::poll) {
        jobs.compare_files = None;
        out.push(Finished::CompareFiles(picked));
    }
    if let Some(answer) = jobs.export_browse.as_ref().and_then(Pending::poll) {
        jobs.export_browse = None;
        out.push(Finished::ExportDestination(answer));
    }
    if let Some(reader) = state.folder.as_ref().and_then(|f| f.reader.as_ref()) {
        let read = reader.take();
        if !read.is_empty() {
            out.push(Finished::Summaries(read));
        }
    }
    out
}
