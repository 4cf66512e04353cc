//! The native annotation file, `ARTICLE.spanmark.json`: load (checking every invariant and
//! reporting each problem by span id), deterministic serialisation, atomic save.
//!
//! Loading never trusts the file: it is parsed into the raw shapes of [`file`], then every span
//! goes through the same checks as an edit in the GUI. A file from a newer `version` is refused
//! before anything else is read.
//!
//! - `file.rs`: the file's serde shapes, from which the JSON Schema is generated; the root
//!   object in three parts, the fields before the spans, the spans, the fields after them
//! - `span_line.rs`: the codec of a span, the one place that writes a span's line, reads it and
//!   checks the span read, with its messages
//! - `layout.rs`: the layout on disk (indented at the top, one line per span)
//! - `write.rs`: saving, the file's parts written in order; `version.rs`: which version a
//!   document is written in
//! - `chain.rs`: the history's hash chain, written and verified; `replay.rs`: the history
//!   replayed from an empty document, for `spanmark verify`
//! - `load.rs`, `stream.rs`: loading, whole or streaming line by line; `quick.rs`: a line read
//!   straight through while it is as written (for the span's and the history entry's codecs,
//!   `span_line.rs` and `history_line.rs`); `check.rs`: the checks of everything but a
//!   span's own

mod beside;
pub mod chain;
mod check;
pub mod file;
mod finding;
mod history_line;
pub mod layout;
mod links;
mod load;
mod quick;
mod replay;
mod span_line;
mod stream;
mod version;
mod write;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub use check::HistoryUse;
pub use check::checked_schema;
pub use file::{CONTEXT_CHARS, FORMAT, NativeFile, OFFSETS, VERSION, json_schema};
pub use load::{from_bytes, from_bytes_with, load};
pub use stream::{from_bytes_in_lines, load_streaming};
pub use write::{Serialised, save, to_bytes};

use crate::model::Document;

/// The suffix of native files: `russia_nato.txt` → `russia_nato.txt.spanmark.json`.
pub const SUFFIX: &str = ".spanmark.json";

/// The native file that sits beside `article`.
pub fn path_beside(article: &Path) -> PathBuf {
    let mut name = article.as_os_str().to_owned();
    name.push(SUFFIX);
    PathBuf::from(name)
}

/// Whether `path` names a native file (ends with `.spanmark.json`).
pub fn is_native_path(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(SUFFIX) && n.len() > SUFFIX.len())
}

/// The article a native file sits beside (`a.txt.spanmark.json` → `a.txt`).
pub fn article_beside(native: &Path) -> Option<PathBuf> {
    let name = native.file_name()?.to_str()?;
    let article = name.strip_suffix(SUFFIX)?;
    (!article.is_empty()).then(|| native.with_file_name(article))
}

/// One thing wrong (or worth a warning) in a native file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The span or relation concerned, when there is one.
    pub id: Option<String>,
    /// What is wrong; names the span or relation when there is one.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A document read from a native file, with warnings that did not stop the load (e.g. spans
/// whose label the schema does not define: kept, never dropped).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub doc: Document,
    pub warnings: Vec<Problem>,
    /// The history's hash chain, checked entry by entry as the file was read
    /// ([`chain::links_of`]); [`chain::verify_loaded`] adds the replay, without reading the
    /// file again. Empty when the file was read without checking it ([`HistoryUse`]).
    pub chain: chain::Verification,
}

#[derive(Debug, thiserror::Error)]
pub enum NativeError {
    #[error("cannot read annotation file: {source}: {}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("empty annotation file: {}", path.display())]
    Empty { path: PathBuf },
    #[error("not valid JSON at line {line}, column {column}: {message}: {}", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a Spanmark annotation file (\"format\" is {found}, expected \"spanmark\"): {}", path.display())]
    NotSpanmark { path: PathBuf, found: String },
    #[error(
        "written by a newer Spanmark (file version {found}; this build reads versions up to {supported}); update Spanmark to open it: {}",
        path.display()
    )]
    NewerVersion {
        path: PathBuf,
        found: String,
        supported: u32,
    },
    #[error("{}", invalid_message(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    #[error("cannot save annotation file: {source}: {}", path.display())]
    Write { path: PathBuf, source: io::Error },
}

fn invalid_message(path: &Path, problems: &[Problem]) -> String {
    let mut out = format!(
        "{} problem{} in {}:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
        path.display()
    );
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&p.message);
    }
    out
}

impl NativeError {
    /// The problems, for an invalid file.
    pub fn problems(&self) -> &[Problem] {
        match self {
            NativeError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod chain_tests;
#[cfg(test)]
mod codec_tests;
#[cfg(test)]
mod quick_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod version_tests;
