//! The native file's JSON shape (`ARTICLE.spanmark.json`), as serde types.
//!
//! These types are the file format: their field order is the key order written, and the JSON
//! Schema in `schema/spanmark.schema.json` is generated from them (`spanmark schema`). Values are
//! kept raw here (strings, integers) so that loading can report every problem by span id
//! instead of stopping at the first; [`super::check`] turns them into the checked model. A
//! span's shape, [`NativeSpan`], lives with its codec in [`super::span_line`].
//!
//! The strings of the big parts (the text, spans, relations, history) are `Cow<'a, str>`:
//! loading borrows them from the file's bytes where JSON needs no unescaping, and saving
//! borrows them from the document, so neither copies the text nor allocates a dozen strings
//! per span (at 100,000 spans that was a quarter of the time and a third of the memory).

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use super::span_line::NativeSpan;
use crate::model::attribute::implicit_attributes;
use crate::model::{AuditAction, AuditValue, DocumentStatus};

/// The value of `format`.
pub const FORMAT: &str = "spanmark";
/// The newest version this build reads and writes; files with a higher version are refused.
/// Version 2 added relation kinds and label attributes to the schema, a status to each
/// relation and the history's hash chain (`hash` on each entry, `chain` after `history`). A
/// file read as
/// version 1 is written as version 1 while it holds nothing version 1 cannot (see
/// [`super::version::version_for`]), so loading and saving it unchanged keeps its bytes.
pub const VERSION: u32 = 2;
/// The value of `offsets`: offsets count Unicode scalar values.
pub const OFFSETS: &str = "unicode-scalar";
/// Characters of context kept before and after each span (as W3C TextQuoteSelector).
pub const CONTEXT_CHARS: usize = 32;

/// A Spanmark annotation file: one annotator's spans on one article, with the article's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Spanmark annotation file")]
pub struct NativeFile<'a> {
    /// Always "spanmark".
    #[schemars(extend("const" = "spanmark"))]
    pub format: String,
    /// The file format version: 1, or 2 (relation kinds and label attributes in the schema, a
    /// status on each relation, the history's hash chain). This build refuses anything newer.
    pub version: u32,
    /// The unit of every offset in the file: "unicode-scalar" (Unicode scalar values, 0-based,
    /// end-exclusive; CRLF counts as two).
    #[schemars(extend("const" = "unicode-scalar"))]
    pub offsets: String,
    #[serde(borrow)]
    pub document: NativeDocument<'a>,
    /// Whose work this file is (a gold file names its adjudicator).
    pub annotator: String,
    /// Where the document stands: in_progress, annotated or reviewed.
    #[serde(default)]
    pub status: DocumentStatus,
    pub schema: NativeSchema,
    /// The spans, ordered by start, end, label, id.
    #[serde(borrow)]
    pub spans: Vec<NativeSpan<'a>>,
    /// Typed links between spans, ordered by id.
    #[serde(default)]
    #[serde(borrow)]
    pub relations: Vec<NativeRelation<'a>>,
    /// The append-only audit log: who changed what, when, before → after.
    #[serde(default)]
    #[serde(borrow)]
    pub history: Vec<NativeAuditEntry<'a>>,
    /// The end of the history's hash chain (version 2; absent while no entry has a hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<NativeChain>,
    /// Spans that re-anchoring could not find in a changed article: kept, never deleted.
    #[serde(default, skip_serializing_if = "NativeOrphans::is_empty")]
    #[serde(borrow)]
    pub orphans: NativeOrphans<'a>,
    /// Suggestions people rejected (version 2), ordered by start, end, label, agent: their
    /// agents do not propose them again. A person may still label the range.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<NativeRejected>,
}

/// A rejected suggestion: its range, label and the agent that proposed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeRejected {
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub agent: String,
}

/// Spans lost when the article changed (`spanmark reanchor`), and the relations that link them.
/// An orphan's `start`, `end` and `fragments` count characters of the text it was last anchored
/// on, which `document.text` no longer is; `text`, `prefix` and `suffix` are the quote and
/// context it had there, for a person or a later re-anchoring to find it again.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeOrphans<'a> {
    /// Ordered by (old) start, end, label, id.
    #[serde(default)]
    #[serde(borrow)]
    pub spans: Vec<NativeSpan<'a>>,
    /// Relations with at least one orphaned end, ordered by id.
    #[serde(default)]
    #[serde(borrow)]
    pub relations: Vec<NativeRelation<'a>>,
}

impl NativeOrphans<'_> {
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty() && self.relations.is_empty()
    }
}

/// The article: where it came from and its full decoded text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeDocument<'a> {
    /// The document's name, usually the article's file name.
    pub name: String,
    /// The article's path, relative to this file's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_path: Option<String>,
    /// SHA-256 (hex) of the article file's bytes as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_sha256: Option<String>,
    /// The encoding the article was decoded from (UTF-8, UTF-16LE, windows-1252, …).
    pub encoding: String,
    /// Whether the article began with a byte-order mark (removed from `text`).
    #[serde(default)]
    pub bom: bool,
    /// The full decoded text, exactly (line endings and every character kept).
    #[serde(borrow)]
    pub text: Cow<'a, str>,
    /// SHA-256 (hex) of `text` encoded as UTF-8.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    #[serde(borrow)]
    pub text_sha256: Cow<'a, str>,
    /// Document-level data from the tool the document was imported from, kept so an export can
    /// write it back, one key per tool (e.g. {"prodigy": {"answer": "accept", "meta": {…}}}).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub meta: BTreeMap<String, serde_json::Value>,
}

/// The labels and relation kinds in force when the file was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeSchema {
    pub labels: Vec<NativeLabel>,
    /// The kinds of relation between spans (version 2; a version 1 file has the default kinds
    /// that fit its labels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations: Option<Vec<NativeRelationKind>>,
}

/// One kind of relation: from a span of one of the `from` labels to one of the `to` labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeRelationKind {
    pub name: String,
    /// `#rrggbb`.
    #[schemars(regex(pattern = r"^#[0-9a-fA-F]{6}$"))]
    pub colour: String,
    /// One key (a digit or a letter) that picks this kind while a relation is being made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotkey: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Labels a relation of this kind may start at; empty: any label.
    #[serde(default)]
    pub from: Vec<String>,
    /// Labels a relation of this kind may end at; empty: any label.
    #[serde(default)]
    pub to: Vec<String>,
    /// Whether the relation has a direction (false: either end may be `from`).
    #[serde(default = "directed")]
    pub directed: bool,
}

fn directed() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeLabel {
    pub name: String,
    /// `#rrggbb`.
    #[schemars(regex(pattern = r"^#[0-9a-fA-F]{6}$"))]
    pub colour: String,
    /// One key (a digit or a letter) that applies the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotkey: Option<String>,
    #[serde(default)]
    pub description: String,
    /// What the label's spans may carry besides the label (version 2). Absent: the attributes
    /// a file without definitions has (a `date`'s `iso`); an empty list: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<NativeAttribute>>,
}

/// One attribute of a label: its name, its type, the values it allows, a default, a description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeAttribute {
    pub name: String,
    /// "choice" (one of `values`), "flag" ("yes" or "no"), "text", or "date" (ISO 8601).
    #[serde(rename = "type")]
    #[schemars(extend("enum" = ["choice", "flag", "text", "date"]))]
    pub kind: String,
    /// The allowed values of a "choice", in the order they are listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<NativeAttrValue>,
    /// Shown while a span has no value; never written into spans until set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// One allowed value, with the key that picks it after the attribute key (V).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeAttrValue {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// A typed, directed link from one span to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeRelation<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// The relation type, e.g. "said_by".
    #[serde(borrow)]
    pub kind: Cow<'a, str>,
    /// Span id.
    #[serde(borrow)]
    pub from: Cow<'a, str>,
    /// Span id.
    #[serde(borrow)]
    pub to: Cow<'a, str>,
    #[serde(borrow)]
    pub author: Cow<'a, str>,
    /// RFC 3339.
    #[schemars(extend("format" = "date-time"))]
    #[serde(borrow)]
    pub created: Cow<'a, str>,
    /// pending, accepted or rejected (version 2; version 1 relations are pending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<crate::model::Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attrs: BTreeMap<String, String>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeAuditEntry<'a> {
    /// RFC 3339.
    #[schemars(extend("format" = "date-time"))]
    #[serde(borrow)]
    pub at: Cow<'a, str>,
    #[serde(borrow)]
    pub who: Cow<'a, str>,
    pub action: AuditAction,
    /// The span or relation id; absent for document-level events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(borrow, deserialize_with = "borrowed_if_plain")]
    pub target: Option<Cow<'a, str>>,
    /// The attribute key for set_attr; what happened for document events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<AuditValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<AuditValue>,
    /// SHA-256 (hex) of the previous entry's hash (the first entry's: `document.text_sha256`)
    /// followed by this entry without its hash as compact JSON with sorted keys (version 2;
    /// absent on entries written before the chain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    #[serde(borrow, deserialize_with = "borrowed_if_plain")]
    pub hash: Option<Cow<'a, str>>,
}

/// An optional string borrowed from the file when it has no escapes (serde borrows a `Cow`
/// field, not one inside an `Option`): a history entry's `target` and `hash` are read without
/// an allocation each.
fn borrowed_if_plain<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    #[derive(Deserialize)]
    struct Borrowed<'a>(#[serde(borrow)] Cow<'a, str>);
    Ok(Option::<Borrowed>::deserialize(d)?.map(|Borrowed(s)| s))
}

impl<'a> NativeAuditEntry<'a> {
    /// The file's shape of `e`, its hash not yet set.
    pub(super) fn of(e: crate::model::EntryRef<'a>) -> Self {
        Self {
            at: Cow::Owned(e.at.to_string()),
            who: Cow::Borrowed(e.who),
            action: e.action,
            target: e.target.map(|t| Cow::Borrowed(t.as_str())),
            detail: e.detail.map(str::to_string),
            before: e.before.map(|v| v.to_owned_value()),
            after: e.after.map(|v| v.to_owned_value()),
            hash: None,
        }
    }
}

/// The end of the history's hash chain: keep `head` to detect even a chain redone by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeChain {
    /// The hash of the last history entry.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub head: String,
    /// How many history entries there are (the chained ones and any written before the chain).
    pub entries: usize,
    /// The text digest the first chained entry chains from, when the article changed since
    /// (re-anchoring); absent: `document.text_sha256`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub text_sha256: Option<String>,
}

/// A file up to its spans: the fields of [`NativeFile`] before `spans`, in its order. The
/// writer writes them, then the spans, then a [`NativeTail`]; the streaming reader reads them
/// the same way. [`NativeFile::from_parts`] and [`NativeFile::into_parts`] name every field of
/// the three, so the compiler keeps them in step.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NativeHead<'a> {
    pub format: String,
    pub version: u32,
    pub offsets: String,
    #[serde(borrow)]
    pub document: NativeDocument<'a>,
    pub annotator: String,
    #[serde(default)]
    pub status: DocumentStatus,
    pub schema: NativeSchema,
}

/// A file after its spans: the fields of [`NativeFile`] after `spans`, in its order.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NativeTail<'a> {
    #[serde(default, borrow)]
    pub relations: Vec<NativeRelation<'a>>,
    #[serde(default, borrow)]
    pub history: Vec<NativeAuditEntry<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<NativeChain>,
    #[serde(default, borrow, skip_serializing_if = "NativeOrphans::is_empty")]
    pub orphans: NativeOrphans<'a>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<NativeRejected>,
}

/// Just enough of a file to decide whether to read the rest.
#[derive(Debug, Deserialize)]
pub(super) struct Probe {
    pub format: Option<serde_json::Value>,
    pub version: Option<serde_json::Value>,
}

/// The JSON Schema of the native file, as pretty JSON with a final newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(NativeFile);
    let mut out = serde_json::to_string_pretty(&schema).unwrap_or_default();
    out.push('\n');
    out
}

impl<'a> NativeFile<'a> {
    /// A whole file from its parts (tests compare it with the file written in pieces).
    #[cfg(test)]
    pub(super) fn from_parts(
        head: NativeHead<'a>,
        spans: Vec<NativeSpan<'a>>,
        tail: NativeTail<'a>,
    ) -> Self {
        let NativeHead {
            format,
            version,
            offsets,
            document,
            annotator,
            status,
            schema,
        } = head;
        let NativeTail {
            relations,
            history,
            chain,
            orphans,
            rejected,
        } = tail;
        Self {
            format,
            version,
            offsets,
            document,
            annotator,
            status,
            schema,
            spans,
            relations,
            history,
            chain,
            orphans,
            rejected,
        }
    }

    /// The file in the three parts it is written and streamed in.
    pub(super) fn into_parts(self) -> (NativeHead<'a>, Vec<NativeSpan<'a>>, NativeTail<'a>) {
        let Self {
            format,
            version,
            offsets,
            document,
            annotator,
            status,
            schema,
            spans,
            relations,
            history,
            chain,
            orphans,
            rejected,
        } = self;
        let head = NativeHead {
            format,
            version,
            offsets,
            document,
            annotator,
            status,
            schema,
        };
        let tail = NativeTail {
            relations,
            history,
            chain,
            orphans,
            rejected,
        };
        (head, spans, tail)
    }
}

impl<'a> NativeHead<'a> {
    /// The file shape of a document up to its spans, in file version `version`.
    pub(super) fn of(doc: &'a crate::model::Document, version: u32) -> Self {
        let text = doc.text();
        Self {
            format: FORMAT.to_string(),
            version,
            offsets: OFFSETS.to_string(),
            document: NativeDocument {
                name: doc.source.name.clone(),
                source_path: doc.source.path.clone(),
                source_sha256: doc.source.sha256.clone(),
                encoding: doc.source.encoding.clone(),
                bom: doc.source.bom,
                text: Cow::Borrowed(text.as_str()),
                text_sha256: Cow::Borrowed(text.sha256_hex()),
                meta: doc.meta.clone(),
            },
            annotator: doc.annotator.clone(),
            status: doc.status,
            schema: NativeSchema::in_version(&doc.schema, version),
        }
    }
}

impl NativeSchema {
    /// `schema` as a file holds it (the annotation file's, and the project file's).
    pub fn of(schema: &crate::model::Schema) -> Self {
        Self::in_version(schema, VERSION)
    }

    /// `schema` as a file of version `version` holds it (version 1 has no relation kinds).
    fn in_version(schema: &crate::model::Schema, version: u32) -> Self {
        Self {
            labels: schema
                .labels()
                .iter()
                .map(|d| NativeLabel {
                    name: d.name.to_string(),
                    colour: d.colour.to_string(),
                    hotkey: d.hotkey.map(String::from),
                    description: d.description.clone(),
                    attributes: (version >= 2
                        && d.attributes != implicit_attributes(d.name.as_str()))
                    .then(|| d.attributes.iter().map(native_attribute).collect()),
                })
                .collect(),
            relations: (version >= 2).then(|| {
                schema
                    .relations()
                    .iter()
                    .map(native_relation_kind)
                    .collect()
            }),
        }
    }
}

fn native_attribute(a: &crate::model::AttrDef) -> NativeAttribute {
    NativeAttribute {
        name: a.name.clone(),
        kind: a.kind.as_str().to_string(),
        values: a
            .values
            .iter()
            .map(|v| NativeAttrValue {
                value: v.value.clone(),
                key: v.key.map(String::from),
            })
            .collect(),
        default: a.default.clone(),
        description: a.description.clone(),
    }
}

fn native_relation_kind(k: &crate::model::RelationKind) -> NativeRelationKind {
    let names = |ends: &[crate::model::Label]| ends.iter().map(ToString::to_string).collect();
    NativeRelationKind {
        name: k.name.to_string(),
        colour: k.colour.to_string(),
        hotkey: k.hotkey.map(String::from),
        description: k.description.clone(),
        from: names(&k.from),
        to: names(&k.to),
        directed: k.directed,
    }
}

impl<'a> NativeTail<'a> {
    /// The file shape of a document after its spans, in file version `version`, its history's
    /// hashes not yet set (see [`super::chain::sealed_tail`]).
    pub(super) fn unsealed(doc: &'a crate::model::Document, version: u32) -> Self {
        Self {
            history: doc.audit().refs().map(NativeAuditEntry::of).collect(),
            ..Self::without_history(doc, version)
        }
    }

    /// As [`Self::unsealed`], with an empty history and no `chain` (the writer writes the
    /// history's lines itself: [`super::history_line`]).
    pub(super) fn without_history(doc: &'a crate::model::Document, version: u32) -> Self {
        let set = doc.set();
        let relation = |r| native_relation(r, version);
        Self {
            relations: set.relations().map(relation).collect(),
            history: Vec::new(),
            chain: None,
            orphans: NativeOrphans {
                spans: doc
                    .orphans
                    .spans
                    .iter()
                    .map(|o| NativeSpan::of(&o.span, &o.quote, &o.prefix, &o.suffix))
                    .collect(),
                relations: doc.orphans.relations.iter().map(relation).collect(),
            },
            rejected: doc
                .rejected
                .iter()
                .map(|r| NativeRejected {
                    start: r.range.start().0,
                    end: r.range.end().0,
                    label: r.label.to_string(),
                    agent: r.agent.clone(),
                })
                .collect(),
        }
    }
}

fn native_relation(r: &crate::model::Relation, version: u32) -> NativeRelation<'_> {
    NativeRelation {
        id: Cow::Borrowed(r.id.as_str()),
        kind: Cow::Borrowed(r.kind.as_str()),
        from: Cow::Borrowed(r.from.as_str()),
        to: Cow::Borrowed(r.to.as_str()),
        author: Cow::Borrowed(&r.author),
        created: Cow::Owned(r.created.to_string()),
        status: (version >= 2).then_some(r.status),
        note: r.note.clone(),
        attrs: r.attrs.clone(),
    }
}
