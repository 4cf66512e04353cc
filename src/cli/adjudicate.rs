//! `spanmark adjudicate IN... --out DIR [--overwrite]`: one gold file per article, made from
//! the annotators' files (rules in [`crate::review::adjudicate`]), adjudicated by `--annotator`.
//!
//! Gold files are named after the article (`news.txt` → `news.txt.spanmark.json`), the name
//! made safe ([`super::names`]) so it never leads outside DIR. An input is never written over;
//! a gold file already in DIR is kept unless `--overwrite`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::agree::{corpus_of, load_work};
use super::names::{safe_file_name, unique_path};
use super::{Context, Exit, bar};
use crate::model::Timestamp;
use crate::progress::Progress;
use crate::review::{Adjudication, adjudicate};
use crate::store::native;

pub fn run(paths: &[PathBuf], out: &Path, overwrite: bool, ctx: &mut Context<'_>) -> Exit {
    bar::run(ctx, |progress, ctx| {
        adjudicate_all(paths, out, overwrite, progress, ctx)
    })
}

fn adjudicate_all(
    paths: &[PathBuf],
    out: &Path,
    overwrite: bool,
    progress: &Progress,
    ctx: &mut Context<'_>,
) -> Exit {
    let (docs, mut exit) = load_work(paths, progress, ctx);
    if docs.is_empty() {
        ctx.problem("nothing to adjudicate: no annotation files were read");
        return exit.max(Exit::DataProblems);
    }
    let inputs: Vec<PathBuf> = docs
        .iter()
        .filter_map(|(p, _)| p.canonicalize().ok())
        .collect();
    if let Err(e) = std::fs::create_dir_all(out) {
        ctx.problem(format!(
            "cannot create the output folder: {e}: {}",
            out.display()
        ));
        return Exit::Failure;
    }
    let corpus = corpus_of(&docs, ctx, &mut exit);
    let at = Timestamp::now();
    let mut taken = HashSet::new();
    let (mut files, mut agreed, mut pending, mut conflicts) = (0, 0, 0, 0);
    let mut relations = RelationCounts::default();
    let articles = corpus.articles();
    progress.start("adjudicating", articles.len() as u64);
    for (i, article) in articles.into_iter().enumerate() {
        progress.set_done(i as u64);
        let Some(result) = adjudicate(article, &ctx.annotator, at) else {
            continue;
        };
        let name = safe_file_name(article.name(), "document.txt");
        let target = native::path_beside(&unique_path(out, &name, &mut taken));
        if target.canonicalize().is_ok_and(|t| inputs.contains(&t)) {
            ctx.problem(format!(
                "would overwrite an input; choose another --out: {}",
                target.display()
            ));
            exit = exit.max(Exit::Failure);
            continue;
        }
        if target.exists() && !overwrite {
            ctx.problem(format!(
                "a gold file is already there; not overwritten (use --overwrite): {}",
                target.display()
            ));
            exit = exit.max(Exit::DataProblems);
            continue;
        }
        if let Err(e) = native::save(&result.gold, &target) {
            ctx.problem(&e);
            exit = exit.max(Exit::Failure);
            continue;
        }
        let annotators: Vec<&str> = article.annotators().collect();
        if annotators.len() < 2 {
            ctx.problem(format!(
                "only {} annotated {:?}: its spans are pending, unconfirmed: {}",
                annotators.join(""),
                article.name(),
                target.display()
            ));
        }
        let _ = writeln!(
            ctx.out,
            "{}: {} agreed, {} conflicts ({} pending spans) from {}: {}",
            article.name(),
            result.agreed,
            result.conflicts,
            result.pending,
            annotators.join(", "),
            target.display()
        );
        let these = RelationCounts::of(&result);
        if these.any() {
            let _ = writeln!(ctx.out, "{}: relations: {these}", article.name());
        }
        files += 1;
        agreed += result.agreed;
        pending += result.pending;
        conflicts += result.conflicts;
        relations.add(these);
    }
    let _ = writeln!(
        ctx.out,
        "adjudicated {files} document{}: {agreed} spans agreed (accepted), {conflicts} conflicts remain ({pending} pending spans); gold files in {}",
        if files == 1 { "" } else { "s" },
        out.display()
    );
    if relations.any() {
        let _ = writeln!(ctx.out, "relations: {relations}");
    }
    exit
}

/// What became of the relations of one article, or of all of them.
#[derive(Debug, Default, Clone, Copy)]
struct RelationCounts {
    agreed: usize,
    pending: usize,
    rejected: usize,
    left_out: usize,
}

impl RelationCounts {
    fn of(a: &Adjudication) -> Self {
        Self {
            agreed: a.relations_agreed,
            pending: a.relations_pending,
            rejected: a.rejected_relations,
            left_out: a.relations_left_out,
        }
    }

    /// Whether there is anything to say: articles without relations say nothing of them.
    fn any(&self) -> bool {
        self.agreed + self.pending + self.rejected + self.left_out > 0
    }

    fn add(&mut self, other: Self) {
        self.agreed += other.agreed;
        self.pending += other.pending;
        self.rejected += other.rejected;
        self.left_out += other.left_out;
    }
}

/// `2 agreed (accepted), 5 pending as conflicts`, then what was left out, if anything.
impl std::fmt::Display for RelationCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} agreed (accepted), {} pending as conflicts",
            self.agreed, self.pending
        )?;
        if self.rejected > 0 {
            write!(f, ", {} rejected left out", self.rejected)?;
        }
        if self.left_out > 0 {
            write!(f, ", {} left out (they link rejected spans)", self.left_out)?;
        }
        Ok(())
    }
}
