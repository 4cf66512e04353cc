//! The README's table of formats, written from the registry. README.md holds it between
//! [`BEGIN`] and [`END`]; a test fails when the two differ.

use super::{Can, FORMATS, Kind, Reading, Writing};

/// The line before the table in README.md.
pub const BEGIN: &str = "<!-- formats: written from src/formats/registry; a test compares -->";
/// The line after it.
pub const END: &str = "<!-- formats: end -->";

/// The table of every format: what is read, what is written, and for each [`Kind`] whether it
/// is held, Markdown, with the lines README.md marks it with around it.
pub fn readme_table() -> String {
    let mut header = vec!["format", "import", "export"];
    header.extend(Kind::ALL.map(Kind::name));
    header.push("also keeps");
    let mut out = format!("{BEGIN}\n");
    out.push_str(&row(header.iter().map(|h| h.to_string())));
    out.push_str(&row(header.iter().map(|_| "---".to_string())));
    for entry in &FORMATS {
        let mut cells = vec![
            format!("`{}`", entry.name),
            reading(entry.reading),
            writing(entry.writing),
        ];
        cells.extend(Kind::ALL.map(|kind| can(entry.holds.can(kind))));
        cells.push(entry.keeps.to_string());
        out.push_str(&row(cells.into_iter()));
    }
    out.push_str(&format!(
        "\n{}: held; {}: the format cannot hold it, and an export leaves it out and counts it \
         (see below); {}: it has no place for it (not written, not counted), or it is not read \
         or written; other words say which part is held, and the rest is counted.\n",
        can(Can::Hold),
        can(Can::Lose),
        can(Can::Omit)
    ));
    out.push_str(END);
    out.push('\n');
    out
}

fn row(cells: impl Iterator<Item = String>) -> String {
    let cells: Vec<String> = cells.collect();
    format!("| {} |\n", cells.join(" | "))
}

fn reading(reading: Reading) -> String {
    match reading {
        Reading::Nothing => "—".to_string(),
        Reading::Files {
            extensions,
            needs_article,
            ..
        } => {
            let files = extensions
                .iter()
                .map(|e| format!("`.{e}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if needs_article {
                format!("{files} (with `--source ARTICLE`)")
            } else {
                files
            }
        }
        Reading::Native => "`.spanmark.json` (with its article)".to_string(),
        Reading::Articles => "`.txt`, `.md`, `.html`".to_string(),
    }
}

fn writing(writing: Writing) -> String {
    match writing {
        Writing::Nothing => "—".to_string(),
        Writing::Dataset { extension, .. } | Writing::Grouped { extension, .. } => {
            format!("a `.{extension}` file")
        }
        Writing::PerDocument(_) | Writing::Native => "a folder".to_string(),
    }
}

fn can(can: Can) -> String {
    match can {
        Can::Hold => "✓".to_string(),
        Can::Partly(which) => which.to_string(),
        Can::Lose => "counted".to_string(),
        Can::Omit => "—".to_string(),
    }
}
