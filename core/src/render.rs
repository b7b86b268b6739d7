//! Renders diagnostics as text with miette's graphical handler, the same way for the CLI and
//! the wasm bindings (which is why it lives in the core, behind the `render` feature).

use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};

use crate::diag::Diagnostic;
use crate::source::SourceFile;

/// Renders one diagnostic against the files its labels point into. `color` picks the themed
/// output for terminals; without it the text is plain Unicode at `width` columns.
pub fn render(d: &Diagnostic, sources: &[SourceFile], width: usize, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width).with_links(false);
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

/// Renders every diagnostic, plain, at the CLI's width: what `routec` prints when piped.
pub fn render_all_plain(diags: &[Diagnostic], sources: &[SourceFile]) -> String {
    diags.iter().map(|d| render(d, sources, PLAIN_WIDTH, false)).collect()
}

/// The width the CLI renders at.
pub const PLAIN_WIDTH: usize = 100;
