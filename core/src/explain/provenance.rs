//! The objects behind a config's names: which Route a backend came from, which EndpointSlice
//! or Endpoints an address, which Service a route sends to, and which certificate a
//! `router/certs/*.pem` file holds. Built from the input files and the compile's admission
//! report; explain reads it only for provenance and "why not", never to decide routing.

use super::{ServicePort, ServiceView, Source};
use crate::admission::Outcome as Admission;
use crate::compile::status::Report;
use crate::diag::Diagnostics;
use crate::source::{LineIndex, SourceFile, Span};

/// A route as the router saw it.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Host after generation.
    pub host: String,
    /// Path.
    pub path: String,
    /// `edge`, `passthrough`, `reencrypt` or "" (plain HTTP).
    pub termination: String,
    /// `None`, `Allow`, `Redirect` or "".
    pub insecure: String,
    /// `Subdomain` wildcard policy.
    pub wildcard: bool,
    /// The service it sends to.
    pub service: String,
    /// Every backend service with its weight (`to` first, then `alternateBackends`).
    pub weights: Vec<(String, i64)>,
    /// What admission decided.
    pub outcome: Admission,
    /// Where.
    pub source: Source,
    /// The Route object's span, for diagnostics.
    pub span: Span,
}

/// A certificate's names.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// Subject DN.
    pub subject: String,
    /// DNS SANs, or the CN when there are none.
    pub names: Vec<String>,
    /// The Route it came from (or none for the default certificate).
    pub source: Option<Source>,
}

impl CertInfo {
    /// Whether a TLS client checking `host` accepts the certificate's names.
    pub fn covers(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.names.iter().any(|n| {
            let n = n.to_ascii_lowercase();
            match n.strip_prefix("*.") {
                Some(d) => host.split_once('.').is_some_and(|(l, rest)| !l.is_empty() && rest == d),
                None => n == host,
            }
        })
    }

    /// Reads the first certificate of a PEM text. Keys in the text are never looked at.
    pub fn from_pem(pem: &str, source: Option<Source>) -> Option<Self> {
        let block = crate::tls::pem::decode_all(pem).into_iter().find(|b| b.kind == "CERTIFICATE")?;
        // Bytes after the certificate are allowed here, as they always were.
        let (cert, _) = crate::tls::cert::parse(&block.der)?;
        let subject = crate::tls::name::display(&cert.subject);
        let mut names: Vec<String> = cert.dns_names().unwrap_or_default().into_iter().map(str::to_owned).collect();
        if names.is_empty() {
            if let Some(cn) = crate::tls::name::common_name(&cert.subject) {
                names.push(cn.to_owned());
            }
        }
        Some(Self { subject, names, source })
    }
}

/// Everything explain knows about the objects.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// Every route, in input order.
    pub routes: Vec<RouteInfo>,
    /// (namespace, service) → the service, sorted (`crate::sorted`).
    services: Vec<((String, String), ServiceView)>,
    /// (namespace, service) → (address, where), sorted and grouped.
    addresses: Vec<((String, String), (String, Source))>,
    /// Certificate file name (`ns:name.pem`, `default.pem`) → names, sorted.
    certs: Vec<(String, CertInfo)>,
    /// The router's settings that explain's "why not" reads.
    pub wildcards_allowed: bool,
}

struct Locator<'a> {
    files: &'a [SourceFile],
    index: Vec<Option<LineIndex>>,
}

impl Locator<'_> {
    fn line(&mut self, span: Span) -> (String, usize) {
        let k = span.file as usize;
        let Some(f) = self.files.get(k) else { return (String::new(), 0) };
        let idx = self.index.get_mut(k).map(|i| i.get_or_insert_with(|| LineIndex::new(&f.text)));
        let line = idx.map_or(0, |i| i.line_of(span.start as usize) + 1);
        (f.name.clone(), line)
    }

    fn source(&mut self, span: Span, kind: &'static str, namespace: &str, name: &str) -> Source {
        let (file, line) = self.line(span);
        Source { file, line, kind, namespace: namespace.to_owned(), name: name.to_owned() }
    }
}

impl Provenance {
    /// Indexes the objects of `files`; `report` is the compile's admission report and
    /// `default_cert` the default certificate's PEM, when known.
    pub fn new(files: &[SourceFile], report: &Report, default_cert: Option<&str>, wildcards_allowed: bool) -> Self {
        let mut sink = Diagnostics::default();
        let objs = crate::loader::load(files, &mut sink);
        let mut loc = Locator { files, index: vec![None; files.len()] };
        let mut p = Provenance { wildcards_allowed, ..Self::default() };
        let status =
            crate::sorted::last_wins(report.routes.iter().map(|r| ((r.namespace.as_str(), r.name.as_str()), r)));
        for r in &objs.routes {
            let (ns, name) = (r.meta.namespace.as_str(), r.meta.name.as_str());
            let source = loc.source(r.meta.span, "Route", ns, name);
            let st = crate::sorted::get(&status, &(ns, name));
            let termination = r.termination_text().to_owned();
            if let Some(tls) = &r.tls {
                if !tls.certificate.is_empty() {
                    if let Some(c) = CertInfo::from_pem(tls.certificate.as_str(), Some(source.clone())) {
                        p.certs.push((format!("{ns}:{name}.pem"), c));
                    }
                }
            }
            p.routes.push(RouteInfo {
                namespace: ns.to_owned(),
                name: name.to_owned(),
                host: st.map_or_else(|| r.host.value.clone(), |s| s.host.clone()),
                path: r.path.value.clone(),
                termination,
                insecure: r.insecure_policy().to_owned(),
                wildcard: r.wildcard_policy.as_str() == "Subdomain",
                service: r.to.name.value.clone(),
                weights: std::iter::once(&r.to)
                    .chain(&r.alternates)
                    .map(|b| (b.name.value.clone(), b.weight))
                    .collect(),
                outcome: st.map_or(Admission::Admitted, |s| s.outcome.clone()),
                source,
                span: r.meta.span,
            });
        }
        if let Some(pem) = default_cert {
            if let Some(c) = CertInfo::from_pem(pem, None) {
                p.certs.push(("default.pem".into(), c));
            }
        }
        for s in &objs.services {
            let (ns, name) = (s.meta.namespace.as_str(), s.meta.name.as_str());
            let source = loc.source(s.meta.span, "Service", ns, name);
            let headless = s.cluster_ip == "None";
            let kind = match s.kind.as_str() {
                _ if headless => "Headless",
                "" => "ClusterIP",
                k => k,
            };
            let note = match kind {
                "ExternalName" => "an ExternalName service has no endpoints of its own; the router has no servers for it".into(),
                "Headless" => "headless: no ClusterIP; the router sends to the pod IPs of its endpoints, as always".into(),
                "NodePort" | "LoadBalancer" => format!(
                    "{kind}: the node ports and load balancer are for traffic from outside the router; the router sends straight to the pod IPs"
                ),
                _ => "the router sends straight to the pod IPs of the endpoints and bypasses the ClusterIP (except for an idled service, which it wakes through the ClusterIP)".into(),
            };
            let view = ServiceView {
                namespace: ns.to_owned(),
                name: name.to_owned(),
                dns: format!("{name}.{ns}.svc.cluster.local"),
                kind: kind.to_owned(),
                cluster_ip: Some(s.cluster_ip.clone()).filter(|c| !c.is_empty() && c != "None"),
                ports: s
                    .ports
                    .iter()
                    .map(|pt| ServicePort {
                        name: Some(pt.name.clone()).filter(|n| !n.is_empty()),
                        port: pt.port,
                        target_port: if pt.target_port.is_empty() {
                            pt.port.to_string()
                        } else {
                            pt.target_port.clone()
                        },
                        protocol: if pt.protocol.is_empty() { "TCP".into() } else { pt.protocol.clone() },
                        node_port: None,
                    })
                    .collect(),
                note,
                source: Some(source),
            };
            p.services.push(((ns.to_owned(), name.to_owned()), view));
        }
        for e in &objs.endpoints {
            let (ns, name) = (e.meta.namespace.as_str(), e.meta.name.as_str());
            for sub in &e.subsets {
                for a in sub.addresses.iter().chain(&sub.not_ready) {
                    let src = loc.source(a.span.unwrap_or(e.meta.span), "Endpoints", ns, name);
                    p.addresses.push(((ns.to_owned(), name.to_owned()), (a.ip.clone(), src)));
                }
            }
        }
        for sl in &objs.slices {
            let ns = sl.meta.namespace.as_str();
            for ep in &sl.endpoints {
                for a in &ep.addresses {
                    let src = loc.source(ep.span.unwrap_or(sl.meta.span), "EndpointSlice", ns, sl.meta.name.as_str());
                    p.addresses.push(((ns.to_owned(), sl.service_name.clone()), (a.clone(), src)));
                }
            }
        }
        p.services = crate::sorted::last_wins(std::mem::take(&mut p.services).into_iter());
        p.addresses = crate::sorted::grouped(std::mem::take(&mut p.addresses).into_iter());
        p.certs = crate::sorted::last_wins(std::mem::take(&mut p.certs).into_iter());
        p
    }

    /// The Route `ns/name`.
    pub fn route(&self, ns: &str, name: &str) -> Option<&RouteInfo> {
        self.routes.iter().find(|r| r.namespace == ns && r.name == name)
    }

    /// Where the Route `ns/name` is.
    pub fn route_source(&self, ns: &str, name: &str) -> Option<Source> {
        self.route(ns, name).map(|r| r.source.clone())
    }

    /// Where the address `ip` of service `ns/svc` is listed (EndpointSlices win over the
    /// Endpoints they mirror).
    pub fn endpoint_source(&self, ns: &str, svc: &str, ip: &str) -> Option<Source> {
        let list = crate::sorted::all(&self.addresses, &(ns.to_owned(), svc.to_owned()));
        let all: Vec<&Source> = list.iter().filter(|(_, (a, _))| a == ip).map(|(_, (_, s))| s).collect();
        all.iter().find(|s| s.kind == "EndpointSlice").or_else(|| all.first()).map(|s| (*s).clone())
    }

    /// The Service the Route `ns/route` sends to.
    pub fn service_view(&self, ns: &str, route: &str) -> Option<ServiceView> {
        let svc = &self.route(ns, route)?.service;
        crate::sorted::get(&self.services, &(ns.to_owned(), svc.clone())).cloned()
    }

    /// The certificate in a `router/certs/…` file named by the config.
    pub fn cert(&self, path: &str) -> Option<&CertInfo> {
        crate::sorted::get(&self.certs, path.rsplit('/').next().unwrap_or(path))
    }
}
