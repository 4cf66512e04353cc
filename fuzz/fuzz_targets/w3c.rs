//! The W3C Web Annotation importer on any JSON, about a fixed article (or, after a NUL byte in
//! the input, about the bytes that follow it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use spanmark::formats::{ImportOptions, w3c};
use spanmark::store::native;

fuzz_target!(|data: &[u8]| {
    let (json, text) = match data.iter().position(|&b| b == 0) {
        Some(i) => (
            &data[..i],
            String::from_utf8_lossy(&data[i + 1..]).into_owned(),
        ),
        None => (
            data,
            "Lavrov said on Monday that NATO regretted it.".to_string(),
        ),
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(json) else {
        return;
    };
    let report = w3c::import_value(
        &value,
        "fuzz.jsonld",
        "fuzz",
        &text,
        &ImportOptions::default(),
    );
    for imported in &report.documents {
        let bytes = native::to_bytes(&imported.doc);
        native::from_bytes(std::path::Path::new("x.spanmark.json"), &bytes)
            .expect("an imported document saves and loads");
    }
});
