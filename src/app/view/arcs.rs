//! Relation arrows, drawn like brat's arcs: from one span's label chip up into the room above
//! the row, across, and down onto the other span's chip, with the head at the relation's
//! target. Arrows on one row are stacked (shorter ones lower) so they do not cross each other;
//! an arrow between two rows leaves its first row at the column's edge and enters the second
//! from the other edge; an arrow whose other end is off screen ends at the edge with a marker
//! that brings that end into view when clicked. Only the spans on screen are looked at: the
//! cost follows what is shown, not the number of relations.

use std::collections::{BTreeMap, HashMap};

use egui::{Align2, Color32, CornerRadius, FontId, Painter, Pos2, Rect, Shape, Stroke, Vec2};

use super::paint::{Metrics, colour};
use crate::model::{AnnotationSet, CharOffset, Schema, SpanId, Status};

/// How far above a chip the lowest arrow runs.
const RISE: f32 = 3.0;
/// Stacked arrows beyond this many share the top level.
const MAX_LEVELS: usize = 4;
/// How close the pointer must come to an arrow to hover or click it.
const HIT: f32 = 4.0;

/// One relation's arrow as drawn this frame.
#[derive(Debug, Clone)]
pub struct Arrow {
    pub relation: SpanId,
    pub kind: String,
    pub colour: Color32,
    pub status: Status,
    /// The polylines (one per row the arrow crosses).
    pub parts: Vec<Vec<Pos2>>,
    /// Where the head points (the target chip's top), when the target is on screen.
    pub head: Option<Pos2>,
    /// The middle of its longest horizontal run, where its kind is written.
    pub label_at: Pos2,
    /// A marker at the column's edge standing for the end that is off screen.
    pub jump: Option<Jump>,
}

/// An off-screen end: clicking the marker brings `to` into view.
#[derive(Debug, Clone, Copy)]
pub struct Jump {
    pub at: Pos2,
    pub up: bool,
    pub to: CharOffset,
}

impl Jump {
    pub fn rect(&self) -> Rect {
        Rect::from_center_size(self.at, Vec2::new(14.0, 14.0))
    }
}

impl Arrow {
    /// Whether `pos` is on the arrow (within a few points of a line).
    pub fn is_near(&self, pos: Pos2) -> bool {
        self.parts.iter().any(|part| {
            part.windows(2)
                .any(|w| distance_to_segment(pos, w[0], w[1]) <= HIT)
        })
    }
}

/// One horizontal run of an arrow on one row, before its height is known.
struct Run {
    arrow: usize,
    /// The top of the chips of its row (the row's key too).
    row: f32,
    from_x: f32,
    to_x: f32,
    /// Whether it starts at a chip (else at the column's edge), and ends at one.
    from_chip: bool,
    to_chip: bool,
    /// Whether this run ends at the relation's target.
    ends_at_target: bool,
}

/// The arrows of the relations of the spans whose chips are on screen. `chips` are this
/// frame's chip rectangles; `column` the text's left and right edge.
pub fn lay_out(
    chips: &[(Rect, SpanId)],
    set: &AnnotationSet,
    schema: &Schema,
    column: (f32, f32),
    metrics: Metrics,
) -> Vec<Arrow> {
    let mut chip_of: HashMap<&SpanId, Rect> = HashMap::with_capacity(chips.len());
    for (rect, id) in chips {
        chip_of.entry(id).or_insert(*rect);
    }
    let mut relations = BTreeMap::new();
    for (_, id) in chips {
        for r in set.relations_of(id) {
            relations.insert(&r.id, r);
        }
    }
    let mut arrows = Vec::with_capacity(relations.len());
    let mut runs = Vec::new();
    for r in relations.values() {
        let (from, to) = (chip_of.get(&r.from), chip_of.get(&r.to));
        let start_of = |id: &SpanId| set.get(id).map_or(CharOffset(0), |s| s.range.start());
        let later = start_of(&r.to) >= start_of(&r.from);
        let colour = schema
            .relation_kind(r.kind.as_str())
            .map_or(Color32::from_gray(140), |k| colour(k.colour));
        let arrow = arrows.len();
        let (left, right) = column;
        let mut jump = None;
        match (from, to) {
            (Some(a), Some(b)) if (a.top() - b.top()).abs() < 1.0 => runs.push(Run {
                arrow,
                row: a.top(),
                from_x: a.center().x,
                to_x: b.center().x,
                from_chip: true,
                to_chip: true,
                ends_at_target: true,
            }),
            (Some(a), Some(b)) => {
                let down = b.top() > a.top();
                let (leave, enter) = if down { (right, left) } else { (left, right) };
                runs.push(Run {
                    arrow,
                    row: a.top(),
                    from_x: a.center().x,
                    to_x: leave,
                    from_chip: true,
                    to_chip: false,
                    ends_at_target: false,
                });
                runs.push(Run {
                    arrow,
                    row: b.top(),
                    from_x: enter,
                    to_x: b.center().x,
                    from_chip: false,
                    to_chip: true,
                    ends_at_target: true,
                });
            }
            (Some(a), None) => {
                let edge = if later { right } else { left };
                runs.push(Run {
                    arrow,
                    row: a.top(),
                    from_x: a.center().x,
                    to_x: edge,
                    from_chip: true,
                    to_chip: false,
                    ends_at_target: false,
                });
                jump = Some((edge, a.top(), !later, start_of(&r.to)));
            }
            (None, Some(b)) => {
                // The source is off screen: before the target when the target is later.
                let edge = if later { left } else { right };
                runs.push(Run {
                    arrow,
                    row: b.top(),
                    from_x: edge,
                    to_x: b.center().x,
                    from_chip: false,
                    to_chip: true,
                    ends_at_target: true,
                });
                jump = Some((edge, b.top(), later, start_of(&r.from)));
            }
            (None, None) => continue,
        }
        arrows.push(Arrow {
            relation: r.id.clone(),
            kind: r.kind.to_string(),
            colour,
            status: r.status,
            parts: Vec::new(),
            head: None,
            label_at: Pos2::ZERO,
            jump: jump.map(|(x, row, up, to)| Jump {
                at: Pos2::new(x, row - RISE),
                up,
                to,
            }),
        });
    }
    let levels = stack(&runs);
    let mut longest = vec![0.0f32; arrows.len()];
    for (run, level) in runs.iter().zip(levels) {
        let y = run.row - RISE - level.min(MAX_LEVELS - 1) as f32 * metrics.arc_gap();
        let mut part = Vec::with_capacity(4);
        if run.from_chip {
            part.push(Pos2::new(run.from_x, run.row));
        }
        part.push(Pos2::new(run.from_x, y));
        part.push(Pos2::new(run.to_x, y));
        if run.to_chip {
            part.push(Pos2::new(run.to_x, run.row));
        }
        let a = &mut arrows[run.arrow];
        if run.ends_at_target && run.to_chip {
            a.head = Some(Pos2::new(run.to_x, run.row));
        }
        let width = (run.to_x - run.from_x).abs();
        if width >= longest[run.arrow] {
            longest[run.arrow] = width;
            a.label_at = Pos2::new((run.from_x + run.to_x) * 0.5, y);
        }
        if let Some(j) = &mut a.jump
            && (!run.from_chip || !run.to_chip)
        {
            j.at.y = y;
        }
        a.parts.push(part);
    }
    arrows
}

/// The level of each run: on each row, shorter runs lower, each on the lowest level where it
/// overlaps no run already placed.
fn stack(runs: &[Run]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..runs.len()).collect();
    let width = |r: &Run| (r.to_x - r.from_x).abs();
    order.sort_by(|&a, &b| width(&runs[a]).total_cmp(&width(&runs[b])));
    let mut placed: Vec<(f32, f32, f32, usize)> = Vec::new();
    let mut levels = vec![0; runs.len()];
    for i in order {
        let r = &runs[i];
        let (lo, hi) = (r.from_x.min(r.to_x) - 3.0, r.from_x.max(r.to_x) + 3.0);
        let mut level = 0;
        while placed
            .iter()
            .any(|&(row, a, b, l)| (row - r.row).abs() < 1.0 && l == level && a < hi && lo < b)
        {
            level += 1;
        }
        placed.push((r.row, lo, hi, level));
        levels[i] = level;
    }
    levels
}

/// How an arrow is drawn: plain, emphasised (it touches the selected span, or is hovered), or
/// selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    Plain,
    Strong,
    Selected,
}

/// Paints the arrows, each with its emphasis, in three passes so that nothing hides what
/// matters: the lines, then the kinds written on the emphasised ones (on a see-through ground,
/// as a label is taller than the gap between stacked arrows), then the heads and edge markers.
pub fn paint_all(painter: &Painter, arrows: &[(&Arrow, Emphasis)], metrics: Metrics, ink: Color32) {
    for (arrow, emphasis) in arrows {
        paint_lines(painter, arrow, *emphasis, ink);
    }
    for (arrow, emphasis) in arrows {
        if *emphasis != Emphasis::Plain {
            paint_label(painter, arrow, metrics, ink);
        }
    }
    for (arrow, emphasis) in arrows {
        paint_ends(painter, arrow, *emphasis);
    }
}

/// The colour an arrow is drawn in (faded when rejected), and its line width.
fn look(arrow: &Arrow, emphasis: Emphasis) -> (Color32, f32) {
    let colour = if arrow.status == Status::Rejected {
        arrow.colour.gamma_multiply(0.45)
    } else {
        arrow.colour
    };
    let width = match emphasis {
        Emphasis::Plain => 1.5,
        Emphasis::Strong => 2.2,
        Emphasis::Selected => 2.8,
    };
    (colour, width)
}

fn paint_lines(painter: &Painter, arrow: &Arrow, emphasis: Emphasis, ink: Color32) {
    let (colour, width) = look(arrow, emphasis);
    for part in &arrow.parts {
        if emphasis == Emphasis::Selected {
            painter.add(Shape::line(part.clone(), Stroke::new(width + 2.5, ink)));
        }
        if arrow.status == Status::Rejected {
            painter.extend(Shape::dashed_line(
                part,
                Stroke::new(width, colour),
                4.0,
                3.0,
            ));
        } else {
            painter.add(Shape::line(part.clone(), Stroke::new(width, colour)));
        }
    }
}

fn paint_label(painter: &Painter, arrow: &Arrow, metrics: Metrics, ink: Color32) {
    let (colour, _) = look(arrow, Emphasis::Strong);
    let font = FontId::proportional(metrics.chip_font_size * 0.95);
    let galley = painter.layout_no_wrap(arrow.kind.clone(), font, colour);
    let rect = Rect::from_center_size(arrow.label_at, galley.size() + Vec2::new(4.0, 0.0));
    let ground = if ink.r() > 128 {
        Color32::from_black_alpha(150)
    } else {
        Color32::from_white_alpha(170)
    };
    painter.rect_filled(rect, CornerRadius::same(2), ground);
    painter.galley(rect.min + Vec2::new(2.0, 0.0), galley, colour);
}

fn paint_ends(painter: &Painter, arrow: &Arrow, emphasis: Emphasis) {
    let (colour, width) = look(arrow, emphasis);
    if let Some(tip) = arrow.head {
        let s = 3.0 + width;
        painter.add(Shape::convex_polygon(
            vec![
                tip,
                tip + Vec2::new(-s * 0.7, -s * 1.2),
                tip + Vec2::new(s * 0.7, -s * 1.2),
            ],
            colour,
            Stroke::NONE,
        ));
    }
    if let Some(j) = arrow.jump {
        // A triangle pointing to where the other end is (drawn: the fonts have no arrows).
        let r = j.rect();
        painter.rect_filled(r, CornerRadius::same(3), colour);
        let (c, s) = (r.center(), r.width() * 0.3);
        let tip = if j.up { -s } else { s };
        painter.add(Shape::convex_polygon(
            vec![
                c + Vec2::new(0.0, tip),
                c + Vec2::new(-s, -tip * 0.7),
                c + Vec2::new(s, -tip * 0.7),
            ],
            Color32::WHITE,
            Stroke::NONE,
        ));
    }
}

/// The dashed line from a relation's source chip to the span picked as its other end, with
/// the kind Enter would make written on it.
pub fn paint_pick(
    painter: &Painter,
    from: Rect,
    to: Rect,
    kind: &str,
    colour: Color32,
    metrics: Metrics,
) {
    let (a, b) = (from.center_top(), to.center_top());
    let top = a.y.min(b.y) - RISE - MAX_LEVELS as f32 * metrics.arc_gap();
    let points = [a, Pos2::new(a.x, top), Pos2::new(b.x, top), b];
    painter.extend(Shape::dashed_line(
        &points,
        Stroke::new(2.0, colour),
        5.0,
        3.0,
    ));
    painter.text(
        Pos2::new((a.x + b.x) * 0.5, top),
        Align2::CENTER_BOTTOM,
        format!("{kind}?"),
        FontId::proportional(metrics.chip_font_size),
        colour,
    );
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len2 = ab.length_sq();
    if len2 == 0.0 {
        return p.distance(a);
    }
    let t = ((p - a).dot(ab) / len2).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(row: f32, from_x: f32, to_x: f32) -> Run {
        Run {
            arrow: 0,
            row,
            from_x,
            to_x,
            from_chip: true,
            to_chip: true,
            ends_at_target: true,
        }
    }

    #[test]
    fn overlapping_runs_of_a_row_stack_shorter_below_and_other_rows_do_not_count() {
        let runs = [
            run(10.0, 0.0, 100.0),
            run(10.0, 20.0, 40.0),
            run(10.0, 200.0, 300.0),
            run(50.0, 0.0, 100.0),
            run(10.0, 30.0, 60.0),
        ];
        // The short one lowest; the one overlapping it above; the long one above both; a run
        // elsewhere on the row and one on another row on the lowest level.
        assert_eq!(stack(&runs), [2, 0, 0, 0, 1]);
    }

    /// "[Lavrov]{actor} [said]{action} … [Monday]{date}" with said → Lavrov and said → Monday.
    fn linked() -> (AnnotationSet, Schema) {
        use crate::model::marked::{label, marked};
        let (text, spans) = marked("[Lavrov]{actor} [said]{action} on [Monday]{date}");
        let mut set = AnnotationSet::new(std::sync::Arc::new(crate::model::Text::new(text)));
        for s in spans {
            set.insert(s).unwrap();
        }
        for (n, kind, to) in [(1, "agent", 1), (2, "time", 3)] {
            set.insert_relation(crate::model::Relation::new(
                SpanId::relation_numbered(n),
                label(kind),
                SpanId::numbered(2),
                SpanId::numbered(to),
                "t",
                crate::model::Timestamp::from_unix(0),
            ))
            .unwrap();
        }
        (set, Schema::default())
    }

    fn chip(x: f32, y: f32) -> Rect {
        Rect::from_min_size(Pos2::new(x, y), Vec2::new(30.0, 12.0))
    }

    #[test]
    fn arrows_on_one_row_stack_and_an_end_off_screen_gets_a_jump_to_it() {
        let (set, schema) = linked();
        let metrics = Metrics::with_arcs(16.0, true);
        let chips = vec![
            (chip(0.0, 100.0), SpanId::numbered(1)),
            (chip(60.0, 100.0), SpanId::numbered(2)),
            (chip(150.0, 100.0), SpanId::numbered(3)),
        ];
        let arrows = lay_out(&chips, &set, &schema, (0.0, 500.0), metrics);
        assert_eq!(arrows.len(), 2);
        // Both on the row: heads on the targets' chips, no jump; both leave said's chip, so they
        // are stacked, the shorter (agent) nearer the text.
        assert!(arrows.iter().all(|a| a.jump.is_none() && a.head.is_some()));
        let height = |kind: &str| arrows.iter().find(|a| a.kind == kind).unwrap().parts[0][1].y;
        assert!(height("agent") > height("time"));
        // Monday off screen (scrolled away below): said's time arrow runs to the right edge
        // and its marker jumps to Monday's start.
        let arrows = lay_out(&chips[..2], &set, &schema, (0.0, 500.0), metrics);
        let time = arrows.iter().find(|a| a.kind == "time").unwrap();
        let jump = time.jump.unwrap();
        assert_eq!((jump.at.x, jump.up), (500.0, false));
        let monday = set.get(&SpanId::numbered(3)).unwrap().range.start();
        assert_eq!(jump.to, monday);
        assert!(time.head.is_none());
        // Lavrov's row above said's: the agent arrow leaves said's row at the left edge and
        // enters Lavrov's from the right.
        let rows = vec![
            (chip(300.0, 50.0), SpanId::numbered(1)),
            (chip(60.0, 100.0), SpanId::numbered(2)),
        ];
        let arrows = lay_out(&rows, &set, &schema, (0.0, 500.0), metrics);
        let agent = arrows.iter().find(|a| a.kind == "agent").unwrap();
        assert_eq!(agent.parts.len(), 2);
        assert_eq!(agent.parts[0].last().unwrap().x, 0.0);
        assert_eq!(agent.parts[1].first().unwrap().x, 500.0);
    }

    #[test]
    fn the_pointer_is_near_an_arrow_within_a_few_points_of_its_lines() {
        let arrow = Arrow {
            relation: SpanId::new("r1").unwrap(),
            kind: "source".into(),
            colour: Color32::RED,
            status: Status::Pending,
            parts: vec![vec![
                Pos2::new(0.0, 20.0),
                Pos2::new(0.0, 0.0),
                Pos2::new(100.0, 0.0),
                Pos2::new(100.0, 20.0),
            ]],
            head: None,
            label_at: Pos2::new(50.0, 0.0),
            jump: None,
        };
        assert!(arrow.is_near(Pos2::new(50.0, 3.0)));
        assert!(arrow.is_near(Pos2::new(98.0, 15.0)));
        assert!(!arrow.is_near(Pos2::new(50.0, 10.0)));
    }
}
