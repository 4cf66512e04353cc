//! Pointer and keyboard input on the article view: click, double-click, shift+click and drag
//! to select; click a span or its chip to select the span; Shift(+Ctrl)+arrows to extend the
//! selection by character, word or line. Everything ends up in char offsets on grapheme
//! boundaries in `Session::selection`.

use egui::text::CCursor;
use egui::{Event, EventFilter, Key, Pos2, Rect, Ui, Vec2};

use super::ArticleView;
use super::paint::Look;
use super::rtl;
use crate::app::session::{Selection, Session};
use crate::model::words::{next_word_end, prev_word_start, word_at};
use crate::model::{CharOffset, CharRange, Text};

/// Where the pointer is, in the text.
pub(super) struct Hit {
    pub offset: CharOffset,
    pub block: usize,
    /// Whether the pointer is over the text itself (not past a line's end or in a gap).
    pub on_text: bool,
    /// For word-level blocks, the word under the pointer.
    pub word: Option<CharRange>,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn hit(
    view: &mut ArticleView,
    ui: &Ui,
    pos: Pos2,
    origin: Pos2,
    text: &Text,
    look: Look,
) -> Option<Hit> {
    let y = pos.y - origin.y;
    let b = view.heights.block_at(y);
    let block = *view.blocks.get(b)?;
    let block_pos = origin + Vec2::new(0.0, view.heights.top(b));
    if block.char_len == 0 {
        return Some(Hit {
            offset: CharOffset(block.char_start),
            block: b,
            on_text: false,
            word: None,
        });
    }
    let galley = view.galley(ui.ctx(), b, text, look)?;
    if view.fallback.get(b).copied().unwrap_or(false) {
        let word = rtl::hit_word(ui.ctx(), text, block, block_pos, look, pos);
        return Some(Hit {
            offset: word.map_or(CharOffset(block.char_start), |w| w.start()),
            block: b,
            on_text: word.is_some(),
            word,
        });
    }
    let local = pos - block_pos;
    let cursor = galley.cursor_from_pos(local);
    let index = cursor.index.0.min(block.char_len);
    let on_text = galley.rect.contains(Pos2::ZERO + local)
        && galley.rows.iter().any(|r| {
            r.rect().contains(Pos2::ZERO + local)
                && local.x <= r.rect_without_leading_space().right()
        });
    Some(Hit {
        offset: text.grapheme_floor(CharOffset(block.char_start + index)),
        block: b,
        on_text,
        word: None,
    })
}

#[allow(clippy::too_many_arguments)]
pub(super) fn handle(
    view: &mut ArticleView,
    ui: &Ui,
    response: &egui::Response,
    session: &mut Session,
    origin: Pos2,
    text: &Text,
    look: Look,
    viewport: Rect,
) {
    let Look { metrics, .. } = look;
    if view.wants_focus {
        response.request_focus();
        view.wants_focus = false;
    }
    if response.has_focus() {
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                response.id,
                EventFilter {
                    tab: true,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: false,
                },
            );
        });
    }
    let shift = ui.input(|i| i.modifiers.shift);

    // Hover: which span is under the pointer (chips first).
    view.hovered = None;
    if let Some(pos) = response.hover_pos() {
        if let Some((_, id)) = view.chips.iter().find(|(r, _)| r.contains(pos)) {
            view.hovered = Some(id.clone());
        } else if let Some(h) = hit(view, ui, pos, origin, text, look)
            && h.on_text
        {
            view.hovered = view
                .index
                .innermost_at(h.block, h.offset.0)
                .map(|m| m.id.clone());
        }
    }

    // Mouse.
    if response.double_clicked()
        && let Some(pos) = response.interact_pointer_pos()
        && let Some(h) = hit(view, ui, pos, origin, text, look)
    {
        let word = h.word.or_else(|| word_at(text, h.offset));
        if let Some(w) = word {
            session.selection = Some(Selection {
                anchor: w.start(),
                focus: w.end(),
            });
            session.selected_span = None;
        }
        response.request_focus();
    } else if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        response.request_focus();
        if let Some((_, id)) = view.chips.iter().find(|(r, _)| r.contains(pos)).cloned() {
            session.selected_span = Some(id);
            session.selection = None;
        } else if let Some(h) = hit(view, ui, pos, origin, text, look) {
            match (shift, session.selection) {
                (true, Some(sel)) => {
                    session.selection = Some(Selection {
                        anchor: sel.anchor,
                        focus: extend_end(text, sel.anchor, h.offset, h.word),
                    });
                    session.selected_span = None;
                }
                _ => {
                    let span = h
                        .on_text
                        .then(|| view.index.innermost_at(h.block, h.offset.0))
                        .flatten()
                        .map(|m| m.id.clone());
                    match span {
                        Some(id) => {
                            session.selected_span = Some(id);
                            session.selection = None;
                        }
                        None => {
                            session.selected_span = None;
                            session.selection = Some(Selection::caret(h.offset));
                        }
                    }
                }
            }
        }
    } else if response.drag_started() {
        // drag_started fires after the pointer moved past the click threshold: anchor at the
        // press origin, not where the pointer is now.
        let origin_pos = ui.input(|i| i.pointer.press_origin());
        if let Some(p) = origin_pos
            && let Some(h) = hit(view, ui, p, origin, text, look)
        {
            let anchor = match (shift, session.selection) {
                (true, Some(sel)) => sel.anchor,
                _ => h.word.map_or(h.offset, |w| w.start()),
            };
            view.drag_anchor = Some(anchor);
            session.selection = Some(Selection::caret(anchor));
            session.selected_span = None;
        }
        response.request_focus();
    }
    if response.dragged()
        && let (Some(anchor), Some(pos)) = (view.drag_anchor, response.interact_pointer_pos())
    {
        if let Some(h) = hit(view, ui, pos, origin, text, look) {
            session.selection = Some(Selection {
                anchor,
                focus: extend_end(text, anchor, h.offset, h.word),
            });
        }
        // Scroll while dragging past the top or bottom edge.
        let clip = ui.clip_rect();
        let edge = metrics.line_height;
        let dy = if pos.y < clip.top() + edge {
            (clip.top() + edge - pos.y).min(40.0)
        } else if pos.y > clip.bottom() - edge {
            -(pos.y - (clip.bottom() - edge)).min(40.0)
        } else {
            0.0
        };
        if dy != 0.0 {
            ui.scroll_with_delta(Vec2::new(0.0, dy));
            ui.ctx().request_repaint();
        }
    }
    if response.drag_stopped() {
        view.drag_anchor = None;
    }
    let _ = viewport;

    // Keyboard.
    if !response.has_focus() {
        return;
    }
    let events: Vec<(Key, egui::Modifiers)> = ui.input(|i| {
        i.events
            .iter()
            .filter_map(|e| match e {
                Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } => Some((*key, *modifiers)),
                _ => None,
            })
            .collect()
    });
    for (key, mods) in events {
        let word = mods.command || mods.ctrl;
        if mods.alt {
            continue;
        }
        let horizontal = matches!(key, Key::ArrowLeft | Key::ArrowRight);
        let vertical = matches!(key, Key::ArrowUp | Key::ArrowDown);
        if !horizontal && !vertical {
            continue;
        }
        let start = session.selection.unwrap_or_else(|| {
            let at = session
                .selected()
                .map(|s| {
                    if key == Key::ArrowLeft || key == Key::ArrowUp {
                        s.range.start()
                    } else {
                        s.range.end()
                    }
                })
                .unwrap_or(CharOffset(
                    view.blocks
                        .get(view.first_visible)
                        .map_or(0, |b| b.char_start),
                ));
            Selection::caret(at)
        });
        let from = start.focus;
        let to = if horizontal {
            match (key, word) {
                (Key::ArrowRight, true) => next_word_end(text, from),
                (Key::ArrowLeft, true) => prev_word_start(text, from),
                (Key::ArrowRight, false) => {
                    text.grapheme_ceil(CharOffset((from.0 + 1).min(text.len_chars())))
                }
                _ => text.grapheme_floor(CharOffset(from.0.saturating_sub(1))),
            }
        } else {
            vertical_step(view, ui, from, key == Key::ArrowDown, text, look)
        };
        session.selection = Some(if mods.shift {
            Selection {
                anchor: start.anchor,
                focus: to,
            }
        } else {
            Selection::caret(to)
        });
        session.selected_span = None;
        session.scroll_to = Some(to);
    }
}

/// The new moving end of a selection: in word-level blocks the whole word under the pointer.
fn extend_end(
    text: &Text,
    anchor: CharOffset,
    at: CharOffset,
    word: Option<CharRange>,
) -> CharOffset {
    match word {
        Some(w) if w.start() >= anchor => w.end(),
        Some(w) => w.start(),
        None => text.grapheme_floor(at),
    }
}

/// One row up or down from `from`, across blocks, keeping the horizontal position.
#[allow(clippy::too_many_arguments)]
fn vertical_step(
    view: &mut ArticleView,
    ui: &Ui,
    from: CharOffset,
    down: bool,
    text: &Text,
    look: Look,
) -> CharOffset {
    let b = view.block_of(from.0);
    let Some(block) = view.blocks.get(b).copied() else {
        return from;
    };
    let galley = view.galley(ui.ctx(), b, text, look);
    if let Some(g) = &galley
        && !view.fallback.get(b).copied().unwrap_or(false)
    {
        let local = CCursor::new(from.0.saturating_sub(block.char_start).min(block.char_len));
        let layout = g.layout_from_cursor(local);
        let x = g.pos_from_cursor(local).center().x;
        let within = if down {
            layout.row + 1 < g.rows.len()
        } else {
            layout.row > 0
        };
        if within {
            let (c, _) = if down {
                g.cursor_down_one_row(&local, Some(x))
            } else {
                g.cursor_up_one_row(&local, Some(x))
            };
            return text.grapheme_floor(CharOffset(block.char_start + c.index.0));
        }
        // Into the neighbouring non-empty block, at the same x.
        let next = next_text_block(view, b, down);
        if let Some(nb) = next
            && let Some(ng) = view.galley(ui.ctx(), nb, text, look)
        {
            let y = if down { 1.0 } else { ng.size().y - 1.0 };
            let c = ng.cursor_from_pos(Vec2::new(x, y));
            return text.grapheme_floor(CharOffset(view.blocks[nb].char_start + c.index.0));
        }
        return if down {
            CharOffset(block.char_end())
        } else {
            CharOffset(block.char_start)
        };
    }
    // No galley or word-level block: go to the neighbouring block's start.
    match next_text_block(view, b, down) {
        Some(nb) => CharOffset(view.blocks[nb].char_start),
        None => from,
    }
}

fn next_text_block(view: &ArticleView, b: usize, down: bool) -> Option<usize> {
    if down {
        (b + 1..view.blocks.len()).find(|&i| view.blocks[i].char_len > 0)
    } else {
        (0..b).rev().find(|&i| view.blocks[i].char_len > 0)
    }
}
