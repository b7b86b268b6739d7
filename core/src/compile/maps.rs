//! The router's map files (spec §4): route regular expressions, which routes land in which map,
//! and the sort order that makes the most specific entry match first.

use crate::gotext::quote_meta;

/// The prefix of wildcard keys, which sort after every other line.
const WILDCARD_PREFIX: &str = "^[^\\.]*\\.";

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
