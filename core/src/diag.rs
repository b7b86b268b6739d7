//! The one diagnostic type every stage reports: a stable code, a severity, a message, a label on
//! the user's own file, and help where a fix is known. Stages return these next to partial
//! results instead of stopping at the first problem.

use crate::source::Span;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input is broken or would break the router; exit code 1.
    Error,
    /// The router accepts it but probably not as the user meant.
    Warning,
    /// Information, such as a skipped object kind.
    Advice,
}

impl Severity {
    /// Lower-case name, as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }
}

/// A labelled span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there.
    pub text: String,
}

/// A finding about the user's input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Diagnostic {
    /// Stable code, e.g. `routec::route::host-invalid`.
    pub code: &'static str,
    /// Severity.
    pub severity: Severity,
    /// One-line message.
    pub message: String,
    /// The node the finding is about, when there is one.
    pub primary: Option<Label>,
    /// Other places that explain the finding (the route that won a conflict, say).
    pub related: Vec<Label>,
    /// How to fix it, when known.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic without location.
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Self { code, severity, message: message.into(), primary: None, related: Vec::new(), help: None }
    }

    /// An error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    /// A warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    /// Advice.
    pub fn advice(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Advice, message)
    }

    /// Attaches the primary label.
    #[must_use]
    pub fn at(mut self, span: Span, text: impl Into<String>) -> Self {
        self.primary = Some(Label { span, text: text.into() });
        self
    }

    /// Attaches the primary label when a span is known.
    #[must_use]
    pub fn at_opt(self, span: Option<Span>, text: impl Into<String>) -> Self {
        match span {
            Some(s) => self.at(s, text),
            None => self,
        }
    }

    /// Adds a related label.
    #[must_use]
    pub fn related(mut self, span: Span, text: impl Into<String>) -> Self {
        self.related.push(Label { span, text: text.into() });
        self
    }

    /// Adds help text.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The file the primary label is in.
    pub fn file(&self) -> Option<u32> {
        self.primary.as_ref().map(|l| l.span.file)
    }
}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let primary = self.primary.as_ref()?;
        let file = primary.span.file;
        let labels =
            std::iter::once(primary).chain(self.related.iter().filter(move |l| l.span.file == file)).map(|l| {
                let r = l.span.range();
                let text = (!l.text.is_empty()).then(|| l.text.clone());
                miette::LabeledSpan::new(text, r.start, r.end - r.start)
            });
        Some(Box::new(labels))
    }
}

/// A sink that stages push diagnostics into.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// True when an error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, in the order they were found.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Drops everything recorded after the first `len`.
    pub fn truncate(&mut self, len: usize) {
        self.items.truncate(len);
    }

    /// The diagnostics so far.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }
}
