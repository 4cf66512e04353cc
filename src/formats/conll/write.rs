//! Writing documents as IOB2 CoNLL: the documented tokenisation, sentence breaks, and the
//! report of what could not be written.

use std::io::{self, Write};
use std::sync::Arc;

use crate::formats::registry::{DatasetWriter, Part, Written};
use crate::formats::tokens::Carried;
use crate::formats::{ExportOptions, Loss, Place, Problem, ProblemKind};
use crate::model::{CharRange, Document, Span, Text};

/// Writes `docs` as CoNLL (IOB2) to `out`. Returns what could not be written, and one message
/// per span left out because it is not on token boundaries (naming the document and the span).
pub fn export(docs: &[&Document], out: &mut dyn Write) -> std::io::Result<(Loss, Vec<Problem>)> {
    export_to(docs, out)
}

/// [`export`] to a writer known at compile time: a dataset export writes each document's
/// lines into a `Vec`, a few small writes per token, which then need no call through `dyn`.
fn export_to<W: Write + ?Sized>(
    docs: &[&Document],
    out: &mut W,
) -> std::io::Result<(Loss, Vec<Problem>)> {
    let mut loss = Loss::default();
    let mut problems = Vec::new();
    for doc in docs {
        write_document(doc, out, &mut loss, &mut problems)?;
    }
    Ok((loss, problems))
}

/// A span as whole tokens: `first..end` token indices.
struct Placed<'a> {
    first: usize,
    end: usize,
    span: &'a Span,
}

/// The tokens a document is written with: those carried from its import (split at the
/// spans' edges), or the documented tokenisation's.
struct Layout {
    tokens: Vec<(usize, usize)>,
    /// The tokens' byte offsets in the text, when the layout cut the text itself; empty for
    /// carried tokens (their texts are then cut by char offsets).
    token_bytes: Vec<(usize, usize)>,
    /// Where sentences start (token indices), when the tokens came with sentences.
    sentences: Option<Vec<usize>>,
    /// Each token's middle columns; empty when there are none.
    columns: Vec<Vec<String>>,
    /// The middle columns of the `-DOCSTART-` line.
    docstart: Vec<String>,
}

impl Layout {
    /// The layout of `doc`; a carried token a span cuts is split, counted and reported.
    fn of(doc: &Document, loss: &mut Loss, problems: &mut Vec<Problem>) -> Layout {
        let text = doc.text();
        let name = &doc.source.name;
        let carried = Carried::of(doc).and_then(|c| match c {
            Some(c)
                if c.offsets
                    .iter()
                    .any(|&t| token_text(text, t).contains(['\t', '\n', '\r'])) =>
            {
                Err("a carried token holds a tab or a line break".to_string())
            }
            c => Ok(c),
        });
        let carried = match carried {
            Ok(Some(c)) => c,
            Ok(None) => return Layout::tokenized(text),
            Err(why) => {
                loss.add("imported tokens not used (cut again)", 1);
                problems.push(Problem::new(
                    ProblemKind::Remark,
                    Place::file(name),
                    format!(
                        "{name}: the tokens carried from the import (with their sentence \
                         breaks and other columns) are not used: {why}; the text is cut again \
                         by the documented tokenisation"
                    ),
                ));
                return Layout::tokenized(text);
            }
        };
        let (carried, splits) = carried.split_at_spans(doc);
        loss.add("imported tokens split at a span's edge", splits.len());
        for split in splits {
            problems.push(Problem::new(
                ProblemKind::Remark,
                Place::file(name).with_span(&split.span),
                format!(
                    "{name}: span {} cuts the imported token {:?} ({}..{}) at {}; \
                     written as two tokens{}",
                    split.span,
                    token_text(text, split.token),
                    split.token.0,
                    split.token.1,
                    split.at,
                    if carried.columns.is_empty() {
                        ""
                    } else {
                        ", each with the token's other columns"
                    }
                ),
            ));
        }
        let width = carried.columns.first().map_or(0, Vec::len);
        Layout {
            docstart: carried
                .docstart
                .unwrap_or_else(|| vec!["-X-".to_string(); width]),
            tokens: carried.offsets,
            token_bytes: Vec::new(),
            sentences: carried.sentences,
            columns: carried.columns,
        }
    }

    fn tokenized(text: &Text) -> Layout {
        let (tokens, token_bytes) = super::tokenize_with_bytes(text.as_str());
        Layout {
            tokens,
            token_bytes,
            sentences: None,
            columns: Vec::new(),
            docstart: Vec::new(),
        }
    }

    /// Whether a sentence may end between token `i - 1` and token `i`. Asked for tokens in
    /// order, `cursor` keeps the first boundary at or after the last token's end (instead of
    /// searching the boundaries for each token).
    fn breaks_before(&self, i: usize, text_bounds: &[usize], cursor: &mut usize) -> bool {
        match &self.sentences {
            Some(starts) => starts.binary_search(&i).is_ok(),
            None => {
                let (prev_end, start) = (self.tokens[i - 1].1, self.tokens[i].0);
                if text_bounds
                    .get(cursor.wrapping_sub(1))
                    .is_some_and(|&b| b >= prev_end)
                {
                    // Out of order: start again.
                    *cursor = 0;
                }
                while text_bounds.get(*cursor).is_some_and(|&b| b < prev_end) {
                    *cursor += 1;
                }
                text_bounds.get(*cursor).is_some_and(|&b| b <= start)
            }
        }
    }
}

/// Writes one document: `-DOCSTART-`, then a line per token with its tag, a blank line
/// after each sentence.
fn write_document<W: Write + ?Sized>(
    doc: &Document,
    out: &mut W,
    loss: &mut Loss,
    problems: &mut Vec<Problem>,
) -> std::io::Result<()> {
    let text = doc.text();
    let layout = Layout::of(doc, loss, problems);
    let tokens = &layout.tokens;
    loss.add("relations", doc.set().relations().count());
    let placed = place_spans(doc, &layout, loss, problems);
    let tags = tags(placed, tokens.len(), loss);
    let boundaries = match layout.sentences {
        Some(_) => Vec::new(),
        None => sentence_bounds(text),
    };

    write!(out, "-DOCSTART-")?;
    for column in &layout.docstart {
        write!(out, "\t{column}")?;
    }
    writeln!(out, "\tO")?;
    writeln!(out)?;
    let mut texts = TokenTexts::new(text);
    let mut cursor = 0;
    for (i, &(start, _)) in tokens.iter().enumerate() {
        let continues = matches!(tags[i], Some((false, _)));
        if i > 0 && !continues && layout.breaks_before(i, &boundaries, &mut cursor) {
            out.write_all(b"\n")?;
        }
        let token = match layout.token_bytes.get(i) {
            Some(&(from, to)) => text.as_str().get(from..to).unwrap_or(""),
            None => texts.next(tokens[i]),
        };
        if token == "-DOCSTART-" {
            problems.push(Problem::new(
                ProblemKind::Remark,
                Place::file(&doc.source.name),
                format!(
                    "{}: the token at {start} is \"-DOCSTART-\" and will read back as a document break",
                    doc.source.name
                ),
            ));
        }
        // Written piece by piece: a line per token through `write!` was a tenth of the export.
        out.write_all(token.as_bytes())?;
        for column in layout.columns.get(i).into_iter().flatten() {
            out.write_all(b"\t")?;
            out.write_all(column.as_bytes())?;
        }
        match tags[i] {
            None => out.write_all(b"\tO\n")?,
            Some((begin, label)) => {
                out.write_all(if begin { b"\tB-" } else { b"\tI-" })?;
                if label.contains(char::is_whitespace) {
                    let label: String = label
                        .chars()
                        .map(|c| if c.is_whitespace() { '_' } else { c })
                        .collect();
                    out.write_all(label.as_bytes())?;
                } else {
                    out.write_all(label.as_bytes())?;
                }
                out.write_all(b"\n")?;
            }
        }
    }
    if !tokens.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}

/// The text of `token` (its char offsets).
fn token_text(text: &Text, token: (usize, usize)) -> &str {
    CharRange::new(token.0, token.1)
        .and_then(|r| text.slice(r))
        .unwrap_or("")
}

/// The texts of a document's tokens, asked for in order: each is cut from where the one
/// before ended, counting the characters between, instead of being looked up from the start
/// of the text ([`token_text`], which it gives for a token out of order).
struct TokenTexts<'t> {
    text: &'t Text,
    /// The text from char offset `at` on.
    rest: &'t str,
    at: usize,
}

impl<'t> TokenTexts<'t> {
    fn new(text: &'t Text) -> Self {
        Self {
            text,
            rest: text.as_str(),
            at: 0,
        }
    }

    /// The text of `token`, as [`token_text`] gives it.
    fn next(&mut self, token: (usize, usize)) -> &'t str {
        let (start, end) = token;
        if start < self.at || end < start {
            return token_text(self.text, token);
        }
        let Some(from) = byte_after(self.rest, start - self.at) else {
            return token_text(self.text, token);
        };
        let after = &self.rest[from..];
        let Some(len) = byte_after(after, end - start) else {
            return token_text(self.text, token);
        };
        self.rest = &after[len..];
        self.at = end;
        &after[..len]
    }
}

/// The byte offset in `s` after its first `n` characters; `None` when it has fewer.
fn byte_after(s: &str, n: usize) -> Option<usize> {
    // n ASCII bytes are n characters (a byte below 0x80 is never part of a longer one).
    if s.as_bytes().get(..n).is_some_and(<[u8]>::is_ascii) {
        return Some(n);
    }
    let mut chars = s.char_indices();
    for _ in 0..n {
        chars.next()?;
    }
    Some(chars.next().map_or(s.len(), |(byte, _)| byte))
}

/// The spans of `doc` as whole tokens. What a tag cannot hold is counted in `loss` (notes,
/// attributes, discontinuous spans); a span off the token boundaries is counted too, and
/// reported in `problems` with the token it cuts.
fn place_spans<'d>(
    doc: &'d Document,
    layout: &Layout,
    loss: &mut Loss,
    problems: &mut Vec<Problem>,
) -> Vec<Placed<'d>> {
    let text = doc.text();
    let set = doc.set();
    let tokens = &layout.tokens;
    let starts: Vec<usize> = tokens.iter().map(|t| t.0).collect();
    let ends: Vec<usize> = tokens.iter().map(|t| t.1).collect();
    let mut placed = Vec::new();
    let mut file: Option<Arc<str>> = None;
    for span in set.spans() {
        if span.note.is_some() {
            loss.add("notes", 1);
        }
        loss.add("attributes", span.attrs.len());
        if !span.fragments.is_empty() {
            loss.add("discontinuous spans", 1);
            continue;
        }
        let (s, e) = (span.range.start().0, span.range.end().0);
        let first = starts.binary_search(&s).ok();
        let last = ends.binary_search(&e).ok();
        match (first, last) {
            (Some(first), Some(last)) if first <= last => placed.push(Placed {
                first,
                end: last + 1,
                span,
            }),
            _ => {
                loss.add("spans not on token boundaries", 1);
                // The token an offset falls inside, if any.
                let inside = |offset: usize| {
                    let i = starts.partition_point(|&t| t < offset);
                    // Not `then_some(i - 1)`: that subtracts before the test, and overflows
                    // for an offset before the first token.
                    if i > 0 && ends[i - 1] > offset {
                        Some(i - 1)
                    } else {
                        None
                    }
                };
                let name = &doc.source.name;
                let span_text = set.span_text(span);
                let cut = match (inside(s), inside(e)) {
                    (Some(t), _) => Some(("it starts inside the token ", t)),
                    (None, Some(t)) => Some(("it ends inside the token ", t)),
                    (None, None) => None,
                };
                let cut_text = cut.map_or("", |(_, i)| match layout.token_bytes.get(i) {
                    Some(&(from, to)) => text.as_str().get(from..to).unwrap_or(""),
                    None => token_text(text, tokens[i]),
                });
                // `NAME: span ID (LABEL RANGE "TEXT") is not on token boundaries: WHY; not
                // written`, WHY naming the token cut (`"TOKEN" (START..END)`) or saying it holds
                // none. Built piece by piece: `format!` for 93,000 such messages was a tenth of
                // an export's time.
                // Room for the message without escapes (all 93,000 are kept to the end).
                let mut message = String::with_capacity(
                    name.len()
                        + span.id.as_str().len()
                        + span.label.as_str().len()
                        + span_text.len()
                        + cut_text.len()
                        + 140,
                );
                message.push_str(name);
                message.push_str(": span ");
                message.push_str(span.id.as_str());
                message.push_str(" (");
                message.push_str(span.label.as_str());
                message.push(' ');
                push_range(&mut message, s, e);
                message.push(' ');
                push_debug_str(&mut message, span_text);
                message.push_str(") is not on token boundaries: ");
                match cut {
                    Some((words, i)) => {
                        message.push_str(words);
                        push_debug_str(&mut message, cut_text);
                        message.push_str(" (");
                        push_range(&mut message, tokens[i].0, tokens[i].1);
                        message.push(')');
                    }
                    None => message.push_str("it holds no whole token"),
                }
                message.push_str("; not written");
                // The document's name made shareable once, for all its messages.
                let file = file.get_or_insert_with(|| Arc::from(name.as_str())).clone();
                let place = Place {
                    file,
                    span: Some(span.id.shared()),
                    ..Place::default()
                };
                problems.push(Problem::new(ProblemKind::NotWritten, place, message));
            }
        }
    }
    placed
}

/// Appends `START..END`.
fn push_range(out: &mut String, start: usize, end: usize) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = write!(out, "{start}..{end}");
}

/// Appends `s` as `{:?}` writes it: quoted, with `"`, `\`, controls, unprintable and
/// combining characters escaped. Letters of the scripts most text is in (and their punctuation,
/// kana, flags and common emoji) are copied as they are, and combining marks and zero-width
/// characters escaped, without looking each up in Unicode's tables (the tests check every
/// character against `{:?}`).
fn push_debug_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            '\u{C0}'..='\u{D6}'
            | '\u{D8}'..='\u{F6}'
            | '\u{F8}'..='\u{24F}'
            | '\u{400}'..='\u{481}'
            | '\u{48A}'..='\u{4FF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{2010}'..='\u{2027}'
            | '\u{3001}'..='\u{3003}'
            | '\u{3041}'..='\u{3096}'
            | '\u{30A0}'..='\u{30FF}'
            | '\u{1F1E6}'..='\u{1F1FF}'
            | '\u{1F300}'..='\u{1F64F}' => out.push(c),
            // Combining marks and zero-width characters: escaped by their number.
            '\u{300}'..='\u{36F}' | '\u{200B}'..='\u{200F}' => {
                use std::fmt::Write as _;
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            // Non-ASCII: as `{:?}` of a string escapes it (a quote is ASCII, above).
            _ => out.extend(c.escape_debug()),
        }
    }
    out.push('"');
}

/// Each token's tag: `(begins, label)`, or `None` for `O`. Of overlapping spans, the one that
/// starts first wins; of those on the same token, the longest (the others are counted lost).
fn tags<'d>(
    mut placed: Vec<Placed<'d>>,
    tokens: usize,
    loss: &mut Loss,
) -> Vec<Option<(bool, &'d str)>> {
    placed.sort_by(|a, b| {
        (a.first, b.end, a.span.label.as_str(), a.span.id.as_str()).cmp(&(
            b.first,
            a.end,
            b.span.label.as_str(),
            b.span.id.as_str(),
        ))
    });
    let mut tags: Vec<Option<(bool, &str)>> = vec![None; tokens];
    let mut covered_to = 0;
    let mut spaced = 0;
    for p in &placed {
        if p.first < covered_to {
            loss.add(
                "overlapping or nested spans (the outer, first one is written)",
                1,
            );
            continue;
        }
        covered_to = p.end;
        let label = p.span.label.as_str();
        if label.chars().any(char::is_whitespace) {
            spaced += 1;
        }
        for (i, tag) in tags[p.first..p.end].iter_mut().enumerate() {
            *tag = Some((i == 0, label));
        }
    }
    loss.add("labels with spaces (written with _)", spaced);
    tags
}

/// Where sentences may end: the char offsets of UAX #29's sentence boundaries. A sentence
/// break goes between two tokens with a boundary between them, never inside an entity.
fn sentence_bounds(text: &Text) -> Vec<usize> {
    super::segment::sentence_starts(text.as_str())
}

impl DatasetWriter for super::Conll {
    fn document(&self, doc: &Document, _part: &Part<'_>, out: &mut Vec<u8>) -> io::Result<Written> {
        // Lines are the text's tokens with a tag each: about twice the text, grown once at
        // most instead of doubling from nothing.
        out.reserve(2 * doc.text().as_str().len() + 64);
        let (loss, notes) = export_to(&[doc], out)?;
        Ok(Written { loss, notes })
    }

    fn all(
        &self,
        docs: &[&Document],
        _options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Written> {
        let (loss, notes) = export(docs, out)?;
        Ok(Written { loss, notes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn debug_str(s: &str) -> String {
        let mut out = String::new();
        push_debug_str(&mut out, s);
        out
    }

    #[test]
    fn every_character_is_written_as_debug_writes_it() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(debug_str(&s), format!("{s:?}"), "{c:?}");
        }
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_debug_writes_it(s in ".{0,40}") {
            prop_assert_eq!(debug_str(&s), format!("{s:?}"));
            let mut out = String::new();
            push_range(&mut out, s.len(), s.len() * 7);
            prop_assert_eq!(out, format!("{}..{}", s.len(), s.len() * 7));
        }

        #[test]
        fn the_byte_after_n_characters(s in ".{0,12}", n in 0..16usize) {
            let expected = match s.char_indices().nth(n) {
                Some((byte, _)) => Some(byte),
                None => (s.chars().count() == n).then_some(s.len()),
            };
            prop_assert_eq!(byte_after(&s, n), expected);
            let ascii: String = s.chars().filter(char::is_ascii).collect();
            prop_assert_eq!(byte_after(&ascii, n), (n <= ascii.len()).then_some(n));
        }
    }
}
