//! RSA for the certificate checks: PKCS#1 v1.5 signature verification, and reading a private
//! key (PKCS#1 or PKCS#8) the way the `rsa` crate did before (its checks, its re-encoding),
//! on `bignum` arithmetic. The DER is read in `der`'s strict mode, with the rules of the
//! `pkcs1` and `pkcs8` crates it replaced (`tls::dercheck` compares the two), so what parses
//! is unchanged.

use super::bignum::Nat;
use super::der::{self, Mode, Tlv, CONTEXT};

/// The `rsaEncryption` algorithm OID's content bytes.
const RSA_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// The DigestInfo prefix of a PKCS#1 v1.5 signature made with each hash.
pub(crate) const SHA1_PREFIX: &[u8] =
    &[0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14];
pub(crate) const SHA256_PREFIX: &[u8] =
    &[0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
pub(crate) const SHA384_PREFIX: &[u8] =
    &[0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30];
pub(crate) const SHA512_PREFIX: &[u8] =
    &[0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40];

/// Largest modulus a public key may have for verification, in bits.
const MAX_BITS: usize = 4096;

/// Largest modulus a private key may have. Far above any key in use, and it keeps the
/// schoolbook checks below (quadratic in the key's size) to microseconds on hostile input.
const MAX_PRIVATE_BITS: usize = 16384;

/// A well-formed public key: n odd, e odd within 2..=2³³−1 and below n, and n no longer than
/// `max_bits` when given.
fn check_public(n: &Nat, e: &Nat, max_bits: Option<usize>) -> bool {
    if max_bits.is_some_and(|m| n.bits() > m) {
        return false;
    }
    let Some(ev) = e.to_u64() else { return false };
    e < n && n.is_odd() && e.is_odd() && (2..=(1 << 33) - 1).contains(&ev)
}

/// Verifies a PKCS#1 v1.5 signature over the digest `hashed` (whose DigestInfo prefix is
/// `prefix`) with the key (`n`, `e`), both big-endian.
pub(crate) fn verify_pkcs1v15(n: &[u8], e: &[u8], prefix: &[u8], hashed: &[u8], sig: &[u8]) -> bool {
    let (n, e) = (Nat::from_be(n), Nat::from_be(e));
    if !check_public(&n, &e, Some(MAX_BITS)) {
        return false;
    }
    let k = n.bits().div_ceil(8);
    let s = Nat::from_be(sig);
    if s >= n || sig.len() != k {
        return false;
    }
    let Some(em) = s.modpow(&e, &n).to_be_padded(k) else { return false };
    let t_len = prefix.len() + hashed.len();
    if k < t_len + 11 {
        return false;
    }
    // EM = 0x00 || 0x01 || PS (0xff…) || 0x00 || prefix || hash
    em[0] == 0
        && em[1] == 1
        && em[2..k - t_len - 1].iter().all(|b| *b == 0xff)
        && em[k - t_len - 1] == 0
        && em[k - t_len..k - hashed.len()] == *prefix
        && em[k - hashed.len()..] == *hashed
}

/// A validated RSA private key.
pub(crate) struct RsaKey {
    /// The modulus and public exponent, minimal big-endian.
    pub(crate) n: Vec<u8>,
    pub(crate) e: Vec<u8>,
    /// The key as two-prime PKCS#1 DER, with the CRT values recomputed.
    pub(crate) pkcs1: Vec<u8>,
}

impl RsaKey {
    /// A PKCS#1 `RSAPrivateKey`.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Option<Self> {
        Self::from_pkcs1(der)
    }

    /// A PKCS#8 `PrivateKeyInfo` for `rsaEncryption` with NULL parameters.
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Option<Self> {
        Self::from_pkcs1(pkcs8_inner(der)?)
    }

    fn from_pkcs1(der_bytes: &[u8]) -> Option<Self> {
        let [n, e, d, p, q, ..] = pkcs1_integers(der_bytes)?.map(Nat::from_be);
        // The checks of the `rsa` crate's `validate`: a sound public key, primes above 1
        // whose product is n, and d·e ≡ 1 modulo p−1 and q−1.
        let one = Nat::from_u32(1);
        if !check_public(&n, &e, Some(MAX_PRIVATE_BITS)) || p <= one || q <= one || p.mul(&q) != n {
            return None;
        }
        let de = e.mul(&d);
        let (p1, q1) = (p.sub(&one), q.sub(&one));
        if !de.rem(&p1).is_one() || !de.rem(&q1).is_one() {
            return None;
        }
        let qinv = q.modinv(&p)?;
        let ints = [&n, &e, &d, &p, &q, &d.rem(&p1), &d.rem(&q1), &qinv];
        let mut body = vec![0x02, 0x01, 0x00];
        for v in ints {
            body.extend(der_uint(v));
        }
        Some(Self { n: n.to_be(), e: e.to_be(), pkcs1: super::x509::tlv(0x30, &body) })
    }
}

/// The PKCS#1 key a PKCS#8 `PrivateKeyInfo` for `rsaEncryption` with NULL parameters wraps.
fn pkcs8_inner(der: &[u8]) -> Option<&[u8]> {
    let info = PrivateKeyInfo::read(der)?;
    (info.algorithm == RSA_OID && info.parameters == Some((0x05, &[][..]))).then_some(info.private_key)
}

/// `RSAPrivateKey ::= SEQUENCE { version 0 (two-prime), n, e, d, p, q, dP, dQ, qInv }`,
/// each an unsigned INTEGER, with nothing after (the `pkcs1` crate without `alloc`
/// refuses multi-prime keys): the eight integers, without leading zero bytes.
fn pkcs1_integers(der_bytes: &[u8]) -> Option<[&[u8]; 8]> {
    let (body, rest) = der::expect(der_bytes, 0x30, Mode::Strict)?;
    if !rest.is_empty() {
        return None;
    }
    let (version, mut body) = der::expect(body, 0x02, Mode::Strict)?;
    if der::small_uint(version)? != 0 {
        return None;
    }
    let mut ints = [&[][..]; 8];
    for slot in &mut ints {
        let (v, after) = der::expect(body, 0x02, Mode::Strict)?;
        *slot = der::uint(v)?;
        body = after;
    }
    body.is_empty().then_some(ints)
}

/// Whether `der` is an RSA private key by its DER structure alone (PKCS#1, or PKCS#8 for
/// `rsaEncryption`), before any arithmetic: what `dercheck` compares on every corruption,
/// where running the key checks on each would take minutes in a debug build.
#[cfg(test)]
pub(crate) fn structure_ok(der: &[u8]) -> bool {
    pkcs1_integers(der).is_some() || pkcs8_inner(der).is_some_and(|k| pkcs1_integers(k).is_some())
}

/// A DER INTEGER holding a natural number (a leading zero byte when the top bit is set).
fn der_uint(v: &Nat) -> Vec<u8> {
    let mut bytes = v.to_be();
    if bytes.first().is_none_or(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    super::x509::tlv(0x02, &bytes)
}

/// PKCS#8 `PrivateKeyInfo` as the `pkcs8` crate reads it: version 0 without or 1 with a
/// public key, the algorithm OID and its parameters (one TLV: tag byte and content), the
/// private key OCTET STRING; `[0]` attributes and later context-specific fields are skipped.
pub(crate) struct PrivateKeyInfo<'a> {
    pub(crate) algorithm: &'a [u8],
    pub(crate) parameters: Option<(u8, &'a [u8])>,
    pub(crate) private_key: &'a [u8],
}

impl<'a> PrivateKeyInfo<'a> {
    pub(crate) fn read(der_bytes: &'a [u8]) -> Option<Self> {
        let (body, rest) = der::expect(der_bytes, 0x30, Mode::Strict)?;
        if !rest.is_empty() {
            return None;
        }
        let (version, body) = der::expect(body, 0x02, Mode::Strict)?;
        let version = der::small_uint(version)?;
        if version > 1 {
            return None;
        }
        let (alg, body) = der::expect(body, 0x30, Mode::Strict)?;
        let (algorithm, params) = der::expect(alg, 0x06, Mode::Strict)?;
        if !der::oid_ok(algorithm) {
            return None;
        }
        let parameters = if params.is_empty() {
            None
        } else {
            let (t, after) = der::read(params, Mode::Strict)?;
            if !after.is_empty() {
                return None;
            }
            Some((t.first, t.content))
        };
        let (private_key, body) = der::expect(body, 0x04, Mode::Strict)?;
        let (public, mut body) = context_field(body, 1)?;
        if let Some(t) = public {
            // IMPLICIT [1] BIT STRING: primitive, no unused bits.
            if t.constructed {
                return None;
            }
            bit_string_strict(t.content)?;
        }
        if (version == 1) != public.is_some() {
            return None;
        }
        while !body.is_empty() {
            let (t, after) = der::read(body, Mode::Strict)?;
            if t.class != CONTEXT || !t.constructed {
                return None;
            }
            let (_, inner) = der::read(t.content, Mode::Strict)?;
            if !inner.is_empty() {
                return None;
            }
            body = after;
        }
        Some(Self { algorithm, parameters, private_key })
    }
}

/// The `der` crate's optional context-specific field `[n]`: lower-numbered context-specific
/// fields before it are skipped, and anything else ends the search without consuming it.
pub(crate) fn context_field(mut body: &[u8], n: u32) -> Option<(Option<Tlv<'_>>, &[u8])> {
    while let Some(&first) = body.first() {
        let (t, after) = der::read(body, Mode::Strict)?;
        if first >> 6 != CONTEXT || t.number > n {
            break;
        }
        if t.number == n {
            return Some((Some(t), after));
        }
        body = after;
    }
    Some((None, body))
}

/// A BIT STRING the `der` crate's `BitStringRef::as_bytes` returns: no unused bits.
pub(crate) fn bit_string_strict(content: &[u8]) -> Option<&[u8]> {
    der::bit_string_bytes(content)
}
