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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub spans: usize,
    pub status: DocumentStatus,
}

/// The articles of `dir`, each with the summary of its annotation file.
pub fn list(dir: &Path) -> std::io::Result<Vec<DocEntry>> {
    let mut articles = Vec::new();
    walk(dir, &is_article, &mut articles)?;
    Ok(articles.into_iter().map(entry).collect())
}

/// The entry of one article (reads its annotation file, if any).
pub fn entry(article: PathBuf) -> DocEntry {
    let native_path = native::path_beside(&article);
    if !native_path.is_file() {
        return DocEntry {
            article,
            summary: None,
            problem: None,
        };
    }
    match native::load(&native_path) {
        Ok(loaded) => DocEntry {
            article,
            summary: Some(Summary {
                spans: loaded.doc.set().len(),
                status: loaded.doc.status,
            }),
            problem: None,
        },
        Err(e) => DocEntry {
            article,
            summary: None,
            problem: Some(e.to_string()),
        },
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
}
