//! The registry of every annotation the router reads (spec §6): its validator, what it applies
//! to, and what the router does with an invalid value. Each route's values are parsed once, when
//! the route is read, into `RouteAnnotations`; compilation consumes those, and `check` reports
//! what the parse refused.

mod typed;
mod values;

pub use typed::{Balance, Forwarded, RateLimits, RewriteTarget, RouteAnnotations, SameSite, Time, Verbatim};
pub use values::{is_hsts, parse_ip_list, sanitize_rewrite_target};

use crate::gotext::{is_bool, is_cookie_name, is_integer, is_timespec};

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
        Rule::Bool => is_bool(value),
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
