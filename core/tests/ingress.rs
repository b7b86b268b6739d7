//! The IngressController fixture runner. Every `fixtures/ingress/<case>/` holds an
//! IngressController (and optionally cluster config objects, a router Deployment and a
//! `router.env`); the runner adds the shared application in `fixtures/ingress/_app/`, compiles
//! everything as `routec compile` does and snapshots one document per case (`ingress.snap`):
//! the settings in effect with their sources, the diagnostics, and `haproxy.config`.
//!
//! Each case's README must name the operator test or code it follows (`Operator:` lines) and
//! may list `Expect: <severity> <code>` lines, each of which must be produced; a case without an
//! expected error must produce none. `Name: <name>` selects another IngressController. When a
//! case holds both an IngressController and its router Deployment, the two must derive the same
//! settings, unless the case expects `routec::ingress::deployment-differs`.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use routec_core::cluster::{self, Origin};
use routec_core::diag::Diagnostics;
use routec_core::source::LineIndex;
use routec_core::{Options, Settings, Severity, SourceFile};

#[expect(clippy::print_stdout, reason = "the pass count is part of the report")]
fn report(line: &str) {
    println!("{line}");
}

/// The same fixed "now" as the other fixture runners.
const NOW: i64 = 1_798_761_600;

fn cases() -> Vec<PathBuf> {
    let dir = common::root().join("fixtures/ingress");
    let mut out: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("fixtures/ingress")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().and_then(|n| n.to_str()).unwrap_or("_").starts_with('_'))
        .collect();
    out.sort();
    out
}

fn readme_lines(case: &Path, prefix: &str) -> Vec<String> {
    fs::read_to_string(case.join("README.md"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().strip_prefix(prefix).map(|r| r.trim().to_owned()))
        .collect()
}

fn position(sources: &[SourceFile], origin: &Origin) -> String {
    let Some(span) = origin.span() else { return String::new() };
    let Some(src) = sources.get(span.file as usize) else { return String::new() };
    let (line, col) = LineIndex::new(&src.text).line_col(&src.text, span.start as usize);
    format!(" at {}:{line}:{col}", src.name)
}

fn describe(sources: &[SourceFile], origin: &Origin) -> String {
    let at = position(sources, origin);
    match origin {
        Origin::IngressController { path, .. } => format!("IngressController {path}{at}"),
        Origin::Operator { note } => note.clone(),
        Origin::ClusterConfig { object, path, .. } => format!("{object} {path}{at}"),
        Origin::Deployment { .. } => format!("Deployment env{at}"),
        Origin::Caller => "router.env".to_owned(),
    }
}

fn render_diagnostics(diags: &[routec_core::Diagnostic], sources: &[SourceFile]) -> String {
    let mut out = String::new();
    for d in diags {
        let at = d.primary.as_ref().and_then(|l| {
            let src = sources.get(l.span.file as usize)?;
            let (line, col) = LineIndex::new(&src.text).line_col(&src.text, l.span.start as usize);
            Some(format!(" at {}:{line}:{col}", src.name))
        });
        let _ = writeln!(out, "{}[{}]: {}{}", d.severity.as_str(), d.code, d.message, at.unwrap_or_default());
        if let Some(h) = &d.help {
            let _ = writeln!(out, "  help: {h}");
        }
    }
    out
}

fn fixture_cert() -> String {
    let dir = common::root().join("fixtures/default-cert");
    fs::read_to_string(dir.join("tls.crt")).expect("tls.crt")
        + &fs::read_to_string(dir.join("tls.key")).expect("tls.key")
}

fn snapshot(case: &Path, doc: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(case);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(case.join("README.md"));
    settings.bind(|| insta::assert_snapshot!("ingress", doc));
}

/// The inputs of a case: its own files, then the shared application.
fn sources_of(case: &Path) -> Vec<SourceFile> {
    let mut sources = common::read_dir_sources(case);
    for s in common::read_dir_sources(&common::root().join("fixtures/ingress/_app")) {
        sources.push(SourceFile::new(format!("_app/{}", s.name), s.text));
    }
    sources
}

#[test]
fn ingress_fixtures() {
    let cases = cases();
    assert!(cases.len() >= 30, "expected at least 30 IngressController fixtures, found {}", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("case").to_owned();
        let mut sources = sources_of(&case);
        let inputs = sources.len();
        let mut caller = Settings::new();
        let mut diags = Vec::new();
        if let Ok(text) = fs::read_to_string(case.join("router.env")) {
            diags = caller.parse_env(u32::try_from(inputs).unwrap_or(0), &text);
            sources.push(SourceFile::new("router.env", text));
        }
        let ic_name = readme_lines(&case, "Name:").into_iter().next().unwrap_or_else(|| "default".to_owned());
        let opts = Options {
            default_certificate: Some(fixture_cert()),
            now: Some(NOW),
            ingress_controller_name: ic_name.clone(),
            ..Options::default()
        };
        let out = routec_core::compile(&sources[..inputs], &caller, &opts);
        diags.extend(out.diagnostics.iter().cloned());

        let mut doc = String::from("## Settings\n");
        for (key, e) in out.settings.entries() {
            let _ = writeln!(doc, "{key}={}\n  from {}", e.value, describe(&sources, &e.origin));
            for (v, o) in &e.shadowed {
                let _ = writeln!(doc, "  overrides {v:?} from {}", describe(&sources, o));
            }
        }
        let _ = writeln!(doc, "\n## Diagnostics\n{}", render_diagnostics(&diags, &sources));
        let _ = writeln!(doc, "## haproxy.config\n{}", out.file("conf/haproxy.config").unwrap_or_default());

        if readme_lines(&case, "Operator:").is_empty() {
            failures.push(format!("{name}: README.md names no `Operator:` test or code line"));
        }
        let expect: Vec<(String, String)> = readme_lines(&case, "Expect:")
            .iter()
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                Some((it.next()?.trim_matches('`').to_owned(), it.next()?.trim_matches('`').to_owned()))
            })
            .collect();
        for (sev, code) in &expect {
            if !diags.iter().any(|d| d.severity.as_str() == sev && d.code == code) {
                failures.push(format!("{name}: expected {sev} {code}, got:\n{doc}"));
            }
        }
        let expects_error = expect.iter().any(|(s, _)| s == "error");
        if !expects_error && diags.iter().any(|d| d.severity == Severity::Error) {
            failures.push(format!("{name}: errors without an `Expect: error` line:\n{doc}"));
        }
        if !out.settings.from_cluster() {
            failures.push(format!("{name}: no setting came from a cluster object"));
        }

        // Both paths, separately: the IngressController's and the Deployment's settings.
        let mut d = Diagnostics::default();
        let objs = routec_core::loader::load(&sources[..inputs], &mut d);
        let resolved = cluster::resolve(&objs.cluster, &ic_name, &mut d);
        for s in resolved.ingress_controller.iter().flatten() {
            if !routec_core::settings::KNOWN.contains(&s.key.as_str()) {
                failures.push(format!("{name}: derived {} is not a setting routec knows", s.key));
            }
        }
        let differs = expect.iter().any(|(_, c)| c == "routec::ingress::deployment-differs");
        if let (Some(ic), Some(dep), false) = (&resolved.ingress_controller, &resolved.deployment, differs) {
            let a: BTreeSet<(&str, &str)> = ic.iter().map(|s| (s.key.as_str(), s.value.as_str())).collect();
            let b: BTreeSet<(&str, &str)> = dep.iter().map(|s| (s.key.as_str(), s.value.as_str())).collect();
            if a != b {
                failures.push(format!(
                    "{name}: the IngressController and the Deployment derive different settings:\n  only IngressController: {:?}\n  only Deployment: {:?}",
                    a.difference(&b).collect::<Vec<_>>(),
                    b.difference(&a).collect::<Vec<_>>()
                ));
            }
        }
        snapshot(&case, &doc);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every case without an expected error, compiled with the HAProxy 2.6 profile into a temporary
/// directory, loads in the real HAProxy. Files the operator mounts into the router (the service
/// CA, a client CA, error pages) are replaced by the fixtures' copies, and the ML-KEM group of
/// the operator's default `ROUTER_CURVES` is dropped: the router image's OpenSSL (3.5+) has it,
/// the Debian HAProxy 2.6 here links an OpenSSL without it.
#[test]
fn every_ingress_fixture_loads_in_haproxy_2_6() {
    let Some(bin) = common::haproxy::binary() else { return };
    let mut failed = Vec::new();
    let mut checked = 0;
    for case in cases() {
        let expects_error = readme_lines(&case, "Expect:").iter().any(|l| l.starts_with("error"));
        if expects_error {
            continue;
        }
        checked += 1;
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("case").to_owned();
        let sources = sources_of(&case);
        let ic_name = readme_lines(&case, "Name:").into_iter().next().unwrap_or_else(|| "default".to_owned());
        let mut caller = Settings::new();
        if let Ok(text) = fs::read_to_string(case.join("router.env")) {
            let _ = caller.parse_env(0, &text);
        }
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        let base = dir.to_str().expect("utf-8 temp path").to_owned();
        let opts = Options {
            base_dir: base.clone(),
            profile: routec_core::Profile::Haproxy26,
            default_certificate: Some(fixture_cert()),
            ingress_controller_name: ic_name,
            ..Options::default()
        };
        let first = routec_core::compile(&sources, &caller, &opts);
        let mut adjusted = first.settings.settings().clone();
        let pki = common::root().join("fixtures/pki");
        if adjusted.get("ROUTER_MUTUAL_TLS_AUTH_CA").is_some() {
            // Without a CRL the router serves the CA from its working directory.
            fs::create_dir_all(dir.join("mtls/latest")).expect("mkdir");
            fs::copy(pki.join("client-ca.crt"), dir.join("mtls/latest/ca-bundle.pem")).expect("copy");
        }
        let mut copy = |key: &str, from: &Path, to: &str| {
            if adjusted.get(key).is_some() {
                let p = dir.join(to);
                fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                fs::copy(from, &p).expect("copy");
                adjusted.set(key, p.to_str().expect("utf-8"));
            }
        };
        copy("DEFAULT_DESTINATION_CA_PATH", &pki.join("dest-ca.crt"), "service-ca.crt");
        let page = common::root().join("fixtures/ingress/_app/error-page.http");
        copy("ROUTER_ERRORFILE_503", &page, "error_code_pages/error-page-503.http");
        copy("ROUTER_ERRORFILE_404", &page, "error_code_pages/error-page-404.http");
        if let Some(curves) = adjusted.get("ROUTER_CURVES").map(str::to_owned) {
            let kept: Vec<&str> = curves.split(':').filter(|c| !c.contains("MLKEM")).collect();
            adjusted.set("ROUTER_CURVES", kept.join(":"));
        }
        let out = routec_core::compile(&sources, &adjusted, &opts);
        fs::create_dir_all(dir.join("run")).expect("run dir");
        for f in &out.files {
            let p = dir.join(&f.path);
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(&p, &f.contents).expect("write");
        }
        let res = std::process::Command::new(&bin)
            .arg("-c")
            .arg("-f")
            .arg(dir.join("conf/haproxy.config"))
            .output()
            .expect("haproxy runs");
        if !res.status.success() {
            failed.push(format!(
                "{name}: {}{}",
                String::from_utf8_lossy(&res.stdout),
                String::from_utf8_lossy(&res.stderr)
            ));
        }
    }
    assert!(checked >= 20, "only {checked} cases checked");
    report(&format!("haproxy -c: {}/{checked} IngressController fixtures accepted", checked - failed.len()));
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
