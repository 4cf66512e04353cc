//! Opening what a user points at: an article (with its native file when one sits beside it) or a
//! native file. The article itself is only ever read.

use std::path::{Path, PathBuf};

use crate::model::{Document, Schema, Source, Text};
use crate::store::article::{Article, ArticleError, read_article};
use crate::store::hash::sha256_hex;
use crate::store::native::{self, NativeError};

/// A document ready to work on, and where it lives.
#[derive(Debug, Clone)]
pub struct Opened {
    pub doc: Document,
    /// Where the annotations are saved.
    pub native_path: PathBuf,
    /// The article file, when there is one.
    pub article_path: Option<PathBuf>,
    /// Whether the native file already existed.
    pub had_native: bool,
    /// Things the user should know that did not stop the open: unknown labels, an article that
    /// no longer matches the stored text (the stored text wins), …
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Article(#[from] ArticleError),
    #[error(transparent)]
    Native(#[from] NativeError),
}

/// Opens an article or a native file.
///
/// - `a.txt.spanmark.json`: the annotations, with the article beside it when it exists.
/// - `a.txt` (or `.md`, `.html`): the article; its annotations from `a.txt.spanmark.json` when
///   that exists, else a new document for `annotator` with the default schema.
pub fn open(path: &Path, annotator: &str) -> Result<Opened, OpenError> {
    if native::is_native_path(path) {
        let loaded = native::load(path)?;
        let article_path = native::article_beside(path).filter(|p| p.is_file());
        let mut warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
        if let Some(article) = &article_path {
            warnings.extend(drift_warning(&loaded.doc, article));
        }
        return Ok(Opened {
            doc: loaded.doc,
            native_path: path.to_path_buf(),
            article_path,
            had_native: true,
            warnings,
        });
    }
    let native_path = native::path_beside(path);
    if native_path.is_file() {
        let loaded = native::load(&native_path)?;
        let mut warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
        warnings.extend(drift_warning(&loaded.doc, path));
        return Ok(Opened {
            doc: loaded.doc,
            native_path,
            article_path: Some(path.to_path_buf()),
            had_native: true,
            warnings,
        });
    }
    let article = read_article(path)?;
    Ok(Opened {
        doc: new_document(path, article, annotator),
        native_path,
        article_path: Some(path.to_path_buf()),
        had_native: false,
        warnings: Vec::new(),
    })
}

/// A new, empty document for an article read from `path` (whose file name becomes the name).
pub fn new_document(path: &Path, article: Article, annotator: &str) -> Document {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "article".to_string());
    let source = Source {
        name: name.clone(),
        path: Some(name),
        sha256: Some(article.source_sha256),
        encoding: article.encoding,
        bom: article.bom,
    };
    Document::new(
        source,
        Text::new(article.text),
        annotator,
        Schema::default(),
    )
}

/// A warning when the article on disk no longer gives the text stored in the native file.
fn drift_warning(doc: &Document, article: &Path) -> Option<String> {
    let bytes = std::fs::read(article).ok()?;
    if doc.source.sha256.as_deref() == Some(sha256_hex(&bytes).as_str()) {
        return None;
    }
    // Same text from different bytes (e.g. re-saved with a BOM) is not drift.
    if let Ok(current) = read_article(article)
        && current.text == doc.text().as_str()
    {
        return None;
    }
    Some(format!(
        "the article changed since these annotations were made; showing the text stored in the annotation file: {}",
        article.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CharRange;
    use crate::model::marked::label;
    use crate::model::{Edit, Span, SpanId, Timestamp};

    #[test]
    fn article_then_native_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("news.txt");
        std::fs::write(&article, "Lavrov said so.\r\n").unwrap();
        let opened = open(&article, "rita").unwrap();
        assert!(!opened.had_native);
        assert_eq!(opened.doc.annotator, "rita");
        assert_eq!(opened.doc.source.name, "news.txt");
        assert_eq!(opened.doc.text().len_chars(), 17);
        let mut doc = opened.doc;
        let span = Span::new(
            SpanId::numbered(1),
            label("actor"),
            CharRange::new(0, 6).unwrap(),
            "rita",
            Timestamp::from_unix(1),
        );
        doc.apply(&Edit::add(span), "rita", Timestamp::from_unix(1))
            .unwrap();
        native::save(&doc, &opened.native_path).unwrap();
        for path in [&article, &opened.native_path] {
            let again = open(path, "someone-else").unwrap();
            assert!(again.had_native);
            assert_eq!(again.doc.annotator, "rita");
            assert_eq!(again.doc.set().len(), 1);
            assert!(again.warnings.is_empty(), "{:?}", again.warnings);
        }
        assert_eq!(std::fs::read(&article).unwrap(), b"Lavrov said so.\r\n");
        // The article changes: the stored text wins, with a warning.
        std::fs::write(&article, "Mr Lavrov said so.\r\n").unwrap();
        let drifted = open(&article, "rita").unwrap();
        assert_eq!(drifted.doc.text().as_str(), "Lavrov said so.\r\n");
        assert_eq!(drifted.warnings.len(), 1);
    }

    #[test]
    fn errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("image.txt");
        std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
        let err = open(&bin, "x").unwrap_err().to_string();
        assert!(err.contains("image.txt"), "{err}");
        let bad = dir.path().join("a.txt.spanmark.json");
        std::fs::write(&bad, "{").unwrap();
        let err = open(&bad, "x").unwrap_err().to_string();
        assert!(err.contains("a.txt.spanmark.json"), "{err}");
    }
}
