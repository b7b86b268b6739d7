//! Template errors: Go's exact message (what `text/template` would print), a stable code, a
//! byte span into the template text and help where a fix is known.

use miette::{Diagnostic, LabeledSpan};

/// Where and why, shared by every error kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// Go's message, e.g. `template: main:1:2: executing "main" at <.X>: can't evaluate field X in type int`.
    pub message: String,
    /// Byte range in the text of the template the error is about.
    pub span: (usize, usize),
    /// How to fix it, when known.
    pub help: Option<String>,
}

/// A template error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The template text does not parse.
    #[error("{}", .0.message)]
    Parse(Detail),
    /// A function the template calls is neither a builtin nor in the function map.
    #[error("{}", .0.message)]
    UndefinedFunction(Detail),
    /// A field or key the data does not have.
    #[error("{}", .0.message)]
    NoField(Detail),
    /// `{{template "x"}}` names a template that is not defined.
    #[error("{}", .0.message)]
    NoTemplate(Detail),
    /// Any other failure while executing (wrong types, failing functions, bad indexes).
    #[error("{}", .0.message)]
    Exec(Detail),
    /// Execution ran past a bound: template depth, output size or steps.
    #[error("{}", .0.message)]
    Limit(Detail),
}

impl Error {
    /// The detail of any kind.
    pub fn detail(&self) -> &Detail {
        match self {
            Error::Parse(d)
            | Error::UndefinedFunction(d)
            | Error::NoField(d)
            | Error::NoTemplate(d)
            | Error::Exec(d)
            | Error::Limit(d) => d,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Parse(_) => "routec::template::parse",
            Error::UndefinedFunction(_) => "routec::template::undefined-function",
            Error::NoField(_) => "routec::template::no-field",
            Error::NoTemplate(_) => "routec::template::no-template",
            Error::Exec(_) => "routec::template::exec",
            Error::Limit(_) => "routec::template::limit",
        }
    }

    /// Whether the error happened while parsing (as opposed to executing).
    pub fn is_parse(&self) -> bool {
        matches!(self, Error::Parse(_) | Error::UndefinedFunction(_))
    }
}

impl Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(Error::code(self)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.detail().help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (start, end) = self.detail().span;
        let text = if self.is_parse() { "here" } else { "while executing this" };
        Some(Box::new(std::iter::once(LabeledSpan::new(Some(text.into()), start, end.saturating_sub(start)))))
    }
}
