//! Reading CoNLL files: tokens and tags into documents with reconstructed text.

use std::path::Path;

use super::Tag;
use crate::formats::problem::At;
use crate::formats::registry::Reader;
use crate::formats::tokens::Carried;
use crate::formats::{
    ImportOptions, ImportReport, ImportedDocument, Place, Problem, ProblemKind, complete_schema,
};
use crate::model::{
    AuditEntry, CharRange, Document, Edit, Label, Origin, Schema, Source, Span, SpanId, Text,
};
use crate::store::hash::sha256_hex;

/// Reads a CoNLL file: one document per `-DOCSTART-`, or the whole file.
pub fn import(path: &Path, options: &ImportOptions) -> ImportReport {
    let origin = path.display().to_string();
    let content = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                return ImportReport {
                    documents: Vec::new(),
                    problems: vec![Problem::new(
                        ProblemKind::NotText,
                        Place::file(&origin),
                        format!(
                            "not UTF-8 (invalid byte at {}): {origin}",
                            e.utf8_error().valid_up_to()
                        ),
                    )],
                };
            }
        },
        Err(e) => {
            return ImportReport {
                documents: Vec::new(),
                problems: vec![Problem::new(
                    ProblemKind::Unreadable,
                    Place::file(&origin),
                    format!("cannot read: {e}: {origin}"),
                )],
            };
        }
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".to_string());
    import_str(&content, &origin, &stem, options)
}

/// One token line.
struct Token<'a> {
    line: usize,
    text: &'a str,
    tag: Tag<'a>,
    /// The columns between the token and its tag (CoNLL-2003's POS and chunk).
    columns: &'a [&'a str],
}

/// A document's sentences, and the line its `-DOCSTART-` (or first token) is on.
struct RawDocument<'a> {
    first_line: usize,
    last_line: usize,
    sentences: Vec<Vec<Token<'a>>>,
    /// The columns of its `-DOCSTART-` line between the word and the tag, when it has one.
    docstart: Option<Vec<&'a str>>,
}

/// Reads CoNLL text. `origin` names the file in messages; documents are named `STEM.txt`, or
/// `STEM-1.txt`, `STEM-2.txt`, … when there are several.
pub fn import_str(
    content: &str,
    origin: &str,
    stem: &str,
    options: &ImportOptions,
) -> ImportReport {
    let mut report = ImportReport::default();
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut docs: Vec<RawDocument<'_>> = Vec::new();
    let mut sentence: Vec<Token<'_>> = Vec::new();
    let mut current = RawDocument {
        first_line: 1,
        last_line: 1,
        sentences: Vec::new(),
        docstart: None,
    };
    let lines: Vec<Vec<&str>> = content
        .split('\n')
        .map(|raw| fields(raw.strip_suffix('\r').unwrap_or(raw)))
        .collect();
    let mut tag_problems: Vec<(usize, Problem)> = Vec::new();
    for (i, fields) in lines.iter().enumerate() {
        let line_no = i + 1;
        let Some((&first, rest)) = fields.split_first() else {
            if !sentence.is_empty() {
                current.sentences.push(std::mem::take(&mut sentence));
            }
            continue;
        };
        if first == "-DOCSTART-" {
            if !sentence.is_empty() {
                current.sentences.push(std::mem::take(&mut sentence));
            }
            let next = RawDocument {
                first_line: line_no,
                last_line: line_no,
                sentences: Vec::new(),
                docstart: Some(middle(rest).to_vec()),
            };
            let done = std::mem::replace(&mut current, next);
            if !done.sentences.is_empty() {
                docs.push(done);
            }
            continue;
        }
        let (tag, problem) = tag_of(fields, origin, line_no);
        tag_problems.extend(problem.map(|p| (line_no, p)));
        current.last_line = line_no;
        sentence.push(Token {
            line: line_no,
            text: first,
            tag,
            columns: middle(rest),
        });
    }
    if !sentence.is_empty() {
        current.sentences.push(sentence);
    }
    if !current.sentences.is_empty() {
        docs.push(current);
    }
    if docs.is_empty() {
        report.problems.push(Problem::new(
            ProblemKind::Empty,
            Place::file(origin),
            format!("no tokens in the file: {origin}"),
        ));
    }
    let several = docs.len() > 1;
    for (n, raw) in docs.into_iter().enumerate() {
        let name = if several {
            format!("{stem}-{}.txt", n + 1)
        } else {
            format!("{stem}.txt")
        };
        let lines = raw.first_line..=raw.last_line;
        let mut problems: Vec<Problem> = tag_problems
            .iter()
            .filter(|(l, _)| lines.contains(l))
            .map(|(_, p)| p.clone())
            .collect();
        let doc = build(raw, &name, origin, options, &mut problems);
        report.documents.push(ImportedDocument { doc, problems });
    }
    report
}

/// The columns of a line: split on TABs when it holds one (a token may then hold a space),
/// else on spaces.
fn fields(line: &str) -> Vec<&str> {
    if line.contains('\t') {
        line.split('\t')
            .map(|f| f.trim_matches(' '))
            .filter(|f| !f.is_empty())
            .collect()
    } else {
        line.split(' ').filter(|f| !f.is_empty()).collect()
    }
}

/// The columns after the first and before the last (the tag), of the columns after the first.
fn middle<'l, 'a>(rest: &'l [&'a str]) -> &'l [&'a str] {
    rest.split_last().map_or(&[], |(_, middle)| middle)
}

/// The tag of a token line (its last column, `fields[0]` being the token), or `O` with the
/// problem when there is no tag or it is none Spanmark reads.
fn tag_of<'a>(fields: &[&'a str], origin: &str, line_no: usize) -> (Tag<'a>, Option<Problem>) {
    let first = fields.first().copied().unwrap_or_default();
    let problem =
        |message: String| Problem::new(ProblemKind::Syntax, Place::line(origin, line_no), message);
    match fields.last() {
        Some(&tag) if fields.len() > 1 => match Tag::parse(tag) {
            Some(t) => (t, None),
            None => (
                Tag::Outside,
                Some(problem(format!(
                    "{origin}:{line_no}: tag {} is not O, B-…, I-…, E-… or S-…; \
                     the token {} is read as O",
                    crate::formats::build::excerpt(tag),
                    crate::formats::build::excerpt(first)
                ))),
            ),
        },
        _ => (
            Tag::Outside,
            Some(problem(format!(
                "{origin}:{line_no}: no tag column after the token {}; read as O",
                crate::formats::build::excerpt(first)
            ))),
        ),
    }
}

/// An entity found in the tags: label, first and last token (as (sentence, index)), lines.
struct Entity<'a> {
    label: &'a str,
    start_char: usize,
    end_char: usize,
    first_line: usize,
    last_line: usize,
}

fn build(
    raw: RawDocument<'_>,
    name: &str,
    origin: &str,
    options: &ImportOptions,
    problems: &mut Vec<Problem>,
) -> Document {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut entities: Vec<Entity<'_>> = Vec::new();
    let mut carried = Carried {
        sentences: Some(Vec::with_capacity(raw.sentences.len())),
        docstart: raw
            .docstart
            .as_ref()
            .map(|d| d.iter().map(|c| c.to_string()).collect()),
        ..Carried::default()
    };
    let with_columns = raw
        .sentences
        .iter()
        .flatten()
        .any(|t| !t.columns.is_empty());
    for (s, sentence) in raw.sentences.iter().enumerate() {
        if s > 0 {
            text.push('\n');
            chars += 1;
        }
        if let Some(starts) = carried.sentences.as_mut() {
            starts.push(carried.offsets.len());
        }
        let mut open: Option<Entity<'_>> = None;
        for (t, token) in sentence.iter().enumerate() {
            if t > 0 {
                text.push(' ');
                chars += 1;
            }
            let start = chars;
            text.push_str(token.text);
            chars += token.text.chars().count();
            carried.offsets.push((start, chars));
            if with_columns {
                carried
                    .columns
                    .push(token.columns.iter().map(|c| c.to_string()).collect());
            }
            let (label, starts, ends) = match token.tag {
                Tag::Outside => {
                    entities.extend(open.take());
                    continue;
                }
                Tag::Begin(l) => (l, true, false),
                Tag::Single(l) => (l, true, true),
                Tag::Inside(l) => (l, open.as_ref().is_none_or(|e| e.label != l), false),
                Tag::End(l) => (l, open.as_ref().is_none_or(|e| e.label != l), true),
            };
            if starts {
                entities.extend(open.take());
                open = Some(Entity {
                    label,
                    start_char: start,
                    end_char: chars,
                    first_line: token.line,
                    last_line: token.line,
                });
            } else if let Some(e) = open.as_mut() {
                e.end_char = chars;
                e.last_line = token.line;
            }
            if ends {
                entities.extend(open.take());
            }
        }
        entities.extend(open);
    }
    let source = Source {
        name: name.to_string(),
        path: None,
        sha256: Some(sha256_hex(text.as_bytes())),
        encoding: "UTF-8".to_string(),
        bom: false,
    };
    let mut doc = Document::new(
        source,
        Text::new(text),
        &options.annotator,
        Schema::default(),
    );
    doc.log(AuditEntry::document(
        options.at,
        &options.annotator,
        format!(
            "imported from {origin} lines {}–{} (conll); text rebuilt from the tokens",
            raw.first_line, raw.last_line
        ),
    ));
    carried.store(&mut doc, "conll");
    for e in entities {
        let words = if e.first_line == e.last_line {
            format!("{origin}:{}", e.first_line)
        } else {
            format!("{origin}:{}–{}", e.first_line, e.last_line)
        };
        let at = At::new(Place::line(origin, e.first_line), words);
        let label = match Label::new(e.label) {
            Ok(l) => l,
            Err(err) => {
                let problem = format!("entity {:?}: {err}; not taken", e.label);
                problems.push(at.problem(ProblemKind::Name, problem));
                continue;
            }
        };
        let Some(range) = CharRange::new(e.start_char, e.end_char) else {
            continue;
        };
        let mut span = Span::new(
            SpanId::numbered(0),
            label,
            range,
            &options.annotator,
            options.at,
        );
        span.id = doc.set().next_id();
        span.origin = Origin::Imported;
        let id = span.id.clone();
        if let Err(err) = doc.apply(&Edit::add(span), &options.annotator, options.at) {
            let problem = format!("entity {}: not taken: {err}", e.label);
            problems.push(at.span_problem(id, ProblemKind::NotTaken, problem));
        }
    }
    complete_schema(&mut doc);
    doc
}

impl Reader for super::Conll {
    fn read(&self, path: &Path, _article: Option<&str>, options: &ImportOptions) -> ImportReport {
        import(path, options)
    }
}
