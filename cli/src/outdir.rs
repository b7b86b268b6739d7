//! Writing the router's working directory (`compile -o DIR`) without harming what else is
//! there, and without ever leaving a half-written file.
//!
//! - **Ownership.** routec lists every file it writes in `DIR/.routec-manifest`. A later run
//!   removes only files of that list that it no longer writes; a file a user put in `DIR/conf/`
//!   stays. A directory without a manifest is accepted when it is empty or looks like router
//!   output (`conf/haproxy.config`, e.g. from a routec before manifests); then only stale files
//!   with the layout's own names are removed. Any other non-empty directory is refused unless
//!   `--force`, and then nothing in it is removed.
//! - **Atomicity.** Each file is written to a temporary file beside its target and renamed over
//!   it, so a reader (or a run killed at any instant) sees either the old file or the new one
//!   in full. The manifest is first widened to cover the old and new files and narrowed last,
//!   so a run killed half-way still names everything routec may have written. The whole tree
//!   is not switched at once: a killed run can leave some files new and others old, each
//!   complete; the next run completes it.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// The manifest's file name, at the top of the output directory.
pub(crate) const MANIFEST: &str = ".routec-manifest";

/// Temporary files end with this; a later run removes leftovers of a killed one.
const TMP_SUFFIX: &str = ".routec-tmp";

/// The map files the router writes under `conf/`, besides `haproxy.config` and the error pages.
const LAYOUT_CONF: &[&str] = &[
    "haproxy.config",
    "os_http_be.map",
    "os_edge_reencrypt_be.map",
    "os_tcp_be.map",
    "os_sni_passthrough.map",
    "os_route_http_redirect.map",
    "os_wildcard_domain.map",
    "cert_config.map",
    "error-page-503.http",
    "error-page-404.http",
];

/// What `write_tree` did, for the summary line.
pub(crate) struct Written {
    /// Files written.
    pub(crate) files: usize,
    /// Bytes written.
    pub(crate) bytes: usize,
    /// Stale files removed.
    pub(crate) removed: usize,
}

/// The files routec wrote into `dir` by its manifest, or `None` without one.
pub(crate) fn owned(dir: &Path) -> Option<BTreeSet<String>> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter(|l| safe_rel(l))
            .map(str::to_owned)
            .collect(),
    )
}

/// Writes `files` under `dir` (see the module docs), plus the empty `run/` for the sockets.
pub(crate) fn write_tree(dir: &Path, files: &[routec_core::OutputFile], force: bool) -> Result<Written, String> {
    for f in files {
        if !safe_rel(&f.path) {
            return Err(format!("refusing to write {}: not a plain relative path", f.path));
        }
    }
    let previous = owned(dir);
    if previous.is_none() && !force && !empty_or_router(dir)? {
        return Err(format!(
            "refusing to write into {}: it is not empty and does not look like router output (no {MANIFEST} \
             or conf/haproxy.config); choose an empty or new directory, or pass --force (routec then \
             removes nothing in it)",
            dir.display()
        ));
    }
    let new: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let stale: Vec<String> = match &previous {
        Some(old) => old.difference(&new).cloned().collect(),
        None if force => Vec::new(),
        None => layout_files(dir).into_iter().filter(|p| !new.contains(p)).collect(),
    };
    fs::create_dir_all(dir.join("run")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    remove_leftovers(dir);
    // Widen first: until the end of this run, the manifest names the old and the new files.
    let mut all: BTreeSet<String> = previous.unwrap_or_default();
    all.extend(new.iter().cloned());
    write_atomic(&dir.join(MANIFEST), manifest_text(&all).as_bytes())?;
    let mut bytes = 0;
    for f in files {
        let p = dir.join(&f.path);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        write_atomic(&p, f.contents.as_bytes())?;
        bytes += f.contents.len();
    }
    let mut removed = 0;
    for rel in &stale {
        if fs::remove_file(dir.join(rel)).is_ok() {
            removed += 1;
        }
    }
    write_atomic(&dir.join(MANIFEST), manifest_text(&new).as_bytes())?;
    Ok(Written { files: files.len(), bytes, removed })
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`: readers, and a
/// run killed at any instant, see the old contents or the new, never a part. (No fsync: this
/// guards against interruption, not power loss, and thousands of certificate files would pay
/// for it.)
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}{TMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

fn manifest_text(files: &BTreeSet<String>) -> String {
    let mut s = String::from("# Files routec compile wrote here; a later run removes only these.\n");
    for f in files {
        s.push_str(f);
        s.push('\n');
    }
    s
}

/// A relative path with normal components only, so no manifest line or output name can point
/// outside the directory.
fn safe_rel(p: &str) -> bool {
    !p.is_empty() && Path::new(p).components().all(|c| matches!(c, Component::Normal(_)))
}

fn empty_or_router(dir: &Path) -> Result<bool, String> {
    let mut entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    Ok(entries.next().is_none() || dir.join("conf/haproxy.config").is_file())
}

/// Files of `dir` with the router layout's own names (for output written before manifests).
fn layout_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> =
        LAYOUT_CONF.iter().map(|n| format!("conf/{n}")).filter(|p| dir.join(p).is_file()).collect();
    for (sub, ext) in [("router/certs", ".pem"), ("router/cacerts", ".pem"), ("router/allowlists", ".txt")] {
        for e in fs::read_dir(dir.join(sub)).into_iter().flatten().flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.ends_with(ext) && e.path().is_file() {
                out.push(format!("{sub}/{n}"));
            }
        }
    }
    out
}

/// Removes temporary files a killed run left in the layout's folders.
fn remove_leftovers(dir: &Path) {
    let mut dirs: Vec<PathBuf> = vec![dir.to_path_buf()];
    dirs.extend(["conf", "router/certs", "router/cacerts", "router/allowlists"].iter().map(|s| dir.join(s)));
    for d in dirs {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_name().to_string_lossy().ends_with(TMP_SUFFIX) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}
