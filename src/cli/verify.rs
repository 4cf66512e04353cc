//! `spanmark verify FILE...`: checks each annotation file's history chain, its text digest and
//! that replaying its history from an empty document gives its spans and relations
//! ([`crate::store::native::chain`]). A file that does not verify is named with the first
//! entry that does not fit (index, time, who) and every other finding: exit 1. A file from
//! before the chain is reported as unchained: exit 0, with a note.

use std::path::PathBuf;

use super::{Context, Exit, inputs};
use crate::store::native::{self, chain};

pub fn run(files: &[PathBuf], ctx: &mut Context<'_>) -> Exit {
    let (natives, mut exit) = inputs::native_files(files, ctx);
    for path in &natives {
        match chain::verify_path(path) {
            Ok(v) if v.is_ok() => {
                let _ = writeln!(ctx.out, "{}: {}", path.display(), v.summary());
                if !v.is_chained() {
                    ctx.problem(format!(
                        "note: unchained: written before the history chain, so its history proves nothing yet; its next save starts the chain: {}",
                        path.display()
                    ));
                    for note in &v.notes {
                        ctx.problem(format!("  note: {note}"));
                    }
                }
            }
            Ok(v) => {
                exit = exit.max(Exit::DataProblems);
                ctx.problem(format!("{}: {}", path.display(), v.summary()));
                for finding in &v.findings {
                    ctx.problem(format!("  {finding}"));
                }
            }
            Err(e) => {
                ctx.problem(&e);
                exit = exit.max(match e {
                    native::NativeError::Io { .. } => Exit::Failure,
                    _ => Exit::DataProblems,
                });
            }
        }
    }
    exit
}
