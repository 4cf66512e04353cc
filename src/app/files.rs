//! Native file dialogs on a worker thread, so the window never freezes while one is open.
//! When no dialog is available (no portal, no zenity: rfd answers `None` at once), the app
//! offers a field to type a path instead.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// What to pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    File,
    Folder,
}

/// What came back from a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    Path(PickKind, PathBuf),
    Cancelled,
    /// No dialog could be shown: let the user type the path.
    Unavailable(PickKind),
}

/// Answers faster than this are not a person pressing Cancel: the dialog never appeared.
const TOO_FAST: Duration = Duration::from_millis(250);

pub struct PendingDialog {
    kind: PickKind,
    started: Instant,
    rx: Receiver<Option<PathBuf>>,
}

impl PendingDialog {
    /// Opens a dialog on a worker thread; `start_dir` is where it opens.
    pub fn open(kind: PickKind, start_dir: Option<PathBuf>, ctx: &egui::Context) -> Self {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let mut dialog = rfd::FileDialog::new().set_title(match kind {
            PickKind::File => "Open an article or annotation file",
            PickKind::Folder => "Open a folder of articles",
        });
        if kind == PickKind::File {
            dialog = dialog
                .add_filter(
                    "Articles and annotations",
                    &["txt", "md", "markdown", "html", "htm", "json"],
                )
                .add_filter("All files", &["*"]);
        }
        if let Some(dir) = start_dir {
            dialog = dialog.set_directory(dir);
        }
        std::thread::spawn(move || {
            let picked = match kind {
                PickKind::File => dialog.pick_file(),
                PickKind::Folder => dialog.pick_folder(),
            };
            let _ = tx.send(picked);
            ctx.request_repaint();
        });
        Self {
            kind,
            started: Instant::now(),
            rx,
        }
    }

    /// The answer, once there is one.
    pub fn poll(&self) -> Option<Picked> {
        match self.rx.try_recv() {
            Ok(Some(path)) => Some(Picked::Path(self.kind, path)),
            Ok(None) if self.started.elapsed() < TOO_FAST => Some(Picked::Unavailable(self.kind)),
            Ok(None) => Some(Picked::Cancelled),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Picked::Unavailable(self.kind)),
        }
    }
}
