//! Label Studio's labeling config (the `<View>` XML of a project).
//!
//! - `<Labels>`, `<ParagraphLabels>`, `<HyperTextLabels>`: each `<Label value background
//!   hotkey hint>` is a label (`hint` its description). `alias`, `selected` and the like are
//!   listed as not carried.
//! - `<Relations>`: each `<Relation value>` is a relation kind between any labels, directed
//!   (Label Studio lets each relation be given a direction; `background` is its colour).
//! - Other controls (`<Choices>`, `<TextArea>`, `<Rating>`, `<Taxonomy>`, …) are listed as not
//!   carried. Object tags (`<Text>`, `<Paragraphs>`, `<View>`, `<Header>`) hold no schema.
//!
//! The config is read with a small tag scanner (the XML Label Studio accepts: elements,
//! attributes in single or double quotes, comments, self-closing tags).

use std::collections::BTreeMap;

use super::{Draft, DraftKind, hex_colour};

/// Controls whose `<Label>` children are span labels.
const LABEL_CONTROLS: [&str; 3] = ["Labels", "ParagraphLabels", "HyperTextLabels"];
/// Tags that hold no schema.
const OBJECTS: [&str; 12] = [
    "View",
    "Text",
    "Paragraphs",
    "HyperText",
    "Header",
    "Style",
    "Image",
    "Audio",
    "Video",
    "Table",
    "Collapse",
    "Panel",
];
/// Label attributes carried.
const CARRIED: [&str; 4] = ["value", "background", "hotkey", "hint"];

/// One tag: its name, attributes, and whether it opens, closes or is self-closing.
#[derive(Debug, Clone, PartialEq)]
struct Tag {
    name: String,
    attrs: BTreeMap<String, String>,
    closing: bool,
    self_closing: bool,
}

/// The labels and relation kinds of a labeling config.
pub fn read_config(xml: &str) -> Result<Draft, String> {
    let tags = scan(xml)?;
    if !tags.iter().any(|t| t.name == "View") {
        return Err("not a Label Studio labeling config (no <View>)".into());
    }
    let mut draft = Draft::default();
    let mut open: Vec<String> = Vec::new();
    for tag in tags {
        if tag.closing {
            if let Some(at) = open.iter().rposition(|n| *n == tag.name) {
                open.truncate(at);
            }
            continue;
        }
        let parent = open.last().cloned().unwrap_or_default();
        match tag.name.as_str() {
            "Label" if LABEL_CONTROLS.contains(&parent.as_str()) => {
                label(&tag, &parent, &mut draft)
            }
            "Label" => draft.note(format!(
                "<Label value={:?}> inside <{parent}>: not a span label; not carried",
                tag.attrs.get("value").cloned().unwrap_or_default()
            )),
            "Relation" => {
                let Some(value) = tag.attrs.get("value") else {
                    draft.note("<Relation> without a value; not carried");
                    continue;
                };
                if draft.kind_mut(value).is_none() {
                    let colour = tag.attrs.get("background").and_then(|b| hex_colour(b));
                    draft.kinds.push(DraftKind {
                        name: value.clone(),
                        from: Vec::new(),
                        to: Vec::new(),
                        directed: true,
                        colour,
                        description: String::new(),
                    });
                }
            }
            "Relations" => {}
            name if LABEL_CONTROLS.contains(&name) => {
                if name == "ParagraphLabels" {
                    draft.note(
                        "<ParagraphLabels>: Label Studio applies these to whole paragraphs; here they are span labels",
                    );
                }
            }
            name if OBJECTS.contains(&name) => {}
            "Choice" => {}
            other => {
                let named = tag
                    .attrs
                    .get("name")
                    .map(|n| format!(" name={n:?}"))
                    .unwrap_or_default();
                draft.note(format!(
                    "<{other}{named}>: not a span label or relation; not carried"
                ));
            }
        }
        if !tag.self_closing {
            open.push(tag.name);
        }
    }
    Ok(draft)
}

fn label(tag: &Tag, control: &str, draft: &mut Draft) {
    let Some(value) = tag.attrs.get("value") else {
        draft.note(format!(
            "<Label> without a value in <{control}>; not carried"
        ));
        return;
    };
    let background = tag.attrs.get("background");
    let colour = background.and_then(|b| hex_colour(b));
    if let (Some(b), None) = (background, colour) {
        draft.note(format!(
            "colour {b:?} of label {value:?} is not #rrggbb; a palette colour is used"
        ));
    }
    let key = match tag.attrs.get("hotkey").map(|k| {
        let mut chars = k.chars();
        (chars.next(), chars.next(), k)
    }) {
        Some((Some(c), None, _)) => Some(c),
        Some((_, _, k)) => {
            draft.note(format!(
                "key {k:?} of label {value:?}: not one key; left unbound"
            ));
            None
        }
        None => None,
    };
    for name in tag.attrs.keys().filter(|k| !CARRIED.contains(&k.as_str())) {
        draft.note(format!("<Label {name}=…> is not carried (label {value:?})"));
    }
    let entry = draft.label(value);
    entry.colour = entry.colour.or(colour);
    entry.key = entry.key.or(key);
    if let Some(hint) = tag.attrs.get("hint") {
        entry.description.clone_from(hint);
    }
}

/// The tags of `xml`, in order (text between tags is skipped).
fn scan(xml: &str) -> Result<Vec<Tag>, String> {
    let mut tags = Vec::new();
    let mut rest = xml;
    let line_of = |rest: &str| xml[..xml.len() - rest.len()].lines().count().max(1);
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after
                .find("-->")
                .ok_or_else(|| format!("line {}: a comment is not closed", line_of(rest)))?;
            rest = &after[end + 3..];
            continue;
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            let end = rest
                .find('>')
                .ok_or_else(|| format!("line {}: a tag is not closed", line_of(rest)))?;
            rest = &rest[end + 1..];
            continue;
        }
        let end =
            tag_end(rest).ok_or_else(|| format!("line {}: a tag is not closed", line_of(rest)))?;
        let body = &rest[1..end];
        tags.push(parse_tag(body).map_err(|e| format!("line {}: {e}", line_of(rest)))?);
        rest = &rest[end + 1..];
    }
    Ok(tags)
}

/// Where the `>` ending the tag at the start of `s` is (a `>` inside quotes does not count).
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// `Label value="x" hotkey='p' /` or `/Labels`.
fn parse_tag(body: &str) -> Result<Tag, String> {
    let closing = body.starts_with('/');
    let body = body.trim_start_matches('/');
    let self_closing = body.trim_end().ends_with('/');
    let body = body.trim_end().trim_end_matches('/');
    let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
    let name = body[..name_end].to_string();
    if name.is_empty() {
        return Err("a tag without a name".into());
    }
    let mut attrs = BTreeMap::new();
    let mut rest = body[name_end..].trim_start();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| format!("<{name}>: attribute {rest:?} has no value"))?;
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or_else(|| format!("<{name}>: the value of {key} is not quoted"))?;
        let close = after[1..]
            .find(quote)
            .ok_or_else(|| format!("<{name}>: the value of {key} is not closed"))?;
        attrs.insert(key, unescape(&after[1..1 + close]));
        rest = after[close + 2..].trim_start();
    }
    Ok(Tag {
        name,
        attrs,
        closing,
        self_closing,
    })
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_scanned_with_their_attributes() {
        let tags =
            scan(r#"<!-- x > y --><View><Label value="a &amp; b" hotkey='1'/></View>"#).unwrap();
        assert_eq!(tags.len(), 3);
        assert_eq!(tags[1].attrs["value"], "a & b");
        assert_eq!(tags[1].attrs["hotkey"], "1");
        assert!(tags[1].self_closing && tags[2].closing);
        assert!(scan("<View><Label value=\"x/></View>").is_err());
    }
}
