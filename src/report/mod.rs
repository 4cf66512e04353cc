//! `spanmark report`: one self-contained HTML file for people without the app — an auditor, a
//! reviewer. Inline CSS and SVG only; nothing is fetched, and every part reads without script
//! (a small inline script only adds a filter of the history by person).
//!
//! Per document: the article with every span highlighted ([`article`]), the spans table, the
//! frames when there are relations, the history as a timeline ([`tables`]), and the chain head
//! with whether the file verified. Per corpus: counts per label, status and annotator as bar
//! charts, and agreement with confusion matrices when several annotators' files of one article
//! are given ([`charts`]). Every text from a file is escaped ([`html`]).

pub mod article;
pub mod charts;
pub mod html;
pub mod tables;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use html::{anchor, esc, hex, ink_on};

use crate::model::{Document, Label, Rgb, SpanId, Status};
use crate::review::metrics::Agreement;
use crate::store::native::chain::Verification;

/// One document of the report, with what verifying its file found.
pub struct Entry {
    pub path: PathBuf,
    pub doc: Document,
    /// What `verify` found, or why the file could not be verified.
    pub verification: Result<Verification, String>,
}

/// The anchor of span `id` of document `d`.
pub fn span_anchor(d: usize, id: &SpanId) -> String {
    format!("d{d}-{}", anchor(id.as_str()))
}

/// The label colours of one document: a CSS class per label, from its schema (grey for a
/// label the schema lacks).
pub struct Palette {
    classes: BTreeMap<String, (usize, Rgb)>,
}

const UNKNOWN: Rgb = Rgb(0x88, 0x88, 0x88);

impl Palette {
    fn of(doc: &Document) -> Self {
        let mut classes = BTreeMap::new();
        for def in doc.schema.labels() {
            let n = classes.len();
            classes.insert(def.name.to_string(), (n, def.colour));
        }
        for s in doc.set().spans() {
            if !classes.contains_key(s.label.as_str()) {
                let n = classes.len();
                classes.insert(s.label.to_string(), (n, UNKNOWN));
            }
        }
        Self { classes }
    }

    pub fn class(&self, label: &Label) -> String {
        format!("c{}", self.classes.get(label.as_str()).map_or(0, |c| c.0))
    }

    pub fn hex(&self, label: &Label) -> String {
        hex(self.classes.get(label.as_str()).map_or(UNKNOWN, |c| c.1))
    }

    /// The CSS of document `d`'s label classes.
    fn css(&self, d: usize) -> String {
        let mut out = String::new();
        for (n, c) in self.classes.values() {
            let _ = write!(
                out,
                "#d{d} .c{n}{{background:{};color:{}}}#d{d} .sug .c{n},#d{d} .chip.sug.c{n}{{background:#fff;color:{};border-color:{}}}",
                hex(*c),
                ink_on(*c),
                hex(*c),
                hex(*c)
            );
        }
        out
    }

    /// The legend: every label with its colour.
    fn legend(&self) -> String {
        let mut out = String::from("<p class=\"legend\">");
        for (name, (n, _)) in &self.classes {
            let _ = write!(out, "<span class=\"chip c{n}\">{}</span> ", esc(name));
        }
        out.push_str("<span class=\"chip sug c0\">suggested</span> dashed: a suggestion · ✓ accepted · ✗ rejected · no mark: pending</p>");
        out
    }
}

const CSS: &str = r#"
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em 1.5em;color:#1b1b1b;background:#fafafa}
h1{font-size:1.6em}h2{border-bottom:2px solid #ccc;margin-top:2em}h3{margin-top:1.5em}
.article{white-space:pre-wrap;line-height:2.4;background:#fff;border:1px solid #ddd;padding:1em;font-family:Georgia,serif;font-size:16px}
.m{padding-bottom:1px}
.chip{display:inline-block;font:11px/1.3 system-ui,sans-serif;padding:0 4px;margin:0 2px;border-radius:3px;border:1px solid transparent;text-decoration:none;vertical-align:super}
.chip.sug{border-style:dashed;font-style:italic}
.chip.rej{text-decoration:line-through;opacity:.7}
table{border-collapse:collapse;margin:.5em 0;background:#fff}
th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
td.q{font-family:Georgia,serif;white-space:pre-wrap;max-width:30em}
tr.sug td{background:#f4f4ff;font-style:italic}tr.rej td{color:#888}
.confusion td{text-align:right;min-width:3em}.confusion td.diag{font-weight:bold}
.timeline{list-style:none;padding-left:0}.timeline li{border-left:3px solid #bbb;padding:2px 8px;margin:2px 0;background:#fff}
.timeline time,.timeline .idx{color:#555;font-family:monospace}
.timeline li.flag{border-left-color:#b3261e;background:#fdecea}.timeline .why{color:#b3261e}.timeline .act{font-weight:600}.timeline .tgt{font-family:monospace}
.timeline .change{font-family:Georgia,serif;color:#333;padding-left:1em;white-space:pre-wrap}
.ok{color:#176c1f;font-weight:600}.bad{color:#b3261e;font-weight:600}.note{color:#8a5a00;font-weight:600}
code.hash{word-break:break-all}
.chart text{font:12px system-ui,sans-serif}.chart .ct{font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:1em}
details>summary{cursor:pointer;color:#2a4f8f;margin:.3em 0}
.sec,.blk{content-visibility:auto}
.none{color:#666}
#whofilter{display:none}
@media print{details{display:block}.chip{vertical-align:baseline}}
"#;

/// Adds a filter of the history by person; the page reads the same without it.
const SCRIPT: &str = r#"
(function(){
  var rows=document.querySelectorAll('.timeline li[data-who]');
  var who={};rows.forEach(function(r){who[r.dataset.who]=1;});
  var box=document.getElementById('whofilter');var sel=box.querySelector('select');
  Object.keys(who).sort().forEach(function(w){var o=document.createElement('option');o.value=w;o.textContent=w;sel.appendChild(o);});
  box.style.display='block';
  sel.addEventListener('change',function(){rows.forEach(function(r){r.style.display=(!sel.value||r.dataset.who===sel.value)?'':'none';});});
})();
"#;

/// The whole report page for `entries`, with the corpus's `agreement` when several
/// annotators' files of one article were given.
pub fn render(entries: &[Entry], agreement: Option<&Agreement>) -> String {
    let bytes: usize = entries.iter().map(|e| e.doc.text().len_bytes() * 3).sum();
    let mut out = String::with_capacity(bytes + 65_536);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Spanmark report</title><style>");
    out.push_str(CSS);
    for (d, e) in entries.iter().enumerate() {
        out.push_str(&Palette::of(&e.doc).css(d));
    }
    out.push_str("</style></head><body>\n<h1>Spanmark report</h1>\n");
    let _ = write!(
        out,
        "<p>{} document{}. Contents: <a href=\"#corpus\">corpus</a>",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" }
    );
    for (d, e) in entries.iter().enumerate() {
        let _ = write!(
            out,
            " · <a href=\"#d{d}\">{} ({})</a>",
            esc(&e.doc.source.name),
            esc(&e.doc.annotator)
        );
    }
    out.push_str("</p>\n<p id=\"whofilter\">Show the history of: <select><option value=\"\">everyone</option></select></p>\n");
    corpus(&mut out, entries, agreement);
    for (d, e) in entries.iter().enumerate() {
        document(&mut out, e, d);
    }
    out.push_str("<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body></html>\n");
    out
}

fn corpus(out: &mut String, entries: &[Entry], agreement: Option<&Agreement>) {
    out.push_str("<section id=\"corpus\"><h2>Corpus</h2><div class=\"charts\">");
    let mut labels: BTreeMap<String, (u64, Rgb)> = BTreeMap::new();
    let mut statuses: BTreeMap<&str, u64> = BTreeMap::new();
    let mut annotators: BTreeMap<String, u64> = BTreeMap::new();
    for e in entries {
        for s in e.doc.set().spans() {
            let colour = e
                .doc
                .schema
                .get(s.label.as_str())
                .map_or(UNKNOWN, |d| d.colour);
            labels.entry(s.label.to_string()).or_insert((0, colour)).0 += 1;
            *statuses.entry(s.status.as_str()).or_default() += 1;
            *annotators.entry(s.author.to_string()).or_default() += 1;
        }
    }
    let label_bars: Vec<(String, u64, String)> = labels
        .into_iter()
        .map(|(name, (n, c))| (name, n, hex(c)))
        .collect();
    out.push_str(&charts::bars("Spans per label", &label_bars));
    let status_colour = |s: &str| match s {
        "accepted" => "#2e7d32",
        "rejected" => "#b3261e",
        _ => "#8a8a8a",
    };
    let status_bars: Vec<(String, u64, String)> = Status::ALL
        .iter()
        .map(|s| {
            let n = statuses.get(s.as_str()).copied().unwrap_or(0);
            (
                s.as_str().to_string(),
                n,
                status_colour(s.as_str()).to_string(),
            )
        })
        .collect();
    out.push_str(&charts::bars("Spans per status", &status_bars));
    let people: Vec<(String, u64, String)> = annotators
        .into_iter()
        .map(|(name, n)| (name, n, "#2a6fdb".to_string()))
        .collect();
    out.push_str(&charts::bars("Spans per author", &people));
    out.push_str("</div>");
    match agreement {
        Some(a) if a.annotators.len() >= 2 => agreement_section(out, a),
        _ => out.push_str("<p class=\"none\">Agreement needs several annotators' files of one article; none were given.</p>"),
    }
    out.push_str("</section>\n");
}

fn agreement_section(out: &mut String, a: &Agreement) {
    let _ = write!(
        out,
        "<h3>Agreement</h3><p>{} shared document{}, annotators: {}. Krippendorff's alpha (token labels): {}</p>",
        a.documents,
        if a.documents == 1 { "" } else { "s" },
        esc(&a.annotators.join(", ")),
        a.krippendorff_alpha
            .map_or("undefined".to_string(), |x| format!("{x:.3}"))
    );
    out.push_str("<table><thead><tr><th>pair</th><th>documents</th><th>token kappa</th><th>exact F1</th><th>overlap F1</th><th>relation F1</th></tr></thead><tbody>");
    for p in &a.pairs {
        let _ = write!(
            out,
            "<tr><td>{} vs {}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td></tr>",
            esc(&p.a),
            esc(&p.b),
            p.documents,
            p.token_kappa,
            p.exact.overall.f1,
            p.overlap.overall.f1,
            p.relations.overall.f1
        );
    }
    out.push_str("</tbody></table>");
    for p in &a.pairs {
        if !p.confusion.is_empty() {
            let _ = write!(out, "<h4>Confusion: {} vs {}</h4>", esc(&p.a), esc(&p.b));
            out.push_str(&charts::confusion(&p.a, &p.b, &p.confusion));
        }
    }
}

fn document(out: &mut String, e: &Entry, d: usize) {
    let doc = &e.doc;
    let palette = Palette::of(doc);
    let _ = write!(
        out,
        "<section id=\"d{d}\"><h2>{} — {}</h2><p>File <code>{}</code> · document status {} · {} spans · {} relations · {} history entries</p>",
        esc(&doc.source.name),
        esc(&doc.annotator),
        esc(&e.path.display().to_string()),
        doc.status.as_str(),
        doc.set().len(),
        doc.set().relations().count(),
        doc.audit().len()
    );
    chain_status(out, &e.verification);
    out.push_str(&palette.legend());
    out.push_str("<h3>Article</h3>");
    article::write(out, doc, d, &palette);
    out.push_str("<h3>Spans</h3>");
    tables::spans(out, doc, d, &palette);
    if doc.set().relations().next().is_some() {
        out.push_str("<h3>Frames</h3>");
        tables::frames(out, doc, d);
    }
    out.push_str("<h3>History</h3>");
    let mut flagged: std::collections::HashMap<usize, Vec<String>> = Default::default();
    if let Ok(v) = &e.verification {
        for f in &v.findings {
            if let Some(i) = f.entry {
                flagged.entry(i).or_default().push(f.message.clone());
            }
        }
    }
    tables::history(out, doc, &flagged);
    out.push_str("</section>\n");
}

fn chain_status(out: &mut String, v: &Result<Verification, String>) {
    out.push_str("<p class=\"chain\">");
    match v {
        Err(e) => {
            let _ = write!(out, "<span class=\"bad\">Not verified</span>: {}", esc(e));
        }
        Ok(v) if !v.is_ok() => {
            let _ = write!(
                out,
                "<span class=\"bad\">Does not verify</span> ({} finding{}):</p><ul class=\"findings\">",
                v.findings.len(),
                if v.findings.len() == 1 { "" } else { "s" }
            );
            for f in &v.findings {
                let _ = write!(out, "<li>{}</li>", esc(&f.to_string()));
            }
            out.push_str("</ul><p>");
            if let Some(head) = &v.head {
                let _ = write!(
                    out,
                    "Chain head as found: <code class=\"hash\">{head}</code>"
                );
            }
        }
        Ok(v) => match &v.head {
            Some(head) => {
                let _ = write!(
                    out,
                    "<span class=\"ok\">History verified</span>: {} entries chained, replayed to the spans and relations. Chain head (keep it to detect a later rewrite): <code class=\"hash\">{head}</code>",
                    v.entries - v.unchained
                );
                if v.unchained > 0 {
                    let _ = write!(
                        out,
                        "; {} earlier entries were written before the chain",
                        v.unchained
                    );
                }
            }
            None => {
                out.push_str("<span class=\"note\">Unchained</span>: written before the history chain; its history proves nothing yet (the next save in Spanmark starts the chain).");
            }
        },
    }
    out.push_str("</p>");
}
