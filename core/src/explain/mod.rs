//! `explain`: where a request goes through a router's config, and why. It always runs on the
//! parsed config model ([`crate::hap::model::Model`]): for objects, the caller compiles them
//! and reads the result back, so routec's own output, a live router's files and another
//! router version are explained by the same code. Objects, when given, only add provenance
//! (which Route, Service or EndpointSlice a line came from) and the "why not" of routes that
//! never reached the config.
//!
//! - `request`: the URL and client options;
//! - `sample`: HAProxy's fetches, converters, ACLs and conditions;
//! - `files`: map files (with cached, prefiltered regexes), ACL files and crt-lists;
//! - `walk`: the frontend → backend → server evaluation that produces the steps;
//! - `provenance`: the objects behind the config's names;
//! - `whynot`: near-miss candidates;
//! - `table`: the route table (`--routes`);
//! - `analysis`: exact route-table findings on the map regexes;
//! - `json`, `text`: the two renderings, shared by the CLI and wasm.

pub mod analysis;
mod files;
pub mod json;
pub mod provenance;
pub mod request;
mod sample;
pub mod table;
pub mod text;
mod walk;
mod whynot;

use crate::sorted::Map;

use crate::hap::model::Model;
pub use provenance::Provenance;
pub use request::{parse as parse_request, Request, RequestError, Scheme, Sni};

/// A line of the config or of a map file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// The file, as named in the bundle.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// An input object and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The input file.
    pub file: String,
    /// 1-based line of the object (or of the field that matters).
    pub line: usize,
    /// `Route`, `Service`, `Endpoints` or `EndpointSlice`.
    pub kind: &'static str,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
}

/// What a step is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// A frontend and its bind.
    Frontend,
    /// SNI inspection in TCP mode.
    Sni,
    /// The certificate served.
    Certificate,
    /// An `http-request`/`tcp-request`/`http-response` rule.
    Rule,
    /// A `use_backend` map lookup.
    Lookup,
    /// The backend.
    Backend,
    /// The allow-list verdict.
    Allowlist,
    /// A path rewrite.
    Rewrite,
    /// The servers and their shares.
    Servers,
    /// The result.
    Outcome,
}

impl StepKind {
    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Frontend => "frontend",
            StepKind::Sni => "sni",
            StepKind::Certificate => "certificate",
            StepKind::Rule => "rule",
            StepKind::Lookup => "lookup",
            StepKind::Backend => "backend",
            StepKind::Allowlist => "allowlist",
            StepKind::Rewrite => "rewrite",
            StepKind::Servers => "servers",
            StepKind::Outcome => "outcome",
        }
    }
}

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Kind.
    pub kind: StepKind,
    /// One line.
    pub title: String,
    /// More lines.
    pub details: Vec<String>,
    /// The config or map line.
    pub at: Option<Loc>,
    /// The object.
    pub source: Option<Source>,
}

/// How the request ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// Forwarded over HTTP to a server.
    Forward,
    /// The TLS stream is passed to a server untouched.
    Passthrough,
    /// A redirect.
    Redirect,
    /// Denied or closed by a rule (allow-list, deny, reject).
    Deny,
    /// Nothing matched; the default backend answers 503.
    NoRoute,
    /// A route matched but its backend has no server that takes traffic.
    NoEndpoints,
    /// HAProxy answers by itself (`monitor-uri`, `http-request return`).
    Local,
}

impl OutcomeKind {
    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Forward => "forward",
            OutcomeKind::Passthrough => "passthrough",
            OutcomeKind::Redirect => "redirect",
            OutcomeKind::Deny => "deny",
            OutcomeKind::NoRoute => "no-route",
            OutcomeKind::NoEndpoints => "no-endpoints",
            OutcomeKind::Local => "local",
        }
    }
}

/// The result in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Kind.
    pub kind: OutcomeKind,
    /// The HTTP status the client sees, when HAProxy answers.
    pub status: Option<u16>,
    /// One line.
    pub summary: String,
    /// The backend, when one was chosen.
    pub backend: Option<String>,
    /// Servers that can answer (weight > 0).
    pub servers: Vec<String>,
    /// Redirect target.
    pub location: Option<String>,
}

/// A path rewrite (`rewrite-target`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// The regex.
    pub pattern: String,
    /// The replacement, as written.
    pub replacement: String,
    /// The path the server sees.
    pub path: String,
}

/// A server and its share of new connections.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerView {
    /// Name.
    pub name: String,
    /// Address as written.
    pub address: String,
    /// Port.
    pub port: Option<u16>,
    /// The pod, from the router's server name.
    pub pod: Option<String>,
    /// Weight (HAProxy's default is 1).
    pub weight: u32,
    /// Share of new connections, 0..1.
    pub share: f64,
    /// Where.
    pub at: Loc,
    /// The EndpointSlice or Endpoints.
    pub source: Option<Source>,
}

/// The backend that answers.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendView {
    /// Name.
    pub name: String,
    /// The route, from the router's backend name.
    pub route: Option<(String, String)>,
    /// `http` or `tcp`.
    pub mode: String,
    /// Balance algorithm.
    pub balance: String,
    /// Where.
    pub at: Loc,
    /// The stickiness cookie's name.
    pub cookie: Option<String>,
    /// `timeout …` settings.
    pub timeouts: Vec<(String, String)>,
    /// Path rewrite.
    pub rewrite: Option<Rewrite>,
    /// Servers in order.
    pub servers: Vec<ServerView>,
    /// The Route.
    pub source: Option<Source>,
}

/// A route that did not take the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// `namespace/name`, or a backend name when only the config is known.
    pub route: String,
    /// Host.
    pub host: String,
    /// Path.
    pub path: String,
    /// Why it lost.
    pub reason: String,
    /// A config or map line.
    pub at: Option<Loc>,
    /// The object.
    pub source: Option<Source>,
}

/// A Service port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePort {
    /// Name.
    pub name: Option<String>,
    /// Port.
    pub port: i64,
    /// Target port (number or name).
    pub target_port: String,
    /// Protocol.
    pub protocol: String,
    /// Node port.
    pub node_port: Option<i64>,
}

/// The Service behind a backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceView {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Cluster DNS name.
    pub dns: String,
    /// `ClusterIP`, `Headless`, `NodePort`, `LoadBalancer` or `ExternalName`.
    pub kind: String,
    /// Cluster IP.
    pub cluster_ip: Option<String>,
    /// Ports.
    pub ports: Vec<ServicePort>,
    /// How the router uses it.
    pub note: String,
    /// Where.
    pub source: Option<Source>,
}

/// The whole answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The request.
    pub request: Request,
    /// The port connected to (the URL's, or the router's bind port).
    pub port: u16,
    /// Steps in order.
    pub steps: Vec<Step>,
    /// Outcome.
    pub outcome: Outcome,
    /// The backend that answers.
    pub backend: Option<BackendView>,
    /// Near misses.
    pub why_not: Vec<Candidate>,
    /// The Service.
    pub service: Option<ServiceView>,
}

/// Explains requests against one model. Building it indexes the maps; each query then reads
/// only the entries whose literal prefix fits the request.
pub struct Explainer<'m> {
    model: &'m Model,
    files: files::Index<'m>,
    prov: Option<&'m Provenance>,
}

impl<'m> Explainer<'m> {
    /// `extra` holds the files beside the config that are neither maps nor crt-lists (ACL files
    /// such as `router/allowlists/*.txt`), by name.
    pub fn new(model: &'m Model, extra: &'m Map<String, Vec<u8>>, prov: Option<&'m Provenance>) -> Self {
        Self { model, files: files::Index::new(model, extra), prov }
    }

    /// Explains one request.
    pub fn explain(&self, req: &Request) -> Explanation {
        let mut ex = walk::run(self.model, &self.files, self.prov, req);
        ex.why_not = whynot::candidates(&self.files, self.prov, req, &ex);
        ex
    }

    /// The route table.
    pub fn routes(&self) -> table::RouteTable {
        table::build(self.model, &self.files, self.prov)
    }
}

/// A loaded config with what explain needs beside it: the one entry point for the CLI and
/// wasm, so both explain the same way.
pub struct Session {
    /// The config's model.
    pub model: Model,
    /// Problems found while reading the files.
    pub problems: Vec<crate::hap::model::Problem>,
    /// ACL files and other files beside the config.
    pub extra: Map<String, Vec<u8>>,
    /// The objects, when given.
    pub prov: Option<Provenance>,
}

impl Session {
    /// Reads a router's files back. Files of the bundle that the config uses as ACL files
    /// (`-f`) are also kept as patterns.
    pub fn from_bundle(
        bundle: &crate::hap::model::Bundle,
        extra: Map<String, Vec<u8>>,
        prov: Option<Provenance>,
    ) -> Self {
        let (model, problems) = crate::hap::model::build(bundle, &crate::hap::cook::Env::default());
        let mut extra = extra;
        let missing: Vec<(String, Vec<u8>)> =
            bundle.files.iter().filter(|(k, _)| !extra.contains_key(*k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        extra.extend(missing);
        Self { model, problems, extra, prov }
    }

    /// Compiles nothing itself: reads a compile's output back, as HAProxy would read those
    /// files, and indexes `sources` (the compile's inputs) for provenance.
    pub fn from_output(
        out: &crate::Output,
        sources: &[crate::SourceFile],
        default_certificate: Option<&str>,
        settings: &crate::Settings,
    ) -> Self {
        let bundle = crate::hap::bundle_from_output(&out.files);
        let extra = out
            .files
            .iter()
            .filter(|f| f.path.starts_with("router/allowlists/"))
            .map(|f| (f.path.clone(), f.contents.clone().into_bytes()))
            .collect();
        // Inputs over the input budget were not read by the compile, so the index must not
        // read them either (it would parse what the budget refused).
        let over = out.diagnostics.iter().any(|d| d.code == "routec::input::too-large");
        let prov = Provenance::new(
            if over { &[] } else { sources },
            &out.status,
            default_certificate,
            settings.is_true("ROUTER_ALLOW_WILDCARD_ROUTES"),
        );
        Self::from_bundle(&bundle, extra, Some(prov))
    }

    /// An explainer over this session.
    pub fn explainer(&self) -> Explainer<'_> {
        Explainer::new(&self.model, &self.extra, self.prov.as_ref())
    }
}

/// The route-table findings of a compile, as diagnostics on the Routes they are about: what
/// `routec check` adds to the compile's own findings.
pub fn route_findings(
    out: &crate::Output,
    sources: &[crate::SourceFile],
    settings: &crate::Settings,
    default_certificate: Option<&str>,
) -> Vec<crate::Diagnostic> {
    let session = Session::from_output(out, sources, default_certificate, settings);
    let table = session.explainer().routes();
    let findings = table
        .findings
        .into_iter()
        .map(|f| {
            let mut d = crate::Diagnostic::new(f.code, crate::Severity::Warning, f.message);
            let span = f.route.as_ref().and_then(|(ns, name)| session.prov.as_ref()?.route(ns, name)).map(|r| r.span);
            if let Some(span) = span {
                d = d.at(span, "this route");
            }
            d.help("see `routec explain --routes` for the route table and the map lines involved")
        })
        .collect::<Vec<_>>();
    // A safety net: whatever the objects, the config must be one HAProxy loads (no name it
    // refuses twice, say). Deduplication makes this unreachable today; if a change breaks
    // that, `check` fails instead of passing a config that takes the router down.
    let refused = session.problems.iter().filter(|p| p.fatal).map(|p| {
        crate::Diagnostic::error(
            "routec::output::haproxy-refuses",
            format!("the compiled {} would not load in HAProxy: {}", p.file, p.message),
        )
        .help("this is a routec bug; please report it with the inputs")
    });
    let mut all: Vec<crate::Diagnostic> = refused.collect();
    all.extend(crate::suppress::apply(&out.ignores, findings));
    all
}

#[cfg(test)]
mod tests {
    use super::route_findings;
    use crate::compile::{Output, OutputFile};

    /// The safety net fires on a config HAProxy refuses, even though no input reaches it.
    #[test]
    fn a_config_haproxy_refuses_is_an_error() {
        let out = crate::compile(&[], &crate::Settings::new(), &crate::Options::default());
        let config = "backend be_http:a:b\n  server s 10.0.0.1:80\nbackend be_http:a:b\n  server s 10.0.0.1:80\n";
        let files = vec![OutputFile { path: "conf/haproxy.config".into(), contents: config.into() }];
        let broken = Output { files, ..out };
        let found = route_findings(&broken, &[], &crate::Settings::new(), None);
        assert!(
            found.iter().any(|d| d.code == "routec::output::haproxy-refuses" && d.message.contains("same name")),
            "{found:?}"
        );
    }
}
