//! Frames (export only): the events and attributed claims of each document as data, one JSON
//! line per frame, for a model or an auditor that needs who did what, when, and who said so.
//!
//! ```json
//! {"type": "claim", "content": {"id": "T4", "start": 133, "end": 183, "text": "that his country …", "label": "claim"}, "source": [{…}], "cue": [{…}], "time": [{…, "iso": "2021-10-18"}], "name": "russia_nato.txt", "annotator": "rita", "text_sha256": "…"}
//! {"type": "event", "trigger": {…}, "agent": [{…}], "target": [{…}], "time": [], "name": …}
//! ```
//!
//! The frames are [`crate::model::frames`]'s, computed on the document as the export's filters
//! left it: a **claim** frame per `claim` span (its `content`) with the spans its `source`,
//! `cue` and `time` relations point at; an **event** frame per `action` span that is not the
//! cue of a claim (its `trigger`), with its `agent`, `target` and `time`. Frames come in span
//! order, a role's spans in relation id order; every role is written, an empty list when nobody
//! fills it. Each span is `{id, start, end, text, label}`, offsets in Unicode scalar values
//! (Python `str` indices, as in the native file), 0-based and end-exclusive; a date also has
//! `iso`, its `iso` attribute, when it is set. Every line carries the document's `name`,
//! `annotator` and `text_sha256` (several annotators' files of one article share the last).
//! Keys come in a fixed order, documents in the export's order: the same input gives the same
//! bytes.
//!
//! **What it holds.** Frames, not documents: a span in no frame (an actor no relation points
//! at), notes, attributes other than a date's `iso`, and review status are not written and not
//! counted. What belongs to the annotation of frames but cannot be written is counted in the
//! [`Loss`](super::Loss): a relation that is in no frame (a kind that is no role, a relation
//! from a claim's cue, or one whose start is neither a claim nor an action), and a
//! discontinuous span, written as its whole stretch.

mod write;

pub use write::write_document;

/// Frames in the registry: its [`DatasetWriter`](super::registry::DatasetWriter).
pub struct Frames;

/// The loss key of a relation that no frame holds.
pub const RELATIONS_IN_NO_FRAME: &str = "relations in no frame";
/// The loss key of a discontinuous span written as its whole stretch.
pub const DISCONTINUOUS: &str = "discontinuous spans (written as their whole stretch)";

#[cfg(test)]
mod tests;
