//! Diagnostic rendering: miette's graphical report in a terminal, the same without colour when
//! piped or when `NO_COLOR` is set. The drawing itself is shared with wasm in `routec_core::render`.

use std::io::IsTerminal;

use routec_core::SourceFile;

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

/// A renderer over the files the diagnostics point into.
pub(crate) fn renderer(sources: &[SourceFile], style: Style) -> routec_core::render::Renderer<'_> {
    routec_core::render::Renderer::new(sources, routec_core::render::PLAIN_WIDTH, style.color)
}
