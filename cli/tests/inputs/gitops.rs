//! `fixtures/gitops/`, a folder shaped like a GitOps repository (issue #14's bar): routec reads
//! each manifest once (not `.github/`, not through the symlink loop), `check` passes, and the
//! compiled output loads in HAProxy 2.6.

use std::path::Path;
use std::process::Output;

use crate::common::{routec, stdout};

const CASE: &str = "fixtures/gitops";

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Compiles the folder with `extra` flags for HAProxy 2.6 into a temporary directory and runs
/// `haproxy -c` on it.
fn compiles_and_loads(extra: &[&str]) {
    let Some(bin) = crate::haproxy::binary() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().to_str().expect("utf-8 temp path");
    let mut args = vec!["compile", CASE, "--haproxy-version", "2.6", "--default-certificate", "fixtures/default-cert"];
    args.extend_from_slice(&["--base-dir", dir, "-o", dir, "--now", "2027-01-01T00:00:00Z"]);
    args.extend_from_slice(extra);
    let c = routec(&args);
    assert_eq!(c.status.code(), Some(0), "{}", stderr(&c));
    let config = Path::new(dir).join("conf/haproxy.config");
    let check = crate::haproxy::offline(&bin).arg("-c").arg("-f").arg(&config).output().expect("haproxy runs");
    assert!(check.status.success(), "haproxy -c refuses it:\n{}{}", stdout(&check), stderr(&check));
}

#[test]
fn gitops_folder_is_read_once_checks_and_loads() {
    let o = routec(&["check", CASE, "--format", "junit"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let s = stdout(&o);
    let suites: Vec<&str> = s.lines().filter(|l| l.contains("<testsuite name=\"fixtures/")).collect();
    // Eight manifests, each once: the loop `apps/shop/all` is not followed and `.github/` is
    // hidden.
    assert_eq!(suites.len(), 8, "{s}");
    assert!(!s.contains(".github") && !s.contains("/all/"), "{s}");
    assert_eq!(s.matches("routec::input::symlink-skipped").count(), 1, "{s}");
    compiles_and_loads(&[]);
}

/// The whole bar of issue #14: strict and clean, with manifest mode (no Endpoints in Git) and
/// `--ingress-domain` giving the host-less routes their hosts.
#[test]
fn gitops_folder_is_clean_under_strict_with_an_ingress_domain() {
    let o = routec(&["check", "--strict", "--ingress-domain", "apps.example.com", CASE]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    compiles_and_loads(&["--ingress-domain", "apps.example.com"]);
}
