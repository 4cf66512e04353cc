//! What checking a file's history found: an entry that does not fit, or the file as a whole.

use std::fmt;

use super::file::NativeAuditEntry;
use crate::model::{AuditAction, AuditValue, EntryRef, ValueRef};

/// Something in a file that the chain, the text digest or the replay does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The history entry concerned (its index), when there is one.
    pub entry: Option<usize>,
    /// The entry's time and author, as the file gives them.
    pub at: String,
    pub who: String,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.entry {
            Some(i) => write!(
                f,
                "history[{i}] ({}, {}): {}",
                self.at, self.who, self.message
            ),
            None => f.write_str(&self.message),
        }
    }
}

impl Finding {
    pub(super) fn at_entry<'a>(i: usize, entry: &impl Entry<'a>, message: String) -> Self {
        Self {
            entry: Some(i),
            at: entry.at(),
            who: entry.who().to_string(),
            message,
        }
    }

    pub(super) fn whole(message: String) -> Self {
        Self {
            entry: None,
            at: String::new(),
            who: String::new(),
            message,
        }
    }
}

/// A history entry as the checks read it: as a file gives it ([`NativeAuditEntry`]), or as a
/// loaded document holds it ([`EntryRef`]); what it borrows lives for `'a`.
pub(super) trait Entry<'a>: Copy {
    fn action(&self) -> AuditAction;
    fn target(&self) -> Option<&'a str>;
    fn before(&self) -> Option<ValueRef<'a>>;
    fn after(&self) -> Option<ValueRef<'a>>;
    /// When, as RFC 3339.
    fn at(&self) -> String;
    fn who(&self) -> &str;
}

impl<'a> Entry<'a> for &'a NativeAuditEntry<'_> {
    fn action(&self) -> AuditAction {
        self.action
    }
    fn target(&self) -> Option<&'a str> {
        self.target.as_deref()
    }
    fn before(&self) -> Option<ValueRef<'a>> {
        self.before.as_ref().map(AuditValue::as_value_ref)
    }
    fn after(&self) -> Option<ValueRef<'a>> {
        self.after.as_ref().map(AuditValue::as_value_ref)
    }
    fn at(&self) -> String {
        self.at.to_string()
    }
    fn who(&self) -> &str {
        &self.who
    }
}

impl<'a> Entry<'a> for EntryRef<'a> {
    fn action(&self) -> AuditAction {
        self.action
    }
    fn target(&self) -> Option<&'a str> {
        self.target.map(|t| t.as_str())
    }
    fn before(&self) -> Option<ValueRef<'a>> {
        self.before
    }
    fn after(&self) -> Option<ValueRef<'a>> {
        self.after
    }
    fn at(&self) -> String {
        self.at.to_string()
    }
    fn who(&self) -> &str {
        self.who
    }
}

/// What [`verify`] found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verification {
    /// History entries in the file.
    pub entries: usize,
    /// The entries written before the chain (no `hash`), at its start.
    pub unchained: usize,
    /// The last entry's hash, when the history is chained.
    pub head: Option<String>,
    /// Spans and relations the history was replayed to.
    pub spans: usize,
    pub relations: usize,
    /// Everything that does not fit, in the order of the history; empty: the file verified.
    pub findings: Vec<Finding>,
    /// Breaks recorded by Spanmark before a save (`chain broken at …` entries), by index.
    pub recorded_breaks: Vec<usize>,
    /// Whether the file has a `chain` object.
    pub has_chain_object: bool,
    /// For a file from before the chain: where its history does not replay to its spans and
    /// relations. Such files made no promise about their history (older versions, by hand),
    /// so this is a note, not a failure.
    pub notes: Vec<Finding>,
}

impl Verification {
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }

    /// Whether any entry has a hash.
    pub fn is_chained(&self) -> bool {
        self.head.is_some()
    }

    /// One line saying what was found (without the file's name).
    pub fn summary(&self) -> String {
        if let Some(first) = self.findings.first() {
            let more = match self.findings.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            return format!("does not verify: {first}{more}");
        }
        let replay = if self.notes.is_empty() {
            format!(
                "the history replays to its {} span{} and {} relation{}",
                self.spans,
                plural(self.spans),
                self.relations,
                plural(self.relations)
            )
        } else {
            format!(
                "the history does not replay to its spans and relations ({} difference{})",
                self.notes.len(),
                plural(self.notes.len())
            )
        };
        match &self.head {
            None => format!(
                "unchained (written before the history chain; its {} entr{} get a chain from the next save); {replay}",
                self.entries,
                if self.entries == 1 { "y" } else { "ies" }
            ),
            Some(head) => {
                let before = match self.unchained {
                    0 => String::new(),
                    n => format!(", {n} written before the chain"),
                };
                format!(
                    "verified: {} entr{}{before}, head {head}; {replay}",
                    self.entries,
                    if self.entries == 1 { "y" } else { "ies" },
                )
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
