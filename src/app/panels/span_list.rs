//! Every span of the document with its label, text and status; filtered by label, status and
//! a role its frame misses (claims without a source, …);
//! click one to select it and bring it into view. Only the visible rows are drawn.

use egui::{CornerRadius, Sense, Ui, Vec2};

use crate::app::action::Action;
use crate::app::session::Session;
use crate::app::state::SpanFilters;
use crate::app::view::paint::colour;
use crate::model::edit::quote;
use crate::model::frames::{FrameType, affected};
use crate::model::{Span, SpanId, Status};

/// The list's rows, kept up to date span by span: with 100,000 spans, filtering every frame
/// (or every edit) would cost more than drawing the article.
#[derive(Debug, Default)]
pub struct SpanList {
    /// What the rows are for: the session shown, its generation, the filters.
    built_for: Option<(u64, u64, SpanFilters)>,
    rows: Vec<SpanId>,
}

impl SpanList {
    /// The ids listed, in text order.
    pub fn rows(&self) -> &[SpanId] {
        &self.rows
    }

    /// Brings the rows up to date with `session` under `filters`.
    fn update(&mut self, session: &Session, shown: u64, filters: &SpanFilters) {
        let set = session.doc().set();
        let keep = |s: &Span| filters.keep(set, s);
        let changed = match &self.built_for {
            Some((sh, g, f)) if *sh == shown && f == filters => session.changed_since(*g),
            _ => None,
        };
        match changed {
            Some(ids) => {
                // A span's frame changes with the other ends of its relations.
                let ids = if filters.missing.is_some() {
                    affected(set, &ids)
                } else {
                    ids
                };
                for id in &ids {
                    self.rows.retain(|r| r != id);
                    if let Some(span) = set.get(id).filter(|s| keep(s)) {
                        let key = span.sort_key();
                        let at = self
                            .rows
                            .partition_point(|r| set.get(r).is_some_and(|o| o.sort_key() < key));
                        self.rows.insert(at, id.clone());
                    }
                }
            }
            None => {
                self.rows = set
                    .spans()
                    .filter(|s| keep(s))
                    .map(|s| s.id.clone())
                    .collect();
                // Filtered, the count is not known ahead: without this, up to half as much
                // again stays reserved (0.5 MB at 100,000 spans).
                self.rows.shrink_to_fit();
            }
        }
        self.built_for = Some((shown, session.generation(), filters.clone()));
    }
}

/// The filters: a label and a status; a change comes back as an action.
fn filters_ui(ui: &mut Ui, session: &Session, filters: &SpanFilters) -> Option<Action> {
    let mut chosen = filters.clone();
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("filter_label")
            .selected_text(
                chosen
                    .label
                    .clone()
                    .unwrap_or_else(|| "All labels".to_string()),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen.label, None, "All labels");
                for def in session.doc().schema.labels() {
                    ui.selectable_value(
                        &mut chosen.label,
                        Some(def.name.to_string()),
                        def.name.as_str(),
                    );
                }
            })
            .response
            .widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by label")
            });
        egui::ComboBox::from_id_salt("filter_status")
            .selected_text(
                chosen
                    .status
                    .map_or("Any status".to_string(), |s| s.to_string()),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen.status, None, "Any status");
                for s in Status::ALL {
                    ui.selectable_value(&mut chosen.status, Some(s), s.as_str());
                }
            })
            .response
            .widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by status")
            });
    });
    let missing_text = |m: Option<(FrameType, &str)>| match m {
        None => "Any frame".to_string(),
        Some((kind, role)) => format!("{}s without {role}", kind.as_str()),
    };
    egui::ComboBox::from_id_salt("filter_missing")
        .selected_text(missing_text(chosen.missing))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen.missing, None, missing_text(None));
            for kind in [FrameType::Claim, FrameType::Event] {
                for role in kind.roles() {
                    let m = Some((kind, *role));
                    ui.selectable_value(&mut chosen.missing, m, missing_text(m));
                }
            }
        })
        .response
        .on_hover_text("Claims and events (actions that are not a claim's cue) missing a role")
        .widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by a missing role")
        });
    attr_filter_ui(ui, session, &mut chosen.attr);
    let kind_text = |k: Option<bool>| match k {
        None => "Spans and suggestions",
        Some(true) => "Suggestions only",
        Some(false) => "People's spans only",
    };
    egui::ComboBox::from_id_salt("filter_suggested")
        .selected_text(kind_text(chosen.suggested))
        .show_ui(ui, |ui| {
            for k in [None, Some(true), Some(false)] {
                ui.selectable_value(&mut chosen.suggested, k, kind_text(k));
            }
        })
        .response
        .on_hover_text("Pending suggestions (dashed in the article) apart from the spans people made or accepted")
        .widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter suggestions")
        });
    (chosen != *filters).then_some(Action::FilterSpans(chosen))
}

/// The attribute filter: each value of each closed set and flag the schema defines, and
/// "not set" for each attribute the schema defines.
fn attr_filter_ui(ui: &mut Ui, session: &Session, attr: &mut Option<(String, Option<String>)>) {
    let text = |a: &Option<(String, Option<String>)>| match a {
        None => "Any attribute".to_string(),
        Some((name, Some(v))) => format!("{name} = {v}"),
        Some((name, None)) => format!("{name} not set"),
    };
    let mut options: Vec<(String, Option<String>)> = Vec::new();
    for def in session.doc().schema.labels() {
        for a in &def.attributes {
            for v in a.choices() {
                options.push((a.name.clone(), Some(v.value)));
            }
            options.push((a.name.clone(), None));
        }
    }
    // Two labels may define the same attribute: each option once, in schema order.
    let mut seen = std::collections::HashSet::new();
    options.retain(|o| seen.insert(o.clone()));
    egui::ComboBox::from_id_salt("filter_attr")
        .selected_text(text(attr))
        .show_ui(ui, |ui| {
            ui.selectable_value(attr, None, text(&None));
            for o in options {
                let shown = text(&Some(o.clone()));
                ui.selectable_value(attr, Some(o), shown);
            }
        })
        .response
        .widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by attribute")
        });
}

/// Every span of the document the filters keep; a click selects one.
pub fn ui(
    ui: &mut Ui,
    session: &Session,
    shown: u64,
    filters: &SpanFilters,
    list: &mut SpanList,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let set = session.doc().set();
    ui.horizontal(|ui| {
        ui.heading("Spans");
        ui.weak(format!("{}", set.len()));
        let pending = session.pending_count();
        if pending > 0 {
            ui.weak(format!("· {pending} suggested"));
        }
    });
    actions.extend(filters_ui(ui, session, filters));
    list.update(session, shown, filters);
    let rows = &list.rows;
    if rows.is_empty() {
        ui.weak(if set.is_empty() {
            "No spans yet"
        } else {
            "No span matches the filters"
        });
        return actions;
    }
    let text = session.doc().text();
    let selected = session.selected_id();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let schema = &session.doc().schema;
    egui::ScrollArea::vertical()
        .id_salt("span_list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for span in rows[range].iter().filter_map(|id| set.get(id)) {
                let c = schema
                    .get(span.label.as_str())
                    .map_or(egui::Color32::GRAY, |d| colour(d.colour));
                let is_selected = selected == Some(&span.id);
                let (rect, response) = ui.allocate_exact_size(
                    Vec2::new(ui.available_width(), row_height),
                    Sense::click(),
                );
                let painter = ui.painter_at(rect);
                if is_selected {
                    painter.rect_filled(
                        rect,
                        CornerRadius::same(3),
                        ui.visuals().selection.bg_fill,
                    );
                } else if response.hovered() {
                    painter.rect_filled(
                        rect,
                        CornerRadius::same(3),
                        ui.visuals().widgets.hovered.weak_bg_fill,
                    );
                }
                let dot = egui::Rect::from_center_size(
                    rect.left_center() + Vec2::new(8.0, 0.0),
                    Vec2::splat(9.0),
                );
                let suggested = crate::model::suggestion::is_pending(span);
                if suggested {
                    crate::app::view::paint::dashed_outline(
                        &painter,
                        dot,
                        egui::Stroke::new(1.5, c),
                    );
                } else {
                    painter.rect_filled(dot, CornerRadius::same(2), c);
                }
                let label_text = format!(
                    "{}{}  {}",
                    span.label,
                    if suggested { "?" } else { "" },
                    quote(text, span.range)
                );
                let status = match span.status {
                    _ if suggested => "suggested",
                    Status::Pending => "",
                    Status::Accepted => "✔",
                    Status::Rejected => "×",
                };
                painter.text(
                    rect.left_center() + Vec2::new(18.0, 0.0),
                    egui::Align2::LEFT_CENTER,
                    &label_text,
                    egui::FontId::proportional(13.5),
                    ui.visuals().text_color(),
                );
                painter.text(
                    rect.right_center() - Vec2::new(6.0, 0.0),
                    egui::Align2::RIGHT_CENTER,
                    status,
                    egui::FontId::proportional(13.5),
                    ui.visuals().weak_text_color(),
                );
                let id = span.id.clone();
                let response = match schema
                    .get(span.label.as_str())
                    .map(|d| d.description.as_str())
                    .filter(|d| !d.is_empty())
                {
                    Some(about) => response.on_hover_text(format!("{}: {about}", span.label)),
                    None => response,
                };
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::ListItem,
                        true,
                        format!("{label_text} {}", span.status),
                    )
                });
                if response.clicked() {
                    actions.push(Action::SelectSpan(id));
                }
            }
        });
    actions
}
