//! `routec verify`, `diff`, `parse` and `compile --check` end to end: exit codes (0 equivalent,
//! 1 drift or syntax errors, 2 errors), both formats, and that `--check` writes nothing.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{root, routec, stdout};

const CASE: &str = "../shared/oracle/34-mixed-cluster";

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

fn verify(against: &str, format: &str) -> Output {
    routec(&[
        "verify",
        &format!("{CASE}/input"),
        "--router-env",
        &format!("{CASE}/router.env"),
        "--default-certificate",
        "../shared/oracle/default-cert",
        "--against",
        against,
        "--format",
        format,
    ])
}

#[test]
fn verify_exit_codes_and_formats() {
    let same = verify(&format!("{CASE}/expected"), "text");
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
    assert!(stdout(&same).contains("verify: equivalent"));

    let tmp = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join(CASE).join("expected"), tmp.path());
    let cfg = tmp.path().join("conf/haproxy.config");
    let text = fs::read_to_string(&cfg).expect("config");
    fs::write(&cfg, text.replacen("balance random", "balance leastconn", 1)).expect("write");
    let map = tmp.path().join("conf/os_edge_reencrypt_be.map");
    let m = fs::read_to_string(&map).expect("map");
    let first = m.lines().next().expect("an entry").to_owned();
    fs::write(&map, m.replacen(&format!("{first}\n"), "", 1)).expect("write");
    let against = tmp.path().to_str().expect("utf-8");
    let drift = verify(against, "text");
    assert_eq!(drift.status.code(), Some(1));
    let s = stdout(&drift);
    assert!(s.contains("balance: changed — expected `balance random`"), "{s}");
    assert!(s.contains("found `balance leastconn`"), "{s}");
    assert!(s.contains("map os_edge_reencrypt_be.map: entry: missing"), "{s}");
    let j: serde_json::Value = serde_json::from_slice(&verify(against, "json").stdout).expect("json");
    assert_eq!(j["equivalent"], false);
    assert!(j["differences"]
        .as_array()
        .is_some_and(|d| d.iter().any(|x| x["field"] == "balance" && x["found"] == "balance leastconn")));

    let missing = verify("/nonexistent/router", "text");
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn diff_and_parse() {
    let a = format!("{CASE}/expected");
    assert_eq!(routec(&["diff", &a, &a]).status.code(), Some(0));
    let tmp = tempfile::tempdir().expect("tmp");
    // The maps next to each config are part of what is compared.
    copy_dir(&root().join(CASE).join("expected/conf"), tmp.path());
    let cfg = tmp.path().join("haproxy.config");
    let text = fs::read_to_string(&cfg).expect("config");
    // Cosmetic: comments and indentation only.
    let cosmetic: String = text.lines().map(|l| format!("{}  # c\n", l.trim_start())).collect();
    fs::write(&cfg, cosmetic).expect("write");
    let eq = routec(&["diff", &format!("{a}/conf/haproxy.config"), cfg.to_str().expect("utf-8")]);
    assert_eq!(eq.status.code(), Some(0), "{}", stdout(&eq));

    let bad = tmp.path().join("bad.cfg");
    fs::write(&bad, "global\n  maxconn \"10\nfrontend f\n  bind :80\n").expect("write");
    let p = routec(&["parse", bad.to_str().expect("utf-8")]);
    assert_eq!(p.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&p.stderr).contains("routec::hap::unmatched-quote"));
    let ok = routec(&["parse", &a, "--format", "json"]);
    assert_eq!(ok.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("json");
    let doc = &j[0];
    assert_eq!(doc["errors"], 0);
    assert!(doc["maps"]["os_http_be.map"].as_array().is_some_and(|m| !m.is_empty()), "the folder's maps are read");
    assert!(doc["crtLists"]["cert_config.map"].as_array().is_some_and(|m| !m.is_empty()), "and its crt-list");
    assert_eq!(routec(&["diff", &a, "/nonexistent"]).status.code(), Some(2));
}

#[test]
fn compile_check_compares_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().to_str().expect("utf-8");
    let args = [
        "compile",
        "fixtures/example",
        "--router-env",
        "fixtures/example/router.env",
        "--default-certificate",
        "fixtures/default-cert",
        "-q",
        "-o",
        out,
    ];
    assert_eq!(routec(&args).status.code(), Some(0));
    let mut check = args.to_vec();
    check.push("--check");
    let same = routec(&check);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
    assert!(stdout(&same).is_empty());

    let cfg = tmp.path().join("conf/haproxy.config");
    let text = fs::read_to_string(&cfg).expect("config");
    let edited = text.replacen("balance random", "balance source", 1);
    assert_ne!(edited, text);
    fs::write(&cfg, &edited).expect("write");
    let drift = routec(&check);
    assert_eq!(drift.status.code(), Some(1));
    let s = stdout(&drift);
    assert!(
        s.contains("--- a/conf/haproxy.config") && s.contains("-  balance source") && s.contains("+  balance random"),
        "{s}"
    );
    assert!(s.contains("balance: changed"), "{s}");
    assert_eq!(fs::read_to_string(&cfg).expect("config"), edited, "--check must not write");

    // A comment-only change is a text difference but no semantic one.
    fs::write(&cfg, format!("{text}# local note\n")).expect("write");
    let cosmetic = routec(&check);
    assert_eq!(cosmetic.status.code(), Some(1));
    assert!(stdout(&cosmetic).contains("Semantically equivalent"), "{}", stdout(&cosmetic));
    assert_eq!(routec(&["compile", "fixtures/example", "--check"]).status.code(), Some(2), "--check needs -o");
}

/// Issue #13: a file equals itself even when a backend holds two servers of the same name
/// (paired by position); `parse` reports the name clash with HAProxy's message.
#[test]
fn duplicate_server_names_equal_themselves() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cfg = tmp.path().join("dup.cfg");
    fs::write(
        &cfg,
        "global\nbackend b\n  server s 10.0.0.1:80 weight 1\n  server s 10.0.0.2:80 weight 2\n  server t 10.0.0.3:80\n",
    )
    .expect("write");
    let f = cfg.to_str().expect("utf-8");
    let same = routec(&["diff", f, f]);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
    assert!(stdout(&same).contains("diff: equivalent"), "{}", stdout(&same));
    let p = routec(&["parse", f]);
    assert_eq!(p.status.code(), Some(1));
    let err = String::from_utf8_lossy(&p.stderr);
    assert!(err.contains("routec::hap::duplicate-server"), "{err}");
    assert!(
        err.contains("backend 'b', another server named 's' was already defined at line 3, please use distinct names"),
        "{err}"
    );
    // Swapping the two same-named servers is drift: their order decides IDs and balancing.
    let swapped = tmp.path().join("swapped.cfg");
    fs::write(
        &swapped,
        "global\nbackend b\n  server s 10.0.0.2:80 weight 2\n  server s 10.0.0.1:80 weight 1\n  server t 10.0.0.3:80\n",
    )
    .expect("write");
    let d = routec(&["diff", f, swapped.to_str().expect("utf-8")]);
    assert_eq!(d.status.code(), Some(1), "{}", stdout(&d));
}

/// Issue #13: `verify --against` a bare haproxy.config compares the config and says once that
/// the maps were not given; next to its maps, the maps are compared too.
#[test]
fn verify_against_a_config_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bare = tmp.path().join("haproxy.config");
    fs::copy(root().join(CASE).join("expected/conf/haproxy.config"), &bare).expect("copy");
    let out = verify(bare.to_str().expect("utf-8"), "text");
    let s = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{s}");
    assert!(!s.contains("file: missing"), "{s}");
    assert_eq!(s.matches("maps and crt-lists not compared").count(), 1, "{s}");
    assert!(s.contains("verify: equivalent"), "{s}");
    let j: serde_json::Value =
        serde_json::from_slice(&verify(bare.to_str().expect("utf-8"), "json").stdout).expect("json");
    assert_eq!(j["mapsCompared"], false);
    assert_eq!(j["equivalent"], true);

    // Beside its maps (a router's conf/ folder), a config file brings them along.
    let in_place = verify(&format!("{CASE}/expected/conf/haproxy.config"), "text");
    assert_eq!(in_place.status.code(), Some(0), "{}", stdout(&in_place));
    assert!(!stdout(&in_place).contains("not compared"), "{}", stdout(&in_place));
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join(CASE).join("expected/conf"), dir.path());
    let map = dir.path().join("os_http_be.map");
    let m = fs::read_to_string(&map).expect("map");
    let first = m.lines().find(|l| l.starts_with('^')).expect("an entry").to_owned();
    fs::write(&map, m.replacen(&format!("{first}\n"), "", 1)).expect("write");
    let drift = verify(dir.path().join("haproxy.config").to_str().expect("utf-8"), "text");
    assert_eq!(drift.status.code(), Some(1), "{}", stdout(&drift));
    assert!(stdout(&drift).contains("map os_http_be.map: entry: missing"), "{}", stdout(&drift));
}

/// Issue #13: a config with syntax errors cannot be compared: `diff` exits 2, not 1.
#[test]
fn diff_of_a_config_with_syntax_errors_is_an_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bad = tmp.path().join("bad.cfg");
    fs::write(&bad, "global\n  maxconn \"10\nfrontend f\n  bind :80\n").expect("write");
    let good = format!("{CASE}/expected");
    for (a, b) in [(good.as_str(), bad.to_str().expect("utf-8")), (bad.to_str().expect("utf-8"), good.as_str())] {
        let d = routec(&["diff", a, b]);
        assert_eq!(d.status.code(), Some(2), "{}", stdout(&d));
        let err = String::from_utf8_lossy(&d.stderr);
        assert!(err.contains("routec::hap::unmatched-quote") && err.contains("has syntax errors"), "{err}");
    }
}
