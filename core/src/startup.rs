//! The settings the router refuses to start with (`TemplateRouterOptions.Complete`/`Validate`
//! and `RouterSelection.Complete`), and the typed values those functions parse: capture lengths
//! are Go `strconv.Atoi` integers, so `+5` and `0064` are written as `5` and `64`.
//!
//! A refusal means the real router exits at start-up and serves nothing, so each one is an error
//! naming the setting. routec still compiles what it can, so the other findings are not hidden.
//! Settings have no source spans here (they may come from `--set`), like every other settings
//! diagnostic after `router.env` parsing.

use crate::admission::selector::Selector;
use crate::diag::{Diagnostic, Diagnostics};
use crate::gotmpl::go_quote;
use crate::settings::Settings;

/// What start-up parsed out of the settings.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// `ROUTER_CAPTURE_HTTP_REQUEST_HEADERS` as (name, length).
    pub capture_request: Vec<(String, i64)>,
    /// `ROUTER_CAPTURE_HTTP_RESPONSE_HEADERS` as (name, length).
    pub capture_response: Vec<(String, i64)>,
    /// `ROUTER_CAPTURE_HTTP_COOKIE` as (name as written, with a trailing `=` for an exact match,
    /// length).
    pub capture_cookie: Option<(String, i64)>,
}

/// Runs the router's start-up checks; every refusal becomes an error.
pub fn check(settings: &Settings, diags: &mut Diagnostics) -> Startup {
    let mut found: Vec<(&str, String)> = Vec::new();
    let mut refuse = |key: &'static str, msg: String| found.push((key, msg));
    let get = |k: &str| settings.get(k);

    if get("ROUTER_SERVICE_NAME").is_some() && get("ROUTER_SERVICE_NAMESPACE").is_none() {
        refuse(
            "ROUTER_SERVICE_NAME",
            "ROUTER_SERVICE_NAMESPACE is required when ROUTER_SERVICE_NAME is specified".into(),
        );
    }
    if let Some(p) = get("STATS_PORT") {
        if let Err(e) = atoi(p) {
            refuse("STATS_PORT", format!("stat port is not valid: {e}"));
        }
    }
    if let Some(addr) = get("ROUTER_LISTEN_ADDR") {
        match split_host_port(addr) {
            Err(e) => refuse("ROUTER_LISTEN_ADDR", format!("listen-addr is not valid: {e}")),
            Ok(port) => {
                if let Err(e) = atoi(port) {
                    refuse("ROUTER_LISTEN_ADDR", format!("listen-addr port is not valid: {e}"));
                }
            }
        }
    }
    for (key, what, default) in [
        ("RELOAD_INTERVAL", "reload interval", 5.0),
        ("COMMIT_INTERVAL", "dynamic configuration manager commit interval", 3600.0),
    ] {
        // An unparsable value falls back to the default; only a parsed value under a second
        // is refused.
        let secs = get(key).and_then(duration_seconds).unwrap_or(default);
        let whole = secs.trunc();
        if whole < 1.0 {
            refuse(key, format!("invalid {what}: {whole} - must be a positive duration"));
        }
    }
    let mut out = Startup::default();
    for key in ["ROUTER_CAPTURE_HTTP_REQUEST_HEADERS", "ROUTER_CAPTURE_HTTP_RESPONSE_HEADERS"] {
        match capture_headers(settings.env(key, "")) {
            Ok(list) if key.ends_with("REQUEST_HEADERS") => out.capture_request = list,
            Ok(list) => out.capture_response = list,
            Err(e) => refuse(key, e),
        }
    }
    match capture_cookie(settings.env("ROUTER_CAPTURE_HTTP_COOKIE", "")) {
        Ok(c) => out.capture_cookie = c,
        Err(e) => refuse("ROUTER_CAPTURE_HTTP_COOKIE", e),
    }
    if let Some(v) = get("ROUTER_H1_CASE_ADJUST") {
        if let Some(bad) = v.split(',').find(|n| !is_token(n)) {
            refuse("ROUTER_H1_CASE_ADJUST", format!("invalid HTTP header name: {bad}"));
        }
    }

    // RouterSelection.Complete.
    let mut selectors = Vec::new();
    let template = get("ROUTER_SUBDOMAIN").is_some();
    if !template && settings.is_true("ROUTER_OVERRIDE_HOSTNAME") {
        refuse("ROUTER_OVERRIDE_HOSTNAME", "--override-hostname requires that --hostname-template be specified".into());
    }
    let override_domains = crate::admission::hostname::comma_list(settings.env("ROUTER_OVERRIDE_DOMAINS", ""));
    if !template && !override_domains.is_empty() {
        refuse("ROUTER_OVERRIDE_DOMAINS", "--override-domains requires that --hostname-template be specified".into());
    }
    for (key, what) in
        [("ROUTE_LABELS", "label selector is not valid"), ("ROUTE_FIELDS", "field selector is not valid")]
    {
        let Some(v) = get(key) else { continue };
        let parsed = if key == "ROUTE_FIELDS" { Selector::parse_fields(v) } else { Selector::parse(v) };
        if let Err(e) = parsed {
            selectors.push(format!("{key}: {what}: {e}"));
        }
    }
    if let Some(p) = get("PROJECT_LABELS") {
        if get("NAMESPACE_LABELS").is_some() {
            refuse("PROJECT_LABELS", "only one of --namespace-labels and --project-labels may be used".into());
        }
        if p != "*" {
            if let Err(e) = Selector::parse(p) {
                selectors.push(format!("PROJECT_LABELS: --project-labels selector is not valid: {e}"));
            }
        }
    }
    if let Some(n) = get("NAMESPACE_LABELS") {
        if let Err(e) = Selector::parse(n) {
            selectors.push(format!("NAMESPACE_LABELS: --namespace-labels selector is not valid: {e}"));
        }
    }
    if let Some(h) = get("ROUTER_CANONICAL_HOSTNAME") {
        if !is_dns1123_subdomain(h) {
            refuse("ROUTER_CANONICAL_HOSTNAME", format!("invalid canonical hostname: {h}"));
        } else if h.parse::<std::net::IpAddr>().is_ok() {
            refuse("ROUTER_CANONICAL_HOSTNAME", format!("canonical hostname must not be an IP address: {h}"));
        }
    }

    // TemplateRouterOptions.Validate. TEMPLATE_FILE and RELOAD_SCRIPT are set by the router
    // image and DEFAULT_DESTINATION_CA_PATH is checked on the router's own file system, so
    // those three checks have nothing to look at here.
    if let Some(m) = get("ROUTER_METRICS_TYPE") {
        if m != "haproxy" {
            refuse("ROUTER_METRICS_TYPE", "supported metrics types are: haproxy".into());
        }
    }
    for (key, msg) in found {
        let d = Diagnostic::error("routec::settings::router-refuses", format!("{key}: {msg}"))
            .help("the router exits at start-up with this setting and serves nothing; fix or unset it");
        diags.push(match settings.span(key) {
            Some(span) => d.at(span, "this setting"),
            None => d,
        });
    }
    for msg in selectors {
        diags.push(
            Diagnostic::error("routec::settings::bad-selector", msg)
                .help("the router refuses to start with a selector that does not parse; see the Kubernetes label and field selector syntax"),
        );
    }
    out
}

/// Go `strconv.Atoi`, with its error text.
pub fn atoi(s: &str) -> Result<i64, String> {
    s.parse::<i64>().map_err(|e| {
        let why = if matches!(e.kind(), std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow) {
            "value out of range"
        } else {
            "invalid syntax"
        };
        format!("strconv.Atoi: parsing {}: {why}", go_quote(s))
    })
}

/// `parseCaptureHeaders`: `name:len` items split on `,` and `:`, nothing trimmed.
fn capture_headers(v: &str) -> Result<Vec<(String, i64)>, String> {
    let mut out = Vec::new();
    if v.is_empty() {
        return Ok(out);
    }
    for item in v.split(',') {
        let parts: Vec<&str> = item.split(':').collect();
        let [name, len] = parts.as_slice() else {
            return Err(format!("invalid HTTP header capture specification: {item}"));
        };
        if !is_token(name) {
            return Err(format!("invalid HTTP header name: {name}"));
        }
        out.push(((*name).to_owned(), atoi(len)?));
    }
    Ok(out)
}

/// `parseCaptureCookie`: `name:len`, a trailing `=` on the name asking for an exact match.
fn capture_cookie(v: &str) -> Result<Option<(String, i64)>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = v.split(':').collect();
    let [name, len] = parts.as_slice() else {
        return Err(format!("invalid HTTP cookie capture specification: {v}"));
    };
    let bare = name.strip_suffix('=').unwrap_or(name);
    if !is_token(bare) {
        return Err(format!("invalid HTTP cookie name: {bare}"));
    }
    Ok(Some(((*name).to_owned(), atoi(len)?)))
}

/// The router's `validTokenRE`: RFC 2616 token characters, at least one.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            matches!(b, 0x21 | 0x23..=0x27 | 0x2a | 0x2b | 0x2d | 0x2e | 0x30..=0x39 | 0x41..=0x5a | 0x5e..=0x7a | 0x7c | 0x7e)
        })
}

/// Kubernetes `IsDNS1123Subdomain`.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(crate::admission::hostname::is_label)
}

/// Go `net.SplitHostPort`, returning the port.
fn split_host_port(addr: &str) -> Result<&str, String> {
    let err = |why: &str| format!("address {addr}: {why}");
    let (host, port) = if let Some(rest) = addr.strip_prefix('[') {
        let Some(end) = rest.find(']') else { return Err(err("missing ']' in address")) };
        let after = rest.get(end + 1..).unwrap_or("");
        if after.is_empty() {
            return Err(err("missing port in address"));
        }
        let Some(port) = after.strip_prefix(':') else {
            return Err(err(if after.starts_with(']') {
                "unexpected ']' in address"
            } else {
                "missing port in address"
            }));
        };
        (rest.get(..end).unwrap_or(""), port)
    } else {
        let Some((host, port)) = addr.rsplit_once(':') else { return Err(err("missing port in address")) };
        if host.contains(':') {
            return Err(err("too many colons in address"));
        }
        (host, port)
    };
    if host.contains('[') || port.contains('[') {
        return Err(err("unexpected '[' in address"));
    }
    if host.contains(']') || port.contains(']') {
        return Err(err("unexpected ']' in address"));
    }
    Ok(port)
}

/// Go `time.ParseDuration`, in seconds; `None` when it does not parse.
pub fn duration_seconds(s: &str) -> Option<f64> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0f64;
    while !rest.is_empty() {
        let n = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        let (num, tail) = rest.split_at(n);
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        let u = tail.bytes().take_while(|b| !b.is_ascii_digit() && *b != b'.').count();
        let (unit, tail) = tail.split_at(u);
        let scale = match unit {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += value * scale;
        rest = tail;
    }
    Some(if neg { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_is_go() {
        assert_eq!(atoi("+5"), Ok(5));
        assert_eq!(atoi("0064"), Ok(64));
        assert_eq!(atoi("-3"), Ok(-3));
        assert_eq!(atoi("abc").unwrap_err(), "strconv.Atoi: parsing \"abc\": invalid syntax");
        assert!(atoi(" 5").is_err() && atoi("").is_err() && atoi("+").is_err());
        assert!(atoi("99999999999999999999").unwrap_err().ends_with("value out of range"));
    }

    #[test]
    fn captures() {
        assert_eq!(capture_headers("Host:+5,X-Id:0064"), Ok(vec![("Host".into(), 5), ("X-Id".into(), 64)]));
        assert!(capture_headers("Host:abc").is_err());
        assert!(capture_headers("Host: 5").is_err());
        assert!(capture_headers(" Host:5").is_err());
        assert!(capture_headers("Host:5:6").is_err());
        assert_eq!(capture_cookie("sid=:0128"), Ok(Some(("sid=".into(), 128))));
        assert!(capture_cookie("s d:5").is_err());
    }

    #[test]
    fn go_durations_and_addresses() {
        assert_eq!(duration_seconds("5s"), Some(5.0));
        assert_eq!(duration_seconds("1m30s"), Some(90.0));
        assert_eq!(duration_seconds("500ms"), Some(0.5));
        assert_eq!(duration_seconds("0"), Some(0.0));
        assert_eq!(duration_seconds("5"), None);
        assert_eq!(duration_seconds("abc"), None);
        assert_eq!(split_host_port("0.0.0.0:1936"), Ok("1936"));
        assert_eq!(split_host_port("[::]:1936"), Ok("1936"));
        assert!(split_host_port("1936").is_err());
        assert!(split_host_port("::1:1936").is_err());
    }
}
