use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::model::marked::marked;
use crate::model::{Document, Edit, Schema, Source, Text, Timestamp};
use crate::store::open::Opened;

fn opened(doc: Document) -> Opened {
    Opened {
        doc,
        native_path: PathBuf::from("x.spanmark.json"),
        article_path: None,
        had_native: false,
        warnings: Vec::new(),
        stamp: None,
    }
}

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
    Session::new(opened(doc), Arc::new(|| Timestamp::from_unix(9)))
}

fn ids(v: &[Option<SpanId>]) -> Vec<String> {
    v.iter()
        .map(|i| i.as_ref().map_or("-".into(), |i| i.to_string()))
        .collect()
}

#[test]
fn stepping_keeps_to_the_filters_and_wraps() {
    let mut s = session("[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied");
    s.set_status(&SpanId::numbered(2), Status::Accepted, "rita");
    let filters = Filters::default();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let next = step(&s, true, &|x| filters.keeps(x));
        if let Some(id) = &next {
            s.select_span(id);
        }
        seen.push(next);
    }
    assert_eq!(ids(&seen), ["s1", "s3", "s4", "s1"]);
    let back = step(&s, false, &|x| filters.keeps(x));
    assert_eq!(ids(&[back]), ["s4"]);
    let actors = Filters {
        label: Some("actor".into()),
        ..Filters::default()
    };
    s.set_focus(Focus::Nothing);
    assert_eq!(ids(&[first(&s, &|x| actors.keeps(x))]), ["s1"]);
    s.select_span(&SpanId::numbered(1));
    assert_eq!(ids(&[step(&s, true, &|x| actors.keeps(x))]), ["s4"]);
    let sam = Filters {
        author: Some("sam".into()),
        pending_only: false,
        ..Filters::default()
    };
    assert_eq!(ids(&[step(&s, true, &|x| sam.keeps(x))]), ["s3"]);
    let none = Filters {
        label: Some("claim".into()),
        ..Filters::default()
    };
    assert_eq!(ids(&[step(&s, true, &|x| none.keeps(x))]), ["-"]);
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
        opened(crate::review::test_docs::gold()),
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
    assert_eq!(last.who, "judge");
    assert!(last.detail.as_deref().unwrap().contains("resolved"));
    s.undo("judge");
    assert_eq!(c.resolved(s.doc()), 3);
}
