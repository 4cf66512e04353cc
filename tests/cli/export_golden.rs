//! Every export gives the bytes it gave before the export streamed: `export_golden/cases.txt`
//! lists the exports (each format plain, refused for loss, split, filtered; offsets and names;
//! bad inputs), run on the corpus in `export_golden/corpus` (imported from the fixtures, with
//! statuses, notes, attributes, relations, a discontinuous span, emoji, CRLF and two annotators
//! of one article). `export_golden/golden.sha256` holds the SHA-256 of every file each wrote,
//! of its stdout and stderr and of its exit code (`_stdout`, `_stderr`, `_code`), taken from
//! the export that loaded every document first. The manifest's `spanmark_version` is written
//! `VERSION` there, so that a version bump does not change it. When an issue changes an output
//! on purpose, `SPANMARK_BLESS=1` rewrites the digests (see the test).

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use super::*;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/export_golden")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` but the inputs, as `NAME/relative/path`, sorted.
fn outputs(dir: &Path, rel: &str, found: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{rel}/{name}");
        if entry.file_type().unwrap().is_dir() {
            outputs(&entry.path(), &rel, found);
        } else {
            found.push((rel, entry.path()));
        }
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn every_export_gives_the_bytes_it_gave_before_it_streamed() {
    let sb = Sandbox::new();
    let golden = golden_dir();
    let cases = std::fs::read_to_string(golden.join("cases.txt")).unwrap();
    let version = format!("\"spanmark_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    let mut got = Vec::new();
    for line in cases
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut words = line.split_whitespace();
        let name = words.next().unwrap();
        let args: Vec<&str> = words.collect();
        let dir = sb.join(name);
        copy_dir(&golden.join("corpus"), &dir.join("corpus"));
        copy_dir(&golden.join("bad"), &dir.join("bad"));
        let output = Command::new(env!("CARGO_BIN_EXE_spanmark"))
            .arg("export")
            .args(&args)
            .current_dir(&dir)
            .env("USER", "tester")
            .output()
            .unwrap();
        std::fs::remove_dir_all(dir.join("corpus")).unwrap();
        std::fs::remove_dir_all(dir.join("bad")).unwrap();
        let code = format!("{}\n", output.status.code().unwrap_or(-1));
        std::fs::write(dir.join("_code"), code).unwrap();
        std::fs::write(dir.join("_stdout"), &output.stdout).unwrap();
        std::fs::write(dir.join("_stderr"), &output.stderr).unwrap();
        let mut files = Vec::new();
        outputs(&dir, name, &mut files);
        for (rel, path) in files {
            let mut bytes = std::fs::read(&path).unwrap();
            if rel.ends_with("manifest.json") {
                let text = String::from_utf8(bytes).unwrap();
                bytes = text
                    .replace(&version, "\"spanmark_version\": \"VERSION\"")
                    .into_bytes();
            }
            got.push(format!("{}  {rel}", sha256(&bytes)));
        }
    }
    got.sort_by(|a, b| a[66..].cmp(&b[66..]));
    // Outputs changed on purpose: `SPANMARK_BLESS=1 cargo test --test cli export_golden` writes
    // the new digests; the commit says why they changed.
    if std::env::var_os("SPANMARK_BLESS").is_some() {
        let mut text = got.join("\n");
        text.push('\n');
        std::fs::write(golden.join("golden.sha256"), text).unwrap();
    }
    let want: Vec<String> = std::fs::read_to_string(golden.join("golden.sha256"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    // Line by line, so that a failure names the file that changed.
    for line in &want {
        assert!(got.contains(line), "changed or missing: {line}");
    }
    assert_eq!(got, want);
}
