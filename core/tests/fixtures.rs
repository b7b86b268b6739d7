//! The fixture runner. Every `fixtures/valid/<case>/` is compiled and its whole output is
//! snapshotted as one readable document next to the case (`compile.snap`); a valid case must
//! have no error. Every `fixtures/invalid/<case>/` has its diagnostics rendered as `routec check`
//! prints them when piped (plain, 100 columns) and snapshotted (`check.snap`). An invalid case
//! must produce each `Expect: <severity> <code>` its README lists, and must fail
//! `routec check --strict`: at least one error, or at least one warning when it expects only
//! warnings. A `Status: <namespace>/<name> <reason>` line asks for that route's final
//! admission reason in status.yaml.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use routec_core::source::LineIndex;
use routec_core::{Options, Settings, Severity, SourceFile};

/// A fixed "now" (2027-01-01T00:00:00Z) so certificate date checks are reproducible.
const NOW: i64 = 1_798_761_600;

fn cases(kind: &str) -> Vec<PathBuf> {
    let dir = common::root().join("fixtures").join(kind);
    let mut out: Vec<PathBuf> =
        fs::read_dir(&dir).expect("fixtures dir").flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
}

fn options(case: &Path) -> Options {
    Options {
        default_certificate: Some(fixture_cert()),
        now: Some(NOW),
        ingress_domain: common::ingress_domain_of(case),
        ..Options::default()
    }
}

fn snapshot(case: &Path, name: &'static str, doc: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(case);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(case.join("README.md"));
    settings.bind(|| insta::assert_snapshot!(name, doc));
}

fn fixture_cert() -> String {
    let dir = common::root().join("fixtures/default-cert");
    let crt = fs::read_to_string(dir.join("tls.crt")).expect("tls.crt");
    crt + &fs::read_to_string(dir.join("tls.key")).expect("tls.key")
}

/// One line per diagnostic: severity, code, message and the file position of its label.
fn render_diagnostics(diags: &[routec_core::Diagnostic], sources: &[SourceFile]) -> String {
    let mut out = String::new();
    for d in diags {
        let at = d.primary.as_ref().and_then(|l| {
            let src = sources.get(l.span.file as usize)?;
            let (line, col) = LineIndex::new(&src.text).line_col(&src.text, l.span.start as usize);
            Some(format!(" at {}:{line}:{col}", src.name))
        });
        let _ = writeln!(out, "{}[{}]: {}{}", d.severity.as_str(), d.code, d.message, at.unwrap_or_default());
        for r in &d.related {
            if let Some(src) = sources.get(r.span.file as usize) {
                let (line, col) = LineIndex::new(&src.text).line_col(&src.text, r.span.start as usize);
                let _ = writeln!(out, "  related: {} at {}:{line}:{col}", r.text, src.name);
            }
        }
        if let Some(h) = &d.help {
            let _ = writeln!(out, "  help: {h}");
        }
    }
    out
}

fn document(case: &Path) -> (String, bool) {
    let opts = options(case);
    let mut sources = common::read_dir_sources(case);
    // router.env is numbered after the inputs, as the CLI numbers `--router-env`, so that
    // settings diagnostics point into it.
    let mut settings = Settings::new();
    let inputs = sources.len();
    if let Ok(text) = fs::read_to_string(case.join("router.env")) {
        let _ = settings.parse_env(u32::try_from(inputs).unwrap_or(0), &text);
        sources.push(SourceFile::new("router.env", text));
    }
    let out = routec_core::compile(sources.get(..inputs).unwrap_or_default(), &settings, &opts);
    let mut doc = String::new();
    let _ = writeln!(doc, "## Diagnostics\n{}", render_diagnostics(&out.diagnostics, &sources));
    let _ = writeln!(doc, "## status.yaml\n{}", out.status.to_yaml());
    for f in &out.files {
        if f.path.starts_with("conf/error-page") || f.path == "router/certs/default.pem" {
            continue;
        }
        let _ = writeln!(doc, "## {}\n{}", f.path, f.contents);
    }
    let has_errors = out.diagnostics.iter().any(|d| d.severity == Severity::Error);
    (doc, has_errors)
}

#[test]
fn valid_fixtures() {
    let cases = cases("valid");
    assert!(cases.len() >= 40, "expected at least 40 fixtures, found {}", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("case").to_owned();
        let (doc, has_errors) = document(&case);
        if has_errors {
            failures.push(format!("valid fixture {name} produced error diagnostics:\n{doc}"));
        }
        snapshot(&case, "compile", &doc);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The `Expect:` lines of a case's README: (severity, code).
fn expectations(case: &Path) -> Vec<(String, String)> {
    let readme = fs::read_to_string(case.join("README.md")).unwrap_or_default();
    readme
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Expect:"))
        .filter_map(|rest| {
            let mut it = rest.split_whitespace();
            Some((it.next()?.trim_matches('`').to_owned(), it.next()?.trim_matches('`').to_owned()))
        })
        .collect()
}

/// The `Status:` lines of a case's README: (namespace/name, reason).
fn statuses(case: &Path) -> Vec<(String, String)> {
    let readme = fs::read_to_string(case.join("README.md")).unwrap_or_default();
    readme
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Status:"))
        .filter_map(|rest| {
            let mut it = rest.split_whitespace();
            Some((it.next()?.to_owned(), it.next()?.to_owned()))
        })
        .collect()
}

#[test]
fn invalid_fixtures() {
    let cases = cases("invalid");
    assert!(cases.len() >= 60, "expected at least 60 invalid cases, found {}", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("case").to_owned();
        let mut sources = common::read_bytes_sources(&case);
        // router.env is read as the CLI reads `--router-env`: after the inputs, so its
        // diagnostics point into it.
        let mut settings = Settings::new();
        let mut diags = Vec::new();
        let inputs = sources.len();
        if let Ok(text) = fs::read_to_string(case.join("router.env")) {
            let id = u32::try_from(sources.len()).unwrap_or(0);
            diags = settings.parse_env(id, &text);
            sources.push(SourceFile::new("router.env", text));
        }
        let out = routec_core::compile(sources.get(..inputs).unwrap_or_default(), &settings, &options(&case));
        diags.extend(out.diagnostics);
        let doc = routec_core::render::render_all_plain(&diags, &sources);
        let expect = expectations(&case);
        if expect.is_empty() {
            failures.push(format!("{name}: README.md lists no `Expect: <severity> <code>` line"));
        }
        for (sev, code) in &expect {
            if !diags.iter().any(|d| d.severity.as_str() == sev && d.code == code) {
                failures.push(format!("{name}: expected {sev} {code}, got:\n{doc}"));
            }
        }
        for (route, reason) in statuses(&case) {
            let got =
                out.status.routes.iter().find(|r| format!("{}/{}", r.namespace, r.name) == route).map(|r| {
                    match &r.outcome {
                        routec_core::admission::Outcome::Rejected { reason, .. } => *reason,
                        routec_core::admission::Outcome::Admitted => "Admitted",
                        routec_core::admission::Outcome::Ignored { .. } => "Ignored",
                    }
                });
            if got != Some(reason.as_str()) {
                failures.push(format!("{name}: status of {route}: expected {reason}, got {got:?}"));
            }
        }
        let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
        let warnings = diags.iter().filter(|d| d.severity == Severity::Warning).count();
        let only_warnings = expect.iter().all(|(s, _)| s == "warning");
        if errors == 0 && !(only_warnings && warnings > 0) {
            failures.push(format!("{name}: an invalid case must fail `check --strict`, got:\n{doc}"));
        }
        snapshot(&case, "check", &doc);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every code the core can report is documented in docs/diagnostics.md and has a fixture.
#[test]
fn every_code_is_documented_and_exercised() {
    let doc = fs::read_to_string(common::root().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    let mut snaps = String::new();
    for kind in ["valid", "invalid"] {
        for case in cases(kind) {
            for name in ["compile.snap", "check.snap", "explain.snap"] {
                snaps.push_str(&fs::read_to_string(case.join(name)).unwrap_or_default());
            }
        }
    }
    for case in cases("explain") {
        snaps.push_str(&fs::read_to_string(case.join("routes.snap")).unwrap_or_default());
    }
    // The CLI's own findings (the walk's) come from the CLI runner's cases (cli/tests/inputs).
    for case in cases("cli") {
        snaps.push_str(&fs::read_to_string(case.join("cli.snap")).unwrap_or_default());
    }
    // The IngressController fixtures (core/tests/ingress.rs).
    for case in cases("ingress") {
        snaps.push_str(&fs::read_to_string(case.join("ingress.snap")).unwrap_or_default());
    }
    let mut missing = Vec::new();
    let mut stack = vec![common::root().join("core/src")];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).expect("src").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = fs::read_to_string(&p).unwrap_or_default();
            for piece in text.split('"').skip(1).step_by(2) {
                let is_code = piece.starts_with("routec::")
                    && piece.matches("::").count() == 2
                    && !piece.ends_with("::")
                    && piece.bytes().all(|b| b.is_ascii_lowercase() || b == b':' || b == b'-' || b.is_ascii_digit());
                if !is_code {
                    continue;
                }
                if !doc.contains(&format!("`{piece}`")) {
                    missing.push(format!("{piece}: not in docs/diagnostics.md"));
                }
                // Fixtures compile with a default certificate and hold only the kinds routec
                // reads; the CLI tests (cli/tests/check.rs) cover the first two, and a unit test
                // in core/src/explain the safety net no input reaches.
                let cli_only = [
                    "routec::input::skipped-kind",
                    "routec::output::no-default-certificate",
                    "routec::output::haproxy-refuses",
                ];
                // Config-reading codes are exercised by core/tests/hap.rs and the lexer's units;
                // template codes by fixtures/templates/ (core/tests/gotmpl_fixtures.rs checks).
                let own_runner = piece.starts_with("routec::hap::") || piece.starts_with("routec::template::");
                if !snaps.contains(piece) && !cli_only.contains(&piece) && !own_runner {
                    missing.push(format!("{piece}: no fixture reports it"));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
