//! The router's map files (spec §4): route regular expressions, which routes land in which map,
//! and the sort order that makes the most specific entry match first.

use crate::hash::FastMap;

use super::alias::Alias;
use super::{Ctx, OutputFile};
use crate::gotext::quote_meta;
use crate::objects::{InsecurePolicy, Route, Termination};
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
    cert_uses: &'a FastMap<&'a str, usize>,
}

/// Counts certificate uses over all admitted routes (and `DEFAULT_CERTIFICATE`).
pub fn cert_uses<'a>(routes: &[&'a Route], settings: &'a Settings) -> FastMap<&'a str, usize> {
    let mut uses: FastMap<&str, usize> = FastMap::default();
    for r in routes {
        if let Some(t) =
            r.tls.as_ref().filter(|t| r.termination() != Termination::Passthrough && !t.certificate.is_empty())
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
    pub fn new(cert_uses: &'a FastMap<&'a str, usize>) -> Self {
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
        let cert = a.route.tls.as_ref().map(|t| t.certificate.as_str()).filter(|c| !c.is_empty());
        let b = Backend {
            name: &a.key,
            host: a.route.host.as_str(),
            path: a.route.path.as_str(),
            wildcard: a.wildcard,
            termination: a.termination,
            policy: a.policy,
            has_cert: cert.is_some(),
        };
        for (map, lines) in [
            (MapFile::Http, &mut self.http),
            (MapFile::EdgeReencrypt, &mut self.edge),
            (MapFile::Redirect, &mut self.redirect),
            (MapFile::Tcp, &mut self.tcp),
            (MapFile::SniPassthrough, &mut self.sni),
            (MapFile::WildcardDomain, &mut self.wild),
        ] {
            if let Some((k, v)) = entry(map, &b) {
                lines.push(format!("{k} {v}"));
            }
        }
        if let Some((k, v)) = entry(MapFile::CertConfig, &b) {
            let unique = cert.map_or(0, |c| self.cert_uses.get(c).copied().unwrap_or(0)) <= 1;
            self.certs.push(cert_line(&ctx.base, &k, !ctx.disable_http2 && unique, &v));
        }
    }

    /// The map files, each in the router's order.
    pub fn finish(self, settings: &Settings) -> Vec<OutputFile> {
        let mut certs = self.certs;
        sort_lines(MapFile::CertConfig, &mut certs);
        // The router renders the wildcard map only when wildcard routes are allowed, with its
        // template's odd "\n  " separator.
        let wild = if settings.is_true("ROUTER_ALLOW_WILDCARD_ROUTES") {
            let mut w = self.wild;
            crate::sort::sort_unstable_by(&mut w, |a, b| b.cmp(a));
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

/// The router's map files, each with its rule for which routes it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapFile {
    /// `os_http_be.map`: plain routes, and edge/reencrypt routes that allow HTTP.
    Http,
    /// `os_edge_reencrypt_be.map`: edge and reencrypt routes.
    EdgeReencrypt,
    /// `os_route_http_redirect.map`: every route, 1 when it redirects HTTP.
    Redirect,
    /// `os_tcp_be.map`: passthrough and reencrypt routes without a path.
    Tcp,
    /// `os_sni_passthrough.map`: passthrough routes without a path.
    SniPassthrough,
    /// `os_wildcard_domain.map`: wildcard routes.
    WildcardDomain,
    /// `cert_config.map`: edge and reencrypt routes with their own certificate.
    CertConfig,
}

impl MapFile {
    /// The map a file name (without directory) stands for, as the router's `GenerateMapEntry`
    /// knows them.
    pub fn named(base: &str) -> Option<MapFile> {
        Some(match base {
            "os_http_be.map" => MapFile::Http,
            "os_edge_reencrypt_be.map" => MapFile::EdgeReencrypt,
            "os_route_http_redirect.map" => MapFile::Redirect,
            "os_tcp_be.map" => MapFile::Tcp,
            "os_sni_passthrough.map" => MapFile::SniPassthrough,
            "os_wildcard_domain.map" => MapFile::WildcardDomain,
            "cert_config.map" => MapFile::CertConfig,
            _ => return None,
        })
    }
}

/// What a route's map entries depend on (the router's `BackendConfig`).
pub struct Backend<'a> {
    /// `ns:name`.
    pub name: &'a str,
    /// `spec.host`.
    pub host: &'a str,
    /// `spec.path`.
    pub path: &'a str,
    /// Wildcard route.
    pub wildcard: bool,
    /// Termination.
    pub termination: Termination,
    /// Insecure edge termination policy.
    pub policy: InsecurePolicy,
    /// The route has its own certificate.
    pub has_cert: bool,
}

/// A route's entry in one map, as (key, value); `None` when the map does not list it. For
/// `cert_config.map` the key is the certificate's file name (`ns:name.pem`), which
/// `cert_line` turns into the line.
pub fn entry(map: MapFile, b: &Backend<'_>) -> Option<(String, String)> {
    let (host, t, wc) = (b.host, b.termination, b.wildcard);
    if host.is_empty() {
        return None;
    }
    let tls_term = t.terminates_tls();
    let backend = || format!("{}:{}", t.backend_prefix(), b.name);
    let no_path = b.path.is_empty();
    match map {
        MapFile::Http if t == Termination::Plain || (tls_term && b.policy == InsecurePolicy::Allow) => {
            Some((route_re(host, b.path, wc), backend()))
        }
        MapFile::EdgeReencrypt if tls_term => Some((route_re(host, b.path, wc), backend())),
        MapFile::Redirect => {
            Some((route_re(host, b.path, wc), if b.policy == InsecurePolicy::Redirect { "1" } else { "0" }.to_owned()))
        }
        MapFile::Tcp if no_path && matches!(t, Termination::Passthrough | Termination::Reencrypt) => {
            Some((route_re(host, "", wc), backend()))
        }
        MapFile::SniPassthrough if no_path && t == Termination::Passthrough => Some((sni_re(host, wc), "1".to_owned())),
        MapFile::WildcardDomain if wc => Some((route_re(host, "", true), "1".to_owned())),
        MapFile::CertConfig if tls_term && b.has_cert => Some((format!("{}.pem", b.name), cert_host(host, wc))),
        _ => None,
    }
}

/// One `cert_config.map` line: the certificate file under the working directory, the ALPN
/// list when HTTP/2 is offered (unique certificates only), and the host it serves.
pub fn cert_line(base: &str, file: &str, alpn: bool, host: &str) -> String {
    let alpn = if alpn { " [alpn h2,http/1.1]" } else { "" };
    format!("{base}/router/certs/{file}{alpn} {host}")
}

/// Map lines in the router's order: non-wildcard lines first, each group in descending byte
/// order of the whole line (`cert_config.map` lines are simply descending).
pub fn sort_lines(map: MapFile, lines: &mut [String]) {
    if map == MapFile::CertConfig {
        crate::sort::sort_unstable_by(lines, |a, b| b.cmp(a));
    } else {
        crate::sort::sort_unstable_by(lines, |a, b| {
            let (wa, wb) = (a.starts_with(WILDCARD_PREFIX), b.starts_with(WILDCARD_PREFIX));
            wa.cmp(&wb).then_with(|| b.cmp(a))
        });
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
    sort_lines(MapFile::Http, &mut lines);
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
