//! The gold document: agreed spans accepted, every other span pending and marked, none lost,
//! ids unique, provenance in the attributes and the history, and a file that loads back.

use std::path::Path;

use super::*;
use crate::model::marked::label;
use crate::model::{AuditAction, AuditValue, Relation, RelationKind, Rgb};
use crate::review::counted_spans;
use crate::review::test_docs::{doc, named, reject};
use crate::store::native;

fn t() -> Timestamp {
    Timestamp::from_unix(1_800_000_000)
}

/// `id status label start..end attrs` per gold span.
fn lines(gold: &Document) -> Vec<String> {
    gold.set()
        .spans()
        .map(|s| {
            let attrs: Vec<String> = s.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!(
                "{} {} {} {} {}",
                s.id,
                s.status,
                s.label,
                s.range,
                attrs.join(" ")
            )
        })
        .collect()
}

/// `id status kind from→to attrs` per gold relation.
fn relation_lines(gold: &Document) -> Vec<String> {
    gold.set()
        .relations()
        .map(|r| {
            let attrs: Vec<String> = r.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!(
                "{} {} {} {}→{} {}",
                r.id,
                r.status,
                r.kind,
                r.from,
                r.to,
                attrs.join(" ")
            )
        })
        .collect()
}

/// Adds relations `(kind, from, to)` to `doc`, ids `r1`, `r2`, … in order, made by its annotator.
fn relate(doc: &mut Document, relations: &[(&str, &str, &str)]) {
    let who = doc.annotator.clone();
    let id = |s: &str| SpanId::new(s).unwrap();
    for (n, (kind, from, to)) in relations.iter().enumerate() {
        let r = Relation::new(
            id(&format!("r{}", n + 1)),
            label(kind),
            id(from),
            id(to),
            &who,
            Timestamp::from_unix(5),
        );
        doc.apply(&Edit::AddRelation(r), &who, t()).unwrap();
    }
}

#[test]
fn agreed_spans_are_accepted_and_every_other_span_is_a_marked_conflict() {
    let omar = doc(
        "omar",
        "[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied",
    );
    let rita = doc(
        "rita",
        "[Lavrov]{actor} [said on]{action} [Monday]{claim} that NATO [lied]{action}",
    );
    let adj = adjudicate_documents(&[&rita, &omar], "judge", t()).unwrap();
    let gold = &adj.gold;
    assert_eq!(gold.annotator, "judge");
    assert_eq!(
        lines(gold),
        [
            "s1 accepted actor 0..6 agreed_by=omar,rita",
            "s2 pending action 7..11 conflict=boundary conflict_with=s3 proposed_by=omar",
            "s3 pending action 7..14 conflict=boundary conflict_with=s2 proposed_by=rita",
            "s4 pending claim 15..21 conflict=label conflict_with=s5 proposed_by=rita",
            "s5 pending date 15..21 conflict=label conflict_with=s4 proposed_by=omar",
            "s6 pending actor 27..31 conflict=missing proposed_by=omar",
            "s7 pending action 32..36 conflict=missing proposed_by=rita",
        ]
    );
    assert_eq!((adj.agreed, adj.pending, adj.conflicts), (1, 6, 4));
    assert_eq!(gold.status, DocumentStatus::InProgress);
    // None lost: every annotator's span is in the gold document with its label and range.
    for d in [&omar, &rita] {
        for s in counted_spans(d) {
            assert!(
                gold.set()
                    .at_range(s.range)
                    .any(|g| g.label == s.label && g.fragments == s.fragments),
                "{} {} lost",
                s.label,
                s.range
            );
        }
    }
    // The spans keep their author; the time of adjudication is the modification time.
    let s6 = gold.set().get(&SpanId::numbered(6)).unwrap();
    assert_eq!(&*s6.author, "omar");
    assert_eq!(s6.modified, t());
}

#[test]
fn with_progress_it_gives_the_same_gold_and_stops_when_cancelled() {
    let omar = doc("omar", "[Lavrov]{actor} [said]{action} on [Monday]{date}");
    let rita = doc("rita", "[Lavrov]{actor} [said on]{action} [Monday]{claim}");
    let plain = adjudicate_documents(&[&omar, &rita], "sam", t()).unwrap();
    let progress = Progress::new();
    let measured = adjudicate_documents_with_progress(&[&omar, &rita], "sam", t(), &progress)
        .unwrap()
        .unwrap();
    assert_eq!(lines(&measured.gold), lines(&plain.gold));
    assert_eq!(measured.conflicts, plain.conflicts);
    let cancelled = Progress::new();
    cancelled.cancel();
    assert!(adjudicate_documents_with_progress(&[&omar, &rita], "sam", t(), &cancelled).is_err());
    let other = doc("sam", "Something else entirely");
    let refused = adjudicate_documents_with_progress(&[&omar, &other], "sam", t(), &progress);
    assert!(matches!(
        refused,
        Ok(Err(ReviewError::DifferentArticles { .. }))
    ));
}

#[test]
fn the_history_says_where_every_span_came_from() {
    let omar = doc("omar", "[Lavrov]{actor} [said]{action}");
    let rita = doc("rita", "[Lavrov]{actor} said");
    let adj = adjudicate_documents(&[&omar, &rita], "judge", t()).unwrap();
    let audit = adj.gold.audit();
    assert_eq!(audit.len(), 3);
    assert_eq!(audit.get(0).unwrap().action, AuditAction::Document);
    assert_eq!(&*audit.get(0).unwrap().who, "judge");
    assert_eq!(
        audit.get(0).unwrap().detail.as_deref(),
        Some(
            "adjudicated by judge from omar (2 spans), rita (1 spans): 1 spans agreed (accepted), 1 pending in 1 conflicts"
        )
    );
    let adds: Vec<(&str, &str)> = audit
        .refs()
        .skip(1)
        .map(|e| {
            assert_eq!(e.action, AuditAction::Add);
            assert_eq!((&**e.who, e.at), ("judge", t()));
            (e.target.unwrap().as_str(), e.detail.unwrap())
        })
        .collect();
    assert_eq!(
        adds,
        [
            ("s1", "agreed by omar (s1), rita (s1)"),
            ("s2", "proposed by omar (s2); conflict: missing"),
        ]
    );
    match &audit.get(2).unwrap().after {
        Some(AuditValue::Span(snap)) => {
            assert_eq!((&*snap.label, snap.start, snap.end), ("action", 7, 11));
            assert_eq!(&*snap.text, "said");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_same_span_from_several_annotators_becomes_one() {
    let omar = doc("omar", "[Lavrov]{actor} said");
    let rita = doc("rita", "[Lavrov]{actor} said");
    let sam = doc("sam", "[Lavrov]{claim} said");
    let adj = adjudicate_documents(&[&omar, &rita, &sam], "judge", t()).unwrap();
    assert_eq!(
        lines(&adj.gold),
        [
            "s1 pending actor 0..6 conflict=label conflict_with=s2 proposed_by=omar,rita",
            "s2 pending claim 0..6 conflict=label conflict_with=s1 proposed_by=sam",
        ]
    );
    assert_eq!(
        adj.gold.audit().get(1).unwrap().detail.as_deref(),
        Some("proposed by omar (s1), rita (s1); conflict: label, with s2")
    );
}

#[test]
fn identical_files_give_an_all_accepted_gold_file() {
    let markup = "[[Lavrov]{actor} said on [Monday]{date}]{claim}";
    let adj =
        adjudicate_documents(&[&doc("omar", markup), &doc("rita", markup)], "judge", t()).unwrap();
    assert_eq!((adj.agreed, adj.pending, adj.conflicts), (3, 0, 0));
    assert!(adj.gold.set().spans().all(|s| s.status == Status::Accepted));
    assert_eq!(adj.gold.status, DocumentStatus::Annotated);
}

#[test]
fn a_single_annotator_confirms_nothing() {
    let adj = adjudicate_documents(&[&doc("omar", "[Lavrov]{actor} said")], "judge", t()).unwrap();
    assert_eq!(
        lines(&adj.gold),
        ["s1 pending actor 0..6 conflict=unconfirmed proposed_by=omar"]
    );
}

#[test]
fn rejected_spans_and_their_relations_are_left_out_and_said_so() {
    let mut omar = doc("omar", "[Lavrov]{actor} [said]{action} [it]{claim}");
    let rita = doc("rita", "[Lavrov]{actor} [said]{action} it");
    let relation = |id: &str, from: u64, to: u64, who: &str| Relation {
        id: SpanId::new(id).unwrap(),
        kind: label("agent"),
        from: SpanId::numbered(from),
        to: SpanId::numbered(to),
        author: who.into(),
        created: Timestamp::from_unix(5),
        status: crate::model::Status::Pending,
        note: None,
        attrs: Default::default(),
    };
    let mut rita = rita;
    for (d, who) in [(&mut omar, "omar"), (&mut rita, "rita")] {
        d.apply(&Edit::AddRelation(relation("r1", 2, 1, who)), who, t())
            .unwrap();
    }
    omar.apply(
        &Edit::AddRelation(relation("r2", 3, 1, "omar")),
        "omar",
        t(),
    )
    .unwrap();
    reject(&mut omar, "s3");
    let adj = adjudicate_documents(&[&omar, &rita], "judge", t()).unwrap();
    assert_eq!(adj.rejected_spans, 1);
    assert_eq!(adj.relations, 1);
    assert_eq!(adj.relations_left_out, 1);
    assert_eq!(adj.gold.set().len(), 2);
    let r: Vec<&Relation> = adj.gold.set().relations().collect();
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].from.as_str(), r[0].to.as_str()), ("s2", "s1"));
    assert_eq!(r[0].attrs["agreed_by"], "omar,rita");
    // Both made it between agreed spans: accepted, and the file has nothing pending.
    assert_eq!(r[0].status, Status::Accepted);
    assert_eq!(adj.gold.status, DocumentStatus::Annotated);
    let summary = adj.gold.audit().get(0).unwrap().detail.clone().unwrap();
    assert!(
        summary.ends_with(
            ": 2 spans agreed (accepted), 0 pending in 0 conflicts; 1 relations agreed (accepted), 0 pending; 1 rejected spans left out; 1 relations left out (they link rejected spans)"
        ),
        "{summary}"
    );
    let last = adj.gold.audit().last().unwrap();
    assert_eq!(last.action, AuditAction::AddRelation);
    assert_eq!(
        last.detail.as_deref(),
        Some("agreed by omar (r1), rita (r1)")
    );
}

#[test]
fn discontinuous_spans_with_different_pieces_are_merged_and_marked() {
    let omar = doc("omar", "[Lavrov and Putin]{actor} said");
    let mut rita = doc("rita", "Lavrov and Putin said");
    let mut span = Span::new(
        SpanId::numbered(1),
        label("actor"),
        CharRange::new(0, 16).unwrap(),
        "rita",
        Timestamp::from_unix(0),
    );
    span.fragments = vec![
        CharRange::new(0, 6).unwrap(),
        CharRange::new(11, 16).unwrap(),
    ];
    rita.apply(&Edit::add(span), "rita", Timestamp::from_unix(0))
        .unwrap();
    let adj = adjudicate_documents(&[&omar, &rita], "judge", t()).unwrap();
    assert_eq!(
        lines(&adj.gold),
        [
            "s1 pending actor 0..16 conflict=boundary fragments_proposed=omar: 0..16 | rita: 0..6;11..16 proposed_by=omar,rita"
        ]
    );
}

#[test]
fn attributes_and_notes_are_carried_over_and_old_marks_replaced() {
    let mut omar = doc("omar", "[Monday]{date} came");
    let mut rita = doc("rita", "[Monday]{date} came");
    let id = SpanId::numbered(1);
    for (d, who, iso, note) in [
        (&mut omar, "omar", "2021-10-18", "the Monday after"),
        (&mut rita, "rita", "2021-10-11", "last Monday?"),
    ] {
        let edit = Edit::set_attr(d.set(), &id, "iso", Some(iso.into()), t()).unwrap();
        d.apply(&edit, who, t()).unwrap();
        let edit = Edit::set_attr(d.set(), &id, CONFLICT, Some("label".into()), t()).unwrap();
        d.apply(&edit, who, t()).unwrap();
        let edit = Edit::set_note(d.set(), &id, Some(note.into()), t()).unwrap();
        d.apply(&edit, who, t()).unwrap();
    }
    let adj = adjudicate_documents(&[&omar, &rita], "judge", t()).unwrap();
    let s = adj.gold.set().get(&id).unwrap();
    assert_eq!(s.status, Status::Accepted);
    // The first annotator's value wins a clash; the old conflict mark is gone.
    assert_eq!(
        s.attrs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>(),
        ["agreed_by=omar,rita", "iso=2021-10-18"]
    );
    assert_eq!(
        s.note.as_deref(),
        Some("omar: the Monday after\nrita: last Monday?")
    );
}

#[test]
fn the_gold_file_saves_loads_and_is_deterministic() {
    let omar = named(
        "omar",
        "news.txt",
        "[Lavrov]{actor} [said]{action} on [Monday]{date}",
    );
    let rita = named(
        "rita",
        "news.txt",
        "[Lavrov]{actor} [said on]{action} [Monday]{claim}",
    );
    let one = adjudicate_documents(&[&omar, &rita], "judge", t()).unwrap();
    let two = adjudicate_documents(&[&rita, &omar], "judge", t()).unwrap();
    let bytes = native::to_bytes(&one.gold);
    assert_eq!(bytes, native::to_bytes(&two.gold));
    let loaded = native::from_bytes(Path::new("gold.spanmark.json"), &bytes).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.doc, one.gold);
}

#[test]
fn orphans_are_kept_as_orphans_with_fresh_ids() {
    let omar = doc("omar", "[Lavrov]{actor} said");
    let mut rita = doc("rita", "[Lavrov]{actor} said");
    let (_, old) = crate::model::marked::marked("NATO [replied]{action}");
    let mut lost = old[0].clone();
    lost.id = SpanId::numbered(7);
    lost.author = "rita".into();
    rita.orphans.spans.push(crate::model::Orphan {
        span: lost,
        quote: "replied".into(),
        prefix: "NATO ".into(),
        suffix: String::new(),
    });
    rita.orphans.relations.push(Relation {
        id: SpanId::new("r4").unwrap(),
        kind: label("agent"),
        from: SpanId::numbered(7),
        to: SpanId::numbered(1),
        author: "rita".into(),
        created: Timestamp::from_unix(5),
        status: crate::model::Status::Accepted,
        note: None,
        attrs: Default::default(),
    });
    let adj = adjudicate_documents(&[&omar, &rita], "judge", t()).unwrap();
    assert_eq!(adj.orphans, 1);
    assert_eq!(
        lines(&adj.gold),
        ["s1 accepted actor 0..6 agreed_by=omar,rita"]
    );
    let orphans = &adj.gold.orphans;
    assert_eq!(orphans.spans.len(), 1);
    let kept = &orphans.spans[0];
    assert_eq!(kept.span.id.as_str(), "s2");
    assert_eq!(kept.quote, "replied");
    assert_eq!(kept.span.attrs[PROPOSED_BY], "rita");
    assert_eq!(kept.span.attrs[CONFLICT], "orphaned");
    assert_eq!(orphans.relations.len(), 1);
    let r = &orphans.relations[0];
    assert_eq!(
        (r.id.as_str(), r.from.as_str(), r.to.as_str()),
        ("r1", "s2", "s1")
    );
    // Marked like the orphan it links, whatever its status was: pending, to place or delete.
    assert_eq!(r.status, Status::Pending);
    assert_eq!(
        (r.attrs[PROPOSED_BY].as_str(), r.attrs[CONFLICT].as_str()),
        ("rita", "orphaned")
    );
    // The orphan's id stays taken, and the file saves and loads back whole.
    assert_eq!(adj.gold.set().next_id().as_str(), "s3");
    let bytes = native::to_bytes(&adj.gold);
    let loaded = native::from_bytes(Path::new("gold.spanmark.json"), &bytes).unwrap();
    assert_eq!(loaded.doc.orphans, adj.gold.orphans);
    let events: Vec<&str> = adj
        .gold
        .audit()
        .refs()
        .filter(|e| e.action == AuditAction::Document)
        .filter_map(|e| e.detail)
        .collect();
    assert_eq!(
        events[1..],
        [
            "orphaned span action \"replied\" of rita (s7) kept as orphan s2: it could not be placed on the text",
            "relation agent of rita (r4) kept as r1 between orphans",
        ]
    );
    assert!(
        events[0]
            .ends_with("; 1 orphaned spans kept as orphans (they could not be placed on the text)")
    );
}

// Text: "Lavrov said on Monday that NATO lied". omar marks Monday, rita "on Monday"; the gold
// spans are s1 Lavrov, s2 said (both agreed), s3 "on Monday" and s4 Monday (a boundary
// conflict), s5 the claim and s6 NATO (agreed).
const OMAR_FRAMED: &str =
    "[Lavrov]{actor} [said]{action} on [Monday]{date} [that [NATO]{actor} lied]{claim}";
const RITA_FRAMED: &str =
    "[Lavrov]{actor} [said]{action} [on Monday]{date} [that [NATO]{actor} lied]{claim}";

#[test]
fn relations_follow_the_spans_rules() {
    let mut omar = doc("omar", OMAR_FRAMED);
    let mut rita = doc("rita", RITA_FRAMED);
    // Their own ids: s1 Lavrov, s2 said, s3 (on) Monday, s4 claim, s5 NATO.
    relate(
        &mut omar,
        &[
            ("source", "s4", "s1"),
            ("cue", "s4", "s2"),
            ("time", "s2", "s3"),
            ("agent", "s2", "s1"),
            ("source", "s4", "s5"),
        ],
    );
    relate(
        &mut rita,
        &[
            ("source", "s4", "s1"),
            ("time", "s2", "s3"),
            ("target", "s2", "s1"),
            ("source", "s5", "s4"),
        ],
    );
    let adj = adjudicate_documents(&[&rita, &omar], "judge", t()).unwrap();
    assert_eq!(
        relation_lines(&adj.gold),
        [
            // agent (omar) and target (rita) between the same spans: rivals by kind.
            "r1 pending agent s2→s1 conflict=kind conflict_with=r6 proposed_by=omar",
            // Only omar made it.
            "r2 pending cue s5→s2 conflict=missing proposed_by=omar",
            // Both made it, between agreed spans: accepted.
            "r3 accepted source s5→s1 agreed_by=omar,rita",
            // The same directed kind, each the other way round: rivals by direction.
            "r4 pending source s5→s6 conflict=direction conflict_with=r5 proposed_by=omar",
            "r5 pending source s6→s5 conflict=direction conflict_with=r4 proposed_by=rita",
            "r6 pending target s2→s1 conflict=kind conflict_with=r1 proposed_by=rita",
            // Each time links its own reading of the date: each is one annotator's.
            "r7 pending time s2→s3 conflict=missing proposed_by=rita",
            "r8 pending time s2→s4 conflict=missing proposed_by=omar",
        ]
    );
    assert_eq!(
        (adj.relations, adj.relations_agreed, adj.relations_pending),
        (8, 1, 7)
    );
    let details: Vec<&str> = adj
        .gold
        .audit()
        .refs()
        .filter(|e| e.action == AuditAction::AddRelation)
        .filter_map(|e| e.detail)
        .collect();
    assert_eq!(details[0], "proposed by omar (r4); conflict: kind, with r6");
    assert_eq!(details[2], "agreed by omar (r1), rita (r1)");
    let summary = adj.gold.audit().get(0).unwrap().detail.clone().unwrap();
    assert!(
        summary.ends_with("; 1 relations agreed (accepted), 7 pending"),
        "{summary}"
    );
}

#[test]
fn a_relation_goes_with_its_spans_and_undirected_kinds_merge_either_way_round() {
    // The actor is one span for omar and two pieces for rita: one pending gold span.
    let mut omar = doc(
        "omar",
        "[Lavrov and Putin]{actor} [said]{action} [it]{claim}",
    );
    let mut rita = doc("rita", "Lavrov and Putin [said]{action} [it]{claim}");
    let mut actor = Span::new(
        SpanId::numbered(3),
        label("actor"),
        CharRange::new(0, 16).unwrap(),
        "rita",
        Timestamp::from_unix(0),
    );
    actor.fragments = vec![
        CharRange::new(0, 6).unwrap(),
        CharRange::new(11, 16).unwrap(),
    ];
    rita.apply(&Edit::add(actor), "rita", t()).unwrap();
    // rita's schema has `agent` and `near`, undirected, on the key s (omar's `source` has it).
    let near = RelationKind {
        name: label("near"),
        colour: Rgb(1, 2, 3),
        hotkey: Some('s'),
        description: "Mentioned together".into(),
        from: Vec::new(),
        to: Vec::new(),
        directed: false,
    };
    let agent = rita.schema.relation_kind("agent").unwrap().clone();
    rita.schema = rita.schema.with_relations(vec![near, agent]).unwrap();
    // Both say who said it, to the actor they read; both link said and it, each way round.
    relate(&mut omar, &[("agent", "s2", "s1"), ("near", "s2", "s3")]);
    relate(&mut rita, &[("agent", "s1", "s3"), ("near", "s2", "s1")]);
    let adj = adjudicate_documents(&[&omar, &rita], "judge", t()).unwrap();
    assert_eq!(
        lines(&adj.gold),
        [
            "s1 pending actor 0..16 conflict=boundary fragments_proposed=omar: 0..16 | rita: 0..6;11..16 proposed_by=omar,rita",
            "s2 accepted action 17..21 agreed_by=omar,rita",
            "s3 accepted claim 22..24 agreed_by=omar,rita",
        ]
    );
    assert_eq!(
        relation_lines(&adj.gold),
        [
            // Everyone made it, but the actor is still a conflict: pending until it is settled.
            "r1 pending agent s2→s1 conflict=end proposed_by=omar,rita",
            // One relation, in the first annotator's direction, agreed.
            "r2 accepted near s2→s3 agreed_by=omar,rita",
        ]
    );
    // The gold schema: omar's kinds first, then rita's `near` without its taken key.
    let schema = &adj.gold.schema;
    let names: Vec<&str> = schema.relations().iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["source", "cue", "agent", "target", "time", "near"]);
    let near = schema.relation_kind("near").unwrap();
    assert_eq!((near.hotkey, near.directed), (None, false));
    assert_eq!(near.description, "Mentioned together");
    assert_eq!(schema.relation_kind("source").unwrap().hotkey, Some('s'));
    // Either input order gives the same bytes, and the file loads back with every kind defined.
    let swapped = adjudicate_documents(&[&rita, &omar], "judge", t()).unwrap();
    let bytes = native::to_bytes(&adj.gold);
    assert_eq!(bytes, native::to_bytes(&swapped.gold));
    let loaded = native::from_bytes(Path::new("gold.spanmark.json"), &bytes).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.doc, adj.gold);
}

#[test]
fn a_single_annotators_relations_are_unconfirmed_and_rejected_ones_left_out() {
    let mut omar = doc("omar", "[Lavrov]{actor} [said]{action}");
    relate(&mut omar, &[("agent", "s2", "s1"), ("target", "s2", "s1")]);
    let r2 = SpanId::new("r2").unwrap();
    let edit = Edit::set_relation_status(omar.set(), &r2, Status::Rejected).unwrap();
    omar.apply(&edit, "omar", t()).unwrap();
    let adj = adjudicate_documents(&[&omar], "judge", t()).unwrap();
    assert_eq!(
        relation_lines(&adj.gold),
        ["r1 pending agent s2→s1 conflict=unconfirmed proposed_by=omar"]
    );
    assert_eq!((adj.relations, adj.rejected_relations), (1, 1));
    let summary = adj.gold.audit().get(0).unwrap().detail.clone().unwrap();
    assert!(
        summary.ends_with("; 1 rejected relations left out"),
        "{summary}"
    );
}
