//! Resource budgets: how much input a compile reads and how large a config `parse` accepts.
//! routec runs in CI gates and in a browser tab, where a hostile or accidental megabyte input is
//! normal; each budget turns "too much" into one error diagnostic instead of an abort or an
//! exhausted tab. The parsers' own bounds live next to them: YAML and JSON nesting
//! ([`crate::yaml::MAX_DEPTH`], [`crate::json::MAX_DEPTH`]) and YAML alias expansion
//! ([`crate::yaml::ALIAS_BUDGET`]).

use crate::diag::Diagnostic;
use crate::source::{SourceFile, Span};

/// The budgets of one run. [`Limits::default`] suits a command line; [`Limits::WASM`] a
/// browser tab, whose whole memory is a few hundred megabytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes of input, all files together; over it nothing is read
    /// (`routec::input::too-large`).
    pub max_input_bytes: usize,
    /// Most Kubernetes objects read, all files together (a `List` counts its items); the
    /// objects past it are not read (`routec::input::too-many-objects`).
    pub max_objects: usize,
    /// Most bytes of a router directory (the config with its maps and crt-lists) that `parse`,
    /// `diff` and `verify` read (`routec::hap::config-too-large`).
    pub max_config_bytes: usize,
}

/// One mebibyte.
const MIB: usize = 1 << 20;

impl Limits {
    /// The command line's budgets: 256 MiB of input, a million objects, a 256 MiB router
    /// directory. The largest measured inputs (50,000 routes, a 12.6 MB config) are well inside.
    pub const CLI: Self = Self { max_input_bytes: 256 * MIB, max_objects: 1_000_000, max_config_bytes: 256 * MIB };

    /// The browser's budgets: 32 MiB of input, 100,000 objects, a 32 MiB router directory.
    /// Reading a YAML file costs about ten times its size in trees, so this keeps a compile
    /// within a few hundred megabytes of wasm memory.
    pub const WASM: Self = Self { max_input_bytes: 32 * MIB, max_objects: 100_000, max_config_bytes: 32 * MIB };
}

impl Default for Limits {
    fn default() -> Self {
        Self::CLI
    }
}

/// Checks the inputs' total size against the budget: `None` when they fit, else the error,
/// labelled at the start of the file whose bytes cross it.
pub fn check_input(files: &[SourceFile], limits: &Limits) -> Option<Diagnostic> {
    let mut total = 0usize;
    for (i, f) in files.iter().enumerate() {
        total = total.saturating_add(f.text.len());
        if total > limits.max_input_bytes {
            let all: usize = files.iter().map(|f| f.text.len()).fold(0, usize::saturating_add);
            let fid = u32::try_from(i).unwrap_or(u32::MAX);
            let first_line = f.text.find('\n').unwrap_or(f.text.len()).min(80);
            return Some(
                Diagnostic::error(
                    "routec::input::too-large",
                    format!("the inputs hold {all} bytes, over the limit of {} bytes: nothing was read", limits.max_input_bytes),
                )
                .at(Span::new(fid, 0..first_line), "the limit is crossed in this file")
                .help("split the inputs, or raise the limit (`max-input-bytes` in routec.toml, `limits.maxInputBytes` in wasm)"),
            );
        }
    }
    None
}

/// The error for the first object past the budget, labelled at it.
pub fn too_many_objects(at: Span, max: usize) -> Diagnostic {
    Diagnostic::error(
        "routec::input::too-many-objects",
        format!("more than {max} objects in the inputs: the rest are not read"),
    )
    .at(at, "the first object not read")
    .help("split the inputs, or raise the limit (`max-objects` in routec.toml, `limits.maxObjects` in wasm)")
}

/// The message of a router directory over the budget, `None` when `bytes` fit.
pub fn config_too_large(bytes: usize, limits: &Limits) -> Option<String> {
    (bytes > limits.max_config_bytes).then(|| {
        format!(
            "the config and its files hold {bytes} bytes, over the limit of {} bytes: not read",
            limits.max_config_bytes
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_budget_counts_every_file_and_names_the_one_that_crosses_it() {
        let limits = Limits { max_input_bytes: 10, ..Limits::default() };
        let fit = [SourceFile::new("a", "12345"), SourceFile::new("b", "12345")];
        assert!(check_input(&fit, &limits).is_none());
        let over = [SourceFile::new("a", "12345"), SourceFile::new("b", "123456\nx")];
        let d = check_input(&over, &limits).expect("over the budget");
        assert_eq!(d.code, "routec::input::too-large");
        assert_eq!(d.primary.as_ref().map(|l| l.span.file), Some(1));
        assert!(d.message.contains("13 bytes"), "{}", d.message);
    }

    #[test]
    fn config_budget_is_inclusive() {
        let limits = Limits { max_config_bytes: 4, ..Limits::default() };
        assert!(config_too_large(4, &limits).is_none());
        assert!(config_too_large(5, &limits).is_some());
    }
}
