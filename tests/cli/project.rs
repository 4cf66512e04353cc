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
