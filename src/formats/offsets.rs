//! Foreign offsets in other units, converted at the border.
//!
//! Inside Spanmark an offset counts Unicode scalar values. Other tools count UTF-16 code units
//! (doccano, 2021-era Label Studio, anything in JavaScript or Java) or bytes. A converter is
//! built once per text and answers each conversion in O(log n).

use std::fmt;

use crate::model::{CharOffset, Text};

/// The unit a foreign file counts offsets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OffsetUnit {
    /// Unicode scalar values (Python `str` index): Spanmark, spaCy, brat, W3C, Label Studio today.
    #[default]
    UnicodeScalar,
    /// UTF-16 code units (JavaScript `string.length`): doccano, Label Studio before 2022.
    Utf16,
    /// Bytes of the UTF-8 encoding.
    Bytes,
}

impl OffsetUnit {
    pub fn as_str(&self) -> &'static str {
        match self {
            OffsetUnit::UnicodeScalar => "unicode-scalar",
            OffsetUnit::Utf16 => "utf16",
            OffsetUnit::Bytes => "bytes",
        }
    }
}

impl fmt::Display for OffsetUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Converts offsets between one foreign unit and the char offsets of one text, both ways.
pub struct OffsetConverter<'t> {
    text: &'t Text,
    unit: OffsetUnit,
    /// For UTF-16: the UTF-16 position of every astral char (two code units), ascending.
    astral_utf16: Vec<usize>,
    /// For UTF-16: the char offset of every astral char, ascending.
    astral_chars: Vec<usize>,
}

impl<'t> OffsetConverter<'t> {
    pub fn new(text: &'t Text, unit: OffsetUnit) -> Self {
        let mut astral_utf16 = Vec::new();
        let mut astral_chars = Vec::new();
        if unit == OffsetUnit::Utf16 {
            let mut pos = 0;
            for (i, c) in text.as_str().chars().enumerate() {
                if c.len_utf16() == 2 {
                    astral_utf16.push(pos);
                    astral_chars.push(i);
                }
                pos += c.len_utf16();
            }
        }
        Self {
            text,
            unit,
            astral_utf16,
            astral_chars,
        }
    }

    /// The foreign offset of a char offset (clamped to the end of the text).
    pub fn from_char(&self, offset: CharOffset) -> usize {
        let offset = CharOffset(offset.0.min(self.text.len_chars()));
        match self.unit {
            OffsetUnit::UnicodeScalar => offset.0,
            OffsetUnit::Bytes => self.text.byte_of(offset).unwrap_or(self.text.len_bytes()),
            OffsetUnit::Utf16 => offset.0 + self.astral_chars.partition_point(|&c| c < offset.0),
        }
    }

    /// The char offset of a foreign offset, or `None` when it is past the end or falls inside a
    /// character (between the two halves of a surrogate pair, inside a UTF-8 sequence).
    pub fn to_char(&self, offset: usize) -> Option<CharOffset> {
        let char_offset = match self.unit {
            OffsetUnit::UnicodeScalar => CharOffset(offset),
            OffsetUnit::Bytes => self.text.char_of_byte(offset)?,
            OffsetUnit::Utf16 => {
                // Astral chars wholly before `offset`; one that starts at offset - 1 is split.
                let before = self.astral_utf16.partition_point(|&p| p < offset);
                if before > 0 && self.astral_utf16[before - 1] + 1 == offset {
                    return None;
                }
                CharOffset(offset - before)
            }
        };
        (char_offset.0 <= self.text.len_chars()).then_some(char_offset)
    }
}

/// Whether `quote` is what a UTF-16-counting tool would have meant by `start..end` in `text`:
/// used to say "these offsets look like UTF-16" when a span's text does not match.
pub fn utf16_would_match(text: &Text, start: usize, end: usize, quote: &str) -> bool {
    let conv = OffsetConverter::new(text, OffsetUnit::Utf16);
    match (conv.to_char(start), conv.to_char(end)) {
        (Some(s), Some(e)) if s <= e => {
            crate::model::CharRange::new(s.0, e.0).and_then(|r| text.slice(r)) == Some(quote)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_after_emoji() {
        // doccano #2290: "firetrucks" is 22..32 in UTF-16, 19..29 in scalars.
        let text = Text::new("👨🏻‍🚒 firemen drive firetrucks".to_string());
        let conv = OffsetConverter::new(&text, OffsetUnit::Utf16);
        assert_eq!(conv.to_char(22), Some(CharOffset(19)));
        assert_eq!(conv.to_char(32), Some(CharOffset(29)));
        assert_eq!(conv.to_char(1), None, "inside the first surrogate pair");
        assert_eq!(conv.to_char(33), None, "past the end");
        assert!(utf16_would_match(&text, 22, 32, "firetrucks"));
        assert!(!utf16_would_match(&text, 19, 29, "firetrucks"));
        assert_eq!(conv.from_char(CharOffset(19)), 22);
        assert_eq!(conv.from_char(CharOffset(29)), 32);
        assert_eq!(conv.from_char(CharOffset(0)), 0);
        assert_eq!(conv.from_char(CharOffset(1)), 2);
    }

    #[test]
    fn there_and_back() {
        let text = Text::new("a👍b\r\n日本🐱é".to_string());
        for unit in [
            OffsetUnit::UnicodeScalar,
            OffsetUnit::Utf16,
            OffsetUnit::Bytes,
        ] {
            let conv = OffsetConverter::new(&text, unit);
            for i in 0..=text.len_chars() {
                let foreign = conv.from_char(CharOffset(i));
                assert_eq!(conv.to_char(foreign), Some(CharOffset(i)), "{unit} {i}");
            }
        }
    }

    #[test]
    fn bytes() {
        let text = Text::new("né 日本".to_string());
        let conv = OffsetConverter::new(&text, OffsetUnit::Bytes);
        assert_eq!(conv.to_char(4), Some(CharOffset(3)));
        assert_eq!(conv.to_char(5), None);
        assert_eq!(conv.to_char(10), Some(CharOffset(5)));
    }
}
