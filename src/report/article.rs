//! The article with every span highlighted, as in the workbench: each span gets a layer (an
//! outer span the first, what nests in it the next), and each layer its own coloured band
//! under the text, so nested and overlapping spans stay readable; a chip with the label's name
//! and colour marks where a span starts and links to its row in the spans table.
//!
//! The text is cut into sections of about [`SECTION_CHARS`] characters at line ends; each is
//! an HTML `<details>`, the first open, so a 10 MB article does not lay out at once.

use std::collections::BTreeSet;

use super::html::push_esc;
use super::{Palette, span_anchor};
use crate::model::{Document, Origin, Span, Status, Text};

/// About how many characters a section of the article holds.
pub const SECTION_CHARS: usize = 20_000;

/// Pixels from one layer's band to the next: a band of three, a gap of one (so two spans of one
/// label, one inside the other, show as two bands).
const BAND_PX: usize = 4;

/// The layer of each span (by index in `spans`): the first layer free at its start, spans
/// taken by start and longest first, so an outer span is above what nests in it.
fn layers(spans: &[&Span]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| {
        (
            spans[i].range.start().0,
            std::cmp::Reverse(spans[i].range.end().0),
        )
    });
    let mut ends: Vec<usize> = Vec::new();
    let mut layer = vec![0; spans.len()];
    for i in order {
        let (start, end) = (spans[i].range.start().0, spans[i].range.end().0);
        let free = ends.iter().position(|&e| e <= start);
        let l = free.unwrap_or(ends.len());
        if l == ends.len() {
            ends.push(end);
        } else {
            ends[l] = end;
        }
        layer[i] = l;
    }
    layer
}

/// Where the sections start (char offsets, the first 0): after a line end once a section
/// holds [`SECTION_CHARS`], or at a grapheme boundary once it holds twice that.
fn section_starts(text: &Text) -> Vec<usize> {
    let mut starts = vec![0];
    let mut since = 0;
    for (i, c) in text.as_str().chars().enumerate() {
        since += 1;
        let next = i + 1;
        let cut = (since >= SECTION_CHARS && c == '\n')
            || (since >= 2 * SECTION_CHARS
                && text.is_grapheme_boundary(crate::model::CharOffset(next)));
        if cut && next < text.len_chars() {
            starts.push(next);
            since = 0;
        }
    }
    starts
}

/// Appends the article of `doc` (document number `d`) to `out`.
pub fn write(out: &mut String, doc: &Document, d: usize, palette: &Palette) {
    let text = doc.text();
    let spans: Vec<&Span> = doc.set().spans().collect();
    let layer = layers(&spans);
    // Every place something starts or ends: (offset, 0 = end / 1 = start, layer, span index);
    // spans starting together show their chips outer first.
    let mut events: Vec<(usize, u8, usize, usize)> = Vec::with_capacity(spans.len() * 2);
    for (i, s) in spans.iter().enumerate() {
        events.push((s.range.start().0, 1, layer[i], i));
        events.push((s.range.end().0, 0, layer[i], i));
    }
    events.sort_unstable();
    let starts = section_starts(text);
    let sections = starts.len();
    let mut active: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut e = 0;
    for (n, &section_start) in starts.iter().enumerate() {
        let section_end = starts.get(n + 1).copied().unwrap_or(text.len_chars());
        if sections > 1 {
            out.push_str(if n == 0 {
                "<details class=\"sec\" open><summary>"
            } else {
                "<details class=\"sec\"><summary>"
            });
            out.push_str(&format!(
                "Part {} of {sections}: characters {section_start}–{section_end}</summary>",
                n + 1
            ));
        }
        out.push_str("<div class=\"article\">");
        let mut at = section_start;
        loop {
            // Apply every event at `at`, writing the chips of spans that start here.
            while e < events.len() && events[e].0 == at && at < section_end {
                let (_, kind, _, i) = events[e];
                if kind == 1 {
                    active.insert((layer[i], i));
                    chip(out, spans[i], d, palette);
                } else {
                    active.remove(&(layer[i], i));
                }
                e += 1;
            }
            if at >= section_end {
                break;
            }
            let next = events
                .get(e)
                .map_or(section_end, |ev| ev.0.min(section_end));
            let piece = slice(text, at, next);
            if active.is_empty() {
                push_esc(out, piece);
            } else {
                out.push_str("<span class=\"m\" style=\"box-shadow:");
                for (k, &(l, i)) in active.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    let s = spans[i];
                    let alpha = if s.origin == Origin::Suggested {
                        "66"
                    } else {
                        ""
                    };
                    // The band, then a gap of the page's colour before the next layer's.
                    out.push_str(&format!(
                        "0 {}px {}{alpha},0 {}px #fff",
                        BAND_PX * l + 3,
                        palette.hex(&s.label),
                        BAND_PX * (l + 1)
                    ));
                }
                out.push_str(&format!(
                    ";margin-bottom:{}px\">",
                    BAND_PX * (active.iter().map(|a| a.0).max().unwrap_or(0) + 1)
                ));
                push_esc(out, piece);
                out.push_str("</span>");
            }
            at = next;
        }
        out.push_str("</div>");
        if sections > 1 {
            out.push_str("</details>");
        }
    }
}

fn slice(text: &Text, start: usize, end: usize) -> &str {
    let s = text.as_str();
    match (
        text.byte_of(crate::model::CharOffset(start)),
        text.byte_of(crate::model::CharOffset(end)),
    ) {
        (Some(a), Some(b)) => s.get(a..b).unwrap_or(""),
        _ => "",
    }
}

/// The chip where `span` starts: its label, a mark for its status, dashed for a suggestion.
fn chip(out: &mut String, span: &Span, d: usize, palette: &Palette) {
    let mark = match span.status {
        Status::Accepted => "✓",
        Status::Rejected => "✗",
        Status::Pending => "",
    };
    let class = match (span.origin, span.status) {
        (Origin::Suggested, _) => " sug",
        (_, Status::Rejected) => " rej",
        _ => "",
    };
    out.push_str(&format!(
        "<a class=\"chip {}{class}\" href=\"#{}\" title=\"",
        palette.class(&span.label),
        span_anchor(d, &span.id)
    ));
    push_esc(
        out,
        &format!(
            "{} {} ({}, {}{})",
            span.id,
            span.label,
            span.status,
            span.origin.as_str(),
            if span.origin == Origin::Suggested {
                ": a suggestion"
            } else {
                ""
            }
        ),
    );
    out.push_str("\">");
    push_esc(out, span.label.as_str());
    out.push_str(mark);
    out.push_str("</a>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::marked::marked;
    use crate::model::{CharRange, Label, SpanId, Timestamp};

    fn span(start: usize, end: usize) -> Span {
        Span::new(
            SpanId::numbered(start as u64 + 1),
            Label::new("actor").unwrap(),
            CharRange::new(start, end).unwrap(),
            "a",
            Timestamp::from_unix(0),
        )
    }

    #[test]
    fn outer_spans_take_the_first_layer_and_nested_ones_the_next() {
        let spans = [span(4, 9), span(0, 20), span(12, 15), span(16, 30)];
        let refs: Vec<&Span> = spans.iter().collect();
        assert_eq!(layers(&refs), [1, 0, 1, 1]);
    }

    #[test]
    fn sections_end_at_line_ends() {
        let (text, _) = marked(&"a line of text\n".repeat(4_000));
        let starts = section_starts(&Text::new(text));
        assert!(starts.len() > 2, "{starts:?}");
        assert!(starts[1..].iter().all(|s| s % 15 == 0), "{starts:?}");
    }
}
