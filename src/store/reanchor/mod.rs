//! Source drift: re-anchoring a document's spans onto a changed article.
//!
//! When an article no longer matches the text stored in its native file (edited, re-encoded,
//! an updated news story), [`reanchor`] moves every span onto the new text using its quote and
//! its 32 characters of context on each side (W3C `TextQuoteSelector`), as the Hypothesis
//! annotator does; [`quote`] has the matching rules. It is a pure function of the document and
//! the new article (no I/O): the CLI's `spanmark reanchor` and the GUI's drift banner both call
//! it and save the result themselves.
//!
//! Each span comes out as one of four [`Outcome`]s:
//!
//! - **unchanged**: the same text at the same offsets;
//! - **moved**: the same text (line endings aside) at other offsets;
//! - **fuzzy**: found, but its text changed (edited inside, or matched approximately): its
//!   status is set back to `pending` for a person to check;
//! - **orphaned**: not found with enough confidence. It is kept, never deleted, in the
//!   document's [`Orphans`](crate::model::Orphans) with the quote and context it had, and its
//!   relations with it; a later re-anchoring (onto yet another version) tries it again.
//!
//! A discontinuous span is re-anchored fragment by fragment, each expected where the previous
//! one ended plus the old gap; when one fragment is lost, or they no longer come in order, the
//! whole span is orphaned. Offsets are Unicode scalar values on both sides, and every new
//! boundary is snapped outward to a grapheme-cluster boundary.
//!
//! The document takes the new text, `source_sha256`, encoding and BOM; the audit log gains one
//! `reanchor` entry per moved, fuzzy or orphaned span (before → after), a `set_status` entry
//! for each status set back to pending, and one `document` entry with the totals. A document
//! marked annotated or reviewed goes back to in progress when anything needs review.
//!
//! Speed: each span is first looked for exactly where the spans before it moved to, which
//! settles unchanged and moved spans in time proportional to their length; otherwise the
//! search is linear in the text per span (exact, then context, then approximate with
//! ⌈length/64⌉ words per character).

mod distance;
mod quote;

use std::sync::Arc;

use crate::model::audit::SpanSnapshot;
use crate::model::{
    AnnotationSet, AuditAction, AuditEntry, AuditValue, CharOffset, CharRange, Document,
    DocumentStatus, Label, Orphan, Orphans, Relation, Span, SpanId, Status, Text, Timestamp,
};
use crate::store::article::Article;
use crate::store::native::CONTEXT_CHARS;

use quote::{Found, Haystack, Selector, anchor};
pub use quote::{How, Lost};

/// What re-anchoring did to one span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Unchanged,
    Moved,
    /// Found with changed text; needs review (status set back to pending).
    Fuzzy,
    /// Not found; kept in the document's orphans.
    Orphaned,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Unchanged,
        Outcome::Moved,
        Outcome::Fuzzy,
        Outcome::Orphaned,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Unchanged => "unchanged",
            Outcome::Moved => "moved",
            Outcome::Fuzzy => "fuzzy",
            Outcome::Orphaned => "orphaned",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One span's line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanReport {
    pub id: SpanId,
    pub label: Label,
    pub outcome: Outcome,
    /// Where the span was, in the old text (for a span that was already an orphan: in the
    /// text it was last anchored on).
    pub before: CharRange,
    /// Where it is now; `None` when orphaned.
    pub after: Option<CharRange>,
    /// The text it covered.
    pub quote: String,
    /// The text it covers now; `None` when orphaned.
    pub text: Option<String>,
    /// Edits (insertions, deletions, substitutions) from the quote to the new text, line
    /// endings aside; 0 unless fuzzy.
    pub edits: usize,
    /// Why it is orphaned, in words.
    pub reason: Option<String>,
    /// Whether it was an orphan before this re-anchoring (and is now found again, or not).
    pub was_orphan: bool,
    /// The status it had, when re-anchoring set it back to pending.
    pub status_reset: Option<Status>,
}

/// What re-anchoring did, span by span.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// The document's spans in their old order, then the earlier orphans tried again.
    pub spans: Vec<SpanReport>,
    /// Relations moved to the orphans because one of their spans was orphaned.
    pub relations_orphaned: Vec<SpanId>,
    /// Orphaned relations back in the set because both their spans were found.
    pub relations_restored: Vec<SpanId>,
}

impl Report {
    /// How many spans had `outcome` (earlier orphans still lost count as orphaned).
    pub fn count(&self, outcome: Outcome) -> usize {
        self.spans.iter().filter(|s| s.outcome == outcome).count()
    }

    /// Whether a person should look: a span is fuzzy or orphaned.
    pub fn needs_review(&self) -> bool {
        self.spans
            .iter()
            .any(|s| matches!(s.outcome, Outcome::Fuzzy | Outcome::Orphaned))
    }

    /// `3 unchanged, 1 moved, 0 fuzzy, 1 orphaned`.
    pub fn summary(&self) -> String {
        Outcome::ALL
            .iter()
            .map(|o| format!("{} {o}", self.count(*o)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The re-anchored document and what happened to each span.
#[derive(Debug, Clone)]
pub struct Reanchored {
    pub doc: Document,
    pub report: Report,
}

/// Re-anchors every span of `doc` (and every earlier orphan) onto `article`'s text, as `who`
/// at `at`. Pure: nothing is read or written. See the module docs for the rules.
pub fn reanchor(doc: &Document, article: &Article, who: &str, at: Timestamp) -> Reanchored {
    let old_text = doc.text().clone();
    let new_text = Arc::new(Text::new(article.text.clone()));
    let old_hay = Haystack::new(&old_text);
    let new_hay = Haystack::new(&new_text);
    let mut run = Run {
        new_hay: &new_hay,
        set: AnnotationSet::new(new_text.clone()),
        orphans: Orphans::default(),
        report: Report::default(),
        audit: doc.audit().to_vec(),
        who,
        at,
    };

    let mut delta: isize = 0;
    for span in doc.set().spans() {
        let sought = Sought::from_text(span, &old_text, &old_hay);
        let expected = offset_by(sought.old_starts.first().copied().unwrap_or(0), delta);
        let quote = old_text.slice(span.range).unwrap_or("").to_string();
        match seek(&new_hay, &sought, expected) {
            Ok(found) => {
                if found.iter().all(|f| f.how != How::Fuzzy)
                    && let (Some(f), Some(&old)) = (found.first(), sought.old_starts.first())
                {
                    delta = f.start as isize - old as isize;
                }
                run.place(span, &quote, &found, &sought, false, || {
                    orphan_of(span, &old_text)
                });
            }
            Err(reason) => run.orphan(orphan_of(span, &old_text), reason, false),
        }
    }
    for orphan in &doc.orphans.spans {
        let sought = Sought::from_orphan(orphan);
        let expected = new_hay.to_folded(orphan.span.range.start().0);
        match seek(&new_hay, &sought, expected) {
            Ok(found) => {
                run.place(&orphan.span, &orphan.quote, &found, &sought, true, || {
                    orphan.clone()
                });
            }
            Err(reason) => run.orphan(orphan.clone(), reason, true),
        }
    }
    run.relations(doc);
    run.finish(doc, article, &old_text, &new_text)
}

/// A folded position moved by `delta`, never below zero.
fn offset_by(position: usize, delta: isize) -> usize {
    position.saturating_add_signed(delta)
}

/// The orphan record of a span of the old text.
fn orphan_of(span: &Span, old: &Text) -> Orphan {
    Orphan {
        span: span.clone(),
        quote: old.slice(span.range).unwrap_or("").to_string(),
        prefix: old.prefix(span.range.start(), CONTEXT_CHARS).to_string(),
        suffix: old.suffix(span.range.end(), CONTEXT_CHARS).to_string(),
    }
}

/// A span's pieces as selectors, with their old folded positions (for expected positions).
struct Sought {
    selectors: Vec<Selector>,
    old_starts: Vec<usize>,
    old_ends: Vec<usize>,
    /// Each piece's text as it was (unfolded).
    quotes: Vec<String>,
}

impl Sought {
    fn from_text(span: &Span, old: &Text, hay: &Haystack<'_>) -> Self {
        let mut sought = Sought {
            selectors: Vec::new(),
            old_starts: Vec::new(),
            old_ends: Vec::new(),
            quotes: Vec::new(),
        };
        for piece in span.pieces() {
            let quote = old.slice(piece).unwrap_or("");
            let prefix = old.prefix(piece.start(), CONTEXT_CHARS);
            let suffix = old.suffix(piece.end(), CONTEXT_CHARS);
            sought.selectors.push(Selector::new(
                quote,
                prefix,
                suffix,
                piece.start().0 < CONTEXT_CHARS,
                piece.end().0 + CONTEXT_CHARS > old.len_chars(),
            ));
            sought.old_starts.push(hay.to_folded(piece.start().0));
            sought.old_ends.push(hay.to_folded(piece.end().0));
            sought.quotes.push(quote.to_string());
        }
        sought
    }

    /// An orphan's pieces, taken from the text it carries: its prefix, quote and suffix.
    fn from_orphan(orphan: &Orphan) -> Self {
        let local = format!("{}{}{}", orphan.prefix, orphan.quote, orphan.suffix);
        let prefix_len = orphan.prefix.chars().count();
        let local = Text::new(local);
        let base = orphan.span.range.start().0;
        let pieces: Vec<CharRange> = orphan
            .span
            .pieces()
            .iter()
            .filter_map(|p| {
                CharRange::new(
                    p.start().0.checked_sub(base)? + prefix_len,
                    p.end().0.checked_sub(base)? + prefix_len,
                )
            })
            .collect();
        let hay = Haystack::new(&local);
        let starts_text = prefix_len < CONTEXT_CHARS;
        let ends_text = orphan.suffix.chars().count() < CONTEXT_CHARS;
        let mut sought = Sought {
            selectors: Vec::new(),
            old_starts: Vec::new(),
            old_ends: Vec::new(),
            quotes: Vec::new(),
        };
        let last = pieces.len().saturating_sub(1);
        for (i, piece) in pieces.iter().enumerate() {
            let quote = local.slice(*piece).unwrap_or("");
            let prefix = local.prefix(piece.start(), CONTEXT_CHARS);
            let suffix = local.suffix(piece.end(), CONTEXT_CHARS);
            sought.selectors.push(Selector::new(
                quote,
                prefix,
                suffix,
                i == 0 && starts_text,
                i == last && ends_text,
            ));
            sought.old_starts.push(hay.to_folded(piece.start().0));
            sought.old_ends.push(hay.to_folded(piece.end().0));
            sought.quotes.push(quote.to_string());
        }
        sought
    }
}

/// Finds every piece, each expected where the previous one ended plus the old gap.
fn seek(hay: &Haystack<'_>, sought: &Sought, expected: usize) -> Result<Vec<Found>, String> {
    let n = sought.selectors.len();
    if n == 0 {
        return Err("it has no text to look for".to_string());
    }
    let mut found: Vec<Found> = Vec::with_capacity(n);
    for (i, selector) in sought.selectors.iter().enumerate() {
        let expected = match (found.last(), i.checked_sub(1)) {
            (Some(prev), Some(p)) => {
                let gap = sought.old_starts[i].saturating_sub(sought.old_ends[p]);
                prev.end + gap
            }
            _ => expected,
        };
        match anchor(hay, selector, expected) {
            Ok(f) => found.push(f),
            Err(lost) if n > 1 => return Err(format!("fragment {} {lost}", i + 1)),
            Err(lost) => return Err(lost.to_string()),
        }
    }
    Ok(found)
}

/// The state of one re-anchoring.
struct Run<'h, 'a> {
    new_hay: &'h Haystack<'a>,
    set: AnnotationSet,
    orphans: Orphans,
    report: Report,
    audit: Vec<AuditEntry>,
    who: &'h str,
    at: Timestamp,
}

fn snapshot(label: &Label, range: CharRange, text: &str) -> AuditValue {
    AuditValue::Span(Box::new(SpanSnapshot {
        label: label.as_str().into(),
        start: range.start().0,
        end: range.end().0,
        text: text.into(),
    }))
}

impl Run<'_, '_> {
    fn entry(&self, target: &SpanId, detail: String) -> AuditEntry {
        AuditEntry {
            at: self.at,
            who: self.who.into(),
            action: AuditAction::Reanchor,
            target: Some(target.clone()),
            detail: Some(detail),
            before: None,
            after: None,
        }
    }

    /// Puts a found span into the new set (or orphans it when the set refuses it).
    fn place(
        &mut self,
        span: &Span,
        quote: &str,
        found: &[Found],
        sought: &Sought,
        was_orphan: bool,
        as_orphan: impl FnOnce() -> Orphan,
    ) {
        let text = self.new_hay.original;
        let pieces: Vec<CharRange> = found
            .iter()
            .map(|f| {
                CharRange::between(
                    text.grapheme_floor(CharOffset(self.new_hay.to_original(f.start))),
                    text.grapheme_ceil(CharOffset(self.new_hay.to_original(f.end))),
                )
            })
            .collect();
        let apart = pieces.windows(2).all(|w| w[0].end() < w[1].start());
        let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
            return self.orphan(as_orphan(), "it has no text to look for".into(), was_orphan);
        };
        if !apart || pieces.iter().any(CharRange::is_empty) {
            return self.orphan(
                as_orphan(),
                "its fragments were found, but no longer in order and apart".into(),
                was_orphan,
            );
        }
        let range = CharRange::between(first.start(), last.end());
        let fragments = if pieces.len() > 1 {
            pieces.clone()
        } else {
            Vec::new()
        };
        // Edits between each piece's old and new text, line endings aside.
        let mut edits = 0;
        let mut same_text = true;
        for ((piece, selector), old_quote) in
            pieces.iter().zip(&sought.selectors).zip(&sought.quotes)
        {
            let new_piece = text.slice(*piece).unwrap_or("");
            same_text &= new_piece == old_quote;
            let folded: Vec<char> = quote::fold_str(new_piece).chars().collect();
            edits += selector.quote_edits(&folded);
        }
        let exact = edits == 0 && found.iter().all(|f| f.how == How::Exact);
        let outcome = if !exact {
            Outcome::Fuzzy
        } else if same_text && range == span.range && fragments == span.fragments && !was_orphan {
            Outcome::Unchanged
        } else {
            Outcome::Moved
        };
        let mut new = span.clone();
        new.range = range;
        new.fragments = fragments;
        let mut status_reset = None;
        if outcome != Outcome::Unchanged {
            new.modified = self.at;
        }
        if outcome == Outcome::Fuzzy && new.status != Status::Pending {
            status_reset = Some(new.status);
            new.status = Status::Pending;
        }
        let new_text = text.slice(range).unwrap_or("").to_string();
        if let Err(e) = self.set.insert(new.clone()) {
            return self.orphan(as_orphan(), format!("found, but {e}"), was_orphan);
        }
        if outcome != Outcome::Unchanged {
            let detail = match (was_orphan, outcome) {
                (true, o) => format!("restored from the orphans ({o})"),
                (false, Outcome::Fuzzy) => format!("fuzzy ({edits} edits)"),
                (false, o) => o.to_string(),
            };
            let mut entry = self.entry(&span.id, detail);
            entry.before = Some(snapshot(&span.label, span.range, quote));
            entry.after = Some(snapshot(&new.label, range, &new_text));
            self.audit.push(entry);
        }
        if let Some(old) = status_reset {
            self.audit.push(AuditEntry {
                at: self.at,
                who: self.who.into(),
                action: AuditAction::SetStatus,
                target: Some(span.id.clone()),
                detail: Some("re-anchored with changed text: needs review".to_string()),
                before: Some(AuditValue::text(old.as_str())),
                after: Some(AuditValue::text(Status::Pending.as_str())),
            });
        }
        self.report.spans.push(SpanReport {
            id: span.id.clone(),
            label: span.label.clone(),
            outcome,
            before: span.range,
            after: Some(range),
            quote: quote.to_string(),
            text: Some(new_text),
            edits,
            reason: None,
            was_orphan,
            status_reset,
        });
    }

    fn orphan(&mut self, orphan: Orphan, reason: String, was_orphan: bool) {
        let span = &orphan.span;
        if !was_orphan {
            let mut entry = self.entry(&span.id, format!("orphaned: {reason}"));
            entry.before = Some(snapshot(&span.label, span.range, &orphan.quote));
            self.audit.push(entry);
        }
        self.report.spans.push(SpanReport {
            id: span.id.clone(),
            label: span.label.clone(),
            outcome: Outcome::Orphaned,
            before: span.range,
            after: None,
            quote: orphan.quote.clone(),
            text: None,
            edits: 0,
            reason: Some(reason),
            was_orphan,
            status_reset: None,
        });
        self.orphans.spans.push(orphan);
    }

    /// Relations go with their spans: into the set when both ends are there, else orphaned.
    fn relations(&mut self, doc: &Document) {
        let mut all: Vec<(&Relation, bool)> = doc
            .set()
            .relations()
            .map(|r| (r, false))
            .chain(doc.orphans.relations.iter().map(|r| (r, true)))
            .collect();
        all.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        for (relation, was_orphan) in all {
            let both_found =
                self.set.get(&relation.from).is_some() && self.set.get(&relation.to).is_some();
            if both_found && self.set.insert_relation(relation.clone()).is_ok() {
                if was_orphan {
                    self.report.relations_restored.push(relation.id.clone());
                    self.audit.push(self.entry(
                        &relation.id,
                        "restored from the orphans: both its spans were found".to_string(),
                    ));
                }
                continue;
            }
            if !was_orphan {
                self.report.relations_orphaned.push(relation.id.clone());
                let lost = if self.set.get(&relation.from).is_none() {
                    &relation.from
                } else {
                    &relation.to
                };
                let mut entry = self.entry(&relation.id, format!("orphaned with span {lost}"));
                entry.before = Some(AuditValue::relation(relation));
                self.audit.push(entry);
            }
            self.orphans.relations.push(relation.clone());
        }
    }

    fn finish(
        mut self,
        doc: &Document,
        article: &Article,
        old_text: &Text,
        new_text: &Text,
    ) -> Reanchored {
        use crate::store::hash::sha256_hex;
        self.orphans.sort();
        for id in self.orphans.ids() {
            self.set.reserve_id(id);
        }
        let needs_review = self.report.spans.iter().any(|s| {
            s.outcome == Outcome::Fuzzy || (s.outcome == Outcome::Orphaned && !s.was_orphan)
        });
        let short = |t: &Text| sha256_hex(t.as_str().as_bytes())[..12].to_string();
        self.audit.push(AuditEntry::document(
            self.at,
            self.who,
            format!(
                "re-anchored onto a changed article (text {} → {}): {}",
                short(old_text),
                short(new_text),
                self.report.summary()
            ),
        ));
        let mut status = doc.status;
        if needs_review && status != DocumentStatus::InProgress {
            self.audit.push(AuditEntry::document(
                self.at,
                self.who,
                format!(
                    "status {} → {}: re-anchoring left spans to review",
                    status.as_str(),
                    DocumentStatus::InProgress.as_str()
                ),
            ));
            status = DocumentStatus::InProgress;
        }
        let mut source = doc.source.clone();
        source.sha256 = Some(article.source_sha256.clone());
        source.encoding = article.encoding.clone();
        source.bom = article.bom;
        // The hash chain goes on: the entries read keep their hashes, a file from before the
        // chain (or found broken) records that before the entries added here, and the chain
        // keeps starting from the digest of the text it started on.
        let mut audit = self.audit;
        if let Some(note) = doc.chain.pending.clone() {
            let at = doc.audit().len().min(audit.len());
            audit.insert(at, AuditEntry::document(self.at, self.who, note));
        }
        let mut new_doc = Document::from_parts(
            source,
            doc.annotator.clone(),
            status,
            doc.schema.clone(),
            self.set,
            audit,
        );
        new_doc.chain = crate::model::Chain {
            stored: doc.chain.stored.clone(),
            pending: None,
            genesis: doc.chain.genesis.clone().or_else(|| {
                doc.chain
                    .is_chained()
                    .then(|| old_text.sha256_hex().to_string())
            }),
        };
        new_doc.meta = doc.meta.clone();
        new_doc.orphans = self.orphans;
        Reanchored {
            doc: new_doc,
            report: self.report,
        }
    }
}

/// Finds W3C `TextQuoteSelector`s in one text (for importers of formats that carry them, and
/// tests): the same rules as re-anchoring, with the text's folded copy built once.
pub struct QuoteFinder<'a> {
    hay: Haystack<'a>,
}

impl<'a> QuoteFinder<'a> {
    pub fn new(text: &'a Text) -> Self {
        Self {
            hay: Haystack::new(text),
        }
    }

    /// Where `exact` (with its `prefix` and `suffix`) is in the text, expected near `hint`,
    /// snapped to grapheme boundaries; or why it is not there.
    pub fn find(
        &self,
        exact: &str,
        prefix: &str,
        suffix: &str,
        hint: Option<CharOffset>,
    ) -> Result<(CharRange, How), Lost> {
        let selector = Selector::new(exact, prefix, suffix, false, false);
        let expected = hint.map_or(0, |h| self.hay.to_folded(h.0));
        let found = anchor(&self.hay, &selector, expected)?;
        let text = self.hay.original;
        let range = CharRange::between(
            text.grapheme_floor(CharOffset(self.hay.to_original(found.start))),
            text.grapheme_ceil(CharOffset(self.hay.to_original(found.end))),
        );
        Ok((range, found.how))
    }
}

#[cfg(test)]
mod tests;
