//! Propagation: a string people labelled is suggested at its other occurrences, as whole words
//! and in the same case ([`super::matcher`]). A string that carries two labels is flagged, not
//! guessed. Across a folder, the strings labelled in any document are proposed in all of them.
//!
//! ```text
//! [Lavrov]{actor} said ... Lavrov left      →  proposes actor at the second "Lavrov"
//! [NATO]{actor} ... [NATO]{claim} ... NATO  →  flags "NATO" (actor, claim), proposes nothing
//! ```

use std::collections::{BTreeMap, BTreeSet};

use super::matcher::Matcher;
use super::suggest::Proposal;
use crate::model::suggestion::is_work;
use crate::model::{Document, Label, SpanId};

/// The agent name of propagation.
pub const AGENT: &str = "propagate";
/// How sure propagation is of a proposal.
pub const SCORE: f32 = 0.8;

/// A string labelled with more than one label: left to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flagged {
    pub text: String,
    pub labels: Vec<Label>,
}

/// What propagation proposes for one document, and the strings it would not guess.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Propagation {
    pub proposals: Vec<Proposal>,
    pub flagged: Vec<Flagged>,
}

/// The strings of `doc` people labelled (contiguous spans with a letter or digit), with their
/// labels.
pub fn labelled(doc: &Document) -> BTreeMap<String, BTreeSet<Label>> {
    let mut out: BTreeMap<String, BTreeSet<Label>> = BTreeMap::new();
    for (text, label) in propagating(doc) {
        out.entry(text.to_string())
            .or_default()
            .insert(label.clone());
    }
    out
}

/// The strings people labelled that propagate, each with its label: the text of every span of
/// work in one piece that holds a letter or digit.
fn propagating(doc: &Document) -> impl Iterator<Item = (&str, &Label)> {
    propagating_where(doc, |_| true)
}

/// [`propagating`], of the spans `keep` keeps (asked before their text is read).
fn propagating_where(
    doc: &Document,
    keep: impl Fn(&crate::model::Span) -> bool,
) -> impl Iterator<Item = (&str, &Label)> {
    doc.set()
        .spans()
        .filter(move |s| keep(s) && is_work(s) && s.fragments.is_empty())
        .map(|s| (doc.set().span_text(s), &s.label))
        .filter(|(text, _)| text.chars().any(char::is_alphanumeric))
}

/// Proposals in `doc` for `strings`: every occurrence that has no span of that label yet.
pub fn from_strings(doc: &Document, strings: &BTreeMap<String, BTreeSet<Label>>) -> Propagation {
    let mut out = Propagation::default();
    let mut sure: Vec<(&str, &Label)> = Vec::new();
    for (text, labels) in strings {
        match labels.iter().collect::<Vec<_>>().as_slice() {
            [label] => sure.push((text, label)),
            _ => out.flagged.push(Flagged {
                text: text.clone(),
                labels: labels.iter().cloned().collect(),
            }),
        }
    }
    let matcher = Matcher::new(&sure.iter().map(|(t, _)| *t).collect::<Vec<_>>(), false);
    for hit in matcher.find(doc.text()) {
        for &entry in &hit.entries {
            let Some(&(text, label)) = sure.get(entry) else {
                continue;
            };
            if doc.set().at_range(hit.range).any(|s| &s.label == label) {
                continue;
            }
            out.proposals.push(Proposal {
                range: hit.range,
                label: label.clone(),
                agent: AGENT.to_string(),
                score: SCORE,
                why: Some(format!("{text:?} is labelled {label} elsewhere")),
                attrs: BTreeMap::new(),
            });
        }
    }
    out
}

/// What labelling span `id` proposes in its document: the span's string elsewhere, unless
/// the string carries another label too. Empty when there is no such span.
pub fn from_span(doc: &Document, id: &SpanId) -> Propagation {
    let Some(span) = doc.set().get(id) else {
        return Propagation::default();
    };
    let text = doc.set().span_text(span).to_string();
    // The labels of this one string, compared in place: not every span's text copied into a
    // map ([`labelled`]), which took 60 ms of each label key press at 100,000 spans; and only
    // spans as long as it are read (finding a span's text in the article is the costly part).
    let chars = span.range.len();
    let mut labels: BTreeSet<Label> = propagating_where(doc, |s| s.range.len() == chars)
        .filter(|(t, _)| *t == text)
        .map(|(_, label)| label.clone())
        .collect();
    labels.insert(span.label.clone());
    from_strings(doc, &BTreeMap::from([(text, labels)]))
}

/// Everything propagation proposes in one document, from its own labels.
pub fn in_document(doc: &Document) -> Propagation {
    from_strings(doc, &labelled(doc))
}

/// Propagation across documents (a folder): the strings labelled in any of them, proposed in
/// each. A string labelled differently in two documents is flagged.
pub fn across(docs: &[&Document]) -> Vec<Propagation> {
    let mut strings: BTreeMap<String, BTreeSet<Label>> = BTreeMap::new();
    for doc in docs {
        for (text, labels) in labelled(doc) {
            strings.entry(text).or_default().extend(labels);
        }
    }
    docs.iter().map(|d| from_strings(d, &strings)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::test_docs::doc;

    fn proposed(p: &Propagation, d: &Document) -> Vec<(usize, String)> {
        p.proposals
            .iter()
            .map(|p| {
                (
                    p.range.start().0,
                    format!("{}:{}", d.text().slice(p.range).unwrap(), p.label),
                )
            })
            .collect()
    }

    #[test]
    fn a_labelled_string_is_proposed_at_its_other_whole_word_occurrences_in_the_same_case() {
        let d = doc(
            "rita",
            "[Lavrov]{actor} met Lavrov's aide; lavrov, Lavrovs and Sergei Lavrov left.",
        );
        let p = from_span(&d, &SpanId::numbered(1));
        assert_eq!(
            proposed(&p, &d),
            [
                (11, "Lavrov:actor".to_string()),
                (53, "Lavrov:actor".to_string())
            ]
        );
        assert!(p.flagged.is_empty());
        assert_eq!(p.proposals[0].agent, AGENT);
        assert_eq!(in_document(&d), p);
    }

    #[test]
    fn a_string_with_two_labels_is_flagged_not_guessed() {
        let d = doc("rita", "[NATO]{actor} said [NATO]{claim} and NATO again.");
        let p = in_document(&d);
        assert!(p.proposals.is_empty());
        assert_eq!(
            p.flagged,
            [Flagged {
                text: "NATO".into(),
                labels: vec![Label::new("actor").unwrap(), Label::new("claim").unwrap()]
            }]
        );
        assert!(from_span(&d, &SpanId::numbered(1)).proposals.is_empty());
    }

    #[test]
    fn across_a_folder_the_labels_of_one_document_reach_the_others() {
        let a = doc("rita", "[Stoltenberg]{actor} spoke.");
        let b = doc("rita", "Later Stoltenberg left.");
        let all = across(&[&a, &b]);
        assert!(all[0].proposals.is_empty());
        assert_eq!(
            proposed(&all[1], &b),
            [(6, "Stoltenberg:actor".to_string())]
        );
    }

    #[test]
    fn pending_suggestions_do_not_propagate() {
        let mut d = doc("rita", "Lavrov met Lavrov.");
        let p = Proposal {
            range: crate::model::CharRange::new(0, 6).unwrap(),
            label: Label::new("actor").unwrap(),
            agent: "dates".into(),
            score: 0.5,
            why: None,
            attrs: BTreeMap::new(),
        };
        super::super::suggest::add(
            &mut d,
            vec![p],
            "rita",
            crate::model::Timestamp::from_unix(0),
        );
        assert!(in_document(&d).proposals.is_empty());
    }
}
