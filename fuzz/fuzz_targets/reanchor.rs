//! Re-anchoring: an old text with spans every few characters, and any new text (the input is
//! split at its first NUL byte: old text, then new). The result is always a valid document
//! whose every span is either placed or orphaned, and a span reported unchanged or moved
//! covers exactly its old text (line endings aside).
#![no_main]

use libfuzzer_sys::fuzz_target;
use spanmark::model::{
    CharOffset, CharRange, Document, Edit, Label, Schema, Source, Span, SpanId, Text, Timestamp,
};
use spanmark::store::article::{Article, ArticleKind};
use spanmark::store::native;
use spanmark::store::reanchor::{Outcome, reanchor};

fuzz_target!(|data: &[u8]| {
    let Some(cut) = data.iter().position(|&b| b == 0) else {
        return;
    };
    let old = String::from_utf8_lossy(&data[..cut]).replace('\0', "");
    let new = String::from_utf8_lossy(&data[cut + 1..]).replace('\0', "");
    let text = Text::new(old);
    let mut doc = Document::new(Source::default(), text.clone(), "f", Schema::default());
    let label = Label::new("claim").unwrap();
    let n = text.len_chars();
    for (i, start) in (0..n).step_by(5).enumerate() {
        let (s, e) = (
            text.grapheme_floor(CharOffset(start)),
            text.grapheme_ceil(CharOffset((start + 3 + i % 7).min(n))),
        );
        if s < e {
            let span = Span::new(
                SpanId::numbered(i as u64 + 1),
                label.clone(),
                CharRange::between(s, e),
                "f",
                Timestamp::from_unix(0),
            );
            let _ = doc.apply(&Edit::add(span), "f", Timestamp::from_unix(0));
        }
    }
    let article = Article {
        text: new,
        encoding: "UTF-8".into(),
        bom: false,
        kind: ArticleKind::Text,
        source_sha256: String::new(),
    };
    let out = reanchor(&doc, &article, "f", Timestamp::from_unix(1));
    assert_eq!(
        out.doc.set().len() + out.doc.orphans.spans.len(),
        doc.set().len()
    );
    let fold = |s: &str| s.replace("\r\n", "\n").replace('\r', "\n");
    for s in &out.report.spans {
        if matches!(s.outcome, Outcome::Unchanged | Outcome::Moved) {
            assert_eq!(fold(s.text.as_deref().unwrap_or("")), fold(&s.quote));
        }
    }
    let bytes = native::to_bytes(&out.doc);
    native::from_bytes(std::path::Path::new("x.spanmark.json"), &bytes)
        .expect("a re-anchored document saves and loads");
});
