//! Recovery files: unsaved work written aside, so a crash loses nothing.
//!
//! The GUI writes the document it is working on, as a complete native file, into the user's
//! data folder (`~/.local/share/spanmark/recovery/` on Linux; `SPANMARK_DATA_DIR` overrides the
//! data folder), every few seconds while there are unsaved changes and when the window loses
//! focus. Each recovery file has a small `.meta.json` beside it naming the annotation file it
//! belongs to. On the next start, a recovery file newer than that annotation file is offered
//! for recovery; a successful save deletes it. Both files are written atomically.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::model::{Document, Timestamp};
use crate::store::atomic::write_atomic;
use crate::store::hash::sha256_hex;
use crate::store::native::{self, NativeError};

/// Where recovery files go.
pub fn recovery_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("recovery"))
}

/// The user's data folder for Spanmark (`SPANMARK_DATA_DIR` wins).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SPANMARK_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "Spanmark").map(|p| p.data_dir().to_path_buf())
}

/// The recovery file of an annotation file: named by a hash of its absolute path.
pub fn recovery_path(dir: &Path, native_path: &Path) -> PathBuf {
    let key = sha256_hex(absolute(native_path).to_string_lossy().as_bytes());
    dir.join(format!("{}.spanmark.json", &key[..24]))
}

fn meta_path(recovery: &Path) -> PathBuf {
    recovery.with_extension("meta.json")
}

/// An annotation file's path made absolute (without requiring it to exist).
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => parent
            .canonicalize()
            .map(|p| p.join(name))
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Meta {
    /// The annotation file this is unsaved work for.
    native_path: PathBuf,
    /// When the recovery file was written.
    written: String,
}

/// Unsaved work found for an annotation file.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub doc: Document,
    pub written: Timestamp,
    pub path: PathBuf,
}

/// Writes `doc`'s unsaved state as the recovery file of `native_path`.
pub fn write(dir: &Path, native_path: &Path, doc: &Document, at: Timestamp) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = recovery_path(dir, native_path);
    // Written while the window goes on: a core is left to it.
    write_atomic(&path, &native::Serialised::leaving_a_core(doc).to_vec())?;
    let meta = Meta {
        native_path: absolute(native_path),
        written: at.to_string(),
    };
    let bytes = serde_json::to_vec_pretty(&meta).map_err(std::io::Error::other)?;
    write_atomic(&meta_path(&path), &bytes)
}

/// Removes the recovery file of `native_path` (after a save, or when the user discards it).
pub fn discard(dir: &Path, native_path: &Path) {
    let path = recovery_path(dir, native_path);
    let _ = std::fs::remove_file(meta_path(&path));
    let _ = std::fs::remove_file(path);
}

/// The recovery file of `native_path`, when there is one newer than the annotation file (or
/// the annotation file does not exist). A recovery file that cannot be read is an error that
/// names it, so the user can decide.
pub fn find(dir: &Path, native_path: &Path) -> Result<Option<Recovered>, NativeError> {
    let path = recovery_path(dir, native_path);
    let Ok(recovery_meta) = std::fs::metadata(&path) else {
        return Ok(None);
    };
    let recovery_time = recovery_meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let saved_time = std::fs::metadata(native_path)
        .and_then(|m| m.modified())
        .ok();
    if saved_time.is_some_and(|saved| saved >= recovery_time) {
        return Ok(None);
    }
    let loaded = native::load(&path)?;
    let written = std::fs::read(meta_path(&path))
        .ok()
        .and_then(|b| serde_json::from_slice::<Meta>(&b).ok())
        .and_then(|m| Timestamp::parse(&m.written).ok())
        .unwrap_or_else(|| {
            let secs = recovery_time
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            Timestamp::from_unix(i64::try_from(secs).unwrap_or(0))
        });
    Ok(Some(Recovered {
        doc: loaded.doc,
        written,
        path,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Schema, Source, Text};

    fn doc() -> Document {
        Document::new(
            Source::default(),
            Text::new("Lavrov said".into()),
            "rita",
            Schema::default(),
        )
    }

    #[test]
    fn written_found_and_discarded() {
        let data = tempfile::tempdir().unwrap();
        let work = tempfile::tempdir().unwrap();
        let native_path = work.path().join("a.txt.spanmark.json");
        assert!(find(data.path(), &native_path).unwrap().is_none());
        write(data.path(), &native_path, &doc(), Timestamp::from_unix(60)).unwrap();
        let found = find(data.path(), &native_path).unwrap().unwrap();
        assert_eq!(found.doc.text().as_str(), "Lavrov said");
        assert_eq!(found.written, Timestamp::from_unix(60));
        // A save after the recovery file makes it stale.
        std::thread::sleep(std::time::Duration::from_millis(20));
        native::save(&doc(), &native_path).unwrap();
        assert!(find(data.path(), &native_path).unwrap().is_none());
        discard(data.path(), &native_path);
        assert_eq!(std::fs::read_dir(data.path()).unwrap().count(), 0);
    }

    #[test]
    fn different_files_get_different_recovery_files() {
        let a = recovery_path(Path::new("/r"), Path::new("/x/a.txt.spanmark.json"));
        let b = recovery_path(Path::new("/r"), Path::new("/y/a.txt.spanmark.json"));
        assert_ne!(a, b);
    }

    #[test]
    fn a_corrupt_recovery_file_is_an_error_naming_it() {
        let data = tempfile::tempdir().unwrap();
        let native_path = data.path().join("b.txt.spanmark.json");
        std::fs::write(recovery_path(data.path(), &native_path), "{").unwrap();
        let err = find(data.path(), &native_path).unwrap_err().to_string();
        assert!(err.contains(".spanmark.json"), "{err}");
    }
}
