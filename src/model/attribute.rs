//! Attribute definitions: what the schema says a label's spans may carry besides their label
//! (an actor's `category`, a claim's `quote`, a date's `iso`).
//!
//! A span's attributes are free key–value strings ([`crate::model::Span::attrs`]). An
//! [`AttrDef`] of the span's label gives one key a type, the values it allows (each with an
//! optional key for the keyboard), a default and a description. Keys no definition names
//! (imported ones, `agreed_by`, `ls.*`, a suggestion's `agent`/`score`/`why`/`accepted_by`) are
//! kept and shown, never flagged. A default is shown, not written into spans until set.
//!
//! Invariants, held by [`AttrDef::check`] (called by [`crate::model::Schema::new`]): a name is
//! non-empty, without control characters and unique within its label; a closed set has at least
//! one value, its values are unique and non-empty; value keys are letters or digits, unique
//! among all the values of one label (a key then picks one value of one attribute); a default
//! is a value the attribute allows.

use std::fmt;

/// A definition that breaks its invariants, for label `label` (the schema turns it into its
/// error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadAttribute {
    pub label: String,
    pub name: String,
    pub why: String,
}

/// The value a flag has when it is set; the other is [`FLAG_NO`].
pub const FLAG_YES: &str = "yes";
/// The value of a flag that is not set.
pub const FLAG_NO: &str = "no";

/// What kind of value an attribute holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttrType {
    /// One of a closed set of values.
    Choice,
    /// Yes or no ([`FLAG_YES`], [`FLAG_NO`]).
    Flag,
    /// Free text.
    Text,
    /// An ISO 8601 date or date-time (YYYY, YYYY-MM, YYYY-MM-DD[Thh:mm…]).
    Date,
}

impl AttrType {
    pub const ALL: [AttrType; 4] = [
        AttrType::Choice,
        AttrType::Flag,
        AttrType::Text,
        AttrType::Date,
    ];

    /// The name the file and the labels editor use.
    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::Choice => "choice",
            AttrType::Flag => "flag",
            AttrType::Text => "text",
            AttrType::Date => "date",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for AttrType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One allowed value of a closed set, with the key that picks it after the attribute prefix key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrValue {
    pub value: String,
    pub key: Option<char>,
}

impl AttrValue {
    pub fn new(value: &str, key: Option<char>) -> Self {
        Self {
            value: value.to_string(),
            key,
        }
    }
}

/// One attribute of a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrDef {
    pub name: String,
    pub kind: AttrType,
    /// The allowed values of a [`AttrType::Choice`]; empty for the other types.
    pub values: Vec<AttrValue>,
    /// Shown while a span has no value; never written into the span until set.
    pub default: Option<String>,
    pub description: String,
}

impl AttrDef {
    /// Whether `value` fits a closed set or a flag. Free text always fits; an ISO date is
    /// checked where dates are typed (the details panel), so it fits here too.
    pub fn allows(&self, value: &str) -> bool {
        match self.kind {
            AttrType::Choice => self.values.iter().any(|v| v.value == value),
            AttrType::Flag => value == FLAG_YES || value == FLAG_NO,
            AttrType::Text => true,
            AttrType::Date => crate::model::iso::check(value).is_ok(),
        }
    }

    /// Why `value` does not fit, naming what does: `None` when it fits.
    pub fn misfit(&self, value: &str) -> Option<String> {
        if self.allows(value) {
            return None;
        }
        if self.kind == AttrType::Date {
            let why = crate::model::iso::check(value).err()?;
            return Some(format!(
                "attribute {} has value {value:?}: {why}",
                self.name
            ));
        }
        let allowed = match self.kind {
            AttrType::Flag => format!("{FLAG_YES} or {FLAG_NO}"),
            _ => self
                .values
                .iter()
                .map(|v| v.value.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        Some(format!(
            "attribute {} has value {value:?}, not one of {allowed}",
            self.name
        ))
    }

    /// The values a span can be given from the list: a closed set's, or a flag's two.
    pub fn choices(&self) -> Vec<AttrValue> {
        match self.kind {
            AttrType::Choice => self.values.clone(),
            AttrType::Flag => vec![
                AttrValue::new(FLAG_YES, None),
                AttrValue::new(FLAG_NO, None),
            ],
            AttrType::Text | AttrType::Date => Vec::new(),
        }
    }

    /// Checks the definition's own invariants (see the module docs), for label `label`.
    pub fn check(&self, label: &str) -> Result<(), BadAttribute> {
        let bad = |why: String| BadAttribute {
            label: label.to_string(),
            name: self.name.clone(),
            why,
        };
        if self.name.trim().is_empty()
            || self.name.chars().count() > 100
            || self.name.chars().any(char::is_control)
        {
            return Err(bad(
                "the name must be 1–100 characters, no control characters".into(),
            ));
        }
        match self.kind {
            AttrType::Choice if self.values.is_empty() => {
                return Err(bad("a closed set needs at least one value".into()));
            }
            AttrType::Choice => {}
            _ if !self.values.is_empty() => {
                return Err(bad(format!(
                    "a {} attribute has no list of values",
                    self.kind
                )));
            }
            _ => {}
        }
        for (i, v) in self.values.iter().enumerate() {
            if v.value.trim().is_empty() {
                return Err(bad("a value cannot be empty".into()));
            }
            if self.values[..i].iter().any(|w| w.value == v.value) {
                return Err(bad(format!("value {:?} is listed twice", v.value)));
            }
            if let Some(k) = v.key
                && !k.is_ascii_alphanumeric()
            {
                return Err(bad(format!("key {k:?} is not a digit or a letter")));
            }
        }
        if let Some(d) = &self.default
            && (!self.allows(d) || d.is_empty())
        {
            return Err(bad(format!("the default {d:?} is not an allowed value")));
        }
        Ok(())
    }
}

/// Checks a label's attribute list: each definition, unique names, value keys unique across
/// the label.
pub fn check_all(label: &str, defs: &[AttrDef]) -> Result<(), BadAttribute> {
    let mut keys: Vec<(char, &str)> = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        def.check(label)?;
        if defs[..i].iter().any(|d| d.name == def.name) {
            return Err(BadAttribute {
                label: label.to_string(),
                name: def.name.clone(),
                why: "defined twice".into(),
            });
        }
        for v in &def.values {
            let Some(k) = v.key else { continue };
            if let Some((_, other)) = keys.iter().find(|(c, _)| c.eq_ignore_ascii_case(&k)) {
                return Err(BadAttribute {
                    label: label.to_string(),
                    name: def.name.clone(),
                    why: format!("key {k:?} also picks {other:?}"),
                });
            }
            keys.push((k, &v.value));
        }
    }
    Ok(())
}

/// The attributes a label of a file without attribute definitions (version 1, or a label with
/// no `attributes` in its file) has: a `date`'s `iso`, as before attributes were defined.
pub fn implicit_attributes(label: &str) -> Vec<AttrDef> {
    match label {
        "date" => vec![iso()],
        _ => Vec::new(),
    }
}

/// The attributes of the default schema's labels: `actor` → `category`, `claim` → `quote`,
/// `date` → `iso`.
pub fn default_attributes(label: &str) -> Vec<AttrDef> {
    let choice = |name: &str, values: &[(&str, char)], description: &str| AttrDef {
        name: name.to_string(),
        kind: AttrType::Choice,
        values: values
            .iter()
            .map(|(v, k)| AttrValue::new(v, Some(*k)))
            .collect(),
        default: None,
        description: description.to_string(),
    };
    match label {
        "actor" => vec![choice(
            "category",
            &[
                ("person", 'p'),
                ("organisation", 'o'),
                ("state", 's'),
                ("group", 'g'),
                ("other", 'x'),
            ],
            "What kind of actor",
        )],
        "claim" => vec![choice(
            "quote",
            &[("direct", 'd'), ("indirect", 'i'), ("none", 'n')],
            "Whether the claim is quoted word for word, reported, or not a quote",
        )],
        "date" => vec![iso()],
        _ => Vec::new(),
    }
}

/// The span's attributes as `name = value` lines: the ones its label defines first, in the
/// label's order (an unset one with a default as `name = value (default)`), then the others in
/// key order.
pub fn lines(span: &crate::model::Span, defined: &[AttrDef]) -> Vec<String> {
    let mut out = Vec::new();
    for a in defined {
        match (span.attrs.get(&a.name), &a.default) {
            (Some(v), _) => out.push(format!("{} = {v}", a.name)),
            (None, Some(d)) => out.push(format!("{} = {d} (default)", a.name)),
            (None, None) => {}
        }
    }
    for (k, v) in &span.attrs {
        if !defined.iter().any(|a| &a.name == k) {
            out.push(format!("{k} = {v}"));
        }
    }
    out
}

fn iso() -> AttrDef {
    AttrDef {
        name: "iso".to_string(),
        kind: AttrType::Date,
        values: Vec::new(),
        default: None,
        description: "The date's ISO 8601 value".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_definitions_hold_their_invariants() {
        for label in ["actor", "action", "date", "claim"] {
            assert_eq!(check_all(label, &default_attributes(label)), Ok(()));
        }
        let category = &default_attributes("actor")[0];
        assert!(category.allows("state"));
        assert_eq!(
            category.misfit("country").as_deref(),
            Some(
                "attribute category has value \"country\", not one of person, organisation, state, group, other"
            )
        );
        assert_eq!(implicit_attributes("actor"), []);
        assert_eq!(implicit_attributes("date")[0].kind, AttrType::Date);
    }

    #[test]
    fn lines_put_the_defined_attributes_first_with_their_defaults() {
        use crate::model::{CharRange, Label, LabelDef, Rgb, Span, SpanId, Timestamp};
        let range = CharRange::new(0, 1).unwrap();
        let label = Label::new("claim").unwrap();
        let mut span = Span::new(
            SpanId::numbered(1),
            label.clone(),
            range,
            "a",
            Timestamp::from_unix(0),
        );
        span.attrs.insert("agent".into(), "dates".into());
        let mut attributes = default_attributes("claim");
        attributes.push(AttrDef {
            name: "hedged".into(),
            kind: AttrType::Flag,
            values: Vec::new(),
            default: Some(FLAG_NO.into()),
            description: String::new(),
        });
        let def = LabelDef {
            name: label,
            colour: Rgb(0, 0, 0),
            hotkey: None,
            description: String::new(),
            attributes,
        };
        assert_eq!(
            lines(&span, &def.attributes),
            ["hedged = no (default)", "agent = dates"]
        );
        span.attrs.insert("quote".into(), "direct".into());
        assert_eq!(
            lines(&span, &def.attributes),
            ["quote = direct", "hedged = no (default)", "agent = dates"]
        );
        assert_eq!(lines(&span, &[]), ["agent = dates", "quote = direct"]);
    }

    #[test]
    fn broken_definitions_are_refused() {
        let mut defs = default_attributes("actor");
        defs[0].values[1].key = Some('P');
        assert!(check_all("actor", &defs).is_err(), "a key picks two values");
        let mut defs = default_attributes("actor");
        defs.push(defs[0].clone());
        assert!(check_all("actor", &defs).is_err(), "a name twice");
        let mut defs = default_attributes("claim");
        defs[0].default = Some("maybe".into());
        assert!(check_all("claim", &defs).is_err(), "a default not allowed");
        defs[0].default = Some("none".into());
        assert_eq!(check_all("claim", &defs), Ok(()));
        let flag = AttrDef {
            name: "negated".into(),
            kind: AttrType::Flag,
            values: Vec::new(),
            default: Some(FLAG_NO.into()),
            description: String::new(),
        };
        assert_eq!(flag.check("action"), Ok(()));
        assert!(flag.allows("yes") && !flag.allows("true"));
        let empty = AttrDef {
            kind: AttrType::Choice,
            default: None,
            ..flag
        };
        assert!(
            empty.check("action").is_err(),
            "a closed set with no values"
        );
    }
}
