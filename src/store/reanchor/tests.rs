//! Re-anchoring scenarios: insertions before spans, edits inside spans, deleted passages,
//! repeated phrases, CRLF ↔ LF, discontinuous spans, orphans that come back, relations.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::model::marked::{label, marked};
use crate::model::{Edit, Schema, Source};
use crate::store::article::ArticleKind;
use crate::store::hash::sha256_hex;
use crate::store::native;

const AT: i64 = 1_800_000_000;

/// A document from marked-up text, every span `accepted`.
fn doc(markup: &str) -> Document {
    let (text, spans) = marked(markup);
    let source = Source {
        name: "news.txt".into(),
        path: Some("news.txt".into()),
        sha256: Some(sha256_hex(text.as_bytes())),
        encoding: "UTF-8".into(),
        bom: false,
    };
    let mut d = Document::new(source, Text::new(text), "rita", Schema::default());
    for mut span in spans {
        span.status = Status::Accepted;
        d.apply(&Edit::add(span), "rita", Timestamp::from_unix(0))
            .unwrap();
    }
    d
}

fn article(text: &str) -> Article {
    Article {
        text: text.to_string(),
        encoding: "UTF-8".into(),
        bom: false,
        kind: ArticleKind::Text,
        source_sha256: sha256_hex(text.as_bytes()),
    }
}

fn run(d: &Document, new_text: &str) -> Reanchored {
    let out = reanchor(d, &article(new_text), "bot", Timestamp::from_unix(AT));
    // Whatever happened, the result saves and loads back as the same document.
    let bytes = native::to_bytes(&out.doc);
    let loaded = native::from_bytes(std::path::Path::new("t.spanmark.json"), &bytes)
        .unwrap_or_else(|e| panic!("the re-anchored document does not load: {e}"));
    assert_eq!(loaded.doc, out.doc);
    assert_eq!(native::to_bytes(&loaded.doc), bytes);
    out
}

/// `(id, outcome, new text)` for each span of the report.
fn outcomes(r: &Reanchored) -> Vec<(String, Outcome, Option<String>)> {
    r.report
        .spans
        .iter()
        .map(|s| (s.id.to_string(), s.outcome, s.text.clone()))
        .collect()
}

fn o(id: &str, outcome: Outcome, text: Option<&str>) -> (String, Outcome, Option<String>) {
    (id.to_string(), outcome, text.map(str::to_string))
}

fn span<'d>(d: &'d Document, id: &str) -> &'d Span {
    d.set().get(&SpanId::new(id).unwrap()).unwrap()
}

#[test]
fn the_same_text_leaves_everything_unchanged() {
    let d = doc("[Lavrov]{actor} [said]{action} on [Monday]{date}.");
    let r = run(&d, "Lavrov said on Monday.");
    assert_eq!(r.report.count(Outcome::Unchanged), 3);
    assert!(!r.report.needs_review());
    let spans: Vec<_> = r.doc.set().spans().cloned().collect();
    let before: Vec<_> = d.set().spans().cloned().collect();
    assert_eq!(spans, before, "offsets, status and times untouched");
}

#[test]
fn insertions_before_spans_move_them() {
    let d =
        doc("Russian Foreign Minister Sergey [Lavrov]{actor} [said]{action} on [Monday]{date}.");
    let r = run(
        &d,
        "UPDATED 👍🏽 Moscow.\n\nRussian Foreign Minister Sergey Lavrov said on Monday.",
    );
    assert_eq!(
        outcomes(&r),
        [
            o("s1", Outcome::Moved, Some("Lavrov")),
            o("s2", Outcome::Moved, Some("said")),
            o("s3", Outcome::Moved, Some("Monday")),
        ]
    );
    // Emoji count one scalar each: "UPDATED 👍🏽 Moscow.\n\n" is 20 scalars.
    assert_eq!(span(&r.doc, "s1").range, CharRange::new(52, 58).unwrap());
    assert_eq!(
        span(&r.doc, "s1").status,
        Status::Accepted,
        "moved keeps its status"
    );
    let entries: Vec<_> = r
        .doc
        .audit()
        .iter()
        .filter(|e| e.action == AuditAction::Reanchor)
        .collect();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].detail.as_deref(), Some("moved"));
    assert!(
        matches!(&entries[0].after, Some(AuditValue::Span(s)) if s.start == 52 && &*s.text == "Lavrov")
    );
}

#[test]
fn edits_inside_spans_make_them_fuzzy_and_pending() {
    let d =
        doc("Officials said [the alliance regretted the steps taken]{claim} by Moscow last week.");
    let r = run(
        &d,
        "Officials said the alliance deeply regretted the steps taken by Moscow last week.",
    );
    let report = &r.report.spans[0];
    assert_eq!(report.outcome, Outcome::Fuzzy);
    assert_eq!(
        report.text.as_deref(),
        Some("the alliance deeply regretted the steps taken")
    );
    assert_eq!(report.edits, 7);
    assert_eq!(report.status_reset, Some(Status::Accepted));
    assert_eq!(span(&r.doc, "s1").status, Status::Pending);
    assert_eq!(span(&r.doc, "s1").modified, Timestamp::from_unix(AT));
    assert!(r.report.needs_review());
    let status_entry = r
        .doc
        .audit()
        .iter()
        .find(|e| e.action == AuditAction::SetStatus)
        .unwrap();
    assert_eq!(
        status_entry.before,
        Some(AuditValue::Text("accepted".into()))
    );
    assert_eq!(status_entry.after, Some(AuditValue::Text("pending".into())));
}

#[test]
fn a_typo_fixed_inside_a_span_with_its_context_changed_too_is_fuzzy() {
    let d =
        doc("Earlier: the [Foreign Minster Sergey Lavrov]{actor} spoke to journalists about it.");
    let r = run(
        &d,
        "Later today the Foreign Minister Sergey Lavrov talked to the press about it.",
    );
    assert_eq!(
        outcomes(&r),
        [o(
            "s1",
            Outcome::Fuzzy,
            Some("Foreign Minister Sergey Lavrov")
        )]
    );
}

#[test]
fn deleted_passages_orphan_their_spans_and_keep_them() {
    let d = doc(
        "NATO expelled eight officials. [Lavrov]{actor} said on [Monday]{date} that the mission would close. The [alliance]{actor} regretted it.",
    );
    let r = run(
        &d,
        "NATO expelled eight officials. The alliance regretted it.",
    );
    assert_eq!(
        outcomes(&r),
        [
            o("s1", Outcome::Orphaned, None),
            o("s2", Outcome::Orphaned, None),
            o("s3", Outcome::Moved, Some("alliance")),
        ]
    );
    assert_eq!(r.doc.set().len(), 1);
    let orphans: Vec<_> = r
        .doc
        .orphans
        .spans
        .iter()
        .map(|o| o.quote.as_str())
        .collect();
    assert_eq!(orphans, ["Lavrov", "Monday"]);
    let lavrov = &r.doc.orphans.spans[0];
    assert_eq!(lavrov.prefix, "NATO expelled eight officials. ");
    assert_eq!(lavrov.span.status, Status::Accepted, "kept as it was");
    assert!(
        r.report.spans[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("not found")
    );
    // Orphan ids stay taken.
    assert_eq!(r.doc.set().next_id(), SpanId::numbered(4));
    assert_eq!(r.doc.status, DocumentStatus::InProgress);
}

#[test]
fn a_deleted_short_quote_does_not_jump_to_another_occurrence() {
    let d = doc(
        "In Brussels, [NATO]{actor} expelled eight officials on Monday. Moscow answered later. Analysts said NATO had no choice.",
    );
    let r = run(
        &d,
        "Moscow answered later. Analysts said NATO had no choice.",
    );
    let s1 = &r.report.spans[0];
    assert_eq!(s1.outcome, Outcome::Orphaned);
    assert!(
        s1.reason.as_deref().unwrap().contains("other contexts"),
        "{s1:?}"
    );
}

#[test]
fn repeated_phrases_land_on_the_right_occurrence() {
    let d = doc(
        "NATO said no. Moscow said nothing. Then [NATO]{actor} said yes, and Berlin agreed. Later NATO said maybe.",
    );
    // The text before the second NATO changes length; all three occurrences remain.
    let new_text = "NATO said no at first. Moscow said nothing at all. Then NATO said yes, and Berlin agreed. Later NATO said maybe.";
    let r = run(&d, new_text);
    let range = span(&r.doc, "s1").range;
    assert_eq!(r.report.spans[0].outcome, Outcome::Moved);
    assert_eq!(range, CharRange::new(56, 60).unwrap());
    assert_eq!(&new_text[51..60], "Then NATO");
    // The same with the first occurrence deleted and a new one added before.
    let new_text = "NATO NATO. Moscow said nothing. Then NATO said yes, and Berlin agreed. Later NATO said maybe.";
    let r = run(&d, new_text);
    let range = span(&r.doc, "s1").range;
    assert_eq!(
        &new_text[range.start().0 - 5..range.end().0 + 9],
        "Then NATO said yes"
    );
}

#[test]
fn crlf_to_lf_and_back_moves_spans_without_making_them_fuzzy() {
    let markup = "Minutes\r\n\r\n[The council]{actor} met on [18 October\r\n2021]{date}.\r\n[It voted to\r\nextend the programme]{claim}.\r\n";
    let d = doc(markup);
    let lf =
        "Minutes\n\nThe council met on 18 October\n2021.\nIt voted to\nextend the programme.\n";
    let r = run(&d, lf);
    assert_eq!(
        outcomes(&r),
        [
            o("s1", Outcome::Moved, Some("The council")),
            o("s2", Outcome::Moved, Some("18 October\n2021")),
            o(
                "s3",
                Outcome::Moved,
                Some("It voted to\nextend the programme")
            ),
        ]
    );
    assert!(!r.report.needs_review());
    assert_eq!(span(&r.doc, "s1").status, Status::Accepted);
    // And back to CRLF.
    let back = run(&r.doc, &lf.replace('\n', "\r\n"));
    let spans: Vec<_> = back.doc.set().spans().map(|s| s.range).collect();
    let original: Vec<_> = d.set().spans().map(|s| s.range).collect();
    assert_eq!(spans, original);
    assert!(
        back.report
            .spans
            .iter()
            .all(|s| s.outcome == Outcome::Moved)
    );
    // A lone CR (old Mac) folds the same way.
    let cr = run(&d, &lf.replace('\n', "\r"));
    assert!(
        cr.report.spans.iter().all(|s| s.outcome == Outcome::Moved),
        "{:?}",
        cr.report
    );
}

#[test]
fn new_boundaries_never_split_a_grapheme() {
    // The span "cafe" now ends in a combining accent: the end snaps past it.
    let d = doc("We met at the [cafe]{place} near the station, on a rainy morning in May.");
    let r = run(
        &d,
        "We met at the cafe\u{301} near the station, on a rainy morning in May.",
    );
    let s = span(&r.doc, "s1");
    assert_eq!(r.doc.set().span_text(s), "cafe\u{301}");
    assert_eq!(r.report.spans[0].outcome, Outcome::Fuzzy);
    // A family emoji: offsets count scalars (7 for the family).
    let d = doc("Family: [👨‍👩‍👧 day]{date} in the park with everyone from the street.");
    let r = run(
        &d,
        "Our family: 👨‍👩‍👧 day in the park with everyone from the street.",
    );
    let s = span(&r.doc, "s1");
    assert_eq!(s.range, CharRange::new(12, 21).unwrap());
    assert_eq!(r.report.spans[0].outcome, Outcome::Moved);
}

#[test]
fn discontinuous_spans_are_reanchored_fragment_by_fragment() {
    let mut d = doc("Flights to North and South America resumed on Monday, officials said.");
    let mut s = Span::new(
        SpanId::new("T1").unwrap(),
        label("place"),
        CharRange::new(11, 34).unwrap(),
        "rita",
        Timestamp::from_unix(0),
    );
    s.fragments = vec![
        CharRange::new(11, 16).unwrap(),
        CharRange::new(27, 34).unwrap(),
    ];
    d.apply(&Edit::add(s), "rita", Timestamp::from_unix(0))
        .unwrap();
    let new_text = "All flights to North and South America resumed on Monday, officials said.";
    let r = run(&d, new_text);
    let t1 = span(&r.doc, "T1");
    assert_eq!(r.report.spans[0].outcome, Outcome::Moved);
    let pieces: Vec<&str> = t1
        .fragments
        .iter()
        .map(|f| &new_text[f.as_range()])
        .collect();
    assert_eq!(pieces, ["North", "America"]);
    // The second fragment deleted: the whole span is orphaned, fragments kept.
    let r = run(
        &d,
        "Flights to North and South resumed on Monday, officials said. The end.",
    );
    assert_eq!(r.report.spans[0].outcome, Outcome::Orphaned);
    assert!(
        r.report.spans[0]
            .reason
            .as_deref()
            .unwrap()
            .starts_with("fragment 2")
    );
    assert_eq!(r.doc.orphans.spans[0].span.fragments.len(), 2);
}

#[test]
fn orphans_come_back_when_their_text_does() {
    let mut d = doc(
        "Intro. [Lavrov]{actor} [said]{action} it on Monday in Moscow. Outro text follows here.",
    );
    let rel = Relation {
        id: SpanId::new("r1").unwrap(),
        kind: label("agent"),
        from: SpanId::new("s2").unwrap(),
        to: SpanId::new("s1").unwrap(),
        author: "rita".into(),
        created: Timestamp::from_unix(0),
        status: crate::model::Status::Pending,
        note: None,
        attrs: BTreeMap::new(),
    };
    d.apply(&Edit::AddRelation(rel), "rita", Timestamp::from_unix(0))
        .unwrap();
    let cut = run(&d, "Intro. Outro text follows here.");
    assert_eq!(cut.report.count(Outcome::Orphaned), 2);
    assert_eq!(cut.report.relations_orphaned, [SpanId::new("r1").unwrap()]);
    assert_eq!(cut.doc.orphans.relations.len(), 1);
    assert_eq!(cut.doc.set().relations().count(), 0);
    // The next version brings the passage back, moved: spans and relation are restored.
    let back = run(
        &cut.doc,
        "Intro, longer now. Lavrov said it on Monday in Moscow. Outro text follows here.",
    );
    assert_eq!(back.report.count(Outcome::Moved), 2, "{:?}", back.report);
    assert!(back.report.spans.iter().all(|s| s.was_orphan));
    assert!(back.doc.orphans.is_empty());
    assert_eq!(back.report.relations_restored, [SpanId::new("r1").unwrap()]);
    assert_eq!(back.doc.set().relations().count(), 1);
    assert_eq!(back.doc.set().span_text(span(&back.doc, "s1")), "Lavrov");
    // A version without it leaves the orphans as they were (not logged a second time).
    let again = run(&cut.doc, "Something else entirely, nothing of the sort.");
    assert_eq!(again.doc.orphans, cut.doc.orphans);
    let logged = again
        .doc
        .audit()
        .iter()
        .filter(|e| {
            e.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("orphaned"))
        })
        .count();
    assert_eq!(logged, 3, "two spans and a relation, logged once");
}

#[test]
fn spans_that_land_on_the_same_range_and_label_are_not_merged() {
    // Two "Lavrov" actor spans whose sentences became one.
    let d = doc("He met [Lavrov]{actor} first. Then he met [Lavrov]{actor} again.");
    let r = run(&d, "He met Lavrov.");
    assert_eq!(
        r.doc.set().len() + r.doc.orphans.spans.len(),
        2,
        "{:?}",
        r.report
    );
}

#[test]
fn the_document_takes_the_new_article() {
    let d = doc("[Lavrov]{actor} said.");
    let mut a = article("Mr Lavrov said.");
    a.encoding = "windows-1252".into();
    a.source_sha256 = "ab".repeat(32);
    let r = reanchor(&d, &a, "bot", Timestamp::from_unix(AT));
    assert_eq!(r.doc.text().as_str(), "Mr Lavrov said.");
    assert_eq!(r.doc.source.encoding, "windows-1252");
    assert_eq!(
        r.doc.source.sha256.as_deref(),
        Some("ab".repeat(32).as_str())
    );
    assert_eq!(r.doc.source.name, "news.txt");
    let last = r.doc.audit().last().unwrap();
    assert_eq!(last.action, AuditAction::Document);
    assert!(
        last.detail
            .as_deref()
            .unwrap()
            .contains("0 unchanged, 1 moved, 0 fuzzy, 0 orphaned")
    );
}

#[test]
fn quote_finder_finds_w3c_selectors() {
    let text = Text::new("The cat sat. The cat ran. The dog sat.".to_string());
    let finder = QuoteFinder::new(&text);
    let (range, how) = finder.find("cat", "The ", " ran", None).unwrap();
    assert_eq!((range, how), (CharRange::new(17, 20).unwrap(), How::Exact));
    assert!(finder.find("horse", "", "", None).is_err());
}

fn words() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "Lavrov",
        "said",
        "NATO",
        "on",
        "Monday",
        "the",
        "mission",
        "👍🏽",
        "Москва",
        "e\u{301}",
        "北京",
        "\r\n",
        "\n",
        "—",
        "alliance",
    ]);
    prop::collection::vec(word, 1..40).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Text inserted anywhere outside the spans: every span found keeps its text (moved or
    /// unchanged), those away from the insertion are all found, and the result saves and loads.
    #[test]
    fn insertions_outside_spans_keep_every_span(
        body in words(),
        picks in prop::collection::vec((0usize..1000, 1usize..6), 1..5),
        insert in words(),
        at in 0usize..1000,
    ) {
        let text = Text::new(body.clone());
        let mut d = Document::new(Source::default(), text.clone(), "p", Schema::default());
        let words: Vec<(usize, usize)> = {
            let mut out = Vec::new();
            let mut pos = 0;
            for w in body.split(' ') {
                let n = w.chars().count();
                if !w.trim().is_empty() {
                    out.push((pos, pos + n));
                }
                pos += n + 1;
            }
            out
        };
        prop_assume!(!words.is_empty());
        for (pick, len) in picks {
            let first = pick % words.len();
            let last = (first + len - 1).min(words.len() - 1);
            let range = CharRange::new(words[first].0, words[last].1).unwrap();
            let id = d.set().next_id();
            let s = Span::new(id, label("claim"), range, "p", Timestamp::from_unix(0));
            let _ = d.apply(&Edit::add(s), "p", Timestamp::from_unix(0));
        }
        // Insert at a word boundary outside every span.
        let cut = at % (body.chars().count() + 1);
        let outside = d.set().spans().all(|s| cut <= s.range.start().0 || cut >= s.range.end().0);
        prop_assume!(outside && text.is_grapheme_boundary(CharOffset(cut)));
        let byte = text.byte_of(CharOffset(cut)).unwrap();
        let new_text = format!("{} XYZZY {insert} XYZZY {}", &body[..byte], &body[byte..]);
        let r = run(&d, &new_text);
        for s in &r.report.spans {
            // Right next to the insertion a short quote loses its context and may be orphaned
            // (never put elsewhere); further away every span must be found.
            let far = s.before.start().0 >= cut + 40 || s.before.end().0 + 40 <= cut;
            if far || s.outcome != Outcome::Orphaned {
                prop_assert!(matches!(s.outcome, Outcome::Unchanged | Outcome::Moved), "{s:?}");
                prop_assert_eq!(s.text.as_deref(), Some(s.quote.as_str()));
            }
        }
    }

    /// Any text at all: re-anchoring never panics and the result is a valid document.
    #[test]
    fn any_new_text_gives_a_valid_document(body in words(), new_body in words()) {
        let d = {
            let text = Text::new(body.clone());
            let mut d = Document::new(Source::default(), text.clone(), "p", Schema::default());
            let n = text.len_chars();
            for (i, start) in (0..n).step_by(7).enumerate() {
                let end = (start + 5).min(n);
                let (s, e) = (text.grapheme_floor(CharOffset(start)), text.grapheme_ceil(CharOffset(end)));
                if s < e {
                    let span = Span::new(SpanId::numbered(i as u64 + 1), label("claim"), CharRange::between(s, e), "p", Timestamp::from_unix(0));
                    let _ = d.apply(&Edit::add(span), "p", Timestamp::from_unix(0));
                }
            }
            d
        };
        let r = run(&d, &new_body);
        prop_assert_eq!(r.report.spans.len(), d.set().len());
        prop_assert_eq!(r.doc.set().len() + r.doc.orphans.spans.len(), d.set().len());
    }
}

#[test]
fn orphans_in_the_file_are_checked_on_load() {
    let d = doc(
        "Intro. [Lavrov]{actor} spoke. Then [NATO]{actor} answered the questions of the press.",
    );
    let r = run(&d, "Intro. Then NATO answered the questions of the press.");
    assert_eq!(r.doc.orphans.spans.len(), 1);
    let good: serde_json::Value = serde_json::from_slice(&native::to_bytes(&r.doc)).unwrap();
    let path = std::path::Path::new("x.spanmark.json");
    let load = |v: &serde_json::Value| native::from_bytes(path, &serde_json::to_vec(v).unwrap());
    // Loaded back, the orphan's id stays taken.
    let loaded = load(&good).unwrap();
    assert_eq!(loaded.doc.set().next_id(), SpanId::numbered(3));
    let problems = |v: serde_json::Value| -> String {
        load(&v)
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.message.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut twice = good.clone();
    twice["orphans"]["spans"][0]["id"] = serde_json::json!("s2");
    assert!(problems(twice).contains("orphaned span s2: id s2 is used twice"));
    let mut short = good.clone();
    short["orphans"]["spans"][0]["text"] = serde_json::json!("Lav");
    assert!(problems(short).contains("\"text\" has 3 characters but 7..13 spans 6"));
    let mut reversed = good.clone();
    reversed["orphans"]["spans"][0]["start"] = serde_json::json!(20);
    assert!(problems(reversed).contains("reversed"));
    let mut relation = good.clone();
    relation["orphans"]["relations"] = serde_json::json!([{
        "id": "r1", "kind": "agent", "from": "s2", "to": "s9", "author": "a", "created": "2026-01-01T00:00:00Z"
    }]);
    assert!(problems(relation.clone()).contains("orphaned relation r1: it links span s9"));
    relation["orphans"]["relations"][0]["to"] = serde_json::json!("s2");
    assert!(problems(relation.clone()).contains("belongs in \"relations\""));
    relation["orphans"]["relations"][0]["to"] = serde_json::json!("s1");
    assert!(
        load(&relation).is_ok(),
        "a relation to an orphan is kept with it"
    );
}
