//! Every span of the document with its label, text and status; filtered by label and status;
//! click one to select it and bring it into view. Only the visible rows are drawn.

use egui::{CornerRadius, Sense, Ui, Vec2};

use crate::app::view::paint::colour;
use crate::app::{Action, SpanmarkApp};
use crate::model::edit::quote;
use crate::model::{SpanId, Status};

/// The list's filters (kept between frames).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub label: Option<String>,
    pub status: Option<Status>,
}

pub fn ui(ui: &mut Ui, app: &mut SpanmarkApp) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(session) = &app.session else {
        return actions;
    };
    let filters = &mut app.dialogs.span_filters;
    let set = session.doc.set();
    ui.horizontal(|ui| {
        ui.heading("Spans");
        ui.weak(format!("{}", set.len()));
    });
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("filter_label")
            .selected_text(
                filters
                    .label
                    .clone()
                    .unwrap_or_else(|| "All labels".to_string()),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filters.label, None, "All labels");
                for def in session.doc.schema.labels() {
                    ui.selectable_value(
                        &mut filters.label,
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
                filters
                    .status
                    .map_or("Any status".to_string(), |s| s.to_string()),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filters.status, None, "Any status");
                for s in Status::ALL {
                    ui.selectable_value(&mut filters.status, Some(s), s.as_str());
                }
            })
            .response
            .widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by status")
            });
    });
    // The filtered list is built when the filters change and then kept up to date span by
    // span: with 100,000 spans, filtering every frame (or every edit) would cost more than
    // drawing the article.
    let keep = |s: &crate::model::Span| {
        filters
            .label
            .as_deref()
            .is_none_or(|l| s.label.as_str() == l)
            && filters.status.is_none_or(|st| s.status == st)
    };
    let cache = &mut app.dialogs.span_rows;
    let same_filters = cache.0.as_ref().is_some_and(|(_, f)| f == &*filters);
    let changed = match &cache.0 {
        Some((g, _)) if same_filters => session.changed_since(*g),
        _ => None,
    };
    match changed {
        Some(ids) => {
            for id in &ids {
                cache.1.retain(|r| r != id);
                if let Some(span) = set.get(id).filter(|s| keep(s)) {
                    let key = span.sort_key();
                    let at = cache
                        .1
                        .partition_point(|r| set.get(r).is_some_and(|o| o.sort_key() < key));
                    cache.1.insert(at, id.clone());
                }
            }
        }
        None => {
            cache.1 = set
                .spans()
                .filter(|s| keep(s))
                .map(|s| s.id.clone())
                .collect();
        }
    }
    cache.0 = Some((session.generation, filters.clone()));
    let rows = &cache.1;
    if rows.is_empty() {
        ui.weak(if set.is_empty() {
            "No spans yet"
        } else {
            "No span matches the filters"
        });
        return actions;
    }
    let text = session.doc.text();
    let selected = session.selected_span.clone();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let schema = &session.doc.schema;
    egui::ScrollArea::vertical()
        .id_salt("span_list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for span in rows[range].iter().filter_map(|id| set.get(id)) {
                let c = schema
                    .get(span.label.as_str())
                    .map_or(egui::Color32::GRAY, |d| colour(d.colour));
                let is_selected = selected.as_ref() == Some(&span.id);
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
                painter.rect_filled(dot, CornerRadius::same(2), c);
                let label_text = format!("{}  {}", span.label, quote(text, span.range));
                let status = match span.status {
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
                let id: SpanId = span.id.clone();
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
