//! Agreement between annotators: per pair, over all the articles the two share, span
//! precision / recall / F1 (exact and by overlap, overall and per label), relation precision /
//! recall / F1 (overall and per kind), token-level Cohen's κ and a confusion matrix of labels;
//! over all annotators, Krippendorff's α.
//!
//! Pairs are ordered by name, `a` before `b`, and **`a` is the reference**:
//! precision = matched / spans of `b`, recall = matched / spans of `a`,
//! F1 = 2 · matched / (spans of `a` + spans of `b`) (symmetric). Swapping the pair swaps
//! precision and recall. When a ratio's denominator is 0 it is defined: **1.0 when neither
//! annotator has any span** (of that label; nothing to disagree on), **0.0 when only one has**.
//!
//! - exact: a match is the same label and the same pieces (start and end; every fragment of a
//!   discontinuous span).
//! - overlap: the same label and at least one shared character, matched one to one by largest
//!   overlap (ties: see the README or `review/matching.rs`).
//! - confusion: spans matched one to one by largest overlap whatever their labels (on equal
//!   overlap the same label is preferred), counted as `confusion[label of a][label of b]`. Rows
//!   and columns are every label either annotator of the pair used; spans left unmatched are not
//!   in it (the per-label recall and precision count them).
//! - token κ and α: see [`super::tokens`].
//! - relations: a relation of `b` matches one of `a` when both its ends match exactly (same
//!   pieces, same label) and its kind is the same; a kind either annotator's schema defines as
//!   undirected matches either way round ([`matching::links`], one to one). Precision, recall and
//!   F1 as for spans, overall and per kind (every kind either annotator of the pair used), with
//!   0/0 defined the same way: 1.0 when neither has a relation (of that kind). A relation counts
//!   when it is not rejected and neither of its spans is (a relation to a span turned down links
//!   nothing the annotator stands by).
//!
//! - attributes: on the spans matched exactly, per attribute their labels define, observed
//!   agreement and Cohen's κ ([`super::attributes`]).
//!
//! The structs serialise to the JSON `spanmark agree --json` prints; fields marked "not in the
//! JSON" are there for the GUI.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::attributes::{AttributeAgreement, AttributeCounts};
use super::matching::{self, Labels, Link};
use super::tokens::{AlphaCounts, KappaCounts, TokenLabel, article_tokens, token_labels};
use super::{Article, Corpus, ReviewError, Shape, counted_spans};
use crate::model::{Document, Label, Status};
use crate::progress::{Cancelled, Progress};

/// Precision, recall and F1 of matched spans, with the counts they come from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Spans matched (not in the JSON).
    #[serde(skip)]
    pub matched: u64,
    /// Spans of `a`, the reference (not in the JSON).
    #[serde(skip)]
    pub reference: u64,
    /// Spans of `b` (not in the JSON).
    #[serde(skip)]
    pub other: u64,
}

impl Prf {
    /// The ratios from the counts, with 0/0 defined as in the module docs.
    pub fn from_counts(matched: u64, reference: u64, other: u64) -> Self {
        let ratio = |num: u64, den: u64| {
            if den > 0 {
                num as f64 / den as f64
            } else if reference + other == 0 {
                1.0
            } else {
                0.0
            }
        };
        Self {
            precision: ratio(matched, other),
            recall: ratio(matched, reference),
            f1: ratio(2 * matched, reference + other),
            matched,
            reference,
            other,
        }
    }
}

/// Span agreement of a pair: overall and per label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanAgreement {
    #[serde(flatten)]
    pub overall: Prf,
    /// Every label either annotator of the pair used.
    pub by_label: BTreeMap<String, Prf>,
}

/// Relation agreement of a pair: overall and per kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelationAgreement {
    #[serde(flatten)]
    pub overall: Prf,
    /// Every relation kind either annotator of the pair used.
    pub by_kind: BTreeMap<String, Prf>,
}

/// The agreement of annotator `a` (the reference) and annotator `b`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairAgreement {
    pub a: String,
    pub b: String,
    pub exact: SpanAgreement,
    pub overlap: SpanAgreement,
    pub relations: RelationAgreement,
    pub token_kappa: f64,
    /// Per attribute the matched spans' labels define: agreement on spans matched exactly
    /// (see [`super::attributes`]).
    pub attributes: BTreeMap<String, AttributeAgreement>,
    /// `confusion[label of a][label of b]`: spans matched by overlap, any label.
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
    /// Articles both annotated (not in the JSON).
    #[serde(skip)]
    pub documents: usize,
    /// Tokens compared for κ (not in the JSON).
    #[serde(skip)]
    pub tokens: u64,
}

/// Agreement over a corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Articles (distinct texts).
    pub documents: usize,
    /// Every annotator, by name.
    pub annotators: Vec<String>,
    /// Every pair of annotators that share at least one article, `a` before `b` by name.
    pub pairs: Vec<PairAgreement>,
    /// Over all annotators and articles; `None` (JSON `null`) when no token was annotated by two.
    pub krippendorff_alpha: Option<f64>,
    /// Pairs of annotators that share no article, so have no pair agreement (not in the JSON).
    #[serde(skip)]
    pub unpaired: Vec<(String, String)>,
}

/// Per label (or relation kind): (matched, spans of a, spans of b).
type LabelCounts = BTreeMap<String, (u64, u64, u64)>;

#[derive(Default)]
struct PairCounts<'a> {
    documents: usize,
    exact: LabelCounts,
    overlap: LabelCounts,
    /// Per relation kind.
    relations: LabelCounts,
    kappa: KappaCounts<'a>,
    attributes: AttributeCounts,
    confusion: BTreeMap<String, BTreeMap<String, u64>>,
}

/// The agreement of `docs` (each annotator's files; articles matched by their text).
pub fn agreement_of(docs: &[&Document]) -> Result<Agreement, ReviewError> {
    Ok(agreement(&Corpus::from_documents(docs)?))
}

/// The agreement of the annotators of `corpus`.
pub fn agreement(corpus: &Corpus<'_>) -> Agreement {
    let mut measure = Measure::default();
    for article in corpus.articles() {
        measure.add(article);
    }
    measure.finish(corpus)
}

/// [`agreement`], article by article on `progress` (the GUI measures on a worker thread);
/// `Err(Cancelled)` as soon as it is cancelled.
pub fn agreement_with_progress(
    corpus: &Corpus<'_>,
    progress: &Progress,
) -> Result<Agreement, Cancelled> {
    let articles = corpus.articles();
    progress.start(
        "measuring agreement, article by article",
        articles.len() as u64,
    );
    let mut measure = Measure::default();
    for article in articles {
        progress.check()?;
        measure.add(article);
        progress.advance(1);
    }
    progress.check()?;
    Ok(measure.finish(corpus))
}

/// The counts of an agreement, added to article by article.
#[derive(Default)]
struct Measure<'a> {
    pairs: BTreeMap<(String, String), PairCounts<'a>>,
    alpha: AlphaCounts<'a>,
}

impl<'a> Measure<'a> {
    fn add(&mut self, article: &Article<'a>) {
        let Some(text) = article.text() else { return };
        let toks = article_tokens(text, article.by_annotator.values().copied());
        type Annotator<'d, 't> = (
            &'d str,
            &'d Document,
            Vec<&'d crate::model::Span>,
            Vec<Shape>,
            Vec<TokenLabel<'t>>,
        );
        let per_annotator: Vec<Annotator<'_, 'a>> = article
            .by_annotator
            .iter()
            .map(|(name, doc)| {
                let spans = counted_spans(doc);
                let shapes = spans.iter().map(|s| Shape::of(s)).collect();
                (name.as_str(), *doc, spans, shapes, token_labels(doc, &toks))
            })
            .collect();
        for (i, (a, doc_a, spans_a, shapes_a, tokens_a)) in per_annotator.iter().enumerate() {
            for (b, doc_b, spans_b, shapes_b, tokens_b) in &per_annotator[i + 1..] {
                let counts = self
                    .pairs
                    .entry((a.to_string(), b.to_string()))
                    .or_default();
                for (x, y) in counts.add(shapes_a, shapes_b) {
                    counts.attributes.add(doc_a, spans_a[x], doc_b, spans_b[y]);
                }
                let undirected = undirected_kinds(doc_a, doc_b);
                counts.add_links(
                    &counted_links(doc_a, &undirected),
                    &counted_links(doc_b, &undirected),
                );
                counts.kappa.add(tokens_a, tokens_b);
            }
        }
        let mut unit = Vec::with_capacity(per_annotator.len());
        for t in 0..toks.len() {
            unit.clear();
            unit.extend(per_annotator.iter().map(|(_, _, _, _, labels)| labels[t]));
            self.alpha.add_unit(&unit);
        }
    }

    fn finish(mut self, corpus: &Corpus<'_>) -> Agreement {
        let annotators = corpus.annotators();
        let mut out = Agreement {
            documents: corpus.len(),
            annotators: annotators.clone(),
            pairs: Vec::new(),
            krippendorff_alpha: self.alpha.alpha(),
            unpaired: Vec::new(),
        };
        for (i, a) in annotators.iter().enumerate() {
            for b in &annotators[i + 1..] {
                match self.pairs.remove(&(a.clone(), b.clone())) {
                    Some(counts) => out.pairs.push(counts.finish(a, b)),
                    None => out.unpaired.push((a.clone(), b.clone())),
                }
            }
        }
        out
    }
}

impl PairCounts<'_> {
    /// Adds one article: the shapes of `a` and of `b`, each in shape order. Returns the exact
    /// matches, as indices into `a` and `b`.
    fn add(&mut self, a: &[Shape], b: &[Shape]) -> Vec<(usize, usize)> {
        self.documents += 1;
        for counts in [&mut self.exact, &mut self.overlap] {
            for s in a {
                counts.entry(s.label.to_string()).or_default().1 += 1;
            }
            for s in b {
                counts.entry(s.label.to_string()).or_default().2 += 1;
            }
        }
        let exact = matching::exact(a, b);
        for &(i, _) in &exact {
            if let Some(c) = self.exact.get_mut(a[i].label.as_str()) {
                c.0 += 1;
            }
        }
        for (i, _) in matching::by_overlap(a, b, Labels::Same) {
            if let Some(c) = self.overlap.get_mut(a[i].label.as_str()) {
                c.0 += 1;
            }
        }
        let labels: BTreeSet<&Label> = a.iter().chain(b).map(|s| &s.label).collect();
        for row in &labels {
            let row = self.confusion.entry(row.to_string()).or_default();
            for col in &labels {
                row.entry(col.to_string()).or_default();
            }
        }
        for (i, j) in matching::by_overlap(a, b, Labels::Any) {
            let row = self.confusion.entry(a[i].label.to_string()).or_default();
            *row.entry(b[j].label.to_string()).or_default() += 1;
        }
        // Keep the matrix square over every label seen so far in this pair.
        let all: Vec<String> = self.confusion.keys().cloned().collect();
        for row in self.confusion.values_mut() {
            for label in &all {
                row.entry(label.clone()).or_default();
            }
        }
        exact
    }

    /// Adds the relations of one article: the links of `a` and of `b`.
    fn add_links(&mut self, a: &[Link], b: &[Link]) {
        for link in a {
            self.relations.entry(link.kind.to_string()).or_default().1 += 1;
        }
        for link in b {
            self.relations.entry(link.kind.to_string()).or_default().2 += 1;
        }
        for (i, _) in matching::links(a, b) {
            if let Some(c) = self.relations.get_mut(a[i].kind.as_str()) {
                c.0 += 1;
            }
        }
    }

    fn finish(self, a: &str, b: &str) -> PairAgreement {
        let (overall, by_kind) = totals(&self.relations);
        PairAgreement {
            a: a.to_string(),
            b: b.to_string(),
            exact: span_agreement(&self.exact),
            overlap: span_agreement(&self.overlap),
            relations: RelationAgreement { overall, by_kind },
            token_kappa: self.kappa.kappa(),
            attributes: self.attributes.finish(),
            confusion: self.confusion,
            documents: self.documents,
            tokens: self.kappa.tokens,
        }
    }
}

fn span_agreement(counts: &LabelCounts) -> SpanAgreement {
    let (overall, by_label) = totals(counts);
    SpanAgreement { overall, by_label }
}

/// The figures over all labels (or kinds), and those of each.
fn totals(counts: &LabelCounts) -> (Prf, BTreeMap<String, Prf>) {
    let (mut m, mut r, mut o) = (0, 0, 0);
    let mut each = BTreeMap::new();
    for (name, &(matched, reference, other)) in counts {
        m += matched;
        r += reference;
        o += other;
        each.insert(name.clone(), Prf::from_counts(matched, reference, other));
    }
    (Prf::from_counts(m, r, o), each)
}

/// The relation kinds a pair compares without direction: those either annotator's schema
/// defines as undirected. Either, not the reference's: the numbers must not depend on who is
/// the reference beyond swapping precision and recall.
fn undirected_kinds<'d>(a: &'d Document, b: &'d Document) -> BTreeSet<&'d str> {
    [a, b]
        .into_iter()
        .flat_map(|d| d.schema.relations())
        .filter(|k| !k.directed)
        .map(|k| k.name.as_str())
        .collect()
}

/// The links of the relations of `doc` that count: not rejected, and both ends counted spans.
fn counted_links(doc: &Document, undirected: &BTreeSet<&str>) -> Vec<Link> {
    let set = doc.set();
    let counted = |id| set.get(id).filter(|s| s.status != Status::Rejected);
    set.relations()
        .filter(|r| r.status != Status::Rejected)
        .filter_map(|r| {
            let (from, to) = (counted(&r.from)?, counted(&r.to)?);
            let directed = !undirected.contains(r.kind.as_str());
            Some(Link::new(
                r.kind.clone(),
                Shape::of(from),
                Shape::of(to),
                directed,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests;
