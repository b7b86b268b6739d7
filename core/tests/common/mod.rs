//! Helpers shared by the integration tests: reading cases from disk and compiling them the way
//! the CLI does.
#![allow(dead_code, reason = "each test binary uses a different subset")]

pub(crate) mod haproxy;
pub(crate) mod probes;
pub(crate) mod rng;

use std::fs;
use std::path::{Path, PathBuf};

use routec_core::{compile, Options, Output, Profile, Settings, SourceFile};

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

/// The compile options a case's README asks for, one `Ingress-Domain: <domain>` line
/// (`--ingress-domain` on the command line).
pub(crate) fn ingress_domain_of(case: &Path) -> Option<String> {
    let readme = fs::read_to_string(case.join("README.md")).ok()?;
    readme.lines().find_map(|l| l.strip_prefix("Ingress-Domain: ")).map(|d| d.trim().to_owned())
}

/// Settings from a case's `router.env`, if it has one.
pub(crate) fn settings_of(case: &Path) -> Settings {
    let mut s = Settings::new();
    if let Ok(text) = fs::read_to_string(case.join("router.env")) {
        // No source stands for the file here; a span past every input keeps diagnostics from
        // pointing into one.
        let _ = s.parse_env(u32::MAX, &text);
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

/// Compiles a fixture case with the HAProxy 2.6 profile into `dir` (its `base_dir`), as the
/// router's working directory, and returns the path of its `haproxy.config`.
pub(crate) fn write_compiled_26(case: &Path, dir: &Path) -> Result<PathBuf, String> {
    let base = dir.to_str().ok_or("temp path is not UTF-8")?.to_owned();
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let mut settings = settings_of(case);
    if settings.get("DEFAULT_DESTINATION_CA_PATH").is_some() {
        // The service CA the operator mounts is not on this machine; point at a copy.
        let ca = dir.join("service-ca.crt");
        fs::copy(root().join("fixtures/pki/dest-ca.crt"), &ca).map_err(|e| e.to_string())?;
        settings.set("DEFAULT_DESTINATION_CA_PATH", ca.to_str().unwrap_or_default());
    }
    if settings.get("DEFAULT_CERTIFICATE_PATH").is_some() {
        // The router binds this file as named; give it the fixtures' default certificate.
        let d = root().join("fixtures/default-cert");
        let pem = fs::read_to_string(d.join("tls.crt")).map_err(|e| e.to_string())?
            + &fs::read_to_string(d.join("tls.key")).map_err(|e| e.to_string())?;
        let p = dir.join("default-certificate-path.pem");
        fs::write(&p, pem).map_err(|e| e.to_string())?;
        settings.set("DEFAULT_CERTIFICATE_PATH", p.to_str().unwrap_or_default());
    }
    // Client-certificate files live on the router's host; use the fixtures' client CA. Without
    // a CRL the router serves the CA from its working directory.
    let client_ca = root().join("fixtures/pki/client-ca.crt");
    if settings.get("ROUTER_MUTUAL_TLS_AUTH_CRL").is_some() {
        let (ca, crl) = (dir.join("client-ca.crt"), dir.join("client-ca.crl"));
        fs::copy(&client_ca, &ca).map_err(|e| e.to_string())?;
        fs::copy(root().join("fixtures/pki/client-ca.crl"), &crl).map_err(|e| e.to_string())?;
        settings.set("ROUTER_MUTUAL_TLS_AUTH_CA", ca.to_str().unwrap_or_default());
        settings.set("ROUTER_MUTUAL_TLS_AUTH_CRL", crl.to_str().unwrap_or_default());
    } else if settings.get("ROUTER_MUTUAL_TLS_AUTH_CA").is_some() {
        fs::create_dir_all(dir.join("mtls/latest")).map_err(|e| e.to_string())?;
        fs::copy(&client_ca, dir.join("mtls/latest/ca-bundle.pem")).map_err(|e| e.to_string())?;
    }
    let cert_dir = root().join("fixtures/default-cert");
    let cert = fs::read_to_string(cert_dir.join("tls.crt")).map_err(|e| e.to_string())?
        + &fs::read_to_string(cert_dir.join("tls.key")).map_err(|e| e.to_string())?;
    let opts = Options {
        base_dir: base,
        profile: Profile::Haproxy26,
        default_certificate: Some(cert),
        ingress_domain: ingress_domain_of(case),
        ..Options::default()
    };
    let out = compile(&read_dir_sources(case), &settings, &opts);
    fs::create_dir_all(dir.join("run")).map_err(|e| e.to_string())?;
    for f in &out.files {
        let p = dir.join(&f.path);
        fs::create_dir_all(p.parent().ok_or("no parent")?).map_err(|e| e.to_string())?;
        fs::write(&p, &f.contents).map_err(|e| e.to_string())?;
    }
    Ok(dir.join("conf/haproxy.config"))
}

/// Raw bytes of every input, for cases that hold bytes that are not UTF-8.
pub(crate) fn read_bytes_sources(case: &Path) -> Vec<SourceFile> {
    let mut paths: Vec<PathBuf> = fs::read_dir(case)
        .expect("case dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("input").to_owned();
            SourceFile::from_bytes(name, fs::read(&p).expect("readable input"))
        })
        .collect()
}
