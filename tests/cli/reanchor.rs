//! `spanmark reanchor FILE --source ARTICLE` and `spanmark validate FILE --source ARTICLE`:
//! source drift, end to end.

use super::*;

const ARTICLE: &str = "Russian Foreign Minister Sergey Lavrov said on Monday that the mission would close.\nNATO said the alliance regretted the steps taken by Moscow.\nOfficials in Brussels declined to comment further on the matter.\n";

/// Imports ARTICLE with spans on Lavrov, Monday, the NATO claim and Brussels into `ws/`.
fn annotated(sb: &Sandbox) -> &'static str {
    import_records(
        sb,
        &[record(
            "news.txt",
            ARTICLE,
            &[
                (32, 38, "actor", "Lavrov"),
                (47, 53, "date", "Monday"),
                (
                    94,
                    142,
                    "claim",
                    "the alliance regretted the steps taken by Moscow",
                ),
                (157, 165, "actor", "Brussels"),
            ],
        )],
        "rita",
    );
    "ws/news.txt.spanmark.json"
}

/// `(label, text)` of the spans in a native file, and the ids of its orphans.
fn texts(native: &Value) -> (Vec<(String, String)>, Vec<String>) {
    let spans = spans(native)
        .into_iter()
        .map(|(_, _, l, t)| (l, t))
        .collect();
    let orphans = native["orphans"]["spans"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| o["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    (spans, orphans)
}

#[test]
fn drift_is_reported_by_validate_and_fixed_by_reanchor() {
    let sb = Sandbox::new();
    let file = annotated(&sb);
    // Same text: no drift.
    sb.run(&["validate", file, "--source", "ws/news.txt"])
        .code(0)
        .stdout_has(&["ok: 4 spans"]);
    // The article gains a headline and switches to CRLF.
    let new = format!("UPDATED\r\n\r\n{}", ARTICLE.replace('\n', "\r\n"));
    sb.write("ws/news.txt", &new);
    let run = sb.run(&["validate", file, "--source", "ws/news.txt"]);
    run.code(1).stderr_has(&[
        "the article has changed",
        "spanmark reanchor ws/news.txt.spanmark.json --source ws/news.txt",
        "news.txt.spanmark.json",
    ]);
    assert!(!run.stdout.contains("ok:"), "{run}");

    let run = sb.run(&[
        "reanchor",
        file,
        "--source",
        "ws/news.txt",
        "--annotator",
        "bot",
    ]);
    run.code(0).stdout_has(&[
        "s1 actor: moved 32..38 → 43..49 \"Lavrov\"",
        "s3 claim: moved",
        "re-anchored 4 spans onto ws/news.txt: 0 unchanged, 4 moved, 0 fuzzy, 0 orphaned",
    ]);
    assert!(run.stderr.is_empty(), "{run}");
    assert_eq!(
        sb.read_string("ws/news.txt"),
        new,
        "the article is never written"
    );
    let native = sb.json(file);
    assert_eq!(native["document"]["text"], json!(new));
    assert_eq!(
        spans(&native)[0],
        span(43, 49, "actor", "Lavrov"),
        "CRLF counts two: 'UPDATED\\r\\n\\r\\n' is 11"
    );
    let history = native["history"].as_array().unwrap();
    let reanchors: Vec<_> = history
        .iter()
        .filter(|e| e["action"] == "reanchor")
        .collect();
    assert_eq!(reanchors.len(), 4);
    assert_eq!(reanchors[0]["who"], "bot");
    sb.run(&["validate", file, "--source", "ws/news.txt"])
        .code(0);
    // Again: nothing to do, nothing written.
    let before = std::fs::metadata(sb.join(file))
        .unwrap()
        .modified()
        .unwrap();
    let bytes = sb.read(file);
    sb.run(&["reanchor", file])
        .code(0)
        .stdout_has(&["nothing to do"]);
    assert_eq!(sb.read(file), bytes);
    assert_eq!(
        std::fs::metadata(sb.join(file))
            .unwrap()
            .modified()
            .unwrap(),
        before
    );
}

#[test]
fn fuzzy_and_orphaned_spans_exit_1_and_are_kept() {
    let sb = Sandbox::new();
    let file = annotated(&sb);
    let new = "Russian Foreign Minister Sergey Lavrov said that the mission would close.\nNATO said the alliance deeply regretted the steps taken by Moscow.\n";
    sb.write("ws/news.txt", new);
    let run = sb.run(&["reanchor", file]);
    run.code(1)
        .stdout_has(&[
            "s2 date: orphaned 47..53 \"Monday\":",
            "s3 claim: fuzzy 94..142 → ",
            "(7 edits)",
            "s4 actor: orphaned",
            "1 unchanged, 0 moved, 1 fuzzy, 2 orphaned",
        ])
        .stderr_has(&["3 spans need review", "news.txt.spanmark.json"]);
    let native = sb.json(file);
    let (spans, orphans) = texts(&native);
    assert_eq!(
        spans,
        [
            ("actor".into(), "Lavrov".into()),
            (
                "claim".into(),
                "the alliance deeply regretted the steps taken by Moscow".into()
            ),
        ]
    );
    assert_eq!(orphans, ["s2", "s4"]);
    assert_eq!(native["orphans"]["spans"][0]["text"], "Monday");
    assert_eq!(native["spans"][1]["status"], "pending");
    // The file is valid, with a warning about its orphans.
    sb.run(&["validate", file, "--source", "ws/news.txt"])
        .code(0)
        .stderr_has(&["2 orphaned spans (s2, s4)"]);
    // The old text comes back: the orphans are found again.
    sb.write("ws/news.txt", ARTICLE);
    let run = sb.run(&["reanchor", file]);
    run.code(1).stdout_has(&[
        "s2 date: moved (was orphaned)",
        "s4 actor: moved (was orphaned)",
    ]);
    let (_, orphans) = texts(&sb.json(file));
    assert!(orphans.is_empty());
}

#[test]
fn dry_run_writes_nothing() {
    let sb = Sandbox::new();
    let file = annotated(&sb);
    sb.write("ws/news.txt", format!("Headline.\n{ARTICLE}"));
    let bytes = sb.read(file);
    sb.run(&["reanchor", file, "--dry-run"])
        .code(0)
        .stdout_has(&["would re-anchor 4 spans"]);
    assert_eq!(sb.read(file), bytes);
}

#[test]
fn bad_inputs_are_refused_and_nothing_is_written() {
    let sb = Sandbox::new();
    let file = annotated(&sb);
    let bytes = sb.read(file);
    sb.run(&["reanchor", file, "--source", "missing.txt"])
        .code(2)
        .stderr_has(&["missing.txt"]);
    sb.write("bin.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    sb.run(&["reanchor", file, "--source", "bin.txt"])
        .code(1)
        .stderr_has(&["binary", "bin.txt"]);
    sb.write("empty.txt", b"");
    sb.run(&["reanchor", file, "--source", "empty.txt"])
        .code(1)
        .stderr_has(&["empty article", "empty.txt"]);
    sb.run(&["reanchor", file, "--source", file])
        .code(2)
        .stderr_has(&["not an annotation file"]);
    sb.run(&["reanchor", "nothing.spanmark.json"])
        .code(2)
        .stderr_has(&["nothing.spanmark.json"]);
    sb.write("lonely.txt.spanmark.json", &bytes);
    sb.run(&["reanchor", "lonely.txt.spanmark.json"])
        .code(2)
        .stderr_has(&["--source", "lonely.txt.spanmark.json"]);
    sb.run(&["validate", file, "--source", "bin.txt"])
        .code(1)
        .stderr_has(&["bin.txt"]);
    assert_eq!(sb.read(file), bytes);
    // An invalid annotation file: a data problem, named.
    sb.write(
        "broken.txt.spanmark.json",
        "{\"format\": \"spanmark\", \"version\": 1",
    );
    sb.run(&[
        "reanchor",
        "broken.txt.spanmark.json",
        "--source",
        "ws/news.txt",
    ])
    .code(1)
    .stderr_has(&["broken.txt.spanmark.json"]);
}

#[test]
fn an_export_says_it_cannot_hold_orphans() {
    let sb = Sandbox::new();
    let file = annotated(&sb);
    sb.write(
        "ws/news.txt",
        "Russian Foreign Minister Sergey Lavrov spoke.\n",
    );
    sb.run(&["reanchor", file]).code(1);
    sb.run(&["export", "--to", "jsonl", file, "--out", "out.jsonl"])
        .code(1)
        .stderr_has(&["orphaned spans", "nothing written"]);
    assert!(!sb.exists("out.jsonl"));
    sb.run(&[
        "export",
        "--to",
        "jsonl",
        file,
        "--out",
        "out.jsonl",
        "--allow-loss",
    ])
    .code(0)
    .stderr_has(&["orphaned spans"]);
    // The native format holds them.
    sb.run(&["export", "--to", "native", file, "--out", "backup"])
        .code(0);
    assert_eq!(
        sb.json("backup/news.txt.spanmark.json")["orphans"],
        sb.json(file)["orphans"]
    );
}
