//! Inline SVG bar charts and the agreement tables: drawn as markup, no script, no images.

use std::collections::BTreeMap;

use super::html::esc;

const BAR_H: usize = 18;
const LABEL_W: usize = 160;
const BAR_W: usize = 360;

/// A horizontal bar chart: one bar per `(name, count, colour)`, longest to scale.
pub fn bars(title: &str, items: &[(String, u64, String)]) -> String {
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    let height = BAR_H * items.len() + 28;
    let width = LABEL_W + BAR_W + 80;
    let mut out = format!(
        "<figure class=\"chart\"><svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"><title>{}</title><text x=\"0\" y=\"14\" class=\"ct\">{}</text>",
        esc(title),
        esc(title)
    );
    for (i, (name, count, colour)) in items.iter().enumerate() {
        let y = 24 + i * BAR_H;
        let w = ((*count as f64 / max as f64) * BAR_W as f64)
            .round()
            .max(1.0) as usize;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{count}</text>",
            LABEL_W - 6,
            y + 13,
            esc(name),
            LABEL_W,
            y + 2,
            BAR_H - 4,
            esc(colour),
            LABEL_W + w + 4,
            y + 13,
        ));
    }
    out.push_str("</svg></figure>");
    out
}

/// A confusion matrix as a table, each cell shaded by its share of the largest count.
pub fn confusion(
    rows_name: &str,
    cols_name: &str,
    matrix: &BTreeMap<String, BTreeMap<String, u64>>,
) -> String {
    let cols: std::collections::BTreeSet<&String> =
        matrix.values().flat_map(BTreeMap::keys).collect();
    let max = matrix
        .values()
        .flat_map(BTreeMap::values)
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = format!(
        "<table class=\"confusion\"><caption>rows: {}, columns: {} (spans matched by overlap)</caption><thead><tr><th></th>",
        esc(rows_name),
        esc(cols_name)
    );
    for c in &cols {
        out.push_str(&format!("<th>{}</th>", esc(c)));
    }
    out.push_str("</tr></thead><tbody>");
    for (row, counts) in matrix {
        out.push_str(&format!("<tr><th>{}</th>", esc(row)));
        for c in &cols {
            let n = counts.get(*c).copied().unwrap_or(0);
            let shade = (n as f64 / max as f64 * 0.8 * 100.0).round() as u32;
            let diagonal = if row == *c { " class=\"diag\"" } else { "" };
            out.push_str(&format!(
                "<td{diagonal} style=\"background:color-mix(in srgb,#2a6fdb {shade}%,transparent)\">{n}</td>"
            ));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}
