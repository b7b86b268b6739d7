//! Router settings, named by the router's own environment variables (spec §5.13–5.14). Values
//! come from `router.env` files and `--set`; an empty value behaves as unset, as in the router.

use crate::sorted::Map;

use crate::diag::Diagnostic;
use crate::source::Span;

pub mod values;

/// The router's settings.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    vars: Map<String, String>,
    /// Where each variable was set, when it came from a file: a short list (a few dozen
    /// variables), where a map type would cost the wasm module kilobytes.
    spans: Vec<(String, Span)>,
}

impl Settings {
    /// No settings: the router binary's bare defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets one variable.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        self.spans.retain(|(k, _)| *k != key);
        self.vars.insert(key, value.into());
    }

    /// Unsets one variable.
    pub(crate) fn remove(&mut self, key: &str) {
        self.spans.retain(|(k, _)| k != key);
        self.vars.remove(key);
    }

    /// Sets one variable read at `span` of a settings file.
    pub fn set_at(&mut self, key: impl Into<String>, value: impl Into<String>, span: Span) {
        let key = key.into();
        self.spans.retain(|(k, _)| *k != key);
        self.spans.push((key.clone(), span));
        self.vars.insert(key, value.into());
    }

    /// Where a variable was set, when it came from a file.
    pub fn span(&self, key: &str) -> Option<Span> {
        self.spans.iter().find(|(k, _)| k == key).map(|(_, s)| *s)
    }

    /// The value exactly as set, empty included.
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    /// Parses `KEY=VALUE` lines (`#` comments, blank lines); the value is everything after the
    /// first `=`, verbatim. Returns a diagnostic per malformed line and per unknown key.
    pub fn parse_env(&mut self, file: u32, text: &str) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        let mut off = 0usize;
        for raw in text.split_inclusive('\n') {
            let line = raw.trim_end_matches(['\n', '\r']);
            let start = off;
            off += raw.len();
            let t = line.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let lead = line.len() - t.len();
            let span = Span::new(file, start + lead..start + line.len());
            let t = t.strip_prefix("export ").unwrap_or(t);
            match t.split_once('=') {
                Some((k, v)) if is_env_name(k) => {
                    if let Some(d) = check_key(k, span) {
                        diags.push(d);
                    }
                    self.set_at(k, v, span);
                }
                _ => diags.push(
                    Diagnostic::error("routec::settings::malformed-line", "expected a `KEY=VALUE` line")
                        .at(span, "not KEY=VALUE")
                        .help("router settings use the router's environment variable names, e.g. ROUTER_THREADS=4"),
                ),
            }
        }
        diags
    }

    /// The value, treating empty as unset.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// The value or `default`.
    pub fn env<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.get(key).unwrap_or(default)
    }

    /// Go `strconv.ParseBool` of the value is true.
    pub fn is_true(&self, key: &str) -> bool {
        crate::gotext::is_true(self.env(key, ""))
    }

    /// Every variable that is set, for display.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

fn is_env_name(k: &str) -> bool {
    !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A warning when `key` is not a setting the router reads.
pub fn check_key(key: &str, span: Span) -> Option<Diagnostic> {
    if KNOWN.contains(&key) {
        return None;
    }
    let best = KNOWN.iter().map(|k| (crate::suggest::distance(k, key), *k)).min();
    let mut d =
        Diagnostic::warning("routec::settings::unknown-key", format!("`{key}` is not a router setting routec knows"))
            .at(span, "unknown setting");
    if let Some((dist, k)) = best {
        if dist <= 3 {
            d = d.help(format!("did you mean `{k}`?"));
        }
    }
    Some(d)
}

/// Every environment variable the router process or its template reads.
pub const KNOWN: &[&str] = &[
    "COMMIT_INTERVAL",
    "DEFAULT_CERTIFICATE",
    "DEFAULT_CERTIFICATE_DIR",
    "DEFAULT_CERTIFICATE_PATH",
    "DEFAULT_DESTINATION_CA_PATH",
    "EXTENDED_VALIDATION",
    "NAMESPACE_LABELS",
    "PROJECT_LABELS",
    "RELOAD_INTERVAL",
    "RELOAD_SCRIPT",
    "ROUTER_ABORT_ON_CLOSE",
    "ROUTER_ALLOWED_DOMAINS",
    "ROUTER_ALLOW_WILDCARD_ROUTES",
    "ROUTER_BACKEND_CHECK_INTERVAL",
    "ROUTER_BACKEND_PROCESS_ENDPOINTS",
    "ROUTER_BIND_PORTS_AFTER_SYNC",
    "ROUTER_BLUEPRINT_ROUTE_LABELS",
    "ROUTER_BLUEPRINT_ROUTE_NAMESPACE",
    "ROUTER_BLUEPRINT_ROUTE_POOL_SIZE",
    "ROUTER_BUF_SIZE",
    "ROUTER_CANONICAL_HOSTNAME",
    "ROUTER_CAPTURE_HTTP_COOKIE",
    "ROUTER_CAPTURE_HTTP_REQUEST_HEADERS",
    "ROUTER_CAPTURE_HTTP_RESPONSE_HEADERS",
    "ROUTER_CIPHERS",
    "ROUTER_CIPHERSUITES",
    "ROUTER_CLIENT_FIN_TIMEOUT",
    "ROUTER_COMPRESSION_MIME",
    "ROUTER_COOKIE_NAME",
    "ROUTER_CURVES",
    "ROUTER_DEFAULT_CLIENT_TIMEOUT",
    "ROUTER_DEFAULT_CONNECT_TIMEOUT",
    "ROUTER_DEFAULT_SERVER_FIN_TIMEOUT",
    "ROUTER_DEFAULT_SERVER_TIMEOUT",
    "ROUTER_DEFAULT_TUNNEL_TIMEOUT",
    "ROUTER_DENIED_DOMAINS",
    "ROUTER_DISABLE_HTTP2",
    "ROUTER_DISABLE_NAMESPACE_OWNERSHIP_CHECK",
    "ROUTER_DOMAIN",
    "ROUTER_DONT_LOG_NULL",
    "ROUTER_ENABLE_COMPRESSION",
    "ROUTER_ENABLE_EXTERNAL_CERTIFICATE",
    "ROUTER_ERRORFILE_404",
    "ROUTER_ERRORFILE_503",
    "ROUTER_GRACEFUL_SHUTDOWN_DELAY",
    "ROUTER_H1_CASE_ADJUST",
    "ROUTER_HAPROXY_ADMIN_UNIX_SOCKET",
    "ROUTER_HAPROXY_CONFIG_MANAGER",
    "ROUTER_HAPROXY_CONTSTATS",
    "ROUTER_HARD_STOP_AFTER",
    "ROUTER_HTTP_IGNORE_PROBES",
    "ROUTER_HTTP_REQUEST_HEADERS",
    "ROUTER_HTTP_RESPONSE_HEADERS",
    "ROUTER_IDLE_CLOSE_ON_RESPONSE",
    "ROUTER_INSPECT_DELAY",
    "ROUTER_IP_V4_V6_MODE",
    "ROUTER_LISTEN_ADDR",
    "ROUTER_LOAD_BALANCE_ALGORITHM",
    "ROUTER_LOG_FACILITY",
    "ROUTER_LOG_LEVEL",
    "ROUTER_LOG_MAX_LENGTH",
    "ROUTER_MAX_CONNECTIONS",
    "ROUTER_MAX_DYNAMIC_SERVERS",
    "ROUTER_MAX_REWRITE_SIZE",
    "ROUTER_METRICS_TYPE",
    "ROUTER_MUTUAL_TLS_AUTH",
    "ROUTER_MUTUAL_TLS_AUTH_CA",
    "ROUTER_MUTUAL_TLS_AUTH_CRL",
    "ROUTER_MUTUAL_TLS_AUTH_FILTER",
    "ROUTER_MUTUAL_TLS_HEADER_FILTER",
    "ROUTER_OVERRIDE_DOMAINS",
    "ROUTER_OVERRIDE_HOSTNAME",
    "ROUTER_SERVICE_HTTPS_PORT",
    "ROUTER_SERVICE_HTTP_PORT",
    "ROUTER_SERVICE_NAME",
    "ROUTER_SERVICE_NAMESPACE",
    "ROUTER_SET_FORWARDED_HEADERS",
    "ROUTER_SLOWLORIS_HTTP_KEEPALIVE",
    "ROUTER_SLOWLORIS_TIMEOUT",
    "ROUTER_STRICT_SNI",
    "ROUTER_SUBDOMAIN",
    "ROUTER_SYSLOG_ADDRESS",
    "ROUTER_SYSLOG_FORMAT",
    "ROUTER_TCP_BALANCE_SCHEME",
    "ROUTER_THREADS",
    "ROUTER_UNIQUE_ID_FORMAT",
    "ROUTER_UNIQUE_ID_HEADER_NAME",
    "ROUTER_UPDATE_STATUS",
    "ROUTER_USE_PROXY_PROTOCOL",
    "ROUTER_WATCH_ENDPOINTS",
    "ROUTE_FIELDS",
    "ROUTE_LABELS",
    "SSL_MAX_VERSION",
    "SSL_MIN_VERSION",
    "STATS_PASSWORD",
    "STATS_PASSWORD_FILE",
    "STATS_PORT",
    "STATS_USERNAME",
    "STATS_USERNAME_FILE",
    "TEMPLATE_FILE",
    "UPGRADE_VALIDATION",
];
