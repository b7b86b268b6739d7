//! Renders diagnostics as text with miette's graphical handler, the same way for the CLI and
//! the wasm bindings (which is why it lives in the core, behind the `render` feature).
//!
//! Inputs can be large (a 12 MB list on one line), so sources are never copied per diagnostic:
//! miette reads a window of whole lines around each label through a line index built once per
//! file, and a label on an overlong line is written as `file:line:col` instead of a snippet.

use std::cell::OnceCell;
use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::diag::{Diagnostic, Label};
use crate::redact::Secrets;
use crate::source::{LineIndex, SourceFile};

/// The width the CLI renders at.
pub const PLAIN_WIDTH: usize = 100;

/// Longest source line drawn as a snippet. miette cannot draw a label past column 65535 (it
/// panics), and such a snippet is unreadable anyway.
const MAX_SNIPPET_LINE: usize = 1000;

/// Renders diagnostics against one set of sources, indexing each file once.
pub struct Renderer<'a> {
    sources: &'a [SourceFile],
    indexes: Vec<OnceCell<LineIndex>>,
    handler: GraphicalReportHandler,
    /// The private-key lines of the sources: snippets quote source lines, and reports end up
    /// in CI logs, so those lines are never drawn.
    secrets: OnceCell<Secrets>,
}

impl<'a> Renderer<'a> {
    /// A renderer at `width` columns; `color` picks the themed output for terminals, otherwise
    /// plain Unicode.
    pub fn new(sources: &'a [SourceFile], width: usize, color: bool) -> Self {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        Self {
            sources,
            indexes: sources.iter().map(|_| OnceCell::new()).collect(),
            handler: GraphicalReportHandler::new_themed(theme).with_width(width).with_links(false),
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
            return self.draw(&WithSource { d: &flat, source: None });
        }
        let source = d.file().and_then(|f| self.index(f)).map(|(src, index)| Window { src, index });
        self.draw(&WithSource { d, source })
    }

    fn draw(&self, w: &WithSource<'_>) -> String {
        let mut out = String::new();
        if self.handler.render_report(&mut out, w).is_err() {
            out = format!("{}: {}\n", w.d.code, w.d.message);
        }
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

/// A source file as miette reads it: only the lines around a span, found through the index.
struct Window<'a> {
    src: &'a SourceFile,
    index: &'a LineIndex,
}

impl SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.src.text.as_str();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.index.line_of(start).saturating_sub(before);
        let last = self.index.line_of(end) + after + 1;
        let ws = self.index.line_start(first).unwrap_or(0);
        let we = self.index.line_start(last).unwrap_or(text.len());
        let window = text.get(ws..we).ok_or(MietteError::OutOfBounds)?;
        let inner = window.read_span(&SourceSpan::new((start - ws).into(), span.len()), before, after)?;
        let s = inner.span();
        Ok(Box::new(MietteSpanContents::new_named(
            self.src.name.clone(),
            inner.data(),
            SourceSpan::new((s.offset() + ws).into(), s.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// A diagnostic paired with the source its labels point into, for miette.
struct WithSource<'a> {
    d: &'a Diagnostic,
    source: Option<Window<'a>>,
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for WithSource<'_> {}

impl miette::Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        miette::Diagnostic::code(self.d)
    }

    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(self.d)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        miette::Diagnostic::help(self.d)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.source.as_ref()?;
        miette::Diagnostic::labels(self.d)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
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
