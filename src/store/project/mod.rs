//! The project file, `spanmark.project.json`: the schema (labels and relation kinds, exactly as
//! an annotation file holds them) and the guidelines that apply to every article in its folder
//! and below. The project of an article is found by walking up from the article's folder; the
//! nearest project file wins.
//!
//! ```json
//! {
//!   "format": "spanmark-project",
//!   "version": 1,
//!   "name": "Election claims 2026",
//!   "schema": { "labels": [...], "relations": [...] },
//!   "guidelines_file": "GUIDELINES.md",
//!   "defaults": { "snap_words": true, "date_finder": true }
//! }
//! ```
//!
//! `guidelines` (Markdown text) and `guidelines_file` (a path relative to the project file) are
//! alternatives; a project has at most one. Written deterministically (fields in this order,
//! two-space indent, final newline) and atomically.

mod adopt;

use std::path::{Path, PathBuf};

pub use adopt::{Adoption, adopt, project_schema_for};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::atomic::write_atomic;
use super::native::checked_schema;
use super::native::file::NativeSchema;
use crate::model::Schema;

/// The project file's name.
pub const FILE_NAME: &str = "spanmark.project.json";
/// The value of `format`.
pub const FORMAT: &str = "spanmark-project";
/// The newest project file version this build reads and writes.
pub const VERSION: u32 = 1;

/// A Spanmark project file: the schema and guidelines of every article in its folder and below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Spanmark project file")]
pub struct ProjectFile {
    /// Always "spanmark-project".
    #[schemars(extend("const" = "spanmark-project"))]
    pub format: String,
    /// The project file format version (1).
    pub version: u32,
    /// The project's name, as the workbench shows it.
    pub name: String,
    /// The labels and relation kinds of every article below the project file, exactly as an
    /// annotation file's `schema`.
    pub schema: NativeSchema,
    /// The annotation guidelines, Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidelines: Option<String>,
    /// A Markdown file holding the guidelines, relative to the project file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidelines_file: Option<String>,
    /// Settings the workbench starts with inside the project (each annotator may change them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<ProjectDefaults>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectDefaults {
    /// Snap selections to whole words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snap_words: Option<bool>,
    /// Suggest dates (and their ISO value) as the article opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_finder: Option<bool>,
}

/// A project, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// The project file.
    pub path: PathBuf,
    pub name: String,
    pub schema: Schema,
    /// The guidelines' Markdown (read from `guidelines_file` when the file names one).
    pub guidelines: Option<String>,
    /// `guidelines_file` as written, when the guidelines live in a file of their own.
    pub guidelines_file: Option<String>,
    pub defaults: ProjectDefaults,
}

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("cannot read the project file: {source}: {}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("not a valid project file: {message}: {}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error(
        "written by a newer Spanmark (project file version {found}; this build reads up to {VERSION}); update Spanmark: {}",
        path.display()
    )]
    NewerVersion { path: PathBuf, found: u32 },
    #[error("cannot read the guidelines file {file:?} the project names: {source}: {}", path.display())]
    Guidelines {
        path: PathBuf,
        file: String,
        source: std::io::Error,
    },
    #[error("cannot write the project file: {source}: {}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Project {
    /// A project named `name` with `schema` and no guidelines.
    pub fn new(path: PathBuf, name: &str, schema: Schema) -> Self {
        Self {
            path,
            name: name.to_string(),
            schema,
            guidelines: None,
            guidelines_file: None,
            defaults: ProjectDefaults::default(),
        }
    }

    /// The file shape of the project.
    pub fn to_file(&self) -> ProjectFile {
        let in_file = self.guidelines_file.is_some();
        ProjectFile {
            format: FORMAT.to_string(),
            version: VERSION,
            name: self.name.clone(),
            schema: NativeSchema::of(&self.schema),
            guidelines: if in_file {
                None
            } else {
                self.guidelines.clone()
            },
            guidelines_file: self.guidelines_file.clone(),
            defaults: (self.defaults != ProjectDefaults::default()).then_some(self.defaults),
        }
    }

    /// Writes the project file to `self.path`, atomically. The guidelines file is not written.
    pub fn save(&self) -> Result<(), ProjectError> {
        write_atomic(&self.path, &to_bytes(&self.to_file())).map_err(|source| ProjectError::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// The folder the project applies to.
    pub fn folder(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// The bytes of a project file: pretty JSON, two-space indent, final newline.
pub fn to_bytes(file: &ProjectFile) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(file).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Reads and checks the project file at `path`.
pub fn load(path: &Path) -> Result<Project, ProjectError> {
    let bytes = std::fs::read(path).map_err(|source| ProjectError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    from_bytes(path, &bytes)
}

/// Checks project file bytes; `path` names the file in messages and anchors `guidelines_file`.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Project, ProjectError> {
    let invalid = |message: String| ProjectError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    // The format and version first, so a newer file is refused before its fields are judged.
    let probe: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| invalid(format!("line {}, column {}: {e}", e.line(), e.column())))?;
    if probe.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(invalid(format!(
            "\"format\" is {}, expected \"{FORMAT}\"",
            probe
                .get("format")
                .map_or("missing".into(), |f| f.to_string())
        )));
    }
    if let Some(found) = probe.get("version").and_then(serde_json::Value::as_u64)
        && found > u64::from(VERSION)
    {
        return Err(ProjectError::NewerVersion {
            path: path.to_path_buf(),
            found: u32::try_from(found).unwrap_or(u32::MAX),
        });
    }
    let file: ProjectFile = serde_json::from_slice(bytes)
        .map_err(|e| invalid(format!("line {}, column {}: {e}", e.line(), e.column())))?;
    let schema = checked_schema(&file.schema).map_err(|problems| {
        let list: Vec<String> = problems.into_iter().map(|p| p.message).collect();
        invalid(list.join("; "))
    })?;
    let guidelines = match (&file.guidelines, &file.guidelines_file) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "both \"guidelines\" and \"guidelines_file\" are given; keep one".into(),
            ));
        }
        (Some(text), None) => Some(text.clone()),
        (None, Some(rel)) => {
            let folder = path.parent().unwrap_or(Path::new("."));
            let text = std::fs::read_to_string(folder.join(rel)).map_err(|source| {
                ProjectError::Guidelines {
                    path: path.to_path_buf(),
                    file: rel.clone(),
                    source,
                }
            })?;
            Some(text)
        }
        (None, None) => None,
    };
    Ok(Project {
        path: path.to_path_buf(),
        name: file.name,
        schema,
        guidelines,
        guidelines_file: file.guidelines_file,
        defaults: file.defaults.unwrap_or_default(),
    })
}

/// The project file that applies to `path` (an article, an annotation file, or a folder): the
/// nearest `spanmark.project.json` in its folder or a folder above.
pub fn find(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()?.to_path_buf()
    };
    let start = std::path::absolute(&start).unwrap_or(start);
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// The project `path` belongs to, read: `Ok(None)` when there is none.
pub fn for_path(path: &Path) -> Result<Option<Project>, ProjectError> {
    find(path).map(|p| load(&p)).transpose()
}

/// The JSON Schema of the project file, as pretty JSON with a final newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ProjectFile);
    let mut out = serde_json::to_string_pretty(&schema).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::marked::label;

    fn project_in(dir: &Path, body: &str) -> PathBuf {
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, body).unwrap();
        path
    }

    #[test]
    fn a_project_round_trips_and_is_found_from_below() {
        let dir = tempfile::tempdir().unwrap();
        let mut project = Project::new(dir.path().join(FILE_NAME), "claims", Schema::default());
        project.guidelines = Some("# Actors\n\nA *person* or group.".into());
        project.defaults.snap_words = Some(false);
        project.save().unwrap();
        let deep = dir.path().join("2026/may");
        std::fs::create_dir_all(&deep).unwrap();
        let article = deep.join("news.txt");
        std::fs::write(&article, "Lavrov said").unwrap();
        let found = for_path(&article).unwrap().unwrap();
        assert_eq!(found.name, "claims");
        assert_eq!(found.schema, Schema::default());
        assert_eq!(found.guidelines, project.guidelines);
        assert_eq!(found.defaults.snap_words, Some(false));
        // Saving again gives the same bytes.
        let before = std::fs::read(&project.path).unwrap();
        found.save().unwrap();
        assert_eq!(std::fs::read(&project.path).unwrap(), before);
        let text = String::from_utf8(before).unwrap();
        assert!(text.starts_with("{\n  \"format\": \"spanmark-project\",\n  \"version\": 1,"));
    }

    #[test]
    fn the_nearest_project_wins_and_none_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("inner");
        std::fs::create_dir_all(&inner).unwrap();
        Project::new(dir.path().join(FILE_NAME), "outer", Schema::default())
            .save()
            .unwrap();
        let schema = Schema::default().without("claim").unwrap();
        Project::new(inner.join(FILE_NAME), "inner", schema)
            .save()
            .unwrap();
        let found = for_path(&inner.join("a.txt")).unwrap().unwrap();
        assert_eq!(found.name, "inner");
        assert!(!found.schema.contains(&label("claim")));
        let lone = tempfile::tempdir().unwrap();
        // (A temporary folder has no project above it unless the machine has one at /tmp.)
        if find(lone.path()).is_none() {
            assert!(for_path(&lone.path().join("a.txt")).unwrap().is_none());
        }
    }

    #[test]
    fn guidelines_come_from_the_file_it_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("GUIDE.md"), "# Guide\n").unwrap();
        let body = r##"{"format": "spanmark-project", "version": 1, "name": "p",
            "schema": {"labels": [{"name": "actor", "colour": "#0072b2"}]},
            "guidelines_file": "GUIDE.md"}"##;
        let project = load(&project_in(dir.path(), body)).unwrap();
        assert_eq!(project.guidelines.as_deref(), Some("# Guide\n"));
        assert_eq!(project.schema.labels().len(), 1);
    }

    #[test]
    fn bad_project_files_are_refused_with_the_reason_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("{", "not a valid project file: line"),
            (
                r#"{"format": "spanmark", "version": 1}"#,
                "\"format\" is \"spanmark\", expected \"spanmark-project\"",
            ),
            (
                r#"{"format": "spanmark-project", "version": 7, "name": "p", "schema": {"labels": []}}"#,
                "project file version 7",
            ),
            (
                r##"{"format": "spanmark-project", "version": 1, "name": "p", "schema": {"labels": [{"name": "a", "colour": "red"}]}}"##,
                "schema label \"a\"",
            ),
            (
                r#"{"format": "spanmark-project", "version": 1, "name": "p", "schema": {"labels": []}, "guidelines": "x", "guidelines_file": "y"}"#,
                "keep one",
            ),
            (
                r#"{"format": "spanmark-project", "version": 1, "name": "p", "schema": {"labels": []}, "guidelines_file": "missing.md"}"#,
                "cannot read the guidelines file \"missing.md\"",
            ),
            (
                r#"{"format": "spanmark-project", "version": 1, "name": "p", "schema": {"labels": []}, "colour": 1}"#,
                "unknown field `colour`",
            ),
        ];
        for (body, expected) in cases {
            let path = project_in(dir.path(), body);
            let message = load(&path).unwrap_err().to_string();
            assert!(message.contains(expected), "{body}: {message}");
            assert!(message.ends_with(&path.display().to_string()), "{message}");
        }
    }

    #[test]
    fn the_committed_json_schema_is_the_generated_one() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/spanmark-project.schema.json");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == json_schema(),
            "{} is out of date: run `cargo run -- schema --project > schema/spanmark-project.schema.json`",
            path.display()
        );
    }
}
