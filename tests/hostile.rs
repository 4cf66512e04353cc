//! Hostile and broken input, thrown at every reader: annotation files, each import format,
//! articles. What users and attackers really bring — empty files, binary files, truncated JSON,
//! JSON nested 100,000 deep, a 20 MB line, invalid UTF-8, UTF-16 without a byte order mark, NUL
//! bytes, offsets past the end or reversed, quoted text that contradicts the offsets, duplicate
//! ids, unknown labels, a file from a future version, names with `../`, absolute paths and
//! reserved device names.
//!
//! Each case runs the real `spanmark` binary and checks the guarantees:
//! - a clear message that names the file (and the line or span where it helps);
//! - the right exit code (1: the data has problems; 2: the command could not run);
//! - no panic, no death by a signal (checked on every run by `util::Sandbox::run`);
//! - no partial output: what is in `--out` afterwards is only whole documents (an article and an
//!   annotation file that loads, validates and gives the same text), never a temporary file,
//!   and nothing at all is written outside `--out`;
//! - no change to any input: every file that was there has the same bytes and time after.
//!
//! `bytes.rs` adds, per reader, a property test that arbitrary bytes never panic (the fuzz
//! targets in `fuzz/` do the same at length).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

#[path = "hostile/articles.rs"]
mod articles;
#[path = "hostile/bytes.rs"]
mod bytes;
#[path = "hostile/imports.rs"]
mod imports;
#[path = "hostile/native.rs"]
mod native;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use util::{Run, Sandbox};

/// The largest stderr a case may print: a message quotes what is wrong, never a whole file.
const MAX_STDERR: usize = 64 * 1024;

/// Bytes that are no format at all, each with a name for messages.
fn garbage() -> Vec<(&'static str, Vec<u8>)> {
    let json = r#"{"text": "Lavrov said on Monday", "spans": []}"#;
    vec![
        ("empty", Vec::new()),
        ("whitespace", b"  \n\r\n\t \n".to_vec()),
        (
            "png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec(),
        ),
        ("all-bytes", (0..=255u8).cycle().take(4096).collect()),
        ("truncated-json", json.as_bytes()[..30].to_vec()),
        ("deep-array", deep("[", "]", 100_000)),
        ("deep-object", deep("{\"a\":", "}", 100_000)),
        (
            "invalid-utf8",
            b"{\"text\": \"caf\xe9 \xff\xfe Lavrov\", \"spans\": []}\n".to_vec(),
        ),
        ("utf16le-no-bom", utf16(json, false)),
        ("utf16be-no-bom", utf16(json, true)),
        (
            "nul-bytes",
            b"{\"text\": \"Lav\0rov said\", \"spans\": []}\n".to_vec(),
        ),
    ]
}

/// `open` × depth, then `close` × depth (with a `1` between for objects).
fn deep(open: &str, close: &str, depth: usize) -> Vec<u8> {
    let middle = if open.starts_with('{') { "1" } else { "" };
    format!("{}{middle}{}", open.repeat(depth), close.repeat(depth)).into_bytes()
}

fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
    s.encode_utf16()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

/// A 20 MB line with no newline: the start of a JSON string that never ends.
fn huge_line() -> Vec<u8> {
    let mut out = b"{\"text\": \"".to_vec();
    out.resize(20 << 20, b'a');
    out
}

/// Every file in the sandbox with its bytes and modification time.
struct Before(BTreeMap<String, (Vec<u8>, SystemTime)>);

impl Before {
    fn take(sb: &Sandbox) -> Self {
        Self(
            sb.files()
                .into_iter()
                .map(|rel| {
                    let path = sb.join(&rel);
                    let time = std::fs::metadata(&path).unwrap().modified().unwrap();
                    (rel, (std::fs::read(&path).unwrap(), time))
                })
                .collect(),
        )
    }

    /// Every file that was there is unchanged, and new files are only under `out`.
    fn check(&self, sb: &Sandbox, out: Option<&str>, run: &Run) {
        for (rel, (bytes, time)) in &self.0 {
            let path = sb.join(rel);
            let now = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("input {rel} is gone ({e}):\n{run}"));
            assert!(now == *bytes, "input {rel} was changed:\n{run}");
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            assert_eq!(modified, *time, "input {rel} was touched:\n{run}");
        }
        for rel in sb.files() {
            let inside_out = out.is_some_and(|o| rel.starts_with(&format!("{o}/")));
            assert!(
                self.0.contains_key(&rel) || inside_out,
                "{rel} was written outside --out:\n{run}"
            );
        }
    }
}

/// What is in `out`: no temporary files, and only whole documents — each annotation file
/// loads and validates, and the article beside it (when there is one) gives its text.
/// Returns the annotation files.
fn check_output(sb: &Sandbox, out: &str, run: &Run) -> Vec<String> {
    if !sb.exists(out) {
        return Vec::new();
    }
    let mut natives = Vec::new();
    for rel in sb
        .files()
        .into_iter()
        .filter(|f| f.starts_with(&format!("{out}/")))
    {
        let name = rel.rsplit('/').next().unwrap_or("");
        assert!(
            !name.ends_with(".tmp"),
            "a temporary file was left: {rel}\n{run}"
        );
        if !spanmark::store::native::is_native_path(Path::new(&rel)) {
            continue;
        }
        let loaded = spanmark::store::native::load(&sb.join(&rel))
            .unwrap_or_else(|e| panic!("{rel} does not load: {e}\n{run}"));
        if let Some(article) = spanmark::store::native::article_beside(&sb.join(&rel))
            && article.is_file()
        {
            let read = spanmark::store::article::read_article(&article)
                .unwrap_or_else(|e| panic!("the article of {rel} does not read: {e}\n{run}"));
            assert_eq!(
                read.text,
                loaded.doc.text().as_str(),
                "the article beside {rel} gives another text\n{run}"
            );
        }
        natives.push(rel);
    }
    natives
}

/// Runs `spanmark ARGS` and checks every guarantee: exit `code`, each of `needles` in
/// stderr, stderr bounded, inputs untouched, only whole documents in `out`.
fn hostile(sb: &Sandbox, args: &[&str], code: i32, needles: &[&str], out: Option<&str>) -> Run {
    let before = Before::take(sb);
    let run = sb.run(args);
    assert!(
        run.stderr.len() <= MAX_STDERR,
        "spanmark {}: stderr is {} bytes (messages must quote, not dump); it starts:\n{}",
        args.join(" "),
        run.stderr.len(),
        run.stderr.chars().take(2000).collect::<String>()
    );
    run.code(code).stderr_has(needles);
    before.check(sb, out, &run);
    if let Some(out) = out {
        check_output(sb, out, &run);
    }
    run
}
