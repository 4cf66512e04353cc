//! Finding text in an article: every occurrence of a query, as char ranges on grapheme
//! boundaries (a match that would split a character — "e" inside "e\u{301}" — is not a match).

use crate::model::text::{CharRange, Text};

/// How to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchOptions {
    pub case_sensitive: bool,
    /// Only matches that start and end on word boundaries, by the one word rule of
    /// [`crate::model::words`] ("NATO" in "NATO’s" — yes, the possessive is not part of the
    /// name; "Nato" in "Natoli" — no).
    pub whole_word: bool,
}

/// Every non-overlapping occurrence of `query` in `text`, in order.
pub fn find_all(text: &Text, query: &str, options: SearchOptions) -> Vec<CharRange> {
    if query.is_empty() {
        return Vec::new();
    }
    let haystack = text.as_str();
    let mut out = Vec::new();
    if options.case_sensitive {
        let mut from = 0;
        while let Some(i) = haystack[from..].find(query) {
            let start = from + i;
            let end = start + query.len();
            push_match(text, start, end, options, &mut out);
            from = end;
        }
        return out;
    }
    let folded: Vec<char> = query.chars().map(fold).collect();
    let Some(&first) = folded.first() else {
        return out;
    };
    let mut iter = haystack.char_indices();
    while let Some((start, c)) = iter.next() {
        if fold(c) != first {
            continue;
        }
        let mut rest = haystack[start..].char_indices();
        let mut end = start;
        let mut matched = true;
        for &want in &folded {
            match rest.next() {
                Some((i, c)) if fold(c) == want => end = start + i + c.len_utf8(),
                _ => {
                    matched = false;
                    break;
                }
            }
        }
        if matched && push_match(text, start, end, options, &mut out) {
            // Continue after the match (non-overlapping).
            let skip = haystack[start..end].chars().count() - 1;
            for _ in 0..skip {
                iter.next();
            }
        }
    }
    out
}

/// Simple case folding: a char's lowercase when that is a single char.
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

fn push_match(
    text: &Text,
    start_byte: usize,
    end_byte: usize,
    options: SearchOptions,
    out: &mut Vec<CharRange>,
) -> bool {
    let (Some(start), Some(end)) = (text.char_of_byte(start_byte), text.char_of_byte(end_byte))
    else {
        return false;
    };
    if !text.is_grapheme_boundary(start) || !text.is_grapheme_boundary(end) {
        return false;
    }
    if options.whole_word
        && !(crate::model::words::is_word_boundary(text, start)
            && crate::model::words::is_word_boundary(text, end))
    {
        return false;
    }
    match CharRange::new(start.0, end.0) {
        Some(r) => {
            out.push(r);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(text: &str, query: &str, options: SearchOptions) -> Vec<(usize, usize)> {
        find_all(&Text::new(text.to_string()), query, options)
            .into_iter()
            .map(|r| (r.start().0, r.end().0))
            .collect()
    }

    #[test]
    fn finds_in_scalar_offsets() {
        let o = SearchOptions::default();
        assert_eq!(ranges("👍 NATO and nato", "nato", o), [(2, 6), (11, 15)]);
        let cs = SearchOptions {
            case_sensitive: true,
            ..o
        };
        assert_eq!(ranges("👍 NATO and nato", "nato", cs), [(11, 15)]);
        assert_eq!(ranges("aaaa", "aa", o), [(0, 2), (2, 4)]);
        assert_eq!(ranges("ÉCOLE école", "école", o), [(0, 5), (6, 11)]);
        assert_eq!(ranges("abc", "", o), []);
    }

    #[test]
    fn never_splits_a_character() {
        let o = SearchOptions::default();
        // "e" + combining acute: searching "e" must not match inside it.
        assert_eq!(ranges("cafe\u{301} e", "e", o), [(6, 7)]);
        assert_eq!(ranges("a\r\nb", "\r", o), []);
    }

    #[test]
    fn whole_words() {
        let o = SearchOptions {
            whole_word: true,
            ..Default::default()
        };
        assert_eq!(ranges("Nato Natoli NATO's", "nato", o), [(0, 4), (12, 16)]);
        // The word rule of snapping: a possessive is its own word, a word's middle is not a
        // boundary, and letters without spaces (CJK) are words one by one.
        assert_eq!(ranges("Russia’s allies’ plan", "russia", o), [(0, 6)]);
        assert_eq!(ranges("Russia’s allies’ plan", "’s", o), [(6, 8)]);
        assert_eq!(ranges("Russia’s allies’ plan", "allie", o), []);
        assert_eq!(ranges("NATO-led", "nato", o), [(0, 4)]);
    }
}
