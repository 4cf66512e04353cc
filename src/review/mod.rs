//! Comparing annotators: their differences, agreement metrics, and adjudication into a gold file.
//!
//! Each annotator's work on an article is one [`Document`] (one native file); documents of the
//! same article are matched by `text_sha256`, the SHA-256 of the decoded text. A [`Corpus`]
//! holds them grouped that way: per article, at most one document per annotator (the
//! document's `annotator` field).
//!
//! - [`mod@align`]: per article, the distinct spans and who marked each ([`Variant`]), split into
//!   those every annotator marked and the [`Difference`]s a reviewer steps through.
//! - [`metrics`]: per pair of annotators, exact-match and overlap-match precision / recall / F1
//!   (overall and per label), token-level Cohen's κ and a confusion matrix of labels; over all
//!   annotators, Krippendorff's α ([`agreement`]).
//! - [`adjudicate()`]: the gold document of one article: spans every annotator agrees on are
//!   accepted, every other span is pending and marked as a conflict; [`save_gold`] writes it.
//! - [`conflicts`]: the conflicts of a gold file and what resolving one changes.
//! - [`merge`]: the three-way merge of one annotation file, git's merge driver.
//! - [`compare`]: reading annotators' files of one article and the merged document the
//!   workbench shows of them.
//!
//! Rules shared by all of them:
//! - **Rejected spans are not counted**: a span whose status is `rejected` is one the annotator
//!   (or a reviewer) turned down, not a label they give. Pending and accepted spans count.
//! - **A span's shape** is its label and its pieces (its range, or for a discontinuous span its
//!   fragments). Two spans match exactly when their shapes are equal.
//! - **Determinism**: everything is ordered (`BTreeMap`, spans by start, end, label, id), so the
//!   same files always give the same numbers and the same gold bytes.
//!
//! The token labels behind κ and α use the documented CoNLL tokenisation ([`tokens`]).

pub mod adjudicate;
pub mod align;
pub mod attributes;
pub mod compare;
pub mod conflicts;
mod groups;
mod matching;
pub mod merge;
pub mod metrics;
pub mod tokens;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::{CharRange, Document, Label, Span, Status, Text};

pub use adjudicate::{
    AGREED_BY, Adjudication, CONFLICT, CONFLICT_WITH, FRAGMENTS_PROPOSED, GoldError, PROPOSED_BY,
    adjudicate, save_gold,
};
pub use align::{Alignment, Difference, DifferenceKind, Variant, align, differences};
pub use compare::Comparison;
pub use conflicts::{Choice, Conflict, Conflicts};
pub use metrics::{Agreement, PairAgreement, Prf, SpanAgreement, agreement};

/// Why documents cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("nothing to compare: no documents")]
    NoDocuments,
    #[error(
        "{first:?} and {second:?} are different articles (their texts differ); compare files of the same article"
    )]
    DifferentArticles { first: String, second: String },
    #[error("annotator {annotator:?} has two files of the article {document:?}; keep one")]
    DuplicateAnnotator { annotator: String, document: String },
}

/// The SHA-256 (hex) of a document's text: the key that matches documents across annotators.
pub fn text_sha256(doc: &Document) -> String {
    doc.text().sha256_hex().to_string()
}

/// One article and the documents annotators made of it.
#[derive(Debug, Clone)]
pub struct Article<'a> {
    /// The SHA-256 of the text.
    pub text_sha256: String,
    /// Each annotator's document, by annotator name.
    pub by_annotator: BTreeMap<String, &'a Document>,
}

impl<'a> Article<'a> {
    /// The article's name: the document name of the first annotator (in name order).
    pub fn name(&self) -> &str {
        self.first().map_or("", |d| d.source.name.as_str())
    }

    /// The first annotator's document (in name order).
    pub fn first(&self) -> Option<&'a Document> {
        self.by_annotator.values().next().copied()
    }

    /// The text, shared by every document of the article.
    pub fn text(&self) -> Option<&'a Arc<Text>> {
        self.first().map(|d| d.text())
    }

    /// The annotators who have a document of this article, in name order.
    pub fn annotators(&self) -> impl Iterator<Item = &str> {
        self.by_annotator.keys().map(String::as_str)
    }
}

/// Documents grouped by article (`text_sha256`), one per annotator and article.
#[derive(Debug, Clone, Default)]
pub struct Corpus<'a> {
    articles: BTreeMap<String, Article<'a>>,
}

impl<'a> Corpus<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// All of `docs`, or the first duplicate (an annotator with two files of one article).
    pub fn from_documents(docs: &[&'a Document]) -> Result<Self, ReviewError> {
        let mut corpus = Self::new();
        for doc in docs {
            corpus.add(doc)?;
        }
        Ok(corpus)
    }

    /// Adds a document; refused (and nothing changes) when its annotator already has a document
    /// of the same article.
    pub fn add(&mut self, doc: &'a Document) -> Result<(), ReviewError> {
        let sha = text_sha256(doc);
        let article = self.articles.entry(sha.clone()).or_insert_with(|| Article {
            text_sha256: sha,
            by_annotator: BTreeMap::new(),
        });
        if article.by_annotator.contains_key(&doc.annotator) {
            return Err(ReviewError::DuplicateAnnotator {
                annotator: doc.annotator.clone(),
                document: doc.source.name.clone(),
            });
        }
        article.by_annotator.insert(doc.annotator.clone(), doc);
        Ok(())
    }

    /// The articles, ordered by name (then by text hash, for articles of the same name).
    pub fn articles(&self) -> Vec<&Article<'a>> {
        let mut out: Vec<&Article<'a>> = self.articles.values().collect();
        out.sort_by(|a, b| (a.name(), &a.text_sha256).cmp(&(b.name(), &b.text_sha256)));
        out
    }

    /// Every annotator of any article, in name order.
    pub fn annotators(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .articles
            .values()
            .flat_map(|a| a.by_annotator.keys().cloned())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }
}

/// The spans of `doc` that count in a comparison (all but rejected ones), in order.
pub fn counted_spans(doc: &Document) -> Vec<&Span> {
    doc.set()
        .spans()
        .filter(|s| s.status != Status::Rejected)
        .collect()
}

/// What a span marks, for comparisons: its label and its pieces (for an ordinary span, its
/// range). Two spans match exactly when their shapes are equal. Ordered by start, end, label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shape {
    pub range: CharRange,
    pub label: Label,
    /// Empty for an ordinary span; the pieces of a discontinuous one.
    pub fragments: Vec<CharRange>,
}

impl Shape {
    pub fn of(span: &Span) -> Self {
        Self {
            range: span.range,
            label: span.label.clone(),
            fragments: span.fragments.clone(),
        }
    }

    /// The stretches of text covered: the fragments, or the whole range.
    pub fn pieces(&self) -> Vec<CharRange> {
        if self.fragments.is_empty() {
            vec![self.range]
        } else {
            self.fragments.clone()
        }
    }
}

/// Characters covered by both sets of pieces (each set ordered and non-overlapping).
pub(crate) fn shared_chars(a: &[CharRange], b: &[CharRange]) -> usize {
    a.iter()
        .flat_map(|x| b.iter().map(move |y| x.overlap_len(y)))
        .sum()
}

/// Characters covered by a set of pieces.
pub(crate) fn covered_chars(pieces: &[CharRange]) -> usize {
    pieces.iter().map(CharRange::len).sum()
}

#[cfg(test)]
pub(crate) mod test_docs {
    //! Documents from marked-up text, for the tests of this module.

    use crate::model::marked::marked;
    use crate::model::{Document, Edit, Schema, Source, Status, Text, Timestamp};

    /// `annotator`'s document of the article marked up in `markup` (see
    /// [`crate::model::marked`]); the document is named `doc.txt`.
    pub fn doc(annotator: &str, markup: &str) -> Document {
        named(annotator, "doc.txt", markup)
    }

    pub fn named(annotator: &str, name: &str, markup: &str) -> Document {
        let (text, spans) = marked(markup);
        let source = Source {
            name: name.to_string(),
            encoding: "UTF-8".to_string(),
            ..Source::default()
        };
        let mut d = Document::new(source, Text::new(text), annotator, Schema::default());
        for mut span in spans {
            span.author = annotator.into();
            d.apply(&Edit::add(span), annotator, Timestamp::from_unix(0))
                .unwrap();
        }
        d
    }

    /// Omar's and rita's readings of one sentence: they agree on `Lavrov` and differ on a
    /// boundary (`said` / `said on`), a label (`Monday`) and two spans each marked alone.
    pub const OMAR: &str =
        "[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied";
    pub const RITA: &str =
        "[Lavrov]{actor} [said on]{action} [Monday]{claim} that NATO [lied]{action}";

    /// The gold file `judge` adjudicates from [`OMAR`] and [`RITA`]: four conflicts.
    pub fn gold() -> Document {
        let (omar, rita) = (doc("omar", OMAR), doc("rita", RITA));
        super::adjudicate::adjudicate_documents(&[&omar, &rita], "judge", Timestamp::from_unix(0))
            .unwrap()
            .gold
    }

    /// Marks the span with id `id` of `doc` rejected.
    pub fn reject(doc: &mut Document, id: &str) {
        let id = crate::model::SpanId::new(id).unwrap();
        let edit =
            Edit::set_status(doc.set(), &id, Status::Rejected, Timestamp::from_unix(0)).unwrap();
        doc.apply(&edit, "reviewer", Timestamp::from_unix(0))
            .unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::test_docs::{doc, named};
    use super::*;

    #[test]
    fn documents_are_matched_by_their_text() {
        let a = named("rita", "one.txt", "[Lavrov]{actor} said");
        let b = named("omar", "copy-of-one.txt", "Lavrov [said]{action}");
        let c = named("omar", "two.txt", "NATO replied");
        let corpus = Corpus::from_documents(&[&a, &b, &c]).unwrap();
        assert_eq!(corpus.len(), 2);
        assert_eq!(corpus.annotators(), ["omar", "rita"]);
        let articles = corpus.articles();
        // "copy-of-one.txt" is omar's name for the article; omar sorts first.
        assert_eq!(articles[0].name(), "copy-of-one.txt");
        assert_eq!(
            articles[0].annotators().collect::<Vec<_>>(),
            ["omar", "rita"]
        );
        assert_eq!(articles[1].name(), "two.txt");
        assert_eq!(articles[0].text_sha256, text_sha256(&a));
    }

    #[test]
    fn an_annotator_has_one_file_per_article() {
        let a = doc("rita", "[Lavrov]{actor} said");
        let again = doc("rita", "Lavrov [said]{action}");
        let err = Corpus::from_documents(&[&a, &again]).unwrap_err();
        assert_eq!(
            err,
            ReviewError::DuplicateAnnotator {
                annotator: "rita".into(),
                document: "doc.txt".into()
            }
        );
    }

    #[test]
    fn rejected_spans_do_not_count() {
        let mut a = doc("rita", "[Lavrov]{actor} [said]{action}");
        test_docs::reject(&mut a, "s2");
        let labels: Vec<_> = counted_spans(&a).iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["actor"]);
    }
}
