//! Finding the HAProxy binary the tests run, shared by the core and CLI tests (the CLI tests
//! include this file with `#[path]`). Under CI (`CI` set, as `.ci/test` does) a missing
//! HAProxy fails the test; on a developer machine without it the test is skipped with a note.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `$HAPROXY`, or `haproxy` on `PATH`, as an absolute path (so it also runs with a cleared
/// environment). `None` only when it is missing and `CI` is unset.
pub(crate) fn binary() -> Option<PathBuf> {
    let name = std::env::var("HAPROXY").unwrap_or_else(|_| "haproxy".to_owned());
    let found = resolve(&name).filter(|p| Command::new(p).arg("-v").output().is_ok_and(|o| o.status.success()));
    match found {
        Some(p) => Some(p),
        None if std::env::var_os("CI").is_some() => {
            panic!("`{name}` is not installed: run `apt-get install -y haproxy` (.ci/test does) or set HAPROXY")
        }
        None => {
            skip_note(&name);
            None
        }
    }
}

#[expect(clippy::print_stderr, reason = "a skipped test says why")]
fn skip_note(name: &str) {
    eprintln!("skipped: `{name}` is not installed (apt-get install -y haproxy, or set HAPROXY); CI is unset");
}

/// A command running `bin` where no name resolves at once: in a network namespace of its own
/// when `unshare` can make one, otherwise with the resolver cut to one short try. Corpus
/// configs name hosts such as `docker` that resolve nowhere, and HAProxy waits on each. The
/// environment is cleared, so nothing from the caller's reaches HAProxy.
pub(crate) fn offline(bin: &Path) -> Command {
    static UNSHARE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let unshare = UNSHARE.get_or_init(|| {
        resolve("unshare").filter(|u| Command::new(u).args(["-rn", "true"]).output().is_ok_and(|o| o.status.success()))
    });
    match unshare {
        Some(u) => {
            let mut c = Command::new(u);
            c.env_clear().arg("-rn").arg(bin);
            c
        }
        None => {
            let mut c = Command::new(bin);
            c.env_clear().env("RES_OPTIONS", "timeout:1 attempts:1");
            c
        }
    }
}

fn resolve(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        return Some(PathBuf::from(name)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
