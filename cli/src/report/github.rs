//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request's files.

use std::fmt::Write as _;

use routec_core::Severity;

use super::Report;

/// Escapes the message part of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value, which also may not hold `:` or `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn write(report: &Report<'_>) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let d = f.diag;
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning if report.strict => "error",
            Severity::Warning => "warning",
            Severity::Advice => "notice",
        };
        let mut props = Vec::new();
        if let Some(p) = &f.primary {
            props.push(format!("file={}", property(p.file)));
            props.push(format!("line={}", p.line));
            props.push(format!("col={}", p.column));
            props.push(format!("endLine={}", p.end_line));
            if p.end_line == p.line {
                props.push(format!("endColumn={}", p.end_column));
            }
        }
        props.push(format!("title={}", property(d.code)));
        let mut msg = d.message.clone();
        if let Some(h) = &d.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        let _ = writeln!(out, "::{level} {}::{}", props.join(","), data(&msg));
    }
    out
}
