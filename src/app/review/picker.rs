//! Picking several annotation files at once for a comparison: the native dialog runs on a
//! worker thread (the window never freezes, as in [`crate::app::files`]); when no dialog is
//! available the comparison window's path field is what the user types into.

use std::path::PathBuf;

use crate::app::files::{Answer, Pending};

/// What came back from the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickedFiles {
    Paths(Vec<PathBuf>),
    Cancelled,
    /// No dialog could be shown: type the paths instead.
    Unavailable,
}

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
