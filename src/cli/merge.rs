//! `spanmark merge BASE OURS THEIRS [-o OUT]`: git's merge driver for annotation files (rules in
//! [`crate::review::merge`]); and `spanmark git-setup [DIR]`, which tells git to use it.
//!
//! Without `-o` the merged file replaces OURS, as git's `%A` expects. Exit 0 when the merge is
//! clean, 1 when conflicts were recorded (git then shows the file as conflicted; the file is
//! written and valid, the conflicts marked for the adjudication view), 2 when it could not
//! merge (a file unreadable, the article texts different): then nothing is written.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Context, Exit};
use crate::model::Timestamp;
use crate::review::merge::{MergeError, merge};
use crate::store::atomic::write_atomic;
use crate::store::native;

/// The line `git-setup` puts in `.gitattributes`.
pub const ATTRIBUTES_LINE: &str = "*.spanmark.json merge=spanmark";
/// The driver command `git-setup` configures (`%O` base, `%A` ours and the result, `%B` theirs).
pub const DRIVER: &str = "spanmark merge %O %A %B";
/// The driver's name, as `git config merge.spanmark.name` shows it.
pub const DRIVER_NAME: &str = "Spanmark annotation files (spanmark merge)";

pub fn run(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    out: Option<&Path>,
    ctx: &mut Context<'_>,
) -> Exit {
    let mut docs = Vec::with_capacity(3);
    for path in [base, ours, theirs] {
        match native::load(path) {
            Ok(loaded) => docs.push(loaded.doc),
            Err(e) => {
                ctx.problem(format!("cannot merge: {e}"));
                return Exit::Failure;
            }
        }
    }
    let [b, o, t] = [&docs[0], &docs[1], &docs[2]];
    let merged = match merge(b, o, t, &ctx.annotator, Timestamp::now()) {
        Ok(m) => m,
        Err(MergeError::DifferentText { side }) => {
            let path = if side == "ours" { ours } else { theirs };
            ctx.problem(format!(
                "cannot merge: the article text differs from the common ancestor's ({}); these are not versions of one annotation file: {}",
                base.display(),
                path.display()
            ));
            return Exit::Failure;
        }
        Err(e) => {
            ctx.problem(format!("cannot merge {}: {e}", ours.display()));
            return Exit::Failure;
        }
    };
    let target = out.unwrap_or(ours);
    if let Err(e) = native::save(&merged.doc, target) {
        ctx.problem(&e);
        return Exit::Failure;
    }
    let taken = merged.from_theirs;
    let _ = writeln!(
        ctx.err,
        "spanmark merge: {}: from theirs {} added, {} changed, {} deleted",
        target.display(),
        taken.added,
        taken.changed,
        taken.deleted
    );
    for note in &merged.schema_notes {
        let _ = writeln!(ctx.err, "  schema: {note}");
    }
    for (from, to) in &merged.renumbered {
        let _ = writeln!(
            ctx.err,
            "  renumbered theirs' {from} → {to} (ours added another {from})"
        );
    }
    if merged.is_clean() {
        return Exit::Success;
    }
    for c in &merged.conflicts {
        let what = if c.relation { "relation" } else { "span" };
        match &c.rival {
            Some(r) => ctx.problem(format!(
                "conflict ({}): {what} {} (ours) and {r} (theirs) both kept: {}",
                c.kind,
                c.id,
                target.display()
            )),
            None => ctx.problem(format!(
                "conflict ({}): {what} {}: {}",
                c.kind,
                c.id,
                target.display()
            )),
        }
    }
    ctx.problem(format!(
        "{} conflict{} recorded; settle them with `spanmark review {}` (adjudication view), then `git add` it",
        merged.conflicts.len(),
        if merged.conflicts.len() == 1 { "" } else { "s" },
        target.display()
    ));
    Exit::DataProblems
}

/// `spanmark git-setup [DIR]`: `.gitattributes` in DIR and the merge driver in the git config
/// of the repository DIR is in. Running it again changes nothing and says so.
pub fn git_setup(dir: Option<&Path>, ctx: &mut Context<'_>) -> Exit {
    let dir: PathBuf = dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if !dir.is_dir() {
        ctx.problem(format!("no such folder: {}", dir.display()));
        return Exit::Failure;
    }
    match git(&dir, &["rev-parse", "--show-toplevel"]) {
        Ok(Some(_)) => {}
        Ok(None) => {
            ctx.problem(format!(
                "not inside a git repository (run `git init` first): {}",
                dir.display()
            ));
            return Exit::Failure;
        }
        Err(e) => {
            ctx.problem(format!("cannot run git: {e}"));
            return Exit::Failure;
        }
    }
    let attributes = dir.join(".gitattributes");
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            ctx.problem(format!("cannot read {}: {e}", attributes.display()));
            return Exit::Failure;
        }
    };
    if existing.lines().any(|l| l.trim() == ATTRIBUTES_LINE) {
        let _ = writeln!(
            ctx.out,
            "{}: already has `{ATTRIBUTES_LINE}`",
            attributes.display()
        );
    } else {
        let mut text = existing.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(ATTRIBUTES_LINE);
        text.push('\n');
        if let Err(e) = write_atomic(&attributes, text.as_bytes()) {
            ctx.problem(format!("cannot write {}: {e}", attributes.display()));
            return Exit::Failure;
        }
        let verb = if existing.is_empty() {
            "wrote"
        } else {
            "added to"
        };
        let _ = writeln!(
            ctx.out,
            "{}: {verb} `{ATTRIBUTES_LINE}`",
            attributes.display()
        );
    }
    for (key, value) in [
        ("merge.spanmark.name", DRIVER_NAME),
        ("merge.spanmark.driver", DRIVER),
    ] {
        let current = match git(&dir, &["config", "--local", "--get", key]) {
            Ok(v) => v,
            Err(e) => {
                ctx.problem(format!("cannot run git: {e}"));
                return Exit::Failure;
            }
        };
        if current.as_deref() == Some(value) {
            let _ = writeln!(ctx.out, "git config {key}: already \"{value}\"");
            continue;
        }
        match git(&dir, &["config", "--local", key, value]) {
            Ok(Some(_)) => {
                let was = current.map_or(String::new(), |c| format!(" (was \"{c}\")"));
                let _ = writeln!(ctx.out, "git config {key} = \"{value}\"{was}");
            }
            Ok(None) => {
                ctx.problem(format!("git config {key} failed in {}", dir.display()));
                return Exit::Failure;
            }
            Err(e) => {
                ctx.problem(format!("cannot run git: {e}"));
                return Exit::Failure;
            }
        }
    }
    let _ = writeln!(
        ctx.out,
        "git now merges *.spanmark.json with `spanmark merge` (spanmark must be on PATH); commit .gitattributes so the team shares it"
    );
    Exit::Success
}

/// Runs git in `dir`: its trimmed stdout when it succeeded, `None` when it failed.
fn git(dir: &Path, args: &[&str]) -> std::io::Result<Option<String>> {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output()?;
    Ok(output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string()))
}
