//! `spanmark stats IN... [--json]`: the counts match what was imported.

use super::*;

#[test]
fn json_counts_what_was_imported() {
    let sb = Sandbox::new();
    sb.write_jsonl(
        "rita.jsonl",
        &[
            record(
                "one.txt",
                "Lavrov said on Monday.",
                &[
                    (0, 6, "actor", "Lavrov"),
                    (7, 11, "action", "said"),
                    (15, 21, "date", "Monday"),
                ],
            ),
            record("two.txt", "NATO replied.", &[(0, 4, "actor", "NATO")]),
        ],
    );
    sb.write_jsonl(
        "omar.jsonl",
        &[record(
            "three.txt",
            "東京 is calm.",
            &[(0, 2, "actor", "東京"), (0, 10, "claim", "東京 is calm")],
        )],
    );
    for (input, who) in [("rita.jsonl", "rita"), ("omar.jsonl", "omar")] {
        sb.run(&[
            "import",
            "--from",
            "jsonl",
            input,
            "--out",
            who,
            "--annotator",
            who,
        ])
        .code(0);
    }
    // One span accepted by a reviewer (the status is free to change by hand).
    let path = "rita/one.txt.spanmark.json";
    let mut native = sb.json(path);
    native["spans"][0]["status"] = json!("accepted");
    sb.write_json(path, &native);

    let run = sb.run(&["stats", "rita", "omar", "--json"]);
    run.code(0);
    let stats: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(stats["documents"], 3);
    assert_eq!(stats["spans"], 6);
    assert_eq!(stats["relations"], 0);
    assert_eq!(stats["characters"], 22 + 13 + 11);
    assert_eq!(
        stats["by_label"],
        json!({"actor": 3, "action": 1, "date": 1, "claim": 1})
    );
    assert_eq!(stats["by_status"], json!({"accepted": 1, "pending": 5}));
    assert_eq!(stats["by_origin"], json!({"imported": 6}));
    assert_eq!(stats["by_author"], json!({"rita": 4, "omar": 2}));
    assert_eq!(stats["annotators"], json!({"rita": 2, "omar": 1}));

    // The table says the same.
    let run = sb.run(&["stats", "rita", "omar"]);
    run.code(0);
    let line = |key: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(key))
            .map(|l| l.split_whitespace().last().unwrap().to_string())
    };
    assert_eq!(line("documents").as_deref(), Some("3"), "{run}");
    assert_eq!(line("spans").as_deref(), Some("6"), "{run}");
}

#[test]
fn counts_the_good_files_and_names_the_bad_one() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record(
            "a.txt",
            "Lavrov said.",
            &[(0, 6, "actor", "Lavrov")],
        )],
        "rita",
    );
    sb.write("ws/broken.txt.spanmark.json", "{\"format\": ");
    let run = sb.run(&["stats", "ws", "--json"]);
    run.code(1).stderr_has(&["broken.txt.spanmark.json"]);
    let stats: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(stats["documents"], 1);
    assert_eq!(stats["spans"], 1);
}
