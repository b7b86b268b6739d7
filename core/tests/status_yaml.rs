//! Every `status.yaml` routec writes must be YAML that reads back as the strings it reports:
//! for every fixture and oracle case, and for hosts and messages chosen to look like YAML
//! syntax (`*.a.test` is an alias, `yes` a boolean, `0x10` a number). Read with yaml-rust2's own
//! loader, not routec's tree, so the check does not share code with the writer.

mod common;

use std::fs;
use std::path::PathBuf;

use routec_core::admission::Outcome;
use routec_core::compile::status::{Report, RouteStatus};
use routec_core::Options;
use yaml_rust2::{Yaml, YamlLoader};

/// Parses `text` and checks that each route entry holds exactly the report's strings.
fn round_trips(what: &str, report: &Report) -> Result<(), String> {
    let text = report.to_yaml();
    let docs = YamlLoader::load_from_str(&text).map_err(|e| format!("{what}: not YAML ({e}):\n{text}"))?;
    let doc = docs.first().ok_or_else(|| format!("{what}: empty document"))?;
    // `routes:` with no entries reads as null.
    let none = Vec::new();
    let routes = match &doc["routes"] {
        Yaml::Null if report.routes.is_empty() => &none,
        y => y.as_vec().ok_or_else(|| format!("{what}: no routes list:\n{text}"))?,
    };
    if routes.len() != report.routes.len() {
        return Err(format!("{what}: {} routes written, {} read back", report.routes.len(), routes.len()));
    }
    for (r, y) in report.routes.iter().zip(routes) {
        let (reason, message) = match &r.outcome {
            Outcome::Admitted => (None, None),
            Outcome::Rejected { reason, message } => (Some(*reason), Some(message.as_str())),
            Outcome::Ignored { reason } => (Some(*reason), None),
        };
        let mut want =
            vec![("host", Some(r.host.as_str())), ("name", Some(&r.name)), ("namespace", Some(&r.namespace))];
        want.push(("reason", reason));
        want.push(("message", message));
        if !r.path.is_empty() {
            want.push(("path", Some(&r.path)));
        }
        for (key, value) in want {
            let Some(value) = value else { continue };
            if y[key] != Yaml::String(value.to_owned()) {
                return Err(format!("{what}: `{key}: {value}` reads back as {:?}:\n{text}", y[key]));
            }
        }
    }
    for (key, list) in [("routerErrors", &report.router_errors), ("derived", &report.derived)] {
        let got: Vec<Yaml> = doc[key].as_vec().cloned().unwrap_or_default();
        let want: Vec<Yaml> = list.iter().map(|s| Yaml::String(s.clone())).collect();
        if got != want {
            return Err(format!("{what}: {key} reads back as {got:?}"));
        }
    }
    Ok(())
}

fn dirs(parent: PathBuf) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        fs::read_dir(parent).expect("dir").flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
}

#[test]
fn every_written_status_reads_back() {
    let opts = Options { default_certificate: Some(common::default_cert()), ..Options::default() };
    let mut cases = dirs(common::root().join("fixtures/valid"));
    cases.extend(dirs(common::root().join("fixtures/invalid")));
    cases.extend(dirs(common::shared().join("oracle")).into_iter().filter(|p| p.join("input").is_dir()));
    assert!(cases.len() > 150, "expected every fixture and oracle case, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let input = if case.join("input").is_dir() { case.join("input") } else { case.clone() };
        let out = routec_core::compile(&common::read_bytes_sources(&input), &common::settings_of(case), &opts);
        if let Err(e) = round_trips(&case.display().to_string(), &out.status) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn scalars_that_look_like_yaml_are_quoted() {
    let tricky = [
        "*.a.test",
        "*",
        "&a",
        "!x",
        "-",
        "--",
        "- a",
        "---",
        "...",
        ".inf",
        ".",
        "~",
        "null",
        "Null",
        "NULL",
        "yes",
        "No",
        "y",
        "N",
        "on",
        "OFF",
        "true",
        "True",
        "0x10",
        "0o17",
        "0b101",
        "1_000",
        "1e3",
        "10",
        "-5",
        "+5",
        "1.5",
        "nan",
        "inf",
        "",
        " a",
        "a ",
        "a: b",
        "a #b",
        "#x",
        "'q'",
        "\"",
        "é",
        "%x",
        "@x",
        "`x",
        "|",
        ">",
        "?",
        "[a]",
        "{a}",
        ",",
        "a\\b",
        "tab\there",
        "line\nbreak",
        "10.128.0.9",
        "a/b",
        "web-shop.apps.example.com",
    ];
    let routes = tricky
        .iter()
        .map(|s| RouteStatus {
            namespace: "ns".into(),
            name: format!("r-{}", s.len()),
            host: (*s).to_owned(),
            path: (*s).to_owned(),
            termination: String::new(),
            outcome: Outcome::Rejected { reason: "InvalidHost", message: (*s).to_owned() },
        })
        .collect();
    let report = Report {
        routes,
        router_errors: tricky.iter().map(|s| (*s).to_owned()).collect(),
        derived: Vec::new(),
        inputs: Vec::new(),
    };
    round_trips("tricky scalars", &report).unwrap_or_else(|e| panic!("{e}"));
}
