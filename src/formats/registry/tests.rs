//! The registry is consistent, agrees with what each writer counts as lost, and is what the
//! README says.

use std::collections::BTreeSet;

use super::*;
use crate::formats::{ExportOptions, Loss, export};
use crate::model::marked::{label, marked};
use crate::model::{CharRange, Edit, Relation, Schema, Source, SpanId, Status, Text, Timestamp};

#[test]
fn names_are_unique_and_every_format_says_what_it_is() {
    let mut names = BTreeSet::new();
    for format in Format::all() {
        let entry = format.entry();
        assert!(names.insert(entry.name), "{} twice", entry.name);
        assert_eq!(Format::named(entry.name), Some(format));
        assert!(
            !entry.title.is_empty() && !entry.keeps.is_empty(),
            "{format}"
        );
        assert!(
            format.is_read() || format.is_written(),
            "{format} does nothing"
        );
        assert_eq!(format.is_read(), !entry.reading_help.is_empty(), "{format}");
        assert_eq!(
            format.is_written(),
            !entry.writing_help.is_empty(),
            "{format}"
        );
        let dataset = format.is_written() && !format.per_document();
        assert_eq!(dataset, !format.extension().is_empty(), "{format}");
        if let Reading::Files { extensions, .. } = entry.reading {
            assert!(!extensions.is_empty(), "{format}");
            assert!(
                extensions.iter().all(|e| *e == e.to_ascii_lowercase()),
                "{format}: extensions are compared in lower case"
            );
        }
    }
    assert_eq!(Format::named("xlsx"), None);
    assert_eq!(Format::default().name(), "jsonl");
}

#[test]
fn the_export_dialog_lists_the_written_formats_in_its_order() {
    let written: Vec<&str> = Format::all()
        .filter(|f| f.is_written())
        .map(Format::name)
        .collect();
    assert_eq!(
        written,
        [
            "jsonl",
            "doccano",
            "label-studio",
            "conll",
            "csv",
            "frames",
            "brat",
            "w3c",
            "native"
        ]
    );
}

#[test]
fn files_are_recognised_by_their_extension_and_manifests_are_not_data() {
    let reads = |name: &str, path: &str| Format::named(name).unwrap().reads(Path::new(path));
    assert!(reads("jsonl", "a/b.JSONL"));
    assert!(reads("doccano", "b.json") && !reads("jsonl", "b.json"));
    assert!(reads("brat", "b.ann") && !reads("brat", "b.txt"));
    assert!(reads("conll", "b.iob2") && reads("w3c", "b.jsonld"));
    assert!(!reads("label-studio", "out.json.manifest.json"));
    assert!(!reads("csv", "a.csv"), "csv is not read");
    assert!(reads("native", "a.txt.spanmark.json") && !reads("native", "a.txt"));
    assert!(reads("text", "a.md") && !reads("text", "a.txt.spanmark.json"));
}

/// A document holding one of each kind a format may not hold: nested spans, a discontinuous
/// span, a relation, a note, attributes, and spans accepted and rejected.
fn everything() -> Document {
    let (text, spans) =
        marked("[[Lavrov]{actor} [said]{action} on [Monday]{date}]{claim} that NATO lied.");
    let at = Timestamp::from_unix(0);
    let source = Source {
        name: "news.txt".into(),
        ..Source::default()
    };
    let mut doc = Document::new(source, Text::new(text), "rita", Schema::default());
    for mut span in spans {
        match span.label.as_str() {
            "actor" => {
                span.note = Some("the minister".into());
                span.status = Status::Accepted;
            }
            "date" => {
                span.attrs.insert("iso".into(), "2021-10-18".into());
                span.status = Status::Rejected;
            }
            _ => {}
        }
        doc.apply(&Edit::add(span), "rita", at).unwrap();
    }
    // "NATO lied", in two pieces.
    let mut pieces = crate::model::Span::new(
        SpanId::new("s9").unwrap(),
        label("claim"),
        CharRange::new(27, 36).unwrap(),
        "rita",
        at,
    );
    pieces.fragments = vec![
        CharRange::new(27, 31).unwrap(),
        CharRange::new(32, 36).unwrap(),
    ];
    doc.apply(&Edit::add(pieces), "rita", at).unwrap();
    let relation = Relation {
        id: SpanId::new("r1").unwrap(),
        kind: label("said_by"),
        from: SpanId::new("s3").unwrap(),
        to: SpanId::new("s2").unwrap(),
        author: "rita".into(),
        created: at,
        status: crate::model::Status::Pending,
        note: None,
        attrs: Default::default(),
    };
    doc.apply(&Edit::AddRelation(relation), "rita", at).unwrap();
    doc
}

/// The kind a writer's loss key counts, for the keys that count one of the [`Kind`]s.
fn kind_of(key: &str) -> Option<Kind> {
    match key {
        "overlapping or nested spans (the outer, first one is written)" => Some(Kind::Nested),
        "discontinuous spans" | "discontinuous spans (written as their whole stretch)" => {
            Some(Kind::Discontinuous)
        }
        "relations" => Some(Kind::Relations),
        "notes" | "span notes" => Some(Kind::Notes),
        "attributes" | "span attributes" | "attributes with spaces in the value" => {
            Some(Kind::Attributes)
        }
        _ => None,
    }
}

#[test]
fn what_each_writer_counts_as_lost_agrees_with_what_its_entry_says_it_holds() {
    let doc = everything();
    assert_eq!(doc.set().spans().count(), 5);
    for format in Format::all().filter(|f| f.is_written()) {
        let loss = match export(format, &[&doc], &ExportOptions::default()) {
            Some(exported) => exported.unwrap().loss,
            // Native files are the store's: they hold everything and count nothing.
            None => Loss::default(),
        };
        let lost: BTreeSet<Kind> = loss.counts.keys().filter_map(|k| kind_of(k)).collect();
        for kind in Kind::ALL {
            match format.entry().holds.can(kind) {
                Can::Hold | Can::Omit => assert!(
                    !lost.contains(&kind),
                    "{format} holds {} (or has no place for them) but counted them lost: {loss:?}",
                    kind.describe()
                ),
                Can::Lose => assert!(
                    lost.contains(&kind),
                    "{format} cannot hold {} but did not count them: {loss:?}",
                    kind.describe()
                ),
                // Depends on the data or the options.
                Can::Partly(_) => {}
            }
        }
    }
}

#[test]
fn the_readme_table_is_the_registry() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let want = readme_table();
    let start = readme
        .find(table::BEGIN)
        .expect("the table's first line in README.md");
    let end = readme[start..]
        .find(table::END)
        .expect("the table's last line")
        + start;
    let got = &readme[start..end + table::END.len() + 1];
    assert!(
        got == want,
        "README.md's table of formats is not the registry's; it should read:\n{want}"
    );
}

/// The sample article's first sentence and an event, annotated as in the workbench: spans `s1`…
/// with statuses, relations of the default kinds with the ids the workbench gives (the next
/// free `s` number), their own statuses, one with a note.
fn made_in_the_workbench() -> Document {
    let (text, spans) = marked(
        "Russian Foreign Minister [Sergey Lavrov]{actor} [said]{action} [Monday]{date} [that his country is suspending its mission to NATO]{claim}. 👍 [NATO]{actor} [expelled]{action} [eight Russian staff]{actor} [last week]{date}.",
    );
    let at = Timestamp::from_unix(1_634_500_000);
    let source = Source {
        name: "russia_nato.txt".into(),
        ..Source::default()
    };
    let mut doc = Document::new(source, Text::new(text), "rita", Schema::default());
    for (i, mut span) in spans.into_iter().enumerate() {
        span.status = Status::ALL[i % 3];
        if span.label.as_str() == "date" && i == 2 {
            span.attrs.insert("iso".into(), "2021-10-18".into());
        }
        doc.apply(&Edit::add(span), "rita", at).unwrap();
    }
    let n = |k: u64| SpanId::numbered(k);
    for (kind, from, to, status, note) in [
        ("source", 4, 1, Status::Accepted, None),
        ("cue", 4, 2, Status::Pending, Some("the verb of saying")),
        ("time", 4, 3, Status::Rejected, None),
        ("agent", 6, 5, Status::Accepted, None),
        ("target", 6, 7, Status::Pending, None),
        ("time", 6, 8, Status::Pending, None),
    ] {
        let mut relation =
            Relation::new(doc.set().next_id(), label(kind), n(from), n(to), "rita", at);
        relation.status = status;
        relation.note = note.map(String::from);
        doc.apply(&Edit::AddRelation(relation), "rita", at).unwrap();
    }
    doc
}

/// A relation as a round trip must keep it whatever ids the format gives: its kind and its
/// ends by range and label.
type RelationView = (String, (usize, usize, String), (usize, usize, String));

fn relation_views(doc: &Document) -> Vec<RelationView> {
    let end = |id: &SpanId| {
        let s = doc.set().get(id).unwrap();
        (s.range.start().0, s.range.end().0, s.label.to_string())
    };
    let mut out: Vec<_> = doc
        .set()
        .relations()
        .map(|r| (r.kind.to_string(), end(&r.from), end(&r.to)))
        .collect();
    out.sort();
    out
}

/// The relation notes of `doc`, by relation.
fn relation_notes(doc: &Document) -> Vec<(RelationView, Option<String>)> {
    let views = relation_views(doc);
    let end = |id: &SpanId| {
        let s = doc.set().get(id).unwrap();
        (s.range.start().0, s.range.end().0, s.label.to_string())
    };
    let mut out: Vec<_> = doc
        .set()
        .relations()
        .map(|r| {
            (
                (r.kind.to_string(), end(&r.from), end(&r.to)),
                r.note.clone(),
            )
        })
        .collect();
    out.sort();
    assert_eq!(out.len(), views.len());
    out
}

/// Exports `doc` in `format` into `dir` and reads it back: the documents, and what the export
/// counted as lost.
fn export_and_read(format: Format, doc: &Document, dir: &Path) -> (Vec<Document>, Loss) {
    let exported = export(format, &[doc], &ExportOptions::default())
        .unwrap()
        .unwrap();
    let paths: Vec<std::path::PathBuf> = match exported.output {
        crate::formats::Output::Dataset(bytes) => {
            let path = dir.join(format!("out.{}", format.extension()));
            std::fs::write(&path, bytes).unwrap();
            vec![path]
        }
        crate::formats::Output::PerDocument(files) => {
            let mut read = Vec::new();
            for file in &files[0] {
                let path = dir.join(format!("doc{}", file.suffix));
                std::fs::write(&path, &file.bytes).unwrap();
                if format.reads(&path) {
                    read.push(path);
                }
            }
            read
        }
    };
    // The unit is named: a doccano file carries no span text to check it by.
    let options = crate::formats::ImportOptions {
        annotator: "rita".into(),
        offsets_named: true,
        ..Default::default()
    };
    let article = format.needs_article().then_some(doc.text().as_str());
    let mut docs = Vec::new();
    for path in paths {
        let report = crate::formats::import(format, &path, article, &options).unwrap();
        assert!(
            report.problems.is_empty(),
            "{format}: {:?}",
            report.problems
        );
        for imported in report.documents {
            assert!(
                imported.problems.is_empty(),
                "{format}: {:?}",
                imported.problems
            );
            docs.push(imported.doc);
        }
    }
    (docs, exported.loss)
}

#[test]
fn relations_made_in_the_workbench_go_through_every_exchange_format_and_come_back() {
    let doc = made_in_the_workbench();
    let want = relation_views(&doc);
    assert_eq!(want.len(), 6);
    let mut tried = Vec::new();
    for format in Format::all().filter(|f| f.is_written() && !f.is_native()) {
        let holds = format.entry().holds.relations;
        if !format.is_read() || matches!(holds, Can::Lose | Can::Omit) {
            continue;
        }
        tried.push(format.name());
        let dir = tempfile::tempdir().unwrap();
        let (docs, loss) = export_and_read(format, &doc, dir.path());
        assert_eq!(docs.len(), 1, "{format}");
        let back = &docs[0];
        // Kinds and ends, and every kind in the schema of the document read back.
        assert_eq!(relation_views(back), want, "{format}");
        for r in back.set().relations() {
            assert!(
                back.schema.relation_kind(r.kind.as_str()).is_some(),
                "{format}: kind {} not in the schema",
                r.kind
            );
        }
        // Nothing of the relations is lost but the note, where the format has no place for
        // a relation's note; review status has no place in any of them.
        assert_eq!(loss.counts.get("relations"), None, "{format}: {loss:?}");
        if ["brat", "w3c"].contains(&format.name()) {
            assert_eq!(relation_notes(back), relation_notes(&doc), "{format}");
            assert!(
                loss.counts.keys().all(|k| !k.contains("relation")),
                "{format}: {loss:?}"
            );
        } else {
            assert_eq!(
                loss.counts.get("relation notes and attributes"),
                Some(&1),
                "{format} drops the relation's note without counting it: {loss:?}"
            );
        }
    }
    assert_eq!(tried, ["jsonl", "doccano", "label-studio", "brat", "w3c"]);
}
