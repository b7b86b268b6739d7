//! Fast hashing for short keys (statement words, names, template identifiers): FxHash, the
//! hasher rustc uses. The keys come from the user's own files, which are size-limited before
//! they are read (`limits`), so SipHash's resistance to chosen collisions buys nothing here.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

/// FxHash: a multiply and a rotate per 8-byte word.
#[derive(Default, Clone, Copy)]
pub struct ShortKeyHasher(u64);

impl std::hash::Hasher for ShortKeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(K);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`ShortKeyHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<ShortKeyHasher>>;

/// A `HashSet` with [`ShortKeyHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<ShortKeyHasher>>;
