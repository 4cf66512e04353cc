//! `spanmark log FILE`: a file's audit history, one line per entry, oldest first:
//!
//! ```text
//! 2026-11-29T10:15:00Z  rita   add s1: (none) → actor 104..110 "Lavrov"
//! 2026-11-29T10:16:02Z  rita   relabel s1: actor → claim
//! 2026-11-29T10:20:40Z  judge  set_attr s1 [iso]: (none) → 2021-10-18
//! 2026-11-29T10:21:00Z  judge  document: adjudicated by judge from …
//! ```
//!
//! When, who, what (the action, the span or relation id, and in brackets the attribute key or
//! where the change came from), then before → after. FILE is an annotation file or an article
//! with its annotation file beside it.

use std::path::Path;

use super::{Context, Exit};
use crate::model::{AuditAction, EntryRef, ValueRef};
use crate::store::native;
use crate::store::open::{OpenError, open};

pub fn run(file: &Path, ctx: &mut Context<'_>) -> Exit {
    if !file.is_file() {
        ctx.problem(format!("no such file: {}", file.display()));
        return Exit::Failure;
    }
    let opened = match open(file, &ctx.annotator) {
        Ok(o) => o,
        Err(e) => {
            ctx.problem(&e);
            return match e {
                OpenError::Native(native::NativeError::Io { .. }) => Exit::Failure,
                _ => Exit::DataProblems,
            };
        }
    };
    if !opened.had_native {
        ctx.problem(format!(
            "no annotation file beside the article, so no history (looked for {}): {}",
            opened.native_path.display(),
            file.display()
        ));
        return Exit::DataProblems;
    }
    for warning in &opened.warnings {
        ctx.problem(format!("warning: {warning}"));
    }
    let audit = opened.doc.audit();
    if audit.is_empty() {
        let _ = writeln!(ctx.out, "no history yet: {}", opened.native_path.display());
        return Exit::Success;
    }
    let width = audit
        .refs()
        .map(|e| e.who.chars().count())
        .max()
        .unwrap_or(0);
    for entry in audit.refs() {
        let who = one_line(entry.who);
        if writeln!(ctx.out, "{}  {who:<width$}  {}", entry.at, describe(&entry)).is_err() {
            return Exit::Failure;
        }
    }
    Exit::Success
}

/// What an entry did: `relabel s1: actor → claim`.
pub fn describe(entry: &EntryRef<'_>) -> String {
    let mut out = entry.action.as_str().to_string();
    if let Some(target) = entry.target {
        out.push(' ');
        out.push_str(target.as_str());
    }
    if matches!(entry.action, AuditAction::Document | AuditAction::Merge) {
        out.push_str(": ");
        out.push_str(&one_line(entry.detail.unwrap_or("")));
        return out;
    }
    if let Some(detail) = entry.detail {
        out.push_str(&format!(" [{}]", one_line(detail)));
    }
    out.push_str(&format!(
        ": {} → {}",
        value(entry.before),
        value(entry.after)
    ));
    out
}

fn value(v: Option<ValueRef<'_>>) -> String {
    match v {
        None => "(none)".to_string(),
        Some(ValueRef::Span {
            label,
            start,
            end,
            text,
        }) => format!("{label} {start}..{end} {}", quoted(text)),
        Some(ValueRef::Relation { kind, from, to }) => format!("{kind} from {from} to {to}"),
        Some(ValueRef::Text(t)) => {
            if !t.is_empty()
                && !t
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '"')
            {
                t.to_string()
            } else {
                quoted(t)
            }
        }
    }
}

/// `"text"`, control characters escaped, shortened in the middle past 60 characters.
fn quoted(text: &str) -> String {
    let n = text.chars().count();
    let short = if n > 60 {
        let head: String = text.chars().take(28).collect();
        let tail: String = text.chars().skip(n - 28).collect();
        format!("{head}…{tail}")
    } else {
        text.to_string()
    };
    format!("{short:?}")
}

/// The text on one line: control characters (newlines) escaped.
fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}
