//! Reading an [`AuditValue`]: what `#[serde(untagged)]` accepts, read in one pass.
//!
//! A history has an entry per change, and each `before`/`after` is an [`AuditValue`]. Serde's
//! untagged enums first copy the value into a buffer of their own (a string allocated for every
//! key and string) and then try each variant on it: a fifth of reading the history of a file.
//! This reads the value once, keeping only what a variant needs, and accepts exactly what the
//! untagged enum accepts, with the same error at the same place (tests compare the two):
//!
//! - a string: [`AuditValue::Text`];
//! - an object with exactly the fields `label`, `start`, `end`, `text` (each once), or `kind`,
//!   `from`, `to`: a span or a relation snapshot; the strings must be strings and `start` and
//!   `end` whole numbers from 0;
//! - an array of those values in that order (serde reads a struct from an array too);
//! - anything else: "data did not match any variant of untagged enum AuditValue", raised once
//!   the whole value is read and the deserializer has returned it, as serde raises it (so the
//!   position serde_json gives the error is the same).
//!
//! A reader that checks a history and drops it ([`checking_only`]) has each value checked
//! the same way without building it: no string is copied and no snapshot allocated.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::audit::{AuditValue, RelationSnapshot, SpanSnapshot};

const NO_VARIANT: &str = "data did not match any variant of untagged enum AuditValue";

thread_local! {
    /// Whether the values read on this thread are only checked ([`checking_only`]).
    static CHECKING_ONLY: Cell<bool> = const { Cell::new(false) };
}

/// Runs `read` with every [`AuditValue`] deserialized on this thread meanwhile checked but not
/// built: each is accepted or refused exactly as otherwise, with the same error at the same
/// place, and each accepted comes out as an empty [`AuditValue::Text`]. For a reader that
/// checks a history's entries and drops them (an export to a format with no place for the
/// history): building the snapshots it throws away, their strings copied and boxed, was a
/// twentieth of a CoNLL export's time.
pub(crate) fn checking_only<R>(read: impl FnOnce() -> R) -> R {
    /// Puts back what was set before, also when `read` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            CHECKING_ONLY.set(self.0);
        }
    }
    let _restore = Restore(CHECKING_ONLY.replace(true));
    read()
}

/// Whether values read now are only checked.
pub(crate) fn checking() -> bool {
    CHECKING_ONLY.get()
}

/// A span snapshot read with these fields: only checking, an empty text stands for it.
pub(crate) fn span_value(
    label: impl Into<Box<str>>,
    start: usize,
    end: usize,
    text: impl Into<Box<str>>,
) -> AuditValue {
    if checking() {
        return AuditValue::Text(Box::default());
    }
    AuditValue::Span(Box::new(SpanSnapshot {
        label: label.into(),
        start,
        end,
        text: text.into(),
    }))
}

/// A relation snapshot read with these fields: only checking, an empty text stands for it.
pub(crate) fn relation_value(
    kind: impl Into<Box<str>>,
    from: impl Into<Box<str>>,
    to: impl Into<Box<str>>,
) -> AuditValue {
    if checking() {
        return AuditValue::Text(Box::default());
    }
    AuditValue::Relation(Box::new(RelationSnapshot {
        kind: kind.into(),
        from: from.into(),
        to: to.into(),
    }))
}

/// A string read as a value: only checking, an empty text stands for it.
pub(crate) fn text_value(text: &str) -> AuditValue {
    if checking() {
        return AuditValue::Text(Box::default());
    }
    AuditValue::text(text)
}

impl<'de> Deserialize<'de> for AuditValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Raised here, not in the visitor: serde_json then places it where it places serde's.
        deserializer
            .deserialize_any(ValueVisitor)?
            .ok_or_else(|| de::Error::custom(NO_VARIANT))
    }
}

/// One field's value, as much of it as a snapshot can use.
enum Field {
    Text(String),
    Number(usize),
    /// Anything else (read and dropped): no snapshot takes it.
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
        // Only checking: that it is a string is all a snapshot asks of it.
        Ok(Field::Text(if checking() {
            String::new()
        } else {
            v.to_string()
        }))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Field, E> {
        Ok(Field::Text(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Field, E> {
        Ok(usize::try_from(v).map_or(Field::Other, Field::Number))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Field, E> {
        Ok(usize::try_from(v).map_or(Field::Other, Field::Number))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Field, E> {
        Ok(Field::Other)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Field, E> {
        Ok(Field::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Field, E> {
        Ok(Field::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Field, E> {
        Ok(Field::Other)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Field, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Field::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Field, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Field::Other)
    }
}

/// A map key: the name of a snapshot's field, or another.
#[derive(Clone, Copy)]
enum Key {
    Label,
    Start,
    End,
    Text,
    Kind,
    From,
    To,
    Other,
}

impl Key {
    fn of(name: &str) -> Self {
        match name {
            "label" => Key::Label,
            "start" => Key::Start,
            "end" => Key::End,
            "text" => Key::Text,
            "kind" => Key::Kind,
            "from" => Key::From,
            "to" => Key::To,
            _ => Key::Other,
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key::of(v))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The fields of an object or the items of an array read so far.
#[derive(Default)]
struct Fields {
    label: Option<String>,
    start: Option<usize>,
    end: Option<usize>,
    text: Option<String>,
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// A field twice, a field of neither snapshot, or a value of the wrong type.
    spoilt: bool,
}

impl Fields {
    fn set_text(slot: &mut Option<String>, value: Field, spoilt: &mut bool) {
        match (slot.is_some(), value) {
            (false, Field::Text(s)) => *slot = Some(s),
            _ => *spoilt = true,
        }
    }

    fn set_number(slot: &mut Option<usize>, value: Field, spoilt: &mut bool) {
        match (slot.is_some(), value) {
            (false, Field::Number(n)) => *slot = Some(n),
            _ => *spoilt = true,
        }
    }

    fn set(&mut self, key: Key, value: Field) {
        let spoilt = &mut self.spoilt;
        match key {
            Key::Label => Self::set_text(&mut self.label, value, spoilt),
            Key::Start => Self::set_number(&mut self.start, value, spoilt),
            Key::End => Self::set_number(&mut self.end, value, spoilt),
            Key::Text => Self::set_text(&mut self.text, value, spoilt),
            Key::Kind => Self::set_text(&mut self.kind, value, spoilt),
            Key::From => Self::set_text(&mut self.from, value, spoilt),
            Key::To => Self::set_text(&mut self.to, value, spoilt),
            Key::Other => *spoilt = true,
        }
    }

    /// The snapshot the fields make: all of one snapshot's fields and no other. Only checking
    /// ([`checking_only`]), an empty text stands for it.
    fn snapshot(self) -> Option<AuditValue> {
        if self.spoilt {
            return None;
        }
        match self {
            Fields {
                label: Some(label),
                start: Some(start),
                end: Some(end),
                text: Some(text),
                kind: None,
                from: None,
                to: None,
                ..
            } => Some(span_value(label, start, end, text)),
            Fields {
                label: None,
                start: None,
                end: None,
                text: None,
                kind: Some(kind),
                from: Some(from),
                to: Some(to),
                ..
            } => Some(relation_value(kind, from, to)),
            _ => None,
        }
    }
}

/// The value read: `None` when it is none of the variants.
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Option<AuditValue>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a span or relation snapshot, or a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(text_value(v)))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(AuditValue::Text(v.into())))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<Key>()? {
            let value = map.next_value::<Field>()?;
            fields.set(key, value);
        }
        Ok(fields.snapshot())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(4);
        while let Some(item) = seq.next_element::<Field>()? {
            items.push(item);
        }
        // Serde reads a struct from an array of its fields in order, all of them, no more.
        let keys = match items.len() {
            4 => [Key::Label, Key::Start, Key::End, Key::Text].as_slice(),
            3 => [Key::Kind, Key::From, Key::To].as_slice(),
            _ => return Ok(None),
        };
        let mut fields = Fields::default();
        for (key, item) in keys.iter().zip(items) {
            fields.set(*key, item);
        }
        Ok(fields.snapshot())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    /// What serde's untagged enum makes of the same JSON: the reference (named as ours, for
    /// its messages).
    mod reference {
        use super::super::{AuditValue as Ours, RelationSnapshot, SpanSnapshot};

        #[derive(Debug, serde::Deserialize)]
        #[serde(untagged)]
        pub enum AuditValue {
            Span(SpanSnapshot),
            Relation(RelationSnapshot),
            Text(String),
        }

        impl From<AuditValue> for Ours {
            fn from(v: AuditValue) -> Self {
                match v {
                    AuditValue::Span(s) => Ours::Span(Box::new(s)),
                    AuditValue::Relation(r) => Ours::Relation(Box::new(r)),
                    AuditValue::Text(t) => Ours::Text(t.into()),
                }
            }
        }
    }
    use reference::AuditValue as Untagged;

    /// An entry of a history, as far as its values go.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Entry<V> {
        before: Option<V>,
        after: Option<V>,
        hash: Option<String>,
    }

    fn both<'a, T: Deserialize<'a>, U: Deserialize<'a>>(
        json: &'a str,
    ) -> (Result<T, String>, Result<U, String>) {
        let ours = serde_json::from_str::<T>(json).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<U>(json).map_err(|e| e.to_string());
        (ours, theirs)
    }

    #[test]
    fn it_reads_what_the_untagged_enum_reads_and_refuses_the_rest_the_same_way() {
        let values = [
            r#""a note""#,
            r#""esc\"aped \u00e9""#,
            r#"{"label": "actor", "start": 0, "end": 6, "text": "Lavrov"}"#,
            r#"{"text": "Lavrov", "end": 6, "label": "actor", "start": 0}"#,
            r#"{"la\u0062el": "actor", "start": 0, "end": 6, "text": "L\nv"}"#,
            r#"{"kind": "said_by", "from": "s1", "to": "s2"}"#,
            r#"["actor", 0, 6, "Lavrov"]"#,
            r#"["said_by", "s1", "s2"]"#,
            r#"["actor", 0, 6, "Lavrov", 1]"#,
            r#"["said_by", "s1"]"#,
            r#"["actor", "0", 6, "Lavrov"]"#,
            r#"[]"#,
            r#"{}"#,
            r#"{"label": "actor", "start": 0, "end": 6}"#,
            r#"{"label": "actor", "start": 0, "end": 6, "text": "L", "x": 1}"#,
            r#"{"label": "actor", "label": "actor", "start": 0, "end": 6, "text": "L"}"#,
            r#"{"label": "actor", "start": -1, "end": 6, "text": "L"}"#,
            r#"{"label": "actor", "start": -0, "end": 6, "text": "L"}"#,
            r#"{"label": "actor", "start": 1.0, "end": 6, "text": "L"}"#,
            r#"{"label": "actor", "start": 18446744073709551616, "end": 6, "text": "L"}"#,
            r#"{"label": null, "start": 0, "end": 6, "text": "L"}"#,
            r#"{"label": ["a"], "start": 0, "end": 6, "text": {"a": [1, {"b": null}]}}"#,
            r#"{"kind": "k", "from": "a", "to": "b", "label": "x"}"#,
            r#"{"kind": "k", "from": 1, "to": "b"}"#,
            r#"{"0": "k"}"#,
            "5",
            "-5",
            "2.5",
            "true",
            "null",
            r#"{"label": "actor", "start": 0, "end": 6, "text": "L""#,
            r#"{"label": "actor", "start": 0 "end": 6, "text": "L"}"#,
            r#"["actor", 0, 6, "Lavrov""#,
            r#""unterminated"#,
        ];
        for value in values {
            let contexts = [
                value.to_string(),
                format!(r#"{{"before": {value}, "hash": "h"}}"#),
                format!("{{\n  \"hash\": null,\n  \"after\": {value}\n\n}}"),
                format!("{{\"before\": null, \"after\": {value}   }}"),
                format!("[{value}, \"x\"]"),
            ];
            for json in &contexts {
                let (ours, theirs) = both::<AuditValue, Untagged>(json);
                assert_eq!(ours, theirs.map(AuditValue::from), "{json}");
                let (ours, theirs) = both::<Entry<AuditValue>, Entry<Untagged>>(json);
                let theirs = theirs.map(|e| Entry {
                    before: e.before.map(AuditValue::from),
                    after: e.after.map(AuditValue::from),
                    hash: e.hash,
                });
                assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{json}");
                let (ours, theirs) = both::<Vec<AuditValue>, Vec<Untagged>>(json);
                let theirs = theirs.map(|v| v.into_iter().map(AuditValue::from).collect());
                assert_eq!(ours, theirs, "{json}");
                // Only checking: the same values accepted, the same errors, nothing built.
                let checked = checking_only(|| serde_json::from_str::<Vec<AuditValue>>(json));
                let checked = checked.map_err(|e| e.to_string());
                let empty = |v: Vec<AuditValue>| vec![AuditValue::Text(Box::default()); v.len()];
                assert_eq!(checked, ours.map(empty), "{json}");
                let checked = checking_only(|| serde_json::from_str::<Entry<AuditValue>>(json));
                let built = serde_json::from_str::<Entry<AuditValue>>(json);
                let shape = |e: Result<Entry<AuditValue>, serde_json::Error>| {
                    e.map(|e| (e.before.is_some(), e.after.is_some(), e.hash))
                        .map_err(|e| e.to_string())
                };
                assert_eq!(shape(checked), shape(built), "{json}");
            }
        }
        assert!(!checking(), "set back after reading");
    }
}
