//! Which file version a document is written in: the newest, except for a file read as version 1
//! that still holds nothing version 1 cannot (see [`version_for`]).

use crate::model::attribute::implicit_attributes;
use crate::model::label::default_relation_kinds_for;
use crate::model::{AuditAction, Document, Status};

/// The file version `doc` is written in: the newest ([`super::VERSION`]), except for a
/// document read from a version 1 file that still holds nothing version 1 cannot: its relation
/// kinds and label attributes are the ones a version 1 file is read with, every relation is
/// pending, no history entry is new in version 2, no entry was added (a new entry starts the
/// hash chain) and no suggestion was rejected. So a version 1 file loaded and saved unchanged
/// keeps its bytes,
/// and the first save that needs version 2 writes it.
pub fn version_for(doc: &Document) -> u32 {
    let fits_version_1 = || {
        doc.schema.relations() == default_relation_kinds_for(doc.schema.labels()).as_slice()
            && doc
                .schema
                .labels()
                .iter()
                .all(|d| d.attributes == implicit_attributes(d.name.as_str()))
            && doc
                .set()
                .relations()
                .chain(&doc.orphans.relations)
                .all(|r| r.status == Status::Pending)
            && doc
                .audit()
                .refs()
                .all(|e| !matches!(e.action, AuditAction::Relink | AuditAction::Merge))
            // No entry would carry a hash: none was read with one and none is new.
            && doc.audit().len() == doc.chain.stored.len()
            && !doc.chain.is_chained()
            && doc.rejected.is_empty()
    };
    if doc.file_version == Some(1) && fits_version_1() {
        1
    } else {
        super::VERSION
    }
}
