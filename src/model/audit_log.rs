//! The audit log kept packed: a file has a history entry for each of its spans, and as
//! [`AuditEntry`] values (with each snapshot and text in an allocation of its own) the history
//! of a document with 100,000 spans took some 230 bytes an entry, more than its spans did.
//!
//! Entries are kept in blocks of [`BLOCK`]. Each entry keeps its time, author, action and target
//! in a fixed record (the author and target share the document's strings); its detail and its
//! values before and after are written into its block's bytes. Reading gives an [`EntryRef`]
//! borrowed from the block, or an owned [`AuditEntry`]. Copies of the log (the snapshot a save
//! writes on a worker thread) share the blocks; an entry added while a copy lives copies the last
//! block only.

use std::sync::Arc;

use super::audit::{AuditAction, AuditEntry, AuditValue, RelationSnapshot, SpanSnapshot};
use super::span::{SpanId, Timestamp};

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
    at: Timestamp,
    target: Option<SpanId>,
    /// Index into the block's authors.
    who: u16,
    action: AuditAction,
    start: u32,
}

#[derive(Debug, Clone, Default)]
struct Block {
    records: Vec<Record>,
    /// The authors of the block's entries, each once (a block has at most [`BLOCK`]).
    authors: Vec<Arc<str>>,
    /// Each entry's detail, before and after, one after the other (see [`write_values`]).
    bytes: Vec<u8>,
}

impl Block {
    fn entry(&self, i: usize) -> Option<EntryRef<'_>> {
        let record = self.records.get(i)?;
        let end = self
            .records
            .get(i + 1)
            .map_or(self.bytes.len(), |next| next.start as usize);
        let mut r = Reader(&self.bytes[record.start as usize..end]);
        let detail = r.optional_str();
        let before = r.value();
        let after = r.value();
        Some(EntryRef {
            at: record.at,
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
                authors: Vec::new(),
                bytes: Vec::new(),
            }));
        }
        let Some(last) = self.blocks.last_mut() else {
            return;
        };
        let block = Arc::make_mut(last);
        let start = u32::try_from(block.bytes.len()).unwrap_or(u32::MAX);
        write_values(
            &mut block.bytes,
            detail.as_deref(),
            before.as_ref().map(AuditValue::as_value_ref),
            after.as_ref().map(AuditValue::as_value_ref),
        );
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
            at,
            who: u16::try_from(who).unwrap_or(u16::MAX),
            target,
            action,
            start,
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

// The bytes of an entry: its detail (a presence byte, then the text), then its before and its
// after (a kind byte, then the value's fields). A text is its length in bytes then the bytes; a
// number, and a length, is written 7 bits a byte, low bits first, the high bit set on every
// byte but the last.

const NONE: u8 = 0;
const TEXT: u8 = 1;
const SPAN: u8 = 2;
const RELATION: u8 = 3;

fn write_values(
    out: &mut Vec<u8>,
    detail: Option<&str>,
    before: Option<ValueRef<'_>>,
    after: Option<ValueRef<'_>>,
) {
    match detail {
        Some(d) => {
            out.push(TEXT);
            write_str(out, d);
        }
        None => out.push(NONE),
    }
    write_value(out, before);
    write_value(out, after);
}

fn write_value(out: &mut Vec<u8>, value: Option<ValueRef<'_>>) {
    match value {
        None => out.push(NONE),
        Some(ValueRef::Text(t)) => {
            out.push(TEXT);
            write_str(out, t);
        }
        Some(ValueRef::Span {
            label,
            start,
            end,
            text,
        }) => {
            out.push(SPAN);
            write_str(out, label);
            write_number(out, start as u64);
            write_number(out, end as u64);
            write_str(out, text);
        }
        Some(ValueRef::Relation { kind, from, to }) => {
            out.push(RELATION);
            write_str(out, kind);
            write_str(out, from);
            write_str(out, to);
        }
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

/// Reads what [`write_values`] wrote. The bytes are the log's own, so they are always whole;
/// were they not, a read past their end gives an absent value, never a panic.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
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
        let (bytes, rest) = self.0.split_at(len.min(self.0.len()));
        self.0 = rest;
        // Written from a `&str` whole, so the check passes.
        std::str::from_utf8(bytes).unwrap_or_default()
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
            SPAN => Some(ValueRef::Span {
                label: self.str(),
                start: self.number() as usize,
                end: self.number() as usize,
                text: self.str(),
            }),
            RELATION => Some(ValueRef::Relation {
                kind: self.str(),
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
        assert!(std::mem::size_of::<Record>() <= 40);
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
                    at: Timestamp::from_unix(i64::from(at)),
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
    }
}
