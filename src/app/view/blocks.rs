//! The article cut into blocks, the unit the view lays out: one block per line, and lines
//! longer than [`MAX_BLOCK_CHARS`] cut at a space near the limit. Block heights and their tops
//! live in a Fenwick tree; unmeasured blocks have an estimate that is replaced when the block
//! is first laid out. Per frame, nothing here costs more than O(log n) in the article's size.

use crate::model::{CharOffset, CharRange, Text};

/// Longest block, in chars. A 1 MB paragraph with no line break is laid out in pieces.
pub const MAX_BLOCK_CHARS: usize = 2_000;

/// One laid-out unit: a line, or a piece of a long line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Offset of the block's first char in the article.
    pub char_start: usize,
    /// Chars shown (without the line break).
    pub char_len: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

impl Block {
    pub fn range(&self) -> CharRange {
        CharRange::new(self.char_start, self.char_start + self.char_len)
            .unwrap_or_else(|| CharRange::between(CharOffset(0), CharOffset(0)))
    }

    pub fn char_end(&self) -> usize {
        self.char_start + self.char_len
    }
}

/// Splits `text` into blocks. Line breaks (`\n`, `\r\n`, a lone `\r`) end a block and belong to
/// no block; every other char belongs to exactly one block.
pub fn split(text: &Text) -> Vec<Block> {
    let s = text.as_str();
    let mut blocks = Vec::with_capacity(s.len() / 80 + 1);
    let mut char_pos = 0usize;
    let mut byte_pos = 0usize;
    let bytes = s.as_bytes();
    while byte_pos <= s.len() {
        // The end of this line.
        let line_end = s[byte_pos..]
            .find(['\n', '\r'])
            .map_or(s.len(), |i| byte_pos + i);
        let line = &s[byte_pos..line_end];
        push_line(line, byte_pos, char_pos, &mut blocks);
        char_pos += line.chars().count();
        if line_end == s.len() {
            break;
        }
        // Skip the line break: "\r\n" is two chars, "\n" or "\r" one.
        let crlf = bytes.get(line_end) == Some(&b'\r') && bytes.get(line_end + 1) == Some(&b'\n');
        let brk = if crlf { 2 } else { 1 };
        byte_pos = line_end + brk;
        char_pos += brk;
    }
    // Room was made for a block every 80 bytes; an article's paragraphs are longer.
    blocks.shrink_to_fit();
    blocks
}

fn push_line(line: &str, byte_start: usize, char_start: usize, blocks: &mut Vec<Block>) {
    let mut rest = line;
    let mut byte = byte_start;
    let mut ch = char_start;
    loop {
        let (piece_bytes, piece_chars) = piece(rest);
        blocks.push(Block {
            char_start: ch,
            char_len: piece_chars,
            byte_start: byte,
            byte_end: byte + piece_bytes,
        });
        byte += piece_bytes;
        ch += piece_chars;
        rest = &rest[piece_bytes..];
        if rest.is_empty() {
            break;
        }
    }
}

/// The first piece of a line: all of it when short, else up to a space near the limit (or, in
/// text without spaces, a grapheme boundary at the limit). Returns (bytes, chars).
fn piece(line: &str) -> (usize, usize) {
    let mut chars = 0;
    let mut limit_byte = line.len();
    for (i, _) in line.char_indices() {
        if chars == MAX_BLOCK_CHARS {
            limit_byte = i;
            break;
        }
        chars += 1;
    }
    if limit_byte == line.len() {
        return (line.len(), chars);
    }
    let head = &line[..limit_byte];
    // Prefer to cut after a space in the last quarter of the piece.
    let floor = head
        .char_indices()
        .nth(MAX_BLOCK_CHARS * 3 / 4)
        .map_or(0, |(b, _)| b);
    let cut = match head[floor..].rfind(char::is_whitespace) {
        Some(i) => {
            let at = floor + i;
            at + head[at..].chars().next().map_or(1, char::len_utf8)
        }
        None => grapheme_floor_in(line, limit_byte),
    };
    let cut = if cut == 0 { limit_byte } else { cut };
    (cut, line[..cut].chars().count())
}

fn grapheme_floor_in(s: &str, byte: usize) -> usize {
    use unicode_segmentation::GraphemeCursor;
    let mut cursor = GraphemeCursor::new(byte, s.len(), true);
    match cursor.is_boundary(s, 0) {
        Ok(true) => byte,
        _ => cursor.prev_boundary(s, 0).ok().flatten().unwrap_or(byte),
    }
}

/// Heights of the blocks, with estimates for blocks never laid out, and their tops. The tops
/// are prefix sums kept in a Fenwick tree: measuring a block, finding a block's top and finding
/// the block at a height each take O(log n), so a frame that measures the blocks it brings into
/// view costs the same in a 10 KB article as in a 10 MB one. (A table of all the tops had to be
/// summed again after every measurement: 0.1–0.2 ms a frame at 10 MB.)
#[derive(Debug, Clone, Default)]
pub struct Heights {
    heights: Vec<f32>,
    measured: Vec<bool>,
    /// `tree[i]` (from 1) holds the sum of the heights of blocks `i - lowbit(i) .. i`. Sums are
    /// kept in f64, so that tops far down a long article stay exact to the pixel.
    tree: Vec<f64>,
}

impl Heights {
    /// Every block at its estimated height.
    pub fn estimated(blocks: &[Block], estimate: impl Fn(&Block) -> f32) -> Self {
        let heights: Vec<f32> = blocks.iter().map(estimate).collect();
        // Built in linear time: each node passes its sum on to its parent.
        let n = heights.len();
        let mut tree = vec![0.0f64; n + 1];
        for i in 1..=n {
            tree[i] += f64::from(heights[i - 1]);
            let parent = i + lowbit(i);
            if parent <= n {
                tree[parent] += tree[i];
            }
        }
        Self {
            measured: vec![false; n],
            heights,
            tree,
        }
    }

    pub fn is_measured(&self, i: usize) -> bool {
        self.measured.get(i).copied().unwrap_or(true)
    }

    /// Records a block's real height. Returns how much it changed.
    pub fn measure(&mut self, i: usize, height: f32) -> f32 {
        let Some(h) = self.heights.get_mut(i) else {
            return 0.0;
        };
        let delta = height - *h;
        if let Some(m) = self.measured.get_mut(i) {
            *m = true;
        }
        if delta != 0.0 {
            let change = f64::from(height) - f64::from(*h);
            *h = height;
            let mut node = i + 1;
            while node < self.tree.len() {
                self.tree[node] += change;
                node += lowbit(node);
            }
        }
        delta
    }

    /// The sum of the heights of the first `i` blocks.
    fn sum(&self, i: usize) -> f64 {
        let mut node = i.min(self.heights.len());
        let mut sum = 0.0;
        while node > 0 {
            sum += self.tree[node];
            node -= lowbit(node);
        }
        sum
    }

    /// The top of block `i` (the total height past the last block).
    pub fn top(&self, i: usize) -> f32 {
        self.sum(i) as f32
    }

    pub fn total(&self) -> f32 {
        self.sum(self.heights.len()) as f32
    }

    /// The block at height `y`: the last block whose top is at or above it (clamped to the
    /// first and last block).
    pub fn block_at(&self, y: f32) -> usize {
        let n = self.heights.len();
        if n == 0 {
            return 0;
        }
        // Down the tree: the most blocks whose heights add up to no more than `y`.
        let mut left = f64::from(y);
        let mut count = 0;
        let mut step = 1 << n.ilog2();
        while step > 0 {
            let next = count + step;
            if next <= n && self.tree[next] <= left {
                count = next;
                left -= self.tree[next];
            }
            step >>= 1;
        }
        count.min(n - 1)
    }
}

/// The lowest set bit of `i`: how many blocks Fenwick node `i` sums.
fn lowbit(i: usize) -> usize {
    i & i.wrapping_neg()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans_of(text: &str) -> Vec<(usize, usize, String)> {
        let t = Text::new(text.to_string());
        split(&t)
            .into_iter()
            .map(|b| {
                (
                    b.char_start,
                    b.char_len,
                    text[b.byte_start..b.byte_end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn lines_become_blocks_and_line_breaks_belong_to_none() {
        assert_eq!(
            spans_of("ab\r\n\r\ncd👍\ne\rf"),
            [
                (0, 2, "ab".to_string()),
                (4, 0, String::new()),
                (6, 3, "cd👍".to_string()),
                (10, 1, "e".to_string()),
                (12, 1, "f".to_string()),
            ]
        );
        assert_eq!(spans_of(""), [(0, 0, String::new())]);
        assert_eq!(
            spans_of("a\n"),
            [(0, 1, "a".to_string()), (2, 0, String::new())]
        );
    }

    #[test]
    fn long_lines_are_cut_at_spaces_without_losing_a_char() {
        let word = "lorem ipsum dolor sit amet ";
        let line = word.repeat(MAX_BLOCK_CHARS / word.len() * 5);
        let text = format!("{line}\nnext");
        let t = Text::new(text.clone());
        let blocks = split(&t);
        assert!(blocks.len() > 5);
        let mut expected_start = 0;
        let mut rebuilt = String::new();
        for b in &blocks {
            assert!(b.char_len <= MAX_BLOCK_CHARS);
            assert_eq!(b.char_start, expected_start);
            rebuilt.push_str(&text[b.byte_start..b.byte_end]);
            expected_start = b.char_end();
            if text[b.byte_end..].starts_with('\n') {
                expected_start += 1;
                rebuilt.push('\n');
            }
        }
        assert_eq!(rebuilt, text);
        // Cut after a space, except the line's last piece.
        assert!(text[..blocks[0].byte_end].ends_with(' '));
    }

    #[test]
    fn lines_without_spaces_are_cut_on_grapheme_boundaries() {
        let line = "👩‍🔬".repeat(MAX_BLOCK_CHARS);
        let t = Text::new(line.clone());
        let blocks = split(&t);
        for b in &blocks {
            assert!(t.is_grapheme_boundary(CharOffset(b.char_start)));
            assert!(b.char_len > 0);
        }
        assert_eq!(blocks.last().unwrap().char_end(), t.len_chars());
    }

    #[test]
    fn heights_and_tops() {
        let t = Text::new("a\nb\nc".to_string());
        let blocks = split(&t);
        let mut h = Heights::estimated(&blocks, |_| 10.0);
        assert_eq!(h.total(), 30.0);
        assert_eq!(h.block_at(15.0), 1);
        assert_eq!(h.block_at(-5.0), 0);
        assert_eq!(h.block_at(999.0), 2);
        assert_eq!(h.measure(1, 25.0), 15.0);
        assert_eq!(h.top(2), 35.0);
        assert_eq!(h.total(), 45.0);
        assert!(h.is_measured(1) && !h.is_measured(0));
    }

    proptest::proptest! {
        /// The tree gives the tops and the block at a height that a table of sums gives.
        #[test]
        fn tops_and_blocks_agree_with_sums(
            estimates in proptest::collection::vec(0u8..40, 1..300),
            measures in proptest::collection::vec((0usize..300, 0u8..60), 0..60),
            probes in proptest::collection::vec(-20.0f32..13_000.0, 1..40),
        ) {
            let t = Text::new("x\n".repeat(estimates.len()).trim_end().to_string());
            let blocks = split(&t);
            proptest::prop_assert_eq!(blocks.len(), estimates.len());
            let mut heights: Vec<f32> = estimates.iter().map(|&e| f32::from(e)).collect();
            let mut h = Heights::estimated(&blocks, |b| heights[b.char_start / 2]);
            for (i, height) in measures {
                let i = i % heights.len();
                h.measure(i, f32::from(height));
                heights[i] = f32::from(height);
            }
            let tops: Vec<f32> = std::iter::once(0.0)
                .chain(heights.iter().scan(0.0, |y, &x| { *y += x; Some(*y) }))
                .collect();
            for (i, &top) in tops.iter().enumerate() {
                proptest::prop_assert_eq!(h.top(i), top);
            }
            proptest::prop_assert_eq!(h.total(), *tops.last().unwrap());
            let n = heights.len();
            for y in probes.into_iter().chain(tops.iter().copied()) {
                let want = tops[..n].partition_point(|t| *t <= y).saturating_sub(1).min(n - 1);
                proptest::prop_assert_eq!(h.block_at(y), want, "at {}", y);
            }
        }
    }
}
