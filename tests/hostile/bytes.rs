//! Arbitrary bytes never panic: one property test per reader, on stable Rust, so CI guards
//! what the fuzz targets in `fuzz/` explore at length.

use std::path::Path;

use proptest::prelude::*;
use spanmark::formats::{ImportOptions, brat, conll, doccano, jsonl, label_studio, w3c};
use spanmark::store::article::{ArticleKind, decode_article};
use spanmark::store::native;

/// Bytes that look a little like the inputs: JSON punctuation, offsets, tabs, tags, UTF-8 and
/// invalid bytes mixed.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..8),
        prop::sample::select(vec![
            b"{".to_vec(),
            b"}".to_vec(),
            b"[".to_vec(),
            b"]".to_vec(),
            b"\"".to_vec(),
            b":".to_vec(),
            b",".to_vec(),
            b"\"text\"".to_vec(),
            b"\"spans\"".to_vec(),
            b"\"start\"".to_vec(),
            b"\"end\"".to_vec(),
            b"\"label\"".to_vec(),
            b"0".to_vec(),
            b"6".to_vec(),
            b"-1".to_vec(),
            b"1e999".to_vec(),
            b"\t".to_vec(),
            b"\n".to_vec(),
            b"\r\n".to_vec(),
            b"T1".to_vec(),
            b"B-PER".to_vec(),
            b"I-".to_vec(),
            b" ".to_vec(),
            "👍🏽".as_bytes().to_vec(),
            "e\u{301}".as_bytes().to_vec(),
            b"\xff".to_vec(),
            b"\0".to_vec(),
            b"\xEF\xBB\xBF".to_vec(),
            b"\"format\":\"spanmark\"".to_vec(),
            b"\"version\":1".to_vec(),
            b"\"value\"".to_vec(),
            b"\"result\"".to_vec(),
        ]),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// JSON values built from the words the formats use, nested a few levels: these get past the
/// parsers into each importer's own logic.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..60).prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        Just(json!(1.5)),
        prop::sample::select(vec![
            "Lavrov said on Monday 👍🏽",
            "Lavrov",
            "actor",
            "ORG",
            "",
            "\r\n",
            "e\u{301}",
            "TextQuoteSelector",
            "TextPositionSelector",
            "TextualBody",
            "tagging",
            "linking",
            "Annotation",
            "AnnotationCollection",
            "labels",
            "relation",
            "text",
            "right",
            "T1",
        ])
        .prop_map(|s| json!(s)),
    ];
    let key = prop::sample::select(vec![
        "type",
        "selector",
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
        "body",
        "target",
        "value",
        "purpose",
        "id",
        "text",
        "spans",
        "label",
        "labels",
        "result",
        "annotations",
        "predictions",
        "data",
        "entities",
        "start_offset",
        "end_offset",
        "relations",
        "from_id",
        "to_id",
        "meta",
        "name",
        "first",
        "items",
        "source",
        "from_name",
        "to_name",
        "paragraphs",
        "direction",
    ]);
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|m| {
                Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

fn options() -> ImportOptions {
    ImportOptions {
        annotator: "fuzz".into(),
        ..ImportOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn native_loader(b in bytes()) {
        let _ = native::from_bytes(Path::new("x.spanmark.json"), &b);
    }

    #[test]
    fn article_decoder(b in bytes()) {
        for kind in [ArticleKind::Text, ArticleKind::Markdown, ArticleKind::Html] {
            let _ = decode_article(Path::new("x.txt"), &b, kind);
        }
    }

    #[test]
    fn jsonl_lines(b in bytes()) {
        let text = String::from_utf8_lossy(&b);
        for (i, line) in text.lines().enumerate() {
            let _ = jsonl::import_line(line, "x.jsonl", i + 1, &options());
        }
    }

    #[test]
    fn doccano(b in bytes()) {
        let _ = doccano::import_str(&String::from_utf8_lossy(&b), "x.jsonl", "x", &options());
    }

    #[test]
    fn label_studio(b in bytes()) {
        let _ = label_studio::import_str(&String::from_utf8_lossy(&b), "x.json", "x", &options());
    }

    #[test]
    fn conll(b in bytes()) {
        let _ = conll::import_str(&String::from_utf8_lossy(&b), "x.conll", "x", &options());
    }

    #[test]
    fn brat(ann in bytes(), txt in bytes()) {
        let _ = brat::import_text(
            &String::from_utf8_lossy(&ann),
            &String::from_utf8_lossy(&txt),
            "x.ann",
            "x.txt",
            &options(),
        );
    }

    #[test]
    fn w3c(value in json_value(), txt in bytes()) {
        let _ = w3c::import_value(&value, "x.jsonld", "x", &String::from_utf8_lossy(&txt), &options());
    }

    /// Structured JSON through the JSON-based importers.
    #[test]
    fn json_importers(value in json_value()) {
        let line = value.to_string();
        let _ = jsonl::import_line(&line, "x.jsonl", 1, &options());
        let _ = doccano::import_str(&line, "x.jsonl", "x", &options());
        let _ = label_studio::import_str(&line, "x.json", "x", &options());
        let _ = native::from_bytes(Path::new("x.spanmark.json"), line.as_bytes());
    }
}
