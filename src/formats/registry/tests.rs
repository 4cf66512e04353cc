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
