//! Not losing work in the GUI: autosave to a recovery file (every N seconds while there are
//! unsaved changes, and when the window loses focus), the recovery offer on the next start,
//! the check that nobody changed the annotation file on disk before it is overwritten, and the
//! note that the same file is open in another window.

use std::path::PathBuf;

use super::SpanmarkApp;
use super::session::{SaveProblem, Session};
use crate::model::History;
use crate::store::guard::EditLock;
use crate::store::recovery::{self, Recovered};

/// What the user chose when the annotation file changed on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictChoice {
    /// Write this version over the one on disk.
    Overwrite,
    /// Keep the one on disk and save this version beside it.
    KeepBoth,
    Cancel,
}

/// Seconds between autosaves unless set otherwise.
pub const DEFAULT_AUTOSAVE_SECS: u64 = 30;

impl SpanmarkApp {
    /// Where recovery files and locks live (tests give a temporary folder).
    pub(super) fn recovery_dir(&self) -> Option<PathBuf> {
        self.data_dir.clone().map(|d| d.join("recovery"))
    }

    /// After a document is installed: take its edit lock and look for unsaved work.
    pub(super) fn after_install(&mut self) {
        let recovery_dir = self.recovery_dir();
        let Some(session) = &mut self.session else {
            return;
        };
        self.lock = None;
        if let Some(locks) = self.data_dir.as_ref().map(|d| d.join("locks")) {
            let (lock, other) = EditLock::acquire_in(&locks, &session.native_path);
            self.lock = lock;
            if let Some(other) = other {
                session.warnings.push(format!(
                    "this file is also open in another Spanmark window (process {}); before each save Spanmark checks whether it changed on disk: {}",
                    other.pid,
                    session.native_path.display()
                ));
            }
        }
        let Some(dir) = recovery_dir else {
            return;
        };
        match recovery::find(&dir, &session.native_path) {
            Ok(found) => self.dialogs.recovery = found,
            Err(e) => {
                self.dialogs.error =
                    Some(format!("unsaved work was found but cannot be read: {e}"));
            }
        }
    }

    /// Takes the recovered work as the current, unsaved state.
    pub(super) fn recover(&mut self) {
        let Some(found) = self.dialogs.recovery.take() else {
            return;
        };
        let Some(session) = &mut self.session else {
            return;
        };
        let Recovered { doc, written, .. } = found;
        let text_changed = doc.text().as_str() != session.doc.text().as_str();
        session.doc = doc;
        session.history = History::new();
        session.history.mark_unsaved();
        session.selection = None;
        session.selected_span = None;
        session.bump(None);
        session.notice = Some(super::session::Notice {
            text: format!("Recovered the unsaved work of {written}; save it with Ctrl+S"),
            is_error: false,
        });
        if text_changed {
            self.view = Some(super::view::ArticleView::new(session.doc.text()));
        }
    }

    /// Drops the recovery file (the user chose Discard).
    pub(super) fn discard_recovery(&mut self) {
        self.dialogs.recovery = None;
        if let (Some(dir), Some(session)) = (self.recovery_dir(), &self.session) {
            recovery::discard(&dir, &session.native_path);
        }
    }

    /// Writes the recovery file when it is due: every `autosave` while there are unsaved
    /// changes, and as soon as the window loses focus.
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        let (now, focused) = ctx.input(|i| (i.time, i.viewport().focused));
        let lost_focus = self.was_focused == Some(true) && focused == Some(false);
        self.was_focused = focused;
        let due = now - self.last_autosave >= self.autosave_every.as_secs_f64();
        let Some(session) = &self.session else {
            return;
        };
        if session.is_dirty() {
            // Wake up for the next autosave even when nothing else happens.
            ctx.request_repaint_after(self.autosave_every);
        }
        if !session.is_dirty() || !(due || lost_focus) || self.dialogs.recovery.is_some() {
            if due {
                self.last_autosave = now;
            }
            return;
        }
        self.last_autosave = now;
        if let Some(dir) = self.recovery_dir()
            && let Err(e) = recovery::write(&dir, &session.native_path, &session.doc, session.now())
            && let Some(s) = &mut self.session
        {
            s.notice = Some(super::session::Notice {
                text: format!("Autosave failed: {e}: {}", dir.display()),
                is_error: true,
            });
        }
    }

    /// Saves; on success forgets the recovery file and refreshes the folder's entry. A file
    /// changed on disk opens the conflict question instead.
    pub(super) fn save(&mut self) -> bool {
        let Some(session) = &mut self.session else {
            return false;
        };
        match session.save() {
            Ok(()) => {
                self.after_save();
                true
            }
            Err(SaveProblem::ChangedOnDisk) => {
                self.dialogs.conflict = true;
                false
            }
            Err(SaveProblem::Failed(message)) => {
                self.dialogs.error = Some(message);
                false
            }
        }
    }

    fn after_save(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        if let Some(dir) = self.recovery_dir() {
            recovery::discard(&dir, &session.native_path);
        }
        let article = session.article_path.clone();
        if let (Some(folder), Some(article)) = (&mut self.folder, article)
            && let Some(entry) = folder.docs.iter_mut().find(|d| d.article == article)
        {
            *entry = crate::store::folder::entry(article);
        }
    }

    /// Answers the "changed on disk" question.
    pub(super) fn resolve_conflict(&mut self, choice: ConflictChoice) {
        self.dialogs.conflict = false;
        let Some(session) = &mut self.session else {
            return;
        };
        match choice {
            ConflictChoice::Overwrite => match session.save_anyway() {
                Ok(()) => self.after_save(),
                Err(SaveProblem::Failed(m)) => self.dialogs.error = Some(m),
                Err(SaveProblem::ChangedOnDisk) => self.dialogs.conflict = true,
            },
            ConflictChoice::KeepBoth => {
                if let Err(SaveProblem::Failed(m)) = session.save_copy() {
                    self.dialogs.error = Some(m);
                }
            }
            ConflictChoice::Cancel => {}
        }
    }

    /// The open session, if any (for tests and panels).
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }
}
