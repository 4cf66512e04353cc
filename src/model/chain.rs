//! The audit log's hash chain as the model sees it: which entries were read with a `hash`, and
//! the entry to record before the next change when the chain has to start or go on after a
//! break. The hashes themselves are computed where the file is written and checked
//! (`store::native::chain`); the model only keeps what was read, so nothing is repaired
//! silently: an entry read with a hash is written back with that same hash.

use std::sync::Arc;

/// The `hash` of each audit entry as read, in order (`None`: written before the chain), kept
/// compactly (32 bytes for a hash in the form Spanmark writes, the text as read for any other)
/// and shared by copies of the document: a file with a history entry for each of 100,000
/// spans holds 100,000 of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredHashes(Arc<Vec<StoredHash>>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum StoredHash {
    None,
    /// 64 lower-case hex digits, as bytes.
    Digest([u8; 32]),
    /// Anything else, kept as read (a broken chain is written back as it was found).
    Other(Box<str>),
}

impl StoredHash {
    fn of(hash: Option<&str>) -> Self {
        let Some(hash) = hash else {
            return Self::None;
        };
        match crate::model::text::digest_of_hex(hash) {
            Some(digest) => Self::Digest(digest),
            None => Self::Other(hash.into()),
        }
    }

    fn get(&self) -> Option<String> {
        match self {
            Self::None => None,
            Self::Digest(d) => Some(crate::model::text::hex(d)),
            Self::Other(s) => Some(s.to_string()),
        }
    }
}

impl StoredHashes {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entry `i`'s hash as read: `None` past the entries read, `Some(None)` for an entry read
    /// without one.
    pub fn get(&self, i: usize) -> Option<Option<String>> {
        self.0.get(i).map(StoredHash::get)
    }

    /// Whether any entry was read with a hash.
    pub fn any(&self) -> bool {
        self.0.iter().any(|h| *h != StoredHash::None)
    }

    /// Adds the next entry's hash as read.
    pub fn push(&mut self, hash: Option<&str>) {
        Arc::make_mut(&mut self.0).push(StoredHash::of(hash));
    }
}

impl<'a> FromIterator<Option<&'a str>> for StoredHashes {
    fn from_iter<I: IntoIterator<Item = Option<&'a str>>>(hashes: I) -> Self {
        Self(Arc::new(hashes.into_iter().map(StoredHash::of).collect()))
    }
}

/// The chain state of a document read from a native file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    /// The `hash` of each audit entry as read, in order (`None`: written before the chain).
    /// Entries after these are new; the writer chains them onto the last hash read.
    pub stored: StoredHashes,
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
        self.stored.any()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_given_back_as_read_whatever_their_form() {
        let digest = "0123456789abcdef".repeat(4);
        let read = [
            None,
            Some(digest.as_str()),
            Some("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"),
            Some("not a hash"),
            Some(""),
        ];
        let stored: StoredHashes = read.iter().copied().collect();
        assert_eq!(stored.len(), read.len());
        for (i, hash) in read.iter().enumerate() {
            assert_eq!(stored.get(i), Some(hash.map(str::to_string)));
        }
        assert_eq!(stored.get(read.len()), None);
        assert!(stored.any());
        assert!(!StoredHashes::from_iter([None, None]).any());
        assert_eq!(std::mem::size_of::<StoredHash>(), 40);
    }
}
