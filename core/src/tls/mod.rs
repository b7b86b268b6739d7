//! TLS for routes: the router's extended validation (spec §2.6) with its exact messages, and the
//! PEM sanitising that rewrites certificate and key text before it is written.

pub mod pem;
pub mod x509;

use crate::objects::{Route, Str};
use pem::{decode_all, encode, Block};
use x509::{Cert, PrivateKey};

const CERT_DATA: &str = "redacted certificate data";
const KEY_DATA: &str = "redacted key data";
const CA_DATA: &str = "redacted ca certificate data";
const DEST_DATA: &str = "redacted destination ca certificate data";
const NO_CERTS: &str = "data does not contain any valid RSA or ECDSA certificates";

fn invalid(field: &str, value: &str, msg: &str) -> String {
    format!("spec.tls.{field}: Invalid value: \"{value}\": {msg}")
}

/// Validates a route's TLS; on success rewrites its certificate fields to their sanitised form.
/// Returns the field errors (empty on success).
pub fn validate_route(route: &mut Route) -> Vec<String> {
    let Some(tls) = route.tls.as_mut() else { return Vec::new() };
    let mut errs = Vec::new();
    let term = tls.termination.value.clone();
    match term.as_str() {
        "edge" => {
            if !tls.destination_ca.is_empty() {
                errs.push(invalid("destinationCACertificate", DEST_DATA, "edge termination does not support destination certificates"));
            }
        }
        "reencrypt" => {}
        "passthrough" => {
            for (f, s, v) in [
                ("certificate", &tls.certificate, CERT_DATA),
                ("key", &tls.key, KEY_DATA),
                ("caCertificate", &tls.ca_certificate, CA_DATA),
                ("destinationCACertificate", &tls.destination_ca, DEST_DATA),
            ] {
                if !s.is_empty() {
                    errs.push(invalid(f, v, "passthrough termination does not support certificates"));
                }
            }
        }
        other => errs.push(format!(
            "spec.tls.termination: Unsupported value: \"{other}\": supported values: \"edge\", \"passthrough\", \"reencrypt\""
        )),
    }
    let policy = tls.insecure_policy.as_str();
    let allowed: &[&str] = if term == "passthrough" { &["None", "Redirect"] } else { &["None", "Allow", "Redirect"] };
    if !policy.is_empty() && !allowed.contains(&policy) {
        let list = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
        errs.push(format!(
            "spec.tls.insecureEdgeTerminationPolicy: Unsupported value: \"{policy}\": supported values: {list}"
        ));
    }

    let mut pool: Option<Vec<Cert>> = None;
    if !tls.ca_certificate.is_empty() {
        match parse_certs(tls.ca_certificate.as_str()) {
            Err(e) => errs.push(invalid("caCertificate", CA_DATA, &format!("failed to parse CA certificate: {e}"))),
            Ok(certs) => {
                if let Some(w) = certs.iter().find_map(Cert::weak_signature) {
                    errs.push(invalid(
                        "caCertificate",
                        CA_DATA,
                        &format!("router does not support CA-signed certs using {w}"),
                    ));
                }
                pool = Some(certs);
            }
        }
    }
    let mut key_out = None;
    if !tls.certificate.is_empty() {
        match parse_certs(tls.certificate.as_str()) {
            Err(e) => errs.push(invalid("certificate", CERT_DATA, &e)),
            Ok(certs) => {
                if let Some(w) = certs.iter().find_map(Cert::weak_signature) {
                    errs.push(invalid(
                        "certificate",
                        CERT_DATA,
                        &format!("router does not support CA-signed certs using {w}"),
                    ));
                } else if let (Some(pool), Some(leaf)) = (&pool, certs.first()) {
                    if let Err(e) = leaf.verify(pool) {
                        errs.push(invalid("certificate", CERT_DATA, &format!("error verifying certificate: {e}")));
                    }
                }
                match pair(tls.certificate.as_str(), tls.key.as_str(), &certs) {
                    Ok(k) => key_out = Some(k),
                    Err((value, msg)) => errs.push(invalid("key", value, &msg)),
                }
            }
        }
    }
    if !tls.destination_ca.is_empty() {
        match parse_certs(tls.destination_ca.as_str()) {
            Err(e) => errs.push(invalid(
                "destinationCACertificate",
                DEST_DATA,
                &format!("failed to parse destination CA certificate: {e}"),
            )),
            Ok(certs) => {
                if let Some(w) = certs.iter().find_map(Cert::weak_signature) {
                    errs.push(invalid(
                        "destinationCACertificate",
                        DEST_DATA,
                        &format!("router does not support CA-signed certs using {w}"),
                    ));
                }
            }
        }
    }
    if !errs.is_empty() {
        return errs;
    }
    // Sanitise: certificates re-encoded without headers or stray text, keys re-encoded in the
    // router's canonical form.
    if !tls.certificate.is_empty() {
        sanitize_into(&mut tls.certificate, |b| b.kind == "CERTIFICATE");
        if let Some(k) = key_out {
            tls.key.value = k;
        }
    } else if !tls.key.is_empty() {
        tls.key.value = sanitize_keys(tls.key.as_str());
    }
    for s in [&mut tls.ca_certificate, &mut tls.destination_ca] {
        if !s.is_empty() {
            sanitize_into(s, |b| b.kind == "CERTIFICATE");
        }
    }
    Vec::new()
}

fn parse_certs(text: &str) -> Result<Vec<Cert>, String> {
    let mut out = Vec::new();
    for b in decode_all(text) {
        if b.kind == "CERTIFICATE" {
            out.push(Cert::parse(&b.der).ok_or_else(|| "x509: malformed certificate".to_owned())?);
        }
    }
    if out.is_empty() {
        return Err(NO_CERTS.to_owned());
    }
    Ok(out)
}

fn is_key_block(b: &Block) -> bool {
    b.kind == "PRIVATE KEY" || b.kind.ends_with(" PRIVATE KEY")
}

/// The cert/key pairing check. Keys may sit in the certificate field; the first key must match
/// the leaf. Returns the sanitised key text.
fn pair(cert_text: &str, key_text: &str, certs: &[Cert]) -> Result<String, (&'static str, String)> {
    let key_blocks: Vec<Block> =
        decode_all(cert_text).into_iter().chain(decode_all(key_text)).filter(is_key_block).collect();
    let Some(first) = key_blocks.first() else { return Err(("", "no key specified".to_owned())) };
    let Some(key) = PrivateKey::parse(&first.der) else {
        return Err((KEY_DATA, "tls: failed to parse private key".to_owned()));
    };
    let Some(leaf) = certs.first() else { return Err((KEY_DATA, NO_CERTS.to_owned())) };
    if !key.matches(leaf) {
        return Err((KEY_DATA, "tls: private key does not match public key".to_owned()));
    }
    let mut out = String::new();
    for b in &key_blocks {
        match PrivateKey::parse(&b.der) {
            Some(k) => out.push_str(&encode(k.kind, &k.der)),
            None => out.push_str(&encode(&b.kind, &b.der)),
        }
    }
    Ok(out)
}

fn sanitize_keys(text: &str) -> String {
    decode_all(text)
        .iter()
        .filter(|b| is_key_block(b))
        .map(|b| match PrivateKey::parse(&b.der) {
            Some(k) => encode(k.kind, &k.der),
            None => encode(&b.kind, &b.der),
        })
        .collect()
}

fn sanitize_into(s: &mut Str, keep: impl Fn(&Block) -> bool) {
    s.value = decode_all(s.as_str()).iter().filter(|b| keep(b)).map(|b| encode(&b.kind, &b.der)).collect();
}

/// True when the text holds at least one private key block (used for default certificates).
pub fn has_private_key(text: &str) -> bool {
    decode_all(text).iter().any(is_key_block)
}
