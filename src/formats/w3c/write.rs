//! Writing a document as one W3C `AnnotationCollection`.

use serde_json::{Map, Value, json};

use super::{CONTEXT, collection_iri, encode, text_iri};
use crate::formats::registry::DocumentWriter;
use crate::formats::{ExportedFile, Loss};
use crate::model::{CharOffset, CharRange, Document, Relation, Span, Text};
use crate::store::native::CONTEXT_CHARS;

/// The `.jsonld` of `doc`, and what the format could not hold.
pub fn export(doc: &Document) -> (Vec<ExportedFile>, Loss) {
    let mut loss = Loss::default();
    let value = collection(doc, &mut loss);
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    bytes.push(b'\n');
    (
        vec![ExportedFile {
            suffix: ".jsonld".to_string(),
            bytes,
        }],
        loss,
    )
}

fn collection(doc: &Document, loss: &mut Loss) -> Value {
    let text = doc.text();
    let sha = text.sha256_hex();
    let base = collection_iri(sha, &doc.annotator);
    let set = doc.set();
    let span_iri = |id: &crate::model::SpanId| format!("{base}:span:{}", encode(id.as_str()));
    let mut items: Vec<Value> = Vec::new();
    for span in set.spans() {
        loss.add("span attributes", span.attrs.len());
        items.push(span_annotation(span, text, sha, &span_iri(&span.id)));
    }
    for relation in set.relations() {
        loss.add("relation attributes", relation.attrs.len());
        let iri = format!("{base}:relation:{}", encode(relation.id.as_str()));
        items.push(relation_annotation(
            relation,
            &iri,
            &span_iri(&relation.from),
            &span_iri(&relation.to),
        ));
    }
    let mut out = Map::new();
    out.insert("@context".into(), json!(CONTEXT));
    out.insert("id".into(), json!(base));
    out.insert("type".into(), json!("AnnotationCollection"));
    out.insert("label".into(), json!(doc.source.name));
    out.insert(
        "creator".into(),
        json!({"type": "Person", "nickname": doc.annotator}),
    );
    out.insert(
        "generator".into(),
        json!({"type": "Software", "name": concat!("Spanmark ", env!("CARGO_PKG_VERSION"))}),
    );
    out.insert("total".into(), json!(items.len()));
    if !items.is_empty() {
        out.insert(
            "first".into(),
            json!({
                "id": format!("{base}:page:1"),
                "type": "AnnotationPage",
                "partOf": base,
                "startIndex": 0,
                "items": items,
            }),
        );
    }
    Value::Object(out)
}

fn person(name: &str) -> Value {
    json!({"type": "Person", "nickname": name})
}

fn textual(purpose: &str, value: &str) -> Value {
    json!({"type": "TextualBody", "purpose": purpose, "value": value})
}

fn span_annotation(span: &Span, text: &Text, sha: &str, iri: &str) -> Value {
    let targets: Vec<Value> = span
        .pieces()
        .into_iter()
        .map(|piece| {
            json!({
                "source": text_iri(sha),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": text.slice(piece).unwrap_or(""),
                        "prefix": prefix(text, piece.start()),
                        "suffix": suffix(text, piece.end()),
                    },
                    {
                        "type": "TextPositionSelector",
                        "start": piece.start().0,
                        "end": piece.end().0,
                    },
                ],
            })
        })
        .collect();
    let mut body = vec![textual("tagging", span.label.as_str())];
    if let Some(note) = &span.note {
        body.push(textual("commenting", note));
    }
    let target = match <[Value; 1]>::try_from(targets) {
        Ok([one]) => one,
        Err(many) => Value::Array(many),
    };
    json!({
        "id": iri,
        "type": "Annotation",
        "motivation": "tagging",
        "creator": person(&span.author),
        "created": span.created.to_string(),
        "modified": span.modified.to_string(),
        "body": body,
        "target": target,
    })
}

fn relation_annotation(relation: &Relation, iri: &str, from: &str, to: &str) -> Value {
    let mut body = vec![textual("tagging", relation.kind.as_str()), json!(to)];
    if let Some(note) = &relation.note {
        body.push(textual("commenting", note));
    }
    json!({
        "id": iri,
        "type": "Annotation",
        "motivation": "linking",
        "creator": person(&relation.author),
        "created": relation.created.to_string(),
        "body": body,
        "target": from,
    })
}

/// Up to [`CONTEXT_CHARS`] characters before `offset`, starting on a grapheme boundary.
fn prefix(text: &Text, offset: CharOffset) -> &str {
    let start = text.grapheme_ceil(CharOffset(offset.0.saturating_sub(CONTEXT_CHARS)));
    CharRange::new(start.0, offset.0)
        .and_then(|r| text.slice(r))
        .unwrap_or("")
}

/// Up to [`CONTEXT_CHARS`] characters after `offset`, ending on a grapheme boundary.
fn suffix(text: &Text, offset: CharOffset) -> &str {
    let end = text.grapheme_floor(CharOffset(
        offset.0.saturating_add(CONTEXT_CHARS).min(text.len_chars()),
    ));
    CharRange::new(offset.0, end.0)
        .and_then(|r| text.slice(r))
        .unwrap_or("")
}

impl DocumentWriter for super::W3c {
    fn files(&self, doc: &Document) -> (Vec<ExportedFile>, Loss) {
        export(doc)
    }
}
