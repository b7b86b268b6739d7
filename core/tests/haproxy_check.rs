//! Every valid fixture's output, compiled with the HAProxy 2.6 profile into a temporary
//! directory through `base_dir`, must pass `haproxy -c` of the real HAProxy binary.

mod common;

#[expect(clippy::print_stdout, reason = "the pass count is part of the report")]
fn report(line: &str) {
    println!("{line}");
}

use std::fs;
use std::path::Path;
use std::process::Command;

use routec_core::Options;

fn check(bin: &Path, case: &Path) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let config = common::write_compiled_26(case, tmp.path())?;
    let res = Command::new(bin).arg("-c").arg("-f").arg(config).output().map_err(|e| e.to_string())?;
    if res.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&res.stdout), String::from_utf8_lossy(&res.stderr)))
    }
}

#[test]
fn every_valid_fixture_loads_in_haproxy_2_6() {
    let Some(bin) = common::haproxy::binary() else { return };
    let mut cases: Vec<_> =
        fs::read_dir(common::root().join("fixtures/valid")).expect("fixtures").flatten().map(|e| e.path()).collect();
    cases.sort();
    let mut failed = Vec::new();
    for case in &cases {
        if let Err(e) = check(&bin, case) {
            failed.push(format!("{}: {e}", case.display()));
        }
    }
    report(&format!("haproxy -c: {}/{} fixtures accepted", cases.len() - failed.len(), cases.len()));
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The "do better than the router" errors are claims about HAProxy: the router writes these
/// configs, and HAProxy must really refuse them. And the invalid cases whose only findings are
/// about what the route receives, not the config, must still load.
#[test]
fn haproxy_refuses_what_routec_calls_unloadable() {
    let Some(bin) = common::haproxy::binary() else { return };
    let invalid = common::root().join("fixtures/invalid");
    for name in [
        "annotation-rate-limit-plus",
        "tls-key-mismatch-ev-off",
        "tls-key-with-certificates-ev-off",
        "settings-header-set-without-value",
        "settings-haproxy-refuses-ssl",
        "settings-haproxy-refuses-bufsize",
        "settings-haproxy-refuses-log",
        "settings-haproxy-refuses-quote",
    ] {
        let case = invalid.join(name);
        let out =
            routec_core::compile(&common::read_dir_sources(&case), &common::settings_of(&case), &Options::default());
        let code = if name.starts_with("tls") {
            "routec::tls::haproxy-cannot-load"
        } else if name.starts_with("settings") {
            "routec::settings::haproxy-refuses"
        } else {
            "routec::annotation::haproxy-refuses"
        };
        assert!(out.diagnostics.iter().any(|d| d.code == code), "{name}: routec did not report {code}");
        assert!(check(&bin, &case).is_err(), "{name}: HAProxy accepted a config routec says it refuses");
    }
    for name in
        ["annotation-rate-limit-zero", "tls-untrusted-ev-off", "port-mismatch", "annotation-typo", "settings-values"]
    {
        let case = invalid.join(name);
        if let Err(e) = check(&bin, &case) {
            panic!("{name}: a warning-only case must still load: {e}");
        }
    }
    // A setting with a control character is an error and is left out, so what is written
    // holds none and still loads.
    let case = invalid.join("settings-control-character");
    let out = routec_core::compile(&common::read_dir_sources(&case), &common::settings_of(&case), &Options::default());
    let refused = out.diagnostics.iter().filter(|d| d.code == "routec::security::control-character").count();
    assert_eq!(refused, 2, "both settings with a control character are reported");
    // Error pages are HTTP responses and end their lines with CRLF by right.
    for f in out.files.iter().filter(|f| !f.path.ends_with(".http")) {
        assert!(!f.contents.contains(['\0', '\r']), "{}: a control character was written", f.path);
    }
    if let Err(e) = check(&bin, &case) {
        panic!("settings-control-character: the config without the refused settings must load: {e}");
    }
}
