//! The X.509 checks of the router's extended validation: parsing, signature algorithms,
//! chain verification against a CA pool, and certificate/private-key pairing. Pure Rust, so it
//! builds for wasm32.

use super::cert::{self, Parsed};
use super::der::{self, Mode, INTEGER, OCTET_STRING};
use super::ec::Curve;
use super::name;
use super::rsakey::{self, RsaKey};

/// A parsed certificate, owning its DER.
pub struct Cert {
    der: Vec<u8>,
}

impl Cert {
    /// Parses DER; `None` when it is not a certificate (or bytes follow it).
    pub fn parse(der: &[u8]) -> Option<Self> {
        cert::parse(der).filter(|(_, rest)| rest.is_empty())?;
        Some(Self { der: der.to_vec() })
    }

    fn with<R>(&self, f: impl FnOnce(&Parsed<'_>) -> R) -> Option<R> {
        cert::parse(&self.der).map(|(c, _)| f(&c))
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// `notBefore` and `notAfter` as seconds since the epoch.
    pub fn validity(&self) -> Option<(i64, i64)> {
        self.with(|c| (c.not_before, c.not_after))
    }

    /// The subject's common name, when it has one.
    pub fn common_name(&self) -> Option<String> {
        self.with(|c| name::common_name(&c.subject).map(str::to_owned)).flatten()
    }

    /// True when the date `now` is outside `notBefore..=notAfter`: Go's verifier reports
    /// this first, as its `Expired` reason, which the router ignores.
    pub fn outside_validity(&self, now: i64) -> bool {
        self.validity().is_some_and(|(nb, na)| now < nb || now > na)
    }

    /// "SHA1"/"MD5"/"MD2" when a CA-signed certificate uses a weak signature.
    pub fn weak_signature(&self) -> Option<&'static str> {
        self.with(|c| {
            if looks_self_signed(c) {
                return None;
            }
            match name::dotted(c.signature_algorithm).as_str() {
                "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" => Some("SHA1"),
                "1.2.840.113549.1.1.4" => Some("MD5"),
                "1.2.840.113549.1.1.2" => Some("MD2"),
                _ => None,
            }
        })
        .flatten()
    }

    /// Verifies that `self` chains to a certificate in `pool` (the pool is both intermediates
    /// and roots, as in the router). Expiry is not checked.
    pub fn verify(&self, pool: &[Cert]) -> Result<(), String> {
        self.verify_depth(pool, 0)
    }

    fn verify_depth(&self, pool: &[Cert], depth: usize) -> Result<(), String> {
        const UNKNOWN: &str = "x509: certificate signed by unknown authority";
        if depth > 8 {
            return Err(UNKNOWN.to_owned());
        }
        if depth == 0 && pool.iter().any(|p| p.der == self.der) {
            return Ok(());
        }
        let ok = self
            .with(|c| {
                if depth == 0 && !server_auth_ok(c) {
                    return Err("x509: certificate specifies an incompatible key usage".to_owned());
                }
                for p in pool {
                    let Some(true) = p.with(|pc| pc.subject.raw == c.issuer.raw && is_ca(pc) && signed_by(c, pc))
                    else {
                        continue;
                    };
                    let root = p.with(|pc| pc.subject.raw == pc.issuer.raw).unwrap_or(false);
                    if root || p.verify_depth(pool, depth + 1).is_ok() || pool.iter().any(|q| q.der == p.der) {
                        return Ok(());
                    }
                }
                Err(UNKNOWN.to_owned())
            })
            .unwrap_or_else(|| Err(UNKNOWN.to_owned()));
        ok
    }

    /// The public key's parts (RSA n and e, or the EC point and nothing), for tests.
    #[cfg(test)]
    pub(crate) fn public_key_parts(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        match self.public_key_id()? {
            KeyId::Rsa(n, e) => Some((n, e)),
            KeyId::Ec(p) => Some((p, Vec::new())),
        }
    }

    /// Whether the certificate may sign others, for tests.
    #[cfg(test)]
    pub(crate) fn is_ca(&self) -> bool {
        self.with(is_ca).unwrap_or(false)
    }

    /// Whether the certificate may serve TLS, for tests.
    #[cfg(test)]
    pub(crate) fn server_auth(&self) -> bool {
        self.with(server_auth_ok).unwrap_or(false)
    }

    /// The public key as comparable bytes: RSA modulus+exponent, or the EC point.
    fn public_key_id(&self) -> Option<KeyId> {
        self.with(|c| match public_key(c.key_algorithm, c.key) {
            Some(PublicKey::Rsa(n, e)) => Some(KeyId::Rsa(strip0(n).to_vec(), strip0(e).to_vec())),
            Some(PublicKey::Ec(p)) => Some(KeyId::Ec(p.to_vec())),
            _ => None,
        })
        .flatten()
    }
}

/// A subject public key as x509-parser's `SubjectPublicKeyInfo::parsed` reads it.
enum PublicKey<'a> {
    /// Modulus and exponent, as encoded (a leading zero byte kept).
    Rsa(&'a [u8], &'a [u8]),
    Ec(&'a [u8]),
    Other,
}

const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const EC_PUBLIC_KEY_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
const GOST: [&[u8]; 3] = [
    &[0x2a, 0x85, 0x03, 0x02, 0x02, 0x13],
    &[0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x01, 0x01],
    &[0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x01, 0x02],
];

/// `None` when a key of a known type does not read (x509-parser's `InvalidSPKI`).
fn public_key<'a>(alg: &[u8], key: &'a [u8]) -> Option<PublicKey<'a>> {
    if alg == RSA_ENCRYPTION {
        let (seq, _) = cert::sequence(key)?;
        let (n, rest) = der_integer(seq.content)?;
        let (e, _) = der_integer(rest)?;
        Some(PublicKey::Rsa(n, e))
    } else if alg == EC_PUBLIC_KEY_OID {
        Some(PublicKey::Ec(key))
    } else if alg == DSA {
        der_integer(key).map(|_| PublicKey::Other)
    } else if GOST.contains(&alg) {
        let (t, _) = der::read(key, Mode::Lax)?;
        (t.number == OCTET_STRING && !t.constructed).then_some(PublicKey::Other)
    } else {
        Some(PublicKey::Other)
    }
}

/// der-parser's DER INTEGER: non-empty, no redundant leading byte (sign allowed); the
/// constructed bit is not checked.
fn der_integer(i: &[u8]) -> Option<(&[u8], &[u8])> {
    let (t, rest) = der::read(i, Mode::Lax)?;
    if t.number != INTEGER {
        return None;
    }
    match t.content {
        [] => None,
        [0, b, ..] if *b < 0x80 => None,
        c => Some((c, rest)),
    }
}

/// x509-parser's `SubjectPublicKeyInfo::from_der` with nothing after it, and `parsed()`.
pub(crate) fn is_pkix_public_key(der_bytes: &[u8]) -> bool {
    let Some((spki, rest)) = cert::sequence(der_bytes) else { return false };
    let Some((alg, kr)) = cert::algorithm(spki.content) else { return false };
    let Some((bits, _)) = der::read(kr, Mode::Lax) else { return false };
    if !bits.is(super::der::BIT_STRING) {
        return false;
    }
    let Some(key) = der::bit_string(&bits) else { return false };
    rest.is_empty() && public_key(alg, key).is_some()
}

/// The router's self-signed test (OpenSSL's `EXFLAG_SS`): the issuer is the subject, the
/// authority key identifier is absent or equal to the subject key identifier, and the signature
/// algorithm is one for the certificate's own key type. The signature itself is not checked.
fn looks_self_signed(c: &Parsed<'_>) -> bool {
    let (skid, akid) = c.key_identifiers();
    let keys_agree = akid.is_none_or(|a| Some(a) == skid);
    c.subject.raw == c.issuer.raw
        && keys_agree
        && signature_key_type(&name::dotted(c.signature_algorithm)) == key_type(&name::dotted(c.key_algorithm))
}

/// The key type a signature algorithm belongs to (Go's `signatureAlgorithmToPublicKeyAlgorithm`).
fn signature_key_type(oid: &str) -> &'static str {
    match oid {
        "1.2.840.113549.1.1.2"
        | "1.2.840.113549.1.1.4"
        | "1.2.840.113549.1.1.5"
        | "1.2.840.113549.1.1.11"
        | "1.2.840.113549.1.1.12"
        | "1.2.840.113549.1.1.13"
        | "1.2.840.113549.1.1.10" => "RSA",
        "1.2.840.10040.4.3" | "2.16.840.1.101.3.4.3.2" => "DSA",
        "1.2.840.10045.4.1" | "1.2.840.10045.4.3.2" | "1.2.840.10045.4.3.3" | "1.2.840.10045.4.3.4" => "ECDSA",
        "1.3.101.112" => "Ed25519",
        _ => "unknown",
    }
}

/// The key type of a public key algorithm identifier.
fn key_type(oid: &str) -> &'static str {
    match oid {
        "1.2.840.113549.1.1.1" => "RSA",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.840.10045.2.1" => "ECDSA",
        "1.3.101.112" => "Ed25519",
        _ => "unknown",
    }
}

fn strip0(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|x| **x == 0).count();
    b.get(n..).unwrap_or(b)
}

fn is_ca(c: &Parsed<'_>) -> bool {
    let self_signed = c.subject.raw == c.issuer.raw;
    match c.basic_constraints_ca() {
        Ok(Some(ca)) => ca,
        // Old self-signed v1 roots carry no basic constraints.
        Ok(None) => self_signed && c.version == 0,
        Err(()) => false,
    }
}

fn server_auth_ok(c: &Parsed<'_>) -> bool {
    match c.ext_key_usage() {
        Ok(Some((any, server_auth))) => any || server_auth,
        Ok(None) => true,
        Err(()) => false,
    }
}

/// Checks `child`'s signature with `parent`'s public key.
fn signed_by(child: &Parsed<'_>, parent: &Parsed<'_>) -> bool {
    let tbs = child.tbs;
    let sig = child.signature;
    let alg = name::dotted(child.signature_algorithm);
    match public_key(parent.key_algorithm, parent.key) {
        Some(PublicKey::Rsa(n, e)) => {
            let (prefix, hashed) = match alg.as_str() {
                "1.2.840.113549.1.1.11" => (rsakey::SHA256_PREFIX, crate::digest::sha256(tbs).to_vec()),
                "1.2.840.113549.1.1.12" => (rsakey::SHA384_PREFIX, crate::digest::sha384(tbs).to_vec()),
                "1.2.840.113549.1.1.13" => (rsakey::SHA512_PREFIX, crate::digest::sha512(tbs).to_vec()),
                "1.2.840.113549.1.1.5" => (rsakey::SHA1_PREFIX, crate::digest::sha1(tbs).to_vec()),
                _ => return false,
            };
            rsakey::verify_pkcs1v15(n, e, prefix, &hashed, sig)
        }
        Some(PublicKey::Ec(point)) => {
            let hash: Vec<u8> = match alg.as_str() {
                "1.2.840.10045.4.3.2" => crate::digest::sha256(tbs).to_vec(),
                "1.2.840.10045.4.3.3" => crate::digest::sha384(tbs).to_vec(),
                "1.2.840.10045.4.3.4" => crate::digest::sha512(tbs).to_vec(),
                "1.2.840.10045.4.1" => crate::digest::sha1(tbs).to_vec(),
                _ => return false,
            };
            let Some((r, s)) = ecdsa_signature(sig) else { return false };
            for curve in [Curve::p256(), Curve::p384()] {
                if let Some(q) = curve.decode_point(point) {
                    return curve.verify_prehash(&q, &hash, r, s);
                }
            }
            false
        }
        _ => false,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum KeyId {
    Rsa(Vec<u8>, Vec<u8>),
    Ec(Vec<u8>),
}

/// A private key in the form the router writes it back.
pub struct PrivateKey {
    id: KeyId,
    /// `RSA PRIVATE KEY` or `EC PRIVATE KEY`.
    pub kind: &'static str,
    /// PKCS#1 or SEC1 DER.
    pub der: Vec<u8>,
}

impl PrivateKey {
    /// Parses PKCS#1, PKCS#8 or SEC1 DER, whatever the block said, as Go does.
    pub fn parse(der: &[u8]) -> Option<Self> {
        if let Some(k) = RsaKey::from_pkcs1_der(der).or_else(|| RsaKey::from_pkcs8_der(der)) {
            return Some(Self { id: KeyId::Rsa(k.n, k.e), kind: "RSA PRIVATE KEY", der: k.pkcs1 });
        }
        for (curve, oid, oid_der) in [(Curve::p256(), P256, P256_OID), (Curve::p384(), P384, P384_OID)] {
            let key = ec_secret(&curve, oid, der, true).or_else(|| ec_secret(&curve, oid, der, false));
            if let Some((secret, public)) = key {
                let der = sec1_der(&secret, oid_der, &public);
                return Some(Self { id: KeyId::Ec(public), kind: "EC PRIVATE KEY", der });
            }
        }
        None
    }

    /// The key's identity as byte strings (RSA n and e, or the EC point), for tests.
    #[cfg(test)]
    pub(crate) fn id_parts(&self) -> Vec<Vec<u8>> {
        match &self.id {
            KeyId::Rsa(n, e) => vec![n.clone(), e.clone()],
            KeyId::Ec(p) => vec![p.clone()],
        }
    }

    /// True when `cert`'s public key belongs to this key.
    pub fn matches(&self, cert: &Cert) -> bool {
        cert.public_key_id().is_some_and(|id| id == self.id)
    }

    /// True when `cert`'s public key is of this key's type (RSA or EC).
    pub fn same_type(&self, cert: &Cert) -> bool {
        matches!(
            (cert.public_key_id(), &self.id),
            (Some(KeyId::Rsa(..)), KeyId::Rsa(..)) | (Some(KeyId::Ec(_)), KeyId::Ec(_))
        )
    }
}

/// The named curves (prime256v1, secp384r1), and `id-ecPublicKey`, as OID content bytes.
const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];

/// An EC private key on `curve` as the RustCrypto crates read one: SEC1 `ECPrivateKey` DER,
/// or (`pkcs8`) a PKCS#8 `PrivateKeyInfo` for `id-ecPublicKey` on this curve that wraps one.
/// The SEC1 parameters are not checked; a public key, when present, must be the secret's
/// (compressed or not). Returns the secret (field-size bytes) and the uncompressed public key.
fn ec_secret(curve: &Curve, oid: &[u8], der: &[u8], pkcs8: bool) -> Option<(Vec<u8>, Vec<u8>)> {
    let sec1 = if pkcs8 {
        let info = rsakey::PrivateKeyInfo::read(der)?;
        if info.algorithm != EC_PUBLIC_KEY_OID || info.parameters != Some((0x06, oid)) {
            return None;
        }
        info.private_key
    } else {
        der
    };
    let key = EcPrivateKey::read(sec1)?;
    let secret = curve.secret_scalar(key.private_key)?;
    let (x, y) = curve.public_point(&secret)?;
    let public = curve.encode(&x, &y, false)?;
    if let Some(given) = key.public_key {
        if given != public && Some(given) != curve.encode(&x, &y, true).as_deref() {
            return None;
        }
    }
    Some((secret.to_be_padded(curve.size)?, public))
}

/// Whether `der` is an EC private key on P-256 or P-384 by its DER structure alone (SEC1, or
/// PKCS#8 for `id-ecPublicKey` on the curve), before any arithmetic: what `dercheck` compares
/// on every corruption.
#[cfg(test)]
pub(crate) fn ec_structure_ok(der: &[u8]) -> bool {
    EcPrivateKey::read(der).is_some()
        || rsakey::PrivateKeyInfo::read(der).is_some_and(|info| {
            info.algorithm == EC_PUBLIC_KEY_OID
                && [P256, P384].iter().any(|oid| info.parameters == Some((0x06, oid)))
                && EcPrivateKey::read(info.private_key).is_some()
        })
}

/// SEC1 `ECPrivateKey` as the `sec1` crate reads it (strict DER, nothing after it).
struct EcPrivateKey<'a> {
    private_key: &'a [u8],
    public_key: Option<&'a [u8]>,
}

impl<'a> EcPrivateKey<'a> {
    fn read(der_bytes: &'a [u8]) -> Option<Self> {
        let (body, rest) = der::expect(der_bytes, 0x30, Mode::Strict)?;
        if !rest.is_empty() {
            return None;
        }
        let (version, body) = der::expect(body, 0x02, Mode::Strict)?;
        if der::small_uint(version)? != 1 {
            return None;
        }
        let (private_key, body) = der::expect(body, 0x04, Mode::Strict)?;
        let (parameters, body) = rsakey::context_field(body, 0)?;
        if let Some(t) = parameters {
            // EXPLICIT [0] EcParameters: one namedCurve OID, and nothing else.
            if !t.constructed {
                return None;
            }
            let (oid, after) = der::expect(t.content, 0x06, Mode::Strict)?;
            if !after.is_empty() || !der::oid_ok(oid) {
                return None;
            }
        }
        let (public, body) = rsakey::context_field(body, 1)?;
        let public_key = match public {
            Some(t) => {
                if !t.constructed {
                    return None;
                }
                let (bits, after) = der::expect(t.content, 0x03, Mode::Strict)?;
                if !after.is_empty() {
                    return None;
                }
                Some(rsakey::bit_string_strict(bits)?)
            }
            None => None,
        };
        body.is_empty().then_some(Self { private_key, public_key })
    }
}

/// The `r` and `s` of a DER `ECDSA-Sig-Value`, as the `ecdsa` crate reads it: a SEQUENCE of
/// two unsigned INTEGERs and nothing else.
fn ecdsa_signature(sig: &[u8]) -> Option<(&[u8], &[u8])> {
    let (body, rest) = der::expect(sig, 0x30, Mode::Strict)?;
    let (r, body) = der::expect(body, 0x02, Mode::Strict)?;
    let (s, body) = der::expect(body, 0x02, Mode::Strict)?;
    if !rest.is_empty() || !body.is_empty() {
        return None;
    }
    Some((der::uint(r)?, der::uint(s)?))
}

/// DER of the named-curve OIDs (prime256v1, secp384r1).
pub(super) const P256_OID: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
pub(super) const P384_OID: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];

/// SEC1 `ECPrivateKey` with the curve and public key, as Go's `MarshalECPrivateKey` writes it.
pub(super) fn sec1_der(secret: &[u8], curve_oid: &[u8], public: &[u8]) -> Vec<u8> {
    let mut body = vec![0x02, 0x01, 0x01];
    body.extend(tlv(0x04, secret));
    body.extend(tlv(0xa0, curve_oid));
    let mut bits = vec![0x00];
    bits.extend_from_slice(public);
    body.extend(tlv(0xa1, &tlv(0x03, &bits)));
    tlv(0x30, &body)
}

pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}
