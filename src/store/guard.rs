//! Noticing other writers: a stamp of an annotation file as it was loaded (so a save can tell
//! that someone changed it on disk meanwhile — another window, a `git pull`), and an edit lock
//! in the user's data folder (so a second window on the same file is noticed, not raced).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::store::hash::{sha256_hex, sha256_hex_of_parts};
use crate::store::recovery::{absolute, data_dir};

/// What a file looked like: its length and the SHA-256 of its bytes, and its modification time
/// when known. Two stamps are equal when the bytes are: the time only lets
/// [`changed_on_disk`] skip reading a file whose length and time have not moved.
#[derive(Debug, Clone, Eq)]
pub struct FileStamp {
    pub len: u64,
    pub sha256: String,
    /// The file's modification time, taken before its bytes were read (or after they were
    /// written), so a change during the read shows as a later time.
    pub modified: Option<SystemTime>,
}

impl PartialEq for FileStamp {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.sha256 == other.sha256
    }
}

impl FileStamp {
    /// The stamp of the file at `path`, `None` when there is no file.
    pub fn of(path: &Path) -> Option<Self> {
        let modified = modified(path);
        let bytes = std::fs::read(path).ok()?;
        Some(Self {
            modified,
            ..Self::of_bytes(&bytes)
        })
    }

    /// The stamp of a file holding `bytes` (the bytes just read or written: no second read).
    pub fn of_bytes(bytes: &[u8]) -> Self {
        Self::of_parts(&[bytes])
    }

    /// The stamp of a file holding the `parts` one after another.
    pub fn of_parts(parts: &[&[u8]]) -> Self {
        Self {
            len: parts.iter().map(|p| p.len() as u64).sum(),
            sha256: sha256_hex_of_parts(parts),
            modified: None,
        }
    }

    /// This stamp with the modification time of the file at `path` (just written, or about to
    /// be read).
    pub fn timed(self, modified: Option<SystemTime>) -> Self {
        Self { modified, ..self }
    }
}

/// The modification time of the file at `path`, if there is one.
pub fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Whether the file at `path` is no longer what `known` says (it changed, appeared or vanished).
/// Cheap when nothing happened: a file of the same length and modification time as known is
/// not read; one whose time moved is read and its digest compared (a checkout that rewrote the
/// same bytes is no change).
pub fn changed_on_disk(path: &Path, known: Option<&FileStamp>) -> bool {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file());
    match (meta, known) {
        (None, None) => false,
        (None, Some(_)) | (Some(_), None) => true,
        (Some(meta), Some(known)) => {
            if meta.len() != known.len {
                return true;
            }
            if known.modified.is_some() && meta.modified().ok() == known.modified {
                return false;
            }
            FileStamp::of(path).as_ref() != Some(known)
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LockInfo {
    pub pid: u32,
    pub file: PathBuf,
}

/// A note in the data folder that this process has an annotation file open. Dropping it
/// removes the note (if it is still ours).
#[derive(Debug)]
pub struct EditLock {
    path: PathBuf,
}

impl EditLock {
    /// Takes the lock of `native_path`. Returns the lock and, when another live process already
    /// has the file open, who.
    pub fn acquire(native_path: &Path) -> (Option<Self>, Option<LockInfo>) {
        match data_dir() {
            Some(dir) => Self::acquire_in(&dir.join("locks"), native_path),
            None => (None, None),
        }
    }

    /// [`EditLock::acquire`] with the locks kept in `dir`.
    pub fn acquire_in(dir: &Path, native_path: &Path) -> (Option<Self>, Option<LockInfo>) {
        let file = absolute(native_path);
        let key = sha256_hex(file.to_string_lossy().as_bytes());
        let path = dir.join(format!("{}.lock", &key[..24]));
        let other = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<LockInfo>(&b).ok())
            .filter(|info| info.pid != std::process::id() && is_alive(info.pid));
        let info = LockInfo {
            pid: std::process::id(),
            file,
        };
        let written = std::fs::create_dir_all(dir).is_ok()
            && serde_json::to_vec(&info)
                .ok()
                .is_some_and(|b| crate::store::atomic::write_atomic(&path, &b).is_ok());
        (written.then_some(Self { path }), other)
    }
}

impl Drop for EditLock {
    fn drop(&mut self) {
        let ours = std::fs::read(&self.path)
            .ok()
            .and_then(|b| serde_json::from_slice::<LockInfo>(&b).ok())
            .is_some_and(|i| i.pid == std::process::id());
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether a process is running (Linux: `/proc/PID`; elsewhere assumed, since a stale lock only
/// costs a warning).
fn is_alive(pid: u32) -> bool {
    let proc_dir = Path::new("/proc");
    if proc_dir.is_dir() {
        proc_dir.join(pid.to_string()).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_see_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        assert!(!changed_on_disk(&path, None));
        std::fs::write(&path, "one").unwrap();
        let stamp = FileStamp::of(&path);
        assert!(changed_on_disk(&path, None));
        assert!(!changed_on_disk(&path, stamp.as_ref()));
        std::fs::write(&path, "two").unwrap();
        assert!(changed_on_disk(&path, stamp.as_ref()));
        // The same bytes written again: the time moved, the digest did not: no change.
        let stamp = FileStamp::of(&path);
        std::fs::write(&path, "two").unwrap();
        assert!(!changed_on_disk(&path, stamp.as_ref()));
        std::fs::remove_file(&path).unwrap();
        assert!(changed_on_disk(&path, stamp.as_ref()));
    }

    #[test]
    fn a_file_whose_length_and_time_did_not_move_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "one").unwrap();
        // A stamp whose digest is wrong but whose length and time are the file's: the check
        // trusts the time and does not read the bytes (a wrong digest would say "changed").
        let stamp = FileStamp::of_bytes(b"xyz").timed(modified(&path));
        assert!(!changed_on_disk(&path, Some(&stamp)));
        // Without a time, the bytes decide.
        let untimed = FileStamp::of_bytes(b"xyz");
        assert!(changed_on_disk(&path, Some(&untimed)));
    }

    #[test]
    fn a_second_holder_is_noticed_and_the_lock_goes_with_its_owner() {
        let locks = tempfile::tempdir().unwrap();
        let native = locks.path().join("a.txt.spanmark.json");
        let (lock, other) = EditLock::acquire_in(locks.path(), &native);
        assert!(lock.is_some() && other.is_none());
        drop(lock);
        assert_eq!(
            std::fs::read_dir(locks.path()).unwrap().count(),
            0,
            "the lock went with its owner"
        );
        if Path::new("/proc/1").exists() {
            // Another live process (pid 1) holds it.
            let key = sha256_hex(absolute(&native).to_string_lossy().as_bytes());
            let path = locks.path().join(format!("{}.lock", &key[..24]));
            let info = LockInfo {
                pid: 1,
                file: absolute(&native),
            };
            std::fs::write(&path, serde_json::to_vec(&info).unwrap()).unwrap();
            let (_lock, other) = EditLock::acquire_in(locks.path(), &native);
            assert_eq!(other.map(|o| o.pid), Some(1));
        }
    }

    #[test]
    fn dead_processes_do_not_hold_locks() {
        // PID 0 is never a user process; u32::MAX is never alive.
        if Path::new("/proc").is_dir() {
            assert!(!is_alive(u32::MAX));
            assert!(is_alive(std::process::id()));
        }
    }
}
