//! Sorted vectors of key/value pairs, for maps built once and then only read. Each `BTreeMap`
//! key/value type is several kilobytes of code in the wasm module (node handling, entry,
//! iteration and drop, all per type), where a sort and a binary search are a few hundred bytes;
//! the pairs also sit in one allocation.

use std::borrow::Borrow;

/// `pairs` sorted by key; of pairs with the same key the last one stays, as when collected into
/// a map.
pub(crate) fn last_wins<K: Ord, V>(pairs: impl Iterator<Item = (K, V)>) -> Vec<(K, V)> {
    let mut v: Vec<(K, V)> = pairs.collect();
    v.reverse();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v.dedup_by(|a, b| a.0 == b.0);
    v
}

/// `pairs` sorted by key, keeping every pair in its original order among equal keys: a map of
/// lists, read with [`all`].
pub(crate) fn grouped<K: Ord, V>(pairs: impl Iterator<Item = (K, V)>) -> Vec<(K, V)> {
    let mut v: Vec<(K, V)> = pairs.collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
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

#[cfg(test)]
mod tests {
    use super::*;

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
