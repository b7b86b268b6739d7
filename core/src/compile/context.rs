//! Settings-derived values shared by the section builders: the working directory, HTTP/2 and
//! stats choices, the default certificate path, and the global header actions parsed from
//! `ROUTER_HTTP_{REQUEST,RESPONSE}_HEADERS`.

use crate::diag::{Diagnostic, Diagnostics};
use crate::gotext::is_true;
use crate::haproxy::model::Word;
use crate::settings::Settings;

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
    /// Global request header actions (name, Some(value) for Set).
    pub request_actions: Vec<(String, Option<String>)>,
    /// Global response header actions.
    pub response_actions: Vec<(String, Option<String>)>,
}

impl Ctx<'_> {
    /// `ROUTER_H1_CASE_ADJUST` entries.
    pub fn h1_case_adjust_names(&self) -> Vec<&str> {
        self.settings.env("ROUTER_H1_CASE_ADJUST", "").split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
    }

    /// `name:len` items of a capture setting.
    pub fn capture_list(&self, key: &str) -> Vec<(&str, &str)> {
        self.settings.env(key, "").split(',').filter_map(|i| i.trim().split_once(':')).collect()
    }

    /// `ROUTER_CAPTURE_HTTP_COOKIE` as `(name, len)`.
    pub fn capture_cookie(&self) -> Option<(&str, &str)> {
        self.settings.get("ROUTER_CAPTURE_HTTP_COOKIE").and_then(|v| v.trim().split_once(':'))
    }

    /// An errorfile path: the setting verbatim, or the image's page under the working directory.
    pub fn errorfile(&self, key: &str, page: &str) -> Word<'static> {
        match self.settings.get(key) {
            Some(p) => Word::verbatim(p.to_owned()),
            None => Word::bare(format!("{}/conf/{page}", self.base)),
        }
    }
}

/// Settings values are emitted verbatim, as the router does, so they must not hold line breaks.
pub(crate) fn check_settings(settings: &Settings, diags: &mut Diagnostics) {
    for (k, v) in settings.iter() {
        if v.contains(['\r', '\n', '\0']) {
            diags.push(
                Diagnostic::error(
                    "routec::security::control-character",
                    format!("router setting `{k}` contains a line break or NUL"),
                )
                .help("router settings are written into haproxy.config verbatim; remove the control character"),
            );
        }
    }
}

pub(crate) fn context<'a>(settings: &'a Settings, opts: &Options, diags: &mut Diagnostics) -> Ctx<'a> {
    let base = opts.base_dir.trim_end_matches('/').to_owned();
    let port = settings
        .get("STATS_PORT")
        .or_else(|| settings.get("ROUTER_LISTEN_ADDR").and_then(|a| a.rsplit_once(':').map(|(_, p)| p)))
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(0);
    let stats_port = if settings.env("ROUTER_METRICS_TYPE", "") == "haproxy" && port != 0 { None } else { Some(port) };
    let default_cert_path = match (
        settings.get("DEFAULT_CERTIFICATE"),
        settings.get("DEFAULT_CERTIFICATE_PATH"),
        &opts.default_certificate,
    ) {
        (None, Some(p), None) => p.to_owned(),
        _ => format!("{base}/router/certs/default.pem"),
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
    }
}

/// Parses `ROUTER_HTTP_{REQUEST,RESPONSE}_HEADERS`: `name:value:Set` / `name:Delete` items, each
/// part URL-query-unescaped.
fn header_actions(settings: &Settings, key: &str, diags: &mut Diagnostics) -> Vec<(String, Option<String>)> {
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
            ("Set", Some(v)) => out.push((name.clone(), Some(v.clone()))),
            ("Delete", _) => out.push((name.clone(), None)),
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
