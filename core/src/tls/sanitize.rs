//! The router's PEM hygiene, block by block (spec §2.6): sanitising a field (every block must be
//! a type the router knows and must parse), splitting certificates from keys, checking that a
//! field holds only the type it is for, and Kubernetes' certificate list parser.

use super::pem::{decode_all, encode};
use super::x509::{is_pkix_public_key, Cert, PrivateKey};

/// Kubernetes' error when a field holds no usable certificate.
pub(crate) const NO_CERTS: &str = "data does not contain any valid RSA or ECDSA certificates";

/// Go's error for DER that is not a certificate.
pub(crate) const MALFORMED: &str = "x509: malformed certificate";

/// Re-encodes every block of `text` in its canonical form: certificates as they are, private
/// keys as PKCS#1 or SEC1, public keys as PKIX; `EC PARAMETERS` are dropped. Any other type,
/// or a block that does not parse, is an error, as in the router's `sanitizePEM`.
pub(crate) fn sanitize_pem(text: &str) -> Result<String, String> {
    let mut out = String::new();
    for b in decode_all(text) {
        match b.kind.as_str() {
            "RSA PRIVATE KEY" | "ECDSA PRIVATE KEY" | "EC PRIVATE KEY" | "PRIVATE KEY" => {
                let k = PrivateKey::parse(&b.der).ok_or_else(|| format!("block {} is not valid", b.kind))?;
                out.push_str(&encode(k.kind, &k.der));
            }
            "PUBLIC KEY" | "RSA PUBLIC KEY" | "DSA PUBLIC KEY" | "ECDSA PUBLIC KEY" => {
                if !is_pkix_public_key(&b.der) {
                    return Err("x509: failed to parse public key".to_owned());
                }
                out.push_str(&encode("PUBLIC KEY", &b.der));
            }
            "CERTIFICATE" => {
                Cert::parse(&b.der).ok_or_else(|| MALFORMED.to_owned())?;
                out.push_str(&encode("CERTIFICATE", &b.der));
            }
            "EC PARAMETERS" => {}
            other => return Err(format!("unrecognized PEM block {other}")),
        }
    }
    Ok(out)
}

/// The router's `splitCertKey`: the certificate and public key blocks, and the RSA/EC private
/// key blocks, of already sanitised text (other types are dropped).
pub(crate) fn split_cert_key(text: &str) -> (String, String) {
    let (mut public, mut private) = (String::new(), String::new());
    for b in decode_all(text) {
        match b.kind.as_str() {
            "PUBLIC KEY" | "CERTIFICATE" => public.push_str(&encode(&b.kind, &b.der)),
            "EC PRIVATE KEY" | "RSA PRIVATE KEY" => private.push_str(&encode(&b.kind, &b.der)),
            _ => {}
        }
    }
    (public, private)
}

/// The router's `validatePEMContent`: every block's type must contain `kind`.
pub(crate) fn validate_pem_content(text: &str, kind: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("the PEM content cannot be null".to_owned());
    }
    match decode_all(text).into_iter().find(|b| !b.kind.contains(kind)) {
        Some(b) => Err(format!("field contains invalid types {}, expecting only {kind}", b.kind)),
        None => Ok(()),
    }
}

/// Kubernetes' `ParseCertsPEM`: every `CERTIFICATE` block without headers, in order; the first
/// that does not parse is an error, and so is finding none.
pub(crate) fn parse_certs_pem(text: &str) -> Result<Vec<Cert>, String> {
    let mut out = Vec::new();
    for b in decode_all(text) {
        if b.kind == "CERTIFICATE" && !b.headers {
            out.push(Cert::parse(&b.der).ok_or_else(|| MALFORMED.to_owned())?);
        }
    }
    if out.is_empty() {
        return Err(NO_CERTS.to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hygiene_as_the_router_does_it() {
        let unknown = "-----BEGIN UNRECOGNIZED-----\n-----END UNRECOGNIZED-----\n";
        assert_eq!(sanitize_pem(unknown), Err("unrecognized PEM block UNRECOGNIZED".to_owned()));
        // A broken END line makes no block at all: nothing to refuse.
        assert_eq!(sanitize_pem("-----BEGIN UNRECOGNIZED-----\n----END UNRECOGNIZED-----\n"), Ok(String::new()));
        assert_eq!(sanitize_pem("-----BEGIN EC PARAMETERS-----\n-----END EC PARAMETERS-----\n"), Ok(String::new()));
        assert_eq!(sanitize_pem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"), Err(MALFORMED.to_owned()));
        assert_eq!(
            sanitize_pem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"),
            Err("block RSA PRIVATE KEY is not valid".to_owned())
        );
        assert_eq!(validate_pem_content("", "CERTIFICATE"), Err("the PEM content cannot be null".to_owned()));
        assert_eq!(
            validate_pem_content(unknown, "PRIVATE KEY"),
            Err("field contains invalid types UNRECOGNIZED, expecting only PRIVATE KEY".to_owned())
        );
        assert_eq!(validate_pem_content("no PEM here", "PRIVATE KEY"), Ok(()));
    }
}
