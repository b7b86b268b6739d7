//! The X.509 checks of the router's extended validation: parsing, signature algorithms,
//! chain verification against a CA pool, and certificate/private-key pairing. Pure Rust, so it
//! builds for wasm32.

use pkcs1::der::Decode as _;
use sha2::Digest;
use x509_parser::prelude::*;
use x509_parser::public_key::PublicKey;

use super::ec::Curve;
use super::rsakey::{self, RsaKey};

/// A parsed certificate, owning its DER.
pub struct Cert {
    der: Vec<u8>,
}

impl Cert {
    /// Parses DER; `None` when it is not a certificate.
    pub fn parse(der: &[u8]) -> Option<Self> {
        X509Certificate::from_der(der).ok().filter(|(rest, _)| rest.is_empty())?;
        Some(Self { der: der.to_vec() })
    }

    fn with<R>(&self, f: impl FnOnce(&X509Certificate<'_>) -> R) -> Option<R> {
        X509Certificate::from_der(&self.der).ok().map(|(_, c)| f(&c))
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// `notBefore` and `notAfter` as seconds since the epoch.
    pub fn validity(&self) -> Option<(i64, i64)> {
        self.with(|c| (c.validity().not_before.timestamp(), c.validity().not_after.timestamp()))
    }

    /// The subject's common name, when it has one.
    pub fn common_name(&self) -> Option<String> {
        self.with(|c| c.subject().iter_common_name().next().and_then(|n| n.as_str().ok()).map(str::to_owned)).flatten()
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
            match c.signature_algorithm.algorithm.to_id_string().as_str() {
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
                    let Some(true) =
                        p.with(|pc| pc.subject().as_raw() == c.issuer().as_raw() && is_ca(pc) && signed_by(c, pc))
                    else {
                        continue;
                    };
                    let root = p.with(|pc| pc.subject().as_raw() == pc.issuer().as_raw()).unwrap_or(false);
                    if root || p.verify_depth(pool, depth + 1).is_ok() || pool.iter().any(|q| q.der == p.der) {
                        return Ok(());
                    }
                }
                Err(UNKNOWN.to_owned())
            })
            .unwrap_or_else(|| Err(UNKNOWN.to_owned()));
        ok
    }

    /// The public key as comparable bytes: RSA modulus+exponent, or the EC point.
    fn public_key_id(&self) -> Option<KeyId> {
        self.with(|c| match c.public_key().parsed() {
            Ok(PublicKey::RSA(k)) => Some(KeyId::Rsa(strip0(k.modulus).to_vec(), strip0(k.exponent).to_vec())),
            Ok(PublicKey::EC(p)) => Some(KeyId::Ec(p.data().to_vec())),
            _ => None,
        })
        .flatten()
    }
}

/// The router's self-signed test (OpenSSL's `EXFLAG_SS`): the issuer is the subject, the
/// authority key identifier is absent or equal to the subject key identifier, and the signature
/// algorithm is one for the certificate's own key type. The signature itself is not checked.
fn looks_self_signed(c: &X509Certificate<'_>) -> bool {
    let mut akid: Option<&[u8]> = None;
    let mut skid: Option<&[u8]> = None;
    for ext in c.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(a) => akid = a.key_identifier.as_ref().map(|k| k.0),
            ParsedExtension::SubjectKeyIdentifier(k) => skid = Some(k.0),
            _ => {}
        }
    }
    let keys_agree = akid.is_none_or(|a| Some(a) == skid);
    c.subject().as_raw() == c.issuer().as_raw()
        && keys_agree
        && signature_key_type(&c.signature_algorithm.algorithm.to_id_string())
            == key_type(&c.public_key().algorithm.algorithm.to_id_string())
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

fn is_ca(c: &X509Certificate<'_>) -> bool {
    let self_signed = c.subject().as_raw() == c.issuer().as_raw();
    match c.basic_constraints() {
        Ok(Some(bc)) => bc.value.ca,
        // Old self-signed v1 roots carry no basic constraints.
        Ok(None) => self_signed && c.version() == X509Version::V1,
        Err(_) => false,
    }
}

fn server_auth_ok(c: &X509Certificate<'_>) -> bool {
    match c.extended_key_usage() {
        Ok(Some(eku)) => eku.value.any || eku.value.server_auth,
        Ok(None) => true,
        Err(_) => false,
    }
}

/// Checks `child`'s signature with `parent`'s public key.
fn signed_by(child: &X509Certificate<'_>, parent: &X509Certificate<'_>) -> bool {
    let tbs = child.tbs_certificate.as_ref();
    let sig = child.signature_value.data.as_ref();
    let alg = child.signature_algorithm.algorithm.to_id_string();
    let spki = parent.public_key();
    match spki.parsed() {
        Ok(PublicKey::RSA(k)) => {
            let (prefix, hashed) = match alg.as_str() {
                "1.2.840.113549.1.1.11" => (rsakey::SHA256_PREFIX, sha2::Sha256::digest(tbs).to_vec()),
                "1.2.840.113549.1.1.12" => (rsakey::SHA384_PREFIX, sha2::Sha384::digest(tbs).to_vec()),
                "1.2.840.113549.1.1.13" => (rsakey::SHA512_PREFIX, sha2::Sha512::digest(tbs).to_vec()),
                "1.2.840.113549.1.1.5" => (rsakey::SHA1_PREFIX, sha1::Sha1::digest(tbs).to_vec()),
                _ => return false,
            };
            rsakey::verify_pkcs1v15(k.modulus, k.exponent, prefix, &hashed, sig)
        }
        Ok(PublicKey::EC(point)) => {
            let hash: Vec<u8> = match alg.as_str() {
                "1.2.840.10045.4.3.2" => sha2::Sha256::digest(tbs).to_vec(),
                "1.2.840.10045.4.3.3" => sha2::Sha384::digest(tbs).to_vec(),
                "1.2.840.10045.4.3.4" => sha2::Sha512::digest(tbs).to_vec(),
                "1.2.840.10045.4.1" => sha1::Sha1::digest(tbs).to_vec(),
                _ => return false,
            };
            let Some((r, s)) = ecdsa_signature(sig) else { return false };
            for curve in [Curve::p256(), Curve::p384()] {
                if let Some(q) = curve.decode_point(point.data()) {
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

/// The named curves (prime256v1, secp384r1), and `id-ecPublicKey`.
const P256: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.3.132.0.34");
const EC_PUBLIC_KEY: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// An EC private key on `curve` as the RustCrypto crates read one: SEC1 `ECPrivateKey` DER,
/// or (`pkcs8`) a PKCS#8 `PrivateKeyInfo` for `id-ecPublicKey` on this curve that wraps one.
/// The SEC1 parameters are not checked; a public key, when present, must be the secret's
/// (compressed or not). Returns the secret (field-size bytes) and the uncompressed public key.
fn ec_secret(curve: &Curve, oid: pkcs8::ObjectIdentifier, der: &[u8], pkcs8: bool) -> Option<(Vec<u8>, Vec<u8>)> {
    let sec1 = if pkcs8 {
        let info = pkcs8::PrivateKeyInfo::from_der(der).ok()?;
        info.algorithm.assert_oids(EC_PUBLIC_KEY, oid).ok()?;
        info.private_key
    } else {
        der
    };
    let key = sec1::EcPrivateKey::from_der(sec1).ok()?;
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

/// The `r` and `s` of a DER `ECDSA-Sig-Value`, as the `ecdsa` crate reads it.
fn ecdsa_signature(sig: &[u8]) -> Option<(&[u8], &[u8])> {
    use pkcs1::der::asn1::UintRef;
    use pkcs1::der::{Header, Reader as _, SliceReader, Tag};
    let mut reader = SliceReader::new(sig).ok()?;
    let header = Header::decode(&mut reader).ok()?;
    header.tag.assert_eq(Tag::Sequence).ok()?;
    let rs = reader
        .read_nested(header.length, |r| {
            let a = UintRef::decode(r)?;
            let b = UintRef::decode(r)?;
            Ok((a, b))
        })
        .ok()?;
    let (r, s) = reader.finish(rs).ok()?;
    Some((r.as_bytes(), s.as_bytes()))
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
