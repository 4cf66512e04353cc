//! Suggestions in the workbench, driven through the real app with egui_kittest: propagation on
//! labelling, Alt+N / Alt+P, Enter and Delete on a suggestion, accept/reject all, the date
//! finder (at once and on a worker), and what the saved file holds.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use std::path::PathBuf;
use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::commands::Command;
use spanmark::app::jobs::{Hold, Jobs};
use spanmark::app::prefs::Prefs;
use spanmark::app::state::find::FindQuery;
use spanmark::app::{Action, SpanmarkApp, Startup};
use spanmark::model::Timestamp;
use spanmark::model::suggestion::{ACCEPTED_BY, AGENT, is_pending};

const NATO: &str = include_str!("../sample_docs/russia_nato.txt");

/// A span as the tests see it: (start, label, pending, accepted_by, agent).
type Seen = (usize, String, bool, Option<String>, Option<String>);

struct Bench {
    dir: tempfile::TempDir,
    _data: tempfile::TempDir,
    harness: Harness<'static, SpanmarkApp>,
}

impl Bench {
    /// russia_nato.txt in a temp folder, its file dated 2021-10-19, opened as `rita`.
    fn open(prefs: Prefs) -> Self {
        Self::open_sized(prefs, egui::vec2(1280.0, 800.0))
    }

    fn open_sized(prefs: Prefs, size: egui::Vec2) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("russia_nato.txt");
        std::fs::write(&path, NATO).unwrap();
        let day = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_634_601_600);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(day)
            .unwrap();
        let data = tempfile::tempdir().unwrap();
        let data_dir = data.path().to_path_buf();
        let file: Option<PathBuf> = Some(path);
        let harness = Harness::builder()
            .with_size(size)
            .with_step_dt(1.0 / 60.0)
            .build_eframe(move |cc| {
                SpanmarkApp::new(
                    &cc.egui_ctx,
                    prefs,
                    Startup {
                        file,
                        annotator: Some("rita".to_string()),
                        autosave_secs: None,
                        data_dir: Some(data_dir),
                        frame_log: None,
                    },
                    Arc::new(|| Timestamp::from_unix(1_700_000_000)),
                )
            });
        let mut b = Self {
            dir,
            _data: data,
            harness,
        };
        b.settle();
        b
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

    fn command(&mut self, c: Command) {
        self.app().apply(Action::Command(c));
        self.settle();
    }

    /// Selects the `nth` (from 1) "Lavrov" through the find bar and labels it actor (key 1).
    fn label_lavrov(&mut self, nth: usize) {
        self.app().apply(Action::Find(FindQuery::text("Lavrov")));
        self.settle();
        for _ in 0..nth {
            self.key(Key::F3);
        }
        self.key(Key::Num1);
    }

    /// The spans as (start, label, pending, accepted_by, agent), in text order.
    fn spans(&mut self) -> Vec<Seen> {
        let s = self.app().state().session.as_ref().unwrap();
        s.doc()
            .set()
            .spans()
            .map(|sp| {
                (
                    sp.range.start().0,
                    sp.label.to_string(),
                    is_pending(sp),
                    sp.attrs.get(ACCEPTED_BY).cloned(),
                    sp.attrs.get(AGENT).cloned(),
                )
            })
            .collect()
    }

    fn pending(&mut self) -> Vec<usize> {
        self.spans()
            .into_iter()
            .filter(|s| s.2)
            .map(|s| s.0)
            .collect()
    }

    /// The start of the selected span.
    fn selected_start(&mut self) -> Option<usize> {
        let s = self.app().state().session.as_ref().unwrap();
        s.selected().map(|sp| sp.range.start().0)
    }

    fn notice(&mut self) -> String {
        let s = self.app().state().session.as_ref().unwrap();
        s.notice().map(|n| n.text.clone()).unwrap_or_default()
    }

    fn saved_json(&self) -> serde_json::Value {
        let bytes = std::fs::read(self.dir.path().join("russia_nato.txt.spanmark.json")).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }
}

/// The char offsets of every "Lavrov" in the sample.
fn lavrovs() -> Vec<usize> {
    NATO.match_indices("Lavrov")
        .map(|(b, _)| NATO[..b].chars().count())
        .collect()
}

#[test]
fn labelling_lavrov_suggests_the_other_three_and_alt_n_enter_accepts_one() {
    let at = lavrovs();
    assert_eq!(at.len(), 4);
    let mut b = Bench::open(Prefs::default());
    b.label_lavrov(1);
    assert_eq!(b.pending(), at[1..].to_vec());
    let notice = b.notice();
    assert!(notice.contains("proposed 3 other occurrences"), "{notice}");
    // The suggestions are listed apart in the span list.
    b.app()
        .apply(Action::FilterSpans(spanmark::app::state::SpanFilters {
            suggested: Some(true),
            ..Default::default()
        }));
    b.settle();
    assert_eq!(b.app().widgets().span_list_rows().len(), 3);

    b.key_mod(Modifiers::ALT, Key::N);
    assert_eq!(b.selected_start(), Some(at[1]));
    b.key(Key::Enter);
    // Accepted, and the next suggestion is selected.
    assert_eq!(b.selected_start(), Some(at[2]));
    assert_eq!(b.pending(), at[2..].to_vec());
    b.key_mod(Modifiers::COMMAND, Key::S);

    let json = b.saved_json();
    let spans = json["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 4);
    let suggested: Vec<_> = spans
        .iter()
        .filter(|s| s["origin"] == "suggested")
        .collect();
    assert_eq!(suggested.len(), 3);
    let accepted: Vec<_> = suggested
        .iter()
        .filter(|s| s["attrs"][ACCEPTED_BY] == "rita")
        .collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["start"].as_u64(), Some(at[1] as u64));
    assert_eq!(accepted[0]["attrs"][AGENT], "propagate");
    assert!(
        suggested
            .iter()
            .filter(|s| s["attrs"].get(ACCEPTED_BY).is_none())
            .all(|s| s["status"] == "pending" && s["attrs"][AGENT] == "propagate"),
        "{suggested:?}"
    );
    let history = serde_json::to_string(&json["history"]).unwrap();
    assert!(history.contains("rita accepted"), "{history}");

    // One undo step takes the acceptance back.
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.pending(), at[1..].to_vec());
}

#[test]
fn delete_rejects_and_a_rejected_suggestion_is_not_proposed_again() {
    let at = lavrovs();
    let mut b = Bench::open(Prefs::default());
    b.label_lavrov(1);
    b.key_mod(Modifiers::ALT, Key::N);
    b.key(Key::Delete);
    assert_eq!(b.pending(), at[2..].to_vec());
    assert_eq!(b.selected_start(), Some(at[2]), "moves on to the next");
    // The rest in one step (Alt+Shift+Delete): none pending, all three remembered.
    b.key_mod(Modifiers::ALT | Modifiers::SHIFT, Key::Delete);
    assert_eq!(b.pending(), Vec::<usize>::new());
    let rejected = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc()
        .rejected
        .len();
    assert_eq!(rejected, 3);
    // A person may still label a rejected range; nothing is proposed again.
    b.label_lavrov(3);
    assert_eq!(b.pending(), Vec::<usize>::new());
    assert_eq!(
        b.spans().iter().map(|s| s.0).collect::<Vec<_>>(),
        vec![at[0], at[2]]
    );
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert_eq!(b.saved_json()["rejected"].as_array().unwrap().len(), 3);
}

#[test]
fn alt_p_steps_back_and_wraps_and_a_label_key_relabels_and_accepts() {
    let at = lavrovs();
    let mut b = Bench::open(Prefs::default());
    b.label_lavrov(1);
    // From the labelled span (the first Lavrov), the previous suggestion wraps to the last.
    b.key_mod(Modifiers::ALT, Key::P);
    assert_eq!(b.selected_start(), Some(at[3]));
    b.key_mod(Modifiers::ALT, Key::P);
    assert_eq!(b.selected_start(), Some(at[2]));
    // Key 2 (action) relabels the suggestion and accepts it, as one undo step.
    b.key(Key::Num2);
    let third = b.spans().into_iter().find(|s| s.0 == at[2]).unwrap();
    assert_eq!(
        (third.1.as_str(), third.2, third.3.as_deref()),
        ("action", false, Some("rita"))
    );
    b.key_mod(Modifiers::COMMAND, Key::Z);
    let third = b.spans().into_iter().find(|s| s.0 == at[2]).unwrap();
    assert_eq!((third.1.as_str(), third.2), ("actor", true));
}

#[test]
fn accept_all_in_the_document_is_one_step_and_enter_delete_keep_their_meaning_elsewhere() {
    let mut b = Bench::open(Prefs::default());
    b.label_lavrov(1);
    b.key_mod(Modifiers::ALT | Modifiers::SHIFT, Key::Enter);
    assert!(b.pending().is_empty());
    assert!(
        b.spans()
            .iter()
            .filter(|s| s.4.is_some())
            .all(|s| s.3.as_deref() == Some("rita"))
    );
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.pending().len(), 3);

    // On a span a person made, Delete deletes it (the suggestions stay) and Enter does nothing.
    b.key(Key::Escape);
    b.key(Key::Tab);
    assert_eq!(b.selected_start(), Some(lavrovs()[0]));
    b.key(Key::Enter);
    assert_eq!(b.spans().len(), 4);
    b.key(Key::Delete);
    assert_eq!(b.spans().len(), 3);
    assert_eq!(b.pending().len(), 3);
}

#[test]
fn propagation_can_be_turned_off() {
    let mut b = Bench::open(Prefs::default());
    b.command(Command::TogglePropagation);
    assert!(!b.app().state().prefs.propagate);
    b.label_lavrov(1);
    assert_eq!(b.spans().len(), 1);
    assert!(b.pending().is_empty());
}

/// The dates the finder suggests, with their ISO values: (text, iso).
fn dates(b: &mut Bench) -> Vec<(String, String)> {
    let s = b.app().state().session.as_ref().unwrap();
    let set = s.doc().set();
    set.spans()
        .filter(|sp| is_pending(sp) && sp.attrs.get(AGENT).map(String::as_str) == Some("dates"))
        .map(|sp| {
            (
                set.span_text(sp).to_string(),
                sp.attrs.get("iso").cloned().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn the_date_finder_suggests_dates_with_iso_values() {
    let mut b = Bench::open(Prefs::default());
    b.command(Command::ToggleDateFinder);
    assert!(b.app().state().prefs.find_dates);
    let found = dates(&mut b);
    assert!(
        found.contains(&("Monday (Oct. 18)".to_string(), "2021-10-18".to_string())),
        "{found:?}"
    );
    assert!(
        found.contains(&("November 1".to_string(), "2021-11-01".to_string())),
        "{found:?}"
    );
    let notice = b.notice();
    assert!(
        notice.contains("suggested 5 dates (counted from the dateline)"),
        "{notice}"
    );
    let spans = b.spans();
    assert!(spans.iter().all(|s| s.1 == "date" && s.2));
    // Each found date once: running it again adds nothing.
    b.command(Command::ToggleDateFinder);
    b.command(Command::ToggleDateFinder);
    assert_eq!(b.spans().len(), spans.len());
}

#[test]
fn on_a_worker_the_dates_land_when_done() {
    let mut b = Bench::open(Prefs::default());
    let hold = Hold::new();
    b.app().set_jobs(Jobs {
        inline_up_to: 0,
        hold: Some(hold.clone()),
    });
    b.command(Command::ToggleDateFinder);
    assert!(
        b.app().state().jobs.dates.is_some(),
        "runs in the background"
    );
    assert!(dates(&mut b).is_empty(), "nothing until it lands");
    hold.release();
    for _ in 0..200 {
        if b.app().state().jobs.dates.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        b.settle();
    }
    b.settle();
    assert!(!dates(&mut b).is_empty());
}

#[test]
fn on_screen_answers_only_the_paragraphs_shown_and_an_agent_only_its_own() {
    let at = lavrovs();
    // A short window: the last Lavrov is below the paragraphs shown.
    let mut b = Bench::open_sized(Prefs::default(), egui::vec2(1280.0, 420.0));
    b.label_lavrov(1);
    b.command(Command::ToggleDateFinder);
    let shown = b.app().widgets().view().unwrap().shown_range.unwrap();
    assert!(
        shown.start().0 <= at[0] && at[3] >= shown.end().0,
        "{shown:?}"
    );
    let before = b.pending();
    b.command(Command::RejectAllOnScreen);
    let after = b.pending();
    assert!(after.contains(&at[3]), "the last Lavrov is not on screen");
    assert!(after.iter().all(|&p| p >= shown.end().0), "{after:?}");
    assert!(after.len() < before.len());
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.pending(), before);

    // Accept all of agent `dates`: the Lavrovs stay pending.
    b.app()
        .apply(Action::AnswerAgent("dates".to_string(), true));
    b.settle();
    let left: Vec<_> = b.spans().into_iter().filter(|s| s.2).collect();
    assert_eq!(left.len(), 3);
    assert!(left.iter().all(|s| s.4.as_deref() == Some("propagate")));
}

#[test]
fn with_the_date_finder_on_a_document_opened_gets_its_dates() {
    let mut b = Bench::open(Prefs {
        find_dates: true,
        ..Prefs::default()
    });
    assert_eq!(dates(&mut b).len(), 5);
    // Alt+N from the start selects the first; Alt+P with nothing pending says so.
    b.key_mod(Modifiers::ALT, Key::N);
    let first = b.selected_start().unwrap();
    assert_eq!(
        Some(first),
        b.pending().first().copied(),
        "the first suggestion in the text"
    );
    b.key_mod(Modifiers::ALT | Modifiers::SHIFT, Key::Delete);
    b.key_mod(Modifiers::ALT, Key::P);
    assert_eq!(b.notice(), "No suggestions pending");
}

#[test]
fn the_date_finder_on_a_worker_can_be_cancelled_and_adds_nothing() {
    let mut b = Bench::open(Prefs::default());
    let hold = Hold::new();
    b.app().set_jobs(Jobs {
        inline_up_to: 0,
        hold: Some(hold.clone()),
    });
    b.command(Command::ToggleDateFinder);
    assert!(b.app().state().jobs.dates.is_some());
    assert!(
        b.harness
            .query_by_label_contains("Finding dates…")
            .is_some(),
        "the status bar says it is at work"
    );
    b.harness.get_by_label("Cancel").click();
    // One frame: it takes what finished, then draws (the click is read), then applies the
    // Cancel; what the worker does next is seen from the next frame on.
    b.harness.step();
    // The work is told to stop (the flag the finder checks between chunks), and the status bar
    // says it is stopping until the worker has stopped.
    let cancelled = b
        .app()
        .state()
        .jobs
        .dates
        .as_ref()
        .map(|d| d.job.progress.is_cancelled());
    assert_eq!(
        cancelled,
        Some(true),
        "kept until the worker stops, told to stop"
    );
    assert_eq!(b.notice(), "Stopping the date finder…");
    hold.release();
    for _ in 0..200 {
        if b.app().state().jobs.dates.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        b.settle();
    }
    b.settle();
    assert!(b.app().state().jobs.dates.is_none(), "the worker stopped");
    assert!(dates(&mut b).is_empty());
    assert_eq!(
        b.notice(),
        "The date finder was cancelled; nothing was added"
    );
    assert!(
        b.harness
            .query_by_label_contains("Finding dates…")
            .is_none()
    );
}

#[test]
fn one_undo_takes_back_a_label_and_the_occurrences_it_proposed_and_redo_brings_both() {
    let at = lavrovs();
    let mut b = Bench::open(Prefs::default());
    b.label_lavrov(1);
    assert_eq!(b.spans().len(), 4);
    assert_eq!(b.pending(), at[1..].to_vec());
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(b.spans().is_empty(), "{:?}", b.spans());
    let notice = b.notice();
    assert_eq!(
        notice,
        "Undid: label 'Lavrov' as actor and suggest 3 other occurrences"
    );
    assert!(!b.app().state().session.as_ref().unwrap().is_dirty());
    b.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(b.spans().len(), 4);
    assert_eq!(b.pending(), at[1..].to_vec());
    assert_eq!(b.selected_start(), Some(at[0]), "the labelled span");
    // A label that proposes nothing is still its own plain step.
    b.key_mod(Modifiers::COMMAND, Key::Z);
    b.command(Command::TogglePropagation);
    b.label_lavrov(1);
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.notice(), "Undid: label 'Lavrov' as actor");
}

/// Picks `label` in the details panel's label box for the selected span.
fn relabel_in_details(b: &mut Bench, label: &str) {
    b.harness.get_by_label("Label of the selected span").click();
    b.settle();
    // The choice in the open list is the last widget of that name (the palette has one too).
    let choices = b.harness.query_all_by_label(label).count();
    assert!(choices >= 2, "the list is open");
    b.harness.query_all_by_label(label).last().unwrap().click();
    b.settle();
}

#[test]
fn relabelling_a_suggestion_in_the_details_panel_accepts_it_like_a_label_key() {
    let at = lavrovs();
    let mut b = Bench::open(Prefs::default());
    b.label_lavrov(1);
    b.key_mod(Modifiers::ALT, Key::N);
    assert_eq!(b.selected_start(), Some(at[1]));
    relabel_in_details(&mut b, "action");
    let second = b.spans().into_iter().find(|s| s.0 == at[1]).unwrap();
    assert_eq!(
        (second.1.as_str(), second.2, second.3.as_deref()),
        ("action", false, Some("rita")),
        "relabelled and accepted"
    );
    assert_eq!(b.selected_start(), Some(at[2]), "moves on to the next");
    b.key_mod(Modifiers::COMMAND, Key::S);
    let history = serde_json::to_string(&b.saved_json()["history"]).unwrap();
    assert!(history.contains("rita accepted"), "{history}");
    // One step, as with the key.
    b.key_mod(Modifiers::COMMAND, Key::Z);
    let second = b.spans().into_iter().find(|s| s.0 == at[1]).unwrap();
    assert_eq!((second.1.as_str(), second.2), ("actor", true));
}

#[test]
fn relabelling_a_persons_span_in_the_details_panel_proposes_its_occurrences() {
    let at = lavrovs();
    let mut b = Bench::open(Prefs::default());
    b.command(Command::TogglePropagation);
    b.label_lavrov(1);
    b.command(Command::TogglePropagation);
    assert!(b.pending().is_empty());
    assert_eq!(b.selected_start(), Some(at[0]));
    relabel_in_details(&mut b, "action");
    let spans = b.spans();
    assert_eq!(spans[0].1, "action");
    assert_eq!(b.pending(), at[1..].to_vec());
    assert!(
        spans.iter().filter(|s| s.2).all(|s| s.1 == "action"),
        "{spans:?}"
    );
    // The relabelling and what it proposed go back together.
    b.key_mod(Modifiers::COMMAND, Key::Z);
    let spans = b.spans();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].1, "actor");
}

#[test]
fn relabelling_a_span_withdraws_what_its_old_label_proposed_and_proposes_the_new() {
    let at = lavrovs();
    let mut b = Bench::open(Prefs::default());
    b.label_lavrov(1);
    assert_eq!(b.pending(), at[1..].to_vec());
    assert_eq!(b.selected_start(), Some(at[0]));
    relabel_in_details(&mut b, "action");
    // Not an actor suggestion left beside each new action one: the string is an action now.
    let spans = b.spans();
    assert_eq!(spans.len(), 4, "{spans:?}");
    assert!(spans.iter().all(|s| s.1 == "action"), "{spans:?}");
    assert_eq!(b.pending(), at[1..].to_vec());
    assert_eq!(
        b.notice(),
        "Labelled action 'Lavrov'; proposed 3 other occurrences instead of 3 suggestions (Alt+N goes through them)"
    );
    // One step back: the actor and its own three suggestions.
    b.key_mod(Modifiers::COMMAND, Key::Z);
    let spans = b.spans();
    assert_eq!(spans.len(), 4, "{spans:?}");
    assert!(spans.iter().all(|s| s.1 == "actor"), "{spans:?}");
    assert_eq!(b.pending(), at[1..].to_vec());
    assert_eq!(
        b.notice(),
        "Undid: relabel 'Lavrov' from actor to action and suggest 3 other occurrences"
    );
}

#[test]
fn labelling_a_suggestions_text_with_its_label_accepts_it_and_details_describe_it() {
    let at = lavrovs();
    let mut b = Bench::open(Prefs::default());
    b.label_lavrov(1);
    b.key_mod(Modifiers::ALT, Key::N);
    // The details panel says what the suggestion is.
    assert!(
        b.harness
            .query_by_label_contains("Suggestion by propagate, score 0.80")
            .is_some()
    );
    // Select the second Lavrov's text (not the span) and press 1: the suggestion is accepted,
    // not doubled.
    b.key(Key::Escape);
    b.app().apply(Action::Find(FindQuery::text("Lavrov")));
    b.settle();
    b.key(Key::F3);
    b.key(Key::F3);
    assert_eq!(
        b.app()
            .state()
            .session
            .as_ref()
            .unwrap()
            .selection()
            .map(|s| s.range().start().0),
        Some(at[1])
    );
    b.key(Key::Num1);
    let spans = b.spans();
    assert_eq!(spans.len(), 4);
    let second = spans.iter().find(|s| s.0 == at[1]).unwrap();
    assert_eq!((second.2, second.3.as_deref()), (false, Some("rita")));
}

#[test]
fn label_all_matches_accepts_the_pending_suggestions_among_them_in_one_step() {
    let mut b = Bench::open(Prefs::default());
    b.label_lavrov(1);
    assert_eq!(b.pending().len(), 3);
    b.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::Enter);
    assert!(b.pending().is_empty());
    assert_eq!(b.spans().len(), 4);
    let notice = b.notice();
    assert!(notice.contains("accepted 3 suggestions"), "{notice}");
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.pending().len(), 3);
}
