//! Marked-up text for readable span tests: `[Lavrov]{actor} [said]{action} on [Monday]{date}`.
//!
//! `[` opens a span, `]{label}` closes the innermost open one; spans nest:
//! `[[Lavrov]{actor} said]{claim}`. `\[`, `\]` and `\\` stand for the characters themselves.
//! Spans get the ids `s1`, `s2`, … in the order their `[` appears, author `test`, time 0.

use crate::model::label::Label;
use crate::model::span::{Span, SpanId, Timestamp};
use crate::model::text::CharRange;

/// The plain text and the spans of a marked-up string. Panics on malformed markup: this is a
/// helper for tests and examples, where the markup is written by hand.
pub fn marked(markup: &str) -> (String, Vec<Span>) {
    let mut text = String::new();
    let mut len_chars = 0usize;
    // (start, id number) of each open bracket.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut spans: Vec<(u64, Span)> = Vec::new();
    let mut next = 1u64;
    let mut chars = markup.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars
                    .next()
                    .unwrap_or_else(|| panic!("marked: trailing backslash in {markup:?}"));
                text.push(escaped);
                len_chars += 1;
            }
            '[' => {
                open.push((len_chars, next));
                next += 1;
            }
            ']' => {
                let (start, n) = open
                    .pop()
                    .unwrap_or_else(|| panic!("marked: unmatched ']' in {markup:?}"));
                assert_eq!(chars.next(), Some('{'), "marked: ']' without '{{label}}'");
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let label = Label::new(name)
                    .unwrap_or_else(|e| panic!("marked: bad label in {markup:?}: {e}"));
                let range = CharRange::new(start, len_chars)
                    .unwrap_or_else(|| panic!("marked: bad range in {markup:?}"));
                let span = Span::new(
                    SpanId::numbered(n),
                    label,
                    range,
                    "test",
                    Timestamp::from_unix(0),
                );
                spans.push((n, span));
            }
            c => {
                text.push(c);
                len_chars += 1;
            }
        }
    }
    assert!(open.is_empty(), "marked: unclosed '[' in {markup:?}");
    spans.sort_by_key(|(n, _)| *n);
    (text, spans.into_iter().map(|(_, s)| s).collect())
}

/// A label from a name known to be valid (tests and examples).
pub fn label(name: &str) -> Label {
    Label::new(name).unwrap_or_else(|e| panic!("label {name:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_markup() {
        let (text, spans) = marked("[[Lavrov]{actor} said on [Monday]{date}]{claim} \\[sic\\]");
        assert_eq!(text, "Lavrov said on Monday [sic]");
        let got: Vec<_> = spans
            .iter()
            .map(|s| (s.id.as_str(), s.label.as_str(), s.range.as_range()))
            .collect();
        assert_eq!(
            got,
            [
                ("s1", "claim", 0..21),
                ("s2", "actor", 0..6),
                ("s3", "date", 15..21)
            ]
        );
    }

    #[test]
    fn offsets_count_scalars() {
        let (text, spans) = marked("👍 [日本]{actor}");
        assert_eq!(text, "👍 日本");
        assert_eq!(spans[0].range.as_range(), 2..4);
    }
}
