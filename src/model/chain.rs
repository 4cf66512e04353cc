//! The audit log's hash chain as the model sees it: which entries were read with a `hash`, and
//! the entry to record before the next change when the chain has to start or go on after a
//! break. The hashes themselves are computed where the file is written and checked
//! (`store::native::chain`); the model only keeps what was read, so nothing is repaired
//! silently: an entry read with a hash is written back with that same hash.

/// The chain state of a document read from a native file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    /// The `hash` of each audit entry as read, in order (`None`: written before the chain).
    /// Entries after these are new; the writer chains them onto the last hash read.
    pub stored: Vec<Option<String>>,
    /// What to record (a `document` entry) before the next new entry: that the chain starts
    /// here, or that it was found broken and goes on from here.
    pub pending: Option<String>,
    /// The text digest the chain starts from when the article changed since it started
    /// (re-anchoring); `None`: the document's own.
    pub genesis: Option<String>,
}

impl Chain {
    /// Whether any entry read had a hash.
    pub fn is_chained(&self) -> bool {
        self.stored.iter().any(Option::is_some)
    }

    /// The note for a file read without a chain: the chain starts with the next change.
    pub fn start_note(unchained: usize) -> String {
        match unchained {
            0 => "chain starts here".to_string(),
            1 => "chain starts here; the 1 history entry before this one was written before the chain and is not covered by it".to_string(),
            n => format!("chain starts here; the {n} history entries before this one were written before the chain and are not covered by it"),
        }
    }
}
