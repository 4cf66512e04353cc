//! A list kept in fixed-size chunks that copies of it share: copying the list (the snapshot a
//! save writes on a worker thread) costs a pointer a chunk, and a change made while a copy
//! lives copies the one chunk it touches, not the whole list. The spans of a document are held
//! this way: an edit made while a document with 100,000 spans was being saved copied them all
//! (about 30 ms, a frame's worth several times over). (The history keeps its own blocks, packed:
//! `audit_log.rs`.)

use std::sync::Arc;

/// Items a chunk holds.
const CHUNK: usize = 1_024;

#[derive(Debug, Clone)]
pub struct Chunked<T> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Arc::make_mut(last).push(item),
            _ => {
                // The first chunk grows as a list does: a small list stays small.
                let mut chunk = Vec::with_capacity(CHUNK.min(self.len.max(16)));
                chunk.push(item);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    pub fn pop(&mut self) -> Option<T> {
        let last = self.chunks.last_mut()?;
        let item = Arc::make_mut(last).pop();
        if last.is_empty() {
            self.chunks.pop();
        }
        self.len -= 1;
        item
    }

    /// Removes item `i`, putting the last item in its place.
    pub fn swap_remove(&mut self, i: usize) -> Option<T> {
        if i >= self.len {
            return None;
        }
        let last = self.pop()?;
        if i == self.len {
            return Some(last);
        }
        self.get_mut(i).map(|slot| std::mem::replace(slot, last))
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    /// Item `i`, its chunk copied first if a copy of the list shares it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        Arc::make_mut(self.chunks.get_mut(i / CHUNK)?).get_mut(i % CHUNK)
    }

    /// Whether `other` shares chunk `i` (tests look at what a copy shares).
    #[cfg(test)]
    pub(crate) fn shares_chunk(&self, other: &Self, i: usize) -> bool {
        match (self.chunks.get(i), other.chunks.get(i)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// Item `i`; past the end is a bug of the caller, as with a `Vec`.
impl<T: Clone> std::ops::Index<usize> for Chunked<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(item) => item,
            None => panic!("item {i} of {}", self.len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_is_a_list_across_chunks() {
        let n = CHUNK * 2 + 5;
        let mut list = Chunked::default();
        for i in 0..n {
            list.push(i);
        }
        assert_eq!(list.len(), n);
        assert!((0..n).all(|i| list.get(i) == Some(&i)));
        assert_eq!(list.get(n), None);
        // The last item fills the place removed; removing the last just takes it.
        assert_eq!(list.swap_remove(3), Some(3));
        assert_eq!(list.get(3), Some(&(n - 1)));
        assert_eq!(list.swap_remove(list.len() - 1), Some(n - 2));
        assert_eq!(list.swap_remove(list.len()), None);
        assert_eq!(list.len(), n - 2);
        while list.pop().is_some() {}
        assert!(list.is_empty() && list.chunks.is_empty());
    }

    #[test]
    fn a_copy_shares_every_chunk_until_one_is_changed() {
        let mut list = Chunked::default();
        for i in 0..CHUNK * 3 {
            list.push(i.to_string());
        }
        let copy = list.clone();
        *list.get_mut(CHUNK + 1).unwrap() = "changed".into();
        assert!(list.shares_chunk(&copy, 0));
        assert!(!list.shares_chunk(&copy, 1));
        assert!(list.shares_chunk(&copy, 2));
        assert_eq!(copy.get(CHUNK + 1).map(String::as_str), Some("1025"));
        assert_eq!(list.get(CHUNK + 1).map(String::as_str), Some("changed"));
        list.swap_remove(0);
        assert!(!list.shares_chunk(&copy, 0) && !list.shares_chunk(&copy, 2));
    }
}
