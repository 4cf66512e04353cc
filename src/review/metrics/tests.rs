//! Each metric against hand-computed values (the computation is in the comments), the edge cases,
//! and properties: a file agrees with itself completely; swapping a pair swaps precision and
//! recall and leaves F1, κ and α alone.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::model::marked::label;
use crate::model::{
    CharRange, Edit, Relation, RelationKind, Schema, Source, Span, SpanId, Status, Text, Timestamp,
};
use crate::review::test_docs::{doc, named, reject};

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() < 1e-12
}

fn prf(p: &Prf) -> (f64, f64, f64) {
    (p.precision, p.recall, p.f1)
}

fn assert_prf(got: &Prf, want: (f64, f64, f64)) {
    let g = prf(got);
    assert!(
        close(g.0, want.0) && close(g.1, want.1) && close(g.2, want.2),
        "got {g:?}, want {want:?}"
    );
}

fn only_pair(docs: &[&Document]) -> (Agreement, PairAgreement) {
    let agreement = agreement_of(docs).unwrap();
    assert_eq!(agreement.pairs.len(), 1, "{agreement:#?}");
    let pair = agreement.pairs[0].clone();
    (agreement, pair)
}

// Text: "Lavrov said on Monday that NATO lied"; tokens Lavrov said on Monday that NATO lied.
//   omar (a, the reference: first by name): actor 0..6, action 7..11, date 15..21, actor 27..31
//   rita (b):                               actor 0..6, action 7..14, claim 15..21, claim 27..36
const OMAR: &str = "[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied";
const RITA: &str = "[Lavrov]{actor} [said on]{action} [Monday]{claim} that [NATO lied]{claim}";

#[test]
fn exact_match_by_hand() {
    let (omar, rita) = (doc("omar", OMAR), doc("rita", RITA));
    let (_, pair) = only_pair(&[&rita, &omar]);
    assert_eq!((pair.a.as_str(), pair.b.as_str()), ("omar", "rita"));
    // Only actor 0..6 is in both: matched 1 of 4 and 4 → P = R = 1/4, F1 = 2·1/(4+4) = 1/4.
    assert_prf(&pair.exact.overall, (0.25, 0.25, 0.25));
    let by = &pair.exact.by_label;
    assert_eq!(
        by.keys().collect::<Vec<_>>(),
        ["action", "actor", "claim", "date"]
    );
    // actor: omar 2, rita 1, matched 1 → P = 1/1, R = 1/2, F1 = 2/3.
    assert_prf(&by["actor"], (1.0, 0.5, 2.0 / 3.0));
    // action: 1 and 1, none matched (7..11 vs 7..14) → 0, 0, 0.
    assert_prf(&by["action"], (0.0, 0.0, 0.0));
    // date: only omar uses it → P = 0/0 with one side non-empty = 0, R = 0/1 = 0, F1 = 0.
    assert_prf(&by["date"], (0.0, 0.0, 0.0));
    // claim: only rita uses it → P = 0/2 = 0, R = 0/0 (one side non-empty) = 0, F1 = 0.
    assert_prf(&by["claim"], (0.0, 0.0, 0.0));
    assert_eq!(pair.documents, 1);
}

#[test]
fn overlap_match_by_hand() {
    let (omar, rita) = (doc("omar", OMAR), doc("rita", RITA));
    let (_, pair) = only_pair(&[&omar, &rita]);
    // actor 0..6 ↔ actor 0..6 and action 7..11 ↔ action 7..14 (4 shared chars); date and the
    // second actor have no partner with their label → matched 2 of 4 and 4:
    // P = R = F1 = 2/4.
    assert_prf(&pair.overlap.overall, (0.5, 0.5, 0.5));
    let by = &pair.overlap.by_label;
    assert_prf(&by["actor"], (1.0, 0.5, 2.0 / 3.0));
    assert_prf(&by["action"], (1.0, 1.0, 1.0));
    assert_prf(&by["date"], (0.0, 0.0, 0.0));
    assert_prf(&by["claim"], (0.0, 0.0, 0.0));
}

#[test]
fn confusion_by_hand() {
    let (omar, rita) = (doc("omar", OMAR), doc("rita", RITA));
    let (_, pair) = only_pair(&[&omar, &rita]);
    // Matched by overlap whatever the label: actor↔actor (0..6), action↔action (7..11/7..14),
    // date↔claim (15..21), actor↔claim (27..31/27..36). Rows omar, columns rita; every label of
    // the pair in both, zeros included.
    let mut want: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for row in ["action", "actor", "claim", "date"] {
        for col in ["action", "actor", "claim", "date"] {
            want.entry(row.into()).or_default().insert(col.into(), 0);
        }
    }
    for (row, col) in [
        ("actor", "actor"),
        ("action", "action"),
        ("date", "claim"),
        ("actor", "claim"),
    ] {
        *want.get_mut(row).unwrap().get_mut(col).unwrap() += 1;
    }
    assert_eq!(pair.confusion, want);
}

#[test]
fn token_kappa_by_hand() {
    let (omar, rita) = (doc("omar", OMAR), doc("rita", RITA));
    let (agreement, pair) = only_pair(&[&omar, &rita]);
    //          Lavrov said   on     Monday that NATO  lied
    //   omar:  actor  action O      date   O    actor O
    //   rita:  actor  action action claim  O    claim claim
    // Agreed: Lavrov, said, that → 3 of N = 7.
    // omar: actor 2, action 1, date 1, O 3.  rita: actor 1, action 2, claim 3, O 1.
    // Σ a_k·b_k = 2·1 + 1·2 + 1·0 + 3·1 + 0·3 = 7.
    // κ = (3·7 − 7) / (7² − 7) = 14/42 = 1/3.
    assert_eq!(pair.tokens, 7);
    assert!(close(pair.token_kappa, 1.0 / 3.0), "{}", pair.token_kappa);
    // α for the same two annotators. Units (omar, rita): agreeing units add 0; the 4 others
    // (on: O/action, Monday: date/claim, NATO: actor/claim, lied: O/claim) add (4 − 2)/1 = 2
    // each → Σ_{c≠k} o_ck = 8. Values: actor 3, action 3, date 1, claim 3, O 4 → n = 14.
    // Σ_{c≠k} n_c n_k = 14² − (9 + 9 + 1 + 9 + 16) = 196 − 44 = 152.
    // α = 1 − 13 · 8 / 152 = 1 − 104/152 = 6/19.
    let alpha = agreement.krippendorff_alpha.unwrap();
    assert!(close(alpha, 6.0 / 19.0), "{alpha}");
}

#[test]
fn no_spans_at_all_is_complete_agreement() {
    let (a, b) = (doc("omar", "Lavrov said"), doc("rita", "Lavrov said"));
    let (agreement, pair) = only_pair(&[&a, &b]);
    // Nothing to disagree on: 0/0 is 1.0 when neither has a span; κ and α: no variation → 1.0.
    assert_prf(&pair.exact.overall, (1.0, 1.0, 1.0));
    assert_prf(&pair.overlap.overall, (1.0, 1.0, 1.0));
    assert!(pair.exact.by_label.is_empty());
    assert!(pair.confusion.is_empty());
    // No relation on either side: the same definition.
    assert_prf(&pair.relations.overall, (1.0, 1.0, 1.0));
    assert!(pair.relations.by_kind.is_empty());
    assert_eq!(pair.token_kappa, 1.0);
    assert_eq!(agreement.krippendorff_alpha, Some(1.0));
}

#[test]
fn one_annotator_empty_is_no_agreement() {
    let (a, b) = (
        doc("omar", "Lavrov said on Monday"),
        doc("rita", "[Lavrov]{actor} said on Monday"),
    );
    let (agreement, pair) = only_pair(&[&a, &b]);
    // omar (reference) has no span, rita one: P = 0/1 = 0, R = 0/0 with one side non-empty = 0,
    // F1 = 0/(0+1) = 0.
    assert_prf(&pair.exact.overall, (0.0, 0.0, 0.0));
    assert_prf(&pair.overlap.overall, (0.0, 0.0, 0.0));
    assert_prf(&pair.exact.by_label["actor"], (0.0, 0.0, 0.0));
    // Tokens: omar O O O O, rita actor O O O. p_o = 3/4; p_e = (4·3 + 0·1)/16 = 3/4 → κ = 0.
    assert_eq!(pair.token_kappa, 0.0);
    // α: one unit (O, actor) adds 2; n_O = 7, n_actor = 1, n = 8; 8² − 49 − 1 = 14;
    // α = 1 − 7 · 2 / 14 = 0.
    assert_eq!(agreement.krippendorff_alpha, Some(0.0));
    // Nothing matched: the confusion matrix is all zeros over the labels used.
    assert_eq!(pair.confusion["actor"]["actor"], 0);
}

#[test]
fn identical_files_agree_completely() {
    let (a, b) = (doc("omar", OMAR), doc("rita", OMAR));
    let (agreement, pair) = only_pair(&[&a, &b]);
    assert_prf(&pair.exact.overall, (1.0, 1.0, 1.0));
    assert_prf(&pair.overlap.overall, (1.0, 1.0, 1.0));
    for p in pair.exact.by_label.values() {
        assert_prf(p, (1.0, 1.0, 1.0));
    }
    assert_eq!(pair.token_kappa, 1.0);
    assert_eq!(agreement.krippendorff_alpha, Some(1.0));
    assert_eq!(pair.confusion["actor"]["actor"], 2);
    assert_eq!(pair.confusion["date"]["date"], 1);
    assert_eq!(pair.confusion["actor"]["date"], 0);
}

#[test]
fn measured_with_progress_it_counts_articles_and_stops_when_cancelled() {
    let docs = [
        named("omar", "1.txt", "[x]{actor} [y]{actor} z"),
        named("rita", "1.txt", "[x]{actor} y z"),
        named("omar", "2.txt", "a [b]{date} c"),
        named("rita", "2.txt", "a [b]{date} c"),
    ];
    let refs: Vec<&Document> = docs.iter().collect();
    let corpus = Corpus::from_documents(&refs).unwrap();
    let progress = crate::progress::Progress::new();
    let measured = agreement_with_progress(&corpus, &progress).unwrap();
    assert_eq!(measured, agreement(&corpus));
    let s = progress.snapshot();
    assert_eq!((s.done, s.total), (2, 2));
    let cancelled = crate::progress::Progress::new();
    cancelled.cancel();
    assert_eq!(
        agreement_with_progress(&corpus, &cancelled),
        Err(crate::progress::Cancelled)
    );
}

#[test]
fn three_annotators_with_a_missing_document() {
    // Article 1 "x y z" by omar, rita, sam; article 2 "p q" by omar and rita only.
    //   tokens  x      y      z   p      q
    //   omar    actor  actor  O   O      O
    //   rita    actor  actor  O   actor  O
    //   sam     actor  O      O   —      —    (sam did not annotate article 2: missing)
    let docs = [
        named("omar", "1.txt", "[x]{actor} [y]{actor} z"),
        named("rita", "1.txt", "[x]{actor} [y]{actor} z"),
        named("sam", "1.txt", "[x]{actor} y z"),
        named("omar", "2.txt", "p q"),
        named("rita", "2.txt", "[p]{actor} q"),
    ];
    let refs: Vec<&Document> = docs.iter().collect();
    let agreement = agreement_of(&refs).unwrap();
    assert_eq!(agreement.documents, 2);
    assert_eq!(agreement.annotators, ["omar", "rita", "sam"]);
    let names: Vec<_> = agreement
        .pairs
        .iter()
        .map(|p| (p.a.as_str(), p.b.as_str(), p.documents))
        .collect();
    assert_eq!(
        names,
        [("omar", "rita", 2), ("omar", "sam", 1), ("rita", "sam", 1)]
    );
    // α, units (values): x (A A A) 0; y (A A O): m = 3, Σn² = 4 + 1 = 5 → (9 − 5)/2 = 2;
    // z (O O O) 0; p (O A): (4 − 2)/1 = 2; q (O O) 0 → Σ_{c≠k} o_ck = 4.
    // n_actor = 3 + 2 + 1 = 6, n_O = 1 + 3 + 1 + 2 = 7, n = 13; 13² − 36 − 49 = 84.
    // α = 1 − 12 · 4 / 84 = 3/7.
    let alpha = agreement.krippendorff_alpha.unwrap();
    assert!(close(alpha, 3.0 / 7.0), "{alpha}");
    // omar–rita over both articles: omar 2 spans, rita 3, matched 2 →
    // P = 2/3, R = 2/2, F1 = 4/5.
    let pair = &agreement.pairs[0];
    assert_prf(&pair.exact.overall, (2.0 / 3.0, 1.0, 0.8));
    // κ: omar A A O O O, rita A A O A O: agreed 4 of 5; omar A 2 O 3, rita A 3 O 2;
    // Σ a_k b_k = 6 + 6 = 12; κ = (4·5 − 12)/(25 − 12) = 8/13.
    assert!(close(pair.token_kappa, 8.0 / 13.0), "{}", pair.token_kappa);
    // omar–sam, article 1 only: omar 2 spans, sam 1, matched 1 → P = 1, R = 1/2, F1 = 2/3.
    assert_prf(&agreement.pairs[1].exact.overall, (1.0, 0.5, 2.0 / 3.0));
}

#[test]
fn annotators_without_a_shared_article_have_no_pair() {
    let a = named("omar", "1.txt", "[Lavrov]{actor} said");
    let b = named("rita", "2.txt", "NATO [replied]{action}");
    let agreement = agreement_of(&[&a, &b]).unwrap();
    assert!(agreement.pairs.is_empty());
    assert_eq!(
        agreement.unpaired,
        [("omar".to_string(), "rita".to_string())]
    );
    // No token has two values: α is undefined.
    assert_eq!(agreement.krippendorff_alpha, None);
    let json = serde_json::to_value(&agreement).unwrap();
    assert_eq!(json["krippendorff_alpha"], serde_json::Value::Null);
}

#[test]
fn rejected_spans_are_not_counted() {
    let a = doc("omar", "[Lavrov]{actor} [said]{action}");
    let mut b = doc("rita", "[Lavrov]{actor} [said]{claim}");
    reject(&mut b, "s2");
    let (_, pair) = only_pair(&[&a, &b]);
    // rita's claim is rejected: omar 2, rita 1, matched 1 → P = 1, R = 1/2, F1 = 2/3.
    assert_prf(&pair.exact.overall, (1.0, 0.5, 2.0 / 3.0));
}

#[test]
fn exact_match_includes_the_fragments() {
    let a = doc("omar", "[Lavrov and Putin]{actor} said");
    let mut b = doc("rita", "Lavrov and Putin said");
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
    b.apply(&Edit::add(span), "rita", Timestamp::from_unix(0))
        .unwrap();
    let (_, pair) = only_pair(&[&a, &b]);
    // Same start, end and label but different pieces: not an exact match; they overlap (11
    // shared characters), so they match by overlap.
    assert_prf(&pair.exact.overall, (0.0, 0.0, 0.0));
    assert_prf(&pair.overlap.overall, (1.0, 1.0, 1.0));
}

#[test]
fn the_json_has_the_documented_shape() {
    let (omar, rita) = (doc("omar", OMAR), doc("rita", RITA));
    let agreement = agreement_of(&[&omar, &rita]).unwrap();
    let json = serde_json::to_value(&agreement).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&json),
        ["annotators", "documents", "krippendorff_alpha", "pairs"]
    );
    let pair = &json["pairs"][0];
    assert_eq!(
        keys(pair),
        [
            "a",
            "attributes",
            "b",
            "confusion",
            "exact",
            "overlap",
            "relations",
            "token_kappa"
        ]
    );
    assert_eq!(
        keys(&pair["relations"]),
        ["by_kind", "f1", "precision", "recall"]
    );
    assert_eq!(
        keys(&pair["exact"]),
        ["by_label", "f1", "precision", "recall"]
    );
    assert_eq!(
        keys(&pair["overlap"]["by_label"]["actor"]),
        ["f1", "precision", "recall"]
    );
    assert_eq!(pair["exact"]["by_label"]["actor"]["recall"], 0.5);
    assert_eq!(pair["confusion"]["date"]["claim"], 1);
}

/// Adds relation `id` of `kind` from span `from` to span `to` (`s4`, `s1`) to `doc`, made by its
/// annotator.
fn relate(doc: &mut Document, id: &str, kind: &str, from: &str, to: &str) {
    let who = doc.annotator.clone();
    let sid = |s: &str| SpanId::new(s).unwrap();
    let relation = Relation::new(
        sid(id),
        label(kind),
        sid(from),
        sid(to),
        &who,
        Timestamp::from_unix(0),
    );
    doc.apply(&Edit::AddRelation(relation), &who, Timestamp::from_unix(0))
        .unwrap();
}

// Text: "Lavrov said on Monday that NATO lied". Spans s1 Lavrov (actor), s2 said (action),
// s3 Monday (omar: date 15..21; rita: "on Monday", date 12..21), s4 "that NATO lied" (claim),
// s5 NATO (actor, inside the claim).
const OMAR_FRAMED: &str =
    "[Lavrov]{actor} [said]{action} on [Monday]{date} [that [NATO]{actor} lied]{claim}";
const RITA_FRAMED: &str =
    "[Lavrov]{actor} [said]{action} [on Monday]{date} [that [NATO]{actor} lied]{claim}";

/// omar's and rita's relations on [`OMAR_FRAMED`] and [`RITA_FRAMED`]:
///
/// | omar (a, reference)        | rita (b)                    |                          |
/// |----------------------------|-----------------------------|--------------------------|
/// | source claim → Lavrov      | source claim → Lavrov       | match                    |
/// | cue claim → said           | cue claim → said            | match                    |
/// | time said → Monday         | time said → "on Monday"     | an end differs: no match |
/// | agent said → Lavrov        | target said → Lavrov        | the kind differs: none   |
/// |                            | source claim → NATO         | rita only                |
fn framed_pair() -> (Document, Document) {
    let mut omar = doc("omar", OMAR_FRAMED);
    let mut rita = doc("rita", RITA_FRAMED);
    for (id, kind, from, to) in [
        ("r1", "source", "s4", "s1"),
        ("r2", "cue", "s4", "s2"),
        ("r3", "time", "s2", "s3"),
        ("r4", "agent", "s2", "s1"),
    ] {
        relate(&mut omar, id, kind, from, to);
    }
    for (id, kind, from, to) in [
        ("r1", "source", "s4", "s1"),
        ("r2", "cue", "s4", "s2"),
        ("r3", "time", "s2", "s3"),
        ("r4", "target", "s2", "s1"),
        ("r5", "source", "s4", "s5"),
    ] {
        relate(&mut rita, id, kind, from, to);
    }
    (omar, rita)
}

#[test]
fn relation_match_by_hand() {
    let (omar, rita) = framed_pair();
    let (_, pair) = only_pair(&[&rita, &omar]);
    let rel = &pair.relations;
    // omar 4 relations, rita 5, matched 2 (source claim → Lavrov, cue):
    // P = 2/5, R = 2/4, F1 = 2·2/(4+5) = 4/9.
    assert_prf(&rel.overall, (0.4, 0.5, 4.0 / 9.0));
    assert_eq!(
        (
            rel.overall.matched,
            rel.overall.reference,
            rel.overall.other
        ),
        (2, 4, 5)
    );
    assert_eq!(
        rel.by_kind.keys().collect::<Vec<_>>(),
        ["agent", "cue", "source", "target", "time"]
    );
    // source: omar 1, rita 2, matched 1 → P = 1/2, R = 1/1, F1 = 2·1/(1+2) = 2/3.
    assert_prf(&rel.by_kind["source"], (0.5, 1.0, 2.0 / 3.0));
    // cue: 1 and 1, matched → 1, 1, 1.
    assert_prf(&rel.by_kind["cue"], (1.0, 1.0, 1.0));
    // time: 1 and 1, but Monday ≠ "on Monday" → 0, 0, 0.
    assert_prf(&rel.by_kind["time"], (0.0, 0.0, 0.0));
    // agent only omar's, target only rita's (same ends, another kind) → 0, 0, 0 each.
    assert_prf(&rel.by_kind["agent"], (0.0, 0.0, 0.0));
    assert_prf(&rel.by_kind["target"], (0.0, 0.0, 0.0));

    // rita as the reference: precision and recall swap, F1 stays.
    let mut zed = omar.clone();
    zed.annotator = "zed".into();
    let (_, swapped) = only_pair(&[&rita, &zed]);
    assert_eq!(swapped.a, "rita");
    assert_prf(&swapped.relations.overall, (0.5, 0.4, 4.0 / 9.0));
    assert_prf(&swapped.relations.by_kind["source"], (1.0, 0.5, 2.0 / 3.0));
}

#[test]
fn an_undirected_kind_matches_either_way_round() {
    let mut omar = doc("omar", OMAR_FRAMED);
    let mut rita = doc("rita", OMAR_FRAMED);
    // Only omar's schema defines `coref`, undirected: either schema saying so is enough, so the
    // numbers do not depend on who is the reference.
    let coref = RelationKind {
        name: label("coref"),
        colour: crate::model::Rgb(0, 0, 0),
        hotkey: None,
        description: String::new(),
        from: vec![label("actor")],
        to: vec![label("actor")],
        directed: false,
    };
    let mut kinds = omar.schema.relations().to_vec();
    kinds.push(coref);
    omar.schema = omar.schema.with_relations(kinds).unwrap();
    relate(&mut omar, "r1", "coref", "s1", "s5");
    relate(&mut rita, "r1", "coref", "s5", "s1");
    // source is directed: the other way round is another relation.
    relate(&mut omar, "r2", "source", "s4", "s1");
    relate(&mut rita, "r2", "source", "s1", "s4");
    let (_, pair) = only_pair(&[&omar, &rita]);
    // matched 1 (coref) of 2 and 2 → 1/2 each.
    assert_prf(&pair.relations.overall, (0.5, 0.5, 0.5));
    assert_prf(&pair.relations.by_kind["coref"], (1.0, 1.0, 1.0));
    assert_prf(&pair.relations.by_kind["source"], (0.0, 0.0, 0.0));
}

#[test]
fn rejected_relations_and_relations_to_rejected_spans_are_not_counted() {
    let mut omar = doc("omar", OMAR_FRAMED);
    let mut rita = doc("rita", OMAR_FRAMED);
    relate(&mut omar, "r1", "source", "s4", "s1");
    relate(&mut omar, "r2", "time", "s4", "s3");
    relate(&mut rita, "r1", "source", "s4", "s1");
    relate(&mut rita, "r2", "time", "s4", "s3");
    relate(&mut rita, "r3", "cue", "s4", "s2");
    let r2 = SpanId::new("r2").unwrap();
    let edit = Edit::set_relation_status(rita.set(), &r2, Status::Rejected).unwrap();
    rita.apply(&edit, "rita", Timestamp::from_unix(0)).unwrap();
    // s2 (said) rejected: the cue that links it goes with it.
    reject(&mut rita, "s2");
    let (_, pair) = only_pair(&[&omar, &rita]);
    // rita counts source only: omar 2, rita 1, matched 1 → P = 1, R = 1/2, F1 = 2/3.
    assert_prf(&pair.relations.overall, (1.0, 0.5, 2.0 / 3.0));
    assert_eq!(
        pair.relations.by_kind.keys().collect::<Vec<_>>(),
        ["source", "time"]
    );
    assert_prf(&pair.relations.by_kind["time"], (0.0, 0.0, 0.0));
}

#[test]
fn relations_on_one_side_only_are_no_agreement() {
    let omar = doc("omar", OMAR_FRAMED);
    let mut rita = doc("rita", OMAR_FRAMED);
    relate(&mut rita, "r1", "source", "s4", "s1");
    let (_, pair) = only_pair(&[&omar, &rita]);
    // P = 0/1, R = 0/0 with one side non-empty = 0, F1 = 0/1.
    assert_prf(&pair.relations.overall, (0.0, 0.0, 0.0));
    assert_prf(&pair.relations.by_kind["source"], (0.0, 0.0, 0.0));
    // The spans still agree completely.
    assert_prf(&pair.exact.overall, (1.0, 1.0, 1.0));
}

/// A document of `text` with spans `(start, len, label index)`; spans that break an invariant
/// (duplicates) are skipped.
fn random_doc(annotator: &str, text: &str, spans: &[(usize, usize, usize)]) -> Document {
    let source = Source {
        name: "r.txt".into(),
        encoding: "UTF-8".into(),
        ..Source::default()
    };
    let mut d = Document::new(
        source,
        Text::new(text.to_string()),
        annotator,
        Schema::default(),
    );
    let n = text.len();
    for (k, &(start, len, l)) in spans.iter().enumerate() {
        let start = start % n;
        let end = (start + 1 + len).min(n);
        let span = Span::new(
            SpanId::numbered(k as u64 + 1),
            label(["actor", "action", "claim"][l % 3]),
            CharRange::new(start, end).unwrap(),
            annotator,
            Timestamp::from_unix(0),
        );
        let _ = d.apply(&Edit::add(span), annotator, Timestamp::from_unix(0));
    }
    // A relation from each span to one picked by the same numbers (skipped when an end was).
    let count = spans.len() as u64;
    for (k, &(start, len, _)) in spans.iter().enumerate() {
        let relation = Relation::new(
            SpanId::new(format!("r{}", k + 1)).unwrap(),
            label(["source", "cue", "agent"][len % 3]),
            SpanId::numbered(k as u64 + 1),
            SpanId::numbered(start as u64 % count + 1),
            annotator,
            Timestamp::from_unix(0),
        );
        let _ = d.apply(
            &Edit::AddRelation(relation),
            annotator,
            Timestamp::from_unix(0),
        );
    }
    d
}

fn spans_strategy() -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop::collection::vec((0usize..200, 0usize..12, 0usize..3), 0..25)
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-z]{1,6}", 1..30).prop_map(|words| words.join(" "))
}

proptest! {
    #[test]
    fn a_file_agrees_completely_with_itself(text in text_strategy(), spans in spans_strategy()) {
        let a = random_doc("ann1", &text, &spans);
        let b = random_doc("ann2", &text, &spans);
        let agreement = agreement_of(&[&a, &b]).unwrap();
        let pair = &agreement.pairs[0];
        for p in [&pair.exact.overall, &pair.overlap.overall, &pair.relations.overall]
            .into_iter()
            .chain(pair.exact.by_label.values())
            .chain(pair.overlap.by_label.values())
            .chain(pair.relations.by_kind.values())
        {
            prop_assert_eq!(prf(p), (1.0, 1.0, 1.0));
        }
        prop_assert_eq!(pair.token_kappa, 1.0);
        prop_assert_eq!(agreement.krippendorff_alpha, Some(1.0));
        for (row, cols) in &pair.confusion {
            for (col, n) in cols {
                prop_assert!(row == col || *n == 0);
            }
        }
    }

    #[test]
    fn swapping_the_pair_swaps_precision_and_recall(
        text in text_strategy(),
        spans_x in spans_strategy(),
        spans_y in spans_strategy(),
    ) {
        // The same two files, first with x as the reference (ann1), then with y.
        let one = agreement_of(&[&random_doc("ann1", &text, &spans_x), &random_doc("ann2", &text, &spans_y)]).unwrap();
        let two = agreement_of(&[&random_doc("ann2", &text, &spans_x), &random_doc("ann1", &text, &spans_y)]).unwrap();
        let (p, q) = (&one.pairs[0], &two.pairs[0]);
        for (s, t) in [(&p.exact, &q.exact), (&p.overlap, &q.overlap)] {
            prop_assert_eq!(s.overall.precision, t.overall.recall);
            prop_assert_eq!(s.overall.recall, t.overall.precision);
            prop_assert_eq!(s.overall.f1, t.overall.f1);
            prop_assert_eq!(s.by_label.keys().collect::<Vec<_>>(), t.by_label.keys().collect::<Vec<_>>());
            for (label, x) in &s.by_label {
                let y = &t.by_label[label];
                prop_assert_eq!((x.precision, x.recall, x.f1), (y.recall, y.precision, y.f1));
            }
        }
        let (r, t) = (&p.relations, &q.relations);
        prop_assert_eq!((r.overall.precision, r.overall.recall, r.overall.f1), (t.overall.recall, t.overall.precision, t.overall.f1));
        prop_assert_eq!(r.by_kind.keys().collect::<Vec<_>>(), t.by_kind.keys().collect::<Vec<_>>());
        for (kind, x) in &r.by_kind {
            let y = &t.by_kind[kind];
            prop_assert_eq!((x.precision, x.recall, x.f1), (y.recall, y.precision, y.f1));
        }
        prop_assert_eq!(p.token_kappa, q.token_kappa);
        prop_assert_eq!(one.krippendorff_alpha, two.krippendorff_alpha);
        // The confusion matrix is transposed.
        for (row, cols) in &p.confusion {
            for (col, n) in cols {
                prop_assert_eq!(q.confusion[col][row], *n);
            }
        }
    }
}
