//! Writing doccano JSONL in either shape, in the offset unit asked for.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::{COPIES, Form};
use crate::formats::offsets::{OffsetConverter, OffsetUnit};
use crate::formats::registry::{DatasetWriter, Part, Written};
use crate::formats::{ExportOptions, Loss};
use crate::model::{Document, SpanId};

/// Writes `docs` as doccano JSONL, one record per line, in `offsets` units. `form`: the shape to
/// write, or `None` for the `entities` form when any document has relations, else `label`.
/// Returns what the file could not hold.
pub fn export(
    docs: &[&Document],
    form: Option<Form>,
    offsets: OffsetUnit,
    out: &mut dyn Write,
) -> io::Result<Loss> {
    let form = form.unwrap_or_else(|| {
        if docs.iter().any(|d| d.set().relations().next().is_some()) {
            Form::Entities
        } else {
            Form::Label
        }
    });
    let mut loss = Loss::default();
    for doc in docs {
        let (record, lost) = export_record(doc, form, offsets);
        loss.merge(&lost);
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(loss)
}

/// One doccano record for `doc`, and what it could not hold.
pub fn export_record(doc: &Document, form: Form, offsets: OffsetUnit) -> (Value, Loss) {
    let mut loss = Loss::default();
    let text = doc.text();
    let set = doc.set();
    let converter = OffsetConverter::new(text, offsets);
    let mut record = match doc.meta.get("doccano") {
        Some(Value::Object(kept)) => kept.clone(),
        _ => Map::new(),
    };
    record.insert("text".to_string(), Value::from(text.as_str()));
    // (span id → first entity id) for relations.
    let mut entity_of: HashMap<&SpanId, usize> = HashMap::new();
    let mut items = Vec::new();
    for span in set.spans() {
        if !span.fragments.is_empty() {
            loss.add("discontinuous spans", 1);
            continue;
        }
        if span.note.is_some() {
            loss.add("span notes", 1);
        }
        let attrs: Map<String, Value> = span
            .attrs
            .iter()
            .filter(|(k, _)| k.as_str() != COPIES)
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        if !attrs.is_empty() && form == Form::Label {
            loss.add("span attributes (the entities form holds them)", 1);
        }
        let copies = span
            .attrs
            .get(COPIES)
            .and_then(|c| c.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 1000);
        let start = converter.from_char(span.range.start());
        let end = converter.from_char(span.range.end());
        for _ in 0..copies {
            match form {
                Form::Label => items.push(json!([start, end, span.label.as_str()])),
                Form::Entities => {
                    entity_of.entry(&span.id).or_insert(items.len());
                    let mut entity = json!({
                        "id": items.len(),
                        "start_offset": start,
                        "end_offset": end,
                        "label": span.label.as_str(),
                    });
                    if !attrs.is_empty() {
                        entity["attrs"] = Value::Object(attrs.clone());
                    }
                    items.push(entity);
                }
            }
        }
    }
    match form {
        Form::Label => {
            // Categories read from the same key (`label: ["positive"]`) stay in front.
            let mut label = match record.remove("label") {
                Some(Value::Array(categories)) => categories,
                _ => Vec::new(),
            };
            label.extend(items);
            record.insert("label".to_string(), Value::Array(label));
            loss.add("relations", set.relations().count());
        }
        Form::Entities => {
            let mut relations = Vec::new();
            for r in set.relations() {
                let (Some(from), Some(to)) = (entity_of.get(&r.from), entity_of.get(&r.to)) else {
                    loss.add("relations", 1);
                    continue;
                };
                if r.note.is_some() || !r.attrs.is_empty() {
                    loss.add("relation notes and attributes", 1);
                }
                relations.push(json!({
                    "id": relations.len(),
                    "from_id": from,
                    "to_id": to,
                    "type": r.kind.as_str(),
                }));
            }
            record.insert("entities".to_string(), Value::Array(items));
            record.insert("relations".to_string(), Value::Array(relations));
        }
    }
    (Value::Object(record), loss)
}

impl DatasetWriter for super::Doccano {
    /// The form depends on whether any document has relations, unless it is given.
    fn needs_every_document(&self, options: &ExportOptions) -> bool {
        options.doccano_form.is_none()
    }

    /// One record, in the form given, else the `entities` form when any document of the part
    /// has relations.
    fn document(&self, doc: &Document, part: &Part<'_>, out: &mut Vec<u8>) -> io::Result<Written> {
        let form = part.options.doccano_form.unwrap_or(if part.has_relations {
            Form::Entities
        } else {
            Form::Label
        });
        export(&[doc], Some(form), part.options.offsets, out).map(Written::from)
    }

    fn all(
        &self,
        docs: &[&Document],
        options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Written> {
        export(docs, options.doccano_form, options.offsets, out).map(Written::from)
    }
}
