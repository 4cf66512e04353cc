//! `spanmark validate FILE...`: load every annotation file through the full checks.

use std::path::PathBuf;

use super::{Context, Exit, inputs};
use crate::store::native;

pub fn run(files: &[PathBuf], ctx: &mut Context<'_>) -> Exit {
    let (natives, mut exit) = inputs::native_files(files, ctx);
    let mut bad = 0;
    for path in &natives {
        match native::load(path) {
            Ok(loaded) => {
                let _ = writeln!(
                    ctx.out,
                    "ok: {} spans, {} relations: {}",
                    loaded.doc.set().len(),
                    loaded.doc.set().relations().count(),
                    path.display()
                );
                for warning in &loaded.warnings {
                    ctx.problem(format!("warning: {warning}: {}", path.display()));
                }
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
