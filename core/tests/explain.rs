//! explain: snapshots of representative requests (`fixtures/valid/<case>/requests.txt` →
//! `explain.snap`) and of route tables read back from router directories
//! (`fixtures/explain/<case>/` → `routes.snap`); explain over the objects and over the compiled
//! files agree on every request of every valid fixture; and every admitted route of every
//! oracle case reaches its own backend through the real router's files.

mod common;

use routec_core::sorted::Map;
use std::fs;
use std::path::{Path, PathBuf};

use routec_core::explain::{self, Explanation, Session, Sni};
use routec_core::hap::model::Bundle;
use routec_core::{Options, Output};

fn opts() -> Options {
    Options { default_certificate: Some(common::default_cert()), ..Options::default() }
}

fn cases(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(common::root().join(dir))
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn inputs_of(case: &Path) -> Vec<routec_core::SourceFile> {
    let input = if case.join("input").is_dir() { case.join("input") } else { case.to_path_buf() };
    common::read_dir_sources(&input)
}

fn object_session(case: &Path) -> (Session, Output) {
    let sources = inputs_of(case);
    let settings = common::settings_of(case);
    let out = routec_core::compile(&sources, &settings, &opts());
    let s = Session::from_output(&out, &sources, Some(&common::default_cert()), &settings);
    (s, out)
}

fn config_session(out: &Output) -> Session {
    let bundle = routec_core::hap::bundle_from_output(&out.files);
    let extra: Map<String, Vec<u8>> = out
        .files
        .iter()
        .filter(|f| f.path.starts_with("router/allowlists/"))
        .map(|f| (f.path.clone(), f.contents.clone().into_bytes()))
        .collect();
    Session::from_bundle(&bundle, extra, None)
}

/// One line of `requests.txt`: `URL [sni=NAME] [no-sni] [client=IP] [header=Name:value]`.
fn request(line: &str) -> Result<explain::Request, explain::RequestError> {
    let mut words = line.split_whitespace();
    let url = words.next().unwrap_or_default();
    let (mut sni, mut client, mut headers) = (Sni::FromHost, None, Vec::new());
    for w in words {
        match w.split_once('=') {
            Some(("sni", n)) => sni = Sni::Name(n.to_owned()),
            Some(("client", ip)) => client = Some(ip.to_owned()),
            Some(("header", h)) => headers.push(h.to_owned()),
            _ if w == "no-sni" => sni = Sni::Omit,
            _ => panic!("unknown request option `{w}`"),
        }
    }
    explain::parse_request(url, &sni, client.as_deref(), &headers)
}

#[test]
fn request_snapshots() {
    let mut seen = 0;
    for case in cases("fixtures/valid") {
        let Ok(text) = fs::read_to_string(case.join("requests.txt")) else { continue };
        seen += 1;
        let (session, _) = object_session(&case);
        let ex = session.explainer();
        let mut out = String::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            out.push_str(&format!("$ routec explain {line}\n"));
            match request(line) {
                Ok(req) => out.push_str(&explain::text::explanation(&ex.explain(&req))),
                Err(e) => {
                    let code = miette::Diagnostic::code(&e).map(|c| c.to_string()).unwrap_or_default();
                    out.push_str(&format!("error {code}: {e}\n"));
                }
            }
            out.push('\n');
        }
        out.push_str("$ routec explain --routes\n");
        out.push_str(&explain::text::routes(&ex.routes()));
        insta::with_settings!({snapshot_path => case.clone(), prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!("explain", out);
        });
    }
    assert!(seen >= 10, "only {seen} fixtures have requests.txt");
}

/// A router directory: `haproxy.config` and the files beside it.
fn read_router_dir(dir: &Path) -> (Bundle, Map<String, Vec<u8>>) {
    let mut bundle = Bundle::default();
    let mut extra = Map::new();
    for e in fs::read_dir(dir).expect("config dir").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let bytes = fs::read(e.path()).expect("readable");
        if name == "haproxy.config" {
            bundle.config = (name, bytes);
        } else if name.ends_with(".map") {
            bundle.files.insert(name, bytes);
        } else {
            extra.insert(name, bytes);
        }
    }
    (bundle, extra)
}

#[test]
fn router_directory_snapshots() {
    let all = cases("fixtures/explain");
    assert!(!all.is_empty(), "no fixtures/explain cases");
    let mut codes = String::new();
    for case in all {
        let (bundle, extra) = read_router_dir(&case.join("config"));
        let session = Session::from_bundle(&bundle, extra, None);
        let ex = session.explainer();
        let table = ex.routes();
        let mut out = explain::text::routes(&table);
        for line in
            fs::read_to_string(case.join("requests.txt")).unwrap_or_default().lines().filter(|l| !l.trim().is_empty())
        {
            out.push_str(&format!("\n$ routec explain {line} --config config\n"));
            out.push_str(&explain::text::explanation(&ex.explain(&request(line).expect("valid request"))));
        }
        let expect = fs::read_to_string(case.join("README.md")).unwrap_or_default();
        for code in expect.lines().filter_map(|l| l.strip_prefix("Expect: ")) {
            assert!(table.findings.iter().any(|f| f.code == code.trim()), "{}: expected {code}\n{out}", case.display());
        }
        codes.push_str(&out);
        insta::with_settings!({snapshot_path => case.clone(), prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!("routes", out);
        });
    }
    for code in [
        "routec::routes::unreachable-map-entry",
        "routec::routes::redirect-without-https",
        "routec::routes::zero-share",
    ] {
        assert!(codes.contains(code), "no fixture produces {code}");
    }
}

/// What must agree between two explanations of the same request.
fn verdict(e: &Explanation) -> String {
    let mut servers = e.outcome.servers.clone();
    servers.sort();
    format!(
        "{} {:?} {:?} {:?} {:?}",
        e.outcome.kind.as_str(),
        e.outcome.status,
        e.outcome.backend,
        servers,
        e.outcome.location
    )
}

#[test]
fn objects_and_config_agree() {
    let mut total = 0;
    for case in cases("fixtures/valid") {
        let (objects, out) = object_session(&case);
        let config = config_session(&out);
        let (a, b) = (objects.explainer(), config.explainer());
        for line in common::probes::probes(&a.routes(), true) {
            let req = request(&line).expect("generated requests are valid");
            let (x, y) = (a.explain(&req), b.explain(&req));
            assert_eq!(verdict(&x), verdict(&y), "{}: {line}", case.display());
            total += 1;
        }
    }
    assert!(total > 1000, "only {total} requests");
}

/// The admitted routes of an oracle `status.yaml`: (namespace, name, host, path, termination).
fn admitted(status: &str) -> Vec<[String; 5]> {
    let mut out = Vec::new();
    for block in status.split("\n- ").skip(1) {
        let field = |k: &str| {
            block
                .lines()
                .map(|l| l.trim().trim_start_matches("- "))
                .find_map(|l| l.strip_prefix(&format!("{k}: ")))
                .map(|v| v.trim_matches(['"', '\'']).to_owned())
                .unwrap_or_default()
        };
        if field("admitted") == "true" {
            out.push([field("namespace"), field("name"), field("host"), field("path"), field("termination")]);
        }
    }
    out
}

#[test]
fn oracle_routes_reach_their_backends() {
    let mut checked = 0;
    for case in fs::read_dir(common::shared().join("oracle")).expect("oracle").flatten().map(|e| e.path()) {
        let conf = case.join("expected/conf");
        if !conf.is_dir() {
            continue;
        }
        let (bundle, extra) = read_router_dir(&conf);
        let session = Session::from_bundle(&bundle, extra, None);
        let ex = session.explainer();
        let table = ex.routes();
        let status = fs::read_to_string(case.join("expected/status.yaml")).expect("status.yaml");
        for [ns, name, host, path, term] in admitted(&status) {
            let host = host.replace("*.", "wild.");
            let (url, prefix) = match term.as_str() {
                "edge" => (format!("https://{host}{path}"), "be_edge_http"),
                "reencrypt" => (format!("https://{host}{path}"), "be_secure"),
                "passthrough" => (format!("tls://{host}"), "be_tcp"),
                _ => (format!("http://{host}{path}"), "be_http"),
            };
            let req = explain::parse_request(&url, &Sni::FromHost, None, &[]).expect("url");
            let e = ex.explain(&req);
            let want = format!("{prefix}:{ns}:{name}");
            // Two routes whose paths differ only by "" and "/" share a map key; the router
            // admits both and only the first line is ever used, which the analysis reports.
            let shadowed = table
                .findings
                .iter()
                .any(|f| f.code == "routec::routes::unreachable-map-entry" && f.message.contains(&format!(" {want}`")));
            if !shadowed {
                assert_eq!(
                    e.outcome.backend.as_deref(),
                    Some(want.as_str()),
                    "{}: {url}\n{}",
                    case.display(),
                    explain::text::explanation(&e)
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} routes");
}
