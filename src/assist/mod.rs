//! Suggestions: spans proposed by a program for a person to accept or reject. Pure functions
//! over a document's text and spans, with no egui and no I/O, so the GUI can run them off the
//! UI thread and the CLI in a batch.
//!
//! - [`command`]: any model run as a program, one JSON line per document each way.
//! - [`dates`]: English dates with their ISO 8601 values.
//! - [`gazetteer`]: INCEpTION gazetteer lists (text TAB label).
//! - [`matcher`]: many strings found at once at word boundaries, leftmost-longest.
//! - [`patterns`]: spaCy / Prodigy match patterns (JSONL).
//! - [`propagate`]: a labelled string proposed at its other occurrences.
//! - [`suggest`]: proposals made suggestion spans; accepting and rejecting them.
pub mod command;
pub mod dates;
pub mod gazetteer;
pub mod matcher;
pub mod patterns;
pub mod propagate;
pub mod suggest;
