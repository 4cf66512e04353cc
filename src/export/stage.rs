//! Outputs held back until the export has succeeded: each file is written to a temporary file
//! beside its target (flushed to disk), and all are renamed over their targets by
//! [`Stage::commit`]. Dropped without a commit, the stage removes its temporary files and the
//! folders it created, so a cancelled or failed export leaves nothing behind.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, mpsc};

use sha2::{Digest, Sha256};
use tempfile::{NamedTempFile, TempPath};

use super::ExportErrorKind;

#[derive(Default)]
pub(super) struct Stage {
    /// (temporary file, target), in the order staged.
    files: Vec<(TempPath, PathBuf)>,
    /// Folders this export created, outermost first.
    created: Vec<PathBuf>,
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(io::Error) -> ExportErrorKind + use<> {
    let path = path.to_path_buf();
    move |source| ExportErrorKind::Io { what, path, source }
}

impl Stage {
    /// A temporary file for `target`, in its folder (created, and remembered, when missing).
    fn temp_for(&mut self, target: &Path) -> Result<NamedTempFile, ExportErrorKind> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            let mut missing = Vec::new();
            let mut at = Some(dir.as_path());
            while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
                missing.push(d.to_path_buf());
                at = d.parent();
            }
            fs::create_dir_all(&dir).map_err(io("cannot create the output folder", &dir))?;
            self.created.extend(missing.into_iter().rev());
        }
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(target.file_name().unwrap_or_default());
        prefix.push(".");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        match fs::metadata(target) {
            // Keep the target's permissions.
            Ok(meta) => {
                builder.permissions(meta.permissions());
            }
            // A new file gets the usual permissions (less the umask), not a temporary file's.
            Err(_) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    builder.permissions(fs::Permissions::from_mode(0o666));
                }
            }
        }
        builder
            .tempfile_in(&dir)
            .map_err(io("cannot write", target))
    }

    /// Stages `bytes` for `target`.
    pub fn file(&mut self, target: PathBuf, bytes: &[u8]) -> Result<(), ExportErrorKind> {
        let mut writer = self.writer(target)?;
        writer.write_all(bytes).map_err(|e| writer.error(e))?;
        writer.finish(self).map(|_| ())
    }

    /// A writer for `target` that hashes what it writes; finish it with [`StagedWriter::finish`].
    pub fn writer(&mut self, target: PathBuf) -> Result<StagedWriter, ExportErrorKind> {
        let file = self.temp_for(&target)?;
        Ok(StagedWriter {
            out: BufWriter::with_capacity(1 << 16, file),
            hash: Sha256::new(),
            target,
            early: EarlySync::default(),
        })
    }

    /// Renames every file over its target, unless a target is one of the files `read` (the
    /// same file, through links too). Returns the targets written.
    pub fn commit(mut self, read: &ReadFiles) -> Result<Vec<PathBuf>, ExportErrorKind> {
        // Only a target that exists can be an input; when none does (a new output), the
        // thousands of inputs need not be looked at.
        for (_, target) in &self.files {
            if let Some(input) = identity(target).and_then(|id| read.named(&id)) {
                return Err(ExportErrorKind::WouldOverwriteInput {
                    target: target.clone(),
                    input: input.clone(),
                });
            }
        }
        let mut written = Vec::with_capacity(self.files.len());
        let mut dirs: Vec<PathBuf> = Vec::new();
        for (temp, target) in std::mem::take(&mut self.files) {
            temp.persist(&target).map_err(|e| ExportErrorKind::Io {
                what: "cannot write",
                path: target.clone(),
                source: e.error,
            })?;
            if let Some(dir) = target.parent()
                && !dirs.iter().any(|d| d == dir)
            {
                dirs.push(dir.to_path_buf());
            }
            written.push(target);
        }
        self.created.clear();
        for dir in dirs {
            sync_dir(&dir);
        }
        Ok(written)
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        // The temporary files go first (dropping a TempPath removes its file), then the folders
        // this export made, innermost first; a folder someone else filled meanwhile stays.
        self.files.clear();
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// A staged output being written, with the SHA-256 of what was written so far.
pub(super) struct StagedWriter {
    out: BufWriter<NamedTempFile>,
    hash: Sha256,
    target: PathBuf,
    early: EarlySync,
}

impl Write for StagedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hash.update(&buf[..n]);
        self.early.wrote(n, self.out.get_ref().as_file());
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl StagedWriter {
    /// The error of a failed write to this output.
    pub fn error(&self, source: io::Error) -> ExportErrorKind {
        ExportErrorKind::Io {
            what: "cannot write",
            path: self.target.clone(),
            source,
        }
    }

    /// Whether the output has begun going to disk before its end.
    #[cfg(test)]
    pub fn flushing_early(&self) -> bool {
        self.early.started()
    }

    /// Flushes the file to disk and hands it to `stage`; returns the SHA-256 of its bytes.
    pub fn finish(self, stage: &mut Stage) -> Result<String, ExportErrorKind> {
        let Self {
            out,
            hash,
            target,
            early,
        } = self;
        let file = out
            .into_inner()
            .map_err(|e| io("cannot write", &target)(e.into_error()))?;
        early.finish().map_err(io("cannot write", &target))?;
        file.as_file()
            .sync_all()
            .map_err(io("cannot write", &target))?;
        stage.files.push((file.into_temp_path(), target));
        Ok(crate::model::text::hex(&hash.finalize()))
    }
}

/// Bytes written between two early flushes to disk.
const EARLY_SYNC_BYTES: usize = 4 << 20;

/// Flushes a long output to disk while the export goes on: every [`EARLY_SYNC_BYTES`], a
/// thread of its own asks the disk to store what has been written so far. The flush when the
/// output is finished then has only the last part to wait for. An output shorter than that
/// starts no thread.
#[derive(Default)]
struct EarlySync {
    since: usize,
    kick: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl EarlySync {
    fn wrote(&mut self, n: usize, file: &fs::File) {
        self.since += n;
        if self.since < EARLY_SYNC_BYTES {
            return;
        }
        self.since = 0;
        if self.kick.is_none() {
            // Without a second handle, the flush at the end does it all.
            let Ok(file) = file.try_clone() else {
                return;
            };
            let (kick, kicked) = mpsc::channel::<()>();
            self.thread = Some(std::thread::spawn(move || {
                while kicked.recv().is_ok() {
                    // Kicks that came while the disk was busy are one flush.
                    while kicked.try_recv().is_ok() {}
                    file.sync_data()?;
                }
                Ok(())
            }));
            self.kick = Some(kick);
        }
        if let Some(kick) = &self.kick {
            let _ = kick.send(());
        }
    }

    /// Whether a flush has been asked for before the end.
    #[cfg(test)]
    fn started(&self) -> bool {
        self.kick.is_some()
    }

    /// Waits for the flush under way. Its error is returned here: the handles share one open
    /// file, and the kernel reports a failed write-back only once.
    fn finish(self) -> io::Result<()> {
        drop(self.kick);
        match self.thread.map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the thread flushing the output stopped")),
            None => Ok(()),
        }
    }
}

/// The files an export reads, which it must never write over. Which file each path names is
/// looked up once, the first time an output already exists, and kept for the rest of the
/// export.
#[derive(Debug)]
pub(super) struct ReadFiles {
    paths: Vec<PathBuf>,
    identities: OnceLock<HashMap<Identity, usize>>,
}

impl ReadFiles {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        Self {
            paths,
            identities: OnceLock::new(),
        }
    }

    /// The path read that names the file `id`, if any.
    pub fn named(&self, id: &Identity) -> Option<&PathBuf> {
        let identities = self.identities.get_or_init(|| {
            self.paths
                .iter()
                .enumerate()
                .filter_map(|(i, p)| identity(p).map(|id| (id, i)))
                .collect()
        });
        identities.get(id).map(|&i| &self.paths[i])
    }
}

/// Which file a path names, following links: its device and inode.
#[cfg(unix)]
pub(super) type Identity = (u64, u64);
#[cfg(not(unix))]
pub(super) type Identity = PathBuf;

/// The file `path` names, `None` when there is none.
#[cfg(unix)]
pub(super) fn identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub(super) fn identity(path: &Path) -> Option<Identity> {
    path.canonicalize().ok()
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    // Best effort: some file systems refuse fsync on folders; the renames have happened anyway.
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}
