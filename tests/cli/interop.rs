//! `spanmark import`/`export` with other tools' files: the real files in `tests/fixtures/`
//! (doccano, Label Studio, Prodigy) read whole and written back, offsets in UTF-16, `--map`,
//! and every export format through the binary.

use std::collections::BTreeMap;
use std::path::Path;

use super::*;

/// The bytes of `tests/fixtures/REL`.
pub fn fixture(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Copies `tests/fixtures/REL` into the sandbox at `to`.
pub fn copy_fixture(sb: &Sandbox, rel: &str, to: &str) {
    sb.write(to, fixture(rel));
}

/// Texts, each with its spans.
pub type Contents = Vec<(String, Vec<(u64, u64, String, String)>)>;

/// Every native file under `dir`: its text and its spans `(start, end, label, text)`, sorted,
/// so two imports of the same data compare equal whatever the file names.
pub fn contents(sb: &Sandbox, dir: &str) -> Contents {
    let mut out: Vec<_> = sb
        .files()
        .into_iter()
        .filter(|f| f.starts_with(&format!("{dir}/")) && f.ends_with(".spanmark.json"))
        .map(|f| {
            let native = sb.json(&f);
            (
                native["document"]["text"].as_str().unwrap().to_string(),
                spans(&native),
            )
        })
        .collect();
    out.sort();
    out
}

fn total_spans(c: &Contents) -> usize {
    c.iter().map(|(_, s)| s.len()).sum()
}

const DOCCANO: [&str; 9] = [
    "doccano__doccano/backend/data_export/pipeline/examples/sequence_labeling/example.jsonl",
    "doccano__doccano/backend/data_export/pipeline/examples/relation_extraction/example.jsonl",
    "doccano__doccano/backend/data_import/pipeline/examples/sequence_labeling/example.jsonl",
    "doccano__doccano/backend/data_import/pipeline/examples/relation_extraction/example.jsonl",
    "doccano__doccano/backend/data_import/tests/data/relation_extraction/example.jsonl",
    "doccano__doccano/backend/data_import/tests/data/sequence_labeling/example.jsonl",
    "doccano__doccano/backend/data_import/tests/data/sequence_labeling/example_overlapping.jsonl",
    "doccano__doccano-transformer/tests/data/labeling/labeling.jsonl",
    "doccano__doccano-transformer/tests/data/labeling/labeling_text_label.jsonl",
];

#[test]
fn doccano_fixtures_import_whole_and_round_trip() {
    let sb = Sandbox::new();
    for (i, rel) in DOCCANO.iter().enumerate() {
        copy_fixture(
            &sb,
            &format!("doccano/{rel}"),
            &format!("in/{i}/{}", file(rel)),
        );
    }
    let run = sb.run(&[
        "import",
        "--from",
        "doccano",
        "in",
        "--out",
        "ws",
        "--offsets",
        "unicode-scalar",
    ]);
    // One record has no text, one span is there twice: both reported, by file and line.
    run.code(1)
        .stdout_has(&["imported 17 documents with 48 spans"]);
    assert_eq!(run.stderr.lines().count(), 2, "{run}");
    run.stderr_has(&[
        "in/5/example.jsonl:3: no \"text\" field",
        "in/6/example_overlapping.jsonl:1: span 1 (LOC 0..1): the same span as span 0",
    ]);
    let before = contents(&sb, "ws");
    assert_eq!(total_spans(&before), 48);
    // The repeat is counted on the span, and the relations are there.
    let overlap = sb
        .files()
        .into_iter()
        .find(|f| f.starts_with("ws/example_overlapping") && f.ends_with(".spanmark.json"))
        .unwrap();
    assert_eq!(
        sb.json(&overlap)["spans"][0]["attrs"]["doccano.copies"],
        "2"
    );
    let relations: usize = sb
        .files()
        .iter()
        .filter(|f| f.starts_with("ws/") && f.ends_with(".spanmark.json"))
        .map(|f| sb.json(f)["relations"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(relations, 9);

    // Out in doccano's shape and back: the same texts and spans.
    let run = sb.run(&["export", "--to", "doccano", "ws", "--out", "out.jsonl"]);
    run.code(0).stdout_has(&[
        "exported 17 documents with 48 spans",
        "manifest: out.jsonl.manifest.json",
    ]);
    let lines: Vec<Value> = sb
        .read_string("out.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 17);
    // Relations present: the entities form for the whole file.
    assert!(
        lines.iter().all(|l| l.get("entities").is_some()),
        "{lines:?}"
    );
    let run = sb.run(&[
        "import",
        "--from",
        "doccano",
        "out.jsonl",
        "--out",
        "again",
        "--offsets",
        "unicode-scalar",
    ]);
    // The repeated span was written back twice, as it came, and is reported again.
    run.code(1)
        .stderr_has(&["the same span as entity 0 (same range and label); kept once"]);
    assert_eq!(run.stderr.lines().count(), 1, "{run}");
    assert_eq!(contents(&sb, "again"), before);
}

fn file(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap()
}

#[test]
fn doccano_offsets_in_utf16_and_the_question_when_no_unit_is_named() {
    let sb = Sandbox::new();
    // doccano #2290: "firetrucks" is 22..32 in UTF-16, 19..29 in characters.
    sb.write(
        "d.jsonl",
        "{\"text\": \"👨🏻‍🚒 firemen drive firetrucks\", \"label\": [[22, 32, \"VEHICLE\"], [8, 15, \"PEOPLE\"]]}\n",
    );
    let run = sb.run(&["import", "--from", "doccano", "d.jsonl", "--out", "guess"]);
    // Read as characters, "firetrucks" runs past the end; "firemen" is taken but questioned.
    run.code(1).stderr_has(&[
        "d.jsonl:1: span 0 (VEHICLE 22..32): runs past the end",
        "try --offsets utf16",
        "d.jsonl:1: 1 span(s) end after character 0",
        "can only show after",
    ]);
    let run = sb.run(&[
        "import",
        "--from",
        "doccano",
        "d.jsonl",
        "--out",
        "ws",
        "--offsets",
        "utf16",
    ]);
    run.code(0);
    let native = sb.json("ws/d-1.txt.spanmark.json");
    assert_eq!(
        spans(&native),
        [
            span(5, 12, "PEOPLE", "firemen"),
            span(19, 29, "VEHICLE", "firetrucks")
        ]
    );
    // Written back for doccano's UI in UTF-16, as it came.
    sb.run(&[
        "export",
        "--to",
        "doccano",
        "ws",
        "--out",
        "back.jsonl",
        "--offsets",
        "utf16",
    ])
    .code(0);
    let back: Value = serde_json::from_str(sb.read_string("back.jsonl").trim()).unwrap();
    assert_eq!(
        back["label"],
        json!([[8, 15, "PEOPLE"], [22, 32, "VEHICLE"]])
    );
    // --offsets on export is for the formats that have a choice.
    sb.run(&[
        "export",
        "--to",
        "jsonl",
        "ws",
        "--out",
        "x.jsonl",
        "--offsets",
        "utf16",
    ])
    .code(2)
    .stderr_has(&["--offsets is for --to doccano or label-studio"]);
    assert!(!sb.exists("x.jsonl"));
}

/// The native file under `dir` whose text starts with `start` and whose first span is a
/// prediction (`predicted`) or not.
fn native_with(sb: &Sandbox, dir: &str, start: &str, predicted: bool) -> Value {
    sb.files()
        .into_iter()
        .filter(|f| f.starts_with(&format!("{dir}/")) && f.ends_with(".spanmark.json"))
        .map(|f| sb.json(&f))
        .find(|n| {
            n["document"]["text"].as_str().unwrap().starts_with(start)
                && n["spans"].as_array().is_some_and(|s| !s.is_empty())
                && n["spans"][0]["attrs"].get("ls.prediction").is_some() == predicted
        })
        .unwrap_or_else(|| panic!("no native file in {dir} starts with {start:?}"))
}

const LS: &str = "labelstudio/HumanSignal__label-studio-frontend/examples";

#[test]
fn label_studio_fixtures_import_whole_flag_the_contradiction_and_round_trip() {
    let sb = Sandbox::new();
    for example in ["named_entity", "phrases", "rich_text_plain"] {
        copy_fixture(
            &sb,
            &format!("{LS}/{example}/tasks.json"),
            &format!("in/{example}/tasks.json"),
        );
        copy_fixture(
            &sb,
            &format!("{LS}/{example}/annotations/1.json"),
            &format!("in/{example}/annotations/1.json"),
        );
    }
    copy_fixture(
        &sb,
        "labelstudio-converter/HumanSignal__label-studio-converter/tests/data/test_export_csv/csv_test.json",
        "in/csv_test.json",
    );
    let run = sb.run(&["import", "--from", "label-studio", "in", "--out", "ws"]);
    run.code(1)
        .stdout_has(&["imported 8 documents with 5 spans"]);
    // The rich_text_plain example: its region text contradicts its offsets, in both files.
    let flagged = run.stderr_lines_with("value.text is \"February 22\"");
    assert_eq!(flagged.len(), 2, "{run}");
    assert!(flagged.iter().all(|l| l.contains("rich_text_plain/")
        && l.contains("result 0 (Date 343..354)")
        && l.contains("kept at the offsets")));
    assert_eq!(run.stderr.lines().count(), 2, "{run}");
    let rich = native_with(&sb, "ws", "Donald Trump just couldn t", false);
    assert_eq!(rich["spans"][0]["text"], " supporters");
    assert_eq!(rich["spans"][0]["attrs"]["ls.text"], "February 22");
    // Predictions: pending suggestions of agent ls:<model version>.
    let suggested = native_with(&sb, "ws", "Showers continued", true);
    assert_eq!(suggested["spans"][0]["origin"], "suggested");
    assert_eq!(suggested["spans"][0]["attrs"]["agent"], "ls:model 1");
    assert_eq!(suggested["spans"][0]["status"], "pending");
    assert_eq!(suggested["spans"][0]["attrs"]["ls.prediction"], "model 1");
    assert_eq!(
        suggested["document"]["meta"]["label_studio"]["text_key"],
        "text"
    );
    let before = contents(&sb, "ws");

    let run = sb.run(&["export", "--to", "label-studio", "ws", "--out", "out.json"]);
    // The prediction no one accepted is left out of the export, and the export says so.
    run.code(0)
        .stderr_has(&["note: 2 suggestions no one accepted left out"]);
    let tasks: Value = sb.json("out.json");
    assert_eq!(tasks.as_array().unwrap().len(), 8);
    sb.run(&[
        "import",
        "--from",
        "label-studio",
        "out.json",
        "--out",
        "again",
    ])
    .code(0);
    // Everything comes back but the predictions: their tasks are there without them.
    // (An annotator's copy of a task may hold the same spans: only the predictions' copy goes.)
    let mut predicted: Contents = sb
        .files()
        .into_iter()
        .filter(|f| f.starts_with("ws/") && f.ends_with(".spanmark.json"))
        .map(|f| sb.json(&f))
        .filter(|n| n["spans"][0]["origin"] == "suggested")
        .map(|n| {
            (
                n["document"]["text"].as_str().unwrap().to_string(),
                spans(&n),
            )
        })
        .collect();
    assert_eq!(predicted.len(), 2);
    let mut expected: Contents = before
        .into_iter()
        .map(|doc| {
            if let Some(at) = predicted.iter().position(|p| *p == doc) {
                predicted.remove(at);
                (doc.0, Vec::new())
            } else {
                doc
            }
        })
        .collect();
    expected.sort();
    assert_eq!(contents(&sb, "again"), expected);
}

#[test]
fn label_studio_names_come_from_the_data_or_from_options() {
    let sb = Sandbox::new();
    copy_fixture(
        &sb,
        &format!("{LS}/named_entity/annotations/1.json"),
        "ner.json",
    );
    sb.run(&[
        "import",
        "--from",
        "label-studio",
        "ner.json",
        "--out",
        "ws",
    ])
    .code(0);
    sb.run(&["export", "--to", "label-studio", "ws", "--out", "a.json"])
        .code(0);
    let region = &sb.json("a.json")[0]["annotations"][0]["result"][0];
    assert_eq!(
        (&region["from_name"], &region["to_name"]),
        (&json!("ner"), &json!("text"))
    );
    sb.run(&[
        "export",
        "--to",
        "label-studio",
        "ws",
        "--out",
        "b.json",
        "--from-name",
        "label",
        "--to-name",
        "doc",
        "--text-key",
        "body",
    ])
    .code(0);
    let task = &sb.json("b.json")[0];
    let region = &task["annotations"][0]["result"][0];
    assert_eq!(
        (&region["from_name"], &region["to_name"]),
        (&json!("label"), &json!("doc"))
    );
    assert!(
        task["data"]["body"]
            .as_str()
            .unwrap()
            .starts_with("Showers")
    );
    sb.run(&[
        "export",
        "--to",
        "doccano",
        "ws",
        "--out",
        "c.jsonl",
        "--from-name",
        "x",
    ])
    .code(2)
    .stderr_has(&["--from-name is for --to label-studio"]);
    // A task whose text field cannot be told: --text-key names it.
    sb.write_json(
        "two.json",
        &json!([{"data": {"title": "T", "body": "Lavrov said"}}]),
    );
    sb.run(&[
        "import",
        "--from",
        "label-studio",
        "two.json",
        "--out",
        "t1",
    ])
    .code(1)
    .stderr_has(&["two.json:", "--text-key"]);
    sb.run(&[
        "import",
        "--from",
        "label-studio",
        "two.json",
        "--out",
        "t2",
        "--text-key",
        "body",
    ])
    .code(0);
    assert_eq!(sb.read_string("t2/two-1.txt"), "Lavrov said");
}

#[test]
fn prodigy_records_keep_what_they_carry() {
    let sb = Sandbox::new();
    copy_fixture(
        &sb,
        "spacy-jsonl/explosion__projects/tutorials/rel_component/assets/annotations.jsonl",
        "rel.jsonl",
    );
    let run = sb.run(&["import", "--from", "jsonl", "rel.jsonl", "--out", "ws"]);
    run.code(0)
        .stdout_has(&["imported 149 documents with 466 spans"]);
    let first = sb.json("ws/rel-1.txt.spanmark.json");
    assert_eq!(first["document"]["meta"]["prodigy"]["answer"], "accept");
    assert!(first["document"]["meta"]["prodigy"]["_input_hash"].is_i64());
    assert!(
        first["spans"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "accepted")
    );
    let run = sb.run(&["export", "--to", "jsonl", "ws", "--out", "out.jsonl"]);
    run.code(0);
    let original: Vec<Value> = String::from_utf8(fixture(
        "spacy-jsonl/explosion__projects/tutorials/rel_component/assets/annotations.jsonl",
    ))
    .unwrap()
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect();
    let out: Vec<Value> = sb
        .read_string("out.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Files are read in name order (rel-1, rel-10, …): match records by their task hash.
    let by_hash: BTreeMap<i64, &Value> = out
        .iter()
        .map(|r| (r["_task_hash"].as_i64().unwrap(), r))
        .collect();
    assert_eq!(by_hash.len(), original.len());
    for want in &original {
        let got = by_hash[&want["_task_hash"].as_i64().unwrap()];
        for key in ["text", "tokens", "answer", "_input_hash", "_view_id"] {
            assert_eq!(got[key], want[key], "{key}");
        }
        assert_eq!(
            got["relations"].as_array().unwrap().len(),
            want["relations"].as_array().unwrap().len()
        );
        assert_eq!(got["meta"]["source"], want["meta"]["source"]);
    }
}

#[test]
fn map_renames_foreign_labels_for_every_importer() {
    let sb = Sandbox::new();
    sb.write(
        "d.jsonl",
        "{\"text\": \"Lavrov met Blinken on Monday\", \"label\": [[0, 6, \"PERSON\"], [0, 6, \"ORG\"], [11, 18, \"PERSON\"], [22, 28, \"DATE\"]]}\n",
    );
    let run = sb.run(&[
        "import",
        "--from",
        "doccano",
        "d.jsonl",
        "--out",
        "ws",
        "--map",
        "ORG=actor,PERSON=actor",
        "--map",
        "DATE=date",
    ]);
    // ORG and PERSON on one name cannot both become actor: one stays, reported.
    run.code(1)
        .stderr_has(&["span s1 (PERSON 0..6): kept as PERSON, not mapped to actor"]);
    let native = sb.json("ws/d-1.txt.spanmark.json");
    assert_eq!(
        spans(&native),
        [
            span(0, 6, "PERSON", "Lavrov"),
            span(0, 6, "actor", "Lavrov"),
            span(11, 18, "actor", "Blinken"),
            span(22, 28, "date", "Monday"),
        ]
    );
    let schema: Vec<&str> = native["schema"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert!(
        schema.contains(&"actor") && schema.contains(&"PERSON"),
        "{schema:?}"
    );
    let history = native["history"].as_array().unwrap();
    assert!(
        history
            .iter()
            .any(|h| h["detail"].as_str().is_some_and(|d| d.contains(
                "labels mapped on import: DATE→date (1), ORG→actor (1), PERSON→actor (1)"
            )))
    );
    // The same for Label Studio and JSONL.
    copy_fixture(
        &sb,
        &format!("{LS}/named_entity/annotations/1.json"),
        "ls.json",
    );
    sb.run(&[
        "import",
        "--from",
        "label-studio",
        "ls.json",
        "--out",
        "ls",
        "--map",
        "Date=date",
    ])
    .code(0);
    assert_eq!(
        sb.json("ls/ls-1.txt.spanmark.json")["spans"][0]["label"],
        "date"
    );
    sb.write_jsonl(
        "j.jsonl",
        &[record("j.txt", "NATO said", &[(0, 4, "ORG", "NATO")])],
    );
    sb.run(&[
        "import",
        "--from",
        "jsonl",
        "j.jsonl",
        "--out",
        "j",
        "--map",
        "ORG=actor",
    ])
    .code(0);
    assert_eq!(
        spans(&sb.json("j/j.txt.spanmark.json")),
        [span(0, 4, "actor", "NATO")]
    );
    // A map that makes no sense is refused before anything is written.
    sb.run(&[
        "import", "--from", "jsonl", "j.jsonl", "--out", "bad", "--map", "ORG",
    ])
    .code(2)
    .stderr_has(&["FROM=TO"]);
    assert!(!sb.exists("bad"));
}

/// A document with emoji, CJK, CRLF, a relation and a discontinuous span, as a native file.
fn rich_document(sb: &Sandbox) {
    import_records(
        sb,
        &[record(
            "rich.txt",
            "👍 Lavrov said 東京 talks end.\r\nNATO replied.",
            &[
                (2, 8, "actor", "Lavrov"),
                (9, 13, "action", "said"),
                (29, 33, "actor", "NATO"),
            ],
        )],
        "rita",
    );
}

#[test]
fn every_format_is_exported_by_the_binary() {
    let sb = Sandbox::new();
    rich_document(&sb);
    for (format, out, written) in [
        ("jsonl", "x.jsonl", vec!["x.jsonl", "x.jsonl.manifest.json"]),
        (
            "doccano",
            "x-doccano.jsonl",
            vec!["x-doccano.jsonl", "x-doccano.jsonl.manifest.json"],
        ),
        ("conll", "x.conll", vec!["x.conll", "x.conll.manifest.json"]),
        (
            "label-studio",
            "x.json",
            vec!["x.json", "x.json.manifest.json"],
        ),
        ("csv", "x.csv", vec!["x.csv", "x.csv.manifest.json"]),
        (
            "brat",
            "brat",
            vec!["brat/manifest.json", "brat/rich.ann", "brat/rich.txt"],
        ),
        ("w3c", "w3c", vec!["w3c/manifest.json", "w3c/rich.jsonld"]),
        ("native", "native", vec!["native/rich.txt.spanmark.json"]),
    ] {
        let before = sb.files();
        let run = sb.run(&["export", "--to", format, "ws", "--out", out]);
        run.code(0);
        let new: Vec<String> = sb
            .files()
            .into_iter()
            .filter(|f| !before.contains(f))
            .collect();
        assert_eq!(new, written, "{format}:\n{run}");
    }
    // Each reads back (where the format can be read) with the same spans.
    let want = contents(&sb, "ws");
    for (format, input, extra) in [
        ("jsonl", "x.jsonl", vec![]),
        (
            "doccano",
            "x-doccano.jsonl",
            vec!["--offsets", "unicode-scalar"],
        ),
        ("label-studio", "x.json", vec![]),
        ("brat", "brat", vec![]),
        ("native", "native", vec![]),
    ] {
        let out = format!("back-{format}");
        let mut args = vec!["import", "--from", format, input, "--out", out.as_str()];
        args.extend(extra);
        sb.run(&args).code(0);
        assert_eq!(contents(&sb, &out), want, "{format}");
    }
    sb.run(&[
        "import",
        "--from",
        "w3c",
        "w3c/rich.jsonld",
        "--source",
        "ws/rich.txt",
        "--out",
        "back-w3c",
    ])
    .code(0);
    assert_eq!(contents(&sb, "back-w3c"), want);
    // --source is for w3c only, and w3c needs it.
    sb.run(&["import", "--from", "w3c", "w3c", "--out", "no"])
        .code(2)
        .stderr_has(&["--source"]);
    sb.run(&[
        "import",
        "--from",
        "jsonl",
        "x.jsonl",
        "--out",
        "no",
        "--source",
        "ws/rich.txt",
    ])
    .code(2);
    assert!(!sb.exists("no"));
}

#[test]
fn native_import_copies_files_with_their_articles() {
    let sb = Sandbox::new();
    sb.write("in/legacy.txt", WINDOWS_1252);
    sb.run(&["import", "--from", "text", "in", "--out", "ws"])
        .code(0);
    rich_document(&sb);
    let run = sb.run(&[
        "import",
        "--from",
        "native",
        "ws",
        "--out",
        "copy",
        "--map",
        "actor=person",
    ]);
    run.code(0)
        .stdout_has(&["imported 2 documents with 3 spans"]);
    // The article is copied byte for byte when it is still there unchanged.
    assert_eq!(sb.read("copy/legacy.txt"), WINDOWS_1252);
    let copy = sb.json("copy/legacy.txt.spanmark.json");
    assert_eq!(copy["document"]["encoding"], "windows-1252");
    assert_eq!(
        spans(&sb.json("copy/rich.txt.spanmark.json"))[0],
        span(2, 8, "person", "Lavrov")
    );
    sb.run(&["validate", "copy"]).code(0);
}

/// A CoNLL file's sentences of `(token, middle columns, tag)`, tags in IOB2 (an `I-` that
/// starts an entity read as `B-`); `-DOCSTART-` lines and extra blank lines leave nothing.
fn conll_sentences(content: &str) -> Vec<Vec<(String, Vec<String>, String)>> {
    let mut sentences = vec![Vec::new()];
    let mut prev: Option<String> = None;
    for line in content.lines() {
        let sep = if line.contains('\t') { '\t' } else { ' ' };
        let fields: Vec<&str> = line.split(sep).filter(|f| !f.is_empty()).collect();
        if fields.is_empty() || fields[0] == "-DOCSTART-" {
            if sentences.last().is_some_and(|s: &Vec<_>| !s.is_empty()) {
                sentences.push(Vec::new());
            }
            prev = None;
            continue;
        }
        let last = fields.len() - 1;
        let mut tag = fields[last].to_string();
        if let Some(t) = tag.strip_prefix("I-").map(str::to_string) {
            if prev.as_deref() != Some(t.as_str()) {
                tag = format!("B-{t}");
            }
            prev = Some(t);
        } else {
            prev = tag.strip_prefix("B-").map(str::to_string);
        }
        let middle = fields[1..last].iter().map(|c| c.to_string()).collect();
        sentences
            .last_mut()
            .unwrap()
            .push((fields[0].to_string(), middle, tag));
    }
    sentences.retain(|s| !s.is_empty());
    sentences
}

#[test]
fn conll_import_then_export_keeps_the_source_tokens_tags_columns_and_sentences() {
    for rel in [
        "conll/leondz__emerging_entities_17/emerging.dev.conll",
        "conll/chakki-works__seqeval/tests/data/ground_truth.txt",
        "conll/flairNLP__flair/tests/resources/tasks/fashion/eng.testa",
    ] {
        let sb = Sandbox::new();
        copy_fixture(&sb, rel, "in.conll");
        sb.run(&["import", "--from", "conll", "in.conll", "--out", "ws"])
            .code(0);
        sb.run(&["export", "--to", "conll", "ws", "--out", "out.conll"])
            .code(0);
        let source = String::from_utf8(fixture(rel)).unwrap();
        let written = sb.read_string("out.conll");
        let (a, b) = (conll_sentences(&source), conll_sentences(&written));
        assert_eq!(a.len(), b.len(), "{rel}: sentences");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y, "{rel}");
        }
    }
}
