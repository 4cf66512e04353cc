//! `spanmark import --from jsonl`: offsets, bad lines, names from data.

use super::*;

#[test]
fn keeps_offsets_in_unicode_scalars_with_emoji_cjk_and_crlf() {
    let sb = Sandbox::new();
    let family = "👨‍👩‍👧 Lavrov met 東京 officials.\r\nOn Monday they left.";
    // 👨‍👩‍👧 is five scalars (three people, two joiners): "Lavrov" starts at 6.
    let lines = [
        record("emoji.txt", "👍 Lavrov said", &[(2, 8, "actor", "Lavrov")]),
        record(
            "cjk.md",
            "東京で会談。Lavrov 発言",
            &[(0, 2, "actor", "東京"), (13, 15, "action", "発言")],
        ),
        record(
            "crlf",
            "Line one.\r\nLavrov said.\r\n",
            &[(11, 17, "actor", "Lavrov"), (9, 13, "claim", "\r\nLa")],
        ),
        record(
            "family",
            family,
            &[
                (0, 5, "actor", "👨‍👩‍👧"),
                (6, 12, "actor", "Lavrov"),
                (17, 19, "actor", "東京"),
                (35, 41, "date", "Monday"),
            ],
        ),
    ];
    sb.write_jsonl("in.jsonl", &lines);
    let run = sb.run(&[
        "import",
        "--from",
        "jsonl",
        "in.jsonl",
        "--out",
        "ws",
        "--annotator",
        "bob",
    ]);
    run.code(0)
        .stdout_has(&["imported 4 documents with 9 spans"]);
    assert!(run.stderr.is_empty(), "{run}");
    assert_eq!(
        sb.names_in("ws"),
        [
            "cjk.md",
            "cjk.md.spanmark.json",
            "crlf.txt",
            "crlf.txt.spanmark.json",
            "emoji.txt",
            "emoji.txt.spanmark.json",
            "family.txt",
            "family.txt.spanmark.json"
        ]
    );

    let emoji = sb.json("ws/emoji.txt.spanmark.json");
    assert_eq!(spans(&emoji), [span(2, 8, "actor", "Lavrov")]);
    assert_eq!(emoji["document"]["name"], "emoji.txt");
    assert_eq!(emoji["annotator"], "bob");
    assert_eq!(emoji["spans"][0]["author"], "bob");
    assert_eq!(emoji["spans"][0]["origin"], "imported");
    assert_eq!(emoji["spans"][0]["prefix"], "👍 ");

    let cjk = sb.json("ws/cjk.md.spanmark.json");
    assert_eq!(
        spans(&cjk),
        [span(0, 2, "actor", "東京"), span(13, 15, "action", "発言")]
    );

    let crlf = sb.json("ws/crlf.txt.spanmark.json");
    assert_eq!(crlf["document"]["text"], "Line one.\r\nLavrov said.\r\n");
    assert_eq!(
        spans(&crlf),
        [
            span(9, 13, "claim", "\r\nLa"),
            span(11, 17, "actor", "Lavrov")
        ]
    );
    // The article written for the record is its text, byte for byte (CRLF kept).
    assert_eq!(sb.read("ws/crlf.txt"), b"Line one.\r\nLavrov said.\r\n");

    let fam = sb.json("ws/family.txt.spanmark.json");
    assert_eq!(
        spans(&fam),
        [
            span(0, 5, "actor", "👨‍👩‍👧"),
            span(6, 12, "actor", "Lavrov"),
            span(17, 19, "actor", "東京"),
            span(35, 41, "date", "Monday"),
        ]
    );
    assert_eq!(sb.read_string("ws/family.txt"), family);
    sb.run(&["validate", "ws"])
        .code(0)
        .stdout_has(&["4 of 4 files valid"]);
}

#[test]
fn converts_utf16_offsets_and_hints_when_they_are_not_named() {
    let sb = Sandbox::new();
    // In UTF-16 the emoji is two units: "annotation" is 13..23, in scalars 12..22.
    sb.write(
        "ls.jsonl",
        "{\"text\": \"💩This is an annotation.\", \"spans\": [{\"start\": 13, \"end\": 23, \"label\": \"claim\", \"text\": \"annotation\"}], \"meta\": {\"name\": \"ls.txt\"}}\n",
    );
    let run = sb.run(&["import", "--from", "jsonl", "ls.jsonl", "--out", "scalar"]);
    run.code(1).stderr_has(&["ls.jsonl:1:", "--offsets utf16"]);
    assert!(spans(&sb.json("scalar/ls.txt.spanmark.json")).is_empty());

    let run = sb.run(&[
        "import",
        "--from",
        "jsonl",
        "ls.jsonl",
        "--out",
        "utf16",
        "--offsets",
        "utf16",
    ]);
    run.code(0);
    assert_eq!(
        spans(&sb.json("utf16/ls.txt.spanmark.json")),
        [span(12, 22, "claim", "annotation")]
    );
}

#[test]
fn reports_bad_lines_by_number_and_imports_the_others() {
    let sb = Sandbox::new();
    let good =
        |name: &str| record(name, "Lavrov said so.", &[(0, 6, "actor", "Lavrov")]).to_string();
    // The second span of each: past the end, and quoting what its offsets do not give.
    let range = record(
        "range.txt",
        "abc def",
        &[(0, 3, "actor", "abc"), (4, 99, "actor", "def")],
    );
    let quote = record(
        "quote.txt",
        "abc def",
        &[(0, 3, "actor", "abc"), (4, 7, "date", "dex")],
    );
    let lines = [
        good("first.txt"),                                                // 1
        "{\"text\": \"unfinished".to_string(),                            // 2
        deep_json(100_000),                                               // 3
        format!("{{\"text\": \"a\", \"meta\": {}}}", deep_json(100_000)), // 4
        "[\"text\", \"spans\"]".to_string(),                              // 5
        "{\"spans\": []}".to_string(),                                    // 6
        range.to_string(),                                                // 7
        quote.to_string(),                                                // 8
        String::new(),                                                    // 9: blank, skipped
        good("last.txt"),                                                 // 10
    ];
    sb.write("in.jsonl", lines.join("\n") + "\n");
    let run = sb.run(&["import", "--from", "jsonl", "in.jsonl", "--out", "ws"]);
    run.code(1);
    for (line_no, what) in [
        (2, "not valid JSON"),
        (3, "not valid JSON"),
        (4, "not valid JSON"),
        (5, "object"),
        (6, "\"text\""),
        (7, "past the end"),
        (8, "\"dex\""),
    ] {
        let tag = format!("in.jsonl:{line_no}:");
        let found = run.stderr_lines_with(&tag);
        assert_eq!(found.len(), 1, "line {line_no} reported once:\n{run}");
        assert!(found[0].contains(what), "line {line_no}: {what}:\n{run}");
    }
    for line_no in [1, 9, 10] {
        assert!(
            run.stderr_lines_with(&format!("in.jsonl:{line_no}:"))
                .is_empty(),
            "{run}"
        );
    }
    // Lines 1, 10 and the documents of 7 and 8 (without their bad span) are imported.
    run.stdout_has(&["imported 4 documents with 4 spans"]);
    assert_eq!(
        spans(&sb.json("ws/first.txt.spanmark.json")),
        [span(0, 6, "actor", "Lavrov")]
    );
    assert_eq!(
        spans(&sb.json("ws/last.txt.spanmark.json")),
        [span(0, 6, "actor", "Lavrov")]
    );
    assert_eq!(
        spans(&sb.json("ws/range.txt.spanmark.json")),
        [span(0, 3, "actor", "abc")]
    );
    assert_eq!(
        spans(&sb.json("ws/quote.txt.spanmark.json")),
        [span(0, 3, "actor", "abc")]
    );
    assert_eq!(sb.names_in("ws").len(), 8, "{:?}", sb.names_in("ws"));
}

#[test]
fn names_from_data_never_lead_outside_out() {
    let sb = Sandbox::new();
    let names = [
        "../escape.txt",
        "../../../../../../../../tmp/escape2.txt",
        "/etc/passwd",
        "C:\\x\\y.txt",
        "CON",
        "nul.txt",
        "..",
        ".",
        "",
        "sub/dir/inner.txt",
        ".hidden",
        "a:b?.txt",
        "page.html",
    ];
    let lines: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| record(name, &format!("Document {i}."), &[]))
        .collect();
    sb.write_jsonl("data/in.jsonl", &lines);
    let before = sb.files();
    let run = sb.run(&[
        "import",
        "--from",
        "jsonl",
        "data/in.jsonl",
        "--out",
        "data/out/ws",
    ]);
    run.code(0)
        .stdout_has(&[format!("imported {} documents", names.len()).as_str()]);
    let written: Vec<String> = sb
        .files()
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert_eq!(written.len(), 2 * names.len(), "{written:#?}");
    for file in &written {
        let rest = file
            .strip_prefix("data/out/ws/")
            .unwrap_or_else(|| panic!("written outside --out: {file}"));
        assert!(!rest.contains('/'), "written in a subfolder: {file}");
    }
    assert!(!std::path::Path::new("/etc/passwd.txt").exists());
    assert!(!std::path::Path::new("/etc/passwd.txt.spanmark.json").exists());
    assert!(!std::path::Path::new("/tmp/escape2.txt.spanmark.json").exists());
    let listed = sb.names_in("data/out/ws");
    for expected in [
        "escape.txt",
        "escape2.txt",
        "passwd.txt",
        "y.txt",
        "_CON.txt",
        "_nul.txt",
        "inner.txt",
        "_hidden.txt",
        "a_b_.txt",
        "page.html.txt",
    ] {
        assert!(
            listed.iter().any(|n| n == expected),
            "{expected}: {listed:?}"
        );
        assert!(
            listed
                .iter()
                .any(|n| *n == format!("{expected}.spanmark.json")),
            "{expected}: {listed:?}"
        );
    }
    // Every document landed under its own name, with its own text.
    for (i, _) in names.iter().enumerate() {
        let text = format!("Document {i}.");
        let holders: Vec<&String> = listed
            .iter()
            .filter(|n| !n.ends_with(".spanmark.json"))
            .filter(|n| sb.read(&format!("data/out/ws/{n}")) == text.as_bytes())
            .collect();
        assert_eq!(holders.len(), 1, "{text}: {holders:?}");
    }
}

#[test]
fn gives_duplicate_names_distinct_files() {
    let sb = Sandbox::new();
    sb.write_jsonl(
        "batch.jsonl",
        &[
            record("a.txt", "First.", &[]),
            record("a.txt", "Second.", &[]),
            record("A.TXT", "Third.", &[]),
            json!({"text": "No name."}),
            record("a.txt", "Fourth.", &[]),
        ],
    );
    let run = sb.run(&["import", "--from", "jsonl", "batch.jsonl", "--out", "ws"]);
    run.code(0).stdout_has(&["imported 5 documents"]);
    for (file, text) in [
        ("a.txt", "First."),
        ("a-2.txt", "Second."),
        ("A-3.TXT", "Third."),
        ("batch-4.txt", "No name."),
        ("a-4.txt", "Fourth."),
    ] {
        assert_eq!(sb.read_string(&format!("ws/{file}")), text, "{file}");
        let native = sb.json(&format!("ws/{file}.spanmark.json"));
        assert_eq!(native["document"]["text"], text);
        assert_eq!(native["document"]["name"], file);
    }
    assert_eq!(sb.names_in("ws").len(), 10);
}

#[test]
fn reports_empty_and_binary_files_once_each() {
    let sb = Sandbox::new();
    sb.write("empty.jsonl", "");
    sb.write("blank.jsonl", "\n\r\n  \n");
    // A PNG header with newlines in it: one message, not one per line.
    sb.write(
        "image.jsonl",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\n\xff\xfe\n\0\0\n\0\n",
    );
    sb.write_jsonl(
        "good.jsonl",
        &[record(
            "g.txt",
            "Lavrov said.",
            &[(0, 6, "actor", "Lavrov")],
        )],
    );
    let run = sb.run(&[
        "import",
        "--from",
        "jsonl",
        "empty.jsonl",
        "blank.jsonl",
        "image.jsonl",
        "good.jsonl",
        "--out",
        "ws",
    ]);
    run.code(1).stdout_has(&["imported 1 document with 1 span"]);
    for name in ["empty.jsonl", "blank.jsonl", "image.jsonl"] {
        assert_eq!(
            run.stderr_lines_with(name).len(),
            1,
            "{name} reported once:\n{run}"
        );
    }
    assert!(
        run.stderr_lines_with("image.jsonl")[0].contains("binary"),
        "{run}"
    );
    assert!(
        run.stderr_lines_with("empty.jsonl")[0].contains("no records"),
        "{run}"
    );
    assert_eq!(sb.names_in("ws"), ["g.txt", "g.txt.spanmark.json"]);
}

#[test]
fn from_a_folder_reads_only_jsonl_files() {
    let sb = Sandbox::new();
    sb.write_jsonl("in/a.jsonl", &[record("a.txt", "Alpha.", &[])]);
    sb.write_jsonl("in/sub/b.ndjson", &[record("b.txt", "Beta.", &[])]);
    sb.write("in/notes.txt", "not a record");
    let run = sb.run(&["import", "--from", "jsonl", "in", "--out", "ws"]);
    run.code(0).stdout_has(&["imported 2 documents"]);
    assert_eq!(
        sb.names_in("ws"),
        [
            "a.txt",
            "a.txt.spanmark.json",
            "b.txt",
            "b.txt.spanmark.json"
        ]
    );
}

#[test]
fn converts_byte_offsets_and_reads_a_windows_written_file() {
    let sb = Sandbox::new();
    // "né 日本 Lavrov": é is two bytes, each CJK character three.
    let line = json!({
        "text": "né 日本 Lavrov",
        "spans": [
            {"start": 4, "end": 10, "label": "actor", "text": "日本"},
            {"start": 11, "end": 17, "label": "actor"},
            {"start": 5, "end": 10, "label": "actor"},
            {"start": 11, "end": 99, "label": "actor"},
        ],
        "meta": {"name": "bytes.txt"},
    });
    // A byte order mark and CRLF line ends, as Windows tools write.
    sb.write(
        "win.jsonl",
        format!("\u{feff}{line}\r\n{}\r\n", json!({"text": "Second."})),
    );
    let run = sb.run(&[
        "import",
        "--from",
        "jsonl",
        "win.jsonl",
        "--out",
        "ws",
        "--offsets",
        "bytes",
    ]);
    run.code(1)
        .stdout_has(&["imported 2 documents with 2 spans"]);
    assert_eq!(
        spans(&sb.json("ws/bytes.txt.spanmark.json")),
        [span(3, 5, "actor", "日本"), span(6, 12, "actor", "Lavrov")]
    );
    assert_eq!(sb.read_string("ws/win-2.txt"), "Second.");
    let span2 = run.stderr_lines_with("win.jsonl:1: span 2");
    assert!(
        span2.len() == 1 && span2[0].contains("splits a character"),
        "{run}"
    );
    let span3 = run.stderr_lines_with("win.jsonl:1: span 3");
    assert!(
        span3.len() == 1 && span3[0].contains("(17 bytes long)"),
        "{run}"
    );
}
