//! Turning the paths a user gives into the files to read. Folders are searched recursively
//! (symbolic links to folders are not followed, so a loop cannot trap us); results are sorted
//! so that output does not depend on the file system's order.

use std::path::{Path, PathBuf};

use super::{Problem, Severity};
use crate::store::folder::walk;
use crate::store::native;

fn problem(severity: Severity, message: String) -> Problem {
    Problem { severity, message }
}

/// The files named by `inputs`: files as given, folders searched for files `keep` accepts.
pub fn find_files(
    inputs: &[PathBuf],
    keep: &dyn Fn(&Path) -> bool,
) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let before = found.len();
            if let Err(e) = walk(input, keep, &mut found) {
                problems.push(problem(
                    Severity::Io,
                    format!("cannot read folder: {e}: {}", input.display()),
                ));
            } else if found.len() == before {
                problems.push(problem(
                    Severity::Data,
                    format!("no matching files in folder: {}", input.display()),
                ));
            }
        } else if input.is_file() {
            found.push(input.clone());
        } else {
            problems.push(problem(
                Severity::Io,
                format!("no such file or folder: {}", input.display()),
            ));
        }
    }
    found.dedup();
    (found, problems)
}

/// The annotation files named by `inputs`: native files as given, articles replaced by the
/// native file beside them, folders searched for `*.spanmark.json`. Sorted, without repeats.
pub fn find_native_files(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let (found, mut problems) = find_files(inputs, &|p| native::is_native_path(p));
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
            problems.push(problem(
                Severity::Data,
                format!(
                    "no annotation file beside the article (looked for {}): {}",
                    beside.display(),
                    path.display()
                ),
            ));
        }
    }
    natives.sort();
    natives.dedup();
    (natives, problems)
}
