//! Opening long documents without freezing the window: files over [`BACKGROUND_BYTES`] are read
//! and checked on a worker thread while the window shows their progress with a Cancel button.
//! Smaller files open at once (they take milliseconds).
//!
//! The worker runs [`open_with_progress`]: it reads each file once in chunks, which the bar
//! counts in bytes (the slow part on a network drive or a cold disk, and it can be cancelled
//! between chunks); then it parses the file and checks every span, which reports no fraction:
//! for that phase the window shows its name, a spinner and the time taken.

use std::path::{Path, PathBuf};

use super::SpanmarkApp;
use super::jobs::{Job, JobError};
use super::session::Session;
use crate::store::native;
use crate::store::open::{OpenError, Opened, open_with_progress};

/// Files larger than this (the article or its annotation file) open in the background.
pub const BACKGROUND_BYTES: u64 = 1_000_000;

/// A document being opened on a worker thread.
pub struct Loading {
    pub path: PathBuf,
    pub bytes: u64,
    pub job: Job<Opened>,
}

/// The files behind `path` (the file itself and, for an article, its annotation file when
/// there is one) with their sizes.
fn files_on_disk(path: &Path) -> Vec<(PathBuf, u64)> {
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

impl SpanmarkApp {
    /// Opens `path`: at once when it is small, else in the background.
    pub(super) fn open_document(&mut self, path: &Path) {
        let files = files_on_disk(path);
        let bytes: u64 = files.iter().map(|(_, n)| n).sum();
        if bytes <= BACKGROUND_BYTES {
            self.open_now(path);
            return;
        }
        let annotator = self.annotator();
        let owned = path.to_path_buf();
        let job = self.jobs.spawn(&self.ctx, "Opening", move |progress| {
            open_with_progress(&owned, &annotator, progress).map_err(|e| match e {
                OpenError::Cancelled => JobError::Cancelled,
                e => JobError::Failed(e.to_string()),
            })
        });
        self.loading = Some(Loading {
            path: path.to_path_buf(),
            bytes,
            job,
        });
    }

    /// Takes the opened document when the worker is done.
    pub(super) fn poll_loading(&mut self) {
        let Some(loading) = &self.loading else {
            return;
        };
        let Some(result) = loading.job.poll() else {
            return;
        };
        let path = loading.path.clone();
        self.loading = None;
        match result {
            Ok(opened) => {
                let remembered = opened.article_path.clone().unwrap_or_else(|| path.clone());
                self.prefs.remember(remembered);
                self.install(Session::new(opened, self.clock.clone()));
                self.sync_folder_current();
            }
            Err(JobError::Failed(message)) => self.dialogs.error = Some(message),
            Err(JobError::Cancelled) => {}
        }
    }

    /// Stops opening the document (the worker stops at its next check; what it read is
    /// dropped).
    pub(super) fn cancel_loading(&mut self) {
        self.loading = None;
    }
}

/// The progress shown while a document opens; returns true when the user cancels.
pub fn ui(ui: &mut egui::Ui, loading: &Loading) -> bool {
    let mut cancel = false;
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.3);
        let name = loading
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        ui.heading(format!("Opening {name}"));
        ui.weak(format!("{:.1} MB", loading.bytes as f64 / 1e6));
        ui.add_space(6.0);
        cancel = super::jobs::progress_ui(ui, &loading.job.progress, loading.job.started);
    });
    cancel
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
