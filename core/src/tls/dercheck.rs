//! Core's DER, X.509 and key readers (`der`, `cert`, `name`, `time`, the key readers of
//! `x509` and `rsakey`) against the crates they replaced (`x509-parser`, `pkcs1`, `pkcs8`,
//! `sec1`, dev-dependencies only): every certificate and key in `fixtures/`,
//! `../shared/oracle` and `../shared/corpus`, and every single-byte corruption (low bit
//! flipped, constructed bit flipped, byte dropped) and truncation of representative ones,
//! must give the same accept/reject decision and the same values. Failures name the case and
//! compare digests or booleans, never key bytes.
//!
//! Key corruptions are compared by their DER decision on every mutant, and by the whole
//! reading (key checks, arithmetic, re-encoding) where the structure lives; the arithmetic
//! is core's own `bignum`/`ec` on both paths of the new reader and is compared with the
//! RustCrypto crates in `crosscheck`. `ROUTEC_DERCHECK_FULL=1` compares the whole reading on
//! every mutant (minutes in a debug build); the default run takes seconds.
//!
//! Deliberate differences from the old crates: none. Where they are laxer than Go's
//! `crypto/x509` (an OBJECT IDENTIFIER of any tag, a BOOLEAN of any non-zero byte, an INTEGER
//! with its constructed bit set, unchecked unique-ID contents — all rejected by Go), the
//! reader keeps their behaviour (listed in `cert`'s header), so that this change alters no
//! report; the router itself refuses such certificates, so following Go there is a possible
//! later change, to be made with fixtures of its own.
#![expect(clippy::disallowed_methods, reason = "the differential tests read the fixtures and corpora")]
#![expect(clippy::print_stdout, reason = "the case counts are part of the report (--nocapture)")]

use std::path::{Path, PathBuf};

use sha2::Digest;
use x509_parser::prelude::*;
use x509_parser::public_key::PublicKey;

use super::pem::decode_all;
use super::x509::{is_pkix_public_key, Cert, PrivateKey};

/// What the checks read from a certificate.
#[derive(Debug, PartialEq)]
struct View {
    validity: (i64, i64),
    cn: Option<String>,
    subject: String,
    dns: Result<Vec<String>, ()>,
    key: Option<(Vec<u8>, Vec<u8>)>,
    weak: Option<&'static str>,
    ca: bool,
    server_auth: bool,
    /// What chain verification reads: issuer and subject bytes, a digest of the signed
    /// bytes and of the signature, and the signature algorithm.
    chain: (Vec<u8>, Vec<u8>, String, String, String),
}

fn old_view(der: &[u8]) -> Option<View> {
    let (rest, c) = X509Certificate::from_der(der).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let key = match c.public_key().parsed() {
        Ok(PublicKey::RSA(k)) => Some((strip0(k.modulus).to_vec(), strip0(k.exponent).to_vec())),
        Ok(PublicKey::EC(p)) => Some((p.data().to_vec(), Vec::new())),
        _ => None,
    };
    let dns = match c.subject_alternative_name() {
        Ok(Some(san)) => Ok(san
            .value
            .general_names
            .iter()
            .filter_map(|g| match g {
                GeneralName::DNSName(d) => Some((*d).to_owned()),
                _ => None,
            })
            .collect()),
        Ok(None) => Ok(Vec::new()),
        Err(_) => Err(()),
    };
    let self_signed = c.subject().as_raw() == c.issuer().as_raw();
    let ca = match c.basic_constraints() {
        Ok(Some(bc)) => bc.value.ca,
        Ok(None) => self_signed && c.version() == X509Version::V1,
        Err(_) => false,
    };
    let server_auth = match c.extended_key_usage() {
        Ok(Some(eku)) => eku.value.any || eku.value.server_auth,
        Ok(None) => true,
        Err(_) => false,
    };
    let view = View {
        validity: (c.validity().not_before.timestamp(), c.validity().not_after.timestamp()),
        cn: c.subject().iter_common_name().next().and_then(|n| n.as_str().ok()).map(str::to_owned),
        subject: c.subject().to_string(),
        dns,
        key,
        weak: old_weak(&c),
        ca,
        server_auth,
        chain: (
            c.issuer().as_raw().to_vec(),
            c.subject().as_raw().to_vec(),
            digest(&c.tbs_certificate.as_ref()),
            digest(&c.signature_value.data.as_ref()),
            c.signature_algorithm.algorithm.to_id_string(),
        ),
    };
    Some(view)
}

fn old_weak(c: &X509Certificate<'_>) -> Option<&'static str> {
    let mut akid: Option<&[u8]> = None;
    let mut skid: Option<&[u8]> = None;
    for ext in c.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(a) => akid = a.key_identifier.as_ref().map(|k| k.0),
            ParsedExtension::SubjectKeyIdentifier(k) => skid = Some(k.0),
            _ => {}
        }
    }
    let sig = c.signature_algorithm.algorithm.to_id_string();
    let key = c.public_key().algorithm.algorithm.to_id_string();
    let self_signed = c.subject().as_raw() == c.issuer().as_raw()
        && akid.is_none_or(|a| Some(a) == skid)
        && sig_kind(&sig) == key_kind(&key);
    if self_signed {
        return None;
    }
    match sig.as_str() {
        "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" => Some("SHA1"),
        "1.2.840.113549.1.1.4" => Some("MD5"),
        "1.2.840.113549.1.1.2" => Some("MD2"),
        _ => None,
    }
}

fn sig_kind(s: &str) -> &'static str {
    match s {
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

fn key_kind(s: &str) -> &'static str {
    match s {
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

fn new_view(der: &[u8]) -> Option<View> {
    let cert = Cert::parse(der)?;
    let (c, _) = super::cert::parse(der)?;
    Some(View {
        validity: cert.validity()?,
        cn: cert.common_name(),
        subject: super::name::display(&c.subject),
        dns: c.dns_names().map(|v| v.into_iter().map(str::to_owned).collect()),
        key: cert.public_key_parts(),
        weak: cert.weak_signature(),
        ca: cert.is_ca(),
        server_auth: cert.server_auth(),
        chain: (
            c.issuer.raw.to_vec(),
            c.subject.raw.to_vec(),
            digest(&c.tbs),
            digest(&c.signature),
            super::name::dotted(c.signature_algorithm),
        ),
    })
}

/// Every PEM block of every file under the fixtures and the shared corpora, with its file.
fn blocks() -> Vec<(String, String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in [root.join("fixtures"), root.join("../shared/oracle"), root.join("../shared/corpus")] {
        walk(&dir, &mut files);
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        if !text.contains("-----BEGIN") {
            continue;
        }
        // YAML block scalars are indented, JSON strings escape their newlines.
        let flat: String =
            text.replace("\\n", "\n").lines().map(|l| format!("{}\n", l.trim().trim_matches('"'))).collect();
        for b in decode_all(&flat) {
            out.push((f.display().to_string(), b.kind, b.der));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        // Symlinks are skipped: the CLI fixtures hold a symlink loop on purpose.
        let Ok(t) = e.file_type() else { continue };
        if t.is_dir() {
            walk(&e.path(), out);
        } else if t.is_file() {
            out.push(e.path());
        }
    }
}

fn digest<T: std::fmt::Debug>(v: &T) -> String {
    format!("{:x}", sha2::Sha256::digest(format!("{v:?}").as_bytes()))
}

/// Each corruption of `der`: every byte with its low bit or its constructed bit flipped,
/// every byte dropped, and every truncation.
fn corruptions(der: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for i in 0..der.len() {
        for bit in [0x01, 0x20] {
            let mut bad = der.to_vec();
            bad[i] ^= bit;
            out.push((format!("byte {i} ^ {bit:#x}"), bad));
        }
        let mut short = der.to_vec();
        short.remove(i);
        out.push((format!("byte {i} dropped"), short));
        out.push((format!("first {i} bytes"), der[..i].to_vec()));
    }
    out
}

fn check_cert(case: &str, der: &[u8]) {
    let (old, new) = (old_view(der), new_view(der));
    assert_eq!(new, old, "{case}");
    let old_spki = X509Certificate::from_der(der).ok().map(|(_, c)| c.public_key().raw.to_vec());
    if let Some(spki) = old_spki {
        assert_eq!(is_pkix_public_key(&spki), old_spki_ok(&spki), "{case}: SPKI");
    }
}

fn old_spki_ok(der: &[u8]) -> bool {
    x509_parser::x509::SubjectPublicKeyInfo::from_der(der)
        .is_ok_and(|(rest, spki)| rest.is_empty() && spki.parsed().is_ok())
}

/// The private-key reading the crates did: PKCS#1, PKCS#8 (RSA or EC on a named curve),
/// SEC1; a digest of the key's identity, so that no key byte is ever printed.
fn old_key(der: &[u8]) -> Option<String> {
    super::crosscheck::old_parse(der).map(|k| digest(&k))
}

fn new_key(der: &[u8]) -> Option<String> {
    PrivateKey::parse(der).map(|k| digest(&(k.id_parts(), k.kind, k.der)))
}

#[test]
fn corpus_certificates_and_keys_read_as_before() {
    let blocks = blocks();
    let (mut certs, mut keys) = (0, 0);
    for (file, kind, der) in &blocks {
        if kind == "CERTIFICATE" {
            check_cert(file, der);
            certs += 1;
        } else if kind.ends_with("PRIVATE KEY") {
            assert!(new_key(der) == old_key(der), "{file}: {kind}");
            keys += 1;
        }
    }
    assert!(certs >= 50 && keys >= 20, "{certs} certificates, {keys} keys");
    println!("dercheck: {certs} certificate blocks and {keys} key blocks compared");
}

/// Representative certificates: RSA, P-256, P-384, v1, and one with SAN, EKU, basic
/// constraints and both key identifiers.
fn representatives(blocks: &[(String, String, Vec<u8>)]) -> Vec<Vec<u8>> {
    type Pick = fn(&X509Certificate<'_>) -> bool;
    let picks: [Pick; 5] = [
        |c| c.public_key().algorithm.algorithm.to_id_string() == "1.2.840.113549.1.1.1",
        |c| c.public_key().parsed().is_ok_and(|k| matches!(k, PublicKey::EC(_)) && k.key_size() == 256),
        |c| c.public_key().parsed().is_ok_and(|k| matches!(k, PublicKey::EC(_)) && k.key_size() == 384),
        |c| c.version() == X509Version::V1,
        |c| {
            let ids: Vec<String> = c.extensions().iter().map(|e| e.oid.to_id_string()).collect();
            ["2.5.29.17", "2.5.29.37", "2.5.29.19", "2.5.29.35", "2.5.29.14"].iter().all(|o| ids.iter().any(|i| i == o))
        },
    ];
    picks
        .iter()
        .enumerate()
        .map(|(n, pick)| {
            let found = blocks.iter().find_map(|(_, kind, der)| {
                let ok = kind == "CERTIFICATE" && X509Certificate::from_der(der).is_ok_and(|(_, c)| pick(&c));
                ok.then(|| der.clone())
            });
            found.unwrap_or_else(|| panic!("representative {n} is not in the corpus"))
        })
        .collect()
}

#[test]
fn certificate_corruptions_read_as_before() {
    let blocks = blocks();
    let reps = representatives(&blocks);
    let mut mutants = 0;
    for (n, der) in reps.iter().enumerate() {
        for (what, bad) in corruptions(der) {
            check_cert(&format!("certificate {n}, {what}"), &bad);
            mutants += 1;
        }
    }
    println!("dercheck: {} representative certificates, {mutants} corruptions compared", reps.len());
}

/// Whether the exhaustive run was asked for (`ROUTEC_DERCHECK_FULL=1`).
fn full_run() -> bool {
    std::env::var_os("ROUTEC_DERCHECK_FULL").is_some_and(|v| v == "1")
}

/// The `pkcs1`/`pkcs8` crates' decision on an RSA key's DER structure, with the checks the
/// `rsa` crate made before its arithmetic (two-prime version; `rsaEncryption` with NULL
/// parameters).
fn old_rsa_structure(der: &[u8]) -> bool {
    use pkcs1::der::Decode;
    let pkcs1_ok = |d: &[u8]| pkcs1::RsaPrivateKey::from_der(d).is_ok_and(|k| k.version() == pkcs1::Version::TwoPrime);
    pkcs1_ok(der)
        || pkcs8::PrivateKeyInfo::from_der(der).is_ok_and(|info| {
            info.algorithm.oid == pkcs1::ALGORITHM_OID
                && info
                    .algorithm
                    .parameters
                    .is_some_and(|p| pkcs1::der::Tagged::tag(&p) == pkcs1::der::Tag::Null && p.value().is_empty())
                && pkcs1_ok(info.private_key)
        })
}

/// The `sec1`/`pkcs8` crates' decision on an EC key's DER structure, with the algorithm and
/// curve checks the `p256`/`p384` crates made before their arithmetic.
fn old_ec_structure(der: &[u8]) -> bool {
    use pkcs8::der::Decode;
    const EC: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
    let curves = [
        pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"),
        pkcs8::ObjectIdentifier::new_unwrap("1.3.132.0.34"),
    ];
    sec1::EcPrivateKey::from_der(der).is_ok()
        || pkcs8::PrivateKeyInfo::from_der(der).is_ok_and(|info| {
            info.algorithm.oid == EC
                && info.algorithm.parameters_oid().is_ok_and(|c| curves.contains(&c))
                && sec1::EcPrivateKey::from_der(info.private_key).is_ok()
        })
}

/// What a key is, by the old crates' structure decision.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Form {
    Rsa,
    Ec,
}

fn form(der: &[u8]) -> Option<Form> {
    if old_rsa_structure(der) {
        Some(Form::Rsa)
    } else if old_ec_structure(der) {
        Some(Form::Ec)
    } else {
        None
    }
}

/// Every corruption of one RSA key and one EC key in each of the block types the corpus has
/// (PKCS#1 or SEC1 as `RSA`/`EC PRIVATE KEY`, PKCS#8 as `PRIVATE KEY`) is compared twice: the
/// DER decision alone (both sides' structure readers, cheap), and the whole reading (key
/// checks, arithmetic and re-encoding, compared as digests) where the structure lives: the
/// headers in the first bytes and the last bytes (RSA's qInv is recomputed, so its
/// corruptions still give a valid key). For EC keys every corruption reaches the curve
/// arithmetic (a changed secret or public key is only found out by computing the point), so
/// the whole reading runs on the first 16 positions, every 8th, and the last 4.
/// `ROUTEC_DERCHECK_FULL=1` runs the whole reading on every corruption (minutes in debug).
#[test]
fn key_corruptions_read_as_before() {
    let blocks = blocks();
    let mut picked: Vec<(Form, &Vec<u8>)> = Vec::new();
    let mut seen = Vec::new();
    for (_, kind, der) in &blocks {
        let Some(f) = form(der).filter(|_| kind.ends_with("PRIVATE KEY")) else { continue };
        if !seen.contains(&(kind.clone(), f)) {
            seen.push((kind.clone(), f));
            picked.push((f, der));
        }
    }
    assert!(picked.len() >= 3, "RSA and EC keys are in the corpus: {seen:?}");
    let full = full_run();
    let (mut structure, mut whole) = (0, 0);
    for (n, (f, der)) in picked.iter().enumerate() {
        assert!(super::rsakey::structure_ok(der) == (*f == Form::Rsa), "key {n}: RSA structure");
        assert!(super::x509::ec_structure_ok(der) == (*f == Form::Ec), "key {n}: EC structure");
        for (what, bad) in corruptions(der) {
            let (old_rsa, new_rsa) = (old_rsa_structure(&bad), super::rsakey::structure_ok(&bad));
            assert!(old_rsa == new_rsa, "key {n}, {what}: RSA structure (old {old_rsa}, new {new_rsa})");
            let (old_ec, new_ec) = (old_ec_structure(&bad), super::x509::ec_structure_ok(&bad));
            assert!(old_ec == new_ec, "key {n}, {what}: EC structure (old {old_ec}, new {new_ec})");
            structure += 1;
            let at: usize = what.split(' ').nth(1).and_then(|i| i.parse().ok()).unwrap_or(0);
            let wanted = match f {
                Form::Rsa => at < 48 || at + 8 >= der.len(),
                Form::Ec => at < 16 || at % 8 == 0 || at + 4 >= der.len(),
            };
            if !full && what.starts_with("byte") && !wanted {
                continue;
            }
            assert!(new_key(&bad) == old_key(&bad), "key {n}, {what}");
            whole += 1;
        }
    }
    println!(
        "dercheck: {} keys corrupted ({seen:?}), {structure} mutants' structure decisions, {whole} whole readings",
        picked.len()
    );
}
