//! A session inside a project: the document takes the project's schema (see
//! [`crate::store::project::adopt`]).

use super::Session;
use crate::store::project::{Project, adopt, project_schema_for};

impl Session {
    /// Gives the document the schema of `project`. A new document (no annotation file yet)
    /// simply starts with it; a file made under another schema is changed in memory, recorded
    /// in its history and marked unsaved, so its next save writes the project's schema. Labels
    /// and kinds the file uses that the project lacks are kept and warned about.
    pub fn adopt_project(&mut self, project: &Project, had_file: bool, who: &str) {
        if self.read_only.is_some() {
            return;
        }
        if !had_file {
            let (schema, _) = project_schema_for(&self.doc, &project.schema);
            self.doc.schema = schema;
            self.bump(None);
            return;
        }
        let at = self.now();
        let Some(adoption) = adopt(&mut self.doc, project, who, at) else {
            return;
        };
        self.history.mark_unsaved();
        self.bump(None);
        for name in &adoption.kept {
            self.warn(format!(
                "{name} is used in this file but not defined by the project {:?}; kept ({})",
                project.name,
                project.path.display()
            ));
        }
        self.say(format!(
            "Labels brought to the project {:?}; the next save writes them",
            project.name
        ));
    }
}
