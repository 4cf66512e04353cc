//! The audit log's hash chain as the model sees it: which entries were read with a `hash`, and
//! the entry to record before the next change when the chain has to start or go on after a
//! break. The hashes themselves are computed where the file is written and checked
//! (`store::native::chain`); the model only keeps what was read, so nothing is repaired
//! silently: an entry read with a hash is written back with that same hash.

use std::collections::BTreeMap;
use std::sync::Arc;

/// The `hash` of each audit entry as read, in order (`None`: written before the chain), kept
/// compactly and shared by copies of the document: a file with a history entry for each of
/// 100,000 spans holds 100,000 of them. A hash in the form Spanmark writes (64 lower-case hex
/// digits) costs its 32 bytes; the rare other kinds (none, or text that is not such a digest,
/// kept as read so a broken chain is written back as it was found) are listed apart by index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredHashes(Arc<Hashes>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Hashes {
    /// One for each entry; zeros where `odd` says what was read instead.
    digests: Vec<[u8; 32]>,
    /// The entries read without a digest: `None` for no hash, the text as read otherwise.
    odd: BTreeMap<usize, Option<Box<str>>>,
}

impl StoredHashes {
    pub fn len(&self) -> usize {
        self.0.digests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.digests.is_empty()
    }

    /// Entry `i`'s hash as read: `None` past the entries read, `Some(None)` for an entry read
    /// without one.
    pub fn get(&self, i: usize) -> Option<Option<String>> {
        let digest = self.0.digests.get(i)?;
        Some(match self.0.odd.get(&i) {
            Some(odd) => odd.as_deref().map(str::to_string),
            None => Some(crate::model::text::hex(digest)),
        })
    }

    /// Entry `i`'s hash as read, without copying it: `None` past the entries read.
    pub fn stored(&self, i: usize) -> Option<StoredHash<'_>> {
        let digest = self.0.digests.get(i)?;
        Some(match self.0.odd.get(&i) {
            Some(None) => StoredHash::None,
            Some(Some(text)) => StoredHash::Text(text),
            None => StoredHash::Digest(digest),
        })
    }

    /// Whether any entry was read with a hash.
    pub fn any(&self) -> bool {
        self.0.odd.len() < self.0.digests.len() || self.0.odd.values().any(Option::is_some)
    }

    /// Adds the next entry's hash as read.
    pub fn push(&mut self, hash: Option<&str>) {
        let hashes = Arc::make_mut(&mut self.0);
        let i = hashes.digests.len();
        match hash.and_then(crate::model::text::digest_of_hex) {
            Some(digest) => hashes.digests.push(digest),
            None => {
                hashes.digests.push([0; 32]);
                hashes.odd.insert(i, hash.map(Box::from));
            }
        }
    }

    /// Gives back the room kept for more entries (once a file's history is read: the list
    /// grows by doubling, and up to half of it would stay empty for as long as the document is
    /// open).
    pub fn shrink_to_fit(&mut self) {
        Arc::make_mut(&mut self.0).digests.shrink_to_fit();
    }
}

/// One entry's hash as read (see [`StoredHashes::stored`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredHash<'a> {
    /// Read without one (written before the chain).
    None,
    /// 64 lower-case hex digits, as their 32 bytes.
    Digest(&'a [u8; 32]),
    /// Anything else, as read.
    Text(&'a str),
}

impl<'a> FromIterator<Option<&'a str>> for StoredHashes {
    fn from_iter<I: IntoIterator<Item = Option<&'a str>>>(hashes: I) -> Self {
        let mut stored = Self::default();
        for hash in hashes {
            stored.push(hash);
        }
        stored.shrink_to_fit();
        stored
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
        // A digest of zeros is kept as one, not mistaken for the room left for an odd entry.
        let zeros = "0".repeat(64);
        let read = [
            None,
            Some(digest.as_str()),
            Some(zeros.as_str()),
            Some("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"),
            Some("not a hash"),
            Some(""),
        ];
        let stored: StoredHashes = read.iter().copied().collect();
        assert_eq!(stored.len(), read.len());
        for (i, hash) in read.iter().enumerate() {
            assert_eq!(stored.get(i), Some(hash.map(str::to_string)));
            let again = match stored.stored(i).unwrap() {
                StoredHash::None => None,
                StoredHash::Digest(d) => Some(crate::model::text::hex(d)),
                StoredHash::Text(t) => Some(t.to_string()),
            };
            assert_eq!(again.as_deref(), *hash);
        }
        assert_eq!(stored.stored(read.len()), None);
        assert_eq!(stored.get(read.len()), None);
        assert!(stored.any());
        assert!(!StoredHashes::from_iter([None, None]).any());
        assert!(StoredHashes::from_iter([None, Some("not a hash")]).any());
        assert!(StoredHashes::from_iter([Some(zeros.as_str())]).any());
    }
}
