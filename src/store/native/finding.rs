//! What checking a file's history found: an entry that does not fit, or the file as a whole.

use std::fmt;

use super::replay::Entry;

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
    pub(super) fn at_entry(i: usize, entry: &impl Entry, message: String) -> Self {
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
