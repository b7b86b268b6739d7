//! Large inputs: the machine formats keep every finding that text output folds, and progress
//! is drawn only on a terminal outside CI (a pseudo-terminal from util-linux `script` stands
//! in for one).

use std::process::Command;

use crate::common::{root, routec, stdout};

const CASE: &str = "fixtures/cli/large-report";

#[test]
fn machine_formats_keep_every_finding() {
    let json: serde_json::Value =
        serde_json::from_slice(&routec(&["check", CASE, "--format", "json", "--max-diagnostics", "2"]).stdout)
            .expect("JSON");
    let all = json["diagnostics"].as_array().map(Vec::len);
    assert_eq!(all, Some(28), "25 service-missing and 3 path-invalid");
    let sarif = stdout(&routec(&["check", CASE, "--format", "sarif"]));
    assert_eq!(sarif.matches("\"ruleId\": \"routec::route::service-missing\"").count(), 25);
    let github = stdout(&routec(&["check", CASE, "--format", "github"]));
    assert_eq!(github.lines().count(), 28);
}

/// Runs routec under a pseudo-terminal (stdout and stderr are the terminal) and returns what
/// the terminal showed; `None` when `script` is not installed.
fn on_a_terminal(args: &str, ci: bool) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_routec");
    let mut cmd = Command::new("script");
    cmd.current_dir(root()).args(["-q", "-e", "-c", &format!("{bin} {args}"), "/dev/null"]).env_remove("CI");
    if ci {
        cmd.env("CI", "true");
    }
    let out = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A large input compiled on a terminal: a spinner that names the work appears once compiling
/// takes more than a second; with CI set, or when stderr is a pipe, never.
#[test]
fn progress_only_on_a_terminal_outside_ci() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut yaml = String::new();
    for i in 0..4000 {
        yaml.push_str(&format!(
            "---\napiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {{name: r{i}, namespace: demo}}\n\
             spec: {{host: r{i}.example.test, to: {{kind: Service, name: s{i}}}}}\n"
        ));
    }
    let input = tmp.path().join("routes.yaml");
    std::fs::write(&input, yaml).expect("write");
    let args = format!("check {} --quiet --format json", input.display());
    let started = std::time::Instant::now();
    let Some(shown) = on_a_terminal(&args, false) else { return };
    let took = started.elapsed();
    // The spinner must have shown when the run was clearly longer than the delay (a debug
    // build takes several seconds for this input; a fast release build may not).
    if took > std::time::Duration::from_millis(1500) {
        let named = shown.contains("compiling 1 file") || shown.contains("analysing the route table");
        assert!(named, "no progress on a terminal after {took:?}");
    }
    let piped = routec(&["check", input.to_str().expect("utf-8"), "--quiet", "--format", "json"]);
    let err = String::from_utf8_lossy(&piped.stderr).into_owned();
    assert!(!err.contains("compiling") && !err.contains("analysing"), "progress in a pipe");
    let ci = on_a_terminal(&args, true).unwrap_or_default();
    assert!(!ci.contains("compiling") && !ci.contains("analysing"), "progress under CI");
}
