//! Reading a native file: version gate, JSON parse, then every invariant checked and every
//! problem reported with its span id.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::file::{NativeFile, NativeLabel, NativeSpan, Probe};
use super::{CONTEXT_CHARS, FORMAT, Loaded, NativeError, OFFSETS, Problem, VERSION};
use crate::model::{
    AnnotationSet, AuditEntry, CharRange, Document, Label, LabelDef, Relation, Rgb, Schema,
    SetError, Source, Span, SpanId, Text, Timestamp,
};
use crate::store::hash::sha256_hex;

/// Reads and checks the native file at `path`.
pub fn load(path: &Path) -> Result<Loaded, NativeError> {
    let bytes = std::fs::read(path).map_err(|source| NativeError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    from_bytes(path, &bytes)
}

/// Parses and checks native-file bytes; `path` is only used in messages.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Loaded, NativeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(NativeError::Empty {
            path: path.to_path_buf(),
        });
    }
    let json_error = |e: serde_json::Error| NativeError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    };
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(NativeError::NotSpanmark {
            path: path.to_path_buf(),
            found: "missing: the file holds a JSON array, not an object".to_string(),
        });
    }
    // The version gate comes first, so a newer file is refused for what it is, not for fields
    // this build does not know.
    let probe: Probe = serde_json::from_slice(bytes).map_err(json_error)?;
    match &probe.format {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        other => {
            return Err(NativeError::NotSpanmark {
                path: path.to_path_buf(),
                found: other
                    .as_ref()
                    .map_or_else(|| "missing".to_string(), ToString::to_string),
            });
        }
    }
    match probe.version.as_ref().and_then(serde_json::Value::as_u64) {
        Some(v) if v > u64::from(VERSION) => {
            return Err(NativeError::NewerVersion {
                path: path.to_path_buf(),
                found: v.to_string(),
                supported: VERSION,
            });
        }
        Some(v) if v >= 1 => {}
        _ => {
            let found = probe
                .version
                .as_ref()
                .map_or_else(|| "missing".to_string(), ToString::to_string);
            return Err(NativeError::Invalid {
                path: path.to_path_buf(),
                problems: vec![problem(
                    None,
                    format!("\"version\" is {found}; expected a whole number from 1 to {VERSION}"),
                )],
            });
        }
    }
    let file: NativeFile = serde_json::from_slice(bytes).map_err(json_error)?;
    let mut checker = Checker::default();
    let doc = checker.document(file);
    if checker.problems.is_empty()
        && let Some(doc) = doc
    {
        Ok(Loaded {
            doc,
            warnings: checker.warnings,
        })
    } else {
        Err(NativeError::Invalid {
            path: path.to_path_buf(),
            problems: checker.problems,
        })
    }
}

/// serde_json appends " at line L column C"; we report the position in fields of our own.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn problem(id: Option<&str>, message: String) -> Problem {
    Problem {
        id: id.map(str::to_string),
        message,
    }
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    /// Spans already reported, so relations to them are not reported a second time.
    refused_spans: HashSet<String>,
}

impl Checker {
    fn fail(&mut self, id: Option<&str>, message: String) {
        self.problems.push(problem(id, message));
    }

    fn timestamp(&mut self, id: &str, field: &str, value: &str) -> Option<Timestamp> {
        match Timestamp::parse(value) {
            Ok(t) => Some(t),
            Err(e) => {
                self.fail(Some(id), format!("{id}: {field}: {e}"));
                None
            }
        }
    }

    fn document(&mut self, file: NativeFile) -> Option<Document> {
        if file.offsets != OFFSETS {
            self.fail(
                None,
                format!(
                    "\"offsets\" is {:?}; Spanmark files count \"{OFFSETS}\" (import other units with --offsets)",
                    file.offsets
                ),
            );
        }
        let d = &file.document;
        if sha256_hex(d.text.as_bytes()) != d.text_sha256 {
            self.fail(
                None,
                "document.text_sha256 does not match document.text (was the text edited by hand?)"
                    .to_string(),
            );
        }
        let source = Source {
            name: d.name.clone(),
            path: d.source_path.clone(),
            sha256: d.source_sha256.clone(),
            encoding: d.encoding.clone(),
            bom: d.bom,
        };
        let text = Arc::new(Text::new(file.document.text));
        let schema = self.schema(&file.schema.labels);
        let mut set = AnnotationSet::new(text.clone());
        for raw in &file.spans {
            let before = self.problems.len();
            if let Some(span) = self.span(raw, &text) {
                if !schema.contains(&span.label) {
                    self.warnings.push(problem(
                        Some(&raw.id),
                        format!(
                            "span {}: label {:?} is not in the file's schema (kept)",
                            raw.id, raw.label
                        ),
                    ));
                }
                if let Err(e) = set.insert(span) {
                    self.fail(Some(&raw.id), e.to_string());
                }
            }
            if self.problems.len() > before {
                self.refused_spans.insert(raw.id.clone());
            }
        }
        for raw in &file.relations {
            let id = raw.id.as_str();
            let parsed = (|| {
                Some(Relation {
                    id: self.id(id, "relation id", id)?,
                    kind: self.label(id, &raw.kind)?,
                    from: self.id(id, "from", &raw.from)?,
                    to: self.id(id, "to", &raw.to)?,
                    author: raw.author.clone(),
                    created: self.timestamp(id, "created", &raw.created)?,
                    note: raw.note.clone(),
                    attrs: raw.attrs.clone(),
                })
            })();
            if let Some(relation) = parsed
                && let Err(e) = set.insert_relation(relation)
            {
                let already_reported = matches!(&e,
                    SetError::DanglingRelation { missing, .. } if self.refused_spans.contains(missing.as_str()));
                if !already_reported {
                    self.fail(Some(id), e.to_string());
                }
            }
        }
        let mut audit = Vec::with_capacity(file.history.len());
        for (i, raw) in file.history.iter().enumerate() {
            let at_id = format!("history[{i}]");
            let at = self.timestamp(&at_id, "at", &raw.at);
            let target = match &raw.target {
                Some(t) => self.id(&at_id, "target", t).map(Some),
                None => Some(None),
            };
            if let (Some(at), Some(target)) = (at, target) {
                audit.push(AuditEntry {
                    at,
                    who: raw.who.clone(),
                    action: raw.action,
                    target,
                    detail: raw.detail.clone(),
                    before: raw.before.clone(),
                    after: raw.after.clone(),
                });
            }
        }
        Some(Document::from_parts(
            source,
            file.annotator,
            file.status,
            schema,
            set,
            audit,
        ))
    }

    fn id(&mut self, owner: &str, field: &str, value: &str) -> Option<SpanId> {
        match SpanId::new(value) {
            Ok(id) => Some(id),
            Err(e) => {
                self.fail(Some(owner), format!("{owner}: {field}: {e}"));
                None
            }
        }
    }

    fn label(&mut self, owner: &str, value: &str) -> Option<Label> {
        match Label::new(value) {
            Ok(l) => Some(l),
            Err(e) => {
                self.fail(Some(owner), format!("{owner}: {e}"));
                None
            }
        }
    }

    fn schema(&mut self, labels: &[NativeLabel]) -> Schema {
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
            let hotkey = match raw.hotkey.as_deref().map(|k| {
                let mut chars = k.chars();
                (chars.next(), chars.next())
            }) {
                None => None,
                Some((Some(c), None)) => Some(c),
                Some(_) => {
                    self.fail(
                        None,
                        format!("{owner}: hotkey {:?} must be one key", raw.hotkey),
                    );
                    continue;
                }
            };
            defs.push(LabelDef {
                name,
                colour,
                hotkey,
                description: raw.description.clone(),
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

    fn span(&mut self, raw: &NativeSpan, text: &Text) -> Option<Span> {
        let id_str = raw.id.as_str();
        let who = format!("span {id_str}");
        let id = self.id(&who, "id", id_str)?;
        let label = self.label(&who, &raw.label)?;
        let Some(range) = CharRange::new(raw.start, raw.end) else {
            self.fail(
                Some(id_str),
                format!(
                    "{who}: start {} is after end {} (reversed offsets)",
                    raw.start, raw.end
                ),
            );
            return None;
        };
        let created = self.timestamp(&who, "created", &raw.created);
        let modified = self.timestamp(&who, "modified", &raw.modified);
        // The quoted text and its context must agree with the offsets.
        if let Some(actual) = text.slice(range) {
            if actual != raw.text {
                self.fail(
                    Some(id_str),
                    format!(
                        "{who}: \"text\" is {:?} but the document has {:?} at {range}",
                        raw.text, actual
                    ),
                );
            }
            let prefix = text.prefix(range.start(), CONTEXT_CHARS);
            let suffix = text.suffix(range.end(), CONTEXT_CHARS);
            if prefix != raw.prefix || suffix != raw.suffix {
                self.fail(
                    Some(id_str),
                    format!("{who}: \"prefix\"/\"suffix\" do not match the text around {range}"),
                );
            }
        }
        let mut fragments = Vec::with_capacity(raw.fragments.len());
        for [a, b] in &raw.fragments {
            match CharRange::new(*a, *b) {
                Some(r) => fragments.push(r),
                None => {
                    self.fail(
                        Some(id_str),
                        format!("{who}: fragment [{a}, {b}] is reversed"),
                    );
                    return None;
                }
            }
        }
        Some(Span {
            fragments,
            id,
            label,
            range,
            author: raw.author.clone(),
            created: created?,
            modified: modified?,
            status: raw.status,
            origin: raw.origin,
            note: raw.note.clone(),
            attrs: raw.attrs.clone(),
        })
    }
}
