//! Finding many strings in a text at once, at word boundaries, leftmost-longest: the engine of
//! propagation, gazetteers and phrase patterns.
//!
//! A match must start where a word starts and end where a word ends (the word rule of
//! [`crate::model::words`]: `Lavrov` is not found in `Lavrovs`), except that a possessive `'s`
//! may follow (`Lavrov` is found in `Lavrov's`). Among the matches at word boundaries the
//! leftmost wins, then the longest (`New York Times` over `New York`); every entry with exactly
//! that string is reported there (a string with two labels gives two).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::model::words::word_at;
use crate::model::{CharOffset, CharRange, Text};

/// Strings to find, each standing for the entry of the same index.
pub struct Matcher {
    ac: Option<AhoCorasick>,
}

/// A match: where, and the indices of the entries it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub range: CharRange,
    pub entries: Vec<usize>,
}

impl Matcher {
    /// A matcher of `strings` (empty ones never match), ASCII case ignored when `ignore_case`.
    pub fn new<S: AsRef<str>>(strings: &[S], ignore_case: bool) -> Self {
        let patterns: Vec<&str> = strings.iter().map(AsRef::as_ref).collect();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(ignore_case)
            .build(&patterns)
            .ok();
        Self { ac }
    }

    /// The matches in `text`, in order, not overlapping.
    pub fn find(&self, text: &Text) -> Vec<Hit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let s = text.as_str();
        // Every match at word boundaries, as (start byte, end byte, entry).
        let mut all: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(s)
            .filter(|m| m.start() < m.end())
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut out: Vec<Hit> = Vec::new();
        let mut taken_to = 0usize;
        let mut i = 0;
        while i < all.len() {
            let (start, end, _) = all[i];
            let same: Vec<usize> = all[i..]
                .iter()
                .take_while(|m| m.0 == start && m.1 == end)
                .map(|m| m.2)
                .collect();
            i += same.len();
            if start < taken_to {
                continue;
            }
            let (Some(a), Some(b)) = (text.char_of_byte(start), text.char_of_byte(end)) else {
                continue;
            };
            let Some(range) = CharRange::new(a.0, b.0) else {
                continue;
            };
            if !at_word_boundaries(text, range) {
                continue;
            }
            taken_to = end;
            // Longer matches at this start came first; shorter ones here are skipped by
            // `taken_to`.
            out.push(Hit {
                range,
                entries: same,
            });
        }
        out
    }
}

/// Whether `range` starts where a word starts and ends where one ends (or before `'s`).
pub fn at_word_boundaries(text: &Text, range: CharRange) -> bool {
    let start_ok = match word_at(text, range.start()) {
        Some(w) => w.start() == range.start(),
        None => true,
    };
    if !start_ok || range.is_empty() {
        return false;
    }
    let last = CharOffset(range.end().0 - 1);
    match word_at(text, last) {
        Some(w) if w.end() == range.end() => true,
        Some(w) => {
            let rest = CharRange::new(range.end().0, w.end().0).and_then(|r| text.slice(r));
            matches!(rest, Some("'s" | "’s"))
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(strings: &[&str], text: &str, ignore_case: bool) -> Vec<(String, Vec<usize>)> {
        let t = Text::new(text.to_string());
        Matcher::new(strings, ignore_case)
            .find(&t)
            .into_iter()
            .map(|h| (t.slice(h.range).unwrap().to_string(), h.entries))
            .collect()
    }

    #[test]
    fn whole_words_leftmost_longest() {
        let text = "New York Times said New York's mayor, not Newark, met Lavrovs and Lavrov.";
        assert_eq!(
            found(
                &["New York", "New York Times", "Lavrov", "York"],
                text,
                false
            ),
            [
                ("New York Times".to_string(), vec![1]),
                ("New York".to_string(), vec![0]),
                ("Lavrov".to_string(), vec![2]),
            ]
        );
    }

    #[test]
    fn every_entry_of_the_string_is_reported_and_case_is_kept_unless_ignored() {
        assert_eq!(
            found(&["Paris", "Paris", "paris"], "Paris and PARIS.", false),
            [("Paris".to_string(), vec![0, 1])]
        );
        assert_eq!(found(&["paris"], "Paris and PARIS.", true).len(), 2);
        assert!(found(&[""], "anything", false).is_empty());
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        fn words() -> impl Strategy<Value = Vec<&'static str>> {
            prop::collection::vec(
                prop::sample::select(vec![
                    "New", "York", "Yorks", "NATO", "é", "-", "'s", ",", "ab",
                ]),
                0..25,
            )
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Hits are in order, do not overlap, sit at word boundaries and are the strings
            /// of the entries they name.
            #[test]
            fn hits_are_ordered_whole_words_of_their_entries(
                parts in words(),
                spaces in prop::collection::vec(any::<bool>(), 25),
            ) {
                let text: String = parts
                    .iter()
                    .zip(&spaces)
                    .map(|(w, s)| if *s { format!("{w} ") } else { w.to_string() })
                    .collect();
                let t = Text::new(text.clone());
                let strings = ["New York", "New", "York", "NATO", "NATO-é"];
                let hits = Matcher::new(&strings, false).find(&t);
                let mut last = 0;
                for h in &hits {
                    prop_assert!(h.range.start().0 >= last, "{text:?}");
                    last = h.range.end().0;
                    prop_assert!(at_word_boundaries(&t, h.range));
                    let found = t.slice(h.range).unwrap();
                    for &e in &h.entries {
                        prop_assert_eq!(found, strings[e]);
                    }
                }
            }
        }
    }

    #[test]
    fn offsets_are_chars() {
        let t = Text::new("Zürich — Müller".to_string());
        let hits = Matcher::new(&["Müller"], false).find(&t);
        assert_eq!(hits[0].range, CharRange::new(9, 15).unwrap());
    }
}
