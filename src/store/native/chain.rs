//! The history's hash chain: each entry's `hash` is the SHA-256 (hex) of the previous entry's
//! hash followed by the entry's canonical bytes (the entry without `hash`, compact JSON, keys
//! sorted); the first chained entry chains from the document's `text_sha256` (or from the
//! digest `chain.text_sha256` names, when the article was re-anchored since). The root's
//! `chain` object keeps the last hash (`head`) and the number of entries.
//!
//! Each entry is checked against the hash stored in the entry before it, so a changed entry is
//! named itself, and a removed one is named by the entry after it. Writing never recomputes a
//! hash that was read ([`crate::model::Chain::stored`]): a broken chain stays broken on disk,
//! and the entry recorded before the next change says so ([`break_note`]).
//!
//! [`verify`] also replays the history from an empty document ([`super::replay`]) and checks
//! that it gives the file's spans and relations.

use std::borrow::Cow;
use std::path::Path;

use serde_json::Value;

use super::file::{NativeAuditEntry, NativeChain, NativeFile, NativeTail};
pub use super::finding::{Finding, Verification};
pub use super::links::{BREAK_PREFIX, Links, canonical, link, links_of};
use super::{NativeError, load};
use crate::model::{Chain, Document, text::sha256_hex};

/// Sets the `hash` of the entries of `history` written by this save: the ones read keep the
/// hash they were read with (`chain.stored`, even a wrong one or none), every new one is
/// chained onto the last hash before it. Returns the `chain` object, or `None` while no entry
/// has a hash.
pub(super) fn seal(
    history: &mut [NativeAuditEntry],
    chain: &Chain,
    text_sha256: &str,
) -> Option<NativeChain> {
    let genesis = chain.genesis.as_deref().unwrap_or(text_sha256);
    let mut previous: Option<String> = None;
    for (i, entry) in history.iter_mut().enumerate() {
        let hash = match chain.stored.get(i) {
            Some(stored) => stored,
            None => Some(link(previous.as_deref().unwrap_or(genesis), entry)),
        };
        if hash.is_some() {
            previous.clone_from(&hash);
        }
        entry.hash = hash.map(Cow::Owned);
    }
    let head = previous?;
    Some(NativeChain {
        head,
        entries: history.len(),
        text_sha256: chain.genesis.clone(),
    })
}

/// The file shape of `doc` after its spans, in file version `version`, with its history's
/// hashes set and the `chain` object (see [`seal`]).
pub(super) fn sealed_tail(doc: &Document, version: u32) -> NativeTail<'_> {
    let mut tail = NativeTail::unsealed(doc, version);
    tail.chain = seal(&mut tail.history, &doc.chain, doc.text().sha256_hex());
    tail
}

/// Reads the native file at `path` and verifies it (see [`verify`]).
pub fn verify_path(path: &Path) -> Result<Verification, NativeError> {
    let bytes = std::fs::read(path).map_err(|source| NativeError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    verify_bytes(path, &bytes)
}

/// Parses native-file bytes and verifies them; `path` is only used in messages.
pub fn verify_bytes(path: &Path, bytes: &[u8]) -> Result<Verification, NativeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let file: NativeFile = match serde_json::from_slice(bytes) {
        Ok(file) => file,
        // Not a file we can read: the loader says why, in its words (the version gate first).
        Err(e) => {
            load::from_bytes(path, bytes)?;
            return Err(NativeError::Json {
                path: path.to_path_buf(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            });
        }
    };
    load::gate(
        path,
        Some(&Value::from(file.format.as_str())),
        Some(&Value::from(file.version)),
    )?;
    Ok(verify(&file))
}

/// Checks the text digest, the chain and the `chain` object, and replays the history.
pub fn verify(file: &NativeFile) -> Verification {
    let mut v = links_of(
        &file.history,
        file.chain.as_ref(),
        &file.document.text_sha256,
    );
    let text_sha256 = sha256_hex(file.document.text.as_bytes());
    if text_sha256 != file.document.text_sha256 {
        v.findings.push(Finding::whole(
            "document.text_sha256 does not match document.text: the text was changed outside Spanmark".to_string(),
        ));
    }
    let spans = file
        .spans
        .iter()
        .map(|s| (&*s.id, &*s.label, s.start, s.end));
    // Relations that lost an end to re-anchoring are kept with the orphans.
    let relations = file
        .relations
        .iter()
        .chain(&file.orphans.relations)
        .map(|r| (&*r.id, &*r.kind, &*r.from, &*r.to));
    with_replay(v, super::replay::replay(&file.history, spans, relations))
}

/// Verifies a document loaded from a file, given what checking its chain found while the file
/// was read ([`super::Loaded::chain`]): the history, as loaded, is replayed and compared with
/// the spans and relations loaded. What the GUI runs in the background after opening, without
/// reading the file again.
pub fn verify_loaded(links: Verification, doc: &Document) -> Verification {
    let set = doc.set();
    let spans = set.spans().map(|s| {
        (
            s.id.as_str(),
            s.label.as_str(),
            s.range.start().0,
            s.range.end().0,
        )
    });
    let relations = set.relations().chain(&doc.orphans.relations).map(|r| {
        (
            r.id.as_str(),
            r.kind.as_str(),
            r.from.as_str(),
            r.to.as_str(),
        )
    });
    with_replay(
        links,
        super::replay::replay(doc.audit().refs(), spans, relations),
    )
}

/// `v` with what the replay found: a failure when the history is chained, a note for a file
/// from before the chain.
fn with_replay(mut v: Verification, replayed: super::replay::Replayed) -> Verification {
    v.spans = replayed.spans;
    v.relations = replayed.relations;
    if v.head.is_none() && !v.has_chain_object {
        v.notes = replayed.findings;
    } else {
        v.findings.extend(replayed.findings);
    }
    v.findings.sort_by_key(|f| f.entry.unwrap_or(usize::MAX));
    v
}

/// The entry to record before the next change to a document whose file did not verify, or
/// `None` when it verified, or when the file already records a break after every finding.
pub fn break_note(v: &Verification) -> Option<String> {
    let first = v.findings.first()?;
    let last_finding = v
        .findings
        .iter()
        .map(|f| f.entry.unwrap_or(0))
        .max()
        .unwrap_or(0);
    if v.recorded_breaks.iter().any(|&b| b > last_finding) {
        return None;
    }
    Some(format!(
        "{BREAK_PREFIX}{}; the entries are kept as found and the chain goes on from here",
        match first.entry {
            Some(i) => format!(
                "history[{i}] ({}, {}): {}",
                first.at, first.who, first.message
            ),
            None => first.message.clone(),
        }
    ))
}

/// Verifies the file `doc` was read from and, when it does not verify, makes the next change
/// to `doc` record the break first. Returns what was found.
pub fn check_before_editing(doc: &mut Document, path: &Path) -> Result<Verification, NativeError> {
    let v = verify_path(path)?;
    note_break(doc, &v);
    Ok(v)
}

/// Makes the next change to `doc` record the break `v` found (see [`break_note`]).
pub fn note_break(doc: &mut Document, v: &Verification) {
    if let Some(note) = break_note(v) {
        doc.chain.pending = Some(match doc.chain.pending.take() {
            Some(start) => format!("{start}; {note}"),
            None => note,
        });
    }
}
