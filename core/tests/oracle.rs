//! Runs every case of `../shared/oracle` (real OpenShift router output) through the compiler and
//! checks that the same files come out with the same significant lines, and that every route's
//! admission result matches `status.yaml`.

mod common;

#[expect(clippy::print_stdout, reason = "the pass count is part of the report")]
fn report(line: &str) {
    println!("{line}");
}

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use routec_core::tree::{Node, Value};
use routec_core::Options;

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

fn scalar_map(n: &Node<'_>) -> BTreeMap<String, String> {
    n.as_map()
        .unwrap_or(&[])
        .iter()
        .filter_map(|(k, v)| match &v.value {
            Value::Scalar { text, .. } => Some((k.text.to_string(), text.to_string())),
            _ => None,
        })
        .collect()
}

fn routes_of(status_yaml: &str) -> Vec<BTreeMap<String, String>> {
    let docs = routec_core::yaml::parse(0, status_yaml).expect("status yaml");
    docs.first()
        .and_then(|d| d.get("routes"))
        .and_then(Node::as_seq)
        .map(|rs| rs.iter().map(scalar_map).collect())
        .unwrap_or_default()
}

fn check_case(case: &Path) -> Vec<String> {
    let opts = Options { default_certificate: Some(common::default_cert()), ..Options::default() };
    let out = common::compile_case(case, &opts);
    let expected = files_under(&case.join("expected"));
    let mut problems = Vec::new();
    for (path, want) in &expected {
        if path == "status.yaml" {
            continue;
        }
        match out.file(path) {
            None => problems.push(format!("missing {path}")),
            Some(got) => {
                let (w, g) = (common::significant_lines(want), common::significant_lines(got));
                if w != g {
                    let first = w.iter().zip(&g).position(|(a, b)| a != b).unwrap_or(w.len().min(g.len()));
                    problems.push(format!(
                        "{path} differs at significant line {first}: want {:?}, got {:?}",
                        w.get(first),
                        g.get(first)
                    ));
                }
            }
        }
    }
    for f in &out.files {
        if !f.path.starts_with("conf/error-page") && !expected.contains_key(&f.path) {
            problems.push(format!("extra file {}", f.path));
        }
    }
    let want = routes_of(expected.get("status.yaml").map_or("", String::as_str));
    let got = routes_of(&out.status.to_yaml());
    if want != got {
        for (w, g) in want.iter().zip(&got).filter(|(w, g)| w != g) {
            problems.push(format!("status: want {w:?}\n        got {g:?}"));
        }
        if want.len() != got.len() {
            problems.push(format!("status: {} routes expected, {} reported", want.len(), got.len()));
        }
    }
    problems
}

#[test]
fn every_oracle_case_matches_the_real_router() {
    let dir = common::shared().join("oracle");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .expect("../shared/oracle is present")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected").is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 36, "expected the 36 oracle cases, found {}", cases.len());
    let mut failed = Vec::new();
    for case in &cases {
        let problems = check_case(case);
        if !problems.is_empty() {
            failed.push(format!("{}:\n  {}", case.display(), problems.join("\n  ")));
        }
    }
    report(&format!("oracle: {}/{} cases match the real router", cases.len() - failed.len(), cases.len()));
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
