//! Annotation files (`.spanmark.json`): garbage through every command that reads them, and
//! valid files broken one field at a time.

use serde_json::{Value, json};

use super::*;

const TEXT: &str =
    "Russian Foreign Minister Sergey Lavrov said on Monday 👍🏽 that the mission would close.";

/// A valid annotation file `ws/news.txt.spanmark.json` (with `ws/news.txt`), made by the
/// binary itself; returns its JSON.
fn valid(sb: &Sandbox) -> Value {
    sb.write_jsonl(
        "in.jsonl",
        &[json!({
            "text": TEXT,
            "spans": [
                {"start": 32, "end": 38, "label": "actor", "text": "Lavrov"},
                {"start": 47, "end": 53, "label": "date", "text": "Monday"},
            ],
            "meta": {"name": "news.txt"},
        })],
    );
    sb.run(&["import", "--from", "jsonl", "in.jsonl", "--out", "ws"])
        .code(0);
    std::fs::remove_file(sb.join("in.jsonl")).unwrap();
    sb.json(FILE)
}

const FILE: &str = "ws/news.txt.spanmark.json";

/// Every command that reads an annotation file, on `file`: (args, expected exit code).
fn readers(file: &str) -> Vec<(Vec<String>, i32)> {
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        (args(&["validate", file]), 1),
        (args(&["stats", file]), 1),
        (
            args(&["export", "--to", "jsonl", file, "--out", "out/x.jsonl"]),
            1,
        ),
        (args(&["export", "--to", "native", file, "--out", "out"]), 1),
        (
            args(&["import", "--from", "native", file, "--out", "out"]),
            1,
        ),
        (args(&["log", file]), 1),
        (args(&["reanchor", file, "--source", "article.txt"]), 1),
    ]
}

#[test]
fn garbage_annotation_files_are_refused_by_every_command() {
    let sb = Sandbox::new();
    sb.write("article.txt", TEXT);
    for (name, bytes) in garbage() {
        let file = format!("{name}.txt.spanmark.json");
        sb.write(&file, &bytes);
        for (args, code) in readers(&file) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = hostile(&sb, &args, code, &[&file], Some("out"));
            assert!(
                !run.stdout.contains("ok:"),
                "{name}: a broken file is not ok\n{run}"
            );
            assert!(
                check_output(&sb, "out", &run).is_empty(),
                "{name}: nothing is written for a broken file\n{run}"
            );
        }
        std::fs::remove_file(sb.join(&file)).unwrap();
    }
}

#[test]
fn a_20_mb_line_is_refused_quickly_and_briefly() {
    let sb = Sandbox::new();
    sb.write("huge.txt.spanmark.json", huge_line());
    hostile(
        &sb,
        &["validate", "huge.txt.spanmark.json"],
        1,
        &["huge.txt.spanmark.json", "line 1"],
        None,
    );
    hostile(
        &sb,
        &[
            "import",
            "--from",
            "native",
            "huge.txt.spanmark.json",
            "--out",
            "out",
        ],
        1,
        &["huge.txt.spanmark.json"],
        Some("out"),
    );
}

#[test]
fn a_20_mb_article_in_an_annotation_file_is_fine() {
    let sb = Sandbox::new();
    let mut native = valid(&sb);
    let big = format!("{TEXT} {}", "word ".repeat(4 << 20));
    native["document"]["text"] = json!(big);
    native["document"]["text_sha256"] = json!(spanmark::store::hash::sha256_hex(big.as_bytes()));
    // The context of the last span now runs into the new words.
    native["spans"][1]["suffix"] = json!(big.chars().skip(53).take(32).collect::<String>());
    sb.write_json(FILE, &native);
    hostile(&sb, &["validate", FILE], 0, &[], None);
}

/// Writes `native` changed by `change` and validates it: exit 1, naming the file and each
/// of `needles`.
fn broken(sb: &Sandbox, native: &Value, change: impl FnOnce(&mut Value), needles: &[&str]) -> Run {
    let mut v = native.clone();
    change(&mut v);
    sb.write_json(FILE, &v);
    let mut all = vec!["news.txt.spanmark.json"];
    all.extend_from_slice(needles);
    let run = hostile(sb, &["validate", FILE], 1, &all, None);
    assert!(!run.stdout.contains("ok:"), "{run}");
    run
}

#[test]
fn every_broken_field_is_named() {
    let sb = Sandbox::new();
    let native = valid(&sb);
    // Offsets past the end, reversed, inside an emoji's grapheme cluster.
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["end"] = json!(10_000),
        &["span s1", "past the end"],
    );
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["end"] = json!(u64::MAX),
        &["span s1"],
    );
    broken(
        &sb,
        &native,
        |v| {
            v["spans"][0]["start"] = json!(38);
            v["spans"][0]["end"] = json!(32);
        },
        &["span s1", "reversed"],
    );
    broken(
        &sb,
        &native,
        |v| {
            v["spans"][1]["start"] = json!(55);
            v["spans"][1]["end"] = json!(60);
        },
        &["span s2", "grapheme"],
    );
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["start"] = json!(-1),
        &["line"],
    );
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["start"] = json!(1e30),
        &["line"],
    );
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["start"] = json!("0"),
        &["line"],
    );
    // Quoted text and context that contradict the offsets.
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["text"] = json!("Putin"),
        &["span s1", "\"Putin\"", "\"Lavrov\""],
    );
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["prefix"] = json!("something else"),
        &["span s1", "prefix"],
    );
    // Duplicate ids, between spans and between a span and a relation.
    broken(
        &sb,
        &native,
        |v| v["spans"][1]["id"] = json!("s1"),
        &["s1", "twice"],
    );
    broken(
        &sb,
        &native,
        |v| {
            v["relations"] = json!([{"id": "s1", "kind": "agent", "from": "s1", "to": "s2",
                "author": "a", "created": "2026-01-01T00:00:00Z"}]);
        },
        &["s1", "twice"],
    );
    broken(
        &sb,
        &native,
        |v| {
            v["relations"] = json!([{"id": "r1", "kind": "agent", "from": "s1", "to": "s9",
                "author": "a", "created": "2026-01-01T00:00:00Z"}]);
        },
        &["r1", "s9"],
    );
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["id"] = json!("a b"),
        &["\"a b\""],
    );
    broken(&sb, &native, |v| v["spans"][0]["id"] = json!(""), &["span"]);
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["created"] = json!("Monday"),
        &["span s1", "created", "Monday"],
    );
    // The file as a whole.
    broken(
        &sb,
        &native,
        |v| v["version"] = json!(99),
        &["newer", "version 99"],
    );
    broken(&sb, &native, |v| v["version"] = json!(0), &["version"]);
    broken(&sb, &native, |v| v["version"] = json!("1"), &["version"]);
    broken(
        &sb,
        &native,
        |v| v["format"] = json!("doccano"),
        &["not a Spanmark"],
    );
    broken(
        &sb,
        &native,
        |v| v["offsets"] = json!("utf16"),
        &["offsets"],
    );
    broken(
        &sb,
        &native,
        |v| v["document"]["text_sha256"] = json!("0".repeat(64)),
        &["text_sha256"],
    );
    broken(&sb, &native, |v| v["surprise"] = json!(1), &["surprise"]);
    broken(&sb, &native, |v| v["spans"] = json!({}), &["line"]);
    broken(&sb, &native, |v| *v = json!([native.clone()]), &["array"]);
    broken(&sb, &native, |v| *v = json!("spanmark"), &["a string"]);
    broken(&sb, &native, |v| *v = Value::Null, &["format"]);
    broken(
        &sb,
        &native,
        |v| v["spans"][0]["attrs"] = json!({"deep": deep_value(200)}),
        &["line"],
    );
}

/// A JSON value nested `depth` arrays deep (past serde_json's limit of 128).
fn deep_value(depth: usize) -> Value {
    let mut v = json!([]);
    for _ in 0..depth {
        v = json!([v]);
    }
    v
}

#[test]
fn a_future_version_is_refused_before_anything_else_is_read() {
    let sb = Sandbox::new();
    sb.write(
        FILE,
        r#"{"format": "spanmark", "version": 7, "offsets": "unicode-scalar",
            "spans": "a field this build has never heard of", "hologram": true}"#,
    );
    for (args, code) in readers(FILE) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = hostile(&sb, &args, code, &["newer", FILE], Some("out"));
        assert!(!run.stderr.contains("hologram"), "{run}");
    }
}

#[test]
fn unknown_labels_are_kept_with_a_warning() {
    let sb = Sandbox::new();
    let mut native = valid(&sb);
    native["spans"][0]["label"] = json!("ORG");
    sb.write_json(FILE, &native);
    let run = hostile(
        &sb,
        &["validate", FILE],
        0,
        &["warning", "span s1", "\"ORG\"", "kept", FILE],
        None,
    );
    run.stdout_has(&["ok: 2 spans"]);
    // Through an export and back, the span is still there.
    hostile(
        &sb,
        &["export", "--to", "native", FILE, "--out", "out"],
        0,
        &[],
        Some("out"),
    );
    let copy = sb.json("out/news.txt.spanmark.json");
    assert_eq!(copy["spans"][0]["label"], "ORG");
    hostile(
        &sb,
        &["export", "--to", "jsonl", FILE, "--out", "out/all.jsonl"],
        0,
        &[],
        Some("out"),
    );
    assert!(sb.read_string("out/all.jsonl").contains("\"ORG\""));
}

#[test]
fn names_from_annotation_files_never_leave_the_output_folder() {
    let sb = Sandbox::new();
    let native = valid(&sb);
    let names = [
        "../../evil.txt",
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        "CON",
        "nul.txt",
        "COM1.tar.gz",
        "..",
        "a\u{0}b.txt",
        ".hidden",
        "",
    ];
    for (i, name) in names.iter().enumerate() {
        let mut v = native.clone();
        v["document"]["name"] = json!(name);
        v["document"]["source_path"] = json!(name);
        sb.write_json(&format!("in/{i}.txt.spanmark.json"), &v);
    }
    std::fs::remove_dir_all(sb.join("ws")).unwrap();
    let run = hostile(
        &sb,
        &["import", "--from", "native", "in", "--out", "out"],
        0,
        &[],
        Some("out"),
    );
    let written = check_output(&sb, "out", &run);
    assert_eq!(written.len(), names.len(), "{run}");
    for file in sb.names_in("out") {
        let stem = file.split('.').next().unwrap_or("").to_ascii_uppercase();
        assert!(
            !["CON", "NUL", "COM1", "PRN", "AUX"].contains(&stem.as_str()),
            "reserved device name written: {file}"
        );
        assert!(
            !file.starts_with('.'),
            "hidden or relative name written: {file}"
        );
        assert!(!file.contains('\0') && !file.contains('\\'), "{file:?}");
    }
}
