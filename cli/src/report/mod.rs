//! Output formats of `routec check`: text (miette), JSON, SARIF 2.1.0, GitHub workflow commands
//! and JUnit XML. Every format is built from the same resolved findings: diagnostics with their
//! labels turned into file, line and column.

mod github;
mod json;
mod junit;
mod sarif;

use routec_core::source::LineIndex;
use routec_core::{Diagnostic, Severity, SourceFile};

/// The output format.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// miette's report: graphical in a terminal, plain when piped or with NO_COLOR.
    Text,
    /// One JSON document with every finding.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...`).
    Github,
    /// JUnit XML: one test suite per input file.
    Junit,
}

/// A label resolved to a position.
pub(crate) struct Place<'a> {
    pub(crate) file: &'a str,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) end_line: usize,
    pub(crate) end_column: usize,
    pub(crate) text: &'a str,
}

/// A diagnostic with its positions resolved.
pub(crate) struct Finding<'a> {
    pub(crate) diag: &'a Diagnostic,
    pub(crate) primary: Option<Place<'a>>,
    pub(crate) related: Vec<Place<'a>>,
}

/// What the formats need besides the findings.
pub(crate) struct Report<'a> {
    pub(crate) findings: Vec<Finding<'a>>,
    /// Every input file, in order, so clean files show up (JUnit).
    pub(crate) files: Vec<&'a str>,
    /// `--strict`: warnings fail.
    pub(crate) strict: bool,
}

impl<'a> Report<'a> {
    /// Resolves every label of `diags` against `sources`.
    pub(crate) fn new(diags: &'a [Diagnostic], sources: &'a [SourceFile], inputs: usize, strict: bool) -> Self {
        let indexes: Vec<LineIndex> = sources.iter().map(|s| LineIndex::new(&s.text)).collect();
        let place = |span: routec_core::source::Span, text: &'a str| -> Option<Place<'a>> {
            let src = sources.get(span.file as usize)?;
            let idx = indexes.get(span.file as usize)?;
            let (line, column) = idx.line_col(&src.text, span.start as usize);
            let (end_line, end_column) = idx.line_col(&src.text, span.end as usize);
            Some(Place { file: &src.name, line, column, end_line, end_column, text })
        };
        let findings = diags
            .iter()
            .map(|d| Finding {
                diag: d,
                primary: d.primary.as_ref().and_then(|l| place(l.span, &l.text)),
                related: d.related.iter().filter_map(|l| place(l.span, &l.text)).collect(),
            })
            .collect();
        let files = sources.iter().take(inputs).map(|s| s.name.as_str()).collect();
        Self { findings, files, strict }
    }

    /// True when `d` fails the check.
    pub(crate) fn fails(&self, d: &Diagnostic) -> bool {
        d.severity == Severity::Error || (self.strict && d.severity == Severity::Warning)
    }

    /// Writes the report in `format`.
    pub(crate) fn write(&self, format: Format, sources: &[SourceFile], color: bool) -> String {
        match format {
            Format::Text => {
                let r = routec_core::render::Renderer::new(sources, routec_core::render::PLAIN_WIDTH, color);
                self.findings.iter().map(|f| r.render(f.diag)).collect()
            }
            Format::Json => json::write(self),
            Format::Sarif => sarif::write(self),
            Format::Github => github::write(self),
            Format::Junit => junit::write(self),
        }
    }
}
