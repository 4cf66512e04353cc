//! The tables of one document: its spans, its frames, and its history as a timeline. Long
//! tables come in blocks of [`ROWS_PER_BLOCK`] rows, each an HTML `<details>` (the first
//! open), so a document of 100,000 spans stays responsive.

use std::collections::HashMap;

use super::html::{esc, push_esc};
use super::{Palette, span_anchor};
use crate::model::frames::all_frames;
use crate::model::{AuditAction, Document, EntryRef, Origin, SpanId, Status, ValueRef};

/// Rows in one block of a long table.
pub const ROWS_PER_BLOCK: usize = 1_000;

/// Opens block `n` of `total` rows (`None` when the table fits in one block).
fn open_block(out: &mut String, n: usize, total: usize, what: &str) {
    if total <= ROWS_PER_BLOCK {
        return;
    }
    let first = n * ROWS_PER_BLOCK + 1;
    let last = ((n + 1) * ROWS_PER_BLOCK).min(total);
    out.push_str(if n == 0 {
        "<details class=\"blk\" open>"
    } else {
        "<details class=\"blk\">"
    });
    out.push_str(&format!(
        "<summary>{what} {first}–{last} of {total}</summary>"
    ));
}

fn close_block(out: &mut String, total: usize) {
    if total > ROWS_PER_BLOCK {
        out.push_str("</details>");
    }
}

/// Who set each span's status to accepted last, from the history.
fn accepted_by(doc: &Document) -> HashMap<&SpanId, &str> {
    let mut by = HashMap::new();
    for e in doc.audit().refs() {
        if e.action == AuditAction::SetStatus
            && let (Some(target), Some(ValueRef::Text(after))) = (e.target, e.after)
        {
            if after == Status::Accepted.as_str() {
                by.insert(target, &**e.who);
            } else {
                by.remove(target);
            }
        }
    }
    by
}

/// The spans table: label, text, offsets, author, status, origin, who accepted.
pub fn spans(out: &mut String, doc: &Document, d: usize, palette: &Palette) {
    let text = doc.text();
    let accepted = accepted_by(doc);
    let total = doc.set().len();
    const HEAD: &str = "<table class=\"spans\"><thead><tr><th>id</th><th>label</th><th>text</th><th>start</th><th>end</th><th>author</th><th>status</th><th>origin</th><th>accepted by</th></tr></thead><tbody>";
    for (n, chunk) in doc
        .set()
        .spans()
        .collect::<Vec<_>>()
        .chunks(ROWS_PER_BLOCK)
        .enumerate()
    {
        open_block(out, n, total, "spans");
        out.push_str(HEAD);
        for s in chunk {
            let quote = text.slice(s.range).unwrap_or("");
            let who = s
                .attrs
                .get("accepted_by")
                .map(String::as_str)
                .or_else(|| accepted.get(&s.id).copied())
                .unwrap_or("");
            let row_class = match (s.origin, s.status) {
                (Origin::Suggested, _) => " class=\"sug\"",
                (_, Status::Rejected) => " class=\"rej\"",
                _ => "",
            };
            out.push_str(&format!(
                "<tr id=\"{}\"{row_class}><td>{}</td><td><span class=\"chip {}\">{}</span></td><td class=\"q\">",
                span_anchor(d, &s.id),
                esc(s.id.as_str()),
                palette.class(&s.label),
                esc(s.label.as_str()),
            ));
            push_esc(out, quote);
            out.push_str(&format!(
                "</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                s.range.start().0,
                s.range.end().0,
                esc(&s.author),
                s.status,
                s.origin,
                esc(who)
            ));
        }
        out.push_str("</tbody></table>");
        close_block(out, total);
    }
}

/// The frames (claims and events), when the document has relations.
pub fn frames(out: &mut String, doc: &Document, d: usize) {
    let set = doc.set();
    let frames = all_frames(set);
    if frames.is_empty() {
        out.push_str("<p class=\"none\">No claim or event frames.</p>");
        return;
    }
    let text = doc.text();
    let quote = |id: &SpanId| {
        set.get(id)
            .and_then(|s| text.slice(s.range))
            .unwrap_or("")
            .to_string()
    };
    out.push_str("<table class=\"frames\"><thead><tr><th>frame</th><th>span</th><th>roles</th><th>missing</th></tr></thead><tbody>");
    for f in &frames {
        out.push_str(&format!(
            "<tr><td>{}</td><td><a href=\"#{}\">{}</a> {}</td><td>",
            f.kind.as_str(),
            span_anchor(d, &f.head),
            esc(f.head.as_str()),
            esc(&quote(&f.head))
        ));
        for (role, ids) in &f.roles {
            for id in ids {
                out.push_str(&format!(
                    "<div><b>{role}</b>: <a href=\"#{}\">{}</a> {}</div>",
                    span_anchor(d, id),
                    esc(id.as_str()),
                    esc(&quote(id))
                ));
            }
        }
        out.push_str(&format!(
            "</td><td>{}</td></tr>",
            esc(&f.missing().collect::<Vec<_>>().join(", "))
        ));
    }
    out.push_str("</tbody></table>");
}

fn value(v: Option<ValueRef<'_>>) -> String {
    match v {
        None => "—".to_string(),
        Some(ValueRef::Text(t)) => format!("“{t}”"),
        Some(ValueRef::Span {
            label,
            start,
            end,
            text,
        }) => format!("{label} {start}..{end} “{text}”"),
        Some(ValueRef::Relation { kind, from, to }) => format!("{kind} {from} → {to}"),
    }
}

/// The history as a timeline: when, who, what, before → after. Each row carries its author
/// (`data-who`) for the page's filter; the entries `flagged` (by index, with why) are marked.
pub fn history(out: &mut String, doc: &Document, flagged: &HashMap<usize, Vec<String>>) {
    // Borrowed from the log: a file's history has an entry for each of its spans.
    let audit: Vec<EntryRef> = doc.audit().refs().collect();
    if audit.is_empty() {
        out.push_str("<p class=\"none\">No history.</p>");
        return;
    }
    let total = audit.len();
    for (n, chunk) in audit.chunks(ROWS_PER_BLOCK).enumerate() {
        open_block(out, n, total, "entries");
        out.push_str("<ol class=\"timeline\" start=\"");
        out.push_str(&(n * ROWS_PER_BLOCK).to_string());
        out.push_str("\">");
        for (k, e) in chunk.iter().enumerate() {
            let index = n * ROWS_PER_BLOCK + k;
            let why = flagged.get(&index);
            out.push_str(&format!(
                "<li data-who=\"{}\"{}><span class=\"idx\">[{index}]</span> <time>{}</time> <b class=\"who\">{}</b> <span class=\"act\">{}</span>",
                esc(e.who),
                if why.is_some() { " class=\"flag\"" } else { "" },
                e.at,
                esc(e.who),
                e.action.as_str()
            ));
            if let Some(t) = e.target {
                out.push_str(&format!(" <span class=\"tgt\">{}</span>", esc(t.as_str())));
            }
            if let Some(detail) = e.detail {
                out.push_str(" <span class=\"detail\">");
                push_esc(out, detail);
                out.push_str("</span>");
            }
            if e.before.is_some() || e.after.is_some() {
                out.push_str(&format!(
                    "<div class=\"change\">{} → {}</div>",
                    esc(&value(e.before)),
                    esc(&value(e.after))
                ));
            }
            for reason in why.into_iter().flatten() {
                out.push_str("<div class=\"why\">⚠ ");
                push_esc(out, reason);
                out.push_str("</div>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
        close_block(out, total);
    }
}
