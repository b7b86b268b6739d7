//! Renders diagnostics as text, the same way for the CLI and the wasm bindings (which is why it
//! lives in the core, behind the `render` feature). The layout is miette's graphical report
//! (`draw`), drawn here so that the wasm module does not carry miette's renderer.
//!
//! Inputs can be large (a 12 MB list on one line), so sources are never copied per diagnostic:
//! snippets read a window of whole lines around each label through a line index built once per
//! file (`span`), and a label on an overlong line is written as `file:line:col` instead of a
//! snippet.

mod draw;
mod span;
mod wrap;

use std::cell::OnceCell;

use crate::diag::{Diagnostic, Label};
use crate::redact::Secrets;
use crate::source::{LineIndex, SourceFile};

/// The width the CLI renders at.
pub const PLAIN_WIDTH: usize = 100;

/// Longest source line drawn as a snippet: such a snippet is unreadable, and its underline
/// would be as long as the line.
const MAX_SNIPPET_LINE: usize = 1000;

/// Renders diagnostics against one set of sources, indexing each file once.
pub struct Renderer<'a> {
    sources: &'a [SourceFile],
    indexes: Vec<OnceCell<LineIndex>>,
    width: usize,
    theme: draw::Theme,
    /// The private-key lines of the sources: snippets quote source lines, and reports end up
    /// in CI logs, so those lines are never drawn.
    secrets: OnceCell<Secrets>,
}

impl<'a> Renderer<'a> {
    /// A renderer at `width` columns; `color` picks the themed output for terminals, otherwise
    /// plain Unicode.
    pub fn new(sources: &'a [SourceFile], width: usize, color: bool) -> Self {
        Self {
            sources,
            indexes: sources.iter().map(|_| OnceCell::new()).collect(),
            width,
            theme: draw::Theme { color },
            secrets: OnceCell::new(),
        }
    }

    fn index(&self, file: u32) -> Option<(&'a SourceFile, &LineIndex)> {
        let src = self.sources.get(file as usize)?;
        let idx = self.indexes.get(file as usize)?.get_or_init(|| LineIndex::new(&src.text));
        Some((src, idx))
    }

    fn line_len(&self, l: &Label) -> Option<usize> {
        let (src, idx) = self.index(l.span.file)?;
        let line = idx.line_of(l.span.start as usize);
        let start = idx.line_start(line)?;
        let end = idx.line_start(line + 1).unwrap_or(src.text.len());
        Some(end - start)
    }

    /// Renders one diagnostic.
    pub fn render(&self, d: &Diagnostic) -> String {
        let labels = || d.primary.iter().chain(&d.related);
        if labels().any(|l| self.line_len(l).is_some_and(|n| n > MAX_SNIPPET_LINE)) {
            let mut flat = d.clone();
            flat.primary = None;
            flat.related = Vec::new();
            for l in labels() {
                let Some((src, idx)) = self.index(l.span.file) else { continue };
                let (line, col) = idx.line_col(&src.text, l.span.start as usize);
                flat.message.push_str(&format!("\n  at {}:{line}:{col}: {}", src.name, l.text));
            }
            return self.draw(&flat, None);
        }
        let source = d.file().and_then(|f| self.index(f)).map(|(src, index)| span::Window { src, index });
        self.draw(d, source)
    }

    fn draw(&self, d: &Diagnostic, source: Option<span::Window<'_>>) -> String {
        // Labels are drawn from the primary one's file; related labels elsewhere are left out.
        let labels = match (&d.primary, &source) {
            (Some(p), Some(_)) => std::iter::once(p)
                .chain(d.related.iter().filter(|l| l.span.file == p.span.file))
                .map(|l| {
                    let r = l.span.range();
                    ((!l.text.is_empty()).then_some(l.text.as_str()), r.start, r.end.saturating_sub(r.start))
                })
                .collect(),
            _ => Vec::new(),
        };
        let report = draw::Report {
            code: d.code,
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
            labels,
            source,
        };
        let out = draw::draw(&report, self.width, self.theme)
            .unwrap_or_else(|draw::Failed| format!("{}: {}\n", d.code, d.message));
        let secrets = self.secrets.get_or_init(|| Secrets::of(self.sources.iter().map(|s| s.text.as_str())));
        match secrets.scrub(&out) {
            std::borrow::Cow::Borrowed(_) => out,
            std::borrow::Cow::Owned(clean) => clean,
        }
    }
}

/// Renders one diagnostic against the files its labels point into. For many diagnostics use
/// [`Renderer`], which indexes each file once.
pub fn render(d: &Diagnostic, sources: &[SourceFile], width: usize, color: bool) -> String {
    Renderer::new(sources, width, color).render(d)
}

/// Renders every diagnostic, plain, at the CLI's width: what `routec` prints when piped.
pub fn render_all_plain(diags: &[Diagnostic], sources: &[SourceFile]) -> String {
    let r = Renderer::new(sources, PLAIN_WIDTH, false);
    diags.iter().map(|d| r.render(d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn labels_far_along_one_line_do_not_panic() {
        let text = format!("{{\"x\": \"{}\", \"bad\": 1}}\n", "a".repeat(100_000));
        let at = text.find("bad").unwrap_or(0);
        let src = [SourceFile::new("min.json", text)];
        let d = Diagnostic::error("routec::input::wrong-type", "bad").at(Span::new(0, at..at + 3), "here");
        let out = render(&d, &src, PLAIN_WIDTH, false);
        assert!(out.contains("at min.json:1:100012: here"), "{out}");
    }

    #[test]
    fn windows_keep_absolute_line_numbers() {
        let text: String = (1..=500).map(|i| format!("line{i}: v\n")).collect();
        let at = text.find("line400").unwrap_or(0);
        let src = [SourceFile::new("f.yaml", text)];
        let d = Diagnostic::warning("routec::input::wrong-type", "m").at(Span::new(0, at..at + 7), "lbl");
        let out = render(&d, &src, PLAIN_WIDTH, false);
        assert!(out.contains("[f.yaml:400:1]") && out.contains("400 │ line400: v"), "{out}");
    }
}
