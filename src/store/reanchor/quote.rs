//! Finding one quote in a changed text, the way W3C `TextQuoteSelector` anchoring works in the
//! Hypothesis annotator, with one stage of our own between its two.
//!
//! All matching happens on texts whose line endings are folded (`\r\n` and a lone `\r` count
//! as one `\n`), so converting an article between CRLF and LF moves spans, but never makes them
//! fuzzy. Positions here are indices into the folded text; [`Haystack`] maps them back.
//!
//! 1. **Exact**: every occurrence of the quote (on grapheme boundaries) is scored, and the best
//!    wins. Score, as Hypothesis: `(50·quote + 20·prefix + 20·suffix + 2·position) / 92`, each a
//!    similarity `1 − edits/length`; position is `1 − |start − expected| / text length`, a
//!    tie-breaker (scores within 0.01 are a tie, which goes to the occurrence nearest the
//!    expected position). With several occurrences of a repeated phrase, the context decides.
//!    Unlike Hypothesis, an occurrence is not taken on the quote alone: a short quote (under
//!    [`LONG_QUOTE`] characters) must also have its context — prefix and suffix similarity,
//!    weighted by their lengths, ≥ [`MIN_CONTEXT`], or one side of at least 8 characters 90%
//!    intact — or be where the span was expected (within [`NEAR`] characters plus its length)
//!    with some context left (≥ [`NEAR_MIN_CONTEXT`]). Otherwise a deleted "NATO" would jump
//!    onto another "NATO" in another sentence: highlighting the wrong text is worse than
//!    reporting a span as lost. An occurrence that is neither in its whole context nor (in
//!    90% of it) where expected is weighed against the best approximate match near the
//!    expected position: when that one has more evidence (`(50·quote + 20·prefix +
//!    20·suffix) / 90`, plus 0.15 for being where expected), it wins — the annotated copy of
//!    a repeated sentence was edited, the other copy was not.
//! 2. **Context**: the prefix and the suffix found intact with up to twice the quote's length
//!    between them: that stretch is the span, edited inside (quote similarity ≥ 0.5).
//! 3. **Fuzzy**: approximate search (Myers, [`super::distance`]) for the quote with at most
//!    `min(256, length / 2)` edits, near the expected position first, then everywhere. A
//!    candidate is taken only when `(50·quote + 20·prefix + 20·suffix) / 90` ≥
//!    [`MIN_FUZZY_EVIDENCE`], and, for a short quote, its context is half intact or it is
//!    near where it was expected. When a short quote occurs exactly elsewhere (stage 1 refused
//!    those occurrences), an approximate match must have its context as stage 1 demands.
//!
//! Nothing found: the span is orphaned, and the caller says why ([`Lost`]).

use crate::model::{CharOffset, Text};

use super::distance::Pattern;
use crate::store::native::CONTEXT_CHARS;

/// A quote at least this long is taken wherever it occurs exactly.
pub const LONG_QUOTE: usize = 32;
/// Context similarity (prefix and suffix together) an exact occurrence elsewhere needs.
pub const MIN_CONTEXT: f64 = 0.6;
/// How far (in characters, plus the quote's length) from the expected position an exact
/// occurrence may be and still be taken without its context.
pub const NEAR: usize = 64;
/// Context similarity an exact occurrence near the expected position needs.
pub const NEAR_MIN_CONTEXT: f64 = 0.4;
/// What a context or fuzzy match needs: `(50·quote + 20·prefix + 20·suffix) / 90`.
pub const MIN_FUZZY_EVIDENCE: f64 = 0.65;
/// Fewest characters of context that are searched for on their own (stage 2).
const MIN_CONTEXT_ANCHOR: usize = 8;
/// Most occurrences (nearest the expected position first) scored in one stage.
const MAX_CANDIDATES: usize = 256;
/// Most approximate-match candidates scored.
const MAX_FUZZY_CANDIDATES: usize = 64;
/// Characters each side of the expected position searched before the whole text (stage 3).
const LOCAL_WINDOW: usize = 4096;

/// Folds line endings: `\r\n` and a lone `\r` become `\n`. Returns the folded text and, when
/// anything was folded, the original char offset of each folded char (plus one for the end).
fn fold(s: &str) -> (String, Option<Vec<usize>>) {
    if !s.contains('\r') {
        return (s.to_string(), None);
    }
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    let mut chars = s.chars().enumerate().peekable();
    let mut len = 0;
    while let Some((i, c)) = chars.next() {
        len = i + 1;
        map.push(i);
        if c == '\r' {
            if chars.peek().is_some_and(|&(_, n)| n == '\n') {
                chars.next();
                len = i + 2;
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    map.push(len);
    (out, Some(map))
}

/// Folds line endings of a short string (a quote or its context).
pub fn fold_str(s: &str) -> String {
    fold(s).0
}

/// The text being searched: the original and its folded form.
pub struct Haystack<'a> {
    pub original: &'a Text,
    /// The folded text, indexed for byte → char conversion (exact search works on bytes).
    folded: Text,
    chars: Vec<char>,
    /// Original char offset of each folded char and of the end; `None`: nothing was folded.
    map: Option<Vec<usize>>,
}

impl<'a> Haystack<'a> {
    pub fn new(original: &'a Text) -> Self {
        let (folded, map) = fold(original.as_str());
        let chars = folded.chars().collect();
        Self {
            original,
            folded: Text::new(folded),
            chars,
            map,
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// The original offset of a folded position.
    pub fn to_original(&self, folded: usize) -> usize {
        match &self.map {
            None => folded,
            Some(map) => map
                .get(folded)
                .copied()
                .unwrap_or(self.original.len_chars()),
        }
    }

    /// The folded position of an original offset (the folded char that covers it).
    pub fn to_folded(&self, original: usize) -> usize {
        match &self.map {
            None => original.min(self.chars.len()),
            Some(map) => map.partition_point(|&o| o < original).min(self.chars.len()),
        }
    }

    /// Whether a folded position is a grapheme boundary of the original text.
    fn is_boundary(&self, folded: usize) -> bool {
        self.original
            .is_grapheme_boundary(CharOffset(self.to_original(folded)))
    }

    /// Folded start positions of every occurrence of `needle` (overlapping ones included).
    fn find_all(&self, needle: &str) -> Vec<usize> {
        let hay = self.folded.as_str();
        let mut out = Vec::new();
        if needle.is_empty() {
            return out;
        }
        let step = needle.chars().next().map_or(1, char::len_utf8);
        let mut from = 0;
        while let Some(i) = hay.get(from..).and_then(|rest| rest.find(needle)) {
            let byte = from + i;
            if let Some(c) = self.folded.char_of_byte(byte) {
                out.push(c.0);
            }
            from = byte + step;
        }
        out
    }

    fn slice(&self, start: usize, end: usize) -> &[char] {
        let end = end.min(self.chars.len());
        self.chars.get(start.min(end)..end).unwrap_or(&[])
    }
}

/// What is being looked for: a quote with the context it had (folded line endings).
pub struct Selector {
    quote: Vec<char>,
    quote_str: String,
    prefix: Vec<char>,
    prefix_str: String,
    suffix: Vec<char>,
    suffix_str: String,
    /// The prefix reaches the start of the text it was taken from (it is shorter than the
    /// context length), so the span was that close to the start.
    starts_text: bool,
    /// The suffix reaches the end of the text it was taken from.
    ends_text: bool,
    quote_pattern: Pattern,
    prefix_pattern: Pattern,
    suffix_pattern: Pattern,
}

impl Selector {
    /// `starts_text`/`ends_text`: whether the prefix/suffix run to the edge of their text.
    pub fn new(
        quote: &str,
        prefix: &str,
        suffix: &str,
        starts_text: bool,
        ends_text: bool,
    ) -> Self {
        let quote_str = fold_str(quote);
        let prefix_str = fold_str(prefix);
        let suffix_str = fold_str(suffix);
        let quote: Vec<char> = quote_str.chars().collect();
        let prefix: Vec<char> = prefix_str.chars().collect();
        let suffix: Vec<char> = suffix_str.chars().collect();
        Self {
            quote_pattern: Pattern::new(&quote),
            prefix_pattern: Pattern::new(&prefix),
            suffix_pattern: Pattern::new(&suffix),
            quote,
            quote_str,
            prefix,
            prefix_str,
            suffix,
            suffix_str,
            starts_text,
            ends_text,
        }
    }

    /// Edits between the quote and `text`.
    pub fn quote_edits(&self, text: &[char]) -> usize {
        self.quote_pattern.distance(text)
    }
}

/// How a quote was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    /// The quote itself, exactly (line endings aside).
    Exact,
    /// Between its intact prefix and suffix, edited inside.
    Context,
    /// An approximate match.
    Fuzzy,
}

/// Where a quote was found, in folded positions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub how: How,
    pub score: f64,
}

/// Why a quote was not found.
#[derive(Debug, Clone, PartialEq)]
pub enum Lost {
    /// No occurrence, no intact context, no approximate match within the bound.
    NotFound,
    /// The quote occurs, but only in other contexts, away from where it was.
    OnlyElsewhere { occurrences: usize },
    /// The closest approximate match is too different (its evidence, 0..1).
    TooDifferent { evidence: f64 },
}

impl std::fmt::Display for Lost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lost::NotFound => f.write_str("not found in the new text"),
            Lost::OnlyElsewhere { occurrences } => write!(
                f,
                "its text occurs {occurrences} time{} in the new text, but only in other contexts",
                if *occurrences == 1 { "" } else { "s" }
            ),
            Lost::TooDifferent { evidence } => write!(
                f,
                "the closest match is too different ({:.0}% alike with its context)",
                evidence * 100.0
            ),
        }
    }
}

/// A scored candidate.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: usize,
    end: usize,
    quote: f64,
    prefix: f64,
    suffix: f64,
    /// Prefix and suffix similarity, weighted by their stored lengths.
    context: f64,
    /// The prefix or the suffix (at least 8 characters) is at least 90% intact.
    one_side_intact: bool,
    position: f64,
}

impl Candidate {
    fn score(&self) -> f64 {
        (50.0 * self.quote + 20.0 * self.prefix + 20.0 * self.suffix + 2.0 * self.position) / 92.0
    }

    /// The evidence without the position.
    fn evidence(&self) -> f64 {
        (50.0 * self.quote + 20.0 * self.prefix + 20.0 * self.suffix) / 90.0
    }

    fn found(&self, how: How) -> Found {
        // An approximate match with no edits is an exact one.
        let how = if self.quote >= 1.0 { How::Exact } else { how };
        Found {
            start: self.start,
            end: self.end,
            how,
            score: self.score(),
        }
    }

    /// Whether the context vouches for an exact occurrence of a short quote.
    fn vouched(&self) -> bool {
        self.context >= MIN_CONTEXT || self.one_side_intact
    }
}

/// Scores this close count as a tie, settled by the distance from the expected position (with
/// Hypothesis' weights the position alone could never separate two occurrences of a phrase
/// whose contexts are equally changed).
const TIE: f64 = 0.01;

/// The best candidate: highest score, where near-ties go to the one nearest the expected
/// position, then the earliest.
fn best(candidates: &[Candidate], expected: usize) -> Option<Candidate> {
    let top = candidates.iter().map(Candidate::score).reduce(f64::max)?;
    candidates
        .iter()
        .filter(|c| c.score() >= top - TIE)
        .min_by_key(|c| (c.start.abs_diff(expected), c.start))
        .copied()
}

/// Keeps the `max` positions nearest `expected` (in their original order).
fn nearest(mut positions: Vec<usize>, expected: usize, max: usize) -> Vec<usize> {
    if positions.len() > max {
        positions.sort_by_key(|&p| (p.abs_diff(expected), p));
        positions.truncate(max);
        positions.sort_unstable();
    }
    positions
}

/// Finds `sel` in `hay`, expecting it to start near the folded position `expected`.
pub fn anchor(hay: &Haystack<'_>, sel: &Selector, expected: usize) -> Result<Found, Lost> {
    let m = sel.quote.len();
    if m == 0 {
        return Err(Lost::NotFound);
    }
    let expected = expected.min(hay.len());
    let scorer = Scorer {
        hay,
        sel,
        expected,
        elsewhere: false,
    };
    // The common case: the quote and its whole context exactly where expected.
    if hay.slice(expected, expected + m) == sel.quote.as_slice()
        && scorer.context_is_exact(expected, expected + m)
        && hay.is_boundary(expected)
        && hay.is_boundary(expected + m)
    {
        return Ok(Found {
            start: expected,
            end: expected + m,
            how: How::Exact,
            score: 1.0,
        });
    }
    let elsewhere = match exact_stage(&scorer) {
        Ok(exact) => {
            if scorer.strong(&exact) {
                return Ok(exact.found(How::Exact));
            }
            // Neither where expected nor in its whole context: an approximate match near the
            // expected position that fits better wins (a boilerplate sentence repeated
            // elsewhere, while the annotated copy was edited).
            if let Some(local) = local_fuzzy(&scorer)
                && local.start != exact.start
                && scorer.acceptable(&local)
                && local.evidence() + scorer.bonus(&local) > exact.evidence() + scorer.bonus(&exact)
            {
                return Ok(local.found(How::Fuzzy));
            }
            return Ok(exact.found(How::Exact));
        }
        Err(elsewhere @ Lost::OnlyElsewhere { .. }) => Some(elsewhere),
        Err(_) => None,
    };
    // The quote occurs, but not in its context: an approximate match must then have its
    // context to be taken.
    let scorer = Scorer {
        elsewhere: elsewhere.is_some(),
        ..scorer
    };
    if let Some(found) = context_stage(&scorer) {
        return Ok(found);
    }
    match (fuzzy_stage(&scorer), elsewhere) {
        (Ok(found), _) => Ok(found),
        (Err(_), Some(elsewhere)) => Err(elsewhere),
        (Err(lost), None) => Err(lost),
    }
}

struct Scorer<'h, 'a> {
    hay: &'h Haystack<'a>,
    sel: &'h Selector,
    expected: usize,
    /// The quote occurs exactly, but only in other contexts (stage 1 refused them).
    elsewhere: bool,
}

impl Scorer<'_, '_> {
    fn context_is_exact(&self, start: usize, end: usize) -> bool {
        let (hay, sel) = (self.hay, self.sel);
        let before = hay.slice(start.saturating_sub(sel.prefix.len()), start);
        let after = hay.slice(end, end + sel.suffix.len());
        before == sel.prefix.as_slice()
            && after == sel.suffix.as_slice()
            && (!sel.starts_text || start == sel.prefix.len())
            && (!sel.ends_text || end + sel.suffix.len() == hay.len())
    }

    /// Similarities of the text around `start..end` to the stored prefix and suffix.
    fn context(&self, start: usize, end: usize) -> (f64, f64) {
        let (hay, sel) = (self.hay, self.sel);
        let (lp, ls) = (self.side_len(true), self.side_len(false));
        let before = hay.slice(start.saturating_sub(lp), start);
        let after = hay.slice(end, end + ls);
        let side = |pattern: &Pattern, stored: &[char], window: &[char], len: usize| {
            if window == stored || len == 0 {
                1.0
            } else {
                1.0 - pattern.distance(window).min(len) as f64 / len as f64
            }
        };
        (
            side(&sel.prefix_pattern, &sel.prefix, before, lp),
            side(&sel.suffix_pattern, &sel.suffix, after, ls),
        )
    }

    /// How many characters of context a side is compared over: its stored length, or the
    /// full context length when it reaches the edge of the text (then "the start of the text"
    /// is part of the context, and text before a candidate counts against it).
    fn side_len(&self, prefix: bool) -> usize {
        let (len, edge) = if prefix {
            (self.sel.prefix.len(), self.sel.starts_text)
        } else {
            (self.sel.suffix.len(), self.sel.ends_text)
        };
        if edge { len.max(CONTEXT_CHARS) } else { len }
    }

    fn candidate(&self, start: usize, end: usize, quote: f64) -> Candidate {
        let (prefix, suffix) = self.context(start, end);
        let len = self.hay.len().max(1) as f64;
        let (lp, ls) = (self.side_len(true), self.side_len(false));
        let context = if lp + ls == 0 {
            1.0
        } else {
            (lp as f64 * prefix + ls as f64 * suffix) / (lp + ls) as f64
        };
        let intact = |sim: f64, len: usize| sim >= 0.9 && len >= MIN_CONTEXT_ANCHOR;
        Candidate {
            start,
            end,
            quote,
            prefix,
            suffix,
            context,
            one_side_intact: intact(prefix, lp) || intact(suffix, ls),
            position: 1.0 - start.abs_diff(self.expected) as f64 / len,
        }
    }

    fn near_expected(&self, start: usize) -> bool {
        start.abs_diff(self.expected) <= NEAR + self.sel.quote.len()
    }

    /// An exact occurrence settled without looking further: its whole context intact, or
    /// nearly so and where it was expected.
    fn strong(&self, c: &Candidate) -> bool {
        c.context >= 0.999 || (c.context >= 0.9 && self.near_expected(c.start))
    }

    /// What being where the span was expected adds when an exact occurrence is weighed
    /// against an approximate match.
    fn bonus(&self, c: &Candidate) -> f64 {
        if self.near_expected(c.start) {
            0.15
        } else {
            0.0
        }
    }

    /// Whether a context or fuzzy candidate is good enough (see the module docs).
    fn acceptable(&self, c: &Candidate) -> bool {
        if self.elsewhere {
            return c.evidence() >= MIN_FUZZY_EVIDENCE && c.vouched();
        }
        c.evidence() >= MIN_FUZZY_EVIDENCE
            && (self.sel.quote.len() >= LONG_QUOTE
                || c.context >= 0.5
                || c.one_side_intact
                || (self.near_expected(c.start) && c.context >= NEAR_MIN_CONTEXT))
    }

    fn boundaries(&self, start: usize, end: usize) -> bool {
        self.hay.is_boundary(start) && self.hay.is_boundary(end)
    }
}

fn exact_stage(s: &Scorer<'_, '_>) -> Result<Candidate, Lost> {
    let m = s.sel.quote.len();
    let occurrences: Vec<usize> = s
        .hay
        .find_all(&s.sel.quote_str)
        .into_iter()
        .filter(|&start| s.boundaries(start, start + m))
        .collect();
    if occurrences.is_empty() {
        return Err(Lost::NotFound);
    }
    let total = occurrences.len();
    let candidates: Vec<Candidate> = nearest(occurrences, s.expected, MAX_CANDIDATES)
        .into_iter()
        .map(|start| s.candidate(start, start + m, 1.0))
        .collect();
    let Some(best) = best(&candidates, s.expected) else {
        return Err(Lost::NotFound);
    };
    let no_context = s.sel.prefix.is_empty() && s.sel.suffix.is_empty();
    if m >= LONG_QUOTE || no_context || best.vouched() {
        return Ok(best);
    }
    // With its context much changed, the occurrence where the span was expected may still be
    // it, when some of the context is left.
    if let Some(near) = candidates
        .iter()
        .filter(|c| s.near_expected(c.start) && c.context >= NEAR_MIN_CONTEXT)
        .min_by_key(|c| c.start.abs_diff(s.expected))
    {
        return Ok(*near);
    }
    Err(Lost::OnlyElsewhere { occurrences: total })
}

/// Ends of where the prefix occurs (candidate starts of the span).
fn left_anchors(s: &Scorer<'_, '_>) -> Vec<usize> {
    let (hay, sel) = (s.hay, s.sel);
    if sel.starts_text {
        let len = sel.prefix.len();
        return if hay.slice(0, len) == sel.prefix.as_slice() {
            vec![len]
        } else {
            Vec::new()
        };
    }
    if sel.prefix.len() < MIN_CONTEXT_ANCHOR {
        return Vec::new();
    }
    let len = sel.prefix.len();
    let starts = hay.find_all(&sel.prefix_str);
    nearest(
        starts.into_iter().map(|p| p + len).collect(),
        s.expected,
        MAX_CANDIDATES,
    )
}

/// Starts of where the suffix occurs (candidate ends of the span), sorted.
fn right_anchors(s: &Scorer<'_, '_>) -> Vec<usize> {
    let (hay, sel) = (s.hay, s.sel);
    if sel.ends_text {
        let len = sel.suffix.len();
        let start = hay.len().saturating_sub(len);
        return if hay.len() >= len && hay.slice(start, hay.len()) == sel.suffix.as_slice() {
            vec![start]
        } else {
            Vec::new()
        };
    }
    if sel.suffix.len() < MIN_CONTEXT_ANCHOR {
        return Vec::new();
    }
    hay.find_all(&s.sel.suffix_str)
}

fn context_stage(s: &Scorer<'_, '_>) -> Option<Found> {
    let m = s.sel.quote.len();
    let lefts = left_anchors(s);
    if lefts.is_empty() {
        return None;
    }
    let rights = right_anchors(s);
    let max_len = 2 * m + 16;
    let mut candidates = Vec::new();
    for &a in &lefts {
        // The first suffix occurrence after the prefix, not too far.
        let i = rights.partition_point(|&b| b <= a);
        let Some(&b) = rights.get(i) else { continue };
        if b - a > max_len {
            continue;
        }
        let edits = s.sel.quote_edits(s.hay.slice(a, b));
        let quote = 1.0 - edits.min(m) as f64 / m as f64;
        if quote >= 0.5 {
            candidates.push(s.candidate(a, b, quote));
        }
    }
    let best = best(&candidates, s.expected)?;
    s.acceptable(&best).then_some(Found {
        start: best.start,
        end: best.end,
        how: How::Context,
        score: best.score(),
    })
}

/// The largest number of edits an approximate match may have.
fn max_edits(m: usize) -> usize {
    (m / 2).min(256)
}

/// The part of the text searched first: around the expected position.
fn local_window(s: &Scorer<'_, '_>) -> (usize, usize) {
    let m = s.sel.quote.len();
    let reach = LOCAL_WINDOW + 4 * m;
    (
        s.expected.saturating_sub(reach),
        (s.expected + m + reach).min(s.hay.len()),
    )
}

/// The best approximate match around the expected position.
fn local_fuzzy(s: &Scorer<'_, '_>) -> Option<Candidate> {
    let k = max_edits(s.sel.quote.len());
    if k == 0 {
        return None;
    }
    let (from, to) = local_window(s);
    best(&fuzzy_candidates(s, from, to, k), s.expected)
}

fn fuzzy_stage(s: &Scorer<'_, '_>) -> Result<Found, Lost> {
    let k = max_edits(s.sel.quote.len());
    if k == 0 {
        return Err(Lost::NotFound);
    }
    let len = s.hay.len();
    let local = local_window(s);
    let mut verdict = Err(Lost::NotFound);
    for (from, to) in [local, (0, len)] {
        let candidates = fuzzy_candidates(s, from, to, k);
        let Some(best) = best(&candidates, s.expected) else {
            continue;
        };
        if s.acceptable(&best) {
            return Ok(best.found(How::Fuzzy));
        }
        verdict = Err(Lost::TooDifferent {
            evidence: best.evidence(),
        });
        if (from, to) == (0, len) {
            break;
        }
    }
    verdict
}

/// Approximate matches of the quote inside `hay[from..to]`, scored.
fn fuzzy_candidates(s: &Scorer<'_, '_>, from: usize, to: usize, k: usize) -> Vec<Candidate> {
    let m = s.sel.quote.len();
    let text = s.hay.slice(from, to);
    // The best end of each run of consecutive ends within the bound: fewest edits, then one
    // on the quote's last character.
    let last = s.sel.quote.last().copied();
    let ends_alike = |end: usize| end > 0 && text.get(end - 1).copied() == last;
    let mut ends: Vec<(usize, usize)> = Vec::new();
    let mut run_best: Option<(usize, usize)> = None;
    let mut last_end = 0;
    s.sel.quote_pattern.search(text, k, |end, errors| {
        if let Some(best) = run_best
            && end != last_end + 1
        {
            ends.push(best);
            run_best = None;
        }
        let better = run_best.is_none_or(|(best_end, e)| {
            errors < e || (errors == e && ends_alike(end) && !ends_alike(best_end))
        });
        if better {
            run_best = Some((end, errors));
        }
        last_end = end;
    });
    ends.extend(run_best);
    ends.sort_by_key(|&(end, errors)| (errors, (from + end).abs_diff(s.expected + m)));
    ends.truncate(MAX_FUZZY_CANDIDATES);
    let reversed: Vec<char> = s.sel.quote.iter().rev().copied().collect();
    let backwards = Pattern::new(&reversed);
    let mut candidates = Vec::with_capacity(ends.len());
    for (end, _) in ends {
        let window_start = end.saturating_sub(m + k);
        let window: Vec<char> = text
            .get(window_start..end)
            .unwrap_or(&[])
            .iter()
            .rev()
            .copied()
            .collect();
        let (n, errors) = backwards.best_prefix(&window);
        if n == 0 {
            continue;
        }
        let (start, end) = (from + end - n, from + end);
        let quote = 1.0 - errors.min(m) as f64 / m as f64;
        candidates.push(s.candidate(start, end, quote));
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(
        text: &str,
        quote: &str,
        prefix: &str,
        suffix: &str,
        expected: usize,
    ) -> Result<(usize, usize, How), Lost> {
        let text = Text::new(text.to_string());
        let hay = Haystack::new(&text);
        let sel = Selector::new(quote, prefix, suffix, false, false);
        anchor(&hay, &sel, expected)
            .map(|f| (hay.to_original(f.start), hay.to_original(f.end), f.how))
    }

    #[test]
    fn folding_maps_back_to_original_offsets() {
        let (folded, map) = fold("a\r\nb\rc\n");
        assert_eq!(folded, "a\nb\nc\n");
        assert_eq!(map.unwrap(), vec![0, 1, 3, 4, 5, 6, 7]);
        let text = Text::new("a\r\nb".to_string());
        let hay = Haystack::new(&text);
        assert_eq!(hay.to_folded(3), 2);
        assert_eq!(hay.to_original(2), 3);
        assert_eq!(hay.to_original(3), 4);
    }

    #[test]
    fn the_context_picks_the_occurrence() {
        let text = "NATO said no. Then NATO said yes. Later NATO said maybe.";
        // The second NATO: prefix "Then ", suffix " said yes".
        assert_eq!(
            find(text, "NATO", "no. Then ", " said yes.", 0),
            Ok((19, 23, How::Exact))
        );
        assert_eq!(
            find(text, "NATO", "Later ", " said maybe.", 0),
            Ok((40, 44, How::Exact))
        );
    }

    #[test]
    fn a_short_quote_is_not_moved_into_another_context() {
        let text = "The minister spoke about the weather in the capital for an hour today.";
        let lost = find(
            text,
            "Monday",
            "Lavrov announced on ",
            ", in Moscow, that the",
            0,
        );
        assert!(matches!(lost, Err(Lost::TooDifferent { .. })), "{lost:?}");
        let elsewhere = find(
            text,
            "the",
            "and then announced ",
            " closure of the mission",
            0,
        );
        assert!(
            matches!(elsewhere, Err(Lost::OnlyElsewhere { occurrences: 3 })),
            "{elsewhere:?}"
        );
    }

    #[test]
    fn edited_inside_is_found_between_its_context() {
        let text =
            "Russian Foreign Minister Sergey Lavrov declared on Monday that the mission closes.";
        let found = find(
            text,
            "Sergey Lavrov said",
            "Russian Foreign Minister ",
            " on Monday that the mission",
            25,
        );
        assert_eq!(found, Ok((25, 47, How::Context)));
    }

    #[test]
    fn typos_are_found_fuzzily() {
        let text =
            "Officials in Brussels said that the alliance regreted these steps taken by Moscow.";
        let found = find(
            text,
            "the alliance regretted the steps",
            "Officials in Bruxelles said that ",
            " taken by Moscow",
            0,
        )
        .unwrap();
        assert_eq!(found.2, How::Fuzzy);
        assert_eq!(&text[found.0..found.1], "the alliance regreted these steps");
    }
}
