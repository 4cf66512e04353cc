//! Review mode, comparing annotators, agreement and adjudication, driven through the real app
//! with egui_kittest (no display, no GPU): each test works as a reviewer or adjudicator would
//! and checks the statuses, the audit history (who is the reviewer) and the files written.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::commands::Mode;
use spanmark::app::jobs::{Hold, Jobs};
use spanmark::app::prefs::Prefs;
use spanmark::app::session::Focus;
use spanmark::app::state::review::Filters;
use spanmark::app::{Action, Launch};
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::marked::marked;
use spanmark::model::{Document, Edit, Schema, Source, Status, Text, Timestamp};
use spanmark::store::hash::sha256_hex;
use spanmark::store::native;

const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

/// Writes `NAME` (the text of `markup`) and its annotation file by `annotator` into `dir`;
/// returns the annotation file's path.
fn write_doc(dir: &Path, name: &str, annotator: &str, markup: &str) -> PathBuf {
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
    let mut doc = Document::new(source, Text::new(text), annotator, Schema::default());
    for mut span in spans {
        span.author = annotator.into();
        doc.apply(
            &Edit::add(span),
            annotator,
            Timestamp::from_unix(1_600_000_000),
        )
        .unwrap();
    }
    let path = native::path_beside(&article);
    native::save(&doc, &path).unwrap();
    path
}

const OMAR: &str = "[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied.";
const RITA: &str = "[Lavrov]{actor} [said on]{action} [Monday]{claim} that NATO [lied]{action}.";

/// The app opened on `file` as `rita`, in a temporary data folder.
struct Bench {
    _data: tempfile::TempDir,
    harness: Harness<'static, SpanmarkApp>,
}

impl Bench {
    fn open(file: Option<PathBuf>, launch: Option<Launch>) -> Self {
        let data = tempfile::tempdir().unwrap();
        let data_dir = data.path().to_path_buf();
        let harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .with_step_dt(1.0 / 60.0)
            .build_eframe(move |cc| {
                let mut app = SpanmarkApp::new(
                    &cc.egui_ctx,
                    Prefs::default(),
                    Startup {
                        file,
                        annotator: Some("rita".to_string()),
                        autosave_secs: None,
                        data_dir: Some(data_dir),
                        frame_log: None,
                    },
                    Arc::new(|| Timestamp::from_unix(1_700_000_000)),
                );
                if let Some(launch) = launch {
                    app.launch(launch);
                }
                app
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

    fn key(&mut self, key: Key) {
        self.harness.key_press(key);
        self.settle();
    }

    fn key_mod(&mut self, modifiers: Modifiers, key: Key) {
        self.harness.key_press_modifiers(modifiers, key);
        self.settle();
    }

    fn type_text(&mut self, text: &str) {
        self.harness.event(egui::Event::Text(text.to_string()));
        self.settle();
    }

    fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).click();
        self.settle();
    }

    /// Changes review mode's filters as the toolbar does.
    fn filter(&mut self, change: impl FnOnce(&mut Filters)) {
        let mut filters = self.app().state().review.filters.clone();
        change(&mut filters);
        self.app().apply(Action::FilterReview(filters));
    }

    fn mode(&mut self) -> Mode {
        self.app().state().mode
    }

    /// The selected span: (label, text).
    fn selected(&mut self) -> Option<(String, String)> {
        let s = self.app().state().session.as_ref().unwrap();
        s.selected()
            .map(|x| (x.label.to_string(), s.doc().set().span_text(x).to_string()))
    }

    /// Every span: (label, text, status).
    fn spans(&mut self) -> Vec<(String, String, Status)> {
        let s = self.app().state().session.as_ref().unwrap();
        s.doc()
            .set()
            .spans()
            .map(|x| {
                (
                    x.label.to_string(),
                    s.doc().set().span_text(x).to_string(),
                    x.status,
                )
            })
            .collect()
    }

    fn notice(&mut self) -> String {
        let s = self.app().state().session.as_ref().unwrap();
        s.notice().map(|n| n.text.clone()).unwrap_or_default()
    }
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `who action target before→after` of each history entry after the first `skip`.
fn history(json: &serde_json::Value, skip: usize) -> Vec<String> {
    json["history"].as_array().unwrap()[skip..]
        .iter()
        .map(|h| {
            let value = |v: &serde_json::Value| match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other["label"].as_str().unwrap_or("?").to_string(),
            };
            format!(
                "{} {} {} {}>{}",
                h["who"].as_str().unwrap(),
                h["action"].as_str().unwrap(),
                h["target"].as_str().unwrap_or("-"),
                value(&h["before"]),
                value(&h["after"])
            )
        })
        .collect()
}

fn statuses(json: &serde_json::Value) -> Vec<(String, String)> {
    json["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["text"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn three_pending() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = write_doc(
        dir.path(),
        "news.txt",
        "omar",
        "Foreign Minister [Lavrov]{actor} [said]{action} on [Monday]{date} that NATO lied.",
    );
    (dir, path)
}

#[test]
fn review_a_then_r_then_save_accepts_rejects_and_records_the_reviewer() {
    let (_dir, path) = three_pending();
    let mut b = Bench::open(Some(path.clone()), Some(Launch::Review));
    assert_eq!(b.mode(), Mode::Review);
    assert_eq!(b.selected(), Some(("actor".into(), "Lavrov".into())));
    b.harness.check_accessibility();
    b.key(Key::A);
    assert_eq!(b.selected(), Some(("action".into(), "said".into())));
    b.key(Key::R);
    assert_eq!(b.selected(), Some(("date".into(), "Monday".into())));
    b.key_mod(Modifiers::COMMAND, Key::S);
    let saved = json(&path);
    assert_eq!(
        statuses(&saved),
        [
            ("Lavrov".into(), "accepted".into()),
            ("said".into(), "rejected".into()),
            ("Monday".into(), "pending".into()),
        ]
    );
    assert_eq!(
        history(&saved, 3),
        [
            "rita set_status s1 pending>accepted",
            "rita set_status s2 pending>rejected"
        ]
    );
    // The progress bar counts the decisions.
    b.harness.get_by_label_contains("2 of 3 decided");
}

#[test]
fn review_decisions_are_undoable_and_the_last_one_says_all_is_decided() {
    let (_dir, path) = three_pending();
    let mut b = Bench::open(Some(path), Some(Launch::Review));
    b.key(Key::A);
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.spans()[0].2, Status::Pending);
    assert_eq!(b.selected(), Some(("actor".into(), "Lavrov".into())));
    b.key(Key::A);
    b.key(Key::A);
    b.key(Key::R);
    assert_eq!(
        b.spans().iter().map(|s| s.2).collect::<Vec<_>>(),
        [Status::Accepted, Status::Accepted, Status::Rejected]
    );
    assert!(
        b.notice()
            .starts_with("Every span is decided (2 accepted, 1 rejected)")
    );
    // Outside review mode the letters do nothing.
    b.key_mod(CMD_SHIFT, Key::R);
    assert_eq!(b.mode(), Mode::Annotate);
    b.app()
        .apply(Action::Focus(spanmark::app::session::Focus::Span(
            spanmark::model::SpanId::numbered(3),
        )));
    b.key(Key::A);
    assert_eq!(b.spans()[2].2, Status::Rejected);
}

#[test]
fn tab_follows_the_filters_and_e_accepts_then_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_doc(
        dir.path(),
        "news.txt",
        "omar",
        "[Lavrov]{actor} [said]{action} on [Monday]{date} that [NATO]{actor} lied on [Tuesday]{date}.",
    );
    let mut b = Bench::open(Some(path.clone()), Some(Launch::Review));
    b.filter(|f| f.label = Some("date".into()));
    b.key(Key::Tab);
    assert_eq!(b.selected(), Some(("date".into(), "Monday".into())));
    b.key(Key::Tab);
    assert_eq!(b.selected(), Some(("date".into(), "Tuesday".into())));
    b.key_mod(Modifiers::SHIFT, Key::Tab);
    assert_eq!(b.selected(), Some(("date".into(), "Monday".into())));
    // e accepts the date and keeps it selected; 4 relabels it as a claim.
    b.key(Key::E);
    assert_eq!(b.selected(), Some(("date".into(), "Monday".into())));
    b.key(Key::Num4);
    assert_eq!(b.selected(), Some(("claim".into(), "Monday".into())));
    assert_eq!(b.spans()[2].2, Status::Accepted);
    // Without the label filter, the pending ones only.
    b.filter(|f| f.label = None);
    b.key(Key::Tab);
    assert_eq!(b.selected(), Some(("actor".into(), "NATO".into())));
    b.filter(|f| f.author = Some("nobody".into()));
    b.key(Key::Tab);
    assert_eq!(b.notice(), "No pending span matches the filters");
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert_eq!(
        history(&json(&path), 5),
        [
            "rita set_status s3 pending>accepted",
            "rita relabel s3 date>claim"
        ]
    );
}

#[test]
fn c_writes_a_comment_enter_keeps_it_escape_cancels() {
    let (_dir, path) = three_pending();
    let mut b = Bench::open(Some(path.clone()), Some(Launch::Review));
    b.key(Key::C);
    b.harness.check_accessibility();
    // While typing, the review letters are text, not decisions.
    b.type_text("a right call? check the source");
    b.key(Key::Enter);
    let s1 = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc()
        .set()
        .spans()
        .next()
        .cloned();
    let s1 = s1.unwrap();
    assert_eq!(s1.note.as_deref(), Some("a right call? check the source"));
    assert_eq!(s1.status, Status::Pending);
    assert!(b.app().state().review.commenting.is_none());
    // The keyboard is back on the article: a decides again.
    b.key(Key::A);
    assert_eq!(b.spans()[0].2, Status::Accepted);
    // Escape leaves the note as it was.
    b.key(Key::C);
    b.type_text("never mind");
    b.key(Key::Escape);
    assert!(b.app().state().review.commenting.is_none());
    assert_eq!(
        b.app()
            .state()
            .session
            .as_ref()
            .unwrap()
            .doc()
            .set()
            .spans()
            .nth(1)
            .unwrap()
            .note,
        None
    );
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert_eq!(
        history(&json(&path), 3),
        [
            "rita set_note s1 >a right call? check the source",
            "rita set_status s1 pending>accepted"
        ]
    );
}

#[test]
fn marking_the_document_reviewed_is_offered_and_shown_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_doc(
        dir.path(),
        "a.txt",
        "omar",
        "[Alpha]{actor} [said]{action}.",
    );
    write_doc(dir.path(), "b.txt", "omar", "[Beta]{actor} said.");
    let mut b = Bench::open(Some(dir.path().to_path_buf()), Some(Launch::Review));
    assert_eq!(b.mode(), Mode::Review);
    assert!(
        b.harness
            .query_by_label("✔ Mark document reviewed")
            .is_none()
    );
    b.key(Key::A);
    b.key(Key::A);
    // Every span is decided: the offer appears; nothing changes until it is taken.
    assert_eq!(
        b.app().state().session.as_ref().unwrap().doc().status,
        spanmark::model::DocumentStatus::InProgress
    );
    b.click("✔ Mark document reviewed");
    b.key_mod(Modifiers::COMMAND, Key::S);
    let saved = json(&path);
    assert_eq!(saved["status"], "reviewed");
    let last = saved["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["who"], "rita");
    assert_eq!(last["detail"], "document status");
    assert_eq!(
        (last["before"].as_str(), last["after"].as_str()),
        (Some("in_progress"), Some("reviewed"))
    );
    b.harness
        .get_by_label_contains("a.txt   2 spans · reviewed");
    // The next document opens in review mode on its first pending span.
    b.key_mod(Modifiers::COMMAND, Key::PageDown);
    assert_eq!(b.mode(), Mode::Review);
    assert_eq!(b.selected(), Some(("actor".into(), "Beta".into())));
}

/// Two annotators' files of the same article, and the app opened on omar's.
fn two_annotators() -> (tempfile::TempDir, PathBuf, PathBuf, Bench) {
    let dir = tempfile::tempdir().unwrap();
    let omar = write_doc(&dir.path().join("omar"), "news.txt", "omar", OMAR);
    let rita = write_doc(&dir.path().join("rita"), "news.txt", "rita", RITA);
    let b = Bench::open(Some(omar.clone()), None);
    (dir, omar, rita, b)
}

#[test]
fn comparing_two_annotators_steps_through_each_difference_read_only() {
    let (_dir, omar, rita, mut b) = two_annotators();
    b.key_mod(CMD_SHIFT, Key::C);
    b.harness.get_by_label("Files to compare");
    b.type_text(&omar.display().to_string());
    b.key(Key::Enter);
    b.type_text(&rita.display().to_string());
    b.click("Compare");
    assert_eq!(b.mode(), Mode::Compare);
    b.harness.check_accessibility();
    let merged: Vec<String> = b
        .spans()
        .iter()
        .map(|s| format!("{} {}", s.0, s.1))
        .collect();
    assert_eq!(
        merged,
        [
            "actor Lavrov",
            "action · omar said",
            "action · rita said on",
            "claim · rita Monday",
            "date · omar Monday",
            "actor · omar NATO",
            "action · rita lied"
        ]
    );
    // The first difference is selected; n, p, Tab step through all four.
    let current = |b: &mut Bench| b.app().state().current_difference();
    assert_eq!(current(&mut b), Some(0));
    let mut seen = Vec::new();
    for _ in 0..4 {
        b.key(Key::N);
        seen.push(current(&mut b).unwrap());
    }
    assert_eq!(seen, [1, 2, 3, 0]);
    b.key(Key::P);
    assert_eq!(current(&mut b), Some(3));
    b.key(Key::Tab);
    assert_eq!(current(&mut b), Some(0));
    b.harness
        .get_by_label_contains("Difference 1 of 4: boundary");
    b.harness.get_by_label_contains("■ omar only");
    // The list: clicking a row goes there.
    b.harness
        .get_by_label_contains("2. label: claim 'Monday' (rita) | date 'Monday' (omar)")
        .click();
    b.settle();
    assert_eq!(current(&mut b), Some(1));
    assert_eq!(b.selected(), Some(("claim · rita".into(), "Monday".into())));
    // Read-only: a label key or a review decision changes nothing.
    b.key(Key::Num1);
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert!(b.notice().starts_with("The comparison is read-only"));
    assert_eq!(b.spans().len(), 7);
    // Closing brings omar's document back as it was.
    b.key_mod(Modifiers::COMMAND, Key::W);
    assert_eq!(b.mode(), Mode::Annotate);
    let s = b.app().state().session.as_ref().unwrap();
    assert_eq!(s.doc().annotator, "omar");
    assert_eq!(s.doc().set().len(), 4);
    assert_eq!(s.native_path(), omar);
}

#[test]
fn files_of_different_articles_or_one_file_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let omar = write_doc(&dir.path().join("omar"), "news.txt", "omar", OMAR);
    let other = write_doc(
        &dir.path().join("rita"),
        "other.txt",
        "rita",
        "[NATO]{actor} said.",
    );
    let mut b = Bench::open(Some(omar.clone()), None);
    b.app().apply(Action::Compare(vec![omar.clone(), other]));
    b.settle();
    assert_eq!(b.mode(), Mode::Annotate);
    b.harness.get_by_label_contains("different articles");
    b.app().apply(Action::Compare(vec![omar]));
    b.settle();
    b.harness.get_by_label_contains(
        "choose two or more annotators' files of the same article (1 given)",
    );
}

#[test]
fn the_agreement_window_shows_numbers_bars_and_the_confusion_heatmap() {
    let (_dir, omar, rita, mut b) = two_annotators();
    b.app().apply(Action::Compare(vec![omar, rita]));
    b.settle();
    b.key_mod(CMD_SHIFT, Key::G);
    assert!(b.app().state().windows.agreement);
    b.harness.check_accessibility();
    b.harness.get_by_label("omar (reference) vs rita");
    b.harness.get_by_label("token κ");
    b.harness.get_by_label("F1 per label");
    b.harness
        .get_by_label("Confusion of labels on matched spans");
    // exact: Lavrov only of 4 and 4 spans: F1 = 2/8.
    let exact_f1 = b.harness.get_all_by_label("0.250").count();
    assert!(exact_f1 >= 1);
    // Lavrov, the one exact match, is an actor: its category (unset by both) agrees.
    b.harness
        .get_by_label("Attributes on spans matched exactly");
    b.harness.get_by_label("category");
}

#[test]
fn adjudicating_from_the_comparison_writes_the_gold_file_and_resolves_each_conflict_with_a_key() {
    let (dir, omar, rita, mut b) = two_annotators();
    b.app().apply(Action::Compare(vec![omar, rita]));
    b.settle();
    b.key_mod(CMD_SHIFT, Key::J);
    let gold = dir
        .path()
        .join("omar")
        .join("gold")
        .join("news.txt.spanmark.json");
    b.harness.get_by_label("Gold file");
    b.click("Write it and adjudicate");
    assert_eq!(b.mode(), Mode::Adjudicate);
    b.harness.check_accessibility();
    assert_eq!(
        b.app().state().session.as_ref().unwrap().native_path(),
        gold
    );
    assert_eq!(
        b.app().state().session.as_ref().unwrap().doc().annotator,
        "rita"
    );
    // Conflict 1 (boundary: said / said on): take B's, rita's.
    assert_eq!(b.selected(), Some(("action".into(), "said".into())));
    b.harness
        .get_by_label_contains("Conflict 1 of 4 (boundary, unresolved)");
    b.key(Key::B);
    // Conflict 2 (label on Monday): take A's, omar's date.
    b.key(Key::A);
    // Conflict 3 (NATO, omar only): neither.
    b.key(Key::N);
    // Conflict 4 (lied, rita only): keep it.
    b.key(Key::K);
    assert!(
        b.notice()
            .ends_with("Every conflict is resolved: Ctrl+S saves")
    );
    b.key_mod(Modifiers::COMMAND, Key::S);
    let saved = json(&gold);
    assert_eq!(saved["annotator"], "rita");
    assert_eq!(
        statuses(&saved),
        [
            ("Lavrov".into(), "accepted".into()),
            ("said".into(), "rejected".into()),
            ("said on".into(), "accepted".into()),
            ("Monday".into(), "rejected".into()),
            ("Monday".into(), "accepted".into()),
            ("NATO".into(), "rejected".into()),
            ("lied".into(), "accepted".into()),
        ]
    );
    let resolutions: Vec<String> = saved["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["detail"].as_str())
        .filter(|d| d.starts_with("conflict"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        resolutions,
        [
            "conflict s2,s3 (boundary) resolved: took rita's reading",
            "conflict s4,s5 (label) resolved: took omar's reading",
            "conflict s6 (missing) resolved: kept neither reading",
            "conflict s7 (missing) resolved: kept every reading",
        ]
    );
    let by_rita = saved["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == "set_status")
        .all(|h| h["who"] == "rita");
    assert!(by_rita);
}

#[test]
fn a_gold_file_opened_for_review_walks_its_conflicts_and_e_keeps_one_to_edit() {
    let dir = tempfile::tempdir().unwrap();
    let omar = write_doc(&dir.path().join("omar"), "news.txt", "omar", OMAR);
    let rita = write_doc(&dir.path().join("rita"), "news.txt", "rita", RITA);
    let docs: Vec<Document> = [&omar, &rita]
        .iter()
        .map(|p| native::load(p).unwrap().doc)
        .collect();
    let adjudication = spanmark::review::adjudicate::adjudicate_documents(
        &[&docs[0], &docs[1]],
        "judge",
        Timestamp::from_unix(1_650_000_000),
    )
    .unwrap();
    let gold = dir.path().join("gold.txt.spanmark.json");
    native::save(&adjudication.gold, &gold).unwrap();
    let mut b = Bench::open(Some(gold.clone()), Some(Launch::Review));
    assert_eq!(b.mode(), Mode::Adjudicate);
    // Tab skips a conflict without deciding; Shift+Tab comes back.
    b.key(Key::Tab);
    assert_eq!(b.selected(), Some(("claim".into(), "Monday".into())));
    b.key_mod(Modifiers::SHIFT, Key::Tab);
    assert_eq!(b.selected(), Some(("action".into(), "said".into())));
    // Select rita's longer reading and keep it to edit: its rival is rejected.
    let said_on = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc()
        .set()
        .spans()
        .find(|s| s.range.len() == 7)
        .unwrap()
        .id
        .clone();
    b.app().apply(Action::SelectSpan(said_on));
    b.settle();
    b.key(Key::E);
    assert_eq!(b.selected(), Some(("action".into(), "said on".into())));
    b.key(Key::Num4);
    assert_eq!(b.selected(), Some(("claim".into(), "said on".into())));
    assert_eq!(
        b.spans()[1..3]
            .iter()
            .map(|s| (s.1.clone(), s.2))
            .collect::<Vec<_>>(),
        [
            ("said".to_string(), Status::Rejected),
            ("said on".to_string(), Status::Accepted)
        ]
    );
    // One undo takes back the relabel, the next the whole resolution.
    b.key_mod(Modifiers::COMMAND, Key::Z);
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(b.spans()[1..3].iter().all(|s| s.2 == Status::Pending));
    // Tab goes on to the next unresolved conflict.
    b.key(Key::Tab);
    assert_eq!(b.selected(), Some(("claim".into(), "Monday".into())));
}

#[test]
fn unsaved_work_is_never_hidden_behind_a_comparison() {
    let (_dir, omar, rita, mut b) = two_annotators();
    b.app().apply(Action::SetMode(Mode::Review));
    b.key(Key::A);
    assert!(b.app().state().session.as_ref().unwrap().is_dirty());
    b.key_mod(CMD_SHIFT, Key::C);
    b.type_text(&format!("{}\n{}", omar.display(), rita.display()));
    b.click("Compare");
    assert_eq!(b.mode(), Mode::Review);
    b.harness
        .get_by_label_contains("Save or undo your changes to news.txt before comparing");
    b.key_mod(Modifiers::COMMAND, Key::S);
    b.click("Compare");
    assert_eq!(b.mode(), Mode::Compare);
    // Closing goes back to the document, in review mode as before.
    b.key_mod(Modifiers::COMMAND, Key::W);
    assert_eq!(b.mode(), Mode::Review);
    assert_eq!(b.spans()[0].2, Status::Accepted);
}

/// Background work waits at its start until the returned hold is released.
fn hold_jobs(b: &mut Bench) -> Hold {
    let hold = Hold::new();
    b.app().set_jobs(Jobs {
        inline_up_to: 0,
        hold: Some(hold.clone()),
    });
    hold
}

/// Steps the window until `done` says so (the worker finishes on its own thread).
fn step_until(b: &mut Bench, mut done: impl FnMut(&mut Bench) -> bool) {
    for _ in 0..2_000 {
        if done(b) {
            return;
        }
        b.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("the background work never finished");
}

#[test]
fn agreement_measured_in_the_background_shows_progress_and_cancel_leaves_it_unmeasured() {
    let (_dir, omar, rita, mut b) = two_annotators();
    let hold = hold_jobs(&mut b);
    b.app().apply(Action::Compare(vec![omar, rita]));
    b.settle();
    b.key_mod(CMD_SHIFT, Key::G);
    b.harness.get_by_label("Measuring agreement…");
    b.harness.get_by_label("Starting…");
    let st = b.app().state();
    assert!(st.jobs.agreement.is_some() && st.compare.as_ref().unwrap().agreement.is_none());
    // The window keeps answering keys meanwhile.
    let before = b.app().state().current_difference();
    b.key(Key::N);
    assert_ne!(b.app().state().current_difference(), before);
    // The bar shows what the worker reports.
    let progress = b
        .app()
        .state()
        .jobs
        .agreement
        .as_ref()
        .unwrap()
        .progress
        .clone();
    progress.start("measuring agreement, article by article", 10);
    progress.advance(3);
    b.settle();
    b.harness
        .get_by_label("Measuring agreement, article by article");
    b.harness.get_by_label("3 of 10");
    // Cancel: the window closes, nothing is measured, the comparison goes on as it was.
    b.click("Cancel");
    assert!(!b.app().state().windows.agreement);
    let st = b.app().state();
    assert!(st.jobs.agreement.is_none() && st.compare.as_ref().unwrap().agreement.is_none());
    assert!(progress.is_cancelled(), "the worker was told to stop");
    assert_eq!(b.mode(), Mode::Compare);
    assert!(b.harness.query_by_label("Measuring agreement…").is_none());
    // Asked again and let run: the numbers appear, counted article by article.
    b.key_mod(CMD_SHIFT, Key::G);
    let progress = b
        .app()
        .state()
        .jobs
        .agreement
        .as_ref()
        .unwrap()
        .progress
        .clone();
    hold.release();
    step_until(&mut b, |b| {
        b.app()
            .state()
            .compare
            .as_ref()
            .unwrap()
            .agreement
            .is_some()
    });
    b.settle();
    b.harness.get_by_label("omar (reference) vs rita");
    let s = progress.snapshot();
    assert_eq!((s.done, s.total), (1, 1), "one article measured");
}

#[test]
fn adjudicating_in_the_background_can_be_cancelled_and_writes_nothing_until_done() {
    let (dir, omar, rita, mut b) = two_annotators();
    let hold = hold_jobs(&mut b);
    b.app().apply(Action::Compare(vec![omar, rita]));
    b.settle();
    b.key_mod(CMD_SHIFT, Key::J);
    let gold = dir
        .path()
        .join("omar")
        .join("gold")
        .join("news.txt.spanmark.json");
    b.click("Write it and adjudicate");
    assert!(b.app().state().jobs.gold.is_some());
    b.harness.get_by_label("Adjudicating…");
    b.click("Cancel");
    step_until(&mut b, |b| b.app().state().jobs.gold.is_none());
    b.settle();
    assert!(!gold.exists(), "cancelled: nothing written");
    assert!(!gold.parent().unwrap().exists(), "not even the folder");
    assert_eq!(b.mode(), Mode::Compare);
    // The window is back as it was, and this time the work runs to the end.
    b.harness.get_by_label("Gold file");
    b.click("Write it and adjudicate");
    hold.release();
    step_until(&mut b, |b| b.app().state().jobs.gold.is_none());
    b.settle();
    assert_eq!(b.mode(), Mode::Adjudicate);
    assert_eq!(
        b.app().state().session.as_ref().unwrap().native_path(),
        gold
    );
    assert_eq!(json(&gold)["annotator"], "rita");
}

#[test]
fn rival_relations_are_a_conflict_that_tab_reaches_and_a_key_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[Lavrov]{actor} [said]{action} on [Monday]{date}.";
    let t = Timestamp::from_unix(1_650_000_000);
    let mut docs = Vec::new();
    for (who, kind) in [("omar", "agent"), ("rita", "target")] {
        let path = write_doc(&dir.path().join(who), "news.txt", who, text);
        let mut doc = native::load(&path).unwrap().doc;
        let ids: Vec<_> = doc.set().spans().map(|s| s.id.clone()).collect();
        let r = spanmark::model::Relation::new(
            spanmark::model::SpanId::new("r1").unwrap(),
            spanmark::model::Label::new(kind).unwrap(),
            ids[1].clone(),
            ids[0].clone(),
            who,
            t,
        );
        doc.apply(&Edit::AddRelation(r), who, t).unwrap();
        docs.push(doc);
    }
    let gold =
        spanmark::review::adjudicate::adjudicate_documents(&[&docs[0], &docs[1]], "judge", t)
            .unwrap()
            .gold;
    let path = dir.path().join("gold.txt.spanmark.json");
    native::save(&gold, &path).unwrap();
    let mut b = Bench::open(Some(path.clone()), Some(Launch::Review));
    assert_eq!(b.mode(), Mode::Adjudicate);
    // The only conflict is the relations' kind: the first reading, omar's agent, is selected.
    let focus = b.app().state().session.as_ref().unwrap().focus().clone();
    let Focus::Relation(first) = focus else {
        panic!("a relation is selected: {focus:?}");
    };
    let kind = |b: &mut Bench, id| {
        let set = b.app().state().session.as_ref().unwrap().doc().set();
        let r = set.relation(id).unwrap();
        (r.kind.to_string(), r.status)
    };
    assert_eq!(kind(&mut b, &first), ("agent".into(), Status::Pending));
    // b takes rita's reading: target accepted, agent rejected.
    b.key(Key::B);
    assert_eq!(kind(&mut b, &first), ("agent".into(), Status::Rejected));
    b.key_mod(Modifiers::COMMAND, Key::S);
    let saved = json(&path);
    let statuses: Vec<(String, String)> = saved["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().into(),
                r["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("agent".to_string(), "rejected".to_string()),
            ("target".to_string(), "accepted".to_string())
        ]
    );
}
