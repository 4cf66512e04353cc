//! Reading a native file as it streams in: the spans are checked line by line as they are read,
//! so a 100,000-span file never sits in memory whole, nor all its spans parsed at once (the file
//! is about four times the text, its parsed spans about three).
//!
//! This works for the layout Spanmark writes ([`super::write`]): the fields before the spans up
//! to a line `  "spans": [`, one span a line ([`super::span_line`]), then `  ],` and the fields
//! after them, the history among them one entry a line (each made the document's as it is read,
//! its hash checked against the one before: the entries as the file gives them are never all
//! held). Each part is parsed as the same shape as in a whole file, and checked by the same
//! calls in the same order. Anything else (a file reformatted by another tool, or broken, or
//! one the version gate refuses) is read whole and given to [`from_bytes`], so the result and
//! every message are the same either way; tests check it byte by byte.
//!
//! An export reads the bytes of each annotation file it holds the same way
//! ([`from_bytes_in_lines`], the lines sliced where they lie), only checking the history.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::beside::Beside;
use super::check::{Checker, HistoryIn, HistoryUse};
use super::file::{NativeAuditEntry, NativeHead, NativeTail};
use super::load::{from_bytes, from_bytes_with, gate};
use super::span_line::{self, Line};
use super::{Loaded, NativeError};
use crate::model::text::hex;
use crate::store::guard::FileStamp;

/// Reads and checks the native file at `path`, streaming. `on_read` is told the bytes of each
/// chunk read; an error from it stops the read (to cancel). Returns the document and the stamp
/// of the bytes read.
pub fn load_streaming(
    path: &Path,
    on_read: &mut dyn FnMut(usize) -> io::Result<()>,
) -> Result<(Loaded, FileStamp), NativeError> {
    let io_error = |source| NativeError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    // Taken before reading: a change during the read shows as a later time.
    let modified = file.metadata().and_then(|m| m.modified()).ok();
    let len = file.metadata().map_or(0, |m| m.len());
    let most_spans = most_spans(len);
    // The buffer is zeroed when made: a small file gets a small one.
    let buffer = (len as usize).saturating_add(1).clamp(8 << 10, 1 << 20);
    let mut input = BufReader::with_capacity(buffer, Counted::new(file, on_read));
    match stream(path, &mut input, most_spans, HistoryUse::Verify).map_err(io_error)? {
        Streamed::Done(loaded) => {
            let stamp = input.into_inner().stamp().timed(modified);
            loaded.map(|l| (l, stamp))
        }
        Streamed::Whole(mut bytes) => {
            input.read_to_end(&mut bytes).map_err(io_error)?;
            let stamp = input.into_inner().stamp().timed(modified);
            from_bytes(path, &bytes).map(|l| (l, stamp))
        }
        Streamed::Again => {
            // Not the layout we write, found past the spans already checked: read it again,
            // whole.
            let on_read = input.into_inner().on_read;
            let file = File::open(path).map_err(io_error)?;
            let modified = file.metadata().and_then(|m| m.modified()).ok();
            let mut input = Counted::new(file, on_read);
            let mut bytes = Vec::new();
            input.read_to_end(&mut bytes).map_err(io_error)?;
            from_bytes(path, &bytes).map(|l| (l, input.stamp().timed(modified)))
        }
    }
}

/// Parses and checks native-file bytes already in memory, doing with the history what
/// `history` says: line by line while they are in the layout Spanmark writes, as
/// [`from_bytes_with`] otherwise (which gives the same document and messages either way).
pub fn from_bytes_in_lines(
    path: &Path,
    bytes: &[u8],
    history: HistoryUse,
) -> Result<Loaded, NativeError> {
    let mut lines = InMemory(bytes);
    match stream(path, &mut lines, most_spans(bytes.len() as u64), history) {
        Ok(Streamed::Done(loaded)) => *loaded,
        // Reading a slice cannot fail.
        Ok(Streamed::Whole(_) | Streamed::Again) | Err(_) => from_bytes_with(path, bytes, history),
    }
}

/// The lines [`stream`] reads: from a file, through its buffer; from bytes in memory, where
/// they lie (copying each span's and entry's line was 3% of an export's time).
pub(super) trait Lines {
    /// Appends the next line, with its `\n`, to `buf`; the bytes appended (0 at the end).
    fn append_line(&mut self, buf: &mut Vec<u8>) -> io::Result<usize>;

    /// The next line, with its `\n` (empty at the end): in `buf`, or where it lies.
    fn next_line<'s>(&'s mut self, buf: &'s mut Vec<u8>) -> io::Result<&'s [u8]>;

    /// The bytes left, when known: room for the head is made once instead of doubling line
    /// by line (those copies were 1% of an export's time). Room not written to costs nothing.
    fn left(&self) -> usize {
        0
    }
}

impl<R: BufRead> Lines for R {
    fn append_line(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        self.read_until(b'\n', buf)
    }

    fn next_line<'s>(&'s mut self, buf: &'s mut Vec<u8>) -> io::Result<&'s [u8]> {
        buf.clear();
        self.read_until(b'\n', buf)?;
        Ok(buf)
    }
}

/// Bytes in memory, read a line at a time where they lie.
pub(super) struct InMemory<'a>(pub &'a [u8]);

impl InMemory<'_> {
    fn take_line(&mut self) -> &[u8] {
        let len = memchr::memchr(b'\n', self.0).map_or(self.0.len(), |i| i + 1);
        let (line, rest) = self.0.split_at(len);
        self.0 = rest;
        line
    }
}

impl Lines for InMemory<'_> {
    fn append_line(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        let line = self.take_line();
        buf.extend_from_slice(line);
        Ok(line.len())
    }

    fn next_line<'s>(&'s mut self, _: &'s mut Vec<u8>) -> io::Result<&'s [u8]> {
        Ok(self.take_line())
    }

    fn left(&self) -> usize {
        self.0.len()
    }
}

/// Room for this many spans is enough in a file of `len` bytes (a span's line is more than 128).
fn most_spans(len: u64) -> usize {
    (len / 128).min(1 << 20) as usize
}

/// How far reading line by line went.
pub(super) enum Streamed {
    /// Read and checked.
    Done(Box<Result<Loaded, NativeError>>),
    /// Not our layout, found before any span: these bytes, then the rest, are the file.
    Whole(Vec<u8>),
    /// Not our layout, found among or after the spans: the file must be read again.
    Again,
}

/// Reads the file from `input` line by line, as far as it is in the layout Spanmark writes.
pub(super) fn stream(
    path: &Path,
    input: &mut impl Lines,
    most_spans: usize,
    use_history: HistoryUse,
) -> io::Result<Streamed> {
    // Everything before the spans, held until it is parsed.
    let mut head = Vec::with_capacity(input.left());
    let spans_line = loop {
        let start = head.len();
        if input.append_line(&mut head)? == 0 {
            return Ok(Streamed::Whole(head));
        }
        if span_line::is_open(&head[start..]) {
            break start;
        }
    };
    // The fields before the spans end with a comma; for a moment it closes the object, which
    // must then be the head of a file we wrote (parsed where it lies: the text is not copied).
    let Some(comma) = head[..spans_line]
        .iter()
        .rposition(|b| !span_line::is_space(*b))
        .filter(|&i| head[i] == b',')
    else {
        return Ok(Streamed::Whole(head));
    };
    head[comma] = b'}';
    let parsed = match simdutf8::basic::from_utf8(&head[..=comma])
        .ok()
        .and_then(|text| serde_json::from_str::<NativeHead>(text).ok())
    {
        Some(parsed) => parsed,
        None => {
            head[comma] = b',';
            return Ok(Streamed::Whole(head));
        }
    };
    let refused = gate(
        path,
        Some(&serde_json::Value::from(parsed.format.as_str())),
        Some(&serde_json::Value::from(parsed.version)),
    )
    .is_err();
    if refused {
        // Refused, for what the whole file says: a broken file is refused for being broken.
        drop(parsed);
        head[comma] = b',';
        return Ok(Streamed::Whole(head));
    }
    let mut checker = Checker::default();
    let mut begun = checker.begin(parsed);
    begun.set.reserve(most_spans);
    drop(head);
    // One span a line, a comma after each but the last.
    // A line read from a file is kept here; bytes in memory are not copied.
    let mut buf = Vec::new();
    let mut first = true;
    let mut comma = false;
    let more_fields = loop {
        let line = input.next_line(&mut buf)?;
        if line.is_empty() {
            return Ok(Streamed::Again);
        }
        let (raw, has_comma) = match span_line::read_line(line) {
            Line::Blank => continue,
            Line::Close { more_fields } => {
                if comma {
                    return Ok(Streamed::Again);
                }
                break more_fields;
            }
            Line::Other => return Ok(Streamed::Again),
            Line::Span(raw, has_comma) => (raw, has_comma),
        };
        if !first && !comma {
            return Ok(Streamed::Again);
        }
        checker.add_span(&mut begun, &raw);
        first = false;
        comma = has_comma;
    };
    // The rest of the object: more fields after a comma, or its end. The history is read an
    // entry a line, each made the document's as it comes; the other fields are parsed at the
    // end, with an empty history in its place.
    let mut rest = b"{".to_vec();
    let mut history = HistoryIn::new(use_history);
    if !read_tail(input, &mut rest, &mut history, &begun.set, use_history)? {
        return Ok(Streamed::Again);
    }
    let body = span_line::trim(&rest[1..]);
    if more_fields == body.starts_with(b"}") {
        return Ok(Streamed::Again);
    }
    let Some(tail) = simdutf8::basic::from_utf8(&rest)
        .ok()
        .and_then(|text| serde_json::from_str::<NativeTail>(text).ok())
    else {
        return Ok(Streamed::Again);
    };
    // A history laid out otherwise (its opening line joined to its first entry, say) was not
    // read an entry a line but is in the rest: the whole parse reads it, not this one.
    if !tail.history.is_empty() {
        return Ok(Streamed::Again);
    }
    let (doc, links) = checker.finish(begun, &tail, history);
    Ok(Streamed::Done(Box::new(checker.loaded(path, doc, links))))
}

/// The line that opens the history array, without its indentation.
const HISTORY_OPEN: &[u8] = b"\"history\": [";

/// Reads the fields after the spans to the end: the history's entries, one a line, into
/// `history` (sharing the ids of `set`'s spans), everything else onto `rest` (with `"history": []` where the history was).
/// `false`: the history is not laid out as Spanmark writes it.
fn read_tail(
    input: &mut impl Lines,
    rest: &mut Vec<u8>,
    history: &mut HistoryIn,
    set: &crate::model::AnnotationSet,
    use_history: HistoryUse,
) -> io::Result<bool> {
    let mut buf = Vec::new();
    loop {
        let line = input.next_line(&mut buf)?;
        if line.is_empty() {
            return Ok(true);
        }
        if span_line::trim(line) != HISTORY_OPEN {
            rest.extend_from_slice(line);
            continue;
        }
        // One entry a line, a comma after each but the last.
        let mut comma = None;
        loop {
            let line = input.next_line(&mut buf)?;
            if line.is_empty() {
                return Ok(false);
            }
            let trimmed = span_line::trim(line);
            if let Some(after) = trimmed.strip_prefix(b"]") {
                if comma == Some(true) {
                    return Ok(false);
                }
                rest.extend_from_slice(b"\"history\": []");
                rest.extend_from_slice(after);
                rest.push(b'\n');
                break;
            }
            if comma == Some(false) {
                return Ok(false);
            }
            let (entry, has_comma) = match trimmed.strip_suffix(b",") {
                Some(entry) => (entry, true),
                None => (trimmed, false),
            };
            // UTF-8 checked once for the line, faster than serde_json checking each string
            // (a line that is not UTF-8 goes to the whole parse, which says where).
            let parse = || {
                simdutf8::basic::from_utf8(entry).ok().and_then(|entry| {
                    super::history_line::read_as_written(entry)
                        .or_else(|| serde_json::from_str::<NativeAuditEntry>(entry).ok())
                })
            };
            let parsed = match use_history {
                HistoryUse::Check => crate::model::audit_value::checking_only(parse),
                HistoryUse::Verify | HistoryUse::Keep => parse(),
            };
            let Some(raw) = parsed else {
                return Ok(false);
            };
            history.entry(raw, set);
            comma = Some(has_comma);
        }
    }
}

/// A reader that hashes and counts what passes, and reports each chunk.
struct Counted<'a, R> {
    inner: R,
    hash: Hashing,
    len: u64,
    on_read: &'a mut dyn FnMut(usize) -> io::Result<()>,
}

impl<'a, R> Counted<'a, R> {
    fn new(inner: R, on_read: &'a mut dyn FnMut(usize) -> io::Result<()>) -> Self {
        Self {
            inner,
            hash: Hashing::start(),
            len: 0,
            on_read,
        }
    }

    fn stamp(self) -> FileStamp {
        FileStamp {
            len: self.len,
            sha256: hex(&self.hash.finish()),
            modified: None,
        }
    }
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        (self.on_read)(n)?;
        Ok(n)
    }
}

/// The SHA-256 of the bytes read, computed on a thread of its own while the reading thread
/// parses them ([`Beside`]): of an 88 MB file (a 10 MB article with its history) the digest is
/// a tenth of the time to open it. Without a thread (one could not be started), the bytes are
/// hashed as they are read.
enum Hashing {
    Beside(Beside<Sha256>),
    Inline(Sha256),
}

impl Hashing {
    fn start() -> Self {
        match Beside::start("file digest", Sha256::new(), |hash, chunk| {
            hash.update(chunk)
        }) {
            Some(beside) => Self::Beside(beside),
            None => Self::Inline(Sha256::new()),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if let Self::Beside(beside) = self {
            let mut chunk = beside.buffer();
            chunk.extend_from_slice(bytes);
            if beside.send(chunk).is_ok() {
                return;
            }
            // The hasher is gone (it cannot be, short of a panic): hash here from now on. The
            // digest then fits no file, so the next save asks before it overwrites: the safe
            // side.
            *self = Self::Inline(Sha256::new());
        }
        if let Self::Inline(hash) = self {
            hash.update(bytes);
        }
    }

    fn finish(self) -> [u8; 32] {
        let hash = match self {
            Self::Beside(beside) => beside.finish().unwrap_or_default(),
            Self::Inline(hash) => hash,
        };
        hash.finalize().into()
    }
}

/// Which way a file is read: `streamed`, `whole` (not our layout, seen before the spans) or
/// `again` (seen among or after them).
#[cfg(test)]
pub(super) fn way(path: &Path) -> &'static str {
    let mut input = BufReader::new(File::open(path).unwrap_or_else(|e| panic!("{e}")));
    match stream(path, &mut input, 0, HistoryUse::Verify) {
        Ok(Streamed::Done(_)) => "streamed",
        Ok(Streamed::Whole(_)) => "whole",
        Ok(Streamed::Again) => "again",
        Err(e) => panic!("{e}"),
    }
}
