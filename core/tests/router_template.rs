//! The router's own template, rendered by routec (issue #12), against the real router.
//! With `ROUTEC_ROUTER_TEMPLATE` pointing at openshift/router's `haproxy-config.template`
//! (commit 4b401a86dccc, the oracle's; fetched, never committed), every case of
//! `../shared/oracle` must give `expected/` byte for byte, and every valid fixture must give
//! output semantically equivalent to the built-in emitter's. Without the variable both tests
//! skip with a note.

mod common;

#[expect(clippy::print_stdout, reason = "the pass count and the skip note are part of the report")]
fn report(line: &str) {
    println!("{line}");
}

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use routec_core::template::RouterTemplate;
use routec_core::Options;

fn router_template() -> Option<RouterTemplate> {
    let Some(path) = std::env::var_os("ROUTEC_ROUTER_TEMPLATE") else {
        report("skipped: set ROUTEC_ROUTER_TEMPLATE to the router's haproxy-config.template to run this test");
        return None;
    };
    let text = fs::read_to_string(&path).expect("ROUTEC_ROUTER_TEMPLATE is readable");
    Some(RouterTemplate { name: "haproxy-config.template".into(), text, file: u32::MAX })
}

fn files_under(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("prefix").display().to_string();
                out.insert(rel, fs::read_to_string(&p).expect("utf8"));
            }
        }
    }
    out
}

/// The first differing line of two texts, for the failure message.
fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.split('\n').collect(), got.split('\n').collect());
    let i = w.iter().zip(&g).position(|(a, b)| a != b).unwrap_or(w.len().min(g.len()));
    format!("line {}: want {:?}, got {:?}", i + 1, w.get(i), g.get(i))
}

fn check_case(case: &Path, t: &RouterTemplate) -> Vec<String> {
    let opts =
        Options { default_certificate: Some(common::default_cert()), template: Some(t.clone()), ..Options::default() };
    let out = common::compile_case(case, &opts);
    let mut problems: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("routec::template::"))
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    let expected = files_under(&case.join("expected"));
    for (path, want) in &expected {
        if path == "status.yaml" {
            continue;
        }
        match out.file(path) {
            None => problems.push(format!("missing {path}")),
            Some(got) if got != want => problems.push(format!("{path}: {}", first_difference(want, got))),
            Some(_) => {}
        }
    }
    for f in &out.files {
        if !f.path.starts_with("conf/error-page") && !expected.contains_key(&f.path) {
            problems.push(format!("extra file {}", f.path));
        }
    }
    problems
}

#[test]
fn the_router_template_renders_every_oracle_case_byte_for_byte() {
    let Some(t) = router_template() else { return };
    let dir = common::shared().join("oracle");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .expect("../shared/oracle is present")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected").is_dir())
        .collect();
    cases.sort();
    let mut failed = Vec::new();
    for case in &cases {
        let problems = check_case(case, &t);
        if !problems.is_empty() {
            failed.push(format!("{}:\n  {}", case.display(), problems.join("\n  ")));
        }
    }
    report(&format!("router template: {}/{} oracle cases byte for byte", cases.len() - failed.len(), cases.len()));
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The built-in emitter and the router's template agree by meaning on every valid fixture:
/// same sections, settings, rules, servers, map entries and crt-list (`routec diff` exit 0).
#[test]
fn every_valid_fixture_renders_equivalently_by_template_and_by_the_built_in_emitter() {
    use routec_core::hap::cook::Env;
    use routec_core::hap::diff::diff;
    use routec_core::hap::{bundle_from_output, model::build};

    let Some(t) = router_template() else { return };
    let dir = common::root().join("fixtures/valid");
    let mut cases: Vec<_> = fs::read_dir(&dir).expect("fixtures/valid").flatten().map(|e| e.path()).collect();
    cases.sort();
    let mut failed = Vec::new();
    for case in &cases {
        let builtin = Options { default_certificate: Some(common::default_cert()), ..Options::default() };
        let templated = Options { template: Some(t.clone()), ..builtin.clone() };
        let a = common::compile_case(case, &builtin);
        let b = common::compile_case(case, &templated);
        let errors: Vec<&str> = b
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("routec::template::"))
            .map(|d| d.message.as_str())
            .collect();
        let (ma, _) = build(&bundle_from_output(&a.files), &Env::default());
        let (mb, _) = build(&bundle_from_output(&b.files), &Env::default());
        let d = diff(&ma, &mb);
        if !d.is_empty() || !errors.is_empty() {
            failed.push(format!("{}: {errors:?} {:#?}", case.display(), d.iter().take(3).collect::<Vec<_>>()));
        }
    }
    report(&format!(
        "router template vs built-in emitter: {}/{} valid fixtures equivalent",
        cases.len() - failed.len(),
        cases.len()
    ));
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
