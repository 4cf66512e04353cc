//! CoNLL-style token-per-line files: one token per line with its tag in the last column
//! (`EU⇥B-ORG`, `⇥` a TAB, or CoNLL-2003's `EU NNP B-NP B-ORG`), columns separated by TABs or spaces, a blank
//! line between sentences and a `-DOCSTART-` line before each document.
//!
//! **What it holds.** Tokens and one tag each: flat, contiguous, labelled token sequences.
//! There are **no character offsets**: an offset means a position in the text Spanmark
//! reconstructs on import, or a token boundary of the documented tokenisation on export. It
//! cannot hold overlapping or nested spans, discontinuous spans, spans that do not start and
//! end on token boundaries, relations, notes, attributes, review status, authors or times;
//! every export says how many of each it left out ([`Loss`](super::Loss)).
//!
//! **Import.** One document per `-DOCSTART-` (or the whole file when there is none). The tag is
//! the last column; lines that hold a TAB are split on TABs (so a token may hold a space), other
//! lines on spaces. Tags are read with the rules of IOB1 and IOB2 alike (conlleval's): `B-X`
//! starts an entity; `I-X` continues an entity of type `X` and starts one after `O`, after the
//! end of a sentence or after another type (IOB1's way; a stray `I-` in IOB2 data is read the
//! same way). `E-X`/`L-X` and `S-X`/`U-X` (IOBES, BILOU) are read too. A tag that is none of
//! these is reported (file and line) and the token read as `O`. The document's text is
//! **reconstructed**: tokens joined by one space, sentences by one `\n` (`-DOCSTART-` lines and
//! extra blank lines leave nothing); the spans' offsets count characters of that text. The
//! tokens themselves, the sentence starts, the columns between token and tag (CoNLL-2003's POS
//! and chunk) and the `-DOCSTART-` line's are kept on the document
//! ([`crate::formats::tokens::Carried`]).
//!
//! **Export** writes `-DOCSTART-⇥O` and a blank line before each document, then one
//! `TOKEN⇥TAG` line per token, tags in **IOB2** (every entity starts with `B-`), a blank line
//! after each sentence. A document imported with tokens that still fit its text is written with
//! them: its tokens, its sentence breaks, and `TOKEN⇥COLUMNS…⇥TAG` when it had middle columns
//! (the `-DOCSTART-` line gets its own, or `-X-` each); a carried token that a span starts or
//! ends inside is split there (counted and reported by document and span). Otherwise tokens
//! come from [`tokenize`]; sentences end where Unicode (UAX #29)
//! puts a sentence boundary between two tokens (after `.`, `?`, `!` followed by a capital, and
//! after every line break), except inside a written span. Spans are written only when they
//! start at the start of a token and end at the end of one; any other span is reported by
//! document and span id, never moved. Of overlapping or nested spans, the one that starts first
//! is written (of those starting on the same token, the longest: the outer one) and the others
//! are counted as lost. A space in a label is written as `_` (counted).
//!
//! **Tokenisation** ([`tokenize`], also the unit of token-level agreement): the text is cut at
//! every whitespace character (Unicode `White_Space`: spaces, tabs, line breaks, NBSP, …), which
//! is never part of a token; each remaining run is cut again at the Unicode word boundaries of
//! UAX #29, the same boundaries Spanmark's word snapping uses, so a span snapped to words in the
//! GUI always falls on token boundaries. Letters and digits stay together, and so do an
//! apostrophe or full stop between them (`U.S` then `.`, `3.5`, `don't`) and a comma between
//! digits (`1,000`), except that a possessive is split off the name as spaCy and the Penn
//! Treebank do (`Lavrov's` → `Lavrov` `'s`, `Russia’s` → `Russia` `’s`; the `’` after a plural
//! `s` is a token already): [`crate::model::words::pieces`], the rule word snapping uses.
//! Every other punctuation mark or symbol is a token of its own (`NATO-led` → `NATO` `-` `led`; `$100` → `$` `100`; `12:30` → `12` `:` `30`). An emoji with its modifiers
//! and ZWJ sequence is one token, each CJK ideograph is one token, and a combining mark stays
//! with its base. Offsets are counted in Unicode scalar values.

mod read;
mod segment;
mod write;

pub use read::{import, import_str};
pub use write::export;

/// CoNLL in the registry: its [`Reader`](super::registry::Reader) and
/// [`DatasetWriter`](super::registry::DatasetWriter).
pub struct Conll;

/// The tokens of `text` as `(start, end)` char offsets (Unicode scalar values, end-exclusive),
/// in order: see the module docs for the rule. Stable: exports and agreement depend on it.
pub fn tokenize(text: &str) -> Vec<(usize, usize)> {
    let mut tokens = Vec::new();
    cut(text, |chars, _| tokens.push(chars));
    tokens
}

/// Tokens as `(start, end)` offsets, in order.
type Tokens = Vec<(usize, usize)>;

/// [`tokenize`]'s tokens, and the byte offsets of each in `text` (for an export, which writes
/// each token's text).
fn tokenize_with_bytes(text: &str) -> (Tokens, Tokens) {
    // Room for a token every four bytes, made once: more than most text has (room not
    // written to costs nothing), instead of doubling from nothing.
    let room = text.len() / 4 + 1;
    let (mut tokens, mut bytes) = (Vec::with_capacity(room), Vec::with_capacity(room));
    cut(text, |chars, in_bytes| {
        tokens.push(chars);
        bytes.push(in_bytes);
    });
    (tokens, bytes)
}

/// Calls `token` with the char offsets and the byte offsets of each token of `text`, in order.
fn cut(text: &str, mut token: impl FnMut((usize, usize), (usize, usize))) {
    let mut classes = Vec::new();
    let mut run_start: Option<(usize, usize)> = None; // (byte, char) where a run began
    let mut chars = 0usize;
    let mut flush = |run: &str, first_byte: usize, first_char: usize| {
        let (mut pos, mut byte) = (first_char, first_byte);
        segment::word_segments(run, &mut classes, |word, chars| {
            // Only a word that ends in `s` may have a possessive to split off.
            if !word.ends_with(['s', 'S']) {
                token((pos, pos + chars), (byte, byte + word.len()));
                pos += chars;
                byte += word.len();
                return;
            }
            for piece in crate::model::words::pieces(word) {
                let n = piece.chars().count();
                token((pos, pos + n), (byte, byte + piece.len()));
                pos += n;
                byte += piece.len();
            }
        });
    };
    let bytes = text.as_bytes();
    let mut byte = 0;
    while byte < bytes.len() {
        // ASCII without decoding (its whitespace: tab, line feed, vertical tab, form feed,
        // carriage return, space).
        let (white, len) = match bytes[byte] {
            b @ 0..0x80 => (matches!(b, b'\t'..=b'\r' | b' '), 1),
            _ => match text[byte..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => break,
            },
        };
        if white {
            if let Some((b, ch)) = run_start.take() {
                flush(&text[b..byte], b, ch);
            }
        } else if run_start.is_none() {
            run_start = Some((byte, chars));
        }
        byte += len;
        chars += 1;
    }
    if let Some((b, ch)) = run_start {
        flush(&text[b..], b, ch);
    }
}

/// The type of a tag and where it stands in its entity.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tag<'a> {
    Outside,
    /// `B-`: starts an entity.
    Begin(&'a str),
    /// `I-`: continues one (or starts one, by IOB1's rule).
    Inside(&'a str),
    /// `E-`/`L-`: the last token of an entity.
    End(&'a str),
    /// `S-`/`U-`: an entity of one token.
    Single(&'a str),
}

impl<'a> Tag<'a> {
    fn parse(tag: &'a str) -> Option<Self> {
        if tag == "O" {
            return Some(Tag::Outside);
        }
        let (prefix, label) = tag.split_once('-')?;
        if label.trim().is_empty() {
            return None;
        }
        match prefix {
            "B" => Some(Tag::Begin(label)),
            "I" => Some(Tag::Inside(label)),
            "E" | "L" => Some(Tag::End(label)),
            "S" | "U" => Some(Tag::Single(label)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
