//! Matching two annotators' spans on one article, one to one.
//!
//! - **Exact**: equal shapes (same pieces and label). Shapes are unique within one document
//!   (the annotation set allows no two spans with the same range and label), so this is a plain
//!   intersection.
//! - **By overlap**: candidate pairs share at least one character (and, for the overlap metric,
//!   the label). They are taken greedily, largest overlap first; a pair is taken when neither
//!   span is matched yet. Ties are broken, in order, by: the same label first (only when labels
//!   may differ), the smaller boundary distance |Δstart| + |Δend|, then the pair whose earlier
//!   span comes first, then the pair whose later span comes first (spans ordered by start, end,
//!   label). Every rule is symmetric, so swapping the annotators gives the same pairs.
//! - **Relations** ([`Link`]): the same kind between spans that match exactly; for a kind
//!   compared without direction, either way round. Matched one to one: a relation one annotator
//!   made twice matches at most as many times as the other made it.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::{Shape, shared_chars};
use crate::model::Label;

/// Whether overlapping spans must have the same label to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Labels {
    Same,
    Any,
}

/// Index pairs `(i, j)` with `a[i] == b[j]`, by `i`.
pub(crate) fn exact(a: &[Shape], b: &[Shape]) -> Vec<(usize, usize)> {
    let index: std::collections::BTreeMap<&Shape, usize> =
        b.iter().enumerate().map(|(j, s)| (s, j)).collect();
    a.iter()
        .enumerate()
        .filter_map(|(i, s)| index.get(s).map(|&j| (i, j)))
        .collect()
}

/// A relation, for comparisons: its kind and the shapes of the spans it links. Two relations
/// match when their links are equal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Link {
    pub kind: Label,
    pub from: Shape,
    pub to: Shape,
}

impl Link {
    /// The link of a relation of `kind` from `from` to `to`. Without direction the ends are put
    /// in shape order, so that both directions give the same link.
    pub fn new(kind: Label, from: Shape, to: Shape, directed: bool) -> Self {
        let (from, to) = if directed || from <= to {
            (from, to)
        } else {
            (to, from)
        };
        Self { kind, from, to }
    }
}

/// Index pairs `(i, j)` with `a[i] == b[j]`, one to one, by `i`: equal links pair up in the
/// order they come.
pub(crate) fn links(a: &[Link], b: &[Link]) -> Vec<(usize, usize)> {
    let mut unmatched: BTreeMap<&Link, VecDeque<usize>> = BTreeMap::new();
    for (j, link) in b.iter().enumerate() {
        unmatched.entry(link).or_default().push_back(j);
    }
    a.iter()
        .enumerate()
        .filter_map(|(i, link)| Some((i, unmatched.get_mut(link)?.pop_front()?)))
        .collect()
}

/// Index pairs `(i, j)` matched one to one by largest overlap (see the module docs), by `i`.
/// `a` and `b` must be in shape order (start, end, label).
pub(crate) fn by_overlap(a: &[Shape], b: &[Shape], labels: Labels) -> Vec<(usize, usize)> {
    let max_b = b.iter().map(|s| s.range.len()).max().unwrap_or(0);
    let pieces_b: Vec<_> = b.iter().map(Shape::pieces).collect();
    // (Reverse(overlap), labels differ, boundary distance, earlier shape, later shape, i, j)
    let mut candidates = Vec::new();
    for (i, x) in a.iter().enumerate() {
        let pieces_x = x.pieces();
        let lowest = x.range.start().0.saturating_sub(max_b);
        let first = b.partition_point(|y| y.range.start().0 < lowest);
        for (j, y) in b.iter().enumerate().skip(first) {
            if y.range.start() >= x.range.end() {
                break;
            }
            let differ = x.label != y.label;
            if (differ && labels == Labels::Same) || !x.range.overlaps(&y.range) {
                continue;
            }
            let overlap = shared_chars(&pieces_x, &pieces_b[j]);
            if overlap == 0 {
                continue;
            }
            let distance = x.range.start().0.abs_diff(y.range.start().0)
                + x.range.end().0.abs_diff(y.range.end().0);
            let (early, late) = if x <= y { (x, y) } else { (y, x) };
            candidates.push((Reverse(overlap), differ, distance, early, late, i, j));
        }
    }
    candidates.sort_unstable();
    let mut used_a = BTreeSet::new();
    let mut used_b = BTreeSet::new();
    let mut pairs = Vec::new();
    for (_, _, _, _, _, i, j) in candidates {
        if !used_a.contains(&i) && !used_b.contains(&j) {
            used_a.insert(i);
            used_b.insert(j);
            pairs.push((i, j));
        }
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::marked::{label, marked};

    fn shapes(markup: &str) -> Vec<Shape> {
        let mut s: Vec<Shape> = marked(markup).1.iter().map(Shape::of).collect();
        s.sort();
        s
    }

    #[test]
    fn exact_needs_the_same_range_and_label() {
        let a = shapes("[Lavrov]{actor} [said]{action} on [Monday]{date}");
        let b = shapes("[Lavrov]{actor} [said on]{action} on [Monday]{claim}");
        assert_eq!(exact(&a, &b), [(0, 0)]);
    }

    fn link(kind: &str, from: &Shape, to: &Shape, directed: bool) -> Link {
        Link::new(label(kind), from.clone(), to.clone(), directed)
    }

    #[test]
    fn links_match_on_kind_and_both_ends_one_to_one() {
        let s = shapes("[Lavrov]{actor} [said]{action} [it]{claim}");
        let (actor, action, claim) = (&s[0], &s[1], &s[2]);
        let a = [
            link("source", claim, actor, true),
            link("cue", claim, action, true),
            link("near", actor, action, false),
            link("source", claim, actor, true),
        ];
        let b = [
            // Same kind, the other way round: a directed kind does not match.
            link("cue", action, claim, true),
            // Undirected: the other way round is the same link.
            link("near", action, actor, false),
            // Made once here, twice by a: matches once.
            link("source", claim, actor, true),
            // Another kind between the same spans.
            link("agent", claim, actor, true),
        ];
        assert_eq!(links(&a, &b), [(0, 2), (2, 1)]);
    }

    #[test]
    fn largest_overlap_wins() {
        // a: actor 0..10. b: actor 0..3 (overlap 3), actor 4..12 (overlap 6).
        let a = shapes("[abcdefghij]{actor}kl");
        let b = shapes("[abc]{actor}d[efghijkl]{actor}");
        assert_eq!(by_overlap(&a, &b, Labels::Same), [(0, 1)]);
    }

    #[test]
    fn one_to_one_and_ties_broken_as_documented() {
        // a: actor 2..6. b: actor 0..4 and actor 4..8: overlap 2 each, boundary distance
        // |2−0| + |6−4| = 4 and |2−4| + |6−8| = 4: a tie; the earlier b span (0..4) wins.
        let a = shapes("ab[cdef]{actor}gh");
        let b = shapes("[abcd]{actor}[efgh]{actor}");
        assert_eq!(by_overlap(&a, &b, Labels::Same), [(0, 0)]);
        // Two a spans want the same b span: the one with the larger overlap gets it, the other
        // stays unmatched (one to one).
        let a = shapes("[abc]{actor}[defgh]{actor}");
        let b = shapes("a[bcdefg]{actor}h");
        assert_eq!(by_overlap(&a, &b, Labels::Same), [(1, 0)]);
        // a: 0..4 and 4..8; b: 2..6 → overlap 2 each; distances 2+2 = 4 and 2+2 = 4: a tie →
        // the earlier a span.
        let a = shapes("[abcd]{actor}[efgh]{actor}");
        let b = shapes("ab[cdef]{actor}gh");
        assert_eq!(by_overlap(&a, &b, Labels::Same), [(0, 0)]);
        // a: 0..4; b: 0..6 and 2..4 (contained) → overlaps 4 and 2: 0..6 wins.
        let a = shapes("[abcd]{actor}efgh");
        let b = shapes("[ab[cd]{actor}ef]{actor}gh");
        assert_eq!(by_overlap(&a, &b, Labels::Same), [(0, 0)]);
        // Equal overlap 4, different boundary distance: a 0..4 vs b 0..4 → 0, vs b 0..6 → 2:
        // the closer boundaries (0..4) win.
        let b = shapes("[[abcd]{actor}ef]{actor}gh");
        assert_eq!(b[0].range.as_range(), 0..4);
        assert_eq!(by_overlap(&a, &b, Labels::Same), [(0, 0)]);
    }

    #[test]
    fn labels_must_agree_unless_any_label_is_asked() {
        let a = shapes("[Lavrov]{actor} said");
        let b = shapes("[Lavrov said]{claim}");
        assert!(by_overlap(&a, &b, Labels::Same).is_empty());
        assert_eq!(by_overlap(&a, &b, Labels::Any), [(0, 0)]);
        // With any label, on equal overlap the same label is preferred, even when a span with
        // another label comes first.
        let b = shapes("[[Lavrov]{action}]{actor} said");
        assert_eq!(b[0].label.as_str(), "action");
        assert_eq!(by_overlap(&a, &b, Labels::Any), [(0, 1)]);
    }

    #[test]
    fn a_long_span_far_before_is_still_found() {
        // b's claim 20..32 starts long before a's claim 30..32, behind b's actor 0..1.
        let a = shapes(&format!("{}[yy]{{claim}}", "x".repeat(30)));
        let b = shapes(&format!(
            "[x]{{actor}}{}[xxxxx[x]{{actor}}xxxxxx]{{claim}}",
            "x".repeat(19)
        ));
        assert_eq!(b[1].range.as_range(), 20..32);
        assert_eq!(by_overlap(&a, &b, Labels::Same), [(0, 1)]);
    }
}
