//! Writing frames: one JSON line per frame, its keys in a fixed order.

use std::collections::HashSet;
use std::io;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{DISCONTINUOUS, RELATIONS_IN_NO_FRAME};
use crate::formats::registry::{DatasetWriter, Part, Written};
use crate::formats::{ExportOptions, Loss};
use crate::model::frames::{Frame, all_frames};
use crate::model::{Document, Span, SpanId};

/// The label whose spans carry their ISO 8601 value in a frame.
const DATE: &str = "date";
/// The attribute holding a date's ISO 8601 value.
const ISO: &str = "iso";

/// Appends one line per frame of `doc` to `out`; returns what the lines could not hold.
pub fn write_document(doc: &Document, out: &mut Vec<u8>) -> io::Result<Loss> {
    let set = doc.set();
    let mut loss = Loss::default();
    let mut in_frames = 0;
    let mut stretched: HashSet<&SpanId> = HashSet::new();
    let frames = all_frames(set);
    for frame in &frames {
        let spans = frame.roles.iter().flat_map(|(_, ids)| ids.iter());
        for id in std::iter::once(&frame.head).chain(spans) {
            if set.get(id).is_some_and(|s| !s.fragments.is_empty()) {
                stretched.insert(id);
            }
        }
        in_frames += frame.roles.iter().map(|(_, ids)| ids.len()).sum::<usize>();
        serde_json::to_writer(&mut *out, &FrameOut { doc, frame })?;
        out.push(b'\n');
    }
    // Each relation fills at most one role of one frame: the frame of the span it starts at.
    loss.add(
        RELATIONS_IN_NO_FRAME,
        set.relation_count().saturating_sub(in_frames),
    );
    loss.add(DISCONTINUOUS, stretched.len());
    Ok(loss)
}

/// One frame as its line: `type`, the frame's own span, its roles, then the document.
struct FrameOut<'a> {
    doc: &'a Document,
    frame: &'a Frame,
}

impl Serialize for FrameOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let set = self.doc.set();
        let span = |id: &SpanId| set.get(id).map(|s| SpanOut::of(self.doc, s));
        let kind = self.frame.kind;
        let mut map = serializer.serialize_map(Some(self.frame.roles.len() + 5))?;
        map.serialize_entry("type", kind.as_str())?;
        map.serialize_entry(kind.head_role(), &span(&self.frame.head))?;
        for (role, ids) in &self.frame.roles {
            let spans: Vec<SpanOut> = ids.iter().filter_map(span).collect();
            map.serialize_entry(role, &spans)?;
        }
        map.serialize_entry("name", &self.doc.source.name)?;
        map.serialize_entry("annotator", &self.doc.annotator)?;
        map.serialize_entry("text_sha256", self.doc.text().sha256_hex())?;
        map.end()
    }
}

/// A span of a frame, its fields in the order written.
#[derive(Serialize)]
struct SpanOut<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    iso: Option<&'a str>,
}

impl<'a> SpanOut<'a> {
    fn of(doc: &'a Document, span: &'a Span) -> Self {
        let iso = (span.label.as_str() == DATE)
            .then(|| span.attrs.get(ISO).map(String::as_str))
            .flatten();
        Self {
            id: span.id.as_str(),
            start: span.range.start().0,
            end: span.range.end().0,
            text: doc.set().span_text(span),
            label: span.label.as_str(),
            iso,
        }
    }
}

impl DatasetWriter for super::Frames {
    fn document(&self, doc: &Document, _part: &Part<'_>, out: &mut Vec<u8>) -> io::Result<Written> {
        write_document(doc, out).map(Written::from)
    }

    fn all(
        &self,
        docs: &[&Document],
        _options: &ExportOptions,
        out: &mut Vec<u8>,
    ) -> io::Result<Written> {
        let mut loss = Loss::default();
        for doc in docs {
            loss.merge(&write_document(doc, out)?);
        }
        Ok(loss.into())
    }
}
