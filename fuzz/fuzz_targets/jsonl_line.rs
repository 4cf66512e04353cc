//! The JSONL importer's line reader: each line of any text as a spaCy/Prodigy record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spanmark::formats::{ImportOptions, jsonl};

fuzz_target!(|data: &[u8]| {
    let options = ImportOptions::default();
    let text = String::from_utf8_lossy(data);
    for (i, line) in text.lines().enumerate() {
        if let Ok(read) = jsonl::import_line(line, "fuzz.jsonl", i + 1, &options) {
            // Whatever was taken is a valid document.
            let bytes = spanmark::store::native::to_bytes(&read.imported.doc);
            spanmark::store::native::from_bytes(std::path::Path::new("x.spanmark.json"), &bytes)
                .expect("an imported document saves and loads");
        }
    }
});
