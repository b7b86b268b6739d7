//! The compile pipeline: load → validate → admit → compile → emit. Takes input files and router
//! settings, returns the router's files, the admission status of every route, and diagnostics.

pub mod alias;
pub mod backend;
pub mod guard;
pub mod maps;
pub mod status;
pub mod template;

use std::collections::HashMap;

use crate::admission::{self, Outcome};
use crate::diag::{Diagnostic, Diagnostics};
use crate::endpoints;
use crate::gotext::is_true;
use crate::haproxy::{
    emit::{append_section, emit},
    model::Word,
    Config,
};
use crate::loader;
use crate::objects::Route;
use crate::settings::Settings;
use crate::source::SourceFile;
use alias::Alias;

/// The HAProxy version the output must load in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// What the current router template emits (HAProxy 2.8+).
    #[default]
    Haproxy28,
    /// Drops keywords HAProxy 2.6 does not know (`no-alpn` on the TLS binds).
    Haproxy26,
}

/// Compile options that are not router settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// The router's working directory as it appears inside the config.
    pub base_dir: String,
    /// Target HAProxy version.
    pub profile: Profile,
    /// The default certificate (PEM: certificate chain and key), if supplied.
    pub default_certificate: Option<String>,
    /// Emit the route backends of large inputs on two threads (the output is the same).
    pub parallel: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            base_dir: "/var/lib/haproxy".to_owned(),
            profile: Profile::default(),
            default_certificate: None,
            parallel: true,
        }
    }
}

/// One output file, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path, e.g. `conf/haproxy.config`.
    pub path: String,
    /// Contents.
    pub contents: String,
}

/// Everything a compile produces.
#[derive(Debug, Clone)]
pub struct Output {
    /// Files in a fixed order.
    pub files: Vec<OutputFile>,
    /// Admission results.
    pub status: status::Report,
    /// Findings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Output {
    /// The file at `path`.
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files.iter().find(|f| f.path == path).map(|f| f.contents.as_str())
    }
}

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

/// Compiles the objects in `files` with `settings`.
pub fn compile(files_in: &[SourceFile], settings: &Settings, opts: &Options) -> Output {
    let mut diags = Diagnostics::default();
    check_settings(settings, &mut diags);
    let mut objs = loader::load(files_in, &mut diags);
    let tables = endpoints::build(&mut objs, settings, &mut diags);
    // Services and endpoints live on in the tables; free them before the output grows.
    objs.services = Vec::new();
    objs.endpoints = Vec::new();
    objs.slices = Vec::new();
    objs.routes.shrink_to_fit();
    let mut adm = admission::admit(&mut objs, settings, &mut diags);
    for (r, o) in objs.routes.iter().zip(adm.outcomes.iter_mut()) {
        guard::check_annotations(r, &mut diags);
        if *o == Outcome::Admitted && !guard::check_route(r, &mut diags) {
            *o = Outcome::Rejected {
                reason: "InvalidInput",
                message: "routec refused a value that could inject configuration".into(),
            };
        }
    }
    let ctx = context(settings, opts, &mut diags);
    let wildcards = settings.is_true("ROUTER_ALLOW_WILDCARD_ROUTES");
    let mut admitted: Vec<&Route> =
        objs.routes.iter().zip(&adm.outcomes).filter(|(_, o)| **o == Outcome::Admitted).map(|(r, _)| &**r).collect();
    admitted.sort_by_cached_key(|r| r.key());

    // Each route's model is built, emitted and dropped in turn, so the typed model of a
    // 50k-route config is never held in memory at once; only its map lines are kept.
    let mut files = Vec::new();
    let mut config = emit(&Config { sections: template::sections(&ctx) });
    config.reserve(admitted.len() * 1400);
    let cert_uses = maps::cert_uses(&admitted, settings);
    let job = Job { tables: &tables, ctx: &ctx, wildcards, cert_uses: &cert_uses, parallel: opts.parallel };
    let mut first = Part::new(config, &cert_uses);
    let rest = emit_parallel(&admitted, &job, &mut first);
    let mut maps = first.maps;
    let mut allowlists = first.allowlists;
    let mut config = first.config;
    for d in first.diags.into_vec() {
        diags.push(d);
    }
    for part in rest {
        // Sections are separated by a blank line; a part starts without one.
        if !part.config.is_empty() {
            config.push('\n');
        }
        config.push_str(&part.config);
        maps.merge(part.maps);
        allowlists.extend(part.allowlists);
        for d in part.diags.into_vec() {
            diags.push(d);
        }
    }
    files.push(OutputFile { path: "conf/haproxy.config".into(), contents: config });
    files.extend(maps.finish(settings));
    files.extend(cert_files(&admitted, &ctx, opts, settings, &mut diags));
    for (name, body) in allowlists {
        files.push(OutputFile { path: format!("router/allowlists/{name}"), contents: body });
    }
    files.push(OutputFile { path: "conf/error-page-503.http".into(), contents: ERROR_503.replace('\n', "\r\n") });
    files.push(OutputFile { path: "conf/error-page-404.http".into(), contents: ERROR_404.replace('\n', "\r\n") });
    let inputs = files_in.iter().map(|f| f.name.rsplit('/').next().unwrap_or(&f.name).to_owned()).collect();
    drop(admitted);
    let status = status::Report::new(std::mem::take(&mut objs.routes), &adm, &tables, inputs);
    Output { files, status, diagnostics: diags.into_vec() }
}

const ERROR_503: &str = "HTTP/1.0 503 Service Unavailable
Pragma: no-cache
Cache-Control: private, max-age=0, no-cache, no-store
Connection: close
Content-Type: text/html

<html><head><title>Application is not available</title></head>
<body><h1>Application is not available</h1>
<p>The application is currently not serving requests at this endpoint. It may not have been started or is still starting.</p>
</body></html>
";

const ERROR_404: &str = "HTTP/1.0 404 Not Found
Pragma: no-cache
Cache-Control: private, max-age=0, no-cache, no-store
Connection: close
Content-Type: text/html

<html><head><title>Application is not available</title></head>
<body><h1>Application is not available</h1>
<p>No route matches the requested host and path.</p>
</body></html>
";

/// Settings values are emitted verbatim, as the router does, so they must not hold line breaks.
fn check_settings(settings: &Settings, diags: &mut Diagnostics) {
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

fn context<'a>(settings: &'a Settings, opts: &Options, diags: &mut Diagnostics) -> Ctx<'a> {
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

/// What emitting a run of route backends needs.
struct Job<'a> {
    tables: &'a endpoints::Tables,
    ctx: &'a Ctx<'a>,
    wildcards: bool,
    cert_uses: &'a HashMap<&'a str, usize>,
    parallel: bool,
}

/// The output of a run of routes, in route order.
struct Part<'a> {
    config: String,
    allowlists: Vec<(String, String)>,
    maps: maps::Collector<'a>,
    diags: Diagnostics,
}

impl<'a> Part<'a> {
    fn new(config: String, cert_uses: &'a HashMap<&'a str, usize>) -> Self {
        Self { config, allowlists: Vec::new(), maps: maps::Collector::new(cert_uses), diags: Diagnostics::default() }
    }

    fn emit(&mut self, routes: &[&Route], job: &Job<'_>) {
        for r in routes {
            let a = Alias::new(r, job.tables, job.wildcards);
            missing_services(&a, job.tables, &mut self.diags);
            let built = backend::build(&a, job.ctx);
            append_section(&mut self.config, &built.section);
            self.allowlists.extend(built.allowlist_file);
            self.maps.add(&a, job.ctx);
        }
    }
}

/// Emits the route backends into `first`, and on large inputs the second half on another
/// thread; the halves are joined in route order, so the output is the same either way.
fn emit_parallel<'a>(routes: &[&Route], job: &Job<'a>, first: &mut Part<'a>) -> Vec<Part<'a>> {
    const PARALLEL_FROM: usize = 2000;
    if cfg!(target_arch = "wasm32") || !job.parallel || routes.len() < PARALLEL_FROM {
        first.emit(routes, job);
        return Vec::new();
    }
    let (head, tail) = routes.split_at(routes.len() / 2);
    let second = std::thread::scope(|sc| {
        let handle = sc.spawn(|| {
            let mut p = Part::new(String::with_capacity(tail.len() * 1400), job.cert_uses);
            p.emit(tail, job);
            p
        });
        first.emit(head, job);
        handle.join().ok()
    });
    match second {
        Some(p) => vec![p],
        // The worker cannot fail short of a bug; emitting the half here keeps the output whole.
        None => {
            let mut p = Part::new(String::new(), job.cert_uses);
            p.emit(tail, job);
            vec![p]
        }
    }
}

/// Warns about an admitted route whose services have no endpoints: its backend answers 503.
fn missing_services(a: &Alias<'_>, tables: &endpoints::Tables, diags: &mut Diagnostics) {
    if !a.has_no_servers() {
        return;
    }
    let known = a.units.iter().any(|u| tables.by_service.contains_key(&u.key));
    let what = if known {
        "has no ready endpoints matching the route's port"
    } else {
        "has no Endpoints or EndpointSlices in the input"
    };
    diags.push(
        Diagnostic::warning(
            "routec::route::no-endpoints",
            format!(
                "route {}/{}: service `{}` {what}; the backend will answer 503",
                a.route.meta.namespace.value, a.route.meta.name.value, a.route.to.name.value
            ),
        )
        .at(a.route.to.name.span.unwrap_or(a.route.meta.span), "no servers for this backend"),
    );
}

fn cert_files(
    routes: &[&Route],
    ctx: &Ctx<'_>,
    opts: &Options,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let default = settings.get("DEFAULT_CERTIFICATE").map(str::to_owned).or_else(|| opts.default_certificate.clone());
    match default {
        Some(pem) => out.push(OutputFile { path: "router/certs/default.pem".into(), contents: pem }),
        None if settings.get("DEFAULT_CERTIFICATE_PATH").is_none() => diags.push(
            Diagnostic::warning("routec::output::no-default-certificate", "no default certificate was supplied; router/certs/default.pem is not written")
                .help("pass --default-certificate DIR (holding tls.crt and tls.key) or FILE; routec never generates a random one, so output stays deterministic"),
        ),
        None => {}
    }
    for r in routes {
        let Some(t) = &r.tls else { continue };
        let term = t.termination.as_str();
        if !matches!(term, "edge" | "reencrypt") {
            continue;
        }
        let key = r.key();
        let has_pair = !t.certificate.is_empty() && !t.key.is_empty();
        let reenc_ca = term == "reencrypt" && (!t.destination_ca.is_empty() || ctx.default_dest_ca.is_some());
        if !has_pair && !reenc_ca {
            continue;
        }
        if !t.certificate.is_empty() {
            let mut body = String::new();
            body.push_str(t.key.as_str());
            body.push('\n');
            body.push_str(t.certificate.as_str());
            if !t.ca_certificate.is_empty() {
                body.push('\n');
                body.push_str(t.ca_certificate.as_str());
            }
            out.push(OutputFile { path: format!("router/certs/{key}.pem"), contents: body });
        }
        if term == "reencrypt" && !t.destination_ca.is_empty() {
            out.push(OutputFile {
                path: format!("router/cacerts/{key}.pem"),
                contents: t.destination_ca.value.clone(),
            });
        }
    }
    out
}
