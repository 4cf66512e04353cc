//! Labels, relation kinds and the schema.
//!
//! A [`Label`] is a name (`actor`). The [`Schema`] says which labels a project uses, with a
//! colour, a hotkey and a one-line description each, and which kinds of relation link them
//! ([`RelationKind`]: `source` from a claim to an actor, …). Invariants, held by construction:
//! label names are unique, non-empty, without control characters; hotkeys are unique among
//! labels and among relation kinds; colours are `#rrggbb`; kind names are unique. A span may
//! carry a label the schema does not know, and a relation a kind it does not know (an imported
//! file, a label that was removed): such spans and relations are kept and reported, never
//! dropped. Each label may define attributes of its spans ([`AttrDef`], in
//! [`crate::model::attribute`]).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::attribute::{self, AttrDef};

/// A label name, e.g. `actor`. Non-empty, no control characters, at most 100 chars.
/// Shared, not copied: the 100,000 spans of a long article share a handful of labels.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Label(Arc<str>);

impl Label {
    pub fn new(name: impl Into<String>) -> Result<Self, SchemaError> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(SchemaError::EmptyName);
        }
        if name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(SchemaError::BadName(name));
        }
        Ok(Self(Arc::from(name)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Label {
    type Error = SchemaError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Label> for String {
    fn from(label: Label) -> Self {
        label.0.to_string()
    }
}

/// An sRGB colour, written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn parse(s: &str) -> Result<Self, SchemaError> {
        let bad = || SchemaError::BadColour(s.to_string());
        let hex = s.strip_prefix('#').ok_or_else(bad)?;
        if hex.len() != 6 || !hex.is_ascii() {
            return Err(bad());
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Self(byte(0)?, byte(2)?, byte(4)?))
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl TryFrom<String> for Rgb {
    type Error = SchemaError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Rgb> for String {
    fn from(rgb: Rgb) -> Self {
        rgb.to_string()
    }
}

/// One label of the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelDef {
    pub name: Label,
    pub colour: Rgb,
    /// A single key: `1`–`9`, `0` or a letter. `None`: no hotkey.
    pub hotkey: Option<char>,
    pub description: String,
    /// What its spans may carry besides the label (see [`crate::model::attribute`]).
    pub attributes: Vec<AttrDef>,
}

impl LabelDef {
    /// The definition of attribute `name`, if the label defines it.
    pub fn attribute(&self, name: &str) -> Option<&AttrDef> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The attribute and value that `key` picks (after the attribute prefix key).
    pub fn value_by_key(&self, key: char) -> Option<(&AttrDef, &str)> {
        self.attributes.iter().find_map(|a| {
            a.values
                .iter()
                .find(|v| v.key.is_some_and(|k| k.eq_ignore_ascii_case(&key)))
                .map(|v| (a, v.value.as_str()))
        })
    }
}

/// One kind of relation of the schema: a typed link from a span of one of the `from` labels
/// to a span of one of the `to` labels (an empty list allows any label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationKind {
    pub name: Label,
    pub colour: Rgb,
    /// A single letter or digit that picks this kind while a relation is being made.
    pub hotkey: Option<char>,
    pub description: String,
    pub from: Vec<Label>,
    pub to: Vec<Label>,
    /// `false`: the link has no direction (either end may be `from`).
    pub directed: bool,
}

impl RelationKind {
    /// Whether a relation of this kind may go from a span labelled `from` to one labelled
    /// `to` (either way round when the kind is undirected).
    pub fn allows(&self, from: &Label, to: &Label) -> bool {
        let fits = |ends: &[Label], label: &Label| ends.is_empty() || ends.contains(label);
        (fits(&self.from, from) && fits(&self.to, to))
            || (!self.directed && fits(&self.from, to) && fits(&self.to, from))
    }

    /// Whether a relation of this kind may start at a span labelled `from`.
    pub fn starts_at(&self, from: &Label) -> bool {
        let fits = |ends: &[Label]| ends.is_empty() || ends.contains(from);
        fits(&self.from) || (!self.directed && fits(&self.to))
    }
}

/// The labels and relation kinds in force for a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    labels: Vec<LabelDef>,
    relations: Vec<RelationKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("a label name cannot be empty")]
    EmptyName,
    #[error("label name {0:?} is not allowed (control characters or longer than 100 chars)")]
    BadName(String),
    #[error("colour {0:?} is not of the form #rrggbb")]
    BadColour(String),
    #[error("label {0:?} is defined twice")]
    DuplicateLabel(String),
    #[error("hotkey {key:?} is given to both {first:?} and {second:?}")]
    DuplicateHotkey {
        key: char,
        first: String,
        second: String,
    },
    #[error("hotkey {0:?} is not a digit or a letter")]
    BadHotkey(char),
    #[error("there is no label {0:?} in the schema")]
    UnknownLabel(String),
    #[error("relation kind {0:?} is defined twice")]
    DuplicateKind(String),
    #[error("relation key {key:?} is given to both {first:?} and {second:?}")]
    DuplicateKindHotkey {
        key: char,
        first: String,
        second: String,
    },
    #[error("there is no relation kind {0:?} in the schema")]
    UnknownKind(String),
    #[error("label {label:?}, attribute {name:?}: {why}")]
    BadAttribute {
        label: String,
        name: String,
        why: String,
    },
}

/// The Okabe–Ito palette: distinguishable with every common colour-vision deficiency.
pub mod palette {
    use super::Rgb;
    pub const BLUE: Rgb = Rgb(0x00, 0x72, 0xb2);
    pub const ORANGE: Rgb = Rgb(0xe6, 0x9f, 0x00);
    pub const BLUISH_GREEN: Rgb = Rgb(0x00, 0x9e, 0x73);
    pub const REDDISH_PURPLE: Rgb = Rgb(0xcc, 0x79, 0xa7);
    pub const VERMILLION: Rgb = Rgb(0xd5, 0x5e, 0x00);
    pub const SKY_BLUE: Rgb = Rgb(0x56, 0xb4, 0xe9);
    pub const YELLOW: Rgb = Rgb(0xf0, 0xe4, 0x42);
    pub const GREY: Rgb = Rgb(0x99, 0x99, 0x99);
    /// In the order new labels get them.
    pub const ALL: [Rgb; 8] = [
        BLUE,
        ORANGE,
        BLUISH_GREEN,
        REDDISH_PURPLE,
        VERMILLION,
        SKY_BLUE,
        YELLOW,
        GREY,
    ];
}

impl Default for Schema {
    /// actor, action, date, claim on keys 1–4, and the relation kinds of
    /// [`default_relation_kinds`].
    fn default() -> Self {
        let def = |name: &str, colour, key, description: &str| LabelDef {
            name: Label(Arc::from(name)),
            colour,
            hotkey: Some(key),
            description: description.to_string(),
            attributes: attribute::default_attributes(name),
        };
        Self {
            labels: vec![
                def(
                    "actor",
                    palette::BLUE,
                    '1',
                    "A person, group, organisation or state that acts or speaks",
                ),
                def(
                    "action",
                    palette::ORANGE,
                    '2',
                    "What an actor does or says: the verb phrase of an event",
                ),
                def(
                    "date",
                    palette::BLUISH_GREEN,
                    '3',
                    "A date or time expression; record its ISO 8601 value",
                ),
                def(
                    "claim",
                    palette::REDDISH_PURPLE,
                    '4',
                    "A statement presented as fact or opinion, attributable to an actor",
                ),
            ],
            relations: default_relation_kinds(),
        }
    }
}

/// The default relation kinds: who makes a claim (`source`), its verb of saying (`cue`), who
/// acts (`agent`), who is acted on (`target`), and when (`time`).
pub fn default_relation_kinds() -> Vec<RelationKind> {
    let labels = |names: &[&str]| names.iter().map(|n| Label(Arc::from(*n))).collect();
    let kind =
        |name: &str, colour, key, from: &[&str], to: &[&str], description: &str| RelationKind {
            name: Label(Arc::from(name)),
            colour,
            hotkey: Some(key),
            description: description.to_string(),
            from: labels(from),
            to: labels(to),
            directed: true,
        };
    vec![
        kind(
            "source",
            palette::REDDISH_PURPLE,
            's',
            &["claim"],
            &["actor"],
            "Who makes the claim",
        ),
        kind(
            "cue",
            palette::VERMILLION,
            'c',
            &["claim"],
            &["action"],
            "The verb of saying that introduces the claim",
        ),
        kind(
            "agent",
            palette::BLUE,
            'a',
            &["action"],
            &["actor"],
            "Who acts",
        ),
        kind(
            "target",
            palette::SKY_BLUE,
            'g',
            &["action"],
            &["actor"],
            "Who is acted on",
        ),
        kind(
            "time",
            palette::BLUISH_GREEN,
            't',
            &["action", "claim"],
            &["date"],
            "When the action happened or the claim was made",
        ),
    ]
}

/// The default relation kinds that fit `labels`: each kind's ends narrowed to the labels
/// there are, and kinds left with no label at an end dropped. What a file from before
/// relation kinds (version 1) is given, so its relations can be made and checked.
pub fn default_relation_kinds_for(labels: &[LabelDef]) -> Vec<RelationKind> {
    let known = |ends: &[Label]| -> Vec<Label> {
        ends.iter()
            .filter(|l| labels.iter().any(|d| &d.name == *l))
            .cloned()
            .collect()
    };
    default_relation_kinds()
        .into_iter()
        .filter_map(|k| {
            let from = known(&k.from);
            let to = known(&k.to);
            (!from.is_empty() && !to.is_empty()).then_some(RelationKind { from, to, ..k })
        })
        .collect()
}

impl Schema {
    /// A schema from label definitions, checked: unique names, unique valid hotkeys.
    pub fn new(labels: Vec<LabelDef>) -> Result<Self, SchemaError> {
        for (i, def) in labels.iter().enumerate() {
            attribute::check_all(def.name.as_str(), &def.attributes).map_err(
                |attribute::BadAttribute { label, name, why }| SchemaError::BadAttribute {
                    label,
                    name,
                    why,
                },
            )?;
            if let Some(key) = def.hotkey
                && !key.is_ascii_alphanumeric()
            {
                return Err(SchemaError::BadHotkey(key));
            }
            for earlier in &labels[..i] {
                if earlier.name == def.name {
                    return Err(SchemaError::DuplicateLabel(def.name.to_string()));
                }
                if let (Some(a), Some(b)) = (earlier.hotkey, def.hotkey)
                    && a.eq_ignore_ascii_case(&b)
                {
                    return Err(SchemaError::DuplicateHotkey {
                        key: b,
                        first: earlier.name.to_string(),
                        second: def.name.to_string(),
                    });
                }
            }
        }
        Ok(Self {
            labels,
            relations: Vec::new(),
        })
    }

    /// This schema with `kinds` as its relation kinds, checked: unique names, unique valid
    /// keys. A kind's ends may name labels the schema lacks (kept, like a span's unknown label).
    pub fn with_relations(&self, kinds: Vec<RelationKind>) -> Result<Self, SchemaError> {
        for (i, kind) in kinds.iter().enumerate() {
            if let Some(key) = kind.hotkey
                && !key.is_ascii_alphanumeric()
            {
                return Err(SchemaError::BadHotkey(key));
            }
            for earlier in &kinds[..i] {
                if earlier.name == kind.name {
                    return Err(SchemaError::DuplicateKind(kind.name.to_string()));
                }
                if let (Some(a), Some(b)) = (earlier.hotkey, kind.hotkey)
                    && a.eq_ignore_ascii_case(&b)
                {
                    return Err(SchemaError::DuplicateKindHotkey {
                        key: b,
                        first: earlier.name.to_string(),
                        second: kind.name.to_string(),
                    });
                }
            }
        }
        Ok(Self {
            labels: self.labels.clone(),
            relations: kinds,
        })
    }

    /// A schema with no labels and no relation kinds.
    pub fn empty() -> Self {
        Self {
            labels: Vec::new(),
            relations: Vec::new(),
        }
    }

    pub fn labels(&self) -> &[LabelDef] {
        &self.labels
    }

    /// The relation kinds, in the order the schema lists them.
    pub fn relations(&self) -> &[RelationKind] {
        &self.relations
    }

    pub fn relation_kind(&self, name: &str) -> Option<&RelationKind> {
        self.relations.iter().find(|k| k.name.as_str() == name)
    }

    /// The kinds allowed from a span labelled `from` to one labelled `to`, in schema order.
    pub fn kinds_between<'a>(
        &'a self,
        from: &'a Label,
        to: &'a Label,
    ) -> impl Iterator<Item = &'a RelationKind> {
        self.relations.iter().filter(move |k| k.allows(from, to))
    }

    /// Whether any kind may start at a span labelled `from`.
    pub fn has_outgoing(&self, from: &Label) -> bool {
        self.relations.iter().any(|k| k.starts_at(from))
    }

    /// Whether a relation of kind `kind` from `from` to `to` fits the schema: `None` when it
    /// does, else why not. A kind the schema lacks is not a misfit (it is warned about
    /// elsewhere, like an unknown label).
    pub fn relation_misfit(&self, kind: &Label, from: &Label, to: &Label) -> Option<String> {
        let k = self.relation_kind(kind.as_str())?;
        if k.allows(from, to) {
            return None;
        }
        // An empty list allows any label; "a"/"an" would depend on the kind's name.
        let list = |ends: &[Label]| match ends {
            [] => "any label".to_string(),
            _ => ends
                .iter()
                .map(Label::as_str)
                .collect::<Vec<_>>()
                .join(" or "),
        };
        Some(format!(
            "a relation of kind {kind} goes from {} to {}, not from {from} to {to}",
            list(&k.from),
            list(&k.to)
        ))
    }

    pub fn get(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|d| d.name.as_str() == name)
    }

    pub fn contains(&self, label: &Label) -> bool {
        self.get(label.as_str()).is_some()
    }

    pub fn by_hotkey(&self, key: char) -> Option<&LabelDef> {
        self.labels
            .iter()
            .find(|d| d.hotkey.is_some_and(|k| k.eq_ignore_ascii_case(&key)))
    }

    /// The schema with `def` added, or an error when its name or hotkey is taken.
    pub fn with_label(&self, def: LabelDef) -> Result<Self, SchemaError> {
        let mut labels = self.labels.clone();
        labels.push(def);
        Self::new(labels)?.with_relations(self.relations.clone())
    }

    /// The schema with the definition of `name` replaced by `def` (which may rename it).
    pub fn with_replaced(&self, name: &str, def: LabelDef) -> Result<Self, SchemaError> {
        let index = self
            .labels
            .iter()
            .position(|d| d.name.as_str() == name)
            .ok_or_else(|| SchemaError::UnknownLabel(name.to_string()))?;
        let old = self.labels[index].name.clone();
        let new = def.name.clone();
        let mut labels = self.labels.clone();
        labels[index] = def;
        // A renamed label keeps its place at the ends of the relation kinds.
        let rename = |ends: &[Label]| -> Vec<Label> {
            ends.iter()
                .map(|l| if *l == old { new.clone() } else { l.clone() })
                .collect()
        };
        let kinds = self
            .relations
            .iter()
            .map(|k| RelationKind {
                from: rename(&k.from),
                to: rename(&k.to),
                ..k.clone()
            })
            .collect();
        Self::new(labels)?.with_relations(kinds)
    }

    /// The schema without `name`.
    pub fn without(&self, name: &str) -> Result<Self, SchemaError> {
        if self.get(name).is_none() {
            return Err(SchemaError::UnknownLabel(name.to_string()));
        }
        let labels = self
            .labels
            .iter()
            .filter(|d| d.name.as_str() != name)
            .cloned()
            .collect();
        // The kinds keep naming the label at their ends: narrowing them silently would widen
        // a kind whose only end it was to "any label".
        Self::new(labels)?.with_relations(self.relations.clone())
    }

    /// A colour for a new label: the first palette colour no label uses yet.
    pub fn next_colour(&self) -> Rgb {
        palette::ALL
            .iter()
            .copied()
            .find(|c| self.labels.iter().all(|d| d.colour != *c))
            .unwrap_or(palette::GREY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schema_has_the_four_labels_on_keys_one_to_four() {
        let schema = Schema::default();
        let names: Vec<_> = schema.labels().iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["actor", "action", "date", "claim"]);
        assert_eq!(schema.by_hotkey('3').map(|d| d.name.as_str()), Some("date"));
        assert!(Schema::new(schema.labels().to_vec()).is_ok());
        assert!(schema.labels().iter().all(|d| !d.description.is_empty()));
    }

    #[test]
    fn duplicates_are_refused() {
        let schema = Schema::default();
        let mut dup = schema.get("actor").unwrap().clone();
        dup.hotkey = Some('9');
        assert_eq!(
            schema.with_label(dup),
            Err(SchemaError::DuplicateLabel("actor".into()))
        );
        let clash = LabelDef {
            name: Label::new("place").unwrap(),
            colour: schema.next_colour(),
            hotkey: Some('2'),
            description: String::new(),
            attributes: Vec::new(),
        };
        assert!(matches!(
            schema.with_label(clash),
            Err(SchemaError::DuplicateHotkey { key: '2', .. })
        ));
    }

    #[test]
    fn colours_parse_and_print() {
        assert_eq!(Rgb::parse("#0072B2"), Ok(palette::BLUE));
        assert_eq!(palette::BLUE.to_string(), "#0072b2");
        assert!(Rgb::parse("0072b2").is_err());
        assert!(Rgb::parse("#00ü2b2").is_err());
        assert!(Rgb::parse("#00722").is_err());
    }

    #[test]
    fn bad_names_are_refused() {
        assert!(Label::new("").is_err());
        assert!(Label::new("  ").is_err());
        assert!(Label::new("a\nb").is_err());
        assert!(Label::new("Person").is_ok());
    }

    #[test]
    fn a_misfit_names_what_the_kind_allows() {
        let l = |n: &str| Label::new(n).unwrap();
        let schema = Schema::default();
        assert_eq!(
            schema.relation_misfit(&l("agent"), &l("date"), &l("actor")),
            Some(
                "a relation of kind agent goes from action to actor, not from date to actor".into()
            )
        );
        assert_eq!(
            schema.relation_misfit(&l("agent"), &l("action"), &l("actor")),
            None
        );
        assert_eq!(
            schema.relation_misfit(&l("stance"), &l("date"), &l("actor")),
            None
        );
        let mut any_end = schema.relations()[0].clone();
        any_end.from.clear();
        let schema = schema.with_relations(vec![any_end]).unwrap();
        assert_eq!(
            schema.relation_misfit(&l("source"), &l("claim"), &l("date")),
            Some(
                "a relation of kind source goes from any label to actor, not from claim to date"
                    .into()
            )
        );
    }

    #[test]
    fn rename_and_remove() {
        let schema = Schema::default();
        let mut def = schema.get("claim").unwrap().clone();
        def.name = Label::new("quote").unwrap();
        let renamed = schema.with_replaced("claim", def).unwrap();
        assert!(renamed.get("quote").is_some() && renamed.get("claim").is_none());
        let smaller = renamed.without("quote").unwrap();
        assert_eq!(smaller.labels().len(), 3);
        assert_eq!(smaller.next_colour(), palette::REDDISH_PURPLE);
    }
}
