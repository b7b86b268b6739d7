//! Diagnostic rendering: miette's graphical report in a terminal, the same without colour when
//! piped or when `NO_COLOR` is set.

use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};
use routec_core::{Diagnostic, SourceFile};

/// How to draw diagnostics.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    /// Use colours and Unicode.
    pub(crate) color: bool,
    /// Terminal width.
    pub(crate) width: usize,
}

impl Style {
    /// Colour only for a terminal without `NO_COLOR`.
    pub(crate) fn detect() -> Self {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Self { color, width: 100 }
    }
}

/// Renders one diagnostic against the files it points into.
pub(crate) fn render(d: &Diagnostic, sources: &[SourceFile], style: Style) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    let mut out = String::new();
    let source = d.file().and_then(|f| sources.get(f as usize));
    let result = match source {
        Some(src) => {
            let report =
                miette::Report::new(d.clone()).with_source_code(NamedSource::new(src.name.clone(), src.text.clone()));
            handler.render_report(&mut out, report.as_ref())
        }
        None => handler.render_report(&mut out, d),
    };
    if result.is_err() {
        out = format!("{}: {}\n", d.code, d.message);
    }
    out
}
