//! The registry of every annotation the router reads (spec §6): its validator, what it applies
//! to, and what the router does with an invalid value. Compilation and `check` both read values
//! through here, so an annotation cannot be used without an entry.

use crate::gotext::{is_cookie_name, is_integer, is_timespec, is_true};

/// What kind of values an annotation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `strconv.ParseBool` true or false.
    Bool,
    /// A HAProxy time value `[1-9][0-9]*(us|ms|s|m|h|d)?`.
    TimeSpec,
    /// An integer as Go `strconv.Atoi` reads it.
    Integer,
    /// One of a fixed list.
    OneOf(&'static [&'static str]),
    /// `[a-zA-Z0-9_-]+`.
    CookieName,
    /// Whitespace-separated IPs and CIDRs.
    IpList,
    /// An HSTS header value.
    Hsts,
    /// A path starting with `/`.
    RewriteTarget,
    /// Anything (informational annotations).
    Any,
}

/// One registry entry.
#[derive(Debug, Clone, Copy)]
pub struct Annotation {
    /// The full key.
    pub key: &'static str,
    /// Accepted values.
    pub rule: Rule,
    /// Which routes it affects.
    pub applies_to: &'static str,
    /// What the router does when the value is invalid.
    pub on_invalid: &'static str,
}

const BAL: &[&str] = &["roundrobin", "leastconn", "source", "random"];
const SAME_SITE: &[&str] = &["Lax", "Strict", "None"];
const FWD: &[&str] = &["append", "replace", "if-none", "never"];

/// Balance algorithm.
pub const BALANCE: &str = "haproxy.router.openshift.io/balance";
/// Turns sticky cookies off.
pub const DISABLE_COOKIES: &str = "haproxy.router.openshift.io/disable_cookies";
/// Sticky cookie name.
pub const COOKIE_NAME: &str = "router.openshift.io/cookie_name";
/// SameSite attribute of the sticky cookie.
pub const COOKIE_SAME_SITE: &str = "router.openshift.io/cookie-same-site";
/// Server timeout.
pub const TIMEOUT: &str = "haproxy.router.openshift.io/timeout";
/// Tunnel timeout.
pub const TIMEOUT_TUNNEL: &str = "haproxy.router.openshift.io/timeout-tunnel";
/// Health-check interval.
pub const CHECK_INTERVAL: &str = "router.openshift.io/haproxy.health.check.interval";
/// Source allow-list.
pub const IP_ALLOWLIST: &str = "haproxy.router.openshift.io/ip_allowlist";
/// Legacy source allow-list.
pub const IP_WHITELIST: &str = "haproxy.router.openshift.io/ip_whitelist";
/// Enables rate limiting.
pub const RATE_LIMIT: &str = "haproxy.router.openshift.io/rate-limit-connections";
/// Concurrent TCP connection limit.
pub const RATE_CONCURRENT: &str = "haproxy.router.openshift.io/rate-limit-connections.concurrent-tcp";
/// TCP connection rate limit.
pub const RATE_TCP: &str = "haproxy.router.openshift.io/rate-limit-connections.rate-tcp";
/// HTTP request rate limit.
pub const RATE_HTTP: &str = "haproxy.router.openshift.io/rate-limit-connections.rate-http";
/// Per-server maxconn.
pub const POD_CONCURRENT: &str = "haproxy.router.openshift.io/pod-concurrent-connections";
/// HSTS header.
pub const HSTS: &str = "haproxy.router.openshift.io/hsts_header";
/// Forwarded-header mode.
pub const FORWARDED: &str = "haproxy.router.openshift.io/set-forwarded-headers";
/// Path rewrite.
pub const REWRITE_TARGET: &str = "haproxy.router.openshift.io/rewrite-target";
/// Header case adjustment towards the server.
pub const H1_ADJUST_CASE: &str = "haproxy.router.openshift.io/h1-adjust-case";
/// Blueprint pool size (dynamic config manager only).
pub const POOL_SIZE: &str = "router.openshift.io/pool-size";
/// API-server only.
pub const NON_DNS_HOST: &str = "route.openshift.io/allow-non-dns-compliant-host";

/// Every annotation the router reads.
pub const REGISTRY: &[Annotation] = &[
    Annotation {
        key: BALANCE,
        rule: Rule::OneOf(BAL),
        applies_to: "all routes",
        on_invalid: "the default balance rule applies",
    },
    Annotation {
        key: DISABLE_COOKIES,
        rule: Rule::Bool,
        applies_to: "http, edge, reencrypt",
        on_invalid: "cookies stay on",
    },
    Annotation {
        key: COOKIE_NAME,
        rule: Rule::CookieName,
        applies_to: "http, edge, reencrypt",
        on_invalid: "ROUTER_COOKIE_NAME or the route's hash is used",
    },
    Annotation {
        key: COOKIE_SAME_SITE,
        rule: Rule::OneOf(SAME_SITE),
        applies_to: "edge, reencrypt",
        on_invalid: "SameSite=None is used",
    },
    Annotation {
        key: TIMEOUT,
        rule: Rule::TimeSpec,
        applies_to: "all routes",
        on_invalid: "no timeout line is written",
    },
    Annotation {
        key: TIMEOUT_TUNNEL,
        rule: Rule::TimeSpec,
        applies_to: "all routes",
        on_invalid: "no tunnel timeout is written (passthrough falls back to the timeout annotation)",
    },
    Annotation {
        key: CHECK_INTERVAL,
        rule: Rule::TimeSpec,
        applies_to: "all routes",
        on_invalid: "ROUTER_BACKEND_CHECK_INTERVAL or 5000ms is used",
    },
    Annotation {
        key: IP_ALLOWLIST,
        rule: Rule::IpList,
        applies_to: "all routes",
        on_invalid: "traffic is not restricted",
    },
    Annotation {
        key: IP_WHITELIST,
        rule: Rule::IpList,
        applies_to: "all routes",
        on_invalid: "traffic is not restricted (it is read only when ip_allowlist is empty)",
    },
    Annotation {
        key: RATE_LIMIT,
        rule: Rule::Bool,
        applies_to: "all routes",
        on_invalid: "connections are not rate limited",
    },
    Annotation {
        key: RATE_CONCURRENT,
        rule: Rule::Integer,
        applies_to: "all routes",
        on_invalid: "concurrent connections are not limited",
    },
    Annotation {
        key: RATE_TCP,
        rule: Rule::Integer,
        applies_to: "all routes",
        on_invalid: "the TCP connection rate is not limited",
    },
    Annotation {
        key: RATE_HTTP,
        rule: Rule::Integer,
        applies_to: "http, edge, reencrypt",
        on_invalid: "the HTTP request rate is not limited",
    },
    Annotation {
        key: POD_CONCURRENT,
        rule: Rule::Integer,
        applies_to: "all routes",
        on_invalid: "servers get no maxconn",
    },
    Annotation {
        key: HSTS,
        rule: Rule::Hsts,
        applies_to: "edge, reencrypt",
        on_invalid: "no Strict-Transport-Security header is sent",
    },
    Annotation {
        key: FORWARDED,
        rule: Rule::OneOf(FWD),
        applies_to: "http, edge, reencrypt",
        on_invalid: "ROUTER_SET_FORWARDED_HEADERS or append is used",
    },
    Annotation {
        key: REWRITE_TARGET,
        rule: Rule::RewriteTarget,
        applies_to: "http, edge, reencrypt",
        on_invalid: "the path is not rewritten",
    },
    Annotation {
        key: H1_ADJUST_CASE,
        rule: Rule::Bool,
        applies_to: "http, edge, reencrypt",
        on_invalid: "header case is not adjusted",
    },
    Annotation {
        key: POOL_SIZE,
        rule: Rule::Integer,
        applies_to: "dynamic config manager blueprints",
        on_invalid: "the default pool size is used",
    },
    Annotation { key: NON_DNS_HOST, rule: Rule::Any, applies_to: "API-server validation only", on_invalid: "nothing" },
];

/// The registry entry of `key`.
pub fn lookup(key: &str) -> Option<&'static Annotation> {
    REGISTRY.iter().find(|a| a.key == key)
}

/// True when `value` satisfies `rule` the way the router checks it.
pub fn is_valid(rule: Rule, value: &str) -> bool {
    match rule {
        Rule::Bool => {
            matches!(value, "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False")
        }
        Rule::TimeSpec => is_timespec(value),
        Rule::Integer => is_integer(value),
        Rule::OneOf(list) => list.contains(&value),
        Rule::CookieName => is_cookie_name(value),
        Rule::IpList => parse_ip_list(value).is_some(),
        Rule::Hsts => is_hsts(value),
        Rule::RewriteTarget => value.starts_with('/') && !value.contains('\n'),
        Rule::Any => true,
    }
}

/// True for a boolean annotation set to a true value.
pub fn enabled(value: &str) -> bool {
    is_true(value)
}

/// The router's `parseIPList`: the kept tokens, or `None` when nothing is restricted.
pub fn parse_ip_list(raw: &str) -> Option<Vec<String>> {
    if raw.trim().is_empty() || raw.trim() != raw {
        return None;
    }
    let kept: Vec<String> = raw.split_ascii_whitespace().filter(|t| is_ip_or_cidr(t)).map(str::to_owned).collect();
    (!kept.is_empty()).then_some(kept)
}

fn is_ip_or_cidr(t: &str) -> bool {
    match t.split_once('/') {
        None => t.parse::<std::net::IpAddr>().is_ok(),
        Some((ip, bits)) => {
            let Ok(addr) = ip.parse::<std::net::IpAddr>() else { return false };
            let max = if addr.is_ipv4() { 32 } else { 128 };
            !bits.is_empty()
                && bits.len() <= 3
                && bits.bytes().all(|b| b.is_ascii_digit())
                && bits.parse::<u32>().is_ok_and(|b| b <= max)
        }
    }
}

/// Whole-string, case-insensitive match of the router's HSTS pattern.
pub fn is_hsts(v: &str) -> bool {
    let s = v.to_ascii_lowercase();
    let b = s.as_bytes();
    let mut p = 0usize;
    let ws = |p: &mut usize| {
        while b.get(*p).is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')) {
            *p += 1;
        }
    };
    let word = |p: &mut usize, w: &str| -> bool {
        if s.get(*p..).is_some_and(|r| r.starts_with(w)) {
            *p += w.len();
            true
        } else {
            false
        }
    };
    let directive = |p: &mut usize| word(p, "includesubdomains") || word(p, "preload");
    loop {
        let save = p;
        if directive(&mut p) {
            ws(&mut p);
            if b.get(p) == Some(&b';') {
                p += 1;
                ws(&mut p);
                continue;
            }
        }
        p = save;
        break;
    }
    if !word(&mut p, "max-age") {
        return false;
    }
    ws(&mut p);
    if b.get(p) != Some(&b'=') {
        return false;
    }
    p += 1;
    ws(&mut p);
    let quoted = b.get(p) == Some(&b'"');
    if quoted {
        p += 1;
    }
    let n = b.get(p..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
    if n == 0 {
        return false;
    }
    p += n;
    if quoted {
        if b.get(p) != Some(&b'"') {
            return false;
        }
        p += 1;
    }
    while p < b.len() {
        ws(&mut p);
        if b.get(p) != Some(&b';') {
            return false;
        }
        p += 1;
        ws(&mut p);
        if !directive(&mut p) {
            return false;
        }
    }
    true
}

/// The router's rewrite-target sanitising (spec §6.6).
pub fn sanitize_rewrite_target(input: &str) -> String {
    // 1. Cut at the first unescaped '#'.
    let mut s = String::new();
    let mut escaped = false;
    let mut comment = false;
    for c in input.chars() {
        if c == '#' && !escaped {
            comment = true;
            break;
        }
        escaped = c == '\\' && !escaped;
        s.push(c);
    }
    // 2. Drop unescaped '"'.
    let mut t = String::new();
    escaped = false;
    for c in s.chars() {
        if c == '"' && !escaped {
            continue;
        }
        escaped = c == '\\' && !escaped;
        t.push(c);
    }
    // 3. Drop unescaped '\''; escaped ones become '\\''.
    let mut u = String::new();
    escaped = false;
    for c in t.chars() {
        if c == '\'' {
            if escaped {
                u.push_str("'\\\\''");
            }
            escaped = false;
            continue;
        }
        escaped = c == '\\' && !escaped;
        u.push(c);
    }
    // 4. Odd runs of '%' are doubled.
    let u = map_runs(&u, '%', |n| if n % 2 == 1 { 2 * n } else { n });
    // 5. Lone backslashes are deleted.
    let u = map_runs(&u, '\\', |n| if n == 1 { 0 } else { n });
    // 6. Every "\\" becomes "\".
    let mut out = u.replace("\\\\", "\\");
    if !comment {
        out.push_str("\\1");
    }
    out
}

fn map_runs(s: &str, ch: char, f: impl Fn(usize) -> usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = 0usize;
    for c in s.chars().chain(std::iter::once('\0')) {
        if c == ch {
            run += 1;
            continue;
        }
        for _ in 0..f(run) {
            out.push(ch);
        }
        run = 0;
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_target_table() {
        let cases = [
            ("%foo", "%%foo\\1"),
            ("%%foo", "%%foo\\1"),
            ("%%%foo", "%%%%%%foo\\1"),
            ("%%%%foo", "%%%%foo\\1"),
            ("'foo'foo\\'", "foofoo'\\''\\1"),
            ("\\foo\\", "foo\\1"),
            ("\\\\foo\\\\", "\\foo\\\\1"),
            ("\\\\\\foo\\\\\\", "\\\\foo\\\\\\1"),
            ("\\\\\\\\foo\\\\\\\\", "\\\\foo\\\\\\1"),
            ("# foo # foo", ""),
            ("\\# foo # foo", "# foo "),
            ("foo # foo", "foo "),
            ("\"foo\"foo\\\"", "foofoo\"\\1"),
            ("\\\\foo\\\"foo\"\\#foo\\foo'foo\\'#foo", "\\foo\"foo#foofoofoo'\\''"),
        ];
        for (i, o) in cases {
            assert_eq!(sanitize_rewrite_target(i), o, "input {i}");
        }
    }

    #[test]
    fn hsts() {
        for ok in [
            "max-age=99999;includeSubDomains;preload",
            "max-age=99999;includeSubDomains",
            "max-age=99999 ;  includesubdomains;  PREload",
            "max-age=\"99999\"",
            "max-age  =  \"99999\"",
            "preload; max-age=1",
        ] {
            assert!(is_hsts(ok), "{ok}");
        }
        for bad in [
            "min-age=99999",
            "max-age=99999;includesubdomains;preload;wrongdirective",
            "max-age=99999;includesubdomain",
            "max-age=",
            "max-age=1;",
        ] {
            assert!(!is_hsts(bad), "{bad}");
        }
    }

    #[test]
    fn ip_lists() {
        assert_eq!(parse_ip_list(" 192.168.10.10  "), None);
        assert_eq!(parse_ip_list("192.168.10.5/64"), None);
        assert_eq!(parse_ip_list("2600:14a0::/256"), None);
        assert_eq!(
            parse_ip_list("192.168.1.0 10.10.0.1 192.168. 10.").map(|v| v.join(" ")),
            Some("192.168.1.0 10.10.0.1".into())
        );
        assert_eq!(parse_ip_list("192.168.010.1"), None);
        assert!(parse_ip_list("64:ff9b::192.168.0.1 2001:0db8:85a3::8a2e:370:10/64 ::ffff:192.168.0.1").is_some());
    }
}
