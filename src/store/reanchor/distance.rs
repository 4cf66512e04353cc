//! Edit distance, bit-parallel: Myers' algorithm (1999), in blocks of 64 pattern characters
//! for longer patterns, over `char`s (Unicode scalar values).
//!
//! One [`Pattern`] answers three questions about a text:
//! - [`Pattern::distance`]: the Levenshtein distance between the pattern and the whole text
//!   (how like the stored prefix is the text before a candidate?);
//! - [`Pattern::search`]: for every position, the fewest edits that turn the pattern into some
//!   substring of the text ending there, reported when at most `k` (approximate search);
//! - [`Pattern::best_prefix`]: the prefix of a text the pattern is closest to (run on the
//!   reversed pattern and text, it finds where an approximate match starts).
//!
//! Each costs O(text length × ⌈pattern length / 64⌉). A column of the dynamic-programming
//! matrix is kept as two bit vectors of vertical differences (+1 and −1); a text character
//! updates every 64 rows of it with a handful of word operations. Rows below the pattern's
//! last row (padding in the last block) never influence the rows above them: information only
//! flows down (to higher bits), so the last block is read at the pattern's last row.

use std::collections::HashMap;

const WORD: usize = 64;

/// A pattern prepared for bit-parallel matching.
#[derive(Debug, Clone)]
pub struct Pattern {
    len: usize,
    blocks: usize,
    /// `peq[slot * blocks + b]` has bit `i` set when pattern character `64·b + i` is the
    /// character of `slot`.
    peq: Vec<u64>,
    /// Slot + 1 of each ASCII character, 0 when the pattern lacks it.
    ascii: [u32; 128],
    /// Slots of the other characters.
    other: HashMap<char, u32>,
    /// The pattern's last character.
    last: Option<char>,
}

/// The vertical differences of one column of the matrix.
struct Column {
    pv: Vec<u64>,
    mv: Vec<u64>,
}

impl Pattern {
    pub fn new(chars: &[char]) -> Self {
        let len = chars.len();
        let blocks = len.div_ceil(WORD).max(1);
        let mut ascii = [0u32; 128];
        let mut other = HashMap::new();
        let mut slots = 0u32;
        let mut peq: Vec<u64> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            let existing = match ascii.get(c as usize) {
                Some(&s) if c.is_ascii() => (s > 0).then(|| s - 1),
                _ => other.get(&c).copied(),
            };
            let slot = match existing {
                Some(s) => s,
                None => {
                    let s = slots;
                    slots += 1;
                    if c.is_ascii() {
                        if let Some(entry) = ascii.get_mut(c as usize) {
                            *entry = s + 1;
                        }
                    } else {
                        other.insert(c, s);
                    }
                    peq.extend(std::iter::repeat_n(0, blocks));
                    s
                }
            };
            if let Some(word) = peq.get_mut(slot as usize * blocks + i / WORD) {
                *word |= 1u64 << (i % WORD);
            }
        }
        Self {
            len,
            blocks,
            peq,
            ascii,
            other,
            last: chars.last().copied(),
        }
    }

    /// The match bits of `c` for every block (`None`: `c` is not in the pattern).
    fn eq_words(&self, c: char) -> Option<&[u64]> {
        let slot = if c.is_ascii() {
            let s = *self.ascii.get(c as usize)?;
            (s > 0).then(|| s as usize - 1)?
        } else {
            *self.other.get(&c)? as usize
        };
        self.peq.get(slot * self.blocks..(slot + 1) * self.blocks)
    }

    fn column(&self) -> Column {
        Column {
            pv: vec![u64::MAX; self.blocks],
            mv: vec![0; self.blocks],
        }
    }

    /// The bit of the pattern's last row in the last block.
    fn last_bit(&self) -> u64 {
        1u64 << ((self.len.max(1) - 1) % WORD)
    }

    /// Advances `col` by one text character. `top` is the horizontal difference in row 0:
    /// 0 for a search (a match may start anywhere), +1 for a global alignment. Returns the
    /// horizontal difference in the pattern's last row.
    fn step(&self, col: &mut Column, c: char, top: i32) -> i32 {
        let eqs = self.eq_words(c);
        let last = self.blocks - 1;
        let mut hin = top;
        for (b, (pv, mv)) in col.pv.iter_mut().zip(col.mv.iter_mut()).enumerate() {
            let eq = eqs.and_then(|e| e.get(b)).copied().unwrap_or(0);
            let out_bit = if b == last {
                self.last_bit()
            } else {
                1u64 << (WORD - 1)
            };
            hin = advance_block(pv, mv, eq, hin, out_bit);
        }
        hin
    }

    /// The Levenshtein distance between the pattern and all of `text`.
    pub fn distance(&self, text: &[char]) -> usize {
        if self.len == 0 {
            return text.len();
        }
        let mut col = self.column();
        let mut score = self.len as isize;
        for &c in text {
            score += self.step(&mut col, c, 1) as isize;
        }
        score.max(0) as usize
    }

    /// Calls `found(end, errors)` for every `end` (exclusive, in `text`) where some substring
    /// of `text` ending there is at most `k` edits from the pattern, `errors` being the fewest.
    pub fn search(&self, text: &[char], k: usize, mut found: impl FnMut(usize, usize)) {
        if self.len == 0 {
            return;
        }
        let mut col = self.column();
        let mut score = self.len as isize;
        for (j, &c) in text.iter().enumerate() {
            score += self.step(&mut col, c, 0) as isize;
            if score >= 0 && score as usize <= k {
                found(j + 1, score as usize);
            }
        }
    }

    /// The length `n` of the prefix `text[..n]` that is fewest edits from the pattern, and that
    /// number of edits. Among equally close prefixes, one that ends on the pattern's last
    /// character wins (`Moonday` rather than `oonday` for `Monday`), then the one whose length
    /// is nearest the pattern's, then the shorter.
    pub fn best_prefix(&self, text: &[char]) -> (usize, usize) {
        let mut col = self.column();
        let mut score = self.len as isize;
        let rank = |n: usize, errors: isize| {
            let ends_alike = n > 0 && self.last.is_some() && text.get(n - 1).copied() == self.last;
            (errors, !ends_alike, n.abs_diff(self.len), n)
        };
        let mut best = rank(0, score);
        for (j, &c) in text.iter().enumerate() {
            if self.len > 0 {
                score += self.step(&mut col, c, 1) as isize;
            } else {
                score += 1;
            }
            best = best.min(rank(j + 1, score));
        }
        (best.3, best.0.max(0) as usize)
    }
}

/// One block of Myers' column update (his `Advance_Block`): `hin` is the horizontal difference
/// entering the block's top row, the result the one leaving at `out_bit`.
fn advance_block(pv: &mut u64, mv: &mut u64, eq: u64, hin: i32, out_bit: u64) -> i32 {
    let xv = eq | *mv;
    let eq = eq | u64::from(hin < 0);
    let xh = ((eq & *pv).wrapping_add(*pv) ^ *pv) | eq;
    let mut ph = *mv | !(xh | *pv);
    let mut mh = *pv & xh;
    let hout = if ph & out_bit != 0 {
        1
    } else if mh & out_bit != 0 {
        -1
    } else {
        0
    };
    ph <<= 1;
    mh <<= 1;
    if hin < 0 {
        mh |= 1;
    } else if hin > 0 {
        ph |= 1;
    }
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    hout
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn levenshtein(a: &[char], b: &[char]) -> usize {
        Pattern::new(a).distance(b)
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// The textbook dynamic programme: global (`free_start` false) or with the text's start
    /// free (search). Returns the last row.
    fn naive_last_row(p: &[char], t: &[char], free_start: bool) -> Vec<usize> {
        let mut prev: Vec<usize> = (0..=p.len()).collect();
        let mut last = vec![p.len()];
        for (j, &tc) in t.iter().enumerate() {
            let mut cur = vec![if free_start { 0 } else { j + 1 }; p.len() + 1];
            for i in 1..=p.len() {
                let sub = prev[i - 1] + usize::from(p[i - 1] != tc);
                cur[i] = sub.min(prev[i] + 1).min(cur[i - 1] + 1);
            }
            last.push(cur[p.len()]);
            prev = cur;
        }
        last
    }

    #[test]
    fn known_distances() {
        assert_eq!(levenshtein(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(levenshtein(&chars(""), &chars("abc")), 3);
        assert_eq!(levenshtein(&chars("abc"), &chars("")), 3);
        assert_eq!(levenshtein(&chars("Лавров"), &chars("Лавров")), 0);
        assert_eq!(levenshtein(&chars("👍a"), &chars("a")), 1);
    }

    #[test]
    fn search_finds_an_approximate_match_and_its_start() {
        let text = chars("the minister Sergei Lavrow said on Monday");
        let pattern = Pattern::new(&chars("Sergey Lavrov"));
        let mut hits = Vec::new();
        pattern.search(&text, 2, |end, d| hits.push((end, d)));
        // "Sergei Lavrow" ends at 26 with two edits (so does "Sergei Lavro", at 25).
        assert!(hits.contains(&(26, 2)), "{hits:?}");
        assert!(hits.iter().all(|h| h.1 >= 2));
        let best = (26, 2);
        let reversed: Vec<char> = chars("Sergey Lavrov").into_iter().rev().collect();
        let window: Vec<char> = text[..best.0].iter().rev().copied().collect();
        let (n, d) = Pattern::new(&reversed).best_prefix(&window);
        assert_eq!((n, d), (13, 2));
    }

    fn small_text() -> impl Strategy<Value = Vec<char>> {
        prop::collection::vec(
            prop::sample::select(vec!['a', 'b', 'c', 'é', '👍', ' ']),
            0..90,
        )
    }

    proptest! {
        #[test]
        fn distance_matches_the_textbook(p in small_text(), t in small_text()) {
            let naive = *naive_last_row(&p, &t, false).last().unwrap();
            prop_assert_eq!(Pattern::new(&p).distance(&t), naive);
        }

        #[test]
        fn search_matches_the_textbook(p in small_text(), t in small_text(), k in 0usize..8) {
            prop_assume!(!p.is_empty());
            let naive = naive_last_row(&p, &t, true);
            let mut expected = Vec::new();
            for (end, &d) in naive.iter().enumerate().skip(1) {
                if d <= k {
                    expected.push((end, d));
                }
            }
            let mut got = Vec::new();
            Pattern::new(&p).search(&t, k, |end, d| got.push((end, d)));
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn best_prefix_is_the_closest_prefix(p in small_text(), t in small_text()) {
            let (n, d) = Pattern::new(&p).best_prefix(&t);
            let row: Vec<usize> = (0..=t.len())
                .map(|j| *naive_last_row(&p, &t[..j], false).last().unwrap())
                .collect();
            prop_assert_eq!(d, *row.iter().min().unwrap());
            prop_assert_eq!(row[n], d);
        }
    }

    #[test]
    fn long_patterns_span_several_blocks() {
        let p: Vec<char> = "abcdefghij".repeat(20).chars().collect();
        let mut t = p.clone();
        t[70] = 'x';
        t.remove(150);
        t.insert(10, 'y');
        assert_eq!(Pattern::new(&p).distance(&t), 3);
        let mut text: Vec<char> = "zz".chars().collect();
        text.extend(&t);
        text.extend("zz".chars());
        let mut best = usize::MAX;
        Pattern::new(&p).search(&text, 50, |_, d| best = best.min(d));
        assert_eq!(best, 3);
    }
}
