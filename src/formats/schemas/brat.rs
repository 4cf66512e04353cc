//! brat's configuration files: `annotation.conf` (what can be annotated), `visual.conf` (how it
//! looks) and `kb_shortcuts.conf` (keys).
//!
//! - `[entities]` (old name `[spans]`): every type is a label, the hierarchy given by
//!   indentation flattened; `!Type` marks a type for the hierarchy only and is skipped.
//! - `[relations]`: `Name Arg1:A|B, Arg2:C` is a relation kind from A or B to C;
//!   `<REL-TYPE>:symmetric` makes it undirected. `<ENTITY>` and `<ANY>` stand for any label.
//! - `[events]`: the event type is a label (its trigger); each role becomes a relation kind
//!   from the trigger to the role's types (one kind per role name across events).
//!   `<EVENT>` stands for every event type.
//! - `[attributes]`: listed as not carried.
//! - Macros `<NAME>=A|B` are expanded; separator lines (`----`) and `#` comments are skipped.
//! - `visual.conf`: `[labels]` full names become descriptions, `[drawing]` `bgColor` (labels)
//!   and `color` (relation kinds) become colours when written `#rrggbb`.
//! - `kb_shortcuts.conf`: `KEY Type` lines give labels their keys.

use std::collections::BTreeMap;

use super::{Draft, DraftKind, hex_colour};

/// The type names an argument list allows: `None` for any.
type Ends = Option<Vec<String>>;

#[derive(Debug, Default)]
struct Raw {
    kinds: Vec<(String, Ends, Ends, bool)>,
    /// (event type, role, the role's types).
    roles: Vec<(String, String, Ends)>,
    events: Vec<String>,
}

/// The labels, relation kinds and what is not carried of an `annotation.conf`.
pub fn read_annotation_conf(text: &str) -> Draft {
    let mut draft = Draft::default();
    let mut macros: BTreeMap<String, String> = BTreeMap::new();
    let mut section = String::new();
    let mut raw = Raw::default();
    let mut abstract_types = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.chars().all(|c| c == '-') {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed[1..trimmed.len() - 1].trim().to_ascii_lowercase();
            continue;
        }
        if let Some((name, value)) = macro_definition(trimmed) {
            macros.insert(name, value);
            continue;
        }
        let line = expand(trimmed, &macros);
        let (head, rest) = match line.split_once(char::is_whitespace) {
            Some((h, r)) => (h.to_string(), r.trim().to_string()),
            None => (line.clone(), String::new()),
        };
        if let Some(name) = head.strip_prefix('!') {
            abstract_types.push(name.to_string());
            continue;
        }
        match section.as_str() {
            "entities" | "spans" => {
                draft.label(&head);
                if !rest.is_empty() {
                    draft.note(format!(
                        "entity {head}: \"{rest}\" after the type name not carried"
                    ));
                }
            }
            "relations" => relation(&head, &rest, &mut draft, &mut raw),
            "events" => {
                draft.label(&head).description = format!("{head} (a brat event trigger)");
                raw.events.push(head.clone());
                for (role, ends) in arguments(&rest) {
                    let (role, arity) = role_name(&role);
                    if arity {
                        draft.note(
                            "event role arity (?, *, +, {n}) is not carried: any number of each role is allowed",
                        );
                    }
                    raw.roles.push((head.clone(), role, ends));
                }
            }
            "attributes" => {
                let mut what = rest.replace(',', ";");
                if what.is_empty() {
                    what = "no arguments".into();
                }
                draft.note(format!(
                    "attribute {head} ({what}) not carried: Spanmark labels have no per-label attributes yet"
                ));
            }
            other => draft.note(format!(
                "[{other}] {head}: section not understood; not carried"
            )),
        }
    }
    if !abstract_types.is_empty() {
        draft.note(format!(
            "the type hierarchy is flattened; abstract types {} are not labels",
            abstract_types.join(", ")
        ));
    }
    resolve(raw, &mut draft);
    draft
}

/// One `[relations]` line.
fn relation(head: &str, rest: &str, draft: &mut Draft, raw: &mut Raw) {
    if head == "<OVERLAP>" {
        draft.note(format!(
            "<OVERLAP> {rest}: overlap rules are not carried (Spanmark allows any overlap)"
        ));
        return;
    }
    if head == "ENTITY-NESTING" {
        draft.note("ENTITY-NESTING: nesting rules are not carried (Spanmark allows any nesting)");
        return;
    }
    let mut ends: Vec<Ends> = Vec::new();
    let mut directed = true;
    for (role, types) in arguments(rest) {
        if role == "<REL-TYPE>" {
            let kind = types.map(|t| t.join("|")).unwrap_or_default();
            if kind.contains("symmetric") {
                directed = false;
            }
            if kind.contains("transitive") {
                draft.note(format!("relation {head}: transitivity is not carried"));
            }
        } else {
            ends.push(types);
        }
    }
    if ends.len() != 2 {
        draft.note(format!(
            "relation {head}: {} arguments; only binary relations are carried",
            ends.len()
        ));
        return;
    }
    let to = ends.pop().flatten();
    let from = ends.pop().flatten();
    raw.kinds.push((head.to_string(), from, to, directed));
}

/// The relation kinds, with `<EVENT>` expanded and event roles added.
fn resolve(raw: Raw, draft: &mut Draft) {
    let Raw {
        kinds,
        roles,
        events,
    } = raw;
    let expand_events = |ends: Ends| -> Ends {
        ends.map(|names| {
            let mut out = Vec::new();
            for n in names {
                if n == "<EVENT>" {
                    out.extend(events.iter().cloned());
                } else if !out.contains(&n) {
                    out.push(n);
                }
            }
            out
        })
    };
    for (name, from, to, directed) in kinds {
        draft.kinds.push(DraftKind {
            name,
            from: expand_events(from).unwrap_or_default(),
            to: expand_events(to).unwrap_or_default(),
            directed,
            colour: None,
            description: String::new(),
        });
    }
    for (event, role, ends) in roles {
        let to = expand_events(ends);
        match draft.kind_mut(&role) {
            Some(kind) => {
                if !kind.from.contains(&event) {
                    kind.from.push(event);
                }
                match to {
                    // Any label at one event: any at all.
                    None => kind.to.clear(),
                    Some(names) if !kind.to.is_empty() => {
                        for n in names {
                            if !kind.to.contains(&n) {
                                kind.to.push(n);
                            }
                        }
                    }
                    Some(_) => {}
                }
            }
            None => draft.kinds.push(DraftKind {
                name: role.clone(),
                from: vec![event],
                to: to.unwrap_or_default(),
                directed: true,
                colour: None,
                description: format!("{role}: an argument of a brat event"),
            }),
        }
    }
}

/// `<NAME>=VALUE`.
fn macro_definition(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once('=')?;
    let name = name.trim();
    (name.starts_with('<') && name.ends_with('>') && !name.contains(char::is_whitespace))
        .then(|| (name.to_string(), value.trim().to_string()))
}

fn expand(line: &str, macros: &BTreeMap<String, String>) -> String {
    let mut out = line.to_string();
    for (name, value) in macros {
        out = out.replace(name.as_str(), value);
    }
    out
}

/// `Role:A|B, Role2:C` → (role, the types, `None` for any).
fn arguments(rest: &str) -> Vec<(String, Ends)> {
    rest.split(',')
        .filter_map(|arg| {
            let (role, types) = arg.trim().split_once(':')?;
            let names: Vec<String> = types
                .split('|')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            let any = names.iter().any(|n| n == "<ENTITY>" || n == "<ANY>");
            Some((role.trim().to_string(), (!any).then_some(names)))
        })
        .collect()
}

/// A role without its arity (`Theme+` → `Theme`, `Person-Arg{2}` → `Person-Arg`), and whether
/// it had one.
fn role_name(role: &str) -> (String, bool) {
    let base = role.split('{').next().unwrap_or(role);
    let base = base.trim_end_matches(['?', '*', '+']);
    (base.to_string(), base != role)
}

/// Colours and descriptions from `visual.conf`.
pub fn read_visual_conf(text: &str, draft: &mut Draft) {
    let mut section = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed[1..trimmed.len() - 1].trim().to_ascii_lowercase();
            continue;
        }
        match section.as_str() {
            "labels" => {
                let mut parts = trimmed.split('|').map(str::trim);
                let (Some(name), Some(full)) = (parts.next(), parts.next()) else {
                    continue;
                };
                if full != name {
                    if let Some(label) = draft.labels.iter_mut().find(|l| l.name == name) {
                        label.description = full.to_string();
                    } else if let Some(kind) = draft.kind_mut(name) {
                        kind.description = full.to_string();
                    }
                }
            }
            "drawing" => drawing(trimmed, draft),
            _ => {}
        }
    }
}

/// One `[drawing]` line: `Type  bgColor:#7fa2ff, fgColor:black`.
fn drawing(line: &str, draft: &mut Draft) {
    let Some((name, rest)) = line.split_once(char::is_whitespace) else {
        return;
    };
    let is_label = draft.labels.iter().any(|l| l.name == name);
    let is_kind = draft.kinds.iter().any(|k| k.name == name);
    for pair in rest.split(',') {
        let Some((key, value)) = pair.trim().split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        let colour_key = key == "bgColor" || key == "color";
        if name == "SPAN_DEFAULT" || name == "ARC_DEFAULT" {
            draft.note(format!(
                "visual.conf {name} {key}:{value} is not carried (labels and kinds without a colour get palette colours)"
            ));
            continue;
        }
        if colour_key && !is_label && !is_kind {
            draft.note(format!(
                "visual.conf {key} of {name}: {name} is not a label or relation kind; not carried"
            ));
            continue;
        }
        if !((key == "bgColor" && is_label) || (key == "color" && is_kind)) {
            draft.note(format!(
                "visual.conf {key} is not carried (Spanmark draws spans and arcs its own way)"
            ));
            continue;
        }
        match hex_colour(value) {
            Some(rgb) if is_label => {
                draft.label(name).colour = Some(rgb);
            }
            Some(rgb) => {
                if let Some(kind) = draft.kind_mut(name) {
                    kind.colour = Some(rgb);
                }
            }
            None => draft.note(format!(
                "visual.conf colour {value:?} of {name} is not #rrggbb; a palette colour is used"
            )),
        }
    }
}

/// Keys from `kb_shortcuts.conf`: `P Person`.
pub fn read_kb_shortcuts(text: &str, draft: &mut Draft) {
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut parts = trimmed.split_whitespace();
        let (Some(key), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        let mut chars = key.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            draft.note(format!(
                "kb_shortcuts.conf key {key:?} of {name}: not one key; left unbound"
            ));
            continue;
        };
        match draft.labels.iter_mut().find(|l| l.name == name) {
            Some(label) => label.key = Some(c),
            None => draft.note(format!(
                "kb_shortcuts.conf key {key} of {name}: {name} is not a label; not carried"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_lose_their_arity() {
        assert_eq!(role_name("Theme+"), ("Theme".into(), true));
        assert_eq!(role_name("Person-Arg{2}"), ("Person-Arg".into(), true));
        assert_eq!(role_name("Place-Arg?"), ("Place-Arg".into(), true));
        assert_eq!(role_name("Arg1"), ("Arg1".into(), false));
    }

    #[test]
    fn macros_expand_and_any_means_any() {
        let draft = read_annotation_conf(
            "[entities]\nA\nB\n[relations]\n<AB>=A|B\nR Arg1:<AB>, Arg2:<ENTITY>\n",
        );
        assert_eq!(
            draft.kinds,
            [DraftKind {
                name: "R".into(),
                from: vec!["A".into(), "B".into()],
                to: vec![],
                directed: true,
                colour: None,
                description: String::new(),
            }]
        );
    }
}
