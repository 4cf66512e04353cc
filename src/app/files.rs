//! Native file dialogs on a worker thread, so the window never freezes while one is open.
//! When no dialog is available (no portal, no zenity: rfd answers `None` at once), the app
//! offers a field to type a path instead. Every dialog the app shows is here: Open, Open
//! Folder, the files of a comparison, an export's destination.

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

/// How a native dialog ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<T> {
    Picked(T),
    Cancelled,
    /// No dialog could be shown (it answered "nothing" at once, or its thread died).
    Unavailable,
}

/// A native dialog running on a worker thread: the one way the app shows rfd dialogs (Open,
/// Open Folder, the export destination, the files of a comparison).
pub struct Pending<T> {
    started: Instant,
    rx: Receiver<Option<T>>,
}

impl<T: Send + 'static> Pending<T> {
    /// Runs `show` (which shows the dialog and waits for it) on a worker thread, and asks for a
    /// repaint when it answers.
    pub fn spawn(ctx: &egui::Context, show: impl FnOnce() -> Option<T> + Send + 'static) -> Self {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(show());
            ctx.request_repaint();
        });
        Self {
            started: Instant::now(),
            rx,
        }
    }

    /// The answer, once there is one.
    pub fn poll(&self) -> Option<Answer<T>> {
        match self.rx.try_recv() {
            Ok(Some(value)) => Some(Answer::Picked(value)),
            Ok(None) if self.started.elapsed() < TOO_FAST => Some(Answer::Unavailable),
            Ok(None) => Some(Answer::Cancelled),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Answer::Unavailable),
        }
    }
}

pub struct PendingDialog {
    kind: PickKind,
    pending: Pending<PathBuf>,
}

impl PendingDialog {
    /// Opens a dialog on a worker thread; `start_dir` is where it opens.
    pub fn open(kind: PickKind, start_dir: Option<PathBuf>, ctx: &egui::Context) -> Self {
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
        let pending = Pending::spawn(ctx, move || match kind {
            PickKind::File => dialog.pick_file(),
            PickKind::Folder => dialog.pick_folder(),
        });
        Self { kind, pending }
    }

    /// The answer, once there is one.
    pub fn poll(&self) -> Option<Picked> {
        Some(match self.pending.poll()? {
            Answer::Picked(path) => Picked::Path(self.kind, path),
            Answer::Cancelled => Picked::Cancelled,
            Answer::Unavailable => Picked::Unavailable(self.kind),
        })
    }
}

/// What came back from the dialog that picks several annotation files (a comparison).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickedFiles {
    Paths(Vec<PathBuf>),
    Cancelled,
    /// No dialog could be shown: type the paths instead.
    Unavailable,
}

/// The dialog that picks several annotation files at once, for a comparison.
pub struct FilesDialog(Pending<Vec<PathBuf>>);

impl FilesDialog {
    /// Opens a dialog for several annotation files on a worker thread, in `start_dir`.
    pub fn open(start_dir: Option<PathBuf>, ctx: &egui::Context) -> Self {
        let mut dialog = rfd::FileDialog::new()
            .set_title("Compare annotators: choose two or more annotation files of one article")
            .add_filter("Annotation files", &["json"])
            .add_filter("All files", &["*"]);
        if let Some(dir) = start_dir {
            dialog = dialog.set_directory(dir);
        }
        Self(Pending::spawn(ctx, move || dialog.pick_files()))
    }

    /// The answer, once there is one.
    pub fn poll(&self) -> Option<PickedFiles> {
        Some(match self.0.poll()? {
            Answer::Picked(paths) => PickedFiles::Paths(paths),
            Answer::Cancelled => PickedFiles::Cancelled,
            Answer::Unavailable => PickedFiles::Unavailable,
        })
    }
}

/// An export's destination: a folder dialog for the per-document formats, else a save dialog,
/// opened where `current` points.
pub fn destination_dialog(
    per_document: bool,
    current: &std::path::Path,
    ctx: &egui::Context,
) -> Pending<PathBuf> {
    let mut dialog = rfd::FileDialog::new().set_title("Export to");
    if let Some(dir) = current.parent().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = current.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    Pending::spawn(ctx, move || {
        if per_document {
            dialog.pick_folder()
        } else {
            dialog.save_file()
        }
    })
}
