//! File > Export… (Ctrl+Shift+E): the current document, or the open folder's documents, in any
//! format Spanmark writes, with the CLI's filters (statuses, labels) and its "allow loss".
//!
//! The export is [`crate::export::export_corpus`], run on a worker thread with a
//! progress bar and a Cancel button; it reads the annotation files **as saved** (unsaved
//! changes are not exported, and the window says so, with a button to save first). When the
//! format cannot hold something and loss is not allowed, nothing is written and the window
//! says what and how much; cancelled or failed, nothing is written either (the export writes
//! to temporary files and renames them only at the end). The report lists what was written.

use std::path::{Path, PathBuf};

use egui::{Context, RichText, Ui};

use super::commands::Command;
use super::files::{Answer, Pending};
use super::jobs::{Job, JobError, progress_ui};
use super::{Action, SpanmarkApp};
use crate::export::dataset::Filters;
use crate::export::{
    ExportError, ExportErrorKind, ExportReport, ExportRequest, describe, export_corpus,
};
use crate::formats::Format;
use crate::model::{Label, Status};
use crate::store::native;

/// Every format Spanmark exports, in the registry's order, with the registry's titles.
pub fn formats() -> impl Iterator<Item = Format> {
    Format::all().filter(|f| f.is_written())
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The document shown, as saved.
    Document,
    /// The annotation files of the open folder's documents.
    Folder,
}

/// How the last export ended.
#[derive(Debug)]
pub enum Outcome {
    Written(ExportReport),
    /// Nothing was written: why (for a loss: what and how much), and the problems met.
    Refused {
        message: String,
        loss: Vec<(String, usize)>,
        problems: Vec<String>,
    },
    Cancelled,
}

/// The export window's state.
pub struct ExportDialog {
    pub format: Format,
    pub scope: Scope,
    /// Where to write: a file for the dataset formats, a folder for the others.
    pub out: String,
    /// The user chose the destination: changing the format no longer replaces it.
    pub out_chosen: bool,
    /// The statuses of the spans to export (all three: no filter).
    pub statuses: Vec<Status>,
    /// Export only the spans of these labels (none chosen: every label).
    pub labels: Vec<Label>,
    pub allow_loss: bool,
    browse: Option<Pending<PathBuf>>,
    /// No file dialog could be shown: the path is typed.
    pub dialog_unavailable: bool,
    pub job: Option<Job<Result<ExportReport, ExportError>>>,
    pub outcome: Option<Outcome>,
}

impl ExportDialog {
    fn new(scope: Scope) -> Self {
        Self {
            format: Format::default(),
            scope,
            out: String::new(),
            out_chosen: false,
            statuses: Status::ALL.to_vec(),
            labels: Vec::new(),
            allow_loss: false,
            browse: None,
            dialog_unavailable: false,
            job: None,
            outcome: None,
        }
    }

    /// The filters as the export takes them.
    pub fn filters(&self) -> Filters {
        Filters {
            statuses: if self.statuses.len() == Status::ALL.len() {
                Vec::new()
            } else {
                self.statuses.clone()
            },
            labels: self.labels.clone(),
            annotators: Vec::new(),
        }
    }
}

/// What the window needs to know about the app.
struct Sources {
    /// The document shown: its name and annotation file, whether that file exists, and
    /// whether there are unsaved changes.
    doc: Option<(String, PathBuf, bool, bool)>,
    /// The folder's root and the annotation files of its documents.
    folder: Option<(PathBuf, Vec<PathBuf>)>,
    labels: Vec<Label>,
}

impl Sources {
    fn of(app: &SpanmarkApp) -> Self {
        let doc = app
            .session
            .as_ref()
            .filter(|_| app.review.comparison.is_none())
            .map(|s| {
                (
                    s.doc.source.name.clone(),
                    s.native_path.clone(),
                    s.native_path.is_file(),
                    s.is_dirty(),
                )
            });
        let folder = app.folder.as_ref().map(|f| {
            let natives = f
                .docs
                .iter()
                .map(|d| native::path_beside(&d.article))
                .filter(|p| p.is_file())
                .collect();
            (f.root.clone(), natives)
        });
        let labels = app
            .session
            .as_ref()
            .map(|s| {
                s.doc
                    .schema
                    .labels()
                    .iter()
                    .map(|d| d.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        Self {
            doc,
            folder,
            labels,
        }
    }

    /// The annotation files to export.
    fn inputs(&self, scope: Scope) -> Vec<PathBuf> {
        match scope {
            Scope::Document => self
                .doc
                .iter()
                .filter(|d| d.2)
                .map(|d| d.1.clone())
                .collect(),
            Scope::Folder => self
                .folder
                .as_ref()
                .map(|f| f.1.clone())
                .unwrap_or_default(),
        }
    }

    /// Where the export goes unless the user says otherwise: beside the document (or in the
    /// folder), named after it.
    fn default_out(&self, scope: Scope, format: Format) -> PathBuf {
        let (dir, stem) = match (scope, &self.doc, &self.folder) {
            (Scope::Folder, _, Some((root, _))) => (
                root.clone(),
                root.file_name()
                    .map_or("export".into(), |n| n.to_string_lossy().into_owned()),
            ),
            (_, Some((name, native_path, _, _)), _) => (
                native_path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                Path::new(name)
                    .file_stem()
                    .map_or("export".into(), |n| n.to_string_lossy().into_owned()),
            ),
            _ => (PathBuf::new(), "export".to_string()),
        };
        if format.per_document() {
            dir.join(format!("{stem}-{}", format.name()))
        } else {
            dir.join(format!("{stem}.{}", format.extension()))
        }
    }
}

impl SpanmarkApp {
    /// Opens the export window (or brings it back as it was).
    pub(super) fn open_export(&mut self) {
        if self.export.is_some() {
            return;
        }
        let scope = if self.folder.is_some() {
            Scope::Folder
        } else {
            Scope::Document
        };
        let mut dialog = ExportDialog::new(scope);
        dialog.out = Sources::of(self)
            .default_out(scope, dialog.format)
            .display()
            .to_string();
        self.export = Some(dialog);
    }
}

/// The destination dialog: a save dialog, or a folder dialog for the per-document formats.
fn browse(format: Format, current: &Path, ctx: &egui::Context) -> Pending<PathBuf> {
    let mut dialog = rfd::FileDialog::new().set_title("Export to");
    if let Some(dir) = current.parent().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = current.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    let per_document = format.per_document();
    Pending::spawn(ctx, move || {
        if per_document {
            dialog.pick_folder()
        } else {
            dialog.save_file()
        }
    })
}

/// What the export job's result means for the window.
fn outcome(result: Result<Result<ExportReport, ExportError>, JobError>) -> Outcome {
    match result {
        Ok(Ok(report)) => Outcome::Written(report),
        Ok(Err(e)) if e.is_cancelled() => Outcome::Cancelled,
        Err(JobError::Cancelled) => Outcome::Cancelled,
        Ok(Err(e)) => {
            let loss = match &e.kind {
                ExportErrorKind::Loss { loss, .. } => loss
                    .counts
                    .iter()
                    .map(|(what, n)| (what.to_string(), *n))
                    .collect(),
                _ => Vec::new(),
            };
            Outcome::Refused {
                message: e.to_string(),
                loss,
                problems: e.problems.iter().map(ToString::to_string).collect(),
            }
        }
        Err(JobError::Failed(message)) => Outcome::Refused {
            message,
            loss: Vec::new(),
            problems: Vec::new(),
        },
    }
}

/// The export window.
pub fn ui(ctx: &Context, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    if app.export.is_none() {
        return actions;
    }
    let info = Sources::of(app);
    let jobs = app.jobs.clone();
    let Some(dialog) = &mut app.export else {
        return actions;
    };
    if let Some(result) = dialog.job.as_ref().and_then(Job::poll) {
        dialog.job = None;
        dialog.outcome = Some(outcome(result));
    }
    if let Some(answer) = dialog.browse.as_ref().and_then(Pending::poll) {
        dialog.browse = None;
        match answer {
            Answer::Picked(path) => {
                dialog.out = path.display().to_string();
                dialog.out_chosen = true;
            }
            Answer::Cancelled => {}
            Answer::Unavailable => dialog.dialog_unavailable = true,
        }
    }
    let mut open = true;
    let mut start = false;
    egui::Window::new("Export annotations")
        .open(&mut open)
        .default_pos([300.0, 90.0])
        .collapsible(false)
        .default_width(560.0)
        .show(ctx, |ui| {
            if let Some(job) = &dialog.job {
                ui.heading(format!("Exporting to {}…", dialog.format.name()));
                ui.label(format!("Writing {}", dialog.out.trim()));
                ui.add_space(4.0);
                if progress_ui(ui, &job.progress, job.started) {
                    // The worker stops at its next document and removes what it staged.
                    job.cancel();
                }
                return;
            }
            start = form_ui(ui, dialog, &info, &mut actions);
            if let Some(outcome) = &dialog.outcome {
                ui.separator();
                outcome_ui(ui, outcome);
            }
        });
    if start {
        let request = request(dialog, &info);
        match request {
            Ok(req) => {
                dialog.outcome = None;
                dialog.job = Some(jobs.spawn(ctx, "Exporting", move |progress| {
                    Ok(export_corpus(&req, progress))
                }));
            }
            Err(message) => {
                dialog.outcome = Some(Outcome::Refused {
                    message,
                    loss: Vec::new(),
                    problems: Vec::new(),
                });
            }
        }
    }
    if !open {
        // Closing the window while it runs cancels the export (dropping the job).
        app.export = None;
    }
    actions
}

/// The export request the window describes, or what is missing.
fn request(dialog: &ExportDialog, info: &Sources) -> Result<ExportRequest, String> {
    let inputs = info.inputs(dialog.scope);
    if inputs.is_empty() {
        return Err(match dialog.scope {
            Scope::Document => "the document has no annotation file yet: save it first (Ctrl+S)",
            Scope::Folder => "no document of the folder has an annotation file yet",
        }
        .to_string());
    }
    let out = dialog.out.trim();
    if out.is_empty() {
        return Err("choose where to export to".to_string());
    }
    if dialog.statuses.is_empty() {
        return Err("choose at least one status of spans to export".to_string());
    }
    let mut req = ExportRequest::new(dialog.format, inputs, PathBuf::from(out));
    req.filters = dialog.filters();
    req.allow_loss = dialog.allow_loss;
    Ok(req)
}

/// The form: what, how, where. Returns true when Export is clicked.
fn form_ui(ui: &mut Ui, d: &mut ExportDialog, info: &Sources, actions: &mut Vec<Action>) -> bool {
    let before = (d.format, d.scope);
    egui::Grid::new("export_form")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            ui.label("What");
            ui.vertical(|ui| {
                let doc_text = match &info.doc {
                    Some((name, ..)) => format!("This document ({name})"),
                    None => "This document".to_string(),
                };
                ui.add_enabled_ui(info.doc.is_some(), |ui| {
                    ui.radio_value(&mut d.scope, Scope::Document, doc_text);
                });
                if let Some((root, natives)) = &info.folder {
                    let name = root.file_name().map_or_else(
                        || root.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    ui.radio_value(
                        &mut d.scope,
                        Scope::Folder,
                        format!(
                            "The folder {name}: {} annotated document{}",
                            natives.len(),
                            if natives.len() == 1 { "" } else { "s" }
                        ),
                    );
                }
            });
            ui.end_row();

            ui.label("Format");
            egui::ComboBox::from_id_salt("export_format")
                .selected_text(d.format.title())
                .width(260.0)
                .show_ui(ui, |ui| {
                    for f in formats() {
                        ui.selectable_value(&mut d.format, f, f.title());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Export format")
                });
            ui.end_row();

            let caption = ui.label(if d.format.per_document() {
                "To the folder"
            } else {
                "To the file"
            });
            ui.horizontal(|ui| {
                let field = ui
                    .add(egui::TextEdit::singleline(&mut d.out).desired_width(340.0))
                    .labelled_by(caption.id);
                if field.changed() {
                    d.out_chosen = true;
                }
                let browsing = d.browse.is_some();
                if ui
                    .add_enabled(!browsing, egui::Button::new("Browse…"))
                    .on_hover_text("Choose where to export in a file dialog")
                    .clicked()
                {
                    d.browse = Some(browse(d.format, Path::new(d.out.trim()), ui.ctx()));
                }
            });
            ui.end_row();

            ui.label("Spans");
            ui.horizontal(|ui| {
                for status in Status::ALL {
                    let mut on = d.statuses.contains(&status);
                    if ui.checkbox(&mut on, status.as_str()).changed() {
                        d.statuses.retain(|s| *s != status);
                        if on {
                            d.statuses.push(status);
                        }
                    }
                }
            });
            ui.end_row();

            ui.label("Labels");
            ui.horizontal_wrapped(|ui| {
                for label in &info.labels {
                    let mut on = d.labels.contains(label);
                    if ui.checkbox(&mut on, label.as_str()).changed() {
                        d.labels.retain(|l| l != label);
                        if on {
                            d.labels.push(label.clone());
                        }
                    }
                }
                ui.weak(if d.labels.is_empty() {
                    "(none ticked: every label)"
                } else {
                    "(only these)"
                });
            });
            ui.end_row();
        });
    if (d.format, d.scope) != before && !d.out_chosen {
        d.out = info.default_out(d.scope, d.format).display().to_string();
    }
    ui.checkbox(&mut d.allow_loss, "Allow loss")
        .on_hover_text(
            "Export even when the format cannot hold everything (nested spans in CoNLL, relations, notes); what is left out is still reported",
        );
    if d.dialog_unavailable {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "No file dialog is available on this system; type the path instead.",
        );
    }
    let out = PathBuf::from(d.out.trim());
    let just_written = matches!(&d.outcome, Some(Outcome::Written(r)) if r.files.contains(&out));
    if !d.out.trim().is_empty() && out.exists() && !just_written {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            if out.is_dir() {
                "That folder exists: files of the same names in it are replaced."
            } else {
                "That file exists: it is replaced."
            },
        );
    }
    let mut ready = true;
    match (d.scope, &info.doc) {
        (Scope::Document, Some((name, _, saved, dirty))) if !saved || *dirty => {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    if *saved {
                        format!("{name} has unsaved changes: the export takes what is saved.")
                    } else {
                        ready = false;
                        format!("{name} is not saved yet: there is nothing to export.")
                    },
                );
                if ui.button("Save first").clicked() {
                    actions.push(Action::Command(Command::Save));
                }
            });
        }
        (Scope::Folder, Some((name, _, _, true))) => {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{name} has unsaved changes: the export takes what is saved."),
                );
                if ui.button("Save first").clicked() {
                    actions.push(Action::Command(Command::Save));
                }
            });
        }
        _ => {}
    }
    ui.add_space(4.0);
    ui.add_enabled(ready, egui::Button::new(RichText::new("Export").strong()))
        .on_hover_text("Write the export (nothing is written if it cannot be done whole)")
        .clicked()
}

/// The report of the last export.
fn outcome_ui(ui: &mut Ui, outcome: &Outcome) {
    match outcome {
        Outcome::Cancelled => {
            ui.label("Cancelled: nothing was written.");
        }
        Outcome::Refused {
            message,
            loss,
            problems,
        } => {
            ui.colored_label(ui.visuals().error_fg_color, message);
            if !loss.is_empty() {
                ui.label("The format cannot hold:");
                for (what, n) in loss {
                    ui.label(format!("• {n} {what}"));
                }
                ui.weak("Tick “Allow loss” to export without them, or choose another format.");
            }
            problems_ui(ui, problems);
        }
        Outcome::Written(report) => {
            ui.strong(format!(
                "Exported {} document{} with {} span{}.",
                report.documents,
                if report.documents == 1 { "" } else { "s" },
                report.spans,
                if report.spans == 1 { "" } else { "s" },
            ));
            if !report.loss.is_empty() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "Left out, as the format cannot hold them: {}",
                        describe(&report.loss)
                    ),
                );
            }
            let (docs, spans, relations) = report.filtered_out;
            if docs + spans + relations > 0 {
                ui.label(format!(
                    "The filters left out {docs} documents, {spans} spans and {relations} relations."
                ));
            }
            ui.label(format!(
                "{} file{} written:",
                report.files.len(),
                if report.files.len() == 1 { "" } else { "s" }
            ));
            egui::ScrollArea::vertical()
                .id_salt("export_files")
                .max_height(140.0)
                .show(ui, |ui| {
                    for f in &report.files {
                        ui.monospace(f.display().to_string());
                    }
                });
            let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
            problems_ui(ui, &problems);
        }
    }
}

fn problems_ui(ui: &mut Ui, problems: &[String]) {
    if problems.is_empty() {
        return;
    }
    ui.label(format!(
        "{} problem{} met:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    ));
    egui::ScrollArea::vertical()
        .id_salt("export_problems")
        .max_height(120.0)
        .show(ui, |ui| {
            for p in problems {
                ui.label(p);
            }
        });
}
