//! spaCy/Prodigy-style JSONL: one document per line.
//!
//! ```json
//! {"text": "Lavrov said", "spans": [{"start": 0, "end": 6, "label": "actor", "text": "Lavrov"}], "meta": {"name": "a.txt"}}
//! ```
//!
//! Offsets count Unicode scalar values (Python `str` indices), end-exclusive. On import the
//! document's name comes from `meta.name` when present; a span's `text`, when given, must match
//! its offsets (a mismatch is reported, with a hint when UTF-16 offsets would explain it).
//! Spans may carry `note` and `attrs`, which Spanmark writes back.
//!
//! Prodigy records are read with everything they carry:
//! - `tokens` (`[{"text", "start", "end", "id"}]`) and each span's `token_start`/`token_end`
//!   (**inclusive**: a one-token span has `token_start == token_end`); a span given by tokens
//!   alone takes its offsets from them, and tokens that disagree with the offsets are reported;
//! - `answer`: `accept` makes the spans accepted, `reject` rejected, `ignore` leaves them
//!   pending; the answer itself is kept;
//! - `relations` (`rel.manual`: `head_span`/`child_span`, `label`) become relations between the
//!   spans (a span named only by a relation is added);
//! - `meta`, `_input_hash`, `_task_hash`, `_view_id`, `_session_id`, … and any other field, and
//!   the fields of spans and relations Spanmark has no place for (`source`, `input_hash`,
//!   `color`, …), are kept in the document's `meta.prodigy` and written back on export, where
//!   `token_start`/`token_end` and the relations' `head`/`child` token indices are computed
//!   again from the tokens.
//!
//! A document with relations and no Prodigy tokens of its own (relations made in the workbench,
//! or read from another format) is written with tokens made for it ([`tokens`]: the CoNLL
//! tokenisation, cut at the spans' ends, its whitespace as spaCy has it), every span with its
//! `token_start`/`token_end` and every relation with its `head`/`child` token indices (the last
//! token of each end's span, as Prodigy writes them) and `head_span`/`child_span`. Export cannot
//! hold discontinuous spans, nor a relation with a discontinuous end or, with the file's own
//! tokens, an end off those tokens: those are counted in the [`Loss`](super::Loss).

mod read;
mod tokens;
mod write;

use std::collections::HashMap;

use serde_json::Value;

pub use read::{JsonlDocument, LineError, RelationError, SpanError, import, import_line};
pub use write::{export_line, export_record};

use super::build;

/// spaCy/Prodigy JSONL in the registry: its [`Reader`](super::registry::Reader) and
/// [`DatasetWriter`](super::registry::DatasetWriter).
pub struct Jsonl;

/// The key of the document meta this format keeps.
const META: &str = "prodigy";
/// Span fields Spanmark holds itself.
const SPAN_FIELDS: [&str; 8] = [
    "start",
    "end",
    "label",
    "text",
    "note",
    "attrs",
    "token_start",
    "token_end",
];
/// Relation fields Spanmark holds itself (or computes again).
const RELATION_FIELDS: [&str; 5] = ["head", "child", "head_span", "child_span", "label"];
/// `meta` fields Spanmark writes itself.
const OWN_META: [&str; 3] = ["name", "annotator", "text_sha256"];

/// Prodigy's tokens: character offsets by token index, and the index of each start and end.
#[derive(Default)]
struct Tokens {
    offsets: Vec<(usize, usize)>,
    by_start: HashMap<usize, usize>,
    by_end: HashMap<usize, usize>,
    /// The tokens are in order, each after the one before and none empty (the tokens an export
    /// makes): a start or an end is found by binary search, and the maps stay empty.
    ordered: bool,
}

impl Tokens {
    /// Tokens in order, each after the one before, none empty ([`tokens::token_offsets`]).
    fn ordered(offsets: Vec<(usize, usize)>) -> Self {
        debug_assert!(offsets.windows(2).all(|w| w[0].1 <= w[1].0));
        debug_assert!(offsets.iter().all(|t| t.0 < t.1));
        Tokens {
            offsets,
            ordered: true,
            ..Tokens::default()
        }
    }

    fn read(tokens: Option<&Value>) -> Self {
        let mut out = Tokens::default();
        let Some(Value::Array(tokens)) = tokens else {
            return out;
        };
        for (i, t) in tokens.iter().enumerate() {
            let (Some(s), Some(e)) = (build::number(t.get("start")), build::number(t.get("end")))
            else {
                // Tokens that cannot be read are not used at all (they are still kept).
                return Tokens::default();
            };
            out.offsets.push((s, e));
            out.by_start.entry(s).or_insert(i);
            out.by_end.insert(e, i);
        }
        out
    }

    fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// `(token_start, token_end)`, inclusive, of a character range on token boundaries.
    fn span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let (first, last) = if self.ordered {
            // Starts and ends both rise with the index, so each is found at most once.
            (
                self.offsets.binary_search_by_key(&start, |t| t.0).ok()?,
                self.offsets.binary_search_by_key(&end, |t| t.1).ok()?,
            )
        } else {
            (*self.by_start.get(&start)?, *self.by_end.get(&end)?)
        };
        (first <= last).then_some((first, last))
    }
}

#[cfg(test)]
mod tests;
