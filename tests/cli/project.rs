//! `spanmark project init DIR [--from TOOL FILE] [--name NAME]` and `spanmark schema --project`:
//! the project file written from another tool's schema, what is not carried listed, an existing
//! project file never replaced.

use super::*;

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn init_from_brat_writes_the_schema_and_lists_what_is_not_carried() {
    let sb = Sandbox::new();
    let conf = fixture("schemas/brat-keys/annotation.conf");
    let run = sb.run(&[
        "project", "init", "corpus", "--from", "brat", &conf, "--name", "Claims",
    ]);
    run.code(0)
        .stdout_has(&[
            "project \"Claims\", 5 labels and 5 relation kinds from brat",
            "  label Duration #0072b2 key u",
            "  relation Same-as Actor — Actor",
        ])
        .stderr_has(&[
            "spanmark: not carried: key a of label \"Actor\": taken by Accept Span / Take Annotator A's; left unbound",
        ]);
    let project = sb.json("corpus/spanmark.project.json");
    assert_eq!(project["format"], "spanmark-project");
    assert_eq!(project["version"], 1);
    assert_eq!(project["name"], "Claims");
    assert_eq!(project["schema"]["labels"][0]["name"], "Actor");
    assert_eq!(project["schema"]["labels"][0]["colour"], "#7fa2ff");
    assert_eq!(project["schema"]["relations"][1]["directed"], false);
    // Never replaced.
    let before = sb.read("corpus/spanmark.project.json");
    sb.run(&["project", "init", "corpus"])
        .code(2)
        .stderr_has(&["a project file is already there; not replaced"]);
    assert_eq!(sb.read("corpus/spanmark.project.json"), before);
}

#[test]
fn init_without_a_tool_uses_the_default_schema_and_the_folder_name() {
    let sb = Sandbox::new();
    sb.run(&["project", "init", "elections"])
        .code(0)
        .stdout_has(&["project \"elections\", 4 labels"]);
    let project = sb.json("elections/spanmark.project.json");
    assert_eq!(project["schema"]["labels"][3]["name"], "claim");
}

#[test]
fn init_refuses_unknown_tools_and_unreadable_files() {
    let sb = Sandbox::new();
    sb.run(&["project", "init", "p", "--from", "inception", "x.xml"])
        .code(2)
        .stderr_has(&["not a tool Spanmark reads schemas of (one of brat, label-studio, doccano)"]);
    sb.write("bad.xml", "<Labels>");
    sb.run(&["project", "init", "p", "--from", "label-studio", "bad.xml"])
        .code(2)
        .stderr_has(&["no <View>", "bad.xml"]);
    assert!(!sb.exists("p/spanmark.project.json"));
}

#[test]
fn schema_project_prints_the_committed_schema() {
    let sb = Sandbox::new();
    let run = sb.run(&["schema", "--project"]);
    run.code(0);
    let committed = std::fs::read_to_string(format!(
        "{}/schema/spanmark-project.schema.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(run.stdout, committed);
    assert!(run.stdout.contains("\"title\": \"Spanmark project file\""));
}

#[test]
fn validate_inside_a_project_reports_labels_and_kinds_it_does_not_define() {
    let sb = Sandbox::new();
    sb.run(&["project", "init", "ws"]).code(0);
    import_records(
        &sb,
        &[record(
            "news.txt",
            "Lavrov said in Moscow.",
            &[(0, 6, "actor", "Lavrov"), (15, 21, "place", "Moscow")],
        )],
        "rita",
    );
    let path = "ws/news.txt.spanmark.json";
    let mut native = sb.json(path);
    native["relations"] = json!([{
        "id": "r1", "kind": "located_in", "from": "s1", "to": "s2",
        "author": "rita", "created": "2026-01-01T00:00:00Z", "status": "pending"
    }]);
    sb.write_json(path, &native);
    let run = sb.run(&["validate", "ws"]);
    run.code(1).stderr_has(&[
        "2 problems in ws/news.txt.spanmark.json (project \"ws\"",
        "span s2: label \"place\" is not defined by the project",
        "relation r1: kind \"located_in\" is not defined by the project",
    ]);
    assert!(!run.stderr.contains("span s1"), "{run}");
    // Outside the project the same file is valid (its own schema defines what it uses).
    std::fs::rename(sb.join("ws"), sb.join("elsewhere")).unwrap();
    std::fs::remove_file(sb.join("elsewhere/spanmark.project.json")).unwrap();
    sb.run(&["validate", "elsewhere"]).code(0);
}

#[test]
fn validate_says_when_the_project_file_is_broken() {
    let sb = Sandbox::new();
    sb.write(
        "ws/spanmark.project.json",
        "{\"format\": \"spanmark-project\"",
    );
    sb.write("ws/a.txt", "Lavrov said.");
    sb.run(&["import", "--from", "text", "ws/a.txt", "--out", "ws"])
        .code(0);
    sb.run(&["validate", "ws/a.txt.spanmark.json"])
        .code(1)
        .stderr_has(&["not a valid project file", "spanmark.project.json"]);
}
