//! W3C Web Annotation (JSON-LD, context `http://www.w3.org/ns/anno.jsonld`): one
//! `AnnotationCollection` per document, its annotations embedded in the first page.
//!
//! **Offsets.** A `TextPositionSelector`'s `start`/`end` count Unicode scalar values ("code
//! points, not code units", a MUST of the W3C model), 0-based and end-exclusive, exactly as
//! Spanmark does; each is paired with a `TextQuoteSelector` (`exact`, and up to 32 characters of
//! `prefix` and `suffix`, not cutting a grapheme) that says the same thing in words. On import a
//! position whose text contradicts its quote is reported (with a hint when UTF-16 offsets, as
//! JavaScript annotators record them, would explain it); a quote alone is found in the text by
//! its exact words and context, and taken only where that is unambiguous.
//!
//! **What it holds.** Each span is an `Annotation` with `motivation` `tagging`:
//! - `body`: a `TextualBody` with `purpose` `tagging` whose `value` is the label, and, when the
//!   span has a note, a `TextualBody` with `purpose` `commenting`;
//! - `target`: `{source, selector: [TextQuoteSelector, TextPositionSelector]}`, where `source`
//!   is the text, `urn:spanmark:<text_sha256>`. A **discontinuous** span has one target per
//!   piece (the label applies to each piece, as the model says of several targets) and reads
//!   back as one span with those fragments;
//! - `creator` (`{type: Person, nickname: author}`), `created`, `modified`;
//! - `id`: `urn:spanmark:<text_sha256>:<annotator>:span:<span id>` (annotator and id
//!   percent-encoded), unique across annotators of the same text.
//!
//! A relation is an `Annotation` with `motivation` `linking` whose `target` is the annotation
//! of its first span and whose `body` holds the annotation of its second span and a tagging
//! `TextualBody` with its kind (and a commenting one with its note); its id ends in
//! `:relation:<relation id>`. The collection's id is `urn:spanmark:<text_sha256>:<annotator>`,
//! its `label` the document's name.
//!
//! It cannot hold span and relation attributes (counted in the [`Loss`](super::Loss)). Review
//! status and origin have no place in the model and are not written. Only terms of the official
//! context are used, so the output expands as JSON-LD with it alone.
//!
//! **Import** needs the text the annotations are about (`import(path, source_text, …)`). It reads
//! a collection (its embedded pages), a page, one annotation, or a list of annotations. Every
//! annotation that cannot become a span or relation is reported with its position and id and
//! why: no tagging body to take the label from, a target that is a whole resource rather than a
//! stretch of text, a selector refined from another selector (a `FragmentSelector` in HTML), a
//! quote that is not in the text, a source that names another text.

mod read;
mod write;

pub use read::{AnnotationError, import, import_value};
pub use write::export;

/// W3C Web Annotation in the registry: its [`Reader`](super::registry::Reader) (which needs
/// the article) and [`DocumentWriter`](super::registry::DocumentWriter).
pub struct W3c;

/// The JSON-LD context of the W3C Web Annotation model.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The IRI prefix of everything Spanmark names.
const URN: &str = "urn:spanmark:";

/// `s` with every byte outside RFC 3986's unreserved set percent-encoded, so it can sit in an
/// IRI between `:` separators.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The inverse of [`encode`]; `None` when the escapes are broken or not UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The IRI of a text: `urn:spanmark:<sha256>`.
fn text_iri(sha256: &str) -> String {
    format!("{URN}{sha256}")
}

/// The IRI of one annotator's collection on a text.
fn collection_iri(sha256: &str, annotator: &str) -> String {
    format!("{URN}{sha256}:{}", encode(annotator))
}

#[cfg(test)]
mod tests;
