//! The native loader: any bytes as an annotation file. A load either fails with an error or
//! gives a document that saves and loads back to the same document.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use spanmark::store::native;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.spanmark.json");
    if let Ok(loaded) = native::from_bytes(path, data) {
        let bytes = native::to_bytes(&loaded.doc);
        let again = native::from_bytes(path, &bytes).expect("a saved document loads");
        assert_eq!(
            again.doc, loaded.doc,
            "save and load give back the document"
        );
    }
});
