//! `spanmark report IN... --out report.html`: one self-contained page.

use std::path::Path;

use super::*;

/// Every `src` and `href` attribute value of every element of `html`, as a browser parses it.
fn links(html: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(html);
    let any = scraper::Selector::parse("[href], [src]").unwrap();
    page.select(&any)
        .flat_map(|e| {
            let v = e.value();
            [v.attr("href"), v.attr("src")]
        })
        .flatten()
        .map(str::to_string)
        .collect()
}

fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn the_page_holds_every_span_text_escaped_and_links_only_inside_itself() {
    let sb = Sandbox::new();
    let hostile = "Tom & Jerry <script>alert(\"x\")</script> said <a href=\"https://evil.example/\">'hi'</a> on <img src=x> Monday";
    let find = |s: &str| {
        let b = hostile.find(s).unwrap();
        let start = hostile[..b].chars().count() as u64;
        (start, start + s.chars().count() as u64)
    };
    let mark = |s: &'static str, label: &'static str| {
        let (a, b) = find(s);
        (a, b, label, s)
    };
    import_records(
        &sb,
        &[record(
            "hostile.txt",
            hostile,
            &[
                mark("Tom & Jerry", "actor"),
                mark("<script>alert(\"x\")</script>", "claim"),
                mark("<a href=\"https://evil.example/\">'hi'</a>", "claim"),
                mark("said", "action"),
                mark("<img src=x>", "actor"),
                mark("Monday", "date"),
            ],
        )],
        "rita",
    );
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report");
    for rel in [
        "russia_nato.txt.spanmark.json",
        "omar/russia_nato.txt.spanmark.json",
    ] {
        sb.write(
            &format!("ws/{rel}"),
            std::fs::read(fixtures.join(rel)).unwrap(),
        );
    }
    sb.run(&["report", "ws", "--out", "report.html"])
        .code(0)
        .stdout_has(&["report of 3 documents"]);
    let html = sb.read_string("report.html");
    for rel in [
        "hostile.txt.spanmark.json",
        "russia_nato.txt.spanmark.json",
        "omar/russia_nato.txt.spanmark.json",
    ] {
        let native = sb.json(&format!("ws/{rel}"));
        let spans = spans(&native);
        assert!(!spans.is_empty());
        for (_, _, label, text) in spans {
            let cell = format!("<td class=\"q\">{}</td>", escaped(&text));
            assert!(
                html.contains(&cell),
                "{rel}: {label} {text:?} not in the spans table"
            );
        }
    }
    // The markup in the article is text, never markup of the page.
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    let links = links(&html);
    assert!(links.len() > 20, "{links:?}");
    for link in &links {
        assert!(link.starts_with('#'), "a link out of the page: {link:?}");
    }
    // Each document says whether its history verified, with the chain head to keep.
    assert_eq!(html.matches("History verified").count(), 3);
    let head = sb.json("ws/russia_nato.txt.spanmark.json")["chain"]["head"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(html.contains(&head));
    // Suggestions look different from the rest; the agreement has its confusion matrix.
    assert_eq!(
        html.matches(" sug\" href=\"#d").count(),
        2,
        "the chips of the two suggested dates"
    );
    assert!(html.contains("<h4>Confusion: omar vs rita</h4>"));
    // The timeline reads without script; the script only adds the filter by person.
    assert!(html.contains("<li data-who=\"vera\"><span class=\"idx\">"));
    assert_eq!(html.matches("<script>").count(), 1);
}

#[test]
fn a_file_that_does_not_verify_is_shown_as_such() {
    let sb = Sandbox::new();
    import_records(
        &sb,
        &[record("a.txt", "Lavrov said", &[(0, 6, "actor", "Lavrov")])],
        "rita",
    );
    let path = "ws/a.txt.spanmark.json";
    let text = sb.read_string(path).replace(
        "\"who\": \"rita\", \"action\": \"add\"",
        "\"who\": \"eve\", \"action\": \"add\"",
    );
    sb.write(path, text);
    sb.run(&["report", path, "--out", "r.html"])
        .code(0)
        .stderr_has(&["warning: ws/a.txt.spanmark.json: does not verify: history[1]"]);
    let html = sb.read_string("r.html");
    assert!(html.contains("Does not verify"));
    assert!(html.contains("history[1] ("));
    // The entry that does not fit is marked in the timeline, with why.
    assert!(
        html.contains("<li data-who=\"eve\" class=\"flag\"><span class=\"idx\">[1]</span>"),
        "{html}"
    );
    assert!(html.contains("<div class=\"why\">⚠ its hash does not fit"));
}
