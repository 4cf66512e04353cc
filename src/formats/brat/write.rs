//! Writing a document as a `.txt` and a `.ann`. See the module docs for the mapping.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{
    ANNOTATOR_NOTES, ATTR_EVENTS, ATTR_FROM, ATTR_IDS, ATTR_ROLES, ATTR_TO, PREFIX, events_of,
    number_of, split_link_id,
};
use crate::formats::registry::DocumentWriter;
use crate::formats::{ExportedFile, Loss};
use crate::model::{AnnotationSet, Document, Relation, Span, SpanId, Text};

/// The `.txt` and `.ann` of `doc`, and what brat could not hold.
pub fn export(doc: &Document) -> (Vec<ExportedFile>, Loss) {
    let mut loss = Loss::default();
    let ann = ann_lines(doc, &mut loss);
    let files = vec![
        ExportedFile {
            suffix: ".txt".to_string(),
            bytes: doc.text().as_str().as_bytes().to_vec(),
        },
        ExportedFile {
            suffix: ".ann".to_string(),
            bytes: ann.into_bytes(),
        },
    ];
    (files, loss)
}

const BOOKKEEPING: [&str; 5] = [ATTR_EVENTS, ATTR_IDS, ATTR_ROLES, ATTR_FROM, ATTR_TO];

/// brat ids for everything written: kept when they have brat's form and are free, otherwise the
/// next free number of their letter.
struct Ids {
    /// Ids that may be kept (reserved before any fresh id is handed out).
    reserved: HashSet<String>,
    assigned: HashSet<String>,
    next: HashMap<char, u64>,
}

impl Ids {
    fn new() -> Self {
        Self {
            reserved: HashSet::new(),
            assigned: HashSet::new(),
            next: HashMap::new(),
        }
    }

    /// Whether `id` is `letter` followed by a number (`T12`, `#3`).
    fn has_form(id: &str, letters: &[char]) -> bool {
        let mut chars = id.chars();
        chars.next().is_some_and(|c| letters.contains(&c))
            && !chars.as_str().is_empty()
            && chars.as_str().bytes().all(|b| b.is_ascii_digit())
    }

    fn reserve(&mut self, id: &str, letters: &[char]) {
        if Self::has_form(id, letters) {
            self.reserved.insert(id.to_string());
            if let (Some(c), Ok(n)) = (id.chars().next(), id[1..].parse::<u64>()) {
                let next = self.next.entry(c).or_insert(1);
                *next = (*next).max(n.saturating_add(1));
            }
        }
    }

    /// `wanted` if it has the form and is not taken yet, else a fresh id of `letter`.
    fn assign(&mut self, wanted: Option<&str>, letters: &[char]) -> String {
        if let Some(w) = wanted
            && Self::has_form(w, letters)
            && self.reserved.contains(w)
            && self.assigned.insert(w.to_string())
        {
            return w.to_string();
        }
        let letter = letters[0];
        let next = self.next.entry(letter).or_insert(1);
        loop {
            let id = format!("{letter}{next}");
            *next += 1;
            if !self.reserved.contains(&id) && self.assigned.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// One `.ann` line with its sort key (kind, number, id).
struct Out {
    rank: u8,
    number: u64,
    id: String,
    line: String,
}

/// A type, role or attribute name as brat can hold it: whitespace becomes `_` (counted).
fn name(s: &str, loss: &mut Loss) -> String {
    if s.chars().any(char::is_whitespace) {
        loss.add("names with spaces (written with _)", 1);
        s.chars()
            .map(|c| if c.is_whitespace() { '_' } else { c })
            .collect()
    } else {
        s.to_string()
    }
}

/// Free text on one line: line breaks become spaces (counted as `what` when there were any).
fn one_line(s: &str, loss: &mut Loss, what: &'static str) -> String {
    if s.contains(['\r', '\n']) {
        loss.add(what, 1);
    }
    s.chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect()
}

/// The events a span triggers: (id in the document, exported id, type).
struct Event {
    old: String,
    new: String,
    kind: String,
}

/// The `.ann` of `doc`: its lines in brat's order (T, E, R, `*`, A/M, N, `#`), each kind by
/// number. What brat cannot hold is counted in `loss`.
fn ann_lines(doc: &Document, loss: &mut Loss) -> String {
    let set = doc.set();
    let mut spans: Vec<&Span> = set.spans().collect();
    spans.sort_by_key(|s| (number_of(s.id.as_str()), s.id.as_str()));
    let mut ann = Ann::new(doc, &spans, loss);
    ann.text_bounds(&spans);
    let links = Links::of(set, &ann.events);
    let plain = ann.events(&spans, links.event_args, links.plain);
    let relation_ids = ann.relations(&plain);
    ann.equivalences(links.equivs);
    let unattached = ann.unattached;
    ann.loss.add(
        "notes and attributes on event arguments or equivalences",
        unattached,
    );
    for span in &spans {
        let target = &ann.span_ids[&span.id];
        let events = ann.events.get(&span.id).map(Vec::as_slice).unwrap_or(&[]);
        extras(
            &span.attrs,
            span.note.as_deref(),
            target,
            events,
            &mut ann.ids,
            &mut ann.out,
            ann.loss,
        );
    }
    for relation in &plain {
        let target = &relation_ids[&relation.id];
        extras(
            &relation.attrs,
            relation.note.as_deref(),
            target,
            &[],
            &mut ann.ids,
            &mut ann.out,
            ann.loss,
        );
    }
    ann.finish()
}

/// The `.ann` being written: the brat ids given so far and the lines made.
struct Ann<'d, 'l> {
    text: &'d Text,
    ids: Ids,
    /// The `T` id of each span.
    span_ids: HashMap<&'d SpanId, String>,
    /// The events each trigger span has.
    events: HashMap<&'d SpanId, Vec<Event>>,
    out: Vec<Out>,
    loss: &'l mut Loss,
    /// Notes and attributes of event arguments and equivalence links (brat has no place for
    /// them).
    unattached: usize,
}

/// The relations of a document by how brat writes them.
struct Links<'d> {
    /// Arguments of an event its trigger span has, by (trigger, event id), with their position.
    event_args: HashMap<(&'d SpanId, String), Vec<(usize, &'d Relation)>>,
    /// Links of each `*` line, by its number and id, with their position.
    equivs: BTreeMap<(u64, String), Vec<(usize, &'d Relation)>>,
    /// The rest: `R` lines.
    plain: Vec<&'d Relation>,
}

impl<'d> Links<'d> {
    fn of(set: &'d AnnotationSet, events: &HashMap<&'d SpanId, Vec<Event>>) -> Self {
        let mut links = Links {
            event_args: HashMap::new(),
            equivs: BTreeMap::new(),
            plain: Vec::new(),
        };
        for relation in set.relations() {
            match split_link_id(relation.id.as_str()) {
                Some((owner, k))
                    if events
                        .get(&relation.from)
                        .is_some_and(|evs| evs.iter().any(|e| e.old == owner)) =>
                {
                    links
                        .event_args
                        .entry((&relation.from, owner.to_string()))
                        .or_default()
                        .push((k, relation));
                }
                Some((owner, k)) if owner.starts_with('*') => {
                    links
                        .equivs
                        .entry((number_of(owner), owner.to_string()))
                        .or_default()
                        .push((k, relation));
                }
                _ => links.plain.push(relation),
            }
        }
        links
    }
}

/// Notes and attributes a link carries besides brat's bookkeeping.
fn unattached_of(link: &Relation) -> usize {
    usize::from(link.note.is_some())
        + link
            .attrs
            .keys()
            .filter(|k| !BOOKKEEPING.contains(&k.as_str()))
            .count()
}

impl<'d, 'l> Ann<'d, 'l> {
    /// Reserves every id that may be kept (so fresh ids never take one), then gives the spans
    /// (in `spans`' order) and the events they trigger their ids.
    fn new(doc: &'d Document, spans: &[&'d Span], loss: &'l mut Loss) -> Self {
        let set = doc.set();
        let mut ids = Ids::new();
        for span in set.spans() {
            ids.reserve(span.id.as_str(), &['T']);
            if let Some(events) = span.attrs.get(ATTR_EVENTS) {
                for (event, _) in events_of(events) {
                    ids.reserve(event, &['E']);
                }
            }
            reserve_attr_ids(&span.attrs, &mut ids);
        }
        for relation in set.relations() {
            ids.reserve(relation.id.as_str(), &['R']);
            reserve_attr_ids(&relation.attrs, &mut ids);
        }
        let mut span_ids = HashMap::new();
        for span in spans {
            span_ids.insert(&span.id, ids.assign(Some(span.id.as_str()), &['T']));
        }
        let mut events = HashMap::new();
        for span in spans {
            if let Some(value) = span.attrs.get(ATTR_EVENTS) {
                let list = events_of(value)
                    .map(|(old, kind)| Event {
                        old: old.to_string(),
                        new: ids.assign(Some(old), &['E']),
                        kind: kind.unwrap_or(span.label.as_str()).to_string(),
                    })
                    .collect();
                events.insert(&span.id, list);
            }
        }
        Ann {
            text: doc.text(),
            ids,
            span_ids,
            events,
            out: Vec::new(),
            loss,
            unattached: 0,
        }
    }

    /// A relation end: the event it names (when its span triggers it), or the span.
    fn end(&self, span: &SpanId, event: Option<&String>) -> String {
        event
            .and_then(|e| self.events.get(span)?.iter().find(|ev| &ev.old == e))
            .map(|ev| ev.new.clone())
            .or_else(|| self.span_ids.get(span).cloned())
            .unwrap_or_else(|| span.to_string())
    }

    /// `T` lines: each span with its pieces and their text.
    fn text_bounds(&mut self, spans: &[&Span]) {
        let text = self.text;
        for span in spans {
            let id = &self.span_ids[&span.id];
            let pieces = span.pieces();
            let offsets: Vec<String> = pieces
                .iter()
                .map(|r| format!("{} {}", r.start(), r.end()))
                .collect();
            let line = format!(
                "{id}\t{} {}\t{}",
                name(span.label.as_str(), self.loss),
                offsets.join(";"),
                super::check::joined(text, &pieces)
            );
            self.out.push(Out {
                rank: 0,
                number: number_of(id),
                id: id.clone(),
                line,
            });
        }
    }

    /// `E` lines: each event with its arguments. Returns the relations written as `R` lines:
    /// `plain`, and the arguments of events no longer listed, by number.
    fn events(
        &mut self,
        spans: &[&'d Span],
        mut event_args: HashMap<(&'d SpanId, String), Vec<(usize, &'d Relation)>>,
        mut plain: Vec<&'d Relation>,
    ) -> Vec<&'d Relation> {
        for span in spans {
            for event in self.events.get(&span.id).into_iter().flatten() {
                let mut line = format!(
                    "{}\t{}:{}",
                    event.new,
                    name(&event.kind, self.loss),
                    self.span_ids[&span.id]
                );
                let mut args = event_args
                    .remove(&(&span.id, event.old.clone()))
                    .unwrap_or_default();
                args.sort_by_key(|(k, _)| *k);
                for (_, arg) in args {
                    self.unattached += unattached_of(arg);
                    line.push_str(&format!(
                        " {}:{}",
                        name(arg.kind.as_str(), self.loss),
                        self.end(&arg.to, arg.attrs.get(ATTR_TO))
                    ));
                }
                self.out.push(Out {
                    rank: 1,
                    number: number_of(&event.new),
                    id: event.new.clone(),
                    line,
                });
            }
        }
        // Arguments of an event that is no longer listed: written as relations.
        plain.extend(event_args.into_values().flatten().map(|(_, r)| r));
        plain.sort_by_key(|r| (number_of(r.id.as_str()), r.id.as_str()));
        plain
    }

    /// `R` lines. Returns the `R` id given to each relation.
    fn relations(&mut self, plain: &[&'d Relation]) -> HashMap<&'d SpanId, String> {
        let mut relation_ids: HashMap<&SpanId, String> = HashMap::new();
        for relation in plain {
            let id = self.ids.assign(Some(relation.id.as_str()), &['R']);
            relation_ids.insert(&relation.id, id);
        }
        for relation in plain {
            let id = &relation_ids[&relation.id];
            let roles: Vec<&str> = relation
                .attrs
                .get(ATTR_ROLES)
                .map(|r| r.split_whitespace().collect())
                .filter(|r: &Vec<&str>| r.len() == 2)
                .unwrap_or_else(|| vec!["Arg1", "Arg2"]);
            let line = format!(
                "{id}\t{} {}:{} {}:{}",
                name(relation.kind.as_str(), self.loss),
                roles[0],
                self.end(&relation.from, relation.attrs.get(ATTR_FROM)),
                roles[1],
                self.end(&relation.to, relation.attrs.get(ATTR_TO)),
            );
            self.out.push(Out {
                rank: 2,
                number: number_of(id),
                id: id.clone(),
                line,
            });
        }
        relation_ids
    }

    /// `*` lines. A chain a→b, b→c is one line `a b c`; a break in the chain (or a change of
    /// type) starts another line.
    fn equivalences(&mut self, equivs: BTreeMap<(u64, String), Vec<(usize, &Relation)>>) {
        for (n, ((number, _), mut links)) in equivs.into_iter().enumerate() {
            links.sort_by_key(|(k, _)| *k);
            let mut lines: Vec<(String, Vec<String>)> = Vec::new();
            for (_, link) in links {
                self.unattached += unattached_of(link);
                let kind = name(link.kind.as_str(), self.loss);
                let from = self.end(&link.from, link.attrs.get(ATTR_FROM));
                let to = self.end(&link.to, link.attrs.get(ATTR_TO));
                match lines.last_mut() {
                    Some((k, members)) if *k == kind && members.last() == Some(&from) => {
                        members.push(to)
                    }
                    _ => lines.push((kind, vec![from, to])),
                }
            }
            for (i, (kind, members)) in lines.into_iter().enumerate() {
                self.out.push(Out {
                    rank: 3,
                    number,
                    id: format!("*{n}.{i}"),
                    line: format!("*\t{kind} {}", members.join(" ")),
                });
            }
        }
    }

    /// The lines in brat's order, each ended by a line break.
    fn finish(mut self) -> String {
        self.out
            .sort_by(|a, b| (a.rank, a.number, &a.id).cmp(&(b.rank, b.number, &b.id)));
        let mut ann = String::new();
        for o in self.out {
            ann.push_str(&o.line);
            ann.push('\n');
        }
        ann
    }
}

/// Reserves the `A`/`M`/`N`/`#` ids recorded in attrs.
fn reserve_attr_ids(attrs: &BTreeMap<String, String>, ids: &mut Ids) {
    if let Some(list) = attrs.get(ATTR_IDS) {
        for entry in list.split_whitespace() {
            let id = entry.split_once('=').map_or(entry, |(id, _)| id);
            ids.reserve(id, &['A', 'M', '#']);
        }
    }
    // `brat:N1`, `brat:#2`, `E1:brat:N3`.
    for key in attrs.keys() {
        if let Some(at) = key.find(PREFIX) {
            ids.reserve(&key[at + PREFIX.len()..], &['N', '#']);
        }
    }
}

/// The attribute, normalisation and note lines of one span or relation (`target` is its brat
/// id; `events` the events it triggers, whose items carry the event id as key prefix).
fn extras(
    attrs: &BTreeMap<String, String>,
    note: Option<&str>,
    target: &str,
    events: &[Event],
    ids: &mut Ids,
    out: &mut Vec<Out>,
    loss: &mut Loss,
) {
    // Recorded ids: attribute key → id, and the note's id.
    let mut attr_ids: HashMap<&str, &str> = HashMap::new();
    let mut note_id = None;
    if let Some(list) = attrs.get(ATTR_IDS) {
        for entry in list.split_whitespace() {
            match entry.split_once('=') {
                Some((id, key)) => {
                    attr_ids.insert(key, id);
                }
                None => note_id = Some(entry),
            }
        }
    }
    if let Some(note) = note {
        let id = ids.assign(note_id, &['#']);
        let note = one_line(note, loss, "notes with line breaks (written on one line)");
        out.push(Out {
            rank: 6,
            number: number_of(&id),
            id: id.clone(),
            line: format!("{id}\t{ANNOTATOR_NOTES} {target}\t{note}"),
        });
    }
    for (key, value) in attrs {
        if BOOKKEEPING.contains(&key.as_str()) {
            continue;
        }
        // `E1:Confidence` belongs to event E1 when this span triggers it.
        let (target, rest) = match key.split_once(':') {
            Some((event, rest)) => match events.iter().find(|e| e.old == event) {
                Some(e) => (e.new.as_str(), rest),
                None => (target, key.as_str()),
            },
            None => (target, key.as_str()),
        };
        if let Some(id) = rest.strip_prefix(PREFIX) {
            if id.starts_with('N') {
                let id = ids.assign(Some(id), &['N']);
                let (kind, tail) = value.split_once(' ').unwrap_or((value, ""));
                let tail = one_line(tail, loss, "normalisations with line breaks");
                out.push(Out {
                    rank: 5,
                    number: number_of(&id),
                    id: id.clone(),
                    line: format!("{id}\t{kind} {target} {tail}"),
                });
                continue;
            }
            if id.starts_with('#') {
                let id = ids.assign(Some(id), &['#']);
                let (kind, text) = value.split_once('\t').unwrap_or((value, ""));
                let text = one_line(text, loss, "notes with line breaks (written on one line)");
                out.push(Out {
                    rank: 6,
                    number: number_of(&id),
                    id: id.clone(),
                    line: format!("{id}\t{} {target}\t{text}", name(kind, loss)),
                });
                continue;
            }
        }
        if rest.is_empty() || value.chars().any(char::is_whitespace) {
            loss.add("attributes with spaces in the value", 1);
            continue;
        }
        let id = ids.assign(attr_ids.get(key.as_str()).copied(), &['A', 'M']);
        let name = name(rest, loss);
        let line = if value.is_empty() {
            format!("{id}\t{name} {target}")
        } else {
            format!("{id}\t{name} {target} {value}")
        };
        out.push(Out {
            rank: 4,
            number: number_of(&id),
            id: id.clone(),
            line,
        });
    }
}

impl DocumentWriter for super::Brat {
    fn files(&self, doc: &Document) -> (Vec<ExportedFile>, Loss) {
        export(doc)
    }
}
