//! The two Unicode segmentations the CoNLL export cuts text with: UAX #29 word boundaries
//! (inside each whitespace-free run, for [`super::tokenize`]) and sentence boundaries (where a
//! sentence may end). Both give exactly what `unicode-segmentation` gives (its
//! `split_word_bounds` and `split_sentence_bound_indices`); they only take a quicker way
//! through the text most articles are made of, where that library looks every character up
//! in its tables.
//!
//! - **Words.** A run made only of ASCII, Latin and Cyrillic letters, digits, CJK ideographs,
//!   kana, ASCII punctuation and a few common marks (`、` `。` `“` `”` `–` `—`) is cut by the word
//!   rules that concern those characters (WB5–WB13b); any other run (emoji, combining marks,
//!   Hebrew, …) is left to the library whole.
//! - **Sentences.** A sentence boundary only ever follows a sentence terminator (`.`, `!`,
//!   `?`, `。`, …) or a paragraph separator (a line break): rules SB4 and SB11. The text is
//!   scanned for those, and the library is run on a window around each: from the last letter
//!   or digit before it to the first letter after it (the commonest window, `word. Next`, is
//!   answered without it). Why the window gives the library's own answer is in
//!   [`sentence_starts`].
//!
//! The tests compare both with the library on varied Unicode text, and check every character
//! that takes the quick way against the library's own classification.

use unicode_segmentation::UnicodeSegmentation;

/// What a character is to the word rules, for the characters the quick way knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WordClass {
    /// ALetter: ASCII, Latin-1 and Latin Extended letters, Cyrillic.
    Letter,
    /// Numeric: ASCII digits.
    Digit,
    /// MidLetter: `:`.
    MidLetter,
    /// MidNumLet and Single_Quote: `.` and `'`.
    MidNumLet,
    /// MidNum: `,` and `;`.
    MidNum,
    /// ExtendNumLet: `_`.
    Connector,
    /// Katakana (and its prolonged sound mark `ー`): a run of them is one word.
    Katakana,
    /// Anything else the quick way knows (other ASCII punctuation and symbols, controls, `"`,
    /// CJK ideographs, hiragana, `、` `。`, curly double quotes, dashes): a segment of its own.
    Other,
}

/// The class of `c`, or `None` when the run it is in is left to the library.
const fn word_class(c: char) -> Option<WordClass> {
    Some(match c {
        'A'..='Z'
        | 'a'..='z'
        | '\u{C0}'..='\u{D6}'
        | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{24F}'
        | '\u{400}'..='\u{481}'
        | '\u{48A}'..='\u{4FF}' => WordClass::Letter,
        '0'..='9' => WordClass::Digit,
        ':' => WordClass::MidLetter,
        '.' | '\'' => WordClass::MidNumLet,
        ',' | ';' => WordClass::MidNum,
        '_' => WordClass::Connector,
        '\u{30A0}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' => WordClass::Katakana,
        '\u{0}'..='\u{7F}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3041}'..='\u{3096}'
        | '\u{3001}'..='\u{3002}'
        | '\u{2013}'..='\u{2014}'
        | '\u{201C}'..='\u{201D}' => WordClass::Other,
        _ => return None,
    })
}

/// The classes of the ASCII characters, looked up by byte: every one has a class.
const ASCII_CLASSES: [WordClass; 128] = {
    let mut classes = [WordClass::Other; 128];
    let mut b = 0;
    while b < 128 {
        classes[b] = match word_class(b as u8 as char) {
            Some(class) => class,
            None => panic!("an ASCII character without a class"),
        };
        b += 1;
    }
    classes
};

/// Whether the word rules keep `prev` and `cur` together, with the character before `prev`
/// and the one after `cur` (WB5–WB13b, for the classes above).
fn joins(
    before: Option<WordClass>,
    prev: WordClass,
    cur: WordClass,
    after: Option<WordClass>,
) -> bool {
    use WordClass::*;
    match (prev, cur) {
        // WB5, WB8, WB9, WB10.
        (Letter | Digit, Letter | Digit) => true,
        // WB13: katakana stay together.
        (Katakana, Katakana) => true,
        // WB13a, WB13b.
        (Letter | Digit | Katakana | Connector, Connector)
        | (Connector, Letter | Digit | Katakana) => true,
        // WB6: a letter, then `:` `.` `'` before a letter.
        (Letter, MidLetter | MidNumLet) => after == Some(Letter),
        // WB12: a digit, then `,` `;` `.` `'` before a digit.
        (Digit, MidNum | MidNumLet) => after == Some(Digit),
        // WB7, WB11: the same, seen from the far side.
        (MidLetter, Letter) => before == Some(Letter),
        (MidNum, Digit) => before == Some(Digit),
        (MidNumLet, Letter) => before == Some(Letter),
        (MidNumLet, Digit) => before == Some(Digit),
        _ => false,
    }
}

/// Calls `segment` with each UAX #29 word segment of `run` (text without whitespace) and the
/// number of characters in it, in order: what `run.split_word_bounds()` gives. `classes` is
/// scratch space.
pub(super) fn word_segments<'r>(
    run: &'r str,
    classes: &mut Vec<(usize, WordClass)>,
    mut segment: impl FnMut(&'r str, usize),
) {
    // ASCII letters and digits only, the most common run: all one word (WB5, WB8-WB10).
    if run.bytes().all(|b| b.is_ascii_alphanumeric()) {
        if !run.is_empty() {
            segment(run, run.len());
        }
        return;
    }
    classes.clear();
    if run.is_ascii() {
        // By byte, without decoding: most runs with punctuation (`said,` `U.S.` `(NATO)`).
        let bytes = run.bytes().enumerate();
        classes.extend(bytes.map(|(at, b)| (at, ASCII_CLASSES[usize::from(b)])));
    } else {
        for (byte, c) in run.char_indices() {
            match word_class(c) {
                Some(class) => classes.push((byte, class)),
                None => {
                    for word in run.split_word_bounds() {
                        segment(word, word.chars().count());
                    }
                    return;
                }
            }
        }
    }
    let class = |i: usize| classes.get(i).map(|&(_, c)| c);
    // The segment so far: its first character's index and byte.
    let (mut first, mut start) = (0, 0);
    for i in 1..classes.len() {
        let before = i.checked_sub(2).and_then(class);
        let (prev, cur) = (classes[i - 1].1, classes[i].1);
        if !joins(before, prev, cur, class(i + 1)) {
            let at = classes[i].0;
            segment(&run[start..at], i - first);
            (first, start) = (i, at);
        }
    }
    if start < run.len() {
        segment(&run[start..], classes.len() - first);
    }
}

/// Whether `c` can never start what ends a sentence: it is not a sentence terminator (STerm,
/// ATerm) nor a paragraph separator (CR, LF, Sep). Conservative: a character it does not
/// know is taken as one that can.
fn never_ends_sentence(c: char) -> bool {
    if c.is_ascii() {
        return !matches!(c, '.' | '!' | '?' | '\n' | '\r');
    }
    // Latin, combining marks, Cyrillic and CJK first: most text, no table to look up.
    matches!(c,
        '\u{A0}'..='\u{24F}' | '\u{300}'..='\u{36F}' | '\u{400}'..='\u{4FF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{200B}'..='\u{200F}' | '\u{2010}'..='\u{2023}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{1F000}'..='\u{1FAFF}' | '\u{E0020}'..='\u{E007F}')
        || c.is_alphanumeric()
}

/// Whether `c` is a letter to the sentence rules (Upper, Lower or OLetter) among those the
/// quick way knows: ASCII, Latin and Cyrillic letters, CJK ideographs.
fn sentence_letter(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}'
        | '\u{400}'..='\u{481}' | '\u{48A}'..='\u{4FF}' | '\u{4E00}'..='\u{9FFF}')
}

/// The char offsets where sentences start by UAX #29: what
/// `text.split_sentence_bound_indices()` gives, as char offsets (`0` first, for any text that
/// is not empty).
///
/// A boundary only follows a terminator or a separator (SB4, SB11), so the library is run only
/// on windows around those, from an *anchor* (the last letter or ASCII digit before the
/// terminator, or the start of the text) to the first letter after it (or the end), letters
/// being those of [`sentence_letter`]. In the library, as in UAX #29, whether a boundary falls
/// before a character depends on the characters before it back to the nearest one that is not
/// a terminator, a closing mark, a space or a separator (SB7's `Upper ATerm × Upper` looks one
/// further), and on those after it up to the nearest letter (SB8). An anchor is a letter or a
/// digit, so what came before it cannot matter inside the window; the window ends on a letter,
/// so nothing after it can; and outside every window, with no terminator or separator since
/// the last letter, no rule can put a boundary. The scan passes over the bytes that cannot
/// begin a terminator or a separator by a table ([`PASSED`]) and looks back for the anchor only
/// from one it finds. The most common window, a letter or digit, a terminator, spaces and a
/// letter, is answered without the library.
pub(super) fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    if text.is_empty() {
        return starts;
    }
    starts.push(0);
    let (mut counted_bytes, mut counted_chars) = (0, 0);
    // No anchor is looked for before this: the start of the text, or the letter the last
    // window ended on.
    let mut floor = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        // Bytes that cannot begin a terminator or a separator are passed over by a table:
        // most of any text. The anchor is looked for only when one is found.
        match bytes[i..].iter().position(|&b| !PASSED[usize::from(b)]) {
            Some(k) => i += k,
            None => break,
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let next = i + c.len_utf8();
        if !c.is_ascii() && (sentence_letter(c) || never_ends_sentence(c)) {
            i = next;
            continue;
        }
        let anchor = text[floor..i]
            .char_indices()
            .rev()
            .find(|&(_, c)| sentence_letter(c) || c.is_ascii_digit())
            .map(|(k, c)| (floor + k, floor + k + c.len_utf8()));
        if matches!(c, '.' | '!' | '?') && anchor.is_some_and(|(_, end)| end == i) {
            // The most common end of a sentence, `word. Next` (or `word. next`, `word! next`):
            // a letter or digit, the terminator, spaces, a letter. What the library makes of
            // that window is known: no boundary when a full stop is followed by a lower-case
            // letter (SB8), else one, before the letter (SB11); SB6 and SB7 need no space
            // after the terminator, SB8a a comma or another terminator after the spaces.
            // Anything else is left to the library below.
            let letter = next + bytes[next..].iter().take_while(|&&b| b == b' ').count();
            let after = text[letter..].chars().next();
            if let Some(l) = after.filter(|&l| letter > next && sentence_letter(l)) {
                if !(c == '.' && l.is_lowercase()) {
                    counted_chars += text[counted_bytes..letter].chars().count();
                    counted_bytes = letter;
                    starts.push(counted_chars);
                }
                floor = letter;
                i = letter + l.len_utf8();
                continue;
            }
        }
        let anchor = anchor.map_or(floor, |(at, _)| at);
        let last_letter = text[next..]
            .char_indices()
            .find(|&(_, c)| sentence_letter(c))
            .map(|(k, c)| (next + k, c.len_utf8()));
        let end = last_letter.map_or(text.len(), |(at, len)| at + len);
        for (at, _) in text[anchor..end].split_sentence_bound_indices().skip(1) {
            let at = anchor + at;
            counted_chars += text[counted_bytes..at].chars().count();
            counted_bytes = at;
            starts.push(counted_chars);
        }
        match last_letter {
            Some((at, _)) => floor = at,
            None => break,
        }
        i = end;
    }
    starts
}

/// The bytes [`sentence_starts`] passes over without decoding: ASCII but the terminators and
/// line breaks, the bytes that continue a character, and the first bytes whose every character
/// is a letter of [`sentence_letter`] or one that [`never_ends_sentence`] (Latin from U+00C0 to
/// U+027F, Cyrillic, CJK from U+5000 to U+9FFF; a test checks every character they begin).
const PASSED: [bool; 256] = {
    let mut passed = [false; 256];
    let mut b = 0;
    while b < 256 {
        passed[b] = !matches!(b as u8, b'.' | b'!' | b'?' | b'\n' | b'\r')
            && matches!(b as u8, 0..0xC0 | 0xC3..=0xC9 | 0xD0..=0xD3 | 0xE5..=0xE9);
        b += 1;
    }
    passed
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The library's word segments.
    fn library_words(run: &str) -> Vec<&str> {
        run.split_word_bounds().collect()
    }

    fn quick_words(run: &str) -> Vec<&str> {
        let mut out = Vec::new();
        word_segments(run, &mut Vec::new(), |s, n| {
            assert_eq!(n, s.chars().count(), "{s:?}");
            out.push(s);
        });
        out
    }

    /// The library's sentence starts, as char offsets.
    fn library_sentences(text: &str) -> Vec<usize> {
        text.split_sentence_bound_indices()
            .map(|(b, _)| text[..b].chars().count())
            .collect()
    }

    /// Pieces of text the word and sentence rules treat differently, and characters beyond
    /// the quick way's.
    const PIECES: &[&str] = &[
        "a",
        "Z",
        "é",
        "Ё",
        "ж",
        "ß",
        "ǅ",
        "7",
        "0",
        ":",
        ".",
        "'",
        ",",
        ";",
        "_",
        "\"",
        "-",
        "!",
        "?",
        "(",
        ")",
        "[",
        "»",
        "«",
        "$",
        "%",
        "/",
        "&",
        "\u{1}",
        "\u{7f}",
        "東",
        "京",
        "\u{301}",
        "\u{200d}",
        "\u{ad}",
        "👍",
        "🏽",
        "🇫",
        "🇷",
        "ש",
        "ー",
        "カ",
        "。",
        "！",
        "\u{2029}",
        "\u{85}",
        "\u{a0}",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\u{b}",
        "’",
        "…",
        "·",
        "\u{37e}",
        "Mr",
        "U.S",
        "3.5",
        "1,000",
        "'s",
        "don't",
        "NATO",
        "e\u{301}",
        "١",
        "𝕏",
        "ﬁ",
        "Ⅻ",
        "ひ",
        "ら",
        "\u{3099}",
        "ヽ",
        "・",
        "、",
        "“",
        "”",
        "—",
        "–",
        "カタカナ",
    ];

    fn varied_text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..30).prop_map(|p| p.concat())
    }

    fn no_whitespace_run() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 1..16).prop_map(|p| {
            p.concat()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn words_are_the_librarys(run in no_whitespace_run()) {
            prop_assert_eq!(quick_words(&run), library_words(&run), "{:?}", run);
        }

        #[test]
        fn sentences_are_the_librarys(text in varied_text()) {
            prop_assert_eq!(sentence_starts(&text), library_sentences(&text), "{:?}", text);
        }
    }

    #[test]
    fn any_text_at_all_segments_as_the_library_does() {
        // Arbitrary characters, not only the chosen pieces.
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(5_000));
        runner
            .run(&".{0,40}", |text| {
                prop_assert_eq!(sentence_starts(&text), library_sentences(&text));
                for run in text.split(char::is_whitespace).filter(|r| !r.is_empty()) {
                    prop_assert_eq!(quick_words(run), library_words(run));
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn every_character_of_the_quick_word_classes_is_the_librarys() {
        // Each character in the contexts where the classes differ: a letter, digit, mid
        // letter/number mark or connector of the wrong class would be cut otherwise there.
        let contexts = [
            "{}",
            "a{}",
            "{}a",
            "1{}",
            "{}1",
            "a{}a",
            "1{}1",
            "{}.a",
            "a.{}",
            "{}:{}",
            "{}'s",
            "{}_",
            "_{}",
            "\"{}\"",
            "{}'",
            "-{}-",
            "{}.{}",
            "{},1",
            "1,{}",
            "{}{}",
            "{}ー",
            "カ{}",
            "{}\u{301}",
            "{}👍",
        ];
        let mut checked = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if word_class(c).is_none() || c.is_whitespace() {
                continue;
            }
            for context in contexts {
                let run = context.replace("{}", &c.to_string());
                assert_eq!(quick_words(&run), library_words(&run), "{c:?} in {run:?}");
            }
            checked += 1;
        }
        assert!(checked > 20_000, "{checked}");
    }

    #[test]
    fn every_character_taken_as_never_ending_a_sentence_never_does() {
        // A terminator before " B" ends a sentence there (SB11), and a separator ends one
        // after itself (SB4): one segment means neither.
        let mut checked = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if !never_ends_sentence(c) {
                continue;
            }
            let text = format!("a{c} B");
            assert_eq!(text.split_sentence_bounds().count(), 1, "{c:?}");
            checked += 1;
        }
        assert!(checked > 100_000, "{checked}");
        for c in ['.', '!', '?', '\n', '\r', '\u{85}', '\u{2029}', '。'] {
            assert!(!never_ends_sentence(c), "{c:?}");
        }
    }

    #[test]
    fn every_sentence_letter_is_a_letter_to_the_library() {
        // After "A. ", an upper-case letter or another script's (OLetter) starts a sentence
        // and the "a" after it does not change that; a lower-case one never does (SB8). A
        // character of any other class (a digit, a mark, a space, a closing quote) is passed
        // over by SB8 to the "a" or "B" after it instead. And after each terminator and a
        // space (the window answered without the library), each is read as the library does.
        let mut checked = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if !sentence_letter(c) {
                continue;
            }
            let upper_or_other = format!("A. {c}a").split_sentence_bounds().count() == 2;
            let lower = format!("A. {c}B").split_sentence_bounds().count() == 1;
            assert!(upper_or_other || lower, "{c:?}");
            for before in ["a", "Z", "7", "ж", "東", "é", "(a)", "\u{301}"] {
                for terminator in [".", "!", "?"] {
                    let text = format!("{before}{terminator} {c}x");
                    assert_eq!(sentence_starts(&text), library_sentences(&text), "{text:?}");
                }
            }
            checked += 1;
        }
        assert!(checked > 20_000, "{checked}");
    }

    #[test]
    fn every_character_a_passed_byte_begins_is_one_that_never_ends_a_sentence() {
        let mut checked = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut utf8 = [0; 4];
            let first = c.encode_utf8(&mut utf8).as_bytes()[0];
            if PASSED[usize::from(first)] {
                assert!(
                    sentence_letter(c) || never_ends_sentence(c),
                    "{c:?} begins with the passed byte {first:#x}"
                );
                checked += 1;
            }
        }
        assert!(checked > 20_000, "{checked}");
        for b in [b'.', b'!', b'?', b'\n', b'\r', 0xC2, 0xE2, 0xE3, 0xEF, 0xF0] {
            assert!(!PASSED[usize::from(b)], "{b:#x}");
        }
    }

    #[test]
    fn sentence_windows_at_the_edges() {
        for text in [
            "",
            ".",
            "a",
            "Hi. So",
            "Hi.  so",
            "a. B",
            "1.  B",
            "x! Y? Z",
            "A. B. C",
            "a. b",
            "a.B",
            "a. 5",
            "a. ",
            "a.  ",
            "a.\u{a0}B",
            "a. \u{201d}B",
            "a.\tB",
            "é. B",
            "é. b",
            "東. b",
            "ж. Б",
            "ж. б",
            "a! b",
            "a? 東",
            "a.  ж",
            "(a). B",
            "U.S. Army",
            "x. 5",
            "end.",
            "?!",
            "\n\n",
            "a\r\nb",
            "「今日は。」明日",
            "Mr. (Lavrov) said. Then",
            "e\u{301}. B",
            "Ok.\u{301} B",
            "3.5. A",
            "done.)\n ok",
            "a.\u{2029}b",
            ".\u{300}. x",
            "Hi!\"  — Yes",
        ] {
            assert_eq!(sentence_starts(text), library_sentences(text), "{text:?}");
        }
    }
}
