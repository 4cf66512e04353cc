//! The article text and its offset index.
//!
//! **All positions in Spanmark count Unicode scalar values** (Rust `char`, Python `str` index),
//! 0-based and end-exclusive. In `"a👍b"` the `b` is at offset 2, although it starts at byte 5
//! and at UTF-16 code unit 3. Offsets are the newtypes [`CharOffset`] and [`CharRange`]; byte
//! offsets appear only inside this module, which converts between the two.
//!
//! The text is kept exactly as decoded: no CRLF→LF rewriting, no normalisation, no trimming.
//! `"a\r\nb"`: the `b` is at offset 3.
//!
//! [`Text`] answers char→byte in O(1) (a checkpoint every [`CHECKPOINT_CHARS`] chars plus a
//! bounded walk) and byte→char in O(log n), so exports that slice a 10 MB article millions of
//! times stay linear.

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use unicode_segmentation::{GraphemeCursor, GraphemeIncomplete};

/// A position in the text, counted in Unicode scalar values from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CharOffset(pub usize);

impl fmt::Display for CharOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A half-open range `start..end` of [`CharOffset`]s with `start <= end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CharRange {
    start: CharOffset,
    end: CharOffset,
}

impl CharRange {
    /// The range `start..end`, or `None` when `start > end`.
    pub fn new(start: usize, end: usize) -> Option<Self> {
        (start <= end).then_some(Self {
            start: CharOffset(start),
            end: CharOffset(end),
        })
    }

    /// The range between two offsets given in either order.
    pub fn between(a: CharOffset, b: CharOffset) -> Self {
        Self {
            start: a.min(b),
            end: a.max(b),
        }
    }

    pub fn start(&self) -> CharOffset {
        self.start
    }

    pub fn end(&self) -> CharOffset {
        self.end
    }

    pub fn len(&self) -> usize {
        self.end.0 - self.start.0
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether the two ranges share at least one character.
    pub fn overlaps(&self, other: &CharRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(&self, other: &CharRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Number of characters the two ranges share.
    pub fn overlap_len(&self, other: &CharRange) -> usize {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        end.0.saturating_sub(start.0)
    }

    pub fn as_range(&self) -> Range<usize> {
        self.start.0..self.end.0
    }
}

impl fmt::Display for CharRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start.0, self.end.0)
    }
}

/// Chars between two byte checkpoints of the index.
pub const CHECKPOINT_CHARS: usize = 32;

/// The byte offset of every [`CHECKPOINT_CHARS`]-th char: four bytes each, for any text under
/// 4 GiB (half what `usize`s take, so twice as many for the same memory).
#[derive(Clone)]
enum Checkpoints {
    /// An ASCII text: char and byte offsets coincide.
    None,
    Small(Vec<u32>),
    Large(Vec<usize>),
}

impl Checkpoints {
    /// The checkpoints of `string`, and its length in chars.
    fn of(string: &str) -> (Self, usize) {
        if string.is_ascii() {
            return (Self::None, string.len());
        }
        fn index<T>(string: &str, offset: impl Fn(usize) -> T) -> (Vec<T>, usize) {
            let mut checkpoints = Vec::with_capacity(string.len() / CHECKPOINT_CHARS + 1);
            let mut chars = 0;
            // Every byte but the UTF-8 continuation bytes (0b10xx_xxxx) begins a char.
            let mut each_byte = |bytes: &[u8], at: usize, chars: &mut usize| {
                for (i, &b) in bytes.iter().enumerate() {
                    if (b as i8) >= -0x40 {
                        if (*chars).is_multiple_of(CHECKPOINT_CHARS) {
                            checkpoints.push(offset(at + i));
                        }
                        *chars += 1;
                    }
                }
            };
            let bytes = string.as_bytes();
            let words = bytes.chunks_exact(8);
            let rest = words.remainder();
            for (i, word) in words.enumerate() {
                // Eight bytes at once when no checkpoint falls among the chars they begin.
                let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
                let begun = 8 - (w & !(w << 1) & 0x8080_8080_8080_8080).count_ones() as usize;
                let into = chars % CHECKPOINT_CHARS;
                if begun == 0 || (into != 0 && into + begun <= CHECKPOINT_CHARS) {
                    chars += begun;
                } else {
                    each_byte(word, i * 8, &mut chars);
                }
            }
            each_byte(rest, bytes.len() - rest.len(), &mut chars);
            (checkpoints, chars)
        }
        if u32::try_from(string.len()).is_ok() {
            let (small, chars) = index(string, |b| b as u32);
            (Self::Small(small), chars)
        } else {
            let (large, chars) = index(string, |b| b);
            (Self::Large(large), chars)
        }
    }

    fn is_none(&self) -> bool {
        matches!(self, Self::None)
    }

    fn get(&self, i: usize) -> Option<usize> {
        match self {
            Self::None => None,
            Self::Small(v) => v.get(i).map(|&b| b as usize),
            Self::Large(v) => v.get(i).copied(),
        }
    }

    /// How many checkpoints are at or before `byte`.
    fn at_or_before(&self, byte: usize) -> usize {
        match self {
            Self::None => 0,
            Self::Small(v) => v.partition_point(|&b| b as usize <= byte),
            Self::Large(v) => v.partition_point(|&b| b <= byte),
        }
    }
}

/// An immutable article text with an index from char offsets to byte offsets.
#[derive(Clone)]
pub struct Text {
    string: String,
    len_chars: usize,
    /// The byte offset of char `i * CHECKPOINT_CHARS`; none when the text is ASCII.
    checkpoints: Checkpoints,
    /// SHA-256 of the text as UTF-8, in hex: computed once, when first asked for (loading
    /// checks it, every save writes it; at 10 MB it takes tens of milliseconds).
    sha256: OnceLock<String>,
}

/// Texts are equal when their strings are (the rest is derived from the string).
impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.string == other.string
    }
}

impl Eq for Text {}

/// The SHA-256 of `bytes` as 64 lower-case hex digits (the form the native file records).
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256_hex_of_parts(&[bytes])
}

/// The SHA-256 of the `parts` one after another, as 64 lower-case hex digits.
pub fn sha256_hex_of_parts(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hex(&hash.finalize())
}

/// The 32 bytes that `digest` writes as 64 lower-case hex digits ([`hex`] of them), or `None`
/// when it is not written so.
pub fn digest_of_hex(digest: &str) -> Option<[u8; 32]> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let bytes = digest.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// `bytes` as lower-case hex digits, two a byte.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(2 * bytes.len());
    hex_into(&mut out, bytes);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends [`hex`] of `bytes` to `out`.
pub fn hex_into(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)]);
        out.push(DIGITS[usize::from(byte & 0xf)]);
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Text")
            .field("len_chars", &self.len_chars)
            .field("len_bytes", &self.string.len())
            .finish()
    }
}

impl Text {
    pub fn new(string: String) -> Self {
        let (checkpoints, len_chars) = Checkpoints::of(&string);
        Self {
            string,
            len_chars,
            checkpoints,
            sha256: OnceLock::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.string
    }

    /// SHA-256 of the text as UTF-8, as 64 lower-case hex digits (`text_sha256`).
    pub fn sha256_hex(&self) -> &str {
        self.sha256
            .get_or_init(|| sha256_hex(self.string.as_bytes()))
    }

    /// Length in Unicode scalar values.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    pub fn len_bytes(&self) -> usize {
        self.string.len()
    }

    pub fn is_empty(&self) -> bool {
        self.string.is_empty()
    }

    /// The whole text as a range.
    pub fn full_range(&self) -> CharRange {
        CharRange {
            start: CharOffset(0),
            end: CharOffset(self.len_chars),
        }
    }

    /// The byte offset of a char offset, or `None` past the end.
    pub fn byte_of(&self, offset: CharOffset) -> Option<usize> {
        let char_index = offset.0;
        if char_index > self.len_chars {
            return None;
        }
        if self.checkpoints.is_none() {
            return Some(char_index);
        }
        if char_index == self.len_chars {
            return Some(self.string.len());
        }
        let checkpoint = char_index / CHECKPOINT_CHARS;
        let base = self.checkpoints.get(checkpoint)?;
        let rest = char_index % CHECKPOINT_CHARS;
        // The `rest`-th char start after the checkpoint: count the bytes that begin a char
        // (every byte but UTF-8 continuation bytes, 0b10xx_xxxx), without decoding.
        let tail = self.string.as_bytes().get(base..)?;
        let mut starts = 0;
        // Eight bytes at a time while the char sought starts past them: the bytes that begin a
        // char are those but the continuation bytes (top bit set, the next one clear).
        let mut skipped = 0;
        for word in tail.chunks_exact(8) {
            let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
            let continuations = (w & !(w << 1) & 0x8080_8080_8080_8080).count_ones() as usize;
            let begun = 8 - continuations;
            if starts + begun > rest {
                break;
            }
            starts += begun;
            skipped += 8;
        }
        let tail = &tail[skipped..];
        let base = base + skipped;
        for (i, &b) in tail.iter().enumerate() {
            if (b as i8) >= -0x40 {
                if starts == rest {
                    return Some(base + i);
                }
                starts += 1;
            }
        }
        None
    }

    /// The char offset of a byte offset, or `None` when the byte offset is past the end or not
    /// on a char boundary.
    pub fn char_of_byte(&self, byte: usize) -> Option<CharOffset> {
        if !self.string.is_char_boundary(byte) {
            return None;
        }
        if self.checkpoints.is_none() {
            return Some(CharOffset(byte));
        }
        // The last checkpoint at or before `byte` (the first is at byte 0).
        let checkpoint = self.checkpoints.at_or_before(byte).checked_sub(1)?;
        let base = self.checkpoints.get(checkpoint)?;
        let walked = self.string[base..byte].chars().count();
        Some(CharOffset(checkpoint * CHECKPOINT_CHARS + walked))
    }

    /// The byte range of a char range, or `None` when it runs past the end.
    pub fn byte_range(&self, range: CharRange) -> Option<Range<usize>> {
        let start = self.byte_of(range.start)?;
        let end = if range.is_empty() {
            start
        } else {
            self.byte_of(range.end)?
        };
        Some(start..end)
    }

    /// The text of a char range, or `None` when it runs past the end.
    pub fn slice(&self, range: CharRange) -> Option<&str> {
        self.byte_range(range).and_then(|r| self.string.get(r))
    }

    /// The char at an offset.
    pub fn char_at(&self, offset: CharOffset) -> Option<char> {
        let byte = self.byte_of(offset)?;
        self.string.get(byte..)?.chars().next()
    }

    /// Whether `offset` lies on an extended grapheme cluster boundary (the start and the end of
    /// the text are boundaries; so is every offset in ASCII text except inside `"\r\n"`).
    pub fn is_grapheme_boundary(&self, offset: CharOffset) -> bool {
        let Some(byte) = self.byte_of(offset) else {
            return false;
        };
        is_grapheme_boundary_at_byte(&self.string, byte)
    }

    /// The nearest grapheme boundary at or before `offset`.
    pub fn grapheme_floor(&self, offset: CharOffset) -> CharOffset {
        let offset = CharOffset(offset.0.min(self.len_chars));
        let Some(byte) = self.byte_of(offset) else {
            return offset;
        };
        let mut cursor = GraphemeCursor::new(byte, self.string.len(), true);
        match cursor.is_boundary(&self.string, 0) {
            Ok(true) => offset,
            _ => match cursor.prev_boundary(&self.string, 0) {
                Ok(Some(b)) => self.char_of_byte(b).unwrap_or(offset),
                _ => CharOffset(0),
            },
        }
    }

    /// The nearest grapheme boundary at or after `offset`.
    pub fn grapheme_ceil(&self, offset: CharOffset) -> CharOffset {
        let offset = CharOffset(offset.0.min(self.len_chars));
        let Some(byte) = self.byte_of(offset) else {
            return offset;
        };
        let mut cursor = GraphemeCursor::new(byte, self.string.len(), true);
        match cursor.is_boundary(&self.string, 0) {
            Ok(true) => offset,
            _ => match cursor.next_boundary(&self.string, 0) {
                Ok(Some(b)) => self.char_of_byte(b).unwrap_or(offset),
                _ => CharOffset(self.len_chars),
            },
        }
    }

    /// Up to `max_chars` chars of text before `offset` (the W3C TextQuoteSelector prefix).
    pub fn prefix(&self, offset: CharOffset, max_chars: usize) -> &str {
        let start = CharOffset(offset.0.saturating_sub(max_chars));
        CharRange::new(start.0, offset.0.min(self.len_chars))
            .and_then(|r| self.slice(r))
            .unwrap_or("")
    }

    /// Up to `max_chars` chars of text after `offset` (the W3C TextQuoteSelector suffix).
    pub fn suffix(&self, offset: CharOffset, max_chars: usize) -> &str {
        let start = offset.0.min(self.len_chars);
        let end = start.saturating_add(max_chars).min(self.len_chars);
        CharRange::new(start, end)
            .and_then(|r| self.slice(r))
            .unwrap_or("")
    }

    /// The text of `range` with up to `max_chars` chars before and after it (the quote, prefix
    /// and suffix of a W3C TextQuoteSelector), from one char-to-byte lookup for each end; `None`
    /// when the range runs past the end.
    pub fn quote_in_context(
        &self,
        range: CharRange,
        max_chars: usize,
    ) -> Option<(&str, &str, &str)> {
        let bytes = self.byte_range(range)?;
        let s = self.string.as_str();
        let before = &s[..bytes.start];
        let prefix_start = match max_chars {
            0 => before.len(),
            n => before.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i),
        };
        let after = &s[bytes.end..];
        let suffix_end = after
            .char_indices()
            .nth(max_chars)
            .map_or(after.len(), |(i, _)| i);
        Some((
            &s[bytes.clone()],
            &before[prefix_start..],
            &after[..suffix_end],
        ))
    }

    /// Whether `quote`, `prefix` and `suffix` are what [`Self::quote_in_context`] gives for
    /// `range` and `max_chars`, found from one char-to-byte lookup and byte comparisons (a
    /// loaded file's spans are checked this way; the slower call names what differs).
    pub fn has_quote_in_context(
        &self,
        range: CharRange,
        max_chars: usize,
        [quote, prefix, suffix]: [&str; 3],
    ) -> bool {
        let Some(start) = self.byte_of(range.start) else {
            return false;
        };
        let s = self.string.as_bytes();
        let end = start + quote.len();
        // Equal bytes that are whole chars in `quote` are whole chars of the text, so counting
        // the chars of the three strings is enough to know they are the slices sought.
        s.get(start..end) == Some(quote.as_bytes())
            && quote.chars().count() == range.len()
            && s[..start].ends_with(prefix.as_bytes())
            && prefix.chars().count() == max_chars.min(range.start.0)
            && s[end..].starts_with(suffix.as_bytes())
            && suffix.chars().count() == max_chars.min(self.len_chars.saturating_sub(range.end.0))
    }

    /// The number of UTF-16 code units before `offset` (what JavaScript tools count).
    pub fn utf16_of(&self, offset: CharOffset) -> Option<usize> {
        let byte = self.byte_of(offset)?;
        Some(self.string[..byte].encode_utf16().count())
    }
}

fn is_grapheme_boundary_at_byte(s: &str, byte: usize) -> bool {
    // Between two ASCII chars there is always a boundary, except inside "\r\n": every rule
    // that joins chars (extenders, joiners, prepends, spacing marks, regional indicators,
    // Hangul) is about chars outside ASCII.
    if let (Some(&before), Some(&at)) = (
        s.as_bytes().get(byte.wrapping_sub(1)),
        s.as_bytes().get(byte),
    ) && before.is_ascii()
        && at.is_ascii()
    {
        return !(before == b'\r' && at == b'\n');
    }
    let mut cursor = GraphemeCursor::new(byte, s.len(), true);
    match cursor.is_boundary(s, 0) {
        Ok(b) => b,
        // The whole string is one chunk, so more context can never be asked for.
        Err(GraphemeIncomplete::PreContext(_) | GraphemeIncomplete::NextChunk) => false,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn naive_byte_of(s: &str, c: usize) -> Option<usize> {
        if c == s.chars().count() {
            return Some(s.len());
        }
        s.char_indices().nth(c).map(|(b, _)| b)
    }

    #[test]
    fn emoji_offsets_count_scalars() {
        // "👨🏻‍🚒 firemen drive firetrucks": "firetrucks" is 19..29 in scalars (doccano #2290).
        let text = Text::new("👨🏻‍🚒 firemen drive firetrucks".to_string());
        let range = CharRange::new(19, 29).unwrap();
        assert_eq!(text.slice(range), Some("firetrucks"));
        assert_eq!(text.utf16_of(CharOffset(19)), Some(22));
        assert_eq!(text.len_chars(), 29);
    }

    #[test]
    fn crlf_counts_two() {
        let text = Text::new("John loves Mary.\r\nHe said so.".to_string());
        assert_eq!(text.slice(CharRange::new(18, 20).unwrap()), Some("He"));
        // Between \r and \n is not a grapheme boundary.
        assert!(!text.is_grapheme_boundary(CharOffset(17)));
        assert!(text.is_grapheme_boundary(CharOffset(16)));
        assert!(text.is_grapheme_boundary(CharOffset(18)));
    }

    #[test]
    fn combining_marks_and_zwj_are_not_split() {
        // "e" + COMBINING ACUTE, then a ZWJ family.
        let text = Text::new("cafe\u{301} 👩‍🔬 ok".to_string());
        assert!(text.is_grapheme_boundary(CharOffset(3)));
        assert!(!text.is_grapheme_boundary(CharOffset(4)), "inside e+acute");
        assert!(text.is_grapheme_boundary(CharOffset(5)));
        assert!(
            text.is_grapheme_boundary(CharOffset(6)),
            "before the scientist"
        );
        assert!(
            !text.is_grapheme_boundary(CharOffset(7)),
            "after woman, before ZWJ"
        );
        assert!(!text.is_grapheme_boundary(CharOffset(8)), "after ZWJ");
        assert!(
            text.is_grapheme_boundary(CharOffset(9)),
            "after the scientist"
        );
        assert_eq!(text.grapheme_floor(CharOffset(8)), CharOffset(6));
        assert_eq!(text.grapheme_ceil(CharOffset(7)), CharOffset(9));
        assert_eq!(text.grapheme_floor(CharOffset(4)), CharOffset(3));
    }

    #[test]
    fn cjk_slices() {
        let text = Text::new("北京市长说：明天开会。Tokyo 東京".to_string());
        assert_eq!(text.slice(CharRange::new(0, 3).unwrap()), Some("北京市"));
        assert_eq!(text.slice(CharRange::new(17, 19).unwrap()), Some("東京"));
        assert_eq!(text.char_of_byte(3), Some(CharOffset(1)));
        assert_eq!(text.char_of_byte(1), None, "inside a char");
    }

    #[test]
    fn past_the_end_is_none() {
        let text = Text::new("añb".to_string());
        assert_eq!(text.byte_of(CharOffset(3)), Some(4));
        assert_eq!(text.byte_of(CharOffset(4)), None);
        assert_eq!(text.slice(CharRange::new(2, 4).unwrap()), None);
        assert!(!text.is_grapheme_boundary(CharOffset(9)));
        assert_eq!(CharRange::new(3, 2), None);
    }

    #[test]
    fn prefix_and_suffix_clip_at_the_edges() {
        let text = Text::new("Mr Lavrov said".to_string());
        assert_eq!(text.prefix(CharOffset(3), 32), "Mr ");
        assert_eq!(text.suffix(CharOffset(9), 3), " sa");
        assert_eq!(text.suffix(CharOffset(14), 3), "");
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            " ",
            "\r\n",
            "\n",
            "\t",
            "é",
            "e\u{301}",
            "日本",
            "👍",
            "👨🏻‍🚒",
            "👩‍🔬",
            "\u{a0}",
            "مرحبا",
            "🇺🇦",
            "ё",
        ]);
        prop::collection::vec(pieces, 0..200).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn index_matches_naive_conversion(s in text_strategy()) {
            let text = Text::new(s.clone());
            let n = s.chars().count();
            prop_assert_eq!(text.len_chars(), n);
            for c in 0..=n + 1 {
                let expected = naive_byte_of(&s, c);
                prop_assert_eq!(text.byte_of(CharOffset(c)), expected);
                if let Some(b) = expected {
                    prop_assert_eq!(text.char_of_byte(b), Some(CharOffset(c)));
                }
            }
        }

        #[test]
        fn grapheme_boundaries_match_segmentation(s in text_strategy()) {
            let text = Text::new(s.clone());
            let mut boundaries: Vec<usize> = s.grapheme_indices(true)
                .map(|(b, _)| text.char_of_byte(b).unwrap().0)
                .collect();
            boundaries.push(text.len_chars());
            for c in 0..=text.len_chars() {
                prop_assert_eq!(text.is_grapheme_boundary(CharOffset(c)), boundaries.contains(&c));
                let floor = text.grapheme_floor(CharOffset(c)).0;
                let ceil = text.grapheme_ceil(CharOffset(c)).0;
                prop_assert!(boundaries.contains(&floor) && floor <= c);
                prop_assert!(boundaries.contains(&ceil) && ceil >= c);
            }
        }

        #[test]
        fn a_quote_in_context_is_its_slice_prefix_and_suffix(
            s in text_strategy(), a in 0usize..300, b in 0usize..300, max in 0usize..40,
        ) {
            let text = Text::new(s);
            let range = CharRange::between(CharOffset(a), CharOffset(b));
            let expected = text.slice(range).map(|quote| {
                (quote, text.prefix(range.start(), max), text.suffix(range.end(), max))
            });
            prop_assert_eq!(text.quote_in_context(range, max), expected);
        }

        #[test]
        fn a_quote_in_context_is_recognised_exactly(
            s in text_strategy(), a in 0usize..300, b in 0usize..300, max in 0usize..40,
            other in text_strategy(), which in 0usize..4, cut in 0usize..10,
        ) {
            let text = Text::new(s);
            let range = CharRange::between(CharOffset(a), CharOffset(b));
            let Some((q, p, x)) = text.quote_in_context(range, max) else {
                prop_assert!(!text.has_quote_in_context(range, max, ["", "", ""]));
                return Ok(());
            };
            prop_assert!(text.has_quote_in_context(range, max, [q, p, x]));
            // One of the three changed: a char more or fewer, or other text.
            let mut parts = [q.to_string(), p.to_string(), x.to_string()];
            if which < 3 {
                let part = &mut parts[which];
                match cut % 5 {
                    0 => part.push_str(&other),
                    1 => part.insert_str(0, &other),
                    2 => { part.pop(); }
                    3 => { *part = part.chars().skip(1).collect(); }
                    _ => *part = other.clone(),
                }
            }
            let changed = [parts[0].as_str(), parts[1].as_str(), parts[2].as_str()];
            prop_assert_eq!(
                text.has_quote_in_context(range, max, changed),
                changed == [q, p, x]
            );
        }

        #[test]
        fn slices_agree_with_chars(s in text_strategy(), a in 0usize..300, b in 0usize..300) {
            let text = Text::new(s.clone());
            let range = CharRange::between(CharOffset(a), CharOffset(b));
            let expected: Option<String> = (range.end().0 <= text.len_chars())
                .then(|| s.chars().skip(range.start().0).take(range.len()).collect());
            prop_assert_eq!(text.slice(range).map(str::to_string), expected);
        }
    }
}
