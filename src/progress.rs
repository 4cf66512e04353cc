//! Progress and cancellation for long work (opening, exporting, agreement, adjudication), shared
//! between the thread doing the work and whoever shows it: the GUI's progress bar or the CLI's
//! bar on stderr.
//!
//! The worker calls [`Progress::start`] with the amount of work, [`Progress::advance`] as it
//! goes, and checks [`Progress::is_cancelled`] between units, stopping with
//! [`Cancelled`] when asked. The viewer reads [`Progress::snapshot`] whenever it draws and may
//! call [`Progress::cancel`]. Everything is lock-free except the phase text.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The work was cancelled by the user; nothing it would have written was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

/// A shared progress counter with a cancel flag. Cheap to clone (an `Arc`).
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Inner>);

#[derive(Default)]
struct Inner {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
    /// The units are bytes (shown as MB).
    bytes: AtomicBool,
    phase: Mutex<String>,
    /// Called after each change, e.g. to ask the GUI for a repaint.
    notify: Mutex<Option<Box<dyn Fn() + Send + Sync>>>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("done", &self.done)
            .field("total", &self.total)
            .field("cancelled", &self.cancelled)
            .finish_non_exhaustive()
    }
}

/// What a viewer shows: the phase, and how far it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub phase: String,
    pub done: u64,
    /// 0 when the amount of work is not known (show an indeterminate bar).
    pub total: u64,
    pub cancelled: bool,
    /// The units are bytes.
    pub bytes: bool,
}

impl Snapshot {
    /// Done as a fraction of the total, when the total is known.
    pub fn fraction(&self) -> Option<f32> {
        (self.total > 0).then(|| (self.done.min(self.total) as f64 / self.total as f64) as f32)
    }

    /// How far, in words: `3 of 10`, or `19.5 of 53.4 MB` for bytes.
    pub fn amount(&self) -> String {
        if self.bytes {
            let mb = |n: u64| n as f64 / 1e6;
            format!("{:.1} of {:.1} MB", mb(self.done), mb(self.total))
        } else {
            format!("{} of {}", self.done, self.total)
        }
    }
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    /// A progress that calls `notify` after every change (the GUI passes a repaint request).
    pub fn with_notify(notify: impl Fn() + Send + Sync + 'static) -> Self {
        let p = Self::default();
        if let Ok(mut slot) = p.0.notify.lock() {
            *slot = Some(Box::new(notify));
        }
        p
    }

    fn notify(&self) {
        if let Ok(slot) = self.0.notify.lock()
            && let Some(f) = slot.as_ref()
        {
            f();
        }
    }

    /// Begins a phase of `total` units (0 when unknown), with nothing done yet.
    pub fn start(&self, phase: impl Into<String>, total: u64) {
        self.begin(phase.into(), total, false);
    }

    /// [`Progress::start`], counting bytes.
    pub fn start_bytes(&self, phase: impl Into<String>, total: u64) {
        self.begin(phase.into(), total, true);
    }

    fn begin(&self, phase: String, total: u64, bytes: bool) {
        if let Ok(mut p) = self.0.phase.lock() {
            *p = phase;
        }
        self.0.bytes.store(bytes, Ordering::Relaxed);
        self.0.total.store(total, Ordering::Relaxed);
        self.0.done.store(0, Ordering::Relaxed);
        self.notify();
    }

    /// `n` more units done.
    pub fn advance(&self, n: u64) {
        self.0.done.fetch_add(n, Ordering::Relaxed);
        self.notify();
    }

    /// Sets how many units are done.
    pub fn set_done(&self, done: u64) {
        self.0.done.store(done, Ordering::Relaxed);
        self.notify();
    }

    /// Asks the worker to stop.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
        self.notify();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` when cancelled: `progress.check()?` between units of work.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            phase: self.0.phase.lock().map(|p| p.clone()).unwrap_or_default(),
            done: self.0.done.load(Ordering::Relaxed),
            total: self.0.total.load(Ordering::Relaxed),
            cancelled: self.is_cancelled(),
            bytes: self.0.bytes.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_units_and_reports_a_fraction() {
        let p = Progress::new();
        assert_eq!(p.snapshot().fraction(), None);
        p.start("exporting", 4);
        p.advance(1);
        p.advance(2);
        let s = p.snapshot();
        assert_eq!((s.phase.as_str(), s.done, s.total), ("exporting", 3, 4));
        assert_eq!(s.fraction(), Some(0.75));
        assert_eq!(s.amount(), "3 of 4");
        p.start("writing", 2);
        assert_eq!(p.snapshot().done, 0);
        // Bytes are shown in MB, until a phase counts something else again.
        p.start_bytes("reading", 55_999_140);
        p.advance(20_485_936);
        assert_eq!(p.snapshot().amount(), "20.5 of 56.0 MB");
        p.start("checking", 5);
        assert_eq!(p.snapshot().amount(), "0 of 5");
    }

    #[test]
    fn cancel_is_seen_by_every_clone_and_notifies() {
        let calls = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&calls);
        let p = Progress::with_notify(move || {
            seen.fetch_add(1, Ordering::Relaxed);
        });
        let worker = p.clone();
        assert_eq!(worker.check(), Ok(()));
        p.cancel();
        assert_eq!(worker.check(), Err(Cancelled));
        assert!(worker.snapshot().cancelled);
        assert_eq!(calls.load(Ordering::Relaxed), 1);
    }
}
