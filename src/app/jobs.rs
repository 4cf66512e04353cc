//! Long work off the UI thread: a [`Job`] runs a closure on a worker thread with a shared
//! [`Progress`], and the window draws its progress bar ([`progress_ui`]) with a Cancel button
//! while it keeps answering keys. The result comes back through a channel and is taken by the
//! part of the app that started the job, which alone changes the app's state: so a cancelled
//! job leaves the state as it was, and a job whose result nobody takes changes nothing.
//!
//! Small work runs at once on the UI thread, as it always did (a progress bar flashing for a
//! few milliseconds helps nobody): [`Jobs::in_background`] decides from an estimate of the work.
//! Dropping a job cancels it, so work whose window was closed stops at its next check.

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use egui::{RichText, Ui};

use crate::progress::{Cancelled, Progress};

/// Work estimated above this many units runs in the background (a unit is about a character
/// of text; a span counts as [`SPAN_WORK`] units).
pub const INLINE_WORK: u64 = 400_000;
/// What one span weighs in a work estimate.
pub const SPAN_WORK: u64 = 100;

/// How the app runs long work.
#[derive(Debug, Clone)]
pub struct Jobs {
    /// Work estimated at or below this runs at once on the UI thread.
    pub inline_up_to: u64,
    /// When set, background work waits at its start until released (or cancelled): tests use
    /// it to look at work while it runs.
    pub hold: Option<Hold>,
}

impl Default for Jobs {
    fn default() -> Self {
        Self {
            inline_up_to: INLINE_WORK,
            hold: None,
        }
    }
}

impl Jobs {
    /// Whether work of this estimate goes to a worker thread.
    pub fn in_background(&self, work: u64) -> bool {
        work > self.inline_up_to
    }

    /// Starts `work` on a worker thread; `what` names it in the window ("Measuring agreement").
    pub fn spawn<T: Send + 'static>(
        &self,
        ctx: &egui::Context,
        what: impl Into<String>,
        work: impl FnOnce(&Progress) -> Result<T, JobError> + Send + 'static,
    ) -> Job<T> {
        let (tx, rx) = channel();
        let wake = ctx.clone();
        let progress = Progress::with_notify(move || wake.request_repaint());
        let worker = progress.clone();
        let hold = self.hold.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let result = match hold {
                Some(hold) if !hold.wait(&worker) => Err(JobError::Cancelled),
                _ => work(&worker),
            };
            // The window may have dropped the job: then nobody listens, and that is fine.
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        Job {
            what: what.into(),
            progress,
            started: Instant::now(),
            rx,
        }
    }
}

/// The estimate of work over texts of `chars` characters holding `spans` spans.
pub fn work(chars: usize, spans: usize) -> u64 {
    chars as u64 + SPAN_WORK * spans as u64
}

/// Why a job gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// The user cancelled; nothing was changed or written.
    Cancelled,
    /// It failed; the message names the file where there is one.
    Failed(String),
}

impl From<Cancelled> for JobError {
    fn from(_: Cancelled) -> Self {
        JobError::Cancelled
    }
}

impl From<String> for JobError {
    fn from(message: String) -> Self {
        JobError::Failed(message)
    }
}

/// Work running on a worker thread.
pub struct Job<T> {
    /// What the work is, as the window's heading says it.
    pub what: String,
    pub progress: Progress,
    pub started: Instant,
    rx: Receiver<Result<T, JobError>>,
}

impl<T> Job<T> {
    /// The result once the worker is done; `None` while it runs.
    pub fn poll(&self) -> Option<Result<T, JobError>> {
        match self.rx.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(JobError::Failed(format!(
                "{} stopped unexpectedly",
                self.what
            )))),
        }
    }

    /// Waits for the result, at most `limit`; a job still running then is reported as failed.
    pub fn wait(&self, limit: Duration) -> Result<T, JobError> {
        match self.rx.recv_timeout(limit) {
            Ok(result) => result,
            Err(_) => Err(JobError::Failed(format!(
                "{} took longer than {} s",
                self.what,
                limit.as_secs()
            ))),
        }
    }

    /// Asks the worker to stop at its next check.
    pub fn cancel(&self) {
        self.progress.cancel();
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        self.progress.cancel();
    }
}

/// A gate background work waits at before it starts (see [`Jobs::hold`]).
#[derive(Debug, Clone, Default)]
pub struct Hold(Arc<(Mutex<bool>, Condvar)>);

impl Hold {
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets held work (and all work started later) run.
    pub fn release(&self) {
        let (open, wake) = &*self.0;
        if let Ok(mut open) = open.lock() {
            *open = true;
        }
        wake.notify_all();
    }

    /// Waits until released (true) or until `progress` is cancelled (false).
    fn wait(&self, progress: &Progress) -> bool {
        let (open, wake) = &*self.0;
        let Ok(mut guard) = open.lock() else {
            return true;
        };
        loop {
            if *guard {
                return true;
            }
            if progress.is_cancelled() {
                return false;
            }
            guard = match wake.wait_timeout(guard, Duration::from_millis(20)) {
                Ok((g, _)) => g,
                Err(_) => return true,
            };
        }
    }
}

/// The progress of a job: its phase, a bar (a spinner while the amount of work is unknown),
/// the time it has taken, and a Cancel button. Returns true when Cancel is clicked.
pub fn progress_ui(ui: &mut Ui, progress: &Progress, started: Instant) -> bool {
    let snapshot = progress.snapshot();
    let elapsed = started.elapsed().as_secs_f64();
    ui.label(if snapshot.phase.is_empty() {
        "Starting…".to_string()
    } else {
        capitalised(&snapshot.phase)
    });
    match snapshot.fraction() {
        Some(fraction) => {
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(ui.available_width().min(420.0))
                    .text(snapshot.amount()),
            );
        }
        // A step with no count (parsing, checking): a spinner, not an invented fraction.
        None => {
            ui.add(egui::Spinner::new());
        }
    }
    // Elapsed time goes on even when the counter does not move. One item a row, so the view
    // lines up under a centred heading as well as in a left-aligned window.
    ui.ctx().request_repaint_after(Duration::from_millis(250));
    ui.weak(format!("{elapsed:.1} s"));
    if snapshot.cancelled {
        ui.add_enabled(false, egui::Button::new("Cancelling…"));
        false
    } else {
        ui.button(RichText::new("Cancel"))
            .on_hover_text("Stop; nothing is changed or written")
            .clicked()
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T>(job: &Job<T>) -> Result<T, JobError> {
        loop {
            if let Some(r) = job.poll() {
                return r;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn a_job_reports_its_result_and_a_held_job_can_be_cancelled() {
        let ctx = egui::Context::default();
        let jobs = Jobs::default();
        let job = jobs.spawn(&ctx, "adding", |p| {
            p.start("adding", 2);
            p.advance(2);
            Ok::<_, JobError>(42)
        });
        assert_eq!(wait(&job), Ok(42));

        let hold = Hold::new();
        let held = Jobs {
            inline_up_to: 0,
            hold: Some(hold.clone()),
        };
        let job = held.spawn(&ctx, "never", |_| Ok::<_, JobError>(1));
        assert!(job.poll().is_none(), "held");
        job.cancel();
        assert_eq!(wait(&job), Err(JobError::Cancelled));
        let job = held.spawn(&ctx, "released", |p| {
            p.check()?;
            Ok::<_, JobError>(2)
        });
        hold.release();
        assert_eq!(wait(&job), Ok(2));
    }

    #[test]
    fn small_work_stays_on_the_ui_thread() {
        let jobs = Jobs::default();
        assert!(!jobs.in_background(work(2_000, 10)));
        assert!(jobs.in_background(work(5_000_000, 0)));
        assert_eq!(capitalised("measuring"), "Measuring");
    }
}
