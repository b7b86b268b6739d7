//! `routec explain`: exit codes, the JSON schema's shape, `--config`, objects plus `--config`,
//! `--routes`, and the route-table findings `routec check` reports.

mod common;

use common::{routec, stdout};

const EX: &[&str] = &[
    "fixtures/example",
    "--router-env",
    "fixtures/example/router.env",
    "--default-certificate",
    "fixtures/default-cert",
];

fn explain(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["explain"];
    args.extend_from_slice(extra);
    routec(&args)
}

#[test]
fn exit_codes_follow_the_outcome() {
    let served = explain(&[&["https://shop.example.test/api/x"], EX].concat());
    assert_eq!(served.status.code(), Some(0), "{}", stdout(&served));
    assert!(stdout(&served).contains("=> forwarded to 2 pod(s) of service shop/api"), "{}", stdout(&served));
    let redirect = explain(&[&["http://shop.example.test/"], EX].concat());
    assert_eq!(redirect.status.code(), Some(0));
    assert!(stdout(&redirect).contains("302 redirect to https://shop.example.test/"), "{}", stdout(&redirect));
    let miss = explain(&[&["http://nobody.example.test/"], EX].concat());
    assert_eq!(miss.status.code(), Some(1));
    let bad = explain(&[&["ftp://x/"], EX].concat());
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown scheme"));
    let nothing = explain(&["http://x/"]);
    assert_eq!(nothing.status.code(), Some(2));
}

#[test]
fn json_config_and_provenance() {
    let o = explain(&[&["tls://db.example.test", "--format", "json"], EX].concat());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["schema"], "routec.explain/1");
    assert_eq!(v["outcome"]["kind"], "passthrough");
    assert_eq!(v["backend"]["name"], "be_tcp:shop:db");
    assert_eq!(v["backend"]["source"]["kind"], "Route");
    assert!(v["steps"].as_array().is_some_and(|s| s.iter().all(|x| x["n"].is_u64())));

    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().to_str().expect("utf-8");
    assert_eq!(routec(&[&["compile"], EX, &["-o", out]].concat()).status.code(), Some(0));
    let from_dir = explain(&["tls://db.example.test", "--config", out, "--format", "json"]);
    let w: serde_json::Value = serde_json::from_slice(&from_dir.stdout).expect("json");
    assert_eq!(w["outcome"], v["outcome"], "the same verdict from the files");
    assert!(w["backend"]["source"].is_null(), "no objects, no provenance");
    let both = explain(&[&["tls://db.example.test", "--config", out, "--format", "json"], EX].concat());
    let b: serde_json::Value = serde_json::from_slice(&both.stdout).expect("json");
    assert_eq!(b["backend"]["source"]["kind"], "Route", "objects add provenance to --config");

    let routes = explain(&[&["--routes", "--format", "json"], EX].concat());
    let r: serde_json::Value = serde_json::from_slice(&routes.stdout).expect("json");
    assert_eq!(r["schema"], "routec.routes/1");
    assert_eq!(r["routes"].as_array().map(Vec::len), Some(4));
}

#[test]
fn check_reports_route_table_findings() {
    let o =
        routec(&["check", "fixtures/valid/http-paths", "--default-certificate", "fixtures/default-cert", "--strict"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("routec::routes::unreachable-map-entry"), "{text}");
    assert!(text.contains("be_http:demo:root"), "{text}");
}
