use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::formats::ImportOptions;
use crate::model::marked::{label, marked};
use crate::model::{
    CharRange, Document, Edit, Relation, Schema, Source, Span, SpanId, Text, Timestamp,
};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn options() -> ImportOptions {
    ImportOptions {
        annotator: "imp".into(),
        at: Timestamp::from_unix(7),
        ..Default::default()
    }
}

fn fixture(path: &str) -> PathBuf {
    Path::new(FIXTURES).join(path)
}

/// The CoNLL fixtures that should read without a single problem.
const CLEAN: [&str; 10] = [
    "conll/chakki-works__seqeval/tests/data/ground_truth.txt",
    "conll/flairNLP__flair/tests/resources/tasks/fashion/eng.testa",
    "conll/leondz__emerging_entities_17/emerging.dev.conll",
    "conll/doccano__doccano/backend/data_import/tests/data/sequence_labeling/example.conll",
    "conll/doccano__doccano/backend/data_import/tests/data/sequence_labeling/labeling.trailing.conll",
    "conll/doccano__doccano-transformer/tests/data/labeling/labeling.conll2003.user1",
    "conll/doccano__doccano-transformer/tests/data/labeling/labeling.conll2003.user2",
    "conll/doccano__doccano-transformer/tests/data/labeling/labeling_text_label.conll2003.user0",
    "wnut2020-wlp/jeniyat__WNUT_2020_NER/data/dev_data/Conll_Format/protocol_0_conll.txt",
    "wnut2020-wlp/jeniyat__WNUT_2020_NER/data/dev_data/Conll_Format/protocol_557_conll.txt",
];

/// Entities in a CoNLL file, counted on their own terms: a B-, S- or U- tag starts one, and so
/// does an I-/E-/L- tag unless the token before (in the same sentence) had the same type.
fn count_entities(content: &str) -> usize {
    let mut count = 0;
    let mut prev_type: Option<String> = None;
    for line in content.lines() {
        let fields: Vec<&str> = line.split(['\t', ' ']).filter(|f| !f.is_empty()).collect();
        if fields.is_empty() || fields[0] == "-DOCSTART-" {
            prev_type = None;
            continue;
        }
        let tag = fields[fields.len() - 1];
        match tag.split_once('-') {
            Some((p, t)) if ["B", "S", "U"].contains(&p) => {
                count += 1;
                prev_type = (p == "B").then(|| t.to_string());
            }
            Some((p, t)) if ["I", "E", "L"].contains(&p) => {
                if prev_type.as_deref() != Some(t) {
                    count += 1;
                }
                prev_type = (p == "I").then(|| t.to_string());
            }
            _ => prev_type = None,
        }
    }
    count
}

#[test]
fn every_fixture_imports_with_no_entity_lost() {
    for path in CLEAN {
        let path = fixture(path);
        let content = std::fs::read_to_string(&path).unwrap();
        let report = import(&path, &options());
        assert!(report.problems.is_empty(), "{report:?}");
        let mut spans = 0;
        for d in &report.documents {
            assert!(
                d.problems.is_empty(),
                "{}: {:?}",
                path.display(),
                d.problems
            );
            spans += d.doc.set().len();
            assert!(d.doc.set().spans().all(|s| d.doc.schema.contains(&s.label)));
        }
        assert_eq!(spans, count_entities(&content), "{}", path.display());
        assert!(spans > 0, "{}", path.display());
    }
}

#[test]
fn documents_text_and_names() {
    let report = import(
        &fixture(
            "conll/doccano__doccano-transformer/tests/data/labeling/labeling_text_label.conll2003.user0",
        ),
        &options(),
    );
    let names: Vec<_> = report
        .documents
        .iter()
        .map(|d| d.doc.source.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "labeling_text_label.conll2003-1.txt",
            "labeling_text_label.conll2003-2.txt"
        ]
    );
    let doc = &report.documents[1].doc;
    assert_eq!(
        doc.text().as_str(),
        "RUGBY UNION - CUTTITTA BACK FOR ITALY AFTER A YEAR .\nROME 1996-12-06\nItaly recalled Marcello Cuttitta"
    );
    let spans: Vec<_> = doc
        .set()
        .spans()
        .map(|s| (s.label.as_str(), doc.set().span_text(s)))
        .collect();
    assert_eq!(
        spans,
        [
            ("ORG", "RUGBY UNION"),
            ("PER", "CUTTITTA"),
            ("LOC", "ITALY"),
            ("LOC", "ROME"),
            ("LOC", "Italy"),
            ("PER", "Marcello Cuttitta")
        ]
    );
    // One file without -DOCSTART-: one document named after the file.
    let report = import(
        &fixture(
            "conll/doccano__doccano/backend/data_import/tests/data/sequence_labeling/example.conll",
        ),
        &options(),
    );
    assert_eq!(report.documents.len(), 1);
    assert_eq!(report.documents[0].doc.source.name, "example.txt");
    assert_eq!(
        report.documents[0].doc.text().as_str(),
        "JAPAN GET\nNadim Ladki"
    );
}

/// IOB1 → IOB2: an I- that starts an entity becomes B-.
fn to_iob2(content: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<String> = None;
    for line in content.lines() {
        let mut fields: Vec<String> = line.split(' ').map(str::to_string).collect();
        let last = fields.len() - 1;
        if line.is_empty() || fields[0] == "-DOCSTART-" {
            prev = None;
        } else if let Some(t) = fields[last].strip_prefix("I-").map(str::to_string) {
            if prev.as_deref() != Some(t.as_str()) {
                fields[last] = format!("B-{t}");
            }
            prev = Some(t);
        } else {
            prev = fields[last].strip_prefix("B-").map(str::to_string);
        }
        out.push_str(&fields.join(" "));
        out.push('\n');
    }
    out
}

#[test]
fn iob1_and_iob2_read_to_the_same_spans() {
    // seqeval's file is IOB1 in its last column: "Rockwell NNP B-NP I-NP".
    let iob1 = std::fs::read_to_string(fixture(
        "conll/chakki-works__seqeval/tests/data/ground_truth.txt",
    ))
    .unwrap();
    let iob2 = to_iob2(&iob1);
    assert_ne!(iob1, iob2, "the fixture has IOB1 tags");
    let read = |content: &str| {
        let report = import_str(content, "gt", "gt", &options());
        assert!(report.documents[0].problems.is_empty());
        let doc = &report.documents[0].doc;
        doc.set()
            .spans()
            .map(|s| (s.label.to_string(), s.range))
            .collect::<Vec<_>>()
    };
    let (a, b) = (read(&iob1), read(&iob2));
    assert_eq!(a, b);
    assert!(a.len() > 100);
}

#[test]
fn iob1_rules_iobes_and_bad_tags() {
    let content = "A\tI-X\nB\tI-X\nC\tB-X\nD\tI-Y\nE\tO\nF\tI-X\n\nG\tI-X\n\
                   H\tS-Z\nI\tB-Z\nJ\tE-Z\nK\tfoo\nL\nM N\tB-Q\n";
    let report = import_str(content, "f.conll", "f", &options());
    let d = &report.documents[0];
    assert_eq!(d.doc.text().as_str(), "A B C D E F\nG H I J K L M N");
    let spans: Vec<_> = d
        .doc
        .set()
        .spans()
        .map(|s| (s.label.as_str(), d.doc.set().span_text(s)))
        .collect();
    assert_eq!(
        spans,
        [
            ("X", "A B"),
            ("X", "C"),
            ("Y", "D"),
            ("X", "F"),
            ("X", "G"),
            ("Z", "H"),
            ("Z", "I J"),
            ("Q", "M N")
        ]
    );
    assert_eq!(
        d.problems,
        [
            "f.conll:12: tag \"foo\" is not O, B-…, I-…, E-… or S-…; the token \"K\" is read as O",
            "f.conll:13: no tag column after the token \"L\"; read as O"
        ]
    );
}

#[test]
fn doccano_invalid_file_is_reported_line_by_line() {
    let report = import(
        &fixture(
            "conll/doccano__doccano/backend/data_import/tests/data/sequence_labeling/labeling.invalid.conll",
        ),
        &options(),
    );
    let d = &report.documents[0];
    assert_eq!(d.problems.len(), 1, "{:?}", d.problems);
    assert!(d.problems[0].contains("labeling.invalid.conll:1: tag \"SOCCERO\""));
    assert_eq!(d.doc.set().len(), 5);
}

#[test]
fn tokenisation() {
    let text =
        "Mr Lavrov's team, NATO-led. $1,000 (3.5%) U.S. 12:30\r\n👨🏻‍🚒 東京 e\u{301}té\u{a0}ok\tend";
    let t = Text::new(text.to_string());
    let tokens: Vec<String> = tokenize(text)
        .into_iter()
        .map(|(s, e)| t.slice(CharRange::new(s, e).unwrap()).unwrap().to_string())
        .collect();
    let expected = [
        "Mr",
        "Lavrov",
        "'s",
        "team",
        ",",
        "NATO",
        "-",
        "led",
        ".",
        "$",
        "1,000",
        "(",
        "3.5",
        "%",
        ")",
        "U.S",
        ".",
        "12",
        ":",
        "30",
        "👨🏻‍🚒",
        "東",
        "京",
        "e\u{301}té",
        "ok",
        "end",
    ];
    assert_eq!(tokens, expected);
    assert!(tokenize("").is_empty());
    assert!(tokenize(" \r\n\t\u{a0}").is_empty());
    // Offsets count scalars: "b" after the astral emoji is at 2.
    assert_eq!(tokenize("👍 b"), [(0, 1), (2, 3)]);
}

fn doc_with(markup: &str) -> Document {
    let (text, spans) = marked(markup);
    let mut doc = Document::new(
        Source {
            name: "d.txt".into(),
            ..Default::default()
        },
        Text::new(text),
        "a",
        Schema::default(),
    );
    for s in spans {
        doc.apply(&Edit::add(s), "a", Timestamp::from_unix(0))
            .unwrap();
    }
    doc
}

fn export_string(docs: &[&Document]) -> (String, crate::formats::Loss, Vec<String>) {
    let mut out = Vec::new();
    let (loss, problems) = export(docs, &mut out).unwrap();
    let problems = problems.iter().map(ToString::to_string).collect();
    (String::from_utf8(out).unwrap(), loss, problems)
}

#[test]
fn writes_iob2_with_sentences() {
    let doc = doc_with(
        "[Mr. Lavrov]{actor} [said]{action} on [Monday]{date}. [NATO]{actor} [[New York]{place} office]{actor} agreed.\nNext line",
    );
    let (out, loss, problems) = export_string(&[&doc]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        out,
        "-DOCSTART-\tO\n\n\
         Mr\tB-actor\n.\tI-actor\nLavrov\tI-actor\nsaid\tB-action\non\tO\nMonday\tB-date\n.\tO\n\n\
         NATO\tB-actor\nNew\tB-actor\nYork\tI-actor\noffice\tI-actor\nagreed\tO\n.\tO\n\n\
         Next\tO\nline\tO\n\n"
    );
    // "New York" inside "New York office" is nested: the outer span is written.
    assert_eq!(
        loss.counts
            .get("overlapping or nested spans (the outer, first one is written)"),
        Some(&1)
    );
    // Strict IOB2: every entity starts with B-, and I- only follows the same type.
    let mut prev = "O".to_string();
    for line in out.lines().filter(|l| !l.is_empty()) {
        let tag = line.rsplit('\t').next().unwrap();
        if let Some(t) = tag.strip_prefix("I-") {
            assert!(
                prev == format!("B-{t}") || prev == format!("I-{t}"),
                "{line}"
            );
        }
        prev = tag.to_string();
    }
}

#[test]
fn a_span_starting_before_the_first_token_is_reported() {
    // Leading spaces: the span starts before every token (the search for the token it cuts
    // must not step below the first).
    let doc = doc_with("[  La]{actor}vrov said");
    let (_, loss, problems) = export_string(&[&doc]);
    assert_eq!(
        problems,
        [
            "d.txt: span s1 (actor 0..4 \"  La\") is not on token boundaries: it ends inside the token \"Lavrov\" (2..8); not written"
        ]
    );
    assert_eq!(loss.counts.get("spans not on token boundaries"), Some(&1));
}

#[test]
fn spans_off_token_boundaries_are_reported_not_moved() {
    let doc = doc_with("[Lavrov]{actor}'s [tea]{claim}m, [NATO-]{actor}led [ ]{date}x [ok]{date}");
    let (out, loss, problems) = export_string(&[&doc]);
    assert_eq!(
        problems,
        [
            "d.txt: span s2 (claim 9..12 \"tea\") is not on token boundaries: it ends inside the token \"team\" (9..13); not written",
            "d.txt: span s4 (date 24..25 \" \") is not on token boundaries: it holds no whole token; not written",
        ]
    );
    assert_eq!(loss.counts.get("spans not on token boundaries"), Some(&2));
    // NATO- is NATO + "-": on boundaries, written; the rest is O.
    assert!(out.contains("NATO\tB-actor\n-\tI-actor\nled\tO\n"), "{out}");
    // The possessive is a token of its own, so "Lavrov" alone is on token boundaries.
    assert!(out.contains("Lavrov\tB-actor\n's\tO\n"), "{out}");
    assert!(out.contains("ok\tB-date\n"), "{out}");
}

#[test]
fn loss_names_what_conll_cannot_hold() {
    let at = Timestamp::from_unix(0);
    let id = |s: &str| SpanId::new(s).unwrap();
    let mut doc = doc_with("[Lavrov]{actor} [said]{action} on [Monday]{date} x");
    let set = doc.set().clone();
    let note = Edit::set_note(&set, &id("s1"), Some("n".into()), at).unwrap();
    doc.apply(&note, "a", at).unwrap();
    let set = doc.set().clone();
    let iso = Edit::set_attr(&set, &id("s3"), "iso", Some("2021-10-18".into()), at).unwrap();
    doc.apply(&iso, "a", at).unwrap();
    doc.apply(
        &Edit::AddRelation(Relation {
            id: id("r1"),
            kind: label("agent"),
            from: id("s2"),
            to: id("s1"),
            author: "a".into(),
            created: at,
            status: crate::model::Status::Pending,
            note: None,
            attrs: Default::default(),
        }),
        "a",
        at,
    )
    .unwrap();
    let mut pieces = Span::new(
        id("d1"),
        label("claim"),
        CharRange::new(0, 21).unwrap(),
        "a",
        at,
    );
    pieces.fragments = vec![
        CharRange::new(0, 6).unwrap(),
        CharRange::new(15, 21).unwrap(),
    ];
    doc.apply(&Edit::add(pieces), "a", at).unwrap();
    let (_, loss, problems) = export_string(&[&doc]);
    assert!(problems.is_empty());
    let counts: Vec<_> = loss.counts.into_iter().collect();
    assert_eq!(
        counts,
        [
            ("attributes", 1),
            ("discontinuous spans", 1),
            ("notes", 1),
            ("relations", 1)
        ]
    );
}

#[test]
fn export_then_import_gives_the_spans_back_on_the_fixtures() {
    for path in CLEAN {
        let report = import(&fixture(path), &options());
        let docs: Vec<&Document> = report.documents.iter().map(|d| &d.doc).collect();
        let (out, loss, problems) = export_string(&docs);
        assert!(problems.is_empty(), "{path}: {problems:?}");
        assert!(loss.is_empty(), "{path}: {loss:?}");
        let again = import_str(&out, "again", "again", &options());
        assert_eq!(again.documents.len(), docs.len(), "{path}");
        for (a, b) in again.documents.iter().zip(&docs) {
            assert!(a.problems.is_empty(), "{path}: {:?}", a.problems);
            let texts = |d: &Document| {
                d.set()
                    .spans()
                    .map(|s| {
                        (
                            s.label.to_string(),
                            d.set()
                                .span_text(s)
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" "),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            // The text is re-tokenised (U.S. → U.S .), so compare words, not characters.
            let squash = |v: Vec<(String, String)>| -> Vec<(String, String)> {
                v.into_iter()
                    .map(|(l, t)| (l, t.replace(' ', "")))
                    .collect()
            };
            assert_eq!(squash(texts(&a.doc)), squash(texts(b)), "{path}");
        }
    }
}

/// Random texts with what breaks other tools, and random non-overlapping spans on token
/// boundaries (as token index pairs).
fn text_and_token_spans() -> impl Strategy<Value = (String, Vec<(usize, usize, usize)>)> {
    let pieces = prop::collection::vec(
        prop::sample::select(vec![
            "Lavrov",
            "said",
            " ",
            "  ",
            "\t",
            "\r\n",
            "\n",
            "\u{a0}",
            "👍",
            "👨‍👩‍👧",
            "🇫🇷",
            "e\u{301}",
            "東京",
            "مرحبا",
            "𝕏",
            ".",
            ",",
            "-",
            "'",
            "NATO",
            "3.5",
            " Mr. ",
            "! ",
            "?\n",
        ]),
        1..40,
    );
    pieces.prop_flat_map(|pieces| {
        let text: String = pieces.concat();
        let n = tokenize(&text).len();
        let spans = prop::collection::vec((0..n.max(1), 1..4usize, 0..3usize), 0..8);
        (Just(text), spans)
    })
}

proptest! {
    #[test]
    fn conll_round_trip_keeps_spans_on_tokens((text, raw) in text_and_token_spans()) {
        let tokens = tokenize(&text);
        prop_assume!(!tokens.is_empty());
        let mut doc = Document::new(Source::default(), Text::new(text.clone()), "a", Schema::default());
        let at = Timestamp::from_unix(0);
        let labels = ["actor", "date", "B-X"];
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for (i, (first, len, l)) in raw.into_iter().enumerate() {
            let end = (first + len).min(tokens.len());
            if taken.iter().any(|&(a, b)| first < b && a < end) {
                continue;
            }
            let range = CharRange::new(tokens[first].0, tokens[end - 1].1).unwrap();
            let span = Span::new(SpanId::numbered(i as u64 + 1), label(labels[l]), range, "a", at);
            if doc.apply(&Edit::add(span), "a", at).is_ok() {
                taken.push((first, end));
            }
        }
        let (out, loss, problems) = export_string(&[&doc]);
        prop_assert!(problems.is_empty(), "{:?}", problems);
        prop_assert!(loss.is_empty(), "{:?}", loss);
        let again = import_str(&out, "p", "p", &options());
        prop_assert_eq!(again.documents.len(), 1);
        let d = &again.documents[0];
        prop_assert!(d.problems.is_empty(), "{:?}", d.problems);
        // Token index of each char offset in the rebuilt text (tokens never hold whitespace).
        let rebuilt: Vec<char> = d.doc.text().as_str().chars().collect();
        let mut token_at = vec![usize::MAX; rebuilt.len() + 1];
        let mut k = 0;
        for (i, c) in rebuilt.iter().enumerate() {
            if *c == ' ' || *c == '\n' {
                k += 1;
            } else {
                token_at[i] = k;
            }
        }
        let got: Vec<(String, usize, usize)> = d.doc.set().spans()
            .map(|s| (s.label.to_string(), token_at[s.range.start().0], token_at[s.range.end().0 - 1] + 1))
            .collect();
        let mut want: Vec<(String, usize, usize)> = doc.set().spans()
            .map(|s| {
                let first = tokens.iter().position(|t| t.0 == s.range.start().0).unwrap();
                let end = tokens.iter().position(|t| t.1 == s.range.end().0).unwrap() + 1;
                (s.label.to_string(), first, end)
            })
            .collect();
        want.sort_by_key(|(l, a, b)| (*a, *b, l.clone()));
        let mut got = got;
        got.sort_by_key(|(l, a, b)| (*a, *b, l.clone()));
        prop_assert_eq!(got, want);
        prop_assert_eq!(d.doc.text().as_str().split([' ', '\n']).count(), tokens.len());
    }
}

/// A CoNLL file as documents of sentences of `(token, middle columns, tag)`, tags in IOB2 (an
/// `I-` that starts an entity read as `B-`), and each document's `-DOCSTART-` middle columns.
type Layout = Vec<(Option<Vec<String>>, Vec<Vec<(String, Vec<String>, String)>>)>;

fn layout_of(content: &str) -> Layout {
    let mut docs: Layout = vec![(None, Vec::new())];
    let mut sentence: Vec<(String, Vec<String>, String)> = Vec::new();
    let mut prev: Option<String> = None;
    for line in content.lines() {
        let fields: Vec<&str> = if line.contains('\t') {
            line.split('\t').filter(|f| !f.is_empty()).collect()
        } else {
            line.split(' ').filter(|f| !f.is_empty()).collect()
        };
        let doc = docs.last_mut().unwrap();
        if fields.is_empty() || fields[0] == "-DOCSTART-" {
            if !sentence.is_empty() {
                doc.1.push(std::mem::take(&mut sentence));
            }
            prev = None;
            if let Some((_, rest)) = fields.split_first() {
                let middle = rest[..rest.len() - 1].iter().map(|c| c.to_string());
                docs.push((Some(middle.collect()), Vec::new()));
            }
            continue;
        }
        let last = fields.len() - 1;
        let mut tag = fields[last].to_string();
        if let Some(t) = tag.strip_prefix("I-").map(str::to_string) {
            if prev.as_deref() != Some(t.as_str()) {
                tag = format!("B-{t}");
            }
            prev = Some(t);
        } else {
            prev = tag.strip_prefix("B-").map(str::to_string);
        }
        let middle = fields[1..last].iter().map(|c| c.to_string()).collect();
        sentence.push((fields[0].to_string(), middle, tag));
    }
    if !sentence.is_empty() {
        docs.last_mut().unwrap().1.push(sentence);
    }
    docs.retain(|(_, sentences)| !sentences.is_empty());
    docs
}

#[test]
fn a_round_trip_keeps_every_token_tag_column_and_sentence_break() {
    for path in CLEAN {
        let content = std::fs::read_to_string(fixture(path)).unwrap();
        let report = import(&fixture(path), &options());
        // Through the native file, as a user's work would go.
        let docs: Vec<Document> = report
            .documents
            .iter()
            .map(|d| {
                let bytes = crate::store::native::to_bytes(&d.doc);
                let loaded = crate::store::native::from_bytes(Path::new("a.json"), &bytes);
                loaded.unwrap().doc
            })
            .collect();
        let refs: Vec<&Document> = docs.iter().collect();
        let (out, loss, problems) = export_string(&refs);
        assert!(problems.is_empty(), "{path}: {problems:?}");
        assert!(loss.is_empty(), "{path}: {loss:?}");
        let (source, written) = (layout_of(&content), layout_of(&out));
        assert_eq!(source.len(), written.len(), "{path}");
        for ((start_a, a), (start_b, b)) in source.iter().zip(&written) {
            assert_eq!(a, b, "{path}");
            if start_a.is_some() {
                assert_eq!(start_a, start_b, "{path}");
            }
        }
    }
}

#[test]
fn hyphenated_tokens_are_not_split_on_export() {
    let wnut = "conll/leondz__emerging_entities_17/emerging.dev.conll";
    let conll2003 = "conll/doccano__doccano-transformer/tests/data/labeling/labeling_text_label.conll2003.user0";
    for (path, token, line) in [
        (wnut, "spider-man", "spider-man\tB-person"),
        (conll2003, "AL-AIN", "AL-AIN\t_\t_\tB-LOC"),
    ] {
        let report = import(&fixture(path), &options());
        let docs: Vec<&Document> = report.documents.iter().map(|d| &d.doc).collect();
        let (out, _, _) = export_string(&docs);
        assert!(out.lines().any(|l| l == line), "{path}: {token}");
    }
}

#[test]
fn a_span_that_cuts_an_imported_token_splits_it_and_is_reported() {
    let report = import_str(
        "spider-man\tB-person\nswung\tO\n",
        "in.conll",
        "in",
        &options(),
    );
    let mut doc = report.documents[0].doc.clone();
    let span = Span::new(
        SpanId::numbered(9),
        label("hero"),
        CharRange::new(0, 6).unwrap(),
        "ann",
        Timestamp::from_unix(8),
    );
    doc.apply(&Edit::add(span), "ann", Timestamp::from_unix(8))
        .unwrap();
    let (out, loss, problems) = export_string(&[&doc]);
    // The outer, first span (spider-man) is written; spider is counted as nested.
    assert_eq!(
        out,
        "-DOCSTART-\tO\n\nspider\tB-person\n-man\tI-person\nswung\tO\n\n"
    );
    assert_eq!(
        loss.counts.get("imported tokens split at a span's edge"),
        Some(&1)
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("in.txt") && problems[0].contains("s9"),
        "{problems:?}"
    );
    assert!(
        problems[0].contains("\"spider-man\" (0..10) at 6"),
        "{problems:?}"
    );
}

#[test]
fn tokens_that_no_longer_fit_the_text_are_reported_and_cut_again() {
    let report = import_str("AL-AIN\tB-LOC\n", "in.conll", "in", &options());
    let mut doc = report.documents[0].doc.clone();
    let record = doc.meta.get_mut(crate::formats::tokens::KEY).unwrap();
    record["text_sha256"] = "0".repeat(64).into();
    let (out, loss, problems) = export_string(&[&doc]);
    assert!(out.contains("AL\tB-LOC\n-\tI-LOC\nAIN\tI-LOC\n"), "{out}");
    assert_eq!(
        loss.counts.get("imported tokens not used (cut again)"),
        Some(&1)
    );
    assert!(problems[0].contains("in.txt"), "{problems:?}");
}

/// The tokenisation as it was written before its quick way (every run through the library's
/// word boundaries): what [`tokenize`] must keep giving.
fn tokenize_by_the_library(text: &str) -> Vec<(usize, usize)> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut tokens = Vec::new();
    let mut pos = 0;
    let mut in_run = false;
    for (byte, c) in text.char_indices() {
        if c.is_whitespace() {
            in_run = false;
            pos += 1;
            continue;
        }
        if in_run {
            continue;
        }
        in_run = true;
        let run = text[byte..].split(char::is_whitespace).next().unwrap_or("");
        let mut at = pos;
        for piece in run
            .split_word_bounds()
            .flat_map(crate::model::words::pieces)
        {
            let n = piece.chars().count();
            tokens.push((at, at + n));
            at += n;
        }
        pos = at;
    }
    tokens
}

/// Text of words, numbers, possessives and punctuation in several scripts.
fn varied_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "Lavrov",
            "'s",
            "’s",
            "'S",
            "s'",
            "NATO-led",
            "U.S.",
            "3.5",
            "1,000",
            "12:30",
            "don't",
            "naïve",
            "Dvořák",
            "Брюссель",
            "ЁЖ",
            "東京",
            "e\u{301}",
            "👨\u{200d}👩\u{200d}👧",
            "🇺🇦",
            "👍🏽",
            "מ\"ל",
            "カタカナ",
            "a_b",
            "_",
            ".",
            ",",
            ";",
            ":",
            "'",
            "\"",
            "(",
            ")",
            "$",
            "%",
            "—",
            "…",
            "!",
            "?",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\u{a0}",
            "\u{2029}",
            "x",
            "7",
        ]),
        0..40,
    )
    .prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn tokens_are_those_of_the_library_s_word_boundaries(text in varied_text()) {
        prop_assert_eq!(tokenize(&text), tokenize_by_the_library(&text), "{:?}", text);
    }

    #[test]
    fn any_text_is_cut_as_the_library_cuts_it(text in ".{0,60}") {
        prop_assert_eq!(tokenize(&text), tokenize_by_the_library(&text), "{:?}", text);
    }

    #[test]
    fn each_token_s_bytes_hold_its_characters(text in varied_text()) {
        let (tokens, bytes) = tokenize_with_bytes(&text);
        prop_assert_eq!(&tokens, &tokenize(&text));
        prop_assert_eq!(tokens.len(), bytes.len());
        for (&(s, e), &(from, to)) in tokens.iter().zip(&bytes) {
            let by_chars: String = text.chars().skip(s).take(e - s).collect();
            prop_assert_eq!(&text[from..to], by_chars.as_str());
        }
    }
}
