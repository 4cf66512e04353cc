//! Datasets: which documents and spans go into an export, how documents are split into
//! train/dev/test, and the manifest that records exactly what went where. Pure: the CLI reads
//! and writes, this decides.
//!
//! - **Filters** keep the spans with a given status (`--status accepted`) and label
//!   (`--labels actor,date`), and the documents of given annotators (`--annotator rita`). A
//!   relation goes when either of its spans goes, and when its own status is not kept (a
//!   rejected relation between two accepted spans is not in `--status accepted`); relation
//!   kinds are not labels, so `--labels` leaves relations to their spans. Filtering is a
//!   choice, not a loss: what was left out is counted in the manifest (`filtered_out`).
//! - **Split** (`--split 80,10,10 --seed 7`) works on documents, never on spans, and keeps the
//!   copies of one article (the same `text_sha256`: several annotators' files) in the same
//!   part, so no text leaks from train into test. Articles are ranked by a hash of the seed and
//!   their `text_sha256` (SplitMix64), so the split depends on the seed and the texts only —
//!   the same seed gives the same split whatever order the files are given in. Part sizes are
//!   the weights' shares of the number of articles, rounded by largest remainder.
//! - The **manifest** lists, per part, every document (name, annotator, text and source
//!   hashes, the input file and its hash), the spans per label, the filters, the split and its
//!   seed, what the format could not hold, and the Spanmark version. It holds no clock time, so
//!   the same export gives the same manifest.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use crate::formats::Loss;
use crate::model::{AnnotationSet, Document, Label, SchemaError, Status, suggestion};

/// What to keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Keep spans and relations with one of these statuses (all when empty).
    pub statuses: Vec<Status>,
    /// Keep spans with one of these labels (all when empty).
    pub labels: Vec<Label>,
    /// Keep documents of one of these annotators (all when empty).
    pub annotators: Vec<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.statuses.is_empty() && self.labels.is_empty() && self.annotators.is_empty()
    }

    fn describe(&self) -> Value {
        json!({
            "status": self.statuses.iter().map(Status::as_str).collect::<Vec<_>>(),
            "labels": self.labels.iter().map(Label::as_str).collect::<Vec<_>>(),
            "annotator": self.annotators,
        })
    }
}

/// Why a filter or split given on the command line cannot be read (the message names the
/// option).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("--status: {0:?} is not a status (pending, accepted, rejected)")]
    NotAStatus(String),
    #[error("--labels: {0}")]
    NotALabel(#[from] SchemaError),
    #[error("--split: {0:?} is not a whole number (write e.g. 80,10,10)")]
    NotAWeight(String),
    /// The number of weights given.
    #[error("--split takes two (train,test) or three (train,dev,test) weights, not {0}")]
    Weights(usize),
    #[error("--split: the weights cannot all be 0")]
    AllZero,
}

/// Parses `accepted,pending`.
pub fn parse_statuses(spec: &str) -> Result<Vec<Status>, SpecError> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            Status::ALL
                .into_iter()
                .find(|st| st.as_str() == s)
                .ok_or_else(|| SpecError::NotAStatus(s.to_string()))
        })
        .collect()
}

/// Parses `actor,date`.
pub fn parse_labels(spec: &str) -> Result<Vec<Label>, SpecError> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Ok(Label::new(s)?))
        .collect()
}

/// A document after the filters, with what they took out.
#[derive(Debug, Clone)]
pub struct Filtered {
    pub doc: Document,
    pub spans_out: usize,
    pub relations_out: usize,
    /// Suggestions no one accepted: never exported, whatever the filters (counted apart from
    /// `spans_out`; their relations are in `relations_out`).
    pub suggestions_out: usize,
}

/// `doc` with only the spans and relations the filters keep, and never a suggestion no one
/// accepted; `None` when its annotator is not one of those asked for. Takes the document, so that exporting a corpus holds one copy.
pub fn filter(doc: Document, filters: &Filters) -> Option<Filtered> {
    if !filters.annotators.is_empty() && !filters.annotators.contains(&doc.annotator) {
        return None;
    }
    let status_kept =
        |status: Status| filters.statuses.is_empty() || filters.statuses.contains(&status);
    let keep = |status: Status, label: &Label| {
        status_kept(status) && (filters.labels.is_empty() || filters.labels.contains(label))
    };
    let set = doc.set();
    if set
        .spans()
        .all(|s| keep(s.status, &s.label) && !suggestion::is_pending(s))
        && set.relations().all(|r| status_kept(r.status))
    {
        return Some(Filtered {
            doc,
            spans_out: 0,
            relations_out: 0,
            suggestions_out: 0,
        });
    }
    let mut kept = AnnotationSet::new(Arc::clone(doc.text()));
    let mut spans_out = 0;
    let mut suggestions_out = 0;
    for span in set.spans() {
        if suggestion::is_pending(span) {
            suggestions_out += 1;
            continue;
        }
        if keep(span.status, &span.label) && kept.insert(span.clone()).is_ok() {
            continue;
        }
        spans_out += 1;
    }
    let mut relations_out = 0;
    // A relation goes with either of its spans, and by its own status as a span does.
    for relation in set.relations() {
        if !status_kept(relation.status) || kept.insert_relation(relation.clone()).is_err() {
            relations_out += 1;
        }
    }
    // The history keeps the hashes it was read with: an export never makes a chain look whole.
    // Orphans are not exported, and the copy is written in the current file version.
    let mut out = doc.with_set(kept);
    out.orphans = Default::default();
    out.file_version = None;
    Some(Filtered {
        doc: out,
        spans_out,
        relations_out,
        suggestions_out,
    })
}

/// `--split 80,10,10 --seed N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub weights: Vec<u32>,
    pub seed: u64,
}

impl Split {
    /// Two weights (train, test) or three (train, dev, test), not all zero.
    pub fn parse(spec: &str, seed: u64) -> Result<Self, SpecError> {
        let weights: Vec<u32> = spec
            .split(',')
            .map(|w| {
                w.trim()
                    .parse::<u32>()
                    .map_err(|_| SpecError::NotAWeight(w.to_string()))
            })
            .collect::<Result<_, _>>()?;
        if !(2..=3).contains(&weights.len()) {
            return Err(SpecError::Weights(weights.len()));
        }
        if weights.iter().all(|&w| w == 0) {
            return Err(SpecError::AllZero);
        }
        Ok(Self { weights, seed })
    }

    /// `train`, `dev`, `test` (or `train`, `test`).
    pub fn part_names(&self) -> &'static [&'static str] {
        if self.weights.len() == 2 {
            &["train", "test"]
        } else {
            &["train", "dev", "test"]
        }
    }

    /// The part of each document, given each document's `text_sha256`: documents with the same
    /// text share a part; the result does not depend on the order of `shas`.
    pub fn assign(&self, shas: &[String]) -> Vec<usize> {
        let mut texts: Vec<&String> = shas.iter().collect();
        texts.sort();
        texts.dedup();
        texts.sort_by_key(|sha| (rank(self.seed, sha), *sha));
        let sizes = part_sizes(&self.weights, texts.len());
        let mut part_of: BTreeMap<&String, usize> = BTreeMap::new();
        let mut next = 0;
        for (part, size) in sizes.iter().enumerate() {
            for sha in &texts[next..next + size] {
                part_of.insert(sha, part);
            }
            next += size;
        }
        shas.iter()
            .map(|sha| part_of.get(sha).copied().unwrap_or(0))
            .collect()
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a well-mixed 64-bit hash of a 64-bit input.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Where a text lands in the shuffled order for `seed`.
fn rank(seed: u64, sha: &str) -> u64 {
    // The text's hash, folded to 64 bits eight bytes at a time.
    let mut h = splitmix64(seed);
    for chunk in sha.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = splitmix64(h ^ u64::from_le_bytes(word));
    }
    h
}

/// `n` split by `weights`, rounded by largest remainder (ties to the earlier part).
fn part_sizes(weights: &[u32], n: usize) -> Vec<usize> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if total == 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<(usize, u64)> = weights
        .iter()
        .map(|&w| {
            let scaled = n as u64 * u64::from(w);
            ((scaled / total) as usize, scaled % total)
        })
        .collect();
    let mut sizes: Vec<usize> = exact.iter().map(|(floor, _)| *floor).collect();
    let mut left = n - sizes.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(exact[i].1), i));
    for i in order {
        if left == 0 {
            break;
        }
        if weights[i] > 0 {
            sizes[i] += 1;
            left -= 1;
        }
    }
    sizes
}

/// What the manifest says of one document, kept in its stead while an export streams.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentSummary {
    pub name: String,
    pub annotator: String,
    pub text_sha256: String,
    pub source_sha256: Option<String>,
    pub spans: usize,
    pub relations: usize,
    pub spans_per_label: BTreeMap<String, usize>,
    /// Suggestions no one accepted, left out of the export.
    pub suggestions_out: usize,
}

impl DocumentSummary {
    pub fn of(doc: &Document) -> Self {
        let mut counted: BTreeMap<&str, usize> = BTreeMap::new();
        for span in doc.set().spans() {
            *counted.entry(span.label.as_str()).or_default() += 1;
        }
        let spans_per_label = counted
            .into_iter()
            .map(|(label, n)| (label.to_string(), n))
            .collect();
        Self {
            name: doc.source.name.clone(),
            annotator: doc.annotator.clone(),
            text_sha256: doc.text().sha256_hex().to_string(),
            source_sha256: doc.source.sha256.clone(),
            spans: doc.set().len(),
            relations: doc.set().relations().count(),
            spans_per_label,
            suggestions_out: 0,
        }
    }
}

/// One document as the manifest lists it.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub doc: &'a DocumentSummary,
    /// The annotation file it was read from, as given.
    pub input: String,
    /// SHA-256 of that file's bytes.
    pub input_sha256: String,
}

/// One output of the export: a file (`train.jsonl`) or a folder of per-document files.
#[derive(Debug, Clone)]
pub struct Part<'a> {
    /// `train`, `dev`, `test`; `None` without a split.
    pub name: Option<&'static str>,
    /// Where it was written, relative to the manifest.
    pub path: String,
    /// SHA-256 of the file written (dataset formats).
    pub sha256: Option<String>,
    pub entries: Vec<Entry<'a>>,
}

/// Everything the manifest records.
#[derive(Debug, Clone)]
pub struct Manifest<'a> {
    pub format: &'static str,
    pub offsets: &'static str,
    pub filters: &'a Filters,
    pub split: Option<&'a Split>,
    pub parts: Vec<Part<'a>>,
    /// Documents, spans and relations the filters left out.
    pub filtered_out: (usize, usize, usize),
    pub loss: &'a Loss,
}

impl Manifest<'_> {
    /// The manifest as pretty JSON with a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut totals = Counts::default();
        let parts: Vec<PartOut> = self
            .parts
            .iter()
            .map(|part| {
                let mut counts = Counts::default();
                let files = part
                    .entries
                    .iter()
                    .map(|e| {
                        counts.add(e.doc);
                        FileOut {
                            annotator: &e.doc.annotator,
                            input: &e.input,
                            input_sha256: &e.input_sha256,
                            name: &e.doc.name,
                            relations: e.doc.relations,
                            source_sha256: e.doc.source_sha256.as_deref(),
                            spans: e.doc.spans,
                            text_sha256: &e.doc.text_sha256,
                        }
                    })
                    .collect();
                totals.merge(&counts);
                PartOut {
                    documents: part.entries.len(),
                    files,
                    name: part.name,
                    path: &part.path,
                    relations: counts.relations,
                    sha256: part.sha256.as_deref(),
                    spans: counts.spans,
                    spans_per_label: counts.per_label,
                }
            })
            .collect();
        let (documents, spans, relations) = self.filtered_out;
        let manifest = ManifestOut {
            documents: totals.documents,
            filtered_out: FilteredOut {
                documents,
                relations,
                spans,
            },
            filters: self.filters.describe(),
            format: self.format,
            not_held_by_the_format: &self.loss.counts,
            offsets: self.offsets,
            parts,
            relations: totals.relations,
            spanmark_version: env!("CARGO_PKG_VERSION"),
            spans: totals.spans,
            spans_per_label: totals.per_label,
            suggestions_left_out: (totals.suggestions > 0).then_some(totals.suggestions),
            split: self.split.map(|s| {
                json!({
                    "weights": s.weights,
                    "parts": s.part_names(),
                    "seed": s.seed,
                    "by": "document text (text_sha256); copies of one article stay together",
                })
            }),
        };
        let mut out = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        out.push(b'\n');
        out
    }
}

// The manifest's JSON. The fields of each struct are in alphabetical order: the manifest was
// first written from `json!` objects, whose keys come out sorted, and its bytes stay the same.
// (Serialising structs instead of building a tree of values is what keeps a manifest of
// 10,000 files cheap.)

#[derive(Serialize)]
struct ManifestOut<'a> {
    documents: usize,
    filtered_out: FilteredOut,
    filters: Value,
    format: &'a str,
    not_held_by_the_format: &'a BTreeMap<&'static str, usize>,
    offsets: &'a str,
    parts: Vec<PartOut<'a>>,
    relations: usize,
    spanmark_version: &'static str,
    spans: usize,
    spans_per_label: BTreeMap<String, usize>,
    split: Option<Value>,
    /// Written only when there were any, so exports without suggestions keep their bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestions_left_out: Option<usize>,
}

#[derive(Serialize)]
struct FilteredOut {
    documents: usize,
    relations: usize,
    spans: usize,
}

#[derive(Serialize)]
struct PartOut<'a> {
    documents: usize,
    files: Vec<FileOut<'a>>,
    name: Option<&'a str>,
    path: &'a str,
    relations: usize,
    sha256: Option<&'a str>,
    spans: usize,
    spans_per_label: BTreeMap<String, usize>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    annotator: &'a str,
    input: &'a str,
    input_sha256: &'a str,
    name: &'a str,
    relations: usize,
    source_sha256: Option<&'a str>,
    spans: usize,
    text_sha256: &'a str,
}

#[derive(Debug, Default)]
struct Counts {
    documents: usize,
    suggestions: usize,
    spans: usize,
    relations: usize,
    per_label: BTreeMap<String, usize>,
}

impl Counts {
    fn add(&mut self, doc: &DocumentSummary) {
        self.documents += 1;
        self.suggestions += doc.suggestions_out;
        self.spans += doc.spans;
        self.relations += doc.relations;
        for (label, n) in &doc.spans_per_label {
            *self.per_label.entry(label.clone()).or_default() += n;
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.documents += other.documents;
        self.suggestions += other.suggestions;
        self.spans += other.spans;
        self.relations += other.relations;
        for (label, n) in &other.per_label {
            *self.per_label.entry(label.clone()).or_default() += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::marked::marked;
    use crate::model::{Edit, Relation, Schema, Source, SpanId, Text, Timestamp};

    /// Every relation of a filtered document still has both its spans.
    fn relations_hold(doc: &Document) -> bool {
        let has = |id: &SpanId| doc.set().get(id).is_some();
        doc.set().relations().all(|r| has(&r.from) && has(&r.to))
    }

    fn doc(annotator: &str, markup: &str) -> Document {
        let (text, spans) = marked(markup);
        let mut d = Document::new(
            Source::default(),
            Text::new(text),
            annotator,
            Schema::default(),
        );
        for s in spans {
            d.apply(&Edit::add(s), annotator, Timestamp::from_unix(0))
                .unwrap();
        }
        d
    }

    fn accept(d: &mut Document, id: &str) {
        let id = SpanId::new(id).unwrap();
        let edit =
            Edit::set_status(d.set(), &id, Status::Accepted, Timestamp::from_unix(1)).unwrap();
        d.apply(&edit, "rev", Timestamp::from_unix(1)).unwrap();
    }

    #[test]
    fn a_filtered_copy_keeps_the_hashes_it_was_read_with() {
        use crate::store::native;
        let d = doc("rita", "[Lavrov]{actor} said on [Monday]{date}");
        let bytes = String::from_utf8(native::to_bytes(&d)).unwrap();
        // Edited outside Spanmark: the chain no longer fits at history[1].
        let tampered = bytes.replacen(
            "\"who\": \"rita\", \"action\": \"add\", \"target\": \"s2\"",
            "\"who\": \"eve\", \"action\": \"add\", \"target\": \"s2\"",
            1,
        );
        assert_ne!(tampered, bytes);
        let path = std::path::Path::new("a.spanmark.json");
        let read = native::from_bytes(path, tampered.as_bytes()).unwrap().doc;
        let f = Filters {
            labels: parse_labels("actor").unwrap(),
            ..Filters::default()
        };
        let out = filter(read, &f).unwrap();
        let v = native::chain::verify_bytes(path, &native::to_bytes(&out.doc)).unwrap();
        assert_eq!(v.findings[0].entry, Some(1), "{:?}", v.findings);
        assert!(
            v.findings[0].message.starts_with("its hash does not fit"),
            "{:?}",
            v.findings
        );
    }

    #[test]
    fn filters_keep_spans_by_status_and_label_and_documents_by_annotator() {
        let mut d = doc("rita", "[[Lavrov]{actor} said on [Monday]{date}]{claim}");
        accept(&mut d, "s2");
        accept(&mut d, "s3");
        let rel = Relation {
            id: SpanId::new("r1").unwrap(),
            kind: Label::new("when").unwrap(),
            from: SpanId::new("s1").unwrap(),
            to: SpanId::new("s3").unwrap(),
            author: "rita".into(),
            created: Timestamp::from_unix(0),
            status: crate::model::Status::Pending,
            note: None,
            attrs: Default::default(),
        };
        d.apply(&Edit::AddRelation(rel), "rita", Timestamp::from_unix(0))
            .unwrap();
        let f = Filters {
            statuses: parse_statuses("accepted").unwrap(),
            ..Filters::default()
        };
        let out = filter(d.clone(), &f).unwrap();
        let labels: Vec<&str> = out.doc.set().spans().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["actor", "date"]);
        assert_eq!((out.spans_out, out.relations_out), (1, 1));
        assert!(relations_hold(&out.doc));
        let f = Filters {
            labels: parse_labels("date, claim").unwrap(),
            ..Filters::default()
        };
        let out = filter(d.clone(), &f).unwrap();
        assert_eq!(out.doc.set().len(), 2);
        assert_eq!(out.doc.set().relations().count(), 1);
        let f = Filters {
            annotators: vec!["bob".into()],
            ..Filters::default()
        };
        assert!(filter(d.clone(), &f).is_none());
        assert!(
            parse_statuses("done")
                .unwrap_err()
                .to_string()
                .contains("pending, accepted, rejected")
        );
        assert_eq!(filter(d.clone(), &Filters::default()).unwrap().doc, d);
    }

    #[test]
    fn a_relation_goes_by_its_own_status_as_well_as_with_its_spans() {
        let mut d = doc(
            "rita",
            "[Lavrov]{actor} [said]{action} on [Monday]{date} [NATO lied]{claim}",
        );
        for id in ["s1", "s2", "s3", "s4"] {
            accept(&mut d, id);
        }
        let link = |id: &str, kind: &str, from: &str, to: &str, status: Status| {
            let mut r = Relation::new(
                SpanId::new(id).unwrap(),
                Label::new(kind).unwrap(),
                SpanId::new(from).unwrap(),
                SpanId::new(to).unwrap(),
                "rita",
                Timestamp::from_unix(0),
            );
            r.status = status;
            Edit::AddRelation(r)
        };
        for edit in [
            link("r1", "source", "s4", "s1", Status::Accepted),
            link("r2", "cue", "s4", "s2", Status::Rejected),
            link("r3", "time", "s4", "s3", Status::Pending),
        ] {
            d.apply(&edit, "rita", Timestamp::from_unix(0)).unwrap();
        }
        let kept = |f: &Filters, d: &Document| {
            let out = filter(d.clone(), f).unwrap();
            let ids: Vec<String> = out
                .doc
                .set()
                .relations()
                .map(|r| r.id.to_string())
                .collect();
            (ids, out.spans_out, out.relations_out)
        };
        let accepted = Filters {
            statuses: parse_statuses("accepted").unwrap(),
            ..Filters::default()
        };
        // Every span is accepted: only the relations' own statuses decide.
        assert_eq!(kept(&accepted, &d), (vec!["r1".to_string()], 0, 2));
        let not_rejected = Filters {
            statuses: parse_statuses("accepted,pending").unwrap(),
            ..Filters::default()
        };
        assert_eq!(
            kept(&not_rejected, &d),
            (vec!["r1".to_string(), "r3".to_string()], 0, 1)
        );
        // A relation whose end is filtered out goes too, whatever its status.
        let no_actor = Filters {
            labels: parse_labels("action,date,claim").unwrap(),
            ..accepted.clone()
        };
        assert_eq!(kept(&no_actor, &d), (Vec::<String>::new(), 1, 3));
        // No filter keeps every relation, rejected ones too.
        assert_eq!(kept(&Filters::default(), &d).0.len(), 3);
    }

    fn shas(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| crate::store::hash::sha256_hex(format!("text {i}").as_bytes()))
            .collect()
    }

    #[test]
    fn the_split_depends_on_the_seed_and_the_texts_only() {
        let split = Split::parse("80,10,10", 7).unwrap();
        let texts = shas(50);
        let parts = split.assign(&texts);
        let count = |p: usize| parts.iter().filter(|&&x| x == p).count();
        assert_eq!((count(0), count(1), count(2)), (40, 5, 5));
        // Any order gives each text the same part.
        let mut reversed = texts.clone();
        reversed.reverse();
        let again = split.assign(&reversed);
        for (i, sha) in reversed.iter().enumerate() {
            let j = texts.iter().position(|t| t == sha).unwrap();
            assert_eq!(again[i], parts[j]);
        }
        // Copies of one text go together.
        let mut with_copy = texts.clone();
        with_copy.push(texts[3].clone());
        let p = split.assign(&with_copy);
        assert_eq!(p[50], p[3]);
        // Another seed, another split.
        assert_ne!(Split::parse("80,10,10", 8).unwrap().assign(&texts), parts);
    }

    #[test]
    fn split_sizes_and_bad_specs() {
        assert_eq!(part_sizes(&[80, 10, 10], 3), [3, 0, 0]);
        assert_eq!(part_sizes(&[80, 10, 10], 7), [5, 1, 1]);
        assert_eq!(part_sizes(&[1, 1], 5), [3, 2]);
        assert_eq!(part_sizes(&[0, 1, 0], 4), [0, 4, 0]);
        assert_eq!(part_sizes(&[90, 0, 10], 1), [1, 0, 0]);
        assert!(Split::parse("80,20", 0).unwrap().part_names() == ["train", "test"]);
        assert!(Split::parse("80", 0).is_err());
        assert!(Split::parse("80,x,10", 0).is_err());
        assert!(Split::parse("0,0", 0).is_err());
        assert!(Split::parse("1,2,3,4", 0).is_err());
    }

    #[test]
    fn the_manifest_says_what_went_where() {
        let d = doc(
            "rita",
            "[Lavrov]{actor} on [Monday]{date} and [Putin]{actor}",
        );
        let filters = Filters {
            labels: vec![Label::new("actor").unwrap()],
            ..Filters::default()
        };
        let split = Split::parse("50,50", 3).unwrap();
        let mut loss = Loss::default();
        loss.add("relations", 2);
        let summary = DocumentSummary::of(&d);
        let manifest = Manifest {
            format: "conll",
            offsets: "unicode-scalar",
            filters: &filters,
            split: Some(&split),
            parts: vec![Part {
                name: Some("train"),
                path: "train.conll".into(),
                sha256: Some("ab".into()),
                entries: vec![Entry {
                    doc: &summary,
                    input: "ws/a.txt.spanmark.json".into(),
                    input_sha256: "cd".into(),
                }],
            }],
            filtered_out: (1, 2, 0),
            loss: &loss,
        };
        let v: Value = serde_json::from_slice(&manifest.to_bytes()).unwrap();
        assert_eq!(v["spanmark_version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(v["spans_per_label"], json!({"actor": 2, "date": 1}));
        assert_eq!(v["filters"]["labels"], json!(["actor"]));
        assert_eq!(v["split"]["seed"], 3);
        assert_eq!(v["filtered_out"]["spans"], 2);
        assert_eq!(v["not_held_by_the_format"]["relations"], 2);
        let file = &v["parts"][0]["files"][0];
        assert_eq!(file["input"], "ws/a.txt.spanmark.json");
        assert_eq!(file["text_sha256"], d.text().sha256_hex());
        assert_eq!(v["parts"][0]["sha256"], "ab");
        assert_eq!(manifest.to_bytes(), manifest.to_bytes());
    }
}
