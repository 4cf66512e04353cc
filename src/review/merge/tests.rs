//! Each merge rule on one sentence: `Lavrov said on Monday that NATO lied`, four spans in base
//! (s1 Lavrov actor, s2 said action, s3 Monday date, s4 NATO actor).

use std::path::Path;

use super::*;
use crate::model::marked::label;
use crate::model::{CharRange, Edit, Status, Text};
use crate::review::Conflicts;
use crate::review::test_docs::doc;
use crate::store::native;

const BASE: &str = "[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied";

fn t(n: i64) -> Timestamp {
    Timestamp::from_unix(1_800_000_000 + n)
}

fn id(s: &str) -> SpanId {
    SpanId::new(s).unwrap()
}

fn base() -> Document {
    doc("omar", BASE)
}

/// Applies the edit `f` makes of `doc`'s set, as `who`.
fn edit(doc: &mut Document, who: &str, f: impl FnOnce(&AnnotationSet) -> Edit) {
    let e = f(doc.set());
    doc.apply(&e, who, t(1)).unwrap();
}

/// Adds a `label` span over `start..end` with the next free id; returns the id.
fn add(doc: &mut Document, who: &str, name: &str, start: usize, end: usize) -> SpanId {
    let new = doc.set().next_id();
    let span = Span::new(
        new.clone(),
        label(name),
        CharRange::new(start, end).unwrap(),
        who,
        t(1),
    );
    doc.apply(&Edit::add(span), who, t(1)).unwrap();
    new
}

fn relate(doc: &mut Document, who: &str, kind: &str, from: &str, to: &str) -> SpanId {
    let new = doc.set().next_relation_id();
    let r = Relation::new(new.clone(), label(kind), id(from), id(to), who, t(1));
    doc.apply(&Edit::AddRelation(r), who, t(1)).unwrap();
    new
}

/// `id status label start..end [note] attrs` per span.
fn lines(doc: &Document) -> Vec<String> {
    doc.set()
        .spans()
        .map(|s| {
            let mut line = format!("{} {} {} {}", s.id, s.status, s.label, s.range);
            if let Some(n) = &s.note {
                line.push_str(&format!(" note={n:?}"));
            }
            for (k, v) in &s.attrs {
                line.push_str(&format!(" {k}={v}"));
            }
            line
        })
        .collect()
}

fn relation_lines(doc: &Document) -> Vec<String> {
    doc.set()
        .relations()
        .map(|r| {
            let mut line = format!("{} {} {} {}→{}", r.id, r.status, r.kind, r.from, r.to);
            for (k, v) in &r.attrs {
                line.push_str(&format!(" {k}={v}"));
            }
            line
        })
        .collect()
}

fn run(base: &Document, ours: &Document, theirs: &Document) -> Merged {
    let merged = merge(base, ours, theirs, "git", t(9)).unwrap();
    // Whatever the outcome, the result is a valid file that reads back the same.
    let bytes = native::to_bytes(&merged.doc);
    let back = native::from_bytes(Path::new("merged.spanmark.json"), &bytes).unwrap();
    assert_eq!(back.doc, merged.doc);
    merged
}

#[test]
fn changes_on_either_side_are_all_taken() {
    let b = base();
    let mut ours = b.clone();
    edit(&mut ours, "rita", |s| {
        Edit::relabel(s, &id("s1"), label("claim"), t(1)).unwrap()
    });
    edit(&mut ours, "rita", |s| Edit::remove(s, &id("s4")).unwrap());
    add(&mut ours, "rita", "action", 32, 36);
    let mut theirs = b.clone();
    edit(&mut theirs, "sam", |s| {
        Edit::set_note(s, &id("s3"), Some("a Monday in May".into()), t(1)).unwrap()
    });
    edit(&mut theirs, "sam", |s| Edit::remove(s, &id("s2")).unwrap());
    add(&mut theirs, "sam", "action", 12, 14);
    // Different fields of one span changed on each side merge too.
    edit(&mut theirs, "sam", |s| {
        Edit::set_status(s, &id("s1"), Status::Accepted, t(1)).unwrap()
    });

    let merged = run(&b, &ours, &theirs);
    assert!(merged.is_clean(), "{:?}", merged.conflicts);
    assert_eq!(
        lines(&merged.doc),
        [
            "s1 accepted claim 0..6",
            "s6 pending action 12..14",
            "s3 pending date 15..21 note=\"a Monday in May\"",
            "s5 pending action 32..36",
        ]
    );
    // theirs' s5 (`on`) met ours' s5 (`lied`): theirs was renumbered past every id used.
    assert_eq!(merged.renumbered, [(id("s5"), id("s6"))]);
    assert_eq!(
        merged.from_theirs,
        Taken {
            added: 1,
            changed: 2,
            deleted: 1
        }
    );
}

#[test]
fn the_same_addition_on_both_sides_is_kept_once() {
    let b = base();
    let mut ours = b.clone();
    add(&mut ours, "rita", "action", 32, 36);
    let mut theirs = b.clone();
    add(&mut theirs, "sam", "action", 32, 36);
    let merged = run(&b, &ours, &theirs);
    assert!(merged.is_clean());
    assert!(merged.renumbered.is_empty());
    assert_eq!(merged.doc.set().len(), 5);
}

#[test]
fn a_span_added_on_both_under_different_ids_is_one_span() {
    let b = base();
    let mut ours = b.clone();
    add(&mut ours, "rita", "action", 12, 14);
    add(&mut ours, "rita", "action", 32, 36);
    let mut theirs = b.clone();
    add(&mut theirs, "sam", "action", 32, 36);
    relate(&mut theirs, "sam", "agent", "s5", "s4");
    let merged = run(&b, &ours, &theirs);
    assert!(merged.is_clean());
    // theirs' s5 (`lied`) was renumbered s7, then found to be ours' s6: its relation follows.
    assert_eq!(merged.doc.set().len(), 6);
    assert_eq!(relation_lines(&merged.doc), ["r1 pending agent s6→s4"]);
}

#[test]
fn renumbering_carries_relations_and_history() {
    let b = base();
    let mut ours = b.clone();
    add(&mut ours, "rita", "action", 32, 36);
    relate(&mut ours, "rita", "agent", "s5", "s4");
    let mut theirs = b.clone();
    add(&mut theirs, "sam", "claim", 22, 36);
    relate(&mut theirs, "sam", "source", "s5", "s1");

    let merged = run(&b, &ours, &theirs);
    assert!(merged.is_clean(), "{:?}", merged.conflicts);
    assert_eq!(
        merged.renumbered,
        [(id("r1"), id("r2")), (id("s5"), id("s6"))]
    );
    assert_eq!(
        relation_lines(&merged.doc),
        ["r1 pending agent s5→s4", "r2 pending source s6→s1"]
    );
    let claim = merged.doc.set().get(&id("s6")).unwrap();
    assert_eq!(claim.label, label("claim"));
    // theirs' history entries now name the new ids.
    let audit = merged.doc.audit();
    let theirs_entries: Vec<String> = audit
        .iter()
        .filter(|e| &*e.who == "sam")
        .map(|e| format!("{} {:?}", e.action.as_str(), e.target))
        .collect();
    assert_eq!(
        theirs_entries,
        [
            "add Some(SpanId(\"s6\"))",
            "add_relation Some(SpanId(\"r2\"))"
        ]
    );
}

#[test]
fn history_is_ours_then_what_only_theirs_has_then_one_merge_entry() {
    let b = base();
    let mut ours = b.clone();
    add(&mut ours, "rita", "action", 32, 36);
    let mut theirs = b.clone();
    edit(&mut theirs, "sam", |s| {
        Edit::set_status(s, &id("s2"), Status::Rejected, t(1)).unwrap()
    });
    let merged = run(&b, &ours, &theirs);
    let audit = merged.doc.audit();
    assert_eq!(
        audit.iter().take(ours.audit().len()).collect::<Vec<_>>(),
        ours.audit().to_vec()
    );
    assert_eq!(audit.len(), ours.audit().len() + 2);
    assert_eq!(&*audit.get(audit.len() - 2).unwrap().who, "sam");
    let last = audit.last().unwrap();
    assert_eq!(last.action, AuditAction::Merge);
    assert_eq!(&*last.who, "git");
    assert_eq!(
        last.detail.as_deref(),
        Some("merged: from theirs 0 added, 1 changed, 0 deleted; no conflicts")
    );
}

#[test]
fn a_deletion_of_an_unchanged_span_wins_and_a_deletion_of_a_changed_one_conflicts() {
    let b = base();
    let mut ours = b.clone();
    edit(&mut ours, "rita", |s| Edit::remove(s, &id("s2")).unwrap());
    edit(&mut ours, "rita", |s| Edit::remove(s, &id("s3")).unwrap());
    let mut theirs = b.clone();
    edit(&mut theirs, "sam", |s| {
        Edit::relabel(s, &id("s3"), label("claim"), t(1)).unwrap()
    });
    let merged = run(&b, &ours, &theirs);
    assert_eq!(
        lines(&merged.doc),
        [
            "s1 pending actor 0..6",
            "s3 pending claim 15..21 conflict=deleted deleted_by=rita proposed_by=sam",
            "s4 pending actor 27..31",
        ]
    );
    assert_eq!(merged.conflicts.len(), 1);
}

#[test]
fn different_labels_on_both_sides_keep_both_readings_as_rivals() {
    let b = base();
    let mut ours = b.clone();
    edit(&mut ours, "rita", |s| {
        Edit::relabel(s, &id("s3"), label("claim"), t(1)).unwrap()
    });
    let mut theirs = b.clone();
    edit(&mut theirs, "sam", |s| {
        Edit::resize(s, &id("s3"), CharRange::new(12, 21).unwrap(), t(1)).unwrap()
    });
    edit(&mut theirs, "sam", |s| {
        Edit::relabel(s, &id("s3"), label("action"), t(1)).unwrap()
    });
    let merged = run(&b, &ours, &theirs);
    assert_eq!(
        lines(&merged.doc),
        [
            "s1 pending actor 0..6",
            "s2 pending action 7..11",
            "s5 pending action 12..21 conflict=label+boundary conflict_with=s3 proposed_by=sam",
            "s3 pending claim 15..21 conflict=label+boundary conflict_with=s5 proposed_by=rita",
            "s4 pending actor 27..31",
        ]
    );
    // The adjudication view sees one conflict of two readings, by rita and sam.
    let conflicts = Conflicts::of(&merged.doc);
    assert_eq!(conflicts.groups.len(), 1);
    assert_eq!(conflicts.groups[0].spans, [id("s5"), id("s3")]);
    assert_eq!(conflicts.annotators, ["rita", "sam"]);
}

#[test]
fn notes_changed_on_both_sides_keep_one_span_with_theirs_recorded() {
    let b = base();
    let mut ours = b.clone();
    edit(&mut ours, "rita", |s| {
        Edit::set_note(s, &id("s1"), Some("foreign minister".into()), t(1)).unwrap()
    });
    edit(&mut ours, "rita", |s| {
        Edit::set_status(s, &id("s1"), Status::Accepted, t(1)).unwrap()
    });
    let mut theirs = b.clone();
    edit(&mut theirs, "sam", |s| {
        Edit::set_note(s, &id("s1"), Some("Sergey Lavrov".into()), t(1)).unwrap()
    });
    edit(&mut theirs, "sam", |s| {
        Edit::set_attr(s, &id("s1"), "wikidata", Some("Q1".into()), t(1)).unwrap()
    });
    let merged = run(&b, &ours, &theirs);
    assert_eq!(
        lines(&merged.doc)[0],
        "s1 pending actor 0..6 note=\"foreign minister\" conflict=note proposed_by=rita,sam their_note=Sergey Lavrov wikidata=Q1"
    );
    assert_eq!(
        merged.conflicts,
        [MergeConflict {
            id: id("s1"),
            rival: None,
            kind: "note".into(),
            relation: false
        }]
    );
}

#[test]
fn status_and_attributes_changed_on_both_sides_record_both() {
    let b = base();
    let mut ours = b.clone();
    edit(&mut ours, "omar", |s| {
        Edit::set_status(s, &id("s3"), Status::Accepted, t(1)).unwrap()
    });
    edit(&mut ours, "omar", |s| {
        Edit::set_attr(s, &id("s3"), "iso", Some("2021-10-18".into()), t(1)).unwrap()
    });
    let mut theirs = b.clone();
    edit(&mut theirs, "omar", |s| {
        Edit::set_status(s, &id("s3"), Status::Rejected, t(1)).unwrap()
    });
    edit(&mut theirs, "omar", |s| {
        Edit::set_attr(s, &id("s3"), "iso", Some("2021-10-19".into()), t(1)).unwrap()
    });
    let merged = run(&b, &ours, &theirs);
    // The same name on both sides: told apart as ours and theirs.
    assert_eq!(
        lines(&merged.doc)[2],
        "s3 pending date 15..21 conflict=status+attrs iso=2021-10-18 our_status=accepted proposed_by=omar (ours),omar (theirs) their_attr.iso=2021-10-19 their_status=rejected"
    );
}

#[test]
fn relations_merge_by_id_and_keep_a_span_they_need() {
    let b = {
        let mut b = base();
        relate(&mut b, "omar", "agent", "s2", "s1");
        b
    };
    let mut ours = b.clone();
    edit(&mut ours, "rita", |s| {
        Edit::reverse_relation(s, &id("r1")).unwrap()
    });
    relate(&mut ours, "rita", "time", "s2", "s3");
    let mut theirs = b.clone();
    edit(&mut theirs, "sam", |s| {
        Edit::retype_relation(s, &id("r1"), label("target")).unwrap()
    });
    edit(&mut theirs, "sam", |s| Edit::remove(s, &id("s3")).unwrap());
    let merged = run(&b, &ours, &theirs);
    // Ours reversed r1, theirs retyped it: different fields, both taken.
    assert_eq!(
        relation_lines(&merged.doc),
        ["r1 pending target s1→s2", "r2 pending time s2→s3"]
    );
    // theirs deleted s3, ours linked it: kept, marked.
    assert_eq!(
        lines(&merged.doc)[2],
        "s3 pending date 15..21 conflict=deleted deleted_by=sam proposed_by=rita"
    );
    assert_eq!(merged.conflicts.len(), 1);
}

#[test]
fn a_relation_given_two_kinds_keeps_both_as_rivals() {
    let b = {
        let mut b = base();
        relate(&mut b, "omar", "agent", "s2", "s1");
        b
    };
    let mut ours = b.clone();
    edit(&mut ours, "rita", |s| {
        Edit::retype_relation(s, &id("r1"), label("source")).unwrap()
    });
    let mut theirs = b.clone();
    edit(&mut theirs, "sam", |s| {
        Edit::retype_relation(s, &id("r1"), label("target")).unwrap()
    });
    edit(&mut theirs, "sam", |s| {
        Edit::reverse_relation(s, &id("r1")).unwrap()
    });
    let merged = run(&b, &ours, &theirs);
    assert_eq!(
        relation_lines(&merged.doc),
        [
            "r1 pending source s2→s1 conflict=kind+direction conflict_with=r2 proposed_by=rita",
            "r2 pending target s1→s2 conflict=kind+direction conflict_with=r1 proposed_by=sam",
        ]
    );
    let conflicts = Conflicts::of(&merged.doc);
    assert_eq!(conflicts.groups.len(), 1);
    assert!(conflicts.groups[0].relations);
}

#[test]
fn different_texts_are_refused() {
    let b = base();
    let ours = b.clone();
    let other = doc("omar", "[Lavrov]{actor} said on Tuesday");
    let theirs = Document::from_parts(
        other.source.clone(),
        other.annotator.clone(),
        other.status,
        other.schema.clone(),
        AnnotationSet::new(Arc::new(Text::new("Lavrov said on Tuesday".into()))),
        Vec::new(),
    );
    assert_eq!(
        merge(&b, &ours, &theirs, "git", t(9)).unwrap_err(),
        MergeError::DifferentText { side: "theirs" }
    );
}

#[test]
fn labels_only_theirs_defines_join_the_schema() {
    let b = base();
    let ours = b.clone();
    let mut theirs = b.clone();
    theirs.schema = theirs
        .schema
        .with_label(crate::model::LabelDef {
            name: label("place"),
            ..theirs.schema.labels()[0].clone()
        })
        .unwrap_or_else(|_| {
            let mut def = theirs.schema.labels()[0].clone();
            def.name = label("place");
            def.hotkey = None;
            theirs.schema.with_label(def).unwrap()
        });
    add(&mut theirs, "sam", "place", 32, 36);
    let merged = run(&b, &ours, &theirs);
    assert!(merged.doc.schema.contains(&label("place")));
}

#[test]
fn one_side_unchanged_gives_the_other_side() {
    let b = base();
    let mut changed = b.clone();
    edit(&mut changed, "rita", |s| {
        Edit::relabel(s, &id("s2"), label("claim"), t(1)).unwrap()
    });
    edit(&mut changed, "rita", |s| {
        Edit::remove(s, &id("s4")).unwrap()
    });
    add(&mut changed, "rita", "action", 32, 36);
    relate(&mut changed, "rita", "agent", "s2", "s1");
    for (ours, theirs) in [(&b, &changed), (&changed, &b)] {
        let merged = run(&b, ours, theirs);
        assert!(merged.is_clean());
        assert!(merged.renumbered.is_empty());
        assert_eq!(lines(&merged.doc), lines(&changed));
        assert_eq!(relation_lines(&merged.doc), relation_lines(&changed));
    }
    // Both sides the same: that, and nothing from theirs twice in the history.
    let merged = run(&b, &changed, &changed);
    assert_eq!(lines(&merged.doc), lines(&changed));
    assert_eq!(merged.doc.audit().len(), changed.audit().len() + 1);
}

#[test]
fn a_label_definition_changed_by_theirs_only_is_taken_and_by_both_is_said() {
    let b = base();
    let change = |doc: &mut Document, name: &str, description: &str| {
        let mut def = doc.schema.get(name).unwrap().clone();
        def.description = description.into();
        doc.schema = doc.schema.with_replaced(name, def).unwrap();
    };
    let mut ours = b.clone();
    change(&mut ours, "claim", "What an actor asserts");
    let mut theirs = b.clone();
    change(&mut theirs, "actor", "Who speaks");
    change(&mut theirs, "claim", "A statement");
    let merged = run(&b, &ours, &theirs);
    let schema = &merged.doc.schema;
    assert_eq!(schema.get("actor").unwrap().description, "Who speaks");
    assert_eq!(
        schema.get("claim").unwrap().description,
        "What an actor asserts"
    );
    assert_eq!(
        merged.schema_notes,
        ["label claim was changed on both sides; ours kept"]
    );
    assert!(
        merged
            .doc
            .audit()
            .last()
            .unwrap()
            .detail
            .as_deref()
            .unwrap()
            .contains("; label claim was changed on both sides; ours kept")
    );
}
