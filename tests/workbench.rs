//! The workbench driven through the real app with egui_kittest (no display, no GPU): each test
//! performs a workflow as an annotator would and checks the spans and offsets that result.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, Modifiers, Pos2, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::jobs::Jobs;
use spanmark::app::prefs::Prefs;
use spanmark::app::state::SpanFilters;
use spanmark::app::state::find::FindQuery;
use spanmark::app::{Action, SpanmarkApp, Startup};
use spanmark::model::{CharOffset, CharRange, Status, Timestamp};

const NATO: &str = include_str!("../sample_docs/russia_nato.txt");

/// A temp folder holding `name` with `contents`, and the app opened on it as `rita`.
struct Bench {
    dir: tempfile::TempDir,
    /// The data folder: recovery files and edit locks.
    data: tempfile::TempDir,
    harness: Harness<'static, SpanmarkApp>,
}

impl Bench {
    fn open(name: &str, contents: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        Self::open_path(dir, Some(path))
    }

    fn open_path(dir: tempfile::TempDir, file: Option<PathBuf>) -> Self {
        Self::open_with(dir, tempfile::tempdir().unwrap(), file, None)
    }

    fn open_with(
        dir: tempfile::TempDir,
        data: tempfile::TempDir,
        file: Option<PathBuf>,
        autosave_secs: Option<u64>,
    ) -> Self {
        let data_dir = data.path().to_path_buf();
        let harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .with_step_dt(1.0 / 60.0)
            .build_eframe(move |cc| {
                SpanmarkApp::new(
                    &cc.egui_ctx,
                    // These workflows count the spans people make: propagation's suggestions
                    // (on by default) are tested in tests/suggestions_gui.rs.
                    Prefs {
                        propagate: false,
                        ..Prefs::default()
                    },
                    Startup {
                        file,
                        annotator: Some("rita".to_string()),
                        autosave_secs,
                        data_dir: Some(data_dir),
                        frame_log: None,
                    },
                    Arc::new(|| Timestamp::from_unix(1_700_000_000)),
                )
            });
        let mut bench = Self { dir, data, harness };
        bench.settle();
        bench
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
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

    /// Spans as (label, start, end, text), in order.
    fn spans(&mut self) -> Vec<(String, usize, usize, String)> {
        let session = self.app().state().session.as_ref().unwrap();
        let set = session.doc().set();
        set.spans()
            .map(|s| {
                (
                    s.label.to_string(),
                    s.range.start().0,
                    s.range.end().0,
                    set.span_text(s).to_string(),
                )
            })
            .collect()
    }

    /// The screen position of char `offset` (the middle of the row, at the char's left edge).
    fn pos_of(&mut self, offset: usize) -> Pos2 {
        let r = self
            .harness
            .state_mut()
            .char_rect(CharOffset(offset))
            .unwrap_or_else(|| panic!("char {offset} is not in view"));
        Pos2::new(r.left() + 0.5, r.center().y)
    }

    fn drag(&mut self, from: Pos2, to: Pos2) {
        self.harness.hover_at(from);
        self.harness.drag_at(from);
        self.settle();
        let mid = Pos2::new((from.x + to.x) / 2.0, (from.y + to.y) / 2.0);
        self.harness.hover_at(mid);
        self.settle();
        self.harness.hover_at(to);
        self.settle();
        self.harness.drop_at(to);
        self.settle();
    }

    /// `n` clicks in quick succession (2: a double-click).
    fn clicks(&mut self, at: Pos2, n: usize, modifiers: Modifiers) {
        self.harness.hover_at(at);
        self.harness.event(egui::Event::ModifiersChanged(modifiers));
        for _ in 0..n {
            for pressed in [true, false] {
                self.harness.event(egui::Event::PointerButton {
                    pos: at,
                    button: egui::PointerButton::Primary,
                    pressed,
                    modifiers,
                });
                self.harness.step();
            }
        }
        self.harness
            .event(egui::Event::ModifiersChanged(Modifiers::NONE));
        self.settle();
    }

    fn click(&mut self, at: Pos2) {
        self.harness.hover_at(at);
        self.harness.drag_at(at);
        self.harness.drop_at(at);
        self.settle();
    }

    /// The selected span's id (a span must be selected).
    fn selected_id(&mut self) -> spanmark::model::SpanId {
        let session = self.app().state().session.as_ref().unwrap();
        session.selected_id().unwrap().clone()
    }

    fn selection(&mut self) -> Option<CharRange> {
        self.app()
            .state()
            .session
            .as_ref()
            .unwrap()
            .selection()
            .map(|s| s.range())
    }

    /// Searches for `text` as if it were typed into the find bar.
    fn find(&mut self, text: &str) {
        self.app().apply(Action::Find(FindQuery::text(text)));
    }

    fn saved_json(&self, name: &str) -> serde_json::Value {
        let bytes = std::fs::read(self.path(&format!("{name}.spanmark.json"))).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }
}

fn lavrov_offsets() -> (usize, usize) {
    let byte = NATO.find("Lavrov").unwrap();
    let start = NATO[..byte].chars().count();
    (start, start + 6)
}

#[test]
fn find_enter_one_save_writes_the_actor_span() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    assert_eq!(b.selection(), Some(CharRange::new(104, 110).unwrap()));
    b.key(Key::Num1);
    assert_eq!(b.spans(), [("actor".into(), 104, 110, "Lavrov".into())]);
    assert!(b.app().title().starts_with("● russia_nato.txt"));
    b.key_mod(Modifiers::COMMAND, Key::S);
    let json = b.saved_json("russia_nato.txt");
    let spans = json["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0]["label"], "actor");
    assert_eq!(spans[0]["text"], "Lavrov");
    assert_eq!(
        (spans[0]["start"].as_u64(), spans[0]["end"].as_u64()),
        (Some(104), Some(110))
    );
    assert_eq!(spans[0]["author"], "rita");
    assert_eq!(json["history"][0]["who"], "rita");
    assert!(!b.app().title().starts_with('●'));
    assert_eq!(lavrov_offsets(), (104, 110));
}

#[test]
fn ctrl_f_in_an_open_find_bar_selects_its_text_so_two_searches_label_two_spans() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    // The bar is still open with "Lavrov" in it: Ctrl+F selects it, typing replaces it.
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Monday");
    assert_eq!(b.app().state().find.query.text, "Monday");
    b.key(Key::Enter);
    b.key(Key::Num3);
    assert_eq!(
        b.spans(),
        [
            ("actor".into(), 104, 110, "Lavrov".into()),
            ("date".into(), 116, 122, "Monday".into())
        ]
    );
}

#[test]
fn drag_selects_by_words_and_a_hotkey_labels() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    // Drag from inside "Sergey" to inside "Lavrov": snapping gives "Sergey Lavrov".
    let from = b.pos_of(99);
    let to = b.pos_of(107);
    b.drag(from, to);
    assert_eq!(b.selection(), Some(CharRange::new(99, 107).unwrap()));
    b.key(Key::Num1);
    assert_eq!(
        b.spans(),
        [("actor".into(), 97, 110, "Sergey Lavrov".into())]
    );
}

#[test]
fn drag_with_snapping_off_keeps_character_precision() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::ALT, Key::W);
    assert!(!b.app().state().prefs.snap_words);
    let (from, to) = (b.pos_of(105), b.pos_of(108));
    b.drag(from, to);
    b.key(Key::Num2);
    assert_eq!(b.spans(), [("action".into(), 105, 108, "avr".into())]);
}

#[test]
fn double_click_selects_a_word_and_shift_click_extends() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    let p = b.pos_of(106);
    b.clicks(p, 2, Modifiers::NONE);
    assert_eq!(b.selection(), Some(CharRange::new(104, 110).unwrap()));
    // Shift+click on "Monday" extends to its end.
    let monday = b.pos_of(117);
    b.clicks(monday, 1, Modifiers::SHIFT);
    b.key(Key::Num4);
    assert_eq!(
        b.spans(),
        [("claim".into(), 104, 122, "Lavrov said Monday".into())]
    );
}

#[test]
fn keyboard_selection_by_character_and_word() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::ALT, Key::W); // character precision
    let p = b.pos_of(104);
    b.click(p);
    assert_eq!(b.selection(), Some(CharRange::new(104, 104).unwrap()));
    b.key_mod(Modifiers::SHIFT, Key::ArrowRight);
    b.key_mod(Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(b.selection(), Some(CharRange::new(104, 106).unwrap()));
    b.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(b.selection(), Some(CharRange::new(104, 110).unwrap()));
    b.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(b.selection(), Some(CharRange::new(104, 115).unwrap()));
    b.key_mod(Modifiers::SHIFT, Key::ArrowLeft);
    b.key(Key::Num3);
    assert_eq!(b.spans(), [("date".into(), 104, 114, "Lavrov sai".into())]);
}

#[test]
fn relabel_delete_resize_and_undo_redo() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    // The new span is selected: a label key now relabels it.
    b.key(Key::Num4);
    assert_eq!(b.spans(), [("claim".into(), 104, 110, "Lavrov".into())]);
    // Grow the end by a word, shrink the start... and back.
    b.key_mod(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(
        b.spans(),
        [("claim".into(), 104, 115, "Lavrov said".into())]
    );
    b.key_mod(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowUp);
    assert_eq!(
        b.spans(),
        [("claim".into(), 97, 115, "Sergey Lavrov said".into())]
    );
    b.key_mod(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowDown);
    b.key_mod(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowLeft);
    assert_eq!(b.spans(), [("claim".into(), 104, 110, "Lavrov".into())]);
    // The Edit menu names the step.
    let undo = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .undo_text()
        .unwrap();
    assert_eq!(undo, "Undo: resize to 'Lavrov'");
    b.key(Key::Delete);
    assert!(b.spans().is_empty());
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.spans(), [("claim".into(), 104, 110, "Lavrov".into())]);
    for _ in 0..5 {
        b.key_mod(Modifiers::COMMAND, Key::Z);
    }
    assert_eq!(b.spans(), [("actor".into(), 104, 110, "Lavrov".into())]);
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(b.spans().is_empty());
    assert!(!b.app().state().session.as_ref().unwrap().is_dirty());
    b.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(b.spans(), [("actor".into(), 104, 110, "Lavrov".into())]);
    b.key_mod(Modifiers::COMMAND, Key::Y);
    assert_eq!(b.spans(), [("claim".into(), 104, 110, "Lavrov".into())]);
}

#[test]
fn a_second_label_then_undo_leaves_the_first_and_a_claim_around_an_actor_keeps_both() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("");
    b.find("Monday");
    b.key(Key::F3);
    b.key(Key::Num3);
    assert_eq!(b.spans().len(), 2);
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.spans(), [("actor".into(), 104, 110, "Lavrov".into())]);
    // A claim around the actor.
    let (from, to) = (b.pos_of(97), b.pos_of(121));
    b.drag(from, to);
    b.key(Key::Num4);
    let spans = b.spans();
    assert_eq!(spans.len(), 2, "{spans:?}");
    assert!(spans.contains(&("claim".into(), 97, 122, "Sergey Lavrov said Monday".into())));
    assert!(spans.contains(&("actor".into(), 104, 110, "Lavrov".into())));
    b.key_mod(Modifiers::COMMAND, Key::S);
    let json = b.saved_json("russia_nato.txt");
    assert_eq!(json["spans"].as_array().unwrap().len(), 2);
}

#[test]
fn label_all_matches_is_one_undo_step() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("NATO");
    b.app().apply(Action::Find(FindQuery {
        text: "NATO".into(),
        case_sensitive: true,
        whole_word: true,
    }));
    b.app().apply(Action::FindLabel(0));
    b.settle();
    let n = b.app().state().find.matches().len();
    assert!(n >= 10, "{n}");
    b.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::Enter);
    let spans = b.spans();
    assert_eq!(spans.len(), n);
    assert!(spans.iter().all(|(l, _, _, t)| l == "actor" && t == "NATO"));
    let undo = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .undo_text()
        .unwrap();
    assert_eq!(undo, format!("Undo: label {n} matches of 'NATO' as actor"));
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(b.spans().is_empty());
}

#[test]
fn span_list_and_next_previous_navigate() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Moscow");
    b.app().apply(Action::FindLabel(0));
    b.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::Enter);
    let spans = b.spans();
    assert!(spans.len() >= 2);
    b.key(Key::Escape);
    b.key(Key::Tab);
    let selected = |b: &mut Bench| {
        let s = b.app().state().session.as_ref().unwrap();
        s.selected().map(|s| s.range.start().0)
    };
    assert_eq!(selected(&mut b), Some(spans[0].1));
    b.key(Key::Tab);
    assert_eq!(selected(&mut b), Some(spans[1].1));
    b.key_mod(Modifiers::SHIFT, Key::Tab);
    assert_eq!(selected(&mut b), Some(spans[0].1));
    // Click the last row of the span list.
    let rows = b.harness.get_all_by_role(Role::ListItem).count();
    assert_eq!(rows, spans.len());
    let last = b
        .harness
        .get_all_by_role(Role::ListItem)
        .last()
        .unwrap()
        .rect()
        .center();
    b.click(Pos2::new(last.x, last.y));
    assert_eq!(selected(&mut b), Some(spans.last().unwrap().1));
}

#[test]
fn status_note_and_date_value_from_the_details_panel() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Monday");
    b.key(Key::Enter);
    b.key(Key::Num3);
    let id = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .selected_id()
        .cloned()
        .unwrap();
    b.app().apply(Action::SetAttr(
        id.clone(),
        "iso".into(),
        Some("2021-10-18".into()),
    ));
    b.app()
        .apply(Action::SetStatus(id.clone(), Status::Accepted));
    b.settle();
    let accepted = b.harness.get_by_label("accepted");
    assert!(accepted.rect().width() > 0.0);
    b.key_mod(Modifiers::COMMAND, Key::S);
    let json = b.saved_json("russia_nato.txt");
    assert_eq!(json["spans"][0]["attrs"]["iso"], "2021-10-18");
    assert_eq!(json["spans"][0]["status"], "accepted");
}

#[test]
fn emoji_and_cjk_offsets_are_scalar_values() {
    let text = "👩‍🔬 東京都の知事が発表した。\nMr Lavrov 👍🏽 said so.\n";
    let mut b = Bench::open("multi.txt", text);
    b.key_mod(Modifiers::ALT, Key::W);
    // 👩‍🔬 is three scalars (woman, ZWJ, microscope): 東京都 is 4..7.
    let (from, to) = (b.pos_of(4), b.pos_of(7));
    b.drag(from, to);
    b.key(Key::Num1);
    assert_eq!(b.spans(), [("actor".into(), 4, 7, "東京都".into())]);
    // A drag that starts inside the emoji starts at its first scalar, never inside it.
    let (from, to) = (b.pos_of(2), b.pos_of(7));
    b.drag(from, to);
    assert_eq!(b.selection().unwrap().start(), CharOffset(0));
    // Double-click "said" after an emoji with a skin tone.
    let said = text.find("said").unwrap();
    let said = text[..said].chars().count();
    let p = b.pos_of(said + 1);
    b.clicks(p, 2, Modifiers::NONE);
    b.key(Key::Num2);
    let spans = b.spans();
    assert_eq!(spans[1], ("action".into(), said, said + 4, "said".into()));
    b.key_mod(Modifiers::COMMAND, Key::S);
    let json = b.saved_json("multi.txt");
    assert_eq!(json["spans"][1]["start"].as_u64(), Some(said as u64));
}

#[test]
fn unsaved_changes_prompt_on_open_offers_save_discard_cancel() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    std::fs::write(b.path("other.txt"), "Another article about Brussels.").unwrap();
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    let other = b.path("other.txt");
    b.app().apply(Action::Open(other.clone()));
    b.settle();
    assert!(b.app().state().pending.as_ref().is_some());
    b.harness.get_by_label("Cancel").click();
    b.settle();
    assert!(b.app().state().pending.as_ref().is_none());
    assert_eq!(b.spans().len(), 1, "still on the first document");
    b.app().apply(Action::Open(other.clone()));
    b.settle();
    b.harness.get_by_label("Save").click();
    b.settle();
    assert_eq!(
        b.app().state().session.as_ref().unwrap().doc().source.name,
        "other.txt"
    );
    assert_eq!(
        b.saved_json("russia_nato.txt")["spans"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Discard: the change is not written.
    let (from, to) = (b.pos_of(0), b.pos_of(7));
    b.drag(from, to);
    b.key(Key::Num1);
    let first = b.path("russia_nato.txt");
    b.app().apply(Action::Open(first));
    b.settle();
    b.harness.get_by_label("Discard").click();
    b.settle();
    assert!(!b.path("other.txt.spanmark.json").exists());
    assert_eq!(b.spans().len(), 1, "reopened with its saved span");
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    b.harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    b.settle();
    assert_eq!(
        b.app().state().pending.as_ref(),
        Some(&spanmark::app::state::Pending::Quit)
    );
}

#[test]
fn labels_can_be_added_renamed_and_are_saved_in_the_file() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    let session = b.app().state().session.as_ref().unwrap();
    let mut defs = session.doc().schema.labels().to_vec();
    defs[0].name = spanmark::model::Label::new("person").unwrap();
    defs.push(spanmark::model::LabelDef {
        name: spanmark::model::Label::new("place").unwrap(),
        colour: spanmark::model::label::palette::VERMILLION,
        hotkey: Some('5'),
        description: "A location".into(),
        attributes: Vec::new(),
    });
    let schema = spanmark::model::Schema::new(defs).unwrap();
    let renames = vec![(
        spanmark::model::Label::new("actor").unwrap(),
        spanmark::model::Label::new("person").unwrap(),
    )];
    b.app().apply(Action::SetSchema(
        schema,
        spanmark::app::session::Renames::labels(renames),
    ));
    b.settle();
    assert_eq!(b.spans(), [("person".into(), 104, 110, "Lavrov".into())]);
    // The new label's hotkey works.
    b.find("Moscow");
    b.key(Key::F3);
    b.key(Key::Num5);
    assert!(
        b.spans()
            .iter()
            .any(|(l, _, _, t)| l == "place" && t == "Moscow")
    );
    b.key_mod(Modifiers::COMMAND, Key::S);
    let json = b.saved_json("russia_nato.txt");
    let names: Vec<_> = json["schema"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["person", "action", "date", "claim", "place"]);
}

#[test]
fn opening_a_native_file_and_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Alpha said.").unwrap();
    std::fs::write(dir.path().join("b.txt"), "Beta said.").unwrap();
    let mut b = Bench::open_path(dir, None);
    let root = b.dir.path().to_path_buf();
    b.app().apply(Action::OpenFolder(root.clone()));
    b.settle();
    assert_eq!(
        b.app().state().session.as_ref().unwrap().doc().source.name,
        "a.txt"
    );
    assert_eq!(b.app().state().folder.as_ref().unwrap().docs.len(), 2);
    let (from, to) = (b.pos_of(0), b.pos_of(3));
    b.drag(from, to);
    b.key(Key::Num1);
    b.key_mod(Modifiers::COMMAND, Key::S);
    b.key_mod(Modifiers::COMMAND, Key::PageDown);
    assert_eq!(
        b.app().state().session.as_ref().unwrap().doc().source.name,
        "b.txt"
    );
    let summary = b.app().state().folder.as_ref().unwrap().docs[0]
        .summary
        .unwrap();
    assert_eq!(summary.spans, 1);
    b.key_mod(Modifiers::COMMAND, Key::PageUp);
    assert_eq!(b.spans(), [("actor".into(), 0, 5, "Alpha".into())]);
    // Opening the native file directly gives the same document.
    b.app()
        .apply(Action::Open(root.join("a.txt.spanmark.json")));
    b.settle();
    assert_eq!(b.spans(), [("actor".into(), 0, 5, "Alpha".into())]);
}

#[derive(Debug)]
struct DroppedPath(PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_file_opens() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    let other = b.path("dropped.txt");
    std::fs::write(&other, "Dropped text.").unwrap();
    b.harness
        .input_mut()
        .dropped_files
        .push(Arc::new(DroppedPath(other)));
    b.settle();
    assert_eq!(
        b.app().state().session.as_ref().unwrap().doc().source.name,
        "dropped.txt"
    );
}

#[test]
fn layout_work_per_frame_does_not_grow_with_the_article() {
    // The same screenful is laid out whether the article has 300 or 25,000 paragraphs.
    let mut counts = Vec::new();
    for n in [300, 3_000, 25_000] {
        let long: String = (0..n)
            .map(|i| format!("Paragraph {i} about NATO and Lavrov.\n"))
            .collect();
        let b = Bench::open("long.txt", &long);
        let view = b.harness.state().widgets().view().unwrap();
        assert!(view.blocks().len() >= n);
        counts.push(view.laid_out_last_frame);
    }
    assert!(counts[0] > 0);
    assert!(counts.windows(2).all(|w| w[0] == w[1]), "{counts:?}");
    // One 640 KB paragraph without a line break is cut in pieces: still only a screenful.
    let one = "NATO and Lavrov said on Monday that talks would resume. ".repeat(11_500);
    let b = Bench::open("one.txt", &one);
    let view = b.harness.state().widgets().view().unwrap();
    assert!(view.blocks().len() > 100, "{}", view.blocks().len());
    assert!(
        view.laid_out_last_frame <= counts[0] + 2,
        "{} blocks laid out for one long paragraph, {} for short ones",
        view.laid_out_last_frame,
        counts[0]
    );
}

#[test]
fn only_visible_blocks_are_laid_out() {
    let long: String = (0..20_000)
        .map(|i| format!("Paragraph {i} about NATO and Lavrov.\n"))
        .collect();
    let mut b = Bench::open("long.txt", &long);
    let view = b.app().widgets().view().unwrap();
    assert!(view.blocks().len() > 20_000);
    assert!(
        view.laid_out_last_frame < 60,
        "{}",
        view.laid_out_last_frame
    );
    // AccessKit sees the visible paragraphs, not the whole article.
    let paragraphs = b.harness.get_all_by_role(Role::Paragraph).count();
    assert!((5..60).contains(&paragraphs), "{paragraphs}");
    let _ = b
        .harness
        .get_by_role_and_label(Role::Document, "Article text");
    // Jump far down: still only a screenful.
    b.find("Paragraph 15000 ");
    b.key(Key::F3);
    let view = b.app().widgets().view().unwrap();
    assert!(
        view.laid_out_last_frame < 60,
        "{}",
        view.laid_out_last_frame
    );
    assert!(view.first_visible > 14_000, "{}", view.first_visible);
}

#[test]
fn right_to_left_paragraphs_select_whole_words_with_exact_offsets() {
    let arabic = "قال وزير الخارجية الروسي سيرغي لافروف يوم الاثنين إن بلاده ستعلق بعثتها";
    let text = format!("An English line first.\n{arabic}\nAnd English after.\n");
    let mut b = Bench::open("rtl.txt", &text);
    let start = "An English line first.\n".chars().count();
    let first = b.pos_of(start);
    assert!(
        b.app().widgets().view().unwrap().fallback_visible,
        "the Arabic line uses the word-level fallback"
    );
    let to = Pos2::new(first.x + 160.0, first.y);
    b.drag(Pos2::new(first.x + 2.0, first.y), to);
    let sel = b.selection().unwrap();
    let chars: Vec<char> = text.chars().collect();
    let selected: String = chars[sel.start().0..sel.end().0].iter().collect();
    assert_eq!(sel.start().0, start, "starts at the first word");
    assert!(arabic.starts_with(&selected), "{selected:?}");
    // It ends at the end of a word: the next char is a space (or the line ends).
    assert!(
        chars
            .get(sel.end().0)
            .is_none_or(|c| *c == ' ' || *c == '\n'),
        "{selected:?}"
    );
    b.key(Key::Num1);
    let spans = b.spans();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].3, selected.trim_end());
    // The status bar says why selection is word-level there.
    let _ = b
        .harness
        .get_by_label("right-to-left text: whole-word selection");
}

#[test]
fn autosaved_work_is_offered_after_a_crash_and_enter_recovers_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let article = dir.path().join("russia_nato.txt");
    std::fs::write(&article, NATO).unwrap();
    let data_path = data.path().to_path_buf();
    let mut b = Bench::open_with(dir, data, Some(article.clone()), Some(1));
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    // A second and a half of frames: the autosave is due after one.
    b.harness.run_steps(90);
    let recovery_files = std::fs::read_dir(data_path.join("recovery"))
        .unwrap()
        .count();
    assert_eq!(recovery_files, 2, "the recovery file and its meta");
    // The "crash": the window goes away without saving.
    let Bench { dir, data, harness } = b;
    drop(harness);
    assert!(!dir.path().join("russia_nato.txt.spanmark.json").exists());
    let mut b = Bench::open_with(dir, data, Some(article), Some(1));
    assert!(
        b.app().state().windows.recovery.is_some(),
        "recovery is offered"
    );
    b.key(Key::Enter);
    assert!(b.app().state().windows.recovery.is_none());
    assert_eq!(b.spans(), [("actor".into(), 104, 110, "Lavrov".into())]);
    assert!(
        b.app().state().session.as_ref().unwrap().is_dirty(),
        "recovered work is unsaved"
    );
    b.key_mod(Modifiers::COMMAND, Key::S);
    let json = b.saved_json("russia_nato.txt");
    assert_eq!(json["spans"][0]["text"], "Lavrov");
    // Saved: nothing left to recover.
    assert_eq!(
        std::fs::read_dir(data_path.join("recovery"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_without_asking() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    b.key_mod(Modifiers::COMMAND, Key::S);
    // Someone else writes the file (another window, a git pull).
    let native = b.path("russia_nato.txt.spanmark.json");
    let theirs = std::fs::read(&native).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&theirs).unwrap();
    v["annotator"] = "omar".into();
    let theirs = serde_json::to_vec_pretty(&v).unwrap();
    std::fs::write(&native, &theirs).unwrap();
    b.find("Monday");
    b.key(Key::F3);
    b.key(Key::Num3);
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert!(b.app().state().windows.conflict, "asked before overwriting");
    assert_eq!(std::fs::read(&native).unwrap(), theirs, "not overwritten");
    b.harness.get_by_label("Keep both").click();
    b.settle();
    assert_eq!(std::fs::read(&native).unwrap(), theirs, "theirs kept");
    let mine: Vec<_> = std::fs::read_dir(b.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".mine-"))
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    let copy: serde_json::Value =
        serde_json::from_slice(&std::fs::read(b.path(&mine[0])).unwrap()).unwrap();
    assert_eq!(copy["spans"].as_array().unwrap().len(), 2);
    // Overwrite is the other answer.
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert!(b.app().state().windows.conflict);
    b.harness.get_by_label("Overwrite").click();
    b.settle();
    assert_eq!(
        b.saved_json("russia_nato.txt")["spans"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // And after our own save there is nothing to ask.
    b.find("NATO");
    b.key(Key::F3);
    b.key(Key::Num1);
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert!(!b.app().state().windows.conflict);
}

fn session_start(app: &mut SpanmarkApp, id: &spanmark::model::SpanId) -> usize {
    app.state()
        .session
        .as_ref()
        .unwrap()
        .doc()
        .set()
        .get(id)
        .unwrap()
        .range
        .start()
        .0
}

#[test]
fn the_span_list_follows_edits_under_its_filters() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.app().apply(Action::FilterSpans(SpanFilters {
        label: Some("date".into()),
        ..SpanFilters::default()
    }));
    b.settle();
    assert_eq!(b.harness.query_all_by_role(Role::ListItem).count(), 0);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Monday");
    b.key(Key::Enter);
    b.key(Key::Num3);
    b.find("November 1");
    b.key(Key::F3);
    b.key(Key::Num3);
    b.find("Lavrov");
    b.key(Key::F3);
    b.key(Key::Num1);
    let rows: Vec<String> = b
        .harness
        .get_all_by_role(Role::ListItem)
        .map(|n| {
            use egui_kittest::kittest::NodeT;
            n.accesskit_node().label().unwrap_or_default()
        })
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains("Monday") && rows[1].contains("November 1"),
        "{rows:?}"
    );
    // Relabel the selected actor to date: it joins the list, in text order.
    b.key(Key::Num3);
    let rows: Vec<String> = b
        .harness
        .get_all_by_role(Role::ListItem)
        .map(|n| {
            use egui_kittest::kittest::NodeT;
            n.accesskit_node().label().unwrap_or_default()
        })
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    // The list stays in text order (this Lavrov is the one after "November 1", found by F3).
    let ids = b.app().widgets().span_list_rows().to_vec();
    let starts: Vec<usize> = ids.iter().map(|id| session_start(b.app(), id)).collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    assert!(rows[2].contains("Lavrov"), "{rows:?}");
    // Undo the relabel, the actor, and the second date.
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.harness.get_all_by_role(Role::ListItem).count(), 2);
    b.key_mod(Modifiers::COMMAND, Key::Z);
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(b.harness.get_all_by_role(Role::ListItem).count(), 1);
}

#[test]
fn a_folder_of_ten_thousand_articles_lists_at_once_and_counts_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        std::fs::write(
            dir.path().join(format!("doc{i:05}.txt")),
            format!("Article {i} says NATO."),
        )
        .unwrap();
    }
    let mut b = Bench::open_path(dir, None);
    let root = b.dir.path().to_path_buf();
    // One annotated document, to see its count arrive.
    let doc = spanmark::store::open::open(&root.join("doc09999.txt"), "rita").unwrap();
    spanmark::store::native::save(&doc.doc, &doc.native_path).unwrap();
    b.app().apply(Action::OpenFolder(root));
    b.harness.step();
    let folder = b.app().state().folder.as_ref().unwrap();
    assert_eq!(
        folder.docs.len(),
        10_000,
        "every document is listed at once"
    );
    assert_eq!(
        b.app().state().session.as_ref().unwrap().doc().source.name,
        "doc00000.txt"
    );
    // The counts arrive while the window keeps drawing.
    for _ in 0..2_000 {
        b.harness.step();
        if b.app().state().folder.as_ref().unwrap().reader.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let folder = b.app().state().folder.as_ref().unwrap();
    assert!(folder.reader.is_none(), "all read: {}", folder.read_count());
    assert_eq!(folder.read_count(), 10_000);
    assert_eq!(folder.docs[9_999].summary.unwrap().spans, 0);
    assert!(folder.docs[0].summary.is_none(), "no annotation file yet");
}

#[test]
fn a_long_document_opens_in_the_background_and_can_be_cancelled() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    let big: String = (0..40_000)
        .map(|i| format!("Paragraph {i} about NATO.\n"))
        .collect();
    assert!(big.len() > 1_000_000);
    let path = b.path("big.txt");
    std::fs::write(&path, &big).unwrap();
    // Cancelled: the window stays on the document it had. The worker waits at a gate, so the
    // test sees it running however fast the machine is.
    let hold = spanmark::app::jobs::Hold::new();
    b.app().set_jobs(Jobs {
        hold: Some(hold.clone()),
        ..Jobs::default()
    });
    b.app().apply(Action::Open(path.clone()));
    b.harness.step();
    assert!(
        b.app().state().jobs.loading.is_some(),
        "opening in the background"
    );
    assert!(b.harness.query_by_label("Cancel").is_some());
    b.harness.get_by_label("Cancel").click();
    b.settle();
    assert!(b.app().state().jobs.loading.is_none());
    assert_eq!(
        b.app().state().session.as_ref().unwrap().doc().source.name,
        "russia_nato.txt"
    );
    // Not cancelled: it opens, the window drawing all along.
    hold.release();
    b.app().apply(Action::Open(path));
    for _ in 0..1_000 {
        b.harness.step();
        if b.app().state().jobs.loading.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(b.app().state().jobs.loading.is_none());
    assert_eq!(
        b.app().state().session.as_ref().unwrap().doc().source.name,
        "big.txt"
    );
}

#[test]
fn escape_closes_the_help_and_a_modal_question_keeps_the_keys_to_itself() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key(Key::F1);
    assert!(b.app().state().windows.help);
    b.harness.get_by_label("Keyboard shortcuts");
    b.key(Key::Escape);
    assert!(!b.app().state().windows.help, "Escape closes the help");
    // With the unsaved-changes question asked, a label key labels nothing.
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    b.find("Monday");
    b.key(Key::F3);
    let other = b.path("other.txt");
    std::fs::write(&other, "Another article.").unwrap();
    b.app().apply(Action::Open(other));
    b.settle();
    assert!(b.app().state().pending.is_some());
    b.key(Key::Num3);
    assert_eq!(
        b.spans().len(),
        1,
        "the key went to the question, not the article"
    );
    b.key(Key::Escape);
    assert!(
        b.app().state().pending.is_none(),
        "Escape cancels the question"
    );
    b.key(Key::Num3);
    assert_eq!(b.spans().len(), 2);
}

#[test]
fn an_idle_window_stops_drawing() {
    // Every action asks for one more frame: a widget that returned one each frame (a filter or
    // a field compared with the state) would keep the window drawing for ever.
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.harness.run();
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Lavrov");
    b.key(Key::Enter);
    b.key(Key::Num1);
    b.harness.run();
    b.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    b.key(Key::C);
    b.harness.run();
    b.key(Key::Escape);
    b.key(Key::F1);
    b.harness.run();
    assert_eq!(b.spans().len(), 1);
}

/// Labels `phrase` (its first occurrence) through the find bar and a label key.
fn label_found(b: &mut Bench, phrase: &str, key: Key) {
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text(phrase);
    b.key(Key::Enter);
    b.key(key);
}

/// The relations of the document as (kind, from text, to text).
fn relations(b: &mut Bench) -> Vec<(String, String, String)> {
    let session = b.app().state().session.as_ref().unwrap();
    let set = session.doc().set();
    let text = |id| set.span_text(set.get(id).unwrap()).to_string();
    set.relations()
        .map(|r| (r.kind.to_string(), text(&r.from), text(&r.to)))
        .collect()
}

const CLAIM: &str = "that his country is suspending its mission to NATO";

#[test]
fn r_enter_and_r_tab_enter_from_the_claim_make_two_relations_that_are_saved_and_drawn() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    label_found(&mut b, "Sergey Lavrov", Key::Num1);
    label_found(&mut b, "said", Key::Num2);
    label_found(&mut b, "Monday", Key::Num3);
    label_found(&mut b, CLAIM, Key::Num4);
    // The claim is selected: R picks its nearest end (Monday), Enter makes the relation.
    b.key(Key::R);
    b.key(Key::Enter);
    // R again starts from the claim, skips Monday (linked) and picks said; Tab: Lavrov.
    b.key(Key::R);
    b.key(Key::Tab);
    b.key(Key::Enter);
    let time = ("time".into(), CLAIM.into(), "Monday".into());
    let source = ("source".into(), CLAIM.into(), "Sergey Lavrov".into());
    assert_eq!(relations(&mut b), [time.clone(), source.clone()]);
    b.key_mod(Modifiers::COMMAND, Key::S);
    let json = b.saved_json("russia_nato.txt");
    assert_eq!(json["version"], 2);
    let kinds: Vec<&str> = json["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["time", "source"]);
    // Both arrows are drawn; clicking one selects its relation, Delete removes it, undo
    // brings it back.
    let arrows = b.app().widgets().view().unwrap().arrows.clone();
    assert_eq!(arrows.len(), 2, "{arrows:?}");
    let time_arrow = arrows.iter().find(|a| a.kind == "time").unwrap();
    let on_it = time_arrow.label_at;
    b.click(on_it);
    let selected = b.app().state().session.as_ref().unwrap().focus().clone();
    assert_eq!(
        selected,
        spanmark::app::session::Focus::Relation(time_arrow.relation.clone())
    );
    b.key(Key::Delete);
    assert_eq!(relations(&mut b), std::slice::from_ref(&source));
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(relations(&mut b), [time, source]);
}

#[test]
fn alt_click_links_the_selected_span_and_deleting_a_span_says_its_relations_go_too() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    label_found(&mut b, "Sergey Lavrov", Key::Num1);
    label_found(&mut b, "said", Key::Num2);
    // said is selected: Alt+click on Lavrov makes said → Lavrov, of the first kind (agent).
    let lavrov = b.pos_of(106);
    b.clicks(lavrov, 1, Modifiers::ALT);
    assert_eq!(
        relations(&mut b),
        [("agent".into(), "said".into(), "Sergey Lavrov".into())]
    );
    // Selecting Lavrov and deleting it takes the relation along, and says so.
    b.clicks(lavrov, 1, Modifiers::NONE);
    b.key(Key::Delete);
    assert!(relations(&mut b).is_empty());
    let notice = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .notice()
        .unwrap()
        .text
        .clone();
    assert!(notice.contains("its 1 relation"), "{notice}");
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(relations(&mut b).len(), 1);
}

#[test]
fn a_drag_from_a_chip_to_another_span_links_them() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    label_found(&mut b, "Sergey Lavrov", Key::Num1);
    label_found(&mut b, "Monday", Key::Num3);
    label_found(&mut b, "said", Key::Num2);
    let said = b.selected_id();
    let chip = b.app().widgets().view().unwrap().chip_of(&said).unwrap();
    // From said's chip onto the text of Monday: said → Monday, of the only kind (time).
    let monday = b.pos_of(118);
    b.drag(chip.center(), monday);
    assert_eq!(
        relations(&mut b),
        [("time".into(), "said".into(), "Monday".into())]
    );
    // The drag made no text selection on the way.
    assert_eq!(b.selection(), None);
}

#[test]
fn the_frames_window_lists_the_claim_with_its_missing_cue_and_a_click_selects_it() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    label_found(&mut b, "Sergey Lavrov", Key::Num1);
    label_found(&mut b, "said", Key::Num2);
    label_found(&mut b, CLAIM, Key::Num4);
    let claim = b.selected_id();
    b.key(Key::R);
    b.key(Key::Tab); // past said (cue) to Lavrov
    b.key(Key::Enter);
    b.key(Key::Escape);
    assert_eq!(relations(&mut b).len(), 1);
    // The span list keeps the claims without a cue: this one.
    b.app().apply(Action::FilterSpans(SpanFilters {
        missing: Some((spanmark::model::frames::FrameType::Claim, "cue")),
        ..SpanFilters::default()
    }));
    b.settle();
    assert_eq!(
        b.app().widgets().span_list_rows(),
        std::slice::from_ref(&claim)
    );
    // F4: the claim's frame, its source filled, cue and time missing; said is an event.
    b.key(Key::F4);
    let rows: Vec<String> = b
        .harness
        .query_all_by_role(Role::ListItem)
        .filter_map(|n| {
            use egui_kittest::kittest::NodeT;
            n.accesskit_node().label()
        })
        .filter(|l| l.starts_with("claim '") || l.starts_with("event '"))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(b.harness.query_by_label_contains("cue: missing").is_some());
    assert!(
        b.harness
            .query_by_label_contains("source: 'Sergey Lavrov'")
            .is_some()
    );
    b.key(Key::Escape);
    b.harness
        .get_by_label(
            &rows
                .iter()
                .find(|l| l.starts_with("claim"))
                .unwrap()
                .clone(),
        )
        .click();
    b.settle();
    let selected = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .selected_id()
        .cloned();
    assert_eq!(selected, Some(claim));
}

#[test]
fn the_frame_log_gets_a_line_per_frame_with_its_milliseconds_and_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("russia_nato.txt");
    std::fs::write(&article, NATO).unwrap();
    let log = dir.path().join("frames.log");
    let (file, frame_log) = (Some(article), Some(log.clone()));
    let data = tempfile::tempdir().unwrap();
    let data_dir = Some(data.path().to_path_buf());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            SpanmarkApp::new(
                &cc.egui_ctx,
                Prefs::default(),
                Startup {
                    file,
                    annotator: Some("rita".into()),
                    autosave_secs: None,
                    data_dir,
                    frame_log,
                },
                Arc::new(|| Timestamp::from_unix(1_700_000_000)),
            )
        });
    harness.run_steps(5);
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<(f64, usize)> = text
        .lines()
        .map(|l| {
            let (ms, blocks) = l.split_once(' ').unwrap();
            (ms.parse().unwrap(), blocks.parse().unwrap())
        })
        .collect();
    assert!(lines.len() >= 5, "{text}");
    assert!(lines.iter().all(|(ms, _)| *ms > 0.0));
    // The article shows: its first blocks are laid out.
    assert!(lines.last().unwrap().1 > 5, "{text}");
}

#[test]
fn a_find_match_is_labelled_exactly_as_found_even_with_whole_words_on() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    // "NATO" as a whole word also matches inside "NATO’s"; snapping is on.
    assert!(b.app().state().prefs.snap_words);
    b.app().apply(Action::Find(FindQuery {
        text: "NATO".into(),
        case_sensitive: true,
        whole_word: true,
    }));
    let possessive = NATO[..NATO.find("NATO’s").unwrap()].chars().count();
    let mut found = None;
    for _ in 0..10 {
        b.key(Key::F3);
        if b.selection().map(|r| r.start().0) == Some(possessive) {
            found = b.selection();
            break;
        }
    }
    assert_eq!(found, CharRange::new(possessive, possessive + 4));
    b.key(Key::Num1);
    let spans = b.spans();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].3, "NATO", "labelled as found, not grown to NATO’s");
}

#[test]
fn a_new_query_starts_at_the_current_match() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Russian Foreign Minister Sergey Lavrov said Monday");
    b.key(Key::Enter);
    let first = b.selection().unwrap();
    // A shorter query that matches at the same place finds that place, not the next one.
    b.key_mod(Modifiers::COMMAND, Key::F);
    b.type_text("Russian Foreign Minister");
    b.key(Key::Enter);
    let here = b.selection().unwrap();
    assert_eq!(here.start(), first.start());
    assert_eq!(here.len(), "Russian Foreign Minister".chars().count());
    // F3 goes on to the next occurrence.
    b.key(Key::F3);
    assert!(b.selection().unwrap().start() > first.start());
}

#[test]
fn a_file_that_cannot_be_opened_is_named_in_the_dialog_with_the_reason() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    let bin = b.path("bin.txt");
    std::fs::write(&bin, [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    b.app().apply(Action::Open(bin));
    b.settle();
    assert!(b.harness.query_by_label("Could not open bin.txt").is_some());
    let failure = b.app().state().windows.error.clone().unwrap();
    assert_eq!(failure.what, "open bin.txt");
    assert!(failure.reason.contains("bin.txt"), "{}", failure.reason);
    // The document shown stays the one that was open.
    let name = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc()
        .source
        .name
        .clone();
    assert_eq!(name, "russia_nato.txt");
}

/// Frames until no file is being written (the worker wakes the window when it is done).
fn until_written(b: &mut Bench) {
    for _ in 0..2_000 {
        b.harness.step();
        let jobs = &b.app().state().jobs;
        if jobs.writing.is_none() && !jobs.save_queued {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("the save never landed");
}

#[test]
fn a_big_save_is_written_on_a_worker_while_the_window_answers() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    // Every save goes to the worker, which waits at a gate: the test sees the save running
    // however fast the machine is.
    let hold = spanmark::app::jobs::Hold::new();
    b.app().set_jobs(Jobs {
        inline_up_to: 0,
        hold: Some(hold.clone()),
    });
    let native = b.path("russia_nato.txt.spanmark.json");
    b.find("Lavrov");
    b.key(Key::F3);
    b.key(Key::Num1);
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert!(
        b.app().state().jobs.writing.is_some(),
        "saving in the background"
    );
    assert!(
        !native.exists(),
        "nothing on disk until the worker writes it"
    );
    let notice = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .notice()
        .unwrap()
        .text
        .clone();
    assert!(notice.starts_with("Saving "), "{notice}");

    // The window answers meanwhile: a second span, and a second Ctrl+S that waits its turn.
    b.find("Monday");
    b.key(Key::F3);
    b.key(Key::Num3);
    assert_eq!(b.spans().len(), 2);
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert!(b.app().state().jobs.save_queued);

    hold.release();
    until_written(&mut b);
    let json = b.saved_json("russia_nato.txt");
    let labels: Vec<_> = json["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, ["actor", "date"], "the later save landed last");
    let session = b.app().state().session.as_ref().unwrap();
    assert!(!session.is_dirty());
    assert!(session.notice().unwrap().text.starts_with("Saved "));
    assert!(!b.app().title().starts_with('●'));
}

#[test]
fn an_edit_made_while_a_save_is_written_stays_unsaved_and_quitting_waits_for_the_save() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    let hold = spanmark::app::jobs::Hold::new();
    b.app().set_jobs(Jobs {
        inline_up_to: 0,
        hold: Some(hold.clone()),
    });
    b.find("Lavrov");
    b.key(Key::F3);
    b.key(Key::Num1);
    b.key_mod(Modifiers::COMMAND, Key::S);
    b.find("Monday");
    b.key(Key::F3);
    b.key(Key::Num3);
    hold.release();
    until_written(&mut b);
    assert_eq!(
        b.saved_json("russia_nato.txt")["spans"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        b.app().state().session.as_ref().unwrap().is_dirty(),
        "the date came after the snapshot"
    );
    assert!(b.app().title().starts_with('●'));

    // Saved again, then the window is closed while the save is still being written: it waits
    // for the file, and then closes without asking, as nothing is left unsaved.
    let hold = spanmark::app::jobs::Hold::new();
    b.app().set_jobs(Jobs {
        inline_up_to: 0,
        hold: Some(hold.clone()),
    });
    b.key_mod(Modifiers::COMMAND, Key::S);
    b.harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    b.settle();
    assert!(!b.app().closing(), "not while the file is being written");
    assert_eq!(b.app().state().pending, None, "nothing to ask yet");
    hold.release();
    until_written(&mut b);
    b.settle();
    assert_eq!(
        b.saved_json("russia_nato.txt")["spans"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        b.app().state().pending,
        None,
        "no question: all of it is saved"
    );
    assert!(b.app().closing());
}

#[test]
fn a_big_autosave_is_written_on_a_worker_and_a_save_asked_meanwhile_follows_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let article = dir.path().join("russia_nato.txt");
    std::fs::write(&article, NATO).unwrap();
    let recovery = data.path().join("recovery");
    let mut b = Bench::open_with(dir, data, Some(article), Some(1));
    let hold = spanmark::app::jobs::Hold::new();
    b.app().set_jobs(Jobs {
        inline_up_to: 0,
        hold: Some(hold.clone()),
    });
    b.find("Lavrov");
    b.key(Key::F3);
    b.key(Key::Num1);
    b.harness.run_steps(90);
    assert!(
        matches!(
            b.app().state().jobs.writing,
            Some(spanmark::app::state::jobs::Writing::Recovery(_))
        ),
        "the autosave runs on the worker"
    );
    assert_eq!(std::fs::read_dir(&recovery).map_or(0, |d| d.count()), 0);
    // Ctrl+S waits for the recovery file, then saves and removes it: a recovery file never
    // outlives the save that made it stale.
    b.key_mod(Modifiers::COMMAND, Key::S);
    assert!(b.app().state().jobs.save_queued);
    hold.release();
    until_written(&mut b);
    assert_eq!(
        b.saved_json("russia_nato.txt")["spans"][0]["text"],
        "Lavrov"
    );
    assert_eq!(std::fs::read_dir(&recovery).unwrap().count(), 0);
    assert!(!b.app().state().session.as_ref().unwrap().is_dirty());
}

/// The selected span's attributes.
fn selected_attrs(b: &mut Bench) -> std::collections::BTreeMap<String, String> {
    let session = b.app().state().session.as_ref().unwrap();
    session.selected().unwrap().attrs.clone()
}

#[test]
fn an_actors_category_is_set_by_a_click_in_the_details_panel_and_undone_in_one_step() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    label_found(&mut b, "Lavrov", Key::Num1);
    assert!(selected_attrs(&mut b).is_empty());
    b.harness.get_by_label("organisation").click();
    b.settle();
    assert_eq!(selected_attrs(&mut b)["category"], "organisation");
    b.harness.get_by_label("person").click();
    b.settle();
    assert_eq!(selected_attrs(&mut b)["category"], "person");
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(selected_attrs(&mut b)["category"], "organisation");
    b.key_mod(Modifiers::COMMAND, Key::S);
    let json = b.saved_json("russia_nato.txt");
    assert_eq!(json["spans"][0]["attrs"]["category"], "organisation");
    let history = json["history"].as_array().unwrap();
    let set: Vec<_> = history
        .iter()
        .filter(|e| e["action"] == "set_attr")
        .map(|e| (e["detail"].as_str(), e["after"].as_str()))
        .collect();
    assert_eq!(
        set,
        [
            (Some("category"), Some("organisation")),
            (Some("category"), Some("person")),
            (Some("category"), Some("organisation"))
        ]
    );
    assert_eq!(
        json["schema"]["labels"][0]["attributes"][0]["name"],
        "category"
    );
}

#[test]
fn v_then_a_values_key_sets_the_attribute_and_another_key_cancels() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    label_found(&mut b, "Lavrov", Key::Num1);
    b.key(Key::V);
    b.key(Key::S);
    assert_eq!(selected_attrs(&mut b)["category"], "state");
    // The prefix is spent: S alone is no longer a value's key, nor anything else here.
    b.key(Key::V);
    b.key(Key::Escape);
    b.key(Key::G);
    assert_eq!(selected_attrs(&mut b)["category"], "state");
    assert_eq!(b.spans().len(), 1, "the span stays selected and labelled");
    b.key(Key::V);
    b.key(Key::G);
    assert_eq!(selected_attrs(&mut b)["category"], "group");
    b.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(selected_attrs(&mut b)["category"], "state");
    // A claim's keys are its own: d for a direct quote.
    label_found(&mut b, "we have practically no conditions", Key::Num4);
    let session = b.app().state().session.as_ref().unwrap();
    assert_eq!(session.selected().unwrap().label.as_str(), "claim");
    b.key(Key::V);
    b.key(Key::D);
    assert_eq!(selected_attrs(&mut b)["quote"], "direct");
    assert_eq!(b.spans().len(), 2);
}

#[test]
fn the_span_list_filters_by_attribute_value() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    label_found(&mut b, "Lavrov", Key::Num1);
    b.key(Key::V);
    b.key(Key::P);
    label_found(&mut b, "NATO expelled", Key::Num1);
    assert_eq!(b.spans().len(), 2);
    let rows = |b: &mut Bench, attr: Option<(&str, Option<&str>)>| {
        b.app().apply(Action::FilterSpans(SpanFilters {
            attr: attr.map(|(n, v)| (n.to_string(), v.map(str::to_string))),
            ..SpanFilters::default()
        }));
        b.settle();
        b.harness.query_all_by_role(Role::ListItem).count()
    };
    assert_eq!(rows(&mut b, None), 2);
    assert_eq!(rows(&mut b, Some(("category", Some("person")))), 1);
    assert_eq!(rows(&mut b, Some(("category", Some("state")))), 0);
    assert_eq!(rows(&mut b, Some(("category", None))), 1);
    assert!(b.harness.get_by_label("Filter by attribute").rect().width() > 0.0);
}

/// The char offset of the first `needle` in the sample article.
fn offset_of(needle: &str) -> usize {
    NATO[..NATO.find(needle).unwrap()].chars().count()
}

#[test]
fn a_double_click_on_a_possessive_name_selects_the_name_and_the_possessive_is_its_own_word() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    // "Russia’s top diplomat": a double-click on the "u" selects "Russia".
    let at = offset_of("Russia’s top");
    let p = b.pos_of(at + 1);
    b.clicks(p, 2, Modifiers::NONE);
    assert_eq!(b.selection(), CharRange::new(at, at + 6));
    b.key(Key::Num1);
    assert_eq!(b.spans()[0].3, "Russia");
    // A drag from inside "NATO’s" to inside "Brussels" snaps to the words: the possessive
    // between them is kept, the end grows to "Brussels" only.
    let nato = offset_of("NATO’s Brussels");
    let from = b.pos_of(nato + 1);
    let to = b.pos_of(nato + 9);
    b.drag(from, to);
    b.key(Key::Num3);
    assert!(
        b.spans()
            .iter()
            .any(|s| (s.1, s.2, s.3.as_str()) == (nato, nato + 15, "NATO’s Brussels")),
        "{:?}",
        b.spans()
    );
    // A double-click on the "s" of "’s" selects the possessive alone.
    let s = b.pos_of(nato + 5);
    b.clicks(s, 2, Modifiers::NONE);
    assert_eq!(b.selection(), CharRange::new(nato + 4, nato + 6));
}

#[test]
fn the_find_bars_word_option_uses_the_word_rule_of_snapping() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    let count = |b: &mut Bench, text: &str| {
        b.app().apply(Action::Find(FindQuery {
            text: text.into(),
            case_sensitive: true,
            whole_word: true,
        }));
        b.settle();
        b.app().state().find.matches().len()
    };
    // "Russia" is a whole word in "Russia’s" (not in "Russian"); "Russi" is a word nowhere;
    // the possessive "’s" is a word of its own.
    let russia = NATO.matches("Russia").count() - NATO.matches("Russian").count();
    assert!(NATO.contains("Russia’s") && russia > 1);
    assert_eq!(count(&mut b, "Russia"), russia);
    assert_eq!(count(&mut b, "Russi"), 0);
    assert_eq!(count(&mut b, "’s"), NATO.matches("’s").count());
}

#[test]
fn an_attribute_added_in_the_labels_editor_is_a_checkbox_in_the_details_panel() {
    let mut b = Bench::open("russia_nato.txt", NATO);
    label_found(&mut b, "said Monday", Key::Num2);
    b.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    b.harness.get_by_label("Add attribute to action").click();
    b.settle();
    b.harness.get_by_label("Apply").click();
    b.settle();
    let session = b.app().state().session.as_ref().unwrap();
    let action = session.doc().schema.get("action").unwrap();
    assert_eq!(action.attributes.len(), 1);
    assert_eq!(action.attributes[0].kind, spanmark::model::AttrType::Flag);
    // The selected action span shows the flag as a checkbox; a click sets it to yes.
    b.harness
        .get_by_role_and_label(Role::CheckBox, "attribute1")
        .click();
    b.settle();
    assert_eq!(selected_attrs(&mut b)["attribute1"], "yes");
    b.key_mod(Modifiers::COMMAND, Key::S);
    let json = b.saved_json("russia_nato.txt");
    assert_eq!(json["version"], 2);
    assert_eq!(
        json["schema"]["labels"][1]["attributes"][0],
        serde_json::json!({"name": "attribute1", "type": "flag"})
    );
    assert_eq!(json["spans"][0]["attrs"]["attribute1"], "yes");
}
