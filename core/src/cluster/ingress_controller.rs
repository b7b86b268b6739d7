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

    fn overrides_and_dcm(&mut self, spec: N<'_>, tuning: N<'_>) {
        let path = "spec.unsupportedConfigOverrides";
        let ov = spec.and_then(|s| s.get("unsupportedConfigOverrides")).filter(|n| !n.is_null());
        let get = |d: &mut Self, key: &str| -> Option<(String, Span)> {
            let n = ov?.get(key)?;
            match &n.value {
                Value::Scalar { text, quoted } => {
                    let t = text.to_string();
                    let typed = !quoted && (matches!(t.as_str(), "true" | "false") || n.is_number());
                    if typed {
                        // The operator decodes these into Go strings; a JSON bool or number
                        // fails the decode and with it the whole Deployment.
                        d.build.push((
                            format!(
                                "invalid {path}: json: cannot unmarshal {} into Go struct field .{key} of type string",
                                if n.is_number() { "number" } else { "bool" }
                            ),
                            Some(n.span),
                        ));
                        return None;
                    }
                    Some((t, n.span))
                }
                Value::Null => None,
                _ => {
                    d.build.push((
                        format!(
                            "invalid {path}: json: cannot unmarshal {} into Go struct field .{key} of type string",
                            if n.as_seq().is_some() { "array" } else { "object" }
                        ),
                        Some(n.span),
                    ));
                    None
                }
            }
        };
        if let Some(node) = ov {
            match node.as_map() {
                Some(entries) => {
                    let known = [
                        "loadBalancingAlgorithm",
                        "dynamicConfigManager",
                        "contStats",
                        "maxDynamicServers",
                        "mutualTLSHeaderFilter",
                    ];
                    for (k, _) in entries {
                        if !known.contains(&k.text.as_ref()) {
                            self.ignored(k.span, format!("{path}.{} is not an override the operator reads", k.text));
                        }
                    }
                }
                None => self.build.push((
                    format!("invalid {path}: expected a JSON object, found a {}", node.type_name()),
                    Some(node.span),
                )),
            }
        }
        let lb = get(self, "loadBalancingAlgorithm");
        match &lb {
            Some((v, span)) if v == "leastconn" => self.field(
                "ROUTER_LOAD_BALANCE_ALGORITHM",
                "leastconn",
                &format!("{path}.loadBalancingAlgorithm"),
                Some(*span),
            ),
            other => {
                if let Some((v, span)) = other {
                    self.ignored(
                        *span,
                        format!("loadBalancingAlgorithm \"{v}\" is not leastconn; the operator uses random"),
                    );
                }
                self.constant("ROUTER_LOAD_BALANCE_ALGORITHM", "random", "operator default (random)");
            }
        }
        self.constant("ROUTER_TCP_BALANCE_SCHEME", "source", "set by the operator for every IngressController");

        if let Some((v, span)) = self.f.int(tuning, "maxConnections", "spec.tuningOptions.maxConnections") {
            let p = "spec.tuningOptions.maxConnections";
            match v {
                -1 => self.field("ROUTER_MAX_CONNECTIONS", "auto", p, Some(span)),
                0 => {}
                2000..=2_000_000 => self.field("ROUTER_MAX_CONNECTIONS", v.to_string(), p, Some(span)),
                _ => self.f.invalid(span, p, format!("Invalid value: \"integer\": maxConnections must be 0, -1, or between 2000 and 2000000 (got {v})")),
            }
        }

        // The dynamic config manager needs a tech-preview feature gate routec assumes off; the
        // override can still switch it on (or off).
        let mut dcm = false;
        let mut dcm_origin = None;
        if let Some((_, span)) = self
            .f
            .one_of(
                tuning,
                "configurationManagement",
                "spec.tuningOptions.configurationManagement",
                &["Dynamic", "ForkAndReload"],
            )
            .filter(|(v, _)| *v == "Dynamic")
        {
            self.ignored(span, "configurationManagement: Dynamic needs the IngressControllerDynamicConfigurationManager feature gate, which routec assumes off".to_owned());
        }
        if let Some((v, span)) = get(self, "dynamicConfigManager") {
            match parse_bool(&v) {
                Some(b) => {
                    dcm = b;
                    dcm_origin = Some(span);
                }
                None => self.ignored(span, format!("dynamicConfigManager \"{v}\" is not a Go boolean")),
            }
        }
        let max_dyn = get(self, "maxDynamicServers");
        if dcm {
            let p = format!("{path}.dynamicConfigManager");
            self.field("ROUTER_HAPROXY_CONFIG_MANAGER", "true", &p, dcm_origin);
            self.field("ROUTER_BLUEPRINT_ROUTE_POOL_SIZE", "0", &p, dcm_origin);
            match max_dyn.as_ref().map(|(v, s)| (v.parse::<i64>().ok().filter(|n| *n > 0), *s)) {
                Some((Some(n), span)) => self.field(
                    "ROUTER_MAX_DYNAMIC_SERVERS",
                    n.to_string(),
                    &format!("{path}.maxDynamicServers"),
                    Some(span),
                ),
                other => {
                    if let Some((None, span)) = other {
                        self.ignored(
                            span,
                            "maxDynamicServers is not a positive integer; the operator uses 1".to_owned(),
                        );
                    }
                    self.constant(
                        "ROUTER_MAX_DYNAMIC_SERVERS",
                        "1",
                        "operator default with the dynamic config manager",
                    );
                }
            }
        } else if let Some((_, span)) = max_dyn {
            self.ignored(span, "maxDynamicServers only counts with the dynamic config manager on".to_owned());
        }
        if let Some((v, span)) = get(self, "contStats") {
            if parse_bool(&v) == Some(true) {
                self.field("ROUTER_HAPROXY_CONTSTATS", "true", &format!("{path}.contStats"), Some(span));
            }
        }
        if let Some((v, span)) = get(self, "mutualTLSHeaderFilter") {
            if parse_bool(&v) == Some(false) {
                self.field(
                    "ROUTER_MUTUAL_TLS_HEADER_FILTER",
                    "false",
                    &format!("{path}.mutualTLSHeaderFilter"),
                    Some(span),
                );
            }
        }
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

    /// The endpoint publishing strategy in effect: status (the operator's defaulted copy), else
    /// spec, else routec's assumption (LoadBalancerService).
    fn publishing<'n>(&mut self, spec: N<'n>, status: N<'n>, doc: &'n Node<'static>) -> Eps<'n> {
        let s = self.f.map(status, "endpointPublishingStrategy", "status.endpointPublishingStrategy");
        let p = self.f.map(spec, "endpointPublishingStrategy", "spec.endpointPublishingStrategy");
        if let Some(n) = p {
            self.advice(
                "routec::ingress::not-mapped",
                n.span,
                "spec.endpointPublishingStrategy shapes the Service and DNS, not haproxy.config; routec reads only its PROXY protocol and host-network ports".to_owned(),
            );
        }
        let (node, base) = match (s, p) {
            (Some(n), _) => (Some(n), "status.endpointPublishingStrategy"),
            (None, Some(n)) => (Some(n), "spec.endpointPublishingStrategy"),
            (None, None) => (None, ""),
        };
        let ty = match node {
            Some(n) => self.f.one_of(
                Some(n),
                "type",
                &format!("{base}.type"),
                &["LoadBalancerService", "HostNetwork", "Private", "NodePortService"],
            ),
            None => None,
        };
        let ty = match ty {
            Some((t, _)) => t,
            None => {
                self.assumed(
                    doc.span,
                    "no endpoint publishing strategy in spec or status: assumed LoadBalancerService (the operator's default on cloud platforms)".to_owned(),
                );
                "LoadBalancerService"
            }
        };
        Eps { ty, node, base }
    }

    fn proxy_protocol(&mut self, eps: &Eps<'_>, tuning: N<'_>, cfg: &Cluster<'_>) {
        let sub = match eps.ty {
            "HostNetwork" => "hostNetwork",
            "NodePortService" => "nodePort",
            "Private" => "private",
            _ => "",
        };
        let tunnel_set = tuning.and_then(|t| t.get("tunnelTimeout")).is_some();
        if !sub.is_empty() {
            let path = format!("{}.{sub}.protocol", eps.base);
            let m = self.f.map(eps.node, sub, &format!("{}.{sub}", eps.base));
            if let Some(("PROXY", span)) = self.f.one_of(m, "protocol", &path, &["", "TCP", "PROXY"]) {
                self.field("ROUTER_USE_PROXY_PROTOCOL", "true", &path, Some(span));
            }
            return;
        }
        // LoadBalancerService: the platform decides.
        let Some((platform, pspan)) = cfg.platform.clone() else {
            if let Some(n) = eps.node {
                self.assumed(n.span, "LoadBalancerService on an unknown platform: assumed neither AWS nor IBM Cloud, so no PROXY protocol and no NLB tunnel timeout".to_owned());
            }
            return;
        };
        let lb = eps.node.and_then(|n| n.get("loadBalancer"));
        let pp = lb.and_then(|l| l.get("providerParameters"));
        let path = format!("{}.loadBalancer.providerParameters", eps.base);
        match platform.as_str() {
            "AWS" => {
                let aws = pp.and_then(|p| p.get("aws"));
                let ty = aws.and_then(|a| a.get("type"));
                let is_nlb = ty.and_then(Node::as_str) == Some("NLB");
                let origin_span = ty.map(|n| n.span).or(Some(pspan));
                if !is_nlb {
                    self.out.push(Setting {
                        key: "ROUTER_USE_PROXY_PROTOCOL".into(),
                        value: "true".into(),
                        origin: Origin::ClusterConfig {
                            object: "infrastructures.config.openshift.io/cluster",
                            path: "status.platformStatus.type (AWS Classic load balancer)".into(),
                            span: origin_span,
                        },
                    });
                } else {
                    let proto = aws.and_then(|a| a.get("networkLoadBalancer")).and_then(|n| n.get("protocol"));
                    if let Some(p) = proto.filter(|p| p.as_str() == Some("PROXY")) {
                        self.field(
                            "ROUTER_USE_PROXY_PROTOCOL",
                            "true",
                            &format!("{path}.aws.networkLoadBalancer.protocol"),
                            Some(p.span),
                        );
                    }
                    if !tunnel_set {
                        self.out.push(Setting {
                            key: "ROUTER_DEFAULT_TUNNEL_TIMEOUT".into(),
                            value: "349s".into(),
                            origin: Origin::Operator {
                                note: "operator default on an AWS NLB: below the NLB's 350s idle timeout".into(),
                            },
                        });
                    }
                }
            }
            "IBMCloud" => {
                let proto = pp.and_then(|p| p.get("ibm")).and_then(|i| i.get("protocol"));
                if let Some(p) = proto.filter(|p| p.as_str() == Some("PROXY")) {
                    self.field("ROUTER_USE_PROXY_PROTOCOL", "true", &format!("{path}.ibm.protocol"), Some(p.span));
                }
            }
            _ => {}
        }
    }

    fn tuning(&mut self, tuning: N<'_>) {
        let p = "spec.tuningOptions";
        match self.f.int_in(tuning, "threadCount", &format!("{p}.threadCount"), Some(1), Some(64)) {
            Some((v, span)) => self.field("ROUTER_THREADS", v.to_string(), &format!("{p}.threadCount"), Some(span)),
            None => self.constant("ROUTER_THREADS", "4", "operator default for spec.tuningOptions.threadCount"),
        }
        if let Some((ns, span)) = self.f.duration(tuning, "tunnelTimeout", &format!("{p}.tunnelTimeout")) {
            if ns > 0 {
                self.field(
                    "ROUTER_DEFAULT_TUNNEL_TIMEOUT",
                    haproxy_timespec(ns),
                    &format!("{p}.tunnelTimeout"),
                    Some(span),
                );
            } else {
                self.ignored(span, "tunnelTimeout is not positive".to_owned());
            }
        }
        let timeouts = [
            ("clientTimeout", "ROUTER_DEFAULT_CLIENT_TIMEOUT"),
            ("clientFinTimeout", "ROUTER_CLIENT_FIN_TIMEOUT"),
            ("serverTimeout", "ROUTER_DEFAULT_SERVER_TIMEOUT"),
            ("serverFinTimeout", "ROUTER_DEFAULT_SERVER_FIN_TIMEOUT"),
            ("connectTimeout", "ROUTER_DEFAULT_CONNECT_TIMEOUT"),
            ("httpKeepAliveTimeout", "ROUTER_SLOWLORIS_HTTP_KEEPALIVE"),
            ("tlsInspectDelay", "ROUTER_INSPECT_DELAY"),
        ];
        for (field, key) in timeouts {
            let path = format!("{p}.{field}");
            let Some((ns, span)) = self.f.duration(tuning, field, &path) else { continue };
            if field == "httpKeepAliveTimeout" && !(NS_PER_MS..=15 * 60_000 * NS_PER_MS).contains(&ns) {
                let msg = if ns < NS_PER_MS {
                    "httpKeepAliveTimeout must be greater than or equal to 1 millisecond"
                } else {
                    "httpKeepAliveTimeout must be less than or equal to 15 minutes"
                };
                self.f.invalid(span, &path, format!("Invalid value: \"string\": {msg}"));
                continue;
            }
            if ns > 0 {
                self.field(key, haproxy_timespec(ns), &path, Some(span));
            } else {
                self.ignored(span, format!("{field} is not positive"));
            }
        }
        let path = format!("{p}.healthCheckInterval");
        if let Some((ns, span)) = self.f.duration(tuning, "healthCheckInterval", &path) {
            if ns >= 1000 * NS_PER_MS {
                self.field("ROUTER_BACKEND_CHECK_INTERVAL", haproxy_timespec(ns), &path, Some(span));
            } else {
                self.ignored(span, "healthCheckInterval below 1s".to_owned());
            }
        }
        let path = format!("{p}.reloadInterval");
        let reload = self.f.duration(tuning, "reloadInterval", &path);
        let ns = reload.map_or(0, |(ns, _)| ns);
        let capped = match ns {
            0 => 5_000 * NS_PER_MS,
            n if n > 120_000 * NS_PER_MS => 120_000 * NS_PER_MS,
            n if n < 1_000 * NS_PER_MS => 1_000 * NS_PER_MS,
            n => n,
        };
        match reload {
            Some((_, span)) if ns != 0 => {
                if capped != ns {
                    self.ignored(
                        span,
                        format!("reloadInterval is outside 1s..120s; the operator uses {}", haproxy_timespec(capped)),
                    );
                }
                self.field("RELOAD_INTERVAL", haproxy_timespec(capped), &path, Some(span));
            }
            _ => self.constant("RELOAD_INTERVAL", "5s", "operator default for spec.tuningOptions.reloadInterval"),
        }
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

    fn ports(&mut self, eps: &Eps<'_>) {
        let mut stats = (1936, Origin::Operator { note: "operator default stats port".into() });
        if eps.ty == "HostNetwork" {
            let base = format!("{}.hostNetwork", eps.base);
            let hn = self.f.map(eps.node, "hostNetwork", &base);
            let port = |d: &mut Self, field: &str, default: i64| match d.f.int_in(
                hn,
                field,
                &format!("{base}.{field}"),
                Some(0),
                Some(65535),
            ) {
                Some((v, span)) => (v, Origin::IngressController { path: format!("{base}.{field}"), span: Some(span) }),
                None => (default, Origin::Operator { note: format!("API server default for {base}.{field}") }),
            };
            let http = port(self, "httpPort", 80);
            let https = port(self, "httpsPort", 443);
            stats = port(self, "statsPort", 1936);
            if http.0 == https.0 || http.0 == stats.0 || stats.0 == https.0 {
                self.build.push((
                    format!(
                        "the specified HTTPS, HTTP and Stats ports {}, {}, {} are not unique",
                        https.0, http.0, stats.0
                    ),
                    hn.map(|n| n.span),
                ));
                return;
            }
            self.out.push(Setting {
                key: "ROUTER_SERVICE_HTTPS_PORT".into(),
                value: https.0.to_string(),
                origin: https.1,
            });
            self.out.push(Setting {
                key: "ROUTER_SERVICE_HTTP_PORT".into(),
                value: http.0.to_string(),
                origin: http.1,
            });
        }
        self.out.push(Setting { key: "STATS_PORT".into(), value: stats.0.to_string(), origin: stats.1 });
    }

    fn logging(&mut self, spec: N<'_>) {
        let logging = self.f.map(spec, "logging", "spec.logging");
        self.f.known(logging, "spec.logging", &["access"]);
        let p = "spec.logging.access";
        let Some(access) = self.f.map(logging, "access", p) else { return };
        self.f.known(
            Some(access),
            p,
            &["destination", "httpLogFormat", "httpCaptureHeaders", "httpCaptureCookies", "logEmptyRequests"],
        );
        let dest = self.f.map(Some(access), "destination", &format!("{p}.destination"));
        let dp = format!("{p}.destination");
        let Some((ty, ty_span)) = self.f.one_of(dest, "type", &format!("{dp}.type"), &["Container", "Syslog"]) else {
            self.ignored(access.span, "access logging without a valid destination type is off".to_owned());
            return;
        };
        if ty == "Container" {
            let container = self.f.map(dest, "container", &format!("{dp}.container"));
            let path = format!("{dp}.container.maxLength");
            match self.f.int_in(container, "maxLength", &path, Some(480), Some(8192)) {
                Some((v, span)) => self.field("ROUTER_LOG_MAX_LENGTH", v.to_string(), &path, Some(span)),
                None if container.is_some_and(|c| c.get("maxLength").is_none()) => self.constant(
                    "ROUTER_LOG_MAX_LENGTH",
                    "1024",
                    "API server default for spec.logging.access.destination.container.maxLength",
                ),
                None => {}
            }
            self.field("ROUTER_SYSLOG_ADDRESS", "/var/lib/rsyslog/rsyslog.sock", &format!("{dp}.type"), Some(ty_span));
            self.field("ROUTER_LOG_LEVEL", "info", &format!("{dp}.type"), Some(ty_span));
            self.advice(
                "routec::ingress::not-mapped",
                ty_span,
                "the rsyslog sidecar the operator adds for Container logging is not part of haproxy.config".to_owned(),
            );
        } else {
            let Some(syslog) = self.f.map(dest, "syslog", &format!("{dp}.syslog")) else {
                self.ignored(ty_span, "Syslog logging without destination.syslog is off".to_owned());
                return;
            };
            let sp = format!("{dp}.syslog");
            let facilities = [
                "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp",
                "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6",
                "local7",
            ];
            if let Some((fac, span)) = self.f.one_of(Some(syslog), "facility", &format!("{sp}.facility"), &facilities) {
                self.field("ROUTER_LOG_FACILITY", fac, &format!("{sp}.facility"), Some(span));
            }
            match self.f.int_in(Some(syslog), "maxLength", &format!("{sp}.maxLength"), Some(480), Some(4096)) {
                Some((v, span)) => {
                    self.field("ROUTER_LOG_MAX_LENGTH", v.to_string(), &format!("{sp}.maxLength"), Some(span))
                }
                None if syslog.get("maxLength").is_none() => self.constant(
                    "ROUTER_LOG_MAX_LENGTH",
                    "1024",
                    "API server default for spec.logging.access.destination.syslog.maxLength",
                ),
                None => {}
            }
            let address = self.f.string(Some(syslog), "address", &format!("{sp}.address"));
            let port = self.f.int_in(Some(syslog), "port", &format!("{sp}.port"), Some(1), Some(65535));
            self.field("ROUTER_LOG_LEVEL", "info", &format!("{dp}.type"), Some(ty_span));
            match (address, port) {
                (Some((a, span)), Some((port, _))) => {
                    self.field("ROUTER_SYSLOG_ADDRESS", join_host_port(&a, port), &format!("{sp}.address"), Some(span))
                }
                _ => self.f.invalid(syslog.span, &sp, "Required value: address and port are required"),
            }
        }
        if let Some((fmt, span)) =
            self.f.string(Some(access), "httpLogFormat", &format!("{p}.httpLogFormat")).filter(|(v, _)| !v.is_empty())
        {
            self.field("ROUTER_SYSLOG_FORMAT", go_quote(&fmt), &format!("{p}.httpLogFormat"), Some(span));
        }
        let headers = self.f.map(Some(access), "httpCaptureHeaders", &format!("{p}.httpCaptureHeaders"));
        for (field, key) in
            [("request", "ROUTER_CAPTURE_HTTP_REQUEST_HEADERS"), ("response", "ROUTER_CAPTURE_HTTP_RESPONSE_HEADERS")]
        {
            let path = format!("{p}.httpCaptureHeaders.{field}");
            let mut specs = Vec::new();
            let items = self.f.seq(headers, field, &path);
            for h in items {
                let name =
                    self.f.string(Some(h), "name", &format!("{path}[].name")).map(|(n, _)| n).unwrap_or_default();
                let len = self
                    .f
                    .int_in(Some(h), "maxLength", &format!("{path}[].maxLength"), Some(1), None)
                    .map_or(0, |(v, _)| v);
                specs.push(format!("{name}:{len}"));
            }
            if !specs.is_empty() {
                let span = headers.and_then(|h| h.get(field)).map(|n| n.span);
                self.field(key, specs.join(","), &path, span);
            }
        }
        let cpath = format!("{p}.httpCaptureCookies");
        let cookies = self.f.seq(Some(access), "httpCaptureCookies", &cpath);
        if cookies.len() > 1 {
            self.f.invalid(cookies[1].span, &cpath, format!("Too many: {}: must have at most 1 items", cookies.len()));
        }
        if let Some(c) = cookies.first() {
            let mt = self.f.one_of(Some(c), "matchType", &format!("{cpath}[].matchType"), &["Exact", "Prefix"]);
            let name = match mt {
                Some(("Exact", _)) => self
                    .f
                    .string(Some(c), "name", &format!("{cpath}[].name"))
                    .map(|(n, _)| format!("{n}="))
                    .unwrap_or_else(|| "=".into()),
                Some(_) => self
                    .f
                    .string(Some(c), "namePrefix", &format!("{cpath}[].namePrefix"))
                    .map(|(n, _)| n)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let len = self
                .f
                .int_in(Some(c), "maxLength", &format!("{cpath}[].maxLength"), Some(1), Some(1024))
                .map_or(256, |(v, _)| v);
            self.field("ROUTER_CAPTURE_HTTP_COOKIE", format!("{name}:{len}"), &cpath, Some(c.span));
        }
        if let Some(("Ignore", span)) =
            self.f.one_of(Some(access), "logEmptyRequests", &format!("{p}.logEmptyRequests"), &["Log", "Ignore"])
        {
            self.field("ROUTER_DONT_LOG_NULL", "true", &format!("{p}.logEmptyRequests"), Some(span));
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

    fn headers(&mut self, spec: N<'_>) {
        let hh = self.f.map(spec, "httpHeaders", "spec.httpHeaders");
        self.f.known(
            hh,
            "spec.httpHeaders",
            &["forwardedHeaderPolicy", "uniqueId", "headerNameCaseAdjustments", "actions"],
        );
        let actions = self.f.map(hh, "actions", "spec.httpHeaders.actions");
        self.f.known(actions, "spec.httpHeaders.actions", &["request", "response"]);
        for (field, key) in [("response", "ROUTER_HTTP_RESPONSE_HEADERS"), ("request", "ROUTER_HTTP_REQUEST_HEADERS")] {
            let path = format!("spec.httpHeaders.actions.{field}");
            let items = self.f.seq(actions, field, &path);
            if items.is_empty() {
                continue;
            }
            if items.len() > 20 {
                self.f.invalid(items[20].span, &path, format!("Too many: {}: must have at most 20 items", items.len()));
            }
            let mut specs = Vec::new();
            for item in items {
                let name = self.f.string(Some(item), "name", &format!("{path}[].name"));
                let action = self.f.map(Some(item), "action", &format!("{path}[].action"));
                let ty = self.f.one_of(action, "type", &format!("{path}[].action.type"), &["Set", "Delete"]);
                let set = self.f.map(action, "set", &format!("{path}[].action.set"));
                if let Some((n, span)) = &name {
                    let lower = n.to_ascii_lowercase();
                    if ["strict-transport-security", "proxy", "host", "cookie", "set-cookie"].contains(&lower.as_str())
                    {
                        self.f.invalid(
                            *span,
                            &format!("{path}[].name"),
                            format!("Invalid value: \"string\": {lower} header may not be modified via header actions"),
                        );
                        continue;
                    }
                }
                let (Some((n, _)), Some((ty, tspan))) = (name, ty) else { continue };
                if (ty == "Set") != set.is_some() {
                    self.f.invalid(
                        tspan,
                        &format!("{path}[].action"),
                        "Invalid value: \"object\": set is required when type is Set, and forbidden otherwise",
                    );
                    continue;
                }
                if n.is_empty() {
                    continue;
                }
                if ty == "Set" {
                    let value = self
                        .f
                        .string(set, "value", &format!("{path}[].action.set.value"))
                        .map(|(v, _)| v)
                        .unwrap_or_default();
                    specs.push(format!("{}:{}:Set", query_escape(&n), query_escape(&value)));
                } else {
                    specs.push(format!("{}:Delete", query_escape(&n)));
                }
            }
            let span = actions.and_then(|a| a.get(field)).map(|n| n.span);
            self.field(key, specs.join(","), &path, span);
        }
        let p = "spec.httpHeaders.forwardedHeaderPolicy";
        match self.f.one_of(hh, "forwardedHeaderPolicy", p, &["Append", "Replace", "IfNone", "Never"]) {
            Some((v, span)) => {
                let value = match v {
                    "Replace" => "replace",
                    "IfNone" => "if-none",
                    "Never" => "never",
                    _ => "append",
                };
                self.field("ROUTER_SET_FORWARDED_HEADERS", value, p, Some(span));
            }
            None => self.constant("ROUTER_SET_FORWARDED_HEADERS", "append", "operator default: Append"),
        }
        let uid = self.f.map(hh, "uniqueId", "spec.httpHeaders.uniqueId");
        if let Some((name, span)) =
            self.f.string(uid, "name", "spec.httpHeaders.uniqueId.name").filter(|(n, _)| !n.is_empty())
        {
            self.field("ROUTER_UNIQUE_ID_HEADER_NAME", name, "spec.httpHeaders.uniqueId.name", Some(span));
            match self.f.string(uid, "format", "spec.httpHeaders.uniqueId.format").filter(|(f, _)| !f.is_empty()) {
                Some((fmt, fspan)) => self.field(
                    "ROUTER_UNIQUE_ID_FORMAT",
                    go_quote(&fmt),
                    "spec.httpHeaders.uniqueId.format",
                    Some(fspan),
                ),
                None => self.constant(
                    "ROUTER_UNIQUE_ID_FORMAT",
                    go_quote("%{+X}o %ci:%cp_%fi:%fp_%Ts_%rt:%pid"),
                    "operator default for spec.httpHeaders.uniqueId.format",
                ),
            }
        }
        let p = "spec.httpHeaders.headerNameCaseAdjustments";
        let items = self.f.seq(hh, "headerNameCaseAdjustments", p);
        if !items.is_empty() {
            let mut names = Vec::new();
            for i in items {
                if let Some((n, _)) = self.f.as_string(i, &format!("{p}[]")) {
                    names.push(n);
                }
            }
            let span = hh.and_then(|h| h.get("headerNameCaseAdjustments")).map(|n| n.span);
            self.field("ROUTER_H1_CASE_ADJUST", names.join(","), p, span);
        }
    }

    fn policies(&mut self, spec: N<'_>, annotations: N<'_>, cfg: &Cluster<'_>) {
        if let Some(("Ignore", span)) =
            self.f.one_of(spec, "httpEmptyRequestsPolicy", "spec.httpEmptyRequestsPolicy", &["Respond", "Ignore"])
        {
            self.field("ROUTER_HTTP_IGNORE_PROBES", "true", "spec.httpEmptyRequestsPolicy", Some(span));
        }
        // HTTP/2: the IngressController's annotation, whatever its value, wins over the
        // cluster ingress config's.
        const H2: &str = "ingress.operator.openshift.io/default-enable-http2";
        let ic_h2 = annotations.and_then(|a| a.get(H2)).map(|n| (n.as_str().unwrap_or(""), n.span));
        match (ic_h2, cfg.ingress_annotation(H2)) {
            (Some((v, span)), _) => {
                let on = parse_bool(v).unwrap_or(false);
                self.field(
                    "ROUTER_DISABLE_HTTP2",
                    (!on).to_string(),
                    &format!("metadata.annotations[{H2}]"),
                    Some(span),
                );
            }
            (None, Some((v, span))) => {
                let on = parse_bool(v).unwrap_or(false);
                self.out.push(Setting {
                    key: "ROUTER_DISABLE_HTTP2".into(),
                    value: (!on).to_string(),
                    origin: Origin::ClusterConfig {
                        object: "ingresses.config.openshift.io/cluster",
                        path: format!("metadata.annotations[{H2}]"),
                        span: Some(span),
                    },
                });
            }
            (None, None) => self.constant("ROUTER_DISABLE_HTTP2", "true", "operator default: HTTP/2 off"),
        }
        const HSA: &str = "ingress.operator.openshift.io/hard-stop-after";
        let ic_hsa = annotations.and_then(|a| a.get(HSA)).map(|n| (n.as_str().unwrap_or("").to_owned(), n.span));
        let mut done = false;
        if let Some((v, span)) = ic_hsa.filter(|(v, _)| !v.is_empty()) {
            match clip_haproxy_timeout(&v) {
                Ok(c) => {
                    self.field("ROUTER_HARD_STOP_AFTER", c, &format!("metadata.annotations[{HSA}]"), Some(span));
                    done = true;
                }
                Err(e) => self.ignored(span, format!("hard-stop-after \"{v}\" is not a HAProxy time ({e})")),
            }
        }
        if !done {
            if let Some((v, span)) = cfg.ingress_annotation(HSA).filter(|(v, _)| !v.is_empty()) {
                match clip_haproxy_timeout(v) {
                    Ok(c) => self.out.push(Setting {
                        key: "ROUTER_HARD_STOP_AFTER".into(),
                        value: c,
                        origin: Origin::ClusterConfig {
                            object: "ingresses.config.openshift.io/cluster",
                            path: format!("metadata.annotations[{HSA}]"),
                            span: Some(span),
                        },
                    }),
                    Err(e) => self.ignored(
                        span,
                        format!("hard-stop-after \"{v}\" on the ingress config is not a HAProxy time ({e})"),
                    ),
                }
            }
        }
        if let Some(("Deferred", span)) = self.f.one_of(
            spec,
            "idleConnectionTerminationPolicy",
            "spec.idleConnectionTerminationPolicy",
            &["Immediate", "Deferred"],
        ) {
            self.field("ROUTER_IDLE_CLOSE_ON_RESPONSE", "true", "spec.idleConnectionTerminationPolicy", Some(span));
        }
        if let Some(("Abort", span)) = self.f.one_of(
            spec,
            "closedClientConnectionPolicy",
            "spec.closedClientConnectionPolicy",
            &["Abort", "Continue"],
        ) {
            self.field("ROUTER_ABORT_ON_CLOSE", "true", "spec.closedClientConnectionPolicy", Some(span));
        }
    }

    fn buffers(&mut self, tuning: N<'_>) {
        let p = "spec.tuningOptions";
        let buf = self.f.int_in(tuning, "headerBufferBytes", &format!("{p}.headerBufferBytes"), Some(16384), None);
        let rw = self.f.int_in(
            tuning,
            "headerBufferMaxRewriteBytes",
            &format!("{p}.headerBufferMaxRewriteBytes"),
            Some(4096),
            None,
        );
        if let Some((v, span)) = buf {
            self.field("ROUTER_BUF_SIZE", v.to_string(), &format!("{p}.headerBufferBytes"), Some(span));
        }
        if let Some((v, span)) = rw {
            self.field(
                "ROUTER_MAX_REWRITE_SIZE",
                v.to_string(),
                &format!("{p}.headerBufferMaxRewriteBytes"),
                Some(span),
            );
        }
        if buf.is_some() || rw.is_some() {
            let b = buf.map_or(ROUTER_DEFAULT_BUF, |(v, _)| v);
            let r = rw.map_or(ROUTER_DEFAULT_REWRITE, |(v, _)| v);
            if b <= r {
                let at = buf.or(rw).map(|(_, s)| s);
                self.rejections.push((format!("invalid spec.httpHeaderBuffer: headerBufferBytes ({b}) must be larger than headerBufferMaxRewriteBytes ({r})"), at));
            }
        }
    }

    fn client_tls(&mut self, spec: N<'_>) {
        let p = "spec.clientTLS";
        let ct = self.f.map(spec, "clientTLS", p);
        self.f.known(ct, p, &["clientCertificatePolicy", "clientCA", "allowedSubjectPatterns"]);
        let patterns = self.f.seq(ct, "allowedSubjectPatterns", &format!("{p}.allowedSubjectPatterns"));
        let mut pats = Vec::new();
        for (i, n) in patterns.iter().enumerate() {
            let Some((pat, span)) = self.f.as_string(n, &format!("{p}.allowedSubjectPatterns[]")) else { continue };
            if let Err(e) = regex::Regex::new(&pat) {
                let first = e.to_string().lines().last().unwrap_or("").trim().to_owned();
                self.rejections.push((
                    format!(
                        "failed to parse spec.clientTLS.allowedSubjectPatterns[{i}]: error parsing regexp: {first}"
                    ),
                    Some(span),
                ));
            }
            pats.push(pat);
        }
        let Some((policy, span)) = self.f.one_of(
            ct,
            "clientCertificatePolicy",
            &format!("{p}.clientCertificatePolicy"),
            &["", "Required", "Optional"],
        ) else {
            return;
        };
        if policy.is_empty() {
            return;
        }
        self.field(
            "ROUTER_MUTUAL_TLS_AUTH",
            policy.to_ascii_lowercase(),
            &format!("{p}.clientCertificatePolicy"),
            Some(span),
        );
        let ca = self.f.map(ct, "clientCA", &format!("{p}.clientCA"));
        let Some((cm, ca_span)) =
            self.f.string(ca, "name", &format!("{p}.clientCA.name")).filter(|(n, _)| !n.is_empty())
        else {
            return;
        };
        self.field(
            "ROUTER_MUTUAL_TLS_AUTH_CA",
            "/etc/pki/tls/client-ca/ca-bundle.pem",
            &format!("{p}.clientCA.name"),
            Some(ca_span),
        );
        self.advice(
            "routec::ingress::not-mapped",
            ca_span,
            format!(
                "the CA bundle of ConfigMap {cm} is mounted into the router; routec writes its path, not its contents"
            ),
        );
        if !pats.is_empty() {
            let span = ct.and_then(|c| c.get("allowedSubjectPatterns")).map(|n| n.span);
            self.field(
                "ROUTER_MUTUAL_TLS_AUTH_FILTER",
                format!("(?:{})", pats.join("|")),
                &format!("{p}.allowedSubjectPatterns"),
                span,
            );
        }
    }

    fn compression(&mut self, spec: N<'_>) {
        let p = "spec.httpCompression";
        let c = self.f.map(spec, "httpCompression", p);
        self.f.known(c, p, &["mimeTypes"]);
        let items = self.f.seq(c, "mimeTypes", &format!("{p}.mimeTypes"));
        if items.is_empty() {
            return;
        }
        let mut words = Vec::new();
        for i in items {
            if let Some((m, _)) = self.f.as_string(i, &format!("{p}.mimeTypes[]")) {
                words.push(mime_word(&m));
            }
        }
        let span = c.and_then(|c| c.get("mimeTypes")).map(|n| n.span);
        self.field("ROUTER_ENABLE_COMPRESSION", "true", &format!("{p}.mimeTypes"), span);
        self.field("ROUTER_COMPRESSION_MIME", words.join(" "), &format!("{p}.mimeTypes"), span);
    }
}

/// The endpoint publishing strategy in effect.
struct Eps<'n> {
    ty: &'static str,
    node: N<'n>,
    base: &'static str,
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
