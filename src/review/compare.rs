//! Comparing annotators' files of one article: reading them ([`Comparison::load`]), and the
//! merged, read-only document the workbench shows ([`merge`]).
//!
//! The merged document is built for display only and never saved. Each distinct span (a
//! [`Variant`]) becomes one merged span whose label says who marked it, so any view of a
//! document shows it without knowing about comparisons:
//!
//! - a span every annotator marked keeps its label (`actor`) and is coloured grey;
//! - any other span is labelled `actor · rita` (or `actor · omar+rita` among three annotators)
//!   and coloured as its first annotator, the per-annotator colour key.
//!
//! Merged spans carry `marked_by` (the annotators), `difference` (`agreed`, or the kind of
//! difference: `missing`, `label`, `boundary`, …) and `ids` (each annotator's span id).
//! Agreed spans are `accepted`, the others `pending`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Alignment, Corpus, Difference, Variant, align};
use crate::model::label::palette;
use crate::model::{
    AnnotationSet, Document, DocumentStatus, Label, LabelDef, Rgb, Schema, Span, SpanId, Status,
    Timestamp,
};
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

/// The colour of annotator `i` (in name order).
pub fn annotator_rgb(i: usize) -> Rgb {
    ANNOTATOR_COLOURS[i % ANNOTATOR_COLOURS.len()]
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
#[derive(Debug, Clone)]
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
    /// Files of an article no other file shares (`name (annotator)`).
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
    /// Reads the files and lines up the first article two or more of them share. The message
    /// of a failure names each file that could not be used.
    pub fn load(paths: &[PathBuf], annotator: &str, at: Timestamp) -> Result<Self, String> {
        let files = expand(paths)?;
        let mut docs = Vec::new();
        let mut native_paths = Vec::new();
        let mut problems = Vec::new();
        for path in &files {
            match open(path, annotator) {
                Ok(o) if o.had_native => {
                    docs.push(o.doc.people_only().0);
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
            alone,
        })
    }

    /// Shows article `i` of [`Self::articles`].
    pub fn show_article(&mut self, i: usize, at: Timestamp) -> Result<(), String> {
        let a = self.articles.get(i).ok_or("no such article")?;
        let docs: Vec<&Document> = a.docs.iter().map(|&d| &self.docs[d]).collect();
        self.merged = merge(&docs, at)?;
        self.article = i;
        Ok(())
    }

    /// The indices (into [`Self::docs`]) of the documents of the article shown.
    pub fn article_members(&self) -> Vec<usize> {
        self.articles
            .get(self.article)
            .map(|a| a.docs.clone())
            .unwrap_or_default()
    }

    /// The documents of the article shown.
    pub fn article_docs(&self) -> Vec<&Document> {
        self.article_members()
            .into_iter()
            .filter_map(|d| self.docs.get(d))
            .collect()
    }

    /// The annotation files of the article shown.
    pub fn article_paths(&self) -> Vec<&Path> {
        self.article_members()
            .into_iter()
            .filter_map(|d| self.native_paths.get(d).map(PathBuf::as_path))
            .collect()
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
                .join(crate::formats::names::safe_file_name(name, "document.txt")),
        )
    }

    /// Whether `path` is one of the compared files of the article shown.
    pub fn is_input(&self, path: &Path) -> bool {
        let Ok(path) = path.canonicalize() else {
            return false;
        };
        self.article_paths()
            .iter()
            .filter_map(|p| p.canonicalize().ok())
            .any(|p| p == path)
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
        let label = Label::new(merged_label(variant, everyone)).map_err(|e| e.to_string())?;
        let who: Vec<&str> = variant.marked_by.keys().map(String::as_str).collect();
        if !defs.iter().any(|d| d.name == label) {
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
                attributes: Vec::new(),
            });
        }
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
    let mut set = AnnotationSet::new(base.text().clone());
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

    #[test]
    fn loading_files_of_one_article_lines_them_up_and_names_what_cannot_be_used() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, d: &Document| {
            let path = dir.path().join(name).join("doc.txt.spanmark.json");
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            native::save(d, &path).unwrap();
            path
        };
        let omar = write("omar", &doc("omar", "[Lavrov]{actor} said on Monday"));
        let rita = write(
            "rita",
            &doc("rita", "[Lavrov]{actor} [said]{action} on Monday"),
        );
        let c = Comparison::load(&[omar.clone(), rita], "judge", Timestamp::from_unix(0)).unwrap();
        assert_eq!(c.articles.len(), 1);
        assert_eq!(c.merged.spans_of.len(), 1);
        assert!(c.is_input(&omar));
        assert!(
            c.default_gold_path()
                .ends_with("gold/doc.txt.spanmark.json")
        );
        let one = Comparison::load(
            std::slice::from_ref(&omar),
            "judge",
            Timestamp::from_unix(0),
        );
        assert!(one.unwrap_err().contains("two or more"));
        let missing = dir.path().join("nobody.spanmark.json");
        let err = Comparison::load(&[omar, missing.clone()], "judge", Timestamp::from_unix(0))
            .unwrap_err();
        assert!(err.contains(&missing.display().to_string()), "{err}");
    }
}
