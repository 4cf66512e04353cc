//! How the native file is laid out on disk: indented at the top, one line per span (and per
//! relation, label, history entry, orphan). A change to one span is a one-line diff, files
//! merge well in git, and a 100,000-span file is a quarter smaller than fully indented JSON.
//! The writer ([`super::write`]) writes the fields before the spans and those after them as the
//! two [`Part`]s of the root object, and each span's line with [`super::span_line`].
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
    /// The part of the root object written; all of it when `None`.
    part: Option<Part>,
}

/// A part of the file's root object, for a value whose fields are some of the root's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// Its opening brace and first fields; other fields follow.
    Head,
    /// Fields after others, and its closing brace.
    Tail,
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

    /// Whether the root object's own brace, of `part`, is left out.
    fn leaves_out(&self, part: Part) -> bool {
        self.depth == 1 && self.part == Some(part)
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
        if self.leaves_out(Part::Tail) {
            return Ok(());
        }
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.leaves_out(Part::Head) {
            self.depth -= 1;
            self.has_value = true;
            return Ok(());
        }
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
        // The tail's first field comes after the fields before it.
        let first = first && !self.leaves_out(Part::Tail);
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

/// Appends `value`, whose fields are `part` of the file's root object, in the file's layout.
pub(super) fn write_part<T: serde::Serialize>(out: &mut Vec<u8>, value: &T, part: Part) {
    let formatter = SpanPerLine {
        part: Some(part),
        ..SpanPerLine::default()
    };
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    // Serialising to memory cannot fail: the file holds no map with keys that are not strings.
    let _ = value.serialize(&mut ser);
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
