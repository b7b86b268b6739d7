//! Route admission, as the router's plugin chain decides it (spec §2): shard selection, host
//! generation, HostAdmitter (domain lists, wildcard policy, sub-domain ownership), UniqueHost
//! (DNS validity, host+path uniqueness, namespace ownership) and extended TLS validation.
//!
//! The router processes its initial list oldest first, so with a fixed set of objects no route
//! is ever displaced by an older one arriving later; each stage compares a route only with the
//! routes accepted before it.

pub mod hostname;
mod secrets;
pub mod selector;

use crate::hash::FastMap;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::objects::{Objects, Route, Termination};
use crate::settings::Settings;
use crate::tls::{self, ErrorKind};
use hostname::{comma_list, domain_of, in_domain_list};
use selector::Selector;

/// What the router decided for one route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// In the configuration.
    Admitted,
    /// Rejected, with the `Admitted=False` condition's reason and message.
    Rejected {
        /// Condition reason, e.g. `HostAlreadyClaimed`.
        reason: &'static str,
        /// Condition message.
        message: String,
    },
    /// Never seen by this router shard.
    Ignored {
        /// Which selector filtered it.
        reason: &'static str,
    },
}

/// The result of admission.
#[derive(Debug, Default)]
pub struct Admission {
    /// One outcome per route, in input order.
    pub outcomes: Vec<Outcome>,
    /// Errors the router would log (status.yaml's `routerErrors`).
    pub router_errors: Vec<String>,
    /// For a route rejected by a host conflict, the index of the route that holds the host.
    pub winners: Vec<Option<usize>>,
    /// TLS field errors by route index: the reasons for `ExtendedValidationFailed`, or with
    /// extended validation off, what the router lets through.
    pub tls_errors: Vec<(usize, Vec<tls::FieldError>)>,
    /// Conditions the router recorded and then overwrote with a later one (the outcome holds the
    /// last), by route index; they are still reported.
    pub superseded: Vec<(usize, Outcome)>,
}

/// Runs admission over every route, rewriting hosts (generation) and TLS fields (sanitising)
/// in place as the router does.
/// `now` (seconds since the epoch) is when certificate dates are judged, as the router's
/// verifier does; `None` leaves dates out.
pub fn admit(objs: &mut Objects, settings: &Settings, now: Option<i64>, diags: &mut Diagnostics) -> Admission {
    let mut adm = Admission {
        outcomes: vec![Outcome::Admitted; objs.routes.len()],
        router_errors: Vec::new(),
        winners: vec![None; objs.routes.len()],
        tls_errors: Vec::new(),
        superseded: Vec::new(),
    };
    // ROUTE_FIELDS is a server-side selector: it sees the stored route, before the router
    // generates a host for it.
    let stored_hosts: Vec<String> = objs.routes.iter().map(|r| r.host.value.clone()).collect();
    for r in &mut objs.routes {
        let host = hostname::generate(
            r.host.as_str(),
            r.subdomain.as_str(),
            r.meta.name.as_str(),
            r.meta.namespace.as_str(),
            settings,
        );
        r.host.value = host;
    }
    select(objs, &stored_hosts, settings, &mut adm);
    drop(stored_hosts);

    let mut order: Vec<usize> =
        (0..objs.routes.len()).filter(|i| adm.outcomes.get(*i) == Some(&Outcome::Admitted)).collect();
    crate::sort::sort_by(&mut order, |a, b| {
        let (ra, rb) = (&objs.routes[*a].meta, &objs.routes[*b].meta);
        (ra.created, &ra.uid).cmp(&(rb.created, &rb.uid))
    });

    let wildcards = settings.is_true("ROUTER_ALLOW_WILDCARD_ROUTES");
    let same_ns_only = !settings.is_true("ROUTER_DISABLE_NAMESPACE_OWNERSHIP_CHECK");
    let denied = comma_list(settings.env("ROUTER_DENIED_DOMAINS", ""));
    let allowed = comma_list(settings.env("ROUTER_ALLOWED_DOMAINS", ""));
    let extended = settings.get("EXTENDED_VALIDATION").is_none_or(crate::gotext::is_true);
    let external = settings.get("ROUTER_ENABLE_EXTERNAL_CERTIFICATE").is_none_or(crate::gotext::is_true);
    if !external {
        secrets::report_ignored(&objs.routes, diags);
    }
    let mut claims = Claims::default();
    let mut hosts: FastMap<String, Vec<usize>> = FastMap::default();

    for &i in &order {
        // The plugin chain: HostAdmitter → UniqueHost → RouteSecretManager → ExtendedValidator. A rejection records
        // a condition and sends a Deleted event down the chain; UniqueHost checks the host
        // before it looks at the event type and ExtendedValidator validates every event, so
        // later stages can record a condition over an earlier one, and the last one stands.
        let mut conditions: Vec<Outcome> = Vec::new();
        let mut deleted = false;
        {
            let routes = &objs.routes;
            let r = &routes[i];
            let mut winner = None;
            let ha = host_admitter(
                r,
                i,
                routes,
                &denied,
                &allowed,
                wildcards,
                same_ns_only,
                &mut claims,
                &mut adm.router_errors,
                &mut winner,
            );
            let mut stop = false;
            if let Some(o) = ha {
                // Only the admission function's refusal goes down the chain; a host claimed by
                // an older wildcard route stops here.
                deleted = matches!(&o, Outcome::Rejected { reason: "RouteNotAdmitted", .. });
                stop = !deleted;
                conditions.push(o);
            }
            if !stop {
                // UniqueHost's errors are logged only when its own result is returned, not
                // under a Deleted event from HostAdmitter.
                let mut ignored = Vec::new();
                let errors = if deleted { &mut ignored } else { &mut adm.router_errors };
                if let Some(o) = host_checks(r, errors) {
                    conditions.push(o);
                    deleted = true;
                } else if !deleted {
                    if let Some(o) = unique_host(r, i, routes, &mut hosts, same_ns_only, &mut winner) {
                        // A new route that loses its host is not sent on.
                        conditions.push(o);
                        stop = true;
                    }
                }
            }
            if let Some(slot) = adm.winners.get_mut(i) {
                *slot = winner;
            }
            if stop {
                deleted = false;
            }
        }
        // RouteSecretManager sits between UniqueHost and ExtendedValidator; it acts on an
        // Added event only, and a refusal is recorded and goes no further.
        if external && conditions.is_empty() {
            if let Err(message) = secrets::populate(&mut objs.routes[i], &objs.secrets) {
                conditions.push(Outcome::Rejected { reason: "ExternalCertificateValidationFailed", message });
            }
        }
        let reaches_validator = conditions.is_empty() || deleted;
        if reaches_validator {
            let r = &mut objs.routes[i];
            if r.tls.is_some() {
                if !extended {
                    if conditions.is_empty() {
                        let errs = tls::check(r, now);
                        if !errs.is_empty() {
                            adm.tls_errors.push((i, errs));
                        }
                    }
                } else {
                    let errs = tls::validate_route(r, now);
                    if !errs.is_empty() {
                        // Under a Deleted event the validator's error is not logged.
                        if !deleted {
                            adm.router_errors.push("invalid route configuration".to_owned());
                        }
                        let message = match errs.as_slice() {
                            [one] => one.message.clone(),
                            _ => {
                                format!("[{}]", errs.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(", "))
                            }
                        };
                        adm.tls_errors.push((i, errs));
                        conditions.push(Outcome::Rejected { reason: "ExtendedValidationFailed", message });
                    }
                }
            }
        }
        if let Some(last) = conditions.pop() {
            adm.superseded.extend(conditions.into_iter().map(|o| (i, o)));
            if let Some(slot) = adm.outcomes.get_mut(i) {
                *slot = last;
            }
        }
    }
    report(objs, &adm, diags);
    report_tls(objs, &adm, extended, diags);
    crate::sort::sort(&mut adm.router_errors);
    adm.router_errors.dedup();
    adm
}

/// Shard selection. A selector that does not parse is reported by `startup::check` (the router
/// would not start); here it selects everything.
fn select(objs: &Objects, stored_hosts: &[String], settings: &Settings, adm: &mut Admission) {
    let parse = |key: &str| Selector::parse(settings.env(key, "")).unwrap_or_default();
    let labels = parse("ROUTE_LABELS");
    let fields = Selector::parse_fields(settings.env("ROUTE_FIELDS", "")).unwrap_or_default();
    // PROJECT_LABELS lists the projects matching the selector (`*`: all of them); a project
    // carries its namespace's labels. Start-up refuses both settings together.
    let ns_sel = match (settings.get("NAMESPACE_LABELS"), settings.get("PROJECT_LABELS")) {
        (Some(_), _) => Some(parse("NAMESPACE_LABELS")),
        (None, Some("*")) => None,
        (None, Some(_)) => Some(parse("PROJECT_LABELS")),
        (None, None) => None,
    };
    for (i, r) in objs.routes.iter().enumerate() {
        let stored_host = stored_hosts.get(i).map_or("", String::as_str);
        let reason = if !labels.matches(|k| r.meta.label(k)) {
            Some("route labels do not match ROUTE_LABELS")
        } else if !fields.matches(|k| if k == "spec.host" { Some(stored_host) } else { field(r, k) }) {
            Some("filtered by route field selector (ROUTE_FIELDS)")
        } else if let Some(sel) = &ns_sel {
            let ns = objs.namespaces.iter().find(|n| n.meta.name.as_str() == r.meta.namespace.as_str());
            let ok = sel.matches(|k| ns.and_then(|n| n.meta.label(k)));
            (!ok).then_some("namespace not selected (NAMESPACE_LABELS / PROJECT_LABELS)")
        } else {
            None
        };
        if let (Some(reason), Some(slot)) = (reason, adm.outcomes.get_mut(i)) {
            *slot = Outcome::Ignored { reason };
        }
    }
}

fn field<'a>(r: &'a Route, key: &str) -> Option<&'a str> {
    Some(match key {
        "metadata.name" => r.meta.name.as_str(),
        "metadata.namespace" => r.meta.namespace.as_str(),
        "spec.path" => r.path.as_str(),
        "spec.to.name" => r.to.name.as_str(),
        _ => return None,
    })
}

#[derive(Default)]
struct Claims {
    hosts: FastMap<String, Vec<usize>>,
    wildcards: FastMap<String, Vec<usize>>,
    blocked: FastMap<String, Vec<usize>>,
}

#[expect(clippy::too_many_arguments, reason = "mirrors the router's stage state")]
fn host_admitter(
    r: &Route,
    i: usize,
    routes: &[Box<Route>],
    denied: &[String],
    allowed: &[String],
    wildcards: bool,
    same_ns_only: bool,
    claims: &mut Claims,
    errors: &mut Vec<String>,
    winner: &mut Option<usize>,
) -> Option<Outcome> {
    let host = r.host.as_str();
    let not_admitted = |msg: &str, errors: &mut Vec<String>| {
        errors.push(msg.to_owned());
        Some(Outcome::Rejected { reason: "RouteNotAdmitted", message: msg.to_owned() })
    };
    if !host.is_empty() && in_domain_list(host, denied) {
        return not_admitted("host in list of denied domains", errors);
    }
    if !host.is_empty() && !allowed.is_empty() && !in_domain_list(host, allowed) {
        return not_admitted("host not in the allowed list of domains", errors);
    }
    let policy = r.wildcard_policy.as_str();
    if policy == "Subdomain" && !wildcards {
        return not_admitted("wildcard routes are not allowed", errors);
    }
    if policy != "None" && policy != "Subdomain" {
        return not_admitted(&format!("unknown wildcard policy {policy}"), errors);
    }
    if !wildcards || host.is_empty() {
        return None;
    }
    let domain = domain_of(host);
    let is_wild = policy == "Subdomain";
    let same_scope = |x: &Route| !same_ns_only || x.meta.namespace.value == r.meta.namespace.value;
    let mut blocker: Option<(usize, String)> = None;
    for &x in claims.hosts.get(host).map_or(&[][..], Vec::as_slice) {
        let xr = &routes[x];
        if xr.meta.uid == r.meta.uid || (same_scope(xr) && (is_wild || xr.path.value != r.path.value)) {
            continue;
        }
        blocker = Some((x, format!("route {}/{} has host {host}", xr.meta.namespace.value, xr.meta.name.value)));
        break;
    }
    if blocker.is_none() {
        for &x in claims.wildcards.get(domain).map_or(&[][..], Vec::as_slice) {
            let xr = &routes[x];
            if xr.meta.uid == r.meta.uid || (same_scope(xr) && (!is_wild || xr.path.value != r.path.value)) {
                continue;
            }
            blocker = Some((
                x,
                format!(
                    "wildcard route {}/{} has host *.{domain}, blocking {host}",
                    xr.meta.namespace.value, xr.meta.name.value
                ),
            ));
            break;
        }
    }
    if blocker.is_none() && is_wild {
        for &x in claims.blocked.get(domain).map_or(&[][..], Vec::as_slice) {
            let xr = &routes[x];
            if xr.meta.uid == r.meta.uid || same_scope(xr) {
                continue;
            }
            blocker = Some((
                x,
                format!(
                    "route {}/{} has host {}, blocking *.{domain}",
                    xr.meta.namespace.value, xr.meta.name.value, xr.host.value
                ),
            ));
            break;
        }
    }
    if let Some((x, err)) = blocker {
        *winner = Some(x);
        errors.push(err.clone());
        let message = if routes[x].meta.namespace.value == r.meta.namespace.value {
            err
        } else {
            format!("a route in another namespace holds host {host}")
        };
        return Some(Outcome::Rejected { reason: "HostAlreadyClaimed", message });
    }
    if is_wild {
        claims.wildcards.entry(domain.to_owned()).or_default().push(i);
    } else {
        claims.hosts.entry(host.to_owned()).or_default().push(i);
        claims.blocked.entry(domain.to_owned()).or_default().push(i);
    }
    None
}

fn conflicts(a: &Route, b: &Route) -> bool {
    a.path.value == b.path.value
        || (a.tls.is_some()
            && b.tls.is_some()
            && (a.termination() == Termination::Passthrough || b.termination() == Termination::Passthrough))
}

/// UniqueHost's checks that run on every event: a host must be present and a DNS name.
fn host_checks(r: &Route, errors: &mut Vec<String>) -> Option<Outcome> {
    let host = r.host.as_str();
    if host.is_empty() {
        return Some(Outcome::Rejected {
            reason: "NoHostValue",
            message: "no host value was defined for the route".to_owned(),
        });
    }
    let errs = hostname::validation_errors(host);
    if !errs.is_empty() {
        let message = format!("host name validation errors: {}", errs.join(", "));
        errors.push(message.clone());
        return Some(Outcome::Rejected { reason: "InvalidHost", message });
    }
    None
}

/// UniqueHost on an Added event: host+path uniqueness and namespace ownership.
fn unique_host(
    r: &Route,
    i: usize,
    routes: &[Box<Route>],
    hosts: &mut FastMap<String, Vec<usize>>,
    same_ns_only: bool,
    winner: &mut Option<usize>,
) -> Option<Outcome> {
    let host = r.host.as_str();
    let active = hosts.entry(host.to_owned()).or_default();
    let owner_ns_ok = match active.first() {
        Some(&first) => !same_ns_only || routes[first].meta.namespace.value == r.meta.namespace.value,
        None => true,
    };
    let clash = active.iter().any(|&x| conflicts(&routes[x], r));
    if owner_ns_ok && !clash {
        active.push(i);
        return None;
    }
    let owner_idx =
        active.iter().rev().find(|&&x| routes[x].path.value == r.path.value).or_else(|| active.last()).copied();
    *winner = owner_idx;
    let owner = owner_idx.map(|x| &routes[x]);
    let message = match owner {
        Some(o) if o.meta.namespace.value == r.meta.namespace.value => {
            format!("route {} already exposes {host} and is older", o.meta.name.value)
        }
        _ => format!("a route in another namespace holds {host} and is older than {}", r.meta.name.value),
    };
    Some(Outcome::Rejected { reason: "HostAlreadyClaimed", message })
}

/// One warning per rejected route, pointing at the field that decided it.
fn report(objs: &Objects, adm: &Admission, diags: &mut Diagnostics) {
    let finals = objs.routes.iter().zip(&adm.outcomes).enumerate();
    let earlier = adm.superseded.iter().filter_map(|(i, o)| Some((*i, (objs.routes.get(*i)?, o))));
    for (i, (r, o)) in finals.chain(earlier) {
        if let Outcome::Ignored { reason } = o {
            diags.push(
                Diagnostic::warning(
                    "routec::admission::outside-shard",
                    format!(
                        "route {}/{} is not served by this router: {reason}",
                        r.meta.namespace.value, r.meta.name.value
                    ),
                )
                .at(r.meta.name.span.unwrap_or(r.meta.span), "not in this shard")
                .help("expected when several router shards share a repository; otherwise fix the route's labels or the router's selectors"),
            );
            continue;
        }
        let Outcome::Rejected { reason, message } = o else { continue };
        let (code, at) = match *reason {
            "HostAlreadyClaimed" => ("routec::admission::host-already-claimed", r.host.span),
            "InvalidHost" | "NoHostValue" => ("routec::admission::invalid-host", r.host.span),
            "ExternalCertificateValidationFailed" => {
                ("routec::admission::external-certificate", r.tls.as_ref().and_then(|t| t.external_certificate.span))
            }
            // One error per TLS field follows from `report_tls`.
            "ExtendedValidationFailed" => continue,
            "RouteNotAdmitted" if message.contains("wildcard") => {
                ("routec::admission::not-admitted", r.wildcard_policy.span.or(r.host.span))
            }
            _ => ("routec::admission::not-admitted", r.host.span),
        };
        let severity = if *reason == "InvalidHost" { Severity::Error } else { Severity::Warning };
        let route = format!("{}/{}", r.meta.namespace.value, r.meta.name.value);
        let text = if *reason == "InvalidHost" {
            let detail = hostname::problem(r.host.as_str());
            format!("route {route} is rejected (InvalidHost): host `{}` {detail}", r.host.as_str().escape_debug())
        } else {
            format!("route {route} is rejected ({reason}): {message}")
        };
        let mut d = Diagnostic::new(code, severity, text).at(at.or(r.meta.name.span).unwrap_or(r.meta.span), *reason);
        if *reason == "InvalidHost" {
            d = d.help("host names are lower-case letters, digits, '-' and '.', with at most 63 characters per label and 253 in all");
        } else if *reason == "ExternalCertificateValidationFailed" {
            d = d.help("the router reads a `kubernetes.io/tls` Secret of that name in the route's namespace; add it to the inputs (a Secret made in the cluster, by cert-manager say, is not in Git: add a dump of it), and give the router's service account get/list/watch on it");
        } else if *reason == "NoHostValue" {
            d = d.help("in a cluster the API server gives it `<name>-<namespace>.<ingress domain>`: pass `--ingress-domain` (the cluster's `ingresses.config/cluster` `spec.domain`) to do the same, or set `spec.host`");
        }
        let winner = adm.winners.get(i).copied().flatten().and_then(|w| objs.routes.get(w));
        if let Some(w) = winner {
            let what = format!("route {}/{} holds this host", w.meta.namespace.value, w.meta.name.value);
            d = d.related(w.host.span.unwrap_or(w.meta.span), what);
            if r.meta.age_decided_by_order(&w.meta) {
                d = d.help(format!(
                    "decided by input order: without creationTimestamp and uid, routec takes files in path order and documents in file order as the order of creation, so {}/{} counts as older; set creationTimestamp to make the winner explicit",
                    w.meta.namespace.value, w.meta.name.value
                ));
            }
        }
        diags.push(d);
    }
}

/// One diagnostic per TLS field error, on the field. With extended validation on, each is an
/// error because the route is rejected. With it off the router admits the route, so what
/// matters is whether HAProxy can still load it: unloadable certificates take every route of
/// the router down with them.
fn report_tls(objs: &Objects, adm: &Admission, extended: bool, diags: &mut Diagnostics) {
    for (i, errs) in &adm.tls_errors {
        let Some(r) = objs.routes.get(*i) else { continue };
        let Some(t) = r.tls.as_deref() else { continue };
        let route = format!("{}/{}", r.meta.namespace.value, r.meta.name.value);
        for e in errs {
            let field = match e.field {
                "termination" => &t.termination,
                "insecureEdgeTerminationPolicy" => &t.insecure_policy,
                "certificate" => &t.certificate,
                "key" => &t.key,
                "caCertificate" => &t.ca_certificate,
                _ => &t.destination_ca,
            };
            let at = field.span.or(t.span).unwrap_or(r.meta.span);
            let d = match (extended, e.kind) {
                (true, _) => Diagnostic::error(
                    "routec::tls::invalid",
                    format!("route {route} is rejected (ExtendedValidationFailed): {}", e.message),
                )
                .at(at, "fails the router's TLS validation"),
                (false, ErrorKind::Api) => Diagnostic::error(
                    "routec::tls::invalid",
                    format!("route {route}: the API server refuses this TLS configuration: {}", e.message),
                )
                .at(at, "refused by the API server"),
                (false, ErrorKind::Unloadable) => Diagnostic::error(
                    "routec::tls::haproxy-cannot-load",
                    format!(
                        "route {route}: with EXTENDED_VALIDATION=false the router admits this route, but HAProxy cannot load its certificate and refuses the whole config: {}",
                        e.message
                    ),
                )
                .at(at, "HAProxy cannot load this"),
                (false, ErrorKind::Untrusted) => Diagnostic::warning(
                    "routec::tls::untrusted",
                    format!("route {route}: admitted because EXTENDED_VALIDATION=false, but clients will not trust it: {}", e.message),
                )
                .at(at, "not trusted"),
                // Only the router's validation cares; HAProxy and clients do not.
                (false, ErrorKind::Hygiene) => continue,
            };
            diags.push(d.help(tls_help(e)));
        }
    }
}

fn tls_help(e: &tls::FieldError) -> &'static str {
    match e.field {
        "termination" => "set `termination` to edge, passthrough or reencrypt",
        "insecureEdgeTerminationPolicy" => "use None, Redirect or (except for passthrough) Allow",
        "key" => "supply the private key that belongs to the first certificate in `certificate`",
        _ if e.message.contains("CA-signed certs using") => {
            "re-issue the certificate with a SHA-256 (or stronger) signature"
        }
        _ if e.message.contains("does not support") => "remove this field",
        _ if e.message.contains("verifying") => "put the issuing CA (and intermediates) in `caCertificate`",
        _ => "paste the PEM block(s) exactly as issued, including the BEGIN/END lines",
    }
}
