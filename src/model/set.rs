//! The annotation set: the spans and relations of one document, with their invariants.
//!
//! Held by construction (every way in checks them; there is no way around):
//! - every span has `start < end`, lies inside the text, and starts and ends on grapheme
//!   cluster boundaries (`"e\u{301}"` is never split; neither is `"\r\n"`);
//! - ids are unique across spans and relations;
//! - no two spans have the same range and the same label (overlapping and nested spans, and the
//!   same range with different labels, are allowed);
//! - every relation links two spans of the set.
//!
//! Spans are kept ordered by (start, end, label, id), the order they are listed and saved in.

use std::collections::{BTreeMap, BTreeSet};

use hashbrown::HashTable;
use std::sync::Arc;

use crate::model::chunked::Chunked;
use crate::model::label::Label;
use crate::model::span::{Relation, Span, SpanId};
use crate::model::text::{CharOffset, CharRange, Text};

/// What spans are ordered by: start, end, label, id (unique, as the id is).
fn key_of(span: &Span) -> (CharOffset, CharOffset, &Label, &SpanId) {
    (span.range.start(), span.range.end(), &span.label, &span.id)
}

/// The spans, each stored once: a slab of spans, their slots sorted by key, and the slot of
/// each id. A B-tree of spans cost about 250 bytes a span besides the span; this costs 4 for
/// the order and about 30 for the id's slot. Inserting or removing moves the order's entries
/// after it (100,000 spans: 400 KB, some microseconds); spans that come in order, as a file's
/// do, are appended.
#[derive(Debug, Clone, Default)]
struct Spans {
    /// In chunks a snapshot of the document shares ([`Chunked`]).
    slots: Chunked<Span>,
    /// Indices into `slots`, in key order.
    order: Vec<u32>,
    ids: Ids,
}

/// The slot of each id, in shards a snapshot of the document shares: adding or removing a span
/// while a copy lives copies the shard of its id (and of the id moved into its slot), not the
/// table of every id (cloning that took some 10 ms at 100,000 spans, a bump on each id's count).
/// Up to [`ONE_TABLE`] ids are kept in one table: copying that is cheap, and 64 tables for a
/// document of 100 spans were a tenth of the allocations of reading it (an export reads
/// thousands of such documents).
/// A table holds slots only: an id is hashed from its text and compared with the id of the
/// span in the slot, so the table costs about 5 bytes an id, not the 33 of a map from ids.
#[derive(Debug, Clone, Default)]
struct Ids {
    /// None (a set with no spans), one, or [`SHARDS`] of them.
    shards: Vec<Arc<HashTable<u32>>>,
}

/// Shards of [`Ids`] past [`ONE_TABLE`] ids: a change copies 1/64th of the table.
const SHARDS: usize = 64;

/// The most ids [`Ids`] keeps in one table.
const ONE_TABLE: usize = 1024;

/// The hash of the id of the span in `slot`.
fn slot_hash(slots: &Chunked<Span>, slot: u32) -> u64 {
    SpanId::table_hash(slots[slot as usize].id.as_str())
}

impl Ids {
    /// The shard of a hash among [`SHARDS`]: bits the table itself does not use (it takes the
    /// low bits for the bucket and the top seven for its tags).
    fn shard_of(hash: u64) -> usize {
        ((hash >> 32) % SHARDS as u64) as usize
    }

    /// Where an id of hash `hash` is among the tables there are.
    fn shard(&self, hash: u64) -> usize {
        if self.shards.len() == SHARDS {
            Self::shard_of(hash)
        } else {
            0
        }
    }

    fn len(&self) -> usize {
        self.shards.iter().map(|shard| shard.len()).sum()
    }

    /// Makes the one table when there is none, and moves its ids into [`SHARDS`] tables once
    /// there are more than [`ONE_TABLE`] of them, or `coming` more are to come.
    fn make_room(&mut self, slots: &Chunked<Span>, coming: usize) {
        if self.shards.is_empty() {
            self.shards.push(Arc::default());
        }
        if self.shards.len() == SHARDS || self.len() + coming <= ONE_TABLE {
            return;
        }
        let one = std::mem::take(&mut self.shards);
        self.shards = (0..SHARDS).map(|_| Arc::default()).collect();
        for slot in one.iter().flat_map(|table| table.iter()) {
            let hash = slot_hash(slots, *slot);
            Arc::make_mut(&mut self.shards[Self::shard_of(hash)]).insert_unique(
                hash,
                *slot,
                |&s| slot_hash(slots, s),
            );
        }
    }

    fn get(&self, slots: &Chunked<Span>, id: &str) -> Option<u32> {
        let hash = SpanId::table_hash(id);
        let shard = self.shards.get(self.shard(hash))?;
        shard
            .find(hash, |&slot| slots[slot as usize].id.as_str() == id)
            .copied()
    }

    /// Adds `id`'s slot; the span is in `slots` already.
    fn insert(&mut self, slots: &Chunked<Span>, id: &str, slot: u32) {
        self.make_room(slots, 1);
        let hash = SpanId::table_hash(id);
        let shard = self.shard(hash);
        Arc::make_mut(&mut self.shards[shard]).insert_unique(hash, slot, |&s| slot_hash(slots, s));
    }

    fn remove(&mut self, slots: &Chunked<Span>, id: &str) -> Option<u32> {
        let hash = SpanId::table_hash(id);
        let shard = self.shard(hash);
        let table = Arc::make_mut(self.shards.get_mut(shard)?);
        let entry = table
            .find_entry(hash, |&slot| slots[slot as usize].id.as_str() == id)
            .ok()?;
        Some(entry.remove().0)
    }

    /// Records that the span of `id` moved from slot `from` to slot `to`.
    fn moved(&mut self, id: &str, from: u32, to: u32) {
        let hash = SpanId::table_hash(id);
        let shard = self.shard(hash);
        if let Some(table) = self.shards.get_mut(shard)
            && let Some(slot) = Arc::make_mut(table).find_mut(hash, |&slot| slot == from)
        {
            *slot = to;
        }
    }

    /// Room for about `n` more ids, spread over the tables.
    fn reserve(&mut self, slots: &Chunked<Span>, n: usize) {
        if n == 0 {
            return;
        }
        self.make_room(slots, n);
        let each = n.div_ceil(self.shards.len());
        for shard in &mut self.shards {
            Arc::make_mut(shard).reserve(each, |&s| slot_hash(slots, s));
        }
    }
}

impl Spans {
    fn len(&self) -> usize {
        self.slots.len()
    }

    fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn at(&self, slot: u32) -> &Span {
        &self.slots[slot as usize]
    }

    fn iter(&self) -> impl DoubleEndedIterator<Item = &Span> + ExactSizeIterator {
        self.order.iter().map(|&i| self.at(i))
    }

    fn get(&self, id: &SpanId) -> Option<&Span> {
        self.ids.get(&self.slots, id.as_str()).map(|i| self.at(i))
    }

    fn contains(&self, id: &SpanId) -> bool {
        self.get(id).is_some()
    }

    /// The held id whose text is `id`.
    fn id(&self, id: &str) -> Option<&SpanId> {
        self.ids.get(&self.slots, id).map(|i| &self.at(i).id)
    }

    /// Where `span`'s key is, or would go, in the order.
    fn position(&self, span: &Span) -> Result<usize, usize> {
        let key = key_of(span);
        if self.order.last().is_none_or(|&i| key_of(self.at(i)) < key) {
            return Err(self.order.len());
        }
        self.order
            .binary_search_by(|&i| key_of(self.at(i)).cmp(&key))
    }

    /// The spans from the first whose (start, end) is not below `from`, in order.
    fn from(&self, from: (CharOffset, CharOffset)) -> impl Iterator<Item = &Span> {
        let below = |&i: &u32| {
            let s = self.at(i);
            (s.range.start(), s.range.end()) < from
        };
        // Past the last span (the common case while a file's spans are read in order): none,
        // without a binary search through the whole slab.
        let first = if self.order.last().is_none_or(below) {
            self.order.len()
        } else {
            self.order.partition_point(below)
        };
        self.order[first..].iter().map(|&i| self.at(i))
    }

    /// Adds a span whose id is not in the store.
    fn insert(&mut self, span: Span) {
        let Err(at) = self.position(&span) else {
            return;
        };
        let slot = self.slots.len() as u32;
        self.order.insert(at, slot);
        self.slots.push(span);
        self.ids
            .insert(&self.slots, self.slots[slot as usize].id.as_str(), slot);
    }

    fn remove(&mut self, id: &SpanId) -> Option<Span> {
        let slot = self.ids.remove(&self.slots, id.as_str())?;
        if let Ok(at) = self.position(self.at(slot)) {
            self.order.remove(at);
        }
        // The last slot moves into the one freed.
        let last = (self.slots.len() - 1) as u32;
        if slot != last {
            if let Ok(at) = self.position(self.at(last)) {
                self.order[at] = slot;
            }
            self.ids
                .moved(self.slots[last as usize].id.as_str(), last, slot);
        }
        self.slots.swap_remove(slot as usize)
    }
}

/// Why a span, relation or edit was refused. Each names the span or relation id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    #[error("span {id}: empty range {range} (a span needs start < end)")]
    EmptyRange { id: SpanId, range: CharRange },
    #[error("span {id}: range {range} runs past the end of the text ({len} characters)")]
    OutOfText {
        id: SpanId,
        range: CharRange,
        len: usize,
    },
    #[error(
        "span {id}: offset {offset} falls inside a grapheme cluster (a character would be split)"
    )]
    SplitsGrapheme { id: SpanId, offset: CharOffset },
    #[error("id {0} is used twice")]
    DuplicateId(SpanId),
    #[error("span {id}: span {other} already has range {range} and label {label}")]
    DuplicateSpan {
        id: SpanId,
        other: SpanId,
        range: CharRange,
        label: Label,
    },
    #[error("there is no span {0}")]
    NoSuchSpan(SpanId),
    #[error("there is no relation {0}")]
    NoSuchRelation(SpanId),
    #[error("relation {id}: it links span {missing}, which does not exist")]
    DanglingRelation { id: SpanId, missing: SpanId },
    #[error("span {id} is linked by relation {relation}; remove the relation first")]
    SpanInRelation { id: SpanId, relation: SpanId },
    #[error(
        "span {id}: its fragments must be two or more ordered, separate pieces from its start to its end"
    )]
    BadFragments { id: SpanId },
    #[error("span {id}: the edit expected {expected}, but the span has {found}")]
    Stale {
        id: SpanId,
        expected: String,
        found: String,
    },
}

/// The spans and relations of one text.
#[derive(Debug, Clone)]
pub struct AnnotationSet {
    text: Arc<Text>,
    /// Shared with snapshots of the document (a save being written on a worker thread): the
    /// first change after a snapshot copies them, the snapshot itself costs nothing.
    spans: Arc<Spans>,
    /// Boxed: a B-tree node holds eleven entries and is mostly half full, so a relation held
    /// in it would leave its 160 bytes unused as often as used.
    relations: Arc<BTreeMap<SpanId, Box<Relation>>>,
    /// (span, relation) for each end of each relation, so the relations at a span are one range:
    /// drawing the arrows of the spans on screen asks this for each of them, among tens of
    /// thousands of relations. (A map of span → list of relation ids cost 300 B a relation; this
    /// costs about 100.)
    links: Arc<BTreeSet<(SpanId, SpanId)>>,
    /// The longest span ever held: a bound for overlap queries.
    max_span_chars: usize,
    /// Highest `n` of any id `s{n}` ever held, so new ids are never reused.
    max_number: u64,
    /// Highest `n` of any id `r{n}` ever held, the same way for relations.
    max_relation_number: u64,
}

impl PartialEq for AnnotationSet {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            && self.spans.iter().eq(other.spans.iter())
            && self.relations == other.relations
    }
}

impl AnnotationSet {
    pub fn new(text: Arc<Text>) -> Self {
        Self {
            text,
            spans: Arc::default(),
            relations: Arc::default(),
            links: Arc::default(),
            max_span_chars: 0,
            max_number: 0,
            max_relation_number: 0,
        }
    }

    /// Makes room for `spans` more spans at once in the order, so that a set read from a file
    /// does not move it as it grows (room never written to costs address space, not memory;
    /// the spans themselves are kept in chunks, which never move).
    pub fn reserve(&mut self, spans: usize) {
        Arc::make_mut(&mut self.spans).order.reserve(spans);
    }

    /// Makes room for exactly `spans` more spans, ids included (an id table is written to
    /// when made, so it is only made for a count known, not for a bound).
    pub fn reserve_exact(&mut self, spans: usize) {
        self.reserve(spans);
        let spans_ = Arc::make_mut(&mut self.spans);
        spans_.ids.reserve(&spans_.slots, spans);
    }

    pub fn text(&self) -> &Arc<Text> {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The spans in order (start, end, label, id).
    pub fn spans(&self) -> impl DoubleEndedIterator<Item = &Span> + ExactSizeIterator {
        self.spans.iter()
    }

    pub fn get(&self, id: &SpanId) -> Option<&Span> {
        self.spans.get(id)
    }

    /// The id of the span or relation whose id is `id`, shared with it: what reads a file's
    /// history keeps instead of a copy of each id (a history entry for each of 100,000 spans).
    pub fn held_id(&self, id: &str) -> Option<SpanId> {
        self.spans
            .id(id)
            .or_else(|| self.relations.get_key_value(id).map(|(id, _)| id))
            .cloned()
    }

    /// The text a span covers.
    pub fn span_text(&self, span: &Span) -> &str {
        self.text.slice(span.range).unwrap_or("")
    }

    pub fn relations(&self) -> impl Iterator<Item = &Relation> {
        self.relations.values().map(|r| &**r)
    }

    pub fn relation(&self, id: &SpanId) -> Option<&Relation> {
        self.relations.get(id).map(|r| &**r)
    }

    pub fn relation_count(&self) -> usize {
        self.relations.len()
    }

    /// Relations that start or end at span `id`, by relation id.
    pub fn relations_of<'a>(&'a self, id: &'a SpanId) -> impl Iterator<Item = &'a Relation> {
        self.links
            .range((id.clone(), SpanId::floor().clone())..)
            .take_while(move |(span, _)| span == id)
            .filter_map(|(_, r)| self.relations.get(r).map(|r| &**r))
    }

    /// Whether any relation starts or ends at span `id`.
    pub fn is_linked(&self, id: &SpanId) -> bool {
        self.relations_of(id).next().is_some()
    }

    /// Spans that share at least one character with `range`, in order.
    pub fn overlapping(&self, range: CharRange) -> impl Iterator<Item = &Span> {
        let lowest_start = CharOffset(range.start().0.saturating_sub(self.max_span_chars));
        self.spans
            .from((lowest_start, CharOffset(0)))
            .take_while(move |span| span.range.start() < range.end())
            .filter(move |span| span.range.end() > range.start())
    }

    /// Spans with exactly this range, any label.
    pub fn at_range(&self, range: CharRange) -> impl Iterator<Item = &Span> {
        // Keys sort by start, then end: these spans are together.
        self.spans
            .from((range.start(), range.end()))
            .take_while(move |span| span.range == range)
    }

    /// A fresh id `s{n}` that no span or relation has had in this set.
    pub fn next_id(&self) -> SpanId {
        SpanId::numbered(self.max_number + 1)
    }

    /// A fresh id `r{n}` for a relation, that no span or relation has had in this set.
    pub fn next_relation_id(&self) -> SpanId {
        SpanId::relation_numbered(self.max_relation_number + 1)
    }

    /// Checks that `span` could be inserted: in the text, on grapheme boundaries, id unused
    /// (unless it is `replacing`), no same range + label.
    pub fn check(&self, span: &Span, replacing: Option<&SpanId>) -> Result<(), SetError> {
        let id = &span.id;
        let range = span.range;
        if range.is_empty() {
            return Err(SetError::EmptyRange {
                id: id.clone(),
                range,
            });
        }
        if range.end().0 > self.text.len_chars() {
            return Err(SetError::OutOfText {
                id: id.clone(),
                range,
                len: self.text.len_chars(),
            });
        }
        if !span.fragments_fit() {
            return Err(SetError::BadFragments { id: id.clone() });
        }
        let edges = std::iter::once(range)
            .chain(span.fragments.iter().copied())
            .flat_map(|r| [r.start(), r.end()]);
        for offset in edges {
            if !self.text.is_grapheme_boundary(offset) {
                return Err(SetError::SplitsGrapheme {
                    id: id.clone(),
                    offset,
                });
            }
        }
        if replacing != Some(id) && (self.spans.contains(id) || self.relations.contains_key(id)) {
            return Err(SetError::DuplicateId(id.clone()));
        }
        if let Some(other) = self
            .at_range(range)
            .find(|s| s.label == span.label && Some(&s.id) != replacing)
        {
            return Err(SetError::DuplicateSpan {
                id: id.clone(),
                other: other.id.clone(),
                range,
                label: span.label.clone(),
            });
        }
        Ok(())
    }

    /// Adds a span, or says which invariant it would break.
    pub fn insert(&mut self, span: Span) -> Result<(), SetError> {
        self.check(&span, None)?;
        self.note_id(&span.id);
        self.max_span_chars = self.max_span_chars.max(span.range.len());
        Arc::make_mut(&mut self.spans).insert(span);
        Ok(())
    }

    /// Replaces the span with the same id, keeping every invariant. Returns the old span.
    pub fn replace(&mut self, span: Span) -> Result<Span, SetError> {
        if !self.spans.contains(&span.id) {
            return Err(SetError::NoSuchSpan(span.id.clone()));
        }
        self.check(&span, Some(&span.id))?;
        let old = Arc::make_mut(&mut self.spans)
            .remove(&span.id)
            .ok_or_else(|| SetError::NoSuchSpan(span.id.clone()))?;
        self.max_span_chars = self.max_span_chars.max(span.range.len());
        Arc::make_mut(&mut self.spans).insert(span);
        Ok(old)
    }

    /// Removes a span that no relation links.
    pub fn remove(&mut self, id: &SpanId) -> Result<Span, SetError> {
        if let Some(relation) = self.relations_of(id).next() {
            return Err(SetError::SpanInRelation {
                id: id.clone(),
                relation: relation.id.clone(),
            });
        }
        Arc::make_mut(&mut self.spans)
            .remove(id)
            .ok_or_else(|| SetError::NoSuchSpan(id.clone()))
    }

    /// Adds a relation between two spans of the set.
    pub fn insert_relation(&mut self, relation: Relation) -> Result<(), SetError> {
        if self.spans.contains(&relation.id) || self.relations.contains_key(&relation.id) {
            return Err(SetError::DuplicateId(relation.id));
        }
        let mut relation = relation;
        relation.from = self.end_of(&relation, &relation.from)?;
        relation.to = self.end_of(&relation, &relation.to)?;
        self.note_id(&relation.id);
        self.link(&relation);
        Arc::make_mut(&mut self.relations).insert(relation.id.clone(), Box::new(relation));
        Ok(())
    }

    pub fn remove_relation(&mut self, id: &SpanId) -> Result<Relation, SetError> {
        let relation = Arc::make_mut(&mut self.relations)
            .remove(id)
            .ok_or_else(|| SetError::NoSuchRelation(id.clone()))?;
        self.unlink(&relation);
        Ok(*relation)
    }

    /// Replaces the relation with the same id (its kind, ends, status or note changed).
    /// Returns the old one.
    pub fn replace_relation(&mut self, relation: Relation) -> Result<Relation, SetError> {
        if !self.relations.contains_key(&relation.id) {
            return Err(SetError::NoSuchRelation(relation.id.clone()));
        }
        for end in [&relation.from, &relation.to] {
            if !self.spans.contains(end) {
                return Err(SetError::DanglingRelation {
                    id: relation.id.clone(),
                    missing: end.clone(),
                });
            }
        }
        let old = self.remove_relation(&relation.id)?;
        self.link(&relation);
        Arc::make_mut(&mut self.relations).insert(relation.id.clone(), Box::new(relation));
        Ok(old)
    }

    /// The id of span `end`, shared with the span (a file's relations would otherwise hold a
    /// copy of each end's id), or why `relation` cannot link it.
    fn end_of(&self, relation: &Relation, end: &SpanId) -> Result<SpanId, SetError> {
        self.spans
            .get(end)
            .map(|s| s.id.clone())
            .ok_or_else(|| SetError::DanglingRelation {
                id: relation.id.clone(),
                missing: end.clone(),
            })
    }

    fn link(&mut self, relation: &Relation) {
        for end in [&relation.from, &relation.to] {
            Arc::make_mut(&mut self.links).insert((end.clone(), relation.id.clone()));
        }
    }

    fn unlink(&mut self, relation: &Relation) {
        for end in [&relation.from, &relation.to] {
            Arc::make_mut(&mut self.links).remove(&(end.clone(), relation.id.clone()));
        }
    }

    /// Keeps `id` from ever being handed out by [`AnnotationSet::next_id`] (the ids of orphaned
    /// spans, which live outside the set but stay taken).
    pub fn reserve_id(&mut self, id: &SpanId) {
        self.note_id(id);
    }

    fn note_id(&mut self, id: &SpanId) {
        if let Some(n) = id.number() {
            self.max_number = self.max_number.max(n);
        }
        if let Some(n) = id.relation_number() {
            self.max_relation_number = self.max_relation_number.max(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::marked::{label, marked};
    use crate::model::span::Timestamp;

    fn span(id: &str, l: &str, start: usize, end: usize) -> Span {
        Span::new(
            SpanId::new(id).unwrap(),
            label(l),
            CharRange::new(start, end).unwrap(),
            "ann",
            Timestamp::from_unix(0),
        )
    }

    #[test]
    fn an_edit_while_a_copy_lives_copies_the_chunks_it_touches_not_every_span() {
        let text = "word ".repeat(5_000);
        let mut set = AnnotationSet::new(Arc::new(Text::new(text)));
        for i in 0..4_000 {
            set.insert(span(&format!("s{i}"), "actor", 5 * i, 5 * i + 4))
                .unwrap();
        }
        let snapshot = set.clone();
        let mut relabelled = set.get(&SpanId::numbered(10)).unwrap().clone();
        relabelled.label = label("date");
        set.replace(relabelled).unwrap();
        let (now, then) = (&set.spans.slots, &snapshot.spans.slots);
        // The span's own chunk and the last (where the last span moved from): the others are
        // still the snapshot's.
        assert!(!now.shares_chunk(then, 0) && !now.shares_chunk(then, 3));
        assert!(now.shares_chunk(then, 1) && now.shares_chunk(then, 2));
        assert_eq!(
            snapshot.get(&SpanId::numbered(10)).unwrap().label,
            label("actor")
        );
        assert_eq!(set.get(&SpanId::numbered(10)).unwrap().label, label("date"));
        assert_eq!(set.len(), snapshot.len());
        assert!(
            set.spans()
                .map(|s| &s.id)
                .eq(snapshot.spans().map(|s| &s.id))
        );
        // The ids' table: the shards of the two ids whose slots changed, of 64.
        let copied = |a: &AnnotationSet, b: &AnnotationSet| {
            let (a, b) = (&a.spans.ids.shards, &b.spans.ids.shards);
            a.iter().zip(b).filter(|(a, b)| !Arc::ptr_eq(a, b)).count()
        };
        assert!((1..=2).contains(&copied(&set, &snapshot)));
        // A span added: its id's shard and the last chunk.
        let mut added = set.clone();
        added.insert(span("new", "claim", 3, 9)).unwrap();
        assert_eq!(copied(&added, &set), 1);
        assert!(added.spans.slots.shares_chunk(&set.spans.slots, 0));
        let new = SpanId::new("new").unwrap();
        assert_eq!(added.get(&new).unwrap().range.start().0, 3);
        assert!(set.get(&new).is_none());
    }

    #[test]
    fn ids_move_from_one_table_to_shards_as_the_set_grows_and_stay_found() {
        let text = "word ".repeat(2_000);
        let mut set = AnnotationSet::new(Arc::new(Text::new(text.clone())));
        let tables = |set: &AnnotationSet| set.spans.ids.shards.len();
        assert_eq!(tables(&set), 0);
        for i in 0..1_500 {
            set.insert(span(&format!("s{i}"), "actor", 5 * i, 5 * i + 4))
                .unwrap();
            let want = if i < ONE_TABLE { 1 } else { SHARDS };
            assert_eq!(tables(&set), want, "after {} ids", i + 1);
        }
        for i in 0..1_500 {
            let id = SpanId::new(format!("s{i}")).unwrap();
            assert_eq!(set.get(&id).unwrap().range.start().0, 5 * i);
        }
        assert!(set.get(&SpanId::new("s1500").unwrap()).is_none());
        // Removing keeps the others found, in either layout.
        set.remove(&SpanId::new("s7").unwrap()).unwrap();
        assert!(set.get(&SpanId::new("s7").unwrap()).is_none());
        assert_eq!(set.get(&SpanId::numbered(8)).unwrap().range.start().0, 40);
        // A count known ahead: one table for a few, shards for many.
        let mut few = AnnotationSet::new(Arc::new(Text::new(text.clone())));
        few.reserve_exact(100);
        assert_eq!(tables(&few), 1);
        let mut many = AnnotationSet::new(Arc::new(Text::new(text)));
        many.reserve_exact(ONE_TABLE + 1);
        assert_eq!(tables(&many), SHARDS);
    }

    #[test]
    fn a_copy_shares_until_either_changes_and_then_neither_sees_the_other() {
        let (text, spans) = marked("[[Lavrov]{actor} said on [Monday]{date}]{claim}");
        let mut set = AnnotationSet::new(Arc::new(Text::new(text)));
        for s in spans {
            set.insert(s).unwrap();
        }
        let id = |s: &str| SpanId::new(s).unwrap();
        let r = |n: &str, from: &str, to: &str| {
            Relation::new(
                id(n),
                label("source"),
                id(from),
                id(to),
                "ann",
                Timestamp::from_unix(0),
            )
        };
        set.insert_relation(r("r1", "s3", "s1")).unwrap();
        let snapshot = set.clone();
        assert!(
            Arc::ptr_eq(&set.spans, &snapshot.spans),
            "shared, not copied"
        );

        set.insert(span("s9", "action", 7, 11)).unwrap();
        set.insert_relation(r("r2", "s9", "s1")).unwrap();
        set.remove_relation(&id("r1")).unwrap();
        assert_eq!(snapshot.len(), 3);
        assert_eq!(snapshot.relation_count(), 1);
        assert_eq!(snapshot.relations_of(&id("s3")).count(), 1);
        assert_eq!(snapshot.relations_of(&id("s9")).count(), 0);
        assert_eq!(set.len(), 4);
        assert_eq!(set.relations_of(&id("s3")).count(), 0);
        assert_eq!(
            set.relations_of(&id("s1"))
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>(),
            ["r2"]
        );
    }

    #[test]
    fn nested_and_overlapping_spans_are_allowed() {
        let (text, spans) = marked("[[Lavrov]{actor} said on [Monday]{date}]{claim}");
        let mut set = AnnotationSet::new(Arc::new(Text::new(text)));
        for s in spans {
            set.insert(s).unwrap();
        }
        assert_eq!(set.len(), 3);
        let order: Vec<_> = set.spans().map(|s| s.label.as_str()).collect();
        assert_eq!(order, ["actor", "claim", "date"]);
        let at_said: Vec<_> = set
            .overlapping(CharRange::new(7, 8).unwrap())
            .map(|s| s.label.as_str())
            .collect();
        assert_eq!(at_said, ["claim"]);
        set.insert(span("x", "actor", 3, 12)).unwrap();
        assert_eq!(set.overlapping(CharRange::new(0, 1).unwrap()).count(), 2);
    }

    #[test]
    fn every_invariant_is_enforced() {
        let text = Arc::new(Text::new("cafe\u{301} ok\r\nnext".to_string()));
        let mut set = AnnotationSet::new(text);
        set.insert(span("a", "actor", 0, 5)).unwrap();
        assert!(matches!(
            set.insert(span("b", "actor", 2, 2)),
            Err(SetError::EmptyRange { .. })
        ));
        assert!(matches!(
            set.insert(span("b", "actor", 2, 99)),
            Err(SetError::OutOfText { len: 14, .. })
        ));
        assert!(matches!(
            set.insert(span("b", "actor", 0, 4)),
            Err(SetError::SplitsGrapheme {
                offset: CharOffset(4),
                ..
            })
        ));
        assert!(matches!(
            set.insert(span("b", "actor", 6, 9)),
            Err(SetError::SplitsGrapheme {
                offset: CharOffset(9),
                ..
            })
        ));
        assert!(matches!(
            set.insert(span("a", "date", 6, 8)),
            Err(SetError::DuplicateId(_))
        ));
        assert!(matches!(
            set.insert(span("c", "actor", 0, 5)),
            Err(SetError::DuplicateSpan { .. })
        ));
        set.insert(span("c", "claim", 0, 5)).unwrap();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn relations_pin_their_spans() {
        let mut set = AnnotationSet::new(Arc::new(Text::new("Lavrov said".to_string())));
        set.insert(span("s1", "actor", 0, 6)).unwrap();
        set.insert(span("s2", "action", 7, 11)).unwrap();
        let rel = Relation {
            id: SpanId::new("r1").unwrap(),
            kind: label("agent"),
            from: SpanId::new("s2").unwrap(),
            to: SpanId::new("s1").unwrap(),
            author: "ann".into(),
            created: Timestamp::from_unix(0),
            status: crate::model::Status::Pending,
            note: None,
            attrs: Default::default(),
        };
        let mut dangling = rel.clone();
        dangling.to = SpanId::new("s9").unwrap();
        dangling.id = SpanId::new("r2").unwrap();
        assert!(matches!(
            set.insert_relation(dangling),
            Err(SetError::DanglingRelation { .. })
        ));
        set.insert_relation(rel).unwrap();
        assert!(matches!(
            set.remove(&SpanId::new("s1").unwrap()),
            Err(SetError::SpanInRelation { .. })
        ));
        set.remove_relation(&SpanId::new("r1").unwrap()).unwrap();
        set.remove(&SpanId::new("s1").unwrap()).unwrap();
        assert_eq!(set.next_id(), SpanId::numbered(3));
    }

    #[test]
    fn fragments_must_fit_the_range() {
        let mut set =
            AnnotationSet::new(Arc::new(Text::new("North and South America".to_string())));
        let mut s = span("t1", "place", 0, 23);
        s.fragments = vec![
            CharRange::new(0, 5).unwrap(),
            CharRange::new(16, 23).unwrap(),
        ];
        set.insert(s.clone()).unwrap();
        let mut bad = s.clone();
        bad.id = SpanId::new("t2").unwrap();
        bad.fragments = vec![
            CharRange::new(0, 5).unwrap(),
            CharRange::new(3, 23).unwrap(),
        ];
        assert!(matches!(
            set.insert(bad.clone()),
            Err(SetError::BadFragments { .. })
        ));
        bad.fragments = vec![CharRange::new(0, 23).unwrap()];
        assert!(matches!(
            set.insert(bad.clone()),
            Err(SetError::BadFragments { .. })
        ));
        bad.fragments = vec![
            CharRange::new(1, 5).unwrap(),
            CharRange::new(16, 23).unwrap(),
        ];
        assert!(matches!(
            set.insert(bad),
            Err(SetError::BadFragments { .. })
        ));
        assert_eq!(s.pieces().len(), 2);
    }

    #[test]
    fn replace_keeps_invariants() {
        let mut set = AnnotationSet::new(Arc::new(Text::new("one two three".to_string())));
        set.insert(span("a", "actor", 0, 3)).unwrap();
        set.insert(span("b", "actor", 4, 7)).unwrap();
        let mut moved = set.get(&SpanId::new("b").unwrap()).unwrap().clone();
        moved.range = CharRange::new(0, 3).unwrap();
        assert!(matches!(
            set.replace(moved.clone()),
            Err(SetError::DuplicateSpan { .. })
        ));
        moved.range = CharRange::new(4, 13).unwrap();
        let old = set.replace(moved).unwrap();
        assert_eq!(old.range, CharRange::new(4, 7).unwrap());
        assert_eq!(
            set.get(&SpanId::new("b").unwrap()).unwrap().range,
            CharRange::new(4, 13).unwrap()
        );
    }

    proptest::proptest! {
        /// The slab, its order and the id index agree with a plain ordered map after any run
        /// of inserts, removals and replacements.
        #[test]
        fn the_span_store_keeps_order_and_ids(
            ops in proptest::collection::vec((0u8..3, 0usize..12, 0usize..6, 1usize..5, 0u8..2), 1..80),
        ) {
            let mut store = Spans::default();
            let mut want: std::collections::BTreeMap<(usize, usize, String, String), Span> =
                Default::default();
            let key = |s: &Span| (s.range.start().0, s.range.end().0, s.label.to_string(), s.id.to_string());
            for (op, id, start, len, l) in ops {
                let id = format!("s{id}");
                let made = span(&id, ["actor", "date"][l as usize], start, start + len);
                let old = want.values().find(|s| s.id.as_str() == id).cloned();
                match (op, old) {
                    (0, None) => {
                        store.insert(made.clone());
                        want.insert(key(&made), made);
                    }
                    (1, Some(old)) => {
                        let removed = store.remove(&old.id);
                        proptest::prop_assert_eq!(removed.as_ref(), Some(&old));
                        want.remove(&key(&old));
                    }
                    (2, Some(old)) => {
                        store.remove(&old.id);
                        want.remove(&key(&old));
                        store.insert(made.clone());
                        want.insert(key(&made), made);
                    }
                    _ => {}
                }
                let got: Vec<&Span> = store.iter().collect();
                let expected: Vec<&Span> = want.values().collect();
                proptest::prop_assert_eq!(got, expected);
                proptest::prop_assert_eq!(store.len(), want.len());
                for s in want.values() {
                    proptest::prop_assert_eq!(store.get(&s.id), Some(s));
                }
            }
        }
    }
}
