//! Tests of file versions: a version 1 file (written by Spanmark before relation kinds) keeps
//! loading, keeps its bytes when saved unchanged, and becomes version 2 on the first save that
//! needs it.

use std::path::Path;

use super::*;
use crate::model::label::default_relation_kinds;
use crate::model::{Edit, SpanId, Status, Timestamp};

/// A file written by the build before version 2: `spanmark reanchor` of the export goldens'
/// `bob/rich.txt` onto a longer article, run at commit 2a94eba.
const V1: &[u8] = include_bytes!("../../../tests/fixtures/native-v1/rich.txt.spanmark.json");

fn load_v1() -> Loaded {
    from_bytes(Path::new("rich.txt.spanmark.json"), V1).unwrap()
}

fn text_of(doc: &Document) -> String {
    String::from_utf8(to_bytes(doc)).unwrap()
}

#[test]
fn a_version_1_file_loads_with_the_default_kinds_and_warns_about_its_unknown_kind() {
    let loaded = load_v1();
    assert_eq!(loaded.doc.file_version, Some(1));
    // Its labels are the default four, so every default kind fits them.
    assert_eq!(loaded.doc.schema.relations(), default_relation_kinds());
    let r = loaded.doc.set().relations().next().unwrap();
    assert_eq!((r.kind.as_str(), r.status), ("said_by", Status::Pending));
    let warnings: Vec<_> = loaded.warnings.iter().map(|w| &w.message).collect();
    assert_eq!(
        warnings,
        ["relation kind \"said_by\" (1 relation) is not in the file's schema (kept)"]
    );
}

#[test]
fn a_version_1_file_saved_unchanged_keeps_its_bytes_read_whole_or_streamed() {
    let same = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    assert_eq!(same(&to_bytes(&load_v1().doc)), same(V1));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rich.txt.spanmark.json");
    std::fs::write(&path, V1).unwrap();
    let streamed = load(&path).unwrap().doc;
    save(&streamed, &path).unwrap();
    assert_eq!(same(&std::fs::read(&path).unwrap()), same(V1));
}

#[test]
fn a_change_to_a_version_1_file_starts_the_hash_chain_in_version_2() {
    let mut doc = load_v1().doc;
    let read = doc.audit().len();
    let at = Timestamp::from_unix(1_000);
    let edit = Edit::set_note(doc.set(), &SpanId::numbered(1), Some("who?".into()), at).unwrap();
    doc.apply(&edit, "bob", at).unwrap();
    let text = text_of(&doc);
    assert!(text.contains("\"version\": 2,"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let history = v["history"].as_array().unwrap();
    // The entries read stay as they were; the chain starts with an entry that says so.
    assert!(history[..read].iter().all(|e| e.get("hash").is_none()));
    assert_eq!(history[read]["action"], "document");
    assert_eq!(
        history[read]["detail"],
        format!(
            "chain starts here; the {read} history entries before this one were written before the chain and are not covered by it"
        )
    );
    assert_eq!(history[read + 1]["action"], "set_note");
    assert_eq!(v["chain"]["head"], history[read + 1]["hash"]);
    assert_eq!(v["chain"]["entries"], read + 2);
}

#[test]
fn the_first_save_that_needs_version_2_writes_it_and_it_reads_back() {
    let at = Timestamp::from_unix(1_000);
    let r1 = SpanId::new("r1").unwrap();
    // A relation reviewed, a relation reversed, relation kinds edited: each needs version 2.
    let changes: [&dyn Fn(&mut Document); 3] = [
        &|doc| {
            let e = Edit::set_relation_status(doc.set(), &r1, Status::Accepted).unwrap();
            doc.apply(&e, "omar", at).unwrap();
        },
        &|doc| {
            let e = Edit::reverse_relation(doc.set(), &r1).unwrap();
            doc.apply(&e, "bob", at).unwrap();
        },
        &|doc| {
            let fewer = doc.schema.relations()[1..].to_vec();
            doc.schema = doc.schema.with_relations(fewer).unwrap();
        },
    ];
    for change in changes {
        let mut doc = load_v1().doc;
        change(&mut doc);
        let bytes = to_bytes(&doc);
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["version"], 2);
        assert!(v["schema"]["relations"].is_array());
        assert!(v["relations"][0]["status"].is_string());
        let back = from_bytes(Path::new("x"), &bytes).unwrap().doc;
        assert_eq!(back, doc);
        assert_eq!(back.file_version, Some(2));
        assert_eq!(to_bytes(&back), bytes);
    }
}

#[test]
fn version_2_fields_in_a_version_1_file_are_refused_by_name() {
    let text = std::str::from_utf8(V1).unwrap();
    let with_status = text.replacen(
        "\"created\": \"2026-01-01T00:00:00Z\"",
        "\"created\": \"2026-01-01T00:00:00Z\",\n      \"status\": \"accepted\"",
        1,
    );
    let err = from_bytes(Path::new("x"), with_status.as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("relation r1: \"status\" needs file version 2; the file says 1"),
        "{err}"
    );
    let with_kinds = text.replacen("\"labels\": [", "\"relations\": [],\n    \"labels\": [", 1);
    let err = from_bytes(Path::new("x"), with_kinds.as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("schema.relations needs file version 2; the file says 1"),
        "{err}"
    );
}

#[test]
fn relation_kinds_round_trip_with_their_ends_keys_and_direction() {
    let mut doc = load_v1().doc;
    let mut kinds = doc.schema.relations().to_vec();
    kinds[0].directed = false;
    kinds[1].hotkey = None;
    kinds[2].from.clear();
    doc.schema = doc.schema.with_relations(kinds.clone()).unwrap();
    let back = from_bytes(Path::new("x"), &to_bytes(&doc)).unwrap().doc;
    assert_eq!(back.schema.relations(), kinds);
}

#[test]
fn a_version_1_file_has_a_dates_iso_and_keeps_version_1_until_attributes_are_defined() {
    use crate::model::attribute::{default_attributes, implicit_attributes};
    let doc = load_v1().doc;
    for def in doc.schema.labels() {
        assert_eq!(def.attributes, implicit_attributes(def.name.as_str()));
    }
    assert_eq!(doc.schema.get("date").unwrap().attributes[0].name, "iso");
    assert!(doc.schema.get("actor").unwrap().attributes.is_empty());
    // Defining the actor's category needs version 2; it reads back as it was written.
    let mut actor = doc.schema.get("actor").unwrap().clone();
    actor.attributes = default_attributes("actor");
    actor.attributes[0].default = Some("person".into());
    let mut defined = doc.clone();
    defined.schema = doc.schema.with_replaced("actor", actor.clone()).unwrap();
    let bytes = to_bytes(&defined);
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["version"], 2);
    let written = &v["schema"]["labels"][0]["attributes"][0];
    assert_eq!(written["type"], "choice");
    assert_eq!(
        written["values"][1],
        serde_json::json!({"value": "organisation", "key": "o"})
    );
    assert!(
        v["schema"]["labels"][2].get("attributes").is_none(),
        "date keeps its implicit iso"
    );
    let back = from_bytes(Path::new("x"), &bytes).unwrap().doc;
    assert_eq!(back.schema.get("actor"), Some(&actor));
    assert_eq!(back.schema, defined.schema);
    assert_eq!(to_bytes(&back), bytes);
}

#[test]
fn attribute_definitions_are_checked_on_load() {
    let text = std::str::from_utf8(V1).unwrap();
    let in_v1 = text.replacen(
        "\"name\": \"actor\",",
        "\"name\": \"actor\",\n        \"attributes\": [],",
        1,
    );
    let err = from_bytes(Path::new("x"), in_v1.as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("schema label \"actor\": attributes need file version 2; the file says 1"),
        "{err}"
    );
    let v2 = in_v1.replacen("\"version\": 1", "\"version\": 2", 1);
    for (attrs, message) in [
        (
            r#"[{"name": "category", "type": "colour"}]"#,
            "type \"colour\" is not choice, flag, text or date",
        ),
        (
            r#"[{"name": "category", "type": "choice", "values": [{"value": "a", "key": "x"}, {"value": "b", "key": "X"}]}]"#,
            "key 'X' also picks \"a\"",
        ),
        (
            r#"[{"name": "category", "type": "choice", "values": [{"value": "a"}], "default": "b"}]"#,
            "the default \"b\" is not an allowed value",
        ),
    ] {
        let bad = v2.replacen("\"attributes\": []", &format!("\"attributes\": {attrs}"), 1);
        let err = from_bytes(Path::new("x"), bad.as_bytes()).unwrap_err();
        assert!(err.to_string().contains(message), "{err}");
    }
}

#[test]
fn rejected_suggestions_need_version_2_round_trip_and_are_refused_by_name_in_version_1() {
    use crate::model::suggestion::{Rejected, remember};
    let mut doc = load_v1().doc;
    let span = doc.set().spans().next().unwrap().clone();
    for agent in ["propagate", "dates", "dates"] {
        remember(
            &mut doc.rejected,
            Rejected {
                range: span.range,
                label: span.label.clone(),
                agent: agent.to_string(),
            },
        );
    }
    let bytes = to_bytes(&doc);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("\"version\": 2,"), "{text}");
    let (start, end) = (span.range.start().0, span.range.end().0);
    assert!(
        text.contains(&format!(
            "\"rejected\": [\n    {{\"start\": {start}, \"end\": {end}, \"label\": \"{}\", \"agent\": \"dates\"}},",
            span.label
        )),
        "{text}"
    );
    let back = from_bytes(Path::new("x"), &bytes).unwrap().doc;
    assert_eq!(back.rejected, doc.rejected);
    assert_eq!(back.rejected.len(), 2);
    assert_eq!(to_bytes(&back), bytes);

    let as_v1 = text.replacen("\"version\": 2,", "\"version\": 1,", 1);
    let err = from_bytes(Path::new("x"), as_v1.as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("\"rejected\" needs file version 2; the file says 1"),
        "{err}"
    );
    let outside = text.replacen(
        &format!("\"end\": {end}, \"label\""),
        "\"end\": 99999, \"label\"",
        1,
    );
    let err = from_bytes(Path::new("x"), outside.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("rejected[0]"), "{err}");
}
