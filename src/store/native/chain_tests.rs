//! Tests of the history's hash chain: what a save writes, what `verify` finds when the file is
//! edited outside Spanmark, and that a broken chain is never repaired silently.

use std::path::Path;

use super::chain::{self, Verification, canonical, link};
use super::file::NativeAuditEntry;
use super::*;
use crate::model::marked::marked;
use crate::model::{Edit, History, Schema, Source, SpanId, Text, Timestamp};

fn doc() -> Document {
    doc_of("[Lavrov]{actor} [said]{action} on [Monday]{date}")
}

/// The spans of `markup` added one by one, a second apart, the second by omar, the others by
/// rita.
fn doc_of(markup: &str) -> Document {
    let (text, spans) = marked(markup);
    let mut doc = Document::new(
        Source {
            name: "t.txt".into(),
            ..Source::default()
        },
        Text::new(text),
        "rita",
        Schema::default(),
    );
    let mut history = History::new();
    for (i, s) in spans.into_iter().enumerate() {
        let who = if i == 1 { "omar" } else { "rita" };
        history
            .apply(
                &mut doc,
                Edit::add(s),
                who,
                Timestamp::from_unix(100 + i as i64),
            )
            .unwrap();
    }
    doc
}

/// What `verify` finds in the file `text`; when the file loads, what the GUI finds without
/// reading it again (the chain checked as it is read, the loaded history replayed) is the same,
/// whichever way the loader reads it.
fn verify_text(text: &str) -> Verification {
    let path = Path::new("t.txt.spanmark.json");
    let whole = chain::verify_bytes(path, text.as_bytes()).unwrap();
    if let Ok(loaded) = load::from_bytes(path, text.as_bytes()) {
        assert_eq!(chain::verify_loaded(loaded.chain, &loaded.doc), whole);
    }
    let dir = tempfile::tempdir().unwrap();
    let on_disk = dir.path().join("t.txt.spanmark.json");
    std::fs::write(&on_disk, text).unwrap();
    if let Ok((loaded, _)) = load_streaming(&on_disk, &mut |_| Ok(())) {
        assert_eq!(chain::verify_loaded(loaded.chain, &loaded.doc), whole);
    }
    whole
}

fn saved() -> String {
    String::from_utf8(to_bytes(&doc())).unwrap()
}

#[test]
fn each_entry_chains_onto_the_one_before_from_the_text_digest() {
    let d = doc();
    let bytes = to_bytes(&d);
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let history = v["history"].as_array().unwrap();
    let file: NativeFile = serde_json::from_slice(&bytes).unwrap();
    let mut previous = d.text().sha256_hex().to_string();
    for (entry, json) in file.history.iter().zip(history) {
        let hash = link(&previous, entry);
        assert_eq!(json["hash"], hash.as_str());
        previous = hash;
    }
    assert_eq!(
        v["chain"],
        serde_json::json!({"head": previous, "entries": 3})
    );
    // Canonical: compact, keys sorted at every depth, no hash.
    assert_eq!(
        String::from_utf8(canonical(&file.history[0])).unwrap(),
        r#"{"action":"add","after":{"end":6,"label":"actor","start":0,"text":"Lavrov"},"at":"1970-01-01T00:01:40Z","target":"s1","who":"rita"}"#
    );
    // One line per entry, the hash last.
    let text = saved();
    let line = text
        .lines()
        .find(|l| l.contains("\"target\": \"s2\""))
        .unwrap();
    assert!(line.trim_end_matches(',').ends_with(&format!(
        "\"hash\": \"{}\"}}",
        history[1]["hash"].as_str().unwrap()
    )));
}

#[test]
fn a_clean_file_verifies_and_saves_to_the_same_bytes() {
    let text = saved();
    let v = verify_text(&text);
    assert!(v.is_ok(), "{:?}", v.findings);
    assert_eq!((v.entries, v.spans, v.relations, v.unchained), (3, 3, 0, 0));
    assert!(v.summary().starts_with("verified: 3 entries, head "));
    let loaded = from_bytes(Path::new("x"), text.as_bytes()).unwrap().doc;
    assert_eq!(String::from_utf8(to_bytes(&loaded)).unwrap(), text);
}

#[test]
fn an_edited_entry_is_named_with_its_index_time_and_author() {
    // The entry that added s2 now says it was a claim (the span itself is left alone).
    let text: Vec<String> = saved()
        .lines()
        .map(|l| {
            if l.contains("\"target\": \"s2\"") {
                l.replace("\"label\": \"action\"", "\"label\": \"claim\"")
            } else {
                l.to_string()
            }
        })
        .collect();
    let text = text.join("\n");
    let v = verify_text(&text);
    let first = &v.findings[0];
    assert_eq!(
        (first.entry, first.at.as_str(), first.who.as_str()),
        (Some(1), "1970-01-01T00:01:41Z", "omar")
    );
    assert!(
        first
            .to_string()
            .starts_with("history[1] (1970-01-01T00:01:41Z, omar): its hash does not fit"),
        "{first}"
    );
}

#[test]
fn links_checked_here_and_on_the_checker_thread_are_named_in_the_entries_order() {
    // Past the first links (checked on the reading thread) the links are hashed on a thread
    // of their own: an edited entry on each side, and a hash removed after them.
    let words: String = (0..9).map(|i| format!("[w{i}]{{actor}} ")).collect();
    let doc = doc_of(&words);
    let saved = String::from_utf8(to_bytes(&doc)).unwrap();
    let edited: Vec<String> = saved
        .lines()
        .map(|l| match () {
            _ if l.contains("\"target\": \"s2\"") || l.contains("\"target\": \"s6\"") => l
                .replace("\"who\": \"rita\"", "\"who\": \"mallory\"")
                .replace("\"who\": \"omar\"", "\"who\": \"mallory\""),
            _ if l.contains("\"target\": \"s8\"") => {
                let h = l.find(", \"hash\"").unwrap();
                format!("{}}},", &l[..h])
            }
            _ => l.to_string(),
        })
        .collect();
    let v = verify_text(&edited.join("\n"));
    let named: Vec<(Option<usize>, &str)> = v
        .findings
        .iter()
        .map(|f| (f.entry, f.who.as_str()))
        .collect();
    assert_eq!(
        named[..4],
        [
            (Some(1), "mallory"),
            (Some(5), "mallory"),
            (Some(7), "rita"),
            (Some(8), "rita")
        ],
        "{:?}",
        v.findings
    );
}

#[test]
fn a_removed_entry_is_caught_in_the_middle_and_at_the_end() {
    let text = saved();
    let lines: Vec<&str> = text.lines().collect();
    let entry = |target: &str| {
        lines
            .iter()
            .position(|l| l.contains("\"action\": \"add\"") && l.contains(target))
            .unwrap()
    };
    let without = |i: usize| {
        let mut l = lines.clone();
        l.remove(i);
        // The line before the last entry loses its comma when the last is removed.
        if !l[i].trim_start().starts_with('{') {
            l[i - 1] = l[i - 1].trim_end_matches(',');
        }
        l.join("\n")
    };
    let v = verify_text(&without(entry("\"s2\"")));
    assert_eq!(v.findings[0].entry, Some(1), "{:?}", v.findings);
    let v = verify_text(&without(entry("\"s3\"")));
    assert!(
        v.findings
            .iter()
            .any(|f| f.message.contains("chain.head and chain.entries")),
        "{:?}",
        v.findings
    );
}

#[test]
fn a_span_changed_without_an_entry_is_caught() {
    let text = saved().replacen(
        "\"label\": \"date\", \"start\": 15, \"end\": 21, \"text\": \"Monday\"",
        "\"label\": \"date\", \"start\": 15, \"end\": 20, \"text\": \"Monda\"",
        1,
    );
    let v = verify_text(&text);
    assert_eq!(v.findings.len(), 1, "{:?}", v.findings);
    assert!(
        v.findings[0].to_string().contains(
            "the last entry for s3; since then span s3 changed from date 15..21 to date 15..20 without a history entry"
        ),
        "{}",
        v.findings[0]
    );
}

#[test]
fn a_broken_chain_is_kept_and_the_next_save_records_the_break() {
    let text = saved().replacen("\"who\": \"omar\"", "\"who\": \"mallory\"", 1);
    let v = verify_text(&text);
    assert_eq!(v.findings[0].entry, Some(1));
    let mut d = from_bytes(Path::new("x"), text.as_bytes()).unwrap().doc;
    chain::note_break(&mut d, &v);
    let at = Timestamp::from_unix(500);
    let e = Edit::remove(d.set(), &SpanId::numbered(3)).unwrap();
    d.apply(&e, "rita", at).unwrap();
    let again = String::from_utf8(to_bytes(&d)).unwrap();
    let after = verify_text(&again);
    // The old break is still found (nothing was recomputed), and the file says it was seen.
    assert_eq!(after.findings[0].entry, Some(1), "{:?}", after.findings);
    assert_eq!(after.findings.len(), 1, "{:?}", after.findings);
    assert_eq!(after.recorded_breaks, [3]);
    let logged = d.audit().get(3).unwrap().detail.clone().unwrap();
    assert!(
        logged.starts_with(
            "chain broken at history[1] (1970-01-01T00:01:41Z, mallory): its hash does not fit"
        ),
        "{logged}"
    );
    // The break is recorded once: reading the file again asks for no second entry.
    assert_eq!(chain::break_note(&after), None);
    assert!(chain::break_note(&v).is_some());
}

#[test]
fn a_file_without_a_chain_is_unchained_not_failed() {
    let text = saved();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for e in v["history"].as_array_mut().unwrap() {
        e.as_object_mut().unwrap().remove("hash");
    }
    v.as_object_mut().unwrap().remove("chain");
    let v = verify_text(&serde_json::to_string(&v).unwrap());
    assert!(v.is_ok() && !v.is_chained(), "{:?}", v.findings);
    assert!(v.summary().starts_with("unchained"));
}

#[test]
fn a_hash_in_a_version_1_file_is_refused() {
    let text = saved().replacen("\"version\": 2", "\"version\": 1", 1);
    let err = from_bytes(Path::new("x"), text.as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("the history's hash chain needs file version 2; the file says 1"),
        "{err}"
    );
}

/// The canonical bytes as first defined: the entry as a JSON value, keys sorted at every
/// depth, `hash` left out. [`canonical`] writes them without the value.
fn canonical_via_value(entry: &NativeAuditEntry) -> Vec<u8> {
    fn write(out: &mut Vec<u8>, value: &serde_json::Value, top: bool) {
        match value {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<&String> = map
                    .keys()
                    .filter(|k| !(top && k.as_str() == "hash"))
                    .collect();
                keys.sort();
                out.push(b'{');
                for (i, key) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut *out, key).unwrap();
                    out.push(b':');
                    write(out, &map[key], false);
                }
                out.push(b'}');
            }
            other => serde_json::to_writer(&mut *out, other).unwrap(),
        }
    }
    let mut out = Vec::new();
    write(&mut out, &serde_json::to_value(entry).unwrap(), true);
    out
}

#[test]
fn canonical_bytes_are_the_sorted_json_value_of_every_kind_of_entry() {
    use crate::model::audit::{RelationSnapshot, SpanSnapshot};
    use crate::model::{AuditAction, AuditValue};
    use std::borrow::Cow;
    let span = |label: &str, text: &str| {
        AuditValue::Span(Box::new(SpanSnapshot {
            label: label.into(),
            start: 7,
            end: 1_234_567,
            text: text.into(),
        }))
    };
    let relation = AuditValue::Relation(Box::new(RelationSnapshot {
        kind: "source".into(),
        from: "s1".into(),
        to: "s\\2".into(),
    }));
    let entry =
        |action, target: Option<&str>, detail: Option<&str>, before, after| NativeAuditEntry {
            at: Cow::Borrowed("2026-12-05T08:00:00Z"),
            who: Cow::Borrowed("Zoë \"z\" Ng\u{7}"),
            action,
            target: target.map(|t| Cow::Owned(t.to_string())),
            detail: detail.map(str::to_string),
            before,
            after,
            hash: Some(Cow::Owned("ab".repeat(32))),
        };
    let entries = [
        entry(
            AuditAction::Add,
            Some("s1"),
            None,
            None,
            Some(span("actor", "Лавров 🇷🇺\n\t\"q\"\u{1}é")),
        ),
        entry(
            AuditAction::Remove,
            Some("s1"),
            None,
            Some(span("a/b", "\\")),
            None,
        ),
        entry(
            AuditAction::Relabel,
            Some("s1"),
            None,
            Some(AuditValue::Text("actor".into())),
            Some(AuditValue::Text("claim".into())),
        ),
        entry(
            AuditAction::SetAttr,
            Some("s1"),
            Some("iso"),
            None,
            Some(AuditValue::Text("2021-W41".into())),
        ),
        entry(
            AuditAction::AddRelation,
            Some("r1"),
            None,
            None,
            Some(relation.clone()),
        ),
        entry(
            AuditAction::Relink,
            Some("r1"),
            None,
            Some(relation.clone()),
            Some(relation),
        ),
        entry(
            AuditAction::Document,
            None,
            Some("imported from doccano \u{2028}"),
            None,
            None,
        ),
        entry(
            AuditAction::Reanchor,
            Some("s9"),
            Some("moved"),
            Some(span("date", "")),
            Some(span("date", "x")),
        ),
        entry(AuditAction::Merge, None, None, None, None),
    ];
    for e in &entries {
        assert_eq!(
            String::from_utf8(canonical(e)).unwrap(),
            String::from_utf8(canonical_via_value(e)).unwrap()
        );
    }
}
