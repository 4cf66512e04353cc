use super::*;
use crate::model::AuditAction;
use crate::review::test_docs::doc;

fn at() -> Timestamp {
    Timestamp::from_unix(50)
}

fn label(s: &str) -> Label {
    Label::new(s).unwrap()
}

fn proposal(start: usize, end: usize, l: &str, agent: &str) -> Proposal {
    Proposal {
        range: CharRange::new(start, end).unwrap(),
        label: label(l),
        agent: agent.to_string(),
        score: 0.9,
        why: Some("rule".into()),
        attrs: BTreeMap::new(),
    }
}

#[test]
fn proposals_become_pending_suggestions_with_agent_score_and_why_once() {
    // "Lavrov said. Lavrov left." with the first Lavrov labelled by hand.
    let mut d = doc("rita", "[Lavrov]{actor} said. Lavrov left.");
    let added = add(
        &mut d,
        vec![
            proposal(13, 19, "actor", "propagate"),
            proposal(0, 6, "actor", "gazetteer:people.tsv"),
            proposal(13, 19, "actor", "gazetteer:people.tsv"),
        ],
        "rita",
        at(),
    );
    // The first is new; the second repeats the hand-made span; the third repeats the first.
    assert_eq!(added.edits.len(), 1);
    assert_eq!(added.duplicates, 2);
    assert_eq!(
        added.counts,
        BTreeMap::from([(("propagate".to_string(), "actor".to_string()), 1)])
    );
    let s = d.set().spans().find(|s| s.range.start().0 == 13).unwrap();
    assert_eq!(s.origin, Origin::Suggested);
    assert_eq!(s.status, crate::model::Status::Pending);
    assert_eq!(s.attrs[AGENT], "propagate");
    assert_eq!(s.attrs[SCORE], "0.90");
    assert_eq!(s.attrs[WHY], "rule");
    assert!(is_pending(s));
    let last = d.audit().last().unwrap();
    assert_eq!(last.action, AuditAction::Document);
    assert_eq!(&*last.who, "rita");
    assert_eq!(
        last.detail.as_deref(),
        Some("suggest: agent propagate proposed 1 span")
    );
}

#[test]
fn accepting_keeps_the_origin_and_names_the_person_and_the_agent() {
    let mut d = doc("rita", "Lavrov said.");
    add(
        &mut d,
        vec![proposal(0, 6, "actor", "propagate")],
        "rita",
        at(),
    );
    let id = d.set().spans().next().unwrap().id.clone();
    accept(&mut d, &id, "omar", at()).unwrap();
    let s = d.set().get(&id).unwrap();
    assert_eq!(s.origin, Origin::Suggested);
    assert_eq!(s.attrs[ACCEPTED_BY], "omar");
    assert!(!is_pending(s));
    let entries: Vec<_> = d.audit().iter().rev().take(2).collect();
    assert_eq!(entries[1].action, AuditAction::SetAttr);
    assert_eq!(&*entries[1].who, "omar");
    assert_eq!(
        entries[0].detail.as_deref(),
        Some("suggest: omar accepted s1 (actor) of agent propagate")
    );
    // Once accepted it is work, not a suggestion to answer.
    assert_eq!(
        accept(&mut d, &id, "omar", at()),
        Err(AnswerError::NotPending(id.clone()))
    );
    assert!(reject(&mut d, &id, "omar", at()).is_err());
}

#[test]
fn a_rejected_suggestion_is_not_proposed_again_but_a_person_may_label_it() {
    let mut d = doc("rita", "Lavrov said.");
    add(
        &mut d,
        vec![proposal(0, 6, "actor", "propagate")],
        "rita",
        at(),
    );
    let id = d.set().spans().next().unwrap().id.clone();
    reject(&mut d, &id, "rita", at()).unwrap();
    assert!(d.set().is_empty());
    assert_eq!(d.rejected.len(), 1);
    assert_eq!(d.rejected[0].agent, "propagate");

    let again = add(
        &mut d,
        vec![proposal(0, 6, "actor", "propagate")],
        "rita",
        at(),
    );
    assert_eq!((again.edits.len(), again.rejected), (0, 1));
    // Another agent may still propose it, and a person may label it.
    let other = add(&mut d, vec![proposal(0, 6, "actor", "dates")], "rita", at());
    assert_eq!(other.edits.len(), 1);
    let mut d = doc("rita", "Lavrov said.");
    add(
        &mut d,
        vec![proposal(0, 6, "actor", "propagate")],
        "rita",
        at(),
    );
    reject(&mut d, &SpanId::numbered(1), "rita", at()).unwrap();
    let mine = Span::new(
        d.set().next_id(),
        label("actor"),
        CharRange::new(0, 6).unwrap(),
        "rita",
        at(),
    );
    d.apply(&Edit::add(mine), "rita", at()).unwrap();
    assert_eq!(d.set().len(), 1);
}

#[test]
fn proposals_the_text_cannot_hold_are_refused_with_a_reason() {
    let mut d = doc("rita", "Lavrov said.");
    let added = add(
        &mut d,
        vec![proposal(5, 90, "actor", "command")],
        "rita",
        at(),
    );
    assert!(added.edits.is_empty());
    assert_eq!(added.refused.len(), 1);
    assert!(added.refused[0].contains("command"), "{:?}", added.refused);
}
