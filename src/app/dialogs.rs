//! Windows over the workbench: the unsaved-changes prompt, errors, open by path, keyboard
//! help, the labels editor and preferences. None of them opens at start-up unless asked for.

use egui::{Context, Key, RichText};

use super::commands::{Command, hotkey_shortcut, shortcut_text};
use super::panels::{details, span_list};
use super::safety::ConflictChoice;
use super::view::paint::colour;
use super::{Action, Pending, SpanmarkApp};
use crate::model::{Label, LabelDef, Rgb, Schema};

#[derive(Debug, Default)]
pub struct Dialogs {
    /// An error to show (names the file).
    pub error: Option<String>,
    /// The "open by path" field, when open.
    pub open_path: Option<String>,
    /// The file dialog could not be shown (said in the open-by-path window).
    pub dialog_unavailable: bool,
    pub help: bool,
    pub labels: Option<LabelEditor>,
    /// The annotator's name being edited in preferences.
    pub preferences: Option<String>,
    pub span_filters: span_list::Filters,
    /// The span list's rows for (generation, filters).
    pub span_rows: (Option<(u64, span_list::Filters)>, Vec<crate::model::SpanId>),
    pub details: details::Buffers,
    /// Unsaved work found from an earlier run, offered for recovery.
    pub recovery: Option<crate::store::recovery::Recovered>,
    /// The annotation file changed on disk: overwrite, keep both, or cancel?
    pub conflict: bool,
}

/// One row of the labels editor.
#[derive(Debug, Clone)]
struct Row {
    /// The name the label had when the editor opened (`None` for a new label).
    original: Option<Label>,
    name: String,
    colour: [u8; 3],
    hotkey: String,
    description: String,
}

/// The labels editor's working copy of the schema.
#[derive(Debug, Clone)]
pub struct LabelEditor {
    rows: Vec<Row>,
    error: Option<String>,
}

impl LabelEditor {
    pub fn new(schema: &Schema) -> Self {
        Self {
            rows: schema
                .labels()
                .iter()
                .map(|d| Row {
                    original: Some(d.name.clone()),
                    name: d.name.to_string(),
                    colour: [d.colour.0, d.colour.1, d.colour.2],
                    hotkey: d.hotkey.map(String::from).unwrap_or_default(),
                    description: d.description.clone(),
                })
                .collect(),
            error: None,
        }
    }

    /// The schema the rows describe, and the renames, or what is wrong.
    fn build(&self) -> Result<(Schema, Vec<(Label, Label)>), String> {
        let mut defs = Vec::new();
        let mut renames = Vec::new();
        for row in &self.rows {
            let name = Label::new(row.name.trim()).map_err(|e| e.to_string())?;
            let mut keys = row.hotkey.trim().chars();
            let hotkey = match (keys.next(), keys.next()) {
                (None, _) => None,
                (Some(k), None) => Some(k),
                _ => return Err(format!("the hotkey of {name} must be a single key")),
            };
            if let Some(original) = &row.original
                && original != &name
            {
                renames.push((original.clone(), name.clone()));
            }
            defs.push(LabelDef {
                name,
                colour: Rgb(row.colour[0], row.colour[1], row.colour[2]),
                hotkey,
                description: row.description.trim().to_string(),
            });
        }
        let schema = Schema::new(defs).map_err(|e| e.to_string())?;
        Ok((schema, renames))
    }
}

pub fn ui(ctx: &Context, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    recovery_offer(ctx, app, &mut actions);
    conflict(ctx, app, &mut actions);
    unsaved_prompt(ctx, app, &mut actions);
    error(ctx, app);
    open_path(ctx, app, &mut actions);
    help(ctx, app);
    labels(ctx, app, &mut actions);
    preferences(ctx, app, &mut actions);
    actions
}

/// The one dialog that may stand in front of the article at start-up: unsaved work from a run
/// that ended without saving. Enter recovers.
fn recovery_offer(ctx: &Context, app: &SpanmarkApp, actions: &mut Vec<Action>) {
    let Some(found) = &app.dialogs.recovery else {
        return;
    };
    let name = app
        .session
        .as_ref()
        .map(|s| s.doc.source.name.clone())
        .unwrap_or_default();
    egui::Modal::new(egui::Id::unique("recovery_offer")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading("Recover unsaved work?");
        ui.label(format!(
            "Spanmark kept unsaved work on {name} from {} ({} span{}). Recover it? It stays unsaved until you save.",
            found.written,
            found.doc.set().len(),
            if found.doc.set().len() == 1 { "" } else { "s" }
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let recover = ui.button(RichText::new("Recover").strong());
            if recover.clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                actions.push(Action::RecoverWork);
            }
            if ui
                .button("Discard")
                .on_hover_text("Delete the unsaved work and keep the saved file")
                .clicked()
            {
                actions.push(Action::DiscardRecovery);
            }
        });
    });
}

fn conflict(ctx: &Context, app: &SpanmarkApp, actions: &mut Vec<Action>) {
    if !app.dialogs.conflict {
        return;
    }
    let path = app
        .session
        .as_ref()
        .map(|s| s.native_path.display().to_string())
        .unwrap_or_default();
    egui::Modal::new(egui::Id::unique("save_conflict")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading("Changed on disk");
        ui.label(format!(
            "The annotation file changed on disk since you opened it (another window, a sync or a git pull?): {path}"
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui
                .button("Keep both")
                .on_hover_text("Leave the file on disk as it is and save your version beside it")
                .clicked()
            {
                actions.push(Action::ResolveConflict(ConflictChoice::KeepBoth));
            }
            if ui
                .button("Overwrite")
                .on_hover_text("Replace the file on disk with your version")
                .clicked()
            {
                actions.push(Action::ResolveConflict(ConflictChoice::Overwrite));
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                actions.push(Action::ResolveConflict(ConflictChoice::Cancel));
            }
        });
    });
}

fn unsaved_prompt(ctx: &Context, app: &SpanmarkApp, actions: &mut Vec<Action>) {
    let Some(pending) = app.pending() else {
        return;
    };
    let name = app
        .session
        .as_ref()
        .map(|s| s.doc.source.name.clone())
        .unwrap_or_default();
    let then = match pending {
        Pending::Quit => "closing",
        Pending::Open(_) | Pending::OpenFolder(_) => "opening another file",
        Pending::OpenDocument(_) => "switching documents",
    };
    egui::Modal::new(egui::Id::unique("unsaved_prompt")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading("Unsaved changes");
        ui.label(format!("Save your changes to {name} before {then}?"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                actions.push(Action::SaveThenContinue);
            }
            if ui
                .button("Discard")
                .on_hover_text("Lose the changes since the last save")
                .clicked()
            {
                actions.push(Action::DiscardThenContinue);
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                actions.push(Action::CancelPending);
            }
        });
    });
}

fn error(ctx: &Context, app: &mut SpanmarkApp) {
    let Some(message) = app.dialogs.error.clone() else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("error_dialog")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading("Could not do that");
        ui.label(RichText::new(message).color(ui.visuals().error_fg_color));
        ui.add_space(8.0);
        if ui.button("OK").clicked()
            || ui.input(|i| i.key_pressed(Key::Enter) || i.key_pressed(Key::Escape))
        {
            close = true;
        }
    });
    if close {
        app.dialogs.error = None;
    }
}

fn open_path(ctx: &Context, app: &mut SpanmarkApp, actions: &mut Vec<Action>) {
    let Some(path) = &mut app.dialogs.open_path else {
        return;
    };
    let mut open = true;
    let mut submit = false;
    egui::Window::new("Open by path")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            if app.dialogs.dialog_unavailable {
                ui.label("No file dialog is available on this system; type the path instead.");
            }
            ui.label("An article (.txt, .md, .html), an annotation file or a folder:");
            let r = ui.add(
                egui::TextEdit::singleline(path)
                    .desired_width(420.0)
                    .hint_text("/path/to/article.txt"),
            );
            // Focus the empty field once; re-taking it every frame would swallow Enter.
            if path.is_empty() && !r.has_focus() {
                r.request_focus();
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                submit = true;
            }
            if ui.button("Open").clicked() {
                submit = true;
            }
        });
    if submit && !path.trim().is_empty() {
        actions.push(Action::Open(std::path::PathBuf::from(path.trim())));
        open = false;
    }
    if !open {
        app.dialogs.open_path = None;
        app.dialogs.dialog_unavailable = false;
    }
}

fn help(ctx: &Context, app: &mut SpanmarkApp) {
    if !app.dialogs.help {
        return;
    }
    let labels: Vec<(String, String)> = app
        .session
        .as_ref()
        .map(|s| {
            s.doc
                .schema
                .labels()
                .iter()
                .filter_map(|d| {
                    d.hotkey
                        .and_then(hotkey_shortcut)
                        .map(|k| (shortcut_text(&k), format!("Label as {}", d.name)))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .default_width(560.0)
        .vscroll(true)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for (keys, what) in &labels {
                        ui.monospace(keys);
                        ui.label(what);
                        ui.weak(Command::Label(0).tooltip());
                        ui.end_row();
                    }
                    for c in Command::FIXED {
                        let keys: Vec<String> = c.shortcuts().iter().map(shortcut_text).collect();
                        ui.monospace(keys.join("  "));
                        ui.label(c.text());
                        ui.weak(c.tooltip());
                        ui.end_row();
                    }
                });
        });
    if !open || ctx.input(|i| i.key_pressed(Key::Escape)) {
        app.dialogs.help = false;
    }
}

fn labels(ctx: &Context, app: &mut SpanmarkApp, actions: &mut Vec<Action>) {
    let Some(editor) = &mut app.dialogs.labels else {
        return;
    };
    let in_use: Vec<(String, usize)> = app
        .session
        .as_ref()
        .map(|s| {
            editor
                .rows
                .iter()
                .map(|r| {
                    let name = r.original.as_ref().map_or(String::new(), |l| l.to_string());
                    let n = s
                        .doc
                        .set()
                        .spans()
                        .filter(|sp| sp.label.as_str() == name)
                        .count();
                    (name, n)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut open = true;
    let mut apply = false;
    egui::Window::new("Labels")
        .open(&mut open)
        .default_width(640.0)
        .show(ctx, |ui| {
            let mut remove = None;
            egui::Grid::new("label_rows")
                .num_columns(5)
                .spacing([8.0, 6.0])
                .show(ui, |ui| {
                    ui.strong("Colour");
                    ui.strong("Name");
                    ui.strong("Key");
                    ui.strong("Description");
                    ui.end_row();
                    for (i, row) in editor.rows.iter_mut().enumerate() {
                        ui.color_edit_button_srgb(&mut row.colour);
                        let n =
                            ui.add_sized([120.0, 22.0], egui::TextEdit::singleline(&mut row.name));
                        n.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::TextInput,
                                true,
                                format!("Name of label {}", i + 1),
                            )
                        });
                        let k = ui.add_sized(
                            [28.0, 22.0],
                            egui::TextEdit::singleline(&mut row.hotkey).char_limit(1),
                        );
                        k.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::TextInput,
                                true,
                                format!("Hotkey of label {}", i + 1),
                            )
                        });
                        let d = ui.add_sized(
                            [320.0, 22.0],
                            egui::TextEdit::singleline(&mut row.description),
                        );
                        d.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::TextInput,
                                true,
                                format!("Description of label {}", i + 1),
                            )
                        });
                        let used = in_use.get(i).map_or(0, |(_, n)| *n);
                        let tip = if used > 0 {
                            format!("Remove this label; its {used} spans keep it and show grey")
                        } else {
                            "Remove this label".to_string()
                        };
                        if ui.small_button("×").on_hover_text(tip).clicked() {
                            remove = Some(i);
                        }
                        ui.end_row();
                    }
                });
            if let Some(i) = remove {
                editor.rows.remove(i);
            }
            ui.horizontal(|ui| {
                if ui.button("Add label").clicked() {
                    let used: Vec<Rgb> = editor
                        .rows
                        .iter()
                        .map(|r| Rgb(r.colour[0], r.colour[1], r.colour[2]))
                        .collect();
                    let c = crate::model::label::palette::ALL
                        .iter()
                        .copied()
                        .find(|c| !used.contains(c))
                        .unwrap_or(crate::model::label::palette::GREY);
                    let key = (1..=9)
                        .map(|n| char::from_digit(n, 10).unwrap_or('9'))
                        .find(|k| !editor.rows.iter().any(|r| r.hotkey.starts_with(*k)))
                        .map(String::from)
                        .unwrap_or_default();
                    editor.rows.push(Row {
                        original: None,
                        name: format!("label{}", editor.rows.len() + 1),
                        colour: [c.0, c.1, c.2],
                        hotkey: key,
                        description: String::new(),
                    });
                }
                if ui.button("Apply").clicked() {
                    apply = true;
                }
            });
            if let Some(e) = &editor.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let preview: Vec<_> = editor
                .rows
                .iter()
                .map(|r| (r.name.clone(), Rgb(r.colour[0], r.colour[1], r.colour[2])))
                .collect();
            ui.horizontal_wrapped(|ui| {
                for (name, c) in preview {
                    ui.label(
                        RichText::new(format!(" {name} "))
                            .background_color(colour(c).gamma_multiply(0.35)),
                    );
                }
            });
        });
    if apply {
        match editor.build() {
            Ok((schema, renames)) => {
                actions.push(Action::SetSchema(schema, renames));
                open = false;
            }
            Err(e) => editor.error = Some(e),
        }
    }
    if !open {
        app.dialogs.labels = None;
    }
}

fn preferences(ctx: &Context, app: &mut SpanmarkApp, actions: &mut Vec<Action>) {
    let Some(name) = &mut app.dialogs.preferences else {
        return;
    };
    let mut open = true;
    let mut save = false;
    egui::Window::new("Preferences")
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let caption = ui.label("Your name");
                ui.add(
                    egui::TextEdit::singleline(name).hint_text(crate::store::user::login_name()),
                )
                .labelled_by(caption.id);
            });
            ui.weak("Recorded on every span and change you make. Empty: your login name.");
            if ui.button("Save").clicked() {
                save = true;
            }
        });
    if save {
        actions.push(Action::SetAnnotator(name.clone()));
        open = false;
    }
    if !open {
        app.dialogs.preferences = None;
    }
}
