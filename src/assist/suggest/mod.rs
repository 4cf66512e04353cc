//! Turning what a source proposes into suggestion spans, and a person's answer to them.
//!
//! A [`Proposal`] is a range and label from one agent. [`add`] makes each new one a span with
//! `origin: suggested`, `status: pending` and the attributes `agent`, `score` and `why`, unless
//! the document already has a span of that range and label (any origin) or a person rejected
//! that suggestion from that agent. [`accept`] keeps the span's origin and sets `accepted_by`;
//! [`reject`] removes it and remembers the rejection. Each writes history entries: the edit
//! under the person's name, and a document entry naming the agent.
//!
//! Everything here takes the document and returns the edits it applied, so the GUI can keep
//! them for undo.

use std::collections::BTreeMap;

pub use crate::model::suggestion::score_text;
use crate::model::suggestion::{
    ACCEPTED_BY, AGENT, Rejected, SCORE, WHY, agent, is_pending, remember,
};
use crate::model::{
    AuditEntry, CharRange, Document, Edit, Label, Origin, SetError, Span, SpanId, Timestamp,
};

/// A span a source proposes.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub range: CharRange,
    pub label: Label,
    /// The source (`dates`, `propagate`, `gazetteer:places.tsv`, `command`, `ls:v3`).
    pub agent: String,
    /// How sure the source is, 0–1 (clamped when written).
    pub score: f32,
    /// Why it was proposed (the rule, the gazetteer line), when that helps.
    pub why: Option<String>,
    /// Other attributes to set (a date's `iso`).
    pub attrs: BTreeMap<String, String>,
}

/// What [`add`] did.
#[derive(Debug, Default)]
pub struct Added {
    /// The edits applied, in order (one `Add` per new suggestion).
    pub edits: Vec<Edit>,
    /// New suggestions per agent and label.
    pub counts: BTreeMap<(String, String), usize>,
    /// Proposals left out because a span of that range and label is already there.
    pub duplicates: usize,
    /// Proposals left out because a person rejected them before.
    pub rejected: usize,
    /// Proposals the text cannot hold (outside it, inside a character), with why.
    pub refused: Vec<String>,
}

/// Adds the new `proposals` to `doc` as pending suggestions made by `who` at `at`.
pub fn add(doc: &mut Document, proposals: Vec<Proposal>, who: &str, at: Timestamp) -> Added {
    let mut out = Added::default();
    let mut per_agent: BTreeMap<&str, usize> = BTreeMap::new();
    let mut agents = Vec::new();
    for p in proposals {
        if doc.set().at_range(p.range).any(|s| s.label == p.label) {
            out.duplicates += 1;
            continue;
        }
        let rejection = Rejected {
            range: p.range,
            label: p.label.clone(),
            agent: p.agent.clone(),
        };
        if doc.rejected.binary_search(&rejection).is_ok() {
            out.rejected += 1;
            continue;
        }
        let mut span = Span::new(doc.set().next_id(), p.label.clone(), p.range, who, at);
        span.origin = Origin::Suggested;
        span.attrs = p.attrs;
        span.attrs.insert(AGENT.to_string(), p.agent.clone());
        span.attrs.insert(SCORE.to_string(), score_text(p.score));
        if let Some(why) = p.why {
            span.attrs.insert(WHY.to_string(), why);
        }
        let edit = Edit::add(span);
        match doc.apply(&edit, who, at) {
            Ok(()) => {
                out.edits.push(edit);
                *out.counts
                    .entry((p.agent.clone(), p.label.to_string()))
                    .or_default() += 1;
                agents.push(p.agent);
            }
            Err(e) => out.refused.push(format!("{} ({}): {e}", p.range, p.agent)),
        }
    }
    for a in &agents {
        *per_agent.entry(a).or_default() += 1;
    }
    for (agent, n) in per_agent {
        doc.log(AuditEntry::document(
            at,
            who,
            format!(
                "suggest: agent {agent} proposed {n} span{}",
                if n == 1 { "" } else { "s" }
            ),
        ));
    }
    out
}

/// Why a suggestion could not be accepted or rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("there is no span {0}")]
    NoSuchSpan(SpanId),
    #[error("span {0} is not a pending suggestion")]
    NotPending(SpanId),
    #[error(transparent)]
    Set(#[from] SetError),
}

fn pending<'d>(doc: &'d Document, id: &SpanId) -> Result<&'d Span, AnswerError> {
    let span = doc
        .set()
        .get(id)
        .ok_or_else(|| AnswerError::NoSuchSpan(id.clone()))?;
    if !is_pending(span) {
        return Err(AnswerError::NotPending(id.clone()));
    }
    Ok(span)
}

/// `who` accepts suggestion `id`: it keeps `origin: suggested` and gets `accepted_by`. Returns
/// the edit applied.
pub fn accept(
    doc: &mut Document,
    id: &SpanId,
    who: &str,
    at: Timestamp,
) -> Result<Edit, AnswerError> {
    let span = pending(doc, id)?;
    let note = format!(
        "suggest: {who} accepted {id} ({}) of agent {}",
        span.label,
        agent(span).unwrap_or("unknown")
    );
    let edit = Edit::set_attr(doc.set(), id, ACCEPTED_BY, Some(who.to_string()), at)?;
    doc.apply(&edit, who, at)?;
    doc.log(AuditEntry::document(at, who, note));
    Ok(edit)
}

/// `who` rejects suggestion `id`: it is removed and remembered, so its agent does not
/// propose it again. Returns the edit applied (undoing it brings the span back; the
/// rejection stays remembered).
pub fn reject(
    doc: &mut Document,
    id: &SpanId,
    who: &str,
    at: Timestamp,
) -> Result<Edit, AnswerError> {
    let span = pending(doc, id)?;
    let rejection = Rejected::of(span);
    let note = format!(
        "suggest: {who} rejected {id} ({}) of agent {}",
        span.label, rejection.agent
    );
    let edit = Edit::remove(doc.set(), id)?;
    doc.apply(&edit, who, at)?;
    remember(&mut doc.rejected, rejection);
    doc.log(AuditEntry::document(at, who, note));
    Ok(edit)
}

#[cfg(test)]
mod tests;
