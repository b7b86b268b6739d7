//! The router's map files (spec §4): route regular expressions, which routes land in which map,
//! and the sort order that makes the most specific entry match first.

use std::collections::HashMap;

use super::alias::Alias;
use super::{Ctx, OutputFile};
use crate::gotext::quote_meta;
use crate::objects::Route;
use crate::settings::Settings;

/// The prefix of wildcard keys, which sort after every other line.
const WILDCARD_PREFIX: &str = "^[^\\.]*\\.";

/// Collects the map lines of admitted routes, then renders the seven map files.
pub struct Collector<'a> {
    http: Vec<String>,
    edge: Vec<String>,
    redirect: Vec<String>,
    tcp: Vec<String>,
    sni: Vec<String>,
    wild: Vec<String>,
    certs: Vec<String>,
    /// How often each certificate's contents occur: HTTP/2 is only offered for unique ones.
    cert_uses: &'a HashMap<&'a str, usize>,
}

/// Counts certificate uses over all admitted routes (and `DEFAULT_CERTIFICATE`).
pub fn cert_uses<'a>(routes: &[&'a Route], settings: &'a Settings) -> HashMap<&'a str, usize> {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for r in routes {
        if let Some(t) = r.tls.as_ref().filter(|t| t.termination.as_str() != "passthrough" && !t.certificate.is_empty())
        {
            *uses.entry(t.certificate.as_str()).or_default() += 1;
        }
    }
    if let Some(d) = settings.get("DEFAULT_CERTIFICATE") {
        *uses.entry(d).or_default() += 1;
    }
    uses
}

impl<'a> Collector<'a> {
    /// An empty collector.
    pub fn new(cert_uses: &'a HashMap<&'a str, usize>) -> Self {
        Self {
            http: Vec::new(),
            edge: Vec::new(),
            redirect: Vec::new(),
            tcp: Vec::new(),
            sni: Vec::new(),
            wild: Vec::new(),
            certs: Vec::new(),
            cert_uses,
        }
    }

    /// Appends the lines another collector gathered (for routes that come after this one's).
    pub fn merge(&mut self, other: Collector<'_>) {
        self.http.extend(other.http);
        self.edge.extend(other.edge);
        self.redirect.extend(other.redirect);
        self.tcp.extend(other.tcp);
        self.sni.extend(other.sni);
        self.wild.extend(other.wild);
        self.certs.extend(other.certs);
    }

    /// Adds one route's entries (spec §4.3).
    pub fn add(&mut self, a: &Alias<'_>, ctx: &Ctx<'_>) {
        let host = a.route.host.as_str();
        if host.is_empty() {
            return;
        }
        let (t, p, wc) = (a.termination, a.policy, a.wildcard);
        let re = route_re(host, a.route.path.as_str(), wc);
        let name = a.backend_name();
        let tls_term = matches!(t, "edge" | "reencrypt");
        if t.is_empty() || (tls_term && p == "Allow") {
            self.http.push(format!("{re} {name}"));
        }
        if tls_term {
            self.edge.push(format!("{re} {name}"));
        }
        self.redirect.push(format!("{re} {}", if p == "Redirect" { 1 } else { 0 }));
        let no_path = a.route.path.is_empty();
        if no_path && matches!(t, "passthrough" | "reencrypt") {
            self.tcp.push(format!("{} {name}", route_re(host, "", wc)));
        }
        if no_path && t == "passthrough" {
            self.sni.push(format!("{} 1", sni_re(host, wc)));
        }
        if wc {
            self.wild.push(format!("{} 1", route_re(host, "", true)));
        }
        if let Some(tls) = a.route.tls.as_ref().filter(|tl| tls_term && !tl.certificate.is_empty()) {
            let unique = self.cert_uses.get(tls.certificate.as_str()).copied().unwrap_or(0) <= 1;
            let alpn = if !ctx.disable_http2 && unique { " [alpn h2,http/1.1]" } else { "" };
            self.certs.push(format!("{}/router/certs/{}.pem{alpn} {}", ctx.base, a.key, cert_host(host, wc)));
        }
    }

    /// The map files, each in the router's order.
    pub fn finish(self, settings: &Settings) -> Vec<OutputFile> {
        let mut certs = self.certs;
        certs.sort_unstable_by(|a, b| b.cmp(a));
        // The router renders the wildcard map only when wildcard routes are allowed, with its
        // template's odd "\n  " separator.
        let wild = if settings.is_true("ROUTER_ALLOW_WILDCARD_ROUTES") {
            let mut w = self.wild;
            w.sort_unstable_by(|a, b| b.cmp(a));
            join_lines(&w, "\n  ")
        } else {
            String::new()
        };
        let file = |path: &str, contents: String| OutputFile { path: path.to_owned(), contents };
        vec![
            file("conf/os_http_be.map", render_sorted(self.http)),
            file("conf/os_edge_reencrypt_be.map", render_sorted(self.edge)),
            file("conf/os_route_http_redirect.map", render_sorted(self.redirect)),
            file("conf/os_tcp_be.map", render_sorted(self.tcp)),
            file("conf/os_sni_passthrough.map", render_sorted(self.sni)),
            file("conf/os_wildcard_domain.map", wild),
            file("conf/cert_config.map", join_lines(&certs, "\n")),
        ]
    }
}

/// The host part of a key.
fn host_re(host: &str, wildcard: bool) -> String {
    if wildcard {
        if let Some(i) = host.find('.') {
            return format!("[^\\.]*{}", quote_meta(host.get(i..).unwrap_or("")));
        }
    }
    quote_meta(host)
}

/// The route regexp `R(host, path, wildcard)` of spec §4.2.
pub fn route_re(host: &str, path: &str, wildcard: bool) -> String {
    let mut out = String::with_capacity(host.len() + path.len() + 32);
    out.push('^');
    out.push_str(&host_re(host, wildcard));
    out.push_str("\\.?(:[0-9]+)?");
    if path.is_empty() || path.bytes().all(|b| b == b'/') {
        out.push_str("(/.*)?");
    } else {
        for c in quote_meta(path).chars() {
            match c {
                ' ' => out.push_str("\\x20"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\n' => out.push_str("\\n"),
                _ => out.push(c),
            }
        }
        out.push_str(if path.ends_with('/') { "(.*)?" } else { "(/.*)?" });
    }
    out.push('$');
    out
}

/// The SNI regexp `S(host, wildcard)`.
pub fn sni_re(host: &str, wildcard: bool) -> String {
    format!("^{}$", host_re(host, wildcard))
}

/// The host name a wildcard route's certificate is listed under.
pub fn cert_host(host: &str, wildcard: bool) -> String {
    match host.find('.') {
        Some(i) if wildcard && i > 0 => format!("*{}", host.get(i..).unwrap_or("")),
        _ => host.to_owned(),
    }
}

/// Renders map lines in the router's order: non-wildcard lines first, each group in descending
/// byte order of the whole line.
pub fn render_sorted(mut lines: Vec<String>) -> String {
    lines.sort_unstable_by(|a, b| {
        let (wa, wb) = (a.starts_with(WILDCARD_PREFIX), b.starts_with(WILDCARD_PREFIX));
        wa.cmp(&wb).then_with(|| b.cmp(a))
    });
    join_lines(&lines, "\n")
}

/// Joins lines, each followed by `sep`.
pub fn join_lines(lines: &[String], sep: &str) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.len() + sep.len()).sum());
    for l in lines {
        out.push_str(l);
        out.push_str(sep);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexps_match_spec_examples() {
        assert_eq!(route_re("www.example.test", "", false), r"^www\.example\.test\.?(:[0-9]+)?(/.*)?$");
        assert_eq!(route_re("www.example.test", "/x/y/z", false), r"^www\.example\.test\.?(:[0-9]+)?/x/y/z(/.*)?$");
        assert_eq!(
            route_re("path.aces.wild.test", "/path/to/resource", true),
            r"^[^\.]*\.aces\.wild\.test\.?(:[0-9]+)?/path/to/resource(/.*)?$"
        );
        assert_eq!(route_re("www.example.test", "/x y", false), r"^www\.example\.test\.?(:[0-9]+)?/x\x20y(/.*)?$");
        assert_eq!(route_re("www.example.test", "/x\ty", false), r"^www\.example\.test\.?(:[0-9]+)?/x\ty(/.*)?$");
        assert_eq!(route_re("a.b", "/sub/", false), r"^a\.b\.?(:[0-9]+)?/sub/(.*)?$");
        assert_eq!(route_re("a.b", "//", false), r"^a\.b\.?(:[0-9]+)?(/.*)?$");
        assert_eq!(sni_re("www.wild.test", true), r"^[^\.]*\.wild\.test$");
        assert_eq!(cert_host("www.wildcard.test", true), "*.wildcard.test");
        assert_eq!(cert_host("example.org", true), "*.org");
        assert_eq!(cert_host("com", true), "com");
    }

    #[test]
    fn sort_puts_wildcards_last_and_specific_first() {
        let lines = vec![
            r"^[^\.]*\.test\.org aces:wild".to_owned(),
            r"^a\.test\.org\.?(:[0-9]+)?(/.*)?$ x".to_owned(),
            r"^a\.test\.org\.?(:[0-9]+)?/api(/.*)?$ y".to_owned(),
        ];
        let out = render_sorted(lines);
        let order: Vec<&str> = out.lines().map(|l| l.rsplit(' ').next().unwrap_or("")).collect();
        assert_eq!(order, ["y", "x", "aces:wild"]);
    }
}
