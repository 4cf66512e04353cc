//! The agreement window of a comparison: for a pair of the compared annotators, the overall
//! numbers (exact and overlap F1, token κ, and Krippendorff's α over everyone), F1 per label as a
//! bar chart, and the confusion of labels as a heatmap (egui_plot). The numbers come from
//! [`crate::review::agreement`] over every article of the compared files; the README defines them.

use egui::{Color32, RichText, Sense, Ui};
use egui_plot::{Bar, BarChart, GridMark, Heatmap, Plot, PlotPoint, Text};

use crate::review::{Agreement, PairAgreement};

/// Bars: exact F1 and overlap F1.
const EXACT: Color32 = Color32::from_rgb(0x00, 0x72, 0xb2);
const OVERLAP: Color32 = Color32::from_rgb(0xe6, 0x9f, 0x00);

/// Per label: (label, exact F1, overlap F1), in label order.
pub fn per_label(pair: &PairAgreement) -> Vec<(String, f64, f64)> {
    pair.exact
        .by_label
        .iter()
        .map(|(label, exact)| {
            let overlap = pair.overlap.by_label.get(label).map_or(0.0, |p| p.f1);
            (label.clone(), exact.f1, overlap)
        })
        .collect()
}

/// The confusion matrix as (row labels = a's, column labels = b's, counts row by row).
pub fn confusion(pair: &PairAgreement) -> (Vec<String>, Vec<String>, Vec<Vec<u64>>) {
    let rows: Vec<String> = pair.confusion.keys().cloned().collect();
    let mut cols: Vec<String> = pair
        .confusion
        .values()
        .flat_map(|r| r.keys().cloned())
        .collect();
    cols.sort();
    cols.dedup();
    let counts = rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| {
                    pair.confusion
                        .get(r)
                        .and_then(|row| row.get(c))
                        .copied()
                        .unwrap_or(0)
                })
                .collect()
        })
        .collect();
    (rows, cols, counts)
}

/// Grid marks at the middle of each of `n` unit-wide slots starting at `offset`.
fn slot_marks(n: usize, offset: f64) -> Vec<GridMark> {
    (0..n)
        .map(|i| GridMark {
            value: offset + i as f64,
            step_size: 1.0,
        })
        .collect()
}

/// The name at a slot's mark (`value` = offset + i), or nothing between slots.
fn slot_name(names: &[String], value: f64, offset: f64) -> String {
    let i = (value - offset).round();
    if (value - offset - i).abs() > 0.01 || i < 0.0 {
        return String::new();
    }
    names.get(i as usize).cloned().unwrap_or_default()
}

fn fixed_plot(id: &str) -> Plot<'static> {
    Plot::new(id)
        .sense(Sense::hover())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag(false)
        .show_x(false)
        .show_y(false)
        .show_grid([false, true])
}

/// The bar chart of F1 per label (exact and overlap side by side).
fn bars_ui(ui: &mut Ui, pair: &PairAgreement) {
    let rows = per_label(pair);
    if rows.is_empty() {
        ui.weak("Neither annotator marked any span: nothing to chart.");
        return;
    }
    let names: Vec<String> = rows.iter().map(|(l, _, _)| l.clone()).collect();
    let exact: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, (l, f, _))| {
            Bar::new(i as f64 - 0.18, *f)
                .width(0.34)
                .name(format!("{l} exact"))
        })
        .collect();
    let overlap: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, (l, _, f))| {
            Bar::new(i as f64 + 0.18, *f)
                .width(0.34)
                .name(format!("{l} overlap"))
        })
        .collect();
    let n = names.len();
    let x_names = names.clone();
    let ui_text = ui.visuals().text_color();
    fixed_plot("agreement_bars")
        .height(200.0)
        .include_y(0.0)
        .include_y(1.05)
        .include_x(-0.6)
        .include_x(n as f64 - 0.4)
        .x_grid_spacer(move |_| slot_marks(n, 0.0))
        .x_axis_formatter(move |mark, _| slot_name(&x_names, mark.value, 0.0))
        .y_axis_label("F1")
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("exact F1", exact).color(EXACT));
            plot.bar_chart(BarChart::new("overlap F1", overlap).color(OVERLAP));
            // The value over each bar, so a zero reads as a zero.
            for (i, (_, e, o)) in rows.iter().enumerate() {
                for (dx, v) in [(-0.18, e), (0.18, o)] {
                    plot.text(
                        Text::new(
                            "f1",
                            PlotPoint::new(i as f64 + dx, v + 0.04),
                            format!("{v:.2}"),
                        )
                        .color(ui_text),
                    );
                }
            }
        });
    ui.horizontal(|ui| {
        ui.label(RichText::new("■ exact F1").color(EXACT));
        ui.label(RichText::new("■ overlap F1").color(OVERLAP));
    });
}

/// The heatmap of the confusion matrix: rows are `a`'s labels (top to bottom), columns `b`'s.
fn heatmap_ui(ui: &mut Ui, pair: &PairAgreement) {
    let (rows, cols, counts) = confusion(pair);
    if rows.is_empty() || cols.is_empty() {
        ui.weak("No spans were matched: the confusion matrix is empty.");
        return;
    }
    // Heatmap rows go upwards: give it the last row first, so the first is on top.
    let values: Vec<f64> = counts
        .iter()
        .rev()
        .flat_map(|r| r.iter().map(|&c| c as f64))
        .collect();
    let max = values.iter().copied().fold(0.0, f64::max);
    let low = if ui.visuals().dark_mode {
        Color32::from_gray(40)
    } else {
        Color32::from_gray(235)
    };
    let mut map = Heatmap::new(values, cols.len())
        .at(PlotPoint::new(0.0, 0.0))
        .palette(&[low, Color32::from_rgb(0x00, 0x72, 0xb2)])
        .formatter(Box::new(|v| format!("{v:.0}")))
        .name("confusion");
    if max > 0.0 {
        map = map.range(0.0, max);
    }
    let (n_rows, n_cols) = (rows.len(), cols.len());
    let y_names: Vec<String> = rows.iter().rev().cloned().collect();
    fixed_plot("agreement_confusion")
        .height((n_rows as f32 * 34.0 + 60.0).clamp(140.0, 360.0))
        .show_grid(false)
        .include_x(0.0)
        .include_x(n_cols as f64)
        .include_y(0.0)
        .include_y(n_rows as f64)
        .x_grid_spacer(move |_| slot_marks(n_cols, 0.5))
        .y_grid_spacer(move |_| slot_marks(n_rows, 0.5))
        .x_axis_formatter(move |mark, _| slot_name(&cols, mark.value, 0.5))
        .y_axis_formatter(move |mark, _| slot_name(&y_names, mark.value, 0.5))
        .y_axis_min_width(60.0)
        .x_axis_label(format!("labels of {}", pair.b))
        .y_axis_label(format!("labels of {}", pair.a))
        .show(ui, |plot| plot.heatmap(map));
}

fn number(v: f64) -> String {
    format!("{v:.3}")
}

/// The agreement window's contents; `pair` is the chosen pair (kept by the caller).
pub fn agreement_ui(ui: &mut Ui, agreement: &Agreement, pair: &mut usize) {
    if agreement.pairs.is_empty() {
        ui.label("No two annotators share an article: there is no agreement to measure.");
        return;
    }
    *pair = (*pair).min(agreement.pairs.len() - 1);
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} article{}, annotators {}",
            agreement.documents,
            if agreement.documents == 1 { "" } else { "s" },
            agreement.annotators.join(", ")
        ));
        ui.separator();
        ui.label(match agreement.krippendorff_alpha {
            Some(a) => format!("Krippendorff's α (all): {}", number(a)),
            None => "Krippendorff's α: none (no token has two annotators)".into(),
        });
    });
    if agreement.pairs.len() > 1 {
        let names: Vec<String> = agreement
            .pairs
            .iter()
            .map(|p| format!("{} vs {}", p.a, p.b))
            .collect();
        egui::ComboBox::from_id_salt("agreement_pair")
            .selected_text(names[*pair].clone())
            .show_ui(ui, |ui| {
                for (i, n) in names.iter().enumerate() {
                    ui.selectable_value(pair, i, n.as_str());
                }
            })
            .response
            .widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Pair of annotators")
            });
    }
    let p = &agreement.pairs[*pair];
    ui.strong(format!("{} (reference) vs {}", p.a, p.b));
    egui::Grid::new("agreement_numbers")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            ui.strong("precision");
            ui.strong("recall");
            ui.strong("F1");
            ui.end_row();
            for (name, prf) in [("exact", &p.exact.overall), ("overlap", &p.overlap.overall)] {
                ui.label(name);
                ui.label(number(prf.precision));
                ui.label(number(prf.recall));
                ui.label(number(prf.f1));
                ui.end_row();
            }
            ui.label("token κ");
            ui.label(number(p.token_kappa));
            ui.end_row();
        });
    if !p.attributes.is_empty() {
        ui.add_space(6.0);
        ui.strong("Attributes on spans matched exactly");
        egui::Grid::new("agreement_attributes")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                for head in ["attribute", "spans", "observed", "κ"] {
                    ui.strong(head);
                }
                ui.end_row();
                for (name, a) in &p.attributes {
                    ui.label(name);
                    ui.label(a.spans.to_string());
                    ui.label(number(a.observed));
                    ui.label(number(a.kappa));
                    ui.end_row();
                }
            });
    }
    ui.add_space(6.0);
    ui.strong("F1 per label");
    bars_ui(ui, p);
    ui.add_space(6.0);
    ui.strong("Confusion of labels on matched spans");
    heatmap_ui(ui, p);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::metrics::agreement_of;
    use crate::review::test_docs::doc;

    #[test]
    fn per_label_rows_and_the_confusion_matrix() {
        let omar = doc("omar", "[Lavrov]{actor} [said]{action} on [Monday]{date}");
        let rita = doc("rita", "[Lavrov]{actor} [said on]{action} [Monday]{claim}");
        let a = agreement_of(&[&omar, &rita]).unwrap();
        let p = &a.pairs[0];
        let rows = per_label(p);
        let labels: Vec<&str> = rows.iter().map(|(l, _, _)| l.as_str()).collect();
        assert_eq!(labels, ["action", "actor", "claim", "date"]);
        assert_eq!(rows[0].1, 0.0, "exact: said vs said on");
        assert_eq!(rows[0].2, 1.0, "overlap: they share 'said'");
        assert_eq!(rows[1].1, 1.0);
        let (r, c, counts) = confusion(p);
        let date = r.iter().position(|x| x == "date").unwrap();
        let claim = c.iter().position(|x| x == "claim").unwrap();
        assert_eq!(counts[date][claim], 1);
        assert_eq!(slot_name(&c, 0.5 + claim as f64, 0.5), "claim");
        assert_eq!(slot_name(&c, 1.0, 0.5), "");
    }
}
