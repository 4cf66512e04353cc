//! Orphans: spans that re-anchoring could not place on a changed article.
//!
//! When the article changes and a span's quote can no longer be found (the passage was deleted
//! or rewritten beyond recognition), the span is not deleted and not put somewhere wrong: it
//! becomes an [`Orphan`], kept beside the annotation set with the quote and the context it had,
//! so that a person can place it again, a later re-anchoring onto another version of the article
//! can find it, or an auditor can see what was lost.
//!
//! An orphan's `span.range` and `span.fragments` count characters of the text the span was
//! last anchored on, which is no longer the document's text: they are a hint, never an offset
//! into [`Document::text`](crate::model::Document::text). `quote` is what that range covered.
//! Relations with an orphaned end are kept in [`Orphans::relations`] until both ends are in the
//! set again. Orphan ids stay reserved: no new span or relation gets them.

use crate::model::span::{Relation, Span, SpanId};

/// A span that could not be placed on the current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    /// The span as it stood; its offsets count the text it was last anchored on.
    pub span: Span,
    /// The text the span covered (W3C TextQuoteSelector `exact`).
    pub quote: String,
    /// Up to 32 characters before it, in that text.
    pub prefix: String,
    /// Up to 32 characters after it, in that text.
    pub suffix: String,
}

/// The orphaned spans of a document and the relations that link them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Orphans {
    /// Ordered by the span's (old) start, then id.
    pub spans: Vec<Orphan>,
    /// Relations with at least one orphaned end, ordered by id.
    pub relations: Vec<Relation>,
}

impl Orphans {
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty() && self.relations.is_empty()
    }

    /// The ids of every orphaned span and relation.
    pub fn ids(&self) -> impl Iterator<Item = &SpanId> {
        self.spans
            .iter()
            .map(|o| &o.span.id)
            .chain(self.relations.iter().map(|r| &r.id))
    }

    /// Whether a span with this id is an orphan.
    pub fn has_span(&self, id: &SpanId) -> bool {
        self.spans.iter().any(|o| &o.span.id == id)
    }

    /// Puts the lists in their saved order.
    pub fn sort(&mut self) {
        self.spans
            .sort_by(|a, b| a.span.sort_key().cmp(&b.span.sort_key()));
        self.relations.sort_by(|a, b| a.id.cmp(&b.id));
    }
}
