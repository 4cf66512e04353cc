//! The desktop workbench (egui/eframe). The only module that knows about egui.
//!
//! - [`SpanmarkApp`]: the eframe `App`, owner of the open document.
//! - [`article_view`]: the article text.

pub mod article_view;

use std::path::PathBuf;

use crate::model::{Document, Schema, Source, Text};
use crate::store::open::{Opened, open};

/// The window title's application name and eframe's storage key.
pub const APP_NAME: &str = "Spanmark";

/// Starts the GUI on `file` (an article or a native file), or on the bundled sample.
pub fn run(file: Option<PathBuf>, annotator: Option<String>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(APP_NAME)
            .with_app_id("spanmark")
            .with_inner_size([1200.0, 820.0])
            .with_min_inner_size([480.0, 320.0]),
        ..Default::default()
    };
    eframe::run_native(
        APP_NAME,
        options,
        Box::new(move |_cc| Ok(Box::new(SpanmarkApp::new(file, annotator)))),
    )
}

/// What is open in the window.
pub enum Workspace {
    Document(Box<Opened>),
    /// The document could not be opened; the message names the file.
    Failed(String),
}

pub struct SpanmarkApp {
    pub workspace: Workspace,
    pub annotator: String,
}

impl SpanmarkApp {
    pub fn new(file: Option<PathBuf>, annotator: Option<String>) -> Self {
        let annotator = annotator.unwrap_or_else(crate::store::user::login_name);
        let workspace = match file {
            Some(path) => match open(&path, &annotator) {
                Ok(opened) => Workspace::Document(Box::new(opened)),
                Err(e) => Workspace::Failed(e.to_string()),
            },
            None => Workspace::Document(Box::new(sample(&annotator))),
        };
        Self {
            workspace,
            annotator,
        }
    }

    pub fn document(&self) -> Option<&Document> {
        match &self.workspace {
            Workspace::Document(opened) => Some(&opened.doc),
            Workspace::Failed(_) => None,
        }
    }
}

/// The bundled sample article, as a new document saved beside a copy in the current folder.
fn sample(annotator: &str) -> Opened {
    let source = Source {
        name: crate::SAMPLE_NAME.to_string(),
        path: Some(crate::SAMPLE_NAME.to_string()),
        sha256: Some(crate::store::hash::sha256_hex(
            crate::SAMPLE_ARTICLE.as_bytes(),
        )),
        encoding: "UTF-8".to_string(),
        bom: false,
    };
    let doc = Document::new(
        source,
        Text::new(crate::SAMPLE_ARTICLE.to_string()),
        annotator,
        Schema::default(),
    );
    Opened {
        doc,
        native_path: crate::store::native::path_beside(std::path::Path::new(crate::SAMPLE_NAME)),
        article_path: None,
        had_native: false,
        warnings: Vec::new(),
    }
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| match &self.workspace {
            Workspace::Document(opened) => {
                ui.heading(&opened.doc.source.name);
                ui.label(format!(
                    "{} characters · {} · {} spans · read-only",
                    opened.doc.text().len_chars(),
                    opened.doc.source.encoding,
                    opened.doc.set().len()
                ));
                for warning in &opened.warnings {
                    ui.colored_label(ui.visuals().warn_fg_color, warning);
                }
                ui.separator();
                article_view::ui(ui, opened.doc.text());
            }
            Workspace::Failed(message) => {
                ui.heading("Could not open the file");
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
        });
    }
}
