//! Label schemas from other tools, for `spanmark project init --from`: brat's
//! `annotation.conf` (with `visual.conf` and `kb_shortcuts.conf` beside it), Label Studio's
//! labeling config XML, doccano's label types JSON.
//!
//! Each reader fills a [`Draft`]: labels and relation kinds with what the tool gave of their
//! colour, key and description, and a note for everything the schema cannot carry (never
//! dropped silently). [`Draft::finish`] makes the schema: a label without a colour gets the
//! next palette colour; a key that a workbench command takes
//! ([`crate::model::command_keys`]) or that another label already has is left unbound, and
//! said so.

pub mod brat;
pub mod doccano;
pub mod label_studio;

use std::path::{Path, PathBuf};

use crate::model::command_keys::command_of_key;
use crate::model::label::palette;
use crate::model::{Label, LabelDef, RelationKind, Rgb, Schema};

/// The tools whose schemas are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaSource {
    Brat,
    LabelStudio,
    Doccano,
}

/// A schema read from another tool and what it could not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSchema {
    pub schema: Schema,
    /// One line per thing not carried over, or changed on the way (a key left unbound).
    pub not_carried: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SchemaImportError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{message}: {}", path.display())]
    Invalid { path: PathBuf, message: String },
}

/// Reads the schema in `path`, written by `source`.
pub fn read(source: SchemaSource, path: &Path) -> Result<ImportedSchema, SchemaImportError> {
    let text = read_text(path)?;
    let draft = match source {
        SchemaSource::Brat => {
            let mut draft = brat::read_annotation_conf(&text);
            let folder = path.parent().unwrap_or(Path::new("."));
            let visual = folder.join("visual.conf");
            if visual.is_file() {
                brat::read_visual_conf(&read_text(&visual)?, &mut draft);
            }
            let keys = folder.join("kb_shortcuts.conf");
            if keys.is_file() {
                brat::read_kb_shortcuts(&read_text(&keys)?, &mut draft);
            }
            draft
        }
        SchemaSource::LabelStudio => {
            label_studio::read_config(&text).map_err(|message| SchemaImportError::Invalid {
                path: path.to_path_buf(),
                message,
            })?
        }
        SchemaSource::Doccano => {
            doccano::read_label_types(&text).map_err(|message| SchemaImportError::Invalid {
                path: path.to_path_buf(),
                message,
            })?
        }
    };
    Ok(draft.finish())
}

fn read_text(path: &Path) -> Result<String, SchemaImportError> {
    let bytes = std::fs::read(path).map_err(|source| SchemaImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| SchemaImportError::Invalid {
        path: path.to_path_buf(),
        message: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
    })
}

/// A label as another tool defines it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DraftLabel {
    pub name: String,
    pub colour: Option<Rgb>,
    pub key: Option<char>,
    pub description: String,
}

/// A relation kind as another tool defines it (empty ends: any label).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftKind {
    pub name: String,
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub directed: bool,
    pub colour: Option<Rgb>,
    pub description: String,
}

/// What a reader found, before it becomes a schema.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    pub labels: Vec<DraftLabel>,
    pub kinds: Vec<DraftKind>,
    pub not_carried: Vec<String>,
}

impl Draft {
    /// The label called `name`, added (at the end) when missing.
    pub fn label(&mut self, name: &str) -> &mut DraftLabel {
        let at = match self.labels.iter().position(|l| l.name == name) {
            Some(i) => i,
            None => {
                self.labels.push(DraftLabel {
                    name: name.to_string(),
                    ..DraftLabel::default()
                });
                self.labels.len() - 1
            }
        };
        &mut self.labels[at]
    }

    pub fn kind_mut(&mut self, name: &str) -> Option<&mut DraftKind> {
        self.kinds.iter_mut().find(|k| k.name == name)
    }

    pub fn note(&mut self, line: impl Into<String>) {
        let line = line.into();
        if !self.not_carried.contains(&line) {
            self.not_carried.push(line);
        }
    }

    /// The schema: names checked, colours given, keys that clash left unbound (and said so).
    pub fn finish(mut self) -> ImportedSchema {
        let mut defs: Vec<LabelDef> = Vec::new();
        // Labels without a colour get the palette's colours no label was given, then any.
        let given: Vec<Rgb> = self.labels.iter().filter_map(|l| l.colour).collect();
        let mut colours = palette::ALL
            .iter()
            .filter(|c| !given.contains(c))
            .chain(palette::ALL.iter().cycle());
        for raw in std::mem::take(&mut self.labels) {
            let name = match Label::new(raw.name.clone()) {
                Ok(n) => n,
                Err(e) => {
                    self.note(format!("label {:?}: {e}; not carried", raw.name));
                    continue;
                }
            };
            if defs.iter().any(|d| d.name == name) {
                continue;
            }
            let hotkey = raw.key.and_then(|key| self.free_key(key, &raw.name, &defs));
            let colour = raw
                .colour
                .or_else(|| colours.next().copied())
                .unwrap_or(palette::GREY);
            defs.push(LabelDef {
                attributes: crate::model::attribute::implicit_attributes(name.as_str()),
                name,
                colour,
                hotkey,
                description: raw.description,
            });
        }
        let mut schema = Schema::new(defs).unwrap_or_else(|_| Schema::empty());
        let mut kinds: Vec<RelationKind> = Vec::new();
        let mut kind_colours = palette::ALL.iter().rev().cycle();
        for raw in std::mem::take(&mut self.kinds) {
            let ends = |names: &[String]| -> Vec<Label> {
                names
                    .iter()
                    .filter_map(|n| Label::new(n.clone()).ok())
                    .collect()
            };
            let name = match Label::new(raw.name.clone()) {
                Ok(n) => n,
                Err(e) => {
                    self.note(format!("relation kind {:?}: {e}; not carried", raw.name));
                    continue;
                }
            };
            if kinds.iter().any(|k| k.name == name) {
                continue;
            }
            kinds.push(RelationKind {
                name,
                colour: raw
                    .colour
                    .or_else(|| kind_colours.next().copied())
                    .unwrap_or(palette::GREY),
                hotkey: None,
                description: raw.description,
                from: ends(&raw.from),
                to: ends(&raw.to),
                directed: raw.directed,
            });
        }
        if let Ok(with) = schema.with_relations(kinds) {
            schema = with;
        }
        ImportedSchema {
            schema,
            not_carried: self.not_carried,
        }
    }

    /// `key` for label `name`, or `None` (said so) when it is not a digit or letter, a command
    /// takes it, or an earlier label has it.
    fn free_key(&mut self, key: char, name: &str, defs: &[LabelDef]) -> Option<char> {
        if !key.is_ascii_alphanumeric() {
            self.note(format!(
                "key {key:?} of label {name:?}: not a digit or a letter; left unbound"
            ));
            return None;
        }
        let key = key.to_ascii_lowercase();
        if let Some(command) = command_of_key(key) {
            self.note(format!(
                "key {key} of label {name:?}: taken by {command}; left unbound"
            ));
            return None;
        }
        if let Some(other) = defs
            .iter()
            .find(|d| d.hotkey.is_some_and(|k| k.eq_ignore_ascii_case(&key)))
        {
            self.note(format!(
                "key {key} of label {name:?}: label {:?} has it already; left unbound",
                other.name.as_str()
            ));
            return None;
        }
        Some(key)
    }
}

/// A colour written `#rrggbb` or `#rgb` (any case); `None` for anything else (a CSS name,
/// `rgba(…)`), which the caller reports.
pub fn hex_colour(value: &str) -> Option<Rgb> {
    let hex = value.trim().strip_prefix('#')?;
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    Rgb::parse(&format!("#{}", full.to_ascii_lowercase())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashing_keys_are_left_unbound_and_said() {
        let mut draft = Draft::default();
        for (name, key) in [
            ("Person", 'p'),
            ("Place", 'P'),
            ("Reason", 'r'),
            ("Time", '!'),
        ] {
            draft.label(name).key = Some(key);
        }
        let imported = draft.finish();
        let keys: Vec<Option<char>> = imported.schema.labels().iter().map(|d| d.hotkey).collect();
        assert_eq!(keys, [Some('p'), None, None, None]);
        assert_eq!(
            imported.not_carried,
            [
                "key p of label \"Place\": label \"Person\" has it already; left unbound",
                "key r of label \"Reason\": taken by Start Relation / Reject Span; left unbound",
                "key '!' of label \"Time\": not a digit or a letter; left unbound",
            ]
        );
    }

    #[test]
    fn colours_are_read_in_both_hex_forms_and_nothing_else() {
        assert_eq!(hex_colour("#FF821C"), Some(Rgb(0xff, 0x82, 0x1c)));
        assert_eq!(hex_colour("#abc"), Some(Rgb(0xaa, 0xbb, 0xcc)));
        assert_eq!(hex_colour("lightgreen"), None);
        assert_eq!(hex_colour("rgba(1,2,3,0.5)"), None);
    }
}

#[cfg(test)]
mod fixture_tests;
