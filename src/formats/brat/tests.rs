use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::formats::{ImportOptions, Loss, OffsetUnit};
use crate::model::marked::label;
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

/// Every `.ann` under the brat fixture folders.
fn fixture_anns() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "ann") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for dir in ["brat", "dkpro-brat", "wnut2020-wlp"] {
        walk(&Path::new(FIXTURES).join(dir), &mut out);
    }
    assert!(out.len() >= 18, "fixtures missing: {out:?}");
    out
}

fn import_ok(path: &Path) -> Document {
    let report = import(path, &options());
    assert!(report.problems.is_empty(), "{report:?}");
    assert_eq!(report.documents.len(), 1);
    let imported = report.documents.into_iter().next().unwrap();
    assert!(
        imported.problems.is_empty(),
        "{}: {:#?}",
        path.display(),
        imported.problems
    );
    imported.doc
}

/// What a round trip must keep: every span and relation with everything brat can hold.
type SpanView = (
    String,
    String,
    CharRange,
    Vec<CharRange>,
    Option<String>,
    BTreeMap<String, String>,
);
type RelationView = (
    String,
    String,
    String,
    String,
    Option<String>,
    BTreeMap<String, String>,
);

fn view(doc: &Document) -> (Vec<SpanView>, Vec<RelationView>) {
    let spans = doc
        .set()
        .spans()
        .map(|s| {
            (
                s.id.to_string(),
                s.label.to_string(),
                s.range,
                s.fragments.clone(),
                s.note.clone(),
                s.attrs.clone(),
            )
        })
        .collect();
    let relations = doc
        .set()
        .relations()
        .map(|r| {
            (
                r.id.to_string(),
                r.kind.to_string(),
                r.from.to_string(),
                r.to.to_string(),
                r.note.clone(),
                r.attrs.clone(),
            )
        })
        .collect();
    (spans, relations)
}

/// The `.ann` lines as a set, trailing whitespace ignored (brat writes `R` lines with a TAB
/// at the end; the `*` lines have no id and may repeat).
fn line_set(ann: &str) -> BTreeSet<String> {
    ann.lines()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Writes `doc` as brat into `dir` and reads it back.
fn export_and_reimport(doc: &Document, dir: &Path, stem: &str) -> (Document, String, Loss) {
    let (files, loss) = export(doc);
    let suffixes: Vec<_> = files.iter().map(|f| f.suffix.as_str()).collect();
    assert_eq!(suffixes, [".txt", ".ann"]);
    for f in &files {
        std::fs::write(dir.join(format!("{stem}{}", f.suffix)), &f.bytes).unwrap();
    }
    let ann = String::from_utf8(files[1].bytes.clone()).unwrap();
    (import_ok(&dir.join(format!("{stem}.ann"))), ann, loss)
}

fn count_lines(ann: &str, first: char) -> usize {
    ann.lines().filter(|l| l.starts_with(first)).count()
}

#[test]
fn every_fixture_imports_with_no_span_lost() {
    for path in fixture_anns() {
        let ann = std::fs::read_to_string(&path).unwrap();
        let doc = import_ok(&path);
        let name = path.display();
        assert_eq!(doc.set().len(), count_lines(&ann, 'T'), "{name}: spans");
        // Every R line, every event argument and every link of a `*` chain is a relation.
        let event_args: usize = ann
            .lines()
            .filter(|l| l.starts_with('E'))
            .map(|l| l.split_whitespace().count() - 2)
            .sum();
        let equiv_links: usize = ann
            .lines()
            .filter(|l| l.starts_with('*'))
            .map(|l| l.split_whitespace().count() - 3)
            .sum();
        assert_eq!(
            doc.set().relations().count(),
            count_lines(&ann, 'R') + event_args + equiv_links,
            "{name}: relations"
        );
        let events: usize = doc
            .set()
            .spans()
            .filter_map(|s| s.attrs.get(ATTR_EVENTS))
            .map(|v| v.split_whitespace().count())
            .sum();
        assert_eq!(events, count_lines(&ann, 'E'), "{name}: events");
        assert!(
            doc.set()
                .spans()
                .all(|s| s.origin == crate::model::Origin::Imported)
        );
        assert!(
            doc.set().spans().all(|s| doc.schema.contains(&s.label)),
            "{name}: the schema is extended with the file's types"
        );
        assert!(
            doc.set()
                .relations()
                .all(|r| doc.schema.relation_kind(r.kind.as_str()).is_some()),
            "{name}: the schema is extended with the file's relation kinds and roles"
        );
    }
}

#[test]
fn relation_kinds_join_the_schema_default_ones_with_their_ends_others_from_any_label() {
    let txt = "Lavrov said NATO lied.";
    let ann = "T1\tactor 0 6\tLavrov\nT2\tclaim 12 21\tNATO lied\nT3\tactor 12 16\tNATO\n\
               R1\tsource Arg1:T2 Arg2:T1\nR2\tLocated Arg1:T1 Arg2:T3\nR3\tLocated Arg1:T3 Arg2:T1\n";
    let imported = import_text(ann, txt, "a.ann", "a.txt", &options());
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    let schema = &imported.doc.schema;
    let source = schema.relation_kind("source").unwrap();
    assert_eq!(
        crate::model::label::default_relation_kinds()
            .iter()
            .find(|k| k.name.as_str() == "source"),
        Some(source)
    );
    let located = schema.relation_kind("Located").unwrap();
    assert!(located.from.is_empty() && located.to.is_empty() && located.directed);
    assert_eq!(located.hotkey, None);
    // Added once, after the default kinds, and every relation fits its kind.
    let names: Vec<&str> = schema.relations().iter().map(|k| k.name.as_str()).collect();
    assert_eq!(
        names,
        ["source", "cue", "agent", "target", "time", "Located"]
    );
    for r in imported.doc.set().relations() {
        let label = |id: &SpanId| imported.doc.set().get(id).unwrap().label.clone();
        assert_eq!(
            schema.relation_misfit(&r.kind, &label(&r.from), &label(&r.to)),
            None
        );
    }
}

#[test]
fn a_default_kind_the_schema_lacks_comes_with_its_ends_and_a_key_no_kind_has() {
    let (text, spans) = crate::model::marked::marked("[Lavrov]{actor} [said]{action}");
    let mut doc = Document::new(
        Source::default(),
        Text::new(text),
        "t",
        Schema::default()
            .with_relations(vec![crate::model::RelationKind {
                name: label("mine"),
                colour: crate::model::label::palette::GREY,
                hotkey: Some('A'),
                description: String::new(),
                from: Vec::new(),
                to: Vec::new(),
                directed: false,
            }])
            .unwrap(),
    );
    for span in spans {
        doc.apply(&Edit::add(span), "t", Timestamp::from_unix(0))
            .unwrap();
    }
    let agent = Relation::new(
        SpanId::new("r1").unwrap(),
        label("agent"),
        SpanId::numbered(2),
        SpanId::numbered(1),
        "t",
        Timestamp::from_unix(0),
    );
    doc.apply(&Edit::AddRelation(agent), "t", Timestamp::from_unix(0))
        .unwrap();
    crate::formats::complete_schema(&mut doc);
    let names: Vec<&str> = doc
        .schema
        .relations()
        .iter()
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(names, ["mine", "agent"]);
    let agent = doc.schema.relation_kind("agent").unwrap();
    assert_eq!(
        (agent.from[0].as_str(), agent.to[0].as_str()),
        ("action", "actor")
    );
    // `a` is taken (keys compare without case): the added kind goes without.
    assert_eq!(agent.hotkey, None);
}

#[test]
fn round_trip_is_lossless_on_every_fixture() {
    let dir = tempfile::tempdir().unwrap();
    for path in fixture_anns() {
        let original = std::fs::read_to_string(&path).unwrap();
        let doc = import_ok(&path);
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let (again, ann, loss) = export_and_reimport(&doc, dir.path(), stem);
        let name = path.display();
        assert!(loss.is_empty(), "{name}: {loss:?}");
        assert_eq!(view(&again), view(&doc), "{name}: structures");
        assert_eq!(again.text(), doc.text(), "{name}: text");
        assert_eq!(line_set(&ann), line_set(&original), "{name}: .ann lines");
        // And once more: the export of the re-import is byte for byte the same.
        let (files, _) = export(&again);
        assert_eq!(files[1].bytes, ann.as_bytes(), "{name}: stable output");
    }
}

#[test]
fn discontinuous_spans_keep_their_pieces() {
    let doc = import_ok(&Path::new(FIXTURES).join("dkpro-brat/dkpro__dkpro-core/dkpro-core-io-brat-asl/src/test/resources/brat/document0d.ann"));
    let t2 = doc.set().get(&SpanId::new("T2").unwrap()).unwrap();
    assert_eq!(t2.range, CharRange::new(5, 10).unwrap());
    assert_eq!(
        t2.fragments,
        [
            CharRange::new(5, 7).unwrap(),
            CharRange::new(9, 10).unwrap()
        ]
    );
    let (files, _) = export(&doc);
    let ann = String::from_utf8(files[1].bytes.clone()).unwrap();
    assert!(ann.contains("T2\tToken 5 7;9 10\tis n\n"), "{ann}");
}

#[test]
fn events_become_trigger_spans_with_role_relations() {
    let path = Path::new(FIXTURES)
        .join("brat/nlplab__brat/example-data/tutorials/news/100-attribute_annotation.ann");
    let doc = import_ok(&path);
    let set = doc.set();
    let id = |s: &str| SpanId::new(s).unwrap();
    // E1 Report:T17 Reporter-Arg:T1 Event-Arg:E2, with A1 Confidence E1 Neutral.
    let trigger = set.get(&id("T17")).unwrap();
    assert_eq!(trigger.attrs[ATTR_EVENTS], "E1");
    assert_eq!(trigger.attrs["E1:Confidence"], "Neutral");
    assert_eq!(trigger.attrs[ATTR_IDS], "A1=E1:Confidence");
    let reporter = set.relation(&id("E1.1")).unwrap();
    assert_eq!(
        (reporter.kind.as_str(), &reporter.from, &reporter.to),
        ("Reporter-Arg", &id("T17"), &id("T1"))
    );
    // The event argument E2 is its trigger T18, named in `brat:to`.
    let event_arg = set.relation(&id("E1.2")).unwrap();
    assert_eq!(event_arg.to, id("T18"));
    assert_eq!(event_arg.attrs[ATTR_TO], "E2");
    // A4 Individual T1: a binary attribute.
    assert_eq!(set.get(&id("T1")).unwrap().attrs["Individual"], "");
}

#[test]
fn shared_triggers_and_modifications_on_events() {
    let path = Path::new(FIXTURES).join(
        "brat/nlplab__brat/example-data/corpora/BioNLP-ST_2011/BioNLP-ST_2011_GE/PMID-10438843.ann",
    );
    let doc = import_ok(&path);
    let id = |s: &str| SpanId::new(s).unwrap();
    // E1 and E2 share the trigger T25; E5 has the event E6 as its theme.
    assert_eq!(
        doc.set().get(&id("T25")).unwrap().attrs[ATTR_EVENTS],
        "E1 E2"
    );
    let theme = doc.set().relation(&id("E5.1")).unwrap();
    assert_eq!(
        (theme.to.as_str(), theme.attrs[ATTR_TO].as_str()),
        ("T28", "E6")
    );
    // M1 Negation E7: a binary modification on an event, its id kept.
    let t29 = doc.set().get(&id("T29")).unwrap();
    assert_eq!(t29.attrs["E7:Negation"], "");
    assert_eq!(t29.attrs[ATTR_IDS], "M1=E7:Negation");
    // *	Equiv T8 T7
    let equiv = doc.set().relation(&id("*1.1")).unwrap();
    assert_eq!(
        (equiv.kind.as_str(), equiv.from.as_str(), equiv.to.as_str()),
        ("Equiv", "T8", "T7")
    );
}

#[test]
fn notes_normalisations_and_relations_to_events() {
    let dir = Path::new(FIXTURES);
    let id = |s: &str| SpanId::new(s).unwrap();
    let intro =
        import_ok(&dir.join("brat/nlplab__brat/example-data/tutorials/news/000-introduction.ann"));
    let t2 = intro.set().get(&id("T2")).unwrap();
    assert_eq!(t2.note.as_deref(), Some("100000000 USD"));
    let t5 = intro.set().get(&id("T5")).unwrap();
    assert_eq!(
        t5.attrs["brat:N1"],
        "Reference Wikipedia:64488\tCarlos Salinas de Gortari"
    );
    assert_eq!(t5.attrs["Mention"], "Nominal");

    let notes = import_ok(
        &dir.join("brat/nlplab__brat/example-data/tutorials/news/110-note_annotation.ann"),
    );
    let r1 = notes.set().relation(&id("R1")).unwrap();
    assert_eq!(
        r1.note.as_deref(),
        Some("Should this be marked? It's not explicitly stated.")
    );
    // A note on an event sits on its trigger, keyed by the event.
    let t5 = notes.set().get(&id("T5")).unwrap();
    assert!(t5.attrs["E1:brat:#2"].starts_with("AnnotatorNotes\tAnnotate as one merge event"));

    // TDT: notes of type "Lemma" keep their type and their leading space.
    let tdt = import_ok(&dir.join("brat/nlplab__brat/example-data/corpora/TDT/wn071.ann"));
    let t1 = tdt.set().get(&id("T1")).unwrap();
    assert_eq!(t1.attrs["brat:#1"], "Lemma\t Halonen");
    assert_eq!(t1.note, None);

    // WNUT: `R2 Setting Arg1:E4 Arg2:T20` starts at event E4, whose trigger is T17.
    let wlp = import_ok(&dir.join(
        "wnut2020-wlp/jeniyat__WNUT_2020_NER/data/dev_data/Standoff_Format/protocol_557.ann",
    ));
    let r2 = wlp.set().relation(&id("R2")).unwrap();
    assert_eq!(
        (r2.from.as_str(), r2.attrs[ATTR_FROM].as_str()),
        ("T17", "E4")
    );
}

fn doc_with(text: &str) -> Document {
    Document::new(
        Source::default(),
        Text::new(text.to_string()),
        "ann",
        Schema::default(),
    )
}

#[test]
fn crlf_counts_as_two_and_the_other_reading_is_named() {
    let txt = "John loves Mary.\r\nHe said so.\r\nShe did.";
    let read = import_text("T1\tPerson 18 20\tHe\n", txt, "a.ann", "a.txt", &options());
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    let span = read.doc.set().spans().next().unwrap();
    assert_eq!(span.range, CharRange::new(18, 20).unwrap());
    // Offsets from an install that counted CRLF once: reported, with the reason.
    let read = import_text("T1\tPerson 29 32\tShe\n", txt, "a.ann", "a.txt", &options());
    assert_eq!(read.doc.set().len(), 0);
    assert_eq!(read.problems.len(), 1);
    let p = &read.problems[0];
    assert!(p.starts_with("a.ann:1: T1 (Person 29 32)"), "{p}");
    assert!(p.contains("count CRLF as one character"), "{p}");
}

#[test]
fn utf16_offsets_are_recognised() {
    let txt = "💩This is an annotation.";
    let ann = "T1\tClaim 13 23\tannotation\n";
    let read = import_text(ann, txt, "ls.ann", "ls.txt", &options());
    assert_eq!(read.doc.set().len(), 0);
    assert!(
        read.problems[0].contains("--offsets utf16"),
        "{:?}",
        read.problems
    );
    let utf16 = ImportOptions {
        offsets: OffsetUnit::Utf16,
        ..options()
    };
    let read = import_text(ann, txt, "ls.ann", "ls.txt", &utf16);
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!(
        read.doc.set().spans().next().unwrap().range,
        CharRange::new(12, 22).unwrap()
    );
}

#[test]
fn bad_lines_are_reported_and_the_rest_kept() {
    let txt = "Sony and Ericsson, in Sweden.";
    let ann = "T1\tOrganization 0 4\tSony\n\
               T2\tOrganization 9 17\tEricson\n\
               T3\tCountry 22 28\tSweden\n\
               T4\tCountry 22 99\tSweden\n\
               R1\tOrigin Arg1:T2 Arg2:T3\n\
               R2 Origin Arg1:T1 Arg2:T3\n\
               A1\tBig T9\n\
               X1\twhat\n\
               T1\tCountry 22 28\tSweden\n\
               T5\tOrganization 0 4\tSony\n";
    let read = import_text(ann, txt, "x.ann", "x.txt", &options());
    let ids: Vec<_> = read.doc.set().spans().map(|s| s.id.to_string()).collect();
    assert_eq!(ids, ["T1", "T3"]);
    let p = &read.problems;
    let expect = [
        "x.ann:2: T2 (Organization 9 17): the .ann text is \"Ericson\" but the offsets give \"Ericsson\"",
        "x.ann:4: T4 (Country 22 99): runs past the end",
        "x.ann:5: R1: it refers to T2, which was not read",
        "x.ann:6: no TAB after the annotation id",
        "x.ann:7: A1: it refers to T9, which was not read",
        "x.ann:8: unknown annotation id \"X1\"",
        "x.ann:9: T1: the id is used twice (first on line 1)",
        "x.ann:10: T5: not taken: span T5: span T1 already has range 0..4 and label Organization",
    ];
    assert_eq!(p.len(), expect.len(), "{p:#?}");
    for (got, want) in p.iter().zip(expect) {
        assert!(got.starts_with(want), "{got}\n  expected: {want}");
    }
}

#[test]
fn a_missing_text_file_is_a_file_problem() {
    let report = import(
        &Path::new(FIXTURES).join("brat/nothing-here.ann"),
        &options(),
    );
    assert!(report.documents.is_empty());
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    assert!(report.problems[1].contains("no text file beside the annotations"));
}

#[test]
fn byte_order_mark_is_counted_as_brat_does() {
    let txt = "\u{feff}Lavrov said";
    let read = import_text("T1\tactor 1 7\tLavrov\n", txt, "b.ann", "b.txt", &options());
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert!(read.doc.source.bom);
    assert_eq!(read.doc.text().as_str(), "Lavrov said");
    let span = read.doc.set().spans().next().unwrap();
    assert_eq!(span.range, CharRange::new(0, 6).unwrap());
    // The exported .txt has no BOM, and the offsets follow it.
    let (files, _) = export(&read.doc);
    assert_eq!(files[0].bytes, b"Lavrov said");
    assert_eq!(files[1].bytes, b"T1\tactor 0 6\tLavrov\n");
}

#[test]
fn spanmark_documents_get_brat_ids_and_attributes() {
    let mut doc = doc_with("Lavrov said on\r\nMonday that NATO lied");
    let at = Timestamp::from_unix(0);
    let span = |id: &str, l: &str, s: usize, e: usize| {
        Span::new(
            SpanId::new(id).unwrap(),
            label(l),
            CharRange::new(s, e).unwrap(),
            "a",
            at,
        )
    };
    let mut actor = span("s1", "actor", 0, 6);
    actor.note = Some("the minister,\nnot the\r\nsinger".into());
    let mut date = span("s2", "date", 12, 22);
    date.attrs.insert("iso".into(), "2021-10-18".into());
    date.attrs.insert("checked".into(), String::new());
    date.attrs.insert("comment".into(), "two words".into());
    let mut claim = span("T1", "big claim", 0, 37);
    claim.fragments = vec![
        CharRange::new(0, 11).unwrap(),
        CharRange::new(23, 37).unwrap(),
    ];
    for s in [actor, date, claim] {
        doc.apply(&Edit::add(s), "a", at).unwrap();
    }
    let relation = Relation {
        id: SpanId::new("r1").unwrap(),
        kind: label("said_by"),
        from: SpanId::new("T1").unwrap(),
        to: SpanId::new("s1").unwrap(),
        author: "a".into(),
        created: at,
        status: crate::model::Status::Pending,
        note: None,
        attrs: BTreeMap::new(),
    };
    doc.apply(&Edit::AddRelation(relation), "a", at).unwrap();
    let (files, loss) = export(&doc);
    let ann = String::from_utf8(files[1].bytes.clone()).unwrap();
    assert_eq!(
        ann,
        "T1\tbig_claim 0 11;23 37\tLavrov said that NATO lied\n\
         T2\tactor 0 6\tLavrov\n\
         T3\tdate 12 22\ton  Monday\n\
         R1\tsaid_by Arg1:T1 Arg2:T2\n\
         A1\tchecked T3\n\
         A2\tiso T3 2021-10-18\n\
         #1\tAnnotatorNotes T2\tthe minister, not the  singer\n"
    );
    let counts: Vec<_> = loss.counts.into_iter().collect();
    assert_eq!(
        counts,
        [
            ("attributes with spaces in the value", 1),
            ("names with spaces (written with _)", 1),
            ("notes with line breaks (written on one line)", 1),
        ]
    );
    // The span over the CRLF reads back: the line break stands for a space in the .ann.
    let dir = tempfile::tempdir().unwrap();
    let (again, _, _) = export_and_reimport(&doc, dir.path(), "doc");
    let ranges = |d: &Document| d.set().spans().map(|s| s.pieces()).collect::<Vec<_>>();
    assert_eq!(ranges(&again), ranges(&doc));
    let date = again.set().get(&SpanId::new("T3").unwrap()).unwrap();
    assert_eq!(date.attrs["iso"], "2021-10-18");
    assert_eq!(date.attrs["checked"], "");
}

#[test]
fn crlf_text_round_trips_through_files() {
    let mut doc = doc_with("John loves Mary.\r\nHe said so.");
    let at = Timestamp::from_unix(0);
    let he = Span::new(
        SpanId::numbered(1),
        label("actor"),
        CharRange::new(18, 20).unwrap(),
        "a",
        at,
    );
    doc.apply(&Edit::add(he), "a", at).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (again, ann, _) = export_and_reimport(&doc, dir.path(), "crlf");
    assert_eq!(ann, "T1\tactor 18 20\tHe\n");
    assert_eq!(again.text().as_str(), "John loves Mary.\r\nHe said so.");
    assert_eq!(
        again.set().spans().next().unwrap().range,
        CharRange::new(18, 20).unwrap()
    );
}

/// Random texts full of what breaks other tools, and random spans on grapheme boundaries
/// (overlapping, nested, some discontinuous).
fn text_and_spans() -> impl Strategy<Value = (String, Vec<(usize, usize, usize, bool)>)> {
    let pieces = prop::collection::vec(
        prop::sample::select(vec![
            "a",
            "Lavrov",
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
            "\u{200d}",
            ".",
            ",",
            "\"",
            "\\",
            "#",
            ";",
            ":",
        ]),
        1..40,
    );
    pieces.prop_flat_map(|pieces| {
        let text: String = pieces.concat();
        let n = text.chars().count();
        let spans = prop::collection::vec((0..=n, 0..=n, 0..4usize, any::<bool>()), 0..12);
        (Just(text), spans)
    })
}

/// Grapheme boundaries of `text`, in chars.
fn boundaries(text: &str) -> Vec<usize> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut out = vec![0];
    let mut pos = 0;
    for g in text.graphemes(true) {
        pos += g.chars().count();
        out.push(pos);
    }
    out
}

proptest! {
    #[test]
    fn brat_round_trip_keeps_every_span((text, raw) in text_and_spans()) {
        let mut doc = doc_with(&text);
        let bounds = boundaries(&text);
        let at = Timestamp::from_unix(0);
        let labels = ["actor", "date", "claim", "Org-Arg"];
        for (i, (a, b, l, split)) in raw.into_iter().enumerate() {
            // Snap to grapheme boundaries (the model refuses anything else).
            let snap = |x: usize| bounds[bounds.partition_point(|&g| g < x).min(bounds.len() - 1)];
            let (s, e) = (snap(a.min(b)), snap(a.max(b)));
            if s >= e {
                continue;
            }
            let mut span = Span::new(SpanId::numbered(i as u64 + 1), label(labels[l]), CharRange::new(s, e).unwrap(), "a", at);
            let inner: Vec<usize> = bounds.iter().copied().filter(|&g| g > s && g < e).collect();
            if split && inner.len() >= 2 {
                span.fragments = vec![CharRange::new(s, inner[0]).unwrap(), CharRange::new(inner[inner.len() - 1], e).unwrap()];
            }
            let _ = doc.apply(&Edit::add(span), "a", at);
        }
        let dir = tempfile::tempdir().unwrap();
        let (files, loss) = export(&doc);
        prop_assert!(loss.is_empty(), "{:?}", loss);
        for f in &files {
            std::fs::write(dir.path().join(format!("p{}", f.suffix)), &f.bytes).unwrap();
        }
        let report = import(&dir.path().join("p.ann"), &options());
        prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        let again = &report.documents[0];
        prop_assert!(again.problems.is_empty(), "{:?}\n{}", again.problems, String::from_utf8_lossy(&files[1].bytes));
        prop_assert_eq!(again.doc.text().as_str(), text.as_str());
        let shape = |d: &Document| d.set().spans().map(|s| (s.label.to_string(), s.range, s.fragments.clone())).collect::<Vec<_>>();
        prop_assert_eq!(shape(&again.doc), shape(&doc));
    }
}

#[test]
fn schema_attributes_round_trip_as_a_lines_and_binary_flags() {
    let mut doc = doc_with("NATO said Russia lied");
    let at = Timestamp::from_unix(0);
    let mut add = |id: &str, l: &str, s: usize, e: usize, attrs: &[(&str, &str)]| {
        let mut span = Span::new(
            SpanId::new(id).unwrap(),
            label(l),
            CharRange::new(s, e).unwrap(),
            "a",
            at,
        );
        for (k, v) in attrs {
            span.attrs.insert(k.to_string(), v.to_string());
        }
        doc.apply(&Edit::add(span), "a", at).unwrap();
    };
    add("s1", "actor", 0, 4, &[("category", "organisation")]);
    add(
        "s2",
        "claim",
        10,
        21,
        &[("quote", "indirect"), ("hedged", "")],
    );
    add(
        "s3",
        "actor",
        10,
        16,
        &[("category", "state"), ("agent", "dates")],
    );
    let dir = tempfile::tempdir().unwrap();
    let (again, ann, loss) = export_and_reimport(&doc, dir.path(), "doc");
    assert!(ann.contains("A1\tcategory T1 organisation\n"), "{ann}");
    assert!(ann.contains("\thedged T2\n"), "a binary attribute: {ann}");
    assert!(loss.counts.is_empty(), "{:?}", loss.counts);
    let attrs = |d: &Document| {
        d.set()
            .spans()
            .map(|s| {
                let mut a = s.attrs.clone();
                a.remove(crate::formats::brat::ATTR_IDS);
                (s.range, s.label.to_string(), a)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(attrs(&again), attrs(&doc));
}
