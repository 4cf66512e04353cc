//! Lining up the annotators of one article: every distinct span, who marked it, and the
//! differences between them, as plain data a reviewer (or the GUI's comparison view) steps
//! through.
//!
//! A [`Variant`] is one distinct span shape (label and pieces) with the annotators who marked
//! it. With two or more annotators, a variant every annotator marked is **agreed**; the others
//! are grouped into [`Difference`]s. Two variants belong to the same difference when they are
//! **rival readings** of the same words: they share at least one character; they have the same
//! label, or the same range, or crossing boundaries (neither contains the other); and each was
//! marked by someone who did not mark the other. So an actor nested in a claim is never the
//! claim's rival (nesting is how annotators mark an actor inside a claim), while `actor` on
//! "Lavrov said" and `claim` on "said it" are rivals.
//! A group is classified as:
//!
//! - [`DifferenceKind::Missing`]: one variant, which some annotators marked and others did not;
//! - [`DifferenceKind::Label`]: the same range with different labels;
//! - [`DifferenceKind::Boundary`]: the same label on overlapping ranges with different
//!   boundaries (or, for discontinuous spans, different pieces);
//! - [`DifferenceKind::LabelAndBoundary`]: a chain of both;
//! - [`DifferenceKind::Unconfirmed`]: only one annotator annotated the article, so nothing is
//!   agreed and each of their spans stands alone.
//!
//! Differences are ordered by where they start in the text, then where they end.

use std::collections::{BTreeMap, BTreeSet};

use super::groups::Groups;
use super::{Article, Corpus, ReviewError, Shape, counted_spans, shared_chars, text_sha256};
use crate::model::{CharRange, Document, SpanId};

/// One distinct span among the annotators of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub shape: Shape,
    /// Who marked it, and the id of the span in their file.
    pub marked_by: BTreeMap<String, SpanId>,
}

/// What sort of difference a group of variants is (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DifferenceKind {
    Missing,
    Label,
    Boundary,
    LabelAndBoundary,
    Unconfirmed,
}

impl DifferenceKind {
    /// The name used in files and output: `missing`, `label`, `boundary`, `label+boundary`,
    /// `unconfirmed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            DifferenceKind::Missing => "missing",
            DifferenceKind::Label => "label",
            DifferenceKind::Boundary => "boundary",
            DifferenceKind::LabelAndBoundary => "label+boundary",
            DifferenceKind::Unconfirmed => "unconfirmed",
        }
    }
}

/// A place where the annotators of an article differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub kind: DifferenceKind,
    /// From the first start to the last end of the variants: where to scroll to.
    pub range: CharRange,
    /// The rival variants, in shape order (start, end, label).
    pub variants: Vec<Variant>,
    /// Annotators of the article who marked none of the variants, by name.
    pub unmarked_by: Vec<String>,
}

/// The annotators of one article, lined up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// The annotators, by name.
    pub annotators: Vec<String>,
    /// Variants every annotator marked (none when there is only one annotator), in shape order.
    pub agreed: Vec<Variant>,
    /// Everything else, grouped, in text order.
    pub differences: Vec<Difference>,
}

/// Lines up `docs`, the files of one article by different annotators.
pub fn align(docs: &[&Document]) -> Result<Alignment, ReviewError> {
    let first = docs.first().ok_or(ReviewError::NoDocuments)?;
    let sha = text_sha256(first);
    if let Some(other) = docs.iter().find(|d| text_sha256(d) != sha) {
        return Err(ReviewError::DifferentArticles {
            first: first.source.name.clone(),
            second: other.source.name.clone(),
        });
    }
    let corpus = Corpus::from_documents(docs)?;
    let articles = corpus.articles();
    Ok(articles
        .first()
        .map_or_else(empty_alignment, |a| align_article(a)))
}

fn empty_alignment() -> Alignment {
    Alignment {
        annotators: Vec::new(),
        agreed: Vec::new(),
        differences: Vec::new(),
    }
}

/// The differences between `docs`, the files of one article by different annotators.
pub fn differences(docs: &[&Document]) -> Result<Vec<Difference>, ReviewError> {
    align(docs).map(|a| a.differences)
}

/// Lines up the annotators of one article of a corpus.
pub fn align_article(article: &Article<'_>) -> Alignment {
    let annotators: Vec<String> = article.by_annotator.keys().cloned().collect();
    let mut variants: BTreeMap<Shape, BTreeMap<String, SpanId>> = BTreeMap::new();
    for (name, doc) in &article.by_annotator {
        for span in counted_spans(doc) {
            variants
                .entry(Shape::of(span))
                .or_default()
                .insert(name.clone(), span.id.clone());
        }
    }
    let all = |v: &BTreeMap<String, SpanId>| annotators.len() >= 2 && v.len() == annotators.len();
    let mut agreed = Vec::new();
    let mut open = Vec::new();
    for (shape, marked_by) in variants {
        let variant = Variant { shape, marked_by };
        if all(&variant.marked_by) {
            agreed.push(variant);
        } else {
            open.push(variant);
        }
    }
    let groups = rival_groups(&open);
    let mut slots: Vec<Option<Variant>> = open.into_iter().map(Some).collect();
    let mut differences: Vec<Difference> = groups
        .into_iter()
        .map(|members| {
            let variants: Vec<Variant> = members.iter().filter_map(|&i| slots[i].take()).collect();
            difference(variants, &annotators)
        })
        .collect();
    differences.sort_by(|x, y| {
        (x.range.start(), x.range.end(), &x.variants[0].shape).cmp(&(
            y.range.start(),
            y.range.end(),
            &y.variants[0].shape,
        ))
    });
    Alignment {
        annotators,
        agreed,
        differences,
    }
}

/// Whether `v` and `w` are rival readings (see the module docs).
fn rivals(v: &Variant, w: &Variant) -> bool {
    let (x, y) = (&v.shape, &w.shape);
    let crossing = !x.range.contains(&y.range) && !y.range.contains(&x.range);
    (x.label == y.label || x.range == y.range || crossing)
        && v.marked_by.keys().any(|a| !w.marked_by.contains_key(a))
        && w.marked_by.keys().any(|a| !v.marked_by.contains_key(a))
        && shared_chars(&x.pieces(), &y.pieces()) > 0
}

/// Groups of indices of `open` (in shape order) connected by rivalry, each group ascending.
fn rival_groups(open: &[Variant]) -> Vec<Vec<usize>> {
    let mut groups = Groups::new(open.len());
    for (i, v) in open.iter().enumerate() {
        // In shape order, a later variant starts no earlier; it overlaps v only if it starts
        // before v ends.
        for (j, w) in open.iter().enumerate().skip(i + 1) {
            if w.shape.range.start() >= v.shape.range.end() {
                break;
            }
            if rivals(v, w) {
                groups.join(i, j);
            }
        }
    }
    groups.into_groups()
}

fn difference(variants: Vec<Variant>, annotators: &[String]) -> Difference {
    let start = variants.iter().map(|v| v.shape.range.start().0).min();
    let end = variants.iter().map(|v| v.shape.range.end().0).max();
    let range = start
        .zip(end)
        .and_then(|(s, e)| CharRange::new(s, e))
        .unwrap_or_else(|| CharRange::between(Default::default(), Default::default()));
    let same = |f: &dyn Fn(&Shape, &Shape) -> bool| {
        variants.windows(2).all(|w| f(&w[0].shape, &w[1].shape))
    };
    let kind = if annotators.len() < 2 {
        DifferenceKind::Unconfirmed
    } else if variants.len() == 1 {
        DifferenceKind::Missing
    } else if same(&|a, b| a.label == b.label) {
        DifferenceKind::Boundary
    } else if same(&|a, b| a.range == b.range) {
        DifferenceKind::Label
    } else {
        DifferenceKind::LabelAndBoundary
    };
    let marked: BTreeSet<&String> = variants.iter().flat_map(|v| v.marked_by.keys()).collect();
    let unmarked_by = annotators
        .iter()
        .filter(|a| !marked.contains(a))
        .cloned()
        .collect();
    Difference {
        kind,
        range,
        variants,
        unmarked_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::test_docs::{doc, named};

    /// `kind: label start..end {annotators} | …` for each difference.
    fn summary(diffs: &[Difference]) -> Vec<String> {
        diffs
            .iter()
            .map(|d| {
                let variants: Vec<String> = d
                    .variants
                    .iter()
                    .map(|v| {
                        let who: Vec<&str> = v.marked_by.keys().map(String::as_str).collect();
                        format!("{} {} {}", v.shape.label, v.shape.range, who.join(","))
                    })
                    .collect();
                format!(
                    "{}: {} (not: {})",
                    d.kind.as_str(),
                    variants.join(" | "),
                    d.unmarked_by.join(",")
                )
            })
            .collect()
    }

    #[test]
    fn each_kind_of_difference() {
        let omar = doc(
            "omar",
            "[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied",
        );
        let rita = doc(
            "rita",
            "[Lavrov]{actor} [said on]{action} [Monday]{claim} that NATO [lied]{action}",
        );
        let alignment = align(&[&rita, &omar]).unwrap();
        assert_eq!(alignment.annotators, ["omar", "rita"]);
        assert_eq!(alignment.agreed.len(), 1);
        assert_eq!(alignment.agreed[0].shape.range.as_range(), 0..6);
        assert_eq!(
            alignment.agreed[0]
                .marked_by
                .values()
                .map(|id| id.as_str())
                .collect::<Vec<_>>(),
            ["s1", "s1"]
        );
        assert_eq!(
            summary(&alignment.differences),
            [
                "boundary: action 7..11 omar | action 7..14 rita (not: )",
                "label: claim 15..21 rita | date 15..21 omar (not: )",
                "missing: actor 27..31 omar (not: rita)",
                "missing: action 32..36 rita (not: omar)",
            ]
        );
    }

    #[test]
    fn nested_spans_of_one_annotator_are_separate_differences() {
        let omar = doc("omar", "[[Lavrov]{actor} said]{claim}");
        let rita = doc("rita", "Lavrov said");
        assert_eq!(
            summary(&differences(&[&omar, &rita]).unwrap()),
            [
                "missing: actor 0..6 omar (not: rita)",
                "missing: claim 0..11 omar (not: rita)"
            ]
        );
    }

    #[test]
    fn a_chain_of_label_and_boundary() {
        // omar: actor 0..6. rita: actor 0..10 (boundary) and claim 0..6 (label).
        let omar = doc("omar", "[Lavrov]{actor} said");
        let rita = doc("rita", "[[Lavrov]{claim} sai]{actor}d");
        assert_eq!(
            summary(&differences(&[&omar, &rita]).unwrap()),
            ["label+boundary: actor 0..6 omar | claim 0..6 rita | actor 0..10 rita (not: )"]
        );
    }

    #[test]
    fn crossing_spans_are_rivals_nested_ones_are_not() {
        // omar: actor 0..11; rita: claim 7..14 (crossing) and date 0..6 (nested in omar's).
        let omar = doc("omar", "[Lavrov said]{actor} it");
        let rita = doc("rita", "[Lavrov]{date} [said it]{claim}");
        assert_eq!(
            summary(&differences(&[&omar, &rita]).unwrap()),
            [
                "missing: date 0..6 rita (not: omar)",
                "label+boundary: actor 0..11 omar | claim 7..14 rita (not: )",
            ]
        );
    }

    #[test]
    fn three_annotators() {
        let omar = doc("omar", "[Lavrov]{actor} said");
        let rita = doc("rita", "[Lavrov]{actor} said");
        let sam = doc("sam", "[Lavrov]{claim} said");
        let alignment = align(&[&omar, &rita, &sam]).unwrap();
        assert!(alignment.agreed.is_empty());
        assert_eq!(
            summary(&alignment.differences),
            ["label: actor 0..6 omar,rita | claim 0..6 sam (not: )"]
        );
        let omar = doc("omar", "[Lavrov]{actor} said");
        let rita = doc("rita", "[Lavrov]{actor} said");
        let sam = doc("sam", "Lavrov said");
        assert_eq!(
            summary(&differences(&[&omar, &rita, &sam]).unwrap()),
            ["missing: actor 0..6 omar,rita (not: sam)"]
        );
    }

    #[test]
    fn one_annotator_confirms_nothing() {
        let omar = doc("omar", "[Lavrov]{actor} [said]{action}");
        let alignment = align(&[&omar]).unwrap();
        assert!(alignment.agreed.is_empty());
        assert_eq!(
            summary(&alignment.differences),
            [
                "unconfirmed: actor 0..6 omar (not: )",
                "unconfirmed: action 7..11 omar (not: )"
            ]
        );
    }

    #[test]
    fn identical_files_have_no_differences() {
        let markup = "[[Lavrov]{actor} said on [Monday]{date}]{claim}";
        let alignment = align(&[&doc("omar", markup), &doc("rita", markup)]).unwrap();
        assert_eq!(alignment.agreed.len(), 3);
        assert!(alignment.differences.is_empty());
    }

    #[test]
    fn only_files_of_one_article_can_be_lined_up() {
        let a = named("omar", "a.txt", "Lavrov said");
        let b = named("rita", "b.txt", "NATO said");
        assert_eq!(
            align(&[&a, &b]).unwrap_err(),
            ReviewError::DifferentArticles {
                first: "a.txt".into(),
                second: "b.txt".into()
            }
        );
        assert_eq!(align(&[]).unwrap_err(), ReviewError::NoDocuments);
    }
}
