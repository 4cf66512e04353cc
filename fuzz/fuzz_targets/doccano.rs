//! The doccano JSONL importer on any text: every document it makes saves and loads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spanmark::formats::{ImportOptions, doccano};
use spanmark::store::native;

fuzz_target!(|data: &[u8]| {
    let options = ImportOptions::default();
    let report = doccano::import_str(&String::from_utf8_lossy(data), "fuzz", "fuzz", &options);
    for imported in &report.documents {
        let bytes = native::to_bytes(&imported.doc);
        native::from_bytes(std::path::Path::new("x.spanmark.json"), &bytes)
            .expect("an imported document saves and loads");
    }
});
