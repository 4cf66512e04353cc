//! End-to-end tests of the command line: the real `spanmark` binary, run in a temporary folder
//! on inputs written by each test. They check what the user sees (exit status, messages that
//! name the file, line and span) and what is on disk afterwards (offsets, bytes).
//!
//! Exit status: 0 success, 1 the data has problems, 2 the command could not run.

// Test code: a failed unwrap is a failed test (clippy allows it in `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

// The tests, one file per command. `#[path]` because cargo would build a file directly in
// `tests/` as a test binary of its own.
#[path = "cli/adjudicate.rs"]
mod adjudicate;
#[path = "cli/agree.rs"]
mod agree;
#[path = "cli/datasets.rs"]
mod datasets;
#[path = "cli/export.rs"]
mod export;
#[path = "cli/export_frames.rs"]
mod export_frames;
#[path = "cli/export_golden.rs"]
mod export_golden;
#[path = "cli/import_jsonl.rs"]
mod import_jsonl;
#[path = "cli/import_text.rs"]
mod import_text;
#[path = "cli/interop.rs"]
mod interop;
#[path = "cli/log.rs"]
mod log;
#[path = "cli/project.rs"]
mod project;
#[path = "cli/reanchor.rs"]
mod reanchor;
#[path = "cli/report.rs"]
mod report;
#[path = "cli/stats.rs"]
mod stats;
#[path = "cli/suggest.rs"]
mod suggest;
#[path = "cli/usage.rs"]
mod usage;
#[path = "cli/validate.rs"]
mod validate;
#[path = "cli/verify.rs"]
mod verify;

use serde_json::{Value, json};
use util::Sandbox;

/// `(start, end, label, text)` of every span in a native file, in file order.
fn spans(native: &Value) -> Vec<(u64, u64, String, String)> {
    native["spans"]
        .as_array()
        .expect("spans is a list")
        .iter()
        .map(|s| {
            (
                s["start"].as_u64().unwrap(),
                s["end"].as_u64().unwrap(),
                s["label"].as_str().unwrap().to_string(),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn span(start: u64, end: u64, label: &str, text: &str) -> (u64, u64, String, String) {
    (start, end, label.to_string(), text.to_string())
}

/// A JSONL record with spans given as `(start, end, label, text)`.
fn record(name: &str, text: &str, spans: &[(u64, u64, &str, &str)]) -> Value {
    json!({
        "text": text,
        "spans": spans
            .iter()
            .map(|(s, e, l, t)| json!({"start": s, "end": e, "label": l, "text": t}))
            .collect::<Vec<_>>(),
        "meta": {"name": name},
    })
}

/// JSON nested `depth` arrays deep.
fn deep_json(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// Imports `lines` from `in.jsonl` into `ws` as `annotator`; the import must succeed.
fn import_records(sb: &Sandbox, lines: &[Value], annotator: &str) {
    sb.write_jsonl("in.jsonl", lines);
    sb.run(&[
        "import",
        "--from",
        "jsonl",
        "in.jsonl",
        "--out",
        "ws",
        "--annotator",
        annotator,
    ])
    .code(0);
}

/// `Café naïve “quoted” …` in windows-1252: é = E9, ï = EF, “ = 93, ” = 94.
const WINDOWS_1252: &[u8] = b"Caf\xe9 na\xefve \x93quoted\x94 text in windows-1252, long enough for the detector to be sure.\r\n";
