//! Go's `tls.X509KeyPair` as the router calls it on the split certificate and key text: the
//! first certificate block is the leaf, the first block whose type ends in `PRIVATE KEY` is
//! the key, and they must belong together. Errors are Go's messages.

use super::pem::decode_all;
use super::x509::{Cert, PrivateKey};

/// Checks that `cert_pem`'s first certificate and `key_pem`'s first private key form a pair.
pub(crate) fn x509_key_pair(cert_pem: &str, key_pem: &str) -> Result<(), String> {
    let mut skipped: Vec<String> = Vec::new();
    let mut first_cert = None;
    for b in decode_all(cert_pem) {
        if b.kind == "CERTIFICATE" {
            first_cert = first_cert.or(Some(b.der));
        } else {
            skipped.push(b.kind);
        }
    }
    let Some(leaf_der) = first_cert else {
        return Err(match skipped.as_slice() {
            [] => "tls: failed to find any PEM data in certificate input".to_owned(),
            [one] if one.ends_with("PRIVATE KEY") => "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched".to_owned(),
            _ => format!(
                "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: [{}]",
                skipped.join(" ")
            ),
        });
    };
    skipped.clear();
    let mut key_der = None;
    for b in decode_all(key_pem) {
        if b.kind == "PRIVATE KEY" || b.kind.ends_with(" PRIVATE KEY") {
            key_der = Some(b.der);
            break;
        }
        skipped.push(b.kind);
    }
    let Some(key_der) = key_der else {
        return Err(match skipped.as_slice() {
            [] => "tls: failed to find any PEM data in key input".to_owned(),
            [one] if one == "CERTIFICATE" => {
                "tls: found a certificate rather than a key in the PEM for the private key".to_owned()
            }
            _ => format!(
                "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: [{}]",
                skipped.join(" ")
            ),
        });
    };
    let leaf = Cert::parse(&leaf_der).ok_or_else(|| super::sanitize::MALFORMED.to_owned())?;
    let key = PrivateKey::parse(&key_der).ok_or_else(|| "tls: failed to parse private key".to_owned())?;
    if !key.same_type(&leaf) {
        return Err("tls: private key type does not match public key type".to_owned());
    }
    if !key.matches(&leaf) {
        return Err("tls: private key does not match public key".to_owned());
    }
    Ok(())
}
