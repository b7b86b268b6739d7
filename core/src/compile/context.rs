//! Settings-derived values shared by the section builders: the working directory, HTTP/2 and
//! stats choices, the default certificate path, and the global header actions parsed from
//! `ROUTER_HTTP_{REQUEST,RESPONSE}_HEADERS`, and the defaults route backends fall back to.

use crate::annotations::{Balance, Forwarded, Time};
use crate::diag::{Diagnostic, Diagnostics};
use crate::gotext::{is_cookie_name, is_true};
use crate::haproxy::model::Word;
use crate::settings::Settings;
use crate::startup::Startup;

use super::{Options, Profile};

/// Settings-derived values shared by the section builders.
pub struct Ctx<'a> {
    /// Router settings.
    pub settings: &'a Settings,
    /// Working directory inside the config.
    pub base: String,
    /// `ROUTER_DISABLE_HTTP2`.
    pub disable_http2: bool,
    /// `DEFAULT_DESTINATION_CA_PATH`.
    pub default_dest_ca: Option<&'a str>,
    /// `ROUTER_H1_CASE_ADJUST` is set.
    pub h1_case_adjust: bool,
    /// `Some(port)` when `listen stats` is emitted.
    pub stats_port: Option<i64>,
    /// The default certificate as the TLS binds name it.
    pub default_cert_path: String,
    /// Emit `no-alpn` on the TLS binds.
    pub no_alpn: bool,
    /// Global request header actions.
    pub request_actions: Vec<GlobalAction>,
    /// Global response header actions.
    pub response_actions: Vec<GlobalAction>,
    /// What the router parsed at start-up (capture lengths).
    pub startup: Startup,
    /// `ROUTER_HAPROXY_CONFIG_MANAGER`: the dynamic config manager is on.
    pub dynamic: bool,
    /// What routes fall back to when their annotations say nothing valid.
    pub route_defaults: RouteDefaults,
}

/// The settings a route backend falls back to, parsed once for all routes.
pub struct RouteDefaults {
    /// `ROUTER_SET_FORWARDED_HEADERS` (append when unset or invalid).
    pub forwarded: Forwarded,
    /// `ROUTER_LOAD_BALANCE_ALGORITHM`, when valid.
    pub balance: Option<Balance>,
    /// `ROUTER_TCP_BALANCE_SCHEME`, when valid.
    pub tcp_balance: Option<Balance>,
    /// `ROUTER_COOKIE_NAME`, when it is a valid cookie name.
    pub cookie_name: Option<String>,
    /// `ROUTER_BACKEND_CHECK_INTERVAL`, when it is a valid time.
    pub check_interval: Option<Time>,
}

impl RouteDefaults {
    fn new(settings: &Settings) -> Self {
        let env = |k: &str| settings.env(k, "");
        Self {
            forwarded: Forwarded::parse(env("ROUTER_SET_FORWARDED_HEADERS")).unwrap_or(Forwarded::Append),
            balance: Balance::parse(env("ROUTER_LOAD_BALANCE_ALGORITHM")),
            tcp_balance: Balance::parse(env("ROUTER_TCP_BALANCE_SCHEME")),
            cookie_name: Some(env("ROUTER_COOKIE_NAME")).filter(|v| is_cookie_name(v)).map(str::to_owned),
            check_interval: Time::parse(env("ROUTER_BACKEND_CHECK_INTERVAL")),
        }
    }
}

/// One item of `ROUTER_HTTP_{REQUEST,RESPONSE}_HEADERS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlobalAction {
    /// `name:value:Set`, or `name:Set` (no value: the router writes `set-header 'name'` with
    /// nothing after it, which HAProxy refuses).
    Set(String, Option<String>),
    /// `name:Delete` or `name:value:Delete` (the value is ignored).
    Delete(String),
}

impl Ctx<'_> {
    /// `ROUTER_H1_CASE_ADJUST` entries.
    pub fn h1_case_adjust_names(&self) -> Vec<&str> {
        self.settings.env("ROUTER_H1_CASE_ADJUST", "").split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
    }

    /// An errorfile path: the setting verbatim, or the image's page under the working directory.
    pub fn errorfile(&self, key: &str, page: &str) -> Word<'static> {
        match self.settings.get(key) {
            Some(p) => Word::verbatim(p.to_owned()),
            None => Word::bare(format!("{}/conf/{page}", self.base)),
        }
    }
}

/// Where the TLS binds find the default certificate.
pub(crate) enum DefaultCert<'a> {
    /// `DEFAULT_CERTIFICATE_PATH` without `DEFAULT_CERTIFICATE`: the router's file, as named.
    Path(&'a str),
    /// `router/certs/default.pem`, written from `DEFAULT_CERTIFICATE`, the certificate directory
    /// or `Options::default_certificate`.
    Written,
}

pub(crate) fn default_cert_source(settings: &Settings) -> DefaultCert<'_> {
    match (settings.get("DEFAULT_CERTIFICATE"), settings.get("DEFAULT_CERTIFICATE_PATH")) {
        (None, Some(p)) => DefaultCert::Path(p),
        _ => DefaultCert::Written,
    }
}

/// Settings values are emitted verbatim, as the router does, so they must not hold line breaks
/// or NUL. Such a value is reported and left out: the returned copy (when one was needed) lacks
/// it, so the config is compiled as if it were unset and nothing hostile reaches it.
pub(crate) fn check_settings(settings: &Settings, diags: &mut Diagnostics) -> Option<Settings> {
    let mut cleaned: Option<Settings> = None;
    for (k, v) in settings.iter() {
        // `DEFAULT_CERTIFICATE` is a PEM file's contents, written to router/certs/default.pem
        // after its own checks, never into the config.
        if k != "DEFAULT_CERTIFICATE" && v.contains(['\r', '\n', '\0']) {
            let mut d = Diagnostic::error(
                "routec::security::control-character",
                format!("router setting `{k}` contains a line break or NUL; it is left out of the config"),
            )
            .help("router settings are written into haproxy.config verbatim; remove the control character");
            if let Some(span) = settings.span(k) {
                d = d.at(span, "control character in this value");
            }
            diags.push(d);
            cleaned.get_or_insert_with(|| settings.clone()).remove(k);
        }
    }
    crate::settings::values::check(cleaned.as_ref().unwrap_or(settings), diags);
    cleaned
}

pub(crate) fn context<'a>(
    settings: &'a Settings,
    startup: Startup,
    opts: &Options,
    diags: &mut Diagnostics,
) -> Ctx<'a> {
    let base = opts.base_dir.trim_end_matches('/').to_owned();
    let port = settings
        .get("STATS_PORT")
        .or_else(|| settings.get("ROUTER_LISTEN_ADDR").and_then(|a| a.rsplit_once(':').map(|(_, p)| p)))
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(0);
    let stats_port = if settings.env("ROUTER_METRICS_TYPE", "") == "haproxy" && port != 0 { None } else { Some(port) };
    // `writeDefaultCert`: certificate contents are written to router/certs/default.pem; without
    // them, a DEFAULT_CERTIFICATE_PATH is bound as given and nothing is written.
    let default_cert_path = match default_cert_source(settings) {
        DefaultCert::Path(p) => p.to_owned(),
        DefaultCert::Written => format!("{base}/router/certs/default.pem"),
    };
    let request_actions = header_actions(settings, "ROUTER_HTTP_REQUEST_HEADERS", diags);
    let response_actions = header_actions(settings, "ROUTER_HTTP_RESPONSE_HEADERS", diags);
    Ctx {
        settings,
        base,
        disable_http2: is_true(settings.env("ROUTER_DISABLE_HTTP2", "")),
        default_dest_ca: settings.get("DEFAULT_DESTINATION_CA_PATH"),
        h1_case_adjust: settings.get("ROUTER_H1_CASE_ADJUST").is_some(),
        stats_port,
        default_cert_path,
        no_alpn: opts.profile == Profile::Haproxy28,
        request_actions,
        response_actions,
        startup,
        dynamic: settings.is_true("ROUTER_HAPROXY_CONFIG_MANAGER"),
        route_defaults: RouteDefaults::new(settings),
    }
}

/// Parses `ROUTER_HTTP_{REQUEST,RESPONSE}_HEADERS` as `parseHeadersToBeSetOrDeleted` does:
/// `name:value:Action` or `name:Action` items, each part URL-query-unescaped, the action `Set`
/// or `Delete` in either form.
fn header_actions(settings: &Settings, key: &str, diags: &mut Diagnostics) -> Vec<GlobalAction> {
    let Some(raw) = settings.get(key) else { return Vec::new() };
    let mut out = Vec::new();
    for item in raw.split(',') {
        let parts: Vec<&str> = item.split(':').collect();
        let decoded: Option<Vec<String>> = parts.iter().map(|p| query_unescape(p)).collect();
        let err = |msg: String, diags: &mut Diagnostics| {
            diags.push(
                Diagnostic::error("routec::settings::bad-header-action", format!("{key}: {msg}"))
                    .help("items are `name:value:Set` or `name:Delete`, URL-encoded"),
            );
        };
        let Some(d) = decoded else {
            err(format!("failed to decode percent encoding: {item}"), diags);
            continue;
        };
        let (name, value, action) = match d.as_slice() {
            [n, a] => (n, None, a),
            [n, v, a] => (n, Some(v), a),
            _ => {
                err(format!("invalid HTTP header input specification: {item}"), diags);
                continue;
            }
        };
        if !crate::gotext::is_header_name(name) {
            err(format!("invalid HTTP header name: {name}"), diags);
            continue;
        }
        match (action.as_str(), value) {
            ("Set", value) => {
                if value.is_none() {
                    diags.push(
                        Diagnostic::error(
                            "routec::settings::haproxy-refuses",
                            format!(
                                "{key}: `{item}` sets {name} without a value; the router accepts it and writes `set-header '{name}'` with no value, which HAProxy refuses, so the whole config fails to load"
                            ),
                        )
                        .help(format!("write `{name}:VALUE:Set` (URL-encoded), or `{name}:Delete` to remove the header")),
                    );
                }
                out.push(GlobalAction::Set(name.clone(), value.cloned()));
            }
            ("Delete", _) => out.push(GlobalAction::Delete(name.clone())),
            _ => err(format!("invalid action: {action}"), diags),
        }
    }
    out
}

fn query_unescape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
