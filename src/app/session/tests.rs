use super::*;
use crate::model::marked::label;
use crate::model::{Source, Text};

fn session(text: &str) -> Session {
    let doc = Document::new(
        Source::default(),
        Text::new(text.to_string()),
        "rita",
        Schema::default(),
    );
    let opened = Opened::unsaved(doc, PathBuf::from("x.spanmark.json"));
    Session::new(opened, Arc::new(|| Timestamp::from_unix(5)))
}

fn select(s: &mut Session, a: usize, b: usize) {
    s.set_focus(Focus::Text(Selection::new(CharOffset(a), CharOffset(b))));
}

fn ranges(s: &Session) -> Vec<(String, usize, usize)> {
    s.doc()
        .set()
        .spans()
        .map(|x| (x.label.to_string(), x.range.start().0, x.range.end().0))
        .collect()
}

#[test]
fn labelling_snaps_and_selects_the_new_span() {
    let mut s = session("Mr Lavrov said on Monday.");
    select(&mut s, 5, 4); // backwards, inside "Lavrov"
    s.apply_label(&label("actor"), "rita", false);
    assert_eq!(ranges(&s), [("actor".into(), 3, 9)]);
    assert_eq!(&*s.selected().unwrap().author, "rita");
    assert!(s.selection().is_none());
    // The same again is not a duplicate.
    select(&mut s, 3, 9);
    s.apply_label(&label("actor"), "rita", false);
    assert_eq!(s.doc().set().len(), 1);
    assert_eq!(s.notice().unwrap().text, "Already labelled actor");
    // Only whitespace selected: nothing, and a clear message.
    s.set_focus(Focus::Nothing);
    select(&mut s, 9, 10);
    s.apply_label(&label("date"), "rita", false);
    assert!(s.notice().unwrap().is_error);
    assert_eq!(s.doc().set().len(), 1);
}

#[test]
fn boundaries_move_by_word_and_by_character() {
    let mut s = session("Sergey Lavrov said on Monday.");
    select(&mut s, 7, 13);
    s.apply_label(&label("actor"), "rita", false);
    s.move_boundary(Boundary::End, Direction::Right, "rita");
    assert_eq!(ranges(&s), [("actor".into(), 7, 18)]);
    s.move_boundary(Boundary::End, Direction::Left, "rita");
    assert_eq!(ranges(&s), [("actor".into(), 7, 13)]);
    s.move_boundary(Boundary::Start, Direction::Left, "rita");
    assert_eq!(ranges(&s), [("actor".into(), 0, 13)]);
    s.move_boundary(Boundary::Start, Direction::Right, "rita");
    assert_eq!(ranges(&s), [("actor".into(), 7, 13)]);
    // A one-word span cannot lose its last word.
    s.move_boundary(Boundary::End, Direction::Left, "rita");
    assert_eq!(ranges(&s), [("actor".into(), 7, 13)]);
    assert!(s.notice().unwrap().is_error);
    s.set_snap_words(false);
    s.move_boundary(Boundary::End, Direction::Left, "rita");
    assert_eq!(ranges(&s), [("actor".into(), 7, 12)]);
    s.move_boundary(Boundary::Start, Direction::Right, "rita");
    assert_eq!(ranges(&s), [("actor".into(), 8, 12)]);
}

#[test]
fn label_all_skips_what_is_labelled_and_is_one_step() {
    let mut s = session("NATO and NATO and NATO");
    select(&mut s, 0, 4);
    s.apply_label(&label("actor"), "rita", false);
    let all = crate::model::search::find_all(s.doc().text(), "NATO", Default::default());
    assert_eq!(s.label_all(&all, &label("actor"), "NATO", "rita"), 2);
    assert_eq!(s.doc().set().len(), 3);
    assert!(s.notice().unwrap().text.contains("1 already had it"));
    s.undo("rita");
    assert_eq!(s.doc().set().len(), 1);
    assert_eq!(s.label_all(&all[..1], &label("actor"), "NATO", "rita"), 0);
}

#[test]
fn stepping_through_spans_wraps_around() {
    let mut s = session("a b c");
    for (i, at) in [0usize, 2, 4].iter().enumerate() {
        select(&mut s, *at, at + 1);
        s.apply_label(&label(["actor", "date", "claim"][i]), "rita", false);
    }
    s.set_focus(Focus::Nothing);
    let mut seen = Vec::new();
    for _ in 0..4 {
        s.step_span(true);
        seen.push(s.selected().unwrap().range.start().0);
    }
    assert_eq!(seen, [0, 2, 4, 0]);
    s.step_span(false);
    assert_eq!(s.selected().unwrap().range.start().0, 4);
}

#[test]
fn renaming_a_label_relabels_its_spans_in_one_undo_step() {
    let mut s = session("Lavrov and Lungescu");
    select(&mut s, 0, 6);
    s.apply_label(&label("actor"), "rita", false);
    select(&mut s, 11, 19);
    s.apply_label(&label("actor"), "rita", false);
    let mut defs = s.doc().schema.labels().to_vec();
    defs[0].name = label("person");
    let schema = Schema::new(defs).unwrap();
    s.set_schema(
        schema,
        &Renames::labels(vec![(label("actor"), label("person"))]),
        "rita",
    );
    assert!(ranges(&s).iter().all(|(l, _, _)| l == "person"));
    assert!(s.is_dirty());
    s.undo("rita");
    assert!(ranges(&s).iter().all(|(l, _, _)| l == "actor"));
    assert!(
        s.doc()
            .audit()
            .iter()
            .any(|e| e.detail.as_deref() == Some("schema changed"))
    );
}

#[test]
fn undo_names_the_step_and_reselects() {
    let mut s = session("Mr Lavrov said");
    select(&mut s, 3, 9);
    s.apply_label(&label("actor"), "rita", false);
    assert_eq!(
        s.undo_text().as_deref(),
        Some("Undo: label 'Lavrov' as actor")
    );
    s.undo("rita");
    assert_eq!(s.notice().unwrap().text, "Undid: label 'Lavrov' as actor");
    assert_eq!(
        s.redo_text().as_deref(),
        Some("Redo: label 'Lavrov' as actor")
    );
    s.redo("rita");
    assert_eq!(s.selected().unwrap().range, CharRange::new(3, 9).unwrap());
}

#[test]
fn a_read_only_session_refuses_every_edit_with_its_reason() {
    let doc = Document::new(
        Source::default(),
        Text::new("Mr Lavrov said".to_string()),
        "rita",
        Schema::default(),
    );
    let mut s = Session::read_only(
        doc,
        "x.comparison",
        "Read-only here".into(),
        Arc::new(|| Timestamp::from_unix(5)),
    );
    select(&mut s, 3, 9);
    s.apply_label(&label("actor"), "rita", false);
    assert_eq!(s.doc().set().len(), 0);
    assert_eq!(s.notice().unwrap().text, "Read-only here");
    assert!(s.notice().unwrap().is_error);
    assert_eq!(s.save(), Err(SaveProblem::ReadOnly));
    assert!(!s.set_document_status(crate::model::DocumentStatus::Reviewed, "rita"));
    assert!(!s.is_dirty());
}

#[test]
fn focus_is_one_thing_and_a_missing_span_is_nothing() {
    let mut s = session("Mr Lavrov said");
    select(&mut s, 3, 9);
    s.apply_label(&label("actor"), "rita", false);
    let id = s.selected_id().cloned().unwrap();
    assert!(s.selection().is_none());
    s.set_focus(Focus::Text(Selection::caret(CharOffset(1))));
    assert!(s.selected().is_none());
    s.select_span(&id);
    let first = s.scroll_request().unwrap();
    assert_eq!(first.to, CharOffset(3));
    s.select_span(&id);
    assert!(
        s.scroll_request().unwrap().number > first.number,
        "each request is new"
    );
    s.set_focus(Focus::Span(crate::model::SpanId::numbered(99)));
    assert_eq!(s.focus(), &Focus::Nothing);
}

/// The first paragraph of `sample_docs/russia_nato.txt`, with its four spans labelled.
fn lavrov() -> (Session, [SpanId; 4]) {
    let text = "Russian Foreign Minister Sergey Lavrov said Monday (Oct. 18) that his country is suspending its mission to NATO.";
    let mut s = session(text);
    let mut ids = Vec::new();
    for (phrase, l) in [
        ("Sergey Lavrov", "actor"),
        ("said", "action"),
        ("Monday", "date"),
        (
            "that his country is suspending its mission to NATO",
            "claim",
        ),
    ] {
        let a = text[..text.find(phrase).unwrap()].chars().count();
        select(&mut s, a, a + phrase.chars().count());
        s.apply_label(&label(l), "rita", false);
        ids.push(s.selected_id().unwrap().clone());
    }
    (s, ids.try_into().unwrap())
}

fn links(s: &Session) -> Vec<(String, SpanId, SpanId)> {
    s.doc()
        .set()
        .relations()
        .map(|r| (r.kind.to_string(), r.from.clone(), r.to.clone()))
        .collect()
}

#[test]
fn r_enter_links_the_nearest_span_and_the_next_r_goes_on_to_the_next_role() {
    let (mut s, [actor, action, date, claim]) = lavrov();
    s.select_span(&claim);
    // R: the spans a claim may link to, nearest first: Monday, said, Sergey Lavrov.
    s.start_linking();
    assert_eq!(
        s.linking().unwrap().targets,
        [date.clone(), action.clone(), actor.clone()]
    );
    assert_eq!(s.linking().unwrap().target(), Some(&date));
    s.make_relation(None, "rita");
    assert_eq!(links(&s), [("time".into(), claim.clone(), date.clone())]);
    assert_eq!(s.selected_id(), Some(&claim), "the source stays selected");
    // R again skips Monday (already the claim's time) and picks said; Tab goes on to Lavrov.
    s.start_linking();
    assert_eq!(s.linking().unwrap().target(), Some(&action));
    s.step_target(true);
    assert_eq!(s.linking().unwrap().target(), Some(&actor));
    s.make_relation(None, "rita");
    assert_eq!(links(&s).len(), 2);
    assert!(links(&s).contains(&("source".into(), claim.clone(), actor.clone())));
    // Shift+Tab wraps round; Escape cancels and keeps the claim selected.
    s.start_linking();
    assert_eq!(s.linking().unwrap().target(), Some(&action));
    s.step_target(false);
    s.step_target(false);
    assert_eq!(s.linking().unwrap().target(), Some(&actor));
    s.cancel_linking();
    assert_eq!(s.focus(), &Focus::Span(claim.clone()));
    assert_eq!(links(&s).len(), 2);
}

#[test]
fn a_kind_key_picks_another_kind_and_misfits_are_refused() {
    let (mut s, [actor, action, date, _claim]) = lavrov();
    // action → actor allows agent then target: Enter takes agent, g takes target.
    s.select_span(&action);
    s.start_linking();
    // Lavrov and Monday are one space from said each: the earlier comes first.
    assert_eq!(s.linking().unwrap().targets, [actor.clone(), date.clone()]);
    s.make_relation(Some(&label("target")), "rita");
    assert_eq!(
        links(&s),
        [("target".into(), action.clone(), actor.clone())]
    );
    // Lavrov is not yet said's agent, so R picks it again; source does not go from an action
    // to an actor: refused, nothing made.
    s.start_linking();
    assert_eq!(s.linking().unwrap().target(), Some(&actor));
    s.make_relation(Some(&label("source")), "rita");
    assert!(s.notice().unwrap().is_error);
    assert!(s.notice().unwrap().text.contains("from claim to actor"));
    assert_eq!(links(&s).len(), 1);
    // A date starts no relation: said so.
    s.select_span(&date);
    s.start_linking();
    assert!(s.linking().is_none());
    assert!(
        s.notice()
            .unwrap()
            .text
            .contains("No relation kind starts at a date span")
    );
}

#[test]
fn a_relation_is_retyped_reversed_and_deleted_each_one_undo_step() {
    let (mut s, [actor, action, _date, _claim]) = lavrov();
    assert!(s.link(&action, &actor, None, "rita"));
    let id = s.doc().set().relations().next().unwrap().id.clone();
    s.select_relation(&id);
    s.retype_relation(&label("target"), "rita");
    assert_eq!(
        links(&s),
        [("target".into(), action.clone(), actor.clone())]
    );
    s.reverse_relation("rita");
    assert_eq!(
        links(&s),
        [("target".into(), actor.clone(), action.clone())]
    );
    s.delete_relation("rita");
    assert!(links(&s).is_empty());
    s.undo("rita");
    assert_eq!(
        links(&s),
        [("target".into(), actor.clone(), action.clone())]
    );
    s.undo("rita");
    s.undo("rita");
    assert_eq!(links(&s), [("agent".into(), action.clone(), actor.clone())]);
}

#[test]
fn deleting_a_span_says_how_many_relations_go_with_it_and_undo_brings_them_back() {
    let (mut s, [actor, action, _date, claim]) = lavrov();
    s.link(&claim, &actor, None, "rita");
    s.link(&action, &actor, None, "rita");
    s.select_span(&actor);
    s.delete_selected("rita");
    assert!(links(&s).is_empty());
    let notice = &s.notice().unwrap().text;
    assert!(notice.contains("its 2 relations"), "{notice}");
    s.undo("rita");
    assert_eq!(links(&s).len(), 2);
    assert!(s.doc().set().get(&actor).is_some());
}

#[test]
fn renaming_a_relation_kind_retypes_its_relations_in_one_undo_step() {
    let (mut s, [actor, action, _date, claim]) = lavrov();
    s.link(&claim, &actor, None, "rita");
    s.link(&action, &actor, None, "rita");
    let mut kinds = s.doc().schema.relations().to_vec();
    kinds[0].name = label("said_by");
    let schema = s.doc().schema.with_relations(kinds).unwrap();
    let renames = Renames {
        labels: Vec::new(),
        kinds: vec![(label("source"), label("said_by"))],
    };
    s.set_schema(schema, &renames, "rita");
    assert_eq!(
        links(&s),
        [
            ("said_by".into(), claim.clone(), actor.clone()),
            ("agent".into(), action.clone(), actor.clone())
        ]
    );
    s.undo("rita");
    assert_eq!(links(&s)[0].0, "source");
}
