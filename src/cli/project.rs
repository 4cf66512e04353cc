//! `spanmark project init DIR [--from brat|label-studio|doccano FILE] [--name NAME]`: writes
//! DIR/spanmark.project.json, with the default schema or one read from another tool's
//! configuration ([`crate::formats::schemas`]). What the schema cannot carry is listed on
//! stderr, one line each; the file is written all the same (exit 0). An existing project file
//! is never replaced.

use std::path::{Path, PathBuf};

use super::{Context, Exit};
use crate::formats::schemas::{self, SchemaSource};
use crate::model::Schema;
use crate::store::project::{FILE_NAME, Project};

/// The tools `--from` names.
pub const TOOLS: [(&str, SchemaSource); 3] = [
    ("brat", SchemaSource::Brat),
    ("label-studio", SchemaSource::LabelStudio),
    ("doccano", SchemaSource::Doccano),
];

pub fn init(
    dir: &Path,
    from: Option<&[String]>,
    name: Option<&str>,
    ctx: &mut Context<'_>,
) -> Exit {
    let target = dir.join(FILE_NAME);
    if target.exists() {
        ctx.problem(format!(
            "a project file is already there; not replaced: {}",
            target.display()
        ));
        return Exit::Failure;
    }
    let (schema, not_carried, origin) = match from {
        None => (
            Schema::default(),
            Vec::new(),
            "the default schema".to_string(),
        ),
        Some([tool, file]) => {
            let Some((_, source)) = TOOLS.iter().find(|(n, _)| n == tool) else {
                let names: Vec<&str> = TOOLS.iter().map(|(n, _)| *n).collect();
                ctx.problem(format!(
                    "--from {tool:?}: not a tool Spanmark reads schemas of (one of {})",
                    names.join(", ")
                ));
                return Exit::Failure;
            };
            match schemas::read(*source, Path::new(file)) {
                Ok(imported) => (
                    imported.schema,
                    imported.not_carried,
                    format!("{tool} {file}"),
                ),
                Err(e) => {
                    ctx.problem(e);
                    return Exit::Failure;
                }
            }
        }
        Some(_) => {
            ctx.problem("--from takes a tool and a file: --from brat annotation.conf");
            return Exit::Failure;
        }
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        ctx.problem(format!("cannot create the folder: {e}: {}", dir.display()));
        return Exit::Failure;
    }
    let name = name.map_or_else(|| folder_name(dir), str::to_string);
    let project = Project::new(target.clone(), &name, schema);
    if let Err(e) = project.save() {
        ctx.problem(e);
        return Exit::Failure;
    }
    let schema = &project.schema;
    let _ = writeln!(
        ctx.out,
        "wrote {}: project {name:?}, {} labels and {} relation kinds from {origin}",
        target.display(),
        schema.labels().len(),
        schema.relations().len()
    );
    for def in schema.labels() {
        let key = def.hotkey.map(|k| format!(" key {k}")).unwrap_or_default();
        let _ = writeln!(ctx.out, "  label {} {}{key}", def.name, def.colour);
    }
    for kind in schema.relations() {
        let ends = |labels: &[crate::model::Label]| {
            if labels.is_empty() {
                "any".to_string()
            } else {
                labels
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("|")
            }
        };
        let arrow = if kind.directed { "→" } else { "—" };
        let _ = writeln!(
            ctx.out,
            "  relation {} {} {arrow} {}",
            kind.name,
            ends(&kind.from),
            ends(&kind.to)
        );
    }
    for line in &not_carried {
        ctx.problem(format!("not carried: {line}"));
    }
    Exit::Success
}

/// The name a project gets when none is given: its folder's.
fn folder_name(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| PathBuf::from(dir));
    absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".to_string())
}
