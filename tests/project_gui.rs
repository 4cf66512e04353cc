//! The workbench inside a project (a `spanmark.project.json` above the article), driven through
//! the real app with egui_kittest: the project's schema is used, a file made under another
//! schema is brought to it on its next save with a history entry (what the project lacks kept
//! and warned about), and the Guidelines panel shows the project's guidelines.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use spanmark::app::prefs::Prefs;
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::marked::label;
use spanmark::model::{CharRange, Document, Edit, Schema, Source, Span, SpanId, Text, Timestamp};
use spanmark::store::native;
use spanmark::store::project::Project;

const ARTICLE: &str = "Lavrov said on Monday that NATO lied.";

struct Bench {
    _dir: tempfile::TempDir,
    _data: tempfile::TempDir,
    harness: Harness<'static, SpanmarkApp>,
}

impl Bench {
    fn open(dir: tempfile::TempDir, file: PathBuf) -> Self {
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
            _dir: dir,
            _data: data,
            harness,
        };
        bench.harness.run_steps(4);
        bench
    }

    fn app(&mut self) -> &mut SpanmarkApp {
        self.harness.state_mut()
    }

    fn key_mod(&mut self, modifiers: Modifiers, key: Key) {
        self.harness.key_press_modifiers(modifiers, key);
        self.harness.run_steps(4);
    }

    fn label_names(&mut self) -> Vec<String> {
        let session = self.app().state().session.as_ref().unwrap();
        session
            .doc()
            .schema
            .labels()
            .iter()
            .map(|d| d.name.to_string())
            .collect()
    }
}

/// The project: the default labels without `date`, `actor` described anew, with guidelines.
fn project_schema() -> Schema {
    let schema = Schema::default().without("date").unwrap();
    let mut actor = schema.get("actor").unwrap().clone();
    actor.description = "Who speaks or acts (see the guidelines, section 2)".into();
    schema.with_replaced("actor", actor).unwrap()
}

fn write_project(dir: &Path) {
    let mut project = Project::new(
        dir.join("spanmark.project.json"),
        "claims",
        project_schema(),
    );
    project.guidelines = Some("# Claims\n\nMark **who** said *what*.\n".into());
    project.save().unwrap();
}

/// `news/news.txt` with an annotation file made under the default schema: Lavrov actor,
/// Monday date.
fn annotated_article(dir: &Path) -> PathBuf {
    let folder = dir.join("news");
    std::fs::create_dir_all(&folder).unwrap();
    let article = folder.join("news.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    let source = Source {
        name: "news.txt".into(),
        path: Some("news.txt".into()),
        sha256: Some(spanmark::store::hash::sha256_hex(ARTICLE.as_bytes())),
        encoding: "UTF-8".into(),
        bom: false,
    };
    let mut doc = Document::new(source, Text::new(ARTICLE.into()), "omar", Schema::default());
    for (n, name, start, end) in [(1, "actor", 0, 6), (2, "date", 15, 21)] {
        let span = Span::new(
            SpanId::numbered(n),
            label(name),
            CharRange::new(start, end).unwrap(),
            "omar",
            Timestamp::from_unix(1),
        );
        doc.apply(&Edit::add(span), "omar", Timestamp::from_unix(1))
            .unwrap();
    }
    native::save(&doc, &native::path_beside(&article)).unwrap();
    article
}

#[test]
fn a_file_under_another_schema_takes_the_project_schema_on_its_next_save() {
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    let article = annotated_article(dir.path());
    let file = native::path_beside(&article);
    let before = std::fs::read(&file).unwrap();
    let mut b = Bench::open(dir, article.clone());

    // The project's labels, then `date`, which the file uses and the project lacks: kept.
    assert_eq!(b.label_names(), ["actor", "action", "claim", "date"]);
    let session = b.app().state().session.as_ref().unwrap();
    assert!(session.is_dirty());
    assert_eq!(
        session.doc().schema.get("actor").unwrap().description,
        "Who speaks or acts (see the guidelines, section 2)"
    );
    assert!(
        session.warnings().iter().any(|w| w.starts_with(
            "date is used in this file but not defined by the project \"claims\"; kept"
        )),
        "{:?}",
        session.warnings()
    );
    assert_eq!(b.app().state().project.as_ref().unwrap().name, "claims");
    // Nothing is written until the user saves.
    assert_eq!(std::fs::read(&file).unwrap(), before);

    b.key_mod(Modifiers::COMMAND, Key::S);
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let names: Vec<&str> = saved["schema"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["actor", "action", "claim", "date"]);
    let last = saved["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "document");
    assert_eq!(last["who"], "rita");
    assert_eq!(
        last["detail"],
        "schema brought to project \"claims\" (spanmark.project.json): changed actor; kept (used here, not in the project) date"
    );
    // Both spans are still there.
    assert_eq!(saved["spans"].as_array().unwrap().len(), 2);
}

#[test]
fn a_new_article_in_a_project_starts_with_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    let folder = dir.path().join("deep/er");
    std::fs::create_dir_all(&folder).unwrap();
    let article = folder.join("a.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    let mut b = Bench::open(dir, article);
    assert_eq!(b.label_names(), ["actor", "action", "claim"]);
    let session = b.app().state().session.as_ref().unwrap();
    assert!(!session.is_dirty());
    assert!(session.doc().audit().is_empty());
}

#[test]
fn f2_shows_the_project_guidelines_and_outside_a_project_says_there_are_none() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    let article = annotated_article(dir.path());
    let mut b = Bench::open(dir, article);
    b.harness.key_press(Key::F2);
    b.harness.run_steps(4);
    assert!(b.app().state().windows.guidelines);
    b.harness.get_by_label("Claims");
    b.harness.get_by_label("Mark who said what.");

    let lone = tempfile::tempdir().unwrap();
    let article = lone.path().join("a.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    if spanmark::store::project::find(&article).is_none() {
        let mut b = Bench::open(lone, article);
        b.harness.key_press(Key::F2);
        b.harness.run_steps(4);
        b.harness
            .get_by_label_contains("This document is not in a project");
    }
}

#[test]
fn hovering_a_span_in_the_list_shows_its_label_description() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    let article = annotated_article(dir.path());
    let mut b = Bench::open(dir, article);
    let about = "actor: Who speaks or acts (see the guidelines, section 2)";
    assert!(b.harness.query_by_label(about).is_none());
    let row = b
        .harness
        .get_by_label("actor  'Lavrov' pending")
        .rect()
        .center();
    b.harness.hover_at(egui::pos2(row.x as f32, row.y as f32));
    b.harness.run_steps(90);
    b.harness.get_by_label(about);
}

#[test]
fn labels_saved_to_the_project_change_the_project_file() {
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    let project_file = dir.path().join("spanmark.project.json");
    let article = annotated_article(dir.path());
    let mut b = Bench::open(dir, article);
    let mut schema = b
        .app()
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc()
        .schema
        .clone();
    schema = schema
        .with_label(spanmark::model::LabelDef {
            name: label("place"),
            colour: spanmark::model::label::palette::VERMILLION,
            hotkey: Some('5'),
            description: "A location".into(),
            attributes: Vec::new(),
        })
        .unwrap();
    b.app()
        .apply(spanmark::app::Action::SetProjectSchema(schema.clone()));
    b.harness.run_steps(2);
    let saved = spanmark::store::project::load(&project_file).unwrap();
    assert_eq!(saved.schema, schema);
    // The guidelines and the name stay as they were.
    assert_eq!(saved.name, "claims");
    assert_eq!(
        saved.guidelines.as_deref(),
        Some("# Claims\n\nMark **who** said *what*.\n")
    );
    assert_eq!(b.app().state().project.as_ref().unwrap().schema, schema);
}

#[test]
fn a_projects_date_finder_default_suggests_the_dates_of_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    let mut project = Project::new(
        dir.path().join("spanmark.project.json"),
        "dates",
        Schema::default(),
    );
    project.defaults.date_finder = Some(true);
    project.save().unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "Lavrov said on 18 October 2021 that NATO lied.").unwrap();
    let mut b = Bench::open(dir, article);
    let session = b.app().state().session.as_ref().unwrap();
    let dates: Vec<_> = session
        .doc()
        .set()
        .spans()
        .filter(|s| spanmark::model::suggestion::is_pending(s))
        .map(|s| (s.label.to_string(), s.attrs.get("iso").cloned()))
        .collect();
    assert_eq!(
        dates,
        [("date".to_string(), Some("2021-10-18".to_string()))]
    );
}
