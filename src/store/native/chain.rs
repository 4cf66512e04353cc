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

use std::path::Path;

use serde_json::Value;

use super::file::{NativeAuditEntry, NativeChain, NativeFile, NativeTail};
pub use super::finding::Finding;
use super::{NativeError, load};
use crate::model::text::sha256_hex_of_parts;
use crate::model::{AuditAction, AuditValue, Chain, Document, text::sha256_hex};

/// What a `document` entry that records a broken chain says.
pub const BREAK_PREFIX: &str = "chain broken at ";

/// The entry's canonical bytes: without `hash`, compact JSON, keys sorted at every depth.
///
/// Written field by field in sorted order (`action`, `after`, `at`, `before`, `detail`,
/// `target`, `who`; a span's `end`, `label`, `start`, `text`; a relation's `from`, `kind`,
/// `to`), strings escaped as serde_json escapes them: the bytes of sorting a JSON value of the
/// entry (the tests compare the two), without building one for each of 100,000 entries.
pub fn canonical(entry: &NativeAuditEntry) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    canonical_into(&mut out, entry);
    out
}

/// [`canonical`], appended to `out`.
fn canonical_into(out: &mut Vec<u8>, entry: &NativeAuditEntry) {
    out.extend_from_slice(b"{\"action\":\"");
    out.extend_from_slice(entry.action.as_str().as_bytes());
    out.push(b'"');
    if let Some(after) = &entry.after {
        out.extend_from_slice(b",\"after\":");
        write_value(out, after);
    }
    out.extend_from_slice(b",\"at\":");
    write_str(out, &entry.at);
    if let Some(before) = &entry.before {
        out.extend_from_slice(b",\"before\":");
        write_value(out, before);
    }
    if let Some(detail) = &entry.detail {
        out.extend_from_slice(b",\"detail\":");
        write_str(out, detail);
    }
    if let Some(target) = &entry.target {
        out.extend_from_slice(b",\"target\":");
        write_str(out, target);
    }
    out.extend_from_slice(b",\"who\":");
    write_str(out, &entry.who);
    out.push(b'}');
}

fn write_value(out: &mut Vec<u8>, value: &AuditValue) {
    match value {
        AuditValue::Span(s) => {
            out.extend_from_slice(b"{\"end\":");
            write_number(out, s.end);
            out.extend_from_slice(b",\"label\":");
            write_str(out, &s.label);
            out.extend_from_slice(b",\"start\":");
            write_number(out, s.start);
            out.extend_from_slice(b",\"text\":");
            write_str(out, &s.text);
            out.push(b'}');
        }
        AuditValue::Relation(r) => {
            out.extend_from_slice(b"{\"from\":");
            write_str(out, &r.from);
            out.extend_from_slice(b",\"kind\":");
            write_str(out, &r.kind);
            out.extend_from_slice(b",\"to\":");
            write_str(out, &r.to);
            out.push(b'}');
        }
        AuditValue::Text(t) => write_str(out, t),
    }
}

fn write_number(out: &mut Vec<u8>, n: usize) {
    // Writing a number to memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, &n);
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    // Writing a string to memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The hash of `entry` chained onto `previous`.
pub fn link(previous: &str, entry: &NativeAuditEntry) -> String {
    sha256_hex_of_parts(&[previous.as_bytes(), &canonical(entry)])
}

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
        entry.hash = match chain.stored.get(i) {
            Some(stored) => stored,
            None => Some(link(previous.as_deref().unwrap_or(genesis), entry)),
        };
        if entry.hash.is_some() {
            previous.clone_from(&entry.hash);
        }
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

/// What [`verify`] found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verification {
    /// History entries in the file.
    pub entries: usize,
    /// The entries written before the chain (no `hash`), at its start.
    pub unchained: usize,
    /// The last entry's hash, when the history is chained.
    pub head: Option<String>,
    /// Spans and relations the history was replayed to.
    pub spans: usize,
    pub relations: usize,
    /// Everything that does not fit, in the order of the history; empty: the file verified.
    pub findings: Vec<Finding>,
    /// Breaks recorded by Spanmark before a save (`chain broken at …` entries), by index.
    pub recorded_breaks: Vec<usize>,
    /// Whether the file has a `chain` object.
    pub has_chain_object: bool,
    /// For a file from before the chain: where its history does not replay to its spans and
    /// relations. Such files made no promise about their history (older versions, by hand),
    /// so this is a note, not a failure.
    pub notes: Vec<Finding>,
}

impl Verification {
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }

    /// Whether any entry has a hash.
    pub fn is_chained(&self) -> bool {
        self.head.is_some()
    }

    /// One line saying what was found (without the file's name).
    pub fn summary(&self) -> String {
        if let Some(first) = self.findings.first() {
            let more = match self.findings.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            return format!("does not verify: {first}{more}");
        }
        let replay = if self.notes.is_empty() {
            format!(
                "the history replays to its {} span{} and {} relation{}",
                self.spans,
                plural(self.spans),
                self.relations,
                plural(self.relations)
            )
        } else {
            format!(
                "the history does not replay to its spans and relations ({} difference{})",
                self.notes.len(),
                plural(self.notes.len())
            )
        };
        match &self.head {
            None => format!(
                "unchained (written before the history chain; its {} entr{} get a chain from the next save); {replay}",
                self.entries,
                if self.entries == 1 { "y" } else { "ies" }
            ),
            Some(head) => {
                let before = match self.unchained {
                    0 => String::new(),
                    n => format!(", {n} written before the chain"),
                };
                format!(
                    "verified: {} entr{}{before}, head {head}; {replay}",
                    self.entries,
                    if self.entries == 1 { "y" } else { "ies" },
                )
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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
        super::replay::replay(doc.audit().iter(), spans, relations),
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

/// Checks each entry of `history` against the hash of the one before it (the first against
/// the text digest the chain starts from), and the `chain` object against the end: the part of
/// [`verify`] that needs the entries as the file gives them (see [`Links`]).
pub fn links_of(
    history: &[NativeAuditEntry],
    chain: Option<&NativeChain>,
    text_sha256: &str,
) -> Verification {
    let mut links = Links::default();
    for (i, entry) in history.iter().enumerate() {
        links.entry(i, entry);
    }
    links.finish(chain, text_sha256)
}

/// The chain checked entry by entry as the file is read, so the loader checks it without
/// keeping the entries as the file gives them. The first chained entry is checked at the end:
/// the digest it chains from may be named by the `chain` object, which comes after the history.
#[derive(Debug, Default)]
pub struct Links {
    v: Verification,
    /// The hash of the last chained entry so far, as read, once there is one.
    previous: Option<String>,
    /// The first chained entry's canonical bytes and hash, and what to say if they do not fit.
    first: Option<(Vec<u8>, String, Finding)>,
    /// The canonical bytes of the entry being checked (one buffer for all of them).
    bytes: Vec<u8>,
}

/// Whether `hash` (as read) is the SHA-256 of `previous` and `bytes`, in lower-case hex.
fn fits(hash: &str, previous: &str, bytes: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(previous.as_bytes())
        .chain_update(bytes)
        .finalize();
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    hash.len() == 64
        && digest
            .iter()
            .zip(hash.as_bytes().chunks_exact(2))
            .all(|(byte, pair)| {
                pair[0] == DIGITS[usize::from(byte >> 4)]
                    && pair[1] == DIGITS[usize::from(byte & 0xf)]
            })
}

impl Links {
    /// The next entry, `i`, of the history.
    pub fn entry(&mut self, i: usize, entry: &NativeAuditEntry) {
        let v = &mut self.v;
        v.entries += 1;
        if entry.action == AuditAction::Document
            && entry
                .detail
                .as_deref()
                .is_some_and(|d| d.contains(BREAK_PREFIX))
        {
            v.recorded_breaks.push(i);
        }
        let Some(hash) = entry.hash.as_deref() else {
            if self.previous.is_some() {
                v.findings.push(Finding::at_entry(
                    i,
                    entry,
                    "it has no hash, but entries before it are chained: its hash was removed"
                        .to_string(),
                ));
            } else {
                v.unchained += 1;
            }
            return;
        };
        let Some(previous) = &mut self.previous else {
            let unfit = Finding::at_entry(
                i,
                entry,
                "its hash does not fit its content and the text digest: the entry was changed, or one before it removed".to_string(),
            );
            self.first = Some((canonical(entry), hash.to_string(), unfit));
            self.previous = Some(hash.to_string());
            return;
        };
        self.bytes.clear();
        canonical_into(&mut self.bytes, entry);
        if !fits(hash, previous, &self.bytes) {
            v.findings.push(Finding::at_entry(
                    i,
                    entry,
                    "its hash does not fit its content and the entry before it: the entry was changed, or one next to it removed or added".to_string(),
                ));
        }
        // The buffer is kept: no allocation an entry.
        previous.clear();
        previous.push_str(hash);
    }

    /// What was found, given the file's `chain` object and its text digest.
    pub fn finish(self, chain: Option<&NativeChain>, text_sha256: &str) -> Verification {
        let Self {
            mut v,
            previous,
            first,
            ..
        } = self;
        v.has_chain_object = chain.is_some();
        let genesis = chain
            .and_then(|c| c.text_sha256.as_deref())
            .unwrap_or(text_sha256);
        if let Some((bytes, hash, unfit)) = first
            && !fits(&hash, genesis, &bytes)
        {
            v.findings.push(unfit);
            v.findings.sort_by_key(|f| f.entry.unwrap_or(usize::MAX));
        }
        v.head = previous;
        match (chain, &v.head) {
            (None, None) => {}
            (Some(_), None) => v.findings.push(Finding::whole(
                "the file has a \"chain\" but no history entry has a hash: the entries' hashes were removed".to_string(),
            )),
            (None, Some(_)) => v.findings.push(Finding::whole(
                "history entries have hashes but the file has no \"chain\": it was removed".to_string(),
            )),
            (Some(chain), Some(head)) => {
                if chain.head != *head || chain.entries != v.entries {
                    v.findings.push(Finding::whole(format!(
                        "chain.head and chain.entries ({}, {}) do not fit the history ({}, {}): entries were removed from or added to its end",
                        short(&chain.head),
                        chain.entries,
                        short(head),
                        v.entries
                    )));
                }
            }
        }
        v
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
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
