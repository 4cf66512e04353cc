//! The article decoder: any bytes as a .txt, .md or .html article. Decoded text never holds
//! U+0000 and is never empty.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use spanmark::store::article::{ArticleKind, decode_article};

fuzz_target!(|data: &[u8]| {
    for kind in [ArticleKind::Text, ArticleKind::Markdown, ArticleKind::Html] {
        if let Ok(article) = decode_article(Path::new("fuzz.txt"), data, kind) {
            assert!(!article.text.contains('\0'));
            assert!(!article.text.trim().is_empty());
        }
    }
});
