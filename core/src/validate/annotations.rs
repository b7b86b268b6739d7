//! Annotation checks: the values the route's parse (`RouteAnnotations::invalid`) refused are
//! reported with the rule they break and what the router does instead; unknown keys under the
//! router's prefixes get a "did you mean"; values that the router copies verbatim but HAProxy
//! refuses are errors.

use super::who;
use crate::annotations::{self as ann, lookup, parse_ip_list, Annotation, Rule, REGISTRY};
use crate::diag::{Diagnostic, Diagnostics};
use crate::objects::{Route, Str, Termination};
use crate::suggest::closest;

const PREFIXES: &[&str] = &["haproxy.router.openshift.io/", "router.openshift.io/"];
const RATE_LIMITS: &[&str] = &[ann::RATE_CONCURRENT, ann::RATE_TCP, ann::RATE_HTTP];

/// Reports every annotation problem of `r`.
pub(super) fn check(r: &Route, diags: &mut Diagnostics) {
    let route = who(&r.meta);
    let parsed = r.ann();
    let rate_limited = parsed.rate_limits.is_some();
    for (i, (key, value)) in r.meta.annotations.iter().enumerate() {
        // Line breaks and NUL are reported by the guard, which owns that rule.
        if value.as_str().contains(['\r', '\n', '\0']) {
            continue;
        }
        match lookup(key) {
            Some(a) => known(r, &route, a, value, parsed.invalid.contains(&i), rate_limited, diags),
            None => unknown(r, &route, key, value, diags),
        }
    }
}

fn describe(rule: Rule) -> String {
    match rule {
        Rule::Bool => "a boolean (true/false, 1/0, t/f)".to_owned(),
        Rule::TimeSpec => {
            "a time such as `30s`, `500ms` or `2m` (a positive integer and one of us, ms, s, m, h, d)".to_owned()
        }
        Rule::Integer => "an integer".to_owned(),
        Rule::OneOf(list) => format!("one of {}", list.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")),
        Rule::CookieName => "a cookie name of letters, digits, `_` and `-`".to_owned(),
        Rule::IpList => "a space-separated list of IP addresses and CIDR ranges".to_owned(),
        Rule::Hsts => "an HSTS value such as `max-age=31536000;includeSubDomains;preload`".to_owned(),
        Rule::RewriteTarget => "a path starting with `/`".to_owned(),
        Rule::Any => "anything".to_owned(),
    }
}

fn span_of(r: &Route, v: &Str) -> crate::source::Span {
    v.span.unwrap_or(r.meta.span)
}

fn known(
    r: &Route,
    route: &str,
    a: &Annotation,
    value: &Str,
    invalid: bool,
    rate_limited: bool,
    diags: &mut Diagnostics,
) {
    let v = value.as_str();
    if invalid {
        let mut help = format!("the value must be {}", describe(a.rule));
        if let Rule::OneOf(list) = a.rule {
            if let Some(s) = closest(v, list.iter().copied()) {
                help = format!("did you mean `{s}`? ({help})");
            }
        } else if a.rule == Rule::IpList && v.trim() != v && !v.trim().is_empty() {
            help = "remove the leading and trailing spaces: with them the router ignores the whole list".to_owned();
        }
        let d = Diagnostic::warning(
            "routec::annotation::invalid-value",
            format!(
                "route {route}: `{}` is not a valid `{}`; the router ignores it, so {}",
                v.escape_debug(),
                a.key,
                a.on_invalid
            ),
        )
        .at(span_of(r, value), "invalid value")
        .help(help);
        diags.push(d);
        return;
    }
    if a.rule == Rule::IpList {
        let dropped: Vec<&str> =
            v.split_ascii_whitespace().filter(|t| parse_ip_list(t).is_none_or(|k| k.len() != 1)).collect();
        if !dropped.is_empty() {
            diags.push(
                Diagnostic::warning(
                    "routec::annotation::invalid-value",
                    format!(
                        "route {route}: annotation `{}`: the router drops {} as not an IP address or CIDR range",
                        a.key,
                        dropped.iter().map(|t| format!("`{}`", t.escape_debug())).collect::<Vec<_>>().join(", ")
                    ),
                )
                .at(span_of(r, value), "entries dropped")
                .help("write IPv4/IPv6 addresses or CIDR ranges such as 10.0.0.0/8, without leading zeros"),
            );
        }
    }
    if RATE_LIMITS.contains(&a.key) {
        rate_limit(r, route, a, value, rate_limited, diags);
    }
    not_applicable(r, route, a, value, diags);
}

/// The router copies rate-limit numbers verbatim into an ACL. HAProxy reads `+5` as neither a
/// number nor an operator and refuses the whole config; zero or a negative limit matches every
/// connection.
fn rate_limit(r: &Route, route: &str, a: &Annotation, value: &Str, rate_limited: bool, diags: &mut Diagnostics) {
    if !rate_limited {
        diags.push(
            Diagnostic::warning(
                "routec::annotation::not-applicable",
                format!("route {route}: annotation `{}` has no effect without `{}: \"true\"`", a.key, ann::RATE_LIMIT),
            )
            .at(span_of(r, value), "ignored")
            .help(format!("add `{}: \"true\"`", ann::RATE_LIMIT)),
        );
        return;
    }
    let v = value.as_str();
    if v.starts_with('+') {
        diags.push(
            Diagnostic::error(
                "routec::annotation::haproxy-refuses",
                format!(
                    "route {route}: annotation `{}` is `{v}`; the router accepts it and writes it into an ACL, where HAProxy reads `{v}` as neither a number nor an operator and refuses to load the config, taking every route down",
                    a.key
                ),
            )
            .at(span_of(r, value), "HAProxy refuses a leading `+`")
            .help(format!("write `{}`", v.trim_start_matches('+'))),
        );
    } else if v.starts_with('-') || v.trim_start_matches('0').is_empty() {
        diags.push(
            Diagnostic::warning(
                "routec::annotation::rejects-everything",
                format!("route {route}: annotation `{}` is `{v}`; every connection is at or above it, so every request is rejected", a.key),
            )
            .at(span_of(r, value), "limit is not positive")
            .help("use a positive limit, or remove the annotation to leave this rate unlimited"),
        );
    }
}

fn not_applicable(r: &Route, route: &str, a: &Annotation, value: &Str, diags: &mut Diagnostics) {
    let term = r.termination();
    let applies = match a.applies_to {
        "http, edge, reencrypt" => term != Termination::Passthrough,
        "edge, reencrypt" => term.terminates_tls(),
        _ => true,
    };
    if !applies {
        let kind = if term == Termination::Plain { "plain HTTP" } else { r.termination_text() };
        diags.push(
            Diagnostic::warning(
                "routec::annotation::not-applicable",
                format!(
                    "route {route}: annotation `{}` has no effect on a {kind} route (it applies to {})",
                    a.key, a.applies_to
                ),
            )
            .at(span_of(r, value), "ignored for this route"),
        );
    }
}

fn unknown(r: &Route, route: &str, key: &str, value: &Str, diags: &mut Diagnostics) {
    let Some(prefix) = PREFIXES.iter().find(|p| key.starts_with(*p)) else { return };
    let rest = key.get(prefix.len()..).unwrap_or_default();
    // Compare the part after the prefix with every known key's, so a key under the wrong prefix
    // (`router.openshift.io/timeout`) is found as well as a typo.
    let suffix = |k: &'static str| k.split_once('/').map_or(k, |(_, s)| s);
    let exact = REGISTRY.iter().find(|a| suffix(a.key) == rest).map(|a| a.key);
    let guess = exact.or_else(|| {
        let best = closest(rest, REGISTRY.iter().map(|a| suffix(a.key)))?;
        REGISTRY.iter().map(|a| a.key).find(|k| suffix(k) == best)
    });
    let mut d = Diagnostic::warning(
        "routec::annotation::unknown",
        format!("route {route}: the router does not read annotation `{}`", key.escape_debug()),
    )
    .at(value.span.unwrap_or(r.meta.span), "unknown annotation");
    if let Some(g) = guess {
        d = d.help(format!("did you mean `{g}`?"));
    }
    diags.push(d);
}
