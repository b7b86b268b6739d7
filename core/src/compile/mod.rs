//! The compile pipeline: load → validate → admit → compile → emit. Takes input files and router
//! settings, returns the router's files, the admission status of every route, and diagnostics.

pub mod alias;
pub mod backend;
mod blueprints;
pub mod context;
mod files;
pub mod guard;
pub mod maps;
mod routes;
pub mod status;
pub mod template;

use crate::admission::{self, Outcome};
use crate::cluster;
use crate::diag::{Diagnostic, Diagnostics};
use crate::endpoints;
use crate::haproxy::{emit::emit, Config};
use crate::loader;
use crate::objects::Route;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::validate;
pub use context::Ctx;
use context::{check_settings, context};
use files::{cert_files, error_pages};
use routes::{emit_parallel, Job, Part};

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
    /// The current time (seconds since the epoch) for certificate date checks; `None` skips
    /// them, since the core reads no clock.
    pub now: Option<i64>,
    /// Keep, for every emitted section, the words HAProxy must read back (`Output::intent`);
    /// the round-trip tests use it.
    pub keep_intent: bool,
    /// Render this router template (`haproxy-config.template` or a customised one) instead
    /// of using the built-in emitter.
    pub template: Option<crate::template::RouterTemplate>,
    /// The cluster's ingress domain (`ingresses.config.openshift.io/cluster` `spec.domain`):
    /// a route with neither `spec.host` nor `spec.subdomain` gets `<name>-<namespace>.<domain>`,
    /// as openshift-apiserver assigns it when the route is created.
    pub ingress_domain: Option<String>,
    /// The IngressController whose settings apply when one is among the inputs (and whose
    /// Deployment is `router-<name>`).
    pub ingress_controller_name: String,
    /// The resource budgets the inputs are read within.
    pub limits: crate::limits::Limits,
    /// Called as each stage of the compile ends, with its name: `load`, `admit` (validation,
    /// endpoints and admission), `emit` or `render` (the built-in emitter or the template),
    /// `finish` (certificate files, status). The core reads no clock; a caller with one can
    /// time the stages this way (the CLI's `-v`).
    pub on_phase: Option<fn(&'static str)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            base_dir: "/var/lib/haproxy".to_owned(),
            profile: Profile::default(),
            default_certificate: None,
            parallel: true,
            now: None,
            keep_intent: false,
            template: None,
            ingress_domain: None,
            ingress_controller_name: "default".to_owned(),
            on_phase: None,
            limits: crate::limits::Limits::default(),
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
    /// With `Options::keep_intent`: each section's intended statements (header first), in the
    /// order they are written.
    pub intent: Vec<Vec<Vec<String>>>,
    /// The objects' `routec.io/ignore` suppressions, for findings made after the compile
    /// (`explain::route_findings`).
    pub ignores: Vec<crate::suppress::Ignore>,
    /// The settings the output was compiled with: the caller's over those derived from an
    /// IngressController or router Deployment among the inputs, each with its origin.
    pub settings: crate::cluster::InEffect,
}

impl Output {
    /// The file at `path`.
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files.iter().find(|f| f.path == path).map(|f| f.contents.as_str())
    }
}

/// What `routec check` reports out of a compile's diagnostics: everything except findings
/// about the files a compile would write, since a check writes none.
pub fn check_findings(all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    all.into_iter().filter(|d| !d.code.starts_with("routec::output::")).collect()
}

/// Compiles the objects in `files` with `settings`. An IngressController or router
/// Deployment among the inputs adds the settings the operator derives, below the caller's.
pub fn compile(files_in: &[SourceFile], caller: &Settings, opts_in: &Options) -> Output {
    let mut diags = Diagnostics::default();
    // Loading comes first, since the inputs may hold settings; its findings are still
    // reported after the settings' own, in the order a reader meets them.
    let mut load_diags = Diagnostics::default();
    let mut objs = loader::load_limited(files_in, &opts_in.limits, &mut load_diags);
    let resolved = cluster::resolve(&objs.cluster, &opts_in.ingress_controller_name, &mut load_diags);
    let in_effect = cluster::in_effect(&resolved, caller);
    let settings = in_effect.settings();
    let phase = |name| {
        if let Some(f) = opts_in.on_phase {
            f(name);
        }
    };
    phase("load");
    let with_domain;
    let opts = match (&opts_in.ingress_domain, &resolved.ingress_domain) {
        (None, Some(d)) => {
            with_domain = Options { ingress_domain: Some(d.clone()), ..opts_in.clone() };
            &with_domain
        }
        _ => opts_in,
    };
    let cleaned = check_settings(settings, &mut diags);
    let settings = cleaned.as_ref().unwrap_or(settings);
    let startup = crate::startup::check(settings, &mut diags);
    for d in load_diags.into_vec() {
        diags.push(d);
    }
    let ignores = crate::suppress::collect(&objs, &mut diags);
    // Unreadable inputs are errors already; an empty result of readable ones is the surprise.
    if objs.routes.is_empty() && !files_in.is_empty() && !diags.has_errors() {
        diags.push(
            Diagnostic::warning("routec::input::no-routes", "the inputs hold no Route: the config routes nothing")
                .help("check the input paths; routec compiles Routes (route.openshift.io/v1) with their Services and endpoints"),
        );
    }
    if let Some(domain) = opts.ingress_domain.as_deref().filter(|d| !d.is_empty()) {
        admission::hostname::allocate(&mut objs.routes, domain);
    }
    let tables = endpoints::build(&mut objs, settings, &mut diags);
    validate::routes(&objs, opts.now, &mut diags);
    objs.routes.shrink_to_fit();
    let mut adm = admission::admit(&mut objs, settings, opts.now, &mut diags);
    for (r, o) in objs.routes.iter().zip(adm.outcomes.iter_mut()) {
        guard::check_annotations(r, &mut diags);
        // Every route is checked, so hostile text is reported even on a route the router
        // rejects for another reason.
        if !guard::check_route(r, &mut diags) && *o == Outcome::Admitted {
            *o = Outcome::Rejected {
                reason: "InvalidInput",
                message: "routec refused a value that could inject configuration".into(),
            };
        }
    }
    let admitted_idx: Vec<usize> =
        adm.outcomes.iter().enumerate().filter(|(_, o)| **o == Outcome::Admitted).map(|(i, _)| i).collect();
    validate::backends(&objs, &tables, &admitted_idx, &mut diags);
    drop(admitted_idx);
    // Services and endpoints live on in the tables; free them before the output grows.
    objs.services = Vec::new();
    objs.endpoints = Vec::new();
    objs.slices = Vec::new();
    let ctx = context(settings, startup, opts, &mut diags);
    phase("admit");
    let wildcards = settings.is_true("ROUTER_ALLOW_WILDCARD_ROUTES");
    let pools = if ctx.dynamic { blueprints::pool_routes(settings, &mut diags) } else { Vec::new() };
    let mut admitted: Vec<&Route> =
        objs.routes.iter().zip(&adm.outcomes).filter(|(_, o)| **o == Outcome::Admitted).map(|(r, _)| &**r).collect();
    admitted.extend(pools.iter());
    let mut keyed: Vec<(String, &Route)> = admitted.into_iter().map(|r| (r.key(), r)).collect();
    crate::sort::sort_by(&mut keyed, |a, b| a.0.cmp(&b.0));
    let admitted: Vec<&Route> = keyed.into_iter().map(|(_, r)| r).collect();

    let cert_uses = maps::cert_uses(&admitted, settings);
    let (mut files, allowlists, intent) = match &opts.template {
        Some(t) => {
            let inputs = crate::template::Inputs {
                routes: &admitted,
                tables: &tables,
                ctx: &ctx,
                cert_uses: &cert_uses,
                wildcards,
            };
            let r = crate::template::render(t, &inputs, &mut diags);
            (r.files, r.allowlists, Vec::new())
        }
        None => builtin(&admitted, &tables, &ctx, &cert_uses, wildcards, opts, &mut diags),
    };
    phase(if opts.template.is_some() { "render" } else { "emit" });
    files.extend(cert_files(&admitted, &ctx, opts, settings, &mut diags));
    for (name, body) in allowlists {
        files.push(OutputFile { path: format!("router/allowlists/{name}"), contents: body });
    }
    files.extend(error_pages());
    let inputs = files_in.iter().map(|f| f.name.rsplit('/').next().unwrap_or(&f.name).to_owned()).collect();
    drop(admitted);
    let status = status::Report::new(std::mem::take(&mut objs.routes), &adm, &tables, inputs);
    let diagnostics = crate::suppress::apply(&ignores, diags.into_vec());
    phase("finish");
    Output { files, status, diagnostics, intent, ignores, settings: in_effect }
}

/// What an emitter writes: `haproxy.config` and the maps, the allow-list files as (name,
/// contents), and with `Options::keep_intent` each section's intended statements.
type Emitted = (Vec<OutputFile>, Vec<(String, String)>, Vec<Vec<Vec<String>>>);

/// The built-in emitter: `haproxy.config` and the map files, the allow-list files, and with
/// `Options::keep_intent` each section's intended statements.
fn builtin<'a>(
    admitted: &[&'a Route],
    tables: &'a endpoints::Tables,
    ctx: &'a Ctx<'a>,
    cert_uses: &'a crate::hash::FastMap<&'a str, usize>,
    wildcards: bool,
    opts: &Options,
    diags: &mut Diagnostics,
) -> Emitted {
    // Each route's model is built, emitted and dropped in turn, so the typed model of a
    // 50k-route config is never held in memory at once; only its map lines are kept.
    let mut files = Vec::new();
    let fixed = Config { sections: template::sections(ctx) };
    let mut intent: Vec<Vec<Vec<String>>> =
        if opts.keep_intent { fixed.sections.iter().map(|s| s.intended_words()).collect() } else { Vec::new() };
    let mut config = emit(&fixed);
    drop(fixed);
    config.reserve(admitted.len() * 1400);
    let job = Job { tables, ctx, wildcards, cert_uses, parallel: opts.parallel, keep_intent: opts.keep_intent };
    let mut first = Part::new(config, cert_uses);
    let rest = emit_parallel(admitted, &job, &mut first);
    let mut maps = first.maps;
    let mut allowlists = first.allowlists;
    let mut config = first.config;
    intent.append(&mut first.intent);
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
        intent.extend(part.intent);
        allowlists.extend(part.allowlists);
        for d in part.diags.into_vec() {
            diags.push(d);
        }
    }
    files.push(OutputFile { path: "conf/haproxy.config".into(), contents: config });
    files.extend(maps.finish(ctx.settings));
    (files, allowlists, intent)
}
