//! The two lines a native file has most of, a span's ([`super::span_line`]) and a history
//! entry's ([`super::history_line`]), read the quick way while each is exactly as Spanmark
//! writes it: its keys in the order written, one space after each `:` and `,`, numbers without
//! sign, fraction or leading zero, strings without raw control characters and with no escape
//! but the short ones and `\uXXXX` outside the surrogates. Anything else (a key moved, a
//! field unknown, a `null`, a surrogate pair) gives `None`, and the line is read by serde as
//! before: the quick way only ever gives what serde gives for the same line (the tests
//! compare the two on written lines and on lines broken at random).
//!
//! Why: serde's visitors read a field name, look it up and dispatch on it for each of the
//! fifteen fields of each span, and did so for a fifth of a CoNLL export's time; a span's or
//! entry's line read straight through takes about a third of that.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::file::NativeAuditEntry;
use super::span_line::NativeSpan;
use crate::model::audit_value::{relation_value, span_value, text_value};
use crate::model::{AuditAction, AuditValue, Origin, Status};

/// The span on `line` (without its indentation and trailing comma), or `None` when the line
/// is not exactly as Spanmark writes a span.
pub(super) fn span(line: &str) -> Option<NativeSpan<'_>> {
    let mut c = Cursor { rest: line };
    c.key("{\"id\": ")?;
    let id = c.string()?;
    c.key(", \"label\": ")?;
    let label = c.string()?;
    c.key(", \"start\": ")?;
    let start = c.number()?;
    c.key(", \"end\": ")?;
    let end = c.number()?;
    c.key(", \"text\": ")?;
    let text = c.string()?;
    c.key(", \"prefix\": ")?;
    let prefix = c.string()?;
    c.key(", \"suffix\": ")?;
    let suffix = c.string()?;
    c.key(", \"author\": ")?;
    let author = c.string()?;
    c.key(", \"created\": ")?;
    let created = c.string()?;
    c.key(", \"modified\": ")?;
    let modified = c.string()?;
    c.key(", \"status\": ")?;
    let status = c.name(&Status::ALL, Status::as_str)?;
    c.key(", \"origin\": ")?;
    let origin = c.name(&Origin::ALL, Origin::as_str)?;
    let note = match c.key(", \"note\": ") {
        Some(()) => Some(c.string()?.into_owned()),
        None => None,
    };
    let attrs = match c.key(", \"attrs\": ") {
        Some(()) => c.attrs()?,
        None => BTreeMap::new(),
    };
    c.key("}")?;
    // Fragments, or anything after the object: serde's.
    if !c.rest.is_empty() {
        return None;
    }
    Some(NativeSpan {
        id,
        label,
        start,
        end,
        text,
        prefix,
        suffix,
        author,
        created,
        modified,
        status,
        origin,
        note,
        attrs,
        fragments: Vec::new(),
    })
}

/// The history entry on `line` (without its indentation and trailing comma), or `None` when
/// the line is not exactly as Spanmark writes an entry. While values are only checked
/// ([`crate::model::audit_value::checking_only`]), each value comes out as serde's does then:
/// an empty text.
pub(super) fn entry(line: &str) -> Option<NativeAuditEntry<'_>> {
    let mut c = Cursor { rest: line };
    c.key("{\"at\": ")?;
    let at = c.string()?;
    c.key(", \"who\": ")?;
    let who = c.string()?;
    c.key(", \"action\": ")?;
    let action = c.name(&AuditAction::ALL, AuditAction::as_str)?;
    let target = match c.key(", \"target\": ") {
        Some(()) => Some(c.string()?),
        None => None,
    };
    let detail = match c.key(", \"detail\": ") {
        Some(()) => Some(c.string()?.into_owned()),
        None => None,
    };
    let before = match c.key(", \"before\": ") {
        Some(()) => Some(c.value()?),
        None => None,
    };
    let after = match c.key(", \"after\": ") {
        Some(()) => Some(c.value()?),
        None => None,
    };
    let hash = match c.key(", \"hash\": ") {
        Some(()) => Some(c.string()?),
        None => None,
    };
    c.key("}")?;
    if !c.rest.is_empty() {
        return None;
    }
    Some(NativeAuditEntry {
        at,
        who,
        action,
        target,
        detail,
        before,
        after,
        hash,
    })
}

/// How many bytes of `bytes` come before the first `"`, `\\` or control character (all of
/// them when there is none), found eight bytes at a time.
fn plain_len(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `v` that is zero; bits above the lowest set one may be set
    // wrongly (a borrow), the lowest never is.
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let found = zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
            // Below 0x20: subtracting 0x20 borrows, and the byte had no high bit.
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS);
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + words
        .remainder()
        .iter()
        .position(|&b| matches!(b, b'"' | b'\\' | 0..0x20))
        .unwrap_or(words.remainder().len())
}

/// What is left of a line being read.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    /// Steps over `key` (with the punctuation around it) if the line goes on with it.
    fn key(&mut self, key: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(key)?;
        Some(())
    }

    /// A string: borrowed from the line when it has no escape, as serde borrows it.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let body = self.rest.strip_prefix('"')?;
        let i = plain_len(body.as_bytes());
        match body.as_bytes().get(i)? {
            b'"' => {
                self.rest = &body[i + 1..];
                Some(Cow::Borrowed(&body[..i]))
            }
            b'\\' => self.escaped(body, i).map(Cow::Owned),
            // serde_json refuses a raw control character in a string.
            _ => None,
        }
    }

    /// The rest of a string in `body` with an escape at byte `first`.
    fn escaped(&mut self, body: &'a str, first: usize) -> Option<String> {
        let bytes = body.as_bytes();
        let mut out = String::with_capacity(first + 16);
        let (mut i, mut copied) = (first, 0);
        loop {
            match *bytes.get(i)? {
                b'"' => {
                    out.push_str(&body[copied..i]);
                    self.rest = &body[i + 1..];
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&body[copied..i]);
                    let (c, len) = match *bytes.get(i + 1)? {
                        b'"' => ('"', 2),
                        b'\\' => ('\\', 2),
                        b'/' => ('/', 2),
                        b'b' => ('\u{8}', 2),
                        b'f' => ('\u{C}', 2),
                        b'n' => ('\n', 2),
                        b'r' => ('\r', 2),
                        b't' => ('\t', 2),
                        b'u' => {
                            let hex = body.get(i + 2..i + 6)?;
                            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                                return None;
                            }
                            // A surrogate (half of a pair, or alone) is left to serde.
                            (char::from_u32(u32::from_str_radix(hex, 16).ok()?)?, 6)
                        }
                        _ => return None,
                    };
                    out.push(c);
                    i += len;
                    copied = i;
                }
                0..0x20 => return None,
                _ => i += 1,
            }
        }
    }

    /// A whole number from 0 that fits a `usize`, as serde reads one.
    fn number(&mut self) -> Option<usize> {
        let bytes = self.rest.as_bytes();
        let mut n: usize = 0;
        let mut digits = 0;
        while let Some(&b) = bytes.get(digits).filter(|b| b.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add(usize::from(b - b'0'))?;
            digits += 1;
        }
        // No digit, or a leading zero (serde refuses `01`).
        if digits == 0 || (digits > 1 && bytes[0] == b'0') {
            return None;
        }
        self.rest = &self.rest[digits..];
        Some(n)
    }

    /// One of `all`, by the name `name` gives it (serde's name for it; tests check).
    fn name<T: Copy>(&mut self, all: &[T], name: fn(&T) -> &'static str) -> Option<T> {
        let written = self.string()?;
        all.iter().copied().find(|t| name(t) == written)
    }

    /// Free attributes: an object of strings, its keys in order (as a map is written), each
    /// once.
    fn attrs(&mut self) -> Option<BTreeMap<String, String>> {
        self.key("{")?;
        let mut attrs = BTreeMap::new();
        let mut last: Option<Cow<'a, str>> = None;
        loop {
            let key = self.string()?;
            if last.as_ref().is_some_and(|last| *last >= key) {
                return None;
            }
            self.key(": ")?;
            let value = self.string()?;
            attrs.insert(key.to_string(), value.into_owned());
            last = Some(key);
            if self.key("}").is_some() {
                return Some(attrs);
            }
            self.key(", ")?;
        }
    }

    /// A history value: a span or relation snapshot, or a string (built as serde builds it).
    fn value(&mut self) -> Option<AuditValue> {
        if self.rest.starts_with('"') {
            return Some(text_value(&self.string()?));
        }
        if self.key("{\"label\": ").is_some() {
            let label = self.string()?;
            self.key(", \"start\": ")?;
            let start = self.number()?;
            self.key(", \"end\": ")?;
            let end = self.number()?;
            self.key(", \"text\": ")?;
            let text = self.string()?;
            self.key("}")?;
            return Some(span_value(label, start, end, text));
        }
        self.key("{\"kind\": ")?;
        let kind = self.string()?;
        self.key(", \"from\": ")?;
        let from = self.string()?;
        self.key(", \"to\": ")?;
        let to = self.string()?;
        self.key("}")?;
        Some(relation_value(kind, from, to))
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;

    use super::*;
    use crate::model::audit::{RelationSnapshot, SpanSnapshot};
    use crate::model::audit_value::checking_only;
    use crate::store::native::layout::SpanPerLine;

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
}
