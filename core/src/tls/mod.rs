//! TLS for routes: the router's extended validation (spec §2.6) with its exact messages, in the
//! router's order (API-level fields, CA, certificate, key, the pair, destination CA), and the
//! sanitised text it writes instead of the user's.

mod bignum;
pub(crate) mod cert;
#[cfg(test)]
mod crosscheck;
mod der;
#[cfg(test)]
mod dercheck;
mod ec;
pub mod keypair;
pub(crate) mod name;
pub mod pem;
mod rsakey;
pub mod sanitize;
mod time;
pub mod x509;

use crate::objects::{Route, Tls};
use keypair::x509_key_pair;
use sanitize::{parse_certs_pem, sanitize_pem, split_cert_key, validate_pem_content};
use x509::Cert;

const CERT_DATA: &str = "redacted certificate data";
const KEY_DATA: &str = "redacted key data";
const CA_DATA: &str = "redacted ca certificate data";
const DEST_DATA: &str = "redacted destination ca certificate data";

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
    /// PEM hygiene only the router's validation enforces (an unknown block among the
    /// certificates, or in the destination CA): HAProxy loads the files and clients are not
    /// affected.
    Hygiene,
}

fn invalid(field: &'static str, kind: ErrorKind, value: &str, msg: &str) -> FieldError {
    FieldError { field, kind, message: format!("spec.tls.{field}: Invalid value: \"{value}\": {msg}") }
}

/// Validates a route's TLS as of `now` (seconds since the epoch; without it certificate dates
/// are not considered); on success rewrites its certificate fields to their sanitised form.
/// Returns the field errors (empty on success).
pub fn validate_route(route: &mut Route, now: Option<i64>) -> Vec<FieldError> {
    let Some(tls) = route.tls.as_deref() else { return Vec::new() };
    let (errs, clean) = run(tls, now);
    if errs.is_empty() {
        if let Some(tls) = route.tls.as_mut() {
            for (field, value) in [
                (&mut tls.ca_certificate, clean.ca),
                (&mut tls.certificate, clean.certificate),
                (&mut tls.key, clean.key),
                (&mut tls.destination_ca, clean.destination_ca),
            ] {
                if let Some(v) = value {
                    field.value = v;
                }
            }
        }
    }
    errs
}

/// The router's extended validation of a route's TLS as of `now`, without changing the route.
pub fn check(route: &Route, now: Option<i64>) -> Vec<FieldError> {
    route.tls.as_deref().map(|t| run(t, now).0).unwrap_or_default()
}

/// The values the router writes back when validation passes (`None`: left as it was).
#[derive(Default)]
struct Clean {
    ca: Option<String>,
    certificate: Option<String>,
    key: Option<String>,
    destination_ca: Option<String>,
}

/// `ExtendedValidateRoute`, step by step.
fn run(tls: &Tls, now: Option<i64>) -> (Vec<FieldError>, Clean) {
    use ErrorKind::{Hygiene, Unloadable, Untrusted};
    let mut errs = api_errors(tls);
    let mut clean = Clean::default();

    // A caCertificate, even one that does not parse, makes the certificate verified against
    // the certificates it holds.
    let mut pool: Option<Vec<Cert>> = None;
    if !tls.ca_certificate.is_empty() {
        match parse_certs_pem(tls.ca_certificate.as_str()) {
            Err(e) => {
                errs.push(invalid(
                    "caCertificate",
                    Unloadable,
                    CA_DATA,
                    &format!("failed to parse CA certificate: {e}"),
                ));
                pool = Some(Vec::new());
            }
            Ok(certs) => {
                // The CA follows the key in the certificate file HAProxy loads, where a block it
                // cannot read makes the whole file unloadable.
                match sanitize_pem(tls.ca_certificate.as_str()) {
                    Ok(v) => clean.ca = Some(v),
                    Err(e) => errs.push(invalid("caCertificate", Unloadable, CA_DATA, &e)),
                }
                if let Some(w) = weak_signatures(&certs) {
                    errs.push(invalid("caCertificate", Untrusted, CA_DATA, &w));
                }
                pool = Some(certs);
            }
        }
    }

    let mut certificate = tls.certificate.value.clone();
    if !certificate.is_empty() {
        match validate_certificate(&certificate, pool.as_deref(), now) {
            Err((kind, msg)) => errs.push(invalid("certificate", kind, CERT_DATA, &msg)),
            Ok(()) => match sanitize_pem(&certificate) {
                Ok(v) => certificate = v,
                Err(e) => errs.push(invalid("certificate", Hygiene, CERT_DATA, &e)),
            },
        }
    }

    // What the key field holds ends up after the certificate in the file HAProxy loads: an
    // unknown block or a certificate there makes HAProxy refuse the file (checked with 2.6).
    let mut key = tls.key.value.clone();
    if !key.is_empty() {
        match sanitize_pem(&key) {
            Ok(v) => key = v,
            Err(e) => errs.push(invalid("key", Unloadable, KEY_DATA, &e)),
        }
    }
    if certificate.is_empty() {
        clean.key = Some(key);
    } else {
        // Keys may sit in the certificate field; they come first.
        let (cert_blocks, mut key_blocks) = split_cert_key(&certificate);
        key_blocks.push_str(&key);
        if key_blocks.is_empty() {
            errs.push(invalid("key", Unloadable, "", "no key specified"));
        } else {
            if let Err(e) = validate_pem_content(&key_blocks, "PRIVATE KEY") {
                errs.push(invalid("key", Unloadable, KEY_DATA, &e));
            }
            if let Err(e) = validate_pem_content(&cert_blocks, "CERTIFICATE") {
                errs.push(invalid("certificate", Unloadable, CERT_DATA, &e));
            }
            match x509_key_pair(&cert_blocks, &key_blocks) {
                Ok(()) => {
                    clean.certificate = Some(cert_blocks);
                    clean.key = Some(key_blocks);
                }
                Err(e) => errs.push(invalid("key", Unloadable, KEY_DATA, &e)),
            }
        }
    }

    if !tls.destination_ca.is_empty() {
        match parse_certs_pem(tls.destination_ca.as_str()) {
            Err(e) => errs.push(invalid(
                "destinationCACertificate",
                Unloadable,
                DEST_DATA,
                &format!("failed to parse destination CA certificate: {e}"),
            )),
            Ok(certs) => {
                match sanitize_pem(tls.destination_ca.as_str()) {
                    Ok(v) => clean.destination_ca = Some(v),
                    Err(e) => errs.push(invalid("destinationCACertificate", Hygiene, DEST_DATA, &e)),
                }
                if let Some(w) = weak_signatures(&certs) {
                    errs.push(invalid("destinationCACertificate", Untrusted, DEST_DATA, &w));
                }
            }
        }
    }
    (errs, clean)
}

/// The field combinations the API server refuses.
fn api_errors(tls: &Tls) -> Vec<FieldError> {
    use ErrorKind::Api;
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
    errs
}

/// The router's `validateCertificatePEM`: the certificates parse, none is CA-signed with a weak
/// algorithm, and with a CA pool the leaf verifies against it. A leaf outside its validity
/// passes: Go's verifier reports the dates before anything else, and the router ignores that
/// one reason.
fn validate_certificate(text: &str, pool: Option<&[Cert]>, now: Option<i64>) -> Result<(), (ErrorKind, String)> {
    let certs = parse_certs_pem(text).map_err(|e| (ErrorKind::Unloadable, e))?;
    if let Some(w) = weak_signatures(&certs) {
        return Err((ErrorKind::Untrusted, w));
    }
    let (Some(pool), Some(leaf)) = (pool, certs.first()) else { return Ok(()) };
    if now.is_some_and(|t| leaf.outside_validity(t)) {
        return Ok(());
    }
    leaf.verify(pool).map_err(|e| (ErrorKind::Untrusted, format!("error verifying certificate: {e}")))
}

/// The router's `validateCertSignatureAlgorithms`: one message per weak algorithm found, joined
/// as Kubernetes joins an aggregate error (duplicates once, brackets around several).
fn weak_signatures(certs: &[Cert]) -> Option<String> {
    let mut msgs: Vec<String> = Vec::new();
    for w in certs.iter().filter_map(Cert::weak_signature) {
        let m = format!("router does not support CA-signed certs using {w}");
        if !msgs.contains(&m) {
            msgs.push(m);
        }
    }
    match msgs.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        _ => Some(format!("[{}]", msgs.join(", "))),
    }
}

/// True when the text holds at least one private key block (used for default certificates).
pub fn has_private_key(text: &str) -> bool {
    pem::decode_all(text).iter().any(|b| b.kind == "PRIVATE KEY" || b.kind.ends_with(" PRIVATE KEY"))
}
