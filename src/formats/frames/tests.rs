use serde_json::{Value, json};

use super::*;
use crate::formats::{ExportOptions, Format, Loss, Output, export};
use crate::model::marked::{label, marked};
use crate::model::{
    CharRange, Document, Edit, Relation, Schema, Source, Span, SpanId, Text, Timestamp,
};

/// `doc` with the spans of `markup` (ids `s1`, `s2`, … in the order of their `[`).
fn doc(markup: &str) -> Document {
    doc_with(markup, |_| {})
}

/// [`doc`], each span given to `change` before it is added.
fn doc_with(markup: &str, change: impl Fn(&mut Span)) -> Document {
    let (text, spans) = marked(markup);
    let source = Source {
        name: "news.txt".into(),
        ..Source::default()
    };
    let mut doc = Document::new(source, Text::new(text), "rita", Schema::default());
    for mut span in spans {
        change(&mut span);
        doc.apply(&Edit::add(span), "rita", Timestamp::from_unix(0))
            .unwrap();
    }
    doc
}

/// Adds relation `id` of `kind` from span `s{from}` to span `s{to}`.
fn link(doc: &mut Document, id: &str, kind: &str, from: u64, to: u64) {
    let relation = Relation::new(
        SpanId::new(id).unwrap(),
        label(kind),
        SpanId::numbered(from),
        SpanId::numbered(to),
        "rita",
        Timestamp::from_unix(0),
    );
    doc.apply(
        &Edit::AddRelation(relation),
        "rita",
        Timestamp::from_unix(0),
    )
    .unwrap();
}

fn lines(doc: &Document) -> (Vec<String>, Loss) {
    let mut out = Vec::new();
    let loss = write_document(doc, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.is_empty() || text.ends_with('\n'));
    (text.lines().map(str::to_string).collect(), loss)
}

/// After an emoji (one character, two UTF-16 units, four bytes): a claim with its source, cue
/// and time, the cue's own agent (in no frame), and an event with its agent and target.
fn lavrov() -> Document {
    let mut d = doc_with(
        "👍 [Sergey Lavrov]{actor} [said]{action} on [Monday]{date} [that NATO lied]{claim}; he [met]{action} [Stoltenberg]{actor}.",
        |span| {
            if span.label.as_str() == "date" {
                span.attrs.insert("iso".into(), "2021-10-18".into());
                span.attrs.insert("source".into(), "dateparser".into());
            }
        },
    );
    link(&mut d, "r1", "source", 4, 1);
    link(&mut d, "r2", "cue", 4, 2);
    link(&mut d, "r3", "time", 4, 3);
    link(&mut d, "r4", "agent", 5, 1);
    link(&mut d, "r5", "target", 5, 6);
    link(&mut d, "r6", "agent", 2, 1);
    d
}

#[test]
fn a_claim_frame_and_an_event_frame_with_offsets_in_characters() {
    let d = lavrov();
    let sha = d.text().sha256_hex().to_string();
    let (got, loss) = lines(&d);
    let lavrov = r#"{"id":"s1","start":2,"end":15,"text":"Sergey Lavrov","label":"actor"}"#;
    let claim = format!(
        concat!(
            r#"{{"type":"claim","content":{{"id":"s4","start":31,"end":45,"text":"that NATO lied","label":"claim"}},"#,
            r#""source":[{lavrov}],"#,
            r#""cue":[{{"id":"s2","start":16,"end":20,"text":"said","label":"action"}}],"#,
            r#""time":[{{"id":"s3","start":24,"end":30,"text":"Monday","label":"date","iso":"2021-10-18"}}],"#,
            r#""name":"news.txt","annotator":"rita","text_sha256":"{sha}"}}"#
        ),
        lavrov = lavrov,
        sha = sha
    );
    let event = format!(
        concat!(
            r#"{{"type":"event","trigger":{{"id":"s5","start":50,"end":53,"text":"met","label":"action"}},"#,
            r#""agent":[{lavrov}],"#,
            r#""target":[{{"id":"s6","start":54,"end":65,"text":"Stoltenberg","label":"actor"}}],"#,
            r#""time":[],"#,
            r#""name":"news.txt","annotator":"rita","text_sha256":"{sha}"}}"#
        ),
        lavrov = lavrov,
        sha = sha
    );
    assert_eq!(got, [claim, event]);
    // "said" is the claim's cue, not an event: its agent (r6) is in no frame, and counted.
    assert_eq!(loss.counts.get(RELATIONS_IN_NO_FRAME), Some(&1));
    assert_eq!(loss.counts.len(), 1, "{loss:?}");
    // The offsets are Python's: the text at them is the span's text.
    let text: Vec<char> = d.text().as_str().chars().collect();
    let line: Value = serde_json::from_str(&got[0]).unwrap();
    let content = &line["content"];
    let (s, e) = (
        content["start"].as_u64().unwrap() as usize,
        content["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        text[s..e].iter().collect::<String>(),
        content["text"].as_str().unwrap()
    );
}

#[test]
fn roles_nobody_fills_are_empty_lists_and_a_document_without_frames_writes_nothing() {
    let d = doc("[NATO]{actor} [expelled]{action} staff. [Peace is near]{claim}.");
    let (got, loss) = lines(&d);
    let frames: Vec<Value> = got
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0]["type"], "event");
    assert_eq!(frames[0]["agent"], json!([]));
    assert_eq!(frames[0]["target"], json!([]));
    assert_eq!(frames[1]["type"], "claim");
    for role in ["source", "cue", "time"] {
        assert_eq!(frames[1][role], json!([]), "{role}");
    }
    assert!(loss.is_empty(), "{loss:?}");

    // Only actors and a relation whose kind is no role: no line, the relation counted.
    let mut d = doc("[Lavrov]{actor} and [Blinken]{actor}");
    link(&mut d, "r1", "met_with", 1, 2);
    let (got, loss) = lines(&d);
    assert!(got.is_empty());
    assert_eq!(loss.counts.get(RELATIONS_IN_NO_FRAME), Some(&1));
}

#[test]
fn a_discontinuous_span_is_written_as_its_whole_stretch_and_counted_once() {
    let mut d = doc("[Lavrov]{actor} said NATO, he added, lied.");
    let mut claim = Span::new(
        SpanId::numbered(2),
        label("claim"),
        CharRange::new(12, 32).unwrap(),
        "rita",
        Timestamp::from_unix(0),
    );
    claim.fragments = vec![
        CharRange::new(12, 16).unwrap(),
        CharRange::new(28, 32).unwrap(),
    ];
    d.apply(&Edit::add(claim), "rita", Timestamp::from_unix(0))
        .unwrap();
    link(&mut d, "r1", "source", 2, 1);
    let (got, loss) = lines(&d);
    let line: Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(line["content"]["text"], "NATO, he added, lied");
    assert_eq!(
        (
            line["content"]["start"].clone(),
            line["content"]["end"].clone()
        ),
        (json!(12), json!(32))
    );
    assert_eq!(line["source"][0]["text"], "Lavrov");
    assert_eq!(loss.counts.get(DISCONTINUOUS), Some(&1));
}

#[test]
fn the_registry_writes_the_same_bytes_for_a_corpus_as_document_by_document() {
    let format = Format::named("frames").unwrap();
    let a = lavrov();
    let b = doc("[NATO]{actor} [expelled]{action} staff.");
    let exported = export(format, &[&a, &b], &ExportOptions::default())
        .unwrap()
        .unwrap();
    let Output::Dataset(bytes) = exported.output else {
        panic!("frames is one file")
    };
    let mut want = Vec::new();
    write_document(&a, &mut want).unwrap();
    write_document(&b, &mut want).unwrap();
    assert_eq!(bytes, want);
    assert_eq!(String::from_utf8(bytes).unwrap().lines().count(), 3);
    assert_eq!(exported.loss.counts.get(RELATIONS_IN_NO_FRAME), Some(&1));
    assert!(!format.is_read() && format.is_written() && !format.per_document());
}
