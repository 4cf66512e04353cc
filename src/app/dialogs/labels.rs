//! The labels editor (Ctrl+Shift+L): name, colour, key and description of each label. Apply
//! checks the schema (unique names and keys) and refuses a key that a command takes in a mode
//! where labels work (`a` is Accept Span in review mode), naming the command.

use egui::{Context, RichText};

use crate::app::action::Action;
use crate::app::commands::label_key_clashes;
use crate::app::state::{AppState, Window};
use crate::app::view::paint::colour;
use crate::model::{Label, LabelDef, Rgb, Schema};

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
    pub fn build(&self) -> Result<(Schema, Vec<(Label, Label)>), String> {
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
        if let Some(clash) = label_key_clashes(&schema).first() {
            return Err(format!("{clash}: choose another key"));
        }
        Ok((schema, renames))
    }

    /// A new row: the first palette colour and digit key not in use.
    fn add_row(&mut self) {
        let used: Vec<Rgb> = self
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
            .filter_map(|n| char::from_digit(n, 10))
            .find(|k| !self.rows.iter().any(|r| r.hotkey.starts_with(*k)))
            .map(String::from)
            .unwrap_or_default();
        self.rows.push(Row {
            original: None,
            name: format!("label{}", self.rows.len() + 1),
            colour: [c.0, c.1, c.2],
            hotkey: key,
            description: String::new(),
        });
    }
}

pub fn ui(ctx: &Context, state: &AppState, editor: &mut Option<LabelEditor>) -> Vec<Action> {
    let mut actions = Vec::new();
    let session = match &state.session {
        Some(s) if state.windows.labels => s,
        _ => {
            *editor = None;
            return actions;
        }
    };
    let editor = editor.get_or_insert_with(|| LabelEditor::new(&session.doc().schema));
    let in_use: Vec<usize> = editor
        .rows
        .iter()
        .map(|r| {
            r.original.as_ref().map_or(0, |l| {
                session
                    .doc()
                    .set()
                    .spans()
                    .filter(|sp| &sp.label == l)
                    .count()
            })
        })
        .collect();
    let mut open = true;
    let mut apply = false;
    egui::Window::new("Labels")
        .open(&mut open)
        .default_width(640.0)
        .show(ctx, |ui| {
            rows_ui(ui, editor, &in_use);
            ui.horizontal(|ui| {
                if ui.button("Add label").clicked() {
                    editor.add_row();
                }
                if ui.button("Apply").clicked() {
                    apply = true;
                }
            });
            if let Some(e) = &editor.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.horizontal_wrapped(|ui| {
                for r in &editor.rows {
                    let c = Rgb(r.colour[0], r.colour[1], r.colour[2]);
                    ui.label(
                        RichText::new(format!(" {} ", r.name))
                            .background_color(colour(c).gamma_multiply(0.35)),
                    );
                }
            });
        });
    if apply {
        match editor.build() {
            Ok((schema, renames)) => actions.push(Action::SetSchema(schema, renames)),
            Err(e) => editor.error = Some(e),
        }
    }
    if !open {
        actions.push(Action::Close(Window::Labels));
    }
    actions
}

/// The rows: colour, name, key, description, and a button to remove each.
fn rows_ui(ui: &mut egui::Ui, editor: &mut LabelEditor, in_use: &[usize]) {
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
                let field = |ui: &mut egui::Ui, size: [f32; 2], text: &mut String, what: &str| {
                    let mut edit = egui::TextEdit::singleline(text);
                    if what == "Hotkey" {
                        edit = edit.char_limit(1);
                    }
                    ui.add_sized(size, edit).widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::TextInput,
                            true,
                            format!("{what} of label {}", i + 1),
                        )
                    });
                };
                field(ui, [120.0, 22.0], &mut row.name, "Name");
                field(ui, [28.0, 22.0], &mut row.hotkey, "Hotkey");
                field(ui, [320.0, 22.0], &mut row.description, "Description");
                let used = in_use.get(i).copied().unwrap_or(0);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_a_command_takes_is_refused_with_the_command_named() {
        let mut editor = LabelEditor::new(&Schema::default());
        editor.rows[0].hotkey = "r".into();
        let e = editor.build().unwrap_err();
        assert_eq!(
            e,
            "the key r of label actor is Start Relation in annotation mode: choose another key"
        );
        editor.rows[0].hotkey = "5".into();
        editor.rows[1].name = "event".into();
        let (schema, renames) = editor.build().unwrap();
        assert_eq!(schema.labels()[0].hotkey, Some('5'));
        assert_eq!(renames.len(), 1);
        editor.add_row();
        assert_eq!(editor.rows[4].hotkey, "1");
    }
}
