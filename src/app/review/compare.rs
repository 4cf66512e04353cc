//! The comparison on screen: the toolbar (the article, the colour key, the difference shown,
//! agreement, adjudication, the way out) and the list of differences in the left panel.

use egui::{Color32, RichText, Ui};

use super::button;
use crate::app::action::Action;
use crate::app::commands::Command;
use crate::app::state::AppState;
use crate::app::view::paint::colour;
use crate::review::compare::{AGREED_COLOUR, annotator_rgb, describe};

/// The colour of annotator `i` (in name order).
pub fn annotator_colour(i: usize) -> Color32 {
    colour(annotator_rgb(i))
}

pub fn toolbar_ui(ui: &mut Ui, state: &AppState) -> Vec<Action> {
    let mut actions = Vec::new();
    let current = state.current_difference();
    let Some(c) = state.compare.as_ref().map(|c| &c.comparison) else {
        return actions;
    };
    let mut article = c.article;
    ui.horizontal_wrapped(|ui| {
        ui.strong("Comparison");
        let name = |i: usize| c.articles.get(i).map_or("", |a| a.name.as_str());
        if c.articles.len() > 1 {
            egui::ComboBox::from_id_salt("compare_article")
                .selected_text(name(c.article))
                .show_ui(ui, |ui| {
                    for (i, a) in c.articles.iter().enumerate() {
                        ui.selectable_value(&mut article, i, a.name.as_str());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Article to compare")
                });
        } else {
            ui.label(name(c.article));
        }
        ui.separator();
        for (i, name) in c.merged.annotators.iter().enumerate() {
            ui.label(RichText::new(format!("■ {name} only")).color(annotator_colour(i)));
        }
        ui.label(RichText::new("■ everyone").color(colour(AGREED_COLOUR)));
        ui.separator();
        let n = c.merged.spans_of.len();
        ui.label(match current {
            Some(i) => format!(
                "Difference {} of {n}: {}",
                i + 1,
                c.merged
                    .alignment
                    .differences
                    .get(i)
                    .map_or("", |d| d.kind.as_str())
            ),
            None if n == 0 => "No differences".to_string(),
            None => format!("{n} differences"),
        });
        button(ui, Command::PrevDifference, "◀ Previous", &mut actions);
        button(ui, Command::NextDifference, "Next ▶", &mut actions);
        ui.separator();
        button(ui, Command::ShowAgreement, "Agreement…", &mut actions);
        button(ui, Command::WriteGold, "Adjudicate…", &mut actions);
        button(ui, Command::CloseComparison, "Close", &mut actions);
    });
    if article != c.article {
        actions.push(Action::CompareArticle(article));
    }
    actions
}

/// The list of differences, in the left panel while comparing.
pub fn list_ui(ui: &mut Ui, state: &AppState) -> Vec<Action> {
    let mut actions = Vec::new();
    let current = state.current_difference();
    let Some(c) = state.compare.as_ref().map(|c| &c.comparison) else {
        return actions;
    };
    let diffs = &c.merged.alignment.differences;
    ui.horizontal(|ui| {
        ui.heading("Differences");
        ui.weak(format!("{}", diffs.len()));
    });
    let agreed = c.merged.alignment.agreed.len();
    ui.weak(format!(
        "{agreed} span{} agreed by all of {}",
        if agreed == 1 { "" } else { "s" },
        c.merged.annotators.join(", ")
    ));
    if diffs.is_empty() {
        ui.label("The annotators agree on every span.");
        return actions;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::both()
        .id_salt("differences")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, diffs.len(), |ui, range| {
            for i in range {
                let described = describe(&diffs[i], &c.merged.doc);
                let text = format!("{}. {described}", i + 1);
                let r = ui
                    .add(egui::Button::selectable(current == Some(i), text).truncate())
                    .on_hover_text(described);
                if r.clicked() {
                    actions.push(Action::GoToDifference(i));
                }
            }
        });
    actions
}
