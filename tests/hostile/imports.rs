//! Every import format: garbage in each, a 20 MB line, and records that are well formed but
//! wrong (offsets past the end or reversed, quoted text that contradicts them, duplicate ids,
//! unknown labels, names that try to leave the output folder).
//!
//! Formats that exist: jsonl, doccano, label-studio, brat, conll, w3c (and native, text: see
//! `native.rs`, `articles.rs`).

use serde_json::json;

use super::*;

const TEXT: &str = "Lavrov said on Monday that NATO regretted it.";

/// One input file per format, named so that the format reads it: (format, file, extra args).
fn input_of(format: &str, stem: &str) -> (String, Vec<String>) {
    let ext = match format {
        "jsonl" | "doccano" => "jsonl",
        "label-studio" => "json",
        "brat" => "ann",
        "conll" => "conll",
        "w3c" => "jsonld",
        other => panic!("no such format {other}"),
    };
    let extra = if format == "w3c" {
        vec!["--source".to_string(), "article.txt".to_string()]
    } else {
        Vec::new()
    };
    (format!("in/{stem}.{ext}"), extra)
}

const FORMATS: [&str; 6] = ["jsonl", "doccano", "label-studio", "brat", "conll", "w3c"];

fn import(
    sb: &Sandbox,
    format: &str,
    file: &str,
    extra: &[String],
    code: i32,
    needles: &[&str],
) -> Run {
    let mut args = vec!["import", "--from", format, file, "--out", "out"];
    args.extend(extra.iter().map(String::as_str));
    // A failing import names the file.
    let mut all = if code == 0 { vec![] } else { vec![file] };
    all.extend_from_slice(needles);
    hostile(sb, &args, code, &all, Some("out"))
}

#[test]
fn garbage_in_every_format_is_refused_with_nothing_half_written() {
    let sb = Sandbox::new();
    sb.write("article.txt", TEXT);
    for format in FORMATS {
        for (name, bytes) in garbage() {
            let (file, extra) = input_of(format, name);
            sb.write(&file, &bytes);
            if format == "brat" {
                // A .ann needs its .txt: a good one beside the garbage.
                sb.write(&file.replace(".ann", ".txt"), TEXT);
            }
            // An empty .ann is a document with no annotations yet.
            let empty_ann = format == "brat" && matches!(name, "empty" | "whitespace");
            let code = if empty_ann { 0 } else { 1 };
            let run = import(&sb, format, &file, &extra, code, &[]);
            if !empty_ann {
                assert!(!run.stderr.is_empty(), "{format} {name}: silent\n{run}");
            }
            std::fs::remove_dir_all(sb.join("in")).unwrap();
            if sb.exists("out") {
                std::fs::remove_dir_all(sb.join("out")).unwrap();
            }
        }
    }
}

#[test]
fn garbage_beside_a_good_brat_file_is_refused_or_reported() {
    let sb = Sandbox::new();
    for (name, bytes) in garbage() {
        sb.write("in/doc.ann", "T1\tactor 0 6\tLavrov\n");
        sb.write("in/doc.txt", &bytes);
        let run = hostile(
            &sb,
            &["import", "--from", "brat", "in/doc.ann", "--out", "out"],
            1,
            &[],
            Some("out"),
        );
        assert!(
            run.stderr.contains("doc.txt") || run.stderr.contains("doc.ann"),
            "{name}\n{run}"
        );
        // JSON-looking garbage is still text (its T1 is reported); the rest is no article.
        let text_like = matches!(name, "truncated-json" | "deep-array" | "deep-object");
        if !text_like {
            assert!(check_output(&sb, "out", &run).is_empty(), "{name}\n{run}");
        }
        std::fs::remove_dir_all(sb.join("in")).unwrap();
        if sb.exists("out") {
            std::fs::remove_dir_all(sb.join("out")).unwrap();
        }
    }
}

#[test]
fn a_20_mb_line_is_refused_in_every_format() {
    let sb = Sandbox::new();
    sb.write("article.txt", TEXT);
    let line = huge_line();
    for format in FORMATS {
        let (file, extra) = input_of(format, "huge");
        sb.write(&file, &line);
        if format == "brat" {
            sb.write("in/huge.txt", TEXT);
        }
        import(&sb, format, &file, &extra, 1, &[]);
        std::fs::remove_dir_all(sb.join("in")).unwrap();
        if sb.exists("out") {
            std::fs::remove_dir_all(sb.join("out")).unwrap();
        }
    }
}

#[test]
fn a_20_mb_record_is_imported() {
    let sb = Sandbox::new();
    let text = format!("Lavrov said. {}", "word ".repeat(4 << 20));
    sb.write_jsonl(
        "in/big.jsonl",
        &[json!({"text": text, "spans": [{"start": 0, "end": 6, "label": "actor"}]})],
    );
    let run = import(&sb, "jsonl", "in/big.jsonl", &[], 0, &[]);
    assert_eq!(check_output(&sb, "out", &run).len(), 1);
}

/// The spans (label, text) of the one document imported into `out`.
fn imported_spans(sb: &Sandbox) -> Vec<(String, String)> {
    let natives: Vec<String> = sb
        .names_in("out")
        .into_iter()
        .filter(|n| n.ends_with(".spanmark.json"))
        .collect();
    assert_eq!(natives.len(), 1, "{natives:?}");
    let v = sb.json(&format!("out/{}", natives[0]));
    v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["label"].as_str().unwrap().to_string(),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn jsonl_wrong_spans_are_reported_one_by_one_and_the_rest_kept() {
    let sb = Sandbox::new();
    sb.write_jsonl(
        "in/bad.jsonl",
        &[json!({"text": TEXT, "spans": [
            {"start": 0, "end": 999, "label": "actor"},
            {"start": 6, "end": 0, "label": "actor"},
            {"start": 0, "end": 6, "label": "actor", "text": "Putin"},
            {"start": 27, "end": 31, "label": "ORG", "text": "NATO"},
            {"start": 0, "end": 6, "label": "actor", "text": "Lavrov"},
            {"start": 0, "end": 6, "label": "actor", "text": "Lavrov"},
            {"start": -3, "end": 6, "label": "actor"},
            {"start": 0, "end": 6},
        ]})],
    );
    let run = import(&sb, "jsonl", "in/bad.jsonl", &[], 1, &[]);
    for (span, what) in [
        ("span 0", "past the end"),
        ("span 1", "reversed"),
        ("span 2", "\"Putin\""),
        ("span 5", "already has"),
        ("span 6", "\"start\""),
        ("span 7", "\"label\""),
    ] {
        assert!(
            run.stderr_lines_with(span)
                .iter()
                .any(|l| l.contains(what) && l.contains("bad.jsonl:1")),
            "{span}: {what}\n{run}"
        );
    }
    let mut spans = imported_spans(&sb);
    spans.sort();
    assert_eq!(
        spans,
        [
            ("ORG".to_string(), "NATO".to_string()),
            ("actor".to_string(), "Lavrov".to_string())
        ],
        "the unknown label is kept"
    );
}

#[test]
fn names_from_jsonl_never_leave_the_output_folder() {
    let sb = Sandbox::new();
    let names = [
        "../../evil.txt",
        "/etc/passwd",
        "..\\..\\win.ini",
        "CON",
        "aux.md",
        "a\u{0}b",
        "../",
    ];
    let lines: Vec<_> = names
        .iter()
        .map(|n| json!({"text": TEXT, "meta": {"name": n}}))
        .collect();
    sb.write_jsonl("in/names.jsonl", &lines);
    let run = import(&sb, "jsonl", "in/names.jsonl", &[], 0, &[]);
    assert_eq!(check_output(&sb, "out", &run).len(), names.len(), "{run}");
    for file in sb.names_in("out") {
        let stem = file.split('.').next().unwrap_or("").to_ascii_uppercase();
        assert!(!["CON", "AUX", "NUL"].contains(&stem.as_str()), "{file}");
        assert!(!file.starts_with('.') && !file.contains('\0'), "{file:?}");
    }
}

#[test]
fn doccano_wrong_spans_are_reported_and_the_rest_kept() {
    let sb = Sandbox::new();
    sb.write_jsonl(
        "in/bad.jsonl",
        &[json!({"text": TEXT, "label": [
            [0, 999, "actor"], [6, 0, "actor"], [27, 31, "ORG"], [0, 6, "actor"], [-1, 3, "actor"],
            ["a", "b", "actor"], [0, 6],
        ]})],
    );
    let run = import(&sb, "doccano", "in/bad.jsonl", &[], 1, &["bad.jsonl:1"]);
    assert!(run.stderr.contains("999"), "{run}");
    let mut spans = imported_spans(&sb);
    spans.sort();
    assert_eq!(
        spans,
        [
            ("ORG".to_string(), "NATO".to_string()),
            ("actor".to_string(), "Lavrov".to_string())
        ]
    );
}

#[test]
fn doccano_duplicate_entity_ids_are_reported() {
    let sb = Sandbox::new();
    sb.write_jsonl(
        "in/dup.jsonl",
        &[json!({"text": TEXT, "entities": [
            {"id": 1, "label": "actor", "start_offset": 0, "end_offset": 6},
            {"id": 1, "label": "actor", "start_offset": 27, "end_offset": 31},
        ], "relations": [{"id": 5, "from_id": 1, "to_id": 1, "type": "x"}]})],
    );
    let run = hostile(
        &sb,
        &[
            "import",
            "--from",
            "doccano",
            "in/dup.jsonl",
            "--out",
            "out",
        ],
        1,
        &["dup.jsonl"],
        Some("out"),
    );
    assert!(run.stderr.to_lowercase().contains("id"), "{run}");
}

#[test]
fn brat_wrong_annotations_are_reported_and_the_rest_kept() {
    let sb = Sandbox::new();
    sb.write("in/doc.txt", TEXT);
    sb.write(
        "in/doc.ann",
        "T1\tactor 0 6\tLavrov\n\
         T2\tactor 0 999\tLavrov\n\
         T3\tactor 6 0\tLavrov\n\
         T4\tactor 0 6\tPutin\n\
         T1\tactor 27 31\tNATO\n\
         T5\tORG 27 31\tNATO\n\
         T6\tactor -1 3\tLav\n\
         T7\tactor 0 99999999999999999999999\tx\n\
         R1\tagent Arg1:T1 Arg2:T99\n",
    );
    let run = import(&sb, "brat", "in/doc.ann", &[], 1, &["doc.ann"]);
    for id in ["T2", "T3", "T4", "T6", "T7", "R1"] {
        assert!(!run.stderr_lines_with(id).is_empty(), "{id}\n{run}");
    }
    assert!(
        run.stderr_lines_with("T1").iter().any(|l| l.contains(":5")),
        "the second T1 is reported by line\n{run}"
    );
    let spans = imported_spans(&sb);
    assert!(
        spans.contains(&("ORG".to_string(), "NATO".to_string())),
        "{spans:?}"
    );
    assert!(
        spans.contains(&("actor".to_string(), "Lavrov".to_string())),
        "{spans:?}"
    );
}

#[test]
fn conll_unknown_tags_are_kept_and_broken_lines_reported() {
    let sb = Sandbox::new();
    sb.write(
        "in/doc.conll",
        "Lavrov B-PER\nsaid O\nNATO B-ORG\nregretted I-MISC\nit O-WHAT\n\n\n-DOCSTART- -X- O O\n",
    );
    let run = import(&sb, "conll", "in/doc.conll", &[], 1, &["doc.conll:5"]);
    assert!(run.stderr.contains("O-WHAT"), "{run}");
    let natives = check_output(&sb, "out", &run);
    assert!(!natives.is_empty());
    let all: String = natives.iter().map(|n| sb.read_string(n)).collect();
    assert!(
        all.contains("\"PER\"") && all.contains("\"ORG\""),
        "kept: {all}"
    );
}

#[test]
fn label_studio_wrong_regions_are_reported_and_the_rest_kept() {
    let sb = Sandbox::new();
    let region = |id: &str, start: i64, end: i64, text: &str, label: &str| {
        json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": start, "end": end, "text": text, "labels": [label]}})
    };
    sb.write_json(
        "in/tasks.json",
        &json!([{"id": 1, "data": {"text": TEXT}, "annotations": [{"id": 9, "result": [
            region("a", 0, 6, "Lavrov", "actor"),
            region("b", 0, 999, "x", "actor"),
            region("c", 6, 0, "x", "actor"),
            region("a", 27, 31, "NATO", "actor"),
            region("d", 27, 31, "NATO", "ORG"),
            region("e", -5, 2, "x", "actor"),
        ]}]}]),
    );
    let run = import(
        &sb,
        "label-studio",
        "in/tasks.json",
        &[],
        1,
        &["tasks.json"],
    );
    assert!(run.stderr.contains("999"), "{run}");
    let spans = imported_spans(&sb);
    assert!(
        spans.contains(&("ORG".to_string(), "NATO".to_string())),
        "{spans:?}"
    );
    assert!(
        spans.contains(&("actor".to_string(), "Lavrov".to_string())),
        "{spans:?}"
    );
}

#[test]
fn w3c_wrong_selectors_are_reported_and_the_rest_kept() {
    let sb = Sandbox::new();
    sb.write("article.txt", TEXT);
    let anno = |id: &str, start: i64, end: i64, exact: &str, label: &str| {
        json!({"id": id, "type": "Annotation", "motivation": "tagging",
               "body": {"type": "TextualBody", "purpose": "tagging", "value": label},
               "target": {"selector": [
                   {"type": "TextQuoteSelector", "exact": exact},
                   {"type": "TextPositionSelector", "start": start, "end": end}]}})
    };
    sb.write_json(
        "in/annos.jsonld",
        &json!([
            anno("urn:a", 0, 6, "Lavrov", "actor"),
            anno("urn:b", 0, 999, "Lavrov", "actor"),
            anno("urn:c", 6, 0, "Lavrov", "actor"),
            anno("urn:d", 0, 6, "Putin", "actor"),
            anno("urn:a", 27, 31, "NATO", "actor"),
            anno("urn:e", 27, 31, "NATO", "ORG"),
        ]),
    );
    let run = import(
        &sb,
        "w3c",
        "in/annos.jsonld",
        &["--source".to_string(), "article.txt".to_string()],
        1,
        &["annos.jsonld"],
    );
    let spans = imported_spans(&sb);
    assert!(
        spans.contains(&("ORG".to_string(), "NATO".to_string())),
        "{spans:?}\n{run}"
    );
    assert!(
        spans.contains(&("actor".to_string(), "Lavrov".to_string())),
        "{spans:?}"
    );
}

#[test]
fn a_text_no_article_can_hold_is_not_imported() {
    let sb = Sandbox::new();
    // JSON escapes can carry what raw bytes cannot: a NUL character, or nothing but spaces.
    sb.write(
        "in/odd.jsonl",
        "{\"text\": \"Lav\\u0000rov said\", \"spans\": [{\"start\": 0, \"end\": 3, \"label\": \"actor\"}]}\n\
         {\"text\": \" \\r\\n\\t \"}\n\
         {\"text\": \"Lavrov said\"}\n",
    );
    let run = import(
        &sb,
        "jsonl",
        "in/odd.jsonl",
        &[],
        1,
        &["NUL character", "empty"],
    );
    assert_eq!(
        check_output(&sb, "out", &run).len(),
        1,
        "only the good line\n{run}"
    );
    sb.write(
        "in/odd-doccano.jsonl",
        "{\"text\": \"Lav\\u0000rov said\", \"label\": [[0, 3, \"actor\"]]}\n",
    );
    import(
        &sb,
        "doccano",
        "in/odd-doccano.jsonl",
        &[],
        1,
        &["NUL character"],
    );
}
