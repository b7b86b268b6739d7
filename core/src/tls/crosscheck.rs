//! The tls arithmetic (`bignum`, `ec`, `rsakey`) against the RustCrypto crates it replaced
//! (`rsa`, `p256`, `p384`, dev-dependencies only): private keys read and written back, and
//! signatures checked, must agree on valid keys, on every single-byte corruption of them,
//! and on signatures made with each hash. Key readings are compared with `==`, never
//! `assert_eq!`, so that a failure prints no key bytes.

use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::traits::PublicKeyParts;
use sha2::Digest;

use super::ec::Curve;
use super::pem::decode_all;
use super::rsakey;
use super::x509::{sec1_der, PrivateKey, P256_OID, P384_OID};

/// What the RustCrypto crates made of a private key: (id bytes, kind, written-back DER).
pub(super) type Old = Option<(Vec<Vec<u8>>, &'static str, Vec<u8>)>;

/// The key reading routec had before, on the crates.
pub(super) fn old_parse(der: &[u8]) -> Old {
    let rsa_key = rsa::RsaPrivateKey::from_pkcs1_der(der).ok().or_else(|| rsa::RsaPrivateKey::from_pkcs8_der(der).ok());
    if let Some(k) = rsa_key {
        let out = k.to_pkcs1_der().ok()?.as_bytes().to_vec();
        return Some((vec![k.n().to_bytes_be(), k.e().to_bytes_be()], "RSA PRIVATE KEY", out));
    }
    let p256_key = p256::SecretKey::from_pkcs8_der(der).ok().or_else(|| p256::SecretKey::from_sec1_der(der).ok());
    if let Some(k) = p256_key {
        let public = k.public_key().to_encoded_point(false).as_bytes().to_vec();
        let der = sec1_der(&k.to_bytes(), P256_OID, &public);
        return Some((vec![public], "EC PRIVATE KEY", der));
    }
    let p384_key = p384::SecretKey::from_pkcs8_der(der).ok().or_else(|| p384::SecretKey::from_sec1_der(der).ok());
    if let Some(k) = p384_key {
        let public = k.public_key().to_encoded_point(false).as_bytes().to_vec();
        let der = sec1_der(&k.to_bytes(), P384_OID, &public);
        return Some((vec![public], "EC PRIVATE KEY", der));
    }
    None
}

fn new_parse(der: &[u8]) -> Old {
    let k = PrivateKey::parse(der)?;
    Some((k.id_parts(), k.kind, k.der))
}

/// Both readings agree on `der` and on each of its single-byte corruptions (every byte
/// position, its low bit flipped, and the byte dropped).
fn agree_with_corruptions(der: &[u8]) {
    assert!(new_parse(der) == old_parse(der), "valid key");
    assert!(new_parse(der).is_some());
    for i in 0..der.len() {
        let mut bad = der.to_vec();
        bad[i] ^= 0x01;
        assert!(new_parse(&bad) == old_parse(&bad), "byte {i} ^ 1");
        let mut short = der.to_vec();
        short.remove(i);
        assert!(new_parse(&short) == old_parse(&short), "byte {i} dropped");
    }
}

fn fixture_keys() -> Vec<Vec<u8>> {
    let texts = [
        include_str!("../../../fixtures/valid/ecdsa-and-shared-certs/objects.yaml"),
        include_str!("../../../fixtures/valid/edge-own-cert/objects.yaml"),
    ];
    let mut keys = Vec::new();
    for t in texts {
        let flat: String = t.lines().map(|l| format!("{}\n", l.trim())).collect();
        keys.extend(decode_all(&flat).into_iter().filter(|b| b.kind.ends_with("PRIVATE KEY")).map(|b| b.der));
    }
    keys
}

#[test]
fn fixture_keys_read_as_before() {
    let keys = fixture_keys();
    assert!(keys.len() >= 2, "the fixtures hold RSA and EC keys");
    for der in keys {
        agree_with_corruptions(&der);
    }
}

/// Deterministic scalars: hashes of a counter, and the edges 1 and n − 1.
fn scalars(size: usize, n_hex: &str) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = (0u8..6).map(|i| sha2::Sha512::digest([i])[..size].to_vec()).collect();
    let mut one = vec![0; size];
    one[size - 1] = 1;
    out.push(one);
    let mut n = super::bignum::Nat::from_hex(n_hex).to_be();
    if let Some(last) = n.last_mut() {
        *last -= 1;
    }
    out.push(n);
    out
}

const P256_N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const P384_N: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";

#[test]
fn ec_keys_read_as_before() {
    for (i, s) in scalars(32, P256_N).into_iter().enumerate() {
        let k = p256::SecretKey::from_slice(&s).expect("a P-256 scalar");
        let sec1 = k.to_sec1_der().expect("sec1").to_vec();
        let pkcs8 = k.to_pkcs8_der().expect("pkcs8").as_bytes().to_vec();
        if i == 0 {
            agree_with_corruptions(&pkcs8);
        } else {
            assert!(new_parse(&sec1) == old_parse(&sec1), "P-256 SEC1 key {i}");
            assert!(new_parse(&pkcs8) == old_parse(&pkcs8), "P-256 PKCS#8 key {i}");
        }
    }
    for (i, s) in scalars(48, P384_N).into_iter().enumerate() {
        let k = p384::SecretKey::from_slice(&s).expect("a P-384 scalar");
        let sec1 = k.to_sec1_der().expect("sec1").to_vec();
        let pkcs8 = k.to_pkcs8_der().expect("pkcs8").as_bytes().to_vec();
        assert!(new_parse(&sec1) == old_parse(&sec1), "P-384 SEC1 key {i}");
        assert!(new_parse(&pkcs8) == old_parse(&pkcs8), "P-384 PKCS#8 key {i}");
    }
}

/// Hashes of every length the certificate checks use (SHA-1, -256, -384, -512).
fn prehashes(msg: &[u8]) -> Vec<Vec<u8>> {
    vec![
        sha1::Sha1::digest(msg).to_vec(),
        sha2::Sha256::digest(msg).to_vec(),
        sha2::Sha384::digest(msg).to_vec(),
        sha2::Sha512::digest(msg).to_vec(),
    ]
}

fn ecdsa_parts(der: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let sig = p256::ecdsa::Signature::from_der(der).map(|s| s.to_bytes().to_vec());
    let sig = sig.or_else(|_| p384::ecdsa::Signature::from_der(der).map(|s| s.to_bytes().to_vec()));
    let bytes = sig.expect("a signature");
    let (r, s) = bytes.split_at(bytes.len() / 2);
    (r.to_vec(), s.to_vec())
}

#[test]
fn ecdsa_verifies_as_before() {
    let curve = Curve::p256();
    for (i, s) in scalars(32, P256_N).into_iter().enumerate().take(3) {
        let sk = p256::ecdsa::SigningKey::from_slice(&s).expect("key");
        let vk = sk.verifying_key();
        let point = vk.to_encoded_point(i % 2 == 0);
        let q = curve.decode_point(point.as_bytes()).expect("a point");
        for h in prehashes(&[i as u8; 3]) {
            let sig: p256::ecdsa::Signature = sk.sign_prehash(&h).expect("sign");
            let (r, s) = ecdsa_parts(sig.to_der().as_bytes());
            assert!(curve.verify_prehash(&q, &h, &r, &s), "P-256, {}-byte hash", h.len());
            let mut other = h.clone();
            other[0] ^= 1;
            assert_eq!(curve.verify_prehash(&q, &other, &r, &s), vk.verify_prehash(&other, &sig).is_ok());
            assert!(!curve.verify_prehash(&q, &other, &r, &s));
        }
    }
    let curve = Curve::p384();
    for (i, s) in scalars(48, P384_N).into_iter().enumerate().take(2) {
        let sk = p384::ecdsa::SigningKey::from_slice(&s).expect("key");
        let vk = sk.verifying_key();
        let point = vk.to_encoded_point(i % 2 == 0);
        let q = curve.decode_point(point.as_bytes()).expect("a point");
        for h in prehashes(&[i as u8; 3]) {
            // SHA-1 is shorter than half a P-384 scalar: the crates refuse to sign or check it.
            let Ok(sig) = PrehashSigner::<p384::ecdsa::Signature>::sign_prehash(&sk, &h) else {
                assert_eq!(h.len(), 20);
                continue;
            };
            let (r, s) = ecdsa_parts(sig.to_der().as_bytes());
            assert!(curve.verify_prehash(&q, &h, &r, &s), "P-384, {}-byte hash", h.len());
            assert!(!curve.verify_prehash(&q, &h[..20], &r, &s));
            let mut other = h.clone();
            other[5] ^= 0x10;
            assert!(!curve.verify_prehash(&q, &other, &r, &s));
        }
    }
}

#[test]
fn points_decode_as_before() {
    let curve = Curve::p256();
    let sk = p256::SecretKey::from_slice(&scalars(32, P256_N)[0]).expect("key");
    for compress in [false, true] {
        let enc = sk.public_key().to_encoded_point(compress).as_bytes().to_vec();
        for i in 0..enc.len() {
            let mut bad = enc.clone();
            bad[i] ^= 0x04;
            let old =
                p256::PublicKey::from_sec1_bytes(&bad).ok().map(|k| k.to_encoded_point(false).as_bytes().to_vec());
            let new = curve.decode_point(&bad).and_then(|(x, y)| curve.encode(&x, &y, false));
            assert_eq!(new, old, "byte {i} of a {}-byte point", enc.len());
        }
    }
    assert_eq!(curve.decode_point(&[0]), None, "the identity is no public key");
}

#[test]
fn rsa_signatures_verify_as_before() {
    let key = fixture_keys()
        .into_iter()
        .find_map(|der| {
            rsa::RsaPrivateKey::from_pkcs8_der(&der).ok().or_else(|| rsa::RsaPrivateKey::from_pkcs1_der(&der).ok())
        })
        .expect("an RSA key in the fixtures");
    let (n, e) = (key.n().to_bytes_be(), key.e().to_bytes_be());
    let schemes: [(&[u8], Vec<u8>, rsa::Pkcs1v15Sign); 4] = [
        (rsakey::SHA1_PREFIX, sha1::Sha1::digest(b"tbs").to_vec(), rsa::Pkcs1v15Sign::new::<sha1::Sha1>()),
        (rsakey::SHA256_PREFIX, sha2::Sha256::digest(b"tbs").to_vec(), rsa::Pkcs1v15Sign::new::<sha2::Sha256>()),
        (rsakey::SHA384_PREFIX, sha2::Sha384::digest(b"tbs").to_vec(), rsa::Pkcs1v15Sign::new::<sha2::Sha384>()),
        (rsakey::SHA512_PREFIX, sha2::Sha512::digest(b"tbs").to_vec(), rsa::Pkcs1v15Sign::new::<sha2::Sha512>()),
    ];
    for (prefix, hashed, scheme) in schemes {
        let sig = key.sign(scheme, &hashed).expect("sign");
        assert!(rsakey::verify_pkcs1v15(&n, &e, prefix, &hashed, &sig));
        for i in [0, 1, sig.len() / 2, sig.len() - 1] {
            let mut bad = sig.clone();
            bad[i] ^= 0x01;
            assert!(!rsakey::verify_pkcs1v15(&n, &e, prefix, &hashed, &bad), "byte {i}");
        }
        assert!(!rsakey::verify_pkcs1v15(&n, &e, prefix, &hashed, &sig[1..]));
        assert!(
            !rsakey::verify_pkcs1v15(&n, &e, rsakey::SHA1_PREFIX, &hashed[..20], &sig) || prefix == rsakey::SHA1_PREFIX
        );
    }
}
