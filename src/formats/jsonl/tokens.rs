//! Prodigy tokens for a document that has none: what a JSONL export writes so that the
//! relations of a document (made in the workbench, or read from brat, Label Studio, …) can
//! point at tokens, as Prodigy's `rel.manual` records do, and so that the tokens of a document
//! imported with tokens (CoNLL) are kept.
//!
//! The tokens are those carried from the import ([`crate::formats::tokens::Carried`]) while
//! they fit the text, else the CoNLL tokenisation's ([`crate::formats::conll::tokenize`]); either
//! is cut again where a span starts or ends inside a token (a span marked with word snapping
//! off, `Lavrov` in `Lavrov's`), so every span starts on a token and ends on one. A carried
//! token cut that way is counted in the loss. The whitespace between them is
//! made into tokens the way spaCy makes it: one space after a token is that token's `ws`, any
//! other whitespace (a line break, a tab, a second space, NBSP) is a token of its own. So the
//! tokens cover the text, and `Doc(words=[t.text], spaces=[t.ws])` gives the text back exactly,
//! with the same character offsets. A space that a span starts at, or ends after, stays a token
//! of its own too.

use serde_json::{Value, json};

use crate::formats::Loss;
use crate::formats::conll::tokenize;
use crate::formats::tokens::Carried;
use crate::model::{CharOffset, CharRange, Document, Text};

/// One Prodigy token: its characters `start..end` and whether one space after it is its `ws`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token {
    pub start: usize,
    pub end: usize,
    pub ws: bool,
}

/// The tokens of `doc` as Prodigy writes them: `[{"text", "start", "end", "id", "ws"}]`.
pub(super) fn prodigy_tokens(doc: &Document, loss: &mut Loss) -> Value {
    let text = doc.text();
    let tokens = token_offsets(doc, loss);
    let slice = |from: usize, to: usize| {
        CharRange::new(from, to)
            .and_then(|r| text.slice(r))
            .unwrap_or("")
    };
    Value::Array(
        tokens
            .iter()
            .enumerate()
            .map(|(id, t)| {
                json!({
                    "text": slice(t.start, t.end),
                    "start": t.start,
                    "end": t.end,
                    "id": id,
                    "ws": t.ws,
                })
            })
            .collect(),
    )
}

/// The tokens of [`prodigy_tokens`], without their JSON: in order, each after the one before,
/// none empty.
pub(super) fn token_offsets(doc: &Document, loss: &mut Loss) -> Vec<Token> {
    let text = doc.text();
    let words = match Carried::of(doc) {
        Ok(Some(carried)) => {
            let (_, splits) = carried.split_at_spans(doc);
            loss.add("imported tokens split at a span's edge", splits.len());
            carried.offsets
        }
        Ok(None) => tokenize(text.as_str()),
        Err(_) => {
            loss.add("imported tokens not used (cut again)", 1);
            tokenize(text.as_str())
        }
    };
    // Sorted lists, not sets: they are only searched (a B-tree search was a twentieth of the
    // export of a corpus with relations).
    let sorted = |mut v: Vec<usize>| {
        v.sort_unstable();
        v.dedup();
        v
    };
    let contiguous = || doc.set().spans().filter(|s| s.fragments.is_empty());
    let starts = sorted(contiguous().map(|s| s.range.start().0).collect());
    let ends = sorted(contiguous().map(|s| s.range.end().0).collect());
    let cuts = sorted(starts.iter().chain(&ends).copied().collect());
    // The text in pieces: the tokens and the whitespace between them, each cut at the spans'
    // starts and ends inside it. `true`: whitespace.
    let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
    let mut push = |from: usize, to: usize, space: bool| {
        let mut at = from;
        let first = cuts.partition_point(|&c| c <= from);
        for &cut in cuts[first..].iter().take_while(|&&c| c < to) {
            pieces.push((at, cut, space));
            at = cut;
        }
        pieces.push((at, to, space));
    };
    let mut at = 0;
    for (start, end) in words {
        if at < start {
            push(at, start, true);
        }
        push(start, end, false);
        at = end;
    }
    if at < text.len_chars() {
        push(at, text.len_chars(), true);
    }
    let mut tokens = Vec::with_capacity(pieces.len());
    let mut chars = CharAt::new(text);
    let mut i = 0;
    while i < pieces.len() {
        let (start, end, space) = pieces[i];
        i += 1;
        let mut ws = false;
        // One space after a word is its `ws`, unless a span starts at it or ends after it.
        if !space
            && let Some(&(next_start, next_end, true)) = pieces.get(i)
            && chars.get(next_start) == Some(' ')
            && starts.binary_search(&next_start).is_err()
            && ends.binary_search(&(next_start + 1)).is_err()
        {
            ws = true;
            // The rest of the whitespace, if any, is a token of its own.
            if next_end == next_start + 1 {
                i += 1;
            } else {
                pieces[i].0 += 1;
            }
        }
        tokens.push(Token { start, end, ws });
    }
    tokens
}

/// The characters of a text asked for mostly in order: each found from the one asked before
/// (from the text's index when asked for an earlier one).
struct CharAt<'t> {
    text: &'t Text,
    /// The text from char offset `at` on.
    rest: &'t str,
    at: usize,
}

impl<'t> CharAt<'t> {
    fn new(text: &'t Text) -> Self {
        Self {
            text,
            rest: text.as_str(),
            at: 0,
        }
    }

    /// The character at char offset `offset`, as [`Text::char_at`] gives it.
    fn get(&mut self, offset: usize) -> Option<char> {
        if offset < self.at {
            return self.text.char_at(CharOffset(offset));
        }
        let mut chars = self.rest.chars();
        for _ in self.at..offset {
            chars.next()?;
        }
        self.rest = chars.as_str();
        self.at = offset;
        self.rest.chars().next()
    }
}
