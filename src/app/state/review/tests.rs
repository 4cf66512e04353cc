use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::model::marked::marked;
use crate::model::{Document, Edit, Schema, Source, Text, Timestamp};
use crate::store::open::Opened;

fn session(markup: &str) -> Session {
    let (text, spans) = marked(markup);
    let mut doc = Document::new(
        Source::default(),
        Text::new(text),
        "omar",
        Schema::default(),
    );
    for mut span in spans {
        span.author = if span.label.as_str() == "date" {
            "sam"
        } else {
            "omar"
        }
        .into();
        doc.apply(&Edit::add(span), "omar", Timestamp::from_unix(0))
            .unwrap();
    }
    Session::new(
        Opened::unsaved(doc, PathBuf::from("x.spanmark.json")),
        Arc::new(|| Timestamp::from_unix(9)),
    )
}

fn ids(v: &[Option<SpanId>]) -> Vec<String> {
    v.iter()
        .map(|i| i.as_ref().map_or("-".into(), |i| i.to_string()))
        .collect()
}

/// The next span or relation `filters` keep, as Tab finds it.
fn step(s: &Session, forward: bool, filters: &Filters) -> Option<SpanId> {
    step_item(s, forward, &|i| filters.keeps_item(i)).map(|(id, _)| id)
}

#[test]
fn stepping_keeps_to_the_filters_and_wraps() {
    let mut s = session("[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied");
    s.set_status(&SpanId::numbered(2), Status::Accepted, "rita");
    let filters = Filters::default();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let next = step(&s, true, &filters);
        if let Some(id) = &next {
            s.select_span(id);
        }
        seen.push(next);
    }
    assert_eq!(ids(&seen), ["s1", "s3", "s4", "s1"]);
    let back = step(&s, false, &filters);
    assert_eq!(ids(&[back]), ["s4"]);
    let actors = Filters {
        label: Some("actor".into()),
        ..Filters::default()
    };
    s.set_focus(Focus::Nothing);
    assert_eq!(ids(&[first(&s, &|x| actors.keeps(x))]), ["s1"]);
    s.select_span(&SpanId::numbered(1));
    assert_eq!(ids(&[step(&s, true, &actors)]), ["s4"]);
    let sam = Filters {
        author: Some("sam".into()),
        pending_only: false,
        ..Filters::default()
    };
    assert_eq!(ids(&[step(&s, true, &sam)]), ["s3"]);
    let none = Filters {
        label: Some("claim".into()),
        ..Filters::default()
    };
    assert_eq!(ids(&[step(&s, true, &none)]), ["-"]);
}

#[test]
fn the_tally_counts_decisions_and_lists_labels_and_authors() {
    let mut s = session("[Lavrov]{actor} [said]{action} on [Monday]{date}");
    s.set_status(&SpanId::numbered(1), Status::Accepted, "rita");
    s.set_status(&SpanId::numbered(2), Status::Rejected, "rita");
    let t = Tally::of(&s);
    assert_eq!((t.total, t.decided(), t.pending()), (3, 2, 1));
    assert_eq!(t.authors, ["omar", "sam"]);
    assert_eq!(t.labels, ["actor", "action", "date", "claim"]);
}

#[test]
fn deciding_goes_on_to_the_next_pending_span_and_says_when_all_are_decided() {
    let mut s = session("[Lavrov]{actor} [said]{action} on [Monday]{date}");
    let mut r = ReviewState::default();
    r.start_review(&mut s);
    assert_eq!(s.selected_id(), Some(&SpanId::numbered(1)));
    r.decide(&mut s, Status::Accepted, "rita");
    assert_eq!(s.selected_id(), Some(&SpanId::numbered(2)));
    r.decide(&mut s, Status::Rejected, "rita");
    r.accept_and_edit(&mut s, "rita");
    assert_eq!(r.editing, Some(SpanId::numbered(3)));
    assert!(
        s.notice()
            .unwrap()
            .text
            .starts_with("Editing 'Monday' (accepted)")
    );
    r.decide(&mut s, Status::Accepted, "rita");
    assert!(
        s.notice()
            .unwrap()
            .text
            .starts_with("Every span is decided (2 accepted, 1 rejected): Ctrl+S saves")
    );
    assert_eq!(r.editing, None);
}

fn gold() -> Session {
    Session::new(
        Opened::unsaved(
            crate::review::test_docs::gold(),
            PathBuf::from("x.spanmark.json"),
        ),
        Arc::new(|| Timestamp::from_unix(7)),
    )
}

#[test]
fn each_take_resolves_the_current_conflict_and_moves_to_the_next() {
    let mut s = gold();
    let mut r = ReviewState::default();
    r.start_adjudication(&mut s, 1);
    assert_eq!(r.conflict, Some(0));
    // Conflict 1 (boundary): take rita's (B).
    r.take(&mut s, 1, Command::TakeB, "judge");
    assert_eq!(r.conflict, Some(1));
    let c = r.conflicts(&s, 1).clone();
    assert!(c.is_resolved(0, s.doc()));
    // Conflict 2 (label): keep the selected reading and edit it.
    r.take(&mut s, 1, Command::TakeAndEdit, "judge");
    assert!(c.is_resolved(1, s.doc()));
    assert!(
        s.notice().unwrap().text.ends_with("Tab moves on"),
        "{:?}",
        s.notice()
    );
    r.step_conflict(&mut s, 1, true);
    r.take(&mut s, 1, Command::TakeNone, "judge");
    r.take(&mut s, 1, Command::TakeAll, "judge");
    assert_eq!(c.resolved(s.doc()), 4);
    assert!(
        s.notice()
            .unwrap()
            .text
            .contains("Every conflict is resolved")
    );
    r.take(&mut s, 1, Command::TakeD, "judge");
    assert_eq!(
        s.notice().unwrap().text,
        "There is no annotator D in this file"
    );
    let last = s.doc().audit().last().unwrap();
    assert_eq!(&*last.who, "judge");
    assert!(last.detail.as_deref().unwrap().contains("resolved"));
    s.undo("judge");
    assert_eq!(c.resolved(s.doc()), 3);
}

#[test]
fn review_walks_each_span_then_its_relations_and_decides_them_with_the_same_keys() {
    let mut s = session("[Lavrov]{actor} [said]{action} on [Monday]{date}");
    let (actor, action, date) = (
        SpanId::numbered(1),
        SpanId::numbered(2),
        SpanId::numbered(3),
    );
    assert!(s.link(&action, &actor, None, "omar"));
    assert!(s.link(&action, &date, None, "omar"));
    let mut r = ReviewState::default();
    r.start_review(&mut s);
    // Lavrov, said, said's two relations, Monday.
    r.decide(&mut s, Status::Accepted, "rita");
    assert_eq!(s.selected_id(), Some(&action));
    r.decide(&mut s, Status::Accepted, "rita");
    let agent = s
        .focus()
        .relation()
        .cloned()
        .expect("the relation after its span");
    assert_eq!(
        s.doc().set().relation(&agent).unwrap().kind.as_str(),
        "agent"
    );
    r.decide(&mut s, Status::Rejected, "rita");
    assert_eq!(
        s.doc().set().relation(&agent).unwrap().status,
        Status::Rejected
    );
    let time = s.focus().relation().cloned().unwrap();
    assert_eq!(s.doc().set().relation(&time).unwrap().kind.as_str(), "time");
    // A comment on a relation is its note; the relation stays selected.
    r.comment(&mut s);
    s.set_note(&time, Some("which Monday?".into()), "rita");
    r.end_comment(&mut s);
    assert_eq!(s.focus().relation(), Some(&time));
    assert_eq!(
        s.doc().set().relation(&time).unwrap().note.as_deref(),
        Some("which Monday?")
    );
    r.decide(&mut s, Status::Accepted, "rita");
    assert_eq!(s.selected_id(), Some(&date));
    let t = Tally::of(&s);
    assert_eq!((t.total, t.relations, t.decided()), (5, 2, 4));
    // Undo takes back the last decision on the relation too.
    s.undo("rita");
    s.undo("rita");
    assert_eq!(s.doc().set().relation(&time).unwrap().note.as_deref(), None);
}
