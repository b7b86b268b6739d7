//! The fixture runner: every `fixtures/valid/<case>/` is compiled and its whole output is
//! snapshotted as one readable document next to the case. Valid cases must compile without
//! error diagnostics.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use routec_core::source::LineIndex;
use routec_core::{Options, Severity, SourceFile};

fn cases() -> Vec<PathBuf> {
    let dir = common::root().join("fixtures/valid");
    let mut out: Vec<PathBuf> =
        fs::read_dir(&dir).expect("fixtures/valid").flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
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
    let opts = Options { default_certificate: Some(fixture_cert()), ..Options::default() };
    let sources = common::read_dir_sources(case);
    let out = routec_core::compile(&sources, &common::settings_of(case), &opts);
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
    let cases = cases();
    assert!(cases.len() >= 40, "expected at least 40 fixtures, found {}", cases.len());
    for case in cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("case").to_owned();
        let (doc, has_errors) = document(&case);
        assert!(!has_errors, "valid fixture {name} produced error diagnostics:\n{doc}");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&case);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_input_file(case.join("README.md"));
        settings.bind(|| insta::assert_snapshot!("compile", doc));
    }
}
