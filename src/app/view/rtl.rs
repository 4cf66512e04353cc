//! Word-level fallback for blocks egui cannot hit-test by character.
//!
//! egui 0.37 lays out right-to-left runs (Arabic, Hebrew) with more glyphs than chars
//! (egui #8576), so a position in such a galley does not map to the right char offset. Those
//! blocks are drawn as a flow of separately laid-out word segments instead: a pointer position
//! then maps to a whole segment, whose char range we know exactly. Selections there grow by
//! whole words, and never produce a wrong offset. (Words still flow left to right: egui has no
//! bidirectional layout either way.)

use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, CornerRadius, FontId, Galley, Painter, Pos2, Rect, Stroke, Ui, Vec2};
use unicode_segmentation::UnicodeSegmentation;

use super::blocks::Block;
use super::paint::{self, Look};
use super::spans::{MAX_LAYERS, SpanMark};
use crate::model::{CharRange, SpanId, Text};

struct Item {
    range: CharRange,
    rect: Rect,
    galley: Option<Arc<Galley>>,
}

/// The segments of a block placed in rows, relative to the block's top-left corner.
fn flow(ctx: &egui::Context, text: &Text, block: Block, look: Look) -> Vec<Item> {
    let Look {
        metrics,
        palette,
        wrap,
    } = look;
    let body = text
        .as_str()
        .get(block.byte_start..block.byte_end)
        .unwrap_or("");
    let mut items = Vec::new();
    let (mut x, mut y) = (0.0f32, 0.0f32);
    let mut char_pos = block.char_start;
    for segment in body.split_word_bounds() {
        let n = segment.chars().count();
        let range = CharRange::new(char_pos, char_pos + n).unwrap_or_else(|| block.range());
        char_pos += n;
        let mut format = TextFormat::simple(metrics.font(), palette.text);
        format.line_height = Some(metrics.line_height);
        let job = LayoutJob::single_section(segment.to_string(), format);
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        let width = galley.size().x;
        let is_space = segment.chars().all(char::is_whitespace);
        if x > 0.0 && x + width > wrap && !is_space {
            x = 0.0;
            y += metrics.line_height;
        }
        let rect = Rect::from_min_size(Pos2::new(x, y), Vec2::new(width, metrics.line_height));
        x += width;
        items.push(Item {
            range,
            rect,
            galley: Some(galley),
        });
    }
    items
}

/// The height of a fallback block.
pub fn height(ctx: &egui::Context, text: &Text, block: Block, look: Look) -> f32 {
    let Look { metrics, .. } = look;
    flow(ctx, text, block, look)
        .last()
        .map_or(metrics.line_height, |i| i.rect.bottom())
}

/// The segment under `pos` (screen), for a block drawn at `block_pos`.
#[allow(clippy::too_many_arguments)]
pub fn hit_word(
    ctx: &egui::Context,
    text: &Text,
    block: Block,
    block_pos: Pos2,
    look: Look,
    pos: Pos2,
) -> Option<CharRange> {
    let local = pos - block_pos;
    let items = flow(ctx, text, block, look);
    let row_items: Vec<&Item> = items
        .iter()
        .filter(|i| i.rect.top() <= local.y && local.y < i.rect.bottom())
        .collect();
    let row_items = if row_items.is_empty() {
        // Below the last row: the last row.
        let last_top = items.last()?.rect.top();
        items.iter().filter(|i| i.rect.top() == last_top).collect()
    } else {
        row_items
    };
    row_items
        .iter()
        .find(|i| i.rect.left() <= local.x && local.x < i.rect.right())
        .or_else(|| {
            if local.x < 0.0 {
                row_items.first()
            } else {
                row_items.last()
            }
        })
        .map(|i| i.range)
}

/// Paints a fallback block: tints, whole-segment selection, underlines and chips.
#[allow(clippy::too_many_arguments)]
pub fn paint_block(
    painter: &Painter,
    ui: &Ui,
    text: &Text,
    block: Block,
    pos: Pos2,
    marks: &[&SpanMark],
    colours: &[Color32],
    selected: Option<&SpanId>,
    look: Look,
    selection: Option<CharRange>,
    label_of: &dyn Fn(&SpanMark) -> String,
    chips: &mut Vec<(Rect, SpanId)>,
) {
    let Look {
        metrics, palette, ..
    } = look;
    let items = flow(ui.ctx(), text, block, look);
    let band = |r: Rect| {
        let fh = metrics.font_size * 1.2;
        let pad = ((metrics.line_height - fh) * 0.5).max(0.0);
        (r.top() + pad, r.top() + pad + fh)
    };
    for item in &items {
        let r = item.rect.translate(pos.to_vec2());
        let (top, bottom) = band(r);
        let text_rect = Rect::from_min_max(Pos2::new(r.left(), top), Pos2::new(r.right(), bottom));
        if let Some(m) = marks
            .iter()
            .filter(|m| m.range.overlaps(&item.range) && !m.suggested)
            .min_by_key(|m| m.range.len())
        {
            painter.rect_filled(
                text_rect,
                CornerRadius::ZERO,
                paint::mark_colour(m, colours).gamma_multiply(0.3),
            );
        }
        if selection.is_some_and(|s| s.overlaps(&item.range)) {
            painter.rect_filled(
                text_rect,
                CornerRadius::ZERO,
                ui.visuals().selection.bg_fill,
            );
        }
        if let Some(g) = &item.galley {
            painter.galley(r.min, g.clone(), palette.text);
        }
        for m in marks.iter().filter(|m| m.range.overlaps(&item.range)) {
            let y = bottom
                + 3.0
                + (usize::from(m.layer).min(MAX_LAYERS - 1) as f32) * metrics.layer_gap;
            let width = if selected == Some(&m.id) { 3.0 } else { 2.0 };
            let stroke = Stroke::new(width, paint::mark_colour(m, colours));
            if m.suggested {
                paint::dashed_outline(painter, text_rect, stroke);
            } else {
                painter.line_segment([Pos2::new(r.left(), y), Pos2::new(r.right(), y)], stroke);
            }
        }
    }
    for m in marks {
        let Some(first) = items
            .iter()
            .find(|i| i.range.overlaps(&m.range) && m.range.start() >= i.range.start())
        else {
            continue;
        };
        if m.range.start() < first.range.start() || m.range.start() >= first.range.end() {
            continue;
        }
        let r = first.rect.translate(pos.to_vec2());
        let (top, _) = band(r);
        let c = paint::mark_colour(m, colours);
        let g = painter.layout_no_wrap(
            label_of(m),
            FontId::proportional(metrics.chip_font_size),
            Color32::WHITE,
        );
        let chip = Rect::from_min_size(
            Pos2::new(r.left(), top - g.size().y - 1.0),
            g.size() + Vec2::new(6.0, 0.0),
        );
        if m.suggested {
            paint::suggestion_chip(painter, chip, c, palette);
            let g = painter.layout_no_wrap(
                label_of(m),
                FontId::proportional(metrics.chip_font_size),
                c,
            );
            painter.galley(chip.min + Vec2::new(3.0, 0.0), g, c);
        } else {
            painter.rect_filled(chip, CornerRadius::same(3), c);
            painter.galley(chip.min + Vec2::new(3.0, 0.0), g, Color32::WHITE);
        }
        chips.push((chip, m.id.clone()));
    }
}
