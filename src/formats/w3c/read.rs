//! Reading W3C Web Annotations about a given text.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::{URN, decode};
use crate::formats::offsets::{OffsetConverter, OffsetUnit, utf16_would_match};
use crate::formats::problem::At;
use crate::formats::registry::Reader;
use crate::formats::{
    ImportOptions, ImportReport, ImportedDocument, Place, Problem, ProblemKind, complete_schema,
};
use crate::model::{
    AuditEntry, CharRange, Document, Edit, Label, Origin, Relation, Schema, SchemaError, SetError,
    Source, Span, SpanId, Text, Timestamp,
};
use crate::store::hash::sha256_hex;

/// Reads the annotations in `path` as annotations of `source_text`: one document.
pub fn import(path: &Path, source_text: &str, options: &ImportOptions) -> ImportReport {
    let origin = path.display().to_string();
    let value = std::fs::read(path)
        .map_err(|e| {
            let message = format!("cannot read: {e}: {origin}");
            Problem::new(ProblemKind::Unreadable, Place::file(&origin), message)
        })
        .and_then(|bytes| {
            serde_json::from_slice::<Value>(&bytes).map_err(|e| {
                let message = format!(
                    "not valid JSON at line {}, column {}: {e}: {origin}",
                    e.line(),
                    e.column()
                );
                Problem::new(ProblemKind::Syntax, Place::line(&origin, e.line()), message)
            })
        });
    match value {
        Ok(value) => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "document".to_string());
            import_value(&value, &origin, &stem, source_text, options)
        }
        Err(problem) => ImportReport {
            documents: Vec::new(),
            problems: vec![problem],
        },
    }
}

/// Reads parsed JSON (`origin` names it in messages; `stem` names the document when the
/// collection has no `label`).
pub fn import_value(
    value: &Value,
    origin: &str,
    stem: &str,
    source_text: &str,
    options: &ImportOptions,
) -> ImportReport {
    let mut report = ImportReport::default();
    let Some(annotations) = annotations_of(value) else {
        report.problems.push(Problem::new(
            ProblemKind::Structure,
            Place::file(origin),
            format!("not a W3C annotation, page, collection or list of annotations: {origin}"),
        ));
        return report;
    };
    let mut problems = Vec::new();
    if let Some(first) = value.get("first")
        && first.is_string()
    {
        problems.push(Problem::new(
            ProblemKind::Remark,
            Place::file(origin),
            format!(
                "{origin}: the collection's pages are not in the file (\"first\" is a link); \
                 only embedded pages are read"
            ),
        ));
    }
    let text = Text::new(source_text.to_string());
    let sha = sha256_hex(source_text.as_bytes());
    let name = value
        .get("label")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("{stem}.txt"));
    let converter = OffsetConverter::new(&text, options.offsets);

    // Spans first: relations link them by annotation IRI.
    let mut spans: Vec<(usize, Option<String>, Span)> = Vec::new();
    let mut links = Vec::new();
    for (i, annotation) in annotations.iter().enumerate() {
        let iri = annotation.get("id").and_then(Value::as_str);
        let place = Place::file(origin).with_record(i + 1);
        let at = match iri {
            Some(iri) => At::new(place, format!("{origin}: annotation {} ({iri})", i + 1)),
            None => At::new(place, format!("{origin}: annotation {}", i + 1)),
        };
        if has_motivation(annotation, "linking") {
            links.push((at, annotation));
            continue;
        }
        match span_of(annotation, &text, &sha, &converter, options) {
            Ok(span) => spans.push((i, iri.map(str::to_string), span)),
            Err(why) => problems.push(at.problem(why.kind(), format!("{why}; not taken"))),
        }
    }

    let source = Source {
        name,
        path: None,
        sha256: Some(sha.clone()),
        encoding: "UTF-8".to_string(),
        bom: false,
    };
    let mut doc = Document::new(source, text.clone(), &options.annotator, Schema::default());
    doc.log(AuditEntry::document(
        options.at,
        &options.annotator,
        format!("imported from {origin} (w3c)"),
    ));
    // Keep Spanmark's own ids when the IRI carries one; number the rest after them.
    let mut by_iri: HashMap<String, SpanId> = HashMap::new();
    let mut fresh = Vec::new();
    for (i, iri, mut span) in spans {
        let own = iri.as_deref().and_then(|iri| own_id(iri, &sha, "span"));
        match own {
            Some(id) if doc.set().get(&id).is_none() => {
                span.id = id.clone();
                let result = doc.apply(&Edit::add(span), &options.annotator, options.at);
                match result {
                    Ok(()) => {
                        by_iri.extend(iri.map(|iri| (iri, id)));
                    }
                    Err(e) => problems.push(not_taken(origin, i, e)),
                }
            }
            _ => fresh.push((i, iri, span)),
        }
    }
    for (i, iri, mut span) in fresh {
        span.id = doc.set().next_id();
        let id = span.id.clone();
        match doc.apply(&Edit::add(span), &options.annotator, options.at) {
            Ok(()) => {
                by_iri.extend(iri.map(|iri| (iri, id)));
            }
            Err(e) => problems.push(not_taken(origin, i, e)),
        }
    }

    for (at, annotation) in links {
        match relation_of(annotation, &by_iri, &sha, &doc, options) {
            Ok(relation) => {
                if let Err(e) =
                    doc.apply(&Edit::AddRelation(relation), &options.annotator, options.at)
                {
                    problems.push(at.problem(ProblemKind::NotTaken, format!("not taken: {e}")));
                }
            }
            Err(why) => problems.push(at.problem(why.kind(), format!("{why}; not taken"))),
        }
    }
    complete_schema(&mut doc);
    report.documents.push(ImportedDocument { doc, problems });
    report
}

/// The problem of the `i`-th annotation (from 0), read but refused by the document.
fn not_taken(origin: &str, i: usize, e: SetError) -> Problem {
    Problem::new(
        ProblemKind::NotTaken,
        Place::file(origin).with_record(i + 1),
        format!("{origin}: annotation {}: not taken: {e}", i + 1),
    )
}

/// Why an annotation cannot become a span or a relation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnnotationError {
    #[error("no tagging body (a TextualBody with purpose \"tagging\") to take the label from")]
    NoLabel,
    #[error(transparent)]
    Label(#[from] SchemaError),
    #[error("no target")]
    NoTarget,
    #[error("its targets overlap or touch")]
    TargetsOverlap,
    #[error("its target is a whole resource, not a stretch of text")]
    WholeResource,
    /// `other`: the IRI of the text the target names.
    #[error("its target is another text ({other}; this text is {URN}{sha})")]
    AnotherText { other: String, sha: String },
    #[error("its target has no selector")]
    NoSelector,
    #[error(
        "its selector is refined by another (a position inside a fragment of a web \
         page); only selectors on the whole text are read"
    )]
    Refined,
    #[error("a TextPositionSelector without whole-number start and end")]
    PositionNotNumbers,
    #[error("a TextQuoteSelector without \"exact\"")]
    NoExact,
    #[error("TextPositionSelector {start}..{end} is empty or reversed")]
    EmptyPosition { start: usize, end: usize },
    /// `length`: the text's length in characters.
    #[error(
        "TextPositionSelector {start}..{end} runs past the end of the text ({length} characters) \
         or splits a character"
    )]
    PastTheEnd {
        start: usize,
        end: usize,
        length: usize,
    },
    /// `utf16`: UTF-16 offsets would give the quote.
    #[error(
        "TextPositionSelector {start}..{end} gives {actual:?} but its TextQuoteSelector says \
         {exact:?}{}",
        if *utf16 { "; the offsets look like UTF-16 code units: import with --offsets utf16" } else { "" }
    )]
    QuoteMismatch {
        start: usize,
        end: usize,
        actual: String,
        exact: String,
        utf16: bool,
    },
    #[error(
        "its target has no TextPositionSelector or TextQuoteSelector (only those select \
         text)"
    )]
    NoTextSelector,
    #[error("an empty TextQuoteSelector")]
    EmptyQuote,
    #[error("the quote does not start on a character")]
    QuoteSplitsCharacter,
    #[error("the quote runs past the end")]
    QuotePastTheEnd,
    #[error("the TextQuoteSelector {0:?} (with its prefix and suffix) is not in the text")]
    QuoteNotFound(String),
    #[error(
        "the TextQuoteSelector {exact:?} is in the text {times} times, even with its prefix and \
         suffix"
    )]
    QuoteAmbiguous { exact: String, times: usize },
    #[error("a linking annotation without a tagging body to take the relation's kind from")]
    NoKind,
    #[error("a linking annotation whose target is not a link to an annotation")]
    TargetNotALink,
    #[error("a linking annotation whose body holds no link to an annotation")]
    BodyNotALink,
    #[error("it links {0}, which is not a span read from this file")]
    NotASpan(String),
}

impl AnnotationError {
    pub fn kind(&self) -> ProblemKind {
        use AnnotationError as E;
        match self {
            E::NoLabel
            | E::NoTarget
            | E::WholeResource
            | E::NoSelector
            | E::Refined
            | E::PositionNotNumbers
            | E::NoExact
            | E::NoTextSelector
            | E::NoKind
            | E::TargetNotALink
            | E::BodyNotALink
            | E::NotASpan(_) => ProblemKind::Structure,
            E::Label(_) => ProblemKind::Name,
            E::TargetsOverlap
            | E::EmptyPosition { .. }
            | E::PastTheEnd { .. }
            | E::QuoteSplitsCharacter
            | E::QuotePastTheEnd => ProblemKind::Offsets,
            E::AnotherText { .. }
            | E::QuoteMismatch { .. }
            | E::EmptyQuote
            | E::QuoteNotFound(_)
            | E::QuoteAmbiguous { .. } => ProblemKind::TextMismatch,
        }
    }
}

/// The annotations of a collection (its embedded pages), a page, one annotation or a list.
fn annotations_of(value: &Value) -> Option<Vec<&Value>> {
    if let Value::Array(items) = value {
        return Some(items.iter().collect());
    }
    if has_type(value, "AnnotationCollection") {
        let mut out = Vec::new();
        let mut page = value.get("first").filter(|p| p.is_object());
        while let Some(p) = page {
            out.extend(items_of(p));
            page = p.get("next").filter(|n| n.is_object());
        }
        return Some(out);
    }
    if has_type(value, "AnnotationPage") {
        return Some(items_of(value));
    }
    if has_type(value, "Annotation") {
        return Some(vec![value]);
    }
    None
}

fn items_of(page: &Value) -> Vec<&Value> {
    match page.get("items") {
        Some(Value::Array(items)) => items.iter().collect(),
        _ => Vec::new(),
    }
}

/// Values of a property that may be one value or a list.
fn all(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    }
}

fn has_type(value: &Value, name: &str) -> bool {
    all(value.get("type"))
        .iter()
        .any(|t| t.as_str() == Some(name))
}

fn has_motivation(value: &Value, name: &str) -> bool {
    all(value.get("motivation"))
        .iter()
        .any(|t| t.as_str() == Some(name))
}

fn has_purpose(body: &Value, name: &str) -> bool {
    all(body.get("purpose"))
        .iter()
        .any(|t| t.as_str() == Some(name))
}

/// The value of the first textual body with `purpose` (or, for tagging, of an annotation
/// motivated by tagging whose body has no purpose).
fn textual_body<'a>(annotation: &'a Value, purpose: &str) -> Option<&'a str> {
    let bodies: Vec<&'a Value> = all(annotation.get("body"));
    let value = |b: &&'a Value| -> Option<&'a str> {
        if b.is_object() {
            b.get("value")?.as_str()
        } else {
            None
        }
    };
    if let Some(v) = bodies
        .iter()
        .filter(|b| has_purpose(b, purpose))
        .find_map(value)
    {
        return Some(v);
    }
    if !has_motivation(annotation, purpose) {
        return None;
    }
    bodies
        .iter()
        .filter(|b| b.get("purpose").is_none())
        .find_map(value)
        .or_else(|| annotation.get("bodyValue").and_then(Value::as_str))
}

/// The span id Spanmark wrote into an IRI `urn:spanmark:<sha>:<annotator>:<kind>:<id>`.
fn own_id(iri: &str, sha: &str, kind: &str) -> Option<SpanId> {
    let rest = iri
        .strip_prefix(URN)?
        .strip_prefix(sha)?
        .strip_prefix(':')?;
    let (_, tail) = rest.split_once(&format!(":{kind}:"))?;
    SpanId::new(decode(tail)?).ok()
}

fn span_of(
    annotation: &Value,
    text: &Text,
    sha: &str,
    converter: &OffsetConverter<'_>,
    options: &ImportOptions,
) -> Result<Span, AnnotationError> {
    let label = textual_body(annotation, "tagging").ok_or(AnnotationError::NoLabel)?;
    let label = Label::new(label)?;
    let targets = all(annotation.get("target"));
    if targets.is_empty() {
        return Err(AnnotationError::NoTarget);
    }
    let mut pieces = Vec::new();
    for target in targets {
        pieces.push(piece_of(target, text, sha, converter, options)?);
    }
    pieces.sort();
    if pieces.windows(2).any(|w| w[0].end() >= w[1].start()) {
        return Err(AnnotationError::TargetsOverlap);
    }
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return Err(AnnotationError::NoTarget);
    };
    let range = CharRange::between(first.start(), last.end());
    let author = creator(annotation).unwrap_or_else(|| options.annotator.clone());
    let time = |key: &str| {
        annotation
            .get(key)
            .and_then(Value::as_str)
            .and_then(|t| Timestamp::parse(t).ok())
    };
    let created = time("created").unwrap_or(options.at);
    let mut span = Span::new(SpanId::numbered(0), label, range, &author, created);
    span.modified = time("modified").unwrap_or(created);
    span.origin = Origin::Imported;
    span.note = textual_body(annotation, "commenting").map(str::to_string);
    if pieces.len() > 1 {
        span.fragments = pieces;
    }
    Ok(span)
}

fn creator(annotation: &Value) -> Option<String> {
    let c = all(annotation.get("creator")).into_iter().next()?;
    match c {
        Value::String(iri) => Some(iri.clone()),
        Value::Object(o) => ["nickname", "name", "id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str))
            .map(str::to_string),
        _ => None,
    }
}

/// The stretch of text one target selects.
fn piece_of(
    target: &Value,
    text: &Text,
    sha: &str,
    converter: &OffsetConverter<'_>,
    options: &ImportOptions,
) -> Result<CharRange, AnnotationError> {
    if target.is_string() {
        return Err(AnnotationError::WholeResource);
    }
    if let Some(source) = target.get("source").and_then(Value::as_str)
        && let Some(other) = source.strip_prefix(URN)
        && other != sha
    {
        return Err(AnnotationError::AnotherText {
            other: source.to_string(),
            sha: sha.to_string(),
        });
    }
    let selectors = all(target.get("selector"));
    if selectors.is_empty() {
        return Err(AnnotationError::NoSelector);
    }
    let mut position = None;
    let mut quote = None;
    for selector in &selectors {
        if selector.get("refinedBy").is_some() {
            return Err(AnnotationError::Refined);
        }
        if has_type(selector, "TextPositionSelector") {
            let n = |k: &str| {
                selector
                    .get(k)
                    .and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok())
            };
            match (n("start"), n("end")) {
                (Some(s), Some(e)) => position = Some((s, e)),
                _ => return Err(AnnotationError::PositionNotNumbers),
            }
        } else if has_type(selector, "TextQuoteSelector") {
            let exact = selector
                .get("exact")
                .and_then(Value::as_str)
                .ok_or(AnnotationError::NoExact)?;
            let context = |k: &str| selector.get(k).and_then(Value::as_str).unwrap_or("");
            quote = Some((exact, context("prefix"), context("suffix")));
        }
    }
    match (position, quote) {
        (Some((s, e)), quote) => {
            if s >= e {
                return Err(AnnotationError::EmptyPosition { start: s, end: e });
            }
            let (Some(cs), Some(ce)) = (converter.to_char(s), converter.to_char(e)) else {
                return Err(AnnotationError::PastTheEnd {
                    start: s,
                    end: e,
                    length: text.len_chars(),
                });
            };
            let range = CharRange::between(cs, ce);
            if let Some((exact, _, _)) = quote {
                let actual = text.slice(range).unwrap_or("");
                if actual != exact {
                    return Err(AnnotationError::QuoteMismatch {
                        start: s,
                        end: e,
                        actual: actual.to_string(),
                        exact: exact.to_string(),
                        utf16: options.offsets != OffsetUnit::Utf16
                            && utf16_would_match(text, s, e, exact),
                    });
                }
            }
            Ok(range)
        }
        (None, Some((exact, prefix, suffix))) => find_quote(text, exact, prefix, suffix),
        (None, None) => Err(AnnotationError::NoTextSelector),
    }
}

/// The one place where `exact` stands between `prefix` and `suffix`.
fn find_quote(
    text: &Text,
    exact: &str,
    prefix: &str,
    suffix: &str,
) -> Result<CharRange, AnnotationError> {
    if exact.is_empty() {
        return Err(AnnotationError::EmptyQuote);
    }
    let s = text.as_str();
    let found: Vec<usize> = s
        .match_indices(exact)
        .map(|(b, _)| b)
        .filter(|&b| s[..b].ends_with(prefix) && s[b + exact.len()..].starts_with(suffix))
        .collect();
    match found[..] {
        [byte] => {
            let start = text
                .char_of_byte(byte)
                .ok_or(AnnotationError::QuoteSplitsCharacter)?;
            CharRange::new(start.0, start.0 + exact.chars().count())
                .ok_or(AnnotationError::QuotePastTheEnd)
        }
        [] => Err(AnnotationError::QuoteNotFound(exact.to_string())),
        _ => Err(AnnotationError::QuoteAmbiguous {
            exact: exact.to_string(),
            times: found.len(),
        }),
    }
}

fn relation_of(
    annotation: &Value,
    by_iri: &HashMap<String, SpanId>,
    sha: &str,
    doc: &Document,
    options: &ImportOptions,
) -> Result<Relation, AnnotationError> {
    let kind = textual_body(annotation, "tagging").ok_or(AnnotationError::NoKind)?;
    let kind = Label::new(kind)?;
    let iri_of = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) if o.get("type").is_none() && o.get("value").is_none() => {
                o.get("id").and_then(Value::as_str).map(str::to_string)
            }
            _ => None,
        }
    };
    let span_of = |iri: &str| {
        by_iri
            .get(iri)
            .cloned()
            .ok_or_else(|| AnnotationError::NotASpan(iri.to_string()))
    };
    let target = all(annotation.get("target"))
        .into_iter()
        .find_map(iri_of)
        .ok_or(AnnotationError::TargetNotALink)?;
    let to = all(annotation.get("body"))
        .into_iter()
        .find_map(iri_of)
        .ok_or(AnnotationError::BodyNotALink)?;
    let (from, to) = (span_of(&target)?, span_of(&to)?);
    let iri = annotation.get("id").and_then(Value::as_str).unwrap_or("");
    let id = own_id(iri, sha, "relation")
        .filter(|id| doc.set().get(id).is_none() && doc.set().relation(id).is_none())
        .unwrap_or_else(|| doc.set().next_id());
    let created = annotation
        .get("created")
        .and_then(Value::as_str)
        .and_then(|t| Timestamp::parse(t).ok())
        .unwrap_or(options.at);
    Ok(Relation {
        id,
        kind,
        from,
        to,
        author: creator(annotation).unwrap_or_else(|| options.annotator.clone()),
        created,
        status: crate::model::Status::Pending,
        note: textual_body(annotation, "commenting").map(str::to_string),
        attrs: Default::default(),
    })
}

impl Reader for super::W3c {
    /// Without the article there is nothing to read the annotations against: the file is
    /// reported, as [`crate::formats::import`] does.
    fn read(&self, path: &Path, article: Option<&str>, options: &ImportOptions) -> ImportReport {
        match article {
            Some(text) => import(path, text, options),
            None => ImportReport {
                documents: Vec::new(),
                problems: vec![Problem::new(
                    ProblemKind::Unreadable,
                    Place::file(path.display().to_string()),
                    format!(
                        "W3C annotations do not hold their text: name the article with --source: {}",
                        path.display()
                    ),
                )],
            },
        }
    }
}
