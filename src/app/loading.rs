//! Opening long documents without freezing the window: files over [`BACKGROUND_BYTES`] are read
//! and checked on a worker thread while the window shows their progress with a Cancel button.
//! Smaller files open at once (they take milliseconds).
//!
//! The worker first reads the files from disk in chunks, which the bar counts in bytes (the
//! slow part on a network drive or a cold disk, and it can be cancelled between chunks); then
//! `store::open` parses them and checks every span, which reports no progress: for that phase
//! the window shows its name, a spinner and the time taken, not an invented fraction.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::SpanmarkApp;
use super::jobs::{Job, JobError};
use super::session::Session;
use crate::progress::Progress;
use crate::store::native;
use crate::store::open::{Opened, open};

/// Files larger than this (the article or its annotation file) open in the background.
pub const BACKGROUND_BYTES: u64 = 1_000_000;

/// How much is read between two progress reports.
const CHUNK_BYTES: usize = 1 << 20;

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

/// Reads `files` from disk chunk by chunk, counting bytes on `progress`. The bytes are not
/// kept: `store::open` reads them again, from the operating system's cache.
fn read_from_disk(files: &[(PathBuf, u64)], progress: &Progress) -> Result<(), JobError> {
    let total: u64 = files.iter().map(|(_, n)| n).sum();
    progress.start("reading from disk (bytes)", total);
    let mut buffer = vec![0u8; CHUNK_BYTES];
    for (path, _) in files {
        // A file that cannot be read is reported by `open`, with its own message.
        let Ok(mut file) = std::fs::File::open(path) else {
            continue;
        };
        loop {
            progress.check()?;
            match file.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => progress.advance(n as u64),
            }
        }
    }
    Ok(())
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
        let checking = if files.len() > 1 || native::is_native_path(path) {
            "reading the annotation file and checking every span"
        } else {
            "decoding the article"
        };
        let job = self.jobs.spawn(&self.ctx, "Opening", move |progress| {
            read_from_disk(&files, progress)?;
            progress.start(checking, 0);
            let opened = open(&owned, &annotator).map_err(|e| e.to_string())?;
            progress.check()?;
            Ok(opened)
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
    fn reading_counts_the_bytes_of_the_article_and_its_annotation_file_and_can_be_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("big.txt");
        std::fs::write(&article, vec![b'a'; 3 * CHUNK_BYTES + 5]).unwrap();
        std::fs::write(native::path_beside(&article), b"{}").unwrap();
        let files = files_on_disk(&article);
        assert_eq!(files.len(), 2);
        let progress = Progress::new();
        read_from_disk(&files, &progress).unwrap();
        let s = progress.snapshot();
        assert_eq!(
            (s.done, s.total),
            (3 * CHUNK_BYTES as u64 + 7, 3 * CHUNK_BYTES as u64 + 7)
        );
        let cancelled = Progress::new();
        cancelled.cancel();
        assert_eq!(read_from_disk(&files, &cancelled), Err(JobError::Cancelled));
        assert_eq!(cancelled.snapshot().done, 0);
    }
}
