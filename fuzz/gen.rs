//! A generator of random *valid* inputs, driven by bytes through `arbitrary::Unstructured` (so
//! libFuzzer steers it, and the suite feeds it seeded bytes): Routes of every termination and
//! insecure policy, with or without their own certificate, weights and alternate backends,
//! every annotation of `annotations::REGISTRY` with a value its rule accepts, router settings
//! with values the router accepts, Services, and every endpoint shape (Endpoints with ready,
//! not-ready and pod-less addresses over several ports; EndpointSlices with ready, serving and
//! terminating conditions, IPv4 and IPv6; no endpoints at all). Server addresses are literal
//! IPs and no setting names a host, so HAProxy never resolves a name.

use std::fmt::Write as _;

use arbitrary::Unstructured;
use routec_core::annotations::{Rule, REGISTRY};

/// One generated input.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    /// The objects, as one multi-document YAML file.
    pub(crate) objects: String,
    /// Router settings.
    pub(crate) settings: Vec<(String, String)>,
}

const CERT: &str = include_str!("../fixtures/default-cert/tls.crt");
const KEY: &str = include_str!("../fixtures/default-cert/tls.key");
const DEST_CA: &str = include_str!("../fixtures/pki/dest-ca.crt");

/// Settings with values the router accepts and HAProxy loads.
const SETTINGS: &[(&str, &[&str])] = &[
    ("ROUTER_LOAD_BALANCE_ALGORITHM", &["roundrobin", "leastconn", "random", "source"]),
    ("ROUTER_TCP_BALANCE_SCHEME", &["source", "roundrobin", "leastconn"]),
    ("ROUTER_DEFAULT_SERVER_TIMEOUT", &["30s", "5m", "1500ms"]),
    ("ROUTER_DEFAULT_CLIENT_TIMEOUT", &["30s", "1m"]),
    ("ROUTER_DEFAULT_CONNECT_TIMEOUT", &["5s", "10s"]),
    ("ROUTER_DEFAULT_TUNNEL_TIMEOUT", &["1h", "30m"]),
    ("ROUTER_SLOWLORIS_TIMEOUT", &["10s"]),
    ("ROUTER_INSPECT_DELAY", &["5s"]),
    ("ROUTER_BACKEND_CHECK_INTERVAL", &["5000ms", "2s"]),
    ("ROUTER_THREADS", &["1", "4"]),
    ("ROUTER_MAX_CONNECTIONS", &["20000", "auto"]),
    ("ROUTER_BUF_SIZE", &["32768"]),
    ("ROUTER_MAX_REWRITE_SIZE", &["8192"]),
    ("ROUTER_USE_PROXY_PROTOCOL", &["true", "false"]),
    ("ROUTER_ENABLE_COMPRESSION", &["true"]),
    ("ROUTER_COMPRESSION_MIME", &["text/html text/css"]),
    ("ROUTER_ALLOW_WILDCARD_ROUTES", &["true"]),
    ("ROUTER_DISABLE_NAMESPACE_OWNERSHIP_CHECK", &["true"]),
    ("ROUTER_SET_FORWARDED_HEADERS", &["append", "replace", "if-none", "never"]),
    ("ROUTER_COOKIE_NAME", &["routecookie"]),
    ("ROUTER_STRICT_SNI", &["true"]),
    ("ROUTER_DONT_LOG_NULL", &["true"]),
    ("ROUTER_HTTP_IGNORE_PROBES", &["true"]),
    ("ROUTER_IDLE_CLOSE_ON_RESPONSE", &["true"]),
    ("ROUTER_WATCH_ENDPOINTS", &["true"]),
    ("ROUTER_HAPROXY_CONFIG_MANAGER", &["true"]),
    ("ROUTER_MAX_DYNAMIC_SERVERS", &["3"]),
    ("ROUTER_CAPTURE_HTTP_REQUEST_HEADERS", &["Host:256,User-Agent:128"]),
    ("ROUTER_CAPTURE_HTTP_COOKIE", &["session:64"]),
    ("ROUTER_HTTP_REQUEST_HEADERS", &["X-Env:Set:'prod'"]),
    ("ROUTER_CIPHERS", &["intermediate", "modern"]),
    ("SSL_MIN_VERSION", &["TLSv1.2"]),
    ("ROUTER_ABORT_ON_CLOSE", &["true"]),
    ("ROUTER_BACKEND_PROCESS_ENDPOINTS", &["shuffle", ""]),
];

/// A value `rule` accepts.
fn value(u: &mut Unstructured<'_>, rule: Rule) -> String {
    let pick = |u: &mut Unstructured<'_>, list: &[&str]| {
        u.choose(list).map_or_else(|_| list[0].to_owned(), |s| (*s).to_owned())
    };
    match rule {
        Rule::Bool => pick(u, &["true", "false", "1", "0", "True", "f"]),
        Rule::TimeSpec => pick(u, &["5s", "300ms", "2m", "1h", "10", "1d", "250us"]),
        Rule::Integer => pick(u, &["1", "10", "100", "2500"]),
        Rule::OneOf(list) => pick(u, list),
        Rule::CookieName => pick(u, &["c1", "session_id", "A-b_9"]),
        Rule::IpList => pick(u, &["10.0.0.0/8", "192.168.1.1 10.1.0.0/16", "fd00::/8 10.2.3.4", "127.0.0.1"]),
        Rule::Hsts => {
            pick(u, &["max-age=31536000", "max-age=0;includeSubDomains;preload", "max-age=100 ; includeSubDomains"])
        }
        Rule::RewriteTarget => pick(u, &["/", "/api", "/v2/", "/a\\b"]),
        Rule::Any => pick(u, &["true", ""]),
    }
}

fn n(u: &mut Unstructured<'_>, max: u32) -> u32 {
    u.int_in_range(0..=max).unwrap_or(0)
}

fn yes(u: &mut Unstructured<'_>) -> bool {
    u.arbitrary::<bool>().unwrap_or(false)
}

/// The case `data` describes.
pub(crate) fn case(data: &[u8]) -> Case {
    let mut u = Unstructured::new(data);
    let u = &mut u;
    let mut settings = Vec::new();
    for (k, vals) in SETTINGS {
        if n(u, 5) == 0 {
            let v = u.choose(vals).map_or(vals[0], |v| *v);
            settings.push(((*k).to_owned(), v.to_owned()));
        }
    }
    let mut y = String::new();
    let namespaces = ["shop", "blog"];
    let services = 1 + n(u, 3);
    for ns in namespaces {
        for s in 0..services {
            let _ = write!(
                y,
                "---\napiVersion: v1\nkind: Service\nmetadata: {{name: svc{s}, namespace: {ns}}}\n\
                 spec:\n  ports:\n  - {{name: http, port: 80, targetPort: 8080}}\n  - {{name: https, port: 443, targetPort: 8443}}\n"
            );
            endpoints(u, &mut y, ns, s);
        }
    }
    let routes = 1 + n(u, 4);
    for r in 0..routes {
        route(u, &mut y, namespaces[(r % 2) as usize], r, services);
    }
    Case { objects: y, settings }
}

fn route(u: &mut Unstructured<'_>, y: &mut String, ns: &str, r: u32, services: u32) {
    let _ =
        write!(y, "---\napiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: r{r}\n  namespace: {ns}\n");
    let _ = writeln!(y, "  creationTimestamp: \"2026-01-0{}T00:00:00Z\"", 1 + r % 9);
    let mut annotations = Vec::new();
    for a in REGISTRY {
        if n(u, 3) == 0 {
            annotations.push((a.key, value(u, a.rule)));
        }
    }
    if !annotations.is_empty() {
        y.push_str("  annotations:\n");
        for (k, v) in annotations {
            let _ = writeln!(y, "    {k}: '{}'", v.replace('\'', "''"));
        }
    }
    let termination = n(u, 3);
    let wildcard = n(u, 5) == 0;
    let host = if wildcard { format!("w{r}.{ns}.example.com") } else { format!("r{r}.{ns}.example.com") };
    let _ = write!(y, "spec:\n  host: {host}\n");
    if wildcard {
        y.push_str("  wildcardPolicy: Subdomain\n");
    }
    if termination != 2 && yes(u) {
        let _ = writeln!(y, "  path: /p{}", n(u, 3));
    }
    let main = n(u, services - 1);
    let _ = write!(y, "  to: {{kind: Service, name: svc{main}");
    if yes(u) {
        let _ = write!(y, ", weight: {}", n(u, 256));
    }
    y.push_str("}\n");
    let alternates: Vec<u32> = (0..services).filter(|s| *s != main).take(n(u, 3) as usize).collect();
    if !alternates.is_empty() {
        y.push_str("  alternateBackends:\n");
        for s in alternates {
            let _ = writeln!(y, "  - {{kind: Service, name: svc{s}, weight: {}}}", n(u, 256));
        }
    }
    match n(u, 2) {
        0 => {}
        1 => y.push_str("  port: {targetPort: http}\n"),
        _ => y.push_str("  port: {targetPort: 8443}\n"),
    }
    let policy = u.choose(&["", "None", "Allow", "Redirect"]).map_or("", |p| *p);
    let block = |pem: &str| pem.lines().map(|l| format!("      {l}\n")).collect::<String>();
    match termination {
        0 => {}
        1 | 3 => {
            let kind = if termination == 1 { "edge" } else { "reencrypt" };
            let _ = write!(y, "  tls:\n    termination: {kind}\n");
            if !policy.is_empty() {
                let _ = writeln!(y, "    insecureEdgeTerminationPolicy: {policy}");
            }
            if yes(u) {
                let _ = write!(y, "    certificate: |\n{}    key: |\n{}", block(CERT), block(KEY));
            }
            if termination == 3 && yes(u) {
                let _ = write!(y, "    destinationCACertificate: |\n{}", block(DEST_CA));
            }
        }
        _ => {
            y.push_str("  tls:\n    termination: passthrough\n");
            if matches!(policy, "None" | "Redirect") {
                let _ = writeln!(y, "    insecureEdgeTerminationPolicy: {policy}");
            }
        }
    }
}

fn endpoints(u: &mut Unstructured<'_>, y: &mut String, ns: &str, s: u32) {
    let ip = |i: u32, v6: bool| {
        if v6 {
            format!("fd00::{}:{}", s + 1, i + 1)
        } else {
            format!("10.{}.{}.{}", s, i / 250, i % 250 + 1)
        }
    };
    match n(u, 3) {
        // Endpoints: ready, not-ready and pod-less addresses, one or two ports.
        0 | 1 => {
            let _ = write!(
                y,
                "---\napiVersion: v1\nkind: Endpoints\nmetadata: {{name: svc{s}, namespace: {ns}}}\nsubsets:\n"
            );
            for sub in 0..1 + n(u, 1) {
                y.push_str("- addresses:\n");
                for i in 0..1 + n(u, 3) {
                    let a = sub * 10 + i;
                    if yes(u) {
                        let _ = writeln!(y, "  - {{ip: {}, targetRef: {{kind: Pod, name: p{s}-{a}}}}}", ip(a, false));
                    } else {
                        let _ = writeln!(y, "  - {{ip: {}}}", ip(a, false));
                    }
                }
                if yes(u) {
                    let _ = writeln!(y, "  notReadyAddresses:\n  - {{ip: {}}}", ip(sub * 10 + 9, false));
                }
                y.push_str("  ports:\n  - {name: http, port: 8080}\n");
                if yes(u) {
                    y.push_str("  - {name: https, port: 8443}\n");
                }
            }
        }
        // An EndpointSlice with conditions, IPv4 or IPv6.
        2 => {
            let v6 = yes(u);
            let family = if v6 { "IPv6" } else { "IPv4" };
            let _ = write!(
                y,
                "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: svc{s}-abc\n  namespace: {ns}\n  labels: {{kubernetes.io/service-name: svc{s}}}\naddressType: {family}\nports:\n- {{name: http, port: 8080}}\n- {{name: https, port: 8443}}\nendpoints:\n"
            );
            for i in 0..1 + n(u, 3) {
                let (ready, serving, terminating) = (yes(u), yes(u), yes(u));
                let _ = writeln!(
                    y,
                    "- addresses: [\"{}\"]\n  conditions: {{ready: {ready}, serving: {serving}, terminating: {terminating}}}\n  targetRef: {{kind: Pod, name: p{s}-{i}}}",
                    ip(i, v6)
                );
            }
        }
        // No endpoints in the input at all (a Git repository).
        _ => {}
    }
}
