//! The CI recipes of docs/recipes.md, each run as written on a fixture: the GitLab CI job's
//! script lines (JUnit and Code Quality), the Argo CD plugin's `generate` script, and the
//! routec side of `kustomize build … | routec check -` and `helm template … | routec check -`
//! (on committed renderings: see tests/data/recipes/README.md).

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::root;
use crate::stderr;

/// Runs a shell script in `dir` with the built routec first on PATH.
fn sh(script: &str, dir: &Path) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_routec")).parent().expect("bin dir").display().to_string();
    let path = format!("{bin}:{}", std::env::var("PATH").unwrap_or_default());
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh")
}

fn piped(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_routec"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(input).expect("write");
    child.wait_with_output().expect("wait")
}

/// A project laid out as the recipes expect: `deploy/` with the case's objects, `router.env`,
/// and the recipe scripts under `ci/`.
fn project(case: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(tmp.path().join("deploy")).expect("mkdir");
    fs::create_dir_all(tmp.path().join("ci")).expect("mkdir");
    fs::copy(root().join(case).join("objects.yaml"), tmp.path().join("deploy/objects.yaml")).expect("copy");
    let env = root().join(case).join("router.env");
    fs::write(tmp.path().join("router.env"), fs::read(env).unwrap_or_default()).expect("env");
    fs::copy(root().join("docs/recipes/gitlab-code-quality.sh"), tmp.path().join("ci/gitlab-code-quality.sh"))
        .expect("copy");
    tmp
}

/// The `- ` lines of the GitLab job's `script:` list.
fn gitlab_script() -> Vec<String> {
    let yml = fs::read_to_string(root().join("docs/recipes/gitlab-ci.yml")).expect("gitlab-ci.yml");
    let mut lines = Vec::new();
    let mut inside = false;
    for l in yml.lines() {
        if l.trim_end() == "  script:" {
            inside = true;
        } else if inside && l.starts_with("    - ") {
            lines.push(l.trim_start_matches("    - ").to_owned());
        } else if inside {
            break;
        }
    }
    lines
}

#[test]
fn gitlab_ci_junit_and_code_quality() {
    let script = gitlab_script();
    assert_eq!(script.len(), 2, "{script:?}");
    let bad = project("fixtures/invalid/path-no-slash");
    for line in &script[..1] {
        let o = sh(line, bad.path());
        assert!(o.status.success(), "{line}: {}", stderr(&o));
    }
    let junit = fs::read_to_string(bad.path().join("routec-junit.xml")).expect("junit");
    assert!(junit.contains("<testsuites") && junit.contains("routec::route::path-invalid"), "{junit}");
    let o = sh(&script[1], bad.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(bad.path().join("gl-code-quality-report.json")).expect("report"))
            .expect("json");
    let issues = report.as_array().expect("array");
    assert_eq!(issues.len(), 1, "{report}");
    let i = &issues[0];
    assert_eq!(i["check_name"], "routec::route::path-invalid");
    assert_eq!(i["severity"], "major");
    assert_eq!(i["location"]["path"], "deploy/objects.yaml");
    assert_eq!(i["location"]["lines"]["begin"], 40);
    assert!(i["fingerprint"].as_str().is_some_and(|f| !f.is_empty()));
    // A clean project: exit 0 and an empty report.
    let good = project("fixtures/valid/http-basic");
    let o = sh(&script[1], good.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(good.path().join("gl-code-quality-report.json")).expect("report"))
            .expect("json");
    assert_eq!(report, serde_json::json!([]));
}

/// The `generate` script of the Argo CD plugin: the block under `args: - |`.
fn argocd_generate() -> String {
    let yml = fs::read_to_string(root().join("docs/recipes/argocd/plugin.yaml")).expect("plugin.yaml");
    assert!(yml.contains("kind: ConfigManagementPlugin"));
    let mut out = String::new();
    let mut inside = false;
    for l in yml.lines() {
        if l.trim() == "- |" {
            inside = true;
        } else if inside && (l.starts_with("        ") || l.is_empty()) {
            out.push_str(l.get(8..).unwrap_or_default());
            out.push('\n');
        } else if inside {
            break;
        }
    }
    out
}

#[test]
fn argocd_plugin_renders_and_checks() {
    let script = argocd_generate();
    assert!(script.contains("routec check"), "{script}");
    let good = project("fixtures/valid/http-basic");
    let o = sh(&script, &good.path().join("deploy"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let manifests = String::from_utf8_lossy(&o.stdout);
    assert!(manifests.contains("kind: \"Route\""), "{manifests}");
    let bad = project("fixtures/invalid/path-no-slash");
    let o = sh(&script, &bad.path().join("deploy"));
    assert_ne!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty(), "manifests printed despite errors");
    assert!(stderr(&o).contains("routec::route::path-invalid"), "{}", stderr(&o));
}

#[test]
fn kustomize_and_helm_output_piped_into_check() {
    for (dir, backend) in [("kustomize", "be_http:shop-prod:web"), ("helm", "be_http:default:demo-web")] {
        let rendered =
            fs::read(root().join("cli/tests/data/recipes").join(dir).join("rendered.yaml")).expect("rendered");
        let o = piped(&["check", "-"], &rendered);
        assert_eq!(o.status.code(), Some(0), "{dir}: {}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        let o = piped(&["check", "-", "-o", "json"], &rendered);
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(doc["summary"]["errors"], 0, "{dir}: {doc}");
        let o = piped(&["compile", "-", "-q"], &rendered);
        assert!(String::from_utf8_lossy(&o.stdout).contains(backend), "{dir}: no {backend}");
    }
    // A broken rendering fails the pipe's check.
    let mut broken = fs::read(root().join("cli/tests/data/recipes/helm/rendered.yaml")).expect("rendered");
    broken.extend_from_slice(b"---\napiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: x}\nspec: {host: x.example.test, path: api, to: {kind: Service, name: demo-web}}\n");
    assert_eq!(piped(&["check", "-"], &broken).status.code(), Some(1));
}
