//! Picking several annotation files at once for a comparison: the native dialog runs on a
//! worker thread (the window never freezes, as in [`crate::app::files`]); when no dialog is
//! available the comparison window's path field is what the user types into.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// Answers faster than this are not a person pressing Cancel: the dialog never appeared.
const TOO_FAST: Duration = Duration::from_millis(250);

/// What came back from the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickedFiles {
    Paths(Vec<PathBuf>),
    Cancelled,
    /// No dialog could be shown: type the paths instead.
    Unavailable,
}

pub struct FilesDialog {
    started: Instant,
    rx: Receiver<Option<Vec<PathBuf>>>,
}

impl FilesDialog {
    /// Opens a dialog for several annotation files on a worker thread, in `start_dir`.
    pub fn open(start_dir: Option<PathBuf>, ctx: &egui::Context) -> Self {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let mut dialog = rfd::FileDialog::new()
            .set_title("Compare annotators: choose two or more annotation files of one article")
            .add_filter("Annotation files", &["json"])
            .add_filter("All files", &["*"]);
        if let Some(dir) = start_dir {
            dialog = dialog.set_directory(dir);
        }
        std::thread::spawn(move || {
            let _ = tx.send(dialog.pick_files());
            ctx.request_repaint();
        });
        Self {
            started: Instant::now(),
            rx,
        }
    }

    /// The answer, once there is one.
    pub fn poll(&self) -> Option<PickedFiles> {
        match self.rx.try_recv() {
            Ok(Some(paths)) => Some(PickedFiles::Paths(paths)),
            Ok(None) if self.started.elapsed() < TOO_FAST => Some(PickedFiles::Unavailable),
            Ok(None) => Some(PickedFiles::Cancelled),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(PickedFiles::Unavailable),
        }
    }
}
