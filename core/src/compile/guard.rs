//! Input guards that keep hostile text out of the config: names that become file names and
//! backend names must be Kubernetes names, and no field that reaches the config may hold CR, LF
//! or NUL. A route that fails is dropped with an error pointing at the field.

use crate::diag::{Diagnostic, Diagnostics};
use crate::objects::{Route, Str};

/// True when `s` is a DNS-1123 subdomain (Kubernetes object names).
pub fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b.first().is_some_and(u8::is_ascii_alphanumeric)
                && b.last().is_some_and(u8::is_ascii_alphanumeric)
        })
}

fn bad_char(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|(_, c)| matches!(c, '\r' | '\n' | '\0'))
}

/// Checks one route; returns false (after reporting) when it must not be compiled.
pub fn check_route(r: &Route, diags: &mut Diagnostics) -> bool {
    let mut ok = true;
    for (what, s) in [("metadata.name", &r.meta.name), ("metadata.namespace", &r.meta.namespace)] {
        if !is_dns_subdomain(s.as_str()) || (what == "metadata.namespace" && s.as_str().contains('.')) {
            ok = false;
            diags.push(
                Diagnostic::error("routec::route::invalid-name", format!("`{what}` `{}` is not a valid Kubernetes name", s.as_str().escape_debug()))
                    .at(s.span.unwrap_or(r.meta.span), "invalid name")
                    .help("names must be lower-case alphanumerics and '-' (and '.' for object names); they become backend and file names"),
            );
        }
    }
    let mut fields: Vec<(&'static str, &Str)> =
        vec![("spec.host", &r.host), ("spec.path", &r.path), ("spec.to.name", &r.to.name)];
    fields.extend(r.alternates.iter().map(|b| ("spec.alternateBackends[].name", &b.name)));
    if let Some(p) = &r.target_port {
        fields.push(("spec.port.targetPort", p));
    }
    for h in r.request_headers.iter().chain(&r.response_headers) {
        fields.push(("spec.httpHeaders name", &h.name));
        if let Some(v) = &h.value {
            fields.push(("spec.httpHeaders value", v));
        }
    }
    for (what, s) in fields {
        if let Some((i, c)) = bad_char(s.as_str()) {
            ok = false;
            let name = match c {
                '\r' => "a carriage return",
                '\n' => "a line feed",
                _ => "a NUL byte",
            };
            diags.push(
                Diagnostic::error(
                    "routec::security::control-character",
                    format!("`{what}` contains {name} (at character {i}); it could inject HAProxy configuration"),
                )
                .at(s.span.unwrap_or(r.meta.span), "control character in this value")
                .help("remove the line break or NUL; routec never emits such values"),
            );
        }
    }
    ok
}

/// Annotation values may legally hold line breaks (the router then ignores them, and for
/// `ip_allowlist` falls back to `ip_whitelist`); every consumer refuses them, and this warns.
pub fn check_annotations(r: &Route, diags: &mut Diagnostics) {
    for (k, v) in &r.meta.annotations {
        let ours = k.starts_with("haproxy.router.openshift.io/") || k.starts_with("router.openshift.io/");
        if ours && bad_char(v.as_str()).is_some() {
            diags.push(
                Diagnostic::warning(
                    "routec::annotation::control-character",
                    format!("annotation `{k}` contains a line break or NUL; the router ignores this value"),
                )
                .at(v.span.unwrap_or(r.meta.span), "ignored value")
                .help("write the value on one line"),
            );
        }
    }
}

/// True when `v` may be written into the config.
pub fn clean(v: &str) -> bool {
    bad_char(v).is_none()
}
