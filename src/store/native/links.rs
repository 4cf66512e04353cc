//! The history's hash chain checked entry by entry: each entry's canonical bytes, its link
//! onto the hash before it, and [`Links`], which the loader feeds as it reads the file (see
//! [`super::chain`] for what the chain is and what `verify` adds).

use super::file::{NativeAuditEntry, NativeChain};
use super::finding::{Finding, Verification};
use crate::model::text::{digest_of_hex, sha256_hex_of_parts};
use crate::model::{AuditAction, AuditValue};

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

pub(super) fn write_number(out: &mut Vec<u8>, n: usize) {
    // Writing a number to memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, &n);
}

/// `s` as a JSON string, escaped as serde_json escapes it (so as the serde path writes it).
pub(super) fn write_str(out: &mut Vec<u8>, s: &str) {
    // Writing a string to memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The hash of `entry` chained onto `previous`.
pub fn link(previous: &str, entry: &NativeAuditEntry) -> String {
    sha256_hex_of_parts(&[previous.as_bytes(), &canonical(entry)])
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
///
/// Past the first [`BESIDE_FROM`] entries, each link is hashed on a thread of its own, in
/// batches, while the reader goes on: hashing the chain was about a fifth of the loading
/// thread's time for a file with a history entry for each of 100,000 spans.
#[derive(Debug, Default)]
pub struct Links {
    v: Verification,
    /// The hash of the last chained entry so far, as read, once there is one.
    previous: Option<String>,
    /// The first chained entry's canonical bytes and hash, and what to say if they do not fit.
    first: Option<(Vec<u8>, String, Finding)>,
    /// The canonical bytes of the entry being checked (one buffer for all of them).
    bytes: Vec<u8>,
    /// The thread the links are checked on, once started; `None`: checked here.
    checker: Option<Checker>,
}

/// Entries whose links are checked on the reading thread before the checker thread starts
/// (a short history is not worth a thread). Small in tests, so that they check both ways.
const BESIDE_FROM: usize = if cfg!(test) { 2 } else { 2_048 };

/// Bytes of links gathered before they go to the checker thread.
const BATCH: usize = 256 << 10;

/// The checker thread ([`super::beside::Beside`]), and the batch being gathered for it: for
/// each link, the entry's index, then the hash before it, its canonical bytes, its hash, its
/// time and its author, each with its length.
#[derive(Debug)]
struct Checker {
    batch: Vec<u8>,
    thread: super::beside::Beside<Vec<Finding>>,
}

/// What is said of an entry whose hash does not fit the one before it.
const UNFIT: &str = "its hash does not fit its content and the entry before it: the entry was changed, or one next to it removed or added";

impl Checker {
    fn start() -> Option<Self> {
        let thread = super::beside::Beside::start("history chain", Vec::new(), check_batch)?;
        Some(Self {
            batch: Vec::with_capacity(BATCH + 4_096),
            thread,
        })
    }

    /// Sends the batch gathered (when the checker is gone, it is checked here).
    fn send(&mut self, findings: &mut Vec<Finding>) {
        if self.batch.is_empty() {
            return;
        }
        let next = self.thread.buffer();
        let batch = std::mem::replace(&mut self.batch, next);
        if let Err(unsent) = self.thread.send(batch) {
            check_batch(findings, &unsent);
        }
    }

    /// Every finding of the links sent.
    fn finish(mut self, findings: &mut Vec<Finding>) {
        self.send(findings);
        match self.thread.finish() {
            Ok(found) => findings.extend(found),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

fn put(batch: &mut Vec<u8>, bytes: &[u8]) {
    batch.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    batch.extend_from_slice(bytes);
}

/// Checks the links of `batch` (see [`Checker`]), adding a finding for each that does not fit.
fn check_batch(findings: &mut Vec<Finding>, batch: &[u8]) {
    let mut rest = batch;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let mut next = || -> Option<&[u8]> {
        let len = u64::from_le_bytes(take(8)?.try_into().ok()?);
        take(usize::try_from(len).ok()?)
    };
    while let Some(index) = next() {
        let (Some(previous), Some(bytes), Some(hash), Some(at), Some(who)) =
            (next(), next(), next(), next(), next())
        else {
            return;
        };
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let (Ok(index), Ok(hash), Ok(previous)) = (
            <[u8; 8]>::try_from(index).map(u64::from_le_bytes),
            std::str::from_utf8(hash),
            std::str::from_utf8(previous),
        ) else {
            continue;
        };
        if !fits(hash, previous, bytes) {
            findings.push(Finding {
                entry: usize::try_from(index).ok(),
                at: text(at),
                who: text(who),
                message: UNFIT.to_string(),
            });
        }
    }
}

/// Whether `hash` (as read) is the SHA-256 of `previous` and `bytes`, in lower-case hex.
fn fits(hash: &str, previous: &str, bytes: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(previous.as_bytes())
        .chain_update(bytes)
        .finalize();
    digest_of_hex(hash).is_some_and(|read| read[..] == digest[..])
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
                    &entry,
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
                &entry,
                "its hash does not fit its content and the text digest: the entry was changed, or one before it removed".to_string(),
            );
            self.first = Some((canonical(entry), hash.to_string(), unfit));
            self.previous = Some(hash.to_string());
            return;
        };
        if self.checker.is_none() && v.entries > BESIDE_FROM {
            self.checker = Checker::start();
        }
        if let Some(checker) = &mut self.checker {
            let batch = &mut checker.batch;
            put(batch, &(i as u64).to_le_bytes());
            put(batch, previous.as_bytes());
            self.bytes.clear();
            canonical_into(&mut self.bytes, entry);
            put(batch, &self.bytes);
            put(batch, hash.as_bytes());
            put(batch, entry.at.as_bytes());
            put(batch, entry.who.as_bytes());
            if batch.len() >= BATCH {
                checker.send(&mut v.findings);
            }
        } else {
            self.bytes.clear();
            canonical_into(&mut self.bytes, entry);
            if !fits(hash, previous, &self.bytes) {
                v.findings
                    .push(Finding::at_entry(i, &entry, UNFIT.to_string()));
            }
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
            checker,
            ..
        } = self;
        if let Some(checker) = checker {
            checker.finish(&mut v.findings);
            // In the order of the entries, as when every link is checked here (the sort keeps
            // the order of an entry's findings; the whole file's come after).
            v.findings.sort_by_key(|f| f.entry.unwrap_or(usize::MAX));
        }
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
