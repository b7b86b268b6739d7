//! Setting values the way the router and its template parse them. The router never complains
//! about a value it cannot use: a boolean it cannot parse counts as false, a timeout that is
//! not a HAProxy time falls back to the default, `ROUTER_THREADS=abc` writes no `nbthread`.
//! Each such value is a warning that names the effect; a value written verbatim into a line
//! HAProxy refuses is an error. Quotes around a value (an env file is read verbatim, so
//! `ROUTER_THREADS="4"` holds the quotes) are reported before the value is judged with them.
//!
//! The rules mirror what `compile` does with each setting, so the effect named is the effect
//! the output shows.

use crate::diag::{Diagnostic, Diagnostics};
use crate::gotext::{is_integer, is_timespec};

use super::Settings;

/// How one setting's value is read.
enum Rule {
    /// `isTrue`/`strconv.ParseBool`: anything else counts as false.
    Bool { default_true: bool },
    /// A HAProxy time: anything else falls back to the default (`None`: nothing is written).
    Time { directive: &'static str, default: Option<&'static str> },
    /// A positive integer, or the directive is not written.
    Count { directive: &'static str },
    /// An integer, or the directive is not written; `also` are words that mean "not written"
    /// on purpose (`auto`: HAProxy computes it).
    Integer { directive: &'static str, also: &'static [&'static str] },
    /// One of a fixed set, or the default applies.
    OneOf { values: &'static [&'static str], default: &'static str },
    /// Written verbatim into a directive that HAProxy checks: `check` says whether it loads.
    Verbatim { directive: &'static str, check: fn(&str) -> Result<(), String> },
}

use Rule::{Bool, Count, Integer, OneOf, Time, Verbatim};

const TLS_VERSIONS: &[&str] = &["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

fn tls_version(v: &str) -> Result<(), String> {
    if TLS_VERSIONS.contains(&v) {
        Ok(())
    } else {
        Err(format!("'{v}' : unknown ssl/tls version on global statement 'ssl-default-bind-options'"))
    }
}

fn positive_integer(v: &str) -> Result<(), String> {
    match v.parse::<u64>() {
        Ok(n) if n > 0 && v.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        _ => Err("'tune.bufsize' expects a positive integer argument".to_owned()),
    }
}

fn log_length(v: &str) -> Result<(), String> {
    match v.parse::<u32>() {
        Ok(n) if (80..=65535).contains(&n) && v.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        _ => Err(format!("log : invalid log length '{v}', must be between 80 and 65535")),
    }
}

const FACILITIES: &[&str] = &[
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit",
    "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
];

fn log_facility(v: &str) -> Result<(), String> {
    if FACILITIES.contains(&v) {
        Ok(())
    } else {
        Err(format!("log : unknown log facility '{v}'"))
    }
}

fn log_level(v: &str) -> Result<(), String> {
    if ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"].contains(&v) {
        Ok(())
    } else {
        Err(format!("log : unknown optional log level '{v}'"))
    }
}

const RULES: &[(&str, Rule)] = &[
    ("ROUTER_ALLOW_WILDCARD_ROUTES", Bool { default_true: false }),
    ("ROUTER_DISABLE_NAMESPACE_OWNERSHIP_CHECK", Bool { default_true: false }),
    ("ROUTER_WATCH_ENDPOINTS", Bool { default_true: false }),
    ("ROUTER_DISABLE_HTTP2", Bool { default_true: false }),
    ("ROUTER_ENABLE_COMPRESSION", Bool { default_true: false }),
    ("ROUTER_USE_PROXY_PROTOCOL", Bool { default_true: false }),
    ("ROUTER_IDLE_CLOSE_ON_RESPONSE", Bool { default_true: false }),
    ("ROUTER_STRICT_SNI", Bool { default_true: false }),
    ("ROUTER_HAPROXY_CONFIG_MANAGER", Bool { default_true: false }),
    ("ROUTER_DONT_LOG_NULL", Bool { default_true: false }),
    ("ROUTER_HTTP_IGNORE_PROBES", Bool { default_true: false }),
    ("EXTENDED_VALIDATION", Bool { default_true: true }),
    ("ROUTER_ENABLE_EXTERNAL_CERTIFICATE", Bool { default_true: true }),
    ("ROUTER_MUTUAL_TLS_HEADER_FILTER", Bool { default_true: true }),
    ("ROUTER_DEFAULT_CONNECT_TIMEOUT", Time { directive: "timeout connect", default: Some("5s") }),
    ("ROUTER_DEFAULT_CLIENT_TIMEOUT", Time { directive: "timeout client", default: Some("30s") }),
    ("ROUTER_CLIENT_FIN_TIMEOUT", Time { directive: "timeout client-fin", default: Some("1s") }),
    ("ROUTER_DEFAULT_SERVER_TIMEOUT", Time { directive: "timeout server", default: Some("30s") }),
    ("ROUTER_DEFAULT_SERVER_FIN_TIMEOUT", Time { directive: "timeout server-fin", default: Some("1s") }),
    ("ROUTER_SLOWLORIS_TIMEOUT", Time { directive: "timeout http-request", default: Some("10s") }),
    ("ROUTER_SLOWLORIS_HTTP_KEEPALIVE", Time { directive: "timeout http-keep-alive", default: Some("300s") }),
    ("ROUTER_DEFAULT_TUNNEL_TIMEOUT", Time { directive: "timeout tunnel", default: Some("1h") }),
    ("ROUTER_INSPECT_DELAY", Time { directive: "tcp-request inspect-delay", default: Some("5s") }),
    ("ROUTER_BACKEND_CHECK_INTERVAL", Time { directive: "check inter", default: Some("5000ms") }),
    ("ROUTER_HARD_STOP_AFTER", Time { directive: "hard-stop-after", default: None }),
    ("ROUTER_THREADS", Count { directive: "nbthread" }),
    // The ingress operator writes `auto` for `maxConnections: -1`: no `maxconn`, so HAProxy
    // derives it from the file-descriptor limit.
    ("ROUTER_MAX_CONNECTIONS", Integer { directive: "maxconn", also: &["auto"] }),
    (
        "ROUTER_LOAD_BALANCE_ALGORITHM",
        OneOf { values: &["roundrobin", "leastconn", "source", "random"], default: "random" },
    ),
    (
        "ROUTER_TCP_BALANCE_SCHEME",
        OneOf { values: &["roundrobin", "leastconn", "source", "random"], default: "source" },
    ),
    ("ROUTER_SET_FORWARDED_HEADERS", OneOf { values: &["append", "replace", "never", "if-none"], default: "append" }),
    ("ROUTER_IP_V4_V6_MODE", OneOf { values: &["v4", "v6", "v4v6"], default: "v4" }),
    ("SSL_MIN_VERSION", Verbatim { directive: "ssl-default-bind-options ssl-min-ver", check: tls_version }),
    ("SSL_MAX_VERSION", Verbatim { directive: "ssl-default-bind-options ssl-max-ver", check: tls_version }),
    ("ROUTER_BUF_SIZE", Verbatim { directive: "tune.bufsize", check: positive_integer }),
    ("ROUTER_LOG_MAX_LENGTH", Verbatim { directive: "log … len", check: log_length }),
    ("ROUTER_LOG_FACILITY", Verbatim { directive: "log … <facility>", check: log_facility }),
    ("ROUTER_LOG_LEVEL", Verbatim { directive: "log … <level>", check: log_level }),
];

/// Settings the template writes into a config line as they are (a word or the rest of a
/// line): their text must read as HAProxy words, or HAProxy refuses the whole config.
const VERBATIM_TEXT: &[&str] = &[
    "ROUTER_UNIQUE_ID_FORMAT",
    "ROUTER_UNIQUE_ID_HEADER_NAME",
    "ROUTER_SYSLOG_FORMAT",
    "ROUTER_CIPHERS",
    "ROUTER_CIPHERSUITES",
    "ROUTER_CURVES",
    "ROUTER_COMPRESSION_MIME",
    "ROUTER_MUTUAL_TLS_AUTH_FILTER",
];

/// HAProxy's lexer error for `value` written into a line, if any (an unmatched quote, a bad
/// `\x` escape, an unclosed `${`).
fn lex_problem(value: &str) -> Option<String> {
    let line = format!("x {value}\n");
    let lexed = crate::hap::lex::lex(line.as_bytes());
    lexed.errors.first().map(|e| e.message.clone())
}

/// Checks every setting that has a rule.
pub fn check(settings: &Settings, diags: &mut Diagnostics) {
    for (key, value) in settings.iter() {
        if value.is_empty() {
            continue;
        }
        if VERBATIM_TEXT.contains(&key) {
            if let Some(why) = lex_problem(value) {
                let d = Diagnostic::error(
                    "routec::settings::haproxy-refuses",
                    format!("`{key}={value}` is written into haproxy.config as it is, and HAProxy refuses the line: {why}"),
                )
                .help("HAProxy refuses the whole config, so the router serves nothing new; close the quote or escape the character");
                diags.push(at(d, settings.span(key)));
                continue;
            }
        }
        let Some((_, rule)) = RULES.iter().find(|(k, _)| *k == key) else { continue };
        let span = settings.span(key);
        // Quotes matter only where the router reads the value itself: a value written into
        // the config verbatim (a log format, say) may quote for HAProxy.
        let quoted = value.len() >= 2
            && ((value.starts_with('"') && value.ends_with('"')) || (value.starts_with('\'') && value.ends_with('\'')));
        if quoted && !matches!(rule, Verbatim { .. }) {
            let d = Diagnostic::warning(
                "routec::settings::quoted-value",
                format!("`{key}={value}`: the quotes are part of the value"),
            )
            .help("env files are read verbatim, as the router's environment holds them (a Deployment's `value: \"4\"` has no quotes); write the value without quotes");
            diags.push(at(d, span));
        }
        // The log line, and so its length, facility and level, is written only with a syslog
        // address.
        if key.starts_with("ROUTER_LOG_") && settings.get("ROUTER_SYSLOG_ADDRESS").is_none() {
            continue;
        }
        if let Some(d) = judge(key, value, rule) {
            diags.push(at(d, span));
        }
    }
}

fn at(d: Diagnostic, span: Option<crate::source::Span>) -> Diagnostic {
    match span {
        Some(s) => d.at(s, "this setting"),
        None => d,
    }
}

fn ignored(key: &str, value: &str, effect: String, help: &str) -> Diagnostic {
    Diagnostic::warning("routec::settings::ignored-value", format!("`{key}={value}`: {effect}")).help(help.to_owned())
}

fn judge(key: &str, value: &str, rule: &Rule) -> Option<Diagnostic> {
    match rule {
        Bool { default_true } => (!crate::gotext::is_bool(value)).then(|| {
            let default = if *default_true { " (the default is true)" } else { "" };
            ignored(
                key,
                value,
                format!("not a boolean the router reads; it counts as false{default}"),
                "the router parses booleans as Go does: 1, t, T, true, TRUE, True, 0, f, F, false, FALSE, False",
            )
        }),
        Time { directive, default } => (!is_timespec(value)).then(|| {
            let effect = match default {
                Some(d) => format!("not a HAProxy time; the router ignores it and writes `{directive} {d}`"),
                None => format!("not a HAProxy time; the router ignores it and writes no `{directive}`"),
            };
            ignored(
                key,
                value,
                effect,
                "a HAProxy time is a positive number with an optional unit: us, ms, s, m, h or d (e.g. 30s)",
            )
        }),
        Count { directive } => {
            let ok = value.bytes().next().is_some_and(|b| (b'1'..=b'9').contains(&b))
                && value.bytes().all(|b| b.is_ascii_digit());
            (!ok).then(|| {
                ignored(
                    key,
                    value,
                    format!("the router ignores it; no `{directive}` is written"),
                    "give a positive whole number, e.g. 4",
                )
            })
        }
        Integer { directive, also } => (!is_integer(value) && !also.contains(&value)).then(|| {
            ignored(
                key,
                value,
                format!("the router ignores it; no `{directive}` is written"),
                "give a whole number, e.g. 50000",
            )
        }),
        OneOf { values, default } => (!values.contains(&value)).then(|| {
            ignored(
                key,
                value,
                format!("not one of {}; the router uses `{default}`", values.join(", ")),
                "values are case-sensitive",
            )
        }),
        Verbatim { directive, check } => check(value).err().map(|why| {
            Diagnostic::error(
                "routec::settings::haproxy-refuses",
                format!("`{key}={value}` is written as `{directive}`, which HAProxy refuses: {why}"),
            )
            .help("HAProxy refuses the whole config, so the router serves nothing new; fix the value")
        }),
    }
}
