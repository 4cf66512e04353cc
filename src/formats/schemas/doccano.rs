//! doccano's label types, as its project settings export them: a JSON array of
//! `{"id", "text", "prefix_key", "suffix_key", "background_color", "text_color"}`.
//!
//! `text` is the label, `background_color` its colour, `suffix_key` its key. A `prefix_key`
//! (ctrl, shift, alt) cannot be carried: Spanmark's label keys are bare keys, so a label with
//! one is left unbound. `text_color` is not carried (Spanmark picks the text colour).

use serde_json::Value;

use super::{Draft, hex_colour};

pub fn read_label_types(json: &str) -> Result<Draft, String> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| format!("not JSON (line {}, column {}): {e}", e.line(), e.column()))?;
    let Value::Array(items) = value else {
        return Err("not a doccano label list (a JSON array of label types)".into());
    };
    let mut draft = Draft::default();
    for (i, item) in items.iter().enumerate() {
        let Some(text) = item.get("text").and_then(Value::as_str) else {
            return Err(format!("label type {} has no \"text\"", i + 1));
        };
        let string = |key: &str| item.get(key).and_then(Value::as_str);
        let colour = string("background_color").and_then(hex_colour);
        if let (Some(c), None) = (string("background_color"), colour) {
            draft.note(format!(
                "colour {c:?} of label {text:?} is not #rrggbb; a palette colour is used"
            ));
        }
        let key = match (string("prefix_key"), string("suffix_key")) {
            (Some(prefix), Some(key)) => {
                draft.note(format!(
                    "key {prefix}+{key} of label {text:?}: keys with a modifier are not carried; left unbound"
                ));
                None
            }
            (None, Some(key)) => {
                let mut chars = key.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Some(c),
                    _ => {
                        draft.note(format!(
                            "key {key:?} of label {text:?}: not one key; left unbound"
                        ));
                        None
                    }
                }
            }
            _ => None,
        };
        if string("text_color").is_some() {
            draft.note("doccano text_color is not carried (Spanmark picks the text colour)");
        }
        let label = draft.label(text);
        label.colour = colour;
        label.key = key;
    }
    Ok(draft)
}
