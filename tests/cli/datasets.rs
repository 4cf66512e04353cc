//! `spanmark export` as a dataset builder: filters, deterministic splits, manifests, and what
//! happens when the format cannot hold the data.

use super::*;

/// `n` documents `docK.txt` in `ws/`, each with an accepted `actor` span and a pending `date`.
fn corpus(sb: &Sandbox, n: usize) {
    let lines: Vec<Value> = (0..n)
        .map(|k| {
            // "Lavrov K spoke on Monday.": Monday starts after the number.
            let at = (17 + k.to_string().len()) as u64;
            record(
                &format!("doc{k}.txt"),
                &format!("Lavrov {k} spoke on Monday."),
                &[(0, 6, "actor", "Lavrov"), (at, at + 6, "date", "Monday")],
            )
        })
        .collect();
    import_records(sb, &lines, "rita");
    for k in 0..n {
        let path = format!("ws/doc{k}.txt.spanmark.json");
        let mut native = sb.json(&path);
        native["spans"][0]["status"] = json!("accepted");
        sb.write_json(&path, &native);
    }
}

/// The documents of a JSONL export, by `meta.name`.
fn names_in_jsonl(sb: &Sandbox, rel: &str) -> Vec<String> {
    sb.read_string(rel)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["meta"]["name"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn filters_keep_spans_by_status_and_label_and_documents_by_annotator() {
    let sb = Sandbox::new();
    corpus(&sb, 3);
    let path = "ws/doc2.txt.spanmark.json";
    let mut native = sb.json(path);
    native["annotator"] = json!("bob");
    sb.write_json(path, &native);
    sb.run(&["validate", "ws"]).code(0);

    sb.run(&[
        "export",
        "--to",
        "jsonl",
        "ws",
        "--out",
        "acc.jsonl",
        "--status",
        "accepted",
    ])
    .code(0)
    .stdout_has(&["exported 3 documents with 3 spans"]);
    for line in sb.read_string("acc.jsonl").lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["spans"].as_array().unwrap().len(), 1);
        assert_eq!(v["spans"][0]["label"], "actor");
    }
    sb.run(&[
        "export",
        "--to",
        "jsonl",
        "ws",
        "--out",
        "dates.jsonl",
        "--labels",
        "date",
    ])
    .code(0)
    .stdout_has(&["exported 3 documents with 3 spans"]);
    assert!(sb.read_string("dates.jsonl").contains("\"Monday\""));
    assert!(
        !sb.read_string("dates.jsonl")
            .contains("\"label\":\"actor\"")
    );
    // --annotator picks whose documents go out.
    sb.run(&[
        "export",
        "--to",
        "jsonl",
        "ws",
        "--out",
        "bob.jsonl",
        "--annotator",
        "bob",
    ])
    .code(0);
    assert_eq!(names_in_jsonl(&sb, "bob.jsonl"), ["doc2.txt"]);
    let manifest = sb.json("bob.jsonl.manifest.json");
    assert_eq!(manifest["filters"]["annotator"], json!(["bob"]));
    assert_eq!(manifest["filtered_out"]["documents"], 2);
    // Nothing left: nothing written.
    sb.run(&[
        "export",
        "--to",
        "jsonl",
        "ws",
        "--out",
        "none.jsonl",
        "--annotator",
        "carol",
    ])
    .code(1)
    .stderr_has(&["no document is left after the filters", "none.jsonl"]);
    assert!(!sb.exists("none.jsonl"));
    sb.run(&[
        "export", "--to", "jsonl", "ws", "--out", "x.jsonl", "--status", "done",
    ])
    .code(2)
    .stderr_has(&["pending, accepted, rejected"]);
}

/// The part of each document in a split export in `dir`, by name.
fn split_of(sb: &Sandbox, dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in ["train", "dev", "test"] {
        for name in names_in_jsonl(sb, &format!("{dir}/{part}.jsonl")) {
            out.push((name, part.to_string()));
        }
    }
    out.sort();
    out
}

#[test]
fn the_same_seed_gives_the_same_split_whatever_the_input_order() {
    let sb = Sandbox::new();
    corpus(&sb, 20);
    let split = |out: &str, seed: &str, inputs: &[String]| {
        let mut args = vec!["export", "--to", "jsonl"];
        args.extend(inputs.iter().map(String::as_str));
        args.extend(["--out", out, "--split", "80,10,10", "--seed", seed]);
        sb.run(&args).code(0);
    };
    let mut files: Vec<String> = (0..20)
        .map(|k| format!("ws/doc{k}.txt.spanmark.json"))
        .collect();
    split("a", "7", &["ws".to_string()]);
    files.reverse();
    split("b", "7", &files);
    files.swap(3, 11);
    split("c", "7", &files);
    split("d", "8", &["ws".to_string()]);
    let a = split_of(&sb, "a");
    assert_eq!(a.len(), 20);
    assert_eq!(a, split_of(&sb, "b"));
    assert_eq!(a, split_of(&sb, "c"));
    // The files themselves are the same bytes, whatever the order.
    for part in ["train", "dev", "test"] {
        assert_eq!(
            sb.read(&format!("a/{part}.jsonl")),
            sb.read(&format!("b/{part}.jsonl"))
        );
    }
    assert!(!sb.read("a/manifest.json").is_empty());
    let count = |part: &str| a.iter().filter(|(_, p)| p == part).count();
    assert_eq!((count("train"), count("dev"), count("test")), (16, 2, 2));
    // Another seed, another split.
    assert_ne!(a, split_of(&sb, "d"));
    // --seed needs --split; the weights must make sense.
    sb.run(&["export", "--to", "jsonl", "ws", "--out", "e", "--seed", "3"])
        .code(2);
    sb.run(&[
        "export", "--to", "jsonl", "ws", "--out", "e", "--split", "80",
    ])
    .code(2)
    .stderr_has(&["--split takes two"]);
    assert!(!sb.exists("e"));
}

#[test]
fn copies_of_one_article_stay_in_one_part() {
    let sb = Sandbox::new();
    corpus(&sb, 10);
    // bob annotated the same ten articles.
    for k in 0..10 {
        let mut native = sb.json(&format!("ws/doc{k}.txt.spanmark.json"));
        native["annotator"] = json!("bob");
        sb.write_json(&format!("bob/doc{k}.txt.spanmark.json"), &native);
    }
    sb.run(&[
        "export", "--to", "jsonl", "ws", "bob", "--out", "s", "--split", "50,50", "--seed", "1",
    ])
    .code(0);
    let train = names_in_jsonl(&sb, "s/train.jsonl");
    let test = names_in_jsonl(&sb, "s/test.jsonl");
    assert_eq!((train.len(), test.len()), (10, 10));
    assert!(
        train.iter().all(|n| !test.contains(n)),
        "{train:?} {test:?}"
    );
}

#[test]
fn the_manifest_records_what_went_into_each_part() {
    let sb = Sandbox::new();
    corpus(&sb, 4);
    let run = sb.run(&[
        "export", "--to", "conll", "ws", "--out", "sets", "--split", "50,0,50", "--seed", "42",
        "--labels", "actor",
    ]);
    run.code(0)
        .stdout_has(&["sets/train.conll", "manifest: sets/manifest.json"]);
    assert_eq!(
        sb.names_in("sets"),
        ["dev.conll", "manifest.json", "test.conll", "train.conll"]
    );
    let m = sb.json("sets/manifest.json");
    assert_eq!(m["spanmark_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["format"], "conll");
    assert_eq!(m["split"]["weights"], json!([50, 0, 50]));
    assert_eq!(m["split"]["seed"], 42);
    assert_eq!(m["filters"]["labels"], json!(["actor"]));
    assert_eq!(m["documents"], 4);
    assert_eq!(m["spans_per_label"], json!({"actor": 4}));
    assert_eq!(m["filtered_out"]["spans"], 4);
    let parts = m["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[1]["documents"], 0);
    let mut listed = 0;
    for part in parts {
        let path = format!("sets/{}", part["path"].as_str().unwrap());
        assert_eq!(
            part["sha256"].as_str().unwrap(),
            spanmark::store::hash::sha256_hex(&sb.read(&path)),
            "{path}"
        );
        for file in part["files"].as_array().unwrap() {
            listed += 1;
            let input = file["input"].as_str().unwrap();
            assert_eq!(
                file["input_sha256"].as_str().unwrap(),
                spanmark::store::hash::sha256_hex(&sb.read(input))
            );
            let native = sb.json(input);
            assert_eq!(file["text_sha256"], native["document"]["text_sha256"]);
            assert_eq!(file["source_sha256"], native["document"]["source_sha256"]);
            assert_eq!(file["annotator"], "rita");
        }
    }
    assert_eq!(listed, 4);
    // The same export again: the same manifest, byte for byte.
    let first = sb.read("sets/manifest.json");
    sb.run(&[
        "export", "--to", "conll", "ws", "--out", "sets", "--split", "50,0,50", "--seed", "42",
        "--labels", "actor",
    ])
    .code(0);
    assert_eq!(sb.read("sets/manifest.json"), first);
}

/// A native file with a discontinuous span and a relation.
fn awkward(sb: &Sandbox) -> &'static str {
    import_records(
        sb,
        &[record(
            "aw.txt",
            "North and South America met Lavrov.",
            &[
                (0, 23, "place", "North and South America"),
                (28, 34, "actor", "Lavrov"),
            ],
        )],
        "rita",
    );
    let path = "ws/aw.txt.spanmark.json";
    let mut native = sb.json(path);
    native["spans"][0]["fragments"] = json!([[0, 5], [16, 23]]);
    native["relations"] = json!([{
        "id": "r1", "kind": "met", "from": "s1", "to": "s2",
        "author": "rita", "created": "2026-01-01T00:00:00Z",
    }]);
    sb.write_json(path, &native);
    sb.run(&["validate", path]).code(0);
    path
}

#[test]
fn what_a_format_cannot_hold_stops_the_export_unless_allowed() {
    let sb = Sandbox::new();
    awkward(&sb);
    for (format, out, said) in [
        (
            "doccano",
            "d.jsonl",
            "doccano cannot hold 1 discontinuous spans",
        ),
        (
            "label-studio",
            "l.json",
            "label-studio cannot hold 1 discontinuous spans, 1 relations",
        ),
        (
            "jsonl",
            "j.jsonl",
            "jsonl cannot hold 1 discontinuous spans, 1 relations",
        ),
    ] {
        let run = sb.run(&["export", "--to", format, "ws", "--out", out]);
        run.code(1).stderr_has(&[said, "nothing written"]);
        assert!(!sb.exists(out), "{format}");
        assert!(!sb.exists(&format!("{out}.manifest.json")), "{format}");
        let run = sb.run(&["export", "--to", format, "ws", "--out", out, "--allow-loss"]);
        run.code(0)
            .stderr_has(&[said, "exported without them (--allow-loss)"]);
        let manifest = sb.json(&format!("{out}.manifest.json"));
        assert_eq!(
            manifest["not_held_by_the_format"]["discontinuous spans"], 1,
            "{format}"
        );
    }
    // doccano with the label form forced cannot hold the relation either.
    sb.run(&[
        "export",
        "--to",
        "doccano",
        "ws",
        "--out",
        "f.jsonl",
        "--doccano-form",
        "label",
    ])
    .code(1)
    .stderr_has(&["1 relations"]);
    // The entities form holds it.
    sb.run(&[
        "export",
        "--to",
        "doccano",
        "ws",
        "--out",
        "g.jsonl",
        "--doccano-form",
        "entities",
        "--allow-loss",
    ])
    .code(0);
    let g: Value = serde_json::from_str(sb.read_string("g.jsonl").trim()).unwrap();
    assert_eq!(
        g["relations"].as_array().unwrap().len(),
        0,
        "its span was not written"
    );
}

#[test]
fn per_document_formats_split_into_folders() {
    let sb = Sandbox::new();
    corpus(&sb, 6);
    sb.run(&[
        "export", "--to", "brat", "ws", "--out", "b", "--split", "50,50", "--seed", "5",
    ])
    .code(0);
    let train = sb.names_in("b/train");
    let test = sb.names_in("b/test");
    assert_eq!(train.len() + test.len(), 12, "{train:?} {test:?}");
    assert!(
        train
            .iter()
            .all(|n| n.ends_with(".ann") || n.ends_with(".txt"))
    );
    assert_eq!(sb.json("b/manifest.json")["parts"][0]["path"], "train");
    // A native export with a split writes a manifest too; a plain one does not.
    sb.run(&[
        "export", "--to", "native", "ws", "--out", "n", "--split", "50,50", "--seed", "5",
    ])
    .code(0);
    assert!(sb.exists("n/manifest.json"));
    assert_eq!(
        sb.names_in("n/train").len() + sb.names_in("n/test").len(),
        6
    );
    // Never over an input: brat's .txt beside the annotation files would replace the article.
    let before = sb.read("ws/doc0.txt");
    sb.run(&["export", "--to", "brat", "ws", "--out", "ws"])
        .code(2)
        .stderr_has(&["would overwrite an input"]);
    assert_eq!(sb.read("ws/doc0.txt"), before);
    assert!(!sb.exists("ws/doc0.ann"));
}

#[test]
fn a_rejected_relation_stays_out_when_rejected_spans_do_and_is_counted_as_filtered() {
    let sb = Sandbox::new();
    super::interop::copy_fixture(&sb, "frames/russia_nato.txt", "brat/russia_nato.txt");
    super::interop::copy_fixture(&sb, "frames/russia_nato.ann", "brat/russia_nato.ann");
    sb.run(&["import", "--from", "brat", "brat", "--out", "ws"])
        .code(0);
    // A reviewer rejected the claim's time (R3) and accepted its source (R1).
    let path = "ws/russia_nato.txt.spanmark.json";
    let mut native = sb.json(path);
    for relation in native["relations"].as_array_mut().unwrap() {
        match relation["id"].as_str().unwrap() {
            "R1" => relation["status"] = json!("accepted"),
            "R3" => relation["status"] = json!("rejected"),
            _ => {}
        }
    }
    sb.write_json(path, &native);
    sb.run(&["validate", path]).code(0);

    let r_lines = |ann: &str| -> Vec<String> {
        sb.read_string(ann)
            .lines()
            .filter(|l| l.starts_with('R'))
            .map(|l| l.split('\t').nth(1).unwrap().to_string())
            .collect()
    };
    sb.run(&[
        "export",
        "--to",
        "brat",
        "ws",
        "--out",
        "kept",
        "--status",
        "pending,accepted",
    ])
    .code(0);
    let kept = r_lines("kept/russia_nato.ann");
    assert_eq!(kept.len(), 5, "{kept:?}");
    assert!(
        !kept.contains(&"time Arg1:T4 Arg2:T3".to_string()),
        "{kept:?}"
    );
    assert!(
        kept.contains(&"source Arg1:T4 Arg2:T1".to_string()),
        "{kept:?}"
    );
    assert_eq!(
        sb.json("kept/manifest.json")["filtered_out"],
        json!({"documents": 0, "spans": 0, "relations": 1})
    );
    // Without a filter the rejected relation goes out too, as a rejected span would.
    sb.run(&["export", "--to", "brat", "ws", "--out", "all"])
        .code(0);
    assert_eq!(r_lines("all/russia_nato.ann").len(), 6);
    // The frames of the same filter: the claim has no time.
    sb.run(&[
        "export",
        "--to",
        "frames",
        "ws",
        "--out",
        "f.jsonl",
        "--status",
        "pending,accepted",
    ])
    .code(0);
    let claim: Value =
        serde_json::from_str(sb.read_string("f.jsonl").lines().next().unwrap()).unwrap();
    assert_eq!(claim["time"], json!([]));
    assert_eq!(claim["source"][0]["text"], "Sergey Lavrov");
}
