//! Spanmark: a workbench for labelling spans in articles, and a headless CLI for pipelines.
//!
//! # Map of the crate
//!
//! ```text
//! model/    pure data and invariants: text + offset index, spans, labels, edits, undo, audit
//! store/    the disk: articles (encodings, .txt/.md/.html), the native file, atomic writes
//! formats/  foreign formats at the border, one folder each (JSONL, doccano, brat, CoNLL,
//!           Label Studio, W3C, CSV) and the registry that lists them; offset units converted
//!           here only
//! export/   exporting a corpus: inputs found, read on every core, filtered, split, written in
//!           one format with a manifest (the CLI's and the GUI's export)
//! review/   comparing annotators: differences, agreement metrics, conflicts, adjudication
//!           into gold
//! report/   one self-contained HTML page of documents and a corpus, for people without the app
//! assist/   suggestions: the date finder (ISO values), propagation, gazetteers, patterns,
//!           a model run as a command; pure, usable off the UI thread
//! cli/      clap definitions and one function per command
//! app/      egui/eframe only (feature `gui`): state changed in one `apply`, one command
//!           table, the article view, panels
//! ```
//!
//! Dependencies point down the list: `app` and `cli` use everything, `export` uses `formats`,
//! `review`, `formats` and `store` use `model` (and `review` reads and writes native files
//! through `store`), `model` uses nothing of ours. Nothing outside `app/` imports egui.
//!
//! # The offset rule
//!
//! Every offset counts **Unicode scalar values** (Rust `char`, Python `str` index), 0-based and
//! end-exclusive, as [`model::CharOffset`] / [`model::CharRange`]. Text is kept exactly as
//! decoded (CRLF is two characters). Byte offsets exist only inside [`model::text`]; foreign
//! units (UTF-16, bytes) are converted in [`formats::offsets`].
//!
//! # Failures
//!
//! Library code returns `thiserror` enums whose messages name the file (at the end) and, where
//! it helps, the line or span id. The CLI reports each problem once, keeps going past bad files
//! and lines, and sets the exit status at the end (0 ok, 1 data problems, 2 could not run).
//! Nothing panics on bad input; every write is atomic; an article is never written.

#[cfg(feature = "gui")]
pub mod app;
pub mod assist;
pub mod cli;
pub mod export;
pub mod formats;
pub mod model;
pub mod progress;
pub mod report;
pub mod review;
pub mod store;

/// The bundled sample article, shown when the GUI starts with no file.
pub const SAMPLE_ARTICLE: &str = include_str!("../sample_docs/russia_nato.txt");
/// The sample article's file name.
pub const SAMPLE_NAME: &str = "russia_nato.txt";
