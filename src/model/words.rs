//! Words, for snapping selections and moving by word (Unicode word boundaries, UAX #29).
//!
//! A "word" is a word-boundary segment that holds a letter or a digit: in `"Lavrov's NATO-led"`
//! the words are `Lavrov`, `'s`, `NATO` and `led`. Whitespace and punctuation are not words.
//! **Possessives are not part of the name**: a trailing `'s` or `’s` is split off the word
//! (`Russia’s` → `Russia` + `’s`), as spaCy and the Penn Treebank (and the NER corpora built on
//! them, CoNLL-2003, OntoNotes) tokenise; the bare `'`/`’` after a plural `s` (`allies’`) is
//! already a segment of its own. [`pieces`] is that one rule: word snapping, moving by word, the
//! find bar's Word option and the CoNLL tokens all use it.
//! Everything here looks only at a window around the offsets it is given, so it costs the same
//! on a 10 MB article as on a tweet.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::text::{CharOffset, CharRange, Text};

/// Chars of context looked at on each side; longer words are cut at the window's edge.
const WINDOW: usize = 128;

/// The word segments (with their char ranges) of a window around `range`.
fn segments(text: &Text, range: CharRange) -> Vec<(CharRange, bool)> {
    let from = text.grapheme_floor(CharOffset(range.start().0.saturating_sub(WINDOW)));
    let to = text.grapheme_ceil(CharOffset(
        range.end().0.saturating_add(WINDOW).min(text.len_chars()),
    ));
    let Some(window) = CharRange::new(from.0, to.0) else {
        return Vec::new();
    };
    let Some(slice) = text.slice(window) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut pos = from.0;
    for piece in slice.split_word_bounds().flat_map(pieces) {
        let n = piece.chars().count();
        let is_word = piece.chars().any(char::is_alphanumeric);
        if let Some(r) = CharRange::new(pos, pos + n) {
            out.push((r, is_word));
        }
        pos += n;
    }
    out
}

/// A word-boundary segment (UAX #29) as the words it holds: a trailing possessive `'s` / `’s`
/// (either case of `s`) split off a word that has a letter or digit before it, else the segment
/// itself. `"Russia’s"` → `["Russia", "’s"]`; `"it's"` → `["it", "'s"]`.
pub fn pieces(segment: &str) -> impl Iterator<Item = &str> {
    let split = ["'s", "'S", "\u{2019}s", "\u{2019}S"]
        .iter()
        .find_map(|clitic| segment.strip_suffix(clitic))
        .filter(|base| base.chars().any(char::is_alphanumeric))
        .map(|base| base.len());
    let (first, second) = match split {
        Some(at) => (&segment[..at], Some(&segment[at..])),
        None => (segment, None),
    };
    std::iter::once(first).chain(second)
}

/// Whether `at` is not inside a word: the words of [`pieces`] start or end there, or no word
/// crosses it. What the find bar's Word option asks of a match's two ends.
pub fn is_word_boundary(text: &Text, at: CharOffset) -> bool {
    let Some(probe) = CharRange::new(at.0, at.0) else {
        return true;
    };
    segments(text, probe)
        .into_iter()
        .all(|(r, is_word)| !is_word || r.start() >= at || r.end() <= at)
}

/// The word containing the char at `offset`, if that char is part of a word.
pub fn word_at(text: &Text, offset: CharOffset) -> Option<CharRange> {
    let probe = CharRange::new(offset.0, (offset.0 + 1).min(text.len_chars()))?;
    segments(text, probe)
        .into_iter()
        .find(|(r, is_word)| *is_word && r.start() <= offset && offset < r.end())
        .map(|(r, _)| r)
}

/// `range` grown to whole words at both ends and trimmed of surrounding whitespace; `None`
/// when nothing but whitespace is selected. A selection that already ends on word boundaries
/// stays as it is (so "New York" can be selected across a space), and punctuation is only
/// included when the user selected it.
pub fn snap_to_words(text: &Text, range: CharRange) -> Option<CharRange> {
    let range = trim_whitespace(text, range)?;
    let mut start = range.start();
    let mut end = range.end();
    if let Some(word) = word_at(text, start) {
        start = word.start();
    }
    if end.0 > 0
        && let Some(word) = word_at(text, CharOffset(end.0 - 1))
    {
        end = word.end();
    }
    let start = text.grapheme_floor(start);
    let end = text.grapheme_ceil(end);
    CharRange::new(start.0, end.0).filter(|r| !r.is_empty())
}

/// `range` with leading and trailing whitespace removed, then widened to grapheme boundaries;
/// `None` when only whitespace is left.
pub fn trim_whitespace(text: &Text, range: CharRange) -> Option<CharRange> {
    let slice = text.slice(range)?;
    let leading = slice.chars().take_while(|c| c.is_whitespace()).count();
    if leading == range.len() {
        return None;
    }
    let trailing = slice
        .chars()
        .rev()
        .take_while(|c| c.is_whitespace())
        .count();
    let start = text.grapheme_floor(CharOffset(range.start().0 + leading));
    let end = text.grapheme_ceil(CharOffset(range.end().0 - trailing));
    CharRange::new(start.0, end.0).filter(|r| !r.is_empty())
}

/// Where Ctrl+→ goes from `offset`: the end of the next word (skipping what is not a word).
pub fn next_word_end(text: &Text, offset: CharOffset) -> CharOffset {
    let len = text.len_chars();
    let Some(probe) = CharRange::new(offset.0.min(len), (offset.0 + 1).min(len)) else {
        return offset;
    };
    segments(text, probe)
        .into_iter()
        .find(|(r, is_word)| *is_word && r.end() > offset)
        .map(|(r, _)| r.end())
        .unwrap_or(CharOffset(len.min(offset.0 + WINDOW)).max(offset))
}

/// Where Ctrl+← goes from `offset`: the start of the previous word.
pub fn prev_word_start(text: &Text, offset: CharOffset) -> CharOffset {
    let Some(probe) = CharRange::new(offset.0.saturating_sub(1), offset.0) else {
        return offset;
    };
    segments(text, probe)
        .into_iter()
        .rev()
        .find(|(r, is_word)| *is_word && r.start() < offset)
        .map(|(r, _)| r.start())
        .unwrap_or(CharOffset(offset.0.saturating_sub(WINDOW)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Text {
        Text::new(s.to_string())
    }

    fn r(a: usize, b: usize) -> CharRange {
        CharRange::new(a, b).unwrap()
    }

    #[test]
    fn possessives_are_split_off_the_name() {
        fn words(s: &str) -> Vec<&str> {
            s.split_word_bounds().flat_map(pieces).collect()
        }
        assert_eq!(words("Russia’s"), ["Russia", "’s"]);
        assert_eq!(words("NATO's"), ["NATO", "'s"]);
        assert_eq!(words("JOHN'S"), ["JOHN", "'S"]);
        assert_eq!(words("allies’ plans"), ["allies", "’", " ", "plans"]);
        assert_eq!(words("it's"), ["it", "'s"]);
        assert_eq!(words("'s"), ["'", "s"], "UAX #29's own split");
        assert_eq!(words("Lavrov’s."), ["Lavrov", "’s", "."]);
        let text = t("staff at NATO’s office, the allies’ plans");
        // A double-click on any letter of "NATO’s" gives "NATO"; on the "s" of "’s", "’s".
        assert_eq!(word_at(&text, CharOffset(10)), Some(r(9, 13)));
        assert_eq!(word_at(&text, CharOffset(14)), Some(r(13, 15)));
        assert_eq!(word_at(&text, CharOffset(29)), Some(r(28, 34)));
        assert!(is_word_boundary(&text, CharOffset(13)));
        assert!(!is_word_boundary(&text, CharOffset(11)));
        // Dragging over the whole "NATO’s" keeps it: the selection ends on a word's end.
        assert_eq!(snap_to_words(&text, r(9, 15)), Some(r(9, 15)));
        assert_eq!(snap_to_words(&text, r(10, 12)), Some(r(9, 13)));
    }

    #[test]
    fn snapping_grows_to_words_and_trims_space() {
        let text = t("Mr Lavrov's team, NATO-led.");
        // "avr" → "Lavrov" (the possessive is not part of the name)
        assert_eq!(snap_to_words(&text, r(4, 7)), Some(r(3, 9)));
        // " Lavrov" with the space → the word only
        assert_eq!(snap_to_words(&text, r(2, 9)), Some(r(3, 9)));
        // across two words
        assert_eq!(snap_to_words(&text, r(1, 14)), Some(r(0, 16)));
        // punctuation selected on its own stays
        assert_eq!(snap_to_words(&text, r(16, 17)), Some(r(16, 17)));
        // "ATO-l" → "NATO-led"
        assert_eq!(snap_to_words(&text, r(19, 24)), Some(r(18, 26)));
        // "ATO-" → "NATO-": the hyphen was selected
        assert_eq!(snap_to_words(&text, r(19, 23)), Some(r(18, 23)));
        assert_eq!(snap_to_words(&text, r(11, 12)), None, "only a space");
    }

    #[test]
    fn snapping_works_on_cjk_emoji_and_crlf() {
        let text = t("東京都 👩‍🔬 said\r\nMonday");
        let snapped = snap_to_words(&text, r(7, 11)).unwrap();
        assert_eq!(text.slice(snapped), Some("said"));
        // UAX #29 has no dictionary for Han: each ideograph is its own word, so snapping keeps
        // a CJK selection as the user made it.
        let snapped = snap_to_words(&text, r(0, 2)).unwrap();
        assert_eq!(text.slice(snapped), Some("東京"));
        let snapped = snap_to_words(&text, r(10, 16)).unwrap();
        assert_eq!(text.slice(snapped), Some("said\r\nMonday"));
        // A selection that starts inside the ZWJ sequence is widened to whole graphemes.
        let snapped = snap_to_words(&text, r(6, 12)).unwrap();
        assert_eq!(text.slice(snapped), Some("👩\u{200d}🔬 said"));
    }

    #[test]
    fn moving_by_word() {
        let text = t("Lavrov said, on Monday");
        assert_eq!(next_word_end(&text, CharOffset(0)), CharOffset(6));
        assert_eq!(next_word_end(&text, CharOffset(6)), CharOffset(11));
        assert_eq!(next_word_end(&text, CharOffset(11)), CharOffset(15));
        assert_eq!(prev_word_start(&text, CharOffset(22)), CharOffset(16));
        assert_eq!(prev_word_start(&text, CharOffset(16)), CharOffset(13));
        assert_eq!(prev_word_start(&text, CharOffset(3)), CharOffset(0));
        assert_eq!(next_word_end(&text, CharOffset(22)), CharOffset(22));
        assert_eq!(prev_word_start(&text, CharOffset(0)), CharOffset(0));
    }

    #[test]
    fn word_at_finds_words_only() {
        let text = t("a, bc");
        assert_eq!(word_at(&text, CharOffset(0)), Some(r(0, 1)));
        assert_eq!(word_at(&text, CharOffset(1)), None);
        assert_eq!(word_at(&text, CharOffset(4)), Some(r(3, 5)));
        assert_eq!(word_at(&text, CharOffset(5)), None);
    }
}
