//! The history's lines as the file has them, written straight from the document's entries:
//! one entry a line, as [`super::layout`] lays out the history, with each entry's hash as
//! [`super::chain::seal`] sets it. A file has an entry for each of its spans, and building
//! each entry in the file's shape (its time formatted, its values and hash copied) to hand it
//! to serde took a large part of a save. Tests pin these bytes to the serde path's.
//!
//! Read line by line ([`super::stream`]), an entry's line exactly as written here is read
//! straight through ([`read_as_written`], with [`super::quick`]); any other, by serde.

use std::borrow::Cow;

use super::file::{NativeAuditEntry, NativeChain};
use super::links::{link, write_number, write_str};
use super::quick::Cursor;
use crate::model::chain::StoredHash;
use crate::model::{AuditAction, Document, EntryRef, ValueRef};

/// Writes the history of `doc`: `[`, its entries a line each, the `]` on a line of its own
/// (`[]` when there are none), and returns the `chain` object (`None` while no entry has a
/// hash). New entries (after those read) are chained onto the last hash before them.
pub(super) fn write(out: &mut Vec<u8>, doc: &Document) -> Option<NativeChain> {
    let chain = &doc.chain;
    let genesis = chain.genesis.as_deref().unwrap_or(doc.text().sha256_hex());
    // The last hash written: as read, or computed for a new entry.
    let mut previous: Option<Hash> = None;
    let mut last_at: Option<(crate::model::Timestamp, String)> = None;
    out.push(b'[');
    let audit = doc.audit();
    for (i, entry) in audit.refs().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        let at = match &last_at {
            Some((at, text)) if *at == entry.at => text,
            _ => &last_at.insert((entry.at, entry.at.to_string())).1,
        };
        write_entry(out, &entry, at);
        let hash = match chain.stored.stored(i) {
            Some(StoredHash::None) => None,
            Some(StoredHash::Digest(d)) => Some(Hash::Digest(d)),
            Some(StoredHash::Text(t)) => Some(Hash::Text(Cow::Borrowed(t))),
            None => {
                let previous = previous.as_ref().map(Hash::text);
                let before = previous.as_deref().unwrap_or(genesis);
                Some(Hash::Text(Cow::Owned(link(
                    before,
                    &NativeAuditEntry::of(entry),
                ))))
            }
        };
        if let Some(hash) = hash {
            out.extend_from_slice(b", \"hash\": ");
            match &hash {
                Hash::Digest(d) => {
                    out.push(b'"');
                    crate::model::text::hex_into(out, *d);
                    out.push(b'"');
                }
                Hash::Text(t) => write_str(out, t),
            }
            previous = Some(hash);
        }
        out.push(b'}');
    }
    if !audit.is_empty() {
        out.extend_from_slice(b"\n  ");
    }
    out.push(b']');
    let head = previous?;
    Some(NativeChain {
        head: head.text().into_owned(),
        entries: audit.len(),
        text_sha256: chain.genesis.clone(),
    })
}

/// A hash written: as read (its bytes, or its text when it is not a digest) or computed.
enum Hash<'a> {
    Digest(&'a [u8; 32]),
    Text(Cow<'a, str>),
}

impl Hash<'_> {
    fn text(&self) -> Cow<'_, str> {
        match self {
            Hash::Digest(d) => Cow::Owned(crate::model::text::hex(*d)),
            Hash::Text(t) => Cow::Borrowed(t),
        }
    }
}

// The values in the file's key order and spacing; links.rs writes them in the canonical form
// the chain hashes (keys sorted, no spaces).

/// An entry's fields up to its hash, in the file's order, without the closing brace.
fn write_entry(out: &mut Vec<u8>, e: &EntryRef<'_>, at: &str) {
    out.extend_from_slice(b"{\"at\": ");
    write_str(out, at);
    out.extend_from_slice(b", \"who\": ");
    write_str(out, e.who);
    out.extend_from_slice(b", \"action\": \"");
    out.extend_from_slice(e.action.as_str().as_bytes());
    out.push(b'"');
    if let Some(target) = e.target {
        out.extend_from_slice(b", \"target\": ");
        write_str(out, target.as_str());
    }
    if let Some(detail) = e.detail {
        out.extend_from_slice(b", \"detail\": ");
        write_str(out, detail);
    }
    if let Some(before) = e.before {
        out.extend_from_slice(b", \"before\": ");
        write_value(out, before);
    }
    if let Some(after) = e.after {
        out.extend_from_slice(b", \"after\": ");
        write_value(out, after);
    }
}

fn write_value(out: &mut Vec<u8>, value: ValueRef<'_>) {
    match value {
        ValueRef::Span {
            label,
            start,
            end,
            text,
        } => {
            out.extend_from_slice(b"{\"label\": ");
            write_str(out, label);
            out.extend_from_slice(b", \"start\": ");
            write_number(out, start);
            out.extend_from_slice(b", \"end\": ");
            write_number(out, end);
            out.extend_from_slice(b", \"text\": ");
            write_str(out, text);
            out.push(b'}');
        }
        ValueRef::Relation { kind, from, to } => {
            out.extend_from_slice(b"{\"kind\": ");
            write_str(out, kind);
            out.extend_from_slice(b", \"from\": ");
            write_str(out, from);
            out.extend_from_slice(b", \"to\": ");
            write_str(out, to);
            out.push(b'}');
        }
        ValueRef::Text(t) => write_str(out, t),
    }
}

/// The history entry on `line` (without its indentation and trailing comma) read straight
/// through ([`super::quick`]), or `None` when the line is not exactly as Spanmark writes an
/// entry. While values are only checked
/// ([`crate::model::audit_value::checking_only`]), each value comes out as serde's does then:
/// an empty text.
pub(super) fn read_as_written(line: &str) -> Option<NativeAuditEntry<'_>> {
    let mut c = Cursor { rest: line };
    let at = c.string_at("{\"at\": ")?;
    let who = c.string_at(", \"who\": ")?;
    c.key(", \"action\": ")?;
    let action = c.name(&AuditAction::ALL, AuditAction::as_str)?;
    let target = c.optional(", \"target\": ", Cursor::string)?;
    let detail = c.optional(", \"detail\": ", |c| c.string().map(Cow::into_owned))?;
    let before = c.optional(", \"before\": ", Cursor::value)?;
    let after = c.optional(", \"after\": ", Cursor::value)?;
    let hash = c.optional(", \"hash\": ", Cursor::string)?;
    c.close()?;
    Some(NativeAuditEntry {
        at,
        who,
        action,
        target,
        detail,
        before,
        after,
        hash,
    })
}
