//! File > Export… and long work in the window, driven through the real app with egui_kittest:
//! the export writes what the CLI would, says what a format cannot hold and then writes
//! nothing, shows its progress while it runs, and Cancel stops it with nothing written.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::export::Scope;
use spanmark::app::jobs::{Hold, Jobs};
use spanmark::app::prefs::Prefs;
use spanmark::app::state::Outcome;
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::formats::Format;
use spanmark::model::marked::marked;
use spanmark::model::{Document, Edit, Schema, Source, Text, Timestamp};
use spanmark::store::hash::sha256_hex;
use spanmark::store::native;

const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

/// Writes the article `name` (the text of `markup`) into `dir` with its annotation file by
/// `rita`; returns the article's path.
fn write_doc(dir: &Path, name: &str, markup: &str) -> PathBuf {
    let (text, spans) = marked(markup);
    std::fs::create_dir_all(dir).unwrap();
    let article = dir.join(name);
    std::fs::write(&article, &text).unwrap();
    let source = Source {
        name: name.to_string(),
        path: Some(name.to_string()),
        sha256: Some(sha256_hex(text.as_bytes())),
        encoding: "UTF-8".to_string(),
        bom: false,
    };
    let mut doc = Document::new(source, Text::new(text), "rita", Schema::default());
    for span in spans {
        doc.apply(
            &Edit::add(span),
            "rita",
            Timestamp::from_unix(1_600_000_000),
        )
        .unwrap();
    }
    native::save(&doc, &native::path_beside(&article)).unwrap();
    article
}

struct Bench {
    _data: tempfile::TempDir,
    harness: Harness<'static, SpanmarkApp>,
}

impl Bench {
    fn open(file: PathBuf) -> Self {
        let data = tempfile::tempdir().unwrap();
        let data_dir = data.path().to_path_buf();
        let harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .with_step_dt(1.0 / 60.0)
            .build_eframe(move |cc| {
                SpanmarkApp::new(
                    &cc.egui_ctx,
                    Prefs::default(),
                    Startup {
                        file: Some(file),
                        annotator: Some("rita".to_string()),
                        autosave_secs: None,
                        data_dir: Some(data_dir),
                        frame_log: None,
                    },
                    Arc::new(|| Timestamp::from_unix(1_700_000_000)),
                )
            });
        let mut bench = Self {
            _data: data,
            harness,
        };
        bench.settle();
        bench
    }

    fn settle(&mut self) {
        self.harness.run_steps(4);
    }

    fn app(&mut self) -> &mut SpanmarkApp {
        self.harness.state_mut()
    }

    fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).click();
        self.settle();
    }

    /// Opens File > Export…, picks the format called `format` from its list and types the
    /// destination `out`.
    fn export_dialog(&mut self, format: &str, out: &Path) {
        let format = Format::named(format).expect("a format of the registry");
        self.harness.key_press_modifiers(CMD_SHIFT, Key::E);
        self.settle();
        assert!(
            self.app().state().windows.export,
            "the export window is open"
        );
        self.harness
            .get_by_role_and_label(Role::ComboBox, "Export format")
            .click();
        self.settle();
        self.harness
            .get_all_by_label(format.title())
            .last()
            .expect("the format is listed")
            .click();
        self.settle();
        self.harness
            .get_by_role_and_label(Role::TextInput, "Export destination")
            .set_text_value_accesskit(&out.display().to_string());
        self.settle();
        let form = self.app().widgets().export_form().unwrap();
        assert_eq!(
            (form.format, form.out.as_str()),
            (format, &*out.display().to_string())
        );
    }

    /// Steps the window until the export is done.
    fn wait_for_export(&mut self) {
        for _ in 0..2_000 {
            if self.app().state().jobs.export.is_none() {
                self.settle();
                return;
            }
            self.harness.step();
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        panic!("the export never finished");
    }

    /// The scope the export window has chosen.
    fn scope(&mut self) -> Scope {
        self.app().widgets().export_form().unwrap().scope
    }
}

const NEWS: &str = "[Lavrov]{actor} [said]{action} on [Monday]{date} that NATO lied.";

#[test]
fn export_writes_the_saved_document_as_jsonl_and_reports_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_doc(dir.path(), "news.txt", NEWS);
    let mut b = Bench::open(article);
    let out = dir.path().join("out").join("news.jsonl");
    b.export_dialog("jsonl", &out);
    b.harness.check_accessibility();
    assert_eq!(b.scope(), Scope::Document);
    b.click("Export");
    b.wait_for_export();
    let written = std::fs::read_to_string(&out).unwrap();
    let line: serde_json::Value = serde_json::from_str(written.lines().next().unwrap()).unwrap();
    assert_eq!(line["text"], "Lavrov said on Monday that NATO lied.");
    let spans: Vec<(u64, u64, String)> = line["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["start"].as_u64().unwrap(),
                s["end"].as_u64().unwrap(),
                s["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            (0, 6, "actor".to_string()),
            (7, 11, "action".to_string()),
            (15, 21, "date".to_string())
        ]
    );
    b.harness.get_by_label("Exported 1 document with 3 spans.");
    b.harness.get_by_label(&out.display().to_string());
    let Some(Outcome::Written(report)) = &b.app().state().export.outcome else {
        panic!("not written");
    };
    assert!(report.files.contains(&out));
}

#[test]
fn nested_spans_to_conll_are_refused_with_what_would_be_lost_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_doc(
        dir.path(),
        "claim.txt",
        "[[Lavrov]{actor} said NATO lied]{claim}.",
    );
    let mut b = Bench::open(article);
    let out = dir.path().join("claim.conll");
    b.export_dialog("conll", &out);
    b.click("Export");
    b.wait_for_export();
    assert!(!out.exists(), "refused: nothing written");
    b.harness
        .get_by_label("conll cannot hold 1 overlapping or nested spans (the outer, first one is written); nothing written");
    b.harness.get_by_label("The format cannot hold:");
    b.harness
        .get_by_label_contains("• 1 overlapping or nested spans");
    // Allowing the loss writes it, and still says what was left out.
    b.harness.get_by_label("Allow loss").click();
    b.settle();
    b.click("Export");
    b.wait_for_export();
    assert!(out.exists());
    b.harness
        .get_by_label_contains("Left out, as the format cannot hold them: 1 overlapping or nested");
}

#[test]
fn a_running_export_shows_its_progress_and_cancel_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_doc(dir.path(), "news.txt", NEWS);
    let mut b = Bench::open(article);
    let hold = Hold::new();
    b.app().set_jobs(Jobs {
        inline_up_to: 0,
        hold: Some(hold.clone()),
    });
    let out = dir.path().join("news.csv");
    b.export_dialog("csv", &out);
    b.click("Export");
    b.harness.get_by_label("Exporting to csv…");
    b.harness.get_by_label("Cancel");
    // The window keeps answering keys while the export runs.
    b.harness.key_press(Key::F1);
    b.settle();
    assert!(b.app().state().windows.help);
    b.click("Cancel");
    b.wait_for_export();
    assert!(!out.exists(), "cancelled: nothing written");
    b.harness.get_by_label("Cancelled: nothing was written.");
    assert!(matches!(
        b.app().state().export.outcome,
        Some(Outcome::Cancelled)
    ));
    // Let run, the same export counts documents as it reads and writes them.
    b.click("Export");
    let progress = b
        .app()
        .state()
        .jobs
        .export
        .as_ref()
        .unwrap()
        .progress
        .clone();
    hold.release();
    b.wait_for_export();
    assert!(out.exists());
    let s = progress.snapshot();
    assert_eq!((s.phase.as_str(), s.done, s.total), ("writing", 1, 1));
}

#[test]
fn unsaved_changes_are_not_exported_and_the_window_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_doc(dir.path(), "news.txt", NEWS);
    let mut b = Bench::open(article);
    b.harness.key_press(Key::Tab);
    b.settle();
    b.harness.key_press(Key::Delete);
    b.settle();
    assert!(b.app().state().session.as_ref().unwrap().is_dirty());
    let out = dir.path().join("news.jsonl");
    b.export_dialog("jsonl", &out);
    b.harness
        .get_by_label("news.txt has unsaved changes: the export takes what is saved.");
    b.click("Save first");
    assert!(!b.app().state().session.as_ref().unwrap().is_dirty());
    assert!(b.harness.query_by_label("Save first").is_none());
    b.click("Export");
    b.wait_for_export();
    b.harness.get_by_label("Exported 1 document with 2 spans.");
}

#[test]
fn an_open_folder_exports_every_annotated_document() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("news");
    write_doc(&root, "a.txt", NEWS);
    write_doc(&root, "b.txt", "[NATO]{actor} said nothing.");
    std::fs::write(root.join("c.txt"), "Not annotated yet.").unwrap();
    let mut b = Bench::open(root.clone());
    let out = dir.path().join("brat");
    b.export_dialog("brat", &out);
    assert_eq!(b.scope(), Scope::Folder);
    b.harness
        .get_by_label("The folder news: 2 annotated documents");
    b.click("Export");
    b.wait_for_export();
    b.harness.get_by_label("Exported 2 documents with 4 spans.");
    let mut anns: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ann"))
        .collect();
    anns.sort();
    assert_eq!(anns, ["a.ann", "b.ann"]);
}
