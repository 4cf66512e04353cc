//! A document: one annotator's work on one article — the text, where it came from, the schema,
//! the annotation set and the audit log. Every change goes through [`Document::apply`], which
//! checks it against the set's invariants and records it in the audit log.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::audit::{AuditEntry, AuditLog, entries_for};
use crate::model::chain::Chain;
use crate::model::edit::Edit;
use crate::model::label::Schema;
use crate::model::orphan::Orphans;
use crate::model::set::{AnnotationSet, SetError};
use crate::model::span::Timestamp;
use crate::model::suggestion::Rejected;
use crate::model::text::Text;

/// Where the text came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Source {
    /// The document's name, usually the article's file name (`russia_nato.txt`).
    pub name: String,
    /// The article's path relative to the native file's folder, when there is an article file.
    pub path: Option<String>,
    /// SHA-256 of the article file's bytes, when there is an article file.
    pub sha256: Option<String>,
    /// The encoding the article was decoded from (`UTF-8`, `windows-1252`, …).
    pub encoding: String,
    /// Whether the article started with a byte-order mark (removed from the text).
    pub bom: bool,
}

/// Where the document stands in the annotation workflow.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    #[default]
    InProgress,
    Annotated,
    Reviewed,
}

impl DocumentStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            DocumentStatus::InProgress => "in_progress",
            DocumentStatus::Annotated => "annotated",
            DocumentStatus::Reviewed => "reviewed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub source: Source,
    /// Whose work this is (a gold file names its adjudicator).
    pub annotator: String,
    pub status: DocumentStatus,
    pub schema: Schema,
    /// Document-level data from other tools, kept so an export can write it back (a Prodigy
    /// task's `answer`, `meta` and hashes; a Label Studio task's other fields), one key per
    /// tool (`prodigy`, `label_studio`, …), and under `tokens` the tokens an import carried
    /// (see `formats::tokens`). Empty for documents made in Spanmark.
    pub meta: BTreeMap<String, serde_json::Value>,
    /// Spans that re-anchoring could not place on the current text, kept with their quote and
    /// context (see [`Orphans`]). Empty unless the article changed.
    pub orphans: Orphans,
    /// Suggestions people rejected, sorted, so their agents do not propose them again (see
    /// [`crate::model::suggestion`]).
    pub rejected: Vec<Rejected>,
    /// The version of the native file the document was read from (`None`: made or imported
    /// here). A version 1 file is written back as version 1 while nothing needs version 2.
    pub file_version: Option<u32>,
    /// The audit log's hash chain as read from the file (empty for a document made here). Not
    /// content: a document saved and read back is the same document.
    pub chain: Chain,
    set: AnnotationSet,
    audit: AuditLog,
}

/// Two documents are equal when their content is: the file version they were read from is
/// not content (a document saved and read back is the same document).
impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        let Self {
            source,
            annotator,
            status,
            schema,
            meta,
            orphans,
            rejected,
            file_version: _,
            chain: _,
            set,
            audit,
        } = self;
        *source == other.source
            && *annotator == other.annotator
            && *status == other.status
            && *schema == other.schema
            && *meta == other.meta
            && *orphans == other.orphans
            && *rejected == other.rejected
            && *set == other.set
            && *audit == other.audit
    }
}

impl Document {
    /// A document with no annotations yet.
    pub fn new(source: Source, text: Text, annotator: &str, schema: Schema) -> Self {
        Self {
            source,
            annotator: annotator.to_string(),
            status: DocumentStatus::InProgress,
            schema,
            meta: BTreeMap::new(),
            orphans: Orphans::default(),
            rejected: Vec::new(),
            file_version: None,
            chain: Chain::default(),
            set: AnnotationSet::new(Arc::new(text)),
            audit: AuditLog::new(),
        }
    }

    /// A document from parts already checked (the native loader builds the set itself).
    pub fn from_parts(
        source: Source,
        annotator: String,
        status: DocumentStatus,
        schema: Schema,
        set: AnnotationSet,
        audit: impl Into<AuditLog>,
    ) -> Self {
        Self {
            source,
            annotator,
            status,
            schema,
            meta: BTreeMap::new(),
            orphans: Orphans::default(),
            rejected: Vec::new(),
            file_version: None,
            chain: Chain::default(),
            set,
            audit: audit.into(),
        }
    }

    pub fn text(&self) -> &Arc<Text> {
        self.set.text()
    }

    pub fn set(&self) -> &AnnotationSet {
        &self.set
    }

    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }

    /// Applies `edit` as `who` at `at` and records it in the audit log. On error nothing
    /// changes.
    pub fn apply(&mut self, edit: &Edit, who: &str, at: Timestamp) -> Result<(), SetError> {
        edit.apply(&mut self.set)?;
        self.note_chain(who, at);
        let text = self.set.text();
        for entry in entries_for(edit, text, who, at) {
            self.audit.push_recorded_on(entry, text);
        }
        Ok(())
    }

    /// The document with only people's work: the suggestions no one accepted taken out (with the relations
    /// that link them), for agreement, adjudication and comparison. Also says how many went.
    /// The audit log is kept as it was.
    pub fn people_only(self) -> (Document, usize) {
        let doc = self;
        let pending = doc
            .set()
            .spans()
            .filter(|s| crate::model::suggestion::is_pending(s))
            .count();
        if pending == 0 {
            return (doc, 0);
        }
        let set = doc.set();
        let mut kept = AnnotationSet::new(Arc::clone(doc.text()));
        for span in set
            .spans()
            .filter(|s| !crate::model::suggestion::is_pending(s))
        {
            // The spans come from a valid set, so they fit this one.
            let _ = kept.insert(span.clone());
        }
        for relation in set.relations() {
            // A relation to a suggestion has lost its end: it goes with it.
            let _ = kept.insert_relation(relation.clone());
        }
        (doc.with_set(kept), pending)
    }

    /// The document with `set` for its spans and relations, everything else as it was (the
    /// history too, shared, not copied). `set` must be over the same text.
    pub fn with_set(self, set: AnnotationSet) -> Document {
        Document { set, ..self }
    }

    /// Records a document-level event in the audit log.
    pub fn log(&mut self, entry: AuditEntry) {
        self.note_chain(&entry.who, entry.at);
        self.audit.push_recorded_on(entry, self.set.text());
    }

    /// Before the first new entry: records that the chain starts here, or goes on after a
    /// break (see [`Chain::pending`]). Called by every change; call it directly to record the
    /// note now (a break found after changes were made).
    pub fn note_chain(&mut self, who: &str, at: Timestamp) {
        if let Some(note) = self.chain.pending.take() {
            self.audit.push(AuditEntry::document(at, who, note));
        }
    }
}
