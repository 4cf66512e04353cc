//! Foreign labels mapped onto the schema: `--map ORG=actor,PERSON=actor,DATE=date`.
//!
//! The map is applied in one place, [`apply`], to whatever an importer produced, so every
//! format gets it the same way. A span whose new label would give it the same range and label as
//! another span (`ORG` and `PERSON` on one name, both mapped to `actor`) keeps its old label and
//! is reported: nothing is merged away. Labels the map does not name are kept as they are.

use std::collections::BTreeMap;

use super::{ImportReport, Place, Problem, ProblemKind};
use crate::model::{AuditEntry, Document, Label, SchemaError, Timestamp};

/// Foreign label name → label of the schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelMap {
    pairs: BTreeMap<String, Label>,
}

impl LabelMap {
    /// Parses `FROM=TO` pairs separated by commas (`ORG=actor,PERSON=actor`). Spaces around
    /// names are trimmed; a name mapped twice to different labels is an error.
    pub fn parse(spec: &str) -> Result<Self, MapError> {
        let mut map = Self::default();
        map.extend(spec)?;
        Ok(map)
    }

    /// Adds the pairs of `spec` (see [`LabelMap::parse`]).
    pub fn extend(&mut self, spec: &str) -> Result<(), MapError> {
        for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((from, to)) = pair.split_once('=') else {
                return Err(MapError::NotAPair(pair.to_string()));
            };
            let (from, to) = (from.trim(), to.trim());
            if from.is_empty() {
                return Err(MapError::NoFrom(pair.to_string()));
            }
            let to = Label::new(to).map_err(|source| MapError::BadLabel {
                pair: pair.to_string(),
                source,
            })?;
            match self.pairs.get(from) {
                Some(old) if *old != to => {
                    return Err(MapError::Twice {
                        from: from.to_string(),
                        first: old.clone(),
                        second: to,
                    });
                }
                _ => {
                    self.pairs.insert(from.to_string(), to);
                }
            }
        }
        Ok(())
    }

    pub fn get(&self, from: &str) -> Option<&Label> {
        self.pairs.get(from)
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `ORG=actor,PERSON=actor`, in name order.
    pub fn describe(&self) -> String {
        self.pairs
            .iter()
            .map(|(from, to)| format!("{from}={to}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Why a `--map` specification cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("--map: {0:?} is not of the form FROM=TO")]
    NotAPair(String),
    #[error("--map: {0:?} has no label before '='")]
    NoFrom(String),
    #[error("--map: {pair:?}: {source}")]
    BadLabel { pair: String, source: SchemaError },
    #[error("--map: {from:?} is mapped to both {:?} and {:?}", .first.as_str(), .second.as_str())]
    Twice {
        from: String,
        first: Label,
        second: Label,
    },
}

/// Renames the spans of every document in `report` by `map`, recording one audit entry per
/// document that changed. Spans that cannot be renamed are kept and reported on their document.
pub fn apply(report: &mut ImportReport, map: &LabelMap, who: &str, at: Timestamp) {
    if map.is_empty() {
        return;
    }
    for imported in &mut report.documents {
        if let Some((doc, problems)) = relabel(&imported.doc, map, who, at) {
            imported.doc = doc;
            imported.problems.extend(problems);
        }
    }
}

/// The document with its spans renamed, and the spans that could not be; `None` when the map
/// names none of its labels.
fn relabel(
    doc: &Document,
    map: &LabelMap,
    who: &str,
    at: Timestamp,
) -> Option<(Document, Vec<Problem>)> {
    if !doc
        .set()
        .spans()
        .any(|s| map.get(s.label.as_str()).is_some())
    {
        return None;
    }
    let mut set = doc.set().clone();
    let mut problems = Vec::new();
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for span in doc.set().spans() {
        let Some(to) = map.get(span.label.as_str()) else {
            continue;
        };
        if *to == span.label {
            continue;
        }
        let mut renamed = span.clone();
        renamed.label = to.clone();
        match set.replace(renamed) {
            Ok(_) => {
                *counts
                    .entry((span.label.to_string(), to.to_string()))
                    .or_default() += 1;
            }
            Err(e) => problems.push(Problem::new(
                ProblemKind::Remark,
                Place::file(&doc.source.name).with_span(&span.id),
                format!(
                    "{}: span {} ({} {}): kept as {}, not mapped to {}: {e}",
                    doc.source.name, span.id, span.label, span.range, span.label, to
                ),
            )),
        }
    }
    let mut audit = doc.audit().to_vec();
    if !counts.is_empty() {
        let detail = counts
            .iter()
            .map(|((from, to), n)| format!("{from}→{to} ({n})"))
            .collect::<Vec<_>>()
            .join(", ");
        audit.push(AuditEntry::document(
            at,
            who,
            format!("labels mapped on import: {detail}"),
        ));
    }
    let mut out = Document::from_parts(
        doc.source.clone(),
        doc.annotator.clone(),
        doc.status,
        doc.schema.clone(),
        set,
        audit,
    );
    out.meta = doc.meta.clone();
    super::complete_schema(&mut out);
    Some((out, problems))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::ImportedDocument;
    use crate::model::marked::marked;
    use crate::model::{AnnotationSet, Edit, Schema, Source, Text};

    fn report(markup: &str) -> ImportReport {
        let (text, spans) = marked(markup);
        let mut doc = Document::new(Source::default(), Text::new(text), "imp", Schema::default());
        for span in spans {
            doc.apply(&Edit::add(span), "imp", Timestamp::from_unix(0))
                .unwrap();
        }
        ImportReport {
            documents: vec![ImportedDocument {
                doc,
                problems: Vec::new(),
            }],
            problems: Vec::new(),
        }
    }

    fn labels(set: &AnnotationSet) -> Vec<(String, String)> {
        set.spans()
            .map(|s| (s.range.to_string(), s.label.to_string()))
            .collect()
    }

    #[test]
    fn parses_pairs_and_refuses_nonsense() {
        let map = LabelMap::parse("ORG=actor, PERSON = actor,DATE=date,").unwrap();
        assert_eq!(map.get("PERSON").unwrap().as_str(), "actor");
        assert_eq!(map.describe(), "DATE=date,ORG=actor,PERSON=actor");
        assert!(
            LabelMap::parse("ORG")
                .unwrap_err()
                .to_string()
                .contains("FROM=TO")
        );
        assert!(LabelMap::parse("=actor").is_err());
        assert!(LabelMap::parse("ORG=").is_err());
        assert!(
            LabelMap::parse("ORG=actor,ORG=date")
                .unwrap_err()
                .to_string()
                .contains("both")
        );
        assert!(LabelMap::parse("ORG=actor,ORG=actor").is_ok());
    }

    #[test]
    fn renames_and_keeps_what_would_collide() {
        let mut r =
            report("[[Lavrov]{PERSON}]{ORG} met [Blinken]{PERSON} on [Monday]{DATE} [x]{misc}");
        let map = LabelMap::parse("ORG=actor,PERSON=actor,DATE=date").unwrap();
        apply(&mut r, &map, "imp", Timestamp::from_unix(5));
        let doc = &r.documents[0].doc;
        assert_eq!(
            labels(doc.set()),
            [
                ("0..6".to_string(), "PERSON".to_string()),
                ("0..6".to_string(), "actor".to_string()),
                ("11..18".to_string(), "actor".to_string()),
                ("22..28".to_string(), "date".to_string()),
                ("29..30".to_string(), "misc".to_string()),
            ]
        );
        let problems = &r.documents[0].problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("kept as PERSON"), "{problems:?}");
        let last = doc.audit().last().unwrap();
        assert!(
            last.detail
                .as_deref()
                .unwrap()
                .contains("DATE→date (1), ORG→actor (1), PERSON→actor (1)")
        );
    }

    #[test]
    fn an_empty_map_changes_nothing() {
        let mut r = report("[Lavrov]{PERSON}");
        let before = r.documents[0].doc.clone();
        apply(&mut r, &LabelMap::default(), "imp", Timestamp::from_unix(5));
        apply(
            &mut r,
            &LabelMap::parse("ORG=actor").unwrap(),
            "imp",
            Timestamp::from_unix(5),
        );
        assert_eq!(r.documents[0].doc, before);
    }
}
