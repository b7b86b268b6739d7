//! RSA for the certificate checks: PKCS#1 v1.5 signature verification, and reading a private
//! key (PKCS#1 or PKCS#8) the way the `rsa` crate did before (its checks, its re-encoding),
//! on `bignum` arithmetic. The DER itself is read by the `pkcs1` and `pkcs8` crates, so what
//! parses is unchanged.

use pkcs1::der::Decode as _;

use super::bignum::Nat;

/// The `rsaEncryption` algorithm OID.
const RSA_OID: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

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
        Self::from_pkcs1(pkcs1::RsaPrivateKey::from_der(der).ok()?)
    }

    /// A PKCS#8 `PrivateKeyInfo` for `rsaEncryption` with NULL parameters.
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Option<Self> {
        let info = pkcs8::PrivateKeyInfo::from_der(der).ok()?;
        info.algorithm.assert_algorithm_oid(RSA_OID).ok()?;
        if info.algorithm.parameters_any().ok()? != pkcs8::der::asn1::Null.into() {
            return None;
        }
        Self::from_pkcs1(pkcs1::RsaPrivateKey::from_der(info.private_key).ok()?)
    }

    fn from_pkcs1(k: pkcs1::RsaPrivateKey<'_>) -> Option<Self> {
        if k.version() != pkcs1::Version::TwoPrime {
            return None;
        }
        let nat = |u: pkcs1::UintRef<'_>| Nat::from_be(u.as_bytes());
        let (n, e, d) = (nat(k.modulus), nat(k.public_exponent), nat(k.private_exponent));
        let (p, q) = (nat(k.prime1), nat(k.prime2));
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

/// A DER INTEGER holding a natural number (a leading zero byte when the top bit is set).
fn der_uint(v: &Nat) -> Vec<u8> {
    let mut bytes = v.to_be();
    if bytes.first().is_none_or(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    super::x509::tlv(0x02, &bytes)
}
