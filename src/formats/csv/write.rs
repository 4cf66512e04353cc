//! Writing the rows: RFC 4180 quoting, one row per span, the header first.

use std::io::{self, Write};

use super::{HEADER, attribute_columns};
use crate::formats::registry::{DatasetWriter, Part, Written};
use crate::formats::{ExportOptions, Loss};
use crate::model::Document;

/// Writes one row per span of `docs` to `out`; returns what the rows could not hold.
pub fn export(docs: &[&Document], out: &mut dyn Write) -> io::Result<Loss> {
    let mut loss = Loss::default();
    write_header(out)?;
    for doc in docs {
        loss.merge(&write_rows(doc, out)?);
    }
    Ok(loss)
}

/// Writes the header row (a file is the header, then [`write_rows`] of each document).
pub fn write_header(out: &mut dyn Write) -> io::Result<()> {
    let mut row: Vec<String> = HEADER.map(str::to_string).to_vec();
    row.extend(attribute_columns());
    row.push("attrs".to_string());
    write_row(out, &row)
}

/// Writes one row per span of `doc`; returns what the rows could not hold.
pub fn write_rows(doc: &Document, out: &mut dyn Write) -> io::Result<Loss> {
    let mut loss = Loss::default();
    let set = doc.set();
    loss.add("relations", set.relations().count());
    let columns = attribute_columns();
    for span in set.spans() {
        if !span.fragments.is_empty() {
            loss.add("discontinuous spans (written as their whole stretch)", 1);
        }
        let rest: serde_json::Map<String, serde_json::Value> = span
            .attrs
            .iter()
            .filter(|(k, _)| !columns.contains(k))
            .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
            .collect();
        let mut row = vec![
            doc.source.name.clone(),
            span.id.to_string(),
            span.label.to_string(),
            span.range.start().0.to_string(),
            span.range.end().0.to_string(),
            set.span_text(span).to_string(),
            span.status.to_string(),
            span.author.to_string(),
            span.note.clone().unwrap_or_default(),
        ];
        row.extend(
            columns
                .iter()
                .map(|c| span.attrs.get(c).cloned().unwrap_or_default()),
        );
        row.push(if rest.is_empty() {
            String::new()
        } else {
            serde_json::Value::Object(rest).to_string()
        });
        write_row(out, &row)?;
    }
    Ok(loss)
}

fn write_row(out: &mut dyn Write, fields: &[String]) -> io::Result<()> {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(quoted(field).as_bytes())?;
    }
    out.write_all(b"\r\n")
}

/// A field as RFC 4180 writes it: in double quotes (with `"` doubled) when it holds a comma, a
/// double quote, CR or LF; as it is otherwise.
fn quoted(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

impl DatasetWriter for super::Csv {
    fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        write_header(out)
    }

    fn document(&self, doc: &Document, _part: &Part<'_>, out: &mut Vec<u8>) -> io::Result<Written> {
        write_rows(doc, out).map(Written::from)
    }

    fn all(
        &self,
        docs: &[&Document],
        _options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Written> {
        export(docs, out).map(Written::from)
    }
}
