//! `spanmark git-setup` and `spanmark merge` under real `git merge`: two branches that each add,
//! change and delete different spans merge cleanly into a valid file holding every change; two
//! branches that relabel the same span differently leave the file conflicted in `git status`,
//! valid, with both readings marked for adjudication.

// Test code: a failed unwrap is a failed test (clippy allows it in `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use util::Sandbox;

const NEWS: &str = "Lavrov said on Monday that NATO lied";
const FILE: &str = "ws/news.txt.spanmark.json";

/// Runs git in the sandbox, with the test's `spanmark` first on PATH (the driver
/// `git-setup` configures calls `spanmark`) and no user or system configuration.
fn git(sb: &Sandbox, args: &[&str]) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_spanmark")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new("git")
        .args(args)
        .current_dir(sb.path())
        .env("PATH", path)
        .env("HOME", sb.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("USER", "tester")
        .output()
        .expect("run git")
}

fn git_ok(sb: &Sandbox, args: &[&str]) -> String {
    let out = git(sb, args);
    assert!(
        out.status.success(),
        "git {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A repository with `ws/news.txt` and its annotation file (s1 Lavrov actor, s2 said action,
/// s3 Monday date, s4 NATO actor), the merge driver set up, committed on `main`.
fn repository() -> Sandbox {
    let sb = Sandbox::new();
    git_ok(&sb, &["init", "-q", "-b", "main"]);
    git_ok(&sb, &["config", "user.name", "Test"]);
    git_ok(&sb, &["config", "user.email", "test@example.org"]);
    git_ok(&sb, &["config", "commit.gpgsign", "false"]);
    let record = json!({
        "text": NEWS,
        "spans": [
            {"start": 0, "end": 6, "label": "actor"},
            {"start": 7, "end": 11, "label": "action"},
            {"start": 15, "end": 21, "label": "date"},
            {"start": 27, "end": 31, "label": "actor"},
        ],
        "meta": {"name": "news.txt"},
    });
    sb.write_jsonl("in.jsonl", &[record]);
    sb.run(&[
        "import",
        "--from",
        "jsonl",
        "in.jsonl",
        "--out",
        "ws",
        "--annotator",
        "omar",
    ])
    .code(0);
    assert_eq!(ids(&sb.json(FILE)), ["s1", "s2", "s3", "s4"]);
    let setup = sb.run(&["git-setup"]);
    setup.code(0).stdout_has(&[
        "wrote `*.spanmark.json merge=spanmark`",
        "git config merge.spanmark.driver = \"spanmark merge %O %A %B\"",
    ]);
    // Again: nothing changes, and it says so.
    sb.run(&["git-setup", "."]).code(0).stdout_has(&[
        "already has `*.spanmark.json merge=spanmark`",
        "git config merge.spanmark.driver: already \"spanmark merge %O %A %B\"",
    ]);
    assert_eq!(
        sb.read_string(".gitattributes"),
        "*.spanmark.json merge=spanmark\n"
    );
    git_ok(&sb, &["add", ".gitattributes", "ws"]);
    git_ok(&sb, &["commit", "-q", "-m", "base"]);
    sb
}

fn ids(file: &Value) -> Vec<String> {
    file["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

/// Changes the annotation file as `f` says and commits it on a new branch from main.
fn branch(sb: &Sandbox, name: &str, f: impl FnOnce(&mut Vec<Value>)) {
    git_ok(sb, &["checkout", "-q", "-b", name, "main"]);
    let mut file = sb.json(FILE);
    let mut spans = file["spans"].as_array().unwrap().clone();
    f(&mut spans);
    file["spans"] = Value::Array(spans);
    sb.write(FILE, serde_json::to_string_pretty(&file).unwrap());
    git_ok(sb, &["commit", "-q", "-am", name]);
}

fn span_mut<'a>(spans: &'a mut [Value], id: &str) -> &'a mut Value {
    spans.iter_mut().find(|s| s["id"] == id).unwrap()
}

/// A new span `id` over `start..end`, made like the others.
fn new_span(spans: &[Value], id: &str, label: &str, start: usize, end: usize) -> Value {
    let mut span = spans[0].clone();
    let chars: Vec<char> = NEWS.chars().collect();
    let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    span["id"] = json!(id);
    span["label"] = json!(label);
    span["start"] = json!(start);
    span["end"] = json!(end);
    span["text"] = json!(slice(start, end));
    span["prefix"] = json!(slice(start.saturating_sub(32), start));
    span["suffix"] = json!(slice(end, (end + 32).min(chars.len())));
    span
}

/// `id label start..end` per span.
fn summary(file: &Value) -> Vec<String> {
    file["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!("{} {} {}..{}", s["id"], s["label"], s["start"], s["end"]).replace('"', "")
        })
        .collect()
}

#[test]
fn branches_changing_different_spans_merge_cleanly() {
    let sb = repository();
    branch(&sb, "rita", |spans| {
        span_mut(spans, "s1")["label"] = json!("claim");
        spans.retain(|s| s["id"] != "s4");
        let lied = new_span(spans, "s5", "action", 32, 36);
        spans.push(lied);
    });
    branch(&sb, "sam", |spans| {
        span_mut(spans, "s3")["note"] = json!("a Monday in May");
        spans.retain(|s| s["id"] != "s2");
        // sam's new span is also s5: it is renumbered in the merge.
        let on = new_span(spans, "s5", "action", 12, 14);
        spans.push(on);
    });
    git_ok(&sb, &["checkout", "-q", "rita"]);
    let out = git(&sb, &["merge", "--no-edit", "sam"]);
    assert!(
        out.status.success(),
        "the merge failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        git_ok(&sb, &["status", "--porcelain", "--untracked-files=no"]),
        ""
    );
    let merged = sb.json(FILE);
    assert_eq!(
        summary(&merged),
        [
            "s1 claim 0..6",
            "s6 action 12..14",
            "s3 date 15..21",
            "s5 action 32..36"
        ]
    );
    assert_eq!(merged["spans"][2]["note"], "a Monday in May");
    let history = merged["history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(last["action"], "merge");
    assert_eq!(
        last["detail"],
        "merged: from theirs 1 added, 1 changed, 1 deleted; theirs renumbered s5 → s6; no conflicts"
    );
    sb.run(&["validate", FILE]).code(0);
    // `spanmark log` shows the merge as one line.
    sb.run(&["log", FILE]).code(0).stdout_has(&[
        "merge: merged: from theirs 1 added, 1 changed, 1 deleted; theirs renumbered s5 → s6; no conflicts",
    ]);
}

#[test]
fn git_setup_outside_a_repository_says_so() {
    let sb = Sandbox::new();
    let out = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(sb.path())
        .output()
        .unwrap();
    // (Only meaningful where the temporary folder is not itself inside a repository.)
    if !out.status.success() {
        sb.run(&["git-setup"])
            .code(2)
            .stderr_has(&["not inside a git repository"]);
        assert!(!sb.exists(".gitattributes"));
    }
    sb.run(&["git-setup", "no-such-folder"])
        .code(2)
        .stderr_has(&["no such folder: no-such-folder"]);
}

#[test]
fn the_same_span_relabelled_on_both_branches_is_a_recorded_conflict() {
    let sb = repository();
    branch(&sb, "rita", |spans| {
        span_mut(spans, "s3")["label"] = json!("claim");
    });
    branch(&sb, "sam", |spans| {
        span_mut(spans, "s3")["label"] = json!("actor");
        spans.retain(|s| s["id"] != "s2");
    });
    git_ok(&sb, &["checkout", "-q", "rita"]);
    let out = git(&sb, &["merge", "--no-edit", "sam"]);
    assert!(!out.status.success());
    let status = git_ok(&sb, &["status", "--porcelain"]);
    assert!(
        status.lines().any(|l| l == format!("UU {FILE}")),
        "{status}"
    );
    // The file is whole and valid: the two readings, marked for the adjudication view.
    let merged = sb.json(FILE);
    assert_eq!(
        summary(&merged),
        [
            "s1 actor 0..6",
            "s5 actor 15..21",
            "s3 claim 15..21",
            "s4 actor 27..31"
        ]
    );
    let s3 = &merged["spans"][2];
    assert_eq!(s3["status"], "pending");
    assert_eq!(s3["attrs"]["conflict"], "label");
    assert_eq!(s3["attrs"]["conflict_with"], "s5");
    assert_eq!(merged["spans"][1]["attrs"]["conflict_with"], "s3");
    sb.run(&["validate", FILE]).code(0);
    assert!(!sb.read_string(FILE).contains("<<<<<<<"));
}

#[test]
fn merge_refuses_versions_of_different_articles() {
    let sb = Sandbox::new();
    for (name, text) in [("a", NEWS), ("b", "NATO replied on Tuesday")] {
        sb.write_jsonl(
            &format!("{name}.jsonl"),
            &[json!({"text": text, "spans": [], "meta": {"name": "news.txt"}})],
        );
        sb.run(&[
            "import",
            "--from",
            "jsonl",
            &format!("{name}.jsonl"),
            "--out",
            name,
        ])
        .code(0);
    }
    let (a, b) = ("a/news.txt.spanmark.json", "b/news.txt.spanmark.json");
    let before = sb.read(a);
    sb.run(&["merge", a, a, b])
        .code(2)
        .stderr_has(&["the article text differs", b]);
    assert_eq!(sb.read(a), before);
    // -o writes elsewhere and leaves OURS alone.
    sb.run(&["merge", a, a, a, "-o", "out.spanmark.json"])
        .code(0);
    assert_eq!(sb.read(a), before);
    assert!(sb.exists("out.spanmark.json"));
}
