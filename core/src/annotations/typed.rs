//! Each route's annotations, parsed once into typed values when the route is read. The emitters
//! consume these values and never see the annotation strings; validation reports the values
//! the parse refused (`RouteAnnotations::invalid`). Every field keeps the router's exact rule
//! for when a value counts, including the odd ones (a tunnel timeout standing in for the
//! passthrough timeout, the legacy allow-list read only when the new one is empty).

use super::{is_valid, lookup, parse_ip_list};
use crate::gotext::{clip, is_cookie_name, is_integer, is_timespec, is_true};

/// `haproxy.router.openshift.io/balance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Balance {
    /// `roundrobin`.
    RoundRobin,
    /// `leastconn`.
    LeastConn,
    /// `source`.
    Source,
    /// `random`.
    Random,
}

impl Balance {
    /// The algorithm a setting or annotation names, when it names one the router accepts.
    pub fn parse(v: &str) -> Option<Self> {
        Some(match v {
            "roundrobin" => Self::RoundRobin,
            "leastconn" => Self::LeastConn,
            "source" => Self::Source,
            "random" => Self::Random,
            _ => return None,
        })
    }

    /// HAProxy's keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RoundRobin => "roundrobin",
            Self::LeastConn => "leastconn",
            Self::Source => "source",
            Self::Random => "random",
        }
    }
}

/// `router.openshift.io/cookie-same-site`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// `Lax`.
    Lax,
    /// `Strict`.
    Strict,
    /// `None`.
    None,
}

impl SameSite {
    fn parse(v: &str) -> Option<Self> {
        Some(match v {
            "Lax" => Self::Lax,
            "Strict" => Self::Strict,
            "None" => Self::None,
            _ => return None,
        })
    }

    /// The attribute's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lax => "Lax",
            Self::Strict => "Strict",
            Self::None => "None",
        }
    }
}

/// `haproxy.router.openshift.io/set-forwarded-headers`, and `ROUTER_SET_FORWARDED_HEADERS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forwarded {
    /// `append`: add the headers.
    Append,
    /// `replace`: overwrite them.
    Replace,
    /// `if-none`: set them when the client sent none.
    IfNone,
    /// `never`: leave them alone.
    Never,
}

impl Forwarded {
    /// The mode a setting or annotation names, when it names one the router accepts.
    pub fn parse(v: &str) -> Option<Self> {
        Some(match v {
            "append" => Self::Append,
            "replace" => Self::Replace,
            "if-none" => Self::IfNone,
            "never" => Self::Never,
            _ => return None,
        })
    }
}

/// A valid HAProxy time value as written, with the router's clipped form of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Time {
    /// As written (`[1-9][0-9]*(us|ms|s|m|h|d)?`).
    pub written: String,
    /// `clipHAProxyTimeoutValue` of it: values above HAProxy's maximum become `2147483647ms`.
    pub clipped: String,
}

impl Time {
    /// The value when it is a valid time.
    pub fn parse(v: &str) -> Option<Self> {
        is_timespec(v).then(|| Self { written: v.to_owned(), clipped: clip(v) })
    }
}

/// An integer the router copies verbatim after `strconv.Atoi` accepted it (so `+5` and `007`
/// stay as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verbatim(pub String);

impl Verbatim {
    fn parse(v: &str) -> Option<Self> {
        is_integer(v).then(|| Self(v.to_owned()))
    }
}

/// The rate limits of a route with `rate-limit-connections` on; `None` for each limit that is
/// absent or not an integer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimits {
    /// `…concurrent-tcp`.
    pub concurrent_tcp: Option<Verbatim>,
    /// `…rate-tcp`.
    pub rate_tcp: Option<Verbatim>,
    /// `…rate-http`.
    pub rate_http: Option<Verbatim>,
}

/// `haproxy.router.openshift.io/rewrite-target`: the target and the router's sanitised form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewriteTarget {
    /// As written (it starts with `/`).
    pub target: String,
    /// `processRewriteTarget` of it, ready for single quotes.
    pub sanitized: String,
}

/// Every annotation of one route that the router reads, as typed values. A field is `None` (or
/// false) when the annotation is absent or its value does not count, exactly when the router
/// would ignore it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteAnnotations {
    /// `balance`.
    pub balance: Option<Balance>,
    /// `disable_cookies` is true.
    pub disable_cookies: bool,
    /// `cookie_name`, when it is a valid cookie name.
    pub cookie_name: Option<String>,
    /// `cookie-same-site`.
    pub same_site: Option<SameSite>,
    /// `timeout`.
    pub timeout: Option<Time>,
    /// `timeout-tunnel`.
    pub timeout_tunnel: Option<Time>,
    /// `haproxy.health.check.interval`.
    pub check_interval: Option<Time>,
    /// The addresses of `ip_allowlist`, or of `ip_whitelist` when `ip_allowlist` is empty;
    /// `None` when traffic is not restricted.
    pub allowlist: Option<Vec<String>>,
    /// The limits, when `rate-limit-connections` is true.
    pub rate_limits: Option<RateLimits>,
    /// `pod-concurrent-connections`.
    pub pod_concurrent: Option<Verbatim>,
    /// `hsts_header`, when it matches the router's pattern.
    pub hsts: Option<String>,
    /// `set-forwarded-headers`.
    pub forwarded: Option<Forwarded>,
    /// `rewrite-target`.
    pub rewrite_target: Option<RewriteTarget>,
    /// `h1-adjust-case` is true.
    pub h1_adjust_case: bool,
    /// The positions (in `metadata.annotations`) of known annotations whose value breaks the
    /// key's rule, for validation to report.
    pub invalid: Vec<usize>,
}

impl RouteAnnotations {
    /// A route without annotations the router reads.
    pub const NONE: Self = Self {
        balance: None,
        disable_cookies: false,
        cookie_name: None,
        same_site: None,
        timeout: None,
        timeout_tunnel: None,
        check_interval: None,
        allowlist: None,
        rate_limits: None,
        pod_concurrent: None,
        hsts: None,
        forwarded: None,
        rewrite_target: None,
        h1_adjust_case: false,
        invalid: Vec::new(),
    };

    /// `read`, boxed, or `None` for a route without annotations the router reads, so that the
    /// common route costs one word.
    pub fn parse<V: AsRef<str>>(annotations: &[(String, V)]) -> Option<Box<Self>> {
        let a = Self::read(annotations);
        (a != Self::NONE).then(|| Box::new(a))
    }

    /// Parses the annotations of a route (`metadata.annotations`; a key given twice counts with
    /// its last value, as the API server keeps it).
    pub fn read<V: AsRef<str>>(annotations: &[(String, V)]) -> Self {
        use super::{
            BALANCE, CHECK_INTERVAL, COOKIE_NAME, COOKIE_SAME_SITE, DISABLE_COOKIES, FORWARDED, H1_ADJUST_CASE, HSTS,
            IP_ALLOWLIST, IP_WHITELIST, POD_CONCURRENT, RATE_CONCURRENT, RATE_HTTP, RATE_LIMIT, RATE_TCP,
            REWRITE_TARGET, TIMEOUT, TIMEOUT_TUNNEL,
        };
        let get = |key: &str| annotations.iter().rev().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_ref());
        // Control characters are the guard's to report; a value holding one counts as absent
        // wherever it would otherwise be copied into the config.
        let clean = |key: &str| Some(get(key)).filter(|v| !v.contains(['\r', '\n', '\0'])).unwrap_or("");
        let rate_limits = is_true(get(RATE_LIMIT)).then(|| RateLimits {
            concurrent_tcp: Verbatim::parse(get(RATE_CONCURRENT)),
            rate_tcp: Verbatim::parse(get(RATE_TCP)),
            rate_http: Verbatim::parse(get(RATE_HTTP)),
        });
        let allowlist = [get(IP_ALLOWLIST), get(IP_WHITELIST)]
            .into_iter()
            .find(|v| !v.is_empty() && !v.contains('\n'))
            .and_then(parse_ip_list);
        let rewrite = clean(REWRITE_TARGET);
        Self {
            balance: Balance::parse(get(BALANCE)),
            disable_cookies: is_true(get(DISABLE_COOKIES)),
            cookie_name: Some(get(COOKIE_NAME)).filter(|v| is_cookie_name(v)).map(str::to_owned),
            same_site: SameSite::parse(get(COOKIE_SAME_SITE)),
            timeout: Time::parse(get(TIMEOUT)),
            timeout_tunnel: Time::parse(get(TIMEOUT_TUNNEL)),
            check_interval: Time::parse(get(CHECK_INTERVAL)),
            allowlist,
            rate_limits,
            pod_concurrent: Verbatim::parse(get(POD_CONCURRENT)),
            hsts: Some(clean(HSTS)).filter(|v| super::is_hsts(v)).map(str::to_owned),
            forwarded: Forwarded::parse(get(FORWARDED)),
            rewrite_target: rewrite.starts_with('/').then(|| RewriteTarget {
                target: rewrite.to_owned(),
                sanitized: super::sanitize_rewrite_target(rewrite),
            }),
            h1_adjust_case: is_true(get(H1_ADJUST_CASE)),
            invalid: invalid_keys(annotations),
        }
    }
}

/// Where the known keys with values that break their rule are. Values with control characters
/// are left to the guard.
fn invalid_keys<V: AsRef<str>>(annotations: &[(String, V)]) -> Vec<usize> {
    annotations
        .iter()
        .enumerate()
        .filter(|(_, (k, v))| {
            let v = v.as_ref();
            !v.contains(['\r', '\n', '\0']) && lookup(k).is_some_and(|a| !is_valid(a.rule, v))
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> RouteAnnotations {
        let anns: Vec<(String, &str)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        RouteAnnotations::read(&anns)
    }

    #[test]
    fn the_last_of_a_repeated_key_counts() {
        let a = read(&[(super::super::BALANCE, "source"), (super::super::BALANCE, "leastconn")]);
        assert_eq!(a.balance, Some(Balance::LeastConn));
    }

    #[test]
    fn the_legacy_allowlist_is_read_only_when_the_new_one_is_empty() {
        let a = read(&[(super::super::IP_ALLOWLIST, "bogus"), (super::super::IP_WHITELIST, "10.0.0.1")]);
        assert_eq!(a.allowlist, None);
        assert_eq!(a.invalid, vec![0]);
        let a = read(&[(super::super::IP_ALLOWLIST, ""), (super::super::IP_WHITELIST, "10.0.0.1")]);
        assert_eq!(a.allowlist, Some(vec!["10.0.0.1".to_owned()]));
    }

    #[test]
    fn limits_count_only_when_rate_limiting_is_on() {
        let a = read(&[(super::super::RATE_TCP, "+5")]);
        assert_eq!(a.rate_limits, None);
        let a = read(&[(super::super::RATE_LIMIT, "T"), (super::super::RATE_TCP, "+5")]);
        assert_eq!(a.rate_limits.and_then(|r| r.rate_tcp), Some(Verbatim("+5".to_owned())));
    }

    #[test]
    fn control_characters_leave_copied_values_absent() {
        let a = read(&[(super::super::HSTS, "max-age=1\n"), (super::super::REWRITE_TARGET, "/x\r")]);
        assert_eq!((a.hsts, a.rewrite_target), (None, None));
        assert!(a.invalid.is_empty());
    }

    #[test]
    fn times_keep_what_was_written_and_the_clipped_form() {
        let a = read(&[(super::super::TIMEOUT, "100d")]);
        assert_eq!(a.timeout.map(|t| (t.written, t.clipped)), Some(("100d".to_owned(), "2147483647ms".to_owned())));
    }
}
