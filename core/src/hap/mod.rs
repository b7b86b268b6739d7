//! Reading HAProxy files back: a lossless lexer for `haproxy.config` (`lex`), cooking of words
//! against an environment (`cook`), map files and crt-lists (`mapfile`), the evaluated view of a
//! config and its semantic model (`model`, with the names HAProxy refuses twice in `unique`), and the semantic comparison of two models (`diff`).

pub mod cook;
pub mod diff;
pub mod eval;
pub mod lex;
pub mod mapfile;
pub mod model;
mod unique;

use crate::compile::OutputFile;
use model::Bundle;

/// The bundle a compile's output makes: `conf/haproxy.config` and every map file, named by
/// their file names (a router directory may hold them under `conf/` or at its top).
pub fn bundle_from_output(files: &[OutputFile]) -> Bundle {
    let name = |f: &OutputFile| f.path.rsplit('/').next().unwrap_or(&f.path).to_owned();
    let mut b = Bundle::default();
    if let Some(f) = files.iter().rfind(|f| f.path.ends_with("haproxy.config")) {
        b.config = (name(f), f.contents.clone().into_bytes());
    }
    b.files = files
        .iter()
        .filter(|f| !f.path.ends_with("haproxy.config") && f.path.ends_with(".map"))
        .map(|f| (name(f), f.contents.clone().into_bytes()))
        .collect();
    b
}
