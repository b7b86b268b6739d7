//! Reading inputs: files, directories (walked by `walk`: recursively for .yaml/.yml/.json, in
//! path order, hidden entries and excluded globs left out) and `-` for stdin; router settings
//! files; the default certificate. An input that yields nothing (a folder without manifests,
//! empty stdin, a blank file named on the command line) is an error (exit 2): a CI gate pointed
//! at the wrong path must not pass.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use routec_core::{Diagnostic, Settings, SourceFile};

use crate::progress::Progress;
use crate::walk;

/// The files read, with the walk's advice.
#[derive(Default)]
pub(crate) struct Inputs {
    pub(crate) sources: Vec<SourceFile>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Reads every input path into `out`. Errors are IO errors and inputs that yield no file
/// (exit code 2); every such input is named.
pub(crate) fn read_inputs(
    paths: &[PathBuf],
    opts: &walk::Options<'_>,
    progress: &Progress,
    out: &mut Inputs,
) -> Result<(), String> {
    let mut empty = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read stdin: {e}"))?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                empty.push("stdin (-) is empty".to_owned());
            }
            out.sources.push(SourceFile::from_bytes("<stdin>", bytes));
        } else if p.is_dir() {
            let w = walk::walk(p, opts)?;
            if w.files.is_empty() {
                empty.push(format!("{} holds no .yaml, .yml or .json file{}", p.display(), skipped(&w)));
            }
            out.diagnostics.extend(w.notes);
            for f in w.files {
                out.sources.push(read_file(&f)?);
                if out.sources.len() % 256 == 0 {
                    progress.set_message(format!("reading inputs ({} files)", out.sources.len()));
                }
            }
        } else {
            let src = read_file(p)?;
            if src.text.trim().is_empty() {
                empty.push(format!("{} is empty", p.display()));
            }
            out.sources.push(src);
        }
    }
    if empty.is_empty() {
        Ok(())
    } else {
        Err(format!("no input: {}", empty.join("; ")))
    }
}

/// What a walk left out, for the message about an empty folder.
fn skipped(w: &walk::Walked) -> String {
    let mut parts = Vec::new();
    if w.hidden > 0 {
        parts.push(format!(
            "{} hidden entr{} skipped: --hidden reads them",
            w.hidden,
            if w.hidden == 1 { "y" } else { "ies" }
        ));
    }
    if w.excluded > 0 {
        parts.push(format!("{} entr{} excluded", w.excluded, if w.excluded == 1 { "y" } else { "ies" }));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
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
