//! `spanmark suggest`: sources run over documents, suggestions added in place once, and
//! `--evaluate` figures checked by hand.

use super::*;

/// The spans of a native file as (text, label, origin, agent).
fn spans(sb: &Sandbox, path: &str) -> Vec<(String, String, String, String)> {
    sb.json(path)["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["text"].as_str().unwrap().to_string(),
                s["label"].as_str().unwrap().to_string(),
                s["origin"].as_str().unwrap().to_string(),
                s["attrs"]["agent"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

const NEWS: &str = "Lavrov said on Monday (Oct. 18) that Moscow would act. Lavrov spoke to NATO last week; NATO replied.";

#[test]
fn dates_and_propagation_are_added_once_with_their_agent_and_iso() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record("news.txt", NEWS, &[(0, 6, "actor", "Lavrov")])],
        "rita",
    );
    let path = "ws/news.txt.spanmark.json";
    let args = [
        "suggest",
        path,
        "--dates",
        "--propagate",
        "--doc-date",
        "2021-10-19",
        "--annotator",
        "omar",
    ];
    let run = sb.run(&args);
    run.code(0).stdout_has(&[
        "dates      date       2",
        "propagate  actor      1",
        "3 suggestions added to 1 of 1 document; 0 already there, 0 rejected before",
    ]);
    let native = sb.json(path);
    let by_text: Vec<(String, String, String)> = native["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["origin"] == "suggested")
        .map(|s| {
            (
                s["text"].as_str().unwrap().to_string(),
                s["attrs"]["agent"].as_str().unwrap().to_string(),
                s["attrs"]["iso"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        by_text,
        [
            (
                "Monday (Oct. 18)".into(),
                "dates".into(),
                "2021-10-18".into()
            ),
            ("Lavrov".into(), "propagate".into(), "".into()),
            ("last week".into(), "dates".into(), "2021-W41".into()),
        ]
    );
    assert!(
        native["spans"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "pending")
    );
    let history = native["history"].as_array().unwrap();
    assert!(
        history
            .iter()
            .any(|h| h["who"] == "omar" && h["detail"] == "suggest: agent dates proposed 2 spans")
    );

    // A second run finds the same and adds nothing: the file keeps its bytes. (The two dates
    // are found again and are already there; propagation skips labelled places itself.)
    let before = sb.read(path);
    sb.run(&args).code(0).stdout_has(&[
        "0 suggestions added to 0 of 1 document; 2 already there, 0 rejected before",
    ]);
    assert_eq!(sb.read(path), before);
}

#[test]
fn a_rejected_suggestion_is_not_proposed_again() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record("news.txt", NEWS, &[(0, 6, "actor", "Lavrov")])],
        "rita",
    );
    let path = "ws/news.txt.spanmark.json";
    let mut native = sb.json(path);
    native["version"] = json!(2);
    native["rejected"] = json!([{"start": 55, "end": 61, "label": "actor", "agent": "propagate"}]);
    sb.write_json(path, &native);
    sb.run(&["suggest", path, "--propagate"])
        .code(0)
        .stdout_has(&[
            "0 suggestions added to 0 of 1 document; 0 already there, 1 rejected before",
        ]);
    assert_eq!(spans(&sb, path).len(), 1);
}

#[test]
fn gazetteers_and_patterns_with_a_label_filter_on_an_article_without_a_file() {
    let sb = Sandbox::new();
    sb.write("in/news.txt", NEWS);
    sb.write("people.tsv", "# people\nLavrov\tactor\nMoscow\tplace\n");
    sb.write(
        "orgs.jsonl",
        "{\"label\": \"actor\", \"pattern\": [{\"orth\": \"NATO\"}]}\n{\"label\": \"place\", \"pattern\": \"Moscow\"}\n",
    );
    let run = sb.run(&[
        "suggest",
        "in",
        "--gazetteer",
        "people.tsv",
        "--patterns",
        "orgs.jsonl",
        "--labels",
        "actor",
    ]);
    run.code(0).stdout_has(&[
        "gazetteer:people.tsv  actor      2",
        "patterns:orgs.jsonl   actor      2",
    ]);
    let found = spans(&sb, "in/news.txt.spanmark.json");
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(_, label, origin, _)| label == "actor" && origin == "suggested")
    );
    assert_eq!(
        sb.read_string("in/news.txt"),
        NEWS,
        "the article is never written"
    );
}

#[test]
fn a_bad_source_file_stops_before_anything_is_written() {
    let sb = Sandbox::new();
    sb.write("in/news.txt", NEWS);
    sb.write("bad.tsv", "Lavrov actor\n");
    let run = sb.run(&["suggest", "in", "--gazetteer", "bad.tsv", "--dates"]);
    run.code(2)
        .stderr_has(&["gazetteer line 1: no tab", "bad.tsv"]);
    assert!(!sb.exists("in/news.txt.spanmark.json"));
    sb.run(&["suggest", "in"])
        .code(2)
        .stderr_has(&["name at least one source"]);
}

/// A stand-in for a model: labels every "Lavrov" as actor; crashes on a text about a crash.
const MODEL: &str = r#"import json, sys
for line in sys.stdin:
    doc = json.loads(line)
    if "crash" in doc["text"]:
        sys.exit(3)
    text = doc["text"]
    spans = []
    at = text.find("Lavrov")
    while at >= 0:
        spans.append({"start": at, "end": at + 6, "label": "actor", "score": 0.7})
        at = text.find("Lavrov", at + 1)
    print(json.dumps({"spans": spans}), flush=True)
"#;

#[cfg(unix)]
#[test]
fn a_model_run_as_a_command_answers_per_document_and_a_crash_stays_with_its_document() {
    let sb = Sandbox::new();
    sb.write("in/a.txt", "Ёлки: Lavrov met Lavrov's aide.");
    sb.write("in/b.txt", "A crash in Moscow.");
    sb.write("in/c.txt", "Lavrov again.");
    sb.write("model.py", MODEL);
    let run = sb.run(&[
        "suggest",
        "in",
        "--command",
        "python3 model.py",
        "--timeout",
        "20",
    ]);
    run.code(1)
        .stderr_has(&["command: `python3 model.py` stopped", "b.txt"])
        .stdout_has(&["command  actor      3"]);
    // Offsets are characters: "Ёлки: " is 6 of them.
    let a = sb.json("in/a.txt.spanmark.json");
    assert_eq!(a["spans"][0]["start"], 6);
    assert_eq!(a["spans"][0]["text"], "Lavrov");
    assert_eq!(a["spans"][0]["attrs"]["score"], "0.70");
    assert!(!sb.exists("in/b.txt.spanmark.json"));
    assert_eq!(spans(&sb, "in/c.txt.spanmark.json").len(), 1);
}

#[test]
fn evaluation_scores_each_agent_against_what_people_made_or_accepted() {
    let sb = Sandbox::new();
    // Gold: "Lavrov" twice as actor and "Monday" as date by hand; "NATO" as actor, and a
    // pending suggestion "Moscow" (not gold: no one accepted it).
    let text = "Lavrov met NATO on Monday. Lavrov left Moscow. Lavrov slept.";
    import_records(
        &sb,
        &[record(
            "gold.txt",
            text,
            &[
                (0, 6, "actor", "Lavrov"),
                (11, 15, "actor", "NATO"),
                (19, 25, "date", "Monday"),
                (27, 33, "actor", "Lavrov"),
                (39, 45, "place", "Moscow"),
            ],
        )],
        "rita",
    );
    let path = "ws/gold.txt.spanmark.json";
    let mut native = sb.json(path);
    native["spans"][4]["origin"] = json!("suggested");
    native["spans"][4]["attrs"] = json!({"agent": "x", "score": "0.5"});
    sb.write_json(path, &native);
    sb.write("g.tsv", "Lavrov\tactor\nMoscow\tactor\n");
    let run = sb.run(&[
        "suggest",
        "--evaluate",
        path,
        "--gazetteer",
        "g.tsv",
        "--propagate",
        "--dates",
        "--doc-date",
        "2021-10-19",
    ]);
    // By hand. Gold (people's spans): actor ×3 (Lavrov 0, NATO 11, Lavrov 27), date ×1.
    // dates: proposes Monday → 1 of 1 correct; recall 1/1.
    // gazetteer: Lavrov ×3 (0, 27, 47 — the third is not gold) and Moscow as actor (wrong):
    //   4 proposed, 2 correct; recall 2/3; F1 = 2·0.5·0.667/(1.167) = 0.571.
    // propagate: seeded with the first Lavrov, NATO and Monday; proposes Lavrov at 27 and 47:
    //   2 proposed, 1 correct (27); recall 1/3; F1 = 2·0.5·0.333/0.833 = 0.400.
    run.code(0).stdout_has(&["1 gold file"]);
    let row = |agent: &str, label: &str| -> Vec<String> {
        run.stdout
            .lines()
            .find(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                w.first() == Some(&agent) && w.get(1) == Some(&label)
            })
            .unwrap_or_else(|| panic!("no row {agent} {label}:\n{run}"))
            .split_whitespace()
            .skip(2)
            .map(String::from)
            .collect()
    };
    assert_eq!(
        row("dates", "date"),
        ["1", "1", "1", "1.000", "1.000", "1.000"]
    );
    assert_eq!(
        row("gazetteer:g.tsv", "actor"),
        ["4", "2", "3", "0.500", "0.667", "0.571"]
    );
    assert_eq!(
        row("propagate", "actor"),
        ["2", "1", "3", "0.500", "0.333", "0.400"]
    );
    assert_eq!(sb.json(path), native, "evaluation writes nothing");
}

#[test]
fn exports_leave_out_suggestions_no_one_accepted_and_say_how_many() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record("news.txt", NEWS, &[(0, 6, "actor", "Lavrov")])],
        "rita",
    );
    let path = "ws/news.txt.spanmark.json";
    sb.run(&[
        "suggest",
        path,
        "--dates",
        "--propagate",
        "--doc-date",
        "2021-10-19",
    ])
    .code(0);
    // Accept one of the three (the propagated Lavrov).
    let mut native = sb.json(path);
    for s in native["spans"].as_array_mut().unwrap() {
        if s["attrs"]["agent"] == "propagate" {
            s["attrs"]["accepted_by"] = json!("rita");
        }
    }
    sb.write_json(path, &native);
    let run = sb.run(&["export", "--to", "jsonl", path, "--out", "out.jsonl"]);
    run.code(0)
        .stderr_has(&["note: 2 suggestions no one accepted left out"])
        .stdout_has(&["exported 1 documents with 2 spans"]);
    let manifest = sb.json("out.jsonl.manifest.json");
    assert_eq!(manifest["suggestions_left_out"], 2);
    assert_eq!(manifest["spans"], 2);
    let line = sb.read_string("out.jsonl");
    let record: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    let texts: Vec<&str> = record["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Lavrov", "Lavrov"]);
}

#[test]
fn stats_agree_and_adjudicate_count_only_what_people_made_or_accepted() {
    let sb = Sandbox::new();
    let text = "Lavrov met NATO. Lavrov left.";
    sb.write_jsonl(
        "in.jsonl",
        &[record("a.txt", text, &[(0, 6, "actor", "Lavrov")])],
    );
    for who in ["rita", "omar"] {
        sb.run(&[
            "import",
            "--from",
            "jsonl",
            "in.jsonl",
            "--out",
            who,
            "--annotator",
            who,
        ])
        .code(0);
    }
    // Only rita gets suggestions: her work and omar's are the same.
    sb.write("g.tsv", "NATO\tactor\n");
    sb.run(&["suggest", "rita", "--propagate", "--gazetteer", "g.tsv"])
        .code(0);
    let stats = sb.run(&["stats", "rita", "omar", "--json"]);
    stats.code(0);
    let v: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(v["spans"], 2, "{stats}");
    assert_eq!(
        v["pending_suggestions"],
        json!({"gazetteer:g.tsv actor": 1, "propagate actor": 1})
    );
    let table = sb.run(&["stats", "rita"]);
    table.stdout_has(&["pending suggestions by agent and label (not counted above)"]);
    let agree = sb.run(&["agree", "rita", "omar", "--json"]);
    agree.code(0);
    let v: serde_json::Value = serde_json::from_str(&agree.stdout).unwrap();
    // With rita's two suggestions counted, precision or recall against omar would be 1/3.
    assert_eq!(v["pairs"][0]["exact"]["precision"], 1.0, "{agree}");
    assert_eq!(v["pairs"][0]["exact"]["recall"], 1.0, "{agree}");
    assert_eq!(v["pairs"][0]["exact"]["f1"], 1.0, "{agree}");
    sb.run(&[
        "adjudicate",
        "rita",
        "omar",
        "--out",
        "gold",
        "--annotator",
        "judge",
    ])
    .code(0);
    let gold = sb.json("gold/a.txt.spanmark.json");
    assert_eq!(gold["spans"].as_array().unwrap().len(), 1, "{gold}");
}

#[test]
fn a_native_export_keeps_the_rejected_list_and_leaves_out_pending_suggestions() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record("news.txt", NEWS, &[(0, 6, "actor", "Lavrov")])],
        "rita",
    );
    let path = "ws/news.txt.spanmark.json";
    sb.run(&["suggest", path, "--propagate"]).code(0);
    let mut native = sb.json(path);
    native["rejected"] =
        json!([{"start": 72, "end": 76, "label": "actor", "agent": "gazetteer:g.tsv"}]);
    sb.write_json(path, &native);
    sb.run(&["export", "--to", "native", path, "--out", "out"])
        .code(0)
        .stderr_has(&["note: 1 suggestion no one accepted left out"]);
    let out = sb.json("out/news.txt.spanmark.json");
    assert_eq!(out["spans"].as_array().unwrap().len(), 1);
    assert_eq!(out["rejected"], native["rejected"]);
    assert_eq!(out["version"], 2);
}
