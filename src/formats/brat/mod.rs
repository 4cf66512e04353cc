//! brat standoff: a `NAME.txt` with the text and a `NAME.ann` beside it with one annotation per
//! line, each line `ID<TAB>DATA[<TAB>TEXT]`.
//!
//! **Offsets** count Unicode scalar values of the `.txt` decoded as UTF-8, 0-based and
//! end-exclusive, exactly as Spanmark does and as brat's server does: CRLF counts as two
//! characters (brat #853: some old installs counted one; when offsets only make sense that way,
//! the message says so). A byte-order mark at the start of the `.txt` is counted by brat's server
//! (it reads the file as plain UTF-8), so offsets in such a file are read as counting it, and
//! the exported `.txt` has none. `--offsets utf16|bytes` converts files written in other units.
//! The text column of a `T` line is checked against the `.txt` on import (fragments joined by
//! one space; a line break inside a span stands for one space, as a `.ann` line cannot hold
//! one); a span whose text contradicts its offsets is reported and not taken, with a hint when
//! UTF-16 offsets, or CRLF counted as one character, would explain it.
//!
//! **What it holds, and how each line maps onto the model** (`⇥` is a TAB). Import → export → import is
//! lossless for every line kind: the same annotations with the same ids come back.
//!
//! | brat line | Spanmark |
//! |---|---|
//! | `T1⇥Person 0 5⇥Larry` | span id `T1`, label `Person` (the brat type) |
//! | `T2⇥Location 0 5;16 23⇥North America` | span `T2` with `fragments` `0..5`, `16..23` |
//! | `R1⇥Located Arg1:T1 Arg2:T2` | relation `R1`, kind `Located`, `T1` → `T2`; role names other than `Arg1`/`Arg2` in relation attr `brat:roles` (`"Anaphor Antecedent"`) |
//! | `E1⇥Merge-org:T3 Org-Arg:T1 Org-Arg2:T4` | the trigger span `T3` gets attr `brat:events` = `"E1"` (space-separated when several events share a trigger; `E1:Type` when the event type is not the trigger's label); each argument is a relation `E1.1`, `E1.2`, … (id = event id + argument position) from the trigger to the argument, kind = the role |
//! | an argument or relation end that is an event (`Theme:E6`, `Arg1:E4`) | the relation goes to (or from) that event's trigger span, and attr `brat:to` (or `brat:from`) = `"E6"` names the event |
//! | `*⇥Alias T3 T4 T5` | a chain of relations `*1.1` (`T3` → `T4`) and `*1.2` (`T4` → `T5`), kind `Alias`; `*1` numbers the `*` lines of the file |
//! | `A1⇥Mention T4 Name`, `M1⇥Negation E7` | attr `Mention` = `"Name"` on the span or relation; a binary attribute has the empty value `""`; on an event, the key is prefixed by the event id (`E7:Negation`) and the attr sits on the trigger span |
//! | `N1⇥Reference T5 Wikipedia:64488⇥Carlos` | attr `brat:N1` = `"Reference Wikipedia:64488\tCarlos"` (prefixed `E1:` on an event) |
//! | `#1⇥AnnotatorNotes T1⇥text` | the span's (or relation's) `note`; any further note, a note of another type (`Lemma`) or a note on an event: attr `brat:#1` = `"AnnotatorNotes\ttext"` |
//!
//! The ids of `A`/`M` lines and of the note that became `note` are kept in attr `brat:ids`
//! (`"A1=Mention A2=Individual #1"`), so the exported lines carry the ids they came with. Keys
//! starting with `brat:` are this bookkeeping and are not written as attributes.
//!
//! **Labels.** brat types become labels as they are; the imported document's schema is
//! Spanmark's default schema with the span labels the file uses that it lacks added (in order
//! of first use), so a brat corpus opens with its own types. Relation kinds (`R` types, event roles, `*` types) are not
//! labels: they join the schema's relation kinds, the default kind where the name is one
//! (`source`, …), else a kind from any label to any label, so the file validates without
//! warnings about its own kinds.
//!
//! **Export.** Spans whose id is `T<number>` keep it; other spans (made in Spanmark: `s12`) get
//! the next free `T` number, and likewise for relations (`R`), events, attributes, notes and
//! normalisations. Any other span attr becomes an attribute line (`iso` = `2021-10-18` →
//! `A1⇥iso T1 2021-10-18`; `""` → a binary attribute). What brat cannot hold is counted in the
//! [`Loss`](super::Loss): names or values with spaces in attributes (a type name with spaces is
//! written with `_` and counted), line breaks in notes (written as spaces and counted), notes and
//! attributes on event arguments or equivalence links. Review status, author and times have no
//! place in brat and are not written.

mod check;
mod parse;
mod read;
mod write;

pub use parse::LineError;
pub use read::{FileError, import, import_text};
pub use write::export;

/// brat standoff in the registry: its [`Reader`](super::registry::Reader) and
/// [`DocumentWriter`](super::registry::DocumentWriter).
pub struct Brat;

/// Attr on a trigger span: the events it triggers (`"E1 E2:Other-type"`).
pub const ATTR_EVENTS: &str = "brat:events";
/// Attr on a span or relation: `A`/`M` ids and the id of the note in `note`.
pub const ATTR_IDS: &str = "brat:ids";
/// Attr on a relation: its two role names when they are not `Arg1 Arg2`.
pub const ATTR_ROLES: &str = "brat:roles";
/// Attr on a relation whose start is an event (the span is its trigger): the event id.
pub const ATTR_FROM: &str = "brat:from";
/// Attr on a relation whose end is an event (the span is its trigger): the event id.
pub const ATTR_TO: &str = "brat:to";
/// The prefix of bookkeeping attrs, and of normalisations and extra notes (`brat:N1`).
pub const PREFIX: &str = "brat:";

/// The note type that becomes a span's or relation's `note`.
const ANNOTATOR_NOTES: &str = "AnnotatorNotes";

/// `(event id, type if not the trigger's label)` of a `brat:events` value.
fn events_of(value: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    value
        .split_whitespace()
        .map(|entry| match entry.split_once(':') {
            Some((id, kind)) => (id, Some(kind)),
            None => (entry, None),
        })
}

/// The id of an event's `k`-th argument relation (1-based).
fn event_arg_id(event: &str, k: usize) -> String {
    format!("{event}.{k}")
}

/// The id of the `k`-th link (1-based) of the `n`-th `*` line.
fn equiv_id(n: usize, k: usize) -> String {
    format!("*{n}.{k}")
}

/// The first number in an id (`T12` → 12, `*3.1` → 3), for ordering ids as brat numbers them;
/// `u64::MAX` when there is none.
fn number_of(id: &str) -> u64 {
    id.trim_start_matches(|c: char| !c.is_ascii_digit())
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX)
}

/// `(owner, position)` of a relation id `OWNER.K` (`E1.2` → `("E1", 2)`, `*3.1` → `("*3", 1)`).
fn split_link_id(id: &str) -> Option<(&str, usize)> {
    let (owner, k) = id.rsplit_once('.')?;
    let k = k.parse().ok()?;
    (!owner.is_empty()).then_some((owner, k))
}

#[cfg(test)]
mod tests;
