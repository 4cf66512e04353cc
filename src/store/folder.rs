//! A folder of articles: what is in it and how far each document is.

use std::path::{Path, PathBuf};

use crate::model::DocumentStatus;
use crate::store::native;

/// Whether `path` is an article Spanmark opens (`.txt`, `.md`, `.html`, …), not an annotation
/// file.
pub fn is_article(path: &Path) -> bool {
    if native::is_native_path(path) {
        return false;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(
        ext.as_deref(),
        Some("txt" | "text" | "md" | "markdown" | "html" | "htm" | "xhtml")
    )
}

/// Every file under `dir` that `keep` accepts, sorted by path, folders searched recursively
/// (symbolic links to folders are not followed, so a loop cannot trap the walk).
pub fn walk(
    dir: &Path,
    keep: &dyn Fn(&Path) -> bool,
    found: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, keep, found)?;
        } else if (kind.is_file() || (kind.is_symlink() && path.is_file())) && keep(&path) {
            found.push(path);
        }
    }
    Ok(())
}

/// One document of a folder.
#[derive(Debug, Clone, PartialEq)]
pub struct DocEntry {
    pub article: PathBuf,
    /// Spans and status from the annotation file beside the article, when there is one.
    pub summary: Option<Summary>,
    /// Why the annotation file could not be read.
    pub problem: Option<String>,
    /// Whether the annotation file was looked at yet (summaries are read in the background).
    pub read: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub spans: usize,
    pub status: DocumentStatus,
}

/// The articles of `dir` (sorted), not yet summarised: fast enough for 10,000 documents.
pub fn list_articles(dir: &Path) -> std::io::Result<Vec<DocEntry>> {
    let mut articles = Vec::new();
    walk(dir, &is_article, &mut articles)?;
    Ok(articles
        .into_iter()
        .map(|article| DocEntry {
            article,
            summary: None,
            problem: None,
            read: false,
        })
        .collect())
}

/// The articles of `dir`, each with the summary of its annotation file.
pub fn list(dir: &Path) -> std::io::Result<Vec<DocEntry>> {
    Ok(list_articles(dir)?
        .into_iter()
        .map(|e| entry(e.article))
        .collect())
}

/// Just what a folder list shows, read without building the document: the status and the
/// number of spans (the text and the spans' contents are skipped, not stored).
#[derive(serde::Deserialize)]
struct Peek {
    format: Option<String>,
    #[serde(default)]
    status: DocumentStatus,
    #[serde(default)]
    spans: Vec<serde::de::IgnoredAny>,
}

/// The entry of one article (peeks at its annotation file, if any).
pub fn entry(article: PathBuf) -> DocEntry {
    let native_path = native::path_beside(&article);
    let mut entry = DocEntry {
        article,
        summary: None,
        problem: None,
        read: true,
    };
    let Ok(bytes) = std::fs::read(&native_path) else {
        return entry;
    };
    match serde_json::from_slice::<Peek>(&bytes) {
        Ok(peek) if peek.format.as_deref() == Some(native::FORMAT) => {
            entry.summary = Some(Summary {
                spans: peek.spans.len(),
                status: peek.status,
            });
        }
        Ok(_) => {
            entry.problem = Some(format!(
                "not a Spanmark annotation file: {}",
                native_path.display()
            ));
        }
        Err(e) => {
            entry.problem = Some(format!(
                "not valid JSON at line {}, column {}: {}",
                e.line(),
                e.column(),
                native_path.display()
            ));
        }
    }
    entry
}

/// Reads the summaries of a folder's documents on a worker thread, in order; can be
/// cancelled (dropping it cancels too).
pub struct SummaryReader {
    rx: std::sync::mpsc::Receiver<(usize, DocEntry)>,
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl SummaryReader {
    /// Starts reading the summaries of `articles`; `wake` is called after each batch (the GUI
    /// asks for a repaint there).
    pub fn start(articles: Vec<PathBuf>, wake: impl Fn() + Send + 'static) -> Self {
        use std::sync::atomic::{AtomicBool, Ordering};
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let stop = cancel.clone();
        std::thread::spawn(move || {
            for (i, article) in articles.into_iter().enumerate() {
                if stop.load(Ordering::Relaxed) || tx.send((i, entry(article))).is_err() {
                    return;
                }
                if i % 64 == 63 {
                    wake();
                }
            }
            wake();
        });
        Self { rx, cancel }
    }

    /// The summaries read since the last call.
    pub fn take(&self) -> Vec<(usize, DocEntry)> {
        self.rx.try_iter().collect()
    }

    pub fn cancel(&self) {
        self.cancel
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Drop for SummaryReader {
    fn drop(&mut self) {
        self.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_articles_with_their_span_counts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), "Lavrov said").unwrap();
        std::fs::write(dir.path().join("sub/a.md"), "# Title").unwrap();
        std::fs::write(dir.path().join("notes.pdf"), "x").unwrap();
        std::fs::write(dir.path().join("b.txt.spanmark.json"), "{").unwrap();
        let list = list(dir.path()).unwrap();
        let names: Vec<_> = list
            .iter()
            .map(|e| e.article.strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(names, [PathBuf::from("b.txt"), PathBuf::from("sub/a.md")]);
        assert!(
            list[0]
                .problem
                .as_deref()
                .unwrap()
                .contains("b.txt.spanmark.json")
        );
        assert_eq!(list[1].summary, None);
    }

    #[test]
    fn summaries_are_read_in_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let mut articles = Vec::new();
        for i in 0..200 {
            let a = dir.path().join(format!("{i:03}.txt"));
            std::fs::write(&a, "x").unwrap();
            articles.push(a);
        }
        let doc = crate::model::Document::new(
            Default::default(),
            crate::model::Text::new("x".into()),
            "a",
            Default::default(),
        );
        native::save(&doc, &native::path_beside(&articles[7])).unwrap();
        let listed = list_articles(dir.path()).unwrap();
        assert_eq!(listed.len(), 200);
        assert!(listed.iter().all(|e| !e.read));
        let reader = SummaryReader::start(articles, || {});
        let mut got = Vec::new();
        while got.len() < 200 {
            got.extend(reader.take());
            std::thread::yield_now();
        }
        assert_eq!(got[7].1.summary.unwrap().spans, 0);
        assert!(got.iter().all(|(_, e)| e.read));
        assert_eq!(got.iter().filter(|(_, e)| e.summary.is_some()).count(), 1);
    }
}
