//! Tests of the native file: round trips, determinism, and one test per refused problem.

use std::path::Path;

use super::*;
use crate::model::marked::{label, marked};
use crate::model::{
    AuditEntry, Edit, History, Origin, Relation, Schema, Source, SpanId, Status, Text, Timestamp,
};

fn doc(markup: &str) -> Document {
    let (text, spans) = marked(markup);
    let mut doc = Document::new(
        Source {
            name: "t.txt".into(),
            path: Some("t.txt".into()),
            sha256: Some("00".repeat(32)),
            encoding: "UTF-8".into(),
            bom: false,
        },
        Text::new(text),
        "rita",
        Schema::default(),
    );
    let mut history = History::new();
    for s in spans {
        history
            .apply(&mut doc, Edit::add(s), "rita", Timestamp::from_unix(100))
            .unwrap();
    }
    doc
}

fn rich_doc() -> Document {
    let mut d = doc(
        "[[Lavrov]{actor} [said]{action} on [Monday]{date}]{claim}\r\n👨🏻‍🚒 [東京]{actor} e\u{301}",
    );
    let t = Timestamp::from_unix(200);
    let set = d.set().clone();
    let e = Edit::set_attr(
        &set,
        &SpanId::numbered(4),
        "iso",
        Some("2021-10-18".into()),
        t,
    )
    .unwrap();
    d.apply(&e, "rita", t).unwrap();
    let set = d.set().clone();
    let e = Edit::set_status(&set, &SpanId::numbered(2), Status::Accepted, t).unwrap();
    d.apply(&e, "omar", t).unwrap();
    let set = d.set().clone();
    let e = Edit::set_note(
        &set,
        &SpanId::numbered(1),
        Some("quote \"verbatim\"".into()),
        t,
    )
    .unwrap();
    d.apply(&e, "rita", t).unwrap();
    let rel = Relation {
        id: SpanId::new("r1").unwrap(),
        kind: label("source"),
        from: SpanId::numbered(1),
        to: SpanId::numbered(2),
        author: "rita".into(),
        created: t,
        status: crate::model::Status::Pending,
        note: None,
        attrs: Default::default(),
    };
    d.apply(&Edit::AddRelation(rel), "rita", t).unwrap();
    d.log(AuditEntry::document(t, "rita", "imported from jsonl"));
    d
}

fn load_bytes(bytes: &[u8]) -> Result<Loaded, NativeError> {
    from_bytes(Path::new("x.spanmark.json"), bytes)
}

fn edited(f: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(&to_bytes(&rich_doc())).unwrap();
    f(&mut v);
    serde_json::to_vec_pretty(&v).unwrap()
}

fn problems_of(bytes: &[u8]) -> Vec<String> {
    match load_bytes(bytes) {
        Err(NativeError::Invalid { problems, .. }) => {
            problems.into_iter().map(|p| p.message).collect()
        }
        other => panic!("expected an invalid file, got {other:?}"),
    }
}

#[test]
fn round_trip_is_byte_identical() {
    let d = rich_doc();
    let bytes = to_bytes(&d);
    let loaded = load_bytes(&bytes).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.doc, d);
    assert_eq!(to_bytes(&loaded.doc), bytes);
}

/// Found by the `native_loader` fuzz target: a 107-digit integer kept in `document.meta` (a
/// Prodigy token's `start`) was read as a float a little off the nearest one, so the number
/// written back read as another float: load, save, load changed the document.
#[test]
fn numbers_kept_from_other_tools_survive_save_and_load_exactly() {
    let long = format!("{}18446744073709551444", "9".repeat(14) + &"0".repeat(73));
    let bytes = String::from_utf8(edited(|v| {
        v["document"]["meta"] =
            serde_json::json!({"prodigy": {"start": "LONG", "x": [0.1, 1e-300, -2.5e-8]}});
    }))
    .unwrap()
    .replace("\"LONG\"", &long);
    let first = load_bytes(bytes.as_bytes()).unwrap().doc;
    let saved = to_bytes(&first);
    let second = load_bytes(&saved).unwrap().doc;
    assert_eq!(second, first);
    assert_eq!(to_bytes(&second), saved);
}

#[test]
fn the_file_says_what_the_architecture_says() {
    let v: serde_json::Value = serde_json::from_slice(&to_bytes(&rich_doc())).unwrap();
    assert_eq!(v["format"], "spanmark");
    assert_eq!(v["version"], 2);
    assert_eq!(v["schema"]["relations"][0]["name"], "source");
    assert_eq!(
        v["schema"]["relations"][0]["from"],
        serde_json::json!(["claim"])
    );
    assert_eq!(v["relations"][0]["status"], "pending");
    assert_eq!(v["offsets"], "unicode-scalar");
    assert_eq!(v["annotator"], "rita");
    let text = v["document"]["text"].as_str().unwrap();
    assert!(text.contains("\r\n"), "CRLF kept");
    assert_eq!(
        v["document"]["text_sha256"],
        crate::store::hash::sha256_hex(text.as_bytes())
    );
    let s = &v["spans"][0];
    assert_eq!(
        (s["id"].as_str(), s["label"].as_str()),
        (Some("s2"), Some("actor"))
    );
    assert_eq!((s["start"].as_u64(), s["end"].as_u64()), (Some(0), Some(6)));
    assert_eq!(s["text"], "Lavrov");
    assert_eq!(s["prefix"], "");
    assert_eq!(s["suffix"], " said on Monday\r\n👨🏻\u{200d}🚒 東京 e\u{301}");
    assert_eq!(s["status"], "accepted");
    assert_eq!(s["origin"], "manual");
    assert_eq!(s["created"], "1970-01-01T00:00:00Z");
    assert_eq!(s["modified"], "1970-01-01T00:03:20Z");
    // The CJK span is at scalar offsets, after CRLF (2) and the 4-scalar fireman.
    let tokyo = v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"] == "東京")
        .unwrap();
    assert_eq!(
        (tokyo["start"].as_u64(), tokyo["end"].as_u64()),
        (Some(28), Some(30))
    );
    assert_eq!(v["relations"][0]["kind"], "source");
    let history = v["history"].as_array().unwrap();
    assert_eq!(history[0]["action"], "add");
    assert_eq!(history[0]["after"]["text"], "Lavrov said on Monday");
    assert_eq!(history.last().unwrap()["action"], "document");
    assert!(history.iter().any(|h| h["who"] == "omar"
        && h["action"] == "set_status"
        && h["before"] == "pending"
        && h["after"] == "accepted"));
}

#[test]
fn output_is_deterministic_whatever_the_insertion_order() {
    let (text, spans) = marked("[a]{actor} [b]{date} [c]{claim}");
    let build = |order: &[usize]| {
        let mut d = Document::new(
            Source::default(),
            Text::new(text.clone()),
            "x",
            Schema::default(),
        );
        for &i in order {
            d.apply(&Edit::add(spans[i].clone()), "x", Timestamp::from_unix(1))
                .unwrap();
        }
        // The audit log records order; compare the spans part only.
        let v: serde_json::Value = serde_json::from_slice(&to_bytes(&d)).unwrap();
        serde_json::to_string(&v["spans"]).unwrap()
    };
    assert_eq!(build(&[0, 1, 2]), build(&[2, 0, 1]));
}

#[test]
fn newer_version_is_refused_before_anything_else() {
    let bytes = edited(|v| {
        v["version"] = 7.into();
        v["a_field_from_the_future"] = true.into();
    });
    let err = load_bytes(&bytes).unwrap_err();
    assert!(matches!(err, NativeError::NewerVersion { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("newer Spanmark") && msg.contains("version 7"),
        "{msg}"
    );
    assert!(msg.ends_with("x.spanmark.json"), "{msg}");
}

#[test]
fn not_a_spanmark_file() {
    assert!(matches!(
        load_bytes(br#"{"text": "hi", "spans": []}"#),
        Err(NativeError::NotSpanmark { .. })
    ));
    assert!(matches!(
        load_bytes(b" [1, 2]"),
        Err(NativeError::NotSpanmark { .. })
    ));
    assert!(matches!(load_bytes(b"oops"), Err(NativeError::Json { .. })));
    assert!(matches!(load_bytes(b""), Err(NativeError::Empty { .. })));
    assert!(matches!(
        load_bytes(b"  \n"),
        Err(NativeError::Empty { .. })
    ));
}

#[test]
fn garbage_and_deep_nesting_are_json_errors_with_a_position() {
    let err = load_bytes(b"{\n  \"format\": \"spanmark\",\n  oops").unwrap_err();
    match err {
        NativeError::Json { line, .. } => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
    let deep = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert!(matches!(
        load_bytes(deep.as_bytes()),
        Err(NativeError::Json { .. })
    ));
    let deep_array = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(load_bytes(deep_array.as_bytes()).is_err());
    let deep_inside = format!(
        "{{\"format\": \"spanmark\", \"version\": 1, \"x\": {}{}}}",
        "{\"a\":".repeat(50_000),
        "}".repeat(50_000)
    );
    assert!(matches!(
        load_bytes(deep_inside.as_bytes()),
        Err(NativeError::Json { .. })
    ));
    assert!(matches!(
        load_bytes(&[0xff, 0xfe, 0, 1]),
        Err(NativeError::Json { .. })
    ));
}

#[test]
fn unknown_fields_are_refused_with_their_name() {
    let bytes = edited(|v| v["spans"][0]["colour"] = "red".into());
    match load_bytes(&bytes).unwrap_err() {
        NativeError::Json { message, .. } => assert!(message.contains("colour"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_invariant_violation_is_reported_with_the_span_id() {
    type Change = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|v| v["spans"][1]["end"] = 999.into()),
            "runs past the end",
        ),
        (
            Box::new(|v| {
                v["spans"][1]["start"] = 5.into();
                v["spans"][1]["end"] = 2.into();
            }),
            "reversed",
        ),
        (
            Box::new(|v| v["spans"][1]["end"] = v["spans"][1]["start"].clone()),
            "empty range",
        ),
        (
            Box::new(|v| v["spans"][1]["id"] = "s2".into()),
            "used twice",
        ),
        (
            Box::new(|v| v["spans"][1]["id"] = "has space".into()),
            "not allowed",
        ),
        (
            Box::new(|v| {
                v["spans"][2]["start"] = v["spans"][1]["start"].clone();
                v["spans"][2]["end"] = v["spans"][1]["end"].clone();
                v["spans"][2]["label"] = v["spans"][1]["label"].clone();
            }),
            "already has range",
        ),
        (
            Box::new(|v| v["spans"][1]["text"] = "Putin".into()),
            "\"text\" is \"Putin\"",
        ),
        (Box::new(|v| v["spans"][1]["prefix"] = "x".into()), "prefix"),
        (
            Box::new(|v| v["spans"][1]["created"] = "Monday".into()),
            "RFC 3339",
        ),
        (
            Box::new(|v| v["relations"][0]["to"] = "s99".into()),
            "does not exist",
        ),
        (
            Box::new(|v| v["document"]["text_sha256"] = "ab".into()),
            "text_sha256",
        ),
        (Box::new(|v| v["offsets"] = "utf-16".into()), "offsets"),
        (
            Box::new(|v| v["schema"]["labels"][1]["hotkey"] = "1".into()),
            "hotkey",
        ),
        (
            Box::new(|v| v["schema"]["labels"][1]["colour"] = "orange".into()),
            "colour",
        ),
        (Box::new(|v| v["version"] = 0.into()), "version"),
    ];
    for (change, expected) in cases {
        let messages = problems_of(&edited(change));
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "expected {expected:?} in {messages:?}"
        );
    }
    // A span that splits a grapheme: the fireman emoji is 4 scalars at 23..27.
    let messages = problems_of(&edited(|v| {
        let s = v["spans"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|s| s["text"] == "東京")
            .unwrap();
        s["start"] = 24.into();
        s["text"] = "🏻\u{200d}🚒 東京".into();
        s["prefix"] = "aid on Monday\r\n👨".into();
    }));
    assert!(
        messages
            .iter()
            .any(|m| m.contains("grapheme") && m.contains("span s5")),
        "{messages:?}"
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let bytes = edited(|v| {
        v["spans"][0]["end"] = 999.into();
        v["spans"][1]["text"] = "nope".into();
        v["spans"][2]["created"] = "yesterday".into();
    });
    let err = load_bytes(&bytes).unwrap_err();
    assert_eq!(err.problems().len(), 3, "{err}");
    let msg = err.to_string();
    assert!(msg.starts_with("3 problems in x.spanmark.json:"), "{msg}");
}

#[test]
fn unknown_labels_are_kept_with_a_warning() {
    let bytes = edited(|v| {
        v["spans"][0]["label"] = "PERSON".into();
    });
    let loaded = load_bytes(&bytes).unwrap();
    assert_eq!(loaded.doc.set().len(), 5);
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.warnings[0].message.contains("PERSON"));
}

#[test]
fn a_utf8_bom_before_the_json_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(to_bytes(&rich_doc()));
    assert!(load_bytes(&bytes).is_ok());
}

#[test]
fn save_and_load_through_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    let native = path_beside(&article);
    assert_eq!(native.file_name().unwrap(), "a.txt.spanmark.json");
    assert!(is_native_path(&native) && !is_native_path(&article));
    assert_eq!(article_beside(&native).unwrap(), article);
    let d = rich_doc();
    save(&d, &native).unwrap();
    let loaded = load(&native).unwrap();
    assert_eq!(loaded.doc, d);
    let missing = load(&dir.path().join("none.spanmark.json")).unwrap_err();
    assert!(missing.to_string().contains("none.spanmark.json"));
}

#[test]
fn origins_and_statuses_survive() {
    let mut d = doc("[x]{actor} [y]{date}");
    let set = d.set().clone();
    let e = Edit::set_status(
        &set,
        &SpanId::numbered(2),
        Status::Rejected,
        Timestamp::from_unix(9),
    )
    .unwrap();
    d.apply(&e, "r", Timestamp::from_unix(9)).unwrap();
    let loaded = load_bytes(&to_bytes(&d)).unwrap().doc;
    let statuses: Vec<_> = loaded.set().spans().map(|s| (s.status, s.origin)).collect();
    assert_eq!(
        statuses,
        [
            (Status::Pending, Origin::Manual),
            (Status::Rejected, Origin::Manual)
        ]
    );
}

#[test]
fn the_committed_json_schema_is_the_generated_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/spanmark.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == json_schema(),
        "{} is out of date: run `cargo run -- schema > schema/spanmark.schema.json`",
        path.display()
    );
}

#[test]
fn files_we_write_satisfy_the_schema_required_fields() {
    // A light structural check against the schema: every required key of the top level and of a
    // span is present in what we write.
    let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
    let file: serde_json::Value = serde_json::from_slice(&to_bytes(&rich_doc())).unwrap();
    for key in schema["required"].as_array().unwrap() {
        assert!(file.get(key.as_str().unwrap()).is_some(), "missing {key}");
    }
    let span_required = schema["$defs"]["NativeSpan"]["required"]
        .as_array()
        .unwrap();
    for key in span_required {
        assert!(
            file["spans"][0].get(key.as_str().unwrap()).is_some(),
            "span misses {key}"
        );
    }
}

#[test]
fn discontinuous_spans_round_trip_and_bad_fragments_are_reported() {
    let (text, _) = marked("North and South America");
    let mut d = Document::new(
        Source::default(),
        Text::new(text),
        "rita",
        Schema::default(),
    );
    let mut span = crate::model::Span::new(
        SpanId::new("T1").unwrap(),
        label("place"),
        crate::model::CharRange::new(0, 23).unwrap(),
        "rita",
        Timestamp::from_unix(1),
    );
    span.fragments = vec![
        crate::model::CharRange::new(0, 5).unwrap(),
        crate::model::CharRange::new(16, 23).unwrap(),
    ];
    d.apply(&Edit::add(span), "rita", Timestamp::from_unix(1))
        .unwrap();
    let bytes = to_bytes(&d);
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        v["spans"][0]["fragments"],
        serde_json::json!([[0, 5], [16, 23]])
    );
    let loaded = load_bytes(&bytes).unwrap().doc;
    assert_eq!(loaded, d);
    assert_eq!(to_bytes(&loaded), bytes);
    let mut v2 = v.clone();
    v2["spans"][0]["fragments"] = serde_json::json!([[0, 5], [4, 23]]);
    let messages = problems_of(&serde_json::to_vec(&v2).unwrap());
    assert!(
        messages
            .iter()
            .any(|m| m.contains("span T1") && m.contains("fragments")),
        "{messages:?}"
    );
}

#[test]
fn spans_written_on_every_core_give_the_bytes_of_one_serialisation() {
    let many: String = (0..40).map(|i| format!("[w{i}]{{actor}} ")).collect();
    for d in [doc(""), doc("[one]{actor}"), rich_doc(), doc(&many)] {
        let whole = super::write::native_file(&d);
        let capacity = 1 << 16;
        let want = layout::to_vec(&whole, capacity).unwrap();
        let got = to_bytes(&d);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        );
    }
}

/// What loading `bytes` from a file gives, streaming and whole, and which way it streamed.
fn both_ways(bytes: &[u8]) -> (String, String, &'static str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt.spanmark.json");
    std::fs::write(&path, bytes).unwrap();
    let mut read = 0;
    let streamed = load_streaming(&path, &mut |n| {
        read += n;
        Ok(())
    });
    if let Ok((_, stamp)) = &streamed {
        assert_eq!(*stamp, crate::store::guard::FileStamp::of_bytes(bytes));
    }
    // Documents compared by their bytes (their id index is a hash map, in no fixed order).
    let shown = |r: Result<Loaded, NativeError>| match r {
        Ok(l) => format!(
            "Ok({} {:?} {:?})",
            String::from_utf8_lossy(&to_bytes(&l.doc)),
            l.warnings,
            l.chain
        ),
        Err(e) => format!("Err({e} {e:?})"),
    };
    let streamed = shown(streamed.map(|(l, _)| l));
    let whole = shown(from_bytes(&path, bytes));
    (streamed, whole, stream::way(&path))
}

#[test]
fn a_file_read_streaming_gives_what_it_gives_read_whole() {
    let many: String = (0..30).map(|i| format!("[w{i}]{{actor}} ")).collect();
    let mut refused = rich_doc();
    refused.source.name = "refused".into();
    for d in [doc(""), doc("[one]{actor}"), rich_doc(), doc(&many)] {
        let bytes = to_bytes(&d);
        let (streamed, whole, way) = both_ways(&bytes);
        assert_eq!(streamed, whole);
        assert!(whole.starts_with("Ok("), "{whole}");
        if d.set().is_empty() {
            assert_eq!(way, "whole", "an empty span list is on one line");
        } else {
            assert_eq!(way, "streamed");
        }
        // Entries the history check refuses, and one whose hash does not fit: the same
        // problems in the same order (after the relations'), the same chain findings.
        let text = String::from_utf8(bytes.clone()).unwrap();
        if let Some(i) = text.find("\n    {\"at\": \"") {
            let at = i + "\n    {\"at\": \"".len();
            let mut broken = text.clone();
            broken.replace_range(at..at + 4, "year");
            let dangling = broken.replacen("\"to\": \"s", "\"to\": \"x", 1);
            let tampered = text.replacen("\"who\": \"rita\"", "\"who\": \"mallory\"", 1);
            for v in [broken, dangling, tampered] {
                let (streamed, whole, way) = both_ways(v.as_bytes());
                assert_eq!(streamed, whole, "{v}");
                assert_eq!(way, "streamed");
            }
            // The history's opening joined to its first entry: not read an entry a line, and
            // not lost either (the whole parse reads it).
            let joined = text.replacen("\"history\": [\n", "\"history\": [", 1);
            let (streamed, whole, _) = both_ways(joined.as_bytes());
            assert_eq!(streamed, whole);
            assert!(whole.contains("\"action\": \"add\""), "{whole}");
        }
        // Other layouts and broken files: the same result, every message the same.
        for v in super::codec_tests::layouts_and_cuts(&bytes) {
            let (streamed, whole, _) = both_ways(&v);
            assert_eq!(streamed, whole, "{}", String::from_utf8_lossy(&v));
        }
    }
}

#[test]
fn history_entries_share_the_ids_of_the_spans_they_name() {
    // A file with a history entry for each span would otherwise hold each id twice.
    let mut d = rich_doc();
    let remove = Edit::remove(d.set(), &SpanId::numbered(1)).unwrap();
    d.apply(&remove, "rita", Timestamp::from_unix(300)).unwrap();
    let bytes = to_bytes(&d);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt.spanmark.json");
    std::fs::write(&path, &bytes).unwrap();
    let streamed = load_streaming(&path, &mut |_| Ok(())).unwrap().0;
    let whole = load_bytes(&bytes).unwrap();
    for loaded in [streamed, whole] {
        let doc = &loaded.doc;
        let mut shared = 0;
        for entry in doc.audit().refs() {
            let Some(target) = entry.target else {
                continue;
            };
            match doc.set().get(target) {
                Some(span) => {
                    assert!(span.id.is_shared_with(target), "{target}");
                    shared += 1;
                }
                // A removed span's entries, and a removed relation's, keep their own copy.
                None => assert!(["s1", "r1"].contains(&target.as_str()), "{target}"),
            }
        }
        assert!(shared >= 2, "{shared}");
    }
}

/// What reading `bytes` each way gives: the document's bytes (history and all) or the error.
fn read_with(bytes: &[u8], history: HistoryUse) -> Result<Loaded, String> {
    from_bytes_with(Path::new("x.spanmark.json"), bytes, history).map_err(|e| e.to_string())
}

#[test]
fn reading_without_the_history_checks_every_entry_as_loading_does() {
    let good = to_bytes(&rich_doc());
    let loaded = read_with(&good, HistoryUse::Verify).unwrap();
    let kept = read_with(&good, HistoryUse::Keep).unwrap();
    let checked = read_with(&good, HistoryUse::Check).unwrap();
    assert!(!loaded.doc.audit().is_empty());
    assert!(loaded.chain.is_chained());
    // Keep: the same document, with its history and the hashes read; the chain not checked.
    assert_eq!(to_bytes(&kept.doc), good);
    assert_eq!(kept.chain, chain::Verification::default());
    // Check: the same spans, relations and warnings, no history.
    assert!(checked.doc.audit().is_empty());
    assert!(checked.doc.chain.stored.is_empty());
    assert_eq!(checked.chain, chain::Verification::default());
    assert_eq!(checked.warnings, loaded.warnings);
    assert_eq!(
        checked.doc.set().spans().collect::<Vec<_>>(),
        loaded.doc.set().spans().collect::<Vec<_>>()
    );
    assert_eq!(
        checked.doc.set().relations().collect::<Vec<_>>(),
        loaded.doc.set().relations().collect::<Vec<_>>()
    );
    // A history that does not load does not read either way, with the same message; one
    // whose chain is broken (which loading reports to `spanmark verify`, not as a problem)
    // reads every way.
    type Edit = fn(&mut serde_json::Value);
    let refused: [(&str, Edit); 8] = [
        ("an entry's time", |v| {
            v["history"][0]["at"] = "yesterday".into()
        }),
        ("an entry's target", |v| {
            v["history"][0]["target"] = "no spaces".into()
        }),
        ("an unknown action", |v| {
            v["history"][0]["action"] = "erase".into()
        }),
        ("an unknown field", |v| {
            v["history"][1]["why"] = "because".into()
        }),
        ("a snapshot's shape", |v| {
            v["history"][0]["after"] = serde_json::json!({"label": "actor", "start": -1})
        }),
        ("a time that is not a string", |v| {
            v["history"][0]["at"] = 5.into()
        }),
        ("history that is not a list", |v| {
            v["history"] = "none".into()
        }),
        ("a chain in version 1", |v| v["version"] = 1.into()),
    ];
    for (what, edit) in refused {
        let bytes = edited(edit);
        let want = read_with(&bytes, HistoryUse::Verify)
            .map(|_| ())
            .unwrap_err();
        for history in [HistoryUse::Keep, HistoryUse::Check] {
            let got = read_with(&bytes, history).map(|_| ());
            assert_eq!(got, Err(want.clone()), "{what}, {history:?}");
        }
    }
    let broken = edited(|v| v["history"][1]["who"] = "mallory".into());
    let verified = read_with(&broken, HistoryUse::Verify).unwrap();
    assert!(!verified.chain.is_ok());
    for history in [HistoryUse::Keep, HistoryUse::Check] {
        assert!(read_with(&broken, history).is_ok(), "{history:?}");
    }
}

#[test]
fn files_read_one_after_another_each_have_their_own_schema_checked() {
    // The same thread reads: a schema, another, the first again, one with a problem twice.
    let first = to_bytes(&rich_doc());
    let other = edited(|v| v["schema"]["labels"][0]["colour"] = "#010203".into());
    let broken = edited(|v| v["schema"]["labels"][0]["colour"] = "red".into());
    let schema_of = |bytes: &[u8]| load_bytes(bytes).unwrap().doc.schema;
    let (a, b) = (schema_of(&first), schema_of(&other));
    assert_ne!(a, b);
    assert_eq!(b.labels()[0].colour, crate::model::Rgb(1, 2, 3));
    assert_eq!(schema_of(&first), a);
    assert_eq!(schema_of(&other), b);
    for _ in 0..2 {
        let problems = problems_of(&broken);
        assert!(problems.iter().any(|p| p.contains("red")), "{problems:?}");
    }
    assert_eq!(schema_of(&other), b);
}
