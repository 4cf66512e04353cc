//! `spanmark schema` and usage errors.

use super::*;

#[test]
fn schema_prints_the_json_schema_of_the_native_file() {
    let sb = Sandbox::new();
    let run = sb.run(&["schema"]);
    run.code(0);
    let schema: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["title"], "Spanmark annotation file");
    for field in ["format", "version", "offsets", "document", "spans"] {
        assert!(
            schema["properties"].get(field).is_some(),
            "{field} missing from the schema"
        );
    }
    assert!(sb.files().is_empty(), "schema wrote files");
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let sb = Sandbox::new();
    sb.write("a.txt", "Lavrov said so.");
    for (args, mention) in [
        (vec!["validate", "a.txt", "--frobnicate"], "--frobnicate"),
        (vec!["import", "--from", "text", "a.txt"], "--out"),
        (vec!["import", "a.txt", "--out", "ws"], "--from"),
        (
            vec!["import", "--from", "pdf", "a.txt", "--out", "ws"],
            "pdf",
        ),
        (
            vec![
                "import",
                "--from",
                "jsonl",
                "a.txt",
                "--out",
                "ws",
                "--offsets",
                "words",
            ],
            "words",
        ),
        (vec!["export", "--to", "jsonl", "a.txt"], "--out"),
        (
            vec!["export", "--to", "xlsx", "a.txt", "--out", "x"],
            "xlsx",
        ),
        (vec!["validate"], "FILE"),
        (vec!["stats"], "IN"),
    ] {
        let run = sb.run(&args);
        run.code(2).stderr_has(&[mention]);
    }
    assert_eq!(sb.files(), ["a.txt"]);
}
