//! File > Export… (Ctrl+Shift+E): the current document, or the open folder's documents, in any
//! format Spanmark writes, with the CLI's filters (statuses, labels) and its "allow loss".
//!
//! The export is [`crate::export::export_corpus`], run on a worker thread with a
//! progress bar and a Cancel button; it reads the annotation files **as saved** (unsaved
//! changes are not exported, and the window says so, with a button to save first). When the
//! format cannot hold something and loss is not allowed, nothing is written and the window
//! says what and how much; cancelled or failed, nothing is written either (the export writes
//! to temporary files and renames them only at the end). The report lists what was written.
//!
//! The form (format, scope, destination, filters) is this window's own; the running export and
//! how the last one ended are state, so the window asks for an export with an action and draws
//! its progress and outcome from the state.

use std::path::{Path, PathBuf};

use egui::{Context, RichText, Ui};

use crate::app::action::Action;
use crate::app::commands::Command;
use crate::app::jobs::progress_ui;
use crate::app::state::{AppState, Outcome, Window};
use crate::export::dataset::Filters;
use crate::export::{ExportRequest, describe};
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

/// The export window's form.
pub struct ExportForm {
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
    /// The last destination from the file dialog taken into the form.
    destination_seen: u64,
    /// Why the form cannot be exported as it is (nothing was started).
    refusal: Option<String>,
}

impl ExportForm {
    fn new(scope: Scope) -> Self {
        Self {
            format: Format::default(),
            scope,
            out: String::new(),
            out_chosen: false,
            statuses: Status::ALL.to_vec(),
            labels: Vec::new(),
            allow_loss: false,
            destination_seen: 0,
            refusal: None,
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
    fn of(state: &AppState) -> Self {
        let doc = state
            .session
            .as_ref()
            .filter(|_| state.compare.is_none())
            .map(|s| {
                (
                    s.doc().source.name.clone(),
                    s.native_path().to_path_buf(),
                    s.native_path().is_file(),
                    s.is_dirty(),
                )
            });
        let folder = state.folder.as_ref().map(|f| {
            let natives = f
                .docs
                .iter()
                .map(|d| native::path_beside(&d.article))
                .filter(|p| p.is_file())
                .collect();
            (f.root.clone(), natives)
        });
        let labels = state
            .session
            .as_ref()
            .map(|s| {
                s.doc()
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

/// The export window.
pub fn ui(ctx: &Context, state: &AppState, form: &mut Option<ExportForm>) -> Vec<Action> {
    let mut actions = Vec::new();
    if !state.windows.export {
        *form = None;
        return actions;
    }
    let info = Sources::of(state);
    let d = form.get_or_insert_with(|| {
        let scope = if state.folder.is_some() {
            Scope::Folder
        } else {
            Scope::Document
        };
        let mut d = ExportForm::new(scope);
        d.out = info.default_out(scope, d.format).display().to_string();
        d.destination_seen = state.export.destination.as_ref().map_or(0, |(n, _)| *n);
        d
    });
    if let Some((n, path)) = &state.export.destination
        && *n != d.destination_seen
    {
        d.destination_seen = *n;
        d.out = path.display().to_string();
        d.out_chosen = true;
    }
    let mut open = true;
    let mut start = false;
    egui::Window::new("Export annotations")
        .open(&mut open)
        .default_pos([300.0, 90.0])
        .collapsible(false)
        .default_width(560.0)
        .show(ctx, |ui| {
            if let Some(job) = &state.jobs.export {
                ui.heading(format!("Exporting to {}…", d.format.name()));
                ui.label(format!("Writing {}", d.out.trim()));
                ui.add_space(4.0);
                if progress_ui(ui, &job.progress, job.started) {
                    actions.push(Action::CancelExport);
                }
                return;
            }
            start = form_ui(ui, d, state, &info, &mut actions);
            if let Some(message) = &d.refusal {
                ui.separator();
                ui.colored_label(ui.visuals().error_fg_color, message);
            } else if let Some(outcome) = &state.export.outcome {
                ui.separator();
                outcome_ui(ui, outcome);
            }
        });
    if start {
        match request(d, &info) {
            Ok(req) => {
                d.refusal = None;
                actions.push(Action::Export(Box::new(req)));
            }
            Err(message) => d.refusal = Some(message),
        }
    }
    if !open {
        actions.push(Action::Close(Window::Export));
    }
    actions
}

/// The export request the window describes, or what is missing.
fn request(dialog: &ExportForm, info: &Sources) -> Result<ExportRequest, String> {
    let inputs = info.inputs(dialog.scope);
    if inputs.is_empty() {
        return Err(match dialog.scope {
            Scope::Document => format!(
                "the document has no annotation file yet: save it first ({})",
                Command::Save.key_text()
            ),
            Scope::Folder => "no document of the folder has an annotation file yet".to_string(),
        });
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
fn form_ui(
    ui: &mut Ui,
    d: &mut ExportForm,
    state: &AppState,
    info: &Sources,
    actions: &mut Vec<Action>,
) -> bool {
    let before = (d.format, d.scope);
    egui::Grid::new("export_form")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            scope_row(ui, d, info);
            format_row(ui, d);
            destination_row(ui, d, state, actions);
            filter_rows(ui, d, info);
        });
    if (d.format, d.scope) != before && !d.out_chosen {
        d.out = info.default_out(d.scope, d.format).display().to_string();
    }
    ui.checkbox(&mut d.allow_loss, "Allow loss")
        .on_hover_text(
            "Export even when the format cannot hold everything (nested spans in CoNLL, relations, notes); what is left out is still reported",
        );
    let ready = warnings_ui(ui, d, state, info, actions);
    ui.add_space(4.0);
    ui.add_enabled(ready, egui::Button::new(RichText::new("Export").strong()))
        .on_hover_text("Write the export (nothing is written if it cannot be done whole)")
        .clicked()
}

/// What: this document, or the open folder's annotated documents.
fn scope_row(ui: &mut Ui, d: &mut ExportForm, info: &Sources) {
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
}

/// The format, from the list of formats Spanmark writes.
fn format_row(ui: &mut Ui, d: &mut ExportForm) {
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
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Export format"));
    ui.end_row();
}

/// Where: a file for the dataset formats, a folder for the others; typed or browsed.
fn destination_row(ui: &mut Ui, d: &mut ExportForm, state: &AppState, actions: &mut Vec<Action>) {
    let caption = ui.label(if d.format.per_document() {
        "To the folder"
    } else {
        "To the file"
    });
    ui.horizontal(|ui| {
        let field = ui
            .add(egui::TextEdit::singleline(&mut d.out).desired_width(340.0))
            .labelled_by(caption.id);
        field.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Export destination")
        });
        if field.changed() {
            d.out_chosen = true;
        }
        let browsing = state.jobs.export_browse.is_some();
        if ui
            .add_enabled(!browsing, egui::Button::new("Browse…"))
            .on_hover_text("Choose where to export in a file dialog")
            .clicked()
        {
            actions.push(Action::BrowseExport {
                per_document: d.format.per_document(),
                current: PathBuf::from(d.out.trim()),
            });
        }
    });
    ui.end_row();
}

/// The statuses and labels of the spans to export.
fn filter_rows(ui: &mut Ui, d: &mut ExportForm, info: &Sources) {
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
}

/// What the user should know before exporting (no dialog, a destination that exists, unsaved
/// changes, with a button to save first); returns whether there is anything to export.
fn warnings_ui(
    ui: &mut Ui,
    d: &ExportForm,
    state: &AppState,
    info: &Sources,
    actions: &mut Vec<Action>,
) -> bool {
    let warn = ui.visuals().warn_fg_color;
    if state.export.dialog_unavailable {
        ui.colored_label(
            warn,
            "No file dialog is available on this system; type the path instead.",
        );
    }
    let out = PathBuf::from(d.out.trim());
    let just_written =
        matches!(&state.export.outcome, Some(Outcome::Written(r)) if r.files.contains(&out));
    if !d.out.trim().is_empty() && out.exists() && !just_written {
        ui.colored_label(
            warn,
            if out.is_dir() {
                "That folder exists: files of the same names in it are replaced."
            } else {
                "That file exists: it is replaced."
            },
        );
    }
    let unsaved = match (d.scope, &info.doc) {
        (Scope::Document, Some((name, _, false, _))) => Some((
            false,
            format!("{name} is not saved yet: there is nothing to export."),
        )),
        (_, Some((name, _, _, true))) => Some((
            true,
            format!("{name} has unsaved changes: the export takes what is saved."),
        )),
        _ => None,
    };
    let Some((ready, message)) = unsaved else {
        return true;
    };
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(warn, message);
        if ui.button("Save first").clicked() {
            actions.push(Action::Command(Command::Save));
        }
    });
    ready
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
            if report.suggestions_out > 0 {
                ui.label(format!(
                    "{} suggestions no one accepted were left out.",
                    report.suggestions_out
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
