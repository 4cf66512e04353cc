//! Bringing a document to its project's schema.
//!
//! A document opened inside a project takes the project's labels and relation kinds. Labels and
//! kinds its spans and relations use that the project lacks are **kept** (after the project's,
//! with the document's own colour and description; without a key a project label has) and
//! returned, so the caller warns about them; nothing is dropped. The change is one `document`
//! entry in the history saying what was added, removed, changed and kept.

use std::collections::BTreeSet;

use super::Project;
use crate::model::{AuditEntry, Document, Label, LabelDef, Schema, Timestamp};

/// What bringing a document to its project's schema did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// The history entry's detail.
    pub detail: String,
    /// Labels and relation kinds the document uses that the project does not define (kept).
    pub kept: Vec<String>,
}

/// Gives `doc` the schema of `project` (see the module docs), recorded in its history as done by
/// `who` at `at`. `None` when the schema is already the project's.
pub fn adopt(doc: &mut Document, project: &Project, who: &str, at: Timestamp) -> Option<Adoption> {
    let (schema, kept) = project_schema_for(doc, &project.schema);
    if schema == doc.schema {
        return None;
    }
    let old = &doc.schema;
    let names = |s: &Schema| -> BTreeSet<String> {
        s.labels().iter().map(|d| d.name.to_string()).collect()
    };
    let kind_names = |s: &Schema| -> BTreeSet<String> {
        s.relations().iter().map(|k| k.name.to_string()).collect()
    };
    let (before, after) = (names(old), names(&schema));
    let (kinds_before, kinds_after) = (kind_names(old), kind_names(&schema));
    let changed: Vec<String> = schema
        .labels()
        .iter()
        .filter(|d| old.get(d.name.as_str()).is_some_and(|o| o != *d))
        .map(|d| d.name.to_string())
        .chain(
            schema
                .relations()
                .iter()
                .filter(|k| old.relation_kind(k.name.as_str()).is_some_and(|o| o != *k))
                .map(|k| format!("kind {}", k.name)),
        )
        .collect();
    let mut parts = Vec::new();
    let list = |what: &str, items: Vec<String>, parts: &mut Vec<String>| {
        if !items.is_empty() {
            parts.push(format!("{what} {}", items.join(", ")));
        }
    };
    list(
        "added labels",
        after.difference(&before).cloned().collect(),
        &mut parts,
    );
    list(
        "removed labels",
        before.difference(&after).cloned().collect(),
        &mut parts,
    );
    list(
        "added relation kinds",
        kinds_after.difference(&kinds_before).cloned().collect(),
        &mut parts,
    );
    list(
        "removed relation kinds",
        kinds_before.difference(&kinds_after).cloned().collect(),
        &mut parts,
    );
    list("changed", changed, &mut parts);
    list(
        "kept (used here, not in the project)",
        kept.clone(),
        &mut parts,
    );
    if parts.is_empty() {
        parts.push("the order of labels and kinds".into());
    }
    let detail = format!(
        "schema brought to project {:?} ({}): {}",
        project.name,
        super::FILE_NAME,
        parts.join("; ")
    );
    doc.schema = schema;
    doc.log(AuditEntry::document(at, who, detail.clone()));
    Some(Adoption { detail, kept })
}

/// The project's schema, with the labels and kinds `doc` uses that it lacks added after its
/// own; and their names (kinds as `kind NAME`).
pub fn project_schema_for(doc: &Document, project: &Schema) -> (Schema, Vec<String>) {
    let mut schema = project.clone();
    let mut kept = Vec::new();
    let used_labels: BTreeSet<&Label> = doc
        .set()
        .spans()
        .map(|s| &s.label)
        .chain(doc.orphans.spans.iter().map(|o| &o.span.label))
        .collect();
    for label in used_labels {
        if schema.contains(label) {
            continue;
        }
        let def = doc.schema.get(label.as_str()).cloned().unwrap_or(LabelDef {
            name: label.clone(),
            colour: schema.next_colour(),
            hotkey: None,
            description: String::new(),
            attributes: crate::model::attribute::implicit_attributes(label.as_str()),
        });
        let added = schema.with_label(def.clone()).or_else(|_| {
            schema.with_label(LabelDef {
                hotkey: None,
                ..def
            })
        });
        if let Ok(s) = added {
            schema = s;
            kept.push(label.to_string());
        }
    }
    let used_kinds: BTreeSet<&Label> = doc
        .set()
        .relations()
        .chain(&doc.orphans.relations)
        .map(|r| &r.kind)
        .collect();
    for kind in used_kinds {
        if schema.relation_kind(kind.as_str()).is_some() {
            continue;
        }
        let Some(def) = doc.schema.relation_kind(kind.as_str()) else {
            // A kind neither schema defines: the loader warned about it already.
            continue;
        };
        let mut kinds = schema.relations().to_vec();
        let mut def = def.clone();
        if kinds
            .iter()
            .any(|k| k.hotkey.is_some() && k.hotkey == def.hotkey)
        {
            def.hotkey = None;
        }
        kinds.push(def);
        if let Ok(s) = schema.with_relations(kinds) {
            schema = s;
            kept.push(format!("kind {kind}"));
        }
    }
    (schema, kept)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::model::marked::label;
    use crate::review::test_docs::doc;

    fn project(schema: Schema) -> Project {
        Project::new(PathBuf::from("spanmark.project.json"), "claims", schema)
    }

    #[test]
    fn a_document_takes_the_project_schema_keeping_what_it_uses() {
        let mut d = doc("rita", "[Lavrov]{actor} said in [Moscow]{place}");
        d.schema = d
            .schema
            .with_label(LabelDef {
                name: label("place"),
                colour: crate::model::Rgb(1, 2, 3),
                hotkey: Some('p'),
                description: "A place".into(),
                attributes: Vec::new(),
            })
            .unwrap();
        let mut schema = Schema::default().without("date").unwrap();
        let mut actor = schema.get("actor").unwrap().clone();
        actor.description = "Who speaks".into();
        schema = schema.with_replaced("actor", actor).unwrap();
        let before = d.audit().len();
        let adoption = adopt(
            &mut d,
            &project(schema.clone()),
            "rita",
            Timestamp::from_unix(9),
        )
        .unwrap();
        assert_eq!(adoption.kept, ["place"]);
        let names: Vec<&str> = d.schema.labels().iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["actor", "action", "claim", "place"]);
        assert_eq!(d.schema.get("place").unwrap().description, "A place");
        assert_eq!(d.schema.get("actor").unwrap().description, "Who speaks");
        assert_eq!(d.audit().len(), before + 1);
        assert_eq!(
            adoption.detail,
            "schema brought to project \"claims\" (spanmark.project.json): removed labels date; changed actor; kept (used here, not in the project) place"
        );
        assert_eq!(
            d.audit().last().unwrap().detail.as_deref(),
            Some(adoption.detail.as_str())
        );
        // Already the project's: nothing to do, nothing logged.
        let same = project(d.schema.clone());
        assert!(adopt(&mut d, &same, "rita", Timestamp::from_unix(9)).is_none());
    }
}
