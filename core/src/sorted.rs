//! Sorted vectors of key/value pairs, and [`Map`], the ordered map core uses in place of
//! `BTreeMap`. Each `BTreeMap` key/value type is several kilobytes of code in the wasm module
//! (node handling, entry, iteration and drop, all per type), where a sort and a binary search
//! are a few hundred bytes; the pairs also sit in one allocation. Core's maps are built once
//! (collected, or filled with a few inserts) and then read, so an insert's shift of the tail is
//! never the cost that matters; large maps are collected, which sorts once.

use std::borrow::Borrow;
use std::fmt;

/// `pairs` sorted by key; of pairs with the same key the last one stays, as when collected into
/// a map.
pub(crate) fn last_wins<K: Ord, V>(pairs: impl Iterator<Item = (K, V)>) -> Vec<(K, V)> {
    let mut v: Vec<(K, V)> = pairs.collect();
    v.reverse();
    crate::sort::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
    v.dedup_by(|a, b| a.0 == b.0);
    v
}

/// `pairs` sorted by key, keeping every pair in its original order among equal keys: a map of
/// lists, read with [`all`].
pub(crate) fn grouped<K: Ord, V>(pairs: impl Iterator<Item = (K, V)>) -> Vec<(K, V)> {
    let mut v: Vec<(K, V)> = pairs.collect();
    crate::sort::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
    v
}

/// The value of `key` in a vector from [`last_wins`].
pub(crate) fn get<'v, K: Borrow<Q>, Q: Ord + ?Sized, V>(v: &'v [(K, V)], key: &Q) -> Option<&'v V> {
    v.binary_search_by(|e| e.0.borrow().cmp(key)).ok().and_then(|i| v.get(i)).map(|e| &e.1)
}

/// Every pair of `key` in a vector from [`grouped`], in their original order.
pub(crate) fn all<'v, K: Ord, V>(v: &'v [(K, V)], key: &K) -> &'v [(K, V)] {
    let start = v.partition_point(|e| e.0 < *key);
    let end = start + v.get(start..).map_or(0, |rest| rest.partition_point(|e| e.0 == *key));
    v.get(start..end).unwrap_or(&[])
}

/// An ordered map: a vector of pairs sorted by key, each key once. Iteration is in key order,
/// as a `BTreeMap`'s; collecting keeps the last value of a repeated key, as a `BTreeMap`'s does.
#[derive(Clone, PartialEq, Eq)]
pub struct Map<K, V> {
    pairs: Vec<(K, V)>,
}

/// An iterator over a [`Map`]'s pairs by reference, in key order.
pub type Iter<'m, K, V> = std::iter::Map<std::slice::Iter<'m, (K, V)>, fn(&'m (K, V)) -> (&'m K, &'m V)>;

impl<K, V> Default for Map<K, V> {
    fn default() -> Self {
        Map { pairs: Vec::new() }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Map<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K, V> Map<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        Map { pairs: Vec::new() }
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        self.pairs.iter().map(|(k, v)| (k, v))
    }

    /// The pairs in key order, values mutable.
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.pairs.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.pairs.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.pairs.iter().map(|(_, v)| v)
    }

    /// The values in key order, mutable.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.pairs.iter_mut().map(|(_, v)| v)
    }

    /// The values in key order, by value.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.pairs.into_iter().map(|(_, v)| v)
    }

    /// The keys in order, by value.
    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator {
        self.pairs.into_iter().map(|(k, _)| k)
    }

    /// The pairs as a slice, in key order.
    pub fn as_slice(&self) -> &[(K, V)] {
        &self.pairs
    }

    /// Removes every pair.
    pub fn clear(&mut self) {
        self.pairs.clear();
    }

    /// Keeps the pairs for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.pairs.retain_mut(|(k, v)| keep(k, v));
    }

    /// The first pair.
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.pairs.first().map(|(k, v)| (k, v))
    }

    /// The last pair.
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.pairs.last().map(|(k, v)| (k, v))
    }
}

impl<K: Ord, V> Map<K, V> {
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.pairs.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().and_then(|i| self.pairs.get(i)).map(|(_, v)| v)
    }

    /// The stored key and value of `key`.
    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().and_then(|i| self.pairs.get(i)).map(|(k, v)| (k, v))
    }

    /// The value of `key`, mutable.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.pairs.get_mut(i).map(|(_, v)| v)
    }

    /// Whether `key` is in the map.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => self.pairs.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.pairs.insert(i, (key, value));
                None
            }
        }
    }

    /// The value of `key`, inserting `make()` first when it is missing (`entry().or_insert_with`).
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.pairs.insert(i, (key, make()));
                i
            }
        };
        // `i` is in bounds: it was found or just inserted.
        match self.pairs.get_mut(i) {
            Some((_, v)) => v,
            None => unreachable!("index of a present key"),
        }
    }

    /// The value of `key`, inserting the default first when it is missing
    /// (`entry().or_default()`).
    pub fn or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        self.get_or_insert_with(key, V::default)
    }

    /// Removes `key`, returning its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        Some(self.pairs.remove(i).1)
    }

    /// The pairs from `key` on (`range(key..)`).
    pub fn from_key<Q: Ord + ?Sized>(&self, key: &Q) -> impl Iterator<Item = (&K, &V)>
    where
        K: Borrow<Q>,
    {
        let start = self.pairs.partition_point(|(k, _)| k.borrow() < key);
        self.pairs.get(start..).unwrap_or(&[]).iter().map(|(k, v)| (k, v))
    }

    /// A map of lists: each key once, with its values in their original order.
    pub fn grouped(pairs: impl IntoIterator<Item = (K, V)>) -> Map<K, Vec<V>> {
        let mut out: Vec<(K, Vec<V>)> = Vec::new();
        for (k, v) in grouped(pairs.into_iter()) {
            match out.last_mut() {
                Some((last, list)) if *last == k => list.push(v),
                _ => out.push((k, vec![v])),
            }
        }
        Map { pairs: out }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for Map<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        Map { pairs: last_wins(pairs.into_iter()) }
    }
}

impl<K: Ord, V> Extend<(K, V)> for Map<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, pairs: I) {
        let old = std::mem::take(&mut self.pairs);
        self.pairs = last_wins(old.into_iter().chain(pairs));
    }
}

impl<K, V> IntoIterator for Map<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.pairs.into_iter()
    }
}

impl<'m, K, V> IntoIterator for &'m Map<K, V> {
    type Item = (&'m K, &'m V);
    type IntoIter = Iter<'m, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_behaves_as_a_btreemap() {
        use std::collections::BTreeMap;
        // A deterministic sequence of inserts, removals, lookups and extends, applied to both.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut ours: Map<u8, u64> = Map::new();
        let mut theirs: BTreeMap<u8, u64> = BTreeMap::new();
        for step in 0..20_000u64 {
            let key = (next() % 64) as u8;
            match next() % 6 {
                0 | 1 => assert_eq!(ours.insert(key, step), theirs.insert(key, step)),
                2 => assert_eq!(ours.remove(&key), theirs.remove(&key)),
                3 => {
                    *ours.or_default(key) += 1;
                    *theirs.entry(key).or_default() += 1;
                }
                4 => {
                    let extra: Vec<(u8, u64)> = (0..3).map(|i| ((next() % 64) as u8, step + i)).collect();
                    ours.extend(extra.clone());
                    theirs.extend(extra);
                }
                _ => assert_eq!(ours.get(&key), theirs.get(&key)),
            }
            if step % 97 == 0 {
                let a: Vec<_> = ours.iter().map(|(k, v)| (*k, *v)).collect();
                let b: Vec<_> = theirs.iter().map(|(k, v)| (*k, *v)).collect();
                assert_eq!(a, b, "step {step}");
                assert_eq!(ours.len(), theirs.len());
                let from: Vec<_> = ours.from_key(&key).map(|(k, _)| *k).collect();
                let range: Vec<_> = theirs.range(key..).map(|(k, _)| *k).collect();
                assert_eq!(from, range);
            }
        }
        let pairs = [(3u8, 'a'), (1, 'b'), (3, 'c'), (2, 'd')];
        let collected: Map<u8, char> = pairs.into_iter().collect();
        let expect: BTreeMap<u8, char> = pairs.into_iter().collect();
        assert_eq!(collected.into_iter().collect::<Vec<_>>(), expect.into_iter().collect::<Vec<_>>());
        let groups = Map::grouped(pairs);
        assert_eq!(groups.get(&3), Some(&vec!['a', 'c']));
        assert_eq!(groups.keys().copied().collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn last_pair_of_a_key_wins() {
        let v = last_wins([("b", 1), ("a", 2), ("b", 3)].into_iter());
        assert_eq!(v, vec![("a", 2), ("b", 3)]);
        assert_eq!(get(&v, &"b"), Some(&3));
        assert_eq!(get(&v, &"c"), None);
    }

    #[test]
    fn groups_keep_their_order() {
        let v = grouped([("b", 1), ("a", 2), ("b", 3), ("c", 4)].into_iter());
        assert_eq!(all(&v, &"b"), &[("b", 1), ("b", 3)]);
        assert!(all(&v, &"x").is_empty());
    }
}
