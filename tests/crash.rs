//! Crash safety: a process writing an annotation file is killed (SIGKILL on Unix) at random
//! moments, hundreds of times, and the file is never found truncated or corrupt.
//!
//! The writer is a real command: `spanmark import --from jsonl … --overwrite` of a large
//! document into a folder that already holds a complete annotation file for it. Two versions
//! of the document alternate (annotator `a` with one set of spans, `b` with another), so after
//! every kill the target must load and validate as one of the two, whole. Stray temporary files
//! (`.NAME.*.tmp`) may be left by a kill; they must never be taken for an annotation file.
//!
//! Delays are drawn from a seeded generator (the seed is printed, and can be set with
//! `SPANMARK_CRASH_SEED`); the loop stops after 300 kills or 50 seconds, whichever is first.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use spanmark::store::native;
use util::Sandbox;

const TARGET: &str = "out/big.txt.spanmark.json";

/// xorshift64*: enough randomness for delays, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `lo..hi`.
    fn between(&mut self, lo: Duration, hi: Duration) -> Duration {
        let span = (hi - lo).as_micros().max(1) as u64;
        lo + Duration::from_micros(self.next() % span)
    }
}

/// A JSONL file with one large document: ~16 KB of text and a span on every `step`-th word.
fn write_version(sb: &Sandbox, file: &str, step: usize) -> usize {
    let sentence =
        "Russian Foreign Minister Sergey Lavrov said on Monday that the mission would close. ";
    let text = sentence.repeat((16 << 10) / sentence.len());
    let mut spans = Vec::new();
    let mut pos = 0;
    for (i, word) in text.split(' ').enumerate() {
        let len = word.chars().count();
        if i % step == 0 && len > 0 {
            spans.push(json!({"start": pos, "end": pos + len, "label": "claim"}));
        }
        pos += len + 1;
    }
    let n = spans.len();
    sb.write_jsonl(
        file,
        &[json!({"text": text, "spans": spans, "meta": {"name": "big.txt"}})],
    );
    n
}

fn import(sb: &Sandbox, file: &str, who: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_spanmark"));
    cmd.args([
        "import",
        "--from",
        "jsonl",
        file,
        "--out",
        "out",
        "--overwrite",
        "--annotator",
        who,
    ])
    .current_dir(sb.path())
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    cmd
}

/// The target as it is now: it must load and validate, and be one of the two versions whole.
fn check_target(sb: &Sandbox, spans_of: &dyn Fn(&str) -> Option<usize>, after: &str) -> String {
    let path = sb.join(TARGET);
    let loaded = native::load(&path)
        .unwrap_or_else(|e| panic!("after {after}, the annotation file is broken: {e}"));
    let who = loaded.doc.annotator.clone();
    let expected = spans_of(&who)
        .unwrap_or_else(|| panic!("after {after}, the file is by {who:?}, neither version"));
    assert_eq!(
        loaded.doc.set().len(),
        expected,
        "after {after}, version {who} is incomplete"
    );
    who
}

/// When, after the start, a write of the annotation file begins (its temporary file appears)
/// and ends (the target changes), seen by watching the folder during a few full runs.
fn write_window(sb: &Sandbox) -> (Duration, Duration) {
    let target = sb.join(TARGET);
    let (mut first, mut last) = (Duration::MAX, Duration::ZERO);
    for (file, who) in [
        ("a.jsonl", "a"),
        ("b.jsonl", "b"),
        ("a.jsonl", "a"),
        ("b.jsonl", "b"),
    ] {
        let len_before = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
        let started = Instant::now();
        let mut child = import(sb, file, who).spawn().unwrap();
        let (mut tmp_seen, mut renamed) = (None, None);
        while child.try_wait().unwrap().is_none() {
            let now = started.elapsed();
            if tmp_seen.is_none()
                && std::fs::read_dir(sb.join("out"))
                    .unwrap()
                    .filter_map(Result::ok)
                    .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            {
                tmp_seen = Some(now);
            }
            if renamed.is_none()
                && std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0) != len_before
            {
                renamed = Some(now);
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let end = renamed.unwrap_or_else(|| started.elapsed());
        first = first.min(tmp_seen.unwrap_or(end));
        last = last.max(end);
    }
    (first.min(last), last)
}

#[test]
fn killing_a_writer_never_leaves_a_broken_annotation_file() {
    let sb = Sandbox::new();
    let a_spans = write_version(&sb, "a.jsonl", 4);
    let b_spans = write_version(&sb, "b.jsonl", 3);
    let spans_of = |who: &str| match who {
        "a" => Some(a_spans),
        "b" => Some(b_spans),
        _ => None,
    };
    // The complete first version, and how long a full write of the other takes.
    assert!(import(&sb, "a.jsonl", "a").status().unwrap().success());
    let started = Instant::now();
    assert!(import(&sb, "b.jsonl", "b").status().unwrap().success());
    let full = started.elapsed();
    assert_eq!(check_target(&sb, &spans_of, "a full run"), "b");

    let seed = std::env::var("SPANMARK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    let (window_start, window_end) = write_window(&sb);
    eprintln!(
        "crash test: seed {seed}, one full run takes {full:?}, the file is written between \
         {window_start:?} and {window_end:?}"
    );
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(50);
    let (mut kills, mut finished, mut old, mut new) = (0, 0, 0, 0);
    let mut expected_before = "b".to_string();
    while kills < 300 && Instant::now() < deadline {
        let (file, who) = if kills % 2 == 0 {
            ("a.jsonl", "a")
        } else {
            ("b.jsonl", "b")
        };
        // Two kills in three aim at the write (start-up time varies, so they spread around
        // it); the others at any moment of the run.
        let delay = if kills % 3 == 2 {
            rng.between(Duration::ZERO, full + full / 5)
        } else {
            let margin = Duration::from_millis(3);
            rng.between(window_start.saturating_sub(margin), window_end + margin)
        };
        let mut child = import(&sb, file, who).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        kills += 1;
        if status.success() {
            finished += 1;
        }
        let after = format!("kill {kills} at {delay:?} (seed {seed})");
        let found = check_target(&sb, &spans_of, &after);
        if found == who && expected_before != who {
            new += 1;
        } else if found == expected_before {
            old += 1;
        }
        expected_before = found;
    }
    // Stray temporary files are allowed, but nothing takes them for annotation files.
    let names = sb.names_in("out");
    let strays: Vec<&String> = names.iter().filter(|n| n.ends_with(".tmp")).collect();
    for stray in &strays {
        assert!(stray.starts_with('.'), "{stray}");
        assert!(
            !native::is_native_path(Path::new(stray.as_str())),
            "{stray}"
        );
    }
    let natives: Vec<&String> = names
        .iter()
        .filter(|n| native::is_native_path(Path::new(n.as_str())))
        .collect();
    assert_eq!(natives, [&"big.txt.spanmark.json".to_string()]);
    let validate = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["validate", "out"])
        .current_dir(sb.path())
        .output()
        .unwrap();
    assert!(validate.status.success(), "{validate:?}");
    eprintln!(
        "crash test: {kills} kills ({finished} runs finished first): {old} left the old version, \
         {new} the new one, {} temporary files left",
        strays.len()
    );
    assert!(kills >= 150, "only {kills} kills in the time allowed");
    // The kills really did land on both sides of the rename.
    assert!(
        old > 0 && new > 0,
        "old {old}, new {new}: the delays missed the write"
    );
}
