//! Setting an attribute from the keyboard: the prefix key ([`Command::SetAttribute`], V) arms
//! it for the selected span, and the next key is one of the values' keys of the span's label
//! (`V` `O`: the actor is an organisation). Any other key cancels. The change is one undoable
//! step with its history entry, like a click in the details panel.

use super::AppState;
use crate::app::commands::Command;

impl AppState {
    /// The prefix key: arms the value keys for the selected span, and says which they are.
    pub fn arm_attribute_key(&mut self) {
        let Some(s) = &self.session else { return };
        let Some(span) = s.selected() else { return };
        let keys: Vec<String> = s
            .doc()
            .schema
            .get(span.label.as_str())
            .map(|d| {
                d.attributes
                    .iter()
                    .flat_map(|a| &a.values)
                    .filter_map(|v| v.key.map(|k| format!("{k} {}", v.value)))
                    .collect()
            })
            .unwrap_or_default();
        if keys.is_empty() {
            let label = span.label.clone();
            self.say(format!(
                "The label {label} has no attribute values with keys"
            ));
            return;
        }
        self.attr_prefix = Some(span.id.clone());
        self.say(format!(
            "{}: press a value's key: {} (Escape cancels)",
            Command::SetAttribute.name(),
            keys.join(" · ")
        ));
    }

    /// The key after the prefix key: sets the value it picks on the span the prefix was
    /// pressed for, if that span is still selected.
    pub fn attribute_key(&mut self, key: Option<char>, who: &str) {
        let Some(id) = self.attr_prefix.take() else {
            return;
        };
        let Some(s) = &mut self.session else { return };
        let Some(span) = s.selected().filter(|span| span.id == id) else {
            return;
        };
        let picked = key.and_then(|k| {
            let def = s.doc().schema.get(span.label.as_str())?;
            let (a, value) = def.value_by_key(k)?;
            Some((a.name.clone(), value.to_string()))
        });
        match picked {
            Some((name, value)) if span.attrs.get(&name) == Some(&value) => {
                s.say(format!("{name} is already {value}"));
            }
            Some((name, value)) => s.set_attr(&id, &name, Some(value), who),
            None => s.say("No attribute set"),
        }
    }
}
