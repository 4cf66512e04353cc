//! `spanmark import --from text`: articles copied unchanged, annotation files beside them.

use super::*;

#[test]
fn copies_articles_unchanged_and_writes_native_files_beside_them() {
    let sb = Sandbox::new();
    let inputs: [(&str, &[u8]); 4] = [
        (
            "in/crlf.txt",
            b"Lavrov said on Monday.\r\nNATO replied.\r\n",
        ),
        ("in/legacy.txt", WINDOWS_1252),
        ("in/notes.md", b"# Talks\n\nLavrov *said* so.\n"),
        (
            "in/page.html",
            b"<html><body><p>Hello <b>world</b></p></body></html>",
        ),
    ];
    for (path, bytes) in inputs {
        sb.write(path, bytes);
    }
    let run = sb.run(&[
        "import",
        "--from",
        "text",
        "in/crlf.txt",
        "in/legacy.txt",
        "in/notes.md",
        "in/page.html",
        "--out",
        "ws",
        "--annotator",
        "rita",
    ]);
    run.code(0).stdout_has(&["imported 4 documents"]);

    for (path, bytes) in inputs {
        assert_eq!(sb.read(path), bytes, "the input {path} was modified");
        let name = path.strip_prefix("in/").unwrap();
        assert_eq!(
            sb.read(&format!("ws/{name}")),
            bytes,
            "ws/{name} is not a copy"
        );
        let native = sb.json(&format!("ws/{name}.spanmark.json"));
        assert_eq!(native["format"], "spanmark");
        assert_eq!(native["annotator"], "rita");
        assert_eq!(native["document"]["name"], name);
        assert_eq!(native["spans"], json!([]));
        assert_eq!(
            native["document"]["source_sha256"].as_str().unwrap().len(),
            64
        );
    }
    let text = |name: &str| {
        let native = sb.json(&format!("ws/{name}.spanmark.json"));
        (
            native["document"]["text"].as_str().unwrap().to_string(),
            native["document"]["encoding"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(
        text("crlf.txt"),
        (
            "Lavrov said on Monday.\r\nNATO replied.\r\n".to_string(),
            "UTF-8".to_string()
        )
    );
    let (legacy, encoding) = text("legacy.txt");
    assert_eq!(encoding, "windows-1252");
    assert!(
        legacy.starts_with("Café naïve “quoted” text") && legacy.ends_with("sure.\r\n"),
        "{legacy:?}"
    );
    assert_eq!(text("notes.md").0, "# Talks\n\nLavrov *said* so.\n");
    let (html, _) = text("page.html");
    assert!(
        html.contains("Hello world") && !html.contains('<'),
        "{html:?}"
    );
    // Same bytes from the same article: the two hashes of a UTF-8 file agree.
    let crlf = sb.json("ws/crlf.txt.spanmark.json");
    assert_eq!(
        crlf["document"]["source_sha256"],
        crlf["document"]["text_sha256"]
    );
    sb.run(&["validate", "ws"])
        .code(0)
        .stdout_has(&["4 of 4 files valid"]);
}

#[test]
fn records_the_login_name_when_no_annotator_is_given() {
    let sb = Sandbox::new();
    sb.write("a.txt", "Lavrov said so.");
    sb.run(&["import", "--from", "text", "a.txt", "--out", "ws"])
        .code(0);
    assert_eq!(sb.json("ws/a.txt.spanmark.json")["annotator"], "tester");
}

#[test]
fn searches_folders_and_keeps_same_named_articles_apart() {
    let sb = Sandbox::new();
    sb.write("in/2021/a.txt", "Lavrov said on Monday.");
    sb.write("in/2022/a.txt", "NATO replied on Tuesday.");
    sb.write("in/2022/deep/er/c.htm", "<p>Deep page</p>");
    sb.write("in/readme.json", "{}");
    sb.write("in/image.png", b"\x89PNG\r\n\x1a\n\0\0");
    let run = sb.run(&["import", "--from", "text", "in", "--out", "ws"]);
    run.code(0).stdout_has(&["imported 3 documents"]);
    assert_eq!(
        sb.names_in("ws"),
        [
            "a-2.txt",
            "a-2.txt.spanmark.json",
            "a.txt",
            "a.txt.spanmark.json",
            "c.htm",
            "c.htm.spanmark.json"
        ]
    );
    // Sorted walk: 2021 before 2022, so a.txt is the 2021 article.
    assert_eq!(sb.read("ws/a.txt"), b"Lavrov said on Monday.");
    assert_eq!(sb.read("ws/a-2.txt"), b"NATO replied on Tuesday.");
    assert_eq!(
        sb.json("ws/a-2.txt.spanmark.json")["document"]["text"],
        "NATO replied on Tuesday."
    );
}

#[test]
fn reports_binary_and_empty_files_and_imports_the_rest() {
    let sb = Sandbox::new();
    sb.write("in/good.txt", "Lavrov said so.");
    sb.write("in/binary.txt", b"abc\0def\x01\x02");
    sb.write("in/empty.txt", "");
    sb.write("in/blank.md", " \r\n\t\n");
    let run = sb.run(&["import", "--from", "text", "in", "--out", "ws"]);
    run.code(1).stdout_has(&["imported 1 document "]);
    for name in ["binary.txt", "empty.txt", "blank.md"] {
        assert_eq!(
            run.stderr_lines_with(name).len(),
            1,
            "{name} should be reported once:\n{run}"
        );
    }
    assert!(
        run.stderr_lines_with("binary.txt")[0].contains("binary"),
        "{run}"
    );
    assert!(
        run.stderr_lines_with("empty.txt")[0].contains("empty"),
        "{run}"
    );
    assert_eq!(sb.names_in("ws"), ["good.txt", "good.txt.spanmark.json"]);
}

#[test]
fn keeps_existing_annotation_files_unless_overwrite() {
    let sb = Sandbox::new();
    sb.write("a.txt", "Lavrov said so.");
    sb.run(&["import", "--from", "text", "a.txt", "--out", "ws"])
        .code(0);
    // Someone works on the file.
    let path = "ws/a.txt.spanmark.json";
    let mut native = sb.json(path);
    native["status"] = json!("annotated");
    sb.write_json(path, &native);
    let worked = sb.read(path);

    let run = sb.run(&["import", "--from", "text", "a.txt", "--out", "ws"]);
    run.code(1)
        .stderr_has(&["--overwrite", "a.txt.spanmark.json"])
        .stdout_has(&["imported 0 documents"]);
    assert_eq!(sb.read(path), worked, "overwritten without --overwrite");

    // A different article under the same name is not replaced either.
    sb.write("other/a.txt", "Something else entirely.");
    std::fs::remove_file(sb.join(path)).unwrap();
    let run = sb.run(&["import", "--from", "text", "other/a.txt", "--out", "ws"]);
    run.code(1).stderr_has(&["--overwrite", "a.txt"]);
    assert_eq!(sb.read("ws/a.txt"), b"Lavrov said so.");
    assert!(!sb.exists(path));

    sb.write_json(path, &native);
    let run = sb.run(&[
        "import",
        "--from",
        "text",
        "other/a.txt",
        "--out",
        "ws",
        "--overwrite",
    ]);
    run.code(0).stdout_has(&["imported 1 document "]);
    assert_eq!(sb.read("ws/a.txt"), b"Something else entirely.");
    let fresh = sb.json(path);
    assert_eq!(fresh["status"], "in_progress");
    assert_eq!(fresh["document"]["text"], "Something else entirely.");
}

#[test]
fn never_writes_over_an_input_even_with_overwrite() {
    let sb = Sandbox::new();
    sb.write("one/a.txt", "The first article.");
    sb.write("two/a.txt", "The second article.");
    let run = sb.run(&[
        "import",
        "--from",
        "text",
        "one/a.txt",
        "two/a.txt",
        "--out",
        "two",
        "--overwrite",
    ]);
    run.code(2).stderr_has(&["input", "a.txt"]);
    assert_eq!(sb.read("one/a.txt"), b"The first article.");
    assert_eq!(sb.read("two/a.txt"), b"The second article.");

    // Importing a folder into itself only adds the annotation files.
    let sb = Sandbox::new();
    sb.write("ws/a.txt", "Lavrov said so.\r\n");
    let run = sb.run(&["import", "--from", "text", "ws", "--out", "ws"]);
    run.code(0);
    assert_eq!(sb.names_in("ws"), ["a.txt", "a.txt.spanmark.json"]);
    assert_eq!(sb.read("ws/a.txt"), b"Lavrov said so.\r\n");
}

#[test]
fn refuses_an_annotation_file_given_as_an_article() {
    let sb = Sandbox::new();
    sb.write("a.txt", "Lavrov said so.");
    sb.run(&["import", "--from", "text", "a.txt", "--out", "ws"])
        .code(0);
    let before = sb.read("ws/a.txt.spanmark.json");
    let run = sb.run(&[
        "import",
        "--from",
        "text",
        "ws/a.txt.spanmark.json",
        "--out",
        "again",
    ]);
    run.code(1).stderr_has(&["a.txt.spanmark.json"]);
    assert_eq!(sb.read("ws/a.txt.spanmark.json"), before);
    assert!(sb.names_in("again").is_empty());
}
