//! `spanmark adjudicate IN... --out DIR`: two annotators' folders give gold files where the
//! agreed spans are accepted and every other span is a marked conflict, none lost.

use super::agree::{two_annotators, two_annotators_with_relations};
use super::*;

/// `(id, status, label, start, end, attrs)` of every span of a native file.
fn gold_spans(native: &Value) -> Vec<(String, String, String, u64, u64, Value)> {
    native["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
                s["label"].as_str().unwrap().to_string(),
                s["start"].as_u64().unwrap(),
                s["end"].as_u64().unwrap(),
                s["attrs"].clone(),
            )
        })
        .collect()
}

fn g(
    id: &str,
    status: &str,
    label: &str,
    start: u64,
    end: u64,
    attrs: Value,
) -> (String, String, String, u64, u64, Value) {
    (id.into(), status.into(), label.into(), start, end, attrs)
}

#[test]
fn agreed_spans_are_accepted_and_every_other_span_is_a_marked_conflict() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    let run = sb.run(&[
        "adjudicate",
        "omar",
        "rita",
        "--out",
        "gold",
        "--annotator",
        "judge",
    ]);
    run.code(0).stdout_has(&[
        "news.txt: 1 agreed, 4 conflicts (6 pending spans) from omar, rita",
        "short.txt: 1 agreed, 0 conflicts (0 pending spans) from omar, rita",
        "adjudicated 2 documents: 2 spans agreed (accepted), 4 conflicts remain (6 pending spans); gold files in gold",
    ]);
    assert_eq!(
        sb.names_in("gold"),
        ["news.txt.spanmark.json", "short.txt.spanmark.json"]
    );
    let news = sb.json("gold/news.txt.spanmark.json");
    assert_eq!(news["annotator"], "judge");
    assert_eq!(news["status"], "in_progress");
    assert_eq!(
        gold_spans(&news),
        [
            g(
                "s1",
                "accepted",
                "actor",
                0,
                6,
                json!({"agreed_by": "omar,rita"})
            ),
            g(
                "s2",
                "pending",
                "action",
                7,
                11,
                json!({"conflict": "boundary", "conflict_with": "s3", "proposed_by": "omar"})
            ),
            g(
                "s3",
                "pending",
                "action",
                7,
                14,
                json!({"conflict": "boundary", "conflict_with": "s2", "proposed_by": "rita"})
            ),
            g(
                "s4",
                "pending",
                "claim",
                15,
                21,
                json!({"conflict": "label", "conflict_with": "s5", "proposed_by": "rita"})
            ),
            g(
                "s5",
                "pending",
                "date",
                15,
                21,
                json!({"conflict": "label", "conflict_with": "s4", "proposed_by": "omar"})
            ),
            g(
                "s6",
                "pending",
                "actor",
                27,
                31,
                json!({"conflict": "missing", "proposed_by": "omar"})
            ),
            g(
                "s7",
                "pending",
                "claim",
                27,
                36,
                json!({"conflict": "missing", "proposed_by": "rita"})
            ),
        ]
    );
    // None lost: every span of every annotator is in the gold file with its range and label.
    let gold = spans(&news);
    for who in ["omar", "rita"] {
        for s in spans(&sb.json(&format!("{who}/news.txt.spanmark.json"))) {
            assert!(gold.contains(&s), "{who}'s {s:?} is not in the gold file");
        }
    }
    let short = sb.json("gold/short.txt.spanmark.json");
    assert_eq!(short["status"], "annotated");
    assert_eq!(
        gold_spans(&short),
        [g(
            "s1",
            "accepted",
            "actor",
            0,
            4,
            json!({"agreed_by": "omar,rita"})
        )]
    );
    // The history says where every span came from.
    let history = news["history"].as_array().unwrap();
    assert_eq!(history.len(), 1 + 7);
    assert_eq!(history[0]["action"], "document");
    assert_eq!(history[0]["who"], "judge");
    assert_eq!(history[1]["action"], "add");
    assert_eq!(history[1]["target"], "s1");
    assert_eq!(history[1]["detail"], "agreed by omar (s1), rita (s1)");
    assert_eq!(
        history[4]["detail"],
        "proposed by rita (s3); conflict: label, with s5"
    );
    // The gold files are valid annotation files.
    sb.run(&["validate", "gold"]).code(0);
}

#[test]
fn gold_files_are_not_overwritten_unless_asked() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    let args = ["adjudicate", "omar", "rita", "--out", "gold"];
    sb.run(&args).code(0);
    let first = sb.read("gold/news.txt.spanmark.json");
    sb.run(&args).code(1).stderr_has(&[
        "a gold file is already there; not overwritten (use --overwrite)",
        "news.txt.spanmark.json",
    ]);
    assert_eq!(sb.read("gold/news.txt.spanmark.json"), first);
    let mut with = args.to_vec();
    with.push("--overwrite");
    sb.run(&with).code(0);
    // The default adjudicator is the login name.
    assert_eq!(
        sb.json("gold/news.txt.spanmark.json")["annotator"],
        "tester"
    );
}

#[test]
fn an_input_is_never_written_over() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    let before = sb.read("omar/news.txt.spanmark.json");
    sb.run(&["adjudicate", "omar", "rita", "--out", "omar", "--overwrite"])
        .code(2)
        .stderr_has(&["would overwrite an input; choose another --out"]);
    assert_eq!(sb.read("omar/news.txt.spanmark.json"), before);
}

#[test]
fn names_from_the_data_stay_inside_out() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    for who in ["omar", "rita"] {
        let path = format!("{who}/news.txt.spanmark.json");
        let mut native = sb.json(&path);
        native["document"]["name"] = json!("../../escape.txt");
        sb.write_json(&path, &native);
    }
    sb.run(&["adjudicate", "omar", "rita", "--out", "out/gold"])
        .code(0);
    assert_eq!(
        sb.names_in("out/gold"),
        ["escape.txt.spanmark.json", "short.txt.spanmark.json"]
    );
    assert!(!sb.exists("escape.txt.spanmark.json"));
    assert!(!sb.exists("out/escape.txt.spanmark.json"));
}

#[test]
fn an_article_with_one_annotator_is_pending_and_said_so() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    sb.write_jsonl(
        "solo.jsonl",
        &[record(
            "solo.txt",
            "Putin replied",
            &[(6, 13, "action", "replied")],
        )],
    );
    sb.run(&[
        "import",
        "--from",
        "jsonl",
        "solo.jsonl",
        "--out",
        "omar",
        "--annotator",
        "omar",
    ])
    .code(0);
    let run = sb.run(&["adjudicate", "omar", "rita", "--out", "gold"]);
    run.code(0)
        .stderr_has(&["only omar annotated \"solo.txt\": its spans are pending, unconfirmed"]);
    assert_eq!(
        gold_spans(&sb.json("gold/solo.txt.spanmark.json")),
        [g(
            "s1",
            "pending",
            "action",
            6,
            13,
            json!({"conflict": "unconfirmed", "proposed_by": "omar"})
        )]
    );
}

/// `(id, status, kind, from, to, attrs)` of every relation of a native file.
fn gold_relations(native: &Value) -> Vec<(String, String, String, String, String, Value)> {
    native["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |key: &str| r[key].as_str().unwrap().to_string();
            (
                text("id"),
                text("status"),
                text("kind"),
                text("from"),
                text("to"),
                r["attrs"].clone(),
            )
        })
        .collect()
}

fn rel(
    id: &str,
    status: &str,
    kind: &str,
    from: &str,
    to: &str,
    attrs: Value,
) -> (String, String, String, String, String, Value) {
    (
        id.into(),
        status.into(),
        kind.into(),
        from.into(),
        to.into(),
        attrs,
    )
}

#[test]
fn relations_are_accepted_when_everyone_made_them_and_marked_as_conflicts_otherwise() {
    let sb = Sandbox::new();
    two_annotators_with_relations(&sb);
    let run = sb.run(&[
        "adjudicate",
        "omar",
        "rita",
        "--out",
        "gold",
        "--annotator",
        "judge",
    ]);
    run.code(0).stdout_has(&[
        "news.txt: relations: 2 agreed (accepted), 5 pending as conflicts",
        "short.txt: relations: 1 agreed (accepted), 0 pending as conflicts",
        "relations: 3 agreed (accepted), 5 pending as conflicts",
    ]);
    // Gold spans: s1 Lavrov, s2 said, s3 "on Monday" (rita), s4 Monday (omar), s5 the claim,
    // s6 NATO; all agreed but s3 and s4.
    let news = sb.json("gold/news.txt.spanmark.json");
    let kinds: Vec<&str> = news["schema"]["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["source", "cue", "agent", "target", "time"]);
    assert_eq!(
        gold_relations(&news),
        [
            rel(
                "r1",
                "pending",
                "agent",
                "s2",
                "s1",
                json!({"conflict": "kind", "conflict_with": "r5", "proposed_by": "omar"})
            ),
            rel(
                "r2",
                "accepted",
                "cue",
                "s5",
                "s2",
                json!({"agreed_by": "omar,rita"})
            ),
            rel(
                "r3",
                "accepted",
                "source",
                "s5",
                "s1",
                json!({"agreed_by": "omar,rita"})
            ),
            rel(
                "r4",
                "pending",
                "source",
                "s5",
                "s6",
                json!({"conflict": "missing", "proposed_by": "rita"})
            ),
            rel(
                "r5",
                "pending",
                "target",
                "s2",
                "s1",
                json!({"conflict": "kind", "conflict_with": "r1", "proposed_by": "rita"})
            ),
            rel(
                "r6",
                "pending",
                "time",
                "s2",
                "s3",
                json!({"conflict": "missing", "proposed_by": "rita"})
            ),
            rel(
                "r7",
                "pending",
                "time",
                "s2",
                "s4",
                json!({"conflict": "missing", "proposed_by": "omar"})
            ),
        ]
    );
    let short = sb.json("gold/short.txt.spanmark.json");
    assert_eq!(
        gold_relations(&short),
        [rel(
            "r1",
            "accepted",
            "agent",
            "s2",
            "s1",
            json!({"agreed_by": "omar,rita"})
        )]
    );
    assert_eq!(short["status"], "annotated");
    // The gold files are valid: every relation fits its kind, every kind is defined.
    let run = sb.run(&["validate", "gold"]);
    run.code(0).stdout_has(&["2 of 2 files valid"]);
    assert!(run.stderr.is_empty(), "{run}");
}
