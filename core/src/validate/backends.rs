//! What a route's backend will hold: services missing from the input, endpoints with no ready
//! address, and target ports that match no endpoint port. Each leaves the backend without
//! servers, so it answers 503; the router itself says nothing.

use super::who;
use crate::diag::{Diagnostic, Diagnostics};
use crate::endpoints::{Record, Tables};
use crate::hash::FastMap;

use crate::objects::{BackendRef, Objects, Route, Service};
use crate::source::Span;
use crate::suggest::closest;

/// Services, and where their Endpoints or EndpointSlices are, by namespace and name, so each
/// route's lookups are constant time.
struct Services<'a> {
    by_key: FastMap<(&'a str, &'a str), &'a Service>,
    names: FastMap<&'a str, Vec<&'a str>>,
    /// The first Endpoints of each service, else its first EndpointSlice.
    endpoints: FastMap<(&'a str, &'a str), Span>,
}

impl<'a> Services<'a> {
    fn new(objs: &'a Objects) -> Self {
        let mut services =
            Services { by_key: FastMap::default(), names: FastMap::default(), endpoints: FastMap::default() };
        for s in &objs.services {
            let (ns, name) = (s.meta.namespace.as_str(), s.meta.name.as_str());
            services.by_key.entry((ns, name)).or_insert(s);
            services.names.entry(ns).or_default().push(name);
        }
        for e in &objs.endpoints {
            let at = e.meta.name.span.unwrap_or(e.meta.span);
            services.endpoints.entry((e.meta.namespace.as_str(), e.meta.name.as_str())).or_insert(at);
        }
        for s in &objs.slices {
            let at = s.meta.name.span.unwrap_or(s.meta.span);
            services.endpoints.entry((s.meta.namespace.as_str(), s.service_name.as_str())).or_insert(at);
        }
        services
    }

    fn endpoints_span(&self, ns: &str, svc: &str) -> Option<Span> {
        self.endpoints.get(&(ns, svc)).copied()
    }
}

/// Checks the services of every route in `routes` (indices into `objs.routes`).
pub(super) fn check(objs: &Objects, tables: &Tables, routes: &[usize], diags: &mut Diagnostics) {
    let services = Services::new(objs);
    let mut unknown_pods: Vec<&Service> = Vec::new();
    for r in routes.iter().filter_map(|i| objs.routes.get(*i)) {
        for b in std::iter::once(&r.to).chain(&r.alternates) {
            // A zero weight sends no traffic, and an unnamed service is a field error already.
            if b.weight <= 0 || b.name.is_empty() {
                continue;
            }
            let ns = r.meta.namespace.as_str();
            match services.by_key.get(&(ns, b.name.as_str())) {
                Some(s) if s.kind != "ExternalName" && services.endpoints_span(ns, b.name.as_str()).is_none() => {
                    if !unknown_pods.iter().any(|u| std::ptr::eq(*u, *s)) {
                        unknown_pods.push(s);
                    }
                }
                _ => service(&services, tables, r, b, diags),
            }
        }
    }
    manifest_mode(&unknown_pods, diags);
}

/// Services routed to whose Endpoints and EndpointSlices are not in the input, as in a Git
/// repository, which never holds them: the router writes such a backend without servers until
/// it learns the pods, and so does routec. Said once for all of them, not once per route, so
/// that `--strict` stays usable on manifests.
fn manifest_mode(services: &[&Service], diags: &mut Diagnostics) {
    let Some(first) = services.first() else { return };
    let names: Vec<String> =
        services.iter().take(5).map(|s| format!("{}/{}", s.meta.namespace.as_str(), s.meta.name.as_str())).collect();
    let more = services.len().saturating_sub(names.len());
    let list = if more > 0 { format!("{} and {more} more", names.join(", ")) } else { names.join(", ") };
    let mut d = Diagnostic::advice(
        "routec::endpoints::not-in-input",
        format!(
            "{} routed service(s) have no Endpoints or EndpointSlices in the input ({list}): their backends are compiled without servers, as the router writes them before it knows the pods",
            services.len()
        ),
    )
    .at(first.meta.name.span.unwrap_or(first.meta.span), "no endpoints in the input for this service")
    .help("Git manifests hold no endpoints; add a live dump with `--endpoints` (`oc get endpointslices -A -o yaml`) to compile the servers");
    for s in services.iter().skip(1).take(4) {
        d = d.related(s.meta.name.span.unwrap_or(s.meta.span), "no endpoints in the input");
    }
    diags.push(d);
}

fn service(services: &Services<'_>, tables: &Tables, r: &Route, b: &BackendRef, diags: &mut Diagnostics) {
    let ns = r.meta.namespace.as_str();
    let svc = b.name.as_str();
    let key = format!("{ns}/{svc}");
    let at = b.name.span.or(b.span).unwrap_or(r.meta.span);
    let route = who(&r.meta);
    let service = services.by_key.get(&(ns, svc)).copied();
    let Some(records) = tables.by_service.get(&key) else {
        let (code, what, help) = match service {
            None => (
                "routec::route::service-missing",
                format!("service `{key}` is not in the input"),
                "add the Service and its EndpointSlices (or Endpoints), or check the name for typos",
            ),
            Some(s) if s.kind == "ExternalName" => (
                "routec::route::no-endpoints",
                format!("service `{key}` is of type ExternalName, which has no endpoints"),
                "routes need a service with pods behind it; ExternalName services cannot be routed to",
            ),
            Some(_) => (
                "routec::route::no-endpoints",
                format!("service `{key}` has no endpoint the router reads"),
                "the router reads EndpointSlices unless `ROUTER_WATCH_ENDPOINTS=true`; add the kind it reads",
            ),
        };
        let mut d = Diagnostic::warning(code, format!("route {route}: {what}; its backend will answer 503"))
            .at(at, "no servers for this backend")
            .help(help);
        if service.is_none() {
            if let Some(g) = closest(svc, services.names.get(ns).into_iter().flatten().copied()) {
                d = d.help(format!("did you mean `{g}`?"));
            }
        }
        diags.push(d);
        return;
    };
    if records.is_empty() {
        let mut d = Diagnostic::warning(
            "routec::endpoints::no-ready-addresses",
            format!("route {route}: service `{key}` has no ready endpoint addresses; its backend will answer 503"),
        )
        .at(at, "no servers for this backend")
        .help("the service's endpoints are in the input, but none of their addresses is ready: the pods are not ready (or scaled to zero), and only ready addresses become servers");
        if let Some(span) = services.endpoints_span(ns, svc) {
            d = d.related(span, "no ready address here");
        }
        diags.push(d);
        return;
    }
    let Some(port) = &r.target_port else { return };
    let p = port.as_str();
    if p.is_empty() || p == "0" || records.iter().any(|rec| rec.port_name == p || rec.port == p) {
        return;
    }
    let port_at = port.span.unwrap_or(at);
    let mut d = if p.bytes().all(|c| c.is_ascii_digit()) {
        let mapped = service.and_then(|s| s.ports.iter().find(|sp| sp.port.to_string() == p)).map(|sp| &sp.target_port);
        let mut d = Diagnostic::warning(
            "routec::route::port-mismatch",
            format!(
                "route {route}: target port {p} matches no endpoint port of `{key}` ({}); its backend will answer 503",
                ports(records)
            ),
        )
        .at(port_at, "no endpoint has this port");
        if let Some(tp) = mapped.filter(|t| !t.is_empty()) {
            d = d.help(format!(
                "{p} is the service port; the router matches endpoint (pod) ports, so write `targetPort: {tp}` or the port's name"
            ));
        }
        d
    } else {
        let names: Vec<&str> = records.iter().map(|r| r.port_name.as_str()).filter(|n| !n.is_empty()).collect();
        let mut d = Diagnostic::warning(
            "routec::route::port-unresolved",
            format!(
                "route {route}: named port `{}` does not resolve: `{key}` has no port of that name ({}); its backend will answer 503",
                p.escape_debug(),
                ports(records)
            ),
        )
        .at(port_at, "no such port name");
        if let Some(g) = closest(p, names.iter().copied()) {
            d = d.help(format!("did you mean `{g}`?"));
        }
        d
    };
    if let Some(s) = service {
        d = d.related(s.meta.name.span.unwrap_or(s.meta.span), "the service");
    }
    diags.push(d);
}

/// The endpoint ports, as `name/number` pairs, for messages.
fn ports(records: &[Record]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for r in records {
        let p = if r.port_name.is_empty() { r.port.clone() } else { format!("{} {}", r.port_name, r.port) };
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    format!("it has {}", seen.join(", "))
}
