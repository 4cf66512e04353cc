//! What the view needs to know about spans: a compact copy of each span, the spans of each
//! block, and for each span its layer (0 is nearest the text; a span that overlaps another gets
//! a different layer, shorter spans lower). Built once per document, then updated span by span
//! as edits come (an edit costs what it touches, not the size of the document).

use std::sync::Arc;

use hashbrown::HashTable;

use crate::model::{AnnotationSet, CharRange, Schema, Span, SpanId, Status};

use super::blocks::Block;

/// The layers drawn under the text; deeper nesting shares the last one.
pub const MAX_LAYERS: usize = 4;

#[derive(Debug, Clone)]
pub struct SpanMark {
    pub id: SpanId,
    pub range: CharRange,
    // No label: the chip asks the set for it (16 bytes a span, for the few chips on screen).
    /// The pieces of a discontinuous span (`None`: the whole range); one pointer, as most
    /// spans have none.
    pub fragments: Option<Arc<Vec<CharRange>>>,
    /// Index into the schema's labels, `None` for a label the schema does not define.
    pub label_index: Option<u16>,
    pub status: Status,
    /// A pending suggestion: drawn with a dashed outline and no fill.
    pub suggested: bool,
    /// The row of its underline (below [`MAX_LAYERS`]).
    pub layer: u8,
}

impl SpanMark {
    /// The stretches to draw.
    pub fn pieces(&self) -> Vec<CharRange> {
        match &self.fragments {
            Some(pieces) => pieces.to_vec(),
            None => vec![self.range],
        }
    }
}

fn mark_of(s: &Span, schema: &Schema) -> SpanMark {
    SpanMark {
        id: s.id.clone(),
        range: s.range,
        label_index: schema
            .labels()
            .iter()
            .position(|d| d.name == s.label)
            .and_then(|i| u16::try_from(i).ok()),
        status: s.status,
        suggested: crate::model::suggestion::is_pending(s),
        layer: 0,
        fragments: (!s.fragments.is_empty()).then(|| Arc::new(s.fragments.clone())),
    }
}

/// The blocks a range shows in (blank lines inside it show nothing of it).
fn blocks_of(blocks: &[Block], range: CharRange) -> impl Iterator<Item = usize> + '_ {
    let first = blocks.partition_point(|b| b.char_end() <= range.start().0);
    blocks
        .iter()
        .enumerate()
        .skip(first)
        .take_while(move |(_, b)| b.char_start < range.end().0)
        .filter(|(_, b)| b.char_len > 0)
        .map(|(i, _)| i)
}

/// The spans of the document, bucketed by block.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    /// Every span once seen; `None` where a span was removed since the index was built.
    marks: Vec<Option<SpanMark>>,
    /// For each block, indices into `marks` of the spans that overlap it.
    by_block: Vec<Vec<u32>>,
    /// The index into `marks` of each id: a table of indices hashed through the marks' ids
    /// (5 bytes an id, where a map from ids took 33).
    by_id: HashTable<u32>,
}

impl SpanIndex {
    pub fn build(set: &AnnotationSet, schema: &Schema, blocks: &[Block]) -> Self {
        let mut marks: Vec<SpanMark> = set.spans().map(|s| mark_of(s, schema)).collect();
        assign_layers(&mut marks);
        let mut by_block = vec![Vec::new(); blocks.len()];
        let mut by_id = HashTable::with_capacity(marks.len());
        for (i, mark) in marks.iter().enumerate() {
            for b in blocks_of(blocks, mark.range) {
                by_block[b].push(i as u32);
            }
            by_id.insert_unique(SpanId::table_hash(mark.id.as_str()), i as u32, |&j| {
                SpanId::table_hash(marks[j as usize].id.as_str())
            });
        }
        Self {
            marks: marks.into_iter().map(Some).collect(),
            by_block,
            by_id,
        }
    }

    /// Brings the spans `ids` up to date with `set` (added, changed or removed); the others
    /// keep their marks and layers.
    pub fn update(
        &mut self,
        set: &AnnotationSet,
        schema: &Schema,
        blocks: &[Block],
        ids: &[SpanId],
    ) {
        for id in ids {
            if let Some(i) = self.remove_id(id)
                && let Some(old) = self.marks.get_mut(i as usize).and_then(Option::take)
            {
                for b in blocks_of(blocks, old.range) {
                    if let Some(list) = self.by_block.get_mut(b) {
                        list.retain(|&x| x != i);
                    }
                }
            }
            let Some(span) = set.get(id) else {
                continue;
            };
            let mut mark = mark_of(span, schema);
            let mut used = [false; MAX_LAYERS];
            for b in blocks_of(blocks, mark.range) {
                for other in self.in_block(b).filter(|o| o.range.overlaps(&mark.range)) {
                    used[usize::from(other.layer).min(MAX_LAYERS - 1)] = true;
                }
            }
            mark.layer = first_free(&used);
            let i = self.marks.len() as u32;
            for b in blocks_of(blocks, mark.range) {
                if let Some(list) = self.by_block.get_mut(b) {
                    list.push(i);
                }
            }
            let hash = SpanId::table_hash(mark.id.as_str());
            self.marks.push(Some(mark));
            let marks = &self.marks;
            self.by_id.insert_unique(hash, i, |&j| {
                marks[j as usize]
                    .as_ref()
                    .map_or(0, |m| SpanId::table_hash(m.id.as_str()))
            });
        }
    }

    /// Forgets `id`, returning the index of its mark.
    fn remove_id(&mut self, id: &SpanId) -> Option<u32> {
        let marks = &self.marks;
        let entry = self
            .by_id
            .find_entry(SpanId::table_hash(id.as_str()), |&i| {
                marks
                    .get(i as usize)
                    .and_then(Option::as_ref)
                    .is_some_and(|m| &m.id == id)
            })
            .ok()?;
        Some(entry.remove().0)
    }

    /// The spans overlapping block `b`.
    pub fn in_block(&self, b: usize) -> impl Iterator<Item = &SpanMark> {
        self.by_block
            .get(b)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.marks.get(i as usize).and_then(Option::as_ref))
    }

    /// Every span's mark (tests).
    pub fn marks(&self) -> impl Iterator<Item = &SpanMark> {
        self.marks.iter().flatten()
    }

    /// The innermost (shortest) span containing char `offset` in block `b`.
    pub fn innermost_at(&self, b: usize, offset: usize) -> Option<&SpanMark> {
        self.in_block(b)
            .filter(|m| m.range.start().0 <= offset && offset < m.range.end().0)
            .min_by_key(|m| (m.range.len(), m.layer))
    }
}

/// The lowest layer not `used` (the last when all are).
fn first_free(used: &[bool; MAX_LAYERS]) -> u8 {
    let layer = used.iter().position(|u| !u).unwrap_or(MAX_LAYERS - 1);
    u8::try_from(layer).unwrap_or(u8::MAX)
}

/// Gives each span the lowest layer no overlapping, already placed span uses, placing shorter
/// spans first so an actor inside a claim sits nearer the text than the claim.
fn assign_layers(marks: &mut [SpanMark]) {
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by_key(|&i| (marks[i].range.len(), marks[i].range.start()));
    // Placed spans, sorted by start, with their layers; only the ones that could overlap are
    // looked at, through the longest placed length so far.
    let mut placed: std::collections::BTreeMap<(usize, usize), u8> = Default::default();
    let mut longest = 0usize;
    for i in order {
        let r = marks[i].range;
        let mut used = [false; MAX_LAYERS];
        let from = r.start().0.saturating_sub(longest);
        for (&(start, idx), &layer) in placed.range((from, 0)..(r.end().0, 0)) {
            let other = marks[idx].range;
            if start < r.end().0 && other.end() > r.start() {
                used[usize::from(layer).min(MAX_LAYERS - 1)] = true;
            }
        }
        let layer = first_free(&used);
        marks[i].layer = layer;
        placed.insert((r.start().0, i), layer);
        longest = longest.max(r.len());
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::app::view::blocks::split;
    use crate::model::marked::marked;
    use crate::model::{AnnotationSet, Text};

    #[test]
    fn nested_spans_get_layers_and_blocks_know_their_spans() {
        let (text, spans) =
            marked("[[Lavrov]{actor} said on [Monday]{date}]{claim}\n[NATO]{actor} too");
        let t = Arc::new(Text::new(text));
        let mut set = AnnotationSet::new(t.clone());
        for s in spans {
            set.insert(s).unwrap();
        }
        let blocks = split(&t);
        let index = SpanIndex::build(&set, &Schema::default(), &blocks);
        let layer = |label: &str| {
            index
                .marks()
                .find(|m| set.get(&m.id).unwrap().label.as_str() == label)
                .unwrap()
                .layer
        };
        assert_eq!(layer("actor"), 0);
        assert_eq!(layer("date"), 0);
        assert_eq!(layer("claim"), 1);
        assert_eq!(index.in_block(0).count(), 3);
        assert_eq!(index.in_block(1).count(), 1);
        let label = |m: &SpanMark| set.get(&m.id).unwrap().label.to_string();
        assert_eq!(label(index.innermost_at(0, 2).unwrap()), "actor");
        assert_eq!(label(index.innermost_at(0, 8).unwrap()), "claim");
        assert!(index.innermost_at(1, 6).is_none());
        assert_eq!(index.marks().next().unwrap().label_index, Some(0));
    }

    #[test]
    fn updates_match_a_rebuild() {
        let (text, spans) =
            marked("[[Lavrov]{actor} said on [Monday]{date}]{claim}\n[NATO]{actor} too");
        let t = Arc::new(Text::new(text));
        let mut set = AnnotationSet::new(t.clone());
        for s in spans {
            set.insert(s).unwrap();
        }
        let blocks = split(&t);
        let schema = Schema::default();
        let mut index = SpanIndex::build(&set, &schema, &blocks);
        // Remove the claim, relabel NATO, add a span across both lines.
        set.remove(&SpanId::numbered(1)).unwrap();
        let mut nato = set.get(&SpanId::numbered(4)).unwrap().clone();
        nato.label = crate::model::marked::label("claim");
        set.replace(nato).unwrap();
        let extra = crate::model::Span::new(
            SpanId::numbered(9),
            crate::model::marked::label("date"),
            CharRange::new(15, 26).unwrap(),
            "t",
            crate::model::Timestamp::from_unix(0),
        );
        set.insert(extra).unwrap();
        index.update(
            &set,
            &schema,
            &blocks,
            &[
                SpanId::numbered(1),
                SpanId::numbered(4),
                SpanId::numbered(9),
            ],
        );
        let rebuilt = SpanIndex::build(&set, &schema, &blocks);
        for b in 0..blocks.len() {
            let mut got: Vec<_> = index
                .in_block(b)
                .map(|m| (m.id.clone(), m.label_index))
                .collect();
            let mut want: Vec<_> = rebuilt
                .in_block(b)
                .map(|m| (m.id.clone(), m.label_index))
                .collect();
            got.sort();
            want.sort();
            assert_eq!(got, want, "block {b}");
        }
        // The new date overlaps "Monday" (layer 0) in block 0: it goes on another layer.
        let date = index.marks().find(|m| m.id == SpanId::numbered(9)).unwrap();
        assert_ne!(date.layer, 0);
    }

    #[test]
    fn a_span_across_lines_is_in_each_block() {
        let (text, spans) = marked("a [b\r\n\r\nc]{claim} d");
        let t = Arc::new(Text::new(text));
        let mut set = AnnotationSet::new(t.clone());
        set.insert(spans[0].clone()).unwrap();
        let blocks = split(&t);
        let index = SpanIndex::build(&set, &Schema::default(), &blocks);
        assert_eq!(index.in_block(0).count(), 1);
        assert_eq!(index.in_block(1).count(), 0, "blank line");
        assert_eq!(index.in_block(2).count(), 1);
    }
}
