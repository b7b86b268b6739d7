//! Helpers shared by the integration tests: reading cases from disk and compiling them the way
//! the CLI does.
#![allow(dead_code, reason = "each test binary uses a different subset")]

pub(crate) mod haproxy;

use std::fs;
use std::path::{Path, PathBuf};

use routec_core::{compile, Options, Output, Settings, SourceFile};

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `../shared`, next to the workspace.
pub(crate) fn shared() -> PathBuf {
    root().join("..").join("shared")
}

/// Every `.yaml`/`.yml`/`.json` file under `dir`, in path order, as the CLI reads a directory.
pub(crate) fn read_dir_sources(dir: &Path) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    walk(dir, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(dir).unwrap_or(&p).display().to_string();
            SourceFile::new(name, fs::read_to_string(&p).expect("readable input"))
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("readable dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml" | "json")) {
            out.push(p);
        }
    }
}

/// Settings from a case's `router.env`, if it has one.
pub(crate) fn settings_of(case: &Path) -> Settings {
    let mut s = Settings::new();
    if let Ok(text) = fs::read_to_string(case.join("router.env")) {
        let _ = s.parse_env(0, &text);
    }
    s
}

/// The oracle's default certificate, composed as the router composes a certificate directory.
pub(crate) fn default_cert() -> String {
    let dir = shared().join("oracle/default-cert");
    let mut crt = fs::read_to_string(dir.join("tls.crt")).expect("tls.crt");
    if !routec_core::tls::has_private_key(&crt) {
        crt.push_str(&fs::read_to_string(dir.join("tls.key")).expect("tls.key"));
    }
    crt
}

/// Compiles a case directory (with `input/` or inputs at its top level).
pub(crate) fn compile_case(case: &Path, opts: &Options) -> Output {
    let input = if case.join("input").is_dir() { case.join("input") } else { case.to_path_buf() };
    compile(&read_dir_sources(&input), &settings_of(case), opts)
}

/// Lines without comments, blank lines and surrounding whitespace: the oracle comparison.
pub(crate) fn significant_lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
}
