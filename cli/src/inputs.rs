//! Reading inputs: files, directories (walked recursively for .yaml/.yml/.json, in path order)
//! and `-` for stdin; router settings files; the default certificate.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use routec_core::{Settings, SourceFile};

/// Reads every input path into source files. Errors are IO errors (exit code 2).
pub(crate) fn read_inputs(paths: &[PathBuf]) -> Result<Vec<SourceFile>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read stdin: {e}"))?;
            out.push(SourceFile::from_bytes("<stdin>", bytes));
        } else if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files).map_err(|e| format!("cannot read directory {}: {e}", p.display()))?;
            files.sort();
            for f in files {
                out.push(read_file(&f)?);
            }
        } else {
            out.push(read_file(p)?);
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            out.push(path);
        }
    }
    Ok(())
}

fn read_file(p: &Path) -> Result<SourceFile, String> {
    let bytes = fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
    Ok(SourceFile::from_bytes(p.display().to_string(), bytes))
}

/// Builds router settings from `--router-env` files and `--set` pairs. Returns the settings, the
/// env files as sources (for diagnostics), and the diagnostics found.
pub(crate) fn read_settings(
    env_files: &[PathBuf],
    sets: &[String],
    first_file_id: u32,
) -> Result<(Settings, Vec<SourceFile>, Vec<routec_core::Diagnostic>), String> {
    let mut settings = Settings::new();
    let mut sources = Vec::new();
    let mut diags = Vec::new();
    for (i, f) in env_files.iter().enumerate() {
        let src = read_file(f)?;
        let id = first_file_id + u32::try_from(i).unwrap_or(0);
        diags.extend(settings.parse_env(id, &src.text));
        sources.push(src);
    }
    for kv in sets {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("--set expects KEY=VALUE, got `{kv}`"))?;
        if let Some(mut d) = routec_core::settings::check_key(k, routec_core::source::Span::default()) {
            d.primary = None;
            diags.push(d);
        }
        settings.set(k, v);
    }
    Ok((settings, sources, diags))
}

/// The default certificate: the flag, else `DEFAULT_CERTIFICATE_DIR` when it names a local
/// directory. A directory holds `tls.crt` and `tls.key`; the key is appended when the
/// certificate file has none, as the router does. `DEFAULT_CERTIFICATE_PATH` is not read: the
/// router binds that file as named and writes no `router/certs/default.pem`, and so does the
/// core (the file stays on the router's host).
pub(crate) fn default_certificate(flag: Option<&Path>, settings: &Settings) -> Result<Option<String>, String> {
    if let Some(p) = flag {
        return load_cert(p).map(Some);
    }
    if let Some(v) = settings.get("DEFAULT_CERTIFICATE_DIR") {
        let p = Path::new(v);
        if p.exists() {
            return load_cert(p).map(Some);
        }
    }
    Ok(None)
}

fn load_cert(p: &Path) -> Result<String, String> {
    let read =
        |f: &Path| fs::read_to_string(f).map_err(|e| format!("cannot read default certificate {}: {e}", f.display()));
    if p.is_dir() {
        let mut crt = read(&p.join("tls.crt"))?;
        if !routec_core::tls::has_private_key(&crt) {
            crt.push_str(&read(&p.join("tls.key"))?);
        }
        Ok(crt)
    } else {
        read(p)
    }
}
