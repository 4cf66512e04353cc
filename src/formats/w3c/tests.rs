use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::formats::{ImportOptions, OffsetUnit};
use crate::model::marked::{label, marked};
use crate::model::{
    CharRange, Document, Edit, Relation, Schema, Source, Span, SpanId, Text, Timestamp,
};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/w3c/w3c__web-annotation"
);
const EXAMPLES: &str = "admin/annotation/2016/examples/json";

fn options() -> ImportOptions {
    ImportOptions {
        annotator: "imp".into(),
        at: Timestamp::from_unix(7),
        ..Default::default()
    }
}

fn sample() -> Document {
    let (text, spans) =
        marked("[[Lavrov]{actor} 👨🏻‍🚒 [said]{action}]{claim}\r\non [Monday]{date}, e\u{301} \"ok\"");
    let mut doc = Document::new(
        Source {
            name: "russia nato.txt".into(),
            ..Default::default()
        },
        Text::new(text),
        "alice b",
        Schema::default(),
    );
    let t = |s| Timestamp::from_unix(s);
    for mut s in spans {
        s.created = t(100);
        s.modified = t(200);
        s.author = "alice b".into();
        doc.apply(&Edit::add(s), "alice b", t(0)).unwrap();
    }
    let set = doc.set().clone();
    let id = |s: &str| SpanId::new(s).unwrap();
    doc.apply(
        &Edit::set_note(&set, &id("s2"), Some("the minister".into()), t(300)).unwrap(),
        "alice b",
        t(300),
    )
    .unwrap();
    let mut pieces = Span::new(
        id("T*1"),
        label("claim"),
        CharRange::new(0, 27).unwrap(),
        "bob",
        t(50),
    );
    pieces.fragments = vec![
        CharRange::new(0, 6).unwrap(),
        CharRange::new(21, 27).unwrap(),
    ];
    doc.apply(&Edit::add(pieces), "alice b", t(0)).unwrap();
    doc.apply(
        &Edit::AddRelation(Relation {
            id: id("r1"),
            kind: label("said by"),
            from: id("s1"),
            to: id("s2"),
            author: "alice b".into(),
            created: t(400),
            status: crate::model::Status::Pending,
            note: Some("why".into()),
            attrs: Default::default(),
        }),
        "alice b",
        t(0),
    )
    .unwrap();
    doc
}

fn exported(doc: &Document) -> Value {
    let (files, loss) = export(doc);
    assert!(loss.is_empty(), "{loss:?}");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].suffix, ".jsonld");
    serde_json::from_slice(&files[0].bytes).unwrap()
}

#[test]
fn export_has_the_shape_of_the_model() {
    let doc = sample();
    let v = exported(&doc);
    let sha = crate::store::hash::sha256_hex(doc.text().as_str().as_bytes());
    assert_eq!(v["@context"], CONTEXT);
    assert_eq!(v["type"], "AnnotationCollection");
    assert_eq!(v["id"], format!("urn:spanmark:{sha}:alice%20b"));
    assert_eq!(v["label"], "russia nato.txt");
    assert_eq!(v["total"], 6);
    let items = v["first"]["items"].as_array().unwrap();
    assert_eq!(v["first"]["type"], "AnnotationPage");
    assert_eq!(items.len(), 6);
    // The first span: "Lavrov", with its note.
    let a = &items[0];
    assert_eq!(a["id"], format!("urn:spanmark:{sha}:alice%20b:span:s2"));
    assert_eq!(a["type"], "Annotation");
    assert_eq!(a["motivation"], "tagging");
    assert_eq!(
        a["body"],
        json!([
            {"type": "TextualBody", "purpose": "tagging", "value": "actor"},
            {"type": "TextualBody", "purpose": "commenting", "value": "the minister"}
        ])
    );
    assert_eq!(a["target"]["source"], format!("urn:spanmark:{sha}"));
    assert_eq!(
        a["target"]["selector"],
        json!([
            {"type": "TextQuoteSelector", "exact": "Lavrov", "prefix": "", "suffix": " 👨🏻‍🚒 said\r\non Monday, e\u{301} \"ok\""},
            {"type": "TextPositionSelector", "start": 0, "end": 6}
        ])
    );
    assert_eq!(
        a["creator"],
        json!({"type": "Person", "nickname": "alice b"})
    );
    assert_eq!(a["created"], "1970-01-01T00:01:40Z");
    assert_eq!(a["modified"], "1970-01-01T00:05:00Z");
    // The discontinuous span: one target per piece.
    let d = items
        .iter()
        .find(|i| i["id"].as_str().unwrap().ends_with(":span:T%2A1"))
        .unwrap();
    let targets = d["target"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[1]["selector"][0]["exact"], "Monday");
    assert_eq!(targets[1]["selector"][1]["start"], 21);
    // The relation: a linking annotation from one span's annotation to the other's.
    let r = items.last().unwrap();
    assert_eq!(r["motivation"], "linking");
    assert_eq!(r["target"], format!("urn:spanmark:{sha}:alice%20b:span:s1"));
    assert_eq!(r["body"][0]["value"], "said by");
    assert_eq!(
        r["body"][1],
        format!("urn:spanmark:{sha}:alice%20b:span:s2")
    );
    assert_eq!(r["body"][2]["purpose"], "commenting");
}

/// The terms `anno.jsonld` defines.
fn context_terms() -> BTreeSet<String> {
    let context: Value = serde_json::from_slice(
        &std::fs::read(Path::new(FIXTURES).join("jsonld/anno.jsonld")).unwrap(),
    )
    .unwrap();
    context["@context"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// Every key is a term of the official context; every `type`, `motivation` and `purpose` is one
/// of its terms; every IRI is an absolute `urn:` without spaces.
fn check_terms(v: &Value, terms: &BTreeSet<String>, key: &str) {
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                assert!(k == "@context" || terms.contains(k), "{k} is not a term");
                check_terms(child, terms, k);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| check_terms(i, terms, key)),
        Value::String(s) => match key {
            "type" | "motivation" | "purpose" => assert!(terms.contains(s), "{s} is not a term"),
            "id" | "source" | "target" | "body" | "first" | "partOf" => {
                assert!(s.starts_with("urn:spanmark:"), "{key}: {s}");
                assert!(!s.contains(char::is_whitespace), "{s}");
            }
            _ => {}
        },
        _ => {}
    }
}

#[test]
fn export_uses_only_terms_of_the_official_context() {
    let terms = context_terms();
    assert!(terms.contains("TextQuoteSelector"));
    check_terms(&exported(&sample()), &terms, "");
}

type SpanView = (
    String,
    String,
    CharRange,
    Vec<CharRange>,
    Option<String>,
    String,
    Timestamp,
    Timestamp,
);

fn spans(doc: &Document) -> Vec<SpanView> {
    doc.set()
        .spans()
        .map(|s| {
            (
                s.id.to_string(),
                s.label.to_string(),
                s.range,
                s.fragments.clone(),
                s.note.clone(),
                s.author.to_string(),
                s.created,
                s.modified,
            )
        })
        .collect()
}

fn relations(doc: &Document) -> Vec<(String, String, String, String, Option<String>, String)> {
    doc.set()
        .relations()
        .map(|r| {
            (
                r.id.to_string(),
                r.kind.to_string(),
                r.from.to_string(),
                r.to.to_string(),
                r.note.clone(),
                r.author.clone(),
            )
        })
        .collect()
}

#[test]
fn export_then_import_gives_the_same_spans_and_relations() {
    let doc = sample();
    let v = exported(&doc);
    let report = import_value(&v, "x.jsonld", "x", doc.text().as_str(), &options());
    assert!(report.problems.is_empty());
    let again = &report.documents[0];
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    assert_eq!(spans(&again.doc), spans(&doc));
    assert_eq!(relations(&again.doc), relations(&doc));
    assert_eq!(again.doc.source.name, "russia nato.txt");
    assert!(
        again
            .doc
            .set()
            .spans()
            .all(|s| again.doc.schema.contains(&s.label))
    );
    // Through a file too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonld");
    std::fs::write(&path, &export(&doc).0[0].bytes).unwrap();
    let report = import(&path, doc.text().as_str(), &options());
    assert_eq!(spans(&report.documents[0].doc), spans(&doc));
}

#[test]
fn attributes_are_counted_as_lost() {
    let mut doc = sample();
    let set = doc.set().clone();
    let at = Timestamp::from_unix(0);
    let iso = Edit::set_attr(
        &set,
        &SpanId::new("s4").unwrap(),
        "iso",
        Some("x".into()),
        at,
    );
    doc.apply(&iso.unwrap(), "a", at).unwrap();
    let (_, loss) = export(&doc);
    assert_eq!(loss.counts.get("span attributes"), Some(&1));
}

fn strip_positions(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(selectors)) = o.get_mut("selector") {
                selectors.retain(|s| s["type"] != "TextPositionSelector");
            }
            o.values_mut().for_each(strip_positions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_positions),
        _ => {}
    }
}

#[test]
fn a_quote_alone_is_found_by_its_context() {
    let doc = sample();
    let mut v = exported(&doc);
    strip_positions(&mut v);
    let report = import_value(&v, "q", "q", doc.text().as_str(), &options());
    let again = &report.documents[0];
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    assert_eq!(spans(&again.doc), spans(&doc));
    // An ambiguous quote, and one that is not there, are reported.
    let text = "ok ok";
    let a = |exact: &str| {
        json!({"type": "Annotation", "id": "http://example.org/1",
               "body": {"type": "TextualBody", "purpose": "tagging", "value": "x"},
               "target": {"source": "http://example.org/page",
                          "selector": {"type": "TextQuoteSelector", "exact": exact}}})
    };
    let report = import_value(&json!([a("ok"), a("no")]), "q", "q", text, &options());
    let p = &report.documents[0].problems;
    assert_eq!(p.len(), 2);
    assert!(p[0].starts_with("q: annotation 1 (http://example.org/1): the TextQuoteSelector \"ok\" is in the text 2 times"), "{p:?}");
    assert!(p[1].contains("\"no\" (with its prefix and suffix) is not in the text"));
}

#[test]
fn utf16_positions_are_recognised() {
    let text = "💩This is an annotation.";
    let v = json!({
        "type": "Annotation", "motivation": "tagging",
        "body": {"type": "TextualBody", "value": "claim"},
        "target": {"source": "http://example.org/doc", "selector": [
            {"type": "TextPositionSelector", "start": 13, "end": 23},
            {"type": "TextQuoteSelector", "exact": "annotation"}]}
    });
    let report = import_value(&v, "u", "u", text, &options());
    let d = &report.documents[0];
    assert_eq!(d.doc.set().len(), 0);
    assert!(
        d.problems[0].contains("--offsets utf16"),
        "{:?}",
        d.problems
    );
    let utf16 = ImportOptions {
        offsets: OffsetUnit::Utf16,
        ..options()
    };
    let report = import_value(&v, "u", "u", text, &utf16);
    let d = &report.documents[0];
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    let span = d.doc.set().spans().next().unwrap();
    assert_eq!(span.range, CharRange::new(12, 22).unwrap());
    assert_eq!(span.label.as_str(), "claim");
}

#[test]
fn annotations_of_another_text_are_reported() {
    let doc = sample();
    let report = import_value(&exported(&doc), "o", "o", "some other text", &options());
    let d = &report.documents[0];
    assert_eq!(d.doc.set().len(), 0);
    // 5 spans on another text, and the relation between two of them.
    assert_eq!(d.problems.len(), 6, "{:?}", d.problems);
    assert!(d.problems[0].contains("its target is another text"));
    assert!(d.problems[5].contains("which is not a span read from this file"));
}

/// The W3C model's own examples: none is a tagged stretch of a text, so none becomes a span,
/// and every one is reported with its reason. Nothing is dropped without a word.
#[test]
fn the_specification_examples_are_each_accounted_for() {
    let text = "this is an anotation that has some text before the Selected Text and text after it";
    let cases = [
        ("anno12.json", "its target has no selector"),
        ("anno18.json", "its target is a whole resource"),
        ("anno21.json", "no tagging body"),
        ("anno26.json", "no tagging body"),
        ("anno27.json", "no tagging body"),
        ("anno32.json", "no tagging body"),
        ("anno41.json", "its selector is refined by another"),
    ];
    for (file, why) in cases {
        let report = import(
            &Path::new(FIXTURES).join(EXAMPLES).join(file),
            text,
            &options(),
        );
        assert!(report.problems.is_empty(), "{file}: {:?}", report.problems);
        let d = &report.documents[0];
        assert_eq!(d.doc.set().len(), 0, "{file}");
        assert_eq!(d.problems.len(), 1, "{file}: {:?}", d.problems);
        assert!(d.problems[0].contains(why), "{file}: {:?}", d.problems);
        assert!(d.problems[0].ends_with("; not taken"), "{file}");
    }
    let report = import(
        &Path::new(FIXTURES).join(EXAMPLES).join("collection1.json"),
        text,
        &options(),
    );
    let d = &report.documents[0];
    assert_eq!(
        d.problems.len(),
        41,
        "every annotation of the collection, by number"
    );
    assert!(d.problems[40].starts_with(&format!(
        "{FIXTURES}/{EXAMPLES}/collection1.json: annotation 41 (http://example.org/anno41)"
    )));
    assert_eq!(d.doc.source.name, "Annotation Examples");
    // anno26 becomes a span once it carries a tag: its quote is found by its context.
    let mut anno26: Value = serde_json::from_slice(
        &std::fs::read(Path::new(FIXTURES).join(EXAMPLES).join("anno26.json")).unwrap(),
    )
    .unwrap();
    anno26["body"] = json!({"type": "TextualBody", "purpose": "tagging", "value": "typo"});
    let report = import_value(&anno26, "a", "a", text, &options());
    let d = &report.documents[0];
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    let span = d.doc.set().spans().next().unwrap();
    assert_eq!(d.doc.set().span_text(span), "anotation");
}

#[test]
fn not_annotations_at_all() {
    let report = import_value(&json!({"a": 1}), "n.json", "n", "t", &options());
    assert!(report.documents.is_empty());
    assert!(report.problems[0].contains("not a W3C annotation"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonld");
    std::fs::write(&path, "{").unwrap();
    let report = import(&path, "t", &options());
    assert!(report.problems[0].starts_with("not valid JSON at line 1"));
}

#[test]
fn iri_parts_are_percent_encoded_both_ways() {
    for s in ["alice", "alice b", "T*1", "é/日本:x%", ""] {
        assert_eq!(decode(&encode(s)).as_deref(), Some(s));
        assert!(encode(s).bytes().all(|b| b.is_ascii_graphic()));
        assert!(!encode(s).contains(':'));
    }
    assert_eq!(decode("%4"), None);
}
