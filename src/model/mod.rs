//! The annotation model: pure data and its invariants. No I/O, no egui.
//!
//! - [`text`]: the article text and the offset rule (Unicode scalar values, end-exclusive).
//! - [`label`]: labels and the label schema; [`attribute`]: the attributes a label defines.
//! - [`span`]: spans, relations, ids, timestamps, review status.
//! - [`set`]: the annotation set, which holds the invariants (in the text, on grapheme
//!   boundaries, unique ids, no duplicate range + label).
//! - [`edit`] and [`history`]: invertible edits and linear undo/redo.
//! - [`audit`]: the append-only log of who changed what; [`chain`]: its hash chain as read.
//! - [`document`]: one annotator's work on one article.
//! - [`frames`]: the claims and events the spans and relations describe (computed).
//! - [`iso`]: ISO 8601 values of dates (a date span's `iso`), checked against the calendar.
//! - [`suggestion`]: spans a program proposed; what counts as people's work; rejections.
//! - [`orphan`]: spans that re-anchoring could not place on a changed article (kept, flagged).

pub mod attribute;
pub mod audit;
mod audit_log;
pub(crate) mod audit_value;
pub mod chain;
pub mod chunked;
pub mod command_keys;
pub mod document;
pub mod edit;
pub mod frames;
pub mod history;
pub mod iso;
pub mod label;
pub mod markdown;
pub mod marked;
pub mod orphan;
pub mod search;
pub mod set;
pub mod span;
pub mod suggestion;
pub mod text;
pub mod words;

pub use attribute::{AttrDef, AttrType, AttrValue};
pub use audit::{AuditAction, AuditEntry, AuditLog, AuditValue, EntryRef, ValueRef};
pub use chain::Chain;
pub use document::{Document, DocumentStatus, Source};
pub use edit::Edit;
pub use history::{History, SavePoint};
pub use label::{Label, LabelDef, RelationKind, Rgb, Schema, SchemaError};
pub use orphan::{Orphan, Orphans};
pub use set::{AnnotationSet, SetError};
pub use span::{Origin, Relation, Span, SpanId, Status, Timestamp};
pub use text::{CharOffset, CharRange, Text};
