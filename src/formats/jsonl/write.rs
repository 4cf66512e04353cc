//! Writing spaCy/Prodigy JSONL: one line per document, with what an import kept.

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;
use serde::ser::SerializeSeq;
use serde_json::{Map, Value};

use super::tokens::{Token, prodigy_tokens, token_offsets};
use super::{META, Tokens};
use crate::formats::registry::{DatasetWriter, Part, Written};
use crate::formats::tokens as carried;
use crate::formats::{ExportOptions, Loss};
use crate::model::{Document, Relation, Span, SpanId, Text};

/// One JSONL line (without the newline) for `doc`, and what it could not hold: the bytes of
/// [`export_record`] serialised. A document that keeps nothing from an earlier JSONL import (no
/// extra fields, no tokens of its own) is written without building the record's JSON tree
/// first, which costs a dozen allocations a span and, with relations, a map a token (the tree
/// of a 10 MB article with relations took three quarters of its export and gigabytes).
pub fn export_line(doc: &Document) -> (String, Loss) {
    let mut line = Vec::new();
    let loss = write_line(doc, &mut line);
    // serde_json writes valid UTF-8.
    (String::from_utf8(line).unwrap_or_default(), loss)
}

/// [`export_line`], appended to `out` (the line of a 10 MB article with relations is some
/// 150 MB: it is not made twice).
fn write_line(doc: &Document, out: &mut Vec<u8>) -> Loss {
    let before = out.len();
    let (written, loss) = if doc.meta.contains_key(META) || doc.meta.contains_key(carried::KEY) {
        let (record, loss) = export_record(doc);
        (serde_json::to_writer(&mut *out, &record), loss)
    } else {
        let (line, loss) = typed_line(doc);
        (serde_json::to_writer(&mut *out, &line), loss)
    };
    // Writing to memory fails only when serialising fails, which it cannot here (string keys,
    // no floats); should it ever, the line is left out empty, as `to_string` gave before.
    if written.is_err() {
        out.truncate(before);
    }
    loss
}

/// The record of a document that keeps nothing from an import, as typed values borrowed from
/// it, and what it could not hold.
fn typed_line(doc: &Document) -> (Line<'_>, Loss) {
    let set = doc.set();
    let text = doc.text();
    let mut loss = Loss::default();
    // As in `export_record`: tokens only for a document with relations.
    let tokens = if set.relation_count() > 0 {
        token_offsets(doc, &mut loss)
    } else {
        Vec::new()
    };
    let index = Tokens::ordered(tokens.iter().map(|t| (t.start, t.end)).collect());
    let spans = set
        .spans()
        .filter_map(|s| SpanOut::of(doc, s, &index, &mut loss))
        .collect();
    let relations = if tokens.is_empty() {
        Vec::new()
    } else {
        relations_out(doc, &index, &mut loss)
    };
    let line = Line {
        meta: LineMeta {
            annotator: &doc.annotator,
            name: &doc.source.name,
            text_sha256: text.sha256_hex(),
        },
        relations,
        spans,
        text: text.as_str(),
        tokens: TokensOut { text, tokens },
    };
    (line, loss)
}

/// A record with nothing kept from an import; its fields in the order of [`export_record`]'s
/// (sorted) keys. `relations` and `tokens` are written for a document with relations only.
#[derive(Serialize)]
struct Line<'a> {
    meta: LineMeta<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relations: Vec<RelationOut<'a>>,
    spans: Vec<SpanOut<'a>>,
    text: &'a str,
    #[serde(skip_serializing_if = "TokensOut::is_empty")]
    tokens: TokensOut<'a>,
}

/// The tokens of a record, written as [`prodigy_tokens`] gives them: `{"end", "id", "start",
/// "text", "ws"}` each (sorted keys).
///
/// [`prodigy_tokens`]: super::tokens::prodigy_tokens
struct TokensOut<'a> {
    text: &'a Text,
    tokens: Vec<Token>,
}

impl TokensOut<'_> {
    fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

impl Serialize for TokensOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct TokenOut<'a> {
            end: usize,
            id: usize,
            start: usize,
            text: &'a str,
            ws: bool,
        }
        // The tokens lie in order: the text of each follows the one before, so it is cut from
        // the rest of the text by counting characters, not looked up from the start.
        let mut rest = self.text.as_str();
        let mut at = 0;
        let mut seq = serializer.serialize_seq(Some(self.tokens.len()))?;
        for (id, t) in self.tokens.iter().enumerate() {
            rest = skip_chars(rest, t.start - at);
            let token = take_chars(rest, t.end - t.start);
            rest = &rest[token.len()..];
            at = t.end;
            seq.serialize_element(&TokenOut {
                end: t.end,
                id,
                start: t.start,
                text: token,
                ws: t.ws,
            })?;
        }
        seq.end()
    }
}

/// `s` without its first `n` characters.
fn skip_chars(s: &str, n: usize) -> &str {
    &s[take_chars(s, n).len()..]
}

/// The first `n` characters of `s` (all of it when it has fewer).
fn take_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((byte, _)) => &s[..byte],
        None => s,
    }
}

/// A relation of a record: its ends' last tokens and spans, its kind (sorted keys).
#[derive(Serialize)]
struct RelationOut<'a> {
    child: usize,
    child_span: EndOut<'a>,
    head: usize,
    head_span: EndOut<'a>,
    label: &'a str,
}

/// One end of a relation as [`export_record`] writes it (sorted keys).
#[derive(Serialize)]
struct EndOut<'a> {
    end: usize,
    label: &'a str,
    start: usize,
    token_end: usize,
    token_start: usize,
}

/// The relations of a record without extras kept from an import, in the order and with the
/// loss of [`export_record`].
fn relations_out<'a>(doc: &'a Document, tokens: &Tokens, loss: &mut Loss) -> Vec<RelationOut<'a>> {
    let mut out = Vec::new();
    for r in relations_in_order(doc) {
        let [Some((head, head_span)), Some((child, child_span))] =
            [&r.from, &r.to].map(|id| end_of(doc, id, tokens))
        else {
            loss.add("relations", 1);
            continue;
        };
        if r.note.is_some() || !r.attrs.is_empty() {
            loss.add("relation notes and attributes", 1);
        }
        out.push(RelationOut {
            child,
            child_span,
            head,
            head_span,
            label: r.kind.as_str(),
        });
    }
    out
}

/// The relations of `doc` in the order they were made (s9 before s10), so a file read back
/// keeps its ids.
fn relations_in_order(doc: &Document) -> Vec<&Relation> {
    let mut in_order: Vec<&Relation> = doc.set().relations().collect();
    in_order.sort_by_key(|r| (r.id.number().unwrap_or(u64::MAX), r.id.as_str()));
    in_order
}

/// A relation's end `id`: the index of its span's last token, and the span as the relation
/// writes it; `None` when the span is discontinuous or off the tokens.
fn end_of<'a>(doc: &'a Document, id: &SpanId, tokens: &Tokens) -> Option<(usize, EndOut<'a>)> {
    let s = doc.set().get(id).filter(|s| s.fragments.is_empty())?;
    let (start, end) = (s.range.start().0, s.range.end().0);
    let (token_start, token_end) = tokens.span(start, end)?;
    Some((
        token_end,
        EndOut {
            end,
            label: s.label.as_str(),
            start,
            token_end,
            token_start,
        },
    ))
}

#[derive(Serialize)]
struct LineMeta<'a> {
    annotator: &'a str,
    name: &'a str,
    text_sha256: &'a str,
}

/// A span of a record, its fields in sorted order (as a JSON object of them is written).
#[derive(Serialize)]
struct SpanOut<'a> {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attrs: &'a BTreeMap<String, String>,
    end: usize,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    start: usize,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_start: Option<usize>,
}

impl<'a> SpanOut<'a> {
    /// `s` as written, or `None` (counted in `loss`) when the format cannot hold it.
    fn of(doc: &'a Document, s: &'a Span, tokens: &Tokens, loss: &mut Loss) -> Option<Self> {
        if !s.fragments.is_empty() {
            loss.add("discontinuous spans", 1);
            return None;
        }
        let (start, end) = (s.range.start().0, s.range.end().0);
        let token_span = tokens.span(start, end);
        Some(Self {
            attrs: &s.attrs,
            end,
            label: s.label.as_str(),
            note: s.note.as_deref(),
            start,
            text: doc.set().span_text(s),
            token_end: token_span.map(|t| t.1),
            token_start: token_span.map(|t| t.0),
        })
    }
}

/// The JSONL record for `doc` as a JSON object, and what it could not hold. A document with
/// relations or with tokens carried from an import (CoNLL), and no Prodigy tokens of its own,
/// gets tokens ([`prodigy_tokens`]), so that its relations can point at them and the imported
/// tokens are kept.
pub fn export_record(doc: &Document) -> (Value, Loss) {
    let set = doc.set();
    let text = doc.text();
    let mut loss = Loss::default();
    let mut kept = match doc.meta.get(META) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    if (set.relation_count() > 0 || doc.meta.contains_key(carried::KEY))
        && !kept.contains_key("tokens")
    {
        kept.insert("tokens".into(), prodigy_tokens(doc, &mut loss));
    }
    let object = |key: &str| match kept.get(key) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let span_extras = object("spans");
    let relation_extras = object("relations");
    let mut meta = object("meta");
    let tokens = Tokens::read(kept.get("tokens"));
    let mut record: Map<String, Value> = kept
        .iter()
        .filter(|(k, _)| !["meta", "spans", "relations"].contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    record.insert("text".into(), Value::from(text.as_str()));
    let mut spans = Vec::new();
    for s in set.spans() {
        let Some(fields) = SpanOut::of(doc, s, &tokens, &mut loss) else {
            continue;
        };
        let mut out = match span_extras.get(s.id.as_str()) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        if let Ok(Value::Object(fields)) = serde_json::to_value(&fields) {
            out.extend(fields);
        }
        spans.push(Value::Object(out));
    }
    record.insert("spans".into(), Value::Array(spans));
    let mut relations = Vec::new();
    for r in relations_in_order(doc) {
        let ends = [&r.from, &r.to].map(|id| {
            let (te, end) = end_of(doc, id, &tokens)?;
            Some((te, serde_json::to_value(end).unwrap_or_default()))
        });
        let [Some((head, head_span)), Some((child, child_span))] = ends else {
            loss.add("relations", 1);
            continue;
        };
        if r.note.is_some() || !r.attrs.is_empty() {
            loss.add("relation notes and attributes", 1);
        }
        let mut out = match relation_extras.get(r.id.as_str()) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        out.insert("head".into(), Value::from(head));
        out.insert("child".into(), Value::from(child));
        out.insert("head_span".into(), head_span);
        out.insert("child_span".into(), child_span);
        out.insert("label".into(), Value::from(r.kind.as_str()));
        relations.push(Value::Object(out));
    }
    if !relations.is_empty() || kept.contains_key("relations") {
        record.insert("relations".into(), Value::Array(relations));
    }
    meta.insert("name".into(), Value::from(doc.source.name.as_str()));
    meta.insert("annotator".into(), Value::from(doc.annotator.as_str()));
    meta.insert("text_sha256".into(), Value::from(text.sha256_hex()));
    record.insert("meta".into(), Value::Object(meta));
    (Value::Object(record), loss)
}

impl DatasetWriter for super::Jsonl {
    fn document(&self, doc: &Document, _part: &Part<'_>, out: &mut Vec<u8>) -> io::Result<Written> {
        let lost = write_line(doc, out);
        out.push(b'\n');
        Ok(lost.into())
    }

    fn all(
        &self,
        docs: &[&Document],
        _options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Written> {
        let mut loss = Loss::default();
        for doc in docs {
            loss.merge(&write_line(doc, out));
            out.push(b'\n');
        }
        Ok(loss.into())
    }
}
