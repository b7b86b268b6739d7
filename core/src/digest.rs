//! MD5, SHA-1 and SHA-2 digests, one-shot. They verify certificate chains (`tls::x509`) and
//! compute the Go-compatible md5 names of the router's config (`gotext::md5_hex`).
//!
//! They are here rather than crates to keep the wasm module small: a straight compression function
//! per algorithm and one shared padding routine, with none of the crates' streaming and trait
//! machinery. SHA-384 is SHA-512 with other initial values, truncated; SHA-256's constants are the
//! top halves of SHA-512's (both are the fractional parts of the same roots of the same primes).
//! Speed matters little: the inputs are certificates and short names.

/// SHA-512's round constants (FIPS 180-4 §4.2.3): the first 64 bits of the fractional parts of the
/// cube roots of the first 80 primes. SHA-256 uses the top 32 bits of the first 64.
const K512: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

/// SHA-512's initial hash value (FIPS 180-4 §5.3.5); SHA-256's is its top halves.
const IV512: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

/// SHA-384's initial hash value (FIPS 180-4 §5.3.4).
const IV384: [u64; 8] = [
    0xcbbb9d5dc1059ed8,
    0x629a292a367cd507,
    0x9159015a3070dd17,
    0x152fecd8f70e5939,
    0x67332667ffc00b31,
    0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7,
    0x47b5481dbefa4fa4,
];

/// MD5's additive constants (RFC 1321 §3.4): `floor(abs(sin(i + 1)) * 2^32)`.
const MD5_T: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8,
    0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87,
    0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039,
    0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391,
];

/// MD5's left rotations, four per round.
const MD5_SHIFT: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/// MD5 of `data`.
pub(crate) fn md5(data: &[u8]) -> [u8; 16] {
    let mut state = [0x6745_2301_u32, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    padded_blocks(data, 64, Endian::Little, |block| md5_block(&mut state, block));
    flatten(state.map(u32::to_le_bytes))
}

/// SHA-1 of `data`.
pub(crate) fn sha1(data: &[u8]) -> [u8; 20] {
    let mut state = [0x6745_2301_u32, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0];
    padded_blocks(data, 64, Endian::Big, |block| sha1_block(&mut state, block));
    flatten(state.map(u32::to_be_bytes))
}

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut state = IV512.map(top_half);
    padded_blocks(data, 64, Endian::Big, |block| sha256_block(&mut state, block));
    flatten(state.map(u32::to_be_bytes))
}

/// SHA-384 of `data`.
pub(crate) fn sha384(data: &[u8]) -> [u8; 48] {
    flatten(sha512_state(data, IV384).map(u64::to_be_bytes))
}

/// SHA-512 of `data`.
pub(crate) fn sha512(data: &[u8]) -> [u8; 64] {
    flatten(sha512_state(data, IV512).map(u64::to_be_bytes))
}

fn sha512_state(data: &[u8], iv: [u64; 8]) -> [u64; 8] {
    let mut state = iv;
    padded_blocks(data, 128, Endian::Big, |block| sha512_block(&mut state, block));
    state
}

#[derive(Clone, Copy)]
enum Endian {
    Little,
    Big,
}

/// Feeds `data` to `compress` in `size`-byte blocks with Merkle–Damgård padding: a 1 bit, zeros,
/// and the message length in bits in the last eighth of the final block (64 bits for 64-byte
/// blocks, 128 for SHA-512's 128-byte ones).
fn padded_blocks(data: &[u8], size: usize, endian: Endian, mut compress: impl FnMut(&[u8])) {
    let mut blocks = data.chunks_exact(size);
    for block in &mut blocks {
        compress(block);
    }
    let length_size = size / 8;
    let mut tail = blocks.remainder().to_vec();
    tail.push(0x80);
    tail.resize((tail.len() + length_size).next_multiple_of(size) - length_size, 0);
    // usize has at most 64 bits, so the bit count fits a u128; the 64-bit fields keep it mod 2^64.
    let bits = data.len() as u128 * 8;
    match endian {
        Endian::Little => tail.extend(bits.to_le_bytes().iter().take(length_size)),
        Endian::Big => tail.extend(bits.to_be_bytes().iter().skip(16 - length_size)),
    }
    tail.chunks_exact(size).for_each(compress);
}

/// The first 16 words of a block.
fn words<T: Copy + Default, const W: usize>(block: &[u8], from_bytes: fn([u8; W]) -> T) -> [T; 16] {
    let mut out = [T::default(); 16];
    for (word, bytes) in out.iter_mut().zip(block.chunks_exact(W)) {
        *word = from_bytes(bytes.try_into().unwrap_or([0; W]));
    }
    out
}

/// The state words' bytes in order, truncated to `N` (SHA-384 keeps six of its eight words).
fn flatten<const N: usize, const W: usize>(words: impl IntoIterator<Item = [u8; W]>) -> [u8; N] {
    let mut out = [0u8; N];
    for (o, b) in out.iter_mut().zip(words.into_iter().flatten()) {
        *o = b;
    }
    out
}

fn top_half(k: u64) -> u32 {
    (k >> 32) as u32
}

fn add_state<T: Copy, const N: usize>(state: &mut [T; N], v: [T; N], add: fn(T, T) -> T) {
    for (s, v) in state.iter_mut().zip(v) {
        *s = add(*s, v);
    }
}

fn md5_block(state: &mut [u32; 4], block: &[u8]) {
    let m = words(block, u32::from_le_bytes);
    let [mut a, mut b, mut c, mut d] = *state;
    for (i, t) in MD5_T.iter().enumerate() {
        let (f, g) = match i / 16 {
            0 => ((b & c) | (!b & d), i),
            1 => ((d & b) | (!d & c), 5 * i + 1),
            2 => (b ^ c ^ d, 3 * i + 5),
            _ => (c ^ (b | !d), 7 * i),
        };
        let f = f.wrapping_add(a).wrapping_add(*t).wrapping_add(m[g % 16]);
        (a, d, c) = (d, c, b);
        b = b.wrapping_add(f.rotate_left(MD5_SHIFT[i / 16 * 4 + i % 4]));
    }
    add_state(state, [a, b, c, d], u32::wrapping_add);
}

fn sha1_block(state: &mut [u32; 5], block: &[u8]) {
    let mut w = [0u32; 80];
    w[..16].copy_from_slice(&words(block, u32::from_be_bytes));
    for i in 16..80 {
        w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
    }
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    for (i, wi) in w.iter().enumerate() {
        let (f, k) = match i / 20 {
            0 => ((b & c) | (!b & d), 0x5a82_7999),
            1 => (b ^ c ^ d, 0x6ed9_eba1),
            2 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
            _ => (b ^ c ^ d, 0xca62_c1d6),
        };
        let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
        (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
    }
    add_state(state, [a, b, c, d, e], u32::wrapping_add);
}

fn sha256_block(state: &mut [u32; 8], block: &[u8]) {
    let mut w = [0u32; 64];
    w[..16].copy_from_slice(&words(block, u32::from_be_bytes));
    for i in 16..64 {
        let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
        let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
    }
    let mut v = *state;
    for (wi, k) in w.iter().zip(K512) {
        let [a, b, c, d, e, f, g, h] = v;
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = h.wrapping_add(s1).wrapping_add(ch).wrapping_add(top_half(k)).wrapping_add(*wi);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let t2 = s0.wrapping_add((a & b) ^ (a & c) ^ (b & c));
        v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
    }
    add_state(state, v, u32::wrapping_add);
}

fn sha512_block(state: &mut [u64; 8], block: &[u8]) {
    let mut w = [0u64; 80];
    w[..16].copy_from_slice(&words(block, u64::from_be_bytes));
    for i in 16..80 {
        let s0 = w[i - 15].rotate_right(1) ^ w[i - 15].rotate_right(8) ^ (w[i - 15] >> 7);
        let s1 = w[i - 2].rotate_right(19) ^ w[i - 2].rotate_right(61) ^ (w[i - 2] >> 6);
        w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
    }
    let mut v = *state;
    for (wi, k) in w.iter().zip(K512) {
        let [a, b, c, d, e, f, g, h] = v;
        let s1 = e.rotate_right(14) ^ e.rotate_right(18) ^ e.rotate_right(41);
        let ch = (e & f) ^ (!e & g);
        let t1 = h.wrapping_add(s1).wrapping_add(ch).wrapping_add(k).wrapping_add(*wi);
        let s0 = a.rotate_right(28) ^ a.rotate_right(34) ^ a.rotate_right(39);
        let t2 = s0.wrapping_add((a & b) ^ (a & c) ^ (b & c));
        v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
    }
    add_state(state, v, u64::wrapping_add);
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest as _;

    const LONG: &[u8] = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The digests of "", "abc", the 448-bit message and a million 'a's.
    fn check(digest: fn(&[u8]) -> Vec<u8>, expected: [&str; 4]) {
        let million = vec![b'a'; 1_000_000];
        for (input, want) in [b"".as_slice(), b"abc", LONG, &million].into_iter().zip(expected) {
            assert_eq!(hex(&digest(input)), want, "input of {} bytes", input.len());
        }
    }

    #[test]
    fn md5_vectors() {
        check(
            |d| md5(d).to_vec(),
            [
                "d41d8cd98f00b204e9800998ecf8427e",
                "900150983cd24fb0d6963f7d28e17f72",
                "8215ef0796a20bcaaae116d3876c664a",
                "7707d6ae4e027c70eea2a935c2296f21",
            ],
        );
    }

    #[test]
    fn sha1_vectors() {
        check(
            |d| sha1(d).to_vec(),
            [
                "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                "a9993e364706816aba3e25717850c26c9cd0d89d",
                "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
                "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
            ],
        );
    }

    #[test]
    fn sha256_vectors() {
        check(
            |d| sha256(d).to_vec(),
            [
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
            ],
        );
    }

    #[test]
    fn sha384_vectors() {
        check(
            |d| sha384(d).to_vec(),
            [
                "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
                "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b",
                "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
            ],
        );
    }

    #[test]
    fn sha512_vectors() {
        check(
            |d| sha512(d).to_vec(),
            [
                "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce\
                 47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                 2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335\
                 96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445",
                "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb\
                 de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
            ],
        );
    }

    /// Every length up to 600 bytes crosses each padding boundary of both block sizes several
    /// times (a length field that no longer fits the last block, an exactly full block, ...).
    #[test]
    fn matches_the_rustcrypto_crates_at_every_length() {
        let data: Vec<u8> = (0..600u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for len in 0..=data.len() {
            let input = &data[..len];
            assert_eq!(md5(input).to_vec(), md5::Md5::digest(input).to_vec(), "md5, {len} bytes");
            assert_eq!(sha1(input).to_vec(), sha1::Sha1::digest(input).to_vec(), "sha1, {len} bytes");
            assert_eq!(sha256(input).to_vec(), sha2::Sha256::digest(input).to_vec(), "sha256, {len} bytes");
            assert_eq!(sha384(input).to_vec(), sha2::Sha384::digest(input).to_vec(), "sha384, {len} bytes");
            assert_eq!(sha512(input).to_vec(), sha2::Sha512::digest(input).to_vec(), "sha512, {len} bytes");
        }
    }
}
