//! Router settings end to end: what the router writes for a default certificate named by path,
//! and that every start-up refusal routec reports names the setting, however it was given.

mod common;

use routec_core::{compile, Options, Settings, Severity, SourceFile};

fn route() -> SourceFile {
    SourceFile::new(
        "r.yaml",
        "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: web, namespace: demo}\nspec: {host: web.example.test, to: {kind: Service, name: web}, tls: {termination: edge}}\n",
    )
}

fn with(pairs: &[(&str, &str)]) -> Settings {
    let mut s = Settings::new();
    for (k, v) in pairs {
        s.set(*k, *v);
    }
    s
}

/// `writeDefaultCert`: a path alone is bound as given and no default.pem is written, even when
/// a certificate is supplied; `DEFAULT_CERTIFICATE` contents still win over the path.
#[test]
fn default_certificate_path_is_bound_as_given() {
    let opts = Options { default_certificate: Some(common::default_cert()), ..Options::default() };
    let out = compile(&[route()], &with(&[("DEFAULT_CERTIFICATE_PATH", "/etc/pki/router/default.pem")]), &opts);
    let cfg = out.file("conf/haproxy.config").unwrap_or_default();
    assert!(cfg.contains("ssl crt /etc/pki/router/default.pem crt-list"), "{cfg}");
    assert!(out.file("router/certs/default.pem").is_none());

    let out = compile(&[route()], &Settings::new(), &opts);
    assert!(out
        .file("conf/haproxy.config")
        .unwrap_or_default()
        .contains("crt /var/lib/haproxy/router/certs/default.pem"));
    assert!(out.file("router/certs/default.pem").is_some());

    let pem = common::default_cert();
    let both = with(&[("DEFAULT_CERTIFICATE_PATH", "/etc/pki/router/default.pem"), ("DEFAULT_CERTIFICATE", &pem)]);
    let out = compile(&[route()], &both, &Options::default());
    assert!(
        !out.diagnostics.iter().any(|d| d.code == "routec::security::control-character"),
        "a PEM's lines are no injection"
    );
    assert!(out
        .file("conf/haproxy.config")
        .unwrap_or_default()
        .contains("crt /var/lib/haproxy/router/certs/default.pem"));
    assert_eq!(out.file("router/certs/default.pem"), Some(pem.as_str()));
}

/// Each refusal is one error that names the setting; settings that only look odd are not
/// refused.
#[test]
fn refusals_name_the_setting() {
    let refused: &[&[(&str, &str)]] = &[
        &[("ROUTER_CAPTURE_HTTP_REQUEST_HEADERS", "Host:abc")],
        &[("ROUTER_CAPTURE_HTTP_RESPONSE_HEADERS", "Content-Type:1:2")],
        &[("ROUTER_CAPTURE_HTTP_COOKIE", "a b:5")],
        &[("ROUTER_OVERRIDE_HOSTNAME", "true")],
        &[("ROUTER_OVERRIDE_DOMAINS", "a.test")],
        &[("ROUTE_LABELS", "a==b==c")],
        &[("ROUTE_FIELDS", "spec.host=a=b")],
        &[("PROJECT_LABELS", "a=b"), ("NAMESPACE_LABELS", "a=b")],
        &[("PROJECT_LABELS", "a b")],
        &[("ROUTER_CANONICAL_HOSTNAME", "10.0.0.1")],
        &[("ROUTER_CANONICAL_HOSTNAME", "Bad_Host")],
        &[("STATS_PORT", "abc")],
        &[("ROUTER_LISTEN_ADDR", "0.0.0.0")],
        &[("ROUTER_LISTEN_ADDR", "0.0.0.0:x")],
        &[("RELOAD_INTERVAL", "0.5s")],
        &[("COMMIT_INTERVAL", "-1h")],
        &[("ROUTER_SERVICE_NAME", "default")],
        &[("ROUTER_H1_CASE_ADJUST", "Host,")],
        &[("ROUTER_METRICS_TYPE", "prometheus")],
    ];
    for pairs in refused {
        let out = compile(&[route()], &with(pairs), &Options::default());
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        assert_eq!(errors.len(), 1, "{pairs:?}: {errors:?}");
        let key = pairs.first().map_or("", |(k, _)| *k);
        assert!(errors[0].message.starts_with(&format!("{key}:")), "{pairs:?}: {}", errors[0].message);
    }
    let accepted: &[&[(&str, &str)]] = &[
        &[("ROUTER_CAPTURE_HTTP_REQUEST_HEADERS", "Host:+5,X-Id:0064")],
        &[("ROUTER_SUBDOMAIN", "${name}.t.test"), ("ROUTER_OVERRIDE_HOSTNAME", "true")],
        &[("ROUTE_LABELS", "app.kubernetes.io/name in (web, api),!canary")],
        &[("ROUTE_FIELDS", "spec.host!=a\\=b.test")],
        &[("PROJECT_LABELS", "*")],
        &[("ROUTER_CANONICAL_HOSTNAME", "router.apps.example.test")],
        &[("ROUTER_LISTEN_ADDR", "[::]:1936")],
        &[("RELOAD_INTERVAL", "nonsense")],
        &[("ROUTER_SERVICE_NAME", "default"), ("ROUTER_SERVICE_NAMESPACE", "openshift-ingress")],
        &[("ROUTER_METRICS_TYPE", "haproxy")],
    ];
    for pairs in accepted {
        let out = compile(&[route()], &with(pairs), &Options::default());
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{pairs:?}: {errors:?}");
    }
}
