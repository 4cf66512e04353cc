//! Saving a native file: deterministic, the same document always gives the same bytes.
//!
//! The file is written as its parts in order, each made once: the head (the
//! root object's fields before the spans, then the span array's opening), the span lines (made
//! on every core, a chunk each, by [`super::span_line`]), and the tail (the array's end, the
//! fields after it, the root's closing brace), with the history's lines written straight into
//! it by [`super::history_line`]. Together they are the bytes serde_json writes
//! for the whole [`super::file::NativeFile`] in the file's layout; a test checks it.

use std::path::Path;

use super::NativeError;
use super::file::{NativeHead, NativeTail};
use super::history_line;
use super::layout::{self, Part};
use super::span_line::{self, NativeSpan};
use super::version::version_for;
use crate::model::{AnnotationSet, Document, Span};
use crate::store::atomic::write_atomic_parts;

/// The native file for `doc`.
pub fn to_bytes(doc: &Document) -> Vec<u8> {
    Serialised::of(doc).to_vec()
}

/// Writes `doc` to `path` atomically: the old file or the new one, never a mix.
pub fn save(doc: &Document, path: &Path) -> Result<(), NativeError> {
    Serialised::of(doc).write(path)
}

/// A document serialised as its file, in pieces (the spans' lines are written on every core).
pub struct Serialised {
    /// The fields before the spans, and `"spans": [`.
    head: Vec<u8>,
    /// The span lines, in chunks.
    lines: Vec<Vec<u8>>,
    /// The end of the span array and the fields after it, up to the history's `[`.
    tail: Vec<u8>,
    /// The history's array, from `[` to `]`.
    history: Vec<u8>,
    /// The fields after the history, the end of the file.
    end: Vec<u8>,
}

impl Serialised {
    pub fn of(doc: &Document) -> Self {
        Self::on(doc, cores())
    }

    /// Serialised on every core but one, which is left to the window: a save written in the
    /// background must not starve the frames drawn meanwhile (on two cores, one thread).
    pub fn leaving_a_core(doc: &Document) -> Self {
        Self::on(doc, cores().saturating_sub(1).max(1))
    }

    fn on(doc: &Document, threads: usize) -> Self {
        // Room for the text and the rest, so the buffer is not copied as it grows.
        let mut head = Vec::with_capacity(doc.text().len_bytes() + 65_536);
        let version = version_for(doc);
        layout::write_part(&mut head, &NativeHead::of(doc, version), Part::Head);
        span_line::write_open(&mut head);
        let spans: Vec<&Span> = doc.set().spans().collect();
        let lines = span_lines(doc.set(), &spans, threads);
        // The fields after the spans with an empty history, which the history's lines then
        // replace: `"history": []` on a line of its own at the top level, where nothing else
        // can write it (deeper lines are indented further, and quotes in strings are escaped).
        let mut fields = NativeTail::without_history(doc, version);
        // About 300 bytes a line; more reserved is never touched, so never resident.
        let mut history = Vec::with_capacity(doc.audit().len() * 512 + 16);
        fields.chain = history_line::write(&mut history, doc);
        let mut tail = Vec::with_capacity(4_096);
        span_line::write_close(&mut tail, !spans.is_empty());
        layout::write_part(&mut tail, &fields, Part::Tail);
        tail.push(b'\n');
        const EMPTY: &[u8] = b"\n  \"history\": []";
        match tail.windows(EMPTY.len()).position(|w| w == EMPTY) {
            Some(at) => {
                let end = tail.split_off(at + EMPTY.len());
                tail.truncate(at + EMPTY.len() - b"[]".len());
                Self {
                    head,
                    lines,
                    tail,
                    history,
                    end,
                }
            }
            // Not reached (the layout writes the key so), but were it, serde writes it all.
            None => {
                let mut tail = Vec::new();
                span_line::write_close(&mut tail, !spans.is_empty());
                let sealed = super::chain::sealed_tail(doc, version);
                layout::write_part(&mut tail, &sealed, Part::Tail);
                tail.push(b'\n');
                Self {
                    head,
                    lines,
                    tail,
                    history: Vec::new(),
                    end: Vec::new(),
                }
            }
        }
    }

    /// The file's bytes, in pieces to be written in order.
    pub fn parts(&self) -> Vec<&[u8]> {
        let mut parts = Vec::with_capacity(self.lines.len() + 4);
        parts.push(self.head.as_slice());
        parts.extend(self.lines.iter().map(Vec::as_slice));
        parts.extend([&self.tail, &self.history, &self.end].map(Vec::as_slice));
        parts
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.parts().concat()
    }

    /// Writes the file to `path` atomically: the old file or the new one, never a mix.
    pub fn write(&self, path: &Path) -> Result<(), NativeError> {
        write_atomic_parts(path, &self.parts()).map_err(|source| NativeError::Write {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// The cores to serialise on (at most eight).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// The lines of `spans` (of `set`) in the span array, in chunks to be written in order. The
/// spans are serialised on every core, a chunk each.
fn span_lines(set: &AnnotationSet, spans: &[&Span], threads: usize) -> Vec<Vec<u8>> {
    let per_chunk = spans.len().div_ceil(threads).max(1);
    let write = |first: usize, chunk: &[&Span]| {
        // About 400 bytes a line; more reserved is never touched, so never resident.
        let mut out = Vec::with_capacity(chunk.len() * 512);
        for (i, span) in chunk.iter().enumerate() {
            span_line::write_line(&mut out, first + i == 0, &NativeSpan::in_set(set, span));
        }
        out
    };
    std::thread::scope(|scope| {
        let mut chunks = spans.chunks(per_chunk).enumerate();
        let first = chunks.next().map(|(_, c)| c).unwrap_or_default();
        let others: Vec<_> = chunks
            .map(|(i, chunk)| scope.spawn(move || write(i * per_chunk, chunk)))
            .collect();
        let mut lines = vec![write(0, first)];
        // A thread that panicked panics the save: its chunk is not left out of the file.
        lines.extend(others.into_iter().map(|t| {
            t.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }));
        lines
    })
}

/// The file shape of a document, whole: spans in set order, relations by id, context computed,
/// the history sealed (tests compare it with the file written in pieces).
#[cfg(test)]
pub(super) fn native_file(doc: &Document) -> super::file::NativeFile<'_> {
    let set = doc.set();
    let spans = set.spans().map(|s| NativeSpan::in_set(set, s)).collect();
    let version = version_for(doc);
    super::file::NativeFile::from_parts(
        NativeHead::of(doc, version),
        spans,
        super::chain::sealed_tail(doc, version),
    )
}
