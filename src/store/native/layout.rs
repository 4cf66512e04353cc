//! How the native file is laid out on disk: indented at the top, one line per span (and per
//! relation, label, history entry, orphan). A change to one span is a one-line diff, files
//! merge well in git, and a 100,000-span file is a quarter smaller than fully indented JSON.
//!
//! ```text
//! {
//!   "format": "spanmark",
//!   ...
//!   "spans": [
//!     {"id": "s1", "label": "actor", "start": 104, "end": 110, "text": "Lavrov", ...},
//!     {"id": "s2", ...}
//!   ],
//! ```

use std::io::{self, Write};

use serde_json::ser::Formatter;

use super::span_line::{self, NativeSpan};
use crate::model::{AnnotationSet, Span};

/// Objects nested this deep or deeper are written on one line (the root object is depth 1,
/// `document` and `schema` are 2, a span in `spans` is 3).
const ONE_LINE_FROM_DEPTH: usize = 3;

/// A serde_json formatter: two-space indentation above [`ONE_LINE_FROM_DEPTH`], one line below.
#[derive(Debug, Default)]
pub struct SpanPerLine {
    depth: usize,
    /// The depth of the object being written on one line, if any.
    one_line_at: Option<usize>,
    has_value: bool,
}

impl SpanPerLine {
    /// For a span's line in the `"spans"` array: inside the root object and the array, the
    /// span's object is one line.
    pub(super) fn span_line() -> Self {
        Self {
            depth: ONE_LINE_FROM_DEPTH - 1,
            ..Self::default()
        }
    }

    fn one_line(&self) -> bool {
        self.one_line_at.is_some()
    }

    fn indent<W: ?Sized + Write>(&self, writer: &mut W, depth: usize) -> io::Result<()> {
        for _ in 0..depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Formatter for SpanPerLine {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value && !self.one_line() {
            writer.write_all(b"\n")?;
            self.indent(writer, self.depth)?;
        }
        self.has_value = true;
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.one_line() {
            if !first {
                writer.write_all(b", ")?;
            }
            return Ok(());
        }
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer, self.depth)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        if self.one_line_at.is_none() && self.depth >= ONE_LINE_FROM_DEPTH {
            self.one_line_at = Some(self.depth);
        }
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.one_line_at == Some(self.depth) {
            self.one_line_at = None;
        } else if self.has_value && !self.one_line() {
            writer.write_all(b"\n")?;
            self.indent(writer, self.depth - 1)?;
        }
        self.depth -= 1;
        self.has_value = true;
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.one_line() {
            if !first {
                writer.write_all(b", ")?;
            }
            return Ok(());
        }
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer, self.depth)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as JSON in the native file's layout, with a final newline.
pub fn to_vec<T: serde::Serialize>(value: &T, capacity: usize) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(capacity);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SpanPerLine::default());
    value.serialize(&mut ser)?;
    out.push(b'\n');
    Ok(out)
}

/// The lines of `spans` (of `set`) in the `"spans"` array, each `\n    {...}` and all but the
/// first after a comma, in chunks to be written in order. The spans are serialised on every
/// core, a chunk each.
pub fn span_lines(set: &AnnotationSet, spans: &[&Span]) -> Vec<Vec<u8>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
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
        lines.extend(others.into_iter().map(|t| t.join().unwrap_or_default()));
        lines
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indented_at_the_top_one_line_below() {
        let v = json!({
            "format": "spanmark",
            "document": {"name": "a.txt", "meta": {}},
            "spans": [
                {"id": "s1", "start": 0, "fragments": [[0, 1], [2, 3]], "attrs": {"iso": "2021"}},
                {"id": "s2", "start": 4}
            ],
            "relations": [],
            "schema": {"labels": [{"name": "actor"}]}
        });
        let text = String::from_utf8(to_vec(&v, 0).unwrap()).unwrap();
        let expected = r#"{
  "document": {
    "meta": {},
    "name": "a.txt"
  },
  "format": "spanmark",
  "relations": [],
  "schema": {
    "labels": [
      {"name": "actor"}
    ]
  },
  "spans": [
    {"attrs": {"iso": "2021"}, "fragments": [[0, 1], [2, 3]], "id": "s1", "start": 0},
    {"id": "s2", "start": 4}
  ]
}
"#;
        assert_eq!(text, expected);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
