//! `spanmark report IN... --out report.html`: one self-contained HTML page of the documents
//! (article highlighted, spans, frames, history, chain verdict) and of the corpus (counts,
//! agreement) — see [`crate::report`]. Each file is verified as `spanmark verify` does; a file
//! that does not verify is shown as such in the page and named on stderr.

use std::path::{Path, PathBuf};

use super::agree::{corpus_of, load_documents};
use super::{Context, Exit, bar};
use crate::progress::Progress;
use crate::report::{self, Entry};
use crate::review::agreement;
use crate::store::atomic::write_atomic;
use crate::store::native::chain;

pub fn run(inputs: &[PathBuf], out: &Path, ctx: &mut Context<'_>) -> Exit {
    bar::run(ctx, |progress, ctx| make(inputs, out, progress, ctx))
}

fn make(inputs: &[PathBuf], out: &Path, progress: &Progress, ctx: &mut Context<'_>) -> Exit {
    let (docs, mut exit) = load_documents(inputs, progress, ctx);
    if docs.is_empty() {
        ctx.problem("no annotation file to report on");
        return exit.max(Exit::DataProblems);
    }
    progress.start("verifying", docs.len() as u64);
    let verifications: Vec<_> = docs
        .iter()
        .enumerate()
        .map(|(i, (path, _))| {
            progress.set_done(i as u64);
            let v = chain::verify_path(path).map_err(|e| e.to_string());
            match &v {
                Ok(v) if !v.is_ok() => ctx.problem(format!(
                    "warning: {}: {} (shown in the report)",
                    path.display(),
                    v.summary()
                )),
                Err(e) => ctx.problem(format!("warning: {e}")),
                Ok(_) => {}
            }
            v
        })
        .collect();
    let annotators: std::collections::BTreeSet<&str> =
        docs.iter().map(|(_, d)| d.annotator.as_str()).collect();
    let measured = if annotators.len() >= 2 {
        // Agreement is over people's work, as in `spanmark agree`; the page lists every span.
        let work: Vec<_> = docs
            .iter()
            .map(|(p, d)| (p.clone(), d.clone().people_only().0))
            .collect();
        let corpus = corpus_of(&work, ctx, &mut exit);
        Some(agreement(&corpus))
    } else {
        None
    };
    progress.start("writing the report", 0);
    let page = {
        let entries: Vec<Entry> = docs
            .into_iter()
            .zip(verifications)
            .map(|((path, doc), verification)| Entry {
                path,
                doc,
                verification,
            })
            .collect();
        let page = report::render(&entries, measured.as_ref());
        (page, entries.len())
    };
    let (page, count) = page;
    if let Err(e) = write_atomic(out, page.as_bytes()) {
        ctx.problem(format!("cannot write the report: {e}: {}", out.display()));
        return Exit::Failure;
    }
    let _ = writeln!(
        ctx.out,
        "report of {count} document{} ({} KB): {}",
        if count == 1 { "" } else { "s" },
        page.len().div_ceil(1024),
        out.display()
    );
    exit
}
