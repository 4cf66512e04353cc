//! The article view: virtualized, selectable, highlighted.
//!
//! The text is cut into [`blocks`] (lines, long lines in pieces). Each frame only the blocks in
//! the viewport are laid out, one galley each, requested from egui's galley cache (never kept
//! across frames, see the egui notes). Block heights and their tops live in a Fenwick tree
//! ([`Heights`]): estimated until a block is first laid out, then measured. Scrolling,
//! hit-testing and "scroll to span" go through it in O(log n), so the cost of a frame depends
//! on what is on screen, not on the article's length.
//!
//! The view reads the session and never changes it: what the pointer and keys select comes
//! back as actions (a [`Focus`](crate::app::session::Focus) in char offsets). Blocks whose text
//! egui 0.37 lays out with more glyphs than chars (right-to-left scripts, egui #8576) cannot be
//! hit-tested by character: there the view falls back to whole words ([`rtl`]).

pub mod arcs;
pub mod blocks;
mod input;
pub mod paint;
mod rtl;
pub mod spans;

use std::sync::Arc;

use egui::{Color32, Galley, Pos2, Rect, Role, ScrollArea, Sense, Ui, Vec2, WidgetInfo};

use self::blocks::{Block, Heights};
use self::paint::{Look, Metrics, Palette};
use self::spans::SpanIndex;
use crate::app::action::Action;
use crate::app::session::Session;
use crate::model::{CharOffset, CharRange, SpanId, Text};

/// The longest line, in multiples of the font size (about 75 characters).
const COLUMN_EMS: f32 = 44.0;
const MARGIN: f32 = 24.0;

pub struct ArticleView {
    pub id: egui::Id,
    blocks: Vec<Block>,
    heights: Heights,
    /// What the heights were measured for: (wrap width, font size, pixels per point).
    layout_key: Option<(u32, u32, u32)>,
    index: SpanIndex,
    index_generation: Option<u64>,
    /// Blocks found to need the word-level fallback.
    fallback: Vec<bool>,
    /// Where a drag started.
    drag_anchor: Option<CharOffset>,
    /// Chip rectangles painted this frame (screen coordinates), for clicks.
    chips: Vec<(Rect, SpanId)>,
    /// The relation arrows drawn this frame, for clicks and hovering.
    pub arrows: Vec<arcs::Arrow>,
    /// The relation arrow under the pointer.
    pub hovered_relation: Option<SpanId>,
    /// The chip a drag started on: the drag makes a relation to where it ends.
    chip_drag: Option<SpanId>,
    /// The span under the pointer.
    pub hovered: Option<SpanId>,
    /// The last request to take the keyboard acted on (see `Requests::article_focus`).
    focus_seen: Option<u64>,
    /// The last request to scroll acted on (see `Session::scroll_request`).
    scroll_seen: Option<u64>,
    /// The first block shown in the last frame (for "where am I" and keyboard paging).
    pub first_visible: usize,
    /// The characters of the blocks shown in the last frame ("accept all on screen").
    pub shown_range: Option<CharRange>,
    /// Blocks laid out in the last frame (tests check virtualization with it).
    pub laid_out_last_frame: usize,
    /// Viewport height and scroll offset of the last frame.
    viewport_height: f32,
    scroll_offset: f32,
    /// Whether any shown block uses the word-level fallback (the status bar says so).
    pub fallback_visible: bool,
    last_frame: Option<FrameGeometry>,
}

/// Where the text was drawn in the last frame.
#[derive(Debug, Clone, Copy)]
struct FrameGeometry {
    origin: Pos2,
    look: Look,
}

impl ArticleView {
    pub fn new(text: &Text) -> Self {
        let blocks = blocks::split(text);
        let fallback = vec![false; blocks.len()];
        Self {
            id: egui::Id::unique("article_view"),
            heights: Heights::default(),
            layout_key: None,
            index: SpanIndex::default(),
            index_generation: None,
            fallback,
            blocks,
            drag_anchor: None,
            chips: Vec::new(),
            arrows: Vec::new(),
            hovered_relation: None,
            chip_drag: None,
            hovered: None,
            focus_seen: None,
            scroll_seen: None,
            first_visible: 0,
            shown_range: None,
            laid_out_last_frame: 0,
            viewport_height: 0.0,
            scroll_offset: 0.0,
            fallback_visible: false,
            last_frame: None,
        }
    }

    /// Where span `id`'s label chip was drawn in the last frame, if it was.
    pub fn chip_of(&self, id: &SpanId) -> Option<Rect> {
        self.chips.iter().find(|(_, c)| c == id).map(|(r, _)| *r)
    }

    /// How far down the article the view was scrolled in the last frame, in points.
    pub fn scroll_offset(&self) -> f32 {
        self.scroll_offset
    }

    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The block holding char `offset` (a line break counts with the line before it).
    pub fn block_of(&self, offset: usize) -> usize {
        self.blocks
            .partition_point(|b| b.char_start <= offset)
            .saturating_sub(1)
    }

    fn ensure_index(&mut self, session: &Session) {
        let generation = session.generation();
        if self.index_generation == Some(generation) {
            return;
        }
        let doc = session.doc();
        match self.index_generation.and_then(|g| session.changed_since(g)) {
            Some(ids) => self
                .index
                .update(doc.set(), &doc.schema, &self.blocks, &ids),
            None => self.index = SpanIndex::build(doc.set(), &doc.schema, &self.blocks),
        }
        self.index_generation = Some(generation);
    }

    fn ensure_heights(&mut self, ui: &Ui, wrap: f32, metrics: Metrics) {
        let key = (
            wrap.round() as u32,
            // The font size, and whether rows have room for relation arrows.
            (metrics.font_size * 10.0).round() as u32 * 2 + u32::from(metrics.arc_band > 0.0),
            (ui.ctx().pixels_per_point() * 100.0).round() as u32,
        );
        if self.layout_key == Some(key) {
            return;
        }
        // Estimate from the average advance of the body font.
        let sample = "The quick brown fox jumps over the lazy dog, 1234567890.";
        let sample_width = ui
            .fonts_mut(|f| f.layout_no_wrap(sample.to_string(), metrics.font(), Color32::WHITE))
            .size()
            .x;
        let per_char = sample_width / sample.chars().count() as f32;
        let chars_per_row = (wrap / per_char.max(1.0)).max(1.0);
        let blank = metrics.blank_height();
        self.heights = Heights::estimated(&self.blocks, |b| {
            if b.char_len == 0 {
                blank
            } else {
                (b.char_len as f32 / chars_per_row).ceil().max(1.0) * metrics.line_height
            }
        });
        self.layout_key = Some(key);
    }

    /// The galley of block `b` (from egui's cache), measuring its height on the way.
    fn galley(
        &mut self,
        ctx: &egui::Context,
        b: usize,
        text: &Text,
        look: Look,
    ) -> Option<Arc<Galley>> {
        let Look { metrics, .. } = look;
        let block = *self.blocks.get(b)?;
        if block.char_len == 0 {
            self.heights.measure(b, metrics.blank_height());
            return None;
        }
        let marks: Vec<_> = self.index.in_block(b).collect();
        let body = text.as_str().get(block.byte_start..block.byte_end)?;
        let job = paint::layout_job(body, block.char_start, &marks, look);
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        // egui 0.37 lays out right-to-left runs with more glyphs than chars (#8576): offsets
        // from such a galley are wrong, so the block switches to word-level handling.
        if galley.end().index.0 != block.char_len
            && let Some(f) = self.fallback.get_mut(b)
        {
            *f = true;
        }
        let height = if self.fallback.get(b).copied().unwrap_or(false) {
            rtl::height(ctx, text, block, look)
        } else {
            galley.size().y
        };
        self.heights.measure(b, height.max(metrics.line_height));
        Some(galley)
    }

    /// Brings char `offset` into view (a third down the viewport) unless it is visible already.
    fn scroll_target(
        &mut self,
        ctx: &egui::Context,
        offset: CharOffset,
        text: &Text,
        look: Look,
        current: f32,
    ) -> Option<f32> {
        let Look { metrics, .. } = look;
        let b = self.block_of(offset.0);
        let galley = self.galley(ctx, b, text, look);
        let local = offset.0.saturating_sub(self.blocks[b].char_start);
        let y_in_block = galley
            .map(|g| g.pos_from_cursor(egui::text::CCursor::new(local)).min.y)
            .unwrap_or(0.0);
        let y = self.heights.top(b) + y_in_block;
        let visible = y >= current + metrics.line_height
            && y <= current + self.viewport_height - 2.0 * metrics.line_height;
        (!visible).then(|| (y - self.viewport_height / 3.0).max(0.0))
    }

    /// Where char `offset` was drawn in the last frame (screen coordinates, the zero-width
    /// caret rectangle before it), if its block was in view. For tests and tooltips.
    pub fn char_rect(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        offset: CharOffset,
    ) -> Option<Rect> {
        let g = self.last_frame?;
        let b = self.block_of(offset.0);
        let block = *self.blocks.get(b)?;
        let galley = self.galley(ctx, b, session.doc().text(), g.look)?;
        let local = offset.0.saturating_sub(block.char_start);
        let r = galley.pos_from_cursor(egui::text::CCursor::new(local));
        Some(r.translate(g.origin.to_vec2() + Vec2::new(0.0, self.heights.top(b))))
    }

    /// Draws the article and reads the pointer and keys; returns what they select. The view
    /// takes the keyboard when `focus_request` is one it has not acted on.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        font_size: f32,
        focus_request: u64,
    ) -> Vec<Action> {
        let text = session.doc().text().clone();
        let metrics = Metrics::with_arcs(font_size, session.doc().set().relation_count() > 0);
        let palette = Palette {
            text: ui.visuals().text_color(),
            dark: ui.visuals().dark_mode,
        };
        let available = ui.available_width();
        let wrap = (available - 2.0 * MARGIN)
            .min(font_size * COLUMN_EMS)
            .max(120.0);
        let left = ((available - wrap) * 0.5).max(MARGIN.min(available * 0.05));
        let look = Look {
            metrics,
            palette,
            wrap,
        };
        self.ensure_index(session);
        self.ensure_heights(ui, wrap, metrics);

        let mut area = ScrollArea::vertical()
            .id_salt(self.id.with("scroll"))
            .auto_shrink([false, false]);
        if let Some(request) = session.scroll_request()
            && self.scroll_seen != Some(request.number)
        {
            self.scroll_seen = Some(request.number);
            if let Some(y) =
                self.scroll_target(ui.ctx(), request.to, &text, look, self.scroll_offset)
            {
                area = area.vertical_scroll_offset(y);
            }
        }

        let mut actions = Vec::new();
        area.show_viewport(ui, |ui, viewport| {
            self.viewport_height = viewport.height();
            self.scroll_offset = viewport.min.y;
            let total = self.heights.total() + MARGIN;
            let (content, response) = ui.allocate_exact_size(
                Vec2::new(available, total.max(viewport.height())),
                Sense::click_and_drag(),
            );
            response.widget_info(|| WidgetInfo::labeled(Role::Document, true, "Article text"));
            let origin = content.min + Vec2::new(left, MARGIN * 0.5);
            self.last_frame = Some(FrameGeometry { origin, look });

            let galleys = self.lay_out_visible(ui.ctx(), viewport, origin, &text, look);
            let paint = BlockPaint {
                painter: ui.painter_at(ui.clip_rect()),
                set: session.doc().set(),
                colours: label_colours(session),
                selection: session.selection().map(|s| s.range()),
                selected: session.selected_id(),
                look,
            };
            self.chips.clear();
            self.fallback_visible = false;
            for (b, pos, galley) in galleys {
                self.paint_block(ui, &paint, &text, b, pos, &galley);
                self.expose_block(ui.ctx(), b, pos, &galley, wrap);
            }
            self.paint_relations(&paint.painter, session, (origin.x, origin.x + wrap), look);

            let frame = input::Frame {
                ui,
                response: &response,
                origin,
                text: &text,
                look,
            };
            actions = input::handle(self, &frame, session, focus_request);
            if let Some(r) = self
                .hovered_relation
                .as_ref()
                .and_then(|id| session.doc().set().relation(id))
            {
                let about = session.describe_relation(r);
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.strong(about);
                    ui.weak(format!("by {} · {}", r.author, r.created));
                });
            } else if self.drag_anchor.is_none()
                && self.chip_drag.is_none()
                && let Some(span) = self
                    .hovered
                    .as_ref()
                    .and_then(|id| session.doc().set().get(id))
            {
                let def = session.doc().schema.get(span.label.as_str());
                hover_ui(&response, span, def, &text);
            }
        });
        // Measurements made this frame change the total height: shown next frame.
        actions
    }
}

impl ArticleView {
    /// The arrows of the relations of the spans on screen (see [`arcs`]), the picked end of a
    /// relation being made, and the line of a drag from a chip.
    fn paint_relations(
        &mut self,
        painter: &egui::Painter,
        session: &Session,
        column: (f32, f32),
        look: Look,
    ) {
        let doc = session.doc();
        let metrics = look.metrics;
        self.arrows = arcs::lay_out(&self.chips, doc.set(), &doc.schema, column, metrics);
        let selected_span = session.selected_id();
        let selected_relation = session.focus().relation();
        let emphasised: Vec<(&arcs::Arrow, arcs::Emphasis)> = self
            .arrows
            .iter()
            .map(|arrow| {
                let r = doc.set().relation(&arrow.relation);
                let touches_selected = r.is_some_and(|r| {
                    Some(&r.from) == selected_span || Some(&r.to) == selected_span
                });
                let emphasis = if selected_relation == Some(&arrow.relation) {
                    arcs::Emphasis::Selected
                } else if self.hovered_relation.as_ref() == Some(&arrow.relation)
                    || touches_selected
                {
                    arcs::Emphasis::Strong
                } else {
                    arcs::Emphasis::Plain
                };
                (arrow, emphasis)
            })
            .collect();
        arcs::paint_all(painter, &emphasised, metrics, look.palette.text);
        let chip = |id: &SpanId| self.chips.iter().find(|(_, c)| c == id).map(|(r, _)| *r);
        if let Some(l) = session.linking() {
            // The spans it may link to, outlined; the picked one, with the kind Enter makes.
            let ink = look.palette.text;
            for (rect, id) in &self.chips {
                if l.targets.contains(id) {
                    let width = if l.target() == Some(id) { 2.5 } else { 1.0 };
                    painter.rect_stroke(
                        rect.expand(2.0),
                        egui::CornerRadius::same(3),
                        egui::Stroke::new(width, ink),
                        egui::StrokeKind::Outside,
                    );
                }
            }
            let ends = (
                doc.set().get(&l.from),
                l.target().and_then(|t| doc.set().get(t)),
            );
            if let (Some(a), Some(b)) = ends
                && let (Some(from), Some(to)) = (chip(&a.id), chip(&b.id))
                && let Some(kind) = doc.schema.kinds_between(&a.label, &b.label).next()
            {
                arcs::paint_pick(
                    painter,
                    from,
                    to,
                    kind.name.as_str(),
                    paint::colour(kind.colour),
                    metrics,
                );
            }
        }
        if let Some(from) = self.chip_drag.as_ref().and_then(chip)
            && let Some(pos) = painter.ctx().pointer_latest_pos()
        {
            painter.extend(egui::Shape::dashed_line(
                &[from.center_top(), pos],
                egui::Stroke::new(2.0, look.palette.text),
                5.0,
                3.0,
            ));
        }
    }

    /// Lays out the blocks in `viewport` (measuring their heights on the way): each with where
    /// it goes on screen and its galley (empty lines have none).
    fn lay_out_visible(
        &mut self,
        ctx: &egui::Context,
        viewport: Rect,
        origin: Pos2,
        text: &Text,
        look: Look,
    ) -> Vec<(usize, Pos2, Arc<Galley>)> {
        let first = self.heights.block_at(viewport.min.y - MARGIN);
        self.first_visible = first;
        let mut galleys = Vec::new();
        let mut laid_out = 0;
        for b in first..self.blocks.len() {
            let top = self.heights.top(b);
            if top > viewport.max.y {
                break;
            }
            laid_out += 1;
            if let Some(g) = self.galley(ctx, b, text, look) {
                galleys.push((b, origin + Vec2::new(0.0, top), g));
            }
        }
        self.laid_out_last_frame = laid_out;
        // On screen: from the block at the viewport's top (not the margin laid out above it).
        let top = self.heights.block_at(viewport.min.y).max(first);
        self.shown_range = match (self.blocks.get(top), galleys.last()) {
            (Some(a), Some((last, _, _))) => self
                .blocks
                .get(*last)
                .and_then(|b| CharRange::new(a.char_start, b.char_end())),
            _ => None,
        };
        galleys
    }

    /// Paints block `b` at `pos`: tints, the text (with the selection), underlines and chips;
    /// a right-to-left block word by word.
    fn paint_block(
        &mut self,
        ui: &Ui,
        paint: &BlockPaint<'_>,
        text: &Text,
        b: usize,
        pos: Pos2,
        galley: &Arc<Galley>,
    ) {
        let block = self.blocks[b];
        let marks: Vec<_> = self.index.in_block(b).collect();
        let label_of = |m: &spans::SpanMark| {
            paint
                .set
                .get(&m.id)
                .map_or_else(String::new, |s| s.label.to_string())
        };
        let Look {
            metrics, palette, ..
        } = paint.look;
        if self.fallback[b] {
            self.fallback_visible = true;
            rtl::paint_block(
                &paint.painter,
                ui,
                text,
                block,
                pos,
                &marks,
                &paint.colours,
                paint.selected,
                paint.look,
                paint.selection,
                &label_of,
                &mut self.chips,
            );
            return;
        }
        let mut shown = galley.clone();
        if let Some(sel) = paint.selection {
            let a = sel.start().0.max(block.char_start);
            let e = sel.end().0.min(block.char_end());
            if a < e {
                let range = egui::text_selection::CCursorRange::two(
                    egui::text::CCursor::new(a - block.char_start),
                    egui::text::CCursor::new(e - block.char_start),
                );
                egui::text_selection::visuals::paint_text_selection(
                    &mut shown,
                    ui.visuals(),
                    &range,
                    None,
                );
            }
        }
        paint::paint_tints(
            &paint.painter,
            galley,
            pos,
            block.char_start,
            block.char_len,
            &marks,
            &paint.colours,
            paint.selected,
            metrics,
            palette,
        );
        paint.painter.galley(pos, shown, palette.text);
        paint::decorate(
            &paint.painter,
            galley,
            pos,
            block.char_start,
            block.char_len,
            &marks,
            &paint.colours,
            paint.selected,
            self.hovered.as_ref(),
            metrics,
            palette,
            &label_of,
            &mut self.chips,
        );
    }

    /// AccessKit: block `b` as a paragraph with its text runs (only what is shown: exposing
    /// the whole article costs milliseconds per frame).
    fn expose_block(
        &self,
        ctx: &egui::Context,
        b: usize,
        pos: Pos2,
        galley: &Arc<Galley>,
        wrap: f32,
    ) {
        let node = self.id.with(("block", b));
        let size = galley_size(&self.heights, b, wrap);
        ctx.accesskit_node_builder(node, |n| {
            n.set_role(Role::Paragraph);
            let r = Rect::from_min_size(pos, size);
            n.set_bounds(egui::accesskit::Rect {
                x0: f64::from(r.min.x),
                y0: f64::from(r.min.y),
                x1: f64::from(r.max.x),
                y1: f64::from(r.max.y),
            });
        });
        egui::text_selection::accesskit_text::update_accesskit_for_text_widget(
            ctx,
            node,
            None,
            egui::emath::TSTransform::from_translation(pos.to_vec2()),
            galley,
        );
    }
}

/// What painting the blocks of a frame needs.
struct BlockPaint<'a> {
    painter: egui::Painter,
    /// The spans, for what the view's marks do not keep (a chip's label).
    set: &'a crate::model::AnnotationSet,
    /// The colour of each schema label, in schema order.
    colours: Vec<Color32>,
    selection: Option<crate::model::CharRange>,
    selected: Option<&'a SpanId>,
    look: Look,
}

/// The details of the span under the pointer (its text or its chip), in a tooltip, with its
/// label's description. Attributes the label defines come first (an unset one with a default
/// shows the default), then the ones it does not define, as they are.
fn hover_ui(
    response: &egui::Response,
    span: &crate::model::Span,
    def: Option<&crate::model::LabelDef>,
    text: &Text,
) {
    let quoted = crate::model::edit::quote(text, span.range);
    response.clone().on_hover_ui_at_pointer(|ui| {
        ui.strong(format!("{} {quoted}", span.label));
        if let Some(line) = suggestion_line(span) {
            ui.label(egui::RichText::new(line).italics());
        }
        if let Some(about) = def
            .map(|d| d.description.as_str())
            .filter(|a| !a.is_empty())
        {
            ui.label(egui::RichText::new(about).italics());
        }
        ui.label(format!(
            "by {} · {} · {}",
            span.author, span.status, span.origin
        ));
        ui.weak(format!("{} · modified {}", span.range, span.modified));
        if let Some(note) = &span.note {
            ui.label(format!("Note: {note}"));
        }
        for line in crate::model::attribute::lines(
            span,
            def.map(|d| d.attributes.as_slice()).unwrap_or_default(),
        ) {
            ui.monospace(line);
        }
    });
}

/// What a hover or the details panel says of a suggestion: pending (with its agent, score and
/// the ISO value of a date) or accepted by whom. `None` for a span people made.
pub fn suggestion_line(span: &crate::model::Span) -> Option<String> {
    use crate::model::suggestion::{ACCEPTED_BY, SCORE, WHY, agent, is_pending};
    let agent = agent(span)?;
    let score = span
        .attrs
        .get(SCORE)
        .map_or(String::new(), |s| format!(", score {s}"));
    let iso = span
        .attrs
        .get("iso")
        .map_or(String::new(), |v| format!(", ISO {v}"));
    let why = span
        .attrs
        .get(WHY)
        .map_or(String::new(), |w| format!(" — {w}"));
    Some(if is_pending(span) {
        format!("Suggestion by {agent}{score}{iso}{why} (Enter accepts, Delete rejects)")
    } else {
        let by = span
            .attrs
            .get(ACCEPTED_BY)
            .map_or("someone", String::as_str);
        format!("Suggested by {agent}{score}{iso}, accepted by {by}")
    })
}

fn galley_size(heights: &Heights, b: usize, wrap: f32) -> Vec2 {
    Vec2::new(wrap, heights.top(b + 1) - heights.top(b))
}

/// The colour of each schema label, in schema order.
pub fn label_colours(session: &Session) -> Vec<Color32> {
    session
        .doc()
        .schema
        .labels()
        .iter()
        .map(|d| paint::colour(d.colour))
        .collect()
}
