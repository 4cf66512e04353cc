//! Opening what a user points at: an article (with its native file when one sits beside it) or a
//! native file. The article itself is only ever read.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::{Document, Schema, Source, Text};
use crate::progress::Progress;
use crate::store::article::{Article, ArticleError, ArticleKind, decode_article};
use crate::store::guard::FileStamp;
use crate::store::native::{self, NativeError};

/// How much is read between two progress reports (and cancel checks).
const CHUNK_BYTES: usize = 1 << 20;

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
    /// The stamp of the annotation file as read, to notice later changes on disk; `None` when
    /// it was not read here (there was none, or the document was made another way).
    pub stamp: Option<FileStamp>,
    /// What checking the history's chain found while the annotation file was read, when it
    /// was (see [`native::Loaded::chain`]).
    pub chain: Option<native::chain::Verification>,
}

impl Opened {
    /// A document not read from a file (made here, the sample, a merge), saved to `native_path`.
    pub fn unsaved(doc: Document, native_path: PathBuf) -> Self {
        Self {
            doc,
            native_path,
            article_path: None,
            had_native: false,
            warnings: Vec::new(),
            stamp: None,
            chain: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Article(#[from] ArticleError),
    #[error(transparent)]
    Native(#[from] NativeError),
    /// [`open_with_progress`] was cancelled.
    #[error("cancelled")]
    Cancelled,
}

/// Opens an article or a native file.
///
/// - `a.txt.spanmark.json`: the annotations, with the article beside it when it exists.
/// - `a.txt` (or `.md`, `.html`): the article; its annotations from `a.txt.spanmark.json` when
///   that exists, else a new document for `annotator` with the default schema.
pub fn open(path: &Path, annotator: &str) -> Result<Opened, OpenError> {
    open_with_progress(path, annotator, &Progress::new())
}

/// [`open`], reporting on `progress` the bytes of every file it reads (`reading`), each read
/// once; the spans are checked as they are read. Stops with [`OpenError::Cancelled`] between
/// chunks of 1 MiB when it is cancelled.
pub fn open_with_progress(
    path: &Path,
    annotator: &str,
    progress: &Progress,
) -> Result<Opened, OpenError> {
    let native_path = if native::is_native_path(path) {
        path.to_path_buf()
    } else {
        native::path_beside(path)
    };
    let article_path = if native::is_native_path(path) {
        native::article_beside(path).filter(|p| p.is_file())
    } else {
        Some(path.to_path_buf())
    };
    // A native file named by the user is read (and reported) even when it is not there.
    let has_native = native::is_native_path(path) || native_path.is_file();
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let total =
        if has_native { size(&native_path) } else { 0 } + article_path.as_deref().map_or(0, size);
    progress.start_bytes("reading", total);
    let reader = Reader { progress };
    if !has_native {
        let article = reader.article(path)?;
        progress.check().map_err(|_| OpenError::Cancelled)?;
        return Ok(Opened {
            article_path,
            ..Opened::unsaved(new_document(path, article, annotator), native_path)
        });
    }
    // The article beside is read first, for its digest only, so that its bytes are gone
    // before the document is built.
    let article_sha256 = match &article_path {
        Some(article) => match reader.digest(article) {
            Ok(sha256) => Some(sha256),
            Err(ReadError::Cancelled) => return Err(OpenError::Cancelled),
            // An article that cannot be read is no drift warning; the annotations still open.
            Err(ReadError::Io(_)) => None,
        },
        None => None,
    };
    // The spans are parsed and checked as the file is read (see `native::load_streaming`).
    let streamed = native::load_streaming(&native_path, &mut |n| {
        progress.advance(n as u64);
        match progress.check() {
            Ok(()) => Ok(()),
            Err(_) => Err(std::io::Error::other("cancelled")),
        }
    });
    let (loaded, stamp) = match streamed {
        Ok(done) => done,
        Err(_) if progress.is_cancelled() => return Err(OpenError::Cancelled),
        Err(e) => return Err(e.into()),
    };
    progress.check().map_err(|_| OpenError::Cancelled)?;
    let mut warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    if let (Some(article), Some(sha256)) = (&article_path, &article_sha256) {
        warnings.extend(drift_warning(&loaded.doc, article, sha256));
    }
    Ok(Opened {
        doc: loaded.doc,
        native_path,
        article_path,
        had_native: true,
        warnings,
        stamp: Some(stamp),
        chain: Some(loaded.chain),
    })
}

enum ReadError {
    Cancelled,
    Io(std::io::Error),
}

/// Reads files whole, chunk by chunk, counting bytes on a progress.
struct Reader<'a> {
    progress: &'a Progress,
}

impl Reader<'_> {
    /// Reads the file at `path` in chunks of [`CHUNK_BYTES`], handing each to `take` and
    /// counting it; stops between chunks when cancelled.
    fn chunks(&self, path: &Path, mut take: impl FnMut(&[u8])) -> Result<(), ReadError> {
        let mut file = std::fs::File::open(path).map_err(ReadError::Io)?;
        let mut chunk = vec![0; CHUNK_BYTES];
        loop {
            if self.progress.is_cancelled() {
                return Err(ReadError::Cancelled);
            }
            let n = file.read(&mut chunk).map_err(ReadError::Io)?;
            if n == 0 {
                return Ok(());
            }
            take(&chunk[..n]);
            self.progress.advance(n as u64);
        }
    }

    fn read(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        let len = std::fs::metadata(path).map_or(0, |m| m.len());
        let mut out = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        self.chunks(path, |chunk| out.extend_from_slice(chunk))?;
        Ok(out)
    }

    /// The SHA-256 of the file at `path`, read chunk by chunk and not kept.
    fn digest(&self, path: &Path) -> Result<String, ReadError> {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        self.chunks(path, |chunk| hash.update(chunk))?;
        Ok(crate::model::text::hex(&hash.finalize()))
    }

    fn article(&self, path: &Path) -> Result<Article, OpenError> {
        let bytes = self.read(path).map_err(|e| match e {
            ReadError::Cancelled => OpenError::Cancelled,
            ReadError::Io(source) => OpenError::Article(ArticleError::Read {
                path: path.to_path_buf(),
                source,
            }),
        })?;
        self.progress.start("decoding the article", 0);
        Ok(decode_article(path, &bytes, ArticleKind::from_path(path))?)
    }
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

/// A warning when the article (whose bytes have the digest `sha256`) no longer gives the text
/// stored in the native file.
fn drift_warning(doc: &Document, article: &Path, sha256: &str) -> Option<String> {
    if doc.source.sha256.as_deref() == Some(sha256) {
        return None;
    }
    // Same text from different bytes (e.g. re-saved with a BOM) is not drift. Only here, off
    // the common path, is the article read again and decoded.
    if let Ok(bytes) = std::fs::read(article)
        && let Ok(current) = decode_article(article, &bytes, ArticleKind::from_path(article))
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
    fn opening_counts_the_bytes_of_each_file_once_and_can_be_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("big.txt");
        let text = "Lavrov said so. ".repeat(200_000);
        std::fs::write(&article, &text).unwrap();
        let doc = open(&article, "rita").unwrap().doc;
        let native_path = native::path_beside(&article);
        native::save(&doc, &native_path).unwrap();
        let size = |p: &Path| std::fs::metadata(p).unwrap().len();
        let chunks = |p: &Path| {
            std::fs::metadata(p)
                .unwrap()
                .len()
                .div_ceil(CHUNK_BYTES as u64)
        };
        for path in [&article, &native_path] {
            let notified = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let count = notified.clone();
            let progress = Progress::with_notify(move || {
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });
            let opened = open_with_progress(path, "rita", &progress).unwrap();
            assert!(opened.had_native);
            assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
            // The stamp of the file as read, for noticing later changes on disk.
            assert_eq!(opened.stamp, FileStamp::of(&native_path));
            // Each file is read once, and every byte counted.
            let s = progress.snapshot();
            assert_eq!((s.phase.as_str(), s.done), ("reading", s.total));
            assert_eq!(s.total, size(&article) + size(&native_path));
            // A report at least every MiB.
            assert!(
                notified.load(std::sync::atomic::Ordering::Relaxed)
                    > chunks(&article) + chunks(&native_path)
            );
        }
        let cancelled = Progress::new();
        cancelled.cancel();
        assert!(matches!(
            open_with_progress(&article, "rita", &cancelled),
            Err(OpenError::Cancelled)
        ));
        // A native file named but missing is reported as such, not read as an article.
        let missing = dir.path().join("gone.txt.spanmark.json");
        let err = open(&missing, "rita").unwrap_err();
        assert!(matches!(err, OpenError::Native(_)), "{err}");
        assert!(err.to_string().contains("gone.txt.spanmark.json"), "{err}");
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
