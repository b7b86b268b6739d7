//! TLS for routes: the router's extended validation (spec §2.6) with its exact messages, and the
//! PEM sanitising that rewrites certificate and key text before it is written.

pub mod pem;
pub mod x509;

use crate::objects::{Route, Str, Tls};
use pem::{decode_all, encode, Block};
use x509::{Cert, PrivateKey};

const CERT_DATA: &str = "redacted certificate data";
const KEY_DATA: &str = "redacted key data";
const CA_DATA: &str = "redacted ca certificate data";
const DEST_DATA: &str = "redacted destination ca certificate data";
const NO_CERTS: &str = "data does not contain any valid RSA or ECDSA certificates";

/// One field error of extended validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field under `spec.tls`, e.g. `key`.
    pub field: &'static str,
    /// What kind of problem it is.
    pub kind: ErrorKind,
    /// The router's message, `spec.tls.<field>: ...`.
    pub message: String,
}

/// The kinds of TLS problems, which decide what happens when extended validation is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A field combination the API server refuses (termination, insecure policy).
    Api,
    /// PEM or X.509 data that does not parse, or a key that does not match: HAProxy cannot load
    /// the certificate file either.
    Unloadable,
    /// A certificate HAProxy loads but clients will not trust (chain, weak signature).
    Untrusted,
}

fn invalid(field: &'static str, kind: ErrorKind, value: &str, msg: &str) -> FieldError {
    FieldError { field, kind, message: format!("spec.tls.{field}: Invalid value: \"{value}\": {msg}") }
}

/// Validates a route's TLS; on success rewrites its certificate fields to their sanitised form.
/// Returns the field errors (empty on success).
pub fn validate_route(route: &mut Route) -> Vec<FieldError> {
    let errs = check(route);
    if errs.is_empty() {
        if let Some(tls) = route.tls.as_mut() {
            sanitize(tls);
        }
    }
    errs
}

/// The router's extended validation of a route's TLS, without changing the route.
pub fn check(route: &Route) -> Vec<FieldError> {
    use ErrorKind::{Api, Unloadable, Untrusted};
    let Some(tls) = route.tls.as_deref() else { return Vec::new() };
    let mut errs = Vec::new();
    let term = tls.termination.value.clone();
    match term.as_str() {
        "edge" => {
            if !tls.destination_ca.is_empty() {
                errs.push(invalid("destinationCACertificate", Api, DEST_DATA, "edge termination does not support destination certificates"));
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
                    errs.push(invalid(f, Api, v, "passthrough termination does not support certificates"));
                }
            }
        }
        other => errs.push(FieldError {
            field: "termination",
            kind: Api,
            message: format!(
                "spec.tls.termination: Unsupported value: \"{other}\": supported values: \"edge\", \"passthrough\", \"reencrypt\""
            ),
        }),
    }
    let policy = tls.insecure_policy.as_str();
    let allowed: &[&str] = if term == "passthrough" { &["None", "Redirect"] } else { &["None", "Allow", "Redirect"] };
    if !policy.is_empty() && !allowed.contains(&policy) {
        let list = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
        errs.push(FieldError {
            field: "insecureEdgeTerminationPolicy",
            kind: Api,
            message: format!(
                "spec.tls.insecureEdgeTerminationPolicy: Unsupported value: \"{policy}\": supported values: {list}"
            ),
        });
    }

    let mut pool: Option<Vec<Cert>> = None;
    if !tls.ca_certificate.is_empty() {
        match parse_certs(tls.ca_certificate.as_str()) {
            Err(e) => errs.push(invalid(
                "caCertificate",
                Unloadable,
                CA_DATA,
                &format!("failed to parse CA certificate: {e}"),
            )),
            Ok(certs) => {
                if let Some(w) = certs.iter().find_map(Cert::weak_signature) {
                    errs.push(invalid(
                        "caCertificate",
                        Untrusted,
                        CA_DATA,
                        &format!("router does not support CA-signed certs using {w}"),
                    ));
                }
                pool = Some(certs);
            }
        }
    }
    if !tls.certificate.is_empty() {
        match parse_certs(tls.certificate.as_str()) {
            Err(e) => errs.push(invalid("certificate", Unloadable, CERT_DATA, &e)),
            Ok(certs) => {
                if let Some(w) = certs.iter().find_map(Cert::weak_signature) {
                    errs.push(invalid(
                        "certificate",
                        Untrusted,
                        CERT_DATA,
                        &format!("router does not support CA-signed certs using {w}"),
                    ));
                } else if let (Some(pool), Some(leaf)) = (&pool, certs.first()) {
                    if let Err(e) = leaf.verify(pool) {
                        errs.push(invalid(
                            "certificate",
                            Untrusted,
                            CERT_DATA,
                            &format!("error verifying certificate: {e}"),
                        ));
                    }
                }
                if let Err((value, msg)) = pair(tls.certificate.as_str(), tls.key.as_str(), &certs) {
                    errs.push(invalid("key", Unloadable, value, &msg));
                }
            }
        }
    }
    if !tls.destination_ca.is_empty() {
        match parse_certs(tls.destination_ca.as_str()) {
            Err(e) => errs.push(invalid(
                "destinationCACertificate",
                Unloadable,
                DEST_DATA,
                &format!("failed to parse destination CA certificate: {e}"),
            )),
            Ok(certs) => {
                if let Some(w) = certs.iter().find_map(Cert::weak_signature) {
                    errs.push(invalid(
                        "destinationCACertificate",
                        Untrusted,
                        DEST_DATA,
                        &format!("router does not support CA-signed certs using {w}"),
                    ));
                }
            }
        }
    }
    errs
}

/// Rewrites validated TLS fields: certificates re-encoded without headers or stray text, keys
/// re-encoded in the router's canonical form.
fn sanitize(tls: &mut Tls) {
    if !tls.certificate.is_empty() {
        let certs = parse_certs(tls.certificate.as_str()).unwrap_or_default();
        if let Ok(k) = pair(tls.certificate.as_str(), tls.key.as_str(), &certs) {
            tls.key.value = k;
        }
        sanitize_into(&mut tls.certificate, |b| b.kind == "CERTIFICATE");
    } else if !tls.key.is_empty() {
        tls.key.value = sanitize_keys(tls.key.as_str());
    }
    for s in [&mut tls.ca_certificate, &mut tls.destination_ca] {
        if !s.is_empty() {
            sanitize_into(s, |b| b.kind == "CERTIFICATE");
        }
    }
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
