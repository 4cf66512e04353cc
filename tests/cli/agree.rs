//! `spanmark agree IN... [--json]`: the numbers on two annotators' folders match values computed
//! by hand; edge cases and bad inputs are reported.

use super::*;

/// Imports `records` into folder `who` as annotator `who`.
fn annotate(sb: &Sandbox, who: &str, records: &[Value]) {
    sb.write_jsonl(&format!("{who}.jsonl"), records);
    sb.run(&[
        "import",
        "--from",
        "jsonl",
        &format!("{who}.jsonl"),
        "--out",
        who,
        "--annotator",
        who,
    ])
    .code(0);
}

const NEWS: &str = "Lavrov said on Monday that NATO lied";

/// Two articles. news.txt: omar and rita differ (boundary, label, missing); short.txt: they
/// agree on `NATO` = actor.
pub(crate) fn two_annotators(sb: &Sandbox) {
    annotate(
        sb,
        "omar",
        &[
            record(
                "news.txt",
                NEWS,
                &[
                    (0, 6, "actor", "Lavrov"),
                    (7, 11, "action", "said"),
                    (15, 21, "date", "Monday"),
                    (27, 31, "actor", "NATO"),
                ],
            ),
            record("short.txt", "NATO replied", &[(0, 4, "actor", "NATO")]),
        ],
    );
    annotate(
        sb,
        "rita",
        &[
            record(
                "news.txt",
                NEWS,
                &[
                    (0, 6, "actor", "Lavrov"),
                    (7, 14, "action", "said on"),
                    (15, 21, "claim", "Monday"),
                    (27, 36, "claim", "NATO lied"),
                ],
            ),
            record("short.txt", "NATO replied", &[(0, 4, "actor", "NATO")]),
        ],
    );
}

fn close(value: &Value, want: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - want).abs() < 1e-12)
}

#[test]
fn json_numbers_match_hand_computed_values() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    let run = sb.run(&["agree", "omar", "rita", "--json"]);
    run.code(0);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(out["documents"], 2);
    assert_eq!(out["annotators"], json!(["omar", "rita"]));
    let pairs = out["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1);
    let pair = &pairs[0];
    assert_eq!(
        (pair["a"].as_str(), pair["b"].as_str()),
        (Some("omar"), Some("rita"))
    );

    // Exact: omar 4 + 1 spans, rita 4 + 1; matched: Lavrov/actor and NATO/actor (short.txt) = 2.
    // P = 2/5, R = 2/5, F1 = 2·2/(5+5) = 0.4.
    let exact = &pair["exact"];
    for key in ["precision", "recall", "f1"] {
        assert!(close(&exact[key], 0.4), "exact {key}: {}", exact[key]);
    }
    // actor: omar 3, rita 2, matched 2 → P = 2/2 = 1, R = 2/3, F1 = 4/5.
    let actor = &exact["by_label"]["actor"];
    assert!(close(&actor["precision"], 1.0));
    assert!(close(&actor["recall"], 2.0 / 3.0));
    assert!(close(&actor["f1"], 0.8));
    // date: only omar uses it → 0, 0, 0.
    assert_eq!(
        exact["by_label"]["date"],
        json!({"precision": 0.0, "recall": 0.0, "f1": 0.0})
    );

    // Overlap: also action 7..11 ↔ 7..14 → matched 3 of 5 and 5 → 0.6 each.
    for key in ["precision", "recall", "f1"] {
        assert!(close(&pair["overlap"][key], 0.6), "overlap {key}");
    }
    assert!(close(&pair["overlap"]["by_label"]["action"]["f1"], 1.0));

    // Token κ. news.txt:  Lavrov said   on     Monday that NATO  lied
    //           omar      actor  action O      date   O    actor O
    //           rita      actor  action action claim  O    claim claim
    // short.txt: NATO replied → actor O from both.
    // Agreed 3 + 2 = 5 of N = 9. omar: actor 3, action 1, date 1, O 4;
    // rita: actor 2, action 2, claim 3, O 2. Σ a_k b_k = 6 + 2 + 0 + 8 + 0 = 16.
    // κ = (5·9 − 16)/(81 − 16) = 29/65.
    assert!(
        close(&pair["token_kappa"], 29.0 / 65.0),
        "{}",
        pair["token_kappa"]
    );

    // Confusion (overlap matching, any label), rows omar, columns rita:
    // actor↔actor twice (Lavrov, NATO in short.txt), action↔action, date↔claim, actor↔claim.
    let confusion = &pair["confusion"];
    assert_eq!(
        confusion["actor"],
        json!({"action": 0, "actor": 2, "claim": 1, "date": 0})
    );
    assert_eq!(confusion["date"]["claim"], 1);
    assert_eq!(confusion["action"]["action"], 1);
    assert_eq!(
        confusion["claim"],
        json!({"action": 0, "actor": 0, "claim": 0, "date": 0})
    );

    // α: 4 disagreeing units (on, Monday, NATO, lied) add (2² − 2)/1 = 2 each → 8.
    // Values: actor 5, action 3, date 1, claim 3, O 6 → n = 18; 18² − (25+9+1+9+36) = 244.
    // α = 1 − 17 · 8 / 244 = 27/61.
    assert!(
        close(&out["krippendorff_alpha"], 27.0 / 61.0),
        "{}",
        out["krippendorff_alpha"]
    );

    // The same again gives the same bytes.
    assert_eq!(
        sb.run(&["agree", "omar", "rita", "--json"]).stdout,
        run.stdout
    );
}

#[test]
fn the_table_shows_the_same_numbers() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    let run = sb.run(&["agree", "rita", "omar"]);
    run.code(0).stdout_has(&[
        "2 documents, 2 annotators: omar, rita",
        "Krippendorff's alpha (token labels, all annotators): 0.443",
        "omar vs rita (reference: omar), 2 shared documents, 9 tokens",
        "token kappa  0.446",
    ]);
    let all = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("all spans"))
        .unwrap();
    let numbers: Vec<&str> = all.split_whitespace().skip(2).collect();
    assert_eq!(
        numbers,
        ["0.400", "0.400", "0.400", "0.600", "0.600", "0.600"]
    );
}

#[test]
fn identical_folders_agree_completely() {
    let sb = Sandbox::new();
    let records = [record(
        "news.txt",
        NEWS,
        &[(0, 6, "actor", "Lavrov"), (7, 11, "action", "said")],
    )];
    annotate(&sb, "omar", &records);
    annotate(&sb, "rita", &records);
    let run = sb.run(&["agree", "omar", "rita", "--json"]);
    run.code(0);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    let pair = &out["pairs"][0];
    for kind in ["exact", "overlap"] {
        assert_eq!(pair[kind]["f1"], 1.0);
        assert_eq!(pair[kind]["precision"], 1.0);
        assert_eq!(pair[kind]["recall"], 1.0);
    }
    assert_eq!(pair["token_kappa"], 1.0);
    assert_eq!(out["krippendorff_alpha"], 1.0);
}

#[test]
fn one_annotator_is_not_enough() {
    let sb = Sandbox::new();
    annotate(
        &sb,
        "omar",
        &[record("a.txt", "NATO replied", &[(0, 4, "actor", "NATO")])],
    );
    let run = sb.run(&["agree", "omar", "--json"]);
    run.code(1)
        .stderr_has(&["agreement needs the files of at least two annotators; found omar"]);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(out["pairs"], json!([]));
    assert_eq!(out["krippendorff_alpha"], Value::Null);
}

#[test]
fn a_second_file_of_one_annotator_for_an_article_is_named_and_skipped() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    let copy = sb.read("omar/news.txt.spanmark.json");
    sb.write("again/news.txt.spanmark.json", copy);
    let run = sb.run(&["agree", "omar", "rita", "again", "--json"]);
    run.code(1).stderr_has(&[
        "annotator \"omar\" has two files of the same article",
        "again/news.txt.spanmark.json",
    ]);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(close(&out["pairs"][0]["exact"]["f1"], 0.4));
}

#[test]
fn a_broken_file_is_named_and_the_rest_measured() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    sb.write("rita/broken.txt.spanmark.json", "{\"format\": ");
    let run = sb.run(&["agree", "omar", "rita", "--json"]);
    run.code(1).stderr_has(&["broken.txt.spanmark.json"]);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(out["documents"], 2);
}

/// Adds `relations` `(kind, from text, to text)` to `who`'s file of `article`, ids `r1`, `r2`, …,
/// the ends found by the text of their span.
fn relate(sb: &Sandbox, who: &str, article: &str, relations: &[(&str, &str, &str)]) {
    let path = format!("{who}/{article}.spanmark.json");
    let mut native = sb.json(&path);
    let id_of = |text: &str| {
        native["spans"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["text"] == text)
            .unwrap_or_else(|| panic!("no span {text:?} in {path}"))["id"]
            .clone()
    };
    let list: Vec<Value> = relations
        .iter()
        .enumerate()
        .map(|(i, (kind, from, to))| {
            json!({"id": format!("r{}", i + 1), "kind": kind, "from": id_of(from), "to": id_of(to),
                   "author": who, "created": "2026-01-01T00:00:00Z"})
        })
        .collect();
    native["relations"] = Value::Array(list);
    sb.write_json(&path, &native);
}

const CLAIM: &str = "that NATO lied";

/// Two articles with relations. news.txt: omar and rita mark the same spans but `Monday` /
/// `on Monday`; short.txt: the same spans.
///
/// | article | omar (reference)          | rita                         |                   |
/// |---------|---------------------------|------------------------------|-------------------|
/// | news    | source claim → Lavrov     | source claim → Lavrov        | match             |
/// | news    | cue claim → said          | cue claim → said             | match             |
/// | news    | time said → Monday        | time said → on Monday        | an end differs    |
/// | news    | agent said → Lavrov       | target said → Lavrov         | the kind differs  |
/// | news    |                           | source claim → NATO          | rita only         |
/// | short   | agent replied → NATO      | agent replied → NATO         | match             |
pub(crate) fn two_annotators_with_relations(sb: &Sandbox) {
    let spans = |monday: (u64, u64, &'static str)| {
        vec![
            (0, 6, "actor", "Lavrov"),
            (7, 11, "action", "said"),
            (monday.0, monday.1, "date", monday.2),
            (22, 36, "claim", CLAIM),
            (27, 31, "actor", "NATO"),
        ]
    };
    let short = record(
        "short.txt",
        "NATO replied",
        &[(0, 4, "actor", "NATO"), (5, 12, "action", "replied")],
    );
    annotate(
        sb,
        "omar",
        &[
            record("news.txt", NEWS, &spans((15, 21, "Monday"))),
            short.clone(),
        ],
    );
    annotate(
        sb,
        "rita",
        &[
            record("news.txt", NEWS, &spans((12, 21, "on Monday"))),
            short,
        ],
    );
    relate(
        sb,
        "omar",
        "news.txt",
        &[
            ("source", CLAIM, "Lavrov"),
            ("cue", CLAIM, "said"),
            ("time", "said", "Monday"),
            ("agent", "said", "Lavrov"),
        ],
    );
    relate(
        sb,
        "rita",
        "news.txt",
        &[
            ("source", CLAIM, "Lavrov"),
            ("cue", CLAIM, "said"),
            ("time", "said", "on Monday"),
            ("target", "said", "Lavrov"),
            ("source", CLAIM, "NATO"),
        ],
    );
    for who in ["omar", "rita"] {
        relate(sb, who, "short.txt", &[("agent", "replied", "NATO")]);
    }
}

#[test]
fn relation_figures_match_hand_computed_values() {
    let sb = Sandbox::new();
    two_annotators_with_relations(&sb);
    let run = sb.run(&["agree", "rita", "omar", "--json"]);
    run.code(0);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    let pair = &out["pairs"][0];
    assert_eq!(pair["a"], "omar");
    let rel = &pair["relations"];
    // omar 4 + 1 relations, rita 5 + 1, matched 2 + 1:
    // P = 3/6, R = 3/5, F1 = 2·3/(5+6) = 6/11.
    assert!(close(&rel["precision"], 0.5), "{rel}");
    assert!(close(&rel["recall"], 0.6), "{rel}");
    assert!(close(&rel["f1"], 6.0 / 11.0), "{rel}");
    let by_kind = rel["by_kind"].as_object().unwrap();
    assert_eq!(
        by_kind.keys().collect::<Vec<_>>(),
        ["agent", "cue", "source", "target", "time"]
    );
    // source: omar 1, rita 2, matched 1 → P = 1/2, R = 1, F1 = 2/3.
    let source = &by_kind["source"];
    assert!(close(&source["precision"], 0.5), "{source}");
    assert!(close(&source["recall"], 1.0), "{source}");
    assert!(close(&source["f1"], 2.0 / 3.0), "{source}");
    // agent: omar 2 (news, short), rita 1 (short), matched 1 → P = 1, R = 1/2, F1 = 2/3.
    let agent = &by_kind["agent"];
    assert!(close(&agent["precision"], 1.0), "{agent}");
    assert!(close(&agent["recall"], 0.5), "{agent}");
    assert!(close(&agent["f1"], 2.0 / 3.0), "{agent}");
    // time (an end differs) and target (only rita's kind on those ends): nothing matched.
    for kind in ["time", "target"] {
        assert_eq!(
            by_kind[kind],
            json!({"precision": 0.0, "recall": 0.0, "f1": 0.0})
        );
    }
    assert_eq!(
        by_kind["cue"],
        json!({"precision": 1.0, "recall": 1.0, "f1": 1.0})
    );
    // The spans: only Monday / on Monday differ → exact 6 of 7 and 7.
    assert!(close(&pair["exact"]["f1"], 6.0 / 7.0));

    // The table shows the same numbers.
    let run = sb.run(&["agree", "omar", "rita"]);
    run.code(0).stdout_has(&["relation P", "relation F1"]);
    let row = |name: &str| -> Vec<String> {
        let line = run
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} row:\n{run}"));
        line.split_whitespace()
            .skip(name.split_whitespace().count())
            .map(str::to_string)
            .collect()
    };
    // Exact 6/7; by overlap Monday and on Monday match too.
    assert_eq!(
        row("all"),
        [
            "spans", "0.857", "0.857", "0.857", "1.000", "1.000", "1.000"
        ]
    );
    let all = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("all relations"))
        .unwrap();
    assert_eq!(
        all.split_whitespace().skip(2).collect::<Vec<_>>(),
        ["0.500", "0.600", "0.545"]
    );
    assert_eq!(row("source")[..], ["0.500", "1.000", "0.667"]);
}

#[test]
fn without_relations_on_either_side_the_figures_are_one() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    let run = sb.run(&["agree", "omar", "rita", "--json"]);
    run.code(0);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        out["pairs"][0]["relations"],
        json!({"precision": 1.0, "recall": 1.0, "f1": 1.0, "by_kind": {}})
    );
    sb.run(&["agree", "omar", "rita"])
        .code(0)
        .stdout_has(&["relations: neither annotator made one"]);
}

/// `record` with an `attrs` object on each span (`Value::Null`: none).
fn record_with_attrs(name: &str, text: &str, spans: &[(u64, u64, &str, Value)]) -> Value {
    let mut r = record(name, text, &[]);
    r["spans"] = spans
        .iter()
        .map(|(s, e, l, attrs)| {
            let chars: String = text
                .chars()
                .skip(*s as usize)
                .take((e - s) as usize)
                .collect();
            let mut span = json!({"start": s, "end": e, "label": l, "text": chars});
            if !attrs.is_null() {
                span["attrs"] = attrs.clone();
            }
            span
        })
        .collect();
    r
}

#[test]
fn attribute_agreement_on_exactly_matched_spans_by_hand() {
    let sb = Sandbox::new();
    let text = "Lavrov Putin NATO Moscow Kyiv on Monday";
    let words = [(0, 6), (7, 12), (13, 17), (18, 24), (25, 29)];
    // omar: person, person, organisation, state, (not set); rita: person, organisation,
    // organisation, state, state. Their `agent` (no schema defines it) differs and is not
    // measured; rita's extra actor "on" matches nothing and is not counted.
    let omar_cats = [
        json!("person"),
        json!("person"),
        json!("organisation"),
        json!("state"),
        Value::Null,
    ];
    let rita_cats = ["person", "organisation", "organisation", "state", "state"];
    let mut omar: Vec<_> = words
        .iter()
        .zip(&omar_cats)
        .map(|(&(s, e), c)| {
            let attrs = if c.is_null() {
                json!({"agent": "x"})
            } else {
                json!({"category": c, "agent": "x"})
            };
            (s, e, "actor", attrs)
        })
        .collect();
    let mut rita: Vec<_> = words
        .iter()
        .zip(rita_cats)
        .map(|(&(s, e), c)| (s, e, "actor", json!({"category": c, "agent": "y"})))
        .collect();
    omar.push((33, 39, "date", json!({"iso": "2021-10-18"})));
    rita.push((33, 39, "date", json!({"iso": "2021-10-18"})));
    rita.push((30, 32, "actor", json!({"category": "other"})));
    annotate(&sb, "omar", &[record_with_attrs("news.txt", text, &omar)]);
    annotate(&sb, "rita", &[record_with_attrs("news.txt", text, &rita)]);

    let run = sb.run(&["agree", "omar", "rita", "--json"]);
    run.code(0);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let attrs = &v["pairs"][0]["attributes"];
    assert_eq!(
        attrs.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["category", "iso"],
        "{run}"
    );
    // category: N = 5, agreed 3 (person, organisation, state) → p_o = 0.6.
    // omar: person 2, organisation 1, state 1, not set 1; rita: person 1, organisation 2,
    // state 2. p_e = (2·1 + 1·2 + 1·2 + 1·0) / 25 = 0.24. κ = 0.36 / 0.76 = 9/19.
    assert_eq!(attrs["category"]["spans"], 5);
    assert!((attrs["category"]["observed"].as_f64().unwrap() - 0.6).abs() < 1e-12);
    assert!((attrs["category"]["kappa"].as_f64().unwrap() - 9.0 / 19.0).abs() < 1e-12);
    // iso: one pair, the same value, no variation: p_o = 1, κ = 1.
    assert_eq!(
        attrs["iso"],
        json!({"spans": 1, "observed": 1.0, "kappa": 1.0})
    );

    let table = sb.run(&["agree", "omar", "rita"]);
    table.code(0).stdout_has(&[
        "attributes (spans matched exactly)",
        "category",
        "0.600",
        "0.474",
    ]);
}
