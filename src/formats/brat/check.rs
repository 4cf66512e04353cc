//! Checking a `.ann` span text against the `.txt`, and naming what explains a mismatch.

use crate::formats::offsets::{OffsetConverter, OffsetUnit, utf16_would_match};
use crate::model::{CharRange, Text};

/// Why a `.ann` text might not match its offsets: UTF-16 offsets, CRLF counted once, or a
/// byte-order mark would explain it. `""` when nothing does.
pub(super) fn mismatch_hint(
    text: &Text,
    unit: OffsetUnit,
    bom: bool,
    fragments: &[(usize, usize)],
    quote: &str,
) -> &'static str {
    let pieces_match = |f: &dyn Fn(usize) -> Option<usize>| {
        let mut ranges = Vec::new();
        for &(s, e) in fragments {
            match (f(s), f(e)) {
                (Some(s), Some(e)) if s <= e => {
                    ranges.extend(CharRange::new(s, e));
                }
                _ => return false,
            }
        }
        joined(text, &ranges) == quote
    };
    if unit != OffsetUnit::Utf16 {
        let utf16 = OffsetConverter::new(text, OffsetUnit::Utf16);
        let single =
            fragments.len() == 1 && utf16_would_match(text, fragments[0].0, fragments[0].1, quote);
        if single || pieces_match(&|o| utf16.to_char(o).map(|c| c.0)) {
            return "; the offsets look like UTF-16 code units: import with --offsets utf16";
        }
    }
    let crlf: Vec<usize> = crlf_positions(text.as_str());
    if !crlf.is_empty() {
        let collapsed = |q: usize| {
            let before = crlf
                .iter()
                .enumerate()
                .take_while(|&(i, &p)| p - i < q)
                .count();
            Some(q + before)
        };
        if pieces_match(&collapsed) {
            return "; the offsets count CRLF as one character (older brat installs did; \
                    brat's server and Spanmark count two): convert the .txt to LF line \
                    endings, or re-annotate";
        }
    }
    if bom {
        return "; the .txt starts with a byte-order mark, which brat's server counts as a \
                character (so does this import)";
    }
    ""
}

/// The text of `ranges` joined by one space, with line breaks read as spaces (a `.ann` line
/// cannot hold one).
pub(super) fn joined(text: &Text, ranges: &[CharRange]) -> String {
    let pieces: Vec<&str> = ranges
        .iter()
        .map(|r| text.slice(*r).unwrap_or(""))
        .collect();
    pieces
        .join(" ")
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect()
}

/// Char offsets of every `\r` that starts a CRLF.
fn crlf_positions(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut prev_cr = None;
    for (i, c) in text.chars().enumerate() {
        if c == '\n'
            && let Some(p) = prev_cr
        {
            out.push(p);
        }
        prev_cr = (c == '\r').then_some(i);
    }
    out
}
