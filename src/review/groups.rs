//! Grouping items linked in pairs (union-find): the one way `review` finds connected groups,
//! whether rival readings of an alignment or the conflicts of a gold file.

use std::collections::BTreeMap;

/// Items `0..n`, joined in pairs into groups.
#[derive(Debug, Clone)]
pub struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    /// `n` items, each alone.
    pub fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Puts `a` and `b` (and everything joined to either) in one group. Indices out of range
    /// are ignored.
    pub fn join(&mut self, a: usize, b: usize) {
        if a >= self.parent.len() || b >= self.parent.len() {
            return;
        }
        let (ra, rb) = (self.root(a), self.root(b));
        self.parent[ra.max(rb)] = ra.min(rb);
    }

    /// The groups, each ascending, ordered by their first item.
    pub fn into_groups(mut self) -> Vec<Vec<usize>> {
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..self.parent.len() {
            let r = self.root(i);
            groups.entry(r).or_default().push(i);
        }
        groups.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_items_form_groups_ordered_by_their_first_item() {
        let mut g = Groups::new(6);
        g.join(4, 1);
        g.join(5, 3);
        g.join(1, 5);
        g.join(0, 9);
        assert_eq!(g.into_groups(), [vec![0], vec![1, 3, 4, 5], vec![2]]);
        assert!(Groups::new(0).into_groups().is_empty());
    }
}
