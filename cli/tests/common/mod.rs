//! Helpers shared by the CLI tests: the workspace root and running the built binary.
#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `routec` from the workspace root without colour.
pub(crate) fn routec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_routec"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("routec runs")
}

/// Its stdout as text.
pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
