use std::path::{Path, PathBuf};

use serde_json::json;

use super::*;
use crate::formats::{ImportOptions, ImportReport, OffsetUnit};
use crate::model::{CharRange, Document, Edit, Label, Origin, Span, SpanId, Status, Timestamp};

fn options(offsets: OffsetUnit) -> ImportOptions {
    ImportOptions {
        annotator: "imp".into(),
        offsets,
        at: Timestamp::from_unix(7),
        ..ImportOptions::default()
    }
}

#[test]
fn reads_a_line_with_meta_name_and_writes_it_back() {
    let line = r#"{"text": "👍 Lavrov said on Monday", "spans": [{"start": 2, "end": 8, "label": "actor", "text": "Lavrov"}, {"start": 2, "end": 23, "label": "claim"}, {"start": 17, "end": 23, "label": "date", "attrs": {"iso": "2021-10-18"}}], "meta": {"name": "a.txt"}}"#;
    let read = import_line(line, "in.jsonl", 1, &options(OffsetUnit::UnicodeScalar)).unwrap();
    assert_eq!(read.name.as_deref(), Some("a.txt"));
    let doc = &read.imported.doc;
    assert!(
        read.imported.problems.is_empty(),
        "{:?}",
        read.imported.problems
    );
    assert_eq!(doc.set().len(), 3);
    let span = doc.set().spans().next().unwrap();
    assert_eq!(span.origin, Origin::Imported);
    assert_eq!(&*span.author, "imp");
    let (out, loss) = export_line(doc);
    assert!(loss.is_empty());
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["spans"][0]["text"], "Lavrov");
    assert_eq!(v["spans"][2]["attrs"]["iso"], "2021-10-18");
    assert_eq!(v["meta"]["name"], "a.txt");
    // And back again: the same spans.
    let again = import_line(&out, "out.jsonl", 1, &options(OffsetUnit::UnicodeScalar)).unwrap();
    let ranges = |d: &Document| -> Vec<_> {
        d.set()
            .spans()
            .map(|s| (s.range, s.label.clone(), s.attrs.clone()))
            .collect()
    };
    assert_eq!(ranges(&again.imported.doc), ranges(doc));
}

#[test]
fn bad_spans_are_reported_and_the_rest_kept() {
    let line = r#"{"text": "abc def", "spans": [{"start": 0, "end": 3, "label": "actor"}, {"start": 5, "end": 99, "label": "actor"}, {"start": 4, "end": 4, "label": "x"}, {"start": 0, "end": 3, "label": "actor"}, {"start": "a"}, {"start": 4, "end": 7, "label": "date", "text": "dex"}]}"#;
    let read = import_line(line, "in.jsonl", 3, &options(OffsetUnit::UnicodeScalar)).unwrap();
    assert_eq!(read.imported.doc.set().len(), 1);
    let p = &read.imported.problems;
    assert_eq!(p.len(), 5, "{p:?}");
    assert!(p.iter().all(|m| m.starts_with("in.jsonl:3: span ")));
    assert!(p[0].contains("span 1") && p[0].contains("past the end"));
    assert!(p[2].contains("already has range"));
    assert!(p[4].contains("\"dex\""));
}

#[test]
fn utf16_offsets_are_detected_and_converted() {
    let line = r#"{"text": "💩This is an annotation.", "spans": [{"start": 13, "end": 23, "label": "claim", "text": "annotation"}]}"#;
    let read = import_line(line, "ls.jsonl", 1, &options(OffsetUnit::UnicodeScalar)).unwrap();
    assert!(
        read.imported.problems[0].contains("--offsets utf16"),
        "{:?}",
        read.imported.problems
    );
    let read = import_line(line, "ls.jsonl", 1, &options(OffsetUnit::Utf16)).unwrap();
    let span = read.imported.doc.set().spans().next().unwrap();
    assert_eq!(span.range, CharRange::new(12, 22).unwrap());
}

#[test]
fn bad_lines() {
    let o = options(OffsetUnit::UnicodeScalar);
    for (line, expected) in [
        ("{", "not valid JSON"),
        ("[1]", "expected a JSON object"),
        (r#"{"spans": []}"#, "no \"text\""),
        (r#"{"text": ""}"#, "empty"),
        (r#"{"text": 5}"#, "not a string"),
        (r#"{"text": "a", "spans": 3}"#, "not a list"),
    ] {
        let err = import_line(line, "f.jsonl", 9, &o).unwrap_err();
        assert!(
            err.starts_with("f.jsonl:9: ") && err.contains(expected),
            "{err}"
        );
    }
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spacy-jsonl")
        .join(rel)
}

fn problems(report: &ImportReport) -> Vec<String> {
    report
        .problems
        .iter()
        .chain(report.documents.iter().flat_map(|d| &d.problems))
        .map(ToString::to_string)
        .collect()
}

/// A record as Spanmark writes it back: spans sorted, each with its text, and `meta` without
/// the fields Spanmark adds.
fn normalised(mut record: Value) -> Value {
    let text = record["text"].as_str().unwrap().to_string();
    let chars: Vec<char> = text.chars().collect();
    let obj = record.as_object_mut().unwrap();
    let mut spans = match obj.remove("spans") {
        Some(Value::Array(s)) => s,
        _ => Vec::new(),
    };
    for s in &mut spans {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        s["text"] = Value::from(chars[a..b].iter().collect::<String>());
    }
    spans.sort_by_key(|s| {
        (
            s["start"].as_u64(),
            s["end"].as_u64(),
            s["label"].as_str().map(String::from),
        )
    });
    obj.insert("spans".into(), Value::Array(spans));
    // Relations are written in id order; their order means nothing to Prodigy. Their copies of
    // the spans' token indices are computed again from the tokens: one file has copies that
    // disagree with the spans themselves (token_start 2 for a span on tokens 0..2).
    if let Some(Value::Array(relations)) = obj.get_mut("relations") {
        for r in relations.iter_mut() {
            for end in ["head_span", "child_span"] {
                if let Some(Value::Object(s)) = r.get_mut(end) {
                    s.remove("token_start");
                }
            }
        }
        relations.sort_by_key(|r| {
            (
                r["head"].as_u64(),
                r["child"].as_u64(),
                r["label"].to_string(),
            )
        });
    }
    if let Some(Value::Object(meta)) = obj.get_mut("meta") {
        for own in OWN_META {
            meta.remove(own);
        }
        if meta.is_empty() {
            obj.remove("meta");
        }
    }
    record
}

#[test]
fn every_prodigy_and_spacy_fixture_imports_whole_and_writes_back_the_same_records() {
    // (file, records, spans, relations)
    let cases = [
        (
            "explosion__prodigy-recipes/example-datasets/annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl",
            373,
            303,
            0,
        ),
        (
            "explosion__prodigy-recipes/example-datasets/bio_events.jsonl",
            129,
            422,
            0,
        ),
        (
            "explosion__projects/tutorials/ner_fashion_brands/assets/fashion_brands_eval.jsonl",
            500,
            238,
            0,
        ),
        (
            "explosion__projects/tutorials/ner_tweets/assets/test_annotated.jsonl",
            523,
            244,
            0,
        ),
        (
            "explosion__projects/tutorials/rel_component/assets/annotations.jsonl",
            149,
            466,
            267,
        ),
    ];
    for (file, n_records, n_spans, n_relations) in cases {
        let path = fixture(file);
        let report = import(&path, &options(OffsetUnit::UnicodeScalar));
        assert!(
            problems(&report).is_empty(),
            "{file}: {:?}",
            &problems(&report)[..3.min(problems(&report).len())]
        );
        assert_eq!(report.documents.len(), n_records, "{file}");
        let spans: usize = report.documents.iter().map(|d| d.doc.set().len()).sum();
        assert_eq!(spans, n_spans, "{file}");
        let relations: usize = report
            .documents
            .iter()
            .map(|d| d.doc.set().relations().count())
            .sum();
        assert_eq!(relations, n_relations, "{file}");
        let original = std::fs::read_to_string(&path).unwrap();
        for (imported, line) in report.documents.iter().zip(original.lines()) {
            let (out, loss) = export_record(&imported.doc);
            assert!(loss.is_empty(), "{file}: {loss:?}");
            let want: Value = serde_json::from_str(line).unwrap();
            assert_eq!(normalised(out.clone()), normalised(want), "{file}");
            // And read again: the same document.
            let again = import_line(
                &out.to_string(),
                "again",
                1,
                &options(OffsetUnit::UnicodeScalar),
            )
            .unwrap();
            assert!(again.imported.problems.is_empty());
            let a = &again.imported.doc;
            let b = &imported.doc;
            assert_eq!(
                a.set()
                    .spans()
                    .map(|s| (s.range, &s.label, s.status))
                    .collect::<Vec<_>>(),
                b.set()
                    .spans()
                    .map(|s| (s.range, &s.label, s.status))
                    .collect::<Vec<_>>()
            );
            assert_eq!(a.set().relations().count(), b.set().relations().count());
            assert_eq!(a.meta, b.meta);
        }
    }
}

#[test]
fn prodigy_answers_tokens_and_hashes_are_kept() {
    let line = r#"{"text": "First look at the new MacBook Pro", "_input_hash": 1, "_task_hash": -2, "answer": "reject", "meta": {"source": "news"}, "tokens": [{"text": "First", "start": 0, "end": 5, "id": 0}, {"text": "look", "start": 6, "end": 10, "id": 1}, {"text": "at", "start": 11, "end": 13, "id": 2}, {"text": "the", "start": 14, "end": 17, "id": 3}, {"text": "new", "start": 18, "end": 21, "id": 4}, {"text": "MacBook", "start": 22, "end": 29, "id": 5}, {"text": "Pro", "start": 30, "end": 33, "id": 6}], "spans": [{"token_start": 5, "token_end": 6, "label": "PRODUCT", "source": "core"}, {"start": 0, "end": 10, "token_start": 0, "token_end": 2, "label": "X"}]}"#;
    let read = import_line(line, "p.jsonl", 4, &options(OffsetUnit::UnicodeScalar)).unwrap();
    let doc = &read.imported.doc;
    let got: Vec<(&str, &str, Status)> = doc
        .set()
        .spans()
        .map(|s| (s.label.as_str(), doc.set().span_text(s), s.status))
        .collect();
    // token_end is inclusive: tokens 5..6 are "MacBook Pro".
    assert_eq!(
        got,
        [
            ("X", "First look", Status::Rejected),
            ("PRODUCT", "MacBook Pro", Status::Rejected)
        ]
    );
    // Tokens 0..2 inclusive would be "First look at": reported, taken at the offsets.
    let p = &read.imported.problems;
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("p.jsonl:4: span 1: (X 0..10) token_start/token_end are 0..2"),
        "{p:?}"
    );
    assert!(p[0].contains("looks exclusive"), "{p:?}");
    let kept = &doc.meta["prodigy"];
    assert_eq!(kept["answer"], "reject");
    assert_eq!(kept["_task_hash"], -2);
    assert_eq!(kept["meta"], json!({"source": "news"}));
    let (out, loss) = export_record(doc);
    assert!(loss.is_empty());
    assert_eq!(out["_input_hash"], 1);
    assert_eq!(out["tokens"].as_array().unwrap().len(), 7);
    assert_eq!(out["meta"]["source"], "news");
    assert_eq!(out["spans"][1]["token_start"], 5);
    assert_eq!(out["spans"][1]["token_end"], 6);
    assert_eq!(out["spans"][1]["source"], "core");
    assert_eq!(
        out["spans"][0]["token_end"], 1,
        "computed again from the tokens"
    );
}

#[test]
fn relations_point_at_the_files_tokens_or_at_tokens_made_for_them() {
    let line = r##"{"text": "Smad activates Id1", "tokens": [{"text": "Smad", "start": 0, "end": 4, "id": 0}, {"text": "activates", "start": 5, "end": 14, "id": 1}, {"text": "Id1", "start": 15, "end": 18, "id": 2}], "spans": [{"start": 0, "end": 4, "label": "GGP", "token_start": 0, "token_end": 0}], "relations": [{"head": 0, "child": 2, "head_span": {"start": 0, "end": 4, "token_start": 0, "token_end": 0, "label": "GGP"}, "child_span": {"start": 15, "end": 18, "token_start": 2, "token_end": 2, "label": "GGP"}, "color": "#ffd882", "label": "Pos-Reg"}]}"##;
    let read = import_line(line, "r.jsonl", 1, &options(OffsetUnit::UnicodeScalar)).unwrap();
    assert!(
        read.imported.problems.is_empty(),
        "{:?}",
        read.imported.problems
    );
    let doc = &read.imported.doc;
    // The child span was only in the relation: it is added.
    assert_eq!(doc.set().len(), 2);
    let rel = doc.set().relations().next().unwrap();
    assert_eq!(rel.kind.as_str(), "Pos-Reg");
    let (out, loss) = export_record(doc);
    assert!(loss.is_empty());
    assert_eq!(out["relations"][0]["child"], 2);
    assert_eq!(out["relations"][0]["color"], "#ffd882");
    // Without the file's tokens, tokens are made for the relations to point at.
    let mut plain = doc.clone();
    plain.meta.clear();
    let (out, loss) = export_record(&plain);
    assert!(loss.is_empty(), "{loss:?}");
    assert_eq!(
        out["tokens"],
        json!([
            {"text": "Smad", "start": 0, "end": 4, "id": 0, "ws": true},
            {"text": "activates", "start": 5, "end": 14, "id": 1, "ws": true},
            {"text": "Id1", "start": 15, "end": 18, "id": 2, "ws": false},
        ])
    );
    assert_eq!(
        out["relations"],
        json!([{
            "head": 0,
            "child": 2,
            "head_span": {"start": 0, "end": 4, "token_start": 0, "token_end": 0, "label": "GGP"},
            "child_span": {"start": 15, "end": 18, "token_start": 2, "token_end": 2, "label": "GGP"},
            "label": "Pos-Reg",
        }])
    );
    assert_eq!(out["spans"][1]["token_start"], 2);
}

/// `doc` with the spans of `markup` and, for each `(kind, from, to)`, a relation `s{from}` →
/// `s{to}` made as the workbench makes it (the next free id, pending).
fn doc_with_relations(markup: &str, links: &[(&str, u64, u64)]) -> Document {
    let (text, spans) = crate::model::marked::marked(markup);
    let mut doc = Document::new(
        crate::model::Source {
            name: "news.txt".into(),
            ..Default::default()
        },
        crate::model::Text::new(text),
        "rita",
        crate::model::Schema::default(),
    );
    let at = Timestamp::from_unix(0);
    for span in spans {
        doc.apply(&Edit::add(span), "rita", at).unwrap();
    }
    for (kind, from, to) in links {
        let relation = crate::model::Relation::new(
            doc.set().next_id(),
            Label::new(*kind).unwrap(),
            SpanId::numbered(*from),
            SpanId::numbered(*to),
            "rita",
            at,
        );
        doc.apply(&Edit::AddRelation(relation), "rita", at).unwrap();
    }
    doc
}

/// Each relation as its kind and its ends by range and label, sorted: what a round trip keeps
/// whatever ids the format gives.
/// A relation end: its span's start, end and label.
type End = (usize, usize, String);

fn relation_view(doc: &Document) -> Vec<(String, End, End)> {
    let end = |id: &SpanId| {
        let s = doc.set().get(id).unwrap();
        (s.range.start().0, s.range.end().0, s.label.to_string())
    };
    let mut out: Vec<_> = doc
        .set()
        .relations()
        .map(|r| (r.kind.to_string(), end(&r.from), end(&r.to)))
        .collect();
    out.sort();
    out
}

/// What must hold of a record with tokens: they cover the text as spaCy's `Doc(words, spaces)`
/// rebuilds it, each span starts and ends on them, and each relation points at the last token
/// of its spans.
fn check_tokens(text: &str, out: &Value) {
    let tokens = out["tokens"].as_array().expect("tokens");
    let chars: Vec<char> = text.chars().collect();
    let mut rebuilt = String::new();
    let mut at = 0;
    for (i, t) in tokens.iter().enumerate() {
        let (start, end) = (
            t["start"].as_u64().unwrap() as usize,
            t["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(t["id"], i);
        assert_eq!(start, at, "token {i} starts where the last ended: {out}");
        assert!(start < end);
        let piece: String = chars[start..end].iter().collect();
        assert_eq!(t["text"], piece.as_str());
        rebuilt.push_str(&piece);
        at = end;
        if t["ws"] == true {
            assert_eq!(chars.get(end), Some(&' '), "ws is one space");
            rebuilt.push(' ');
            at += 1;
        }
    }
    assert_eq!(rebuilt, text);
    let bounds = |holder: &Value| {
        let (ts, te) = (
            holder["token_start"].as_u64().unwrap() as usize,
            holder["token_end"].as_u64().unwrap() as usize,
        );
        assert!(ts <= te);
        assert_eq!(tokens[ts]["start"], holder["start"], "{holder}");
        assert_eq!(tokens[te]["end"], holder["end"], "{holder}");
        te
    };
    for span in out["spans"].as_array().unwrap() {
        bounds(span);
    }
    for r in out["relations"].as_array().into_iter().flatten() {
        assert_eq!(r["head"], bounds(&r["head_span"]));
        assert_eq!(r["child"], bounds(&r["child_span"]));
    }
}

#[test]
fn tokens_made_for_relations_fit_every_span_and_give_the_text_back() {
    // A span inside a token ("Lavrov" of "Lavrov's"), one from a space, a line break, a tab,
    // NBSP, two spaces, CRLF and an emoji.
    let doc = doc_with_relations(
        "👍 [Lavrov]{actor}'s  [talks]{action}\r\n[ in]{date}\tNATO-led\u{a0}bloc [ended]{action}.",
        &[("agent", 2, 1), ("time", 2, 3), ("agent", 4, 1)],
    );
    let (out, loss) = export_record(&doc);
    assert!(loss.is_empty(), "{loss:?}");
    check_tokens(doc.text().as_str(), &out);
    // And back: the same spans and relations.
    let line = serde_json::to_string(&out).unwrap();
    let read = import_line(&line, "t.jsonl", 1, &options(OffsetUnit::UnicodeScalar)).unwrap();
    assert!(
        read.imported.problems.is_empty(),
        "{:?}",
        read.imported.problems
    );
    assert_eq!(relation_view(&read.imported.doc), relation_view(&doc));
}

#[test]
fn discontinuous_spans_cannot_be_held() {
    let read = import_line(
        r#"{"text": "North and South America"}"#,
        "d",
        1,
        &options(OffsetUnit::UnicodeScalar),
    )
    .unwrap();
    let mut doc = read.imported.doc;
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
    let (out, loss) = export_record(&doc);
    assert_eq!(loss.counts.get("discontinuous spans"), Some(&1));
    assert_eq!(out["spans"], json!([]));
}

#[test]
fn a_line_is_its_record_serialised_with_or_without_an_import_behind_it() {
    let line = r##"{"text": "Smad \"activates\" Id1 — ёж 🇺🇦", "tokens": [{"text": "Smad", "start": 0, "end": 4, "id": 0}, {"text": "activates", "start": 6, "end": 15, "id": 1}, {"text": "Id1", "start": 17, "end": 20, "id": 2}], "spans": [{"start": 0, "end": 4, "label": "GGP", "token_start": 0, "token_end": 0, "source": "x"}], "relations": [{"head": 0, "child": 2, "head_span": {"start": 0, "end": 4, "token_start": 0, "token_end": 0, "label": "GGP"}, "child_span": {"start": 17, "end": 20, "token_start": 2, "token_end": 2, "label": "GGP"}, "label": "Pos-Reg"}], "answer": "accept", "meta": {"source": "s"}}"##;
    let read = import_line(line, "r.jsonl", 1, &options(OffsetUnit::UnicodeScalar)).unwrap();
    let imported = read.imported.doc;
    let mut plain = imported.clone();
    plain.meta.clear();
    let at = Timestamp::from_unix(0);
    let mut noted = Span::new(
        SpanId::numbered(10),
        Label::new("NOTE \"q\"").unwrap(),
        CharRange::new(23, 25).unwrap(),
        "t",
        at,
    );
    noted.note = Some("a\nnote".into());
    noted.attrs.insert("iso".into(), "2021".into());
    noted.attrs.insert("a".into(), "1".into());
    let mut split = Span::new(
        SpanId::numbered(11),
        Label::new("LOC").unwrap(),
        CharRange::new(0, 20).unwrap(),
        "t",
        at,
    );
    split.fragments = vec![
        CharRange::new(0, 4).unwrap(),
        CharRange::new(17, 20).unwrap(),
    ];
    plain.apply(&Edit::add(noted), "t", at).unwrap();
    plain.apply(&Edit::add(split), "t", at).unwrap();
    // Without relations (the line written without the record's tree) and with them.
    let mut bare = plain.clone();
    let relation = bare.set().relations().next().unwrap().clone();
    bare.apply(&Edit::RemoveRelation(relation), "t", at)
        .unwrap();
    for doc in [&imported, &plain, &bare] {
        let (record, record_loss) = export_record(doc);
        let (line, line_loss) = export_line(doc);
        assert_eq!(line, serde_json::to_string(&record).unwrap());
        assert_eq!(line_loss, record_loss);
    }
    let (line, loss) = export_line(&bare);
    assert!(
        line.contains(
            r#""attrs":{"a":"1","iso":"2021"},"end":25,"label":"NOTE \"q\"","note":"a\nnote""#
        ),
        "{line}"
    );
    assert!(!line.contains("tokens"), "no relation, no tokens: {line}");
    assert_eq!(loss.counts.get("discontinuous spans"), Some(&1));
    // With its relation and no tokens of its own, the line gets tokens and keeps it.
    let (line, loss) = export_line(&plain);
    assert_eq!(loss.counts.get("relations"), None, "{loss:?}");
    assert_eq!(loss.counts.get("discontinuous spans"), Some(&1));
    let record: Value = serde_json::from_str(&line).unwrap();
    check_tokens(plain.text().as_str(), &record);
    assert_eq!(record["relations"][0]["label"], "Pos-Reg");
}

fn arb_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let pieces = prop::sample::select(vec![
        "a",
        "Lavrov's",
        " ",
        "  ",
        "東京",
        "👍",
        "👨🏻‍🚒",
        "\r\n",
        "\n",
        "\t",
        "\u{a0}",
        "e\u{301}",
        "NATO-led",
        "3.5",
        "שלום",
        "🇺🇦",
        ".",
    ]);
    prop::collection::vec(pieces, 1..30).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Random texts with emoji, CRLF, NBSP, tabs and runs of spaces, random spans anywhere on
    /// grapheme boundaries (whitespace at their edges too), each linked to the next: the tokens
    /// made for the relations give the text back, every span and relation fits them, nothing
    /// is lost, and the line reads back to the same spans and relations.
    #[test]
    fn tokens_made_for_relations_fit_random_spans(
        text in arb_text(),
        raw in proptest::collection::vec((0usize..200, 1usize..20), 1..10),
    ) {
        let text = crate::model::Text::new(text);
        let mut doc = Document::new(
            crate::model::Source::default(),
            text.clone(),
            "t",
            crate::model::Schema::default(),
        );
        let at = Timestamp::from_unix(0);
        let len = text.len_chars();
        for (n, (start, width)) in raw.into_iter().enumerate() {
            let start = text.grapheme_floor(crate::model::CharOffset(start % len)).0;
            let end = text.grapheme_ceil(crate::model::CharOffset((start + width).min(len))).0;
            let Some(range) = CharRange::new(start, end).filter(|r| !r.is_empty()) else {
                continue;
            };
            let label = Label::new(format!("L{}", n % 3)).unwrap();
            let span = Span::new(doc.set().next_id(), label, range, "t", at);
            let _ = doc.apply(&Edit::add(span), "t", at);
        }
        let ids: Vec<SpanId> = doc.set().spans().map(|s| s.id.clone()).collect();
        for pair in ids.windows(2) {
            let relation = crate::model::Relation::new(
                doc.set().next_id(),
                Label::new("next").unwrap(),
                pair[0].clone(),
                pair[1].clone(),
                "t",
                at,
            );
            doc.apply(&Edit::AddRelation(relation), "t", at).unwrap();
        }
        proptest::prop_assume!(doc.set().relation_count() > 0);
        let (line, loss) = export_line(&doc);
        proptest::prop_assert!(loss.is_empty(), "{:?}", loss);
        let record: Value = serde_json::from_str(&line).unwrap();
        check_tokens(text.as_str(), &record);
        let unit = options(OffsetUnit::UnicodeScalar);
        let read = import_line(&line, "p.jsonl", 1, &unit).unwrap();
        let problems = &read.imported.problems;
        proptest::prop_assert!(problems.is_empty(), "{:?}", problems);
        let spans = |d: &Document| -> Vec<End> {
            d.set()
                .spans()
                .map(|s| (s.range.start().0, s.range.end().0, s.label.to_string()))
                .collect()
        };
        proptest::prop_assert_eq!(spans(&read.imported.doc), spans(&doc));
        proptest::prop_assert_eq!(relation_view(&read.imported.doc), relation_view(&doc));
    }
}

#[test]
fn tokens_carried_from_conll_are_written_and_read_back_as_prodigy_tokens() {
    let conll = "AL-AIN\tB-LOC\nbeat\tO\n\nspider-man\tB-person\n";
    let opts = options(OffsetUnit::UnicodeScalar);
    let report = crate::formats::conll::import_str(conll, "in.conll", "in", &opts);
    let doc = &report.documents[0].doc;
    let (out, loss) = export_line(doc);
    assert!(loss.is_empty(), "{loss:?}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let words: Vec<&str> = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    assert_eq!(words, ["AL-AIN", "beat", "\n", "spider-man"]);
    assert_eq!(v["spans"][1]["token_start"], 3);
    // Read back, the CoNLL export uses Prodigy's tokens: nothing is split.
    let again = import_line(&out, "out.jsonl", 1, &opts).unwrap();
    let mut written = Vec::new();
    crate::formats::conll::export(&[&again.imported.doc], &mut written).unwrap();
    let written = String::from_utf8(written).unwrap();
    assert!(written.contains("AL-AIN\tB-LOC\nbeat\tO\n"), "{written}");
    assert!(written.contains("spider-man\tB-person\n"), "{written}");
}
