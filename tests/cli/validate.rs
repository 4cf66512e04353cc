//! `spanmark validate FILE...`, and what every command says about a broken annotation file.

use super::*;

#[test]
fn accepts_native_files_articles_and_folders() {
    let sb = Sandbox::new();
    sb.write("in/a.txt", "Lavrov said on Monday.\n");
    sb.write("in/deeper/b.md", "# NATO\n\nNATO replied.\n");
    sb.run(&["import", "--from", "text", "in", "--out", "ws"])
        .code(0);

    // A native file.
    let run = sb.run(&["validate", "ws/a.txt.spanmark.json"]);
    run.code(0)
        .stdout_has(&["ok: 0 spans, 0 relations:", "a.txt.spanmark.json"]);
    // An article with its native file beside it.
    let run = sb.run(&["validate", "ws/b.md"]);
    run.code(0).stdout_has(&["ok:", "b.md.spanmark.json"]);
    // A folder, searched for native files.
    let run = sb.run(&["validate", "ws"]);
    run.code(0);
    assert_eq!(
        run.stdout.lines().filter(|l| l.starts_with("ok:")).count(),
        2,
        "{run}"
    );
    run.stdout_has(&["2 of 2 files valid"]);
    assert!(run.stderr.is_empty(), "{run}");
}

#[test]
fn reports_every_problem_with_the_file_and_the_span_id() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record(
            "news.txt",
            "Lavrov said on Monday.",
            &[(0, 6, "actor", "Lavrov"), (15, 21, "date", "Monday")],
        )],
        "rita",
    );
    let path = "ws/news.txt.spanmark.json";
    let mut native = sb.json(path);
    // s1 quotes a text its offsets do not give.
    native["spans"][0]["text"] = json!("Putin");
    // s9 runs past the end of the text.
    let mut past = native["spans"][1].clone();
    past["id"] = json!("s9");
    past["end"] = json!(500);
    // s2 a second time.
    let twin = native["spans"][1].clone();
    native["spans"].as_array_mut().unwrap().extend([past, twin]);
    sb.write_json(path, &native);

    let run = sb.run(&["validate", path]);
    run.code(1)
        .stderr_has(&["news.txt.spanmark.json", "3 problems"])
        .stdout_has(&["0 of 1 files valid"]);
    let s1 = run.stderr_lines_with("s1");
    assert!(
        s1.iter()
            .any(|l| l.contains("\"Putin\"") && l.contains("\"Lavrov\"")),
        "{run}"
    );
    assert!(
        run.stderr_lines_with("s9")
            .iter()
            .any(|l| l.contains("500")),
        "{run}"
    );
    assert!(
        run.stderr_lines_with("s2")
            .iter()
            .any(|l| l.contains("twice")),
        "{run}"
    );
    assert!(!run.stdout.contains("ok:"), "{run}");
}

/// A native relation of `kind` from span `from` to span `to`.
fn relation(id: &str, kind: &str, from: &str, to: &str) -> Value {
    json!({"id": id, "kind": kind, "from": from, "to": to, "author": "rita",
           "created": "2026-01-01T00:00:00Z"})
}

#[test]
fn reports_every_relation_whose_ends_break_its_kind() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[
            record(
                "news.txt",
                "Lavrov said on Monday that NATO lied",
                &[
                    (0, 6, "actor", "Lavrov"),
                    (15, 21, "date", "Monday"),
                    (22, 36, "claim", "that NATO lied"),
                ],
            ),
            record(
                "short.txt",
                "NATO replied on Friday",
                &[(0, 4, "actor", "NATO")],
            ),
            record("fine.txt", "NATO replied", &[(0, 4, "actor", "NATO")]),
        ],
        "rita",
    );
    let news = "ws/news.txt.spanmark.json";
    let mut native = sb.json(news);
    native["relations"] = json!([
        // Fits: a claim's source is an actor.
        relation("r1", "source", "s3", "s1"),
        // A source that points at a date.
        relation("r2", "source", "s3", "s2"),
        // Time the wrong way round: from the date to the claim.
        relation("r3", "time", "s2", "s3"),
        // A kind the schema lacks: a warning, not a problem.
        relation("r4", "stance", "s3", "s1"),
    ]);
    sb.write_json(news, &native);
    // An orphaned date (its text no longer found) with an orphaned agent relation from it.
    let short = "ws/short.txt.spanmark.json";
    let mut native = sb.json(short);
    let mut date = native["spans"][0].clone();
    date["id"] = json!("s2");
    date["label"] = json!("date");
    date["start"] = json!(16);
    date["end"] = json!(22);
    date["text"] = json!("Monday");
    native["orphans"] = json!({
        "spans": [date],
        "relations": [relation("r1", "agent", "s2", "s1")],
    });
    sb.write_json(short, &native);

    let run = sb.run(&["validate", "ws"]);
    run.code(1)
        .stdout_has(&["ok:", "fine.txt.spanmark.json", "1 of 3 files valid"])
        .stderr_has(&[
            "2 problems in ws/news.txt.spanmark.json:",
            "1 problem in ws/short.txt.spanmark.json:",
        ]);
    assert_eq!(
        run.stderr_lines_with("relation r2"),
        [
            "  relation r2 (s3 → s2): a relation of kind source goes from claim to actor, not from claim to date"
        ],
        "{run}"
    );
    assert_eq!(
        run.stderr_lines_with("relation r3"),
        [
            "  relation r3 (s2 → s3): a relation of kind time goes from action or claim to date, not from date to claim"
        ],
        "{run}"
    );
    assert_eq!(
        run.stderr_lines_with("orphaned relation r1"),
        [
            "  orphaned relation r1 (s2 → s1): a relation of kind agent goes from action to actor, not from date to actor"
        ],
        "{run}"
    );
    // The fitting relation is not named; the unknown kind is a warning.
    assert!(run.stderr_lines_with("relation r1 (s3").is_empty(), "{run}");
    run.stderr_has(&[
        "warning: relation kind \"stance\" (1 relation) is not in the file's schema (kept)",
    ]);
    assert!(run.stderr_lines_with("r4").is_empty(), "{run}");
    assert!(!run.stdout.contains("news.txt.spanmark.json"), "{run}");
}

#[test]
fn a_missing_file_exits_2_and_still_checks_the_others() {
    let sb = Sandbox::new();
    sb.write("a.txt", "Lavrov said so.");
    sb.run(&["import", "--from", "text", "a.txt", "--out", "ws"])
        .code(0);
    let run = sb.run(&[
        "validate",
        "nowhere.spanmark.json",
        "ws/a.txt.spanmark.json",
    ]);
    run.code(2)
        .stderr_has(&["no such file", "nowhere.spanmark.json"])
        .stdout_has(&["ok:", "a.txt.spanmark.json"]);
}

#[test]
fn goes_on_past_bad_files_and_reports_them_all() {
    let sb = Sandbox::new();
    sb.write("in/b.txt", "NATO replied.");
    sb.run(&["import", "--from", "text", "in", "--out", "ws"])
        .code(0);
    sb.write("ws/a.txt.spanmark.json", "{ not json");
    sb.write("ws/c.txt.spanmark.json", "");
    let run = sb.run(&["validate", "ws"]);
    run.code(1)
        .stderr_has(&["a.txt.spanmark.json", "c.txt.spanmark.json"])
        .stdout_has(&["ok:", "b.txt.spanmark.json", "1 of 3 files valid"]);
}

#[test]
fn an_article_without_annotations_names_it() {
    let sb = Sandbox::new();
    sb.write("lonely.txt", "Nobody labelled this.");
    let run = sb.run(&["validate", "lonely.txt"]);
    run.code(1)
        .stderr_has(&["lonely.txt", "lonely.txt.spanmark.json"]);
}

#[test]
fn bad_native_files_get_a_clear_message_naming_them() {
    let sb = Sandbox::new();
    sb.write("a.txt", "Lavrov said so.");
    sb.run(&["import", "--from", "text", "a.txt", "--out", "ws"])
        .code(0);
    let good = sb.read_string("ws/a.txt.spanmark.json");
    assert!(good.contains("\"version\": 2,"));

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "garbage.txt.spanmark.json",
            b"{ this is not json".to_vec(),
            "not valid JSON",
        ),
        (
            "deep.txt.spanmark.json",
            deep_json(100_000).into_bytes(),
            "not a Spanmark annotation file",
        ),
        (
            "deep-inside.txt.spanmark.json",
            format!(
                "{{\"format\": \"spanmark\", \"version\": 1, \"document\": {}}}",
                deep_json(100_000)
            )
            .into_bytes(),
            "not valid JSON",
        ),
        ("empty.txt.spanmark.json", Vec::new(), "empty"),
        ("blank.txt.spanmark.json", b" \n\t\n".to_vec(), "empty"),
        (
            "newer.txt.spanmark.json",
            good.replacen("\"version\": 2,", "\"version\": 99,", 1)
                .into_bytes(),
            "newer Spanmark",
        ),
        (
            "x.spanmark.json",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\xff\xfe".to_vec(),
            "not valid JSON",
        ),
        (
            "other.txt.spanmark.json",
            b"{\"format\": \"label-studio\"}".to_vec(),
            "not a Spanmark annotation file",
        ),
    ];
    for (name, bytes, message) in &cases {
        let path = format!("bad/{name}");
        sb.write(&path, bytes);
        for command in [
            vec!["validate", path.as_str()],
            vec!["stats", path.as_str(), "--json"],
            vec!["export", "--to", "jsonl", path.as_str(), "--out", "o.jsonl"],
            vec!["export", "--to", "native", path.as_str(), "--out", "o"],
        ] {
            let run = sb.run(&command);
            run.code(1).stderr_has(&[*name, *message]);
            assert!(!run.stdout.contains("ok:"), "{run}");
        }
        assert!(!sb.exists("o.jsonl"), "{name}");
    }
    // All of them at once: each reported, the batch finishes.
    let run = sb.run(&["validate", "bad", "ws"]);
    run.code(1)
        .stdout_has(&["1 of 9 files valid", "ok:", "a.txt.spanmark.json"]);
    for (name, _, _) in &cases {
        assert_eq!(
            run.stderr_lines_with(name).len(),
            1,
            "{name} reported once:\n{run}"
        );
    }
}

#[test]
fn a_value_outside_a_defined_attributes_set_is_reported_by_file_and_span_id() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record(
            "news.txt",
            "Lavrov said on Monday.",
            &[(0, 6, "actor", "Lavrov"), (15, 21, "date", "Monday")],
        )],
        "rita",
    );
    let path = "ws/news.txt.spanmark.json";
    let mut native = sb.json(path);
    assert_eq!(
        native["schema"]["labels"][0]["attributes"][0]["name"],
        "category"
    );
    // Undefined attributes (a suggestion's, an import's) are never flagged; nor is a date's iso.
    native["spans"][0]["attrs"] = json!({"category": "person", "agent": "dates", "ls.x": "1"});
    native["spans"][1]["attrs"] = json!({"iso": "2021-10-18"});
    sb.write_json(path, &native);
    sb.run(&["validate", path]).code(0);

    native["spans"][0]["attrs"]["category"] = json!("country");
    sb.write_json(path, &native);
    let run = sb.run(&["validate", path]);
    run.code(1).stderr_has(&[
        "1 problem in",
        "news.txt.spanmark.json",
        "span s1: attribute category has value \"country\", not one of person, organisation, state, group, other",
    ]);
    assert!(!run.stderr.contains("agent"), "{run}");
}

#[test]
fn a_date_whose_iso_value_is_no_calendar_day_is_reported_by_span_id() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record(
            "news.txt",
            "Lavrov said on Monday and in week 41.",
            &[(15, 21, "date", "Monday"), (29, 36, "date", "week 41")],
        )],
        "rita",
    );
    let path = "ws/news.txt.spanmark.json";
    let mut native = sb.json(path);
    native["spans"][1]["attrs"] = json!({"iso": "2021-W41"});
    sb.write_json(path, &native);
    sb.run(&["validate", path]).code(0);

    native["spans"][0]["attrs"] = json!({"iso": "2021-02-31"});
    sb.write_json(path, &native);
    let run = sb.run(&["validate", path]);
    run.code(1).stderr_has(&["news.txt.spanmark.json"]);
    let s1 = run.stderr_lines_with("span s1");
    assert!(s1.iter().any(|l| l.contains("2021-02-31")), "{run}");
    assert!(run.stderr_lines_with("span s2").is_empty(), "{run}");
}
