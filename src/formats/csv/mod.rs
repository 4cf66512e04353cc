//! CSV (export only): one row per span, for spreadsheets and quick analysis.
//!
//! Columns: `document,span_id,label,start,end,text,status,author,note`, then one column per
//! attribute the schema defines (the default schema's, known before the first row: `category`,
//! `iso`, `quote`), then `attrs`: every other attribute of the span as a JSON object with sorted
//! keys (empty when there is none). `start` and `end` count
//! Unicode scalar values (Python `str` indices), 0-based and end-exclusive, and `text` is the
//! document's text between them, exactly (line breaks, tabs and CRLF kept). The file follows
//! RFC 4180: UTF-8, a header row, CRLF after every row, and a field in double quotes when it
//! holds a comma, a double quote (doubled) or a line break. Documents come in the order given,
//! their spans in Spanmark's order (start, end, label, id), so the same input gives the same
//! bytes. Values are written as they are: a spreadsheet may read a cell that starts with `=` as a
//! formula.
//!
//! It cannot hold relations, and a discontinuous span is written as the
//! whole stretch from its first piece's start to its last piece's end; each is counted in the
//! [`Loss`](super::Loss). Origin and times are not written.

mod write;

pub use write::{export, write_header, write_rows};

/// CSV in the registry: its [`DatasetWriter`](super::registry::DatasetWriter).
pub struct Csv;

/// The header row's fixed columns; the attribute columns and `attrs` follow
/// ([`attribute_columns`]).
pub const HEADER: [&str; 9] = [
    "document", "span_id", "label", "start", "end", "text", "status", "author", "note",
];

/// The attribute columns: each attribute name the default schema defines, once, in its order.
pub fn attribute_columns() -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for def in crate::model::Schema::default().labels() {
        for a in &def.attributes {
            if !names.contains(&a.name) {
                names.push(a.name.clone());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests;
