//! The list of formats: one entry each, in the order everything lists them. Adding a format is
//! one entry here (and its folder under `formats/`).

use super::{Can, Entry, Holds, Reading, Setting, Writing};
use crate::formats::{brat, conll, csv, doccano, frames, jsonl, label_studio, w3c};

/// The formats, in the order the CLI's help, the export dialog and the README list them: the
/// dataset formats first, then those written as files per document, then what only `store/`
/// reads.
pub static FORMATS: [Entry; 10] = [
    Entry {
        name: "jsonl",
        title: "JSONL (spaCy-style)",
        reading_help: r#"spaCy/Prodigy JSONL: {"text", "spans": [{"start", "end", "label"}], "meta": {"name"}}"#,
        writing_help: "spaCy/Prodigy JSONL, one document per line",
        reading: Reading::Files {
            reader: &jsonl::Jsonl,
            extensions: &["jsonl", "ndjson"],
            needs_article: false,
        },
        writing: Writing::Dataset {
            writer: &jsonl::Jsonl,
            extension: "jsonl",
        },
        holds: Holds {
            nested: Can::Hold,
            discontinuous: Can::Lose,
            relations: Can::Partly(
                "Prodigy's `rel.manual`, pointing at the document's Prodigy tokens or at tokens \
                 written for it",
            ),
            notes: Can::Hold,
            attributes: Can::Hold,
            status: Can::Omit,
        },
        settings: &[],
        keeps: "spaCy's and Prodigy's records: spans with `note` and `attrs`; Prodigy's `tokens` (with `token_start`/`token_end`, \
                **inclusive**), `answer` (on import: accept → spans accepted, reject → rejected), \
                `meta`, `_input_hash`, `_task_hash` and every other field; a document with \
                relations and no tokens gets `tokens` from the CoNLL tokenisation, a document \
                imported with tokens (CoNLL) gets those",
    },
    Entry {
        name: "doccano",
        title: "doccano (JSONL)",
        reading_help: r#"doccano JSONL: {"text", "label": [[start, end, "L"]]} or {"text", "entities", "relations"}"#,
        writing_help: "doccano JSONL, one document per line",
        reading: Reading::Files {
            reader: &doccano::Doccano,
            extensions: &["jsonl", "ndjson", "json"],
            needs_article: false,
        },
        writing: Writing::Dataset {
            writer: &doccano::Doccano,
            extension: "jsonl",
        },
        holds: Holds {
            nested: Can::Hold,
            discontinuous: Can::Lose,
            relations: Can::Partly(
                "in the `entities` form (chosen when any document has relations)",
            ),
            notes: Can::Lose,
            attributes: Can::Partly(
                "in the `entities` form (`attrs` on each entity); counted in the `label` form",
            ),
            status: Can::Omit,
        },
        settings: &[Setting::Offsets, Setting::DoccanoForm],
        keeps: "`label: [[s, e, \"L\"]]` and `entities`/`relations` forms; doccano 1.x \
                `annotations` (one document per user, label ids as label names); renamed \
                columns; every other field (`id`, `meta`, categories…)",
    },
    Entry {
        name: "label-studio",
        title: "Label Studio (JSON tasks)",
        reading_help: "Label Studio's JSON export: a list of tasks with annotations and predictions",
        writing_help: "Label Studio JSON tasks",
        reading: Reading::Files {
            reader: &label_studio::LabelStudio,
            extensions: &["json"],
            needs_article: false,
        },
        writing: Writing::Grouped {
            writer: &label_studio::LabelStudio,
            extension: "json",
        },
        holds: Holds {
            nested: Can::Hold,
            discontinuous: Can::Lose,
            relations: Can::Hold,
            notes: Can::Hold,
            attributes: Can::Hold,
            status: Can::Omit,
        },
        settings: &[
            Setting::Offsets,
            Setting::LabelStudioNames,
            Setting::LabelStudioAs,
        ],
        keeps: "tasks with `annotations` (one document each, annotator = `completed_by`) and \
                `predictions` (pending suggestions, origin `suggested`, attrs `agent` = \
                `ls:<model_version>`, `score`, `ls.prediction` = model version; left out of \
                exports until someone accepts them); `labels` and `paragraphlabels` regions; relations with \
                `direction` and `labels` (not their notes and attributes: counted); region ids; \
                `from_name`/`to_name`; per-region `choices` as span attributes (written back for \
                the closed sets and flags the label defines); every other field and result \
                (choices, rectangles…); \
                written as Label Studio's JSON export writes tasks (integer task and annotation \
                `id`s, `completed_by`, times; see below), or with `--ls-as predictions` as \
                pre-annotations",
    },
    Entry {
        name: "conll",
        title: "CoNLL (BIO tags)",
        reading_help: "CoNLL token-per-line files, the tag in the last column (IOB1, IOB2, IOBES)",
        writing_help: "CoNLL, one token per line, IOB2 tags",
        reading: Reading::Files {
            reader: &conll::Conll,
            extensions: &["conll", "iob", "iob2", "bio", "tsv"],
            needs_article: false,
        },
        writing: Writing::Dataset {
            writer: &conll::Conll,
            extension: "conll",
        },
        holds: Holds {
            nested: Can::Lose,
            discontinuous: Can::Lose,
            relations: Can::Lose,
            notes: Can::Lose,
            attributes: Can::Lose,
            status: Can::Omit,
        },
        settings: &[],
        keeps: "tokens, one tag each (read as IOB1, IOB2 or IOBES, written as IOB2); an \
                imported file's own tokens, sentence breaks and middle columns (CoNLL-2003's POS \
                and chunk) are written back, TAB-separated, while the text is unchanged (a token \
                a span cuts is split and counted); of overlapping spans the outer one is \
                written; spans off token boundaries are counted",
    },
    Entry {
        name: "csv",
        title: "CSV (one row per span)",
        reading_help: "",
        writing_help: "CSV, one row per span",
        reading: Reading::Nothing,
        writing: Writing::Dataset {
            writer: &csv::Csv,
            extension: "csv",
        },
        holds: Holds {
            nested: Can::Hold,
            discontinuous: Can::Lose,
            relations: Can::Lose,
            notes: Can::Hold,
            attributes: Can::Hold,
            status: Can::Hold,
        },
        settings: &[],
        keeps: "one row per span: `document,span_id,label,start,end,text,status,author,note`, \
                one column per attribute the schema defines (`category,iso,quote`, known before \
                the first row) and `attrs`, the span's other attributes as a JSON object; a \
                discontinuous span is written as its whole stretch (counted)",
    },
    Entry {
        name: "frames",
        title: "Frames (JSONL, one line per claim or event)",
        reading_help: "",
        writing_help: "frames as JSONL: a line per claim (content, source, cue, time) and per event \
                       (trigger, agent, target, time), offsets in Unicode scalar values",
        reading: Reading::Nothing,
        writing: Writing::Dataset {
            writer: &frames::Frames,
            extension: "jsonl",
        },
        holds: Holds {
            nested: Can::Hold,
            discontinuous: Can::Lose,
            relations: Can::Partly(
                "the roles of frames (a claim's `source`, `cue`, `time`; an event's `agent`, \
                 `target`, `time`)",
            ),
            notes: Can::Omit,
            attributes: Can::Omit,
            status: Can::Omit,
        },
        settings: &[],
        keeps: "one line per `claim` span (`content`, `source`, `cue`, `time`) and per `action` \
                span that is not a claim's cue (`trigger`, `agent`, `target`, `time`), each with \
                the document's `name`, `annotator` and `text_sha256`; a span is `{id, start, \
                end, text, label}` (offsets in Unicode scalar values), a date also its `iso` \
                attribute; spans in no frame are not written; a discontinuous span is written as \
                its whole stretch (counted)",
    },
    Entry {
        name: "brat",
        title: "brat standoff (a folder)",
        reading_help: "brat standoff: NAME.ann beside NAME.txt (give the .ann files or their folder)",
        writing_help: "brat standoff, NAME.txt and NAME.ann per document",
        reading: Reading::Files {
            reader: &brat::Brat,
            extensions: &["ann"],
            needs_article: false,
        },
        writing: Writing::PerDocument(&brat::Brat),
        holds: Holds {
            nested: Can::Hold,
            discontinuous: Can::Hold,
            relations: Can::Hold,
            notes: Can::Hold,
            attributes: Can::Partly("values without spaces; others are counted"),
            status: Can::Omit,
        },
        settings: &[],
        keeps: "the `.txt` beside each `.ann`; T (with fragments `0 5;16 23`), R, E, A/M, N, `#` \
                notes, `*` equivalences, ids; line breaks in notes are written as spaces \
                (counted); authors and times are not written",
    },
    Entry {
        name: "w3c",
        title: "W3C Web Annotation (a folder)",
        reading_help: "W3C Web Annotations (JSON-LD) about the article named by --source",
        writing_help: "W3C Web Annotation collections, NAME.jsonld per document",
        reading: Reading::Files {
            reader: &w3c::W3c,
            extensions: &["jsonld", "json"],
            needs_article: true,
        },
        writing: Writing::PerDocument(&w3c::W3c),
        holds: Holds {
            nested: Can::Hold,
            discontinuous: Can::Hold,
            relations: Can::Hold,
            notes: Can::Hold,
            attributes: Can::Lose,
            status: Can::Omit,
        },
        settings: &[],
        keeps: "spans as `Annotation`s with `TextQuoteSelector` + `TextPositionSelector`, label \
                as tagging `TextualBody`, notes, `creator`/`created`, discontinuous spans (one \
                target per piece), relations (`linking`); relation attributes are counted too",
    },
    Entry {
        name: "native",
        title: "Spanmark native (a folder)",
        reading_help: "Spanmark annotation files (copied into --out with their articles)",
        writing_help: "Spanmark annotation files, one per document",
        reading: Reading::Native,
        writing: Writing::Native,
        holds: Holds {
            nested: Can::Hold,
            discontinuous: Can::Hold,
            relations: Can::Hold,
            notes: Can::Hold,
            attributes: Can::Hold,
            status: Can::Hold,
        },
        settings: &[],
        keeps: "everything: also origin, authors, times, history and orphaned spans",
    },
    Entry {
        name: "text",
        title: "plain text",
        reading_help: "Articles with no annotations yet (.txt, .md, .html)",
        writing_help: "",
        reading: Reading::Articles,
        writing: Writing::Nothing,
        holds: Holds {
            nested: Can::Omit,
            discontinuous: Can::Omit,
            relations: Can::Omit,
            notes: Can::Omit,
            attributes: Can::Omit,
            status: Can::Omit,
        },
        settings: &[],
        keeps: "the article's text: `.txt` (any common encoding), `.md`, `.html`; no spans",
    },
];
