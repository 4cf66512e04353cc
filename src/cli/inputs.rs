//! Turning the paths a user gives into the files a command reads
//! ([`crate::export::find_files`]), with the problems reported on the context.

use std::path::{Path, PathBuf};

use super::{Context, Exit};
use crate::export::{self, Problem, Severity};

/// The exit status a problem calls for.
pub fn exit_of(severity: Severity) -> Exit {
    match severity {
        Severity::Note => Exit::Success,
        Severity::Data => Exit::DataProblems,
        Severity::Io => Exit::Failure,
    }
}

/// Reports `problems` on `ctx`; returns the exit status they call for.
pub fn report(problems: &[Problem], ctx: &mut Context<'_>) -> Exit {
    let mut exit = Exit::Success;
    // Whole lines, a few hundred at a time: stderr is not buffered, and a line written in
    // pieces took three system calls (an export that reports 100,000 spans made 300,000).
    let mut lines = Vec::with_capacity(64 << 10);
    for p in problems {
        lines.extend_from_slice(b"spanmark: ");
        lines.extend_from_slice(p.message.as_bytes());
        lines.push(b'\n');
        if lines.len() >= 60 << 10 {
            let _ = ctx.err.write_all(&lines);
            lines.clear();
        }
        exit = exit.max(exit_of(p.severity));
    }
    let _ = ctx.err.write_all(&lines);
    exit
}

/// The files named by `inputs`: files as given, folders searched for files `keep` accepts.
/// Problems are reported on `ctx`; the returned exit says how bad they were.
pub fn files(
    inputs: &[PathBuf],
    keep: &dyn Fn(&Path) -> bool,
    ctx: &mut Context<'_>,
) -> (Vec<PathBuf>, Exit) {
    let (found, problems) = export::find_files(inputs, keep);
    (found, report(&problems, ctx))
}

/// The annotation files named by `inputs`: native files as given, articles replaced by the
/// native file beside them, folders searched for `*.spanmark.json`.
pub fn native_files(inputs: &[PathBuf], ctx: &mut Context<'_>) -> (Vec<PathBuf>, Exit) {
    let (found, problems) = export::find_native_files(inputs);
    (found, report(&problems, ctx))
}
