//! The workbench and the history chain: a file whose history does not verify is said in the
//! status bar once the worker has checked it, and the next save records the break instead of
//! repairing it.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::jobs::{Hold, Jobs};
use spanmark::app::prefs::Prefs;
use spanmark::app::{Action, SpanmarkApp, Startup};
use spanmark::model::{
    CharOffset, CharRange, Document, Edit, Label, Schema, Source, Span, SpanId, Text, Timestamp,
};
use spanmark::store::native::{self, chain};

/// `a.txt` and its annotation file: two spans added by rita and omar, chained.
fn write_chained(dir: &Path) {
    let text = "Lavrov said on Monday that NATO expelled staff.";
    std::fs::write(dir.join("a.txt"), text).unwrap();
    let mut doc = Document::new(
        Source {
            name: "a.txt".into(),
            path: Some("a.txt".into()),
            sha256: Some(spanmark::store::hash::sha256_hex(text.as_bytes())),
            encoding: "UTF-8".into(),
            bom: false,
        },
        Text::new(text.to_string()),
        "rita",
        Schema::default(),
    );
    for (n, (start, end, label, who)) in [(0, 6, "actor", "rita"), (7, 11, "action", "omar")]
        .into_iter()
        .enumerate()
    {
        let at = Timestamp::from_unix(1_000 + n as i64);
        let span = Span::new(
            SpanId::numbered(n as u64 + 1),
            Label::new(label).unwrap(),
            CharRange::new(start, end).unwrap(),
            who,
            at,
        );
        doc.apply(&Edit::add(span), who, at).unwrap();
    }
    native::save(&doc, &dir.join("a.txt.spanmark.json")).unwrap();
}

fn app(dir: &Path, data: &Path) -> Harness<'static, SpanmarkApp> {
    app_on(Some(dir.join("a.txt")), data)
}

fn app_on(file: Option<std::path::PathBuf>, data: &Path) -> Harness<'static, SpanmarkApp> {
    let data_dir = data.to_path_buf();
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |cc| {
            SpanmarkApp::new(
                &cc.egui_ctx,
                Prefs::default(),
                Startup {
                    file,
                    annotator: Some("vera".to_string()),
                    autosave_secs: None,
                    data_dir: Some(data_dir),
                    frame_log: None,
                },
                Arc::new(|| Timestamp::from_unix(1_700_000_000)),
            )
        })
}

/// Steps until the worker's verdict is taken in.
fn until_verified(h: &mut Harness<'static, SpanmarkApp>) {
    for _ in 0..2_000 {
        h.step();
        if h.state().state().jobs.verifying.is_none() {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("the history was never verified");
}

fn notice(h: &Harness<'static, SpanmarkApp>) -> Option<(String, bool)> {
    h.state()
        .state()
        .session
        .as_ref()
        .unwrap()
        .notice()
        .map(|n| (n.text.clone(), n.is_error))
}

/// Drags over "Monday" and labels it a date.
fn label_monday(h: &mut Harness<'static, SpanmarkApp>) {
    let at = |h: &mut Harness<'static, SpanmarkApp>, offset: usize| {
        let r = h.state_mut().char_rect(CharOffset(offset)).unwrap();
        Pos2::new(r.left() + 0.5, r.center().y)
    };
    let (from, to) = (at(h, 15), at(h, 20));
    h.hover_at(from);
    h.drag_at(from);
    h.run_steps(2);
    h.hover_at(to);
    h.run_steps(2);
    h.drop_at(to);
    h.run_steps(2);
    h.key_press(Key::Num3);
    h.run_steps(2);
}

fn save(h: &mut Harness<'static, SpanmarkApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(4);
}

fn tamper(native_path: &Path) {
    let tampered = std::fs::read_to_string(native_path)
        .unwrap()
        .replace("\"who\": \"omar\"", "\"who\": \"mallory\"");
    std::fs::write(native_path, tampered).unwrap();
}

#[test]
fn a_clean_file_opens_without_a_word_about_its_history() {
    let (dir, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_chained(dir.path());
    let mut h = app(dir.path(), data.path());
    until_verified(&mut h);
    assert_eq!(notice(&h), None);
    assert!(h.query_by_label_contains("does not verify").is_none());
}

#[test]
fn a_tampered_history_is_said_in_the_status_bar_and_the_next_save_records_the_break() {
    let (dir, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_chained(dir.path());
    let native_path = dir.path().join("a.txt.spanmark.json");
    tamper(&native_path);

    let mut h = app(dir.path(), data.path());
    until_verified(&mut h);
    let (text, is_error) = notice(&h).expect("a status message");
    assert!(is_error, "{text}");
    assert!(
        text.contains("does not verify: history[1] (1970-01-01T00:16:41Z, mallory)"),
        "{text}"
    );
    // The status bar shows it, and so does the warning above the article.
    assert_eq!(
        h.query_all_by_label_contains("does not verify: history[1]")
            .count(),
        2
    );

    // Label "Monday" and save: the break is recorded before the change, never repaired.
    label_monday(&mut h);
    save(&mut h);
    let v = chain::verify_path(&native_path).unwrap();
    assert_eq!(v.findings.len(), 1, "{:?}", v.findings);
    assert_eq!(v.findings[0].entry, Some(1), "the old break is still found");
    assert_eq!(v.recorded_breaks, [2]);
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&native_path).unwrap()).unwrap();
    let history = saved["history"].as_array().unwrap();
    assert_eq!(history.len(), 4, "{history:#?}");
    assert_eq!(history[2]["who"], "vera");
    assert!(
        history[2]["detail"]
            .as_str()
            .unwrap()
            .starts_with("chain broken at history[1] (1970-01-01T00:16:41Z, mallory)"),
        "{history:#?}"
    );
    assert_eq!(history[3]["action"], "add");
    assert_eq!(chain::break_note(&v), None, "recorded once");
}

#[test]
fn a_change_made_before_the_verdict_is_saved_with_the_break_after_it() {
    let (dir, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_chained(dir.path());
    let native_path = dir.path().join("a.txt.spanmark.json");
    tamper(&native_path);
    let mut h = app_on(None, data.path());
    h.run_steps(4);
    // The worker waits at a gate, so the change surely comes before the verdict.
    let hold = Hold::new();
    h.state_mut().set_jobs(Jobs {
        hold: Some(hold.clone()),
        ..Jobs::default()
    });
    h.state_mut().apply(Action::Open(dir.path().join("a.txt")));
    h.run_steps(4);
    assert!(
        h.state().state().jobs.verifying.is_some(),
        "still verifying"
    );
    label_monday(&mut h);
    hold.release();
    // The save takes the verdict first (waiting for it if need be).
    save(&mut h);
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&native_path).unwrap()).unwrap();
    let history = saved["history"].as_array().unwrap();
    let actions: Vec<&str> = history
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["add", "add", "add", "document"], "{history:#?}");
    assert!(
        history[3]["detail"]
            .as_str()
            .unwrap()
            .starts_with("chain broken at history[1]"),
        "{history:#?}"
    );
    let v = chain::verify_path(&native_path).unwrap();
    assert_eq!(v.findings.len(), 1, "{:?}", v.findings);
    assert_eq!(v.recorded_breaks, [3]);
    assert!(!h.state().state().session.as_ref().unwrap().is_dirty());
}
