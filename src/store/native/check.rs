//! Checking a native file's contents: every invariant checked and every problem reported with
//! its span id, all of them at once (a load does not stop at the first). The document, its
//! schema, the spans' place in the set, relations, orphans and history are checked here.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use super::file::{
    NativeAttribute, NativeAuditEntry, NativeFile, NativeHead, NativeLabel, NativeOrphans,
    NativeRejected, NativeRelation, NativeRelationKind, NativeSchema, NativeSpan, NativeTail,
};
use super::span_line::Checks;
use super::{Loaded, NativeError, OFFSETS, Problem};
use crate::model::attribute::implicit_attributes;
use crate::model::label::default_relation_kinds_for;
use crate::model::suggestion::{Rejected, remember};
use crate::model::{
    AnnotationSet, AuditEntry, AuditLog, CharRange, Document, DocumentStatus, Label, LabelDef,
    Orphan, Orphans, Relation, RelationKind, Rgb, Schema, SetError, Source, SpanId, Text,
    Timestamp,
};
use crate::model::{AttrDef, AttrType, AttrValue};

pub(super) fn problem(id: Option<&str>, message: String) -> Problem {
    Problem {
        id: id.map(str::to_string),
        message,
    }
}

/// A schema as a file holds it (an annotation file's or a project file's), checked as a
/// loaded file's is: the schema, or every problem found.
pub fn checked_schema(raw: &NativeSchema) -> Result<Schema, Vec<Problem>> {
    let mut checker = Checker::default();
    let schema = checker.schema(super::VERSION, raw);
    if checker.problems.is_empty() {
        Ok(schema)
    } else {
        Err(checker.problems)
    }
}

thread_local! {
    /// The last schema checked on this thread without a problem: the file's version, the
    /// schema as read, and as checked ([`Checker::schema`]).
    static LAST_SCHEMA: std::cell::RefCell<Option<(u32, NativeSchema, Schema)>> =
        const { std::cell::RefCell::new(None) };
}

/// A document being checked, between its spans.
pub(super) struct Begun {
    source: Source,
    meta: std::collections::BTreeMap<String, serde_json::Value>,
    annotator: String,
    status: DocumentStatus,
    version: u32,
    text: Arc<Text>,
    schema: Schema,
    pub(super) set: AnnotationSet,
}

#[derive(Default)]
pub(super) struct Checker {
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    /// Spans already reported, so relations to them are not reported a second time.
    refused_spans: HashSet<String>,
    /// Labels read so far: spans share one copy of each name.
    labels: foldhash::HashMap<String, Label>,
    /// Authors read so far, shared the same way.
    authors: foldhash::HashSet<Arc<str>>,
    /// The author of the span before (spans mostly come in runs by one author).
    last_author: Option<Arc<str>>,
}

impl Checker {
    /// The value of `owner`'s `field`, or its error reported as `owner: field: error`.
    fn field<T, E: fmt::Display>(
        &mut self,
        owner: &(impl fmt::Display + ?Sized),
        field: &str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(e) => {
                let owner = owner.to_string();
                self.fail(Some(&owner), format!("{owner}: {field}: {e}"));
                None
            }
        }
    }

    /// The document checked, or every problem found.
    pub(super) fn loaded(
        self,
        path: &Path,
        doc: Option<Document>,
        chain: super::finding::Verification,
    ) -> Result<Loaded, NativeError> {
        if self.problems.is_empty()
            && let Some(doc) = doc
        {
            Ok(Loaded {
                doc,
                warnings: self.warnings,
                chain,
            })
        } else {
            Err(NativeError::Invalid {
                path: path.to_path_buf(),
                problems: self.problems,
            })
        }
    }

    /// A whole file, checked as it is when streamed: [`Self::begin`], [`Self::add_span`] for
    /// each span, [`Self::finish`].
    pub(super) fn document(
        &mut self,
        file: NativeFile,
        history: HistoryUse,
    ) -> (Option<Document>, super::finding::Verification) {
        let (head, spans, mut tail) = file.into_parts();
        let mut begun = self.begin(head);
        begun.set.reserve_exact(spans.len());
        for raw in &spans {
            self.add_span(&mut begun, raw);
        }
        let history = HistoryIn::of(std::mem::take(&mut tail.history), history, &begun.set);
        self.finish(begun, &tail, history)
    }

    /// Everything before the spans: the text (its digest checked) and the schema.
    pub(super) fn begin(&mut self, head: NativeHead) -> Begun {
        // The format and version were checked before (see `load::gate`).
        let NativeHead {
            version,
            offsets,
            document: d,
            annotator,
            status,
            schema,
            ..
        } = head;
        if offsets != OFFSETS {
            self.fail(
                None,
                format!(
                    "\"offsets\" is {offsets:?}; Spanmark files count \"{OFFSETS}\" (import other units with --offsets)"
                ),
            );
        }
        let source = Source {
            name: d.name,
            path: d.source_path,
            sha256: d.source_sha256,
            encoding: d.encoding,
            bom: d.bom,
        };
        let text = Arc::new(Text::new(d.text.into_owned()));
        // The text keeps the digest it computes here: a save does not compute it again.
        if text.sha256_hex() != d.text_sha256 {
            self.fail(
                None,
                "document.text_sha256 does not match document.text (was the text edited by hand?)"
                    .to_string(),
            );
        }
        let schema = self.schema(version, &schema);
        Begun {
            source,
            meta: d.meta,
            annotator,
            status,
            version,
            set: AnnotationSet::new(text.clone()),
            text,
            schema,
        }
    }

    /// One span, checked against the text and the spans before it.
    pub(super) fn add_span(&mut self, b: &mut Begun, raw: &NativeSpan) {
        let before = self.problems.len();
        if let Some(span) = raw.checked(self, Some(&b.text)) {
            if !b.schema.contains(&span.label) {
                self.warnings.push(problem(
                    Some(&raw.id),
                    format!(
                        "span {}: label {:?} is not in the file's schema (kept)",
                        raw.id, raw.label
                    ),
                ));
            }
            if let Err(e) = b.set.insert(span) {
                self.fail(Some(&raw.id), e.to_string());
            }
        }
        if self.problems.len() > before {
            self.refused_spans.insert(raw.id.to_string());
        }
    }

    /// Everything after the spans: relations, orphans, and the `history` read (from `tail`'s
    /// entries, or line by line while `tail` was read without them). Returns the document and
    /// what checking the history's chain found.
    pub(super) fn finish(
        &mut self,
        b: Begun,
        tail: &NativeTail,
        history: HistoryIn,
    ) -> (Option<Document>, super::finding::Verification) {
        let NativeTail {
            relations,
            chain,
            orphans,
            rejected,
            ..
        } = tail;
        let Begun {
            source,
            meta,
            annotator,
            status,
            version,
            mut set,
            schema,
            ..
        } = b;
        let mut unknown_kinds = std::collections::BTreeMap::<&str, usize>::new();
        for raw in relations {
            let id = &*raw.id;
            if raw.status.is_some() && version < 2 {
                self.fail(
                    Some(id),
                    format!(
                        "relation {id}: \"status\" needs file version 2; the file says {version}"
                    ),
                );
            }
            if schema.relation_kind(&raw.kind).is_none() {
                *unknown_kinds.entry(&raw.kind).or_default() += 1;
            }
            if let Some(relation) = self.relation(raw, &set)
                && let Err(e) = set.insert_relation(relation)
            {
                let already_reported = matches!(&e,
                    SetError::DanglingRelation { missing, .. } if self.refused_spans.contains(missing.as_str()));
                if !already_reported {
                    self.fail(Some(id), e.to_string());
                }
            }
        }
        for (kind, count) in unknown_kinds {
            self.warnings.push(problem(
                None,
                format!(
                    "relation kind {kind:?} ({count} relation{}) is not in the file's schema (kept)",
                    if count == 1 { "" } else { "s" }
                ),
            ));
        }
        let orphans = self.orphans(orphans, &mut set, &schema);
        let HistoryIn {
            checker,
            audit,
            mut stored,
            links,
            entries,
            any_hash,
            ..
        } = history;
        // Reported where the whole file's check reports them: after relations and orphans.
        self.problems.extend(checker.problems);
        let chained = any_hash || chain.is_some();
        if chained && version < 2 {
            self.fail(
                None,
                format!("the history's hash chain needs file version 2; the file says {version}"),
            );
        }
        let links = links
            .map(|l| l.finish(chain.as_ref(), set.text().sha256_hex()))
            .unwrap_or_default();
        let mut doc = Document::from_parts(source, annotator, status, schema, set, audit);
        stored.shrink_to_fit();
        doc.chain = crate::model::Chain {
            stored,
            // A file from before the chain gets one from its next change on.
            pending: (!chained).then(|| crate::model::Chain::start_note(entries)),
            genesis: chain.as_ref().and_then(|c| c.text_sha256.clone()),
        };
        doc.file_version = Some(version);
        doc.meta = meta;
        doc.orphans = orphans;
        doc.rejected = self.rejected(rejected, version, doc.text());
        (Some(doc), links)
    }

    /// The rejected suggestions: a field of version 2, each inside the text with a label.
    fn rejected(
        &mut self,
        raw: &[NativeRejected],
        version: u32,
        text: &crate::model::Text,
    ) -> Vec<Rejected> {
        if !raw.is_empty() && version < 2 {
            self.fail(
                None,
                format!("\"rejected\" needs file version 2; the file says {version}"),
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, r) in raw.iter().enumerate() {
            let owner = format!("rejected[{i}]");
            let range = CharRange::new(r.start, r.end).filter(|r| r.end().0 <= text.len_chars());
            let Some(range) = range else {
                self.fail(
                    None,
                    format!(
                        "{owner}: {}..{} is not a range of the text ({} characters)",
                        r.start,
                        r.end,
                        text.len_chars()
                    ),
                );
                continue;
            };
            if let Some(label) = self.label(&owner, &r.label) {
                remember(
                    &mut out,
                    Rejected {
                        range,
                        label,
                        agent: r.agent.clone(),
                    },
                );
            }
        }
        out
    }

    /// A relation; an end that names a span of `set` shares that span's id instead of a copy.
    fn relation(&mut self, raw: &NativeRelation, set: &AnnotationSet) -> Option<Relation> {
        let id = &*raw.id;
        let end = |this: &mut Self, field: &str, value: &str| match set.held_id(value) {
            Some(held) => Some(held),
            None => this.id(id, field, value),
        };
        Some(Relation {
            id: self.id(id, "relation id", id)?,
            kind: self.label(id, &raw.kind)?,
            from: end(self, "from", &raw.from)?,
            to: end(self, "to", &raw.to)?,
            author: raw.author.to_string(),
            created: self.timestamp(id, "created", &raw.created)?,
            status: raw.status.unwrap_or_default(),
            note: raw.note.clone(),
            attrs: raw.attrs.clone(),
        })
    }

    /// The orphaned spans and relations (see [`crate::model::orphan`]): their offsets count a
    /// text the file no longer holds, so only their own consistency is checked. Their ids stay
    /// reserved in `set`.
    fn orphans(
        &mut self,
        raw: &NativeOrphans,
        set: &mut AnnotationSet,
        schema: &Schema,
    ) -> Orphans {
        let mut out = Orphans::default();
        let mut taken: HashSet<SpanId> = HashSet::new();
        let in_set =
            |set: &AnnotationSet, id: &SpanId| set.get(id).is_some() || set.relation(id).is_some();
        for raw_span in &raw.spans {
            let Some(span) = raw_span.checked(self, None) else {
                continue;
            };
            let who = format!("orphaned span {}", span.id);
            if in_set(set, &span.id) || !taken.insert(span.id.clone()) {
                self.fail(
                    Some(&raw_span.id),
                    format!("{who}: id {} is used twice", span.id),
                );
                continue;
            }
            if !span.fragments_fit() {
                self.fail(
                    Some(&raw_span.id),
                    format!("{who}: its fragments must be two or more ordered, separate pieces from its start to its end"),
                );
                continue;
            }
            if !schema.contains(&span.label) {
                self.warnings.push(problem(
                    Some(&raw_span.id),
                    format!(
                        "{who}: label {:?} is not in the file's schema (kept)",
                        raw_span.label
                    ),
                ));
            }
            set.reserve_id(&span.id);
            out.spans.push(Orphan {
                span,
                quote: raw_span.text.to_string(),
                prefix: raw_span.prefix.to_string(),
                suffix: raw_span.suffix.to_string(),
            });
        }
        for raw_relation in &raw.relations {
            let Some(relation) = self.relation(raw_relation, set) else {
                continue;
            };
            let who = format!("orphaned relation {}", relation.id);
            if in_set(set, &relation.id) || !taken.insert(relation.id.clone()) {
                self.fail(
                    Some(&raw_relation.id),
                    format!("{who}: id {} is used twice", relation.id),
                );
                continue;
            }
            let orphaned_end = [&relation.from, &relation.to]
                .into_iter()
                .any(|end| out.has_span(end));
            let missing = [&relation.from, &relation.to]
                .into_iter()
                .find(|end| !out.has_span(end) && set.get(end).is_none());
            if let Some(missing) = missing {
                self.fail(
                    Some(&raw_relation.id),
                    format!("{who}: it links span {missing}, which does not exist"),
                );
                continue;
            }
            if !orphaned_end {
                self.fail(
                    Some(&raw_relation.id),
                    format!("{who}: both its spans are in the text; it belongs in \"relations\""),
                );
                continue;
            }
            set.reserve_id(&relation.id);
            out.relations.push(relation);
        }
        out
    }

    fn known_author(&mut self, name: &str) -> Arc<str> {
        if let Some(known) = self.authors.get(name) {
            return known.clone();
        }
        let name: Arc<str> = Arc::from(name);
        self.authors.insert(name.clone());
        name
    }

    /// The file's schema, checked. The last schema a thread checked without a problem is kept
    /// with what it was read from, and given again for the same (a corpus's files share one):
    /// checking it again for each of an export's documents was 3% of the export's time.
    fn schema(&mut self, version: u32, raw: &NativeSchema) -> Schema {
        let known = LAST_SCHEMA.with_borrow(|last| {
            last.as_ref()
                .filter(|(v, r, _)| *v == version && r == raw)
                .map(|(_, _, schema)| schema.clone())
        });
        if let Some(schema) = known {
            // The spans share the schema's names, as when it is checked.
            let names = schema.labels().iter().map(|d| &d.name);
            for name in names.chain(schema.relations().iter().map(|k| &k.name)) {
                self.labels
                    .entry(name.as_str().to_string())
                    .or_insert_with(|| name.clone());
            }
            return schema;
        }
        let before = (self.problems.len(), self.warnings.len());
        let schema = self.schema_checked(version, raw);
        if (self.problems.len(), self.warnings.len()) == before {
            LAST_SCHEMA.set(Some((version, raw.clone(), schema.clone())));
        }
        schema
    }

    /// The schema: its labels, and its relation kinds (version 1: the default kinds that fit
    /// the labels).
    fn schema_checked(&mut self, version: u32, raw: &NativeSchema) -> Schema {
        let labels = self.labels(version, &raw.labels);
        let kinds = match &raw.relations {
            None if version < 2 => default_relation_kinds_for(labels.labels()),
            None => Vec::new(),
            Some(_) if version < 2 => {
                self.fail(
                    None,
                    format!("schema.relations needs file version 2; the file says {version}"),
                );
                Vec::new()
            }
            Some(kinds) => kinds.iter().filter_map(|k| self.kind(k)).collect(),
        };
        match labels.with_relations(kinds) {
            Ok(schema) => schema,
            Err(e) => {
                self.fail(None, format!("schema: {e}"));
                labels
            }
        }
    }

    fn kind(&mut self, raw: &NativeRelationKind) -> Option<RelationKind> {
        let owner = format!("schema relation kind {:?}", raw.name);
        let name = self.label(&owner, &raw.name)?;
        let colour = match Rgb::parse(&raw.colour) {
            Ok(c) => c,
            Err(e) => {
                self.fail(None, format!("{owner}: {e}"));
                return None;
            }
        };
        let hotkey = self.hotkey(&owner, raw.hotkey.as_deref())?;
        let mut ends = |names: &[String]| -> Option<Vec<Label>> {
            names.iter().map(|n| self.label(&owner, n)).collect()
        };
        Some(RelationKind {
            name,
            colour,
            hotkey,
            description: raw.description.clone(),
            from: ends(&raw.from)?,
            to: ends(&raw.to)?,
            directed: raw.directed,
        })
    }

    /// A hotkey of one character: `Some(None)` for none, `None` (reported) when it is longer.
    fn hotkey(&mut self, owner: &str, raw: Option<&str>) -> Option<Option<char>> {
        match raw.map(|k| {
            let mut chars = k.chars();
            (chars.next(), chars.next())
        }) {
            None => Some(None),
            Some((Some(c), None)) => Some(Some(c)),
            Some(_) => {
                self.fail(None, format!("{owner}: hotkey {raw:?} must be one key"));
                None
            }
        }
    }

    fn labels(&mut self, version: u32, labels: &[NativeLabel]) -> Schema {
        let mut defs = Vec::with_capacity(labels.len());
        for raw in labels {
            let owner = format!("schema label {:?}", raw.name);
            let Some(name) = self.label(&owner, &raw.name) else {
                continue;
            };
            let colour = match Rgb::parse(&raw.colour) {
                Ok(c) => c,
                Err(e) => {
                    self.fail(None, format!("{owner}: {e}"));
                    continue;
                }
            };
            let Some(hotkey) = self.hotkey(&owner, raw.hotkey.as_deref()) else {
                continue;
            };
            let attributes = match &raw.attributes {
                None => implicit_attributes(name.as_str()),
                Some(_) if version < 2 => {
                    self.fail(
                        None,
                        format!("{owner}: attributes need file version 2; the file says {version}"),
                    );
                    implicit_attributes(name.as_str())
                }
                Some(list) => list
                    .iter()
                    .filter_map(|a| self.attribute(&owner, a))
                    .collect(),
            };
            defs.push(LabelDef {
                name,
                colour,
                hotkey,
                description: raw.description.clone(),
                attributes,
            });
        }
        match Schema::new(defs) {
            Ok(schema) => schema,
            Err(e) => {
                self.fail(None, format!("schema: {e}"));
                Schema::empty()
            }
        }
    }

    /// One attribute definition; its invariants are checked with the schema's.
    fn attribute(&mut self, owner: &str, raw: &NativeAttribute) -> Option<AttrDef> {
        let owner = format!("{owner}, attribute {:?}", raw.name);
        let Some(kind) = AttrType::parse(&raw.kind) else {
            self.fail(
                None,
                format!(
                    "{owner}: type {:?} is not choice, flag, text or date",
                    raw.kind
                ),
            );
            return None;
        };
        let mut values = Vec::with_capacity(raw.values.len());
        for v in &raw.values {
            let key = self.hotkey(&owner, v.key.as_deref())?;
            values.push(AttrValue {
                value: v.value.clone(),
                key,
            });
        }
        Some(AttrDef {
            name: raw.name.clone(),
            kind,
            values,
            default: raw.default.clone(),
            description: raw.description.clone(),
        })
    }
}

impl Checks for Checker {
    fn fail(&mut self, id: Option<&str>, message: String) {
        self.problems.push(problem(id, message));
    }
    fn timestamp(
        &mut self,
        owner: &(impl fmt::Display + ?Sized),
        field: &str,
        value: &str,
    ) -> Option<Timestamp> {
        self.field(owner, field, Timestamp::parse(value))
    }
    fn id(
        &mut self,
        owner: &(impl fmt::Display + ?Sized),
        field: &str,
        value: &str,
    ) -> Option<SpanId> {
        self.field(owner, field, SpanId::new(value))
    }
    /// `name`, shared with every span by the same author.
    fn author(&mut self, name: &str) -> Arc<str> {
        if let Some(last) = &self.last_author
            && **last == *name
        {
            return last.clone();
        }
        let name = self.known_author(name);
        self.last_author = Some(name.clone());
        name
    }
    fn label(&mut self, owner: &(impl fmt::Display + ?Sized), value: &str) -> Option<Label> {
        if let Some(known) = self.labels.get(value) {
            return Some(known.clone());
        }
        match Label::new(value) {
            Ok(l) => {
                self.labels.insert(value.to_string(), l.clone());
                Some(l)
            }
            Err(e) => {
                let owner = owner.to_string();
                self.fail(Some(&owner), format!("{owner}: {e}"));
                None
            }
        }
    }
}

/// What a reader of a file does with its history (`history` and `chain`). Every way checks
/// each entry the same, so a file one refuses, the others refuse with the same message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryUse {
    /// The entries become the document's, and their hash chain is checked
    /// ([`super::Loaded::chain`]): opening a file.
    Verify,
    /// The entries become the document's, the chain is not checked ([`super::Loaded::chain`] is
    /// empty): a native export, which writes each entry with the hash it was read with.
    Keep,
    /// The entries are checked and dropped: the document has no history and no chain, and
    /// [`super::Loaded::chain`] is empty. For an export to a format with no place for them.
    Check,
}

/// The history as it is read, entry by entry: each entry checked and, unless the reader
/// only checks it ([`HistoryUse::Check`]), made the document's with its hash kept as read; the
/// chain checked when the reader verifies ([`super::links::Links`]). The entries as the file
/// gives them are not kept: a file with a history entry for each of 100,000 spans is read
/// without holding its history twice.
pub(super) struct HistoryIn {
    /// Reports the entries' problems.
    checker: Checker,
    audit: AuditLog,
    stored: crate::model::chain::StoredHashes,
    /// `None` unless the reader verifies.
    links: Option<super::links::Links>,
    keep: bool,
    /// Entries read, and whether any had a hash (kept or not).
    entries: usize,
    any_hash: bool,
}

impl HistoryIn {
    pub(super) fn new(history: HistoryUse) -> Self {
        Self {
            checker: Checker::default(),
            audit: AuditLog::default(),
            stored: Default::default(),
            links: (history == HistoryUse::Verify).then(super::links::Links::default),
            keep: history != HistoryUse::Check,
            entries: 0,
            any_hash: false,
        }
    }

    /// The history of `entries`, read in order.
    pub(super) fn of(
        entries: Vec<NativeAuditEntry>,
        history: HistoryUse,
        set: &AnnotationSet,
    ) -> Self {
        let mut read = Self::new(history);
        for raw in entries {
            read.entry(raw, set);
        }
        read
    }

    /// The next entry of the history; a target held in `set` (the spans read) shares its id.
    pub(super) fn entry(&mut self, raw: NativeAuditEntry, set: &AnnotationSet) {
        let i = self.entries;
        self.entries += 1;
        self.any_hash |= raw.hash.is_some();
        if let Some(links) = &mut self.links {
            links.entry(i, &raw);
        }
        let at_id = HistoryAt(i);
        let at = self.checker.timestamp(&at_id, "at", &raw.at);
        if !self.keep {
            if let Some(t) = &raw.target {
                // Checked as `Checks::id` checks it, without making the id it drops.
                let _ = self.checker.field(&at_id, "target", SpanId::check(t));
            }
            return;
        }
        let target = match &raw.target {
            Some(t) => match set.held_id(t) {
                Some(held) => Some(Some(held)),
                None => self.checker.id(&at_id, "target", t).map(Some),
            },
            None => Some(None),
        };
        self.stored.push(raw.hash.as_deref());
        if let (Some(at), Some(target)) = (at, target) {
            self.audit.push_recorded_on(
                AuditEntry {
                    at,
                    who: self.checker.known_author(&raw.who),
                    action: raw.action,
                    target,
                    detail: raw.detail,
                    before: raw.before,
                    after: raw.after,
                },
                set.text(),
            );
        }
    }
}

/// Names a history entry in a problem's message (`history[3]`).
struct HistoryAt(usize);

impl fmt::Display for HistoryAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "history[{}]", self.0)
    }
}
