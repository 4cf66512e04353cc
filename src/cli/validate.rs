//! `spanmark validate FILE... [--source ARTICLE]`: load every annotation file through the full
//! checks; with `--source`, also check that the article still gives each file's text (drift is
//! a data problem: exit 1, with the `spanmark reanchor` command that fixes it).
//!
//! A relation whose ends break its kind (a `source` that points at a date), and an attribute
//! value outside the closed set its label defines, load — the GUI must open the file to fix
//! them — but fail validation here. A kind the schema lacks stays a warning,
//! as the loader reports it.
//!
//! Inside a project (a `spanmark.project.json` in the file's folder or above), every span label
//! and relation kind must be one the project defines: each other one is reported by span or
//! relation id, and the file fails (exit 1).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Context, Exit, bar, inputs};
use crate::model::{Document, Relation, Span, SpanId};
use crate::progress::Progress;
use crate::store::article::{Article, ArticleError, read_article};
use crate::store::hash::sha256_hex;
use crate::store::native;
use crate::store::project::{self, Project};

pub fn run(files: &[PathBuf], source: Option<&Path>, ctx: &mut Context<'_>) -> Exit {
    bar::run(ctx, |progress, ctx| validate(files, source, progress, ctx))
}

fn validate(
    files: &[PathBuf],
    source: Option<&Path>,
    progress: &Progress,
    ctx: &mut Context<'_>,
) -> Exit {
    let (natives, mut exit) = inputs::native_files(files, ctx);
    let article = match source.map(read_article) {
        None => None,
        Some(Ok(article)) => Some(article),
        Some(Err(e)) => {
            ctx.problem(&e);
            return exit.max(match e {
                ArticleError::Read { .. } => Exit::Failure,
                _ => Exit::DataProblems,
            });
        }
    };
    let mut bad = 0;
    // Each project file read once: the project, or None when it could not be read (said once).
    let mut projects: BTreeMap<PathBuf, Option<Project>> = BTreeMap::new();
    progress.start("validating", natives.len() as u64);
    for (i, path) in natives.iter().enumerate() {
        progress.set_done(i as u64);
        match native::load(path) {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    ctx.problem(format!("warning: {warning}: {}", path.display()));
                }
                warn_orphans(&loaded.doc, path, ctx);
                let misfits = misfits(&loaded.doc, path);
                let drift = match (&article, source) {
                    (Some(article), Some(source)) => drift(&loaded.doc, article, path, source),
                    _ => None,
                };
                let outside = match project_of(path, &mut projects, ctx) {
                    Ok(Some(project)) => outside_project(&loaded.doc, project, path),
                    Ok(None) => None,
                    Err(()) => {
                        exit = exit.max(Exit::DataProblems);
                        None
                    }
                };
                if misfits.is_some() || drift.is_some() || outside.is_some() {
                    bad += 1;
                    for message in misfits.into_iter().chain(drift).chain(outside) {
                        ctx.problem(message);
                    }
                    exit = exit.max(Exit::DataProblems);
                    continue;
                }
                let _ = writeln!(
                    ctx.out,
                    "ok: {} spans, {} relations: {}",
                    loaded.doc.set().len(),
                    loaded.doc.set().relations().count(),
                    path.display()
                );
            }
            Err(e) => {
                bad += 1;
                ctx.problem(&e);
                exit = exit.max(match e {
                    native::NativeError::Io { .. } => Exit::Failure,
                    _ => Exit::DataProblems,
                });
            }
        }
    }
    if natives.len() > 1 || bad > 0 {
        let _ = writeln!(
            ctx.out,
            "{} of {} files valid",
            natives.len() - bad,
            natives.len()
        );
    }
    exit
}

/// The project `path` is in, read once per project file; `Err` when it cannot be read (said
/// the first time).
fn project_of<'a>(
    path: &Path,
    projects: &'a mut BTreeMap<PathBuf, Option<Project>>,
    ctx: &mut Context<'_>,
) -> Result<Option<&'a Project>, ()> {
    let Some(file) = project::find(path) else {
        return Ok(None);
    };
    let entry = projects
        .entry(file.clone())
        .or_insert_with(|| match project::load(&file) {
            Ok(p) => Some(p),
            Err(e) => {
                ctx.problem(&e);
                None
            }
        });
    entry.as_ref().map(Some).ok_or(())
}

/// The message listing every span label and relation kind of `doc` that `project` does not
/// define, by id, or `None` when all are defined.
fn outside_project(doc: &Document, project: &Project, path: &Path) -> Option<String> {
    let schema = &project.schema;
    let orphans = doc.orphans.spans.iter().map(|o| (&o.span, "orphaned "));
    let mut lines: Vec<String> = doc
        .set()
        .spans()
        .map(|s| (s, ""))
        .chain(orphans)
        .filter(|(s, _)| !schema.contains(&s.label))
        .map(|(s, which)| {
            format!(
                "{which}span {}: label {:?} is not defined by the project",
                s.id,
                s.label.as_str()
            )
        })
        .collect();
    let orphaned = doc.orphans.relations.iter().map(|r| (r, "orphaned "));
    lines.extend(
        doc.set()
            .relations()
            .map(|r| (r, ""))
            .chain(orphaned)
            .filter(|(r, _)| schema.relation_kind(r.kind.as_str()).is_none())
            .map(|(r, which)| {
                format!(
                    "{which}relation {}: kind {:?} is not defined by the project",
                    r.id,
                    r.kind.as_str()
                )
            }),
    );
    if lines.is_empty() {
        return None;
    }
    let mut out = format!(
        "{} problem{} in {} (project {:?}, {}):",
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        path.display(),
        project.name,
        project.path.display()
    );
    for line in lines {
        out.push_str("\n  ");
        out.push_str(&line);
    }
    Some(out)
}

/// Orphaned spans are valid, but a person should place or delete them.
fn warn_orphans(doc: &Document, path: &Path, ctx: &mut Context<'_>) {
    let orphans = &doc.orphans.spans;
    if orphans.is_empty() {
        return;
    }
    let ids: Vec<&str> = orphans.iter().map(|o| o.span.id.as_str()).collect();
    ctx.problem(format!(
        "warning: {} orphaned span{} ({}) not found in the text when it was re-anchored; kept under \"orphans\" to be placed or deleted: {}",
        ids.len(),
        if ids.len() == 1 { "" } else { "s" },
        ids.join(", "),
        path.display()
    ));
}

/// A line for each value outside the closed set (or flag) its span's label defines
/// (`span s2: attribute category has value "country", not one of person, …`), placed spans then
/// orphaned ones. Attributes the label does not define are never reported.
fn attribute_misfits(doc: &Document) -> impl Iterator<Item = String> + '_ {
    let placed = doc.set().spans().map(|s| (s, ""));
    let orphaned = doc.orphans.spans.iter().map(|o| (&o.span, "orphaned "));
    placed.chain(orphaned).flat_map(move |(span, which)| {
        let def = doc.schema.get(span.label.as_str());
        span.attrs.iter().filter_map(move |(name, value)| {
            let why = def?.attribute(name)?.misfit(value)?;
            Some(format!("{which}span {}: {why}", span.id))
        })
    })
}

/// The message listing every attribute value outside its definition (a date's `iso` that is no
/// ISO 8601 value among them) and every relation whose ends break its kind, in the style of a load's
/// problems (`N problems in FILE:` then one line per relation id), or `None` when all fit.
fn misfits(doc: &Document, path: &Path) -> Option<String> {
    let placed = doc.set().relations().map(|r| (r, ""));
    let orphaned = doc.orphans.relations.iter().map(|r| (r, "orphaned "));
    let mut lines: Vec<String> = attribute_misfits(doc).collect();
    lines.extend(placed.chain(orphaned).filter_map(|(relation, which)| {
        misfit(doc, relation).map(|why| format!("{which}relation {why}"))
    }));
    if lines.is_empty() {
        return None;
    }
    let mut out = format!(
        "{} problem{} in {}:",
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        path.display()
    );
    for line in lines {
        out.push_str("\n  ");
        out.push_str(&line);
    }
    Some(out)
}

/// Why `relation` breaks its kind in the document's schema (`r3 (s1 → s2): a relation of kind
/// source goes from claim to actor, not from claim to date`), or `None` when it fits or its kind
/// is unknown.
fn misfit(doc: &Document, relation: &Relation) -> Option<String> {
    let from = span_of(doc, &relation.from)?;
    let to = span_of(doc, &relation.to)?;
    let why = doc
        .schema
        .relation_misfit(&relation.kind, &from.label, &to.label)?;
    Some(format!(
        "{} ({} → {}): {why}",
        relation.id, relation.from, relation.to
    ))
}

/// A relation's end, placed or orphaned (the loader has checked that one of the two exists).
fn span_of<'a>(doc: &'a Document, id: &SpanId) -> Option<&'a Span> {
    doc.set().get(id).or_else(|| {
        doc.orphans
            .spans
            .iter()
            .find(|o| &o.span.id == id)
            .map(|o| &o.span)
    })
}

/// The message when the article no longer gives the text stored in the file.
fn drift(doc: &Document, article: &Article, path: &Path, source: &Path) -> Option<String> {
    if article.text == doc.text().as_str() {
        return None;
    }
    let stored = doc.text().sha256_hex();
    let now = sha256_hex(article.text.as_bytes());
    Some(format!(
        "the article has changed since these annotations were made (text_sha256 {} in the file, {} now in {}); run `spanmark reanchor {} --source {}` to move the spans onto the new text: {}",
        &stored[..12],
        &now[..12],
        source.display(),
        path.display(),
        source.display(),
        path.display()
    ))
}
