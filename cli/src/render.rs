//! Diagnostic rendering: miette's graphical report in a terminal, the same without colour when
//! piped, with `NO_COLOR` or `--color never` (see `ui::color`). The drawing itself is shared with wasm in `routec_core::render`.

use routec_core::SourceFile;

/// How to draw diagnostics.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    /// Use colours.
    pub(crate) color: bool,
}

impl Style {
    /// Colour for output written to stderr, as `--color`, the environment and the terminal say.
    pub(crate) fn detect() -> Self {
        Self { color: crate::ui::color(crate::ui::Stream::Stderr) }
    }

    /// The same, for output written to stdout.
    pub(crate) fn detect_stdout() -> Self {
        Self { color: crate::ui::color(crate::ui::Stream::Stdout) }
    }
}

/// A renderer over the files the diagnostics point into.
pub(crate) fn renderer(sources: &[SourceFile], style: Style) -> routec_core::render::Renderer<'_> {
    routec_core::render::Renderer::new(sources, routec_core::render::PLAIN_WIDTH, style.color)
}
