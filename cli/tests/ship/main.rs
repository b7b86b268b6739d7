//! The "ship it" bar (issue #15): safe output directories, atomic writes, key redaction in
//! every output, completions and man pages, the global flags, and the CI recipes of `docs/`.

mod ci_files;
#[path = "../common/mod.rs"]
mod common;
mod docs;
mod flags;
mod outdir;
mod recipes;
mod redaction;
mod shell;

use std::path::Path;
use std::process::{Command, Output};

/// Runs `routec` from the workspace root with extra environment variables (`NO_COLOR` unset
/// unless given).
pub(crate) fn routec_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_routec"));
    c.current_dir(common::root()).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("routec runs")
}

/// Its stderr as text.
pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` (relative path, contents), sorted.
pub(crate) fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap_or(&p).display().to_string();
                out.push((rel, std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}
