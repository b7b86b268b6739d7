//! Sorting for core and its wasm bindings. Natively these are the standard library's sorts. In the wasm module they are
//! one merge sort over indices that every element type shares: each instantiation of the
//! standard library's sorts is kilobytes of code, and core sorts some thirty element types.
//!
//! Both are stable. The unstable sorts in core compare whole values (two values that compare
//! equal are the same), so a stable sort puts them in the same order as an unstable one, and
//! the wasm module writes the same bytes as the CLI.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    compact_sort_by(v, cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
}

/// Sorts `v` stably by a key.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts `v` by `cmp`, where values that compare equal are the same.
pub fn sort_unstable_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    compact_sort_by(v, cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_unstable_by(cmp);
}

/// Sorts `v`, whose equal values are the same.
pub fn sort_unstable<T: Ord>(v: &mut [T]) {
    sort_unstable_by(v, T::cmp);
}

/// The wasm module's sort: the order is found over indices by code shared by every `T`, then
/// applied; only the comparison and the swaps are per type.
#[cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]
fn compact_sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        stable_order(items.len(), &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y) == Ordering::Greater,
            _ => false,
        })
    };
    permute(order, &mut |a, b| v.swap(a, b));
}

/// The indices `0..n` in stable sorted order, by a bottom-up merge sort; `after(a, b)` says
/// whether item `a` sorts strictly after item `b`.
#[cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]
fn stable_order(n: usize, after: &mut dyn FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut src: Vec<usize> = (0..n).collect();
    let mut dst: Vec<usize> = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = start.saturating_add(width).min(n);
            let end = start.saturating_add(width.saturating_mul(2)).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in dst.get_mut(start..end).unwrap_or_default() {
                // The left run's item goes first unless the right one sorts strictly before it,
                // which keeps equal items in their order.
                let take_left = match (src.get(i).filter(|_| i < mid), src.get(j).filter(|_| j < end)) {
                    (Some(&l), Some(&r)) => !after(l, r),
                    (Some(_), None) => true,
                    _ => false,
                };
                let from = if take_left { &mut i } else { &mut j };
                *slot = src.get(*from).copied().unwrap_or_default();
                *from += 1;
            }
            start = end;
        }
        std::mem::swap(&mut src, &mut dst);
        width = width.saturating_mul(2);
    }
    src
}

/// Puts the item at `order[k]` at position `k` for every `k`, following each cycle of the
/// permutation with `swap`, so that this code too is shared by every item type.
#[cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]
fn permute(mut order: Vec<usize>, swap: &mut dyn FnMut(usize, usize)) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut cur = start;
        while let Some(slot) = order.get_mut(cur) {
            let src = std::mem::replace(slot, DONE);
            if src == DONE || src == start {
                break;
            }
            swap(cur, src);
            cur = src;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compact_sort_is_the_standard_stable_sort() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..2_000u64 {
            let len = (next() % 70) as usize;
            // Few distinct keys, so most items tie; the second field tells ties apart.
            let keys = 1 + next() % 9;
            let items: Vec<(u64, u64)> = (0..len as u64).map(|i| (next() % keys, i)).collect();
            let mut ours = items.clone();
            compact_sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std_sorted = items.clone();
            std_sorted.sort_by_key(|a| a.0);
            assert_eq!(ours, std_sorted, "round {round}");
            let mut rev = items;
            compact_sort_by(&mut rev, |a, b| b.cmp(a));
            std_sorted.sort_by(|a, b| b.cmp(a));
            assert_eq!(rev, std_sorted, "round {round}, reversed");
        }
    }

    #[test]
    fn every_entry_point_sorts() {
        let mut v = vec!["b", "a", "c", "a"];
        sort(&mut v);
        assert_eq!(v, ["a", "a", "b", "c"]);
        sort_unstable_by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, ["c", "b", "a", "a"]);
        sort_by_key(&mut v, |s| *s != "a");
        assert_eq!(v, ["a", "a", "c", "b"]);
        sort_unstable(&mut v);
        assert_eq!(v, ["a", "a", "b", "c"]);
    }
}
