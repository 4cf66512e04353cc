//! Tokens carried from an import: the token boundaries (and sentence breaks, and CoNLL's other
//! columns) of a file that came with its own tokens, kept on the document so an export writes
//! the source's tokens back instead of cutting the text again with [`super::conll::tokenize`].
//!
//! **Where they live.** In [`Document::meta`] under the key [`KEY`] (`"tokens"`), saved in the
//! native file with the rest of the document's meta (one line; version 1 and 2 files alike):
//!
//! ```text
//! "tokens": {"from": "conll", "text_sha256": "…", "offsets": [[0, 10], [11, 16], …],
//!            "sentences": [0, 12, …], "columns": [["NNP", "B-NP"], …], "docstart": ["-X-", "-X-"]}
//! ```
//!
//! `offsets` are the tokens' char offsets (Unicode scalar values, end-exclusive, in order, not
//! overlapping); `sentences` the index of each sentence's first token; `columns` (CoNLL-2003's
//! POS and chunk columns, when the file had columns between the token and its tag) one list per
//! token; `docstart` the columns of the `-DOCSTART-` line. A document read from Prodigy JSONL keeps
//! Prodigy's own `tokens` (in `meta.prodigy.tokens`), which are used the same way.
//!
//! **When they are used.** Only while the text is the one they were read with: `text_sha256`
//! must be the text's digest (Prodigy's tokens must each hold the text at their offsets). Text
//! that changed (re-anchoring onto a new article) makes them unusable; an export then cuts the
//! text with the documented tokenisation and says so ([`Carried::of`] returns why).
//!
//! **A span that cuts a token.** A span made later may start or end inside a carried token
//! (`spider` in `spider-man`). For an export the token is split at the span's edge
//! ([`Carried::split_at_spans`]), and each split is reported, naming the document and the span.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::model::{CharRange, Document, SpanId};

/// The key of the carried tokens in [`Document::meta`].
pub const KEY: &str = "tokens";

/// A document's carried tokens, checked against its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Carried {
    /// `(start, end)` char offsets, in order, not overlapping, none empty.
    pub offsets: Vec<(usize, usize)>,
    /// The index of each sentence's first token, ascending; `None` when the source had no
    /// sentence breaks (Prodigy).
    pub sentences: Option<Vec<usize>>,
    /// Each token's columns between the token and its tag (CoNLL-2003's POS and chunk), or
    /// empty when the source had none.
    pub columns: Vec<Vec<String>>,
    /// The columns of the source's `-DOCSTART-` line after the word itself and before its tag.
    pub docstart: Option<Vec<String>>,
}

/// A carried token that a span cuts: split for an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The span whose edge cuts the token.
    pub span: SpanId,
    /// The token as it was carried.
    pub token: (usize, usize),
    /// Where it was cut.
    pub at: usize,
}

impl Carried {
    /// Records `self` on `doc` (its text must be the one the offsets count in).
    pub fn store(&self, doc: &mut Document, from: &str) {
        let mut record = serde_json::Map::new();
        record.insert("from".into(), json!(from));
        record.insert("text_sha256".into(), json!(doc.text().sha256_hex()));
        record.insert(
            "offsets".into(),
            Value::Array(self.offsets.iter().map(|&(s, e)| json!([s, e])).collect()),
        );
        if let Some(sentences) = &self.sentences {
            record.insert("sentences".into(), json!(sentences));
        }
        if self.columns.iter().any(|c| !c.is_empty()) {
            record.insert("columns".into(), json!(self.columns));
        }
        if let Some(docstart) = &self.docstart {
            record.insert("docstart".into(), json!(docstart));
        }
        doc.meta.insert(KEY.to_string(), Value::Object(record));
    }

    /// The tokens carried on `doc`: `Ok(None)` when it has none, `Err(why)` when it has some
    /// that do not fit its text (the text changed, or the record is damaged).
    pub fn of(doc: &Document) -> Result<Option<Carried>, String> {
        if let Some(record) = doc.meta.get(KEY) {
            return own(doc, record).map(Some);
        }
        match doc.meta.get("prodigy").and_then(|p| p.get("tokens")) {
            Some(tokens) => prodigy(doc, tokens).map(Some),
            None => Ok(None),
        }
    }

    /// The tokens with every token that a span of `doc` starts or ends inside cut at that
    /// edge, and the cuts made (in token order). Sentences start at the same places; a piece of
    /// a token keeps the token's columns.
    pub fn split_at_spans(&self, doc: &Document) -> (Carried, Vec<Split>) {
        let mut edges: Vec<(usize, &SpanId)> = Vec::new();
        for span in doc.set().spans().filter(|s| s.fragments.is_empty()) {
            edges.push((span.range.start().0, &span.id));
            edges.push((span.range.end().0, &span.id));
        }
        edges.sort();
        let mut out = Carried {
            offsets: Vec::with_capacity(self.offsets.len()),
            sentences: None,
            columns: Vec::new(),
            docstart: self.docstart.clone(),
        };
        let mut splits = Vec::new();
        let mut first_piece = Vec::with_capacity(self.offsets.len());
        let mut seen_cuts = BTreeSet::new();
        for (i, &(start, end)) in self.offsets.iter().enumerate() {
            first_piece.push(out.offsets.len());
            let from = edges.partition_point(|&(e, _)| e <= start);
            let mut at = start;
            for &(edge, id) in edges[from..].iter().take_while(|&&(e, _)| e < end) {
                if seen_cuts.insert(edge) {
                    out.offsets.push((at, edge));
                    at = edge;
                }
                splits.push(Split {
                    span: id.clone(),
                    token: (start, end),
                    at: edge,
                });
            }
            out.offsets.push((at, end));
            if let Some(columns) = self.columns.get(i) {
                let pieces = out.offsets.len() - out.columns.len();
                out.columns
                    .extend(std::iter::repeat_n(columns.clone(), pieces));
            }
        }
        out.sentences = self.sentences.as_ref().map(|starts| {
            starts
                .iter()
                .filter_map(|&s| first_piece.get(s).copied())
                .collect()
        });
        (out, splits)
    }

    /// The tokens as char ranges.
    pub fn ranges(&self) -> Vec<CharRange> {
        self.offsets
            .iter()
            .filter_map(|&(s, e)| CharRange::new(s, e))
            .collect()
    }
}

/// Reads and checks Spanmark's own record.
fn own(doc: &Document, record: &Value) -> Result<Carried, String> {
    let damaged = |what: &str| format!("the carried tokens' {what} cannot be read");
    let digest = record.get("text_sha256").and_then(Value::as_str);
    if digest != Some(doc.text().sha256_hex()) {
        return Err("the text is not the one the tokens were imported with".to_string());
    }
    let pairs = record
        .get("offsets")
        .and_then(Value::as_array)
        .ok_or_else(|| damaged("offsets"))?;
    let mut offsets = Vec::with_capacity(pairs.len());
    for pair in pairs {
        let n = |i: usize| {
            pair.get(i)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        match (n(0), n(1)) {
            (Some(s), Some(e)) => offsets.push((s, e)),
            _ => return Err(damaged("offsets")),
        }
    }
    check_offsets(&offsets, doc.text().len_chars())?;
    let sentences = match record.get("sentences") {
        None => None,
        Some(v) => {
            let starts: Vec<usize> =
                serde_json::from_value(v.clone()).map_err(|_| damaged("sentences"))?;
            if !starts.windows(2).all(|w| w[0] < w[1])
                || starts.last().is_some_and(|&s| s >= offsets.len())
            {
                return Err(damaged("sentences"));
            }
            Some(starts)
        }
    };
    let columns: Vec<Vec<String>> = match record.get("columns") {
        None => Vec::new(),
        Some(v) => serde_json::from_value(v.clone()).map_err(|_| damaged("columns"))?,
    };
    if !columns.is_empty() && columns.len() != offsets.len() {
        return Err(damaged("columns"));
    }
    let docstart = match record.get("docstart") {
        None => None,
        Some(v) => Some(serde_json::from_value(v.clone()).map_err(|_| damaged("docstart"))?),
    };
    Ok(Carried {
        offsets,
        sentences,
        columns,
        docstart,
    })
}

/// Prodigy's tokens, used when each holds the text at its offsets; whitespace tokens (spaCy's
/// `\n`) are left out.
fn prodigy(doc: &Document, tokens: &Value) -> Result<Carried, String> {
    let text = doc.text();
    let list = tokens.as_array().ok_or("Prodigy's tokens are not a list")?;
    let mut offsets = Vec::with_capacity(list.len());
    for t in list {
        let n = |key: &str| {
            t.get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        let (Some(s), Some(e)) = (n("start"), n("end")) else {
            return Err("a Prodigy token has no start or end".to_string());
        };
        let Some(range) = CharRange::new(s, e) else {
            continue;
        };
        let Some(at) = text.slice(range) else {
            return Err(format!("the Prodigy token at {s}..{e} is outside the text"));
        };
        if t.get("text").and_then(Value::as_str) != Some(at) {
            return Err(format!(
                "the Prodigy token at {s}..{e} is not the text's {at:?}"
            ));
        }
        if !at.chars().all(char::is_whitespace) {
            offsets.push((s, e));
        }
    }
    check_offsets(&offsets, text.len_chars())?;
    Ok(Carried {
        offsets,
        ..Carried::default()
    })
}

/// Tokens in order, not overlapping, not empty, inside the text.
fn check_offsets(offsets: &[(usize, usize)], len_chars: usize) -> Result<(), String> {
    let mut at = 0;
    for &(s, e) in offsets {
        if s < at || e <= s || e > len_chars {
            return Err(format!(
                "the carried token at {s}..{e} overlaps another, is empty or is outside the text"
            ));
        }
        at = e;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edit, Label, Schema, Source, Span, Text, Timestamp};

    fn doc(text: &str) -> Document {
        Document::new(
            Source::default(),
            Text::new(text.to_string()),
            "ann",
            Schema::default(),
        )
    }

    fn carried() -> Carried {
        Carried {
            offsets: vec![(0, 10), (11, 16), (17, 19)],
            sentences: Some(vec![0, 2]),
            columns: vec![vec!["NNP".into()], vec!["VBD".into()], vec![".".into()]],
            docstart: None,
        }
    }

    #[test]
    fn stored_tokens_read_back_while_the_text_is_the_same() {
        let mut d = doc("spider-man swung\nok");
        carried().store(&mut d, "conll");
        assert_eq!(Carried::of(&d), Ok(Some(carried())));
        // Same meta, other text: refused with the reason.
        let mut other = doc("spider man swung\nok");
        other.meta = d.meta.clone();
        let why = Carried::of(&other).unwrap_err();
        assert!(why.contains("not the one"), "{why}");
        assert_eq!(Carried::of(&doc("x")), Ok(None));
    }

    #[test]
    fn damaged_records_are_refused() {
        let mut d = doc("spider-man swung\nok");
        let mut bad = carried();
        bad.offsets[1] = (5, 16); // overlaps the first
        bad.store(&mut d, "conll");
        assert!(Carried::of(&d).is_err());
        let mut bad = carried();
        bad.columns.pop();
        bad.store(&mut d, "conll");
        assert!(Carried::of(&d).is_err());
    }

    #[test]
    fn a_span_edge_inside_a_token_splits_it() {
        let mut d = doc("spider-man swung\nok");
        let span = Span::new(
            SpanId::numbered(1),
            Label::new("person").unwrap(),
            CharRange::new(0, 6).unwrap(),
            "ann",
            Timestamp::from_unix(0),
        );
        d.apply(&Edit::add(span), "ann", Timestamp::from_unix(0))
            .unwrap();
        let (split, cuts) = carried().split_at_spans(&d);
        assert_eq!(split.offsets, vec![(0, 6), (6, 10), (11, 16), (17, 19)]);
        assert_eq!(split.sentences, Some(vec![0, 3]));
        assert_eq!(split.columns.len(), 4);
        assert_eq!(split.columns[1], vec!["NNP".to_string()]);
        assert_eq!(
            cuts,
            vec![Split {
                span: SpanId::numbered(1),
                token: (0, 10),
                at: 6
            }]
        );
    }

    #[test]
    fn prodigy_tokens_are_used_when_they_hold_the_text() {
        let mut d = doc("AL-AIN won\n");
        d.meta.insert(
            "prodigy".into(),
            json!({"tokens": [
                {"text": "AL-AIN", "start": 0, "end": 6, "id": 0},
                {"text": "won", "start": 7, "end": 10, "id": 1},
                {"text": "\n", "start": 10, "end": 11, "id": 2}
            ]}),
        );
        let c = Carried::of(&d).unwrap().unwrap();
        assert_eq!(c.offsets, vec![(0, 6), (7, 10)]);
        assert_eq!(c.sentences, None);
        d.meta.insert(
            "prodigy".into(),
            json!({"tokens": [{"text": "AL", "start": 0, "end": 6, "id": 0}]}),
        );
        assert!(Carried::of(&d).is_err());
    }
}
