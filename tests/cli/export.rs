//! `spanmark export --to native|jsonl`: shapes, losses, never writing over an input, round trips.

use super::*;

/// A valid native file `ws/rel.txt.spanmark.json` holding two spans and one relation between
/// them, made by importing and then adding the relation to the JSON.
fn native_with_relation(sb: &Sandbox) -> &'static str {
    import_records(
        sb,
        &[record(
            "rel.txt",
            "Lavrov said NATO expands.",
            &[(0, 6, "actor", "Lavrov"), (12, 24, "claim", "NATO expands")],
        )],
        "rita",
    );
    let path = "ws/rel.txt.spanmark.json";
    let mut native = sb.json(path);
    native["relations"] = json!([{
        "id": "r1",
        "kind": "said_by",
        "from": "s2",
        "to": "s1",
        "author": "rita",
        "created": "2026-01-01T00:00:00Z",
    }]);
    sb.write_json(path, &native);
    sb.run(&["validate", path])
        .code(0)
        .stdout_has(&["2 spans, 1 relations"]);
    path
}

#[test]
fn jsonl_writes_the_spacy_shape_and_reads_back_the_same() {
    let sb = Sandbox::new();
    let lines = [
        record(
            "one.txt",
            "👍 Lavrov said 東京.\r\nOK",
            &[(2, 8, "actor", "Lavrov"), (14, 16, "actor", "東京")],
        ),
        record("two.txt", "NATO replied.", &[(0, 4, "actor", "NATO")]),
    ];
    import_records(&sb, &lines, "rita");
    let run = sb.run(&["export", "--to", "jsonl", "ws", "--out", "train.jsonl"]);
    run.code(0)
        .stdout_has(&["exported 2 documents with 3 spans", "train.jsonl"]);
    let text = sb.read_string("train.jsonl");
    let out: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 2);
    assert!(text.ends_with('\n'));
    for (got, want) in out.iter().zip(&lines) {
        let keys: Vec<&String> = got.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 3, "{got}");
        for key in ["text", "spans", "meta"] {
            assert!(got.get(key).is_some(), "{key} missing: {got}");
        }
        assert_eq!(got["text"], want["text"]);
        assert_eq!(got["spans"], want["spans"], "start, end, label, text");
        assert_eq!(got["meta"]["name"], want["meta"]["name"]);
        assert_eq!(got["meta"]["annotator"], "rita");
    }

    // And back: the exported file imports to the same spans.
    let run = sb.run(&["import", "--from", "jsonl", "train.jsonl", "--out", "again"]);
    run.code(0);
    for name in ["one.txt", "two.txt"] {
        let file = format!("{name}.spanmark.json");
        assert_eq!(
            spans(&sb.json(&format!("again/{file}"))),
            spans(&sb.json(&format!("ws/{file}")))
        );
    }
}

#[test]
fn jsonl_of_relations_writes_tokens_for_them_to_point_at_and_reads_them_back() {
    let sb = Sandbox::new();
    let native = native_with_relation(&sb);

    let run = sb.run(&["export", "--to", "jsonl", native, "--out", "out.jsonl"]);
    run.code(0);
    assert!(run.stderr.is_empty(), "{run}");
    let line: Value = serde_json::from_str(sb.read_string("out.jsonl").trim_end()).unwrap();
    // "Lavrov said NATO expands.": the CoNLL tokens, one space each as the token's `ws`.
    let tokens: Vec<(&str, u64, u64, bool)> = line["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            assert_eq!(t["id"], i);
            (
                t["text"].as_str().unwrap(),
                t["start"].as_u64().unwrap(),
                t["end"].as_u64().unwrap(),
                t["ws"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tokens,
        [
            ("Lavrov", 0, 6, true),
            ("said", 7, 11, true),
            ("NATO", 12, 16, true),
            ("expands", 17, 24, false),
            (".", 24, 25, false),
        ]
    );
    assert_eq!(
        (
            &line["spans"][1]["token_start"],
            &line["spans"][1]["token_end"]
        ),
        (&json!(2), &json!(3))
    );
    // Prodigy's `rel`: head and child are the last token of each span.
    assert_eq!(
        line["relations"],
        json!([{
            "head": 3,
            "child": 0,
            "head_span": {"start": 12, "end": 24, "token_start": 2, "token_end": 3, "label": "claim"},
            "child_span": {"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "actor"},
            "label": "said_by",
        }])
    );

    // And back: the relation, between the same spans.
    sb.run(&["import", "--from", "jsonl", "out.jsonl", "--out", "again"])
        .code(0);
    let again = sb.json("again/rel.txt.spanmark.json");
    let relation = &again["relations"][0];
    assert_eq!(relation["kind"], "said_by");
    let text_of = |id: &Value| {
        again["spans"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| &s["id"] == id)
            .map(|s| s["text"].clone())
            .unwrap()
    };
    assert_eq!(
        (text_of(&relation["from"]), text_of(&relation["to"])),
        (json!("NATO expands"), json!("Lavrov"))
    );
}

#[test]
fn refuses_to_write_over_an_input() {
    let sb = Sandbox::new();
    sb.write("a.txt", "Lavrov said so.");
    sb.run(&["import", "--from", "text", "a.txt", "--out", "ws"])
        .code(0);
    let native = sb.read("ws/a.txt.spanmark.json");

    // --out is the annotation file.
    let run = sb.run(&[
        "export",
        "--to",
        "jsonl",
        "ws/a.txt.spanmark.json",
        "--out",
        "ws/a.txt.spanmark.json",
    ]);
    run.code(2).stderr_has(&["a.txt.spanmark.json"]);
    // --out is the article given as the input.
    let run = sb.run(&["export", "--to", "jsonl", "ws/a.txt", "--out", "ws/a.txt"]);
    run.code(2).stderr_has(&["ws/a.txt"]);
    // --out is the article beside an annotation file found in a folder.
    let run = sb.run(&["export", "--to", "jsonl", "ws", "--out", "ws/a.txt"]);
    run.code(2).stderr_has(&["a.txt"]);
    // Native export into the folder it reads.
    let run = sb.run(&["export", "--to", "native", "ws", "--out", "ws"]);
    run.code(2).stderr_has(&["a.txt.spanmark.json"]);

    assert_eq!(sb.read("ws/a.txt"), b"Lavrov said so.");
    assert_eq!(sb.read("ws/a.txt.spanmark.json"), native);
    assert_eq!(sb.names_in("ws"), ["a.txt", "a.txt.spanmark.json"]);
}

#[test]
fn native_never_replaces_another_input() {
    let sb = Sandbox::new();
    sb.write("one/x.txt", "The first article.");
    sb.write("two/x.txt", "The second article.");
    sb.run(&["import", "--from", "text", "one/x.txt", "--out", "one"])
        .code(0);
    sb.run(&["import", "--from", "text", "two/x.txt", "--out", "two"])
        .code(0);
    let second = sb.read("two/x.txt.spanmark.json");
    // Both documents are named x.txt; the first would land on two/x.txt.spanmark.json.
    let run = sb.run(&[
        "export",
        "--to",
        "native",
        "one/x.txt.spanmark.json",
        "two/x.txt.spanmark.json",
        "--out",
        "two",
    ]);
    run.code(2).stderr_has(&["x.txt.spanmark.json"]);
    assert_eq!(sb.read("two/x.txt.spanmark.json"), second);
}

#[test]
fn with_nothing_to_export_leaves_out_alone() {
    let sb = Sandbox::new();
    sb.write("train.jsonl", "precious\n");
    let run = sb.run(&[
        "export",
        "--to",
        "jsonl",
        "typo.spanmark.json",
        "--out",
        "train.jsonl",
    ]);
    run.code(2)
        .stderr_has(&["typo.spanmark.json", "train.jsonl"]);
    assert_eq!(sb.read("train.jsonl"), b"precious\n");

    sb.write("bad.txt.spanmark.json", "{");
    let run = sb.run(&[
        "export",
        "--to",
        "jsonl",
        "bad.txt.spanmark.json",
        "--out",
        "train.jsonl",
    ]);
    run.code(1).stderr_has(&["bad.txt.spanmark.json"]);
    assert_eq!(sb.read("train.jsonl"), b"precious\n");
}

#[test]
fn goes_on_past_a_bad_input() {
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
    sb.write("ws/bad.txt.spanmark.json", "[]");
    let run = sb.run(&["export", "--to", "jsonl", "ws", "--out", "out.jsonl"]);
    run.code(1).stderr_has(&["bad.txt.spanmark.json"]);
    let text = sb.read_string("out.jsonl");
    assert_eq!(text.lines().count(), 1);
    assert!(text.contains("\"Lavrov\""));
}

#[test]
fn native_round_trip_through_the_binary_is_byte_identical() {
    let sb = Sandbox::new();
    sb.write("in/crlf.txt", "Lavrov said on Monday.\r\nNATO replied.\r\n");
    sb.write("in/legacy.txt", WINDOWS_1252);
    sb.write("in/page.html", "<p>Hello <i>world</i></p>");
    sb.run(&["import", "--from", "text", "in", "--out", "ws"])
        .code(0);
    sb.write_jsonl(
        "in.jsonl",
        &[record(
            "spans.txt",
            "👍 Lavrov said 東京 on Monday.",
            &[
                (2, 8, "actor", "Lavrov"),
                (2, 16, "claim", "Lavrov said 東京"),
                (14, 16, "actor", "東京"),
                (20, 26, "date", "Monday"),
            ],
        )],
    );
    sb.run(&["import", "--from", "jsonl", "in.jsonl", "--out", "ws"])
        .code(0);

    let run = sb.run(&["export", "--to", "native", "ws", "--out", "exported"]);
    run.code(0).stdout_has(&["exported 4 annotation files"]);
    let natives: Vec<String> = sb
        .names_in("ws")
        .into_iter()
        .filter(|n| n.ends_with(".spanmark.json"))
        .collect();
    assert_eq!(natives.len(), 4);
    assert_eq!(sb.names_in("exported"), natives);
    for name in &natives {
        assert_eq!(
            sb.read(&format!("exported/{name}")),
            sb.read(&format!("ws/{name}")),
            "{name} changed on the way through"
        );
    }
    // Exporting the export gives the same bytes again.
    sb.run(&["export", "--to", "native", "exported", "--out", "twice"])
        .code(0);
    for name in &natives {
        assert_eq!(
            sb.read(&format!("twice/{name}")),
            sb.read(&format!("ws/{name}"))
        );
    }
    // Spans come out sorted by start, then end.
    assert_eq!(
        spans(&sb.json("exported/spans.txt.spanmark.json")),
        [
            span(2, 8, "actor", "Lavrov"),
            span(2, 16, "claim", "Lavrov said 東京"),
            span(14, 16, "actor", "東京"),
            span(20, 26, "date", "Monday"),
        ]
    );
}

#[test]
fn native_names_from_data_stay_inside_out() {
    let sb = Sandbox::new();
    let names = [
        "../../escape.txt",
        "/etc/passwd",
        "C:\\x\\y.txt",
        "CON",
        "..",
        "",
    ];
    let lines: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, _)| record(&format!("doc{i}.txt"), &format!("Document {i}."), &[]))
        .collect();
    import_records(&sb, &lines, "rita");
    // Names edited by hand (or written by another tool) into the annotation files.
    for (i, name) in names.iter().enumerate() {
        let path = format!("ws/doc{i}.txt.spanmark.json");
        let mut native = sb.json(&path);
        native["document"]["name"] = json!(name);
        sb.write_json(&path, &native);
    }
    let before = sb.files();
    let run = sb.run(&["export", "--to", "native", "ws", "--out", "deep/out"]);
    run.code(0)
        .stdout_has(&[format!("exported {} annotation files", names.len()).as_str()]);
    let written: Vec<String> = sb
        .files()
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert_eq!(written.len(), names.len(), "{written:#?}");
    for file in &written {
        let rest = file
            .strip_prefix("deep/out/")
            .unwrap_or_else(|| panic!("written outside --out: {file}"));
        assert!(!rest.contains('/'), "written in a subfolder: {file}");
        assert!(rest.ends_with(".spanmark.json"), "{file}");
    }
    for expected in ["escape.txt", "passwd", "y.txt", "_CON"] {
        assert!(
            sb.exists(&format!("deep/out/{expected}.spanmark.json")),
            "{expected}: {written:?}"
        );
    }
    assert!(!std::path::Path::new("/etc/passwd.spanmark.json").exists());
    // Each exported file is one of the documents, unchanged.
    let texts: std::collections::BTreeSet<String> = written
        .iter()
        .map(|f| sb.json(f)["document"]["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts.len(), names.len());
}

/// Five one-span documents imported as `annotator`.
fn five_records(sb: &Sandbox, annotator: &str) {
    let words = ["Lavrov", "NATO", "Blinken", "Scholz", "Macron"];
    let records: Vec<Value> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let text = format!("{w} said something on day {i}.");
            record(
                &format!("d{i}.txt"),
                &text,
                &[(0, w.chars().count() as u64, "actor", w)],
            )
        })
        .collect();
    import_records(sb, &records, annotator);
}

/// The task ids and annotation ids of a Label Studio export file.
fn ls_ids(sb: &Sandbox, rel: &str) -> (Vec<u64>, Vec<u64>) {
    let tasks = sb.json(rel);
    let tasks = tasks.as_array().unwrap();
    let task_ids = tasks.iter().map(|t| t["id"].as_u64().unwrap()).collect();
    let annotation_ids = tasks
        .iter()
        .flat_map(|t| t["annotations"].as_array().unwrap())
        .map(|a| a["id"].as_u64().unwrap())
        .collect();
    (task_ids, annotation_ids)
}

#[test]
fn label_studio_ids_are_stable_and_unique_across_the_parts_of_a_split() {
    let sb = Sandbox::new();
    five_records(&sb, "rita");
    sb.run(&["export", "--to", "label-studio", "ws", "--out", "all.json"])
        .code(0);
    assert_eq!(
        ls_ids(&sb, "all.json"),
        (vec![1, 2, 3, 4, 5], vec![1, 2, 3, 4, 5])
    );
    for out in ["a", "b"] {
        sb.run(&[
            "export",
            "--to",
            "label-studio",
            "ws",
            "--out",
            out,
            "--split",
            "60,20,20",
            "--seed",
            "3",
        ])
        .code(0);
    }
    let mut tasks = Vec::new();
    let mut annotations = Vec::new();
    for part in ["train", "dev", "test"] {
        let (t, a) = ls_ids(&sb, &format!("a/{part}.json"));
        assert!(!t.is_empty(), "{part} is empty");
        assert_eq!(
            ls_ids(&sb, &format!("b/{part}.json")),
            (t.clone(), a.clone())
        );
        tasks.extend(t);
        annotations.extend(a);
    }
    tasks.sort_unstable();
    annotations.sort_unstable();
    assert_eq!(tasks, [1, 2, 3, 4, 5], "one id per task across the parts");
    assert_eq!(annotations, [1, 2, 3, 4, 5]);
    // Every annotation names the same integer user and its task.
    let train = sb.json("a/train.json");
    let users: Vec<&Value> = train
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(t["annotations"][0]["task"], t["id"]);
            &t["annotations"][0]["completed_by"]
        })
        .collect();
    assert!(users[0].is_u64());
    assert!(users.iter().all(|u| *u == users[0]));
}

#[test]
fn label_studio_as_predictions_from_the_command_line() {
    let sb = Sandbox::new();
    five_records(&sb, "rita");
    let args = ["export", "--to", "label-studio", "ws", "--out", "p.json"];
    sb.run(
        &[
            &args[..],
            &["--ls-as", "predictions", "--model-version", "ner-v3"],
        ]
        .concat(),
    )
    .code(0)
    .stdout_has(&["exported 5 documents with 5 spans"]);
    let tasks = sb.json("p.json");
    for task in tasks.as_array().unwrap() {
        assert!(task.get("annotations").is_none(), "{task}");
        assert_eq!(task["predictions"][0]["model_version"], json!("ner-v3"));
        assert_eq!(
            task["predictions"][0]["result"][0]["value"]["labels"],
            json!(["actor"])
        );
    }
    sb.run(&[&args[..], &["--ls-as", "predictions"]].concat())
        .code(0);
    assert_eq!(
        sb.json("p.json")[0]["predictions"][0]["model_version"],
        json!("rita")
    );
    // Usage errors: for label-studio only; a model version names predictions.
    sb.run(&[
        "export",
        "--to",
        "jsonl",
        "ws",
        "--out",
        "x.jsonl",
        "--ls-as",
        "predictions",
    ])
    .code(2)
    .stderr_has(&["--ls-as is for --to label-studio"]);
    sb.run(&[&args[..], &["--model-version", "v1"]].concat())
        .code(2)
        .stderr_has(&["--model-version", "--ls-as predictions"]);
    sb.run(&[&args[..], &["--ls-as", "guesses"]].concat())
        .code(2)
        .stderr_has(&["guesses"]);
}

/// An export reads a file's history only to check it (every format but native has no place for
/// it), and refuses each file `spanmark validate` refuses for its history, with the same
/// message; a broken hash chain, which `validate` does not refuse (`spanmark verify` reports
/// it), does not stop an export either.
#[test]
fn an_export_refuses_a_history_that_validate_refuses() {
    let sb = Sandbox::new();
    let path = native_with_relation(&sb);
    let good = sb.json(path);
    assert!(!good["history"].as_array().unwrap().is_empty(), "{good}");
    type Edit = fn(&mut Value);
    let refused: [Edit; 3] = [
        |v| v["history"][0]["at"] = json!("last Monday"),
        |v| v["history"][0]["after"] = json!({"label": "actor", "start": "six"}),
        |v| v["history"][0]["who"] = json!(7),
    ];
    for edit in refused {
        let mut bad = good.clone();
        edit(&mut bad);
        sb.write_json(path, &bad);
        let validate = sb.run(&["validate", path]);
        validate.code(1).stderr_has(&[path]);
        let why = validate.stderr.clone();
        for (format, out) in [
            ("jsonl", "out.jsonl"),
            ("conll", "out.conll"),
            ("csv", "out.csv"),
            ("native", "out"),
        ] {
            let run = sb.run(&["export", "--to", format, path, "--out", out, "--allow-loss"]);
            run.code(1).stderr_has(&[&why]);
            assert!(!sb.exists(out), "{format}: {out} written:\n{run}");
        }
    }
    let mut broken = good.clone();
    broken["history"][0]["who"] = json!("mallory");
    sb.write_json(path, &broken);
    sb.run(&["validate", path]).code(0);
    sb.run(&["verify", path]).code(1);
    for (format, out) in [("jsonl", "chain.jsonl"), ("native", "chain")] {
        sb.run(&["export", "--to", format, path, "--out", out, "--allow-loss"])
            .code(0);
        assert!(sb.exists(out), "{format}");
    }
    // The native export writes the history as read, the broken hash included.
    let written = sb.json("chain/rel.txt.spanmark.json");
    assert_eq!(written["history"], broken["history"]);
}
