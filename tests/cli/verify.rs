//! `spanmark verify FILE...`: the history chain, the text digest and the history's replay.

use super::*;

fn chained(sb: &Sandbox) -> &'static str {
    import_records(
        sb,
        &[record(
            "a.txt",
            "Lavrov said on Monday",
            &[
                (0, 6, "actor", "Lavrov"),
                (7, 11, "action", "said"),
                (15, 21, "date", "Monday"),
            ],
        )],
        "rita",
    );
    "ws/a.txt.spanmark.json"
}

/// The file with each line passed through `f`.
fn edit_lines(sb: &Sandbox, path: &str, f: impl Fn(usize, &str) -> Option<String>) {
    let text = sb.read_string(path);
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| f(i, l))
        .collect();
    sb.write(path, lines.join("\n") + "\n");
}

#[test]
fn a_clean_file_verifies_and_an_edited_entry_is_named() {
    let sb = Sandbox::new();
    let path = chained(&sb);
    sb.run(&["verify", path])
        .code(0)
        .stdout_has(&["a.txt.spanmark.json: verified: 4 entries, head "]);
    edit_lines(&sb, path, |_, l| {
        Some(if l.contains("\"target\": \"s2\"") {
            l.replace("\"who\": \"rita\"", "\"who\": \"omar\"")
        } else {
            l.to_string()
        })
    });
    let run = sb.run(&["verify", path]);
    run.code(1).stderr_has(&[
        "a.txt.spanmark.json: does not verify: history[2] (",
        ", omar): its hash does not fit its content and the entry before it",
    ]);
}

#[test]
fn a_deleted_line_is_caught() {
    let sb = Sandbox::new();
    let path = chained(&sb);
    edit_lines(&sb, path, |_, l| {
        (!(l.contains("\"action\": \"add\"") && l.contains("\"target\": \"s1\"")))
            .then(|| l.to_string())
    });
    sb.run(&["verify", path]).code(1).stderr_has(&[
        "does not verify: history[1] (",
        ", rita): its hash does not fit",
    ]);
}

#[test]
fn offsets_changed_without_a_history_entry_are_caught() {
    let sb = Sandbox::new();
    let path = chained(&sb);
    edit_lines(&sb, path, |_, l| {
        Some(if l.contains("\"id\": \"s3\"") {
            l.replace(
                "\"end\": 21, \"text\": \"Monday\"",
                "\"end\": 20, \"text\": \"Monda\"",
            )
            .replace("\"suffix\": \"\"", "\"suffix\": \"y\"")
        } else {
            l.to_string()
        })
    });
    // Still a valid file: only the history tells.
    sb.run(&["validate", path]).code(0);
    sb.run(&["verify", path]).code(1).stderr_has(&[
        "since then span s3 changed from date 15..21 to date 15..20 without a history entry",
    ]);
}

#[test]
fn a_version_1_file_is_unchained_with_a_note() {
    let sb = Sandbox::new();
    let v1 = include_bytes!("../fixtures/native-v1/rich.txt.spanmark.json");
    let path = sb.write("rich.txt.spanmark.json", v1);
    let path = path.to_str().unwrap();
    sb.run(&["verify", path])
        .code(0)
        .stdout_has(&["rich.txt.spanmark.json: unchained (written before the history chain"])
        .stderr_has(&["note: unchained: written before the history chain"]);
}

#[test]
fn reanchoring_a_file_that_does_not_verify_records_the_break_and_repairs_nothing() {
    let sb = Sandbox::new();
    let path = chained(&sb);
    edit_lines(&sb, path, |_, l| {
        Some(if l.contains("\"target\": \"s1\"") {
            l.replace("\"who\": \"rita\"", "\"who\": \"eve\"")
        } else {
            l.to_string()
        })
    });
    sb.write("ws/a.txt", "Yesterday Lavrov said on Monday");
    sb.run(&["reanchor", path, "--source", "ws/a.txt"])
        .code(0)
        .stderr_has(&[
            "warning: the history does not verify: history[1] (",
            ", eve)",
        ]);
    let native = sb.json(path);
    let history = native["history"].as_array().unwrap();
    let marks: Vec<usize> = history
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("chain broken at history[1] ("))
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        marks,
        [4],
        "recorded once, before the re-anchoring's entries"
    );
    // The spans moved onto the new text and the history replays to them, but the old break
    // is still there to see.
    sb.run(&["verify", path]).code(1).stderr_has(&[
        "does not verify: history[1] (",
        ", eve): its hash does not fit",
    ]);
}
