//! `--template` and `routec template diff` end to end (issue #12): kubectl-diff exit codes (0
//! none, 1 differences, 2 error), the unified diff and the semantic differences, and template
//! errors as diagnostics into the template file in text and JSON.

mod common;

use std::fs;

use common::{routec, stdout};

const OBJECTS: &str = "fixtures/router-templates/objects.yaml";
const TEMPLATE: &str = "fixtures/router-templates/customized/template.tmpl";

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn diff(old: &str, new: &str) -> std::process::Output {
    routec(&[
        "template",
        "diff",
        old,
        new,
        OBJECTS,
        "--default-certificate",
        "fixtures/default-cert",
        "--now",
        "2027-01-01T00:00:00Z",
    ])
}

#[test]
fn template_diff_follows_kubectl_diff_exit_codes() {
    let same = diff(TEMPLATE, TEMPLATE);
    assert_eq!(same.status.code(), Some(0), "{}{}", stdout(&same), stderr(&same));
    assert!(stdout(&same).contains("template diff: equivalent"), "{}", stdout(&same));

    let tmp = tempfile::tempdir().expect("tmp");
    let text = fs::read_to_string(common::root().join(TEMPLATE)).expect("template");
    let changed = tmp.path().join("new.tmpl");
    fs::write(
        &changed,
        text.replace(
            r#"(env "ROUTER_DEFAULT_CONNECT_TIMEOUT") "5s""#,
            r#"(env "ROUTER_DEFAULT_CONNECT_TIMEOUT") "7s""#,
        ),
    )
    .expect("write");
    let changed = changed.to_str().expect("utf-8");
    let d = diff(TEMPLATE, changed);
    assert_eq!(d.status.code(), Some(1), "{}", stderr(&d));
    let s = stdout(&d);
    assert!(s.contains("-  timeout connect 5s\n+  timeout connect 7s\n"), "{s}");
    assert!(s.contains("timeout connect: changed — expected `timeout connect 5s`"), "{s}");

    // Only a comment differs: a textual difference without a semantic one is still exit 1.
    let cosmetic = tmp.path().join("cosmetic.tmpl");
    fs::write(&cosmetic, text.replace("# Request rates are shared", "# Rates are shared")).expect("write");
    let c = diff(TEMPLATE, cosmetic.to_str().expect("utf-8"));
    assert_eq!(c.status.code(), Some(1));
    assert!(stdout(&c).contains("template diff: equivalent"), "{}", stdout(&c));

    let broken = diff(TEMPLATE, "fixtures/router-templates/error-parse/template.tmpl");
    assert_eq!(broken.status.code(), Some(2));
    assert!(stderr(&broken).contains("routec::template::parse"), "{}", stderr(&broken));
    let missing = diff(TEMPLATE, "no/such.tmpl");
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn template_errors_are_diagnostics_into_the_template() {
    let t = "fixtures/router-templates/error-no-field/template.tmpl";
    let out = routec(&["check", OBJECTS, "--template", t, "--format", "json", "--now", "2027-01-01T00:00:00Z"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let d = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "routec::template::no-field")
        .expect("the no-field diagnostic");
    assert_eq!(d["location"]["file"], t);
    assert_eq!(d["location"]["line"], 2);
    assert!(d["help"].as_str().expect("help").contains("Host, Path"), "{d}");

    let out = routec(&["compile", OBJECTS, "--template", "fixtures/router-templates/error-parse/template.tmpl"]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(e.contains("routec::template::parse") && e.contains("error-parse/template.tmpl:3:14"), "{e}");
}
