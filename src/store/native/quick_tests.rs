//! The quick way of reading a span's and a history entry's line ([`super::quick`]) against
//! serde's.

use std::borrow::Cow;
use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Serialize;

use super::file::NativeAuditEntry;
use super::history_line::read_as_written as entry;
use super::layout::SpanPerLine;
use super::span_line::NativeSpan;
use super::span_line::read_as_written as span;
use crate::model::audit::{RelationSnapshot, SpanSnapshot};
use crate::model::audit_value::checking_only;
use crate::model::{AuditAction, AuditValue, Origin, Status};

/// `value` on one line as the file has it (the span and history writers' form; the codec
/// tests pin those to this).
fn line(value: &impl Serialize) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SpanPerLine::span_line());
    value.serialize(&mut ser).unwrap();
    String::from_utf8(out).unwrap()
}

fn span_of(id: String, text: String, n: (usize, usize), status: usize) -> NativeSpan<'static> {
    NativeSpan {
        id: Cow::Owned(id),
        label: Cow::Borrowed("actor"),
        start: n.0,
        end: n.1,
        text: Cow::Owned(text.clone()),
        prefix: Cow::Owned(text.chars().rev().collect()),
        suffix: Cow::Borrowed(""),
        author: Cow::Borrowed("ana"),
        created: Cow::Borrowed("2024-01-02T03:04:05Z"),
        modified: Cow::Borrowed("2024-01-02T03:04:05.5Z"),
        status: Status::ALL[status % 3],
        origin: Origin::ALL[status % 3],
        note: None,
        attrs: BTreeMap::new(),
        fragments: Vec::new(),
    }
}

fn entry_of(
    text: String,
    action: usize,
    value: usize,
    n: (usize, usize),
) -> NativeAuditEntry<'static> {
    let of = |which: usize| match which % 4 {
        0 => None,
        1 => Some(AuditValue::text(&text)),
        2 => Some(AuditValue::Span(Box::new(SpanSnapshot {
            label: "claim".into(),
            start: n.0,
            end: n.1,
            text: text.as_str().into(),
        }))),
        _ => Some(AuditValue::Relation(Box::new(RelationSnapshot {
            kind: text.as_str().into(),
            from: "s1".into(),
            to: "s2".into(),
        }))),
    };
    NativeAuditEntry {
        at: Cow::Borrowed("2024-01-02T03:04:05Z"),
        who: Cow::Owned(text.clone()),
        action: AuditAction::ALL[action % AuditAction::ALL.len()],
        target: value
            .is_multiple_of(2)
            .then(|| Cow::Owned(format!("s{}", n.0))),
        detail: value.is_multiple_of(3).then(|| text.clone()),
        before: of(value / 4),
        after: of(value / 16 + 1),
        hash: (!value.is_multiple_of(5)).then_some(Cow::Borrowed("ab12")),
    }
}

/// Pieces that break a line in the ways the quick way must notice.
const PIECES: [&str; 16] = [
    " ",
    ",",
    "}",
    "{",
    "\"",
    "\\",
    "\\u",
    "\\ud83d",
    "0",
    "-",
    ".5",
    "e3",
    "null",
    "\t",
    "\"x\": 1, ",
    "\"note\": \"n\", ",
];

fn broken(line: &str, edits: &[(usize, prop::sample::Index, prop::sample::Index)]) -> String {
    let mut bytes = line.as_bytes().to_vec();
    for (kind, a, b) in edits {
        let at = a.index(bytes.len() + 1);
        if kind % 2 == 0 {
            let piece = PIECES[b.index(PIECES.len())].as_bytes();
            bytes.splice(at..at, piece.iter().copied());
        } else {
            bytes.drain(at..(at + 1 + b.index(6)).min(bytes.len()));
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Where `a` is in [`AuditAction::ALL`]: a variant added to the enum and not to the list fails
/// to compile here (and would otherwise only be left to serde).
fn position_of(a: AuditAction) -> usize {
    use AuditAction::*;
    match a {
        Add => 0,
        Remove => 1,
        Relabel => 2,
        Resize => 3,
        SetNote => 4,
        SetStatus => 5,
        SetAttr => 6,
        AddRelation => 7,
        RemoveRelation => 8,
        Relink => 9,
        Document => 10,
        Reanchor => 11,
        Merge => 12,
    }
}

#[test]
fn every_action_and_origin_is_listed() {
    for (i, a) in AuditAction::ALL.into_iter().enumerate() {
        assert_eq!(position_of(a), i, "{a:?}");
    }
    for o in Origin::ALL {
        // Exhaustive: a new origin fails to compile here.
        let listed = match o {
            Origin::Manual | Origin::Suggested | Origin::Imported => 3,
        };
        assert_eq!(Origin::ALL.len(), listed);
    }
}

#[test]
fn every_name_is_serdes() {
    for s in Status::ALL {
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{}\"", s.as_str())
        );
    }
    for o in Origin::ALL {
        assert_eq!(
            serde_json::to_string(&o).unwrap(),
            format!("\"{}\"", o.as_str())
        );
    }
    for a in AuditAction::ALL {
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            format!("\"{}\"", a.as_str())
        );
    }
}

#[test]
fn a_written_span_with_a_note_and_attributes_is_read_the_quick_way() {
    let mut s = span_of("s1".into(), "a \"b\"\n\u{1}é😀\\".into(), (3, 9), 1);
    s.note = Some("see \"this\"\t".into());
    s.attrs = BTreeMap::from([("iso".into(), "2021".into()), ("x y".into(), "\n".into())]);
    let written = line(&s);
    assert_eq!(span(&written), Some(s.clone()), "{written}");
    // Escaped strings are owned, plain ones borrowed, as serde has them.
    let quick = span(&written).unwrap();
    assert!(matches!(quick.text, Cow::Owned(_)) && matches!(quick.id, Cow::Borrowed(_)));
    // Fragments are left to serde.
    s.fragments = vec![[3, 4], [5, 9]];
    assert_eq!(span(&line(&s)), None);
}

#[test]
fn what_the_quick_way_leaves_to_serde() {
    let written = line(&span_of("s1".into(), "x".into(), (3, 9), 0));
    for (from, to) in [
        ("\"start\": 3", "\"start\": 03"),
        ("\"start\": 3", "\"start\": 3.0"),
        ("\"start\": 3", "\"start\": -3"),
        ("\"start\": 3", "\"start\": 99999999999999999999999"),
        ("\"text\": \"x\"", "\"text\": \"\\ud83d\\ude00\""),
        ("\"text\": \"x\"", "\"text\": \"\\x\""),
        ("\"text\": \"x\"", "\"text\": \"\t\""),
        ("\"status\": \"pending\"", "\"status\": \"Pending\""),
        ("\"label\": \"actor\", ", ""),
        ("{\"id\"", "{ \"id\""),
    ] {
        let changed = written.replacen(from, to, 1);
        assert_ne!(changed, written);
        assert_eq!(span(&changed), None, "{changed}");
    }
    // A surrogate pair serde reads; the quick way leaves it.
    let pair = written.replacen("\"text\": \"x\"", "\"text\": \"\\ud83d\\ude00\"", 1);
    assert!(serde_json::from_str::<NativeSpan>(&pair).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_written_span_is_read_the_quick_way_as_serde_reads_it(
        id in "[!-~]{1,8}", text in any::<String>(), a in any::<usize>(), b in 0usize..1000,
        status in 0usize..3,
    ) {
        let s = span_of(id, text, (a, b), status);
        let written = line(&s);
        prop_assert_eq!(span(&written), Some(s));
    }

    #[test]
    fn a_written_entry_is_read_the_quick_way_as_serde_reads_it(
        text in any::<String>(), action in 0usize..13, value in 0usize..64,
        a in any::<usize>(), b in 0usize..1000,
    ) {
        let e = entry_of(text, action, value, (a, b));
        let written = line(&e);
        prop_assert_eq!(entry(&written), Some(e.clone()));
        // Only checking, each value is what serde gives then.
        let quick = checking_only(|| entry(&written));
        let serde = checking_only(|| serde_json::from_str::<NativeAuditEntry>(&written).ok());
        prop_assert_eq!(quick, serde);
    }

    #[test]
    fn a_broken_line_is_read_as_serde_reads_it_or_left_to_serde(
        text in "[a-zé\"\\\\\n]{0,6}", value in 0usize..64,
        edits in prop::collection::vec(
            (any::<usize>(), any::<prop::sample::Index>(), any::<prop::sample::Index>()),
            1..4,
        ),
    ) {
        let s = line(&span_of("s1".into(), text.clone(), (1, 2), value));
        let s = broken(&s, &edits);
        if let Some(quick) = span(&s) {
            prop_assert_eq!(Some(quick), serde_json::from_str::<NativeSpan>(&s).ok(), "{}", s);
        }
        let e = line(&entry_of(text, value, value, (1, 2)));
        let e = broken(&e, &edits);
        if let Some(quick) = entry(&e) {
            prop_assert_eq!(Some(quick), serde_json::from_str::<NativeAuditEntry>(&e).ok(), "{}", e);
        }
    }
}
