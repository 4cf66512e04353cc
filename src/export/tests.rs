//! The export streams (counted, not timed), gives the bytes of an export made in memory, and
//! leaves nothing behind when cancelled, refused or failed.

use std::path::{Path, PathBuf};

use super::ahead::{self, live};
use super::*;
use crate::formats::{self, Output, doccano};
use crate::model::marked::marked;
use crate::model::{Edit, Label, Relation, Schema, Source, SpanId, Text, Timestamp};
use crate::store::folder::walk;
use crate::store::native;

const TEXTS: usize = 12;
const ANNOTATORS: [&str; 2] = ["bob", "rita"];
/// Every annotation file of the corpus.
const FILES: usize = TEXTS * ANNOTATORS.len();

fn document(name: &str, annotator: &str, markup: &str) -> Document {
    let (text, spans) = marked(markup);
    let source = Source {
        name: name.to_string(),
        ..Source::default()
    };
    let mut d = Document::new(source, Text::new(text), annotator, Schema::default());
    for s in spans {
        d.apply(&Edit::add(s), annotator, Timestamp::from_unix(0))
            .unwrap();
    }
    d
}

use crate::model::Document;

/// `in/ANNOTATOR/docN.txt.spanmark.json`: every text annotated by both, one with a relation.
/// Returns the folder and the documents in the order the export finds them.
fn corpus() -> (tempfile::TempDir, Vec<Document>) {
    let dir = tempfile::tempdir().unwrap();
    let mut docs = Vec::new();
    for annotator in ANNOTATORS {
        for i in 0..TEXTS {
            let markup = format!(
                "👍 [Lavrov]{{actor}} [said]{{action}} on [Monday {i}]{{date}}.\r\nNATO {i} replied."
            );
            let mut doc = document(&format!("doc{i:02}.txt"), annotator, &markup);
            if i == 3 && annotator == "rita" {
                let relation = Relation {
                    id: SpanId::new("r1").unwrap(),
                    kind: Label::new("when").unwrap(),
                    from: SpanId::new("s2").unwrap(),
                    to: SpanId::new("s3").unwrap(),
                    author: annotator.into(),
                    created: Timestamp::from_unix(0),
                    status: crate::model::Status::Pending,
                    note: None,
                    attrs: Default::default(),
                };
                doc.apply(
                    &Edit::AddRelation(relation),
                    annotator,
                    Timestamp::from_unix(0),
                )
                .unwrap();
            }
            let path = dir
                .path()
                .join(format!("in/{annotator}/doc{i:02}.txt.spanmark.json"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, native::to_bytes(&doc)).unwrap();
            docs.push(native::load(&path).unwrap().doc);
        }
    }
    (dir, docs)
}

/// The format of the registry called `name`.
fn named(name: &str) -> Format {
    Format::named(name).unwrap()
}

fn request(dir: &Path, format: Format, out: &str) -> ExportRequest {
    let mut req = ExportRequest::new(format, vec![dir.join("in")], dir.join(out));
    req.allow_loss = true;
    req
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    walk(dir, &|_| true, &mut found).unwrap();
    let mut rel: Vec<PathBuf> = found
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    rel.sort();
    rel
}

#[test]
fn dataset_formats_stream_with_the_bytes_of_an_export_in_memory() {
    let (dir, docs) = corpus();
    let refs: Vec<&Document> = docs.iter().collect();
    for format in [
        named("jsonl"),
        named("doccano"),
        named("conll"),
        named("csv"),
        named("label-studio"),
    ] {
        let out = format!("out.{}", format.extension());
        live::reset();
        let report = export_corpus(&request(dir.path(), format, &out), &Progress::new()).unwrap();
        // The one being written and those read ahead of it; Label Studio holds the documents
        // of one task together: both annotators of a text.
        let most = ahead::window()
            + if format == named("label-studio") {
                2
            } else {
                1
            };
        assert!(
            live::peak() <= most,
            "{}: {} documents alive at once",
            format.name(),
            live::peak()
        );
        assert_eq!((report.documents, report.spans), (FILES, FILES * 3));
        let Some(Ok(in_memory)) = formats::export(format, &refs, &ExportOptions::default()) else {
            panic!("{} exports", format.name());
        };
        let Output::Dataset(want) = in_memory.output else {
            panic!("{} is a dataset format", format.name());
        };
        let got = std::fs::read(dir.path().join(&out)).unwrap();
        assert!(got == want, "{}: the bytes differ", format.name());
        assert_eq!(report.loss, in_memory.loss, "{}", format.name());
        assert_eq!(
            report.files,
            [
                dir.path().join(&out),
                dir.path().join(format!("{out}.manifest.json"))
            ]
        );
    }
}

#[test]
fn per_document_formats_and_splits_stream_too() {
    let (dir, _) = corpus();
    for (format, out, written) in [
        (named("native"), "native", FILES),
        (named("brat"), "brat", FILES * 2 + 1),
        (named("w3c"), "w3c", FILES + 1),
    ] {
        live::reset();
        let report = export_corpus(&request(dir.path(), format, out), &Progress::new()).unwrap();
        assert!(
            live::peak() <= ahead::window() + 1,
            "{}: {}",
            format.name(),
            live::peak()
        );
        assert_eq!(report.files.len(), written, "{}", format.name());
        assert_eq!(files(&dir.path().join(out)).len(), written);
    }
    let mut req = request(dir.path(), named("jsonl"), "split");
    req.split = Some(crate::export::dataset::Split::parse("50,25,25", 1).unwrap());
    live::reset();
    let report = export_corpus(&req, &Progress::new()).unwrap();
    assert!(live::peak() <= ahead::window() + 1, "{}", live::peak());
    assert_eq!(
        report.parts.iter().map(|p| p.documents).sum::<usize>(),
        FILES
    );
    // Both annotators of a text are in one part.
    assert!(report.parts.iter().all(|p| p.documents % 2 == 0));
}

/// Runs `req` with the progress cancelled when the `at`-th document is read.
fn cancelled_at(req: &ExportRequest, at: usize) -> ExportError {
    let progress = Progress::new();
    let canceller = progress.clone();
    live::on_load(move |n| {
        if n == at {
            canceller.cancel();
        }
    });
    let result = export_corpus(req, &progress);
    live::no_hook();
    match result {
        Ok(_) => panic!("not cancelled at document {at}"),
        Err(e) => e,
    }
}

#[test]
fn cancelled_it_leaves_no_file_and_no_folder_behind() {
    let (dir, _) = corpus();
    let inputs = files(dir.path());
    for (format, out) in [
        (named("jsonl"), "new/deeper/out.jsonl"),
        (named("label-studio"), "new/out.json"),
        (named("brat"), "new/brat"),
        (named("native"), "new/native"),
    ] {
        // Documents handed over: Label Studio reads every input twice, the others once.
        let read = if format == named("label-studio") {
            2 * FILES
        } else {
            FILES
        };
        // Early, and late (in Label Studio's second pass, after a few documents are written).
        for at in [5, read - 5] {
            let e = cancelled_at(&request(dir.path(), format, out), at);
            assert!(e.is_cancelled(), "{}: {e}", format.name());
            assert_eq!(e.to_string(), "cancelled; nothing written");
            assert_eq!(files(dir.path()), inputs, "{} at {at}", format.name());
            assert!(!dir.path().join("new").exists(), "{}", format.name());
        }
    }
    // An output folder that was there stays, as it was.
    std::fs::create_dir(dir.path().join("kept")).unwrap();
    let e = cancelled_at(&request(dir.path(), named("brat"), "kept/brat"), FILES - 3);
    assert!(e.is_cancelled());
    assert!(dir.path().join("kept").is_dir());
    assert!(!dir.path().join("kept/brat").exists());
}

#[test]
fn a_file_changed_between_the_passes_stops_it_with_nothing_written() {
    let (dir, _) = corpus();
    let inputs = files(dir.path());
    let first = dir.path().join("in/bob/doc00.txt.spanmark.json");
    let other = std::fs::read(dir.path().join("in/bob/doc01.txt.spanmark.json")).unwrap();
    let target = first.clone();
    // After the first pass has read the last file, the first one changes. (A split is
    // exported in two passes.)
    live::on_load(move |n| {
        if n == FILES {
            std::fs::write(&target, &other).unwrap();
        }
    });
    let mut req = request(dir.path(), named("jsonl"), "out");
    req.split = Some(crate::export::dataset::Split::parse("50,25,25", 1).unwrap());
    let result = export_corpus(&req, &Progress::new());
    live::no_hook();
    let e = result.unwrap_err();
    assert!(
        matches!(&e.kind, ExportErrorKind::InputChanged { path } if *path == first),
        "{e}"
    );
    assert_eq!(files(dir.path()), inputs);
}

#[test]
fn loss_refused_problems_and_nothing_to_export() {
    let (dir, _) = corpus();
    let inputs = files(dir.path());
    // CSV has no place for the relation (JSONL now writes tokens for it to point at).
    let mut req = request(dir.path(), named("csv"), "new/out.csv");
    req.allow_loss = false;
    let e = export_corpus(&req, &Progress::new()).unwrap_err();
    match &e.kind {
        ExportErrorKind::Loss { format, loss } => {
            assert_eq!(*format, named("csv"));
            assert_eq!(describe(loss), "1 relations");
        }
        other => panic!("{other}"),
    }
    assert_eq!(files(dir.path()), inputs);
    assert!(!dir.path().join("new").exists());

    // A bad file is a problem; the export goes on without it.
    std::fs::write(dir.path().join("in/bad.txt.spanmark.json"), "{").unwrap();
    let report = export_corpus(
        &request(dir.path(), named("csv"), "out.csv"),
        &Progress::new(),
    )
    .unwrap();
    assert_eq!(report.documents, FILES);
    assert_eq!(report.worst(), Some(Severity::Data));
    assert!(
        report.problems[0]
            .message
            .ends_with("bad.txt.spanmark.json")
    );

    // Filters that leave nothing; inputs that hold nothing.
    let mut req = request(dir.path(), named("csv"), "none.csv");
    req.filters.annotators = vec!["nobody".into()];
    let e = export_corpus(&req, &Progress::new()).unwrap_err();
    assert!(matches!(e.kind, ExportErrorKind::NothingLeft { .. }), "{e}");
    let mut req = request(dir.path(), named("csv"), "none.csv");
    req.inputs = vec![dir.path().join("in/bad.txt.spanmark.json")];
    let e = export_corpus(&req, &Progress::new()).unwrap_err();
    assert!(
        matches!(e.kind, ExportErrorKind::NothingToExport { .. }),
        "{e}"
    );
    assert_eq!(e.problems.len(), 1);
    assert!(!dir.path().join("none.csv").exists());

    // The output is an input.
    let mut req = request(dir.path(), named("native"), "in/bob");
    req.inputs = vec![dir.path().join("in/bob/doc00.txt.spanmark.json")];
    req.out = req.inputs[0].clone();
    let e = export_corpus(&req, &Progress::new()).unwrap_err();
    assert!(
        matches!(e.kind, ExportErrorKind::OutIsAnInput { .. }),
        "{e}"
    );
}

#[test]
fn progress_counts_the_documents_written() {
    let (dir, _) = corpus();
    let progress = Progress::new();
    export_corpus(&request(dir.path(), named("jsonl"), "out.jsonl"), &progress).unwrap();
    let s = progress.snapshot();
    assert_eq!(
        (s.phase.as_str(), s.done, s.total),
        ("writing", FILES as u64, FILES as u64)
    );
}

#[test]
fn most_exports_read_each_input_once() {
    let (dir, _) = corpus();
    let mut doccano_given = request(dir.path(), named("doccano"), "given.jsonl");
    doccano_given.options.doccano_form = Some(doccano::Form::Label);
    let mut split = request(dir.path(), named("jsonl"), "split");
    split.split = Some(crate::export::dataset::Split::parse("50,25,25", 1).unwrap());
    for (req, reads) in [
        (request(dir.path(), named("jsonl"), "out.jsonl"), FILES),
        (request(dir.path(), named("conll"), "out.conll"), FILES),
        (request(dir.path(), named("csv"), "out.csv"), FILES),
        (request(dir.path(), named("brat"), "brat"), FILES),
        (doccano_given, FILES),
        // The form depends on every document; tasks group annotators; a split sees all.
        (
            request(dir.path(), named("doccano"), "auto.jsonl"),
            2 * FILES,
        ),
        (
            request(dir.path(), named("label-studio"), "ls.json"),
            2 * FILES,
        ),
        (split, 2 * FILES),
    ] {
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = count.clone();
        live::on_load(move |n| seen.store(n, std::sync::atomic::Ordering::Relaxed));
        let report = export_corpus(&req, &Progress::new());
        live::no_hook();
        assert_eq!(report.unwrap().documents, FILES);
        assert_eq!(
            count.load(std::sync::atomic::Ordering::Relaxed),
            reads,
            "{}",
            req.out.display()
        );
    }
}

#[test]
fn a_long_output_goes_to_disk_while_written_and_keeps_its_bytes() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    let mut stage = stage::Stage::default();
    let short = dir.path().join("short.txt");
    let mut out = stage.writer(short.clone()).unwrap();
    out.write_all(b"a few bytes\n").unwrap();
    assert!(!out.flushing_early());
    out.finish(&mut stage).unwrap();
    let long = dir.path().join("long.txt");
    let mut out = stage.writer(long.clone()).unwrap();
    // 12 MB in pieces of uneven sizes, so flushes fall between and inside them.
    for i in 0..3000usize {
        let piece: Vec<u8> = (0..(1 + i % 7) * 1000)
            .map(|j| b'a' + ((i + j) % 26) as u8)
            .collect();
        out.write_all(&piece).unwrap();
        expected.extend_from_slice(&piece);
    }
    assert!(out.flushing_early());
    let sha256 = out.finish(&mut stage).unwrap();
    let read = stage::ReadFiles::new(Vec::new());
    assert_eq!(
        stage.commit(&read).unwrap(),
        vec![short.clone(), long.clone()]
    );
    assert_eq!(std::fs::read(&long).unwrap(), expected);
    assert_eq!(std::fs::read(&short).unwrap(), b"a few bytes\n");
    assert_eq!(sha256, crate::store::hash::sha256_hex(&expected));
}
