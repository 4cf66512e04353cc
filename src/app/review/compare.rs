//! Comparing annotators: their files of one article (matched by `text_sha256`) lined up by
//! [`crate::review::align`], shown as one merged, read-only document in the ordinary article
//! view, with a list of the differences to step through.
//!
//! The merged document is built for display only and never saved. Each distinct span (a
//! [`Variant`]) becomes one merged span whose label says who marked it, so the article view,
//! the span list and the details panel show it without knowing about comparisons:
//!
//! - a span every annotator marked keeps its label (`actor`) and is drawn grey;
//! - any other span is labelled `actor · rita` (or `actor · omar+rita` among three annotators)
//!   and drawn in the colour of its first annotator, the per-annotator colour key.
//!
//! Merged spans carry `marked_by` (the annotators), `difference` (`agreed`, or the kind of
//! difference: `missing`, `label`, `boundary`, …) and `ids` (each annotator's span id).
//! Agreed spans are `accepted`, the others `pending`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::Color32;

use crate::app::jobs::{Job, JobError, Jobs, work};
use crate::model::label::palette;
use crate::model::{
    Document, DocumentStatus, Label, LabelDef, Rgb, Schema, Span, SpanId, Status, Timestamp,
};
use crate::review::metrics::agreement_with_progress;
use crate::review::{Agreement, Alignment, Corpus, Difference, Variant, agreement, align};
use crate::store::folder::walk;
use crate::store::native;
use crate::store::open::open;

/// Attributes of merged spans.
pub const MARKED_BY: &str = "marked_by";
pub const DIFFERENCE: &str = "difference";
pub const IDS: &str = "ids";

/// The colours of annotators A, B, …: distinct from one another and from the grey of agreement.
const ANNOTATOR_COLOURS: [Rgb; 6] = [
    palette::BLUE,
    palette::VERMILLION,
    palette::BLUISH_GREEN,
    palette::REDDISH_PURPLE,
    palette::ORANGE,
    palette::SKY_BLUE,
];

/// The colour of spans every annotator marked.
pub const AGREED_COLOUR: Rgb = palette::GREY;

pub fn annotator_rgb(i: usize) -> Rgb {
    ANNOTATOR_COLOURS[i % ANNOTATOR_COLOURS.len()]
}

pub fn annotator_colour(i: usize) -> Color32 {
    let Rgb(r, g, b) = annotator_rgb(i);
    Color32::from_rgb(r, g, b)
}

/// One article among the compared files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedArticle {
    pub name: String,
    /// Indices into [`Comparison::docs`], by annotator name.
    pub docs: Vec<usize>,
}

/// The merged view of one article.
#[derive(Debug, Clone)]
pub struct Merged {
    pub doc: Document,
    pub annotators: Vec<String>,
    pub alignment: Alignment,
    /// The merged spans of each difference.
    pub spans_of: Vec<Vec<SpanId>>,
    /// The difference of each merged span that is in one.
    pub difference_of: HashMap<SpanId, usize>,
    /// Variants that could not be shown (two discontinuous readings with the same range and
    /// label by the same annotators; rare).
    pub not_shown: usize,
}

/// Files being compared.
pub struct Comparison {
    pub paths: Vec<PathBuf>,
    /// Shared with the worker threads that measure agreement and adjudicate.
    pub docs: Arc<Vec<Document>>,
    /// Where each document was read from (its annotation file).
    pub native_paths: Vec<PathBuf>,
    /// Articles with two or more annotators, by name.
    pub articles: Vec<ComparedArticle>,
    /// The article shown.
    pub article: usize,
    pub merged: Merged,
    /// Over every article of the compared files; measured when first asked for (Agreement…).
    pub agreement: Option<Agreement>,
    /// The agreement being measured on a worker thread.
    pub measuring: Option<Job<Agreement>>,
    /// The difference last gone to.
    pub current: Option<usize>,
    /// Files of an article no other file shares (named in the toolbar).
    pub alone: Vec<String>,
}

/// Annotation files named by `paths`: files as they are, folders searched for annotation files.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &native::is_native_path, &mut out)
                .map_err(|e| format!("cannot read the folder: {e}: {}", p.display()))?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

impl Comparison {
    /// Reads the files and lines up the first article two or more of them share.
    pub fn load(paths: &[PathBuf], annotator: &str, at: Timestamp) -> Result<Self, String> {
        let files = expand(paths)?;
        let mut docs = Vec::new();
        let mut native_paths = Vec::new();
        let mut problems = Vec::new();
        for path in &files {
            match open(path, annotator) {
                Ok(o) if o.had_native => {
                    docs.push(o.doc);
                    native_paths.push(o.native_path);
                }
                Ok(_) => problems.push(format!(
                    "no annotation file beside the article, nothing to compare: {}",
                    path.display()
                )),
                Err(e) => problems.push(e.to_string()),
            }
        }
        if !problems.is_empty() {
            return Err(problems.join("\n"));
        }
        if docs.len() < 2 {
            return Err(format!(
                "choose two or more annotators' files of the same article ({} given)",
                docs.len()
            ));
        }
        let refs: Vec<&Document> = docs.iter().collect();
        let corpus = Corpus::from_documents(&refs).map_err(|e| e.to_string())?;
        let index_of = |d: &Document| refs.iter().position(|r| std::ptr::eq(*r, d));
        let mut articles = Vec::new();
        let mut alone = Vec::new();
        for a in corpus.articles() {
            let members: Vec<usize> = a
                .by_annotator
                .values()
                .filter_map(|d| index_of(d))
                .collect();
            if members.len() >= 2 {
                articles.push(ComparedArticle {
                    name: a.name().to_string(),
                    docs: members,
                });
            } else {
                alone.push(format!(
                    "{} ({})",
                    a.name(),
                    a.annotators().collect::<Vec<_>>().join("")
                ));
            }
        }
        let Some(first) = articles.first() else {
            return Err(
                "these files are of different articles (their texts differ): choose files of the same article by different annotators"
                    .into(),
            );
        };
        let merged = merge(
            &first.docs.iter().map(|&i| &docs[i]).collect::<Vec<_>>(),
            at,
        )?;
        Ok(Self {
            paths: files,
            docs: Arc::new(docs),
            native_paths,
            articles,
            article: 0,
            merged,
            agreement: None,
            measuring: None,
            current: None,
            alone,
        })
    }

    /// The size of the work over every compared file (see [`work`]).
    pub fn work(&self) -> u64 {
        work(
            self.docs.iter().map(|d| d.text().len_chars()).sum(),
            self.docs.iter().map(|d| d.set().len()).sum(),
        )
    }

    /// Measures the agreement over every compared file: at once when it is small, else on a
    /// worker thread ([`Self::measuring`]). Nothing happens when it is measured or being
    /// measured.
    pub fn measure_agreement(&mut self, jobs: &Jobs, ctx: &egui::Context) -> Result<(), String> {
        if self.agreement.is_some() || self.measuring.is_some() {
            return Ok(());
        }
        if !jobs.in_background(self.work()) {
            let refs: Vec<&Document> = self.docs.iter().collect();
            let corpus = Corpus::from_documents(&refs).map_err(|e| e.to_string())?;
            self.agreement = Some(agreement(&corpus));
            return Ok(());
        }
        let docs = Arc::clone(&self.docs);
        self.measuring = Some(jobs.spawn(ctx, "Measuring agreement", move |progress| {
            let refs: Vec<&Document> = docs.iter().collect();
            let corpus = Corpus::from_documents(&refs).map_err(|e| e.to_string())?;
            Ok(agreement_with_progress(&corpus, progress)?)
        }));
        Ok(())
    }

    /// Takes the measured agreement when the worker is done: `Some` with what ended the work
    /// (`Ok` when the agreement is now there).
    pub fn poll_measuring(&mut self) -> Option<Result<(), JobError>> {
        let result = self.measuring.as_ref()?.poll()?;
        self.measuring = None;
        Some(result.map(|a| self.agreement = Some(a)))
    }

    /// Shows article `i` of [`Self::articles`].
    pub fn show_article(&mut self, i: usize, at: Timestamp) -> Result<(), String> {
        let a = self.articles.get(i).ok_or("no such article")?;
        let docs: Vec<&Document> = a.docs.iter().map(|&d| &self.docs[d]).collect();
        self.merged = merge(&docs, at)?;
        self.article = i;
        self.current = None;
        Ok(())
    }

    /// The documents of the article shown.
    pub fn article_docs(&self) -> Vec<&Document> {
        self.articles
            .get(self.article)
            .map(|a| a.docs.iter().map(|&d| &self.docs[d]).collect())
            .unwrap_or_default()
    }

    /// The annotation files of the article shown.
    pub fn article_paths(&self) -> Vec<&Path> {
        self.articles
            .get(self.article)
            .map(|a| {
                a.docs
                    .iter()
                    .map(|&d| self.native_paths[d].as_path())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Where the gold file of the article shown goes by default: `gold/NAME.spanmark.json` in
    /// the folder of its first file.
    pub fn default_gold_path(&self) -> PathBuf {
        let dir = self
            .article_paths()
            .first()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let name = self
            .articles
            .get(self.article)
            .map_or("document.txt", |a| a.name.as_str());
        native::path_beside(
            &dir.join("gold")
                .join(crate::cli::names::safe_file_name(name, "document.txt")),
        )
    }
}

/// The label of a merged variant: its own label when everyone marked it, else `label · who`.
fn merged_label(variant: &Variant, everyone: bool) -> String {
    if everyone {
        variant.shape.label.to_string()
    } else {
        let who: Vec<&str> = variant.marked_by.keys().map(String::as_str).collect();
        format!("{} · {}", variant.shape.label, who.join("+"))
    }
}

/// The merged document of `docs`, the files of one article by different annotators.
pub fn merge(docs: &[&Document], at: Timestamp) -> Result<Merged, String> {
    let alignment = align(docs).map_err(|e| e.to_string())?;
    let base = docs.first().ok_or("nothing to compare")?;
    let annotators = alignment.annotators.clone();
    let colour_of = |v: &Variant, everyone: bool| {
        if everyone {
            AGREED_COLOUR
        } else {
            let first = v.marked_by.keys().next();
            let i = first
                .and_then(|f| annotators.iter().position(|a| a == f))
                .unwrap_or(0);
            annotator_rgb(i)
        }
    };
    // (variant, difference index) in text order.
    let mut all: Vec<(&Variant, Option<usize>, &str)> = alignment
        .agreed
        .iter()
        .map(|v| (v, None, "agreed"))
        .collect();
    for (i, d) in alignment.differences.iter().enumerate() {
        all.extend(d.variants.iter().map(|v| (v, Some(i), d.kind.as_str())));
    }
    all.sort_by(|a, b| a.0.shape.cmp(&b.0.shape));

    let mut defs: Vec<LabelDef> = Vec::new();
    let mut spans = Vec::new();
    for (n, (variant, diff, kind)) in all.iter().enumerate() {
        let everyone = diff.is_none();
        let name = merged_label(variant, everyone);
        let label = Label::new(name.clone()).map_err(|e| e.to_string())?;
        if !defs.iter().any(|d| d.name == label) {
            let who: Vec<&str> = variant.marked_by.keys().map(String::as_str).collect();
            defs.push(LabelDef {
                name: label.clone(),
                colour: colour_of(variant, everyone),
                hotkey: None,
                description: if everyone {
                    format!("{}: every annotator", variant.shape.label)
                } else {
                    format!(
                        "{}: marked by {} only",
                        variant.shape.label,
                        who.join(" and ")
                    )
                },
            });
        }
        let who: Vec<&str> = variant.marked_by.keys().map(String::as_str).collect();
        let mut span = Span::new(
            SpanId::numbered(n as u64 + 1),
            label,
            variant.shape.range,
            &who.join("+"),
            at,
        );
        span.fragments = variant.shape.fragments.clone();
        span.status = if everyone {
            Status::Accepted
        } else {
            Status::Pending
        };
        span.attrs.insert(MARKED_BY.into(), who.join(","));
        span.attrs.insert(DIFFERENCE.into(), (*kind).to_string());
        let ids: Vec<String> = variant
            .marked_by
            .iter()
            .map(|(name, id)| format!("{name}: {id}"))
            .collect();
        span.attrs.insert(IDS.into(), ids.join(", "));
        spans.push((span, *diff));
    }
    // Agreed labels first, then by annotator.
    defs.sort_by_key(|d| (d.colour != AGREED_COLOUR, d.name.to_string()));
    let schema = Schema::new(defs).map_err(|e| e.to_string())?;
    let mut set = crate::model::AnnotationSet::new(base.text().clone());
    let mut spans_of = vec![Vec::new(); alignment.differences.len()];
    let mut difference_of = HashMap::new();
    let mut not_shown = 0;
    for (span, diff) in spans {
        let id = span.id.clone();
        if set.insert(span).is_err() {
            not_shown += 1;
            continue;
        }
        if let Some(d) = diff {
            spans_of[d].push(id.clone());
            difference_of.insert(id, d);
        }
    }
    let mut source = base.source.clone();
    source.name = format!("{} (comparison)", base.source.name);
    let doc = Document::from_parts(
        source,
        format!("comparison of {}", annotators.join(", ")),
        DocumentStatus::InProgress,
        schema,
        set,
        Vec::new(),
    );
    Ok(Merged {
        doc,
        annotators,
        alignment,
        spans_of,
        difference_of,
        not_shown,
    })
}

/// `label 'Monday': claim (rita) | date (omar)`: a difference on one line.
pub fn describe(d: &Difference, doc: &Document) -> String {
    let text = doc.text();
    let variants: Vec<String> = d
        .variants
        .iter()
        .map(|v| {
            let who: Vec<&str> = v.marked_by.keys().map(String::as_str).collect();
            let quoted = crate::model::edit::quote(text, v.shape.range);
            format!("{} {quoted} ({})", v.shape.label, who.join(", "))
        })
        .collect();
    let mut out = format!("{}: {}", d.kind.as_str(), variants.join(" | "));
    if !d.unmarked_by.is_empty() && d.variants.len() == 1 {
        out.push_str(&format!("; not {}", d.unmarked_by.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::test_docs::doc;

    #[test]
    fn the_merged_document_says_who_marked_each_span() {
        let omar = doc(
            "omar",
            "[Lavrov]{actor} [said]{action} on [Monday]{date} that NATO lied",
        );
        let rita = doc(
            "rita",
            "[Lavrov]{actor} [said on]{action} [Monday]{claim} that NATO lied",
        );
        let m = merge(&[&rita, &omar], Timestamp::from_unix(0)).unwrap();
        assert_eq!(m.annotators, ["omar", "rita"]);
        let spans: Vec<(String, String, String)> = m
            .doc
            .set()
            .spans()
            .map(|s| {
                (
                    s.label.to_string(),
                    m.doc.set().span_text(s).to_string(),
                    s.attrs[DIFFERENCE].clone(),
                )
            })
            .collect();
        assert_eq!(
            spans,
            [
                ("actor".into(), "Lavrov".into(), "agreed".into()),
                ("action · omar".into(), "said".into(), "boundary".into()),
                ("action · rita".into(), "said on".into(), "boundary".into()),
                ("claim · rita".into(), "Monday".into(), "label".into()),
                ("date · omar".into(), "Monday".into(), "label".into()),
            ]
        );
        assert_eq!(m.spans_of.len(), 2);
        assert_eq!(m.spans_of[0].len(), 2);
        let colour = |name: &str| m.doc.schema.get(name).unwrap().colour;
        assert_eq!(colour("actor"), AGREED_COLOUR);
        assert_eq!(colour("action · omar"), annotator_rgb(0));
        assert_eq!(colour("claim · rita"), annotator_rgb(1));
        assert_eq!(
            describe(&m.alignment.differences[1], &m.doc),
            "label: claim 'Monday' (rita) | date 'Monday' (omar)"
        );
    }
}
