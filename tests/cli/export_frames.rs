//! `spanmark export --to frames`: a brat import of the sample article with `R` lines gives its
//! claim frame and its event frame, exactly; filters, a split, the manifest and what frames
//! cannot hold work as for every export.

use sha2::{Digest, Sha256};

use super::interop::{copy_fixture, fixture};
use super::*;

/// The sample article's first paragraphs as brat (`tests/fixtures/frames/`), imported into
/// `ws` as rita.
fn import_article(sb: &Sandbox) {
    copy_fixture(sb, "frames/russia_nato.txt", "brat/russia_nato.txt");
    copy_fixture(sb, "frames/russia_nato.ann", "brat/russia_nato.ann");
    sb.run(&[
        "import",
        "--from",
        "brat",
        "brat",
        "--out",
        "ws",
        "--annotator",
        "rita",
    ])
    .code(0)
    .stdout_has(&["imported 1 document with 8 spans"]);
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The article's text hash, computed here from the fixture.
fn article_sha() -> String {
    sha256_hex(&fixture("frames/russia_nato.txt"))
}

fn lines(sb: &Sandbox, rel: &str) -> Vec<String> {
    let text = sb.read_string(rel);
    assert!(text.is_empty() || text.ends_with('\n'), "{text:?}");
    text.lines().map(str::to_string).collect()
}

/// `{id, start, end, text, label}` as the frames file writes a span.
fn span_json(id: &str, start: u32, end: u32, text: &str, label: &str) -> String {
    format!(r#"{{"id":"{id}","start":{start},"end":{end},"text":"{text}","label":"{label}"}}"#)
}

#[test]
fn a_brat_import_of_the_article_gives_its_claim_frame_and_its_event_frame() {
    let sb = Sandbox::new();
    import_article(&sb);
    // The brat kinds are the schema's: the imported file does not warn about its own kinds.
    let run = sb.run(&["validate", "ws"]);
    run.code(0).stdout_has(&["8 spans, 6 relations"]);
    assert!(run.stderr.is_empty(), "{run}");

    let run = sb.run(&["export", "--to", "frames", "ws", "--out", "frames.jsonl"]);
    run.code(0).stdout_has(&["with 8 spans", "frames.jsonl"]);
    assert!(run.stderr.is_empty(), "{run}");
    let doc = format!(
        r#""name":"russia_nato.txt","annotator":"rita","text_sha256":"{}""#,
        article_sha()
    );
    // Offsets count characters: "NATO’s" (a 3-byte apostrophe) comes before the event.
    let claim = format!(
        r#"{{"type":"claim","content":{},"source":[{}],"cue":[{}],"time":[{}],{doc}}}"#,
        span_json(
            "T4",
            133,
            183,
            "that his country is suspending its mission to NATO",
            "claim"
        ),
        span_json("T1", 97, 110, "Sergey Lavrov", "actor"),
        span_json("T2", 111, 115, "said", "action"),
        r#"{"id":"T3","start":116,"end":122,"text":"Monday","label":"date","iso":"2021-10-18"}"#,
    );
    let event = format!(
        r#"{{"type":"event","trigger":{},"agent":[{}],"target":[{}],"time":[{}],{doc}}}"#,
        span_json("T6", 307, 315, "expelled", "action"),
        span_json("T5", 302, 306, "NATO", "actor"),
        span_json("T7", 316, 335, "eight Russian staff", "actor"),
        span_json("T8", 371, 380, "last week", "date"),
    );
    assert_eq!(lines(&sb, "frames.jsonl"), [claim, event]);

    // The manifest says what went out, as for every export.
    let manifest = sb.json("frames.jsonl.manifest.json");
    assert_eq!(manifest["format"], "frames");
    assert_eq!(manifest["offsets"], "unicode-scalar");
    assert_eq!(manifest["documents"], 1);
    assert_eq!(manifest["relations"], 6);
    assert_eq!(
        manifest["parts"][0]["sha256"],
        sha256_hex(&sb.read("frames.jsonl"))
    );
    assert_eq!(manifest["not_held_by_the_format"], json!({}));

    // The same export again gives the same bytes.
    let first = sb.read("frames.jsonl");
    sb.run(&["export", "--to", "frames", "ws", "--out", "again.jsonl"])
        .code(0);
    assert_eq!(sb.read("again.jsonl"), first);
}

#[test]
fn filters_leave_roles_empty_and_frames_out_and_are_counted() {
    let sb = Sandbox::new();
    import_article(&sb);
    // Without actions: no event, and the claim has no cue.
    let run = sb.run(&[
        "export",
        "--to",
        "frames",
        "ws",
        "--out",
        "f.jsonl",
        "--labels",
        "claim,actor,date",
    ]);
    run.code(0);
    let got = lines(&sb, "f.jsonl");
    assert_eq!(got.len(), 1, "{got:?}");
    let claim: Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(claim["type"], "claim");
    assert_eq!(claim["cue"], json!([]));
    assert_eq!(claim["source"][0]["text"], "Sergey Lavrov");
    assert_eq!(claim["time"][0]["iso"], "2021-10-18");
    let manifest = sb.json("f.jsonl.manifest.json");
    // The two actions, and the cue, agent, target and time relations that went with them.
    assert_eq!(
        manifest["filtered_out"],
        json!({"documents": 0, "spans": 2, "relations": 4})
    );
    assert_eq!(
        manifest["filters"]["labels"],
        json!(["claim", "actor", "date"])
    );

    // Imported spans are pending: --status accepted leaves no span, so no frame.
    sb.run(&[
        "export", "--to", "frames", "ws", "--out", "a.jsonl", "--status", "accepted",
    ])
    .code(0);
    assert!(lines(&sb, "a.jsonl").is_empty());
}

#[test]
fn a_split_writes_the_frames_of_each_part_with_its_manifest() {
    let sb = Sandbox::new();
    import_article(&sb);
    sb.write("brat2/short.txt", "NATO met Russia on Friday.\n");
    sb.write(
        "brat2/short.ann",
        "T1\tactor 0 4\tNATO\nT2\taction 5 8\tmet\nT3\tactor 9 15\tRussia\nT4\tdate 19 25\tFriday\n\
         R1\tagent Arg1:T2 Arg2:T1\nR2\ttarget Arg1:T2 Arg2:T3\nR3\ttime Arg1:T2 Arg2:T4\n",
    );
    sb.run(&["import", "--from", "brat", "brat2", "--out", "ws"])
        .code(0);
    let run = sb.run(&[
        "export", "--to", "frames", "ws", "--out", "sets", "--split", "1,1", "--seed", "4",
    ]);
    run.code(0);
    assert_eq!(
        sb.names_in("sets"),
        ["manifest.json", "test.jsonl", "train.jsonl"]
    );
    let manifest = sb.json("sets/manifest.json");
    let mut by_name = std::collections::BTreeMap::new();
    for part in manifest["parts"].as_array().unwrap() {
        let path = format!("sets/{}", part["path"].as_str().unwrap());
        assert_eq!(part["sha256"], sha256_hex(&sb.read(&path)));
        assert_eq!(part["documents"], 1);
        by_name.insert(
            part["files"][0]["name"].as_str().unwrap().to_string(),
            lines(&sb, &path),
        );
    }
    // Each document's frames are in its part: two for the article, one for the short one.
    assert_eq!(by_name["russia_nato.txt"].len(), 2);
    let short: Value = serde_json::from_str(&by_name["short.txt"][0]).unwrap();
    assert_eq!(short["type"], "event");
    assert_eq!(short["trigger"]["text"], "met");
    assert_eq!(short["time"][0]["text"], "Friday");
    assert_eq!(short["name"], "short.txt");
}

#[test]
fn a_relation_in_no_frame_is_counted_and_the_kinds_of_the_file_join_its_schema() {
    let sb = Sandbox::new();
    copy_fixture(&sb, "frames/russia_nato.txt", "brat/russia_nato.txt");
    let mut ann = String::from_utf8(fixture("frames/russia_nato.ann")).unwrap();
    // Lavrov and NATO: a kind that is no role of a frame; and said's own agent (a cue's).
    ann.push_str("R7\topposes Arg1:T1 Arg2:T5\nR8\tagent Arg1:T2 Arg2:T1\n");
    sb.write("brat/russia_nato.ann", ann);
    sb.run(&["import", "--from", "brat", "brat", "--out", "ws"])
        .code(0);
    let native = sb.json("ws/russia_nato.txt.spanmark.json");
    let kinds = native["schema"]["relations"].as_array().unwrap();
    let opposes = kinds.iter().find(|k| k["name"] == "opposes").unwrap();
    assert_eq!((&opposes["from"], &opposes["to"]), (&json!([]), &json!([])));
    let source = kinds.iter().find(|k| k["name"] == "source").unwrap();
    assert_eq!(
        (&source["from"], &source["to"], &source["hotkey"]),
        (&json!(["claim"]), &json!(["actor"]), &json!("s"))
    );
    let run = sb.run(&["validate", "ws"]);
    run.code(0);
    assert!(run.stderr.is_empty(), "{run}");

    let run = sb.run(&["export", "--to", "frames", "ws", "--out", "f.jsonl"]);
    run.code(1).stderr_has(&[
        "frames cannot hold 2 relations in no frame; nothing written",
        "--allow-loss",
    ]);
    assert!(!sb.exists("f.jsonl") && !sb.exists("f.jsonl.manifest.json"));
    let run = sb.run(&[
        "export",
        "--to",
        "frames",
        "ws",
        "--out",
        "f.jsonl",
        "--allow-loss",
    ]);
    run.code(0)
        .stderr_has(&["2 relations in no frame", "--allow-loss"]);
    assert_eq!(lines(&sb, "f.jsonl").len(), 2);
    assert_eq!(
        sb.json("f.jsonl.manifest.json")["not_held_by_the_format"],
        json!({"relations in no frame": 2})
    );
}

#[test]
fn a_broken_input_is_named_and_the_others_are_written() {
    let sb = Sandbox::new();
    import_article(&sb);
    sb.write("ws/broken.txt.spanmark.json", "{\"format\": \"spanmark\", ");
    let run = sb.run(&["export", "--to", "frames", "ws", "--out", "f.jsonl"]);
    run.code(1).stderr_has(&["broken.txt.spanmark.json"]);
    assert_eq!(lines(&sb, "f.jsonl").len(), 2);
    // A format that is only written cannot be read.
    sb.run(&["import", "--from", "frames", "f.jsonl", "--out", "back"])
        .code(2)
        .stderr_has(&["frames"]);
}
