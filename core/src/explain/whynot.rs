//! "Why not": the routes that a request probably meant but that did not take it, each with the
//! reason it lost. From the config alone these are map lines for the same host; with objects,
//! also routes the router rejected, left to another shard, or serves only over another scheme.

use super::files::Index;
use super::request::{Request, Scheme};
use super::walk::route_of;
use super::{Candidate, Explanation, Loc, OutcomeKind, Provenance};
use crate::admission::Outcome as Admission;

/// The most candidates reported.
const MAX: usize = 10;

/// The host as the router compares it: lower case, without port or trailing dot.
pub(super) fn normal_host(h: &str) -> String {
    let h = if h.starts_with('[') {
        h
    } else {
        h.rsplit_once(':').map_or(h, |(a, p)| if p.parse::<u16>().is_ok() { a } else { h })
    };
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether a route host (with its wildcard policy) covers `host`.
pub(super) fn covers(route_host: &str, wildcard: bool, host: &str) -> bool {
    let rh = route_host.to_ascii_lowercase();
    if rh == host {
        return true;
    }
    if wildcard {
        let domain = rh.strip_prefix("*.").or_else(|| rh.split_once('.').map(|(_, d)| d));
        return domain.is_some_and(|d| host.split_once('.').is_some_and(|(l, rest)| !l.is_empty() && rest == d));
    }
    false
}

/// Splits a router map key `^HOST\.?(:[0-9]+)?PATH(/.*)?$` into its host regex and path.
pub(super) fn split_router_key(key: &str) -> Option<(String, String)> {
    let body = key.strip_prefix('^')?;
    let k = body.find(r"\.?(:[0-9]+)?")?;
    let host = &body[..k];
    let rest = &body[k + r"\.?(:[0-9]+)?".len()..];
    let path = rest.strip_suffix("(/.*)?$").or_else(|| rest.strip_suffix('$'))?;
    Some((host.to_owned(), unescape(path)))
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) fn candidates(
    files: &Index<'_>,
    prov: Option<&Provenance>,
    req: &Request,
    ex: &Explanation,
) -> Vec<Candidate> {
    let host = normal_host(req.header("host").unwrap_or(&req.host));
    let chosen = ex.outcome.backend.as_deref().and_then(route_of);
    let took = |ns: &str, name: &str| chosen.as_ref().is_some_and(|(a, b)| a == ns && b == name);
    let mut out: Vec<Candidate> = Vec::new();
    match prov {
        Some(p) => {
            for r in &p.routes {
                if !covers(&r.host, r.wildcard, &host) || took(&r.namespace, &r.name) {
                    continue;
                }
                if let Some(reason) = route_reason(r, req, p, ex) {
                    out.push(Candidate {
                        route: format!("{}/{}", r.namespace, r.name),
                        host: r.host.clone(),
                        path: r.path.clone(),
                        reason,
                        at: None,
                        source: Some(r.source.clone()),
                    });
                }
            }
        }
        None => {
            for map in ["os_http_be.map", "os_edge_reencrypt_be.map", "os_tcp_be.map"] {
                let Some((name, rows)) = files.map(map) else { continue };
                for row in rows {
                    let e = row.entry;
                    // Most lines are for other hosts; their literal prefix (the start of a
                    // router key's host) says so without parsing or a regex.
                    if !host.starts_with(&row.prefix) {
                        continue;
                    }
                    let Some((host_re, path)) = split_router_key(&e.key) else { continue };
                    let Some(re) = super::sample::pcre(&format!("^(?:{host_re})$"), false) else { continue };
                    if !re.is_match(host.as_bytes()) || ex.outcome.backend.as_deref() == Some(e.value.as_str()) {
                        continue;
                    }
                    let reason = match map {
                        "os_http_be.map" if req.scheme != Scheme::Http => "serves plain http:// only".to_owned(),
                        "os_edge_reencrypt_be.map" if req.scheme == Scheme::Http => {
                            "terminates TLS in the router: reachable over https://".to_owned()
                        }
                        "os_tcp_be.map" if req.scheme == Scheme::Http || req.sni.is_none() => {
                            "passthrough: reachable only over TLS with SNI".to_owned()
                        }
                        _ if !path.is_empty() && !path_covers(&path, &req.path) => {
                            format!("its path `{path}` does not cover `{}`", req.path)
                        }
                        _ => "an earlier map line took the request".to_owned(),
                    };
                    if out.iter().any(|c| c.route == e.value) {
                        continue;
                    }
                    out.push(Candidate {
                        route: e.value.clone(),
                        host: host.clone(),
                        path,
                        reason,
                        at: Some(Loc { file: name.to_owned(), line: e.line }),
                        source: None,
                    });
                }
            }
        }
    }
    out.truncate(MAX);
    out
}

/// A route path covers a request path as the router's regex does: the same, or a prefix
/// followed by `/`.
fn path_covers(route: &str, path: &str) -> bool {
    route.is_empty() || route == "/" || path == route || path.strip_prefix(route).is_some_and(|r| r.starts_with('/'))
}

fn route_reason(r: &super::provenance::RouteInfo, req: &Request, p: &Provenance, ex: &Explanation) -> Option<String> {
    match &r.outcome {
        Admission::Rejected { reason, message } => return Some(format!("rejected at admission: {reason}: {message}")),
        Admission::Ignored { reason } => return Some(format!("not served by this router shard ({reason})")),
        Admission::Admitted => {}
    }
    if r.wildcard && !p.wildcards_allowed {
        return Some("a wildcard route, and ROUTER_ALLOW_WILDCARD_ROUTES is off".into());
    }
    let t = r.termination.as_str();
    match (req.scheme, t) {
        (Scheme::Http, "passthrough") => {
            return Some("passthrough: reachable only over TLS with SNI (https:// or tls://), not http://".into())
        }
        (Scheme::Http, "edge" | "reencrypt") if r.insecure.is_empty() || r.insecure == "None" => {
            return Some(format!(
                "{t} route with insecureEdgeTerminationPolicy: None: it is served over https:// only, http:// gets 503"
            ))
        }
        (Scheme::Https | Scheme::Tls, "passthrough") if req.sni.is_none() => {
            return Some("passthrough needs SNI: without it the router cannot tell which route the TLS is for".into())
        }
        (Scheme::Https | Scheme::Tls, "passthrough") if req.sni.as_deref().is_some_and(|s| s.ends_with('.')) => {
            return Some("the SNI has a trailing dot; the passthrough map matches the exact name only".into())
        }
        (Scheme::Https | Scheme::Tls, "") => return Some("a plain http route: reachable over http:// only".into()),
        _ => {}
    }
    if !path_covers(&r.path, &req.path) {
        return Some(format!("its path `{}` does not cover `{}`", r.path, req.path));
    }
    if ex.outcome.kind == OutcomeKind::Forward || ex.outcome.kind == OutcomeKind::Passthrough {
        return Some("a route with a longer path, or an older one, took the request".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn router_keys_and_hosts() {
        assert_eq!(
            split_router_key(r"^web\.test\.?(:[0-9]+)?/api(/.*)?$"),
            Some((r"web\.test".to_owned(), "/api".to_owned()))
        );
        assert_eq!(split_router_key(r"^web\.test\.?(:[0-9]+)?(/.*)?$"), Some((r"web\.test".to_owned(), String::new())));
        assert_eq!(normal_host("Web.Test.:8080"), "web.test");
        assert!(covers("*.wild.test", true, "a.wild.test"));
        assert!(covers("www.wild.test", true, "a.wild.test"));
        assert!(!covers("www.wild.test", false, "a.wild.test"));
        assert!(path_covers("/api", "/api/x") && !path_covers("/api", "/apix"));
    }
}
