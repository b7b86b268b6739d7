//! `routec check` end to end: every output format, the exit codes, `--strict` and `--quiet`,
//! broken pipes, and SARIF validated against the SARIF 2.1.0 JSON schema (vendored in
//! `tests/data`).

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{root, routec, stdout};

fn check(case: &str, extra: &[&str]) -> Output {
    let mut args = vec!["check", case, "--now", "2027-01-01T00:00:00Z"];
    let env = root().join(case).join("router.env");
    let env_arg;
    if env.is_file() {
        env_arg = format!("{case}/router.env");
        args.push("--router-env");
        args.push(&env_arg);
    }
    args.extend_from_slice(extra);
    routec(&args)
}

fn invalid_cases() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join("fixtures/invalid"))
        .expect("fixtures/invalid")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| format!("fixtures/invalid/{}", e.file_name().to_string_lossy()))
        .collect();
    out.sort();
    out
}

#[test]
fn exit_codes() {
    let clean = check("fixtures/valid/http-basic", &[]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let findings = check("fixtures/invalid/path-no-slash", &[]);
    assert_eq!(findings.status.code(), Some(1));
    // Malformed YAML is a finding with a location, not an IO error.
    let yaml = check("fixtures/invalid/yaml-syntax-error", &[]);
    assert_eq!(yaml.status.code(), Some(1));
    assert!(stdout(&yaml).contains("objects.yaml:5:13"), "{}", stdout(&yaml));
    let missing = routec(&["check", "fixtures/no-such-dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
    let bad_flag = routec(&["check", "fixtures/valid/http-basic", "--format", "xml"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    let bad_time = routec(&["check", "fixtures/valid/http-basic", "--now", "yesterday"]);
    assert_eq!(bad_time.status.code(), Some(2));
}

#[test]
fn strict_and_quiet() {
    // Only warnings: passes, unless --strict.
    let case = "fixtures/invalid/annotation-typo";
    let plain = check(case, &[]);
    assert_eq!(plain.status.code(), Some(0));
    assert!(stdout(&plain).contains("did you mean `haproxy.router.openshift.io/timeout`?"));
    assert_eq!(check(case, &["--strict"]).status.code(), Some(1));
    let quiet = check(case, &["--quiet"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert!(stdout(&quiet).is_empty(), "{}", stdout(&quiet));
    // --quiet keeps errors.
    let quiet_err = check("fixtures/invalid/path-no-slash", &["--quiet"]);
    assert!(stdout(&quiet_err).contains("routec::route::path-invalid"));
}

#[test]
fn text_is_plain_when_piped() {
    let o = check("fixtures/invalid/path-no-slash", &[]);
    let s = stdout(&o);
    assert!(!s.contains('\u{1b}'), "colour codes in piped output");
    assert!(s.contains("╭─[fixtures/invalid/path-no-slash/objects.yaml:40:9]"), "{s}");
    assert!(s.contains("help: write `/api`"), "{s}");
}

#[test]
fn json_format() {
    let o = check("fixtures/invalid/duplicate-backend", &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["failed"], true);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "routec::route::duplicate-backend");
    assert_eq!(d["location"]["line"], 45);
    assert_eq!(d["location"]["column"], 11);
    assert_eq!(d["related"][0]["line"], 42);
}

#[test]
fn github_format() {
    let o = check("fixtures/invalid/host-conflict", &["--format", "github"]);
    let s = stdout(&o);
    let line = s.lines().find(|l| l.contains("host-already-claimed")).expect("annotation");
    assert!(line.starts_with("::warning file=fixtures/invalid/host-conflict/objects.yaml,line=52,col=9,"), "{line}");
    assert!(line.contains("title=routec%3A%3Aadmission%3A%3Ahost-already-claimed::"), "{line}");
    assert!(!line.contains('\n'));
    let strict = check("fixtures/invalid/host-conflict", &["--format", "github", "--strict"]);
    assert!(stdout(&strict).starts_with("::error file="), "{}", stdout(&strict));
}

#[test]
fn junit_format() {
    let o = check("fixtures/invalid/header-value-crlf", &["--format", "junit"]);
    let s = stdout(&o);
    assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"), "{s}");
    assert!(s.contains("<failure type=\"error\""), "{s}");
    assert_eq!(s.matches("<testsuite ").count(), s.matches("</testsuite>").count());
    assert_eq!(s.matches("<testcase ").count(), s.matches("</testcase>").count() + s.matches("\"/>").count());
    // The hostile value is escaped, never raw markup.
    assert!(!s.contains("\r"), "raw CR in XML");
    let clean = check("fixtures/valid/http-basic", &["--format", "junit"]);
    assert!(stdout(&clean).contains("failures=\"0\""), "{}", stdout(&clean));
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"))
            .expect("schema"),
    )
    .expect("schema is JSON");
    jsonschema::draft4::new(&schema).expect("schema compiles")
}

#[test]
fn sarif_is_valid_for_every_invalid_case() {
    let validator = sarif_validator();
    let mut results = 0;
    for case in invalid_cases() {
        let o = check(&case, &["--format", "sarif"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{case}: {e}"));
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| format!("{e} at {}", e.instance_path)).collect();
        assert!(errors.is_empty(), "{case}: SARIF does not validate:\n{}", errors.join("\n"));
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        for r in run["results"].as_array().expect("results") {
            // Code scanning needs a rule and a location with a line for every result.
            let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], r["ruleId"], "{case}");
            assert!(r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(uri.starts_with("fixtures/invalid/"), "{uri}");
            results += 1;
        }
    }
    assert!(results >= 60, "only {results} SARIF results");
}

#[test]
fn sarif_of_a_clean_input_is_valid_and_empty() {
    let o = check("fixtures/valid/http-basic", &["--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(sarif_validator().is_valid(&v));
    assert_eq!(v["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}

#[test]
fn broken_pipe_exits_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_routec"))
        .current_dir(root())
        .args(["check", "fixtures/invalid", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("error:") && !err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(2), "{err}");
}

#[test]
fn compile_reports_the_same_diagnostics() {
    let case = "fixtures/invalid/annotation-rate-limit-plus";
    let c = routec(&["compile", case, "--now", "2027-01-01T00:00:00Z", "-q"]);
    assert_eq!(c.status.code(), Some(1));
    let err = String::from_utf8_lossy(&c.stderr);
    assert!(err.contains("routec::annotation::haproxy-refuses"), "{err}");
    let loud = routec(&["compile", case, "--now", "2027-01-01T00:00:00Z"]);
    assert!(String::from_utf8_lossy(&loud.stderr).contains("routec::output::no-default-certificate"));
    // `check` writes nothing, so it does not report the missing default certificate.
    assert!(!stdout(&check(case, &[])).contains("no-default-certificate"));
}

#[test]
fn skipped_kinds_are_advice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("cm.yaml");
    std::fs::write(&p, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: demo}\n").expect("write");
    // Nothing but a skipped kind routes nothing: a warning, so --strict fails.
    let o = routec(&["check", p.to_str().expect("utf-8 path"), "--strict", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("routec::input::skipped-kind") && stdout(&o).contains("routec::input::no-routes"));
    // Beside a Route, the skipped kind is only advice.
    let route = "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r, namespace: demo}\nspec: {host: r.example.test, to: {kind: Service, name: s}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: demo}\nspec: {selector: {app: s}, ports: [{port: 80}]}\n";
    std::fs::write(dir.path().join("route.yaml"), route).expect("write");
    let o = routec(&["check", dir.path().to_str().expect("utf-8 path"), "--strict", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("routec::input::skipped-kind"));
}

/// Issue #13: a leaf signed by one CA, valid 30 days, with an unrelated `caCertificate`, judged
/// five years later. Go's verifier reports the dates first and the router ignores them, so the
/// router admits the route; routec only warns about the date. Judged while the certificate is
/// valid, the unrelated CA is a chain error.
#[test]
fn expired_leaf_is_not_chain_checked() {
    let case = "fixtures/valid/tls-dates-mask-chain";
    let later = routec(&["check", case, "--now", "2026-01-31T00:00:00Z", "--format", "json"]);
    let s = stdout(&later);
    assert_eq!(later.status.code(), Some(0), "{s}");
    assert!(s.contains("routec::tls::expired") && !s.contains("routec::tls::invalid"), "{s}");
    let during = routec(&["check", case, "--now", "2021-01-15T00:00:00Z", "--format", "json"]);
    let s = stdout(&during);
    assert_eq!(during.status.code(), Some(1), "{s}");
    assert!(s.contains("error verifying certificate: x509: certificate signed by unknown authority"), "{s}");
}
