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

use routec_core::{Options, Profile};

fn haproxy() -> String {
    let bin = std::env::var("HAPROXY").unwrap_or_else(|_| "haproxy".to_owned());
    let ok = Command::new(&bin).arg("-v").output().is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "`{bin}` is not installed: run `apt-get install -y haproxy` (the README's test command does) or set HAPROXY"
    );
    bin
}

fn check(bin: &str, case: &Path) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let base = tmp.path().to_str().ok_or("temp path is not UTF-8")?.to_owned();
    let mut settings = common::settings_of(case);
    if settings.get("DEFAULT_DESTINATION_CA_PATH").is_some() {
        // The service CA the operator mounts is not on this machine; point at a copy.
        let ca = tmp.path().join("service-ca.crt");
        fs::copy(common::root().join("fixtures/pki/dest-ca.crt"), &ca).map_err(|e| e.to_string())?;
        settings.set("DEFAULT_DESTINATION_CA_PATH", ca.to_str().unwrap_or_default());
    }
    if settings.get("DEFAULT_CERTIFICATE_PATH").is_some() {
        // The router binds this file as named; give it the fixtures' default certificate.
        let dir = common::root().join("fixtures/default-cert");
        let pem = fs::read_to_string(dir.join("tls.crt")).map_err(|e| e.to_string())?
            + &fs::read_to_string(dir.join("tls.key")).map_err(|e| e.to_string())?;
        let p = tmp.path().join("default-certificate-path.pem");
        fs::write(&p, pem).map_err(|e| e.to_string())?;
        settings.set("DEFAULT_CERTIFICATE_PATH", p.to_str().unwrap_or_default());
    }
    // Client-certificate files live on the router's host; use the fixtures' client CA. Without
    // a CRL the router serves the CA from its working directory.
    let client_ca = common::root().join("fixtures/pki/client-ca.crt");
    if settings.get("ROUTER_MUTUAL_TLS_AUTH_CRL").is_some() {
        let (ca, crl) = (tmp.path().join("client-ca.crt"), tmp.path().join("client-ca.crl"));
        fs::copy(&client_ca, &ca).map_err(|e| e.to_string())?;
        fs::copy(common::root().join("fixtures/pki/client-ca.crl"), &crl).map_err(|e| e.to_string())?;
        settings.set("ROUTER_MUTUAL_TLS_AUTH_CA", ca.to_str().unwrap_or_default());
        settings.set("ROUTER_MUTUAL_TLS_AUTH_CRL", crl.to_str().unwrap_or_default());
    } else if settings.get("ROUTER_MUTUAL_TLS_AUTH_CA").is_some() {
        fs::create_dir_all(tmp.path().join("mtls/latest")).map_err(|e| e.to_string())?;
        fs::copy(&client_ca, tmp.path().join("mtls/latest/ca-bundle.pem")).map_err(|e| e.to_string())?;
    }
    let cert_dir = common::root().join("fixtures/default-cert");
    let cert = fs::read_to_string(cert_dir.join("tls.crt")).map_err(|e| e.to_string())?
        + &fs::read_to_string(cert_dir.join("tls.key")).map_err(|e| e.to_string())?;
    let opts = Options {
        base_dir: base.clone(),
        profile: Profile::Haproxy26,
        default_certificate: Some(cert),
        ..Options::default()
    };
    let out = routec_core::compile(&common::read_dir_sources(case), &settings, &opts);
    fs::create_dir_all(tmp.path().join("run")).map_err(|e| e.to_string())?;
    for f in &out.files {
        let p = tmp.path().join(&f.path);
        fs::create_dir_all(p.parent().ok_or("no parent")?).map_err(|e| e.to_string())?;
        fs::write(&p, &f.contents).map_err(|e| e.to_string())?;
    }
    let res = Command::new(bin)
        .arg("-c")
        .arg("-f")
        .arg(tmp.path().join("conf/haproxy.config"))
        .output()
        .map_err(|e| e.to_string())?;
    if res.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&res.stdout), String::from_utf8_lossy(&res.stderr)))
    }
}

#[test]
fn every_valid_fixture_loads_in_haproxy_2_6() {
    let bin = haproxy();
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
    let bin = haproxy();
    let invalid = common::root().join("fixtures/invalid");
    for name in ["annotation-rate-limit-plus", "tls-key-mismatch-ev-off", "settings-header-set-without-value"] {
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
    for name in ["annotation-rate-limit-zero", "tls-untrusted-ev-off", "port-mismatch", "annotation-typo"] {
        let case = invalid.join(name);
        if let Err(e) = check(&bin, &case) {
            panic!("{name}: a warning-only case must still load: {e}");
        }
    }
}
