//! `spanmark log FILE`: the audit history, one readable line per entry.

use super::agree::two_annotators;
use super::*;

#[test]
fn prints_one_line_per_entry_for_the_file_or_its_article() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record(
            "a.txt",
            "Lavrov said\nit",
            &[(0, 6, "actor", "Lavrov"), (7, 14, "claim", "said\nit")],
        )],
        "rita",
    );
    // A review decision and a relabel, written into the history as the GUI would.
    let path = "ws/a.txt.spanmark.json";
    let mut native = sb.json(path);
    let history = native["history"].as_array_mut().unwrap();
    history.push(
        json!({"at": "2026-11-29T10:16:02Z", "who": "omar", "action": "relabel",
        "target": "s1", "before": "actor", "after": "claim"}),
    );
    history.push(
        json!({"at": "2026-11-29T10:20:40Z", "who": "omar", "action": "set_attr",
        "target": "s1", "detail": "iso", "after": "2021-10-18"}),
    );
    history.push(
        json!({"at": "2026-11-29T10:21:00Z", "who": "omar", "action": "set_note",
        "target": "s2", "before": "first thought", "after": ""}),
    );
    // A relation made and taken back: its ends are told in order.
    history.push(
        json!({"at": "2026-11-29T10:22:00Z", "who": "omar", "action": "add_relation",
        "target": "r1", "after": {"kind": "source", "from": "s2", "to": "s1"}}),
    );
    history.push(
        json!({"at": "2026-11-29T10:23:00Z", "who": "omar", "action": "remove_relation",
        "target": "r1", "before": {"kind": "source", "from": "s2", "to": "s1"}}),
    );
    let entries = history.len();
    sb.write_json(path, &native);

    let run = sb.run(&["log", path]);
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), entries, "{run}");
    assert!(lines[0].contains("rita  document: imported"), "{run}");
    assert!(
        lines[1].ends_with("rita  add s1: (none) → actor 0..6 \"Lavrov\""),
        "{run}"
    );
    assert!(
        lines[2].ends_with("rita  add s2: (none) → claim 7..14 \"said\\nit\""),
        "{run}"
    );
    assert_eq!(
        &lines[entries - 5..],
        [
            "2026-11-29T10:16:02Z  omar  relabel s1: actor → claim",
            "2026-11-29T10:20:40Z  omar  set_attr s1 [iso]: (none) → 2021-10-18",
            "2026-11-29T10:21:00Z  omar  set_note s2: \"first thought\" → \"\"",
            "2026-11-29T10:22:00Z  omar  add_relation r1: (none) → source from s2 to s1",
            "2026-11-29T10:23:00Z  omar  remove_relation r1: source from s2 to s1 → (none)",
        ]
    );
    // The article, with its annotation file beside it, gives the same.
    sb.run(&["log", "ws/a.txt"]).code(0);
    assert_eq!(sb.run(&["log", "ws/a.txt"]).stdout, run.stdout);
}

#[test]
fn a_gold_file_tells_where_each_span_came_from() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    sb.run(&[
        "adjudicate",
        "omar",
        "rita",
        "--out",
        "gold",
        "--annotator",
        "judge",
    ])
    .code(0);
    let run = sb.run(&["log", "gold/short.txt.spanmark.json"]);
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{run}");
    assert!(
        lines[0]
            .contains("judge  document: adjudicated by judge from omar (1 spans), rita (1 spans)"),
        "{run}"
    );
    assert!(
        lines[1].ends_with(
            "judge  add s1 [agreed by omar (s1), rita (s1)]: (none) → actor 0..4 \"NATO\""
        ),
        "{run}"
    );
}

#[test]
fn without_an_annotation_file_there_is_no_history() {
    let sb = Sandbox::new();
    sb.write("plain.txt", "Lavrov said.");
    sb.run(&["log", "plain.txt"])
        .code(1)
        .stderr_has(&["no annotation file beside the article", "plain.txt"]);
    sb.run(&["log", "missing.txt"])
        .code(2)
        .stderr_has(&["no such file: missing.txt"]);
    sb.write("broken.txt.spanmark.json", "{");
    sb.run(&["log", "broken.txt.spanmark.json"])
        .code(1)
        .stderr_has(&["broken.txt.spanmark.json"]);
}
