//! The labels editor (Ctrl+Shift+L): name, colour, key and description of each label, and of
//! each relation kind, with the labels allowed at its two ends and whether it has a direction.
//! Apply checks the schema (unique names and keys, ends that name labels) and refuses a key
//! that a command takes in a mode where labels work (`a` is Accept Span in review mode), naming
//! the command. Renaming a label relabels its spans (and renames it at the kinds' ends);
//! renaming a kind retypes its relations. Each label's attributes are edited here too: name,
//! type, the values of a closed set with their keys, a default and a description.

use egui::{Context, RichText};

use crate::app::action::Action;
use crate::app::commands::label_key_clashes;
use crate::app::session::Renames;
use crate::app::state::{AppState, Window};
use crate::app::view::paint::colour;
use crate::model::{AttrDef, AttrType, AttrValue, Label, LabelDef, RelationKind, Rgb, Schema};

/// One row of the labels editor.
#[derive(Debug, Clone)]
struct Row {
    /// The name the label had when the editor opened (`None` for a new label).
    original: Option<Label>,
    name: String,
    colour: [u8; 3],
    hotkey: String,
    description: String,
    attributes: Vec<AttrRow>,
}

/// One attribute of a label in the labels editor. `values` is the closed set as typed:
/// `person:p, organisation:o` (a value, then optionally `:` and its key).
#[derive(Debug, Clone)]
struct AttrRow {
    name: String,
    kind: AttrType,
    values: String,
    default: String,
    description: String,
}

impl AttrRow {
    fn of(a: &AttrDef) -> Self {
        let values = a
            .values
            .iter()
            .map(|v| match v.key {
                Some(k) => format!("{}:{k}", v.value),
                None => v.value.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        Self {
            name: a.name.clone(),
            kind: a.kind,
            values,
            default: a.default.clone().unwrap_or_default(),
            description: a.description.clone(),
        }
    }

    /// The definition the row describes (its invariants are checked with the schema's).
    fn build(&self) -> Result<AttrDef, String> {
        let mut values = Vec::new();
        if self.kind == AttrType::Choice {
            for item in self
                .values
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                let (value, key) = match item.rsplit_once(':') {
                    Some((v, k)) => {
                        let key = one_key(k).ok_or_else(|| {
                            format!(
                                "attribute {}: the key of {v} must be a single key",
                                self.name
                            )
                        })?;
                        (v.trim(), key)
                    }
                    None => (item, None),
                };
                values.push(AttrValue::new(value, key));
            }
        }
        let default = self.default.trim();
        Ok(AttrDef {
            name: self.name.trim().to_string(),
            kind: self.kind,
            values,
            default: (!default.is_empty()).then(|| default.to_string()),
            description: self.description.trim().to_string(),
        })
    }
}

/// Names changed in the editor: (old, new).
type Renamed = Vec<(Label, Label)>;

/// One relation kind of the labels editor.
#[derive(Debug, Clone)]
struct KindRow {
    /// The name the kind had when the editor opened (`None` for a new kind).
    original: Option<Label>,
    name: String,
    colour: [u8; 3],
    hotkey: String,
    /// The labels allowed at each end, separated by commas (empty: any label).
    from: String,
    to: String,
    directed: bool,
    description: String,
}

impl KindRow {
    fn of(k: &RelationKind) -> Self {
        let list = |ends: &[Label]| {
            ends.iter()
                .map(Label::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        };
        Self {
            original: Some(k.name.clone()),
            name: k.name.to_string(),
            colour: [k.colour.0, k.colour.1, k.colour.2],
            hotkey: k.hotkey.map(String::from).unwrap_or_default(),
            from: list(&k.from),
            to: list(&k.to),
            directed: k.directed,
            description: k.description.clone(),
        }
    }
}

/// The labels editor's working copy of the schema.
#[derive(Debug, Clone)]
pub struct LabelEditor {
    rows: Vec<Row>,
    kinds: Vec<KindRow>,
    error: Option<String>,
    /// Inside a project: the user agreed to save the labels to the project file too.
    pub to_project: bool,
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
                    attributes: d.attributes.iter().map(AttrRow::of).collect(),
                })
                .collect(),
            kinds: schema.relations().iter().map(KindRow::of).collect(),
            error: None,
            to_project: false,
        }
    }

    /// The schema the rows describe, and the renames, or what is wrong.
    pub fn build(&self) -> Result<(Schema, Renames), String> {
        let mut defs = Vec::new();
        let mut renames = Vec::new();
        for row in &self.rows {
            let name = Label::new(row.name.trim()).map_err(|e| e.to_string())?;
            let hotkey = one_key(&row.hotkey)
                .ok_or_else(|| format!("the hotkey of {name} must be a single key"))?;
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
                attributes: row
                    .attributes
                    .iter()
                    .map(AttrRow::build)
                    .collect::<Result<_, _>>()?,
            });
        }
        let schema = Schema::new(defs).map_err(|e| e.to_string())?;
        if let Some(clash) = label_key_clashes(&schema).first() {
            return Err(format!("{clash}: choose another key"));
        }
        let (kinds, kind_renames) = self.build_kinds(&schema, &renames)?;
        let schema = schema.with_relations(kinds).map_err(|e| e.to_string())?;
        Ok((
            schema,
            Renames {
                labels: renames,
                kinds: kind_renames,
            },
        ))
    }

    /// The relation kinds the kind rows describe: their ends must name labels of `schema`
    /// (a label renamed in the label rows is followed by its new name).
    fn build_kinds(
        &self,
        schema: &Schema,
        label_renames: &[(Label, Label)],
    ) -> Result<(Vec<RelationKind>, Renamed), String> {
        let mut kinds = Vec::new();
        let mut renames = Vec::new();
        for row in &self.kinds {
            let name = Label::new(row.name.trim()).map_err(|e| format!("relation kind: {e}"))?;
            let hotkey = one_key(&row.hotkey)
                .ok_or_else(|| format!("the key of relation kind {name} must be a single key"))?;
            let ends = |list: &str| -> Result<Vec<Label>, String> {
                list.split(',')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| {
                        let l = Label::new(l).map_err(|e| e.to_string())?;
                        let l = label_renames
                            .iter()
                            .find(|(old, _)| *old == l)
                            .map_or(l, |(_, new)| new.clone());
                        if schema.contains(&l) {
                            Ok(l)
                        } else {
                            Err(format!("relation kind {name}: there is no label {l}"))
                        }
                    })
                    .collect()
            };
            if let Some(original) = &row.original
                && original != &name
            {
                renames.push((original.clone(), name.clone()));
            }
            kinds.push(RelationKind {
                from: ends(&row.from)?,
                to: ends(&row.to)?,
                name,
                colour: Rgb(row.colour[0], row.colour[1], row.colour[2]),
                hotkey,
                description: row.description.trim().to_string(),
                directed: row.directed,
            });
        }
        Ok((kinds, renames))
    }

    /// A new relation kind: the first palette colour and letter key not in use.
    fn add_kind(&mut self) {
        let c = free_colour(self.kinds.iter().map(|r| r.colour));
        let key = ('a'..='z')
            .find(|k| !self.kinds.iter().any(|r| r.hotkey.starts_with(*k)))
            .map(String::from)
            .unwrap_or_default();
        self.kinds.push(KindRow {
            original: None,
            name: format!("kind{}", self.kinds.len() + 1),
            colour: [c.0, c.1, c.2],
            hotkey: key,
            from: String::new(),
            to: String::new(),
            directed: true,
            description: String::new(),
        });
    }

    /// A new row: the first palette colour and digit key not in use.
    fn add_row(&mut self) {
        let c = free_colour(self.rows.iter().map(|r| r.colour));
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
            attributes: Vec::new(),
        });
    }
}

/// The key typed in a key field: `Some(None)` for none, `None` when it is more than one key.
fn one_key(text: &str) -> Option<Option<char>> {
    let mut keys = text.trim().chars();
    match (keys.next(), keys.next()) {
        (None, _) => Some(None),
        (Some(k), None) => Some(Some(k)),
        _ => None,
    }
}

/// The first palette colour none of `used` has.
fn free_colour(used: impl Iterator<Item = [u8; 3]>) -> Rgb {
    let used: Vec<Rgb> = used.map(|c| Rgb(c[0], c[1], c[2])).collect();
    crate::model::label::palette::ALL
        .iter()
        .copied()
        .find(|c| !used.contains(c))
        .unwrap_or(crate::model::label::palette::GREY)
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
            if ui.button("Add label").clicked() {
                editor.add_row();
            }
            ui.separator();
            ui.strong("Attributes");
            ui.weak("What a label's spans carry besides the label. A choice lists its values, each with an optional key after a colon (person:p, organisation:o): v then the key sets it. A flag is yes or no; a date is ISO 8601.");
            attributes_ui(ui, editor);
            ui.separator();
            ui.strong("Relation kinds");
            ui.weak("The labels each end allows, separated by commas (empty: any label). The key picks the kind while a relation is made (R) and retypes a selected one.");
            kinds_ui(ui, editor, &relations_in_use(session));
            if let Some(project) = &state.project {
                ui.checkbox(
                    &mut editor.to_project,
                    format!(
                        "Also save these labels to the project {:?} ({}): every article in it will use them",
                        project.name,
                        project.path.display()
                    ),
                );
            }
            ui.horizontal(|ui| {
                if ui.button("Add relation kind").clicked() {
                    editor.add_kind();
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
            Ok((schema, renames)) => {
                if editor.to_project && state.project.is_some() {
                    actions.push(Action::SetProjectSchema(schema.clone()));
                }
                actions.push(Action::SetSchema(schema, renames));
            }
            Err(e) => editor.error = Some(e),
        }
    }
    if !open {
        actions.push(Action::Close(Window::Labels));
    }
    actions
}

/// How many relations each kind of the schema has, by name.
fn relations_in_use(session: &crate::app::session::Session) -> Vec<(Label, usize)> {
    let set = session.doc().set();
    session
        .doc()
        .schema
        .relations()
        .iter()
        .map(|k| {
            let n = set.relations().filter(|r| r.kind == k.name).count();
            (k.name.clone(), n)
        })
        .collect()
}

/// The relation kind rows: colour, name, key, ends, direction, description, remove.
fn kinds_ui(ui: &mut egui::Ui, editor: &mut LabelEditor, in_use: &[(Label, usize)]) {
    let mut remove = None;
    egui::Grid::new("kind_rows")
        .num_columns(8)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            for head in [
                "Colour",
                "Name",
                "Key",
                "From",
                "To",
                "Directed",
                "Description",
            ] {
                ui.strong(head);
            }
            ui.end_row();
            for (i, row) in editor.kinds.iter_mut().enumerate() {
                ui.color_edit_button_srgb(&mut row.colour);
                let field = |ui: &mut egui::Ui, size: [f32; 2], text: &mut String, what: &str| {
                    let name = format!("{what} of relation kind {}", i + 1);
                    text_field(ui, size, text, &name, what == "Key");
                };
                field(ui, [90.0, 22.0], &mut row.name, "Name");
                field(ui, [28.0, 22.0], &mut row.hotkey, "Key");
                field(ui, [110.0, 22.0], &mut row.from, "From");
                field(ui, [110.0, 22.0], &mut row.to, "To");
                ui.checkbox(&mut row.directed, "");
                field(ui, [220.0, 22.0], &mut row.description, "Description");
                let used = row
                    .original
                    .as_ref()
                    .and_then(|o| in_use.iter().find(|(k, _)| k == o))
                    .map_or(0, |(_, n)| *n);
                let tip = if used > 0 {
                    format!("Remove this kind; its {used} relations keep it and show grey")
                } else {
                    "Remove this kind".to_string()
                };
                if ui.small_button("×").on_hover_text(tip).clicked() {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        editor.kinds.remove(i);
    }
}

/// The attribute rows, label by label: label, name, type, values, default, description,
/// remove; and a row to add an attribute to a label.
fn attributes_ui(ui: &mut egui::Ui, editor: &mut LabelEditor) {
    let mut remove = None;
    egui::Grid::new("attribute_rows")
        .num_columns(7)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            for head in ["Label", "Name", "Type", "Values", "Default", "Description"] {
                ui.strong(head);
            }
            ui.end_row();
            for (i, row) in editor.rows.iter_mut().enumerate() {
                for (j, a) in row.attributes.iter_mut().enumerate() {
                    ui.label(&row.name);
                    let field =
                        |ui: &mut egui::Ui, size: [f32; 2], text: &mut String, what: &str| {
                            let name = format!("{what} of attribute {} of label {}", j + 1, i + 1);
                            text_field(ui, size, text, &name, false);
                        };
                    field(ui, [90.0, 22.0], &mut a.name, "Name");
                    egui::ComboBox::from_id_salt(("attr_type", i, j))
                        .selected_text(a.kind.as_str())
                        .show_ui(ui, |ui| {
                            for t in AttrType::ALL {
                                ui.selectable_value(&mut a.kind, t, t.as_str());
                            }
                        });
                    if a.kind == AttrType::Choice {
                        field(ui, [220.0, 22.0], &mut a.values, "Values");
                    } else {
                        ui.weak(match a.kind {
                            AttrType::Flag => "yes, no",
                            AttrType::Date => "ISO 8601",
                            _ => "free text",
                        });
                    }
                    field(ui, [80.0, 22.0], &mut a.default, "Default");
                    field(ui, [200.0, 22.0], &mut a.description, "Description");
                    if ui
                        .small_button("×")
                        .on_hover_text("Remove this attribute; values spans have keep showing")
                        .clicked()
                    {
                        remove = Some((i, j));
                    }
                    ui.end_row();
                }
            }
        });
    if let Some((i, j)) = remove {
        editor.rows[i].attributes.remove(j);
    }
    ui.horizontal(|ui| {
        for row in &mut editor.rows {
            if ui
                .button(format!("Add attribute to {}", row.name))
                .clicked()
            {
                let n = row.attributes.len() + 1;
                row.attributes.push(AttrRow {
                    name: format!("attribute{n}"),
                    kind: AttrType::Flag,
                    values: String::new(),
                    default: String::new(),
                    description: String::new(),
                });
            }
        }
    });
}

/// A one-line text field of `size`, named `name` for screen readers; `one_key` limits it to a
/// character.
fn text_field(ui: &mut egui::Ui, size: [f32; 2], text: &mut String, name: &str, one_key: bool) {
    let mut edit = egui::TextEdit::singleline(text);
    if one_key {
        edit = edit.char_limit(1);
    }
    ui.add_sized(size, edit)
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, name));
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
                    let name = format!("{what} of label {}", i + 1);
                    text_field(ui, size, text, &name, what == "Hotkey");
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
        assert_eq!(renames.labels.len(), 1);
        editor.add_row();
        assert_eq!(editor.rows[4].hotkey, "1");
    }

    #[test]
    fn attributes_are_edited_as_rows_and_checked_with_the_schema() {
        let mut editor = LabelEditor::new(&Schema::default());
        assert_eq!(
            editor.rows[0].attributes[0].values,
            "person:p, organisation:o, state:s, group:g, other:x"
        );
        let (same, _) = editor.build().unwrap();
        assert_eq!(same.labels(), Schema::default().labels());
        editor.rows[1].attributes.push(AttrRow {
            name: "negated".into(),
            kind: AttrType::Flag,
            values: String::new(),
            default: "no".into(),
            description: "Did it not happen?".into(),
        });
        editor.rows[0].attributes[0].values = "person:p, country:c, other".into();
        editor.rows[0].attributes[0].default = "person".into();
        let (schema, _) = editor.build().unwrap();
        let action = schema.get("action").unwrap();
        assert_eq!(action.attributes[0].kind, AttrType::Flag);
        assert_eq!(action.attributes[0].default.as_deref(), Some("no"));
        let category = &schema.get("actor").unwrap().attributes[0];
        assert_eq!(
            category.values,
            [
                AttrValue::new("person", Some('p')),
                AttrValue::new("country", Some('c')),
                AttrValue::new("other", None)
            ]
        );
        editor.rows[0].attributes[0].default = "state".into();
        assert!(
            editor
                .build()
                .unwrap_err()
                .contains("the default \"state\"")
        );
        editor.rows[0].attributes[0].default.clear();
        editor.rows[0].attributes[0].values = "person:pp".into();
        assert!(editor.build().unwrap_err().contains("must be a single key"));
    }

    #[test]
    fn relation_kinds_are_edited_and_follow_a_renamed_label() {
        let mut editor = LabelEditor::new(&Schema::default());
        assert_eq!(editor.kinds.len(), 5);
        // Rename the label actor: the kinds' ends follow it.
        editor.rows[0].name = "person".into();
        // Rename the kind agent, make time undirected, add a kind with any label at its start.
        editor.kinds[2].name = "actor_of".into();
        editor.kinds[4].directed = false;
        editor.add_kind();
        editor.kinds[5].to = "claim".into();
        let (schema, renames) = editor.build().unwrap();
        let source = schema.relation_kind("source").unwrap();
        assert_eq!(source.to, [Label::new("person").unwrap()]);
        assert!(!schema.relation_kind("time").unwrap().directed);
        let added = schema.relation_kind("kind6").unwrap();
        assert!(added.from.is_empty() && added.hotkey == Some('b'));
        assert_eq!(
            renames.kinds,
            [(
                Label::new("agent").unwrap(),
                Label::new("actor_of").unwrap()
            )]
        );
        // An end naming no label, and a key given twice, are refused by name.
        editor.kinds[0].to = "place".into();
        assert_eq!(
            editor.build().unwrap_err(),
            "relation kind source: there is no label place"
        );
        editor.kinds[0].to = "person".into();
        editor.kinds[1].hotkey = "s".into();
        assert!(editor.build().unwrap_err().contains("relation key 's'"));
    }
}
