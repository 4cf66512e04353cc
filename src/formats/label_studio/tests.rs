use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::formats::{ImportOptions, ImportReport, Loss, OffsetUnit, build};
use crate::model::{
    CharOffset, CharRange, Document, Edit, Label, Origin, Relation, Span, SpanId, Status, Text,
    Timestamp,
};

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
        .join("tests/fixtures")
        .join(rel)
}

const FRONTEND: &str = "labelstudio/HumanSignal__label-studio-frontend/examples";

/// `(start, end, label, text, attrs)` of every span, in order.
type Row = (usize, usize, String, String, BTreeMap<String, String>);

fn spans(doc: &Document) -> Vec<Row> {
    doc.set()
        .spans()
        .map(|s| {
            (
                s.range.start().0,
                s.range.end().0,
                s.label.to_string(),
                doc.set().span_text(s).to_string(),
                s.attrs.clone(),
            )
        })
        .collect()
}

fn relations(doc: &Document) -> Vec<(String, String, String, BTreeMap<String, String>)> {
    doc.set()
        .relations()
        .map(|r| {
            (
                r.from.to_string(),
                r.to.to_string(),
                r.kind.to_string(),
                r.attrs.clone(),
            )
        })
        .collect()
}

fn problems(report: &ImportReport) -> Vec<String> {
    report
        .problems
        .iter()
        .chain(report.documents.iter().flat_map(|d| &d.problems))
        .map(ToString::to_string)
        .collect()
}

fn export_value(docs: &[&Document], names: &ExportNames, unit: OffsetUnit) -> (Value, Loss) {
    let mut out = Vec::new();
    let loss = export(docs, names, unit, &mut out).unwrap();
    (serde_json::from_slice(&out).unwrap(), loss)
}

/// Export then import again: the same documents, spans, relations and kept data.
fn round_trip(report: &ImportReport, unit: OffsetUnit) -> Value {
    let docs: Vec<&Document> = report.documents.iter().map(|d| &d.doc).collect();
    let (out, loss) = export_value(&docs, &ExportNames::default(), unit);
    assert!(loss.is_empty(), "{loss:?}");
    let again = import_str(&out.to_string(), "again.json", "again", &options(unit));
    assert!(problems(&again).is_empty(), "{:?}", problems(&again));
    assert_eq!(again.documents.len(), report.documents.len());
    for (a, b) in again.documents.iter().zip(&report.documents) {
        assert_eq!(spans(&a.doc), spans(&b.doc));
        assert_eq!(relations(&a.doc), relations(&b.doc));
        // A task or annotation without an id gets one on export, which the import keeps.
        let mut meta = a.doc.meta.clone();
        let kept = meta.get_mut("label_studio").unwrap();
        for holder in ["task", "annotation"] {
            if b.doc.meta["label_studio"]
                .get(holder)
                .is_some_and(|h| h.get("id").is_none())
            {
                let id = kept[holder].as_object_mut().unwrap().remove("id");
                assert!(id.and_then(|id| id.as_u64()).is_some_and(|id| id > 0));
            }
        }
        assert_eq!(meta, b.doc.meta);
        assert_eq!(a.doc.annotator, b.doc.annotator);
    }
    out
}

/// `out` (an export of `original`) without the fields the export adds where `original` has
/// none: the task's `id` and `meta`, and each annotation's `id`, `task`, `completed_by`, flags
/// and times. Any other difference stays.
fn without_added(mut out: Value, original: &[Value]) -> Value {
    let tasks = out.as_array_mut().unwrap();
    for (task, orig) in tasks.iter_mut().zip(original) {
        let task = task.as_object_mut().unwrap();
        for key in ["id", "meta"] {
            if orig.get(key).is_none() {
                task.remove(key);
            }
        }
        let originals = orig["annotations"].as_array().cloned().unwrap_or_default();
        let Some(Value::Array(annotations)) = task.get_mut("annotations") else {
            continue;
        };
        for (a, o) in annotations.iter_mut().zip(&originals) {
            let a = a.as_object_mut().unwrap();
            // An id the file wrote as a string of digits comes back as the integer.
            if let Some(Value::String(id)) = o.get("id") {
                assert_eq!(a["id"].to_string(), *id);
                a.insert("id".into(), Value::from(id.as_str()));
            }
            for key in [
                "id",
                "task",
                "completed_by",
                "was_cancelled",
                "ground_truth",
                "created_at",
                "updated_at",
            ] {
                if o.get(key).is_none() {
                    a.remove(key);
                }
            }
        }
    }
    out
}

#[test]
fn every_fixture_imports_without_losing_a_span_and_round_trips() {
    // (file, documents, spans, problems, export equals the file)
    let cases = [
        ("named_entity/tasks.json", 1, 1, 0, true),
        ("named_entity/annotations/1.json", 1, 1, 0, true),
        ("phrases/tasks.json", 1, 0, 0, true),
        ("phrases/annotations/1.json", 1, 1, 0, true),
        // value.text contradicts the offsets: flagged, kept at the offsets.
        ("rich_text_plain/tasks.json", 1, 1, 1, false),
        ("rich_text_plain/annotations/1.json", 1, 1, 1, false),
    ];
    for (file, n_docs, n_spans, n_problems, same) in cases {
        let path = fixture(&format!("{FRONTEND}/{file}"));
        let report = import(&path, &options(OffsetUnit::UnicodeScalar));
        assert_eq!(
            problems(&report).len(),
            n_problems,
            "{file}: {:?}",
            problems(&report)
        );
        assert_eq!(report.documents.len(), n_docs, "{file}");
        let total: usize = report.documents.iter().map(|d| d.doc.set().len()).sum();
        assert_eq!(total, n_spans, "{file}");
        let out = round_trip(&report, OffsetUnit::UnicodeScalar);
        if same {
            let original: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let original = match original {
                Value::Array(tasks) => tasks,
                task => vec![task],
            };
            assert_eq!(
                without_added(out, &original),
                Value::Array(original),
                "{file}"
            );
        }
    }
}

#[test]
fn image_tasks_keep_their_regions_and_come_back_unchanged() {
    let path = fixture(
        "labelstudio-converter/HumanSignal__label-studio-converter/tests/data/test_export_csv/csv_test.json",
    );
    let report = import(&path, &options(OffsetUnit::UnicodeScalar));
    assert!(problems(&report).is_empty(), "{:?}", problems(&report));
    assert_eq!(report.documents.len(), 2);
    let doc = &report.documents[0].doc;
    assert_eq!(doc.annotator, "hakan@heartex.com");
    assert!(doc.text().as_str().starts_with("Calif. wildfires"));
    assert!(doc.set().is_empty());
    let out = round_trip(&report, OffsetUnit::UnicodeScalar);
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(out, original);
}

#[test]
fn the_rich_text_example_is_flagged_not_dropped() {
    let path = fixture(&format!("{FRONTEND}/rich_text_plain/annotations/1.json"));
    let report = import(&path, &options(OffsetUnit::UnicodeScalar));
    let p = problems(&report);
    assert!(p[0].contains("task 1 (id 1)"), "{p:?}");
    assert!(p[0].contains("result 0 (Date 343..354)"), "{p:?}");
    assert!(
        p[0].contains("value.text is \"February 22\" but the offsets give \" supporters\""),
        "{p:?}"
    );
    assert!(!p[0].contains("UTF-16"), "{p:?}");
    let doc = &report.documents[0].doc;
    // The data key is `ner` (the only text), though the region says `$text`.
    assert_eq!(doc.meta["label_studio"]["text_key"], "ner");
    let span = doc.set().spans().next().unwrap();
    assert_eq!(span.id.as_str(), "beFiQTT1cU");
    assert_eq!(doc.set().span_text(span), " supporters");
    assert_eq!(
        span.attrs.get(QUOTED).map(String::as_str),
        Some("February 22")
    );
    assert_eq!(&*span.author, "imp");
}

#[test]
fn predictions_become_pending_suggestions_of_agent_ls_model_version() {
    let path = fixture(&format!("{FRONTEND}/named_entity/tasks.json"));
    let report = import(&path, &options(OffsetUnit::UnicodeScalar));
    let doc = &report.documents[0].doc;
    assert_eq!(doc.annotator, "imp");
    let span = doc.set().spans().next().unwrap();
    assert_eq!(
        (span.status, span.origin, &*span.author),
        (Status::Pending, Origin::Suggested, "model 1")
    );
    assert_eq!(
        span.attrs.get("agent").map(String::as_str),
        Some("ls:model 1")
    );
    assert_eq!(
        span.attrs.get(PREDICTION).map(String::as_str),
        Some("model 1")
    );
    assert_eq!(doc.set().span_text(span), "February 22");
    // Accepted in Spanmark, it is the annotator's: it goes into an annotation.
    let mut accepted = doc.clone();
    accepted
        .apply(
            &Edit::set_status(
                accepted.set(),
                &span.id,
                Status::Accepted,
                Timestamp::from_unix(9),
            )
            .unwrap(),
            "rita",
            Timestamp::from_unix(9),
        )
        .unwrap();
    let (out, _) = export_value(
        &[&accepted],
        &ExportNames::default(),
        OffsetUnit::UnicodeScalar,
    );
    assert_eq!(out[0]["annotations"][0]["result"][0]["value"]["start"], 343);
    assert_eq!(out[0]["predictions"][0]["result"], json!([]));
    // So is a suggestion an annotator accepted (accepted_by, status still pending).
    let mut taken = doc.clone();
    crate::assist::suggest::accept(&mut taken, &span.id, "rita", Timestamp::from_unix(9)).unwrap();
    let (out, _) = export_value(
        &[&taken],
        &ExportNames::default(),
        OffsetUnit::UnicodeScalar,
    );
    assert_eq!(out[0]["annotations"][0]["result"][0]["value"]["start"], 343);
    assert_eq!(
        out[0]["annotations"][0]["result"][0]["meta"]["spanmark_attrs"]["accepted_by"],
        "rita"
    );
}

#[test]
fn paragraphs_are_joined_and_placed() {
    let path = fixture(&format!("{FRONTEND}/phrases/annotations/1.json"));
    let report = import(&path, &options(OffsetUnit::UnicodeScalar));
    let doc = &report.documents[0].doc;
    assert!(
        doc.text()
            .as_str()
            .starts_with("Dont you hate that?\nHate what?\n")
    );
    let span = doc.set().spans().next().unwrap();
    let text = doc.set().span_text(span);
    assert!(text.starts_with("Uncomfortable silences.") && text.ends_with("share silence."));
    assert_eq!(text.matches('\n').count(), 2);
}

const MULTI: &str = r#"[{"id": 7, "data": {"text": "👍 Lavrov said NATO expands.\r\nOK"},
  "annotations": [
    {"id": 1, "completed_by": {"email": "rita@example.org"}, "created_at": "2024-05-01T10:00:00Z",
     "result": [
      {"id": "a", "from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
       "value": {"start": 2, "end": 8, "text": "Lavrov", "labels": ["PER", "actor"]}},
      {"id": "b", "from_name": "ner", "to_name": "text", "type": "labels",
       "value": {"start": 14, "end": 30, "text": "NATO expands.\\nO", "labels": ["claim"]},
       "meta": {"text": ["check the \"O\""]}},
      {"from_id": "b", "to_id": "a", "type": "relation", "direction": "left", "labels": ["said_by", "quote"]},
      {"id": "c", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["neutral"]}}]},
    {"id": 2, "completed_by": 3, "result": [
      {"id": "a", "from_name": "ner", "to_name": "text", "type": "labels",
       "value": {"start": 2, "end": 8, "labels": ["PER"]}}]}],
  "predictions": [{"model_version": "v2", "score": 0.5, "result": [
      {"id": "p1", "from_name": "ner", "to_name": "text", "type": "labels", "score": 0.9,
       "value": {"start": 14, "end": 18, "text": "NATO", "labels": ["ORG"]}}]}]}]"#;

#[test]
fn one_document_per_annotation_and_one_for_the_predictions() {
    let report = import_str(MULTI, "m.json", "m", &options(OffsetUnit::UnicodeScalar));
    assert!(problems(&report).is_empty(), "{:?}", problems(&report));
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
            ("m-7-ann1", "rita@example.org", 3),
            ("m-7-ann2", "label-studio user 3", 1),
            ("m-7-predictions", "imp", 1),
        ]
    );
    let rita = &report.documents[0].doc;
    let ids: Vec<&str> = rita.set().spans().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "a_2", "b"]);
    let b = rita.set().get(&SpanId::new("b").unwrap()).unwrap();
    // The region crosses the CRLF, written as a literal backslash-n: accepted.
    assert_eq!(rita.set().span_text(b), "NATO expands.\r\nO");
    assert_eq!(b.note.as_deref(), Some("check the \"O\""));
    assert_eq!(b.created, Timestamp::parse("2024-05-01T10:00:00Z").unwrap());
    let rel = rita.set().relations().next().unwrap();
    assert_eq!(
        (rel.from.as_str(), rel.to.as_str(), rel.kind.as_str()),
        ("b", "a", "said_by")
    );
    assert_eq!(rel.attrs.get(DIRECTION).map(String::as_str), Some("left"));
    assert_eq!(
        rel.attrs.get(LABELS).map(String::as_str),
        Some(r#"["said_by","quote"]"#)
    );
    let out = round_trip(&report, OffsetUnit::UnicodeScalar);
    // One task again, two annotations, the prediction back in place.
    assert_eq!(out.as_array().unwrap().len(), 1);
    assert_eq!(out[0]["annotations"].as_array().unwrap().len(), 2);
    assert_eq!(out[0]["predictions"][0]["score"], 0.5);
    assert_eq!(out[0]["predictions"][0]["result"][0]["score"], 0.9);
    let rel = &out[0]["annotations"][0]["result"];
    assert!(
        rel.as_array()
            .unwrap()
            .iter()
            .any(|r| r["type"] == "relation" && r["labels"] == json!(["said_by", "quote"])),
        "{rel}"
    );
}

#[test]
fn utf16_offsets_of_old_exports_are_hinted_and_converted() {
    // label-studio #1347: "annotation" exported as 13..23 (UTF-16); it is 12..22.
    let task = r#"[{"data": {"text": "💩This is an annotation."}, "annotations": [{"result": [
        {"id": "x", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 13, "end": 23, "text": "annotation", "labels": ["claim"]}}]}]}]"#;
    let report = import_str(task, "old.json", "old", &options(OffsetUnit::UnicodeScalar));
    let p = problems(&report);
    assert_eq!(p.len(), 1);
    assert!(p[0].contains("--offsets utf16"), "{p:?}");
    let report = import_str(task, "old.json", "old", &options(OffsetUnit::Utf16));
    assert!(problems(&report).is_empty());
    let doc = &report.documents[0].doc;
    assert_eq!(spans(doc)[0].3, "annotation");
    assert_eq!(spans(doc)[0].0, 12);
    let (out, _) = export_value(&[doc], &ExportNames::default(), OffsetUnit::Utf16);
    assert_eq!(out[0]["annotations"][0]["result"][0]["value"]["start"], 13);
}

#[test]
fn names_come_from_the_data_or_the_options() {
    let report = import_str(MULTI, "m.json", "m", &options(OffsetUnit::UnicodeScalar));
    let doc = &report.documents[0].doc;
    let (out, _) = export_value(&[doc], &ExportNames::default(), OffsetUnit::UnicodeScalar);
    let region = &out[0]["annotations"][0]["result"][1];
    assert_eq!(
        (&region["from_name"], &region["to_name"]),
        (&json!("ner"), &json!("text"))
    );
    let names = ExportNames {
        from_name: Some("label".into()),
        to_name: Some("doc".into()),
        text_key: Some("body".into()),
        ..ExportNames::default()
    };
    let (out, _) = export_value(&[doc], &names, OffsetUnit::UnicodeScalar);
    let region = &out[0]["annotations"][0]["result"][1];
    assert_eq!(
        (&region["from_name"], &region["to_name"]),
        (&json!("label"), &json!("doc"))
    );
    assert!(out[0]["data"]["body"].is_string());
    // A document made in Spanmark: the defaults.
    let mut plain = build::new_document(
        "p.txt".into(),
        "Lavrov said".into(),
        &options(OffsetUnit::UnicodeScalar),
        "t",
    );
    let span = Span::new(
        SpanId::numbered(1),
        Label::new("actor").unwrap(),
        CharRange::new(0, 6).unwrap(),
        "t",
        Timestamp::from_unix(0),
    );
    plain
        .apply(&Edit::add(span), "t", Timestamp::from_unix(0))
        .unwrap();
    let (out, loss) = export_value(
        &[&plain],
        &ExportNames::default(),
        OffsetUnit::UnicodeScalar,
    );
    assert!(loss.is_empty());
    // As Label Studio's JSON export writes it: ids, the user id (whose name the task's meta
    // keeps) and the spans' times.
    let user = super::user_id("imp");
    assert_eq!(
        out,
        json!([{"id": 1, "data": {"text": "Lavrov said"},
            "meta": {"spanmark_annotators": {user.to_string(): "imp"}},
            "annotations": [{"id": 1, "task": 1, "completed_by": user,
                "was_cancelled": false, "ground_truth": false,
                "created_at": "1970-01-01T00:00:00Z", "updated_at": "1970-01-01T00:00:00Z",
                "result": [{
                    "id": "s1", "from_name": "label", "to_name": "text", "type": "labels",
                    "value": {"start": 0, "end": 6, "text": "Lavrov", "labels": ["actor"]}}]}]}])
    );
    // --text-key on import names the field.
    let two = r#"{"data": {"title": "T", "body": "Lavrov said"}}"#;
    let report = import_str(two, "t.json", "t", &options(OffsetUnit::UnicodeScalar));
    assert!(
        report.problems[0].contains("--text-key"),
        "{:?}",
        report.problems
    );
    let with_key = ImportOptions {
        text_key: Some("body".into()),
        ..options(OffsetUnit::UnicodeScalar)
    };
    let report = import_str(two, "t.json", "t", &with_key);
    assert_eq!(report.documents[0].doc.text().as_str(), "Lavrov said");
}

#[test]
fn what_cannot_be_held_is_counted() {
    let mut doc = build::new_document(
        "d".into(),
        "North and South America".into(),
        &options(OffsetUnit::UnicodeScalar),
        "t",
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
    let s = Span::new(
        SpanId::numbered(2),
        Label::new("LOC").unwrap(),
        CharRange::new(10, 15).unwrap(),
        "t",
        Timestamp::from_unix(0),
    );
    doc.apply(&Edit::add(s), "t", Timestamp::from_unix(0))
        .unwrap();
    let rel = Relation {
        id: SpanId::numbered(3),
        kind: Label::new("near").unwrap(),
        from: SpanId::numbered(1),
        to: SpanId::numbered(2),
        author: "t".into(),
        created: Timestamp::from_unix(0),
        status: crate::model::Status::Pending,
        note: Some("n".into()),
        attrs: BTreeMap::new(),
    };
    doc.apply(&Edit::AddRelation(rel), "t", Timestamp::from_unix(0))
        .unwrap();
    let (out, loss) = export_value(&[&doc], &ExportNames::default(), OffsetUnit::UnicodeScalar);
    assert_eq!(loss.counts.get("discontinuous spans"), Some(&1));
    assert_eq!(loss.counts.get("relations"), Some(&1));
    assert_eq!(
        out[0]["annotations"][0]["result"].as_array().unwrap().len(),
        1
    );
}

fn arb_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Lavrov ",
        "東京",
        "👍",
        "👨🏻‍🚒",
        "\r\n",
        "\n",
        "\t",
        "\u{a0}",
        "e\u{301}",
        "שלום",
        "🇺🇦",
    ]);
    prop::collection::vec(pieces, 1..25).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random texts with astral characters and CRLF, random overlapping spans, some of them
    /// predictions: export then import gives the same spans, in characters and in UTF-16.
    #[test]
    fn round_trips_random_overlapping_spans(
        text in arb_text(),
        raw in prop::collection::vec((0usize..200, 1usize..40, 0usize..3, any::<bool>()), 0..12),
        utf16 in any::<bool>(),
    ) {
        let unit = if utf16 { OffsetUnit::Utf16 } else { OffsetUnit::UnicodeScalar };
        let t = Text::new(text.clone());
        let mut doc = build::new_document("p".into(), text, &options(unit), "test");
        for (start, len, label, predicted) in raw {
            let s = t.grapheme_floor(CharOffset(start % (t.len_chars() + 1)));
            let e = t.grapheme_ceil(CharOffset(s.0 + len));
            let Some(range) = CharRange::new(s.0, e.0) else { continue };
            let mut span = Span::new(
                doc.set().next_id(),
                Label::new(["A", "B", "C"][label]).unwrap(),
                range,
                "t",
                Timestamp::from_unix(0),
            );
            if predicted {
                // A prediction as import makes it: a suggestion of agent ls:m.
                span.attrs.insert(PREDICTION.into(), "m".into());
                span.attrs.insert("agent".into(), "ls:m".into());
                span.origin = Origin::Suggested;
            }
            let _ = doc.apply(&Edit::add(span), "t", Timestamp::from_unix(0));
        }
        let (out, loss) = export_value(&[&doc], &ExportNames::default(), unit);
        prop_assert!(loss.is_empty());
        let again = import_str(&out.to_string(), "p.json", "p", &options(unit));
        prop_assert!(problems(&again).is_empty(), "{:?}", problems(&again));
        let mut got: Vec<Row> = again.documents.iter().flat_map(|d| spans(&d.doc)).collect();
        got.sort();
        let mut want = spans(&doc);
        want.sort();
        prop_assert_eq!(got, want);
    }
}

/// A document made in Spanmark by `annotator`, with one `actor` span over `0..end` made at
/// `made` and modified at `changed` (seconds).
fn made(text: &str, annotator: &str, end: usize, made: i64, changed: i64) -> Document {
    let mut doc = build::new_document(
        format!("{annotator}.txt"),
        text.into(),
        &options(OffsetUnit::UnicodeScalar),
        "t",
    );
    doc.annotator = annotator.into();
    let mut span = Span::new(
        SpanId::numbered(1),
        Label::new("actor").unwrap(),
        CharRange::new(0, end).unwrap(),
        annotator,
        Timestamp::from_unix(made),
    );
    span.modified = Timestamp::from_unix(changed);
    doc.apply(&Edit::add(span), annotator, Timestamp::from_unix(made))
        .unwrap();
    doc
}

#[test]
fn a_small_export_has_the_ids_and_users_label_studio_writes() {
    // Two annotators of one text (one task), a second text, and a task imported with id 2 and
    // annotation id 1: the imported ids are kept, the others counted around them.
    let rita = made("Lavrov said", "rita", 6, 100, 160);
    let sam = made("Lavrov said", "sam", 6, 200, 200);
    let other = made("Putin spoke", "rita", 5, 300, 300);
    let imported = import_str(
        r#"[{"id": 2, "data": {"text": "Blinken replied"},
            "annotations": [{"id": 1, "completed_by": 9, "result": [
              {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": 0, "end": 7, "text": "Blinken", "labels": ["actor"]}}]}]}]"#,
        "i.json",
        "i",
        &options(OffsetUnit::UnicodeScalar),
    );
    assert!(problems(&imported).is_empty(), "{:?}", problems(&imported));
    let docs = [&rita, &sam, &other, &imported.documents[0].doc];
    let (out, loss) = export_value(&docs, &ExportNames::default(), OffsetUnit::UnicodeScalar);
    assert!(loss.is_empty());
    let ids = |v: &Value, key: &str| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x[key].clone())
            .collect()
    };
    assert_eq!(ids(&out, "id"), [json!(1), json!(3), json!(2)]);
    assert_eq!(
        ids(&out[0]["annotations"], "id"),
        [json!(2), json!(3)],
        "1 is the imported annotation's"
    );
    assert_eq!(ids(&out[1]["annotations"], "id"), [json!(4)]);
    assert_eq!(ids(&out[2]["annotations"], "id"), [json!(1)]);
    assert_eq!(ids(&out[0]["annotations"], "task"), [json!(1), json!(1)]);
    // One integer user per annotator, the same in every task; the names in the task's meta.
    let (r, s) = (user_id("rita"), user_id("sam"));
    assert_ne!(r, s);
    assert_eq!(
        ids(&out[0]["annotations"], "completed_by"),
        [json!(r), json!(s)]
    );
    assert_eq!(out[1]["annotations"][0]["completed_by"], json!(r));
    assert_eq!(
        out[0]["meta"]["spanmark_annotators"],
        json!({r.to_string(): "rita", s.to_string(): "sam"})
    );
    assert_eq!(out[2]["annotations"][0]["completed_by"], json!(9));
    // Times from the spans; no lead_time, which is not known.
    let rita_ann = &out[0]["annotations"][0];
    assert_eq!(rita_ann["created_at"], json!("1970-01-01T00:01:40Z"));
    assert_eq!(rita_ann["updated_at"], json!("1970-01-01T00:02:40Z"));
    assert!(rita_ann.get("lead_time").is_none());
    // Region ids: the span's, the imported region's.
    assert_eq!(out[2]["annotations"][0]["result"][0]["id"], json!("r1"));
    // The same corpus gives the same ids.
    assert_eq!(
        export_value(&docs, &ExportNames::default(), OffsetUnit::UnicodeScalar).0,
        out
    );
    // Read back, each annotation is its annotator's again, and exports the same.
    let again = import_str(
        &out.to_string(),
        "again.json",
        "again",
        &options(OffsetUnit::UnicodeScalar),
    );
    let who: Vec<&str> = again
        .documents
        .iter()
        .map(|d| d.doc.annotator.as_str())
        .collect();
    assert_eq!(who, ["rita", "sam", "rita", "label-studio user 9"]);
    let docs: Vec<&Document> = again.documents.iter().map(|d| &d.doc).collect();
    assert_eq!(
        export_value(&docs, &ExportNames::default(), OffsetUnit::UnicodeScalar).0,
        out
    );
}

#[test]
fn numbering_keeps_carried_ids_and_counts_around_them() {
    use crate::formats::registry::{Carried, Numbering};
    let carried = |group, member| Carried { group, member };
    let mut n = Numbering::new([carried(Some(2), Some(1)), carried(Some(2), None)]);
    assert_eq!(n.group(None), 1);
    assert_eq!(n.group(Some(2)), 2);
    // A second task carrying 2 (another project's) gets a fresh id.
    assert_eq!(n.group(Some(2)), 3);
    assert_eq!(n.member(None), 2);
    assert_eq!(n.member(Some(1)), 1);
    assert_eq!(n.member(Some(7)), 7);
    assert_eq!(n.member(None), 3);
}

#[test]
fn predictions_carry_the_spans_with_a_model_version() {
    let rita = made("Lavrov said", "rita", 6, 100, 100);
    let nobody = made("Lavrov said", " ", 6, 100, 100);
    let as_predictions = ExportNames {
        write_as: WriteAs::Predictions,
        ..ExportNames::default()
    };
    let (out, loss) = export_value(
        &[&rita, &nobody],
        &as_predictions,
        OffsetUnit::UnicodeScalar,
    );
    assert!(loss.is_empty());
    let task = &out[0];
    assert!(task.get("annotations").is_none(), "{task}");
    assert_eq!(task["id"], json!(1));
    let predictions = task["predictions"].as_array().unwrap();
    let versions: Vec<&Value> = predictions.iter().map(|p| &p["model_version"]).collect();
    assert_eq!(versions, [&json!("rita"), &json!("spanmark")]);
    assert_eq!(
        predictions[0]["result"][0]["value"],
        json!({"start": 0, "end": 6, "text": "Lavrov", "labels": ["actor"]})
    );
    // --model-version names them all, and Spanmark reads them back as suggestions of it.
    let named = ExportNames {
        model_version: Some("ner-v3".into()),
        ..as_predictions
    };
    let (out, _) = export_value(&[&rita, &nobody], &named, OffsetUnit::UnicodeScalar);
    let predictions = out[0]["predictions"].as_array().unwrap();
    assert_eq!(predictions.len(), 1);
    assert_eq!(predictions[0]["model_version"], json!("ner-v3"));
    assert_eq!(predictions[0]["result"].as_array().unwrap().len(), 2);
    let again = import_str(
        &out.to_string(),
        "p.json",
        "p",
        &options(OffsetUnit::UnicodeScalar),
    );
    let doc = &again.documents[0].doc;
    let span = doc.set().spans().next().unwrap();
    assert_eq!(span.status, Status::Pending);
    assert_eq!(
        span.attrs.get(PREDICTION).map(String::as_str),
        Some("ner-v3")
    );
}

#[test]
fn per_region_choices_become_attributes_and_are_written_back_as_choices() {
    // Written for Spanmark: a task as Label Studio exports it for a config with
    // `<Choices name="category" toName="text" perRegion="true">` (and `quote`), plus a
    // whole-task choice and a per-region choice whose region is not in the results.
    let path = fixture("labelstudio-choices/per_region_choices.json");
    let report = import(&path, &options(OffsetUnit::UnicodeScalar));
    assert_eq!(report.documents.len(), 1);
    let doc = &report.documents[0].doc;
    let attr = |id: &str, key: &str| {
        doc.set()
            .get(&SpanId::new(id).unwrap())
            .and_then(|s| s.attrs.get(key).cloned())
    };
    assert_eq!(attr("r1", "category").as_deref(), Some("organisation"));
    assert_eq!(attr("r2", "category").as_deref(), Some("state"));
    // The choice came before its region in the results: it is still taken.
    assert_eq!(attr("r3", "quote").as_deref(), Some("indirect"));
    assert_eq!(doc.set().len(), 3);
    // The whole-task choice and the orphan choice are kept in the document's meta.
    let kept = doc.meta["label_studio"].to_string();
    assert!(kept.contains("neutral") && kept.contains("r9"), "{kept}");

    let out = round_trip(&report, OffsetUnit::UnicodeScalar);
    let results = out[0]["annotations"][0]["result"].as_array().unwrap();
    let choice = results
        .iter()
        .find(|r| r["id"] == "r1" && r["type"] == "choices")
        .unwrap();
    assert_eq!(
        choice,
        &json!({"id": "r1", "from_name": "category", "to_name": "text", "type": "choices",
                "value": {"start": 0, "end": 4, "text": "NATO", "choices": ["organisation"]}})
    );
    // Written as choices, not again in the region's meta.
    let region = results
        .iter()
        .find(|r| r["id"] == "r1" && r["type"] == "labels")
        .unwrap();
    assert!(region.get("meta").is_none(), "{region}");
}
