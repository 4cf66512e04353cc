//! The brat importer on any .ann and .txt (the input is split at its first NUL byte).
#![no_main]

use libfuzzer_sys::fuzz_target;
use spanmark::formats::{ImportOptions, brat};
use spanmark::store::native;

fuzz_target!(|data: &[u8]| {
    let (ann, txt) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"Lavrov said on Monday that NATO regretted it."[..]),
    };
    let options = ImportOptions::default();
    let doc = brat::import_text(
        &String::from_utf8_lossy(ann),
        &String::from_utf8_lossy(txt),
        "fuzz.ann",
        "fuzz.txt",
        &options,
    );
    let bytes = native::to_bytes(&doc.doc);
    native::from_bytes(std::path::Path::new("x.spanmark.json"), &bytes)
        .expect("an imported document saves and loads");
});
