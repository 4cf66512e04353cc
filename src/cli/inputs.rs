//! Turning the paths a user gives into the files a command reads. Folders are searched
//! recursively (symbolic links to folders are not followed, so a loop cannot trap us); results
//! are sorted so output does not depend on the file system's order.

use std::path::{Path, PathBuf};

use super::{Context, Exit};
use crate::store::folder::walk;
use crate::store::native;

/// The files named by `inputs`: files as given, folders searched for files `keep` accepts.
/// Problems are reported on `ctx`; the returned exit says how bad they were.
pub fn files(
    inputs: &[PathBuf],
    keep: &dyn Fn(&Path) -> bool,
    ctx: &mut Context<'_>,
) -> (Vec<PathBuf>, Exit) {
    let mut found = Vec::new();
    let mut exit = Exit::Success;
    for input in inputs {
        if input.is_dir() {
            let before = found.len();
            if let Err(e) = walk(input, keep, &mut found) {
                ctx.problem(format!("cannot read folder: {e}: {}", input.display()));
                exit = exit.max(Exit::Failure);
            } else if found.len() == before {
                ctx.problem(format!("no matching files in folder: {}", input.display()));
                exit = exit.max(Exit::DataProblems);
            }
        } else if input.is_file() {
            found.push(input.clone());
        } else {
            ctx.problem(format!("no such file or folder: {}", input.display()));
            exit = exit.max(Exit::Failure);
        }
    }
    found.dedup();
    (found, exit)
}

/// The annotation files named by `inputs`: native files as given, articles replaced by the
/// native file beside them, folders searched for `*.spanmark.json`.
pub fn native_files(inputs: &[PathBuf], ctx: &mut Context<'_>) -> (Vec<PathBuf>, Exit) {
    let (found, mut exit) = files(inputs, &|p| native::is_native_path(p), ctx);
    let mut natives = Vec::with_capacity(found.len());
    for path in found {
        if native::is_native_path(&path) {
            natives.push(path);
            continue;
        }
        let beside = native::path_beside(&path);
        if beside.is_file() {
            natives.push(beside);
        } else {
            ctx.problem(format!(
                "no annotation file beside the article (looked for {}): {}",
                beside.display(),
                path.display()
            ));
            exit = exit.max(Exit::DataProblems);
        }
    }
    natives.sort();
    natives.dedup();
    (natives, exit)
}
