//! Route fields as the API server validates them (spec §2.7): paths, backends and weights,
//! target ports, wildcard policy and header actions. The API server would refuse such a route,
//! so each finding is an error.

use super::who;
use crate::diag::{Diagnostic, Diagnostics};
use crate::gotext::is_header_name;
use crate::objects::{BackendRef, HeaderAction, Route};

const MAX_ALTERNATES: usize = 3;
const MAX_ACTIONS: usize = 20;
const FORBIDDEN_HEADERS: &[&str] = &["strict-transport-security", "proxy", "cookie", "set-cookie"];

/// Reports every API-server rule `r` breaks.
pub(super) fn check(r: &Route, diags: &mut Diagnostics) {
    let route = who(&r.meta);
    let at_route = r.meta.span;
    let passthrough = r.termination() == crate::objects::Termination::Passthrough;

    if !r.path.is_empty() && !r.path.as_str().starts_with('/') {
        diags.push(
            Diagnostic::error("routec::route::path-invalid", format!("route {route}: `spec.path` must start with `/`"))
                .at(r.path.span.unwrap_or(at_route), "no leading slash")
                .help(format!("write `/{}`", r.path.as_str())),
        );
    }
    if passthrough && !r.path.is_empty() {
        diags.push(
            Diagnostic::error(
                "routec::route::path-on-passthrough",
                format!(
                    "route {route}: passthrough routes cannot have a path; the router never sees the decrypted request"
                ),
            )
            .at(r.path.span.unwrap_or(at_route), "path on a passthrough route")
            .help("remove `spec.path`, or use reencrypt termination to route by path"),
        );
    }

    let backends = std::iter::once(&r.to).chain(&r.alternates);
    for (i, b) in backends.enumerate() {
        let field = if i == 0 { "spec.to".to_owned() } else { format!("spec.alternateBackends[{}]", i - 1) };
        backend(&route, &field, b, at_route, diags);
    }
    if let Some(extra) = r.alternates.get(MAX_ALTERNATES) {
        diags.push(
            Diagnostic::error(
                "routec::route::too-many-alternates",
                format!(
                    "route {route} has {} alternate backends; at most {MAX_ALTERNATES} are allowed",
                    r.alternates.len()
                ),
            )
            .at(extra.span.unwrap_or(at_route), "one too many")
            .help("split the traffic over at most 4 services (`to` plus 3 alternates)"),
        );
    }
    let mut seen: Vec<&BackendRef> = Vec::new();
    for b in std::iter::once(&r.to).chain(&r.alternates) {
        if let Some(first) = seen.iter().find(|s| s.name.value == b.name.value && !b.name.is_empty()) {
            diags.push(
                Diagnostic::error(
                    "routec::route::duplicate-backend",
                    format!("route {route} names service `{}` more than once", b.name.value),
                )
                .at(b.name.span.or(b.span).unwrap_or(at_route), "again here")
                .related(first.name.span.or(first.span).unwrap_or(at_route), "first named here")
                .help("give each service once and put its whole share in one weight"),
            );
        } else {
            seen.push(b);
        }
    }

    if let Some(p) = &r.target_port {
        if p.is_empty() || p.as_str() == "0" {
            diags.push(
                Diagnostic::error(
                    "routec::route::target-port-invalid",
                    format!("route {route}: `spec.port.targetPort` must be a non-zero port number or a port name"),
                )
                .at(p.span.unwrap_or(at_route), "empty or zero")
                .help("name the service's target port (e.g. `8080-tcp`), or remove `spec.port` to use every port"),
            );
        }
    }

    let policy = r.wildcard_policy.as_str();
    if policy != "None" && policy != "Subdomain" {
        diags.push(
            Diagnostic::error(
                "routec::route::wildcard-policy-invalid",
                format!("route {route}: `spec.wildcardPolicy` `{}` is not a policy", policy.escape_debug()),
            )
            .at(r.wildcard_policy.span.unwrap_or(at_route), "unknown policy")
            .help("use `None` or `Subdomain`"),
        );
    } else if policy == "Subdomain" && r.host.is_empty() {
        diags.push(
            Diagnostic::error(
                "routec::route::wildcard-without-host",
                format!("route {route}: a `Subdomain` wildcard route needs `spec.host`"),
            )
            .at(r.wildcard_policy.span.unwrap_or(at_route), "no host to take the domain from")
            .help("set `spec.host`, e.g. `wildcard.apps.example.com` for `*.apps.example.com`"),
        );
    }

    headers(r, &route, passthrough, diags);
}

fn backend(route: &str, field: &str, b: &BackendRef, at_route: crate::source::Span, diags: &mut Diagnostics) {
    if b.kind.as_str() != "Service" {
        diags.push(
            Diagnostic::error(
                "routec::route::backend-kind",
                format!(
                    "route {route}: `{field}.kind` is `{}`; routes can only send traffic to a Service",
                    b.kind.as_str().escape_debug()
                ),
            )
            .at(b.kind.span.or(b.span).unwrap_or(at_route), "not `Service`")
            .help("set `kind: Service`, or leave it out"),
        );
    }
    if b.name.is_empty() {
        diags.push(
            Diagnostic::error("routec::route::backend-name-missing", format!("route {route}: `{field}.name` is empty"))
                .at(b.span.unwrap_or(at_route), "no service name")
                .help("name the service that receives the traffic"),
        );
    }
    if !(0..=256).contains(&b.weight) {
        diags.push(
            Diagnostic::error(
                "routec::route::weight-out-of-range",
                format!("route {route}: `{field}.weight` is {}; weights go from 0 to 256", b.weight),
            )
            .at(b.weight_span.or(b.span).unwrap_or(at_route), "out of range")
            .help("weights are relative: scale them all into 0..=256"),
        );
    }
}

fn headers(r: &Route, route: &str, passthrough: bool, diags: &mut Diagnostics) {
    for (list, key) in [(&r.request_headers, "request"), (&r.response_headers, "response")] {
        if passthrough {
            if let Some(first) = list.first() {
                diags.push(
                    Diagnostic::error(
                        "routec::route::header-actions-on-passthrough",
                        format!("route {route}: passthrough routes cannot set or delete HTTP headers"),
                    )
                    .at(first.name.span.unwrap_or(r.meta.span), "the router never sees these headers")
                    .help("remove `spec.httpHeaders`, or use edge or reencrypt termination"),
                );
            }
        }
        if let Some(extra) = list.get(MAX_ACTIONS) {
            diags.push(
                Diagnostic::error(
                    "routec::route::too-many-header-actions",
                    format!("route {route} has {} {key} header actions; at most {MAX_ACTIONS} are allowed", list.len()),
                )
                .at(extra.name.span.unwrap_or(r.meta.span), "one too many"),
            );
        }
        for h in list {
            action(h, route, key, r, diags);
        }
    }
}

fn action(h: &HeaderAction, route: &str, key: &str, r: &Route, diags: &mut Diagnostics) {
    let at = h.name.span.unwrap_or(r.meta.span);
    let name = h.name.as_str();
    if !is_header_name(name) {
        diags.push(
            Diagnostic::error(
                "routec::route::header-name-invalid",
                format!("route {route}: `{}` is not an HTTP header name", name.escape_debug()),
            )
            .at(at, "not a header name")
            .help("header names are letters, digits and ! # $ % & ' * + - . ^ _ ` | ~"),
        );
    } else if FORBIDDEN_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        diags.push(
            Diagnostic::error(
                "routec::route::header-name-forbidden",
                format!("route {route}: the `{name}` header cannot be changed by a {key} header action"),
            )
            .at(at, "reserved header")
            .help("HSTS has its own annotation (`haproxy.router.openshift.io/hsts_header`); cookies and Proxy cannot be set"),
        );
    }
    let kind = h.kind.as_str();
    match kind {
        "Set" if h.value.as_ref().is_none_or(|v| v.is_empty()) => diags.push(
            Diagnostic::error(
                "routec::route::header-value-missing",
                format!("route {route}: `Set` of `{name}` has no value"),
            )
            .at(h.kind.span.unwrap_or(at), "nothing to set")
            .help("add `set: {value: ...}` or use `type: Delete`"),
        ),
        "Set" | "Delete" => {}
        _ => diags.push(
            Diagnostic::error(
                "routec::route::header-action-invalid",
                format!("route {route}: header action type `{}` is not `Set` or `Delete`", kind.escape_debug()),
            )
            .at(h.kind.span.unwrap_or(at), "unknown action")
            .help("use `Set` or `Delete`"),
        ),
    }
}
