//! Opening long documents without freezing the window: files over [`BACKGROUND_BYTES`] are read
//! and checked on a worker thread while the window shows a progress bar with a Cancel button.
//! Smaller files open at once (they take milliseconds).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use super::SpanmarkApp;
use super::session::Session;
use crate::store::native;
use crate::store::open::{Opened, open};

/// Files larger than this (the article or its annotation file) open in the background.
pub const BACKGROUND_BYTES: u64 = 1_000_000;

/// A document being opened on a worker thread.
pub struct Loading {
    pub path: PathBuf,
    pub bytes: u64,
    pub started: Instant,
    rx: Receiver<Result<Opened, String>>,
}

/// How big the files behind `path` are: the file itself and, for an article, its annotation
/// file.
fn size_on_disk(path: &Path) -> u64 {
    let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let beside = if native::is_native_path(path) {
        0
    } else {
        len(&native::path_beside(path))
    };
    len(path) + beside
}

impl SpanmarkApp {
    /// Opens `path`: at once when it is small, else in the background.
    pub(super) fn open_document(&mut self, path: &Path) {
        let bytes = size_on_disk(path);
        if bytes <= BACKGROUND_BYTES {
            self.open_now(path);
            return;
        }
        let (tx, rx) = channel();
        let annotator = self.annotator();
        let owned = path.to_path_buf();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let result = open(&owned, &annotator).map_err(|e| e.to_string());
            // The window may have cancelled: then nobody listens, and that is fine.
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        self.loading = Some(Loading {
            path: path.to_path_buf(),
            bytes,
            started: Instant::now(),
            rx,
        });
    }

    /// Takes the opened document when the worker is done.
    pub(super) fn poll_loading(&mut self) {
        let Some(loading) = &self.loading else {
            return;
        };
        let result = match loading.rx.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => {
                self.ctx
                    .request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            Err(TryRecvError::Disconnected) => Err(format!(
                "opening stopped unexpectedly: {}",
                loading.path.display()
            )),
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
            Err(message) => self.dialogs.error = Some(message),
        }
    }

    /// Stops waiting for the document being opened (the worker's result is dropped).
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
        ui.label(format!(
            "{:.1} MB · {:.1} s: reading the text, checking every span",
            loading.bytes as f64 / 1e6,
            loading.started.elapsed().as_secs_f64()
        ));
        // The parser does not report how far it is: a spinner, not an invented fraction.
        ui.add(egui::Spinner::new().size(24.0));
        cancel = ui
            .button("Cancel")
            .on_hover_text("Stop opening this document")
            .clicked();
    });
    cancel
}
