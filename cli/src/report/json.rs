//! `--format json`: one document with a summary and every finding, positions 1-based.

use serde_json::{json, Value};

use super::{Place, Report};

fn place(p: &Place<'_>) -> Value {
    json!({
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "endLine": p.end_line,
        "endColumn": p.end_column,
        "label": p.text,
    })
}

pub(super) fn write(report: &Report<'_>) -> String {
    let count = |s: &str| report.findings.iter().filter(|f| f.diag.severity.as_str() == s).count();
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "code": f.diag.code,
                "severity": f.diag.severity.as_str(),
                "message": f.diag.message,
                "help": f.diag.help,
                "location": f.primary.as_ref().map(place),
                "related": f.related.iter().map(place).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "summary": {
            "errors": count("error"),
            "warnings": count("warning"),
            "advice": count("advice"),
            "failed": report.findings.iter().any(|f| report.fails(f.diag)),
        },
        "diagnostics": findings,
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
