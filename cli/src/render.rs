//! Diagnostic rendering: miette's graphical report in a terminal, the same without colour when
//! piped or when `NO_COLOR` is set. The drawing itself is shared with wasm in `routec_core::render`.

use std::io::IsTerminal;

use routec_core::{Diagnostic, SourceFile};

/// How to draw diagnostics.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    /// Use colours.
    pub(crate) color: bool,
}

impl Style {
    /// Colour only for a terminal without `NO_COLOR`.
    pub(crate) fn detect() -> Self {
        Self { color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() }
    }

    /// The same, for output written to stdout.
    pub(crate) fn detect_stdout() -> Self {
        Self { color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() }
    }
}

/// Renders one diagnostic against the files it points into.
pub(crate) fn render(d: &Diagnostic, sources: &[SourceFile], style: Style) -> String {
    routec_core::render::render(d, sources, routec_core::render::PLAIN_WIDTH, style.color)
}
