use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::formats::{ImportOptions, ImportReport, Loss, OffsetUnit, Problem, build};
use crate::model::{CharRange, Document, Edit, Label, Span, SpanId, Text, Timestamp};

fn options(offsets: OffsetUnit) -> ImportOptions {
    ImportOptions {
        annotator: "imp".into(),
        offsets,
        offsets_named: true,
        at: Timestamp::from_unix(7),
        ..ImportOptions::default()
    }
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/doccano")
        .join(rel)
}

/// `(start, end, label)` of every span, in order.
fn spans(doc: &Document) -> Vec<(usize, usize, String)> {
    doc.set()
        .spans()
        .map(|s| (s.range.start().0, s.range.end().0, s.label.to_string()))
        .collect()
}

fn export_str(docs: &[&Document], form: Option<Form>, unit: OffsetUnit) -> (String, Loss) {
    let mut out = Vec::new();
    let loss = export(docs, form, unit, &mut out).unwrap();
    (String::from_utf8(out).unwrap(), loss)
}

/// Import → export → import gives the same spans, relations and kept fields.
fn round_trip(report: &ImportReport) {
    let docs: Vec<&Document> = report.documents.iter().map(|d| &d.doc).collect();
    let (out, loss) = export_str(&docs, None, OffsetUnit::UnicodeScalar);
    assert!(loss.is_empty(), "{loss:?}");
    let again = import_str(
        &out,
        "again.jsonl",
        "again",
        &options(OffsetUnit::UnicodeScalar),
    );
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    assert_eq!(again.documents.len(), report.documents.len());
    for (a, b) in again.documents.iter().zip(&report.documents) {
        assert_eq!(spans(&a.doc), spans(&b.doc));
        let rel = |d: &Document| -> Vec<(String, String, String)> {
            d.set()
                .relations()
                .map(|r| {
                    let label = |id: &SpanId| d.set().get(id).unwrap().range.to_string();
                    (label(&r.from), label(&r.to), r.kind.to_string())
                })
                .collect()
        };
        assert_eq!(rel(&a.doc), rel(&b.doc));
        assert_eq!(a.doc.meta, b.doc.meta);
        let copies = |d: &Document| -> Vec<Option<String>> {
            d.set()
                .spans()
                .map(|s| s.attrs.get(COPIES).cloned())
                .collect()
        };
        assert_eq!(copies(&a.doc), copies(&b.doc));
    }
}

#[test]
fn every_fixture_imports_without_losing_a_span_and_round_trips() {
    // (file, documents, spans, relations, problems)
    let cases = [
        (
            "doccano__doccano/backend/data_export/pipeline/examples/sequence_labeling/example.jsonl",
            3,
            4,
            0,
            0,
        ),
        (
            "doccano__doccano/backend/data_export/pipeline/examples/relation_extraction/example.jsonl",
            1,
            4,
            3,
            0,
        ),
        (
            "doccano__doccano/backend/data_import/pipeline/examples/sequence_labeling/example.jsonl",
            3,
            3,
            0,
            0,
        ),
        (
            "doccano__doccano/backend/data_import/pipeline/examples/relation_extraction/example.jsonl",
            1,
            4,
            3,
            0,
        ),
        (
            "doccano__doccano/backend/data_import/tests/data/relation_extraction/example.jsonl",
            1,
            4,
            3,
            0,
        ),
        // The third record has no text: reported, the file's other records kept.
        (
            "doccano__doccano/backend/data_import/tests/data/sequence_labeling/example.jsonl",
            2,
            1,
            0,
            1,
        ),
        // The same span twice: kept once, counted, reported.
        (
            "doccano__doccano/backend/data_import/tests/data/sequence_labeling/example_overlapping.jsonl",
            1,
            1,
            0,
            1,
        ),
        // doccano 1.x: two users on the first record, one on the second.
        (
            "doccano__doccano-transformer/tests/data/labeling/labeling.jsonl",
            3,
            16,
            0,
            0,
        ),
        (
            "doccano__doccano-transformer/tests/data/labeling/labeling_text_label.jsonl",
            2,
            11,
            0,
            0,
        ),
    ];
    for (file, n_docs, n_spans, n_relations, n_problems) in cases {
        let report = import(&fixture(file), &options(OffsetUnit::UnicodeScalar));
        let problems: Vec<&Problem> = report
            .problems
            .iter()
            .chain(report.documents.iter().flat_map(|d| &d.problems))
            .collect();
        assert_eq!(problems.len(), n_problems, "{file}: {problems:#?}");
        assert_eq!(report.documents.len(), n_docs, "{file}");
        let total: usize = report.documents.iter().map(|d| d.doc.set().len()).sum();
        assert_eq!(total, n_spans, "{file}");
        let rels: usize = report
            .documents
            .iter()
            .map(|d| d.doc.set().relations().count())
            .sum();
        assert_eq!(rels, n_relations, "{file}");
        round_trip(&report);
    }
}

#[test]
fn the_overlapping_fixture_keeps_its_repeat_as_a_count_and_writes_it_back() {
    let file = "doccano__doccano/backend/data_import/tests/data/sequence_labeling/example_overlapping.jsonl";
    let report = import(&fixture(file), &options(OffsetUnit::UnicodeScalar));
    let doc = &report.documents[0].doc;
    let span = doc.set().spans().next().unwrap();
    assert_eq!(span.attrs.get(COPIES).map(String::as_str), Some("2"));
    assert!(report.documents[0].problems[0].contains("kept once"));
    let (out, _) = export_str(&[doc], None, OffsetUnit::UnicodeScalar);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["label"], json!([[0, 1, "LOC"], [0, 1, "LOC"]]));
    assert_eq!(v["meta"], json!({"wikiPageID": 1}));
}

#[test]
fn old_exports_split_by_user_and_keep_their_fields() {
    let report = import(
        &fixture("doccano__doccano-transformer/tests/data/labeling/labeling.jsonl"),
        &options(OffsetUnit::UnicodeScalar),
    );
    let who: Vec<(&str, &str, usize)> = report
        .documents
        .iter()
        .map(|d| {
            (
                d.doc.source.name.as_str(),
                d.doc.annotator.as_str(),
                d.doc.set().len(),
            )
        })
        .collect();
    assert_eq!(
        who,
        [
            ("labeling-1-user1", "doccano user 1", 5),
            ("labeling-1-user2", "doccano user 2", 5),
            ("labeling-2-user2", "doccano user 2", 6),
        ]
    );
    let doc = &report.documents[0].doc;
    assert_eq!(doc.meta["doccano"]["id"], 2578);
    assert_eq!(doc.meta["doccano"]["annotation_approver"], Value::Null);
    // Label ids become label names, which --map can rename.
    let first = doc.set().spans().next().unwrap();
    assert_eq!(
        (first.label.as_str(), doc.set().span_text(first)),
        ("12", "JAPAN")
    );
}

#[test]
fn renamed_columns_are_found() {
    let report = import(
        &fixture(
            "doccano__doccano/backend/data_import/pipeline/examples/sequence_labeling/example.jsonl",
        ),
        &options(OffsetUnit::UnicodeScalar),
    );
    let doc = &report.documents[2].doc;
    assert_eq!(doc.text().as_str(), "President Obama");
    let span = doc.set().spans().next().unwrap();
    assert_eq!(doc.set().span_text(span), "Obama");
    assert!(doc.meta.is_empty(), "{:?}", doc.meta);
}

#[test]
fn utf16_offsets_and_the_question_when_the_unit_is_not_named() {
    // doccano #2290: "firetrucks" is 22..32 in UTF-16, 19..29 in characters.
    let line =
        r#"{"text": "👨🏻‍🚒 firemen drive firetrucks", "label": [[22, 32, "VEHICLE"], [16, 21, "X"]]}"#;
    let read = import_str(line, "d.jsonl", "d", &options(OffsetUnit::Utf16));
    assert!(
        read.documents[0].problems.is_empty(),
        "{:?}",
        read.documents[0].problems
    );
    let doc = &read.documents[0].doc;
    let texts: Vec<&str> = doc.set().spans().map(|s| doc.set().span_text(s)).collect();
    assert_eq!(texts, ["drive", "firetrucks"]);
    // And written back in UTF-16 as it came.
    let (out, _) = export_str(&[doc], None, OffsetUnit::Utf16);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["label"], json!([[16, 21, "X"], [22, 32, "VEHICLE"]]));

    // Read as characters without saying so: the spans after the emoji are questioned.
    let unnamed = ImportOptions {
        offsets_named: false,
        ..options(OffsetUnit::UnicodeScalar)
    };
    let line = r#"{"text": "👍 Lavrov said", "label": [[2, 8, "PER"]]}"#;
    let read = import_str(line, "d.jsonl", "d", &unnamed);
    let p = &read.documents[0].problems;
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("d.jsonl:1: 1 span(s) end after character 0"),
        "{p:?}"
    );
    assert!(p[0].contains("--offsets utf16") && p[0].contains("only show after"));
    assert_eq!(read.documents[0].doc.set().len(), 1);
    // Named: no question. No emoji: no question.
    let read = import_str(line, "d.jsonl", "d", &options(OffsetUnit::UnicodeScalar));
    assert!(read.documents[0].problems.is_empty());
    let plain = r#"{"text": "Lavrov said", "label": [[0, 6, "PER"]]}"#;
    assert!(
        import_str(plain, "d.jsonl", "d", &unnamed).documents[0]
            .problems
            .is_empty()
    );
}

#[test]
fn bad_records_and_spans_are_reported_by_line() {
    let content = [
        r#"{"text": "abc def", "label": [[0, 3, "A"], [5, 99, "B"], [4, 4, "C"], ["x"], [0, 1]]}"#,
        r#"{"text": "", "label": []}"#,
        r#""not a record""#,
        r#"{"text": "x", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "A"}], "relations": [{"from_id": 1, "to_id": 9, "type": "r"}]}"#,
        r#"{oops"#,
    ]
    .join("\n");
    let report = import_str(
        &content,
        "in.jsonl",
        "in",
        &options(OffsetUnit::UnicodeScalar),
    );
    let all: Vec<&Problem> = report
        .problems
        .iter()
        .chain(report.documents.iter().flat_map(|d| &d.problems))
        .collect();
    let has = |prefix: &str, what: &str| {
        all.iter()
            .any(|p| p.starts_with(prefix) && p.contains(what))
    };
    assert!(
        has("in.jsonl:1: span 1 (B 5..99)", "past the end"),
        "{all:#?}"
    );
    assert!(has(
        "in.jsonl:1: span 2 (C 4..4)",
        "start must be before end"
    ));
    assert!(has("in.jsonl:1: span 3", "missing"));
    assert!(has("in.jsonl:1: span 4", "missing"));
    assert!(has("in.jsonl:2:", "empty"));
    assert!(has("in.jsonl:3:", "expected a JSON object"));
    assert!(has("in.jsonl:4: relation 0", "\"to_id\" 9 names no entity"));
    assert!(has("in.jsonl:5:", "not valid JSON"));
    assert_eq!(all.len(), 8, "{all:#?}");
    assert_eq!(report.documents.len(), 2);
    assert!(
        import_str(" \n", "e.jsonl", "e", &options(OffsetUnit::UnicodeScalar)).problems[0]
            .contains("no records")
    );
}

#[test]
fn export_forms_and_what_they_cannot_hold() {
    let file =
        "doccano__doccano/backend/data_export/pipeline/examples/relation_extraction/example.jsonl";
    let report = import(&fixture(file), &options(OffsetUnit::UnicodeScalar));
    let doc = &report.documents[0].doc;
    // Relations present: the entities form by default.
    let (out, loss) = export_str(&[doc], None, OffsetUnit::UnicodeScalar);
    assert!(loss.is_empty());
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        v["entities"][1],
        json!({"id": 1, "start_offset": 22, "end_offset": 39, "label": "DATE"})
    );
    assert_eq!(
        v["relations"][0],
        json!({"id": 0, "from_id": 0, "to_id": 1, "type": "foundedAt"})
    );
    // The label form cannot hold them.
    let (out, loss) = export_str(&[doc], Some(Form::Label), OffsetUnit::UnicodeScalar);
    assert_eq!(loss.counts.get("relations"), Some(&3));
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["label"][0], json!([0, 6, "ORG"]));
    assert!(v.get("relations").is_none());

    // Discontinuous spans, notes and attributes.
    let mut doc = build::new_document(
        "d".into(),
        "North and South America".into(),
        &options(OffsetUnit::UnicodeScalar),
        "test",
    );
    let mut s = Span::new(
        SpanId::numbered(1),
        Label::new("LOC").unwrap(),
        CharRange::new(0, 23).unwrap(),
        "t",
        Timestamp::from_unix(0),
    );
    s.fragments = vec![
        CharRange::new(0, 5).unwrap(),
        CharRange::new(16, 23).unwrap(),
    ];
    doc.apply(&Edit::add(s), "t", Timestamp::from_unix(0))
        .unwrap();
    let mut s = Span::new(
        SpanId::numbered(2),
        Label::new("LOC").unwrap(),
        CharRange::new(10, 15).unwrap(),
        "t",
        Timestamp::from_unix(0),
    );
    s.note = Some("check".into());
    s.attrs.insert("iso".into(), "x".into());
    doc.apply(&Edit::add(s), "t", Timestamp::from_unix(0))
        .unwrap();
    let (out, loss) = export_str(&[&doc], None, OffsetUnit::UnicodeScalar);
    assert_eq!(loss.counts.get("discontinuous spans"), Some(&1));
    assert_eq!(loss.counts.get("span notes"), Some(&1));
    assert_eq!(
        loss.counts
            .get("span attributes (the entities form holds them)"),
        Some(&1)
    );
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["label"], json!([[10, 15, "LOC"]]));
}

fn arb_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Lavrov ",
        "東京",
        "👍",
        "👨🏻‍🚒",
        "\r\n",
        "\t",
        "\u{a0}",
        "é",
        "e\u{301}",
        "שלום",
        "🇺🇦",
    ]);
    prop::collection::vec(pieces, 1..25).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random texts with astral characters and CRLF, random overlapping spans: export then
    /// import gives the same spans, in characters and in UTF-16.
    #[test]
    fn round_trips_random_overlapping_spans(
        text in arb_text(),
        raw in prop::collection::vec((0usize..200, 1usize..40, 0usize..3), 0..12),
        utf16 in any::<bool>(),
    ) {
        let unit = if utf16 { OffsetUnit::Utf16 } else { OffsetUnit::UnicodeScalar };
        let t = Text::new(text.clone());
        let mut doc = build::new_document("p".into(), text, &options(unit), "test");
        for (start, len, label) in raw {
            let s = t.grapheme_floor(crate::model::CharOffset(start % (t.len_chars() + 1)));
            let e = t.grapheme_ceil(crate::model::CharOffset(s.0 + len));
            let Some(range) = CharRange::new(s.0, e.0) else { continue };
            let span = Span::new(
                doc.set().next_id(),
                Label::new(["A", "B", "C"][label]).unwrap(),
                range,
                "t",
                Timestamp::from_unix(0),
            );
            let _ = doc.apply(&Edit::add(span), "t", Timestamp::from_unix(0));
        }
        let (out, loss) = export_str(&[&doc], None, unit);
        prop_assert!(loss.is_empty());
        let again = import_str(&out, "p.jsonl", "p", &options(unit));
        prop_assert!(again.problems.is_empty());
        prop_assert!(again.documents[0].problems.is_empty(), "{:?}", again.documents[0].problems);
        prop_assert_eq!(spans(&again.documents[0].doc), spans(&doc));
    }
}

#[test]
fn the_entities_form_keeps_span_attributes_both_ways() {
    let line = r#"{"text": "NATO said so", "entities": [{"id": 7, "start_offset": 0, "end_offset": 4, "label": "actor", "attrs": {"category": "organisation", "n": 3}}], "relations": []}"#;
    let read = import_str(line, "d.jsonl", "d", &options(OffsetUnit::UnicodeScalar));
    let doc = &read.documents[0].doc;
    let span = doc.set().spans().next().unwrap();
    // String values are attributes; a number is not one.
    assert_eq!(
        span.attrs.iter().collect::<Vec<_>>(),
        [(&"category".to_string(), &"organisation".to_string())]
    );
    let (out, loss) = export_str(&[doc], Some(Form::Entities), OffsetUnit::UnicodeScalar);
    assert!(loss.is_empty(), "{loss:?}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        v["entities"][0]["attrs"],
        json!({"category": "organisation"})
    );
    let again = import_str(&out, "e.jsonl", "e", &options(OffsetUnit::UnicodeScalar));
    let back = again.documents[0]
        .doc
        .set()
        .spans()
        .next()
        .unwrap()
        .attrs
        .clone();
    assert_eq!(back, span.attrs);
}
