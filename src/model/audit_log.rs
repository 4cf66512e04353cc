//! The audit log kept packed: a file has a history entry for each of its spans, and as
//! [`AuditEntry`] values (with each snapshot and text in an allocation of its own) the history
//! of a document with 100,000 spans took some 230 bytes an entry, more than its spans did.
//!
//! Entries are kept in blocks of [`BLOCK`]. Each entry keeps its time, author, action and target
//! in a fixed record (the target shares the span's id, the author is an index into the block's
//! authors); its detail and its values before and after are written into its block's bytes (see
//! [`Writer`]). Reading gives an [`EntryRef`] borrowed from the block, or an owned
//! [`AuditEntry`]. Copies of the log (the snapshot a save writes on a worker thread) share the
//! blocks; an entry added while a copy lives copies the last block only.

use std::sync::Arc;

use super::audit::{AuditAction, AuditEntry, AuditValue, RelationSnapshot, SpanSnapshot};
use super::span::{SpanId, Timestamp};
use super::text::{CharRange, Text};

/// Entries a block holds.
const BLOCK: usize = 1_024;

/// A value before or after a change, borrowed from the log (or from an [`AuditValue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueRef<'a> {
    /// A span as it stood.
    Span {
        label: &'a str,
        start: usize,
        end: usize,
        text: &'a str,
    },
    /// A relation as it stood.
    Relation {
        kind: &'a str,
        from: &'a str,
        to: &'a str,
    },
    /// A single field's value.
    Text(&'a str),
}

impl AuditValue {
    /// The value, borrowed.
    pub fn as_value_ref(&self) -> ValueRef<'_> {
        match self {
            AuditValue::Span(s) => ValueRef::Span {
                label: &s.label,
                start: s.start,
                end: s.end,
                text: &s.text,
            },
            AuditValue::Relation(r) => ValueRef::Relation {
                kind: &r.kind,
                from: &r.from,
                to: &r.to,
            },
            AuditValue::Text(t) => ValueRef::Text(t),
        }
    }
}

impl ValueRef<'_> {
    pub fn to_owned_value(&self) -> AuditValue {
        match *self {
            ValueRef::Span {
                label,
                start,
                end,
                text,
            } => AuditValue::Span(Box::new(SpanSnapshot {
                label: label.into(),
                start,
                end,
                text: text.into(),
            })),
            ValueRef::Relation { kind, from, to } => {
                AuditValue::Relation(Box::new(RelationSnapshot {
                    kind: kind.into(),
                    from: from.into(),
                    to: to.into(),
                }))
            }
            ValueRef::Text(t) => AuditValue::Text(t.into()),
        }
    }
}

/// One entry of the log, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef<'a> {
    pub at: Timestamp,
    pub who: &'a Arc<str>,
    pub action: AuditAction,
    pub target: Option<&'a SpanId>,
    pub detail: Option<&'a str>,
    pub before: Option<ValueRef<'a>>,
    pub after: Option<ValueRef<'a>>,
}

impl EntryRef<'_> {
    pub fn to_owned_entry(&self) -> AuditEntry {
        AuditEntry {
            at: self.at,
            who: self.who.clone(),
            action: self.action,
            target: self.target.cloned(),
            detail: self.detail.map(str::to_string),
            before: self.before.map(|v| v.to_owned_value()),
            after: self.after.map(|v| v.to_owned_value()),
        }
    }
}

/// An entry's fixed part; the rest is in its block's bytes from `start`.
#[derive(Debug, Clone)]
struct Record {
    target: Option<SpanId>,
    /// The time, in whole seconds since the Unix epoch; nanoseconds, when there are any, start
    /// the entry's bytes.
    at: i64,
    start: u32,
    /// Index into the block's authors.
    who: u16,
    action: AuditAction,
    /// Whether the time has nanoseconds.
    nanos: bool,
}

#[derive(Debug, Clone, Default)]
struct Block {
    records: Vec<Record>,
    /// The authors of the block's entries, each once (a block has at most [`BLOCK`]).
    authors: Vec<Arc<str>>,
    /// The labels and relation kinds of the block's snapshots, each once.
    names: Vec<Box<str>>,
    /// The text the block's snapshots were taken on, when one of them is written as a place
    /// in it: a span snapshot's text is the text of its range as it was, nearly always the
    /// article's as it is (tens of bytes an entry not kept twice).
    text: Option<Arc<Text>>,
    /// Each entry's detail, before and after, one after the other (see [`Writer`]).
    bytes: Vec<u8>,
}

impl Block {
    fn entry(&self, i: usize) -> Option<EntryRef<'_>> {
        let record = self.records.get(i)?;
        let end = self
            .records
            .get(i + 1)
            .map_or(self.bytes.len(), |next| next.start as usize);
        let mut r = Reader {
            bytes: &self.bytes[record.start as usize..end],
            block: self,
        };
        let nanos = if record.nanos { r.number() as u32 } else { 0 };
        let detail = r.optional_str();
        let before = r.value();
        let after = r.value();
        Some(EntryRef {
            at: Timestamp::from_unix_parts(record.at, nanos),
            who: self.authors.get(usize::from(record.who))?,
            action: record.action,
            target: record.target.as_ref(),
            detail,
            before,
            after,
        })
    }
}

/// The append-only audit log of a document, in order (see the module's documentation).
#[derive(Debug, Clone, Default)]
pub struct AuditLog {
    blocks: Vec<Arc<Block>>,
    len: usize,
}

impl AuditLog {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, entry: AuditEntry) {
        self.push_on(entry, None);
    }

    /// Adds `entry`, recorded on `text`: a span snapshot whose text is that of its range in
    /// `text` keeps the place only (read back, the text comes from `text`).
    pub fn push_recorded_on(&mut self, entry: AuditEntry, text: &Arc<Text>) {
        self.push_on(entry, Some(text));
    }

    fn push_on(&mut self, entry: AuditEntry, text: Option<&Arc<Text>>) {
        let AuditEntry {
            at,
            who,
            action,
            target,
            detail,
            before,
            after,
        } = entry;
        let full = self.blocks.last().is_none_or(|b| b.records.len() >= BLOCK);
        if full {
            if let Some(last) = self.blocks.last_mut() {
                // Full for good: give back what growing left over.
                Arc::make_mut(last).bytes.shrink_to_fit();
            }
            // The first block grows as a list does: a small log stays small.
            let records = Vec::with_capacity(BLOCK.min(self.len.max(16)));
            self.blocks.push(Arc::new(Block {
                records,
                ..Block::default()
            }));
        }
        let Some(last) = self.blocks.last_mut() else {
            return;
        };
        let block = Arc::make_mut(last);
        let start = u32::try_from(block.bytes.len()).unwrap_or(u32::MAX);
        let nanos = at.nanosecond();
        if nanos != 0 {
            write_number(&mut block.bytes, u64::from(nanos));
        }
        // A block's places are in one text: a later text (the article changed) is used from
        // the next block on, and its snapshots are kept whole until then.
        let text = text.filter(|t| block.text.as_ref().is_none_or(|b| Arc::ptr_eq(b, t)));
        let mut w = Writer {
            block,
            text,
            on_text: false,
        };
        w.detail(detail.as_deref());
        w.value(before.as_ref().map(AuditValue::as_value_ref));
        w.value(after.as_ref().map(AuditValue::as_value_ref));
        let on_text = w.on_text;
        if on_text && block.text.is_none() {
            block.text = text.cloned();
        }
        let who = match block
            .authors
            .iter()
            .position(|a| Arc::ptr_eq(a, &who) || *a == who)
        {
            Some(i) => i,
            None => {
                block.authors.push(who);
                block.authors.len() - 1
            }
        };
        block.records.push(Record {
            target,
            at: at.unix_seconds(),
            start,
            who: u16::try_from(who).unwrap_or(u16::MAX),
            action,
            nanos: nanos != 0,
        });
        self.len += 1;
    }

    /// Entry `i`, borrowed.
    pub fn entry(&self, i: usize) -> Option<EntryRef<'_>> {
        self.blocks.get(i / BLOCK)?.entry(i % BLOCK)
    }

    /// The entries in order, borrowed.
    pub fn refs(&self) -> impl DoubleEndedIterator<Item = EntryRef<'_>> + Clone {
        self.blocks.iter().flat_map(|b| {
            let block: &Block = b;
            (0..block.records.len()).filter_map(move |i| block.entry(i))
        })
    }

    /// The entries in order, each as an owned [`AuditEntry`].
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = AuditEntry> + Clone + '_ {
        self.refs().map(|e| e.to_owned_entry())
    }

    /// Entry `i`, owned.
    pub fn get(&self, i: usize) -> Option<AuditEntry> {
        self.entry(i).map(|e| e.to_owned_entry())
    }

    pub fn first(&self) -> Option<AuditEntry> {
        self.get(0)
    }

    pub fn last(&self) -> Option<AuditEntry> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    pub fn to_vec(&self) -> Vec<AuditEntry> {
        self.iter().collect()
    }

    /// Whether `other` shares block `i` (tests look at what a copy shares).
    #[cfg(test)]
    fn shares_block(&self, other: &Self, i: usize) -> bool {
        match (self.blocks.get(i), other.blocks.get(i)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl PartialEq for AuditLog {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.refs().eq(other.refs())
    }
}

impl Eq for AuditLog {}

impl<'a> IntoIterator for &'a AuditLog {
    type Item = AuditEntry;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = AuditEntry> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl FromIterator<AuditEntry> for AuditLog {
    fn from_iter<I: IntoIterator<Item = AuditEntry>>(entries: I) -> Self {
        let mut log = Self::new();
        log.extend(entries);
        log
    }
}

impl From<Vec<AuditEntry>> for AuditLog {
    fn from(entries: Vec<AuditEntry>) -> Self {
        entries.into_iter().collect()
    }
}

impl Extend<AuditEntry> for AuditLog {
    fn extend<I: IntoIterator<Item = AuditEntry>>(&mut self, entries: I) {
        for e in entries {
            self.push(e);
        }
    }
}

// The bytes of an entry: its time's nanoseconds when it has any, its detail (a presence byte,
// then the text), then its before and its after (a kind byte, then the value's fields: a label
// or kind as its index in the block's names, a span's text left out when the block's text has
// it). A text is its length in bytes then the bytes; a number, and a length, is written 7 bits
// a byte, low bits first, the high bit set on every byte but the last.

const NONE: u8 = 0;
const TEXT: u8 = 1;
const SPAN: u8 = 2;
const RELATION: u8 = 3;
/// A span snapshot whose text is that of its range in the block's text.
const SPAN_IN_TEXT: u8 = 4;

/// Writes an entry's values into its block.
struct Writer<'b, 't> {
    block: &'b mut Block,
    /// The text a snapshot may be a place in.
    text: Option<&'t Arc<Text>>,
    /// Set once a snapshot is written as a place.
    on_text: bool,
}

impl Writer<'_, '_> {
    fn detail(&mut self, detail: Option<&str>) {
        match detail {
            Some(d) => {
                self.block.bytes.push(TEXT);
                write_str(&mut self.block.bytes, d);
            }
            None => self.block.bytes.push(NONE),
        }
    }

    fn value(&mut self, value: Option<ValueRef<'_>>) {
        match value {
            None => self.block.bytes.push(NONE),
            Some(ValueRef::Text(t)) => {
                self.block.bytes.push(TEXT);
                write_str(&mut self.block.bytes, t);
            }
            Some(ValueRef::Span {
                label,
                start,
                end,
                text,
            }) => {
                let in_text = self.text.is_some_and(|t| {
                    CharRange::new(start, end).and_then(|r| t.slice(r)) == Some(text)
                });
                self.block
                    .bytes
                    .push(if in_text { SPAN_IN_TEXT } else { SPAN });
                self.name(label);
                write_number(&mut self.block.bytes, start as u64);
                write_number(&mut self.block.bytes, end as u64);
                if in_text {
                    self.on_text = true;
                } else {
                    write_str(&mut self.block.bytes, text);
                }
            }
            Some(ValueRef::Relation { kind, from, to }) => {
                self.block.bytes.push(RELATION);
                self.name(kind);
                write_str(&mut self.block.bytes, from);
                write_str(&mut self.block.bytes, to);
            }
        }
    }

    /// A label or kind, as its index in the block's names.
    fn name(&mut self, name: &str) {
        let names = &mut self.block.names;
        let i = match names.iter().position(|n| **n == *name) {
            Some(i) => i,
            None => {
                names.push(name.into());
                names.len() - 1
            }
        };
        write_number(&mut self.block.bytes, i as u64);
    }
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    write_number(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn write_number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads what [`Writer`] wrote. The bytes are the log's own, so they are always whole; were
/// they not, a read past their end gives an absent value, never a panic.
struct Reader<'a> {
    bytes: &'a [u8],
    block: &'a Block,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&b, rest)) => {
                self.bytes = rest;
                b
            }
            None => NONE,
        }
    }

    fn number(&mut self) -> u64 {
        let mut n = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte();
            n |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return n;
            }
            shift += 7;
        }
    }

    fn str(&mut self) -> &'a str {
        let len = usize::try_from(self.number()).unwrap_or(usize::MAX);
        let (bytes, rest) = self.bytes.split_at(len.min(self.bytes.len()));
        self.bytes = rest;
        // Written from a `&str` whole, so the check passes.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    fn name(&mut self) -> &'a str {
        let i = usize::try_from(self.number()).unwrap_or(usize::MAX);
        self.block.names.get(i).map_or("", |n| n)
    }

    fn optional_str(&mut self) -> Option<&'a str> {
        match self.byte() {
            TEXT => Some(self.str()),
            _ => None,
        }
    }

    fn value(&mut self) -> Option<ValueRef<'a>> {
        match self.byte() {
            TEXT => Some(ValueRef::Text(self.str())),
            kind @ (SPAN | SPAN_IN_TEXT) => {
                let label = self.name();
                let (start, end) = (self.number() as usize, self.number() as usize);
                let text = if kind == SPAN {
                    self.str()
                } else {
                    let text = self.block.text.as_deref();
                    CharRange::new(start, end)
                        .and_then(|r| text?.slice(r))
                        .unwrap_or_default()
                };
                Some(ValueRef::Span {
                    label,
                    start,
                    end,
                    text,
                })
            }
            RELATION => Some(ValueRef::Relation {
                kind: self.name(),
                from: self.str(),
                to: self.str(),
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(i: usize) -> AuditEntry {
        AuditEntry::document(Timestamp::from_unix(i as i64), "ann", format!("event {i}"))
    }

    #[test]
    fn an_entry_keeps_a_small_record() {
        // A history has an entry for each span: each 8 bytes is 0.8 MB at 100,000 entries.
        assert!(std::mem::size_of::<Record>() <= 32);
    }

    #[test]
    fn the_log_keeps_order_across_blocks_and_a_copy_does_not_see_later_entries() {
        let n = BLOCK * 2 + 5;
        let mut log: AuditLog = (0..n).map(entry).collect();
        assert_eq!(log.len(), n);
        let event = format!("event {BLOCK}");
        assert_eq!(log.entry(BLOCK).unwrap().detail, Some(event.as_str()));
        assert_eq!(log.last(), Some(entry(n - 1)));
        assert_eq!(log.iter().next_back(), Some(entry(n - 1)));
        assert!(log.iter().zip(0..).all(|(e, i)| e == entry(i)));
        assert_eq!(log.get(n), None);
        assert_eq!(log.entry(n), None);

        let copy = log.clone();
        assert!(log.shares_block(&copy, 0), "shared");
        log.push(entry(n));
        assert_eq!((copy.len(), log.len()), (n, n + 1));
        assert_eq!(copy.last(), Some(entry(n - 1)));
        assert!(log.shares_block(&copy, 0), "full blocks stay shared");
        assert!(!log.shares_block(&copy, 2), "the last block is copied");
        assert_ne!(copy, log);
        assert_eq!(copy.to_vec().into_iter().collect::<AuditLog>(), copy);
    }

    #[test]
    fn a_snapshot_of_the_article_keeps_its_place_not_its_text() {
        let article = Arc::new(Text::new("Lavrov said the talks had failed.".to_string()));
        let snapshot = |text: &str| AuditEntry {
            after: Some(AuditValue::Span(Box::new(SpanSnapshot {
                label: "actor".into(),
                start: 0,
                end: 6,
                text: text.into(),
            }))),
            ..entry(1)
        };
        let bytes = |log: &AuditLog| log.blocks[0].bytes.len();
        let mut plain = AuditLog::new();
        plain.push(snapshot("Lavrov"));
        let mut placed = AuditLog::new();
        placed.push_recorded_on(snapshot("Lavrov"), &article);
        assert_eq!(bytes(&plain) - bytes(&placed), "Lavrov".len() + 1);
        // Not the article's text at that place: kept whole.
        let mut other = AuditLog::new();
        other.push_recorded_on(snapshot("Lavrow"), &article);
        assert_eq!(bytes(&other), bytes(&plain));
        assert!(other.blocks[0].text.is_none());
        assert_eq!(placed.get(0), Some(snapshot("Lavrov")));
    }

    fn text() -> impl Strategy<Value = String> {
        // Empty, long (lengths past one byte of the length's encoding) and any characters.
        prop_oneof![
            Just(String::new()),
            "\\PC{0,12}",
            "[a-zé😀\u{301}]{100,300}",
        ]
    }

    fn value() -> impl Strategy<Value = Option<AuditValue>> {
        let number = prop_oneof![
            Just(0usize),
            Just(127),
            Just(128),
            any::<u32>().prop_map(|n| n as usize),
            Just(usize::MAX)
        ];
        prop_oneof![
            Just(None),
            text().prop_map(|t| Some(AuditValue::text(&t))),
            (text(), number.clone(), number, text()).prop_map(|(label, start, end, text)| {
                Some(AuditValue::Span(Box::new(SpanSnapshot {
                    label: label.into(),
                    start,
                    end,
                    text: text.into(),
                })))
            }),
            (text(), text(), text()).prop_map(|(kind, from, to)| {
                Some(AuditValue::Relation(Box::new(RelationSnapshot {
                    kind: kind.into(),
                    from: from.into(),
                    to: to.into(),
                })))
            }),
        ]
    }

    fn audit_entry() -> impl Strategy<Value = AuditEntry> {
        (
            any::<u32>(),
            text(),
            prop::sample::select(vec![
                AuditAction::Add,
                AuditAction::Relabel,
                AuditAction::SetAttr,
                AuditAction::Document,
            ]),
            prop::option::of("[A-Za-z0-9]{1,8}"),
            prop::option::of(text()),
            value(),
            value(),
        )
            .prop_map(
                |(at, who, action, target, detail, before, after)| AuditEntry {
                    // Half with nanoseconds (RFC 3339 allows them; Spanmark writes none).
                    at: Timestamp::from_unix_parts(
                        i64::from(at),
                        if at % 2 == 0 { 0 } else { at % 1_000_000_000 },
                    ),
                    who: who.into(),
                    action,
                    target: target.map(|t| SpanId::new(&t).unwrap()),
                    detail,
                    before,
                    after,
                },
            )
    }

    proptest! {
        #[test]
        fn every_entry_reads_back_as_it_was_pushed(
            entries in prop::collection::vec(audit_entry(), 0..40)
        ) {
            let log: AuditLog = entries.iter().cloned().collect();
            prop_assert_eq!(log.len(), entries.len());
            prop_assert_eq!(log.to_vec(), entries.clone());
            for (i, e) in entries.iter().enumerate() {
                let read = log.entry(i).unwrap();
                prop_assert_eq!(read.detail, e.detail.as_deref());
                prop_assert_eq!(read.before, e.before.as_ref().map(AuditValue::as_value_ref));
                prop_assert_eq!(read.after, e.after.as_ref().map(AuditValue::as_value_ref));
            }
        }

        #[test]
        fn a_snapshot_of_the_text_reads_back_as_it_was_on_any_text(
            article in "[a-zé😀\u{301} ]{1,60}",
            later in "[a-zé😀 ]{0,60}",
            cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<bool>()), 1..30),
            switch in any::<prop::sample::Index>(),
        ) {
            // Snapshots of the article (kept as places), of another text (kept whole), and a
            // second text from some entry on, as after the article changed.
            let texts = [Arc::new(Text::new(article)), Arc::new(Text::new(later))];
            let switch = switch.index(cuts.len());
            let mut log = AuditLog::new();
            let mut pushed = Vec::new();
            for (i, (a, b, own)) in cuts.iter().enumerate() {
                let text = &texts[usize::from(i >= switch)];
                let n = text.len_chars();
                let (mut start, mut end) = (a.index(n + 1), b.index(n + 1));
                if start > end {
                    (start, end) = (end, start);
                }
                let slice = text.slice(CharRange::new(start, end).unwrap()).unwrap().to_string();
                let mut e = entry(i);
                e.after = Some(AuditValue::Span(Box::new(SpanSnapshot {
                    label: if *own { "actor" } else { "claim" }.into(),
                    start,
                    end,
                    text: if *own { format!("{slice}!") } else { slice }.into(),
                })));
                log.push_recorded_on(e.clone(), text);
                pushed.push(e);
            }
            prop_assert_eq!(log.to_vec(), pushed.clone());
            // And as a copy sees them once the texts are gone from everywhere else.
            let copy = log.clone();
            drop(log);
            drop(texts);
            prop_assert_eq!(copy.to_vec(), pushed);
        }
    }
}
