//! `routec settings` and the cluster flags end to end: every layer of the precedence named with
//! its source, JSON output, the exit code on a rejected IngressController, the README's
//! whole-cluster pipe, and that compiling with the printed settings gives the same config as
//! compiling with the IngressController itself.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{root, routec, stdout};

const CASE: &str = "fixtures/ingress/router-env-precedence";

#[test]
fn text_names_every_layer() {
    let o = routec(&[
        "settings",
        "fixtures/ingress/_app",
        "--ingress-controller",
        &format!("{CASE}/ingresscontroller.yaml"),
        "--router-deployment",
        &format!("{CASE}/deployment.yaml"),
        "--router-env",
        &format!("{CASE}/router.env"),
        "--set",
        "ROUTER_LOG_LEVEL=debug",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains(&format!("# --router-env {CASE}/router.env:1\n")), "{out}");
    assert!(out.contains("#   overrides ROUTER_THREADS=6 from router Deployment env"), "{out}");
    assert!(
        out.contains("#   overrides ROUTER_THREADS=6 from IngressController spec.tuningOptions.threadCount"),
        "{out}"
    );
    assert!(out.contains("ROUTER_THREADS=2\n"), "{out}");
    assert!(out.contains("# --set\nROUTER_LOG_LEVEL=debug\n"), "{out}");
}

#[test]
fn json_lists_sources_and_overrides() {
    let o = routec(&["settings", CASE, "--set", "ROUTER_THREADS=3", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let items = v["settings"].as_array().expect("settings");
    let threads = items.iter().find(|i| i["key"] == "ROUTER_THREADS").expect("ROUTER_THREADS");
    assert_eq!(threads["value"], "3");
    assert_eq!(threads["source"]["kind"], "caller");
    let kinds: Vec<&str> = threads["overrides"]
        .as_array()
        .expect("overrides")
        .iter()
        .filter_map(|o| o["source"]["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["deployment", "ingress-controller"]);
    let domain = items.iter().find(|i| i["key"] == "ROUTER_DOMAIN").expect("ROUTER_DOMAIN");
    assert_eq!(domain["source"]["kind"], "deployment");
    assert!(domain["source"]["line"].as_u64().is_some());
    let under = &domain["overrides"][0]["source"];
    assert_eq!(under["path"], "status.domain");
    assert_eq!(under["file"], format!("{CASE}/ingresscontroller.yaml"));
}

#[test]
fn rejected_ingress_controller_exits_1() {
    let o = routec(&["settings", "fixtures/ingress/buffers-rejected"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("routec::ingress::rejected"));
}

/// The README's `oc get ingresscontroller,route,svc,endpointslices -A -o yaml | routec compile - -o out`.
#[test]
fn whole_cluster_list_on_stdin() {
    let list = r#"apiVersion: v1
kind: List
items:
- apiVersion: operator.openshift.io/v1
  kind: IngressController
  metadata: {name: default, namespace: openshift-ingress-operator}
  spec:
    tuningOptions: {threadCount: 6}
    httpHeaders: {forwardedHeaderPolicy: Never}
  status:
    domain: apps.example.com
    endpointPublishingStrategy: {type: HostNetwork}
- apiVersion: operator.openshift.io/v1
  kind: IngressController
  metadata: {name: internal, namespace: openshift-ingress-operator}
  spec: {domain: internal.example.com}
- apiVersion: route.openshift.io/v1
  kind: Route
  metadata: {name: web, namespace: shop}
  spec: {host: shop.apps.example.com, to: {kind: Service, name: web}}
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop}
  spec: {ports: [{name: http, port: 80, targetPort: 8080}], selector: {app: web}}
- apiVersion: discovery.k8s.io/v1
  kind: EndpointSlice
  metadata: {name: web-abc, namespace: shop, labels: {kubernetes.io/service-name: web}}
  addressType: IPv4
  endpoints: [{addresses: [10.128.0.5], conditions: {ready: true}}]
  ports: [{name: http, port: 8080}]
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_routec"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(["compile", "-", "-o"])
        .arg(&out_dir)
        .args(["--default-certificate", "fixtures/default-cert", "--now", "2027-01-01T00:00:00Z"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("routec runs");
    child.stdin.take().expect("stdin").write_all(list.as_bytes()).expect("write stdin");
    let o = child.wait_with_output().expect("routec ends");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("IngressController internal is not the selected one"), "{err}");
    let config = std::fs::read_to_string(out_dir.join("conf/haproxy.config")).expect("haproxy.config");
    assert!(config.contains("nbthread 6"), "{config}");
    assert!(config.contains("backend be_http:shop:web"), "{config}");
    // forwardedHeaderPolicy: Never: the router sets no Forwarded headers.
    assert!(!config.contains("set-header Forwarded"), "{config}");
}

/// Compiling with the settings `routec settings` prints gives the config the IngressController
/// gives: the printed file is a faithful `--router-env`.
#[test]
fn printed_settings_compile_the_same() {
    let case = "fixtures/ingress/deployment-and-ic-tuned";
    let printed = routec(&["settings", &format!("{case}/ingresscontroller.yaml")]);
    assert_eq!(printed.status.code(), Some(0));
    let dir = tempfile::tempdir().expect("tempdir");
    let env = dir.path().join("router.env");
    std::fs::write(&env, &printed.stdout).expect("write router.env");
    let env = env.to_str().expect("utf-8 path");
    let common = ["--default-certificate", "fixtures/default-cert", "--now", "2027-01-01T00:00:00Z"];
    let mut a = vec!["compile", "fixtures/ingress/_app", "--ingress-controller"];
    let ic = format!("{case}/ingresscontroller.yaml");
    a.push(&ic);
    a.extend(common);
    let mut b = vec!["compile", "fixtures/ingress/_app", "--router-env", env];
    b.extend(common);
    let (a, b) = (routec(&a), routec(&b));
    assert_eq!(a.status.code(), Some(0), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(stdout(&a), stdout(&b));
    assert!(stdout(&a).contains("nbthread 8"));
}
