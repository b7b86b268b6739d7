//! An IngressController's fields → the router Deployment's environment, as the ingress
//! operator's `desiredRouterDeployment` builds it (openshift/cluster-ingress-operator,
//! `pkg/operator/controller/ingress/deployment.go`). Each value keeps the field it came from.
//! Where the operator consults state routec cannot see, the documented defaults apply:
//! FIPS off, no cluster-wide proxy, the dynamic config manager's feature gate off, the
//! platform from `infrastructures.config.openshift.io/cluster` or "not AWS, not IBM Cloud",
//! IPv4 only unless `networks.config.openshift.io/cluster` says otherwise.

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::Span;
use crate::tree::{Node, Value};

mod http;
mod logging;
mod publishing;
mod tuning;

use super::config::Cluster;
use super::convert::{
    clip_haproxy_timeout, go_quote, haproxy_timespec, join_host_port, mime_word, parse_bool, query_escape,
    selector_string, Requirement, NS_PER_MS,
};
use super::fields::Fields;
use super::tls_profile::{self, Holder};
use super::{Origin, Setting};

const SPEC_FIELDS: &[&str] = &[
    "clientTLS",
    "closedClientConnectionPolicy",
    "defaultCertificate",
    "domain",
    "endpointPublishingStrategy",
    "haproxyVersion",
    "httpCompression",
    "httpEmptyRequestsPolicy",
    "httpErrorCodePages",
    "httpHeaders",
    "idleConnectionTerminationPolicy",
    "logging",
    "namespaceSelector",
    "nodePlacement",
    "replicas",
    "routeAdmission",
    "routeSelector",
    "tlsSecurityProfile",
    "tuningOptions",
    "unsupportedConfigOverrides",
];

const TUNING_FIELDS: &[&str] = &[
    "clientFinTimeout",
    "clientTimeout",
    "configurationManagement",
    "connectTimeout",
    "headerBufferBytes",
    "headerBufferMaxRewriteBytes",
    "healthCheckInterval",
    "httpKeepAliveTimeout",
    "maxConnections",
    "reloadInterval",
    "serverFinTimeout",
    "serverTimeout",
    "threadCount",
    "tlsInspectDelay",
    "tunnelTimeout",
];

/// Fields that shape the Deployment or other objects but not the router's settings.
const NOT_MAPPED: &[(&str, &str)] = &[
    ("replicas", "the number of router pods; every pod writes the same haproxy.config"),
    ("nodePlacement", "which nodes the router pods run on; it does not change haproxy.config"),
    (
        "defaultCertificate",
        "the Secret mounted at DEFAULT_CERTIFICATE_DIR; routec cannot read Secrets, so pass the certificate with --default-certificate",
    ),
    ("haproxyVersion", "the HAProxy image the operator runs; routec's --haproxy-version picks the output profile"),
];

const ROUTER_DEFAULT_BUF: i64 = 32768;
const ROUTER_DEFAULT_REWRITE: i64 = 8192;

/// Derives the router environment for the IngressController `doc` named `name`.
pub(crate) fn derive(doc: &Node<'static>, name: &str, cfg: &Cluster<'_>, diags: &mut Diagnostics) -> Vec<Setting> {
    let object = format!("IngressController {name}");
    let mut d = Deriver {
        f: Fields { diags, object: object.clone() },
        out: Vec::new(),
        rejections: Vec::new(),
        build: Vec::new(),
    };
    d.run(doc, name, cfg);
    let Deriver { f, out, rejections, build } = d;
    tls_profile::report(&object, rejections, f.diags);
    for (msg, at) in build {
        f.diags.push(
            Diagnostic::error(
                "routec::ingress::rejected",
                format!("the operator cannot build the router Deployment for {object}: {msg}"),
            )
            .at_opt(at, "the operator refuses this")
            .help("the operator keeps the previous router Deployment; routec leaves the setting out"),
        );
    }
    out
}

struct Deriver<'d> {
    f: Fields<'d>,
    out: Vec<Setting>,
    /// Validation failures: the IngressController is not admitted.
    rejections: Vec<(String, Option<Span>)>,
    /// Failures while building the Deployment.
    build: Vec<(String, Option<Span>)>,
}

type N<'n> = Option<&'n Node<'static>>;

impl Deriver<'_> {
    fn field(&mut self, key: &str, value: impl Into<String>, path: &str, span: Option<Span>) {
        self.out.push(Setting {
            key: key.to_owned(),
            value: value.into(),
            origin: Origin::IngressController { path: path.to_owned(), span },
        });
    }
    fn constant(&mut self, key: &str, value: impl Into<String>, note: &str) {
        self.out.push(Setting {
            key: key.to_owned(),
            value: value.into(),
            origin: Origin::Operator { note: note.to_owned() },
        });
    }
    fn advice(&mut self, code: &'static str, span: Span, msg: String) {
        let d = Diagnostic::advice(code, format!("{}: {msg}", self.f.object)).at(span, "not mapped");
        self.f.diags.push(d);
    }
    fn ignored(&mut self, span: Span, msg: String) {
        let d = Diagnostic::warning("routec::ingress::ignored", format!("{}: {msg}", self.f.object))
            .at(span, "the operator ignores this");
        self.f.diags.push(d);
    }
    fn assumed(&mut self, span: Span, msg: String) {
        let d = Diagnostic::advice("routec::ingress::assumed", format!("{}: {msg}", self.f.object))
            .at(span, "decided by cluster state routec cannot see")
            .help("give the cluster's infrastructures/networks config objects or the router Deployment among the inputs for the exact value");
        self.f.diags.push(d);
    }
    fn run(&mut self, doc: &Node<'static>, name: &str, cfg: &Cluster<'_>) {
        let spec = self.f.map(Some(doc), "spec", "spec");
        let status = self.f.map(Some(doc), "status", "status");
        let annotations = doc.get("metadata").and_then(|m| m.get("annotations"));
        self.f.known(spec, "spec", SPEC_FIELDS);
        for (field, why) in NOT_MAPPED {
            if let Some(n) = spec.and_then(|s| s.get(field)) {
                self.advice("routec::ingress::not-mapped", n.span, format!("spec.{field} is not mapped: {why}"));
            }
        }
        let manifest = "router Deployment manifest";
        self.constant("ROUTER_SERVICE_NAMESPACE", "openshift-ingress", manifest);
        self.constant("DEFAULT_CERTIFICATE_DIR", "/etc/pki/tls/private", manifest);
        self.constant("DEFAULT_DESTINATION_CA_PATH", "/var/run/configmaps/service-ca/service-ca.crt", manifest);
        let name_span = doc.get("metadata").and_then(|m| m.get("name")).map(|n| n.span);
        self.field("ROUTER_SERVICE_NAME", name, "metadata.name", name_span);
        let always = "set by the operator for every IngressController";
        self.constant("STATS_USERNAME_FILE", "/var/lib/haproxy/conf/metrics-auth/statsUsername", always);
        self.constant("STATS_PASSWORD_FILE", "/var/lib/haproxy/conf/metrics-auth/statsPassword", always);
        self.constant("ROUTER_METRICS_TYPE", "haproxy", always);
        self.error_pages(spec);
        let tuning = self.f.map(spec, "tuningOptions", "spec.tuningOptions");
        self.f.known(tuning, "spec.tuningOptions", TUNING_FIELDS);
        self.overrides_and_dcm(spec, tuning);
        self.domain(spec, status, cfg, name);
        let eps = self.publishing(spec, status, doc);
        self.proxy_protocol(&eps, tuning, cfg);
        self.tuning(tuning);
        self.selectors(spec);
        self.ports(&eps);
        self.logging(spec);
        self.tls(spec, cfg);
        self.ip_mode(cfg);
        self.admission(spec);
        self.headers(spec);
        self.policies(spec, annotations, cfg);
        self.buffers(tuning);
        self.client_tls(spec);
        self.compression(spec);
        self.constant("ROUTER_ENABLE_EXTERNAL_CERTIFICATE", "true", always);
        self.constant("ROUTER_HAPROXY_ADMIN_UNIX_SOCKET", "/var/lib/haproxy/run/admin.sock", always);
    }
    fn error_pages(&mut self, spec: N<'_>) {
        let pages = self.f.map(spec, "httpErrorCodePages", "spec.httpErrorCodePages");
        let Some((cm, span)) = self.f.string(pages, "name", "spec.httpErrorCodePages.name") else { return };
        if cm.is_empty() {
            return;
        }
        let path = "spec.httpErrorCodePages.name";
        self.field(
            "ROUTER_ERRORFILE_503",
            "/var/lib/haproxy/conf/error_code_pages/error-page-503.http",
            path,
            Some(span),
        );
        self.field(
            "ROUTER_ERRORFILE_404",
            "/var/lib/haproxy/conf/error_code_pages/error-page-404.http",
            path,
            Some(span),
        );
        self.advice(
            "routec::ingress::not-mapped",
            span,
            format!("the pages of ConfigMap {cm} are mounted into the router; routec writes their paths, not their contents"),
        );
    }
    fn domain(&mut self, spec: N<'_>, status: N<'_>, cfg: &Cluster<'_>, name: &str) {
        let spec_domain = self.f.string(spec, "domain", "spec.domain").filter(|(d, _)| !d.is_empty());
        if let Some((d, span)) = &spec_domain {
            if let Some(problem) = domain_problem(d) {
                self.f.invalid(*span, "spec.domain", format!("Invalid value: \"{d}\": {problem}"));
            }
        }
        // status.domain is what the operator uses; it is spec.domain (or the cluster domain)
        // as of the IngressController's first reconcile, and never changes after.
        let status_domain = status
            .and_then(|s| s.get("domain"))
            .and_then(|n| n.as_str().filter(|d| !d.is_empty()).map(|d| (d.to_owned(), n.span)));
        let (domain, origin) = if let Some((d, span)) = status_domain {
            (d, Origin::IngressController { path: "status.domain".into(), span: Some(span) })
        } else if let Some((d, span)) = spec_domain {
            (d, Origin::IngressController { path: "spec.domain".into(), span: Some(span) })
        } else if let Some((d, span)) = cfg.ingress.as_ref().and_then(|i| i.domain.clone()) {
            (
                d,
                Origin::ClusterConfig {
                    object: "ingresses.config.openshift.io/cluster",
                    path: "spec.domain".into(),
                    span: Some(span),
                },
            )
        } else {
            self.rejections.push(("domain is required".to_owned(), spec.map(|s| s.span)));
            return;
        };
        self.out.push(Setting { key: "ROUTER_DOMAIN".into(), value: domain.clone(), origin: origin.clone() });
        self.out.push(Setting {
            key: "ROUTER_CANONICAL_HOSTNAME".into(),
            value: format!("router-{name}.{domain}"),
            origin,
        });
    }
    fn selectors(&mut self, spec: N<'_>) {
        for (field, key) in [("namespaceSelector", "NAMESPACE_LABELS"), ("routeSelector", "ROUTE_LABELS")] {
            let path = format!("spec.{field}");
            let Some(node) = self.f.map(spec, field, &path) else { continue };
            let mut labels = Vec::new();
            if let Some(m) = self.f.map(Some(node), "matchLabels", &format!("{path}.matchLabels")) {
                for (k, v) in m.as_map().unwrap_or(&[]) {
                    if let Some((v, _)) = self.f.as_string(v, &format!("{path}.matchLabels.{}", k.text)) {
                        labels.push((k.text.to_string(), v));
                    }
                }
            }
            let mut exprs = Vec::new();
            for e in self.f.seq(Some(node), "matchExpressions", &format!("{path}.matchExpressions")) {
                let ep = format!("{path}.matchExpressions[]");
                let key_ = self.f.string(Some(e), "key", &format!("{ep}.key")).map(|(k, _)| k).unwrap_or_default();
                let op =
                    self.f.string(Some(e), "operator", &format!("{ep}.operator")).map(|(k, _)| k).unwrap_or_default();
                let mut values = Vec::new();
                for v in self.f.seq(Some(e), "values", &format!("{ep}.values")) {
                    if let Some((v, _)) = self.f.as_string(v, &format!("{ep}.values[]")) {
                        values.push(v);
                    }
                }
                exprs.push(Requirement { key: key_, op, values });
            }
            match selector_string(&labels, &exprs) {
                Ok(s) => self.field(key, s, &path, Some(node.span)),
                Err(e) => self.build.push((format!("invalid {path}: {e}"), Some(node.span))),
            }
        }
    }
    fn tls(&mut self, spec: N<'_>, cfg: &Cluster<'_>) {
        let ic = spec
            .and_then(|s| s.get("tlsSecurityProfile"))
            .filter(|n| n.get("type").and_then(Node::as_str).is_some_and(|t| !t.is_empty()));
        let profile = match (ic, cfg.apiserver_tls) {
            (Some(n), _) => Some((n, Holder::IngressController)),
            (None, Some(n)) if n.get("type").and_then(Node::as_str).is_some_and(|t| !t.is_empty()) => {
                Some((n, Holder::ApiServer))
            }
            _ => None,
        };
        tls_profile::settings(profile, &mut self.f, &mut self.rejections, &mut self.out);
    }
    fn ip_mode(&mut self, cfg: &Cluster<'_>) {
        if let Some((v4, true)) = cfg.families {
            let mode = if v4 { "v4v6" } else { "v6" };
            self.out.push(Setting {
                key: "ROUTER_IP_V4_V6_MODE".into(),
                value: mode.into(),
                origin: Origin::ClusterConfig {
                    object: "networks.config.openshift.io/cluster",
                    path: "status.clusterNetwork".into(),
                    span: None,
                },
            });
        }
    }
    fn admission(&mut self, spec: N<'_>) {
        let ra = self.f.map(spec, "routeAdmission", "spec.routeAdmission");
        self.f.known(ra, "spec.routeAdmission", &["namespaceOwnership", "wildcardPolicy"]);
        let p = "spec.routeAdmission.namespaceOwnership";
        match self.f.one_of(ra, "namespaceOwnership", p, &["InterNamespaceAllowed", "Strict"]) {
            Some((v, span)) => self.field(
                "ROUTER_DISABLE_NAMESPACE_OWNERSHIP_CHECK",
                (v == "InterNamespaceAllowed").to_string(),
                p,
                Some(span),
            ),
            None => self.constant(
                "ROUTER_DISABLE_NAMESPACE_OWNERSHIP_CHECK",
                "false",
                "operator default: Strict namespace ownership",
            ),
        }
        let p = "spec.routeAdmission.wildcardPolicy";
        match self.f.one_of(ra, "wildcardPolicy", p, &["WildcardsAllowed", "WildcardsDisallowed"]) {
            Some((v, span)) => {
                self.field("ROUTER_ALLOW_WILDCARD_ROUTES", (v == "WildcardsAllowed").to_string(), p, Some(span))
            }
            None => self.constant("ROUTER_ALLOW_WILDCARD_ROUTES", "false", "operator default: WildcardsDisallowed"),
        }
    }
}

/// The CRD's checks of `spec.domain`: DNS-1123 subdomain characters and label length.
fn domain_problem(d: &str) -> Option<&'static str> {
    if d.len() > 244 {
        return Some("spec.domain may not be longer than 244");
    }
    let ok_chars = d.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    let ends = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !ok_chars || !ends(d.as_bytes().first()) || !ends(d.as_bytes().last()) {
        return Some("domain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
    }
    if d.split('.').any(|l| l.len() > 63) {
        return Some("each DNS label must not exceed 63 characters");
    }
    None
}
