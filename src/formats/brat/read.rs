//! Reading a `.ann` (and its `.txt`) into a document. See the module docs for the mapping.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::check::{joined, mismatch_hint};
use super::parse::{Item, Line, parse_line};
use super::{
    ANNOTATOR_NOTES, ATTR_EVENTS, ATTR_FROM, ATTR_IDS, ATTR_ROLES, ATTR_TO, PREFIX, equiv_id,
    event_arg_id, number_of,
};
use crate::formats::offsets::{OffsetConverter, OffsetUnit};
use crate::formats::registry::Reader;
use crate::formats::{
    ImportOptions, ImportReport, ImportedDocument, Place, Problem, ProblemKind, complete_schema,
};
use crate::model::{
    AuditEntry, CharRange, Document, Edit, Label, Origin, Relation, Schema, Source, Span, SpanId,
    Text,
};
use crate::store::hash::sha256_hex;

/// Reads `ann_path` and the `.txt` beside it (same stem) into one document.
pub fn import(ann_path: &Path, options: &ImportOptions) -> ImportReport {
    let mut report = ImportReport::default();
    let txt_path = ann_path.with_extension("txt");
    let read = |path: &Path, what: &'static str| -> Result<String, FileError> {
        let bytes = std::fs::read(path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound if what == "text" => FileError::NoText {
                path: path.to_path_buf(),
            },
            _ => FileError::Unreadable {
                what,
                path: path.to_path_buf(),
                source,
            },
        })?;
        String::from_utf8(bytes).map_err(|e| FileError::NotUtf8 {
            path: path.to_path_buf(),
            at: e.utf8_error().valid_up_to(),
        })
    };
    let (ann, txt) = match (read(ann_path, "annotations"), read(&txt_path, "text")) {
        (Ok(ann), Ok(txt)) => (ann, txt),
        (ann, txt) => {
            let failed = [ann.err(), txt.err()].into_iter().flatten();
            report.problems.extend(failed.map(|e| e.problem()));
            return report;
        }
    };
    let name = txt_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The string holds the file's bytes exactly (a BOM included), so its hash is the file's.
    let imported = import_text(&ann, &txt, &ann_path.display().to_string(), &name, options);
    report.documents.push(imported);
    report
}

/// Why the `.ann` or the `.txt` beside it could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(
        "no text file beside the annotations (brat keeps NAME.txt next to NAME.ann): {}",
        path.display()
    )]
    NoText { path: PathBuf },
    /// `what`: `annotations` or `text`.
    #[error("cannot read {what}: {source}: {}", path.display())]
    Unreadable {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("not UTF-8 (brat files are UTF-8; invalid byte at {at}): {}", path.display())]
    NotUtf8 { path: PathBuf, at: usize },
}

impl FileError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            FileError::NoText { .. } | FileError::Unreadable { .. } => ProblemKind::Unreadable,
            FileError::NotUtf8 { .. } => ProblemKind::NotText,
        }
    }

    /// The problem of an import that could not read the file.
    pub fn problem(&self) -> Problem {
        let (FileError::NoText { path }
        | FileError::Unreadable { path, .. }
        | FileError::NotUtf8 { path, .. }) = self;
        Problem::new(
            self.kind(),
            Place::file(path.display().to_string()),
            self.to_string(),
        )
    }
}

/// Reads the annotations `ann` on `txt` (the `.txt` as decoded, a byte-order mark included when
/// the file starts with one). `origin` names the `.ann` in messages; `name` becomes the
/// document's name.
pub fn import_text(
    ann: &str,
    txt: &str,
    origin: &str,
    name: &str,
    options: &ImportOptions,
) -> ImportedDocument {
    let (text, bom) = match txt.strip_prefix('\u{feff}') {
        Some(rest) => (rest, true),
        None => (txt, false),
    };
    let source = Source {
        name: name.to_string(),
        path: None,
        sha256: Some(sha256_hex(txt.as_bytes())),
        encoding: "UTF-8".to_string(),
        bom,
    };
    let text = Text::new(text.to_string());
    let mut builder = Builder {
        origin,
        options,
        text: &text,
        bom,
        problems: Vec::new(),
        spans: BTreeMap::new(),
        span_order: Vec::new(),
        events: HashMap::new(),
        relations: Vec::new(),
        relation_index: HashMap::new(),
        ids: HashMap::new(),
    };
    let lines = builder.parse(ann);
    builder.build(lines);
    let Builder {
        mut problems,
        mut spans,
        span_order,
        relations,
        ids,
        ..
    } = builder;

    // `brat:ids` and `brat:events` list ids in number order, whatever the order of the lines.
    for (_, span) in spans.values_mut() {
        if let Some(events) = span.attrs.get_mut(ATTR_EVENTS) {
            let mut list: Vec<&str> = events.split_whitespace().collect();
            list.sort_by_key(|e| (number_of(e), e.to_string()));
            *events = list.join(" ");
        }
    }
    let mut relations = relations;
    for (holder, mut entries) in ids {
        entries.sort_by_key(|e| (e.starts_with('#'), number_of(e), e.clone()));
        let value = entries.join(" ");
        match holder {
            Holder::Span(id) => {
                if let Some((_, span)) = spans.get_mut(&id) {
                    span.attrs.insert(ATTR_IDS.to_string(), value);
                }
            }
            Holder::Relation(i) => {
                if let Some(rel) = relations.get_mut(i) {
                    rel.1.attrs.insert(ATTR_IDS.to_string(), value);
                }
            }
        }
    }

    let mut doc = Document::new(source, text, &options.annotator, Schema::default());
    doc.log(AuditEntry::document(
        options.at,
        &options.annotator,
        format!("imported from {origin} (brat)"),
    ));
    for id in &span_order {
        let Some((line, span)) = spans.remove(id) else {
            continue;
        };
        if let Err(e) = doc.apply(&Edit::add(span), &options.annotator, options.at) {
            let problem = format!("{origin}:{line}: {id}: not taken: {e}");
            let place = Place::line(origin, line).with_span(id);
            problems.push((line, Problem::new(ProblemKind::NotTaken, place, problem)));
        }
    }
    for (line, relation) in relations {
        let id = relation.id.clone();
        if let Err(e) = doc.apply(&Edit::AddRelation(relation), &options.annotator, options.at) {
            let problem = format!("{origin}:{line}: {id}: not taken: {e}");
            let place = Place::line(origin, line).with_span(&id);
            problems.push((line, Problem::new(ProblemKind::NotTaken, place, problem)));
        }
    }
    // In line order (a stable sort keeps the order of the problems of one line).
    problems.sort_by_key(|(line, _)| *line);
    let problems = problems.into_iter().map(|(_, p)| p).collect();
    complete_schema(&mut doc);
    ImportedDocument { doc, problems }
}

/// What an attribute, normalisation or note is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Holder {
    /// A span, by brat id.
    Span(String),
    /// A relation, by index into `Builder::relations`.
    Relation(usize),
}

struct Builder<'a> {
    origin: &'a str,
    options: &'a ImportOptions,
    text: &'a Text,
    bom: bool,
    /// (line, message).
    problems: Vec<(usize, Problem)>,
    /// brat id → (line, span), for `T` lines whose span could be made.
    spans: BTreeMap<String, (usize, Span)>,
    span_order: Vec<String>,
    /// Event id → its trigger's span id, for events that could be read.
    events: HashMap<String, String>,
    /// (line, relation), in the order they were read.
    relations: Vec<(usize, Relation)>,
    /// `R` id → index into `relations`.
    relation_index: HashMap<String, usize>,
    /// Per holder, the `brat:ids` entries.
    ids: HashMap<Holder, Vec<String>>,
}

impl Builder<'_> {
    /// A problem on `line` of the `.ann`, about the item `id` when there is one.
    fn problem(&mut self, line: usize, id: Option<&str>, kind: ProblemKind, message: String) {
        let place = Place {
            span: id.map(Arc::from),
            ..Place::line(self.origin, line)
        };
        let message = format!("{}:{line}: {message}", self.origin);
        self.problems
            .push((line, Problem::new(kind, place, message)));
    }

    fn parse(&mut self, ann: &str) -> Vec<Line> {
        let ann = ann.strip_prefix('\u{feff}').unwrap_or(ann);
        let mut lines = Vec::new();
        for (i, raw) in ann.split('\n').enumerate() {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if raw.trim().is_empty() {
                continue;
            }
            match parse_line(raw) {
                Ok((id, item)) => lines.push(Line {
                    no: i + 1,
                    id: id.to_string(),
                    item,
                }),
                Err(e) => self.problem(
                    i + 1,
                    None,
                    ProblemKind::Syntax,
                    format!(
                        "{e}; line not read: {}",
                        crate::formats::build::excerpt(raw)
                    ),
                ),
            }
        }
        lines
    }

    fn build(&mut self, lines: Vec<Line>) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut rest = Vec::new();
        for line in lines {
            if line.id != "*" {
                if let Some(first) = seen.get(&line.id) {
                    let message = format!(
                        "{}: the id is used twice (first on line {first}); this line is not read",
                        line.id
                    );
                    self.problem(line.no, Some(&line.id), ProblemKind::NotTaken, message);
                    continue;
                }
                seen.insert(line.id.clone(), line.no);
            }
            match line.item {
                Item::Text {
                    label,
                    fragments,
                    text,
                } => self.text_bound(line.no, &line.id, &label, &fragments, text.as_deref()),
                item => rest.push(Line { item, ..line }),
            }
        }
        // Events before relations: arguments and relation ends may be events.
        for line in &rest {
            if let Item::Event { kind, trigger, .. } = &line.item {
                self.event(line.no, &line.id, kind, trigger);
            }
        }
        let mut equivalences = 0;
        for line in &rest {
            match &line.item {
                Item::Event { args, .. } => {
                    let Some(trigger) = self.events.get(&line.id).cloned() else {
                        continue;
                    };
                    for (k, (role, target)) in args.iter().enumerate() {
                        let id = event_arg_id(&line.id, k + 1);
                        self.relation(line.no, &id, role, (trigger.clone(), None), target, None);
                    }
                }
                Item::Relation { kind, args } => {
                    let [(role1, arg1), (role2, arg2)] = [&args[0], &args[1]];
                    let roles =
                        (role1 != "Arg1" || role2 != "Arg2").then(|| format!("{role1} {role2}"));
                    if let Some(from) = self.anchor(line.no, &line.id, arg1) {
                        self.relation(line.no, &line.id, kind, from, arg2, roles);
                    }
                }
                Item::Equiv { kind, members } => {
                    equivalences += 1;
                    for (k, pair) in members.windows(2).enumerate() {
                        let id = equiv_id(equivalences, k + 1);
                        if let Some(from) = self.anchor(line.no, &format!("* {kind}"), &pair[0]) {
                            self.relation(line.no, &id, kind, from, &pair[1], None);
                        }
                    }
                }
                _ => {}
            }
        }
        for line in rest {
            match line.item {
                Item::Attribute {
                    name,
                    target,
                    value,
                } => self.attribute(line.no, &line.id, &name, &target, value),
                Item::Normalization {
                    kind,
                    target,
                    reference,
                    text,
                } => {
                    let mut value = format!("{kind} {reference}");
                    if let Some(text) = text {
                        value.push('\t');
                        value.push_str(&text);
                    }
                    let key = format!("{PREFIX}{}", line.id);
                    self.attach(line.no, &line.id, &target, key, value, None);
                }
                Item::Note { kind, target, text } => {
                    self.note(line.no, &line.id, &kind, &target, text)
                }
                _ => {}
            }
        }
    }

    fn text_bound(
        &mut self,
        line: usize,
        id: &str,
        label: &str,
        fragments: &[(usize, usize)],
        quote: Option<&str>,
    ) {
        let describe = format!(
            "{id} ({label} {})",
            fragments
                .iter()
                .map(|(s, e)| format!("{s} {e}"))
                .collect::<Vec<_>>()
                .join(";")
        );
        let span_id = match SpanId::new(id) {
            Ok(i) => i,
            Err(e) => {
                let problem = format!("{describe}: {e}");
                return self.problem(line, Some(id), ProblemKind::Name, problem);
            }
        };
        let label = match Label::new(label) {
            Ok(l) => l,
            Err(e) => {
                let problem = format!("{describe}: {e}");
                return self.problem(line, Some(id), ProblemKind::Name, problem);
            }
        };
        if let Some(&(s, e)) = fragments.iter().find(|(s, e)| s >= e) {
            return self.problem(
                line,
                Some(id),
                ProblemKind::Offsets,
                format!("{describe}: the piece {s}..{e} is empty or reversed"),
            );
        }
        let converter = OffsetConverter::new(self.text, self.options.offsets);
        let bom_units = match (self.bom, self.options.offsets) {
            (false, _) => 0,
            (true, OffsetUnit::Bytes) => 3,
            (true, _) => 1,
        };
        let mut ranges = Vec::with_capacity(fragments.len());
        for &(s, e) in fragments {
            let convert = |o: usize| o.checked_sub(bom_units).and_then(|o| converter.to_char(o));
            match (convert(s), convert(e)) {
                (Some(s), Some(e)) => ranges.push(CharRange::between(s, e)),
                _ => {
                    let why = if bom_units > 0 && s < bom_units {
                        "starts on the byte-order mark".to_string()
                    } else {
                        format!(
                            "runs past the end of the text ({} characters) or splits a character",
                            self.text.len_chars()
                        )
                    };
                    let problem = format!("{describe}: {why}");
                    return self.problem(line, Some(id), ProblemKind::Offsets, problem);
                }
            }
        }
        ranges.sort();
        if ranges.windows(2).any(|w| w[0].end() >= w[1].start()) {
            return self.problem(
                line,
                Some(id),
                ProblemKind::Offsets,
                format!("{describe}: its pieces overlap or touch (brat writes separate pieces)"),
            );
        }
        if let Some(quote) = quote {
            let actual = joined(self.text, &ranges);
            if actual != quote {
                let hint =
                    mismatch_hint(self.text, self.options.offsets, self.bom, fragments, quote);
                return self.problem(
                    line,
                    Some(id),
                    ProblemKind::TextMismatch,
                    format!(
                        "{describe}: the .ann text is {quote:?} but the offsets give {actual:?}{hint}"
                    ),
                );
            }
        }
        let (Some(first), Some(last)) = (ranges.first(), ranges.last()) else {
            let problem = format!("{describe}: no offsets");
            return self.problem(line, Some(id), ProblemKind::Offsets, problem);
        };
        let range = CharRange::between(first.start(), last.end());
        let mut span = Span::new(
            span_id,
            label,
            range,
            &self.options.annotator,
            self.options.at,
        );
        span.origin = Origin::Imported;
        if ranges.len() > 1 {
            span.fragments = ranges;
        }
        self.spans.insert(id.to_string(), (line, span));
        self.span_order.push(id.to_string());
    }

    fn event(&mut self, line: usize, id: &str, kind: &str, trigger: &str) {
        if SpanId::new(id).is_err() {
            let problem = format!("{id}: not a usable id");
            return self.problem(line, Some(id), ProblemKind::Name, problem);
        }
        let Some((_, span)) = self.spans.get_mut(trigger) else {
            return self.problem(
                line,
                Some(id),
                ProblemKind::Structure,
                format!("{id}: its trigger {trigger} was not read; the event is not taken"),
            );
        };
        let entry = if span.label.as_str() == kind {
            id.to_string()
        } else {
            format!("{id}:{kind}")
        };
        span.attrs
            .entry(ATTR_EVENTS.to_string())
            .and_modify(|v| {
                v.push(' ');
                v.push_str(&entry);
            })
            .or_insert(entry);
        self.events.insert(id.to_string(), trigger.to_string());
    }

    /// The span and event (if any) that stand for `target` as a relation end.
    fn anchor(
        &mut self,
        line: usize,
        owner: &str,
        target: &str,
    ) -> Option<(String, Option<String>)> {
        if self.spans.contains_key(target) {
            Some((target.to_string(), None))
        } else if let Some(trigger) = self.events.get(target) {
            Some((trigger.clone(), Some(target.to_string())))
        } else {
            self.problem(
                line,
                Some(owner),
                ProblemKind::Structure,
                format!("{owner}: it refers to {target}, which was not read; not taken"),
            );
            None
        }
    }

    fn relation(
        &mut self,
        line: usize,
        id: &str,
        kind: &str,
        from: (String, Option<String>),
        to: &str,
        roles: Option<String>,
    ) {
        let Some(to) = self.anchor(line, id, to) else {
            return;
        };
        let (Ok(rel_id), Ok(kind), Ok(from_id), Ok(to_id)) = (
            SpanId::new(id),
            Label::new(kind),
            SpanId::new(&from.0),
            SpanId::new(&to.0),
        ) else {
            let problem = format!("{id}: bad id or type {kind:?}; not taken");
            return self.problem(line, Some(id), ProblemKind::Name, problem);
        };
        let mut attrs = BTreeMap::new();
        if let Some(roles) = roles {
            attrs.insert(ATTR_ROLES.to_string(), roles);
        }
        if let Some(event) = from.1 {
            attrs.insert(ATTR_FROM.to_string(), event);
        }
        if let Some(event) = to.1 {
            attrs.insert(ATTR_TO.to_string(), event);
        }
        let relation = Relation {
            id: rel_id,
            kind,
            from: from_id,
            to: to_id,
            author: self.options.annotator.clone(),
            created: self.options.at,
            status: crate::model::Status::Pending,
            note: None,
            attrs,
        };
        if id.starts_with('R') {
            self.relation_index
                .insert(id.to_string(), self.relations.len());
        }
        self.relations.push((line, relation));
    }

    /// Where an attribute, normalisation or note on `target` goes, and the key prefix
    /// (`E1:` for an event).
    fn holder(&self, target: &str) -> Option<(Holder, String)> {
        if self.spans.contains_key(target) {
            Some((Holder::Span(target.to_string()), String::new()))
        } else if let Some(trigger) = self.events.get(target) {
            Some((Holder::Span(trigger.clone()), format!("{target}:")))
        } else {
            self.relation_index
                .get(target)
                .map(|&i| (Holder::Relation(i), String::new()))
        }
    }

    fn attrs_of(&mut self, holder: &Holder) -> Option<&mut BTreeMap<String, String>> {
        match holder {
            Holder::Span(id) => self.spans.get_mut(id).map(|(_, s)| &mut s.attrs),
            Holder::Relation(i) => self.relations.get_mut(*i).map(|(_, r)| &mut r.attrs),
        }
    }

    /// Puts `key` = `value` on what `target` names; `id_entry` is recorded in `brat:ids`.
    fn attach(
        &mut self,
        line: usize,
        id: &str,
        target: &str,
        key: String,
        value: String,
        id_entry: Option<String>,
    ) {
        let Some((holder, prefix)) = self.holder(target) else {
            return self.problem(
                line,
                Some(id),
                ProblemKind::Structure,
                format!("{id}: it refers to {target}, which was not read; not taken"),
            );
        };
        let key = format!("{prefix}{key}");
        let taken = match self.attrs_of(&holder) {
            Some(attrs) if attrs.contains_key(&key) => false,
            Some(attrs) => {
                attrs.insert(key.clone(), value);
                true
            }
            None => false,
        };
        if !taken {
            return self.problem(
                line,
                Some(id),
                ProblemKind::NotTaken,
                format!("{id}: {target} already has {key:?} from an earlier line; not taken"),
            );
        }
        if let Some(entry) = id_entry {
            self.ids.entry(holder).or_default().push(entry);
        }
    }

    fn attribute(
        &mut self,
        line: usize,
        id: &str,
        name: &str,
        target: &str,
        value: Option<String>,
    ) {
        let Some((_, prefix)) = self.holder(target) else {
            return self.problem(
                line,
                Some(id),
                ProblemKind::Structure,
                format!("{id}: it refers to {target}, which was not read; not taken"),
            );
        };
        let entry = format!("{id}={prefix}{name}");
        self.attach(
            line,
            id,
            target,
            name.to_string(),
            value.unwrap_or_default(),
            Some(entry),
        );
    }

    fn note(&mut self, line: usize, id: &str, kind: &str, target: &str, text: String) {
        if let Some((holder, prefix)) = self.holder(target)
            && prefix.is_empty()
            && kind == ANNOTATOR_NOTES
        {
            let note = match &holder {
                Holder::Span(s) => self.spans.get_mut(s).map(|(_, s)| &mut s.note),
                Holder::Relation(i) => self.relations.get_mut(*i).map(|(_, r)| &mut r.note),
            };
            if let Some(slot) = note
                && slot.is_none()
            {
                *slot = Some(text);
                self.ids.entry(holder).or_default().push(id.to_string());
                return;
            }
        }
        let key = format!("{PREFIX}{id}");
        self.attach(line, id, target, key, format!("{kind}\t{text}"), None);
    }
}

impl Reader for super::Brat {
    fn read(&self, path: &Path, _article: Option<&str>, options: &ImportOptions) -> ImportReport {
        import(path, options)
    }
}
