//! Articles (`.txt`, `.md`, `.html`): through `import --from text`, `reanchor --source` and
//! `validate --source`.

use super::*;

const TEXT: &str =
    "Russian Foreign Minister Sergey Lavrov said on Monday that the mission would close.\n";

/// An annotation file `ws/news.txt.spanmark.json` on TEXT.
fn annotated(sb: &Sandbox) {
    sb.write("a/news.txt", TEXT);
    sb.run(&["import", "--from", "text", "a/news.txt", "--out", "ws"])
        .code(0);
    std::fs::remove_dir_all(sb.join("a")).unwrap();
}

#[test]
fn unreadable_articles_are_refused_everywhere() {
    let sb = Sandbox::new();
    annotated(&sb);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.txt", Vec::new(), "empty article"),
        ("bom-only.txt", b"\xEF\xBB\xBF".to_vec(), "empty article"),
        ("blank.md", b" \r\n\t\n".to_vec(), "empty article"),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0".to_vec(),
            "binary",
        ),
        (
            "nul.txt",
            b"Lavrov said\0 on Monday".to_vec(),
            "NUL byte at byte offset 11",
        ),
        (
            "controls.txt",
            (1..32u8).cycle().take(400).collect(),
            "binary",
        ),
        (
            "bad-bom.txt",
            b"\xFF\xFEL\0a\0\x00\xD8".to_vec(),
            "byte offset",
        ),
        (
            "script-only.html",
            b"<script>alert(1)</script><style>p{}</style>".to_vec(),
            "no readable text",
        ),
    ];
    for (name, bytes, needle) in &cases {
        let path = format!("in/{name}");
        sb.write(&path, bytes);
        hostile(
            &sb,
            &["import", "--from", "text", &path, "--out", "out"],
            1,
            &[name, needle],
            Some("out"),
        );
        assert!(!sb.exists("out") || sb.names_in("out").is_empty());
        hostile(
            &sb,
            &["reanchor", "ws/news.txt.spanmark.json", "--source", &path],
            1,
            &[name, needle],
            None,
        );
        hostile(
            &sb,
            &["validate", "ws/news.txt.spanmark.json", "--source", &path],
            1,
            &[name, needle],
            None,
        );
    }
    // An article that is not there, or a folder: the command could not run.
    hostile(
        &sb,
        &[
            "reanchor",
            "ws/news.txt.spanmark.json",
            "--source",
            "in/missing.txt",
        ],
        2,
        &["missing.txt"],
        None,
    );
    hostile(
        &sb,
        &["reanchor", "ws/news.txt.spanmark.json", "--source", "in"],
        2,
        &["in"],
        None,
    );
}

#[test]
fn odd_but_readable_articles_are_read_exactly() {
    let sb = Sandbox::new();
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        // Invalid UTF-8 is another encoding, never replacement characters.
        (
            "latin.txt",
            b"Caf\xe9 na\xefve \x93quoted\x94, long enough for the detector to be sure of it.\n"
                .to_vec(),
            "windows-1252",
            "Café naïve “quoted”",
        ),
        (
            "utf16le.txt",
            super::utf16("Lavrov said on Monday that the mission would close.", false),
            "UTF-16LE",
            "Lavrov said",
        ),
        (
            "utf16be.txt",
            super::utf16("Лавров заявил в понедельник, что миссия закроется.", true),
            "UTF-16BE",
            "Лавров",
        ),
        (
            "crlf.txt",
            b"one\r\ntwo\rthree\n".to_vec(),
            "UTF-8",
            "one\r\ntwo\rthree\n",
        ),
    ];
    for (name, bytes, encoding, start) in &cases {
        let path = format!("in/{name}");
        sb.write(&path, bytes);
        let run = hostile(
            &sb,
            &["import", "--from", "text", &path, "--out", "out"],
            0,
            &[],
            Some("out"),
        );
        let native = sb.json(&format!("out/{name}.spanmark.json"));
        assert_eq!(native["document"]["encoding"], *encoding, "{name}\n{run}");
        let text = native["document"]["text"].as_str().unwrap();
        assert!(text.starts_with(start), "{name}: {text:?}");
        assert!(
            !text.contains('\u{FFFD}'),
            "{name}: no replacement characters"
        );
    }
}

#[test]
fn a_20_mb_line_article_is_read() {
    let sb = Sandbox::new();
    let mut bytes = b"Lavrov said ".to_vec();
    bytes.resize(20 << 20, b'a');
    sb.write("in/long.txt", &bytes);
    let run = hostile(
        &sb,
        &["import", "--from", "text", "in/long.txt", "--out", "out"],
        0,
        &[],
        Some("out"),
    );
    assert_eq!(check_output(&sb, "out", &run).len(), 1);
}

#[test]
fn html_nested_100_000_deep_is_refused_and_1000_deep_is_read() {
    let sb = Sandbox::new();
    let nested = |depth: usize| {
        format!(
            "<p>Lavrov said</p>{}deep text{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        )
    };
    sb.write("in/deep.html", nested(100_000));
    hostile(
        &sb,
        &["import", "--from", "text", "in/deep.html", "--out", "out"],
        1,
        &["deep.html", "nested 100000 elements deep"],
        Some("out"),
    );
    sb.write("ok/shallow.html", nested(1000));
    let run = hostile(
        &sb,
        &[
            "import",
            "--from",
            "text",
            "ok/shallow.html",
            "--out",
            "out",
        ],
        0,
        &[],
        Some("out"),
    );
    let native = sb.json("out/shallow.html.spanmark.json");
    let text = native["document"]["text"].as_str().unwrap();
    assert!(
        text.contains("Lavrov said") && text.contains("deep text"),
        "{text:?}\n{run}"
    );
}

#[test]
fn reserved_and_hidden_article_names_are_made_safe() {
    let sb = Sandbox::new();
    for name in ["CON.txt", "nul.md", ".hidden.txt", "LPT1.txt"] {
        sb.write(&format!("in/{name}"), TEXT);
    }
    let run = hostile(
        &sb,
        &["import", "--from", "text", "in", "--out", "out"],
        0,
        &[],
        Some("out"),
    );
    assert_eq!(check_output(&sb, "out", &run).len(), 4, "{run}");
    for file in sb.names_in("out") {
        let stem = file.split('.').next().unwrap_or("").to_ascii_uppercase();
        assert!(!["CON", "NUL", "LPT1"].contains(&stem.as_str()), "{file}");
        assert!(!file.starts_with('.'), "{file}");
    }
}
