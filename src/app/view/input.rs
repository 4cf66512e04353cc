//! Pointer and keyboard input on the article view: click, double-click, shift+click and drag
//! to select; click a span or its chip to select the span; relations made and selected with
//! the pointer (see [`relation_gesture`]); the caret and selection keys of the
//! command table (arrows, Shift+arrows, Ctrl+Shift+Left/Right). The view does not change the
//! session: each frame it works out the new [`Focus`] (char offsets on grapheme boundaries)
//! and returns it as an action, with a request to scroll when a key moved the caret.

use egui::text::CCursor;
use egui::{Event, EventFilter, Pos2, Ui, Vec2};

use super::ArticleView;
use super::paint::Look;
use super::rtl;
use crate::app::action::Action;
use crate::app::commands::{Command, resolve_view_key};
use crate::app::session::{Focus, Selection, Session};
use crate::model::words::{next_word_end, prev_word_start, word_at};
use crate::model::{CharOffset, CharRange, Text};

/// What the input of one frame is read against.
pub(super) struct Frame<'a> {
    pub ui: &'a Ui,
    pub response: &'a egui::Response,
    /// Where the text starts on screen.
    pub origin: Pos2,
    pub text: &'a Text,
    pub look: Look,
}

/// Where the pointer is, in the text.
pub(super) struct Hit {
    pub offset: CharOffset,
    pub block: usize,
    /// Whether the pointer is over the text itself (not past a line's end or in a gap).
    pub on_text: bool,
    /// For word-level blocks, the word under the pointer.
    pub word: Option<CharRange>,
}

pub(super) fn hit(view: &mut ArticleView, f: &Frame<'_>, pos: Pos2) -> Option<Hit> {
    let y = pos.y - f.origin.y;
    let b = view.heights.block_at(y);
    let block = *view.blocks.get(b)?;
    let block_pos = f.origin + Vec2::new(0.0, view.heights.top(b));
    if block.char_len == 0 {
        return Some(Hit {
            offset: CharOffset(block.char_start),
            block: b,
            on_text: false,
            word: None,
        });
    }
    let galley = view.galley(f.ui.ctx(), b, f.text, f.look)?;
    if view.fallback.get(b).copied().unwrap_or(false) {
        let word = rtl::hit_word(f.ui.ctx(), f.text, block, block_pos, f.look, pos);
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
        offset: f.text.grapheme_floor(CharOffset(block.char_start + index)),
        block: b,
        on_text,
        word: None,
    })
}

/// Reads this frame's pointer and keys: what they select, and where to scroll.
pub(super) fn handle(
    view: &mut ArticleView,
    f: &Frame<'_>,
    session: &Session,
    focus_request: u64,
) -> Vec<Action> {
    take_keyboard(view, f, focus_request);
    view.hovered_relation = f.response.hover_pos().and_then(|pos| {
        view.arrows
            .iter()
            .find(|a| a.is_near(pos))
            .map(|a| a.relation.clone())
    });
    view.hovered = hovered(view, f);
    let mut focus = session.focus().clone();
    let mut actions = Vec::new();
    match relation_gesture(view, f, session) {
        Some(done) => actions.extend(done),
        None => {
            pointer(view, f, &mut focus);
            drag(view, f, &mut focus);
        }
    }
    let scroll = keys(view, f, session, &mut focus);
    if &focus != session.focus() {
        actions.push(Action::Focus(focus));
    }
    actions.extend(scroll.map(Action::ScrollTo));
    actions
}

/// Takes the keyboard when the app asks, and keeps Tab, arrows and Escape for the app and
/// the view while the article has it.
fn take_keyboard(view: &mut ArticleView, f: &Frame<'_>, focus_request: u64) {
    if view.focus_seen != Some(focus_request) {
        f.response.request_focus();
        view.focus_seen = Some(focus_request);
    }
    if f.response.has_focus() {
        f.ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                f.response.id,
                EventFilter {
                    tab: true,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: false,
                },
            );
        });
    }
}

/// The span under the pointer (chips first).
fn hovered(view: &mut ArticleView, f: &Frame<'_>) -> Option<crate::model::SpanId> {
    let pos = f.response.hover_pos()?;
    span_at(view, f, pos)
}

/// The pointer on relations: a click on an arrow selects its relation, on an arrow's edge
/// marker brings its other end into view; Alt+click on a span links the selected span to it,
/// and so does a click on a span the relation being made may link to; a drag from one chip to
/// another span links them. `None` when the pointer did none of these (it then selects text
/// and spans as usual).
fn relation_gesture(
    view: &mut ArticleView,
    f: &Frame<'_>,
    session: &Session,
) -> Option<Vec<Action>> {
    let response = f.response;
    if response.drag_started()
        && let Some(p) = f.ui.input(|i| i.pointer.press_origin())
        && let Some((_, id)) = view.chips.iter().find(|(r, _)| r.contains(p))
        && !session.doc().schema.relations().is_empty()
    {
        view.chip_drag = Some(id.clone());
        return Some(Vec::new());
    }
    if let Some(from) = view.chip_drag.clone() {
        if !response.drag_stopped() {
            f.ui.ctx().request_repaint();
            return Some(Vec::new());
        }
        view.chip_drag = None;
        let to = response
            .interact_pointer_pos()
            .and_then(|pos| span_at(view, f, pos));
        return Some(match to {
            Some(to) if to != from => vec![Action::Link(from, to)],
            _ => Vec::new(),
        });
    }
    if !response.clicked() {
        return None;
    }
    let pos = response.interact_pointer_pos()?;
    if let Some(j) = view
        .arrows
        .iter()
        .filter_map(|a| a.jump)
        .find(|j| j.rect().contains(pos))
    {
        return Some(vec![Action::ScrollTo(j.to)]);
    }
    if let Some(a) = view.arrows.iter().find(|a| a.is_near(pos)) {
        return Some(vec![Action::SelectRelation(a.relation.clone())]);
    }
    let alt = f.ui.input(|i| i.modifiers.alt);
    let to = span_at(view, f, pos)?;
    if let Some(l) = session.linking()
        && l.targets.contains(&to)
    {
        return Some(vec![Action::Link(l.from.clone(), to)]);
    }
    match session.focus() {
        Focus::Span(from) if alt && *from != to => Some(vec![Action::Link(from.clone(), to)]),
        _ => None,
    }
}

/// The span at `pos`: its chip, or the innermost span over the text there.
fn span_at(view: &mut ArticleView, f: &Frame<'_>, pos: Pos2) -> Option<crate::model::SpanId> {
    if let Some((_, id)) = view.chips.iter().find(|(r, _)| r.contains(pos)) {
        return Some(id.clone());
    }
    let h = hit(view, f, pos).filter(|h| h.on_text)?;
    view.index
        .innermost_at(h.block, h.offset.0)
        .map(|m| m.id.clone())
}

/// Clicks: a double-click selects a word, a click selects the span under the pointer (or its
/// chip) or puts the caret there, a shift+click extends the selection; a drag starts.
fn pointer(view: &mut ArticleView, f: &Frame<'_>, focus: &mut Focus) {
    let response = f.response;
    let shift = f.ui.input(|i| i.modifiers.shift);
    if response.double_clicked()
        && let Some(pos) = response.interact_pointer_pos()
        && let Some(h) = hit(view, f, pos)
    {
        if let Some(w) = h.word.or_else(|| word_at(f.text, h.offset)) {
            *focus = Focus::Text(Selection::new(w.start(), w.end()));
        }
        response.request_focus();
    } else if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        response.request_focus();
        if let Some((_, id)) = view.chips.iter().find(|(r, _)| r.contains(pos)) {
            *focus = Focus::Span(id.clone());
        } else if let Some(h) = hit(view, f, pos) {
            *focus = match (shift, focus.selection()) {
                (true, Some(sel)) => Focus::Text(Selection::new(
                    sel.anchor,
                    extend_end(f.text, sel.anchor, h.offset, h.word),
                )),
                _ => h
                    .on_text
                    .then(|| view.index.innermost_at(h.block, h.offset.0))
                    .flatten()
                    .map_or(Focus::Text(Selection::caret(h.offset)), |m| {
                        Focus::Span(m.id.clone())
                    }),
            };
        }
    } else if response.drag_started() {
        // drag_started fires after the pointer moved past the click threshold: anchor at the
        // press origin, not where the pointer is now.
        if let Some(p) = f.ui.input(|i| i.pointer.press_origin())
            && let Some(h) = hit(view, f, p)
        {
            let anchor = match (shift, focus.selection()) {
                (true, Some(sel)) => sel.anchor,
                _ => h.word.map_or(h.offset, |w| w.start()),
            };
            view.drag_anchor = Some(anchor);
            *focus = Focus::Text(Selection::caret(anchor));
        }
        response.request_focus();
    }
}

/// A drag extends the selection from where it started, scrolling past the top or bottom edge.
fn drag(view: &mut ArticleView, f: &Frame<'_>, focus: &mut Focus) {
    let response = f.response;
    if response.dragged()
        && let (Some(anchor), Some(pos)) = (view.drag_anchor, response.interact_pointer_pos())
    {
        if let Some(h) = hit(view, f, pos) {
            *focus = Focus::Text(Selection::new(
                anchor,
                extend_end(f.text, anchor, h.offset, h.word),
            ));
        }
        let clip = f.ui.clip_rect();
        let edge = f.look.metrics.line_height;
        let dy = if pos.y < clip.top() + edge {
            (clip.top() + edge - pos.y).min(40.0)
        } else if pos.y > clip.bottom() - edge {
            -(pos.y - (clip.bottom() - edge)).min(40.0)
        } else {
            0.0
        };
        if dy != 0.0 {
            f.ui.scroll_with_delta(Vec2::new(0.0, dy));
            f.ui.ctx().request_repaint();
        }
    }
    if response.drag_stopped() {
        view.drag_anchor = None;
    }
}

/// The caret and selection keys (while the article has the keyboard): where the caret went,
/// to bring it into view.
fn keys(
    view: &mut ArticleView,
    f: &Frame<'_>,
    session: &Session,
    focus: &mut Focus,
) -> Option<CharOffset> {
    if !f.response.has_focus() {
        return None;
    }
    let presses: Vec<Command> = f.ui.input(|i| {
        i.events
            .iter()
            .filter_map(|e| match e {
                Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } => resolve_view_key(*key, *modifiers),
                _ => None,
            })
            .collect()
    });
    let mut scroll = None;
    for command in presses {
        let backwards = matches!(
            command,
            Command::CaretLeft
                | Command::CaretWordLeft
                | Command::CaretUp
                | Command::ExtendLeft
                | Command::ExtendWordLeft
                | Command::ExtendUp
        );
        let start = focus.selection().unwrap_or_else(|| {
            let span = focus.span().and_then(|id| session.doc().set().get(id));
            let at = span
                .map(|s| {
                    if backwards {
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
        let text = f.text;
        let to = match command {
            Command::CaretWordRight | Command::ExtendWordRight => next_word_end(text, from),
            Command::CaretWordLeft | Command::ExtendWordLeft => prev_word_start(text, from),
            Command::CaretRight | Command::ExtendRight => {
                text.grapheme_ceil(CharOffset((from.0 + 1).min(text.len_chars())))
            }
            Command::CaretLeft | Command::ExtendLeft => {
                text.grapheme_floor(CharOffset(from.0.saturating_sub(1)))
            }
            Command::CaretUp | Command::ExtendUp => vertical_step(view, f, from, false),
            _ => vertical_step(view, f, from, true),
        };
        let extend = matches!(
            command,
            Command::ExtendLeft
                | Command::ExtendRight
                | Command::ExtendWordLeft
                | Command::ExtendWordRight
                | Command::ExtendUp
                | Command::ExtendDown
        );
        *focus = Focus::Text(if extend {
            Selection::new(start.anchor, to)
        } else {
            Selection::caret(to)
        });
        scroll = Some(to);
    }
    scroll
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
fn vertical_step(
    view: &mut ArticleView,
    f: &Frame<'_>,
    from: CharOffset,
    down: bool,
) -> CharOffset {
    let (text, look, ctx) = (f.text, f.look, f.ui.ctx());
    let b = view.block_of(from.0);
    let Some(block) = view.blocks.get(b).copied() else {
        return from;
    };
    let galley = view.galley(ctx, b, text, look);
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
        if let Some(nb) = next_text_block(view, b, down)
            && let Some(ng) = view.galley(ctx, nb, text, look)
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
