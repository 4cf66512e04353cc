//! Suggestions: spans a program proposed (`origin: suggested`) for a person to accept or
//! reject. A suggestion carries the attributes [`AGENT`] (which source made it), [`SCORE`]
//! (0–1) and, where it helps, [`WHY`]; accepting it keeps `origin: suggested` and sets
//! [`ACCEPTED_BY`]. A rejected suggestion leaves the spans and is remembered as a
//! [`Rejected`] in the document, so the same agent does not propose it again; a person may
//! still label that range.
//!
//! What counts as people's work (exports, agreement, adjudication, statistics): spans made
//! by hand or imported, and suggestions someone accepted ([`is_work`]).

use crate::model::label::Label;
use crate::model::span::{Origin, Span, Status};
use crate::model::text::CharRange;

/// The attribute naming the source of a suggestion (`dates`, `propagate`, `gazetteer:cities.tsv`,
/// `ls:model-v2`, …).
pub const AGENT: &str = "agent";
/// The attribute holding how sure the source was, 0–1.
pub const SCORE: &str = "score";
/// The attribute saying why it was suggested (the rule, the gazetteer line).
pub const WHY: &str = "why";
/// The attribute naming the person who accepted the suggestion.
pub const ACCEPTED_BY: &str = "accepted_by";

/// The score as written in the `score` attribute: two decimals, 0–1.
pub fn score_text(score: f32) -> String {
    format!("{:.2}", score.clamp(0.0, 1.0))
}

/// Whether `span` is a suggestion no one has accepted yet: accepting records who did
/// (`accepted_by`), and a reviewer who accepts it in review mode (status accepted, the history
/// saying who) accepts it too.
pub fn is_pending(span: &Span) -> bool {
    span.origin == Origin::Suggested
        && !span.attrs.contains_key(ACCEPTED_BY)
        && span.status != Status::Accepted
}

/// Whether `span` is people's work: made by hand, imported, or a suggestion someone accepted.
pub fn is_work(span: &Span) -> bool {
    !is_pending(span)
}

/// The agent that suggested `span`, if it was suggested.
pub fn agent(span: &Span) -> Option<&str> {
    (span.origin == Origin::Suggested)
        .then(|| span.attrs.get(AGENT).map(String::as_str))
        .flatten()
}

/// A suggestion a person rejected: the agent does not propose this range and label again.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rejected {
    pub range: CharRange,
    pub label: Label,
    pub agent: String,
}

impl Rejected {
    /// The rejection of suggestion `span` (its agent, or `unknown` when it names none).
    pub fn of(span: &Span) -> Self {
        Self {
            range: span.range,
            label: span.label.clone(),
            agent: agent(span).unwrap_or("unknown").to_string(),
        }
    }
}

/// Adds `rejected` to a list kept sorted and without repeats.
pub fn remember(list: &mut Vec<Rejected>, rejected: Rejected) {
    if let Err(at) = list.binary_search(&rejected) {
        list.insert(at, rejected);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{SpanId, Timestamp};

    fn span(origin: Origin, attrs: &[(&str, &str)]) -> Span {
        let mut s = Span::new(
            SpanId::numbered(1),
            Label::new("actor").unwrap(),
            CharRange::new(0, 6).unwrap(),
            "rita",
            Timestamp::from_unix(0),
        );
        s.origin = origin;
        s.attrs = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        s
    }

    #[test]
    fn work_is_what_people_made_or_accepted() {
        assert!(is_work(&span(Origin::Manual, &[])));
        assert!(is_work(&span(Origin::Imported, &[])));
        assert!(!is_work(&span(Origin::Suggested, &[(AGENT, "dates")])));
        assert!(is_work(&span(
            Origin::Suggested,
            &[(AGENT, "dates"), (ACCEPTED_BY, "rita")]
        )));
        assert_eq!(
            agent(&span(Origin::Suggested, &[(AGENT, "dates")])),
            Some("dates")
        );
        assert_eq!(agent(&span(Origin::Manual, &[(AGENT, "dates")])), None);
        // Accepted by a reviewer in review mode: work; rejected there: still not work.
        let mut reviewed = span(Origin::Suggested, &[(AGENT, "dates")]);
        reviewed.status = Status::Accepted;
        assert!(is_work(&reviewed));
        reviewed.status = Status::Rejected;
        assert!(!is_work(&reviewed));
    }

    #[test]
    fn people_only_takes_out_pending_suggestions_and_their_relations() {
        use crate::model::{Edit, Relation};
        let mut d = crate::review::test_docs::doc("rita", "[Lavrov]{actor} met [Putin]{actor}.");
        let at = Timestamp::from_unix(0);
        let mut s2 = d.set().get(&SpanId::numbered(2)).unwrap().clone();
        d.apply(&Edit::remove(d.set(), &s2.id).unwrap(), "rita", at)
            .unwrap();
        s2.origin = Origin::Suggested;
        s2.attrs.insert(AGENT.into(), "gazetteer:g.tsv".into());
        d.apply(&Edit::add(s2), "rita", at).unwrap();
        let r = Relation::new(
            SpanId::relation_numbered(1),
            Label::new("source").unwrap(),
            SpanId::numbered(1),
            SpanId::numbered(2),
            "rita",
            at,
        );
        d.apply(&Edit::AddRelation(r), "rita", at).unwrap();
        let (people, taken) = d.clone().people_only();
        assert_eq!(taken, 1);
        assert_eq!(people.set().len(), 1);
        assert_eq!(people.set().relations().count(), 0);
        assert_eq!(people.audit(), d.audit());
        let (same, none) = people.clone().people_only();
        assert_eq!((same, none), (people, 0));
    }

    #[test]
    fn rejections_are_kept_sorted_once() {
        let mut list = Vec::new();
        let r = Rejected::of(&span(Origin::Suggested, &[(AGENT, "dates")]));
        remember(&mut list, r.clone());
        remember(&mut list, r.clone());
        assert_eq!(list, vec![r]);
    }
}
