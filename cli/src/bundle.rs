//! Reading a router's files from disk into a `Bundle`: one `haproxy.config` (a file, or a folder
//! holding it at its top or under `conf/`) plus the map files and crt-lists the config names,
//! looked up by file name next to it or under `conf/`. A config file with no map file beside it
//! is a bare config: its maps were not given, so they cannot be compared.

use std::fs;
use std::path::{Path, PathBuf};

use routec_core::hap::model::Bundle;

/// What was read from a path.
#[derive(Default)]
pub(crate) struct Router {
    /// The config and the files found with it.
    pub(crate) bundle: Bundle,
    /// False for a bare config file: no map file sits beside it.
    pub(crate) maps_given: bool,
}

/// Reads `path` (a config file or a router directory).
pub(crate) fn read(path: &Path) -> Result<Router, String> {
    let (config, dirs) = if path.is_dir() {
        let candidates = [path.join("haproxy.config"), path.join("conf/haproxy.config"), path.join("haproxy.cfg")];
        let cfg = candidates
            .iter()
            .find(|p| p.is_file())
            .cloned()
            .ok_or_else(|| format!("{} holds no haproxy.config (at its top or under conf/)", path.display()))?;
        (cfg, vec![path.to_path_buf(), path.join("conf")])
    } else {
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (path.to_path_buf(), vec![parent])
    };
    let bytes = fs::read(&config).map_err(|e| format!("cannot read {}: {e}", config.display()))?;
    crate::redact::register_bytes(&bytes);
    let mut bundle = Bundle { config: (config.display().to_string(), bytes), ..Bundle::default() };
    let mut names = referenced_files(&bundle.config.1);
    let has_map = |d: &Path| {
        fs::read_dir(d).into_iter().flatten().flatten().any(|e| e.file_name().to_string_lossy().ends_with(".map"))
    };
    // A config next to its maps (a router's conf/ folder) is read as its directory is.
    let maps_given = path.is_dir() || dirs.iter().any(|d| has_map(d));
    if maps_given {
        // A router directory: every map file, referenced or not (the router writes some that
        // only wildcard or passthrough routes use).
        for d in &dirs {
            for e in fs::read_dir(d).into_iter().flatten().flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.ends_with(".map") && !names.contains(&n) {
                    names.push(n);
                }
            }
        }
    }
    for name in names {
        if let Some(p) = dirs.iter().map(|d| d.join(&name)).find(|p| p.is_file()) {
            let b = fs::read(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            crate::redact::register_bytes(&b);
            bundle.files.insert(name, b);
        }
    }
    Ok(Router { bundle, maps_given })
}

/// File names of the map files, ACL files and crt-lists a config refers to: a scan of the raw
/// text for paths after `crt-list`, `-f` and `-M` and inside `map*(…)` converters.
fn referenced_files(config: &[u8]) -> Vec<String> {
    // The few lines that can name such a file are found first; only those are split into words.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let line_of = |i: usize| {
        let start = config.get(..i).and_then(|t| memchr::memrchr(b'\n', t)).map_or(0, |k| k + 1);
        let end = config.get(i..).and_then(|t| memchr::memchr(b'\n', t)).map_or(config.len(), |k| i + k);
        (start, end)
    };
    // Each marker is found with a vectorised substring search, then its line is taken once.
    for (marker, flag) in [(&b"map"[..], false), (b"crt-list", false), (b"-f", true), (b"-M", true)] {
        for i in memchr::memmem::find_iter(config, marker) {
            let after_blank = i > 0 && config.get(i - 1).is_some_and(u8::is_ascii_whitespace);
            if !flag || after_blank {
                lines.push(line_of(i));
            }
        }
    }
    lines.sort_unstable();
    lines.dedup();
    let mut out: Vec<String> = Vec::new();
    for (start, end) in lines {
        let line = String::from_utf8_lossy(config.get(start..end).unwrap_or_default());
        let line = line.split('#').next().unwrap_or_default();
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let after_flag = i > 0 && matches!(words.get(i - 1).copied(), Some("crt-list" | "-f" | "-M"));
            let pieces: Vec<&str> =
                if after_flag { vec![w.trim_matches(['"', '\''])] } else { w.split(['(', ')', ',']).collect() };
            for piece in pieces {
                let base = piece.rsplit('/').next().unwrap_or_default();
                let is_map = w.contains("map") && piece.contains('/') && base.contains('.');
                if (is_map || after_flag) && !base.is_empty() && !out.iter().any(|o| o == base) {
                    out.push(base.to_owned());
                }
            }
        }
    }
    out
}

/// The files `compile` writes that `--check` compares, relative to the output directory.
pub(crate) fn existing_tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in ["conf", "router/certs", "router/cacerts", "router/allowlists"] {
        if let Ok(rd) = fs::read_dir(dir.join(sub)) {
            for e in rd.flatten() {
                if e.path().is_file() {
                    out.push(PathBuf::from(sub).join(e.file_name()));
                }
            }
        }
    }
    out.sort();
    out
}
