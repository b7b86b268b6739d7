//! The router's RouteSecretManager (`ROUTER_ENABLE_EXTERNAL_CERTIFICATE`, on by default): a
//! route's `spec.tls.externalCertificate` names a `kubernetes.io/tls` Secret in the route's
//! namespace, whose `tls.crt` and `tls.key` replace the route's certificate and key before
//! extended validation. A missing Secret, or one of another type, rejects the route
//! (`ExternalCertificateValidationFailed`) with the router's field-error text. routec cannot
//! see RBAC, so the router's three permission checks are assumed to pass.

use crate::diag::{Diagnostic, Diagnostics};
use crate::objects::{Route, Secret, Str};

/// The Secret type the router requires.
const TLS: &str = "kubernetes.io/tls";

/// Fills the route's certificate and key from its external certificate Secret. `Err` holds the
/// rejection message; a route without an external certificate is left alone.
pub(super) fn populate(r: &mut Route, secrets: &[Box<Secret>]) -> Result<(), String> {
    let Some(tls) = r.tls.as_deref_mut() else { return Ok(()) };
    let name = tls.external_certificate.as_str();
    if name.is_empty() {
        return Ok(());
    }
    let path = "spec.tls.externalCertificate";
    let ns = r.meta.namespace.as_str();
    let Some(s) = secrets.iter().find(|s| s.meta.namespace.as_str() == ns && s.meta.name.as_str() == name) else {
        // field.NotFound quotes Go's NotFound error text with %q.
        let detail = format!("secrets \"{name}\" not found");
        return Err(format!("{path}: Not found: {detail:?}"));
    };
    if s.kind != TLS {
        return Err(format!("{path}: Invalid value: {name:?}: secret of type {TLS:?} required"));
    }
    let span = tls.external_certificate.span;
    tls.certificate = Str { value: s.tls_crt.clone().unwrap_or_default(), span };
    tls.key = Str { value: s.tls_key.clone().unwrap_or_default(), span };
    Ok(())
}

/// With the secret manager off the router ignores the field; say what is served instead.
pub(super) fn report_ignored(routes: &[Box<Route>], diags: &mut Diagnostics) {
    for r in routes {
        let Some(tls) = r.tls.as_deref() else { continue };
        if tls.external_certificate.is_empty() {
            continue;
        }
        let served =
            if tls.certificate.is_empty() { "the default certificate" } else { "its own spec.tls.certificate" };
        diags.push(
            Diagnostic::warning(
                "routec::route::external-certificate-ignored",
                format!(
                    "route {}/{}: `spec.tls.externalCertificate` is ignored because ROUTER_ENABLE_EXTERNAL_CERTIFICATE is off; the route is served with {served}",
                    r.meta.namespace.as_str(),
                    r.meta.name.as_str()
                ),
            )
            .at(tls.external_certificate.span.unwrap_or(r.meta.span), "not read by this router")
            .help("set ROUTER_ENABLE_EXTERNAL_CERTIFICATE=true (the router's default) to serve the Secret's certificate"),
        );
    }
}
