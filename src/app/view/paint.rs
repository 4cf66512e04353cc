//! Turning a block and its spans into pixels: the layout job (text with the tint of the
//! innermost span as background), then the layered underlines, the label chips and the outline
//! of the selected span, painted over the galley.

use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, CornerRadius, FontId, Galley, Painter, Pos2, Rect, Stroke, StrokeKind, Vec2};

use super::spans::{MAX_LAYERS, SpanMark};
use crate::model::{Rgb, Status};

/// Sizes that follow from the font size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub font_size: f32,
    /// Height of one text row, with room above for chips and below for underlines.
    pub line_height: f32,
    pub chip_font_size: f32,
    pub layer_gap: f32,
    /// Room added to every row for relation arrows above its chips (0 when the document has
    /// no relations: rows stay as dense as before).
    pub arc_band: f32,
}

impl Metrics {
    pub fn new(font_size: f32) -> Self {
        Self::with_arcs(font_size, false)
    }

    /// The sizes for `font_size`, with room for relation arrows when `arcs`.
    pub fn with_arcs(font_size: f32, arcs: bool) -> Self {
        let arc_band = if arcs { font_size.round() } else { 0.0 };
        Self {
            font_size,
            line_height: (font_size * 2.15).round() + arc_band,
            chip_font_size: (font_size * 0.66).max(9.0),
            layer_gap: (font_size * 0.22).max(3.5),
            arc_band,
        }
    }

    /// The vertical gap between stacked arrows.
    pub fn arc_gap(&self) -> f32 {
        (self.font_size * 0.25).max(3.5)
    }

    pub fn font(&self) -> FontId {
        FontId::proportional(self.font_size)
    }

    /// Height of a blank line.
    pub fn blank_height(&self) -> f32 {
        (self.line_height * 0.5).round()
    }
}

/// How the text is drawn this frame: sizes, colours and the wrap width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub metrics: Metrics,
    pub palette: Palette,
    pub wrap: f32,
}

/// Colours of the theme in use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub text: Color32,
    pub dark: bool,
}

pub fn colour(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

/// The tint behind a span's text.
fn tint(c: Color32, palette: Palette, strong: bool) -> Color32 {
    let alpha = match (palette.dark, strong) {
        (true, false) => 0.32,
        (false, false) => 0.22,
        (true, true) => 0.62,
        (false, true) => 0.45,
    };
    c.gamma_multiply(alpha)
}

/// What a span looks like: its colour (grey for a label the schema does not know).
pub fn mark_colour(mark: &SpanMark, colours: &[Color32]) -> Color32 {
    mark.label_index
        .and_then(|i| colours.get(usize::from(i)).copied())
        .unwrap_or(Color32::from_gray(140))
}

/// The layout job of a block: its text, struck through where a span was rejected. Tints are
/// painted separately, so selecting a span does not lay the text out again.
pub fn layout_job(text: &str, block_start: usize, marks: &[&SpanMark], look: Look) -> LayoutJob {
    let Look {
        metrics,
        palette,
        wrap,
    } = look;
    let mut base = TextFormat::simple(metrics.font(), palette.text);
    base.line_height = Some(metrics.line_height);
    let mut struck = base.clone();
    struck.strikethrough = Stroke::new(1.0, palette.text.gamma_multiply(0.6));
    struck.color = palette.text.gamma_multiply(0.6);
    let mut job = LayoutJob::default();
    job.wrap.max_width = wrap;
    let char_len = text.chars().count();
    // Rejected stretches, block-local, merged.
    let mut rejected: Vec<(usize, usize)> = marks
        .iter()
        .filter(|m| m.status == Status::Rejected)
        .map(|m| {
            (
                m.range.start().0.saturating_sub(block_start).min(char_len),
                m.range.end().0.saturating_sub(block_start).min(char_len),
            )
        })
        .filter(|(a, b)| a < b)
        .collect();
    rejected.sort_unstable();
    let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
    let mut at = 0;
    for (a, b) in rejected {
        if b <= at {
            continue;
        }
        let a = a.max(at);
        if a > at {
            pieces.push((at, a, false));
        }
        pieces.push((a, b, true));
        at = b;
    }
    if at < char_len || pieces.is_empty() {
        pieces.push((at, char_len, false));
    }
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    for (a, b, is_rejected) in pieces {
        let (start, end) = (byte(a), byte(b));
        job.append(
            &text[start..end],
            0.0,
            if is_rejected {
                struck.clone()
            } else {
                base.clone()
            },
        );
    }
    job
}

/// Tints behind the text of each span (nested spans blend, so what is inside two spans reads
/// darker), stronger for the selected span. Painted before the galley.
#[allow(clippy::too_many_arguments)]
pub fn paint_tints(
    painter: &Painter,
    galley: &Galley,
    origin: Pos2,
    block_start: usize,
    block_len: usize,
    marks: &[&SpanMark],
    colours: &[Color32],
    selected: Option<&crate::model::SpanId>,
    metrics: Metrics,
    palette: Palette,
) {
    let mut ordered: Vec<&&SpanMark> = marks.iter().collect();
    ordered.sort_by_key(|m| std::cmp::Reverse(m.range.len()));
    // A pending suggestion has no fill: it is not work yet (see `decorate`).
    for m in ordered.into_iter().filter(|m| !m.suggested) {
        let fill = tint(mark_colour(m, colours), palette, selected == Some(&m.id));
        for r in piece_rects(galley, m, block_start, block_len) {
            let r = r.translate(origin.to_vec2());
            let (top, bottom) = text_band(r.top(), metrics);
            painter.rect_filled(
                Rect::from_min_max(Pos2::new(r.left(), top), Pos2::new(r.right(), bottom)),
                CornerRadius::same(2),
                fill,
            );
        }
    }
}

/// The rectangles (relative to the galley) of a span's pieces within a block, one per row.
fn piece_rects(galley: &Galley, m: &SpanMark, block_start: usize, block_len: usize) -> Vec<Rect> {
    m.pieces()
        .iter()
        .flat_map(|p| {
            let a = p.start().0.saturating_sub(block_start).min(block_len);
            let b = p.end().0.saturating_sub(block_start).min(block_len);
            row_rects(galley, a, b)
        })
        .collect()
}

/// The rectangles (relative to the galley) that chars `a..b` of the block occupy, one per row.
pub fn row_rects(galley: &Galley, a: usize, b: usize) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut row_start = 0usize;
    for row in &galley.rows {
        let n = row.char_count_excluding_newline().0;
        let row_end = row_start + n;
        let (s, e) = (a.max(row_start), b.min(row_end));
        if s < e {
            let x0 = row.pos.x + row.x_offset(egui::text::CharIndex(s - row_start));
            let x1 = row.pos.x + row.x_offset(egui::text::CharIndex(e - row_start));
            out.push(Rect::from_min_max(
                Pos2::new(x0, row.min_y()),
                Pos2::new(x1, row.max_y()),
            ));
        }
        row_start = row_end + usize::from(row.ends_with_newline);
        if row_start >= b {
            break;
        }
    }
    out
}

/// The vertical extent of the glyphs within a row of `metrics.line_height` starting at `top`.
fn text_band(top: f32, metrics: Metrics) -> (f32, f32) {
    let font_height = metrics.font_size * 1.2;
    let pad = ((metrics.line_height - font_height) * 0.5).max(0.0);
    (top + pad, top + pad + font_height)
}

/// Underlines (one per layer), chips at span starts, and the selected span's outline.
#[allow(clippy::too_many_arguments)]
pub fn decorate(
    painter: &Painter,
    galley: &Arc<Galley>,
    origin: Pos2,
    block_start: usize,
    block_len: usize,
    marks: &[&SpanMark],
    colours: &[Color32],
    selected: Option<&crate::model::SpanId>,
    hovered: Option<&crate::model::SpanId>,
    metrics: Metrics,
    palette: Palette,
    label_of: &dyn Fn(&SpanMark) -> String,
    chip_hits: &mut Vec<(Rect, crate::model::SpanId)>,
) {
    let chip_font = FontId::proportional(metrics.chip_font_size);
    // Chips placed so far: a chip never covers an earlier one of its row (chips of spans that
    // start at the same place, or close together, sit side by side).
    let mut placed: Vec<Rect> = Vec::new();
    let mut ordered: Vec<&&SpanMark> = marks.iter().collect();
    ordered.sort_by_key(|m| (m.range.start(), std::cmp::Reverse(m.range.len())));
    for m in ordered {
        let c = mark_colour(m, colours);
        let rects = piece_rects(galley, m, block_start, block_len);
        let is_selected = selected == Some(&m.id);
        let is_hovered = hovered == Some(&m.id);
        let thickness = if is_selected { 3.0 } else { 2.0 };
        for r in &rects {
            let r = r.translate(origin.to_vec2());
            let (_, bottom) = text_band(r.top(), metrics);
            let y = bottom
                + 3.0
                + (usize::from(m.layer).min(MAX_LAYERS - 1) as f32) * metrics.layer_gap;
            if m.suggested {
                // A suggestion: a dashed outline around its text, no underline, no fill.
                let (top, bottom) = text_band(r.top(), metrics);
                let outline = Rect::from_min_max(
                    Pos2::new(r.left() - 1.0, top - 1.0),
                    Pos2::new(r.right() + 1.0, bottom + 1.0),
                );
                dashed_outline(painter, outline, Stroke::new(thickness * 0.75, c));
            } else {
                painter.line_segment(
                    [Pos2::new(r.left(), y), Pos2::new(r.right(), y)],
                    Stroke::new(thickness, c),
                );
            }
            if is_selected || (is_hovered && !m.suggested) {
                let (top, bottom) = text_band(r.top(), metrics);
                let outline = Rect::from_min_max(
                    Pos2::new(r.left() - 1.0, top - 1.0),
                    Pos2::new(r.right() + 1.0, bottom + 1.0),
                );
                let stroke = if is_selected {
                    Stroke::new(1.5, palette.text)
                } else {
                    Stroke::new(1.0, c)
                };
                painter.rect_stroke(outline, CornerRadius::same(2), stroke, StrokeKind::Outside);
            }
        }
        // The chip: only where the span starts, in this block.
        let starts_here =
            m.range.start().0 >= block_start && m.range.start().0 < block_start + block_len.max(1);
        if let (true, Some(first)) = (starts_here, rects.first()) {
            let first = first.translate(origin.to_vec2());
            let (top, _) = text_band(first.top(), metrics);
            let chip_text = if m.suggested { c } else { chip_text_colour(c) };
            let label_galley = painter.layout_no_wrap(label_of(m), chip_font.clone(), chip_text);
            let size = label_galley.size() + Vec2::new(6.0, 0.0);
            let mut chip = Rect::from_min_size(Pos2::new(first.left(), top - size.y - 1.0), size);
            while let Some(earlier) = placed.iter().find(|p| {
                (p.top() - chip.top()).abs() < 1.0
                    && p.left() < chip.right()
                    && chip.left() < p.right() + 2.0
            }) {
                chip = chip.translate(Vec2::new(earlier.right() + 2.0 - chip.left(), 0.0));
            }
            if m.suggested {
                suggestion_chip(painter, chip, c, palette);
            } else {
                painter.rect_filled(chip, CornerRadius::same(3), c);
            }
            painter.galley(chip.min + Vec2::new(3.0, 0.0), label_galley, chip_text);
            if is_selected {
                painter.rect_stroke(
                    chip,
                    CornerRadius::same(3),
                    Stroke::new(1.5, palette.text),
                    StrokeKind::Outside,
                );
            }
            placed.push(chip);
            chip_hits.push((chip, m.id.clone()));
        }
    }
}

/// The dashed outline of a pending suggestion around `rect`.
pub fn dashed_outline(painter: &Painter, rect: Rect, stroke: Stroke) {
    let corners = [
        rect.left_top(),
        rect.right_top(),
        rect.right_bottom(),
        rect.left_bottom(),
        rect.left_top(),
    ];
    let dash = (stroke.width * 3.0).max(4.0);
    painter.extend(egui::Shape::dashed_line(
        &corners,
        stroke,
        dash,
        dash * 0.75,
    ));
}

/// The chip of a pending suggestion: the label's colour as a dashed border on the background,
/// not filled, so it never reads as a span someone made.
pub fn suggestion_chip(painter: &Painter, chip: Rect, c: Color32, palette: Palette) {
    let bg = if palette.dark {
        Color32::from_gray(30)
    } else {
        Color32::WHITE
    };
    painter.rect_filled(chip, CornerRadius::same(3), bg);
    dashed_outline(painter, chip, Stroke::new(1.0, c));
}

/// Black or white, whichever reads better on `c`.
fn chip_text_colour(c: Color32) -> Color32 {
    let luma = 0.299 * f32::from(c.r()) + 0.587 * f32::from(c.g()) + 0.114 * f32::from(c.b());
    if luma > 150.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}
